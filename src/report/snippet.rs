//! Drawing a diagnostic with miette: the pieces `check`'s human report and `coverage` share.
//!
//! Both draw Chinese text, so both need headers whose column counts characters, and both must
//! keep reporting when miette cannot draw a snippet.

use super::human::Style;
use crate::source::{line_col, Span};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt::{self, Write as _};

/// A file's text for miette, with `file:line:column` headers that count the column in
/// characters as editors and the JSON report do; miette's own `str` source counts bytes, which
/// on a line of Chinese text points three times too far right.
#[derive(Debug)]
pub(crate) struct CharColumnSource {
    pub name: String,
    pub text: String,
    /// Show only part of a long line around a label; `None` shows whole lines.
    pub window: Option<Window>,
    /// When `text` is an excerpt (see [`Excerpt`]): its lines and where each came from. Empty
    /// when `text` is the whole file.
    pub lines: Vec<Shown>,
}

/// How much of a line to show around a one-line label: the source document of `coverage` puts
/// a whole task paragraph, several hundred characters, on one line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// Characters of the line to show on each side of the label, at most.
    pub chars: usize,
    /// Where the context may be cut so that it reads as whole clauses.
    pub breaks: fn(char) -> bool,
}

impl CharColumnSource {
    /// A whole file's text; reports draw from an [`Excerpt`] instead, which bounds long lines.
    #[cfg(test)]
    pub fn new(name: String, text: String) -> Self {
        Self {
            name,
            text,
            window: None,
            lines: Vec::new(),
        }
    }

    /// Characters before byte `at` on its line.
    fn column(&self, at: usize) -> usize {
        line_col(&self.text, at).column - 1
    }

    /// Up to `window.chars` characters on each side of a one-line span, within its line, cut
    /// after a break where there is one so the context reads as whole clauses.
    fn window(&self, span: &Span, window: Window) -> Option<MietteSpanContents<'_>> {
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
            .get(leading.len().saturating_sub(window.chars)..)
            .unwrap_or(&[]);
        let start = leading
            .iter()
            .find(|(_, c)| (window.breaks)(*c))
            .map(|(i, c)| i + c.len_utf8())
            .or_else(|| leading.first().map(|(i, _)| *i))
            .unwrap_or(span.start);
        let trailing: Vec<(usize, char)> = text
            .get(span.end..line_end)?
            .char_indices()
            .take(window.chars)
            .map(|(i, c)| (span.end + i, c))
            .collect();
        let end = trailing
            .iter()
            .rev()
            .find(|(_, c)| (window.breaks)(*c))
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

impl SourceCode for CharColumnSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if !self.lines.is_empty() {
            return self.read_excerpt(span, context_lines_before, context_lines_after);
        }
        let wanted = span.offset()..span.offset() + span.len();
        // miette reads the bare label span, without context, for the header's line and column;
        // only the snippet it draws is cut to the window.
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

/// One diagnostic, or one file's part of it, with its source attached, in the shape miette
/// renders.
#[derive(Debug)]
pub(crate) struct Rendered {
    pub message: String,
    /// `None` for a further snippet of a finding whose first snippet shows the code.
    pub code: Option<&'static str>,
    pub severity: miette::Severity,
    pub help: Option<String>,
    pub source: Option<CharColumnSource>,
    pub labels: Vec<LabeledSpan>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
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

/// miette's graphical handler at the report's width, in colour or not.
pub(crate) fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(style.width)
}

/// Draws `diagnostic` into `out`; `code` is the code to name if miette cannot draw it.
pub(crate) fn draw(
    out: &mut String,
    handler: &GraphicalReportHandler,
    diagnostic: &Rendered,
    code: &str,
) {
    if handler.render_report(out, diagnostic).is_err() {
        // A diagnostic that cannot be drawn is still reported, as plain text.
        let _ = writeln!(out, "{code}: {}", diagnostic.message);
    }
}

/// One line of an excerpt: where it sits in the excerpt's text and which line of the file it
/// shows.
#[derive(Debug, Clone)]
pub(crate) struct Shown {
    /// Byte range of the line in the excerpt's text, without its line break.
    start: usize,
    end: usize,
    /// 0-based line of the file.
    line: usize,
    /// Lines of one run are consecutive in the file; miette's context stays within a run.
    run: usize,
    /// Where the header of a label starting on this line points: (excerpt offset, 0-based
    /// character column in the file).
    heads: Vec<(usize, usize)>,
}

/// Lines longer than this many bytes are cut around their labels.
const LONG_LINE: usize = 480;
/// Characters shown on each side of the labels of a line that is cut.
const AROUND: usize = 60;
/// At most this many characters of one label are shown on a line that is cut.
const LONGEST_LABEL: usize = 120;
/// A label over more lines than this is shown on its first line only.
const LABEL_LINES: usize = 12;

/// A file's text with the start offset of each line, shared by every finding drawn from it.
#[derive(Debug)]
pub(crate) struct Indexed {
    pub path: String,
    pub text: std::sync::Arc<str>,
    starts: Vec<usize>,
}

impl Indexed {
    pub fn new(path: String, text: std::sync::Arc<str>) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { path, text, starts }
    }

    /// 0-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte range of 0-based line `line`, without its line break.
    fn line_range(&self, line: usize) -> Span {
        let start = self.starts.get(line).copied().unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        start..end.max(start)
    }

    /// 0-based character columns of many byte offsets, in one sweep over the text, so that
    /// thousands of labels on one long line cost one pass over it.
    pub fn columns(&self, offsets: &std::collections::BTreeSet<usize>) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(offsets.len());
        let mut at: Option<(usize, usize, usize)> = None; // (line, offset, column)
        for &offset in offsets {
            let line = self.line_of(offset);
            let (from, column) = match at {
                Some((l, o, c)) if l == line && o <= offset => (o, c),
                _ => (self.line_range(line).start, 0),
            };
            let column = column + self.text.get(from..offset).map_or(0, |t| t.chars().count());
            at = Some((line, offset, column));
            out.push((offset, column));
        }
        out
    }
}

/// The lines of a file that a finding's labels need, each cut around its labels when it is
/// long (with an ellipsis where it is cut) and with hidden characters shown as `\u{…}`, so
/// that a report costs in proportion to what it shows, however long the file or its lines.
pub(crate) struct Excerpt;

impl Excerpt {
    /// An excerpt of `file` for labels at byte `spans` (clamped into the text, on character
    /// boundaries) whose starts are at 0-based character `columns`. Returns the source and each
    /// span moved into it.
    pub fn build(
        file: &Indexed,
        name: String,
        spans: &[(Span, usize)],
    ) -> (CharColumnSource, Vec<Span>) {
        // The first and last line of each label, long labels cut to their first line.
        let spans: Vec<(Span, usize, usize, usize)> = spans
            .iter()
            .map(|(span, column)| {
                let first = file.line_of(span.start);
                let mut last = file.line_of(span.end);
                let mut span = span.clone();
                if last > first + LABEL_LINES {
                    span.end = file.line_range(first).end;
                    last = first;
                }
                (span, *column, first, last)
            })
            .collect();
        let last_line = file.starts.len().saturating_sub(1);
        let mut wanted = std::collections::BTreeSet::new();
        for (_, _, first, last) in &spans {
            wanted.extend(first.saturating_sub(1)..=(last + 1).min(last_line));
        }
        let mut text = String::new();
        let mut lines: Vec<Shown> = Vec::new();
        let mut moved: Vec<Span> = spans.iter().map(|_| 0..0).collect();
        let mut run = 0;
        for line in wanted {
            if let Some(previous) = lines.last() {
                text.push('\n');
                if previous.line + 1 != line {
                    run += 1;
                }
            }
            let range = file.line_range(line);
            // Labels that start, and labels that end, on this line.
            let starting: Vec<usize> = (0..spans.len())
                .filter(|&k| spans.get(k).is_some_and(|s| s.2 == line))
                .collect();
            let ending: Vec<usize> = (0..spans.len())
                .filter(|&k| spans.get(k).is_some_and(|s| s.3 == line))
                .collect();
            let (from, to) = cut(file, &range, &spans, &starting);
            let start = text.len();
            if from > range.start {
                text.push('…');
            }
            let mut heads = Vec::new();
            let body_start = text.len();
            let shown = file.text.get(from..to).unwrap_or("");
            // Boundaries are mapped on the raw line, then the line is escaped: escaping only
            // lengthens, so map through a walk when the line has something to escape.
            let escaped = super::escape::lines(shown);
            let map = |offset: usize| -> usize {
                let inner = offset.clamp(from, to) - from;
                match &escaped {
                    std::borrow::Cow::Borrowed(_) => body_start + inner,
                    std::borrow::Cow::Owned(_) => {
                        body_start + super::escape::lines(shown.get(..inner).unwrap_or("")).len()
                    }
                }
            };
            for &k in &starting {
                if let (Some((span, col, _, _)), Some(m)) = (spans.get(k), moved.get_mut(k)) {
                    m.start = map(span.start);
                    heads.push((m.start, *col));
                }
            }
            for &k in &ending {
                if let (Some((span, _, _, _)), Some(m)) = (spans.get(k), moved.get_mut(k)) {
                    m.end = map(span.end).max(m.start);
                }
            }
            text.push_str(&escaped);
            if to < range.end {
                text.push('…');
            }
            lines.push(Shown {
                start,
                end: text.len(),
                line,
                run,
                heads,
            });
        }
        let source = CharColumnSource {
            name,
            text,
            window: None,
            lines,
        };
        (source, moved)
    }
}

/// Which part of a line to show: the whole line when it is short, else the labels that start
/// on it with [`AROUND`] characters each side (a label cut to [`LONGEST_LABEL`] characters),
/// or its first characters when no label starts on it. Returns the byte range.
fn cut(
    file: &Indexed,
    range: &Span,
    spans: &[(Span, usize, usize, usize)],
    starting: &[usize],
) -> (usize, usize) {
    if range.end - range.start <= LONG_LINE {
        return (range.start, range.end);
    }
    let line = file.text.get(range.clone()).unwrap_or("");
    let at = |offset: usize| offset.clamp(range.start, range.end) - range.start;
    let back = |offset: usize, chars: usize| {
        let before = line.get(..at(offset)).unwrap_or("");
        let walked = before.char_indices().rev().take(chars).last();
        walked.map_or(offset, |(i, _)| range.start + i)
    };
    let forward = |offset: usize, chars: usize| {
        let after = line.get(at(offset)..).unwrap_or("");
        let end = after
            .char_indices()
            .nth(chars)
            .map_or(after.len(), |(i, _)| i);
        offset.max(range.start) + end
    };
    let first = starting
        .iter()
        .filter_map(|&k| spans.get(k))
        .min_by_key(|s| s.0.start);
    match first {
        Some((span, _, _, _)) => {
            let lo = span.start;
            let hi = starting
                .iter()
                .filter_map(|&k| spans.get(k))
                .map(|s| s.0.end.min(range.end))
                .max()
                .unwrap_or(lo)
                .min(forward(lo, LONGEST_LABEL));
            (back(lo, AROUND), forward(hi, AROUND))
        }
        None => (range.start, forward(range.start, 2 * AROUND)),
    }
}

impl CharColumnSource {
    /// `read_span` of an excerpt: the shown lines around `span`, within its run.
    fn read_excerpt<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let lines = &self.lines;
        let containing = |offset: usize| {
            lines
                .partition_point(|l| l.start <= offset)
                .saturating_sub(1)
        };
        let first = containing(span.offset());
        let last = containing(
            (span.offset() + span.len())
                .saturating_sub(1)
                .max(span.offset()),
        );
        let run = |i: usize| lines.get(i).map(|l| l.run);
        let mut top = first;
        while top > 0 && first - top < before && run(top - 1) == run(first) {
            top -= 1;
        }
        let mut bottom = last;
        while bottom + 1 < lines.len() && bottom - last < after && run(bottom + 1) == run(last) {
            bottom += 1;
        }
        let (Some(top_line), Some(bottom_line)) = (lines.get(top), lines.get(bottom)) else {
            return Err(MietteError::OutOfBounds);
        };
        let data = self
            .text
            .get(top_line.start..bottom_line.end)
            .ok_or(MietteError::OutOfBounds)?
            .as_bytes();
        let column = top_line
            .heads
            .iter()
            .find(|(at, _)| *at == span.offset())
            .map_or(0, |(_, column)| *column);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (top_line.start..bottom_line.end).into(),
            top_line.line,
            column,
            bottom - top + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    // A failed unwrap is the test failing; a label is a one-element list of ranges.
    #![allow(clippy::unwrap_used, clippy::single_range_in_vec_init)]
    use super::*;
    use crate::report::human::Style;

    /// Draws labels at `spans` of `text` from an excerpt, without colour.
    fn draw_excerpt(text: &str, spans: &[Span]) -> String {
        let file = Indexed::new("f.txt".to_owned(), text.into());
        let offsets = spans.iter().map(|s| s.start).collect();
        let columns: std::collections::HashMap<usize, usize> =
            file.columns(&offsets).into_iter().collect();
        let with_columns: Vec<(Span, usize)> = spans
            .iter()
            .map(|s| (s.clone(), columns.get(&s.start).copied().unwrap_or(0)))
            .collect();
        let (source, moved) = Excerpt::build(&file, "f.txt".to_owned(), &with_columns);
        let rendered = Rendered {
            message: "m".to_owned(),
            code: None,
            severity: miette::Severity::Error,
            help: None,
            source: Some(source),
            labels: moved
                .into_iter()
                .map(|s| LabeledSpan::new_with_span(Some("l".to_owned()), s))
                .collect(),
        };
        let style = Style {
            width: 200,
            color: false,
            max_per_code: None,
        };
        let mut out = String::new();
        draw(&mut out, &handler(style), &rendered, "x");
        out
    }

    #[test]
    fn hidden_characters_before_a_label_keep_it_in_place() {
        let text = "a\u{1b}b 受污染 c\n";
        let at = text.find("受污染").unwrap();
        let out = draw_excerpt(text, &[at..at + "受污染".len()]);
        assert!(out.contains("[f.txt:1:5]"), "{out}");
        assert!(out.contains("a\\u{1b}b 受污染 c"), "{out}");
        // The underline starts under 受, after the 9 columns of `a\u{1b}b `.
        let underline = out.lines().find(|l| l.contains('┬')).unwrap();
        let bar = underline.find('─').unwrap();
        let line = out.lines().find(|l| l.contains("受污染")).unwrap();
        let start = line.find('a').unwrap();
        let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        assert_eq!(
            width(underline.get(..bar).unwrap()),
            width(line.get(..start).unwrap()) + 9,
            "{out}"
        );
    }

    #[test]
    fn a_long_line_is_cut_on_both_sides_and_a_long_label_is_cut() {
        let text = format!("{}X{}\n", "甲".repeat(1000), "乙".repeat(1000));
        let at = "甲".len() * 1000;
        let out = draw_excerpt(&text, &[at..text.len() - 1]);
        assert!(out.contains("[f.txt:1:1001]"), "{out}");
        let line = out.lines().find(|l| l.contains('X')).unwrap();
        assert!(
            line.contains(&format!("…{}X", "甲".repeat(AROUND))),
            "{line}"
        );
        assert!(line.ends_with('…'), "{line}");
        // The label (X and 119 乙) is cut at LONGEST_LABEL characters, then AROUND more.
        assert_eq!(
            line.matches('乙').count(),
            LONGEST_LABEL - 1 + AROUND,
            "{line}"
        );
    }

    #[test]
    fn a_label_over_many_lines_is_shown_on_its_first() {
        let text: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let start = text.find("line 3").unwrap();
        let end = text.find("line 30").unwrap();
        let out = draw_excerpt(&text, &[start..end]);
        assert!(out.contains("[f.txt:4:1]"), "{out}");
        assert!(out.contains("line 4"), "{out}");
        assert!(!out.contains("line 20"), "{out}");
    }

    #[test]
    fn labels_far_apart_are_drawn_in_separate_runs() {
        let text: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let a = text.find("line 3").unwrap();
        let b = text.find("line 30").unwrap();
        let out = draw_excerpt(&text, &[a..a + 6, b..b + 7]);
        for shown in [" 4 │ line 3", " 31 │ line 30", " 32 │ line 31"] {
            assert!(out.contains(shown), "{shown}\n{out}");
        }
        assert!(!out.contains("line 10"), "{out}");
    }
}
