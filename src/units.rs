//! The unit registry: which units exist, what they measure and how they convert.
//!
//! A unit is part of a value. Two quantities compare only when their units measure the same
//! dimension; the comparison then happens in the dimension's base unit with exact decimals, so
//! `0.29亿元` equals `2900万元` and `90.96%` stays below `91%`.

#![deny(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use crate::exact;
use rust_decimal::Decimal;
use std::fmt;

/// What a unit measures. Units of different dimensions never convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// A count of things named by a Chinese measure word (家, 个, 人 …). 5家 and 5个 are
    /// different things, so every measure word is its own dimension.
    Count(&'static str),
    /// Money in one currency (人民币, 美元, 欧元); currencies never convert.
    Money(&'static str),
    Area,
    Length,
    Mass,
    /// Visits (人次): people counted once per visit, not once per person.
    Visits,
    /// A share, in per cent.
    Percent,
    /// A difference between two shares (提升1个百分点).
    PercentagePoint,
    /// Electric power (千瓦, 万千瓦).
    Power,
    /// Time spans (天, 个月, 年).
    Duration,
}

impl Dimension {
    /// Chinese name of the dimension, for diagnostics.
    pub fn describe(self) -> String {
        match self {
            Dimension::Count(word) => format!("以“{word}”计的数量"),
            Dimension::Money(currency) => format!("金额（{currency}）"),
            Dimension::Area => "面积".to_owned(),
            Dimension::Length => "长度".to_owned(),
            Dimension::Mass => "重量".to_owned(),
            Dimension::Visits => "人次".to_owned(),
            Dimension::Percent => "百分比".to_owned(),
            Dimension::PercentagePoint => "百分点".to_owned(),
            Dimension::Power => "功率".to_owned(),
            Dimension::Duration => "时长".to_owned(),
        }
    }
}

/// One unit: its written name, its dimension, and how many base units one of it holds.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Unit {
    pub name: &'static str,
    pub dimension: Dimension,
    /// Base units per one of this unit, as (mantissa, scale): 10^4 for 万元 is (10000, 0);
    /// 0.0001 would be (1, 4). Kept as integer parts so the table stays `const`.
    factor: (i64, u32),
}

impl Unit {
    /// How many base units one of this unit holds.
    pub fn factor(&self) -> Decimal {
        Decimal::new(self.factor.0, self.factor.1)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

const WAN: i64 = 10_000;
const YI: i64 = 100_000_000;

const fn unit(name: &'static str, dimension: Dimension, factor: i64) -> Unit {
    Unit {
        name,
        dimension,
        factor: (factor, 0),
    }
}

const fn count(name: &'static str, word: &'static str, factor: i64) -> Unit {
    unit(name, Dimension::Count(word), factor)
}

/// Measure words that count things one by one. Each also exists with 万 in front (万人, 万户).
const MEASURE_WORDS: &[&str] = &[
    "家",
    "个",
    "人",
    "项",
    "场",
    "次",
    "户",
    "张",
    "所",
    "处",
    "条",
    "头",
    "名",
    "台",
    "辆",
    "座",
    "部",
    "件",
    "篇",
    "套",
    "批",
    "只",
    "株",
    "棵",
    "艘",
    "架",
    "例",
    "位",
    "支",
    "种",
    "块",
    "栋",
    "标箱",
    "间",
    "片",
    "宗",
    "笔",
    "份",
    "期",
    "届",
    "本",
    "册",
    "首",
    "部门",
    "村",
    "镇",
    "所学校",
];

/// Units that are not plain measure words. Base units: 元 per currency, 平方米, 米, 千克,
/// 人次, %, 百分点, 千瓦, 天.
static UNITS: &[Unit] = &[
    unit("元", Dimension::Money("人民币"), 1),
    unit("万元", Dimension::Money("人民币"), WAN),
    unit("亿元", Dimension::Money("人民币"), YI),
    unit("美元", Dimension::Money("美元"), 1),
    unit("万美元", Dimension::Money("美元"), WAN),
    unit("亿美元", Dimension::Money("美元"), YI),
    unit("欧元", Dimension::Money("欧元"), 1),
    unit("万欧元", Dimension::Money("欧元"), WAN),
    unit("亿欧元", Dimension::Money("欧元"), YI),
    unit("平方米", Dimension::Area, 1),
    unit("万平方米", Dimension::Area, WAN),
    unit("平方公里", Dimension::Area, 1_000_000),
    unit("公顷", Dimension::Area, WAN),
    // 1亩 = 10000/15 平方米 is not a terminating decimal; 亩 and 万亩 convert among
    // themselves, and 亩 is kept apart from 平方米 rather than rounded.
    Unit {
        name: "亩",
        dimension: Dimension::Count("亩"),
        factor: (1, 0),
    },
    Unit {
        name: "万亩",
        dimension: Dimension::Count("亩"),
        factor: (WAN, 0),
    },
    unit("米", Dimension::Length, 1),
    unit("公里", Dimension::Length, 1000),
    unit("千米", Dimension::Length, 1000),
    unit("千克", Dimension::Mass, 1),
    unit("公斤", Dimension::Mass, 1),
    unit("万斤", Dimension::Mass, 5000),
    unit("亿斤", Dimension::Mass, 50_000_000),
    unit("吨", Dimension::Mass, 1000),
    unit("万吨", Dimension::Mass, 10_000_000),
    unit("亿吨", Dimension::Mass, 100_000_000_000),
    unit("人次", Dimension::Visits, 1),
    unit("万人次", Dimension::Visits, WAN),
    unit("%", Dimension::Percent, 1),
    // 人口自然增长率控制在6‰以下: a per mille is a tenth of a per cent.
    Unit {
        name: "‰",
        dimension: Dimension::Percent,
        factor: (1, 1),
    },
    unit("百分点", Dimension::PercentagePoint, 1),
    unit("个百分点", Dimension::PercentagePoint, 1),
    unit("千瓦", Dimension::Power, 1),
    unit("万千瓦", Dimension::Power, WAN),
    unit("兆瓦", Dimension::Power, 1000),
    unit("天", Dimension::Duration, 1),
    unit("日", Dimension::Duration, 1),
];

/// One 斤 is half a 千克; the only factor below one, so it is spelled out here.
static JIN: Unit = Unit {
    name: "斤",
    dimension: Dimension::Mass,
    factor: (5, 1),
};

/// Looks a unit up by its written name (after full-width forms are folded: `％` is `%`).
/// Whether a place in a ranking may be written in `unit`: 名 (第一名) or 位 (位次).
pub fn is_rank_unit(unit: &Unit) -> bool {
    matches!(unit.dimension, Dimension::Count("名" | "位"))
}

pub fn lookup(name: &str) -> Option<&'static Unit> {
    if name == JIN.name {
        return Some(&JIN);
    }
    if let Some(unit) = UNITS.iter().find(|u| u.name == name) {
        return Some(unit);
    }
    lookup_count(name)
}

fn lookup_count(name: &str) -> Option<&'static Unit> {
    use std::sync::OnceLock;
    static COUNTS: OnceLock<Vec<Unit>> = OnceLock::new();
    let counts = COUNTS.get_or_init(|| {
        MEASURE_WORDS
            .iter()
            .flat_map(|word| {
                let wan: &'static str = Box::leak(format!("万{word}").into_boxed_str());
                [count(word, word, 1), count(wan, word, WAN)]
            })
            .collect()
    });
    counts.iter().find(|u| u.name == name)
}

/// Every unit name the registry knows, for did-you-mean help and documentation.
pub fn all_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = UNITS
        .iter()
        .map(|u| u.name)
        .chain(std::iter::once(JIN.name))
        .collect();
    for word in MEASURE_WORDS {
        if let Some(u) = lookup_count(word) {
            names.push(u.name);
        }
        if let Some(u) = lookup_count(&format!("万{word}")) {
            names.push(u.name);
        }
    }
    names
}

/// A number with an optional unit. A missing unit means a plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    pub amount: Decimal,
    pub unit: Option<&'static Unit>,
}

/// Why two quantities cannot be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incompatible {
    pub from: Option<&'static Unit>,
    pub to: Option<&'static Unit>,
}

impl Quantity {
    pub fn new(amount: Decimal, unit: Option<&'static Unit>) -> Self {
        Self { amount, unit }
    }

    /// This quantity expressed in `target`'s unit, exactly; `None` if the exact result does not
    /// fit in a decimal (a figure of 10^28 亿元, or one with 28 digits after the point in 万元).
    ///
    /// A plain number (no unit) is taken to be in the target's unit: departments write
    /// `新增城镇就业: 4512` meaning 4512 人.
    pub fn convert_to(
        &self,
        target: Option<&'static Unit>,
    ) -> Result<Option<Quantity>, Incompatible> {
        match (self.unit, target) {
            (None, _) => Ok(Some(Quantity::new(self.amount, target))),
            (Some(from), Some(to)) if from == to => Ok(Some(*self)),
            (Some(from), Some(to)) if from.dimension == to.dimension => {
                let amount = exact::mul(self.amount, from.factor())
                    .and_then(|base| exact::div(base, to.factor()));
                Ok(amount.map(|a| Quantity::new(a, Some(to))))
            }
            (from, to) => Err(Incompatible { from, to }),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", format_amount(self.amount))?;
        match self.unit {
            Some(unit) if unit.name == "%" => f.write_str("%"),
            Some(unit) => write!(f, " {unit}"),
            None => Ok(()),
        }
    }
}

/// Formats a decimal without trailing zeros and with thousands separators in the integer
/// part, as the plan's readers write numbers: 4,600,000 and 92.3.
pub fn format_amount(amount: Decimal) -> String {
    let plain = amount.normalize().to_string();
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len().saturating_mul(2));
    for (i, c) in int.chars().enumerate() {
        let left = int.len().saturating_sub(i);
        if i > 0 && left.checked_rem(3) == Some(0) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A computed amount (an expected line, a growth) as a report shows it: to two decimals,
/// or as many more as it takes to stay on its side of `against`, the figure it was compared
/// with. Verdicts compare the exact amount; this rounding is for reading only, and it must
/// never show 88.77 as the line a figure of 88.768 is ahead of.
pub fn shown(computed: Quantity, against: &[Decimal]) -> Quantity {
    let exact = computed.amount;
    let keeps_sides = |rounded: Decimal| against.iter().all(|a| rounded.cmp(a) == exact.cmp(a));
    let amount = (2..=Decimal::MAX_SCALE)
        .map(|dp| exact.round_dp(dp))
        .find(|rounded| keeps_sides(*rounded))
        .unwrap_or(exact);
    Quantity::new(amount.normalize(), computed.unit)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;
    use std::str::FromStr;

    fn q(amount: &str, unit: &str) -> Quantity {
        Quantity::new(Decimal::from_str(amount).unwrap(), lookup(unit))
    }

    #[test]
    fn money_converts_exactly() {
        let converted = q("0.29", "亿元")
            .convert_to(lookup("万元"))
            .unwrap()
            .unwrap();
        assert_eq!(converted.amount, Decimal::from(2900));
        let converted = q("4600000", "万元")
            .convert_to(lookup("亿元"))
            .unwrap()
            .unwrap();
        assert_eq!(converted.amount, Decimal::from(460));
    }

    #[test]
    fn a_conversion_that_would_round_has_no_result() {
        // 28 digits after the point in 万元 need 32 in 亿元: rust_decimal would round them.
        let long = q("1.234567890123456789012345678", "万元");
        assert_eq!(long.convert_to(lookup("亿元")), Ok(None));
        let largest = q("9999999999999999999999999999", "亿元");
        assert_eq!(largest.convert_to(lookup("元")), Ok(None));
        assert_eq!(
            q("1.5", "斤").convert_to(lookup("千克")),
            Ok(Some(q("0.75", "千克")))
        );
    }

    #[test]
    fn per_mille_hundred_million_tonnes_and_containers() {
        assert_eq!(q("6", "‰").convert_to(lookup("%")), Ok(Some(q("0.6", "%"))));
        assert_eq!(q("0.6", "%").convert_to(lookup("‰")), Ok(Some(q("6", "‰"))));
        assert_eq!(
            q("1.2", "亿吨").convert_to(lookup("万吨")),
            Ok(Some(q("12000", "万吨")))
        );
        assert_eq!(
            q("3", "万标箱").convert_to(lookup("标箱")),
            Ok(Some(q("30000", "标箱")))
        );
        assert!(q("3", "标箱").convert_to(lookup("个")).is_err());
    }

    #[test]
    fn currencies_and_measure_words_do_not_mix() {
        let err = q("1", "亿美元").convert_to(lookup("亿元")).unwrap_err();
        assert_eq!(err.from.map(|u| u.name), Some("亿美元"));
        assert_eq!(err.to.map(|u| u.name), Some("亿元"));
        assert!(q("5", "家").convert_to(lookup("个")).is_err());
        assert!(q("5", "%").convert_to(lookup("百分点")).is_err());
    }

    #[test]
    fn jin_is_half_a_kilogram() {
        let converted = q("3", "斤").convert_to(lookup("千克")).unwrap().unwrap();
        assert_eq!(converted.amount, Decimal::from_str("1.5").unwrap());
        let converted = q("2", "亿斤").convert_to(lookup("万吨")).unwrap().unwrap();
        assert_eq!(converted.amount, Decimal::from(10));
    }

    #[test]
    fn a_plain_number_takes_the_target_unit() {
        let converted = q("4512", "").convert_to(lookup("人")).unwrap().unwrap();
        assert_eq!(converted.unit.map(|u| u.name), Some("人"));
    }

    #[test]
    fn ten_thousand_counts_exist_for_every_measure_word() {
        let converted = q("1.2", "万人").convert_to(lookup("人")).unwrap().unwrap();
        assert_eq!(converted.amount, Decimal::from(12000));
        assert!(lookup("万亩").is_some());
        assert!(lookup("斤斤").is_none());
    }

    #[test]
    fn computed_amounts_are_shown_on_their_side_of_the_figure() {
        let line = q("88.767123287671232876712328767", "万人次");
        let d = |text: &str| Decimal::from_str(text).unwrap();
        assert_eq!(shown(line, &[]), q("88.77", "万人次"));
        assert_eq!(shown(line, &[d("80")]), q("88.77", "万人次"));
        // 88.77 would be above a figure the line is below.
        assert_eq!(shown(line, &[d("88.768")]), q("88.767", "万人次"));
        assert_eq!(shown(line, &[d("88.7671")]), q("88.77", "万人次"));
        // Rounded to two decimals the line would equal the figure it is below.
        assert_eq!(shown(line, &[d("88.77")]), q("88.767", "万人次"));
        assert_eq!(shown(line, &[d("88.767")]), q("88.77", "万人次"));
        let growth = q("4.99996", "%");
        assert_eq!(shown(growth, &[d("5")]), growth);
        assert_eq!(shown(q("5", "%"), &[d("5")]), q("5", "%"));
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(
            format_amount(Decimal::from_str("4600000.50").unwrap()),
            "4,600,000.5"
        );
        assert_eq!(format_amount(Decimal::from_str("-1234").unwrap()), "-1,234");
        assert_eq!(q("92.30", "%").to_string(), "92.3%");
        assert_eq!(q("450", "亿元").to_string(), "450 亿元");
    }
}
