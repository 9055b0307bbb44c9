//! Formatting through `fmt`, and code actions: the lint fixes that are one edit, and "add a rule
//! for this sentence" for each source sentence of the task under the cursor that no rule cites.

use super::document::{Analysis, Documents};
use super::positions;
use crate::coverage::Status;
use crate::diagnostic::Finding;
use crate::source::RuleLoc;
use lsp_types::{
    CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    DocumentFormattingParams, Position, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The edits that turn the document into `fmt`'s layout, one per changed run of lines; `None`
/// when a line does not parse (fmt prints statements from their parse tree).
pub fn format(documents: &Documents, params: &DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let document = documents.get(&params.text_document.uri)?;
    let old = document.analysis.text();
    let new = crate::fmt::format(old).ok()?;
    let diff = similar::TextDiff::from_lines(old, new.as_str());
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut edits = Vec::new();
    for op in diff.ops() {
        if let similar::DiffOp::Equal { .. } = op {
            continue;
        }
        let (old_range, new_range) = (op.old_range(), op.new_range());
        let line = |n: usize| Position::new(u32::try_from(n).unwrap_or(u32::MAX), 0);
        edits.push(TextEdit {
            range: Range::new(line(old_range.start), line(old_range.end)),
            new_text: new_lines
                .get(new_range)
                .map(|l| l.concat())
                .unwrap_or_default(),
        });
    }
    Some(edits)
}

pub fn actions(documents: &Documents, params: &CodeActionParams) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    let document = documents.get(uri)?;
    let analysis = &document.analysis;
    let text = analysis.text();
    let start = positions::offset(text, params.range.start, documents.encoding);
    let end = positions::offset(text, params.range.end, documents.encoding);
    // A fix is offered anywhere on the lines of its finding, as editors show a light bulb per
    // line.
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = text
        .get(end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| end + i);
    let mut out = Vec::new();
    for (finding, loc) in analysis.own_findings() {
        if loc.span.end < line_start || line_end < loc.span.start {
            continue;
        }
        if let Some((title, span, new_text)) = fix(analysis, finding, loc) {
            out.push(action(
                documents, analysis, uri, title, span, new_text, true,
            ));
        }
    }
    out.extend(add_rules(documents, analysis, uri, start));
    Some(out)
}

/// The one edit that fixes a lint finding, when there is one: `(title, span, replacement)`.
fn fix(
    analysis: &Analysis,
    finding: &Finding,
    loc: &RuleLoc,
) -> Option<(String, std::ops::Range<usize>, String)> {
    let text = analysis.text();
    let written = text.get(loc.span.clone())?;
    if finding.code == "plancheck::lint::point-range" {
        // `in 5..5 个` is `== 5 个`; growth and change ranges keep their own words.
        let (_, high) = written.strip_prefix("in")?.split_once("..")?;
        let replacement = format!("== {}", high.trim());
        return Some((format!("改为 {replacement}"), loc.span.clone(), replacement));
    }
    let label = finding.labels.first()?.text.as_str();
    let wanted = label.strip_prefix("应为 ")?;
    match finding.code {
        // The label on the target says which operator the sentence's words call for.
        "plancheck::lint::quote-operator" => {
            let op_len = written
                .char_indices()
                .find(|(_, c)| {
                    !matches!(
                        c,
                        '<' | '>' | '=' | '~' | '≥' | '≤' | '≈' | '＞' | '＜' | '＝' | '～'
                    )
                })
                .map_or(written.len(), |(i, _)| i);
            let is_op = ["<", ">", "<=", ">=", "==", "~="].contains(&wanted);
            (op_len > 0 && is_op).then(|| {
                let span = loc.span.start..loc.span.start + op_len;
                (format!("改为 {wanted}"), span, wanted.to_owned())
            })
        }
        // The label on the rule says which strength word the sentence uses.
        "plancheck::lint::quote-strength" => {
            let strength = ["确保", "必须", "严格", "坚决", "力争", "争取", "争创"]
                .into_iter()
                .find(|w| written.starts_with(w));
            let title = format!("改为 {wanted}");
            Some(match strength {
                Some(word) => (
                    title,
                    loc.span.start..loc.span.start + word.len(),
                    wanted.to_owned(),
                ),
                None => (title, loc.span.start..loc.span.start, format!("{wanted} ")),
            })
        }
        _ => None,
    }
}

fn action(
    documents: &Documents,
    analysis: &Analysis,
    uri: &Uri,
    title: String,
    span: std::ops::Range<usize>,
    new_text: String,
    preferred: bool,
) -> CodeActionOrCommand {
    let edit = TextEdit {
        range: positions::range(analysis.text(), &span, documents.encoding),
        new_text,
    };
    // `WorkspaceEdit::changes` is keyed by `Uri` in lsp-types; the cell inside a `Uri` caches a
    // parse and never changes what it hashes.
    #[allow(clippy::mutable_key_type)]
    let changes = HashMap::from([(uri.clone(), vec![edit])]);
    CodeActionOrCommand::CodeAction(lsp_types::CodeAction {
        title,
        kind: Some(if preferred {
            CodeActionKind::QUICKFIX
        } else {
            CodeActionKind::REFACTOR
        }),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..lsp_types::CodeAction::default()
    })
}

/// "为此句添加规则" for each uncited sentence of the task under the cursor: a rule skeleton
/// citing it, inserted before the task's `}`.
fn add_rules(
    documents: &Documents,
    analysis: &Analysis,
    uri: &Uri,
    offset: usize,
) -> Vec<CodeActionOrCommand> {
    let (Some((task, end)), Some(coverage)) = (
        super::symbols::task_at(analysis, offset),
        &analysis.coverage,
    ) else {
        return Vec::new();
    };
    let Some(number) = analysis.plan.task(task).map(|t| t.number) else {
        return Vec::new();
    };
    let text = analysis.text();
    // Before the `}` line: at its start.
    let at = text
        .get(..end)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    coverage
        .statements
        .iter()
        .filter(|s| s.status == Status::Uncovered && s.task == number)
        .map(|s| {
            let quoted = s.text.replace('\\', "\\\\").replace('"', "\\\"");
            let skeleton = format!("    指标 >= 0\n        from \"{quoted}\"\n");
            action(
                documents,
                analysis,
                uri,
                format!("为此句添加规则：{}", s.text),
                at..at,
                skeleton,
                false,
            )
        })
        .collect()
}
