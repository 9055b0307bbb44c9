//! The plan header block, `plan "…" { period …  source "…"  tolerance …  approx … }`, and its
//! source document.

use super::error::{span, ParseError, PlanError};
use crate::model::SourceDocument;
use crate::source::{normalize_newlines, RuleLoc, Span};
use std::path::Path;

/// An open `plan` block: which of its statements were seen, and whether it is the plan's
/// header or a duplicate whose values are checked but not kept.
pub struct Header {
    open: Span,
    primary: bool,
    period: Option<Span>,
    source: Option<Span>,
    tolerance: Option<Span>,
    approx: Option<Span>,
}

impl Header {
    pub fn primary(open: Span) -> Self {
        Self {
            open,
            primary: true,
            period: None,
            source: None,
            tolerance: None,
            approx: None,
        }
    }

    pub fn ignored(open: Span) -> Self {
        Self {
            primary: false,
            ..Self::primary(open)
        }
    }

    pub fn is_primary(&self) -> bool {
        self.primary
    }

    pub fn open(&self) -> &Span {
        &self.open
    }

    /// Records a `period` line; an error if the block already has one.
    pub fn note_period(&mut self, at: &Span) -> Option<ParseError> {
        note_once(&mut self.period, at, "period")
    }

    /// Records a `source` line; an error if the block already has one.
    pub fn note_source(&mut self, at: &Span) -> Option<ParseError> {
        note_once(&mut self.source, at, "source")
    }

    /// Records a `tolerance` line; an error if the block already has one.
    pub fn note_tolerance(&mut self, at: &Span) -> Option<ParseError> {
        note_once(&mut self.tolerance, at, "tolerance")
    }

    /// Records an `approx` line; an error if the block already has one.
    pub fn note_approx(&mut self, at: &Span) -> Option<ParseError> {
        note_once(&mut self.approx, at, "approx")
    }
}

fn note_once(seen: &mut Option<Span>, at: &Span, statement: &'static str) -> Option<ParseError> {
    match seen {
        Some(first) => Some(ParseError::RepeatedInHeader {
            statement,
            at: span(at),
            first: span(first),
        }),
        None => {
            *seen = Some(at.clone());
            None
        }
    }
}

/// Reads the document a `source "…"` line names, relative to the directory of the .plan file
/// `plan_path` that names it, so a rules directory can be moved together with its sources.
pub fn read_source(
    plan_path: &str,
    written: String,
    loc: RuleLoc,
) -> Result<SourceDocument, PlanError> {
    let base = Path::new(plan_path).parent().unwrap_or(Path::new(""));
    let path = base.join(&written);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(SourceDocument {
            written,
            path,
            text: normalize_newlines(&text),
            loc,
        }),
        Err(error) => Err(PlanError::SourceUnreadable {
            path: path.display().to_string(),
            reason: describe_io_error(&error),
            at: span(&loc.span),
        }),
    }
}

/// An I/O error in words a plan author reads; the system's own text for the rare ones.
pub fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_owned(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
        std::io::ErrorKind::InvalidData => "文件不是 UTF-8 编码的文本".to_owned(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".to_owned(),
        _ => error.to_string(),
    }
}
