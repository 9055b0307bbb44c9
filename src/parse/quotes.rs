//! Every `from "…"` quote and every `skip "…"` passage must occur verbatim in the plan's
//! source document.

use super::error::{span, to_finding, PlanError};
use crate::diagnostic::Finding;
use crate::model::Plan;
use crate::source::RuleLoc;

/// The quotes and skipped passages of `plan` that its source document does not contain.
/// Without a readable source there is nothing to verify against.
pub fn verify_quotes(plan: &Plan) -> Vec<Finding> {
    let Some(source) = plan.header.as_ref().and_then(|h| h.source.as_ref()) else {
        return Vec::new();
    };
    let passages = passages(&source.text);
    // A quote may run over a line break or a page marker of the source.
    let flat = crate::coverage::clean::Clean::flat(&source.text);
    let quotes = plan
        .rules
        .iter()
        .filter_map(|rule| rule.quote.as_ref())
        .map(|quote| (quote.text.as_str(), &quote.loc));
    let skips = plan
        .skips
        .iter()
        .map(|skip| (skip.quote.as_str(), &skip.quote_loc));
    quotes
        .chain(skips)
        .filter(|(text, _)| !source.text.contains(text) && !flat.text.contains(text))
        .map(|(text, loc): (&str, &RuleLoc)| {
            let error = PlanError::QuoteNotFound {
                at: span(&loc.span),
                help: Some(match nearest(&passages, text) {
                    Some(passage) => format!("原文中最接近的一段：“{passage}”"),
                    None => "引文须与原文逐字一致，包括标点和数字".to_owned(),
                }),
            };
            to_finding(&error, loc.file)
        })
        .collect()
}

/// Clauses of the source and pairs of adjacent clauses: the pieces a quote is usually cut
/// from. Splitting at punctuation keeps the comparison cheap and the suggestion readable.
fn passages(text: &str) -> Vec<&str> {
    let is_break = |c: char| "，。；：！？、\n".contains(c);
    let mut bounds = vec![0];
    bounds.extend(
        text.char_indices()
            .filter(|(_, c)| is_break(*c))
            .map(|(i, c)| i + c.len_utf8()),
    );
    bounds.push(text.len());
    let mut passages = Vec::new();
    for (i, &start) in bounds.iter().enumerate() {
        for &end in bounds.iter().skip(i + 1).take(2) {
            let piece = text
                .get(start..end)
                .map(|p| p.trim_end_matches(is_break).trim());
            passages.extend(piece.filter(|p| !p.is_empty()));
        }
    }
    passages
}

/// The passage most like `quote`, if any is close enough to be worth showing.
fn nearest<'s>(passages: &[&'s str], quote: &str) -> Option<&'s str> {
    let length = quote.chars().count();
    passages
        .iter()
        .filter(|p| {
            let n = p.chars().count();
            n * 2 >= length && n <= length * 2
        })
        .map(|p| (strsim::normalized_levenshtein(quote, p), *p))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p)
}
