//! The Apache Ant JUnit schema (`tests/schemas/JUnit.xsd`), checked in Rust so `cargo test`
//! needs no `xmllint`. `.ci/run` validates with `xmllint --schema` as well.
//!
//! What the XSD requires, rule by rule: a `testsuites` root of `testsuite`s (each with
//! `package` and `id`) or a lone `testsuite`; a suite's children in the order `properties`,
//! `testcase`*, `system-out`, `system-err`, each present; the listed attributes only, the
//! required ones present, with their types (int, decimal, a non-empty token, a timestamp
//! `YYYY-MM-DDTHH:MM:SS`); at most one of `skipped`, `error`, `failure` in a test case, text
//! only inside it. The counts a suite declares must also match its test cases, which CI
//! servers rely on though the XSD cannot say it.

use roxmltree::{Document, Node};

/// Checks `xml` against the schema's rules; the error lists every violation found.
pub fn validate(xml: &str) -> Result<(), Vec<String>> {
    let doc = Document::parse(xml).map_err(|e| vec![format!("not XML: {e}")])?;
    let mut errors = Vec::new();
    let root = doc.root_element();
    match root.tag_name().name() {
        "testsuites" => {
            attributes(root, &[], &[], &mut errors);
            for (i, child) in elements(root, &mut errors).into_iter().enumerate() {
                if child.tag_name().name() != "testsuite" {
                    errors.push(format!("<testsuites> holds <{}>", child.tag_name().name()));
                    continue;
                }
                testsuite(child, true, &mut errors);
                if child.attribute("id") != Some(i.to_string().as_str()) {
                    errors.push(format!("testsuite {i} has id {:?}", child.attribute("id")));
                }
            }
        }
        "testsuite" => testsuite(root, false, &mut errors),
        other => errors.push(format!("root element <{other}>")),
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The child elements of `node`; text other than whitespace between them is an error (the
/// content model is element-only).
fn elements<'a, 'i>(node: Node<'a, 'i>, errors: &mut Vec<String>) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for child in node.children() {
        if child.is_element() {
            out.push(child);
        } else if child.is_text() && !child.text().unwrap_or("").trim().is_empty() {
            errors.push(format!("text inside <{}>", node.tag_name().name()));
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Type {
    Int,
    Decimal,
    /// `xs:token` with `minLength 1`.
    NonEmptyToken,
    Token,
    String,
    Timestamp,
}

/// Checks that `node` has every `required` attribute, no attribute outside `required` and
/// `optional`, and that each value has its type.
fn attributes(
    node: Node<'_, '_>,
    required: &[(&str, Type)],
    optional: &[(&str, Type)],
    errors: &mut Vec<String>,
) {
    let element = node.tag_name().name();
    for (name, _) in required {
        if node.attribute(*name).is_none() {
            errors.push(format!("<{element}> lacks the required attribute {name}"));
        }
    }
    for attribute in node.attributes() {
        let name = attribute.name();
        let Some((_, ty)) = required.iter().chain(optional).find(|(n, _)| *n == name) else {
            errors.push(format!("<{element}> has the undeclared attribute {name}"));
            continue;
        };
        if !valid(attribute.value(), *ty) {
            errors.push(format!(
                "<{element} {name}={:?}> is not of its type",
                attribute.value()
            ));
        }
    }
}

fn valid(value: &str, ty: Type) -> bool {
    // xs:token collapses whitespace; a value the collapse would change is still valid, but
    // must not be empty afterwards where minLength is 1.
    let token = || value.split_whitespace().collect::<Vec<_>>().join(" ");
    match ty {
        Type::Int => value.trim().parse::<i32>().is_ok(),
        Type::Decimal => {
            let v = value.trim();
            let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
            !digits.is_empty()
                && digits != "."
                && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                && digits.matches('.').count() <= 1
        }
        Type::NonEmptyToken => !token().is_empty(),
        Type::Token | Type::String => true,
        Type::Timestamp => {
            let v = value.trim().as_bytes();
            let shape = b"0000-00-00T00:00:00";
            v.len() == shape.len()
                && v.iter().zip(shape).all(|(c, s)| match s {
                    b'0' => c.is_ascii_digit(),
                    _ => c == s,
                })
        }
    }
}

fn count(node: Node<'_, '_>, name: &str) -> Option<usize> {
    node.attribute(name)?.trim().parse().ok()
}

fn testsuite(suite: Node<'_, '_>, aggregated: bool, errors: &mut Vec<String>) {
    let mut required = vec![
        ("name", Type::NonEmptyToken),
        ("timestamp", Type::Timestamp),
        ("hostname", Type::NonEmptyToken),
        ("tests", Type::Int),
        ("failures", Type::Int),
        ("errors", Type::Int),
        ("time", Type::Decimal),
    ];
    if aggregated {
        required.extend([("package", Type::Token), ("id", Type::Int)]);
    }
    attributes(suite, &required, &[("skipped", Type::Int)], errors);
    let children = elements(suite, errors);
    let names: Vec<&str> = children.iter().map(|c| c.tag_name().name()).collect();
    // properties, testcase*, system-out, system-err: exactly this order, each once.
    let cases = names.iter().filter(|n| **n == "testcase").count();
    let mut expected = vec!["properties"];
    expected.extend(std::iter::repeat_n("testcase", cases));
    expected.extend(["system-out", "system-err"]);
    if names != expected {
        errors.push(format!(
            "<testsuite {:?}> holds {names:?}, not properties, testcase*, system-out, system-err",
            suite.attribute("name")
        ));
    }
    let (mut failures, mut errored, mut skipped) = (0, 0, 0);
    for child in children {
        match child.tag_name().name() {
            "properties" => {
                attributes(child, &[], &[], errors);
                for property in elements(child, errors) {
                    if property.tag_name().name() != "property" {
                        errors.push(format!(
                            "<properties> holds <{}>",
                            property.tag_name().name()
                        ));
                    }
                    attributes(
                        property,
                        &[("name", Type::NonEmptyToken), ("value", Type::String)],
                        &[],
                        errors,
                    );
                }
            }
            "testcase" => {
                attributes(
                    child,
                    &[
                        ("name", Type::Token),
                        ("classname", Type::Token),
                        ("time", Type::Decimal),
                    ],
                    &[],
                    errors,
                );
                let outcomes = elements(child, errors);
                if outcomes.len() > 1 {
                    errors.push("a <testcase> holds more than one outcome".to_owned());
                }
                for outcome in outcomes {
                    let name = outcome.tag_name().name();
                    match name {
                        "skipped" => skipped += 1,
                        "error" => errored += 1,
                        "failure" => failures += 1,
                        other => errors.push(format!("<testcase> holds <{other}>")),
                    }
                    let required: &[(&str, Type)] = if name == "skipped" {
                        &[]
                    } else {
                        &[("type", Type::String)]
                    };
                    attributes(outcome, required, &[("message", Type::String)], errors);
                    if outcome.children().any(|c| c.is_element()) {
                        errors.push(format!("<{name}> holds an element; only text is allowed"));
                    }
                }
            }
            "system-out" | "system-err" => {
                attributes(child, &[], &[], errors);
                if child.children().any(|c| c.is_element()) {
                    errors.push(format!("<{}> holds an element", child.tag_name().name()));
                }
            }
            _ => {}
        }
    }
    let declared = [
        ("tests", count(suite, "tests"), cases),
        ("failures", count(suite, "failures"), failures),
        ("errors", count(suite, "errors"), errored),
        ("skipped", count(suite, "skipped").or(Some(0)), skipped),
    ];
    for (name, declared, actual) in declared {
        if declared.is_some_and(|d| d != actual) {
            errors.push(format!(
                "<testsuite {:?}> declares {name}={declared:?} but holds {actual}",
                suite.attribute("name")
            ));
        }
    }
}

#[test]
fn the_checker_can_fail() {
    let suite = |attrs: &str, body: &str| {
        format!(
            r#"<testsuite name="a" timestamp="2023-12-31T00:00:00" hostname="h" tests="1" failures="0" errors="0" time="0"{attrs}><properties/>{body}<system-out/><system-err/></testsuite>"#
        )
    };
    let ok = suite("", r#"<testcase name="t" classname="c" time="0"/>"#);
    assert_eq!(validate(&ok), Ok(()));
    let broken = [
        suite("", ""), // tests=1, no case
        suite(
            " extra=\"x\"",
            r#"<testcase name="t" classname="c" time="0"/>"#,
        ),
        suite("", r#"<testcase name="t" classname="c"/>"#), // no time
        suite(
            "",
            r#"<testcase name="t" classname="c" time="0"><failure message="m"/></testcase>"#,
        ),
        suite(
            "",
            r#"<testcase name="t" classname="c" time="0"><skipped/><error type="e"/></testcase>"#,
        ),
        ok.replace("2023-12-31T00:00:00", "2023-12-31"),
        ok.replace("<properties/>", ""),
        ok.replace("<system-out/><system-err/>", "<system-err/><system-out/>"),
        ok.replace("hostname=\"h\"", "hostname=\" \""),
        format!("<testsuites>{}</testsuites>", ok), // no package, id
        "<testsuites><testsuite".to_owned(),
    ];
    for xml in broken {
        assert!(validate(&xml).is_err(), "accepted: {xml}");
    }
}
