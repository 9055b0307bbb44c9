//! The pest parser generated from `grammar/plan.pest`, the reference for the plan language.

/// Parses `.plan` text; `Rule::file` for a whole file, `Rule::line_only` for one line.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/plan.pest"]
pub struct PlanParser;
