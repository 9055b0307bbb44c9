//! Benchmark: many plans in one run against one plan, at the same number of figures.
//!
//! - one plan: 300 rules in 10 tasks of 30, each task led by one unit that reports its 30
//!   figures for the 4 quarters of 2023: 40 files, 1,200 figures, 1,200 results;
//! - 100 such plans (`rules/县N/`), each with its files in `data/县N/`: 4,000 files, 120,000
//!   figures, 120,000 results.
//!
//! Prints the time per figure of `eval::check` on the one plan (run as many times as there are
//! plans), of `plans::check_set` on the hundred (routing, one pass over every file, one
//! judgement per plan, merge) and of the hundred plans checked one by one, as the median of
//! rounds that alternate the three, in wall time and in CPU time (which other work on a shared
//! machine disturbs less), and their ratios. Linear means a ratio near 1.
//! Run with `cargo bench --bench plans` (`-- --plans 20` for a quicker look).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a benchmark that fails should stop loudly

use plancheck::eval::CheckOptions;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RULES: usize = 300;
const TASKS: usize = 10;
const QUARTERS: usize = 4;
const ROUNDS: usize = 3;

fn plan_text(title: &str, leads: &[String]) -> String {
    let mut plan = format!("plan \"{title}\" {{\n    period 2023\n}}\n\n");
    plan.push_str(&tasks_text(leads, "", 0));
    plan
}

/// `TASKS` tasks numbered from `first + 1`, their metrics named with `prefix`.
fn tasks_text(leads: &[String], prefix: &str, first: usize) -> String {
    let mut plan = String::new();
    for task in 0..TASKS {
        let _ = writeln!(
            plan,
            "task {} \"任务{task}\" {{\n    lead {}",
            first + task + 1,
            leads.join(", ")
        );
        for rule in (task..RULES).step_by(TASKS) {
            let _ = match rule % 3 {
                0 => writeln!(plan, "    {prefix}指标{rule:03}达成率 >= 91%"),
                1 => writeln!(plan, "    {prefix}新增指标{rule:03}数量 >= 400 家"),
                _ => writeln!(plan, "    done {prefix}指标{rule:03}完成任务"),
            };
        }
        plan.push_str("}\n\n");
    }
    plan
}

fn submission(reporter: &str, task: usize, quarter: usize) -> String {
    prefixed_submission(reporter, "", task, quarter)
}

fn prefixed_submission(reporter: &str, prefix: &str, task: usize, quarter: usize) -> String {
    let mut text = format!(
        "reporter: {reporter}\nperiod: \"2023-Q{}\"\nfigures:\n",
        quarter + 1
    );
    for rule in (task..RULES).step_by(TASKS) {
        let _ = match rule % 3 {
            0 => writeln!(text, "  {prefix}指标{rule:03}达成率: \"9{}.5%\"", rule % 9),
            1 => writeln!(
                text,
                "  {prefix}新增指标{rule:03}数量: {}",
                90 * (quarter + 1) + rule % 20
            ),
            _ => writeln!(text, "  {prefix}指标{rule:03}完成任务: {}", quarter == 3),
        };
    }
    text
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// One plan whose tasks have `units` co-leads each: `TASKS × units × QUARTERS` files.
fn one_plan(dir: &Path, units: usize) -> Vec<PathBuf> {
    let leads: Vec<String> = (0..units).map(|u| format!("单位{u}")).collect();
    write(&dir.join("rules/plan.plan"), &plan_text("单一计划", &leads));
    let mut paths = Vec::new();
    for task in 0..TASKS {
        for (u, lead) in leads.iter().enumerate() {
            for q in 0..QUARTERS {
                let path = dir.join(format!("data/{task}-{u}-{q}.yaml"));
                write(&path, &submission(lead, task, q));
                paths.push(path);
            }
        }
    }
    paths
}

/// `plans` plans with one lead per task: `plans × TASKS × QUARTERS` files.
fn many_plans(dir: &Path, plans: usize) -> Vec<PathBuf> {
    let leads = vec!["单位".to_owned()];
    let mut paths = Vec::new();
    for p in 0..plans {
        let id = format!("县{p:03}");
        write(
            &dir.join(format!("rules/{id}/plan.plan")),
            &plan_text(&format!("{id}计划"), &leads),
        );
        for task in 0..TASKS {
            for q in 0..QUARTERS {
                let path = dir.join(format!("data/{id}/{task}-{q}.yaml"));
                write(&path, &submission("单位", task, q));
                paths.push(path);
            }
        }
    }
    paths
}

/// The `plans` plans as one plan of `plans × RULES` rules (each county's metrics named with
/// its id), with the same files: the one-plan run at the same size.
fn one_big_plan(dir: &Path, plans: usize) -> Vec<PathBuf> {
    let leads = vec!["单位".to_owned()];
    let mut plan = "plan \"合并计划\" {\n    period 2023\n}\n\n".to_owned();
    let mut paths = Vec::new();
    for p in 0..plans {
        let id = format!("县{p:03}");
        plan.push_str(&tasks_text(&leads, &id, p * TASKS));
        for task in 0..TASKS {
            for q in 0..QUARTERS {
                let path = dir.join(format!("data/{id}/{task}-{q}.yaml"));
                write(&path, &prefixed_submission("单位", &id, task, q));
                paths.push(path);
            }
        }
    }
    write(&dir.join("rules/plan.plan"), &plan);
    paths
}

/// Nanoseconds this process's threads have spent on a CPU (Linux `schedstat`), so a
/// measurement taken while other work shares the machine can be compared by CPU as well as
/// by wall time; `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// Wall and CPU time of one call.
#[derive(Clone, Copy)]
struct Cost {
    wall: Duration,
    cpu: Option<Duration>,
}

fn measure<F: FnOnce()>(f: F) -> Cost {
    let cpu = cpu_ns();
    let start = Instant::now();
    f();
    let wall = start.elapsed();
    let cpu = cpu
        .zip(cpu_ns())
        .map(|(a, b)| Duration::from_nanos(b.saturating_sub(a)));
    Cost { wall, cpu }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let plans: usize = std::env::args()
        .skip_while(|a| a != "--plans")
        .nth(1)
        .map_or(100, |n| n.parse().unwrap());
    let figures = plans * TASKS * QUARTERS * (RULES / TASKS);
    let options = CheckOptions::default();

    let one = tempfile::tempdir().unwrap();
    let one_paths = one_plan(one.path(), 1);
    let one_count = TASKS * QUARTERS * (RULES / TASKS);
    let (plan, findings) = plancheck::parse::load_plan(&one.path().join("rules"));
    assert!(findings.is_empty(), "{findings:?}");
    let many = tempfile::tempdir().unwrap();
    let many_paths = many_plans(many.path(), plans);
    let rules = many.path().join("rules");
    let (set, findings) =
        plancheck::plans::load_set(&rules, &plancheck::parse::ReadOptions::default()).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
    // The same hundred plans checked one by one, each on its own files: what a hundred runs
    // cost, without routing or merging.
    let own: Vec<Vec<PathBuf>> = set
        .members
        .iter()
        .map(|m| {
            many_paths
                .iter()
                .filter(|p| p.parent().is_some_and(|d| d.ends_with(&m.id)))
                .cloned()
                .collect()
        })
        .collect();

    let big = tempfile::tempdir().unwrap();
    let big_paths = one_big_plan(big.path(), plans);
    let (big_plan, findings) = plancheck::parse::load_plan(&big.path().join("rules"));
    assert!(findings.is_empty(), "{findings:?}");

    // The runs are given their file lists as the command line's check is, made before the
    // clock starts.
    let one_list: plancheck::files::list::PathList = one_paths.iter().collect();
    let many_list: plancheck::files::list::PathList = many_paths.iter().collect();
    let big_list: plancheck::files::list::PathList = big_paths.iter().collect();
    let own_lists: Vec<plancheck::files::list::PathList> =
        own.iter().map(|paths| paths.iter().collect()).collect();

    // Rounds alternate the runs, so each sees the same load on a shared machine; the
    // one plan is checked as many times as there are plans, for the same number of figures.
    let mut costs: [Vec<Cost>; 5] = Default::default();
    let mut results = 0;
    for _ in 0..ROUNDS {
        costs[0].push(measure(|| {
            for _ in 0..plans {
                let outcome = plancheck::eval::check(&plan, &one_list, options);
                assert_eq!(outcome.figures, one_count);
            }
        }));
        // The check takes its plans over, as the command line's does: read them anew.
        let (fresh, _) =
            plancheck::plans::load_set(&rules, &plancheck::parse::ReadOptions::default()).unwrap();
        costs[1].push(measure(|| {
            let (_, outcome) = plancheck::plans::check_set(fresh, &many_list, options);
            assert!(
                outcome.findings.is_empty(),
                "{:?}",
                outcome.findings.first()
            );
            assert_eq!(outcome.figures, figures);
            results = outcome.results.len();
        }));
        costs[2].push(measure(|| {
            for (member, paths) in set.members.iter().zip(&own_lists) {
                let outcome = plancheck::eval::check(&member.plan, paths, options);
                assert_eq!(outcome.figures, one_count);
            }
        }));
        costs[3].push(measure(|| {
            let kept: Vec<_> = set
                .members
                .iter()
                .zip(&own_lists)
                .map(|(member, paths)| plancheck::eval::check(&member.plan, paths, options))
                .collect();
            assert_eq!(kept.len(), plans);
        }));
        costs[4].push(measure(|| {
            let outcome = plancheck::eval::check(&big_plan, &big_list, options);
            assert_eq!(outcome.figures, figures);
        }));
    }
    let wall: Vec<Duration> = costs
        .iter()
        .map(|c| median(c.iter().map(|c| c.wall).collect()))
        .collect();
    let cpu: Option<Vec<Duration>> = costs
        .iter()
        .map(|c| {
            c.iter()
                .map(|c| c.cpu)
                .collect::<Option<Vec<_>>>()
                .map(median)
        })
        .collect();

    let per = |d: Duration| d.as_secs_f64() * 1e9 / figures as f64;
    let line = |name: &str, i: usize| {
        let cpu = cpu.as_ref().map_or(String::new(), |c| {
            format!(
                "  CPU {:>8.1} ms {:>6.0} ns/figure",
                c[i].as_secs_f64() * 1e3,
                per(c[i])
            )
        });
        println!(
            "{name:<46} wall {:>8.1} ms {:>6.0} ns/figure{cpu}",
            wall[i].as_secs_f64() * 1e3,
            per(wall[i]),
        );
    };
    println!(
        "{} threads, median of {ROUNDS} alternating rounds, {figures} figures each",
        rayon::current_num_threads()
    );
    line(
        &format!(
            "1 plan × {RULES} rules ({} files), {plans} times",
            one_paths.len()
        ),
        0,
    );
    line(
        &format!("{plans} plans × {RULES} rules ({} files)", many_paths.len()),
        1,
    );
    line(&format!("{plans} separate one-plan checks, same files"), 2);
    line(&format!("{plans} separate checks, every outcome kept"), 3);
    line(
        &format!("1 plan × {} rules, the same files", plans * RULES),
        4,
    );
    let ratio = |v: &[Duration], a: usize, b: usize| v[a].as_secs_f64() / v[b].as_secs_f64();
    let cpu_ratio = cpu.as_ref().map_or(String::new(), |c| {
        format!(
            "; CPU {:.2} (against separate checks {:.2})",
            ratio(c, 1, 0),
            ratio(c, 1, 2)
        )
    });
    println!(
        "per figure, {plans} plans / 1 plan: wall {:.2} (against separate checks {:.2}){cpu_ratio}; {results} results",
        ratio(&wall, 1, 0),
        ratio(&wall, 1, 2),
    );
    let big_ratio = cpu.as_ref().map_or(String::new(), |c| {
        format!(
            "; CPU {:.2} (that plan / 1 plan: {:.2})",
            ratio(c, 1, 4),
            ratio(c, 4, 0)
        )
    });
    println!(
        "per figure, {plans} plans / 1 plan of their {} rules: wall {:.2}{big_ratio}",
        plans * RULES,
        ratio(&wall, 1, 4),
    );
}
