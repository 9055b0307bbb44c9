//! Periods, pro-rata progress and relative targets: 时间过半，任务过半了吗?
//!
//! Table-driven: each case is a set of submissions and the verdict expected for one metric and
//! period, over every kind of metric, period and verdict, with the boundaries.

use crate::support::{codes, result, submission, suite_counts, suites, verdicts, Test};

/// The plan of these cases. Its period is 2023 (365 days): the first half has 181 of them.
const PLAN: &str = r#"plan "时间测试计划" {
    period 2023
    tolerance 5%
}

task 1 "稳就业" {
    lead 区人力资源社会保障局
    新增城镇就业 >= 4000 人
    城镇登记失业率 <= 3%
    done 完成公共实训基地建设 due 2023-06-30
    done 建成零工市场
    新增技能人才 >= 1000 人 schedule 2023-Q1 10%, 2023-H1 40%, 2023-Q3 70%
}

task 2 "降能耗" {
    lead 区发展改革局
    能耗增量 <= 100 万吨 kind cumulative
    规上工业增加值 growth >= 5%
    城乡居民收入比 < last_year
    优良天数比例 change in 1..3 百分点
    一般公共预算收入 growth >= 5% baseline 20 亿元 kind cumulative
    攀登企业贷款增幅 > metric 制造业贷款增幅
    制造业贷款增幅 >= 0%
}

task 3 "镇街就业" {
    lead 甲镇, 乙镇
    新增镇街就业 >= 1000 人 summed
}
"#;

fn hr(period: &str, figures: &[(&str, &str)]) -> String {
    submission("区人力资源社会保障局", period, figures)
}

fn dr(period: &str, figures: &[(&str, &str)]) -> String {
    submission("区发展改革局", period, figures)
}

/// The plan of these cases with `files` as `data/00.yaml`, `data/01.yaml`, ….
fn with_files(files: &[String]) -> Test {
    let mut test = Test::empty().file("rules/plan.plan", PLAN);
    for (i, file) in files.iter().enumerate() {
        test = test.file(&format!("data/{i:02}.yaml"), file);
    }
    test
}

/// Runs the check on `files` and returns the JSON report. No case reports every one of the
/// plan's must-targets, so the rest are missing and every run fails with 1: never 2, which
/// would mean broken input, and never 0.
fn run(files: &[String], args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("data");
    let (status, json) = with_files(files).check_json(&all);
    assert_eq!(status, 1, "{json:#}");
    assert_eq!(json["summary"]["exit_code"], 1);
    json
}

/// Task 1 alone, with a first-half submission meeting all but 新增城镇就业 (`jobs`) and the
/// year-end milestone 建成零工市场 (pending).
fn task_one_h1(jobs: &str) -> Test {
    let task_one = &PLAN[..PLAN.find("task 2").unwrap()];
    Test::empty().file("rules/plan.plan", task_one).file(
        "data/h1.yaml",
        hr(
            "2023-H1",
            &[
                ("新增城镇就业", jobs),
                ("城镇登记失业率", "2.8%"),
                ("完成公共实训基地建设", "done"),
                ("建成零工市场", "false"),
                ("新增技能人才", "450"),
            ],
        ),
    )
}

/// 区发展改革局's `metric` this year (2023) and, if given, last year.
fn this_and_last_year(metric: &str, now: &str, last: Option<&str>) -> Vec<String> {
    let mut files = vec![dr("2023", &[(metric, now)])];
    if let Some(last) = last {
        files.push(dr("2022", &[(metric, last)]));
    }
    files
}

fn verdict_of(json: &serde_json::Value, metric: &str, period: &str) -> String {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == metric && r["period"] == period)
        .map(|r| r["verdict"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no result for {metric} {period}: {json:#}"))
}

struct Case {
    note: &'static str,
    files: Vec<String>,
    args: &'static [&'static str],
    metric: &'static str,
    period: &'static str,
    verdict: &'static str,
}

fn case(
    note: &'static str,
    files: Vec<String>,
    metric: &'static str,
    period: &'static str,
    verdict: &'static str,
) -> Case {
    Case {
        note,
        files,
        args: &[],
        metric,
        period,
        verdict,
    }
}

fn check_cases(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in cases {
        let json = run(&c.files, c.args);
        let got = verdict_of(&json, c.metric, c.period);
        if got != c.verdict {
            failures.push(format!("{}: expected {}, got {got}", c.note, c.verdict));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn cumulative_targets_against_the_pro_rata_line() {
    // 4000 × 181/365 = 1983.56; the 5% band runs from 1884.38 to 2082.74.
    let jobs = |v: &str, p: &str| vec![hr(p, &[("新增城镇就业", v)])];
    check_cases(vec![
        case(
            "inside the band",
            jobs("2000", "2023-H1"),
            "新增城镇就业",
            "2023-H1",
            "on_track",
        ),
        case(
            "band's lower edge",
            jobs("1884.39", "2023-H1"),
            "新增城镇就业",
            "2023-H1",
            "on_track",
        ),
        case(
            "below the band",
            jobs("1884.37", "2023-H1"),
            "新增城镇就业",
            "2023-H1",
            "behind",
        ),
        case(
            "above the band",
            jobs("2082.75", "2023-H1"),
            "新增城镇就业",
            "2023-H1",
            "ahead",
        ),
        case(
            "met early",
            jobs("4000", "2023-Q3"),
            "新增城镇就业",
            "2023-Q3",
            "ahead",
        ),
        case(
            "at the deadline, short",
            jobs("3999", "2023"),
            "新增城镇就业",
            "2023",
            "unmet",
        ),
        case(
            "at the deadline, met",
            jobs("4000", "2023"),
            "新增城镇就业",
            "2023",
            "met",
        ),
        case(
            "December is the deadline",
            jobs("4000", "2023-12"),
            "新增城镇就业",
            "2023-12",
            "met",
        ),
    ]);
}

#[test]
fn exactly_on_the_line_is_on_track_without_a_band() {
    // The schedule puts 40% of 1000 at the end of H1: exactly 400.
    let skills = |v: &str| vec![hr("2023-H1", &[("新增技能人才", v)])];
    let mut cases = Vec::new();
    for (value, verdict) in [
        ("400", "on_track"),
        ("399.99", "behind"),
        ("400.01", "ahead"),
    ] {
        cases.push(Case {
            args: &["--tolerance", "0"],
            ..case(
                "schedule checkpoint",
                skills(value),
                "新增技能人才",
                "2023-H1",
                verdict,
            )
        });
    }
    // Q1's checkpoint is 10%: 100.
    cases.push(Case {
        args: &["--tolerance", "0"],
        ..case(
            "first checkpoint",
            vec![hr("2023-Q1", &[("新增技能人才", "100")])],
            "新增技能人才",
            "2023-Q1",
            "on_track",
        )
    });
    check_cases(cases);
}

#[test]
fn a_decreasing_cumulative_target() {
    // Ceiling 100 万吨 × 181/365 = 49.59; band 47.11..52.07.
    let energy = |v: &str| vec![dr("2023-H1", &[("能耗增量", v)])];
    check_cases(vec![
        case(
            "well under the line",
            energy("\"40万吨\""),
            "能耗增量",
            "2023-H1",
            "ahead",
        ),
        case(
            "on the line",
            energy("\"50万吨\""),
            "能耗增量",
            "2023-H1",
            "on_track",
        ),
        case(
            "over the line",
            energy("\"60万吨\""),
            "能耗增量",
            "2023-H1",
            "behind",
        ),
        case(
            "ceiling already broken",
            energy("\"101万吨\""),
            "能耗增量",
            "2023-H1",
            "unmet",
        ),
    ]);
}

#[test]
fn levels_must_hold_in_every_period() {
    let rate = |v: &str, p: &str| vec![hr(p, &[("城镇登记失业率", v)])];
    check_cases(vec![
        case(
            "mid-year above the ceiling",
            rate("3.2%", "2023-Q2"),
            "城镇登记失业率",
            "2023-Q2",
            "unmet",
        ),
        case(
            "mid-year below",
            rate("2.9%", "2023-Q2"),
            "城镇登记失业率",
            "2023-Q2",
            "met",
        ),
        case(
            "monthly",
            rate("3%", "2023-02"),
            "城镇登记失业率",
            "2023-02",
            "met",
        ),
    ]);
}

#[test]
fn milestones_are_pending_then_overdue() {
    let base = |v: &str, p: &str| vec![hr(p, &[("完成公共实训基地建设", v), ("建成零工市场", v)])];
    check_cases(vec![
        case(
            "before due",
            base("false", "2023-Q1"),
            "完成公共实训基地建设",
            "2023-Q1",
            "pending",
        ),
        case(
            "due day",
            base("false", "2023-H1"),
            "完成公共实训基地建设",
            "2023-H1",
            "overdue",
        ),
        case(
            "after due",
            base("false", "2023-Q3"),
            "完成公共实训基地建设",
            "2023-Q3",
            "overdue",
        ),
        case(
            "year end",
            base("false", "2023"),
            "完成公共实训基地建设",
            "2023",
            "unmet",
        ),
        case(
            "done early",
            base("done", "2023-Q1"),
            "完成公共实训基地建设",
            "2023-Q1",
            "met",
        ),
        case(
            "year-end milestone in Q3",
            base("false", "2023-Q3"),
            "建成零工市场",
            "2023-Q3",
            "pending",
        ),
        case(
            "year-end milestone at year end",
            base("false", "2023"),
            "建成零工市场",
            "2023",
            "unmet",
        ),
    ]);
}

#[test]
fn month_and_quarter_data_mixed_are_judged_each_on_its_own() {
    let files = vec![
        hr("2023-03", &[("新增城镇就业", "900")]),
        hr("2023-Q1", &[("新增城镇就业", "1200")]),
    ];
    let json = run(&files, &[]);
    // Both periods end on 31 March: expected 4000 × 90/365 = 986.30.
    assert_eq!(verdict_of(&json, "新增城镇就业", "2023-03"), "behind");
    assert_eq!(verdict_of(&json, "新增城镇就业", "2023-Q1"), "ahead");
    let trajectory = json["trajectories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == "新增城镇就业")
        .unwrap();
    assert_eq!(
        trajectory["points"],
        serde_json::json!([
            {"period": "2023-03", "actual": "900 人", "expected": "986.3 人", "verdict": "behind"},
            {"period": "2023-Q1", "actual": "1,200 人", "expected": "986.3 人", "verdict": "ahead"},
        ])
    );
}

#[test]
fn a_leap_year_has_a_longer_first_half() {
    let plan = PLAN.replace("2023", "2024");
    let run_leap = |value: &str| {
        let (_, json) = Test::empty()
            .file("rules/plan.plan", &plan)
            .file("data/h1.yaml", hr("2024-H1", &[("新增城镇就业", value)]))
            .check_json(&["--tolerance", "0", "data"]);
        json
    };
    // 4000 × 182/366 = 1989.0710… (2023 would give 1983.56…): 1989.07 is just below it.
    let json = run_leap("1989.08");
    assert_eq!(verdict_of(&json, "新增城镇就业", "2024-H1"), "ahead");
    assert_eq!(json["results"][0]["expected"], "1,989.07 人");
    let json = run_leap("1989.07");
    assert_eq!(verdict_of(&json, "新增城镇就业", "2024-H1"), "behind");
    // Shown to two decimals the line would equal the figure it is above.
    assert_eq!(json["results"][0]["expected"], "1,989.071 人");
}

#[test]
fn relative_targets_need_last_year_or_the_other_metric() {
    let growth = |last: Option<&str>, now: &str| this_and_last_year("规上工业增加值", now, last);
    check_cases(vec![
        case(
            "growth 6%",
            growth(Some("\"100亿元\""), "\"106亿元\""),
            "规上工业增加值",
            "2023",
            "met",
        ),
        case(
            "growth exactly 5%",
            growth(Some("\"100亿元\""), "\"1,050,000万元\""),
            "规上工业增加值",
            "2023",
            "met",
        ),
        case(
            "growth 4%",
            growth(Some("\"100亿元\""), "\"104亿元\""),
            "规上工业增加值",
            "2023",
            "unmet",
        ),
        case(
            "no last year",
            growth(None, "\"106亿元\""),
            "规上工业增加值",
            "2023",
            "missing",
        ),
        case(
            "baseline in the plan",
            vec![dr("2023", &[("一般公共预算收入", "\"21亿元\"")])],
            "一般公共预算收入",
            "2023",
            "met",
        ),
        case(
            "narrower than last year",
            this_and_last_year("城乡居民收入比", "2.25", Some("2.3")),
            "城乡居民收入比",
            "2023",
            "met",
        ),
        case(
            "not narrower",
            this_and_last_year("城乡居民收入比", "2.3", Some("2.3")),
            "城乡居民收入比",
            "2023",
            "unmet",
        ),
        case(
            "up 2.5 points",
            this_and_last_year("优良天数比例", "82.5%", Some("80%")),
            "优良天数比例",
            "2023",
            "met",
        ),
        case(
            "up 4 points",
            this_and_last_year("优良天数比例", "84%", Some("80%")),
            "优良天数比例",
            "2023",
            "unmet",
        ),
        case(
            "above the other metric",
            vec![dr(
                "2023",
                &[("攀登企业贷款增幅", "12%"), ("制造业贷款增幅", "10%")],
            )],
            "攀登企业贷款增幅",
            "2023",
            "met",
        ),
        case(
            "below the other metric",
            vec![dr(
                "2023",
                &[("攀登企业贷款增幅", "9%"), ("制造业贷款增幅", "10%")],
            )],
            "攀登企业贷款增幅",
            "2023",
            "unmet",
        ),
        case(
            "other metric missing",
            vec![dr("2023", &[("攀登企业贷款增幅", "12%")])],
            "攀登企业贷款增幅",
            "2023",
            "missing",
        ),
        case(
            "mid-year growth against last year's first half",
            vec![
                dr("2023-H1", &[("规上工业增加值", "\"53亿元\"")]),
                dr("2022-H1", &[("规上工业增加值", "\"50亿元\"")]),
            ],
            "规上工业增加值",
            "2023-H1",
            "met",
        ),
    ]);
}

#[test]
fn growth_reports_the_reference_and_the_growth() {
    let json = run(
        &this_and_last_year("规上工业增加值", "\"104亿元\"", Some("\"100亿元\"")),
        &[],
    );
    let result = result(&json, "规上工业增加值");
    assert_eq!(
        (&result["reference"], &result["derived"]),
        (&"100 亿元".into(), &"4%".into())
    );
    assert_eq!(result["code"], "plancheck::check::unmet");
}

#[test]
fn conflicting_figures_for_last_year_are_no_reference_in_any_file_order() {
    let now = dr("2023", &[("规上工业增加值", "\"104亿元\"")]);
    let last = [
        dr("2022", &[("规上工业增加值", "\"100亿元\"")]),
        dr("2022", &[("规上工业增加值", "\"90亿元\"")]),
    ];
    for files in [
        vec![now.clone(), last[0].clone(), last[1].clone()],
        vec![now.clone(), last[1].clone(), last[0].clone()],
    ] {
        let json = run(&files, &[]);
        let result = result(&json, "规上工业增加值");
        assert_eq!(
            (&result["verdict"], &result["code"], &result["reference"]),
            (
                &"missing".into(),
                &"plancheck::check::no-reference".into(),
                &serde_json::Value::Null
            )
        );
    }
}

#[test]
fn summed_parts_add_up_and_are_shown() {
    let files = vec![
        submission("甲镇", "2023", &[("新增镇街就业", "600")]),
        submission("乙镇", "2023", &[("新增镇街就业", "\"500人\"")]),
    ];
    let json = run(&files, &[]);
    let result = result(&json, "新增镇街就业");
    assert_eq!(
        (&result["verdict"], &result["compared"]),
        (&"met".into(), &"1,100 人".into())
    );
    let parts: Vec<(&str, &str)> = result["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["reporter"].as_str().unwrap(),
                p["actual"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(parts, [("甲镇", "600"), ("乙镇", "500 人")]);
}

#[test]
fn an_unreadable_part_of_a_summed_figure_is_told_against_its_own_reporter() {
    let files = vec![
        submission("甲镇", "2023", &[("新增镇街就业", "600")]),
        submission("乙镇", "2023", &[("新增镇街就业", "\"1e30人\"")]),
    ];
    let json = run(&files, &[]);
    let result = result(&json, "新增镇街就业");
    assert_eq!(result["verdict"], "invalid");
    assert_eq!(
        result["message"],
        "新增镇街就业 的数值无效：乙镇 2023 报送“1e30人”，数值位数过多，无法精确表示"
    );
}

#[test]
fn as_of_leaves_later_periods_unchecked_and_says_so() {
    let files = vec![
        hr("2023-H1", &[("新增城镇就业", "2000")]),
        hr("2023-Q3", &[("新增城镇就业", "3000")]),
    ];
    let json = run(&files, &["--as-of", "2023-06-30"]);
    assert_eq!(json["summary"]["as_of"], "2023-06-30");
    let periods: Vec<&str> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["metric"] == "新增城镇就业")
        .map(|r| r["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2023-H1"]);
    assert_eq!(codes(&json), ["plancheck::check::after-as-of"]);
    // By default the evaluation date is the end of the latest period in the data.
    let json = run(&files, &[]);
    assert_eq!(json["summary"]["as_of"], "2023-09-30");
}

#[test]
fn last_years_figures_no_rule_needs_are_reported() {
    let files = vec![
        hr("2023", &[("新增城镇就业", "4100")]),
        hr("2022", &[("新增城镇就业", "3900")]),
    ];
    let json = run(&files, &[]);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "plancheck::check::outside-period");
    assert_eq!(
        diagnostics[0]["message"],
        "期间 2022 不在计划期 2023 内：1 个数值未作为上年基数使用，未检查"
    );
}

#[test]
fn only_behind_overdue_unmet_missing_and_invalid_fail_the_run() {
    let run_h1 = |jobs: &str| task_one_h1(jobs).check_json(&["data"]);
    let (status, json) = run_h1("2100");
    let kinds: Vec<String> = verdicts(&json).into_iter().map(|(_, _, v)| v).collect();
    assert_eq!(kinds, ["ahead", "met", "met", "pending", "ahead"]);
    assert_eq!(status, 0);
    let (status, json) = run_h1("1800");
    assert_eq!(json["results"][0]["verdict"], "behind");
    assert_eq!(json["results"][0]["code"], "plancheck::check::behind");
    assert_eq!(status, 1);
}

#[test]
fn a_rule_nobody_reported_is_missing_in_the_current_period() {
    let json = run(&[hr("2023-H1", &[("新增城镇就业", "2000")])], &[]);
    assert_eq!(verdict_of(&json, "能耗增量", "2023-H1"), "missing");
}

#[test]
fn mid_year_human_report() {
    let files = [
        hr(
            "2023-H1",
            &[
                ("新增城镇就业", "1800"),
                ("城镇登记失业率", "2.8%"),
                ("完成公共实训基地建设", "false"),
                ("建成零工市场", "false"),
                ("新增技能人才", "450"),
            ],
        ),
        hr(
            "2023-Q1",
            &[("新增城镇就业", "900"), ("新增技能人才", "80")],
        ),
        dr(
            "2023-H1",
            &[
                ("能耗增量", "\"45万吨\""),
                ("规上工业增加值", "\"53亿元\""),
                ("城乡居民收入比", "2.2"),
                ("优良天数比例", "81%"),
                ("一般公共预算收入", "\"10.6亿元\""),
                ("攀登企业贷款增幅", "12%"),
                ("制造业贷款增幅", "10%"),
            ],
        ),
        dr(
            "2022-H1",
            &[
                ("规上工业增加值", "\"50亿元\""),
                ("城乡居民收入比", "2.25"),
                ("优良天数比例", "80%"),
            ],
        ),
        submission("甲镇", "2023-H1", &[("新增镇街就业", "300")]),
        submission("乙镇", "2023-H1", &[("新增镇街就业", "250")]),
    ];
    let output = with_files(&files).check(&["data"]);
    insta::assert_snapshot!(format!(
        "exit code: {}\n{}{}",
        output.status, output.stdout, output.stderr
    ));
}

#[test]
fn junit_skips_a_pending_milestone_and_fails_a_behind_figure() {
    let output = task_one_h1("1800")
        .args(&["check", "--format", "junit", "data"])
        .run();
    assert_eq!(output.status, 1);
    let xml = &output.stdout;
    assert_eq!(
        suite_counts(xml),
        suites([("任务1 稳就业", "5", "1", "0", "1")])
    );
    // The pending milestone is the one skipped case, the behind figure the one failure.
    assert_eq!(
        xml.matches(
            "<testcase classname=\"任务1 稳就业\" name=\"建成零工市场 2023-H1\" time=\"0\">\n      \
             <skipped message=\"待完成：截止 2023-12-31\"/>"
        )
        .count(),
        1,
        "{xml}"
    );
    assert_eq!(xml.matches("<skipped ").count(), 1, "{xml}");
    assert_eq!(
        xml.matches(
            "<testcase classname=\"任务1 稳就业\" name=\"新增城镇就业 2023-H1\" time=\"0\">\n      \
             <failure message=\"新增城镇就业 进度滞后：区人力资源社会保障局 2023-H1 报送 1,800，\
             按序时应达 1,983.56 人（全年目标 &gt;= 4,000 人）\" type=\"behind\">"
        )
        .count(),
        1,
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
}
