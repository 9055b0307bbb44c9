//! Coverage of the source document: which targets of the plan's text no rule encodes.
//!
//! The source is read as the plan's authors wrote it: numbered task paragraphs
//! (`1.搭建创新平台。…（牵头单位：…）`) under section headings. Only text inside a task
//! paragraph counts — not the notice before the first task, not the headings, not the title
//! sentence of a task and not the lead-unit parenthesis. The rest is cut into clauses at
//! 。；，：！？ (and at 、 when every piece carries a figure of its own, as in
//! "1家以上…、2家以上…、3家以上…"), the granularity at which rules quote the text.
//!
//! A clause is *target-like* when it names a figure (5家, 91%, 0.5平方公里, 1-2个), a
//! comparison (以上, 不低于, 达到, 稳定在, 突破, 左右, 全部, 清零, …), a change (增长, 提高,
//! 缩小, 百分点), a comparison with another metric (高于…增幅) or a milestone (建成, 落户,
//! 完成…任务, 实现…通航). It is *covered* when the source span of some rule's `from` quote
//! overlaps it, and *skipped* when a `skip` quote does instead. Every occurrence of a quote
//! counts, so a sentence that appears twice is covered in both places.
//!
//! Everything here is plain data computed from a `Plan`: `analyze` finds the task paragraphs
//! (`paragraphs`), cuts them into clauses (`clauses`) and judges each clause (`detect`);
//! `render_human` and `render_json` turn the result into text for the command line.

mod analyze;
mod clauses;
pub mod clean;
mod detect;
pub mod duty;
mod human;
mod json;
mod segment;
#[cfg(test)]
mod tests;

pub use analyze::analyze;
pub use clauses::split_clauses;
pub use detect::{has_quantity, is_target_like};
pub use human::{render_human, render_no_source};
pub use json::{render_json, render_json_plans};
pub use segment::source_tasks;

use crate::model::RuleId;
use crate::source::{RuleLoc, Span};

/// An item of the source document: a numbered paragraph, a table row or a prose paragraph
/// that lists targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTask {
    /// The item's place among the document's items, from 1.
    pub number: u32,
    /// How the document numbers it: `12.`, `（三）`, `序号4`, `段落`.
    pub label: String,
    /// The paragraph's first sentence, `搭建创新平台`, when that is no target itself.
    pub title: String,
    /// The whole paragraph, number and lead units included.
    pub span: Span,
    /// Where its statements are: after the title, without the responsibility parentheses
    /// and lines.
    pub body: Vec<Span>,
    /// Its 牵头单位, 责任单位, 责任领导 and 完成时限.
    pub duty: duty::Duty,
    /// The `一、…` heading it stands under: the numeral and the heading's text.
    pub section: Option<(String, String)>,
}

/// Whether a target-like statement is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Some rule's `from` quote overlaps it.
    Covered,
    /// No rule, but a `skip` quote overlaps it.
    Skipped,
    Uncovered,
}

/// A target-like clause of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The number of the task paragraph it stands in.
    pub task: u32,
    pub text: String,
    /// A quote of it that occurs once in the source, for a paste-ready `from` or `skip`.
    pub quote: String,
    /// Byte span in the source text.
    pub span: Span,
    /// 1-based line and character column of its start in the source file.
    pub line: usize,
    pub column: usize,
    pub status: Status,
}

/// A place in a rule file, resolved for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePlace {
    pub loc: RuleLoc,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A rule without a `from` quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncitedRule {
    pub rule: RuleId,
    /// The number of the rule's task in the plan.
    pub task: Option<u32>,
    pub metric: String,
    /// The metric's name in the rule line.
    pub place: RulePlace,
}

/// What a quote that is not in the source belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteOf {
    Rule,
    Skip,
}

impl QuoteOf {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteOf::Rule => "rule",
            QuoteOf::Skip => "skip",
        }
    }
}

/// A `from` or `skip` quote that does not occur in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingQuote {
    pub of: QuoteOf,
    pub task: Option<u32>,
    pub quote: String,
    /// The quoted string in the rule file.
    pub place: RulePlace,
}

/// A `skip "…" because "…"` statement: a passage deliberately left unencoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredSkip {
    pub quote: String,
    pub reason: String,
    /// The task the skip stands in, else the source paragraph its quote is found in.
    pub task: Option<u32>,
    /// Where the quote first occurs in the source, if it does.
    pub first: Option<usize>,
}

/// Counts of one source task's target-like statements. Serialized as an entry of the JSON
/// report's `tasks`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskCoverage {
    #[serde(rename = "task")]
    pub number: u32,
    pub title: String,
    pub statements: usize,
    pub covered: usize,
    pub skipped: usize,
    pub uncovered: usize,
}

/// The totals, as the JSON report's `summary` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Summary {
    /// Task paragraphs in the source.
    pub tasks: usize,
    /// Target-like statements in them.
    pub statements: usize,
    pub covered: usize,
    pub skipped: usize,
    pub uncovered: usize,
    /// Rules of the plan.
    pub rules: usize,
    pub uncited_rules: usize,
    pub quotes_not_found: usize,
    /// `skip` statements of the plan.
    pub skips: usize,
}

/// The coverage of a plan's source document by its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The plan's title, if it has a header.
    pub title: Option<String>,
    /// The source document's path, as reports show it.
    pub source: String,
    pub tasks: Vec<TaskCoverage>,
    /// Every target-like statement, in source order.
    pub statements: Vec<Statement>,
    /// In rule-file order.
    pub uncited_rules: Vec<UncitedRule>,
    /// In rule-file order.
    pub quotes_not_found: Vec<MissingQuote>,
    /// In source order; skips whose quote is not in the source last.
    pub skips: Vec<DeclaredSkip>,
    pub rules: usize,
}

/// Why coverage cannot be computed: the plan names no source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSource {
    /// The plan header, when there is one, where `source "…"` belongs.
    pub header: Option<RuleLoc>,
}

impl Coverage {
    pub fn uncovered(&self) -> impl Iterator<Item = &Statement> {
        self.statements
            .iter()
            .filter(|s| s.status == Status::Uncovered)
    }

    pub fn summary(&self) -> Summary {
        let count = |status| {
            self.statements
                .iter()
                .filter(|s| s.status == status)
                .count()
        };
        Summary {
            tasks: self.tasks.len(),
            statements: self.statements.len(),
            covered: count(Status::Covered),
            skipped: count(Status::Skipped),
            uncovered: count(Status::Uncovered),
            rules: self.rules,
            uncited_rules: self.uncited_rules.len(),
            quotes_not_found: self.quotes_not_found.len(),
            skips: self.skips.len(),
        }
    }

    /// 0 when every target-like statement is covered or skipped and every rule cites a
    /// sentence of the source; 1 otherwise, and 1 when the document could not be read into
    /// items or the plan covers none of its targets (`warnings`).
    pub fn exit_code(&self) -> u8 {
        let summary = self.summary();
        u8::from(
            summary.uncovered + summary.uncited_rules + summary.quotes_not_found > 0
                || !self.warnings().is_empty(),
        )
    }

    /// What makes a clean-looking result untrustworthy, in Chinese: a document in which no
    /// item was found (its layout was not understood, so nothing could be checked), or one
    /// whose targets the plan encodes none of.
    pub fn warnings(&self) -> Vec<String> {
        let summary = self.summary();
        let mut warnings = Vec::new();
        if summary.tasks == 0 {
            warnings.push(
                "原文中没有找到任何条目（编号段落、表格行或列出目标的段落），无法确认覆盖情况：\
                 请检查原文的版式，或把目标逐条编号"
                    .to_owned(),
            );
        } else if summary.statements == 0 {
            warnings.push(format!(
                "原文 {} 个条目中没有找到目标性陈述，请确认原文确实不含可核对的目标",
                summary.tasks
            ));
        }
        if summary.statements > 0 && summary.covered == 0 {
            warnings.push(format!(
                "原文有 {} 条目标性陈述，规则一条也没有引用",
                summary.statements
            ));
        }
        warnings
    }
}
