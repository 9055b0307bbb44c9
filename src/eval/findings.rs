//! The diagnostics of evaluation, worded for the departments that read them.

use super::{Observation, Problem};
use crate::diagnostic::{Finding, Kind, Label, Loc, Severity};
use crate::load::{Figure, FigureValue};
use crate::model::{Plan, Rule, RuleId};
use crate::period::Period;
use crate::source::{DataFileId, DataLoc};
use crate::units::{format_amount, Quantity};

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

/// 牵头单位 and the cited sentence: who answers for the target, and where it comes from.
fn rule_help(plan: &Plan, rule: &Rule) -> String {
    let task = plan.task(rule.task);
    let mut help = match task {
        Some(task) => format!("任务{}「{}」", task.number, task.title),
        None => String::new(),
    };
    let leads = task.map(|t| t.leads.join("、")).unwrap_or_default();
    help.push_str(&format!("，牵头单位：{leads}"));
    if !rule.reporters.is_empty() {
        help.push_str(&format!("；报送单位：{}", rule.reporters.join("、")));
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
        _ => format!("{}均未填报此项", units.join("、")),
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

pub fn unmet(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    observation: &Observation,
    compared: Option<Quantity>,
    severity: Severity,
) -> Option<Finding> {
    let rule = plan.rule(rule_id)?;
    let reported = describe_value(&observation.value);
    let converted = match (compared, &observation.value) {
        (Some(c), FigureValue::Number(q)) if q.unit.is_some() && q.unit != c.unit => {
            format!("（折合 {c}）")
        }
        _ => String::new(),
    };
    let message = format!(
        "{}{} 未达标：{} {period} 报送 {reported}{converted}，目标 {}",
        rule.metric,
        strive_note(rule),
        observation.reporter,
        rule.target
    );
    let labels = vec![
        data_label(&observation.value_loc, format!("在此填报：{reported}")),
        rule_label(rule),
    ];
    Some(check_finding(
        "plancheck::check::unmet",
        severity,
        message,
        rule_help(plan, rule),
        labels,
    ))
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
                "{} 是里程碑目标，{reporter} {period} 却报送了数值",
                rule.metric
            ),
            "应填报 done、true 或 false".to_owned(),
            "里程碑填报 done（或 true、完成）表示已完成，false 表示未完成".to_owned(),
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
        Problem::Invalid { text, reason } => (
            "plancheck::check::invalid-value",
            format!(
                "{} 的数值无效：{reporter} {period} 报送“{text}”，{}",
                rule.metric,
                reason.describe()
            ),
            "无法读取的数值".to_owned(),
            "数值可写作 92.3、\"92.3%\"、\"4,512人\"、\"3.2亿元\"".to_owned(),
        ),
    };
    let labels = vec![data_label(&observation.value_loc, label), rule_label(rule)];
    let help = format!("{extra_help}\n{}", rule_help(plan, rule));
    Some(check_finding(code, severity, message, help, labels))
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

/// The did-you-mean for an unknown metric: the closest name, preferring rules the reporter
/// answers for, if it is close enough to be a typo rather than a different metric.
fn suggest<'a>(name: &str, reporter: &str, plan: &'a Plan, metrics: &[&'a str]) -> Option<&'a str> {
    let own = |metric: &str| {
        plan.rules
            .iter()
            .any(|r| r.metric == metric && plan.responsible(r).iter().any(|u| u == reporter))
    };
    metrics
        .iter()
        .map(|m| {
            let score = strsim::normalized_levenshtein(name, m) + if own(m) { 0.05 } else { 0.0 };
            (score, *m)
        })
        .filter(|(score, _)| *score >= 0.45)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, m)| m)
}

pub fn unknown_metric(figure: &Figure, reporter: &str, plan: &Plan, metrics: &[&str]) -> Finding {
    let help = match suggest(&figure.metric, reporter, plan, metrics) {
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

pub fn not_responsible(plan: &Plan, rule: &Rule, figure: &Figure, reporter: &str) -> Finding {
    let (number, leads) = plan.task(rule.task).map_or((0, String::new()), |t| {
        (t.number, plan.responsible(rule).join("、"))
    });
    check_finding(
        "plancheck::check::not-responsible",
        Severity::Warning,
        format!(
            "{reporter}不是任务{number}的牵头单位，却报送了“{}”",
            figure.metric
        ),
        format!("该指标由{leads}报送；数值仍按规则检查"),
        vec![data_label(&figure.metric_loc, "非牵头单位报送".to_owned())],
    )
}

pub fn internal(file: DataFileId) -> Finding {
    Finding {
        code: "plancheck::internal",
        severity: Severity::Error,
        kind: Kind::Input,
        message: "读取此文件时发生内部错误".to_owned(),
        help: Some("请将该文件与错误信息一并反馈".to_owned()),
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
