//! Evaluation: every rule against every submission, in time.
//!
//! Data files are loaded and read in parallel, one file per unit of work; each unit returns
//! only compact observations (rule, period, reading, span), so the files themselves are never
//! all in memory at once. A sequential reduce then groups observations by rule and period,
//! combines or flags several reports of one figure, looks up last year's values and other
//! metrics, judges each figure as at its period's end (`time.rs`), finds missing figures, and
//! sorts everything so output never depends on scheduling.

mod findings;
pub mod time;
mod verdict;

pub use findings::{describe_value, shown_derived, shown_expected, target_in_force};
pub use verdict::{read, test, Amount, Problem, Reading};

use crate::diagnostic::{Finding, Kind, Loc, Severity};
use crate::load::{self, FigureValue, LoadedFile, Submission};
use crate::model::{MetricKind, Plan, Reference, RuleId, Strength, Target};
use crate::period::Period;
use crate::source::{DataFileId, DataLoc};
use crate::units::Quantity;
use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Settings of one check run.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// `--deny warnings`: findings that would be warnings are errors.
    pub deny_warnings: bool,
    /// `--as-of DATE`: the evaluation date. Default: the end of the latest period in the data.
    pub as_of: Option<Date>,
    /// `--tolerance 5%`: the on-track band, overriding the plan's `tolerance`.
    pub tolerance: Option<Decimal>,
    /// How much of each data file is read (`--max-file-size`, `--max-figures`, …).
    pub limits: crate::files::Limits,
}

/// The verdicts a rule can get for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Met,
    /// Before the deadline: above the expected progress.
    Ahead,
    /// Before the deadline: on the expected progress, within the tolerance.
    OnTrack,
    /// Before the deadline: below the expected progress.
    Behind,
    /// A milestone not yet done, before its deadline.
    Pending,
    /// A milestone not done after its deadline, before the plan period ends.
    Overdue,
    Unmet,
    Missing,
    Invalid,
    /// A failing `behind`, `unmet` or `overdue` with an accepted explanation (情况说明) that
    /// has not expired: set by `crate::waivers` after evaluation.
    Waived,
}

impl Verdict {
    pub const ALL: [Verdict; 10] = [
        Verdict::Met,
        Verdict::Ahead,
        Verdict::OnTrack,
        Verdict::Behind,
        Verdict::Pending,
        Verdict::Overdue,
        Verdict::Unmet,
        Verdict::Missing,
        Verdict::Invalid,
        Verdict::Waived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Ahead => "ahead",
            Verdict::OnTrack => "on_track",
            Verdict::Behind => "behind",
            Verdict::Pending => "pending",
            Verdict::Overdue => "overdue",
            Verdict::Unmet => "unmet",
            Verdict::Missing => "missing",
            Verdict::Invalid => "invalid",
            Verdict::Waived => "waived",
        }
    }

    /// The word the supervising office uses.
    pub fn chinese(self) -> &'static str {
        match self {
            Verdict::Met => "达标",
            Verdict::Ahead => "超前",
            Verdict::OnTrack => "序时推进",
            Verdict::Behind => "滞后",
            Verdict::Pending => "待完成",
            Verdict::Overdue => "逾期",
            Verdict::Unmet => "未达标",
            Verdict::Missing => "未报送",
            Verdict::Invalid => "无效",
            Verdict::Waived => "已说明",
        }
    }

    /// Only these can fail a run.
    pub fn fails(self) -> bool {
        matches!(
            self,
            Verdict::Behind
                | Verdict::Overdue
                | Verdict::Unmet
                | Verdict::Missing
                | Verdict::Invalid
        )
    }
}

/// One reporter's part of a summed figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub reporter: String,
    pub reported: FigureValue,
    pub figure: DataLoc,
}

/// One rule's verdict for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleResult {
    pub rule: RuleId,
    /// `None` only when nobody reported at all and the plan states no period.
    pub period: Option<Period>,
    pub verdict: Verdict,
    /// `None` unless the verdict fails.
    pub severity: Option<Severity>,
    /// Who reported the figure the verdict rests on.
    pub reporter: Option<String>,
    /// The figure as reported (for a summed figure, the first part).
    pub reported: Option<FigureValue>,
    /// The figure in the target's unit, when it could be compared (for a summed figure, the
    /// total).
    pub compared: Option<Quantity>,
    /// The expected progress by the end of the period, before the deadline.
    pub expected: Option<Quantity>,
    /// Last year's value or the other metric's figure, for a relative target.
    pub reference: Option<Quantity>,
    /// The growth (per cent) or change a relative target compared.
    pub derived: Option<Quantity>,
    /// The parts of a summed figure, one per reporter.
    pub parts: Vec<Part>,
    /// Where the figure was reported.
    pub figure: Option<DataLoc>,
    /// The diagnostic of a result that fails.
    pub finding: Option<Finding>,
}

/// Everything a check run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One per rule and period, in plan order then period order.
    pub results: Vec<RuleResult>,
    /// Findings that are no rule's result: broken input, unknown metrics, duplicates.
    pub findings: Vec<Finding>,
    pub submissions: usize,
    pub figures: usize,
    /// The evaluation date the run used.
    pub as_of: Option<Date>,
    /// The on-track band the run used, in per cent (`--tolerance`, else the plan's), so a
    /// report can draw it.
    pub tolerance: Decimal,
    /// The waivers of the run and what became of each (`crate::waivers`).
    pub waivers: Vec<crate::waivers::WaiverUse>,
}

impl Outcome {
    /// 2 when input is broken, 1 when an error-level finding remains, else 0.
    pub fn exit_code(&self) -> u8 {
        let all = || self.all_findings();
        if all().any(|f| f.kind == Kind::Input) {
            2
        } else if all().any(|f| f.severity == Severity::Error) {
            1
        } else {
            0
        }
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.results.iter().filter(|r| r.verdict == verdict).count()
    }

    /// Every finding: input errors first, then rule results in plan order, then the rest.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        let input = self.findings.iter().filter(|f| f.kind == Kind::Input);
        let results = self.results.iter().filter_map(|r| r.finding.as_ref());
        let other = self.findings.iter().filter(|f| f.kind != Kind::Input);
        input.chain(results).chain(other)
    }
}

/// One reported figure matched to one rule and read for it.
#[derive(Debug, Clone)]
struct Observation {
    rule: RuleId,
    period: Period,
    reporter: Arc<str>,
    value: FigureValue,
    value_loc: DataLoc,
    reading: Result<Reading, Problem>,
}

/// What one data file contributes.
#[derive(Debug, Default)]
struct FileOutcome {
    /// (reporter, period) of every submission in the file.
    reports: Vec<(Arc<str>, Period)>,
    observations: Vec<Observation>,
    /// Figures of tracked metrics (`track`), read in the declared unit.
    tracked: Vec<TrackedFigure>,
    findings: Vec<Finding>,
    figures: usize,
}

/// One figure of a tracked metric: no verdict, only a value for `metric NAME` references.
#[derive(Debug)]
struct TrackedFigure {
    metric: String,
    period: Period,
    value_loc: DataLoc,
    value: Quantity,
}

/// Checks `plan` against the data files at `paths`.
pub fn check(plan: &Plan, paths: &[PathBuf], options: CheckOptions) -> Outcome {
    let limits = options.limits;
    check_with(plan, paths.len(), options, |id| match paths.get(id.0) {
        Some(path) => load::load_file_limited(id, path, &limits),
        None => LoadedFile::default(),
    })
}

/// Checks `plan` against `file_count` data files produced by `load` (a seam for tests and
/// benchmarks that generate data in memory).
pub fn check_with<F>(plan: &Plan, file_count: usize, options: CheckOptions, load: F) -> Outcome
where
    F: Fn(DataFileId) -> LoadedFile + Sync,
{
    let index = Index::new(plan);
    let files: Vec<FileOutcome> = (0..file_count)
        .into_par_iter()
        .map(|i| {
            let id = DataFileId(i);
            // A panic while reading one file must not abort the run: it becomes a finding.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let loaded = load(id);
                observe_file(plan, &index, id, loaded)
            }))
            .unwrap_or_else(|_| FileOutcome {
                findings: vec![findings::internal(id)],
                ..FileOutcome::default()
            })
        })
        .collect();
    reduce(plan, &index, files, options)
}

/// Lookups built once per run.
struct Index<'p> {
    rules_by_metric: HashMap<&'p str, Vec<RuleId>>,
    rules_by_reporter: HashMap<&'p str, Vec<RuleId>>,
    /// (unit, rule) for every unit that answers for a rule: checked once per figure, so a
    /// set rather than a scan of a task's lead list.
    responsible: HashSet<(&'p str, RuleId)>,
    metrics: Vec<&'p str>,
    /// Tracked metrics and the unit each is read in.
    tracked: HashMap<&'p str, Option<&'static crate::units::Unit>>,
}

impl<'p> Index<'p> {
    fn new(plan: &'p Plan) -> Self {
        let mut rules_by_metric: HashMap<&str, Vec<RuleId>> = HashMap::new();
        let mut rules_by_reporter: HashMap<&str, Vec<RuleId>> = HashMap::new();
        let mut responsible = HashSet::new();
        for (i, rule) in plan.rules.iter().enumerate() {
            rules_by_metric
                .entry(rule.metric.as_str())
                .or_default()
                .push(RuleId(i));
            for unit in plan.responsible(rule) {
                responsible.insert((unit.as_str(), RuleId(i)));
                rules_by_reporter
                    .entry(unit.as_str())
                    .or_default()
                    .push(RuleId(i));
            }
        }
        let tracked: HashMap<&str, _> = plan
            .tracked
            .iter()
            .map(|t| (t.metric.as_str(), t.unit))
            .collect();
        let mut metrics: Vec<&str> = rules_by_metric
            .keys()
            .chain(tracked.keys())
            .copied()
            .collect();
        metrics.sort_unstable();
        Self {
            rules_by_metric,
            rules_by_reporter,
            responsible,
            metrics,
            tracked,
        }
    }
}

fn observe_file(plan: &Plan, index: &Index<'_>, id: DataFileId, loaded: LoadedFile) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    for error in &loaded.errors {
        outcome
            .findings
            .push(Finding::from_diagnostic(error, Kind::Input, |span| {
                Loc::Data(DataLoc {
                    file: id,
                    span,
                    cell: error.cell().map(str::to_owned),
                })
            }));
    }
    for submission in loaded.submissions {
        observe_submission(plan, index, submission, &mut outcome);
    }
    outcome
}

fn observe_submission(
    plan: &Plan,
    index: &Index<'_>,
    submission: Submission,
    outcome: &mut FileOutcome,
) {
    let reporter: Arc<str> = Arc::from(submission.reporter.as_str());
    outcome.reports.push((reporter.clone(), submission.period));
    outcome.figures += submission.figures.len();
    for figure in submission.figures {
        if let Some(unit) = index.tracked.get(figure.metric.as_str()) {
            // A tracked figure that cannot be read in its unit is not used: a rule that
            // refers to it then reports its reference as missing.
            if let FigureValue::Number(q) = &figure.value {
                if let Ok(value) = verdict::convert(q, *unit) {
                    outcome.tracked.push(TrackedFigure {
                        metric: figure.metric.clone(),
                        period: submission.period,
                        value_loc: figure.value_loc.clone(),
                        value,
                    });
                }
            }
            continue;
        }
        let Some(rules) = index.rules_by_metric.get(figure.metric.as_str()) else {
            outcome.findings.push(findings::unknown_metric(
                &figure,
                &reporter,
                plan,
                index.metrics.as_slice(),
            ));
            continue;
        };
        for &rule_id in rules {
            let Some(rule) = plan.rule(rule_id) else {
                continue;
            };
            if !index.responsible.contains(&(&*reporter, rule_id)) {
                outcome
                    .findings
                    .push(findings::not_responsible(plan, rule, &figure, &reporter));
            }
            outcome.observations.push(Observation {
                rule: rule_id,
                period: submission.period,
                reporter: reporter.clone(),
                reading: read(rule.target_at(Some(submission.period.end())), &figure.value),
                value: figure.value.clone(),
                value_loc: figure.value_loc.clone(),
            });
        }
    }
}

/// Several observations of one rule and period, made into one figure.
#[derive(Debug)]
struct Combined<'o> {
    /// Every observation, in file order.
    all: &'o [Observation],
    first: &'o Observation,
    reading: Result<Reading, Problem>,
    /// Two observations that disagree, when they may not.
    conflict: Option<(&'o Observation, &'o Observation)>,
    /// Parts of a summed figure.
    parts: Vec<&'o Observation>,
    /// The observation a problem with `reading` is about: the part that could not be added,
    /// else the first.
    blame: &'o Observation,
}

/// Whether two observations report the same value: equal readings (units already
/// converted, so 2900万元 equals 0.29亿元), or the same unreadable value.
fn same_value(a: &Observation, b: &Observation) -> bool {
    match (&a.reading, &b.reading) {
        (Ok(x), Ok(y)) => x == y,
        (Err(_), Err(_)) => a.value == b.value,
        _ => false,
    }
}

/// Summed figures add up one value per reporter; other figures must agree.
fn combine<'o>(summed: bool, observations: &'o [Observation]) -> Option<Combined<'o>> {
    let first = observations.first()?;
    // A summed figure may differ between reporters, never within one.
    let conflict = if summed {
        observations.iter().enumerate().find_map(|(i, o)| {
            let earlier = observations
                .iter()
                .take(i)
                .find(|e| e.reporter == o.reporter && !same_value(e, o))?;
            Some((earlier, o))
        })
    } else {
        observations
            .iter()
            .find(|o| !same_value(first, o))
            .map(|o| (first, o))
    };
    if !summed {
        return Some(Combined {
            all: observations,
            first,
            reading: first.reading.clone(),
            conflict,
            parts: Vec::new(),
            blame: first,
        });
    }
    // One part per reporter: a reporter's repeated identical figure counts once.
    let mut parts: Vec<&Observation> = Vec::new();
    for o in observations {
        if !parts.iter().any(|p| p.reporter == o.reporter) {
            parts.push(o);
        }
    }
    // Parts of a relative rule keep their own units: `total` brings each into the first
    // part's, and adds them exactly or says the total overflows.
    let reading = parts
        .iter()
        .map(|part| match part.reading.clone()? {
            Reading::Number(q) => Ok(q),
            Reading::Done(_) => Err(Problem::WrongKind { milestone: false }),
        })
        .collect::<Result<Vec<Quantity>, Problem>>()
        .and_then(verdict::total);
    let reading = match reading {
        Ok(Some(total)) => Ok(Reading::Number(total)),
        Ok(None) => first.reading.clone(),
        Err(problem) => Err(problem),
    };
    // A part that is no number, or does not convert into the first part's unit, is the one a
    // problem is told against; a total that overflows is the first part's.
    let unit = match &first.reading {
        Ok(Reading::Number(q)) => Some(q.unit),
        _ => None,
    };
    let blame = parts
        .iter()
        .copied()
        .filter(|_| reading.is_err())
        .find(|part| match &part.reading {
            Ok(Reading::Number(q)) => unit.is_some_and(|u| verdict::convert(q, u).is_err()),
            _ => true,
        })
        .unwrap_or(first);
    Some(Combined {
        all: observations,
        first,
        reading,
        conflict,
        parts,
        blame,
    })
}

fn reduce(
    plan: &Plan,
    index: &Index<'_>,
    files: Vec<FileOutcome>,
    options: CheckOptions,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut reported: BTreeSet<(RuleId, Period)> = BTreeSet::new();
    let mut groups: BTreeMap<(RuleId, Period), Vec<Observation>> = BTreeMap::new();
    // The first figure in file order of each tracked metric and period.
    let mut tracked: BTreeMap<(String, Period), (DataLoc, Quantity)> = BTreeMap::new();
    for file in files {
        for figure in file.tracked {
            let key = (figure.metric, figure.period);
            let earlier = tracked
                .get(&key)
                .is_some_and(|(at, _)| *at <= figure.value_loc);
            if !earlier {
                tracked.insert(key, (figure.value_loc, figure.value));
            }
        }
        outcome.submissions += file.reports.len();
        outcome.figures += file.figures;
        outcome.findings.extend(file.findings);
        for (reporter, period) in file.reports {
            for &rule in index
                .rules_by_reporter
                .get(&*reporter)
                .into_iter()
                .flatten()
            {
                reported.insert((rule, period));
            }
        }
        for observation in file.observations {
            groups
                .entry((observation.rule, observation.period))
                .or_default()
                .push(observation);
        }
    }
    for observations in groups.values_mut() {
        observations.sort_by(|a, b| a.value_loc.cmp(&b.value_loc));
    }
    let plan_period = plan.period();
    let in_plan = |p: Period| plan_period.is_none_or(|pp| pp.contains(p));
    let as_of = options.as_of.or_else(|| {
        reported
            .iter()
            .map(|(_, p)| *p)
            .chain(groups.keys().map(|(_, p)| *p))
            .filter(|p| in_plan(*p))
            .map(Period::end)
            .max()
    });
    outcome.as_of = as_of;
    let due_by = |p: Period| as_of.is_none_or(|d| p.end() <= d);
    let clock = time::Clock {
        plan_period,
        tolerance: options
            .tolerance
            .or_else(|| plan.header.as_ref().and_then(|h| h.tolerance))
            .unwrap_or_default(),
        approx: plan.header.as_ref().and_then(|h| h.approx),
    };
    outcome.tolerance = clock.tolerance;
    let combined: BTreeMap<(RuleId, Period), Combined<'_>> = groups
        .iter()
        .filter_map(|(key, obs)| {
            let summed = plan.rule(key.0).is_some_and(|r| r.summed);
            Some((*key, combine(summed, obs)?))
        })
        .collect();

    let mut periods_of_rule: BTreeMap<RuleId, BTreeSet<Period>> = BTreeMap::new();
    // Rules whose units submitted only for periods after the evaluation date: nothing of
    // theirs is due yet.
    let mut not_yet_due: BTreeSet<RuleId> = BTreeSet::new();
    for &(rule, period) in reported.iter().chain(groups.keys()) {
        if in_plan(period) && due_by(period) {
            periods_of_rule.entry(rule).or_default().insert(period);
        } else if in_plan(period) {
            not_yet_due.insert(rule);
        }
    }
    // The period the run is about: the latest one checked, else the plan's once it has ended.
    let current = periods_of_rule
        .values()
        .flatten()
        .copied()
        .max_by_key(|p| (p.end(), std::cmp::Reverse(p.start())))
        .or(plan_period);
    let current_due = current.is_none_or(due_by);
    let mut used: HashSet<(RuleId, Period)> = HashSet::new();
    let judge_ctx = Judge {
        plan,
        index,
        combined: &combined,
        tracked: &tracked,
        clock,
        options,
    };
    for (i, rule) in plan.rules.iter().enumerate() {
        let rule_id = RuleId(i);
        let severity = severity_of(rule.strength, options);
        let Some(periods) = periods_of_rule.get(&rule_id) else {
            // Nobody who answers for this rule reported anything that is due: it is still
            // missing, in the period the run is about, unless that has not ended yet.
            if current_due && !not_yet_due.contains(&rule_id) {
                outcome
                    .results
                    .push(missing(plan, rule_id, current, severity));
            }
            continue;
        };
        let latest = periods
            .iter()
            .filter(|p| combined.contains_key(&(rule_id, **p)))
            .map(|p| p.end())
            .max();
        for &period in periods {
            used.insert((rule_id, period));
            let at = time::judged_at(rule, period, latest, as_of);
            let result = match combined.get(&(rule_id, period)) {
                None => missing(plan, rule_id, Some(period), severity),
                Some(figure) => judge_ctx.decide(
                    (rule_id, period, at),
                    figure,
                    &mut used,
                    &mut outcome.findings,
                ),
            };
            outcome.results.push(result);
        }
    }
    for (earlier, later) in time::falling_year_to_date(plan, &outcome.results) {
        outcome
            .findings
            .extend(findings::falling_year_to_date(plan, earlier, later));
    }
    report_unused(&groups, &used, plan_period, as_of, &mut outcome.findings);
    note_unreadable_files(&mut outcome);

    if options.deny_warnings {
        for finding in &mut outcome.findings {
            if finding.kind == Kind::Check {
                finding.severity = Severity::Error;
            }
        }
    }
    outcome.results.sort_by_key(|r| {
        let task = plan
            .rule(r.rule)
            .and_then(|rule| plan.task(rule.task))
            .map(|t| t.number);
        (
            task,
            r.rule,
            r.period.map(|p| (p.end(), std::cmp::Reverse(p.start()))),
        )
    });
    outcome.findings.sort_by(|a, b| {
        (a.kind as u8, a.primary(), a.code).cmp(&(b.kind as u8, b.primary(), b.code))
    });
    // A figure whose metric several rules of one task check gives the same not-responsible
    // finding once per rule; one is enough.
    outcome.findings.dedup();
    outcome
}

/// When a data file could not be read, its figures are among the missing ones: say so where
/// a figure is reported missing, so nobody is told a department sent nothing when it did.
fn note_unreadable_files(outcome: &mut Outcome) {
    let unreadable = outcome
        .findings
        .iter()
        .any(|f| f.kind == Kind::Input && matches!(f.primary(), Some(Loc::Data(_))));
    if !unreadable {
        return;
    }
    for result in &mut outcome.results {
        if let (Verdict::Missing, Some(finding)) = (result.verdict, &mut result.finding) {
            let help = finding.help.get_or_insert_with(String::new);
            help.push_str("\n另有填报文件无法读取（见上文），其中的数值未能计入");
        }
    }
}

/// Figures that no result used: outside the plan period and no rule's last-year value, or
/// after the evaluation date. Reported once per period, so a last year's file with fifty
/// figures gives one warning, not fifty.
fn report_unused(
    groups: &BTreeMap<(RuleId, Period), Vec<Observation>>,
    used: &HashSet<(RuleId, Period)>,
    plan_period: Option<Period>,
    as_of: Option<Date>,
    findings: &mut Vec<Finding>,
) {
    let mut unused: BTreeMap<Period, (usize, &DataLoc)> = BTreeMap::new();
    for (key, observations) in groups {
        if used.contains(key) {
            continue;
        }
        let Some(first) = observations.first() else {
            continue;
        };
        let entry = unused.entry(key.1).or_insert((0, &first.value_loc));
        entry.0 += observations.len();
        if first.value_loc < *entry.1 {
            entry.1 = &first.value_loc;
        }
    }
    for (period, (count, loc)) in unused {
        let outside = plan_period.is_some_and(|pp| !pp.contains(period));
        findings.push(if outside {
            findings::outside_period(period, plan_period, count, loc)
        } else {
            findings::after_as_of(period, as_of, count, loc)
        });
    }
}

fn severity_of(strength: Strength, options: CheckOptions) -> Severity {
    match strength {
        Strength::Strive if !options.deny_warnings => Severity::Warning,
        _ => Severity::Error,
    }
}

fn blank(rule: RuleId, period: Option<Period>, verdict: Verdict) -> RuleResult {
    RuleResult {
        rule,
        period,
        verdict,
        severity: None,
        reporter: None,
        reported: None,
        compared: None,
        expected: None,
        reference: None,
        derived: None,
        parts: Vec::new(),
        figure: None,
        finding: None,
    }
}

fn missing(plan: &Plan, rule: RuleId, period: Option<Period>, severity: Severity) -> RuleResult {
    RuleResult {
        severity: Some(severity),
        finding: findings::missing(plan, rule, period, severity),
        ..blank(rule, period, Verdict::Missing)
    }
}

/// What deciding one figure needs from the whole run.
struct Judge<'a, 'o> {
    plan: &'a Plan,
    index: &'a Index<'a>,
    combined: &'a BTreeMap<(RuleId, Period), Combined<'o>>,
    tracked: &'a BTreeMap<(String, Period), (DataLoc, Quantity)>,
    clock: time::Clock,
    options: CheckOptions,
}

impl Judge<'_, '_> {
    /// Last year's value, or the other metric's figure for the same period.
    fn reference(
        &self,
        rule_id: RuleId,
        period: Period,
        used: &mut HashSet<(RuleId, Period)>,
        other_findings: &mut Vec<Finding>,
    ) -> Option<Quantity> {
        let rule = self.plan.rule(rule_id)?;
        let Target::Relative { reference, .. } = &rule.target else {
            return None;
        };
        match reference {
            Reference::LastYear => {
                let last = (rule_id, period.previous_year());
                // Two different figures for last year are no reference: taking the first
                // would make the verdict depend on the order of the files.
                let submitted = self
                    .combined
                    .get(&last)
                    .filter(|c| c.conflict.is_none())
                    .and_then(|c| match c.reading {
                        Ok(Reading::Number(q)) => Some((q, c.first)),
                        _ => None,
                    });
                if submitted.is_some() {
                    used.insert(last);
                }
                // A stated baseline is last year's annual value: it serves the full year, and
                // every period of a level (a rate does not accumulate).
                let annual = self.clock.plan_period.is_none_or(|pp| pp == period);
                let baseline = rule
                    .baseline
                    .filter(|_| annual || rule.kind() == MetricKind::Level);
                // The plan's baseline is the figure the target was set against: it wins, and
                // a submission that says otherwise is shown next to it.
                match (baseline, submitted) {
                    (Some(baseline), Some((q, observation))) => {
                        if !time::same_amount(baseline, q) {
                            other_findings.extend(findings::baseline_differs(
                                self.plan,
                                rule_id,
                                period,
                                baseline,
                                observation,
                            ));
                        }
                        Some(baseline)
                    }
                    (Some(baseline), None) => Some(baseline),
                    (None, submitted) => submitted.map(|(q, _)| q),
                }
            }
            Reference::Metric { name, .. } => self
                .index
                .rules_by_metric
                .get(name.as_str())
                .into_iter()
                .flatten()
                .find_map(|other| {
                    let figure = self.combined.get(&(*other, period))?;
                    match figure.reading {
                        Ok(Reading::Number(q)) if figure.conflict.is_none() => Some(q),
                        _ => None,
                    }
                })
                .or_else(|| {
                    let key = (name.clone(), period);
                    self.tracked.get(&key).map(|(_, value)| *value)
                }),
        }
    }

    /// Decides the figure of `rule_id` for `period`, judged as at the date `at`.
    fn decide(
        &self,
        (rule_id, period, at): (RuleId, Period, Date),
        figure: &Combined<'_>,
        used: &mut HashSet<(RuleId, Period)>,
        other_findings: &mut Vec<Finding>,
    ) -> RuleResult {
        let plan = self.plan;
        let Some(rule) = plan.rule(rule_id) else {
            return blank(rule_id, Some(period), Verdict::Invalid);
        };
        let severity = severity_of(rule.strength, self.options);
        let first = figure.first;
        let mut result = RuleResult {
            reporter: Some(first.reporter.to_string()),
            reported: Some(first.value.clone()),
            figure: Some(first.value_loc.clone()),
            parts: figure
                .parts
                .iter()
                .map(|o| Part {
                    reporter: o.reporter.to_string(),
                    reported: o.value.clone(),
                    figure: o.value_loc.clone(),
                })
                .collect(),
            ..blank(rule_id, Some(period), Verdict::Met)
        };
        if let Some((a, b)) = figure.conflict {
            result.verdict = Verdict::Invalid;
            result.severity = Some(severity);
            result.finding = findings::conflict(plan, rule_id, period, a, b, severity);
            return result;
        }
        if !rule.summed {
            let observations = figure.all;
            for (i, later) in observations.iter().enumerate().skip(1) {
                if let Some(earlier) = observations
                    .iter()
                    .take(i)
                    .find(|o| o.reporter == later.reporter)
                {
                    other_findings.push(findings::duplicate(plan, rule_id, period, earlier, later));
                }
            }
        }
        let reference = self.reference(rule_id, period, used, other_findings);
        result.reference = reference;
        let judged = figure.reading.clone().and_then(|reading| {
            result.compared = reading.quantity();
            time::judge(rule, reading, reference, at, &self.clock)
        });
        match judged {
            Ok(judged) => {
                result.verdict = judged.verdict;
                result.expected = judged.expected;
                result.derived = judged.derived;
                if judged.verdict.fails() {
                    result.severity = Some(severity);
                    result.finding = findings::failed(plan, &result, severity);
                }
            }
            Err(Problem::NoReference) => {
                result.verdict = Verdict::Missing;
                result.severity = Some(severity);
                result.finding = findings::no_reference(plan, rule_id, period, first, severity);
            }
            Err(problem) => {
                result.verdict = Verdict::Invalid;
                result.severity = Some(severity);
                result.finding =
                    findings::unusable(plan, rule_id, period, figure.blame, &problem, severity);
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict;

    #[test]
    fn verdicts_are_listed_in_declaration_order() {
        // Summaries index counts by `verdict as usize`; ALL must match that order.
        for (i, verdict) in Verdict::ALL.iter().enumerate() {
            assert_eq!(*verdict as usize, i, "{verdict:?}");
        }
    }
}
