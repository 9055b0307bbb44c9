//! Hover: a rule in words, the paragraph a quote stands in, and the reason behind a diagnostic's
//! code.

use super::document::{Analysis, Documents};
use super::positions;
use crate::model::{Op, Plan, Rule, Strength, Target};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

pub fn hover(documents: &Documents, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let document = documents.get(&at.text_document.uri)?;
    let analysis = &document.analysis;
    let offset = positions::offset(analysis.text(), at.position, documents.encoding);
    let mut parts = Vec::new();
    for (finding, loc) in analysis.own_findings() {
        if loc.span.start <= offset && offset <= loc.span.end {
            if let Some(info) = crate::codes::lookup(finding.code) {
                parts.push(format!("`{}` {}\n\n{}", info.code, info.summary, info.why));
            }
        }
    }
    parts.extend(quote_paragraph(analysis, offset));
    let rule = analysis
        .plan
        .rules
        .iter()
        .find(|r| analysis.holds(&r.loc, offset) || analysis.holds(&r.metric_loc, offset))
        .or_else(|| rule_above_clause(analysis, offset));
    if let Some(rule) = rule {
        parts.push(describe(&analysis.plan, rule));
    }
    parts.extend(referenced(analysis, offset));
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

/// Words that start a clause line continuing the rule above it.
const CLAUSE_WORDS: &[&str] = &[
    "from", "by", "due", "kind", "schedule", "summed", "baseline", "within", "allow", "toward",
    "via",
];

/// On a clause line (`from …`, `by …`, `due …`): the rule it continues, the nearest rule line
/// above with only clause lines between.
fn rule_above_clause(analysis: &Analysis, offset: usize) -> Option<&Rule> {
    let text = analysis.text();
    let mut start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    loop {
        let line = text.get(start..)?.split('\n').next()?.trim_start();
        // A blank line ends the search: a clause line follows its rule directly.
        let is_clause = CLAUSE_WORDS.iter().any(|w| {
            line.strip_prefix(w)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '#']))
        });
        if !is_clause {
            // The statement starts after the line's indentation.
            let raw = text.get(start..)?.split('\n').next()?;
            let at = start + (raw.len() - raw.trim_start().len());
            return analysis
                .plan
                .rules
                .iter()
                .find(|r| analysis.holds(&r.loc, at));
        }
        if start == 0 {
            return None;
        }
        start = text.get(..start - 1)?.rfind('\n').map_or(0, |i| i + 1);
    }
}

/// The paragraph of the source around the `from` or `skip` quote at `offset`.
fn quote_paragraph(analysis: &Analysis, offset: usize) -> Option<String> {
    let plan = &analysis.plan;
    let quotes = plan.rules.iter().filter_map(|r| r.quote.as_ref());
    let quote = quotes
        .map(|q| (&q.text, &q.loc))
        .chain(plan.skips.iter().map(|s| (&s.quote, &s.quote_loc)))
        .find(|(_, loc)| analysis.holds(loc, offset))?;
    let source = plan.header.as_ref()?.source.as_ref()?;
    let Some(at) = source.text.find(quote.0.as_str()) else {
        return Some("原文中没有这句话。".to_owned());
    };
    let paragraph = paragraph_at(&source.text, at);
    Some(format!("原文（{}）：\n\n{paragraph}", source.written))
}

/// The task paragraph holding byte `at` of the source, else its line.
pub fn paragraph_at(text: &str, at: usize) -> &str {
    let task = crate::coverage::source_tasks(text)
        .into_iter()
        .find(|t| t.span.start <= at && at < t.span.end);
    let span = match task {
        Some(task) => task.span,
        None => {
            let start = text
                .get(..at)
                .and_then(|b| b.rfind('\n'))
                .map_or(0, |i| i + 1);
            let end = text
                .get(at..)
                .and_then(|a| a.find('\n'))
                .map_or(text.len(), |i| at + i);
            start..end
        }
    };
    text.get(span).unwrap_or("").trim_end()
}

/// `必须达到：受污染耕地安全利用率不低于 91%`, then strength, kind, deadline, lead units and the
/// cited sentence.
pub fn describe(plan: &Plan, rule: &Rule) -> String {
    let aim = match rule.strength {
        Strength::Must => "必须达到",
        Strength::Strive => "力争达到",
    };
    let mut lines = vec![format!(
        "**{aim}**：{}{}",
        rule.metric,
        in_words(&rule.target)
    )];
    lines.push(format!(
        "- 强度：{}（{}）",
        rule.strength.word(),
        rule.strength.as_str()
    ));
    lines.push(format!("- 类型：{}", rule.kind().chinese()));
    let due = match (&rule.due, plan.period()) {
        (Some(due), _) => due.clone(),
        (None, Some(period)) => format!("计划期末（{period}）"),
        (None, None) => "未规定".to_owned(),
    };
    lines.push(format!("- 期限：{due}"));
    let units = plan.responsible(rule);
    let role = if rule.reporters.is_empty() {
        "牵头单位"
    } else {
        "报送单位"
    };
    lines.push(format!("- {role}：{}", units.join("、")));
    if let Some((sentence, _)) = crate::lint::text::governing(plan, rule) {
        lines.push(format!("- 原文：{sentence}"));
    }
    lines.join("\n")
}

fn in_words(target: &Target) -> String {
    match target {
        Target::Compare { op, value } => {
            let word = match op {
                Op::Ge => "不低于",
                Op::Gt => "高于",
                Op::Le => "不超过",
                Op::Lt => "低于",
                Op::Eq => "等于",
            };
            format!(" {word} {value}")
        }
        Target::Range { low, high } => format!(" 在 {low} 至 {high} 之间"),
        Target::Done => " 按期完成".to_owned(),
        Target::Approx { value, .. } => format!(" {value} 左右（{target}）"),
        Target::Relative { .. } => format!(" {target}"),
    }
}

/// On `metric NAME`: the rule that judges that metric, or its `track`.
fn referenced(analysis: &Analysis, offset: usize) -> Option<String> {
    let plan = &analysis.plan;
    let name = plan.rules.iter().find_map(|rule| match &rule.target {
        Target::Relative {
            reference: crate::model::Reference::Metric { name, loc },
            ..
        } if analysis.holds(loc, offset) => Some(name),
        _ => None,
    })?;
    if let Some(rule) = plan.rules.iter().find(|r| &r.metric == name) {
        return Some(format!("`metric {name}`：\n\n{}", describe(plan, rule)));
    }
    let tracked = plan.tracked(name)?;
    let unit = tracked
        .unit
        .map(|u| format!("，单位 {u}"))
        .unwrap_or_default();
    let leads = plan
        .task(tracked.task)
        .map(|t| t.leads.join("、"))
        .unwrap_or_default();
    Some(format!(
        "`metric {name}`：跟踪指标（只报送、不考核{unit}），由 {leads} 报送"
    ))
}
