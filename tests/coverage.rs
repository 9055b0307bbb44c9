//! `plancheck coverage`: which targets of the source text no rule cites, on a small plan whose
//! source has one cited target, one skipped, one uncovered and a rule without a quote.

use crate::support::Test;

/// A notice, two section headings and three task paragraphs. The preamble says 全面落实 and
/// the headings and lead units are no statements: none of them may be reported.
const SOURCE: &str = "\
济宁市兖州区测试工作任务

为深入贯彻党的二十大精神，全面落实上级部署，制定2023年重点工作任务如下：
一、聚力创新驱动战略，建设高水平创新城市
1.搭建创新平台。推动华勤集团争创省级国际联合实验室，新增省级以上创新平台5家以上。（牵头单位：区科技局、区工业和信息化局）
2.突破关键技术。积极参与市级“全球揭榜”攻关项目，争取省级企业技术创新项目10项，推动产业链创新链深度融合。（牵头单位：区科技局）
四、聚力降碳减污扩绿，厚植绿色发展底色
27.推进自然生态系统碳汇调查评价工作。适时开展林业碳汇调查，全面完成自然资源统一确权登记任务。（牵头单位：区自然资源局）
";

/// Task 1 cites its target but has a rule without `from`; task 2's target is not encoded;
/// task 27's is skipped.
const PLAN: &str = r#"plan "兖州区覆盖测试" {
    period 2023
    source "source.txt"
}

task 1 "搭建创新平台" {
    lead 区科技局, 区工业和信息化局
    力争 done 华勤集团争创省级国际联合实验室
    新增省级以上创新平台 >= 5 家
        from "新增省级以上创新平台5家以上"
}

task 2 "突破关键技术" {
    lead 区科技局
    skip "积极参与市级“全球揭榜”攻关项目" because "参与，没有数字"
}

task 27 "推进自然生态系统碳汇调查评价工作" {
    lead 区自然资源局
    skip "全面完成自然资源统一确权登记任务" because "只有进度，没有可核对的数字"
}
"#;

fn test(plan: &str) -> Test {
    Test::empty()
        .file("rules/plan.plan", plan)
        .file("rules/source.txt", SOURCE)
}

/// The plan with the missing rule added and the uncited rule given its quote.
fn complete() -> String {
    PLAN.replace(
        "    力争 done 华勤集团争创省级国际联合实验室\n",
        "    力争 done 华勤集团争创省级国际联合实验室\n        from \"推动华勤集团争创省级国际联合实验室\"\n",
    )
    .replace(
        "    lead 区科技局\n",
        "    lead 区科技局\n    力争 省级企业技术创新项目 >= 10 项\n        from \"争取省级企业技术创新项目10项\"\n",
    )
}

fn json(test: Test) -> (i32, serde_json::Value) {
    let output = test.args(&["coverage", "--format", "json"]).run();
    let json = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", output.stdout, output.stderr));
    (output.status, json)
}

#[test]
fn json_lists_the_uncovered_statement_the_uncited_rule_and_the_skips() {
    let (status, json) = json(test(PLAN));
    assert_eq!(status, 1);
    assert_eq!(
        json["summary"],
        serde_json::json!({
            "tasks": 3,
            "statements": 3,
            "covered": 1,
            "skipped": 1,
            "uncovered": 1,
            "rules": 2,
            "uncited_rules": 1,
            "quotes_not_found": 0,
            "skips": 2,
            "exit_code": 1,
        })
    );
    // Line 6, after "2.突破关键技术。积极参与市级“全球揭榜”攻关项目，": columns count characters.
    assert_eq!(
        json["uncovered"],
        serde_json::json!([{
            "task": 2,
            "text": "争取省级企业技术创新项目10项",
            "quote": "争取省级企业技术创新项目10项",
            "file": "rules/source.txt",
            "line": 6,
            "column": 27,
        }])
    );
    assert_eq!(
        json["uncited_rules"],
        serde_json::json!([{
            "task": 1,
            "metric": "华勤集团争创省级国际联合实验室",
            "file": "rules/plan.plan",
            "line": 8,
            "column": 13,
        }])
    );
    assert_eq!(
        json["skips"],
        serde_json::json!([
            {"quote": "积极参与市级“全球揭榜”攻关项目", "reason": "参与，没有数字", "task": 2},
            {"quote": "全面完成自然资源统一确权登记任务", "reason": "只有进度，没有可核对的数字", "task": 27},
        ])
    );
    assert_eq!(json["quotes_not_found"], serde_json::json!([]));
    let tasks: Vec<(u64, u64, u64, u64, u64)> = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let n = |k: &str| t[k].as_u64().unwrap();
            (
                n("task"),
                n("statements"),
                n("covered"),
                n("skipped"),
                n("uncovered"),
            )
        })
        .collect();
    assert_eq!(tasks, [(1, 1, 1, 0, 0), (2, 1, 0, 0, 1), (27, 1, 0, 1, 0)]);
}

#[test]
fn adding_the_missing_rule_and_quote_exits_zero() {
    let (status, json) = json(test(&complete()));
    assert_eq!(status, 0, "{json:#}");
    assert_eq!(json["summary"]["covered"], 2);
    assert_eq!(json["summary"]["skipped"], 1);
    assert_eq!(json["summary"]["uncovered"], 0);
    assert_eq!(json["summary"]["uncited_rules"], 0);
    assert_eq!(json["uncovered"], serde_json::json!([]));
    let output = test(&complete())
        .args(&["coverage", "--color", "never", "--width", "100"])
        .run();
    assert_eq!(output.status, 0);
    // No finding: only the declared skips and the totals.
    assert_eq!(
        output.stdout,
        "\
已声明不予检查 2 处：
  任务2「积极参与市级“全球揭榜”攻关项目」：参与，没有数字
  任务27「全面完成自然资源统一确权登记任务」：只有进度，没有可核对的数字

兖州区覆盖测试
原文 rules/source.txt：任务 3 项，目标性陈述 3 条，已覆盖 2，已声明跳过 1，未覆盖 0
规则 3 条，未引用原文 0 条，引文不在原文中 0 条
"
    );
    assert_eq!(output.stderr, "");
}

#[test]
fn human_report() {
    let output = test(PLAN)
        .args(&["coverage", "--color", "never", "--width", "100"])
        .run();
    insta::assert_snapshot!(format!(
        "exit code: {}\n{}{}",
        output.status, output.stdout, output.stderr
    ));
}

#[test]
fn a_plan_without_source_exits_two() {
    let plan = PLAN.replace("    source \"source.txt\"\n", "");
    let output = test(&plan)
        .args(&["coverage", "--color", "never", "--width", "100"])
        .run();
    assert_eq!(output.status, 2, "{}{}", output.stdout, output.stderr);
    assert_eq!(output.stdout, "");
    assert_eq!(
        output.stderr,
        "\
plancheck::coverage::no-source

  × 计划没有写明原文，无法检查覆盖情况
   ╭─[rules/plan.plan:1:1]
 1 │ plan \"兖州区覆盖测试\" {
   · ───────────┬───────────
   ·            ╰── 计划头
 2 │     period 2023
   ╰────
  help: 在计划头 plan \"…\" { … } 中写明原文文件，例如 source \"../seeds/原文.txt\"

"
    );
}

#[test]
fn broken_rules_exit_two() {
    let plan = PLAN.replace(
        "from \"新增省级以上创新平台5家以上\"",
        "from \"新增省级以上创新平台6家以上\"",
    );
    let human = test(&plan).args(&["coverage"]).run();
    assert_eq!(human.status, 2);
    let output = test(&plan).args(&["coverage", "--format", "json"]).run();
    assert_eq!(output.status, 2);
    assert_eq!(output.stdout, "");
    assert_eq!(
        output.stderr,
        "\
plancheck::plan::quote-not-found

  × 引文不在原文中
    ╭─[rules/plan.plan:10:14]
  9 │     新增省级以上创新平台 >= 5 家
 10 │         from \"新增省级以上创新平台6家以上\"
    ·              ──────────────┬──────────────
    ·                            ╰── 原文中找不到这句话
 11 │ }
    ╰────
  help: 原文中最接近的一段：“新增省级以上创新平台5家以上”

"
    );
    // Both formats report broken rules the same way, on stderr.
    assert_eq!((human.stdout, human.stderr), (output.stdout, output.stderr));
}
