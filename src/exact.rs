//! Exact decimal arithmetic: a result is exact to the last digit, or there is none.
//!
//! `rust_decimal`'s operators panic on overflow, and its `checked_*` methods still round a
//! result that needs more than 28 significant digits or a scale above 28. A verdict must
//! not rest on a rounded amount, so these return `None` instead, and evaluation turns that
//! into an `invalid` verdict that says which amount could not be computed.

#![deny(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use rust_decimal::Decimal;

/// `a × b`, exactly.
pub fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (a, b) = (a.normalize(), b.normalize());
    let mantissa = a.mantissa().checked_mul(b.mantissa())?;
    build(mantissa, a.scale().checked_add(b.scale())?)
}

/// `a + b`, exactly.
pub fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (a, b) = (a.normalize(), b.normalize());
    let scale = a.scale().max(b.scale());
    let widen = |d: Decimal| {
        let zeros = scale.checked_sub(d.scale())?;
        d.mantissa().checked_mul(10_i128.checked_pow(zeros)?)
    };
    build(widen(a)?.checked_add(widen(b)?)?, scale)
}

/// `a − b`, exactly.
pub fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    add(a, negate(b))
}

/// `a ÷ b`, when the quotient is a terminating decimal that fits: a conversion by an exact
/// factor (万元 to 亿元) always is, unless the amount has too many digits.
pub fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
    let quotient = a.checked_div(b)?;
    // The quotient was rounded if multiplying back does not give `a` again.
    (mul(quotient, b)? == a).then(|| quotient.normalize())
}

/// `-d`; a decimal's range is symmetric, so negation never overflows.
pub fn negate(d: Decimal) -> Decimal {
    let mut negated = d;
    negated.set_sign_negative(d.is_sign_positive());
    negated
}

/// A decimal from an integer mantissa and scale, shedding trailing zeros beyond the largest
/// scale; `None` when it does not fit in 96 bits.
fn build(mut mantissa: i128, mut scale: u32) -> Option<Decimal> {
    while scale > Decimal::MAX_SCALE && mantissa.checked_rem(10)? == 0 {
        mantissa = mantissa.checked_div(10)?;
        scale = scale.checked_sub(1)?;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale)
        .ok()
        .map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is the test failing
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn exact_results_come_back_whole() {
        assert_eq!(mul(d("88.768"), d("365")), Some(d("32400.32")));
        assert_eq!(mul(d("0.2"), d("0.5")), Some(d("0.1")));
        assert_eq!(add(d("0.1"), d("0.2")), Some(d("0.3")));
        assert_eq!(sub(d("100"), d("104.999996")), Some(d("-4.999996")));
        assert_eq!(div(d("4600000"), d("10000")), Some(d("460")));
        assert_eq!(div(d("1"), d("0.5")), Some(d("2")));
        assert_eq!(negate(d("-3.5")), d("3.5"));
    }

    #[test]
    fn results_that_would_be_rounded_are_refused() {
        // 28 significant digits times 28 more do not fit: checked_mul would round them.
        let long = d("1.234567890123456789012345678");
        assert!(long.checked_mul(long).is_some());
        assert_eq!(mul(long, long), None);
        // 100 − 10^-28 needs 31 digits.
        assert_eq!(sub(d("100"), d("0.0000000000000000000000000001")), None);
        assert_eq!(div(d("1"), d("3")), None);
        assert_eq!(add(Decimal::MAX, Decimal::ONE), None);
        assert_eq!(mul(Decimal::MAX, d("2")), None);
        assert_eq!(div(Decimal::MAX, d("0.5")), None);
        assert_eq!(div(Decimal::ONE, Decimal::ZERO), None);
    }

    #[test]
    fn scales_beyond_the_largest_shed_only_zeros() {
        let tiny = d("0.00000000000002");
        assert_eq!(
            mul(tiny, d("0.000000000000005")),
            Some(d("0.0000000000000000000000000001"))
        );
        assert_eq!(mul(tiny, d("0.000000000000003")), None);
    }
}
