//! Counts by verdict, by task and by lead unit: what the supervising office looks at first.

use crate::diagnostic::Severity;
use crate::eval::{Outcome, RuleResult, Verdict};
use crate::model::{Plan, TaskId};

/// Results counted by verdict, and the worst severity among them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub met: usize,
    pub unmet: usize,
    pub missing: usize,
    pub invalid: usize,
    pub worst: Option<Severity>,
}

impl Counts {
    fn add(&mut self, result: &RuleResult) {
        match result.verdict {
            Verdict::Met => self.met += 1,
            Verdict::Unmet => self.unmet += 1,
            Verdict::Missing => self.missing += 1,
            Verdict::Invalid => self.invalid += 1,
        }
        self.worst = self.worst.max(result.severity);
    }

    pub fn get(&self, verdict: Verdict) -> usize {
        match verdict {
            Verdict::Met => self.met,
            Verdict::Unmet => self.unmet,
            Verdict::Missing => self.missing,
            Verdict::Invalid => self.invalid,
        }
    }

    pub fn total(&self) -> usize {
        self.met + self.unmet + self.missing + self.invalid
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
    pub by_unit: Vec<(String, Counts)>,
}

pub fn summarize(plan: &Plan, outcome: &Outcome) -> Summary {
    let mut summary = Summary {
        by_task: (0..plan.tasks.len())
            .map(|i| (TaskId(i), Counts::default()))
            .collect(),
        ..Summary::default()
    };
    for task in &plan.tasks {
        for lead in &task.leads {
            if !summary.by_unit.iter().any(|(u, _)| u == lead) {
                summary.by_unit.push((lead.clone(), Counts::default()));
            }
        }
    }
    for result in &outcome.results {
        summary.total.add(result);
        let Some(rule) = plan.rule(result.rule) else {
            continue;
        };
        if let Some((_, counts)) = summary.by_task.get_mut(rule.task.0) {
            counts.add(result);
        }
        for unit in plan.responsible(rule) {
            match summary.by_unit.iter_mut().find(|(u, _)| u == unit) {
                Some((_, counts)) => counts.add(result),
                None => {
                    let mut counts = Counts::default();
                    counts.add(result);
                    summary.by_unit.push((unit.clone(), counts));
                }
            }
        }
    }
    // A task or unit with no result (no checkable target) has nothing to show.
    summary.by_task.retain(|(_, c)| c.total() > 0);
    summary.by_unit.retain(|(_, c)| c.total() > 0);
    summary
        .by_task
        .sort_by_key(|(id, _)| plan.task(*id).map(|t| t.number));
    summary
}
