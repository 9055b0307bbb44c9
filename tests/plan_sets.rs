//! Several plans in one run at scale and at their edges: a hundred small plans give what each
//! gives alone, routing findings point into the data file, and the rule-writer's commands take
//! a rules folder of several plans.

use crate::support::Test;
use plancheck::eval::{self, CheckOptions};
use std::fmt::Write as _;
use std::path::PathBuf;

const PLANS: usize = 100;

/// Plan `p`: two level rules and a milestone, led by one unit.
fn small_plan(p: usize) -> String {
    format!(
        "plan \"县{p:03}计划\" {{\n    period 2023\n}}\n\ntask 1 \"稳就业\" {{\n    lead 县人社局\n    新增城镇就业 >= 1000 人\n    城镇调查失业率 <= 5.5%\n}}\n\ntask 2 \"抓项目\" {{\n    lead 县发展改革局\n    done 重点项目开工\n}}\n"
    )
}

/// Plan `p`'s files: figures that differ from plan to plan, so verdicts do (met, unmet, behind,
/// missing, invalid), and now and then an unknown metric, a repeated report, a broken file,
/// each in YAML or JSON.
fn small_data(p: usize) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let jobs = 400 + 37 * (p % 23);
    let rate = format!("5.{}%", p % 9);
    let json = p % 2 == 0;
    for (q, period) in ["2023-Q1", "2023-Q2"].iter().enumerate() {
        if p % 7 == 0 && q == 1 {
            continue; // a quarter not reported: missing
        }
        let jobs = jobs * (q + 1);
        let unit = if p % 13 == 0 { "亿元" } else { "人" }; // a wrong unit: invalid
        let extra = if p % 11 == 0 {
            ", \"新增就业\": 5"
        } else {
            ""
        };
        let text = if json {
            format!(
                "{{\"reporter\": \"县人社局\", \"period\": \"{period}\", \"figures\": {{\"新增城镇就业\": \"{jobs}{unit}\", \"城镇调查失业率\": \"{rate}\"{extra}}}}}\n"
            )
        } else {
            let mut text = format!(
                "reporter: 县人社局\nperiod: \"{period}\"\nfigures:\n  新增城镇就业: {jobs}{unit}\n  城镇调查失业率: \"{rate}\"\n"
            );
            if !extra.is_empty() {
                text.push_str("  新增就业: 5\n");
            }
            text
        };
        let ext = if json { "json" } else { "yaml" };
        files.push((format!("人社-{q}.{ext}"), text));
    }
    if p % 17 == 0 {
        // The same quarter reported again, with another figure: a repeated report.
        files.push((
            "人社-again.yaml".to_owned(),
            "reporter: 县人社局\nperiod: \"2023-Q1\"\nfigures:\n  新增城镇就业: 999人\n".to_owned(),
        ));
    }
    if p % 19 == 0 {
        files.push(("broken.yaml".to_owned(), "reporter: [\n".to_owned()));
    }
    files.push((
        "项目.yaml".to_owned(),
        format!(
            "reporter: 县发展改革局\nperiod: \"2023-Q2\"\nfigures:\n  重点项目开工: {}\n",
            p % 3 != 0
        ),
    ));
    files
}

/// `Debug` text with every file id replaced by the file's path, so results of two runs that
/// number files differently compare as text.
fn named(debug: &str, data: &[PathBuf], rules: &[plancheck::source::SourceFile]) -> String {
    let mut out = String::new();
    let mut rest = debug;
    loop {
        let data_at = rest.find("DataFileId(");
        let rule_at = rest.find("RuleFileId(");
        let (at, is_data) = match (data_at, rule_at) {
            (Some(d), Some(r)) if r < d => (r, false),
            (Some(d), _) => (d, true),
            (None, Some(r)) => (r, false),
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        rest = &rest[at + "DataFileId(".len()..];
        let end = rest.find(')').unwrap();
        let n: usize = rest[..end].parse().unwrap();
        if is_data {
            write!(out, "{:?}", data[n]).unwrap();
        } else {
            write!(out, "{:?}", rules[n].path).unwrap();
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_hundred_plans_give_what_each_plan_gives_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut data = Vec::new();
    for p in 0..PLANS {
        let id = format!("县{p:03}");
        let rules = root.join(format!("rules/{id}/plan.plan"));
        std::fs::create_dir_all(rules.parent().unwrap()).unwrap();
        std::fs::write(&rules, small_plan(p)).unwrap();
        for (name, text) in small_data(p) {
            let path = root.join(format!("data/{id}/{name}"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            data.push(path);
        }
    }
    data.sort();
    let options = CheckOptions::default();
    let (set, findings) = plancheck::plans::load_set(
        &root.join("rules"),
        &plancheck::parse::ReadOptions::default(),
    )
    .unwrap();
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(set.members.len(), PLANS);
    // The check takes its plans over: it gets a copy read alike.
    let (copy, _) = plancheck::plans::load_set(
        &root.join("rules"),
        &plancheck::parse::ReadOptions::default(),
    )
    .unwrap();
    let (merged_plan, merged) = plancheck::plans::check_set(
        copy,
        &data.iter().collect::<plancheck::files::list::PathList>(),
        options,
    );

    let mut offset = 0;
    let mut alone_findings = Vec::new();
    let (mut submissions, mut figures) = (0, 0);
    let mut verdicts = std::collections::BTreeMap::new();
    for member in &set.members {
        let own: Vec<PathBuf> = data
            .iter()
            .filter(|p| p.parent().is_some_and(|d| d.ends_with(&member.id)))
            .cloned()
            .collect();
        let (plan, found) = plancheck::parse::load_plan(&root.join("rules").join(&member.id));
        assert!(found.is_empty(), "{found:?}");
        let alone = eval::check(
            &plan,
            &own.iter().collect::<plancheck::files::list::PathList>(),
            options,
        );
        let rules = plan.rules.len();
        let from_set: Vec<String> = merged
            .results
            .iter()
            .filter(|r| (offset..offset + rules).contains(&r.rule.0))
            .map(|r| {
                let mut r = r.clone();
                r.rule.0 -= offset;
                named(&format!("{r:?}"), &data, &merged_plan.files)
            })
            .collect();
        let by_itself: Vec<String> = alone
            .results
            .iter()
            .map(|r| named(&format!("{r:?}"), &own, &plan.files))
            .collect();
        assert_eq!(from_set, by_itself, "plan {}", member.id);
        for r in &alone.results {
            *verdicts.entry(r.verdict.as_str()).or_insert(0) += 1;
        }
        alone_findings.extend(
            alone
                .findings
                .iter()
                .map(|f| named(&format!("{f:?}"), &own, &plan.files)),
        );
        submissions += alone.submissions;
        figures += alone.figures;
        offset += rules;
    }
    assert_eq!(offset, merged_plan.rules.len());
    assert_eq!(merged.results.len(), verdicts.values().sum::<usize>());
    let mut set_findings: Vec<String> = merged
        .findings
        .iter()
        .map(|f| named(&format!("{f:?}"), &data, &merged_plan.files))
        .collect();
    set_findings.sort();
    alone_findings.sort();
    assert_eq!(set_findings, alone_findings);
    assert_eq!((merged.submissions, merged.figures), (submissions, figures));
    // The plans do differ: every kind of verdict and finding the data was made to give.
    assert_eq!(
        verdicts.into_iter().collect::<Vec<_>>(),
        [
            ("ahead", 166),
            ("invalid", 19),
            ("met", 190),
            ("pending", 34),
            ("unmet", 61),
        ]
    );
    let codes: std::collections::BTreeSet<&str> = merged.findings.iter().map(|f| f.code).collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        [
            "plancheck::check::unknown-metric",
            "plancheck::load::syntax"
        ]
    );
}

/// Two counties, each with one rule, for the routing findings.
fn two_counties() -> Test {
    let plan = |name: &str| {
        format!(
            "plan \"{name}计划\" {{\n    period 2023\n}}\n\ntask 1 \"稳就业\" {{\n    lead 县人社局\n    新增城镇就业 >= 100 人\n}}\n"
        )
    };
    Test::empty()
        .file("rules/甲县/plan.plan", plan("甲县"))
        .file("rules/乙县/plan.plan", plan("乙县"))
        .file(
            "data/甲县/人社.yaml",
            "reporter: 县人社局\nperiod: \"2023\"\nfigures:\n  新增城镇就业: 120人\n",
        )
}

#[test]
fn routing_findings_point_at_the_plan_key_or_the_file() {
    let test = two_counties()
        .file(
            "shared/人社.yaml",
            "- plan: 乙县\n  reporter: 县人社局\n  period: \"2023\"\n  figures:\n    新增城镇就业: 130人\n- plan: 丙县\n  reporter: 县人社局\n  period: \"2023\"\n  figures:\n    新增城镇就业: 90人\n",
        )
        .file(
            "shared/无键.yaml",
            "reporter: 县人社局\nperiod: \"2023\"\nfigures:\n  新增城镇就业: 1人\n",
        )
        .file(
            "data/甲县/乙县.yaml",
            "plan: 乙县\nreporter: 县人社局\nperiod: \"2023\"\nfigures:\n  新增城镇就业: 2人\n",
        )
        .file(
            "data/甲县/乙县/两个文件夹.yaml",
            "reporter: 县人社局\nperiod: \"2023\"\nfigures:\n  新增城镇就业: 3人\n",
        );
    let output = test.check(&["--rules", "rules", "data", "shared"]);
    insta::assert_snapshot!(format!(
        "exit code: {}\n{}{}",
        output.status, output.stdout, output.stderr
    ));
}

#[test]
fn a_submission_routed_by_its_key_is_judged_with_its_plan() {
    let test = two_counties().file(
        "shared/人社.json",
        "[{\"plan\": \"乙县\", \"reporter\": \"县人社局\", \"period\": \"2023\", \"figures\": {\"新增城镇就业\": \"130人\"}}]\n",
    );
    let (status, json) = test.check_json(&["--rules", "rules", "data", "shared"]);
    assert_eq!(status, 0, "{json}");
    let rows: Vec<(String, String, String)> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["plan"].as_str().unwrap().to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
                r["figure_location"]["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            // Plans in the order of their folders' names: 乙 (U+4E59) before 甲 (U+7532).
            ("乙县".into(), "met".into(), "shared/人社.json".into()),
            ("甲县".into(), "met".into(), "data/甲县/人社.yaml".into()),
        ]
    );
    assert_eq!(json["summary"]["figures"], 2, "{}", json["summary"]);
}

/// A temporary copy of the city fixture (`tests/fixtures/city/`).
fn city() -> Test {
    Test::copy_of("tests/fixtures/city")
}

/// The city fixture with a source document beside each plan, `(folder, text)`.
fn city_with_sources(sources: &[(&str, &str)]) -> Test {
    let mut test = city();
    for (folder, text) in sources {
        let plan = if folder.is_empty() {
            "rules/济宁市.plan".to_owned()
        } else {
            format!("rules/{folder}/plan.plan")
        };
        let rules = std::fs::read_to_string(test.path().join(&plan)).unwrap();
        let rules = rules.replacen(
            "    period 2023\n",
            "    period 2023\n    source \"source.txt\"\n",
            1,
        );
        let source = if folder.is_empty() {
            "rules/source.txt".to_owned()
        } else {
            format!("rules/{folder}/source.txt")
        };
        test = test.file(&plan, &rules).file(&source, text);
    }
    test
}

const CITY_SOURCE: &str = "一、稳就业、扩投资\n1.新增城镇就业40000人以上，城镇调查失业率控制在5.5%以内。(牵头单位:市人力资源社会保障局)\n2.完成重点项目投资600亿元以上。(牵头单位:市发展改革委)\n";
const YANZHOU_SOURCE: &str = "1.新增城镇就业15000人以上。(牵头单位:区人力资源社会保障局)\n2.完成重点项目投资150亿元以上。(牵头单位:区发展改革局)\n3.新建口袋公园5个。(牵头单位:区住房城乡建设局)\n";
const QUFU_SOURCE: &str = "1.新增城镇就业12000人以上。(牵头单位:市人力资源社会保障局)\n2.完成重点项目投资120亿元以上。(牵头单位:市发展改革局)\n";
const ZOUCHENG_SOURCE: &str = "1.新增城镇就业13000人以上。(牵头单位:市人力资源社会保障局)\n2.完成重点项目投资130亿元以上。(牵头单位:市发展改革局)\n";

#[test]
fn coverage_reads_each_plan_against_its_own_source() {
    let test = city_with_sources(&[
        ("", CITY_SOURCE),
        ("兖州区", YANZHOU_SOURCE),
        ("曲阜市", QUFU_SOURCE),
        ("邹城市", ZOUCHENG_SOURCE),
    ]);
    let output = test.run_with(&[
        "coverage", "--rules", "rules", "--color", "never", "--width", "100",
    ]);
    insta::assert_snapshot!(format!(
        "exit code: {}\n{}{}",
        output.status, output.stdout, output.stderr
    ));
    let output = test.run_with(&["coverage", "--rules", "rules", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let plans: Vec<&str> = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["plan"].as_str().unwrap())
        .collect();
    assert_eq!(plans, ["济宁市", "兖州区", "曲阜市", "邹城市"]);
    // Each plan's coverage is what coverage of that plan alone says.
    let alone = test.run_with(&["coverage", "--rules", "rules/兖州区", "--format", "json"]);
    let alone: serde_json::Value = serde_json::from_str(&alone.stdout).unwrap();
    assert_eq!(json["plans"][1]["coverage"], alone);
    // Targets the plans do not quote are gaps, so the run fails.
    assert_eq!(output.status, 1);

    // A plan without a source is said so; the others are still read.
    let test = city_with_sources(&[("兖州区", YANZHOU_SOURCE)]);
    let output = test.run_with(&["coverage", "--rules", "rules", "--format", "json"]);
    assert_eq!(output.status, 2);
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    assert_eq!(json["plans"].as_array().unwrap().len(), 1);
    assert_eq!(json["plans"][0]["plan"], "兖州区");
    assert_eq!(
        output.stderr.matches("计划「").count(),
        3,
        "{}",
        output.stderr
    );
}

#[test]
fn template_needs_the_plan_named_when_the_rules_hold_several() {
    let test = city();
    let lead = ["--lead", "区人力资源社会保障局"];
    let output = test.run_with(&[&["template", "--rules", "rules"][..], &lead].concat());
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: 规则文件夹中有 4 个计划（济宁市、兖州区、曲阜市、邹城市），本命令一次只读一个：用 --plan 指定其一\n"
    );
    let output = test.run_with(
        &[
            &["template", "--rules", "rules", "--plan", "泗水县"][..],
            &lead,
        ]
        .concat(),
    );
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: 没有计划「泗水县」；规则文件夹中的计划有：济宁市、兖州区、曲阜市、邹城市\n"
    );
    let picked = test.run_with(
        &[
            &["template", "--rules", "rules", "--plan", "兖州区"][..],
            &lead,
        ]
        .concat(),
    );
    let alone = test.run_with(&[&["template", "--rules", "rules/兖州区"][..], &lead].concat());
    assert_eq!(picked.status, 0, "{}", picked.stderr);
    assert_eq!(picked.stdout, alone.stdout);
    assert!(picked.stdout.contains("新增城镇就业"), "{}", picked.stdout);
    assert!(
        !picked.stdout.contains("完成重点项目投资"),
        "{}",
        picked.stdout
    );
}

const YANZHOU_TEST: &str = "test \"新增城镇就业：15000 人达标\" {\n    data 区人力资源社会保障局 2023\n        新增城镇就业: \"15000人\"\n    expect 新增城镇就业 met\n}\n";
const CITY_TEST: &str = "test \"完成重点项目投资：500 亿元\" {\n    data 市发展改革委 2023\n        完成重点项目投资: \"500亿元\"\n    expect 完成重点项目投资 met\n}\n";

#[test]
fn test_runs_each_plans_tests_against_that_plan() {
    let test = city()
        .file("rules/兖州区/tests/就业.plantest", YANZHOU_TEST)
        .file("rules/tests/投资.plantest", CITY_TEST);
    let output = test.run_with(&[
        "test", "--rules", "rules", "--color", "never", "--width", "100",
    ]);
    insta::assert_snapshot!(format!(
        "exit code: {}\n{}{}",
        output.status, output.stdout, output.stderr
    ));
    // Test files named on the command line are for one plan, which --plan names.
    let output = test.run_with(&["test", "--rules", "rules", "rules/兖州区/tests"]);
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: 规则文件夹中有 4 个计划（济宁市、兖州区、曲阜市、邹城市），本命令一次只读一个：用 --plan 指定其一\n"
    );
    let output = test.run_with(&[
        "test",
        "--rules",
        "rules",
        "--plan",
        "兖州区",
        "rules/兖州区/tests",
    ]);
    assert_eq!(output.status, 0, "{}", output.stdout);
    assert_eq!(
        output.stdout,
        "计划「兖州区」\ntest：1 个文件，1 个测试，1 条预期，0 条未通过\n"
    );
}

#[test]
fn submissions_routed_by_key_are_counted_once_when_a_parent_sums_them() {
    // 邹城市's figure of 新增城镇就业 is also a part of the city's sum: it is read for both
    // plans and counted once, as is 曲阜市's, which nothing sums.
    let test = city().file(
        "elsewhere/邹城.json",
        "[{\"plan\": \"邹城市\", \"reporter\": \"市人力资源社会保障局\", \"period\": \"2023-Q3\", \"figures\": {\"新增城镇就业\": \"9,100人\"}}]\n",
    );
    std::fs::remove_file(test.path().join("data/曲阜市/市发展改革局-H1.yaml")).unwrap();
    let test = test.file(
        "elsewhere/曲阜-投资.yaml",
        "plan: 曲阜市\nreporter: 市发展改革局\nperiod: \"2023-H1\"\nfigures:\n  完成重点项目投资: 61亿元\n",
    );
    let (_, json) = test.check_json(&["--rules", "rules", "data", "elsewhere"]);
    // Twelve files in the fixture, one moved out, two named by key.
    assert_eq!(json["summary"]["submissions"], 13, "{}", json["summary"]);
    assert_eq!(json["summary"]["figures"], 13, "{}", json["summary"]);
}
