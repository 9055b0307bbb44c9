//! Every statement form of the language parses to the expected model.

use super::{covered, names, parse, quantity};
use crate::model::{Op, Strength, Target};

/// The example of the language reference, without its `source` line (quotes are tested in
/// `files`).
const EXAMPLE: &str = r#"# comments start with # (anywhere on a line, outside strings)
plan "兖州区2023年重点工作任务" {
    period 2023
}

section 四 "聚力降碳减污扩绿，厚植绿色发展底色"

task 32 "深入推进环境污染防治" {
    lead 区生态环境分局, 区水务局, 区自然资源局, 区农业农村局

    确保 受污染耕地安全利用率 >= 91%
        from "受污染耕地安全利用率稳定在91%以上"
    力争 农用地安全利用率 == 100%
    造纸包装产业营业收入 > 450 亿元
    培育主要农作物新品种 in 1..2 个
    农村黑臭水体 == 0 处
    "省“一企一技术”研发中心" >= 1 家
    done 完成市定煤电机组关停任务
    力争 done 招引落地50亿元以上项目 from "50亿元以上项目1个" by 区投资促进中心 due 2023-12-31
}
"#;

#[test]
fn the_reference_example_parses_without_findings() {
    let (plan, findings) = parse(EXAMPLE);
    assert_eq!(findings, []);
    let header = plan.header.as_ref().unwrap();
    assert_eq!(header.title, "兖州区2023年重点工作任务");
    assert_eq!(plan.period(), Some(crate::period::Period::Year(2023)));
    assert_eq!(plan.sections.len(), 1);
    assert_eq!(plan.sections[0].numeral, "四");
    assert_eq!(plan.sections[0].title, "聚力降碳减污扩绿，厚植绿色发展底色");
    let task = &plan.tasks[0];
    assert_eq!(
        (task.number, task.title.as_str(), task.section),
        (32, "深入推进环境污染防治", Some(0))
    );
    assert_eq!(
        names(&task.leads),
        ["区生态环境分局", "区水务局", "区自然资源局", "区农业农村局"]
    );
    assert_eq!(
        covered(EXAMPLE, &task.loc),
        "task 32 \"深入推进环境污染防治\" {"
    );
}

#[test]
fn the_reference_example_gives_these_rules() {
    let (plan, _) = parse(EXAMPLE);
    let compare = |op, amount, unit| Target::Compare {
        op,
        value: quantity(amount, unit),
    };
    let expected = [
        (
            Strength::Must,
            "受污染耕地安全利用率",
            compare(Op::Ge, "91", "%"),
        ),
        (
            Strength::Strive,
            "农用地安全利用率",
            compare(Op::Eq, "100", "%"),
        ),
        (
            Strength::Must,
            "造纸包装产业营业收入",
            compare(Op::Gt, "450", "亿元"),
        ),
        (
            Strength::Must,
            "培育主要农作物新品种",
            Target::Range {
                low: quantity("1", "个"),
                high: quantity("2", "个"),
            },
        ),
        (Strength::Must, "农村黑臭水体", compare(Op::Eq, "0", "处")),
        (
            Strength::Must,
            "省“一企一技术”研发中心",
            compare(Op::Ge, "1", "家"),
        ),
        (Strength::Must, "完成市定煤电机组关停任务", Target::Done),
        (Strength::Strive, "招引落地50亿元以上项目", Target::Done),
    ];
    assert_eq!(plan.rules.len(), expected.len());
    for (rule, (strength, metric, target)) in plan.rules.iter().zip(expected) {
        assert_eq!(
            (rule.strength, rule.metric.as_str(), &rule.target),
            (strength, metric, &target)
        );
        assert_eq!(rule.task.0, 0);
    }
    let first = &plan.rules[0];
    let quote = first.quote.as_ref().unwrap();
    assert_eq!(quote.text, "受污染耕地安全利用率稳定在91%以上");
    assert_eq!(
        covered(EXAMPLE, &quote.loc),
        "\"受污染耕地安全利用率稳定在91%以上\""
    );
    let last = &plan.rules[7];
    assert_eq!(last.quote.as_ref().unwrap().text, "50亿元以上项目1个");
    assert_eq!(names(&last.reporters), ["区投资促进中心"]);
    assert_eq!(last.due.as_deref(), Some("2023-12-31"));
    assert!(plan.rules[..7]
        .iter()
        .all(|r| r.reporters.is_empty() && r.due.is_none()));
}

#[test]
fn rule_locations_cover_metric_target_and_line() {
    let (plan, _) = parse(EXAMPLE);
    let spans: Vec<(&str, &str, &str)> = plan
        .rules
        .iter()
        .map(|r| {
            (
                covered(EXAMPLE, &r.metric_loc),
                covered(EXAMPLE, &r.target_loc),
                covered(EXAMPLE, &r.loc),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("受污染耕地安全利用率", ">= 91%", "确保 受污染耕地安全利用率 >= 91%"),
            ("农用地安全利用率", "== 100%", "力争 农用地安全利用率 == 100%"),
            ("造纸包装产业营业收入", "> 450 亿元", "造纸包装产业营业收入 > 450 亿元"),
            ("培育主要农作物新品种", "in 1..2 个", "培育主要农作物新品种 in 1..2 个"),
            ("农村黑臭水体", "== 0 处", "农村黑臭水体 == 0 处"),
            (
                "\"省“一企一技术”研发中心\"",
                ">= 1 家",
                "\"省“一企一技术”研发中心\" >= 1 家"
            ),
            ("完成市定煤电机组关停任务", "done", "done 完成市定煤电机组关停任务"),
            (
                "招引落地50亿元以上项目",
                "done",
                "力争 done 招引落地50亿元以上项目 from \"50亿元以上项目1个\" by 区投资促进中心 due 2023-12-31"
            ),
        ]
    );
    // Byte offsets, not characters: the metric of the first rule starts after `    确保 `.
    let line_start = EXAMPLE.find("    确保").unwrap();
    assert_eq!(plan.rules[0].metric_loc.span.start, line_start + 4 + 6 + 1);
}

#[test]
fn a_trailing_comment_is_not_part_of_the_rule() {
    let text = super::in_task("    甲 >= 5 家   # 年底前\n    乙 in 1..2 # 无单位");
    let (plan, findings) = parse(&text);
    assert_eq!(findings, []);
    assert_eq!(covered(&text, &plan.rules[0].loc), "甲 >= 5 家");
    assert_eq!(covered(&text, &plan.rules[1].loc), "乙 in 1..2");
    assert_eq!(covered(&text, &plan.rules[1].target_loc), "in 1..2");
}

#[test]
fn every_strength_word_is_read() {
    let words = [
        ("确保", Strength::Must),
        ("必须", Strength::Must),
        ("严格", Strength::Must),
        ("坚决", Strength::Must),
        ("力争", Strength::Strive),
        ("争取", Strength::Strive),
        ("争创", Strength::Strive),
        ("", Strength::Must),
    ];
    for (word, strength) in words {
        let (plan, findings) = parse(&super::in_task(&format!("    {word} 甲 >= 1")));
        assert_eq!(findings, [], "{word}");
        assert_eq!(
            (plan.rules[0].strength, plan.rules[0].metric.as_str()),
            (strength, "甲"),
            "{word}"
        );
    }
    // Chinese is written without spaces; the strength word still stands apart.
    let (plan, _) = parse(&super::in_task("    力争农用地安全利用率 == 100%"));
    assert_eq!(plan.rules[0].strength, Strength::Strive);
    assert_eq!(plan.rules[0].metric, "农用地安全利用率");
}

#[test]
fn numbers_units_and_operators_in_every_spelling() {
    let cases = [
        ("甲 >= 1,000.5 万元", Op::Ge, "1000.5", "万元"),
        ("甲 ≥ 0.5平方公里", Op::Ge, "0.5", "平方公里"),
        ("甲 ＞ 1亿美元", Op::Gt, "1", "亿美元"),
        ("甲 ≤ 5％", Op::Le, "5", "%"),
        ("甲 < -3", Op::Lt, "-3", ""),
        ("甲 ＝＝ 0 处", Op::Eq, "0", "处"),
        ("PM2.5浓度 <= 38", Op::Le, "38", ""),
        ("甲>=91%", Op::Ge, "91", "%"),
        ("甲　>=　12　家", Op::Ge, "12", "家"),
    ];
    for (line, op, amount, unit) in cases {
        let (plan, findings) = parse(&super::in_task(&format!("    {line}")));
        assert_eq!(findings, [], "{line}");
        let expected = Target::Compare {
            op,
            value: quantity(amount, unit),
        };
        assert_eq!(plan.rules[0].target, expected, "{line}");
    }
}

#[test]
fn clauses_on_lines_below_attach_to_the_rule_above() {
    let text = super::in_task(
        "    甲 >= 5 家\n        by 区统计局，区水务局、区商务局\n        due 2023-09-30 from \"甲乙\"\n    乙 >= 1",
    );
    let (plan, findings) = parse(&text);
    assert_eq!(findings, []);
    let first = &plan.rules[0];
    assert_eq!(
        names(&first.reporters),
        ["区统计局", "区水务局", "区商务局"]
    );
    assert_eq!(first.due.as_deref(), Some("2023-09-30"));
    assert_eq!(first.quote.as_ref().unwrap().text, "甲乙");
    assert!(plan.rules[1].quote.is_none());
}

#[test]
fn strings_keep_hashes_and_resolve_escapes() {
    let text = super::in_task(r#"    "甲 \"乙\" #1 \\ 丙" >= 1 # 注释"#);
    let (plan, findings) = parse(&text);
    assert_eq!(findings, []);
    assert_eq!(plan.rules[0].metric, r#"甲 "乙" #1 \ 丙"#);
}

#[test]
fn sections_number_the_tasks_below_them() {
    let text = "task 1 \"甲\" {\n lead 甲\n}\nsection 一 \"一\"\ntask 2 \"乙\" {\n lead 乙\n}\nsection 2 \"二\"\ntask 3 \"丙\" {\n lead 丙\n}\n";
    let (plan, findings) = parse(text);
    assert_eq!(findings, []);
    let sections: Vec<Option<usize>> = plan.tasks.iter().map(|t| t.section).collect();
    assert_eq!(sections, [None, Some(0), Some(1)]);
    assert_eq!(plan.sections[1].numeral, "2");
}

#[test]
fn lead_lines_add_up() {
    let (plan, findings) = parse("task 1 \"甲\" {\n lead 甲, 乙\n lead 丙\n}\n");
    assert_eq!(findings, []);
    assert_eq!(names(&plan.tasks[0].leads), ["甲", "乙", "丙"]);
}
