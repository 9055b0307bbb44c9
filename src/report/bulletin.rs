//! The bulletin (督查通报) as plain rows: what the HTML dashboard and the Excel workbook both
//! show, resolved once so the two agree on every light, place and figure.

use super::summary::{count_findings, summarize, Counts};
use super::{findings_in_order, Context, Positions};
use crate::diagnostic::{Finding, Loc, Severity};
use crate::eval::{describe_value, RuleResult, Verdict};
use crate::model::{Plan, Rule, RuleId, Strength, Target};
use crate::units::Quantity;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A traffic light. Colour is never the only signal: every light is shown with a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Light {
    /// Met, ahead or on track.
    Green,
    /// Pending, or a strive target failing (a warning).
    Yellow,
    /// A must-target behind, overdue, unmet, missing or invalid (an error).
    Red,
}

impl Light {
    pub fn of(result: &RuleResult) -> Light {
        match Light::of_verdict(result.verdict) {
            // A failing verdict is an error unless the target is only striven for (力争), or
            // `--deny warnings` has not raised it.
            Light::Red if result.severity != Some(Severity::Error) => Light::Yellow,
            light => light,
        }
    }

    /// The light of a verdict when it is a must-target's: green when met or on course, yellow
    /// while pending or explained (已说明, which no longer fails), red otherwise.
    pub fn of_verdict(verdict: Verdict) -> Light {
        match verdict {
            Verdict::Met | Verdict::Ahead | Verdict::OnTrack => Light::Green,
            Verdict::Pending | Verdict::Waived => Light::Yellow,
            _ => Light::Red,
        }
    }

    /// The CSS class of the light.
    pub fn class(self) -> &'static str {
        match self {
            Light::Green => "g",
            Light::Yellow => "y",
            Light::Red => "r",
        }
    }

    /// The light's name, for screen readers and printouts without colour.
    pub fn word(self) -> &'static str {
        match self {
            Light::Green => "绿灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
        }
    }

    /// Fill and text colours (RGB) of a cell with this light: dark text on a pale fill,
    /// above 7:1 contrast, so the words stay legible in print and for weak sight.
    pub fn colors(self) -> (u32, u32) {
        match self {
            Light::Green => (0x00D1_FADF, 0x0014_532D),
            Light::Yellow => (0x00FE_F3C7, 0x0071_3F12),
            Light::Red => (0x00FE_E2E2, 0x007F_1D1D),
        }
    }
}

/// One rule's result for one period, with everything a bulletin row shows.
#[derive(Debug)]
pub struct Row<'a> {
    pub result: &'a RuleResult,
    pub rule: &'a Rule,
    /// The section heading (篇章) above the task, `四、聚力降碳…`.
    pub section: String,
    pub task: u32,
    pub task_title: String,
    /// Who answers for the rule: its `by` units, else the task's lead units.
    pub units: Vec<Arc<str>>,
    pub light: Light,
    /// The target in the rule's notation: `>= 91%`.
    pub target: String,
    /// The target's amount in its unit, for a spreadsheet cell.
    pub target_amount: Option<Decimal>,
    /// The figure in the target's unit (`460 亿元`), else as reported (`已完成`, `“约90%”`), `—`
    /// when missing.
    pub actual: String,
    /// The figure in the target's unit, when it could be compared.
    pub compared: Option<Quantity>,
    pub expected: Option<Quantity>,
    /// The target's unit, `家`, `%`; empty for milestones and relative targets.
    pub unit: String,
    pub period: String,
    pub reporter: String,
    pub quote: String,
}

impl Row<'_> {
    pub fn verdict(&self) -> Verdict {
        self.result.verdict
    }

    pub fn strength(&self) -> &'static str {
        self.rule.strength.word()
    }
}

/// One task and the indices of its rows.
#[derive(Debug)]
pub struct TaskGroup {
    pub section: String,
    pub number: u32,
    pub title: String,
    pub leads: Arc<[Arc<str>]>,
    /// 责任单位: co-responsible units, who may also report.
    pub co: Arc<[Arc<str>]>,
    /// 责任领导: the leaders answerable for the task.
    pub leaders: Vec<Arc<str>>,
    pub counts: Counts,
    pub light: Light,
    pub rows: Vec<usize>,
}

/// One lead unit and the indices of the rows it answers for.
#[derive(Debug)]
pub struct UnitGroup {
    pub name: String,
    pub counts: Counts,
    pub light: Light,
    pub rows: Vec<usize>,
}

/// One diagnostic and where it points.
#[derive(Debug)]
pub struct FindingRow<'a> {
    pub finding: &'a Finding,
    /// `path:line:column`, or `path Sheet1!C12` for a spreadsheet cell; empty when the
    /// finding has no place.
    pub place: String,
    /// The result the finding is about, if any.
    pub row: Option<usize>,
}

/// Everything a bulletin shows, in plan order.
#[derive(Debug)]
pub struct Bulletin<'a> {
    pub title: String,
    pub period: Option<String>,
    pub as_of: Option<String>,
    pub total: Counts,
    /// Must-targets (确保 or unmarked) on course in their latest period, and all of them.
    pub must_on_course: usize,
    pub must_total: usize,
    pub errors: usize,
    pub warnings: usize,
    pub submissions: usize,
    pub figures: usize,
    pub exit_code: u8,
    pub rows: Vec<Row<'a>>,
    pub tasks: Vec<TaskGroup>,
    pub units: Vec<UnitGroup>,
    pub findings: Vec<FindingRow<'a>>,
}

impl Bulletin<'_> {
    /// The share of must-targets on course in whole per cent, rounded half up.
    pub fn must_percent(&self) -> Option<usize> {
        (self.must_on_course * 100 + self.must_total / 2).checked_div(self.must_total)
    }
}

/// The light of a group: its worst result's.
fn worst_light<'r>(rows: impl IntoIterator<Item = &'r Row<'r>>) -> Light {
    rows.into_iter()
        .map(|r| r.light)
        .max()
        .unwrap_or(Light::Green)
}

fn section_title(plan: &Plan, rule: &Rule) -> String {
    plan.task(rule.task)
        .and_then(|t| t.section)
        .and_then(|s| plan.sections.get(s))
        .map(|s| format!("{}、{}", s.numeral, s.title))
        .unwrap_or_default()
}

/// The amount a target names, in its unit: the value, or the upper end of a range. Growth,
/// change and milestones name none.
pub fn target_amount(target: &Target) -> Option<Decimal> {
    match target {
        Target::Compare { value, .. } | Target::Approx { value, .. } => Some(value.amount),
        Target::Range { high, .. } => Some(high.amount),
        Target::Done | Target::Relative { .. } | Target::Rank(_) => None,
    }
}

fn row<'a>(plan: &'a Plan, result: &'a RuleResult) -> Option<Row<'a>> {
    let rule = plan.rule(result.rule)?;
    let task = plan.task(rule.task)?;
    // In the target's unit when it could be compared (for a summed figure, the total), so
    // it reads beside the target; else as reported.
    let actual = match (result.compared, &result.reported) {
        (Some(q), _) => q.to_string(),
        (None, Some(reported)) => describe_value(reported),
        (None, None) => "—".to_owned(),
    };
    Some(Row {
        result,
        rule,
        section: section_title(plan, rule),
        task: task.number,
        task_title: task.title.clone(),
        units: plan.responsible(rule).to_vec(),
        light: Light::of(result),
        target: rule.target.to_string(),
        target_amount: target_amount(&rule.target),
        actual,
        compared: result.compared,
        // Rounded for reading, never onto the other side of the figure.
        expected: crate::eval::shown_expected(result),
        unit: rule
            .target
            .unit()
            .map(|u| u.name.to_owned())
            .unwrap_or_default(),
        period: result.period.map(|p| p.to_string()).unwrap_or_default(),
        reporter: result.reporter.clone().unwrap_or_default(),
        quote: rule
            .quote
            .as_ref()
            .map(|q| q.text.clone())
            .unwrap_or_default(),
    })
}

/// `path:line:column`, or `path Sheet1!C12` for a spreadsheet cell.
pub fn place(ctx: &Context<'_>, positions: &Positions, loc: &Loc) -> String {
    let path = ctx.path_of(loc);
    match loc {
        Loc::Data(d) if d.cell.is_some() => {
            format!("{path} {}", d.cell.as_deref().unwrap_or(""))
        }
        _ => match positions.get(loc) {
            Some(at) => format!("{path}:{}:{}", at.line, at.column),
            None => path.into_owned(),
        },
    }
}

pub fn build<'a>(ctx: &Context<'a>) -> Bulletin<'a> {
    let plan = ctx.plan;
    let outcome = ctx.outcome;
    let summary = summarize(plan, outcome);
    let finding_counts = count_findings(outcome);
    let positions = ctx.all_positions();

    let mut rows = Vec::new();
    // Where each result's row is, by the address of the result: findings refer back to it.
    let mut row_of = std::collections::HashMap::new();
    for result in &outcome.results {
        if let Some(row) = row(plan, result) {
            row_of.insert(std::ptr::from_ref(result), rows.len());
            rows.push(row);
        }
    }
    // A must-target counts once, as of its latest period: rows are in plan order, then
    // period order, so the last row of a rule is its latest.
    let mut latest: BTreeMap<RuleId, &Row<'_>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.rule.strength == Strength::Must) {
        latest.insert(row.result.rule, row);
    }
    let must_on_course = latest.values().filter(|r| r.light == Light::Green).count();

    let tasks = summary
        .by_task
        .iter()
        .filter_map(|(id, counts)| {
            let task = plan.task(*id)?;
            let indices: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.rule.task == *id)
                .map(|(i, _)| i)
                .collect();
            let first = indices.first().and_then(|&i| rows.get(i));
            Some(TaskGroup {
                section: first.map(|r| r.section.clone()).unwrap_or_default(),
                number: task.number,
                title: task.title.clone(),
                leads: task.leads.clone(),
                co: task.co.clone(),
                leaders: task.leaders.clone(),
                counts: *counts,
                light: worst_light(indices.iter().filter_map(|&i| rows.get(i))),
                rows: indices,
            })
        })
        .collect();
    let units = summary
        .by_unit
        .iter()
        .map(|(name, counts)| {
            let indices: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.units.contains(name))
                .map(|(i, _)| i)
                .collect();
            UnitGroup {
                name: name.to_string(),
                counts: *counts,
                light: worst_light(indices.iter().filter_map(|&i| rows.get(i))),
                rows: indices,
            }
        })
        .collect();
    let findings = findings_in_order(outcome)
        .map(|(finding, result)| FindingRow {
            finding,
            place: finding
                .labels
                .first()
                .map(|l| place(ctx, &positions, &l.loc))
                .unwrap_or_default(),
            row: result.and_then(|r| row_of.get(&std::ptr::from_ref(r)).copied()),
        })
        .collect();

    Bulletin {
        title: plan
            .header
            .as_ref()
            .map_or_else(|| "plancheck".to_owned(), |h| h.title.clone()),
        period: plan.period().map(|p| p.to_string()),
        as_of: outcome.as_of.map(|d| d.to_string()),
        total: summary.total,
        must_on_course,
        must_total: latest.len(),
        errors: finding_counts.errors,
        warnings: finding_counts.warnings,
        submissions: outcome.submissions,
        figures: outcome.figures,
        exit_code: outcome.exit_code(),
        rows,
        tasks,
        units,
        findings,
    }
}
