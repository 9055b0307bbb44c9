//! `co` (责任单位) and `leader` (责任领导): co-responsible units report a task's figures as its
//! leads do, and every report for people names the leader by task.

use crate::support::{codes, result, submission, Test};

const PLAN: &str = "plan \"责任分工测试\" {\n    period 2023\n}\n\ntask 3 \"稳定财源\" {\n    lead 区财政局\n    co 区税务局、区统计局\n    leader 张明（副区长）\n    一般公共预算收入 >= 25 亿元\n    税收占比 >= 80% by 区税务局\n}\n";

fn run(reporter: &str, figures: &[(&str, &str)]) -> (i32, serde_json::Value) {
    Test::empty()
        .file("rules/plan.plan", PLAN)
        .file("data/a.yaml", submission(reporter, "2023", figures))
        .check_json(&["data"])
}

#[test]
fn a_co_responsible_unit_reports_as_the_lead_does() {
    let (status, json) = run("区统计局", &[("一般公共预算收入", "\"25.1亿元\"")]);
    assert_eq!(result(&json, "一般公共预算收入")["verdict"], "met");
    assert_eq!(result(&json, "一般公共预算收入")["reporter"], "区统计局");
    // 税收占比 is 区税务局's alone (`by`), and nobody reported it.
    assert_eq!(result(&json, "税收占比")["verdict"], "missing");
    assert_eq!(codes(&json), Vec::<String>::new());
    assert_eq!(status, 1);
}

#[test]
fn a_unit_neither_lead_nor_co_is_flagged_and_by_still_decides() {
    let (_, json) = run("区发改局", &[("一般公共预算收入", "\"25.1亿元\"")]);
    assert_eq!(codes(&json), ["plancheck::check::unknown-reporter"]);
    // A co-responsible unit reporting a figure that `by` gives to another unit.
    let (_, json) = run("区统计局", &[("税收占比", "\"81%\"")]);
    assert_eq!(codes(&json), ["plancheck::check::not-responsible"]);
    assert_eq!(
        json["diagnostics"][0]["message"],
        "区统计局不是任务3的牵头单位，却报送了“税收占比”"
    );
    assert_eq!(
        json["diagnostics"][0]["help"],
        "该指标由区税务局报送；数值仍按规则检查"
    );
    // The figure is still judged.
    assert_eq!(result(&json, "税收占比")["verdict"], "met");
}

#[test]
fn json_lists_co_units_and_the_leader_by_task() {
    let (_, json) = run("区财政局", &[("一般公共预算收入", "\"24亿元\"")]);
    assert_eq!(
        json["tasks"],
        serde_json::json!([{
            "task": 3,
            "title": "稳定财源",
            "lead": ["区财政局"],
            "co": ["区税务局", "区统计局"],
            "leader": ["张明（副区长）"],
        }])
    );
    assert_eq!(
        result(&json, "一般公共预算收入")["message"],
        "一般公共预算收入 未达标：区财政局 2023 报送 24 亿元，目标 >= 25 亿元"
    );
}

fn unmet() -> Test {
    Test::empty().file("rules/plan.plan", PLAN).file(
        "data/a.yaml",
        submission(
            "区税务局",
            "2023",
            &[("一般公共预算收入", "\"24亿元\""), ("税收占比", "\"81%\"")],
        ),
    )
}

#[test]
fn human_report_names_co_units_and_the_leader() {
    let output = unmet().check(&["data"]);
    assert_eq!(output.status, 1);
    insta::assert_snapshot!(output.stdout);
}

#[test]
fn markdown_and_html_name_the_leader_by_task() {
    let output = unmet().run_with(&["check", "--format", "markdown", "data"]);
    assert!(
        output
            .stdout
            .contains("| ✘ | 3 稳定财源 · 责任领导 张明（副区长） |"),
        "{}",
        output.stdout
    );
    let output = unmet().run_with(&["check", "--format", "html", "data"]);
    assert!(
        output.stdout.contains(
            "<span class=\"leads\">牵头：区财政局</span> <span class=\"leads\">责任：区税务局、区统计局</span> <span class=\"leads\">责任领导：张明（副区长）</span>"
        ),
        "{}",
        output.stdout
    );
}

#[test]
fn a_pasted_label_in_co_is_reported_with_the_line_to_write() {
    let plan = PLAN.replace("co 区税务局、区统计局", "co 责任单位：区税务局");
    let (status, json) = Test::empty()
        .file("rules/plan.plan", &plan)
        .file(
            "data/a.yaml",
            submission("区税务局", "2023", &[("一般公共预算收入", "\"25亿元\"")]),
        )
        .check_json(&["data"]);
    assert_eq!(status, 2);
    assert_eq!(codes(&json), ["plancheck::plan::bad-lead"]);
    assert_eq!(json["diagnostics"][0]["message"], "co 中多了标签“责任单位”");
    assert_eq!(json["diagnostics"][0]["help"], "只写单位名称：co 区税务局");
}

#[test]
fn fmt_prints_co_and_leader_like_lead_and_in_that_order() {
    // Lines in a row are put in the order lead, co, leader, each with its comment; a blank
    // line ends the run.
    let loose = "task 1 \"甲\" {\n\tleader 张明（副区长）,李华  # 分管\n    co   区税务局、区统计局\n    lead 区财政局\n\n    co 区发改局\n    一般公共预算收入 >= 25 亿元\n}\n";
    let tidy = "task 1 \"甲\" {\n    lead 区财政局\n    co 区税务局, 区统计局\n    leader 张明（副区长）, 李华  # 分管\n\n    co 区发改局\n    一般公共预算收入 >= 25 亿元\n}\n";
    let test = Test::empty().file("rules/a.plan", loose);
    let output = test.run_with(&["fmt", "rules"]);
    assert_eq!((output.status, output.stderr.as_str()), (0, ""));
    let written = std::fs::read_to_string(test.path().join("rules/a.plan")).unwrap();
    assert_eq!(written, tidy);
}

/// The first code block after `heading` in the README.
fn readme_block(heading: &str) -> String {
    let readme = std::fs::read_to_string(crate::support::repo_root().join("README.md")).unwrap();
    let after = &readme[readme.find(heading).unwrap()..];
    let start = after.find("```\n").unwrap() + 4;
    let len = after[start..].find("```").unwrap();
    after[start..start + len].to_owned()
}

#[test]
fn the_readme_examples_of_co_leader_and_toward_check_as_it_says() {
    let responsibility = readme_block("**Responsibility: `lead`, `co` and `leader`**");
    let multi_year = readme_block("**Multi-year targets**");
    let plan = format!(
        "plan \"README\" {{\n    period 2023\n}}\n\n{responsibility}\ntask 9 \"多年\" {{\n    lead 区发改局\n{multi_year}}}\n"
    );
    let (status, json) = Test::empty()
        .file("rules/plan.plan", &plan)
        .file(
            "data/a.yaml",
            submission(
                "区发改局",
                "2023",
                &[
                    ("数字经济核心产业增加值占比", "8%"),
                    ("常住人口城镇化率", "\"67.28%\""),
                    ("数字化转型企业占比", "\"5%\""),
                ],
            ),
        )
        .file(
            "data/b.yaml",
            submission("区发改局", "2022", &[("数字化转型企业占比", "\"4%\"")]),
        )
        .file(
            "data/c.yaml",
            submission("区统计局", "2023", &[("一般公共预算收入", "\"25亿元\"")]),
        )
        .file(
            "data/d.yaml",
            submission("区税务局", "2023", &[("税收占比", "\"80%\"")]),
        )
        .check_json(&["data"]);
    assert_eq!(codes(&json), Vec::<String>::new());
    for (metric, point) in [
        ("数字经济核心产业增加值占比", ">= 8%"),
        ("常住人口城镇化率", ">= 67.28%"),
        ("数字化转型企业占比", ">= 6%"),
    ] {
        assert_eq!(result(&json, metric)["path"]["point"], point, "{metric}");
    }
    assert_eq!(result(&json, "数字化转型企业占比")["verdict"], "unmet");
    assert_eq!(result(&json, "一般公共预算收入")["verdict"], "met");
    assert_eq!(status, 1);
}

#[test]
fn a_co_responsible_unit_gets_a_template_of_the_rules_it_may_report() {
    let output = Test::empty().file("rules/plan.plan", PLAN).run_with(&[
        "template",
        "--lead",
        "区统计局",
        "--period",
        "2023",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    // 税收占比 is 区税务局's (`by`): not on 区统计局's form.
    assert!(
        output.stdout.contains("一般公共预算收入"),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains("税收占比"), "{}", output.stdout);
}

#[test]
fn a_unit_of_another_task_is_told_who_may_report() {
    let plan = format!(
        "{PLAN}\ntask 4 \"招商\" {{\n    lead 区商务局\n    实际利用外资 >= 1 亿美元\n}}\n"
    );
    let (_, json) = Test::empty()
        .file("rules/plan.plan", &plan)
        .file(
            "data/a.yaml",
            submission("区商务局", "2023", &[("一般公共预算收入", "\"25亿元\"")]),
        )
        .check_json(&["data"]);
    let diagnostic = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "plancheck::check::not-responsible")
        .unwrap();
    assert_eq!(
        diagnostic["message"],
        "区商务局不是任务3的牵头单位或责任单位，却报送了“一般公共预算收入”"
    );
    assert_eq!(
        diagnostic["help"],
        "该指标由区财政局、区税务局、区统计局报送；数值仍按规则检查"
    );
}

/// A mistyped co unit is suggested from every unit the plan names, co units included.
#[test]
fn a_mistyped_co_unit_is_suggested() {
    let (_, json) = run("区统计", &[("一般公共预算收入", "\"25.1亿元\"")]);
    assert_eq!(codes(&json), ["plancheck::check::unknown-reporter"]);
    assert_eq!(
        json["diagnostics"][0]["help"],
        "是否应为“区统计局”？计划中的单位：区税务局、区统计局、区财政局"
    );
}
