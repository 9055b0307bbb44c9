//! The shipped plan and samples: fully encoded, fully covered, and the README tells the truth.

use crate::support::{repo_root, run_in, verdicts};
use std::collections::{BTreeMap, BTreeSet};

/// `plancheck ARGS` in the repository, as the README's quick start runs it: (status, stdout).
fn plancheck(args: &[&str]) -> (i32, String) {
    let output = run_in(&repo_root(), args);
    (output.status, output.stdout)
}

#[test]
fn every_target_like_statement_of_the_source_is_encoded_or_skipped() {
    let (status, stdout) = plancheck(&["coverage", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["uncovered"],
        serde_json::json!([]),
        "run `cargo run -- coverage` to see them"
    );
    assert_eq!(json["uncited_rules"], serde_json::json!([]));
    assert_eq!(status, 0);
    assert_eq!(json["summary"]["tasks"], 83);
}

#[test]
fn every_rule_of_the_shipped_plan_meets_at_least_one_sample_figure() {
    let (_, stdout) = plancheck(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut figures: BTreeMap<(u64, String, String), usize> = BTreeMap::new();
    for result in json["results"].as_array().unwrap() {
        let key = (
            result["task"].as_u64().unwrap(),
            result["metric"].as_str().unwrap().to_owned(),
            result["target"].as_str().unwrap().to_owned(),
        );
        *figures.entry(key).or_default() += usize::from(!result["actual"].is_null());
    }
    assert_eq!(
        figures.len(),
        json["plan"]["rules"].as_u64().unwrap() as usize
    );
    let unchecked: Vec<_> = figures
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| k)
        .collect();
    assert!(
        unchecked.is_empty(),
        "rules no sample figure reaches: {unchecked:#?}"
    );
}

#[test]
fn the_samples_show_every_verdict_and_case_the_readme_promises() {
    let (status, stdout) = plancheck(&["check", "--format", "json"]);
    assert_eq!(status, 1, "the samples fail some must-targets on purpose");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let kinds: BTreeSet<String> = verdicts(&json).into_iter().map(|(_, _, v)| v).collect();
    for verdict in [
        "met", "ahead", "on_track", "behind", "pending", "unmet", "missing", "invalid",
    ] {
        assert!(
            kinds.contains(verdict),
            "no {verdict} result in the samples"
        );
    }
    let codes: BTreeSet<&str> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["code"].as_str())
        .chain(
            json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["code"].as_str()),
        )
        .collect();
    for code in [
        "plancheck::check::unmet",
        "plancheck::check::missing",
        "plancheck::check::wrong-unit",
        "plancheck::check::invalid-value",
        "plancheck::check::conflict",
        "plancheck::check::unknown-metric",
        "plancheck::check::behind",
    ] {
        assert!(codes.contains(code), "no {code} in the samples: {codes:?}");
    }
    let converted = json["results"].as_array().unwrap().iter().any(|r| {
        r["actual"].as_str().is_some_and(|a| a.ends_with("万元"))
            && r["compared"].as_str().is_some_and(|c| c.ends_with("亿元"))
    });
    assert!(
        converted,
        "no figure in 万元 checked against a target in 亿元"
    );
}

#[test]
fn the_readme_quotes_the_summary_the_quick_start_prints() {
    let (_, stdout) = plancheck(&["check", "--color", "never"]);
    let summary: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("规则 "))
        .take(2)
        .collect();
    assert_eq!(summary.len(), 2, "{stdout}");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    for line in summary {
        assert!(readme.contains(line), "README.md does not show `{line}`");
    }
}
