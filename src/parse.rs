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
pub(crate) use rules::side as approx_side;
pub(crate) use values::{trimmed, unescape};

/// The unit names of an `org_list` token, as written.
pub(crate) fn org_list_names<'i>(list: &pest::iterators::Pair<'i, Grammar>) -> Vec<&'i str> {
    values::orgs(list)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

use crate::diagnostic::Finding;
use crate::model::Plan;
use crate::source::{RuleFileId, SourceFile};
use std::path::Path;

/// pest's budget of parser calls per file. The grammar has no recursion, so this only stops a
/// pathological file from taking unbounded time; a real plan needs a few hundred per line.
const CALL_LIMIT: usize = 50_000_000;

/// How a plan's files are read: the limits, and whether its `source` may lie outside the
/// project folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    pub limits: crate::files::Limits,
    /// `--allow-source-outside`.
    pub allow_source_outside: bool,
}

/// Loads a plan from one `.plan` file or a directory of them (all `*.plan` files below it,
/// recursively, in path order), with the default limits.
pub fn load_plan(path: &Path) -> (Plan, Vec<Finding>) {
    load_plan_with(path, &ReadOptions::default())
}

/// As `load_plan`. The rules folder is walked by `files::walk` (links out of it refused, loops
/// and unreadable folders reported); only regular files within the size limit are read; the
/// plan's `source` must lie inside the folder that holds the rules folder unless
/// `allow_source_outside`.
pub fn load_plan_with(path: &Path, options: &ReadOptions) -> (Plan, Vec<Finding>) {
    load_plan_editing(path, &[], options)
}

/// As `load_plan_with`, with the text of each file in `editing` in place of what is on disk:
/// an editor's unsaved buffers. They are part of the plan even when not saved yet.
pub fn load_plan_editing(
    path: &Path,
    editing: &[(&Path, &str)],
    options: &ReadOptions,
) -> (Plan, Vec<Finding>) {
    let is_plan = |p: &Path| p.extension().is_some_and(|e| e == "plan");
    let walk = crate::files::walk::walk(&[path.to_path_buf()], &is_plan);
    let mut findings = walk.findings;
    if path.is_dir() && walk.files.is_empty() && findings.is_empty() && editing.is_empty() {
        let error = ParseError::NoRules {
            path: path.display().to_string(),
        };
        findings.push(error::to_finding(&error, RuleFileId(0)));
    }
    let (files, read) = read_rule_files(walk.files, editing, &options.limits);
    findings.extend(read);
    let policy = header::SourcePolicy {
        within: if options.allow_source_outside {
            header::Within::Anywhere
        } else {
            header::Within::Folder(header::project_folder(path))
        },
        max_bytes: options.limits.source_bytes,
    };
    let (plan, parsed) = parse_files_with(files, policy);
    findings.extend(parsed);
    (plan, findings)
}

/// Reads rule files within the size limit; a file that cannot be read is a finding.
/// The text of each file in `editing` stands in for what is on disk (an editor's unsaved
/// buffers), and is part of the plan even when not saved yet.
pub fn read_rule_files(
    paths: Vec<std::path::PathBuf>,
    editing: &[(&Path, &str)],
    limits: &crate::files::Limits,
) -> (Vec<SourceFile>, Vec<Finding>) {
    let options = ReadOptions {
        limits: *limits,
        allow_source_outside: false,
    };
    let mut findings = Vec::new();
    let mut files = Vec::new();
    let same = |a: &Path, b: &Path| {
        a == b
            || std::fs::canonicalize(a)
                .is_ok_and(|a| std::fs::canonicalize(b).is_ok_and(|b| a == b))
    };
    let mut unsaved: Vec<&(&Path, &str)> = editing.iter().collect();
    for path in paths {
        if let Some(at) = unsaved.iter().position(|(e, _)| same(e, &path)) {
            let (_, text) = unsaved.remove(at);
            files.push(SourceFile::new(path.display().to_string(), text));
            continue;
        }
        let read = crate::files::read_regular(&path, options.limits.file_bytes, "--max-file-size");
        match read.map(String::from_utf8) {
            Ok(Ok(text)) => files.push(SourceFile::new(path.display().to_string(), &text)),
            Ok(Err(e)) => findings.push(io_finding(
                &path,
                crate::files::not_utf8_reason(e.as_bytes()),
            )),
            Err(refusal) => findings.push(match refusal.code() {
                // Refused for what the file is, not for an error reading it.
                Some(code) => crate::files::finding(
                    code,
                    format!("规则文件 {} 未读取：{}", path.display(), refusal.describe()),
                    "plancheck 只读取不超过大小上限的普通文件。",
                ),
                None => io_finding(&path, refusal.describe()),
            }),
        }
    }
    // New files not on disk yet.
    for (path, text) in unsaved {
        files.push(SourceFile::new(path.display().to_string(), text));
    }
    (files, findings)
}

/// Parses `files[range]` as one plan of several checked in one run (`crate::plans`). Rule
/// file ids stay those of `files`, so the plans can later be merged without renumbering
/// locations; the plan holds every file, the others' emptied.
pub fn parse_member(
    files: &[SourceFile],
    range: std::ops::Range<usize>,
    rules: &Path,
    options: &ReadOptions,
) -> (Plan, Vec<Finding>) {
    static LIMIT: std::sync::Once = std::sync::Once::new();
    LIMIT.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT)));
    let mut builder = build::PlanBuilder::default();
    builder.source_policy = header::SourcePolicy {
        within: if options.allow_source_outside {
            header::Within::Anywhere
        } else {
            header::Within::Folder(header::project_folder(rules))
        },
        max_bytes: options.limits.source_bytes,
    };
    for (index, file) in files.iter().enumerate() {
        if range.contains(&index) {
            builder.add_file(RuleFileId(index), file);
        }
    }
    let own: Vec<SourceFile> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if range.contains(&i) {
                f.clone()
            } else {
                SourceFile::new(f.path.clone(), "")
            }
        })
        .collect();
    builder.finish(own)
}

/// Parses already-read rule files as one plan; `RuleFileId(i)` is `files[i]`.
pub fn parse_files(files: Vec<SourceFile>) -> (Plan, Vec<Finding>) {
    parse_files_with(files, header::SourcePolicy::default())
}

fn parse_files_with(files: Vec<SourceFile>, policy: header::SourcePolicy) -> (Plan, Vec<Finding>) {
    static LIMIT: std::sync::Once = std::sync::Once::new();
    LIMIT.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT)));
    let mut builder = build::PlanBuilder::default();
    builder.source_policy = policy;
    for (index, file) in files.iter().enumerate() {
        builder.add_file(RuleFileId(index), file);
    }
    builder.finish(files)
}

fn io_finding(path: &Path, reason: String) -> Finding {
    let error = ParseError::Io {
        path: path.display().to_string(),
        reason,
    };
    // The error has no label, so the file id is never used.
    error::to_finding(&error, RuleFileId(0))
}
