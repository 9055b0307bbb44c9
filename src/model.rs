//! The plan as plain data: tasks, their lead units, and one rule per checkable target.
//!
//! Built by `parse` from `.plan` files; read by `eval` and `report`. Nothing here knows about
//! pest, the terminal or JSON.

use crate::period::Period;
use crate::source::{RuleLoc, SourceFile};
use crate::units::Quantity;
use std::fmt;
use std::path::PathBuf;

/// A whole plan: every `.plan` file of a rules directory, merged.
#[derive(Debug, Default)]
pub struct Plan {
    /// The rule files, indexed by `RuleFileId`, kept so reports can quote them.
    pub files: Vec<SourceFile>,
    pub header: Option<PlanHeader>,
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    /// Every rule of every task, in file order; `RuleId` indexes this.
    pub rules: Vec<Rule>,
}

/// `plan "…" { period 2023  source "…" }`
#[derive(Debug, Clone)]
pub struct PlanHeader {
    pub title: String,
    pub period: Option<Period>,
    pub source: Option<SourceDocument>,
    pub loc: RuleLoc,
}

/// The document the plan encodes. Every `from "…"` quote must occur in `text` verbatim.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    /// The path as written in the plan, relative to the file that names it.
    pub written: String,
    pub path: PathBuf,
    pub text: String,
    pub loc: RuleLoc,
}

/// `section 四 "聚力降碳减污扩绿，厚植绿色发展底色"`
#[derive(Debug, Clone)]
pub struct Section {
    pub numeral: String,
    pub title: String,
    pub loc: RuleLoc,
}

/// Index into `Plan::tasks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub usize);

/// Index into `Plan::rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub usize);

/// `task 32 "深入推进环境污染防治" { lead …  rules… }`
#[derive(Debug, Clone)]
pub struct Task {
    pub number: u32,
    pub title: String,
    /// Index into `Plan::sections` of the section heading above the task, if any.
    pub section: Option<usize>,
    /// 牵头单位, in the order the plan lists them.
    pub leads: Vec<String>,
    /// The `task …` header line.
    pub loc: RuleLoc,
}

/// How firmly the plan commits to a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strength {
    /// 确保, 必须, 严格, or unmarked: an unmet target is an error.
    Must,
    /// 力争, 争取, 争创: an unmet target is a warning.
    Strive,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Must => "must",
            Strength::Strive => "strive",
        }
    }

    /// The Chinese word readers know: 确保 or 力争.
    pub fn word(self) -> &'static str {
        match self {
            Strength::Must => "确保",
            Strength::Strive => "力争",
        }
    }
}

/// A comparison operator of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "==",
        }
    }
}

/// What a rule demands of its figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `受污染耕地安全利用率 >= 91%`
    Compare { op: Op, value: Quantity },
    /// `培育主要农作物新品种 in 1..2 个`: both ends included. Both ends carry the same unit.
    Range { low: Quantity, high: Quantity },
    /// `done 完成市定煤电机组关停任务`: a milestone, met when reported done.
    Done,
}

impl Target {
    /// The unit a figure for this target is expected in, if any.
    pub fn unit(&self) -> Option<&'static crate::units::Unit> {
        match self {
            Target::Compare { value, .. } => value.unit,
            Target::Range { low, .. } => low.unit,
            Target::Done => None,
        }
    }
}

impl fmt::Display for Target {
    /// `>= 91%`, `in 1..2 个`, `done`: the rule's own notation, so readers can find it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Compare { op, value } => write!(f, "{} {value}", op.symbol()),
            Target::Range { low, high } => {
                let unit = low.unit.map(|u| format!(" {u}")).unwrap_or_default();
                write!(
                    f,
                    "in {}..{}{unit}",
                    crate::units::format_amount(low.amount),
                    crate::units::format_amount(high.amount)
                )
            }
            Target::Done => f.write_str("done"),
        }
    }
}

/// `from "受污染耕地安全利用率稳定在91%以上"`: the sentence of the source a rule encodes.
#[derive(Debug, Clone)]
pub struct Quote {
    pub text: String,
    /// The quoted string literal, quotes included.
    pub loc: RuleLoc,
}

/// One checkable target.
#[derive(Debug, Clone)]
pub struct Rule {
    pub task: TaskId,
    pub strength: Strength,
    pub metric: String,
    pub metric_loc: RuleLoc,
    pub target: Target,
    /// The comparison and value (`>= 91%`), where "目标在此设定" points.
    pub target_loc: RuleLoc,
    /// The whole rule line.
    pub loc: RuleLoc,
    pub quote: Option<Quote>,
    /// `by 区统计局`: who reports the figure. Empty means any lead unit of the task.
    pub reporters: Vec<String>,
    /// `due 2023-12-31`, as written.
    pub due: Option<String>,
}

impl Plan {
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(id.0)
    }

    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.rules.get(id.0)
    }

    /// The units expected to report a rule's figure: those it names, else its task's leads.
    pub fn responsible<'a>(&'a self, rule: &'a Rule) -> &'a [String] {
        if !rule.reporters.is_empty() {
            return &rule.reporters;
        }
        self.task(rule.task).map_or(&[], |t| t.leads.as_slice())
    }

    pub fn period(&self) -> Option<Period> {
        self.header.as_ref().and_then(|h| h.period)
    }
}
