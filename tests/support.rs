//! A builder that runs the binary in a fresh directory, in the manner of just's `Test` and
//! ruff's `CliTest`: files are written, the environment is cleared, output is captured whole.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A plan with targets of every form, on Chinese text, and its source document.
pub const PLAN: &str = r#"# 测试用计划
plan "兖州区测试计划" {
    period 2023
    source "source.txt"
}

section 四 "聚力降碳减污扩绿，厚植绿色发展底色"

task 32 "深入推进环境污染防治" {
    lead 区生态环境分局, 区水务局
    确保 受污染耕地安全利用率 >= 91%
        from "受污染耕地安全利用率稳定在91%以上"
    力争 农用地安全利用率 == 100%
        from "农用地、建设用地100%安全利用"
    done 完成超低排放改造
}

task 6 "做强优势产业集群" {
    lead 区工业和信息化局
    力争 造纸包装产业营业收入 > 450 亿元
        from "年内力争营收突破450亿元"
    培育主要农作物新品种 in 1..2 个
    新增城镇就业 >= 4000 人
}
"#;

pub const SOURCE: &str = "受污染耕地安全利用率稳定在91%以上，力争受污染耕地全部实现安全利用，农用地、建设用地100%安全利用。\n年内力争营收突破450亿元。\n";

/// A submission from 区生态环境分局 meeting every target of task 32.
pub const ECO_MET: &str = r#"reporter: 区生态环境分局
period: "2023"
figures:
  受污染耕地安全利用率: "92.3%"
  农用地安全利用率: 100%
  完成超低排放改造: done
"#;

/// A submission from 区工业和信息化局 meeting every target of task 6.
pub const INDUSTRY_MET: &str = r#"reporter: 区工业和信息化局
period: "2023"
figures:
  造纸包装产业营业收入: "4,600,000万元"
  培育主要农作物新品种: 2
  新增城镇就业: "4,512人"
"#;

/// A YAML submission of `reporter` for `period`, each figure written `metric: value` as given
/// (so a value may carry its own quotes).
pub fn submission(reporter: &str, period: &str, figures: &[(&str, &str)]) -> String {
    let mut text = format!("reporter: {reporter}\nperiod: \"{period}\"\nfigures:\n");
    for (metric, value) in figures {
        text.push_str(&format!("  {metric}: {value}\n"));
    }
    text
}

/// The plan with `eco` as 区生态环境分局's submission and [`INDUSTRY_MET`].
pub fn with_eco(eco: &str) -> Test {
    Test::new()
        .file("data/eco.yaml", eco)
        .file("data/industry.yaml", INDUSTRY_MET)
}

/// The plan with [`ECO_MET`] and `industry` as 区工业和信息化局's submission.
pub fn with_industry(industry: &str) -> Test {
    Test::new()
        .file("data/eco.yaml", ECO_MET)
        .file("data/industry.yaml", industry)
}

/// The plan with both leads meeting every target.
pub fn with_met() -> Test {
    with_eco(ECO_MET)
}

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
}

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    /// A directory holding `rules/plan.plan` and its source.
    pub fn new() -> Self {
        Self::empty()
            .file("rules/plan.plan", PLAN)
            .file("rules/source.txt", SOURCE)
    }

    pub fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            args: Vec::new(),
        }
    }

    /// A temporary copy of the folder `fixture` (relative to the repository), so a test may
    /// add or change files.
    pub fn copy_of(fixture: &str) -> Self {
        let root = repo_root().join(fixture);
        let mut test = Test::empty();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(&root).unwrap().to_str().unwrap();
                    test = test.file(rel, std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        test
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content` (text, or a workbook's bytes) to `path` below the test directory.
    pub fn file(self, path: &str, content: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
        self
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| (*a).to_owned()));
        self
    }

    /// Runs `plancheck ARGS` in the directory with an empty environment, so neither the
    /// terminal nor the user's settings change the output.
    pub fn run(&self) -> Output {
        run_in(self.path(), &self.args)
    }

    /// Runs `plancheck ARGS` with other arguments than the builder's, so several runs can
    /// compare outputs on the same files.
    pub fn run_with(&self, args: &[&str]) -> Output {
        run_in(self.path(), args)
    }

    /// `plancheck check --color never --width 100 ARGS`.
    pub fn check(self, args: &[&str]) -> Output {
        self.args(&["check", "--color", "never", "--width", "100"])
            .args(args)
            .run()
    }

    /// `plancheck check --format json ARGS`, parsed.
    pub fn check_json(self, args: &[&str]) -> (i32, serde_json::Value) {
        let output = self.args(&["check", "--format", "json"]).args(args).run();
        let json = serde_json::from_str(&output.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", output.stdout, output.stderr));
        (output.status, json)
    }
}

/// `plancheck check data` on `test` as a person reads it (no colour, 100 columns), with its
/// exit code first and stderr after: what a snapshot of the human report locks.
pub fn human(test: Test) -> String {
    let output = test.check(&["data"]);
    format!(
        "exit code: {}\n{}{}",
        output.status, output.stdout, output.stderr
    )
}

/// Runs `plancheck ARGS` in `dir` with an empty environment.
pub fn run_in(dir: &Path, args: &[impl AsRef<OsStr>]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .output()
        .unwrap();
    Output {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// The repository root, for tests of shipped files.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The results of a JSON report as (metric, period, verdict) triples.
pub fn verdicts(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["metric"].as_str().unwrap().to_owned(),
                r["period"].as_str().unwrap_or("-").to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The result for `metric` in a JSON report.
pub fn result<'a>(json: &'a serde_json::Value, metric: &str) -> &'a serde_json::Value {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == metric)
        .unwrap_or_else(|| panic!("no result for {metric}"))
}

/// Diagnostic codes of a JSON report, in order.
pub fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

/// (name, tests, failures, errors, skipped) of every `<testsuite>` of a JUnit report.
pub fn suite_counts(xml: &str) -> Vec<(String, String, String, String, String)> {
    let attribute = |line: &str, name: &str| {
        let start = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let len = line[start..].find('"').unwrap();
        line[start..start + len].to_owned()
    };
    xml.lines()
        .filter(|l| l.trim_start().starts_with("<testsuite "))
        .map(|l| {
            (
                attribute(l, "name"),
                attribute(l, "tests"),
                attribute(l, "failures"),
                attribute(l, "errors"),
                attribute(l, "skipped"),
            )
        })
        .collect()
}

/// `suite_counts` rows from string literals.
pub fn suites<const N: usize>(
    rows: [(&str, &str, &str, &str, &str); N],
) -> [(String, String, String, String, String); N] {
    rows.map(|(a, b, c, d, e)| (a.into(), b.into(), c.into(), d.into(), e.into()))
}
