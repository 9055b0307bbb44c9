//! A city and its counties (`tests/fixtures/city/`): several plans in one run, routing of
//! submissions by folder, a target that is the sum of the counties' figures with its
//! allocations, approved adjustments on both sides of their dates, and waivers.

use crate::support::{codes, repo_root, Test, ECO_MET, INDUSTRY_MET};
use serde_json::Value;
use std::path::Path;

/// A temporary copy of the city fixture, so a test may add or change files.
fn city() -> Test {
    Test::copy_of("tests/fixtures/city")
}

fn remove(test: Test, path: &str) -> Test {
    std::fs::remove_file(test.path().join(path)).unwrap();
    test
}

/// (plan, task, metric, period, verdict) of every result, in report order.
fn rows(json: &Value) -> Vec<String> {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}",
                r["plan"].as_str().unwrap_or("-"),
                r["task"],
                r["metric"].as_str().unwrap(),
                r["period"].as_str().unwrap_or("-"),
                r["verdict"].as_str().unwrap()
            )
        })
        .collect()
}

fn find<'a>(json: &'a Value, plan: &str, metric: &str, period: &str) -> &'a Value {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["plan"] == plan && r["metric"] == metric && r["period"] == period)
        .unwrap_or_else(|| panic!("no result {plan} {metric} {period}"))
}

#[test]
fn results_are_grouped_by_plan_then_task_with_exact_verdicts() {
    let (status, json) = city().check_json(&["--rules", "rules", "data"]);
    assert_eq!(status, 1, "邹城市 is behind and misses a figure");
    assert_eq!(
        rows(&json),
        [
            "济宁市 1 新增城镇就业 2023-H1 on_track",
            "济宁市 1 新增城镇就业 2023-Q3 on_track",
            "济宁市 1 城镇调查失业率 2023-H1 waived",
            "济宁市 1 城镇调查失业率 2023-Q3 met",
            "济宁市 2 完成重点项目投资 2023-H1 on_track",
            "兖州区 1 新增城镇就业 2023-H1 on_track",
            "兖州区 1 新增城镇就业 2023-Q3 on_track",
            "兖州区 2 完成重点项目投资 2023-H1 behind",
            "兖州区 2 完成重点项目投资 2023-Q3 ahead",
            "曲阜市 1 新增城镇就业 2023-H1 on_track",
            "曲阜市 1 新增城镇就业 2023-Q3 on_track",
            "曲阜市 2 完成重点项目投资 2023-H1 on_track",
            "邹城市 1 新增城镇就业 2023-H1 behind",
            "邹城市 1 新增城镇就业 2023-Q3 on_track",
            "邹城市 2 完成重点项目投资 2023-Q3 missing",
        ]
    );
    let summary = &json["summary"];
    assert_eq!(summary["waived"], 1);
    assert_eq!(
        summary["submissions"], 12,
        "figures read for a sum count once"
    );
    assert_eq!(summary["figures"], 12);
}

#[test]
fn a_sum_of_plans_is_judged_on_the_total_and_shows_each_part() {
    let (_, json) = city().check_json(&["--rules", "rules", "data"]);
    let h1 = find(&json, "济宁市", "新增城镇就业", "2023-H1");
    assert_eq!(h1["compared"], "19,700 人");
    assert_eq!(h1["expected"], "19,835.62 人");
    let parts: Vec<String> = h1["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["reporter"].as_str().unwrap(),
                p["actual"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        parts,
        ["兖州区 7,600 人", "曲阜市 6,100 人", "邹城市 6,000 人"]
    );
    assert_eq!(
        h1["parts"][0]["location"]["file"],
        "data/兖州区/区人社局-H1.yaml"
    );
    // Each county is judged on its allocation.
    let county = find(&json, "邹城市", "新增城镇就业", "2023-H1");
    assert_eq!(county["target"], ">= 13,000 人");
    assert_eq!(county["expected"], "6,446.58 人");

    let human = city().check(&["--rules", "rules", "data"]).stdout;
    assert!(human.contains(
        "［济宁市］任务1 新增城镇就业 >= 40,000 人［累计］：2023-H1 19,700 人 = 兖州区 7,600 人 + 曲阜市 6,100 人 + 邹城市 6,000 人（预期 19,835.62 人，序时推进）"
    ), "{human}");
}

#[test]
fn a_sum_falls_behind_when_a_county_does() {
    let test = city().file(
        "data/邹城市/市人社局-H1.yaml",
        "reporter: 市人力资源社会保障局\nperiod: \"2023-H1\"\nfigures:\n  新增城镇就业: 3000人\n",
    );
    let (_, json) = test.check_json(&["--rules", "rules", "data"]);
    let h1 = find(&json, "济宁市", "新增城镇就业", "2023-H1");
    assert_eq!(h1["compared"], "16,700 人");
    assert_eq!(h1["verdict"], "behind");
}

#[test]
fn an_allocation_must_match_the_county_target() {
    let test = city().file(
        "rules/曲阜市/plan.plan",
        std::fs::read_to_string(repo_root().join("tests/fixtures/city/rules/曲阜市/plan.plan"))
            .unwrap()
            .replace(">= 12000 人", ">= 11000 人"),
    );
    let output = test.check(&["--rules", "rules", "data"]);
    assert_eq!(output.status, 2, "{}", output.stdout);
    assert!(output
        .stdout
        .contains("plancheck::plans::allocation-mismatch"));
    assert!(output.stdout.contains(
        "计划「曲阜市」的「新增城镇就业」目标为 >= 11,000 人，与分解数 >= 12,000 人 不符"
    ));
}

#[test]
fn an_allocation_needs_the_plan_and_its_rule() {
    let plan = std::fs::read_to_string(repo_root().join("tests/fixtures/city/rules/济宁市.plan"))
        .unwrap()
        .replace("邹城市 13000 人", "邹城市 13000 人, 泗水县 2000 人");
    let (status, json) = city()
        .file("rules/济宁市.plan", &plan)
        .check_json(&["--rules", "rules", "data"]);
    assert_eq!(status, 2);
    assert_eq!(codes(&json), ["plancheck::plans::unknown-plan"]);
}

#[test]
fn a_file_outside_every_plan_folder_is_a_finding() {
    let test = city().file(
        "data/其他/x.yaml",
        "reporter: 市发展改革委\nperiod: \"2023-H1\"\nfigures:\n  完成重点项目投资: 1亿元\n",
    );
    let (status, json) = test.check_json(&["--rules", "rules", "data"]);
    assert_eq!(status, 2);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let unrouted = diagnostics
        .iter()
        .find(|d| d["code"] == "plancheck::plans::unrouted")
        .unwrap();
    assert_eq!(
        unrouted["message"],
        "填报文件 data/其他/x.yaml 不属于任何计划"
    );
}

#[test]
fn a_file_under_two_plan_folders_is_a_finding() {
    let test = city().file(
        "data/兖州区/曲阜市/x.yaml",
        "reporter: 区发展改革局\nperiod: \"2023-H1\"\nfigures:\n  完成重点项目投资: 1亿元\n",
    );
    let (status, json) = test.check_json(&["--rules", "rules", "data"]);
    assert_eq!(status, 2);
    let ambiguous = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "plancheck::plans::ambiguous")
        .unwrap();
    assert_eq!(
        ambiguous["message"],
        "填报文件 data/兖州区/曲阜市/x.yaml 同时属于多个计划：兖州区、曲阜市"
    );
}

#[test]
fn an_adjusted_target_stands_from_its_date_only() {
    let (_, json) = city().check_json(&["--rules", "rules", "data"]);
    // Before 2023-07-01 the plan's own target: 70 of 150 亿元 is behind.
    let before = find(&json, "兖州区", "完成重点项目投资", "2023-H1");
    assert_eq!(before["target"], ">= 150 亿元");
    assert_eq!(before["expected"], "74.38 亿元");
    assert_eq!(before["verdict"], "behind");
    assert!(before.get("adjustment").is_none());
    // From it, the adjusted one: 95 of 120 亿元 is ahead.
    let after = find(&json, "兖州区", "完成重点项目投资", "2023-Q3");
    assert_eq!(after["target"], ">= 120 亿元");
    assert_eq!(after["expected"], "89.75 亿元");
    assert_eq!(after["verdict"], "ahead");
    assert_eq!(after["adjustment"]["original"], ">= 150 亿元");
    assert_eq!(after["adjustment"]["document"], "兖政字〔2023〕8号");
    assert_eq!(after["adjustment"]["from"], "2023-07-01");
    // A level: 5.7% meets the adjusted <= 5.8%.
    let rate = find(&json, "济宁市", "城镇调查失业率", "2023-Q3");
    assert_eq!(rate["verdict"], "met");
    assert_eq!(rate["target"], "<= 5.8%");
}

/// A figure is screened against the target in force, in both passes over the files: a
/// negative share is impossible against `>= 5%`, but the adjusted `>= -2%` allows it, and
/// a second identical report of it is a repeat, not a conflict.
#[test]
fn an_adjusted_target_decides_which_figures_are_possible() {
    let plan = r#"plan "测试" {
    period 2023
}
task 1 "效益" {
    lead 区商务局
    利润率 >= 5%
    adjust 利润率 to >= -2% from 2023-01-01 by "三号文" because "下调"
}
"#;
    let data = "reporter: 区商务局\nperiod: \"2023\"\nfigures:\n  利润率: -1%\n";
    let (_, json) = Test::empty()
        .file("rules/plan.plan", plan)
        .file("data/a.yaml", data)
        .file("data/b.yaml", data)
        .check_json(&["--rules", "rules", "data"]);
    let result = &json["results"][0];
    assert_eq!(result["verdict"], "met", "{result}");
    assert_eq!(result["target"], ">= -2%");
    assert_eq!(
        codes(&json),
        ["plancheck::check::duplicate-figure"],
        "{}",
        json["diagnostics"]
    );
}

#[test]
fn the_last_adjustment_in_force_wins() {
    let plan = r#"plan "测试" {
    period 2023
}
task 1 "就业" {
    lead 人社局
    城镇调查失业率 <= 5.5%
    adjust 城镇调查失业率 to <= 5.8% from 2023-04-01 by "一号文" because "一"
    adjust 城镇调查失业率 to <= 6% from 2023-10-01 by "二号文" because "二"
}
"#;
    let data = |period: &str, value: &str| {
        format!("reporter: 人社局\nperiod: \"{period}\"\nfigures:\n  城镇调查失业率: {value}\n")
    };
    let (status, json) = Test::empty()
        .file("rules/plan.plan", plan)
        .file("data/q1.yaml", data("2023-Q1", "5.6%"))
        .file("data/q2.yaml", data("2023-Q2", "5.9%"))
        .file("data/q4.yaml", data("2023-Q4", "5.9%"))
        .check_json(&["--rules", "rules", "data"]);
    assert_eq!(status, 1);
    let verdicts: Vec<(String, String, String)> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap().to_owned(),
                r["target"].as_str().unwrap().to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |p: &str, t: &str, v: &str| (p.to_owned(), t.to_owned(), v.to_owned());
    assert_eq!(
        verdicts,
        [
            expect("2023-Q1", "<= 5.5%", "unmet"),
            expect("2023-Q2", "<= 5.8%", "unmet"),
            expect("2023-Q4", "<= 6%", "met"),
        ]
    );
}

#[test]
fn adjustments_need_a_document_number_and_increasing_dates() {
    let plan = |lines: &str| {
        format!("plan \"测试\" {{\n    period 2023\n}}\ntask 1 \"就业\" {{\n    lead 人社局\n    城镇调查失业率 <= 5.5%\n{lines}}}\n")
    };
    let run = |lines: &str| {
        let (status, json) = Test::empty()
            .file("rules/plan.plan", plan(lines))
            .file(
                "data/x.yaml",
                "reporter: 人社局\nperiod: \"2023-Q1\"\nfigures:\n  城镇调查失业率: 5%\n",
            )
            .check_json(&["--rules", "rules", "data"]);
        (status, codes(&json))
    };
    assert_eq!(
        run("    adjust 城镇调查失业率 to <= 5.8% from 2023-07-01 because \"无文号\"\n"),
        (
            2,
            vec!["plancheck::plan::adjust-without-document".to_owned()]
        )
    );
    assert_eq!(
        run("    adjust 城镇调查失业率 to <= 5.8% from 2023-07-01 by \"甲\"\n    adjust 城镇调查失业率 to <= 6% from 2023-03-01 by \"乙\"\n"),
        (2, vec!["plancheck::plan::adjust-out-of-order".to_owned()])
    );
    assert_eq!(
        run("    adjust 新增就业 to >= 5 人 from 2023-07-01 by \"甲\"\n"),
        (2, vec!["plancheck::plan::adjust-unknown-metric".to_owned()])
    );
    assert_eq!(
        run("    adjust 城镇调查失业率 to done from 2023-07-01 by \"甲\"\n").0,
        2
    );
}

#[test]
fn waivers_are_applied_refused_expired_or_unused() {
    let (_, json) = city().check_json(&["--rules", "rules", "data"]);
    let statuses: Vec<String> = json["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            format!(
                "{} {}",
                w["plan"].as_str().unwrap(),
                w["status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            "兖州区 expired",
            "曲阜市 unused",
            "济宁市 applied",
            "邹城市 refused"
        ]
    );
    let codes = codes(&json);
    for code in [
        "plancheck::waiver::expired",
        "plancheck::waiver::unused",
        "plancheck::waiver::refused",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    // An expired waiver leaves the result failing; a refused one leaves it missing.
    assert_eq!(
        find(&json, "兖州区", "完成重点项目投资", "2023-H1")["verdict"],
        "behind"
    );
    assert_eq!(
        find(&json, "邹城市", "完成重点项目投资", "2023-Q3")["verdict"],
        "missing"
    );
    let human = city().check(&["--rules", "rules", "data"]).stdout;
    assert!(human.contains("情况说明\n  兖州区 完成重点项目投资 区发展改革局 2023-H1：已过期（区政府督查室，有效至 2023-08-31）"), "{human}");
}

/// A waiver's office and reason come from another office's file: the human report escapes
/// them like any input text, so a right-to-left mark cannot reorder the line.
#[test]
fn waiver_text_is_escaped_in_the_human_report() {
    let path = "waivers/兖州区-重点项目投资.yaml";
    let test = city();
    let text = std::fs::read_to_string(test.path().join(path)).unwrap();
    let test = test.file(
        path,
        text.replace("office: 区政府督查室", "office: 区政府\u{202E}督查室"),
    );
    let human = test.check(&["--rules", "rules", "data"]).stdout;
    assert!(
        human.contains("已过期（区政府\\u{202e}督查室，有效至 2023-08-31）"),
        "{human}"
    );
}

/// With several plans in the run, a waiver must say which plan it explains: the same unit
/// and metric may stand in every county's plan.
#[test]
fn a_waiver_without_its_plan_is_refused_when_several_plans_are_checked() {
    let path = "waivers/兖州区-重点项目投资.yaml";
    let test = city();
    let text = std::fs::read_to_string(test.path().join(path)).unwrap();
    let test = test.file(path, text.replace("plan: 兖州区\n", ""));
    let (status, json) = test.check_json(&["--rules", "rules", "data"]);
    assert_eq!(status, 2);
    let refused: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "plancheck::waiver::invalid")
        .collect();
    assert_eq!(refused.len(), 1, "{}", json["diagnostics"]);
    assert_eq!(
        refused[0]["message"],
        "情况说明没有写所属计划：完成重点项目投资 区发展改革局 2023-H1（waivers/兖州区-重点项目投资.yaml）；同时检查多个计划时不能确定它说明的是哪个计划"
    );
}

/// The dashboard lists the run's waivers as the other reports for people do.
#[test]
fn the_dashboard_lists_the_waivers() {
    let html = city()
        .check(&["--rules", "rules", "--format", "html", "data"])
        .stdout;
    assert!(
        html.contains("<h2 id=\"waivers-h\">情况说明</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<li>兖州区 完成重点项目投资 区发展改革局 2023-H1：已过期（区政府督查室，有效至 2023-08-31）"),
        "{html}"
    );
}

const WAIVER: &str = "rule: 受污染耕地安全利用率
period: \"2023\"
reporter: 区生态环境分局
reason: 部分地块治理工程延期
office: 区政府督查室
expires: 2024-03-31
";

#[test]
fn a_waiver_keeps_an_unmet_target_from_failing_the_run_until_it_expires() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"90.5%\"");
    let run = |waiver: &str, as_of: &str| {
        Test::new()
            .file("data/eco.yaml", &eco)
            .file("data/industry.yaml", INDUSTRY_MET)
            .file("waivers/eco.yaml", waiver)
            .check_json(&["--as-of", as_of, "data"])
    };
    let (status, json) = run(WAIVER, "2024-01-15");
    assert_eq!(status, 0);
    assert_eq!(
        crate::support::result(&json, "受污染耕地安全利用率")["verdict"],
        "waived"
    );
    assert_eq!(json["summary"]["waived"], 1);
    let (status, json) = run(WAIVER, "2024-04-01");
    assert_eq!(status, 1);
    assert_eq!(
        crate::support::result(&json, "受污染耕地安全利用率")["verdict"],
        "unmet"
    );
    assert_eq!(codes(&json), ["plancheck::waiver::expired"]);
    // A broken waiver file is broken input.
    let (status, json) = run("rule: 受污染耕地安全利用率\n", "2024-01-15");
    assert_eq!(status, 2);
    assert!(codes(&json).contains(&"plancheck::waiver::invalid".to_owned()));
}

#[test]
fn the_waivers_flag_names_the_folder() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"90.5%\"");
    let test = Test::new()
        .file("data/eco.yaml", &eco)
        .file("data/industry.yaml", INDUSTRY_MET)
        .file("accepted/eco.yaml", WAIVER);
    let (status, _) = test.check_json(&["--waivers", "accepted", "data"]);
    assert_eq!(status, 0);
    let output =
        Test::new()
            .file("data/eco.yaml", ECO_MET)
            .check(&["--waivers", "nowhere", "data"]);
    assert_eq!(output.status, 2);
    assert!(output.stdout.contains("找不到情况说明文件夹 nowhere"));
}

#[test]
fn every_format_renders_several_plans() {
    for format in ["human", "markdown", "sarif", "junit", "github", "html"] {
        let output = city().check(&["--rules", "rules", "--format", format, "data"]);
        assert_eq!(output.status, 1, "{format}: {}", output.stderr);
        assert!(output.stdout.contains("邹城市"), "{format}");
    }
    let test = city();
    let out = test.path().join("out.xlsx");
    let output = test.run_with(&[
        "check",
        "--rules",
        "rules",
        "--report",
        &format!("xlsx={}", out.display()),
        "data",
    ]);
    assert_eq!(output.status, 1);
    assert!(Path::new(&out).exists());
}

#[test]
fn the_fixture_is_formatted_and_reads_back_the_same() {
    let rules = repo_root().join("tests/fixtures/city/rules");
    let output = Test::empty().run_with(&["fmt", "--check", rules.to_str().unwrap()]);
    assert_eq!(output.status, 0, "{}", output.stdout);
}

#[test]
fn the_committed_waiver_schema_matches_the_code() {
    let output = Test::empty().args(&["schema", "waiver"]).run();
    assert_eq!(output.status, 0);
    let committed =
        std::fs::read_to_string(repo_root().join("schemas/waiver.schema.json")).unwrap();
    assert!(
        output.stdout == committed,
        "schemas/waiver.schema.json is stale; regenerate it with\n  cargo run -- schema waiver > schemas/waiver.schema.json"
    );
}

#[test]
fn a_submission_may_name_its_plan_instead_of_its_folder() {
    let test = remove(city(), "data/曲阜市/市发展改革局-H1.yaml").file(
        "elsewhere/曲阜-投资.yaml",
        "plan: 曲阜市\nreporter: 市发展改革局\nperiod: \"2023-H1\"\nfigures:\n  完成重点项目投资: 61亿元\n",
    );
    let (status, json) = test.check_json(&["--rules", "rules", "data", "elsewhere"]);
    assert_eq!(status, 1);
    assert_eq!(
        find(&json, "曲阜市", "完成重点项目投资", "2023-H1")["figure_location"]["file"],
        "elsewhere/曲阜-投资.yaml"
    );
    // A plan the run does not have, and a folder that disagrees with the key.
    let test = city()
        .file(
            "elsewhere/x.yaml",
            "plan: 泗水县\nreporter: 县发展改革局\nperiod: \"2023-H1\"\nfigures:\n  完成重点项目投资: 1亿元\n",
        )
        .file(
            "data/兖州区/y.yaml",
            "plan: 曲阜市\nreporter: 市发展改革局\nperiod: \"2023-H1\"\nfigures:\n  完成重点项目投资: 1亿元\n",
        );
    let (status, json) = test.check_json(&["--rules", "rules", "data", "elsewhere"]);
    assert_eq!(status, 2);
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .unwrap()
                .starts_with("plancheck::plans::")
        })
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "填报文件 elsewhere/x.yaml 中的填报属于计划「泗水县」，但本次检查没有这个计划",
            "填报文件 data/兖州区/y.yaml 在计划「兖州区」的文件夹中，却有填报写明属于其他计划",
        ]
    );
}
