//! GitHub Actions workflow commands: one `::error` or `::warning` line per finding, which the
//! runner turns into an annotation on the file and line.
//!
//! Columns count characters, as GitHub's annotations do (and as plancheck's JSON report does).
//! Paths are relative to the repository root, as in the SARIF report.
//!
//! The runner shows 10 errors and 10 warnings per step and drops the rest silently, so the most
//! important come first: broken input, then must-targets that are not met, then other errors,
//! then warnings; `missing` results that an unreadable data file may have caused come last.
//! Within each group the human report's order holds. A final `::notice` gives the totals and
//! points to the job summary. Nothing else is written, so the output can go straight to stdout
//! in a workflow step.

use super::summary::count_findings;
use super::{findings_in_order, result_loc, Context, Positions};
use crate::codes;
use crate::diagnostic::{Finding, Kind, Loc, Severity};
use crate::eval::Verdict;
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
    let mut out: String = annotations
        .iter()
        .map(|annotation| command(ctx, &positions, annotation))
        .collect();
    out.push_str(&totals(ctx));
    out
}

/// The last line: the totals, which the runner always shows, and where the rest is.
fn totals(ctx: &Context<'_>) -> String {
    let counts = count_findings(ctx.outcome);
    let broken = ctx
        .outcome
        .all_findings()
        .filter(|f| f.kind == Kind::Input)
        .count();
    let mut text = format!("{} 项错误，{} 项警告", counts.errors, counts.warnings);
    if broken > 0 {
        text.push_str(&format!("，其中 {broken} 项输入有误"));
    }
    text.push_str(&format!(
        "；退出码 {}。注释每步最多显示 10 条错误和 10 条警告，完整结果见本次运行的 Summary 页（Markdown 报告）",
        ctx.outcome.exit_code()
    ));
    format!(
        "::notice title={}::{}\n",
        escape_property("plancheck 汇总"),
        escape_data(&text)
    )
}

/// `::error file=…,line=…,col=…,endColumn=…,title=…::message%0Ahelp`, with its newline.
fn command(ctx: &Context<'_>, positions: &Positions, annotation: &Annotation<'_>) -> String {
    let mut properties = Vec::new();
    let mut title = annotation.title.clone();
    if let Some(loc) = &annotation.loc {
        properties.push(("file", ctx.repo_path_of(loc)));
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

/// One annotation per finding, most important first (see the module's doc).
fn annotations<'o>(ctx: &Context<'o>) -> Vec<Annotation<'o>> {
    // A data file that could not be read may hold the figures reported missing.
    let unreadable = ctx
        .outcome
        .findings
        .iter()
        .any(|f| f.kind == Kind::Input && matches!(f.primary(), Some(Loc::Data(_))));
    let mut ranked: Vec<(u8, Annotation<'o>)> = findings_in_order(ctx.outcome)
        .filter_map(|(finding, result)| match result {
            Some(result) => {
                let rule = ctx.plan.rule(result.rule)?;
                let rank = match (result.verdict, finding.severity) {
                    (Verdict::Missing, _) if unreadable => 4,
                    (Verdict::Missing, Severity::Error) => 2,
                    (_, Severity::Error) => 1,
                    (_, Severity::Warning) => 3,
                };
                Some((
                    rank,
                    Annotation {
                        finding,
                        loc: Some(result_loc(rule, result)),
                        title: format!("{}：{}", result.verdict.chinese(), rule.metric),
                    },
                ))
            }
            None => Some((
                match (finding.kind, finding.severity) {
                    (Kind::Input, _) => 0,
                    (_, Severity::Error) => 2,
                    (_, Severity::Warning) => 3,
                },
                Annotation {
                    finding,
                    loc: finding.primary().cloned(),
                    title: codes::lookup(finding.code)
                        .map_or(finding.code, |c| c.summary)
                        .to_owned(),
                },
            )),
        })
        .collect();
    // Stable: the human report's order holds within a rank.
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, a)| a).collect()
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
