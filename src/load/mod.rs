//! Reading submitted figures: JSON, YAML, TOML, CSV and Excel files into `Submission`s.
//!
//! Every figure keeps the byte span of its key and of its value in the file, so a report can
//! point at the exact place a department typed a number. Loading never panics and never drops
//! a figure: what cannot be read becomes a `LoadError` (the file or a submission is broken) or a
//! `FigureValue::Invalid` (one value is broken, the rest of the file still counts).
//!
//! JSON, YAML and TOML are first read into one small `tree::Node` shape, so the rules for what
//! a submission looks like live once, in `shape`; CSV and Excel workbooks are tables, read by
//! the table code in `csv`. A workbook has no text: its figures carry a cell name instead of a
//! span.

mod csv;
mod error;
mod json;
mod json_fast;
pub mod schema;
mod shape;
mod toml;
mod tree;
mod value;
pub mod waiver;
mod walk;
mod xlsx;
mod yaml;

#[cfg(test)]
mod tests;

pub use error::{Field, LoadError, ShapeProblem};
/// Public so fuzzing and property tests can reach the value reader on its own.
pub use value::parse_value;
pub use walk::data_files;

use crate::files::Limits;
use crate::period::Period;
use crate::source::{normalize_newlines, DataFileId, DataLoc, Span};
use crate::units::Quantity;
use std::path::Path;

/// Deepest nesting of mappings and lists a data file may have. A submission needs four
/// (list → submission → figures → `{value, unit}`); the limit only exists so hostile input
/// cannot exhaust the stack of a recursive reader.
pub const MAX_DEPTH: usize = 32;

/// One department's figures for one period.
#[derive(Debug, Clone)]
pub struct Submission {
    /// `plan: 兖州区`: the plan it reports for, when several are checked in one run.
    pub plan: Option<PlanKey>,
    pub reporter: String,
    pub reporter_loc: DataLoc,
    pub period: Period,
    pub period_loc: DataLoc,
    pub figures: Vec<Figure>,
}

/// The `plan` key of a submission: which plan it reports for, and where that is written, so
/// a submission routed to no plan can be pointed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanKey {
    pub id: String,
    pub loc: DataLoc,
}

/// One reported figure.
#[derive(Debug, Clone)]
pub struct Figure {
    pub metric: String,
    pub metric_loc: DataLoc,
    pub value: FigureValue,
    pub value_loc: DataLoc,
}

/// A submission as read, its names borrowed from the file's text where the format allows.
#[derive(Debug, Clone)]
pub struct SubmissionRef<'t> {
    /// The fast reader takes no `plan` key (a file with one is read the ordinary way).
    pub plan: Option<&'t PlanKey>,
    pub reporter: &'t str,
    pub reporter_loc: DataLoc,
    pub period: Period,
    pub period_loc: DataLoc,
    pub figures: Vec<FigureRef<'t>>,
}

/// A figure as read, its metric name borrowed.
#[derive(Debug, Clone)]
pub struct FigureRef<'t> {
    pub metric: &'t str,
    pub metric_loc: DataLoc,
    pub value: FigureValue,
    pub value_loc: DataLoc,
}

impl<'t> SubmissionRef<'t> {
    /// Borrows an owned submission (figure values are cloned: a number costs nothing).
    pub fn of(submission: &'t Submission) -> Self {
        SubmissionRef {
            plan: submission.plan.as_ref(),
            reporter: &submission.reporter,
            reporter_loc: submission.reporter_loc.clone(),
            period: submission.period,
            period_loc: submission.period_loc.clone(),
            figures: submission.figures.iter().map(FigureRef::of).collect(),
        }
    }

    pub fn to_owned(self) -> Submission {
        Submission {
            plan: self.plan.cloned(),
            reporter: self.reporter.to_owned(),
            reporter_loc: self.reporter_loc,
            period: self.period,
            period_loc: self.period_loc,
            figures: self.figures.into_iter().map(FigureRef::to_owned).collect(),
        }
    }
}

impl<'t> FigureRef<'t> {
    pub fn of(figure: &'t Figure) -> Self {
        FigureRef {
            metric: &figure.metric,
            metric_loc: figure.metric_loc.clone(),
            value: figure.value.clone(),
            value_loc: figure.value_loc.clone(),
        }
    }

    pub fn to_owned(self) -> Figure {
        Figure {
            metric: self.metric.to_owned(),
            metric_loc: self.metric_loc,
            value: self.value,
            value_loc: self.value_loc,
        }
    }
}

/// What reading one file gives a visitor, in file order.
#[derive(Debug)]
pub enum Read<'t> {
    Error(LoadError),
    Submission(SubmissionRef<'t>),
}

/// Reads a data file as `load_file` does, handing each error and submission to `visit`
/// without keeping them: plain JSON (what machines write by the thousand) is read with its
/// names borrowed from the text, so a figure costs no allocation; other files are loaded whole
/// and then visited.
pub fn visit_file(id: DataFileId, path: &Path, limits: &Limits, visit: &mut dyn FnMut(Read<'_>)) {
    if Format::from_path(path) != Some(Format::Json) {
        return visit_loaded(load_file_limited(id, path, limits), visit);
    }
    // Read through the file policy like every other file: only a regular file within the size
    // limit, never a FIFO or a device.
    let display = path.display().to_string();
    let bytes = match crate::files::read_regular(path, limits.file_bytes, "--max-file-size") {
        Ok(bytes) => bytes,
        Err(refusal) => {
            return visit_loaded(
                LoadedFile::failed(LoadError::refused(&display, &refusal)),
                visit,
            )
        }
    };
    let mut loaded = match simdutf8::basic::from_utf8(&bytes) {
        Ok(text) => {
            let text = normalize_newlines(text);
            match json_fast::read(id, &text) {
                Some(submissions) => {
                    let figures = submissions.iter().map(|s| s.figures.len()).sum();
                    if let Some(error) = over_figure_limit(figures, limits) {
                        LoadedFile::failed(error)
                    } else {
                        for submission in submissions {
                            visit(Read::Submission(submission));
                        }
                        return;
                    }
                }
                // Anything the fast reader leaves goes to the full reader, on the text already
                // decoded: it reports every error with its span.
                None => {
                    let mut loaded = LoadedFile::default();
                    shape::read(id, &text, json::parse(&text), &mut loaded);
                    within_figure_limit(loaded, limits)
                }
            }
        }
        // Not UTF-8: named, with its likely encoding, as for every format.
        Err(_) => load_bytes_limited(id, Format::Json, &bytes, limits),
    };
    for error in &mut loaded.errors {
        error.set_path(&display);
    }
    visit_loaded(loaded, visit);
}

/// Hands a loaded file to `visit`.
pub fn visit_loaded(loaded: LoadedFile, visit: &mut dyn FnMut(Read<'_>)) {
    for error in loaded.errors {
        visit(Read::Error(error));
    }
    for submission in &loaded.submissions {
        visit(Read::Submission(SubmissionRef::of(submission)));
    }
}

/// A reported value after reading, before it meets any rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureValue {
    /// A number, with its unit if the submitter wrote one (`"92.3%"`, `"3.2亿元"`); a bare
    /// number (`4512`) has none and takes the unit of the rule it is checked against.
    Number(Quantity),
    /// A milestone: `done`, `true`, `false`, `完成`, `未完成`.
    Done(bool),
    /// A number followed by a unit the registry does not know (`"5头牛"`).
    UnknownUnit {
        amount: rust_decimal::Decimal,
        unit: String,
    },
    /// Not a value at all: NaN, infinity, empty, or text that is no number.
    Invalid { text: String, reason: InvalidReason },
}

/// Why a value is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidReason {
    Empty,
    NotANumber,
    NonFinite,
    /// More digits than an exact decimal holds (28).
    TooLarge,
    /// Below zero, for a count or a share whose rule does not `allow negative`.
    Negative,
    /// Over 100%, for a share whose target is at most 100% and whose rule does not
    /// `allow over 100%`.
    OverFull,
    /// A workbook cell Excel made a date: `1-2` typed into a number column becomes 2 January
    /// (`2024-01-02`), which must not read as the number 2024 with the unit `-01-02`.
    Date,
    /// A workbook formula with no calculated value: a program wrote `=SUM(…)` and nothing
    /// has calculated it since. The text is the formula.
    Uncalculated,
}

impl InvalidReason {
    pub fn describe(self) -> &'static str {
        match self {
            InvalidReason::Empty => "值为空",
            InvalidReason::NotANumber => "不是数值",
            InvalidReason::NonFinite => "不是有限数值（NaN 或无穷大）",
            InvalidReason::TooLarge => "数值位数过多，无法精确表示",
            InvalidReason::Negative => "数量或比例不能为负数",
            InvalidReason::OverFull => "比例不能超过 100%",
            InvalidReason::Date => "是日期，不是数值",
            InvalidReason::Uncalculated => "公式未计算，请在 Excel/WPS 中打开并保存",
        }
    }
}

/// What loading one data file gives: its submissions and what went wrong. The text is not
/// kept: a report re-reads only the files its findings point into.
#[derive(Debug, Default, Clone)]
pub struct LoadedFile {
    pub submissions: Vec<Submission>,
    pub errors: Vec<LoadError>,
}

impl LoadedFile {
    fn failed(error: LoadError) -> Self {
        LoadedFile {
            errors: vec![error],
            ..LoadedFile::default()
        }
    }
}

/// The format of a data file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Toml,
    Csv,
    /// An Excel workbook: binary, so it is read from bytes and has no text.
    Xlsx,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
            Format::Csv => "CSV",
            Format::Xlsx => "Excel",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `path` has an extension plancheck reads as a submission. Excel's lock files
/// (`~$填报.xlsx`, left beside a workbook while it is open) are not workbooks and are passed
/// over, so checking a folder does not fail while someone has a file open.
pub fn is_data_file(path: &Path) -> bool {
    let lock_file = path
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with("~$"));
    Format::from_path(path).is_some() && !lock_file
}

/// Reads a data file, normalises its newlines and loads it in the format its extension names,
/// within the default limits.
pub fn load_file(id: DataFileId, path: &Path) -> LoadedFile {
    load_file_limited(id, path, &Limits::default())
}

/// As `load_file`, within `limits`. Only a regular file is read, and only if its size is
/// within the limit (checked from its metadata before reading); errors about the file as a
/// whole name its path.
pub fn load_file_limited(id: DataFileId, path: &Path, limits: &Limits) -> LoadedFile {
    let display = path.display().to_string();
    let Some(format) = Format::from_path(path) else {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        return LoadedFile::failed(LoadError::Format {
            path: display,
            extension,
        });
    };
    let bytes = match crate::files::read_regular(path, limits.file_bytes, "--max-file-size") {
        Ok(bytes) => bytes,
        Err(refusal) => return LoadedFile::failed(LoadError::refused(&display, &refusal)),
    };
    let mut loaded = load_bytes_limited(id, format, &bytes, limits);
    for error in &mut loaded.errors {
        error.set_path(&display);
    }
    loaded
}

/// Loads a file's bytes: a workbook as it is, any other format as UTF-8 text with its newlines
/// normalised.
pub fn load_bytes(id: DataFileId, format: Format, bytes: &[u8]) -> LoadedFile {
    load_bytes_limited(id, format, bytes, &Limits::default())
}

fn load_bytes_limited(id: DataFileId, format: Format, bytes: &[u8], limits: &Limits) -> LoadedFile {
    let loaded = if format == Format::Xlsx {
        let mut loaded = LoadedFile::default();
        xlsx::load(id, bytes, limits, &mut loaded);
        loaded
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => load_text(id, format, &normalize_newlines(text)),
            Err(err) => match decode_gbk_csv(format, bytes) {
                Some(text) => {
                    let text = normalize_newlines(&text);
                    let mut loaded = load_text(id, format, &text);
                    let first_line = text.find('\n').unwrap_or(text.len());
                    loaded.errors.insert(
                        0,
                        LoadError::ReadAsGbk {
                            span: (0..first_line).into(),
                        },
                    );
                    loaded
                }
                None => LoadedFile::failed(not_utf8(bytes, err.valid_up_to())),
            },
        }
    };
    within_figure_limit(loaded, limits)
}

/// `loaded`, or the refusal of a file with more figures than the limit. Checked once the file
/// is read, which its size limit already bounds; the limit bounds the work of checking it.
fn within_figure_limit(loaded: LoadedFile, limits: &Limits) -> LoadedFile {
    let figures = loaded.submissions.iter().map(|s| s.figures.len()).sum();
    match over_figure_limit(figures, limits) {
        Some(error) => LoadedFile::failed(error),
        None => loaded,
    }
}

/// The error for a file of `figures` figures, if that is over `--max-figures`.
fn over_figure_limit(figures: usize, limits: &Limits) -> Option<LoadError> {
    let count = u64::try_from(figures).unwrap_or(u64::MAX);
    (count > limits.figures).then(|| LoadError::TooManyFigures {
        path: String::new(),
        count,
        limit: limits.figures,
    })
}

/// A CSV file that is not UTF-8 but decodes as GB18030 (a superset of GBK) without a single
/// malformed byte, as Chinese Excel writes it; `None` for anything else, which stays an
/// encoding error. Reports decode it the same way to draw their snippets.
pub fn decode_gbk_csv(format: Format, bytes: &[u8]) -> Option<String> {
    if format != Format::Csv {
        return None;
    }
    let (text, malformed) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!malformed).then(|| text.into_owned())
}

/// The error for bytes that are not UTF-8 from `offset` on, with the line and the encoding
/// they most likely are in.
fn not_utf8(bytes: &[u8], offset: usize) -> LoadError {
    let before = bytes.get(..offset).unwrap_or_default();
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let guess = match crate::files::likely_encoding(bytes) {
        Some(encoding) => format!("，疑似 {encoding} 编码"),
        None => String::new(),
    };
    LoadError::NotUtf8 {
        path: String::new(),
        line,
        offset,
        guess,
    }
}

/// Loads text that was already read and normalised (`source::normalize_newlines`). A workbook
/// is never text; given one, the text's bytes are read as the workbook (and fail as one).
pub fn load_text(id: DataFileId, format: Format, text: &str) -> LoadedFile {
    let mut loaded = LoadedFile::default();
    match format {
        Format::Csv => csv::load(id, text, &mut loaded),
        Format::Json => match json_fast::read(id, text) {
            Some(read) => {
                loaded.submissions = read.into_iter().map(SubmissionRef::to_owned).collect()
            }
            None => shape::read(id, text, json::parse(text), &mut loaded),
        },
        Format::Yaml => {
            let (documents, error) = yaml::parse_documents(text);
            loaded.errors.extend(error);
            shape::read(id, text, Ok(documents), &mut loaded);
        }
        Format::Toml => shape::read(id, text, toml::parse(text), &mut loaded),
        Format::Xlsx => xlsx::load(id, text.as_bytes(), &Limits::default(), &mut loaded),
    }
    loaded
}

fn loc(file: DataFileId, span: Span) -> DataLoc {
    DataLoc {
        file,
        span,
        cell: None,
    }
}
