//! Arithmetic that never rounds before a comparison and never uses floats. The amounts that
//! once crashed the reduce by overflowing are cases of the hostile table (`hostile/overflow.rs`).

use std::path::Path;

/// Verdicts compare exact decimals. Rounding belongs to the reports (`units::shown`), and a
/// float never carries an amount: evaluation's sources must not mention either.
#[test]
fn evaluation_neither_rounds_nor_uses_floats() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/eval");
    let mut offences = Vec::new();
    let mut files = vec![dir];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let offends = code
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(rounds_or_floats);
            if offends {
                offences.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

/// `round_dp`, `trunc`, `floor`, `f64`, `to_f64`, `from_f32_retain` and the like.
fn rounds_or_floats(word: &str) -> bool {
    matches!(word, "floor" | "ceil" | "trunc")
        || word.starts_with("round")
        || word.starts_with("trunc_with")
        || word.contains("f64")
        || word.contains("f32")
}

#[test]
fn the_scan_knows_rounding_and_floats_when_it_sees_them() {
    for word in [
        "round_dp",
        "round",
        "trunc_with_scale",
        "f64",
        "to_f64",
        "from_f64",
        "floor",
    ] {
        assert!(rounds_or_floats(word), "{word}");
    }
    for word in [
        "background",
        "around",
        "ground_truth",
        "format",
        "checked_div",
        "total",
    ] {
        assert!(!rounds_or_floats(word), "{word}");
    }
}
