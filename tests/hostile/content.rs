//! Hostile content: attacks on what files say (names, values, reporters, rule text) and on the
//! reports plancheck writes from them, and panics, which must become findings.

use super::{empty, Case};

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
/// A data file whose name carries [`FORGED`].
const FORGED_NAME: &str = "data/x\n::warning::forged.yaml";

const INVALID: &str = "plancheck::check::invalid-value";
const UNKNOWN_METRIC: &str = "plancheck::check::unknown-metric";
const UNKNOWN_REPORTER: &str = "plancheck::check::unknown-reporter";
const MISSING: &str = "plancheck::check::missing";
const BLANK: &str = "plancheck::plan::blank";
/// A result that met its target, as the JSON report writes it.
const VERDICT_MET: &str = r#""verdict": "met""#;

/// A case on [`PLAN`] (`rules/p.plan`) and nothing else.
fn on_plan(name: &'static str) -> Case {
    empty(name).file("rules/p.plan", PLAN)
}

/// A case on [`PLAN`] checked with `--format json`: the report holds exactly the codes the
/// case lists, and none unless it says.
fn json(name: &'static str) -> Case {
    on_plan(name).args(JSON).only_codes(&[])
}

/// A case on [`PLAN`] checked for people: no colour, 100 columns.
fn human(name: &'static str) -> Case {
    on_plan(name).args(HUMAN)
}

pub fn cases() -> Vec<Case> {
    vec![
        // --- The human report: no panic, bounded, linear -------------------------------
        // Each period outside the plan once cost a row of every rule, and marked every rule
        // as reported in it: a 2.3 MB file of 20,000 periods took 800 MB and 5 s.
        on_plan("twelve_thousand_periods_outside_the_plan_in_one_file")
            .args(JSON)
            .file("data/many.json", many_periods(12_000))
            .exit(0)
            .code("plancheck::check::outside-period")
            .contains(r#""met":2"#)
            .contains(r#""missing":0"#)
            .contains(r#""warnings":12000"#),
        human("label_past_column_65535_in_a_one_line_json_submission")
            .file("data/long.json", long_json())
            .exit(1)
            .contains("data/long.json:1:93863")
            .contains("…")
            .contains("安全事故 未达标：区应急管理局 2023 报送 9")
            .absent("panicked"),
        human("label_past_column_65535_in_a_long_rule_line")
            .file("rules/p.plan", long_rule())
            .file("data/a.yaml", MET)
            .exit(1)
            .contains("rules/p.plan:6:70008")
            .contains("未报送")
            .contains("…")
            .absent("panicked"),
        on_plan("coverage_of_a_rule_line_past_column_65535")
            .file("rules/p.plan", long_uncited_rule())
            .file("rules/source.txt", "安全事故不超过3次。\n")
            .args(&["coverage", "--rules", "rules", "--color", "never"])
            .exit(1)
            .contains("rules/p.plan:8:5")
            .contains("没有 from 引文")
            .contains("…")
            .absent("panicked"),
        human("a_flood_of_unknown_metrics_shows_twenty_then_a_count")
            .file("data/a.yaml", unknown_metrics(25))
            .exit(0)
            .contains("…另有 5 项 plancheck::check::unknown-metric 未显示（共 25 项）；用 --max-per-code 0 显示全部")
            .contains("未知指标“未知指标19”")
            .absent("未知指标“未知指标20”"),
        on_plan("max_per_code_zero_shows_every_diagnostic")
            .file("data/a.yaml", unknown_metrics(25))
            .args(&[
                "check", "--rules", "rules", "--color", "never", "--max-per-code", "0", "data",
            ])
            .exit(0)
            .contains("未知指标“未知指标24”")
            .absent("另有"),
        on_plan("max_per_code_cuts_each_code_on_its_own")
            .file("data/a.yaml", unknown_metrics(25))
            .args(&[
                "check", "--rules", "rules", "--color", "never", "--max-per-code", "3", "data",
            ])
            .exit(0)
            .contains("…另有 22 项 plancheck::check::unknown-metric 未显示（共 25 项）")
            .absent("未知指标“未知指标3”"),
        json("machine_formats_are_never_cut")
            .file("data/a.yaml", unknown_metrics(25))
            .exit(0)
            .only_codes(&[UNKNOWN_METRIC; 25]),
        // --- A panic is a finding, never exit 101 with nothing written ---------------------
        json("panic_while_checking_is_an_internal_finding")
            .file("data/a.yaml", MET)
            .env("PLANCHECK_TEST_PANIC", "check")
            .exit(2)
            .only_codes(&["plancheck::internal"])
            .contains("检查时发生内部错误：PLANCHECK_TEST_PANIC=check")
            .contains("反馈"),
        human("panic_while_rendering_still_prints_the_findings")
            .file("data/a.yaml", negative())
            .env("PLANCHECK_TEST_PANIC", "report")
            .exit(2)
            .contains("error[plancheck::internal]: 生成 human 报告时发生内部错误")
            .contains("plancheck::check::invalid-value: 安全事故 的数值无效"),
        on_plan("panic_while_writing_a_report_file_keeps_the_terminal_report")
            .file("data/a.yaml", MET)
            .args(&[
                "check", "--rules", "rules", "--format", "json", "--report", "sarif=out.sarif",
                "data",
            ])
            .env("PLANCHECK_TEST_PANIC", "report")
            .exit(2)
            .contains("生成 sarif 报告时发生内部错误")
            .contains("生成 json 报告时发生内部错误"),
        // --- Escaping: forged commands, HTML, terminal escapes, bidi ----------------------
        human("newline_in_a_file_name_forges_no_command_in_the_human_report")
            .file(FORGED_NAME, unmet())
            .exit(1)
            .contains("data/x\\u{a}::warning::forged.yaml:4:9")
            .absent(FORGED),
        on_plan("newline_in_a_file_name_forges_no_command_in_markdown")
            .file(FORGED_NAME, unmet())
            .args(&["check", "--rules", "rules", "--format", "markdown", "data"])
            .exit(1)
            .contains("`data/x\\u{a}::warning::forged.yaml:4`")
            .absent(FORGED),
        on_plan("newline_in_a_file_name_forges_no_command_in_junit")
            .file(FORGED_NAME, unmet())
            .args(&["check", "--rules", "rules", "--format", "junit", "data"])
            .exit(1)
            .contains("填报位置：data/x\\u{a}::warning::forged.yaml:4:9")
            .absent(FORGED),
        on_plan("newline_in_a_file_name_forges_no_command_in_github_annotations")
            .file(FORGED_NAME, unmet())
            .args(&["check", "--rules", "rules", "--format", "github", "data"])
            .exit(1)
            .contains("file=data/x%0A%3A%3Awarning%3A%3Aforged.yaml")
            .absent(FORGED),
        json("newline_in_a_file_name_is_an_escape_in_json")
            .file(FORGED_NAME, unmet())
            .exit(1)
            .only_codes(&["plancheck::check::unmet"])
            .contains(r#""file": "data/x\n::warning::forged.yaml""#)
            .absent(FORGED),
        on_plan("html_in_a_metric_name_is_text_in_markdown")
            .file("data/a.yaml", format!("{MET}  \"<img src=x onerror=alert(1)>\": 1\n"))
            .args(&["check", "--rules", "rules", "--format", "markdown", "data"])
            .exit(0)
            .contains("未知指标“&lt;img src=x onerror=alert(1)&gt;”")
            .absent("<img"),
        human("terminal_escape_in_a_metric_name_is_shown_not_obeyed")
            .file("data/a.yaml", format!("{MET}  \"\\e[2J\\e[31m红\": 1\n"))
            .exit(0)
            .contains("未知指标“\\u{1b}[2J\\u{1b}[31m红”")
            .absent("\u{1b}"),
        human("raw_terminal_escape_in_a_csv_cell_is_shown_in_the_snippet")
            .file("data/a.csv", csv_with_metric("\u{1b}]0;pwned\u{7}\u{1b}[2J"))
            .exit(0)
            .contains("data/a.csv:4:13")
            .contains("区应急管理局,2023,\\u{1b}]0;pwned\\u{7}\\u{1b}[2J,1")
            .absent("\u{1b}")
            .absent("\u{7}"),
        on_plan("raw_bidi_override_in_a_csv_cell_is_shown_in_every_format")
            .file("data/a.csv", csv_with_metric("\u{202e}gnp.exe"))
            .args(&["check", "--rules", "rules", "--format", "markdown", "data"])
            .exit(0)
            .contains(r"未知指标“\\u{202e}gnp.exe”")
            .absent("\u{202e}"),
        human("bidi_override_in_a_value_is_shown_not_obeyed")
            .file("data/a.yaml", bidi())
            .exit(1)
            .contains("“\\u{202e}001”")
            .contains("\\u{2066}")
            .absent("\u{202e}")
            .absent("\u{2066}"),
        json("bidi_override_is_a_json_escape_in_the_json_report")
            .file("data/a.yaml", bidi())
            .exit(1)
            .only_codes(&[INVALID, UNKNOWN_METRIC])
            .contains(r"\u202e001")
            .contains(r"\u2066")
            .absent("\u{202e}")
            .absent("\u{2066}"),
        on_plan("bidi_override_is_a_json_escape_in_sarif")
            .file("data/a.yaml", bidi())
            .args(&["check", "--rules", "rules", "--format", "sarif", "data"])
            .exit(1)
            .contains(r"\u202e001")
            .absent("\u{202e}")
            .absent("\u{2066}"),
        on_plan("c1_control_in_a_value_is_shown_in_junit")
            .file(
                "data/a.yaml",
                yaml("  安全事故: \"\u{9b}2J\"\n  受污染耕地安全利用率: 95%\n"),
            )
            .args(&["check", "--rules", "rules", "--format", "junit", "data"])
            .exit(1)
            .contains("\\u{9b}2J")
            .absent("\u{9b}"),
        // --- Unknown reporters -----------------------------------------------------------
        json("a_reporter_that_leads_no_task_is_broken_input_with_a_did_you_mean")
            .file("data/a.yaml", MET.replace("区应急管理局", "区应急管理"))
            .exit(2)
            .only_codes(&[MISSING, MISSING, UNKNOWN_REPORTER])
            .place(UNKNOWN_REPORTER, "data/a.yaml", 1, 11)
            .contains("报送单位“区应急管理”不是计划中的牵头单位或报送单位：这份填报的 2 个数值未被检查")
            .contains("是否应为“区应急管理局”？")
            .absent(VERDICT_MET),
        json("a_lone_zero_width_space_as_reporter_is_broken_input")
            .file("data/a.yaml", MET.replace("区应急管理局", "\"\u{200b}\""))
            .exit(2)
            .only_codes(&[MISSING, MISSING, UNKNOWN_REPORTER])
            .contains("报送单位为空或只有不可见字符")
            .absent(VERDICT_MET),
        json("a_blank_reporter_is_broken_input")
            .file("data/a.yaml", MET.replace("区应急管理局", "\"   \""))
            .exit(2)
            .only_codes(&[MISSING, MISSING, "plancheck::load::shape"])
            .absent(VERDICT_MET),
        // --- Blank metric names and reasons ----------------------------------------------
        json("an_empty_metric_name_in_a_rule_is_a_rules_error")
            .file("rules/p.plan", plan_with_task_2("\"\""))
            .file("data/a.yaml", MET)
            .exit(2)
            .only_codes(&[BLANK])
            .place(BLANK, "rules/p.plan", 11, 5),
        json("a_metric_name_of_spaces_is_a_rules_error")
            .file("rules/p.plan", plan_with_task_2("\"   \""))
            .file("data/a.yaml", MET)
            .exit(2)
            .only_codes(&[BLANK])
            .place(BLANK, "rules/p.plan", 11, 5),
        json("a_lone_zero_width_space_as_metric_name_is_a_rules_error")
            .file("rules/p.plan", plan_with_task_2("\u{200b}"))
            .file("data/a.yaml", MET)
            .exit(2)
            .only_codes(&[BLANK])
            .place(BLANK, "rules/p.plan", 11, 5)
            .contains("指标名称为空或只有不可见字符"),
        json("a_blank_reason_for_allow_is_a_rules_error")
            .file(
                "rules/p.plan",
                plan_with("    安全事故 <= 3 次 allow negative because \"\u{200b}\""),
            )
            .file("data/a.yaml", MET)
            .exit(2)
            .only_codes(&[BLANK])
            .place(BLANK, "rules/p.plan", 6, 40)
            .contains("理由为空或只有不可见字符"),
        // --- Impossible figures ----------------------------------------------------------
        json("a_negative_count_does_not_meet_an_upper_bound")
            .file("data/a.yaml", negative())
            .exit(1)
            .only_codes(&[INVALID])
            .place(INVALID, "data/a.yaml", 4, 9)
            .contains("安全事故 的数值无效：区应急管理局 2023 报送“-5”，数量或比例不能为负数"),
        human("a_negative_count_says_how_to_declare_a_reason")
            .file("data/a.yaml", negative())
            .exit(1)
            .contains("data/a.yaml:4:9")
            .contains("若此指标确可为负，在规则后写 allow negative because \"原因\""),
        human("a_share_over_100_percent_says_how_to_declare_a_reason")
            .file("data/a.yaml", share("150%"))
            .exit(1)
            .contains("若此比例确可超过 100%，在规则后写 allow over 100% because \"原因\""),
        json("a_negative_count_with_a_declared_reason_is_valid")
            .file(
                "rules/p.plan",
                plan_with("    安全事故 <= 3 次 allow negative because \"净减少按负数填报\""),
            )
            .file("data/a.yaml", negative())
            .exit(0)
            .contains(VERDICT_MET),
        json("a_target_below_zero_expects_negative_figures")
            .file("rules/p.plan", plan_with("    安全事故 in -10..3 次"))
            .file("data/a.yaml", negative())
            .exit(0),
        json("a_share_over_100_percent_does_not_meet_a_rate")
            .file("data/a.yaml", share("150%"))
            .exit(1)
            .only_codes(&[INVALID])
            .place(INVALID, "data/a.yaml", 5, 15)
            .contains("比例不能超过 100%"),
        json("a_share_over_100_percent_with_a_declared_reason_is_valid")
            .file(
                "rules/p.plan",
                PLAN.replace(
                    "受污染耕地安全利用率 >= 91%",
                    "受污染耕地安全利用率 >= 91% allow over 100% because \"含新增治理面积\"",
                ),
            )
            .file("data/a.yaml", share("150%"))
            .exit(0),
        json("a_negative_share_does_not_meet_a_rate")
            .file("data/a.yaml", share("-5%"))
            .exit(1)
            .only_codes(&[INVALID]),
        json("a_rate_of_change_may_be_negative")
            .file(
                "rules/p.plan",
                plan_with("    安全事故 <= 3 次\n    规上工业增加值增速 >= 8%"),
            )
            .file(
                "data/a.yaml",
                yaml("  安全事故: 1\n  受污染耕地安全利用率: 95%\n  规上工业增加值增速: -2%\n"),
            )
            .exit(1)
            .only_codes(&["plancheck::check::unmet"]),
        // --- Deadlines outside the plan period -------------------------------------------
        json("a_due_before_the_plan_period_is_a_rules_error")
            .file("rules/p.plan", plan_with("    安全事故 <= 3 次 due 1999-01-01"))
            .file("data/a.yaml", MET)
            .exit(2)
            .only_codes(&["plancheck::plan::due-before-period"])
            .place("plancheck::plan::due-before-period", "rules/p.plan", 6, 21)
            .contains("截止日期 1999-01-01 早于计划期 2023 的开始（2023-01-01）"),
        json("a_due_after_the_plan_period_is_a_warning")
            .file("rules/p.plan", plan_with("    安全事故 <= 3 次 due 2024-03-31"))
            .file("data/a.yaml", MET)
            .exit(0)
            .only_codes(&["plancheck::plan::due-after-period"])
            .place("plancheck::plan::due-after-period", "rules/p.plan", 6, 21),
    ]
}

/// 区应急管理局's submission with these figure lines.
fn yaml(figures: &str) -> String {
    format!("reporter: 区应急管理局\nperiod: \"2023\"\nfigures:\n{figures}")
}

/// Both figures, 安全事故 at −5.
fn negative() -> String {
    yaml("  安全事故: -5\n  受污染耕地安全利用率: 95%\n")
}

/// Both figures, 安全事故 at 9 (over its bound).
fn unmet() -> String {
    yaml("  安全事故: 9\n  受污染耕地安全利用率: 95%\n")
}

/// Both figures, the share at `value`.
fn share(value: &str) -> String {
    yaml(&format!("  安全事故: 1\n  受污染耕地安全利用率: {value}\n"))
}

/// A JSON list of both figures for 2023 and one figure for each of `count` months from
/// January 1000 on (before 2022: outside the plan, and no last year of it).
fn many_periods(count: usize) -> String {
    let mut list = vec![r#"{"reporter": "区应急管理局", "period": "2023", "figures": {"安全事故": 1, "受污染耕地安全利用率": "95%"}}"#.to_owned()];
    for i in 0..count {
        let (year, month) = (1000 + i / 12, 1 + i % 12);
        list.push(format!(
            r#"{{"reporter": "区应急管理局", "period": "{year}-{month:02}", "figures": {{"安全事故": 1}}}}"#
        ));
    }
    format!("[{}]", list.join(",\n"))
}

/// Both figures, 安全事故 in a right-to-left override, and a metric behind an isolate.
fn bidi() -> String {
    yaml("  安全事故: \"\u{202e}001\"\n  受污染耕地安全利用率: 95%\n  \"\u{2066}x\": 1\n")
}

/// Both figures and `count` unknown metrics.
fn unknown_metrics(count: usize) -> String {
    let mut figures = String::from("  安全事故: 1\n  受污染耕地安全利用率: 95%\n");
    for i in 0..count {
        figures.push_str(&format!("  未知指标{i}: {i}\n"));
    }
    yaml(&figures)
}

/// A CSV submission meeting both targets, with a third figure named `metric` on line 4.
fn csv_with_metric(metric: &str) -> String {
    format!("reporter,period,metric,value\n区应急管理局,2023,安全事故,1\n区应急管理局,2023,受污染耕地安全利用率,95%\n区应急管理局,2023,{metric},1\n")
}

/// [`PLAN`] with the line of 安全事故 replaced by `lines`.
fn plan_with(lines: &str) -> String {
    PLAN.replace("    安全事故 <= 3 次\n", &format!("{lines}\n"))
}

/// [`PLAN`] and a task 2 whose one target is on `metric`, at line 11, column 5.
fn plan_with_task_2(metric: &str) -> String {
    format!("{PLAN}task 2 \"乙\" {{\n    lead 区应急管理局\n    {metric} >= 1 个\n}}\n")
}

/// [`PLAN`] with a rule on line 6 whose metric is 70,000 characters long.
fn long_rule() -> String {
    plan_with(&format!(
        "    \"{}\" >= 1 个\n    安全事故 <= 3 次",
        "甲".repeat(70_000)
    ))
}

/// [`PLAN`] quoting a source, with an uncited rule of 70,000 characters on line 8.
fn long_uncited_rule() -> String {
    plan_with(&format!(
        "    安全事故 <= 3 次\n    \"{}\" >= 1 个",
        "甲".repeat(70_000)
    ))
    .replace(
        "    period 2023\n",
        "    period 2023\n    source \"source.txt\"\n",
    )
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
