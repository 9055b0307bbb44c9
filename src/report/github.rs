//! GitHub Actions workflow commands: one `::error` or `::warning` line per finding, which the
//! runner turns into an annotation on the file and line.
//!
//! Columns count characters, as GitHub's annotations do (and as plancheck's JSON report does).
//! Findings come in the order of the human report; nothing else is written, so the output can
//! go straight to stdout in a workflow step.

use super::{findings_in_order, result_loc, Context, Positions};
use crate::codes;
use crate::diagnostic::{Finding, Loc};
use crate::source::DataLoc;

/// One annotation before its location is resolved.
struct Annotation<'o> {
    finding: &'o Finding,
    loc: Option<Loc>,
    title: String,
}

/// Renders every finding of `ctx` as a workflow command line.
pub fn render(ctx: &Context<'_>) -> String {
    let annotations = annotations(ctx);
    let positions = ctx.positions(annotations.iter().filter_map(|a| a.loc.as_ref()));
    annotations
        .iter()
        .map(|annotation| command(ctx, &positions, annotation))
        .collect()
}

/// `::error file=…,line=…,col=…,endColumn=…,title=…::message%0Ahelp`, with its newline.
fn command(ctx: &Context<'_>, positions: &Positions, annotation: &Annotation<'_>) -> String {
    let mut properties = Vec::new();
    let mut title = annotation.title.clone();
    if let Some(loc) = &annotation.loc {
        properties.push(("file", ctx.path_of(loc).to_owned()));
        if let (Some(start), Some(end)) = (positions.get(loc), positions.end(loc)) {
            properties.push(("line", start.line.to_string()));
            // GitHub takes columns only on a one-line span.
            if start.line == end.line {
                properties.push(("col", start.column.to_string()));
                properties.push(("endColumn", end.column.to_string()));
            } else {
                properties.push(("endLine", end.line.to_string()));
            }
        }
        // A workbook has no lines: the cell is where to look.
        if let Loc::Data(DataLoc {
            cell: Some(cell), ..
        }) = loc
        {
            title.push_str(&format!("（{cell}）"));
        }
    }
    properties.push(("title", title));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let finding = annotation.finding;
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push('\n');
        message.push_str(help);
    }
    format!(
        "::{} {}::{}\n",
        finding.severity.as_str(),
        properties.join(","),
        escape_data(&message)
    )
}

/// One annotation per finding, in the human report's order.
fn annotations<'o>(ctx: &Context<'o>) -> Vec<Annotation<'o>> {
    findings_in_order(ctx.outcome)
        .filter_map(|(finding, result)| match result {
            Some(result) => {
                let rule = ctx.plan.rule(result.rule)?;
                Some(Annotation {
                    finding,
                    loc: Some(result_loc(rule, result)),
                    title: format!("{}：{}", result.verdict.chinese(), rule.metric),
                })
            }
            None => Some(Annotation {
                finding,
                loc: finding.primary().cloned(),
                title: codes::lookup(finding.code)
                    .map_or(finding.code, |c| c.summary)
                    .to_owned(),
            }),
        })
        .collect()
}

/// The message after `::`: GitHub decodes `%25`, `%0D` and `%0A`. Other control characters
/// and bidi overrides (a data file's text can carry an escape sequence) would reach the log
/// raw, so they are shown as `\u{…}`.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if super::escape::hidden(c) => super::escape::visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A property value, where `:` and `,` would end the value early.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(
            escape_data("91%\r\n下一行: a,b\u{1b}[31m"),
            "91%25%0D%0A下一行: a,b\\u{1b}[31m"
        );
        assert_eq!(escape_property("未达标：a:b,c%"), "未达标：a%3Ab%2Cc%25");
    }
}
