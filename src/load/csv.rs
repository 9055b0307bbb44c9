//! CSV tables: one figure per row, grouped into one submission per (reporter, period).
//!
//! Spreadsheet templates carry task and target columns next to the value; those are read past
//! on purpose. Any other unknown column is an error, since it may be a misspelt value column.

use super::error::{Field, ShapeProblem};
use super::value::parse_value_with_unit;
use super::{loc, Figure, Format, LoadError, LoadedFile, Submission};
use crate::period::Period;
use crate::source::{DataFileId, Span};
use csv::{ErrorKind, ReaderBuilder, StringRecord};
use std::collections::HashMap;

pub(super) fn load(file: DataFileId, text: &str, loaded: &mut LoadedFile) {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            loaded
                .errors
                .push(LoadError::shape(ShapeProblem::CsvNoHeader, 0..0));
            return;
        }
        Some(Err(err)) => return loaded.errors.push(syntax_error(&err, text)),
        Some(Ok(header)) => header,
    };
    let columns = match Columns::from_header(&header, text) {
        Ok(columns) => columns,
        Err(mut errors) => return loaded.errors.append(&mut errors),
    };
    let mut groups = Groups::default();
    for record in records {
        match record {
            Ok(row) => groups.add_row(&row, &columns, text, file),
            // A table whose rows cannot be split is not read at all.
            Err(err) => return loaded.errors.push(syntax_error(&err, text)),
        }
    }
    if groups.list.is_empty() {
        let at = line_at(text, record_start(&header));
        loaded
            .errors
            .push(LoadError::shape(ShapeProblem::NoSubmissions, at));
    }
    for group in groups.list {
        group.finish(file, loaded);
    }
}

fn syntax_error(err: &csv::Error, text: &str) -> LoadError {
    let start = err
        .position()
        .and_then(|p| usize::try_from(p.byte()).ok())
        .unwrap_or(0);
    let message = match err.kind() {
        ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("这一行有 {len} 列，表头有 {expected_len} 列"),
        _ => err.to_string(),
    };
    LoadError::syntax(Format::Csv, message, line_at(text, start))
}

/// The line starting at byte `start`, without its newline.
fn line_at(text: &str, start: usize) -> Span {
    let start = start.min(text.len());
    let rest = text.get(start..).unwrap_or("");
    start..start + rest.find('\n').unwrap_or(rest.len())
}

fn record_start(record: &StringRecord) -> usize {
    record
        .position()
        .and_then(|p| usize::try_from(p.byte()).ok())
        .unwrap_or(0)
}

/// Which column holds what.
struct Columns {
    reporter: usize,
    period: usize,
    metric: usize,
    value: usize,
    unit: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Read(Field),
    /// Notes, and the task and target columns of templates.
    Ignored,
}

fn column(name: &str) -> Option<Column> {
    let field = match name.trim().to_ascii_lowercase().as_str() {
        "reporter" | "填报单位" => Field::Reporter,
        "period" | "期间" => Field::Period,
        "metric" | "指标" => Field::Metric,
        "value" | "数值" => Field::Value,
        "unit" | "计量单位" | "单位" => Field::Unit,
        "note" | "备注" | "task" | "任务" | "target" | "目标" => {
            return Some(Column::Ignored)
        }
        _ => return None,
    };
    Some(Column::Read(field))
}

impl Columns {
    fn from_header(header: &StringRecord, text: &str) -> Result<Columns, Vec<LoadError>> {
        let spans = field_spans(text, record_start(header));
        let mut errors = Vec::new();
        let mut found: Vec<(Field, usize)> = Vec::new();
        for (index, name) in header.iter().enumerate() {
            let span = spans.get(index).cloned().unwrap_or(0..0);
            match column(name) {
                Some(Column::Read(field)) if found.iter().any(|(f, _)| *f == field) => {
                    errors.push(LoadError::shape(ShapeProblem::CsvDuplicateColumn, span));
                }
                Some(Column::Read(field)) => found.push((field, index)),
                Some(Column::Ignored) => {}
                None => errors.push(LoadError::shape(ShapeProblem::CsvUnknownColumn, span)),
            }
        }
        let index_of = |field| found.iter().find(|(f, _)| *f == field).map(|(_, i)| *i);
        let mut required = |field| {
            let index = index_of(field);
            if index.is_none() {
                let at = line_at(text, record_start(header));
                errors.push(LoadError::shape(ShapeProblem::CsvMissingColumn(field), at));
            }
            index.unwrap_or(0)
        };
        let columns = Columns {
            reporter: required(Field::Reporter),
            period: required(Field::Period),
            metric: required(Field::Metric),
            value: required(Field::Value),
            unit: index_of(Field::Unit),
        };
        if errors.is_empty() {
            Ok(columns)
        } else {
            Err(errors)
        }
    }
}

/// A period as written, read if it can be, so `2023` and `2023年` land in one submission.
#[derive(Clone, PartialEq, Eq, Hash)]
enum PeriodKey {
    Read(Period),
    Unreadable(String),
}

/// Rows grouped by (reporter, period), in order of first appearance.
#[derive(Default)]
struct Groups {
    list: Vec<Group>,
    index: HashMap<(String, PeriodKey), usize>,
}

struct Group {
    reporter: String,
    reporter_span: Span,
    period: PeriodKey,
    period_span: Span,
    figures: Vec<Figure>,
    errors: Vec<LoadError>,
}

/// One cell: its text and its span (with quotes, if it had any).
struct Cell<'r> {
    text: &'r str,
    span: Span,
}

impl Groups {
    fn add_row(&mut self, row: &StringRecord, columns: &Columns, text: &str, file: DataFileId) {
        // Spreadsheets export trailing rows of empty cells.
        if row.iter().all(|field| field.trim().is_empty()) {
            return;
        }
        let start = record_start(row);
        let spans = field_spans(text, start);
        let cell = |index: usize| Cell {
            text: row.get(index).unwrap_or(""),
            span: spans.get(index).cloned().unwrap_or(start..start),
        };
        let (reporter, period, metric, value) = (
            cell(columns.reporter),
            cell(columns.period),
            cell(columns.metric),
            cell(columns.value),
        );
        let unit = columns
            .unit
            .map_or("", |index| row.get(index).unwrap_or(""));
        let index = self.group(&reporter, &period);
        let Some(group) = self.list.get_mut(index) else {
            return;
        };
        let name = metric.text.trim();
        if name.is_empty() {
            let error = LoadError::shape(ShapeProblem::EmptyField(Field::Metric), metric.span);
            group.errors.push(error);
            return;
        }
        group.figures.push(Figure {
            metric: name.to_owned(),
            metric_loc: loc(file, metric.span),
            value: parse_value_with_unit(value.text, unit),
            value_loc: loc(file, value.span),
        });
    }

    /// The index of the row's group, created on first sight.
    fn group(&mut self, reporter: &Cell<'_>, period: &Cell<'_>) -> usize {
        let written = period.text.trim();
        let period_key = match written.parse::<Period>() {
            Ok(read) => PeriodKey::Read(read),
            Err(_) => PeriodKey::Unreadable(written.to_owned()),
        };
        let key = (reporter.text.trim().to_owned(), period_key);
        let list = &mut self.list;
        *self.index.entry(key.clone()).or_insert_with(|| {
            list.push(Group {
                reporter: key.0,
                reporter_span: reporter.span.clone(),
                period: key.1,
                period_span: period.span.clone(),
                figures: Vec::new(),
                errors: Vec::new(),
            });
            list.len() - 1
        })
    }
}

impl Group {
    /// Reports the group's problems, or adds it as a submission.
    fn finish(mut self, file: DataFileId, loaded: &mut LoadedFile) {
        if self.reporter.is_empty() {
            let error = LoadError::shape(
                ShapeProblem::EmptyField(Field::Reporter),
                self.reporter_span.clone(),
            );
            self.errors.insert(0, error);
        }
        let period = match &self.period {
            PeriodKey::Read(period) => Some(*period),
            PeriodKey::Unreadable(written) => {
                let error = if written.is_empty() {
                    LoadError::shape(
                        ShapeProblem::EmptyField(Field::Period),
                        self.period_span.clone(),
                    )
                } else {
                    LoadError::bad_period(self.period_span.clone())
                };
                self.errors.insert(0, error);
                None
            }
        };
        match period {
            Some(period) if self.errors.is_empty() => loaded.submissions.push(Submission {
                reporter: self.reporter,
                reporter_loc: loc(file, self.reporter_span),
                period,
                period_loc: loc(file, self.period_span),
                figures: self.figures,
            }),
            _ => loaded.errors.append(&mut self.errors),
        }
    }
}

/// The byte span of each field of the record starting at `start`, found by scanning the raw
/// text the way the csv crate splits it: a field that starts with `"` runs to the matching
/// quote (`""` is an escaped quote), any other field to the next comma or newline. A quoted
/// field's span includes its quotes; an unquoted one's leaves out surrounding spaces.
fn field_spans(text: &str, start: usize) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut at = start;
    loop {
        let field_start = at;
        let quoted = bytes.get(at) == Some(&b'"');
        if quoted {
            at += 1;
            while let Some(&byte) = bytes.get(at) {
                at += 1;
                if byte == b'"' {
                    if bytes.get(at) == Some(&b'"') {
                        at += 1;
                    } else {
                        break;
                    }
                }
            }
        }
        while let Some(&byte) = bytes.get(at) {
            if matches!(byte, b',' | b'\n' | b'\r') {
                break;
            }
            at += 1;
        }
        spans.push(if quoted {
            field_start..at
        } else {
            trim_span(text, field_start..at)
        });
        if bytes.get(at) == Some(&b',') {
            at += 1;
        } else {
            return spans;
        }
    }
}

fn trim_span(text: &str, span: Span) -> Span {
    let field = text.get(span.clone()).unwrap_or("");
    let leading = field.len() - field.trim_start().len();
    let trimmed = field.trim();
    let start = span.start + leading;
    start..start + trimmed.len()
}
