//! Byte offsets to protocol positions and back.
//!
//! plancheck's spans are byte offsets; the protocol counts a line's `character` in UTF-16 code
//! units unless the client offers another encoding. A Chinese character is one UTF-16 unit and
//! three bytes; 𠮷 (outside the BMP) is two units and four bytes, so each conversion walks the
//! line's characters. Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol says, so the
//! editor's raw text and plancheck's normalised text agree on every line and column.

use lsp_types::{Position, PositionEncodingKind, Range};

/// How `Position::character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion to get wrong), else the protocol's
    /// default UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offers_utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'\n' => starts.push(i + 1),
            // `\r\n` breaks once, at its `\n`.
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
            _ => {}
        }
    }
    starts
}

/// The line's text without its line break.
fn line_text(text: &str, start: usize) -> &str {
    let rest = text.get(start..).unwrap_or("");
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The position of byte `offset`; an offset past the end or inside a character is clamped.
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    let offset = crate::source::clamp_span(text, &(offset..offset)).start;
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let start = starts.get(line).copied().unwrap_or(0);
    let before = text.get(start..offset).unwrap_or("");
    // A span never points into a line break, but an offset on `\r\n`'s `\n` counts as the end
    // of the line.
    let before = before.trim_end_matches('\r');
    let character = before.chars().map(|c| encoding.width(c)).sum();
    Position::new(to_u32(line), to_u32(character))
}

pub fn range(text: &str, span: &std::ops::Range<usize>, encoding: Encoding) -> Range {
    Range::new(
        position(text, span.start, encoding),
        position(text, span.end, encoding),
    )
}

/// The byte offset of `position`. A line past the end is the end of the text; a character past
/// the end of its line is the line's end; one inside a character is that character's start.
pub fn offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(position.line as usize) else {
        return text.len();
    };
    let line = line_text(text, start);
    let mut units = 0;
    for (i, c) in line.char_indices() {
        let next = units + encoding.width(c);
        if next > position.character as usize {
            return start + i;
        }
        units = next;
    }
    start + line.len()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;

    #[test]
    fn chinese_and_non_bmp_columns() {
        let text = "a\n    𠮷指标 >= 5 家\r\nz";
        let at = text.find(">=").unwrap();
        assert_eq!(position(text, at, Encoding::Utf16), Position::new(1, 9));
        assert_eq!(position(text, at, Encoding::Utf8), Position::new(1, 15));
        assert_eq!(offset(text, Position::new(1, 9), Encoding::Utf16), at);
        assert_eq!(offset(text, Position::new(1, 15), Encoding::Utf8), at);
        // Inside the surrogate pair: the character's start.
        assert_eq!(offset(text, Position::new(1, 5), Encoding::Utf16), 6);
        // Past the end of the line: before the `\r\n`.
        assert_eq!(
            offset(text, Position::new(1, 99), Encoding::Utf16),
            text.find('\r').unwrap()
        );
        assert_eq!(
            position(text, text.len(), Encoding::Utf16),
            Position::new(2, 1)
        );
        assert_eq!(
            offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }
}
