//! `plancheck template`: snapshots, the workbook read back, and every template filled in and
//! checked against the shipped plan.

use crate::support::{repo_root, Output, Test};
use calamine::{Data, Reader, Xlsx};
use std::path::Path;

const ECO: &str = "区生态环境分局";
const SCIENCE: &str = "区科技局";

fn rules() -> String {
    repo_root().join("rules").display().to_string()
}

/// `plancheck template --lead LEAD --rules <shipped> ARGS`.
fn template(lead: &str, args: &[&str]) -> Output {
    let rules = rules();
    Test::empty()
        .args(&["template", "--lead", lead, "--rules", &rules])
        .args(args)
        .run()
}

/// `plancheck template --lead LEAD --format FORMAT --rules <shipped> -o FILE` in `test`.
fn write_template(test: &Test, lead: &str, format: &str, file: &str) {
    let path = test.path().join(file);
    let output = template(lead, &["--format", format, "-o", path.to_str().unwrap()]);
    assert_eq!((output.status, output.stderr.as_str()), (0, ""));
}

fn template_text(lead: &str, format: &str) -> String {
    let output = template(lead, &["--format", format]);
    assert_eq!((output.status, output.stderr.as_str()), (0, ""));
    output.stdout
}

/// Snapshots live with the other integration snapshots, not beside this file.
macro_rules! snapshot {
    ($value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => true }, {
            insta::assert_snapshot!($value);
        })
    };
}

#[test]
fn yaml_template() {
    snapshot!(template_text(ECO, "yaml"));
}

#[test]
fn csv_template() {
    let text = template_text(SCIENCE, "csv");
    // The mark tells Excel the file is UTF-8; the snapshot shows what follows it.
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    snapshot!(text);
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(text)) => text.clone(),
        Some(other) => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

#[test]
fn xlsx_template_reads_back_cell_by_cell() {
    let test = Test::empty();
    write_template(&test, ECO, "xlsx", "模板.xlsx");
    let mut workbook: Xlsx<_> = calamine::open_workbook(test.path().join("模板.xlsx")).unwrap();
    assert_eq!(workbook.sheet_names(), ["填报表"]);
    let range = workbook.worksheet_range("填报表").unwrap();
    let row = |r| (0..7).map(|c| cell(&range, r, c)).collect::<Vec<_>>();
    assert_eq!(
        row(0),
        ["reporter", "period", "metric", "value", "unit", "task", "target"]
    );
    assert_eq!(
        row(10),
        [
            ECO,
            "2023",
            "国省控断面水质达标率",
            "",
            "%",
            "任务32 深入推进环境污染防治",
            "目标 == 100%",
        ]
    );
    assert_eq!(range.height(), 16, "a header and 15 metrics");
    let styles = workbook.worksheet_style("填报表").unwrap();
    let bold = |r, c| {
        styles
            .get((r, c))
            .and_then(|s| s.font.as_ref())
            .is_some_and(|f| f.is_bold())
    };
    assert!(bold(0, 0) && bold(0, 6));
    assert!(!bold(1, 0));
}

#[test]
fn an_unknown_lead_is_refused_with_a_suggestion() {
    let output = template("区科技", &[]);
    assert_eq!(output.status, 2);
    assert_eq!(output.stdout, "");
    assert_eq!(
        output.stderr,
        "error: 计划中没有由“区科技”报送的指标。是否应为“区科技局”？需要填报的单位：\
         区科技局、区工业和信息化局、区发展改革局、区委组织部、区人力资源社会保障局、区商务局、\
         区投资促进中心、区生态环境分局、区文化和旅游局、区住房城乡建设局、区自然资源局、区地方金融监管局、\
         区财政局、人民银行兖州支行、区物流发展指挥部、区交通运输局、区水务局、区综合行政执法局、\
         区机关事务服务中心、区教育和体育局、区农业农村局、区委宣传部、区融媒体中心、区大数据中心、\
         区畜牧兽医事业发展中心、区供销社、区市场监管局、区行政审批服务局、工业园区、区卫生健康局、\
         区民政局、区医保局、区应急局\n"
    );
}

#[test]
fn a_lead_of_tasks_without_targets_is_told_there_is_nothing_to_fill() {
    let output = template("兖州供电中心", &[]);
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: 兖州供电中心牵头的任务没有可核查的指标，无需填报\n"
    );
}

/// A value that meets or misses the target but always reads: `done` for a milestone, else 100.
fn fill(target: &str) -> &'static str {
    if target.contains("里程碑") {
        "done"
    } else {
        "100"
    }
}

fn fill_yaml(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let filled: Vec<String> = text
        .lines()
        .map(|line| match line.split_once(": \"\"") {
            Some((key, comment)) => format!("{key}: \"{}\"{comment}", fill(comment)),
            None => line.to_owned(),
        })
        .collect();
    std::fs::write(path, filled.join("\n")).unwrap();
}

fn fill_csv(path: &Path) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(reader.headers().unwrap()).unwrap();
    for record in reader.records() {
        let mut row: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        row[3] = fill(&row[6]).to_owned();
        writer.write_record(&row).unwrap();
    }
    std::fs::write(path, writer.into_inner().unwrap()).unwrap();
}

/// A workbook cannot be edited in place with the writer: copy it cell by cell, filled in.
fn fill_xlsx(path: &Path) {
    let mut template: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = template.worksheet_range("填报表").unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报表").unwrap();
    for row in 0..range.height() as u32 {
        for col in 0..7u16 {
            let text = cell(&range, row, u32::from(col));
            let text = if row > 0 && col == 3 {
                fill(&cell(&range, row, 6)).to_owned()
            } else {
                text
            };
            sheet.write_string(row, col, &text).unwrap();
        }
    }
    workbook.save(path).unwrap();
}

/// Every metric of the template, `count` of them, must be read and judged: met or unmet, never
/// missing, invalid or unknown.
fn check_template(lead: &str, count: usize, format: &str, fill: fn(&Path)) {
    let test = Test::empty();
    let file = format!("{lead}.{format}");
    write_template(&test, lead, format, &file);
    let rules = rules();
    let path = test.path().join(&file);
    let metrics = |json: &serde_json::Value, verdicts: &[&str]| -> Vec<String> {
        json["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["reporter"] == lead)
            .inspect(|r| assert!(verdicts.contains(&r["verdict"].as_str().unwrap()), "{r:#}"))
            .map(|r| r["metric"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, empty) = Test::empty().check_json(&["--rules", &rules, path.to_str().unwrap()]);
    assert_eq!(status, 1, "{format}: {empty:#}");
    assert_eq!(empty["diagnostics"], serde_json::json!([]), "{format}");
    let unfilled = metrics(&empty, &["invalid"]);
    fill(&path);
    let (_, json) = Test::empty().check_json(&["--rules", &rules, path.to_str().unwrap()]);
    assert_eq!(json["diagnostics"], serde_json::json!([]), "{format}");
    let filled = metrics(&json, &["met", "unmet"]);
    assert_eq!(filled, unfilled, "{format}");
    assert_eq!(filled.len(), count, "{format}: {filled:?}");
}

#[test]
fn templates_filled_in_load_and_check() {
    // As many as the rows of the YAML and CSV snapshots.
    for (lead, count) in [(ECO, 15), (SCIENCE, 16)] {
        check_template(lead, count, "yaml", fill_yaml);
        check_template(lead, count, "csv", fill_csv);
        check_template(lead, count, "xlsx", fill_xlsx);
    }
}
