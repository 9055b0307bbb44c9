//! From parsed lines to the plan: which statement belongs in which block, and the values.
//!
//! The grammar only knows lines. Blocks (`plan … {`, `task … {`, `}`) are tracked here with
//! their spans, so a missing brace is one error at the right place and every other line is
//! still read.

use super::checks::{check_plan, ScheduleCheck};
use super::error::{span, to_finding, to_finding_across, ParseError, PlanError};
use super::grammar::{PlanParser, Rule as G};
use super::header::{read_source, Header};
use super::recovery::line_error;
use super::rules::{rule_parts, Clause, ClauseSlots};
use super::values::{quantity, trimmed, unescape};
use crate::diagnostic::Finding;
use crate::model::{Plan, PlanHeader, Rule, RuleId, Section, Skip, Task, TaskId};
use crate::source::{RuleFileId, RuleLoc, SourceFile, Span};
use miette::Diagnostic;
use pest::iterators::Pair;
use pest::Parser;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap};

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
        self.findings
            .extend(super::quotes::verify_quotes(&self.plan));
        self.findings.extend(check_plan(
            &mut self.plan,
            &self.schedules,
            &self.metrics,
            &self.with_within,
        ));
        self.findings.sort_by(|a, b| a.primary().cmp(&b.primary()));
        self.plan.files = files;
        (self.plan, self.findings)
    }
}

/// A block opened by a `{` line and not yet closed.
enum Block {
    Header(Header),
    Task {
        /// `None` when the task line itself was broken: its contents are skipped quietly
        /// rather than each reported as outside any task.
        task: Option<TaskId>,
        number: Option<u32>,
        open: Span,
        has_lead: bool,
    },
}

/// What a clause line (`from`, `by`, `due`, …) continues.
enum ClauseTarget {
    Nothing,
    /// The rule above did not make it into the plan and has its own error already.
    Broken,
    Rule(RuleId, ClauseSlots),
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
            G::tolerance_stmt => self.header_percent(line, "tolerance"),
            G::approx_stmt => self.header_percent(line, "approx"),
            G::skip => self.skip(line),
            G::section => self.section(line),
            G::task_open => self.task_open(line),
            G::block_close => self.block_close(line),
            G::lead => self.lead(line),
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
        // A broken `task …` or `plan …` line still opens its block, as its author meant: the
        // lines below it and its `}` are then not reported once more as out of place.
        let opens_task = starts_with_keyword(text, "task");
        if opens_task || starts_with_keyword(text, "plan") || text.trim_end().ends_with('{') {
            let open = trimmed(&line);
            self.close_implicitly(&open);
            self.block = Some(if opens_task {
                Block::Task {
                    task: None,
                    number: None,
                    open,
                    has_lead: false,
                }
            } else {
                Block::Header(Header::ignored(open))
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
            self.block = Some(Block::Header(Header::ignored(open)));
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
            loc: self.loc(open.clone()),
        });
        self.block = Some(Block::Header(Header::primary(open)));
    }

    fn period(&mut self, line: Pair<'_, G>) {
        let statement = trimmed(&line);
        let Some(Block::Header(header)) = &mut self.block else {
            let error = ParseError::OutsideHeader {
                statement: "period",
                at: span(&statement),
            };
            return self.report(&error);
        };
        if let Some(error) = header.note_period(&statement) {
            return self.report(&error);
        }
        let primary = header.is_primary();
        let Some(value) = line.into_inner().find(|p| p.as_rule() == G::period_value) else {
            return;
        };
        match value.as_str().parse() {
            Ok(period) if primary => {
                if let Some(h) = self.plan.plan.header.as_mut() {
                    h.period = Some(period);
                }
            }
            Ok(_) => {}
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
        let statement = trimmed(&line);
        let Some(Block::Header(header)) = &mut self.block else {
            let error = ParseError::OutsideHeader {
                statement: "source",
                at: span(&statement),
            };
            return self.report(&error);
        };
        if let Some(error) = header.note_source(&statement) {
            return self.report(&error);
        }
        let primary = header.is_primary();
        let Some(string) = line.into_inner().find(|p| p.as_rule() == G::string) else {
            return;
        };
        let loc = self.loc(trimmed(&string));
        match read_source(&self.source.path, unescape(&string), loc) {
            Ok(document) if primary => {
                if let Some(h) = self.plan.plan.header.as_mut() {
                    h.source = Some(document);
                }
            }
            Ok(_) => {}
            Err(error) => self.report(&error),
        }
    }

    /// `tolerance 5%` or `approx 10%`: a per cent in the header, kept if the header is the
    /// plan's.
    fn header_percent(&mut self, line: Pair<'_, G>, statement: &'static str) {
        let at = trimmed(&line);
        let Some(Block::Header(header)) = &mut self.block else {
            let error = ParseError::OutsideHeader {
                statement,
                at: span(&at),
            };
            return self.report(&error);
        };
        let seen = if statement == "tolerance" {
            header.note_tolerance(&at)
        } else {
            header.note_approx(&at)
        };
        if let Some(error) = seen {
            return self.report(&error);
        }
        let primary = header.is_primary();
        let Some(value) = line.into_inner().find(|p| p.as_rule() == G::quantity) else {
            return;
        };
        let (what, help) = if statement == "tolerance" {
            (
                "tolerance 的容差",
                "写作 tolerance 5%：累计指标低于按时间进度应完成的量不超过 5% 时仍算按进度",
            )
        } else {
            (
                "approx 的容差",
                "写作 approx 10%：~= 目标上下浮动 10% 以内算达标",
            )
        };
        let amount = quantity(value).and_then(|written| {
            let amount = written.percent(what, help)?;
            if amount < Decimal::ZERO {
                return Err(PlanError::NegativeTolerance {
                    what,
                    at: span(&written.span),
                });
            }
            Ok(amount)
        });
        match amount {
            Ok(amount) if primary => {
                if let Some(h) = self.plan.plan.header.as_mut() {
                    if statement == "tolerance" {
                        h.tolerance = Some(amount);
                    } else {
                        h.approx = Some(amount);
                    }
                }
            }
            Ok(_) => {}
            Err(error) => self.report(&error),
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
        let mut empty = false;
        for (part, string) in [("引文", quote), ("理由", reason)] {
            if unescape(string).trim().is_empty() {
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
            quote: unescape(quote),
            reason: unescape(reason),
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
        let written_number = number.as_ref().map(|(n, _)| *n);
        let task = number.map(|(number, number_span)| {
            self.note_task_number(number, number_span);
            let id = TaskId(self.plan.plan.tasks.len());
            let loc = self.loc(open.clone());
            self.plan.plan.tasks.push(Task {
                number,
                title,
                section: self.section,
                leads: Vec::new(),
                loc,
            });
            id
        });
        self.block = Some(Block::Task {
            task,
            number: written_number,
            open,
            has_lead: false,
        });
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

    fn lead(&mut self, line: Pair<'_, G>) {
        let at = trimmed(&line);
        match &mut self.block {
            Some(Block::Task {
                task: Some(id),
                has_lead,
                ..
            }) => {
                *has_lead = true;
                if let Some(task) = self.plan.plan.tasks.get_mut(id.0) {
                    task.leads.extend(super::values::org_names(line));
                }
            }
            Some(Block::Task { task: None, .. }) => {}
            _ => self.report(&PlanError::OutsideTask {
                statement: "lead 行",
                at: span(&at),
            }),
        }
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
        let task = match &self.block {
            Some(Block::Task { task: Some(id), .. }) => Some(*id),
            Some(Block::Task { task: None, .. }) => None,
            _ => {
                self.report(&PlanError::OutsideTask {
                    statement: "规则",
                    at: span(&loc),
                });
                None
            }
        };
        let (Some(task), Some(target)) = (task, parts.target) else {
            self.clauses = ClauseTarget::Broken;
            return;
        };
        let id = RuleId(self.plan.plan.rules.len());
        self.plan.plan.rules.push(Rule {
            task,
            strength: parts.strength,
            metric: parts.metric,
            metric_loc: self.loc(parts.metric_span),
            target,
            target_loc: self.loc(parts.target_span),
            loc: self.loc(loc),
            quote: None,
            reporters: Vec::new(),
            due: None,
            kind: None,
            schedule: Vec::new(),
            summed: false,
            baseline: None,
        });
        self.clauses = ClauseTarget::Rule(id, ClauseSlots::default());
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
                if let Some(first) = slots.take(&clause) {
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
            Block::Header(header) => ("plan".to_owned(), header.open().clone()),
            Block::Task { number, open, .. } => (
                number.map_or_else(|| "task".to_owned(), |n| format!("task {n}")),
                open.clone(),
            ),
        };
        Some(PlanError::UnclosedBlock {
            block,
            at: span(&open),
            ended_by: ended_by.map(span),
        })
    }

    fn close_block(&mut self) {
        self.clauses = ClauseTarget::Nothing;
        if let Some(Block::Task {
            task: Some(id),
            has_lead: false,
            open,
            ..
        }) = self.block.take()
        {
            let number = self.plan.plan.task(id).map_or(0, |t| t.number);
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
    Some(match name.as_rule() {
        G::string => unescape(&name),
        _ => name.as_str().to_owned(),
    })
}

/// Whether `text` starts with the keyword `word` as a whole word.
fn starts_with_keyword(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\u{3000}', '"']))
}
