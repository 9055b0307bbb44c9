//! Excel workbooks (.xlsx) checked like any other submission, written here with a real writer.

use crate::support::{codes, result, verdicts, Test};
use rust_xlsxwriter::{Format, Workbook};

/// A workbook as departments keep them: Chinese sheet and column names, numbers as numbers, a
/// percentage as Excel stores it (1 shown as 100%), a milestone as TRUE, a merged 填报单位 cell,
/// and a cover sheet that is no table.
fn workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let cover = workbook.add_worksheet();
    cover.set_name("说明").unwrap();
    cover
        .write_string(0, 0, "2023 年度填报，数值填在“填报表”中")
        .unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报表").unwrap();
    for (col, name) in (0u16..).zip(["填报单位", "期间", "指标", "数值", "计量单位", "备注"])
    {
        sheet.write_string(0, col, name).unwrap();
    }
    let eco = "区生态环境分局";
    sheet.write_string(1, 0, eco).unwrap();
    sheet.write_number(1, 1, 2023).unwrap();
    sheet.write_string(1, 2, "受污染耕地安全利用率").unwrap();
    sheet.write_number(1, 3, 90.96).unwrap();
    sheet.write_string(1, 4, "%").unwrap();
    // Row 3: the figure whose cell the report must name, 填报表!D3.
    sheet.write_string(2, 0, "区工业和信息化局").unwrap();
    sheet.write_string(2, 1, "2023").unwrap();
    sheet.write_string(2, 2, "造纸包装产业营业收入").unwrap();
    sheet.write_number(2, 3, 4_600_000).unwrap();
    sheet.write_string(2, 4, "万元").unwrap();
    sheet.write_string(2, 5, "全年").unwrap();
    sheet.write_string(3, 0, eco).unwrap();
    sheet.write_number(3, 1, 2023).unwrap();
    sheet.write_string(3, 2, "农用地安全利用率").unwrap();
    let percent = Format::new().set_num_format("0%");
    sheet.write_number_with_format(3, 3, 1, &percent).unwrap();
    sheet.write_string(4, 0, eco).unwrap();
    sheet.write_number(4, 1, 2023).unwrap();
    sheet.write_string(4, 2, "完成超低排放改造").unwrap();
    sheet.write_boolean(4, 3, true).unwrap();
    // Rows 6 and 7 share one merged 填报单位 cell.
    sheet
        .merge_range(5, 0, 6, 0, "区工业和信息化局", &Format::new())
        .unwrap();
    for row in [5, 6] {
        sheet.write_number(row, 1, 2023).unwrap();
    }
    sheet.write_string(5, 2, "培育主要农作物新品种").unwrap();
    sheet.write_number(5, 3, 2).unwrap();
    sheet.write_string(5, 4, "个").unwrap();
    sheet.write_string(6, 2, "新增城镇就业").unwrap();
    sheet.write_string(6, 3, "4,512人").unwrap();
    workbook.save_to_buffer().unwrap()
}

fn with_workbook(name: &str, bytes: &[u8]) -> Test {
    Test::new().file(&format!("data/{name}"), bytes)
}

/// A workbook `data/NAME` the loader refuses: the run exits 2; its codes and the first message.
fn refused(name: &str, bytes: &[u8]) -> (Vec<String>, serde_json::Value) {
    let (status, json) = with_workbook(name, bytes).check_json(&["data"]);
    assert_eq!(status, 2, "{json:#}");
    (codes(&json), json["diagnostics"][0]["message"].clone())
}

#[test]
fn a_workbook_is_checked_with_exact_numbers_and_cell_names() {
    let (status, json) = with_workbook("填报.xlsx", &workbook()).check_json(&["data"]);
    assert_eq!(status, 1, "{json:#}");
    assert_eq!(
        verdicts(&json),
        [
            ("造纸包装产业营业收入", "met"),
            ("培育主要农作物新品种", "met"),
            ("新增城镇就业", "met"),
            ("受污染耕地安全利用率", "unmet"),
            ("农用地安全利用率", "met"),
            ("完成超低排放改造", "met"),
        ]
        .map(|(m, v)| (m.to_owned(), "2023".to_owned(), v.to_owned()))
    );
    assert_eq!(json["diagnostics"], serde_json::json!([]));

    // 90.96 stays 90.96: read through f64 it must not round up to meet 91%.
    let rate = result(&json, "受污染耕地安全利用率");
    assert_eq!(rate["actual"], "90.96%");
    assert_eq!(rate["figure_location"]["cell"], "填报表!D2");
    let revenue = result(&json, "造纸包装产业营业收入");
    assert_eq!(revenue["actual"], "4,600,000 万元");
    assert_eq!(revenue["compared"], "460 亿元");
    assert_eq!(revenue["figure_location"]["cell"], "填报表!D3");
    assert_eq!(revenue["figure_location"]["file"], "data/填报.xlsx");
    // A cell formatted as a percentage holds 1; the submitter sees and means 100%.
    assert_eq!(result(&json, "农用地安全利用率")["actual"], "100%");
    assert_eq!(result(&json, "完成超低排放改造")["actual"], "已完成");
    // The merged cell's value is the reporter of both rows it covers.
    let jobs = result(&json, "新增城镇就业");
    assert_eq!(jobs["reporter"], "区工业和信息化局");
    assert_eq!(jobs["compared"], "4,512 人");
    assert_eq!(jobs["figure_location"]["cell"], "填报表!D7");
}

#[test]
fn a_file_that_is_no_workbook_is_a_load_error() {
    let (codes, message) = refused("坏.xlsx", b"reporter,period\n");
    assert_eq!(codes, ["plancheck::load::syntax"]);
    assert_eq!(
        message,
        "Excel 语法错误：不是 Excel 工作簿（.xlsx），或文件已损坏"
    );
}

#[test]
fn an_unknown_column_is_named_by_its_cell() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Q2 数据").unwrap();
    for (col, name) in (0u16..).zip(["reporter", "period", "metric", "value", "数量"]) {
        sheet.write_string(0, col, name).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let (codes, message) = refused("填报.xlsx", &bytes);
    assert_eq!(codes, ["plancheck::load::shape"]);
    assert_eq!(
        message,
        "'Q2 数据'!E1：表头有不认识的列：可用的列为 reporter/填报单位、period/期间、metric/指标、\
         value/数值、unit/计量单位、note/备注、task/任务、target/目标"
    );
}

#[test]
fn a_workbook_without_a_table_says_so() {
    let mut workbook = Workbook::new();
    workbook
        .add_worksheet()
        .write_string(0, 0, "没有表头")
        .unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let (codes, message) = refused("填报.xlsx", &bytes);
    assert_eq!(codes, ["plancheck::load::shape"]);
    assert_eq!(
        message,
        "工作簿中没有填报表：没有哪个工作表的前几行是 reporter、period、metric、value 等列名组成的表头"
    );
}

#[test]
fn excel_lock_files_in_a_folder_are_passed_over() {
    let test = with_workbook("填报.xlsx", &workbook());
    std::fs::write(test.path().join("data/~$填报.xlsx"), b"owner").unwrap();
    let (status, json) = test.check_json(&["data"]);
    assert_eq!(status, 1);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
}
