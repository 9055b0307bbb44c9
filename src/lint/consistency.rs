//! Plan consistency: rules that contradict or repeat each other, ranges that are points, lead
//! units asked for nothing, skips that skip a target, and kinds that do not fit the wording.

use super::done::{completion, STRONG_COMPLETIONS};
use super::finding;
use super::text::numbers;
use crate::diagnostic::Finding;
use crate::model::{MetricKind, Op, Plan, Relation, Rule, Target};
use crate::units::Quantity;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(plan: &Plan, findings: &mut Vec<Finding>) {
    pairs(plan, findings);
    for rule in &plan.rules {
        point_range(rule, findings);
        kind(rule, findings);
        kind_assumed(rule, findings);
    }
    idle_leads(plan, findings);
    lead_and_co(plan, findings);
    skips(plan, findings);
}

/// A unit named both as a lead and as a co-responsible unit of one task: one of the two
/// lists was copied from the wrong column, and reports would show it twice.
fn lead_and_co(plan: &Plan, findings: &mut Vec<Finding>) {
    for task in &plan.tasks {
        for unit in task.co.iter().filter(|u| task.leads.contains(u)) {
            findings.push(finding(
                "plancheck::lint::lead-and-co",
                format!("“{unit}”既是牵头单位又是责任单位"),
                Some(format!(
                    "一个单位在任务中只有一种身份：牵头则从 co 中删去 {unit}，配合则从 lead 中删去"
                )),
                vec![(
                    &task.loc,
                    format!("任务{}的 lead 与 co 都有 {unit}", task.number),
                )],
            ));
        }
    }
}

/// The values a target allows, as a closed or open interval in the target's unit.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    low: Option<(Decimal, bool)>,
    high: Option<(Decimal, bool)>,
}

fn bounds(target: &Target, unit: Option<&'static crate::units::Unit>) -> Option<Bounds> {
    let amount = |q: &Quantity| q.convert_to(unit).ok().flatten().map(|q| q.amount);
    let bounds = match target {
        Target::Compare { op, value } => {
            let v = amount(value)?;
            match op {
                Op::Ge => Bounds {
                    low: Some((v, true)),
                    high: None,
                },
                Op::Gt => Bounds {
                    low: Some((v, false)),
                    high: None,
                },
                Op::Le => Bounds {
                    low: None,
                    high: Some((v, true)),
                },
                Op::Lt => Bounds {
                    low: None,
                    high: Some((v, false)),
                },
                Op::Eq => Bounds {
                    low: Some((v, true)),
                    high: Some((v, true)),
                },
            }
        }
        Target::Range { low, high } => Bounds {
            low: Some((amount(low)?, true)),
            high: Some((amount(high)?, true)),
        },
        _ => return None,
    };
    Some(bounds)
}

/// Whether no value meets both.
fn disjoint(a: Bounds, b: Bounds) -> bool {
    let below = |high: Option<(Decimal, bool)>, low: Option<(Decimal, bool)>| match (high, low) {
        (Some((h, hi)), Some((l, li))) => h < l || (h == l && !(hi && li)),
        _ => false,
    };
    below(a.high, b.low) || below(b.high, a.low)
}

/// Two rules on one metric (every rule is for the plan period): the same target twice, or
/// targets no figure can meet together.
fn pairs(plan: &Plan, findings: &mut Vec<Finding>) {
    let mut by_metric: BTreeMap<&str, Vec<&Rule>> = BTreeMap::new();
    for rule in &plan.rules {
        by_metric
            .entry(rule.metric.as_str())
            .or_default()
            .push(rule);
    }
    for rules in by_metric.values() {
        for (i, first) in rules.iter().enumerate() {
            for second in rules.iter().skip(i + 1) {
                if first.due != second.due {
                    continue;
                }
                let same = first.target == second.target;
                let clash = !same
                    && match (
                        bounds(&first.target, first.target.unit()),
                        bounds(&second.target, first.target.unit()),
                    ) {
                        (Some(a), Some(b)) => disjoint(a, b),
                        _ => false,
                    };
                let (code, message, help) = if same {
                    (
                        "plancheck::lint::duplicate-rule",
                        format!("“{}”的目标 {} 写了两次", first.metric, first.target),
                        "删去其中一条：同一目标写两次，未达标时会计两次",
                    )
                } else if clash {
                    (
                        "plancheck::lint::contradiction",
                        format!(
                            "“{}”的两个目标 {} 和 {} 不能同时达到",
                            first.metric, first.target, second.target
                        ),
                        "核对原文，保留正确的一条",
                    )
                } else {
                    continue;
                };
                findings.push(finding(
                    code,
                    message,
                    Some(help.to_owned()),
                    vec![
                        (&second.target_loc, "这条规则".to_owned()),
                        (&first.target_loc, "与这条规则".to_owned()),
                    ],
                ));
            }
        }
    }
}

/// `in 5..5`: a range that is one value (an inverted range is a parse error).
fn point_range(rule: &Rule, findings: &mut Vec<Finding>) {
    let point = match &rule.target {
        Target::Range { low, high } => low.amount == high.amount,
        Target::Relative { relation, .. } => match relation {
            Relation::GrowthRange { low, high } => low == high,
            Relation::ChangeRange { low, high } => low.amount == high.amount,
            _ => false,
        },
        _ => false,
    };
    if point {
        findings.push(finding(
            "plancheck::lint::point-range",
            "区间的上下限相同".to_owned(),
            Some("只有一个值的区间请写作 == 数值 单位；原文是 a-b 时核对两端".to_owned()),
            vec![(&rule.target_loc, "上下限相同".to_owned())],
        ));
    }
}

/// Words naming a rate of completion against the annual plan: it grows through the year.
const COMPLETION_RATE: &[&str] = &["完成率", "计划完成", "完成进度"];
/// Words that start the name of an increment.
const INCREMENT_START: &[&str] = &["新增", "新培育", "新引进"];

fn kind(rule: &Rule, findings: &mut Vec<Finding>) {
    if matches!(
        rule.target,
        Target::Done | Target::Relative { .. } | Target::Rank(_)
    ) {
        return;
    }
    let rate = COMPLETION_RATE.iter().find(|w| rule.metric.contains(*w));
    let increment = INCREMENT_START.iter().find(|w| rule.metric.starts_with(*w));
    let word = match (rate, increment) {
        (Some(word), _) if rule.kind() != MetricKind::Cumulative => word,
        (None, Some(word)) if rule.kind == Some(MetricKind::Level) => word,
        _ => return,
    };
    findings.push(finding(
        "plancheck::lint::kind",
        format!("“{}”按“{word}”应为累计指标，规则却按水平判断", rule.metric),
        Some(
            "加 kind cumulative：完成率、新增量在年内逐步累积，年中按时间进度判断，年底才须达到目标"
                .to_owned(),
        ),
        vec![(&rule.metric_loc, format!("“{word}”年内累积"))],
    ));
}

/// A rule whose kind fell to the default (no flow or stock word in its name, no `%`) while
/// its cited sentence reads as a flow (投资, 收入, 产量, 引进…): mid-year it is judged as a
/// level, against the whole year's target.
fn kind_assumed(rule: &Rule, findings: &mut Vec<Finding>) {
    if rule.kind_and_source().1 != crate::model::KindSource::Default {
        return;
    }
    let Some(quote) = &rule.quote else {
        return;
    };
    let unit = rule.target.unit().map_or("", |u| u.name);
    // Only the sentence speaks: a name with a flow word the kind rules read differently is
    // another matter (`lint::kind`, `lint::increment`).
    let kind_of = |sentence| crate::draft::kind_of(&rule.metric, unit, sentence);
    if kind_of("") != "level" || kind_of(&quote.text) != "cumulative" {
        return;
    }
    findings.push(finding(
        "plancheck::lint::kind-assumed",
        format!(
            "“{}”的类型无法从名称判断，按水平（level）检查，但原文读作年内累计的流量",
            rule.metric
        ),
        Some(
            "年中按水平判断时须已达到全年目标；若该指标年内逐步累积，加 kind cumulative，若确是时点数或存量，加 kind level 确认"
                .to_owned(),
        ),
        vec![(&rule.metric_loc, "类型按水平推断".to_owned())],
    ));
}

/// Lead units of a task with targets that no rule and no tracked metric asks for a figure.
fn idle_leads(plan: &Plan, findings: &mut Vec<Finding>) {
    // A task's leads are added once for all its rules that name no `by`: a national plan lists
    // thousands of leads per task, and adding them once per rule would cost rules × leads.
    let mut asked: BTreeSet<&str> = BTreeSet::new();
    let mut asked_tasks: BTreeSet<usize> = BTreeSet::new();
    for rule in &plan.rules {
        if rule.reporters.is_empty() {
            asked_tasks.insert(rule.task.0);
        } else {
            asked.extend(rule.reporters.iter().map(|unit| &**unit));
        }
    }
    for tracked in &plan.tracked {
        // A figure from outside the plan is asked of its own reporters.
        if tracked.reporters.is_empty() {
            asked_tasks.insert(tracked.task.0);
        } else {
            asked.extend(tracked.reporters.iter().map(|unit| &**unit));
        }
    }
    for task in asked_tasks.iter().filter_map(|&id| plan.tasks.get(id)) {
        asked.extend(task.leads.iter().map(|unit| &**unit));
    }
    let with_rules: BTreeSet<usize> = plan.rules.iter().map(|r| r.task.0).collect();
    let mut reported = BTreeSet::new();
    for (id, task) in plan.tasks.iter().enumerate() {
        if !with_rules.contains(&id) {
            continue;
        }
        for lead in task.leads.iter() {
            if asked.contains(&**lead) || !reported.insert(&**lead) {
                continue;
            }
            findings.push(finding(
                "plancheck::lint::idle-lead",
                format!("牵头单位“{lead}”不报送任何指标"),
                Some(format!(
                    "任务的每条规则都用 by 指定了其他单位，{lead} 的填报模板将是空的；把它加入某条规则的 by，或从 lead 中删去"
                )),
                vec![(&task.loc, format!("{lead} 牵头这一任务"))],
            ));
        }
    }
}

/// The text of a number in a skipped sentence that may be a figure: written in digits, and
/// not a year (2023年), part of a name (5G, “1+N”, “1352”).
fn figure_text(quote: &str, span: &std::ops::Range<usize>) -> Option<String> {
    let text = quote.get(span.clone())?;
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let before = quote.get(..span.start)?.chars().next_back();
    let after = quote.get(span.end..)?.chars().next();
    let in_name = matches!(before, Some('“' | '+' | '"'))
        || matches!(after, Some('”' | '+' | '"' | '年'))
        || after.is_some_and(|c| c.is_ascii_alphabetic());
    (!in_name).then(|| text.to_owned())
}

/// A skip of a sentence that sets a completion or a number, without a reason that names it.
fn skips(plan: &Plan, findings: &mut Vec<Finding>) {
    for skip in &plan.skips {
        let completion = completion(&skip.quote, STRONG_COMPLETIONS);
        let number = numbers(&skip.quote)
            .into_iter()
            .filter_map(|n| figure_text(&skip.quote, &n.span))
            .find(|n| {
                let digits: String = n
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                !skip.reason.contains(&digits)
            });
        let unnamed = completion
            .filter(|w| !skip.reason.contains(w))
            .map(str::to_owned)
            .or(number);
        let Some(what) = unnamed else {
            continue;
        };
        findings.push(finding(
            "plancheck::lint::skip-has-target",
            format!("略过的原文含有“{what}”，可能是可检查的目标"),
            Some(format!(
                "若这是年内的完成或数值目标，请写成规则；若确实不需检查，在 because 中说明“{what}”为何不是目标"
            )),
            vec![(&skip.quote_loc, format!("含有“{what}”"))],
        ));
    }
}
