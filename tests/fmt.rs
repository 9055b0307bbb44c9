//! `plancheck fmt`: rewrites files in the canonical layout; `--check` prints a diff and fails.

use crate::support::{repo_root, run_in, Test};

const LOOSE: &str = "task 1 \"乙\" {\n\tlead 区科技局、区统计局\n    \"新增企业\" ≥ 1,000 家 from \"新增企业1000家以上\"  # 注\n}\n";
const TIDY: &str = "task 1 \"乙\" {\n    lead 区科技局, 区统计局\n    新增企业 >= 1000 家  # 注\n        from \"新增企业1000家以上\"\n}\n";

#[test]
fn check_prints_a_diff_and_fails_without_writing() {
    let test = Test::empty()
        .file("rules/a.plan", LOOSE)
        .file("rules/b.plan", TIDY);
    let output = test.run_with(&["fmt", "--check", "rules"]);
    assert_eq!(output.status, 1);
    insta::assert_snapshot!(output.stdout);
    assert_eq!(
        output.stderr,
        "有文件未按规范格式化；运行 `plancheck fmt` 改写\n"
    );
    let unchanged = std::fs::read_to_string(test.path().join("rules/a.plan")).unwrap();
    assert_eq!(unchanged, LOOSE);
}

#[test]
fn fmt_rewrites_then_check_passes() {
    let test = Test::empty().file("rules/a.plan", LOOSE);
    let output = test.run_with(&["fmt", "rules"]);
    assert_eq!((output.status, output.stdout.as_str()), (0, ""));
    let written = std::fs::read_to_string(test.path().join("rules/a.plan")).unwrap();
    assert_eq!(written, TIDY);
    let output = test.run_with(&["fmt", "--check", "rules/a.plan"]);
    assert_eq!((output.status, output.stdout.as_str()), (0, ""));
}

#[test]
fn a_file_with_a_syntax_error_is_reported_and_left_alone() {
    let broken = "task 1 \"乙\" {\n    lead 区科技局\n    X >= 九 个\n}\n";
    let test = Test::empty().file("rules/a.plan", broken);
    let output = test.run_with(&["fmt", "--check", "rules"]);
    assert_eq!(output.status, 2);
    assert!(
        output.stderr.contains("plancheck::parse::syntax"),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stderr
            .ends_with("error: rules/a.plan 有语法错误，未格式化\n"),
        "{}",
        output.stderr
    );
    let output = test.run_with(&["fmt", "rules/missing.plan"]);
    assert_eq!(output.status, 2);
    assert_eq!(output.stderr, "error: 找不到 rules/missing.plan\n");
}

/// `fmt` lists a folder by the same file policy as `check`: a link to a plan inside the folder
/// is formatted once, and a dangling link is named instead of passed over.
#[cfg(unix)]
#[test]
fn fmt_walks_a_folder_by_the_file_policy() {
    let test = Test::empty().file("rules/a.plan", "plan \"甲\" {\n    period 2023\n}\n");
    std::os::unix::fs::symlink("a.plan", test.path().join("rules/b.plan")).unwrap();
    let output = test.run_with(&["fmt", "--check", "rules"]);
    assert_eq!((output.status, output.stderr.as_str()), (0, ""));
    std::os::unix::fs::symlink("gone.plan", test.path().join("rules/c.plan")).unwrap();
    let output = test.run_with(&["fmt", "--check", "rules"]);
    assert_eq!(output.status, 2);
    assert_eq!(
        output.stderr,
        "error: 符号链接 rules/c.plan 指向的 gone.plan 不存在（悬空链接）\n"
    );
}

#[test]
fn the_shipped_rules_are_formatted() {
    let output = run_in(&repo_root(), &["fmt", "--check", "rules"]);
    assert_eq!(output.stdout, "", "run `cargo run -- fmt rules`");
    assert_eq!(output.status, 0);
}
