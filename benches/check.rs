//! Benchmark: 200 rules, 1,600 submission files of 200 figures each.
//!
//! Prints two figures and their ratio:
//! - `check`: the real binary, end to end (`plancheck check --format json`), best of 3;
//! - `read+parse`: the same files only read and parsed into submissions, in parallel as
//!   `check` does it, best of 3.
//!
//! Run with `cargo bench --bench check` (or `-- --files 400` for a quicker look).

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

fn write_plan(dir: &Path) {
    let mut plan = String::from("plan \"基准测试计划\" {\n    period 2023\n}\n\n");
    for task in 0..TASKS {
        let _ = writeln!(
            plan,
            "task {} \"基准任务{task}\" {{\n    lead 区单位{task}",
            task + 1
        );
        for rule in (task..RULES).step_by(TASKS) {
            let _ = match rule % 4 {
                0 => writeln!(plan, "    确保 指标{rule:03}达成率 >= 91%"),
                1 => writeln!(plan, "    力争 指标{rule:03}营业收入 > 450 亿元"),
                2 => writeln!(plan, "    指标{rule:03}新增数量 in 10..20 家"),
                _ => writeln!(plan, "    done 指标{rule:03}完成任务"),
            };
        }
        plan.push_str("}\n\n");
    }
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/plan.plan"), plan).unwrap();
}

/// File `n` reports every rule once (200 figures) for its own (reporter, month, year), so
/// no two files conflict and every figure meets a rule.
fn write_submission(dir: &Path, n: usize) -> PathBuf {
    let reporter = n % TASKS;
    let year = 2000 + n / (TASKS * 12);
    let month = (n / TASKS) % 12 + 1;
    let mut text = format!("reporter: 区单位{reporter}\nperiod: \"{year}-{month:02}\"\nfigures:\n");
    for rule in 0..FIGURES {
        let _ = match rule % 4 {
            0 => writeln!(
                text,
                "  指标{rule:03}达成率: \"9{}.{}%\"",
                n % 10,
                rule % 10
            ),
            1 => writeln!(
                text,
                "  指标{rule:03}营业收入: \"{},{:03}万元\"",
                4_500_000 + n,
                rule
            ),
            2 => writeln!(text, "  指标{rule:03}新增数量: {}", 5 + (n + rule) % 20),
            _ => writeln!(text, "  指标{rule:03}完成任务: {}", n % 7 != 0),
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
    let dir = tempfile::tempdir().unwrap();
    write_plan(dir.path());
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let paths: Vec<PathBuf> = (0..files)
        .map(|n| write_submission(dir.path(), n))
        .collect();
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
            .current_dir(dir.path())
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
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!(
                "bench process peak RSS (read+parse): {}",
                line.trim_start_matches("VmHWM:").trim()
            );
        }
    }
}
