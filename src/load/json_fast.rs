//! The common case of a JSON submission, read straight into `Submission`s.
//!
//! A national check reads tens of thousands of machine-written files of plain JSON. Building
//! jsonc-parser's tree and then `tree::Node` for each costs several allocations per figure and
//! dominated the profile, so this reader walks the bytes once, borrows keys from the text, and
//! builds figures directly, with the same spans and values as `json.rs` + `shape.rs`.
//!
//! It reads only well-formed submissions without comments, trailing commas, escapes in keys or
//! text values, or anything `shape.rs` would report. At the first thing outside that it gives
//! up (`None`), and the file is read again by the full reader, which reports every error with
//! its span: so errors, and all their wording, have one source.

use super::value::{parse_value, parse_value_with_unit};
use super::{loc, FigureRef, FigureValue, InvalidReason, SubmissionRef};
use crate::period::Period;
use crate::source::{DataFileId, Span};

/// The submissions of `text`, borrowing from it, or `None` when the full reader must read it.
pub(super) fn read(file: DataFileId, text: &str) -> Option<Vec<SubmissionRef<'_>>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        file,
        last_figures: None,
    };
    let mut loaded = Vec::new();
    reader.skip_space();
    match reader.peek()? {
        b'[' => reader.list(&mut loaded)?,
        b'{' => {
            // One submission, or `{"submissions": [...]}`.
            let start = reader.at;
            reader.at += 1;
            reader.skip_space();
            let first_key = reader.string_raw()?;
            reader.at = start;
            if first_key.trim().eq_ignore_ascii_case("submissions") {
                reader.expect(b'{')?;
                reader.string_raw()?;
                reader.expect(b':')?;
                reader.list(&mut loaded)?;
                reader.expect(b'}')?;
            } else {
                loaded.push(reader.submission()?);
            }
        }
        _ => return None,
    }
    reader.skip_space();
    (reader.at == reader.bytes.len() && !loaded.is_empty()).then_some(loaded)
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    file: DataFileId,
    /// How many figures the last submission of the file gave: the size to expect of the next.
    last_figures: Option<usize>,
}

/// A scalar as written: its span and what it is.
enum Scalar<'t> {
    /// A string's content (no escapes) and its span with quotes.
    Text(&'t str, Span),
    /// A number's text.
    Number(&'t str, Span),
    Bool(bool, Span),
    Null(Span),
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Skips space, then takes `byte`.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// After an item: `,` then more (true), or `close` (false).
    fn next_or_close(&mut self, close: u8) -> Option<bool> {
        self.skip_space();
        match self.peek()? {
            b',' => {
                self.at += 1;
                Some(true)
            }
            b if b == close => {
                self.at += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// A string without escapes or control characters; its content.
    fn string_raw(&mut self) -> Option<&'t str> {
        self.string().map(|(content, _)| content)
    }

    fn string(&mut self) -> Option<(&'t str, Span)> {
        self.skip_space();
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at;
        let rest = self.bytes.get(start + 1..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        let end = start + 1 + len;
        self.at = end + 1;
        Some((self.text.get(start + 1..end)?, start..end + 1))
    }

    /// A JSON number, checked against JSON's grammar.
    fn number(&mut self) -> Option<(&'t str, Span)> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.at += 1;
            }
            r.at - from
        };
        let int_start = self.at;
        let int = digits(self);
        // JSON has no leading zeros: `01` is left to the full reader.
        if int == 0 || (int > 1 && self.bytes.get(int_start) == Some(&b'0')) {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if digits(self) == 0 {
                return None;
            }
        }
        Some((self.text.get(start..self.at)?, start..self.at))
    }

    fn word(&mut self, word: &str) -> Option<Span> {
        let start = self.at;
        let end = start + word.len();
        (self.bytes.get(start..end)? == word.as_bytes()).then(|| {
            self.at = end;
            start..end
        })
    }

    fn scalar(&mut self) -> Option<Scalar<'t>> {
        self.skip_space();
        Some(match self.peek()? {
            b'"' => {
                let (text, span) = self.string()?;
                Scalar::Text(text, span)
            }
            b't' => Scalar::Bool(true, self.word("true")?),
            b'f' => Scalar::Bool(false, self.word("false")?),
            b'n' => Scalar::Null(self.word("null")?),
            b'-' | b'0'..=b'9' => {
                let (text, span) = self.number()?;
                Scalar::Number(text, span)
            }
            _ => return None,
        })
    }

    /// Skips a `note`. A note that is a mapping or list is left to the full reader, which
    /// bounds its depth.
    fn skip_note(&mut self) -> Option<()> {
        self.scalar().map(|_| ())
    }

    fn list(&mut self, loaded: &mut Vec<SubmissionRef<'t>>) -> Option<()> {
        self.expect(b'[')?;
        self.skip_space();
        if self.peek()? == b']' {
            return None;
        }
        loop {
            loaded.push(self.submission()?);
            if !self.next_or_close(b']')? {
                return Some(());
            }
        }
    }

    fn submission(&mut self) -> Option<SubmissionRef<'t>> {
        self.expect(b'{')?;
        let mut reporter = None;
        let mut period = None;
        let mut figures = None;
        loop {
            let key = self.string_raw()?;
            self.expect(b':')?;
            match key.trim().to_ascii_lowercase().as_str() {
                "reporter" | "填报单位" if reporter.is_none() => {
                    let (name, span) = self.string()?;
                    let name = name.trim();
                    if name.is_empty() {
                        return None;
                    }
                    reporter = Some((name, span));
                }
                "period" | "期间" if period.is_none() => {
                    let (written, span) = match self.scalar()? {
                        Scalar::Text(t, s) | Scalar::Number(t, s) => (t, s),
                        _ => return None,
                    };
                    if written.trim().is_empty() {
                        return None;
                    }
                    period = Some((written.parse::<Period>().ok()?, span));
                }
                "figures" | "指标" if figures.is_none() => figures = Some(self.figures()?),
                "note" | "备注" => self.skip_note()?,
                _ => return None,
            }
            if !self.next_or_close(b'}')? {
                break;
            }
        }
        let ((reporter, reporter_span), (period, period_span)) = (reporter?, period?);
        Some(SubmissionRef {
            plan: None,
            reporter,
            reporter_loc: loc(self.file, reporter_span),
            period,
            period_loc: loc(self.file, period_span),
            figures: figures?,
        })
    }

    fn figures(&mut self) -> Option<Vec<FigureRef<'t>>> {
        self.skip_space();
        if self.peek()? == b'n' {
            self.word("null")?;
            return Some(Vec::new());
        }
        self.expect(b'{')?;
        // A figure takes some 40 bytes of JSON: sizing the list once saves regrowing it. The
        // rest of the file sizes a file's first submission; a later one is expected to be the
        // size of the one before, so that a file of 20,000 one-figure submissions does not
        // reserve 4,096 figures for each.
        let rest = self.bytes.len().saturating_sub(self.at);
        let expected = self.last_figures.unwrap_or(rest / 40).min(4096);
        let mut figures = Vec::with_capacity(expected);
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(figures);
        }
        loop {
            let (metric, metric_span) = self.string()?;
            let metric = metric.trim();
            if metric.is_empty() {
                return None;
            }
            self.expect(b':')?;
            self.skip_space();
            let (value, value_span) = if self.peek()? == b'{' {
                self.value_with_unit()?
            } else {
                self.value(None)?
            };
            figures.push(FigureRef {
                metric,
                metric_loc: loc(self.file, metric_span),
                value,
                value_loc: loc(self.file, value_span),
            });
            if !self.next_or_close(b'}')? {
                self.last_figures = Some(figures.len());
                if figures.capacity() > figures.len().saturating_mul(2) {
                    figures.shrink_to_fit();
                }
                return Some(figures);
            }
        }
    }

    /// A scalar value, read with `unit` when it was written apart.
    fn value(&mut self, unit: Option<&str>) -> Option<(FigureValue, Span)> {
        let read = |text: &str| match unit {
            Some(unit) => parse_value_with_unit(text, unit),
            None => parse_value(text),
        };
        Some(match self.scalar()? {
            Scalar::Text(text, span) | Scalar::Number(text, span) => (read(text), span),
            Scalar::Bool(done, span) => (FigureValue::Done(done), span),
            Scalar::Null(span) => (
                FigureValue::Invalid {
                    text: "null".to_owned(),
                    reason: InvalidReason::Empty,
                },
                span,
            ),
        })
    }

    /// `{"value": 3.2, "unit": "亿元", "note": "…"}`: the unit is read first wherever it is.
    fn value_with_unit(&mut self) -> Option<(FigureValue, Span)> {
        self.expect(b'{')?;
        let mut value_at = None;
        let mut unit = None;
        loop {
            let key = self.string_raw()?;
            self.expect(b':')?;
            match key.trim().to_ascii_lowercase().as_str() {
                "value" | "数值" if value_at.is_none() => {
                    self.skip_space();
                    value_at = Some(self.at);
                    self.scalar()?;
                }
                "unit" | "单位" | "计量单位" if unit.is_none() => {
                    unit = Some(match self.scalar()? {
                        Scalar::Text(text, _) => text,
                        Scalar::Null(_) => "",
                        _ => return None,
                    });
                }
                "note" | "备注" => self.skip_note()?,
                _ => return None,
            }
            if !self.next_or_close(b'}')? {
                break;
            }
        }
        let end = self.at;
        self.at = value_at?;
        let value = self.value(Some(unit.unwrap_or("")))?;
        self.at = end;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is the test failing
    use super::*;
    use crate::load::LoadedFile;

    /// What the full reader makes of `text`.
    fn full(text: &str) -> LoadedFile {
        let mut loaded = LoadedFile::default();
        super::super::shape::read(
            DataFileId(0),
            text,
            super::super::json::parse(text),
            &mut loaded,
        );
        loaded
    }

    /// Texts the fast reader reads, each exactly as the full reader does.
    #[test]
    fn reads_plain_submissions_as_the_full_reader_does() {
        let texts = [
            r#"{"reporter": "区", "period": "2023", "figures": {"a": 90.96, "b": 1e3, "c": -12.50, "d": 0, "e": -0.0}}"#,
            r#"{"reporter": " 区 ", "period": 2023, "figures": {" 甲 ": "９２％", "乙": "4,512人", "丙": null, "丁": true, "戊": false, "己": ""}}"#,
            r#"{"填报单位": "区", "期间": "2023-H1", "备注": "说明", "指标": {"a": {"value": 3.2, "unit": "亿元"}, "b": {"unit": "万元", "数值": "3.2亿元", "note": 1}, "c": {"value": null}, "d": {"value": "done", "unit": null}}}"#,
            "[{\"reporter\": \"甲\", \"period\": \"2023-06\", \"figures\": {}},\n {\"reporter\": \"乙\", \"period\": \"2023-Q2\", \"figures\": null}]\n",
            r#"{"submissions": [{"reporter": "甲", "period": "2023", "figures": {"a": 1, "a": 2}}]}"#,
            r#"{"reporter": "区", "period": "2023", "figures": {"a": "NaN", "b": "1,5", "c": 1234567890123456789012345678.9, "d": "5头牛"}}"#,
        ];
        for text in texts {
            let fast: Vec<_> = read(DataFileId(0), text)
                .unwrap()
                .into_iter()
                .map(SubmissionRef::to_owned)
                .collect();
            let full = full(text);
            assert!(full.errors.is_empty(), "{text}");
            assert_eq!(
                format!("{fast:?}"),
                format!("{:?}", full.submissions),
                "{text}"
            );
        }
    }

    /// Anything else goes to the full reader, which reports it.
    #[test]
    fn leaves_everything_else_to_the_full_reader() {
        let texts = [
            "",
            "{}",
            "[]",
            r#"{"submissions": []}"#,
            "// 注释\n{\"reporter\": \"区\", \"period\": \"2023\", \"figures\": {}}",
            r#"{"reporter": "区", "period": "2023", "figures": {"a": 1,}}"#,
            r#"{"reporter": "区", "period": "2023", "figures": {"a\u0041": 1}}"#,
            r#"{"reporter": "", "period": "2023", "figures": {}}"#,
            r#"{"reporter": "区", "period": "2023-13", "figures": {}}"#,
            r#"{"reporter": "区", "period": "2023", "figures": {"a": 01}}"#,
            r#"{"reporter": "区", "period": "2023", "figures": {"a": [1]}}"#,
            r#"{"reporter": "区", "period": "2023", "figures": {"a": {"unit": "亿元"}}}"#,
            r#"{"reporter": "区", "reporter": "乙", "period": "2023", "figures": {}}"#,
            r#"{"reporter": "区", "period": "2023", "figures": {}, "x": 1}"#,
            r#"{"reporter": "区", "period": "2023", "figures": {}} {}"#,
            r#"{"reporter": "区", "period": "2023", "note": {"a": 1}, "figures": {}}"#,
            r#"{"period": "2023", "figures": {}}"#,
        ];
        for text in texts {
            assert!(read(DataFileId(0), text).is_none(), "{text}");
        }
    }
}
