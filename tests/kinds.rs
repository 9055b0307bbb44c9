//! The kind a rule is judged as (cumulative, level, milestone): said in the finding when it was
//! inferred and decided a mid-year verdict, with the clause that changes it; `kind_source` in
//! JSON.

use crate::support::{result, submission, Test};

const REPORTER: &str = "区工信局";

/// 工业技改项目 has no flow or stock word: a level by default. 固定资产投资 is a flow
/// (投资): cumulative.
fn plan(rules: &str) -> String {
    format!("plan \"类型测试\" {{\n    period 2023\n}}\n\ntask 5 \"工业投资\" {{\n    lead {REPORTER}\n{rules}}}\n")
}

const RULES: &str = "    工业技改项目 >= 20 个\n    固定资产投资 >= 100 亿元\n";

fn files(rules: &str, period: &str, figures: &[(&str, &str)]) -> Test {
    Test::empty()
        .file("rules/plan.plan", plan(rules))
        .file("data/a.yaml", submission(REPORTER, period, figures))
}

const HALF_YEAR: &[(&str, &str)] = &[("工业技改项目", "12"), ("固定资产投资", "\"40亿元\"")];

#[test]
fn an_inferred_kind_that_decides_a_mid_year_verdict_is_named_with_its_fix() {
    let output = files(RULES, "2023-H1", HALF_YEAR).check(&["data"]);
    assert_eq!(output.status, 1);
    insta::assert_snapshot!(output.stdout);
}

#[test]
fn json_says_whether_the_kind_was_written_or_inferred() {
    let (_, json) = files(RULES, "2023-H1", HALF_YEAR).check_json(&["data"]);
    let projects = result(&json, "工业技改项目");
    assert_eq!(
        (
            &projects["verdict"],
            &projects["kind"],
            &projects["kind_source"]
        ),
        (&"unmet".into(), &"level".into(), &"inferred".into())
    );
    let investment = result(&json, "固定资产投资");
    assert_eq!(
        (
            &investment["verdict"],
            &investment["kind"],
            &investment["kind_source"]
        ),
        (&"behind".into(), &"cumulative".into(), &"inferred".into())
    );
    // Written, the kind changes the verdict: 12 of 20 by mid-year is ahead of 9.92.
    let written =
        "    工业技改项目 >= 20 个 kind cumulative\n    固定资产投资 >= 100 亿元 kind level\n";
    let (_, json) = files(written, "2023-H1", HALF_YEAR).check_json(&["data"]);
    let projects = result(&json, "工业技改项目");
    assert_eq!(
        (
            &projects["verdict"],
            &projects["kind"],
            &projects["kind_source"]
        ),
        (&"ahead".into(), &"cumulative".into(), &"written".into())
    );
    let investment = result(&json, "固定资产投资");
    assert_eq!(
        (&investment["verdict"], &investment["kind_source"]),
        (&"unmet".into(), &"written".into())
    );
}

#[test]
fn no_note_when_the_kind_is_written_or_does_not_matter() {
    // Written: the rule says what it is, so nothing is assumed.
    let written =
        "    工业技改项目 >= 20 个 kind level\n    固定资产投资 >= 100 亿元 kind cumulative\n";
    let output = files(written, "2023-H1", HALF_YEAR).check(&["data"]);
    assert_eq!(output.status, 1);
    assert!(!output.stdout.contains("按水平指标"), "{}", output.stdout);
    assert!(!output.stdout.contains("按累计指标"), "{}", output.stdout);
    // At the deadline every kind is judged against the whole target.
    let output = files(
        RULES,
        "2023",
        &[("工业技改项目", "19"), ("固定资产投资", "\"99亿元\"")],
    )
    .check(&["data"]);
    assert_eq!(output.status, 1);
    assert_eq!(output.stdout.matches("plancheck::check::unmet").count(), 2);
    assert!(!output.stdout.contains("kind "), "{}", output.stdout);
}
