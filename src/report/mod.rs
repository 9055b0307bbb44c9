//! Reports: the same outcome rendered for people (human), for tools (json) and for CI.
//!
//! Findings hold byte spans only. A report attaches sources when it renders: rule files are in
//! the plan; data files are read again here, one at a time and only those a report points
//! into, so evaluation never has to keep them.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub(crate) mod snippet;
pub mod summary;

use crate::diagnostic::Loc;
use crate::eval::Outcome;
use crate::model::Plan;
use crate::source::{line_col, DataFileId, LineCol, SourceFile};
use std::collections::{BTreeMap, BTreeSet};

/// What every report reads.
pub struct Context<'a> {
    pub plan: &'a Plan,
    /// Data file paths as the user gave them (or as found in a directory), by `DataFileId`.
    pub data_paths: &'a [String],
    pub outcome: &'a Outcome,
}

impl Context<'_> {
    pub fn data_path(&self, id: DataFileId) -> &str {
        self.data_paths
            .get(id.0)
            .map_or("<unknown>", String::as_str)
    }

    /// The display path of the file a location points into.
    pub fn path_of(&self, loc: &Loc) -> &str {
        match loc {
            Loc::Rule(r) => self
                .plan
                .files
                .get(r.file.0)
                .map_or("<unknown>", |f| f.path.as_str()),
            Loc::Data(d) => self.data_path(d.file),
        }
    }

    /// Reads a data file again for rendering, normalised as the loader saw it. A file that
    /// vanished since the check renders without a snippet rather than failing the report.
    pub fn read_data(&self, id: DataFileId) -> Option<SourceFile> {
        let path = self.data_paths.get(id.0)?;
        let text = std::fs::read_to_string(path).ok()?;
        Some(SourceFile::new(path.clone(), &text))
    }

    /// Line and column of every location in `locs`, reading each data file once.
    pub fn positions<'l>(&self, locs: impl IntoIterator<Item = &'l Loc>) -> Positions {
        let mut wanted: BTreeMap<DataFileId, BTreeSet<usize>> = BTreeMap::new();
        let mut positions = Positions::default();
        for loc in locs {
            match loc {
                Loc::Rule(r) => {
                    if let Some(file) = self.plan.files.get(r.file.0) {
                        positions
                            .rule
                            .insert((r.file.0, r.span.start), line_col(&file.text, r.span.start));
                    }
                }
                Loc::Data(d) => {
                    wanted.entry(d.file).or_default().insert(d.span.start);
                }
            }
        }
        for (file, offsets) in wanted {
            let Some(source) = self.read_data(file) else {
                continue;
            };
            let index = LineIndex::new(&source.text);
            for offset in offsets {
                positions
                    .data
                    .insert((file.0, offset), index.line_col(&source.text, offset));
            }
        }
        positions
    }
}

/// Resolved line/column positions, keyed by (file index, byte offset).
#[derive(Debug, Default)]
pub struct Positions {
    rule: BTreeMap<(usize, usize), LineCol>,
    data: BTreeMap<(usize, usize), LineCol>,
}

impl Positions {
    pub fn get(&self, loc: &Loc) -> Option<LineCol> {
        match loc {
            Loc::Rule(r) => self.rule.get(&(r.file.0, r.span.start)).copied(),
            Loc::Data(d) => self.data.get(&(d.file.0, d.span.start)).copied(),
        }
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

    fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = line_col(
            text.get(start..).unwrap_or(""),
            offset.saturating_sub(start),
        )
        .column;
        LineCol { line, column }
    }
}

/// Every location an outcome mentions: figures of results and labels of findings.
pub fn all_locations(outcome: &Outcome) -> Vec<Loc> {
    let mut locs = Vec::new();
    for result in &outcome.results {
        if let Some(figure) = &result.figure {
            locs.push(Loc::Data(figure.clone()));
        }
        locs.extend(result.parts.iter().map(|p| Loc::Data(p.figure.clone())));
    }
    for finding in outcome.all_findings() {
        locs.extend(finding.labels.iter().map(|l| l.loc.clone()));
    }
    locs
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
