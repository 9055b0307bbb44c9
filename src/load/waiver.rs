//! Waiver files (`waivers/*.yaml`): accepted explanations of lagging figures, read with the
//! YAML reader of submissions. The shape is `crate::waivers::WaiverFile`.

use super::tree::{Kind, Node};
use crate::diagnostic::{Finding, Kind as FindingKind, Severity};
use crate::waivers::Waiver;
use std::path::Path;

fn invalid(path: &Path, problem: String) -> Finding {
    Finding {
        code: "plancheck::waiver::invalid",
        severity: Severity::Error,
        kind: FindingKind::Input,
        message: format!("情况说明文件 {} 无效：{problem}", path.display()),
        help: Some(
            "每份情况说明写明 rule（指标）、period、reporter、reason、office、expires，\
             检查多个计划时再写 plan；见 `plancheck schema waiver`"
                .to_owned(),
        ),
        labels: Vec::new(),
    }
}

fn text(node: &Node) -> Option<String> {
    match &node.kind {
        Kind::Text(s) | Kind::Number(s) => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// The waivers of one file: a mapping, or a list of mappings.
pub fn read_waivers(path: &Path, text: &str) -> (Vec<Waiver>, Vec<Finding>) {
    let text = crate::source::normalize_newlines(text);
    let (documents, error) = super::yaml::parse_documents(&text);
    let mut findings = Vec::new();
    if let Some(error) = error {
        findings.push(invalid(path, error.to_string()));
        return (Vec::new(), findings);
    }
    let mut waivers = Vec::new();
    for document in documents {
        let items = match document.kind {
            Kind::List(items) => items,
            Kind::Null => Vec::new(),
            _ => vec![document],
        };
        for item in items {
            match waiver(path, &item) {
                Ok(w) => waivers.push(w),
                Err(problem) => findings.push(invalid(path, problem)),
            }
        }
    }
    (waivers, findings)
}

fn waiver(path: &Path, node: &Node) -> Result<Waiver, String> {
    let Kind::Map(entries) = &node.kind else {
        return Err("每份情况说明是一个键值映射".to_owned());
    };
    let field = |key: &str| -> Option<String> {
        entries
            .iter()
            .find(|e| matches!(&e.key.kind, Kind::Text(k) if k == key))
            .and_then(|e| text(&e.value))
    };
    const KEYS: [&str; 7] = [
        "plan", "rule", "period", "reporter", "reason", "office", "expires",
    ];
    for entry in entries {
        if let Kind::Text(key) = &entry.key.kind {
            if !KEYS.contains(&key.as_str()) {
                return Err(format!("未知的键「{key}」"));
            }
        }
    }
    let required = |key: &str| {
        field(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("缺少 {key}"))
    };
    let period_text = required("period")?;
    let period = period_text
        .parse()
        .map_err(|_| format!("period「{period_text}」不是有效的期间"))?;
    let expires_text = required("expires")?;
    let expires = expires_text
        .parse()
        .map_err(|_| format!("expires「{expires_text}」不是有效的日期（YYYY-MM-DD）"))?;
    Ok(Waiver {
        file: path.display().to_string(),
        plan: field("plan").filter(|p| !p.is_empty()),
        rule: required("rule")?,
        period,
        reporter: required("reporter")?,
        reason: required("reason")?,
        office: required("office")?,
        expires,
    })
}
