#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing

use super::text::numbers;
use rust_decimal::Decimal;

fn values(text: &str) -> Vec<Decimal> {
    numbers(text).into_iter().map(|w| w.value).collect()
}

#[test]
fn numbers_are_read_up_to_scale() {
    assert_eq!(values("1.2万人"), vec![Decimal::from(12000)]);
    assert_eq!(values("千亿级"), vec![Decimal::from(100_000_000_000_i64)]);
    assert_eq!(values("二百亿级"), vec![Decimal::from(20_000_000_000_i64)]);
    assert_eq!(
        values("新增1,234.5亩，第一"),
        vec![Decimal::new(12345, 1), Decimal::ONE]
    );
    assert_eq!(values("5%-8%"), vec![Decimal::from(5), Decimal::from(8)]);
}

#[test]
fn ranks_are_found() {
    assert_eq!(
        super::done::rank("全市第一、全省前列").as_deref(),
        Some("第一")
    );
    assert_eq!(super::done::rank("进入全国前10名").as_deref(), Some("前10"));
    assert_eq!(super::done::rank("第十四届运动会"), None);
}

#[test]
fn progress_is_no_completion() {
    let words = super::done::COMPLETION_WORDS;
    assert_eq!(super::done::completion("项目快建设、早投产", words), None);
    assert_eq!(super::done::completion("年内建成投产", words), Some("建成"));
}

/// The lint codes of a plan of one task with `rules`.
fn codes(rules: &str) -> Vec<&'static str> {
    let text = format!(
        "plan \"甲\" {{\n    period 2024\n}}\ntask 1 \"乙\" {{\n    lead 区发改局\n{rules}}}\n"
    );
    let (plan, _) =
        crate::parse::parse_files(vec![crate::source::SourceFile::new("p.plan", &text)]);
    super::lint(&plan).iter().map(|f| f.code).collect()
}

#[test]
fn a_fall_is_written_without_its_sign() {
    let rule = |target: &str, quote: &str| {
        codes(&format!(
            "    能耗强度 {target}\n        from \"{quote}\"\n"
        ))
    };
    assert_eq!(rule("growth <= -3%", "能耗强度下降3%"), Vec::<&str>::new());
    assert_eq!(
        rule("growth ~<= -3% within 0.5 百分点", "能耗强度下降3%左右"),
        Vec::<&str>::new()
    );
    // Without a word of falling, -3% is not what the sentence says.
    assert_eq!(
        rule("growth <= -3%", "能耗强度增长3%"),
        ["plancheck::lint::quote-number"]
    );
}

#[test]
fn a_two_way_about_is_asked_for_its_side_where_the_wording_gives_one() {
    let rule = |target: &str, quote: &str| {
        codes(&format!(
            "    指标 {target} within 0.5 百分点\n        from \"{quote}\"\n"
        ))
    };
    let asks = ["plancheck::lint::approx-direction"];
    assert_eq!(rule("growth ~= 5%", "指标增长5%左右"), asks);
    assert_eq!(rule("~= 3%", "指标控制在3%左右"), asks);
    assert_eq!(rule("~= 95%", "指标达到95%左右"), asks);
    assert_eq!(rule("growth ~>= 5%", "指标增长5%左右"), Vec::<&str>::new());
    assert_eq!(rule("~<= 3%", "指标控制在3%左右"), Vec::<&str>::new());
    // 左右 with no word of direction stays two-way.
    assert_eq!(rule("~= 3%", "指标3%左右"), Vec::<&str>::new());
}
