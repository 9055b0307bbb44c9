//! Reading submitted figures: JSON, YAML, TOML and CSV files into `Submission`s.
//!
//! Every figure keeps the byte span of its key and of its value in the file, so a report can
//! point at the exact place a department typed a number. Loading never panics and never drops
//! a figure: what cannot be read becomes a `LoadError` (the file or a submission is broken) or a
//! `FigureValue::Invalid` (one value is broken, the rest of the file still counts).

use crate::period::Period;
use crate::source::{DataFileId, DataLoc};
use crate::units::{Quantity, Unit};

/// One department's figures for one period.
#[derive(Debug, Clone)]
pub struct Submission {
    pub reporter: String,
    pub reporter_loc: DataLoc,
    pub period: Period,
    pub period_loc: DataLoc,
    pub figures: Vec<Figure>,
}

/// One reported figure.
#[derive(Debug, Clone)]
pub struct Figure {
    pub metric: String,
    pub metric_loc: DataLoc,
    pub value: FigureValue,
    pub value_loc: DataLoc,
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
    UnknownUnit { amount: rust_decimal::Decimal, unit: String },
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
}

impl InvalidReason {
    pub fn describe(self) -> &'static str {
        match self {
            InvalidReason::Empty => "值为空",
            InvalidReason::NotANumber => "不是数值",
            InvalidReason::NonFinite => "不是有限数值（NaN 或无穷大）",
            InvalidReason::TooLarge => "数值位数过多，无法精确表示",
        }
    }
}

impl FigureValue {
    pub fn unit(&self) -> Option<&'static Unit> {
        match self {
            FigureValue::Number(q) => q.unit,
            _ => None,
        }
    }
}

/// What loading one data file gives: its submissions and what went wrong.
#[derive(Debug, Default)]
pub struct LoadedFile {
    pub submissions: Vec<Submission>,
    pub errors: Vec<LoadError>,
}

/// The format of a data file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Toml,
    Csv,
}

impl Format {
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Placeholder until the loaders land; replaced by the real error enum.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {}

/// Whether `path` has an extension plancheck reads as a submission.
pub fn is_data_file(path: &std::path::Path) -> bool {
    Format::from_path(path).is_some()
}

#[allow(dead_code)]
fn loc(file: DataFileId, span: std::ops::Range<usize>) -> DataLoc {
    DataLoc {
        file,
        span,
        cell: None,
    }
}
