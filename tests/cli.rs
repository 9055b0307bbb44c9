//! The command line itself: usage errors, explain, and the shipped quick start.

use crate::support::{repo_root, Test};

#[test]
fn usage_errors_exit_two() {
    let output = Test::empty().args(&["check", "--format", "xml"]).run();
    assert_eq!(output.status, 2);
    assert!(output.stderr.contains("--format"), "{}", output.stderr);
    let output = Test::new().check(&["no/such/dir"]);
    assert_eq!(output.status, 2);
    assert_eq!(output.stderr, "error: 找不到填报文件或目录：no/such/dir\n");
}

#[test]
fn explain_prints_a_code_and_rejects_unknown_ones() {
    let output = Test::empty().args(&["explain", "check::unmet"]).run();
    assert_eq!(output.status, 0);
    assert!(
        output
            .stdout
            .starts_with("plancheck::check::unmet: 目标未完成\n\n"),
        "{}",
        output.stdout
    );
    let output = Test::empty().args(&["explain", "check::nope"]).run();
    assert_eq!(output.status, 2);
}

#[test]
fn the_quick_start_checks_the_shipped_plan_and_samples() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args(["check", "--format", "json"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // The samples carry unmet must-targets on purpose: exit code 1, not 2.
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json["summary"]["exit_code"], 1);
    for verdict in ["met", "unmet", "missing", "invalid"] {
        assert!(
            json["summary"][verdict].as_u64().unwrap() > 0,
            "no {verdict} result in the samples"
        );
    }
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"plancheck::check::unknown-metric"),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c.starts_with("plancheck::parse")
            || c.starts_with("plancheck::plan")
            || c.starts_with("plancheck::load")),
        "{codes:?}"
    );
}

#[test]
fn markdown_summary_shows_units_tasks_and_failing_targets() {
    use crate::support::{ECO_MET, INDUSTRY_MET};
    let eco = ECO_MET
        .replace("\"92.3%\"", "\"90.96%\"")
        .replace("  农用地安全利用率: 100%\n", "");
    let industry = INDUSTRY_MET.replace("\"4,600,000万元\"", "\"5亿美元\"");
    let output = Test::new()
        .file("data/eco.yaml", &eco)
        .file("data/industry.yaml", &industry)
        .file(
            "data/extra.yaml",
            "reporter: 区水务局\nperiod: \"2023\"\nfigures:\n  不存在的指标: 1\n",
        )
        .check(&["--format", "markdown", "data"]);
    assert_eq!(output.status, 1);
    insta::assert_snapshot!(output.stdout);
}
