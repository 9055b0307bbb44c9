#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)] // a failed unwrap is the test failing
//! Drafting clauses and small documents.

use super::*;

/// (clause, words before it in its sentence, strength, metric, target, kind)
type Case = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    Option<&'static str>,
);

#[test]
fn clauses_become_rules_from_their_wording() {
    let table: &[Case] = &[
        (
            "地区生产总值增长8%以上",
            "",
            None,
            "地区生产总值",
            "growth >= 8%",
            None,
        ),
        (
            "新增省级以上创新平台5家以上",
            "",
            None,
            "新增省级以上创新平台",
            ">= 5 家",
            Some("cumulative"),
        ),
        (
            "年内力争完成产业投资150亿元",
            "",
            Some("力争"),
            "完成产业投资",
            ">= 150 亿元",
            Some("cumulative"),
        ),
        (
            "受污染耕地安全利用率稳定在91%以上",
            "",
            None,
            "受污染耕地安全利用率",
            ">= 91%",
            Some("level"),
        ),
        (
            "城镇调查失业率控制在5.5%以内",
            "",
            None,
            "城镇调查失业率",
            "<= 5.5%",
            Some("level"),
        ),
        (
            "年内力争营收突破450亿元",
            "",
            Some("力争"),
            "营收",
            "> 450 亿元",
            Some("cumulative"),
        ),
        (
            "争取培育主要农作物新品种1-2个",
            "",
            Some("力争"),
            "培育主要农作物新品种",
            "in 1..2 个",
            Some("cumulative"),
        ),
        (
            "全人群和重点人群总体签约率提升1-3个百分点",
            "",
            None,
            "全人群和重点人群总体签约率",
            "change in 1..3 百分点",
            None,
        ),
        (
            "安全生产事故起数下降10%",
            "",
            None,
            "安全生产事故起数",
            "growth <= -10%",
            None,
        ),
        (
            "新增公办学位1170个",
            "力争新建幼儿园4所，",
            Some("力争"),
            "新增公办学位",
            ">= 1170 个",
            Some("cumulative"),
        ),
        (
            "推动150家企业数字化改造",
            "",
            None,
            "企业数字化改造",
            ">= 150 家",
            Some("cumulative"),
        ),
    ];
    for (clause, before, strength, metric, target, kind) in table {
        match draft_clause(clause, before) {
            Drafted::Rule {
                strength: s,
                metric: m,
                target: t,
                kind: k,
                ..
            } => assert_eq!(
                (s, m.as_str(), t.as_str(), k),
                (*strength, *metric, *target, *kind),
                "{clause}"
            ),
            other => panic!("{clause}: {other:?}"),
        }
    }
}

#[test]
fn clauses_without_a_figure_become_milestones_or_skips() {
    assert!(matches!(
        draft_clause("年底前完成镇卫生院改扩建工程", ""),
        Drafted::Done { strength: None, ref metric, .. } if metric == "年底前完成镇卫生院改扩建工程"
    ));
    assert!(matches!(
        draft_clause("力促金叶食品包装纸项目投产达效", ""),
        Drafted::Done { strength: Some("力争"), ref metric, .. } if metric == "金叶食品包装纸项目投产达效"
    ));
    for clause in ["全部村庄生活污水治理", "力争全省前列", "高于平均"] {
        assert!(
            matches!(draft_clause(clause, ""), Drafted::Skip { .. }),
            "{clause}"
        );
    }
}

#[test]
fn due_dates_and_years_are_read_from_the_wording() {
    assert_eq!(due_date("2024年12月", None).as_deref(), Some("2024-12-31"));
    assert_eq!(
        due_date("12月底前", Some("2023")).as_deref(),
        Some("2023-12-31")
    );
    assert_eq!(
        due_date("2023年6月30日", None).as_deref(),
        Some("2023-06-30")
    );
    assert_eq!(due_date("长期坚持", Some("2023")), None);
    assert_eq!(year_of("某区2024年重点工作任务\n").as_deref(), Some("2024"));
    assert_eq!(org("各县(市)、区人民政府"), "各县(市)和区人民政府");
}

/// (clause, strength, metric, target, the metric to track and its reporter)
type Compared = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    Option<(&'static str, Option<&'static str>)>,
);

#[test]
fn comparison_forms_are_drafted_where_the_wording_is_clear() {
    let table: &[Compared] = &[
        (
            "地区生产总值增长5%左右",
            None,
            "地区生产总值",
            "growth ~>= 5% within 0.5 百分点",
            None,
        ),
        (
            "能耗强度下降3%左右",
            None,
            "能耗强度",
            "growth ~<= -3% within 0.5 百分点",
            None,
        ),
        (
            "城镇登记失业率控制在3%左右",
            None,
            "城镇登记失业率",
            "~<= 3% within 0.5 百分点",
            None,
        ),
        // 左右 with no direction word stays two-sided, within the plan's approx.
        ("实施20个左右重点项目", None, "实施", "~= 20 个", None),
        (
            "居民人均可支配收入增长与经济增长同步",
            None,
            "居民人均可支配收入",
            "growth >= growth of metric \"地区生产总值\"",
            Some(("地区生产总值", None)),
        ),
        (
            "力争农村居民人均可支配收入增长与地区生产总值增长基本同步",
            Some("力争"),
            "农村居民人均可支配收入",
            "growth ~>= growth of metric \"地区生产总值\" within 1 百分点",
            Some(("地区生产总值", None)),
        ),
        (
            "城镇居民人均可支配收入不低于全市平均水平",
            None,
            "城镇居民人均可支配收入",
            ">= metric \"城镇居民人均可支配收入全市平均水平\"",
            Some(("城镇居民人均可支配收入全市平均水平", Some("市统计局"))),
        ),
        (
            "研发经费投入强度高于全省平均",
            None,
            "研发经费投入强度",
            "> metric \"研发经费投入强度全省平均\"",
            Some(("研发经费投入强度全省平均", Some("省统计局"))),
        ),
        (
            "政府债务率低于警戒线",
            None,
            "政府债务率",
            "< metric \"政府债务率警戒线\"",
            Some(("政府债务率警戒线", None)),
        ),
        (
            "营商环境评价保持全县第一",
            None,
            "营商环境评价全县排名",
            "rank <= 1",
            None,
        ),
        (
            "综合考核居三区第一",
            None,
            "综合考核三区排名",
            "rank <= 1",
            None,
        ),
        (
            "力争进入全市前三名",
            Some("力争"),
            "全市排名",
            "rank <= 3",
            None,
        ),
        (
            "推动兖州工业园实现位次前移",
            None,
            "兖州工业园位次",
            "rank improves",
            None,
        ),
    ];
    for (clause, strength, metric, target, track) in table {
        match draft_clause(clause, "") {
            Drafted::Rule {
                strength: s,
                metric: m,
                target: t,
                track: k,
                checks,
                ..
            } => {
                let k = k.as_ref().map(|(n, b)| (n.as_str(), b.as_deref()));
                assert_eq!(
                    (s, m.as_str(), t.as_str(), k),
                    (*strength, *metric, *target, *track),
                    "{clause}"
                );
                // Every reading of these forms is a guess to confirm.
                assert!(!checks.is_empty(), "{clause}");
            }
            other => panic!("{clause}: {other:?}"),
        }
    }
}

#[test]
fn a_referenced_metric_is_tracked_once_and_only_when_no_rule_checks_it() {
    let text = "某区2024年主要预期目标\n1.地区生产总值增长5%左右。（牵头单位：区发改局）\n2.居民人均可支配收入增长与经济增长同步。（牵头单位：区人社局）\n3.农村居民人均可支配收入增长与经济增长基本同步。（牵头单位：区农业农村局）\n4.城镇居民人均可支配收入不低于全市平均水平。（牵头单位：区人社局）\n";
    let (plan, _) = draft(text, "source.txt");
    assert_eq!(plan.matches("track ").count(), 1, "{plan}");
    assert!(
        plan.contains("    track 城镇居民人均可支配收入全市平均水平 by 市统计局\n"),
        "{plan}"
    );
    assert!(
        plan.contains("    居民人均可支配收入 growth >= growth of metric 地区生产总值\n"),
        "{plan}"
    );
    let (parsed, findings) =
        crate::parse::parse_files(vec![crate::source::SourceFile::new("draft.plan", &plan)]);
    let codes: Vec<_> = findings
        .iter()
        .map(|f| f.code)
        .filter(|c| *c != "plancheck::plan::source-unreadable")
        .collect();
    assert_eq!(codes, Vec::<&str>::new(), "{plan}");
    assert_eq!(parsed.rules.len(), 4);
    assert_eq!(crate::lint::lint(&parsed).len(), 0, "{plan}");
}
