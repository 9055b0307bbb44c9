//! The JSON report: stable, documented, and described by a committed JSON Schema
//! (`schemas/report.schema.json`, generated from these types).
//!
//! Field order is the struct order and every list is sorted by the evaluator, so the same input
//! gives byte-identical output. Lines and columns are 1-based; columns count Unicode characters.

use super::{Context, Positions};
use crate::diagnostic::{Finding, Loc, Severity};
use crate::eval::describe_value;
use crate::eval::{RuleResult, Verdict};
use crate::model::{MetricKind, Strength};
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

/// Bumped when a field changes meaning or disappears; new fields do not bump it.
pub const FORMAT_VERSION: u32 = 1;

/// A plancheck report.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonReport {
    /// Version of this format.
    pub version: u32,
    pub plan: PlanInfo,
    pub summary: SummaryInfo,
    /// One entry per rule and reporting period, in plan order.
    pub results: Vec<ResultEntry>,
    /// Findings that are not a rule's result: broken input, unknown metrics, duplicates.
    pub diagnostics: Vec<DiagnosticEntry>,
    /// Figures across periods against the expected line, per rule.
    pub trajectories: Vec<Trajectory>,
    /// The plan's tasks and who answers for them, once per task rather than once per result
    /// (a national task has thousands of co-leads).
    pub tasks: Vec<TaskEntry>,
    /// The run's waivers (情况说明) and what became of each; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub waivers: Vec<WaiverEntry>,
}

/// One task of the plan.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TaskEntry {
    /// Task number in the plan; results refer to it as `task`.
    pub task: u32,
    pub title: String,
    /// The task's lead units (牵头单位).
    pub lead: Arc<[Arc<str>]>,
    /// Its co-responsible units (责任单位, `co`), who may also report its figures.
    #[serde(skip_serializing_if = "no_units", default)]
    pub co: Arc<[Arc<str>]>,
    /// The leaders answerable for it (责任领导, `leader`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub leader: Vec<Arc<str>>,
}

/// A waiver of the run.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WaiverEntry {
    pub file: String,
    pub plan: Option<String>,
    /// The metric of the rule it explains.
    pub rule: String,
    pub period: String,
    pub reporter: String,
    pub reason: String,
    pub office: String,
    pub expires: String,
    /// "applied", "expired", "refused" (a missing or invalid figure) or "unused".
    pub status: String,
    /// How many results it turned into "waived".
    pub waived: usize,
}

/// An approved adjustment of a target, in force for the result's period.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AdjustmentEntry {
    /// The target the plan first set.
    pub original: String,
    /// The date the adjusted target applies from.
    pub from: String,
    /// The document number (文号) that approved it.
    pub document: String,
    pub reason: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanInfo {
    pub title: Option<String>,
    /// The plan's period, e.g. "2023".
    pub period: Option<String>,
    pub tasks: usize,
    pub rules: usize,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SummaryInfo {
    /// The evaluation date (`--as-of`, else the end of the latest period in the data).
    pub as_of: Option<String>,
    pub met: usize,
    pub ahead: usize,
    pub on_track: usize,
    pub behind: usize,
    pub pending: usize,
    pub overdue: usize,
    pub unmet: usize,
    pub missing: usize,
    pub invalid: usize,
    /// Results whose failure is explained by a waiver in force (已说明).
    #[serde(skip_serializing_if = "is_zero", default)]
    pub waived: usize,
    /// Error-level findings, results and diagnostics together.
    pub errors: usize,
    pub warnings: usize,
    pub submissions: usize,
    pub figures: usize,
    /// The exit code of the run: 0 clean, 1 error-level findings, 2 broken input.
    pub exit_code: u8,
}

/// A rule's verdict for a period. Only behind, overdue, unmet, missing and invalid fail.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JsonVerdict {
    Met,
    /// Before the deadline, above the expected progress (超前).
    Ahead,
    /// Before the deadline, on the expected progress within the tolerance (序时推进).
    OnTrack,
    /// Before the deadline, below the expected progress (滞后).
    Behind,
    /// A milestone not yet done before its deadline (待完成).
    Pending,
    /// A milestone not done after its deadline (逾期).
    Overdue,
    Unmet,
    Missing,
    Invalid,
    /// A behind, unmet or overdue result with an accepted explanation (已说明) in force.
    Waived,
}

/// How the metric accumulates, which decides how it is judged before the deadline.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonKind {
    /// A year-to-date flow, measured against the pro-rata line.
    Cumulative,
    /// A rate, stock or state that must hold in every period.
    Level,
    /// Done or not.
    Milestone,
}

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonSeverity {
    Error,
    Warning,
}

/// Where a rule's kind comes from.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonKindSource {
    /// `kind cumulative|level|milestone` in the rule.
    Written,
    /// Read from the target, the unit and the metric's name.
    Inferred,
}

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonStrength {
    /// 确保 or unmarked: unmet is an error.
    Must,
    /// 力争: unmet is a warning.
    Strive,
}

/// One rule's verdict for one period.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ResultEntry {
    /// The plan the result belongs to, when several plans are checked in one run.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub plan: Option<String>,
    /// Task number in the plan.
    pub task: u32,
    pub task_title: String,
    pub metric: String,
    pub strength: JsonStrength,
    pub kind: JsonKind,
    /// Whether the rule states its kind (`kind …`) or it was inferred from the target, the
    /// unit and the name: an inferred kind decides mid-year verdicts all the same.
    pub kind_source: JsonKindSource,
    /// The deadline: the rule's `due`, else the end of the plan period.
    pub deadline: Option<String>,
    pub verdict: JsonVerdict,
    /// Null when met.
    pub severity: Option<JsonSeverity>,
    /// The target in the rule's notation: ">= 91%", "in 1..2 个", "done". For an adjusted
    /// target, the one in force for the period.
    pub target: String,
    /// The adjustment the target comes from, when one is in force for the period.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub adjustment: Option<AdjustmentEntry>,
    /// The figure as reported: "4,600,000 万元", "已完成"; null when missing.
    pub actual: Option<String>,
    /// The figure in the target's unit, when it could be compared: "460 亿元". For a summed
    /// figure, the total.
    pub compared: Option<String>,
    /// The expected progress by the end of the period, for a cumulative figure before its
    /// deadline: the target times the elapsed share of the year, or the plan's schedule.
    pub expected: Option<String>,
    /// For a multi-year target (`toward 2025`) in a year before its end year: the path the
    /// year was judged on.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path: Option<PathEntry>,
    /// Last year's value or the other metric's figure, for a relative target.
    pub reference: Option<String>,
    /// The growth ("21.5%") or change ("1.2 百分点") a relative target compared.
    pub derived: Option<String>,
    /// For a growth in step with another metric (`growth >= growth of metric X`): X's growth
    /// ("4.6%") that `derived` was compared with. Absent for other targets.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub peer_growth: Option<String>,
    /// The parts of a summed figure, one per reporter.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub parts: Vec<PartEntry>,
    /// Every distinct value reported for the rule and period, in the order of their first
    /// places: one when the reporters agree (however many confirm it), several in a conflict.
    /// Empty when missing.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub values: Vec<ValueEntry>,
    /// Who reported the figure; null when missing.
    pub reporter: Option<String>,
    /// Reporting period: "2023", "2023-H1", "2023-Q2", "2023-06".
    pub period: Option<String>,
    /// The sentence of the source document the rule cites.
    pub quote: Option<String>,
    pub rule_location: Location,
    pub figure_location: Option<Location>,
    /// Diagnostic code when not met, e.g. "plancheck::check::unmet".
    pub code: Option<String>,
    pub message: Option<String>,
}

/// The straight line from a baseline to a multi-year target, at one year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PathEntry {
    /// The year the target is for: 2025 in `toward 2025`.
    pub end_year: i16,
    /// The target of the end year, in the rule's notation: ">= 10%".
    pub end_target: String,
    /// The year the line starts: the rule's baseline year, else last year.
    pub baseline_year: Option<i16>,
    /// The value it starts from: the rule's baseline, else last year's figure; null when
    /// neither is known (the result is then missing).
    pub baseline: Option<String>,
    /// The year's point on the line, in the rule's notation, which the figure was judged
    /// against: ">= 8%".
    pub point: Option<String>,
}

/// One distinct value and the reports that gave it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ValueEntry {
    /// The value as first reported: "4,600,000 万元".
    pub actual: String,
    /// Who reported it first.
    pub reporter: String,
    /// How many reports gave this value (co-leads confirming one figure, or repeats).
    pub reports: usize,
    /// Where it was first reported: the first few places in file order, at most 3; the
    /// others are counted in `reports`.
    pub places: Vec<Location>,
}

/// One reporter's part of a summed figure.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartEntry {
    pub reporter: String,
    pub actual: String,
    pub location: Location,
}

/// One rule's figures across periods against the expected line.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Trajectory {
    pub task: u32,
    pub metric: String,
    pub target: String,
    pub kind: JsonKind,
    pub points: Vec<TrajectoryPoint>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TrajectoryPoint {
    pub period: String,
    /// The figure in the target's unit, null when missing or invalid.
    pub actual: Option<String>,
    pub expected: Option<String>,
    pub verdict: JsonVerdict,
}

/// A position in a file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Location {
    /// Path as given on the command line or found in a directory.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in Unicode characters.
    pub column: usize,
    /// Spreadsheet cell such as "Sheet1!C12", for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

/// A location with the label that explains it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LabeledLocation {
    #[serde(flatten)]
    pub location: Location,
    pub label: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DiagnosticEntry {
    /// Stable code, e.g. "plancheck::check::unknown-metric"; `plancheck explain CODE` says more.
    pub code: String,
    pub severity: JsonSeverity,
    pub message: String,
    pub help: Option<String>,
    pub locations: Vec<LabeledLocation>,
}

fn severity(s: Severity) -> JsonSeverity {
    match s {
        Severity::Error => JsonSeverity::Error,
        Severity::Warning => JsonSeverity::Warning,
    }
}

fn kind(k: MetricKind) -> JsonKind {
    match k {
        MetricKind::Cumulative => JsonKind::Cumulative,
        MetricKind::Level => JsonKind::Level,
        MetricKind::Milestone => JsonKind::Milestone,
    }
}

/// Every rule's figures across periods against the expected line.
fn trajectories(ctx: &Context<'_>) -> Vec<Trajectory> {
    let plan = ctx.plan;
    super::summary::trajectories(ctx.outcome)
        .into_iter()
        .filter_map(|t| {
            let rule = plan.rule(t.rule)?;
            Some(Trajectory {
                task: plan.task(rule.task)?.number,
                metric: rule.metric.clone(),
                target: rule.target.to_string(),
                kind: kind(rule.kind()),
                points: t
                    .points
                    .iter()
                    .map(|r| TrajectoryPoint {
                        period: r.period.map(|p| p.to_string()).unwrap_or_default(),
                        actual: r.compared.map(|q| q.to_string()),
                        expected: crate::eval::shown_expected(r).map(|q| q.to_string()),
                        verdict: verdict(r.verdict),
                    })
                    .collect(),
            })
        })
        .collect()
}

fn verdict(v: Verdict) -> JsonVerdict {
    match v {
        Verdict::Met => JsonVerdict::Met,
        Verdict::Ahead => JsonVerdict::Ahead,
        Verdict::OnTrack => JsonVerdict::OnTrack,
        Verdict::Behind => JsonVerdict::Behind,
        Verdict::Pending => JsonVerdict::Pending,
        Verdict::Overdue => JsonVerdict::Overdue,
        Verdict::Unmet => JsonVerdict::Unmet,
        Verdict::Missing => JsonVerdict::Missing,
        Verdict::Invalid => JsonVerdict::Invalid,
        Verdict::Waived => JsonVerdict::Waived,
    }
}

fn location(ctx: &Context<'_>, positions: &Positions, loc: &Loc) -> Location {
    let pos = positions
        .get(loc)
        .unwrap_or(crate::source::LineCol { line: 1, column: 1 });
    Location {
        file: ctx.path_of(loc).into_owned(),
        line: pos.line,
        column: pos.column,
        cell: match loc {
            Loc::Data(d) => d.cell.clone(),
            Loc::Rule(_) => None,
        },
    }
}

fn path_entry(rule: &crate::model::Rule, result: &RuleResult) -> Option<PathEntry> {
    let year = result.period?.end().year();
    let end_year = rule.path_to(year)?;
    let baseline = crate::eval::path_baseline(rule, result, year);
    // The target in force, as the verdict used it.
    let target = rule.target_at(result.period.map(|p| p.end()));
    let op = match target {
        crate::model::Target::Compare { op, .. } => op.symbol(),
        _ => "",
    };
    let point =
        crate::eval::time::path_point(rule, target, result.reference, year, result.compared);
    Some(PathEntry {
        end_year,
        end_target: target.to_string(),
        baseline_year: rule.baseline_year.or_else(|| year.checked_sub(1)),
        baseline: baseline.map(|(_, value)| value.to_string()),
        point: point.map(|q| format!("{op} {q}")),
    })
}

fn result_entry(
    ctx: &Context<'_>,
    positions: &Positions,
    result: &RuleResult,
) -> Option<ResultEntry> {
    let plan = ctx.plan;
    let rule = plan.rule(result.rule)?;
    let task = plan.task(rule.task)?;
    Some(ResultEntry {
        plan: task.plan.clone(),
        task: task.number,
        task_title: task.title.clone(),
        metric: rule.metric.clone(),
        strength: match rule.strength {
            Strength::Must => JsonStrength::Must,
            Strength::Strive => JsonStrength::Strive,
        },
        kind: kind(rule.kind()),
        kind_source: match rule.kind_and_source().1 {
            crate::model::KindSource::Written => JsonKindSource::Written,
            _ => JsonKindSource::Inferred,
        },
        deadline: plan
            .period()
            .map(|p| crate::eval::time::deadline(rule, p).to_string()),
        verdict: verdict(result.verdict),
        severity: result.severity.map(severity),
        target: rule.target_at(result.period.map(|p| p.end())).to_string(),
        adjustment: result
            .period
            .and_then(|p| rule.adjustment_at(p.end()))
            .map(|a| AdjustmentEntry {
                original: rule.target.to_string(),
                from: a.from.to_string(),
                document: a.document.clone(),
                reason: a.reason.clone(),
            }),
        actual: result.reported.as_ref().map(describe_value),
        compared: result.compared.map(|q| q.to_string()),
        expected: crate::eval::shown_expected(result).map(|q| q.to_string()),
        path: path_entry(rule, result),
        reference: result.reference.map(|q| q.to_string()),
        derived: crate::eval::shown_derived(plan, result).map(|q| q.to_string()),
        peer_growth: crate::eval::shown_peer(result).map(|q| q.to_string()),
        parts: result
            .parts
            .iter()
            .map(|p| PartEntry {
                reporter: p.reporter.clone(),
                actual: describe_value(&p.reported),
                location: location(ctx, positions, &Loc::Data(p.figure.clone())),
            })
            .collect(),
        values: result
            .values
            .iter()
            .map(|v| ValueEntry {
                actual: describe_value(&v.reported),
                reporter: v.reporter.clone(),
                reports: v.reports,
                places: v
                    .places
                    .iter()
                    .map(|p| location(ctx, positions, &Loc::Data(p.clone())))
                    .collect(),
            })
            .collect(),
        reporter: result.reporter.clone(),
        period: result.period.map(|p| p.to_string()),
        quote: rule.quote.as_ref().map(|q| q.text.clone()),
        rule_location: location(ctx, positions, &Loc::Rule(rule.loc.clone())),
        figure_location: result
            .figure
            .as_ref()
            .map(|f| location(ctx, positions, &Loc::Data(f.clone()))),
        code: result.finding.as_ref().map(|f| f.code.to_owned()),
        message: result.finding.as_ref().map(|f| f.message.clone()),
    })
}

fn diagnostic_entry(
    ctx: &Context<'_>,
    positions: &Positions,
    finding: &Finding,
) -> DiagnosticEntry {
    DiagnosticEntry {
        code: finding.code.to_owned(),
        severity: severity(finding.severity),
        message: finding.message.clone(),
        help: finding.help.clone(),
        locations: finding
            .labels
            .iter()
            .map(|l| LabeledLocation {
                location: location(ctx, positions, &l.loc),
                label: l.text.clone(),
            })
            .collect(),
    }
}

/// Builds the report of `ctx`.
pub fn build(ctx: &Context<'_>) -> JsonReport {
    let outcome = ctx.outcome;
    let positions = ctx.all_positions();
    let findings = super::summary::count_findings(outcome);
    JsonReport {
        version: FORMAT_VERSION,
        plan: PlanInfo {
            title: ctx.plan.header.as_ref().map(|h| h.title.clone()),
            period: ctx.plan.period().map(|p| p.to_string()),
            tasks: ctx.plan.tasks.len(),
            rules: ctx.plan.rules.len(),
        },
        summary: SummaryInfo {
            as_of: outcome.as_of.map(|d| d.to_string()),
            met: outcome.count(Verdict::Met),
            ahead: outcome.count(Verdict::Ahead),
            on_track: outcome.count(Verdict::OnTrack),
            behind: outcome.count(Verdict::Behind),
            pending: outcome.count(Verdict::Pending),
            overdue: outcome.count(Verdict::Overdue),
            unmet: outcome.count(Verdict::Unmet),
            missing: outcome.count(Verdict::Missing),
            invalid: outcome.count(Verdict::Invalid),
            waived: outcome.count(Verdict::Waived),
            errors: findings.errors,
            warnings: findings.warnings,
            submissions: outcome.submissions,
            figures: outcome.figures,
            exit_code: outcome.exit_code(),
        },
        results: outcome
            .results
            .iter()
            .filter_map(|r| result_entry(ctx, &positions, r))
            .collect(),
        diagnostics: outcome
            .findings
            .iter()
            .map(|f| diagnostic_entry(ctx, &positions, f))
            .collect(),
        trajectories: trajectories(ctx),
        tasks: ctx
            .plan
            .tasks
            .iter()
            .map(|t| TaskEntry {
                task: t.number,
                title: t.title.clone(),
                lead: t.leads.clone(),
                co: t.co.clone(),
                leader: t.leaders.clone(),
            })
            .collect(),
        waivers: outcome
            .waivers
            .iter()
            .map(|u| WaiverEntry {
                file: u.waiver.file.clone(),
                plan: u.waiver.plan.clone(),
                rule: u.waiver.rule.clone(),
                period: u.waiver.period.to_string(),
                reporter: u.waiver.reporter.clone(),
                reason: u.waiver.reason.clone(),
                office: u.waiver.office.clone(),
                expires: u.waiver.expires.to_string(),
                status: u.status.as_str().to_owned(),
                waived: match u.status {
                    crate::waivers::Status::Applied(n) => n,
                    _ => 0,
                },
            })
            .collect(),
    }
}

/// Writes `report` as `render` prints it, without holding the text: a national run's report
/// is megabytes.
pub fn write(report: &JsonReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::escape::json_pretty_to(&mut *out, report)?;
    out.write_all(b"\n")
}

/// The report as pretty-printed JSON with a trailing newline.
pub fn render(ctx: &Context<'_>) -> String {
    let mut text = super::escape::json_pretty(&build(ctx))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

fn no_units(units: &Arc<[Arc<str>]>) -> bool {
    units.is_empty()
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The JSON Schema of the report, as committed in `schemas/report.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(JsonReport);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
