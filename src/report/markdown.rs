//! The Markdown report: a job summary (`$GITHUB_STEP_SUMMARY`) taken in at a glance.
//!
//! A status line, the counts, tables by lead unit and by task with status marks, then every
//! failing target with target against actual and where it was reported.

use super::summary::{count_findings, summarize, Counts};
use super::Context;
use crate::diagnostic::{Finding, Loc, Severity};
use crate::eval::{describe_value, Verdict};
use std::borrow::Borrow;
use std::fmt::Write as _;

/// GitHub drops a job summary larger than 1 MiB whole; the details stop short of it.
pub const BUDGET: usize = 1_000_000;

/// Room kept for what follows a cut section: its note, the closing tags, the next heading.
const RESERVE: usize = 4_096;

/// Makes text safe inside a table cell or a list item: no HTML, no Markdown syntax, no line
/// break, no hidden character (see `escape::markdown`).
fn cell(text: &str) -> String {
    super::escape::markdown(text)
}

/// A code span; see `escape::markdown_code`.
fn code(text: &str) -> String {
    super::escape::markdown_code(text).replace('|', "\\|")
}

fn counts_row(out: &mut String, name: &str, counts: &Counts, columns: &[Verdict]) {
    let _ = write!(out, "| {} | {} |", counts.mark(), cell(name));
    for verdict in columns {
        let _ = write!(out, " {} |", counts.get(*verdict));
    }
    let rate = counts.on_course_percent().unwrap_or(0);
    let _ = writeln!(out, " {rate}% |");
}

fn counts_table<S: Borrow<str>>(
    out: &mut String,
    title: &str,
    rows: &[(S, Counts)],
    columns: &[Verdict],
) {
    let names: Vec<&str> = columns.iter().map(|v| v.chinese()).collect();
    let _ = writeln!(out, "| | {title} | {} | 达标率 |", names.join(" | "));
    let _ = writeln!(out, "|---|---|{}---:|", "---:|".repeat(columns.len()));
    for (name, counts) in rows {
        counts_row(out, name.borrow(), counts, columns);
    }
    out.push('\n');
}

/// The status the policy step decided (`Outcome::exit_code`), in words that agree with it
/// under every `--fail-on`: errors that do not fail the run are said not to.
fn status_line(ctx: &Context<'_>, errors: usize, warnings: usize) -> String {
    match ctx.outcome.exit_code() {
        2 => "🛑 **输入有误**：规则或填报文件无法读取，结果不完整".to_owned(),
        1 if errors > 0 => format!("❌ **{errors} 项错误**，{warnings} 项警告"),
        1 => format!("❌ **{warnings} 项警告**（`--fail-on warning`：警告也判为失败）"),
        _ if errors > 0 => {
            format!("⚠️ **{errors} 项错误**，{warnings} 项警告（`--fail-on never`：不判为失败）")
        }
        _ if warnings > 0 => format!("⚠️ **无错误**，{warnings} 项警告"),
        _ => "✅ **全部达标**".to_owned(),
    }
}

/// ❌ for an error, ⚠️ for a warning.
fn mark(severity: Option<Severity>) -> &'static str {
    if severity == Some(Severity::Error) {
        "❌"
    } else {
        "⚠️"
    }
}

fn location(ctx: &Context<'_>, finding: &Finding, positions: &super::Positions) -> String {
    let Some(label) = finding.labels.first() else {
        return String::new();
    };
    let line = positions.get(&label.loc).map_or(1, |p| p.line);
    match &label.loc {
        Loc::Data(d) if d.cell.is_some() => format!(
            "{} {}",
            code(&ctx.path_of(&label.loc)),
            cell(d.cell.as_deref().unwrap_or(""))
        ),
        loc => code(&format!("{}:{line}", ctx.path_of(loc))),
    }
}

/// A collapsible section: the summary counts what it holds.
fn open_details(out: &mut String, count: usize) {
    let _ = writeln!(out, "<details><summary>共 {count} 项</summary>\n");
}

fn close_details(out: &mut String) {
    out.push_str("\n</details>\n\n");
}

/// Appends `rows` while the summary stays within `BUDGET` (less room for what follows), then a
/// note of how many were left out. A table's note goes after a blank line, so it is no row.
fn push_within_budget(
    out: &mut String,
    rows: impl Iterator<Item = String>,
    total: usize,
    table: bool,
) {
    let mut shown = 0;
    for row in rows {
        if out.len() + row.len() + RESERVE > BUDGET {
            break;
        }
        out.push_str(&row);
        shown += 1;
    }
    if shown < total {
        if table {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "另有 {} 项未列出：任务摘要不能超过 1 MiB，完整结果见 JSON 报告（`plancheck::report::truncated`）",
            total - shown
        );
    }
}

/// Renders the job summary.
pub fn render(ctx: &Context<'_>) -> String {
    let plan = ctx.plan;
    let outcome = ctx.outcome;
    let summary = summarize(plan, outcome);
    let findings = count_findings(outcome);
    let positions = ctx.all_positions();

    let mut out = String::new();
    let title = plan
        .header
        .as_ref()
        .map_or("plancheck", |h| h.title.as_str());
    let _ = writeln!(out, "## {}\n", cell(title));
    let _ = writeln!(
        out,
        "{}\n",
        status_line(ctx, findings.errors, findings.warnings)
    );
    let total = &summary.total;
    let columns = total.columns();
    let counts: Vec<String> = columns
        .iter()
        .map(|v| format!("{} **{}**", v.chinese(), total.get(*v)))
        .collect();
    let _ = writeln!(
        out,
        "规则 {} 条 · 填报 {} 份 · 数值 {} 个 · 结果 {} 项：{}\n",
        plan.rules.len(),
        outcome.submissions,
        outcome.figures,
        total.total(),
        counts.join(" · ")
    );
    if !summary.by_unit.is_empty() && total.total() > 0 {
        let _ = writeln!(out, "### 按牵头单位\n");
        counts_table(&mut out, "单位", &summary.by_unit, &columns);
        let tasks: Vec<(String, Counts)> = summary
            .by_task
            .iter()
            .filter_map(|(id, counts)| {
                let task = plan.task(*id)?;
                Some((
                    format!("{} {}{}", task.number, task.title, super::leader_note(task)),
                    *counts,
                ))
            })
            .collect();
        let _ = writeln!(out, "### 按任务\n");
        counts_table(&mut out, "任务", &tasks, &columns);
    }

    let failing: Vec<_> = outcome
        .results
        .iter()
        .filter(|r| r.verdict.fails())
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(out, "### 滞后、逾期、未达标、未报送与无效\n");
        open_details(&mut out, failing.len());
        let _ = writeln!(
            out,
            "| | 任务 | 指标 | 目标 | 报送值 | 结论 | 报送单位 | 期间 | 位置 |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
        let rows = failing.iter().filter_map(|result| {
            let rule = plan.rule(result.rule)?;
            let task = plan.task(rule.task).map_or(0, |t| t.number);
            let mark = mark(result.severity);
            let actual = result
                .reported
                .as_ref()
                .map_or_else(|| "—".to_owned(), describe_value);
            let reporter = result
                .reporter
                .clone()
                .unwrap_or_else(|| crate::eval::units_list(plan.responsible(rule)));
            let place = result
                .finding
                .as_ref()
                .map(|f| location(ctx, f, &positions))
                .unwrap_or_default();
            Some(format!(
                "| {mark} | {task} | {} | {} | {} | {} | {} | {} | {place} |\n",
                cell(&rule.metric),
                code(&rule.target.to_string()),
                cell(&actual),
                result.verdict.chinese(),
                cell(&reporter),
                result.period.map(|p| p.to_string()).unwrap_or_default(),
            ))
        });
        push_within_budget(&mut out, rows, failing.len(), true);
        close_details(&mut out);
    }

    if !outcome.waivers.is_empty() {
        let _ = writeln!(out, "### 情况说明\n");
        for line in crate::waivers::lines(&outcome.waivers) {
            let _ = writeln!(out, "- {}", cell(&line));
        }
        out.push('\n');
    }

    if !outcome.findings.is_empty() {
        let _ = writeln!(out, "### 其他问题\n");
        open_details(&mut out, outcome.findings.len());
        let rows = outcome.findings.iter().map(|finding| {
            format!(
                "- {} {} {} — `{}`\n",
                mark(Some(finding.severity)),
                cell(&finding.message),
                location(ctx, finding, &positions),
                finding.code
            )
        });
        push_within_budget(&mut out, rows, outcome.findings.len(), false);
        close_details(&mut out);
    }
    out
}
