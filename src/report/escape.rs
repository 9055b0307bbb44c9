//! Text from the input, made safe for each output.
//!
//! Names, values, reporters and file paths come from files other people write. Written raw,
//! a newline in a file name starts a line of its own (a forged `::warning::` command in a
//! GitHub Actions log), an escape sequence recolours or clears a terminal, a right-to-left
//! override makes `100%` read as `%001`, and `<img>` is HTML in a Markdown summary. Every
//! report passes input text through one helper of this module for its kind of output.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that are never written as they are: C0 controls (but tab), DEL, C1 controls,
/// and the invisible characters that reorder or hide text (bidi embeddings, overrides and
/// isolates, directional marks, the line and paragraph separators).
pub fn hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `\u{1b}`: how a hidden character is shown, so that a reader sees it is there.
pub fn visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// One line of text for a terminal or a log: every hidden character, line breaks included,
/// is written as `\u{…}`. For paths, messages, labels and values.
pub fn line(text: &str) -> Cow<'_, str> {
    escape_with(text, hidden)
}

/// Text of several lines for a terminal or a log: as [`line`], but line breaks stay. For help
/// texts, whose line breaks are plancheck's own.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| c != '\n' && hidden(c))
}

fn escape_with(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A whole file's text to draw a snippet from, with each hidden character but line breaks and
/// tabs replaced by as many bytes of look-alike (`?`, or `\u{fffd}` for a three-byte one), so
/// that every byte span into the file stays valid.
pub fn same_length(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && hidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c.len_utf8() {
            _ if c == '\n' || !hidden(c) => out.push(c),
            3 => out.push('\u{fffd}'),
            n => out.push_str(&"?".repeat(n)),
        }
    }
    Cow::Owned(out)
}

/// Inline Markdown (a table cell or a list item): hidden characters as in [`line`], HTML
/// markup as entities (GitHub renders raw HTML), and the characters that start Markdown syntax
/// or end a table cell behind a backslash.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span: no escape works inside one, so a backtick becomes a look-alike and
/// the text is kept on one line.
pub fn markdown_code(text: &str) -> String {
    format!("`{}`", line(text).replace('`', "ˋ"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_every_hidden_character() {
        assert_eq!(line("a.json\n::warning::x"), "a.json\\u{a}::warning::x");
        assert_eq!(
            line("\u{1b}[31m红\u{202e}%001"),
            "\\u{1b}[31m红\\u{202e}%001"
        );
        assert_eq!(line("\u{85}\u{2066}"), "\\u{85}\\u{2066}");
        assert_eq!(lines("帮助\n原文\u{7}"), "帮助\n原文\\u{7}");
        assert!(matches!(line("受污染耕地 >= 91%\t"), Cow::Borrowed(_)));
        assert_eq!(same_length("a\u{1b}\n\u{85}\u{202e}b"), "a?\n??\u{fffd}b");
    }

    #[test]
    fn markdown_shows_markup_as_text() {
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>|a\n*b*"),
            r"&lt;img src=x onerror=alert(1)&gt;\|a\\u{a}\*b\*"
        );
        assert_eq!(markdown_code("a`b\nc"), "`aˋb\\u{a}c`");
    }
}

/// Pretty JSON in which every hidden character inside a string is written as a `\uXXXX`
/// escape: the same JSON value, byte for byte safe to print to a terminal. (serde_json escapes
/// C0 controls but writes DEL, C1 controls and bidi overrides raw.)
pub fn json_pretty<T: serde::Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    json_pretty_to(&mut out, value)?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// `json_pretty`, written to `out` as it is made.
pub fn json_pretty_to<W: std::io::Write, T: serde::Serialize>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, SafeFormatter::default());
    value.serialize(&mut serializer)
}

#[derive(Default)]
struct SafeFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|(_, c)| hidden(*c)) {
            writer.write_all(rest.get(..at).unwrap_or("").as_bytes())?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{:04x}", unit)?;
            }
            rest = rest.get(at + c.len_utf8()..).unwrap_or("");
        }
        writer.write_all(rest.as_bytes())
    }

    // Everything else is the pretty formatter's.
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod json_tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is the test failing
    use super::*;

    #[test]
    fn json_escapes_hidden_characters_and_keeps_the_value() {
        let value = serde_json::json!({"名\u{202e}": ["a\u{85}\u{1b}", 1]});
        let text = json_pretty(&value).unwrap();
        assert!(text.contains(r#""名\u202e""#), "{text}");
        assert!(text.contains(r#""a\u0085\u001b""#), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        let plain = serde_json::json!({"a": [1, {}], "b": "受污染"});
        assert_eq!(
            json_pretty(&plain).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }
}
