//! Which files of the data paths are submissions, and what is said about the rest.
//!
//! The walk itself (links, loops, FIFOs, unreadable folders) is `files::walk`. Here the files
//! it passed over are sorted out, so none is skipped without a word:
//!
//! - a spreadsheet plancheck cannot read (`.xls`, `.xlsm`, `.ods`, WPS `.et`, …) is an error
//!   naming the file, since its figures would otherwise be reported missing. `.xls` is not
//!   read through calamine on purpose: calamine gives an .xls's cell values but not their
//!   number formats, so a rate shown as 92.3% would read as 0.923, and a wrong verdict is
//!   worse than a refusal that says "save it as .xlsx";
//! - documentation and housekeeping files pass quietly: hidden files (`.gitkeep`), Excel's
//!   lock files (`~$填报.xlsx`), READMEs and Markdown;
//! - anything else is listed in one warning.

use super::{is_data_file, LoadError};
use crate::diagnostic::{Finding, Kind, Severity};
use crate::files::list::PathList;
use std::path::{Path, PathBuf};

/// How many skipped files the warning names before it only counts.
const LISTED: usize = 20;

/// Spreadsheet formats that may hold figures but are not read.
const UNREAD_SPREADSHEETS: &[&str] = &["xls", "xlsm", "xlsb", "xltx", "ods", "et", "numbers"];

/// The data files below `roots` (files or folders), sorted by path, and the findings about
/// everything that was refused or passed over.
pub fn data_files(roots: &[PathBuf]) -> (PathList, Vec<Finding>) {
    let walk = crate::files::walk::walk(roots, &is_data_file);
    let mut findings = walk.findings;
    let mut listed = Vec::new();
    for path in walk.skipped {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if UNREAD_SPREADSHEETS.contains(&extension.as_str()) && !quiet(&path) {
            let error = LoadError::Format {
                path: path.display().to_string(),
                extension,
            };
            findings.push(Finding::from_diagnostic(&error, Kind::Input, |_| {
                unreachable_label()
            }));
        } else if !quiet(&path) {
            listed.push(path);
        }
    }
    if !listed.is_empty() {
        findings.push(skipped(&listed));
    }
    // Path order decides which of two reports comes first (in a conflict or a repeat), so it
    // must not depend on the order of the arguments either.
    let mut files = walk.files;
    files.sort();
    files.dedup();
    (files.into_iter().collect(), findings)
}

/// A format error has no label; this location is never built.
fn unreachable_label() -> crate::diagnostic::Loc {
    crate::diagnostic::Loc::Data(crate::source::DataLoc {
        file: crate::source::DataFileId(0),
        span: 0..0,
        cell: None,
    })
}

/// Files that are documentation or housekeeping, passed over without a word.
fn quiet(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || lower.starts_with("readme")
        || lower.ends_with(".md")
}

fn skipped(paths: &[PathBuf]) -> Finding {
    let mut names: Vec<String> = paths
        .iter()
        .take(LISTED)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > LISTED {
        names.push(format!("等 {} 个", paths.len()));
    }
    Finding {
        code: "plancheck::load::skipped-files",
        severity: Severity::Warning,
        kind: Kind::Check,
        message: format!(
            "跳过了 {} 个不是填报文件的文件：{}",
            paths.len(),
            names.join("、")
        ),
        help: Some(
            "填报文件须为 .json、.yaml、.yml、.toml、.csv 或 .xlsx；其他文件不读取。".to_owned(),
        ),
        labels: Vec::new(),
    }
}
