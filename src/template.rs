//! `plancheck template`: a ready-to-fill submission for one department.
//!
//! The template lists every metric the unit reports (each rule whose `plan.may_report` names
//! it), in plan order, with its target, unit and task beside it. Values are left empty, so a
//! template checked before it is filled in reports each figure as invalid (empty) rather than
//! as met or missing: nothing in it can pass by accident.

use crate::model::{Plan, Rule, Strength, Target};
use crate::period::Period;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// The file format of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    Yaml,
    Csv,
    Xlsx,
}

/// The template listing every metric `lead` reports, for `period`, as file bytes. Fails with a
/// message when the unit leads no task.
pub fn render(
    plan: &Plan,
    lead: &str,
    period: Period,
    format: TemplateFormat,
) -> Result<Vec<u8>, String> {
    let lead = lead.trim();
    let rows = rows(plan, lead)?;
    let sheet = Sheet { lead, period, rows };
    match format {
        TemplateFormat::Yaml => Ok(sheet.yaml().into_bytes()),
        TemplateFormat::Csv => sheet.csv(),
        TemplateFormat::Xlsx => sheet.xlsx().map_err(|e| format!("无法生成 xlsx 模板：{e}")),
    }
}

/// One metric to fill in.
struct Row {
    metric: String,
    /// `任务32 深入推进环境污染防治`
    task: String,
    /// `目标 >= 91%`, `里程碑：填 done 或 false`; several when rules share the metric.
    target: String,
    /// The unit of a bare number, if the target has one.
    unit: &'static str,
}

struct Sheet<'a> {
    lead: &'a str,
    period: Period,
    rows: Vec<Row>,
}

/// The metrics `lead` reports, one row per metric in plan order, or why there are none.
fn rows(plan: &Plan, lead: &str) -> Result<Vec<Row>, String> {
    let mut rows: Vec<Row> = Vec::new();
    for rule in &plan.rules {
        // A co-responsible unit may report the task's figures, so it gets a form too.
        if !plan.may_report(rule).any(|unit| **unit == *lead) {
            continue;
        }
        // Two rules on one metric (a floor and a ceiling) are one figure: a submission that
        // repeated the key would not load.
        if let Some(row) = rows.iter_mut().find(|row| row.metric == rule.metric) {
            row.target = format!("{}；{}", row.target, target_note(rule));
            continue;
        }
        let task = plan
            .task(rule.task)
            .map(|t| format!("任务{} {}", t.number, t.title))
            .unwrap_or_default();
        rows.push(Row {
            metric: rule.metric.clone(),
            task,
            target: target_note(rule),
            unit: rule.target.unit().map_or("", |unit| unit.name),
        });
    }
    // Tracked metrics have no target, but their figures are what other rules compare with.
    for tracked in &plan.tracked {
        let Some(task) = plan.task(tracked.task) else {
            continue;
        };
        // A figure from outside the plan is asked of the office named after `by`.
        let reporters = plan.tracked_reporters(tracked);
        if !reporters.iter().any(|unit| **unit == *lead)
            || rows.iter().any(|row| row.metric == tracked.metric)
        {
            continue;
        }
        rows.push(Row {
            metric: tracked.metric.clone(),
            task: format!("任务{} {}", task.number, task.title),
            target: "跟踪指标：无目标，供其他指标比较".to_owned(),
            unit: tracked.unit.map_or("", |unit| unit.name),
        });
    }
    if rows.is_empty() {
        return Err(nothing_to_report(plan, lead));
    }
    Ok(rows)
}

/// What the rule asks for, in words a submitter reads beside the value.
fn target_note(rule: &Rule) -> String {
    let mut note = match (&rule.target, rule.strength) {
        (Target::Done, Strength::Must) => "里程碑：填 done 或 false".to_owned(),
        (Target::Done, Strength::Strive) => "里程碑（力争）：填 done 或 false".to_owned(),
        (target @ Target::Rank(_), strength) => {
            let aim = match strength {
                Strength::Must => "目标",
                Strength::Strive => "力争",
            };
            format!("名次：填正整数，第一名填 1；{aim} {target}")
        }
        (target, Strength::Must) => format!("目标 {target}"),
        (target, Strength::Strive) => format!("力争 {target}"),
    };
    if let Some(due) = &rule.due {
        let _ = write!(note, "，截止 {due}");
    }
    note
}

/// The message for a unit with nothing to report: a task lead whose tasks set no checkable
/// target, or a name the plan does not know, with the closest known one.
fn nothing_to_report(plan: &Plan, lead: &str) -> String {
    let mut known: Vec<&str> = Vec::new();
    for rule in &plan.rules {
        for unit in plan.responsible(rule) {
            if !known.contains(&&**unit) {
                known.push(unit);
            }
        }
    }
    if plan
        .tasks
        .iter()
        .any(|t| t.leads.iter().any(|l| **l == *lead))
    {
        return format!("{lead}牵头的任务没有可核查的指标，无需填报");
    }
    let suggestion = known
        .iter()
        .map(|unit| (strsim::normalized_levenshtein(lead, unit), *unit))
        .filter(|(score, _)| *score >= 0.4)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, unit)| format!("是否应为“{unit}”？"))
        .unwrap_or_default();
    format!(
        "计划中没有由“{lead}”报送的指标。{suggestion}需要填报的单位：{}",
        known.join("、")
    )
}

/// Header of the table templates: the CSV loader's columns, then the two it reads past.
const COLUMNS: [&str; 7] = [
    "reporter", "period", "metric", "value", "unit", "task", "target",
];

impl Sheet<'_> {
    fn yaml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# {} {} 填报模板（plancheck template 生成）",
            self.lead, self.period
        );
        out.push_str(
            "# 在每个指标后的引号内填写数值，可带单位（\"92.3%\"、\"56.3万平方米\"）；只写数字时按注释中的单位计。\n\
             # 里程碑填 done（已完成）或 false（未完成）。留空的指标在检查时报告为无效。\n\
             # 填好后检查：plancheck check 本文件\n",
        );
        let _ = writeln!(out, "reporter: {}", yaml_scalar(self.lead));
        let _ = writeln!(out, "period: \"{}\"", self.period);
        out.push_str("figures:\n");
        let keys: Vec<String> = self.rows.iter().map(|r| yaml_scalar(&r.metric)).collect();
        // Comments line up, but a very long name does not push every comment to the right.
        let width = keys
            .iter()
            .map(|k| k.width())
            .filter(|w| *w <= 48)
            .max()
            .unwrap_or(0);
        let mut task = "";
        for (row, key) in self.rows.iter().zip(&keys) {
            if row.task != task {
                task = &row.task;
                let _ = writeln!(out, "  # {task}");
            }
            let pad = " ".repeat(width.saturating_sub(key.width()));
            let unit = if row.unit.is_empty() {
                String::new()
            } else {
                format!("（单位 {}）", row.unit)
            };
            let _ = writeln!(out, "  {key}: \"\"{pad}   # {}{unit}", row.target);
        }
        out
    }

    /// The table as text rows, shared by the CSV and Excel templates.
    fn table(&self) -> Vec<[String; 7]> {
        let period = self.period.to_string();
        self.rows
            .iter()
            .map(|row| {
                [
                    self.lead.to_owned(),
                    period.clone(),
                    row.metric.clone(),
                    String::new(),
                    row.unit.to_owned(),
                    row.task.clone(),
                    row.target.clone(),
                ]
            })
            .collect()
    }

    /// UTF-8 with a byte-order mark: without one, Excel opens the file as the local ANSI code
    /// page and shows Chinese as mojibake. plancheck drops the mark on load.
    fn csv(&self) -> Result<Vec<u8>, String> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer("\u{feff}".as_bytes().to_vec());
        let failed = |e: csv::Error| format!("无法生成 CSV 模板：{e}");
        writer.write_record(COLUMNS).map_err(failed)?;
        for row in self.table() {
            writer.write_record(&row).map_err(failed)?;
        }
        writer
            .into_inner()
            .map_err(|e| format!("无法生成 CSV 模板：{}", e.error()))
    }

    fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Color, Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("填报表")?;
        let header = Format::new().set_bold();
        // Text cells keep what is typed: Excel would turn 2023-06 into a date and 92.3% into
        // 0.923, and plancheck reads text exactly.
        let text = Format::new().set_num_format("@");
        let reference = Format::new().set_font_color(Color::Gray);
        let table = self.table();
        let mut widths = COLUMNS.map(|name| name.width());
        for (col, name) in (0u16..).zip(COLUMNS) {
            sheet.write_string_with_format(0, col, name, &header)?;
        }
        for (row, cells) in (1u32..).zip(&table) {
            for ((col, cell), width) in (0u16..).zip(cells).zip(widths.iter_mut()) {
                *width = (*width).max(cell.width());
                let format = if col >= 5 { &reference } else { &text };
                if !cell.is_empty() {
                    sheet.write_string_with_format(row, col, cell, format)?;
                }
            }
        }
        for (col, width) in (0u16..).zip(widths) {
            let width = u16::try_from(width.clamp(8, 60)).unwrap_or(60);
            sheet.set_column_width(col, f64::from(width) + 2.0)?;
            if col < 5 {
                sheet.set_column_format(col, &text)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        workbook.save_to_buffer()
    }
}

/// A YAML scalar for a key or reporter: plain when it is only letters and digits, else
/// double-quoted. Quoting whatever else could be read as syntax (`:`, `#`, quotes, a leading
/// digit that would make a number, `true`, `null`) keeps every name a string.
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(char::is_alphanumeric)
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        return text.to_owned();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::yaml_scalar;

    #[test]
    fn yaml_keys_are_quoted_only_when_they_need_it() {
        assert_eq!(yaml_scalar("受污染耕地安全利用率"), "受污染耕地安全利用率");
        assert_eq!(
            yaml_scalar("新培育省“一企一技术”研发中心"),
            "\"新培育省“一企一技术”研发中心\""
        );
        assert_eq!(yaml_scalar("a: b # c"), "\"a: b # c\"");
        assert_eq!(yaml_scalar("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
        assert_eq!(yaml_scalar("2023"), "\"2023\"");
        assert_eq!(yaml_scalar("Null"), "\"Null\"");
    }
}
