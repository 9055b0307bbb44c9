//! Reading Chinese plan wording: numbers up to scale, words near them, the sentence a quote
//! stands in.

use crate::model::{Plan, Rule};
use rust_decimal::Decimal;
use std::ops::Range;

/// A number written in a sentence, with its scale words applied: 1.2万 is 12000, 千亿 is
/// 10^11. `span` covers the digits and scale words, in bytes of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub value: Decimal,
    pub span: Range<usize>,
}

fn scale(c: char) -> Option<Decimal> {
    match c {
        '十' => Some(Decimal::from(10)),
        '百' => Some(Decimal::from(100)),
        '千' => Some(Decimal::from(1000)),
        '万' => Some(Decimal::from(10_000)),
        '亿' => Some(Decimal::from(100_000_000)),
        _ => None,
    }
}

fn digit(c: char) -> Option<u32> {
    match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Every number of `text`: Arabic digits (1,234.5) with the scale words after them (万, 亿,
/// 千亿…), and runs of Chinese numerals (二百亿, 千亿, 第一).
pub fn numbers(text: &str) -> Vec<Written> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(at, _)| *at);
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&(start, c)) = chars.get(i) {
        if c.is_ascii_digit() {
            let mut j = i;
            let mut literal = String::new();
            while let Some(&(_, d)) = chars.get(j) {
                let continues = d.is_ascii_digit()
                    || (matches!(d, '.' | ',')
                        && chars.get(j + 1).is_some_and(|(_, n)| n.is_ascii_digit()));
                if !continues {
                    break;
                }
                if d != ',' {
                    literal.push(d);
                }
                j += 1;
            }
            let mut value = literal.parse::<Decimal>().unwrap_or_default();
            while let Some(factor) = chars.get(j).and_then(|(_, s)| scale(*s)) {
                value = value.checked_mul(factor).unwrap_or(value);
                j += 1;
            }
            found.push(Written {
                value,
                span: start..end_of(j),
            });
            i = j;
        } else if digit(c).is_some() || scale(c).is_some() {
            let mut j = i;
            let (mut total, mut section, mut current) = (Decimal::ZERO, Decimal::ZERO, None);
            while let Some(&(_, d)) = chars.get(j) {
                if let Some(n) = digit(d) {
                    current = Some(Decimal::from(n));
                } else if let Some(factor) = scale(d) {
                    if factor >= Decimal::from(10_000) {
                        // 千亿: the section so far is multiplied; 亿 alone means one 亿.
                        let base = section + current.take().unwrap_or_default();
                        let base = if base.is_zero() { Decimal::ONE } else { base };
                        total += base.checked_mul(factor).unwrap_or(base);
                        section = Decimal::ZERO;
                    } else {
                        section += current.take().unwrap_or(Decimal::ONE) * factor;
                    }
                } else {
                    break;
                }
                j += 1;
            }
            let value = total + section + current.unwrap_or_default();
            found.push(Written {
                value,
                span: start..end_of(j),
            });
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// The scale a unit's name starts with: 10^8 for 亿元, 10^4 for 万平方米, else 1.
pub fn unit_scale(unit: Option<&crate::units::Unit>) -> Decimal {
    let Some(unit) = unit else {
        return Decimal::ONE;
    };
    let mut factor = Decimal::ONE;
    for c in unit.name.chars() {
        match scale(c) {
            // 十 and 百 start no unit name of the registry, only 万, 亿 and 千 do.
            Some(s) if s >= Decimal::from(1000) => factor *= s,
            _ => break,
        }
    }
    factor
}

/// Where the sentence holding `quote` starts and the quote starts in the plan's source, when
/// the quote occurs there. A sentence ends at 。！？ or a line end; a strength or increment
/// word earlier in it governs the quoted clause. A quote that runs over a line break or a
/// page marker is found as the quote check finds it, in the source without them.
pub fn sentence_of(plan: &Plan, quote: &str) -> Option<(String, usize)> {
    let source = &plan.header.as_ref()?.source.as_ref()?.text;
    let (source, at) = match source.find(quote) {
        Some(at) => (std::borrow::Cow::Borrowed(source.as_str()), at),
        None => {
            let flat = crate::coverage::clean::Clean::flat(source).text;
            let at = flat.find(quote)?;
            (std::borrow::Cow::Owned(flat), at)
        }
    };
    let before = source.get(..at)?;
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '。' | '！' | '？' | '\n'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let text = source.get(start..at + quote.len())?;
    Some((text.to_owned(), at - start))
}

/// The text that governs a rule: the sentence up to the end of its quote, and where the
/// quote starts in it. Without a source, the quote alone.
pub fn governing(plan: &Plan, rule: &Rule) -> Option<(String, usize)> {
    let quote = &rule.quote.as_ref()?.text;
    sentence_of(plan, quote).or_else(|| Some((quote.clone(), 0)))
}

/// The last of `words` that starts before byte `end` of `text`, with its start.
pub fn last_word_before<'w>(text: &str, end: usize, words: &[&'w str]) -> Option<(usize, &'w str)> {
    words
        .iter()
        .filter_map(|w| {
            let head = text.get(..end)?;
            head.rfind(w).map(|at| (at, *w))
        })
        // The latest start wins; at one start, the longest word (不超过 over 超过).
        .max_by_key(|(at, w)| (*at, w.len()))
}

/// Whether `text` contains any of `words`.
pub fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}
