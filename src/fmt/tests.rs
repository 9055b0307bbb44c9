#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a failed unwrap is the test failing

use super::format;
use crate::model::Plan;
use crate::source::SourceFile;
use proptest::prelude::*;
use std::fmt::Write;

/// Everything a plan means, without where it was written: two texts that give the same
/// summary parse to the same plan.
fn meaning(text: &str) -> String {
    let (plan, findings) = crate::parse::parse_files(vec![SourceFile::new("p.plan", text)]);
    let mut out = summary(&plan);
    // The lints read the same plans; whatever they say, they must not panic on any of them.
    for finding in crate::lint::lint(&plan) {
        writeln!(out, "lint {} {}", finding.code, finding.message).unwrap();
    }
    for finding in findings {
        // Quotes cannot be checked without the source; every other finding must be the same.
        if finding.code != "plancheck::plan::source-unreadable" {
            writeln!(out, "finding {} {}", finding.code, finding.message).unwrap();
        }
    }
    out
}

fn summary(plan: &Plan) -> String {
    let mut out = String::new();
    if let Some(h) = &plan.header {
        writeln!(
            out,
            "plan {} {:?} {:?} {:?} {:?}",
            h.title, h.period, h.tolerance, h.approx, h.approx_points
        )
        .unwrap();
    }
    for s in &plan.sections {
        writeln!(out, "section {} {}", s.numeral, s.title).unwrap();
    }
    for t in &plan.tasks {
        writeln!(
            out,
            "task {} {} {:?} {:?}",
            t.number, t.title, t.section, t.leads
        )
        .unwrap();
    }
    for r in &plan.rules {
        writeln!(
            out,
            "rule {:?} {:?} {} [{}] {:?} {:?} {:?} {:?} {:?} {} {:?} {:?} {:?}",
            r.task,
            r.strength,
            r.metric,
            r.target,
            r.quote.as_ref().map(|q| &q.text),
            r.reporters,
            r.due,
            r.kind,
            r.schedule,
            r.summed,
            r.baseline.map(|b| b.to_string()),
            r.allow_negative,
            r.allow_over_100,
        )
        .unwrap();
    }
    for s in &plan.skips {
        writeln!(out, "skip {:?} {} {}", s.task, s.quote, s.reason).unwrap();
    }
    for t in &plan.tracked {
        writeln!(
            out,
            "track {:?} {} {:?} {:?}",
            t.task,
            t.metric,
            t.unit.map(|u| u.name),
            t.reporters
        )
        .unwrap();
    }
    out
}

#[test]
fn allow_clauses_print_on_their_own_lines_after_the_others() {
    let text = "plan \"测试\" {\n    period 2023\n}\ntask 1 \"任务\" {\n    lead 区统计局\n    \
                安全事故 <= 3 次   allow negative because \"更正\" due 2023-12-31\n    \
                完成率 >= 90% allow   over   100% because \"超额\"\n}\n";
    let once = format(text).unwrap();
    assert_eq!(
        once,
        "plan \"测试\" {\n    period 2023\n}\ntask 1 \"任务\" {\n    lead 区统计局\n    \
         安全事故 <= 3 次\n        due 2023-12-31\n        allow negative because \"更正\"\n    \
         完成率 >= 90%\n        allow over 100% because \"超额\"\n}\n"
    );
    assert_sound(text);
}

/// fmt keeps the plan, and a second fmt changes nothing.
fn assert_sound(text: &str) {
    let once = format(text).expect("formats");
    assert_eq!(
        meaning(&once),
        meaning(text),
        "fmt changed the plan:\n{once}"
    );
    let twice = format(&once).expect("formats again");
    assert_eq!(twice, once, "fmt is not idempotent");
}

#[test]
fn every_plan_file_of_the_repository_keeps_its_plan_and_is_stable() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.to_path_buf()];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if path.is_dir() {
                // The fuzz corpus holds broken plans on purpose.
                let skipped = ["target", "fuzz", "node_modules"];
                if !name.starts_with('.') && !skipped.contains(&name.as_ref()) {
                    stack.push(path);
                }
            } else if name.ends_with(".plan") {
                assert_sound(&std::fs::read_to_string(&path).unwrap());
                seen += 1;
            }
        }
    }
    assert!(seen >= 12, "only {seen} .plan files found");
}

#[test]
fn spellings_of_one_plan_format_alike() {
    let loose = "plan \"甲\" {\n\tperiod 2023\n  tolerance 5％\n}\n\n\n\ntask 1 \"乙\" {\n\n    lead 区科技局、区统计局 ,区财政局\n    \"新增企业\" ≥ 1,000 家 kind 累计 from \"新增企业1000家以上\"  # 注\n    力争 done \"力争X\"\n    增速 growth in 5..8 ％ vs metric 全市增速\n    track 全市增速 ％\n\n}\n";
    let tidy = "plan \"甲\" {\n    period 2023\n    tolerance 5%\n}\n\ntask 1 \"乙\" {\n    lead 区科技局, 区统计局, 区财政局\n    新增企业 >= 1000 家  # 注\n        from \"新增企业1000家以上\"\n        kind cumulative\n    力争 done \"力争X\"\n    增速 growth in 5..8% vs metric 全市增速\n    track 全市增速 %\n}\n";
    assert_eq!(format(loose).unwrap(), tidy);
    assert_eq!(format(tidy).unwrap(), tidy);
}

#[test]
fn the_comparison_forms_format_in_one_spelling() {
    let loose = "plan \"甲\" {\n    period 2023\n    approx 10％ ，0.5 百分点\n}\ntask 1 \"乙\" {\n    lead 区发改局\n    地区生产总值 growth ～＞＝ 5％ within 0.5百分点\n    城镇登记失业率 ～<= 3%\n    居民收入 growth ≥ growth of metric 地区生产总值\n    农民收入 growth ≈ growth  of  metric \"地区生产总值\" within 1 百分点\n    综合考核位次 rank ＜＝ 3名\n    营商环境位次 rank   improves\n    track 全市平均水平 元 by 市统计局、市发改委\n}\n";
    let tidy = "plan \"甲\" {\n    period 2023\n    approx 10%, 0.5 百分点\n}\ntask 1 \"乙\" {\n    lead 区发改局\n    地区生产总值 growth ~>= 5%\n        within 0.5 百分点\n    城镇登记失业率 ~<= 3%\n    居民收入 growth >= growth of metric 地区生产总值\n    农民收入 growth ~= growth of metric 地区生产总值\n        within 1 百分点\n    综合考核位次 rank <= 3 名\n    营商环境位次 rank improves\n    track 全市平均水平 元 by 市统计局, 市发改委\n}\n";
    assert_eq!(format(loose).unwrap(), tidy);
    assert_eq!(format(tidy).unwrap(), tidy);
    assert_sound(loose);
}

#[test]
fn comments_stay_where_they_were() {
    let text = "# 文件头\ntask 1 \"乙\" {  # 任务\n    lead 区科技局\n    # 规则之前\n    X >= 1 个  # 行尾\n        # 子句之间\n        from \"X 1个\"  # 引文\n}\n# 文件尾\n";
    assert_eq!(format(text).unwrap(), text);
}

#[test]
fn a_line_that_does_not_parse_is_not_formatted() {
    let text = "task 1 \"乙\" {\n    lead 区科技局\n    X >= 九 个\n}\n";
    let error = format(text).unwrap_err();
    assert_eq!(&text[error.span.clone()], "X >= 九 个");
}

/// Pieces of generated plans, each in several spellings that parse alike.
fn space() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", "  ", "\t", "\u{3000}"])
}

fn metric() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "新增企业",
        "\"新增企业\"",
        "\"力争指标\"",
        "\"带 空格\"",
        "\"引\\\"号\"",
        "“两高”项目",
        "PM2.5浓度",
    ])
    .prop_map(str::to_owned)
}

fn op() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![">=", "≥", "＞＝", "<=", "≤", ">", "＜", "==", "＝＝"])
}

fn approx_op() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["~=", "≈", "～＝", "~>=", "～＞＝", "~<=", "～<="])
}

fn number() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["5", "1,000", "1000", "0.5", "-2"])
}

fn unit() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "%", " %", "％", " 家", "亿元", " 亿元"])
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        (op(), space(), number(), unit()).prop_map(|(o, s, n, u)| format!("{o}{s}{n}{u}")),
        (number(), number(), unit()).prop_map(|(a, b, u)| format!("in {a}..{b}{u}")),
        (number(), unit()).prop_map(|(n, u)| format!("~= {n}{u} within 10%")),
        (op(), number()).prop_map(|(o, n)| format!("growth {o} {n}%")),
        op().prop_map(|o| format!("{o} last_year")),
        (op(), metric()).prop_map(|(o, m)| format!("{o} metric {m}")),
        (approx_op(), number()).prop_map(|(a, n)| format!("growth {a} {n}% within 0.5 百分点")),
        (approx_op(), metric())
            .prop_map(|(a, m)| format!("growth {a} growth of metric {m} within 1 百分点")),
        (op(), metric()).prop_map(|(o, m)| format!("growth {o} metric {m}")),
        (approx_op(), number(), unit()).prop_map(|(a, n, u)| format!("{a} {n}{u} within 10%")),
        prop::sample::select(vec![
            "rank <= 3",
            "rank ＝＝ 1 名",
            "rank improves",
            "rank holds"
        ])
        .prop_map(str::to_owned),
    ]
}

fn clause() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "from \"新增企业1000家以上\"",
        "by 区科技局、区统计局",
        "by 区科技局 ,区统计局",
        "due 2023-06-30",
        "kind 累计",
        "kind level",
        "summed",
        "baseline 4 家",
        "schedule 2023-Q1 20%, 2023-H1 50％",
        "schedule 2023年第一季度 20%, 2023年上半年 50%",
    ])
    .prop_map(str::to_owned)
}

/// A rule line in any spelling, its clauses inline or on the lines below, with comments and
/// blank lines between statements.
fn rule() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "确保 ", "力争", "力争 "]),
        prop_oneof![
            (metric(), space(), target()).prop_map(|(m, s, t)| format!("{m}{s}{t}")),
            metric().prop_map(|m| format!("done {m}")),
        ],
        proptest::collection::vec((clause(), any::<bool>()), 0..4),
        prop::sample::select(vec!["", "  # 注", "#紧贴"]),
        prop::sample::select(vec!["", "\n", "\n    # 说明\n", "\n\n\n"]),
    )
        .prop_map(|(strength, head, clauses, comment, after)| {
            let mut line = format!("    {strength}{head}");
            let mut below = String::new();
            let mut seen = Vec::new();
            for (clause, inline) in clauses {
                // Each clause once per rule: a repeat is an error, not a spelling.
                let keyword = clause.split(' ').next().unwrap_or_default().to_owned();
                if seen.contains(&keyword) {
                    continue;
                }
                seen.push(keyword);
                if inline && below.is_empty() {
                    line.push(' ');
                    line.push_str(&clause);
                } else {
                    below.push_str(&format!("\n        {clause}"));
                }
            }
            format!("{line}{comment}{below}\n{after}")
        })
}

fn plan_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["    tolerance 5%\n", "  tolerance 5 ％\n", ""]),
        prop::sample::select(vec!["2023", "2023年"]),
        proptest::collection::vec(rule(), 1..6),
        prop::sample::select(vec!["    lead 区科技局, 区统计局\n", "\tlead 区科技局、区统计局\n"]),
        prop::sample::select(vec!["", "    skip \"甲\" because \"乙\"\n", "    track 全市增速 ％\n"]),
    )
        .prop_map(|(tolerance, period, rules, lead, extra)| {
            format!(
                "# 生成的计划\nplan \"甲\" {{\n    period {period}\n{tolerance}}}\n\nsection 一 \"节\"\ntask 1 \"乙\" {{\n{lead}{}{extra}}}\n",
                rules.concat()
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn generated_plans_keep_their_plan_and_are_stable(text in plan_text()) {
        assert_sound(&text);
    }
}
