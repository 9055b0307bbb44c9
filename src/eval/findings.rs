//! The diagnostics of evaluation, worded for the departments that read them.

use super::verdict::Amount;
use super::{Observation, Problem, RuleResult, Verdict};
use crate::diagnostic::{Finding, Kind, Label, Loc, Severity};
use crate::load::{Figure, FigureValue, InvalidReason};
use crate::model::{Plan, Reference, Relation, Rule, RuleId, Target};
use crate::period::Period;
use crate::source::{DataFileId, DataLoc};
use crate::suggest::Suggestions;
use crate::units::{format_amount, shown, Quantity};
use std::sync::Arc;

const TARGET_SET_HERE: &str = "目标在此设定";

/// How a reported value reads in a message: `92.3%`, `4,600,000 万元`, `已完成`.
pub fn describe_value(value: &FigureValue) -> String {
    match value {
        FigureValue::Number(q) => q.to_string(),
        FigureValue::Done(true) => "已完成".to_owned(),
        FigureValue::Done(false) => "未完成".to_owned(),
        FigureValue::UnknownUnit { amount, unit } => format!("{} {unit}", format_amount(*amount)),
        FigureValue::Invalid { text, .. } => format!("“{text}”"),
    }
}

/// The expected progress as reports show it: rounded, but never onto the other side of the
/// figure it was compared with.
pub fn shown_expected(result: &RuleResult) -> Option<Quantity> {
    let against: Vec<_> = result.compared.iter().map(|c| c.amount).collect();
    Some(shown(result.expected?, &against))
}

/// The growth or change as reports show it: rounded, but never onto the other side of the
/// rate the target names.
pub fn shown_derived(plan: &Plan, result: &RuleResult) -> Option<Quantity> {
    let derived = result.derived?;
    let against = match plan.rule(result.rule).map(|r| &r.target) {
        Some(Target::Relative { relation, .. }) => match relation {
            Relation::Growth { rate, .. } => vec![*rate],
            Relation::GrowthRange { low, high } => vec![*low, *high],
            Relation::Change { amount, .. } => vec![amount.amount],
            Relation::ChangeRange { low, high } => vec![low.amount, high.amount],
            Relation::GrowthApprox { rate, within, .. } => edges(*rate, *within),
            // Never rounded onto the other side of the other metric's growth.
            Relation::InStep { .. } => result.peer.iter().map(|p| p.amount).collect(),
            Relation::Compare(_) => Vec::new(),
        },
        _ => Vec::new(),
    };
    Some(shown(derived, &against))
}

/// The other metric's growth as reports show it: rounded, but never onto the other side of
/// the growth it was compared with.
pub fn shown_peer(result: &RuleResult) -> Option<Quantity> {
    let against: Vec<_> = result.derived.iter().map(|d| d.amount).collect();
    Some(shown(result.peer?, &against))
}

/// A rate and the edges of its band, which a shown growth must not be rounded across.
fn edges(
    rate: rust_decimal::Decimal,
    within: Option<rust_decimal::Decimal>,
) -> Vec<rust_decimal::Decimal> {
    let mut edges = vec![rate];
    if let Some(points) = within {
        edges.extend(rate.checked_sub(points));
        edges.extend(rate.checked_add(points));
    }
    edges
}

/// The target a period was judged against, with the adjustment that set it: `>= 38000 人
/// （2023-07-01 起依 济政字〔2023〕12号 由 >= 40000 人 调整）`.
pub fn target_in_force(rule: &Rule, period: Option<crate::period::Period>) -> String {
    match period.and_then(|p| rule.adjustment_at(p.end())) {
        Some(a) => format!(
            "{}（{} 起依 {} 由 {} 调整）",
            a.target, a.from, a.document, rule.target
        ),
        None => rule.target.to_string(),
    }
}

/// For a figure judged on a multi-year target's path: the year's point as a target
/// (`>= 8%`) and what it lies on (`2023年路径值；2022年基数 7%，到2025年 >= 10%`).
pub fn path_note(rule: &Rule, result: &RuleResult) -> Option<(String, String)> {
    let year = result.period?.end().year();
    let end = rule.path_to(year)?;
    // The target in force, as the verdict used it: an approved adjustment moves the path.
    let target = rule.target_at(result.period.map(|p| p.end()));
    let Target::Compare { op, .. } = target else {
        return None;
    };
    let point = super::time::path_point(rule, target, result.reference, year, result.compared)?;
    let point = format!("{} {point}", op.symbol());
    // Last year's value is already in the message (`上年 7%`); an earlier year's is not.
    let base = match (rule.baseline_year, rule.baseline) {
        (Some(from), Some(value)) => format!("{from}年基数 {value}，"),
        _ => String::new(),
    };
    let stated = if rule.via.iter().any(|(y, _)| *y == year) {
        "（计划写明）"
    } else {
        ""
    };
    let note = format!("{year}年路径值{stated}；{base}到{end}年 {target}");
    Some((point, note))
}

/// Where a path starts: the year and value of the rule's baseline, else last year's figure.
pub fn path_baseline(rule: &Rule, result: &RuleResult, year: i16) -> Option<(i16, Quantity)> {
    match (rule.baseline_year, rule.baseline) {
        (Some(from), Some(value)) => Some((from, value)),
        _ => Some((year.checked_sub(1)?, result.reference?)),
    }
}

fn rule_label(rule: &Rule) -> Label {
    Label {
        loc: Loc::Rule(rule.target_loc.clone()),
        text: TARGET_SET_HERE.to_owned(),
    }
}

fn data_label(loc: &DataLoc, text: String) -> Label {
    Label {
        loc: Loc::Data(loc.clone()),
        text,
    }
}

/// How many units a diagnostic names before it counts the rest: a national task has
/// thousands of co-leads, and a message must stay readable.
const UNITS_NAMED: usize = 10;

/// `甲、乙、丙`, or the first `UNITS_NAMED` and how many more.
pub fn units_list<S: std::borrow::Borrow<str>>(units: &[S]) -> String {
    match units.get(..UNITS_NAMED) {
        Some(named) if units.len() > UNITS_NAMED => {
            format!("{}等 {} 个单位", named.join("、"), units.len())
        }
        _ => units.join("、"),
    }
}

/// 牵头单位 and the cited sentence: who answers for the target, and where it comes from.
fn rule_help(plan: &Plan, rule: &Rule) -> String {
    let task = plan.task(rule.task);
    let mut help = match task {
        Some(task) => format!("任务{}「{}」", task.number, task.title),
        None => String::new(),
    };
    let leads = task.map(|t| units_list(&t.leads)).unwrap_or_default();
    help.push_str(&format!("，牵头单位：{leads}"));
    if let Some(task) = task.filter(|t| !t.co.is_empty()) {
        help.push_str(&format!("；责任单位：{}", units_list(&task.co)));
    }
    if let Some(task) = task.filter(|t| !t.leaders.is_empty()) {
        help.push_str(&format!("；责任领导：{}", task.leaders.join("、")));
    }
    if !rule.reporters.is_empty() {
        help.push_str(&format!("；报送单位：{}", units_list(&rule.reporters)));
    }
    if let Some(quote) = &rule.quote {
        help.push_str(&format!("\n原文：“{}”", quote.text));
    }
    help
}

fn strive_note(rule: &Rule) -> &'static str {
    match rule.strength {
        crate::model::Strength::Strive => "（力争目标）",
        crate::model::Strength::Must => "",
    }
}

fn period_text(period: Option<Period>) -> String {
    period.map_or_else(|| "本期".to_owned(), |p| p.to_string())
}

fn check_finding(
    code: &'static str,
    severity: Severity,
    message: String,
    help: String,
    labels: Vec<Label>,
) -> Finding {
    Finding {
        code,
        severity,
        kind: Kind::Check,
        message,
        help: Some(help),
        labels,
    }
}

pub fn missing(
    plan: &Plan,
    rule_id: RuleId,
    period: Option<Period>,
    severity: Severity,
) -> Option<Finding> {
    let rule = plan.rule(rule_id)?;
    let units = plan.responsible(rule);
    let who = match units.len() {
        1 => format!("{}未填报此项", units.join("")),
        _ => format!("{}均未填报此项", units_list(units)),
    };
    let period = period_text(period);
    let message = format!(
        "{}{} 未报送：{period} 期间{who}",
        rule.metric,
        strive_note(rule)
    );
    let help = format!(
        "{}\n请在 {period} 的填报文件中加入“{}”一项",
        rule_help(plan, rule),
        rule.metric
    );
    Some(check_finding(
        "plancheck::check::missing",
        severity,
        message,
        help,
        vec![rule_label(rule)],
    ))
}

/// A figure that fails in time: unmet, behind the expected progress, or overdue.
pub fn failed(plan: &Plan, result: &RuleResult, severity: Severity) -> Option<Finding> {
    let rule = plan.rule(result.rule)?;
    let reported = describe_value(result.reported.as_ref()?);
    let figure = result.figure.as_ref()?;
    let reporter = result.reporter.as_deref().unwrap_or_default();
    let period = period_text(result.period);
    let mut detail = String::new();
    if result.parts.len() > 1 {
        let parts: Vec<String> = result
            .parts
            .iter()
            .map(|p| format!("{} {}", p.reporter, describe_value(&p.reported)))
            .collect();
        detail.push_str(&format!(
            "（{}，合计 {}）",
            parts.join("、"),
            result.compared.map(|c| c.to_string()).unwrap_or_default()
        ));
    } else if let (Some(c), Some(FigureValue::Number(q))) = (result.compared, &result.reported) {
        if q.unit.is_some() && q.unit != c.unit {
            detail.push_str(&format!("（折合 {c}）"));
        }
    }
    if let Some(reference) = result.reference {
        let what = match &rule.target {
            Target::Relative {
                relation: Relation::InStep { .. },
                ..
            } => "上年".to_owned(),
            Target::Relative {
                reference: Reference::Metric { name, .. },
                ..
            } => name.clone(),
            Target::Rank(_) => "上年名次".to_owned(),
            _ => "上年".to_owned(),
        };
        detail.push_str(&format!("，{what} {reference}"));
        if let Some(derived) = shown_derived(plan, result) {
            let word = match &rule.target {
                Target::Relative {
                    relation:
                        Relation::Growth { .. }
                        | Relation::GrowthRange { .. }
                        | Relation::GrowthApprox { .. }
                        | Relation::InStep { .. },
                    ..
                } => "增长",
                _ => "变化",
            };
            detail.push_str(&format!("，{word} {derived}"));
        }
        if let (
            Some(peer),
            Target::Relative {
                reference: Reference::Metric { name, .. },
                ..
            },
        ) = (shown_peer(result), &rule.target)
        {
            detail.push_str(&format!("；{name} 增长 {peer}"));
        }
    }
    let path = path_note(rule, result);
    let (code, what, expectation) = match result.verdict {
        Verdict::Behind => (
            "plancheck::check::behind",
            "进度滞后",
            format!(
                "，按序时应达 {}（全年目标 {}）",
                shown_expected(result)
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                path.as_ref().map_or_else(
                    || target_in_force(rule, result.period),
                    |(_, note)| format!("为{note}")
                )
            ),
        ),
        Verdict::Unmet if path.is_some() => (
            "plancheck::check::unmet",
            "未达标",
            path.map(|(point, note)| format!("，目标 {point}（{note}）"))
                .unwrap_or_default(),
        ),
        Verdict::Overdue => (
            "plancheck::check::overdue",
            "逾期未完成",
            format!("，截止日期 {}", rule.due.as_deref().unwrap_or("")),
        ),
        _ => (
            "plancheck::check::unmet",
            "未达标",
            format!("，目标 {}", target_in_force(rule, result.period)),
        ),
    };
    let message = format!(
        "{}{} {what}：{reporter} {period} 报送 {reported}{detail}{expectation}",
        rule.metric,
        strive_note(rule)
    );
    let mut labels = vec![data_label(figure, format!("在此填报：{reported}"))];
    labels.extend(result.parts.iter().skip(1).map(|p| {
        data_label(
            &p.figure,
            format!("{}报送 {}", p.reporter, describe_value(&p.reported)),
        )
    }));
    labels.push(rule_label(rule));
    let mut help = rule_help(plan, rule);
    if let Some(note) = kind_note(plan, rule, result) {
        help.push('\n');
        help.push_str(&note);
    }
    Some(check_finding(code, severity, message, help, labels))
}

/// When the verdict rests on a kind the rule does not state: which kind was assumed and how
/// to change it. A cumulative figure behind its pro-rata line would be met as a level, and a
/// level below its target before the deadline would be on track as a cumulative figure.
fn kind_note(plan: &Plan, rule: &Rule, result: &RuleResult) -> Option<String> {
    use crate::model::{KindSource, MetricKind};
    let (kind, source) = rule.kind_and_source();
    let why = match source {
        KindSource::Written | KindSource::Target => return None,
        KindSource::Wording => "类型由指标名称和单位推断",
        KindSource::Default => "名称中没有可识别的流量或存量词，默认按水平判断",
    };
    let before_deadline = || {
        let deadline = super::time::deadline(rule, plan.period()?);
        Some(result.period?.end() < deadline)
    };
    match (kind, result.verdict) {
        (MetricKind::Cumulative, Verdict::Behind) => Some(format!(
            "按累计指标（年初至今，对照序时进度）判断：{why}；若该指标是比率、存量或时点数，在规则中加 kind level"
        )),
        (MetricKind::Level, Verdict::Unmet) if before_deadline() == Some(true) => Some(format!(
            "按水平指标（年中也须达到目标）判断：{why}；若该指标在年内逐步累积（投资额、新增数、产量…），在规则中加 kind cumulative"
        )),
        _ => None,
    }
}

/// A growth in step with another metric whose figure for the period, or a year earlier, is
/// missing: missing, never met. Says who should report it.
pub fn no_peer(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    observation: &Observation,
    last_year: bool,
    severity: Severity,
) -> Option<Finding> {
    let rule = plan.rule(rule_id)?;
    let Target::Relative {
        reference: Reference::Metric { name, .. },
        ..
    } = &rule.target
    else {
        return None;
    };
    let wanted = if last_year {
        period.previous_year()
    } else {
        period
    };
    let who = reporters_of(plan, name);
    let message = if last_year {
        format!(
            "{} 无法与“{name}”的增长比较：没有“{name}” {wanted} 的数值，无法计算其增长",
            rule.metric
        )
    } else {
        format!(
            "{} 无法与“{name}”的增长比较：{period} 没有“{name}”的报送值",
            rule.metric
        )
    };
    let help = match who {
        Some(who) => format!("请{who}报送 {wanted} 的“{name}”"),
        None => format!("请报送 {wanted} 的“{name}”"),
    };
    let help = if last_year {
        format!("{help}，或在检查“{name}”的规则中以 baseline 写明上年数值")
    } else {
        help
    };
    let labels = vec![
        data_label(&observation.value_loc, "本期数值".to_owned()),
        rule_label(rule),
    ];
    Some(check_finding(
        "plancheck::check::no-peer-figure",
        severity,
        message,
        format!("{help}\n{}", rule_help(plan, rule)),
        labels,
    ))
}

/// Who reports metric `name`: the `by` units of its `track` line, else the task's leads,
/// or the units that may report a rule that checks it.
fn reporters_of(plan: &Plan, name: &str) -> Option<String> {
    let units: Vec<Arc<str>> = match plan.tracked(name) {
        Some(tracked) => plan.tracked_reporters(tracked).to_vec(),
        None => plan
            .rules
            .iter()
            .find(|r| r.metric == name)
            .map(|r| plan.may_report(r).cloned().collect())
            .unwrap_or_default(),
    };
    (!units.is_empty()).then(|| units_list(&units))
}

/// A relative target without its reference: missing, never met.
pub fn no_reference(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    observation: &Observation,
    severity: Severity,
) -> Option<Finding> {
    let rule = plan.rule(rule_id)?;
    // A figure from outside the plan (`track NAME by 市统计局`) is owed by the office named,
    // not by the department whose figure waits for it.
    let outside = match &rule.target {
        Target::Relative {
            reference: Reference::Metric { name, .. },
            ..
        } => plan.tracked(name).filter(|t| !t.reporters.is_empty()),
        _ => None,
    };
    if let Some(tracked) = outside {
        let name = &tracked.metric;
        let who = units_list(&tracked.reporters);
        let labels = vec![
            data_label(&observation.value_loc, "本期数值".to_owned()),
            rule_label(rule),
            Label {
                loc: Loc::Rule(tracked.loc.clone()),
                text: format!("由{who}报送"),
            },
        ];
        return Some(check_finding(
            "plancheck::check::no-outside-figure",
            severity,
            format!("{} 无法比较：{who}未报送 {period} 的“{name}”", rule.metric),
            format!(
                "请{who}报送 {period} 的“{name}”（reporter: {}）\n{}",
                tracked.reporters.first().map_or("", |unit| &**unit),
                rule_help(plan, rule)
            ),
            labels,
        ));
    }
    let (message, help) = match &rule.target {
        Target::Relative {
            reference: Reference::Metric { name, .. },
            relation,
        } if !matches!(relation, Relation::InStep { .. }) => (
            format!(
                "{} 缺少比较基数：{period} 没有“{name}”的报送值",
                rule.metric
            ),
            match reporters_of(plan, name) {
                Some(who) => format!("请{who}报送 {period} 的“{name}”"),
                None => format!("请报送 {period} 的“{name}”"),
            },
        ),
        Target::Rank(_) => (
            format!(
                "{} 无法与上年名次比较：没有 {} 的名次",
                rule.metric,
                period.previous_year()
            ),
            format!(
                "请报送 {} 的“{}”，或在计划中以 baseline 写明上年名次（如 baseline 3 名）",
                period.previous_year(),
                rule.metric
            ),
        ),
        _ => (
            format!(
                "{} 缺少比较基数：没有 {} 的上年同期值",
                rule.metric,
                period.previous_year()
            ),
            match rule.baseline {
                // The stated baseline is last year's annual value: it cannot stand in for a
                // part of the year of a cumulative figure.
                Some(baseline) => format!(
                    "请报送 {} 的“{}”；计划中的 baseline {baseline} 是上年全年数值，只用于全年",
                    period.previous_year(),
                    rule.metric
                ),
                None => format!(
                    "请报送 {} 的“{}”，或在计划中以 baseline 写明上年数值",
                    period.previous_year(),
                    rule.metric
                ),
            },
        ),
    };
    let labels = vec![
        data_label(&observation.value_loc, "本期数值".to_owned()),
        rule_label(rule),
    ];
    Some(check_finding(
        "plancheck::check::no-reference",
        severity,
        message,
        format!("{help}\n{}", rule_help(plan, rule)),
        labels,
    ))
}

pub fn outside_period(
    period: Period,
    plan_period: Option<Period>,
    count: usize,
    loc: &DataLoc,
) -> Finding {
    let plan = plan_period.map(|p| p.to_string()).unwrap_or_default();
    check_finding(
        "plancheck::check::outside-period",
        Severity::Warning,
        format!("期间 {period} 不在计划期 {plan} 内：{count} 个数值未作为上年基数使用，未检查"),
        "上年数值只用于 growth、change 与 last_year 目标；请核对期间是否填错".to_owned(),
        vec![data_label(loc, format!("{period} 的数值"))],
    )
}

pub fn after_as_of(
    period: Period,
    as_of: Option<jiff::civil::Date>,
    count: usize,
    loc: &DataLoc,
) -> Finding {
    let as_of = as_of.map(|d| d.to_string()).unwrap_or_default();
    check_finding(
        "plancheck::check::after-as-of",
        Severity::Warning,
        format!("期间 {period} 晚于检查日期 {as_of}：{count} 个数值未检查"),
        "用 --as-of 指定更晚的检查日期即可检查这些数值".to_owned(),
        vec![data_label(loc, format!("{period} 的数值"))],
    )
}

pub fn unusable(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    observation: &Observation,
    problem: &Problem,
    severity: Severity,
) -> Option<Finding> {
    let rule = plan.rule(rule_id)?;
    let reporter = &observation.reporter;
    let (code, message, label, extra_help) = match problem {
        Problem::WrongUnit { reported, expected } => {
            let expected_name = expected.map_or("（无单位）", |u| u.name);
            let dimensions = match (crate::units::lookup(reported), expected) {
                (Some(r), Some(e)) => format!(
                    "：{}无法换算为{}",
                    r.dimension.describe(),
                    e.dimension.describe()
                ),
                (None, _) if reported != "（无单位）" => "：计量单位不在登记表中".to_owned(),
                _ => String::new(),
            };
            (
                "plancheck::check::wrong-unit",
                format!(
                    "{} 的计量单位不符：{reporter} {period} 报送单位“{reported}”，目标单位“{expected_name}”{dimensions}",
                    rule.metric
                ),
                format!("单位“{reported}”"),
                format!("请按“{expected_name}”填报，或换算为同类单位"),
            )
        }
        Problem::WrongKind { milestone: true } => (
            "plancheck::check::wrong-kind",
            format!(
                "{} 是里程碑目标，{reporter} {period} 报送的 {} 不是完成状态：数值只能填 1（已完成）或 0（未完成）",
                rule.metric,
                describe_value(&observation.value)
            ),
            "应填报完成状态".to_owned(),
            "已完成填 done、true、完成、是、√ 或 1，未完成填 false、未完成、否、× 或 0".to_owned(),
        ),
        Problem::WrongKind { milestone: false } => (
            "plancheck::check::wrong-kind",
            format!(
                "{} 是数值目标，{reporter} {period} 却报送了完成状态",
                rule.metric
            ),
            "应填报数值".to_owned(),
            format!("请填报数值，目标为 {}", rule.target),
        ),
        Problem::ZeroReference => (
            "plancheck::check::invalid-value",
            format!("{} 无法计算增长：{period} 的比较基数为零", rule.metric),
            "基数为零".to_owned(),
            "请核对上年数值或计划中的 baseline".to_owned(),
        ),
        Problem::BadRank(place) => (
            "plancheck::check::invalid-value",
            format!(
                "{} 的名次无效：{reporter} {period} 报送 {}，名次须为正整数",
                rule.metric,
                format_amount(*place)
            ),
            "不是正整数".to_owned(),
            "名次从 1 起计（第一名为 1），填报整数，如 1、2、\"3名\"".to_owned(),
        ),
        // Reported as missing by the caller; kept here so every problem has words.
        Problem::NoPeer { .. } => (
            "plancheck::check::no-peer-figure",
            format!("{} 缺少比较对象的数值", rule.metric),
            "本期数值".to_owned(),
            "请报送所比较指标的本期与上年同期数值".to_owned(),
        ),
        // Reported as missing by the caller; kept here so every problem has words.
        Problem::NoReference => (
            "plancheck::check::no-reference",
            format!("{} 缺少比较基数", rule.metric),
            "本期数值".to_owned(),
            "请报送上年同期数值".to_owned(),
        ),
        Problem::Overflow(amount) => (
            "plancheck::check::overflow",
            match amount {
                // A total is every part's doing, not the first reporter's.
                Amount::Total => format!(
                    "{} 无法精确计算：{period} 各单位数值的合计超出精确小数的范围（28 位有效数字）",
                    rule.metric
                ),
                // A summed figure is judged by its total, not by the first part alone.
                _ if rule.summed => format!(
                    "{} 无法精确计算：{period} 各单位数值的合计使{}超出精确小数的范围（28 位有效数字）",
                    rule.metric,
                    describe_amount(*amount)
                ),
                _ => format!(
                    "{} 无法精确计算：{reporter} {period} 的数值使{}超出精确小数的范围（28 位有效数字）",
                    rule.metric,
                    describe_amount(*amount)
                ),
            },
            "由此数值计算".to_owned(),
            format!(
                "结果若取近似值，判定可能出错，故判为无效；请核对数值、计量单位{}",
                match amount {
                    Amount::Growth | Amount::Change => "与上年数值（或计划中的 baseline）",
                    Amount::Progress => "与容差（--tolerance、tolerance）",
                    Amount::Approx => "与“左右”的容差",
                    Amount::Total => "与各单位的数值",
                }
            ),
        ),
        // A workbook cell Excel made a date: said as such, since its text (2024-01-02) reads
        // as the number 2024 with a strange unit.
        Problem::Invalid {
            text,
            reason: InvalidReason::Date,
        } => (
            "plancheck::check::date-value",
            format!(
                "{} 的数值无效：{reporter} {period} 报送的{}是日期（{text}），应为{}",
                rule.metric,
                cell_words(&observation.value_loc),
                if matches!(rule.target, Target::Done) {
                    "完成状态"
                } else {
                    "数值"
                }
            ),
            "此单元格是日期".to_owned(),
            "Excel/WPS 会把输入的 1-2、3/4 这类数值自动变成日期；请把单元格格式设为“常规”或“数值”后重新输入".to_owned(),
        ),
        Problem::Invalid {
            text,
            reason: InvalidReason::Uncalculated,
        } => (
            "plancheck::check::formula-not-calculated",
            format!(
                "{} 的数值无效：{reporter} {period} 报送的{}公式未计算，请在 Excel/WPS 中打开并保存",
                rule.metric,
                cell_words(&observation.value_loc),
            ),
            format!("公式 {text} 没有计算结果"),
            "由程序生成的工作簿只写入公式，没有写入计算结果；在 Excel 或 WPS 中打开并保存后即有结果".to_owned(),
        ),
        Problem::Invalid { text, reason } => (
            "plancheck::check::invalid-value",
            format!(
                "{} 的数值无效：{reporter} {period} 报送“{text}”，{}",
                rule.metric,
                reason.describe()
            ),
            "无法读取的数值".to_owned(),
            match reason {
                InvalidReason::Negative => {
                    "请核对数值；若此指标确可为负，在规则后写 allow negative because \"原因\""
                        .to_owned()
                }
                InvalidReason::OverFull => {
                    "请核对数值；若此比例确可超过 100%，在规则后写 allow over 100% because \"原因\""
                        .to_owned()
                }
                _ => "数值可写作 92.3、\"92.3%\"、\"4,512人\"、\"3.2亿元\"".to_owned(),
            },
        ),
    };
    let labels = vec![data_label(&observation.value_loc, label), rule_label(rule)];
    let help = format!("{extra_help}\n{}", rule_help(plan, rule));
    Some(check_finding(code, severity, message, help, labels))
}

/// `单元格 填报表!D5`, or `数值` for a place that is no workbook cell.
fn cell_words(loc: &DataLoc) -> String {
    match &loc.cell {
        Some(cell) => format!("单元格 {cell} "),
        None => "数值".to_owned(),
    }
}

/// What an overflowing amount is, in a message.
fn describe_amount(amount: Amount) -> &'static str {
    match amount {
        Amount::Total => "合计",
        Amount::Growth => "增长率",
        Amount::Change => "与上年的变化量",
        Amount::Approx => "与目标的差距",
        Amount::Progress => "序时进度线及其容差范围",
    }
}

/// The plan's baseline and last year's submission disagree; the baseline was used.
pub fn baseline_differs(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    baseline: Quantity,
    last_year: &Observation,
) -> Option<Finding> {
    let rule = plan.rule(rule_id)?;
    let submitted = describe_value(&last_year.value);
    let message = format!(
        "{} 的上年数值不一致：计划中的 baseline 为 {baseline}，{}在 {} 报送 {submitted}；{period} 按 baseline 判定",
        rule.metric,
        last_year.reporter,
        period.previous_year()
    );
    let labels = vec![
        data_label(
            &last_year.value_loc,
            format!("{} 报送 {submitted}", period.previous_year()),
        ),
        Label {
            loc: Loc::Rule(rule.loc.clone()),
            text: format!("baseline {baseline}"),
        },
    ];
    let help = format!(
        "目标是对照计划中的 baseline 设定的，故以它为准；若上年数值已修订，请更新计划或核对报送\n{}",
        rule_help(plan, rule)
    );
    Some(check_finding(
        "plancheck::check::baseline-differs",
        Severity::Warning,
        message,
        help,
        labels,
    ))
}

/// A year-to-date figure below an earlier one of the same year.
pub fn falling_year_to_date(
    plan: &Plan,
    earlier: &RuleResult,
    later: &RuleResult,
) -> Option<Finding> {
    let rule = plan.rule(later.rule)?;
    let describe = |r: &RuleResult| {
        let value = r.reported.as_ref().map(describe_value).unwrap_or_default();
        format!("{} {value}", period_text(r.period))
    };
    let (before, after) = (describe(earlier), describe(later));
    let message = format!("{} 的累计数值下降：{before}，{after}", rule.metric);
    let labels = vec![
        data_label(later.figure.as_ref()?, format!("{after}，低于此前")),
        data_label(earlier.figure.as_ref()?, before),
    ];
    let help = format!(
        "累计（年初至今）数值不应下降：请核对是数据错误还是更正，更正时请同时修改此前的报送\n{}",
        rule_help(plan, rule)
    );
    Some(check_finding(
        "plancheck::check::falling-year-to-date",
        Severity::Warning,
        message,
        help,
        labels,
    ))
}

pub fn conflict(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    first: &Observation,
    second: &Observation,
    severity: Severity,
) -> Option<Finding> {
    let rule = plan.rule(rule_id)?;
    let a = describe_value(&first.value);
    let b = describe_value(&second.value);
    let message = format!(
        "{} 在 {period} 有两个不同的报送值：{}报送 {a}，{}报送 {b}",
        rule.metric, first.reporter, second.reporter
    );
    let labels = vec![
        data_label(&first.value_loc, format!("{}报送 {a}", first.reporter)),
        data_label(&second.value_loc, format!("{}报送 {b}", second.reporter)),
        rule_label(rule),
    ];
    let help = format!("请核对后只保留一个数值\n{}", rule_help(plan, rule));
    Some(check_finding(
        "plancheck::check::conflict",
        severity,
        message,
        help,
        labels,
    ))
}

pub fn duplicate(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    earlier: &Observation,
    later: &Observation,
) -> Finding {
    let metric = plan.rule(rule_id).map_or("", |r| r.metric.as_str());
    let message = format!(
        "{} 在 {period} 重复报送：{}两次报送同一数值",
        metric, later.reporter
    );
    let labels = vec![
        data_label(&later.value_loc, "重复的报送".to_owned()),
        data_label(&earlier.value_loc, "首次报送".to_owned()),
    ];
    check_finding(
        "plancheck::check::duplicate-figure",
        Severity::Warning,
        message,
        "删去其中一处即可".to_owned(),
        labels,
    )
}

pub fn unknown_metric(
    figure: &crate::load::FigureRef<'_>,
    reporter: &str,
    suggestions: &Suggestions<'_>,
) -> Finding {
    let help = match suggestions.suggest(figure.metric, reporter) {
        Some(name) => format!("是否应为“{name}”？"),
        None => "请核对指标名称；若是新指标，需先在计划中为其编写规则".to_owned(),
    };
    check_finding(
        "plancheck::check::unknown-metric",
        Severity::Warning,
        format!(
            "未知指标“{}”：没有规则使用这一指标，该数值未被检查",
            figure.metric
        ),
        help,
        vec![data_label(
            &figure.metric_loc,
            "未被任何规则使用".to_owned(),
        )],
    )
}

/// A submission whose reporter leads no task and reports no rule: a typo, an old name, or
/// blank. From the plan's point of view the data is broken (exit 2), and its figures are not
/// checked, so a stranger's figures never meet a target. `units`: every unit the plan names, sorted, to suggest the closest.
pub fn unknown_reporter(units: &[&str], submission: &crate::load::SubmissionRef<'_>) -> Finding {
    let reporter = submission.reporter;
    let closest = units
        .iter()
        .map(|u| (strsim::normalized_levenshtein(reporter, u), *u))
        .filter(|(score, _)| *score >= 0.4)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, u)| u);
    let message = if crate::source::invisible_only(reporter) {
        format!(
            "报送单位为空或只有不可见字符：这份填报的 {} 个数值未被检查",
            submission.figures.len()
        )
    } else {
        format!(
            "报送单位“{reporter}”不是计划中的牵头单位或报送单位：这份填报的 {} 个数值未被检查",
            submission.figures.len()
        )
    };
    let listed = units
        .iter()
        .take(12)
        .copied()
        .collect::<Vec<_>>()
        .join("、");
    let more = if units.len() > 12 { " 等" } else { "" };
    let help = match closest {
        Some(unit) => format!("是否应为“{unit}”？计划中的单位：{listed}{more}"),
        None => format!("reporter 须写计划中的单位名称：{listed}{more}"),
    };
    Finding {
        code: "plancheck::check::unknown-reporter",
        severity: Severity::Error,
        kind: Kind::Input,
        message,
        help: Some(help),
        labels: vec![data_label(
            &submission.reporter_loc,
            "计划中没有这个单位".to_owned(),
        )],
    }
}

pub fn not_responsible(plan: &Plan, rule: &Rule, figure: &Figure, reporter: &str) -> Finding {
    let (number, leads) = plan.task(rule.task).map_or((0, String::new()), |t| {
        let may: Vec<&str> = plan.may_report(rule).map(|unit| &**unit).collect();
        (t.number, units_list(&may))
    });
    let role = match plan.task(rule.task) {
        Some(t) if !t.co.is_empty() && rule.reporters.is_empty() => "牵头单位或责任单位",
        _ => "牵头单位",
    };
    check_finding(
        "plancheck::check::not-responsible",
        Severity::Warning,
        format!(
            "{reporter}不是任务{number}的{role}，却报送了“{}”",
            figure.metric
        ),
        format!("该指标由{leads}报送；数值仍按规则检查"),
        vec![data_label(&figure.metric_loc, "非牵头单位报送".to_owned())],
    )
}

/// A figure from outside the plan (`track … by 市统计局`) reported by another unit: not used.
pub fn not_the_outside_reporter(
    tracked: &crate::model::Tracked,
    figure: &Figure,
    reporter: &str,
) -> Finding {
    let who = units_list(&tracked.reporters);
    Finding {
        code: "plancheck::check::not-responsible",
        severity: Severity::Warning,
        kind: Kind::Check,
        message: format!(
            "“{}”由{who}报送，{reporter}报送的数值不作比较值",
            figure.metric
        ),
        help: Some(format!(
            "计划外的比较值（全市平均水平等）只认{who}报送的数值；请删去此项，或由{who}报送"
        )),
        labels: vec![
            data_label(&figure.metric_loc, format!("{reporter}报送")),
            Label {
                loc: Loc::Rule(tracked.loc.clone()),
                text: format!("由{who}报送"),
            },
        ],
    }
}

pub fn internal(file: DataFileId) -> Finding {
    Finding {
        code: "plancheck::internal",
        severity: Severity::Error,
        kind: Kind::Input,
        message: format!("读取此文件时发生内部错误：{}", crate::panic::last_panic())
            .trim_end_matches('：')
            .to_owned(),
        help: Some(
            "这是 plancheck 的缺陷，不是填报的问题。请将该文件与错误信息一并反馈给 plancheck 的维护者"
                .to_owned(),
        ),
        labels: vec![data_label(
            &DataLoc {
                file,
                span: 0..0,
                cell: None,
            },
            "此文件".to_owned(),
        )],
    }
}
