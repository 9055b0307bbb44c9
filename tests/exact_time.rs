//! Time verdicts exact to the last digit, and as of the date asked.
//!
//! Each boundary case is a one-rule plan and one figure, so the exit code is the verdict's
//! own: 0 for met, ahead and on track, 1 for behind and unmet. The plan's period is 2023; Q1
//! is 90 of its 365 days.

use crate::support::{codes, submission, verdicts, Test};

const REPORTER: &str = "区统计局";

fn plan(rules: &str) -> String {
    format!(
        "plan \"边界测试计划\" {{\n    period 2023\n}}\n\ntask 1 \"边界\" {{\n    lead {REPORTER}\n{rules}}}\n"
    )
}

fn statistics(period: &str, figures: &[(&str, &str)]) -> String {
    submission(REPORTER, period, figures)
}

/// The files of a run: `rules/plan.plan` and `data/NN.yaml`.
fn files(plan_text: &str, data: &[String]) -> Test {
    let mut test = Test::empty().file("rules/plan.plan", plan_text);
    for (i, file) in data.iter().enumerate() {
        test = test.file(&format!("data/{i:02}.yaml"), file);
    }
    test
}

struct Boundary {
    rule: &'static str,
    /// `None` for no `--tolerance` (the plan states none: 0).
    tolerance: Option<&'static str>,
    value: &'static str,
    /// Last year's figure, for a relative target.
    last_year: Option<&'static str>,
    verdict: &'static str,
}

const fn at(
    rule: &'static str,
    tolerance: Option<&'static str>,
    value: &'static str,
    verdict: &'static str,
) -> Boundary {
    Boundary {
        rule,
        tolerance,
        value,
        last_year: None,
        verdict,
    }
}

// Q1 lines that are exact: 36.5亿元 × 90/365 = 9亿元, 365万人次 × 90/365 = 90万人次,
// 73% × 90/365 = 18%. With 5%, the band runs from 95% to 105% of the line.
const YUAN: &str = "旅游收入 >= 36.5 亿元 kind cumulative";
const VISITS: &str = "接待游客人次 >= 365 万人次";
const SHARE: &str = "完成投资比例 >= 73% kind cumulative";
const SCHEDULED: &str = "招商引资 >= 36 亿元 kind cumulative schedule 2023-Q1 25%";
const FIVE: Option<&str> = Some("5%");
const ZERO: Option<&str> = Some("0%");

const BOUNDARIES: &[Boundary] = &[
    // 亿元: one unit of the last digit is 0.00000001亿元, one 元.
    at(YUAN, ZERO, "\"9亿元\"", "on_track"),
    at(YUAN, ZERO, "\"9.00000001亿元\"", "ahead"),
    at(YUAN, ZERO, "\"8.99999999亿元\"", "behind"),
    at(YUAN, ZERO, "\"90000万元\"", "on_track"),
    at(YUAN, ZERO, "\"89999.9999万元\"", "behind"),
    at(YUAN, ZERO, "\"900000001元\"", "ahead"),
    at(YUAN, FIVE, "\"8.55亿元\"", "on_track"),
    at(YUAN, FIVE, "\"8.54999999亿元\"", "behind"),
    at(YUAN, FIVE, "\"9.45亿元\"", "on_track"),
    at(YUAN, FIVE, "\"9.45000001亿元\"", "ahead"),
    // 万人次: one unit of the last digit is 0.0001万人次, one visit.
    at(VISITS, ZERO, "90", "on_track"),
    at(VISITS, ZERO, "90.0001", "ahead"),
    at(VISITS, ZERO, "89.9999", "behind"),
    at(VISITS, ZERO, "\"899999人次\"", "behind"),
    at(VISITS, FIVE, "85.5", "on_track"),
    at(VISITS, FIVE, "85.4999", "behind"),
    at(VISITS, FIVE, "94.5", "on_track"),
    at(VISITS, FIVE, "94.5001", "ahead"),
    // The line 360 × 90/365 = 88.767123… lies between two figures of three decimals: one
    // rounded to two decimals (88.77) would call the first behind.
    at("接待游客 > 360 万人次", ZERO, "88.768", "ahead"),
    at("接待游客 > 360 万人次", ZERO, "88.767", "behind"),
    // %: one unit of the last digit is 0.0001%.
    at(SHARE, ZERO, "18%", "on_track"),
    at(SHARE, ZERO, "\"18.0001%\"", "ahead"),
    at(SHARE, ZERO, "\"17.9999%\"", "behind"),
    at(SHARE, FIVE, "\"17.1%\"", "on_track"),
    at(SHARE, FIVE, "\"17.0999%\"", "behind"),
    at(SHARE, FIVE, "\"18.9%\"", "on_track"),
    at(SHARE, FIVE, "\"18.9001%\"", "ahead"),
    // A ceiling: below the band is ahead, above it behind.
    at(
        "能耗增量 <= 36.5 万吨 kind cumulative",
        FIVE,
        "\"9.45万吨\"",
        "on_track",
    ),
    at(
        "能耗增量 <= 36.5 万吨 kind cumulative",
        FIVE,
        "\"9.4501万吨\"",
        "behind",
    ),
    at(
        "能耗增量 <= 36.5 万吨 kind cumulative",
        FIVE,
        "\"8.55万吨\"",
        "on_track",
    ),
    at(
        "能耗增量 <= 36.5 万吨 kind cumulative",
        FIVE,
        "\"8.5499万吨\"",
        "ahead",
    ),
    // The plan's schedule: 25% by Q1 of 36亿元 is 9亿元.
    at(SCHEDULED, ZERO, "\"9亿元\"", "on_track"),
    at(SCHEDULED, ZERO, "\"8.99999999亿元\"", "behind"),
];

/// Growth in %, against last year's 80亿元 (Q1 to Q1): 5% is exactly 84亿元.
const GROWTH: &[Boundary] = &[
    Boundary {
        rule: "规上工业增加值 growth >= 5%",
        tolerance: None,
        value: "\"84亿元\"",
        last_year: Some("\"80亿元\""),
        verdict: "met",
    },
    Boundary {
        rule: "规上工业增加值 growth >= 5%",
        tolerance: None,
        value: "\"83.99999999亿元\"",
        last_year: Some("\"80亿元\""),
        verdict: "unmet",
    },
    // 104.999996 over 100 is 4.99996%, which rounded to four decimals would be 5%.
    Boundary {
        rule: "规上工业增加值 growth >= 5%",
        tolerance: None,
        value: "\"104.99996亿元\"",
        last_year: Some("\"100亿元\""),
        verdict: "unmet",
    },
    Boundary {
        rule: "规上工业增加值 growth >= 5%",
        tolerance: None,
        value: "\"105.00001亿元\"",
        last_year: Some("\"100亿元\""),
        verdict: "met",
    },
    Boundary {
        rule: "规上工业增加值 growth > 5%",
        tolerance: None,
        value: "\"1,050,000万元\"",
        last_year: Some("\"100亿元\""),
        verdict: "unmet",
    },
    // Over a negative base the growth (v − r) / r has the other sign of the difference:
    // −1.05 over −1 is 5%, and comparing it by cross-multiplying must turn the sign round.
    Boundary {
        rule: "利润总额 growth >= 5%",
        tolerance: None,
        value: "\"-1.05亿元\"",
        last_year: Some("\"-1亿元\""),
        verdict: "met",
    },
    Boundary {
        rule: "利润总额 growth >= 5%",
        tolerance: None,
        value: "\"-1.04999999亿元\"",
        last_year: Some("\"-1亿元\""),
        verdict: "unmet",
    },
];

fn check_boundaries(cases: &[Boundary], period: &str, last_period: &str) {
    let mut failures = Vec::new();
    for case in cases {
        let metric = case.rule.split(' ').next().unwrap();
        let mut data = vec![statistics(period, &[(metric, case.value)])];
        if let Some(last) = case.last_year {
            data.push(statistics(last_period, &[(metric, last)]));
        }
        let mut args = Vec::new();
        if let Some(tolerance) = case.tolerance {
            args.extend(["--tolerance", tolerance]);
        }
        args.push("data");
        let (status, json) = files(&plan(&format!("    {}\n", case.rule)), &data).check_json(&args);
        let got = verdicts(&json);
        let expected_status = i32::from(matches!(case.verdict, "behind" | "unmet"));
        let expected = vec![(
            metric.to_owned(),
            period.to_owned(),
            case.verdict.to_owned(),
        )];
        if (status, &got) != (expected_status, &expected) {
            failures.push(format!(
                "{} {:?} {}: exit {status}, {got:?}",
                case.rule, case.tolerance, case.value
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_pro_rata_line_and_its_band_are_exact_to_the_last_digit() {
    check_boundaries(BOUNDARIES, "2023-Q1", "2022-Q1");
}

#[test]
fn growth_is_compared_exactly() {
    check_boundaries(GROWTH, "2023", "2022");
}

#[test]
fn reports_round_the_line_and_the_growth_but_never_across_the_figure() {
    let run = |rule: &str, data: &[String]| {
        let (_, json) =
            files(&plan(&format!("    {rule}\n")), data).check_json(&["--tolerance", "0%", "data"]);
        json
    };
    let json = run(
        "接待游客 > 360 万人次",
        &[statistics("2023-Q1", &[("接待游客", "88.768")])],
    );
    let result = &json["results"][0];
    // 88.77 would be above the figure it is behind of.
    assert_eq!(
        (&result["verdict"], &result["expected"]),
        (&"ahead".into(), &"88.767 万人次".into())
    );
    let json = run(
        "接待游客 > 360 万人次",
        &[statistics("2023-Q1", &[("接待游客", "80")])],
    );
    assert_eq!(json["results"][0]["expected"], "88.77 万人次");
    let json = run(
        "规上工业增加值 growth >= 5%",
        &[
            statistics("2023", &[("规上工业增加值", "\"104.99996亿元\"")]),
            statistics("2022", &[("规上工业增加值", "\"100亿元\"")]),
        ],
    );
    assert_eq!(json["results"][0]["derived"], "4.99996%");
    assert_eq!(
        json["results"][0]["message"],
        "规上工业增加值 未达标：区统计局 2023 报送 104.99996 亿元，上年 100 亿元，增长 4.99996%，目标 growth >= 5%"
    );
}

const TIMED: &str = "    新增城镇就业 >= 4000 人\n    done 完成公共实训基地建设 due 2023-06-30\n";

/// The plan of the as-of cases: 区统计局 answers for task 1, 区人社局 for task 2, and 区文旅局
/// for task 3, which nobody reports.
fn as_of_plan() -> String {
    format!(
        "{}\ntask 2 \"人社\" {{\n    lead 区人社局\n    新增技能人才 >= 1000 人\n}}\n\ntask 3 \"文旅\" {{\n    lead 区文旅局\n    接待游客 >= 360 万人次\n}}\n",
        plan(TIMED)
    )
}

fn as_of(data: &[String], args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = args.to_vec();
    all.push("data");
    files(&as_of_plan(), data).check_json(&all)
}

fn triples(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(m, p, v)| ((*m).to_owned(), (*p).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn as_of_before_all_the_data_expects_nothing_yet() {
    let data = [
        statistics(
            "2023-H1",
            &[("新增城镇就业", "2000"), ("完成公共实训基地建设", "done")],
        ),
        submission("区人社局", "2023-H1", &[("新增技能人才", "500")]),
    ];
    for date in ["2023-03-31", "2022-12-31"] {
        let (status, json) = as_of(&data, &["--as-of", date]);
        assert_eq!(verdicts(&json), triples(&[]), "{date}");
        assert_eq!(codes(&json), ["plancheck::check::after-as-of"], "{date}");
        assert_eq!((status, &json["summary"]["as_of"]), (0, &date.into()));
    }
}

#[test]
fn a_period_is_due_on_its_last_day_and_not_the_day_before() {
    let data = [statistics(
        "2023-Q1",
        &[("新增城镇就业", "1000"), ("完成公共实训基地建设", "done")],
    )];
    let (status, json) = as_of(&data, &["--as-of", "2023-03-30"]);
    assert_eq!((status, verdicts(&json)), (0, triples(&[])));
    let (status, json) = as_of(&data, &["--as-of", "2023-03-31"]);
    assert_eq!(
        (status, verdicts(&json)),
        (
            1,
            triples(&[
                ("新增城镇就业", "2023-Q1", "ahead"),
                ("完成公共实训基地建设", "2023-Q1", "met"),
                ("新增技能人才", "2023-Q1", "missing"),
                ("接待游客", "2023-Q1", "missing"),
            ])
        )
    );
}

#[test]
fn as_of_between_periods_checks_what_was_due_and_no_more() {
    let data = [
        statistics(
            "2023-Q1",
            &[("新增城镇就业", "1000"), ("完成公共实训基地建设", "false")],
        ),
        statistics(
            "2023-H1",
            &[("新增城镇就业", "2000"), ("完成公共实训基地建设", "done")],
        ),
        // Only a first half from 区人社局: nothing of it is due in Q1.
        submission("区人社局", "2023-H1", &[("新增技能人才", "500")]),
    ];
    let (status, json) = as_of(&data, &["--as-of", "2023-05-15"]);
    assert_eq!(
        verdicts(&json),
        triples(&[
            ("新增城镇就业", "2023-Q1", "ahead"),
            ("完成公共实训基地建设", "2023-Q1", "pending"),
            // Nobody reported it at all: missing in the latest period checked.
            ("接待游客", "2023-Q1", "missing"),
        ])
    );
    assert_eq!(codes(&json), ["plancheck::check::after-as-of"]);
    assert_eq!(status, 1);
    // Without --as-of the same files are judged in the first half, and 区人社局 only there.
    let (_, json) = as_of(&data, &[]);
    assert_eq!(
        verdicts(&json),
        triples(&[
            ("新增城镇就业", "2023-Q1", "ahead"),
            ("新增城镇就业", "2023-H1", "ahead"),
            ("完成公共实训基地建设", "2023-Q1", "pending"),
            ("完成公共实训基地建设", "2023-H1", "met"),
            ("新增技能人才", "2023-H1", "ahead"),
            ("接待游客", "2023-H1", "missing"),
        ])
    );
}

#[test]
fn a_milestone_is_judged_as_of_the_evaluation_date() {
    let q1 = |done: &str| vec![statistics("2023-Q1", &[("完成公共实训基地建设", done)])];
    let mut failures = Vec::new();
    for (done, args, verdict) in [
        ("false", &[][..], "pending"),
        ("false", &["--as-of", "2023-06-29"][..], "pending"),
        // Due 2023-06-30: on the day, and after it, nothing says it was done in time.
        ("false", &["--as-of", "2023-06-30"][..], "overdue"),
        ("false", &["--as-of", "2023-07-31"][..], "overdue"),
        ("false", &["--as-of", "2023-12-31"][..], "unmet"),
        ("done", &["--as-of", "2023-07-31"][..], "met"),
    ] {
        let (_, json) = as_of(&q1(done), args);
        let got = verdicts(&json)
            .into_iter()
            .find(|(metric, _, _)| metric == "完成公共实训基地建设");
        let expected = Some((
            "完成公共实训基地建设".to_owned(),
            "2023-Q1".to_owned(),
            verdict.to_owned(),
        ));
        if got != expected {
            failures.push(format!("{done} {args:?}: {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // A later report speaks for the milestone from its own period on; the earlier one keeps
    // the verdict of its time.
    let data = [
        statistics("2023-Q1", &[("完成公共实训基地建设", "false")]),
        statistics("2023-Q3", &[("完成公共实训基地建设", "false")]),
    ];
    let (_, json) = as_of(&data, &["--as-of", "2023-10-31"]);
    let milestone: Vec<_> = verdicts(&json)
        .into_iter()
        .filter(|(metric, _, _)| metric == "完成公共实训基地建设")
        .collect();
    assert_eq!(
        milestone,
        triples(&[
            ("完成公共实训基地建设", "2023-Q1", "pending"),
            ("完成公共实训基地建设", "2023-Q3", "overdue"),
        ])
    );
}

#[test]
fn the_plans_baseline_wins_over_last_years_submission() {
    let rule = "    一般公共预算收入 growth >= 5% baseline 20 亿元\n";
    let run = |last_year: &str| {
        files(
            &plan(rule),
            &[
                statistics("2023", &[("一般公共预算收入", "\"21亿元\"")]),
                statistics("2022", &[("一般公共预算收入", last_year)]),
            ],
        )
        .check_json(&["data"])
    };
    // Against 22亿元 the growth would be negative: the baseline's 5% is what counts.
    let (status, json) = run("\"22亿元\"");
    let result = &json["results"][0];
    assert_eq!(
        (&result["verdict"], &result["reference"], &result["derived"]),
        (&"met".into(), &"20 亿元".into(), &"5%".into())
    );
    assert_eq!(codes(&json), ["plancheck::check::baseline-differs"]);
    let warning = &json["diagnostics"][0];
    assert_eq!(
        warning["message"],
        "一般公共预算收入 的上年数值不一致：计划中的 baseline 为 20 亿元，区统计局在 2022 报送 22 亿元；2023 按 baseline 判定"
    );
    let places: Vec<(&str, u64)> = warning["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["file"].as_str().unwrap(), l["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [("data/01.yaml", 4), ("rules/plan.plan", 7)]);
    assert_eq!(status, 0);
    // The same amount in other units agrees, and last year's figure counts as used.
    let (status, json) = run("\"200000万元\"");
    assert_eq!(codes(&json), Vec::<String>::new());
    assert_eq!((status, &json["results"][0]["verdict"]), (0, &"met".into()));
}

#[test]
fn a_year_to_date_figure_that_falls_is_pointed_out_with_the_earlier_one() {
    let run = |april: &str| {
        files(
            &plan(TIMED),
            &[
                statistics("2023-Q1", &[("新增城镇就业", "1000")]),
                statistics("2023-04", &[("新增城镇就业", april)]),
            ],
        )
        .check_json(&["data"])
    };
    let (_, json) = run("950");
    assert_eq!(codes(&json), ["plancheck::check::falling-year-to-date"]);
    let warning = &json["diagnostics"][0];
    assert_eq!(
        (&warning["severity"], &warning["message"]),
        (
            &"warning".into(),
            &"新增城镇就业 的累计数值下降：2023-Q1 1,000，2023-04 950".into()
        )
    );
    let places: Vec<(&str, &str)> = warning["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["file"].as_str().unwrap(), l["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        places,
        [
            ("data/01.yaml", "2023-04 950，低于此前"),
            ("data/00.yaml", "2023-Q1 1,000")
        ]
    );
    let (_, json) = run("1000");
    assert_eq!(codes(&json), Vec::<String>::new());
}
