//! One figure against one target: read it in the target's unit, then test it exactly.
//!
//! Reading happens in the parallel stage, file by file. Testing needs what only the whole run
//! knows (last year's value, another metric's figure), so it happens in the reduce.
//!
//! Every amount is computed with `crate::exact`: exact to the last digit, or an `Overflow`
//! problem that makes the verdict `invalid`. Nothing here rounds, and growth is compared by
//! cross-multiplying rather than through a quotient.

#![deny(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use crate::exact;
use crate::load::{FigureValue, InvalidReason};
use crate::model::{Op, Relation, Target, Tolerance};
use crate::units::{Dimension, Quantity, Unit};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// A reported value, ready to be tested against one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A number: in the target's unit, or, for a relative target, in its own unit.
    Number(Quantity),
    Done(bool),
}

impl Reading {
    pub fn quantity(self) -> Option<Quantity> {
        match self {
            Reading::Number(q) => Some(q),
            Reading::Done(_) => None,
        }
    }
}

/// Why a value cannot be tested against a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A unit of another dimension, or one the registry does not know.
    WrongUnit {
        reported: String,
        expected: Option<&'static Unit>,
    },
    /// A number for a milestone, or done/true/false for a numeric target.
    WrongKind { milestone: bool },
    /// Not a value at all.
    Invalid { text: String, reason: InvalidReason },
    /// A relative target whose reference (last year, another metric) has no value.
    NoReference,
    /// Growth over a reference of zero has no meaning.
    ZeroReference,
    /// An amount the verdict needs does not fit in an exact decimal.
    Overflow(Amount),
}

/// The amounts evaluation computes, each of which can overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// The total of a `summed` figure's parts.
    Total,
    /// The growth over last year or another metric.
    Growth,
    /// The change from last year.
    Change,
    /// The band a `~=` target allows.
    Approx,
    /// The pro-rata line and its tolerance band.
    Progress,
}

/// Wraps an exact computation's `None` as the overflow of `amount`.
pub(super) fn fits(amount: Amount, value: Option<Decimal>) -> Result<Decimal, Problem> {
    value.ok_or(Problem::Overflow(amount))
}

/// The total of a summed figure's parts, each brought into the first part's unit.
pub(super) fn total(
    parts: impl IntoIterator<Item = Quantity>,
) -> Result<Option<Quantity>, Problem> {
    let mut sum: Option<Quantity> = None;
    for part in parts {
        sum = Some(match sum {
            None => part,
            Some(sum) => {
                let part = convert(&part, sum.unit)?;
                let amount = fits(Amount::Total, exact::add(sum.amount, part.amount))?;
                Quantity::new(amount, sum.unit)
            }
        });
    }
    Ok(sum)
}

/// The outcome of testing a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Test {
    pub met: bool,
    /// For a relative target, what was compared: the growth in per cent, or the change.
    pub derived: Option<Quantity>,
}

/// Reads `value` for `target`: converts it into the target's unit.
pub fn read(target: &Target, value: &FigureValue) -> Result<Reading, Problem> {
    match (target, value) {
        (Target::Done, FigureValue::Done(done)) => Ok(Reading::Done(*done)),
        // A form's 完成情况 column filled with 1 and 0, and LibreOffice's TRUE saved as 1: a
        // milestone reads 1 as done and 0 as not done. Any other number says nothing about
        // done, and a unit (1项) makes it a count.
        (Target::Done, FigureValue::Number(Quantity { amount, unit: None }))
            if *amount == Decimal::ONE || amount.is_zero() =>
        {
            Ok(Reading::Done(*amount == Decimal::ONE))
        }
        (Target::Done, FigureValue::Number(_) | FigureValue::UnknownUnit { .. }) => {
            Err(Problem::WrongKind { milestone: true })
        }
        (_, FigureValue::Done(_)) => Err(Problem::WrongKind { milestone: false }),
        (_, FigureValue::Invalid { text, reason }) => Err(Problem::Invalid {
            text: text.clone(),
            reason: *reason,
        }),
        (target, FigureValue::UnknownUnit { unit, .. }) => Err(Problem::WrongUnit {
            reported: unit.clone(),
            expected: target.unit(),
        }),
        // A relative target has no unit of its own: the figure keeps its unit and meets
        // its reference's in `test`.
        (Target::Relative { .. }, FigureValue::Number(actual)) => Ok(Reading::Number(*actual)),
        (target, FigureValue::Number(actual)) => {
            convert(actual, target.unit()).map(Reading::Number)
        }
    }
}

/// `actual` in `unit`, or the problem that stops it.
pub(super) fn convert(actual: &Quantity, unit: Option<&'static Unit>) -> Result<Quantity, Problem> {
    match actual.convert_to(unit) {
        Ok(Some(converted)) => Ok(converted),
        // Only a figure beyond 10^28 base units fails to convert; no report carries one.
        Ok(None) => Err(Problem::Invalid {
            text: actual.to_string(),
            reason: InvalidReason::TooLarge,
        }),
        Err(incompatible) => Err(Problem::WrongUnit {
            reported: incompatible
                .from
                .map_or_else(|| "（无单位）".to_owned(), |u| u.name.to_owned()),
            expected: incompatible.to,
        }),
    }
}

/// Tests a reading against the target as at the deadline. `reference` is last year's value or
/// the other metric's figure for relative targets; `approx` the plan's default tolerance for
/// `~=`, in per cent.
pub fn test(
    target: &Target,
    reading: Reading,
    reference: Option<Quantity>,
    approx: Option<Decimal>,
) -> Result<Test, Problem> {
    let plain = |met| Ok(Test { met, derived: None });
    match (target, reading) {
        (Target::Done, Reading::Done(done)) => plain(done),
        (Target::Compare { op, value }, Reading::Number(v)) => {
            plain(holds(*op, v.amount.cmp(&value.amount)))
        }
        (Target::Range { low, high }, Reading::Number(v)) => {
            plain(v.amount >= low.amount && v.amount <= high.amount)
        }
        (Target::Approx { value, within }, Reading::Number(v)) => {
            // |v − value| <= |allowed|, with a percentage multiplied out rather than divided.
            let off = fits(Amount::Approx, exact::sub(v.amount, value.amount))?.abs();
            let (off, allowed) = match within {
                Some(Tolerance::Absolute(q)) => (off, convert(q, value.unit)?.amount),
                Some(Tolerance::Percent(p)) => per_cent(off, value.amount, *p)?,
                None => per_cent(off, value.amount, approx.unwrap_or_default())?,
            };
            plain(off <= allowed.abs())
        }
        (Target::Relative { relation, .. }, Reading::Number(v)) => {
            let reference = reference.ok_or(Problem::NoReference)?;
            relative(relation, v, reference)
        }
        (Target::Done, Reading::Number(_)) => Err(Problem::WrongKind { milestone: true }),
        (_, Reading::Done(_)) => Err(Problem::WrongKind { milestone: false }),
    }
}

/// `off × 100` and `value × percent`: both sides of `off <= value × percent / 100`.
fn per_cent(off: Decimal, value: Decimal, percent: Decimal) -> Result<(Decimal, Decimal), Problem> {
    Ok((
        fits(Amount::Approx, exact::mul(off, Decimal::ONE_HUNDRED))?,
        fits(Amount::Approx, exact::mul(value, percent))?,
    ))
}

/// Brings the reference into the figure's unit; a bare figure takes the reference's unit.
fn align(v: Quantity, reference: Quantity) -> Result<(Quantity, Quantity), Problem> {
    match v.unit {
        None => Ok((Quantity::new(v.amount, reference.unit), reference)),
        Some(unit) => Ok((v, convert(&reference, Some(unit))?)),
    }
}

fn relative(relation: &Relation, v: Quantity, reference: Quantity) -> Result<Test, Problem> {
    let (v, reference) = align(v, reference)?;
    let percent = crate::units::lookup("%");
    match relation {
        Relation::Compare(op) => Ok(Test {
            met: holds(*op, v.amount.cmp(&reference.amount)),
            derived: None,
        }),
        Relation::Growth { .. } | Relation::GrowthRange { .. } => {
            if reference.amount.is_zero() {
                return Err(Problem::ZeroReference);
            }
            let growth = Growth::new(v.amount, reference.amount)?;
            let met = match relation {
                Relation::Growth { op, rate } => holds(*op, growth.cmp(*rate)?),
                Relation::GrowthRange { low, high } => {
                    growth.cmp(*low)?.is_ge() && growth.cmp(*high)?.is_le()
                }
                _ => false,
            };
            Ok(Test {
                met,
                derived: Some(Quantity::new(growth.percent()?, percent)),
            })
        }
        Relation::Change { op, amount } => {
            let change = change_in(v, reference, amount)?;
            Ok(Test {
                met: holds(*op, change.amount.cmp(&change_amount(amount, v)?)),
                derived: Some(change),
            })
        }
        Relation::ChangeRange { low, high } => {
            let change = change_in(v, reference, low)?;
            let (low, high) = (change_amount(low, v)?, change_amount(high, v)?);
            Ok(Test {
                met: change.amount >= low && change.amount <= high,
                derived: Some(change),
            })
        }
    }
}

/// The growth from `reference` to `value`, kept as the difference `value − reference` so that
/// it is compared exactly: growth ≥ 5% is `(value − reference) × 100 ≥ 5 × reference`, and
/// 4.99996% never meets 5%.
struct Growth {
    difference: Decimal,
    reference: Decimal,
}

impl Growth {
    fn new(value: Decimal, reference: Decimal) -> Result<Self, Problem> {
        Ok(Growth {
            difference: fits(Amount::Growth, exact::sub(value, reference))?,
            reference,
        })
    }

    /// How the growth compares with `rate` per cent.
    fn cmp(&self, rate: Decimal) -> Result<Ordering, Problem> {
        let growth = fits(
            Amount::Growth,
            exact::mul(self.difference, Decimal::ONE_HUNDRED),
        )?;
        let line = fits(Amount::Growth, exact::mul(rate, self.reference))?;
        // Dividing by a negative reference would turn the comparison round.
        Ok(if self.reference.is_sign_negative() {
            line.cmp(&growth)
        } else {
            growth.cmp(&line)
        })
    }

    /// The growth in per cent, for reports. A quotient such as 1/3 does not terminate, so
    /// this may be cut at the 28th digit; it is shown, never compared.
    fn percent(&self) -> Result<Decimal, Problem> {
        let ratio = self.difference.checked_div(self.reference);
        fits(
            Amount::Growth,
            ratio.and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED)),
        )
        .map(|p| p.normalize())
    }
}

/// The difference of two figures, in the unit the target's amount is written in: a difference
/// of two percentages is in 百分点.
fn change_in(v: Quantity, reference: Quantity, amount: &Quantity) -> Result<Quantity, Problem> {
    let difference = fits(Amount::Change, exact::sub(v.amount, reference.amount))?;
    if is_percent_points(v, amount) {
        return Ok(Quantity::new(difference, amount.unit));
    }
    Ok(Quantity::new(difference, v.unit))
}

fn change_amount(amount: &Quantity, v: Quantity) -> Result<Decimal, Problem> {
    if is_percent_points(v, amount) {
        return Ok(amount.amount);
    }
    Ok(convert(amount, v.unit)?.amount)
}

fn is_percent_points(v: Quantity, amount: &Quantity) -> bool {
    v.unit.map(|u| u.dimension) == Some(Dimension::Percent)
        && amount.unit.map(|u| u.dimension) == Some(Dimension::PercentagePoint)
}

pub fn holds(op: Op, ordering: Ordering) -> bool {
    match op {
        Op::Ge => ordering != Ordering::Less,
        Op::Gt => ordering == Ordering::Greater,
        Op::Le => ordering != Ordering::Greater,
        Op::Lt => ordering == Ordering::Less,
        Op::Eq => ordering == Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)] // a failed unwrap or panic is the test failing
    use super::*;
    use crate::model::Reference;
    use crate::units::lookup;
    use std::str::FromStr;

    fn q(amount: &str, unit: &str) -> Quantity {
        Quantity::new(Decimal::from_str(amount).unwrap(), lookup(unit))
    }

    fn ge(amount: &str, unit: &str) -> Target {
        Target::Compare {
            op: Op::Ge,
            value: q(amount, unit),
        }
    }

    fn met(target: &Target, value: FigureValue) -> bool {
        met_with(target, value, None)
    }

    fn met_with(target: &Target, value: FigureValue, reference: Option<Quantity>) -> bool {
        let reading = read(target, &value).unwrap();
        test(target, reading, reference, Some(Decimal::TEN))
            .unwrap()
            .met
    }

    #[test]
    fn exact_decimals_decide_the_edge() {
        assert!(!met(&ge("91", "%"), FigureValue::Number(q("90.96", "%"))));
        assert!(met(&ge("91", "%"), FigureValue::Number(q("91.00", "%"))));
        let gt = Target::Compare {
            op: Op::Gt,
            value: q("2900", "万元"),
        };
        assert!(!met(&gt, FigureValue::Number(q("0.29", "亿元"))));
        let eq = Target::Compare {
            op: Op::Eq,
            value: q("2900", "万元"),
        };
        assert!(met(&eq, FigureValue::Number(q("0.29", "亿元"))));
    }

    #[test]
    fn every_operator_and_the_range_ends() {
        let cases = [
            (Op::Ge, "5", true),
            (Op::Gt, "5", false),
            (Op::Le, "5", true),
            (Op::Lt, "5", false),
            (Op::Eq, "5", true),
            (Op::Lt, "4.99", true),
        ];
        for (op, actual, expected) in cases {
            let target = Target::Compare {
                op,
                value: q("5", "家"),
            };
            assert_eq!(
                met(&target, FigureValue::Number(q(actual, "家"))),
                expected,
                "{op:?} {actual}"
            );
        }
        let range = Target::Range {
            low: q("1", "个"),
            high: q("2", "个"),
        };
        assert!(met(&range, FigureValue::Number(q("1", "个"))));
        assert!(met(&range, FigureValue::Number(q("2", ""))));
        assert!(!met(&range, FigureValue::Number(q("3", "个"))));
        assert!(!met(&range, FigureValue::Number(q("0.5", "个"))));
    }

    #[test]
    fn approximate_targets_use_the_rule_or_plan_tolerance() {
        let plan_default = Target::Approx {
            value: q("20", "个"),
            within: None,
        };
        assert!(met(&plan_default, FigureValue::Number(q("22", "个"))));
        assert!(!met(&plan_default, FigureValue::Number(q("22.01", "个"))));
        let absolute = Target::Approx {
            value: q("20", "个"),
            within: Some(Tolerance::Absolute(q("1", "个"))),
        };
        assert!(met(&absolute, FigureValue::Number(q("19", "个"))));
        assert!(!met(&absolute, FigureValue::Number(q("18", "个"))));
    }

    #[test]
    fn converted_values_are_read_in_the_target_unit() {
        let reading = read(
            &ge("450", "亿元"),
            &FigureValue::Number(q("4600000", "万元")),
        );
        assert_eq!(reading, Ok(Reading::Number(q("460", "亿元"))));
    }

    #[test]
    fn units_of_another_dimension_are_unusable() {
        assert_eq!(
            read(&ge("1", "亿元"), &FigureValue::Number(q("2", "亿美元"))),
            Err(Problem::WrongUnit {
                reported: "亿美元".to_owned(),
                expected: lookup("亿元"),
            })
        );
        assert!(matches!(
            read(&ge("5", ""), &FigureValue::Number(q("5", "家"))),
            Err(Problem::WrongUnit { .. })
        ));
    }

    #[test]
    fn milestones_take_done_and_numbers_take_numbers() {
        assert!(met(&Target::Done, FigureValue::Done(true)));
        assert!(!met(&Target::Done, FigureValue::Done(false)));
        assert_eq!(
            read(&ge("1", "家"), &FigureValue::Done(true)),
            Err(Problem::WrongKind { milestone: false })
        );
    }

    /// 1 and 0 are done and not done for a milestone, as on a form or from LibreOffice's TRUE;
    /// any other number, or a number with a unit, is no state. For a numeric target 1 stays 1.
    #[test]
    fn a_milestone_reads_one_and_zero_and_refuses_other_numbers() {
        for (number, done) in [("1", true), ("1.00", true), ("0", false), ("-0", false)] {
            assert_eq!(
                read(&Target::Done, &FigureValue::Number(q(number, ""))),
                Ok(Reading::Done(done)),
                "{number}"
            );
        }
        for number in ["2", "0.5", "-1", "100"] {
            assert_eq!(
                read(&Target::Done, &FigureValue::Number(q(number, ""))),
                Err(Problem::WrongKind { milestone: true }),
                "{number}"
            );
        }
        for (number, unit) in [("1", "项"), ("100", "%")] {
            assert_eq!(
                read(&Target::Done, &FigureValue::Number(q(number, unit))),
                Err(Problem::WrongKind { milestone: true }),
                "{number}{unit}"
            );
        }
        assert!(met(&ge("1", "家"), FigureValue::Number(q("1", ""))));
    }

    fn relative(relation: Relation) -> Target {
        Target::Relative {
            relation,
            reference: Reference::LastYear,
        }
    }

    #[test]
    fn growth_is_computed_exactly_against_last_year() {
        let target = relative(Relation::Growth {
            op: Op::Ge,
            rate: Decimal::from(20),
        });
        let last = Some(q("100", "亿元"));
        assert!(met_with(
            &target,
            FigureValue::Number(q("120", "亿元")),
            last
        ));
        assert!(!met_with(
            &target,
            FigureValue::Number(q("119.99", "亿元")),
            last
        ));
        // Units convert before the ratio is taken: 1,200,000万元 is 120亿元.
        assert!(met_with(
            &target,
            FigureValue::Number(q("1200000", "万元")),
            last
        ));
        let reading = read(&target, &FigureValue::Number(q("125", "亿元"))).unwrap();
        assert_eq!(
            test(&target, reading, last, None).unwrap().derived,
            Some(q("25", "%"))
        );
        assert_eq!(
            test(&target, reading, None, None),
            Err(Problem::NoReference)
        );
        assert_eq!(
            test(&target, reading, Some(q("0", "亿元")), None),
            Err(Problem::ZeroReference)
        );
    }

    #[test]
    fn growth_is_not_rounded_before_it_is_compared() {
        let target = relative(Relation::Growth {
            op: Op::Ge,
            rate: Decimal::from(5),
        });
        let last = Some(q("100", "亿元"));
        let reading = read(&target, &FigureValue::Number(q("104.99996", "亿元"))).unwrap();
        let tested = test(&target, reading, last, None).unwrap();
        assert_eq!(
            (tested.met, tested.derived),
            (false, Some(q("4.99996", "%")))
        );
        let range = relative(Relation::GrowthRange {
            low: Decimal::from(5),
            high: Decimal::from(6),
        });
        assert!(met_with(
            &range,
            FigureValue::Number(q("106", "亿元")),
            last
        ));
        assert!(!met_with(
            &range,
            FigureValue::Number(q("106.0000001", "亿元")),
            last
        ));
    }

    #[test]
    fn amounts_that_do_not_fit_are_overflow_problems() {
        let target = relative(Relation::Growth {
            op: Op::Ge,
            rate: Decimal::from(5),
        });
        let tiny = Some(q("0.0000000000000000000000000001", "亿元"));
        assert_eq!(
            test(&target, Reading::Number(q("100", "亿元")), tiny, None),
            Err(Problem::Overflow(Amount::Growth))
        );
        let largest = q("9999999999999999999999999999", "人");
        assert_eq!(total([largest; 9]), Err(Problem::Overflow(Amount::Total)));
        assert_eq!(
            total([largest, q("1", "人")]).map(|t| t.is_some()),
            Ok(true)
        );
        let approx = Target::Approx {
            value: largest,
            within: Some(Tolerance::Percent(Decimal::TEN)),
        };
        assert_eq!(
            test(&approx, Reading::Number(q("1", "人")), None, None),
            Err(Problem::Overflow(Amount::Approx))
        );
    }

    #[test]
    fn changes_of_a_percentage_are_in_points() {
        let target = relative(Relation::ChangeRange {
            low: q("1", "百分点"),
            high: q("3", "百分点"),
        });
        let last = Some(q("80.5", "%"));
        assert!(met_with(&target, FigureValue::Number(q("81.5", "%")), last));
        assert!(met_with(&target, FigureValue::Number(q("83.5", "%")), last));
        assert!(!met_with(
            &target,
            FigureValue::Number(q("83.6", "%")),
            last
        ));
        assert!(!met_with(&target, FigureValue::Number(q("81", "%")), last));
    }

    #[test]
    fn lower_than_last_year_and_against_another_metric() {
        let narrower = relative(Relation::Compare(Op::Lt));
        assert!(met_with(
            &narrower,
            FigureValue::Number(q("2.1", "")),
            Some(q("2.2", ""))
        ));
        assert!(!met_with(
            &narrower,
            FigureValue::Number(q("2.2", "")),
            Some(q("2.2", ""))
        ));
        let higher = Target::Relative {
            relation: Relation::Compare(Op::Gt),
            reference: Reference::Metric {
                name: "制造业贷款增幅".to_owned(),
                loc: crate::source::RuleLoc {
                    file: crate::source::RuleFileId(0),
                    span: 0..0,
                },
            },
        };
        assert!(met_with(
            &higher,
            FigureValue::Number(q("12.5", "%")),
            Some(q("11", "%"))
        ));
    }
}
