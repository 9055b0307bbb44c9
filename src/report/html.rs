//! The HTML dashboard: one self-contained page for the supervising office and the
//! departments, in a browser, as an email attachment, or printed on A4 landscape.
//!
//! The page is rendered by askama templates in `templates/`, which are checked when the crate
//! compiles and escape every value unless it is marked safe. Only markup built here from
//! fixed words and numbers is marked safe; every text from rules and data goes through the
//! escaper. Styles and the filter script are inlined, fonts are the reader's own, and
//! nothing is fetched, so the page works on an intranet without network access. Nothing
//! depends on the clock or on hash order: the same run gives the same bytes.

use super::bulletin::{self, Bulletin, Light, Row, TaskGroup, UnitGroup};
use super::summary::{trajectories, Counts, Trajectory};
use super::Context;
use crate::diagnostic::Severity;
use crate::eval::{RuleResult, Verdict};
use crate::model::{MetricKind, Plan, Rule};
use crate::units::format_amount;
use askama::Template;
use jiff::civil::Date;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const CSS: &str = include_str!("../../templates/report.css");
const JS: &str = include_str!("../../templates/report.js");

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    b: &'a Bulletin<'a>,
    rules: usize,
    status: String,
    status_class: &'static str,
    must_percent: String,
    /// The verdicts worth a column (`Counts::columns`) with their totals.
    counts: Vec<CountView>,
    sections: Vec<SectionView>,
    units: Vec<GroupView>,
    charts: Vec<ChartView>,
    has_band: bool,
    tolerance: String,
    verdict_options: Vec<(&'static str, &'static str)>,
    task_options: Vec<(String, String)>,
    unit_options: Vec<String>,
    findings: Vec<FindingView>,
    /// The run's waivers (情况说明) and what became of each, as the other reports list them.
    waivers: Vec<String>,
    css: &'static str,
    js: &'static str,
}

struct CountView {
    key: &'static str,
    word: &'static str,
    count: usize,
    light: &'static str,
}

struct SectionView {
    title: String,
    groups: Vec<GroupView>,
}

struct Chip {
    light: &'static str,
    word: &'static str,
    count: usize,
}

/// A task or a lead unit, expanding to its rules.
struct GroupView {
    /// The unit's name, or `任务3 培育创新主体`.
    label: String,
    leads: String,
    /// 责任单位 and 责任领导 of a task; empty for a unit.
    co: String,
    leaders: String,
    light: &'static str,
    light_html: String,
    chips: Vec<Chip>,
    rows: Vec<RowView>,
    /// Rows of a unit come from many tasks and say which.
    show_task: bool,
    /// Counts in the order of `Page::columns`, and the share on course.
    numbers: Vec<usize>,
    rate: String,
}

struct RowView {
    light: &'static str,
    light_html: String,
    verdict: &'static str,
    task: u32,
    metric: String,
    period: String,
    target: String,
    actual: String,
    expected: String,
    strength: &'static str,
    reporter: String,
    quote: String,
}

struct FindingView {
    severity: &'static str,
    severity_word: &'static str,
    verdict: &'static str,
    light_html: String,
    task: String,
    code: &'static str,
    message: String,
    help: String,
    place: String,
    units: String,
    /// `|区科技局|区财政局|`, so the filter matches whole names.
    units_key: String,
}

struct ChartView {
    task: u32,
    metric: String,
    target: String,
    svg: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "chart.svg", escape = "html")]
struct Chart {
    width: u32,
    height: u32,
    left: Coord,
    right: Coord,
    top: Coord,
    bottom: Coord,
    label: String,
    band: String,
    expected: String,
    actual: String,
    target_y: Option<Coord>,
    dots: Vec<Dot>,
    ticks: Vec<Tick>,
}

struct Dot {
    light: &'static str,
    x: Coord,
    y: Coord,
    label: String,
}

struct Tick {
    x: Coord,
    y: Coord,
    anchor: &'static str,
    label: String,
}

/// A coordinate in the chart, printed with one decimal so output is stable.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Coord(f64);

impl std::fmt::Display for Coord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

/// A light with its words: colour is never the only signal. `text` is one of the fixed
/// verdict words, never data.
fn light_html(light: Light, text: &str) -> String {
    format!(
        r#"<span class="light {}" title="{}"><span class="dot" aria-hidden="true"></span>{text}</span>"#,
        light.class(),
        light.word()
    )
}

fn row_view(row: &Row<'_>) -> RowView {
    let verdict = row.verdict();
    RowView {
        light: row.light.class(),
        light_html: light_html(row.light, verdict.chinese()),
        verdict: verdict.as_str(),
        task: row.task,
        metric: row.rule.metric.clone(),
        period: row.period.clone(),
        target: row.target.clone(),
        actual: row.actual.clone(),
        expected: row.expected.map(|q| q.to_string()).unwrap_or_default(),
        strength: row.strength(),
        reporter: row.reporter.clone(),
        quote: row.quote.clone(),
    }
}

fn percent(value: Option<usize>) -> String {
    value.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

/// A group's rows, its light labelled with its worst verdict, and chips counting verdicts;
/// the caller names it.
fn group_view(
    b: &Bulletin<'_>,
    indices: &[usize],
    counts: &Counts,
    columns: &[Verdict],
) -> GroupView {
    let rows: Vec<&Row<'_>> = indices.iter().filter_map(|&i| b.rows.get(i)).collect();
    let worst = rows.iter().max_by_key(|r| (r.light, r.verdict()));
    let (light, word) = worst.map_or((Light::Green, "—"), |r| (r.light, r.verdict().chinese()));
    let mut chips: BTreeMap<(Verdict, Light), usize> = BTreeMap::new();
    for row in &rows {
        *chips.entry((row.verdict(), row.light)).or_default() += 1;
    }
    GroupView {
        label: String::new(),
        leads: String::new(),
        co: String::new(),
        leaders: String::new(),
        light: light.class(),
        light_html: light_html(light, word),
        chips: chips
            .into_iter()
            .map(|((verdict, light), count)| Chip {
                light: light.class(),
                word: verdict.chinese(),
                count,
            })
            .collect(),
        rows: rows.iter().map(|r| row_view(r)).collect(),
        show_task: false,
        numbers: columns.iter().map(|v| counts.get(*v)).collect(),
        rate: percent(counts.on_course_percent()),
    }
}

fn task_view(b: &Bulletin<'_>, task: &TaskGroup, columns: &[Verdict]) -> GroupView {
    GroupView {
        label: format!("任务{} {}", task.number, task.title),
        leads: task.leads.join("、"),
        co: task.co.join("、"),
        leaders: task.leaders.join("、"),
        ..group_view(b, &task.rows, &task.counts, columns)
    }
}

fn unit_view(b: &Bulletin<'_>, unit: &UnitGroup, columns: &[Verdict]) -> GroupView {
    GroupView {
        label: unit.name.clone(),
        show_task: true,
        ..group_view(b, &unit.rows, &unit.counts, columns)
    }
}

/// Tasks grouped under their section headings, in plan order.
fn sections(b: &Bulletin<'_>, columns: &[Verdict]) -> Vec<SectionView> {
    let mut out: Vec<SectionView> = Vec::new();
    for task in &b.tasks {
        let view = task_view(b, task, columns);
        match out.last_mut() {
            Some(section) if section.title == task.section => section.groups.push(view),
            _ => out.push(SectionView {
                title: task.section.clone(),
                groups: vec![view],
            }),
        }
    }
    out
}

fn finding_view(b: &Bulletin<'_>, f: &bulletin::FindingRow<'_>) -> FindingView {
    let row = f.row.and_then(|i| b.rows.get(i));
    let (severity, severity_word) = match f.finding.severity {
        Severity::Error => ("error", "错误"),
        Severity::Warning => ("warning", "警告"),
    };
    let units = row.map(|r| r.units.clone()).unwrap_or_default();
    FindingView {
        severity,
        severity_word,
        verdict: row.map_or("", |r| r.verdict().as_str()),
        light_html: row.map_or_else(
            || "—".to_owned(),
            |r| light_html(r.light, r.verdict().chinese()),
        ),
        task: row.map(|r| r.task.to_string()).unwrap_or_default(),
        code: f.finding.code,
        message: f.finding.message.clone(),
        help: f.finding.help.clone().unwrap_or_default(),
        place: f.place.clone(),
        units_key: format!("|{}|", units.join("|")),
        units: units.join("、"),
    }
}

/// Months from `start` (the first day of a month) to `date`, with a fraction for the day:
/// period ends fall on month ends, so a quarter end is exactly 3, 6, 9 or 12.
fn months(start: Date, date: Date) -> f64 {
    let whole = (i32::from(date.year()) - i32::from(start.year())) * 12 + i32::from(date.month())
        - i32::from(start.month());
    f64::from(whole) + f64::from(date.day()) / f64::from(date.days_in_month())
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

const WIDTH: u32 = 360;
const HEIGHT: u32 = 180;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 350.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 150.0;

/// A cumulative rule's figures across periods against the expected line and the tolerance
/// band: x is time from the start of the plan period to the deadline, y the amount in the
/// target's unit.
fn chart(plan: &Plan, rule: &Rule, points: &[&RuleResult], tolerance: Decimal) -> Option<Chart> {
    let first = points.first()?.period?;
    let plan_period = plan.period();
    let start = plan_period.map_or(first.start(), |p| p.start().min(first.start()));
    let deadline = rule
        .due
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
        .or(plan_period.map(|p| p.end()));
    let target = bulletin::target_amount(&rule.target);
    let ends: Vec<Date> = points
        .iter()
        .filter_map(|p| p.period.map(|p| p.end()))
        .collect();
    let last = ends.iter().chain(deadline.iter()).max().copied()?;
    let span = months(start, last).max(1.0);
    let x = |date: Date| LEFT + (RIGHT - LEFT) * months(start, date) / span;

    // The expected line: zero at the start, the expected progress at each period end before
    // the deadline, and the whole target at the deadline.
    let mut line: Vec<(f64, f64)> = vec![(LEFT, 0.0)];
    for point in points {
        if let (Some(period), Some(expected)) = (point.period, point.expected) {
            line.push((x(period.end()), to_f64(expected.amount)));
        }
    }
    if let (Some(deadline), Some(target)) = (deadline, target) {
        line.push((x(deadline), to_f64(target)));
    }
    line.sort_by(|a, b| a.0.total_cmp(&b.0));
    line.dedup_by(|a, b| a.0 == b.0);

    let tol = to_f64(tolerance) / 100.0;
    let highest = points
        .iter()
        .filter_map(|p| p.compared.map(|q| to_f64(q.amount)))
        .chain(line.iter().map(|p| p.1 * (1.0 + tol)))
        .fold(0.0_f64, f64::max);
    let top_value = if highest > 0.0 { highest * 1.1 } else { 1.0 };
    let y = |v: f64| BOTTOM - (BOTTOM - TOP) * (v / top_value).clamp(-0.1, 1.1);
    let pts = |list: &mut dyn Iterator<Item = (f64, f64)>| {
        list.map(|(px, py)| format!("{},{}", Coord(px), Coord(y(py))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let band = if tol > 0.0 {
        let upper = line.iter().map(|&(px, v)| (px, v * (1.0 + tol)));
        let lower = line.iter().rev().map(|&(px, v)| (px, v * (1.0 - tol)));
        pts(&mut upper.chain(lower))
    } else {
        String::new()
    };
    let expected = pts(&mut line.iter().copied());

    let mut dots = Vec::new();
    let mut actual_line = Vec::new();
    let mut ticks = vec![Tick {
        x: Coord(LEFT - 4.0),
        y: Coord(BOTTOM + 4.0),
        anchor: "end",
        label: "0".to_owned(),
    }];
    for point in points {
        let Some(period) = point.period else {
            continue;
        };
        let px = x(period.end());
        let value = point.compared.map(|q| to_f64(q.amount));
        if let Some(v) = value {
            actual_line.push((px, v));
        }
        dots.push(Dot {
            light: Light::of(point).class(),
            x: Coord(px),
            y: Coord(y(value.unwrap_or(0.0))),
            label: point_text(point),
        });
        ticks.push(Tick {
            x: Coord(px),
            y: Coord(BOTTOM + 16.0),
            anchor: x_anchor(px),
            label: period.to_string(),
        });
    }
    // Mark the deadline unless a figure's period ends there.
    if let Some(deadline) = deadline {
        let px = x(deadline);
        if ticks.iter().all(|t| (t.x.0 - px).abs() > 1.0) {
            ticks.push(Tick {
                x: Coord(px),
                y: Coord(BOTTOM + 16.0),
                anchor: x_anchor(px),
                label: format!("截止 {deadline}"),
            });
        }
    }
    let target_y = target.map(|t| Coord(y(to_f64(t))));
    if let (Some(t), Some(ty)) = (target, target_y) {
        ticks.push(Tick {
            x: Coord(LEFT - 4.0),
            y: Coord(ty.0 + 4.0),
            anchor: "end",
            label: format_amount(t),
        });
    }
    Some(Chart {
        width: WIDTH,
        height: HEIGHT,
        left: Coord(LEFT),
        right: Coord(RIGHT),
        top: Coord(TOP),
        bottom: Coord(BOTTOM),
        label: format!("{} {} 进度曲线", rule.metric, rule.target),
        band,
        expected,
        actual: pts(&mut actual_line.into_iter()),
        target_y,
        dots,
        ticks,
    })
}

/// Labels near the right edge end there rather than run off the chart.
fn x_anchor(px: f64) -> &'static str {
    if px > RIGHT - 24.0 {
        "end"
    } else {
        "middle"
    }
}

/// `2023-H1 3 家（预期 2.48 家，超前）`
fn point_text(point: &RuleResult) -> String {
    let period = point.period.map(|p| p.to_string()).unwrap_or_default();
    let actual = match (point.compared, &point.reported) {
        (Some(q), _) => q.to_string(),
        (None, Some(reported)) => crate::eval::describe_value(reported),
        (None, None) => "—".to_owned(),
    };
    let expected = crate::eval::shown_expected(point)
        .map(|e| format!("预期 {e}，"))
        .unwrap_or_default();
    format!("{period} {actual}（{expected}{}）", point.verdict.chinese())
}

fn chart_view(plan: &Plan, t: &Trajectory<'_>, tolerance: Decimal) -> Option<ChartView> {
    let rule = plan.rule(t.rule)?;
    if rule.kind() != MetricKind::Cumulative {
        return None;
    }
    let svg = chart(plan, rule, &t.points, tolerance)?.render().ok()?;
    Some(ChartView {
        task: plan.task(rule.task)?.number,
        metric: rule.metric.clone(),
        target: rule.target.to_string(),
        svg,
        summary: t
            .points
            .iter()
            .map(|p| point_text(p))
            .collect::<Vec<_>>()
            .join(" → "),
    })
}

/// The status the policy step decided, in the words of the Markdown report.
fn status(b: &Bulletin<'_>) -> (String, &'static str) {
    match b.exit_code {
        2 => (
            "输入有误：规则或填报文件无法读取，结果不完整".to_owned(),
            "r",
        ),
        1 if b.errors > 0 => (format!("{} 项错误，{} 项警告", b.errors, b.warnings), "r"),
        1 => (
            format!("{} 项警告（--fail-on warning：警告也判为失败）", b.warnings),
            "r",
        ),
        _ if b.errors > 0 => (
            format!(
                "{} 项错误，{} 项警告（--fail-on never：不判为失败）",
                b.errors, b.warnings
            ),
            "y",
        ),
        _ if b.warnings > 0 => (format!("无错误，{} 项警告", b.warnings), "y"),
        _ => ("全部达标".to_owned(), "g"),
    }
}

/// Renders the dashboard.
pub fn render(ctx: &Context<'_>) -> String {
    let b = bulletin::build(ctx);
    let columns = b.total.columns();
    let count_view = |v: Verdict| CountView {
        key: v.as_str(),
        word: v.chinese(),
        count: b.total.get(v),
        light: Light::of_verdict(v).class(),
    };
    let tolerance = ctx.outcome.tolerance;
    let charts: Vec<ChartView> = trajectories(ctx.outcome)
        .iter()
        .filter_map(|t| chart_view(ctx.plan, t, tolerance))
        .collect();
    let findings: Vec<FindingView> = b.findings.iter().map(|f| finding_view(&b, f)).collect();
    let mut verdict_options: Vec<(&str, &str)> = Vec::new();
    for v in Verdict::ALL {
        if findings.iter().any(|f| f.verdict == v.as_str()) {
            verdict_options.push((v.as_str(), v.chinese()));
        }
    }
    let mut task_options: Vec<(String, String)> = Vec::new();
    for task in &b.tasks {
        let key = task.number.to_string();
        if findings.iter().any(|f| f.task == key) {
            task_options.push((key, format!("任务{} {}", task.number, task.title)));
        }
    }
    let unit_options = b
        .units
        .iter()
        .filter(|u| {
            findings
                .iter()
                .any(|f| f.units_key.contains(&format!("|{}|", u.name)))
        })
        .map(|u| u.name.clone())
        .collect();
    let (status, status_class) = status(&b);
    let page = Page {
        rules: ctx.plan.rules.len(),
        status,
        status_class,
        must_percent: percent(b.must_percent()),
        counts: columns.iter().map(|v| count_view(*v)).collect(),
        sections: sections(&b, &columns),
        units: b.units.iter().map(|u| unit_view(&b, u, &columns)).collect(),
        has_band: tolerance > Decimal::ZERO,
        tolerance: format_amount(tolerance),
        charts,
        verdict_options,
        task_options,
        unit_options,
        findings,
        waivers: crate::waivers::lines(&ctx.outcome.waivers),
        css: CSS,
        js: JS,
        b: &b,
    };
    // Rendering into a String fails only if a Display impl fails, and ours do not.
    page.render().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count tiles light each verdict as the rows of a must-target do: an explained
    /// (已说明) result is yellow in both, never red in one and yellow in the other.
    #[test]
    fn count_tiles_light_verdicts_as_rows_do() {
        let lights: Vec<&str> = Verdict::ALL
            .iter()
            .map(|v| Light::of_verdict(*v).class())
            .collect();
        assert_eq!(
            lights,
            ["g", "g", "g", "r", "y", "r", "r", "r", "r", "y"],
            "{:?}",
            Verdict::ALL
        );
    }

    #[test]
    fn months_put_period_ends_on_whole_months() {
        let start = Date::constant(2023, 1, 1);
        let at = |y, m, d| months(start, Date::constant(y, m, d));
        assert!((at(2023, 3, 31) - 3.0).abs() < 1e-9);
        assert!((at(2023, 6, 30) - 6.0).abs() < 1e-9);
        assert!((at(2023, 12, 31) - 12.0).abs() < 1e-9);
        assert!((at(2024, 1, 31) - 13.0).abs() < 1e-9);
        assert!((at(2023, 2, 14) - 1.5).abs() < 1e-9);
    }

    #[test]
    fn coordinates_print_with_one_decimal() {
        assert_eq!(Coord(52.0).to_string(), "52.0");
        assert_eq!(Coord(90.75).to_string(), "90.8");
    }

    #[test]
    fn a_light_always_carries_its_verdict_in_words() {
        assert_eq!(
            light_html(Light::Yellow, "待完成"),
            r#"<span class="light y" title="黄灯"><span class="dot" aria-hidden="true"></span>待完成</span>"#
        );
    }
}
