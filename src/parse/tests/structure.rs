//! Block structure and values checked while building the plan, with the spans they point at.

use super::{codes, covered, in_task, label_at, names, parse, rule_loc};
use crate::diagnostic::Finding;
use crate::source::{RuleFileId, SourceFile};

/// The text each label of `finding` covers, with its label.
fn labels<'t>(text: &'t str, finding: &Finding) -> Vec<(&'t str, String)> {
    finding
        .labels
        .iter()
        .map(|l| (covered(text, rule_loc(&l.loc)), l.text.clone()))
        .collect()
}

#[test]
fn an_unknown_unit_is_labelled_and_close_names_are_offered() {
    let text = in_task("    造纸包装产业营业收入 > 450 亿园");
    let (plan, findings) = parse(&text);
    assert_eq!(codes(&findings), ["plancheck::plan::unknown-unit"]);
    assert_eq!(findings[0].message, "未知计量单位“亿园”");
    assert_eq!(
        labels(&text, &findings[0]),
        [("亿园", "单位表中没有此单位".to_owned())]
    );
    let (offset, line, column, width, _) = label_at(&text, &findings[0], 0);
    assert_eq!((line, column, width), (3, 22, 6));
    assert_eq!(offset, text.find("亿园").unwrap());
    assert_eq!(
        findings[0].help.as_deref(),
        Some("相近的已知单位：亿元、亿吨、亿斤、亿欧元")
    );
    // A rule whose target cannot be read is left out rather than checked wrongly.
    assert!(plan.rules.is_empty());
}

#[test]
fn a_duplicate_task_number_is_labelled_in_both_files() {
    let first = "task 32 \"甲\" {\n    lead 甲\n}\n";
    let second = "# 第二个文件\ntask 32 \"乙\" {\n    lead 乙\n}\n";
    let (plan, findings) = super::parse_files(vec![
        SourceFile::new("a.plan", first),
        SourceFile::new("b.plan", second),
    ]);
    assert_eq!(codes(&findings), ["plancheck::plan::duplicate-task"]);
    let [again, original] = &findings[0].labels[..] else {
        panic!("two labels expected: {findings:?}");
    };
    let (again, original) = (rule_loc(&again.loc), rule_loc(&original.loc));
    assert_eq!((again.file, covered(second, again)), (RuleFileId(1), "32"));
    assert_eq!(
        (original.file, covered(first, original)),
        (RuleFileId(0), "32")
    );
    assert_eq!(plan.files[1].path, "b.plan");
}

#[test]
fn a_second_plan_header_is_a_duplicate() {
    let text = "plan \"甲\" {\n    period 2023\n}\nplan \"乙\" {\n    period 2024\n}\n";
    let (plan, findings) = parse(text);
    assert_eq!(codes(&findings), ["plancheck::plan::duplicate-header"]);
    assert_eq!(
        labels(text, &findings[0]),
        [
            ("plan \"乙\" {", "第二个计划头".to_owned()),
            ("plan \"甲\" {", "第一个计划头在此".to_owned()),
        ]
    );
    assert_eq!(plan.header.unwrap().title, "甲");
    assert_eq!(plan.tasks.len(), 0);
}

#[test]
fn a_clause_without_a_rule_above_is_an_orphan() {
    let text = in_task("    from \"甲\"\n    甲 >= 1\n    from \"乙\" from \"丙\"");
    let (plan, findings) = parse(&text);
    assert_eq!(
        codes(&findings),
        [
            "plancheck::plan::orphan-clause",
            "plancheck::plan::duplicate-clause"
        ]
    );
    assert_eq!(
        labels(&text, &findings[0]),
        [("from \"甲\"", "不属于任何规则".to_owned())]
    );
    assert_eq!(
        labels(&text, &findings[1]),
        [
            ("from \"丙\"", "重复的 from".to_owned()),
            ("from \"乙\"", "第一个 from 在此".to_owned()),
        ]
    );
    assert_eq!(plan.rules[0].quote.as_ref().unwrap().text, "乙");
    let (_, findings) = parse("by 区统计局\n");
    assert_eq!(codes(&findings), ["plancheck::plan::orphan-clause"]);
}

#[test]
fn a_block_left_open_is_reported_where_it_opened() {
    let text = "task 1 \"甲\" {\n    lead 甲\n    甲 >= 1\ntask 2 \"乙\" {\n    lead 乙\n";
    let (plan, findings) = parse(text);
    assert_eq!(codes(&findings), ["plancheck::plan::unclosed-block"; 2]);
    assert_eq!(findings[0].message, "task 1 的块没有闭合");
    assert_eq!(
        labels(text, &findings[0]),
        [
            ("task 1 \"甲\" {", "块从这里开始".to_owned()),
            ("task 2 \"乙\" {", "在此之前应有 }".to_owned()),
        ]
    );
    assert_eq!(
        labels(text, &findings[1]),
        [("task 2 \"乙\" {", "块从这里开始".to_owned())]
    );
    // Both tasks and the rule are still in the plan.
    assert_eq!((plan.tasks.len(), plan.rules.len()), (2, 1));
}

#[test]
fn a_close_without_an_open_block_is_unmatched() {
    let text = in_task("    甲 >= 1") + "}\n";
    let (_, findings) = parse(&text);
    assert_eq!(codes(&findings), ["plancheck::plan::unmatched-close"]);
    let (_, line, column, width, _) = label_at(&text, &findings[0], 0);
    assert_eq!((line, column, width), (5, 1, 1));
}

#[test]
fn a_task_needs_a_lead() {
    let text = "task 7 \"甲\" {\n    甲 >= 1\n}\n";
    let (plan, findings) = parse(text);
    assert_eq!(codes(&findings), ["plancheck::plan::no-lead"]);
    assert_eq!(findings[0].message, "任务 7 没有牵头单位");
    assert_eq!(
        labels(text, &findings[0]),
        [("task 7 \"甲\" {", "此任务缺少 lead".to_owned())]
    );
    assert_eq!(plan.rules.len(), 1);
}

#[test]
fn rules_and_leads_belong_in_a_task() {
    let text = "plan \"甲\" {\n    甲 >= 1\n}\nlead 区统计局\n乙 >= 2 from \"乙\"\n";
    let (plan, findings) = parse(text);
    assert_eq!(codes(&findings), ["plancheck::plan::outside-task"; 3]);
    let statements: Vec<&str> = findings.iter().map(|f| labels(text, f)[0].0).collect();
    assert_eq!(
        statements,
        ["甲 >= 1", "lead 区统计局", "乙 >= 2 from \"乙\""]
    );
    assert!(plan.rules.is_empty());
}

#[test]
fn header_statements_belong_in_the_header() {
    let text = "period 2023\nplan \"甲\" {\n    period 2023\n    period 2024\n}\n";
    let (_, findings) = parse(text);
    assert_eq!(codes(&findings), ["plancheck::parse::syntax"; 2]);
    assert_eq!(
        findings[0].message,
        "period 只能写在计划头 plan \"…\" { … } 中"
    );
    assert_eq!(findings[1].message, "计划头中 period 重复");
}

#[test]
fn values_that_cannot_be_a_target_are_errors() {
    let cases = [
        ("甲 in 1个..2家", "plancheck::plan::range-units", "个"),
        ("甲 in 1个..2", "plancheck::plan::range-units", "个"),
        (
            "甲 in 3..2 个",
            "plancheck::plan::empty-range",
            "in 3..2 个",
        ),
        (
            "甲 >= 123456789012345678901234567890",
            "plancheck::plan::bad-number",
            "123456789012345678901234567890",
        ),
        (
            "甲 >= 0.00000000000000000000000000001",
            "plancheck::plan::bad-number",
            "0.00000000000000000000000000001",
        ),
    ];
    for (line, code, labelled) in cases {
        let text = in_task(&format!("    {line}"));
        let (plan, findings) = parse(&text);
        assert_eq!(codes(&findings), [code], "{line}");
        assert_eq!(labels(&text, &findings[0])[0].0, labelled, "{line}");
        assert!(plan.rules.is_empty(), "{line}");
    }
    let (plan, findings) = parse(&in_task("    甲 in 1个..2 个"));
    assert_eq!((findings.len(), plan.rules.len()), (0, 1));
}

#[test]
fn task_numbers_and_periods_must_be_readable() {
    let text =
        "plan \"甲\" {\n    period 2023年13月\n}\ntask 99999999999 \"乙\" {\n    lead 乙\n}\n";
    let (plan, findings) = parse(text);
    assert_eq!(
        codes(&findings),
        ["plancheck::plan::bad-period", "plancheck::plan::bad-number"]
    );
    assert_eq!(labels(text, &findings[0])[0].0, "2023年13月");
    assert_eq!(labels(text, &findings[1])[0].0, "99999999999");
    assert!(plan.period().is_none() && plan.tasks.is_empty());
}

#[test]
fn lead_input_errors_say_how_to_write_the_units() {
    let text = "task 1 \"a\" {\n    lead 牵头单位：区发改局\n}\ntask 2 \"b\" {\n    lead 区发改局；区财政局\n}\ntask 3 \"c\" {\n    lead 区发改局 区财政局\n}\ntask 4 \"d\" {\n    lead 各县(市)、区人民政府, 区财政局\n}\n";
    let (plan, findings) = parse(text);
    let said: Vec<(&str, &str, Option<&str>)> = findings
        .iter()
        .map(|f| (f.code, f.message.as_str(), f.help.as_deref()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "plancheck::plan::bad-lead",
                "lead 中多了标签“牵头单位”",
                Some("只写单位名称：lead 区发改局")
            ),
            (
                "plancheck::plan::bad-lead",
                "“区发改局；区财政局”用分号连着几个单位",
                Some("单位之间用逗号或顿号分隔：lead 区发改局, 区财政局")
            ),
            (
                "plancheck::parse::syntax",
                "应为分隔符（,、，或 、）或行尾，却遇到“区”",
                Some("单位之间用逗号或顿号分隔，不要用空格或分号：lead 区发改局, 区财政局")
            ),
        ]
    );
    let leads: Vec<Vec<&str>> = plan.tasks.iter().map(|t| names(&t.leads)).collect();
    assert_eq!(
        leads,
        [
            vec!["区发改局"],
            vec!["区发改局", "区财政局"],
            vec!["区发改局", "区财政局"],
            vec!["各县(市)、区人民政府", "区财政局"],
        ]
    );
}

#[test]
fn the_kind_is_read_from_the_whole_name() {
    let (plan, findings) = parse(&in_task(
        "    城镇新增就业 >= 3000 人\n    工业投资 >= 100 亿元\n    粮食产量 >= 50 万吨\n    新引进亿元以上项目 >= 30 个\n    规模以上工业企业 >= 45 家\n    城镇调查失业率 <= 5.5%",
    ));
    assert!(findings.is_empty(), "{findings:#?}");
    let kinds: Vec<&str> = plan.rules.iter().map(|r| r.kind().as_str()).collect();
    assert_eq!(
        kinds,
        [
            "cumulative",
            "cumulative",
            "cumulative",
            "cumulative",
            "level",
            "level"
        ]
    );
}
