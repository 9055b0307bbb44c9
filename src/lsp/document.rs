//! Open documents: their text as the editor holds it, and the plan read with it.

use super::positions::{self, Encoding};
use crate::diagnostic::{Finding, Loc};
use crate::model::Plan;
use crate::source::{RuleFileId, RuleLoc};
use lsp_server::Notification;
use lsp_types::notification::Notification as _;
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, Uri,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// An open `.plan` document.
pub struct Document {
    pub uri: Uri,
    /// The editor's text, line breaks as typed.
    pub text: String,
    pub analysis: Analysis,
}

/// What the library says of the plan with this document's text in it.
pub struct Analysis {
    pub plan: Plan,
    /// Parse errors and lints, every file of the plan.
    pub findings: Vec<Finding>,
    /// This document among `plan.files`.
    pub file: RuleFileId,
    /// `None` when the plan names no source document.
    pub coverage: Option<crate::coverage::Coverage>,
}

impl Analysis {
    /// Reads the folder holding `path` as a plan, with the editor's text of each open file
    /// below that folder in place of what is on disk.
    fn of(uri: &Uri, open: &[(PathBuf, &str)]) -> Analysis {
        let path = path_of(uri);
        if !uri.as_str().starts_with("file:") {
            // An untitled buffer has no folder: its plan is its own text.
            let text = open.iter().find(|(p, _)| *p == path).map_or("", |(_, t)| t);
            let file = crate::source::SourceFile::new(uri.as_str(), text);
            return Analysis::built(crate::parse::parse_files(vec![file]), uri.as_str());
        }
        let path = path.as_path();
        let folder = path.parent().unwrap_or(Path::new("."));
        let options = crate::parse::ReadOptions::default();
        let editing: Vec<(&Path, &str)> = open
            .iter()
            .filter(|(p, _)| p.starts_with(folder))
            .map(|(p, t)| (p.as_path(), *t))
            .collect();
        let read = crate::parse::load_plan_editing(folder, &editing, &options);
        Analysis::built(read, &path.display().to_string())
    }

    /// Lints and coverage of a plan read with the document, which `plan.files` names `shown`.
    fn built((plan, mut findings): (Plan, Vec<Finding>), shown: &str) -> Analysis {
        findings.extend(crate::lint::lint(&plan));
        let file = plan
            .files
            .iter()
            .position(|f| f.path == *shown)
            .map_or(RuleFileId(usize::MAX), RuleFileId);
        let coverage = crate::coverage::analyze(&plan).ok();
        Analysis {
            plan,
            findings,
            file,
            coverage,
        }
    }

    /// This document's text as the plan holds it (line endings normalised).
    pub fn text(&self) -> &str {
        self.plan.files.get(self.file.0).map_or("", |f| &*f.text)
    }

    /// Whether `loc` lies in this document and holds byte `offset` (its end included, so a
    /// cursor just after a word still hovers it).
    pub fn holds(&self, loc: &RuleLoc, offset: usize) -> bool {
        loc.file == self.file && loc.span.start <= offset && offset <= loc.span.end
    }

    /// The findings whose primary place is in this document.
    pub fn own_findings(&self) -> impl Iterator<Item = (&Finding, &RuleLoc)> {
        self.findings.iter().filter_map(|f| match f.primary() {
            Some(Loc::Rule(loc)) if loc.file == self.file => Some((f, loc)),
            _ => None,
        })
    }
}

pub struct Documents {
    pub encoding: Encoding,
    open: HashMap<String, Document>,
    /// Changed since the last `refresh`.
    dirty: Vec<Uri>,
}

impl Documents {
    pub fn new(encoding: Encoding) -> Documents {
        Documents {
            encoding,
            open: HashMap::new(),
            dirty: Vec::new(),
        }
    }

    pub fn uris(&self) -> impl Iterator<Item = Uri> + '_ {
        self.open.values().map(|d| d.uri.clone())
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri.as_str())
    }

    /// Applies an open, change or close to the text; `refresh` analyses it.
    pub fn notify(&mut self, notification: Notification) {
        if let Some(uri) = self.apply(notification) {
            if !self.dirty.contains(&uri) {
                self.dirty.push(uri);
            }
        }
    }

    /// Analyses the documents changed since the last call, and every open document whose plan
    /// shares a folder with one of them; returns them all, for their diagnostics. Edits that
    /// arrive together are analysed once.
    pub fn refresh(&mut self) -> Vec<Uri> {
        let dirty = std::mem::take(&mut self.dirty);
        if dirty.is_empty() {
            return dirty;
        }
        let texts: Vec<(PathBuf, String)> = self
            .open
            .values()
            .map(|d| (path_of(&d.uri), d.text.clone()))
            .collect();
        let texts: Vec<(PathBuf, &str)> =
            texts.iter().map(|(p, t)| (p.clone(), t.as_str())).collect();
        let mut uris = dirty.clone();
        for document in self.open.values_mut() {
            let path = path_of(&document.uri);
            let shares = dirty.iter().any(|uri| {
                let changed = path_of(uri);
                let folder = changed.parent().unwrap_or(Path::new(".")).to_path_buf();
                path.parent()
                    .is_some_and(|f| changed.starts_with(f) || f.starts_with(&folder))
            });
            if shares {
                document.analysis = Analysis::of(&document.uri, &texts);
                if !uris.contains(&document.uri) {
                    uris.push(document.uri.clone());
                }
            }
        }
        uris
    }

    fn apply(&mut self, notification: Notification) -> Option<Uri> {
        use lsp_types::notification::{
            DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument,
        };
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let item = params.text_document;
                Some(self.set(item.uri, item.text))
            }
            DidChangeTextDocument::METHOD => {
                let params: DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let uri = params.text_document.uri;
                let mut text = self.get(&uri)?.text.clone();
                for change in params.content_changes {
                    match change.range {
                        Some(range) => {
                            let start = positions::offset(&text, range.start, self.encoding);
                            let end = positions::offset(&text, range.end, self.encoding);
                            if start <= end {
                                text.replace_range(start..end, &change.text);
                            }
                        }
                        None => text = change.text,
                    }
                }
                Some(self.set(uri, text))
            }
            DidCloseTextDocument::METHOD => {
                let params: DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let uri = params.text_document.uri;
                self.open.remove(uri.as_str());
                // Its diagnostics are cleared.
                Some(uri)
            }
            _ => None,
        }
    }

    /// Stores the text; `notify` analyses it with the other open documents.
    fn set(&mut self, uri: Uri, text: String) -> Uri {
        let analysis = Analysis {
            plan: Plan::default(),
            findings: Vec::new(),
            file: RuleFileId(usize::MAX),
            coverage: None,
        };
        let key = uri.as_str().to_owned();
        self.open.insert(
            key,
            Document {
                uri: uri.clone(),
                text,
                analysis,
            },
        );
        uri
    }
}

/// The local path of a `file:` URI (`%XX` escapes decoded); other schemes are taken as paths
/// relative to nothing, so their plan is just the buffer.
pub fn path_of(uri: &Uri) -> PathBuf {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://").unwrap_or(text);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    PathBuf::from(String::from_utf8_lossy(&out).into_owned())
}

/// The `file:` URI of a local path, every byte outside the unreserved set escaped.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let mut text = String::from("file://");
    for b in absolute.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            text.push(char::from(b));
        } else {
            text.push_str(&format!("%{b:02X}"));
        }
    }
    text.parse().ok()
}
