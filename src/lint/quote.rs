//! Quote agreement: a rule says what its `from` sentence says.
//!
//! - every number of the target occurs in the sentence, up to scale (1.2万人 is 12000 人);
//! - the operator agrees with the words around that number (以上 is `>=`, 超过 is `>`, …);
//! - the strength agrees with the strength word governing the clause, which may stand earlier
//!   in the same sentence of the source (力争新培育A 12家以上，B 40家: B is a strive target);
//! - an increment word governing the clause (新增, 新培育, 新引进) shows in the metric's name
//!   or its `kind`.

use super::finding;
use super::text::{contains_any, governing, last_word_before, numbers, unit_scale, Written};
use crate::diagnostic::Finding;
use crate::model::{MetricKind, Op, Plan, Relation, Rule, Strength, Target};
use crate::units::Quantity;
use std::collections::HashMap;

/// Words that make a target firm.
pub const MUST_WORDS: &[&str] = &["确保", "必须", "严格", "坚决"];
/// Words that make a target something to strive for.
pub const STRIVE_WORDS: &[&str] = &["力争", "争取", "争创", "申创", "奋力", "力促"];
/// Words that make a figure an increment over the year.
const INCREMENT_WORDS: &[&str] = &["新增", "新培育", "新引进"];
/// What in a metric's name shows it counts an increment.
const INCREMENT_NAMES: &[&str] = &["新增", "新培育", "新引进", "新认定", "新建", "引进", "培育"];
/// Words that set a figure of zero.
const ZERO_WORDS: &[&str] = &["清零", "不发生", "零", "杜绝", "遏制"];
/// Words that state 100% without the number: every one of them (全部, 全覆盖, 稳定达标). 全面
/// is not one of them: 全面执行 says how thoroughly, not how many.
const ALL_WORDS: &[&str] = &["全部", "全覆盖", "所有", "稳定达标", "全面达标"];

fn is_full_share(value: &Quantity) -> bool {
    value.amount == rust_decimal::Decimal::ONE_HUNDRED && value.unit.is_some_and(|u| u.name == "%")
}

/// Strength words that are verbs with an object of their own (争创X): they govern their own
/// clause only, where 力争 and 确保 carry over to the clauses after them.
const LOCAL_WORDS: &[&str] = &["争创", "申创", "严格"];
/// Words that give a clause its own verb: a strength or increment word from an earlier clause
/// does not carry over into it.
const OWN_VERBS: &[&str] = &[
    "达到",
    "保持",
    "提高",
    "提升",
    "控制",
    "超过",
    "突破",
    "实现",
    "完成",
    "新增",
    "培育",
    "引进",
    "建设",
    "建成",
    "实施",
    "开展",
    "创建",
    "稳定",
    "增长",
    "下降",
    "降低",
    "不低于",
    "不少于",
    "高于",
    "低于",
    "打造",
    "推动",
    "争创",
    "申报",
    "确保",
    "力争",
];
/// Punctuation between clauses of one sentence.
const CLAUSE_SEPARATORS: &[char] = &['，', '；', '：', ',', ';'];

/// The last of `words` that governs the clause ending at byte `end` of `sentence`: in the same
/// clause, or carried over from an earlier clause of the sentence when the word carries and the
/// clause has no verb of its own (力争新培育A 12家以上，B 40家).
fn governing_word<'w>(sentence: &str, end: usize, words: &[&'w str]) -> Option<&'w str> {
    let (at, word) = last_word_before(sentence, end, words)?;
    let between = sentence.get(at..end)?;
    let Some(clause_start) = between.rfind(CLAUSE_SEPARATORS) else {
        return Some(word);
    };
    let clause = between.get(clause_start..)?;
    let carries = !LOCAL_WORDS.contains(&word) && !OWN_VERBS.iter().any(|v| clause.contains(v));
    carries.then_some(word)
}

/// The form of a target's comparison, as the wording can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Op(Op),
    Approx,
    Range,
}

impl Form {
    fn notation(self) -> &'static str {
        match self {
            Form::Op(op) => op.symbol(),
            Form::Approx => "~=",
            Form::Range => "in",
        }
    }
}

/// Operator words, longest first at each place so 不超过 is never read as 超过.
const OPERATOR_WORDS: &[(&str, Form)] = &[
    ("不少于", Form::Op(Op::Ge)),
    ("不低于", Form::Op(Op::Ge)),
    ("不超过", Form::Op(Op::Le)),
    ("不高于", Form::Op(Op::Le)),
    ("控制在", Form::Op(Op::Le)),
    ("以上", Form::Op(Op::Ge)),
    ("达到", Form::Op(Op::Ge)),
    ("超过", Form::Op(Op::Gt)),
    ("突破", Form::Op(Op::Gt)),
    ("高于", Form::Op(Op::Gt)),
    ("以内", Form::Op(Op::Le)),
    ("左右", Form::Approx),
];

/// Signs between the ends of a range written in a sentence: 1-2个, 5%～8%.
const RANGE_SIGNS: &[char] = &['-', '－', '—', '~', '～', '至', '到'];

/// Punctuation that ends the words belonging to a number.
const CLAUSE_END: &[char] = &['，', '。', '、', '；', '：', ',', ';', '（', '）', '“', '”'];

pub fn check(plan: &Plan, findings: &mut Vec<Finding>) {
    // Rules often cite one sentence together; each is looked up in the source once.
    let mut sentences: HashMap<&str, Option<(String, usize)>> = HashMap::new();
    for rule in &plan.rules {
        let Some(quote) = &rule.quote else {
            continue;
        };
        let written = numbers(&quote.text);
        let mut first_match = None;
        for value in target_numbers(&rule.target) {
            // 下降3% is a growth of -3%: the sentence writes the fall without its sign.
            let falls = FALLING_WORDS.iter().any(|w| quote.text.contains(w));
            let unsigned = Quantity::new(value.amount.abs(), value.unit);
            let found = matching(&written, &value)
                .or_else(|| falls.then(|| matching(&written, &unsigned)).flatten());
            match found {
                Some(found) => {
                    first_match.get_or_insert(found);
                }
                None if value.amount.is_zero() && contains_any(&quote.text, ZERO_WORDS) => {}
                None if is_full_share(&value) && contains_any(&quote.text, ALL_WORDS) => {}
                None => findings.push(finding(
                    "plancheck::lint::quote-number",
                    format!("数值 {value} 不在所引原文中"),
                    Some(format!(
                        "核对原文“{}”：数值和单位应与原文一致（可换算，如 1.2万人 即 12000 人）；原文没有数值时，这条规则可能不该设",
                        quote.text
                    )),
                    vec![
                        (&rule.target_loc, "原文中没有这个数".to_owned()),
                        (&quote.loc, "所引原文".to_owned()),
                    ],
                )),
            }
        }
        if let Some(found) = &first_match {
            operator(rule, &quote.text, found, findings);
            unit(rule, &quote.text, found, findings);
        }
        zero(rule, &quote.text, findings);
        let governed = sentences
            .entry(quote.text.as_str())
            .or_insert_with(|| governing(plan, rule));
        let Some((sentence, start)) = governed.as_ref() else {
            continue;
        };
        let (sentence, start) = (sentence.as_str(), *start);
        // The clause is governed by the words before its number, or before its end.
        let end = first_match
            .as_ref()
            .map_or(sentence.len(), |found| start + found.span.start);
        strength(rule, sentence, end, findings);
        increment(rule, sentence, end, findings);
    }
}

/// Words that state a fall, whose figure is written without a minus sign.
const FALLING_WORDS: &[&str] = &["下降", "降低", "减少", "压减", "回落"];

/// The numbers a target states, each with its unit.
fn target_numbers(target: &Target) -> Vec<Quantity> {
    let percent = |amount| Quantity::new(amount, crate::units::lookup("%"));
    match target {
        Target::Compare { value, .. } | Target::Approx { value, .. } => vec![*value],
        Target::Range { low, high } => vec![*low, *high],
        // A place is written in words (全市第一, 前三名), not as a number.
        Target::Done | Target::Rank(_) => Vec::new(),
        Target::Relative { relation, .. } => match relation {
            Relation::Compare(_) | Relation::InStep { .. } => Vec::new(),
            Relation::GrowthApprox { rate, .. } => vec![percent(*rate)],
            Relation::Growth { rate, .. } => vec![percent(*rate)],
            Relation::GrowthRange { low, high } => vec![percent(*low), percent(*high)],
            Relation::Change { amount, .. } => vec![*amount],
            Relation::ChangeRange { low, high } => vec![*low, *high],
        },
    }
}

/// The number of the sentence that states `value`, as written or up to scale.
fn matching<'w>(written: &'w [Written], value: &Quantity) -> Option<&'w Written> {
    let scaled = value.amount.checked_mul(unit_scale(value.unit));
    written
        .iter()
        .find(|w| w.value == value.amount || Some(w.value) == scaled)
}

/// The comparison form of a numeric target.
fn form(target: &Target) -> Option<Form> {
    match target {
        Target::Compare { op, .. } => Some(Form::Op(*op)),
        Target::Approx { .. } => Some(Form::Approx),
        Target::Range { .. } => Some(Form::Range),
        Target::Relative { relation, .. } => match relation {
            Relation::Growth { op, .. } | Relation::Change { op, .. } => Some(Form::Op(*op)),
            Relation::GrowthRange { .. } | Relation::ChangeRange { .. } => Some(Form::Range),
            Relation::GrowthApprox { .. } => Some(Form::Approx),
            Relation::Compare(_) | Relation::InStep { .. } => None,
        },
        Target::Done | Target::Rank(_) => None,
    }
}

/// The forms the words around a number ask for, and the words.
fn worded_forms(text: &str, number: &Written) -> Vec<(Form, String)> {
    let before = text.get(..number.span.start).unwrap_or_default();
    let before = before
        .rfind(CLAUSE_END)
        .map_or(before, |i| before.get(i..).unwrap_or_default());
    let after = text.get(number.span.end..).unwrap_or_default();
    let after = after
        .find(CLAUSE_END)
        .map_or(after, |i| after.get(..i).unwrap_or_default());
    let mut forms = Vec::new();
    // A range: the number is followed or preceded by a sign and another number.
    let next_is_number = |rest: &str| {
        let mut chars = rest.chars();
        chars.next().is_some_and(|c| RANGE_SIGNS.contains(&c))
            && chars.next().is_some_and(|c| c.is_ascii_digit())
    };
    let prev_is_number = before
        .chars()
        .next_back()
        .is_some_and(|c| RANGE_SIGNS.contains(&c))
        && before
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| c.is_ascii_digit() || c == '%');
    // The sign may follow the number's unit: 5%-8%, 1个至2个.
    let after_unit = after.trim_start_matches(|c: char| !RANGE_SIGNS.contains(&c));
    if next_is_number(after_unit) || prev_is_number {
        forms.push((Form::Range, "区间".to_owned()));
    }
    for part in [before, after] {
        let mut rest = part;
        while let Some(c) = rest.chars().next() {
            if let Some((word, f)) = OPERATOR_WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
                forms.push((*f, (*word).to_owned()));
                rest = rest.get(word.len()..).unwrap_or_default();
            } else {
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
    }
    forms
}

fn operator(rule: &Rule, text: &str, number: &Written, findings: &mut Vec<Finding>) {
    let Some(actual) = form(&rule.target) else {
        return;
    };
    let worded = worded_forms(text, number);
    if worded.is_empty() || worded.iter().any(|(f, _)| *f == actual) {
        return;
    }
    // A share cannot pass 100%: 达到100% is met only at 100%, so `==` says the same as `>=`.
    let full_share =
        matches!(&rule.target, Target::Compare { op: Op::Eq, value } if is_full_share(value));
    if full_share && worded.iter().any(|(f, _)| *f == Form::Op(Op::Ge)) {
        return;
    }
    let Some((expected, word)) = worded.first() else {
        return;
    };
    findings.push(finding(
        "plancheck::lint::quote-operator",
        format!(
            "比较符 {} 与原文“{word}”不一致",
            actual.notation()
        ),
        Some(format!(
            "原文“{word}”应写作 {}：以上、不少于、不低于、达到为 >=；超过、突破、高于为 >；以内、不超过、控制在为 <=；左右为 ~=；a-b 为 in",
            expected.notation()
        )),
        vec![
            (&rule.target_loc, format!("应为 {}", expected.notation())),
            (
                rule.quote.as_ref().map_or(&rule.loc, |q| &q.loc),
                format!("原文写“{word}”"),
            ),
        ],
    ));
}

/// The unit the sentence writes right after `number`: the longest unit name of the registry
/// the text starts with (家 in 200家以上, 元 in 150亿元 once 亿 is read as scale).
fn written_unit(text: &str, number: &Written) -> Option<&'static crate::units::Unit> {
    let after = text.get(number.span.end..)?.replace('％', "%");
    crate::units::all_names()
        .into_iter()
        .filter(|name| after.starts_with(name))
        .max_by_key(|name| name.len())
        .and_then(crate::units::lookup)
}

/// The unit agrees with the sentence: 200家 is not `200 个`. Scale words belong to the number
/// (1.2万人 is 12000 人), so a unit is compared without its 万 or 亿.
fn unit(rule: &Rule, text: &str, number: &Written, findings: &mut Vec<Finding>) {
    let Some(expected) = rule.target.unit() else {
        return;
    };
    let Some(written) = written_unit(text, number) else {
        return;
    };
    let bare = expected.name.trim_start_matches(['万', '亿', '千']);
    let bare = if bare.is_empty() { expected.name } else { bare };
    // 3个百分点: a measure word may stand before the unit.
    let near: String = text
        .get(number.span.end..)
        .unwrap_or_default()
        .chars()
        .take(bare.chars().count() + 2)
        .collect();
    if written.dimension == expected.dimension || near.contains(bare) {
        return;
    }
    findings.push(finding(
        "plancheck::lint::quote-unit",
        format!("单位 {} 与原文的“{}”不一致", expected.name, written.name),
        Some(format!(
            "原文的数值以“{}”计：单位应与原文一致，只有同一量纲的单位才能换算",
            written.name
        )),
        vec![
            (&rule.target_loc, format!("单位为 {}", expected.name)),
            (
                rule.quote.as_ref().map_or(&rule.loc, |q| &q.loc),
                format!("原文写“{}”", written.name),
            ),
        ],
    ));
}

/// 清零 and 不发生 set a target of exactly zero.
fn zero(rule: &Rule, text: &str, findings: &mut Vec<Finding>) {
    let Some(word) = ["清零", "不发生"].into_iter().find(|w| text.contains(w)) else {
        return;
    };
    let is_zero = match &rule.target {
        Target::Compare { op: Op::Eq, value } => value.amount.is_zero(),
        Target::Done => return,
        _ => false,
    };
    if is_zero {
        return;
    }
    findings.push(finding(
        "plancheck::lint::quote-operator",
        format!("原文“{word}”应写作 == 0"),
        Some(format!("“{word}”即一个也没有：写作 指标 == 0 单位")),
        vec![
            (&rule.target_loc, "应为 == 0".to_owned()),
            (
                rule.quote.as_ref().map_or(&rule.loc, |q| &q.loc),
                format!("原文写“{word}”"),
            ),
        ],
    ));
}

fn strength(rule: &Rule, sentence: &str, end: usize, findings: &mut Vec<Finding>) {
    let words: Vec<&str> = MUST_WORDS.iter().chain(STRIVE_WORDS).copied().collect();
    let Some(word) = governing_word(sentence, end, &words) else {
        return;
    };
    let expected = if STRIVE_WORDS.contains(&word) {
        Strength::Strive
    } else {
        Strength::Must
    };
    if expected == rule.strength {
        return;
    }
    let quoted = rule.quote.as_ref().is_some_and(|q| q.text.contains(word));
    let whence = if quoted { "原文" } else { "同一句前文" };
    findings.push(finding(
        "plancheck::lint::quote-strength",
        format!(
            "强度与原文不一致：{whence}的“{word}”是{}，规则却是{}",
            strength_name(expected),
            strength_name(rule.strength)
        ),
        Some(format!(
            "在规则前写 {}；力争、争取、争创、申创、奋力、力促为力争目标（未达标是警告），确保、必须、严格、坚决为确保目标",
            expected.word()
        )),
        vec![
            (&rule.loc, format!("应为 {}", expected.word())),
            (
                rule.quote.as_ref().map_or(&rule.loc, |q| &q.loc),
                format!("{whence}有“{word}”"),
            ),
        ],
    ));
}

fn strength_name(strength: Strength) -> &'static str {
    match strength {
        Strength::Must => "确保目标",
        Strength::Strive => "力争目标",
    }
}

fn increment(rule: &Rule, sentence: &str, end: usize, findings: &mut Vec<Finding>) {
    if !matches!(
        rule.target,
        Target::Compare { .. } | Target::Range { .. } | Target::Approx { .. }
    ) {
        return;
    }
    let Some(word) = governing_word(sentence, end, INCREMENT_WORDS) else {
        return;
    };
    if rule.kind == Some(MetricKind::Cumulative)
        || INCREMENT_NAMES.iter().any(|w| rule.metric.contains(w))
    {
        return;
    }
    findings.push(finding(
        "plancheck::lint::increment",
        format!("原文“{word}”说的是年内增量，规则却检查总量"),
        Some(format!(
            "把指标名写作“{word}{}”，或加 kind cumulative，使数值按年内新增判断",
            rule.metric
        )),
        vec![
            (&rule.metric_loc, "指标名不含增量".to_owned()),
            (
                rule.quote.as_ref().map_or(&rule.loc, |q| &q.loc),
                format!("“{word}”管到这一句"),
            ),
        ],
    ));
}
