//! Hover: a rule in words, the paragraph a quote stands in, and the reason behind a diagnostic's
//! code.

use super::document::{Analysis, Documents};
use super::positions;
use crate::model::{Op, Plan, Rank, Reference, Relation, Rule, Side, Strength, Target};
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
        Target::Approx { value, side, .. } => match side {
            Side::Both => format!(" {value} 左右（{target}：上下浮动都在容差内）"),
            Side::AtLeast => {
                format!(" {value} 左右（{target}：不低于 {value} 减容差，超过亦达标）")
            }
            Side::AtMost => format!(" {value} 左右（{target}：不超过 {value} 加容差）"),
        },
        Target::Relative {
            relation: Relation::GrowthApprox { rate, side, .. },
            ..
        } => {
            let rate = crate::units::format_amount(*rate);
            let how = match side {
                Side::Both => "上下浮动都在容差内",
                Side::AtLeast => "增长更快亦达标",
                Side::AtMost => "不超过上限加容差",
            };
            format!(" 增长 {rate}% 左右（{target}：{how}，容差以百分点计）")
        }
        Target::Relative {
            relation: Relation::InStep { op, .. },
            reference: Reference::Metric { name, .. },
        } => {
            let how = match op {
                Some(_) => "同步",
                None => "基本同步",
            };
            format!(" 的增长与“{name}”的增长{how}（{target}）")
        }
        Target::Relative { .. } => format!(" {target}"),
        Target::Rank(rank) => match rank {
            Rank::Place { op: Op::Eq, place } => format!(" 名次为第 {place} 名（{target}）"),
            Rank::Place {
                op: Op::Le,
                place: 1,
            } => format!(" 名次第一（{target}）"),
            Rank::Place { op: Op::Le, place } => format!(" 名次前 {place} 名（{target}）"),
            Rank::Place { .. } => format!(" 名次 {target}（名次越小越好）"),
            Rank::Improves => format!(" 名次比上年前移（{target}）"),
            Rank::Holds => format!(" 名次不低于上年（{target}）"),
        },
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
    let leads = plan.tracked_reporters(tracked).join("、");
    Some(format!(
        "`metric {name}`：跟踪指标（只报送、不考核{unit}），由 {leads} 报送"
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)] // a missing rule is the test failing

    use super::in_words;

    /// The hover's first words for each rule line of a small plan.
    fn words(lines: &[&str]) -> Vec<String> {
        let body: String = lines.iter().map(|l| format!("    {l}\n")).collect();
        let text = format!(
            "plan \"甲\" {{\n    period 2024\n}}\ntask 1 \"乙\" {{\n    lead 区发改局\n    地区生产总值 >= 500 亿元\n    track 地区生产总值增速 %\n{body}}}\n"
        );
        let (plan, _) =
            crate::parse::parse_files(vec![crate::source::SourceFile::new("p.plan", &text)]);
        plan.rules[1..]
            .iter()
            .map(|r| format!("{}{}", r.metric, in_words(&r.target)))
            .collect()
    }

    #[test]
    fn the_comparison_forms_are_said_in_words() {
        assert_eq!(
            words(&[
                "地区生产总值增速 growth ~>= 5% within 0.5 百分点",
                "城镇登记失业率 ~<= 3% within 0.5 百分点",
                "居民收入 growth >= growth of metric 地区生产总值",
                "农民收入 growth ~>= growth of metric 地区生产总值 within 1 百分点",
                "综合考核位次 rank <= 3",
                "营商环境排名 rank == 1",
                "园区位次 rank improves",
                "园区排名 rank holds",
            ]),
            [
                "地区生产总值增速 增长 5% 左右（growth ~>= 5% within 0.5 百分点：增长更快亦达标，容差以百分点计）",
                "城镇登记失业率 3% 左右（~<= 3% within 0.5 百分点：不超过 3% 加容差）",
                "居民收入 的增长与“地区生产总值”的增长同步（growth >= growth of metric 地区生产总值）",
                "农民收入 的增长与“地区生产总值”的增长基本同步（growth ~>= growth of metric 地区生产总值 within 1 百分点）",
                "综合考核位次 名次前 3 名（rank <= 3）",
                "营商环境排名 名次为第 1 名（rank == 1）",
                "园区位次 名次比上年前移（rank improves）",
                "园区排名 名次不低于上年（rank holds）",
            ]
        );
    }
}
