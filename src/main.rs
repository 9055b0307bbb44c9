use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = plancheck::cli::Cli::parse();
    ExitCode::from(plancheck::cli::run(cli))
}
