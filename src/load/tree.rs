//! The one document shape JSON, YAML and TOML are read into before `shape` looks for
//! submissions in it. Each reader keeps byte spans and the source text of numbers; nothing
//! else about the format survives.

use crate::source::Span;

/// A value in a data file and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    /// Byte span in the normalised text; quoted strings include their quotes.
    pub span: Span,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// A string, unescaped.
    Text(String),
    /// A number as written (sign, digits, point, exponent), so it is read exactly.
    Number(String),
    Bool(bool),
    /// `null`, `~` or nothing at all.
    Null,
    /// Entries in file order, duplicates kept.
    Map(Vec<Entry>),
    List(Vec<Node>),
    /// Something no submission holds.
    Unsupported(Unsupported),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unsupported {
    /// A TOML date or time.
    Datetime,
    /// A YAML alias (`*name`).
    Alias,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// A `Text` for every key a reader can produce; YAML keys that are lists or mappings stay
    /// as they are so `shape` can report them.
    pub key: Node,
    pub value: Node,
}

impl Node {
    pub fn new(span: Span, kind: Kind) -> Self {
        Node { span, kind }
    }

    /// The first character of the node, for errors about the node as a whole: a span over a
    /// whole submission would underline the entire file.
    pub fn head(&self, text: &str) -> Span {
        char_at(text, self.span.start)
    }
}

/// The character of `text` starting at byte `start`, or an empty span where none does.
pub(super) fn char_at(text: &str, start: usize) -> Span {
    let width = text
        .get(start..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    start..start + width
}
