//! Benchmark at national shape: 300 rules in 30 tasks whose co-lead units all report every
//! month of 2023 in plain JSON, each value depending on (rule, month) only, as co-leads
//! confirming one figure do. The full national size is 2,800 units (33,600 files, ~10 M
//! figures); the default is 280 units (3,360 files, ~1 M figures) so that a run takes
//! seconds. `-- --units 2800` runs the full size, `-- --dir PATH` keeps the files.
//!
//! Every figure is printed as a ratio to the run's own floor, `read+parse`: the same files
//! only read and parsed into submissions, in parallel, in this process. Then:
//! - `check --format F`: the real binary end to end, for json, human, sarif, junit, markdown;
//! - `check, 1 thread`: json with `RAYON_NUM_THREADS=1`, against the threads of the machine;
//! - peak RSS of the json run (GNU time), and of the same run at 1/8 of the units;
//! - `unknown metrics`: 100,000 figures (`-- --unknown N`) under names no rule knows, each a
//!   finding, in the json and human reports.
//!
//! Medians of 3. Run with `cargo bench --bench check`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)] // a benchmark that fails should stop loudly

use plancheck::load;
use plancheck::source::DataFileId;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RULES: usize = 300;
const TASKS: usize = 30;
const MONTHS: usize = 12;

/// Rule `r`'s target; one in ten (rule, month) pairs is unmet, one in fifty missing.
fn rule_line(r: usize) -> String {
    match r % 5 {
        0 => format!("指标{r:03}达成率 >= 90.2 kind level"),
        1 => format!("指标{r:03}事故数 <= 6 kind level"),
        2 => format!("指标{r:03}收入 > 4416.13 kind level"),
        3 => format!("指标{r:03}增速 in 1.1..1.2 kind level"),
        _ => format!("指标{r:03}天数 == 9 kind level"),
    }
}

/// The value every unit reports for rule `r` in month `m`, or none (missing).
fn value(r: usize, m: usize) -> Option<String> {
    let unmet = (r * 7 + m) % 10 == 0;
    if (r * 3 + m) % 50 == 0 {
        return None;
    }
    Some(match (r % 5, unmet) {
        (0, false) => format!("9{}.{}", 1 + m % 8, r % 10),
        (0, true) => "90.1".to_owned(),
        (1, false) => format!("{}", m % 6),
        (1, true) => "7".to_owned(),
        (2, false) => format!("{}.{:02}", 4500 + m * 10 + r, r % 100),
        (2, true) => "4416.13".to_owned(),
        (3, false) => format!("1.1{}", m % 10),
        (3, true) => "1.21".to_owned(),
        (_, false) => "9".to_owned(),
        (_, true) => "8".to_owned(),
    })
}

fn unit_name(u: usize) -> String {
    format!("区县单位{u:04}")
}

fn write_workload(dir: &Path, units: usize) -> Vec<PathBuf> {
    let leads: Vec<String> = (0..units).map(unit_name).collect();
    let mut plan = String::from("plan \"基准测试计划\" {\n    period 2023\n}\n\n");
    for task in 0..TASKS {
        let _ = writeln!(
            plan,
            "task {} \"基准任务{task}\" {{\n    lead {}",
            task + 1,
            leads.join(", ")
        );
        for r in (task * RULES / TASKS)..((task + 1) * RULES / TASKS) {
            let _ = writeln!(plan, "    {}", rule_line(r));
        }
        plan.push_str("}\n\n");
    }
    let _ = std::fs::remove_dir_all(dir.join("data"));
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("rules/plan.plan"), plan).unwrap();
    let months: Vec<String> = (0..MONTHS)
        .map(|m| {
            let mut figures = String::new();
            for r in 0..RULES {
                if let Some(v) = value(r, m) {
                    let name = rule_line(r);
                    let metric = name.split(' ').next().unwrap();
                    let _ = write!(
                        figures,
                        "{}\"{metric}\": {v}",
                        if figures.is_empty() { "" } else { ", " }
                    );
                }
            }
            figures
        })
        .collect();
    (0..units)
        .into_par_iter()
        .flat_map_iter(|u| (0..MONTHS).map(move |m| (u, m)))
        .map(|(u, m)| {
            let text = format!(
                "{{\"reporter\": \"{}\", \"period\": \"2023-{:02}\", \"figures\": {{{}}}}}\n",
                unit_name(u),
                m + 1,
                months[m]
            );
            let path = dir.join(format!("data/u{u:04}_2023-{:02}.json", m + 1));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

/// `files` files of 10 submissions × 1,000 figures under metric names no rule knows, from the
/// plan's `units` units (each unit and month once, so nothing else is reported).
fn write_unknown(dir: &Path, files: usize, units: usize) {
    let _ = std::fs::remove_dir_all(dir.join("unknown"));
    std::fs::create_dir_all(dir.join("unknown")).unwrap();
    (0..files).into_par_iter().for_each(|f| {
        let mut text = String::from("[");
        for s in 0..10 {
            let _ = write!(
                text,
                "{}{{\"reporter\": \"{}\", \"period\": \"2023-{:02}\", \"figures\": {{",
                if s == 0 { "" } else { ",\n" },
                unit_name((f * 10 + s) % units),
                (f * 10 + s) / units % MONTHS + 1
            );
            for i in 0..1000 {
                let _ = write!(
                    text,
                    "{}\"无此指标{i:04}\": {i}",
                    if i == 0 { "\n" } else { ",\n" }
                );
            }
            text.push_str("}}");
        }
        text.push_str("]\n");
        std::fs::write(dir.join(format!("unknown/{f:03}.json")), text).unwrap();
    });
}

fn median_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Runs the binary on `data` in `dir`; returns stdout's length.
fn plancheck(dir: &Path, format: &str, data: &str, threads: Option<usize>) -> usize {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    command
        .args(["check", "--format", format, "--rules", "rules", data])
        .current_dir(dir);
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads.to_string());
    }
    let output = command.output().unwrap();
    assert!(
        output.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout.len()
}

/// Peak RSS of a json check in MiB, from GNU time when the machine has it.
fn peak_rss(dir: &Path) -> Option<f64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M", env!("CARGO_BIN_EXE_plancheck")])
        .args(["check", "--format", "json", "--rules", "rules", "data"])
        .current_dir(dir)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let kib: f64 = stderr.lines().last()?.trim().parse().ok()?;
    Some(kib / 1024.0)
}

/// Reads and parses every file as `check` does (`load::visit_file`), in parallel, and counts
/// the figures: the floor `check` is measured against.
fn read_parse(paths: &[PathBuf]) -> usize {
    paths
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut figures = 0;
            load::visit_file(
                DataFileId(i),
                p,
                &Default::default(),
                &mut |read| match read {
                    load::Read::Submission(s) => figures += s.figures.len(),
                    load::Read::Error(e) => panic!("{e}"),
                },
            );
            figures
        })
        .sum()
}

fn arg(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

fn main() {
    let units: usize = arg("--units").map_or(280, |n| n.parse().unwrap());
    let kept = arg("--dir").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.as_deref().unwrap_or(temp.path());

    let paths = write_workload(dir, units);
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    let figures = read_parse(&paths);
    let threads = rayon::current_num_threads();
    println!(
        "{RULES} rules, {units} units × {MONTHS} months = {} files, {figures} figures, {:.1} MiB, {threads} threads",
        paths.len(),
        bytes as f64 / (1024.0 * 1024.0),
    );
    let floor = median_of(3, || assert_eq!(read_parse(&paths), figures));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let ratio = |d: Duration| d.as_secs_f64() / floor.as_secs_f64();
    println!(
        "read+parse (floor)          {:>9.1} ms   1.00   {:>6.0} ns/figure",
        ms(floor),
        floor.as_secs_f64() * 1e9 / figures as f64
    );
    let json = median_of(3, || {
        assert!(plancheck(dir, "json", "data", None) > 1000);
    });
    println!(
        "check --format json         {:>9.1} ms   {:>4.2}   {:>6.0} ns/figure",
        ms(json),
        ratio(json),
        json.as_secs_f64() * 1e9 / figures as f64
    );
    for format in ["human", "sarif", "junit", "markdown"] {
        let time = median_of(3, || {
            plancheck(dir, format, "data", None);
        });
        println!(
            "check --format {format:<12} {:>9.1} ms   {:>4.2}   {:>4.2} × json",
            ms(time),
            ratio(time),
            time.as_secs_f64() / json.as_secs_f64()
        );
    }
    let one = median_of(3, || {
        plancheck(dir, "json", "data", Some(1));
    });
    println!(
        "check, 1 thread             {:>9.1} ms   {:>4.2}   {threads} threads are {:.2} × faster",
        ms(one),
        ratio(one),
        one.as_secs_f64() / json.as_secs_f64()
    );
    if let Some(full) = peak_rss(dir) {
        let eighth = write_workload(dir, units.div_ceil(8));
        let small = peak_rss(dir).unwrap_or_default();
        println!(
            "check peak RSS              {full:>9.1} MiB at {units} units, {small:.1} MiB at {} units",
            eighth.len() / MONTHS
        );
    }
    // 10,000 figures a file; `-- --unknown 1000000` is the million.
    let unknown: usize = arg("--unknown").map_or(100_000, |n| n.parse().unwrap());
    // The plan of the full size again (the memory run above left the small one).
    write_workload(dir, units);
    write_unknown(dir, unknown.div_ceil(10_000), units);
    for format in ["json", "human"] {
        let time = median_of(3, || {
            plancheck(dir, format, "unknown", None);
        });
        let size = plancheck(dir, format, "unknown", None);
        println!(
            "{unknown} unknown metrics, {format:<5} {:>9.1} ms   report {:.1} KiB",
            ms(time),
            size as f64 / 1024.0
        );
    }
}
