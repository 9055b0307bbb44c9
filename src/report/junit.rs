//! JUnit XML, as the Apache Ant schema (`JUnit.xsd`) describes it and most CI servers read it.
//!
//! `<testsuites>` holds one `<testsuite>` per task, in task-number order, with one `<testcase>`
//! per rule and period, named by the rule's metric and the period only (never a line number,
//! so a testcase's history survives edits of the files): met passes, unmet and missing are
//! `<failure>`s, invalid is an `<error>` (the figure could not be judged at all). Findings that
//! are no rule's result (broken input, unknown metrics, …) form one more suite after the tasks,
//! named by summary, file and message, so a run whose rules do not even parse is never an
//! empty, green report.
//!
//! A case fails only if its finding fails the run (`Outcome::fails`, the policy step's
//! decision), so CI views agree with the exit code: a missed strive target (力争), a warning,
//! is `<skipped>` with the finding as its message while the run exits 0, and a `<failure>`
//! under `--deny warnings` or `--fail-on warning`. Broken input is always an `<error>`.
//!
//! The schema requires attributes a check run has no honest value for; they are fixed so the
//! same input gives byte-identical output: `time="0"`, `hostname="localhost"` (the schema's own
//! advice when the host is unknown), and a `timestamp` that is the start of the plan's period
//! (1970-01-01 when the plan states none), which sorts reports of successive periods correctly.

use super::{escape, Context, Positions};
use crate::codes;
use crate::diagnostic::{Finding, Kind, Loc};
use crate::eval::{describe_value, RuleResult, Verdict};
use crate::model::{Task, TaskId};
use crate::period::Period;
use crate::source::DataLoc;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How a testcase ended.
enum CaseOutcome<'o> {
    Passed,
    /// Judged and not met: unmet or missing.
    Failure {
        kind: &'o str,
        finding: &'o Finding,
        details: String,
    },
    /// Could not be judged: an invalid figure, broken input.
    Error {
        kind: &'o str,
        finding: &'o Finding,
        details: String,
    },
    /// Not due yet: a milestone pending before its deadline.
    Skipped {
        message: String,
    },
}

struct Case<'o> {
    classname: String,
    name: String,
    outcome: CaseOutcome<'o>,
}

struct Suite<'o> {
    name: String,
    properties: Vec<(&'static str, String)>,
    cases: Vec<Case<'o>>,
}

/// Renders the outcome of `ctx` as a JUnit XML document.
pub fn render(ctx: &Context<'_>) -> String {
    let positions = ctx.all_positions();
    let mut suites = task_suites(ctx, &positions);
    suites.extend(other_suite(ctx, &positions));

    let package = ctx
        .plan
        .header
        .as_ref()
        .map_or("plancheck", |h| h.title.as_str());
    let timestamp = timestamp(ctx.plan.period());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (id, suite) in suites.iter().enumerate() {
        write_suite(&mut out, id, package, &timestamp, suite);
    }
    out.push_str("</testsuites>\n");
    out
}

fn task_suites<'o>(ctx: &Context<'o>, positions: &Positions) -> Vec<Suite<'o>> {
    let plan = ctx.plan;
    let mut by_task: BTreeMap<TaskId, Vec<&RuleResult>> = BTreeMap::new();
    for result in &ctx.outcome.results {
        if let Some(rule) = plan.rule(result.rule) {
            by_task.entry(rule.task).or_default().push(result);
        }
    }
    let mut tasks: Vec<(TaskId, &Task)> = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (TaskId(i), t))
        .collect();
    tasks.sort_by_key(|(id, task)| (task.plan_rank, task.number, *id));
    tasks
        .into_iter()
        .map(|(id, task)| {
            let name = format!("任务{} {}", task.number, task.title);
            let cases = by_task
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|result| rule_case(ctx, positions, &name, result))
                .collect();
            Suite {
                properties: vec![
                    ("task", task.number.to_string()),
                    ("lead", crate::eval::units_list(&task.leads)),
                ],
                name,
                cases,
            }
        })
        .collect()
}

fn deadline_text(ctx: &Context<'_>, rule: &crate::model::Rule) -> String {
    ctx.plan
        .period()
        .map(|p| crate::eval::time::deadline(rule, p).to_string())
        .unwrap_or_default()
}

fn rule_case<'o>(
    ctx: &Context<'o>,
    positions: &Positions,
    classname: &str,
    result: &'o RuleResult,
) -> Option<Case<'o>> {
    let rule = ctx.plan.rule(result.rule)?;
    let name = match result.period {
        Some(period) => format!("{} {period}", rule.metric),
        None => rule.metric.clone(),
    };
    let outcome = match (&result.finding, result.verdict) {
        (_, Verdict::Pending) => CaseOutcome::Skipped {
            message: format!("待完成：截止 {}", deadline_text(ctx, rule)),
        },
        (None, _) | (_, Verdict::Met) => CaseOutcome::Passed,
        (Some(finding), verdict) if !ctx.outcome.fails(finding) => CaseOutcome::Skipped {
            message: format!(
                "{}（警告，不影响退出码）：{}",
                verdict.chinese(),
                finding.message
            ),
        },
        (Some(finding), verdict) => {
            let actual = match (&result.reported, &result.reporter) {
                (Some(value), Some(reporter)) => {
                    format!("{}（{reporter}报送）", describe_value(value))
                }
                _ => "未报送".to_owned(),
            };
            let mut details = format!(
                "目标：{} {}\n实际：{}\n",
                rule.strength.word(),
                rule.target,
                escape::line(&actual)
            );
            if let Some(figure) = &result.figure {
                let _ = writeln!(
                    details,
                    "填报位置：{}",
                    place(ctx, positions, &Loc::Data(figure.clone()))
                );
            }
            let _ = writeln!(
                details,
                "规则位置：{}",
                place(ctx, positions, &Loc::Rule(rule.loc.clone()))
            );
            details.push_str(&finding_details(finding));
            let kind = verdict.as_str();
            match verdict {
                Verdict::Invalid => CaseOutcome::Error {
                    kind,
                    finding,
                    details,
                },
                _ => CaseOutcome::Failure {
                    kind,
                    finding,
                    details,
                },
            }
        }
    };
    Some(Case {
        classname: classname.to_owned(),
        name,
        outcome,
    })
}

/// Findings that are no rule's result, one testcase each, named after what and where.
fn other_suite<'o>(ctx: &Context<'o>, positions: &Positions) -> Option<Suite<'o>> {
    let findings = &ctx.outcome.findings;
    if findings.is_empty() {
        return None;
    }
    let name = "其他问题".to_owned();
    let cases = findings
        .iter()
        .map(|finding| {
            let summary = codes::lookup(finding.code).map_or(finding.code, |c| c.summary);
            let mut details = String::new();
            for label in &finding.labels {
                let _ = writeln!(
                    details,
                    "{}：{}",
                    place(ctx, positions, &label.loc),
                    escape::line(&label.text)
                );
            }
            details.push_str(&finding_details(finding));
            // No line number: the name must survive edits elsewhere in the file.
            let case_name = match finding.primary() {
                Some(loc) => format!("{summary} {}：{}", ctx.path_of(loc), finding.message),
                None => format!("{summary}：{}", finding.message),
            };
            let kind = finding.code;
            Case {
                classname: name.clone(),
                name: case_name,
                outcome: match finding.kind {
                    Kind::Input => CaseOutcome::Error {
                        kind,
                        finding,
                        details,
                    },
                    Kind::Check if !ctx.outcome.fails(finding) => CaseOutcome::Skipped {
                        message: format!("警告，不影响退出码：{}", finding.message),
                    },
                    Kind::Check => CaseOutcome::Failure {
                        kind,
                        finding,
                        details,
                    },
                },
            }
        })
        .collect();
    Some(Suite {
        name,
        properties: Vec::new(),
        cases,
    })
}

/// Severity, code and help: the lines every failure ends with.
fn finding_details(finding: &Finding) -> String {
    let mut details = format!(
        "级别：{}\n代码：{}\n",
        finding.severity.as_str(),
        finding.code
    );
    if let Some(help) = &finding.help {
        details.push_str(help);
        details.push('\n');
    }
    details
}

/// `data/eco.yaml:4:15`, columns in characters as in the JSON report; `data/2023.xlsx
/// 填报表!D3` in a workbook.
fn place(ctx: &Context<'_>, positions: &Positions, loc: &Loc) -> String {
    let path = ctx.path_of(loc);
    let path = escape::line(&path);
    match (loc, positions.get(loc)) {
        (
            Loc::Data(DataLoc {
                cell: Some(cell), ..
            }),
            _,
        ) => format!("{path} {cell}"),
        (_, Some(p)) => format!("{path}:{}:{}", p.line, p.column),
        (_, None) => path.into_owned(),
    }
}

/// The first moment of the plan's period, in the schema's `YYYY-MM-DDTHH:MM:SS` form.
fn timestamp(period: Option<Period>) -> String {
    let (year, month) = match period {
        Some(Period::Year(y)) => (y, 1),
        Some(Period::Half(y, h)) => (y, u32::from(h.saturating_sub(1)) * 6 + 1),
        Some(Period::Quarter(y, q)) => (y, u32::from(q.saturating_sub(1)) * 3 + 1),
        Some(Period::Month(y, m)) => (y, u32::from(m)),
        None => (1970, 1),
    };
    format!("{year:04}-{month:02}-01T00:00:00")
}

fn write_suite(out: &mut String, id: usize, package: &str, timestamp: &str, suite: &Suite<'_>) {
    let count = |pick: fn(&CaseOutcome<'_>) -> bool| {
        suite.cases.iter().filter(|c| pick(&c.outcome)).count()
    };
    let failures = count(|o| matches!(o, CaseOutcome::Failure { .. }));
    let errors = count(|o| matches!(o, CaseOutcome::Error { .. }));
    let skipped = count(|o| matches!(o, CaseOutcome::Skipped { .. }));
    let _ = writeln!(
        out,
        "  <testsuite id=\"{id}\" package=\"{}\" name=\"{}\" timestamp=\"{timestamp}\" hostname=\"localhost\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"0\">",
        attr(package),
        attr(&suite.name),
        suite.cases.len(),
    );
    if suite.properties.is_empty() {
        out.push_str("    <properties/>\n");
    } else {
        out.push_str("    <properties>\n");
        for (name, value) in &suite.properties {
            let _ = writeln!(
                out,
                "      <property name=\"{name}\" value=\"{}\"/>",
                attr(value)
            );
        }
        out.push_str("    </properties>\n");
    }
    for case in &suite.cases {
        write_case(out, case);
    }
    // The schema requires both, even empty.
    out.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n");
}

fn write_case(out: &mut String, case: &Case<'_>) {
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        attr(&case.classname),
        attr(&case.name)
    );
    let (element, kind, message, details) = match &case.outcome {
        CaseOutcome::Passed => {
            let _ = writeln!(out, "{open}/>");
            return;
        }
        CaseOutcome::Skipped { message } => {
            let _ = writeln!(
                out,
                "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(message)
            );
            return;
        }
        CaseOutcome::Failure {
            kind,
            finding,
            details,
        } => ("failure", kind, finding.message.as_str(), details),
        CaseOutcome::Error {
            kind,
            finding,
            details,
        } => ("error", kind, finding.message.as_str(), details),
    };
    let _ = writeln!(
        out,
        "{open}>\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    </testcase>",
        attr(message),
        attr(kind),
        text(details)
    );
}

/// Element text: markup characters escaped, control characters and bidi overrides a data file
/// might smuggle in shown as `\u{…}` (XML 1.0 forbids most of them, and a terminal would obey
/// them), everything else, CJK included, left as UTF-8. Line breaks in text from the input
/// were made visible before; those left are plancheck's own.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in escape::lines(value).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if allowed_in_xml(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// Attribute values: as text, plus quotes, and line breaks as references because a parser
/// would otherwise turn them into spaces.
fn attr(value: &str) -> String {
    text(value)
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(text("a<b>&c\n受\u{1}"), "a&lt;b&gt;&amp;c\n受\\u{1}");
        assert_eq!(attr("\"x\"\n'y'"), "&quot;x&quot;&#10;&apos;y&apos;");
    }

    #[test]
    fn timestamps_start_the_period() {
        assert_eq!(timestamp(Some(Period::Year(2023))), "2023-01-01T00:00:00");
        assert_eq!(
            timestamp(Some(Period::Half(2023, 2))),
            "2023-07-01T00:00:00"
        );
        assert_eq!(
            timestamp(Some(Period::Quarter(2023, 4))),
            "2023-10-01T00:00:00"
        );
        assert_eq!(
            timestamp(Some(Period::Month(2023, 6))),
            "2023-06-01T00:00:00"
        );
        assert_eq!(timestamp(None), "1970-01-01T00:00:00");
    }
}
