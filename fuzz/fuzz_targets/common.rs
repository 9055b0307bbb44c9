//! What every loader target checks beyond "no panic".

use plancheck::load::{load_bytes, Format, LoadedFile};
use plancheck::source::{normalize_newlines, DataFileId, Span};

/// Loads `data` as `format` and checks that every span the loader returns lies within the
/// text it read (reports clamp spans, but a span past the end is still a loader bug).
pub fn load_and_check(format: Format, data: &[u8]) {
    let loaded = load_bytes(DataFileId(0), format, data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let len = normalize_newlines(text).len();
    for span in spans(&loaded) {
        assert!(
            span.start <= span.end && span.end <= len,
            "span {span:?} outside the text of {len} bytes"
        );
    }
}

fn spans(loaded: &LoadedFile) -> Vec<Span> {
    let mut spans: Vec<Span> = loaded.errors.iter().filter_map(|e| e.span()).collect();
    for submission in &loaded.submissions {
        spans.push(submission.reporter_loc.span.clone());
        spans.push(submission.period_loc.span.clone());
        for figure in &submission.figures {
            spans.push(figure.metric_loc.span.clone());
            spans.push(figure.value_loc.span.clone());
        }
    }
    spans
}
