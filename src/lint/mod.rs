//! Lints: rules checked against the sentence they cite and against each other.
//!
//! A rule is written by hand from a long plan text; a slip in it (力促 read as a must, a total
//! where the sentence sets an increment) gives a wrong verdict for a whole year. Each family of
//! lints lives in its own file:
//! - `quote.rs`: the rule agrees with its `from` sentence (numbers, operator, strength,
//!   increment words);
//! - `done.rs`: a milestone's sentence sets a completion, and no rank hides in it;
//! - `consistency.rs`: rules agree with each other, ranges are not points, every lead unit
//!   reports something, skips skip nothing checkable, kinds fit their wording;
//! - `tracked.rs`: a must-rule that only exists to be a `metric` reference;
//! - `approx.rs`: a 左右 target whose direction the wording gives (or a growth leaves open)
//!   written as `~=`, which fails over-achievement.
//!
//! Lints are heuristics over Chinese wording, so every finding is a warning with a fix.

mod approx;
mod consistency;
mod done;
mod quote;
pub(crate) mod text;
mod tracked;

#[cfg(test)]
mod tests;

use crate::diagnostic::{Finding, Kind, Label, Loc, Severity};
use crate::model::Plan;
use crate::source::RuleLoc;

/// Every lint finding of `plan`, in reading order.
pub fn lint(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    quote::check(plan, &mut findings);
    done::check(plan, &mut findings);
    consistency::check(plan, &mut findings);
    tracked::check(plan, &mut findings);
    approx::check(plan, &mut findings);
    findings.sort_by(|a, b| (a.primary(), a.code).cmp(&(b.primary(), b.code)));
    findings
}

/// A lint finding: a warning about the rules, at `labels` (the first is where it is shown).
fn finding(
    code: &'static str,
    message: String,
    help: Option<String>,
    labels: Vec<(&RuleLoc, String)>,
) -> Finding {
    Finding {
        code,
        severity: Severity::Warning,
        kind: Kind::Check,
        message,
        help,
        labels: labels
            .into_iter()
            .map(|(loc, text)| Label {
                loc: Loc::Rule(loc.clone()),
                text,
            })
            .collect(),
    }
}
