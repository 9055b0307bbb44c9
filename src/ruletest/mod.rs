//! Rule tests (`plancheck test`): small submissions kept beside the rules, with the verdict
//! and severity each rule must get for them, as `opa test` and `conftest verify` keep policy
//! tests beside policies. A rule edited by mistake then fails a test before it fails a year
//! of reports.
//!
//! Each case is checked on its own, through the same evaluation as `check`. A failed
//! expectation is a finding at its `expect` line; the test files are the run's data files, so
//! reports draw them like any submission.

mod syntax;

pub use syntax::{parse, Case, Expect, Inline, SyntaxError};

use crate::diagnostic::{Finding, Kind, Label, Loc, Severity};
use crate::eval::{self, CheckOptions, RuleResult};
use crate::load::{self, Format, LoadedFile};
use crate::model::Plan;
use crate::source::{DataFileId, DataLoc, Span};
use std::path::{Path, PathBuf};

/// What running the tests of some files gave.
#[derive(Debug, Default)]
pub struct Run {
    pub cases: usize,
    pub expectations: usize,
    pub failed: usize,
    /// Failures and broken test files, pointing into the test file of the same index.
    pub findings: Vec<Finding>,
}

fn at(file: DataFileId, span: Span) -> Loc {
    Loc::Data(DataLoc {
        file,
        span,
        cell: None,
    })
}

fn broken(
    file: DataFileId,
    code: &'static str,
    message: String,
    help: &str,
    span: Span,
) -> Finding {
    let label = match code {
        "plancheck::test::syntax" => "无法识别",
        "plancheck::test::unknown-metric" => "没有规则检查这一指标",
        _ => "数据无法读取",
    };
    Finding {
        code,
        severity: Severity::Error,
        kind: Kind::Input,
        message,
        help: Some(help.to_owned()),
        labels: vec![Label {
            loc: at(file, span),
            text: label.to_owned(),
        }],
    }
}

/// Runs the tests of `files` (index = `DataFileId`) against `plan`.
pub fn run(plan: &Plan, files: &[PathBuf]) -> Run {
    let mut run = Run::default();
    for (i, path) in files.iter().enumerate() {
        let id = DataFileId(i);
        // Through the file policy: a FIFO or an oversized file is refused, never read.
        let text = match crate::files::read_text(path) {
            Ok(text) => crate::source::normalize_newlines(&text).into_owned(),
            Err(e) => {
                run.findings.push(Finding {
                    code: "plancheck::test::io",
                    severity: Severity::Error,
                    kind: Kind::Input,
                    message: format!("无法读取测试文件 {}：{e}", path.display()),
                    help: None,
                    labels: Vec::new(),
                });
                continue;
            }
        };
        match parse(&text) {
            Ok(cases) => {
                for case in &cases {
                    run_case(plan, id, path, case, &mut run);
                }
            }
            Err(error) => run.findings.push(broken(
                id,
                "plancheck::test::syntax",
                error.message,
                error.help,
                error.span,
            )),
        }
    }
    run
}

/// A submission file of a case: one on disk, or an inline one written as YAML.
enum DataSource {
    Path(PathBuf),
    Yaml(String),
}

fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn inline_yaml(data: &Inline) -> String {
    let mut yaml = format!(
        "reporter: {}\nperiod: {}\nfigures:\n",
        yaml_string(&data.reporter),
        yaml_string(&data.period)
    );
    for (metric, value) in &data.figures {
        yaml.push_str(&format!("  {}: {value}\n", yaml_string(metric)));
    }
    yaml
}

fn run_case(plan: &Plan, id: DataFileId, path: &Path, case: &Case, run: &mut Run) {
    run.cases += 1;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut sources = Vec::new();
    for (file, span) in &case.files {
        let data = base.join(file);
        if !data.is_file() {
            run.findings.push(broken(
                id,
                "plancheck::test::data",
                format!("找不到数据文件 {}", data.display()),
                "file 的路径相对于测试文件所在目录",
                span.clone(),
            ));
            return;
        }
        sources.push((DataSource::Path(data), span.clone()));
    }
    for data in &case.data {
        sources.push((DataSource::Yaml(inline_yaml(data)), data.span.clone()));
    }
    // Each source is loaded once: checked here, then handed to the check.
    let loaded: Vec<LoadedFile> = sources
        .iter()
        .enumerate()
        .map(|(i, (source, _))| match source {
            DataSource::Path(path) => load::load_file(DataFileId(i), path),
            DataSource::Yaml(text) => load::load_text(DataFileId(i), Format::Yaml, text),
        })
        .collect();
    // Data that does not load would make every expectation fail for the wrong reason.
    for (file, (_, span)) in loaded.iter().zip(&sources) {
        if let Some(error) = file.errors.first() {
            run.findings.push(broken(
                id,
                "plancheck::test::data",
                format!("测试“{}”的数据无法读取：{error}", case.name),
                "data 下每行写作 指标: 数值，数值的写法与 YAML 填报文件相同，例如 200、\"92.3%\"、done",
                span.clone(),
            ));
            return;
        }
    }
    let options = CheckOptions {
        as_of: case.as_of,
        ..CheckOptions::default()
    };
    let load = |file: DataFileId| loaded.get(file.0).cloned().unwrap_or_default();
    let outcome = eval::check_with(plan, sources.len(), options, load);
    for expect in &case.expects {
        run.expectations += 1;
        check_expect(plan, id, case, expect, &outcome.results, run);
    }
}

fn check_expect(
    plan: &Plan,
    id: DataFileId,
    case: &Case,
    expect: &Expect,
    results: &[RuleResult],
    run: &mut Run,
) {
    let rules: Vec<usize> = plan
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.metric == expect.metric)
        .map(|(i, _)| i)
        .collect();
    if rules.is_empty() {
        run.failed += 1;
        run.findings.push(broken(
            id,
            "plancheck::test::unknown-metric",
            format!(
                "测试“{}”预期的指标“{}”没有规则检查",
                case.name, expect.metric
            ),
            "expect 后写计划中某条规则的指标名称，与规则中的写法一致",
            expect.span.clone(),
        ));
        return;
    }
    for rule_index in rules {
        // The latest period of the rule: results are in period order.
        let got = results.iter().rfind(|r| r.rule.0 == rule_index);
        let verdict = got.map(|r| r.verdict);
        let severity = got.and_then(|r| r.severity);
        let severity_ok = expect.severity.is_none() || expect.severity == severity;
        if verdict == Some(expect.verdict) && severity_ok {
            continue;
        }
        run.failed += 1;
        let describe = |v: Option<eval::Verdict>, s: Option<Severity>| {
            let v = v.map_or("（无结果）", eval::Verdict::as_str);
            match s {
                Some(s) => format!("{v} {}", s.as_str()),
                None => v.to_owned(),
            }
        };
        let mut labels = vec![Label {
            loc: at(id, expect.span.clone()),
            text: format!("实际为 {}", describe(verdict, severity)),
        }];
        if let Some(rule) = plan.rules.get(rule_index) {
            labels.push(Label {
                loc: Loc::Rule(rule.target_loc.clone()),
                text: "规则".to_owned(),
            });
        }
        run.findings.push(Finding {
            code: "plancheck::test::failed",
            severity: Severity::Error,
            kind: Kind::Check,
            message: format!(
                "测试“{}”未通过：{} 预期为 {}，实际为 {}",
                case.name,
                expect.metric,
                describe(Some(expect.verdict), expect.severity),
                describe(verdict, severity)
            ),
            help: Some("核对规则与测试：规则改错了就改规则，预期写错了就改测试".to_owned()),
            labels,
        });
    }
}
