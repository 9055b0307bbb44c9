//! Evaluation: every rule against every submission, in time.
//!
//! Data files are loaded and read in parallel, one file per unit of work; each unit returns
//! only compact observations (rule, period, reading, span), so the files themselves are never
//! all in memory at once. A sequential reduce then groups observations by rule and period,
//! combines or flags several reports of one figure, looks up last year's values and other
//! metrics, judges each figure as at its period's end (`time.rs`), finds missing figures, and
//! sorts everything so output never depends on scheduling.

mod accumulate;
mod findings;
mod impossible;
pub mod time;
mod verdict;
mod workers;

pub use findings::{
    describe_value, path_baseline, shown_derived, shown_expected, shown_peer, target_in_force,
    units_list,
};
pub use verdict::{read, Amount, Problem, Reading};

use crate::diagnostic::{Finding, Kind, Loc, Severity};
use crate::files::list::PathList;
use crate::load::{self, FigureValue, LoadedFile};
use crate::model::{MetricKind, Plan, Reference, Relation, RuleId, Strength, Target};
use crate::period::Period;
use crate::source::{DataFileId, DataLoc};
use crate::units::Quantity;
use accumulate::{FastMap, Tallies, Tally, UnitId};
use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
pub(crate) use workers::fold_per_thread;

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

/// One distinct value reported for a rule and period: shown once, however many reporters
/// confirm it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub reported: FigureValue,
    /// Who gave it first, in place order.
    pub reporter: String,
    /// How many reports gave it.
    pub reports: usize,
    /// Its first few places (at most `PLACES`), in order.
    pub places: Vec<DataLoc>,
}

/// How many places of one value results keep; the others are counted.
pub const PLACES: usize = accumulate::PLACES;

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
    /// For a growth in step with another metric (`growth >= growth of metric X`), X's
    /// growth in per cent.
    pub peer: Option<Quantity>,
    /// The parts of a summed figure, one per reporter.
    pub parts: Vec<Part>,
    /// Where the figure was reported.
    pub figure: Option<DataLoc>,
    /// Every distinct value reported, in place order: one when the reporters agree, several
    /// in a conflict.
    pub values: Vec<Reported>,
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
    /// The exit code and the settings that decided it, stored by `policy::Policy::apply`.
    pub decision: Option<crate::policy::Decision>,
    /// The waivers of the run and what became of each (`crate::waivers`).
    pub waivers: Vec<crate::waivers::WaiverUse>,
}

impl Outcome {
    /// The exit code the policy step stored; before it has run, what the default policy
    /// gives: 2 when input is broken, 1 when an error-level finding remains, else 0.
    pub fn exit_code(&self) -> u8 {
        if let Some(decision) = self.decision {
            return decision.exit_code;
        }
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

/// Checks `plan` against the data files at `paths`.
pub fn check(plan: &Plan, paths: &PathList, options: CheckOptions) -> Outcome {
    check_observed(plan, paths, options, &|| {})
}

/// Checks `plan` against the data files at `paths`, calling `on_file` once per file read (for
/// a progress bar).
pub fn check_observed(
    plan: &Plan,
    paths: &PathList,
    options: CheckOptions,
    on_file: &(dyn Fn() + Sync),
) -> Outcome {
    let limits = options.limits;
    check_visiting(plan, paths.len(), options, |id, visit| {
        if let Some(path) = paths.get(id.0) {
            load::visit_file(id, &path, &limits, visit);
        }
        on_file();
    })
}

/// Checks `plan` against `file_count` data files produced by `load` (a seam for tests and
/// benchmarks that generate data in memory). File ids number the files in the order that
/// defines "first" among reports: callers pass files in path order.
pub fn check_with<F>(plan: &Plan, file_count: usize, options: CheckOptions, load: F) -> Outcome
where
    F: Fn(DataFileId) -> LoadedFile + Sync,
{
    check_visiting(plan, file_count, options, |id, visit| {
        load::visit_loaded(load(id), visit);
    })
}

/// As `check_with`, where `read` hands each file's errors and submissions to a visitor
/// (`load::visit_file`), so figures can borrow from the file's text.
pub fn check_visiting<F>(plan: &Plan, file_count: usize, options: CheckOptions, read: F) -> Outcome
where
    F: Fn(DataFileId, &mut dyn FnMut(load::Read<'_>)) + Sync,
{
    let load = read;
    let fold = Fold::new(plan);
    let tallies = fold_per_thread(
        file_count,
        PlanTallies::default,
        |tallies, i| {
            let id = DataFileId(i);
            // A panic while reading one file must not abort the run: it becomes a finding.
            // Figures the file gave before the panic stay counted.
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                load(id, &mut |event| fold.observe(id, event, tallies));
            }));
            if done.is_err() {
                tallies.panicked(id);
            }
        },
        PlanTallies::merge,
    );
    fold.finish(tallies, options, &load)
}

/// What the files read so far add up to for one plan.
#[derive(Debug, Default)]
pub(crate) struct PlanTallies(Tallies);

impl PlanTallies {
    pub(crate) fn merge(self, other: PlanTallies) -> PlanTallies {
        PlanTallies(self.0.merge(other.0))
    }

    /// A panic while reading file `id`, as an internal-error finding.
    pub(crate) fn panicked(&mut self, id: DataFileId) {
        self.0.findings.push(findings::internal(id));
    }
}

/// One plan's evaluation taken apart, for a caller that reads the files itself:
/// `crate::plans` reads each file of a run of several plans once and folds each submission
/// into the tallies of the plan it belongs to. `check_visiting` is this over one plan's files.
pub(crate) struct Fold<'p> {
    plan: &'p Plan,
    index: Index<'p>,
}

impl<'p> Fold<'p> {
    pub(crate) fn new(plan: &'p Plan) -> Self {
        Fold {
            plan,
            index: Index::new(plan),
        }
    }

    /// Folds one error or submission of file `id` into `tallies`.
    pub(crate) fn observe(&self, id: DataFileId, event: load::Read<'_>, tallies: &mut PlanTallies) {
        observe(self.plan, &self.index, id, event, &mut tallies.0);
    }

    /// Judges the tallies. `read` reads a file again as this plan saw it, for repeated reports.
    pub(crate) fn finish<F>(&self, tallies: PlanTallies, options: CheckOptions, read: &F) -> Outcome
    where
        F: Fn(DataFileId, &mut dyn FnMut(load::Read<'_>)) + Sync,
    {
        let (groups, residue) = tallies.0.into_groups();
        let repeats = repeated_reports(self.plan, &self.index, &residue, read);
        reduce(self.plan, &self.index, groups, residue, &repeats, options)
    }
}

/// Lookups built once per run.
struct Index<'p> {
    rules_by_metric: FastMap<&'p str, Vec<RuleId>>,
    /// Every unit the plan names (task leads and co units, rule and `track` reporters): a
    /// submission from any other is an unknown reporter.
    units: FastMap<&'p str, Unit>,
    /// Each unit's groups (`Unit::groups`), by `UnitId`.
    unit_groups: Vec<Arc<[usize]>>,
    rule_groups: Vec<Vec<RuleId>>,
    /// The group of each rule (indexed by `RuleId`): each rule is in exactly one.
    group_of_rule: Vec<usize>,
    /// The same units, sorted: what an unknown reporter's finding suggests from.
    unit_names: Vec<&'p str>,
    metrics: crate::suggest::Suggestions<'p>,
    /// Tracked metrics and the unit each is read in.
    tracked: FastMap<&'p str, Option<&'static crate::units::Unit>>,
    /// Tracked metrics from outside the plan (`track … by …`) and who alone reports each.
    outside: FastMap<&'p str, &'p crate::model::Tracked>,
}

impl<'p> Index<'p> {
    fn new(plan: &'p Plan) -> Self {
        let mut rules_by_metric: FastMap<&str, Vec<RuleId>> = FastMap::default();
        let mut groups_by_reporter: FastMap<&str, Vec<usize>> = FastMap::default();
        let mut rule_groups: Vec<Vec<RuleId>> = Vec::new();
        // Rules without their own reporters are answered for by their task's leads: grouped
        // by task, a national task's thousands of leads are hashed once per task, not once
        // per rule.
        let mut by_task: BTreeMap<usize, Vec<RuleId>> = BTreeMap::new();
        for (i, rule) in plan.rules.iter().enumerate() {
            rules_by_metric
                .entry(rule.metric.as_str())
                .or_default()
                .push(RuleId(i));
            if rule.reporters.is_empty() {
                by_task.entry(rule.task.0).or_default().push(RuleId(i));
                continue;
            }
            for unit in &rule.reporters {
                groups_by_reporter
                    .entry(&**unit)
                    .or_default()
                    .push(rule_groups.len());
            }
            rule_groups.push(vec![RuleId(i)]);
        }
        // Co-responsible units (`co`) report a task's figures as its leads do.
        for (task, rules) in by_task {
            let units = plan
                .tasks
                .get(task)
                .into_iter()
                .flat_map(|t| t.leads.iter().chain(t.co.iter()));
            for unit in units {
                groups_by_reporter
                    .entry(&**unit)
                    .or_default()
                    .push(rule_groups.len());
            }
            rule_groups.push(rules);
        }
        let mut group_of_rule = vec![0; plan.rules.len()];
        for (group, rules) in rule_groups.iter().enumerate() {
            for rule in rules {
                if let Some(slot) = group_of_rule.get_mut(rule.0) {
                    *slot = group;
                }
            }
        }
        let tracked: FastMap<&str, _> = plan
            .tracked
            .iter()
            .map(|t| (t.metric.as_str(), t.unit))
            .collect();
        let outside: FastMap<&str, _> = plan
            .tracked
            .iter()
            .filter(|t| !t.reporters.is_empty())
            .map(|t| (t.metric.as_str(), t))
            .collect();
        let (units, unit_groups) = Unit::all(plan, &groups_by_reporter);
        let mut unit_names: Vec<&str> = units.keys().copied().collect();
        unit_names.sort_unstable();
        let mut metrics: Vec<&str> = rules_by_metric
            .keys()
            .chain(tracked.keys())
            .copied()
            .collect();
        metrics.sort_unstable();
        Self {
            rules_by_metric,
            rule_groups,
            group_of_rule,
            units,
            unit_groups,
            unit_names,
            metrics: crate::suggest::Suggestions::new(plan, metrics),
            tracked,
            outside,
        }
    }

    /// The groups unit `id` answers for, in increasing order.
    fn groups_of_unit(&self, id: UnitId) -> &[usize] {
        self.unit_groups
            .get(id.index())
            .map_or(&[][..], |groups| groups)
    }

    /// Whether the unit with `groups` (`groups_of`) answers for `rule`: a search among a
    /// unit's few groups, rather than a flag per rule of the plan made for each submission.
    fn answers(&self, groups: &[usize], rule: RuleId) -> bool {
        self.group_of_rule
            .get(rule.0)
            .is_some_and(|group| groups.binary_search(group).is_ok())
    }
}

/// A unit the plan names, made once per run and shared by every submission and tally of it.
struct Unit {
    /// The unit's number, which the records of its submissions hold instead of its name.
    id: UnitId,
    /// The name the tallies of its figures hold, so reading a file allocates no name.
    name: Arc<str>,
}

impl Unit {
    /// Every unit, and by `UnitId` the groups of rules each answers for (indices into
    /// `Index::rule_groups`), in increasing order: they are numbered as they are made, and
    /// each unit's list is appended to in that order. Rules are grouped by task when the
    /// task's leads answer for them, so a unit leading every task of a national plan costs one
    /// entry a task, not one a rule; and units with the same duties (a national plan's
    /// thousands of co-leads) share one list.
    fn all<'p>(
        plan: &'p Plan,
        groups_by_reporter: &FastMap<&str, Vec<usize>>,
    ) -> (FastMap<&'p str, Unit>, Vec<Arc<[usize]>>) {
        let mut shared: FastMap<Vec<usize>, Arc<[usize]>> = FastMap::default();
        let mut groups_of = |name: &str| -> Arc<[usize]> {
            let groups = groups_by_reporter.get(name).cloned().unwrap_or_default();
            shared
                .entry(groups)
                .or_insert_with_key(|groups| Arc::from(groups.as_slice()))
                .clone()
        };
        let mut units: FastMap<&str, Unit> = FastMap::default();
        let mut unit_groups = Vec::new();
        let names = plan
            .tasks
            .iter()
            .flat_map(|t| t.leads.iter().chain(t.co.iter()))
            .chain(plan.rules.iter().flat_map(|r| r.reporters.iter()))
            .chain(plan.tracked.iter().flat_map(|t| t.reporters.iter()));
        for name in names {
            units.entry(&**name).or_insert_with(|| {
                unit_groups.push(groups_of(name));
                Unit {
                    id: UnitId::at(unit_groups.len() - 1),
                    name: name.clone(),
                }
            });
        }
        (units, unit_groups)
    }
}

fn observe(
    plan: &Plan,
    index: &Index<'_>,
    id: DataFileId,
    event: load::Read<'_>,
    tallies: &mut Tallies,
) {
    match event {
        load::Read::Error(error) => {
            // A loader's warning (a CSV read as GBK, a column clerks add) is a note about the
            // file, not broken input.
            let kind = match miette::Diagnostic::severity(&error) {
                Some(miette::Severity::Warning) => Kind::Check,
                _ => Kind::Input,
            };
            tallies
                .findings
                .push(Finding::from_diagnostic(&error, kind, |span| {
                    Loc::Data(DataLoc {
                        file: id,
                        span,
                        cell: error.cell().map(str::to_owned),
                    })
                }));
        }
        load::Read::Submission(submission) => {
            observe_submission(plan, index, id, submission, tallies);
        }
    }
}

fn observe_submission(
    plan: &Plan,
    index: &Index<'_>,
    id: DataFileId,
    submission: load::SubmissionRef<'_>,
    tallies: &mut Tallies,
) {
    let unit = index
        .units
        .get(submission.reporter)
        .filter(|_| !crate::source::invisible_only(submission.reporter));
    let Some(unit) = unit else {
        // A stranger's figures are not checked, so they can never meet a target.
        tallies
            .findings
            .push(findings::unknown_reporter(&index.unit_names, &submission));
        return;
    };
    let reporter = &unit.name;
    let groups = index.groups_of_unit(unit.id);
    let period = submission.period;
    let rules = plan.rules.len();
    tallies.figures += submission.figures.len();
    tallies.submitted(unit.id, period, id, index.unit_groups.len());
    // A metric given twice in one submission is a repeated report, found in a second pass.
    let mut seen = vec![false; rules];
    let mut repeated = false;
    let Tallies {
        periods,
        sparse,
        findings,
        tracked,
        ..
    } = tallies;
    let mut slots = accumulate::period_slots(periods, sparse, period, rules);
    for figure in &submission.figures {
        if let Some(unit) = index.tracked.get(figure.metric) {
            // A figure from outside the plan counts only from the office named: a department
            // does not set its own benchmark.
            if let Some(outside) = index.outside.get(figure.metric) {
                if !outside.reporters.iter().any(|r| **r == **reporter) {
                    findings.push(findings::not_the_outside_reporter(
                        outside,
                        &figure.clone().to_owned(),
                        reporter,
                    ));
                    continue;
                }
            }
            // A tracked figure that cannot be read in its unit is not used: a rule that
            // refers to it then reports its reference as missing.
            if let FigureValue::Number(q) = &figure.value {
                if let Ok(value) = verdict::convert(q, *unit) {
                    accumulate::track(
                        tracked,
                        (figure.metric.to_owned(), period),
                        &figure.value_loc,
                        value,
                    );
                }
            }
            continue;
        }
        let Some(matched) = index.rules_by_metric.get(figure.metric) else {
            findings.push(findings::unknown_metric(figure, reporter, &index.metrics));
            continue;
        };
        if let Some(flag) = matched.first().and_then(|r| seen.get_mut(r.0)) {
            repeated |= std::mem::replace(flag, true);
        }
        for &rule_id in matched {
            let (Some(rule), Some(slot)) = (plan.rule(rule_id), slots.get(rule_id)) else {
                continue;
            };
            if !index.answers(groups, rule_id) {
                findings.push(findings::not_responsible(
                    plan,
                    rule,
                    &figure.clone().to_owned(),
                    reporter,
                ));
            }
            if !rule.summed && slot.confirm(reporter, &figure.value, &figure.value_loc) {
                continue;
            }
            slot.add(
                rule.summed,
                reporter,
                &figure.value,
                &figure.value_loc,
                reading_of(rule, period, &figure.value),
                |reading| Observation {
                    rule: rule_id,
                    period,
                    reporter: reporter.clone(),
                    value: figure.value.clone(),
                    value_loc: figure.value_loc.clone(),
                    reading,
                },
            );
        }
    }
    if repeated {
        tallies.repeated_inside.push((unit.id, period));
    }
}

/// A figure read for `rule` in `period`: in the target in force at the period's end (an
/// approved adjustment may change its unit or bound), and made `invalid` if impossible. Both
/// passes over the files read through it, so a repeated report is read as the first was.
fn reading_of(
    rule: &crate::model::Rule,
    period: Period,
    value: &FigureValue,
) -> Result<Reading, Problem> {
    let target = rule.target_at(Some(period.end()));
    impossible::screen(rule, target, value, read(target, value))
}

/// Every report of a reporter who reported one period more than once, by rule and period,
/// in place order: the files that hold them are read again, which costs nothing unless
/// someone did report twice.
fn repeated_reports<F>(
    plan: &Plan,
    index: &Index<'_>,
    residue: &accumulate::Residue,
    load: &F,
) -> BTreeMap<(RuleId, Period), Vec<Observation>>
where
    F: Fn(DataFileId, &mut dyn FnMut(load::Read<'_>)) + Sync,
{
    let (keys, files) = residue.repeats();
    let mut groups: BTreeMap<(RuleId, Period), Vec<Observation>> = BTreeMap::new();
    if keys.is_empty() {
        return groups;
    }
    let keys: HashSet<(UnitId, Period)> = keys.into_iter().collect();
    let observed: Vec<Vec<Observation>> = files
        .par_iter()
        .map(|&id| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut observations = Vec::new();
                load(id, &mut |event| {
                    let load::Read::Submission(submission) = event else {
                        return;
                    };
                    let Some(unit) = index.units.get(submission.reporter) else {
                        return;
                    };
                    if !keys.contains(&(unit.id, submission.period)) {
                        return;
                    }
                    let reporter = &unit.name;
                    for figure in submission.figures {
                        let matched = index.rules_by_metric.get(figure.metric);
                        for &rule_id in matched.into_iter().flatten() {
                            let Some(rule) = plan.rule(rule_id) else {
                                continue;
                            };
                            observations.push(Observation {
                                rule: rule_id,
                                period: submission.period,
                                reporter: reporter.clone(),
                                reading: reading_of(rule, submission.period, &figure.value),
                                value: figure.value.clone(),
                                value_loc: figure.value_loc.clone(),
                            });
                        }
                    }
                });
                observations
            }))
            // The first pass already reported the panic.
            .unwrap_or_default()
        })
        .collect();
    for observation in observed.into_iter().flatten() {
        groups
            .entry((observation.rule, observation.period))
            .or_default()
            .push(observation);
    }
    for observations in groups.values_mut() {
        observations.sort_by(|a, b| a.value_loc.cmp(&b.value_loc));
    }
    groups
}

/// Several reports of one rule and period, made into one figure.
#[derive(Debug)]
struct Combined<'o> {
    tally: &'o Tally,
    first: &'o Observation,
    reading: Result<Reading, Problem>,
    /// Two reports that disagree, when they may not.
    conflict: Option<(&'o Observation, &'o Observation)>,
    /// Parts of a summed figure.
    parts: Vec<&'o Observation>,
    /// The report a problem with `reading` is about: the part that could not be added, else
    /// the first.
    blame: &'o Observation,
}

/// Summed figures add up one value per reporter; other figures must agree.
fn combine(summed: bool, tally: &Tally) -> Option<Combined<'_>> {
    let first = tally.first()?;
    if !summed {
        // Values are in place order: the earliest report against the earliest that differs.
        let conflict = tally.values.get(1).map(|other| (first, &other.first));
        return Some(Combined {
            tally,
            first,
            reading: first.reading.clone(),
            conflict,
            parts: Vec::new(),
            blame: first,
        });
    }
    // A summed figure may differ between reporters, never within one: the conflict is the
    // one whose later report comes first.
    let conflict = tally
        .by_reporter
        .values()
        .filter_map(|values| Some((&values.first()?.first, &values.get(1)?.first)))
        .min_by(|a, b| a.1.value_loc.cmp(&b.1.value_loc));
    // One part per reporter, its earliest report; in place order.
    let mut parts: Vec<&Observation> = tally
        .by_reporter
        .values()
        .filter_map(|values| values.first().map(|d| &d.first))
        .collect();
    parts.sort_by(|a, b| a.value_loc.cmp(&b.value_loc));
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
        tally,
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
    groups: BTreeMap<(RuleId, Period), Tally>,
    mut residue: accumulate::Residue,
    repeats: &BTreeMap<(RuleId, Period), Vec<Observation>>,
    options: CheckOptions,
) -> Outcome {
    let mut outcome = Outcome {
        submissions: residue.submissions,
        figures: residue.figures,
        findings: std::mem::take(&mut residue.findings),
        ..Outcome::default()
    };
    let tracked = std::mem::take(&mut residue.tracked);
    // Which rules someone who answers for them reported on, per period. Groups first: a
    // national task's thousands of co-leads each mark the task's group, and the group's rules
    // are added once per period.
    let plan_period = plan.period();
    let in_plan = |p: Period| plan_period.is_none_or(|pp| pp.contains(p));
    let mut group_flags: BTreeMap<Period, Vec<bool>> = BTreeMap::new();
    // Only the plan's periods are judged: a file of thousands of periods outside it (every
    // month since the year 1000) must not cost a mark per rule for each.
    let submitted = residue.reporters_and_periods().filter(|(_, p)| in_plan(*p));
    for (reporter, period) in submitted {
        let flags = group_flags
            .entry(period)
            .or_insert_with(|| vec![false; index.rule_groups.len()]);
        for &group in index.groups_of_unit(reporter) {
            if let Some(flag) = flags.get_mut(group) {
                *flag = true;
            }
        }
    }
    let mut reported: BTreeSet<(RuleId, Period)> = BTreeSet::new();
    for (period, groups) in group_flags {
        let marked = groups.iter().enumerate().filter(|(_, marked)| **marked);
        for (group, _) in marked {
            let rules = index.rule_groups.get(group).into_iter().flatten();
            reported.extend(rules.map(|rule| (*rule, period)));
        }
    }
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
        approx: verdict::Slack {
            share: plan.header.as_ref().and_then(|h| h.approx),
            points: plan.header.as_ref().and_then(|h| h.approx_points),
        },
    };
    outcome.tolerance = clock.tolerance;
    let combined: BTreeMap<(RuleId, Period), Combined<'_>> = groups
        .iter()
        .filter_map(|(key, tally)| {
            let summed = plan.rule(key.0).is_some_and(|r| r.summed);
            Some((*key, combine(summed, tally)?))
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
        repeats,
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
    report_unused(
        plan,
        &groups,
        &used,
        plan_period,
        as_of,
        &mut outcome.findings,
    );
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
    // Findings are ordered by place (and then code and text, so that two findings at one
    // place keep one order whatever thread found them first).
    outcome.findings.sort_by(|a, b| {
        (a.kind as u8, a.primary(), a.code, &a.message).cmp(&(
            b.kind as u8,
            b.primary(),
            b.code,
            &b.message,
        ))
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
///
/// A figure is tallied once for every rule of its metric, so last year's figure of a metric
/// with both a level rule and a `growth` rule sits in both rules' tallies; the growth rule
/// reading it uses it for the metric, and the level rule's copy is no separate figure.
fn report_unused(
    plan: &Plan,
    groups: &BTreeMap<(RuleId, Period), Tally>,
    used: &HashSet<(RuleId, Period)>,
    plan_period: Option<Period>,
    as_of: Option<Date>,
    findings: &mut Vec<Finding>,
) {
    let metric = |rule: RuleId| plan.rule(rule).map(|r| r.metric.as_str());
    let used_metrics: HashSet<(Option<&str>, Period)> = used
        .iter()
        .map(|&(rule, period)| (metric(rule), period))
        .collect();
    let mut unused: BTreeMap<Period, (usize, &DataLoc)> = BTreeMap::new();
    for (key, tally) in groups {
        if used.contains(key) || used_metrics.contains(&(metric(key.0), key.1)) {
            continue;
        }
        let Some(first) = tally.first() else {
            continue;
        };
        let entry = unused.entry(key.1).or_insert((0, &first.value_loc));
        entry.0 += tally.reports();
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
        peer: None,
        parts: Vec::new(),
        figure: None,
        values: Vec::new(),
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
    /// Every report of reporters who reported a period twice.
    repeats: &'a BTreeMap<(RuleId, Period), Vec<Observation>>,
    /// The earliest figure of each tracked metric and period.
    tracked: &'a BTreeMap<(String, Period), (DataLoc, Quantity)>,
    clock: time::Clock,
    options: CheckOptions,
}

impl Judge<'_, '_> {
    /// What the figure of `rule_id` for `period` is measured against: last year's value (for
    /// growth, change, a growth in step and `rank improves`), or the other metric's figure for
    /// the same period; for a growth in step, also the other metric's figures now and a year
    /// earlier.
    fn basis(
        &self,
        rule_id: RuleId,
        period: Period,
        used: &mut HashSet<(RuleId, Period)>,
        other_findings: &mut Vec<Finding>,
    ) -> verdict::Basis {
        let mut basis = verdict::Basis::default();
        let Some(rule) = self.plan.rule(rule_id) else {
            return basis;
        };
        // A multi-year target's path starts at last year's figure unless the plan states the
        // value of an earlier year.
        let path_from_last_year = rule.toward.is_some() && rule.baseline_year.is_none();
        if rule.target.needs_last_year() || path_from_last_year {
            basis.reference = self.last_year(rule, rule_id, period, used, other_findings);
        } else if let Some(Reference::Metric { name, .. }) = rule.target.reference() {
            basis.reference = self.metric_figure(name, period, used);
        }
        if let Target::Relative {
            relation: Relation::InStep { of_growth, .. },
            reference: Reference::Metric { name, .. },
        } = &rule.target
        {
            basis.peer = self.metric_figure(name, period, used);
            if *of_growth {
                basis.peer_last_year = self
                    .metric_figure(name, period.previous_year(), used)
                    .or_else(|| self.metric_baseline(name, period));
            }
        }
        basis
    }

    /// Last year's value of the rule's own metric: the plan's `baseline`, else last year's
    /// submission of the same period.
    fn last_year(
        &self,
        rule: &crate::model::Rule,
        rule_id: RuleId,
        period: Period,
        used: &mut HashSet<(RuleId, Period)>,
        other_findings: &mut Vec<Finding>,
    ) -> Option<Quantity> {
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
        // A multi-year path runs through annual values, so its baseline serves every period
        // of the year.
        let baseline = rule
            .baseline
            .filter(|_| annual || rule.kind() == MetricKind::Level || rule.toward.is_some());
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

    /// The figure of metric `name` for `period`: from a rule that checks it, else from its
    /// `track` line. A rule's figure that serves is marked used, so last year's figures read
    /// this way are not reported as unused.
    fn metric_figure(
        &self,
        name: &str,
        period: Period,
        used: &mut HashSet<(RuleId, Period)>,
    ) -> Option<Quantity> {
        let from_rule = self
            .index
            .rules_by_metric
            .get(name)
            .into_iter()
            .flatten()
            .find_map(|other| {
                let figure = self.combined.get(&(*other, period))?;
                match figure.reading {
                    // A rule's reading of a plain target is in the target's unit; a figure
                    // of a relative target keeps its own.
                    Ok(Reading::Number(q)) if figure.conflict.is_none() => Some((*other, q)),
                    _ => None,
                }
            });
        if let Some((other, q)) = from_rule {
            used.insert((other, period));
            return Some(q);
        }
        let key = (name.to_owned(), period);
        self.tracked.get(&key).map(|(_, value)| *value)
    }

    /// Last year's annual value of metric `name` as a rule of the plan states it
    /// (`baseline`), for the full plan period.
    fn metric_baseline(&self, name: &str, period: Period) -> Option<Quantity> {
        if self.clock.plan_period.is_some_and(|pp| pp != period) {
            return None;
        }
        self.index
            .rules_by_metric
            .get(name)
            .into_iter()
            .flatten()
            .find_map(|other| self.plan.rule(*other)?.baseline)
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
            values: figure
                .tally
                .values
                .iter()
                .map(|d| Reported {
                    reported: d.first.value.clone(),
                    reporter: d.first.reporter.to_string(),
                    reports: d.reports,
                    places: d.places.clone(),
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
            let observations = self
                .repeats
                .get(&(rule_id, period))
                .map_or(&[][..], Vec::as_slice);
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
        let basis = self.basis(rule_id, period, used, other_findings);
        result.reference = basis.reference;
        let judged = figure.reading.clone().and_then(|reading| {
            result.compared = reading.quantity();
            time::judge(rule, reading, &basis, at, &self.clock)
        });
        match judged {
            Ok(judged) => {
                result.verdict = judged.verdict;
                result.expected = judged.expected;
                result.derived = judged.derived;
                result.peer = judged.peer;
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
            Err(Problem::NoPeer { last_year }) => {
                result.verdict = Verdict::Missing;
                result.severity = Some(severity);
                result.finding =
                    findings::no_peer(plan, rule_id, period, first, last_year, severity);
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
