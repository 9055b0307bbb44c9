//! How close a draft comes to a hand-written plan of the same document, for the README's
//! figures: a hand rule is reproduced exactly when a draft rule cites an overlapping passage
//! of the source with the same strength and the same target (operator, value and unit; for
//! `growth` and `change` the relation and its figure; for `done` the milestone). Metric
//! names, kinds and clauses other than the target are not compared.

use crate::coverage::clean::Clean;
use crate::model::{Plan, Rule};
use crate::source::Span;

/// The comparison of a draft with a hand-written plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Agreement {
    /// Hand rules with a `from` quote.
    pub hand: usize,
    /// Of those, reproduced exactly by some draft rule.
    pub reproduced: usize,
    /// Of those, cited by some draft rule with another target or strength.
    pub differing: usize,
    /// Draft rules.
    pub drafted: usize,
    /// Draft rules whose passage no hand rule cites: targets the hand plan skipped or did
    /// not see.
    pub invented: usize,
}

/// Compares `draft` with `hand`, both citing `source`.
pub fn compare(hand: &Plan, draft: &Plan, source: &str) -> Agreement {
    let flat = Clean::flat(source);
    let placed = |plan: &Plan| -> Vec<(Vec<Span>, String)> {
        plan.rules
            .iter()
            .filter_map(|rule| {
                let quote = rule.quote.as_ref()?;
                Some((flat.find_all(&quote.text), signature(rule)))
            })
            .collect()
    };
    let hand = placed(hand);
    let drafted = placed(draft);
    let overlap = |a: &[Span], b: &[Span]| {
        a.iter()
            .any(|x| b.iter().any(|y| x.start < y.end && y.start < x.end))
    };
    let mut agreement = Agreement {
        hand: hand.len(),
        drafted: drafted.len(),
        ..Agreement::default()
    };
    for (spans, sig) in &hand {
        let near: Vec<&String> = drafted
            .iter()
            .filter(|(d, _)| overlap(spans, d))
            .map(|(_, s)| s)
            .collect();
        if near.contains(&sig) {
            agreement.reproduced += 1;
        } else if !near.is_empty() {
            agreement.differing += 1;
        }
    }
    agreement.invented = drafted
        .iter()
        .filter(|(d, _)| !hand.iter().any(|(h, _)| overlap(h, d)))
        .count();
    agreement
}

/// Strength and target, as compared.
fn signature(rule: &Rule) -> String {
    format!("{:?} {:?}", rule.strength, rule.target)
}
