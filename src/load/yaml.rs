//! YAML into a `tree::Node`, built from saphyr-parser's events.
//!
//! saphyr's own loader (`saphyr::MarkedYaml`) will not do: its mappings are hash maps keyed
//! by content, so a repeated metric would silently replace the first; it expands aliases by
//! deep copies (a small file of nested aliases becomes gigabytes); and it reads numbers into
//! `f64`. Building the tree from events keeps every entry in file order, keeps each plain
//! scalar's text so numbers stay exact, refuses aliases, and checks nesting on the way in,
//! without recursion.
//!
//! saphyr's markers count characters, not bytes; spans are converted with `CharOffsets`.

use super::tree::{self, Entry, Kind, Node, Unsupported};
use super::{Format, LoadError, MAX_DEPTH};
use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};

/// saphyr's scanner looks ahead through flow collections and has a nesting limit of its own,
/// which very deep input meets before our check sees its events.
const SAPHYR_RECURSION_LIMIT: &str = "recursion limit exceeded";

/// Every document of `text` up to the first error, and that error: a syntax error in the
/// second document of a file leaves the first, intact document to be checked.
pub(super) fn parse_documents(text: &str) -> (Vec<Node>, Option<LoadError>) {
    let offsets = CharOffsets::new(text);
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let step = event
            .map_err(|err| {
                let at = offsets.char_at(text, err.marker().index());
                if err.info() == SAPHYR_RECURSION_LIMIT {
                    LoadError::too_deep(at)
                } else {
                    LoadError::syntax(Format::Yaml, err.info(), at)
                }
            })
            .and_then(|(event, span)| {
                let span = offsets.span(span.start.index(), span.end.index());
                builder.event(event, span, text)
            });
        if let Err(error) = step {
            return (builder.documents, Some(error));
        }
    }
    (builder.documents, None)
}

#[derive(Default)]
struct Builder {
    documents: Vec<Node>,
    /// The mappings and sequences being read, outermost first.
    open: Vec<Open>,
    /// The finished top node of the current document.
    root: Option<Node>,
}

struct Open {
    start: usize,
    kind: OpenKind,
}

enum OpenKind {
    Sequence(Vec<Node>),
    /// Entries so far, and a key waiting for its value.
    Mapping(Vec<Entry>, Option<Node>),
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span, text: &str) -> Result<(), LoadError> {
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) => {}
            Event::DocumentEnd => {
                let root = self.root.take();
                self.documents
                    .push(root.unwrap_or_else(|| Node::new(span.start..span.start, Kind::Null)));
            }
            Event::Scalar(value, style, _, _) => {
                let node = scalar(&value, style, span, self.expecting_key());
                self.add(node);
            }
            Event::Alias(_) => self.add(Node::new(span, Kind::Unsupported(Unsupported::Alias))),
            Event::SequenceStart(..) => self.open(span, OpenKind::Sequence(Vec::new()))?,
            Event::MappingStart(..) => self.open(span, OpenKind::Mapping(Vec::new(), None))?,
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.open.pop() {
                    let kind = match open.kind {
                        OpenKind::Sequence(items) => Kind::List(items),
                        OpenKind::Mapping(entries, _) => Kind::Map(entries),
                    };
                    // The end event sits on the closing bracket, or after the last entry.
                    let end = span.start.max(open.start);
                    let end = if text
                        .get(end..)
                        .is_some_and(|rest| rest.starts_with([']', '}']))
                    {
                        end + 1
                    } else {
                        end
                    };
                    self.add(Node::new(open.start..end, kind));
                }
            }
        }
        Ok(())
    }

    /// Refuses to go deeper than `MAX_DEPTH` before anything deeper is built.
    fn open(&mut self, span: Span, kind: OpenKind) -> Result<(), LoadError> {
        if self.open.len() >= MAX_DEPTH {
            return Err(LoadError::too_deep(span));
        }
        self.open.push(Open {
            start: span.start,
            kind,
        });
        Ok(())
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.open.last(),
            Some(Open {
                kind: OpenKind::Mapping(_, None),
                ..
            })
        )
    }

    fn add(&mut self, node: Node) {
        match self.open.last_mut() {
            None => self.root = Some(node),
            Some(Open {
                kind: OpenKind::Sequence(items),
                ..
            }) => items.push(node),
            Some(Open {
                kind: OpenKind::Mapping(entries, pending),
                ..
            }) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push(Entry { key, value: node }),
            },
        }
    }
}

/// A scalar as YAML 1.2's core schema reads it, except that numbers keep their text. A key is
/// always a name: `2023:` is the metric "2023".
fn scalar(value: &str, style: ScalarStyle, span: Span, is_key: bool) -> Node {
    let kind = if is_key || style != ScalarStyle::Plain {
        Kind::Text(value.to_owned())
    } else {
        plain(value)
    };
    Node::new(span, kind)
}

fn plain(value: &str) -> Kind {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        _ => {}
    }
    if let Some(n) = radix_integer(value) {
        return Kind::Number(n.to_string());
    }
    if is_core_number(value) {
        Kind::Number(value.to_owned())
    } else {
        Kind::Text(value.to_owned())
    }
}

/// `0x1F` and `0o17`, YAML's hexadecimal and octal integers.
fn radix_integer(value: &str) -> Option<i128> {
    let (digits, radix) = match value.get(..2)? {
        "0x" => (value.get(2..)?, 16),
        "0o" => (value.get(2..)?, 8),
        _ => return None,
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    i128::from_str_radix(digits, radix).ok()
}

/// Decimal integers and floats of the core schema, with `.inf` and `.nan`; these are numbers
/// (a reporter written `2023` is a mistake), the rest is text.
fn is_core_number(value: &str) -> bool {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(value, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at).unwrap_or(""), unsigned.get(at + 1..)),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Byte offset of every character, so character markers become byte spans.
struct CharOffsets(Vec<usize>);

impl CharOffsets {
    fn new(text: &str) -> Self {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        CharOffsets(offsets)
    }

    fn byte(&self, char_index: usize) -> usize {
        self.0
            .get(char_index)
            .or(self.0.last())
            .copied()
            .unwrap_or(0)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.byte(start)..self.byte(end.max(start))
    }

    /// The character at `char_index`, or an empty span at the end of the text.
    fn char_at(&self, text: &str, char_index: usize) -> Span {
        tree::char_at(text, self.byte(char_index))
    }
}
