//! Benchmark: 200 rules, 1,600 submission files of 200 figures each (100 co-lead units × the
//! 16 months and quarters of the plan year).
//!
//! Prints two figures and their ratio:
//! - `check`: the real binary, end to end (`plancheck check --format json`), best of 3;
//! - `read+parse`: the same files only read and parsed into submissions, in parallel as
//!   `check` does it, best of 3.
//!
//! Run with `cargo bench --bench check` (or `-- --files 400` for a quicker look, `-- --dir
//! PATH` to keep the generated files).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a benchmark that fails should stop loudly

use plancheck::load;
use plancheck::source::DataFileId;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RULES: usize = 200;
const FIGURES: usize = 200;
const TASKS: usize = 20;
/// Co-lead units of every task. Every unit reports every period of 2023 (12 months and 4
/// quarters), so each (rule, period) is reported by all of them with the same value, as
/// co-leads confirming one figure do, and every figure is judged in time.
const REPORTERS: usize = 100;
const PERIODS: usize = 16;

fn write_plan(dir: &Path) {
    let leads: Vec<String> = (0..REPORTERS).map(|r| format!("区单位{r}")).collect();
    let mut plan = String::from("plan \"基准测试计划\" {\n    period 2023\n}\n\n");
    for task in 0..TASKS {
        let _ = writeln!(
            plan,
            "task {} \"基准任务{task}\" {{\n    lead {}",
            task + 1,
            leads.join(", ")
        );
        for rule in (task..RULES).step_by(TASKS) {
            let _ = match rule % 4 {
                0 => writeln!(plan, "    确保 指标{rule:03}达成率 >= 91%"),
                1 => writeln!(plan, "    力争 指标{rule:03}营业收入 > 450 亿元"),
                2 => writeln!(plan, "    新增指标{rule:03}数量 in 10..20 家"),
                _ => writeln!(plan, "    done 指标{rule:03}完成任务"),
            };
        }
        plan.push_str("}\n\n");
    }
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/plan.plan"), plan).unwrap();
}

/// File `n` comes from unit `n % 100` for period `n / 100` of 2023 (months, then quarters)
/// and reports all 200 rules. Values depend on the period and rule only; about one in twenty
/// fails.
fn write_submission(dir: &Path, n: usize) -> PathBuf {
    let reporter = n % REPORTERS;
    let period_index = (n / REPORTERS) % PERIODS;
    let period = match period_index {
        0..=11 => format!("2023-{:02}", period_index + 1),
        q => format!("2023-Q{}", q - 11),
    };
    let mut text = format!("reporter: 区单位{reporter}\nperiod: \"{period}\"\nfigures:\n");
    for rule in 0..FIGURES {
        let fails = (period_index + rule) % 20 == 0;
        let _ = match (rule % 4, fails) {
            (0, false) => writeln!(
                text,
                "  指标{rule:03}达成率: \"9{}.{}%\"",
                1 + period_index % 8,
                rule % 10
            ),
            (0, true) => writeln!(text, "  指标{rule:03}达成率: \"90.96%\""),
            (1, false) => writeln!(
                text,
                "  指标{rule:03}营业收入: \"4,{:03},{:03}万元\"",
                600 + period_index,
                rule
            ),
            (1, true) => writeln!(text, "  指标{rule:03}营业收入: \"0.29亿元\""),
            (2, false) => writeln!(
                text,
                "  新增指标{rule:03}数量: {}",
                10 + (period_index + rule) % 11
            ),
            (2, true) => writeln!(text, "  新增指标{rule:03}数量: 21"),
            (_, fails) => writeln!(text, "  指标{rule:03}完成任务: {}", !fails),
        };
    }
    let path = dir.join(format!("data/{n:04}.yaml"));
    std::fs::write(&path, text).unwrap();
    path
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
    let files: usize = std::env::args()
        .skip_while(|a| a != "--files")
        .nth(1)
        .map_or(1600, |n| n.parse().unwrap());
    // `--dir PATH` keeps the generated files, for profiling the binary on them.
    let kept = std::env::args()
        .skip_while(|a| a != "--dir")
        .nth(1)
        .map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.as_deref().unwrap_or(temp.path());
    write_plan(dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let paths: Vec<PathBuf> = (0..files).map(|n| write_submission(dir, n)).collect();
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    println!(
        "{RULES} rules, {files} files × {FIGURES} figures = {} figures, {:.1} MiB, {} threads",
        files * FIGURES,
        bytes as f64 / (1024.0 * 1024.0),
        rayon::current_num_threads()
    );

    let check = best_of(3, || {
        let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .args(["check", "--format", "json", "--rules", "rules", "data"])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            output.status.code().unwrap() <= 1,
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.stdout.len() > 1000);
    });
    let read_parse = best_of(3, || {
        let figures: usize = paths
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let loaded = load::load_file(DataFileId(i), p);
                assert!(loaded.errors.is_empty());
                loaded
                    .submissions
                    .iter()
                    .map(|s| s.figures.len())
                    .sum::<usize>()
            })
            .sum();
        assert_eq!(figures, files * FIGURES);
    });
    println!(
        "check (end to end):   {:>8.1} ms",
        check.as_secs_f64() * 1000.0
    );
    println!(
        "read+parse only:      {:>8.1} ms",
        read_parse.as_secs_f64() * 1000.0
    );
    println!(
        "ratio check/parse:    {:>8.2}",
        check.as_secs_f64() / read_parse.as_secs_f64()
    );
    // Peak memory of the real run, from GNU time when the machine has it.
    if Path::new("/usr/bin/time").exists() {
        let output = Command::new("/usr/bin/time")
            .args([
                "-f",
                "%M",
                env!("CARGO_BIN_EXE_plancheck"),
                "check",
                "--format",
                "json",
                "--rules",
                "rules",
                "data",
            ])
            .current_dir(dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if let Some(kib) = stderr
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<u64>().ok())
        {
            println!("check peak RSS:       {:>8.1} MiB", kib as f64 / 1024.0);
        }
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!(
                "bench process peak RSS (read+parse): {}",
                line.trim_start_matches("VmHWM:").trim()
            );
        }
    }
}
