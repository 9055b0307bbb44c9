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
            .file("data/case.json", case.to_string())
            .check_json(&["data"]);
        assert_eq!(status, 2, "{name}");
        assert_eq!(codes(&json), ["plancheck::load::shape"], "{name}");
    }
}

/// Editors read `"$schema"` to find the schema; the loader accepts it in every format and at
/// both levels, and the schema allows it.
#[test]
fn a_schema_key_is_accepted_in_json_yaml_and_toml() {
    let url = "https://example.org/plancheck/submission.schema.json";
    let eco = |format: &str| {
        match format {
        "json" => format!(
            r#"{{"$schema": "{url}", "reporter": "区生态环境分局", "period": "2023", "figures": {{"受污染耕地安全利用率": "92.3%", "农用地安全利用率": "100%", "完成超低排放改造": "done"}}}}"#
        ),
        "yaml" => format!("\"$schema\": {url}\n{}", crate::support::ECO_MET),
        _ => format!(
            "\"$schema\" = \"{url}\"\n[[submissions]]\nreporter = \"区生态环境分局\"\nperiod = \"2023\"\n[submissions.figures]\n\"受污染耕地安全利用率\" = \"92.3%\"\n\"农用地安全利用率\" = \"100%\"\n\"完成超低排放改造\" = \"done\"\n"
        ),
    }
    };
    for format in ["json", "yaml", "toml"] {
        let text = eco(format);
        let (status, json) = Test::new()
            .file(&format!("data/eco.{format}"), &text)
            .file("data/industry.yaml", crate::support::INDUSTRY_MET)
            .check_json(&["data"]);
        assert_eq!(
            (status, codes(&json)),
            (0, Vec::<String>::new()),
            "{format}"
        );
        let value = as_json_text(format, &text);
        assert!(validator().is_valid(&value), "{format}: {value}");
    }
}

fn as_json_text(format: &str, text: &str) -> Value {
    match format {
        "json" => serde_json::from_str(text).unwrap(),
        "yaml" => serde_norway::from_str(text).unwrap(),
        _ => toml::from_str(text).unwrap(),
    }
}

/// The period pattern agrees with the loader's parser on its forms and near misses; units
/// come from the registry; the schema carries an example that validates.
#[test]
fn the_schema_knows_periods_units_and_has_a_valid_example() {
    let validator = validator();
    let with_period = |period: &str| json!({"reporter": "a", "period": period, "figures": {}});
    for good in [
        "2023",
        "2023-06",
        "2023-6",
        "2023-Q2",
        "2023-q4",
        "2023-H1",
        "2023年",
        "2023年6月",
        "2023年第三季度",
        "2023年第4季度",
        "2023年上半年",
    ] {
        assert!(validator.is_valid(&with_period(good)), "{good}");
    }
    for bad in [
        "2023-13",
        "2023-Q5",
        "2023-H3",
        "23",
        "2023年13月",
        "2023 年",
        "上半年",
    ] {
        assert!(!validator.is_valid(&with_period(bad)), "{bad}");
    }
    let with_unit = |unit: &str| json!({"reporter": "a", "period": "2023", "figures": {"x": {"value": 1, "unit": unit}}});
    for good in ["亿元", "%", "家", "万人", "公顷"] {
        assert!(validator.is_valid(&with_unit(good)), "{good}");
    }
    assert!(!validator.is_valid(&with_unit("亿美刀")));
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join(SCHEMA)).unwrap()).unwrap();
    let examples = schema["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 1);
    assert!(validator.is_valid(&examples[0]));
}

/// Snapshots live with the other integration snapshots, not beside this file.
macro_rules! snapshot {
    ($value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => true }, {
            insta::assert_snapshot!($value);
        })
    };
}

/// Units as clerks type them: `％` from a Chinese input method, a space before 万元, an empty
/// unit for a bare number. The checker reads each, and the schema, which must never reject
/// what the checker reads, accepts the same file.
#[test]
fn full_width_and_padded_units_pass_the_checker_and_the_schema() {
    let eco = r#"{
  "reporter": "区生态环境分局",
  "period": "2023",
  "figures": {
    "受污染耕地安全利用率": { "value": 92.3, "unit": "％" },
    "农用地安全利用率": { "value": "100", "unit": "　%" },
    "完成超低排放改造": "done"
  }
}
"#;
    let industry = r#"{
  "reporter": "区工业和信息化局",
  "period": "2023",
  "figures": {
    "造纸包装产业营业收入": { "value": 4600000, "unit": " 万元 " },
    "培育主要农作物新品种": { "value": 2, "unit": "" },
    "新增城镇就业": { "value": 4512, "unit": "人" }
  }
}
"#;
    let validator = validator();
    for text in [eco, industry] {
        let value: Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let output = Test::new()
        .file("data/eco.json", eco)
        .file("data/industry.json", industry)
        .check(&["data"]);
    snapshot!(format!(
        "exit code: {}\n{}{}",
        output.status, output.stdout, output.stderr
    ));
}
