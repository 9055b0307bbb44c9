//! Diagnostics as you type: parse errors, quotes not in the source, unknown units and every
//! lint, each with its code. Hovering a diagnostic shows the code's `explain` text
//! (`hover.rs`), so the reason is one mouse move away.

use super::document::{path_of, uri_of, Analysis, Documents};
use super::positions;
use crate::diagnostic::{Finding, Loc, Severity};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Uri,
};

/// The diagnostics of the document `uri`: none once it is closed.
pub fn publish(documents: &Documents, uri: &Uri) -> PublishDiagnosticsParams {
    let diagnostics = documents.get(uri).map_or_else(Vec::new, |document| {
        let analysis = &document.analysis;
        let mut out: Vec<Diagnostic> = analysis
            .own_findings()
            .map(|(finding, loc)| to_diagnostic(analysis, finding, &loc.span, documents))
            .collect();
        // Findings with no place in a rule file (the source cannot be read, a folder is
        // unreadable) still concern this plan: show them on its first line.
        out.extend(
            analysis
                .findings
                .iter()
                .filter(|f| f.primary().is_none())
                .map(|f| to_diagnostic(analysis, f, &(0..0), documents)),
        );
        out
    });
    PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version: None,
    }
}

fn to_diagnostic(
    analysis: &Analysis,
    finding: &Finding,
    span: &std::ops::Range<usize>,
    documents: &Documents,
) -> Diagnostic {
    let text = analysis.text();
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push('\n');
        message.push_str(help);
    }
    let related = related(analysis, finding, documents);
    Diagnostic {
        range: positions::range(text, span, documents.encoding),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(finding.code.to_owned())),
        source: Some("plancheck".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

/// The finding's other labels, wherever they point in the plan's files.
fn related(
    analysis: &Analysis,
    finding: &Finding,
    documents: &Documents,
) -> Vec<DiagnosticRelatedInformation> {
    let plan = &analysis.plan;
    finding
        .labels
        .iter()
        .skip(1)
        .filter_map(|label| {
            let Loc::Rule(loc) = &label.loc else {
                return None;
            };
            let file = plan.files.get(loc.file.0)?;
            let uri = match documents.get_by_path(&file.path) {
                Some(uri) => uri,
                None => uri_of(std::path::Path::new(&file.path))?,
            };
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri,
                    range: positions::range(&file.text, &loc.span, documents.encoding),
                },
                message: label.text.clone(),
            })
        })
        .collect()
}

impl Documents {
    /// The URI of the open document at `path`, so that links into it use the editor's spelling.
    pub fn get_by_path(&self, path: &str) -> Option<Uri> {
        self.uris()
            .find(|uri| path_of(uri).display().to_string() == path)
    }
}
