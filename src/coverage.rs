//! Coverage of the source document: which targets of the plan's text no rule encodes.
//!
//! The source is read as the plan's authors wrote it: numbered task paragraphs
//! (`1.搭建创新平台。…（牵头单位：…）`) under section headings. Only text inside a task
//! paragraph counts — not the notice before the first task, not the headings, not the title
//! sentence of a task and not the lead-unit parenthesis. The rest is cut into clauses at
//! 。；，：！？ (and at 、 when every piece carries a figure of its own, as in
//! "1家以上…、2家以上…、3家以上…"), the granularity at which rules quote the text.
//!
//! A clause is *target-like* when it names a figure (5家, 91%, 0.5平方公里, 1-2个), a
//! comparison (以上, 不低于, 达到, 稳定在, 突破, 左右, 全部, 清零, …), a change (增长, 提高,
//! 缩小, 百分点), a comparison with another metric (高于…增幅) or a milestone (建成, 落户,
//! 完成…任务, 实现…通航). It is *covered* when the source span of some rule's `from` quote
//! overlaps it, and *skipped* when a `skip` quote does instead. Every occurrence of a quote
//! counts, so a sentence that appears twice is covered in both places.
//!
//! Everything here is plain data computed from a `Plan`; `render_human` and `render_json`
//! turn it into text for the command line.

use crate::model::{Plan, RuleId};
use crate::report::human::Style;
use crate::source::{line_col, RuleLoc, Span};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt::{self, Write as _};
use unicode_width::UnicodeWidthStr;

/// A numbered task paragraph of the source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTask {
    pub number: u32,
    /// The paragraph's first sentence, `搭建创新平台`.
    pub title: String,
    /// The whole paragraph, number and lead units included.
    pub span: Span,
    /// Where its statements are: after the title, without the lead-unit parenthesis.
    pub body: Vec<Span>,
}

/// Whether a target-like statement is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Some rule's `from` quote overlaps it.
    Covered,
    /// No rule, but a `skip` quote overlaps it.
    Skipped,
    Uncovered,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Covered => "covered",
            Status::Skipped => "skipped",
            Status::Uncovered => "uncovered",
        }
    }
}

/// A target-like clause of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The number of the task paragraph it stands in.
    pub task: u32,
    pub text: String,
    /// Byte span in the source text.
    pub span: Span,
    /// 1-based line and character column of its start in the source file.
    pub line: usize,
    pub column: usize,
    pub status: Status,
}

/// A place in a rule file, resolved for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePlace {
    pub loc: RuleLoc,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A rule without a `from` quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncitedRule {
    pub rule: RuleId,
    /// The number of the rule's task in the plan.
    pub task: Option<u32>,
    pub metric: String,
    /// The metric's name in the rule line.
    pub place: RulePlace,
}

/// What a quote that is not in the source belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteOf {
    Rule,
    Skip,
}

impl QuoteOf {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteOf::Rule => "rule",
            QuoteOf::Skip => "skip",
        }
    }
}

/// A `from` or `skip` quote that does not occur in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingQuote {
    pub of: QuoteOf,
    pub task: Option<u32>,
    pub quote: String,
    /// The quoted string in the rule file.
    pub place: RulePlace,
}

/// A `skip "…" because "…"` statement: a passage deliberately left unencoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredSkip {
    pub quote: String,
    pub reason: String,
    /// The task the skip stands in, else the source paragraph its quote is found in.
    pub task: Option<u32>,
    /// Where the quote first occurs in the source, if it does.
    pub first: Option<usize>,
}

/// Counts of one source task's target-like statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskCoverage {
    pub number: u32,
    pub title: String,
    pub statements: usize,
    pub covered: usize,
    pub skipped: usize,
    pub uncovered: usize,
}

/// The totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Task paragraphs in the source.
    pub tasks: usize,
    /// Target-like statements in them.
    pub statements: usize,
    pub covered: usize,
    pub skipped: usize,
    pub uncovered: usize,
    /// Rules of the plan.
    pub rules: usize,
    pub uncited_rules: usize,
    pub quotes_not_found: usize,
    /// `skip` statements of the plan.
    pub skips: usize,
}

/// The coverage of a plan's source document by its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The plan's title, if it has a header.
    pub title: Option<String>,
    /// The source document's path, as reports show it.
    pub source: String,
    pub tasks: Vec<TaskCoverage>,
    /// Every target-like statement, in source order.
    pub statements: Vec<Statement>,
    /// In rule-file order.
    pub uncited_rules: Vec<UncitedRule>,
    /// In rule-file order.
    pub quotes_not_found: Vec<MissingQuote>,
    /// In source order; skips whose quote is not in the source last.
    pub skips: Vec<DeclaredSkip>,
    pub rules: usize,
}

/// Why coverage cannot be computed: the plan names no source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSource {
    /// The plan header, when there is one, where `source "…"` belongs.
    pub header: Option<RuleLoc>,
}

impl Coverage {
    pub fn uncovered(&self) -> impl Iterator<Item = &Statement> {
        self.statements
            .iter()
            .filter(|s| s.status == Status::Uncovered)
    }

    pub fn summary(&self) -> Summary {
        let count = |status| {
            self.statements
                .iter()
                .filter(|s| s.status == status)
                .count()
        };
        Summary {
            tasks: self.tasks.len(),
            statements: self.statements.len(),
            covered: count(Status::Covered),
            skipped: count(Status::Skipped),
            uncovered: count(Status::Uncovered),
            rules: self.rules,
            uncited_rules: self.uncited_rules.len(),
            quotes_not_found: self.quotes_not_found.len(),
            skips: self.skips.len(),
        }
    }

    /// 0 when every target-like statement is covered or skipped and every rule cites a
    /// sentence of the source; 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        let summary = self.summary();
        u8::from(summary.uncovered + summary.uncited_rules + summary.quotes_not_found > 0)
    }
}

/// Computes which target-like statements of the plan's source its rules and skips cover.
pub fn analyze(plan: &Plan) -> Result<Coverage, NoSource> {
    let header = plan.header.as_ref();
    let Some(source) = header.and_then(|h| h.source.as_ref()) else {
        return Err(NoSource {
            header: header.map(|h| h.loc.clone()),
        });
    };
    let text = source.text.as_str();
    let tasks = source_tasks(text);
    let task_number = |id: crate::model::TaskId| plan.task(id).map(|t| t.number);
    let place = |loc: &RuleLoc| rule_place(plan, loc);

    let mut cited: Vec<Span> = Vec::new();
    let mut uncited_rules = Vec::new();
    let mut quotes_not_found = Vec::new();
    for (index, rule) in plan.rules.iter().enumerate() {
        let Some(quote) = &rule.quote else {
            uncited_rules.push(UncitedRule {
                rule: RuleId(index),
                task: task_number(rule.task),
                metric: rule.metric.clone(),
                place: place(&rule.metric_loc),
            });
            continue;
        };
        let found = occurrences(text, &quote.text);
        if found.is_empty() {
            quotes_not_found.push(MissingQuote {
                of: QuoteOf::Rule,
                task: task_number(rule.task),
                quote: quote.text.clone(),
                place: place(&quote.loc),
            });
        }
        cited.extend(found);
    }

    let mut skipped: Vec<Span> = Vec::new();
    let mut skips = Vec::new();
    for skip in &plan.skips {
        let found = occurrences(text, &skip.quote);
        let first = found.first().map(|s| s.start);
        if found.is_empty() {
            quotes_not_found.push(MissingQuote {
                of: QuoteOf::Skip,
                task: skip.task.and_then(task_number),
                quote: skip.quote.clone(),
                place: place(&skip.quote_loc),
            });
        }
        let in_paragraph = first.and_then(|at| {
            tasks
                .iter()
                .find(|t| t.span.contains(&at))
                .map(|t| t.number)
        });
        skips.push(DeclaredSkip {
            quote: skip.quote.clone(),
            reason: skip.reason.clone(),
            task: skip.task.and_then(task_number).or(in_paragraph),
            first,
        });
        skipped.extend(found);
    }
    // Found quotes in source order, then the others by text.
    skips.sort_by(|a, b| {
        (a.first.is_none(), a.first, &a.quote).cmp(&(b.first.is_none(), b.first, &b.quote))
    });
    uncited_rules.sort_by(|a, b| a.place.loc.cmp(&b.place.loc));
    quotes_not_found.sort_by(|a, b| a.place.loc.cmp(&b.place.loc));

    let overlaps = |spans: &[Span], span: &Span| {
        spans
            .iter()
            .any(|s| s.start < span.end && span.start < s.end)
    };
    let mut statements = Vec::new();
    let mut task_counts = Vec::new();
    for task in &tasks {
        let mut counts = TaskCoverage {
            number: task.number,
            title: task.title.clone(),
            statements: 0,
            covered: 0,
            skipped: 0,
            uncovered: 0,
        };
        for span in task.body.iter().flat_map(|b| split_clauses(text, b)) {
            let Some(clause) = text.get(span.clone()) else {
                continue;
            };
            if !is_target_like(clause) {
                continue;
            }
            let status = if overlaps(&cited, &span) {
                counts.covered += 1;
                Status::Covered
            } else if overlaps(&skipped, &span) {
                counts.skipped += 1;
                Status::Skipped
            } else {
                counts.uncovered += 1;
                Status::Uncovered
            };
            counts.statements += 1;
            let at = line_col(text, span.start);
            statements.push(Statement {
                task: task.number,
                text: clause.to_owned(),
                span,
                line: at.line,
                column: at.column,
                status,
            });
        }
        task_counts.push(counts);
    }

    Ok(Coverage {
        title: header.map(|h| h.title.clone()),
        source: tidy_path(&source.path),
        tasks: task_counts,
        statements,
        uncited_rules,
        quotes_not_found,
        skips,
        rules: plan.rules.len(),
    })
}

fn rule_place(plan: &Plan, loc: &RuleLoc) -> RulePlace {
    let file = plan.files.get(loc.file.0);
    let at = file.map(|f| line_col(&f.text, loc.span.start));
    RulePlace {
        loc: loc.clone(),
        file: file.map_or_else(|| "<unknown>".to_owned(), |f| f.path.clone()),
        line: at.map_or(0, |a| a.line),
        column: at.map_or(0, |a| a.column),
    }
}

/// `rules/../seeds/x.txt` → `seeds/x.txt`: the source path as a reader would type it.
fn tidy_path(path: &std::path::Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let tidy: std::path::PathBuf = parts.iter().collect();
    tidy.display().to_string()
}

/// Every (non-overlapping) occurrence of `quote` in `text`.
fn occurrences(text: &str, quote: &str) -> Vec<Span> {
    if quote.is_empty() {
        return Vec::new();
    }
    text.match_indices(quote)
        .map(|(at, q)| at..at + q.len())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reading the source: task paragraphs and their clauses.

/// Chinese numerals that number section headings (`四、…`).
const NUMERALS: &str = "一二三四五六七八九十百零〇";

/// Where a task paragraph starts: `12.` (or `12．`, `12、`), perhaps after a word-processor
/// marker such as `[bookmark: OLE_LINK2]`. Returns the number and the byte offset in `line`
/// just after the marker.
fn task_marker(line: &str) -> Option<(u32, usize)> {
    let trimmed = line.trim_start();
    let mut rest = trimmed;
    if let Some(after) = rest.strip_prefix('[') {
        rest = after.split_once(']').map(|(_, r)| r)?.trim_start();
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let number = rest.get(..digits)?.parse().ok()?;
    let after = rest.get(digits..)?;
    let mark = after
        .chars()
        .next()
        .filter(|c| matches!(c, '.' | '．' | '、'))?;
    let body = after.get(mark.len_utf8()..)?;
    // `1.5亿元…` at the start of a line is a figure, not task 1.
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((number, line.len() - body.len()))
}

/// `四、聚力降碳减污扩绿…` or `（一）…`.
fn is_heading(line: &str) -> bool {
    let line = line.trim_start();
    let line = line
        .strip_prefix('（')
        .or_else(|| line.strip_prefix('('))
        .unwrap_or(line);
    let rest = line.trim_start_matches(|c| NUMERALS.contains(c));
    rest.len() < line.len() && rest.starts_with(['、', '）', ')'])
}

/// The task paragraphs of a source document, in order. A paragraph runs from its numbered
/// line up to a blank line, a heading or the next task.
pub fn source_tasks(text: &str) -> Vec<SourceTask> {
    struct Open {
        number: u32,
        start: usize,
        body_start: usize,
        end: usize,
    }
    let mut paragraphs = Vec::new();
    let mut open: Option<Open> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let line_start = offset;
        offset += raw.len();
        let marker = task_marker(line);
        if marker.is_some() || line.trim().is_empty() || is_heading(line) {
            paragraphs.extend(open.take());
        }
        if let Some((number, body)) = marker {
            open = Some(Open {
                number,
                start: line_start,
                body_start: line_start + body,
                end: line_start + line.len(),
            });
        } else if let Some(paragraph) = &mut open {
            paragraph.end = line_start + line.len();
        }
    }
    paragraphs.extend(open);
    paragraphs
        .into_iter()
        .map(|p| paragraph(text, p.number, p.start..p.end, p.body_start))
        .collect()
}

fn paragraph(text: &str, number: u32, span: Span, body_start: usize) -> SourceTask {
    let rest = text.get(body_start..span.end).unwrap_or("");
    // The title is the first sentence; a paragraph without one has statements only.
    let (title, after_title) = match rest.find('。') {
        Some(at) => (
            rest.get(..at).unwrap_or("").trim(),
            body_start + at + '。'.len_utf8(),
        ),
        None => ("", body_start),
    };
    let mut body = Vec::new();
    let mut from = after_title;
    let tail = text.get(after_title..span.end).unwrap_or("");
    let leads = ["（牵头单位", "(牵头单位"]
        .iter()
        .filter_map(|p| tail.find(p))
        .min();
    if let Some(open) = leads {
        let open = after_title + open;
        body.push(from..open);
        let inside = text.get(open..span.end).unwrap_or("");
        from = inside
            .find(['）', ')'])
            .and_then(|close| inside.get(close..)?.chars().next().map(|c| (close, c)))
            .map_or(span.end, |(close, c)| open + close + c.len_utf8());
    }
    body.push(from..span.end);
    body.retain(|b| b.start < b.end);
    SourceTask {
        number,
        title: title.to_owned(),
        span,
        body,
    }
}

/// Characters that end a clause.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '。' | '；' | '，' | '：' | '！' | '？' | ';' | ',' | ':' | '!' | '?' | '\n'
    )
}

/// The clauses of `range` in `text`, as trimmed byte spans. A clause listing several figures
/// with 、 ("新建改扩建幼儿园4所、新增公办学位1170个") is cut at 、 too, because each figure
/// is a target of its own; a list of names ("农用地、建设用地100%安全利用") is not.
pub fn split_clauses(text: &str, range: &Span) -> Vec<Span> {
    let Some(part) = text.get(range.clone()) else {
        return Vec::new();
    };
    let mut clauses = Vec::new();
    let mut start = 0;
    for (at, c) in part
        .char_indices()
        .chain(std::iter::once((part.len(), '\n')))
    {
        if !is_clause_break(c) {
            continue;
        }
        let pieces = pieces_at(part, start..at, '、');
        let listed = pieces.len() > 1
            && pieces
                .iter()
                .all(|p| part.get(p.clone()).is_some_and(has_quantity));
        if listed {
            clauses.extend(pieces);
        } else {
            clauses.extend(trim(part, start..at));
        }
        start = at + c.len_utf8();
    }
    clauses
        .into_iter()
        .map(|c| range.start + c.start..range.start + c.end)
        .collect()
}

/// `span` of `text` cut at `separator`, each piece trimmed, empty pieces dropped.
fn pieces_at(text: &str, span: Span, separator: char) -> Vec<Span> {
    let Some(part) = text.get(span.clone()) else {
        return Vec::new();
    };
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, c) in part
        .char_indices()
        .filter(|(_, c)| *c == separator)
        .chain(std::iter::once((part.len(), separator)))
    {
        pieces.extend(trim(text, span.start + start..span.start + at));
        start = at + c.len_utf8();
    }
    pieces
}

/// `span` without surrounding whitespace (ideographic spaces included); `None` if nothing is
/// left.
fn trim(text: &str, span: Span) -> Option<Span> {
    let part = text.get(span.clone())?;
    let start = span.start + (part.len() - part.trim_start().len());
    let end = span.end - (part.len() - part.trim_end().len());
    (start < end).then_some(start..end)
}

// ---------------------------------------------------------------------------------------------
// Target-like clauses.

/// Words that compare a figure with a bound or make a promise about a whole.
const COMPARISONS: &[&str] = &[
    "不低于",
    "不少于",
    "达到",
    "稳定在",
    "突破",
    "超过",
    "再超",
    "左右",
    "全部",
    "全面",
    "清零",
    "不发生",
];

/// Words that ask for a change against last year.
const CHANGES: &[&str] = &["增长", "提高", "提升", "缩小", "百分点"];

/// Milestones that stand alone.
const MILESTONES: &[&str] = &["建成", "投产达效", "落户", "年底前完成"];

/// Milestones of two words in order: `完成市定我区关停任务`, `实现济宁新机场迁建通航`.
const MILESTONE_PAIRS: &[(&str, &str)] = &[("完成", "任务"), ("完成", "目标"), ("实现", "通航")];

/// Units a figure may carry, longest first where one is a prefix of another is irrelevant:
/// any match will do. 年, 月 and 日 are missing on purpose: `2023年` is a date.
const UNITS: &[&str] = &[
    "%", "％", "‰", "个", "家", "项", "人", "名", "位", "所", "处", "条", "座", "张", "户", "头",
    "只", "台", "套", "件", "批", "场", "次", "篇", "部", "辆", "栋", "间", "元", "美元", "万",
    "亿", "千", "百", "吨", "斤", "公斤", "千克", "亩", "公顷", "平方", "立方", "公里", "千米",
    "米", "瓦", "千瓦", "兆瓦", "小时", "天", "倍", "床",
];

/// Whether a clause states something checkable: a figure, a bound, a change, a comparison
/// with another metric or a milestone.
pub fn is_target_like(clause: &str) -> bool {
    has_quantity(clause)
        || COMPARISONS.iter().any(|w| clause.contains(w))
        || has_lower_bound(clause)
        || CHANGES.iter().any(|w| clause.contains(w))
        || compares_metrics(clause)
        || MILESTONES.iter().any(|w| clause.contains(w))
        || MILESTONE_PAIRS.iter().any(|(a, b)| in_order(clause, a, b))
}

/// `以上` after a figure (`5家以上`, `亿元以上`), not in a rank (`省级以上`, `省级及以上`).
fn has_lower_bound(clause: &str) -> bool {
    clause.match_indices("以上").any(|(at, _)| {
        let before = clause.get(..at).unwrap_or("");
        !(before.ends_with('级') || before.ends_with('及'))
    })
}

/// `增幅高于制造业贷款增幅`, `增速不低于GDP增速`.
fn compares_metrics(clause: &str) -> bool {
    ["高于", "低于"].iter().any(|w| clause.contains(w))
        && ["增速", "增幅", "增长"].iter().any(|w| clause.contains(w))
}

fn in_order(clause: &str, first: &str, second: &str) -> bool {
    clause
        .find(first)
        .and_then(|at| clause.get(at + first.len()..))
        .is_some_and(|rest| rest.contains(second))
}

/// Whether the clause holds a figure with a unit: `5家`, `91%`, `0.5平方公里`, `3550余场`,
/// `1-2个`, `4560 个`. Figures inside “…” or 《…》 are names (`“八抓20条”`), and digits glued
/// to Latin letters are designations (`PM2.5`, `5G`).
pub fn has_quantity(clause: &str) -> bool {
    let chars: Vec<(usize, char)> = clause.char_indices().collect();
    let char_at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(c) = char_at(i) {
        match c {
            '“' | '《' | '「' | '『' => depth += 1,
            '”' | '》' | '」' | '』' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !is_digit(c) {
            i += 1;
            continue;
        }
        let glued = i
            .checked_sub(1)
            .and_then(char_at)
            .is_some_and(|p| p.is_ascii_alphabetic() || p == '.');
        // The number: digits, a decimal part, and the far end of a range (1-2, 1至3).
        let mut j = i;
        let digits = |j: &mut usize| {
            while char_at(*j).is_some_and(is_digit) {
                *j += 1;
            }
        };
        digits(&mut j);
        if char_at(j) == Some('.') && char_at(j + 1).is_some_and(is_digit) {
            j += 1;
            digits(&mut j);
        }
        if char_at(j).is_some_and(|c| matches!(c, '-' | '–' | '—' | '~' | '～' | '至' | '到'))
            && char_at(j + 1).is_some_and(is_digit)
        {
            j += 1;
            digits(&mut j);
            if char_at(j) == Some('.') && char_at(j + 1).is_some_and(is_digit) {
                j += 1;
                digits(&mut j);
            }
        }
        let after_letters = char_at(j).is_some_and(|c| c.is_ascii_alphabetic());
        while char_at(j) == Some(' ') {
            j += 1;
        }
        if matches!(char_at(j), Some('余' | '多')) {
            j += 1;
        }
        let rest = chars
            .get(j)
            .and_then(|&(at, _)| clause.get(at..))
            .unwrap_or("");
        if depth == 0 && !glued && !after_letters && UNITS.iter().any(|u| rest.starts_with(u)) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Reports.

/// How many characters of the source line to show on each side of a statement, so that the
/// snippet fits the report's width: a task paragraph is one line of several hundred
/// characters. At least a few, however long the statement.
fn excerpt_context(statement: &str, width: usize) -> usize {
    // The gutter (` 27 │ `) and miette's indent take about ten columns; a Chinese character
    // takes two.
    let free = width.saturating_sub(10 + UnicodeWidthStr::width(statement));
    (free / 4).clamp(4, 24)
}

/// A file's text for miette: `file:line:column` headers count the column in characters (as
/// the human report of `check` does), and with `window` only that many characters of the
/// line are shown on each side of a label.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    window: Option<usize>,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let wanted = span.offset()..span.offset() + span.len();
        if let (Some(window), true) = (self.window, context_lines_before + context_lines_after > 0)
        {
            if let Some(contents) = self.window(&wanted, window) {
                return Ok(Box::new(contents));
            }
        }
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let start = contents.span().offset();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            self.column(start),
            contents.line_count(),
        )))
    }
}

impl Excerpt {
    /// Characters before byte `at` on its line.
    fn column(&self, at: usize) -> usize {
        let line_start = self
            .text
            .get(..at)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |i| i + 1);
        self.text
            .get(line_start..at)
            .map_or(0, |t| t.chars().count())
    }

    /// Up to `window` characters on each side of a one-line span, within its line, cut after
    /// a clause break where there is one so the context reads as whole clauses.
    fn window(&self, span: &Span, window: usize) -> Option<MietteSpanContents<'_>> {
        let text = self.text.as_str();
        let before = text.get(..span.start)?;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let after = text.get(span.end..)?;
        let line_end = span.end + after.find('\n').unwrap_or(after.len());
        if text.get(span.clone())?.contains('\n') {
            return None;
        }
        let leading: Vec<(usize, char)> = text
            .get(line_start..span.start)?
            .char_indices()
            .map(|(i, c)| (line_start + i, c))
            .collect();
        let leading = leading
            .get(leading.len().saturating_sub(window)..)
            .unwrap_or(&[]);
        let start = leading
            .iter()
            .find(|(_, c)| is_clause_break(*c))
            .map(|(i, c)| i + c.len_utf8())
            .or_else(|| leading.first().map(|(i, _)| *i))
            .unwrap_or(span.start);
        let trailing: Vec<(usize, char)> = text
            .get(span.end..line_end)?
            .char_indices()
            .take(window)
            .map(|(i, c)| (span.end + i, c))
            .collect();
        let end = trailing
            .iter()
            .rev()
            .find(|(_, c)| is_clause_break(*c))
            .or(trailing.last())
            .map_or(span.end, |(i, c)| i + c.len_utf8());
        let data = text.get(start..end)?.as_bytes();
        let line = before.matches('\n').count();
        Some(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (start..end).into(),
            line,
            self.column(start),
            1,
        ))
    }
}

/// One diagnostic in the shape miette renders.
#[derive(Debug)]
struct Shown {
    message: String,
    code: &'static str,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(style.width)
}

/// Renders a diagnostic, then `paste`: lines for a .plan file, after miette's own help and
/// never wrapped, so that a long quote can be copied whole.
fn draw(out: &mut String, handler: &GraphicalReportHandler, shown: &Shown, paste: &[String]) {
    if handler.render_report(out, shown).is_err() {
        // A diagnostic that cannot be drawn is still reported, as plain text.
        let _ = writeln!(out, "{}: {}", shown.code, shown.message);
    }
    for line in paste {
        let _ = writeln!(out, "        {line}");
    }
    out.push('\n');
}

/// A string literal of the plan language: `\"` and `\\` escaped.
fn plan_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn rule_file_excerpt(plan: &Plan, loc: &RuleLoc) -> Option<Excerpt> {
    plan.files.get(loc.file.0).map(|f| Excerpt {
        name: f.path.clone(),
        text: f.text.clone(),
        window: None,
    })
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
    let handler = handler(style);
    let source_text = plan
        .header
        .as_ref()
        .and_then(|h| h.source.as_ref())
        .map(|s| s.text.clone())
        .unwrap_or_default();
    let mut out = String::new();
    for statement in coverage.uncovered() {
        let quoted = plan_string(&statement.text);
        let shown = Shown {
            message: format!("{}的目标没有规则引用", task_name(coverage, statement.task)),
            code: "plancheck::coverage::uncovered",
            severity: miette::Severity::Error,
            help: Some("写一条规则并引用这句原文：".to_owned()),
            source: Some(Excerpt {
                name: coverage.source.clone(),
                text: source_text.clone(),
                window: Some(excerpt_context(&statement.text, style.width)),
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
        let shown = Shown {
            message: format!("规则“{}”没有引用原文", rule.metric),
            code: "plancheck::coverage::uncited-rule",
            severity: miette::Severity::Error,
            help: Some(format!(
                "在规则下加一行 from \"…\"，引用它所依据的原文句子（{}）",
                coverage.source
            )),
            source: rule_file_excerpt(plan, &rule.place.loc),
            labels: vec![LabeledSpan::new_with_span(
                Some("没有 from 引文".to_owned()),
                rule.place.loc.span.clone(),
            )],
        };
        draw(&mut out, &handler, &shown, &[]);
    }
    for missing in &coverage.quotes_not_found {
        let shown = Shown {
            message: "引文不在原文中".to_owned(),
            code: "plancheck::plan::quote-not-found",
            severity: miette::Severity::Error,
            help: Some("引文须与原文逐字一致，包括标点和数字".to_owned()),
            source: rule_file_excerpt(plan, &missing.place.loc),
            labels: vec![LabeledSpan::new_with_span(
                Some("原文中找不到这句话".to_owned()),
                missing.place.loc.span.clone(),
            )],
        };
        draw(&mut out, &handler, &shown, &[]);
    }
    if !coverage.skips.is_empty() {
        let _ = writeln!(out, "已声明不予检查 {} 处：", coverage.skips.len());
        for skip in &coverage.skips {
            let task = skip.task.map_or_else(String::new, |n| format!("任务{n}"));
            let _ = writeln!(out, "  {task}「{}」：{}", skip.quote, skip.reason);
        }
        out.push('\n');
    }
    out.push_str(&render_summary(coverage));
    out
}

/// Pads `text` to `width` display columns (Chinese characters count two).
fn pad(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn pad_left(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
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
        Some(loc) => (
            rule_file_excerpt(plan, loc),
            vec![LabeledSpan::new_with_span(
                Some("计划头".to_owned()),
                loc.span.clone(),
            )],
        ),
        None => (None, Vec::new()),
    };
    let shown = Shown {
        message: "计划没有写明原文，无法检查覆盖情况".to_owned(),
        code: "plancheck::coverage::no-source",
        severity: miette::Severity::Error,
        help: Some(
            "在计划头 plan \"…\" { … } 中写明原文文件，例如 source \"../seeds/原文.txt\""
                .to_owned(),
        ),
        source,
        labels,
    };
    draw(&mut out, &handler(style), &shown, &[]);
    out
}

mod json {
    //! The shape of `plancheck coverage --format json`. Field order is the output order.

    use serde::Serialize;

    #[derive(Serialize)]
    pub struct Report<'a> {
        pub source: &'a str,
        pub summary: Summary,
        pub uncovered: Vec<Uncovered<'a>>,
        pub uncited_rules: Vec<Uncited<'a>>,
        pub quotes_not_found: Vec<NotFound<'a>>,
        pub skips: Vec<Skip<'a>>,
        pub tasks: Vec<Task<'a>>,
    }

    #[derive(Serialize)]
    pub struct Summary {
        pub tasks: usize,
        pub statements: usize,
        pub covered: usize,
        pub skipped: usize,
        pub uncovered: usize,
        pub rules: usize,
        pub uncited_rules: usize,
        pub quotes_not_found: usize,
        pub skips: usize,
        pub exit_code: u8,
    }

    #[derive(Serialize)]
    pub struct Uncovered<'a> {
        pub task: u32,
        pub text: &'a str,
        pub file: &'a str,
        pub line: usize,
        pub column: usize,
    }

    #[derive(Serialize)]
    pub struct Uncited<'a> {
        pub task: Option<u32>,
        pub metric: &'a str,
        pub file: &'a str,
        pub line: usize,
        pub column: usize,
    }

    #[derive(Serialize)]
    pub struct NotFound<'a> {
        pub of: &'static str,
        pub task: Option<u32>,
        pub quote: &'a str,
        pub file: &'a str,
        pub line: usize,
        pub column: usize,
    }

    #[derive(Serialize)]
    pub struct Skip<'a> {
        pub quote: &'a str,
        pub reason: &'a str,
        pub task: Option<u32>,
    }

    #[derive(Serialize)]
    pub struct Task<'a> {
        pub task: u32,
        pub title: &'a str,
        pub statements: usize,
        pub covered: usize,
        pub skipped: usize,
        pub uncovered: usize,
    }
}

/// The JSON report: `{ source, summary, uncovered, uncited_rules, quotes_not_found, skips,
/// tasks }`. Lines and columns are 1-based; columns count characters.
pub fn render_json(coverage: &Coverage) -> String {
    let s = coverage.summary();
    let report = json::Report {
        source: &coverage.source,
        summary: json::Summary {
            tasks: s.tasks,
            statements: s.statements,
            covered: s.covered,
            skipped: s.skipped,
            uncovered: s.uncovered,
            rules: s.rules,
            uncited_rules: s.uncited_rules,
            quotes_not_found: s.quotes_not_found,
            skips: s.skips,
            exit_code: coverage.exit_code(),
        },
        uncovered: coverage
            .uncovered()
            .map(|u| json::Uncovered {
                task: u.task,
                text: &u.text,
                file: &coverage.source,
                line: u.line,
                column: u.column,
            })
            .collect(),
        uncited_rules: coverage
            .uncited_rules
            .iter()
            .map(|r| json::Uncited {
                task: r.task,
                metric: &r.metric,
                file: &r.place.file,
                line: r.place.line,
                column: r.place.column,
            })
            .collect(),
        quotes_not_found: coverage
            .quotes_not_found
            .iter()
            .map(|q| json::NotFound {
                of: q.of.as_str(),
                task: q.task,
                quote: &q.quote,
                file: &q.place.file,
                line: q.place.line,
                column: q.place.column,
            })
            .collect(),
        skips: coverage
            .skips
            .iter()
            .map(|k| json::Skip {
                quote: &k.quote,
                reason: &k.reason,
                task: k.task,
            })
            .collect(),
        tasks: coverage
            .tasks
            .iter()
            .map(|t| json::Task {
                task: t.number,
                title: &t.title,
                statements: t.statements,
                covered: t.covered,
                skipped: t.skipped,
                uncovered: t.uncovered,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
        format!(
            "{{\"error\": {}}}",
            serde_json::Value::String(e.to_string())
        )
    });
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;
    use crate::model::{Skip, SourceDocument};
    use crate::source::{RuleFileId, SourceFile};

    #[test]
    fn target_like_statements_of_the_seed() {
        let table: &[(&str, bool)] = &[
            // Figures with units, percentages, ranges and approximate counts.
            ("新增省级以上创新平台5家以上", true),
            ("受污染耕地安全利用率稳定在91%以上", true),
            ("综合治理水土流失面积0.5平方公里", true),
            ("放映农村公益电影3550余场", true),
            ("争取培育主要农作物新品种1-2个", true),
            ("农用地、建设用地100%安全利用", true),
            ("年内力争完成产业投资150亿元", true),
            ("新增学位4560 个", true),
            ("推动“成果贷”再超1亿元以上", true),
            // Bounds, changes and comparisons with another metric.
            ("确保居民人均可支配收入增速不低于GDP增速", true),
            ("确保攀登企业贷款增幅高于制造业贷款增幅", true),
            ("城乡低保标准之比与上年度相比进一步缩小", true),
            ("全人群和重点人群总体签约率提升1-3个百分点", true),
            ("确保不发生区域性系统性风险", true),
            ("推动农村黑臭水体动态清零", true),
            // Milestones.
            ("完成市定我区关停任务", true),
            ("实现济宁新机场迁建通航", true),
            ("力促尽早投产达效", true),
            (
                "积极招引国内知名电商平台、龙头电商企业和专业运营商落户",
                true,
            ),
            ("年底前完成全部村庄生活污水治理任务", true),
            ("建成使用数据城市运行管理服务平台", true),
            ("确保全区PM2.5浓度、优良率完成市定目标", true),
            // Activity without a figure, a bound or a deliverable.
            ("推进自然资源统一确权登记工作", false),
            ("推动华勤集团争创省级国际联合实验室", false),
            ("积极申报省级以上技术创新示范企业", false),
            ("适时开展林业碳汇调查", false),
            ("加强农业面源污染治理", false),
            // Designations and names are not figures.
            (
                "加强5G、大数据、区块链、物联网、元宇宙等新技术融合应用",
                false,
            ),
            ("落实安全生产“八抓20条”创新举措", false),
            ("以“1352”农业全产业链产业集群打造为抓手", false),
            ("到2023年", false),
        ];
        let wrong: Vec<_> = table
            .iter()
            .filter(|(clause, expected)| is_target_like(clause) != *expected)
            .collect();
        assert!(wrong.is_empty(), "misjudged: {wrong:#?}");
    }

    const SOURCE: &str = "\
济宁市兖州区测试工作任务

为深入贯彻党的二十大精神，全面落实上级部署，制定2023年重点工作任务如下：
一、聚力创新驱动战略，建设高水平创新城市
1.搭建创新平台。推动华勤集团争创省级国际联合实验室，新增省级以上创新平台5家以上。（牵头单位：区科技局、区工业和信息化局）
[bookmark: OLE_LINK2]4.引育创新人才。年内引进培育高层次创新创业人才不少于20人、省级及以上重点人才工程人选2人，青年人才2880人。（牵头单位：区委组织部）
四、聚力降碳减污扩绿，厚植绿色发展底色
29.加快构建绿色制造体系。力争新培育省级以上单项冠军、专精特新、瞪羚企业12家以上；全面推进自然资源统一确权登记工作。（牵头单位：区工业和信息化局）
";

    fn texts(spans: &[Span]) -> Vec<&'static str> {
        spans.iter().map(|s| &SOURCE[s.clone()]).collect()
    }

    #[test]
    fn task_paragraphs_skip_preamble_headings_titles_and_leads() {
        let tasks = source_tasks(SOURCE);
        let heads: Vec<(u32, &str)> = tasks.iter().map(|t| (t.number, t.title.as_str())).collect();
        assert_eq!(
            heads,
            [
                (1, "搭建创新平台"),
                (4, "引育创新人才"),
                (29, "加快构建绿色制造体系")
            ]
        );
        let clauses: Vec<Vec<&str>> = tasks
            .iter()
            .map(|t| {
                let spans: Vec<Span> = t
                    .body
                    .iter()
                    .flat_map(|b| split_clauses(SOURCE, b))
                    .collect();
                texts(&spans)
            })
            .collect();
        assert_eq!(
            clauses,
            [
                vec![
                    "推动华勤集团争创省级国际联合实验室",
                    "新增省级以上创新平台5家以上"
                ],
                // 、 between two figures is a cut; 、 in a list of names is not.
                vec![
                    "年内引进培育高层次创新创业人才不少于20人",
                    "省级及以上重点人才工程人选2人",
                    "青年人才2880人"
                ],
                vec![
                    "力争新培育省级以上单项冠军、专精特新、瞪羚企业12家以上",
                    "全面推进自然资源统一确权登记工作"
                ],
            ]
        );
    }

    #[test]
    fn a_paragraph_may_run_over_several_lines_and_end_without_leads() {
        let text = "81.加强组织领导。确保各项工作顺利开展，\n完成全部年度任务。\n\n附件";
        let tasks = source_tasks(text);
        assert_eq!(tasks.len(), 1);
        let spans: Vec<Span> = tasks[0]
            .body
            .iter()
            .flat_map(|b| split_clauses(text, b))
            .collect();
        let clauses: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(clauses, ["确保各项工作顺利开展", "完成全部年度任务"]);
        assert_eq!(task_marker("1.5亿元"), None);
        assert!(is_heading("十一、切实抓好组织实施"));
        assert!(!is_heading("十强产业"));
    }

    /// A plan read from `rules`, with `SOURCE` as its source document and `skips` declared.
    fn plan(rules: &str, skips: &[(&str, &str)]) -> Plan {
        let (mut plan, findings) =
            crate::parse::parse_files(vec![SourceFile::new("rules/plan.plan", rules)]);
        assert!(findings.is_empty(), "{findings:#?}");
        let loc = RuleLoc {
            file: RuleFileId(0),
            span: 0..0,
        };
        plan.header.as_mut().unwrap().source = Some(SourceDocument {
            written: "../seeds/source.txt".to_owned(),
            path: "rules/../seeds/source.txt".into(),
            text: SOURCE.to_owned(),
            loc: loc.clone(),
        });
        plan.skips = skips
            .iter()
            .map(|(quote, reason)| Skip {
                quote: (*quote).to_owned(),
                reason: (*reason).to_owned(),
                quote_loc: loc.clone(),
                loc: loc.clone(),
                task: None,
            })
            .collect();
        plan
    }

    const RULES: &str = r#"plan "测试" {
    period 2023
}

task 1 "搭建创新平台" {
    lead 区科技局
    新增省级以上创新平台 >= 5 家
        from "新增省级以上创新平台5家以上"
    力争 done 华勤集团争创省级国际联合实验室
}

task 4 "引育创新人才" {
    lead 区委组织部
    引进培育人才 >= 2900 人
        from "年内引进培育高层次创新创业人才不少于20人、省级及以上重点人才工程人选2人，青年人才2880人"
}
"#;

    #[test]
    fn quotes_cover_overlapping_clauses_and_skips_the_rest() {
        let plan = plan(
            RULES,
            &[
                ("全面推进自然资源统一确权登记工作", "只有进度，没有数字"),
                ("不在原文里", "测试"),
            ],
        );
        let coverage = analyze(&plan).unwrap();
        let statuses: Vec<(u32, &str, Status)> = coverage
            .statements
            .iter()
            .map(|s| (s.task, s.text.as_str(), s.status))
            .collect();
        assert_eq!(
            statuses,
            [
                (1, "新增省级以上创新平台5家以上", Status::Covered),
                // One quote over three clauses covers all three.
                (
                    4,
                    "年内引进培育高层次创新创业人才不少于20人",
                    Status::Covered
                ),
                (4, "省级及以上重点人才工程人选2人", Status::Covered),
                (4, "青年人才2880人", Status::Covered),
                (
                    29,
                    "力争新培育省级以上单项冠军、专精特新、瞪羚企业12家以上",
                    Status::Uncovered
                ),
                (29, "全面推进自然资源统一确权登记工作", Status::Skipped),
            ]
        );
        let uncovered = coverage.uncovered().next().unwrap();
        assert_eq!((uncovered.line, uncovered.column), (8, 15));
        assert_eq!(coverage.source, "seeds/source.txt");
        assert_eq!(coverage.uncited_rules.len(), 1);
        assert_eq!(
            coverage.uncited_rules[0].metric,
            "华勤集团争创省级国际联合实验室"
        );
        assert_eq!(coverage.uncited_rules[0].task, Some(1));
        let skips: Vec<(&str, Option<u32>)> = coverage
            .skips
            .iter()
            .map(|s| (s.quote.as_str(), s.task))
            .collect();
        assert_eq!(
            skips,
            [
                ("全面推进自然资源统一确权登记工作", Some(29)),
                ("不在原文里", None)
            ]
        );
        assert_eq!(coverage.quotes_not_found.len(), 1);
        assert_eq!(coverage.quotes_not_found[0].of, QuoteOf::Skip);
        let summary = coverage.summary();
        assert_eq!(
            (
                summary.tasks,
                summary.statements,
                summary.covered,
                summary.skipped,
                summary.uncovered
            ),
            (3, 6, 4, 1, 1)
        );
        assert_eq!(coverage.exit_code(), 1);
    }

    #[test]
    fn a_plan_without_source_has_no_coverage() {
        let (plan, _) = crate::parse::parse_files(vec![SourceFile::new("rules/plan.plan", RULES)]);
        let error = analyze(&plan).unwrap_err();
        assert!(error.header.is_some());
        assert!(analyze(&Plan::default()).unwrap_err().header.is_none());
    }

    #[test]
    fn excerpts_never_panic_and_stay_on_the_line() {
        let excerpt = Excerpt {
            name: "s.txt".to_owned(),
            text: SOURCE.to_owned(),
            window: Some(4),
        };
        let at = SOURCE.find("新增省级").unwrap();
        let span: SourceSpan = (at..at + "新增省级".len()).into();
        let contents = excerpt.read_span(&span, 1, 1).unwrap();
        let shown = std::str::from_utf8(contents.data()).unwrap();
        assert_eq!(shown, "新增省级以上创新");
        // Past the end degrades to miette's own answer instead of a panic.
        let far: SourceSpan = (SOURCE.len() + 5..SOURCE.len() + 9).into();
        let _ = excerpt.read_span(&far, 1, 1);
    }
}
