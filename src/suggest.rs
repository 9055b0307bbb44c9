//! The did-you-mean for names no rule knows: a similarity score, not an amount, so it is the
//! one place in the checker that computes with floats (evaluation itself never does; a test
//! scans `src/eval` to keep it so).

use crate::model::Plan;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// The did-you-mean for unknown metrics, built once per run.
///
/// Every unknown figure asks for a suggestion, and a submission of 200,000 figures under
/// names no rule knows would otherwise compare each one with every metric and, for each
/// metric, scan every rule for its reporters. So the reporters of each metric are looked up
/// once, metrics too different in length to reach the threshold are not compared, and each
/// distinct name is compared once: what differs by reporter, a bonus for the metrics it
/// answers for, is added to the few close candidates.
pub struct Suggestions<'p> {
    /// Every metric of the plan with its length in characters.
    metrics: Vec<(&'p str, usize)>,
    /// For each character, the metrics that contain it and how often: a name is compared
    /// only with metrics it shares enough characters with.
    postings: HashMap<char, Vec<(usize, usize)>>,
    /// The units that answer for each metric.
    owners: HashMap<&'p str, Owners<'p>>,
    /// The tasks each unit leads.
    /// The tasks each unit leads, units with the same tasks sharing one list: a national
    /// plan's thousands of units all lead every task.
    tasks_led: HashMap<&'p str, Arc<[u32]>>,
    /// Each name asked, with its candidates: indices in `metrics` and similarities. (Indices,
    /// not names: a `&'p str` inside a `Mutex` would pin the plan's lifetime.)
    candidates: Mutex<HashMap<String, Arc<Candidates>>>,
}

/// The metrics that could be suggested for one name: index in `metrics` and similarity.
type Candidates = Vec<(usize, f64)>;

/// Who answers for one metric: the units its rules name with `by`, and the tasks whose leads
/// answer for its rules without `by`.
#[derive(Default)]
struct Owners<'p> {
    reporters: HashSet<&'p str>,
    tasks: std::collections::BTreeSet<u32>,
}

/// A suggestion must score at least this (normalised Levenshtein similarity)…
const SUGGEST_AT: f64 = 0.45;
/// …where a metric the reporter answers for gets this much more.
const OWN_BONUS: f64 = 0.05;
/// Names whose candidates are kept at most: past this, a run with millions of distinct names
/// computes the rest again rather than holding them all.
const KEPT_ANSWERS: usize = 100_000;

impl<'p> Suggestions<'p> {
    pub fn new(plan: &'p Plan, metrics: Vec<&'p str>) -> Self {
        // A rule without `by` is answered for by its task's leads, kept by task rather than
        // copied per rule: a plan whose tasks list thousands of leads would otherwise pay
        // rules × leads on every run.
        let mut owners: HashMap<&str, Owners> = HashMap::new();
        for rule in &plan.rules {
            let owner = owners.entry(rule.metric.as_str()).or_default();
            if rule.reporters.is_empty() {
                owner.tasks.extend(u32::try_from(rule.task.0).ok());
            } else {
                owner
                    .reporters
                    .extend(rule.reporters.iter().map(|unit| &**unit));
            }
        }
        let mut tasks_led: HashMap<&str, Vec<u32>> = HashMap::new();
        // Co units (`co`) answer for a task's rules as its leads do (`Plan::may_report`).
        for (task, t) in plan.tasks.iter().enumerate() {
            for lead in t.leads.iter().chain(t.co.iter()) {
                tasks_led
                    .entry(&**lead)
                    .or_default()
                    .extend(u32::try_from(task).ok());
            }
        }
        let mut lists: HashMap<Vec<u32>, Arc<[u32]>> = HashMap::new();
        let tasks_led = tasks_led
            .into_iter()
            .map(|(unit, tasks)| {
                let shared = lists
                    .entry(tasks)
                    .or_insert_with_key(|tasks| Arc::from(tasks.as_slice()));
                (unit, shared.clone())
            })
            .collect();
        Self {
            postings: postings(&metrics),
            metrics: metrics
                .into_iter()
                .map(|m| (m, m.chars().count()))
                .collect(),
            owners,
            tasks_led,
            candidates: Mutex::new(HashMap::new()),
        }
    }

    /// The closest metric to `name`, preferring those `reporter` answers for, if it is close
    /// enough to be a typo rather than a different metric.
    pub fn suggest(&self, name: &str, reporter: &str) -> Option<&'p str> {
        let known = self
            .candidates
            .lock()
            .ok()
            .and_then(|c| c.get(name).cloned());
        let candidates = match known {
            Some(candidates) => candidates,
            None => {
                let computed = Arc::new(self.candidates_of(name));
                if let Ok(mut kept) = self.candidates.lock() {
                    if kept.len() < KEPT_ANSWERS {
                        kept.insert(name.to_owned(), computed.clone());
                    }
                }
                computed
            }
        };
        candidates
            .iter()
            .map(|&(i, similarity)| {
                let own = self.answers_for(i, reporter);
                (similarity + if own { OWN_BONUS } else { 0.0 }, i)
            })
            .filter(|(score, _)| *score >= SUGGEST_AT)
            .max_by(|a, b| {
                let name = |i: usize| self.metrics.get(i).map(|(m, _)| *m);
                a.0.total_cmp(&b.0).then_with(|| name(b.1).cmp(&name(a.1)))
            })
            .and_then(|(_, i)| self.metrics.get(i))
            .map(|(m, _)| *m)
    }

    /// Whether `reporter` answers for the metric at `index`.
    fn answers_for(&self, index: usize, reporter: &str) -> bool {
        let Some((metric, _)) = self.metrics.get(index) else {
            return false;
        };
        self.owners.get(metric).is_some_and(|owner| {
            owner.reporters.contains(reporter)
                || self
                    .tasks_led
                    .get(reporter)
                    .is_some_and(|tasks| tasks.iter().any(|&task| owner.tasks.contains(&task)))
        })
    }

    /// The metrics that could be suggested for `name` (for some reporter), with their
    /// similarity to it. The same for every reporter: a million unknown figures under a
    /// thousand names compute a thousand of these, and each reporter's bonus is added after.
    fn candidates_of(&self, name: &str) -> Candidates {
        // The characters each metric shares with the name (as multisets).
        let counts = char_counts(name);
        let length: usize = counts.values().sum();
        let mut shared = vec![0usize; self.metrics.len()];
        for (c, n) in &counts {
            for (metric, k) in self.postings.get(c).into_iter().flatten() {
                if let Some(s) = shared.get_mut(*metric) {
                    *s += (*n).min(*k);
                }
            }
        }
        self.metrics
            .iter()
            .enumerate()
            .filter(|(i, (_, len))| {
                // The distance is at least the longer length less the characters the two
                // names share, which bounds the score from above: most names are ruled out
                // without computing the distance.
                let longest = length.max(*len).max(1);
                let shared = shared.get(*i).copied().unwrap_or(0);
                let best = shared as f64 / longest as f64 + OWN_BONUS;
                // (A hair of slack so that rounding never rules out a name the distance
                // would let through.)
                best + 1e-9 >= SUGGEST_AT
            })
            .map(|(i, (m, _))| (i, strsim::normalized_levenshtein(name, m)))
            .filter(|(_, similarity)| similarity + OWN_BONUS >= SUGGEST_AT)
            .collect()
    }
}

fn char_counts(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.chars() {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

fn postings(metrics: &[&str]) -> HashMap<char, Vec<(usize, usize)>> {
    let mut postings: HashMap<char, Vec<(usize, usize)>> = HashMap::new();
    for (i, metric) in metrics.iter().enumerate() {
        for (c, n) in char_counts(metric) {
            postings.entry(c).or_default().push((i, n));
        }
    }
    postings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The suggestion of the plain scan over every metric, as it was before the bounds.
    fn reference<'a>(
        name: &str,
        reporter: &str,
        plan: &'a Plan,
        metrics: &[&'a str],
    ) -> Option<&'a str> {
        let own = |metric: &str| {
            plan.rules
                .iter()
                .any(|r| r.metric == metric && plan.may_report(r).any(|u| **u == *reporter))
        };
        metrics
            .iter()
            .map(|m| {
                let score =
                    strsim::normalized_levenshtein(name, m) + if own(m) { 0.05 } else { 0.0 };
                (score, *m)
            })
            .filter(|(score, _)| *score >= 0.45)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, m)| m)
    }

    #[test]
    fn suggestions_are_those_of_the_plain_scan_on_the_shipped_plan() {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let (plan, _) = crate::parse::load_plan(&rules);
        let mut metrics: Vec<&str> = plan.rules.iter().map(|r| r.metric.as_str()).collect();
        metrics.sort_unstable();
        metrics.dedup();
        let suggestions = Suggestions::new(&plan, metrics.clone());
        let mut names: Vec<String> = Vec::new();
        // Every third metric keeps the test fast in a debug build.
        for metric in metrics.iter().step_by(3) {
            let chars: Vec<char> = metric.chars().collect();
            // A character dropped, doubled or replaced, and the name with a suffix.
            names.push(chars.iter().skip(1).collect());
            names.push(chars.iter().chain(chars.last()).collect());
            names.push(chars.iter().rev().skip(1).rev().chain(&['数']).collect());
            names.push(format!("{metric}（万元）"));
        }
        names.extend(["未知指标1".to_owned(), String::new(), "率".to_owned()]);
        assert!(names.len() > 300);
        for name in &names {
            for reporter in ["区科技局", "某单位"] {
                assert_eq!(
                    suggestions.suggest(name, reporter),
                    reference(name, reporter, &plan, &metrics),
                    "{name} / {reporter}"
                );
            }
        }
    }

    /// The bound that rules names out must never be below the true score.
    #[test]
    fn shared_characters_bound_the_similarity() {
        let names = [
            "受污染耕地安全利用率",
            "受污染耕地安全利用",
            "农用地安全利用率",
            "新增城镇就业",
            "新增城镇就业人数",
            "城镇新增就业",
            "未知指标12345",
            "国家高新技术企业",
            "abc",
            "",
        ];
        for a in names {
            for b in names {
                let longest = a.chars().count().max(b.chars().count()).max(1);
                let (ca, cb) = (char_counts(a), char_counts(b));
                let shared: usize = ca
                    .iter()
                    .map(|(c, n)| (*n).min(cb.get(c).copied().unwrap_or(0)))
                    .sum();
                let bound = shared as f64 / longest as f64;
                let score = strsim::normalized_levenshtein(a, b);
                assert!(
                    bound + 1e-9 >= score || a.is_empty() && b.is_empty(),
                    "{a} {b}: {bound} < {score}"
                );
            }
        }
    }
}
