//! `plancheck test`: the rule tests beside the rules.

use crate::support::{repo_root, run_in, Test};

const PLAN: &str = "plan \"测试计划\" {\n    period 2023\n}\n\ntask 1 \"测试任务\" {\n    lead 区科技局\n    入库科技型中小企业 >= 200 家\n    力争 有研发活动企业 > 110 家\n}\n";

fn run(tests: &str) -> (i32, String, String) {
    let output = Test::empty()
        .file("rules/plan.plan", PLAN)
        .file("rules/tests/a.plantest", tests)
        .args(&["test", "--color", "never", "--width", "100"])
        .run();
    (output.status, output.stdout, output.stderr)
}

#[test]
fn the_shipped_tests_pass() {
    let output = run_in(&repo_root(), &["test", "--color", "never"]);
    assert_eq!(
        output.stdout,
        "test：3 个文件，42 个测试，42 条预期，0 条未通过\n"
    );
    assert_eq!(output.status, 0);
}

#[test]
fn passing_tests() {
    let tests = "# 两侧\ntest \"达标\" {\n    data 区科技局 2023\n        入库科技型中小企业: 200\n        有研发活动企业：\"110家\"\n    expect 入库科技型中小企业 met\n    expect 有研发活动企业 unmet warning\n}\n";
    let (status, stdout, stderr) = run(tests);
    assert_eq!(
        stdout, "test：1 个文件，1 个测试，2 条预期，0 条未通过\n",
        "{stderr}"
    );
    assert_eq!(status, 0);
}

#[test]
fn a_failed_expectation_is_shown_at_its_line_and_at_the_rule() {
    let tests = "test \"写错的预期\" {\n    data 区科技局 2023\n        入库科技型中小企业: 199\n    expect 入库科技型中小企业 met\n}\n";
    let (status, stdout, _) = run(tests);
    assert_eq!(status, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_data_file_relative_to_the_test() {
    let output = Test::empty()
        .file("rules/plan.plan", PLAN)
        .file(
            "data/science.yaml",
            "reporter: 区科技局\nperiod: \"2023\"\nfigures:\n  入库科技型中小企业: 215\n",
        )
        .file(
            "rules/tests/a.plantest",
            "test \"文件\" {\n    file \"../../data/science.yaml\"\n    expect 入库科技型中小企业 met\n    expect 有研发活动企业 missing warning\n}\n",
        )
        .args(&["test", "--color", "never"])
        .run();
    assert_eq!(
        output.stdout,
        "test：1 个文件，1 个测试，2 条预期，0 条未通过\n"
    );
    assert_eq!(output.status, 0);
}

#[test]
fn broken_test_files_exit_two() {
    let (status, stdout, _) = run("test \"缺少结论\" {\n    expect 入库科技型中小企业\n}\n");
    assert_eq!(status, 2);
    insta::assert_snapshot!(stdout);
    let (status, stdout, _) = run("test \"未知指标\" {\n    data 区科技局 2023\n        入库科技型中小企业: 200\n    expect 入库科技企业 met\n}\n");
    assert_eq!(status, 2);
    assert!(
        stdout.contains("plancheck::test::unknown-metric"),
        "{stdout}"
    );
    let (status, stdout, _) = run("test \"坏数据\" {\n    data 区科技局 2023-13\n        入库科技型中小企业: 200\n    expect 入库科技型中小企业 met\n}\n");
    assert_eq!(status, 2);
    assert!(stdout.contains("plancheck::test::data"), "{stdout}");
}

/// The form of a target, as far as a boundary goes: the operator, range, milestone or relation.
fn form(target: &plancheck::model::Target) -> String {
    use plancheck::model::{Relation, Target};
    match target {
        Target::Compare { op, .. } => op.symbol().to_owned(),
        Target::Range { .. } => "in".to_owned(),
        Target::Approx { side, .. } => side.symbol().to_owned(),
        Target::Done => "done".to_owned(),
        Target::Rank(rank) => match rank {
            plancheck::model::Rank::Place { op, .. } => format!("rank {}", op.symbol()),
            plancheck::model::Rank::Improves => "rank improves".to_owned(),
            plancheck::model::Rank::Holds => "rank holds".to_owned(),
        },
        Target::Relative {
            relation,
            reference,
        } => {
            let against = match reference {
                plancheck::model::Reference::LastYear => "last_year",
                plancheck::model::Reference::Metric { .. } => "metric",
            };
            let relation = match relation {
                Relation::Compare(op) => op.symbol(),
                Relation::Growth { .. } | Relation::GrowthRange { .. } => "growth",
                Relation::Change { .. } | Relation::ChangeRange { .. } => "change",
                Relation::GrowthApprox { side, .. } => side.symbol(),
                Relation::InStep { .. } => "growth in step",
            };
            format!("{relation} {against}")
        }
    }
}

#[test]
fn the_shipped_tests_cover_every_form_on_both_sides() {
    let root = repo_root();
    let (plan, _) = plancheck::parse::load_plan(&root.join("rules"));
    let mut sides: std::collections::BTreeMap<String, (bool, bool)> = plan
        .rules
        .iter()
        .map(|r| (form(&r.target), (false, false)))
        .collect();
    for entry in std::fs::read_dir(root.join("rules/tests")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for case in plancheck::ruletest::parse(&text).unwrap() {
            for expect in case.expects {
                for rule in plan.rules.iter().filter(|r| r.metric == expect.metric) {
                    let side = sides.get_mut(&form(&rule.target)).unwrap();
                    if expect.verdict.fails() {
                        side.1 = true;
                    } else {
                        side.0 = true;
                    }
                }
            }
        }
    }
    let uncovered: Vec<_> = sides.iter().filter(|(_, s)| **s != (true, true)).collect();
    assert!(
        uncovered.is_empty(),
        "forms without a passing and a failing test: {uncovered:?}"
    );
    assert!(sides.len() >= 12, "{sides:?}");
}
