//! Byte spans and the files they point into.
//!
//! Every location in plancheck is a byte range into a file's text, as pest and the data
//! parsers report it. Lines and columns are derived only when a report needs them, so no phase
//! can disagree with another about what "column 5" means on a line of Chinese text.

use std::ops::Range;

/// A byte range into one file's text.
pub type Span = Range<usize>;

/// Identifies one rule file of a loaded plan (an index into `Plan::files`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleFileId(pub usize);

/// Identifies one data file of a check run (an index into the run's list of data files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataFileId(pub usize);

/// A place in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleLoc {
    pub file: RuleFileId,
    pub span: Span,
}

/// A place in a data file. Spreadsheet cells also carry their `Sheet1!C12` name, because a
/// byte offset means nothing to someone who opens the workbook.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataLoc {
    pub file: DataFileId,
    pub span: Span,
    pub cell: Option<String>,
}

// `Range` is not `Ord`; locations order by file, then start, then end, which is reading order.
impl Ord for RuleLoc {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.file, self.span.start, self.span.end).cmp(&(
            other.file,
            other.span.start,
            other.span.end,
        ))
    }
}

impl PartialOrd for RuleLoc {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DataLoc {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.file, self.span.start, self.span.end, &self.cell).cmp(&(
            other.file,
            other.span.start,
            other.span.end,
            &other.cell,
        ))
    }
}

impl PartialOrd for DataLoc {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A file's path (as given on the command line or found in a directory) and its text with
/// line endings normalised to `\n`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    /// Shared, so a report that shows the plan's lines does not copy the plan (megabytes for
    /// a national one). Empty once `release`d.
    pub text: std::sync::Arc<str>,
    /// The length and hash of the text `release` let go, to know the file read again for a
    /// report is the one that was parsed.
    released: Option<(usize, u64)>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: &str) -> Self {
        Self {
            path: path.into(),
            text: normalize_newlines(text).into(),
            released: None,
        }
    }

    /// Lets the text go for the length of a check: once the plan is parsed, only a report
    /// shows its lines, and `current` reads them again then, as data files are. A national
    /// plan that lists its 2,800 units under every task is megabytes of text.
    pub fn release(&mut self) {
        if self.released.is_none() {
            self.released = Some((self.text.len(), fingerprint(&self.text)));
            self.text = std::sync::Arc::from("");
        }
    }

    /// The file with its text: as held, or read again after `release`. `None` if the file
    /// is gone or is no longer the text that was parsed: a report then shows no snippet
    /// from it rather than the wrong lines.
    pub fn current(&self) -> Option<SourceFile> {
        let Some((len, hash)) = self.released else {
            return Some(self.clone());
        };
        let bytes = crate::files::read_regular(
            std::path::Path::new(&self.path),
            // (Normalising only shortens a text: \r\n to \n, a byte-order mark dropped.)
            u64::try_from(len.saturating_mul(2).saturating_add(3)).unwrap_or(u64::MAX),
            "",
        )
        .ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let again = SourceFile::new(self.path.clone(), &text);
        (again.text.len() == len && fingerprint(&again.text) == hash).then_some(again)
    }
}

fn fingerprint(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Turns `\r\n` and lone `\r` into `\n` and drops a leading byte-order mark.
///
/// miette treats a lone `\r` as a line break and pest does not; normalising once on load keeps
/// every phase's idea of lines identical. Text that needs no change is borrowed, not copied:
/// most files have no `\r`.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A 1-based line and column. The column counts Unicode scalar values (characters), the
/// convention of every machine-readable report plancheck writes unless that format says
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Line and character column of byte `offset` in `text`. An offset past the end or inside a
/// character is clamped, never a panic: a report must render whatever span it is given.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
    LineCol { line, column }
}

/// Clamps a span so that it lies within `text` on character boundaries.
pub fn clamp_span(text: &str, span: &Span) -> Span {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    let end = fix(span.end).max(start);
    start..end
}

/// Whether `text` shows nothing: empty, or only white space and invisible characters
/// (zero-width spaces and joiners, the word joiner, the byte-order mark, soft hyphens, bidi
/// controls and other format characters). Such a name or reason would look blank.
pub fn invisible_only(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c,
                '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
                | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
                | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}')
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "甲乙\n受污染耕地 >= 91%";
        let offset = text.find(">=").unwrap_or(0);
        assert_eq!(line_col(text, offset), LineCol { line: 2, column: 7 });
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        let text = "受污染";
        assert_eq!(line_col(text, 1), LineCol { line: 1, column: 1 });
        assert_eq!(line_col(text, 99), LineCol { line: 1, column: 4 });
        assert_eq!(clamp_span(text, &(4..99)), 3..9);
    }

    #[test]
    fn invisible_only_text_is_blank() {
        for blank in [
            "",
            "   ",
            "\u{200b}",
            "\u{3000}\u{feff}",
            "\u{202e}\u{2066}",
        ] {
            assert!(invisible_only(blank), "{blank:?}");
        }
        assert!(!invisible_only("受污染耕地安全利用率"));
        assert!(!invisible_only(" a\u{200b}"));
    }

    #[test]
    fn line_endings_are_normalised() {
        assert_eq!(normalize_newlines("\u{feff}a\r\nb\rc"), "a\nb\nc");
    }

    #[test]
    fn a_released_text_is_read_again_only_while_the_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("计划.plan");
        std::fs::write(&path, "\u{feff}task 1 \"甲\" {\r\n}\r\n").unwrap();
        let mut file = SourceFile::new(path.display().to_string(), "task 1 \"甲\" {\r\n}\r\n");
        let held = file.current().unwrap();
        assert_eq!(&*held.text, "task 1 \"甲\" {\n}\n");
        file.release();
        assert_eq!(&*file.text, "");
        assert_eq!(&*file.current().unwrap().text, "task 1 \"甲\" {\n}\n");
        // The same length, another text: no lines rather than the wrong ones.
        std::fs::write(&path, "task 2 \"乙\" {\n}\n").unwrap();
        assert!(file.current().is_none());
        std::fs::remove_file(&path).unwrap();
        assert!(file.current().is_none());
    }
}
