//! Finding submissions in a JSON, YAML or TOML document.
//!
//! A document is one submission (a mapping with reporter, period and figures), a list of them,
//! or a mapping whose only key is `submissions` (TOML has no top-level list). A broken
//! submission is reported and dropped; the others in the file still load.

use super::error::{Field, ShapeProblem};
use super::tree::{Entry, Kind, Node, Unsupported};
use super::value::{parse_value, parse_value_with_unit};
use super::{loc, Figure, FigureValue, InvalidReason, LoadError, LoadedFile, PlanKey, Submission};
use crate::period::Period;
use crate::source::{DataFileId, Span};

/// Reads every submission out of `documents`, the result of one format's reader.
pub(super) fn read(
    file: DataFileId,
    text: &str,
    documents: Result<Vec<Node>, LoadError>,
    loaded: &mut LoadedFile,
) {
    let documents = match documents {
        Ok(documents) => documents,
        Err(error) => {
            loaded.errors.push(error);
            return;
        }
    };
    let reader = Reader { file, text };
    for document in &documents {
        reader.document(document, loaded);
    }
    if loaded.submissions.is_empty() && loaded.errors.is_empty() {
        let at = documents.first().map_or(0..0, |d| d.head(text));
        loaded
            .errors
            .push(LoadError::shape(ShapeProblem::NoSubmissions, at));
    }
}

/// The values of a submission's keys, where present.
#[derive(Default)]
struct Keys<'n> {
    plan: Option<&'n Node>,
    reporter: Option<&'n Node>,
    period: Option<&'n Node>,
    figures: Option<&'n Node>,
}

struct Reader<'t> {
    file: DataFileId,
    text: &'t str,
}

/// The keys a submission may have, in English or Chinese.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Plan,
    Reporter,
    Period,
    Figures,
    Note,
}

fn submission_key(name: &str) -> Option<Key> {
    match name.trim().to_ascii_lowercase().as_str() {
        "plan" | "计划" => Some(Key::Plan),
        "reporter" | "填报单位" => Some(Key::Reporter),
        "period" | "期间" => Some(Key::Period),
        "figures" | "指标" => Some(Key::Figures),
        "note" | "备注" => Some(Key::Note),
        // The schema an editor validates the file against (`"$schema": "…"`); not read.
        "$schema" => Some(Key::Note),
        _ => None,
    }
}

/// The keys of a `{value, unit}` figure.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueKey {
    Value,
    Unit,
    Note,
}

fn value_key(name: &str) -> Option<ValueKey> {
    match name.trim().to_ascii_lowercase().as_str() {
        "value" | "数值" => Some(ValueKey::Value),
        "unit" | "单位" | "计量单位" => Some(ValueKey::Unit),
        "note" | "备注" => Some(ValueKey::Note),
        _ => None,
    }
}

fn is_submissions_key(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case("submissions")
}

/// `"$schema"` beside `submissions`: for editors, not read.
fn is_schema_key(name: &str) -> bool {
    name.trim() == "$schema"
}

fn key_text(node: &Node) -> Option<&str> {
    match &node.kind {
        Kind::Text(text) => Some(text),
        _ => None,
    }
}

impl Reader<'_> {
    fn document(&self, document: &Node, loaded: &mut LoadedFile) {
        match &document.kind {
            // An empty document: `---` alone, a YAML file of comments, an empty TOML file.
            Kind::Null => {}
            Kind::Map(entries) if entries.is_empty() => {}
            Kind::List(items) => self.list(items, loaded),
            Kind::Map(entries)
                if entries
                    .iter()
                    .any(|e| key_text(&e.key).is_some_and(is_submissions_key)) =>
            {
                for entry in entries {
                    if key_text(&entry.key).is_some_and(is_schema_key) {
                        continue;
                    }
                    if !key_text(&entry.key).is_some_and(is_submissions_key) {
                        loaded.errors.push(LoadError::shape(
                            ShapeProblem::UnknownKey,
                            entry.key.span.clone(),
                        ));
                        continue;
                    }
                    match &entry.value.kind {
                        Kind::List(items) => self.list(items, loaded),
                        _ => loaded.errors.push(self.not_a_submission(&entry.value)),
                    }
                }
            }
            _ => self.submission(document, loaded),
        }
    }

    fn list(&self, items: &[Node], loaded: &mut LoadedFile) {
        for item in items {
            self.submission(item, loaded);
        }
    }

    fn not_a_submission(&self, node: &Node) -> LoadError {
        match node.kind {
            Kind::Unsupported(Unsupported::Alias) => {
                LoadError::shape(ShapeProblem::YamlAlias, node.span.clone())
            }
            _ => LoadError::shape(ShapeProblem::NotASubmission, self.point(node)),
        }
    }

    /// Where to point at a node: a scalar as a whole, a mapping or list at its first character.
    fn point(&self, node: &Node) -> Span {
        match node.kind {
            Kind::Map(_) | Kind::List(_) => node.head(self.text),
            _ => node.span.clone(),
        }
    }

    fn source(&self, node: &Node) -> String {
        self.text.get(node.span.clone()).unwrap_or("").to_owned()
    }

    /// Reads one submission; on any shape error reports them all and drops the submission.
    fn submission(&self, node: &Node, loaded: &mut LoadedFile) {
        let Kind::Map(entries) = &node.kind else {
            loaded.errors.push(self.not_a_submission(node));
            return;
        };
        let mut errors = Vec::new();
        let keys = self.submission_keys(entries, &mut errors);
        // Each field in turn, so its errors come in the order of the fields.
        let reporter = self
            .required(node, keys.reporter, Field::Reporter, &mut errors)
            .and_then(|n| self.reporter(n, &mut errors));
        let period = self
            .required(node, keys.period, Field::Period, &mut errors)
            .and_then(|n| self.period(n, &mut errors));
        let figures = self
            .required(node, keys.figures, Field::Figures, &mut errors)
            .and_then(|n| self.figures(n, &mut errors));
        match (reporter, period, figures) {
            (Some((reporter, reporter_node)), Some((period, period_node)), Some(figures))
                if errors.is_empty() =>
            {
                loaded.submissions.push(Submission {
                    // Which plan, when several are checked in one run (`crate::plans`).
                    plan: keys.plan.and_then(|n| match &n.kind {
                        Kind::Text(t) if !t.trim().is_empty() => Some(PlanKey {
                            id: t.trim().to_owned(),
                            loc: loc(self.file, n.span.clone()),
                        }),
                        _ => None,
                    }),
                    reporter,
                    reporter_loc: loc(self.file, reporter_node.span.clone()),
                    period,
                    period_loc: loc(self.file, period_node.span.clone()),
                    figures,
                });
            }
            _ => loaded.errors.append(&mut errors),
        }
    }

    /// The values of reporter, period and figures; unknown and repeated keys are errors.
    fn submission_keys<'n>(&self, entries: &'n [Entry], errors: &mut Vec<LoadError>) -> Keys<'n> {
        let mut keys = Keys::default();
        for entry in entries {
            let slot = match key_text(&entry.key).and_then(submission_key) {
                Some(Key::Plan) => &mut keys.plan,
                Some(Key::Reporter) => &mut keys.reporter,
                Some(Key::Period) => &mut keys.period,
                Some(Key::Figures) => &mut keys.figures,
                Some(Key::Note) => continue,
                None => {
                    let at = self.point(&entry.key);
                    errors.push(LoadError::shape(ShapeProblem::UnknownKey, at));
                    continue;
                }
            };
            if slot.replace(&entry.value).is_some() {
                let at = entry.key.span.clone();
                errors.push(LoadError::shape(ShapeProblem::DuplicateKey, at));
            }
        }
        keys
    }

    /// `value`, or an error at the start of `submission` that `field` is missing.
    fn required<'n>(
        &self,
        submission: &Node,
        value: Option<&'n Node>,
        field: Field,
        errors: &mut Vec<LoadError>,
    ) -> Option<&'n Node> {
        if value.is_none() {
            let at = submission.head(self.text);
            errors.push(LoadError::shape(ShapeProblem::MissingField(field), at));
        }
        value
    }

    fn reporter<'n>(
        &self,
        node: &'n Node,
        errors: &mut Vec<LoadError>,
    ) -> Option<(String, &'n Node)> {
        let problem = match &node.kind {
            Kind::Text(name) if !name.trim().is_empty() => {
                return Some((name.trim().to_owned(), node))
            }
            Kind::Text(_) | Kind::Null => ShapeProblem::EmptyField(Field::Reporter),
            _ => ShapeProblem::NotText(Field::Reporter),
        };
        errors.push(LoadError::shape(problem, self.point(node)));
        None
    }

    fn period<'n>(
        &self,
        node: &'n Node,
        errors: &mut Vec<LoadError>,
    ) -> Option<(Period, &'n Node)> {
        let written = match &node.kind {
            Kind::Text(text) | Kind::Number(text) => text.as_str(),
            Kind::Null => "",
            _ => {
                errors.push(LoadError::bad_period(self.point(node)));
                return None;
            }
        };
        if written.trim().is_empty() {
            errors.push(LoadError::shape(
                ShapeProblem::EmptyField(Field::Period),
                node.span.clone(),
            ));
            return None;
        }
        match written.parse::<Period>() {
            Ok(period) => Some((period, node)),
            Err(_) => {
                errors.push(LoadError::bad_period(node.span.clone()));
                None
            }
        }
    }

    fn figures(&self, node: &Node, errors: &mut Vec<LoadError>) -> Option<Vec<Figure>> {
        let entries = match &node.kind {
            Kind::Map(entries) => entries,
            // `figures:` with nothing under it: a submission that reports nothing yet, which the
            // check then reports figure by figure as missing.
            Kind::Null => return Some(Vec::new()),
            Kind::Unsupported(Unsupported::Alias) => {
                errors.push(LoadError::shape(ShapeProblem::YamlAlias, node.span.clone()));
                return None;
            }
            _ => {
                errors.push(LoadError::shape(
                    ShapeProblem::FiguresNotMapping,
                    self.point(node),
                ));
                return None;
            }
        };
        // Every figure is read, so that all their errors are reported, before any is dropped.
        let figures: Vec<Option<Figure>> = entries.iter().map(|e| self.figure(e, errors)).collect();
        figures.into_iter().collect()
    }

    fn figure(&self, entry: &Entry, errors: &mut Vec<LoadError>) -> Option<Figure> {
        let metric = match key_text(&entry.key) {
            Some(name) if !name.trim().is_empty() => Some(name.trim().to_owned()),
            Some(_) => {
                errors.push(LoadError::shape(
                    ShapeProblem::EmptyField(Field::Metric),
                    entry.key.span.clone(),
                ));
                None
            }
            None => {
                errors.push(LoadError::shape(
                    ShapeProblem::NotText(Field::Metric),
                    self.point(&entry.key),
                ));
                None
            }
        };
        let value = self.value(&entry.value, errors);
        let (metric, (value, value_node)) = (metric?, value?);
        Some(Figure {
            metric,
            metric_loc: loc(self.file, entry.key.span.clone()),
            value,
            value_loc: loc(self.file, value_node.span.clone()),
        })
    }

    /// A figure's value and the node it was read from (the inner `value` of `{value, unit}`).
    fn value<'n>(
        &self,
        node: &'n Node,
        errors: &mut Vec<LoadError>,
    ) -> Option<(FigureValue, &'n Node)> {
        let value = match &node.kind {
            Kind::Map(entries) => return self.value_with_unit(node, entries, errors),
            Kind::Text(text) | Kind::Number(text) => parse_value(text),
            Kind::Bool(done) => FigureValue::Done(*done),
            Kind::Null => self.empty(node),
            Kind::List(_) | Kind::Unsupported(_) => {
                errors.push(self.wrong_value(node));
                return None;
            }
        };
        Some((value, node))
    }

    fn empty(&self, node: &Node) -> FigureValue {
        FigureValue::Invalid {
            text: self.source(node),
            reason: InvalidReason::Empty,
        }
    }

    fn wrong_value(&self, node: &Node) -> LoadError {
        match node.kind {
            Kind::Unsupported(Unsupported::Alias) => {
                LoadError::shape(ShapeProblem::YamlAlias, node.span.clone())
            }
            _ => LoadError::shape(ShapeProblem::WrongValueType, self.point(node)),
        }
    }

    /// `{ value: 3.2, unit: 亿元, note: "…" }`
    fn value_with_unit<'n>(
        &self,
        node: &'n Node,
        entries: &'n [Entry],
        errors: &mut Vec<LoadError>,
    ) -> Option<(FigureValue, &'n Node)> {
        let before = errors.len();
        let mut value = None;
        let mut unit = None;
        for entry in entries {
            let slot = match key_text(&entry.key).and_then(value_key) {
                Some(ValueKey::Value) => &mut value,
                Some(ValueKey::Unit) => &mut unit,
                Some(ValueKey::Note) => continue,
                None => {
                    errors.push(LoadError::shape(
                        ShapeProblem::UnknownValueKey,
                        self.point(&entry.key),
                    ));
                    continue;
                }
            };
            if slot.replace(&entry.value).is_some() {
                errors.push(LoadError::shape(
                    ShapeProblem::DuplicateKey,
                    entry.key.span.clone(),
                ));
            }
        }
        let unit = match unit.map(|u| &u.kind) {
            None | Some(Kind::Null) => "",
            Some(Kind::Text(unit)) => unit.as_str(),
            Some(_) => {
                let at = unit.map_or(node.span.clone(), |u| self.point(u));
                errors.push(LoadError::shape(ShapeProblem::NotText(Field::Unit), at));
                ""
            }
        };
        let Some(value) = value else {
            errors.push(LoadError::shape(
                ShapeProblem::MissingField(Field::Value),
                node.head(self.text),
            ));
            return None;
        };
        let read = match &value.kind {
            Kind::Text(text) | Kind::Number(text) => parse_value_with_unit(text, unit),
            Kind::Bool(done) => FigureValue::Done(*done),
            Kind::Null => self.empty(value),
            Kind::Map(_) | Kind::List(_) | Kind::Unsupported(_) => {
                errors.push(self.wrong_value(value));
                return None;
            }
        };
        (errors.len() == before).then_some((read, value))
    }
}
