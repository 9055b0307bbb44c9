//! The comparison forms of plans beyond one document: 左右 with a direction and a tolerance in
//! 百分点, growth in step with another metric, figures from outside the plan, and ranks.

use super::{covered, names, parse, quantity};
use crate::model::{Op, Rank, Reference, Relation, Side, Target, Tolerance};
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(amount: &str) -> Decimal {
    Decimal::from_str(amount).unwrap()
}

/// `line` as the last rule of a task whose other rule and `track` lines are the metrics the
/// cases refer to, below a header with `header` in it.
fn in_plan(header: &str, line: &str) -> String {
    format!(
        "plan \"甲\" {{\n    period 2023\n{header}}}\ntask 1 \"经济运行\" {{\n    lead 区发改局\n    地区生产总值 >= 500 亿元\n    track 地区生产总值增速 %\n    track 全市平均水平 元 by 市统计局\n    {line}\n}}\n"
    )
}

fn codes(line: &str, header: &str) -> Vec<&'static str> {
    parse(&in_plan(header, line))
        .1
        .iter()
        .map(|f| f.code)
        .collect()
}

fn target(header: &str, line: &str) -> Target {
    let text = in_plan(header, line);
    let (plan, findings) = parse(&text);
    assert_eq!(findings, [], "{line}");
    plan.rules.last().unwrap().target.clone()
}

#[test]
fn approx_has_a_side_and_a_tolerance_in_points() {
    let cases = [
        (
            "城镇登记失业率 ~<= 3% within 0.5 百分点",
            Target::Approx {
                value: quantity("3", "%"),
                within: Some(Tolerance::Points(dec("0.5"))),
                side: Side::AtMost,
            },
        ),
        (
            "城镇登记失业率 ～＜＝ 3% within 10%",
            Target::Approx {
                value: quantity("3", "%"),
                within: Some(Tolerance::Percent(dec("10"))),
                side: Side::AtMost,
            },
        ),
        (
            "重点项目 ~>= 20 个 within 2 个",
            Target::Approx {
                value: quantity("20", "个"),
                within: Some(Tolerance::Absolute(quantity("2", "个"))),
                side: Side::AtLeast,
            },
        ),
        (
            "地区生产总值 growth ~>= 5% within 0.5 百分点",
            Target::Relative {
                relation: Relation::GrowthApprox {
                    rate: dec("5"),
                    side: Side::AtLeast,
                    within: Some(dec("0.5")),
                },
                reference: Reference::LastYear,
            },
        ),
        (
            "地区生产总值 growth ~= 5% within 0.5 百分点",
            Target::Relative {
                relation: Relation::GrowthApprox {
                    rate: dec("5"),
                    side: Side::Both,
                    within: Some(dec("0.5")),
                },
                reference: Reference::LastYear,
            },
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(target("", line), expected, "{line}");
    }
}

#[test]
fn a_growth_tolerance_is_in_points_and_comes_from_the_rule_or_the_header() {
    assert_eq!(
        codes("地区生产总值 growth ~>= 5% within 10%", ""),
        ["plancheck::plan::tolerance-points"]
    );
    assert_eq!(
        codes("地区生产总值 growth ~>= 5%", "    approx 10%\n"),
        ["plancheck::plan::no-tolerance"]
    );
    assert_eq!(
        codes("地区生产总值 growth ~>= 5%", "    approx 10%, 0.5 百分点\n"),
        Vec::<&str>::new()
    );
    // A value in per cent takes the header's points; others its share.
    assert_eq!(
        codes("城镇登记失业率 ~<= 3%", "    approx 0.5 百分点\n"),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes("重点项目 ~= 20 个", "    approx 0.5 百分点\n"),
        ["plancheck::plan::no-tolerance"]
    );
    let (plan, _) = parse(&in_plan(
        "    approx 10%, 0.5 百分点\n",
        "重点项目 ~= 20 个",
    ));
    let header = plan.header.unwrap();
    assert_eq!(
        (header.approx, header.approx_points),
        (Some(dec("10")), Some(dec("0.5")))
    );
}

#[test]
fn growth_in_step_names_the_other_metric() {
    let text = in_plan(
        "",
        "居民人均可支配收入 growth ~>= growth of metric 地区生产总值 within 1 百分点",
    );
    let (plan, findings) = parse(&text);
    assert_eq!(findings, []);
    let rule = plan.rules.last().unwrap();
    let Target::Relative {
        relation,
        reference: Reference::Metric { name, loc },
    } = &rule.target
    else {
        panic!("{:?}", rule.target);
    };
    assert_eq!(
        *relation,
        Relation::InStep {
            op: None,
            side: Side::AtLeast,
            within: Some(dec("1")),
            of_growth: true,
        }
    );
    assert_eq!(name, "地区生产总值");
    assert_eq!(covered(&text, loc), "地区生产总值");
    assert_eq!(
        covered(&text, &rule.target_loc),
        "growth ~>= growth of metric 地区生产总值"
    );
    assert_eq!(
        rule.target.to_string(),
        "growth ~>= growth of metric 地区生产总值 within 1 百分点"
    );
    let rate = target("", "居民人均可支配收入 growth >= metric 地区生产总值增速");
    assert_eq!(
        rate.to_string(),
        "growth >= metric 地区生产总值增速",
        "{rate:?}"
    );
    assert!(matches!(
        rate,
        Target::Relative {
            relation: Relation::InStep {
                op: Some(Op::Ge),
                of_growth: false,
                ..
            },
            ..
        }
    ));
    // `within` on a plain comparison has nothing to widen.
    assert_eq!(
        codes(
            "居民人均可支配收入 growth >= growth of metric 地区生产总值 within 1 百分点",
            ""
        ),
        ["plancheck::plan::orphan-clause"]
    );
    assert_eq!(
        codes("居民人均可支配收入 growth >= growth of metric 地区总值", ""),
        ["plancheck::plan::unknown-reference"]
    );
}

#[test]
fn a_figure_from_outside_the_plan_is_tracked_with_its_reporter() {
    let (plan, findings) = parse(&in_plan("", "居民人均可支配收入 >= metric 全市平均水平"));
    assert_eq!(findings, []);
    let tracked = plan.tracked("全市平均水平").unwrap();
    assert_eq!(names(&tracked.reporters), ["市统计局"]);
    assert_eq!(tracked.unit.map(|u| u.name), Some("元"));
    assert!(plan
        .tracked("地区生产总值增速")
        .unwrap()
        .reporters
        .is_empty());
}

#[test]
fn ranks_are_places_from_one() {
    let cases = [
        (
            "综合考核位次 rank <= 3",
            Rank::Place {
                op: Op::Le,
                place: 3,
            },
        ),
        (
            "综合考核位次 rank == 1 名",
            Rank::Place {
                op: Op::Eq,
                place: 1,
            },
        ),
        (
            "综合考核位次 rank <= 3位",
            Rank::Place {
                op: Op::Le,
                place: 3,
            },
        ),
        ("综合考核位次 rank improves", Rank::Improves),
        ("综合考核位次 rank holds", Rank::Holds),
    ];
    for (line, expected) in cases {
        let found = target("", line);
        assert_eq!(found, Target::Rank(expected), "{line}");
        let written = line.split_once(' ').unwrap().1;
        assert_eq!(
            found.to_string(),
            written.replace(" 名", "").replace("3位", "3")
        );
    }
    for bad in [
        "综合考核位次 rank <= 0",
        "综合考核位次 rank <= 1.5",
        "综合考核位次 rank <= -1",
        "综合考核位次 rank <= 3 个",
    ] {
        assert_eq!(codes(bad, ""), ["plancheck::plan::bad-rank"], "{bad}");
    }
    let text = in_plan("", "综合考核位次 rank <= 1.5");
    let (_, findings) = parse(&text);
    assert_eq!(findings[0].message, "名次无效：1.5 不是正整数");
    let at = findings[0].primary().unwrap();
    let crate::diagnostic::Loc::Rule(loc) = at else {
        panic!("{at:?}");
    };
    assert_eq!(covered(&text, loc), "1.5");
    // The rank of a metric is a level: it holds in every period.
    let (plan, _) = parse(&in_plan("", "综合考核位次 rank <= 3"));
    assert_eq!(
        plan.rules.last().unwrap().kind(),
        crate::model::MetricKind::Level
    );
}
