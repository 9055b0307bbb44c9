//! SARIF as GitHub code scanning reads it: rule help, fingerprints that survive edits, paths
//! relative to the repository root, linked related places, the result limit and broken input.
//! `.ci/run` also runs Microsoft's sarif-multitool (GitHub rule set) on these logs.

use crate::support::{run_in, Test, ECO_MET, INDUSTRY_MET, PLAN, SOURCE};
use serde_json::{json, Value};

fn sarif_in(dir: &std::path::Path, args: &[&str]) -> (i32, Value) {
    let output = run_in(dir, &[&["check", "--format", "sarif"], args].concat());
    assert!(output.stderr.is_empty(), "{}", output.stderr);
    let log = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", output.stdout));
    (output.status, log)
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

fn result<'a>(log: &'a Value, rule_id: &str) -> &'a Value {
    results(log)
        .iter()
        .find(|r| r["ruleId"] == rule_id)
        .unwrap_or_else(|| panic!("no result of {rule_id}"))
}

fn unmet_eco() -> String {
    ECO_MET.replace("\"92.3%\"", "\"90.96%\"")
}

#[test]
fn every_rule_has_descriptions_and_help_from_its_codes() {
    let test = Test::new()
        .file("data/eco.yaml", &(unmet_eco() + "  未列指标: 1\n"))
        .file("data/industry.yaml", INDUSTRY_MET);
    let (_, log) = sarif_in(test.path(), &["data"]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), 7);
    for rule in rules {
        for key in ["shortDescription", "fullDescription"] {
            assert!(!rule[key]["text"].as_str().unwrap().is_empty(), "{rule}");
        }
        for key in ["text", "markdown"] {
            assert!(!rule["help"][key].as_str().unwrap().is_empty(), "{rule}");
        }
    }
    // A plan rule: its target, task and quote, then the explain entry of each code it got.
    assert_eq!(
        rules[0]["help"]["text"],
        "确保目标：受污染耕地安全利用率 >= 91%\n\
         任务32「深入推进环境污染防治」，牵头单位：区生态环境分局、区水务局\n\
         原文：“受污染耕地安全利用率稳定在91%以上”\n\n\
         目标未完成（plancheck::check::unmet）：The reported figure does not meet the target. \
         Must-targets (确保) are errors, strive-targets (力争) warnings."
    );
    assert_eq!(
        rules[0]["help"]["markdown"],
        "**确保目标**：`受污染耕地安全利用率 >= 91%`\n\n\
         任务32「深入推进环境污染防治」，牵头单位：区生态环境分局、区水务局\n\n\
         > 受污染耕地安全利用率稳定在91%以上\n\n\
         **目标未完成**（`plancheck::check::unmet`）：The reported figure does not meet the \
         target. Must-targets (确保) are errors, strive-targets (力争) warnings."
    );
    // A code: `plancheck explain`'s summary and reason.
    let unknown = &rules[6];
    assert_eq!(unknown["id"], "plancheck::check::unknown-metric");
    let explain = test.run_with(&["explain", "check::unknown-metric"]).stdout;
    let why = explain.trim_end().rsplit("\n\n").next().unwrap();
    assert_eq!(unknown["shortDescription"]["text"], "未知指标");
    assert_eq!(unknown["fullDescription"]["text"], why);
    assert_eq!(
        unknown["help"]["text"],
        format!("未知指标\n\n{why}\n\n详见 `plancheck explain plancheck::check::unknown-metric`")
    );
}

#[test]
fn fingerprints_survive_edits_and_tell_results_apart() {
    let fingerprint = |eco: &str| {
        let test = Test::new()
            .file("data/eco.yaml", eco)
            .file("data/industry.yaml", INDUSTRY_MET);
        let (_, log) = sarif_in(test.path(), &["data"]);
        result(&log, "T32.受污染耕地安全利用率")["partialFingerprints"].clone()
    };
    let before = fingerprint(&unmet_eco());
    assert_eq!(before.as_object().unwrap().len(), 1);
    assert!(
        before["plancheck/v1"].as_str().unwrap().len() == 16,
        "{before}"
    );
    // Another figure, a comment above and another unmet value: the same alert.
    let edited = unmet_eco()
        .replace("90.96%", "90.5%")
        .replace("figures:\n", "# 已核对\nfigures:\n");
    assert_eq!(fingerprint(&edited), before);
    // Another reporter's figure is another alert.
    let water = unmet_eco().replace("区生态环境分局", "区水务局");
    assert_ne!(fingerprint(&water), before);
}

/// A repository (`.git`) with the plan and data in `sub/`.
fn repository() -> Test {
    Test::empty()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("sub/rules/plan.plan", PLAN)
        .file("sub/rules/source.txt", SOURCE)
        .file("sub/data/eco.yaml", unmet_eco())
        .file("sub/data/industry.yaml", INDUSTRY_MET)
}

fn located(log: &Value) -> (Value, Value, Value) {
    let unmet = result(log, "T32.受污染耕地安全利用率");
    (
        unmet["locations"][0]["physicalLocation"]["artifactLocation"].clone(),
        unmet["relatedLocations"][0]["physicalLocation"]["artifactLocation"].clone(),
        log["runs"][0]["originalUriBaseIds"].clone(),
    )
}

#[test]
fn paths_are_relative_to_the_repository_root_from_any_folder() {
    let test = repository();
    let root = test.path().canonicalize().unwrap();
    let expected = (
        json!({"uri": "sub/data/eco.yaml", "uriBaseId": "SRCROOT"}),
        json!({"uri": "sub/rules/plan.plan", "uriBaseId": "SRCROOT"}),
        json!({"SRCROOT": {"uri": format!("file://{}/", root.display())}}),
    );
    let sub = root.join("sub");
    // From the subdirectory, with `./` and a doubled separator.
    let (_, log) = sarif_in(&sub, &["--rules", "./rules", "data//"]);
    assert_eq!(located(&log), expected);
    // From the root.
    let (_, log) = sarif_in(&root, &["--rules", "sub/rules", "sub/rules/../data"]);
    assert_eq!(located(&log), expected);
    // Absolute paths from elsewhere, with --root.
    let rules = sub.join("rules");
    let data = sub.join("data");
    let (_, log) = sarif_in(
        &data,
        &[
            "--root",
            root.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            data.to_str().unwrap(),
        ],
    );
    assert_eq!(located(&log), expected);
}

#[test]
fn a_conflict_links_the_other_value_and_the_rule_line() {
    let water = unmet_eco()
        .replace("区生态环境分局", "区水务局")
        .replace("90.96%", "93%");
    let test = Test::new()
        .file("data/eco.yaml", unmet_eco())
        .file("data/industry.yaml", INDUSTRY_MET)
        .file("data/water.yaml", &water);
    let (_, log) = sarif_in(test.path(), &["data"]);
    let conflict = result(&log, "T32.受污染耕地安全利用率");
    assert_eq!(conflict["properties"]["code"], "plancheck::check::conflict");
    let message = conflict["message"]["text"].as_str().unwrap();
    assert!(
        message.ends_with("（见[区水务局报送 93%](0)、[目标在此设定](1)）"),
        "{message}"
    );
    let related: Vec<(u64, &str, u64)> = conflict["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let physical = &r["physicalLocation"];
            (
                r["id"].as_u64().unwrap(),
                physical["artifactLocation"]["uri"].as_str().unwrap(),
                physical["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [(0, "data/water.yaml", 4), (1, "rules/plan.plan", 11)]
    );
}

#[test]
fn brackets_in_a_linked_message_are_escaped() {
    let test = Test::new()
        .file(
            "data/eco.yaml",
            ECO_MET.replace("\"92.3%\"", "\"[草稿](0)\""),
        )
        .file("data/industry.yaml", INDUSTRY_MET);
    let (_, log) = sarif_in(test.path(), &["data"]);
    let invalid = result(&log, "T32.受污染耕地安全利用率");
    let message = invalid["message"]["text"].as_str().unwrap();
    assert!(message.contains("\\[草稿\\](0)"), "{message}");
    assert!(message.ends_with("[目标在此设定](0)）"), "{message}");
}

#[test]
fn broken_data_is_reported_as_results_not_an_empty_log() {
    let test = Test::new().file("data/eco.json", "{\"reporter\": ");
    let (status, log) = sarif_in(test.path(), &["data"]);
    assert_eq!(status, 2);
    let first = &results(&log)[0];
    assert_eq!(
        (&first["ruleId"], &first["level"]),
        (&json!("plancheck::load::syntax"), &json!("error"))
    );
}

/// An unmet must-target and `extra` figures of metrics no rule checks (a warning each).
pub fn with_unknown_metrics(extra: usize) -> Test {
    let mut eco = unmet_eco();
    for i in 0..extra {
        eco.push_str(&format!("  未列指标{i}: {i}\n"));
    }
    Test::new()
        .file("data/eco.yaml", &eco)
        .file("data/industry.yaml", INDUSTRY_MET)
}

#[test]
fn the_log_keeps_the_most_severe_25000_results_and_says_how_many_were_left_out() {
    let test = with_unknown_metrics(30_000);
    // The job summary of the same run: within GitHub's 1 MiB, its details cut with a note.
    let (status, log) = sarif_in(test.path(), &["--report", "markdown=out.md", "data"]);
    let markdown = std::fs::read_to_string(test.path().join("out.md")).unwrap();
    assert!(markdown.len() <= 1_000_000, "{}", markdown.len());
    assert!(markdown.len() > 900_000, "{}", markdown.len());
    assert_eq!(markdown.matches("<details>").count(), 2);
    assert_eq!(markdown.matches("</details>").count(), 2);
    assert!(markdown.contains("| ❌ | 32 | 受污染耕地安全利用率 |"));
    let listed = markdown.matches("\n- ⚠️ 未知指标").count();
    let note = format!(
        "\n另有 {} 项未列出：任务摘要不能超过 1 MiB，完整结果见 JSON 报告（`plancheck::report::truncated`）\n",
        30_000 - listed
    );
    assert!(markdown.contains(&note), "{listed}");
    assert!(markdown.ends_with(&format!("{note}\n</details>\n\n")));
    assert_eq!(status, 1);
    let results = results(&log);
    assert_eq!(results.len(), 25_000);
    // The one error comes first, whatever the order of the human report.
    assert_eq!(results[0]["ruleId"], "T32.受污染耕地安全利用率");
    assert_eq!(results[0]["level"], "error");
    let last = &results[24_999];
    assert_eq!(last["ruleId"], "plancheck::report::truncated");
    assert_eq!(last["level"], "note");
    // 30,000 unknown metrics and one unmet target; 24,999 kept.
    assert_eq!(last["properties"]["leftOut"], 30_001 - 24_999);
    assert_eq!(
        last["message"]["text"],
        "结果过多：GitHub 每次最多接收 25000 条，另有 5002 条较轻的结果未列出；完整结果见 JSON 或 Markdown 报告"
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules[last["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "plancheck::report::truncated"
    );
}

/// The `title=` of every annotation line.
fn titles(github: &str) -> Vec<String> {
    github
        .lines()
        .map(|l| {
            let (level, rest) = l.split_once(' ').unwrap();
            let title = rest
                .split_once("title=")
                .unwrap()
                .1
                .split_once("::")
                .unwrap()
                .0;
            format!("{level} {title}")
        })
        .collect()
}

#[test]
fn annotations_put_broken_input_and_unmet_must_targets_first() {
    let test = Test::new()
        .file("data/eco.yaml", &(unmet_eco() + "  未列指标: 1\n"))
        .file("data/industry.json", "{\"reporter\": ");
    let output = test.run_with(&["check", "--format", "github", "data"]);
    assert_eq!(output.status, 2);
    assert_eq!(
        titles(&output.stdout),
        [
            "::error 填报文件语法错误",
            "::error 未达标：受污染耕地安全利用率",
            "::warning 未知指标",
            // Missing because industry.json could not be read: last.
            "::warning 未报送：造纸包装产业营业收入",
            "::error 未报送：培育主要农作物新品种",
            "::error 未报送：新增城镇就业",
            "::notice plancheck 汇总",
        ]
    );
    assert_eq!(
        output.stdout.lines().last().unwrap(),
        "::notice title=plancheck 汇总::4 项错误，2 项警告，其中 1 项输入有误；退出码 2。\
         注释每步最多显示 10 条错误和 10 条警告，完整结果见本次运行的 Summary 页（Markdown 报告）"
    );
}

#[test]
fn annotation_paths_are_relative_to_the_repository_root() {
    let test = repository();
    let sub = test.path().join("sub");
    let output = run_in(
        &sub,
        &["check", "--format", "github", "--rules", "./rules", "data"],
    );
    let first = output.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=sub/data/eco.yaml,line=4,col=15,endColumn=23,"),
        "{first}"
    );
}

#[test]
fn the_job_summary_escapes_markdown_in_names_and_values() {
    let industry = INDUSTRY_MET.replace("\"4,512人\"", "\"<b>_x_</b>\\r*`y`*|\"");
    let test = Test::new()
        .file("data/eco.yaml", ECO_MET)
        .file("data/industry.yaml", &industry);
    let output = test.run_with(&["check", "--format", "markdown", "data"]);
    let row = output
        .stdout
        .lines()
        .find(|l| l.contains("新增城镇就业"))
        .unwrap();
    assert_eq!(
        row,
        // HTML as entities, Markdown syntax behind a backslash, the CR shown as `\u{d}` (see
        // `report::escape`): one row, rendered as written.
        r"| ❌ | 6 | 新增城镇就业 | `>= 4,000 人` | “&lt;b&gt;\_x\_&lt;/b&gt;\\u{d}\*\`y\`\*\|” | 无效 | 区工业和信息化局 | 2023 | `data/industry.yaml:6` |"
    );
}
