//! plancheck checks the figures departments report against the targets of a work plan.
//!
//! The pipeline, one module per phase (see ARCHITECTURE.md):
//! `parse` (.plan files → `model::Plan`) → `load` (data files → `Submission`s) →
//! `eval` (rules × figures → verdicts) → `report` (human, JSON, …).

pub mod cli;
pub mod codes;
pub mod coverage;
pub mod diagnostic;
pub mod draft;
pub mod eval;
pub mod exact;
pub mod files;
pub mod fmt;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod memory;
pub mod model;
pub mod panic;
pub mod parse;
pub mod period;
pub mod plans;
pub mod policy;
pub mod report;
pub mod ruletest;
pub mod source;
pub mod suggest;
pub mod template;
pub mod units;
pub mod waivers;
