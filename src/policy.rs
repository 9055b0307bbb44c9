//! The run's policy: `--deny warnings` and `--fail-on`, applied once after evaluation.
//!
//! Evaluation judges; policy decides what the judgement costs. The step raises severities
//! under `--deny warnings` and stores the exit code in the outcome, so the process exit code,
//! the JSON `summary.exit_code` and the status line of the Markdown and HTML reports all
//! print the one stored value and can never disagree.

use crate::diagnostic::{Kind, Severity};
use crate::eval::Outcome;

/// Which findings fail the run (exit code 1). Broken input is 2 whatever the setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// Error-level findings (default).
    #[default]
    Error,
    /// Warnings too.
    Warning,
    /// Nothing: exit 0 unless the input is broken (2).
    Never,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Never => "never",
        }
    }
}

/// The settings the policy step applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub fail_on: FailOn,
    /// `--deny warnings`: every warning becomes an error.
    pub deny_warnings: bool,
}

/// What the policy step decided, stored in the outcome for every report to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub fail_on: FailOn,
    pub deny_warnings: bool,
    /// 0 clean (or nothing fails under `--fail-on`), 1 failing findings, 2 broken input.
    pub exit_code: u8,
}

impl Decision {
    /// Whether `finding` counts towards exit code 1 under this decision: what a report that
    /// has pass/fail marks (JUnit) must mark as failed, so that its view agrees with the exit
    /// code.
    pub fn fails(&self, finding: &crate::diagnostic::Finding) -> bool {
        match self.fail_on {
            FailOn::Error => finding.severity == Severity::Error,
            FailOn::Warning => true,
            FailOn::Never => false,
        }
    }
}

impl Outcome {
    /// `Decision::fails` under the stored decision, or the default policy before it is made.
    pub fn fails(&self, finding: &crate::diagnostic::Finding) -> bool {
        match &self.decision {
            Some(decision) => decision.fails(finding),
            None => finding.severity == Severity::Error,
        }
    }
}

impl Policy {
    /// Raises severities under `--deny warnings`, then decides the exit code and stores it.
    /// Applying it twice gives the same outcome.
    pub fn apply(self, outcome: &mut Outcome) {
        if self.deny_warnings {
            let findings = outcome.findings.iter_mut().chain(
                outcome
                    .results
                    .iter_mut()
                    .filter_map(|r| r.finding.as_mut()),
            );
            for finding in findings {
                finding.severity = Severity::Error;
            }
            for result in &mut outcome.results {
                if result.severity.is_some() {
                    result.severity = Some(Severity::Error);
                }
            }
        }
        let exit_code = self.exit_code(outcome);
        outcome.decision = Some(Decision {
            fail_on: self.fail_on,
            deny_warnings: self.deny_warnings,
            exit_code,
        });
    }

    fn exit_code(self, outcome: &Outcome) -> u8 {
        let mut all = outcome.all_findings();
        if outcome.all_findings().any(|f| f.kind == Kind::Input) {
            return 2;
        }
        let fails = match self.fail_on {
            FailOn::Error => all.any(|f| f.severity == Severity::Error),
            FailOn::Warning => all.next().is_some(),
            FailOn::Never => false,
        };
        u8::from(fails)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::diagnostic::Finding;

    fn finding(severity: Severity, kind: Kind) -> Finding {
        Finding {
            code: "plancheck::check::unmet",
            severity,
            kind,
            message: String::new(),
            help: None,
            labels: Vec::new(),
        }
    }

    fn outcome(findings: Vec<Finding>) -> Outcome {
        Outcome {
            findings,
            ..Outcome::default()
        }
    }

    fn decide(findings: Vec<Finding>, fail_on: FailOn, deny_warnings: bool) -> (u8, Vec<Severity>) {
        let mut outcome = outcome(findings);
        Policy {
            fail_on,
            deny_warnings,
        }
        .apply(&mut outcome);
        let severities = outcome.findings.iter().map(|f| f.severity).collect();
        (outcome.exit_code(), severities)
    }

    #[test]
    fn every_setting_gives_one_exit_code() {
        use FailOn::{Error, Never, Warning};
        use Severity::{Error as E, Warning as W};
        let warning = || vec![finding(W, Kind::Check)];
        let error = || vec![finding(E, Kind::Check), finding(W, Kind::Check)];
        let broken = || vec![finding(E, Kind::Input)];
        let table = [
            (warning(), Error, false, 0, vec![W]),
            (warning(), Warning, false, 1, vec![W]),
            (warning(), Never, false, 0, vec![W]),
            (warning(), Error, true, 1, vec![E]),
            (warning(), Never, true, 0, vec![E]),
            (error(), Error, false, 1, vec![E, W]),
            (error(), Never, false, 0, vec![E, W]),
            (error(), Never, true, 0, vec![E, E]),
            (broken(), Never, false, 2, vec![E]),
            (broken(), Warning, true, 2, vec![E]),
            (Vec::new(), Warning, true, 0, vec![]),
        ];
        for (findings, fail_on, deny, code, severities) in table {
            assert_eq!(
                decide(findings, fail_on, deny),
                (code, severities),
                "{fail_on:?} deny={deny}"
            );
        }
    }

    #[test]
    fn applying_twice_changes_nothing() {
        let mut outcome = outcome(vec![finding(Severity::Warning, Kind::Check)]);
        let policy = Policy {
            fail_on: FailOn::Warning,
            deny_warnings: true,
        };
        policy.apply(&mut outcome);
        let first = (outcome.findings.clone(), outcome.decision);
        policy.apply(&mut outcome);
        assert_eq!((outcome.findings.clone(), outcome.decision), first);
    }
}
