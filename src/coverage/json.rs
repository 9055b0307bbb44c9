//! The shape of `plancheck coverage --format json`. Field order is the output order; the
//! summary's totals and the task entries are `Summary` and `TaskCoverage` themselves.

use super::{Coverage, TaskCoverage};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    source: &'a str,
    summary: Summary,
    uncovered: Vec<Uncovered<'a>>,
    uncited_rules: Vec<Uncited<'a>>,
    quotes_not_found: Vec<NotFound<'a>>,
    skips: Vec<Skip<'a>>,
    tasks: &'a [TaskCoverage],
    /// Why the result cannot be trusted as it stands (no item found, no target covered).
    warnings: Vec<String>,
}

/// The totals and the exit code they give.
#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    totals: super::Summary,
    exit_code: u8,
}

#[derive(Serialize)]
struct Uncovered<'a> {
    task: u32,
    text: &'a str,
    /// A quote of it that occurs once in the source, ready for `from` or `skip`.
    quote: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Uncited<'a> {
    task: Option<u32>,
    metric: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct NotFound<'a> {
    of: &'static str,
    task: Option<u32>,
    quote: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Skip<'a> {
    quote: &'a str,
    reason: &'a str,
    task: Option<u32>,
}

/// The JSON report: `{ source, summary, uncovered, uncited_rules, quotes_not_found, skips,
/// tasks }`. Lines and columns are 1-based; columns count characters.
pub fn render_json(coverage: &Coverage) -> String {
    pretty(&report(coverage))
}

/// The JSON report of a rules folder of several plans: `{ plans: [{ plan, coverage }] }`, each
/// coverage as `render_json` writes it.
pub fn render_json_plans(plans: &[(&str, &Coverage)]) -> String {
    #[derive(Serialize)]
    struct Plans<'a> {
        plans: Vec<PlanCoverage<'a>>,
    }
    #[derive(Serialize)]
    struct PlanCoverage<'a> {
        plan: &'a str,
        coverage: Report<'a>,
    }
    let plans = plans
        .iter()
        .map(|(plan, coverage)| PlanCoverage {
            plan,
            coverage: report(coverage),
        })
        .collect();
    pretty(&Plans { plans })
}

fn report(coverage: &Coverage) -> Report<'_> {
    Report {
        source: &coverage.source,
        summary: Summary {
            totals: coverage.summary(),
            exit_code: coverage.exit_code(),
        },
        uncovered: coverage
            .uncovered()
            .map(|u| Uncovered {
                task: u.task,
                text: &u.text,
                quote: &u.quote,
                file: &coverage.source,
                line: u.line,
                column: u.column,
            })
            .collect(),
        uncited_rules: coverage
            .uncited_rules
            .iter()
            .map(|r| Uncited {
                task: r.task,
                metric: &r.metric,
                file: &r.place.file,
                line: r.place.line,
                column: r.place.column,
            })
            .collect(),
        quotes_not_found: coverage
            .quotes_not_found
            .iter()
            .map(|q| NotFound {
                of: q.of.as_str(),
                task: q.task,
                quote: &q.quote,
                file: &q.place.file,
                line: q.place.line,
                column: q.place.column,
            })
            .collect(),
        skips: coverage
            .skips
            .iter()
            .map(|k| Skip {
                quote: &k.quote,
                reason: &k.reason,
                task: k.task,
            })
            .collect(),
        tasks: &coverage.tasks,
        warnings: coverage.warnings(),
    }
}

/// Pretty JSON with every hidden character escaped, as all reports write it.
fn pretty(report: &impl Serialize) -> String {
    let mut text = crate::report::escape::json_pretty(report).unwrap_or_else(|e| {
        format!(
            "{{\"error\": {}}}",
            serde_json::Value::String(e.to_string())
        )
    });
    text.push('\n');
    text
}
