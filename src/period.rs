//! Reporting periods: a year, a half, a quarter or a month.

#![deny(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use std::fmt;
use std::str::FromStr;

/// The stretch of time a submission reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPeriod;

impl FromStr for Period {
    type Err = BadPeriod;

    /// Accepts `2023`, `2023-06` (or `2023-6`), `2023-Q2`, `2023-H1`, and the Chinese forms
    /// `2023年`, `2023年6月`, `2023年第二季度`, `2023年上半年`/`下半年`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Some((year, rest)) = text.split_once('-') {
            let year = parse_year(year)?;
            let rest_upper = rest.to_ascii_uppercase();
            if let Some(q) = rest_upper.strip_prefix('Q') {
                return ranged(q, 4).map(|q| Period::Quarter(year, q));
            }
            if let Some(h) = rest_upper.strip_prefix('H') {
                return ranged(h, 2).map(|h| Period::Half(year, h));
            }
            return ranged(rest, 12).map(|m| Period::Month(year, m));
        }
        if let Some((year, rest)) = text.split_once('年') {
            let year = parse_year(year)?;
            return match rest {
                "" => Ok(Period::Year(year)),
                "上半年" => Ok(Period::Half(year, 1)),
                "下半年" => Ok(Period::Half(year, 2)),
                _ => {
                    if let Some(m) = rest.strip_suffix('月') {
                        return ranged(m, 12).map(|m| Period::Month(year, m));
                    }
                    let q = rest
                        .strip_prefix('第')
                        .and_then(|r| r.strip_suffix("季度"))
                        .ok_or(BadPeriod)?;
                    let q = match q {
                        "一" | "1" => 1,
                        "二" | "2" => 2,
                        "三" | "3" => 3,
                        "四" | "4" => 4,
                        _ => return Err(BadPeriod),
                    };
                    Ok(Period::Quarter(year, q))
                }
            };
        }
        parse_year(text).map(Period::Year)
    }
}

fn parse_year(text: &str) -> Result<i32, BadPeriod> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadPeriod);
    }
    text.parse().map_err(|_| BadPeriod)
}

fn ranged(text: &str, max: u8) -> Result<u8, BadPeriod> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadPeriod);
    }
    match text.parse::<u8>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(BadPeriod),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;

    #[test]
    fn every_written_form_parses() {
        let cases = [
            ("2023", Period::Year(2023)),
            ("2023-06", Period::Month(2023, 6)),
            ("2023-6", Period::Month(2023, 6)),
            ("2023-Q2", Period::Quarter(2023, 2)),
            ("2023-q4", Period::Quarter(2023, 4)),
            ("2023-H1", Period::Half(2023, 1)),
            ("2023年", Period::Year(2023)),
            ("2023年6月", Period::Month(2023, 6)),
            ("2023年第三季度", Period::Quarter(2023, 3)),
            ("2023年上半年", Period::Half(2023, 1)),
        ];
        for (text, period) in cases {
            assert_eq!(text.parse::<Period>(), Ok(period), "{text}");
        }
    }

    #[test]
    fn nonsense_is_rejected() {
        for text in [
            "",
            "23",
            "2023-13",
            "2023-Q5",
            "2023-H3",
            "2023-00",
            "next year",
            "2023年13月",
        ] {
            assert_eq!(text.parse::<Period>(), Err(BadPeriod), "{text}");
        }
    }

    #[test]
    fn periods_print_in_their_canonical_form() {
        assert_eq!(Period::Month(2023, 6).to_string(), "2023-06");
        assert_eq!(Period::Quarter(2023, 2).to_string(), "2023-Q2");
    }
}

impl Period {
    /// The first day of the period.
    pub fn start(self) -> jiff::civil::Date {
        // The first month of the `n`th stretch of `months` months; `n` is 1..=4 by parsing.
        let first =
            |n: u8, months: u8| n.saturating_sub(1).saturating_mul(months).saturating_add(1);
        let (year, month) = match self {
            Period::Year(y) => (y, 1),
            Period::Half(y, h) => (y, first(h, 6)),
            Period::Quarter(y, q) => (y, first(q, 3)),
            Period::Month(y, m) => (y, m),
        };
        date(year, month, 1)
    }

    /// The last day of the period (leap years included: 2024-02 ends on the 29th).
    pub fn end(self) -> jiff::civil::Date {
        let (year, month) = match self {
            Period::Year(y) => (y, 12),
            Period::Half(y, h) => (y, h.saturating_mul(6)),
            Period::Quarter(y, q) => (y, q.saturating_mul(3)),
            Period::Month(y, m) => (y, m),
        };
        date(year, month, 1).last_of_month()
    }

    /// The same stretch of the year before: last year's value of a year-to-date figure.
    pub fn previous_year(self) -> Period {
        // Years are four digits by parsing, so there is always one before.
        match self {
            Period::Year(y) => Period::Year(y.saturating_sub(1)),
            Period::Half(y, h) => Period::Half(y.saturating_sub(1), h),
            Period::Quarter(y, q) => Period::Quarter(y.saturating_sub(1), q),
            Period::Month(y, m) => Period::Month(y.saturating_sub(1), m),
        }
    }

    /// Whether `other` lies wholly inside this period.
    pub fn contains(self, other: Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }
}

/// A date from parts that are valid by construction (months 1–12, day 1). Years outside
/// jiff's range (−9999..=9999) cannot be written as four digits, so they never reach here;
/// the fallback keeps this total rather than panicking.
fn date(year: i32, month: u8, day: u8) -> jiff::civil::Date {
    let year = i16::try_from(year).unwrap_or(9999);
    jiff::civil::Date::new(
        year,
        i8::try_from(month).unwrap_or(1),
        i8::try_from(day).unwrap_or(1),
    )
    .unwrap_or(jiff::civil::Date::ZERO)
}

#[cfg(test)]
mod date_tests {
    use super::*;

    fn d(text: &str) -> jiff::civil::Date {
        text.parse().unwrap_or(jiff::civil::Date::ZERO)
    }

    #[test]
    fn periods_start_and_end_on_calendar_days() {
        let cases = [
            (Period::Year(2023), "2023-01-01", "2023-12-31"),
            (Period::Half(2023, 2), "2023-07-01", "2023-12-31"),
            (Period::Quarter(2023, 1), "2023-01-01", "2023-03-31"),
            (Period::Month(2024, 2), "2024-02-01", "2024-02-29"),
            (Period::Month(2023, 2), "2023-02-01", "2023-02-28"),
        ];
        for (period, start, end) in cases {
            assert_eq!(
                (period.start(), period.end()),
                (d(start), d(end)),
                "{period}"
            );
        }
    }

    #[test]
    fn containment_and_last_year() {
        assert!(Period::Year(2023).contains(Period::Quarter(2023, 3)));
        assert!(!Period::Year(2023).contains(Period::Month(2022, 12)));
        assert_eq!(Period::Half(2023, 1).previous_year(), Period::Half(2022, 1));
    }
}
