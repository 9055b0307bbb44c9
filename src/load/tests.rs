//! Loader tests: every format reads the same submissions with exact spans.

// A failed unwrap or an out-of-range slice in a test is the assertion failing.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use super::*;
use crate::source::DataFileId;
use crate::units;
use miette::Diagnostic;
use rust_decimal::Decimal;
use std::str::FromStr;

fn load(format: Format, text: &str) -> LoadedFile {
    load_text(DataFileId(0), format, text)
}

/// Loads a file that must give exactly one submission and no error.
fn one(format: Format, text: &str) -> Submission {
    let loaded = load(format, text);
    assert_eq!(loaded.errors, vec![], "{text}");
    assert_eq!(loaded.submissions.len(), 1, "{text}");
    loaded.submissions.into_iter().next().unwrap()
}

pub(super) fn number(amount: &str, unit: Option<&str>) -> FigureValue {
    FigureValue::Number(Quantity::new(
        Decimal::from_str(amount).unwrap(),
        unit.map(|u| units::lookup(u).unwrap()),
    ))
}

pub(super) fn invalid(text: &str, reason: InvalidReason) -> FigureValue {
    FigureValue::Invalid {
        text: text.to_owned(),
        reason,
    }
}

fn values(submission: &Submission) -> Vec<(&str, FigureValue)> {
    submission
        .figures
        .iter()
        .map(|f| (f.metric.as_str(), f.value.clone()))
        .collect()
}

fn at<'t>(text: &'t str, loc: &DataLoc) -> &'t str {
    assert_eq!(loc.cell, None);
    &text[loc.span.clone()]
}

fn code(error: &LoadError) -> String {
    error.code().map(|c| c.to_string()).unwrap_or_default()
}

fn spanned<'t>(text: &'t str, error: &LoadError) -> &'t str {
    &text[error.span().unwrap()]
}

/// Each error's message and the text its span covers.
fn messages_and_spans<'t>(loaded: &LoadedFile, text: &'t str) -> Vec<(String, &'t str)> {
    loaded
        .errors
        .iter()
        .map(|e| (e.to_string(), spanned(text, e)))
        .collect()
}

const YAML: &str = r#"reporter: 区生态环境分局
period: "2023"
figures:
  受污染耕地安全利用率: "92.3%"
  新增城镇就业: 4512
  造纸包装产业营业收入: "4,600,000万元"
  完成市定煤电机组关停任务: done
  某指标: { value: 3.2, unit: 亿元, note: "说明" }
"#;

const JSON: &str = r#"{
  "reporter": "区生态环境分局",
  "period": "2023",
  "figures": {
    "受污染耕地安全利用率": "92.3%",
    "新增城镇就业": 4512,
    "造纸包装产业营业收入": "4,600,000万元",
    "完成市定煤电机组关停任务": "done",
    "某指标": { "value": 3.2, "unit": "亿元", "note": "说明" }
  }
}
"#;

const TOML: &str = r#"reporter = "区生态环境分局"
period = "2023"

[figures]
"受污染耕地安全利用率" = "92.3%"
"新增城镇就业" = 4512
"造纸包装产业营业收入" = "4,600,000万元"
"完成市定煤电机组关停任务" = "done"
"某指标" = { value = 3.2, unit = "亿元", note = "说明" }
"#;

const CSV: &str = r#"reporter,period,metric,value,unit
区生态环境分局,2023,受污染耕地安全利用率,92.3%,
区生态环境分局,2023,新增城镇就业,4512,
区生态环境分局,2023,造纸包装产业营业收入,"4,600,000",万元
区生态环境分局,2023,完成市定煤电机组关停任务,done,
区生态环境分局,2023,某指标,3.2,亿元
"#;

fn sample_values() -> Vec<(&'static str, FigureValue)> {
    vec![
        ("受污染耕地安全利用率", number("92.3", Some("%"))),
        ("新增城镇就业", number("4512", None)),
        ("造纸包装产业营业收入", number("4600000", Some("万元"))),
        ("完成市定煤电机组关停任务", FigureValue::Done(true)),
        ("某指标", number("3.2", Some("亿元"))),
    ]
}

#[test]
fn every_format_loads_the_sample_to_the_same_submission() {
    for (format, text) in [
        (Format::Yaml, YAML),
        (Format::Json, JSON),
        (Format::Toml, TOML),
        (Format::Csv, CSV),
    ] {
        let submission = one(format, text);
        assert_eq!(submission.reporter, "区生态环境分局", "{format}");
        assert_eq!(submission.period, Period::Year(2023), "{format}");
        assert_eq!(values(&submission), sample_values(), "{format}");
    }
}

/// The spans of the reporter, the period and the first, third and last figure, as text.
fn sample_spans(submission: &Submission, text: &str) -> Vec<String> {
    let figures = &submission.figures;
    [
        &submission.reporter_loc,
        &submission.period_loc,
        &figures[0].metric_loc,
        &figures[0].value_loc,
        &figures[2].value_loc,
        &figures[4].metric_loc,
        &figures[4].value_loc,
    ]
    .iter()
    .map(|loc| at(text, loc).to_owned())
    .collect()
}

#[test]
fn yaml_spans_are_bytes_on_cjk_text() {
    let submission = one(Format::Yaml, YAML);
    let spans = sample_spans(&submission, YAML);
    assert_eq!(
        spans,
        [
            "区生态环境分局",
            "\"2023\"",
            "受污染耕地安全利用率",
            "\"92.3%\"",
            "\"4,600,000万元\"",
            "某指标",
            "3.2"
        ]
    );
    let key = YAML.find("受污染").unwrap();
    assert_eq!(submission.figures[0].metric_loc.span, key..key + 30);
}

#[test]
fn json_and_toml_spans_include_quotes() {
    for (format, text) in [(Format::Json, JSON), (Format::Toml, TOML)] {
        let submission = one(format, text);
        assert_eq!(
            sample_spans(&submission, text),
            [
                "\"区生态环境分局\"",
                "\"2023\"",
                "\"受污染耕地安全利用率\"",
                "\"92.3%\"",
                "\"4,600,000万元\"",
                "\"某指标\"",
                "3.2"
            ],
            "{format}"
        );
    }
}

#[test]
fn csv_spans_are_cells() {
    let submission = one(Format::Csv, CSV);
    assert_eq!(
        sample_spans(&submission, CSV),
        [
            "区生态环境分局",
            "2023",
            "受污染耕地安全利用率",
            "92.3%",
            "\"4,600,000\"",
            "某指标",
            "3.2"
        ]
    );
}

#[test]
fn full_width_digits_and_separators_in_every_format() {
    let yaml = "reporter: 区\nperiod: 2023\nfigures:\n  甲: ９２％\n  乙: \"１２．５\"\n  丙: 4，512人\n  丁: \"１,２３４,５６７万元\"\n";
    let expected = vec![
        ("甲", number("92", Some("%"))),
        ("乙", number("12.5", None)),
        ("丙", number("4512", Some("人"))),
        ("丁", number("1234567", Some("万元"))),
    ];
    assert_eq!(values(&one(Format::Yaml, yaml)), expected);
    let json = r#"{"reporter": "区", "period": 2023, "figures": {"甲": "９２％", "乙": "１２．５", "丙": "4，512人", "丁": "１,２３４,５６７万元"}}"#;
    assert_eq!(values(&one(Format::Json, json)), expected);
    let csv = "填报单位,期间,指标,数值\n区,2023,甲,９２％\n区,2023,乙,１２．５\n区,2023,丙,4，512人\n区,2023,丁,\"１,２３４,５６７万元\"\n";
    assert_eq!(values(&one(Format::Csv, csv)), expected);
}

#[test]
fn every_invalid_reason_from_data_files() {
    let yaml = "reporter: 区\nperiod: 2023\nfigures:\n  a: .nan\n  b: -.inf\n  c: \"\"\n  d:\n  e: 很好\n  f: 12345678901234567890123456789\n  g: \"NaN\"\n";
    assert_eq!(
        values(&one(Format::Yaml, yaml)),
        vec![
            ("a", invalid(".nan", InvalidReason::NonFinite)),
            ("b", invalid("-.inf", InvalidReason::NonFinite)),
            ("c", invalid("", InvalidReason::Empty)),
            ("d", invalid("", InvalidReason::Empty)),
            ("e", invalid("很好", InvalidReason::NotANumber)),
            (
                "f",
                invalid("12345678901234567890123456789", InvalidReason::TooLarge)
            ),
            ("g", invalid("NaN", InvalidReason::NonFinite)),
        ]
    );
    let toml = "reporter = \"区\"\nperiod = 2023\n[figures]\na = nan\nb = -inf\nc = \"\"\n";
    assert_eq!(
        values(&one(Format::Toml, toml)),
        vec![
            ("a", invalid("nan", InvalidReason::NonFinite)),
            ("b", invalid("-inf", InvalidReason::NonFinite)),
            ("c", invalid("", InvalidReason::Empty)),
        ]
    );
    let json = r#"{"reporter": "区", "period": "2023", "figures": {"a": null, "b": "Infinity", "c": 1234567890123456789012345678.9}}"#;
    assert_eq!(
        values(&one(Format::Json, json)),
        vec![
            ("a", invalid("null", InvalidReason::Empty)),
            ("b", invalid("Infinity", InvalidReason::NonFinite)),
            (
                "c",
                invalid("1234567890123456789012345678.9", InvalidReason::TooLarge)
            ),
        ]
    );
}

#[test]
fn numbers_are_read_from_their_source_text() {
    // Each of these is a different number as f64 would read it, or no exact f64 at all.
    let json = r#"{"reporter": "区", "period": "2023", "figures": {"a": 90.96, "b": 1e3, "c": 0.1000000000000000055511151231, "d": -12.50}}"#;
    assert_eq!(
        values(&one(Format::Json, json)),
        vec![
            ("a", number("90.96", None)),
            ("b", number("1000", None)),
            ("c", number("0.1000000000000000055511151231", None)),
            ("d", number("-12.5", None)),
        ]
    );
    let yaml = "reporter: 区\nperiod: 2023\nfigures:\n  a: 12345678901234567890123\n  b: 0x1F\n  c: +1.5e2\n";
    assert_eq!(
        values(&one(Format::Yaml, yaml)),
        vec![
            ("a", number("12345678901234567890123", None)),
            ("b", number("31", None)),
            ("c", number("150", None)),
        ]
    );
    let toml =
        "reporter = \"区\"\nperiod = 2023\n[figures]\na = 4_512\nb = 0x1F\nc = 90.96\nd = 1.5e-3\n";
    assert_eq!(
        values(&one(Format::Toml, toml)),
        vec![
            ("a", number("4512", None)),
            ("b", number("31", None)),
            ("c", number("90.96", None)),
            ("d", number("0.0015", None)),
        ]
    );
}

#[test]
fn unknown_units_are_kept() {
    let yaml =
        "reporter: 区\nperiod: 2023\nfigures:\n  牛: 5头牛\n  羊: { value: 3, unit: 只羊 }\n";
    assert_eq!(
        values(&one(Format::Yaml, yaml)),
        vec![
            (
                "牛",
                FigureValue::UnknownUnit {
                    amount: Decimal::from(5),
                    unit: "头牛".to_owned()
                }
            ),
            (
                "羊",
                FigureValue::UnknownUnit {
                    amount: Decimal::from(3),
                    unit: "只羊".to_owned()
                }
            ),
        ]
    );
}

#[test]
fn milestones_in_every_spelling() {
    let yaml = "reporter: 区\nperiod: 2023\nfigures:\n  a: done\n  b: true\n  c: false\n  d: 完成\n  e: 未完成\n  f: 已完成\n  g: 是\n  h: 否\n";
    let done: Vec<bool> = one(Format::Yaml, yaml)
        .figures
        .iter()
        .map(|f| f.value == FigureValue::Done(true))
        .collect();
    assert_eq!(done, [true, true, false, true, false, true, true, false]);
    let toml = "reporter = \"区\"\nperiod = 2023\n[figures]\na = true\nb = false\nc = \"完成\"\n";
    assert_eq!(
        values(&one(Format::Toml, toml)),
        vec![
            ("a", FigureValue::Done(true)),
            ("b", FigureValue::Done(false)),
            ("c", FigureValue::Done(true)),
        ]
    );
    let json = r#"{"reporter": "区", "period": "2023", "figures": {"a": true, "b": false, "c": "未完成"}}"#;
    assert_eq!(
        values(&one(Format::Json, json)),
        vec![
            ("a", FigureValue::Done(true)),
            ("b", FigureValue::Done(false)),
            ("c", FigureValue::Done(false)),
        ]
    );
}

fn reporters_and_periods(loaded: &LoadedFile) -> Vec<(String, Period)> {
    loaded
        .submissions
        .iter()
        .map(|s| (s.reporter.clone(), s.period))
        .collect()
}

#[test]
fn several_submissions_in_one_file() {
    let expected = vec![
        ("区生态环境分局".to_owned(), Period::Half(2023, 1)),
        ("区人社局".to_owned(), Period::Quarter(2023, 2)),
    ];
    let yaml = "- reporter: 区生态环境分局\n  period: 2023-H1\n  figures:\n    甲: 1\n- 填报单位: 区人社局\n  期间: 2023-Q2\n  指标:\n    乙: 2\n";
    let json = r#"[{"reporter": "区生态环境分局", "period": "2023-H1", "figures": {"甲": 1}},
                   {"填报单位": "区人社局", "期间": "2023-Q2", "指标": {"乙": 2}}]"#;
    let toml = "[[submissions]]\nreporter = \"区生态环境分局\"\nperiod = \"2023-H1\"\n[submissions.figures]\n\"甲\" = 1\n\n[[submissions]]\n\"填报单位\" = \"区人社局\"\n\"期间\" = \"2023-Q2\"\n[submissions.\"指标\"]\n\"乙\" = 2\n";
    let json_wrapped = format!(r#"{{"submissions": {json}}}"#);
    let yaml_documents = "reporter: 区生态环境分局\nperiod: 2023-H1\nfigures: {甲: 1}\n---\nreporter: 区人社局\nperiod: 2023-Q2\nfigures: {乙: 2}\n";
    for (format, text) in [
        (Format::Yaml, yaml),
        (Format::Json, json),
        (Format::Toml, toml),
        (Format::Yaml, yaml_documents),
        (Format::Json, &json_wrapped),
    ] {
        let loaded = load(format, text);
        assert_eq!(loaded.errors, vec![], "{text}");
        assert_eq!(reporters_and_periods(&loaded), expected, "{text}");
        let second = &loaded.submissions[1];
        assert_eq!(values(second), vec![("乙", number("2", None))], "{text}");
    }
}

#[test]
fn periods_in_every_form() {
    for (written, period) in [
        ("2023", Period::Year(2023)),
        ("\"2023-06\"", Period::Month(2023, 6)),
        ("2023-Q2", Period::Quarter(2023, 2)),
        ("2023-H1", Period::Half(2023, 1)),
        ("2023年上半年", Period::Half(2023, 1)),
    ] {
        let yaml = format!("reporter: 区\nperiod: {written}\nfigures: {{}}\n");
        let submission = one(Format::Yaml, &yaml);
        assert_eq!(submission.period, period, "{written}");
        assert_eq!(at(&yaml, &submission.period_loc), written);
    }
    let json = r#"{"reporter": "区", "period": 2023, "figures": {}}"#;
    assert_eq!(one(Format::Json, json).period, Period::Year(2023));
}

#[test]
fn duplicate_metrics_are_both_kept() {
    let yaml = "reporter: 区\nperiod: 2023\nfigures:\n  甲: 1\n  甲: 2\n";
    let json = r#"{"reporter": "区", "period": "2023", "figures": {"甲": 1, "甲": 2}}"#;
    let csv = "reporter,period,metric,value\n区,2023,甲,1\n区,2023,甲,2\n";
    for (format, text) in [
        (Format::Yaml, yaml),
        (Format::Json, json),
        (Format::Csv, csv),
    ] {
        let submission = one(format, text);
        assert_eq!(
            values(&submission),
            vec![("甲", number("1", None)), ("甲", number("2", None))],
            "{format}"
        );
        assert_ne!(
            submission.figures[0].metric_loc,
            submission.figures[1].metric_loc
        );
    }
}

#[test]
fn csv_with_chinese_headers_in_any_order_with_template_columns() {
    let csv = "任务,指标,目标,数值,计量单位,期间,填报单位,备注\n\
32,受污染耕地安全利用率,>= 91%,92.3,%,2023,区生态环境分局,\"见附件，第 3 页\"\n\
32,受污染耕地安全利用率,>= 91%,90,%,2023-Q2,区生态环境分局,\n\
5,新增城镇就业,4000人,,,2023,区人社局,未填\n\
32,造纸包装产业营业收入,,\"4,600,000\",万元,2023,区生态环境分局,\n";
    let loaded = load(Format::Csv, csv);
    assert_eq!(loaded.errors, vec![]);
    assert_eq!(
        reporters_and_periods(&loaded),
        vec![
            ("区生态环境分局".to_owned(), Period::Year(2023)),
            ("区生态环境分局".to_owned(), Period::Quarter(2023, 2)),
            ("区人社局".to_owned(), Period::Year(2023)),
        ]
    );
    let subs = &loaded.submissions;
    assert_eq!(
        values(&subs[0]),
        vec![
            ("受污染耕地安全利用率", number("92.3", Some("%"))),
            ("造纸包装产业营业收入", number("4600000", Some("万元"))),
        ]
    );
    assert_eq!(at(csv, &subs[0].figures[1].value_loc), "\"4,600,000\"");
    assert_eq!(
        at(csv, &subs[0].figures[1].metric_loc),
        "造纸包装产业营业收入"
    );
    assert_eq!(at(csv, &subs[0].reporter_loc), "区生态环境分局");
    // A template row left empty is a figure with an empty value, never dropped.
    assert_eq!(
        values(&subs[2]),
        vec![("新增城镇就业", invalid("", InvalidReason::Empty))]
    );
    let empty = &subs[2].figures[0].value_loc.span;
    assert_eq!(empty.start, empty.end);
}

#[test]
fn csv_quoted_fields_with_commas_quotes_and_newlines() {
    let csv = "reporter,period,metric,value\n\"区生态环境分局\",2023,\"指标,带逗号\",\"1,234\"\n区,2023,\"说\"\"明\",\"多\n行\"\n";
    let loaded = load(Format::Csv, csv);
    assert_eq!(loaded.errors, vec![]);
    let first = &loaded.submissions[0];
    assert_eq!(first.reporter, "区生态环境分局");
    assert_eq!(at(csv, &first.reporter_loc), "\"区生态环境分局\"");
    assert_eq!(first.figures[0].metric, "指标,带逗号");
    assert_eq!(at(csv, &first.figures[0].metric_loc), "\"指标,带逗号\"");
    assert_eq!(first.figures[0].value, number("1234", None));
    assert_eq!(at(csv, &first.figures[0].value_loc), "\"1,234\"");
    let second = &loaded.submissions[1];
    assert_eq!(second.figures[0].metric, "说\"明");
    assert_eq!(at(csv, &second.figures[0].metric_loc), "\"说\"\"明\"");
    assert_eq!(at(csv, &second.figures[0].value_loc), "\"多\n行\"");
}

#[test]
fn csv_blank_rows_are_skipped() {
    let csv = "reporter,period,metric,value\n区,2023,甲,1\n,,,\n\n";
    assert_eq!(
        values(&one(Format::Csv, csv)),
        vec![("甲", number("1", None))]
    );
}

#[test]
fn csv_unknown_missing_and_duplicate_columns() {
    let csv = "reporter,period,metric,valeu,单位,单位\n区,2023,甲,1,人,人\n";
    let loaded = load(Format::Csv, csv);
    assert!(loaded.submissions.is_empty());
    let problems = messages_and_spans(&loaded, csv);
    assert_eq!(
        problems,
        vec![
            (ShapeProblem::CsvUnknownColumn.to_string(), "valeu"),
            (ShapeProblem::CsvDuplicateColumn.to_string(), "单位"),
            (
                ShapeProblem::CsvMissingColumn(Field::Value).to_string(),
                "reporter,period,metric,valeu,单位,单位"
            ),
        ]
    );
    assert!(loaded
        .errors
        .iter()
        .all(|e| code(e) == "plancheck::load::shape"));
    let help = loaded.errors[0].help().unwrap().to_string();
    assert!(help.contains("plancheck schema submission"), "{help}");
}

#[test]
fn csv_group_errors_drop_only_that_group() {
    let csv = "reporter,period,metric,value\n区,2023,甲,1\n,2023,乙,2\n区,明年,丙,3\n区,2023,,4\n县,2023,丁,5\n";
    let loaded = load(Format::Csv, csv);
    assert_eq!(
        reporters_and_periods(&loaded),
        vec![("县".to_owned(), Period::Year(2023))]
    );
    let errors: Vec<(String, &str)> = loaded
        .errors
        .iter()
        .map(|e| (code(e), spanned(csv, e)))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("plancheck::load::shape".to_owned(), ""),
            ("plancheck::load::shape".to_owned(), ""),
            ("plancheck::load::bad-period".to_owned(), "明年"),
        ]
    );
    // Errors come group by group: (区, 2023) with its empty metric cell first, then the group
    // with the empty reporter cell.
    let reporter_row = csv.find(",2023,乙").unwrap();
    let metric_cell = csv.find(",,4").unwrap() + 1;
    assert_eq!(
        loaded.errors[..2]
            .iter()
            .map(|e| e.span().unwrap())
            .collect::<Vec<_>>(),
        vec![metric_cell..metric_cell, reporter_row..reporter_row]
    );
}

#[test]
fn csv_without_rows_or_header() {
    let loaded = load(Format::Csv, "");
    assert_eq!(
        loaded.errors,
        vec![LoadError::shape(ShapeProblem::CsvNoHeader, 0..0)]
    );
    let loaded = load(Format::Csv, "reporter,period,metric,value\n");
    assert_eq!(
        loaded.errors,
        vec![LoadError::shape(ShapeProblem::NoSubmissions, 0..28)]
    );
}

fn only_error(format: Format, text: &str) -> LoadError {
    let loaded = load(format, text);
    assert!(loaded.submissions.is_empty(), "{text}");
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    loaded.errors.into_iter().next().unwrap()
}

#[test]
fn syntax_errors_point_at_byte_offsets() {
    let json = "{\"填报单位\": \"区\", \"期间\": }";
    let error = only_error(Format::Json, json);
    assert_eq!(code(&error), "plancheck::load::syntax");
    assert_eq!(error.span().unwrap().start, json.find('}').unwrap());

    let yaml = "reporter: 区生态环境分局\nperiod: \"2023\nfigures: {}\n";
    let error = only_error(Format::Yaml, yaml);
    assert_eq!(code(&error), "plancheck::load::syntax");
    assert_eq!(
        error.to_string(),
        "YAML 语法错误：invalid indentation in quoted scalar"
    );
    let quote = yaml.find("\"2023").unwrap();
    assert_eq!(error.span().unwrap(), quote..quote + 1);

    let yaml = "figures:\n  甲: {value: 92.3, unit: %}\n";
    let error = only_error(Format::Yaml, yaml);
    assert_eq!(spanned(yaml, &error), "%");
    assert!(error.help().unwrap().to_string().contains("unit: \"%\""));

    let yaml = "指标: 区\n  甲: 1\n";
    let error = only_error(Format::Yaml, yaml);
    assert_eq!(spanned(yaml, &error), ":");
    assert_eq!(error.span().unwrap().start, yaml.find("甲").unwrap() + 3);

    let toml = "reporter = \"区\"\n[figures]\n受污染 = \"92.3%\"\n";
    let error = only_error(Format::Toml, toml);
    assert_eq!(code(&error), "plancheck::load::syntax");
    assert_eq!(spanned(toml, &error), "受污染");
    assert!(error.help().unwrap().to_string().contains("须加引号"));

    // A ragged row is an error on that row; the other rows are still read.
    let csv = "reporter,period,metric,value\n区,2023,甲,1\n区,2023,乙\n区,2023,丙,3,多余\n";
    let loaded = load(Format::Csv, csv);
    let metrics: Vec<&str> = loaded.submissions[0]
        .figures
        .iter()
        .map(|f| f.metric.as_str())
        .collect();
    assert_eq!(metrics, ["甲"]);
    let errors: Vec<(String, &str)> = loaded
        .errors
        .iter()
        .map(|e| (e.to_string(), spanned(csv, e)))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "CSV 语法错误：这一行有 3 列，表头有 4 列；此行未读取".to_owned(),
                "区,2023,乙"
            ),
            (
                "CSV 语法错误：这一行有 5 列，表头有 4 列；此行未读取".to_owned(),
                "区,2023,丙,3,多余"
            ),
        ]
    );
}

#[test]
fn bad_period_drops_only_its_submission() {
    let yaml = "- reporter: 区\n  period: 明年\n  figures: {甲: 1}\n- reporter: 县\n  period: 2023\n  figures: {甲: 1}\n";
    let loaded = load(Format::Yaml, yaml);
    assert_eq!(
        reporters_and_periods(&loaded),
        vec![("县".to_owned(), Period::Year(2023))]
    );
    assert_eq!(loaded.errors.len(), 1);
    let error = &loaded.errors[0];
    assert_eq!(code(error), "plancheck::load::bad-period");
    assert_eq!(spanned(yaml, error), "明年");
    assert!(error.help().unwrap().to_string().contains("2023-Q2"));

    let json = r#"{"reporter": "区", "period": "2023-13", "figures": {}}"#;
    let error = only_error(Format::Json, json);
    let start = json.find("\"2023-13").unwrap();
    assert_eq!(error, LoadError::bad_period(start..start + 9));
    assert_eq!(spanned(json, &error), "\"2023-13\"");
}

#[test]
fn missing_reporter_and_other_shape_errors() {
    let json = r#"[{"period": "2023", "figures": {}}, {"reporter": " ", "period": "2023", "figures": []}]"#;
    let loaded = load(Format::Json, json);
    assert!(loaded.submissions.is_empty());
    let problems = messages_and_spans(&loaded, json);
    assert_eq!(
        problems,
        vec![
            (ShapeProblem::MissingField(Field::Reporter).to_string(), "{"),
            (
                ShapeProblem::EmptyField(Field::Reporter).to_string(),
                "\" \""
            ),
            (ShapeProblem::FiguresNotMapping.to_string(), "["),
        ]
    );
    assert_eq!(problems[0].0, "缺少填报单位（reporter）");
    let help = loaded.errors[0].help().unwrap().to_string();
    assert!(help.contains("plancheck schema submission"), "{help}");
}

#[test]
fn wrong_value_types_and_unknown_keys_are_shape_errors() {
    let yaml = "reporter: 区\nperiod: 2023\ncontact: 张三\nfigures:\n  甲: [1, 2]\n  乙: {value: 1, units: 人}\n  丙: {unit: 人}\n";
    let loaded = load(Format::Yaml, yaml);
    assert!(loaded.submissions.is_empty());
    let problems: Vec<(ShapeProblem, &str)> = loaded
        .errors
        .iter()
        .map(|e| match e {
            LoadError::Shape { problem, .. } => (*problem, spanned(yaml, e)),
            other => panic!("not a shape error: {other:?}"),
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            (ShapeProblem::UnknownKey, "contact"),
            (ShapeProblem::WrongValueType, "["),
            (ShapeProblem::UnknownValueKey, "units"),
            (ShapeProblem::MissingField(Field::Value), "{"),
        ]
    );
    let toml = "reporter = \"区\"\nperiod = 2023\n[figures]\n\"甲\" = 2023-06-01\n";
    let error = only_error(Format::Toml, toml);
    let date = toml.find("2023-06-01").unwrap();
    assert_eq!(
        error,
        LoadError::shape(ShapeProblem::WrongValueType, date..date + 10)
    );
    assert_eq!(spanned(toml, &error), "2023-06-01");
}

#[test]
fn yaml_aliases_are_refused() {
    let yaml = "reporter: 区\nperiod: 2023\nfigures:\n  甲: &x 1\n  乙: *x\n";
    let error = only_error(Format::Yaml, yaml);
    assert_eq!(
        error,
        LoadError::shape(
            ShapeProblem::YamlAlias,
            yaml.find("*x").unwrap()..yaml.len() - 1
        )
    );
}

#[test]
fn empty_files_have_no_submissions() {
    for (format, text) in [
        (Format::Json, ""),
        (Format::Yaml, ""),
        (Format::Yaml, "# 只有注释\n"),
        (Format::Toml, ""),
        (Format::Json, "[]"),
    ] {
        let error = only_error(format, text);
        assert_eq!(
            error.to_string(),
            ShapeProblem::NoSubmissions.to_string(),
            "{format} {text:?}"
        );
    }
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    let json = deep("[", "]", 1000);
    let error = only_error(Format::Json, &json);
    assert_eq!(error, LoadError::too_deep(32..33));
    assert_eq!(code(&error), "plancheck::load::too-deep");

    let yaml = format!("a: {}", deep("[", "]", 40));
    let error = only_error(Format::Yaml, &yaml);
    // The mapping is level 1, so the 32nd bracket (at byte 3 + 31) is level 33.
    assert_eq!(error, LoadError::too_deep(34..35));
    // Deeper still, saphyr's scanner refuses first; that is reported the same way.
    let yaml = format!("a: {}", deep("[", "]", 1000));
    let error = only_error(Format::Yaml, &yaml);
    assert_eq!(code(&error), "plancheck::load::too-deep");

    let block: String = (0..40).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
    let error = only_error(Format::Yaml, &block);
    assert_eq!(code(&error), "plancheck::load::too-deep");

    let toml = format!("a = {}", deep("[", "]", 60));
    let error = only_error(Format::Toml, &toml);
    assert_eq!(code(&error), "plancheck::load::too-deep");
    let toml = format!("a = {}", deep("[", "]", 500));
    let error = only_error(Format::Toml, &toml);
    assert_eq!(code(&error), "plancheck::load::too-deep");
    let dotted: Vec<String> = (0..100).map(|i| format!("k{i}")).collect();
    let toml = format!("{} = 1\n", dotted.join("."));
    let error = only_error(Format::Toml, &toml);
    assert_eq!(code(&error), "plancheck::load::too-deep");

    // Exactly at the limit still reads (as a shape error: a list is no figure value).
    let json = format!(
        r#"{{"reporter": "区", "period": "2023", "figures": {{"甲": {}}}}}"#,
        deep("[", "]", MAX_DEPTH - 2)
    );
    let error = only_error(Format::Json, &json);
    assert_eq!(code(&error), "plancheck::load::shape");
}

#[test]
fn every_variant_has_its_code() {
    let cases = [
        (
            LoadError::Io {
                path: String::new(),
                reason: String::new(),
            },
            "plancheck::load::io",
        ),
        (
            LoadError::NotUtf8 {
                path: String::new(),
                line: 1,
                offset: 0,
                guess: String::new(),
            },
            "plancheck::load::encoding",
        ),
        (
            LoadError::Format {
                path: String::new(),
                extension: String::new(),
            },
            "plancheck::load::format",
        ),
        (
            LoadError::syntax(Format::Json, "x", 0..0),
            "plancheck::load::syntax",
        ),
        (
            LoadError::shape(ShapeProblem::UnknownKey, 0..0),
            "plancheck::load::shape",
        ),
        (LoadError::bad_period(0..0), "plancheck::load::bad-period"),
        (LoadError::too_deep(0..0), "plancheck::load::too-deep"),
    ];
    for (error, expected) in cases {
        assert_eq!(code(&error), expected);
        assert!(crate::codes::lookup(expected).is_some());
        assert!(error.help().is_some(), "{error:?}");
    }
    let help = LoadError::too_deep(0..0).help().unwrap().to_string();
    assert!(help.contains("{value, unit}"), "{help}");
}

#[test]
fn load_file_normalises_newlines_and_picks_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("填报.YML");
    std::fs::write(&path, YAML.replace('\n', "\r\n")).unwrap();
    let loaded = load_file(DataFileId(3), &path);
    assert_eq!(loaded.errors, vec![]);
    let submission = &loaded.submissions[0];
    assert_eq!(submission.reporter_loc.file, DataFileId(3));
    // Spans point into the normalised text: the same as the file without its `\r`s.
    assert_eq!(
        sample_spans(submission, YAML),
        sample_spans(&one(Format::Yaml, YAML), YAML)
    );
    assert_eq!(at(YAML, &submission.figures[0].value_loc), "\"92.3%\"");

    // Old binary workbooks are not read; .xlsx is.
    let other = dir.path().join("填报.xls");
    std::fs::write(&other, "").unwrap();
    assert_eq!(
        load_file(DataFileId(0), &other).errors,
        vec![LoadError::Format {
            path: other.display().to_string(),
            extension: "xls".to_owned()
        }]
    );

    let missing = dir.path().join("无.json");
    assert_eq!(
        load_file(DataFileId(0), &missing).errors,
        vec![LoadError::Io {
            path: missing.display().to_string(),
            reason: "文件不存在".to_owned()
        }]
    );

    let gbk = dir.path().join("gbk.json");
    std::fs::write(&gbk, b"reporter\n\xc7\xf8").unwrap();
    assert_eq!(
        load_file(DataFileId(0), &gbk).errors,
        vec![LoadError::NotUtf8 {
            path: gbk.display().to_string(),
            line: 2,
            offset: 9,
            guess: "，疑似 GBK/GB18030 编码".to_owned(),
        }]
    );

    // A CSV in GBK, as Chinese Excel saves it, is read, with a note.
    let gbk = dir.path().join("gbk.csv");
    let (bytes, _, _) =
        encoding_rs::GBK.encode("填报单位,期间,指标,数值\r\n区科技局,2023,有研发活动企业,116\r\n");
    std::fs::write(&gbk, &bytes).unwrap();
    let loaded = load_file(DataFileId(0), &gbk);
    assert_eq!(
        loaded.errors,
        vec![LoadError::ReadAsGbk {
            span: (0.."填报单位,期间,指标,数值".len()).into()
        }]
    );
    assert_eq!(loaded.submissions[0].reporter, "区科技局");
    assert_eq!(loaded.submissions[0].figures[0].metric, "有研发活动企业");
}
