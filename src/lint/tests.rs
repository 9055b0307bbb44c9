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
