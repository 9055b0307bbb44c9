//! The rule-writer's commands: `lint`, `fmt` and `test`.

use super::{print, style, Color};
use crate::diagnostic::{Finding, Kind};
use crate::eval::Outcome;
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
        data_paths: &[],
        outcome: &outcome,
    };
    report::human::render_findings(&ctx, style)
}

pub fn lint(args: &LintArgs) -> u8 {
    let style = style(args.width, args.color);
    let (plan, findings) = crate::parse::load_plan(&args.rules);
    let broken: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.kind == Kind::Input)
        .collect();
    if !broken.is_empty() {
        eprint!("{}", render(&plan, broken, style));
        return 2;
    }
    let found = crate::lint::lint(&plan);
    if found.is_empty() {
        print(&format!(
            "lint：{} 条规则，没有发现问题\n",
            plan.rules.len()
        ));
        return 0;
    }
    let count = found.len();
    let mut text = render(&plan, found, style);
    text.push_str(&format!(
        "lint：{} 条规则，{count} 个问题\n",
        plan.rules.len()
    ));
    print(&text);
    1
}

pub fn fmt(_args: &FmtArgs) -> u8 {
    0
}

pub fn test(_args: &TestArgs) -> u8 {
    0
}
