//! Syntax errors: one per bad line, at the exact character, saying what was expected there.

use super::{codes, label_at, parse};

/// A bad line placed on line 2 of a file, and where and what its error must be.
struct Case {
    line: &'static str,
    offset: usize,
    column: usize,
    width: usize,
    message: &'static str,
}

/// The bad line follows `#\n`, so its offsets start at 2 and it is on line 2.
const PREFIX: &str = "#\n";

#[test]
fn each_bad_line_is_reported_at_its_character() {
    let cases = [
        Case {
            line: "确保 受污染耕地安全利用率 >= 九十一%",
            offset: 43,
            column: 18,
            width: 3,
            message: "应为数值，却遇到“九”",
        },
        Case {
            line: "造纸 包装产业营业收入 > 450 亿元",
            offset: 9,
            column: 4,
            width: 3,
            message:
                "应为比较运算符（>=、>、<=、<、==）、~=、growth、change、in 或 rank，却遇到“包”",
        },
        Case {
            line: "确保　受污染耕地 >= 九",
            offset: 30,
            column: 13,
            width: 3,
            message: "应为数值，却遇到“九”",
        },
        Case {
            line: "确保 受污染耕地安全利用率 >= 91% 以上",
            offset: 47,
            column: 22,
            width: 3,
            message: "应为子句（from、by、due 等）或行尾，却遇到“以”",
        },
        Case {
            line: "X = 5",
            offset: 4,
            column: 3,
            width: 1,
            message:
                "应为比较运算符（>=、>、<=、<、==）、~=、growth、change、in 或 rank，却遇到“=”",
        },
        Case {
            line: "培育新品种 in 1 2 个",
            offset: 23,
            column: 12,
            width: 1,
            message: "应为 .. 或计量单位，却遇到“2”",
        },
        Case {
            line: "task 32 深入推进 {",
            offset: 10,
            column: 9,
            width: 3,
            message: "应为带引号的字符串，却遇到“深”",
        },
        Case {
            line: "task 32 \"深入推进\"",
            offset: 24,
            column: 15,
            width: 0,
            message: "应为 {，却遇到行尾",
        },
        Case {
            line: "task 三十二 \"深入推进\" {",
            offset: 7,
            column: 6,
            width: 3,
            message: "应为任务编号，却遇到“三”",
        },
        Case {
            line: "plan “兖州区” {",
            offset: 7,
            column: 6,
            width: 3,
            message: "应为带引号的字符串，却遇到中文引号“",
        },
        Case {
            line: "lead 区生态环境分局 区水务局",
            offset: 29,
            column: 14,
            width: 3,
            message: "应为分隔符（,、，或 、）或行尾，却遇到“区”",
        },
        Case {
            line: "done >= 1",
            offset: 7,
            column: 6,
            width: 1,
            message: "应为指标名称，却遇到“>”",
        },
        Case {
            line: ">= 91%",
            offset: 2,
            column: 1,
            width: 1,
            message: "应为语句开头（关键字或指标名称），却遇到“>”",
        },
        Case {
            line: "from \"受污染耕地",
            offset: 7,
            column: 6,
            width: 1,
            message: "字符串缺少结尾的引号",
        },
        Case {
            line: "from \"甲\\n乙\"",
            offset: 11,
            column: 8,
            width: 2,
            message: "字符串中的转义 \\n 无效",
        },
        Case {
            line: "煤炭产量 >= lastyear",
            offset: 18,
            column: 9,
            width: 1,
            message: "应为数值、last_year 或 metric 指标名，却遇到“l”",
        },
        Case {
            line: "攀登企业贷款增幅 > metric",
            offset: 35,
            column: 18,
            width: 0,
            message: "应为指标名称，却遇到行尾",
        },
        Case {
            line: "规上工业增加值 growth 20%",
            offset: 31,
            column: 16,
            width: 1,
            message: "应为比较运算符（>=、>、<=、<、==）、~= 或 in，却遇到“2”",
        },
        Case {
            line: "重点项目 ~= 约二十个",
            offset: 18,
            column: 9,
            width: 3,
            message: "应为数值，却遇到“约”",
        },
        Case {
            line: "新增企业 >= 10 家 kind 增量",
            offset: 30,
            column: 19,
            width: 3,
            message:
                "应为指标类型（cumulative、level、milestone 或 累计、水平、里程碑），却遇到“增”",
        },
        Case {
            line: "新增企业 >= 10 家 schedule 2023-Q1",
            offset: 41,
            column: 30,
            width: 0,
            message: "应为数值，却遇到行尾",
        },
        Case {
            line: "skip \"加强组织领导\" 因为 \"无数字\"",
            offset: 28,
            column: 15,
            width: 3,
            message: "应为 because，却遇到“因”",
        },
        Case {
            line: "规上工业增加值 growth >= 5% vs 全市增速",
            offset: 40,
            column: 25,
            width: 3,
            message: "应为 last_year 或 metric 指标名，却遇到“全”",
        },
    ];
    for case in cases {
        let text = format!("{PREFIX}{}\n", case.line);
        let (_, findings) = parse(&text);
        // A broken `task` or `plan` line also leaves its block unclosed in these one-line
        // files; only the syntax error is under test.
        let syntax: Vec<_> = findings
            .iter()
            .filter(|f| f.code != "plancheck::plan::unclosed-block")
            .collect();
        assert_eq!(syntax.len(), 1, "{}: {findings:#?}", case.line);
        let error = syntax[0];
        assert_eq!(error.code, "plancheck::parse::syntax", "{}", case.line);
        assert_eq!(error.message, case.message, "{}", case.line);
        let (offset, line, column, width, _) = label_at(&text, error, 0);
        assert_eq!(
            (offset, line, column, width),
            (case.offset, 2, case.column, case.width),
            "{}",
            case.line
        );
    }
}

#[test]
fn the_label_says_what_belongs_there_and_the_help_teaches_the_form() {
    let (_, findings) = parse("确保 受污染耕地安全利用率 >= 九十一%\n");
    assert_eq!(findings[0].labels[0].text, "此处应为数值");
    assert_eq!(
        findings[0].help.as_deref(),
        Some("数值请用阿拉伯数字书写，例如 >= 91%")
    );
    let (_, findings) = parse("造纸 包装产业营业收入 > 450 亿元\n");
    assert!(findings[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("名称含空格或特殊符号时请加引号")));
    let (_, findings) = parse("X = 5\n");
    assert_eq!(findings[0].help.as_deref(), Some("等于请写 =="));
    // A word after an operator: the help names the references a rule may compare with.
    let (_, findings) = parse("煤炭产量 >= lastyear\n");
    assert_eq!(
        findings[0].help.as_deref(),
        Some(
            "数值写作 91、1,000 或 0.5，单位紧跟其后，例如 >= 91% 或 > 450 亿元；\
             与上年比较写作 >= last_year，与另一指标比较写作 > metric 指标名"
        )
    );
    let (_, findings) = parse("新增企业 >= 10 家 kind 增量\n");
    assert_eq!(
        findings[0].help.as_deref(),
        Some("kind 后写 cumulative（累计）、level（水平）或 milestone（里程碑）")
    );
}

#[test]
fn three_bad_lines_give_three_errors_and_the_good_lines_still_count() {
    let text = super::in_task(
        "    确保 甲 >= 九十\n    乙 >= 5 家\n    丙 = 1\n    丁 in 1..2 个\n    戊 >= 5 亿元 以上",
    );
    let (plan, findings) = parse(&text);
    assert_eq!(codes(&findings), ["plancheck::parse::syntax"; 3]);
    let lines: Vec<usize> = findings.iter().map(|f| label_at(&text, f, 0).1).collect();
    assert_eq!(lines, [3, 5, 7]);
    let metrics: Vec<&str> = plan.rules.iter().map(|r| r.metric.as_str()).collect();
    assert_eq!(metrics, ["乙", "丁"]);
}

#[test]
fn clauses_below_a_broken_rule_are_not_reported_again() {
    let text = super::in_task("    甲 >= 九十\n        from \"甲\"\n        by 区统计局");
    let (_, findings) = parse(&text);
    assert_eq!(codes(&findings), ["plancheck::parse::syntax"]);
}

#[test]
fn a_broken_task_line_still_opens_its_block() {
    let text = "task 32 深入推进 {\n    lead 区统计局\n    甲 >= 1\n}\n";
    let (plan, findings) = parse(text);
    assert_eq!(codes(&findings), ["plancheck::parse::syntax"]);
    assert!(plan.tasks.is_empty() && plan.rules.is_empty());
}

#[test]
fn crlf_line_endings_give_the_same_plan_and_spans() {
    let lf = super::in_task("    甲 >= 九十\n    乙 >= 5 家");
    let crlf = lf.replace('\n', "\r\n");
    let (plan_lf, findings_lf) = parse(&lf);
    let (plan_crlf, findings_crlf) = parse(&crlf);
    assert_eq!(findings_crlf, findings_lf);
    assert_eq!(plan_crlf.rules.len(), 1);
    assert_eq!(plan_crlf.rules[0].loc, plan_lf.rules[0].loc);
    assert_eq!(*plan_crlf.files[0].text, *lf);
}

#[test]
fn a_strength_word_the_language_lacks_is_named_in_the_help() {
    let (_, findings) = parse("#\n努力 新增企业 >= 5 家\n");
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].help.as_deref(),
        Some(
            "“努力”不是强度词：强度词只有 确保、必须、严格、坚决（必达目标）和 力争、争取、争创\
             （力争目标）。原文写“努力”的目标通常是力争目标，请改写为 力争 …"
        )
    );
    // ‰, 亿吨 and 万标箱 are units.
    let (plan, findings) = parse(&super::in_task(
        "    人口自然增长率 <= 6‰\n    港口货物吞吐量 >= 1.2 亿吨\n    集装箱吞吐量 >= 30 万标箱",
    ));
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(plan.rules.len(), 3);
}
