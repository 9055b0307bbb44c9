//! The command line: a thin shell over the library.

use crate::diagnostic::{Finding, Kind, Severity};
use crate::eval::{self, CheckOptions, Outcome};
use crate::report::{self, Context};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Checks the figures departments report against the targets of a work plan.
#[derive(Debug, Parser)]
#[command(name = "plancheck", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check submitted figures against the plan's rules.
    ///
    /// Exit codes: 0 no error-level finding; 1 at least one (a must-target behind, overdue,
    /// unmet, missing or invalid, or any warning under --deny warnings); 2 the rules, a data
    /// file or the command line is broken.
    Check(CheckArgs),
    /// Explain a diagnostic code, or list them all.
    Explain {
        /// A code such as plancheck::check::unmet (the plancheck:: prefix may be left out).
        code: Option<String>,
    },
    /// Print a JSON Schema.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
    /// Write a ready-to-fill submission for one department: every metric it reports, with
    /// unit and target.
    Template(TemplateArgs),
    /// List the targets of the plan's source text that no rule cites, rules that cite no
    /// sentence, and the passages skipped on purpose.
    ///
    /// Exit codes: 0 every target-like statement is covered or skipped and every rule cites
    /// the source; 1 otherwise; 2 the rules are broken or the plan names no source.
    Coverage(CoverageArgs),
}

#[derive(Debug, clap::Args)]
pub struct CoverageArgs {
    /// A .plan file or a directory of them.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Output format: human (diagnostics on the source text and a summary) or json.
    #[arg(long, default_value = "human", value_parser = ["human", "json"])]
    pub format: String,
    /// Width of the human report (default: $COLUMNS, else 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// The department (牵头单位) the template is for, e.g. 区科技局.
    #[arg(long)]
    pub lead: String,
    /// Reporting period: 2023, 2023-06, 2023-Q3, 2023-H1 (default: the plan's period).
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long, value_enum, default_value_t = TemplateKind::Yaml)]
    pub format: TemplateKind,
    /// A .plan file or a directory of them.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Write to this file instead of standard output (required for xlsx on a terminal).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateKind {
    Yaml,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The JSON report of `check --format json`.
    Report,
    /// A submission file (JSON; YAML and TOML have the same shape).
    Submission,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics and a summary in Chinese, for people.
    Human,
    /// A stable JSON report (see `plancheck schema report`).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// JUnit XML: one testsuite per task, one testcase per rule and period.
    Junit,
    /// GitHub Actions workflow commands (::error file=…).
    Github,
    /// A Markdown summary, e.g. for $GITHUB_STEP_SUMMARY.
    Markdown,
}

impl Format {
    fn render(self, ctx: &Context<'_>, style: report::human::Style) -> String {
        match self {
            Format::Human => report::human::render(ctx, style),
            Format::Json => report::json::render(ctx),
            Format::Sarif => report::sarif::render(ctx),
            Format::Junit => report::junit::render(ctx),
            Format::Github => report::github::render(ctx),
            Format::Markdown => report::markdown::render(ctx),
        }
    }
}

/// Which findings fail the run (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Error-level findings (default).
    Error,
    /// Warnings too.
    Warning,
    /// Nothing: exit 0 unless the input is broken (2).
    Never,
}

/// `--report FORMAT=PATH`: one more report, written to a file.
#[derive(Debug, Clone)]
pub struct ReportTarget {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse()
        .map_err(|_| format!("expected a date such as 2023-06-30, got `{text}`"))
}

fn parse_percent(text: &str) -> Result<rust_decimal::Decimal, String> {
    let number = text.trim().trim_end_matches('%');
    number
        .parse::<rust_decimal::Decimal>()
        .ok()
        .filter(|d| !d.is_sign_negative())
        .ok_or_else(|| format!("expected a percentage such as 5%, got `{text}`"))
}

fn parse_report_target(text: &str) -> Result<ReportTarget, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH, e.g. sarif=out.sarif, got `{text}`"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!(
            "unknown report format `{format}`; one of human, json, sarif, junit, github, markdown"
        )
    })?;
    if path.is_empty() {
        return Err(format!("missing path after `{format:?}=`"));
    }
    Ok(ReportTarget {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lint {
    /// Treat warnings (strive targets, unknown metrics, …) as errors.
    Warnings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// A .plan file or a directory of them.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// `--deny warnings` makes every warning an error, as clippy's -D warnings does.
    #[arg(long, value_enum)]
    pub deny: Option<Lint>,
    /// Also write a report to a file: `--report sarif=out.sarif --report junit=out.xml`.
    /// May be repeated; the terminal output (--format) is unaffected.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report_target)]
    pub reports: Vec<ReportTarget>,
    /// The evaluation date, YYYY-MM-DD (default: the end of the latest period in the data).
    /// Figures of later periods are not checked.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<jiff::civil::Date>,
    /// The on-track band for cumulative targets before their deadline, e.g. 5% (default: the
    /// plan's `tolerance`, else 0).
    #[arg(long, value_parser = parse_percent)]
    pub tolerance: Option<rust_decimal::Decimal>,
    /// Which findings make the exit code 1. Broken input is always 2.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Width of the human report (default: $COLUMNS, else 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Data files or directories of them (.json, .yaml, .yml, .toml, .csv, .xlsx).
    #[arg(default_value = "examples")]
    pub data: Vec<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Schema { which } => {
            let text = match which {
                SchemaKind::Report => report::json::schema(),
                SchemaKind::Submission => crate::load::schema::submission_schema(),
            };
            print(&text)
        }
        Command::Template(args) => template(&args),
        Command::Coverage(args) => coverage(&args),
    }
}

/// The human report's style from `--width` and `--color`: the width falls back to $COLUMNS,
/// then 100; `auto` colours a terminal unless NO_COLOR is set.
fn style(width: Option<usize>, color: Color) -> report::human::Style {
    let width = width
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(100);
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    report::human::Style { width, color }
}

fn coverage(args: &CoverageArgs) -> u8 {
    let style = style(args.width, args.color);
    let (plan, findings) = crate::parse::load_plan(&args.rules);
    let broken: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.kind == Kind::Input)
        .collect();
    if !broken.is_empty() {
        // Coverage of a half-read plan would list targets its broken rules do encode.
        let outcome = Outcome {
            findings: broken,
            ..Outcome::default()
        };
        let ctx = Context {
            plan: &plan,
            data_paths: &[],
            outcome: &outcome,
        };
        eprint!("{}", report::human::render_findings(&ctx, style));
        return 2;
    }
    match crate::coverage::analyze(&plan) {
        Ok(coverage) => {
            print(&match args.format.as_str() {
                "json" => crate::coverage::render_json(&coverage),
                _ => crate::coverage::render_human(&coverage, &plan, style),
            });
            coverage.exit_code()
        }
        Err(no_source) => {
            eprint!(
                "{}",
                crate::coverage::render_no_source(&no_source, &plan, style)
            );
            2
        }
    }
}

fn template(args: &TemplateArgs) -> u8 {
    let (plan, findings) = crate::parse::load_plan(&args.rules);
    if let Some(broken) = findings.iter().find(|f| f.kind == Kind::Input) {
        eprintln!(
            "error: 规则有误（{}）：{}；先运行 `plancheck check` 查看详情",
            broken.code, broken.message
        );
        return 2;
    }
    let period = match args
        .period
        .as_deref()
        .map(str::parse::<crate::period::Period>)
    {
        Some(Ok(period)) => period,
        Some(Err(_)) => {
            eprintln!("error: 期间无效；可写作 2023、2023-06、2023-Q3 或 2023-H1");
            return 2;
        }
        None => match plan.period() {
            Some(period) => period,
            None => {
                eprintln!("error: 计划未写明期间，请用 --period 指定");
                return 2;
            }
        },
    };
    let format = match args.format {
        TemplateKind::Yaml => crate::template::TemplateFormat::Yaml,
        TemplateKind::Csv => crate::template::TemplateFormat::Csv,
        TemplateKind::Xlsx => crate::template::TemplateFormat::Xlsx,
    };
    let bytes = match crate::template::render(&plan, &args.lead, period, format) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    match &args.output {
        Some(path) => match std::fs::write(path, bytes) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: 无法写入 {}：{e}", path.display());
                2
            }
        },
        None if format == crate::template::TemplateFormat::Xlsx
            && std::io::stdout().is_terminal() =>
        {
            eprintln!("error: xlsx 是二进制文件，请用 --output 指定文件名");
            2
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(&bytes);
            let _ = stdout.flush();
            0
        }
    }
}

fn print(text: &str) -> u8 {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`plancheck check | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    0
}

fn explain(code: Option<&str>) -> u8 {
    let Some(code) = code else {
        let mut text = String::new();
        for info in crate::codes::CODES {
            text.push_str(&format!("{:<40} {}\n", info.code, info.summary));
        }
        return print(&text);
    };
    let full = if code.starts_with("plancheck::") {
        code.to_owned()
    } else {
        format!("plancheck::{code}")
    };
    match crate::codes::lookup(&full) {
        Some(info) => print(&format!(
            "{}: {}\n\n{}\n",
            info.code, info.summary, info.why
        )),
        None => {
            eprintln!("error: 未知代码 {code}；运行 `plancheck explain` 列出全部代码");
            2
        }
    }
}

/// Expands directories into the data files below them, sorted, so runs are reproducible.
fn collect_data(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).map_err(|e| format!("无法读取目录 {}：{e}", path.display()))?;
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(format!("找不到填报文件或目录：{}", path.display()));
        }
    }
    // Path order is the order that decides which of two reports comes first (in a conflict
    // or a repeat), so it must not depend on the order of the arguments either.
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if crate::load::is_data_file(&path) {
            found.push(path);
        }
    }
    Ok(())
}

fn no_data_finding() -> Finding {
    Finding {
        code: "plancheck::cli::no-data",
        severity: Severity::Error,
        kind: Kind::Input,
        message: "没有找到填报文件".to_owned(),
        help: Some("在命令行给出填报文件或目录，例如 `plancheck check examples/`".to_owned()),
        labels: Vec::new(),
    }
}

fn check(args: &CheckArgs) -> u8 {
    let data = match collect_data(&args.data) {
        Ok(data) => data,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let (plan, plan_findings) = crate::parse::load_plan(&args.rules);
    let options = CheckOptions {
        deny_warnings: args.deny == Some(Lint::Warnings),
        as_of: args.as_of,
        tolerance: args.tolerance,
    };
    let rules_broken = plan_findings.iter().any(|f| f.kind == Kind::Input);
    let mut outcome = if rules_broken {
        // Checking figures against a half-read plan would report targets that do not exist.
        Outcome::default()
    } else {
        let progress = progress_bar(data.len());
        let outcome = eval::check_observed(&plan, &data, options, &|| progress.inc(1));
        progress.finish_and_clear();
        outcome
    };
    outcome.findings.splice(0..0, plan_findings);
    if data.is_empty() && !rules_broken {
        outcome.findings.insert(0, no_data_finding());
    }
    let data_paths: Vec<String> = data.iter().map(|p| p.display().to_string()).collect();
    let ctx = Context {
        plan: &plan,
        data_paths: &data_paths,
        outcome: &outcome,
    };
    let style = style(args.width, args.color);
    let mut code = exit_code(&outcome, args.fail_on);
    for target in &args.reports {
        // Files never get colour: they are read by tools or in a browser.
        let text = target.format.render(
            &ctx,
            report::human::Style {
                color: false,
                ..style
            },
        );
        if let Err(e) = std::fs::write(&target.path, text) {
            eprintln!("error: 无法写入报告 {}：{e}", target.path.display());
            code = 2;
        }
    }
    print(&args.format.render(&ctx, style));
    code
}

/// Files read / total and the rate, on stderr when it is a terminal; hidden otherwise, so
/// piped and redirected runs print nothing extra.
fn progress_bar(files: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(files as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} 个文件 {per_sec} 剩余 {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// The exit code under `--fail-on`: broken input is 2 whatever the setting.
fn exit_code(outcome: &Outcome, fail_on: FailOn) -> u8 {
    let code = outcome.exit_code();
    if code == 2 {
        return 2;
    }
    match fail_on {
        FailOn::Error => code,
        FailOn::Never => 0,
        FailOn::Warning => u8::from(outcome.all_findings().next().is_some()),
    }
}
