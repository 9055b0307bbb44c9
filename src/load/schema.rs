//! The JSON Schema of a submission file. (Being written.)

/// The schema as pretty JSON with a trailing newline, as committed in
/// `schemas/submission.schema.json`.
pub fn submission_schema() -> String {
    String::new()
}
