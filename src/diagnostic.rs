//! The one shape every finding takes on its way to a report.
//!
//! Each phase has its own error enum (`parse::PlanError`, `load::LoadError`, …) deriving
//! `miette::Diagnostic` with byte-span labels but no source text: sources are attached only
//! when a report renders, so findings stay small and `Send` across rayon's threads. Because a
//! phase enum cannot say which file its labels point into, it is turned into a `Finding`
//! together with that file, and every report reads `Finding`s only.

use crate::source::{DataLoc, RuleLoc};
use miette::Diagnostic;

/// How bad a finding is once `--deny warnings` has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place a finding points at: in a rule file or in a data file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loc {
    Rule(RuleLoc),
    Data(DataLoc),
}

/// A labelled place. The first label of a finding is its primary location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub loc: Loc,
    pub text: String,
}

/// Whether a finding means the input is broken (exit 2) or a target is not met (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Rules, data syntax or the command line are broken.
    Input,
    /// A statement about the figures: unmet, missing, unknown metric, …
    Check,
}

/// A diagnostic ready for any report format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable code, `plancheck::phase::name`, listed in `codes.rs`.
    pub code: &'static str,
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<Label>,
}

impl Finding {
    /// Converts a phase error whose labels all point into one file. `place` builds the
    /// location of each label from its byte span.
    pub fn from_diagnostic<D, F>(diagnostic: &D, kind: Kind, place: F) -> Finding
    where
        D: Diagnostic + ?Sized,
        F: Fn(std::ops::Range<usize>) -> Loc,
    {
        let code = diagnostic
            .code()
            .map(|c| crate::codes::intern(&c.to_string()))
            .unwrap_or("plancheck::internal");
        let severity = match diagnostic.severity() {
            Some(miette::Severity::Warning | miette::Severity::Advice) => Severity::Warning,
            _ => Severity::Error,
        };
        let labels = diagnostic
            .labels()
            .into_iter()
            .flatten()
            .map(|l| Label {
                loc: place(l.offset()..l.offset() + l.len()),
                text: l.label().unwrap_or_default().to_owned(),
            })
            .collect();
        Finding {
            code,
            severity,
            kind,
            message: diagnostic.to_string(),
            help: diagnostic.help().map(|h| h.to_string()),
            labels,
        }
    }

    pub fn primary(&self) -> Option<&Loc> {
        self.labels.first().map(|l| &l.loc)
    }
}
