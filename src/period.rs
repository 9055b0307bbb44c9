//! Reporting periods: a year, a half, a quarter or a month.

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

impl Period {
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }
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
