//! `plancheck fmt`: one canonical layout for `.plan` files.
//!
//! Each statement is printed from its parse tree, so two spellings that parse to the same plan
//! print the same: `≥` and `>=`, `％` and `%`, `1,000` and `1000`, `、` and `,` between units,
//! `kind 累计` and `kind cumulative`, `2023年上半年` and `2023-H1`, a quoted name that needs no
//! quotes, clauses on the rule's line or below it, in any order. Comments are kept: a comment line where it stood, a
//! trailing comment after its statement. Runs of blank lines become one.
//!
//! Layout: blocks indent by four spaces; each clause of a rule goes on its own line, four
//! spaces deeper than the rule, in the order of `CLAUSE_ORDER`; `lead`, `co` and `leader`
//! lines in a row go in the order of `DUTY_ORDER`.

use crate::parse::{Grammar as G, PlanParser};
use pest::iterators::Pair;
use pest::Parser;

/// The order clauses are printed in. A clause the table does not list (a new one) keeps its
/// place after these; listing it here is all it takes to give it its own.
const CLAUSE_ORDER: &[G] = &[
    G::from_clause,
    G::by_clause,
    G::due_clause,
    G::kind_clause,
    G::schedule_clause,
    G::summed_clause,
    G::toward_clause,
    G::via_clause,
    G::baseline_clause,
    G::within_clause,
    G::allow_negative_clause,
    G::allow_over_clause,
    G::sum_clause,
    G::allocate_clause,
];

/// The order of a task's statements that say who answers for it, when they stand together:
/// the lead units, the co-responsible units, the leaders.
const DUTY_ORDER: &[G] = &[G::lead, G::co, G::leader];

const INDENT: &str = "    ";

/// The byte span of the first line that does not parse, if any: a file with a syntax error
/// is not formatted, since its statements cannot be printed from a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparsable {
    pub span: std::ops::Range<usize>,
}

/// `text` in the canonical layout.
pub fn format(text: &str) -> Result<String, Unparsable> {
    let text = text.replace("\r\n", "\n");
    let file = PlanParser::parse(G::file, &text)
        .map_err(|_| Unparsable { span: 0..0 })?
        .next()
        .ok_or(Unparsable { span: 0..0 })?;
    // One statement per line at most: map each line start to the statement on it.
    let mut statements = std::collections::BTreeMap::new();
    for pair in file.into_inner() {
        let span = pair.as_span();
        if pair.as_rule() == G::bad_line {
            return Err(Unparsable {
                span: span.start()..span.end(),
            });
        }
        if pair.as_rule() != G::EOI {
            statements.insert(span.start(), pair);
        }
    }
    let mut out = Printer::default();
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let statement = statements
            .range(offset..offset + line.len().max(1))
            .next()
            .map(|(_, pair)| pair);
        lines.push((offset, line, statement));
        offset += line.len() + 1;
    }
    for (i, &(start, line, statement)) in lines.iter().enumerate() {
        let Some(pair) = statement else {
            let trimmed = line.trim_matches(is_space);
            if trimmed.is_empty() {
                out.blank();
            } else {
                // A comment among a rule's clause lines is indented as they are.
                let next = lines.iter().skip(i + 1).find_map(|(_, _, s)| *s);
                let in_clauses = out.after_rule && next.is_some_and(|p| p.as_rule() == G::clauses);
                out.comment(trimmed, in_clauses);
            }
            continue;
        };
        // pest's span of a statement may run over the comment after it (see `trimmed`).
        let end = crate::parse::trimmed(pair).end - start;
        let trailing = line
            .get(end..)
            .unwrap_or_default()
            .trim_matches(is_space)
            .to_owned();
        let trailing = Some(trailing).filter(|t| !t.is_empty());
        out.statement(pair.clone(), trailing);
    }
    Ok(out.finish())
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// A clause waiting to be printed with the rule it belongs to.
struct PendingClause {
    order: usize,
    text: String,
    comment: Option<String>,
}

#[derive(Default)]
struct Printer {
    lines: Vec<String>,
    depth: usize,
    blank_pending: bool,
    /// Clauses of the rule printed last, sorted and printed when the group ends.
    clauses: Vec<PendingClause>,
    /// `lead`, `co` and `leader` lines in a row, sorted and printed when the run ends.
    duties: Vec<PendingClause>,
    /// The last statement was a rule or its clauses: clause lines may still follow.
    after_rule: bool,
}

impl Printer {
    fn blank(&mut self) {
        self.flush_clauses();
        self.blank_pending = true;
    }

    fn push(&mut self, depth: usize, text: &str) {
        self.flush_clauses();
        self.push_raw(depth, text);
    }

    fn push_raw(&mut self, depth: usize, text: &str) {
        // No blank line at the start, after a `{`, or before a `}`.
        let after_open = self.lines.last().is_some_and(|l| l.ends_with('{'));
        if self.blank_pending && !self.lines.is_empty() && !after_open && text != "}" {
            self.lines.push(String::new());
        }
        self.blank_pending = false;
        self.lines.push(format!("{}{text}", INDENT.repeat(depth)));
    }

    fn comment(&mut self, text: &str, in_clauses: bool) {
        self.push(self.depth + usize::from(in_clauses), text);
    }

    fn flush_clauses(&mut self) {
        let mut duties = std::mem::take(&mut self.duties);
        duties.sort_by_key(|d| d.order);
        for duty in duties {
            let line = with_comment(duty.text, duty.comment.as_deref());
            self.push_raw(self.depth, &line);
        }
        let mut clauses = std::mem::take(&mut self.clauses);
        clauses.sort_by_key(|c| c.order);
        for clause in clauses {
            let line = with_comment(clause.text, clause.comment.as_deref());
            self.push_raw(self.depth + 1, &line);
        }
    }

    fn statement(&mut self, pair: Pair<'_, G>, comment: Option<String>) {
        self.after_rule = matches!(pair.as_rule(), G::rule_stmt | G::clauses);
        match pair.as_rule() {
            G::plan_open | G::task_open => {
                let depth = self.depth;
                self.push(depth, &with_comment(tokens(pair), comment.as_deref()));
                self.depth = depth + 1;
            }
            G::block_close => {
                self.flush_clauses();
                self.depth = self.depth.saturating_sub(1);
                self.push(
                    self.depth,
                    &with_comment("}".to_owned(), comment.as_deref()),
                );
            }
            G::rule_stmt => {
                let (head, clauses): (Vec<_>, Vec<_>) = pair
                    .into_inner()
                    .partition(|p| clause_order(p.as_rule()).is_none());
                let head = join(head.into_iter().flat_map(|p| words(p, false)).collect());
                self.push(self.depth, &with_comment(head, comment.as_deref()));
                // A trailing comment belongs to the rule line; its clauses follow bare.
                self.add_clauses(clauses, None);
            }
            G::clauses => {
                let clauses: Vec<_> = pair.into_inner().collect();
                self.add_clauses(clauses, comment);
            }
            rule if DUTY_ORDER.contains(&rule) => {
                if !self.clauses.is_empty() || self.blank_pending {
                    self.flush_clauses();
                }
                self.duties.push(PendingClause {
                    order: DUTY_ORDER.iter().position(|r| *r == rule).unwrap_or(0),
                    text: tokens(pair),
                    comment,
                });
            }
            _ => self.push(self.depth, &with_comment(tokens(pair), comment.as_deref())),
        }
    }

    /// Clauses of the rule above: those of a clause line go with the line's comment, on its
    /// first clause.
    fn add_clauses(&mut self, clauses: Vec<Pair<'_, G>>, mut comment: Option<String>) {
        if self.blank_pending {
            self.flush_clauses();
        }
        for clause in clauses {
            let order = clause_order(clause.as_rule()).unwrap_or(CLAUSE_ORDER.len());
            self.clauses.push(PendingClause {
                order,
                text: tokens(clause),
                comment: comment.take(),
            });
        }
    }

    fn finish(mut self) -> String {
        self.flush_clauses();
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

fn clause_order(rule: G) -> Option<usize> {
    if let Some(i) = CLAUSE_ORDER.iter().position(|r| *r == rule) {
        return Some(i);
    }
    // A clause the table does not list yet still counts as one: it is printed on its own line.
    format!("{rule:?}")
        .ends_with("_clause")
        .then_some(CLAUSE_ORDER.len())
}

fn with_comment(text: String, comment: Option<&str>) -> String {
    match comment {
        Some(comment) => format!("{text}  {comment}"),
        None => text,
    }
}

/// A token of a printed statement.
enum Word {
    Text(String),
    /// `,` between list items: no space before it.
    Comma,
    /// `..` in a range: no space around it.
    Dots,
}

fn tokens(pair: Pair<'_, G>) -> String {
    join(words(pair, false))
}

fn join(words: Vec<Word>) -> String {
    let mut out = String::new();
    let mut glue = false;
    for word in words {
        match word {
            Word::Comma => {
                out.push(',');
                glue = false;
            }
            Word::Dots => {
                out.push_str("..");
                glue = true;
            }
            Word::Text(text) => {
                if !out.is_empty() && !glue {
                    out.push(' ');
                }
                out.push_str(&text);
                glue = false;
            }
        }
    }
    out
}

/// The words of `pair` in canonical spelling. `metric` is set where a string or bare name is a
/// metric's name.
fn words(pair: Pair<'_, G>, metric: bool) -> Vec<Word> {
    let text = |s: String| vec![Word::Text(s)];
    match pair.as_rule() {
        G::string if metric => text(metric_name(&crate::parse::unescape(&pair))),
        G::bare_name => text(metric_name(pair.as_str())),
        G::string => text(pair.as_str().to_owned()),
        G::quantity => text(quantity(pair)),
        G::unit => text(pair.as_str().replace('％', "%")),
        G::op => text(canonical_op(pair.as_str()).to_owned()),
        G::approx_op => text(crate::parse::approx_side(pair.as_str()).symbol().to_owned()),
        G::metric_kind => text(canonical_kind(pair.as_str()).to_owned()),
        // 2023年上半年 is 2023-H1; what does not read as a period is an error, kept as written.
        G::period_value | G::checkpoint_period => text(
            pair.as_str()
                .parse::<crate::period::Period>()
                .map_or_else(|_| pair.as_str().to_owned(), |p| p.to_string()),
        ),
        G::kw_sum_of_plans => text("sum of plans".to_owned()),
        // The adjusted metric is a name; the document number and reason stay strings.
        G::adjust_stmt => pair
            .into_inner()
            .flat_map(|p| {
                let metric = matches!(p.as_rule(), G::string | G::bare_name);
                words(p, metric)
            })
            .collect(),
        G::due_date | G::adjust_date => text(
            pair.as_str()
                .parse::<jiff::civil::Date>()
                .map_or_else(|_| pair.as_str().to_owned(), |d| d.to_string()),
        ),
        G::list_separator => vec![Word::Comma],
        // One token for the whole list: its names, each followed by a comma but the last.
        G::org_list => {
            let names = crate::parse::org_list_names(&pair);
            let mut out = Vec::with_capacity(names.len() * 2);
            for (i, name) in names.into_iter().enumerate() {
                if i > 0 {
                    out.push(Word::Comma);
                }
                out.push(Word::Text(name.to_owned()));
            }
            out
        }
        G::range_dots => vec![Word::Dots],
        G::comparison | G::milestone | G::metric_ref | G::track => {
            pair.into_inner().flat_map(|p| words(p, true)).collect()
        }
        _ => {
            let inner: Vec<Pair<'_, G>> = pair.clone().into_inner().collect();
            if inner.is_empty() {
                text(pair.as_str().to_owned())
            } else {
                inner.into_iter().flat_map(|p| words(p, false)).collect()
            }
        }
    }
}

/// A metric's name, bare when it reads back as the same bare name, else quoted.
fn metric_name(name: &str) -> String {
    let bare = PlanParser::parse(G::bare_name, name)
        .ok()
        .and_then(|mut p| p.next())
        .is_some_and(|p| p.as_str() == name);
    // A bare name starting with a strength word would lose the word to the strength.
    let strength = PlanParser::parse(G::strength, name).is_ok();
    if bare && !strength {
        return name.to_owned();
    }
    string_literal(name)
}

/// `text` as a string of the plan language: in quotes, with `\\` and `"` escaped.
pub(crate) fn string_literal(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `1,234.5 亿元`, `91 %`: the number without separators; `%` after it, other units after a
/// space.
fn quantity(pair: Pair<'_, G>) -> String {
    let mut number = String::new();
    let mut unit = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            G::number => number = part.as_str().replace(',', ""),
            G::unit => unit = Some(part.as_str().replace('％', "%")),
            _ => {}
        }
    }
    match unit.as_deref() {
        None => number,
        Some("%") => format!("{number}%"),
        Some(unit) => format!("{number} {unit}"),
    }
}

fn canonical_op(op: &str) -> &'static str {
    match op {
        ">=" | "≥" | "＞＝" => ">=",
        "<=" | "≤" | "＜＝" => "<=",
        "==" | "＝＝" => "==",
        ">" | "＞" => ">",
        _ => "<",
    }
}

fn canonical_kind(kind: &str) -> &'static str {
    match kind {
        "cumulative" | "累计" => "cumulative",
        "milestone" | "里程碑" => "milestone",
        _ => "level",
    }
}

#[cfg(test)]
mod tests;
