//! 左右 has a direction the notation must state. `~=` strays both ways, so 增长5%左右 met at
//! 6.1% would be unmet; an expected growth or a figure to reach is a floor with slack (`~>=`),
//! a ceiling (控制在3%左右) a cap with slack (`~<=`).

use super::finding;
use crate::diagnostic::Finding;
use crate::model::{Plan, Relation, Rule, Side, Target};

/// Words before 左右 that make it a ceiling.
const CAP_WORDS: &[&str] = &[
    "控制在",
    "以内",
    "以下",
    "不超过",
    "不高于",
    "下降",
    "降低",
    "减少",
];

/// Words that make it a figure to reach.
const FLOOR_WORDS: &[&str] = &["增长", "提高", "提升", "达到", "增加", "突破", "同步"];

pub fn check(plan: &Plan, findings: &mut Vec<Finding>) {
    for rule in &plan.rules {
        if let Some(side) = direction(rule) {
            findings.push(warn(rule, side));
        }
    }
}

/// The side a two-way 左右 of `rule` should have, if its wording gives one. A growth with no
/// word against it is an expected growth, a floor.
fn direction(rule: &Rule) -> Option<Side> {
    let growth = match &rule.target {
        Target::Approx {
            side: Side::Both, ..
        } => false,
        Target::Relative {
            relation:
                Relation::GrowthApprox {
                    side: Side::Both, ..
                }
                | Relation::InStep {
                    op: None,
                    side: Side::Both,
                    ..
                },
            ..
        } => true,
        _ => return None,
    };
    let text = rule.quote.as_ref().map_or("", |q| q.text.as_str());
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(CAP_WORDS) {
        Some(Side::AtMost)
    } else if growth || has(FLOOR_WORDS) {
        Some(Side::AtLeast)
    } else {
        None
    }
}

fn warn(rule: &Rule, side: Side) -> Finding {
    let written = rule.target.to_string();
    let suggested = written.replacen("~=", side.symbol(), 1);
    let (what, why) = match side {
        Side::AtMost => ("上限", "低于目标也算达标"),
        _ => ("下限", "超额完成也算达标"),
    };
    let mut labels = vec![(&rule.target_loc, "~= 高出或低出容差都算未达标".to_owned())];
    if let Some(quote) = &rule.quote {
        labels.push((&quote.loc, format!("原文的“左右”是留有余地的{what}")));
    }
    finding(
        "plancheck::lint::approx-direction",
        format!("“左右”的方向未写明：{} {written}", rule.metric),
        Some(format!(
            "写作 {suggested}：{why}，只在另一侧按容差放宽；确需两侧都不超出容差时，改写为区间 in 下限..上限"
        )),
        labels,
    )
}
