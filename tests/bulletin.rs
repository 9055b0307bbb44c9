//! The bulletin reports: the HTML dashboard and the Excel workbook.
//!
//! The workbook is read back with calamine, a reader independent of the writer, and its
//! frozen panes and filters from the sheet XML itself. The browser test of the dashboard is a
//! separate step (`tests/browser/dashboard.mjs`, run by `.ci/run`), so `cargo test` needs
//! nothing but Rust.

use crate::support::{repo_root, run_in, with_eco, Test};
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::io::Read;
use std::path::Path;

/// Task 32 with a must-target unmet (red), a strive target unmet (yellow) and a milestone
/// met (green); task 6 all met.
fn with_every_light() -> Test {
    with_eco(
        r#"reporter: 区生态环境分局
period: "2023"
figures:
  受污染耕地安全利用率: "90%"
  农用地安全利用率: "99%"
  完成超低排放改造: done
"#,
    )
}

/// `plancheck check ARGS data --report FORMAT=out` in the test's directory: the report's path.
fn report(test: &Test, format: &str, args: &[&str]) -> std::path::PathBuf {
    let out = test.path().join(format!("out.{format}"));
    let target = format!("{format}={}", out.display());
    let mut all = vec!["check", "--report", &target];
    all.extend(args);
    all.push("data");
    let output = test.run_with(&all);
    assert!(output.status < 2, "{}", output.stderr);
    out
}

fn html(test: &Test, args: &[&str]) -> String {
    std::fs::read_to_string(report(test, "html", args)).unwrap()
}

/// The markup between `<section id="ID"` and the end of that section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\"")).unwrap();
    let len = html[start..].find("</section>").unwrap();
    &html[start..start + len]
}

/// Rows of results under 按任务 with `verdict`.
fn rows_by_verdict(html: &str, verdict: &str) -> usize {
    section(html, "by-task")
        .split("<tr class=\"result ")
        .skip(1)
        .filter(|row| row[1..].starts_with(&format!("\" data-verdict=\"{verdict}\"")))
        .count()
}

const VERDICTS: [&str; 9] = [
    "met", "ahead", "on_track", "behind", "pending", "overdue", "unmet", "missing", "invalid",
];

#[test]
fn html_rows_and_findings_match_the_json_report() {
    let test = with_every_light();
    let page = html(&test, &[]);
    let (_, json) = with_every_light().check_json(&["data"]);
    let rows: Vec<usize> = VERDICTS.iter().map(|v| rows_by_verdict(&page, v)).collect();
    let expected: Vec<usize> = VERDICTS
        .iter()
        .map(|v| json["summary"][v].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(rows, [4, 0, 0, 0, 0, 0, 2, 0, 0]);
    // The lights: the must-target unmet is red, the strive target yellow, the rest green.
    let by_task = section(&page, "by-task");
    assert_eq!(by_task.matches("<tr class=\"result r\"").count(), 1);
    assert_eq!(by_task.matches("<tr class=\"result y\"").count(), 1);
    assert_eq!(by_task.matches("<tr class=\"result g\"").count(), 4);
    // Each light carries its verdict in words.
    assert!(by_task.contains(
        r#"<span class="light r" title="红灯"><span class="dot" aria-hidden="true"></span>未达标</span>"#
    ));
    // Every finding is listed once with what the filters read.
    let findings = section(&page, "findings");
    assert_eq!(findings.matches("<tr class=\"finding\"").count(), 2);
    assert!(findings.contains(
        r#"<tr class="finding" data-severity="error" data-verdict="unmet" data-task="32" data-units="|区生态环境分局|区水务局|">"#
    ));
    assert!(findings.contains(r#"data-severity="warning" data-verdict="unmet" data-task="32""#));
    // Both lead units of task 32 and the one of task 6, each with a table row.
    assert_eq!(
        section(&page, "by-unit")
            .matches("<tr class=\"unit\"")
            .count(),
        3
    );
    // The headline: of the four must-targets (确保 or unmarked), all but the unmet rate are
    // met; the two strive targets (力争) do not count.
    assert!(page.contains("<div class=\"big\">75%</div>"), "{page}");
}

#[test]
fn html_is_byte_identical_across_runs_and_fetches_nothing() {
    let root = repo_root();
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for run in 0..2 {
        let out = dir.path().join(format!("{run}.html"));
        let target = format!("html={}", out.display());
        let rules = root.join("rules");
        let examples = root.join("examples");
        let output = run_in(
            &root,
            &[
                "check".as_ref(),
                "--as-of".as_ref(),
                "2023-06-30".as_ref(),
                "--rules".as_ref(),
                rules.as_os_str(),
                "--report".as_ref(),
                target.as_ref(),
                examples.as_os_str(),
            ],
        );
        assert_eq!(output.status, 1, "{}", output.stderr);
        pages.push(std::fs::read(&out).unwrap());
    }
    assert!(pages[0] == pages[1], "two runs differ");
    let page = String::from_utf8(pages.swap_remove(0)).unwrap();
    // Self-contained: nothing is loaded from anywhere, links stay in the page.
    assert!(!page.contains(" src="));
    assert!(!page.contains("@import") && !page.contains("url("));
    for href in page.split(" href=\"").skip(1) {
        assert!(href.starts_with('#') || href.starts_with("data:"), "{href}");
    }
    // A chart per cumulative rule of the mid-year run.
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 23);
}

#[test]
fn html_escapes_text_from_rules_and_data() {
    let test = Test::empty()
        .file(
            "rules/plan.plan",
            r#"plan "通报<script>alert(1)</script>" {
    period 2023
}

task 1 "任务<b>&amp;\"粗体\"</b>" {
    lead 区&科技局
    "指标<img src=x onerror=alert(1)>" >= 5 家
    新增企业 >= 3 家
}
"#,
        )
        .file(
            "data/a.yaml",
            r#"reporter: "区&科技局"
period: "2023"
figures:
  "指标<img src=x onerror=alert(1)>": "<script>alert(2)</script>"
  "未知</td><td>指标": 3
"#,
        );
    let page = html(&test, &[]);
    // The page's own script is the only one.
    assert_eq!(page.matches("<script").count(), 1);
    for raw in ["<img", "<b>", "</td><td>指标", "&amp;\"", "区&科技局"] {
        assert!(!page.contains(raw), "unescaped {raw}");
    }
    assert!(page.contains("通报&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(page.contains("指标&#60;img src=x onerror=alert(1)&#62;"));
    assert!(page.contains("任务1 任务&#60;b&#62;&#38;amp;&#34;粗体&#34;&#60;/b&#62;"));
    assert!(page.contains("未知&#60;/td&#62;&#60;td&#62;指标"));
    assert!(page.contains("data-units=\"|区&#38;科技局|\""));
}

#[test]
fn html_charts_the_expected_line_and_the_band() {
    // A cumulative target half a year in: 1,800 of 4,000 against an expected 2,000 ± 5%.
    let test = Test::new()
        .file(
            "rules/plan.plan",
            crate::support::PLAN
                .replace("    period 2023\n", "    period 2023\n    tolerance 5%\n"),
        )
        .file(
            "data/industry.yaml",
            crate::support::submission("区工业和信息化局", "2023-H1", &[("新增城镇就业", "1800")]),
        );
    let page = html(&test, &[]);
    let charts = section(&page, "trajectories");
    assert_eq!(charts.matches("<svg class=\"chart\"").count(), 1);
    assert!(
        charts.contains("任务6 新增城镇就业 <span class=\"target-text\">&#62;= 4,000 人</span>")
    );
    assert!(
        charts.contains("2023-H1 1,800 人（预期 1,983.56 人，滞后）"),
        "{charts}"
    );
    // The expected line from zero to the target at the deadline, and the dot below it.
    assert!(
        charts
            .contains(r#"<polyline class="expected" points="52.0,150.0 201.0,90.8 350.0,30.5"/>"#),
        "{charts}"
    );
    assert!(charts.contains(r#"<polygon class="band" points=""#));
    assert!(
        charts.contains(
            r#"<circle class="dot r" cx="201.0" cy="96.2" r="4"><title>2023-H1 1,800 人"#
        ),
        "{charts}"
    );
    assert!(charts.contains(">截止 2023-12-31</text>"));
    assert!(charts.contains("容差带 ±5%"));
    // The band is the one the verdicts used: `--tolerance` overrides the plan's.
    let page = html(&test, &["--tolerance", "10%"]);
    assert!(section(&page, "trajectories").contains("容差带 ±10%"));
    assert!(section(&page, "trajectories").contains("（预期 1,983.56 人，序时推进）"));
}

#[test]
fn html_of_broken_rules_says_the_input_is_broken() {
    let test = Test::empty()
        .file("rules/plan.plan", "task x\n")
        .file("data/a.yaml", crate::support::ECO_MET);
    let out = test.path().join("out.html");
    let target = format!("html={}", out.display());
    let output = test.run_with(&["check", "--report", &target, "data"]);
    assert_eq!(output.status, 2);
    let page = std::fs::read_to_string(out).unwrap();
    assert!(page.contains(
        r#"<p class="status r" role="status">输入有误：规则或填报文件无法读取，结果不完整</p>"#
    ));
    assert_eq!(
        page.matches("<p class=\"empty\">没有可评估的结果。</p>")
            .count(),
        2
    );
    assert!(page.contains(
        r#"<tr class="finding" data-severity="error" data-verdict="" data-task="" data-units="||">"#
    ));
}

#[test]
fn human_stays_the_default_and_html_is_a_format() {
    let human = with_every_light().check(&["data"]);
    assert!(
        human.stdout.starts_with("plancheck::check::unmet"),
        "{}",
        human.stdout
    );
    let page = with_every_light()
        .args(&["check", "--format", "html", "data"])
        .run();
    assert_eq!(page.status, 1);
    assert!(page
        .stdout
        .starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
}

/// The cells of a sheet, row by row.
fn cells(workbook: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = workbook.worksheet_range(sheet).unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not text: {other:?}"),
    }
}

/// The fill colour of a cell as RGB.
fn fill(
    workbook: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    sheet: &str,
    at: (u32, u32),
) -> u32 {
    let styles = workbook.worksheet_style(sheet).unwrap();
    let color = styles
        .get(at)
        .and_then(|s| s.fill.as_ref())
        .and_then(calamine::Fill::get_color)
        .unwrap_or_else(|| panic!("no fill at {at:?}"));
    color.to_argb() & 0x00FF_FFFF
}

#[test]
fn xlsx_has_three_sheets_with_numbers_and_coloured_verdicts() {
    let test = with_every_light();
    let path = report(&test, "xlsx", &[]);
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(workbook.sheet_names(), ["按任务", "按单位", "问题清单"]);

    let tasks = cells(&mut workbook, "按任务");
    let header: Vec<String> = tasks[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "篇章",
            "任务",
            "任务名称",
            "指标",
            "期间",
            "目标",
            "目标值",
            "报送值",
            "预期进度",
            "单位",
            "结论",
            "灯",
            "力度",
            "牵头单位",
            "报送单位",
            "引用原文"
        ]
    );
    assert_eq!(tasks.len(), 1 + 6, "one row per rule and period");
    let row = |metric: &str| {
        tasks
            .iter()
            .position(|r| r[3] == Data::String(metric.to_owned()))
            .unwrap_or_else(|| panic!("no row for {metric}"))
    };
    // Numbers are numbers: the target, the figure in the target's unit, the task.
    let land = row("受污染耕地安全利用率");
    assert_eq!(
        tasks[land][..12],
        [
            Data::String("四、聚力降碳减污扩绿，厚植绿色发展底色".into()),
            Data::Float(32.0),
            Data::String("深入推进环境污染防治".into()),
            Data::String("受污染耕地安全利用率".into()),
            Data::String("2023".into()),
            Data::String(">= 91%".into()),
            Data::Float(91.0),
            Data::Float(90.0),
            Data::Empty,
            Data::String("%".into()),
            Data::String("未达标".into()),
            Data::String("红灯".into()),
        ]
    );
    assert_eq!(
        tasks[land][15],
        Data::String("受污染耕地安全利用率稳定在91%以上".into())
    );
    let paper = row("造纸包装产业营业收入");
    // 4,600,000万元 reported, 460 亿元 compared.
    assert_eq!(tasks[paper][6..8], [Data::Float(450.0), Data::Float(460.0)]);
    assert_eq!(tasks[paper][12], Data::String("力争".into()));
    assert_eq!(
        tasks[row("完成超低排放改造")][7],
        Data::String("已完成".into())
    );

    // The verdict cells are coloured like the lights.
    let farmland = row("农用地安全利用率");
    let at = |r: usize| (u32::try_from(r).unwrap(), 10);
    assert_eq!(fill(&mut workbook, "按任务", at(land)), 0x00FE_E2E2, "red");
    assert_eq!(
        fill(&mut workbook, "按任务", at(farmland)),
        0x00FE_F3C7,
        "yellow"
    );
    assert_eq!(
        fill(&mut workbook, "按任务", at(paper)),
        0x00D1_FADF,
        "green"
    );

    let units = cells(&mut workbook, "按单位");
    assert_eq!(units.len(), 1 + 3);
    assert_eq!(units[0][0], Data::String("单位".into()));
    assert_eq!(
        units[0][2..4],
        [Data::String("达标".into()), Data::String("超前".into())]
    );
    // 区生态环境分局: one met, two unmet of three; a share as a number.
    let eco = &units[1];
    assert_eq!(eco[0], Data::String("区生态环境分局".into()));
    assert_eq!(eco[1], Data::String("红灯".into()));
    assert_eq!(eco[2], Data::Float(1.0));
    assert_eq!(eco[8], Data::Float(2.0));
    assert_eq!(eco[11], Data::Float(3.0));
    assert!(matches!(eco[12], Data::Float(share) if (share - 1.0 / 3.0).abs() < 1e-9));
    assert_eq!(fill(&mut workbook, "按单位", (1, 1)), 0x00FE_E2E2);
    assert_eq!(units[3][0], Data::String("区工业和信息化局".into()));
    assert_eq!(units[3][12], Data::Float(1.0));

    let findings = cells(&mut workbook, "问题清单");
    assert_eq!(findings.len(), 1 + 2);
    assert_eq!(
        findings[1][..5],
        [
            Data::String("错误".into()),
            Data::String("plancheck::check::unmet".into()),
            findings[1][2].clone(),
            Data::String("data/eco.yaml:4:15".into()),
            Data::Float(32.0),
        ]
    );
    assert_eq!(findings[2][0], Data::String("警告".into()));
    assert_eq!(fill(&mut workbook, "问题清单", (2, 6)), 0x00FE_F3C7);
}

/// The XML of a worksheet in the workbook at `path`.
fn sheet_xml(path: &Path, index: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{index}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn xlsx_sheets_freeze_the_header_and_filter_every_column() {
    let test = with_every_light();
    let path = report(&test, "xlsx", &[]);
    // The creation time is the evaluation date, not the clock: a second run is the same file.
    let first = std::fs::read(&path).unwrap();
    assert!(std::fs::read(report(&test, "xlsx", &[])).unwrap() == first);
    for (index, filter) in [(1, "A1:P7"), (2, "A1:M4"), (3, "A1:H3")] {
        let xml = sheet_xml(&path, index);
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(&format!(r#"<autoFilter ref="{filter}"/>"#)),
            "{xml}"
        );
        assert!(xml.contains("<cols>"), "widths are set");
        assert!(xml.contains(r#"orientation="landscape""#));
    }
}

#[test]
fn a_figure_from_a_workbook_is_placed_by_its_cell() {
    let mut submission = rust_xlsxwriter::Workbook::new();
    let sheet = submission.add_worksheet();
    sheet.set_name("填报表").unwrap();
    let rows = [
        ["reporter", "period", "metric", "value"],
        ["区生态环境分局", "2023", "受污染耕地安全利用率", "90%"],
        ["区生态环境分局", "2023", "农用地安全利用率", "100%"],
        ["区生态环境分局", "2023", "完成超低排放改造", "done"],
    ];
    for (r, row) in (0u32..).zip(rows) {
        for (c, value) in (0u16..).zip(row) {
            sheet.write_string(r, c, value).unwrap();
        }
    }
    let bytes = submission.save_to_buffer().unwrap();
    let test = Test::new().file("data/industry.yaml", crate::support::INDUSTRY_MET);
    std::fs::write(test.path().join("data/eco.xlsx"), bytes).unwrap();

    let path = report(&test, "xlsx", &[]);
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let findings = cells(&mut workbook, "问题清单");
    assert_eq!(findings.len(), 2);
    assert_eq!(
        findings[1][3],
        Data::String("data/eco.xlsx 填报表!D2".into())
    );
    let page = html(&test, &[]);
    assert!(page.contains("<td class=\"place\">data/eco.xlsx 填报表!D2</td>"));
}

#[test]
fn xlsx_as_the_format_goes_to_a_pipe_as_bytes() {
    let test = with_every_light();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args(["check", "--format", "xlsx", "data"])
        .current_dir(test.path())
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    // A zip archive, the same as the file `--report xlsx=` writes.
    assert!(output.stdout.starts_with(b"PK\x03\x04"));
    assert!(output.stdout == std::fs::read(report(&test, "xlsx", &[])).unwrap());
}
