//! Reading rule files and the source document, and checking quotes against it.

use super::{codes, covered, parse_files};
use crate::parse::load_plan;
use crate::source::{RuleFileId, SourceFile};
use std::fs;
use std::path::Path;

const SOURCE: &str = "32.深入推进环境污染防治。开展第三次全国土壤普查，\r\n加强农业面源污染治理，受污染耕地安全利用率稳定在91%以上，力争受污染耕地全部实现安全利用。\r\n";

/// A plan header naming `source`, and a task quoting `quotes`, one rule each.
fn plan_text(source: &str, quotes: &[&str]) -> String {
    let mut text = format!("plan \"甲\" {{\n    period 2023\n    source \"{source}\"\n}}\ntask 1 \"乙\" {{\n    lead 区统计局\n");
    for (i, quote) in quotes.iter().enumerate() {
        text.push_str(&format!("    指标{i} >= 1\n        from \"{quote}\"\n"));
    }
    text.push_str("}\n");
    text
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn quotes_must_occur_verbatim_in_the_source() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("seeds/plan.txt"), SOURCE);
    let plan_path = dir.path().join("rules/plan.plan");
    let text = plan_text(
        "../seeds/plan.txt",
        &[
            "受污染耕地安全利用率稳定在91%以上",
            "受污染耕地安全利用率稳定在90%以上",
        ],
    );
    // `rules/../seeds` resolves only if `rules` exists, as it does for a real plan.
    write(&plan_path, &text);
    let (plan, findings) = parse_files(vec![SourceFile::new(
        plan_path.display().to_string(),
        &text,
    )]);
    assert_eq!(codes(&findings), ["plancheck::plan::quote-not-found"]);
    let label = super::rule_loc(&findings[0].labels[0].loc);
    assert_eq!(
        covered(&text, label),
        "\"受污染耕地安全利用率稳定在90%以上\""
    );
    assert_eq!(
        findings[0].help.as_deref(),
        Some("原文中最接近的一段：“受污染耕地安全利用率稳定在91%以上”")
    );
    let source = plan.header.unwrap().source.unwrap();
    assert_eq!(source.written, "../seeds/plan.txt");
    // The source's line endings are normalised like the rule files'.
    assert!(!source.text.contains('\r'));
}

#[test]
fn an_unreadable_source_is_reported_at_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let text = plan_text("缺失.txt", &["随便一句"]);
    let plan_path = dir.path().join("a.plan");
    let (plan, findings) = parse_files(vec![SourceFile::new(
        plan_path.display().to_string(),
        &text,
    )]);
    assert_eq!(codes(&findings), ["plancheck::plan::source-unreadable"]);
    let label = super::rule_loc(&findings[0].labels[0].loc);
    assert_eq!(covered(&text, label), "\"缺失.txt\"");
    assert!(findings[0].message.ends_with("缺失.txt：文件不存在"));
    // Without a source there is nothing to verify quotes against.
    assert!(plan.header.unwrap().source.is_none());
}

#[test]
fn a_directory_is_read_recursively_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("seeds/plan.txt"), SOURCE);
    write(
        &dir.path().join("rules/00-header.plan"),
        "plan \"甲\" {\n    source \"../seeds/plan.txt\"\n}\n",
    );
    write(
        &dir.path().join("rules/b/20-tasks.plan"),
        "task 2 \"丙\" {\n    lead 乙\n    乙 >= 1 from \"力争受污染耕地全部实现安全利用\"\n}\n",
    );
    write(
        &dir.path().join("rules/a/10-tasks.plan"),
        "task 1 \"乙\" {\n    lead 甲\n    甲 >= 1 from \"不在原文中\"\n}\n",
    );
    write(&dir.path().join("rules/notes.txt"), "不是规则 >= ");
    let (plan, findings) = load_plan(&dir.path().join("rules"));
    let names: Vec<String> = plan
        .files
        .iter()
        .map(|f| {
            Path::new(&f.path)
                .strip_prefix(dir.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "rules/00-header.plan",
            "rules/a/10-tasks.plan",
            "rules/b/20-tasks.plan"
        ]
    );
    // The header is in one file, the quotes in others: all are checked against its source.
    assert_eq!(codes(&findings), ["plancheck::plan::quote-not-found"]);
    assert_eq!(
        super::rule_loc(&findings[0].labels[0].loc).file,
        RuleFileId(1)
    );
    let numbers: Vec<u32> = plan.tasks.iter().map(|t| t.number).collect();
    assert_eq!(numbers, [1, 2]);
}

#[test]
fn one_file_can_be_loaded_and_missing_paths_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.plan");
    write(&path, "task 1 \"甲\" {\r\n    lead 甲\r\n}\r\n");
    let (plan, findings) = load_plan(&path);
    assert_eq!((plan.tasks.len(), findings.len()), (1, 0));
    let (_, findings) = load_plan(&dir.path().join("missing.plan"));
    assert_eq!(codes(&findings), ["plancheck::files::not-found"]);
    assert!(findings[0].message.contains("missing.plan"));
    assert!(findings[0].labels.is_empty());
}

#[test]
fn a_directory_without_plan_files_has_no_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("readme.txt"), "");
    let (plan, findings) = load_plan(dir.path());
    assert_eq!(codes(&findings), ["plancheck::parse::no-rules"]);
    assert!(plan.files.is_empty());
}

#[test]
fn a_rule_file_that_is_not_utf8_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gbk.plan");
    fs::write(&path, [0xc8, 0xb7, 0xb1, 0xa3, 0xff]).unwrap();
    let (_, findings) = load_plan(dir.path());
    assert_eq!(codes(&findings), ["plancheck::parse::io"]);
    // 0xff is no GBK byte either, so no encoding is guessed.
    assert!(findings[0]
        .message
        .ends_with("不是 UTF-8 编码：第 1 行起无法解码"));
    fs::write(&path, b"# \n# \xc8\xb7\xb1\xa3\n").unwrap();
    let (_, findings) = load_plan(dir.path());
    assert!(
        findings[0]
            .message
            .ends_with("不是 UTF-8 编码：第 2 行起无法解码，疑似 GBK/GB18030 编码"),
        "{}",
        findings[0].message
    );
}

#[test]
fn skipped_passages_must_occur_verbatim_in_the_source_too() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("seeds/plan.txt"), SOURCE);
    let plan_path = dir.path().join("rules/plan.plan");
    let text = format!(
        "{}skip \"开展第三次全国土壤普查\" because \"普查没有数字目标\"\nskip \"开展第四次全国土壤普查\" because \"普查没有数字目标\"\n",
        plan_text("../seeds/plan.txt", &[])
    );
    write(&plan_path, &text);
    let (plan, findings) = parse_files(vec![SourceFile::new(
        plan_path.display().to_string(),
        &text,
    )]);
    assert_eq!(codes(&findings), ["plancheck::plan::quote-not-found"]);
    let (offset, line, column, width, covered_text) = super::label_at(&text, &findings[0], 0);
    assert_eq!(covered_text, "\"开展第四次全国土壤普查\"");
    assert_eq!(offset, text.rfind("\"开展第四次").unwrap());
    // `skip "` is 6 characters; the passage is 11 characters of three bytes and two quotes.
    assert_eq!((line, column, width), (9, 6, 11 * 3 + 2));
    assert_eq!(
        findings[0].help.as_deref(),
        Some("原文中最接近的一段：“开展第三次全国土壤普查”")
    );
    assert_eq!(plan.skips.len(), 2);
}
