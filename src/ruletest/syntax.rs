//! Reading `.plantest` files. The format is line-based like `.plan`:
//!
//! ```text
//! # 任务3：入库科技型中小企业 >= 200 家
//! test "恰好 200 家达标" {
//!     as_of 2023-12-31
//!     file "../../examples/2022/区民政局.yaml"
//!     data 区科技局 2023
//!         入库科技型中小企业: 200
//!         "“成果贷”发放额": "12,600万元"
//!     expect 入库科技型中小企业 met
//!     expect 有研发活动企业 unmet error
//! }
//! ```
//!
//! `data REPORTER PERIOD` starts an inline submission; the deeper-indented `METRIC: VALUE`
//! lines under it are its figures, each value written as in a YAML submission. `file` names a
//! data file relative to the test file. `expect METRIC VERDICT [SEVERITY]` is what every rule
//! on the metric must get for the latest period the data reports.

use crate::eval::Verdict;
use crate::source::Span;

/// One `test "…" { … }` block.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub name: String,
    /// The `test` line.
    pub span: Span,
    pub as_of: Option<jiff::civil::Date>,
    pub files: Vec<(String, Span)>,
    pub data: Vec<Inline>,
    pub expects: Vec<Expect>,
}

/// `data REPORTER PERIOD` and its figure lines.
#[derive(Debug, Clone)]
pub struct Inline {
    pub reporter: String,
    pub period: String,
    pub span: Span,
    /// (metric, value as written in YAML).
    pub figures: Vec<(String, String)>,
}

/// `expect METRIC VERDICT [SEVERITY]`.
#[derive(Debug, Clone)]
pub struct Expect {
    pub metric: String,
    pub verdict: Verdict,
    pub severity: Option<crate::diagnostic::Severity>,
    pub span: Span,
}

/// A line that does not fit the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub help: &'static str,
    pub span: Span,
}

const HELP: &str = "测试文件写作 test \"名称\" { … }，其中每行一项：as_of 日期、file \"数据文件\"、data 报送单位 期间（下面缩进写 指标: 数值）、expect 指标 结论 [error|warning]";

/// Splits a line into words; a `"…"` word may hold spaces.
fn words(line: &str, start: usize) -> Result<Vec<(String, Span)>, SyntaxError> {
    let mut found = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            break;
        }
        if c == '"' {
            chars.next();
            let mut text = String::new();
            let mut end = None;
            while let Some((j, d)) = chars.next() {
                match d {
                    '\\' => text.extend(chars.next().map(|(_, e)| e)),
                    '"' => {
                        end = Some(j + 1);
                        break;
                    }
                    _ => text.push(d),
                }
            }
            let Some(end) = end else {
                return Err(SyntaxError {
                    message: "字符串没有结束的引号".to_owned(),
                    help: HELP,
                    span: start + i..start + line.len(),
                });
            };
            found.push((text, start + i..start + end));
            continue;
        }
        let mut end = line.len();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_whitespace() {
                end = j;
                break;
            }
            chars.next();
        }
        found.push((
            line.get(i..end).unwrap_or_default().to_owned(),
            start + i..start + end,
        ));
    }
    Ok(found)
}

fn error(message: impl Into<String>, span: Span) -> SyntaxError {
    SyntaxError {
        message: message.into(),
        help: HELP,
        span,
    }
}

/// The cases of a `.plantest` file, or the first line that does not fit.
pub fn parse(text: &str) -> Result<Vec<Case>, SyntaxError> {
    let mut cases = Vec::new();
    let mut open: Option<Case> = None;
    let mut offset = 0;
    for line in text.split('\n') {
        let start = offset;
        offset += line.len() + 1;
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let span = start + indent..start + indent + trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(case) = open.as_mut() else {
            let parts = words(line, start)?;
            match parts.as_slice() {
                [(kw, _), (name, _), (brace, _)] if kw == "test" && brace == "{" => {
                    open = Some(Case {
                        name: name.clone(),
                        span,
                        ..Case::default()
                    });
                }
                _ => return Err(error("应为 test \"名称\" {", span)),
            }
            continue;
        };
        if trimmed == "}" {
            if case.expects.is_empty() {
                return Err(error(
                    format!("测试“{}”没有 expect", case.name),
                    case.span.clone(),
                ));
            }
            cases.extend(open.take());
            continue;
        }
        // A figure line of the inline submission above: `METRIC: VALUE`.
        if !trimmed.starts_with(['"']) && !starts_with_keyword(trimmed) {
            let Some(data) = case.data.last_mut() else {
                return Err(error("数值行应写在 data 行之下", span));
            };
            let Some((metric, value)) = split_figure(trimmed) else {
                return Err(error("数值行写作 指标: 数值", span));
            };
            data.figures.push((metric, value));
            continue;
        }
        if trimmed.starts_with('"') {
            let Some(data) = case.data.last_mut() else {
                return Err(error("数值行应写在 data 行之下", span));
            };
            let Some((metric, value)) = split_figure(trimmed) else {
                return Err(error("数值行写作 \"指标\": 数值", span));
            };
            data.figures.push((metric, value));
            continue;
        }
        let parts = words(line, start)?;
        match parts.as_slice() {
            [(kw, _), (date, at)] if kw == "as_of" => {
                let date = date
                    .parse()
                    .map_err(|_| error("as_of 后写日期 YYYY-MM-DD", at.clone()))?;
                case.as_of = Some(date);
            }
            [(kw, _), (path, at)] if kw == "file" => case.files.push((path.clone(), at.clone())),
            [(kw, _), (reporter, _), (period, _)] if kw == "data" => case.data.push(Inline {
                reporter: reporter.clone(),
                period: period.clone(),
                span,
                figures: Vec::new(),
            }),
            [(kw, _), (metric, _), (verdict, at), rest @ ..]
                if kw == "expect" && rest.len() <= 1 =>
            {
                let verdict = Verdict::ALL
                    .into_iter()
                    .find(|v| v.as_str() == verdict)
                    .ok_or_else(|| {
                        error(
                            format!("未知结论“{verdict}”；可写 met、ahead、on_track、behind、pending、overdue、unmet、missing、invalid"),
                            at.clone(),
                        )
                    })?;
                let severity = match rest.first() {
                    None => None,
                    Some((s, _)) if s == "error" => Some(crate::diagnostic::Severity::Error),
                    Some((s, _)) if s == "warning" => Some(crate::diagnostic::Severity::Warning),
                    Some((_, at)) => {
                        return Err(error("严重程度写作 error 或 warning", at.clone()))
                    }
                };
                case.expects.push(Expect {
                    metric: metric.clone(),
                    verdict,
                    severity,
                    span,
                });
            }
            _ => return Err(error("无法识别的测试语句", span)),
        }
    }
    match open {
        Some(case) => Err(error(
            format!("测试“{}”没有以 }} 结束", case.name),
            case.span,
        )),
        None => Ok(cases),
    }
}

fn starts_with_keyword(line: &str) -> bool {
    ["as_of", "file", "data", "expect"].iter().any(|kw| {
        line.strip_prefix(kw)
            .is_some_and(|rest| rest.starts_with(char::is_whitespace))
    })
}

/// `METRIC: VALUE` or `"METRIC": VALUE`.
fn split_figure(line: &str) -> Option<(String, String)> {
    let (metric, value) = if let Some(rest) = line.strip_prefix('"') {
        let close = rest.find('"')?;
        let metric = rest.get(..close)?;
        let value = rest.get(close + 1..)?.trim_start();
        let value = value
            .strip_prefix(':')
            .or_else(|| value.strip_prefix('：'))?;
        (metric, value)
    } else {
        // A Chinese keyboard types `：`; both separate the metric from its value.
        let at = line.find([':', '：'])?;
        let colon = line.get(at..)?.chars().next()?.len_utf8();
        (line.get(..at)?, line.get(at + colon..)?)
    };
    let (metric, value) = (metric.trim(), value.trim());
    (!metric.is_empty() && !value.is_empty()).then(|| (metric.to_owned(), value.to_owned()))
}
