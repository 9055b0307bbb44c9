#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
//! The coverage pipeline on a three-task excerpt of the 2023 plan's source.

use super::clauses::is_clause_break;
use super::paragraphs::{is_heading, task_marker};
use super::*;
use crate::model::{Plan, Skip, SourceDocument};
use crate::report::snippet::{CharColumnSource, Window};
use crate::source::{RuleFileId, SourceFile};
use miette::{SourceCode, SourceSpan};

#[test]
fn target_like_statements_of_the_seed() {
    let table: &[(&str, bool)] = &[
        // Figures with units, percentages, ranges and approximate counts.
        ("新增省级以上创新平台5家以上", true),
        ("受污染耕地安全利用率稳定在91%以上", true),
        ("综合治理水土流失面积0.5平方公里", true),
        ("放映农村公益电影3550余场", true),
        ("争取培育主要农作物新品种1-2个", true),
        ("农用地、建设用地100%安全利用", true),
        ("年内力争完成产业投资150亿元", true),
        ("新增学位4560 个", true),
        ("推动“成果贷”再超1亿元以上", true),
        // Bounds, changes and comparisons with another metric.
        ("确保居民人均可支配收入增速不低于GDP增速", true),
        ("确保攀登企业贷款增幅高于制造业贷款增幅", true),
        ("城乡低保标准之比与上年度相比进一步缩小", true),
        ("全人群和重点人群总体签约率提升1-3个百分点", true),
        ("确保不发生区域性系统性风险", true),
        ("推动农村黑臭水体动态清零", true),
        // Milestones.
        ("完成市定我区关停任务", true),
        ("实现济宁新机场迁建通航", true),
        ("力促尽早投产达效", true),
        (
            "积极招引国内知名电商平台、龙头电商企业和专业运营商落户",
            true,
        ),
        ("年底前完成全部村庄生活污水治理任务", true),
        ("建成使用数据城市运行管理服务平台", true),
        ("确保全区PM2.5浓度、优良率完成市定目标", true),
        // Activity without a figure, a bound or a deliverable.
        ("推进自然资源统一确权登记工作", false),
        ("推动华勤集团争创省级国际联合实验室", false),
        ("积极申报省级以上技术创新示范企业", false),
        ("适时开展林业碳汇调查", false),
        ("加强农业面源污染治理", false),
        // Designations and names are not figures.
        (
            "加强5G、大数据、区块链、物联网、元宇宙等新技术融合应用",
            false,
        ),
        ("落实安全生产“八抓20条”创新举措", false),
        ("以“1352”农业全产业链产业集群打造为抓手", false),
        ("到2023年", false),
    ];
    let wrong: Vec<_> = table
        .iter()
        .filter(|(clause, expected)| is_target_like(clause) != *expected)
        .collect();
    assert!(wrong.is_empty(), "misjudged: {wrong:#?}");
}

const SOURCE: &str = "\
济宁市兖州区测试工作任务

为深入贯彻党的二十大精神，全面落实上级部署，制定2023年重点工作任务如下：
一、聚力创新驱动战略，建设高水平创新城市
1.搭建创新平台。推动华勤集团争创省级国际联合实验室，新增省级以上创新平台5家以上。（牵头单位：区科技局、区工业和信息化局）
[bookmark: OLE_LINK2]4.引育创新人才。年内引进培育高层次创新创业人才不少于20人、省级及以上重点人才工程人选2人，青年人才2880人。（牵头单位：区委组织部）
四、聚力降碳减污扩绿，厚植绿色发展底色
29.加快构建绿色制造体系。力争新培育省级以上单项冠军、专精特新、瞪羚企业12家以上；全面推进自然资源统一确权登记工作。（牵头单位：区工业和信息化局）
";

fn texts(spans: &[Span]) -> Vec<&'static str> {
    spans.iter().map(|s| &SOURCE[s.clone()]).collect()
}

#[test]
fn task_paragraphs_skip_preamble_headings_titles_and_leads() {
    let tasks = source_tasks(SOURCE);
    let heads: Vec<(u32, &str)> = tasks.iter().map(|t| (t.number, t.title.as_str())).collect();
    assert_eq!(
        heads,
        [
            (1, "搭建创新平台"),
            (4, "引育创新人才"),
            (29, "加快构建绿色制造体系")
        ]
    );
    let clauses: Vec<Vec<&str>> = tasks
        .iter()
        .map(|t| {
            let spans: Vec<Span> = t
                .body
                .iter()
                .flat_map(|b| split_clauses(SOURCE, b))
                .collect();
            texts(&spans)
        })
        .collect();
    assert_eq!(
        clauses,
        [
            vec![
                "推动华勤集团争创省级国际联合实验室",
                "新增省级以上创新平台5家以上"
            ],
            // 、 between two figures is a cut; 、 in a list of names is not.
            vec![
                "年内引进培育高层次创新创业人才不少于20人",
                "省级及以上重点人才工程人选2人",
                "青年人才2880人"
            ],
            vec![
                "力争新培育省级以上单项冠军、专精特新、瞪羚企业12家以上",
                "全面推进自然资源统一确权登记工作"
            ],
        ]
    );
}

#[test]
fn a_paragraph_may_run_over_several_lines_and_end_without_leads() {
    let text = "81.加强组织领导。确保各项工作顺利开展，\n完成全部年度任务。\n\n附件";
    let tasks = source_tasks(text);
    assert_eq!(tasks.len(), 1);
    let spans: Vec<Span> = tasks[0]
        .body
        .iter()
        .flat_map(|b| split_clauses(text, b))
        .collect();
    let clauses: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
    assert_eq!(clauses, ["确保各项工作顺利开展", "完成全部年度任务"]);
    assert_eq!(task_marker("1.5亿元"), None);
    assert!(is_heading("十一、切实抓好组织实施"));
    assert!(!is_heading("十强产业"));
}

/// A plan read from `rules`, with `SOURCE` as its source document and `skips` declared.
fn plan(rules: &str, skips: &[(&str, &str)]) -> Plan {
    let (mut plan, findings) =
        crate::parse::parse_files(vec![SourceFile::new("rules/plan.plan", rules)]);
    assert!(findings.is_empty(), "{findings:#?}");
    let loc = RuleLoc {
        file: RuleFileId(0),
        span: 0..0,
    };
    plan.header.as_mut().unwrap().source = Some(SourceDocument {
        written: "../seeds/source.txt".to_owned(),
        path: "rules/../seeds/source.txt".into(),
        text: SOURCE.to_owned(),
        loc: loc.clone(),
    });
    plan.skips = skips
        .iter()
        .map(|(quote, reason)| Skip {
            quote: (*quote).to_owned(),
            reason: (*reason).to_owned(),
            quote_loc: loc.clone(),
            loc: loc.clone(),
            task: None,
        })
        .collect();
    plan
}

const RULES: &str = r#"plan "测试" {
    period 2023
}

task 1 "搭建创新平台" {
    lead 区科技局
    新增省级以上创新平台 >= 5 家
        from "新增省级以上创新平台5家以上"
    力争 done 华勤集团争创省级国际联合实验室
}

task 4 "引育创新人才" {
    lead 区委组织部
    引进培育人才 >= 2900 人
        from "年内引进培育高层次创新创业人才不少于20人、省级及以上重点人才工程人选2人，青年人才2880人"
}
"#;

#[test]
fn quotes_cover_overlapping_clauses_and_skips_the_rest() {
    let plan = plan(
        RULES,
        &[
            ("全面推进自然资源统一确权登记工作", "只有进度，没有数字"),
            ("不在原文里", "测试"),
        ],
    );
    let coverage = analyze(&plan).unwrap();
    let statuses: Vec<(u32, &str, Status)> = coverage
        .statements
        .iter()
        .map(|s| (s.task, s.text.as_str(), s.status))
        .collect();
    assert_eq!(
        statuses,
        [
            (1, "新增省级以上创新平台5家以上", Status::Covered),
            // One quote over three clauses covers all three.
            (
                4,
                "年内引进培育高层次创新创业人才不少于20人",
                Status::Covered
            ),
            (4, "省级及以上重点人才工程人选2人", Status::Covered),
            (4, "青年人才2880人", Status::Covered),
            (
                29,
                "力争新培育省级以上单项冠军、专精特新、瞪羚企业12家以上",
                Status::Uncovered
            ),
            (29, "全面推进自然资源统一确权登记工作", Status::Skipped),
        ]
    );
    let uncovered = coverage.uncovered().next().unwrap();
    assert_eq!((uncovered.line, uncovered.column), (8, 15));
    assert_eq!(coverage.source, "seeds/source.txt");
    assert_eq!(coverage.uncited_rules.len(), 1);
    assert_eq!(
        coverage.uncited_rules[0].metric,
        "华勤集团争创省级国际联合实验室"
    );
    assert_eq!(coverage.uncited_rules[0].task, Some(1));
    let skips: Vec<(&str, Option<u32>)> = coverage
        .skips
        .iter()
        .map(|s| (s.quote.as_str(), s.task))
        .collect();
    assert_eq!(
        skips,
        [
            ("全面推进自然资源统一确权登记工作", Some(29)),
            ("不在原文里", None)
        ]
    );
    assert_eq!(coverage.quotes_not_found.len(), 1);
    assert_eq!(coverage.quotes_not_found[0].of, QuoteOf::Skip);
    let summary = coverage.summary();
    assert_eq!(
        (
            summary.tasks,
            summary.statements,
            summary.covered,
            summary.skipped,
            summary.uncovered
        ),
        (3, 6, 4, 1, 1)
    );
    assert_eq!(coverage.exit_code(), 1);
}

#[test]
fn a_plan_without_source_has_no_coverage() {
    let (plan, _) = crate::parse::parse_files(vec![SourceFile::new("rules/plan.plan", RULES)]);
    let error = analyze(&plan).unwrap_err();
    assert!(error.header.is_some());
    assert!(analyze(&Plan::default()).unwrap_err().header.is_none());
}

#[test]
fn excerpts_never_panic_and_stay_on_the_line() {
    let excerpt = CharColumnSource {
        name: "s.txt".to_owned(),
        text: SOURCE.to_owned(),
        window: Some(Window {
            chars: 4,
            breaks: is_clause_break,
        }),
        lines: Vec::new(),
    };
    let at = SOURCE.find("新增省级").unwrap();
    let span: SourceSpan = (at..at + "新增省级".len()).into();
    let contents = excerpt.read_span(&span, 1, 1).unwrap();
    let shown = std::str::from_utf8(contents.data()).unwrap();
    assert_eq!(shown, "新增省级以上创新");
    // Past the end degrades to miette's own answer instead of a panic.
    let far: SourceSpan = (SOURCE.len() + 5..SOURCE.len() + 9).into();
    let _ = excerpt.read_span(&far, 1, 1);
}
