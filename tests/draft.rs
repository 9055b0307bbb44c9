//! `plancheck draft`: every layout's draft parses, passes `coverage`, is in `fmt` layout and
//! checks without a syntax error; and the figures the README gives for the shipped plan.

use crate::layouts::{layout, LAYOUTS};
use crate::support::{repo_root, Test};

#[test]
fn every_layout_drafts_a_plan_that_parses_covers_and_is_formatted() {
    for name in LAYOUTS {
        let (source, _) = layout(name);
        let test = Test::empty().file("source.txt", source);
        let drafted = test.run_with(&["draft", "source.txt", "-o", "rules"]);
        assert_eq!(drafted.status, 0, "{name}: {}", drafted.stderr);
        let plan = std::fs::read_to_string(test.path().join("rules/source.plan")).unwrap();
        assert!(
            plan.contains("    source \"../source.txt\"\n"),
            "{name}:\n{plan}"
        );
        let coverage = test.run_with(&["coverage", "--format", "json"]);
        assert_eq!(coverage.status, 0, "{name}: {}\n{plan}", coverage.stdout);
        let fmt = test.run_with(&["fmt", "--check", "rules"]);
        assert_eq!(fmt.status, 0, "{name}: {}{}", fmt.stdout, fmt.stderr);
        let check = test.run_with(&["check", "--rules", "rules", "--format", "json"]);
        // No data is given, so figures are missing; the rules themselves must be sound.
        let said = format!("{}{}", check.stdout, check.stderr);
        assert!(
            !said.contains("plancheck::plan::"),
            "{name}: {said}\n{plan}"
        );
        assert!(said.contains("plancheck::check::missing"), "{name}: {said}");
    }
}

#[test]
fn the_draft_of_a_layout_reads_its_targets_leads_and_deadlines() {
    let (source, _) = layout("table");
    let test = Test::empty().file("source.txt", source);
    let output = test.run_with(&["draft", "source.txt"]);
    assert_eq!(output.status, 0);
    assert_eq!(
        output.stdout,
        "\
plan \"某区2024年重点工作任务分解表\" {
    period 2024
    source \"source.txt\"
    # check: 左右（~=）的目标按与目标值相差 10% 以内为达成，请按原文口径调整
    approx 10%
}

task 1 \"地区生产总值增长6%左右\" {
    lead 区发改局
    co 各镇街
    # check: “左右”按下限（增长更快也算达标）起草，容差 0.5 个百分点为推定，请按原文口径核对
    地区生产总值 growth ~>= 6%
        from \"地区生产总值增长6%左右\"
        due 2024-12-31
        within 0.5 百分点
}

task 2 \"社会消费品零售总额增长8%\" {
    lead 区商务局
    co 区统计局
    社会消费品零售总额 growth >= 8%
        from \"社会消费品零售总额增长8%\"
        due 2024-12-31
}

task 3 \"新增高新技术企业20家以上\" {
    lead 区科技局
    co 各园区
    # check: 按累计值（年初至今）判断：原文是流量（新增、完成、投资、收入…）
    新增高新技术企业 >= 20 家
        from \"新增高新技术企业20家以上\"
        due 2024-11-30
        kind cumulative
}
"
    );
    assert_eq!(
        output.stderr,
        "草稿：任务 3 项，规则 3 条，里程碑 0 条，跳过 0 处，待核对 3 处（# check:）\n"
    );
}

/// The README's figures: run with `cargo test --test integration draft_of_the_shipped_plan
/// -- --nocapture` to print them.
#[test]
fn draft_of_the_shipped_plan() {
    let root = repo_root();
    let seed = std::fs::read_to_string(root.join("seeds/yanzhou-2023-key-tasks.txt")).unwrap();
    let (hand, findings) = plancheck::parse::load_plan(&root.join("rules"));
    assert!(findings.is_empty());
    let (text, _) = plancheck::draft::draft(&seed, "../seeds/yanzhou-2023-key-tasks.txt");
    let (draft, findings) =
        plancheck::parse::parse_files(vec![plancheck::source::SourceFile::new(
            "rules/draft.plan",
            &text,
        )]);
    assert!(
        findings
            .iter()
            .all(|f| f.kind != plancheck::diagnostic::Kind::Input),
        "{findings:#?}"
    );
    let a = plancheck::draft::measure::compare(&hand, &draft, &seed);
    println!("{a:#?}");
    println!(
        "reproduced exactly: {}/{} = {:.1}%; invented: {} of {} drafted",
        a.reproduced,
        a.hand,
        a.reproduced as f64 * 100.0 / a.hand as f64,
        a.invented,
        a.drafted
    );
    // The README states these figures; a change to the drafter that moves them must update it.
    assert_eq!((a.hand, a.reproduced, a.invented), (232, 202, 59));
}

/// 到2025年 in a 2023 plan: the target of its end year, drafted with `toward`, whether the
/// year stands in the clause or earlier in the sentence; a clause naming its own year is not
/// governed by it. 责任单位 and 责任领导 become `co` and `leader`.
const MULTI_YEAR: &str = "\
某区2023年数字经济发展工作方案
一、主要目标
1.数字经济规模。到2025年，数字经济核心产业增加值占GDP比重达到10%。（牵头单位：区发改局；责任单位：区财政局、区统计局；责任领导：张明）
2.城镇化。到2025年常住人口城镇化率达到70%以上，2023年新增城镇就业3000人以上。（牵头单位：区住建局）
";

#[test]
fn a_target_for_a_later_year_is_drafted_with_toward() {
    let test = Test::empty().file("source.txt", MULTI_YEAR);
    let output = test.run_with(&["draft", "source.txt"]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        "\
plan \"某区2023年数字经济发展工作方案\" {
    period 2023
    source \"source.txt\"
    # check: 左右（~=）的目标按与目标值相差 10% 以内为达成，请按原文口径调整
    approx 10%
}

section 一 \"主要目标\"

task 1 \"数字经济规模\" {
    lead 区发改局
    co 区财政局, 区统计局
    leader 张明
    # check: 到2025年的目标：今年按从上年数值到目标的直线判断；原文写明基数时加 baseline 数值 in 年份
    数字经济核心产业增加值占GDP比重 >= 10%
        from \"数字经济核心产业增加值占GDP比重达到10%\"
        kind level
        toward 2025
}

task 2 \"城镇化\" {
    lead 区住建局
    # check: 到2025年的目标：今年按从上年数值到目标的直线判断；原文写明基数时加 baseline 数值 in 年份
    常住人口城镇化率 >= 70%
        from \"到2025年常住人口城镇化率达到70%以上\"
        kind level
        toward 2025
    # check: 按累计值（年初至今）判断：原文是流量（新增、完成、投资、收入…）
    2023年新增城镇就业 >= 3000 人
        from \"2023年新增城镇就业3000人以上\"
        kind cumulative
}
"
    );
    // The draft is a plan: it covers its source and checks without an error in the rules.
    let test = test.file(
        "rules/source.plan",
        output.stdout.replace("\"source.txt\"", "\"../source.txt\""),
    );
    let coverage = test.run_with(&["coverage", "--format", "json"]);
    assert_eq!(coverage.status, 0, "{}", coverage.stdout);
    let check = test.run_with(&["check", "--format", "json"]);
    assert!(
        !check.stdout.contains("plancheck::plan::"),
        "{}",
        check.stdout
    );
}

/// A source saved as GBK is named with where it stops decoding and the likely encoding.
#[test]
fn a_gbk_source_is_named_with_its_encoding() {
    let test = Test::empty();
    let (gbk, _, _) = encoding_rs::GBK.encode("一、主要目标\n1.地区生产总值增长6%左右。\n");
    std::fs::write(test.path().join("source.txt"), &gbk).unwrap();
    let output = test.run_with(&["draft", "source.txt"]);
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: 原文 source.txt 不是 UTF-8 编码：第 1 行起无法解码，疑似 GBK/GB18030 编码\n"
    );
}
