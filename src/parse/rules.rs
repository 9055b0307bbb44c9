//! One rule line: strength, metric, target and clauses, read from its pairs.

use super::error::{span, PlanError};
use super::grammar::Rule as G;
use super::values::{org_names, quantity, trimmed, unescape, WrittenQuantity};
use crate::model::{Op, Quote, Rule, Strength, Target};
use crate::source::{RuleFileId, RuleLoc, Span};
use pest::iterators::Pair;

/// What a rule line says, before it is placed in a task.
pub struct RuleParts {
    pub strength: Strength,
    pub metric: String,
    pub metric_span: Span,
    /// `None` when the value has an error (reported in `errors`): a rule with a misread
    /// target must not be checked at all.
    pub target: Option<Target>,
    pub target_span: Span,
    pub clauses: Vec<Clause>,
    pub errors: Vec<PlanError>,
}

pub fn rule_parts(line: Pair<'_, G>) -> RuleParts {
    let mut parts = RuleParts {
        strength: Strength::Must,
        metric: String::new(),
        metric_span: 0..0,
        target: None,
        target_span: 0..0,
        clauses: Vec::new(),
        errors: Vec::new(),
    };
    for part in line.into_inner() {
        match part.as_rule() {
            G::strength => parts.strength = strength(part.as_str()),
            G::milestone => {
                for piece in part.into_inner() {
                    match piece.as_rule() {
                        G::kw_done => {
                            parts.target = Some(Target::Done);
                            parts.target_span = trimmed(&piece);
                        }
                        _ => parts.metric(&piece),
                    }
                }
            }
            G::comparison => {
                for piece in part.into_inner() {
                    match piece.as_rule() {
                        G::compare | G::range => {
                            parts.target_span = trimmed(&piece);
                            match target(piece) {
                                Ok(target) => parts.target = Some(target),
                                Err(errors) => parts.errors.extend(errors),
                            }
                        }
                        _ => parts.metric(&piece),
                    }
                }
            }
            _ => parts.clauses.extend(Clause::read(part)),
        }
    }
    parts
}

impl RuleParts {
    fn metric(&mut self, name: &Pair<'_, G>) {
        self.metric_span = trimmed(name);
        self.metric = match name.as_rule() {
            G::string => unescape(name),
            _ => name.as_str().to_owned(),
        };
    }
}

fn strength(word: &str) -> Strength {
    match word {
        "力争" | "争取" | "争创" => Strength::Strive,
        _ => Strength::Must,
    }
}

fn op(symbol: &str) -> Op {
    match symbol {
        ">=" | "≥" | "＞＝" => Op::Ge,
        ">" | "＞" => Op::Gt,
        "<=" | "≤" | "＜＝" => Op::Le,
        "<" | "＜" => Op::Lt,
        _ => Op::Eq,
    }
}

/// The target of a `compare` or `range` pair, or every error in its values.
fn target(pair: Pair<'_, G>) -> Result<Target, Vec<PlanError>> {
    let whole = trimmed(&pair);
    let is_range = pair.as_rule() == G::range;
    let mut comparison = Op::Eq;
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for part in pair.into_inner() {
        match part.as_rule() {
            G::op => comparison = op(part.as_str()),
            G::quantity => match quantity(part) {
                Ok(value) => values.push(value),
                Err(error) => errors.push(error),
            },
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match (is_range, values.as_slice()) {
        (false, [value]) => Ok(Target::Compare {
            op: comparison,
            value: value.quantity,
        }),
        (true, [low, high]) => range(low, high, &whole).map_err(|error| vec![error]),
        // The grammar gives a compare one quantity and a range two.
        _ => Err(Vec::new()),
    }
}

/// `in LO..HI UNIT`: the unit written after HI is both ends' unit. A unit after LO is
/// tolerated when it is the same one.
fn range(low: &WrittenQuantity, high: &WrittenQuantity, whole: &Span) -> Result<Target, PlanError> {
    if let Some(low_span) = &low.unit_span {
        if low.quantity.unit != high.quantity.unit {
            return Err(PlanError::RangeUnits {
                low: span(low_span),
                high: high.unit_span.as_ref().map(span),
            });
        }
    }
    let unit = high.quantity.unit;
    let (low, high) = (low.quantity.amount, high.quantity.amount);
    if low > high {
        return Err(PlanError::EmptyRange { at: span(whole) });
    }
    Ok(Target::Range {
        low: crate::units::Quantity::new(low, unit),
        high: crate::units::Quantity::new(high, unit),
    })
}

/// A `from`, `by` or `due` clause, on the rule's line or a line below it.
pub struct Clause {
    pub span: Span,
    value: ClauseValue,
}

enum ClauseValue {
    From { text: String, literal: Span },
    By(Vec<String>),
    Due(String),
}

impl Clause {
    pub fn read(pair: Pair<'_, G>) -> Option<Clause> {
        let span = trimmed(&pair);
        let value = match pair.as_rule() {
            G::from_clause => {
                let string = pair.into_inner().find(|p| p.as_rule() == G::string)?;
                ClauseValue::From {
                    text: unescape(&string),
                    literal: trimmed(&string),
                }
            }
            G::by_clause => ClauseValue::By(org_names(pair)),
            G::due_clause => {
                let date = pair.into_inner().find(|p| p.as_rule() == G::due_date)?;
                ClauseValue::Due(date.as_str().to_owned())
            }
            _ => return None,
        };
        Some(Clause { span, value })
    }

    pub fn keyword(&self) -> &'static str {
        match self.value {
            ClauseValue::From { .. } => "from",
            ClauseValue::By(_) => "by",
            ClauseValue::Due(_) => "due",
        }
    }

    pub fn apply(self, rule: &mut Rule, file: RuleFileId) {
        match self.value {
            ClauseValue::From { text, literal } => {
                rule.quote = Some(Quote {
                    text,
                    loc: RuleLoc {
                        file,
                        span: literal,
                    },
                });
            }
            ClauseValue::By(reporters) => rule.reporters = reporters,
            ClauseValue::Due(date) => rule.due = Some(date),
        }
    }
}

/// Where a rule's clauses were first given, to report a second one of a kind.
#[derive(Default)]
pub struct ClauseSlots {
    from: Option<Span>,
    by: Option<Span>,
    due: Option<Span>,
}

impl ClauseSlots {
    /// Records `clause`; returns where the first one of its kind was if it is a repeat.
    pub fn take(&mut self, clause: &Clause) -> Option<Span> {
        let slot = match clause.value {
            ClauseValue::From { .. } => &mut self.from,
            ClauseValue::By(_) => &mut self.by,
            ClauseValue::Due(_) => &mut self.due,
        };
        match slot {
            Some(first) => Some(first.clone()),
            None => {
                *slot = Some(clause.span.clone());
                None
            }
        }
    }
}
