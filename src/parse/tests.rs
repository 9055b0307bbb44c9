//! Tests of the parse phase: exact spans of errors on Chinese text, every statement form, the
//! block checks, sources and quotes, and one rendered error.

// Tests state their expectations with unwrap and indexing: a failure there is the assertion.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod checks;
mod comparisons;
mod files;
mod forms;
mod rendering;
mod structure;
mod syntax;
mod targets;

use super::parse_files;
use crate::diagnostic::{Finding, Loc};
use crate::model::Plan;
use crate::source::{line_col, RuleLoc, SourceFile};
use crate::units::{self, Quantity};
use rust_decimal::Decimal;
use std::str::FromStr;

/// Parses `text` as the only file of a plan.
fn parse(text: &str) -> (Plan, Vec<Finding>) {
    parse_files(vec![SourceFile::new("test.plan", text)])
}

/// `body` inside a task that has a lead, so only `body`'s own problems are reported.
fn in_task(body: &str) -> String {
    format!("task 1 \"测试任务\" {{\n    lead 区统计局\n{body}\n}}\n")
}

/// `amount` in the registry unit named `unit`, or a plain number if `unit` is empty.
fn quantity(amount: &str, unit: &str) -> Quantity {
    let unit = (!unit.is_empty()).then(|| units::lookup(unit).unwrap());
    Quantity::new(Decimal::from_str(amount).unwrap(), unit)
}

/// The codes of `findings`, in order.
fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

/// The rule-file location of a label.
fn rule_loc(loc: &Loc) -> &RuleLoc {
    match loc {
        Loc::Rule(loc) => loc,
        Loc::Data(_) => panic!("a parse finding points into a data file: {loc:?}"),
    }
}

/// Where label `index` of `finding` points: (byte offset, line, column, byte width, text).
fn label_at<'t>(
    text: &'t str,
    finding: &Finding,
    index: usize,
) -> (usize, usize, usize, usize, &'t str) {
    let span = &rule_loc(&finding.labels[index].loc).span;
    let at = line_col(text, span.start);
    (
        span.start,
        at.line,
        at.column,
        span.len(),
        &text[span.clone()],
    )
}

/// Unit names as plain strings, to compare with a literal list.
fn names(units: &[std::sync::Arc<str>]) -> Vec<&str> {
    units.iter().map(|unit| &**unit).collect()
}

/// The text a location covers.
fn covered<'t>(text: &'t str, loc: &RuleLoc) -> &'t str {
    &text[loc.span.clone()]
}
