//! Errors of the new forms, each with its code and the exact place it points at in Chinese
//! lines: dates, schedules, tolerances, references, skips, clause repeats and units.

use super::{codes, covered, label_at, parse, rule_loc};
use crate::source::SourceFile;

/// `body` in a task of a plan whose period is 2023 and that has no `approx`. The body starts
/// at byte 77, on line 6.
fn in_plan(body: &str) -> String {
    format!("plan \"甲\" {{\n    period 2023\n}}\ntask 1 \"测试任务\" {{\n    lead 区统计局\n{body}\n}}\n")
}

/// A rule-line error: the body, its code, and where label 0 points (byte offset, line,
/// character column, byte width, text).
struct Case {
    body: &'static str,
    code: &'static str,
    at: (usize, usize, usize, usize, &'static str),
    message: &'static str,
}

#[test]
fn each_error_of_a_new_form_is_reported_at_its_place() {
    let cases = [
        Case {
            body: "    甲 >= 1 due 2023-02-29",
            code: "plancheck::plan::bad-date",
            at: (94, 6, 16, 10, "2023-02-29"),
            message: "日期“2023-02-29”无效",
        },
        Case {
            body: "    甲 >= 1\n        due 2023-13-01",
            code: "plancheck::plan::bad-date",
            at: (102, 7, 13, 10, "2023-13-01"),
            message: "日期“2023-13-01”无效",
        },
        Case {
            body: "    新增企业 >= 10 家 schedule 2023-H1 50%, 2023-Q1 20%",
            code: "plancheck::plan::bad-schedule",
            at: (126, 6, 40, 11, "2023-Q1 20%"),
            message: "进度安排无效：检查点须按期间先后排列",
        },
        Case {
            body: "    新增企业 >= 10 家 schedule 2023-Q2 50%, 2023-H1 60%",
            code: "plancheck::plan::bad-schedule",
            at: (126, 6, 40, 11, "2023-H1 60%"),
            message: "进度安排无效：检查点须按期间先后排列",
        },
        Case {
            body: "    新增企业 >= 10 家 schedule 2023-Q1 50%, 2023-H1 40%",
            code: "plancheck::plan::bad-schedule",
            at: (134, 6, 48, 3, "40%"),
            message: "进度安排无效：检查点的占比不能减少",
        },
        Case {
            body: "    新增企业 >= 10 家 schedule 2023-Q1 120%",
            code: "plancheck::plan::bad-schedule",
            at: (121, 6, 35, 4, "120%"),
            message: "进度安排无效：检查点的占比须在 0% 到 100% 之间",
        },
        Case {
            body: "    新增企业 >= 10 家 schedule 2023-Q1 2 家",
            code: "plancheck::plan::bad-schedule",
            at: (123, 6, 37, 3, "家"),
            message: "进度安排无效：检查点的占比以 % 计",
        },
        Case {
            body: "    新增企业 >= 10 家 schedule 2023年第五季度 20%",
            code: "plancheck::plan::bad-schedule",
            at: (113, 6, 27, 19, "2023年第五季度"),
            message: "进度安排无效：“2023年第五季度”不是期间",
        },
        Case {
            body: "    新增企业 >= 10 家 schedule 2023-Q3 75%, 2024-Q1 100%",
            code: "plancheck::plan::bad-schedule",
            at: (126, 6, 40, 12, "2024-Q1 100%"),
            message: "进度安排无效：检查点 2024-Q1 不在计划期 2023 内",
        },
        Case {
            body: "    重点项目 ~= 20 个",
            code: "plancheck::plan::no-tolerance",
            at: (94, 6, 10, 9, "~= 20 个"),
            message: "“左右”目标没有容差",
        },
        Case {
            body: "    制造业贷款增幅 >= 5%\n    攀登企业贷款增幅 > metric 制造业贷款增速",
            code: "plancheck::plan::unknown-reference",
            at: (147, 7, 23, 21, "制造业贷款增速"),
            message: "计划中没有指标“制造业贷款增速”",
        },
        Case {
            body: "    甲 >= 1 kind level\n        kind 累计",
            code: "plancheck::plan::duplicate-clause",
            at: (109, 7, 9, 11, "kind 累计"),
            message: "规则的 kind 子句重复",
        },
        Case {
            body: "    规上工业增加值 growth >= 20 亿元",
            code: "plancheck::plan::range-units",
            at: (116, 6, 26, 6, "亿元"),
            message: "growth 的增长率须以 % 表示",
        },
        Case {
            body: "    规上工业增加值 growth >= 20",
            code: "plancheck::plan::range-units",
            at: (113, 6, 23, 2, "20"),
            message: "growth 的增长率须以 % 表示",
        },
        Case {
            body: "    规上工业增加值 growth in 5..8 百分点",
            code: "plancheck::plan::range-units",
            at: (118, 6, 28, 9, "百分点"),
            message: "growth 的增长率须以 % 表示",
        },
        Case {
            body: "    甲 >= 1 个 within 2 个",
            code: "plancheck::plan::orphan-clause",
            at: (94, 6, 14, 12, "within 2 个"),
            message: "within 只用于 ~= （左右）目标",
        },
        Case {
            body: "    重点项目 ~= 20 个 within 2 家",
            code: "plancheck::plan::range-units",
            at: (113, 6, 27, 3, "家"),
            message: "within 的单位与目标不一致：单位“家”不能与以“个”计的数量换算",
        },
        Case {
            body: "    研发投入 >= 30 亿元 baseline 25.3 万吨",
            code: "plancheck::plan::range-units",
            at: (121, 6, 33, 6, "万吨"),
            message: "baseline 的单位与目标不一致：单位“万吨”不能与金额（人民币）换算",
        },
        Case {
            body: "    研发投入 change >= 5 亿元 baseline 25.3 亿园",
            code: "plancheck::plan::unknown-unit",
            at: (127, 6, 39, 6, "亿园"),
            message: "未知计量单位“亿园”",
        },
        Case {
            body: "    重点项目 ~= 20 个 within -2 个",
            code: "plancheck::plan::bad-number",
            at: (111, 6, 25, 6, "-2 个"),
            message: "within 的容差不能为负数",
        },
    ];
    for case in cases {
        let text = in_plan(case.body);
        let (_, findings) = parse(&text);
        assert_eq!(
            codes(&findings),
            [case.code],
            "{}: {findings:#?}",
            case.body
        );
        assert_eq!(findings[0].message, case.message, "{}", case.body);
        assert_eq!(label_at(&text, &findings[0], 0), case.at, "{}", case.body);
    }
}

#[test]
fn a_broken_schedule_or_date_leaves_the_rule_without_it() {
    let (plan, _) = parse(&in_plan(
        "    甲 >= 10 家 schedule 2023-Q3 75%, 2024-Q1 100% due 2023-02-30\n    乙 >= 1 schedule 2023-H1 40%, 2023-Q1 20%",
    ));
    assert_eq!(plan.rules.len(), 2);
    assert!(plan.rules[0].schedule.is_empty() && plan.rules[0].due.is_none());
    assert!(plan.rules[1].schedule.is_empty());
}

#[test]
fn the_plan_period_bounds_schedules_in_files_read_before_it() {
    let tasks = "task 1 \"甲\" {\n    lead 区统计局\n    新增企业 >= 10 家\n        schedule 2023-H1 50%, 2023-H2 100%\n    新增项目 >= 4 个 schedule 2022-12 10%\n}\n";
    let header = "plan \"甲\" {\n    period 2023\n}\n";
    let (plan, findings) = super::parse_files(vec![
        SourceFile::new("a.plan", tasks),
        SourceFile::new("b.plan", header),
    ]);
    assert_eq!(codes(&findings), ["plancheck::plan::bad-schedule"]);
    let label = &findings[0].labels[0];
    assert_eq!(covered(tasks, rule_loc(&label.loc)), "2022-12 10%");
    assert_eq!(label.text, "在计划期之外");
    assert_eq!(plan.rules[0].schedule.len(), 2);
    assert!(plan.rules[1].schedule.is_empty());
    // Without a plan period there is nothing to lie outside of.
    let (plan, findings) = parse(tasks);
    assert_eq!(findings, []);
    assert_eq!(plan.rules[1].schedule.len(), 1);
}

#[test]
fn a_tolerance_comes_from_the_rule_or_the_header() {
    let body = "    重点项目 ~= 20 个\n    重点项目B ~= 20 个 within 2 个";
    let (_, findings) = parse(&in_plan(body));
    assert_eq!(codes(&findings), ["plancheck::plan::no-tolerance"]);
    assert_eq!(
        findings[0].help.as_deref(),
        Some("在规则后写 within 10%（或 within 2 个；增长率写 within 0.5 百分点），或在计划头中写 approx 10%, 0.5 百分点 作为所有 ~= 目标的容差")
    );
    let with_approx = in_plan(body).replace("period 2023\n", "period 2023\n    approx 10%\n");
    let (_, findings) = parse(&with_approx);
    assert_eq!(findings, []);
    // Without any header there is no `approx` either.
    let (_, findings) = parse(&super::in_task(body));
    assert_eq!(codes(&findings), ["plancheck::plan::no-tolerance"]);
}

#[test]
fn an_unknown_reference_suggests_the_closest_metric() {
    let text = in_plan("    制造业贷款增幅 >= 5%\n    攀登企业贷款增幅 > metric 制造业贷款增速\n    增速 >= metric \"GDP增速\"");
    let (_, findings) = parse(&text);
    assert_eq!(codes(&findings), ["plancheck::plan::unknown-reference"; 2]);
    assert_eq!(findings[0].labels[0].text, "没有规则检查这一指标");
    assert_eq!(
        findings[0].help.as_deref(),
        Some("是否应为“制造业贷款增幅”？")
    );
    // Nothing alike: the help says what `metric` takes. A quoted name is labelled with its
    // quotes, like the metric of a rule.
    assert_eq!(label_at(&text, &findings[1], 0).4, "\"GDP增速\"");
    assert_eq!(
        findings[1].help.as_deref(),
        Some("metric 后写计划中某条规则检查的指标名称，与该规则中的写法一致")
    );
    // A reference to a rule left out for an error of its own is not reported again.
    let (_, findings) = parse(&in_plan(
        "    制造业贷款增幅 >= 九\n    攀登企业贷款增幅 > metric 制造业贷款增幅",
    ));
    assert_eq!(codes(&findings), ["plancheck::parse::syntax"]);
    let (_, findings) = parse(&in_plan(
        "    制造业贷款增幅 >= 5 亿园\n    攀登企业贷款增幅 > metric 制造业贷款增幅",
    ));
    assert_eq!(codes(&findings), ["plancheck::plan::unknown-unit"]);
}

#[test]
fn the_labels_of_a_units_mismatch_name_both_sides() {
    let text = in_plan("    重点项目 ~= 20 个\n        within 2 家");
    let (plan, findings) = parse(&text);
    assert_eq!(codes(&findings), ["plancheck::plan::range-units"]);
    let labels: Vec<(&str, &str)> = findings[0]
        .labels
        .iter()
        .map(|l| (covered(&text, rule_loc(&l.loc)), l.text.as_str()))
        .collect();
    assert_eq!(
        labels,
        [("家", "单位“家”"), ("~= 20 个", "目标是以“个”计的数量")]
    );
    // The rule stays, without the tolerance that does not fit it.
    assert_eq!(plan.rules.len(), 1);
}

#[test]
fn header_tolerances_are_non_negative_per_cents_in_the_header() {
    let cases = [
        (
            "plan \"甲\" {\n    tolerance 5 家\n}\n",
            "plancheck::plan::range-units",
            "家",
        ),
        (
            "plan \"甲\" {\n    approx -10%\n}\n",
            "plancheck::plan::bad-number",
            "-10%",
        ),
        (
            "plan \"甲\" {\n    approx 10%\n    approx 5%\n}\n",
            "plancheck::parse::syntax",
            "approx 5%",
        ),
        ("tolerance 5%\n", "plancheck::parse::syntax", "tolerance 5%"),
    ];
    for (text, code, labelled) in cases {
        let (plan, findings) = parse(text);
        assert_eq!(codes(&findings), [code], "{text}");
        assert_eq!(label_at(text, &findings[0], 0).4, labelled, "{text}");
        if let Some(header) = plan.header {
            assert!(header.tolerance.is_none(), "{text}");
            assert_eq!(
                header.approx,
                (code == "plancheck::parse::syntax").then(|| 10.into()),
                "{text}"
            );
        }
    }
}

#[test]
fn a_skip_needs_a_passage_and_a_reason() {
    let text = "skip \"\" because \"无\"\nskip \"加强组织领导\" because \"  \"\n";
    let (plan, findings) = parse(text);
    assert_eq!(codes(&findings), ["plancheck::parse::syntax"; 2]);
    assert_eq!(findings[0].message, "skip 的引文不能为空");
    assert_eq!(label_at(text, &findings[0], 0), (5, 1, 6, 2, "\"\""));
    assert_eq!(findings[1].message, "skip 的理由不能为空");
    assert_eq!(label_at(text, &findings[1], 0), (56, 2, 23, 4, "\"  \""));
    assert!(plan.skips.is_empty());
}

#[test]
fn a_skip_line_ends_the_clauses_of_the_rule_above() {
    let text = in_plan("    甲 >= 1\n    skip \"甲\" because \"乙\"\n        from \"丙\"");
    let (plan, findings) = parse(&text);
    assert_eq!(codes(&findings), ["plancheck::plan::orphan-clause"]);
    assert!(plan.rules[0].quote.is_none());
}
