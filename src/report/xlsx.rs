//! The bulletin as an Excel workbook (督查通报), for offices that circulate spreadsheets and
//! open them in Excel or WPS.
//!
//! Three sheets: 按任务 (one row per rule and period), 按单位 (counts per lead unit) and
//! 问题清单 (every finding and its place). Verdict cells are coloured like the dashboard's
//! lights and carry the verdict's word; header rows are frozen and filtered; figures are
//! numbers, so the office can sort and sum them.

use super::bulletin::{self, Bulletin, Light};
use super::Context;
use crate::diagnostic::Severity;
use crate::eval::Verdict;
use jiff::civil::Date;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

/// Excel's limit on the characters of one cell; longer text is cut rather than refused.
const CELL_LIMIT: usize = 32_767;

fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    if value.is_empty() {
        return Ok(());
    }
    let value: String = value.chars().take(CELL_LIMIT).collect();
    sheet.write_string(row, col, value)?;
    Ok(())
}

fn number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
) -> Result<(), XlsxError> {
    if let Some(value) = value.and_then(|v| v.to_f64()) {
        sheet.write_number(row, col, value)?;
    }
    Ok(())
}

/// The fill and font of a verdict cell with this light.
fn light_format(light: Light) -> Format {
    let (fill, font) = light.colors();
    Format::new()
        .set_background_color(Color::RGB(fill))
        .set_font_color(Color::RGB(font))
        .set_bold()
}

/// Header row, widths, frozen header and a filter over `rows` data rows.
fn frame(sheet: &mut Worksheet, columns: &[(&str, f64)], rows: u32) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00F6_F8FA))
        .set_align(FormatAlign::Center);
    let mut last = 0;
    for (col, (name, width)) in (0u16..).zip(columns) {
        sheet.write_string_with_format(0, col, *name, &header)?;
        sheet.set_column_width(col, *width)?;
        last = col;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows, last)?;
    // A bulletin is printed landscape on A4 with the header on every page.
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

const TASK_COLUMNS: [(&str, f64); 16] = [
    ("篇章", 24.0),
    ("任务", 6.0),
    ("任务名称", 22.0),
    ("指标", 30.0),
    ("期间", 9.0),
    ("目标", 16.0),
    ("目标值", 10.0),
    ("报送值", 12.0),
    ("预期进度", 10.0),
    ("单位", 8.0),
    ("结论", 10.0),
    ("灯", 6.0),
    ("力度", 6.0),
    ("牵头单位", 24.0),
    ("报送单位", 16.0),
    ("引用原文", 50.0),
];

fn by_task(sheet: &mut Worksheet, b: &Bulletin<'_>, lights: &[Format; 3]) -> Result<(), XlsxError> {
    sheet.set_name("按任务")?;
    let rows = u32::try_from(b.rows.len()).unwrap_or(u32::MAX);
    frame(sheet, &TASK_COLUMNS, rows)?;
    for (r, row) in (1u32..).zip(&b.rows) {
        text(sheet, r, 0, &row.section)?;
        sheet.write_number(r, 1, f64::from(row.task))?;
        text(sheet, r, 2, &row.task_title)?;
        text(sheet, r, 3, &row.rule.metric)?;
        text(sheet, r, 4, &row.period)?;
        text(sheet, r, 5, &row.target)?;
        number(sheet, r, 6, row.target_amount)?;
        // The figure in the target's unit is a number; a milestone or a value that could not
        // be compared stays as reported, in words.
        match row.compared {
            Some(q) => number(sheet, r, 7, Some(q.amount))?,
            None => text(sheet, r, 7, &row.actual)?,
        }
        number(sheet, r, 8, row.expected.map(|q| q.amount))?;
        text(sheet, r, 9, &row.unit)?;
        let format = light_cell(lights, row.light);
        sheet.write_string_with_format(r, 10, row.verdict().chinese(), format)?;
        sheet.write_string_with_format(r, 11, row.light.word(), format)?;
        text(sheet, r, 12, row.strength())?;
        text(sheet, r, 13, &row.units.join("、"))?;
        text(sheet, r, 14, &row.reporter)?;
        text(sheet, r, 15, &row.quote)?;
    }
    Ok(())
}

fn light_cell(lights: &[Format; 3], light: Light) -> &Format {
    let [green, yellow, red] = lights;
    match light {
        Light::Green => green,
        Light::Yellow => yellow,
        Light::Red => red,
    }
}

fn by_unit(sheet: &mut Worksheet, b: &Bulletin<'_>, lights: &[Format; 3]) -> Result<(), XlsxError> {
    sheet.set_name("按单位")?;
    let mut columns: Vec<(&str, f64)> = vec![("单位", 24.0), ("状态", 8.0)];
    // 已说明 only in a run with waived results, so other workbooks keep their columns.
    let waived = b.units.iter().any(|u| u.counts.get(Verdict::Waived) > 0);
    let verdicts: Vec<Verdict> = Verdict::ALL
        .into_iter()
        .filter(|v| *v != Verdict::Waived || waived)
        .collect();
    columns.extend(verdicts.iter().map(|v| (v.chinese(), 9.0)));
    columns.extend([("合计", 8.0), ("达标率", 9.0)]);
    let rows = u32::try_from(b.units.len()).unwrap_or(u32::MAX);
    frame(sheet, &columns, rows)?;
    let share = Format::new().set_num_format("0%");
    for (r, unit) in (1u32..).zip(&b.units) {
        text(sheet, r, 0, &unit.name)?;
        sheet.write_string_with_format(r, 1, unit.light.word(), light_cell(lights, unit.light))?;
        let mut col = 2u16;
        for &verdict in &verdicts {
            sheet.write_number(r, col, count(unit.counts.get(verdict)))?;
            col += 1;
        }
        let total = unit.counts.total();
        sheet.write_number(r, col, count(total))?;
        if total > 0 {
            let rate = count(unit.counts.on_course()) / count(total);
            sheet.write_number_with_format(r, col + 1, rate, &share)?;
        }
    }
    Ok(())
}

/// A count as a cell number: counts are far below 2^53, where f64 is exact.
fn count(n: usize) -> f64 {
    u32::try_from(n).map_or(f64::MAX, f64::from)
}

const FINDING_COLUMNS: [(&str, f64); 8] = [
    ("级别", 6.0),
    ("代码", 30.0),
    ("问题", 60.0),
    ("位置", 40.0),
    ("任务", 6.0),
    ("指标", 28.0),
    ("结论", 10.0),
    ("责任单位", 24.0),
];

fn findings(
    sheet: &mut Worksheet,
    b: &Bulletin<'_>,
    lights: &[Format; 3],
) -> Result<(), XlsxError> {
    sheet.set_name("问题清单")?;
    let rows = u32::try_from(b.findings.len()).unwrap_or(u32::MAX);
    frame(sheet, &FINDING_COLUMNS, rows)?;
    for (r, f) in (1u32..).zip(&b.findings) {
        let severity = match f.finding.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        text(sheet, r, 0, severity)?;
        text(sheet, r, 1, f.finding.code)?;
        text(sheet, r, 2, &f.finding.message)?;
        text(sheet, r, 3, &f.place)?;
        if let Some(row) = f.row.and_then(|i| b.rows.get(i)) {
            sheet.write_number(r, 4, f64::from(row.task))?;
            text(sheet, r, 5, &row.rule.metric)?;
            let format = light_cell(lights, row.light);
            sheet.write_string_with_format(r, 6, row.verdict().chinese(), format)?;
            text(sheet, r, 7, &row.units.join("、"))?;
        }
    }
    Ok(())
}

fn workbook(ctx: &Context<'_>) -> Result<Vec<u8>, XlsxError> {
    let b = bulletin::build(ctx);
    let lights = [
        light_format(Light::Green),
        light_format(Light::Yellow),
        light_format(Light::Red),
    ];
    let mut workbook = Workbook::new();
    // The creation time is the evaluation date, not the clock, so a run can be repeated.
    let date = ctx.outcome.as_of.unwrap_or(Date::constant(2000, 1, 1));
    let created = ExcelDateTime::from_ymd(
        u16::try_from(date.year()).unwrap_or(2000),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    )?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{} 督查通报", b.title))
            .set_creation_datetime(&created),
    );
    by_task(workbook.add_worksheet(), &b, &lights)?;
    by_unit(workbook.add_worksheet(), &b, &lights)?;
    findings(workbook.add_worksheet(), &b, &lights)?;
    workbook.save_to_buffer()
}

/// Renders the workbook, or says why it could not be written.
pub fn render(ctx: &Context<'_>) -> Result<Vec<u8>, String> {
    workbook(ctx).map_err(|e| format!("无法生成 xlsx 报告：{e}"))
}
