//! The source document a plan header names (`source "…"`), and I/O errors in words.

use super::error::{span, PlanError};
use crate::model::SourceDocument;
use crate::source::{normalize_newlines, RuleLoc};
use std::path::Path;

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
            text: normalize_newlines(&text).into_owned(),
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
