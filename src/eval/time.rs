//! Verdicts in time: 时间过半，任务过半了吗?
//!
//! A figure is judged as at the end of its period; a milestone's latest report speaks for it
//! up to the evaluation date. At or after the rule's deadline every target is met or unmet.
//! Before it, a cumulative figure is measured against the expected progress (the target times
//! the elapsed share of the time to the deadline, or the plan's schedule), a level must
//! already hold, and a milestone not yet done is pending.
//!
//! The expected progress is a fraction with a count of days below the line, and it is never
//! divided out: a figure is compared with it by cross-multiplying, exactly (`crate::exact`).
//! Rounding happens only where a report shows the line (`units::shown`).

#![deny(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use super::verdict::{fits, test_with, Amount, Basis, Problem, Reading, Slack};
use super::{RuleResult, Verdict};
use crate::exact;
use crate::model::{MetricKind, Op, Plan, Rule, Target};
use crate::period::Period;
use crate::units::Quantity;
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What the whole run shares when judging in time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// The plan's period; without one, every figure is judged as final.
    pub plan_period: Option<Period>,
    /// On-track band around the expected progress, in per cent of the expected value.
    pub tolerance: Decimal,
    /// The plan's tolerances for `~=` targets that state none.
    pub approx: Slack,
}

/// A figure's verdict, with what it was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    pub verdict: Verdict,
    /// The expected progress by the period's end, for a cumulative figure before its deadline.
    /// It may be cut at the 28th digit: it is for reports, the verdict was decided exactly.
    pub expected: Option<Quantity>,
    /// The growth or change a relative target compared.
    pub derived: Option<Quantity>,
    /// The other metric's growth, for a growth in step with it.
    pub peer: Option<Quantity>,
}

/// The date by which `rule` must be met: its `due`, else the end of the plan period.
pub fn deadline(rule: &Rule, plan_period: Period) -> Date {
    rule.due_date().unwrap_or_else(|| plan_period.end())
}

/// The date a figure for `period` is judged at. A figure tells how things stood at its
/// period's end. A milestone is the exception: its latest report (`latest` is the end of the
/// latest period with a figure for it) stands until the evaluation date, so a milestone
/// reported 未完成 in Q1 and due in June is overdue on 31 July, not pending.
pub fn judged_at(rule: &Rule, period: Period, latest: Option<Date>, as_of: Option<Date>) -> Date {
    let end = period.end();
    match as_of {
        Some(as_of) if rule.kind() == MetricKind::Milestone && latest == Some(end) => {
            end.max(as_of)
        }
        _ => end,
    }
}

/// Judges `reading` for `rule` as at `date`.
pub fn judge(
    rule: &Rule,
    reading: Reading,
    basis: &Basis,
    date: Date,
    clock: &Clock,
) -> Result<Judged, Problem> {
    // An approved adjustment changes the target from its date on (`Rule::target_at`).
    let target = rule.target_at(Some(date));
    // A multi-year target is judged before its end year against the year's point on its path.
    let path = Path::of(rule, target, basis.reference, date.year())?;
    let tested = match (&path, reading) {
        (Some(path), Reading::Number(actual)) => super::verdict::Test {
            met: path.holds(actual.amount)?,
            derived: None,
            peer: None,
        },
        _ => test_with(target, reading, basis, &clock.approx)?,
    };
    let expected = path.as_ref().map(Path::shown);
    let done = |verdict| Judged {
        verdict,
        expected,
        derived: tested.derived,
        peer: tested.peer,
    };
    let met_or_unmet = if tested.met {
        Verdict::Met
    } else {
        Verdict::Unmet
    };
    let Some(plan_period) = clock.plan_period else {
        return Ok(done(met_or_unmet));
    };
    let deadline = deadline(rule, plan_period);
    Ok(match rule.kind() {
        MetricKind::Milestone if tested.met => done(Verdict::Met),
        MetricKind::Milestone if date < deadline => done(Verdict::Pending),
        MetricKind::Milestone if date < plan_period.end() => done(Verdict::Overdue),
        _ if date >= deadline => done(met_or_unmet),
        MetricKind::Milestone | MetricKind::Level => done(met_or_unmet),
        MetricKind::Cumulative => match (path.map_or(goal(target), Path::goal), reading) {
            (Some((op, goal, years)), Reading::Number(actual)) => {
                let mut share = expected_share(rule, plan_period.start(), deadline, date)?;
                // The path's point is a fraction over its years: folded into the share.
                share.over = fits(Amount::Progress, exact::mul(share.over, years))?;
                let line = Line { goal, share };
                Judged {
                    verdict: progress(op, actual.amount, &line, tested.met, clock.tolerance)?,
                    expected: Some(line.shown()),
                    derived: tested.derived,
                    peer: tested.peer,
                }
            }
            _ => done(met_or_unmet),
        },
    })
}

/// The annual goal and its direction: `>= 4000` rises towards 4000, `<= 100` may not pass it.
/// The goal is over a number of years, 1 but for a path's point.
fn goal(target: &Target) -> Option<(Op, Quantity, Decimal)> {
    let (op, goal) = match target {
        Target::Compare { op, value } => (*op, *value),
        Target::Range { low, .. } => (Op::Ge, *low),
        Target::Approx { value, .. } => (Op::Ge, *value),
        Target::Done | Target::Relative { .. } | Target::Rank(_) => return None,
    };
    Some((op, goal, Decimal::ONE))
}

/// The point of `year` on a multi-year rule's path, for reports: rounded, but never onto the
/// other side of the figure it was compared with. `target` is the one in force (an approved
/// adjustment applied) and `reference` last year's value, as the verdict used them.
pub fn path_point(
    rule: &Rule,
    target: &Target,
    reference: Option<Quantity>,
    year: i16,
    compared: Option<Quantity>,
) -> Option<Quantity> {
    let path = Path::of(rule, target, reference, year).ok()??;
    let against: Vec<Decimal> = compared.iter().map(|c| c.amount).collect();
    Some(crate::units::shown(path.shown(), &against))
}

/// A year's point on the straight line from a multi-year target's baseline to the target
/// (`>= 10% toward 2025 baseline 7%`: 8% in 2023, 9% in 2024), as a fraction that is never
/// divided out: `(baseline × (years − elapsed) + target × elapsed) / years`.
#[derive(Debug, Clone, Copy)]
pub struct Path {
    op: Op,
    /// The point times `years`, in the target's unit.
    scaled: Quantity,
    /// Years from the baseline to the end year, at least 1.
    years: Decimal,
}

impl Path {
    /// The point for `year`, when `rule` is a `toward` target and `year` comes before its end
    /// year. The baseline is the rule's (of its year, else of last year) or `reference`, last
    /// year's figure; without either there is no line to judge against.
    fn of(
        rule: &Rule,
        target: &Target,
        reference: Option<Quantity>,
        year: i16,
    ) -> Result<Option<Path>, Problem> {
        let Some(end) = rule.path_to(year) else {
            return Ok(None);
        };
        let Target::Compare { op, value } = target else {
            return Ok(None);
        };
        // In the target's unit; a bare amount (`baseline 0`) is in it already.
        let in_unit = |q: &Quantity| match q.unit {
            None => Ok(Quantity::new(q.amount, value.unit)),
            Some(_) => super::verdict::convert(q, value.unit),
        };
        // A point the plan states is the year's point, whatever the baseline.
        if let Some((_, stated)) = rule.via.iter().find(|(y, _)| *y == year) {
            return Ok(Some(Path {
                op: *op,
                scaled: in_unit(stated)?,
                years: Decimal::ONE,
            }));
        }
        // The stretch of the line the year lies on: between the nearest known points before
        // and after it (the baseline, the stated points, the end year's target). The
        // baseline is needed only when no stated point comes before the year.
        let stated_before = rule
            .via
            .iter()
            .filter(|(at, _)| *at < year)
            .max_by_key(|(at, _)| *at);
        let (from, start) = match (stated_before, rule.baseline_year, rule.baseline) {
            (Some((at, stated)), _, _) => (*at, *stated),
            (None, Some(from), Some(baseline)) => (from, baseline),
            (None, _, _) => (
                year.saturating_sub(1),
                reference.ok_or(Problem::NoReference)?,
            ),
        };
        if from >= year {
            return Ok(None);
        }
        let start = in_unit(&start)?;
        let (to, to_value) = rule
            .via
            .iter()
            .filter(|(at, _)| *at > year && *at < end)
            .min_by_key(|(at, _)| *at)
            .map_or(Ok((end, *value)), |(at, stated)| {
                in_unit(stated).map(|q| (*at, q))
            })?;
        let years = Decimal::from(i32::from(to).saturating_sub(i32::from(from)));
        let elapsed = Decimal::from(i32::from(year).saturating_sub(i32::from(from)));
        let left = fits(Amount::Progress, exact::sub(years, elapsed))?;
        let scaled = fits(
            Amount::Progress,
            exact::add(
                fits(Amount::Progress, exact::mul(start.amount, left))?,
                fits(Amount::Progress, exact::mul(to_value.amount, elapsed))?,
            ),
        )?;
        Ok(Some(Path {
            op: *op,
            scaled: Quantity::new(scaled, value.unit),
            years,
        }))
    }

    /// Whether `actual` meets the point: `actual × years` against the scaled point.
    fn holds(&self, actual: Decimal) -> Result<bool, Problem> {
        let actual = fits(Amount::Progress, exact::mul(actual, self.years))?;
        Ok(super::verdict::holds(
            self.op,
            actual.cmp(&self.scaled.amount),
        ))
    }

    /// The point as a quantity, for reports: the only place it is divided out.
    fn shown(&self) -> Quantity {
        let amount = self
            .scaled
            .amount
            .checked_div(self.years)
            .unwrap_or(self.scaled.amount);
        Quantity::new(amount.normalize(), self.scaled.unit)
    }

    /// The point as the year's goal of a cumulative figure, over its years.
    fn goal(self) -> Option<(Op, Quantity, Decimal)> {
        Some((self.op, self.scaled, self.years))
    }
}

/// A share of the target as a fraction: `over` is a number of days, never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub part: Decimal,
    pub over: Decimal,
}

impl Share {
    const WHOLE: Share = Share {
        part: Decimal::ONE,
        over: Decimal::ONE,
    };
}

/// The pro-rata line: `goal × share`.
struct Line {
    goal: Quantity,
    share: Share,
}

impl Line {
    /// The line times `(100 + percent)`, over `share.over × 100`: the tolerance band's upper
    /// edge for a positive `percent`, the lower edge for a negative one, the line for 0.
    fn edge(&self, percent: Decimal) -> Result<Decimal, Problem> {
        let factor = fits(Amount::Progress, exact::add(Decimal::ONE_HUNDRED, percent))?;
        let goal = fits(
            Amount::Progress,
            exact::mul(self.goal.amount, self.share.part),
        )?;
        fits(Amount::Progress, exact::mul(goal, factor))
    }

    /// `actual` on the same scale as `edge`: times `share.over × 100`.
    fn scaled(&self, actual: Decimal) -> Result<Decimal, Problem> {
        let over = fits(
            Amount::Progress,
            exact::mul(self.share.over, Decimal::ONE_HUNDRED),
        )?;
        fits(Amount::Progress, exact::mul(actual, over))
    }

    /// The line as a quantity, for reports: the only place it is divided out.
    fn shown(&self) -> Quantity {
        let amount = self
            .goal
            .amount
            .checked_mul(self.share.part)
            .and_then(|g| g.checked_div(self.share.over))
            .unwrap_or(self.goal.amount);
        Quantity::new(amount.normalize(), self.goal.unit)
    }
}

fn progress(
    op: Op,
    actual: Decimal,
    line: &Line,
    met: bool,
    tolerance: Decimal,
) -> Result<Verdict, Problem> {
    let actual = line.scaled(actual)?;
    // The band's lower and upper edges, as the line minus and plus the tolerance.
    let below = line.edge(exact::negate(tolerance))?;
    let above = line.edge(tolerance)?;
    Ok(match op {
        Op::Le | Op::Lt if !met => Verdict::Unmet,
        Op::Le | Op::Lt if actual < below => Verdict::Ahead,
        Op::Le | Op::Lt if actual <= above => Verdict::OnTrack,
        Op::Le | Op::Lt => Verdict::Behind,
        // Already at the annual goal before the deadline: as far ahead as it gets.
        _ if met => Verdict::Ahead,
        _ if actual > above => Verdict::Ahead,
        _ if actual >= below => Verdict::OnTrack,
        _ => Verdict::Behind,
    })
}

/// The share of the target due by `date`, from 0 to 1: linear in days from the plan's start to
/// the deadline, or through the plan's checkpoints when it states a schedule.
pub fn expected_share(
    rule: &Rule,
    start: Date,
    deadline: Date,
    date: Date,
) -> Result<Share, Problem> {
    let origin = start.yesterday().unwrap_or(start);
    let mut points = vec![(origin, Decimal::ZERO)];
    for checkpoint in &rule.schedule {
        let share = exact::div(checkpoint.share, Decimal::ONE_HUNDRED);
        points.push((checkpoint.period.end(), fits(Amount::Progress, share)?));
    }
    points.push((deadline, Decimal::ONE));
    if date >= deadline {
        return Ok(Share::WHOLE);
    }
    for pair in points.windows(2) {
        let [(from, from_share), (to, to_share)] = pair else {
            continue;
        };
        if date <= *to {
            let span = days(*from, *to);
            if span <= 0 {
                return Ok(Share {
                    part: *to_share,
                    over: Decimal::ONE,
                });
            }
            // from_share + (to_share − from_share) × elapsed / span, over span.
            let elapsed = Decimal::from(days(*from, date).max(0));
            let span = Decimal::from(span);
            let rise = fits(Amount::Progress, exact::sub(*to_share, *from_share))?;
            let risen = fits(Amount::Progress, exact::mul(rise, elapsed))?;
            let base = fits(Amount::Progress, exact::mul(*from_share, span))?;
            return Ok(Share {
                part: fits(Amount::Progress, exact::add(base, risen))?,
                over: span,
            });
        }
    }
    Ok(Share::WHOLE)
}

fn days(from: Date, to: Date) -> i64 {
    from.until((jiff::Unit::Day, to))
        .map_or(0, |span| i64::from(span.get_days()))
}

/// Whether two quantities are the same amount, in whatever units they were written.
pub fn same_amount(a: Quantity, b: Quantity) -> bool {
    super::verdict::convert(&b, a.unit).is_ok_and(|b| b.amount == a.amount)
}

/// Two year-to-date figures of one cumulative rule where the later one is lower: 1000 by
/// March and 950 by April is a data error or a correction, and someone should say which.
/// Each pair is (earlier, later): for each figure, the highest figure of a period that ended
/// before its own.
pub fn falling_year_to_date<'r>(
    plan: &Plan,
    results: &'r [RuleResult],
) -> Vec<(&'r RuleResult, &'r RuleResult)> {
    let mut by_rule: BTreeMap<_, Vec<(Period, Quantity, &RuleResult)>> = BTreeMap::new();
    for result in results {
        let Some(rule) = plan.rule(result.rule) else {
            continue;
        };
        let (Some(period), Some(compared)) = (result.period, result.compared) else {
            continue;
        };
        if rule.kind() != MetricKind::Cumulative || result.verdict == Verdict::Invalid {
            continue;
        }
        by_rule
            .entry(result.rule)
            .or_default()
            .push((period, compared, result));
    }
    let mut falls = Vec::new();
    for mut figures in by_rule.into_values() {
        figures.sort_by_key(|(p, _, _)| (p.end(), std::cmp::Reverse(p.start())));
        for (i, (period, figure, result)) in figures.iter().enumerate() {
            // The highest figure of an earlier-ending period of the same year, in this one's unit.
            let highest = figures
                .iter()
                .take(i)
                .filter(|(p, _, _)| p.end() < period.end() && p.end().year() == period.end().year())
                .filter_map(|(_, q, r)| {
                    let q = super::verdict::convert(q, figure.unit).ok()?;
                    Some((q.amount, *r))
                })
                .max_by(|a, b| a.0.cmp(&b.0));
            if let Some((amount, earlier)) = highest {
                if figure.amount < amount {
                    falls.push((earlier, *result));
                }
            }
        }
    }
    falls
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
        let share = |start, end, date| {
            let share = expected_share(&rule, d(start), d(end), d(date)).unwrap();
            (share.part, share.over)
        };
        let days = |part: i64, over: i64| (Decimal::from(part), Decimal::from(over));
        assert_eq!(
            share("2023-01-01", "2023-12-31", "2023-06-30"),
            days(181, 365)
        );
        assert_eq!(
            share("2024-01-01", "2024-12-31", "2024-06-30"),
            days(182, 366)
        );
        assert_eq!(share("2023-01-01", "2023-12-31", "2023-12-31"), days(1, 1));
        assert_eq!(share("2023-01-01", "2023-06-30", "2023-09-30"), days(1, 1));
    }

    pub(super) fn rule_with_schedule(schedule: Vec<crate::model::Checkpoint>) -> Rule {
        use crate::source::{RuleFileId, RuleLoc};
        let loc = RuleLoc {
            file: RuleFileId(0),
            span: 0..0,
        };
        let locs = crate::model::RuleLocs {
            metric: loc.clone(),
            target: loc.clone(),
            line: loc,
        };
        Rule {
            schedule,
            ..Rule::new(
                crate::model::TaskId(0),
                crate::model::Strength::Must,
                "新增城镇就业".to_owned(),
                Target::Done,
                locs,
            )
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
        let share = |date| {
            let share = expected_share(&rule, d("2023-01-01"), d("2023-12-31"), d(date)).unwrap();
            share.part.checked_div(share.over).unwrap()
        };
        assert_eq!(share("2023-03-31"), Decimal::new(1, 1));
        assert_eq!(share("2023-06-30"), Decimal::new(4, 1));
        assert_eq!(share("2023-12-31"), Decimal::ONE);
        assert!(share("2023-09-30") > Decimal::new(4, 1) && share("2023-09-30") < Decimal::ONE);
    }
}
