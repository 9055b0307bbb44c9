//! Integration tests: the real `plancheck` binary on fixture files in a temporary directory.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a failed unwrap is a failed test

mod arithmetic;
mod bulletin;
mod check;
mod ci_formats;
mod city;
mod clerks;
mod cli;
mod code_scanning;
mod comparisons;
mod coverage;
mod diagnostics;
mod draft;
mod exact_time;
mod fmt;
mod hostile;
mod json_report;
mod junit_schema;
mod kinds;
mod last_year;
mod layouts;
mod lint;
mod lsp;
mod multi_year;
mod plan_sets;
mod policy;
mod properties;
mod responsibility;
mod rule_tests;
mod scale;
mod shipped;
mod submitters;
mod support;
mod time;
mod tracked;
