//! Completion, read from the words before the cursor: after `from "` the source sentences no
//! rule cites yet (coverage's output), after `metric ` the plan's metric names, after `lead `
//! or `by ` the units the plan already names, after a number the registry's units, and
//! elsewhere the language's keywords and strength words.

use super::document::{Analysis, Documents};
use super::positions;
use crate::coverage::Status;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Range, TextEdit,
};
use std::collections::BTreeSet;

/// Statement keywords, then clause words, each with what it does.
const KEYWORDS: &[(&str, &str)] = &[
    ("plan", "计划头：plan \"标题\" {"),
    ("period", "计划期间：period 2023"),
    ("source", "原文文件：source \"…txt\""),
    ("tolerance", "累计指标的进度容差：tolerance 5%"),
    ("approx", "“左右”目标的默认容差：approx 10%, 0.5 百分点"),
    ("section", "部分：section 一 \"标题\""),
    ("task", "任务：task 1 \"标题\" {"),
    ("lead", "牵头单位：lead 区科技局, 区发展改革局"),
    ("co", "责任单位（也可报送）：co 区财政局, 区税务局"),
    ("leader", "责任领导：leader 张明（副区长）"),
    (
        "track",
        "只报送、不考核的指标：track 名称 单位 [by 市统计局]",
    ),
    ("skip", "不编码的原文：skip \"…\" because \"理由\""),
    ("done", "里程碑：done 名称"),
    ("from", "所引原文：from \"…\""),
    ("by", "报送单位：by 区统计局"),
    ("due", "期限：due 2023-12-31"),
    ("kind", "指标类型：kind cumulative|level|milestone"),
    ("schedule", "分期目标：schedule 2023-Q1 20%, 2023-H1 50%"),
    ("summed", "多个单位的数值相加"),
    (
        "baseline",
        "上年数值：baseline 25.3 亿元；多年目标的基数：baseline 63.2% in 2020",
    ),
    ("toward", "多年目标的最终年份：toward 2025"),
    ("via", "多年目标写明的路径点：via 2023 8.5%, 2024 9.2%"),
    ("within", "“左右”目标的容差：within 10%、within 0.5 百分点"),
    (
        "growth",
        "增长率：growth >= 20%、growth ~>= 5%、growth >= growth of metric 名称",
    ),
    (
        "rank",
        "名次（越小越好）：rank <= 3、rank improves、rank holds",
    ),
    ("change", "增量：change >= 5 亿元"),
    ("last_year", "上年同期"),
    ("metric", "另一个指标：metric 名称"),
    ("vs", "比较对象：vs metric 名称"),
    ("in", "区间：in 1..2 个"),
    ("because", "略过或允许的理由"),
    (
        "allow",
        "允许负数或超过 100%：allow negative because \"…\"、allow over 100% because \"…\"",
    ),
];

const STRENGTHS: &[(&str, &str)] = &[
    ("确保", "必须达到（must）"),
    ("必须", "必须达到（must）"),
    ("严格", "必须达到（must）"),
    ("坚决", "必须达到（must）"),
    ("力争", "力争达到（strive）"),
    ("争取", "力争达到（strive）"),
    ("争创", "力争达到（strive）"),
];

pub fn complete(documents: &Documents, params: &CompletionParams) -> Option<CompletionResponse> {
    let at = &params.text_document_position;
    let document = documents.get(&at.text_document.uri)?;
    let analysis = &document.analysis;
    let text = analysis.text();
    let offset = positions::offset(text, at.position, documents.encoding);
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..offset)?;
    let items = if let Some(typed) = open_quote_after_from(before) {
        let start = offset - typed.len();
        let range = positions::range(text, &(start..offset), documents.encoding);
        uncited(analysis, range)
    } else if let Some(typed) = word_after(before, "metric") {
        names(metric_names(analysis), typed, CompletionItemKind::VARIABLE)
    } else if let Some(typed) = org_after(before) {
        names(lead_units(analysis), typed, CompletionItemKind::CONSTANT)
    } else if let Some(typed) = unit_after_number(before) {
        let units = crate::units::all_names().into_iter().map(str::to_owned);
        names(units.collect(), typed, CompletionItemKind::UNIT)
    } else {
        keywords()
    };
    Some(CompletionResponse::Array(items))
}

/// After `from "` with the quote still open: what is typed inside it.
fn open_quote_after_from(before: &str) -> Option<&str> {
    let at = before.rfind("from")?;
    let rest = before
        .get(at + "from".len()..)?
        .trim_start_matches([' ', '\t', '\u{3000}']);
    let inside = rest.strip_prefix('"')?;
    (!inside.contains('"')).then_some(inside)
}

/// After `KEYWORD ` and a partly typed word (no space in it yet).
fn word_after<'a>(before: &'a str, keyword: &str) -> Option<&'a str> {
    let typed_at = before.rfind([' ', '\t', '\u{3000}'])? + 1;
    let typed = before.get(typed_at..)?;
    let head = before.get(..typed_at)?.trim_end();
    let is_keyword = head.ends_with(keyword)
        && head
            .get(..head.len() - keyword.len())
            .is_some_and(|h| h.is_empty() || h.ends_with([' ', '\t', '\u{3000}']));
    is_keyword.then_some(typed)
}

/// Inside the unit list of a `lead` or `by`: the unit being typed.
fn org_after(before: &str) -> Option<&str> {
    let trimmed = before.trim_start();
    let list = ["lead ", "by "]
        .iter()
        .find_map(|k| trimmed.rfind(k).map(|at| at + k.len()))?;
    let list = trimmed.get(list..)?;
    if list.contains('"') || list.contains('#') {
        return None;
    }
    let typed_at = list.rfind([',', '，', '、']).map_or(0, |i| {
        i + list
            .get(i..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8)
    });
    Some(list.get(typed_at..)?.trim_start())
}

/// After a number, with or without a space: the unit being typed.
fn unit_after_number(before: &str) -> Option<&str> {
    let typed_at = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_digit() || c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let typed = before.get(typed_at..)?;
    let head = before.get(..typed_at)?.trim_end();
    let after_number = head.ends_with(|c: char| c.is_ascii_digit());
    (after_number && !typed.chars().any(|c| c.is_ascii_digit())).then_some(typed)
}

fn keywords() -> Vec<CompletionItem> {
    let words = KEYWORDS
        .iter()
        .map(|(w, d)| (w, d, CompletionItemKind::KEYWORD));
    let strengths = STRENGTHS
        .iter()
        .map(|(w, d)| (w, d, CompletionItemKind::OPERATOR));
    words
        .chain(strengths)
        .map(|(word, detail, kind)| CompletionItem {
            label: (*word).to_owned(),
            kind: Some(kind),
            detail: Some((*detail).to_owned()),
            ..CompletionItem::default()
        })
        .collect()
}

/// `names` that start with what is typed, in order.
fn names(names: BTreeSet<String>, typed: &str, kind: CompletionItemKind) -> Vec<CompletionItem> {
    names
        .into_iter()
        .filter(|n| n.starts_with(typed))
        .map(|label| CompletionItem {
            label,
            kind: Some(kind),
            ..CompletionItem::default()
        })
        .collect()
}

fn metric_names(analysis: &Analysis) -> BTreeSet<String> {
    let plan = &analysis.plan;
    let rules = plan.rules.iter().map(|r| r.metric.clone());
    rules
        .chain(plan.tracked.iter().map(|t| t.metric.clone()))
        .collect()
}

fn lead_units(analysis: &Analysis) -> BTreeSet<String> {
    let plan = &analysis.plan;
    let leads = plan.tasks.iter().flat_map(|t| t.leads.iter());
    leads
        .chain(plan.rules.iter().flat_map(|r| r.reporters.iter()))
        .map(|unit| unit.to_string())
        .collect()
}

/// The source's target-like statements that no rule cites or skips, in source order; each
/// replaces what is typed inside the quote.
fn uncited(analysis: &Analysis, range: Range) -> Vec<CompletionItem> {
    let Some(coverage) = &analysis.coverage else {
        return Vec::new();
    };
    coverage
        .statements
        .iter()
        .filter(|s| s.status == Status::Uncovered)
        .enumerate()
        .map(|(i, s)| CompletionItem {
            label: s.text.clone(),
            kind: Some(CompletionItemKind::TEXT),
            detail: Some(format!("任务 {} 未编码的原文", s.task)),
            // Source order, which the label order would lose.
            sort_text: Some(format!("{i:05}")),
            filter_text: Some(s.text.clone()),
            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: s.text.clone(),
            })),
            ..CompletionItem::default()
        })
        .collect()
}
