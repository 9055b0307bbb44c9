//! Cutting a paragraph's statements into clauses, the granularity at which rules quote the
//! text.

use super::has_quantity;
use crate::source::Span;

/// Characters that end a clause.
pub(super) fn is_clause_break(c: char) -> bool {
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
