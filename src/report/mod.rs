//! Reports: the same outcome rendered for people (human), for tools (json) and for CI.
//!
//! Findings hold byte spans only. A report attaches sources when it renders: rule files are in
//! the plan; data files are read again here, one at a time and only those a report points
//! into, so evaluation never has to keep them.

pub mod bulletin;
pub mod escape;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub(crate) mod snippet;
pub mod summary;
pub mod xlsx;

use crate::diagnostic::{Finding, Kind, Loc};
use crate::eval::{Outcome, RuleResult};
use crate::model::{Plan, Rule};
use crate::source::{clamp_span, DataFileId, LineCol, SourceFile};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// What every report reads.
pub struct Context<'a> {
    pub plan: &'a Plan,
    /// Data file paths as the user gave them (or as found in a directory), by `DataFileId`;
    /// shown only for the files a report names, not copied as text for every file read.
    pub data_paths: &'a crate::files::list::PathList,
    pub outcome: &'a Outcome,
    /// The repository root CI reports (SARIF, GitHub annotations) make paths relative to;
    /// `None`: paths as the user gave them.
    pub root: Option<&'a Root>,
}

/// The directory CI consumers resolve paths against, and the working directory the paths on
/// the command line are relative to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// Absolute and normalised.
    pub dir: std::path::PathBuf,
    /// Absolute and normalised.
    pub cwd: std::path::PathBuf,
}

impl Root {
    /// `--root DIR`, else the git work tree enclosing the working directory (a `.git` folder or
    /// file, as in a worktree or submodule), else the working directory itself: code scanning
    /// resolves a result's path against the checkout, which is the repository root, whatever
    /// folder the step ran in.
    pub fn discover(explicit: Option<&std::path::Path>) -> Root {
        let cwd = normalise(&std::env::current_dir().unwrap_or_default());
        let dir = match explicit {
            Some(dir) => normalise(&cwd.join(dir)),
            None => cwd
                .ancestors()
                .find(|dir| dir.join(".git").exists())
                .map_or_else(|| cwd.clone(), std::path::Path::to_path_buf),
        };
        Root { dir, cwd }
    }

    /// `path` (as given on the command line) relative to the root, `/`-separated, with `.`,
    /// `..` and doubled separators resolved. A path outside the root stays absolute.
    pub fn relative(&self, path: &str) -> String {
        let full = normalise(&self.cwd.join(path));
        let shown = full.strip_prefix(&self.dir).unwrap_or(&full);
        let parts: Vec<String> = shown
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let joined = parts.join("/");
        if shown.is_absolute() {
            // `/` and the rest: the root component is itself a separator.
            format!("/{}", joined.trim_start_matches('/'))
        } else {
            joined
        }
    }
}

/// Resolves `.` and `..` and drops doubled separators without touching the file system (the
/// file may be gone by the time a report is written; links are the user's to resolve).
fn normalise(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Context<'_> {
    /// The path of the file `loc` points into as CI consumers want it: relative to the
    /// repository root (`Root::relative`), or as given when the report has no root.
    pub fn repo_path_of(&self, loc: &Loc) -> String {
        let path = self.path_of(loc);
        match self.root {
            Some(root) if path != "<unknown>" => root.relative(&path),
            _ => path.into_owned(),
        }
    }

    /// The display path of the file a location points into.
    pub fn path_of(&self, loc: &Loc) -> Cow<'_, str> {
        let path = match loc {
            Loc::Rule(r) => self
                .plan
                .files
                .get(r.file.0)
                .map(|f| Cow::from(f.path.as_str())),
            Loc::Data(d) => self
                .data_paths
                .get(d.file.0)
                .map(|p| Cow::Owned(p.to_string_lossy().into_owned())),
        };
        path.unwrap_or(Cow::Borrowed("<unknown>"))
    }

    /// Reads a data file again for rendering, normalised as the loader saw it. A file that
    /// vanished since the check renders without a snippet rather than failing the report.
    pub fn read_data(&self, id: DataFileId) -> Option<SourceFile> {
        let path_ref = self.data_paths.get(id.0)?;
        // Only a regular file, as the loader read it: a file swapped for a FIFO since would
        // otherwise block the report.
        let bytes = crate::files::read_regular(&path_ref, u64::MAX, "").ok()?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            // A CSV the loader read as GBK: its spans are into the decoded text.
            Err(err) => crate::load::Format::from_path(&path_ref)
                .and_then(|format| crate::load::decode_gbk_csv(format, err.as_bytes()))?,
        };
        Some(SourceFile::new(path_ref.display().to_string(), &text))
    }

    /// Line and character column of the start and end of every location in `locs`, reading
    /// each data file once.
    pub fn positions<'l>(&self, locs: impl IntoIterator<Item = &'l Loc>) -> Positions {
        self.resolve(locs, Columns::Chars)
    }

    /// The positions of every location the outcome mentions and of every rule, in character
    /// columns: what a report that lists everything looks up.
    pub fn all_positions(&self) -> Positions {
        self.positions(&self.all_locations())
    }

    /// As `all_positions`, with columns in UTF-16 code units (SARIF's default).
    fn all_utf16_positions(&self) -> Positions {
        self.resolve(&self.all_locations(), Columns::Utf16)
    }

    /// Every location the outcome mentions (figures of results, labels of findings) and
    /// every rule's.
    fn all_locations(&self) -> Vec<Loc> {
        let outcome = self.outcome;
        let mut locs = Vec::new();
        for result in &outcome.results {
            if let Some(figure) = &result.figure {
                locs.push(Loc::Data(figure.clone()));
            }
            locs.extend(result.parts.iter().map(|p| Loc::Data(p.figure.clone())));
            for value in &result.values {
                locs.extend(value.places.iter().map(|p| Loc::Data(p.clone())));
            }
        }
        for finding in outcome.all_findings() {
            locs.extend(finding.labels.iter().map(|l| l.loc.clone()));
        }
        locs.extend(self.plan.rules.iter().map(|r| Loc::Rule(r.loc.clone())));
        locs
    }

    fn resolve<'l>(&self, locs: impl IntoIterator<Item = &'l Loc>, columns: Columns) -> Positions {
        let mut wanted: BTreeMap<FileKey, BTreeSet<usize>> = BTreeMap::new();
        for loc in locs {
            let (key, span) = file_key(loc);
            wanted
                .entry(key)
                .or_default()
                .extend([span.start, span.end]);
        }
        let mut positions = Positions::default();
        for (key, offsets) in wanted {
            let file = match key {
                FileKey::Rule(i) => self.plan.files.get(i).and_then(SourceFile::current),
                FileKey::Data(i) => self.read_data(DataFileId(i)),
            };
            let text = file.as_ref().map(|f| &*f.text);
            let Some(text) = text else {
                continue;
            };
            let index = LineIndex::new(text);
            // Offsets come sorted: a column on the line of the previous offset is counted on
            // from it, so a thousand figures on one long line cost one pass over the line.
            let mut previous: Option<(usize, LineCol)> = None;
            for offset in offsets {
                let at = match previous {
                    Some((from, at))
                        if text.is_char_boundary(offset) && index.same_line(from, offset) =>
                    {
                        let between = text.get(from..offset).unwrap_or("");
                        let more = match columns {
                            Columns::Chars => between.chars().count(),
                            Columns::Utf16 => between.encode_utf16().count(),
                        };
                        LineCol {
                            line: at.line,
                            column: at.column + more,
                        }
                    }
                    _ => index.position(text, offset, columns),
                };
                // Only offsets on character boundaries may be counted on from.
                previous = text.is_char_boundary(offset).then_some((offset, at));
                positions.at.insert((key, offset), at);
            }
        }
        positions
    }
}

/// The file a position is in: the spaces of rule and data file indices are separate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum FileKey {
    Rule(usize),
    Data(usize),
}

fn file_key(loc: &Loc) -> (FileKey, &std::ops::Range<usize>) {
    match loc {
        Loc::Rule(r) => (FileKey::Rule(r.file.0), &r.span),
        Loc::Data(d) => (FileKey::Data(d.file.0), &d.span),
    }
}

/// What a column counts.
#[derive(Debug, Clone, Copy)]
enum Columns {
    /// Unicode characters, the convention of every report but SARIF.
    Chars,
    /// UTF-16 code units, SARIF's default.
    Utf16,
}

/// Resolved line/column positions of span starts and ends, keyed by file and byte offset. A
/// location in a file that could not be read again has none.
#[derive(Debug, Default)]
pub struct Positions {
    at: BTreeMap<(FileKey, usize), LineCol>,
}

impl Positions {
    /// Where `loc`'s span starts.
    pub fn get(&self, loc: &Loc) -> Option<LineCol> {
        let (key, span) = file_key(loc);
        self.at.get(&(key, span.start)).copied()
    }

    /// Where `loc`'s span ends.
    pub fn end(&self, loc: &Loc) -> Option<LineCol> {
        let (key, span) = file_key(loc);
        self.at.get(&(key, span.end)).copied()
    }
}

/// Start offsets of lines, so many positions in one file cost a binary search each.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    /// Whether two offsets, `a <= b`, are on one line.
    fn same_line(&self, a: usize, b: usize) -> bool {
        self.starts.partition_point(|&s| s <= a) == self.starts.partition_point(|&s| s <= b)
    }

    #[cfg(test)]
    fn line_col(&self, text: &str, offset: usize) -> LineCol {
        self.position(text, offset, Columns::Chars)
    }

    /// 1-based line and column of `offset`, clamped into `text` on a character boundary as
    /// `source::line_col` clamps it.
    fn position(&self, text: &str, offset: usize, columns: Columns) -> LineCol {
        let offset = clamp_span(text, &(offset..offset)).start;
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let before = text.get(start..offset).unwrap_or("");
        let column = match columns {
            Columns::Chars => before.chars().count(),
            Columns::Utf16 => before.encode_utf16().count(),
        } + 1;
        LineCol { line, column }
    }
}

/// Where a result that is not met points: the reported figure, or the rule when there is none.
/// Shared by the CI reports so they agree on what a line in a dashboard means.
fn result_loc(rule: &Rule, result: &RuleResult) -> Loc {
    match &result.figure {
        Some(figure) => Loc::Data(figure.clone()),
        None => Loc::Rule(rule.loc.clone()),
    }
}

/// Every finding in the order of the human report (`Outcome::all_findings`): input errors,
/// then rule results in plan order, then the rest; each with the result it is the finding of.
fn findings_in_order(outcome: &Outcome) -> impl Iterator<Item = (&Finding, Option<&RuleResult>)> {
    let input = outcome.findings.iter().filter(|f| f.kind == Kind::Input);
    let results = outcome
        .results
        .iter()
        .filter_map(|r| Some((r.finding.as_ref()?, Some(r))));
    let other = outcome.findings.iter().filter(|f| f.kind != Kind::Input);
    input
        .map(|f| (f, None))
        .chain(results)
        .chain(other.map(|f| (f, None)))
}

/// ` · 责任领导 张明（副区长）` after a task's title in the tables by task, or nothing.
pub(crate) fn leader_note(task: &crate::model::Task) -> String {
    if task.leaders.is_empty() {
        return String::new();
    }
    format!(" · 责任领导 {}", task.leaders.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::line_col;

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "reporter: 区科技局\nfigures:\n  国家高新技术企业: 38\n";
        let index = LineIndex::new(text);
        for offset in [0, 5, 12, 20, text.find("38").unwrap_or(0), text.len()] {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn paths_are_relative_to_the_root_and_normalised() {
        let root = Root {
            dir: "/repo".into(),
            cwd: "/repo/sub".into(),
        };
        assert_eq!(root.relative("data/eco.yaml"), "sub/data/eco.yaml");
        assert_eq!(root.relative("./data//x/../eco.yaml"), "sub/data/eco.yaml");
        assert_eq!(root.relative("../rules/plan.plan"), "rules/plan.plan");
        assert_eq!(root.relative("/repo/rules/plan.plan"), "rules/plan.plan");
        assert_eq!(root.relative("/elsewhere/a.json"), "/elsewhere/a.json");
        assert_eq!(root.relative("../../etc/x"), "/etc/x");
    }

    #[test]
    fn columns_count_utf16_code_units() {
        let text = "甲\n𠮷乙 x";
        let index = LineIndex::new(text);
        let offset = "甲\n𠮷乙 ".len();
        let at = |offset| {
            let p = index.position(text, offset, Columns::Utf16);
            (p.line, p.column)
        };
        assert_eq!(at(offset), (2, 5));
        assert_eq!(at(0), (1, 1));
    }
}
