//! Integration tests: the real `plancheck` binary on fixture files in a temporary directory.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a failed unwrap is a failed test

mod check;
mod ci_formats;
mod cli;
mod coverage;
mod diagnostics;
mod json_report;
mod scale;
mod shipped;
mod submitters;
mod support;
mod time;
