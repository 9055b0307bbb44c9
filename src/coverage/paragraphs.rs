//! Finding the task paragraphs of the source document: numbered paragraphs under section
//! headings, each cut into a title sentence, its statements and the lead-unit parenthesis.

use super::SourceTask;
use crate::source::Span;

/// Chinese numerals that number section headings (`四、…`).
const NUMERALS: &str = "一二三四五六七八九十百零〇";

/// Where a task paragraph starts: `12.` (or `12．`, `12、`), perhaps after a word-processor
/// marker such as `[bookmark: OLE_LINK2]`. Returns the number and the byte offset in `line`
/// just after the marker.
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
    // `1.5亿元…` at the start of a line is a figure, not task 1.
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((number, line.len() - body.len()))
}

/// `四、聚力降碳减污扩绿…` or `（一）…`.
pub(super) fn is_heading(line: &str) -> bool {
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
