//! The command line itself: usage errors, explain, and the shipped quick start.

use crate::support::{codes, repo_root, run_in, Test, ECO_MET, INDUSTRY_MET};

#[test]
fn usage_errors_exit_two() {
    let output = Test::empty().args(&["check", "--format", "xml"]).run();
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: invalid value 'xml' for '--format <FORMAT>'\n  \
         [possible values: human, json, sarif, junit, github, markdown, html, xlsx]\n\n  \
         tip: a similar value exists: 'xlsx'\n\n\
         For more information, try '--help'.\n"
    );
    // A data path that does not exist is broken input, reported like every other finding.
    let (status, json) = Test::new().check_json(&["no/such/dir"]);
    assert_eq!(status, 2);
    assert_eq!(
        codes(&json),
        ["plancheck::cli::no-data", "plancheck::files::not-found"]
    );
    assert_eq!(json["diagnostics"][1]["message"], "找不到 no/such/dir");
}

#[test]
fn explain_prints_a_code_and_rejects_unknown_ones() {
    let output = Test::empty().args(&["explain", "check::unmet"]).run();
    assert_eq!(output.status, 0);
    // The reason comes from the code table, which the README's table shares.
    let why = plancheck::codes::lookup("plancheck::check::unmet")
        .unwrap()
        .why;
    assert_eq!(
        output.stdout,
        format!("plancheck::check::unmet: 目标未完成\n\n{why}\n")
    );
    let output = Test::empty().args(&["explain", "check::nope"]).run();
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: 未知代码 check::nope；运行 `plancheck explain` 列出全部代码\n"
    );
}

#[test]
fn the_quick_start_checks_the_shipped_plan_and_samples() {
    let output = run_in(&repo_root(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    // The samples carry unmet must-targets on purpose: exit code 1, not 2.
    assert_eq!(output.status, 1);
    assert_eq!(json["summary"]["exit_code"], 1);
    for verdict in ["met", "unmet", "missing", "invalid"] {
        assert!(
            json["summary"][verdict].as_u64().unwrap() > 0,
            "no {verdict} result in the samples"
        );
    }
    // One misspelt metric on purpose, and nothing wrong with the rules or the files.
    assert_eq!(codes(&json), ["plancheck::check::unknown-metric"]);
}

#[test]
fn markdown_summary_shows_units_tasks_and_failing_targets() {
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
