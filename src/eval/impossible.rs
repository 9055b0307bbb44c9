//! Figures no target may be met with: a negative count (−5 accidents would meet `<= 3 次`)
//! and a share over 100% (150% would meet a utilisation rate of `>= 91%`). They are `invalid`
//! unless the rule says why they can occur: `allow negative because "…"`,
//! `allow over 100% because "…"`.
//!
//! Growth and change targets compare with last year or another metric; their figures keep
//! their own meaning and are left alone, as are metrics whose name says they are a rate of
//! change (增速, 增幅, 下降…), which may well be negative or over 100%.

use super::verdict::{Problem, Reading};
use crate::load::{FigureValue, InvalidReason};
use crate::model::{Rule, Target};
use crate::units::Dimension;
use rust_decimal::Decimal;

/// Words of a metric name that make it a rate of change.
const CHANGE_WORDS: &[&str] = &[
    "增长", "增速", "增幅", "增量", "增加", "提高", "提升", "下降", "降低", "降幅", "减少", "涨",
    "变化", "变动",
];

/// `reading` of `value` for `rule`, made `invalid` if it is impossible against `target`, the
/// rule's target in force (an approved adjustment may change it).
pub fn screen(
    rule: &Rule,
    target: &Target,
    value: &FigureValue,
    reading: Result<Reading, Problem>,
) -> Result<Reading, Problem> {
    let Ok(Reading::Number(q)) = &reading else {
        return reading;
    };
    let Some(unit) = target.unit() else {
        return reading;
    };
    if matches!(target, Target::Relative { .. }) {
        return reading;
    }
    let counting = matches!(unit.dimension, Dimension::Count(_) | Dimension::Visits);
    let share = unit.dimension == Dimension::Percent;
    let reason = if q.amount.is_sign_negative()
        && !q.amount.is_zero()
        && (counting || share)
        && rule.allow_negative.is_none()
        && !negative_bound(target)
    {
        InvalidReason::Negative
    } else if share
        && q.amount > Decimal::ONE_HUNDRED
        && at_most_full(target)
        && rule.allow_over_100.is_none()
    {
        InvalidReason::OverFull
    } else {
        return reading;
    };
    // Only a figure that would be refused pays for reading the metric's name: this runs once
    // per figure, and almost every figure is possible.
    if CHANGE_WORDS.iter().any(|w| rule.metric.contains(w)) {
        return reading;
    }
    Err(Problem::Invalid {
        text: match value {
            FigureValue::Number(written) => written.to_string(),
            _ => q.to_string(),
        },
        reason,
    })
}

/// Whether the target itself reaches below zero (`in -5..5 个`): then the plan expects
/// negative figures.
fn negative_bound(target: &Target) -> bool {
    match target {
        Target::Compare { value, .. } | Target::Approx { value, .. } => {
            value.amount.is_sign_negative()
        }
        Target::Range { low, .. } => low.amount.is_sign_negative(),
        Target::Done | Target::Relative { .. } | Target::Rank(_) => false,
    }
}

/// Whether every bound of the target is at most 100 (per cent).
fn at_most_full(target: &Target) -> bool {
    let hundred = Decimal::ONE_HUNDRED;
    match target {
        Target::Compare { value, .. } | Target::Approx { value, .. } => value.amount <= hundred,
        Target::Range { high, .. } => high.amount <= hundred,
        Target::Done | Target::Relative { .. } | Target::Rank(_) => false,
    }
}
