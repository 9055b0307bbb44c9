//! Multi-year targets (`toward 2025`): each year before the end year is judged against its
//! point on the straight line from the baseline to the target, exactly; the end year against
//! the target itself.

use crate::support::{codes, result, submission, Test};

const REPORTER: &str = "区发改局";

/// A 2023 plan (or one without a period, when `period` is empty) with `rules` in one task.
fn plan(period: &str, rules: &str) -> String {
    let period = if period.is_empty() {
        String::new()
    } else {
        format!("    period {period}\n")
    };
    format!("plan \"多年目标测试\" {{\n{period}}}\n\ntask 1 \"数字经济\" {{\n    lead {REPORTER}\n{rules}}}\n")
}

/// The 2023 plan of the README: 7% in 2022, at least 10% by 2025, so 8% in 2023.
const SHARE: &str = "    数字经济核心产业增加值占比 >= 10% toward 2025 baseline 7%\n";

fn run(plan_text: &str, data: &[(&str, &str, &str)]) -> (i32, serde_json::Value) {
    let mut test = Test::empty().file("rules/plan.plan", plan_text);
    for (i, (period, metric, value)) in data.iter().enumerate() {
        test = test.file(
            &format!("data/{i}.yaml"),
            submission(REPORTER, period, &[(metric, value)]),
        );
    }
    test.check_json(&["data"])
}

/// `rules` are refused as a bad `toward` (exit 2) with `message`, and nothing else is said.
fn assert_bad_toward(rules: &str, message: &str) {
    let (status, json) = run(
        &plan("2023", rules),
        &[("2023", "数字经济核心产业增加值占比", "\"8%\"")],
    );
    assert_eq!(status, 2, "{rules}");
    assert_eq!(codes(&json), ["plancheck::plan::bad-toward"], "{rules}");
    assert_eq!(json["diagnostics"][0]["message"], message, "{rules}");
}

fn share(value: &str) -> (i32, serde_json::Value) {
    run(
        &plan("2023", SHARE),
        &[("2023", "数字经济核心产业增加值占比", value)],
    )
}

#[test]
fn this_years_point_is_the_boundary_not_the_end_target() {
    for (value, verdict, status) in [
        ("8%", "met", 0),
        ("\"8.0001%\"", "met", 0),
        ("\"7.9999%\"", "unmet", 1),
        // Below the end target, above the year's point: on the path.
        ("\"9.5%\"", "met", 0),
    ] {
        let (got, json) = share(value);
        let result = result(&json, "数字经济核心产业增加值占比");
        assert_eq!(
            (&result["verdict"], got),
            (&verdict.into(), status),
            "{value}"
        );
        assert_eq!(result["target"], ">= 10%");
        assert_eq!(result["expected"], "8%");
        assert_eq!(
            result["path"],
            serde_json::json!({
                "end_year": 2025,
                "end_target": ">= 10%",
                "baseline_year": 2022,
                "baseline": "7%",
                "point": ">= 8%",
            })
        );
    }
    let (_, json) = share("\"7.9999%\"");
    assert_eq!(
        result(&json, "数字经济核心产业增加值占比")["message"],
        "数字经济核心产业增加值占比 未达标：区发改局 2023 报送 7.9999%，上年 7%，目标 >= 8%（2023年路径值；到2025年 >= 10%）"
    );
}

#[test]
fn a_point_that_does_not_terminate_is_compared_without_dividing() {
    // 0% in 2022 to 10% in 2025: the 2023 point is 10/3 = 3.333…%, which no decimal reaches.
    let rules = "    数字化转型企业占比 >= 10% toward 2025 baseline 0%\n";
    for (value, verdict, point) in [
        // Shown to two decimals, or more where two would put it on the figure's other side.
        ("\"3.3333333333%\"", "unmet", ">= 3.33333333333%"),
        ("\"3.3333333334%\"", "met", ">= 3.33%"),
    ] {
        let (_, json) = run(
            &plan("2023", rules),
            &[("2023", "数字化转型企业占比", value)],
        );
        let result = result(&json, "数字化转型企业占比");
        assert_eq!(result["verdict"], verdict, "{value}");
        assert_eq!(result["path"]["point"], point, "{value}");
    }
}

#[test]
fn an_earlier_baseline_year_and_a_ceiling() {
    // 63.2% in 2020 to 70% in 2025: 63.2 + 6.8 × 3/5 = 67.28% in 2023.
    let rules = "    常住人口城镇化率 >= 70% toward 2025 baseline 63.2% in 2020\n    \
                 单位GDP能耗 <= 0.4 吨标准煤 toward 2025 baseline 0.5 吨标准煤\n";
    let rules = rules.replace("吨标准煤", "吨");
    let (status, json) = run(
        &plan("2023", &rules),
        &[
            ("2023", "常住人口城镇化率", "\"67.28%\""),
            // 0.5 in 2022 to 0.4 in 2025: at most 0.4666… in 2023.
            ("2023", "单位GDP能耗", "\"0.4667吨\""),
        ],
    );
    let city = result(&json, "常住人口城镇化率");
    assert_eq!(city["verdict"], "met");
    assert_eq!(city["path"]["baseline_year"], 2020);
    assert_eq!(city["path"]["point"], ">= 67.28%");
    assert_eq!(city["reference"], serde_json::Value::Null);
    let energy = result(&json, "单位GDP能耗");
    assert_eq!(energy["verdict"], "unmet");
    assert_eq!(status, 1);
    let (status, json) = run(
        &plan("2023", &rules),
        &[
            ("2023", "常住人口城镇化率", "\"67.2799%\""),
            ("2023", "单位GDP能耗", "\"0.4666吨\""),
        ],
    );
    assert_eq!(result(&json, "常住人口城镇化率")["verdict"], "unmet");
    assert_eq!(
        result(&json, "常住人口城镇化率")["message"],
        "常住人口城镇化率 未达标：区发改局 2023 报送 67.2799%，目标 >= 67.28%（2023年路径值；2020年基数 63.2%，到2025年 >= 70%）"
    );
    assert_eq!(result(&json, "单位GDP能耗")["verdict"], "met");
    assert_eq!(status, 1);
}

#[test]
fn without_a_baseline_the_path_starts_at_last_years_figure() {
    let rules = "    数字经济核心产业增加值占比 >= 10% toward 2025\n";
    // 7.6% last year: 7.6 + 2.4/3 = 8.4% this year.
    let data = |value| {
        run(
            &plan("2023", rules),
            &[
                ("2023", "数字经济核心产业增加值占比", value),
                ("2022", "数字经济核心产业增加值占比", "\"7.6%\""),
            ],
        )
    };
    let (status, json) = data("\"8.4%\"");
    assert_eq!((status, codes(&json)), (0, Vec::<String>::new()));
    assert_eq!(json["results"][0]["path"]["point"], ">= 8.4%");
    assert_eq!(json["results"][0]["path"]["baseline"], "7.6%");
    let (status, json) = data("\"8.39%\"");
    assert_eq!(
        (status, &json["results"][0]["verdict"]),
        (1, &"unmet".into())
    );
    // With neither, there is no line: missing, never met.
    let (status, json) = run(
        &plan("2023", rules),
        &[("2023", "数字经济核心产业增加值占比", "\"12%\"")],
    );
    assert_eq!(json["results"][0]["verdict"], "missing");
    assert_eq!(json["results"][0]["code"], "plancheck::check::no-reference");
    assert_eq!(json["results"][0]["path"]["point"], serde_json::Value::Null);
    assert_eq!(status, 1);
}

#[test]
fn the_end_year_is_judged_against_the_target_itself() {
    // Without a plan period each figure is judged in its own year: 2024 on the path (9%),
    // 2025 against 10%.
    let rules = "    数字经济核心产业增加值占比 >= 10% toward 2025 baseline 7% in 2022\n";
    let (_, json) = run(
        &plan("", rules),
        &[("2024", "数字经济核心产业增加值占比", "\"9.5%\"")],
    );
    assert_eq!(json["results"][0]["verdict"], "met");
    assert_eq!(json["results"][0]["path"]["point"], ">= 9%");
    let (status, json) = run(
        &plan("", rules),
        &[("2025", "数字经济核心产业增加值占比", "\"9.5%\"")],
    );
    assert_eq!(json["results"][0]["verdict"], "unmet");
    assert_eq!(json["results"][0]["path"], serde_json::Value::Null);
    assert_eq!(
        json["results"][0]["message"],
        "数字经济核心产业增加值占比 未达标：区发改局 2025 报送 9.5%，目标 >= 10%"
    );
    assert_eq!(status, 1);
}

#[test]
fn human_report_names_the_point_and_the_end_target() {
    let output = Test::empty()
        .file("rules/plan.plan", plan("2023", SHARE))
        .file(
            "data/2023.yaml",
            submission(
                REPORTER,
                "2023",
                &[("数字经济核心产业增加值占比", "\"7.9%\"")],
            ),
        )
        .check(&["data"]);
    assert_eq!(output.status, 1);
    insta::assert_snapshot!(output.stdout);
}

#[test]
fn a_toward_without_a_line_is_an_error_in_the_rules() {
    for (rules, message) in [
        (
            "    数字经济核心产业增加值占比 == 10% toward 2025\n",
            "toward 只用于 >=、>、<=、< 目标",
        ),
        (
            "    数字经济核心产业增加值占比 >= 10% toward 2023\n",
            "toward 2023 不晚于计划年度 2023",
        ),
        (
            "    数字经济核心产业增加值占比 >= 10% toward 2025 baseline 7% in 2023\n",
            "baseline 的年份 2023 不早于计划年度",
        ),
        (
            "    数字经济核心产业增加值占比 >= 10% baseline 7% in 2020\n",
            "baseline 写了年份 2020，但规则没有 toward",
        ),
    ] {
        assert_bad_toward(rules, message);
    }
}

#[test]
fn fmt_puts_toward_before_baseline_and_round_trips() {
    let loose = plan(
        "2023",
        "    数字经济核心产业增加值占比 ≥ 10％ via 2024 9％ baseline 7％ in 2022  toward 2025\n",
    );
    let tidy = plan(
        "2023",
        "    数字经济核心产业增加值占比 >= 10%\n        toward 2025\n        via 2024 9%\n        baseline 7% in 2022\n",
    );
    let test = Test::empty().file("rules/a.plan", &loose);
    let output = test.run_with(&["fmt", "rules"]);
    assert_eq!((output.status, output.stderr.as_str()), (0, ""));
    let written = std::fs::read_to_string(test.path().join("rules/a.plan")).unwrap();
    assert_eq!(written, tidy);
    let output = test.run_with(&["fmt", "--check", "rules"]);
    assert_eq!((output.status, output.stdout.as_str()), (0, ""));
}

#[test]
fn a_cumulative_rule_takes_the_years_point_as_its_goal_for_the_pro_rata_line() {
    // 0 in 2022 to 9000 in 2025: 3000 in 2023, and by 30 June 3000 × 181/365 = 1487.67….
    // A bare baseline is in the target's unit.
    let rules = "    数字经济从业人员 >= 9000 人 toward 2025 baseline 0 kind cumulative\n";
    for (value, verdict) in [("1487", "behind"), ("1488", "ahead")] {
        let (_, json) = run(
            &plan("2023", rules),
            &[("2023-H1", "数字经济从业人员", value)],
        );
        let result = &json["results"][0];
        assert_eq!(result["verdict"], verdict, "{value}");
        assert_eq!(result["expected"], "1,487.67 人", "{value}");
    }
    let (status, json) = run(
        &plan("2023", rules),
        &[("2023", "数字经济从业人员", "2999")],
    );
    assert_eq!(json["results"][0]["verdict"], "unmet");
    assert_eq!(json["results"][0]["path"]["point"], ">= 3,000 人");
    assert_eq!(status, 1);
}

#[test]
fn stated_points_replace_the_straight_line_where_the_plan_gives_them() {
    // 7% in 2022, 8.5% stated for 2023, 10% in 2025: 2023 is judged against 8.5%, not 8%,
    // and 2024 against the line from 8.5% to 10%, 9.25%.
    let rules =
        "    数字经济核心产业增加值占比 >= 10% toward 2025 baseline 7% in 2022 via 2023 8.5%\n";
    for (period, value, verdict, point) in [
        ("2023", "\"8.5%\"", "met", ">= 8.5%"),
        ("2023", "\"8.4999%\"", "unmet", ">= 8.5%"),
        ("2024", "\"9.25%\"", "met", ">= 9.25%"),
        ("2024", "\"9.2499%\"", "unmet", ">= 9.25%"),
    ] {
        let (_, json) = run(
            &plan("", rules),
            &[(period, "数字经济核心产业增加值占比", value)],
        );
        let result = &json["results"][0];
        assert_eq!(result["verdict"], verdict, "{period} {value}");
        assert_eq!(result["path"]["point"], point, "{period} {value}");
    }
    let (_, json) = run(
        &plan("2023", rules),
        &[("2023", "数字经济核心产业增加值占比", "\"8.4999%\"")],
    );
    assert_eq!(
        json["results"][0]["message"],
        "数字经济核心产业增加值占比 未达标：区发改局 2023 报送 8.4999%，目标 >= 8.5%（2023年路径值（计划写明）；2022年基数 7%，到2025年 >= 10%）"
    );
    // A stated point needs no baseline for its own year.
    let (_, json) = run(
        &plan(
            "2023",
            "    数字经济核心产业增加值占比 >= 10% toward 2025 via 2023 8.5%\n",
        ),
        &[("2023", "数字经济核心产业增加值占比", "\"8.5%\"")],
    );
    assert_eq!(json["results"][0]["verdict"], "met");
    for (rules, message) in [
        (
            "    数字经济核心产业增加值占比 >= 10% via 2023 8.5%\n",
            "via 写了路径点，但规则没有 toward",
        ),
        (
            "    数字经济核心产业增加值占比 >= 10% toward 2025 via 2024 9%, 2023 8%\n",
            "via 的年份须逐年递增，且在基数年份之后、toward 年份之前",
        ),
        (
            "    数字经济核心产业增加值占比 >= 10% toward 2025 via 2025 10%\n",
            "via 的年份须逐年递增，且在基数年份之后、toward 年份之前",
        ),
    ] {
        assert_bad_toward(rules, message);
    }
}

#[test]
fn an_adjusted_end_target_moves_the_point_the_report_shows() {
    // Raised to 13% by 2025: the 2023 point is 9%, not the 8% of the plan's own line.
    let rules = format!(
        "{SHARE}    adjust 数字经济核心产业增加值占比 to >= 13% from 2023-01-01 by \"一号文\" because \"上调\"\n"
    );
    let (status, json) = run(
        &plan("2023", &rules),
        &[("2023", "数字经济核心产业增加值占比", "\"8.5%\"")],
    );
    let result = result(&json, "数字经济核心产业增加值占比");
    assert_eq!((&result["verdict"], status), (&"unmet".into(), 1));
    assert_eq!(result["expected"], "9%");
    assert_eq!(result["path"]["point"], ">= 9%");
    assert_eq!(result["path"]["end_target"], ">= 13%");
    assert_eq!(
        result["message"],
        "数字经济核心产业增加值占比 未达标：区发改局 2023 报送 8.5%，上年 7%，目标 >= 9%（2023年路径值；到2025年 >= 13%）"
    );
}
