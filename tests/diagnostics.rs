//! The human report, locked with snapshots: one per kind of diagnostic, on Chinese text,
//! rendered without colour at 100 columns so the carets can be checked by eye.

use crate::support::{human, submission, with_eco, Test, ECO_MET, INDUSTRY_MET, PLAN, SOURCE};

#[test]
fn unmet_must_target() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"90.96%\"");
    insta::assert_snapshot!(human(with_eco(&eco)));
}

#[test]
fn unmet_strive_target_after_conversion() {
    let industry = INDUSTRY_MET.replace("\"4,600,000万元\"", "\"0.29亿元\"");
    insta::assert_snapshot!(human(
        Test::new()
            .file("data/eco.yaml", ECO_MET)
            .file("data/industry.yaml", &industry)
    ));
}

#[test]
fn missing_figure() {
    let eco = ECO_MET.replace("  农用地安全利用率: 100%\n", "");
    insta::assert_snapshot!(human(with_eco(&eco)));
}

#[test]
fn wrong_unit() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"92.3个百分点\"");
    insta::assert_snapshot!(human(with_eco(&eco)));
}

#[test]
fn invalid_value() {
    let eco = ECO_MET.replace("\"92.3%\"", "\"待统计\"");
    insta::assert_snapshot!(human(with_eco(&eco)));
}

#[test]
fn conflicting_reports() {
    let water = &submission("区水务局", "2023", &[("受污染耕地安全利用率", "93%")]);
    insta::assert_snapshot!(human(with_eco(ECO_MET).file("data/water.yaml", water)));
}

#[test]
fn unknown_metric_with_suggestion() {
    let eco = format!("{ECO_MET}  受污染耕地安全利用: 95%\n");
    insta::assert_snapshot!(human(with_eco(&eco)));
}

#[test]
fn syntax_errors_in_rules_are_all_reported() {
    let broken = PLAN
        .replace(">= 91%", ">= 九十一%")
        .replace("in 1..2 个", "in 1..2 只羊")
        .replace("task 6 \"做强优势产业集群\"", "task 6 做强优势产业集群");
    insta::assert_snapshot!(human(
        Test::empty()
            .file("rules/plan.plan", &broken)
            .file("rules/source.txt", SOURCE)
            .file("data/eco.yaml", ECO_MET)
    ));
}

#[test]
fn quote_not_in_source() {
    let plan = PLAN.replace(
        "from \"年内力争营收突破450亿元\"",
        "from \"年内力争营收突破460亿元\"",
    );
    insta::assert_snapshot!(human(
        Test::empty()
            .file("rules/plan.plan", &plan)
            .file("rules/source.txt", SOURCE)
            .file("data/eco.yaml", ECO_MET)
    ));
}

#[test]
fn data_file_syntax_error() {
    let broken =
        "reporter: 区生态环境分局\nperiod: \"2023\"\nfigures:\n  受污染耕地安全利用率: [92.3%\n";
    insta::assert_snapshot!(human(with_eco(broken)));
}

#[test]
fn a_long_line_is_cut_around_the_label() {
    // A one-line JSON submission: the wrong figure sits far to the right of the line.
    let mut figures: Vec<String> = (0..300).map(|i| format!("\"备注{i}\": \"无\"")).collect();
    figures.push("\"受污染耕地安全利用率\": \"90.96%\"".to_owned());
    figures.push("\"农用地安全利用率\": \"100%\", \"完成超低排放改造\": \"done\"".to_owned());
    let eco = format!(
        "{{\"reporter\": \"区生态环境分局\", \"period\": \"2023\", \"figures\": {{{}}}}}",
        figures.join(", ")
    );
    let test = Test::new()
        .file("data/eco.json", &eco)
        .file("data/industry.yaml", INDUSTRY_MET);
    let output = test.check(&["--max-per-code", "1", "data"]);
    insta::assert_snapshot!(format!("exit code: {}\n{}", output.status, output.stdout));
}
