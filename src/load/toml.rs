//! TOML into a `tree::Node`, through toml's spanned document parser.
//!
//! TOML has no top-level list, so several submissions are written `[[submissions]]`; `shape`
//! accepts that wrapper in every format. Chinese keys must be quoted in TOML (`"受污染耕地
//! 安全利用率" = "92.3%"`); the syntax error's help says so.

use super::tree::{Entry, Kind, Node, Unsupported};
use super::{Format, LoadError, MAX_DEPTH};
use crate::source::Span;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// toml's own messages when a document nests deeper than toml allows (80 levels): for
/// arrays and inline tables, and for dotted keys.
const TOML_RECURSION_LIMITS: [&str; 2] = [
    "cannot recurse further; max recursion depth met",
    "recursion limit",
];

/// The document in `text`: TOML always has exactly one.
pub(super) fn parse(text: &str) -> Result<Vec<Node>, LoadError> {
    let document = DeTable::parse(text).map_err(|err| {
        let span = err.span().unwrap_or(text.len()..text.len());
        if TOML_RECURSION_LIMITS.contains(&err.message()) {
            LoadError::too_deep(span)
        } else {
            LoadError::syntax(Format::Toml, err.message(), span)
        }
    })?;
    let span = document.span();
    Ok(vec![table(document.get_ref(), span, 1)?])
}

/// Converts a table at nesting `depth` (the document is 1). toml bounds its own recursion, so
/// this recursion is bounded too; `MAX_DEPTH` is checked before each step down.
fn table(table: &DeTable<'_>, span: Span, depth: usize) -> Result<Node, LoadError> {
    let mut entries = table
        .iter()
        .map(|(key, value)| {
            Ok(Entry {
                key: Node::new(key.span(), Kind::Text(key.get_ref().to_string())),
                value: value_node(value, depth + 1)?,
            })
        })
        .collect::<Result<Vec<_>, LoadError>>()?;
    // toml's tables are sorted by key; submitters expect their own order back.
    entries.sort_by_key(|entry| entry.key.span.start);
    Ok(Node::new(span, Kind::Map(entries)))
}

fn value_node(value: &Spanned<DeValue<'_>>, depth: usize) -> Result<Node, LoadError> {
    let span = value.span();
    let kind = match value.get_ref() {
        DeValue::String(text) => Kind::Text(text.to_string()),
        DeValue::Integer(n) if n.radix() == 10 => Kind::Number(n.as_str().to_owned()),
        DeValue::Integer(n) => match i128::from_str_radix(n.as_str(), n.radix()) {
            Ok(n) => Kind::Number(n.to_string()),
            Err(_) => Kind::Number(n.to_string()),
        },
        DeValue::Float(f) => Kind::Number(f.as_str().to_owned()),
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(_) => Kind::Unsupported(Unsupported::Datetime),
        DeValue::Array(items) => {
            check_depth(depth, &span)?;
            Kind::List(
                items
                    .iter()
                    .map(|item| value_node(item, depth + 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        DeValue::Table(inner) => {
            check_depth(depth, &span)?;
            return table(inner, span, depth);
        }
    };
    Ok(Node::new(span, kind))
}

fn check_depth(depth: usize, span: &Span) -> Result<(), LoadError> {
    if depth > MAX_DEPTH {
        return Err(LoadError::too_deep(span.clone()));
    }
    Ok(())
}
