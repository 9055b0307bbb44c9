//! One rule line: strength, metric, target and clauses, read from its pairs.

use super::error::{span, PlanError};
use super::grammar::Rule as G;
use super::values::{
    is_percent, org_names, percent, quantity, trimmed, unescape, unit_words, WrittenQuantity,
};
use crate::model::{
    Allocation, Checkpoint, MetricKind, Op, Quote, Rank, Reference, Relation, Rule, Side, Strength,
    Target, Tolerance,
};
use crate::period::Period;
use crate::source::{RuleFileId, RuleLoc, Span};
use crate::units::{Dimension, Quantity};
use pest::iterators::Pair;
use rust_decimal::Decimal;
use std::sync::Arc;

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
    /// Errors of the target and of the clauses; a clause with an error is left out.
    pub errors: Vec<PlanError>,
}

/// The parts of a `rule_stmt` pair of `file`.
pub fn rule_parts(line: Pair<'_, G>, file: RuleFileId) -> RuleParts {
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
                        G::string | G::bare_name => parts.metric(&piece),
                        _ => {
                            parts.target_span = trimmed(&piece);
                            match target(piece, file) {
                                Ok(target) => parts.target = Some(target),
                                Err(errors) => parts.errors.extend(errors),
                            }
                        }
                    }
                }
            }
            _ => parts.clauses.extend(Clause::read(part, &mut parts.errors)),
        }
    }
    parts
}

impl RuleParts {
    fn metric(&mut self, name: &Pair<'_, G>) {
        self.metric_span = trimmed(name);
        self.metric = metric_name(name);
        // `""`, `"   "` or a lone zero-width space would name a metric nobody can report or
        // see.
        if crate::source::invisible_only(&self.metric) {
            self.errors.push(PlanError::Blank {
                what: "指标名称",
                at: span(&self.metric_span),
            });
        }
    }
}

/// The name of a `string` or `bare_name` metric pair.
pub fn metric_name(name: &Pair<'_, G>) -> String {
    match name.as_rule() {
        G::string => unescape(name),
        _ => name.as_str().to_owned(),
    }
}

fn strength(word: &str) -> Strength {
    match word {
        "力争" | "争取" | "争创" => Strength::Strive,
        _ => Strength::Must,
    }
}

/// The side of an `approx_op`: `~>=` at least about, `~<=` at most about, else either way.
pub fn side(symbol: &str) -> Side {
    if symbol.contains(['>', '＞']) {
        Side::AtLeast
    } else if symbol.contains(['<', '＜']) {
        Side::AtMost
    } else {
        Side::Both
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

/// The target of a `compare`, `range`, `approx`, `growth`, `change` or `against` pair, or
/// every error in its values.
/// The target of an `adjust` line: its `adjust_target` pair, read as a rule's.
pub fn adjusted_target(pair: Pair<'_, G>, file: RuleFileId) -> Result<Target, Vec<PlanError>> {
    match pair.into_inner().next() {
        Some(piece) => target(piece, file),
        None => Err(Vec::new()),
    }
}

fn target(pair: Pair<'_, G>, file: RuleFileId) -> Result<Target, Vec<PlanError>> {
    match pair.as_rule() {
        G::compare | G::range => Ok(match bound(pair)? {
            Bound::One(op, value) => Target::Compare {
                op,
                value: value.quantity,
            },
            Bound::Range { low, high, .. } => Target::Range { low, high },
        }),
        G::approx => {
            let (side, value) = approx(pair)?;
            Ok(Target::Approx {
                value: value.quantity,
                within: None,
                side,
            })
        }
        G::growth | G::change => relative(pair, file),
        G::rank => rank(pair),
        G::against => {
            let mut comparison = Op::Eq;
            let mut reference = Reference::LastYear;
            for part in pair.into_inner() {
                match part.as_rule() {
                    G::op => comparison = op(part.as_str()),
                    _ => reference = read_reference(&part, file).unwrap_or(reference),
                }
            }
            Ok(Target::Relative {
                relation: Relation::Compare(comparison),
                reference,
            })
        }
        _ => Err(Vec::new()),
    }
}

/// The side and value of an `approx` pair: `~>= 5%`.
fn approx(pair: Pair<'_, G>) -> Result<(Side, WrittenQuantity), Vec<PlanError>> {
    let mut found = Side::Both;
    let mut value = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            G::approx_op => found = side(part.as_str()),
            G::quantity => value = Some(quantity(part).map_err(|error| vec![error])?),
            _ => {}
        }
    }
    // The grammar gives `~=` one quantity.
    Ok((found, value.ok_or_else(Vec::new)?))
}

const RANK_HELP: &str =
    "名次是正整数，1 为最好：rank <= 3（前三名）、rank == 1（第一）、rank improves（位次前移）";

/// `rank <= 3 [名]`, `rank improves` or `rank holds`.
fn rank(pair: Pair<'_, G>) -> Result<Target, Vec<PlanError>> {
    for part in pair.into_inner() {
        match part.as_rule() {
            G::rank_trend => {
                return Ok(Target::Rank(if part.as_str() == "improves" {
                    Rank::Improves
                } else {
                    Rank::Holds
                }))
            }
            G::compare => {
                if let Bound::One(op, written) = bound(part)? {
                    let place = place(&written).map_err(|error| vec![error])?;
                    return Ok(Target::Rank(Rank::Place { op, place }));
                }
            }
            _ => {}
        }
    }
    // The grammar gives `rank` a trend or a comparison.
    Err(Vec::new())
}

/// A place as written in a rank target: a whole number from 1, bare or in 名 or 位.
fn place(written: &WrittenQuantity) -> Result<u32, PlanError> {
    let unit_ok = written.quantity.unit.is_none_or(crate::units::is_rank_unit);
    if !unit_ok {
        return Err(PlanError::BadRank {
            found: format!("{}不是名次", unit_words(written.quantity.unit)),
            at: span(&written.unit_or_number()),
            help: RANK_HELP,
        });
    }
    let amount = written.quantity.amount;
    let whole = amount.fract().is_zero() && amount >= Decimal::ONE;
    match u32::try_from(amount.normalize().mantissa()).ok() {
        Some(place) if whole && amount.normalize().scale() == 0 => Ok(place),
        _ => Err(PlanError::BadRank {
            found: format!("{} 不是正整数", crate::units::format_amount(amount)),
            at: span(&written.span),
            help: RANK_HELP,
        }),
    }
}

/// The value part of a `compare` or `range`: `>= 91%` or `in 1..2 个`.
enum Bound {
    One(Op, WrittenQuantity),
    Range {
        low: Quantity,
        high: Quantity,
        /// Where the shared unit is written (the number, if there is none).
        unit_at: Span,
    },
}

fn bound(pair: Pair<'_, G>) -> Result<Bound, Vec<PlanError>> {
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
    let mut values = values.into_iter();
    match (is_range, values.next(), values.next()) {
        (false, Some(value), None) => Ok(Bound::One(comparison, value)),
        (true, Some(low), Some(high)) => {
            let (low_q, high_q) = range_ends(&low, &high, &whole).map_err(|error| vec![error])?;
            Ok(Bound::Range {
                low: low_q,
                high: high_q,
                unit_at: high.unit_or_number(),
            })
        }
        // The grammar gives a compare one quantity and a range two.
        _ => Err(Vec::new()),
    }
}

/// `in LO..HI UNIT`: the unit written after HI is both ends' unit. A unit after LO is
/// tolerated when it is the same one.
fn range_ends(
    low: &WrittenQuantity,
    high: &WrittenQuantity,
    whole: &Span,
) -> Result<(Quantity, Quantity), PlanError> {
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
    Ok((Quantity::new(low, unit), Quantity::new(high, unit)))
}

const GROWTH_HELP: &str =
    "增长率写作 growth >= 20% 或 growth in 5..8 %；数量的增减写作 change >= 5 亿元";

/// `growth …` or `change …`, against last year unless `vs` names another reference.
fn relative(pair: Pair<'_, G>, file: RuleFileId) -> Result<Target, Vec<PlanError>> {
    let is_growth = pair.as_rule() == G::growth;
    let mut relation = None;
    let mut reference = Reference::LastYear;
    for part in pair.into_inner() {
        match part.as_rule() {
            G::approx => {
                let (side, value) = approx(part)?;
                relation = Some(Relation::GrowthApprox {
                    rate: value
                        .percent("growth 的增长率", GROWTH_HELP)
                        .map_err(|error| vec![error])?,
                    side,
                    within: None,
                });
            }
            G::in_step => {
                let mut op_of = None;
                let mut side_of = Side::Both;
                let mut of_growth = false;
                for piece in part.into_inner() {
                    match piece.as_rule() {
                        G::op => op_of = Some(op(piece.as_str())),
                        G::approx_op => side_of = side(piece.as_str()),
                        G::metric_ref => {
                            if let Some(found) = read_reference(&piece, file) {
                                reference = found;
                            }
                        }
                        G::growth_of => {
                            of_growth = true;
                            if let Some(found) =
                                piece.into_inner().find_map(|p| read_reference(&p, file))
                            {
                                reference = found;
                            }
                        }
                        _ => {}
                    }
                }
                relation = Some(Relation::InStep {
                    op: op_of,
                    side: side_of,
                    within: None,
                    of_growth,
                });
            }
            G::compare | G::range => {
                let value = bound(part)?;
                relation = Some(if is_growth {
                    growth(value).map_err(|error| vec![error])?
                } else {
                    change(value)
                });
            }
            G::versus => {
                if let Some(found) = part.into_inner().find_map(|p| read_reference(&p, file)) {
                    reference = found;
                }
            }
            _ => {}
        }
    }
    let relation = relation.ok_or_else(Vec::new)?;
    Ok(Target::Relative {
        relation,
        reference,
    })
}

/// A growth rate is in per cent, whatever the metric's own unit.
fn growth(value: Bound) -> Result<Relation, PlanError> {
    const WHAT: &str = "growth 的增长率";
    Ok(match value {
        Bound::One(op, rate) => Relation::Growth {
            op,
            rate: rate.percent(WHAT, GROWTH_HELP)?,
        },
        Bound::Range { low, high, unit_at } => Relation::GrowthRange {
            low: low.amount,
            high: percent(&high, &unit_at, WHAT, GROWTH_HELP)?,
        },
    })
}

fn change(value: Bound) -> Relation {
    match value {
        Bound::One(op, amount) => Relation::Change {
            op,
            amount: amount.quantity,
        },
        Bound::Range { low, high, .. } => Relation::ChangeRange { low, high },
    }
}

/// The reference a `kw_last_year` or `metric_ref` pair names; `None` for other pairs.
fn read_reference(pair: &Pair<'_, G>, file: RuleFileId) -> Option<Reference> {
    match pair.as_rule() {
        G::kw_last_year => Some(Reference::LastYear),
        G::metric_ref => {
            let name = pair
                .clone()
                .into_inner()
                .find(|p| matches!(p.as_rule(), G::string | G::bare_name))?;
            Some(Reference::Metric {
                name: metric_name(&name),
                loc: RuleLoc {
                    file,
                    span: trimmed(&name),
                },
            })
        }
        _ => None,
    }
}

/// A clause of a rule, on the rule's line or a line below it.
pub struct Clause {
    pub span: Span,
    /// `from`, `by`, …: the word a clause starts with, which names it in messages.
    pub keyword: &'static str,
    value: ClauseValue,
}

enum ClauseValue {
    From {
        text: String,
        literal: Span,
    },
    By(Vec<String>),
    Due(String),
    Kind(MetricKind),
    /// The checkpoints, each with the span of the whole checkpoint.
    Schedule(Vec<(Checkpoint, Span)>),
    Summed,
    /// The value, and the year it is of when written (`in 2020`).
    Baseline(WrittenQuantity, Option<i16>),
    /// `toward 2025`.
    Toward(i16),
    /// `via 2023 8.5%, …`.
    Via(Vec<(i16, WrittenQuantity)>),
    Within(WrittenQuantity),
    AllowNegative(String),
    AllowOver100(String),
    SumOfPlans,
    /// Each plan's id and share, with the span of the pair.
    Allocate(Vec<(String, WrittenQuantity, Span)>),
    /// A clause whose value has an error, already reported: it still counts as given (a
    /// second one is a repeat, a `~=` rule with a broken `within` is not also without a
    /// tolerance) but sets nothing.
    Broken,
}

impl Clause {
    /// The clause of a clause pair, `None` for other pairs. An error in its value goes to
    /// `errors` and leaves the clause broken.
    pub fn read(pair: Pair<'_, G>, errors: &mut Vec<PlanError>) -> Option<Clause> {
        let keyword = match pair.as_rule() {
            G::from_clause => "from",
            G::by_clause => "by",
            G::due_clause => "due",
            G::kind_clause => "kind",
            G::schedule_clause => "schedule",
            G::summed_clause => "summed",
            G::baseline_clause => "baseline",
            G::within_clause => "within",
            G::allow_negative_clause => "allow negative",
            G::allow_over_clause => "allow over 100%",
            G::sum_clause => "sum of plans",
            G::allocate_clause => "allocate",
            G::toward_clause => "toward",
            G::via_clause => "via",
            _ => return None,
        };
        let span = trimmed(&pair);
        let value = match clause_value(pair) {
            Ok(value) => value?,
            Err(error) => {
                errors.push(error);
                ClauseValue::Broken
            }
        };
        Some(Clause {
            span,
            keyword,
            value,
        })
    }

    /// The periods of a `schedule` clause with the span of each checkpoint, to check them
    /// against the plan period once every file is read.
    pub fn checkpoints(&self) -> Option<Vec<(Period, Span)>> {
        match &self.value {
            ClauseValue::Schedule(points) => Some(
                points
                    .iter()
                    .map(|(point, at)| (point.period, at.clone()))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Sets the clause's field of `rule`, or says why its value does not fit the rule.
    pub fn apply(self, rule: &mut Rule, file: RuleFileId) -> Result<(), PlanError> {
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
            ClauseValue::By(reporters) => {
                rule.reporters = reporters.into_iter().map(Arc::from).collect();
            }
            ClauseValue::Due(date) => rule.due = Some(date),
            ClauseValue::Kind(kind) => rule.kind = Some(kind),
            ClauseValue::Schedule(points) => {
                rule.schedule = points.into_iter().map(|(point, _)| point).collect();
            }
            ClauseValue::Summed => rule.summed = true,
            ClauseValue::AllowNegative(reason) => rule.allow_negative = Some(reason),
            ClauseValue::AllowOver100(reason) => rule.allow_over_100 = Some(reason),
            ClauseValue::SumOfPlans => rule.sum_of_plans = true,
            ClauseValue::Allocate(shares) => {
                for (plan, written, at) in shares {
                    same_dimension("allocate", &written, rule)?;
                    rule.allocations.push(Allocation {
                        plan,
                        value: written.quantity,
                        loc: RuleLoc { file, span: at },
                    });
                }
            }
            ClauseValue::Broken => {}
            ClauseValue::Toward(year) => rule.toward = Some(year),
            ClauseValue::Via(points) => {
                for (year, written) in points {
                    same_dimension("via", &written, rule)?;
                    rule.via.push((year, written.quantity));
                }
            }
            ClauseValue::Baseline(written, year) => {
                rule.baseline_year = year;
                same_dimension("baseline", &written, rule)?;
                rule.baseline = Some(written.quantity);
            }
            ClauseValue::Within(written) => match &mut rule.target {
                Target::Approx { value, within, .. } => {
                    *within = Some(tolerance(&written, value, &rule.target_loc)?);
                }
                Target::Relative {
                    relation:
                        Relation::GrowthApprox { within, .. }
                        | Relation::InStep {
                            op: None, within, ..
                        },
                    ..
                } => *within = Some(points(&written)?),
                _ => {
                    return Err(PlanError::WithinNotApprox {
                        at: span(&self.span),
                        target: span(&rule.target_loc.span),
                    })
                }
            },
        }
        Ok(())
    }
}

/// The value of a clause pair; `None` if the grammar left a part out, which it does not.
fn clause_value(pair: Pair<'_, G>) -> Result<Option<ClauseValue>, PlanError> {
    let rule = pair.as_rule();
    let mut inner = pair.clone().into_inner();
    let mut part = |wanted: G| inner.find(|p| p.as_rule() == wanted);
    let value = match rule {
        G::from_clause => {
            let Some(string) = part(G::string) else {
                return Ok(None);
            };
            ClauseValue::From {
                text: unescape(&string),
                literal: trimmed(&string),
            }
        }
        G::by_clause => ClauseValue::By(org_names(pair)),
        G::due_clause => {
            let Some(date) = part(G::due_date) else {
                return Ok(None);
            };
            let text = date.as_str();
            if text.parse::<jiff::civil::Date>().is_err() {
                return Err(PlanError::BadDate {
                    text: text.to_owned(),
                    at: span(&trimmed(&date)),
                });
            }
            ClauseValue::Due(text.to_owned())
        }
        G::kind_clause => {
            let Some(kind) = part(G::metric_kind) else {
                return Ok(None);
            };
            ClauseValue::Kind(match kind.as_str() {
                "cumulative" | "累计" => MetricKind::Cumulative,
                "milestone" | "里程碑" => MetricKind::Milestone,
                _ => MetricKind::Level,
            })
        }
        G::schedule_clause => ClauseValue::Schedule(schedule(pair)?),
        G::summed_clause => ClauseValue::Summed,
        G::allow_negative_clause | G::allow_over_clause => {
            let Some(reason) = part(G::string) else {
                return Ok(None);
            };
            let text = unescape(&reason);
            if crate::source::invisible_only(&text) {
                return Err(PlanError::Blank {
                    what: "理由",
                    at: span(&trimmed(&reason)),
                });
            }
            if rule == G::allow_negative_clause {
                ClauseValue::AllowNegative(text)
            } else {
                ClauseValue::AllowOver100(text)
            }
        }
        G::sum_clause => ClauseValue::SumOfPlans,
        G::via_clause => {
            let mut points = Vec::new();
            for point in pair.into_inner().filter(|p| p.as_rule() == G::waypoint) {
                let mut inner = point.into_inner();
                let at = inner.find(|p| p.as_rule() == G::year);
                let value = inner.find(|p| p.as_rule() == G::quantity);
                if let (Some(at), Some(value)) = (at, value) {
                    points.push((year(&at)?, quantity(value)?));
                }
            }
            ClauseValue::Via(points)
        }
        G::toward_clause => {
            let Some(found) = part(G::year) else {
                return Ok(None);
            };
            ClauseValue::Toward(year(&found)?)
        }
        G::allocate_clause => {
            let mut shares = Vec::new();
            for share in pair.into_inner().filter(|p| p.as_rule() == G::allocation) {
                let at = trimmed(&share);
                let mut inner = share.into_inner();
                let plan = inner.find(|p| p.as_rule() == G::org);
                let value = inner.find(|p| p.as_rule() == G::quantity);
                if let (Some(plan), Some(value)) = (plan, value) {
                    shares.push((plan.as_str().to_owned(), quantity(value)?, at));
                }
            }
            ClauseValue::Allocate(shares)
        }
        G::baseline_clause | G::within_clause => {
            let Some(value) = part(G::quantity) else {
                return Ok(None);
            };
            let written = quantity(value)?;
            if rule == G::baseline_clause {
                let year = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == G::baseline_year)
                    .and_then(|p| p.into_inner().find(|p| p.as_rule() == G::year))
                    .map(|y| year(&y))
                    .transpose()?;
                ClauseValue::Baseline(written, year)
            } else if written.quantity.amount.is_sign_negative() {
                return Err(PlanError::NegativeTolerance {
                    what: "within 的容差",
                    at: span(&written.span),
                });
            } else {
                ClauseValue::Within(written)
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(value))
}

/// The tolerance of a growth in 百分点: a share of a rate (`within 10%` of 5%) is not what
/// 增长5%左右 means, so it is refused rather than guessed.
fn points(written: &WrittenQuantity) -> Result<Decimal, PlanError> {
    if is_points(written.quantity.unit) {
        return Ok(written.quantity.amount);
    }
    Err(PlanError::NotPoints {
        found: format!("此处是{}", unit_words(written.quantity.unit)),
        at: span(&written.unit_or_number()),
    })
}

fn is_points(unit: Option<&crate::units::Unit>) -> bool {
    unit.is_some_and(|u| u.dimension == Dimension::PercentagePoint)
}

/// A `year` pair: four digits, so it always fits; a year jiff cannot hold is refused.
fn year(pair: &Pair<'_, G>) -> Result<i16, PlanError> {
    pair.as_str()
        .parse::<i16>()
        .ok()
        .filter(|y| jiff::civil::Date::new(*y, 1, 1).is_ok())
        .ok_or_else(|| PlanError::BadToward {
            message: format!("“{}”不是可用的年份", pair.as_str()),
            at: span(&trimmed(pair)),
            help: "年份写四位数字，如 toward 2025、baseline 63.2% in 2020".to_owned(),
        })
}

/// `within 10%` is a share of the value; `within 2 个` an amount in the value's dimension, and
/// a bare `within 2` is in the value's unit. On a value in per cent (or ‰), `within 0.5
/// 百分点` is percentage points.
fn tolerance(
    written: &WrittenQuantity,
    value: &Quantity,
    target: &RuleLoc,
) -> Result<Tolerance, PlanError> {
    let amount = written.quantity.amount;
    let in_percent = value
        .unit
        .is_some_and(|u| u.dimension == Dimension::Percent);
    match (written.quantity.unit, value.unit) {
        (unit, _) if is_percent(unit) => Ok(Tolerance::Percent(amount)),
        (unit, _) if is_points(unit) && in_percent => Ok(Tolerance::Points(amount)),
        (None, unit) => Ok(Tolerance::Absolute(Quantity::new(amount, unit))),
        (Some(unit), Some(expected)) if unit.dimension == expected.dimension => {
            Ok(Tolerance::Absolute(written.quantity))
        }
        (Some(_), expected) => Err(units_disagree(
            "within",
            written,
            expected.map_or_else(|| unit_words(None), |u| u.dimension.describe()),
            target,
        )),
    }
}

/// A clause's amount in the dimension of the rule's target (when both have units): a
/// `baseline`, `via` point or `allocate` share of another dimension is an error.
fn same_dimension(
    clause: &'static str,
    written: &WrittenQuantity,
    rule: &Rule,
) -> Result<(), PlanError> {
    if let (Some(expected), Some(unit)) = (rule_dimension(&rule.target), written.quantity.unit) {
        if unit.dimension != expected {
            return Err(units_disagree(
                clause,
                written,
                expected.describe(),
                &rule.target_loc,
            ));
        }
    }
    Ok(())
}

/// The value of `clause` cannot be converted to the target's `expected` dimension.
fn units_disagree(
    clause: &'static str,
    written: &WrittenQuantity,
    expected: String,
    target: &RuleLoc,
) -> PlanError {
    PlanError::UnitsDisagree {
        clause,
        found: unit_words(written.quantity.unit),
        expected,
        at: span(&written.unit_or_number()),
        target: span(&target.span),
    }
}

/// The dimension a rule's figure is measured in, where its target says: the unit of its value,
/// or of the amount of a `change` (a change in 百分点 is of a figure in per cent).
fn rule_dimension(target: &Target) -> Option<Dimension> {
    let unit = match target {
        Target::Relative {
            relation: Relation::Change { amount: low, .. } | Relation::ChangeRange { low, .. },
            ..
        } => low.unit,
        other => other.unit(),
    };
    unit.map(|u| match u.dimension {
        Dimension::PercentagePoint => Dimension::Percent,
        other => other,
    })
}

/// `schedule 2023-Q1 20%, 2023-H1 50%`: periods that parse and end one after another, shares
/// in per cent between 0 and 100 that never decrease. The first problem is the error.
fn schedule(pair: Pair<'_, G>) -> Result<Vec<(Checkpoint, Span)>, PlanError> {
    let mut checkpoints: Vec<(Checkpoint, Span)> = Vec::new();
    for point in pair.into_inner().filter(|p| p.as_rule() == G::checkpoint) {
        let whole = trimmed(&point);
        let mut period = None;
        let mut share = None;
        for part in point.into_inner() {
            match part.as_rule() {
                G::checkpoint_period => match part.as_str().parse::<Period>() {
                    Ok(parsed) => period = Some(parsed),
                    Err(_) => {
                        return Err(bad_schedule(
                            format!("“{}”不是期间", part.as_str()),
                            "无法识别的期间，应如 2023-Q1、2023-H1、2023-06",
                            &trimmed(&part),
                        ))
                    }
                },
                G::quantity => share = Some(quantity(part)?),
                _ => {}
            }
        }
        // The grammar gives a checkpoint a period and a share.
        let (Some(period), Some(share)) = (period, share) else {
            continue;
        };
        if !is_percent(share.quantity.unit) {
            let label = format!("此处是{}", unit_words(share.quantity.unit));
            return Err(bad_schedule(
                "检查点的占比以 % 计".to_owned(),
                &label,
                &share.unit_or_number(),
            ));
        }
        let amount = share.quantity.amount;
        if amount < Decimal::ZERO || amount > Decimal::ONE_HUNDRED {
            return Err(bad_schedule(
                "检查点的占比须在 0% 到 100% 之间".to_owned(),
                "超出 0%–100%",
                &share.span,
            ));
        }
        if let Some((previous, _)) = checkpoints.last() {
            if period.end() <= previous.period.end() {
                return Err(bad_schedule(
                    "检查点须按期间先后排列".to_owned(),
                    &format!("不晚于前一检查点 {} 结束", previous.period),
                    &whole,
                ));
            }
            if amount < previous.share {
                return Err(bad_schedule(
                    "检查点的占比不能减少".to_owned(),
                    &format!(
                        "低于前一检查点的 {}%",
                        crate::units::format_amount(previous.share)
                    ),
                    &share.span,
                ));
            }
        }
        checkpoints.push((
            Checkpoint {
                period,
                share: amount,
            },
            whole,
        ));
    }
    Ok(checkpoints)
}

pub fn bad_schedule(problem: String, label: &str, at: &Span) -> PlanError {
    PlanError::BadSchedule {
        problem,
        label: label.to_owned(),
        at: span(at),
    }
}
