//! Reading the values of parsed tokens: strings, numbers, units, unit lists.

use super::error::PlanError;
use super::grammar::Rule;
use crate::units::{self, Quantity, Unit};
use pest::iterators::Pair;
use rust_decimal::Decimal;
use std::ops::Range;

/// The byte range of a pair, without the whitespace and comments pest skips after a trailing
/// optional or repeated part (`quantity = { number ~ unit? }` without a unit ends after the
/// skipped space): it ends where its last token ends.
pub fn trimmed(pair: &Pair<'_, Rule>) -> Range<usize> {
    let whole = pair.as_span();
    // A string is one token; its inner text ends before the closing quote.
    if pair.as_rule() == Rule::string {
        return whole.start()..whole.end();
    }
    let end = pair
        .clone()
        .into_inner()
        .last()
        .map_or(whole.end(), |last| trimmed(&last).end);
    whole.start()..end
}

/// The text of a `string` pair, escapes resolved.
pub fn unescape(string: &Pair<'_, Rule>) -> String {
    let raw = string
        .clone()
        .into_inner()
        .find(|p| p.as_rule() == Rule::string_text)
        .map_or("", |p| p.as_str());
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        // The grammar admits only `\"` and `\\`, so the escaped character is the text.
        if c == '\\' {
            text.extend(chars.next());
        } else {
            text.push(c);
        }
    }
    text
}

/// The unit names of the `org_list` in `parent` (a `lead` line or a `by` clause), in order.
pub fn org_names(parent: Pair<'_, Rule>) -> Vec<String> {
    let lists = parent
        .into_inner()
        .filter(|p| p.as_rule() == Rule::org_list);
    rejoin_units(
        lists
            .flat_map(|list| orgs(&list))
            .map(|(name, _)| name.to_owned())
            .collect(),
    )
}

/// Each unit name of an `org_list` token with its byte range. The grammar admits no separator
/// or space inside a name, so cutting at separators and trimming spaces gives the names the
/// grammar matched.
pub fn orgs<'i>(list: &Pair<'i, Rule>) -> Vec<(&'i str, Range<usize>)> {
    const SPACE: [char; 3] = [' ', '\t', '\u{3000}'];
    let start = list.as_span().start();
    let text = list.as_str();
    let mut names = Vec::new();
    let mut from = 0;
    let ends = text
        .char_indices()
        .filter(|(_, c)| matches!(c, ',' | '，' | '、'))
        .map(|(at, c)| (at, at + c.len_utf8()))
        .chain(std::iter::once((text.len(), text.len())));
    for (end, next) in ends {
        let part = text.get(from..end).unwrap_or_default();
        let lead = part.len() - part.trim_start_matches(SPACE).len();
        let name = part.trim_matches(SPACE);
        let at = start + from + lead;
        names.push((name, at..at + name.len()));
        from = next;
    }
    names
}

/// `各县(市)、区人民政府` is one kind of unit, not two: a name that starts with 各 and ends in
/// a parenthesis is joined with the next one.
pub fn rejoin_units(names: Vec<String>) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    for name in names {
        if let Some(last) = joined.last_mut() {
            if last.starts_with('各') && last.ends_with([')', '）']) {
                last.push('、');
                last.push_str(&name);
                continue;
            }
        }
        joined.push(name);
    }
    joined
}

/// A `number` token as an exact decimal. Rounding would change what a target means, so a
/// number with more digits than a decimal holds is an error rather than rounded.
pub fn number(pair: &Pair<'_, Rule>) -> Result<Decimal, PlanError> {
    let text = pair.as_str();
    Decimal::from_str_exact(&text.replace(',', "")).map_err(|_| PlanError::BadNumber {
        text: text.to_owned(),
        at: super::error::span(&trimmed(pair)),
    })
}

/// A `unit` token looked up in the registry; `％` is `%`.
pub fn unit(pair: &Pair<'_, Rule>) -> Result<&'static Unit, PlanError> {
    let name = pair.as_str().replace('％', "%");
    units::lookup(&name).ok_or_else(|| PlanError::UnknownUnit {
        help: close_unit_names(&name),
        unit: name,
        at: super::error::span(&trimmed(pair)),
    })
}

/// A `quantity` pair: its number, its unit if written, and the spans of both.
pub struct WrittenQuantity {
    pub quantity: Quantity,
    pub unit_span: Option<Range<usize>>,
    /// The number and its unit.
    pub span: Range<usize>,
}

impl WrittenQuantity {
    /// Where a problem with the unit is shown: the unit, or the number when none is written.
    pub fn unit_or_number(&self) -> Range<usize> {
        self.unit_span.clone().unwrap_or_else(|| self.span.clone())
    }

    /// The amount of a value that must be written in per cent, such as `growth >= 20%` or
    /// `tolerance 5%`; `what` names it in the error.
    pub fn percent(&self, what: &'static str, help: &str) -> Result<Decimal, PlanError> {
        percent(&self.quantity, &self.unit_or_number(), what, help)
    }
}

/// The amount of `value` if its unit is `%`; else an error at `at` naming `what`.
pub fn percent(
    value: &Quantity,
    at: &Range<usize>,
    what: &'static str,
    help: &str,
) -> Result<Decimal, PlanError> {
    if is_percent(value.unit) {
        return Ok(value.amount);
    }
    Err(PlanError::NotPercent {
        what,
        found: format!("此处是{}", unit_words(value.unit)),
        at: super::error::span(at),
        help: Some(help.to_owned()),
    })
}

/// Whether `unit` is the per cent sign.
pub fn is_percent(unit: Option<&Unit>) -> bool {
    unit.is_some_and(|u| u.name == "%")
}

/// A unit as a diagnostic names it: `单位“亿元”`, or that there is none.
pub fn unit_words(unit: Option<&Unit>) -> String {
    match unit {
        Some(unit) => format!("单位“{unit}”"),
        None => "没有单位的数值".to_owned(),
    }
}

pub fn quantity(pair: Pair<'_, Rule>) -> Result<WrittenQuantity, PlanError> {
    let span = trimmed(&pair);
    let mut amount = Decimal::ZERO;
    let mut written_unit = None;
    let mut unit_span = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::number => amount = number(&part)?,
            Rule::unit => {
                written_unit = Some(unit(&part)?);
                unit_span = Some(trimmed(&part));
            }
            _ => {}
        }
    }
    Ok(WrittenQuantity {
        quantity: Quantity::new(amount, written_unit),
        unit_span,
        span,
    })
}

/// A help line naming a few registry units that look like `name`.
fn close_unit_names(name: &str) -> Option<String> {
    let mut scored: Vec<(f64, &str)> = units::all_names()
        .into_iter()
        .map(|known| (unit_likeness(name, known), known))
        .filter(|(score, _)| *score > 0.0)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let names: Vec<&str> = scored.into_iter().take(4).map(|(_, n)| n).collect();
    if names.is_empty() {
        return Some("单位表见 src/units.rs；没有单位时只写数值".to_owned());
    }
    Some(format!("相近的已知单位：{}", names.join("、")))
}

/// How alike two unit names look. Units are one to four characters, so sharing a character
/// (亿园 and 亿元) already says a lot; edit distance breaks ties.
fn unit_likeness(written: &str, known: &str) -> f64 {
    let shared = written.chars().filter(|c| known.contains(*c)).count();
    if shared == 0 {
        return 0.0;
    }
    shared as f64 + strsim::normalized_levenshtein(written, known)
}
