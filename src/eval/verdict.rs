//! One figure against one target: convert units, compare exactly, decide.

use crate::load::{FigureValue, InvalidReason};
use crate::model::{Op, Target};
use crate::units::{Quantity, Unit};
use std::cmp::Ordering;

/// What a rule makes of one reported value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// The value could be compared: `compared` is it in the target's unit (a milestone has
    /// none), `met` whether the target holds.
    Compared {
        compared: Option<Quantity>,
        met: bool,
    },
    /// The value cannot be compared with this target.
    Unusable(Problem),
}

/// Why a value cannot be compared.
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
}

/// Judges `value` against `target`.
pub fn judge(target: &Target, value: &FigureValue) -> Judgement {
    match (target, value) {
        (Target::Done, FigureValue::Done(done)) => Judgement::Compared {
            compared: None,
            met: *done,
        },
        (Target::Done, FigureValue::Number(_) | FigureValue::UnknownUnit { .. }) => {
            Judgement::Unusable(Problem::WrongKind { milestone: true })
        }
        (_, FigureValue::Done(_)) => Judgement::Unusable(Problem::WrongKind { milestone: false }),
        (_, FigureValue::Invalid { text, reason }) => Judgement::Unusable(Problem::Invalid {
            text: text.clone(),
            reason: *reason,
        }),
        (target, FigureValue::UnknownUnit { unit, .. }) => {
            Judgement::Unusable(Problem::WrongUnit {
                reported: unit.clone(),
                expected: target.unit(),
            })
        }
        (Target::Compare { op, value: goal }, FigureValue::Number(actual)) => {
            compare(actual, goal.unit, |a| {
                holds(*op, a.amount.cmp(&goal.amount))
            })
        }
        // Judged with their context (tolerance, reference) by the time-aware evaluation.
        (Target::Approx { .. } | Target::Relative { .. }, FigureValue::Number(_)) => {
            Judgement::Unusable(Problem::WrongKind { milestone: false })
        }
        (Target::Range { low, high }, FigureValue::Number(actual)) => {
            compare(actual, low.unit, |a| {
                a.amount >= low.amount && a.amount <= high.amount
            })
        }
    }
}

fn compare(
    actual: &Quantity,
    unit: Option<&'static Unit>,
    test: impl Fn(&Quantity) -> bool,
) -> Judgement {
    match actual.convert_to(unit) {
        Ok(Some(converted)) => Judgement::Compared {
            met: test(&converted),
            compared: Some(converted),
        },
        // Only a figure beyond 10^28 base units fails to convert; no report carries one.
        Ok(None) => Judgement::Unusable(Problem::Invalid {
            text: actual.to_string(),
            reason: InvalidReason::TooLarge,
        }),
        Err(incompatible) => Judgement::Unusable(Problem::WrongUnit {
            reported: incompatible
                .from
                .map_or_else(|| "（无单位）".to_owned(), |u| u.name.to_owned()),
            expected: incompatible.to,
        }),
    }
}

fn holds(op: Op, ordering: Ordering) -> bool {
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
    use crate::units::lookup;
    use rust_decimal::Decimal;
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
        match judge(target, &value) {
            Judgement::Compared { met, .. } => met,
            Judgement::Unusable(problem) => panic!("unusable: {problem:?}"),
        }
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
    fn converted_values_are_reported_in_the_target_unit() {
        let judgement = judge(
            &ge("450", "亿元"),
            &FigureValue::Number(q("4600000", "万元")),
        );
        assert_eq!(
            judgement,
            Judgement::Compared {
                compared: Some(q("460", "亿元")),
                met: true
            }
        );
    }

    #[test]
    fn units_of_another_dimension_are_unusable() {
        let judgement = judge(&ge("1", "亿元"), &FigureValue::Number(q("2", "亿美元")));
        assert_eq!(
            judgement,
            Judgement::Unusable(Problem::WrongUnit {
                reported: "亿美元".to_owned(),
                expected: lookup("亿元"),
            })
        );
        let judgement = judge(&ge("5", ""), &FigureValue::Number(q("5", "家")));
        assert!(matches!(
            judgement,
            Judgement::Unusable(Problem::WrongUnit { .. })
        ));
    }

    #[test]
    fn milestones_take_done_and_numbers_take_numbers() {
        assert!(met(&Target::Done, FigureValue::Done(true)));
        assert!(!met(&Target::Done, FigureValue::Done(false)));
        assert_eq!(
            judge(&Target::Done, &FigureValue::Number(q("1", ""))),
            Judgement::Unusable(Problem::WrongKind { milestone: true })
        );
        assert_eq!(
            judge(&ge("1", "家"), &FigureValue::Done(true)),
            Judgement::Unusable(Problem::WrongKind { milestone: false })
        );
    }
}
