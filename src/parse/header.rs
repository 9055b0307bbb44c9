//! The source document a plan header names (`source "…"`), and where it may lie.

use super::error::{span, PlanError};
use crate::model::SourceDocument;
use crate::source::{normalize_newlines, RuleLoc};
use std::path::{Path, PathBuf};

/// Where a plan's `source` may lie, and how large it may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePolicy {
    pub within: Within,
    /// Bytes (`--max-source-size`).
    pub max_bytes: u64,
}

/// The folder a `source` must lie in, links resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Within {
    /// Anywhere (`--allow-source-outside`).
    Anywhere,
    /// Below this folder: the one that holds the rules folder.
    Folder(PathBuf),
    /// Below the folder that holds the .plan file's folder (for plans parsed from memory).
    BesidePlan,
}

impl Default for SourcePolicy {
    fn default() -> Self {
        SourcePolicy {
            within: Within::BesidePlan,
            max_bytes: crate::files::Limits::default().source_bytes,
        }
    }
}

/// The folder the sources of the plan in `rules` (a .plan file or a folder of them) must lie
/// in: the folder holding the rules folder, so the usual layout (`rules/`, `seeds/` beside it,
/// `source "../seeds/…"`) works, while `/etc/passwd` or `../../…` out of the project do not.
pub fn project_folder(rules: &Path) -> PathBuf {
    let rules_folder = if rules.is_dir() {
        rules.to_path_buf()
    } else {
        rules.parent().unwrap_or(Path::new("")).to_path_buf()
    };
    let rules_folder = if rules_folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        rules_folder
    };
    let canonical = std::fs::canonicalize(&rules_folder).unwrap_or(rules_folder);
    canonical
        .parent()
        .map_or(canonical.clone(), Path::to_path_buf)
}

/// Reads the document a `source "…"` line names, relative to the directory of the .plan file
/// `plan_path` that names it, so a rules directory can be moved together with its sources.
/// Only a regular file inside the policy's folder and within its size is read.
pub fn read_source(
    plan_path: &str,
    written: String,
    loc: RuleLoc,
    policy: &SourcePolicy,
) -> Result<SourceDocument, PlanError> {
    let base = Path::new(plan_path).parent().unwrap_or(Path::new(""));
    let path = base.join(&written);
    let root = match &policy.within {
        Within::Anywhere => None,
        Within::Folder(folder) => Some(folder.clone()),
        Within::BesidePlan => Some(project_folder(Path::new(plan_path))),
    };
    if let (Some(root), Ok(canonical)) = (&root, std::fs::canonicalize(&path)) {
        if !canonical.starts_with(root) {
            return Err(PlanError::SourceOutside {
                path: path.display().to_string(),
                root: root.display().to_string(),
                at: span(&loc.span),
            });
        }
    }
    let unreadable = |reason: String| PlanError::SourceUnreadable {
        path: path.display().to_string(),
        reason,
        at: span(&loc.span),
    };
    let bytes = crate::files::read_regular(&path, policy.max_bytes, "--max-source-size")
        .map_err(|refusal| unreadable(refusal.describe()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| unreadable(crate::files::not_utf8_reason(e.as_bytes())))?;
    Ok(SourceDocument {
        written,
        path,
        text: normalize_newlines(&text).into_owned(),
        loc,
    })
}
