//! CSV tables: one figure per row, grouped into one submission per (reporter, period).
//!
//! Spreadsheet templates carry task and target columns next to the value; those are read past
//! on purpose. Any other unknown column is an error, since it may be a misspelt value column.
//!
//! The columns and the grouping are shared with Excel workbooks (`xlsx`), which hand their
//! rows to the same `Table` as `TableCell`s, so both tables accept exactly the same things.

use super::error::{Field, ShapeProblem};
use super::value::parse_value_with_unit;
use super::{Figure, FigureValue, Format, InvalidReason, LoadError, LoadedFile, Submission};
use crate::period::Period;
use crate::source::{DataFileId, DataLoc, Span};
use csv::{ErrorKind, ReaderBuilder, StringRecord};
use std::borrow::Cow;
use std::collections::HashMap;

pub(super) fn load(file: DataFileId, text: &str, loaded: &mut LoadedFile) {
    // Flexible: a row with more or fewer cells than the header is an error on that row alone,
    // checked below, and the other rows are still read.
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
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
    let header_line = Place::span(line_at(text, record_start(&header)));
    let header_cells = cells(&header, text);
    loaded.errors.extend(extra_columns(&header_cells));
    let mut table = match Table::new(&header_cells, &header_line) {
        Ok(table) => table,
        Err(mut errors) => return loaded.errors.append(&mut errors),
    };
    for record in records {
        match record {
            Ok(row) if row.len() != header.len() && !is_blank(&row) => {
                let start = record_start(&row);
                loaded.errors.push(LoadError::syntax(
                    Format::Csv,
                    format!(
                        "这一行有 {} 列，表头有 {} 列；此行未读取",
                        row.len(),
                        header.len()
                    ),
                    line_at(text, start),
                ));
            }
            Ok(row) => {
                let start = record_start(&row);
                table.add_row(&cells(&row, text), &Place::span(start..start), file);
            }
            // A table whose rows cannot be split is not read at all.
            Err(err) => return loaded.errors.push(syntax_error(&err, text)),
        }
    }
    if table.is_empty() {
        loaded
            .errors
            .push(header_line.shape(ShapeProblem::NoSubmissions));
    }
    table.finish(file, loaded);
}

/// The cells of a record, each with its span in `text`.
fn cells<'r>(record: &'r StringRecord, text: &str) -> Vec<TableCell<'r>> {
    let start = record_start(record);
    let spans = field_spans(text, start);
    record
        .iter()
        .enumerate()
        .map(|(index, field)| TableCell {
            text: Cow::Borrowed(field),
            place: Place::span(spans.get(index).cloned().unwrap_or(start..start)),
            not_a_value: None,
        })
        .collect()
}

/// A row of nothing but empty cells (`,,,` that Excel writes below a table).
fn is_blank(row: &StringRecord) -> bool {
    row.iter().all(|cell| cell.trim().is_empty())
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

/// Where a table cell is: a byte span in a CSV file, or a named cell of a workbook, which has
/// no text a span could point into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    span: Span,
    /// `Sheet1!C12`.
    cell: Option<String>,
}

impl Place {
    pub(super) fn span(span: Span) -> Place {
        Place { span, cell: None }
    }

    pub(super) fn cell(name: String) -> Place {
        Place {
            span: 0..0,
            cell: Some(name),
        }
    }

    fn loc(&self, file: DataFileId) -> DataLoc {
        DataLoc {
            file,
            span: self.span.clone(),
            cell: self.cell.clone(),
        }
    }

    /// `error` as said of this place: a workbook's errors name their cell.
    pub(super) fn error(&self, error: LoadError) -> LoadError {
        match &self.cell {
            Some(cell) => LoadError::in_cell(cell.clone(), error),
            None => error,
        }
    }

    pub(super) fn shape(&self, problem: ShapeProblem) -> LoadError {
        self.error(LoadError::shape(problem, self.span.clone()))
    }
}

/// One cell of a table: its text and where it is.
pub(super) struct TableCell<'a> {
    pub text: Cow<'a, str>,
    pub place: Place,
    /// Why a workbook cell can be no figure's value whatever its text, and what to show for
    /// it: a date (Excel turned a typed `1-2` into 2 January), or a formula no program ever
    /// calculated. Read in the value column only: a date is a fine period.
    pub not_a_value: Option<(InvalidReason, String)>,
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
        // What clerks add to a form: read past, with a note (`extra_columns`).
        "填报人" | "联系人" | "联系电话" | "电话" | "审核人" | "负责人" | "填报日期" | "序号" => {
            return Some(Column::Ignored)
        }
        _ => return None,
    };
    Some(Column::Read(field))
}

/// A note for each column clerks add to a form (填报人, 联系电话, …) that is read past, so
/// nobody wonders where its contents went.
pub(super) fn extra_columns(header: &[TableCell<'_>]) -> Vec<LoadError> {
    header
        .iter()
        .filter(|cell| {
            matches!(column(&cell.text), Some(Column::Ignored))
                && !matches!(
                    cell.text.trim().to_ascii_lowercase().as_str(),
                    "note" | "备注" | "task" | "任务" | "target" | "目标"
                )
        })
        .map(|cell| {
            cell.place.error(LoadError::ExtraColumn {
                name: cell.text.trim().to_owned(),
                span: cell.place.span.clone().into(),
            })
        })
        .collect()
}

/// Whether a header row names a column plancheck reads: a workbook sheet that does not (a
/// cover page, a list of units) is not a table of figures and is passed over.
pub(super) fn names_a_column(header: &[TableCell<'_>]) -> bool {
    header
        .iter()
        .any(|cell| matches!(column(&cell.text), Some(Column::Read(_))))
}

/// How many of the four columns a table needs (reporter, period, metric, value) a row names:
/// a workbook's header below title rows must name at least two.
pub(super) fn names_required_columns(header: &[TableCell<'_>]) -> usize {
    let mut named: Vec<Field> = Vec::new();
    for cell in header {
        if let Some(Column::Read(field)) = column(&cell.text) {
            if field != Field::Unit && !named.contains(&field) {
                named.push(field);
            }
        }
    }
    named.len()
}

impl Columns {
    /// `row` is the whole header row, where a missing column is reported.
    fn from_header(header: &[TableCell<'_>], row: &Place) -> Result<Columns, Vec<LoadError>> {
        let mut errors = Vec::new();
        let mut found: Vec<(Field, usize)> = Vec::new();
        for (index, cell) in header.iter().enumerate() {
            match column(&cell.text) {
                Some(Column::Read(field)) if found.iter().any(|(f, _)| *f == field) => {
                    errors.push(cell.place.shape(ShapeProblem::CsvDuplicateColumn));
                }
                Some(Column::Read(field)) => found.push((field, index)),
                Some(Column::Ignored) => {}
                // A workbook's header row runs on past its last name in empty cells.
                None if cell.text.trim().is_empty() && cell.place.cell.is_some() => {}
                None => errors.push(cell.place.shape(ShapeProblem::CsvUnknownColumn)),
            }
        }
        let index_of = |field| found.iter().find(|(f, _)| *f == field).map(|(_, i)| *i);
        let mut required = |field| {
            let index = index_of(field);
            if index.is_none() {
                errors.push(row.shape(ShapeProblem::CsvMissingColumn(field)));
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

/// A table being read: its columns, and its rows grouped by (reporter, period) in order of
/// first appearance.
pub(super) struct Table {
    columns: Columns,
    list: Vec<Group>,
    index: HashMap<(String, PeriodKey), usize>,
}

struct Group {
    reporter: String,
    reporter_place: Place,
    period: PeriodKey,
    period_place: Place,
    figures: Vec<Figure>,
    errors: Vec<LoadError>,
}

impl Table {
    /// A table with the columns `header` names; `row` is where the header row is.
    pub(super) fn new(header: &[TableCell<'_>], row: &Place) -> Result<Table, Vec<LoadError>> {
        Ok(Table {
            columns: Columns::from_header(header, row)?,
            list: Vec::new(),
            index: HashMap::new(),
        })
    }

    /// Whether no row with a figure has been added.
    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Adds one row; `at` is where the row starts, for cells the row lacks.
    pub(super) fn add_row(&mut self, row: &[TableCell<'_>], at: &Place, file: DataFileId) {
        // Spreadsheets export trailing rows of empty cells.
        if row.iter().all(|cell| cell.text.trim().is_empty()) {
            return;
        }
        let missing = TableCell {
            text: Cow::Borrowed(""),
            place: at.clone(),
            not_a_value: None,
        };
        let cell = |index: usize| row.get(index).unwrap_or(&missing);
        let columns = &self.columns;
        let (metric, value) = (cell(columns.metric), cell(columns.value));
        let unit = columns.unit.map_or("", |index| &cell(index).text);
        let index = self.group(cell(columns.reporter), cell(columns.period));
        let Some(group) = self.list.get_mut(index) else {
            return;
        };
        let name = metric.text.trim();
        if name.is_empty() {
            let error = metric.place.shape(ShapeProblem::EmptyField(Field::Metric));
            group.errors.push(error);
            return;
        }
        let read = match &value.not_a_value {
            Some((reason, text)) => FigureValue::Invalid {
                text: text.clone(),
                reason: *reason,
            },
            None => parse_value_with_unit(&value.text, unit),
        };
        group.figures.push(Figure {
            metric: name.to_owned(),
            metric_loc: metric.place.loc(file),
            value: read,
            value_loc: value.place.loc(file),
        });
    }

    /// The index of the row's group, created on first sight.
    fn group(&mut self, reporter: &TableCell<'_>, period: &TableCell<'_>) -> usize {
        let written = period.text.trim();
        let period_key = match written.parse::<Period>() {
            Ok(read) => PeriodKey::Read(read),
            Err(_) => PeriodKey::Unreadable(written.to_owned()),
        };
        let key = (reporter.text.trim().to_owned(), period_key);
        if let Some(&index) = self.index.get(&key) {
            return index;
        }
        let index = self.list.len();
        self.list.push(Group {
            reporter: key.0.clone(),
            reporter_place: reporter.place.clone(),
            period: key.1.clone(),
            period_place: period.place.clone(),
            figures: Vec::new(),
            errors: Vec::new(),
        });
        self.index.insert(key, index);
        index
    }

    /// Adds every group as a submission, or reports its problems.
    pub(super) fn finish(self, file: DataFileId, loaded: &mut LoadedFile) {
        for group in self.list {
            group.finish(file, loaded);
        }
    }
}

impl Group {
    /// Reports the group's problems, or adds it as a submission.
    fn finish(mut self, file: DataFileId, loaded: &mut LoadedFile) {
        if self.reporter.is_empty() {
            let error = self
                .reporter_place
                .shape(ShapeProblem::EmptyField(Field::Reporter));
            self.errors.insert(0, error);
        }
        let period = match &self.period {
            PeriodKey::Read(period) => Some(*period),
            PeriodKey::Unreadable(written) => {
                let place = &self.period_place;
                let error = if written.is_empty() {
                    place.shape(ShapeProblem::EmptyField(Field::Period))
                } else {
                    place.error(LoadError::bad_period(place.span.clone()))
                };
                self.errors.insert(0, error);
                None
            }
        };
        match period {
            Some(period) if self.errors.is_empty() => loaded.submissions.push(Submission {
                plan: None,
                reporter: self.reporter,
                reporter_loc: self.reporter_place.loc(file),
                period,
                period_loc: self.period_place.loc(file),
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
