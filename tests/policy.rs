//! One policy step: the exit code, the JSON `summary.exit_code` and the status of the
//! Markdown and HTML reports agree under every `--fail-on` and `--deny`.

use crate::support::{with_eco, with_industry, with_met, Test, ECO_MET, INDUSTRY_MET};

/// The status line of a Markdown job summary: the line after the title.
fn markdown_status(markdown: &str) -> &str {
    markdown
        .lines()
        .find(|l| l.starts_with(['✅', '❌', '⚠', '🛑']))
        .unwrap_or_else(|| panic!("no status line in\n{markdown}"))
}

/// The HTML dashboard's status text and its colour class.
fn html_status(html: &str) -> (String, String) {
    let start = html
        .find("class=\"status ")
        .unwrap_or_else(|| panic!("{html}"));
    let rest = &html[start + "class=\"status ".len()..];
    let (class, rest) = rest.split_once('"').unwrap();
    let text = rest[rest.find('>').unwrap() + 1..rest.find('<').unwrap()].to_owned();
    (class.to_owned(), text)
}

/// Runs `check --format json` with the Markdown and HTML reports beside it under `policy`,
/// and returns (process exit code, JSON exit code, Markdown status, HTML status).
fn statuses(test: &Test, policy: &[&str]) -> (i32, i64, String, (String, String)) {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--report",
        "markdown=out.md",
        "--report",
        "html=out.html",
    ];
    args.extend_from_slice(policy);
    args.push("data");
    let output = test.run_with(&args);
    let json: serde_json::Value = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", output.stdout, output.stderr));
    let read = |name: &str| std::fs::read_to_string(test.path().join(name)).unwrap();
    (
        output.status,
        json["summary"]["exit_code"].as_i64().unwrap(),
        markdown_status(&read("out.md")).to_owned(),
        html_status(&read("out.html")),
    )
}

const POLICIES: [&[&str]; 6] = [
    &[],
    &["--fail-on", "warning"],
    &["--fail-on", "never"],
    &["--deny", "warnings"],
    &["--deny", "warnings", "--fail-on", "never"],
    &["--deny", "warnings", "--fail-on", "warning"],
];

fn table(test: &Test) -> Vec<(i32, String, (String, String))> {
    POLICIES
        .iter()
        .map(|policy| {
            let (status, json, markdown, html) = statuses(test, policy);
            assert_eq!(i64::from(status), json, "{policy:?}");
            (status, markdown, html)
        })
        .collect()
}

fn row(status: i32, markdown: &str, class: &str, html: &str) -> (i32, String, (String, String)) {
    (
        status,
        markdown.to_owned(),
        (class.to_owned(), html.to_owned()),
    )
}

#[test]
fn an_unmet_must_target_fails_unless_fail_on_never() {
    let test = with_eco(&ECO_MET.replace("\"92.3%\"", "\"90.96%\""));
    let failing = row(1, "❌ **1 项错误**，0 项警告", "r", "1 项错误，0 项警告");
    let never = row(
        0,
        "⚠️ **1 项错误**，0 项警告（`--fail-on never`：不判为失败）",
        "y",
        "1 项错误，0 项警告（--fail-on never：不判为失败）",
    );
    assert_eq!(
        table(&test),
        [
            failing.clone(),
            failing.clone(),
            never.clone(),
            failing.clone(),
            never,
            failing
        ]
    );
}

#[test]
fn a_missed_strive_target_fails_under_deny_or_fail_on_warning() {
    let test = with_industry(&INDUSTRY_MET.replace("\"4,600,000万元\"", "\"0.29亿元\""));
    let warning = row(0, "⚠️ **无错误**，1 项警告", "y", "无错误，1 项警告");
    let fail_on_warning = row(
        1,
        "❌ **1 项警告**（`--fail-on warning`：警告也判为失败）",
        "r",
        "1 项警告（--fail-on warning：警告也判为失败）",
    );
    let denied = row(1, "❌ **1 项错误**，0 项警告", "r", "1 项错误，0 项警告");
    let denied_never = row(
        0,
        "⚠️ **1 项错误**，0 项警告（`--fail-on never`：不判为失败）",
        "y",
        "1 项错误，0 项警告（--fail-on never：不判为失败）",
    );
    assert_eq!(
        table(&test),
        [
            warning.clone(),
            fail_on_warning,
            warning,
            denied.clone(),
            denied_never,
            denied
        ]
    );
}

#[test]
fn broken_input_is_two_under_every_policy() {
    let test = Test::new().file("data/eco.json", "{\"reporter\": ");
    for (status, markdown, (class, _)) in table(&test) {
        assert_eq!(
            (status, markdown.as_str(), class.as_str()),
            (
                2,
                "🛑 **输入有误**：规则或填报文件无法读取，结果不完整",
                "r"
            )
        );
    }
}

#[test]
fn a_clean_run_is_zero_under_every_policy() {
    for (status, markdown, (class, html)) in table(&with_met()) {
        assert_eq!(
            (status, markdown.as_str(), class.as_str(), html.as_str()),
            (0, "✅ **全部达标**", "g", "全部达标")
        );
    }
}
