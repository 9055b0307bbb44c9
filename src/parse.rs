//! Parsing `.plan` files into a `model::Plan`.
//!
//! Parsing never fails: it returns the plan built from whatever parsed together with every
//! error of every file, so a user with three typos gets three errors in one run. The grammar
//! (`grammar/plan.pest`) knows only lines; `build` checks which line belongs in which block.

mod build;
mod checks;
mod error;
mod grammar;
mod header;
mod quotes;
mod recovery;
mod rules;
mod values;

#[cfg(test)]
mod tests;

pub use error::{ParseError, PlanError};
pub(crate) use grammar::{PlanParser, Rule as Grammar};
pub(crate) use values::{trimmed, unescape};

use crate::diagnostic::Finding;
use crate::model::Plan;
use crate::source::{RuleFileId, SourceFile};
use std::path::{Path, PathBuf};

/// pest's budget of parser calls per file. The grammar has no recursion, so this only stops a
/// pathological file from taking unbounded time; a real plan needs a few hundred per line.
const CALL_LIMIT: usize = 50_000_000;

/// Loads a plan from one `.plan` file or a directory of them (all `*.plan` files below it,
/// recursively, in path order).
pub fn load_plan(path: &Path) -> (Plan, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut paths = Vec::new();
    if path.is_dir() {
        collect_plan_files(path, &mut paths, &mut findings);
        paths.sort();
        if paths.is_empty() && findings.is_empty() {
            let error = ParseError::NoRules {
                path: path.display().to_string(),
            };
            findings.push(error::to_finding(&error, RuleFileId(0)));
        }
    } else {
        paths.push(path.to_path_buf());
    }
    let mut files = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(SourceFile::new(path.display().to_string(), &text)),
            Err(io) => findings.push(io_finding(&path, &io)),
        }
    }
    let (plan, parsed) = parse_files(files);
    findings.extend(parsed);
    (plan, findings)
}

/// Parses already-read rule files as one plan; `RuleFileId(i)` is `files[i]`.
pub fn parse_files(files: Vec<SourceFile>) -> (Plan, Vec<Finding>) {
    static LIMIT: std::sync::Once = std::sync::Once::new();
    LIMIT.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT)));
    let mut builder = build::PlanBuilder::default();
    for (index, file) in files.iter().enumerate() {
        builder.add_file(RuleFileId(index), file);
    }
    builder.finish(files)
}

fn collect_plan_files(dir: &Path, paths: &mut Vec<PathBuf>, findings: &mut Vec<Finding>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(io) => return findings.push(io_finding(dir, &io)),
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(io) => {
                findings.push(io_finding(dir, &io));
                continue;
            }
        };
        let path = entry.path();
        // `file_type` does not follow symbolic links, so a link cycle cannot recurse forever.
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect_plan_files(&path, paths, findings),
            Ok(_) if path.extension().is_some_and(|e| e == "plan") => paths.push(path),
            Ok(_) => {}
            Err(io) => findings.push(io_finding(&path, &io)),
        }
    }
}

fn io_finding(path: &Path, io: &std::io::Error) -> Finding {
    let error = ParseError::Io {
        path: path.display().to_string(),
        reason: header::describe_io_error(io),
    };
    // The error has no label, so the file id is never used.
    error::to_finding(&error, RuleFileId(0))
}
