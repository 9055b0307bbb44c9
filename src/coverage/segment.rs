//! Cutting a plan document into items, whichever layout it has:
//!
//! - numbered items under headings: `1.` `1、` `1．` `（1）` `(1)` `（一）` `(一)` `一、`. The
//!   numbering kinds rank by first appearance (the first seen is the outermost); a numbered
//!   line followed by a deeper-numbered one is a heading, the others are items;
//! - lines under an item belong to it up to a blank line or the next numbered line; a
//!   responsibility line (`牵头单位：…`) or parenthesis (`（责任领导：…；牵头单位：…）`) is read
//!   into the item's `Duty` and is not a statement;
//! - tables flattened one cell a line: a header run (`序号`, `目标任务`, `牵头单位`, …) then
//!   rows that start with their 序号;
//! - targets listed in a prose paragraph (`主要预期目标是：…；…；…`): an unnumbered line with
//!   at least two target-like clauses.
//!
//! An item's first sentence is its title only when it is not itself a target and more
//! follows (`1.搭建创新平台。推动…`); in `1.地区生产总值增长8%以上。（…）` it is the target.

use super::duty::{role_of, Duty};
use super::{is_target_like, split_clauses, SourceTask};
use crate::source::Span;

/// Chinese numerals that number headings and items.
const NUMERALS: &str = "一二三四五六七八九十百零〇";

/// Headers of table columns that hold the item's text.
const BODY_COLUMNS: &[&str] = &[
    "目标任务",
    "工作任务",
    "重点任务",
    "任务",
    "主要任务",
    "具体任务",
    "任务内容",
    "工作内容",
    "指标",
    "主要指标",
    "指标名称",
    "目标",
    "年度目标",
    "具体目标",
    "工作目标",
    "目标值",
    "主要目标",
    "工作措施",
    "重点工作",
];

/// Numbering kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `一、`
    Chinese,
    /// `（一）`
    ChineseParen,
    /// `1.` `1、` `1．`
    Arabic,
    /// `（1）`
    ArabicParen,
}

/// The numbering of a line: its kind, the text of the mark and the byte offset just after it.
fn numbering(line: &str) -> Option<(Kind, usize)> {
    if let Some((_, at)) = task_marker(line) {
        return Some((Kind::Arabic, at));
    }
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let (paren, inner) = match trimmed.strip_prefix(['（', '(']) {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let open = trimmed.len() - inner.len();
    let chinese = inner.len() - inner.trim_start_matches(|c| NUMERALS.contains(c)).len();
    let digits = inner.len() - inner.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (kind, count) = match (paren, chinese > 0, digits > 0) {
        (true, true, _) => (Kind::ChineseParen, chinese),
        (true, false, true) => (Kind::ArabicParen, digits),
        (false, true, _) => (Kind::Chinese, chinese),
        _ => return None,
    };
    let after = inner.get(count..)?;
    let close = if paren { ['）', ')'] } else { ['、', '、'] };
    let mark = after.chars().next().filter(|c| close.contains(c))?;
    Some((kind, lead + open + count + mark.len_utf8()))
}

/// Where an arabic-numbered paragraph starts: `12.` (or `12．`, `12、`), perhaps after a
/// word-processor marker such as `[bookmark: OLE_LINK2]`. Returns the number and the byte
/// offset in `line` just after the marker.
pub(super) fn task_marker(line: &str) -> Option<(u32, usize)> {
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
    // `1.5亿元…` at the start of a line is a figure, not item 1 (`3、2022年…` is item 3).
    if mark != '、' && body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((number, line.len() - body.len()))
}

/// `四、聚力降碳减污扩绿…` or `（一）…`: a line numbered in Chinese.
pub(super) fn is_heading(line: &str) -> bool {
    matches!(
        numbering(line),
        Some((Kind::Chinese | Kind::ChineseParen, _))
    )
}

struct Line<'a> {
    start: usize,
    text: &'a str,
}

/// The items of a document, in order, numbered from 1.
pub fn source_tasks(text: &str) -> Vec<SourceTask> {
    let lines: Vec<Line<'_>> = text
        .split_inclusive('\n')
        .scan(0, |at, raw| {
            let start = *at;
            *at += raw.len();
            Some(Line {
                start,
                text: raw.trim_end_matches(['\n', '\r']),
            })
        })
        .collect();
    let mut items: Vec<SourceTask> = Vec::new();
    let mut levels: Vec<Kind> = Vec::new();
    let mut section: Option<(String, String)> = None;
    let mut i = 0;
    while i < lines.len() {
        let before = items.len();
        if let Some((columns, rows_from)) = table_header(&lines, i) {
            i = table(text, &lines, &columns, rows_from, &mut items);
        } else {
            i = next_item(text, &lines, i, &mut levels, &mut section, &mut items);
        }
        for item in items.iter_mut().skip(before) {
            item.section.clone_from(&section);
        }
    }
    items.retain(|t| !t.body.is_empty() || !t.title.is_empty());
    // The document's own numbers when every item has a distinct arabic one (a plan's
    // `task 29` is the document's item 29), else the items' places.
    let written: Vec<Option<u32>> = items
        .iter()
        .map(|t| task_marker(&t.label).map(|(n, _)| n))
        .collect();
    let mut distinct: Vec<u32> = written.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let own = distinct.len() == items.len();
    for (n, (task, written)) in items.iter_mut().zip(written).enumerate() {
        task.number = match written {
            Some(w) if own => w,
            _ => u32::try_from(n + 1).unwrap_or(u32::MAX),
        };
    }
    items
}

/// Reads the numbered item, heading or prose paragraph at line `i` into `items`; returns the
/// line after it.
fn next_item(
    text: &str,
    lines: &[Line<'_>],
    i: usize,
    levels: &mut Vec<Kind>,
    section: &mut Option<(String, String)>,
    items: &mut Vec<SourceTask>,
) -> usize {
    let level = |levels: &mut Vec<Kind>, kind: Kind| {
        levels.iter().position(|k| *k == kind).unwrap_or_else(|| {
            levels.push(kind);
            levels.len() - 1
        })
    };
    let Some(line) = lines.get(i) else {
        return i + 1;
    };
    let Some((kind, after)) = numbering(line.text) else {
        if prose_targets(line.text) {
            items.push(item(
                text,
                line.start + line.text.len(),
                std::slice::from_ref(&(line.start..line.start + line.text.len())),
                "段落",
            ));
        }
        return i + 1;
    };
    let depth = level(levels, kind);
    // The item runs to a blank line, the next numbered line or a table.
    let mut end = i + 1;
    while let Some(next) = lines.get(end) {
        if next.text.trim().is_empty()
            || numbering(next.text).is_some()
            || table_header(lines, end).is_some()
        {
            break;
        }
        end += 1;
    }
    let next_numbered = lines
        .iter()
        .skip(end)
        .find_map(|l| numbering(l.text).map(|(k, _)| k));
    let deeper = next_numbered.is_some_and(|k| level(levels, k) > depth);
    let own = line.text.get(after..).unwrap_or("");
    let heading = deeper && end == i + 1 && !own.contains('。');
    if heading && kind == Kind::Chinese {
        let numeral: String = line
            .text
            .trim_start()
            .chars()
            .take_while(|c| NUMERALS.contains(*c))
            .collect();
        *section = Some((numeral, own.trim().to_owned()));
    }
    if !heading {
        let own_line: Span = line.start + after..line.start + line.text.len();
        let mut spans = vec![own_line];
        spans.extend(
            lines
                .get(i + 1..end)
                .unwrap_or(&[])
                .iter()
                .map(|l| l.start..l.start + l.text.len()),
        );
        let label = line.text.get(..after).unwrap_or("").trim();
        let last = spans.last().map_or(line.start, |s| s.end);
        items.push(item(text, last, &spans, label));
        items
            .last_mut()
            .into_iter()
            .for_each(|t| t.span.start = line.start);
    }
    end
}

/// An unnumbered line that lists targets: at least two target-like clauses.
fn prose_targets(line: &str) -> bool {
    let span = 0..line.len();
    split_clauses(line, &span)
        .iter()
        .filter(|c| line.get((*c).clone()).is_some_and(is_target_like))
        .count()
        >= 2
}

/// An item from its lines: responsibility lines and parentheses read into its duty, the rest
/// its body, the first sentence its title when that is no target and more follows.
fn item(text: &str, end: usize, lines: &[Span], label: &str) -> SourceTask {
    let mut duty = Duty::default();
    let mut body: Vec<Span> = Vec::new();
    for span in lines {
        let Some(line) = text.get(span.clone()) else {
            continue;
        };
        if duty.read(line) {
            continue;
        }
        body.extend(without_duty(text, span.clone(), &mut duty));
    }
    body.retain(|b| b.start < b.end && text.get(b.clone()).is_some_and(|t| !t.trim().is_empty()));
    let mut title = String::new();
    if let Some(first) = body.first().cloned() {
        let part = text.get(first.clone()).unwrap_or("");
        let more = body.len() > 1;
        let (head, head_end) = match part.find('。') {
            Some(at) => (
                part.get(..at).unwrap_or(""),
                first.start + at + '。'.len_utf8(),
            ),
            None => (part, first.end),
        };
        let rest = text.get(head_end..first.end).unwrap_or("").trim();
        if !head.trim().is_empty()
            && !super::detect::is_structural_target(head)
            && (more || !rest.is_empty())
        {
            title = head.trim().to_owned();
            if let Some(b) = body.first_mut() {
                b.start = head_end;
            }
        }
    }
    body.retain(|b| b.start < b.end && text.get(b.clone()).is_some_and(|t| !t.trim().is_empty()));
    SourceTask {
        number: 0,
        label: label.to_owned(),
        title,
        span: lines.first().map_or(end, |s| s.start)..end,
        body,
        duty,
        section: None,
    }
}

/// `span` of `text` with every responsibility parenthesis cut out and read into `duty`.
fn without_duty(text: &str, span: Span, duty: &mut Duty) -> Vec<Span> {
    let Some(part) = text.get(span.clone()) else {
        return Vec::new();
    };
    let mut pieces = Vec::new();
    let mut from = 0;
    for (at, c) in part.char_indices().filter(|(_, c)| matches!(c, '（' | '(')) {
        if at < from {
            continue;
        }
        let inner_start = at + c.len_utf8();
        let Some(inner) = part.get(inner_start..) else {
            continue;
        };
        if super::duty::labelled(inner).is_none() {
            continue;
        }
        let close = inner.find(['）', ')']).unwrap_or(inner.len());
        duty.read(inner.get(..close).unwrap_or(""));
        pieces.push(span.start + from..span.start + at);
        let closer = inner
            .get(close..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
        from = inner_start + close + closer;
    }
    pieces.push(span.start + from..span.end);
    pieces
}

/// Whether a table header starts at line `i`: three or more lines, each a column header,
/// the first 序号, and at least one a body column. Returns the columns and the line after.
fn table_header(lines: &[Line<'_>], i: usize) -> Option<(Vec<String>, usize)> {
    let first = lines.get(i)?;
    if first.text.trim() != "序号" {
        return None;
    }
    let mut columns = vec!["序号".to_owned()];
    let mut j = i + 1;
    while let Some(line) = lines.get(j) {
        let cell = line.text.trim();
        if BODY_COLUMNS.contains(&cell) || role_of(cell).is_some() || cell == "备注" {
            columns.push(cell.to_owned());
            j += 1;
        } else {
            break;
        }
    }
    let has_body = columns.iter().any(|c| BODY_COLUMNS.contains(&c.as_str()));
    (columns.len() >= 3 && has_body).then_some((columns, j))
}

/// Reads the rows of a flattened table into `items`; returns the line after the table. A row
/// starts with the next 序号 and holds the following cells in column order. The table ends at
/// a line that is neither a cell of an unfinished row nor the next 序号 (a numbered heading
/// between rows is passed over).
fn table(
    text: &str,
    lines: &[Line<'_>],
    columns: &[String],
    from: usize,
    items: &mut Vec<SourceTask>,
) -> usize {
    let cells_per_row = columns.len().saturating_sub(1);
    let mut expected = 1u32;
    let mut row: Option<(usize, Vec<Span>)> = None;
    let mut i = from;
    let finish = |row: Option<(usize, Vec<Span>)>, items: &mut Vec<SourceTask>| {
        if let Some((start, cells)) = row {
            items.push(table_row(text, columns, start, &cells));
        }
    };
    while let Some(line) = lines.get(i) {
        let cell = line.text.trim();
        if cell.is_empty() {
            i += 1;
            continue;
        }
        if cell == expected.to_string() {
            finish(row.take(), items);
            row = Some((line.start, Vec::new()));
            expected += 1;
            i += 1;
            continue;
        }
        match &mut row {
            Some((_, cells)) if cells.len() < cells_per_row => {
                let lead = line.text.len() - line.text.trim_start().len();
                cells.push(line.start + lead..line.start + lead + cell.len());
            }
            _ if is_heading(line.text) => {}
            _ => break,
        }
        i += 1;
    }
    finish(row, items);
    i
}

/// A table row as an item: body columns its body, role columns its duty.
fn table_row(text: &str, columns: &[String], start: usize, cells: &[Span]) -> SourceTask {
    let mut duty = Duty::default();
    let mut body = Vec::new();
    let mut label = String::new();
    for (column, cell) in columns.iter().skip(1).zip(cells) {
        let value = text.get(cell.clone()).unwrap_or("");
        match role_of(column) {
            Some(role) => duty.add(role, value),
            None if BODY_COLUMNS.contains(&column.as_str()) => body.push(cell.clone()),
            None => {}
        }
        if label.is_empty() {
            label = format!(
                "序号{}",
                text.get(start..)
                    .and_then(|r| r.lines().next())
                    .unwrap_or("")
                    .trim()
            );
        }
    }
    SourceTask {
        number: 0,
        label,
        title: String::new(),
        span: start..cells.last().map_or(start, |c| c.end),
        body,
        duty,
        section: None,
    }
}
