//! Hostile content: one table of attacks on what files say (names, values, reporters, rule
//! text) and on the reports plancheck writes from them. Each case writes its files in a
//! fresh directory, runs the real binary and asserts the exit code, the diagnostic codes of
//! the JSON report, where the first diagnostic of a code points, and text that must or must
//! not appear in the output.

use std::path::Path;
use std::process::Command;

/// One attack.
struct Case {
    name: &'static str,
    /// (path, content) of each file to write.
    files: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    /// An environment variable to set, e.g. to force a panic.
    env: Option<(&'static str, &'static str)>,
    exit: i32,
    /// With `--format json`: the codes of every diagnostic and result, sorted.
    codes: &'static [&'static str],
    /// With `--format json`: (code, file, line, column) of the first diagnostic of `code`.
    place: Option<(&'static str, &'static str, u64, u64)>,
    /// Text that stdout and stderr together must contain…
    contains: &'static [&'static str],
    /// …and must not.
    absent: &'static [&'static str],
}

const BASE: Case = Case {
    name: "",
    files: &[],
    args: &[],
    env: None,
    exit: 0,
    codes: &[],
    place: None,
    contains: &[],
    absent: &[],
};

/// A small plan: one count and one share.
const PLAN: &str = r#"plan "安全测试计划" {
    period 2023
}
task 1 "安全生产" {
    lead 区应急管理局
    安全事故 <= 3 次
    受污染耕地安全利用率 >= 91%
}
"#;

/// 区应急管理局 meets both targets.
const MET: &str = "reporter: 区应急管理局\nperiod: \"2023\"\nfigures:\n  安全事故: 1\n  受污染耕地安全利用率: 95%\n";

const JSON: &[&str] = &["check", "--rules", "rules", "--format", "json", "data"];
const HUMAN: &[&str] = &[
    "check", "--rules", "rules", "--color", "never", "--width", "100", "data",
];

/// A line GitHub Actions would run as a workflow command.
const FORGED: &str = "\n::warning::forged";

fn cases() -> Vec<Case> {
    vec![
        // --- The human report: no panic, bounded, linear -------------------------------
        Case {
            name: "label_past_column_65535_in_a_one_line_json_submission",
            files: &[("rules/p.plan", PLAN)],
            args: HUMAN,
            exit: 1,
            contains: &["data/long.json:1:93863", "…", "安全事故 未达标：区应急管理局 2023 报送 9"],
            absent: &["panicked"],
            ..BASE
        },
        Case {
            name: "label_past_column_65535_in_a_long_rule_line",
            files: &[("rules/p.plan", "<long rule>"), ("data/a.yaml", MET)],
            args: HUMAN,
            exit: 1,
            contains: &["rules/p.plan:6:70008", "未报送", "…"],
            absent: &["panicked"],
            ..BASE
        },
        Case {
            name: "coverage_of_a_rule_line_past_column_65535",
            files: &[("rules/p.plan", "<long uncited rule>"), ("rules/source.txt", "安全事故不超过3次。\n")],
            args: &["coverage", "--rules", "rules", "--color", "never"],
            exit: 1,
            contains: &["rules/p.plan:8:5", "没有 from 引文", "…"],
            absent: &["panicked"],
            ..BASE
        },
        Case {
            name: "a_flood_of_unknown_metrics_shows_twenty_then_a_count",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<25 unknown>")],
            args: HUMAN,
            exit: 0,
            contains: &[
                "…另有 5 项 plancheck::check::unknown-metric 未显示（共 25 项）；用 --max-per-code 0 显示全部",
                "未知指标“未知指标19”",
            ],
            absent: &["未知指标“未知指标20”"],
            ..BASE
        },
        Case {
            name: "max_per_code_zero_shows_every_diagnostic",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<25 unknown>")],
            args: &[
                "check", "--rules", "rules", "--color", "never", "--max-per-code", "0", "data",
            ],
            exit: 0,
            contains: &["未知指标“未知指标24”"],
            absent: &["另有"],
            ..BASE
        },
        Case {
            name: "max_per_code_cuts_each_code_on_its_own",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<25 unknown>")],
            args: &[
                "check", "--rules", "rules", "--color", "never", "--max-per-code", "3", "data",
            ],
            exit: 0,
            contains: &["…另有 22 项 plancheck::check::unknown-metric 未显示（共 25 项）"],
            absent: &["未知指标“未知指标3”"],
            ..BASE
        },
        Case {
            name: "machine_formats_are_never_cut",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<25 unknown>")],
            args: JSON,
            exit: 0,
            codes: &["plancheck::check::unknown-metric"; 25],
            ..BASE
        },
        // --- A panic is a finding, never exit 101 with nothing written ---------------------
        Case {
            name: "panic_while_checking_is_an_internal_finding",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", MET)],
            args: JSON,
            env: Some(("PLANCHECK_TEST_PANIC", "check")),
            exit: 2,
            codes: &["plancheck::internal"],
            contains: &["检查时发生内部错误：PLANCHECK_TEST_PANIC=check", "反馈"],
            ..BASE
        },
        Case {
            name: "panic_while_rendering_still_prints_the_findings",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<negative>")],
            args: HUMAN,
            env: Some(("PLANCHECK_TEST_PANIC", "report")),
            exit: 2,
            contains: &[
                "error[plancheck::internal]: 生成 human 报告时发生内部错误",
                "plancheck::check::invalid-value: 安全事故 的数值无效",
            ],
            ..BASE
        },
        Case {
            name: "panic_while_writing_a_report_file_keeps_the_terminal_report",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", MET)],
            args: &[
                "check", "--rules", "rules", "--format", "json", "--report", "sarif=out.sarif",
                "data",
            ],
            env: Some(("PLANCHECK_TEST_PANIC", "report")),
            exit: 2,
            contains: &["生成 sarif 报告时发生内部错误", "生成 json 报告时发生内部错误"],
            ..BASE
        },
        // --- Escaping: forged commands, HTML, terminal escapes, bidi ----------------------
        Case {
            name: "newline_in_a_file_name_forges_no_command_in_the_human_report",
            files: &[("rules/p.plan", PLAN), ("data/x<FORGED>.yaml", "<unmet>")],
            args: HUMAN,
            exit: 1,
            contains: &["data/x\\u{a}::warning::forged.yaml:4:9"],
            absent: &[FORGED],
            ..BASE
        },
        Case {
            name: "newline_in_a_file_name_forges_no_command_in_markdown",
            files: &[("rules/p.plan", PLAN), ("data/x<FORGED>.yaml", "<unmet>")],
            args: &["check", "--rules", "rules", "--format", "markdown", "data"],
            exit: 1,
            contains: &["`data/x\\u{a}::warning::forged.yaml:4`"],
            absent: &[FORGED],
            ..BASE
        },
        Case {
            name: "newline_in_a_file_name_forges_no_command_in_junit",
            files: &[("rules/p.plan", PLAN), ("data/x<FORGED>.yaml", "<unmet>")],
            args: &["check", "--rules", "rules", "--format", "junit", "data"],
            exit: 1,
            contains: &["填报位置：data/x\\u{a}::warning::forged.yaml:4:9"],
            absent: &[FORGED],
            ..BASE
        },
        Case {
            name: "newline_in_a_file_name_forges_no_command_in_github_annotations",
            files: &[("rules/p.plan", PLAN), ("data/x<FORGED>.yaml", "<unmet>")],
            args: &["check", "--rules", "rules", "--format", "github", "data"],
            exit: 1,
            contains: &["file=data/x%0A%3A%3Awarning%3A%3Aforged.yaml"],
            absent: &[FORGED],
            ..BASE
        },
        Case {
            name: "newline_in_a_file_name_is_an_escape_in_json",
            files: &[("rules/p.plan", PLAN), ("data/x<FORGED>.yaml", "<unmet>")],
            args: JSON,
            exit: 1,
            codes: &["plancheck::check::unmet"],
            contains: &[r#""file": "data/x\n::warning::forged.yaml""#],
            absent: &[FORGED],
            ..BASE
        },
        Case {
            name: "html_in_a_metric_name_is_text_in_markdown",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<html>")],
            args: &["check", "--rules", "rules", "--format", "markdown", "data"],
            exit: 0,
            contains: &["未知指标“&lt;img src=x onerror=alert(1)&gt;”"],
            absent: &["<img"],
            ..BASE
        },
        Case {
            name: "terminal_escape_in_a_metric_name_is_shown_not_obeyed",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<escape>")],
            args: HUMAN,
            exit: 0,
            contains: &["未知指标“\\u{1b}[2J\\u{1b}[31m红”"],
            absent: &["\u{1b}"],
            ..BASE
        },
        Case {
            name: "raw_terminal_escape_in_a_csv_cell_is_shown_in_the_snippet",
            files: &[("rules/p.plan", PLAN), ("data/a.csv", "<csv escape>")],
            args: HUMAN,
            exit: 0,
            contains: &[
                "data/a.csv:4:13",
                "区应急管理局,2023,\\u{1b}]0;pwned\\u{7}\\u{1b}[2J,1",
            ],
            absent: &["\u{1b}", "\u{7}"],
            ..BASE
        },
        Case {
            name: "raw_bidi_override_in_a_csv_cell_is_shown_in_every_format",
            files: &[("rules/p.plan", PLAN), ("data/a.csv", "<csv bidi>")],
            args: &["check", "--rules", "rules", "--format", "markdown", "data"],
            exit: 0,
            contains: &[r"未知指标“\\u{202e}gnp.exe”"],
            absent: &["\u{202e}"],
            ..BASE
        },
        Case {
            name: "bidi_override_in_a_value_is_shown_not_obeyed",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<bidi>")],
            args: HUMAN,
            exit: 1,
            contains: &["“\\u{202e}001”", "\\u{2066}"],
            absent: &["\u{202e}", "\u{2066}"],
            ..BASE
        },
        Case {
            name: "bidi_override_is_a_json_escape_in_the_json_report",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<bidi>")],
            args: JSON,
            exit: 1,
            codes: &["plancheck::check::invalid-value", "plancheck::check::unknown-metric"],
            contains: &[r"\u202e001", r"\u2066"],
            absent: &["\u{202e}", "\u{2066}"],
            ..BASE
        },
        Case {
            name: "bidi_override_is_a_json_escape_in_sarif",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<bidi>")],
            args: &["check", "--rules", "rules", "--format", "sarif", "data"],
            exit: 1,
            contains: &[r"\u202e001"],
            absent: &["\u{202e}", "\u{2066}"],
            ..BASE
        },
        Case {
            name: "c1_control_in_a_value_is_shown_in_junit",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<c1>")],
            args: &["check", "--rules", "rules", "--format", "junit", "data"],
            exit: 1,
            contains: &["\\u{9b}2J"],
            absent: &["\u{9b}"],
            ..BASE
        },
        // --- Unknown reporters -----------------------------------------------------------
        Case {
            name: "a_reporter_that_leads_no_task_is_broken_input_with_a_did_you_mean",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<typo reporter>")],
            args: JSON,
            exit: 2,
            codes: &[
                "plancheck::check::missing",
                "plancheck::check::missing",
                "plancheck::check::unknown-reporter",
            ],
            place: Some(("plancheck::check::unknown-reporter", "data/a.yaml", 1, 11)),
            contains: &[
                "报送单位“区应急管理”不是计划中的牵头单位或报送单位：这份填报的 2 个数值未被检查",
                "是否应为“区应急管理局”？",
            ],
            absent: &[r#""verdict": "met""#],
            ..BASE
        },
        Case {
            name: "a_lone_zero_width_space_as_reporter_is_broken_input",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<zwsp reporter>")],
            args: JSON,
            exit: 2,
            codes: &[
                "plancheck::check::missing",
                "plancheck::check::missing",
                "plancheck::check::unknown-reporter",
            ],
            contains: &["报送单位为空或只有不可见字符"],
            absent: &[r#""verdict": "met""#],
            ..BASE
        },
        Case {
            name: "a_blank_reporter_is_broken_input",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<blank reporter>")],
            args: JSON,
            exit: 2,
            codes: &[
                "plancheck::check::missing",
                "plancheck::check::missing",
                "plancheck::load::shape",
            ],
            absent: &[r#""verdict": "met""#],
            ..BASE
        },
        // --- Blank metric names and reasons ----------------------------------------------
        Case {
            name: "an_empty_metric_name_in_a_rule_is_a_rules_error",
            files: &[("rules/p.plan", "<metric \"\">"), ("data/a.yaml", MET)],
            args: JSON,
            exit: 2,
            codes: &["plancheck::plan::blank"],
            place: Some(("plancheck::plan::blank", "rules/p.plan", 11, 5)),
            ..BASE
        },
        Case {
            name: "a_metric_name_of_spaces_is_a_rules_error",
            files: &[("rules/p.plan", "<metric \"   \">"), ("data/a.yaml", MET)],
            args: JSON,
            exit: 2,
            codes: &["plancheck::plan::blank"],
            place: Some(("plancheck::plan::blank", "rules/p.plan", 11, 5)),
            ..BASE
        },
        Case {
            name: "a_lone_zero_width_space_as_metric_name_is_a_rules_error",
            files: &[("rules/p.plan", "<metric zwsp>"), ("data/a.yaml", MET)],
            args: JSON,
            exit: 2,
            codes: &["plancheck::plan::blank"],
            place: Some(("plancheck::plan::blank", "rules/p.plan", 11, 5)),
            contains: &["指标名称为空或只有不可见字符"],
            ..BASE
        },
        Case {
            name: "a_blank_reason_for_allow_is_a_rules_error",
            files: &[("rules/p.plan", "<blank reason>"), ("data/a.yaml", MET)],
            args: JSON,
            exit: 2,
            codes: &["plancheck::plan::blank"],
            place: Some(("plancheck::plan::blank", "rules/p.plan", 6, 40)),
            contains: &["理由为空或只有不可见字符"],
            ..BASE
        },
        // --- Impossible figures ----------------------------------------------------------
        Case {
            name: "a_negative_count_does_not_meet_an_upper_bound",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<negative>")],
            args: JSON,
            exit: 1,
            codes: &["plancheck::check::invalid-value"],
            place: Some(("plancheck::check::invalid-value", "data/a.yaml", 4, 9)),
            contains: &["安全事故 的数值无效：区应急管理局 2023 报送“-5”，数量或比例不能为负数"],
            ..BASE
        },
        Case {
            name: "a_negative_count_says_how_to_declare_a_reason",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<negative>")],
            args: HUMAN,
            exit: 1,
            contains: &[
                "data/a.yaml:4:9",
                "若此指标确可为负，在规则后写 allow negative because \"原因\"",
            ],
            ..BASE
        },
        Case {
            name: "a_share_over_100_percent_says_how_to_declare_a_reason",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<150%>")],
            args: HUMAN,
            exit: 1,
            contains: &["若此比例确可超过 100%，在规则后写 allow over 100% because \"原因\""],
            ..BASE
        },
        Case {
            name: "a_negative_count_with_a_declared_reason_is_valid",
            files: &[("rules/p.plan", "<allow negative>"), ("data/a.yaml", "<negative>")],
            args: JSON,
            exit: 0,
            codes: &[],
            contains: &[r#""verdict": "met""#],
            ..BASE
        },
        Case {
            name: "a_target_below_zero_expects_negative_figures",
            files: &[("rules/p.plan", "<range below zero>"), ("data/a.yaml", "<negative>")],
            args: JSON,
            exit: 0,
            codes: &[],
            ..BASE
        },
        Case {
            name: "a_share_over_100_percent_does_not_meet_a_rate",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<150%>")],
            args: JSON,
            exit: 1,
            codes: &["plancheck::check::invalid-value"],
            place: Some(("plancheck::check::invalid-value", "data/a.yaml", 5, 15)),
            contains: &["比例不能超过 100%"],
            ..BASE
        },
        Case {
            name: "a_share_over_100_percent_with_a_declared_reason_is_valid",
            files: &[("rules/p.plan", "<allow over>"), ("data/a.yaml", "<150%>")],
            args: JSON,
            exit: 0,
            codes: &[],
            ..BASE
        },
        Case {
            name: "a_negative_share_does_not_meet_a_rate",
            files: &[("rules/p.plan", PLAN), ("data/a.yaml", "<-5%>")],
            args: JSON,
            exit: 1,
            codes: &["plancheck::check::invalid-value"],
            ..BASE
        },
        Case {
            name: "a_rate_of_change_may_be_negative",
            files: &[("rules/p.plan", "<growth rate>"), ("data/a.yaml", "<growth -2%>")],
            args: JSON,
            exit: 1,
            codes: &["plancheck::check::unmet"],
            ..BASE
        },
        // --- Deadlines outside the plan period -------------------------------------------
        Case {
            name: "a_due_before_the_plan_period_is_a_rules_error",
            files: &[("rules/p.plan", "<due 1999>"), ("data/a.yaml", MET)],
            args: JSON,
            exit: 2,
            codes: &["plancheck::plan::due-before-period"],
            place: Some(("plancheck::plan::due-before-period", "rules/p.plan", 6, 21)),
            contains: &["截止日期 1999-01-01 早于计划期 2023 的开始（2023-01-01）"],
            ..BASE
        },
        Case {
            name: "a_due_after_the_plan_period_is_a_warning",
            files: &[("rules/p.plan", "<due 2024>"), ("data/a.yaml", MET)],
            args: JSON,
            exit: 0,
            codes: &["plancheck::plan::due-after-period"],
            place: Some(("plancheck::plan::due-after-period", "rules/p.plan", 6, 21)),
            ..BASE
        },
    ]
}

/// The content of a file: a fixture name in angle brackets, or the text itself.
fn content(name: &str) -> String {
    let yaml = |reporter: &str, figures: &str| {
        format!("reporter: {reporter}\nperiod: \"2023\"\nfigures:\n{figures}")
    };
    let plan_with = |line: &str| PLAN.replace("    安全事故 <= 3 次\n", &format!("{line}\n"));
    match name {
        "<long rule>" => plan_with(&format!(
            "    \"{}\" >= 1 个\n    安全事故 <= 3 次",
            "甲".repeat(70_000)
        )),
        "<25 unknown>" => {
            let mut figures = String::from("  安全事故: 1\n  受污染耕地安全利用率: 95%\n");
            for i in 0..25 {
                figures.push_str(&format!("  未知指标{i}: {i}\n"));
            }
            yaml("区应急管理局", &figures)
        }
        "<negative>" => yaml(
            "区应急管理局",
            "  安全事故: -5\n  受污染耕地安全利用率: 95%\n",
        ),
        "<unmet>" => yaml(
            "区应急管理局",
            "  安全事故: 9\n  受污染耕地安全利用率: 95%\n",
        ),
        "<csv escape>" => "reporter,period,metric,value\n区应急管理局,2023,安全事故,1\n区应急管理局,2023,受污染耕地安全利用率,95%\n区应急管理局,2023,\u{1b}]0;pwned\u{7}\u{1b}[2J,1\n".to_owned(),
        "<csv bidi>" => "reporter,period,metric,value\n区应急管理局,2023,安全事故,1\n区应急管理局,2023,受污染耕地安全利用率,95%\n区应急管理局,2023,\u{202e}gnp.exe,1\n".to_owned(),
        "<150%>" => yaml(
            "区应急管理局",
            "  安全事故: 1\n  受污染耕地安全利用率: 150%\n",
        ),
        "<-5%>" => yaml(
            "区应急管理局",
            "  安全事故: 1\n  受污染耕地安全利用率: -5%\n",
        ),
        "<html>" => format!("{MET}  \"<img src=x onerror=alert(1)>\": 1\n"),
        "<escape>" => format!("{MET}  \"\\e[2J\\e[31m红\": 1\n"),
        "<bidi>" => yaml(
            "区应急管理局",
            "  安全事故: \"\u{202e}001\"\n  受污染耕地安全利用率: 95%\n  \"\u{2066}x\": 1\n",
        ),
        "<c1>" => yaml(
            "区应急管理局",
            "  安全事故: \"\u{9b}2J\"\n  受污染耕地安全利用率: 95%\n",
        ),
        "<typo reporter>" => MET.replace("区应急管理局", "区应急管理"),
        "<zwsp reporter>" => MET.replace("区应急管理局", "\"\u{200b}\""),
        "<blank reporter>" => MET.replace("区应急管理局", "\"   \""),
        "<metric \"\">" => {
            format!("{PLAN}task 2 \"乙\" {{\n    lead 区应急管理局\n    \"\" >= 1 个\n}}\n")
        }
        "<metric \"   \">" => {
            format!("{PLAN}task 2 \"乙\" {{\n    lead 区应急管理局\n    \"   \" >= 1 个\n}}\n")
        }
        "<metric zwsp>" => {
            format!("{PLAN}task 2 \"乙\" {{\n    lead 区应急管理局\n    \u{200b} >= 1 个\n}}\n")
        }
        "<blank reason>" => plan_with("    安全事故 <= 3 次 allow negative because \"\u{200b}\""),
        "<allow negative>" => {
            plan_with("    安全事故 <= 3 次 allow negative because \"净减少按负数填报\"")
        }
        "<allow over>" => PLAN.replace(
            "受污染耕地安全利用率 >= 91%",
            "受污染耕地安全利用率 >= 91% allow over 100% because \"含新增治理面积\"",
        ),
        "<growth rate>" => plan_with("    安全事故 <= 3 次\n    规上工业增加值增速 >= 8%"),
        "<growth -2%>" => yaml(
            "区应急管理局",
            "  安全事故: 1\n  受污染耕地安全利用率: 95%\n  规上工业增加值增速: -2%\n",
        ),
        "<range below zero>" => plan_with("    安全事故 in -10..3 次"),
        "<long uncited rule>" => plan_with(&format!(
            "    安全事故 <= 3 次\n    \"{}\" >= 1 个",
            "甲".repeat(70_000)
        ))
        .replace("    period 2023\n", "    period 2023\n    source \"source.txt\"\n"),
        "<due 1999>" => plan_with("    安全事故 <= 3 次 due 1999-01-01"),
        "<due 2024>" => plan_with("    安全事故 <= 3 次 due 2024-03-31"),
        text => text.to_owned(),
    }
}

/// A one-line JSON submission of about 99 KB whose last figure sits past column 65,535.
fn long_json() -> String {
    let mut figures: Vec<String> = (0..6000).map(|i| format!("\"未知{i}\": {i}")).collect();
    figures.push("\"受污染耕地安全利用率\": \"95%\"".to_owned());
    figures.push("\"安全事故\": 9".to_owned());
    format!(
        "{{\"reporter\": \"区应急管理局\", \"period\": \"2023\", \"figures\": {{{}}}}}",
        figures.join(", ")
    )
}

fn write(dir: &Path, case: &Case) {
    for (path, text) in case.files {
        let path = path.replace("<FORGED>", FORGED);
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content(text)).unwrap();
    }
    if case
        .name
        .starts_with("label_past_column_65535_in_a_one_line_json")
    {
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("data/long.json"), long_json()).unwrap();
    }
}

fn run(case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), case);
    let mut command = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    command.args(case.args).current_dir(dir.path()).env_clear();
    if let Some((key, value)) = case.env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let all = format!("{stdout}{stderr}");
    let mut problems = Vec::new();
    let status = output.status.code().unwrap_or(-1);
    if status != case.exit {
        problems.push(format!("exit {status}, expected {}", case.exit));
    }
    if case.args.contains(&"json") && !case.args.iter().any(|a| a.starts_with("sarif=")) {
        match serde_json::from_str::<serde_json::Value>(&stdout) {
            Ok(json) => {
                let diagnostics = json["diagnostics"].as_array().cloned().unwrap_or_default();
                let results = json["results"].as_array().cloned().unwrap_or_default();
                let mut codes: Vec<&str> = diagnostics
                    .iter()
                    .chain(&results)
                    .filter_map(|d| d["code"].as_str())
                    .collect();
                codes.sort_unstable();
                if codes != case.codes {
                    problems.push(format!("codes {codes:?}, expected {:?}", case.codes));
                }
                if let Some((code, file, line, column)) = case.place {
                    // A diagnostic's first location, or a failing result's figure.
                    let at = diagnostics
                        .iter()
                        .find(|d| d["code"] == code)
                        .map(|d| d["locations"][0].clone())
                        .or_else(|| {
                            let r = results.iter().find(|r| r["code"] == code)?;
                            Some(r["figure_location"].clone())
                        });
                    let found = at
                        .as_ref()
                        .map(|l| (l["file"].clone(), l["line"].clone(), l["column"].clone()));
                    let wanted = (file.into(), line.into(), column.into());
                    if found.as_ref() != Some(&wanted) {
                        problems.push(format!("{code} at {found:?}, expected {wanted:?}"));
                    }
                }
            }
            Err(e) => problems.push(format!("not JSON ({e})")),
        }
    }
    for text in case.contains {
        if !all.contains(text) {
            problems.push(format!("missing {text:?}"));
        }
    }
    for text in case.absent {
        if all.contains(text) {
            problems.push(format!("unexpected {text:?}"));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let shown: String = all.chars().take(3000).collect();
    Err(format!("{}: {}\n{shown}", case.name, problems.join("; ")))
}

#[test]
fn hostile_content_is_caught_escaped_or_refused() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names must be unique");
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .iter()
            .map(|case| scope.spawn(move || run(case)))
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().unwrap().err())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
