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
    /// Exit codes: 0 no error-level finding; 1 at least one (an unmet, missing or invalid
    /// must-target, or any warning under --deny warnings); 2 the rules, a data file or the
    /// command line is broken.
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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The JSON report of `check --format json`.
    Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics and a summary in Chinese, for people.
    Human,
    /// A stable JSON report (see `plancheck schema report`).
    Json,
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
    /// Width of the human report (default: $COLUMNS, else 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Data files or directories of them (.json, .yaml, .yml, .toml, .csv).
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
            };
            print(&text)
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
    };
    let rules_broken = plan_findings.iter().any(|f| f.kind == Kind::Input);
    let mut outcome = if rules_broken {
        // Checking figures against a half-read plan would report targets that do not exist.
        Outcome::default()
    } else {
        eval::check(&plan, &data, options)
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
    let text = match args.format {
        Format::Json => report::json::render(&ctx),
        Format::Human => {
            let width = args
                .width
                .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
                .unwrap_or(100);
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            report::human::render(&ctx, report::human::Style { width, color })
        }
    };
    print(&text);
    outcome.exit_code()
}
