//! Counts by verdict, by task and by lead unit: what the supervising office looks at first.

use crate::diagnostic::Severity;
use crate::eval::{Outcome, RuleResult, Verdict};
use crate::model::{Plan, TaskId};
use std::sync::Arc;

/// Results counted by verdict, and the worst severity among them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Indexed like `Verdict::ALL`.
    by_verdict: [usize; Verdict::ALL.len()],
    pub worst: Option<Severity>,
}

impl Counts {
    fn add(&mut self, result: &RuleResult) {
        if let Some(slot) = self.by_verdict.get_mut(result.verdict as usize) {
            *slot += 1;
        }
        self.worst = self.worst.max(result.severity);
    }

    /// Adds every count of `other`.
    fn absorb(&mut self, other: &Counts) {
        for (slot, n) in self.by_verdict.iter_mut().zip(other.by_verdict) {
            *slot += n;
        }
        self.worst = self.worst.max(other.worst);
    }

    pub fn get(&self, verdict: Verdict) -> usize {
        self.by_verdict.get(verdict as usize).copied().unwrap_or(0)
    }

    pub fn total(&self) -> usize {
        self.by_verdict.iter().sum()
    }

    /// Results on course: met, or before the deadline ahead or on track.
    pub fn on_course(&self) -> usize {
        self.get(Verdict::Met) + self.get(Verdict::Ahead) + self.get(Verdict::OnTrack)
    }

    /// The share of results on course in whole per cent, rounded half up; `None` when there
    /// is no result.
    pub fn on_course_percent(&self) -> Option<usize> {
        (self.on_course() * 100 + self.total() / 2).checked_div(self.total())
    }

    /// The verdict columns worth showing for these counts: the four every run can give, and
    /// the time verdicts that occur.
    pub fn columns(&self) -> Vec<Verdict> {
        Verdict::ALL
            .into_iter()
            .filter(|v| {
                matches!(
                    v,
                    Verdict::Met | Verdict::Unmet | Verdict::Missing | Verdict::Invalid
                ) || self.get(*v) > 0
            })
            .collect()
    }

    /// ✔ all met, ⚠ only strive targets failing, ✘ a must-target failing.
    pub fn mark(&self) -> &'static str {
        match self.worst {
            None => "✔",
            Some(Severity::Warning) => "⚠",
            Some(Severity::Error) => "✘",
        }
    }
}

/// The summary of one outcome.
#[derive(Debug, Default)]
pub struct Summary {
    pub total: Counts,
    /// Tasks in plan order, each with its counts.
    pub by_task: Vec<(TaskId, Counts)>,
    /// Lead units in order of first appearance in the plan; a result counts for every unit
    /// that answers for its rule.
    pub by_unit: Vec<(Arc<str>, Counts)>,
}

pub fn summarize(plan: &Plan, outcome: &Outcome) -> Summary {
    let mut summary = Summary {
        by_task: (0..plan.tasks.len())
            .map(|i| (TaskId(i), Counts::default()))
            .collect(),
        ..Summary::default()
    };
    // Units are looked up by name, and results are counted per rule before they are added to
    // each unit that answers for the rule: a national task has thousands of co-leads.
    let mut unit_index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for task in &plan.tasks {
        for lead in task.leads.iter() {
            unit_index.entry(&**lead).or_insert_with(|| {
                summary.by_unit.push((lead.clone(), Counts::default()));
                summary.by_unit.len() - 1
            });
        }
    }
    let mut by_rule: Vec<Counts> = vec![Counts::default(); plan.rules.len()];
    for result in &outcome.results {
        summary.total.add(result);
        let Some(rule) = plan.rule(result.rule) else {
            continue;
        };
        if let Some((_, counts)) = summary.by_task.get_mut(rule.task.0) {
            counts.add(result);
        }
        if let Some(counts) = by_rule.get_mut(result.rule.0) {
            counts.add(result);
        }
    }
    for (rule, counts) in plan.rules.iter().zip(&by_rule) {
        if counts.total() == 0 {
            continue;
        }
        for unit in plan.responsible(rule) {
            let i = *unit_index.entry(&**unit).or_insert_with(|| {
                summary.by_unit.push((unit.clone(), Counts::default()));
                summary.by_unit.len() - 1
            });
            if let Some((_, total)) = summary.by_unit.get_mut(i) {
                total.absorb(counts);
            }
        }
    }
    // A task or unit with no result (no checkable target) has nothing to show.
    summary.by_task.retain(|(_, c)| c.total() > 0);
    summary.by_unit.retain(|(_, c)| c.total() > 0);
    summary
        .by_task
        .sort_by_key(|(id, _)| plan.task(*id).map(|t| (t.plan_rank, t.number)));
    summary
}

/// An outcome's findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FindingCounts {
    pub errors: usize,
    pub warnings: usize,
}

/// Counts every finding of the outcome, those of rule results included.
pub fn count_findings(outcome: &Outcome) -> FindingCounts {
    let mut counts = FindingCounts::default();
    for finding in outcome.all_findings() {
        match finding.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
        }
    }
    counts
}

/// One rule's results in period order.
#[derive(Debug)]
pub struct Trajectory<'o> {
    pub rule: crate::model::RuleId,
    pub points: Vec<&'o RuleResult>,
}

/// The trajectories worth showing: rules reported in more than one period, or measured
/// against the expected line before their deadline. Results are already in plan order, then
/// period order.
pub fn trajectories<'o>(outcome: &'o Outcome) -> Vec<Trajectory<'o>> {
    let mut out: Vec<Trajectory<'o>> = Vec::new();
    for result in outcome.results.iter().filter(|r| r.period.is_some()) {
        match out.last_mut() {
            Some(t) if t.rule == result.rule => t.points.push(result),
            _ => out.push(Trajectory {
                rule: result.rule,
                points: vec![result],
            }),
        }
    }
    out.retain(|t| t.points.len() > 1 || t.points.iter().any(|p| p.expected.is_some()));
    out
}
