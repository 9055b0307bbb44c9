//! The JSON Schema of a submission file, generated from types that describe the file as the
//! loader in `shape` reads it. Editors use it to complete and check JSON, and YAML or TOML
//! files through their JSON form.
//!
//! The types are never built: they exist so schemars can describe the file. Where the file
//! allows an English or a Chinese key (`reporter` / `填报单位`), the schema allows either but
//! not both, as the loader does (both is a duplicate key).

#![allow(dead_code)] // the fields are read by schemars' derive, never by code

use schemars::{JsonSchema, Schema};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// 填报文件：一份填报，填报的列表，或 {"submissions": [...]}（TOML 没有顶层列表）。
/// A submission file: one submission, a list of them, or a `submissions` list.
// Never built, only described: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(JsonSchema)]
#[schemars(title = "plancheck 填报文件 / submission file", untagged)]
enum SubmissionFile {
    One(Submission),
    Many(#[schemars(length(min = 1))] Vec<Submission>),
    Wrapped(Wrapper),
}

/// `submissions = [...]`：TOML 写作 [[submissions]]。A list of submissions under one key.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Wrapper {
    /// 编辑器校验所用的 JSON Schema 地址，不读取。The schema editors validate against; not read.
    #[schemars(rename = "$schema")]
    schema: Option<String>,
    /// 填报的列表。The submissions.
    #[schemars(length(min = 1))]
    submissions: Vec<Submission>,
}

/// 一个单位一个期间的填报。One department's figures for one period.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, transform = submission_keys)]
struct Submission {
    /// 编辑器校验所用的 JSON Schema 地址，不读取。The schema editors validate against; not read.
    #[schemars(rename = "$schema")]
    schema: Option<String>,
    /// 所属计划的标识，如 "兖州区"；一次检查多个计划时用于归属。The plan it reports for.
    #[schemars(length(min = 1), transform = not_null)]
    plan: Option<String>,
    /// 同 plan。
    #[schemars(rename = "计划", length(min = 1), transform = not_null)]
    plan_zh: Option<String>,
    /// 填报单位全称，如 "区科技局"。The reporting unit.
    #[schemars(length(min = 1), transform = not_null)]
    reporter: Option<String>,
    /// 同 reporter。Same as reporter.
    #[schemars(rename = "填报单位", length(min = 1), transform = not_null)]
    reporter_zh: Option<String>,
    #[schemars(transform = not_null)]
    period: Option<Period>,
    /// 同 period。Same as period.
    #[schemars(rename = "期间", transform = not_null)]
    period_zh: Option<Period>,
    #[schemars(transform = not_null)]
    figures: Option<Figures>,
    /// 同 figures。Same as figures.
    #[schemars(rename = "指标", transform = not_null)]
    figures_zh: Option<Figures>,
    /// 备注，不读取。A note; not read.
    note: Option<Value>,
    /// 同 note。Same as note.
    #[schemars(rename = "备注")]
    note_zh: Option<Value>,
}

/// 期间：2023、"2023-06"、"2023-Q2"、"2023-H1"，或 "2023年"、"2023年6月"、"2023年第二季度"、"2023年上半年"。
/// The reporting period.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum Period {
    Text(#[schemars(length(min = 1))] String),
    Year(i64),
}

/// 指标名称 → 数值。留空（null）表示尚无指标。Metric name → value.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum Figures {
    #[schemars(transform = metric_names)]
    Map(BTreeMap<String, FigureValue>),
    Nothing(()),
}

/// 指标值：数值，带单位的文本（"92.3%"、"3.2亿元"、"4,512人"），里程碑（done、true、false、"完成"、"未完成"），
/// 或 {value, unit}。留空（null 或 ""）在检查时报告为无效。
/// A figure: a number, text with a unit, a milestone, or `{value, unit}`.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum FigureValue {
    Number(serde_json::Number),
    Text(String),
    Done(bool),
    WithUnit(ValueWithUnit),
    Empty(()),
}

/// 数值与单位分开写：{"value": 3.2, "unit": "亿元"}。A value and its unit apart.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, transform = value_keys)]
struct ValueWithUnit {
    /// 数值或带单位的文本。The value.
    #[schemars(transform = not_null)]
    value: Option<Scalar>,
    /// 同 value。Same as value.
    #[schemars(rename = "数值", transform = not_null)]
    value_zh: Option<Scalar>,
    /// 计量单位，如 "亿元"、"%"、"家"。The unit.
    #[schemars(transform = not_null)]
    unit: Option<UnitName>,
    /// 同 unit。Same as unit.
    #[schemars(rename = "单位", transform = not_null)]
    unit_zh: Option<UnitName>,
    /// 同 unit。Same as unit.
    #[schemars(rename = "计量单位", transform = not_null)]
    unit_zh_full: Option<UnitName>,
    /// 备注，不读取。A note; not read.
    note: Option<Value>,
    /// 同 note。Same as note.
    #[schemars(rename = "备注")]
    note_zh: Option<Value>,
}

/// The value of `{value, unit}`: anything a figure can be but another mapping.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum Scalar {
    Number(serde_json::Number),
    Text(String),
    Done(bool),
    Empty(()),
}

#[derive(JsonSchema)]
#[schemars(untagged)]
enum UnitName {
    Name(String),
    None(()),
}

/// An optional field is left out, not `null`: schemars 1 makes `Option<T>` nullable, and the
/// loader refuses a null reporter, period or unit key where it means "no such key".
fn not_null(schema: &mut Schema) {
    if let Some(Value::Array(any_of)) = schema.get("anyOf") {
        let kept: Vec<Value> = any_of
            .iter()
            .filter(|s| s.get("type") != Some(&json!("null")))
            .cloned()
            .collect();
        if let [only] = kept.as_slice() {
            let only = only.clone();
            schema.remove("anyOf");
            if let Value::Object(map) = only {
                for (key, value) in map {
                    schema.insert(key, value);
                }
            }
        } else {
            schema.insert("anyOf".to_owned(), Value::Array(kept));
        }
    }
    if let Some(Value::Array(types)) = schema.get("type") {
        let kept: Vec<Value> = types
            .iter()
            .filter(|t| *t != &json!("null"))
            .cloned()
            .collect();
        let kept = match kept.as_slice() {
            [one] => one.clone(),
            _ => Value::Array(kept),
        };
        schema.insert("type".to_owned(), kept);
    }
}

/// A metric name may not be empty.
fn metric_names(schema: &mut Schema) {
    schema.insert("propertyNames".to_owned(), json!({ "minLength": 1 }));
}

fn submission_keys(schema: &mut Schema) {
    schema.insert(
        "allOf".to_owned(),
        json!([
            exactly_one(&["reporter", "填报单位"]),
            exactly_one(&["period", "期间"]),
            exactly_one(&["figures", "指标"]),
            at_most_one(&["note", "备注"]),
        ]),
    );
}

fn value_keys(schema: &mut Schema) {
    schema.insert(
        "allOf".to_owned(),
        json!([
            exactly_one(&["value", "数值"]),
            at_most_one(&["unit", "单位", "计量单位"]),
            at_most_one(&["note", "备注"]),
        ]),
    );
}

fn each_required(names: &[&str]) -> Vec<Value> {
    names
        .iter()
        .map(|name| json!({ "required": [name] }))
        .collect()
}

/// One of `names`, written once.
fn exactly_one(names: &[&str]) -> Value {
    json!({ "oneOf": each_required(names) })
}

/// One of `names` or none: two spellings of one key are a duplicate.
fn at_most_one(names: &[&str]) -> Value {
    let each = each_required(names);
    let mut choices = each.clone();
    choices.push(json!({ "not": { "anyOf": each } }));
    json!({ "oneOf": choices })
}

/// What the loader accepts as a period's text (`period::Period::from_str`), after trimming:
/// `2023`, `2023-06`/`2023-6`, `2023-Q2`, `2023-H1`, `2023年`, `2023年6月`, `2023年第二季度`,
/// `2023年上半年`. A test checks it against the parser.
pub const PERIOD_PATTERN: &str = "^\\s*[0-9]{4}(-([qQ]0?[1-4]|[hH]0?[12]|0?[1-9]|1[0-2])|年(0?[1-9]月|1[0-2]月|第[一二三四1-4]季度|[上下]半年)?)?\\s*$";

/// The white space `str::trim` removes around a unit (Unicode's White_Space), spelt out:
/// ECMAScript's `\s` differs from it at U+0085 and U+FEFF. U+3000 is folded to a space first.
const WHITE_SPACE: &str =
    "[\\u0009-\\u000D\\u0020\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

/// Every spelling of a unit the loader reads as `names` (`value::parse_value_with_unit`): a
/// name with its ASCII in full width or not (`％`), with white space around it, or nothing (no
/// unit). The enum beside it keeps the plain names for completion; this keeps the schema from
/// rejecting what the checker reads.
fn unit_pattern(names: &[&str]) -> String {
    let spelt: Vec<String> = names
        .iter()
        .map(|name| {
            name.chars()
                .map(|c| match full_width(c) {
                    Some(wide) => format!("[{}{wide}]", regex_escape(c)),
                    None => regex_escape(c),
                })
                .collect()
        })
        .collect();
    format!("^{WHITE_SPACE}*({})?{WHITE_SPACE}*$", spelt.join("|"))
}

/// The full-width form of a printable ASCII character (`%` → `％`), as Chinese input methods
/// type it.
fn full_width(c: char) -> Option<char> {
    ('!'..='~')
        .contains(&c)
        .then(|| char::from_u32(u32::from(c) + 0xFEE0))
        .flatten()
}

/// A character as a regular expression matches it, escaped only where ECMAScript's unicode
/// mode allows an escape (its syntax characters), as editors compile schema patterns.
fn regex_escape(c: char) -> String {
    if "\\^$.|?*+()[]{}/".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// What derive attributes cannot say: the period pattern, the registry's units, examples.
fn enrich(schema: &mut Schema) {
    if let Some(Value::Object(defs)) = schema.get_mut("$defs") {
        if let Some(text) = defs
            .get_mut("Period")
            .and_then(|p| p.pointer_mut("/anyOf/0"))
        {
            text["pattern"] = json!(PERIOD_PATTERN);
            text["examples"] = json!(["2023", "2023-06", "2023-Q2", "2023-H1", "2023年上半年"]);
        }
        if let Some(year) = defs
            .get_mut("Period")
            .and_then(|p| p.pointer_mut("/anyOf/1"))
        {
            year["minimum"] = json!(1000);
            year["maximum"] = json!(9999);
        }
        if let Some(unit) = defs.get_mut("UnitName") {
            let mut names = crate::units::all_names();
            names.sort_unstable();
            names.dedup();
            *unit = json!({
                "description": "计量单位，须为单位表中的名称，如 \"亿元\"、\"%\"、\"家\"；全角写法（％）与首尾空白亦可，留空表示无单位。The unit: a name from the unit registry, also in full-width forms and with spaces around it; empty for none.",
                "anyOf": [
                    { "type": "string", "enum": names },
                    { "type": "string", "pattern": unit_pattern(&names) },
                    { "type": "null" },
                ],
            });
        }
    }
    schema.insert(
        "examples".to_owned(),
        json!([{
            "$schema": "https://example.org/plancheck/submission.schema.json",
            "reporter": "区科技局",
            "period": "2023",
            "figures": {
                "国家高新技术企业": 38,
                "研发投入": { "value": 3.2, "unit": "亿元" },
                "完成科技成果转化平台建设": "done"
            }
        }]),
    );
}

/// The schema as pretty JSON with a trailing newline, as committed in
/// `schemas/submission.schema.json`.
pub fn submission_schema() -> String {
    let mut schema = schemars::schema_for!(SubmissionFile);
    enrich(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;
    use crate::load::value::parse_value_with_unit;
    use crate::load::FigureValue;

    fn validator() -> jsonschema::Validator {
        let schema: Value = serde_json::from_str(&submission_schema()).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }

    fn with_unit(unit: &str) -> Value {
        json!({"reporter": "区科技局", "period": "2023", "figures": {"研发投入": {"value": 1, "unit": unit}}})
    }

    /// The unit the loader reads from a `{value, unit}` spelling: `Some(None)` for no unit,
    /// `None` when it reads none of the registry's.
    fn read_unit(spelling: &str) -> Option<Option<&'static str>> {
        match parse_value_with_unit("1", spelling) {
            FigureValue::Number(quantity) => Some(quantity.unit.map(|unit| unit.name)),
            _ => None,
        }
    }

    /// The schema must never reject a unit the checker reads: every name of the registry, in
    /// full width (`％`) and with the white space the loader trims, validates; so does no unit.
    #[test]
    fn every_unit_spelling_the_loader_reads_validates() {
        let validator = validator();
        let mut spellings = vec![
            (String::new(), None),
            ("  ".to_owned(), None),
            ("\u{3000}".to_owned(), None),
        ];
        for name in crate::units::all_names() {
            let wide: String = name.chars().map(|c| full_width(c).unwrap_or(c)).collect();
            for spelt in [name.to_owned(), wide] {
                for (before, after) in [
                    ("", ""),
                    (" ", ""),
                    ("", "\u{3000}"),
                    ("\t", "\n"),
                    ("\u{a0}", "\u{2003}"),
                ] {
                    spellings.push((format!("{before}{spelt}{after}"), Some(name)));
                }
            }
        }
        assert!(spellings.iter().any(|(spelling, _)| spelling == "％"));
        for (spelling, unit) in &spellings {
            assert_eq!(
                read_unit(spelling),
                Some(*unit),
                "the loader reads {spelling:?}"
            );
            let errors: Vec<String> = validator
                .iter_errors(&with_unit(spelling))
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{spelling:?}: {errors:#?}");
        }
    }

    /// What the loader reads as no unit of the registry, the schema rejects, so an editor
    /// flags it before the checker does.
    #[test]
    fn a_unit_the_loader_does_not_know_is_rejected() {
        let validator = validator();
        for spelling in ["亿美刀", "%%", "％％", "亿 元", "\u{feff}%", "元元", "km"] {
            assert_eq!(read_unit(spelling), None, "the loader refuses {spelling:?}");
            assert!(!validator.is_valid(&with_unit(spelling)), "{spelling:?}");
        }
    }
}
