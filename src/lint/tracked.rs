//! Tracked metrics: a must-rule that exists only so a `metric NAME` reference has something to
//! name counts its miss twice; `track NAME` declares such a metric without a target.

use super::finding;
use crate::diagnostic::Finding;
use crate::model::{Plan, Reference, Rule, Strength, Target};
use std::collections::HashMap;

fn referenced(rule: &Rule) -> Option<&str> {
    match &rule.target {
        Target::Relative {
            reference: Reference::Metric { name, .. },
            ..
        } => Some(name),
        _ => None,
    }
}

pub fn check(plan: &Plan, findings: &mut Vec<Finding>) {
    // The rules that refer to each metric, so each rule looks only at its own referrers.
    let mut referrers: HashMap<&str, Vec<&Rule>> = HashMap::new();
    for rule in &plan.rules {
        if let Some(name) = referenced(rule) {
            referrers.entry(name).or_default().push(rule);
        }
    }
    for rule in plan.rules.iter().filter(|r| r.strength == Strength::Must) {
        // Another rule refers to this one's metric, and this one says nothing of its own:
        // it cites that rule's sentence, or only turns that rule's comparison around.
        let others = referrers
            .get(rule.metric.as_str())
            .map_or(&[][..], Vec::as_slice);
        let mirror = others.iter().copied().find(|other| {
            !std::ptr::eq(*other, rule)
                && (referenced(rule) == Some(other.metric.as_str())
                    || matches!((&rule.quote, &other.quote), (Some(a), Some(b)) if a.text == b.text))
        });
        let Some(other) = mirror else {
            continue;
        };
        // Of two rules that mirror each other, the one whose metric the sentence names first
        // is the plan's target; the other is the mirror.
        let position = |metric: &str| {
            rule.quote
                .as_ref()
                .and_then(|q| q.text.find(metric))
                .unwrap_or(usize::MAX)
        };
        let later_in_plan = rule.loc > other.loc;
        let mirrored = referenced(rule) == Some(other.metric.as_str());
        if mirrored
            && other.strength == Strength::Must
            && (position(&rule.metric), later_in_plan) < (position(&other.metric), !later_in_plan)
        {
            continue;
        }
        findings.push(finding(
            "plancheck::lint::mirror-rule",
            format!(
                "“{}”只为被 metric 引用而设为确保目标（引用它的是“{}”）",
                rule.metric, other.metric
            ),
            Some(format!(
                "原文没有为它设目标，未达标会计两次；把这条规则换成 track {}，它仍须报送，并可被 metric 引用",
                rule.metric
            )),
            vec![(&rule.loc, "原文没有为它设目标".to_owned())],
        ));
    }
}
