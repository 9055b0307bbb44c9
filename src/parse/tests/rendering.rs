//! What a user sees: syntax errors rendered by miette against the whole file.

use crate::parse::recovery::line_error;
use crate::report::snippet::CharColumnSource;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;

/// A phase error with the file it points into, as a report attaches it when printing: with
/// the report's own source, so the header counts columns in characters as the CLI does.
struct WithSource<'e> {
    error: &'e dyn Diagnostic,
    source: CharColumnSource,
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.error, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.error, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.code()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.error.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

/// The syntax error of the line of `text` that starts with `line_start_marker`, rendered.
fn render_line_error(text: &str, line_start_marker: &str) -> String {
    let start = text.find(line_start_marker).unwrap();
    let line = text[start..].lines().next().unwrap();
    let error = line_error(line, start);
    let report = WithSource {
        error: &error,
        source: CharColumnSource::new("rules/yanzhou.plan".to_owned(), text.to_owned()),
    };
    let mut rendered = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .render_report(&mut rendered, &report)
        .unwrap();
    rendered
}

#[test]
fn number_expected_after_a_chinese_metric() {
    let text = super::in_task("    确保 受污染耕地安全利用率 >= 九十一%\n        from \"受污染耕地安全利用率稳定在91%以上\"");
    insta::assert_snapshot!(
        "syntax_error_number_expected_after_cjk_metric",
        render_line_error(&text, "确保")
    );
}

#[test]
fn unterminated_string_points_at_its_opening_quote() {
    let text = super::in_task(
        "    力争 done 招引落地50亿元以上项目 from \"50亿元以上项目1个 by 区投资促进中心",
    );
    insta::assert_snapshot!(
        "syntax_error_unterminated_string",
        render_line_error(&text, "力争")
    );
}
