//! JSON (with comments and trailing commas, as people edit it by hand) into a `tree::Node`.

use super::tree::{Entry, Kind, Node};
use super::{Format, LoadError, MAX_DEPTH};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, ParseOptions, Scanner};

/// The document in `text`: none for an empty file, else one.
pub(super) fn parse(text: &str) -> Result<Vec<Node>, LoadError> {
    check_depth(text)?;
    let options = ParseOptions {
        allow_comments: true,
        // `{reporter: …}` is JavaScript, not JSON; a submitter who wrote it meant YAML.
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|err| {
            let range = err.range();
            LoadError::syntax(Format::Json, err.kind().to_string(), range.start..range.end)
        })?;
    Ok(parsed.value.iter().map(convert).collect())
}

/// jsonc-parser recurses once per level of nesting; its own scanner (which knows strings and
/// comments) counts brackets first, so a hostile file is refused before the parser recurses.
fn check_depth(text: &str) -> Result<(), LoadError> {
    let mut scanner = Scanner::new(text);
    let mut depth = 0usize;
    // A scan error is left for the parser, which reports it with its position.
    while let Ok(Some(token)) = scanner.scan() {
        match token {
            Token::OpenBrace | Token::OpenBracket => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(LoadError::too_deep(
                        scanner.token_start()..scanner.token_end(),
                    ));
                }
            }
            Token::CloseBrace | Token::CloseBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Converts the AST; its depth is bounded by `check_depth`.
fn convert(value: &Value<'_>) -> Node {
    let range = value.range();
    let kind = match value {
        Value::StringLit(s) => Kind::Text(s.value.to_string()),
        Value::NumberLit(n) => Kind::Number(n.value.to_owned()),
        Value::BooleanLit(b) => Kind::Bool(b.value),
        Value::NullKeyword(_) => Kind::Null,
        Value::Array(array) => Kind::List(array.elements.iter().map(convert).collect()),
        Value::Object(object) => Kind::Map(
            object
                .properties
                .iter()
                .map(|prop| {
                    let (name, range) = match &prop.name {
                        ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                    };
                    Entry {
                        key: Node::new(range.start..range.end, Kind::Text(name)),
                        value: convert(&prop.value),
                    }
                })
                .collect(),
        ),
    };
    Node::new(range.start..range.end, kind)
}
