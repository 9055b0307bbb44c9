//! Several plans in one run: a city's plan and its counties', each checked as one plan is.
//!
//! This layer sits around evaluation and uses it taken apart (`eval::Fold`), unchanged:
//! - `load_set` finds the plans of a rules folder (the `.plan` files directly in it, and those
//!   of each folder directly below it, each group with its own `plan` header) and parses each
//!   with rule file ids shared by all, so locations need no renumbering later;
//! - `check_set` routes each data file to one plan by its folder (`data/<plan-id>/…`), or each
//!   submission by its `plan` key as the file is read, reads every file once, folding each
//!   submission into its plan's tallies and a parent plan's `sum of plans` rules into the
//!   parent's (one part per plan), judges each plan as soon as its files are read, and merges
//!   the plans and outcomes into one, whose tasks carry their plan, so every report groups by
//!   plan.

use crate::diagnostic::{Finding, Label, Loc};
use crate::eval::{CheckOptions, Fold, Outcome, PlanTallies};
use crate::files::list::PathList;
use crate::load::{PlanKey, Read, SubmissionRef};
use crate::model::{Plan, RuleId, TaskId};
use crate::parse::ReadOptions;
use crate::source::{DataFileId, DataLoc, SourceFile};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One plan of a set.
#[derive(Debug)]
pub struct Member {
    /// `id …` of its header, else the name of its folder.
    pub id: String,
    pub plan: Plan,
    /// The folder its files are in: the rules folder for the plan of the files directly in
    /// it. Its rule tests (`*.plantest`) are found there.
    pub folder: PathBuf,
}

/// The plans of one rules folder.
#[derive(Debug, Default)]
pub struct PlanSet {
    pub members: Vec<Member>,
    /// Every rule file of every plan; `RuleFileId` indexes it.
    pub files: Vec<SourceFile>,
}

impl PlanSet {
    /// Lets every rule file's text go for the length of a check (`SourceFile::release`).
    pub fn release_texts(&mut self) {
        self.files.iter_mut().for_each(SourceFile::release);
        for member in &mut self.members {
            member.plan.release_texts();
        }
    }
}

fn is_plan(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "plan")
}

/// Whether a file holds a `plan "…" {` header line.
fn has_header(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.strip_prefix("plan")
            .is_some_and(|rest| rest.starts_with([' ', '\t', '"', '\u{3000}']))
    })
}

/// The plans of the folder `rules`, when it holds several: the files directly in it form one
/// plan (if any), and each folder directly below it another, every group with its own
/// header. `None` when `rules` is one plan, which is then read as it always was.
pub fn load_set(rules: &Path, options: &ReadOptions) -> Option<(PlanSet, Vec<Finding>)> {
    if !rules.is_dir() {
        return None;
    }
    let walk = crate::files::walk::walk(&[rules.to_path_buf()], &is_plan);
    // Group by the first folder below `rules`; `None` for files directly in it.
    let mut groups: BTreeMap<Option<String>, Vec<PathBuf>> = BTreeMap::new();
    for path in &walk.files {
        let rel = path.strip_prefix(rules).unwrap_or(path);
        let mut parts = rel.components();
        let first = parts.next();
        let group = match (first, parts.next()) {
            (Some(dir), Some(_)) => Some(dir.as_os_str().to_string_lossy().into_owned()),
            _ => None,
        };
        groups.entry(group).or_default().push(path.clone());
    }
    if groups.len() < 2 {
        return None;
    }
    let mut files = Vec::new();
    let mut findings = walk.findings;
    let mut ranges = Vec::new();
    for (group, paths) in groups {
        let start = files.len();
        let (read, problems) = crate::parse::read_rule_files(paths, &[], &options.limits);
        files.extend(read);
        findings.extend(problems);
        ranges.push((group, start..files.len()));
    }
    let every_group_has_header = ranges.iter().all(|(_, range)| {
        files
            .get(range.clone())
            .is_some_and(|fs| fs.iter().any(|f| has_header(&f.text)))
    });
    if !every_group_has_header {
        return None;
    }
    let folder_name = |group: &Option<String>| match group {
        Some(name) => name.clone(),
        None => rules
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    };
    let mut set = PlanSet::default();
    for (group, range) in ranges {
        let (plan, parsed) = crate::parse::parse_member(&files, range, rules, options);
        findings.extend(parsed);
        let id = plan
            .header
            .as_ref()
            .and_then(|h| h.id.clone())
            .unwrap_or_else(|| folder_name(&group));
        let folder = group
            .as_ref()
            .map_or_else(|| rules.to_path_buf(), |g| rules.join(g));
        set.members.push(Member { id, plan, folder });
    }
    set.files = files;
    findings.extend(link(&mut set));
    Some((set, findings))
}

/// Broken input about a file or a plan as a whole, named in the message.
fn input_error(code: &'static str, message: String, help: &str) -> Finding {
    crate::files::finding(code, message, help)
}

fn rule_label(loc: &crate::source::RuleLoc, text: &str) -> crate::diagnostic::Label {
    crate::diagnostic::Label {
        loc: crate::diagnostic::Loc::Rule(loc.clone()),
        text: text.to_owned(),
    }
}

/// Checks what ties the plans together: unique ids, allocations to plans that exist and
/// state the allocated target, and `sum of plans` rules, which become summed rules reported
/// by the plans they add up.
fn link(set: &mut PlanSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    for member in &set.members {
        if !seen.insert(member.id.clone()) {
            findings.push(input_error(
                "plancheck::plans::duplicate-id",
                format!("两个计划的标识都是「{}」", member.id),
                "每个计划的标识（header 中的 id，或所在文件夹名）须唯一，填报据此归属计划",
            ));
        }
    }
    let ids: Vec<String> = set.members.iter().map(|m| m.id.clone()).collect();
    // (plan index, rule index, the plans it adds up)
    let mut sums = Vec::new();
    for (mi, member) in set.members.iter().enumerate() {
        for (ri, rule) in member.plan.rules.iter().enumerate() {
            for share in &rule.allocations {
                let Some(child) = set.members.iter().find(|m| m.id == share.plan) else {
                    let mut f = input_error(
                        "plancheck::plans::unknown-plan",
                        format!("分解到的计划「{}」不在本次检查的计划中", share.plan),
                        "allocate 列出的是 --rules 文件夹中各计划的标识",
                    );
                    f.labels.push(rule_label(&share.loc, "没有这个计划"));
                    findings.push(f);
                    continue;
                };
                let own = child.plan.rules.iter().find(|r| r.metric == rule.metric);
                let expected = match &rule.target {
                    crate::model::Target::Compare { op, .. } => {
                        format!("{} {}", op.symbol(), share.value)
                    }
                    _ => share.value.to_string(),
                };
                match own {
                    None => {
                        let mut f = input_error(
                            "plancheck::plans::allocation-unruled",
                            format!(
                                "计划「{}」没有指标「{}」的规则，无法按分解目标考核",
                                share.plan, rule.metric
                            ),
                            "在该计划中写出这条规则（牵头单位、目标为分解数），例如 新增城镇就业 >= 15000 人",
                        );
                        f.labels.push(rule_label(&share.loc, "分解在此"));
                        findings.push(f);
                    }
                    Some(own) if own.target.to_string() != expected => {
                        let mut f = input_error(
                            "plancheck::plans::allocation-mismatch",
                            format!(
                                "计划「{}」的「{}」目标为 {}，与分解数 {expected} 不符",
                                share.plan, rule.metric, own.target
                            ),
                            "各县区的目标取自上级计划的分解表：改正其中一处，使两者一致",
                        );
                        f.labels.push(rule_label(&share.loc, "分解在此"));
                        f.labels.push(rule_label(&own.target_loc, "本级目标"));
                        findings.push(f);
                    }
                    Some(_) => {}
                }
            }
            if rule.sum_of_plans {
                let children: Vec<String> = if rule.allocations.is_empty() {
                    ids.iter().filter(|id| **id != member.id).cloned().collect()
                } else {
                    rule.allocations.iter().map(|a| a.plan.clone()).collect()
                };
                sums.push((mi, ri, children));
            }
        }
    }
    for (mi, ri, children) in sums {
        if let Some(rule) = set
            .members
            .get_mut(mi)
            .and_then(|m| m.plan.rules.get_mut(ri))
        {
            rule.summed = true;
            rule.reporters = children.into_iter().map(Arc::from).collect();
        }
    }
    findings
}

/// Where a data file's submissions go, as its folders say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// The file sits in the folder of this plan.
    Folder(usize),
    /// The file is in no plan's folder: each submission names its plan (`plan: 兖州区`).
    Keys,
    /// Under two plans' folders: nobody reads it.
    Nowhere,
}

/// Why a submission goes to no plan.
enum Misroute<'k> {
    /// In one plan's folder, its `plan` key names another.
    Elsewhere(&'k PlanKey),
    /// In no plan's folder, it names no plan of the run (or none at all).
    Unknown(Option<&'k PlanKey>),
}

/// A label on a file as a whole: its first line, for findings about the file rather than a
/// place in it.
fn whole_file(file: DataFileId, text: &str) -> Label {
    Label {
        loc: Loc::Data(DataLoc {
            file,
            span: 0..0,
            cell: None,
        }),
        text: text.to_owned(),
    }
}

fn key_label(key: &PlanKey, text: &str) -> Label {
    Label {
        loc: Loc::Data(key.loc.clone()),
        text: text.to_owned(),
    }
}

fn unrouted(set: &PlanSet, path: &Path, file: DataFileId, key: Option<&PlanKey>) -> Finding {
    let example = set.members.first().map_or("", |m| m.id.as_str());
    let (message, label) = match key {
        Some(key) => (
            format!(
                "填报文件 {} 中的填报属于计划「{}」，但本次检查没有这个计划",
                path.display(),
                key.id
            ),
            key_label(key, "没有这个计划"),
        ),
        None => (
            format!("填报文件 {} 不属于任何计划", path.display()),
            whole_file(file, "不在任何计划的文件夹中，也没有写明 plan"),
        ),
    };
    let mut finding = input_error(
        "plancheck::plans::unrouted",
        message,
        &format!(
            "检查多个计划时，填报文件放在以计划标识命名的文件夹中（data/{example}/…），\
             或在每份填报中写明 plan: {example}"
        ),
    );
    finding.labels.push(label);
    finding
}

/// The plan each data file belongs to by its folders (the one folder on its path named after
/// a plan's id); files in no such folder are routed submission by submission as they are
/// read. A file under two plans' folders is a finding.
fn route(set: &PlanSet, ids: &HashMap<&str, usize>, data: &PathList) -> (Vec<Route>, Vec<Finding>) {
    let mut findings = Vec::new();
    let routes = data
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let matched: BTreeSet<usize> = path
                .parent()
                .into_iter()
                .flat_map(Path::components)
                .filter_map(|c| ids.get(&*c.as_os_str().to_string_lossy()).copied())
                .collect();
            let mut matched = matched.into_iter();
            match (matched.next(), matched.next()) {
                (Some(one), None) => Route::Folder(one),
                (None, _) => Route::Keys,
                (Some(first), Some(second)) => {
                    let names: Vec<&str> = [first, second]
                        .into_iter()
                        .chain(matched)
                        .filter_map(|i| set.members.get(i).map(|m| m.id.as_str()))
                        .collect();
                    let mut finding = input_error(
                        "plancheck::plans::ambiguous",
                        format!(
                            "填报文件 {} 同时属于多个计划：{}",
                            path.display(),
                            names.join("、")
                        ),
                        "填报文件的路径中只能有一个以计划标识命名的文件夹",
                    );
                    finding
                        .labels
                        .push(whole_file(DataFileId(i), "路径中有多个计划的文件夹"));
                    findings.push(finding);
                    Route::Nowhere
                }
            }
        })
        .collect();
    (routes, findings)
}

/// What the files read so far add up to, plan by plan.
struct Acc {
    /// Each plan's tallies, made when its first submission arrives.
    tallies: Vec<Option<PlanTallies>>,
    /// Per plan, the submissions and figures it read from other plans for a sum: they are
    /// counted by the plan that reported them.
    borrowed: Vec<(usize, usize)>,
    /// Routing findings with their order: (kind, file).
    routing: Vec<((u8, usize), Finding)>,
}

impl Acc {
    fn new(plans: usize) -> Self {
        Acc {
            tallies: (0..plans).map(|_| None).collect(),
            borrowed: vec![(0, 0); plans],
            routing: Vec::new(),
        }
    }

    fn merge(mut self, other: Acc) -> Acc {
        for (into, from) in self.tallies.iter_mut().zip(other.tallies) {
            *into = match (into.take(), from) {
                (Some(a), Some(b)) => Some(a.merge(b)),
                (a, b) => a.or(b),
            };
        }
        for (into, from) in self.borrowed.iter_mut().zip(other.borrowed) {
            into.0 += from.0;
            into.1 += from.1;
        }
        self.routing.extend(other.routing);
        self
    }
}

/// One run over several plans: where each file goes, and what each plan adds up of others'.
struct Run<'s> {
    set: &'s PlanSet,
    data: &'s PathList,
    limits: crate::files::Limits,
    routes: Vec<Route>,
    ids: HashMap<&'s str, usize>,
    /// Per plan, the plans whose `sum of plans` rules add up its figures, with the metrics
    /// they add.
    summed_by: Vec<Vec<(usize, HashSet<&'s str>)>>,
    folds: Vec<Fold<'s>>,
}

impl<'s> Run<'s> {
    fn new(
        set: &'s PlanSet,
        data: &'s PathList,
        limits: crate::files::Limits,
    ) -> (Self, Vec<Finding>) {
        let ids = set.ids();
        let (routes, findings) = route(set, &ids, data);
        let mut summed_by: Vec<Vec<(usize, HashSet<&str>)>> = vec![Vec::new(); set.members.len()];
        for (mi, member) in set.members.iter().enumerate() {
            for rule in member.plan.rules.iter().filter(|r| r.sum_of_plans) {
                for child in &rule.reporters {
                    let Some(lenders) = ids.get(&**child).and_then(|&ci| summed_by.get_mut(ci))
                    else {
                        continue;
                    };
                    let metrics = match lenders.iter_mut().position(|(q, _)| *q == mi) {
                        Some(at) => lenders.get_mut(at).map(|(_, m)| m),
                        None => {
                            lenders.push((mi, HashSet::new()));
                            lenders.last_mut().map(|(_, m)| m)
                        }
                    };
                    if let Some(metrics) = metrics {
                        metrics.insert(rule.metric.as_str());
                    }
                }
            }
        }
        let folds = set.members.iter().map(|m| Fold::new(&m.plan)).collect();
        let run = Run {
            set,
            data,
            limits,
            routes,
            ids,
            summed_by,
            folds,
        };
        (run, findings)
    }

    /// The plan a submission of a file routed `route` belongs to.
    fn owner<'k>(
        &self,
        route: Route,
        submission: &SubmissionRef<'k>,
    ) -> Result<usize, Misroute<'k>> {
        match route {
            Route::Folder(owner) => match submission.plan {
                Some(key) if self.set.members.get(owner).is_some_and(|m| m.id != key.id) => {
                    Err(Misroute::Elsewhere(key))
                }
                _ => Ok(owner),
            },
            Route::Keys | Route::Nowhere => submission
                .plan
                .and_then(|key| self.ids.get(key.id.as_str()).copied())
                .ok_or(Misroute::Unknown(submission.plan)),
        }
    }

    /// Plan `owner`'s submission as a plan summing it sees it: only the summed metrics, as
    /// one part reported under the owner's id.
    fn lent<'a>(
        &'a self,
        owner: usize,
        metrics: &HashSet<&str>,
        submission: &SubmissionRef<'a>,
    ) -> Option<SubmissionRef<'a>> {
        let figures: Vec<_> = submission
            .figures
            .iter()
            .filter(|f| metrics.contains(f.metric))
            .cloned()
            .collect();
        if figures.is_empty() {
            return None;
        }
        Some(SubmissionRef {
            plan: None,
            reporter: self.set.members.get(owner)?.id.as_str(),
            reporter_loc: submission.reporter_loc.clone(),
            period: submission.period,
            period_loc: submission.period_loc.clone(),
            figures,
        })
    }

    fn observe(&self, plan: usize, id: DataFileId, event: Read<'_>, acc: &mut Acc) {
        let (Some(fold), Some(slot)) = (self.folds.get(plan), acc.tallies.get_mut(plan)) else {
            return;
        };
        fold.observe(id, event, slot.get_or_insert_with(PlanTallies::default));
    }

    /// Reads file `i` once, folding each submission into the tallies of its plan and of the
    /// plans that add it up.
    fn read(&self, i: usize, acc: &mut Acc) {
        let (Some(&route), Some(path)) = (self.routes.get(i), self.data.get(i)) else {
            return;
        };
        if route == Route::Nowhere {
            return;
        }
        let id = DataFileId(i);
        let mut errors = Vec::new();
        let mut first: Option<usize> = None;
        let mut unknown: Vec<Option<String>> = Vec::new();
        let mut elsewhere = false;
        // A panic while reading one file must not abort the run: it becomes a finding.
        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::load::visit_file(id, &path, &self.limits, &mut |event| {
                let submission = match event {
                    Read::Error(error) => return errors.push(error),
                    Read::Submission(submission) => submission,
                };
                match self.owner(route, &submission) {
                    Ok(owner) => {
                        first = Some(first.map_or(owner, |f| f.min(owner)));
                        for (plan, metrics) in self.summed_by.get(owner).into_iter().flatten() {
                            if let Some(lent) = self.lent(owner, metrics, &submission) {
                                if let Some(count) = acc.borrowed.get_mut(*plan) {
                                    count.0 += 1;
                                    count.1 += lent.figures.len();
                                }
                                self.observe(*plan, id, Read::Submission(lent), acc);
                            }
                        }
                        self.observe(owner, id, Read::Submission(submission), acc);
                    }
                    Err(Misroute::Elsewhere(key)) => {
                        // Refused once per file, at its first such submission.
                        if !std::mem::replace(&mut elsewhere, true) {
                            acc.routing
                                .push(((2, i), self.elsewhere(&path, route, key)));
                        }
                    }
                    Err(Misroute::Unknown(key)) => {
                        let name = key.map(|k| k.id.clone());
                        if !unknown.contains(&name) {
                            unknown.push(name);
                            acc.routing
                                .push(((1, i), unrouted(self.set, &path, id, key)));
                        }
                    }
                }
            });
        }));
        // Load errors are reported by the plan of the file's folder, else by the first plan
        // its submissions name, else by the first plan.
        let owner = match route {
            Route::Folder(owner) => owner,
            _ => first.unwrap_or(0),
        };
        for error in errors {
            self.observe(owner, id, Read::Error(error), acc);
        }
        if done.is_err() {
            if let Some(slot) = acc.tallies.get_mut(owner) {
                slot.get_or_insert_with(PlanTallies::default).panicked(id);
            }
        }
    }

    fn elsewhere(&self, path: &Path, route: Route, key: &PlanKey) -> Finding {
        let folder = match route {
            Route::Folder(owner) => self.set.members.get(owner).map_or("", |m| m.id.as_str()),
            _ => "",
        };
        let mut finding = input_error(
            "plancheck::plans::ambiguous",
            format!(
                "填报文件 {} 在计划「{folder}」的文件夹中，却有填报写明属于其他计划",
                path.display(),
            ),
            "文件夹与 plan 键须指向同一个计划",
        );
        finding
            .labels
            .push(key_label(key, &format!("文件夹属于计划「{folder}」")));
        finding
    }

    /// File `id` read again as plan `plan` saw it, for its repeated reports.
    fn reread(&self, plan: usize, id: DataFileId, visit: &mut dyn FnMut(Read<'_>)) {
        let (Some(&route), Some(path)) = (self.routes.get(id.0), self.data.get(id.0)) else {
            return;
        };
        crate::load::visit_file(id, &path, &self.limits, &mut |event| {
            let Read::Submission(submission) = event else {
                return;
            };
            let Ok(owner) = self.owner(route, &submission) else {
                return;
            };
            let summed = self
                .summed_by
                .get(owner)
                .and_then(|l| l.iter().find(|(q, _)| *q == plan));
            if let Some(lent) = summed.and_then(|(_, m)| self.lent(owner, m, &submission)) {
                visit(Read::Submission(lent));
            }
            if owner == plan {
                visit(Read::Submission(submission));
            }
        });
    }
}

/// Checks every plan of `set` against the data files routed to it, and merges the plans and
/// their outcomes into one plan and one outcome, plan by plan.
///
/// Each file is read once, whatever routes it: one parallel pass folds each submission into
/// the tallies of its plan (and of the plans that add it up), so a run of many plans costs
/// what its files cost; each plan is then judged on its own tallies.
pub fn check_set(set: PlanSet, data: &PathList, options: CheckOptions) -> (Plan, Outcome) {
    let (run, mut routing) = Run::new(&set, data, options.limits);
    let plans = set.members.len();
    // One accumulator per thread (`fold_per_thread`): a plan's tallies are the same size
    // whatever the number of files, and so is the memory of the pass.
    let pass = |files: &[usize], acc: Acc| {
        crate::eval::fold_per_thread(
            files.len(),
            || Acc::new(plans),
            |acc, n| {
                if let Some(&i) = files.get(n) {
                    run.read(i, acc);
                }
            },
            Acc::merge,
        )
        .merge(acc)
    };
    let mut folders: Vec<Vec<usize>> = vec![Vec::new(); plans];
    let mut keyed = Vec::new();
    for (i, route) in run.routes.iter().enumerate() {
        match route {
            Route::Folder(owner) => {
                if let Some(files) = folders.get_mut(*owner) {
                    files.push(i);
                }
            }
            Route::Keys => keyed.push(i),
            Route::Nowhere => {}
        }
    }
    // Files whose submissions name their plans may feed any plan: they are read first. Then
    // plan by plan, each plan is judged as soon as its own folder is read, while its tallies
    // are fresh and before the next plan's fill memory: judging all plans after one pass over
    // every file cost half as much again. Plans that add up others' figures are judged
    // last, once every part is in.
    let mut acc = pass(&keyed, Acc::new(plans));
    let sums: BTreeSet<usize> = run.summed_by.iter().flatten().map(|(q, _)| *q).collect();
    let mut outcomes: Vec<Option<Outcome>> = (0..plans).map(|_| None).collect();
    let judge = |mi: usize, tallies: PlanTallies, (subs, figures): (usize, usize)| {
        let fold = run.folds.get(mi)?;
        let reread = |id: DataFileId, visit: &mut dyn FnMut(Read<'_>)| run.reread(mi, id, visit);
        let mut outcome = fold.finish(tallies, options, &reread);
        // Figures read for a sum are counted once, by the plan that reported them.
        outcome.submissions = outcome.submissions.saturating_sub(subs);
        outcome.figures = outcome.figures.saturating_sub(figures);
        Some(outcome)
    };
    // A plan's tallies are complete once its folder is read: taken out then, so the next
    // folder's files are not folded into them.
    let take = |mi: usize, acc: &mut Acc| {
        let tallies = acc.tallies.get_mut(mi).and_then(Option::take);
        let borrowed = acc.borrowed.get(mi).copied().unwrap_or_default();
        (mi, tallies.unwrap_or_default(), borrowed)
    };
    // Judging a plan is serial work; it runs beside the parallel read of the next plan's
    // folder, so neither core waits for it.
    let mut waiting: Option<(usize, PlanTallies, (usize, usize))> = None;
    for (mi, files) in folders.iter().enumerate() {
        if sums.contains(&mi) {
            continue;
        }
        let previous = waiting.take();
        let (judged, read) = rayon::join(
            || {
                previous
                    .and_then(|(pm, tallies, borrowed)| Some((pm, judge(pm, tallies, borrowed)?)))
            },
            || pass(files, acc),
        );
        acc = read;
        if let Some((pm, outcome)) = judged {
            if let Some(slot) = outcomes.get_mut(pm) {
                *slot = Some(outcome);
            }
        }
        waiting = Some(take(mi, &mut acc));
    }
    if let Some((pm, tallies, borrowed)) = waiting {
        if let Some(slot) = outcomes.get_mut(pm) {
            *slot = judge(pm, tallies, borrowed);
        }
    }
    let last: Vec<usize> = sums
        .iter()
        .filter_map(|&mi| folders.get(mi))
        .flatten()
        .copied()
        .collect();
    acc = pass(&last, acc);
    for &mi in &sums {
        let (mi, tallies, borrowed) = take(mi, &mut acc);
        if let Some(slot) = outcomes.get_mut(mi) {
            *slot = judge(mi, tallies, borrowed);
        }
    }
    let outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let mut found = acc.routing;
    // The run borrows the plans, which the merge takes over.
    drop(run);
    let (plan, mut outcome) = merge(set, outcomes);
    // Unrouted files, then files whose key disagrees with their folder, each in path order.
    found.sort_by_key(|(order, _)| *order);
    routing.extend(found.into_iter().map(|(_, f)| f));
    routing.append(&mut outcome.findings);
    outcome.findings = routing;
    (plan, outcome)
}

impl PlanSet {
    /// Each plan's index in `members`, by its id.
    fn ids(&self) -> HashMap<&str, usize> {
        self.members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect()
    }

    /// The plan a command that reads one plan is to read: the one named `id`. Without an id,
    /// or with one the set does not have, the error names the plans to choose from.
    pub fn select(self, id: Option<&str>) -> Result<Member, String> {
        let names = self
            .members
            .iter()
            .map(|m| m.id.as_str())
            .collect::<Vec<_>>()
            .join("、");
        let count = self.members.len();
        match id {
            None => Err(format!(
                "规则文件夹中有 {count} 个计划（{names}），本命令一次只读一个：用 --plan 指定其一"
            )),
            Some(id) => self
                .members
                .into_iter()
                .find(|m| m.id == id)
                .ok_or_else(|| format!("没有计划「{id}」；规则文件夹中的计划有：{names}")),
        }
    }

    /// Each plan's rule tests: the `*.plantest` files below its folder, those below another
    /// plan's folder excepted (the plan of the rules folder itself holds the others').
    pub fn test_files(&self, found: &[PathBuf]) -> Vec<Vec<PathBuf>> {
        self.members
            .iter()
            .map(|member| {
                found
                    .iter()
                    .filter(|path| {
                        path.starts_with(&member.folder)
                            && !self.members.iter().any(|other| {
                                other.folder != member.folder
                                    && other.folder.starts_with(&member.folder)
                                    && path.starts_with(&other.folder)
                            })
                    })
                    .cloned()
                    .collect()
            })
            .collect()
    }
}

/// Lints every plan on its own: each against its own source.
pub fn lint(set: &PlanSet) -> Vec<Finding> {
    set.members
        .iter()
        .flat_map(|m| crate::lint::lint(&m.plan))
        .collect()
}

/// One plan holding every plan's tasks and rules in order, each task titled with its plan's
/// id, and one outcome with every result renumbered into it.
fn merge(set: PlanSet, outcomes: Vec<Outcome>) -> (Plan, Outcome) {
    // The plans are taken over, not copied: a province's hundred plans hold 30,000 rules.
    let mut plan = Plan {
        header: set.members.first().and_then(|m| m.plan.header.clone()),
        files: set.files,
        ..Plan::default()
    };
    // Results are large: moving them once into room made for all is cheaper than growing.
    let mut merged = Outcome {
        results: Vec::with_capacity(outcomes.iter().map(|o| o.results.len()).sum()),
        ..Outcome::default()
    };
    for (rank, (member, outcome)) in set.members.into_iter().zip(outcomes).enumerate() {
        let (task_off, rule_off, section_off) =
            (plan.tasks.len(), plan.rules.len(), plan.sections.len());
        let id = member.id;
        let own = member.plan;
        plan.sections.extend(own.sections);
        plan.tasks.extend(own.tasks.into_iter().map(|mut t| {
            t.title = format!("［{id}］{}", t.title);
            // Units are named within their plan: 曲阜市's 市发展改革局 is not 邹城市's.
            t.leads = t
                .leads
                .iter()
                .map(|l| format!("［{id}］{l}").into())
                .collect();
            t.co = t.co.iter().map(|l| format!("［{id}］{l}").into()).collect();
            t.section = t.section.map(|s| s + section_off);
            t.plan = Some(id.clone());
            t.plan_rank = rank;
            t
        }));
        let task = |id: TaskId| TaskId(id.0 + task_off);
        plan.rules.extend(own.rules.into_iter().map(|mut r| {
            r.task = task(r.task);
            if !r.sum_of_plans {
                r.reporters = r
                    .reporters
                    .iter()
                    .map(|u| format!("［{id}］{u}").into())
                    .collect();
            }
            r
        }));
        plan.skips.extend(own.skips.into_iter().map(|mut s| {
            s.task = s.task.map(task);
            s
        }));
        plan.tracked.extend(own.tracked.into_iter().map(|mut t| {
            t.task = task(t.task);
            t
        }));
        merged
            .results
            .extend(outcome.results.into_iter().map(|mut r| {
                r.rule = RuleId(r.rule.0 + rule_off);
                r
            }));
        merged.findings.extend(outcome.findings);
        merged.submissions += outcome.submissions;
        merged.figures += outcome.figures;
        merged.as_of = merged.as_of.max(outcome.as_of);
        if rank == 0 {
            merged.tolerance = outcome.tolerance;
        }
    }
    (plan, merged)
}
