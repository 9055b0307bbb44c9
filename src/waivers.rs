//! Waivers: accepted explanations (情况说明) of a lagging figure, applied as a pass over the
//! results once evaluation is done.
//!
//! A waiver names one rule (by its metric), period and reporter, and, when several plans are
//! checked, the plan. A `behind`, `unmet` or `overdue` result it covers becomes `waived`
//! (已说明): counted on its own and failing nothing until the waiver expires. `missing` and
//! `invalid` are never waived: a figure that was not reported is still not reported. Expired,
//! unused and refused waivers are warnings. The human, Markdown, JSON and HTML reports list the
//! waivers of the run; the CI formats (SARIF, JUnit, annotations) carry the waiver warnings
//! but do not list the waivers.

use crate::diagnostic::{Finding, Kind, Severity};
use crate::eval::{Outcome, Verdict};
use crate::model::Plan;
use crate::period::Period;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One accepted explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The file it was read from, as found.
    pub file: String,
    pub plan: Option<String>,
    /// The metric of the rule.
    pub rule: String,
    pub period: Period,
    pub reporter: String,
    pub reason: String,
    /// The office that accepted the explanation.
    pub office: String,
    /// The last day it stands.
    pub expires: Date,
}

/// What became of a waiver in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It turned this many failing results into `waived`.
    Applied(usize),
    /// Its expiry date is before the evaluation date: it waives nothing.
    Expired,
    /// It covers only a `missing` or `invalid` result, which cannot be waived.
    Refused,
    /// No failing result matches it.
    Unused,
}

impl Status {
    /// The word reports show.
    pub fn chinese(self) -> &'static str {
        match self {
            Status::Applied(_) => "已采纳",
            Status::Expired => "已过期",
            Status::Refused => "不予采纳",
            Status::Unused => "未使用",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied(_) => "applied",
            Status::Expired => "expired",
            Status::Refused => "refused",
            Status::Unused => "unused",
        }
    }
}

/// A waiver and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverUse {
    pub waiver: Waiver,
    pub status: Status,
}

/// A waiver file: one waiver, or a list of them (`plancheck schema waiver`).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum WaiverFile {
    One(WaiverEntry),
    Many(Vec<WaiverEntry>),
}

/// One accepted explanation of a lagging figure.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct WaiverEntry {
    /// The plan's id; required when several plans are checked in one run.
    pub plan: Option<String>,
    /// The metric of the rule, as the plan writes it: "新增城镇就业".
    pub rule: String,
    /// The reporting period: "2023-H1", "2023-Q3", "2023".
    pub period: String,
    /// The unit that reported the figure.
    pub reporter: String,
    /// Why the figure lags (情况说明).
    pub reason: String,
    /// The office that accepted the explanation.
    pub office: String,
    /// The last day the waiver stands: YYYY-MM-DD.
    pub expires: String,
}

/// The JSON Schema of a waiver file, as committed in `schemas/waiver.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(WaiverFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Where waivers are looked for when `--waivers` is not given: the `waivers` folder beside
/// the rules folder (`rules/` and `waivers/` side by side).
pub fn default_folder(rules: &Path) -> PathBuf {
    let beside = rules.parent().unwrap_or_else(|| Path::new(""));
    beside.join("waivers")
}

/// Reads every `*.yaml`/`*.yml` file of `folder`, in path order. A missing folder holds no
/// waivers unless it was asked for (`required`).
pub fn read_folder(folder: &Path, required: bool) -> (Vec<Waiver>, Vec<Finding>) {
    let mut findings = Vec::new();
    if !folder.exists() {
        if required {
            findings.push(Finding {
                code: "plancheck::waiver::invalid",
                severity: Severity::Error,
                kind: Kind::Input,
                message: format!("找不到情况说明文件夹 {}", folder.display()),
                help: Some("--waivers 指向存放 *.yaml 情况说明文件的文件夹".to_owned()),
                labels: Vec::new(),
            });
        }
        return (Vec::new(), findings);
    }
    let is_yaml = |p: &Path| p.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let walk = crate::files::walk::walk(&[folder.to_path_buf()], &is_yaml);
    findings.extend(walk.findings);
    let mut waivers = Vec::new();
    for path in walk.files {
        match crate::files::read_text(&path) {
            Ok(text) => {
                let (read, problems) = crate::load::waiver::read_waivers(&path, &text);
                waivers.extend(read);
                findings.extend(problems);
            }
            Err(reason) => findings.push(Finding {
                code: "plancheck::waiver::invalid",
                severity: Severity::Error,
                kind: Kind::Input,
                message: format!("无法读取情况说明文件 {}：{reason}", path.display()),
                help: None,
                labels: Vec::new(),
            }),
        }
    }
    (waivers, findings)
}

fn warning(code: &'static str, message: String, help: &str) -> Finding {
    Finding {
        code,
        severity: Severity::Warning,
        kind: Kind::Check,
        message,
        help: Some(help.to_owned()),
        labels: Vec::new(),
    }
}

/// `waiver.plan/rule/reporter/period`, as messages name it.
fn describe(w: &Waiver) -> String {
    let plan = w
        .plan
        .as_deref()
        .map(|p| format!("{p} "))
        .unwrap_or_default();
    format!("{plan}{} {} {}（{}）", w.rule, w.reporter, w.period, w.file)
}

/// One line per waiver for the reports people read: `济宁市 城镇调查失业率 市人力资源社会保障局
/// 2023-H1：已采纳（市政府督查室，有效至 2023-12-31）受外部需求回落影响…`.
pub fn lines(uses: &[WaiverUse]) -> Vec<String> {
    uses.iter()
        .map(|u| {
            let w = &u.waiver;
            let plan = w
                .plan
                .as_deref()
                .map(|p| format!("{p} "))
                .unwrap_or_default();
            format!(
                "{plan}{} {} {}：{}（{}，有效至 {}）{}",
                w.rule,
                w.reporter,
                w.period,
                u.status.chinese(),
                w.office,
                w.expires,
                w.reason
            )
        })
        .collect()
}

/// Applies `waivers` to the results of `outcome`, as at its evaluation date, and records what
/// became of each in `outcome.waivers`.
pub fn apply(plan: &Plan, outcome: &mut Outcome, waivers: Vec<Waiver>, deny_warnings: bool) {
    let as_of = outcome.as_of;
    // In a run of several plans a unit's name is only known within its plan.
    let several_plans = plan.tasks.iter().any(|t| t.plan.is_some());
    for waiver in waivers {
        if several_plans && waiver.plan.is_none() {
            outcome.findings.push(Finding {
                code: "plancheck::waiver::invalid",
                severity: Severity::Error,
                kind: Kind::Input,
                message: format!(
                    "情况说明没有写所属计划：{}；同时检查多个计划时不能确定它说明的是哪个计划",
                    describe(&waiver)
                ),
                help: Some("加一行 plan: 计划编号，例如 plan: 兖州区".to_owned()),
                labels: Vec::new(),
            });
            continue;
        }
        // Units of a plan in a run of several are named `［plan］unit` (`plans::merge`).
        let scoped = waiver
            .plan
            .as_ref()
            .map(|p| format!("［{p}］{}", waiver.reporter));
        let expired = as_of.is_some_and(|d| d > waiver.expires);
        let mut applied = 0;
        let mut refused = false;
        for result in &mut outcome.results {
            let Some(rule) = plan.rule(result.rule) else {
                continue;
            };
            let task_plan = plan.task(rule.task).and_then(|t| t.plan.as_deref());
            let plan_matches = match (&waiver.plan, task_plan) {
                (Some(w), Some(t)) => w == t,
                _ => true,
            };
            let reporter_matches = match &result.reporter {
                Some(r) => *r == waiver.reporter,
                None => plan
                    .responsible(rule)
                    .iter()
                    .any(|u| **u == *waiver.reporter || scoped.as_deref() == Some(&**u)),
            };
            if !(plan_matches
                && rule.metric == waiver.rule
                && result.period == Some(waiver.period)
                && reporter_matches)
            {
                continue;
            }
            match result.verdict {
                Verdict::Behind | Verdict::Unmet | Verdict::Overdue if !expired => {
                    result.verdict = Verdict::Waived;
                    result.severity = None;
                    result.finding = None;
                    applied += 1;
                }
                Verdict::Missing | Verdict::Invalid => refused = true,
                _ => {}
            }
        }
        let status = if expired {
            Status::Expired
        } else if applied > 0 {
            Status::Applied(applied)
        } else if refused {
            Status::Refused
        } else {
            Status::Unused
        };
        let finding = match status {
            Status::Expired => Some(warning(
                "plancheck::waiver::expired",
                format!(
                    "情况说明已过期：{}，{} 到期，不再豁免",
                    describe(&waiver),
                    waiver.expires
                ),
                "请批准机关续期，或删除该情况说明文件",
            )),
            Status::Refused => Some(warning(
                "plancheck::waiver::refused",
                format!(
                    "情况说明不予采纳：{} 未报送或数值无效，不能以情况说明代替填报",
                    describe(&waiver)
                ),
                "未报送、无效的数值须补报或改正；情况说明只适用于滞后、未达标、逾期",
            )),
            Status::Unused => Some(warning(
                "plancheck::waiver::unused",
                format!("情况说明未使用：{} 没有需要说明的结果", describe(&waiver)),
                "检查指标、期间、填报单位是否写对；不再需要的情况说明可以删除",
            )),
            Status::Applied(_) => None,
        };
        if let Some(mut finding) = finding {
            if deny_warnings {
                finding.severity = Severity::Error;
            }
            outcome.findings.push(finding);
        }
        outcome.waivers.push(WaiverUse { waiver, status });
    }
}
