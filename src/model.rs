//! The plan as plain data: tasks, their lead units, and one rule per checkable target.
//!
//! Built by `parse` from `.plan` files; read by `eval` and `report`. Nothing here knows about
//! pest, the terminal or JSON.

use crate::period::Period;
use crate::source::{RuleLoc, SourceFile};
use crate::units::Quantity;
use rust_decimal::Decimal;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A whole plan: every `.plan` file of a rules directory, merged.
#[derive(Debug, Default)]
pub struct Plan {
    /// The rule files, indexed by `RuleFileId`, kept so reports can quote them (their text
    /// `release`d during a check: see `SourceFile::current`).
    pub files: Vec<SourceFile>,
    pub header: Option<PlanHeader>,
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    /// Every rule of every task, in file order; `RuleId` indexes this.
    pub rules: Vec<Rule>,
    /// Statements of the source deliberately not encoded, with the reason.
    pub skips: Vec<Skip>,
    /// Metrics reported and referenced, with no target of their own.
    pub tracked: Vec<Tracked>,
}

/// `track 地区生产总值增速 %`: a metric its task's lead units report so that a `metric NAME`
/// reference can use its figure. It has no target, so it never gets a verdict.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub task: TaskId,
    pub metric: String,
    pub metric_loc: RuleLoc,
    /// The unit its figure is read in; `None` keeps the unit as reported.
    pub unit: Option<&'static crate::units::Unit>,
    /// `by 市统计局`: who reports it, when not the task's lead units: a figure from outside
    /// the plan (全市平均水平), reported by the office that publishes it.
    pub reporters: Vec<Arc<str>>,
    /// The whole statement.
    pub loc: RuleLoc,
}

/// `skip "加强组织领导" because "no checkable figure"`
#[derive(Debug, Clone)]
pub struct Skip {
    /// The skipped passage; like a `from` quote, it must occur in the source verbatim.
    pub quote: String,
    pub reason: String,
    /// The quoted passage literal, quotes included.
    pub quote_loc: RuleLoc,
    /// The whole statement.
    pub loc: RuleLoc,
    /// The task the skip stands in, if any.
    pub task: Option<TaskId>,
}

/// `plan "…" { period 2023  source "…" }`
#[derive(Debug, Clone)]
pub struct PlanHeader {
    pub title: String,
    pub period: Option<Period>,
    pub source: Option<SourceDocument>,
    /// `tolerance 5%`: how far from the pro-rata line a cumulative figure may be before the
    /// deadline and still count as on track.
    pub tolerance: Option<Decimal>,
    /// `approx 10%`: how far a `~=` (左右) target may stray, unless the rule says `within`.
    pub approx: Option<Decimal>,
    /// `approx …, 0.5 百分点`: the same in percentage points, for targets in per cent and
    /// growth targets, unless the rule says `within`.
    pub approx_points: Option<Decimal>,
    /// `id 兖州区`: the plan's name among several; else its folder's name.
    pub id: Option<String>,
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
    /// 牵头单位, in the order the plan lists them. Names, and whole lists, are shared across
    /// the plan's tasks (`Arc`): a national plan lists its thousands of units under every task.
    pub leads: Arc<[Arc<str>]>,
    /// `co …`: 责任单位, who answer for the task with its leads and may report its figures.
    pub co: Arc<[Arc<str>]>,
    /// `leader …`: 责任领导, the leaders answerable for the task.
    pub leaders: Vec<Arc<str>>,
    /// The id of the plan the task belongs to, when several plans are checked in one run.
    pub plan: Option<String>,
    /// The plan's place among them, so reports keep each plan's tasks together.
    pub plan_rank: usize,
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

/// What kind of quantity a metric is, which decides how it is judged before the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricKind {
    /// A year-to-date flow (新增…, 完成投资…, 接待游客…): judged against the pro-rata line.
    Cumulative,
    /// A rate, stock or state (…率, 保持在…): must hold in every period.
    Level,
    /// Happens or not (done): pending before the deadline, overdue after it.
    Milestone,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Cumulative => "cumulative",
            MetricKind::Level => "level",
            MetricKind::Milestone => "milestone",
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            MetricKind::Cumulative => "累计",
            MetricKind::Level => "水平",
            MetricKind::Milestone => "里程碑",
        }
    }
}

/// What a relative target compares the figure with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// The same metric a year earlier: from the plan's `baseline` or last year's submissions.
    LastYear,
    /// Another metric's figure for the same period (`metric GDP增速`).
    Metric { name: String, loc: RuleLoc },
}

/// Which way an approximate (左右) target may stray from its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// `~=`: either way, by the tolerance.
    Both,
    /// `~>=`: a floor with slack. Anything above the value is met, and below it by up to the
    /// tolerance (增长5%左右 on an expected-growth target).
    AtLeast,
    /// `~<=`: a cap with slack (控制在3%左右).
    AtMost,
}

impl Side {
    /// `~=`, `~>=` or `~<=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Side::Both => "~=",
            Side::AtLeast => "~>=",
            Side::AtMost => "~<=",
        }
    }

    /// Whether `off` (figure − value) is allowed by `allowed` (≥ 0), both on one scale.
    pub fn allows(self, off: Decimal, allowed: Decimal) -> bool {
        match self {
            Side::Both => off.abs() <= allowed,
            Side::AtLeast => off >= -allowed,
            Side::AtMost => off <= allowed,
        }
    }
}

/// How a relative target relates the figure to its reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    /// `>= last_year`, `> metric 制造业贷款增幅`: the figure against the reference.
    Compare(Op),
    /// `growth >= 20%`: (figure / reference − 1) × 100, in per cent.
    Growth { op: Op, rate: Decimal },
    /// `growth in 5..8 %`
    GrowthRange { low: Decimal, high: Decimal },
    /// `change >= 5 亿元`: figure − reference.
    Change { op: Op, amount: Quantity },
    /// `change in 1..3 百分点`
    ChangeRange { low: Quantity, high: Quantity },
    /// `growth ~>= 5% within 0.5 百分点`: the growth about a rate (增长5%左右), with a
    /// tolerance in percentage points (the rule's `within`, else the plan's `approx`).
    GrowthApprox {
        rate: Decimal,
        side: Side,
        within: Option<Decimal>,
    },
    /// `growth >= growth of metric 地区生产总值` (与经济增长同步) or `growth ~= growth of
    /// metric 地区生产总值 within 1 百分点` (基本同步): the growth over last year against the
    /// referenced metric's growth over its own last year. `op` for a plain comparison, else
    /// `side` and the tolerance in percentage points.
    InStep {
        op: Option<Op>,
        side: Side,
        within: Option<Decimal>,
        /// `growth of metric X`: X's growth over its own last year. Without it (`metric X`),
        /// X's figure is itself a growth rate in per cent (地区生产总值增速).
        of_growth: bool,
    },
}

/// How far an `~=` target may stray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// `within 10%`: a share of the target value.
    Percent(Decimal),
    /// `within 2 个`: an amount in the target's dimension.
    Absolute(Quantity),
    /// `within 0.5 百分点`: percentage points, for a target in per cent.
    Points(Decimal),
}

impl fmt::Display for Tolerance {
    /// `within 10%`, `within 2 个`, `within 0.5 百分点`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerance::Percent(p) => write!(f, "within {}%", crate::units::format_amount(*p)),
            Tolerance::Absolute(q) => write!(f, "within {q}"),
            Tolerance::Points(p) => {
                write!(f, "within {} 百分点", crate::units::format_amount(*p))
            }
        }
    }
}

/// A rank target: a place in a ranking, where 1 is the best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    /// `rank <= 3` (前三名), `rank == 1` (全市第一).
    Place { op: Op, place: u32 },
    /// `rank improves`: a better (lower) place than last year's (位次前移).
    Improves,
    /// `rank holds`: a place no worse than last year's (保持位次).
    Holds,
}

/// `schedule 2023-Q1 20%, 2023-H1 50%`: the share of the annual target due by the end of a
/// period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub period: Period,
    /// Per cent of the target.
    pub share: Decimal,
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
    /// `重点项目 ~= 20 个`: 左右, within the rule's or the plan's tolerance; `~>=` and `~<=`
    /// stray one way only.
    Approx {
        value: Quantity,
        within: Option<Tolerance>,
        side: Side,
    },
    /// A target relative to last year or to another metric.
    Relative {
        relation: Relation,
        reference: Reference,
    },
    /// `综合考核位次 rank <= 3`: a place in a ranking, lower is better.
    Rank(Rank),
}

impl Target {
    /// The unit a figure for this target is expected in, if any.
    pub fn unit(&self) -> Option<&'static crate::units::Unit> {
        match self {
            Target::Compare { value, .. } => value.unit,
            Target::Range { low, .. } => low.unit,
            Target::Approx { value, .. } => value.unit,
            Target::Done | Target::Relative { .. } | Target::Rank(_) => None,
        }
    }

    /// What the figure is compared with besides the target itself, if anything: last year
    /// (growth, change, `rank improves`) or another metric.
    pub fn reference(&self) -> Option<&Reference> {
        match self {
            Target::Relative { reference, .. } => Some(reference),
            Target::Rank(Rank::Improves | Rank::Holds) => Some(&Reference::LastYear),
            _ => None,
        }
    }

    /// Whether the target reads last year's figure of its own metric.
    pub fn needs_last_year(&self) -> bool {
        matches!(
            self,
            Target::Relative {
                reference: Reference::LastYear,
                ..
            } | Target::Relative {
                relation: Relation::InStep { .. },
                ..
            } | Target::Rank(Rank::Improves | Rank::Holds)
        )
    }
}

/// `in 1..2 个`: both ends share the unit, written once.
fn write_range(
    f: &mut fmt::Formatter<'_>,
    prefix: &str,
    low: &Quantity,
    high: &Quantity,
) -> fmt::Result {
    let unit = low.unit.map(|u| format!(" {u}")).unwrap_or_default();
    write!(
        f,
        "{prefix} {}..{}{unit}",
        crate::units::format_amount(low.amount),
        crate::units::format_amount(high.amount)
    )
}

impl fmt::Display for Reference {
    /// `last_year` or `metric NAME`, as the rule writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reference::LastYear => f.write_str("last_year"),
            Reference::Metric { name, .. } => write!(f, "metric {name}"),
        }
    }
}

impl fmt::Display for Target {
    /// `>= 91%`, `in 1..2 个`, `done`: the rule's own notation, so readers can find it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Compare { op, value } => write!(f, "{} {value}", op.symbol()),
            Target::Range { low, high } => write_range(f, "in", low, high),
            Target::Done => f.write_str("done"),
            Target::Approx {
                value,
                within,
                side,
            } => {
                write!(f, "{} {value}", side.symbol())?;
                match within {
                    Some(tolerance) => write!(f, " {tolerance}"),
                    None => Ok(()),
                }
            }
            Target::Rank(rank) => match rank {
                Rank::Place { op, place } => write!(f, "rank {} {place}", op.symbol()),
                Rank::Improves => f.write_str("rank improves"),
                Rank::Holds => f.write_str("rank holds"),
            },
            Target::Relative {
                relation,
                reference,
            } => {
                let amount = crate::units::format_amount;
                match relation {
                    // The reference is the right-hand side: `>= last_year`, `> metric X`.
                    Relation::Compare(op) => return write!(f, "{} {reference}", op.symbol()),
                    Relation::Growth { op, rate } => {
                        write!(f, "growth {} {}%", op.symbol(), amount(*rate))
                    }
                    Relation::GrowthRange { low, high } => {
                        write!(f, "growth in {}..{} %", amount(*low), amount(*high))
                    }
                    Relation::Change { op, amount: a } => write!(f, "change {} {a}", op.symbol()),
                    Relation::ChangeRange { low, high } => write_range(f, "change in", low, high),
                    Relation::GrowthApprox { rate, side, within } => {
                        write!(f, "growth {} {}%", side.symbol(), amount(*rate))?;
                        within.map_or(Ok(()), |w| write!(f, " {}", Tolerance::Points(w)))
                    }
                    Relation::InStep {
                        op,
                        side,
                        within,
                        of_growth,
                    } => {
                        let symbol = op.map_or_else(|| side.symbol(), Op::symbol);
                        let of = if *of_growth { "growth of " } else { "" };
                        write!(f, "growth {symbol} {of}{reference}")?;
                        return within.map_or(Ok(()), |w| write!(f, " {}", Tolerance::Points(w)));
                    }
                }?;
                // Growth and change are against last year unless the rule names a metric.
                match reference {
                    Reference::LastYear => Ok(()),
                    Reference::Metric { .. } => write!(f, " vs {reference}"),
                }
            }
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
    pub reporters: Vec<Arc<str>>,
    /// `due 2023-12-31`, as written (the parser checks it is a date).
    pub due: Option<String>,
    /// `kind cumulative|level|milestone`, when the plan states it; see `Rule::kind`.
    pub kind: Option<MetricKind>,
    /// `schedule …`: phased checkpoints, in period order.
    pub schedule: Vec<Checkpoint>,
    /// `summed`: several reporters' figures for one period are parts of one total.
    pub summed: bool,
    /// `baseline …`: last year's value, stated in the plan.
    pub baseline: Option<Quantity>,
    /// `baseline … in 2020`: the year the baseline is of, when the plan names one; without
    /// it the baseline is last year's.
    pub baseline_year: Option<i16>,
    /// `toward 2025`: the year the target is for, in a plan of an earlier year.
    pub toward: Option<i16>,
    /// `via 2023 8.5%, …`: points of the path the plan states, in year order.
    pub via: Vec<(i16, Quantity)>,
    /// `allow negative because "…"`: the reason a figure below zero is valid.
    pub allow_negative: Option<String>,
    /// `allow over 100% because "…"`: the reason a share above 100% is valid.
    pub allow_over_100: Option<String>,
    /// `sum of plans`: judged on the total of other plans' figures for the metric.
    pub sum_of_plans: bool,
    /// `allocate 兖州区 15000 人, …`: each plan's share of the target (分解到各县区).
    pub allocations: Vec<Allocation>,
    /// `adjust …`: approved changes of the target, in date order.
    pub adjustments: Vec<Adjustment>,
}

/// `兖州区 15000 人` in an `allocate` clause.
#[derive(Debug, Clone)]
pub struct Allocation {
    /// The plan's id.
    pub plan: String,
    pub value: Quantity,
    pub loc: RuleLoc,
}

/// `adjust 新增城镇就业 to >= 38000 人 from 2023-07-01 by "…" because "…"`: the target that
/// stands for periods ending on or after `from`.
#[derive(Debug, Clone)]
pub struct Adjustment {
    pub target: Target,
    pub from: jiff::civil::Date,
    /// The document number (文号) of the approval.
    pub document: String,
    pub reason: String,
    /// The whole statement.
    pub loc: RuleLoc,
}

/// Words that begin the name of a year-to-date flow.
const CUMULATIVE_PREFIXES: &[&str] = &[
    "新增",
    "新培育",
    "新建",
    "新认定",
    "新入选",
    "完成",
    "累计",
    "引进",
    "招引",
    "接待",
    "实施",
    "培育",
    "落地",
    "建成",
    "建设",
    "申报",
    "入库",
    "放映",
    "送戏",
    "举办",
    "评选",
    "创建",
    "治理",
    "综合治理",
    "更新造林",
    "发放",
    "到位",
    "签约",
    "开工",
    "改造",
    "采煤塌陷地治理",
];

/// Words that make a name a flow wherever they stand in it: 城镇新增就业, 新引进…项目,
/// 固定资产投资额, 工业投资, 粮食产量. A flow is counted from the start of the year.
const FLOW_WORDS: &[&str] = &[
    "新增",
    "新引进",
    "新培育",
    "新建",
    "投资",
    "产量",
    "营业收入",
    "营收",
    "销售额",
    "出口额",
    "进出口",
    "接待",
];

/// Words that end the name of a rate or share.
const LEVEL_SUFFIXES: &[&str] = &[
    "率", "占比", "比例", "比重", "增速", "增幅", "指数", "浓度", "水平",
];

/// Where a rule's kind comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindSource {
    /// `kind …` in the rule.
    Written,
    /// The target's form says it: `done` is a milestone, `growth`/`change`/`last_year` a level.
    Target,
    /// Read from the unit (`%`, 百分点) or a word of the name (…率, 新增…, …投资…).
    Wording,
    /// Nothing recognised: a level, the kind that never gets a pro-rata line it may not
    /// deserve.
    Default,
}

impl KindSource {
    /// `written` or `inferred`, as the JSON report says.
    pub fn as_str(self) -> &'static str {
        match self {
            KindSource::Written => "written",
            KindSource::Target | KindSource::Wording | KindSource::Default => "inferred",
        }
    }
}

/// Where a rule and its parts stand in its file.
#[derive(Debug, Clone)]
pub struct RuleLocs {
    pub metric: RuleLoc,
    pub target: RuleLoc,
    pub line: RuleLoc,
}

impl Rule {
    /// A rule as its line states it, before any clause: clauses are attached as they are read.
    pub fn new(
        task: TaskId,
        strength: Strength,
        metric: String,
        target: Target,
        locs: RuleLocs,
    ) -> Rule {
        Rule {
            task,
            strength,
            metric,
            metric_loc: locs.metric,
            target,
            target_loc: locs.target,
            loc: locs.line,
            quote: None,
            reporters: Vec::new(),
            due: None,
            kind: None,
            schedule: Vec::new(),
            summed: false,
            baseline: None,
            baseline_year: None,
            toward: None,
            via: Vec::new(),
            allow_negative: None,
            allow_over_100: None,
            sum_of_plans: false,
            allocations: Vec::new(),
            adjustments: Vec::new(),
        }
    }

    /// The metric's kind: as stated, else read from the target and the name. A milestone is
    /// `done`; relative targets and shares are levels; names that start like a flow
    /// (新增…, 完成…) are cumulative; anything else is a level, which never gets the
    /// benefit of a pro-rata line it may not deserve.
    pub fn kind(&self) -> MetricKind {
        self.kind_and_source().0
    }

    /// The metric's kind and where it comes from (see `kind`).
    pub fn kind_and_source(&self) -> (MetricKind, KindSource) {
        if let Some(kind) = self.kind {
            return (kind, KindSource::Written);
        }
        match &self.target {
            Target::Done => return (MetricKind::Milestone, KindSource::Target),
            Target::Relative { .. } | Target::Rank(_) => {
                return (MetricKind::Level, KindSource::Target)
            }
            _ => {}
        }
        let unit = self.target.unit().map(|u| u.dimension);
        if matches!(
            unit,
            Some(crate::units::Dimension::Percent | crate::units::Dimension::PercentagePoint)
        ) || LEVEL_SUFFIXES.iter().any(|s| self.metric.ends_with(s))
        {
            return (MetricKind::Level, KindSource::Wording);
        }
        if CUMULATIVE_PREFIXES
            .iter()
            .any(|p| self.metric.starts_with(p))
            || FLOW_WORDS.iter().any(|w| self.metric.contains(w))
        {
            return (MetricKind::Cumulative, KindSource::Wording);
        }
        (MetricKind::Level, KindSource::Default)
    }

    /// The adjustment in force on `date`: the last one dated on or before it.
    pub fn adjustment_at(&self, date: jiff::civil::Date) -> Option<&Adjustment> {
        self.adjustments.iter().rev().find(|a| a.from <= date)
    }

    /// The target in force for a period ending on `end`: adjusted from an adjustment's date
    /// on, the plan's own before. A figure is judged against the target that stood when its
    /// period closed, so a Q1 report keeps the target of Q1 after a mid-year adjustment.
    pub fn target_at(&self, end: Option<jiff::civil::Date>) -> &Target {
        end.and_then(|d| self.adjustment_at(d))
            .map_or(&self.target, |a| &a.target)
    }

    /// The end year of a multi-year target (`toward 2025`) when `year` comes before it: the
    /// figure of that year is then judged against the year's point on the path.
    pub fn path_to(&self, year: i16) -> Option<i16> {
        self.toward.filter(|end| year < *end)
    }

    /// The deadline as a date, when the rule states one.
    pub fn due_date(&self) -> Option<jiff::civil::Date> {
        self.due.as_deref()?.parse().ok()
    }
}

impl Plan {
    /// Lets the rule files' texts go for the length of a check (`SourceFile::release`):
    /// reports read them again.
    pub fn release_texts(&mut self) {
        self.files.iter_mut().for_each(SourceFile::release);
    }

    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(id.0)
    }

    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.rules.get(id.0)
    }

    /// The units expected to report a rule's figure: those it names, else its task's leads.
    pub fn responsible<'a>(&'a self, rule: &'a Rule) -> &'a [Arc<str>] {
        if !rule.reporters.is_empty() {
            return &rule.reporters;
        }
        self.task(rule.task).map_or(&[], |t| &t.leads[..])
    }

    /// The units whose report of a rule's figure counts: those it names (`by`), else its
    /// task's leads and co-responsible units.
    pub fn may_report<'a>(&'a self, rule: &'a Rule) -> impl Iterator<Item = &'a Arc<str>> {
        let co = match (rule.reporters.is_empty(), self.task(rule.task)) {
            (true, Some(task)) => &task.co[..],
            _ => &[],
        };
        self.responsible(rule).iter().chain(co)
    }

    /// The units that report a tracked metric: those its `by` names (an office outside the
    /// plan, for a figure such as 全市平均水平), else its task's leads.
    pub fn tracked_reporters<'a>(&'a self, tracked: &'a Tracked) -> &'a [Arc<str>] {
        if !tracked.reporters.is_empty() {
            return &tracked.reporters;
        }
        self.task(tracked.task).map_or(&[], |t| &t.leads[..])
    }

    /// The tracked metric named `metric`, if the plan declares one.
    pub fn tracked(&self, metric: &str) -> Option<&Tracked> {
        self.tracked.iter().find(|t| t.metric == metric)
    }

    pub fn period(&self) -> Option<Period> {
        self.header.as_ref().and_then(|h| h.period)
    }
}
