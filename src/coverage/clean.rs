//! The source text as its sentences run: page markers that a conversion from PDF or Word left
//! inside a sentence (`- 5 -`, `第5页`, a bare `5` or `1、` on a line of its own) are taken
//! out, together with the line breaks around them, so that a sentence cut by a page break is
//! one sentence again. Every byte of the clean text maps back to the original, so reports
//! still point into the file the user has.

use crate::source::Span;

/// The cleaned text and, for each of its bytes (and its end), the original byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clean {
    pub text: String,
    map: Vec<usize>,
}

impl Clean {
    /// Cleans `text`. A marker line is dropped only where the line before it ends inside a
    /// sentence (no 。；：！？ or closing bracket) and the line after it goes on: elsewhere a
    /// bare number may be a table's 序号 cell or a numbered item on its own line.
    pub fn new(text: &str) -> Clean {
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .scan(0, |at, raw| {
                let start = *at;
                *at += raw.len();
                Some((start, raw))
            })
            .collect();
        // In a document with a flattened table a bare number is a 序号 cell: only the forms
        // no cell takes (`- 5 -`, `第5页`) are page markers there.
        let table = lines.iter().any(|(_, l)| l.trim() == "序号");
        let mut drop = vec![false; lines.len()];
        for (i, (_, raw)) in lines.iter().enumerate() {
            let line = raw.trim();
            let bare = line
                .trim_end_matches(['、', '.', '．'])
                .chars()
                .all(|c| c.is_ascii_digit());
            if !is_page_marker(line) || (table && bare) {
                continue;
            }
            let before = i
                .checked_sub(1)
                .and_then(|p| lines.get(p))
                .map(|(_, l)| l.trim_end());
            let after = lines.get(i + 1).map(|(_, l)| l.trim());
            let cut = before.is_some_and(|b| !b.is_empty() && !ends_sentence(b))
                && after.is_some_and(|a| !a.is_empty());
            if let Some(d) = drop.get_mut(i) {
                *d = cut;
            }
        }
        let mut clean = Clean {
            text: String::with_capacity(text.len()),
            map: Vec::with_capacity(text.len() + 1),
        };
        for (i, (start, raw)) in lines.iter().enumerate() {
            if drop.get(i).copied().unwrap_or(false) {
                continue;
            }
            // The line break before a dropped marker joins the two halves of the sentence.
            let joined = drop.get(i + 1).copied().unwrap_or(false);
            let keep = if joined {
                raw.trim_end_matches(['\n', '\r'])
            } else {
                raw
            };
            clean.text.push_str(keep);
            clean.map.extend((0..keep.len()).map(|b| start + b));
        }
        clean.map.push(text.len());
        clean
    }

    /// The text with page markers out and every line break removed too: what a `from` quote
    /// is matched against, so that a quote may run over a line break of the source.
    pub fn flat(text: &str) -> Clean {
        let clean = Clean::new(text);
        let mut flat = Clean {
            text: String::with_capacity(clean.text.len()),
            map: Vec::with_capacity(clean.map.len()),
        };
        for (at, c) in clean.text.char_indices() {
            if matches!(c, '\n' | '\r') {
                continue;
            }
            flat.text.push(c);
            flat.map
                .extend((0..c.len_utf8()).map(|b| clean.original(at + b)));
        }
        flat.map.push(text.len());
        flat
    }

    /// Every occurrence of `quote`, as spans of the original text.
    pub fn find_all(&self, quote: &str) -> Vec<Span> {
        if quote.is_empty() {
            return Vec::new();
        }
        self.text
            .match_indices(quote)
            .map(|(at, q)| self.original_span(&(at..at + q.len())))
            .collect()
    }

    /// The original offset of a clean offset.
    pub fn original(&self, at: usize) -> usize {
        self.map
            .get(at)
            .copied()
            .unwrap_or(usize::MAX)
            .min(self.map.last().copied().unwrap_or(0))
    }

    /// The original span of a clean span: from its first byte to just after its last.
    pub fn original_span(&self, span: &Span) -> Span {
        let start = self.original(span.start);
        let end = span
            .end
            .checked_sub(1)
            .map_or(start, |last| self.original(last) + 1);
        // The last byte of a multi-byte character maps to its own last byte.
        start..end.max(start)
    }
}

/// Whether a clean line ends a sentence or a clause block, so that a marker after it starts
/// something new rather than cutting a sentence.
fn ends_sentence(line: &str) -> bool {
    line.ends_with([
        '。', '；', '：', '！', '？', ';', ':', '!', '?', '）', ')', '”', '】',
    ])
}

/// `- 5 -`, `—5—`, `第5页`, `5`, `1、`, `1.`: a line with a page number or a numbering mark and
/// nothing else.
pub(super) fn is_page_marker(line: &str) -> bool {
    let inner = line
        .trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | ' ' | '　'))
        .trim();
    let inner = inner
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('页'))
        .unwrap_or(inner);
    let inner = inner.trim_end_matches(['、', '.', '．']);
    !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
mod tests {
    use super::*;

    #[test]
    fn a_page_marker_inside_a_sentence_is_taken_out() {
        let text = "1.地区生产总值增长\n- 2 -\n8%以上。\n序号\n1\n";
        let clean = Clean::new(text);
        assert_eq!(clean.text, "1.地区生产总值增长8%以上。\n序号\n1\n");
        let at = clean.text.find("8%").unwrap();
        assert_eq!(&text[clean.original(at)..], "8%以上。\n序号\n1\n");
        let span = clean.original_span(&(at - "增长".len()..at + 2));
        assert_eq!(&text[span], "增长\n- 2 -\n8%");
        // After a full stop the marker is kept: it may be a numbered item or a table cell.
        assert_eq!(Clean::new("完成。\n2\n增长5%").text, "完成。\n2\n增长5%");
        assert!(is_page_marker("第12页") && is_page_marker("—3—") && is_page_marker("1、"));
        assert!(!is_page_marker("1、增长") && !is_page_marker(""));
        let flat = Clean::flat("增长12%，\n税收\n- 3 -\n增长");
        assert_eq!(flat.text, "增长12%，税收增长");
        let text = "增长12%，\n税收\n- 3 -\n增长";
        let found = flat.find_all("，税收增");
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].clone()], "，\n税收\n- 3 -\n增");
    }
}
