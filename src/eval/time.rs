//! Verdicts in time: 时间过半，任务过半了吗?
//!
//! A figure is judged as at the end of its period. At or after the rule's deadline every
//! target is met or unmet. Before it, a cumulative figure is measured against the expected
//! progress (the target times the elapsed share of the time to the deadline, or the plan's
//! schedule), a level must already hold, and a milestone not yet done is pending.

use super::verdict::{test, Problem, Reading};
use super::Verdict;
use crate::model::{MetricKind, Op, Rule, Target};
use crate::period::Period;
use crate::units::Quantity;
use jiff::civil::Date;
use rust_decimal::Decimal;

/// What the whole run shares when judging in time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// The plan's period; without one, every figure is judged as final.
    pub plan_period: Option<Period>,
    /// On-track band around the expected progress, in per cent of the expected value.
    pub tolerance: Decimal,
    /// The plan's tolerance for `~=` targets, in per cent.
    pub approx: Option<Decimal>,
}

/// A figure's verdict, with what it was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    pub verdict: Verdict,
    /// The expected progress by the period's end, for a cumulative figure before its deadline.
    pub expected: Option<Quantity>,
    /// The growth or change a relative target compared.
    pub derived: Option<Quantity>,
}

/// The date by which `rule` must be met: its `due`, else the end of the plan period.
pub fn deadline(rule: &Rule, plan_period: Period) -> Date {
    rule.due_date().unwrap_or_else(|| plan_period.end())
}

/// Judges `reading` for `rule` as at the end of `period`.
pub fn judge(
    rule: &Rule,
    reading: Reading,
    reference: Option<Quantity>,
    period: Period,
    clock: &Clock,
) -> Result<Judged, Problem> {
    let tested = test(&rule.target, reading, reference, clock.approx)?;
    let done = |verdict| Judged {
        verdict,
        expected: None,
        derived: tested.derived,
    };
    let met_or_unmet = if tested.met {
        Verdict::Met
    } else {
        Verdict::Unmet
    };
    let Some(plan_period) = clock.plan_period else {
        return Ok(done(met_or_unmet));
    };
    let date = period.end();
    let deadline = deadline(rule, plan_period);
    Ok(match rule.kind() {
        MetricKind::Milestone if tested.met => done(Verdict::Met),
        MetricKind::Milestone if date < deadline => done(Verdict::Pending),
        MetricKind::Milestone if date < plan_period.end() => done(Verdict::Overdue),
        _ if date >= deadline => done(met_or_unmet),
        MetricKind::Milestone | MetricKind::Level => done(met_or_unmet),
        MetricKind::Cumulative => match (goal(&rule.target), reading) {
            (Some((op, goal)), Reading::Number(actual)) => {
                let share = expected_share(rule, plan_period.start(), deadline, date);
                let expected =
                    Quantity::new((goal.amount * share).round_dp(2).normalize(), goal.unit);
                Judged {
                    verdict: progress(
                        op,
                        actual.amount,
                        expected.amount,
                        tested.met,
                        clock.tolerance,
                    ),
                    expected: Some(expected),
                    derived: tested.derived,
                }
            }
            _ => done(met_or_unmet),
        },
    })
}

/// The annual goal and its direction: `>= 4000` rises towards 4000, `<= 100` may not pass it.
fn goal(target: &Target) -> Option<(Op, Quantity)> {
    match target {
        Target::Compare { op, value } => Some((*op, *value)),
        Target::Range { low, .. } => Some((Op::Ge, *low)),
        Target::Approx { value, .. } => Some((Op::Ge, *value)),
        Target::Done | Target::Relative { .. } => None,
    }
}

fn progress(op: Op, actual: Decimal, expected: Decimal, met: bool, tolerance: Decimal) -> Verdict {
    let band = expected * tolerance / Decimal::ONE_HUNDRED;
    match op {
        Op::Le | Op::Lt if !met => Verdict::Unmet,
        Op::Le | Op::Lt if actual < expected - band => Verdict::Ahead,
        Op::Le | Op::Lt if actual <= expected + band => Verdict::OnTrack,
        Op::Le | Op::Lt => Verdict::Behind,
        // Already at the annual goal before the deadline: as far ahead as it gets.
        _ if met => Verdict::Ahead,
        _ if actual > expected + band => Verdict::Ahead,
        _ if actual >= expected - band => Verdict::OnTrack,
        _ => Verdict::Behind,
    }
}

/// The share of the target due by `date`, from 0 to 1: linear in days from the plan's start to
/// the deadline, or through the plan's checkpoints when it states a schedule.
pub fn expected_share(rule: &Rule, start: Date, deadline: Date, date: Date) -> Decimal {
    let origin = start.yesterday().unwrap_or(start);
    let mut points = vec![(origin, Decimal::ZERO)];
    points.extend(
        rule.schedule
            .iter()
            .map(|c| (c.period.end(), c.share / Decimal::ONE_HUNDRED)),
    );
    points.push((deadline, Decimal::ONE));
    if date >= deadline {
        return Decimal::ONE;
    }
    for pair in points.windows(2) {
        let [(from, from_share), (to, to_share)] = pair else {
            continue;
        };
        if date <= *to {
            let span = days(*from, *to);
            if span <= 0 {
                return *to_share;
            }
            let elapsed = Decimal::from(days(*from, date).max(0));
            return *from_share + (*to_share - *from_share) * elapsed / Decimal::from(span);
        }
    }
    Decimal::ONE
}

fn days(from: Date, to: Date) -> i64 {
    from.until((jiff::Unit::Day, to))
        .map_or(0, |span| i64::from(span.get_days()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is the test failing
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn elapsed_share_counts_days_and_leap_years() {
        let rule = crate::eval::time::tests::rule_with_schedule(Vec::new());
        let share = |start, end, date| expected_share(&rule, d(start), d(end), d(date));
        assert_eq!(
            share("2023-01-01", "2023-12-31", "2023-06-30"),
            Decimal::from(181) / Decimal::from(365)
        );
        assert_eq!(
            share("2024-01-01", "2024-12-31", "2024-06-30"),
            Decimal::from(182) / Decimal::from(366)
        );
        assert_eq!(
            share("2023-01-01", "2023-12-31", "2023-12-31"),
            Decimal::ONE
        );
        assert_eq!(
            share("2023-01-01", "2023-06-30", "2023-09-30"),
            Decimal::ONE
        );
    }

    pub(super) fn rule_with_schedule(schedule: Vec<crate::model::Checkpoint>) -> Rule {
        use crate::source::{RuleFileId, RuleLoc};
        let loc = RuleLoc {
            file: RuleFileId(0),
            span: 0..0,
        };
        Rule {
            task: crate::model::TaskId(0),
            strength: crate::model::Strength::Must,
            metric: "新增城镇就业".to_owned(),
            metric_loc: loc.clone(),
            target: Target::Done,
            target_loc: loc.clone(),
            loc,
            quote: None,
            reporters: Vec::new(),
            due: None,
            kind: None,
            schedule,
            summed: false,
            baseline: None,
            allow_negative: None,
            allow_over_100: None,
        }
    }

    #[test]
    fn a_schedule_bends_the_expected_line() {
        let rule = rule_with_schedule(vec![
            crate::model::Checkpoint {
                period: Period::Quarter(2023, 1),
                share: Decimal::from(10),
            },
            crate::model::Checkpoint {
                period: Period::Half(2023, 1),
                share: Decimal::from(40),
            },
        ]);
        let share = |date| expected_share(&rule, d("2023-01-01"), d("2023-12-31"), d(date));
        assert_eq!(share("2023-03-31"), Decimal::new(1, 1));
        assert_eq!(share("2023-06-30"), Decimal::new(4, 1));
        assert_eq!(share("2023-12-31"), Decimal::ONE);
        assert!(share("2023-09-30") > Decimal::new(4, 1) && share("2023-09-30") < Decimal::ONE);
    }
}
