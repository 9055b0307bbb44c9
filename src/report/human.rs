//! The human report: miette diagnostics in Chinese, then the summary.

use super::escape;
use super::snippet::{self, CharColumnSource, Excerpt, Indexed, Rendered};
use super::summary::{count_findings, summarize, Counts};
use super::{file_key, Context, FileKey};
use crate::diagnostic::{Finding, Loc, Severity};
use crate::eval::Verdict;
use crate::source::{clamp_span, DataFileId, SourceFile};
use miette::LabeledSpan;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

/// How to draw the report.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Terminal width in columns; snippets and help wrap at it.
    pub width: usize,
    pub color: bool,
    /// At most this many diagnostics of one code (`--max-per-code`; 0: all; `None`: the
    /// default, [`DEFAULT_MAX_PER_CODE`]). Machine formats are never cut.
    pub max_per_code: Option<usize>,
}

/// Files read for rendering, each once, with their line index and the character column of
/// every label that starts in them.
struct Sources<'c, 'a> {
    ctx: &'c Context<'a>,
    files: HashMap<FileKey, Option<Rc<Indexed>>>,
    columns: HashMap<(FileKey, usize), usize>,
}

impl Sources<'_, '_> {
    fn get(&mut self, key: FileKey) -> Option<Rc<Indexed>> {
        let ctx = self.ctx;
        self.files
            .entry(key)
            .or_insert_with(|| {
                let file = match key {
                    FileKey::Rule(i) => ctx.plan.files.get(i).and_then(SourceFile::current),
                    FileKey::Data(i) => ctx.read_data(DataFileId(i)),
                }?;
                Some(Rc::new(Indexed::new(file.path, file.text)))
            })
            .clone()
    }

    /// Reads the files `findings` point into and finds the columns of their labels, in one
    /// sweep per file.
    fn prepare<'f>(&mut self, findings: impl Iterator<Item = &'f Finding>) {
        let mut offsets: BTreeMap<FileKey, BTreeSet<usize>> = BTreeMap::new();
        for finding in findings {
            for label in &finding.labels {
                if matches!(&label.loc, Loc::Data(d) if d.cell.is_some()) {
                    continue;
                }
                let (key, span) = file_key(&label.loc);
                if let Some(file) = self.get(key) {
                    let span = visible_span(&file.text, span);
                    offsets.entry(key).or_default().insert(span.start);
                }
            }
        }
        for (key, offsets) in offsets {
            if let Some(file) = self.get(key) {
                for (offset, column) in file.columns(&offsets) {
                    self.columns.insert((key, offset), column);
                }
            }
        }
    }
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    }
}

/// One file's share of a finding: a snippet with labels, or, for a workbook, cell names.
#[derive(Default)]
struct Part {
    source: Option<CharColumnSource>,
    labels: Vec<LabeledSpan>,
    cells: Vec<String>,
    /// The heading of a further snippet.
    title: String,
}

/// One finding as one or more miette reports: the first shows the primary file, each further
/// one another file (miette draws one file per snippet, and its "related" reports would print
/// an English "Advice:" prefix before each). Text from the input is escaped here.
fn render_finding(finding: &Finding, sources: &mut Sources<'_, '_>) -> Vec<Rendered> {
    // Group labels by file, keeping the order in which files first appear.
    let mut groups: Vec<(FileKey, Vec<&crate::diagnostic::Label>)> = Vec::new();
    for label in &finding.labels {
        let (key, _) = file_key(&label.loc);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, labels)) => labels.push(label),
            None => groups.push((key, vec![label])),
        }
    }
    let mut parts = groups.into_iter().map(|(key, labels)| {
        // A workbook has no text to draw: its places are named by cell instead.
        let cells: Vec<String> = labels
            .iter()
            .filter_map(|l| match &l.loc {
                Loc::Data(d) => d.cell.as_ref().map(|c| {
                    escape::line(&format!("{} {c}：{}", sources.ctx.path_of(&l.loc), l.text))
                        .into_owned()
                }),
                Loc::Rule(_) => None,
            })
            .collect();
        if !cells.is_empty() {
            return Part {
                cells,
                ..Part::default()
            };
        }
        let Some(file) = sources.get(key) else {
            return Part::default();
        };
        let spans: Vec<(std::ops::Range<usize>, usize)> = labels
            .iter()
            .map(|l| {
                let span = visible_span(&file.text, file_key(&l.loc).1);
                let column = sources.columns.get(&(key, span.start)).copied();
                (span, column.unwrap_or(0))
            })
            .collect();
        let title = if file.path.ends_with(".plan") {
            "规则"
        } else {
            "另见"
        };
        let (source, moved) = Excerpt::build(&file, escape::line(&file.path).into_owned(), &spans);
        let labels = labels
            .iter()
            .zip(moved)
            .map(|(l, span)| {
                LabeledSpan::new_with_span(Some(escape::line(&l.text).into_owned()), span)
            })
            .collect();
        Part {
            source: Some(source),
            labels,
            cells: Vec::new(),
            title: title.to_owned(),
        }
    });
    let first = parts.next().unwrap_or_default();
    let mut message = escape::line(&finding.message).into_owned();
    for cell in &first.cells {
        message.push_str(&format!("\n☞ {cell}"));
    }
    let mut rendered = vec![Rendered {
        message,
        code: Some(finding.code),
        severity: miette_severity(finding.severity),
        help: None,
        source: first.source,
        labels: first.labels,
    }];
    rendered.extend(parts.map(|part| Rendered {
        message: if part.cells.is_empty() {
            part.title
        } else {
            part.cells.join("\n")
        },
        code: None,
        severity: miette::Severity::Advice,
        help: None,
        source: part.source,
        labels: part.labels,
    }));
    // Help closes the finding, after every snippet, where a reader looks for what to do.
    if let Some(last) = rendered.last_mut() {
        last.help = finding
            .help
            .as_deref()
            .map(|h| escape::lines(h).into_owned());
    }
    rendered
}

/// A span miette can draw: clamped into the text, and moved back onto the last character when
/// it sits at the very end (a parser's "unexpected end of file"), where no line would show it.
fn visible_span(text: &str, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let span = clamp_span(text, span);
    if span.start < text.trim_end().len() {
        return span;
    }
    let end = text.trim_end().len();
    let start = text
        .get(..end)
        .and_then(|t| t.char_indices().last())
        .map_or(0, |(i, _)| i);
    start..end
}

/// How many diagnostics of one code the human report shows when `--max-per-code` is not
/// given: enough to see the pattern, few enough that a million unknown figures still make a
/// report a person can read.
pub const DEFAULT_MAX_PER_CODE: usize = 20;

/// Renders every finding of the outcome, then the summary.
pub fn render(ctx: &Context<'_>, style: Style) -> String {
    let mut out = render_findings(ctx, style);
    out.push_str(&render_summary(ctx));
    out
}

/// Renders every finding of the outcome and nothing else: for commands that stop at broken
/// input, where check's summary ("填报 0 份…") would describe a check that never ran.
/// At most `style.max_per_code` findings of each code are drawn (0: all); a line after them
/// says how many more there are.
pub fn render_findings(ctx: &Context<'_>, style: Style) -> String {
    let handler = snippet::handler(style);
    let mut sources = Sources {
        ctx,
        files: HashMap::new(),
        columns: HashMap::new(),
    };
    let limit = match style.max_per_code {
        Some(0) => usize::MAX,
        Some(n) => n,
        None => DEFAULT_MAX_PER_CODE,
    };
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut chosen = Vec::new();
    for finding in ctx.outcome.all_findings() {
        let count = shown.entry(finding.code).or_default();
        *count += 1;
        if *count <= limit {
            chosen.push(finding);
        }
    }
    sources.prepare(chosen.iter().copied());
    let mut out = String::new();
    for finding in chosen {
        for part in render_finding(finding, &mut sources) {
            snippet::draw(&mut out, &handler, &part, finding.code);
        }
        out.push('\n');
    }
    for (code, count) in shown {
        if count > limit {
            let _ = writeln!(
                out,
                "…另有 {} 项 {code} 未显示（共 {count} 项）；用 --max-per-code 0 显示全部，或用 --format json 查看\n",
                count - limit
            );
        }
    }
    out
}

/// Pads `text` to `width` display columns (Chinese characters count two).
pub(crate) fn pad(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Right-aligns `text` in `width` display columns.
pub(crate) fn pad_left(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}

/// `████████░░ 80%`: the share of results on course (met, ahead, on track), at a glance.
fn bar(counts: &Counts) -> String {
    const CELLS: usize = 10;
    let total = counts.total();
    let Some(percent) = counts.on_course_percent() else {
        return String::new();
    };
    let filled = (counts.on_course() * CELLS + total / 2) / total;
    format!(
        "{}{} {percent:>3}%",
        "█".repeat(filled),
        "░".repeat(CELLS - filled)
    )
}

fn table<S: Borrow<str>>(title: &str, rows: &[(S, Counts)], columns: &[Verdict]) -> String {
    let rows: Vec<(String, Counts)> = rows
        .iter()
        .map(|(name, counts)| (escape::line(name.borrow()).into_owned(), *counts))
        .collect();
    let name_width = rows
        .iter()
        .map(|(name, _)| UnicodeWidthStr::width(name.as_str()))
        .max()
        .unwrap_or(0)
        .max(UnicodeWidthStr::width(title));
    let mut out = String::new();
    let _ = write!(out, "  {}", pad(title, name_width));
    for verdict in columns {
        let _ = write!(out, "  {}", pad_left(verdict.chinese(), 6));
    }
    out.push_str("  达标率\n");
    for (name, counts) in &rows {
        let _ = write!(out, "{} {}", counts.mark(), pad(name, name_width));
        for verdict in columns {
            let _ = write!(out, "  {}", pad_left(&counts.get(*verdict).to_string(), 6));
        }
        let _ = writeln!(out, "  {}", bar(counts));
    }
    out
}

fn render_summary(ctx: &Context<'_>) -> String {
    let plan = ctx.plan;
    let outcome = ctx.outcome;
    let summary = summarize(plan, outcome);
    let findings = count_findings(outcome);
    let mut out = String::new();
    let title = plan
        .header
        .as_ref()
        .map_or("检查汇总", |h| h.title.as_str());
    let _ = writeln!(out, "{}", escape::line(title));
    let columns = summary.total.columns();
    let counts: Vec<String> = columns
        .iter()
        .map(|v| format!("{} {}", v.chinese(), summary.total.get(*v)))
        .collect();
    let _ = writeln!(
        out,
        "规则 {} 条，填报 {} 份（{} 个数值），结果 {} 项：{}",
        plan.rules.len(),
        outcome.submissions,
        outcome.figures,
        summary.total.total(),
        counts.join("，"),
    );
    let _ = writeln!(
        out,
        "错误 {} 项，警告 {} 项",
        findings.errors, findings.warnings
    );
    if outcome.results.is_empty() {
        // Nothing was checked (broken rules, no data): tables of zeros would read as "all clear".
        return out;
    }
    let tasks: Vec<(String, Counts)> = summary
        .by_task
        .iter()
        .filter_map(|(id, counts)| {
            let task = plan.task(*id)?;
            Some((
                format!(
                    "{:>2} {}{}",
                    task.number,
                    task.title,
                    super::leader_note(task)
                ),
                *counts,
            ))
        })
        .collect();
    if !tasks.is_empty() {
        out.push('\n');
        out.push_str(&table("按任务", &tasks, &columns));
    }
    if !summary.by_unit.is_empty() {
        out.push('\n');
        out.push_str(&table("按牵头单位", &summary.by_unit, &columns));
    }
    out.push_str(&render_trajectories(ctx));
    if !outcome.waivers.is_empty() {
        out.push_str("\n情况说明\n");
        for line in crate::waivers::lines(&outcome.waivers) {
            // Reasons and offices come from the waiver files: escaped like all input text.
            let _ = writeln!(out, "  {}", super::escape::line(&line));
        }
    }
    out
}

/// `新增城镇就业 >= 4,000 人：2023-Q1 900（预期 986，滞后）→ 2023-Q2 2,100 …`: each rule's
/// figures across periods against the expected line.
fn render_trajectories(ctx: &Context<'_>) -> String {
    let trajectories = super::summary::trajectories(ctx.outcome);
    if trajectories.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n进度（时间过半，任务过半了吗？）\n");
    for trajectory in trajectories {
        let Some(rule) = ctx.plan.rule(trajectory.rule) else {
            continue;
        };
        let task = ctx.plan.task(rule.task);
        let number = task.map_or(0, |t| t.number);
        let plan = task
            .and_then(|t| t.plan.as_deref())
            .map(|p| format!("［{p}］"))
            .unwrap_or_default();
        // An adjusted target is shown with each adjustment and its document.
        let adjusted: String = rule
            .adjustments
            .iter()
            .map(|a| format!("，{} 起依 {} 调整为 {}", a.from, a.document, a.target))
            .collect();
        let points: Vec<String> = trajectory
            .points
            .iter()
            .map(|r| {
                let period = r.period.map(|p| p.to_string()).unwrap_or_default();
                let actual = match (r.compared, &r.reported) {
                    (Some(q), _) => q.to_string(),
                    (None, Some(reported)) => crate::eval::describe_value(reported),
                    (None, None) => "—".to_owned(),
                };
                let expected = crate::eval::shown_expected(r)
                    .map(|e| format!("预期 {e}，"))
                    .unwrap_or_default();
                // A total of other plans' figures shows its parts.
                let parts = if rule.sum_of_plans && !r.parts.is_empty() {
                    let parts: Vec<String> = r
                        .parts
                        .iter()
                        .map(|p| {
                            format!(
                                "{} {}",
                                p.reporter,
                                crate::eval::describe_value(&p.reported)
                            )
                        })
                        .collect();
                    format!(" = {}", parts.join(" + "))
                } else {
                    String::new()
                };
                format!(
                    "{period} {actual}{parts}（{expected}{}）",
                    r.verdict.chinese()
                )
            })
            .collect();
        // A multi-year target shows its end year: each point is the year's on its path.
        let toward = rule
            .toward
            .map(|end| format!(" toward {end}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {plan}任务{number} {} {}{toward}{adjusted}［{}］：{}",
            escape::line(&rule.metric),
            rule.target,
            rule.kind().chinese(),
            escape::line(&points.join(" → "))
        );
    }
    out
}
