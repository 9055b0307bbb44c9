//! Verdicts, severities and exit codes of `plancheck check`.

use crate::support::{
    codes, result, submission, verdicts, with_eco, with_industry, with_met, Test, ECO_MET,
    INDUSTRY_MET, PLAN,
};

/// Both leads meeting every target, and 区水务局 reporting 受污染耕地安全利用率 as `value`.
fn with_water(value: &str) -> (i32, serde_json::Value) {
    let water = submission("区水务局", "2023", &[("受污染耕地安全利用率", value)]);
    with_met()
        .file("data/water.yaml", &water)
        .check_json(&["data"])
}

#[test]
fn every_target_met_exits_zero() {
    let (status, json) = with_met().check_json(&["data"]);
    assert_eq!(status, 0);
    assert_eq!(
        verdicts(&json),
        [
            ("造纸包装产业营业收入", "2023", "met"),
            ("培育主要农作物新品种", "2023", "met"),
            ("新增城镇就业", "2023", "met"),
            ("受污染耕地安全利用率", "2023", "met"),
            ("农用地安全利用率", "2023", "met"),
            ("完成超低排放改造", "2023", "met"),
        ]
        .map(|(m, p, v)| (m.to_owned(), p.to_owned(), v.to_owned()))
    );
    assert_eq!(json["summary"]["met"], 6);
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
}

#[test]
fn a_convertible_unit_is_converted_exactly() {
    let (_, json) = with_met().check_json(&["data"]);
    let revenue = result(&json, "造纸包装产业营业收入");
    assert_eq!(revenue["actual"], "4,600,000 万元");
    assert_eq!(revenue["compared"], "460 亿元");
    assert_eq!(revenue["target"], "> 450 亿元");
    assert_eq!(revenue["reporter"], "区工业和信息化局");
    let jobs = result(&json, "新增城镇就业");
    assert_eq!(jobs["compared"], "4,512 人");
}

#[test]
fn a_figure_just_below_a_must_target_fails_the_run() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"90.96%\"");
    let (status, json) = with_eco(&eco).check_json(&["data"]);
    assert_eq!(status, 1);
    let rate = result(&json, "受污染耕地安全利用率");
    assert_eq!(rate["verdict"], "unmet");
    assert_eq!(rate["severity"], "error");
    assert_eq!(rate["code"], "plancheck::check::unmet");
    assert_eq!(rate["actual"], "90.96%");
    assert_eq!(json["summary"]["unmet"], 1);
}

#[test]
fn a_strive_target_missed_is_a_warning_unless_warnings_are_denied() {
    let industry = INDUSTRY_MET.replace("\"4,600,000万元\"", "\"0.29亿元\"");
    let test = || with_industry(&industry);
    let (status, json) = test().check_json(&["data"]);
    assert_eq!(status, 0);
    let revenue = result(&json, "造纸包装产业营业收入");
    assert_eq!(
        (&revenue["verdict"], &revenue["severity"]),
        (&"unmet".into(), &"warning".into())
    );
    assert_eq!(revenue["strength"], "strive");
    let (status, json) = test().check_json(&["--deny", "warnings", "data"]);
    assert_eq!(status, 1);
    assert_eq!(result(&json, "造纸包装产业营业收入")["severity"], "error");
}

#[test]
fn a_figure_left_out_by_its_lead_is_missing() {
    let eco = ECO_MET.replace("  受污染耕地安全利用率: \"92.3%\"\n", "");
    let (status, json) = with_eco(&eco).check_json(&["data"]);
    assert_eq!(status, 1);
    let rate = result(&json, "受污染耕地安全利用率");
    assert_eq!(rate["verdict"], "missing");
    assert_eq!(rate["severity"], "error");
    assert_eq!(rate["reporter"], serde_json::Value::Null);
    assert_eq!(rate["actual"], serde_json::Value::Null);
    // Leads are listed once per task, not once per result.
    assert_eq!(rate.get("lead"), None);
    let task = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["task"] == rate["task"])
        .unwrap();
    assert_eq!(
        task["lead"],
        serde_json::json!(["区生态环境分局", "区水务局"])
    );
}

#[test]
fn a_task_whose_leads_report_nothing_is_missing_for_the_plan_period() {
    let (status, json) = Test::new()
        .file("data/eco.yaml", ECO_MET)
        .check_json(&["data"]);
    assert_eq!(status, 1);
    for metric in [
        "造纸包装产业营业收入",
        "培育主要农作物新品种",
        "新增城镇就业",
    ] {
        let r = result(&json, metric);
        assert_eq!(
            (r["verdict"].as_str(), r["period"].as_str()),
            (Some("missing"), Some("2023")),
            "{metric}"
        );
    }
    // A missed strive figure is a warning, like a missed strive target.
    assert_eq!(result(&json, "造纸包装产业营业收入")["severity"], "warning");
}

#[test]
fn a_unit_of_another_dimension_is_invalid() {
    let industry = INDUSTRY_MET.replace("\"4,600,000万元\"", "\"5亿美元\"");
    let (status, json) = with_industry(&industry).check_json(&["data"]);
    // The rule is a strive rule: an invalid figure is a warning.
    assert_eq!(status, 0);
    let revenue = result(&json, "造纸包装产业营业收入");
    assert_eq!(revenue["verdict"], "invalid");
    assert_eq!(revenue["code"], "plancheck::check::wrong-unit");
    assert_eq!(
        revenue["message"],
        "造纸包装产业营业收入 的计量单位不符：区工业和信息化局 2023 报送单位“亿美元”，\
         目标单位“亿元”：金额（美元）无法换算为金额（人民币）"
    );
}

#[test]
fn unreadable_values_are_invalid_never_dropped() {
    for (value, code) in [
        ("\"待统计\"", "plancheck::check::invalid-value"),
        (".nan", "plancheck::check::invalid-value"),
        ("\"\"", "plancheck::check::invalid-value"),
        ("done", "plancheck::check::wrong-kind"),
        ("\"5头牛\"", "plancheck::check::wrong-unit"),
    ] {
        let eco = ECO_MET.replace("\"92.3%\"", value);
        let (status, json) = with_eco(&eco).check_json(&["data"]);
        assert_eq!(status, 1, "{value}");
        let rate = result(&json, "受污染耕地安全利用率");
        assert_eq!(
            (rate["verdict"].as_str(), rate["code"].as_str()),
            (Some("invalid"), Some(code)),
            "{value}"
        );
    }
}

#[test]
fn full_width_digits_and_a_bare_number_take_the_rule_unit() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"９２．５％\"");
    let industry = INDUSTRY_MET.replace("\"4,512人\"", "4000");
    let (status, json) = with_eco(&eco)
        .file("data/industry.yaml", &industry)
        .check_json(&["data"]);
    assert_eq!(status, 0);
    assert_eq!(result(&json, "受污染耕地安全利用率")["compared"], "92.5%");
    assert_eq!(result(&json, "新增城镇就业")["compared"], "4,000 人");
}

#[test]
fn a_milestone_reported_not_done_is_unmet() {
    let eco = ECO_MET.replace("完成超低排放改造: done", "完成超低排放改造: false");
    let (status, json) = with_eco(&eco).check_json(&["data"]);
    assert_eq!(status, 1);
    let milestone = result(&json, "完成超低排放改造");
    assert_eq!(
        (&milestone["verdict"], &milestone["actual"]),
        (&"unmet".into(), &"未完成".into())
    );
}

#[test]
fn two_leads_reporting_different_values_conflict() {
    let (status, json) = with_water("93%");
    assert_eq!(status, 1);
    let rate = result(&json, "受污染耕地安全利用率");
    assert_eq!(
        (&rate["verdict"], &rate["code"]),
        (&"invalid".into(), &"plancheck::check::conflict".into())
    );
}

#[test]
fn two_leads_reporting_the_same_value_agree() {
    let (status, json) = with_water("92.30%");
    assert_eq!(status, 0);
    assert_eq!(result(&json, "受污染耕地安全利用率")["verdict"], "met");
}

#[test]
fn an_unknown_metric_is_a_warning_with_a_suggestion() {
    let eco = format!("{ECO_MET}  受污染耕地安全利用: 95%\n");
    let (status, json) = with_eco(&eco).check_json(&["data"]);
    assert_eq!(status, 0);
    assert_eq!(codes(&json), ["plancheck::check::unknown-metric"]);
    let diagnostic = &json["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "warning");
    assert_eq!(diagnostic["help"], "是否应为“受污染耕地安全利用率”？");
    assert_eq!(diagnostic["locations"][0]["line"], 7);
    assert_eq!(diagnostic["locations"][0]["column"], 3);
    let (status, _) = with_eco(&eco).check_json(&["--deny", "warnings", "data"]);
    assert_eq!(status, 1);
}

#[test]
fn a_figure_from_a_unit_that_does_not_lead_the_task_is_checked_and_flagged() {
    // 区水务局 leads task 32, not task 6. (A unit that leads no task at all is an unknown
    // reporter: see hostile/content.rs.)
    let other = submission("区水务局", "2023", &[("新增城镇就业", "4100")]);
    let (status, json) = with_met()
        .file(
            "data/industry.yaml",
            INDUSTRY_MET.replace("  新增城镇就业: \"4,512人\"\n", ""),
        )
        .file("data/tech.yaml", &other)
        .check_json(&["data"]);
    assert_eq!(status, 0);
    let jobs = result(&json, "新增城镇就业");
    assert_eq!(
        (&jobs["verdict"], &jobs["reporter"]),
        (&"met".into(), &"区水务局".into())
    );
    assert_eq!(codes(&json), ["plancheck::check::not-responsible"]);
}

#[test]
fn each_period_a_lead_reports_is_checked_on_its_own() {
    let mid_year = ECO_MET
        .replace("period: \"2023\"", "period: 2023-H1")
        .replace("\"92.3%\"", "89%");
    let (status, json) = with_met()
        .file("data/eco-h1.yaml", &mid_year)
        .check_json(&["data"]);
    assert_eq!(status, 1);
    let rate: Vec<_> = verdicts(&json)
        .into_iter()
        .filter(|(m, _, _)| m == "受污染耕地安全利用率")
        .collect();
    assert_eq!(
        rate,
        [("2023-H1", "unmet"), ("2023", "met")].map(|(p, v)| (
            "受污染耕地安全利用率".to_owned(),
            p.to_owned(),
            v.to_owned()
        ))
    );
}

#[test]
fn every_data_format_gives_the_same_results() {
    let json_data = r#"{"reporter": "区生态环境分局", "period": "2023",
 "figures": {"受污染耕地安全利用率": "92.3%", "农用地安全利用率": "100%", "完成超低排放改造": true}}"#;
    let toml_data = "reporter = \"区生态环境分局\"\nperiod = \"2023\"\n[figures]\n\"受污染耕地安全利用率\" = \"92.3%\"\n\"农用地安全利用率\" = \"100%\"\n\"完成超低排放改造\" = \"done\"\n";
    let csv_data = "填报单位,期间,指标,数值,计量单位\n区生态环境分局,2023,受污染耕地安全利用率,92.3,%\n区生态环境分局,2023,农用地安全利用率,100,%\n区生态环境分局,2023,完成超低排放改造,done,\n";
    let reference = with_met().check_json(&["data"]).1;
    for (name, data) in [
        ("eco.json", json_data),
        ("eco.toml", toml_data),
        ("eco.csv", csv_data),
    ] {
        let (status, json) = Test::new()
            .file(&format!("data/{name}"), data)
            .file("data/industry.yaml", INDUSTRY_MET)
            .check_json(&["data"]);
        assert_eq!(status, 0, "{name}");
        assert_eq!(verdicts(&json), verdicts(&reference), "{name}");
        assert_eq!(
            result(&json, "受污染耕地安全利用率")["compared"],
            "92.3%",
            "{name}"
        );
    }
}

#[test]
fn broken_rules_exit_two_before_any_figure_is_checked() {
    let broken = PLAN.replace(">= 91%", ">= 九十一%");
    let (status, json) = Test::new()
        .file("rules/plan.plan", &broken)
        .file("data/eco.yaml", ECO_MET)
        .check_json(&["data"]);
    assert_eq!(status, 2);
    assert_eq!(json["results"], serde_json::json!([]));
    assert_eq!(codes(&json), ["plancheck::parse::syntax"]);
}

#[test]
fn a_broken_data_file_exits_two_and_names_its_place() {
    let (status, json) = with_met()
        .file("data/water.json", "{\"reporter\": \"区水务局\", \"period\": \"2023\", \"figures\": {\"受污染耕地安全利用率\": }")
        .check_json(&["data"]);
    assert_eq!(status, 2);
    assert_eq!(codes(&json), ["plancheck::load::syntax"]);
    assert_eq!(
        json["diagnostics"][0]["locations"][0]["file"],
        "data/water.json"
    );
}

#[test]
fn no_data_is_broken_input() {
    let test = Test::new();
    std::fs::create_dir_all(test.path().join("data")).unwrap();
    let (status, json) = test.check_json(&["data"]);
    assert_eq!(status, 2);
    assert_eq!(codes(&json), ["plancheck::cli::no-data"]);
}

#[test]
fn output_is_byte_identical_across_runs() {
    let water = submission(
        "区水务局",
        "2023",
        &[("受污染耕地安全利用率", "93%"), ("不存在的指标", "1")],
    );
    let run = |format: &str| {
        with_met()
            .file("data/water.yaml", &water)
            .check(&["--format", format, "data"])
            .stdout
    };
    for format in ["human", "json"] {
        let first = run(format);
        for _ in 0..5 {
            assert_eq!(run(format), first, "{format}");
        }
    }
}
