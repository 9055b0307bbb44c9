//! Reading one reported value: `92.3%`, `4,512人`, `３．２亿元`, `done`, `NaN`.
//!
//! Numbers are read digit by digit into an exact decimal, never through `f64`: a department
//! that writes 90.96% must not meet a 91% target by rounding, and a number with more digits than
//! a decimal holds is refused rather than silently rounded (`Decimal::from_str` rounds).

#![deny(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use super::{FigureValue, InvalidReason};
use crate::units::{self, Quantity};
use rust_decimal::Decimal;

/// Significant digits an exact decimal holds.
const MAX_DIGITS: usize = 28;

/// Reads a value as a submitter wrote it: a number with an optional unit, a milestone word, or
/// something invalid (with the reason).
pub fn parse_value(text: &str) -> FigureValue {
    if let Some(amount) = plain_number(text) {
        return FigureValue::Number(Quantity::new(amount, None));
    }
    let folded = fold_full_width(text);
    let trimmed = folded.trim();
    let invalid = |reason| FigureValue::Invalid {
        text: text.trim().to_owned(),
        reason,
    };
    if trimmed.is_empty() {
        return invalid(InvalidReason::Empty);
    }
    if let Some(done) = milestone(trimmed) {
        return FigureValue::Done(done);
    }
    match split_number(trimmed) {
        Ok((amount, unit)) => with_unit_name(amount, unit.trim()),
        Err(reason) => invalid(reason),
    }
}

/// A plain number such as `-12.50` (ASCII digits, at most 18 of them, an optional sign and
/// point), read without allocating: most figures of machine-written files are such numbers.
/// Gives the same decimal, scale included, as `split_number` does; `None` leaves anything else
/// to it.
fn plain_number(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if body.len() > 19 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut digits: usize = 0;
    let mut scale: Option<u32> = None;
    for &b in body {
        match b {
            b'0'..=b'9' => {
                // At most 19 digits are seen; more than 18 are refused below, before use.
                mantissa = mantissa
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(b.wrapping_sub(b'0')));
                digits = digits.saturating_add(1);
                if let Some(scale) = &mut scale {
                    *scale = scale.saturating_add(1);
                }
            }
            b'.' if scale.is_none() && digits > 0 => scale = Some(0),
            _ => return None,
        }
    }
    if digits == 0 || digits > 18 || scale == Some(0) {
        return None;
    }
    let mut scale = scale.unwrap_or(0);
    // Trailing zeros after the point carry no value, as in `exact_decimal`.
    while scale > 0 && mantissa.checked_rem(10) == Some(0) {
        mantissa = mantissa.wrapping_div(10);
        scale = scale.saturating_sub(1);
    }
    if mantissa == 0 {
        return Some(Decimal::ZERO);
    }
    Some(Decimal::new(
        if negative {
            mantissa.wrapping_neg()
        } else {
            mantissa
        },
        scale,
    ))
}

/// Reads a value whose unit was written apart from it (a CSV unit column, `{value, unit}`).
/// The value is the number text followed by that unit; a value that already names the same
/// unit keeps it, and a milestone or invalid value ignores the unit.
pub(super) fn parse_value_with_unit(value: &str, unit: &str) -> FigureValue {
    let unit = fold_full_width(unit);
    let unit = unit.trim();
    let parsed = parse_value(value);
    if unit.is_empty() {
        return parsed;
    }
    match parsed {
        FigureValue::Number(Quantity { amount, unit: None }) => with_unit_name(amount, unit),
        FigureValue::Number(q) if q.unit.is_some_and(|u| u.name == unit) => parsed,
        // Two units (`"3.2亿元"` with unit 万元): reading them as one unknown unit shows the
        // submitter both.
        FigureValue::Number(_) | FigureValue::UnknownUnit { .. } => {
            parse_value(&format!("{}{unit}", value.trim()))
        }
        FigureValue::Done(_) | FigureValue::Invalid { .. } => parsed,
    }
}

fn with_unit_name(amount: Decimal, unit: &str) -> FigureValue {
    if unit.is_empty() {
        return FigureValue::Number(Quantity::new(amount, None));
    }
    match units::lookup(unit) {
        Some(found) => FigureValue::Number(Quantity::new(amount, Some(found))),
        None => FigureValue::UnknownUnit {
            amount,
            unit: unit.to_owned(),
        },
    }
}

/// Full-width ASCII (`９２．５％`, `，`, `－`) as typed by Chinese input methods, folded to
/// ASCII; the ideographic space becomes a space and the minus sign a hyphen.
fn fold_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => (c as u32)
                .checked_sub(0xFEE0)
                .and_then(char::from_u32)
                .unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2212}' => '-',
            _ => c,
        })
        .collect()
}

fn milestone(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "done" | "true" | "完成" | "已完成" | "是" => Some(true),
        "false" | "未完成" | "否" => Some(false),
        _ => None,
    }
}

/// Splits `text` (already folded and trimmed) into the number at its start and the rest.
fn split_number(text: &str) -> Result<(Decimal, &str), InvalidReason> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if is_non_finite(body) {
        return Err(InvalidReason::NonFinite);
    }
    let (int_part, rest) = take_while(body, |c| c.is_ascii_digit() || c == ',');
    let int_digits = ungroup(int_part).ok_or(InvalidReason::NotANumber)?;
    let (frac_digits, rest) = match rest.strip_prefix('.') {
        Some(after_point) => take_while(after_point, |c| c.is_ascii_digit()),
        None => ("", rest),
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err(InvalidReason::NotANumber);
    }
    let (exponent, rest) = take_exponent(rest)?;
    let amount = exact_decimal(negative, &int_digits, frac_digits, exponent)?;
    Ok((amount, rest))
}

fn take_while(text: &str, keep: impl Fn(char) -> bool) -> (&str, &str) {
    let end = text.find(|c: char| !keep(c)).unwrap_or(text.len());
    text.split_at_checked(end).unwrap_or((text, ""))
}

/// `nan`, `inf`, `.inf`, `Infinity` (any case), standing alone or before a unit.
fn is_non_finite(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    ["infinity", ".inf", "inf", ".nan", "nan"]
        .iter()
        .any(|word| {
            lower
                .strip_prefix(word)
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
}

/// The digits of an integer part with its thousands separators removed, or `None` when the
/// commas are not thousands separators: `1,5` may be a European 1.5 and must not become 15.
fn ungroup(int_part: &str) -> Option<String> {
    if !int_part.contains(',') {
        return Some(int_part.to_owned());
    }
    let mut groups = int_part.split(',');
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len());
    let rest_ok = groups.all(|g| g.len() == 3);
    (first_ok && rest_ok).then(|| int_part.replace(',', ""))
}

/// An exponent (`e3`, `E-2`) at the start of `rest`, if one is there. An `e` not followed by
/// digits is left alone: it would be the start of a unit.
fn take_exponent(rest: &str) -> Result<(i64, &str), InvalidReason> {
    let Some(after_e) = rest.strip_prefix(['e', 'E']) else {
        return Ok((0, rest));
    };
    let (negative, unsigned) = match after_e.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after_e.strip_prefix('+').unwrap_or(after_e)),
    };
    let (digits, after) = take_while(unsigned, |c| c.is_ascii_digit());
    if digits.is_empty() {
        return Ok((0, rest));
    }
    // Beyond a few digits the exponent is out of every decimal's range anyway.
    let digits = digits.trim_start_matches('0');
    if digits.len() > 4 {
        return Err(InvalidReason::TooLarge);
    }
    let magnitude: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| InvalidReason::TooLarge)?
    };
    Ok((
        if negative {
            magnitude.wrapping_neg()
        } else {
            magnitude
        },
        after,
    ))
}

/// Builds the decimal `±int.frac × 10^exponent` exactly, or says it has too many digits.
fn exact_decimal(
    negative: bool,
    int_digits: &str,
    frac_digits: &str,
    exponent: i64,
) -> Result<Decimal, InvalidReason> {
    let mut digits = format!("{int_digits}{frac_digits}");
    let mut scale = i64::try_from(frac_digits.len())
        .ok()
        .and_then(|n| n.checked_sub(exponent))
        .ok_or(InvalidReason::TooLarge)?;
    // Trailing zeros after the point carry no value; dropping them keeps 92.3000…0 exact.
    while scale > 0 && digits.ends_with('0') {
        digits.pop();
        scale = scale.saturating_sub(1);
    }
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let mut significant = significant.to_owned();
    if scale < 0 {
        let zeros = usize::try_from(scale.unsigned_abs()).map_err(|_| InvalidReason::TooLarge)?;
        if significant.len().saturating_add(zeros) > MAX_DIGITS {
            return Err(InvalidReason::TooLarge);
        }
        significant.push_str(&"0".repeat(zeros));
        scale = 0;
    }
    let scale = u32::try_from(scale).map_err(|_| InvalidReason::TooLarge)?;
    if significant.len() > MAX_DIGITS || scale > Decimal::MAX_SCALE {
        return Err(InvalidReason::TooLarge);
    }
    let mantissa: i128 = significant.parse().map_err(|_| InvalidReason::NotANumber)?;
    // At most 28 digits: far inside i128, so negation cannot overflow.
    let mantissa = if negative {
        mantissa.wrapping_neg()
    } else {
        mantissa
    };
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| InvalidReason::TooLarge)
}

#[cfg(test)]
mod tests {
    // A failed unwrap in a test is the assertion failing.
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::str::FromStr;

    use crate::load::tests::{invalid, number};

    #[test]
    fn plain_numbers_read_as_the_general_reader_reads_them() {
        for text in [
            "0",
            "-0",
            "-0.0",
            "7",
            "12.50",
            "-12.50",
            "90.96",
            "100.0",
            "0.001",
            "007.10",
            "999999999999999999",
            "-123456789.123456789",
            "1.000000000",
        ] {
            let fast = plain_number(text).unwrap();
            let (general, rest) = split_number(text).unwrap();
            assert_eq!(rest, "", "{text}");
            assert_eq!(fast.to_string(), general.to_string(), "{text}");
            assert_eq!(fast.scale(), general.scale(), "{text}");
        }
        for text in [
            "",
            "-",
            "1.",
            ".5",
            "1e3",
            "+1",
            "1,000",
            " 1",
            "1%",
            "1234567890123456789",
        ] {
            assert_eq!(plain_number(text), None, "{text}");
        }
    }

    #[test]
    fn numbers_with_and_without_units() {
        let cases = [
            ("4512", number("4512", None)),
            ("92.3%", number("92.3", Some("%"))),
            ("3.2亿元", number("3.2", Some("亿元"))),
            ("3.2 亿元", number("3.2", Some("亿元"))),
            ("4,512人", number("4512", Some("人"))),
            ("4,600,000万元", number("4600000", Some("万元"))),
            ("-1.5个百分点", number("-1.5", Some("个百分点"))),
            ("+0.5百分点", number("0.5", Some("百分点"))),
            (".5", number("0.5", None)),
            ("1e3", number("1000", None)),
            ("1.5E-2万元", number("0.015", Some("万元"))),
            ("  12  ", number("12", None)),
            ("-0", number("0", None)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_value(text), expected, "{text}");
        }
    }

    #[test]
    fn full_width_digits_signs_and_separators_fold() {
        assert_eq!(parse_value("９２％"), number("92", Some("%")));
        assert_eq!(parse_value("１２．５"), number("12.5", None));
        assert_eq!(parse_value("４，５１２人"), number("4512", Some("人")));
        assert_eq!(parse_value("－３．２　亿元"), number("-3.2", Some("亿元")));
        assert_eq!(parse_value("＋1"), number("1", None));
    }

    #[test]
    fn commas_that_are_not_thousands_separators_are_refused() {
        for text in ["1,5", "45,12", "1,2345", ",512", "4512,"] {
            assert_eq!(
                parse_value(text),
                invalid(text, InvalidReason::NotANumber),
                "{text}"
            );
        }
    }

    #[test]
    fn milestones() {
        for text in ["done", "Done", "true", "TRUE", "完成", "已完成", "是"] {
            assert_eq!(parse_value(text), FigureValue::Done(true), "{text}");
        }
        for text in ["false", "未完成", "否"] {
            assert_eq!(parse_value(text), FigureValue::Done(false), "{text}");
        }
    }

    #[test]
    fn every_invalid_reason() {
        for text in [
            "NaN",
            "nan",
            ".nan",
            ".NaN",
            "inf",
            "-inf",
            ".inf",
            "-.inf",
            "Infinity",
            "-Infinity",
            "NaN%",
        ] {
            assert_eq!(
                parse_value(text),
                invalid(text, InvalidReason::NonFinite),
                "{text}"
            );
        }
        assert_eq!(parse_value(""), invalid("", InvalidReason::Empty));
        assert_eq!(parse_value("  "), invalid("", InvalidReason::Empty));
        for text in ["abc", "约92%", "information", "%", "-", ".", "e5"] {
            assert_eq!(
                parse_value(text),
                invalid(text, InvalidReason::NotANumber),
                "{text}"
            );
        }
        let long = "12345678901234567890123456789";
        assert_eq!(parse_value(long), invalid(long, InvalidReason::TooLarge));
        let fine = "1234567890123456789012345678";
        assert_eq!(parse_value(fine), number(fine, None));
        let precise = "0.12345678901234567890123456789";
        assert_eq!(
            parse_value(precise),
            invalid(precise, InvalidReason::TooLarge)
        );
        assert_eq!(
            parse_value("1e29"),
            invalid("1e29", InvalidReason::TooLarge)
        );
        assert_eq!(
            parse_value("1e99999999999"),
            invalid("1e99999999999", InvalidReason::TooLarge)
        );
        assert_eq!(
            parse_value("1e-29"),
            invalid("1e-29", InvalidReason::TooLarge)
        );
    }

    #[test]
    fn trailing_zeros_do_not_count_as_digits() {
        let text = "92.300000000000000000000000000000";
        assert_eq!(parse_value(text), number("92.3", None));
        assert_eq!(parse_value("0e999"), number("0", None));
    }

    #[test]
    fn exactness_survives_where_f64_would_not() {
        let FigureValue::Number(q) = parse_value("90.96%") else {
            unreachable!("90.96% is a number")
        };
        assert!(q.amount < Decimal::from(91));
        assert_eq!(q.amount.to_string(), "90.96");
        assert_eq!(
            parse_value("0.1000000000000000055511151231"),
            number("0.1000000000000000055511151231", None)
        );
    }

    #[test]
    fn unknown_units_keep_the_amount() {
        assert_eq!(
            parse_value("5头牛"),
            FigureValue::UnknownUnit {
                amount: Decimal::from(5),
                unit: "头牛".to_owned()
            }
        );
        assert_eq!(
            parse_value("3e"),
            FigureValue::UnknownUnit {
                amount: Decimal::from(3),
                unit: "e".to_owned()
            }
        );
    }

    #[test]
    fn a_separate_unit_joins_the_number() {
        assert_eq!(
            parse_value_with_unit("3.2", "亿元"),
            number("3.2", Some("亿元"))
        );
        assert_eq!(
            parse_value_with_unit("92.3", "％"),
            number("92.3", Some("%"))
        );
        assert_eq!(
            parse_value_with_unit("92.3%", "%"),
            number("92.3", Some("%"))
        );
        assert_eq!(parse_value_with_unit("4512", ""), number("4512", None));
        assert_eq!(
            parse_value_with_unit("", "亿元"),
            invalid("", InvalidReason::Empty)
        );
        assert_eq!(
            parse_value_with_unit("NaN", "%"),
            invalid("NaN", InvalidReason::NonFinite)
        );
        assert_eq!(parse_value_with_unit("完成", "项"), FigureValue::Done(true));
        assert_eq!(
            parse_value_with_unit("3.2亿元", "万元"),
            FigureValue::UnknownUnit {
                amount: Decimal::from_str("3.2").unwrap(),
                unit: "亿元万元".to_owned()
            }
        );
        assert_eq!(
            parse_value_with_unit("5", "头牛"),
            FigureValue::UnknownUnit {
                amount: Decimal::from(5),
                unit: "头牛".to_owned()
            }
        );
    }
}
