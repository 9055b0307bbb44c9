//! Matching the plan against its source: which target-like clauses some rule's `from` quote
//! or some `skip` quote overlaps, and which rules and quotes find no sentence at all.

use super::clean::Clean;
use super::{
    is_target_like, source_tasks, split_clauses, Coverage, DeclaredSkip, MissingQuote, NoSource,
    QuoteOf, RulePlace, Statement, Status, TaskCoverage, UncitedRule,
};
use crate::model::{Plan, RuleId};
use crate::source::{line_col, RuleLoc, Span};

/// Computes which target-like statements of the plan's source its rules and skips cover.
pub fn analyze(plan: &Plan) -> Result<Coverage, NoSource> {
    let header = plan.header.as_ref();
    let Some(source) = header.and_then(|h| h.source.as_ref()) else {
        return Err(NoSource {
            header: header.map(|h| h.loc.clone()),
        });
    };
    // Everything is found in the clean text (page markers out of sentences) and mapped back.
    let clean = Clean::new(&source.text);
    let flat = Clean::flat(&source.text);
    let text = clean.text.as_str();
    let original = source.text.as_str();
    let tasks = source_tasks(text);
    // Items in original offsets, where quotes are matched.
    let task_spans: Vec<(u32, Span)> = tasks
        .iter()
        .map(|t| (t.number, clean.original_span(&t.span)))
        .collect();
    let task_number = |id: crate::model::TaskId| plan.task(id).map(|t| t.number);
    let place = |loc: &RuleLoc| rule_place(plan, loc);

    let mut cited: Vec<Span> = Vec::new();
    let mut uncited_rules = Vec::new();
    let mut quotes_not_found = Vec::new();
    for (index, rule) in plan.rules.iter().enumerate() {
        let Some(quote) = &rule.quote else {
            uncited_rules.push(UncitedRule {
                rule: RuleId(index),
                task: task_number(rule.task),
                metric: rule.metric.clone(),
                place: place(&rule.metric_loc),
            });
            continue;
        };
        let found = flat.find_all(&quote.text);
        if found.is_empty() {
            quotes_not_found.push(MissingQuote {
                of: QuoteOf::Rule,
                task: task_number(rule.task),
                quote: quote.text.clone(),
                place: place(&quote.loc),
            });
        }
        cited.extend(found);
    }

    let mut skipped: Vec<Span> = Vec::new();
    let mut skips = Vec::new();
    for skip in &plan.skips {
        let found = flat.find_all(&skip.quote);
        let first = found.first().map(|s| s.start);
        if found.is_empty() {
            quotes_not_found.push(MissingQuote {
                of: QuoteOf::Skip,
                task: skip.task.and_then(task_number),
                quote: skip.quote.clone(),
                place: place(&skip.quote_loc),
            });
        }
        let in_paragraph = first.and_then(|at| {
            task_spans
                .iter()
                .find(|(_, span)| span.contains(&at))
                .map(|(number, _)| *number)
        });
        skips.push(DeclaredSkip {
            quote: skip.quote.clone(),
            reason: skip.reason.clone(),
            task: skip.task.and_then(task_number).or(in_paragraph),
            first,
        });
        skipped.extend(found);
    }
    // Found quotes in source order, then the others by text.
    skips.sort_by(|a, b| {
        (a.first.is_none(), a.first, &a.quote).cmp(&(b.first.is_none(), b.first, &b.quote))
    });
    uncited_rules.sort_by(|a, b| a.place.loc.cmp(&b.place.loc));
    quotes_not_found.sort_by(|a, b| a.place.loc.cmp(&b.place.loc));

    let overlaps = |spans: &[Span], span: &Span| {
        spans
            .iter()
            .any(|s| s.start < span.end && span.start < s.end)
    };
    let mut statements = Vec::new();
    let mut task_counts = Vec::new();
    for task in &tasks {
        let mut counts = TaskCoverage {
            number: task.number,
            title: task.title.clone(),
            statements: 0,
            covered: 0,
            skipped: 0,
            uncovered: 0,
        };
        let clauses: Vec<Span> = task
            .body
            .iter()
            .flat_map(|b| split_clauses(text, b))
            .collect();
        for clause_span in clauses.clone() {
            let Some(clause) = text.get(clause_span.clone()) else {
                continue;
            };
            if !is_target_like(clause) {
                continue;
            }
            let span = clean.original_span(&clause_span);
            let status = if overlaps(&cited, &span) {
                counts.covered += 1;
                Status::Covered
            } else if overlaps(&skipped, &span) {
                counts.skipped += 1;
                Status::Skipped
            } else {
                counts.uncovered += 1;
                Status::Uncovered
            };
            counts.statements += 1;
            let quote = unique_quote(text, &flat, &clauses, &clause_span);
            let at = line_col(original, span.start);
            statements.push(Statement {
                task: task.number,
                text: clause.to_owned(),
                quote,
                span,
                line: at.line,
                column: at.column,
                status,
            });
        }
        task_counts.push(counts);
    }

    Ok(Coverage {
        title: header.map(|h| h.title.clone()),
        source: tidy_path(&source.path),
        tasks: task_counts,
        statements,
        uncited_rules,
        quotes_not_found,
        skips,
        rules: plan.rules.len(),
    })
}

fn rule_place(plan: &Plan, loc: &RuleLoc) -> RulePlace {
    let file = plan.files.get(loc.file.0);
    let at = file.map(|f| line_col(&f.text, loc.span.start));
    RulePlace {
        loc: loc.clone(),
        file: file.map_or_else(|| "<unknown>".to_owned(), |f| f.path.clone()),
        line: at.map_or(0, |a| a.line),
        column: at.map_or(0, |a| a.column),
    }
}

/// `rules/../seeds/x.txt` → `seeds/x.txt`: the source path as a reader would type it.
fn tidy_path(path: &std::path::Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let tidy: std::path::PathBuf = parts.iter().collect();
    tidy.display().to_string()
}

/// A quote of the clause at `span` that occurs once in `text`, for a paste-ready `from` or
/// `skip`: the clause itself, else the clause with its neighbours in the same item, the
/// earlier ones first, until the quote is unique (`增长12%` → `工业投资增长12%`… → the whole
/// sentence). A clause repeated word for word with its whole item stays as it is.
fn unique_quote(text: &str, flat: &Clean, same: &[Span], span: &Span) -> String {
    let once = |q: &str| flat.find_all(q).len() <= 1;
    let own = text.get(span.clone()).unwrap_or("").to_owned();
    if once(&own) {
        return own;
    }
    let Some(me) = same.iter().position(|c| c == span) else {
        return own;
    };
    let mut tries: Vec<Span> = (0..me)
        .rev()
        .filter_map(|i| same.get(i).map(|c| c.start..span.end))
        .collect();
    let first = same.first().map_or(span.start, |c| c.start);
    tries.extend(
        same.iter()
            .skip(me + 1)
            .map(|c| first.min(span.start)..c.end),
    );
    tries
        .into_iter()
        .filter_map(|t| text.get(t))
        .map(|q| q.replace(['\n', '\r'], ""))
        .find(|q| once(q))
        .unwrap_or(own)
}
