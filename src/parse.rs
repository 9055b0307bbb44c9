//! Parsing `.plan` files into a `model::Plan`. (Being written.)

use crate::diagnostic::Finding;
use crate::model::Plan;
use crate::source::SourceFile;
use std::path::Path;

/// Loads a plan from one `.plan` file or a directory of them.
pub fn load_plan(path: &Path) -> (Plan, Vec<Finding>) {
    let _ = path;
    (Plan::default(), Vec::new())
}

/// Parses already-read rule files as one plan.
pub fn parse_files(files: Vec<SourceFile>) -> (Plan, Vec<Finding>) {
    let _ = files;
    (Plan::default(), Vec::new())
}
