//! SARIF, JUnit and GitHub reports, checked against the official schemas vendored in
//! `tests/schemas/`, with exact locations on Chinese text.

use crate::support::{
    repo_root, suite_counts, suites, with_eco, with_industry, Output, Test, ECO_MET, INDUSTRY_MET,
    PLAN,
};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// One result of every kind: an unmet must-target (受污染耕地安全利用率), a missing strive-target
/// (农用地安全利用率), an invalid strive figure (revenue in 亿美元), an invalid must figure whose
/// text is XML markup and a control character, and an unknown metric.
fn with_every_kind() -> Test {
    let eco = ECO_MET
        .replace("\"92.3%\"", "\"90.96%\"")
        .replace("  农用地安全利用率: 100%\n", "")
        + "  受污染耕地安全利用: 95%\n";
    let industry = INDUSTRY_MET
        .replace("\"4,600,000万元\"", "\"5亿美元\"")
        .replace("\"4,512人\"", r#""<待统计> & '核实'\a""#);
    Test::new()
        .file("data/eco.yaml", &eco)
        .file("data/industry.yaml", &industry)
}

/// The unmet figure after a character outside the Basic Multilingual Plane (𠮷, CJK
/// Extension B) on the same line: one character, two UTF-16 code units.
const ECO_ASTRAL_JSON: &str = r#"{"reporter": "区生态环境分局", "period": "2023", "figures": {"𠮷备注": 1, "受污染耕地安全利用率": "90.96%", "农用地安全利用率": "100%", "完成超低排放改造": "done"}}
"#;

/// A schema vendored in `tests/schemas/` (see its README for origin and licence).
fn vendored_schema(name: &str) -> PathBuf {
    repo_root().join("tests/schemas").join(name)
}

/// `plancheck ARGS` in the test's directory, which must print nothing on stderr: every
/// finding, broken input included, belongs in the report.
fn run(test: &Test, args: &[&str]) -> Output {
    let output = test.run_with(args);
    assert!(output.stderr.is_empty(), "{}", output.stderr);
    output
}

fn assert_valid_sarif(log: &Value) {
    let text = std::fs::read_to_string(vendored_schema("sarif-schema-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    // The schema must be able to fail, or a passing validation proves nothing.
    assert!(!validator.is_valid(&json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})));
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Checks a JUnit report against the Ant schema's rules (`junit_schema`); `.ci/run` also
/// runs xmllint on one.
fn assert_valid_junit(file: &Path) {
    let xml = std::fs::read_to_string(file).unwrap();
    if let Err(errors) = crate::junit_schema::validate(&xml) {
        panic!("{} does not validate:\n{errors:#?}", file.display());
    }
}

/// `plancheck check --format junit data`, its report validated against the schema.
fn junit(test: &Test) -> Output {
    let output = run(test, &["check", "--format", "junit", "data"]);
    let file = test.path().join("out.xml");
    std::fs::write(&file, &output.stdout).unwrap();
    assert_valid_junit(&file);
    output
}

fn sarif(test: &Test, args: &[&str]) -> (i32, Value) {
    let output = run(test, &[&["check", "--format", "sarif"], args].concat());
    let log = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", output.stdout));
    (output.status, log)
}

/// `physicalLocation` of a file and a one-line region.
fn physical(uri: &str, line: u64, columns: (u64, u64)) -> Value {
    json!({
        "artifactLocation": {"uri": uri, "uriBaseId": "SRCROOT"},
        "region": {"startLine": line, "startColumn": columns.0, "endLine": line, "endColumn": columns.1}
    })
}

#[test]
fn sarif_log_of_every_kind_validates_against_the_official_schema() {
    let (status, log) = sarif(&with_every_kind(), &["data"]);
    assert_eq!(status, 1);
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert_eq!(run["tool"]["driver"]["name"], "plancheck");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rule_ids,
        [
            "T32.受污染耕地安全利用率",
            "T32.农用地安全利用率",
            "T32.完成超低排放改造",
            "T6.造纸包装产业营业收入",
            "T6.培育主要农作物新品种",
            "T6.新增城镇就业",
            "plancheck::check::unknown-metric",
        ]
    );
    let rate = &run["tool"]["driver"]["rules"][0];
    assert_eq!(
        rate["shortDescription"]["text"],
        "受污染耕地安全利用率 >= 91%"
    );
    assert_eq!(
        rate["fullDescription"]["text"],
        "受污染耕地安全利用率稳定在91%以上"
    );
    assert_eq!(
        rate["properties"],
        json!({
            "task": 32, "taskTitle": "深入推进环境污染防治", "strength": "must",
            "lead": ["区生态环境分局", "区水务局"], "reporters": ["区生态环境分局", "区水务局"]
        })
    );
    assert_eq!(
        run["tool"]["driver"]["rules"][6]["shortDescription"]["text"],
        "未知指标"
    );

    // Met rules have no result; the rest come in the human report's order.
    let results = run["results"].as_array().unwrap();
    let summary: Vec<(&str, u64, &str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["ruleIndex"].as_u64().unwrap(),
                r["level"].as_str().unwrap(),
                r["properties"]["verdict"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("T6.新增城镇就业", 5, "error", "invalid"),
            ("T32.受污染耕地安全利用率", 0, "error", "unmet"),
            ("T6.造纸包装产业营业收入", 3, "warning", "invalid"),
            ("T32.农用地安全利用率", 1, "warning", "missing"),
            ("plancheck::check::unknown-metric", 6, "warning", "-"),
        ]
    );

    let unmet = &results[1];
    // The related place is linked from the message by its id, so GitHub shows it.
    assert_eq!(
        unmet["message"]["text"],
        "受污染耕地安全利用率 未达标：区生态环境分局 2023 报送 90.96%，目标 >= 91%（见[目标在此设定](0)）"
    );
    // `  受污染耕地安全利用率: "90.96%"`: the quoted value spans columns 15 to 23.
    assert_eq!(
        unmet["locations"],
        json!([{
            "physicalLocation": physical("data/eco.yaml", 4, (15, 23)),
            "message": {"text": "在此填报：90.96%"}
        }])
    );
    // `    确保 受污染耕地安全利用率 >= 91%`: the target `>= 91%` spans columns 19 to 25.
    assert_eq!(
        unmet["relatedLocations"],
        json!([{
            "id": 0,
            "physicalLocation": physical("rules/plan.plan", 11, (19, 25)),
            "message": {"text": "目标在此设定"}
        }])
    );
    assert_eq!(
        (
            &unmet["properties"]["period"],
            &unmet["properties"]["reporter"],
            &unmet["properties"]["target"],
            &unmet["properties"]["actual"],
        ),
        (
            &json!("2023"),
            &json!("区生态环境分局"),
            &json!(">= 91%"),
            &json!("90.96%")
        )
    );

    // A missing figure has no data location: the result points at the whole rule line.
    let missing = &results[3];
    assert_eq!(
        missing["locations"],
        json!([{"physicalLocation": physical("rules/plan.plan", 13, (5, 24))}])
    );
    assert_eq!(
        missing["relatedLocations"][0]["message"]["text"],
        "目标在此设定"
    );

    let unknown = &results[4];
    assert_eq!(
        unknown["locations"][0]["physicalLocation"],
        physical("data/eco.yaml", 6, (3, 12))
    );
    assert_eq!(
        unknown["properties"]["help"],
        "是否应为“受污染耕地安全利用率”？"
    );
}

#[test]
fn sarif_counts_utf16_code_units_and_github_counts_characters() {
    let test = Test::new()
        .file("data/eco.json", ECO_ASTRAL_JSON)
        .file("data/industry.yaml", INDUSTRY_MET);
    let (_, log) = sarif(&test, &["data"]);
    assert_valid_sarif(&log);
    let unmet = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "T32.受污染耕地安全利用率")
        .unwrap();
    // `"90.96%"` is the 79th character of the line; 𠮷 before it takes two UTF-16 units.
    assert_eq!(
        unmet["locations"][0]["physicalLocation"],
        physical("data/eco.json", 1, (80, 88))
    );
    let github = run(&test, &["check", "--format", "github", "data"]).stdout;
    let line = github.lines().find(|l| l.contains("title=未达标")).unwrap();
    assert_eq!(
        line.split_once(",title=").unwrap().0,
        "::error file=data/eco.json,line=1,col=79,endColumn=87"
    );
}

#[test]
fn sarif_of_broken_rules_validates_and_exits_two_whatever_fail_on_says() {
    let test = Test::new()
        .file("rules/plan.plan", PLAN.replace(">= 91%", ">= 九十一%"))
        .file("data/eco.yaml", ECO_MET);
    let (status, log) = sarif(&test, &["--fail-on", "never", "data"]);
    assert_eq!(status, 2);
    assert_valid_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "plancheck::parse::syntax");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "rules/plan.plan"
    );
}

#[test]
fn junit_validates_against_the_ant_schema_with_exact_counts() {
    let output = junit(&with_every_kind());
    assert_eq!(output.status, 1);
    assert_eq!(
        suite_counts(&output.stdout),
        suites([
            // The invalid strive figure and the unknown metric are warnings: skipped, as the
            // run exits 1 for the errors alone.
            ("任务6 做强优势产业集群", "3", "0", "1", "1"),
            ("任务32 深入推进环境污染防治", "3", "1", "0", "1"),
            ("其他问题", "1", "0", "0", "1"),
        ])
    );
    assert_eq!(output.stdout.matches("<testcase ").count(), 7);
    // Names carry no line numbers, so a case's history survives edits.
    assert!(output.stdout.contains(
        "name=\"未知指标 data/eco.yaml：未知指标“受污染耕地安全利用”：没有规则使用这一指标，该数值未被检查\""
    ));
    insta::assert_snapshot!(output.stdout);
}

#[test]
fn junit_marks_failed_only_what_fails_the_run() {
    let test = with_industry(&INDUSTRY_MET.replace("\"4,600,000万元\"", "\"0.29亿元\""));
    let counts = |args: &[&str]| {
        let output = run(
            &test,
            &[&["check", "--format", "junit"], args, &["data"]].concat(),
        );
        (output.status, suite_counts(&output.stdout)[0].clone())
    };
    let name = "任务6 做强优势产业集群".to_owned();
    let row = |failures: &str, skipped: &str| {
        (
            name.clone(),
            "3".to_owned(),
            failures.to_owned(),
            "0".to_owned(),
            skipped.to_owned(),
        )
    };
    assert_eq!(counts(&[]), (0, row("0", "1")));
    assert_eq!(counts(&["--deny", "warnings"]), (1, row("1", "0")));
    assert_eq!(counts(&["--fail-on", "warning"]), (1, row("1", "0")));
    let output = run(&test, &["check", "--format", "junit", "data"]);
    assert!(output.stdout.contains(
        "<skipped message=\"未达标（警告，不影响退出码）：造纸包装产业营业收入（力争目标） 未达标："
    ), "{}", output.stdout);
}

#[test]
fn junit_of_broken_input_is_an_error_not_an_empty_report() {
    let output = junit(&Test::new().file("data/eco.json", "{\"reporter\": "));
    assert_eq!(output.status, 2);
    // Nothing could be read: every target is missing, and the broken file is the one error.
    assert_eq!(
        suite_counts(&output.stdout),
        suites([
            // The missing strive targets are warnings: skipped.
            ("任务6 做强优势产业集群", "3", "2", "0", "1"),
            ("任务32 深入推进环境污染防治", "3", "2", "0", "1"),
            ("其他问题", "1", "0", "1", "0"),
        ]),
        "{}",
        output.stdout
    );
    assert_eq!(
        output
            .stdout
            .matches("type=\"plancheck::load::syntax\"")
            .count(),
        1,
        "{}",
        output.stdout
    );
}

#[test]
fn github_annotations_one_line_per_finding() {
    let output = run(&with_every_kind(), &["check", "--format", "github", "data"]);
    assert_eq!(output.status, 1);
    let unmet = output
        .stdout
        .lines()
        .find(|l| l.contains("title=未达标"))
        .unwrap();
    assert_eq!(
        unmet,
        "::error file=data/eco.yaml,line=4,col=15,endColumn=23,title=未达标：受污染耕地安全利用率\
         ::受污染耕地安全利用率 未达标：区生态环境分局 2023 报送 90.96%25，目标 >= 91%25\
         %0A任务32「深入推进环境污染防治」，牵头单位：区生态环境分局、区水务局\
         %0A原文：“受污染耕地安全利用率稳定在91%25以上”"
    );
    let (last, findings) = output
        .stdout
        .lines()
        .collect::<Vec<_>>()
        .split_last()
        .map(|(l, f)| (*l, f.to_vec()))
        .unwrap();
    assert!(findings
        .iter()
        .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")));
    assert!(
        last.starts_with("::notice title=plancheck 汇总::"),
        "{last}"
    );
    insta::assert_snapshot!(output.stdout);
}

#[test]
fn report_files_are_written_beside_the_human_report() {
    let test = with_every_kind();
    let human = run(
        &test,
        &["check", "--color", "never", "--width", "100", "data"],
    );
    let output = run(
        &test,
        &[
            "check",
            "--color",
            "never",
            "--width",
            "100",
            "--report",
            "sarif=out.sarif",
            "--report",
            "junit=out.xml",
            "data",
        ],
    );
    assert_eq!((output.status, human.status), (1, 1));
    assert!(
        output.stdout.starts_with("plancheck::check::wrong-unit\n"),
        "{}",
        output.stdout
    );
    assert_eq!(output.stdout, human.stdout);
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(test.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_valid_sarif(&log);
    assert_valid_junit(&test.path().join("out.xml"));
}

#[test]
fn fail_on_decides_between_zero_and_one_but_never_hides_broken_input() {
    let unmet_must = with_eco(&ECO_MET.replace("\"92.3%\"", "\"90.96%\""));
    assert_eq!(
        run(&unmet_must, &["check", "--format", "github", "data"]).status,
        1
    );
    assert_eq!(
        run(
            &unmet_must,
            &["check", "--format", "github", "--fail-on", "never", "data"]
        )
        .status,
        0
    );

    let only_warnings = with_industry(&INDUSTRY_MET.replace("\"4,600,000万元\"", "\"0.29亿元\""));
    assert_eq!(
        run(&only_warnings, &["check", "--format", "sarif", "data"]).status,
        0
    );
    assert_eq!(
        run(
            &only_warnings,
            &["check", "--format", "sarif", "--fail-on", "warning", "data"]
        )
        .status,
        1
    );

    let broken = Test::new().file("data/eco.json", "{\"reporter\": ");
    assert_eq!(
        run(
            &broken,
            &["check", "--format", "junit", "--fail-on", "never", "data"]
        )
        .status,
        2
    );
}
