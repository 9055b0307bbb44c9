//! CSV files the way clerks save them: GBK from Chinese Excel, and ragged rows.

use crate::support::{result, Test, ECO_MET};

#[test]
fn a_gbk_csv_is_read_with_a_note_and_its_snippets_decode() {
    let csv = "填报单位,期间,指标,数值\r\n区工业和信息化局,2023,造纸包装产业营业收入,460亿元\r\n\
               区工业和信息化局,2023,培育主要农作物新品种,2\r\n区工业和信息化局,2023,新增城镇就业,3900人\r\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(csv);
    assert!(!unmappable);
    let test = Test::new().file("data/eco.yaml", ECO_MET);
    std::fs::write(test.path().join("data/industry.csv"), &bytes).unwrap();
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
    for (mark, verdict) in [("√", "met"), ("是", "met"), ("×", "unmet"), ("否", "unmet")] {
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
    let test = Test::new().file("data/industry.yaml", crate::support::INDUSTRY_MET);
    std::fs::write(
        test.path().join("data/eco.xlsx"),
        workbook.save_to_buffer().unwrap(),
    )
    .unwrap();
    let (status, json) = test.check_json(&["data"]);
    assert_eq!(status, 0, "{json:#}");
    assert_eq!(
        json["diagnostics"][0]["message"],
        "填报表!E1：“填报人”列不读取"
    );
}
