//! The submission schema: committed, true to every shipped sample, and as strict as the loader.

use crate::support::{codes, repo_root, Test};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const SCHEMA: &str = "schemas/submission.schema.json";

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo_root().join(SCHEMA)).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn the_committed_schema_matches_the_code() {
    let output = Test::empty().args(&["schema", "submission"]).run();
    assert_eq!(output.status, 0);
    let committed = std::fs::read_to_string(repo_root().join(SCHEMA)).unwrap();
    assert!(
        output.stdout == committed,
        "{SCHEMA} is stale; regenerate it with\n  cargo run -- schema submission > {SCHEMA}"
    );
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// A sample as JSON, read by a parser other than plancheck's own; `None` for table formats
/// (CSV, Excel), which have rows rather than this shape.
fn as_json(path: &Path) -> Option<Value> {
    let text = || std::fs::read_to_string(path).unwrap();
    match path.extension()?.to_str()? {
        "json" => Some(serde_json::from_str(&text()).unwrap()),
        "yaml" | "yml" => Some(serde_norway::from_str(&text()).unwrap()),
        "toml" => Some(toml::from_str(&text()).unwrap()),
        _ => None,
    }
}

#[test]
fn every_shipped_sample_submission_validates() {
    let validator = validator();
    let mut files = Vec::new();
    files_under(&repo_root().join("examples"), &mut files);
    files.sort();
    let mut checked = 0;
    for path in &files {
        let Some(value) = as_json(path) else { continue };
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    // Every JSON, YAML and TOML sample; CSV files are tables, not documents.
    let documents = files
        .iter()
        .filter(|p| {
            p.extension().is_some_and(|e| {
                ["json", "yaml", "yml", "toml"].contains(&e.to_str().unwrap_or(""))
            })
        })
        .count();
    assert_eq!(checked, documents, "{files:?}");
    assert!(
        checked >= 30,
        "the shipped samples cover every lead unit: {checked}"
    );
}

#[test]
fn a_yaml_template_validates() {
    let rules = repo_root().join("rules").display().to_string();
    let output = Test::empty()
        .args(&["template", "--lead", "区科技局", "--rules", &rules])
        .run();
    assert_eq!((output.status, output.stderr.as_str()), (0, ""));
    let value: Value = serde_norway::from_str(&output.stdout).unwrap();
    assert!(validator().is_valid(&value));
}

/// Shapes the loader accepts, and the schema must too.
#[test]
fn every_form_the_loader_reads_validates() {
    let validator = validator();
    let cases = [
        json!({"填报单位": "区水务局", "期间": 2023, "指标": {"水土保持率": "98.95%"}}),
        json!({"reporter": "区水务局", "period": "2023-H1", "figures": null}),
        json!({"reporter": "区水务局", "period": "2023", "figures": {
            "综合治理水土流失面积": {"value": 52, "unit": "公顷", "note": "含补报"},
            "水土保持率": {"数值": "98.95", "计量单位": "%"},
            "引湖入兖调水工程实施": true,
            "新增": null,
        }}),
        json!([{"reporter": "a", "period": "2023", "figures": {}},
               {"reporter": "b", "period": "2023", "figures": {}}]),
        json!({"submissions": [{"reporter": "a", "period": "2023", "figures": {}}]}),
    ];
    for case in cases {
        assert!(validator.is_valid(&case), "{case}");
    }
}

/// Shapes the loader refuses: the schema rejects each, and `plancheck check` fails on each with
/// a shape error, so the two cannot drift apart unnoticed.
#[test]
fn what_the_loader_refuses_the_schema_rejects() {
    let validator = validator();
    let cases = [
        (
            "missing reporter",
            json!({"period": "2023", "figures": {"a": 1}}),
        ),
        (
            "a list as a value",
            json!({"reporter": "a", "period": "2023", "figures": {"a": [1, 2]}}),
        ),
        (
            "both spellings of reporter",
            json!({"reporter": "a", "填报单位": "a", "period": "2023", "figures": {}}),
        ),
        (
            "an unknown key",
            json!({"reporter": "a", "period": "2023", "figures": {}, "year": 2023}),
        ),
        (
            "a unit without a value",
            json!({"reporter": "a", "period": "2023", "figures": {"a": {"unit": "%"}}}),
        ),
        (
            "an empty reporter",
            json!({"reporter": "", "period": "2023", "figures": {}}),
        ),
        (
            "figures as a list",
            json!({"reporter": "a", "period": "2023", "figures": [1]}),
        ),
        ("an empty list", json!([])),
    ];
    for (name, case) in cases {
        assert!(!validator.is_valid(&case), "schema accepts {name}: {case}");
        let (status, json) = Test::new()
            .file("data/case.json", &case.to_string())
            .check_json(&["data"]);
        assert_eq!(status, 2, "{name}");
        assert_eq!(codes(&json), ["plancheck::load::shape"], "{name}");
    }
}
