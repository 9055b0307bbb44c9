//! The SARIF 2.1.0 report, for code-scanning dashboards.
//!
//! One run. Its `rules` are the plan's rules, then the diagnostic codes of the findings that are
//! no rule's result; each has a short and full description and a help text taken from the
//! `explain` entries of its codes, as GitHub code scanning requires. Its results are every
//! finding, most severe first (broken input, errors, warnings), and within a severity in the
//! order of the human report: a rule that is not met points at the reported figure (or at the
//! rule itself when the figure is missing) and relates the line that sets the target; any other
//! finding points where its labels do. Related places are linked from the message
//! (`[目标在此设定](0)`), so GitHub shows them.
//!
//! Code scanning keys an alert by `partialFingerprints`, made of what the result is about (code,
//! rule, period, reporter), never of line text, so an edit elsewhere in the file neither closes
//! an alert nor opens another. Paths are relative to the repository root (`--root`), with
//! `originalUriBaseIds` naming it. A run holds at most 25,000 results, GitHub's limit: the rest
//! are left out, least severe first, and a final note says how many.
//!
//! Columns are UTF-16 code units, SARIF's default, and `columnKind` says so explicitly:
//! consumers that ignore `columnKind` assume that default, so it is the one convention every
//! consumer reads right. It differs from the character columns of the other reports only after
//! characters outside the Basic Multilingual Plane (CJK Extension B, emoji).

use super::{findings_in_order, result_loc, Context, Positions};
use crate::codes;
use crate::diagnostic::{Finding, Label, Loc, Severity};
use crate::eval::{describe_value, RuleResult, Verdict};
use crate::model::{Plan, Rule, Target};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub code scanning refuses a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// The base id of the repository root in `originalUriBaseIds`.
const ROOT_BASE: &str = "SRCROOT";

/// The code of the final note of a log that left results out.
const TRUNCATED: &str = "plancheck::report::truncated";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<Value>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Value>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    /// Set for every result (each has a descriptor); optional only so that a lookup which
    /// cannot fail needs no made-up fallback index.
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    /// Set on related locations, which the message links to by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
    /// `{"cell": "填报表!D3"}` in a workbook, where a line and column mean nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    /// `SRCROOT` for a path relative to the repository root.
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn message(text: impl Into<String>) -> Message {
    Message { text: text.into() }
}

/// SARIF's level names are plancheck's severity names; `note` and `none` are never used.
fn level(severity: Severity) -> &'static str {
    severity.as_str()
}

/// Renders the outcome of `ctx` as a SARIF log, pretty-printed with a trailing newline.
pub fn render(ctx: &Context<'_>) -> String {
    let mut text = super::escape::json_pretty(&build(ctx)).unwrap_or_default();
    text.push('\n');
    text
}

fn build(ctx: &Context<'_>) -> Log {
    build_with_limit(ctx, MAX_RESULTS)
}

fn build_with_limit(ctx: &Context<'_>, limit: usize) -> Log {
    let outcome = ctx.outcome;
    let rule_ids = rule_ids(ctx.plan);
    // The codes each rule's results carry in this run, for the rule's help.
    let mut rule_codes: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for result in &outcome.results {
        if let Some(finding) = &result.finding {
            rule_codes
                .entry(result.rule.0)
                .or_default()
                .insert(finding.code);
        }
    }
    let mut rules: Vec<Descriptor> = ctx
        .plan
        .rules
        .iter()
        .zip(&rule_ids)
        .enumerate()
        .map(|(i, (rule, id))| {
            rule_descriptor(
                ctx.plan,
                rule,
                id,
                rule_codes.get(&i).unwrap_or(&BTreeSet::new()),
            )
        })
        .collect();
    // Codes in the order of the code table, which is the order the pipeline meets them.
    let mut used: Vec<&str> = outcome.findings.iter().map(|f| f.code).collect();
    used.sort_by_key(|code| (table_position(code), *code));
    used.dedup();
    let mut code_index = BTreeMap::new();
    for code in used {
        code_index.insert(code, rules.len());
        rules.push(code_descriptor(code));
    }

    let regions = Regions {
        ctx,
        positions: ctx.all_utf16_positions(),
    };
    let mut results: Vec<(u8, SarifResult)> = findings_in_order(outcome)
        .filter_map(|(finding, result)| {
            let rank = rank(finding);
            let result = match result {
                Some(result) => {
                    let id = rule_ids.get(result.rule.0)?;
                    rule_result(&regions, id, result)?
                }
                None => other_result(&regions, code_index.get(finding.code).copied(), finding),
            };
            Some((rank, result))
        })
        .collect();
    // Most severe first; `sort_by_key` is stable, so the human report's order holds within.
    results.sort_by_key(|(rank, _)| *rank);
    let mut results: Vec<SarifResult> = results.into_iter().map(|(_, r)| r).collect();
    if results.len() > limit {
        // The note takes one place, so the run stays within the limit.
        let kept = limit.saturating_sub(1);
        let left_out = results.len() - kept;
        results.truncate(kept);
        let index = rules.len();
        rules.push(code_descriptor(TRUNCATED));
        results.push(truncated_note(index, left_out, limit));
    }

    let root = ctx.root.map(|root| {
        let mut uri = uri(&root.dir.to_string_lossy());
        if !uri.ends_with('/') {
            uri.push('/');
        }
        json!({ ROOT_BASE: { "uri": uri } })
    });
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "plancheck",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: Some(env!("CARGO_PKG_REPOSITORY")).filter(|u| !u.is_empty()),
                    rules,
                },
            },
            original_uri_base_ids: root,
            column_kind: "utf16CodeUnits",
            results,
        }],
    }
}

fn table_position(code: &str) -> Option<usize> {
    codes::CODES.iter().position(|c| c.code == code)
}

/// 0 broken input, 1 error, 2 warning: the order results are kept in under the limit.
fn rank(finding: &Finding) -> u8 {
    match (finding.kind, finding.severity) {
        (crate::diagnostic::Kind::Input, _) => 0,
        (_, Severity::Error) => 1,
        (_, Severity::Warning) => 2,
    }
}

/// The last result of a log that reached the limit.
fn truncated_note(index: usize, left_out: usize, limit: usize) -> SarifResult {
    let text = format!(
        "结果过多：GitHub 每次最多接收 {limit} 条，另有 {left_out} 条较轻的结果未列出；完整结果见 JSON 或 Markdown 报告"
    );
    SarifResult {
        rule_id: TRUNCATED.to_owned(),
        rule_index: Some(index),
        level: "note",
        message: message(text),
        locations: Vec::new(),
        related_locations: Vec::new(),
        partial_fingerprints: fingerprint(&[TRUNCATED]),
        properties: json!({ "leftOut": left_out }),
    }
}

/// `partialFingerprints` from what a result is about. FNV-1a (64 bits) of the parts joined by
/// NUL: stable across runs, versions and platforms, which a std `Hasher` does not promise.
fn fingerprint(parts: &[&str]) -> BTreeMap<&'static str, String> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        let separator: &[u8] = if i == 0 { b"" } else { b"\0" };
        for byte in separator.iter().chain(part.as_bytes()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    BTreeMap::from([("plancheck/v1", format!("{hash:016x}"))])
}

/// Escapes text for a SARIF message that has links: a bracket in plain text must be escaped
/// (SARIF 2.1.0 §3.11.6), or a value such as `[草稿](0)` would become a link.
fn escape_message(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `message` followed by a link to every related location, by its id.
fn linked_message(text: &str, related: &[Location]) -> Message {
    if related.is_empty() {
        return message(text);
    }
    let links: Vec<String> = related
        .iter()
        .enumerate()
        .map(|(i, location)| {
            let label = location
                .message
                .as_ref()
                .map_or("相关位置", |m| m.text.as_str());
            format!("[{}]({i})", escape_message(label))
        })
        .collect();
    message(format!(
        "{}（见{}）",
        escape_message(text),
        links.join("、")
    ))
}

/// `T32.受污染耕地安全利用率`: readable, and stable while the plan keeps the rule. A task that
/// sets two targets on one metric gets `#2` on the second, since SARIF ids must be unique.
fn rule_ids(plan: &Plan) -> Vec<String> {
    let mut seen = HashSet::new();
    plan.rules
        .iter()
        .map(|rule| {
            let number = plan.task(rule.task).map_or(0, |t| t.number);
            let base = format!("T{number}.{}", rule.metric);
            let mut id = base.clone();
            let mut n = 2;
            while !seen.insert(id.clone()) {
                id = format!("{base}#{n}");
                n += 1;
            }
            id
        })
        .collect()
}

/// The rule in its own notation, so readers can find it in the `.plan` file.
fn rule_notation(rule: &Rule) -> String {
    match rule.target {
        Target::Done => format!("done {}", rule.metric),
        _ => format!("{} {}", rule.metric, rule.target),
    }
}

fn rule_descriptor(plan: &Plan, rule: &Rule, id: &str, codes: &BTreeSet<&str>) -> Descriptor {
    let task = plan.task(rule.task);
    let default_level = match rule.strength {
        crate::model::Strength::Must => Severity::Error,
        crate::model::Strength::Strive => Severity::Warning,
    };
    let notation = rule_notation(rule);
    let strength = match rule.strength {
        crate::model::Strength::Must => "确保",
        crate::model::Strength::Strive => "力争",
    };
    let mut text = format!("{strength}目标：{notation}");
    let mut markdown = format!("**{strength}目标**：`{}`", code_span(&notation));
    if let Some(task) = task {
        // A national task has thousands of co-leads: name as many as the properties do.
        let mut leads = first_units(&task.leads).join("、");
        if task.leads.len() > UNITS_NAMED {
            leads.push_str(&format!(" 等 {} 个单位", task.leads.len()));
        }
        text.push_str(&format!(
            "\n任务{}「{}」，牵头单位：{leads}",
            task.number, task.title
        ));
        markdown.push_str(&format!(
            "\n\n任务{}「{}」，牵头单位：{}",
            task.number,
            escape_markdown(&task.title),
            escape_markdown(&leads)
        ));
    }
    if let Some(quote) = &rule.quote {
        text.push_str(&format!("\n原文：“{}”", quote.text));
        markdown.push_str(&format!("\n\n> {}", escape_markdown(&quote.text)));
    }
    let mut codes: Vec<&str> = codes.iter().copied().collect();
    codes.sort_by_key(|code| (table_position(code), *code));
    for info in codes.iter().filter_map(|code| codes::lookup(code)) {
        text.push_str(&format!(
            "\n\n{}（{}）：{}",
            info.summary, info.code, info.why
        ));
        markdown.push_str(&format!(
            "\n\n**{}**（`{}`）：{}",
            info.summary,
            info.code,
            escape_markdown(info.why)
        ));
    }
    Descriptor {
        id: id.to_owned(),
        name: rule.metric.clone(),
        short_description: message(notation.clone()),
        full_description: message(match &rule.quote {
            Some(quote) => quote.text.clone(),
            None => format!("{strength}目标：{notation}"),
        }),
        help: Help { text, markdown },
        default_configuration: Some(json!({ "level": level(default_level) })),
        properties: Some(rule_properties(plan, rule)),
    }
}

fn rule_properties(plan: &Plan, rule: &Rule) -> serde_json::Value {
    let task = plan.task(rule.task);
    let leads = task.map_or(&[][..], |t| &t.leads[..]);
    let reporters = plan.responsible(rule);
    let mut properties = json!({
        "task": task.map(|t| t.number),
        "taskTitle": task.map(|t| t.title.as_str()),
        "lead": task.map(|_| first_units(leads)),
        "reporters": first_units(reporters),
        "strength": rule.strength.as_str(),
    });
    if let Some(map) = properties.as_object_mut() {
        if leads.len() > UNITS_NAMED {
            map.insert("leadCount".to_owned(), json!(leads.len()));
        }
        if reporters.len() > UNITS_NAMED {
            map.insert("reporterCount".to_owned(), json!(reporters.len()));
        }
    }
    properties
}

/// How many units a rule's properties name: a national task has thousands of co-leads, and
/// every rule would repeat them all. The counts say how many there are.
const UNITS_NAMED: usize = 20;

fn first_units(units: &[Arc<str>]) -> &[Arc<str>] {
    units.get(..UNITS_NAMED).unwrap_or(units)
}

fn code_descriptor(code: &str) -> Descriptor {
    let info = codes::lookup(code);
    let summary = info.map_or(code, |i| i.summary);
    let why = info.map_or(code, |i| i.why);
    Descriptor {
        id: code.to_owned(),
        name: code.rsplit("::").next().unwrap_or(code).to_owned(),
        short_description: message(summary),
        full_description: message(why),
        help: Help {
            text: format!("{summary}\n\n{why}\n\n详见 `plancheck explain {code}`"),
            markdown: format!(
                "**{summary}**\n\n{}\n\n详见 `plancheck explain {code}`",
                escape_markdown(why)
            ),
        },
        default_configuration: None,
        properties: None,
    }
}

/// Text inside a Markdown code span: a backtick would end it early.
fn code_span(text: &str) -> String {
    text.replace('`', "'")
}

fn escape_markdown(text: &str) -> String {
    super::escape::markdown(text)
}

fn rule_result(regions: &Regions<'_, '_>, id: &str, result: &RuleResult) -> Option<SarifResult> {
    if result.verdict == Verdict::Met {
        return None;
    }
    let finding = result.finding.as_ref()?;
    let rule = regions.ctx.plan.rule(result.rule)?;
    let (locations, related_locations) =
        regions.locations(Some(result_loc(rule, result)), &finding.labels);
    let period = result.period.map(|p| p.to_string());
    Some(SarifResult {
        rule_id: id.to_owned(),
        rule_index: Some(result.rule.0),
        level: level(finding.severity),
        message: linked_message(&finding.message, &related_locations),
        partial_fingerprints: fingerprint(&[
            finding.code,
            id,
            period.as_deref().unwrap_or(""),
            result.reporter.as_deref().unwrap_or(""),
        ]),
        locations,
        related_locations,
        properties: json!({
            "verdict": result.verdict.as_str(),
            "period": period,
            "reporter": result.reporter,
            "target": rule.target.to_string(),
            "actual": result.reported.as_ref().map(describe_value),
            "code": finding.code,
            "help": finding.help,
        }),
    })
}

fn other_result(regions: &Regions<'_, '_>, index: Option<usize>, finding: &Finding) -> SarifResult {
    let primary = finding.primary().cloned();
    let path = primary
        .as_ref()
        .map(|loc| regions.ctx.repo_path_of(loc))
        .unwrap_or_default();
    let (locations, related_locations) = regions.locations(primary, &finding.labels);
    SarifResult {
        rule_id: finding.code.to_owned(),
        rule_index: index,
        level: level(finding.severity),
        message: linked_message(&finding.message, &related_locations),
        // The message names what the finding is about (a metric, a reporter), never a line.
        partial_fingerprints: fingerprint(&[finding.code, &path, &finding.message]),
        locations,
        related_locations,
        properties: json!({ "help": finding.help }),
    }
}

/// The positions regions are made of, resolved once for the whole log.
struct Regions<'c, 'a> {
    ctx: &'c Context<'a>,
    positions: Positions,
}

impl Regions<'_, '_> {
    /// The primary location, labelled if a label points there, and every other label as a
    /// related location.
    fn locations(&self, primary: Option<Loc>, labels: &[Label]) -> (Vec<Location>, Vec<Location>) {
        let primary_label = |loc: &Loc| {
            labels
                .iter()
                .find(|l| l.loc == *loc)
                .map(|l| l.text.as_str())
        };
        let locations = primary
            .iter()
            .map(|loc| self.location(loc, primary_label(loc)))
            .collect();
        let related = labels
            .iter()
            .filter(|l| primary.as_ref() != Some(&l.loc))
            .enumerate()
            .map(|(i, l)| Location {
                id: Some(i),
                ..self.location(&l.loc, Some(&l.text))
            })
            .collect();
        (locations, related)
    }

    fn location(&self, loc: &Loc, label: Option<&str>) -> Location {
        let path = self.ctx.repo_path_of(loc);
        let relative = self.ctx.root.is_some() && !path.starts_with('/');
        Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(&path),
                    uri_base_id: relative.then_some(ROOT_BASE),
                },
                region: self.region(loc),
            },
            message: label.filter(|l| !l.is_empty()).map(message),
            properties: match loc {
                Loc::Data(d) => d.cell.as_ref().map(|cell| json!({ "cell": cell })),
                Loc::Rule(_) => None,
            },
        }
    }

    /// `None` when the file cannot be read again: the result still names the file.
    fn region(&self, loc: &Loc) -> Option<Region> {
        let start = self.positions.get(loc)?;
        let end = self.positions.end(loc)?;
        Some(Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        })
    }
}

/// A path as a relative (or `file://`) URI reference: forward slashes, and everything outside
/// RFC 3986's unreserved and path characters percent-encoded, CJK included, because SARIF
/// requires a valid URI. Consumers decode it back to the path the human report shows.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    // `C:/…`, an absolute Windows path; `a:b` stays a relative path with an encoded colon.
    let drive = matches!(path.as_bytes(), [letter, b':', b'/', ..] if letter.is_ascii_alphabetic());
    let mut encoded = String::from(if drive {
        "file:///"
    } else if path.starts_with('/') {
        "file://"
    } else {
        ""
    });
    for (i, byte) in path.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            // The colon of a drive letter; elsewhere it could read as a scheme.
            || (byte == b':' && drive && i == 1);
        if keep {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("data/eco.yaml"), "data/eco.yaml");
        assert_eq!(uri("data\\生态.yaml"), "data/%E7%94%9F%E6%80%81.yaml");
        assert_eq!(uri("/tmp/a b.json"), "file:///tmp/a%20b.json");
        assert_eq!(uri("C:\\x\\y.csv"), "file:///C:/x/y.csv");
        assert_eq!(uri("a:b#c%"), "a%3Ab%23c%25");
    }
}
