//! The error of a line that is no statement, in words.
//!
//! The file grammar keeps such a line as a `bad_line` and goes on. Here the line is parsed
//! again on its own with `line_only`, so pest's furthest failure and the rules it expected
//! there describe this line only; the rules become Chinese phrases a plan author understands.

use super::error::{span, ParseError};
use super::grammar::{PlanParser, Rule};
use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;

/// The syntax error of `line`, which starts at byte `line_start` of its file.
pub fn line_error(line: &str, line_start: usize) -> ParseError {
    let (at, expected) = match PlanParser::parse(Rule::line_only, line) {
        Err(error) => {
            let at = match error.location {
                InputLocation::Pos(at) | InputLocation::Span((at, _)) => at,
            };
            let expected = match error.variant {
                ErrorVariant::ParsingError { positives, .. } => positives,
                ErrorVariant::CustomError { .. } => Vec::new(),
            };
            (at, expected)
        }
        // The line parses alone but not in its file; cannot happen with a line grammar, but
        // the user still deserves a pointer to the line.
        Ok(_) => (0, Vec::new()),
    };
    let mut expected = expected;
    if expected.contains(&Rule::EOI) && org_list_ends_before(line, at) {
        expected.insert(0, Rule::list_separator);
    }
    if let Some(error) = string_error(line, line_start, at) {
        return error;
    }
    let mut error = unexpected(line, line_start, at, &expected);
    if line.trim_start().starts_with("lead") {
        if let ParseError::Unexpected { help, .. } = &mut error {
            *help = Some(
                "单位之间用逗号或顿号分隔，不要用空格或分号：lead 区发改局, 区财政局".to_owned(),
            );
        }
    }
    if let (Some(word), ParseError::Unexpected { help, .. }) = (not_a_strength(line), &mut error) {
        *help = Some(format!(
            "“{word}”不是强度词：强度词只有 确保、必须、严格、坚决（必达目标）和 力争、争取、争创\
             （力争目标）。原文写“{word}”的目标通常是力争目标，请改写为 力争 …"
        ));
    }
    error
}

/// Whether the line up to `at` (less trailing space) parses and ends with a unit list. A unit
/// list is one token, so pest does not say that a separator could have continued it there;
/// this does.
fn org_list_ends_before(line: &str, at: usize) -> bool {
    let prefix = line.get(..at).unwrap_or_default().trim_end();
    PlanParser::parse(Rule::line_only, prefix).is_ok_and(|pairs| {
        pairs
            .flatten()
            .filter(|pair| pair.as_rule() == Rule::org_list)
            .last()
            .is_some_and(|list| list.as_span().end() == prefix.len())
    })
}

/// Words plans put where a strength goes that the language does not take as one: `努力 …`.
const NOT_STRENGTHS: &[&str] = &[
    "努力", "尽力", "全力", "奋力", "力促", "务必", "大力", "着力", "积极", "申创",
];

/// The word at the start of `line` that reads like a strength but is none, when a rule
/// follows it.
fn not_a_strength(line: &str) -> Option<&'static str> {
    let trimmed = line.trim_start();
    NOT_STRENGTHS.iter().copied().find(|w| {
        trimmed
            .strip_prefix(w)
            .is_some_and(|rest| rest.starts_with([' ', '\t', '　']))
    })
}

fn unexpected(line: &str, line_start: usize, at: usize, expected: &[Rule]) -> ParseError {
    let at = at.min(line.len());
    let rest = line.get(at..).unwrap_or("");
    let found_char = rest.chars().next();
    let width = found_char.map_or(0, char::len_utf8);
    let found = match found_char {
        None => "行尾".to_owned(),
        // “““ would read as noise.
        Some(c @ ('“' | '”' | '‘' | '’')) => format!("中文引号{c}"),
        Some(c) => format!("“{c}”"),
    };
    let phrases = expected_phrases(expected, found_char);
    let mut expected_text = if phrases.is_empty() {
        STATEMENT_START.to_owned()
    } else {
        join_alternatives(&phrases)
    };
    // Messages read “应为{expected}”: `应为 {` and `应为 ..` need the space, `应为数值` must not.
    if expected_text.starts_with(|c: char| c.is_ascii()) {
        expected_text.insert(0, ' ');
    }
    ParseError::Unexpected {
        expected: expected_text,
        found,
        at: span(&(line_start + at..line_start + at + width)),
        help: Some(teaching_help(expected, found_char)),
    }
}

/// An unterminated string or a bad escape that explains the failure at `failed_at` better
/// than pest's expectation at the end of the line does.
fn string_error(line: &str, line_start: usize, failed_at: usize) -> Option<ParseError> {
    let mut open: Option<usize> = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (open, c) {
            (None, '#') => return None,
            (None, '"') => open = Some(i),
            (Some(_), '"') => open = None,
            (Some(start), '\\') => match chars.next() {
                Some((_, '"' | '\\')) => {}
                next => {
                    let end = next.map_or(i + 1, |(j, c)| j + c.len_utf8());
                    if failed_at < start {
                        return None;
                    }
                    return Some(ParseError::BadEscape {
                        escape: line.get(i..end).unwrap_or("\\").to_owned(),
                        at: span(&(line_start + i..line_start + end)),
                    });
                }
            },
            _ => {}
        }
    }
    let start = open.filter(|&start| failed_at >= start)?;
    Some(ParseError::UnterminatedString {
        at: span(&(line_start + start..line_start + start + 1)),
    })
}

/// What a line that matches no statement at all should have started with.
const STATEMENT_START: &str = "语句开头（关键字或指标名称）";

/// The keywords that start a clause of a rule.
const CLAUSE_WORDS: [Rule; 12] = [
    Rule::kw_from,
    Rule::kw_by,
    Rule::kw_due,
    Rule::kw_kind,
    Rule::kw_schedule,
    Rule::kw_summed,
    Rule::kw_baseline,
    Rule::kw_within,
    Rule::kw_sum_of_plans,
    Rule::kw_allocate,
    Rule::kw_toward,
    Rule::kw_via,
];

/// Where a rule may go on after its clauses.
const ANY_CLAUSE: &str = "子句（from、by、due 等）";

/// Phrases that read best in this order when several are expected at one place: what may
/// follow a metric, then what may follow an operator. Others keep pest's order after them.
const PHRASE_ORDER: &[&str] = &[
    OPERATOR,
    "~=",
    "growth",
    "change",
    "in",
    "数值",
    "last_year",
    METRIC_REFERENCE,
];

const OPERATOR: &str = "比较运算符（>=、>、<=、<、==）";
const METRIC_REFERENCE: &str = "metric 指标名";

/// What each expected rule is called in a message, deduplicated, in a stable order.
fn expected_phrases(expected: &[Rule], found: Option<char>) -> Vec<&'static str> {
    let has = |wanted| expected.contains(&wanted);
    let mut phrases = Vec::new();
    let mut push = |phrase: &'static str| {
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    };
    // A metric is a bare name or a string; naming both would suggest two different things.
    let metric = has(Rule::bare_name);
    let all_clauses = CLAUSE_WORDS.iter().all(|r| has(*r));
    // After an operator a number is what nearly everyone means; `last_year` and `metric` are
    // offered only when a word was written there (the help names them either way).
    let quiet_references = has(Rule::number) && !found.is_some_and(|c| c.is_ascii_alphabetic());
    for wanted in expected {
        let phrase = match wanted {
            Rule::string if metric => "指标名称",
            word if all_clauses && CLAUSE_WORDS.contains(word) => ANY_CLAUSE,
            Rule::kw_last_year | Rule::kw_metric | Rule::metric_ref if quiet_references => continue,
            other => rule_phrase(*other),
        };
        push(phrase);
    }
    phrases.sort_by_key(|phrase| {
        PHRASE_ORDER
            .iter()
            .position(|p| p == phrase)
            .unwrap_or(PHRASE_ORDER.len())
    });
    // The end of the line is the last resort; it reads best last.
    if let Some(i) = phrases.iter().position(|p| *p == "行尾") {
        let end = phrases.remove(i);
        phrases.push(end);
    }
    phrases
}

/// The name of a grammar rule in a message.
fn rule_phrase(wanted: Rule) -> &'static str {
    match wanted {
        Rule::EOI => "行尾",
        Rule::number | Rule::quantity => "数值",
        Rule::unit => "计量单位",
        Rule::op | Rule::compare | Rule::against => OPERATOR,
        Rule::approx | Rule::approx_op => "~=",
        // `growth >= growth of …` starts with an operator, as the other forms after growth.
        Rule::in_step => OPERATOR,
        Rule::growth_of | Rule::kw_of => "growth of metric 指标名称",
        Rule::rank | Rule::kw_rank => "rank",
        Rule::rank_trend => "improves 或 holds",
        Rule::growth | Rule::kw_growth => "growth",
        Rule::change | Rule::kw_change => "change",
        Rule::kw_last_year => "last_year",
        Rule::metric_ref | Rule::kw_metric => METRIC_REFERENCE,
        Rule::versus | Rule::kw_vs => "vs",
        Rule::range => "区间（in 下限..上限）",
        Rule::range_dots => "..",
        Rule::string | Rule::string_text => "带引号的字符串",
        Rule::bare_name | Rule::comparison => "指标名称",
        Rule::task_number => "任务编号",
        Rule::numeral => "章节序号（如 四）",
        Rule::block_open => "{",
        Rule::block_close => "}",
        Rule::org | Rule::org_list => "单位名称",
        Rule::list_separator => "分隔符（,、，或 、）",
        Rule::period_value => "计划期间（如 2023）",
        Rule::due_date => "截止日期（如 2023-12-31）",
        Rule::strength => "强度词（确保、力争等）",
        Rule::milestone | Rule::kw_done => "done",
        Rule::kw_plan | Rule::plan_open => "plan",
        Rule::kw_period | Rule::period_stmt => "period",
        Rule::kw_source | Rule::source_stmt => "source",
        Rule::kw_tolerance | Rule::tolerance_stmt => "tolerance",
        Rule::kw_approx | Rule::approx_stmt => "approx",
        Rule::kw_skip | Rule::skip => "skip",
        Rule::kw_because => "because",
        Rule::kw_section | Rule::section => "section",
        Rule::kw_task | Rule::task_open => "task",
        Rule::kw_lead | Rule::lead => "lead",
        Rule::kw_co | Rule::co => "co",
        Rule::kw_leader | Rule::leader => "leader",
        Rule::kw_toward | Rule::toward_clause => "toward",
        Rule::kw_via | Rule::via_clause => "via",
        Rule::waypoint => "路径点（年份 数值，如 2023 8.5%）",
        Rule::year => "年份（如 2025）",
        Rule::baseline_year => "in 年份",
        Rule::kw_track | Rule::track => "track",
        Rule::kw_in => "in",
        Rule::kw_from | Rule::from_clause => "from",
        Rule::kw_by | Rule::by_clause => "by",
        Rule::kw_due | Rule::due_clause => "due",
        Rule::kw_kind | Rule::kind_clause => "kind",
        Rule::metric_kind => "指标类型（cumulative、level、milestone 或 累计、水平、里程碑）",
        Rule::kw_schedule | Rule::schedule_clause => "schedule",
        Rule::checkpoint | Rule::checkpoint_period => "检查点期间（如 2023-Q1）",
        Rule::kw_summed | Rule::summed_clause => "summed",
        Rule::kw_baseline | Rule::baseline_clause => "baseline",
        Rule::kw_within | Rule::within_clause => "within",
        Rule::kw_allow | Rule::allow_negative_clause | Rule::allow_over_clause => ANY_CLAUSE,
        Rule::kw_negative => "negative",
        Rule::kw_over => "over",
        Rule::hundred_percent => "100%",
        Rule::kw_id | Rule::id_stmt => "id",
        Rule::plan_id => "计划标识（如 兖州区）",
        Rule::kw_sum_of_plans | Rule::sum_clause => "sum of plans",
        Rule::kw_allocate | Rule::allocate_clause => "allocate",
        Rule::allocation => "分解（计划标识 数值）",
        Rule::kw_adjust | Rule::adjust_stmt => "adjust",
        Rule::kw_to => "to",
        Rule::adjust_target => "调整后的目标",
        Rule::adjust_date => "调整生效日期（如 2023-07-01）",
        Rule::adjust_by => "by \"文号\"",
        Rule::adjust_because => "because",
        Rule::clauses => ANY_CLAUSE,
        Rule::rule_stmt | Rule::rule_head => "规则",
        // Silent rules are never reported; listed so a new rule must be given a phrase.
        Rule::file
        | Rule::line_only
        | Rule::bad_line
        | Rule::entry
        | Rule::line
        | Rule::statement
        | Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::metric
        | Rule::reference
        | Rule::clause
        | Rule::org_space
        | Rule::name_char
        | Rule::name_fast_char
        | Rule::org_char
        | Rule::op_char
        | Rule::keyword
        | Rule::clause_keyword => STATEMENT_START,
    }
}

/// `A、B 或 C`, with a space where an ASCII token meets the Chinese 或.
fn join_alternatives(phrases: &[&str]) -> String {
    let Some((last, rest)) = phrases.split_last() else {
        return String::new();
    };
    if rest.is_empty() {
        return (*last).to_owned();
    }
    let head = rest.join("、");
    let before = if head.ends_with(|c: char| c.is_ascii()) {
        " "
    } else {
        ""
    };
    let after = if last.starts_with(|c: char| c.is_ascii()) {
        " "
    } else {
        ""
    };
    format!("{head}{before}或{after}{last}")
}

/// A hint that teaches the syntax the line got wrong, chosen by what was expected and found;
/// the forms of all statements when nothing more specific fits.
fn teaching_help(expected: &[Rule], found: Option<char>) -> String {
    let has = |wanted| expected.contains(&wanted);
    let help = if has(Rule::op) {
        match found {
            Some('=' | '＝') => "等于请写 ==",
            _ => {
                "规则写作 指标 >= 数值 单位、指标 in 下限..上限 单位、指标 ~= 数值 单位、\
                 指标 growth >= 5%、指标 change >= 5 亿元 或 指标 >= last_year；\
                 名称含空格或特殊符号时请加引号，例如 \"省“一企一技术”研发中心\" >= 1 家"
            }
        }
    } else if has(Rule::number) {
        match found {
            Some(c) if "〇零一二两三四五六七八九十百千万亿".contains(c) => {
                "数值请用阿拉伯数字书写，例如 >= 91%"
            }
            _ if has(Rule::kw_last_year) => {
                "数值写作 91、1,000 或 0.5，单位紧跟其后，例如 >= 91% 或 > 450 亿元；\
                 与上年比较写作 >= last_year，与另一指标比较写作 > metric 指标名"
            }
            _ => "数值写作 91、1,000 或 0.5，单位紧跟其后，例如 >= 91% 或 > 450 亿元",
        }
    } else if has(Rule::bare_name) {
        "指标名称不加引号时不能含空格、#、比较符号，也不能是关键字（done、in、from 等）；\
         否则请加引号，例如 \"done\" >= 1"
    } else if has(Rule::string) || has(Rule::string_text) {
        match found {
            Some('“' | '”' | '\'' | '‘' | '’') => {
                "字符串请用英文双引号 \"…\"；中文引号“”只能出现在字符串内部"
            }
            _ => "字符串用英文双引号括起来，例如 \"深入推进环境污染防治\"",
        }
    } else if has(Rule::metric_kind) {
        "kind 后写 cumulative（累计）、level（水平）或 milestone（里程碑）"
    } else if has(Rule::checkpoint) || has(Rule::checkpoint_period) {
        "schedule 写作 2023-Q1 20%, 2023-H1 50%：每个检查点是期间和到期末应完成的占比"
    } else if has(Rule::kw_because) {
        "写作 skip \"原文中不设检查的一句\" because \"原因\""
    } else if has(Rule::range_dots) {
        "区间写作 in 下限..上限 单位，例如 in 1..2 个"
    } else if has(Rule::list_separator) {
        "单位名称之间用 ,、，或 、 分隔，名称中不能有空格"
    } else if has(Rule::task_number) {
        "任务编号是阿拉伯数字，例如 task 32 \"深入推进环境污染防治\" {"
    } else if has(Rule::block_open) {
        "plan 和 task 行以 { 结尾；块以单独一行的 } 结束"
    } else if has(Rule::EOI) {
        "每行只写一条语句；规则后面只能跟 from、by、due、kind、schedule、summed、baseline、within 子句"
    } else if has(Rule::period_value) {
        "period 后写计划期间，例如 period 2023 或 period 2023-H1"
    } else if has(Rule::numeral) {
        "章节写作 section 四 \"标题\"：序号用中文数字或阿拉伯数字"
    } else if has(Rule::org) || has(Rule::org_list) {
        "lead 和 by 后列出单位名称，用 ,、，或 、 分隔，例如 lead 区生态环境分局, 区水务局"
    } else if has(Rule::due_date) {
        "due 后写日期 YYYY-MM-DD，例如 due 2023-12-31"
    } else if has(Rule::kw_last_year) || has(Rule::metric_ref) {
        "vs 后写 last_year 或 metric 指标名，例如 growth >= 5% vs metric 全市增速"
    } else {
        "每行是一条语句：plan \"…\" {、period、source、tolerance、approx、section、\
         task N \"…\" {、lead、规则（指标 >= 数值 单位，或 done 指标）、子句（from、by、due 等）、\
         track 指标 单位、skip \"…\" because \"…\" 或 }"
    };
    help.to_owned()
}
