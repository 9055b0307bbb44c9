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
    for clause in [
        "营商环境评价保持全县第一",
        "居民人均可支配收入增长与经济增长同步",
        "地区生产总值增长5%左右",
        "全部村庄生活污水治理",
    ] {
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
