//! Files the way clerks save them: CSV in GBK from Chinese Excel and ragged rows; workbooks
//! under a title with two-row headers, values Excel made dates, formulas a script never
//! calculated; milestones ticked, answered 是 or 1, or saved by LibreOffice.

use crate::support::{human, result, Test, ECO_MET};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

#[test]
fn a_gbk_csv_is_read_with_a_note_and_its_snippets_decode() {
    let csv = "填报单位,期间,指标,数值\r\n区工业和信息化局,2023,造纸包装产业营业收入,460亿元\r\n\
               区工业和信息化局,2023,培育主要农作物新品种,2\r\n区工业和信息化局,2023,新增城镇就业,3900人\r\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(csv);
    assert!(!unmappable);
    let test = Test::new()
        .file("data/eco.yaml", ECO_MET)
        .file("data/industry.csv", &bytes);
    let (status, json) = test.check_json(&["data"]);
    // The unmet must-target fails the run; the note is a warning, not broken input.
    assert_eq!(status, 1);
    assert_eq!(result(&json, "新增城镇就业")["verdict"], "unmet");
    assert_eq!(result(&json, "造纸包装产业营业收入")["verdict"], "met");
    let note = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "plancheck::load::gbk")
        .unwrap();
    assert_eq!(note["severity"], "warning");
    assert_eq!(
        note["message"],
        "CSV 文件按 GBK/GB18030 编码读取（不是 UTF-8）"
    );
    // The unmet figure's place is found in the decoded text.
    let figure = &result(&json, "新增城镇就业")["figure_location"];
    assert_eq!(
        (&figure["file"], &figure["line"], &figure["column"]),
        (&"data/industry.csv".into(), &4.into(), &22.into())
    );
}

#[test]
fn a_ragged_row_is_an_error_on_that_row_alone() {
    let csv = "reporter,period,metric,value\n区工业和信息化局,2023,造纸包装产业营业收入,460亿元\n\
               区工业和信息化局,2023,培育主要农作物新品种\n区工业和信息化局,2023,新增城镇就业,4512人\n";
    let (status, json) = Test::new()
        .file("data/eco.yaml", ECO_MET)
        .file("data/industry.csv", csv)
        .check_json(&["data"]);
    assert_eq!(status, 2);
    assert_eq!(result(&json, "新增城镇就业")["verdict"], "met");
    assert_eq!(result(&json, "造纸包装产业营业收入")["verdict"], "met");
    assert_eq!(result(&json, "培育主要农作物新品种")["verdict"], "missing");
    let syntax: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "plancheck::load::syntax")
        .collect();
    assert_eq!(syntax.len(), 1);
    assert_eq!(
        syntax[0]["message"],
        "CSV 语法错误：这一行有 3 列，表头有 4 列；此行未读取"
    );
}

#[test]
fn a_milestone_ticked_on_the_form_is_done() {
    for (mark, verdict) in [
        ("√", "met"),
        ("是", "met"),
        ("1", "met"),
        ("1.0", "met"),
        ("×", "unmet"),
        ("否", "unmet"),
        ("0", "unmet"),
        ("2", "invalid"),
        ("1项", "invalid"),
    ] {
        let csv = format!(
            "填报单位,期间,指标,数值\n区生态环境分局,2023,受污染耕地安全利用率,92.3%\n\
             区生态环境分局,2023,农用地安全利用率,100%\n区生态环境分局,2023,完成超低排放改造,{mark}\n"
        );
        let (_, json) = Test::new()
            .file("data/eco.csv", &csv)
            .file("data/industry.yaml", crate::support::INDUSTRY_MET)
            .check_json(&["--as-of", "2024-01-31", "data"]);
        assert_eq!(
            result(&json, "完成超低排放改造")["verdict"],
            verdict,
            "{mark}"
        );
    }
}

/// The columns clerks add (填报人, 联系电话) are read past with a note naming each, in a CSV
/// file and in a workbook.
#[test]
fn columns_clerks_add_are_read_past_with_a_note() {
    let csv = "填报单位,期间,指标,数值,填报人,联系电话\n\
               区生态环境分局,2023,受污染耕地安全利用率,92.3%,张三,0537-1234567\n\
               区生态环境分局,2023,农用地安全利用率,100%,张三,0537-1234567\n\
               区生态环境分局,2023,完成超低排放改造,done,张三,0537-1234567\n";
    let (status, json) = Test::new()
        .file("data/eco.csv", csv)
        .file("data/industry.yaml", crate::support::INDUSTRY_MET)
        .check_json(&["data"]);
    assert_eq!(status, 0, "{json:#}");
    let notes: Vec<(&str, &str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap(),
                d["locations"][0]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("plancheck::load::extra-column", "“填报人”列不读取", 15),
            ("plancheck::load::extra-column", "“联系电话”列不读取", 19),
        ]
    );

    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报表").unwrap();
    for (col, name) in (0u16..).zip(["填报单位", "期间", "指标", "数值", "填报人"]) {
        sheet.write_string(0, col, name).unwrap();
    }
    for (row, (metric, value)) in (1u32..).zip([
        ("受污染耕地安全利用率", "92.3%"),
        ("农用地安全利用率", "100%"),
        ("完成超低排放改造", "done"),
    ]) {
        for (col, text) in (0u16..).zip(["区生态环境分局", "2023", metric, value, "张三"])
        {
            sheet.write_string(row, col, text).unwrap();
        }
    }
    let test = Test::new()
        .file("data/industry.yaml", crate::support::INDUSTRY_MET)
        .file("data/eco.xlsx", workbook.save_to_buffer().unwrap());
    let (status, json) = test.check_json(&["data"]);
    assert_eq!(status, 0, "{json:#}");
    assert_eq!(
        json["diagnostics"][0]["message"],
        "填报表!E1：“填报人”列不读取"
    );
}

/// The plan with `data/NAME` written from `bytes` and the YAML `others` beside it.
fn with_workbook(name: &str, bytes: Vec<u8>, others: &[(&str, &str)]) -> Test {
    let test = others
        .iter()
        .fold(Test::new(), |test, (path, text)| test.file(path, text));
    test.file(&format!("data/{name}"), bytes)
}

/// Writes the rows of 区工业和信息化局's figures from `row` on, in columns A to D, with
/// `value` writing each value cell.
fn industry_rows(
    sheet: &mut Worksheet,
    row: u32,
    mut value: impl FnMut(&mut Worksheet, u32, &str, &str),
) {
    for (at, (metric, figure)) in (row..).zip([
        ("造纸包装产业营业收入", "460亿元"),
        ("培育主要农作物新品种", "2"),
        ("新增城镇就业", "4512人"),
    ]) {
        sheet.write_string(at, 0, "区工业和信息化局").unwrap();
        sheet.write_string(at, 1, "2023").unwrap();
        sheet.write_string(at, 2, metric).unwrap();
        value(sheet, at, metric, figure);
    }
}

fn header(sheet: &mut Worksheet, row: u32, names: &[&str]) {
    for (col, name) in (0u16..).zip(names) {
        sheet.write_string(row, col, *name).unwrap();
    }
}

/// A form as clerks lay it out: a merged title and a 填报单位（盖章） line above a header of two
/// rows, with 完成情况 merged over its 数值 and 计量单位 and the other names merged down both
/// rows, and a 填报人 column. Everything is read; each row and cell read past is a warning.
#[test]
fn a_form_with_a_title_and_a_two_row_header_is_read() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报表").unwrap();
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 5, "2023年兖州区重点任务完成情况表", &plain)
        .unwrap();
    sheet
        .merge_range(
            1,
            0,
            1,
            5,
            "填报单位（盖章）：区生态环境分局　填报日期：2024年1月5日",
            &plain,
        )
        .unwrap();
    for (col, name) in [(0, "填报单位"), (1, "期间"), (2, "指标"), (5, "填报人")] {
        sheet.merge_range(2, col, 3, col, name, &plain).unwrap();
    }
    sheet.merge_range(2, 3, 2, 4, "完成情况", &plain).unwrap();
    sheet.write_string(3, 3, "数值").unwrap();
    sheet.write_string(3, 4, "计量单位").unwrap();
    for (row, (metric, value, unit)) in (4u32..).zip([
        ("受污染耕地安全利用率", "92.3", "%"),
        ("农用地安全利用率", "100", "%"),
        ("完成超低排放改造", "√", ""),
    ]) {
        sheet.write_string(row, 0, "区生态环境分局").unwrap();
        sheet.write_number(row, 1, 2023).unwrap();
        sheet.write_string(row, 2, metric).unwrap();
        match value.parse::<f64>() {
            Ok(number) => sheet.write_number(row, 3, number).unwrap(),
            Err(_) => sheet.write_string(row, 3, value).unwrap(),
        };
        sheet.write_string(row, 4, unit).unwrap();
        sheet.write_string(row, 5, "张三").unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let test = with_workbook(
        "eco.xlsx",
        bytes,
        &[("data/industry.yaml", crate::support::INDUSTRY_MET)],
    );
    insta::assert_snapshot!(human(test));
}

/// One name merged over two columns names the first; the second is not read, and a warning
/// says so rather than leaving its contents to vanish.
#[test]
fn a_header_name_merged_over_two_columns_reads_the_first() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报表").unwrap();
    header(sheet, 0, &["填报单位", "期间", "指标"]);
    sheet
        .merge_range(0, 3, 0, 4, "数值", &Format::new())
        .unwrap();
    industry_rows(sheet, 1, |sheet, row, _, figure| {
        sheet.write_string(row, 3, figure).unwrap();
        sheet.write_string(row, 4, "（快报数）").unwrap();
    });
    let bytes = workbook.save_to_buffer().unwrap();
    let test = with_workbook("industry.xlsx", bytes, &[("data/eco.yaml", ECO_MET)]);
    insta::assert_snapshot!(human(test));
}

/// 1-2 typed into a cell formatted General: Excel and WPS store 2 January, shown 1月2日. It is
/// a date where a number was expected, named by its cell, never the number 2024 with the unit
/// `-01-02`.
#[test]
fn a_value_excel_made_a_date_is_named_by_its_cell() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报表").unwrap();
    header(sheet, 0, &["填报单位", "期间", "指标", "数值", "计量单位"]);
    let typed = Format::new().set_num_format("m\"月\"d\"日\"");
    industry_rows(sheet, 1, |sheet, row, metric, figure| {
        if metric == "培育主要农作物新品种" {
            let date = ExcelDateTime::from_ymd(2024, 1, 2).unwrap();
            sheet
                .write_datetime_with_format(row, 3, date, &typed)
                .unwrap();
            sheet.write_string(row, 4, "个").unwrap();
        } else {
            sheet.write_string(row, 3, figure).unwrap();
        }
    });
    let bytes = workbook.save_to_buffer().unwrap();
    let test = with_workbook("industry.xlsx", bytes, &[("data/eco.yaml", ECO_MET)]);
    insta::assert_snapshot!(human(test));
}

/// A workbook a script wrote: `=SUM(…)` with no result calculated (rust_xlsxwriter stores 0
/// and asks Excel to calculate on opening, as XlsxWriter and openpyxl do). The 0 is no
/// figure: the finding names the cell and says to open and save the workbook.
#[test]
fn a_formula_never_calculated_is_named_by_its_cell() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报表").unwrap();
    // The parts the formula adds stand right of the table, outside its columns.
    header(sheet, 0, &["填报单位", "期间", "指标", "数值"]);
    industry_rows(sheet, 1, |sheet, row, metric, figure| {
        if metric == "新增城镇就业" {
            sheet.write_formula(row, 3, "SUM(E4:F4)").unwrap();
            sheet.write_number(row, 4, 3000).unwrap();
            sheet.write_number(row, 5, 1512).unwrap();
        } else {
            sheet.write_string(row, 3, figure).unwrap();
        }
    });
    let bytes = workbook.save_to_buffer().unwrap();
    let test = with_workbook("industry.xlsx", bytes, &[("data/eco.yaml", ECO_MET)]);
    insta::assert_snapshot!(human(test));
}

/// A milestone answered with a number other than 1 or 0 says nothing about done: the finding
/// shows the number and what a milestone takes.
#[test]
fn a_milestone_answered_two_is_invalid_and_says_what_it_takes() {
    let csv = "填报单位,期间,指标,数值\n区生态环境分局,2023,受污染耕地安全利用率,92.3%\n\
               区生态环境分局,2023,农用地安全利用率,100%\n区生态环境分局,2023,完成超低排放改造,2\n";
    let test = Test::new()
        .file("data/eco.csv", csv)
        .file("data/industry.yaml", crate::support::INDUSTRY_MET);
    insta::assert_snapshot!(human(test));
}

/// LibreOffice saves TRUE and FALSE as the numbers 1 and 0 shown through the format
/// `"TRUE";"TRUE";"FALSE"`; Excel saves a boolean cell. Both are done and not done.
#[test]
fn a_milestone_saved_by_libreoffice_is_done() {
    let libreoffice = Format::new().set_num_format("\"TRUE\";\"TRUE\";\"FALSE\"");
    let mut verdicts = Vec::new();
    for (cell, verdict) in [
        ("LibreOffice TRUE", "met"),
        ("LibreOffice FALSE", "unmet"),
        ("Excel TRUE", "met"),
        ("Excel FALSE", "unmet"),
    ] {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        header(sheet, 0, &["reporter", "period", "metric", "value"]);
        for (row, metric) in (1u32..).zip([
            "受污染耕地安全利用率",
            "农用地安全利用率",
            "完成超低排放改造",
        ]) {
            sheet.write_string(row, 0, "区生态环境分局").unwrap();
            sheet.write_string(row, 1, "2023").unwrap();
            sheet.write_string(row, 2, metric).unwrap();
        }
        sheet.write_string(1, 3, "92.3%").unwrap();
        sheet.write_string(2, 3, "100%").unwrap();
        match cell {
            "LibreOffice TRUE" => sheet.write_number_with_format(3, 3, 1, &libreoffice),
            "LibreOffice FALSE" => sheet.write_number_with_format(3, 3, 0, &libreoffice),
            "Excel TRUE" => sheet.write_boolean(3, 3, true),
            _ => sheet.write_boolean(3, 3, false),
        }
        .unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let test = with_workbook(
            "eco.xlsx",
            bytes,
            &[("data/industry.yaml", crate::support::INDUSTRY_MET)],
        );
        let (_, json) = test.check_json(&["--as-of", "2024-01-31", "data"]);
        assert_eq!(json["diagnostics"], serde_json::json!([]), "{cell}");
        let result = result(&json, "完成超低排放改造");
        verdicts.push((cell, result["verdict"].as_str().unwrap().to_owned()));
        // Shown as the clerk saw it.
        assert_eq!(
            result["actual"],
            if verdict == "met" {
                "已完成"
            } else {
                "未完成"
            },
            "{cell}"
        );
    }
    assert_eq!(
        verdicts,
        [
            ("LibreOffice TRUE", "met".to_owned()),
            ("LibreOffice FALSE", "unmet".to_owned()),
            ("Excel TRUE", "met".to_owned()),
            ("Excel FALSE", "unmet".to_owned()),
        ]
    );
}
