//! Several plans in one run: a city's plan and its counties', each checked as one plan is.
//!
//! This layer sits before and after evaluation and leaves it as it is:
//! - `load_set` finds the plans of a rules folder (the `.plan` files directly in it, and those
//!   of each folder directly below it, each group with its own `plan` header) and parses each
//!   with rule file ids shared by all, so locations need no renumbering later;
//! - `check_set` routes each data file to one plan by its folder (`data/<plan-id>/…`), runs
//!   `eval::check_with` once per plan on the files routed to it, feeds a parent plan's
//!   `sum of plans` rules with the other plans' figures (one part per plan), and merges the
//!   plans and outcomes into one, whose tasks carry their plan, so every report groups by plan.

use crate::diagnostic::{Finding, Kind};
use crate::eval::{CheckOptions, Outcome};
use crate::load::LoadedFile;
use crate::model::{Plan, RuleId, TaskId};
use crate::parse::ReadOptions;
use crate::source::{DataFileId, SourceFile};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One plan of a set.
#[derive(Debug)]
pub struct Member {
    /// `id …` of its header, else the name of its folder.
    pub id: String,
    pub plan: Plan,
}

/// The plans of one rules folder.
#[derive(Debug, Default)]
pub struct PlanSet {
    pub members: Vec<Member>,
    /// Every rule file of every plan; `RuleFileId` indexes it.
    pub files: Vec<SourceFile>,
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
        set.members.push(Member { id, plan });
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
            rule.reporters = children;
        }
    }
    findings
}

/// Where a data file's submissions go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    /// The file sits in the folder of this plan.
    Folder(usize),
    /// The file is in no plan's folder: its submissions name their plans (`plan: 兖州区`).
    /// The first plan also reports the file's load errors.
    Keys(BTreeSet<usize>),
    /// Under two plans' folders: nobody reads it.
    Nowhere,
}

fn unrouted(set: &PlanSet, path: &Path, plan: Option<&str>) -> Finding {
    let example = set.members.first().map_or("", |m| m.id.as_str());
    let message = match plan {
        Some(plan) => format!(
            "填报文件 {} 中的填报属于计划「{plan}」，但本次检查没有这个计划",
            path.display()
        ),
        None => format!("填报文件 {} 不属于任何计划", path.display()),
    };
    input_error(
        "plancheck::plans::unrouted",
        message,
        &format!(
            "检查多个计划时，填报文件放在以计划标识命名的文件夹中（data/{example}/…），\
             或在每份填报中写明 plan: {example}"
        ),
    )
}

/// The plan each data file belongs to: by the folders on its path (the one folder named
/// after a plan's id), else by the `plan` key of each of its submissions, which costs one
/// extra read of the file. A file under two plans' folders, or a submission that names no
/// plan of the run, is a finding.
fn route(
    set: &PlanSet,
    data: &[PathBuf],
    limits: &crate::files::Limits,
) -> (Vec<Route>, Vec<Finding>) {
    use rayon::prelude::*;
    let mut findings = Vec::new();
    let mut routes: Vec<Route> = data
        .iter()
        .map(|path| {
            let folders: Vec<String> = path
                .parent()
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let matched: Vec<usize> = set
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| folders.contains(&m.id))
                .map(|(i, _)| i)
                .collect();
            match matched.as_slice() {
                [one] => Route::Folder(*one),
                [] => Route::Keys(BTreeSet::new()),
                _ => {
                    let names: Vec<&str> = matched
                        .iter()
                        .filter_map(|i| set.members.get(*i).map(|m| m.id.as_str()))
                        .collect();
                    findings.push(input_error(
                        "plancheck::plans::ambiguous",
                        format!(
                            "填报文件 {} 同时属于多个计划：{}",
                            path.display(),
                            names.join("、")
                        ),
                        "填报文件的路径中只能有一个以计划标识命名的文件夹",
                    ));
                    Route::Nowhere
                }
            }
        })
        .collect();
    // Files in no plan's folder are read once here to learn the plans their submissions name.
    let keyed: Vec<(usize, Vec<Option<String>>, bool)> = routes
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, Route::Keys(_)))
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|i| {
            let path = data.get(i)?;
            let file = crate::load::load_file_limited(DataFileId(i), path, limits);
            let plans = file.submissions.into_iter().map(|s| s.plan).collect();
            Some((i, plans, !file.errors.is_empty()))
        })
        .collect();
    for (i, plans, has_errors) in keyed {
        let Some(path) = data.get(i) else {
            continue;
        };
        let mut to = BTreeSet::new();
        let mut reported = BTreeSet::new();
        for plan in plans {
            match plan
                .as_deref()
                .and_then(|p| set.members.iter().position(|m| m.id == p))
            {
                Some(member) => {
                    to.insert(member);
                }
                None => {
                    if reported.insert(plan.clone()) {
                        findings.push(unrouted(set, path, plan.as_deref()));
                    }
                }
            }
        }
        if to.is_empty() && has_errors {
            // Its load errors are still reported, by the first plan.
            to.insert(0);
        }
        if let Some(route) = routes.get_mut(i) {
            *route = Route::Keys(to);
        }
    }
    (routes, findings)
}

/// What a plan's `sum of plans` rules read from another plan: its figures of these metrics,
/// reported under the other plan's id.
struct Borrow<'s> {
    id: &'s str,
    metrics: BTreeSet<&'s str>,
}

/// Checks every plan of `set` against the data files routed to it, and merges the plans and
/// their outcomes into one plan and one outcome, plan by plan.
pub fn check_set(set: &PlanSet, data: &[PathBuf], options: CheckOptions) -> (Plan, Outcome) {
    let limits = options.limits;
    let (routes, mut routing) = route(set, data, &limits);
    let mismatched = std::sync::Mutex::new(Vec::new());
    let load = |id: DataFileId| match data.get(id.0) {
        Some(path) => crate::load::load_file_limited(id, path, &limits),
        None => LoadedFile::default(),
    };
    // The file as plan `mi` sees it: its own submissions, or for another plan's file the
    // figures its `sum of plans` rules add up.
    let view = |mi: usize, id: DataFileId| -> Option<LoadedFile> {
        match routes.get(id.0)? {
            Route::Folder(owner) if *owner == mi => {
                let mut file = load(id);
                // A submission in this plan's folder that names another plan is refused.
                let before = file.submissions.len();
                file.submissions.retain(|s| {
                    s.plan
                        .as_deref()
                        .is_none_or(|p| set.members.get(mi).is_some_and(|m| m.id == p))
                });
                if file.submissions.len() != before {
                    if let (Ok(mut list), Some(path)) = (mismatched.lock(), data.get(id.0)) {
                        list.push(input_error(
                            "plancheck::plans::ambiguous",
                            format!(
                                "填报文件 {} 在计划「{}」的文件夹中，却有填报写明属于其他计划",
                                path.display(),
                                set.members.get(mi).map_or("", |m| m.id.as_str())
                            ),
                            "文件夹与 plan 键须指向同一个计划",
                        ));
                    }
                }
                Some(file)
            }
            Route::Keys(to) if to.contains(&mi) => {
                let mut file = load(id);
                let id_of = set.members.get(mi).map(|m| m.id.as_str());
                file.submissions.retain(|s| s.plan.as_deref() == id_of);
                if to.first() != Some(&mi) {
                    file.errors.clear();
                }
                Some(file)
            }
            _ => None,
        }
    };
    let mut outcomes = Vec::new();
    for (mi, member) in set.members.iter().enumerate() {
        let mut borrows: HashMap<usize, Borrow<'_>> = HashMap::new();
        for rule in member.plan.rules.iter().filter(|r| r.sum_of_plans) {
            for child in &rule.reporters {
                if let Some(ci) = set.members.iter().position(|m| m.id == *child) {
                    borrows
                        .entry(ci)
                        .or_insert_with(|| Borrow {
                            id: child,
                            metrics: BTreeSet::new(),
                        })
                        .metrics
                        .insert(rule.metric.as_str());
                }
            }
        }
        let borrowed = AtomicUsize::new(0);
        let borrowed_figures = AtomicUsize::new(0);
        // Only the files this plan reads are its units of work, so a run of many plans costs
        // what its files cost, not plans × files. Evaluation numbers them from 0; the loader
        // gives them their run-wide ids, and load errors are renumbered below.
        let reads = |route: &Route| match route {
            Route::Folder(owner) => *owner == mi || borrows.contains_key(owner),
            Route::Keys(to) => to.contains(&mi) || to.iter().any(|o| borrows.contains_key(o)),
            Route::Nowhere => false,
        };
        let files: Vec<usize> = routes
            .iter()
            .enumerate()
            .filter(|(_, r)| reads(r))
            .map(|(i, _)| i)
            .collect();
        let global =
            |local: DataFileId| DataFileId(files.get(local.0).copied().unwrap_or(usize::MAX));
        let mut outcome = crate::eval::check_with(&member.plan, files.len(), options, |local| {
            let id = global(local);
            if let Some(file) = view(mi, id) {
                return file;
            }
            let owners: Vec<usize> = match routes.get(id.0) {
                Some(Route::Folder(owner)) => vec![*owner],
                Some(Route::Keys(to)) => to.iter().copied().collect(),
                _ => Vec::new(),
            };
            let mut merged = LoadedFile::default();
            for owner in owners {
                let Some(borrow) = borrows.get(&owner) else {
                    continue;
                };
                let Some(mut file) = view(owner, id) else {
                    continue;
                };
                // The other plan's file, reduced to the summed figures, each as one part
                // under that plan's id. Its errors are that plan's to report.
                for submission in &mut file.submissions {
                    submission.reporter = borrow.id.to_owned();
                    submission
                        .figures
                        .retain(|f| borrow.metrics.contains(f.metric.as_str()));
                }
                file.submissions.retain(|s| !s.figures.is_empty());
                borrowed.fetch_add(file.submissions.len(), Ordering::Relaxed);
                let figures: usize = file.submissions.iter().map(|s| s.figures.len()).sum();
                borrowed_figures.fetch_add(figures, Ordering::Relaxed);
                merged.submissions.append(&mut file.submissions);
            }
            merged
        });
        // Load errors (and internal errors) are the only findings evaluation places with the
        // unit's own number; everything else carries the loader's run-wide ids. Local ids
        // grow with global ones, so the order evaluation sorted them in stands.
        for finding in outcome
            .findings
            .iter_mut()
            .filter(|f| f.kind == Kind::Input)
        {
            for label in &mut finding.labels {
                if let crate::diagnostic::Loc::Data(loc) = &mut label.loc {
                    loc.file = global(loc.file);
                }
            }
        }
        // Figures read for a sum are counted once, by the plan that reported them.
        outcome.submissions = outcome
            .submissions
            .saturating_sub(borrowed.load(Ordering::Relaxed));
        outcome.figures = outcome
            .figures
            .saturating_sub(borrowed_figures.load(Ordering::Relaxed));
        outcomes.push(outcome);
    }
    let (plan, mut outcome) = merge(set, outcomes);
    if let Ok(mut list) = mismatched.into_inner() {
        // A file read for a sum as well as by its plan is refused once.
        list.sort_by(|a, b| a.message.cmp(&b.message));
        list.dedup_by(|a, b| a.message == b.message);
        routing.append(&mut list);
    }
    routing.append(&mut outcome.findings);
    outcome.findings = routing;
    (plan, outcome)
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
fn merge(set: &PlanSet, outcomes: Vec<Outcome>) -> (Plan, Outcome) {
    let mut plan = Plan {
        files: set.files.clone(),
        header: set.members.first().and_then(|m| m.plan.header.clone()),
        ..Plan::default()
    };
    let mut merged = Outcome::default();
    let mut first = true;
    for (rank, (member, outcome)) in set.members.iter().zip(outcomes).enumerate() {
        let (task_off, rule_off, section_off) =
            (plan.tasks.len(), plan.rules.len(), plan.sections.len());
        plan.sections.extend(member.plan.sections.iter().cloned());
        plan.tasks.extend(member.plan.tasks.iter().map(|t| {
            let mut t = t.clone();
            t.title = format!("［{}］{}", member.id, t.title);
            // Units are named within their plan: 曲阜市's 市发展改革局 is not 邹城市's.
            t.leads = t
                .leads
                .iter()
                .map(|l| format!("［{}］{l}", member.id))
                .collect();
            t.section = t.section.map(|s| s + section_off);
            t.plan = Some(member.id.clone());
            t.plan_rank = rank;
            t
        }));
        let task = |id: TaskId| TaskId(id.0 + task_off);
        plan.rules.extend(member.plan.rules.iter().map(|r| {
            let mut r = r.clone();
            r.task = task(r.task);
            if !r.sum_of_plans {
                r.reporters = r
                    .reporters
                    .iter()
                    .map(|u| format!("［{}］{u}", member.id))
                    .collect();
            }
            r
        }));
        plan.skips.extend(member.plan.skips.iter().map(|s| {
            let mut s = s.clone();
            s.task = s.task.map(task);
            s
        }));
        plan.tracked.extend(member.plan.tracked.iter().map(|t| {
            let mut t = t.clone();
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
        if first {
            merged.tolerance = outcome.tolerance;
            first = false;
        }
    }
    (plan, merged)
}
