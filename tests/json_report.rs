//! The JSON report against its committed schema.

use crate::support::{codes, repo_root, result, verdicts, with_eco, Test, ECO_MET, INDUSTRY_MET};

fn committed_schema() -> serde_json::Value {
    let text = std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_committed_schema_matches_the_code() {
    let output = Test::empty().args(&["schema", "report"]).run();
    assert_eq!(output.status, 0);
    let committed =
        std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap();
    assert!(
        output.stdout == committed,
        "schemas/report.schema.json is stale; regenerate it with\n  cargo run -- schema report > schemas/report.schema.json"
    );
}

#[test]
fn reports_of_every_verdict_validate_against_the_schema() {
    let validator = jsonschema::validator_for(&committed_schema()).unwrap();
    let eco = ECO_MET
        .replace("\"92.3%\"", "\"90.96%\"")
        .replace("  农用地安全利用率: 100%\n", "  农用地安全利用: 100%\n");
    let industry = INDUSTRY_MET.replace("\"4,600,000万元\"", "\"5亿美元\"");
    let (status, json) = Test::new()
        .file("data/eco.yaml", &eco)
        .file("data/industry.yaml", &industry)
        .check_json(&["data"]);
    assert_eq!(status, 1);
    let kinds: std::collections::BTreeSet<_> =
        verdicts(&json).into_iter().map(|(_, _, v)| v).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["invalid", "met", "missing", "unmet"]
    );
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_broken_input_report_validates_too() {
    let validator = jsonschema::validator_for(&committed_schema()).unwrap();
    let (status, json) = Test::new()
        .file("data/eco.json", "{\"reporter\": ")
        .check_json(&["data"]);
    assert_eq!(status, 2);
    assert_eq!(codes(&json), ["plancheck::load::syntax"]);
    assert!(validator.is_valid(&json));
}

#[test]
fn locations_count_characters_in_lines() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"90.96%\"");
    let (_, json) = with_eco(&eco).check_json(&["data"]);
    let rate = result(&json, "受污染耕地安全利用率");
    // `  受污染耕地安全利用率: "90.96%"` on line 4: the value starts at character 15.
    assert_eq!(
        rate["figure_location"],
        serde_json::json!({"file": "data/eco.yaml", "line": 4, "column": 15})
    );
    // `    确保 受污染耕地安全利用率 >= 91%` on line 11 of the plan: the rule starts at column 5.
    assert_eq!(
        rate["rule_location"],
        serde_json::json!({"file": "rules/plan.plan", "line": 11, "column": 5})
    );
}
