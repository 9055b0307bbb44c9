//! Amounts that do not fit in an exact decimal. Each case is a fixture that once crashed the
//! reduce (a panic in `Decimal`'s operators). Now the amount that does not fit makes the
//! verdict `invalid`, with `plancheck::check::overflow` naming it, and the run exits 1 like
//! any invalid figure.

use super::{empty, Case};
use crate::support::submission;

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

const OVERFLOW: &str = "plancheck::check::overflow";

/// A case on [`PLAN`], checked with `--format json`.
fn on_plan(name: &'static str) -> Case {
    empty(name).file("rules/plan.plan", PLAN)
}

/// 区发展改革局's submission for `period`.
fn dr(period: &str, figures: &[(&str, &str)]) -> String {
    submission("区发展改革局", period, figures)
}

pub fn cases() -> Vec<Case> {
    // Nine parts of 10^28 − 1 add up to about 9 × 10^28.
    let towns = [
        "甲镇", "乙镇", "丙镇", "丁镇", "戊镇", "己镇", "庚镇", "辛镇", "壬镇",
    ];
    let paths = [
        "data/00.yaml",
        "data/01.yaml",
        "data/02.yaml",
        "data/03.yaml",
        "data/04.yaml",
        "data/05.yaml",
        "data/06.yaml",
        "data/07.yaml",
        "data/08.yaml",
    ];
    let summed = towns.iter().zip(paths).fold(
        on_plan("summed_total_beyond_2_pow_96_overflows"),
        |case, (town, path)| {
            case.file(path, submission(town, "2023", &[("新增镇街就业", LARGEST)]))
        },
    );
    vec![
        on_plan("growth_from_a_near_zero_base_overflows")
            .file("data/00.yaml", dr("2023", &[("规上工业增加值", "\"100亿元\"")]))
            .file(
                "data/01.yaml",
                dr(
                    "2022",
                    &[("规上工业增加值", "\"0.0000000000000000000000000001亿元\"")],
                ),
            )
            .exit(1)
            .result(
                "规上工业增加值",
                "invalid",
                OVERFLOW,
                "规上工业增加值 无法精确计算：区发展改革局 2023 的数值使增长率超出精确小数的范围（28 位有效数字）",
            ),
        summed.exit(1).result(
            "新增镇街就业",
            "invalid",
            OVERFLOW,
            "新增镇街就业 无法精确计算：2023 各单位数值的合计超出精确小数的范围（28 位有效数字）",
        ),
        on_plan("huge_tolerance_overflows_the_expected_line")
            .file("data/00.yaml", dr("2023-H1", &[("新增城镇就业", "2000")]))
            .flags(&["--tolerance", "79228162514264337593543950335%"])
            .exit(1)
            .result(
                "新增城镇就业",
                "invalid",
                OVERFLOW,
                "新增城镇就业 无法精确计算：区发展改革局 2023-H1 的数值使序时进度线及其容差范围超出精确小数的范围（28 位有效数字）",
            ),
    ]
}
