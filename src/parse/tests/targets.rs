//! The forms of the time dimension and of relative targets: `~=`, `growth`, `change`,
//! `last_year`, `metric`, the clauses `kind`, `schedule`, `summed`, `baseline`, `within`, the
//! header's `tolerance` and `approx`, and `skip`.

use super::{covered, parse, quantity};
use crate::model::{Checkpoint, MetricKind, Op, Reference, Relation, Target, TaskId, Tolerance};
use crate::period::Period;
use crate::source::{RuleFileId, RuleLoc};
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(amount: &str) -> Decimal {
    Decimal::from_str(amount).unwrap()
}

/// `line` as the last rule of a task, below a header with `approx` (so `~=` needs no
/// `within`) and rules for the metrics the cases refer to.
fn in_context(line: &str) -> String {
    format!(
        "plan \"甲\" {{\n    period 2023\n    approx 10%\n}}\ntask 6 \"做强优势产业集群\" {{\n    lead 区工业和信息化局\n    制造业贷款增幅 >= 5%\n    GDP增速 >= 5%\n    全市增速 >= 5%\n    {line}\n}}\n"
    )
}

/// A reference to the metric `name`, whose text is the last occurrence of `written` in `text`.
fn metric_ref(text: &str, name: &str, written: &str) -> Reference {
    let start = text.rfind(written).unwrap();
    Reference::Metric {
        name: name.to_owned(),
        loc: RuleLoc {
            file: RuleFileId(0),
            span: start..start + written.len(),
        },
    }
}

/// The target a case expects, given the whole text (for the spans of references).
type ExpectedTarget = Box<dyn Fn(&str) -> Target>;

#[test]
fn every_new_target_form_parses_to_its_model() {
    let relative = |relation, reference| Target::Relative {
        relation,
        reference,
    };
    let approx = |value, within| Target::Approx {
        value,
        within,
        side: crate::model::Side::Both,
    };
    // (line, expected target, the target's text); the reference of `metric` cases is filled in
    // from the text below.
    let cases: Vec<(&str, ExpectedTarget, &str)> = vec![
        (
            "重点项目 ~= 20 个",
            Box::new(move |_| approx(quantity("20", "个"), None)),
            "~= 20 个",
        ),
        (
            "重点项目 ≈ 20个",
            Box::new(move |_| approx(quantity("20", "个"), None)),
            "≈ 20个",
        ),
        (
            "重点项目 ～＝ 3.5 亿元",
            Box::new(move |_| approx(quantity("3.5", "亿元"), None)),
            "～＝ 3.5 亿元",
        ),
        (
            "重点项目 ~= 20 个 within 2 个",
            Box::new(move |_| {
                approx(
                    quantity("20", "个"),
                    Some(Tolerance::Absolute(quantity("2", "个"))),
                )
            }),
            "~= 20 个",
        ),
        (
            "重点项目 ~= 20 个 within 10%",
            Box::new(move |_| approx(quantity("20", "个"), Some(Tolerance::Percent(dec("10"))))),
            "~= 20 个",
        ),
        (
            // A bare amount is in the value's unit; another unit of its dimension is kept.
            "重点项目 ~= 20 个 within 2",
            Box::new(move |_| {
                approx(
                    quantity("20", "个"),
                    Some(Tolerance::Absolute(quantity("2", "个"))),
                )
            }),
            "~= 20 个",
        ),
        (
            "投资 ~= 3 亿元 within 2000 万元",
            Box::new(move |_| {
                approx(
                    quantity("3", "亿元"),
                    Some(Tolerance::Absolute(quantity("2000", "万元"))),
                )
            }),
            "~= 3 亿元",
        ),
        (
            "规上工业增加值 growth >= 20%",
            Box::new(move |_| {
                relative(
                    Relation::Growth {
                        op: Op::Ge,
                        rate: dec("20"),
                    },
                    Reference::LastYear,
                )
            }),
            "growth >= 20%",
        ),
        (
            "规上工业增加值 growth > -5％",
            Box::new(move |_| {
                relative(
                    Relation::Growth {
                        op: Op::Gt,
                        rate: dec("-5"),
                    },
                    Reference::LastYear,
                )
            }),
            "growth > -5％",
        ),
        (
            "规上工业增加值 growth in 5..8 %",
            Box::new(move |_| {
                relative(
                    Relation::GrowthRange {
                        low: dec("5"),
                        high: dec("8"),
                    },
                    Reference::LastYear,
                )
            }),
            "growth in 5..8 %",
        ),
        (
            "城乡居民收入比 < last_year",
            Box::new(move |_| relative(Relation::Compare(Op::Lt), Reference::LastYear)),
            "< last_year",
        ),
        (
            "煤炭产量 >= last_year",
            Box::new(move |_| relative(Relation::Compare(Op::Ge), Reference::LastYear)),
            ">= last_year",
        ),
        (
            "优良天数比例 change in 1..3 百分点",
            Box::new(move |_| {
                relative(
                    Relation::ChangeRange {
                        low: quantity("1", "百分点"),
                        high: quantity("3", "百分点"),
                    },
                    Reference::LastYear,
                )
            }),
            "change in 1..3 百分点",
        ),
        (
            "研发投入 change >= 5 亿元",
            Box::new(move |_| {
                relative(
                    Relation::Change {
                        op: Op::Ge,
                        amount: quantity("5", "亿元"),
                    },
                    Reference::LastYear,
                )
            }),
            "change >= 5 亿元",
        ),
        (
            "攀登企业贷款增幅 > metric 制造业贷款增幅",
            Box::new(move |text| {
                relative(
                    Relation::Compare(Op::Gt),
                    metric_ref(text, "制造业贷款增幅", "制造业贷款增幅"),
                )
            }),
            "> metric 制造业贷款增幅",
        ),
        (
            "增速 >= metric \"GDP增速\"",
            Box::new(move |text| {
                relative(
                    Relation::Compare(Op::Ge),
                    metric_ref(text, "GDP增速", "\"GDP增速\""),
                )
            }),
            ">= metric \"GDP增速\"",
        ),
        (
            "规上工业增加值 growth >= 5% vs metric 全市增速",
            Box::new(move |text| {
                relative(
                    Relation::Growth {
                        op: Op::Ge,
                        rate: dec("5"),
                    },
                    metric_ref(text, "全市增速", "全市增速"),
                )
            }),
            "growth >= 5% vs metric 全市增速",
        ),
        (
            "研发投入 change <= -1 亿元 vs last_year",
            Box::new(move |_| {
                relative(
                    Relation::Change {
                        op: Op::Le,
                        amount: quantity("-1", "亿元"),
                    },
                    Reference::LastYear,
                )
            }),
            "change <= -1 亿元 vs last_year",
        ),
    ];
    for (line, expected, target_text) in cases {
        let text = in_context(line);
        let (plan, findings) = parse(&text);
        assert_eq!(findings, [], "{line}");
        let rule = plan.rules.last().unwrap();
        assert_eq!(rule.target, expected(&text), "{line}");
        assert_eq!(covered(&text, &rule.target_loc), target_text, "{line}");
        assert_eq!(covered(&text, &rule.loc), line, "{line}");
    }
}

#[test]
fn a_metric_reference_points_at_the_name_in_bytes() {
    let text = in_context("攀登企业贷款增幅 > metric 制造业贷款增幅 # 同比");
    let (plan, findings) = parse(&text);
    assert_eq!(findings, []);
    let Target::Relative {
        reference: Reference::Metric { name, loc },
        ..
    } = &plan.rules[3].target
    else {
        panic!("a metric reference expected: {:?}", plan.rules[3].target);
    };
    assert_eq!(name, "制造业贷款增幅");
    // Line 10 is `    攀登企业贷款增幅 > metric 制造业贷款增幅`: 4 spaces, 8 characters of
    // three bytes, ` > metric `, then the name: 7 characters, 21 bytes.
    let line_start = text.find("    攀登").unwrap();
    assert_eq!(line_start, 191);
    assert_eq!(loc.span, 229..250);
    assert_eq!(loc.span.start, line_start + 4 + 8 * 3 + 10);
    let at = crate::source::line_col(&text, loc.span.start);
    assert_eq!((at.line, at.column), (10, 4 + 8 + 10 + 1));
    // The referenced metric itself is an ordinary rule.
    assert_eq!(plan.rules[0].metric, "制造业贷款增幅");
}

#[test]
fn the_display_of_new_targets_is_their_notation() {
    let lines = [
        ("重点项目 ~= 20 个 within 2 个", "~= 20 个 within 2 个"),
        ("重点项目 ~= 20 个 within 10%", "~= 20 个 within 10%"),
        ("规上工业增加值 growth in 5..8 %", "growth in 5..8 %"),
        ("城乡居民收入比 < last_year", "< last_year"),
        (
            "优良天数比例 change in 1..3 百分点",
            "change in 1..3 百分点",
        ),
        (
            "规上工业增加值 growth >= 5% vs metric 全市增速",
            "growth >= 5% vs metric 全市增速",
        ),
    ];
    for (line, shown) in lines {
        let (plan, _) = parse(&in_context(line));
        assert_eq!(plan.rules[3].target.to_string(), shown, "{line}");
    }
}

#[test]
fn the_header_states_tolerance_and_approx_in_per_cent() {
    let text = "plan \"甲\" {\n    period 2023\n    tolerance 5%\n    approx 7.5 ％\n}\n";
    let (plan, findings) = parse(text);
    assert_eq!(findings, []);
    let header = plan.header.unwrap();
    assert_eq!(
        (header.tolerance, header.approx),
        (Some(dec("5")), Some(dec("7.5")))
    );
    let (plan, _) = parse("plan \"甲\" {\n    period 2023\n}\n");
    let header = plan.header.unwrap();
    assert_eq!((header.tolerance, header.approx), (None, None));
}

const CLAUSES: &str = r#"plan "甲" {
    period 2023
}
task 1 "乙" {
    lead 区人力资源社会保障局, 区统计局
    新增城镇就业 >= 4000 人 kind cumulative schedule 2023-Q1 20%, 2023-H1 50%, 2023-Q3 75% summed
        baseline 3800 人
        due 2023-09-30
    优良天数比例 >= 80% kind 水平
    招引项目 >= 5 个
        kind 累计
        schedule 2023年上半年 40%，2023-11 90%、2023 100%
    done 完成关停任务 kind 里程碑 due 2024-02-29
    研发投入 change >= 5 亿元 baseline 25.3 亿元
    煤炭产量 <= last_year baseline 1,200 万吨 kind level
    乙 >= 1
}
"#;

#[test]
fn every_new_clause_sets_its_field() {
    let (plan, findings) = parse(CLAUSES);
    // A deadline after the plan period (the leap day of 2024) is allowed, with a warning.
    let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["plancheck::plan::due-after-period"]);
    let kinds: Vec<Option<MetricKind>> = plan.rules.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            Some(MetricKind::Cumulative),
            Some(MetricKind::Level),
            Some(MetricKind::Cumulative),
            Some(MetricKind::Milestone),
            None,
            Some(MetricKind::Level),
            None,
        ]
    );
    let checkpoint = |period, share: &str| Checkpoint {
        period,
        share: dec(share),
    };
    let first = &plan.rules[0];
    assert_eq!(
        first.schedule,
        [
            checkpoint(Period::Quarter(2023, 1), "20"),
            checkpoint(Period::Half(2023, 1), "50"),
            checkpoint(Period::Quarter(2023, 3), "75"),
        ]
    );
    assert!(first.summed);
    assert_eq!(first.baseline, Some(quantity("3800", "人")));
    assert_eq!(first.due.as_deref(), Some("2023-09-30"));
    assert_eq!(
        plan.rules[2].schedule,
        [
            checkpoint(Period::Half(2023, 1), "40"),
            checkpoint(Period::Month(2023, 11), "90"),
            checkpoint(Period::Year(2023), "100"),
        ]
    );
    // A leap day is a date in a leap year.
    assert_eq!(plan.rules[3].due.as_deref(), Some("2024-02-29"));
    assert_eq!(plan.rules[4].baseline, Some(quantity("25.3", "亿元")));
    assert_eq!(plan.rules[5].baseline, Some(quantity("1200", "万吨")));
    let last = &plan.rules[6];
    assert!(
        last.kind.is_none()
            && last.schedule.is_empty()
            && !last.summed
            && last.baseline.is_none()
            && last.due.is_none()
    );
    assert!(plan.rules[1..].iter().all(|r| !r.summed));
}

#[test]
fn a_within_clause_on_the_line_below_belongs_to_the_approx_above() {
    let text = super::in_task("    重点项目 ~= 20 个\n        within 10%\n        from \"甲\"");
    let (plan, findings) = parse(&text);
    assert_eq!(findings, []);
    assert_eq!(
        plan.rules[0].target,
        Target::Approx {
            value: quantity("20", "个"),
            within: Some(Tolerance::Percent(dec("10"))),
            side: crate::model::Side::Both,
        }
    );
}

#[test]
fn skips_are_kept_at_the_top_level_and_in_tasks() {
    let text = "skip \"加强组织领导\" because \"no checkable figure\"\ntask 3 \"甲\" {\n    lead 区统计局\n    skip \"积极参与市级“全球揭榜”攻关项目\" because \"参与，没有数字\" # 注释\n}\n";
    let (plan, findings) = parse(text);
    assert_eq!(findings, []);
    let skips: Vec<(&str, &str, Option<TaskId>, &str, &str)> = plan
        .skips
        .iter()
        .map(|s| {
            (
                s.quote.as_str(),
                s.reason.as_str(),
                s.task,
                covered(text, &s.quote_loc),
                covered(text, &s.loc),
            )
        })
        .collect();
    assert_eq!(
        skips,
        [
            (
                "加强组织领导",
                "no checkable figure",
                None,
                "\"加强组织领导\"",
                "skip \"加强组织领导\" because \"no checkable figure\""
            ),
            (
                "积极参与市级“全球揭榜”攻关项目",
                "参与，没有数字",
                Some(TaskId(0)),
                "\"积极参与市级“全球揭榜”攻关项目\"",
                "skip \"积极参与市级“全球揭榜”攻关项目\" because \"参与，没有数字\""
            ),
        ]
    );
    assert!(plan.rules.is_empty());
}

#[test]
fn new_keywords_are_not_bare_metric_names_but_may_be_quoted() {
    for word in [
        "growth",
        "change",
        "last_year",
        "metric",
        "kind",
        "schedule",
        "summed",
        "baseline",
        "within",
        "skip",
        "because",
        "tolerance",
        "approx",
        "vs",
    ] {
        let (plan, findings) = parse(&super::in_task(&format!("    {word} >= 1")));
        assert_eq!(
            super::codes(&findings),
            ["plancheck::parse::syntax"],
            "{word}"
        );
        assert!(plan.rules.is_empty(), "{word}");
        let (plan, findings) = parse(&super::in_task(&format!("    \"{word}\" >= 1")));
        assert_eq!(findings, [], "{word}");
        assert_eq!(plan.rules[0].metric, word);
    }
    // A keyword only as a whole word: longer names that start with one are names.
    let (plan, findings) = parse(&super::in_task("    changes >= 1\n    within率 >= 1%"));
    assert_eq!(findings, []);
    assert_eq!(plan.rules.len(), 2);
}
