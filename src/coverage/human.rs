//! The human report of `plancheck coverage`: miette diagnostics on the source text and on the
//! rule files, the declared skips, then the summary.

use super::clauses::is_clause_break;
use super::{Coverage, NoSource, TaskCoverage};
use crate::model::Plan;
use crate::report::escape;
use crate::report::human::{pad, pad_left, Style};
use crate::report::snippet::{self, CharColumnSource, Excerpt, Indexed, Rendered, Window};
use crate::source::RuleLoc;
use miette::{GraphicalReportHandler, LabeledSpan};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// How many characters of the source line to show on each side of a statement, so that the
/// snippet fits the report's width: a task paragraph is one line of several hundred
/// characters. At least a few, however long the statement.
fn excerpt_context(statement: &str, width: usize) -> usize {
    // The gutter (` 27 │ `) and miette's indent take about ten columns; a Chinese character
    // takes two.
    let free = width.saturating_sub(10 + UnicodeWidthStr::width(statement));
    (free / 4).clamp(4, 24)
}

/// Renders a diagnostic, then `paste`: lines for a .plan file, after miette's own help and
/// never wrapped, so that a long quote can be copied whole.
/// Text from the plan and its source is escaped as in `check`'s report.
fn draw(out: &mut String, handler: &GraphicalReportHandler, shown: &Rendered, paste: &[String]) {
    let shown = Rendered {
        message: escape::line(&shown.message).into_owned(),
        code: shown.code,
        severity: shown.severity,
        help: shown.help.as_deref().map(|h| escape::lines(h).into_owned()),
        // An excerpt is escaped already; a whole text is escaped byte for byte, so that the
        // labels' spans still fit.
        source: shown.source.as_ref().map(|s| CharColumnSource {
            name: escape::line(&s.name).into_owned(),
            text: if s.lines.is_empty() {
                escape::same_length(&s.text).into_owned()
            } else {
                s.text.clone()
            },
            window: s.window,
            lines: s.lines.clone(),
        }),
        labels: shown.labels.clone(),
    };
    snippet::draw(out, handler, &shown, shown.code.unwrap_or_default());
    for line in paste {
        let _ = writeln!(out, "        {}", escape::line(line));
    }
    out.push('\n');
}

/// The lines of a rule file around `loc`, a long line cut around it, with `label` on it.
fn rule_file_excerpt(
    plan: &Plan,
    loc: &RuleLoc,
    label: &str,
) -> (Option<CharColumnSource>, Vec<LabeledSpan>) {
    let Some(file) = plan.files.get(loc.file.0) else {
        return (None, Vec::new());
    };
    let file = Indexed::new(file.path.clone(), file.text.clone());
    let span = crate::source::clamp_span(&file.text, &loc.span);
    let column = file
        .columns(&std::iter::once(span.start).collect())
        .first()
        .map_or(0, |(_, column)| *column);
    let (source, moved) = Excerpt::build(
        &file,
        escape::line(&file.path).into_owned(),
        &[(span, column)],
    );
    let labels = moved
        .into_iter()
        .map(|span| LabeledSpan::new_with_span(Some(label.to_owned()), span))
        .collect();
    (Some(source), labels)
}

fn task_name(coverage: &Coverage, number: u32) -> String {
    match coverage.tasks.iter().find(|t| t.number == number) {
        Some(task) if !task.title.is_empty() => format!("任务{number}「{}」", task.title),
        _ => format!("任务{number}"),
    }
}

/// The human report: a diagnostic per uncovered statement (on the source text) and per rule
/// without a quote (on the rule file), the declared skips, then the summary.
pub fn render_human(coverage: &Coverage, plan: &Plan, style: Style) -> String {
    let handler = snippet::handler(style);
    let source_text = plan
        .header
        .as_ref()
        .and_then(|h| h.source.as_ref())
        .map(|s| s.text.clone())
        .unwrap_or_default();
    let mut out = String::new();
    for statement in coverage.uncovered() {
        let quoted = crate::fmt::string_literal(&statement.quote);
        let shown = Rendered {
            message: format!("{}的目标没有规则引用", task_name(coverage, statement.task)),
            code: Some("plancheck::coverage::uncovered"),
            severity: miette::Severity::Error,
            help: Some("写一条规则并引用这句原文：".to_owned()),
            source: Some(CharColumnSource {
                name: coverage.source.clone(),
                text: source_text.clone(),
                window: Some(Window {
                    chars: excerpt_context(&statement.text, style.width),
                    breaks: is_clause_break,
                }),
                lines: Vec::new(),
            }),
            labels: vec![LabeledSpan::new_with_span(
                Some("没有规则引用此处".to_owned()),
                statement.span.clone(),
            )],
        };
        let paste = [
            format!("  from {quoted}"),
            "或声明不予检查并写明原因：".to_owned(),
            format!("  skip {quoted} because \"…\""),
        ];
        draw(&mut out, &handler, &shown, &paste);
    }
    for rule in &coverage.uncited_rules {
        let (source, labels) = rule_file_excerpt(plan, &rule.place.loc, "没有 from 引文");
        let shown = Rendered {
            message: format!("规则“{}”没有引用原文", rule.metric),
            code: Some("plancheck::coverage::uncited-rule"),
            severity: miette::Severity::Error,
            help: Some(format!(
                "在规则下加一行 from \"…\"，引用它所依据的原文句子（{}）",
                coverage.source
            )),
            source,
            labels,
        };
        draw(&mut out, &handler, &shown, &[]);
    }
    for missing in &coverage.quotes_not_found {
        let (source, labels) = rule_file_excerpt(plan, &missing.place.loc, "原文中找不到这句话");
        let shown = Rendered {
            message: "引文不在原文中".to_owned(),
            code: Some("plancheck::plan::quote-not-found"),
            severity: miette::Severity::Error,
            help: Some("引文须与原文逐字一致，包括标点和数字".to_owned()),
            source,
            labels,
        };
        draw(&mut out, &handler, &shown, &[]);
    }
    if !coverage.skips.is_empty() {
        let _ = writeln!(out, "已声明不予检查 {} 处：", coverage.skips.len());
        for skip in &coverage.skips {
            let task = skip.task.map_or_else(String::new, |n| format!("任务{n}"));
            let _ = writeln!(
                out,
                "  {task}「{}」：{}",
                escape::line(&skip.quote),
                escape::line(&skip.reason)
            );
        }
        out.push('\n');
    }
    out.push_str(&render_summary(coverage));
    out
}

fn render_summary(coverage: &Coverage) -> String {
    let s = coverage.summary();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        coverage.title.as_deref().unwrap_or("原文覆盖检查")
    );
    let _ = writeln!(
        out,
        "原文 {}：任务 {} 项，目标性陈述 {} 条，已覆盖 {}，已声明跳过 {}，未覆盖 {}",
        coverage.source, s.tasks, s.statements, s.covered, s.skipped, s.uncovered
    );
    let _ = writeln!(
        out,
        "规则 {} 条，未引用原文 {} 条，引文不在原文中 {} 条",
        s.rules, s.uncited_rules, s.quotes_not_found
    );
    for warning in coverage.warnings() {
        let _ = writeln!(out, "⚠ {warning}");
    }
    let open: Vec<(String, &TaskCoverage)> = coverage
        .tasks
        .iter()
        .filter(|t| t.uncovered > 0)
        .map(|t| (format!("{:>2} {}", t.number, t.title), t))
        .collect();
    if open.is_empty() {
        return out;
    }
    let title = "有未覆盖陈述的任务";
    let width = open
        .iter()
        .map(|(name, _)| UnicodeWidthStr::width(name.as_str()))
        .chain(std::iter::once(UnicodeWidthStr::width(title)))
        .max()
        .unwrap_or(0);
    let _ = writeln!(out);
    let _ = write!(out, "  {}", pad(title, width));
    for head in ["陈述", "已覆盖", "跳过", "未覆盖"] {
        let _ = write!(out, "  {}", pad_left(head, 6));
    }
    out.push('\n');
    for (name, task) in open {
        let _ = write!(out, "✘ {}", pad(&name, width));
        for n in [task.statements, task.covered, task.skipped, task.uncovered] {
            let _ = write!(out, "  {}", pad_left(&n.to_string(), 6));
        }
        out.push('\n');
    }
    out
}

/// The diagnostic for a plan without `source "…"`.
pub fn render_no_source(no_source: &NoSource, plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    let (source, labels) = match &no_source.header {
        Some(loc) => rule_file_excerpt(plan, loc, "计划头"),
        None => (None, Vec::new()),
    };
    let shown = Rendered {
        message: "计划没有写明原文，无法检查覆盖情况".to_owned(),
        code: Some("plancheck::coverage::no-source"),
        severity: miette::Severity::Error,
        help: Some(
            "在计划头 plan \"…\" { … } 中写明原文文件，例如 source \"../seeds/原文.txt\""
                .to_owned(),
        ),
        source,
        labels,
    };
    draw(&mut out, &snippet::handler(style), &shown, &[]);
    out
}
