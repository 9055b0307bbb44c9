//! `plancheck draft`: a first `.plan` written from a plan document, for a person to review
//! instead of typing it.
//!
//! The document is read as `coverage` reads it (`coverage::segment`): items with their
//! headings, 牵头单位, 责任单位, 责任领导 and 完成时限. Each target-like clause becomes a rule
//! (`target.rs`), a milestone or a `skip … because`, always citing the clause verbatim, so the
//! draft passes `coverage` by construction. Every guess carries a `# check:` comment. The text
//! is printed through `fmt`, so the draft is in the layout `plancheck fmt` keeps.

pub mod measure;
mod target;

pub use target::{deliverable, draft as draft_clause, kind_of, Drafted};

use crate::coverage::clean::Clean;
use crate::coverage::{is_target_like, source_tasks, split_clauses, SourceTask};
use std::fmt::Write as _;

/// Counts of what a draft holds, for the command's closing line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tasks: usize,
    pub rules: usize,
    pub milestones: usize,
    pub skips: usize,
    pub checks: usize,
}

/// The draft plan for the document `text`, whose path as the plan should cite it is
/// `source`. Returns the plan text and its counts.
pub fn draft(text: &str, source: &str) -> (String, Counts) {
    let clean = Clean::new(text);
    let items = source_tasks(&clean.text);
    let mut counts = Counts::default();
    let mut out = String::new();
    let title = title_of(&clean.text);
    let year = year_of(&clean.text);
    let _ = writeln!(out, "plan {} {{", crate::fmt::string_literal(&title));
    match &year {
        Some(year) => {
            let _ = writeln!(out, "    period {year}");
        }
        None => {
            let _ = writeln!(out, "    # check: 原文没有写明年份，请改为计划年度");
            let _ = writeln!(out, "    period 2024");
            counts.checks += 1;
        }
    }
    let _ = writeln!(out, "    source {}", crate::fmt::string_literal(source));
    let _ = writeln!(
        out,
        "    # check: 左右（~=）的目标按与目标值相差 10% 以内为达成，请按原文口径调整"
    );
    let _ = writeln!(out, "    approx 10%");
    let _ = writeln!(out, "}}");
    counts.checks += 1;

    let mut names: Vec<String> = Vec::new();
    let mut section: Option<(String, String)> = None;
    for item in &items {
        if item.section != section {
            if let Some((numeral, heading)) = &item.section {
                let _ = writeln!(
                    out,
                    "\nsection {numeral} {}",
                    crate::fmt::string_literal(heading)
                );
            }
            section.clone_from(&item.section);
        }
        write_task(
            &mut out,
            &clean.text,
            item,
            year.as_deref(),
            &mut names,
            &mut counts,
        );
    }
    let out = declare_tracked(&out, &names);
    let formatted = crate::fmt::format(&out).unwrap_or(out);
    (formatted, counts)
}

/// Marks a line where a `track` for a referenced metric may be needed: `TRACK name\tby`.
const TRACK: &str = "    #track\t";

/// Replaces each `TRACK` mark by a `track` line, unless a rule of the draft checks the metric
/// or an earlier mark declared it: a metric is declared once, and never tracked and checked.
fn declare_tracked(text: &str, names: &[String]) -> String {
    let mut declared: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let Some(mark) = line.trim_end_matches('\n').strip_prefix(TRACK) else {
            out.push_str(line);
            continue;
        };
        let (name, by) = mark.split_once('\t').unwrap_or((mark, ""));
        if names.iter().any(|n| n == name) || declared.contains(&name) {
            continue;
        }
        declared.push(name);
        let by = if by.is_empty() {
            String::new()
        } else {
            format!(" by {}", org(by))
        };
        let _ = writeln!(out, "    track {}{by}", crate::fmt::string_literal(name));
    }
    out
}

fn write_task(
    out: &mut String,
    text: &str,
    item: &SourceTask,
    year: Option<&str>,
    names: &mut Vec<String>,
    counts: &mut Counts,
) {
    let clauses: Vec<crate::source::Span> = item
        .body
        .iter()
        .flat_map(|b| split_clauses(text, b))
        .collect();
    let title = if item.title.is_empty() {
        clauses
            .first()
            .and_then(|c| text.get(c.clone()))
            .map_or_else(|| item.label.clone(), |t| t.chars().take(20).collect())
    } else {
        item.title.clone()
    };
    let targets = clauses.iter().any(|c| {
        text.get(c.clone())
            .is_some_and(|t| is_target_like(t) || deliverable(t, "").is_some())
    });
    if !targets {
        // An item that asks for nothing checkable needs no task: coverage has nothing there.
        return;
    }
    counts.tasks += 1;
    let _ = writeln!(
        out,
        "\ntask {} {} {{",
        item.number,
        crate::fmt::string_literal(&title)
    );
    let duty = &item.duty;
    // The units the `lead` line names, so `co` does not name them again.
    let mut leads: Vec<&str> = duty.lead.iter().map(String::as_str).collect();
    if duty.lead.is_empty() {
        let fallback = duty.units.first().cloned();
        leads.extend(duty.units.first().map(String::as_str));
        let _ = writeln!(
            out,
            "    # check: 原文没有写牵头单位{}",
            if fallback.is_some() {
                "，暂用第一个责任单位"
            } else {
                "，请填写"
            }
        );
        counts.checks += 1;
        let _ = writeln!(
            out,
            "    lead {}",
            org(fallback.as_deref().unwrap_or("待定单位"))
        );
    } else {
        let orgs: Vec<String> = duty.lead.iter().map(|u| org(u)).collect();
        if orgs.iter().zip(&duty.lead).any(|(a, b)| a != b) {
            let _ = writeln!(out, "    # check: 单位名称中的顿号或空格已改写");
            counts.checks += 1;
        }
        let _ = writeln!(out, "    lead {}", orgs.join(", "));
    }
    let co: Vec<String> = duty
        .units
        .iter()
        .filter(|u| !leads.contains(&u.as_str()))
        .map(|u| org(u))
        .collect();
    if !co.is_empty() {
        let _ = writeln!(out, "    co {}", co.join(", "));
    }
    if !duty.leaders.is_empty() {
        let leaders: Vec<String> = duty.leaders.iter().map(|l| org(l)).collect();
        let _ = writeln!(out, "    leader {}", leaders.join(", "));
    }
    let due = duty.due.as_deref().map(|d| (d, due_date(d, year)));
    if let Some((written, None)) = due {
        let _ = writeln!(out, "    # check: 完成时限“{written}”不是日期，未写入 due");
        counts.checks += 1;
    }
    let due = due.and_then(|(_, d)| d);
    for (index, span) in clauses.iter().enumerate() {
        let Some(clause) = text.get(span.clone()) else {
            continue;
        };
        let sentence_start = clauses
            .get(..index)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take_while(|c| {
                text.get(c.end..span.start)
                    .is_some_and(|gap| !gap.contains(['。', '；', ';', '\n']))
            })
            .last()
            .map_or(span.start, |c| c.start);
        let before = text.get(sentence_start..span.start).unwrap_or("");
        let drafted = if is_target_like(clause) {
            let plan_year = year.and_then(|y| y.parse().ok());
            target::toward(draft_clause(clause, before), clause, before, plan_year)
        } else if let Some(done) = deliverable(clause, before) {
            done
        } else {
            continue;
        };
        write_clause(
            out,
            clause,
            drafted,
            due.as_deref(),
            item.number,
            names,
            counts,
        );
    }
    let _ = writeln!(out, "}}");
}

fn write_clause(
    out: &mut String,
    clause: &str,
    drafted: Drafted,
    due: Option<&str>,
    task: u32,
    names: &mut Vec<String>,
    counts: &mut Counts,
) {
    let quote = crate::fmt::string_literal(clause);
    let mut unique = |metric: &str| {
        let mut name = metric.to_owned();
        if names.contains(&name) {
            name = format!("{metric}（任务{task}）");
        }
        names.push(name.clone());
        name
    };
    match drafted {
        Drafted::Rule {
            strength,
            metric,
            target,
            kind,
            toward,
            checks,
            track,
        } => {
            counts.rules += 1;
            write_checks(out, &checks, counts);
            let head = strength.map_or_else(String::new, |s| format!("{s} "));
            let _ = writeln!(
                out,
                "    {head}{} {target}",
                crate::fmt::string_literal(&unique(&metric))
            );
            let _ = writeln!(out, "        from {quote}");
            if let Some(kind) = kind {
                let _ = writeln!(out, "        kind {kind}");
            }
            if let Some(end) = toward {
                let _ = writeln!(out, "        toward {end}");
            }
            if let Some(due) = due {
                let _ = writeln!(out, "        due {due}");
            }
            if let Some((name, by)) = track {
                let _ = writeln!(out, "{TRACK}{name}\t{}", by.unwrap_or_default());
            }
        }
        Drafted::Done {
            strength,
            metric,
            checks,
        } => {
            counts.milestones += 1;
            write_checks(out, &checks, counts);
            let head = strength.map_or_else(String::new, |s| format!("{s} "));
            let _ = writeln!(
                out,
                "    {head}done {}",
                crate::fmt::string_literal(&unique(&metric))
            );
            let _ = writeln!(out, "        from {quote}");
            if let Some(due) = due {
                let _ = writeln!(out, "        due {due}");
            }
        }
        Drafted::Skip { reason } => {
            counts.skips += 1;
            counts.checks += 1;
            let _ = writeln!(out, "    # check: 没有写成规则，请确认");
            let _ = writeln!(
                out,
                "    skip {quote} because {}",
                crate::fmt::string_literal(&reason)
            );
        }
    }
}

fn write_checks(out: &mut String, checks: &[String], counts: &mut Counts) {
    for check in checks {
        counts.checks += 1;
        let _ = writeln!(out, "    # check: {check}");
    }
}

/// A unit name as `lead` takes it: no list separators, spaces or reserved characters inside.
fn org(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '、' | ',' | '，' => '和',
            '"' | '#' | '<' | '>' | '=' | '~' => '_',
            c => c,
        })
        .collect()
}

/// The plan's title: the first line that names a plan (方案, 任务, 目标, 计划, 分解, 责任书),
/// else the first line.
fn title_of(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .find(|l| {
            ["方案", "任务", "目标", "计划", "分解", "责任书"]
                .iter()
                .any(|w| l.contains(w))
                && !l.contains('〔')
                && !l.starts_with("关于")
                && l.chars().count() <= 60
        })
        .or(lines.first())
        .map_or_else(|| "计划".to_owned(), |l| (*l).to_owned())
}

/// The plan's year: the first `20xx年` of a title-like line, else the first in the text.
fn year_of(text: &str) -> Option<String> {
    let title = title_of(text);
    year_in(&title).or_else(|| year_in(text))
}

fn year_in(text: &str) -> Option<String> {
    text.match_indices('年').find_map(|(at, _)| {
        let before = text.get(..at)?;
        let digits: String = before
            .chars()
            .rev()
            .take(4)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        (digits.len() == 4
            && digits.starts_with("20")
            && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
    })
}

/// `2024年12月`, `2023年12月底`, `12月底前`, `2024年6月30日` → the last day meant, as an ISO
/// date; `None` for wording such as `长期坚持`.
fn due_date(written: &str, year: Option<&str>) -> Option<String> {
    let number_before = |text: &str, mark: char| -> Option<i16> {
        let at = text.find(mark)?;
        let digits: String = text
            .get(..at)?
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        digits.parse().ok()
    };
    let y = number_before(written, '年').or_else(|| year?.parse().ok())?;
    let m = i8::try_from(number_before(written, '月')?).ok()?;
    let first = jiff::civil::Date::new(y, m, 1).ok()?;
    let date = match number_before(written, '日').and_then(|d| i8::try_from(d).ok()) {
        Some(d) => jiff::civil::Date::new(y, m, d).ok()?,
        None => first.last_of_month(),
    };
    Some(date.to_string())
}

#[cfg(test)]
mod tests;
