//! The command line: a thin shell over the library.

use crate::diagnostic::{Finding, Kind, Severity};
use crate::eval::{self, CheckOptions, Outcome};
use crate::files::list::PathList;
use crate::model::Plan;
use crate::report::{self, Context};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

mod draft;
mod tools;

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
    /// the source; 1 otherwise, or when no item of the document could be read, or when the
    /// plan cites none of its targets; 2 the rules are broken or the plan names no source.
    Coverage(CoverageArgs),
    /// Check the rules against the sentences they cite and against each other: numbers,
    /// operators, strength and increment words, milestones, duplicates, tracked metrics.
    ///
    /// Exit codes: 0 no finding; 1 at least one; 2 the rules are broken.
    Lint(tools::LintArgs),
    /// Lay out .plan files in the one canonical form, keeping comments.
    ///
    /// Exit codes: 0 formatted (or, with --check, already formatted); 1 with --check, a file
    /// would change (the diff is printed); 2 a file cannot be read, parsed or written.
    Fmt(tools::FmtArgs),
    /// Run the rule tests kept beside the rules (`*.plantest`): small submissions and the
    /// verdict and severity each rule must get for them.
    ///
    /// Exit codes: 0 every test passes; 1 a test fails; 2 the rules or a test file is broken.
    Test(tools::TestArgs),
    /// A language server on stdio for editors: diagnostics as you type, hover, go to
    /// definition, completion, formatting, outline and quick fixes (see editors/vscode).
    Lsp,
    /// Write a first .plan from a plan document: sections, tasks with their lead units and
    /// deadlines, one rule per target with its quote, skips for what has no figure, and a
    /// `# check:` comment wherever a guess was made.
    ///
    /// Exit codes: 0 written; 2 the document cannot be read or the draft cannot be written.
    Draft(draft::DraftArgs),
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
    #[command(flatten)]
    pub read: ReadArgs,
}

/// What plancheck may read, and how much (README, "Security and limits").
#[derive(Debug, Clone, clap::Args)]
pub struct ReadArgs {
    /// Read the plan's `source` even outside the folder that holds the rules folder.
    #[arg(long)]
    pub allow_source_outside: bool,
    /// Largest data or rule file read, e.g. 64MiB.
    #[arg(long, value_name = "SIZE", value_parser = crate::files::parse_size, default_value = "32MiB")]
    pub max_file_size: u64,
    /// Largest source document read.
    #[arg(long, value_name = "SIZE", value_parser = crate::files::parse_size, default_value = "16MiB")]
    pub max_source_size: u64,
    /// Largest size an .xlsx workbook may declare once unpacked.
    #[arg(long, value_name = "SIZE", value_parser = crate::files::parse_size, default_value = "256MiB")]
    pub max_unpacked_size: u64,
    /// Most cells read from one workbook.
    #[arg(long, value_name = "N", default_value_t = crate::files::Limits::default().cells)]
    pub max_cells: u64,
    /// Most figures checked from one data file.
    #[arg(long, value_name = "N", default_value_t = crate::files::Limits::default().figures)]
    pub max_figures: u64,
}

impl ReadArgs {
    fn options(&self) -> crate::parse::ReadOptions {
        crate::parse::ReadOptions {
            limits: crate::files::Limits {
                file_bytes: self.max_file_size,
                source_bytes: self.max_source_size,
                unpacked_bytes: self.max_unpacked_size,
                cells: self.max_cells,
                figures: self.max_figures,
            },
            allow_source_outside: self.allow_source_outside,
        }
    }
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
    /// With a rules folder of several plans: the plan (its id) the template is for.
    #[arg(long)]
    pub plan: Option<String>,
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
    /// A waiver file (情况说明, YAML; this JSON Schema describes its shape).
    Waiver,
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
    /// A self-contained HTML dashboard (督查通报) with traffic lights, for a browser or print.
    Html,
    /// An Excel workbook (督查通报): by task, by lead unit, and every finding.
    Xlsx,
}

/// A report made and ready to write.
enum Rendered {
    Bytes(Vec<u8>),
    /// The JSON report, built (where a bug could stop it) but serialized only as it is
    /// written: at national scale its text is megabytes that need not be held.
    Json(Box<report::json::JsonReport>),
}

impl Rendered {
    fn write_to(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            Rendered::Bytes(bytes) => out.write_all(bytes),
            Rendered::Json(report) => report::json::write(report, out),
        }
    }
}

impl Format {
    /// The report: text for every format but the workbook.
    fn render(self, ctx: &Context<'_>, style: report::human::Style) -> Result<Rendered, String> {
        let text = match self {
            Format::Human => report::human::render(ctx, style),
            Format::Json => return Ok(Rendered::Json(Box::new(report::json::build(ctx)))),
            Format::Sarif => report::sarif::render(ctx),
            Format::Junit => report::junit::render(ctx),
            Format::Github => report::github::render(ctx),
            Format::Markdown => report::markdown::render(ctx),
            Format::Html => report::html::render(ctx),
            Format::Xlsx => return report::xlsx::render(ctx).map(Rendered::Bytes),
        };
        Ok(Rendered::Bytes(text.into_bytes()))
    }
}

pub use crate::policy::FailOn;

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
            "unknown report format `{format}`; one of human, json, sarif, junit, github, markdown, html, xlsx"
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
    /// A .plan file or a directory of them. A directory whose files and sub-folders hold
    /// several `plan` headers is several plans, checked together (a city and its counties).
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// The folder of waiver files (情况说明, `*.yaml`; see `plancheck schema waiver`).
    /// Default: the `waivers` folder beside the rules folder, when there is one.
    #[arg(long)]
    pub waivers: Option<PathBuf>,
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
    /// The repository root that SARIF and GitHub annotation paths are relative to (default:
    /// the enclosing git work tree, else the working directory).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Width of the human report (default: $COLUMNS, else 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(flatten)]
    pub read: ReadArgs,
    /// The human report shows at most this many diagnostics of each code, then says how many
    /// more there are (default 20; 0 shows all). Other formats always list everything.
    #[arg(long, value_name = "N")]
    pub max_per_code: Option<usize>,
    /// Data files or directories of them (.json, .yaml, .yml, .toml, .csv, .xlsx).
    #[arg(default_value = "examples")]
    pub data: Vec<PathBuf>,
}

/// Runs the command line and returns the process exit code: 2, with the reason on stderr, if
/// plancheck itself fails (check catches its phases more finely, to keep the report).
pub fn run(cli: Cli) -> u8 {
    match guarded("运行 plancheck", || run_command(cli)) {
        Ok(code) => code,
        Err(finding) => {
            report_internal(&finding);
            2
        }
    }
}

fn report_internal(finding: &Finding) {
    eprintln!(
        "error[{}]: {}\n  help: {}",
        finding.code,
        report::escape::line(&finding.message),
        finding.help.as_deref().unwrap_or_default()
    );
}

fn run_command(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Schema { which } => {
            let text = match which {
                SchemaKind::Report => report::json::schema(),
                SchemaKind::Submission => crate::load::schema::submission_schema(),
                SchemaKind::Waiver => crate::waivers::schema(),
            };
            print(&text)
        }
        Command::Template(args) => template(&args),
        Command::Coverage(args) => coverage(&args),
        Command::Lint(args) => tools::lint(&args),
        Command::Fmt(args) => tools::fmt(&args),
        Command::Test(args) => tools::test(&args),
        Command::Lsp => crate::lsp::run(),
        Command::Draft(args) => draft::draft(&args),
    }
}

/// The human report's style from `--width` and `--color`: the width falls back to $COLUMNS,
/// then 100; `auto` colours a terminal unless NO_COLOR is set.
pub(crate) fn style(width: Option<usize>, color: Color) -> report::human::Style {
    let width = width
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(100);
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    report::human::Style {
        width,
        color,
        max_per_code: None,
    }
}

fn coverage(args: &CoverageArgs) -> u8 {
    let style = style(args.width, args.color);
    if let Some((set, findings)) = crate::plans::load_set(&args.rules, &args.read.options()) {
        return coverage_set(args, &set, findings, style);
    }
    let (plan, findings) = crate::parse::load_plan_with(&args.rules, &args.read.options());
    // Coverage of a half-read plan would list as missing targets its broken rules encode.
    if let Some(code) = tools::refuse_broken_rules(&plan.files, findings, style) {
        return code;
    }
    match crate::coverage::analyze(&plan) {
        Ok(coverage) => {
            let printed = print(&match args.format.as_str() {
                "json" => crate::coverage::render_json(&coverage),
                _ => crate::coverage::render_human(&coverage, &plan, style),
            });
            coverage.exit_code().max(printed)
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

/// `coverage` on a rules folder of several plans: each plan against its own source, in the
/// order of the set. The human report titles each plan; the JSON one is
/// `{"plans": [{"plan": ID, "coverage": …}]}`, each coverage as one plan's.
fn coverage_set(
    args: &CoverageArgs,
    set: &crate::plans::PlanSet,
    findings: Vec<Finding>,
    style: report::human::Style,
) -> u8 {
    if let Some(code) = tools::refuse_broken_rules(&set.files, findings, style) {
        return code;
    }
    let mut code = 0;
    let mut human = String::new();
    let mut json = Vec::new();
    for member in &set.members {
        match crate::coverage::analyze(&member.plan) {
            Ok(coverage) => {
                code = code.max(coverage.exit_code());
                if args.format == "json" {
                    json.push((member.id.as_str(), coverage));
                } else {
                    if !human.is_empty() {
                        human.push('\n');
                    }
                    human.push_str(&format!("计划「{}」\n", member.id));
                    human.push_str(&crate::coverage::render_human(
                        &coverage,
                        &member.plan,
                        style,
                    ));
                }
            }
            Err(no_source) => {
                // One plan without a source does not keep the others from being checked.
                eprintln!("计划「{}」", member.id);
                eprint!(
                    "{}",
                    crate::coverage::render_no_source(&no_source, &member.plan, style)
                );
                code = 2;
            }
        }
    }
    let text = if args.format == "json" {
        let plans: Vec<(&str, &crate::coverage::Coverage)> =
            json.iter().map(|(id, coverage)| (*id, coverage)).collect();
        crate::coverage::render_json_plans(&plans)
    } else {
        human
    };
    code.max(print(&text))
}

fn template(args: &TemplateArgs) -> u8 {
    // A rules folder of several plans: the template is for the plan `--plan` names.
    let (plan, findings) =
        match crate::plans::load_set(&args.rules, &crate::parse::ReadOptions::default()) {
            Some((set, findings)) => match set.select(args.plan.as_deref()) {
                Ok(member) => (member.plan, findings),
                Err(message) => {
                    eprintln!("error: {message}");
                    return 2;
                }
            },
            None => crate::parse::load_plan(&args.rules),
        };
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
        None => write_stdout(&bytes),
    }
}

/// Writes `text` to standard output: 0, or 2 with a message on stderr if it could not be
/// written (a full disk must not lose the report silently).
pub(crate) fn print(text: &str) -> u8 {
    write_stdout(text.as_bytes())
}

/// Writes a report file (created or truncated, as `std::fs::write` does).
fn write_file(path: &Path, report: &Rendered) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    report.write_to(&mut out)?;
    out.flush()
}

fn write_stdout(bytes: &[u8]) -> u8 {
    to_stdout(|out| out.write_all(bytes))
}

fn write_report_to_stdout(report: &Rendered) -> u8 {
    to_stdout(|out| report.write_to(out))
}

fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> u8 {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        // A closed pipe (`plancheck check | head`): the reader wanted no more.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: 无法写出到标准输出：{e}");
            2
        }
    }
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
    let read = args.read.options();
    // Listing the data folders and reading the rules are independent, and each is a serial
    // step of tens of milliseconds at national scale: they run side by side.
    let ((data, data_findings), rules) = rayon::join(
        || crate::load::data_files(&args.data),
        || {
            let set = guarded("读取规则", || {
                crate::plans::load_set(&args.rules, &read)
            })
            .unwrap_or(None);
            match set {
                Some(set) => Err(set),
                None => Ok(guarded("读取规则", || {
                    crate::parse::load_plan_with(&args.rules, &read)
                })
                .unwrap_or_else(|finding| (crate::model::Plan::default(), vec![finding]))),
            }
        },
    );
    let (mut plan, mut plan_findings) = match rules {
        Ok(plan) => plan,
        Err((set, findings)) => return check_set(args, set, findings, data, data_findings),
    };
    // What listing the files and parsing the plan freed, before the read (`memory`).
    crate::memory::release_freed();
    let options = CheckOptions {
        deny_warnings: args.deny == Some(Lint::Warnings),
        as_of: args.as_of,
        tolerance: args.tolerance,
        limits: read.limits,
    };
    let rules_broken = plan_findings.iter().any(|f| f.kind == Kind::Input);
    let mut outcome = if rules_broken {
        // Checking figures against a half-read plan would report targets that do not exist.
        Outcome::default()
    } else {
        plan.release_texts();
        let progress = progress_bar(data.len());
        let outcome = guarded("检查", || {
            crate::panic::test_seam("check");
            eval::check_observed(&plan, &data, options, &|| progress.inc(1))
        })
        .unwrap_or_else(|finding| Outcome {
            findings: vec![finding],
            ..Outcome::default()
        });
        progress.finish_and_clear();
        crate::memory::release_freed();
        outcome
    };
    plan_findings.extend(data_findings);
    if !rules_broken {
        // Lint findings are warnings about the rules; the policy step below raises them with
        // every other warning under --deny warnings.
        outcome.findings.extend(crate::lint::lint(&plan));
    }
    outcome.findings.splice(0..0, plan_findings);
    if data.is_empty() && !rules_broken {
        outcome.findings.insert(0, no_data_finding());
    }
    if !rules_broken {
        apply_waivers(args, &plan, &mut outcome);
    }
    deliver(args, &plan, &mut outcome, &data)
}

/// `check` on a rules folder of several plans (`crate::plans`).
fn check_set(
    args: &CheckArgs,
    mut set: crate::plans::PlanSet,
    mut plan_findings: Vec<Finding>,
    data: PathList,
    data_findings: Vec<Finding>,
) -> u8 {
    let options = CheckOptions {
        deny_warnings: args.deny == Some(Lint::Warnings),
        as_of: args.as_of,
        tolerance: args.tolerance,
        limits: args.read.options().limits,
    };
    let rules_broken = plan_findings.iter().any(|f| f.kind == Kind::Input);
    let (plan, mut outcome, lint) = if rules_broken {
        // Broken rules are shown in their files, so the report needs them all.
        let plan = Plan {
            files: set.files,
            ..Plan::default()
        };
        (plan, Outcome::default(), Vec::new())
    } else {
        // Warnings about the rules; the policy step in `deliver` raises them under --deny
        // warnings with every other warning. Linted first: the check takes the plans over.
        let lint = crate::plans::lint(&set);
        set.release_texts();
        crate::memory::release_freed();
        let (plan, outcome) = guarded("检查", || crate::plans::check_set(set, &data, options))
            .unwrap_or_else(|finding| {
                let outcome = Outcome {
                    findings: vec![finding],
                    ..Outcome::default()
                };
                (Plan::default(), outcome)
            });
        crate::memory::release_freed();
        (plan, outcome, lint)
    };
    plan_findings.extend(data_findings);
    outcome.findings.extend(lint);
    outcome.findings.splice(0..0, plan_findings);
    if data.is_empty() && !rules_broken {
        outcome.findings.insert(0, no_data_finding());
    }
    if !rules_broken {
        apply_waivers(args, &plan, &mut outcome);
    }
    deliver(args, &plan, &mut outcome, &data)
}

/// Reads the run's waivers (`--waivers`, else `waivers/` beside the rules) and applies them.
fn apply_waivers(args: &CheckArgs, plan: &Plan, outcome: &mut Outcome) {
    let (folder, required) = match &args.waivers {
        Some(folder) => (folder.clone(), true),
        None => (crate::waivers::default_folder(&args.rules), false),
    };
    let (waivers, findings) = crate::waivers::read_folder(&folder, required);
    outcome.findings.extend(findings);
    let deny = args.deny == Some(Lint::Warnings);
    crate::waivers::apply(plan, outcome, waivers, deny);
}

/// Renders the outcome in every format asked for; the exit code.
fn deliver(
    args: &CheckArgs,
    plan: &crate::model::Plan,
    outcome: &mut Outcome,
    data: &PathList,
) -> u8 {
    if let Err(message) = reports_overwrite_nothing(&args.reports, data, plan) {
        let _ = writeln!(std::io::stderr(), "error: {message}");
        return 2;
    }
    // One policy step, after waivers: it stores the final severities and the exit code that
    // every report prints.
    crate::policy::Policy {
        fail_on: args.fail_on,
        deny_warnings: args.deny == Some(Lint::Warnings),
    }
    .apply(outcome);
    let outcome = &*outcome;
    let root = report::Root::discover(args.root.as_deref());
    let ctx = Context {
        plan,
        data_paths: data,
        outcome,
        root: Some(&root),
    };
    let style = report::human::Style {
        max_per_code: args.max_per_code,
        ..style(args.width, args.color)
    };
    let mut code = outcome.exit_code();
    for target in &args.reports {
        // Files never get colour: they are read by tools or in a browser.
        let style = report::human::Style {
            color: false,
            ..style
        };
        let Some(report) = render_guarded(target.format, &ctx, style, &mut code) else {
            continue;
        };
        if let Err(e) = write_file(&target.path, &report) {
            let _ = writeln!(
                std::io::stderr(),
                "error: 无法写入报告 {}：{e}",
                target.path.display()
            );
            code = 2;
        }
    }
    if args.format == Format::Xlsx && std::io::stdout().is_terminal() {
        eprintln!("error: xlsx 是二进制文件，请重定向到文件，或用 --report xlsx=PATH");
        return 2;
    }
    match render_guarded(args.format, &ctx, style, &mut code) {
        Some(report) => code.max(write_report_to_stdout(&report)),
        None => {
            // The findings still reach the user, as plain lines, so that a run never ends with
            // nothing written.
            let plain: String = ctx
                .outcome
                .all_findings()
                .map(|f| format!("{}: {}\n", f.code, report::escape::line(&f.message)))
                .collect();
            code.max(print(&plain))
        }
    }
}

/// Refuses a `--report` path that is one of the files being checked (a data file, a rule file
/// or the plan's source), links resolved: writing it would destroy a submission.
fn reports_overwrite_nothing(
    reports: &[ReportTarget],
    data: &PathList,
    plan: &crate::model::Plan,
) -> Result<(), String> {
    // Only `--report` files can overwrite anything; without them, the inputs need not be
    // resolved (tens of thousands of data files at national scale).
    if reports.is_empty() {
        return Ok(());
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let mut inputs: Vec<PathBuf> = data.iter().filter_map(|p| canonical(&p)).collect();
    inputs.extend(
        plan.files
            .iter()
            .filter_map(|f| canonical(Path::new(&f.path))),
    );
    if let Some(source) = plan.header.as_ref().and_then(|h| h.source.as_ref()) {
        inputs.extend(canonical(&source.path));
    }
    for target in reports {
        if let Some(path) = canonical(&target.path) {
            if inputs.contains(&path) {
                return Err(format!(
                    "--report 的目标 {} 是本次检查读取的文件，拒绝覆盖；请换一个路径",
                    target.path.display()
                ));
            }
        }
    }
    Ok(())
}

/// Renders one report, or, if rendering panics, says so on stderr, sets the exit code to 2
/// and returns `None`.
fn render_guarded(
    format: Format,
    ctx: &Context<'_>,
    style: report::human::Style,
    code: &mut u8,
) -> Option<Rendered> {
    let what = format!("生成 {} 报告", format_name(format));
    match guarded(&what, || {
        crate::panic::test_seam("report");
        format.render(ctx, style)
    }) {
        Ok(Ok(bytes)) => Some(bytes),
        Ok(Err(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            *code = 2;
            None
        }
        Err(finding) => {
            report_internal(&finding);
            *code = 2;
            None
        }
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Human => "human",
        Format::Json => "json",
        Format::Sarif => "sarif",
        Format::Junit => "junit",
        Format::Github => "github",
        Format::Markdown => "markdown",
        Format::Html => "html",
        Format::Xlsx => "xlsx",
    }
}

/// Runs `work`, turning a panic into a `plancheck::internal` finding of broken input (exit 2)
/// that says what was being done and what went wrong, instead of exit 101 with no report.
fn guarded<T>(what: &str, work: impl FnOnce() -> T) -> Result<T, Finding> {
    crate::panic::quiet_hook();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .map_err(|_| crate::panic::internal_finding(what))
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
