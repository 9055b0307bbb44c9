//! Last year's figures: read as the base of a `growth` rule, and never reported unused when a
//! rule of the same metric read them.

use crate::support::{codes, submission, verdicts, Test};

/// One metric with a level target and a growth target, as 规模以上工业增加值达到120亿元、增长
/// 20%以上 is written: two rules, one figure a year.
const PLAN: &str = "plan \"上年基数测试\" {\n    period 2023\n}\n\ntask 1 \"工业\" {\n    lead 区统计局\n    规上工业增加值 >= 120 亿元\n    规上工业增加值 growth >= 20%\n}\n";

fn run(this_year: &str, last_year: Option<&str>) -> (i32, serde_json::Value) {
    let mut test = Test::empty().file("rules/plan.plan", PLAN).file(
        "data/2023.yaml",
        submission("区统计局", "2023", &[("规上工业增加值", this_year)]),
    );
    if let Some(value) = last_year {
        test = test.file(
            "data/2022.yaml",
            submission("区统计局", "2022", &[("规上工业增加值", value)]),
        );
    }
    test.check_json(&["data"])
}

#[test]
fn last_years_figure_read_by_the_growth_rule_is_not_reported_unused() {
    let (status, json) = run("\"121亿元\"", Some("\"100亿元\""));
    assert_eq!(
        verdicts(&json),
        [
            (
                "规上工业增加值".to_owned(),
                "2023".to_owned(),
                "met".to_owned()
            ),
            (
                "规上工业增加值".to_owned(),
                "2023".to_owned(),
                "met".to_owned()
            ),
        ]
    );
    assert_eq!(codes(&json), Vec::<String>::new());
    assert_eq!(status, 0);
}

#[test]
fn last_years_figure_that_no_rule_reads_is_still_reported() {
    // Without the growth rule nothing reads 2022: its figure is outside the plan, unused.
    let plan = PLAN.replace("    规上工业增加值 growth >= 20%\n", "");
    let (status, json) = Test::empty()
        .file("rules/plan.plan", &plan)
        .file(
            "data/2023.yaml",
            submission("区统计局", "2023", &[("规上工业增加值", "\"121亿元\"")]),
        )
        .file(
            "data/2022.yaml",
            submission("区统计局", "2022", &[("规上工业增加值", "\"100亿元\"")]),
        )
        .check_json(&["data"]);
    assert_eq!(codes(&json), ["plancheck::check::outside-period"]);
    assert_eq!(
        json["diagnostics"][0]["message"],
        "期间 2022 不在计划期 2023 内：1 个数值未作为上年基数使用，未检查"
    );
    assert_eq!(status, 0);
}

#[test]
fn the_growth_rule_fails_on_its_own_boundary_while_the_level_rule_is_met() {
    // 119.99 is 19.99% over 100: the growth rule is unmet, the level rule unmet too (below
    // 120); 120 meets both, exactly.
    let (status, json) = run("\"119.99亿元\"", Some("\"100亿元\""));
    let got: Vec<String> = verdicts(&json).into_iter().map(|(_, _, v)| v).collect();
    assert_eq!(got, ["unmet", "unmet"]);
    assert_eq!(status, 1);
    let (status, json) = run("\"120亿元\"", Some("\"100亿元\""));
    let got: Vec<String> = verdicts(&json).into_iter().map(|(_, _, v)| v).collect();
    assert_eq!(got, ["met", "met"]);
    assert_eq!(codes(&json), Vec::<String>::new());
    assert_eq!(status, 0);
}
