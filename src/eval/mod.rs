//! Evaluation: every rule against every submission.
//!
//! Data files are loaded and judged in parallel, one file per unit of work; each unit returns
//! only compact observations (rule, period, value, span), so the files themselves are never all
//! in memory at once. A sequential reduce then groups observations by rule and period, finds
//! conflicts and missing figures, and sorts everything so output never depends on scheduling.

mod findings;
pub use findings::describe_value;
mod verdict;

pub use verdict::{judge, Judgement, Problem};

use crate::diagnostic::{Finding, Kind, Loc, Severity};
use crate::load::{self, FigureValue, LoadedFile, Submission};
use crate::model::{Plan, RuleId, Strength};
use crate::period::Period;
use crate::source::{DataFileId, DataLoc};
use crate::units::Quantity;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Settings of one check run.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// `--deny warnings`: findings that would be warnings are errors.
    pub deny_warnings: bool,
}

/// The four verdicts a rule can get for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Met,
    Unmet,
    Missing,
    Invalid,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Met,
        Verdict::Unmet,
        Verdict::Missing,
        Verdict::Invalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Unmet => "unmet",
            Verdict::Missing => "missing",
            Verdict::Invalid => "invalid",
        }
    }

    /// The word the supervising office uses.
    pub fn chinese(self) -> &'static str {
        match self {
            Verdict::Met => "达标",
            Verdict::Unmet => "未达标",
            Verdict::Missing => "未报送",
            Verdict::Invalid => "无效",
        }
    }
}

/// One rule's verdict for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleResult {
    pub rule: RuleId,
    /// `None` only when nobody reported at all and the plan states no period.
    pub period: Option<Period>,
    pub verdict: Verdict,
    /// `None` when met.
    pub severity: Option<Severity>,
    /// Who reported the figure the verdict rests on.
    pub reporter: Option<String>,
    /// The figure as reported.
    pub reported: Option<FigureValue>,
    /// The figure in the target's unit, when it could be compared.
    pub compared: Option<Quantity>,
    /// Where the figure was reported.
    pub figure: Option<DataLoc>,
    /// The diagnostic of a result that is not met.
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
}

impl Outcome {
    /// 2 when input is broken, 1 when an error-level finding remains, else 0.
    pub fn exit_code(&self) -> u8 {
        let all = || {
            self.findings
                .iter()
                .chain(self.results.iter().filter_map(|r| r.finding.as_ref()))
        };
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

/// One reported figure matched to one rule, judged.
#[derive(Debug, Clone)]
struct Observation {
    rule: RuleId,
    period: Period,
    reporter: Arc<str>,
    value: FigureValue,
    value_loc: DataLoc,
    judgement: Judgement,
}

/// What one data file contributes.
#[derive(Debug, Default)]
struct FileOutcome {
    /// (reporter, period) of every submission in the file.
    reports: Vec<(Arc<str>, Period)>,
    observations: Vec<Observation>,
    findings: Vec<Finding>,
    figures: usize,
}

/// Checks `plan` against the data files at `paths`.
pub fn check(plan: &Plan, paths: &[PathBuf], options: CheckOptions) -> Outcome {
    check_with(plan, paths.len(), options, |id| match paths.get(id.0) {
        Some(path) => load::load_file(id, path),
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
    metrics: Vec<&'p str>,
}

impl<'p> Index<'p> {
    fn new(plan: &'p Plan) -> Self {
        let mut rules_by_metric: HashMap<&str, Vec<RuleId>> = HashMap::new();
        let mut rules_by_reporter: HashMap<&str, Vec<RuleId>> = HashMap::new();
        for (i, rule) in plan.rules.iter().enumerate() {
            rules_by_metric
                .entry(rule.metric.as_str())
                .or_default()
                .push(RuleId(i));
            for unit in plan.responsible(rule) {
                rules_by_reporter
                    .entry(unit.as_str())
                    .or_default()
                    .push(RuleId(i));
            }
        }
        let mut metrics: Vec<&str> = rules_by_metric.keys().copied().collect();
        metrics.sort_unstable();
        Self {
            rules_by_metric,
            rules_by_reporter,
            metrics,
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
            if !plan.responsible(rule).iter().any(|u| **u == *reporter) {
                outcome
                    .findings
                    .push(findings::not_responsible(plan, rule, &figure, &reporter));
            }
            outcome.observations.push(Observation {
                rule: rule_id,
                period: submission.period,
                reporter: reporter.clone(),
                judgement: judge(&rule.target, &figure.value),
                value: figure.value.clone(),
                value_loc: figure.value_loc.clone(),
            });
        }
    }
}

fn reduce(
    plan: &Plan,
    index: &Index<'_>,
    files: Vec<FileOutcome>,
    options: CheckOptions,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut expected: BTreeSet<(RuleId, Period)> = BTreeSet::new();
    let mut groups: BTreeMap<(RuleId, Period), Vec<Observation>> = BTreeMap::new();
    for file in files {
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
                expected.insert((rule, period));
            }
        }
        for observation in file.observations {
            groups
                .entry((observation.rule, observation.period))
                .or_default()
                .push(observation);
        }
    }
    let mut periods_of_rule: BTreeMap<RuleId, BTreeSet<Period>> = BTreeMap::new();
    for &(rule, period) in expected.iter().chain(groups.keys()) {
        periods_of_rule.entry(rule).or_default().insert(period);
    }

    for (i, rule) in plan.rules.iter().enumerate() {
        let rule_id = RuleId(i);
        let severity = severity_of(rule.strength, options);
        let Some(periods) = periods_of_rule.get(&rule_id) else {
            // Nobody who answers for this rule reported anything: it is still missing.
            let period = plan.period();
            outcome
                .results
                .push(missing(plan, rule_id, period, severity));
            continue;
        };
        for &period in periods {
            match groups.remove(&(rule_id, period)) {
                None => outcome
                    .results
                    .push(missing(plan, rule_id, Some(period), severity)),
                Some(mut observations) => {
                    observations.sort_by(|a, b| a.value_loc.cmp(&b.value_loc));
                    let result = decide(
                        plan,
                        rule_id,
                        period,
                        &observations,
                        severity,
                        &mut outcome.findings,
                    );
                    outcome.results.push(result);
                }
            }
        }
    }

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
        (task, r.rule, r.period)
    });
    outcome.findings.sort_by(|a, b| {
        (a.kind as u8, a.primary(), a.code).cmp(&(b.kind as u8, b.primary(), b.code))
    });
    outcome.findings.dedup();
    outcome
}

fn severity_of(strength: Strength, options: CheckOptions) -> Severity {
    match strength {
        Strength::Strive if !options.deny_warnings => Severity::Warning,
        _ => Severity::Error,
    }
}

fn missing(plan: &Plan, rule: RuleId, period: Option<Period>, severity: Severity) -> RuleResult {
    RuleResult {
        rule,
        period,
        verdict: Verdict::Missing,
        severity: Some(severity),
        reporter: None,
        reported: None,
        compared: None,
        figure: None,
        finding: findings::missing(plan, rule, period, severity),
    }
}

/// A key that is equal for two observations exactly when they report the same value.
fn same_value_key(observation: &Observation) -> String {
    match &observation.judgement {
        Judgement::Compared {
            compared: Some(q), ..
        } => format!("n:{}", q.amount.normalize()),
        Judgement::Compared {
            compared: None,
            met,
        } => format!("d:{met}"),
        Judgement::Unusable(_) => format!("r:{:?}", observation.value),
    }
}

fn decide(
    plan: &Plan,
    rule_id: RuleId,
    period: Period,
    observations: &[Observation],
    severity: Severity,
    other_findings: &mut Vec<Finding>,
) -> RuleResult {
    let Some(first) = observations.first() else {
        return missing(plan, rule_id, Some(period), severity);
    };
    let first_key = same_value_key(first);
    let mut result = RuleResult {
        rule: rule_id,
        period: Some(period),
        verdict: Verdict::Met,
        severity: None,
        reporter: Some(first.reporter.to_string()),
        reported: Some(first.value.clone()),
        compared: None,
        figure: Some(first.value_loc.clone()),
        finding: None,
    };
    if let Some(other) = observations.iter().find(|o| same_value_key(o) != first_key) {
        result.verdict = Verdict::Invalid;
        result.severity = Some(severity);
        result.finding = findings::conflict(plan, rule_id, period, first, other, severity);
        return result;
    }
    for (i, later) in observations.iter().enumerate().skip(1) {
        let earlier = observations
            .iter()
            .take(i)
            .find(|o| o.reporter == later.reporter);
        if let Some(earlier) = earlier {
            other_findings.push(findings::duplicate(plan, rule_id, period, earlier, later));
        }
    }
    match &first.judgement {
        Judgement::Compared { compared, met } => {
            result.compared = *compared;
            if !met {
                result.verdict = Verdict::Unmet;
                result.severity = Some(severity);
                result.finding = findings::unmet(plan, rule_id, period, first, *compared, severity);
            }
        }
        Judgement::Unusable(problem) => {
            result.verdict = Verdict::Invalid;
            result.severity = Some(severity);
            result.finding = findings::unusable(plan, rule_id, period, first, problem, severity);
        }
    }
    result
}
