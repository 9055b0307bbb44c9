//! `track NAME [UNIT]`: a metric reported and referenced, never a target.

use crate::support::Test;

const PLAN: &str = "plan \"测试计划\" {\n    period 2023\n}\n\ntask 1 \"测试任务\" {\n    lead 区人力资源社会保障局\n    确保 居民人均可支配收入增速 >= metric GDP增速\n    track GDP增速 %\n}\n";

fn check(figures: &str) -> (i32, serde_json::Value) {
    Test::empty()
        .file("rules/plan.plan", PLAN)
        .file(
            "data/a.yaml",
            format!("reporter: 区人力资源社会保障局\nperiod: \"2023\"\nfigures:\n{figures}"),
        )
        .check_json(&["data"])
}

#[test]
fn a_tracked_figure_is_the_reference_and_gets_no_verdict() {
    let (status, json) = check("  居民人均可支配收入增速: \"5.6%\"\n  GDP增速: \"5.6%\"\n");
    assert_eq!(status, 0, "{json:#}");
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{json:#}");
    assert_eq!(results[0]["metric"], "居民人均可支配收入增速");
    assert_eq!(results[0]["verdict"], "met");
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    let (status, json) = check("  居民人均可支配收入增速: \"5.5%\"\n  GDP增速: \"5.6%\"\n");
    assert_eq!(status, 1);
    assert_eq!(json["results"][0]["verdict"], "unmet");
}

#[test]
fn without_the_tracked_figure_the_reference_is_missing() {
    let (status, json) = check("  居民人均可支配收入增速: \"5.6%\"\n");
    assert_eq!(status, 1);
    assert_eq!(json["results"][0]["verdict"], "missing");
    assert_eq!(json["results"][0]["code"], "plancheck::check::no-reference");
}

#[test]
fn a_tracked_metric_cannot_also_be_a_target() {
    let plan = PLAN.replace(
        "    track GDP增速 %\n",
        "    track GDP增速 %\n    GDP增速 >= 5%\n",
    );
    let output = Test::empty()
        .file("rules/plan.plan", &plan)
        .args(&["lint", "--color", "never", "--width", "100"])
        .run();
    assert_eq!(output.status, 2);
    insta::assert_snapshot!(output.stderr);
}

#[test]
fn the_template_asks_for_tracked_figures() {
    let output = Test::empty()
        .file("rules/plan.plan", PLAN)
        .args(&[
            "template",
            "--lead",
            "区人力资源社会保障局",
            "--format",
            "csv",
        ])
        .run();
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(
        output.stdout.contains(
            "区人力资源社会保障局,2023,GDP增速,,%,任务1 测试任务,跟踪指标：无目标，供其他指标比较"
        ),
        "{}",
        output.stdout
    );
}

#[test]
fn a_track_line_is_checked_like_a_rule_line() {
    let plan = "plan \"测试计划\" {\n    period 2023\n}\ntrack 全市增速 %\ntask 1 \"测试任务\" {\n    lead 区统计局\n    track 全区增速 亿园\n    track\n}\n";
    let output = Test::empty()
        .file("rules/plan.plan", plan)
        .args(&["lint", "--color", "never", "--width", "100"])
        .run();
    assert_eq!(output.status, 2);
    let codes: Vec<&str> = output
        .stderr
        .lines()
        .filter(|l| l.starts_with("plancheck::"))
        .collect();
    assert_eq!(
        codes,
        [
            "plancheck::plan::outside-task",
            "plancheck::plan::unknown-unit",
            "plancheck::parse::syntax"
        ],
        "{}",
        output.stderr
    );
}
