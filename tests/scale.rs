//! Many co-leads confirming one figure: reports stay proportional to results, and results do
//! not depend on the number of threads or on the order files are read in.

use crate::support::Test;
use plancheck::eval::{self, CheckOptions};
use plancheck::report::{self, Context};
use std::fmt::Write as _;
use std::path::PathBuf;

const UNITS: usize = 40;

fn unit(u: usize) -> String {
    format!("区县单位{u:02}")
}

/// One task whose `UNITS` co-leads answer for two rules, and a second task whose lead,
/// 外单位, answers for none of them.
fn plan() -> String {
    let leads: Vec<String> = (0..UNITS).map(unit).collect();
    format!(
        "plan \"规模测试\" {{\n    period 2023\n}}\n\ntask 1 \"共同牵头\" {{\n    lead {}\n    达成率 >= 91%\n    事故数 <= 3 个\n}}\n\ntask 2 \"另一项任务\" {{\n    lead 外单位\n    track 另一项指标 个\n}}\n",
        leads.join(", ")
    )
}

/// Unit `u`'s JSON submission for 2023.
fn submission(u: usize, rate: &str, accidents: &str) -> String {
    format!(
        "{{\"reporter\": \"{}\", \"period\": \"2023\", \"figures\": {{\"达成率\": \"{rate}\", \"事故数\": {accidents}}}}}\n",
        unit(u)
    )
}

fn with_units(change: impl Fn(usize) -> Option<String>) -> Test {
    let mut test = Test::empty().file("rules/plan.plan", plan());
    for u in 0..UNITS {
        let text = change(u).unwrap_or_else(|| submission(u, "92.5%", "2"));
        test = test.file(&format!("data/u{u:02}.json"), &text);
    }
    test
}

#[test]
fn confirmations_are_one_value_with_its_reporters_counted() {
    let (status, json) = with_units(|_| None).check_json(&["data"]);
    assert_eq!(status, 0);
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let rate = &results[0];
    assert_eq!(rate["metric"], "达成率");
    assert_eq!(rate["verdict"], "met");
    assert_eq!(rate["reporter"], unit(0));
    let values = rate["values"].as_array().unwrap();
    assert_eq!(values.len(), 1, "{values:?}");
    assert_eq!(values[0]["actual"], "92.5%");
    assert_eq!(values[0]["reporter"], unit(0));
    assert_eq!(values[0]["reports"], UNITS);
    // The first three places in path order; the other 37 are counted only.
    let files: Vec<&str> = values[0]["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["data/u00.json", "data/u01.json", "data/u02.json"]);
    for place in values[0]["places"].as_array().unwrap() {
        assert_eq!((&place["line"], &place["column"]), (&1.into(), &61.into()));
    }
    assert_eq!(results[1]["values"][0]["reports"], UNITS);
    // Leads are listed once, in the task, not once per result.
    assert_eq!(json["tasks"][0]["lead"].as_array().unwrap().len(), UNITS);
    assert_eq!(rate.get("lead"), None);
}

#[test]
fn a_conflict_keeps_every_value_with_its_places() {
    let (status, json) = with_units(|u| match u {
        7 => Some(submission(u, "90.5%", "2")),
        30 => Some(submission(u, "0.925", "2")),
        _ => None,
    })
    .check_json(&["data"]);
    assert_eq!(status, 1);
    let rate = &json["results"][0];
    assert_eq!(rate["verdict"], "invalid");
    assert_eq!(rate["code"], "plancheck::check::conflict");
    let values: Vec<(String, u64, String)> = rate["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["actual"].as_str().unwrap().to_owned(),
                v["reports"].as_u64().unwrap(),
                v["places"][0]["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("92.5%".to_owned(), 38, "data/u00.json".to_owned()),
            ("90.5%".to_owned(), 1, "data/u07.json".to_owned()),
            ("0.925".to_owned(), 1, "data/u30.json".to_owned()),
        ]
    );
}

/// Files with agreeing co-leads, a conflict, a repeated report, an unknown metric and a
/// unit that does not lead the task.
fn mixed() -> Test {
    with_units(|u| {
        match u {
        3 => Some(submission(u, "90%", "2")),
        5 => Some(format!(
            "[{}, {}]",
            submission(u, "92.5%", "2").trim(),
            submission(u, "92.5%", "2").trim()
        )),
        9 => Some(
            "{\"reporter\": \"外单位\", \"period\": \"2023\", \"figures\": {\"事故数\": 2, \"未知指标\": 1}}"
                .to_owned(),
        ),
        _ => None,
    }
    })
}

fn json_report(dir: &std::path::Path, paths: &[PathBuf]) -> String {
    let (plan, findings) = plancheck::parse::load_plan(&dir.join("rules"));
    assert_eq!(findings, vec![]);
    let paths: plancheck::files::list::PathList = paths.iter().collect();
    let outcome = eval::check(&plan, &paths, CheckOptions::default());
    let ctx = Context {
        plan: &plan,
        data_paths: &paths,
        outcome: &outcome,
        root: None,
    };
    let mut text = report::json::render(&ctx);
    let _ = write!(text, "{:?}", outcome.findings);
    text
}

#[test]
fn results_are_the_same_on_one_thread_and_on_two() {
    let test = mixed();
    let dir = test.path().to_owned();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| json_report(&dir, &paths))
    };
    let one = on(1);
    assert!(one.contains("plancheck::check::conflict"), "{one}");
    assert!(one.contains("plancheck::check::duplicate"), "{one}");
    assert!(one.contains("plancheck::check::unknown-metric"), "{one}");
    assert!(one.contains("plancheck::check::not-responsible"), "{one}");
    for _ in 0..3 {
        assert_eq!(on(2), one);
    }
}

#[test]
fn the_order_of_the_arguments_does_not_change_the_report() {
    let test = mixed();
    let forward: Vec<String> = (0..UNITS).map(|u| format!("data/u{u:02}.json")).collect();
    let backward: Vec<String> = forward.iter().rev().cloned().collect();
    let run = |files: &[String]| {
        let mut args = vec!["check", "--format", "json", "--rules", "rules"];
        args.extend(files.iter().map(String::as_str));
        test.run_with(&args).stdout
    };
    let first = run(&forward);
    assert!(first.contains("plancheck::check::conflict"), "{first}");
    assert_eq!(run(&backward), first);
}

#[test]
fn a_figure_missing_from_many_co_leads_names_ten_and_counts_the_rest() {
    let (status, json) = with_units(|u| {
        Some(format!(
            "{{\"reporter\": \"{}\", \"period\": \"2023\", \"figures\": {{\"达成率\": \"92.5%\"}}}}",
            unit(u)
        ))
    })
    .check_json(&["data"]);
    assert_eq!(status, 1);
    let accidents = &json["results"][1];
    assert_eq!(accidents["verdict"], "missing");
    let named: Vec<String> = (0..10).map(unit).collect();
    assert_eq!(
        accidents["message"],
        format!(
            "事故数 未报送：2023 期间{}等 40 个单位均未填报此项",
            named.join("、")
        )
    );
}
