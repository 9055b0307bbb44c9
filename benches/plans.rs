//! Benchmark: many plans in one run against one plan, at the same number of figures.
//!
//! - one plan: 300 rules in 10 tasks of 30, each task led by one unit that reports its 30
//!   figures for the 4 quarters of 2023: 40 files, 1,200 figures, 1,200 results;
//! - 100 such plans (`rules/县N/`), each with its files in `data/县N/`: 4,000 files, 120,000
//!   figures, 120,000 results.
//!
//! Prints the time per figure of `eval::check` on the one plan (best of 20) and of
//! `plans::check_set` on the hundred (routing, one evaluation per plan, merge; best of 3), and
//! their ratio. Linear means a ratio near 1.
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

fn plan_text(title: &str, leads: &[String]) -> String {
    let mut plan = format!("plan \"{title}\" {{\n    period 2023\n}}\n\n");
    for task in 0..TASKS {
        let _ = writeln!(
            plan,
            "task {} \"任务{task}\" {{\n    lead {}",
            task + 1,
            leads.join(", ")
        );
        for rule in (task..RULES).step_by(TASKS) {
            let _ = match rule % 3 {
                0 => writeln!(plan, "    指标{rule:03}达成率 >= 91%"),
                1 => writeln!(plan, "    新增指标{rule:03}数量 >= 400 家"),
                _ => writeln!(plan, "    done 指标{rule:03}完成任务"),
            };
        }
        plan.push_str("}\n\n");
    }
    plan
}

fn submission(reporter: &str, task: usize, quarter: usize) -> String {
    let mut text = format!(
        "reporter: {reporter}\nperiod: \"2023-Q{}\"\nfigures:\n",
        quarter + 1
    );
    for rule in (task..RULES).step_by(TASKS) {
        let _ = match rule % 3 {
            0 => writeln!(text, "  指标{rule:03}达成率: \"9{}.5%\"", rule % 9),
            1 => writeln!(
                text,
                "  新增指标{rule:03}数量: {}",
                90 * (quarter + 1) + rule % 20
            ),
            _ => writeln!(text, "  指标{rule:03}完成任务: {}", quarter == 3),
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

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
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
    let mut one_figures = 0;
    let one_time = best_of(20, || {
        let outcome = plancheck::eval::check(&plan, &one_paths, options);
        one_figures = outcome.figures;
    });

    let many = tempfile::tempdir().unwrap();
    let many_paths = many_plans(many.path(), plans);
    let rules = many.path().join("rules");
    let (set, findings) =
        plancheck::plans::load_set(&rules, &plancheck::parse::ReadOptions::default()).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
    let mut many_figures = 0;
    let mut results = 0;
    let many_time = best_of(3, || {
        let (_, outcome) = plancheck::plans::check_set(&set, &many_paths, options);
        assert!(
            outcome.findings.is_empty(),
            "{:?}",
            outcome.findings.first()
        );
        many_figures = outcome.figures;
        results = outcome.results.len();
    });
    assert_eq!(one_figures, one_count);

    // The same hundred plans checked one by one, each on its own files: what a hundred runs
    // cost, without routing or merging, timed alongside so both see the same machine load.
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
    let separate_time = best_of(3, || {
        for (member, paths) in set.members.iter().zip(&own) {
            let outcome = plancheck::eval::check(&member.plan, paths, options);
            assert_eq!(outcome.figures, one_count);
        }
    });
    assert_eq!(many_figures, figures);

    let per = |d: Duration, n: usize| d.as_secs_f64() * 1e9 / n as f64;
    println!("{} threads", rayon::current_num_threads());
    println!(
        "1 plan × {RULES} rules, {} files, {one_count} figures:  {:>8.1} ms  {:>7.0} ns/figure",
        one_paths.len(),
        one_time.as_secs_f64() * 1e3,
        per(one_time, one_count)
    );
    println!(
        "{plans} plans × {RULES} rules, {} files, {figures} figures:  {:>8.1} ms  {:>7.0} ns/figure  ({results} results)",
        many_paths.len(),
        many_time.as_secs_f64() * 1e3,
        per(many_time, figures)
    );
    println!(
        "{plans} separate one-plan checks, same files:            {:>8.1} ms  {:>7.0} ns/figure",
        separate_time.as_secs_f64() * 1e3,
        per(separate_time, figures)
    );
    println!(
        "ratio (plans / one plan, per figure): {:.2}; (plans / separate checks): {:.2}",
        per(many_time, figures) / per(one_time, one_count),
        many_time.as_secs_f64() / separate_time.as_secs_f64()
    );
}
