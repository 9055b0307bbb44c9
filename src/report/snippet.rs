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
    pub fn new(name: String, text: String) -> Self {
        Self {
            name,
            text,
            window: None,
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
