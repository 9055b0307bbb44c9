//! From parsed lines to the plan: which statement belongs in which block, and the values.
//!
//! The grammar only knows lines. Blocks (`plan … {`, `task … {`, `}`) are tracked here with
//! their spans, so a missing brace is one error at the right place and every other line is
//! still read.

use super::checks::{check_plan, ScheduleCheck};
use super::error::{span, to_finding, to_finding_across, ParseError, PlanError};
use super::grammar::{PlanParser, Rule as G};
use super::header::{read_source, SourcePolicy};
use super::recovery::line_error;
use super::rules::{adjusted_target, metric_name, rule_parts, Clause};
use super::values::{quantity, trimmed, unescape};
use crate::diagnostic::Finding;
use crate::model::{Plan, PlanHeader, Rule, RuleId, Section, Skip, Task, TaskId, Tracked};
use crate::source::{RuleFileId, RuleLoc, SourceFile, Span};
use miette::Diagnostic;
use pest::iterators::Pair;
use pest::Parser;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// The plan as it grows file by file, and everything wrong with it so far.
#[derive(Default)]
pub struct PlanBuilder {
    plan: Plan,
    findings: Vec<Finding>,
    task_numbers: HashMap<u32, RuleLoc>,
    /// Schedules to check against the plan period, which may be in a file read later.
    schedules: Vec<ScheduleCheck>,
    /// The metric of every rule line, including rules left out for an error in their target,
    /// so a `metric NAME` naming one is not reported as unknown on top of that error.
    metrics: BTreeSet<String>,
    /// Rules that give a `within`, even one with an error: they are not also reported as
    /// having no tolerance.
    with_within: BTreeSet<RuleId>,
    /// Where the plan's `source` may lie and how large it may be.
    pub source_policy: SourcePolicy,
    names: Names,
}

/// Every unit and leader named so far, and every list of them, so that each is held once
/// however many tasks give it: a national plan lists its thousands of units under every task.
#[derive(Default)]
struct Names {
    names: HashSet<Arc<str>>,
    lists: HashSet<Arc<[Arc<str>]>>,
}

impl Names {
    /// The plan's one copy of `name`.
    fn name(&mut self, name: String) -> Arc<str> {
        if let Some(shared) = self.names.get(name.as_str()) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(name);
        self.names.insert(shared.clone());
        shared
    }

    /// The plan's one copy of the list `before` followed by `more`.
    fn list(&mut self, before: &[Arc<str>], more: Vec<Arc<str>>) -> Arc<[Arc<str>]> {
        let list: Vec<Arc<str>> = before.iter().cloned().chain(more).collect();
        if let Some(shared) = self.lists.get(list.as_slice()) {
            return shared.clone();
        }
        let shared: Arc<[Arc<str>]> = Arc::from(list);
        self.lists.insert(shared.clone());
        shared
    }
}

impl PlanBuilder {
    /// Adds the statements of one file.
    pub fn add_file(&mut self, id: RuleFileId, source: &SourceFile) {
        let lines = match PlanParser::parse(G::file, &source.text) {
            Ok(mut pairs) => pairs.next().map(Pair::into_inner),
            // The file rule matches any text; only pest's call limit can stop it.
            Err(_) => {
                let error = ParseError::TooLarge { at: span(&(0..0)) };
                self.findings.push(to_finding(&error, id));
                return;
            }
        };
        let mut file = FileBuilder {
            plan: self,
            file: id,
            source,
            block: None,
            section: None,
            clauses: ClauseTarget::Nothing,
        };
        for line in lines.into_iter().flatten() {
            file.statement(line);
        }
        file.end();
    }

    /// The plan with its files, and the findings in reading order.
    pub fn finish(mut self, files: Vec<SourceFile>) -> (Plan, Vec<Finding>) {
        // The whole-plan checks read the files to place what they find.
        self.plan.files = files;
        self.findings
            .extend(super::quotes::verify_quotes(&self.plan));
        self.findings.extend(check_plan(
            &mut self.plan,
            &self.schedules,
            &self.metrics,
            &self.with_within,
        ));
        self.findings.sort_by(|a, b| a.primary().cmp(&b.primary()));
        (self.plan, self.findings)
    }
}

/// A block opened by a `{` line and not yet closed.
enum Block {
    /// A `plan` block. A second header, or a broken `plan` line, is not `primary`: its
    /// statements are checked but their values are not kept.
    Header {
        open: Span,
        primary: bool,
        /// Its statements so far; each may be given once.
        seen: FirstSeen,
    },
    Task {
        /// `None` when the task line itself was broken: its contents are skipped quietly
        /// rather than each reported as outside any task.
        task: Option<TaskId>,
        open: Span,
    },
}

impl Block {
    fn header(open: Span, primary: bool) -> Self {
        Block::Header {
            open,
            primary,
            seen: FirstSeen::default(),
        }
    }
}

/// Where each kind of statement or clause was first given, to report a second one.
#[derive(Default)]
struct FirstSeen(Vec<(&'static str, Span)>);

impl FirstSeen {
    /// Records `kind` given at `at`; where the first one was if this is a repeat.
    fn note(&mut self, kind: &'static str, at: &Span) -> Option<Span> {
        if let Some((_, first)) = self.0.iter().find(|(k, _)| *k == kind) {
            return Some(first.clone());
        }
        self.0.push((kind, at.clone()));
        None
    }
}

/// A per-cent setting of the plan header: `tolerance 5%` or `approx 10%`.
struct PercentSetting {
    statement: &'static str,
    /// What the value is called in an error.
    what: &'static str,
    help: &'static str,
    field: fn(&mut PlanHeader) -> &mut Option<Decimal>,
}

const TOLERANCE: PercentSetting = PercentSetting {
    statement: "tolerance",
    what: "tolerance 的容差",
    help: "写作 tolerance 5%：累计指标低于按时间进度应完成的量不超过 5% 时仍算按进度",
    field: |header| &mut header.tolerance,
};

const APPROX: PercentSetting = PercentSetting {
    statement: "approx",
    what: "approx 的容差",
    help: "写作 approx 10%：~= 目标上下浮动 10% 以内算达标；增长率等以 % 计的目标另写 approx 10%, 0.5 百分点",
    field: |header| &mut header.approx,
};

/// What a clause line (`from`, `by`, `due`, …) continues.
enum ClauseTarget {
    Nothing,
    /// The rule above did not make it into the plan and has its own error already.
    Broken,
    Rule(RuleId, FirstSeen),
}

struct FileBuilder<'b> {
    plan: &'b mut PlanBuilder,
    file: RuleFileId,
    source: &'b SourceFile,
    block: Option<Block>,
    section: Option<usize>,
    clauses: ClauseTarget,
}

impl FileBuilder<'_> {
    fn report(&mut self, error: &dyn Diagnostic) {
        self.plan.findings.push(to_finding(error, self.file));
    }

    fn loc(&self, span: Span) -> RuleLoc {
        RuleLoc {
            file: self.file,
            span,
        }
    }

    fn statement(&mut self, line: Pair<'_, G>) {
        match line.as_rule() {
            G::plan_open => self.plan_open(line),
            G::period_stmt => self.period(line),
            G::source_stmt => self.source(line),
            G::tolerance_stmt => self.header_percent(line, &TOLERANCE),
            G::approx_stmt => self.header_percent(line, &APPROX),
            G::skip => self.skip(line),
            G::section => self.section(line),
            G::task_open => self.task_open(line),
            G::block_close => self.block_close(line),
            G::lead => self.units(line, Units::Lead),
            G::co => self.units(line, Units::Co),
            G::leader => self.units(line, Units::Leader),
            G::track => self.track(line),
            G::id_stmt => self.plan_id(line),
            G::adjust_stmt => self.adjust(line),
            G::rule_stmt => self.rule(line),
            G::clauses => line.into_inner().for_each(|clause| self.clause(clause)),
            G::bad_line => self.bad_line(line),
            _ => {}
        }
    }

    fn bad_line(&mut self, line: Pair<'_, G>) {
        let text = line.as_str();
        self.report(&line_error(text, line.as_span().start()));
        if let Some(metric) = rule_head_metric(text) {
            self.plan.metrics.insert(metric);
        }
        self.clauses = ClauseTarget::Broken;
        if text.starts_with('}') {
            return self.close_block();
        }
        // `lead 区发改局 区财政局`: the syntax error says how to separate the units; the units
        // are kept so the task is not also reported as having no lead.
        if starts_with_keyword(text, "lead") {
            if let Some(Block::Task { task: Some(id), .. }) = &self.block {
                let words = text.trim_start().strip_prefix("lead").unwrap_or_default();
                let units = words
                    .split(|c: char| c.is_whitespace() || "，,、；;".contains(c))
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned)
                    .collect();
                let units: Vec<Arc<str>> = super::values::rejoin_units(units)
                    .into_iter()
                    .map(|unit| self.plan.names.name(unit))
                    .collect();
                self.add_units(*id, Units::Lead, units);
            }
            return;
        }
        // A broken `task …` or `plan …` line still opens its block, as its author meant: the
        // lines below it and its `}` are then not reported once more as out of place.
        let opens_task = starts_with_keyword(text, "task");
        if opens_task || starts_with_keyword(text, "plan") || text.trim_end().ends_with('{') {
            let open = trimmed(&line);
            self.close_implicitly(&open);
            self.block = Some(if opens_task {
                Block::Task { task: None, open }
            } else {
                Block::header(open, false)
            });
        }
    }

    fn plan_open(&mut self, line: Pair<'_, G>) {
        let open = trimmed(&line);
        self.close_implicitly(&open);
        self.clauses = ClauseTarget::Nothing;
        if let Some(first) = self.plan.plan.header.as_ref().map(|h| h.loc.clone()) {
            let error = PlanError::DuplicateHeader {
                at: span(&open),
                first: span(&first.span),
            };
            let finding = to_finding_across(&error, &[self.file, first.file]);
            self.plan.findings.push(finding);
            self.block = Some(Block::header(open, false));
            return;
        }
        let title = line
            .into_inner()
            .find(|p| p.as_rule() == G::string)
            .map(|p| unescape(&p))
            .unwrap_or_default();
        self.plan.plan.header = Some(PlanHeader {
            title,
            period: None,
            source: None,
            tolerance: None,
            approx: None,
            approx_points: None,
            id: None,
            loc: self.loc(open.clone()),
        });
        self.block = Some(Block::header(open, true));
    }

    /// Records a header statement in the open `plan` block: `Some(primary)` if it belongs
    /// there, `None` (with the error reported) outside a header or for a repeat.
    fn header_statement(&mut self, statement: &'static str, at: &Span) -> Option<bool> {
        let Some(Block::Header { primary, seen, .. }) = &mut self.block else {
            self.report(&ParseError::OutsideHeader {
                statement,
                at: span(at),
            });
            return None;
        };
        let primary = *primary;
        if let Some(first) = seen.note(statement, at) {
            self.report(&ParseError::RepeatedInHeader {
                statement,
                at: span(at),
                first: span(&first),
            });
            return None;
        }
        Some(primary)
    }

    /// The plan's header, where the values of a `primary` header block are kept.
    fn kept_header(&mut self, primary: bool) -> Option<&mut PlanHeader> {
        self.plan.plan.header.as_mut().filter(|_| primary)
    }

    fn period(&mut self, line: Pair<'_, G>) {
        let Some(primary) = self.header_statement("period", &trimmed(&line)) else {
            return;
        };
        let Some(value) = line.into_inner().find(|p| p.as_rule() == G::period_value) else {
            return;
        };
        match value.as_str().parse() {
            Ok(period) => {
                if let Some(header) = self.kept_header(primary) {
                    header.period = Some(period);
                }
            }
            Err(_) => {
                let error = PlanError::BadPeriod {
                    text: value.as_str().to_owned(),
                    at: span(&trimmed(&value)),
                };
                self.report(&error);
            }
        }
    }

    fn source(&mut self, line: Pair<'_, G>) {
        let Some(primary) = self.header_statement("source", &trimmed(&line)) else {
            return;
        };
        let Some(string) = line.into_inner().find(|p| p.as_rule() == G::string) else {
            return;
        };
        let loc = self.loc(trimmed(&string));
        match read_source(
            &self.source.path,
            unescape(&string),
            loc,
            &self.plan.source_policy,
        ) {
            Ok(document) => {
                if let Some(header) = self.kept_header(primary) {
                    header.source = Some(document);
                }
            }
            Err(error) => self.report(&error),
        }
    }

    /// `id 兖州区`: the plan's name among several.
    fn plan_id(&mut self, line: Pair<'_, G>) {
        let Some(primary) = self.header_statement("id", &trimmed(&line)) else {
            return;
        };
        let Some(value) = line.into_inner().find(|p| p.as_rule() == G::plan_id) else {
            return;
        };
        if let Some(header) = self.kept_header(primary) {
            header.id = Some(value.as_str().to_owned());
        }
    }

    /// `adjust METRIC to TARGET from DATE by "文号" because "…"`: an approved change of the
    /// target of a rule of the open task.
    fn adjust(&mut self, line: Pair<'_, G>) {
        let at = trimmed(&line);
        self.clauses = ClauseTarget::Nothing;
        let Some(task) = self.open_task("adjust", &at) else {
            return;
        };
        let (mut metric, mut metric_at, mut target, mut from) = (None, None, None, None);
        let (mut document, mut reason) = (None, String::new());
        for part in line.into_inner() {
            match part.as_rule() {
                G::string | G::bare_name => {
                    metric_at = Some(trimmed(&part));
                    metric = Some(metric_name(&part));
                }
                G::adjust_target => match adjusted_target(part, self.file) {
                    Ok(t) => target = Some(t),
                    Err(errors) => {
                        return errors.iter().for_each(|e| self.report(e));
                    }
                },
                G::adjust_date => match part.as_str().parse::<jiff::civil::Date>() {
                    Ok(date) => from = Some(date),
                    Err(_) => {
                        return self.report(&PlanError::BadDate {
                            text: part.as_str().to_owned(),
                            at: span(&trimmed(&part)),
                        })
                    }
                },
                G::adjust_by => {
                    document = part
                        .into_inner()
                        .find(|p| p.as_rule() == G::string)
                        .map(|p| unescape(&p));
                }
                G::adjust_because => {
                    if let Some(text) = part.into_inner().find(|p| p.as_rule() == G::string) {
                        reason = unescape(&text);
                    }
                }
                _ => {}
            }
        }
        let (Some(metric), Some(target), Some(from)) = (metric, target, from) else {
            return;
        };
        let Some(document) = document.filter(|d| !d.trim().is_empty()) else {
            return self.report(&PlanError::AdjustWithoutDocument { at: span(&at) });
        };
        let found = self
            .plan
            .plan
            .rules
            .iter()
            .rposition(|r| r.task == task && r.metric == metric);
        let Some(rule) = found.and_then(|i| self.plan.plan.rules.get_mut(i)) else {
            let at = metric_at.unwrap_or(at);
            return self.report(&PlanError::AdjustUnknownMetric {
                metric,
                at: span(&at),
            });
        };
        if std::mem::discriminant(&rule.target) != std::mem::discriminant(&target) {
            let error = PlanError::BadAdjust {
                problem: format!("原目标为 {}，调整后为 {target}，形式不同", rule.target),
                at: span(&at),
            };
            return self.report(&error);
        }
        if let Some(previous) = rule.adjustments.last().filter(|p| p.from >= from) {
            let error = PlanError::AdjustOutOfOrder {
                at: span(&at),
                previous: span(&previous.loc.span),
            };
            return self.report(&error);
        }
        let loc = RuleLoc {
            file: self.file,
            span: at,
        };
        rule.adjustments.push(crate::model::Adjustment {
            target,
            from,
            document,
            reason,
            loc,
        });
    }

    /// `tolerance 5%` or `approx 10%`: a non-negative per cent in the header.
    fn header_percent(&mut self, line: Pair<'_, G>, setting: &PercentSetting) {
        let Some(primary) = self.header_statement(setting.statement, &trimmed(&line)) else {
            return;
        };
        // `approx 10%, 0.5 百分点`: a share of the value, and percentage points for targets in
        // per cent; either may come alone.
        let values: Vec<_> = line
            .into_inner()
            .filter(|p| p.as_rule() == G::quantity)
            .collect();
        for value in values {
            let amount = quantity(value).and_then(|written| {
                let points = setting.statement == "approx"
                    && written
                        .quantity
                        .unit
                        .is_some_and(|u| u.dimension == crate::units::Dimension::PercentagePoint);
                let amount = if points {
                    written.quantity.amount
                } else {
                    written.percent(setting.what, setting.help)?
                };
                if amount < Decimal::ZERO {
                    return Err(PlanError::NegativeTolerance {
                        what: setting.what,
                        at: span(&written.span),
                    });
                }
                Ok((points, amount))
            });
            match amount {
                Ok((points, amount)) => {
                    if let Some(header) = self.kept_header(primary) {
                        if points {
                            header.approx_points = Some(amount);
                        } else {
                            *(setting.field)(header) = Some(amount);
                        }
                    }
                }
                Err(error) => self.report(&error),
            }
        }
    }

    /// `skip "…" because "…"`: at the top level or in a task.
    fn skip(&mut self, line: Pair<'_, G>) {
        let loc = trimmed(&line);
        self.clauses = ClauseTarget::Nothing;
        let strings: Vec<Pair<'_, G>> = line
            .into_inner()
            .filter(|p| p.as_rule() == G::string)
            .collect();
        // The grammar gives a skip two strings.
        let [quote, reason] = strings.as_slice() else {
            return;
        };
        let (quote_text, reason_text) = (unescape(quote), unescape(reason));
        let mut empty = false;
        for (part, text, string) in [("引文", &quote_text, quote), ("理由", &reason_text, reason)]
        {
            if text.trim().is_empty() {
                empty = true;
                self.report(&ParseError::EmptySkip {
                    part,
                    at: span(&trimmed(string)),
                });
            }
        }
        if empty {
            return;
        }
        let task = match &self.block {
            Some(Block::Task { task, .. }) => *task,
            _ => None,
        };
        let skip = Skip {
            quote: quote_text,
            reason: reason_text,
            quote_loc: self.loc(trimmed(quote)),
            loc: self.loc(loc),
            task,
        };
        self.plan.plan.skips.push(skip);
    }

    fn section(&mut self, line: Pair<'_, G>) {
        let loc = trimmed(&line);
        self.close_implicitly(&loc);
        self.clauses = ClauseTarget::Nothing;
        let mut numeral = String::new();
        let mut title = String::new();
        for part in line.into_inner() {
            match part.as_rule() {
                G::numeral => part.as_str().clone_into(&mut numeral),
                G::string => title = unescape(&part),
                _ => {}
            }
        }
        self.section = Some(self.plan.plan.sections.len());
        let loc = self.loc(loc);
        self.plan.plan.sections.push(Section {
            numeral,
            title,
            loc,
        });
    }

    fn task_open(&mut self, line: Pair<'_, G>) {
        let open = trimmed(&line);
        self.close_implicitly(&open);
        self.clauses = ClauseTarget::Nothing;
        let mut number = None;
        let mut title = String::new();
        for part in line.into_inner() {
            match part.as_rule() {
                G::task_number => match part.as_str().parse::<u32>() {
                    Ok(n) => number = Some((n, trimmed(&part))),
                    Err(_) => self.report(&PlanError::BadNumber {
                        text: part.as_str().to_owned(),
                        at: span(&trimmed(&part)),
                    }),
                },
                G::string => title = unescape(&part),
                _ => {}
            }
        }
        let task = number.map(|(number, number_span)| {
            self.note_task_number(number, number_span);
            let id = TaskId(self.plan.plan.tasks.len());
            let loc = self.loc(open.clone());
            self.plan.plan.tasks.push(Task {
                number,
                title,
                section: self.section,
                leads: Arc::default(),
                co: Arc::default(),
                leaders: Vec::new(),
                plan: None,
                plan_rank: 0,
                loc,
            });
            id
        });
        self.block = Some(Block::Task { task, open });
    }

    fn note_task_number(&mut self, number: u32, at: Span) {
        let here = self.loc(at);
        match self.plan.task_numbers.get(&number) {
            Some(first) => {
                let error = PlanError::DuplicateTask {
                    number,
                    at: span(&here.span),
                    first: span(&first.span),
                };
                let finding = to_finding_across(&error, &[self.file, first.file]);
                self.plan.findings.push(finding);
            }
            None => {
                self.plan.task_numbers.insert(number, here);
            }
        }
    }

    fn block_close(&mut self, line: Pair<'_, G>) {
        self.clauses = ClauseTarget::Nothing;
        if self.block.is_none() {
            let error = PlanError::UnmatchedClose {
                at: span(&trimmed(&line)),
            };
            return self.report(&error);
        }
        self.close_block();
    }

    /// The task a statement that belongs in one stands in. Outside any task the statement
    /// is reported; inside a task whose own line was broken it is skipped quietly, as the
    /// task's error already covers it.
    fn open_task(
        &mut self,
        statement: &'static str,
        at: &std::ops::Range<usize>,
    ) -> Option<TaskId> {
        match &self.block {
            Some(Block::Task { task, .. }) => *task,
            _ => {
                self.report(&PlanError::OutsideTask {
                    statement,
                    at: span(at),
                });
                None
            }
        }
    }

    /// A `lead`, `co` or `leader` line: names of the open task's units or leaders.
    fn units(&mut self, line: Pair<'_, G>, which: Units) {
        let at = trimmed(&line);
        let Some(id) = self.open_task(which.statement(), &at) else {
            return;
        };
        // The grammar gives a `lead` at least one unit, so a task with a `lead` line has
        // leads. A pasted label or units joined by ； are reported, and the units meant kept.
        let mut names = Vec::new();
        let lists = line.into_inner().filter(|p| p.as_rule() == G::org_list);
        for (name, range) in lists.flat_map(|list| super::values::orgs(&list)) {
            let at = span(&range);
            if let Some((label, rest)) = lead_label(name) {
                let keyword = which.keyword();
                self.report(&PlanError::BadLead {
                    message: format!("{keyword} 中多了标签“{label}”"),
                    at,
                    help: format!("只写{}：{keyword} {rest}", which.names()),
                });
                names.push(rest.to_owned());
            } else if name.contains(['；', ';']) {
                let parts: Vec<&str> = name.split(['；', ';']).filter(|p| !p.is_empty()).collect();
                self.report(&PlanError::BadLead {
                    message: format!("“{name}”用分号连着几个单位"),
                    at,
                    help: format!(
                        "{}之间用逗号或顿号分隔：{} {}",
                        which.names().trim_end_matches("名称"),
                        which.keyword(),
                        parts.join(", ")
                    ),
                });
                names.extend(parts.into_iter().map(str::to_owned));
            } else {
                names.push(name.to_owned());
            }
        }
        let names: Vec<Arc<str>> = super::values::rejoin_units(names)
            .into_iter()
            .map(|name| self.plan.names.name(name))
            .collect();
        self.add_units(id, which, names);
    }

    /// Adds `names` to the open task's leads, co units or leaders.
    fn add_units(&mut self, id: TaskId, which: Units, added: Vec<Arc<str>>) {
        let PlanBuilder { plan, names, .. } = &mut *self.plan;
        let Some(task) = plan.tasks.get_mut(id.0) else {
            return;
        };
        match which {
            Units::Lead => task.leads = names.list(&task.leads, added),
            Units::Co => task.co = names.list(&task.co, added),
            Units::Leader => task.leaders.extend(added),
        }
    }

    /// `track NAME [UNIT]`: inside a task, like a rule, but with no target and no clauses.
    fn track(&mut self, line: Pair<'_, G>) {
        let at = trimmed(&line);
        self.clauses = ClauseTarget::Nothing;
        let mut metric = None;
        let mut unit = None;
        let mut reporters = Vec::new();
        for part in line.into_inner() {
            match part.as_rule() {
                G::string | G::bare_name => metric = Some((metric_name(&part), trimmed(&part))),
                G::unit => match super::values::unit(&part) {
                    Ok(found) => unit = Some(found),
                    Err(error) => return self.report(&error),
                },
                G::by_clause => reporters = super::values::org_names(part),
                _ => {}
            }
        }
        let Some((metric, metric_span)) = metric else {
            return;
        };
        self.plan.metrics.insert(metric.clone());
        let Some(task) = self.open_task("track 行", &at) else {
            return;
        };
        let tracked = Tracked {
            task,
            metric,
            metric_loc: self.loc(metric_span),
            unit,
            reporters: reporters.into_iter().map(Arc::from).collect(),
            loc: self.loc(at),
        };
        self.plan.plan.tracked.push(tracked);
    }

    fn rule(&mut self, line: Pair<'_, G>) {
        let loc = trimmed(&line);
        let parts = rule_parts(line, self.file);
        for error in &parts.errors {
            self.report(error);
        }
        if !parts.metric.is_empty() {
            self.plan.metrics.insert(parts.metric.clone());
        }
        let task = self.open_task("规则", &loc);
        let (Some(task), Some(target)) = (task, parts.target) else {
            self.clauses = ClauseTarget::Broken;
            return;
        };
        let id = RuleId(self.plan.plan.rules.len());
        let locs = crate::model::RuleLocs {
            metric: self.loc(parts.metric_span),
            target: self.loc(parts.target_span),
            line: self.loc(loc),
        };
        let rule = Rule::new(task, parts.strength, parts.metric, target, locs);
        self.plan.plan.rules.push(rule);
        self.clauses = ClauseTarget::Rule(id, FirstSeen::default());
        for clause in parts.clauses {
            self.attach(clause);
        }
    }

    fn clause(&mut self, pair: Pair<'_, G>) {
        let mut errors = Vec::new();
        let clause = Clause::read(pair, &mut errors);
        for error in &errors {
            self.report(error);
        }
        if let Some(clause) = clause {
            self.attach(clause);
        }
    }

    fn attach(&mut self, clause: Clause) {
        let file = self.file;
        match &mut self.clauses {
            ClauseTarget::Broken => {}
            ClauseTarget::Nothing => {
                let error = PlanError::OrphanClause {
                    clause: clause.keyword,
                    at: span(&clause.span),
                };
                self.report(&error);
            }
            ClauseTarget::Rule(id, slots) => {
                let id = *id;
                if let Some(first) = slots.note(clause.keyword, &clause.span) {
                    let error = PlanError::DuplicateClause {
                        clause: clause.keyword,
                        at: span(&clause.span),
                        first: span(&first),
                    };
                    return self.report(&error);
                }
                if clause.keyword == "within" {
                    self.plan.with_within.insert(id);
                }
                let checkpoints = clause.checkpoints();
                let Some(rule) = self.plan.plan.rules.get_mut(id.0) else {
                    return;
                };
                match clause.apply(rule, file) {
                    Ok(()) => {
                        if let Some(checkpoints) = checkpoints {
                            self.plan.schedules.push(ScheduleCheck {
                                rule: id,
                                file,
                                checkpoints,
                            });
                        }
                    }
                    Err(error) => self.report(&error),
                }
            }
        }
    }

    /// Ends the open block, if any, because `next` starts something a block cannot hold.
    fn close_implicitly(&mut self, next: &Span) {
        if let Some(error) = self.unclosed_error(Some(next)) {
            self.report(&error);
        }
        self.close_block();
    }

    fn unclosed_error(&self, ended_by: Option<&Span>) -> Option<PlanError> {
        let (block, open) = match self.block.as_ref()? {
            Block::Header { open, .. } => ("plan".to_owned(), open),
            Block::Task { task, open } => (
                task.and_then(|id| self.plan.plan.task(id))
                    .map_or_else(|| "task".to_owned(), |t| format!("task {}", t.number)),
                open,
            ),
        };
        Some(PlanError::UnclosedBlock {
            block,
            at: span(open),
            ended_by: ended_by.map(span),
        })
    }

    fn close_block(&mut self) {
        self.clauses = ClauseTarget::Nothing;
        let Some(Block::Task {
            task: Some(id),
            open,
        }) = self.block.take()
        else {
            return;
        };
        let without_lead = self.plan.plan.task(id).filter(|t| t.leads.is_empty());
        if let Some(number) = without_lead.map(|t| t.number) {
            self.report(&PlanError::NoLead {
                number,
                at: span(&open),
            });
        }
    }

    fn end(mut self) {
        if let Some(error) = self.unclosed_error(None) {
            self.report(&error);
        }
        self.close_block();
    }
}

/// The metric a line names if it starts like a rule.
fn rule_head_metric(text: &str) -> Option<String> {
    let head = PlanParser::parse(G::rule_head, text).ok()?.next()?;
    let name = head
        .into_inner()
        .find(|p| matches!(p.as_rule(), G::string | G::bare_name))?;
    Some(metric_name(&name))
}

/// Whether `text` starts with the keyword `word` as a whole word.
fn starts_with_keyword(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\u{3000}', '"']))
}

/// Which names a `lead`, `co` or `leader` line gives.
#[derive(Clone, Copy)]
enum Units {
    Lead,
    Co,
    Leader,
}

impl Units {
    fn keyword(self) -> &'static str {
        match self {
            Units::Lead => "lead",
            Units::Co => "co",
            Units::Leader => "leader",
        }
    }

    /// What the line names: `单位名称` or `姓名`.
    fn names(self) -> &'static str {
        match self {
            Units::Lead | Units::Co => "单位名称",
            Units::Leader => "姓名",
        }
    }

    fn statement(self) -> &'static str {
        match self {
            Units::Lead => "lead 行",
            Units::Co => "co 行",
            Units::Leader => "leader 行",
        }
    }
}

/// `牵头单位：区发改局` pasted into a `lead` (or `co`, `leader`): the label and the name after
/// it.
fn lead_label(name: &str) -> Option<(&'static str, &str)> {
    [
        "牵头单位",
        "牵头部门",
        "责任单位",
        "配合单位",
        "责任部门",
        "责任领导",
        "牵头领导",
    ]
    .into_iter()
    .find_map(|label| {
        let rest = name.strip_prefix(label)?.strip_prefix(['：', ':'])?;
        Some((label, rest))
    })
}
