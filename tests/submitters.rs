//! Tools for submitters: Excel workbooks as submissions, `plancheck template`, and the JSON
//! Schema of a submission file.

mod excel;
mod schema;
mod template;
