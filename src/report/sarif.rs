//! The SARIF 2.1.0 report, for code-scanning dashboards.
//!
//! One run. Its `rules` are the plan's rules, then the diagnostic codes of the findings that are
//! no rule's result. Its results are every finding, in the order of the human report: a rule
//! that is not met points at the reported figure (or at the rule itself when the figure is
//! missing) and relates the line that sets the target; any other finding points where its
//! labels do.
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
use std::collections::{BTreeMap, HashSet};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

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
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Message>,
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
    properties: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
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
struct ArtifactLocation {
    uri: String,
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
    let outcome = ctx.outcome;
    let rule_ids = rule_ids(ctx.plan);
    let mut rules: Vec<Descriptor> = ctx
        .plan
        .rules
        .iter()
        .zip(&rule_ids)
        .map(|(rule, id)| rule_descriptor(ctx.plan, rule, id))
        .collect();
    // Codes in the order of the code table, which is the order the pipeline meets them.
    let table_position = |code: &str| codes::CODES.iter().position(|c| c.code == code);
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
    let results = findings_in_order(outcome)
        .filter_map(|(finding, result)| match result {
            Some(result) => {
                let id = rule_ids.get(result.rule.0)?;
                rule_result(&regions, id, result)
            }
            None => Some(other_result(
                &regions,
                code_index.get(finding.code).copied(),
                finding,
            )),
        })
        .collect();

    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "plancheck",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "utf16CodeUnits",
            results,
        }],
    }
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

fn rule_descriptor(plan: &Plan, rule: &Rule, id: &str) -> Descriptor {
    let default_level = match rule.strength {
        crate::model::Strength::Must => Severity::Error,
        crate::model::Strength::Strive => Severity::Warning,
    };
    Descriptor {
        id: id.to_owned(),
        name: rule.metric.clone(),
        short_description: message(rule_notation(rule)),
        full_description: rule.quote.as_ref().map(|q| message(q.text.clone())),
        default_configuration: Some(json!({ "level": level(default_level) })),
        properties: Some(rule_properties(plan, rule)),
    }
}

fn rule_properties(plan: &Plan, rule: &Rule) -> serde_json::Value {
    let task = plan.task(rule.task);
    let leads = task.map_or(&[][..], |t| t.leads.as_slice());
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

fn first_units(units: &[String]) -> &[String] {
    units.get(..UNITS_NAMED).unwrap_or(units)
}

fn code_descriptor(code: &str) -> Descriptor {
    let info = codes::lookup(code);
    Descriptor {
        id: code.to_owned(),
        name: code.rsplit("::").next().unwrap_or(code).to_owned(),
        short_description: message(info.map_or(code, |i| i.summary)),
        full_description: info.map(|i| message(i.why)),
        default_configuration: None,
        properties: None,
    }
}

fn rule_result(regions: &Regions<'_, '_>, id: &str, result: &RuleResult) -> Option<SarifResult> {
    if result.verdict == Verdict::Met {
        return None;
    }
    let finding = result.finding.as_ref()?;
    let rule = regions.ctx.plan.rule(result.rule)?;
    let (locations, related_locations) =
        regions.locations(Some(result_loc(rule, result)), &finding.labels);
    Some(SarifResult {
        rule_id: id.to_owned(),
        rule_index: Some(result.rule.0),
        level: level(finding.severity),
        message: message(finding.message.clone()),
        locations,
        related_locations,
        properties: json!({
            "verdict": result.verdict.as_str(),
            "period": result.period.map(|p| p.to_string()),
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
    let (locations, related_locations) = regions.locations(primary, &finding.labels);
    SarifResult {
        rule_id: finding.code.to_owned(),
        rule_index: index,
        level: level(finding.severity),
        message: message(finding.message.clone()),
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
            .map(|l| self.location(&l.loc, Some(&l.text)))
            .collect();
        (locations, related)
    }

    fn location(&self, loc: &Loc, label: Option<&str>) -> Location {
        Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(self.ctx.path_of(loc)),
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
