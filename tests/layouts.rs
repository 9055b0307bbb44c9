//! Plans of several layouts, each a source text written for these tests in a form districts
//! and counties use, with a plan that encodes it: `coverage` must read every layout into its
//! items and targets exactly.

use crate::support::Test;

/// A layout's source text and plan, in `tests/layouts/NAME/`.
pub fn layout(name: &str) -> (&'static str, &'static str) {
    match name {
        "target-first" => (
            include_str!("layouts/target-first/source.txt"),
            include_str!("layouts/target-first/plan.plan"),
        ),
        "paren-items" => (
            include_str!("layouts/paren-items/source.txt"),
            include_str!("layouts/paren-items/plan.plan"),
        ),
        "prose" => (
            include_str!("layouts/prose/source.txt"),
            include_str!("layouts/prose/plan.plan"),
        ),
        "table" => (
            include_str!("layouts/table/source.txt"),
            include_str!("layouts/table/plan.plan"),
        ),
        "comma-items" => (
            include_str!("layouts/comma-items/source.txt"),
            include_str!("layouts/comma-items/plan.plan"),
        ),
        "chinese-items" => (
            include_str!("layouts/chinese-items/source.txt"),
            include_str!("layouts/chinese-items/plan.plan"),
        ),
        other => panic!("no layout {other}"),
    }
}

pub const LAYOUTS: [&str; 6] = [
    "target-first",
    "paren-items",
    "prose",
    "table",
    "comma-items",
    "chinese-items",
];

pub fn test(name: &str) -> Test {
    let (source, plan) = layout(name);
    Test::empty()
        .file("rules/plan.plan", plan)
        .file("rules/source.txt", source)
}

/// (layout, exit code, [tasks, statements, covered, skipped, uncovered], uncovered quotes
/// with their item).
type Expected = (&'static str, i32, [u64; 5], &'static [(u64, &'static str)]);

const EXPECTED: &[Expected] = &[
    // `1.地区生产总值增长8%以上。(责任领导:…;牵头单位:…)`: the first sentence is the target;
    // 规模以上 and 全面… are no targets.
    ("target-first", 0, [5, 4, 4, 0, 0], &[]),
    // `（一）` items with 牵头单位/责任单位/完成时限 lines; a page marker cuts a sentence that
    // a quote then cites whole.
    (
        "paren-items",
        1,
        [4, 6, 4, 0, 2],
        &[(3, "新增公办学位1170个"), (4, "安全生产事故起数下降10%")],
    ),
    // Targets listed in one paragraph, separated by ；.
    ("prose", 0, [2, 4, 4, 0, 0], &[]),
    // A table flattened one cell a line.
    (
        "table",
        1,
        [4, 3, 2, 0, 1],
        &[(1, "地区生产总值增长6%左右")],
    ),
    // `1、` items; a rank; a completion with a deadline; an explanatory 高于…平均水平 clause
    // about last year that is no target.
    ("comma-items", 0, [5, 5, 5, 0, 0], &[]),
    // `一、` items over several lines; the paste quote of a clause that occurs twice grows
    // until it is unique.
    (
        "chinese-items",
        1,
        [3, 6, 5, 0, 1],
        &[(1, "辖区企业营业收入增长12%，税收收入增长12%")],
    ),
];

#[test]
fn coverage_reads_every_layout_exactly() {
    for (name, exit, totals, uncovered) in EXPECTED {
        let output = test(name).args(&["coverage", "--format", "json"]).run();
        let json: serde_json::Value = serde_json::from_str(&output.stdout)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}", output.stderr));
        let summary = &json["summary"];
        let got: Vec<u64> = ["tasks", "statements", "covered", "skipped", "uncovered"]
            .iter()
            .map(|k| summary[k].as_u64().unwrap())
            .collect();
        assert_eq!(got, totals, "{name}");
        let got: Vec<(u64, &str)> = json["uncovered"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| (u["task"].as_u64().unwrap(), u["quote"].as_str().unwrap()))
            .collect();
        assert_eq!(got, *uncovered, "{name}");
        assert_eq!(output.status, *exit, "{name}");
        assert_eq!(json["warnings"], serde_json::json!([]), "{name}");
    }
}

#[test]
fn a_document_coverage_cannot_read_fails_with_a_warning() {
    let output = Test::empty()
        .file(
            "rules/plan.plan",
            "plan \"无条目\" {\n    period 2024\n    source \"source.txt\"\n}\n",
        )
        .file("rules/source.txt", "各部门要高度重视。\n")
        .args(&["coverage"])
        .run();
    assert_eq!(output.status, 1);
    assert!(
        output.stdout.contains("⚠ 原文中没有找到任何条目"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_plan_that_covers_none_of_the_targets_fails() {
    let (source, _) = layout("target-first");
    let output = Test::empty()
        .file(
            "rules/plan.plan",
            "plan \"全部跳过\" {\n    period 2024\n    source \"source.txt\"\n}\n\
             skip \"地区生产总值增长8%以上\" because \"测试\"\n\
             skip \"一般公共预算收入增长6%\" because \"测试\"\n\
             skip \"规模以上工业增加值增长10%\" because \"测试\"\n\
             skip \"城镇新增就业3000人\" because \"测试\"\n",
        )
        .file("rules/source.txt", source)
        .args(&["coverage", "--format", "json"])
        .run();
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    assert_eq!(json["summary"]["uncovered"], 0);
    assert_eq!(
        json["warnings"],
        serde_json::json!(["原文有 4 条目标性陈述，规则一条也没有引用"])
    );
    assert_eq!(output.status, 1);
}

#[test]
fn per_mille_targets_are_judged_on_both_sides_of_the_bound() {
    for (figure, verdict) in [
        ("\"6‰\"", "met"),
        ("\"6.1‰\"", "unmet"),
        ("\"0.6%\"", "met"),
        ("\"0.61%\"", "unmet"),
    ] {
        let (status, json) = test("chinese-items")
            .file(
                "data/wsj.yaml",
                crate::support::submission("街道卫健办", "2023", &[("人口自然增长率", figure)]),
            )
            .check_json(&["data"]);
        let got = crate::support::result(&json, "人口自然增长率");
        assert_eq!(got["verdict"], verdict, "{figure}: {got:#}");
        assert_ne!(status, 2, "{figure}");
    }
}

#[test]
fn a_document_with_no_items_is_never_a_silent_pass() {
    // 任务 0 项 used to pass without a word: the summary now carries a warning, in both
    // formats, and the run fails.
    let test = || {
        Test::empty()
            .file(
                "rules/plan.plan",
                "plan \"无条目\" {\n    period 2024\n    source \"source.txt\"\n}\n",
            )
            .file(
                "rules/source.txt",
                "各部门要高度重视，确保各项工作落到实处。\n",
            )
    };
    let output = test().args(&["coverage", "--color", "never"]).run();
    assert_eq!(output.status, 1);
    insta::assert_snapshot!(output.stdout);
    let output = test().args(&["coverage", "--format", "json"]).run();
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    assert_eq!(json["summary"]["tasks"], 0);
    assert_eq!(
        json["warnings"],
        serde_json::json!([
            "原文中没有找到任何条目（编号段落、表格行或列出目标的段落），无法确认覆盖情况：请检查原文的版式，或把目标逐条编号"
        ])
    );
    assert_eq!(output.status, 1);
}

#[test]
fn a_plan_without_rules_for_a_document_with_targets_fails() {
    let (source, _) = layout("target-first");
    let output = Test::empty()
        .file(
            "rules/plan.plan",
            "plan \"空计划\" {\n    period 2024\n    source \"source.txt\"\n}\n",
        )
        .file("rules/source.txt", source)
        .args(&["coverage", "--format", "json"])
        .run();
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    assert_eq!(json["summary"]["uncovered"], 4);
    assert_eq!(json["summary"]["covered"], 0);
    assert_eq!(
        json["warnings"],
        serde_json::json!(["原文有 4 条目标性陈述，规则一条也没有引用"])
    );
    assert_eq!(output.status, 1);
}
