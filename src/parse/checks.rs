//! Checks that need the whole plan: every file read, the header known wherever it is.
//!
//! A `~=` target needs a tolerance, from its rule or the header; a `metric NAME` reference
//! must name a metric some rule checks; schedule checkpoints must lie in the plan period.

use super::error::{span, to_finding, PlanError};
use super::rules::bad_schedule;
use crate::diagnostic::Finding;
use crate::model::{Plan, Reference, Relation, RuleId, Target};
use crate::period::Period;
use crate::source::{RuleFileId, Span};
use std::collections::BTreeSet;

/// A rule's schedule as written: each checkpoint's period and span.
pub struct ScheduleCheck {
    pub rule: RuleId,
    pub file: RuleFileId,
    pub checkpoints: Vec<(Period, Span)>,
}

/// The findings of the whole-plan checks. A schedule that leaves the plan period is taken
/// off its rule, so it is never used to judge progress.
pub fn check_plan(
    plan: &mut Plan,
    schedules: &[ScheduleCheck],
    metrics: &BTreeSet<String>,
    with_within: &BTreeSet<RuleId>,
) -> Vec<Finding> {
    let mut findings = tolerances(plan, with_within);
    findings.extend(references(plan, metrics));
    findings.extend(schedules_in_period(plan, schedules));
    findings.extend(tracked_targets(plan));
    findings.extend(dues_in_period(plan));
    findings.extend(towards(plan));
    findings
}

/// A `toward` target is judged in earlier years against the straight line from its baseline:
/// that needs an inequality, an end year after the plan's year, and a baseline year before
/// it. A baseline year means nothing without a path.
fn towards(plan: &Plan) -> Vec<Finding> {
    let plan_year = plan.period().map(|p| p.start().year());
    let mut findings = Vec::new();
    for rule in &plan.rules {
        let via_years: Vec<i16> = rule.via.iter().map(|(y, _)| *y).collect();
        let problem = match (rule.toward, rule.baseline_year) {
            (None, None) if via_years.is_empty() => continue,
            (None, None) => (
                "via 写了路径点，但规则没有 toward".to_owned(),
                "via 只用于多年目标：加上 toward 目标年份，或删去 via".to_owned(),
                &rule.loc,
            ),
            (None, Some(year)) => (
                format!("baseline 写了年份 {year}，但规则没有 toward"),
                "baseline … in 年份 只用于多年目标：加上 toward 目标年份，或删去 in 年份".to_owned(),
                &rule.loc,
            ),
            (Some(_), _)
                if !matches!(rule.target, Target::Compare { op, .. } if op != crate::model::Op::Eq) =>
            {
                (
                    "toward 只用于 >=、>、<=、< 目标".to_owned(),
                    "多年目标按从基数到目标的直线逐年判断，需要一个上限或下限：到2025年达到10% 写作 >= 10% toward 2025".to_owned(),
                    &rule.target_loc,
                )
            }
            (Some(end), _) if plan_year.is_some_and(|y| end <= y) => (
                format!(
                    "toward {end} 不晚于计划年度 {}",
                    plan_year.unwrap_or_default()
                ),
                "本年度的目标不用 toward；toward 写多年目标的最终年份，如 2023 年计划中的 toward 2025".to_owned(),
                &rule.loc,
            ),
            (Some(end), Some(year)) if year >= end || plan_year.is_some_and(|y| year >= y) => (
                format!("baseline 的年份 {year} 不早于计划年度"),
                "基数是路径起点之年的数值，如 2023 年计划中的 baseline 63.2% in 2020".to_owned(),
                &rule.loc,
            ),
            (Some(end), from)
                if via_years.windows(2).any(|w| w.first() >= w.get(1))
                    || via_years.iter().any(|y| *y >= end || from.is_some_and(|f| *y <= f)) =>
            {
                (
                    "via 的年份须逐年递增，且在基数年份之后、toward 年份之前".to_owned(),
                    format!("如 toward {end} via 2023 8.5%, 2024 9.2%"),
                    &rule.loc,
                )
            }
            _ => continue,
        };
        let (message, help, loc) = problem;
        let error = PlanError::BadToward {
            message,
            at: span(&loc.span),
            help,
        };
        findings.push(to_finding(&error, loc.file));
    }
    findings
}

/// A tracked metric has no target: no rule may check it, and it is declared once.
fn tracked_targets(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, tracked) in plan.tracked.iter().enumerate() {
        let again = plan
            .rules
            .iter()
            .filter(|r| r.metric == tracked.metric)
            .map(|r| &r.metric_loc)
            .chain(
                plan.tracked
                    .iter()
                    .skip(i + 1)
                    .filter(|t| t.metric == tracked.metric)
                    .map(|t| &t.metric_loc),
            );
        for loc in again {
            let error = PlanError::TrackedTarget {
                name: tracked.metric.clone(),
                at: span(&loc.span),
                tracked: span(&tracked.metric_loc.span),
            };
            findings.push(super::error::to_finding_across(
                &error,
                &[loc.file, tracked.metric_loc.file],
            ));
        }
    }
    findings
}

/// A `due` before the plan period starts is an error: no figure of the plan can meet it, and
/// it is most likely a typo (`1999` for `2023`). A `due` after the period ends is a warning:
/// a target may run past the plan's year, but every check of this plan judges it only by its
/// pro-rata line.
fn dues_in_period(plan: &Plan) -> Vec<Finding> {
    let Some(period) = plan.period() else {
        return Vec::new();
    };
    let (start, end) = (period.start(), period.end());
    let mut findings = Vec::new();
    for rule in &plan.rules {
        let Some(due) = &rule.due else { continue };
        let Ok(date) = due.parse::<jiff::civil::Date>() else {
            continue;
        };
        // The rule keeps the date as written; its place is the first occurrence after the
        // start of the rule (its clauses may continue on the next lines).
        let at = plan
            .files
            .get(rule.loc.file.0)
            .and_then(|f| f.text.get(rule.loc.span.start..)?.find(due.as_str()))
            .map_or(rule.loc.span.clone(), |i| {
                rule.loc.span.start + i..rule.loc.span.start + i + due.len()
            });
        let error = if date < start {
            PlanError::DueBeforePeriod {
                due: due.clone(),
                period: period.to_string(),
                start: start.to_string(),
                at: span(&at),
            }
        } else if date > end {
            PlanError::DueAfterPeriod {
                due: due.clone(),
                period: period.to_string(),
                end: end.to_string(),
                at: span(&at),
            }
        } else {
            continue;
        };
        let mut finding = to_finding(&error, rule.loc.file);
        if matches!(error, PlanError::DueAfterPeriod { .. }) {
            // A warning about the plan, not broken rules: the check still runs.
            finding.kind = crate::diagnostic::Kind::Check;
        }
        findings.push(finding);
    }
    findings
}

/// `~=` rules with neither `within` nor the header's `approx`.
fn tolerances(plan: &Plan, with_within: &BTreeSet<RuleId>) -> Vec<Finding> {
    let header = plan.header.as_ref();
    let share = header.is_some_and(|h| h.approx.is_some());
    let points = header.is_some_and(|h| h.approx_points.is_some());
    plan.rules
        .iter()
        .enumerate()
        .filter(|(id, _)| !with_within.contains(&RuleId(*id)))
        .map(|(_, rule)| rule)
        .filter(|rule| match &rule.target {
            // A value in per cent strays by the plan's points if it gives them, else by its
            // share.
            Target::Approx {
                within: None,
                value,
                ..
            } => {
                let in_percent = value
                    .unit
                    .is_some_and(|u| u.dimension == crate::units::Dimension::Percent);
                !(share || (in_percent && points))
            }
            // A growth strays by points only.
            Target::Relative {
                relation:
                    Relation::GrowthApprox { within: None, .. }
                    | Relation::InStep {
                        op: None,
                        within: None,
                        ..
                    },
                ..
            } => !points,
            _ => false,
        })
        .map(|rule| {
            let error = PlanError::NoTolerance {
                at: span(&rule.target_loc.span),
            };
            to_finding(&error, rule.target_loc.file)
        })
        .collect()
}

/// `metric NAME` references to metrics no rule line checks.
fn references(plan: &Plan, metrics: &BTreeSet<String>) -> Vec<Finding> {
    plan.rules
        .iter()
        .filter_map(|rule| match &rule.target {
            Target::Relative {
                reference: Reference::Metric { name, loc },
                ..
            } if !metrics.contains(name) => Some((name, loc)),
            _ => None,
        })
        .map(|(name, loc)| {
            let help = match closest(metrics, name) {
                Some(known) => format!("是否应为“{known}”？"),
                None => "metric 后写计划中某条规则检查的指标名称，与该规则中的写法一致".to_owned(),
            };
            let error = PlanError::UnknownReference {
                name: name.clone(),
                at: span(&loc.span),
                help: Some(help),
            };
            to_finding(&error, loc.file)
        })
        .collect()
}

/// The known metric most like `name`, if one is close enough to be a likely typo.
fn closest<'m>(metrics: &'m BTreeSet<String>, name: &str) -> Option<&'m str> {
    metrics
        .iter()
        .map(|known| (strsim::normalized_levenshtein(name, known), known.as_str()))
        .filter(|(score, _)| *score >= 0.5)
        // Ties go to the first name in order, so the suggestion never depends on chance.
        .fold(
            None,
            |best: Option<(f64, &str)>, (score, known)| match best {
                Some((top, _)) if top >= score => best,
                _ => Some((score, known)),
            },
        )
        .map(|(_, known)| known)
}

/// Schedule checkpoints outside the plan period, when the plan states one.
fn schedules_in_period(plan: &mut Plan, schedules: &[ScheduleCheck]) -> Vec<Finding> {
    let Some(period) = plan.period() else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for schedule in schedules {
        let outside = schedule
            .checkpoints
            .iter()
            .find(|(point, _)| !period.contains(*point));
        let Some((point, at)) = outside else {
            continue;
        };
        let error = bad_schedule(
            format!("检查点 {point} 不在计划期 {period} 内"),
            "在计划期之外",
            at,
        );
        findings.push(to_finding(&error, schedule.file));
        if let Some(rule) = plan.rules.get_mut(schedule.rule.0) {
            rule.schedule.clear();
        }
    }
    findings
}
