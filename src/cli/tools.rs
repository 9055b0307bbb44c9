//! The rule-writer's commands: `lint`, `fmt` and `test`.

use super::{print, style, Color};
use crate::diagnostic::{Finding, Kind};
use crate::eval::Outcome;
use crate::files::list::PathList;
use crate::report::{self, Context};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// A .plan file or a directory of them.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Width of the report (default: $COLUMNS, else 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// Colour in the report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Do not write: print a diff of each file that would change, and exit 1 if any would.
    #[arg(long)]
    pub check: bool,
    /// .plan files or directories of them.
    #[arg(default_value = "rules")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// A .plan file or a directory of them.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Test files or directories of them (default: every *.plantest below the rules path).
    pub tests: Vec<PathBuf>,
    /// With a rules folder of several plans: test only this plan (its id). Test files named
    /// on the command line need it.
    #[arg(long)]
    pub plan: Option<String>,
    /// Width of the report (default: $COLUMNS, else 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// Colour in the report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Renders `findings` about `plan` as the human report does.
fn render(
    plan: &crate::model::Plan,
    findings: Vec<Finding>,
    style: report::human::Style,
) -> String {
    let outcome = Outcome {
        findings,
        ..Outcome::default()
    };
    let ctx = Context {
        plan,
        data_paths: &PathList::default(),
        outcome: &outcome,
        root: None,
    };
    report::human::render_findings(&ctx, style)
}

/// Broken rules stop a rule-writer's command: they are shown in their files, and the exit
/// code is 2. `None` when the rules read cleanly.
pub(super) fn refuse_broken_rules(
    files: &[crate::source::SourceFile],
    findings: Vec<Finding>,
    style: report::human::Style,
) -> Option<u8> {
    let broken: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.kind == Kind::Input)
        .collect();
    if broken.is_empty() {
        return None;
    }
    // Only the files are drawn from: a plan of them is made when there is something to draw.
    let plan = crate::model::Plan {
        files: files.to_vec(),
        ..crate::model::Plan::default()
    };
    eprint!("{}", render(&plan, broken, style));
    Some(2)
}

pub fn lint(args: &LintArgs) -> u8 {
    let style = style(args.width, args.color);
    let read = crate::parse::ReadOptions::default();
    // A rules folder of several plans is linted plan by plan, each against its own source.
    // Findings are drawn from the plan's files; the rules are only counted.
    let (plan, rules, findings, found) = match crate::plans::load_set(&args.rules, &read) {
        Some((set, findings)) => {
            let found = crate::plans::lint(&set);
            let rules = set.members.iter().map(|m| m.plan.rules.len()).sum();
            let plan = crate::model::Plan {
                files: set.files,
                ..crate::model::Plan::default()
            };
            (plan, rules, findings, found)
        }
        None => {
            let (plan, findings) = crate::parse::load_plan(&args.rules);
            let found = crate::lint::lint(&plan);
            let rules = plan.rules.len();
            (plan, rules, findings, found)
        }
    };
    if let Some(code) = refuse_broken_rules(&plan.files, findings, style) {
        return code;
    }
    if found.is_empty() {
        print(&format!("lint：{rules} 条规则，没有发现问题\n"));
        return 0;
    }
    let count = found.len();
    let mut text = render(&plan, found, style);
    text.push_str(&format!("lint：{rules} 条规则，{count} 个问题\n"));
    print(&text);
    1
}

pub fn fmt(args: &FmtArgs) -> u8 {
    let files = match files_with(&args.paths, "plan") {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let mut code = 0;
    let mut out = String::new();
    for path in &files {
        let shown = path.display().to_string();
        let text = match crate::files::read_text(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: 无法读取 {shown}：{e}");
                code = 2;
                continue;
            }
        };
        let formatted = match crate::fmt::format(&text) {
            Ok(formatted) => formatted,
            Err(_) => {
                // The parser says what is wrong, at the line, as `check` would.
                let file = crate::source::SourceFile::new(shown.clone(), &text);
                let (plan, findings) = crate::parse::parse_files(vec![file]);
                let broken = findings
                    .into_iter()
                    .filter(|f| f.kind == Kind::Input)
                    .collect();
                eprint!("{}", render(&plan, broken, style(None, Color::Auto)));
                eprintln!("error: {shown} 有语法错误，未格式化");
                code = 2;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if args.check {
            let diff = similar::TextDiff::from_lines(&text, &formatted);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&shown, &format!("{shown}（格式化后）"))
                    .to_string(),
            );
            code = code.max(1);
        } else if let Err(e) = std::fs::write(path, &formatted) {
            eprintln!("error: 无法写入 {shown}：{e}");
            code = 2;
        }
    }
    print(&out);
    if args.check && code == 1 {
        eprintln!("有文件未按规范格式化；运行 `plancheck fmt` 改写");
    }
    code
}

/// Every file below `roots` whose extension is `extension` (a root that is a file is taken as
/// it is), sorted. The walk follows the file policy of every other command (`files::walk`):
/// links only inside the roots, loops and unreadable folders named. Its first problem is
/// the error.
fn files_with(roots: &[PathBuf], extension: &str) -> Result<Vec<PathBuf>, String> {
    let wanted = |p: &std::path::Path| p.extension().is_some_and(|e| e == extension);
    let walk = crate::files::walk::walk(roots, &wanted);
    if let Some(problem) = walk.findings.into_iter().next() {
        return Err(problem.message);
    }
    let mut files = walk.files;
    files.sort();
    Ok(files)
}

pub fn test(args: &TestArgs) -> u8 {
    let style = style(args.width, args.color);
    if let Some((set, findings)) =
        crate::plans::load_set(&args.rules, &crate::parse::ReadOptions::default())
    {
        return test_set(args, set, findings, style);
    }
    let (plan, findings) = crate::parse::load_plan(&args.rules);
    if let Some(code) = refuse_broken_rules(&plan.files, findings, style) {
        return code;
    }
    let roots = if args.tests.is_empty() {
        // Beside the rules: below the rules directory, or the directory of a single file.
        let dir = if args.rules.is_dir() {
            args.rules.clone()
        } else {
            args.rules
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
        };
        vec![dir]
    } else {
        args.tests.clone()
    };
    let files = match test_files(&roots) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let (text, code) = run_tests(&plan, &files, style);
    print(&text);
    code
}

/// Every `*.plantest` below `roots`, sorted; 2 when one cannot be listed or there is none.
fn test_files(roots: &[PathBuf]) -> Result<Vec<PathBuf>, u8> {
    let files = files_with(roots, "plantest").map_err(|message| {
        eprintln!("error: {message}");
        2
    })?;
    if files.is_empty() {
        eprintln!(
            "error: {} 下没有测试文件（*.plantest）",
            roots
                .first()
                .map(|r| r.display().to_string())
                .unwrap_or_default()
        );
        return Err(2);
    }
    Ok(files)
}

/// `test` on a rules folder of several plans: each plan runs the tests below its own folder,
/// or with `--plan` one plan runs its tests (or the test files named).
fn test_set(
    args: &TestArgs,
    set: crate::plans::PlanSet,
    findings: Vec<Finding>,
    style: report::human::Style,
) -> u8 {
    if let Some(code) = refuse_broken_rules(&set.files, findings, style) {
        return code;
    }
    let roots = if args.tests.is_empty() {
        vec![args.rules.clone()]
    } else {
        args.tests.clone()
    };
    let files = match test_files(&roots) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let per_plan = set.test_files(&files);
    let chosen: Vec<(crate::plans::Member, Vec<PathBuf>)> =
        match (args.plan.as_deref(), args.tests.is_empty()) {
            (None, true) => set.members.into_iter().zip(per_plan).collect(),
            // Test files named on the command line are for one plan: which, `--plan` says.
            (id, below_rules) => {
                let at = id.and_then(|id| set.members.iter().position(|m| m.id == id));
                match set.select(id) {
                    Ok(member) => {
                        let files = if below_rules {
                            at.and_then(|i| per_plan.get(i).cloned())
                                .unwrap_or_default()
                        } else {
                            files
                        };
                        vec![(member, files)]
                    }
                    Err(message) => {
                        eprintln!("error: {message}");
                        return 2;
                    }
                }
            }
        };
    let mut text = String::new();
    let mut code = 0;
    for (i, (member, files)) in chosen.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&format!("计划「{}」\n", member.id));
        if files.is_empty() {
            text.push_str("没有测试文件（*.plantest）\n");
            continue;
        }
        let (report, result) = run_tests(&member.plan, files, style);
        text.push_str(&report);
        code = code.max(result);
    }
    print(&text);
    code
}

/// Runs the rule tests in `files` against `plan`: the report and its exit code.
fn run_tests(
    plan: &crate::model::Plan,
    files: &[PathBuf],
    style: report::human::Style,
) -> (String, u8) {
    let run = crate::ruletest::run(plan, files);
    let code = if run.findings.iter().any(|f| f.kind == Kind::Input) {
        2
    } else {
        u8::from(run.failed > 0)
    };
    let outcome = Outcome {
        findings: run.findings,
        ..Outcome::default()
    };
    let data_paths: PathList = files.iter().collect();
    let ctx = Context {
        plan,
        data_paths: &data_paths,
        outcome: &outcome,
        root: None,
    };
    let mut text = report::human::render_findings(&ctx, style);
    text.push_str(&format!(
        "test：{} 个文件，{} 个测试，{} 条预期，{} 条未通过\n",
        files.len(),
        run.cases,
        run.expectations,
        run.failed
    ));
    (text, code)
}
