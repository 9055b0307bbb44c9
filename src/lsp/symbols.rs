//! Document symbols for the outline: sections, the tasks below them, and each task's rules.

use super::document::{Analysis, Documents};
use super::positions;
use crate::model::TaskId;
use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};
use std::ops::Range;

pub fn symbols(
    documents: &Documents,
    params: &DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let document = documents.get(&params.text_document.uri)?;
    let analysis = &document.analysis;
    let plan = &analysis.plan;
    let symbol =
        |name: String, detail: Option<String>, kind, span: Range<usize>, head: &Range<usize>| {
            #[allow(deprecated)] // `deprecated` is a required field of the struct, not ours to use
            DocumentSymbol {
                name,
                detail,
                kind,
                tags: None,
                deprecated: None,
                range: positions::range(analysis.text(), &span, documents.encoding),
                selection_range: positions::range(analysis.text(), head, documents.encoding),
                children: None,
            }
        };
    let mut tasks: Vec<(Option<usize>, DocumentSymbol, Range<usize>)> = Vec::new();
    for (index, task) in plan.tasks.iter().enumerate() {
        if task.loc.file != analysis.file {
            continue;
        }
        let mut end = task.loc.span.end;
        let mut rules = Vec::new();
        for rule in plan.rules.iter().filter(|r| r.task == TaskId(index)) {
            if rule.loc.file != analysis.file {
                continue;
            }
            let last = rule
                .quote
                .as_ref()
                .map_or(rule.loc.span.end, |q| q.loc.span.end.max(rule.loc.span.end));
            end = end.max(last);
            let detail = format!("{} {}", rule.strength.word(), rule.target);
            rules.push(symbol(
                rule.metric.clone(),
                Some(detail),
                SymbolKind::FIELD,
                rule.loc.span.start..last,
                &rule.metric_loc.span,
            ));
        }
        let end = closing_brace(analysis.text(), end).unwrap_or(end);
        let span = task.loc.span.start..end;
        let mut sym = symbol(
            format!("任务 {} {}", task.number, task.title),
            Some(task.leads.join("、")),
            SymbolKind::MODULE,
            span.clone(),
            &task.loc.span,
        );
        sym.children = Some(rules);
        tasks.push((task.section, sym, span));
    }
    let mut out = Vec::new();
    for (index, section) in plan.sections.iter().enumerate() {
        if section.loc.file != analysis.file {
            continue;
        }
        let mine: Vec<_> = tasks.iter().filter(|(s, _, _)| *s == Some(index)).collect();
        let end = mine
            .iter()
            .map(|(_, _, span)| span.end)
            .max()
            .unwrap_or(section.loc.span.end);
        let mut sym = symbol(
            format!("{} {}", section.numeral, section.title),
            None,
            SymbolKind::NAMESPACE,
            section.loc.span.start..end,
            &section.loc.span,
        );
        sym.children = Some(mine.into_iter().map(|(_, t, _)| t.clone()).collect());
        out.push(sym);
    }
    // Tasks of no section in this file stand at the top level.
    let sections_here: Vec<usize> = plan
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.loc.file == analysis.file)
        .map(|(i, _)| i)
        .collect();
    for (section, sym, _) in tasks {
        if !section.is_some_and(|s| sections_here.contains(&s)) {
            out.push(sym);
        }
    }
    out.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    Some(DocumentSymbolResponse::Nested(out))
}

/// The end of the `}` line that closes the block whose last statement ends at `after`.
pub fn closing_brace(text: &str, after: usize) -> Option<usize> {
    let mut at = after;
    for line in text.get(after..)?.split_inclusive('\n') {
        let body = line.split('#').next().unwrap_or("").trim();
        if body == "}" {
            return Some(at + line.trim_end_matches('\n').len());
        }
        at += line.len();
    }
    None
}

/// Whether `analysis` puts byte `offset` inside a task of this document: the task's number.
pub fn task_at(analysis: &Analysis, offset: usize) -> Option<(TaskId, usize)> {
    let plan = &analysis.plan;
    plan.tasks.iter().enumerate().find_map(|(index, task)| {
        if task.loc.file != analysis.file || offset < task.loc.span.start {
            return None;
        }
        let end = closing_brace(analysis.text(), task.loc.span.end)?;
        (offset <= end).then_some((TaskId(index), end))
    })
}
