//! Arithmetic that cannot panic and never rounds before a comparison.
//!
//! Each overflow case is a fixture that once crashed the reduce (a panic in `Decimal`'s
//! operators). Now the amount that does not fit makes the verdict `invalid`, with
//! `plancheck::check::overflow` naming it, and the run exits 1 like any invalid figure.

use crate::support::{result, submission, Test};
use std::path::Path;

const PLAN: &str = r#"plan "算术测试计划" {
    period 2023
}

task 1 "工业" {
    lead 区发展改革局
    规上工业增加值 growth >= 5%
    新增城镇就业 >= 4000 人
}

task 2 "镇街" {
    lead 甲镇, 乙镇, 丙镇, 丁镇, 戊镇, 己镇, 庚镇, 辛镇, 壬镇
    新增镇街就业 >= 1000 人 summed
}
"#;

/// 28 nines: the largest whole number a submission can carry.
const LARGEST: &str = "9999999999999999999999999999";

struct Case {
    attack: &'static str,
    files: Vec<String>,
    args: &'static [&'static str],
    metric: &'static str,
    message: &'static str,
}

fn cases() -> Vec<Case> {
    let dr = |period: &str, figures: &[(&str, &str)]| submission("区发展改革局", period, figures);
    vec![
        Case {
            attack: "growth from a near-zero base",
            files: vec![
                dr("2023", &[("规上工业增加值", "\"100亿元\"")]),
                dr(
                    "2022",
                    &[("规上工业增加值", "\"0.0000000000000000000000000001亿元\"")],
                ),
            ],
            args: &[],
            metric: "规上工业增加值",
            message: "规上工业增加值 无法精确计算：区发展改革局 2023 的数值使增长率超出精确小数的范围（28 位有效数字）",
        },
        Case {
            attack: "a summed total beyond 2^96",
            // Nine parts of 10^28 − 1 add up to about 9 × 10^28.
            files: ["甲镇", "乙镇", "丙镇", "丁镇", "戊镇", "己镇", "庚镇", "辛镇", "壬镇"]
                .iter()
                .map(|town| submission(town, "2023", &[("新增镇街就业", LARGEST)]))
                .collect(),
            args: &[],
            metric: "新增镇街就业",
            message: "新增镇街就业 无法精确计算：2023 各单位数值的合计超出精确小数的范围（28 位有效数字）",
        },
        Case {
            attack: "a huge --tolerance",
            files: vec![dr("2023-H1", &[("新增城镇就业", "2000")])],
            args: &["--tolerance", "79228162514264337593543950335%"],
            metric: "新增城镇就业",
            message: "新增城镇就业 无法精确计算：区发展改革局 2023-H1 的数值使序时进度线及其容差范围超出精确小数的范围（28 位有效数字）",
        },
    ]
}

#[test]
fn an_amount_that_overflows_is_invalid_with_its_reason() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut test = Test::empty().file("rules/plan.plan", PLAN);
        for (i, file) in case.files.iter().enumerate() {
            test = test.file(&format!("data/{i:02}.yaml"), file);
        }
        let mut args = case.args.to_vec();
        args.push("data");
        let (status, json) = test.check_json(&args);
        let got = result(&json, case.metric);
        let seen = (
            status,
            got["verdict"].as_str().unwrap_or_default(),
            got["code"].as_str().unwrap_or_default(),
            got["message"].as_str().unwrap_or_default(),
        );
        let expected = (1, "invalid", "plancheck::check::overflow", case.message);
        if seen != expected {
            failures.push(format!("{}: {seen:?}", case.attack));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Verdicts compare exact decimals. Rounding belongs to the reports (`units::shown`), and a
/// float never carries an amount: evaluation's sources must not mention either.
#[test]
fn evaluation_neither_rounds_nor_uses_floats() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/eval");
    let mut offences = Vec::new();
    let mut files = vec![dir];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let offends = code
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(rounds_or_floats);
            if offends {
                offences.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

/// `round_dp`, `trunc`, `floor`, `f64`, `to_f64`, `from_f32_retain` and the like.
fn rounds_or_floats(word: &str) -> bool {
    matches!(word, "floor" | "ceil" | "trunc")
        || word.starts_with("round")
        || word.starts_with("trunc_with")
        || word.contains("f64")
        || word.contains("f32")
}

#[test]
fn the_scan_knows_rounding_and_floats_when_it_sees_them() {
    for word in [
        "round_dp",
        "round",
        "trunc_with_scale",
        "f64",
        "to_f64",
        "from_f64",
        "floor",
    ] {
        assert!(rounds_or_floats(word), "{word}");
    }
    for word in [
        "background",
        "around",
        "ground_truth",
        "format",
        "checked_div",
        "total",
    ] {
        assert!(!rounds_or_floats(word), "{word}");
    }
}
