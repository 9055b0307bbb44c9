//! The target-like detector: whether a clause states something a rule could check.

/// Words that compare a figure with a bound or make a promise about a whole.
const COMPARISONS: &[&str] = &[
    "不低于",
    "不少于",
    "达到",
    "稳定在",
    "突破",
    "超过",
    "再超",
    "左右",
    "全部",
    "全面",
    "清零",
    "不发生",
];

/// Words that ask for a change against last year.
const CHANGES: &[&str] = &["增长", "提高", "提升", "缩小", "百分点"];

/// Milestones that stand alone.
const MILESTONES: &[&str] = &["建成", "投产达效", "落户", "年底前完成"];

/// Milestones of two words in order: `完成市定我区关停任务`, `实现济宁新机场迁建通航`.
const MILESTONE_PAIRS: &[(&str, &str)] = &[("完成", "任务"), ("完成", "目标"), ("实现", "通航")];

/// Units a figure may carry, longest first where one is a prefix of another is irrelevant:
/// any match will do. 年, 月 and 日 are missing on purpose: `2023年` is a date.
const UNITS: &[&str] = &[
    "%", "％", "‰", "个", "家", "项", "人", "名", "位", "所", "处", "条", "座", "张", "户", "头",
    "只", "台", "套", "件", "批", "场", "次", "篇", "部", "辆", "栋", "间", "元", "美元", "万",
    "亿", "千", "百", "吨", "斤", "公斤", "千克", "亩", "公顷", "平方", "立方", "公里", "千米",
    "米", "瓦", "千瓦", "兆瓦", "小时", "天", "倍", "床",
];

/// Whether a clause states something checkable: a figure, a bound, a change, a comparison
/// with another metric or a milestone.
pub fn is_target_like(clause: &str) -> bool {
    has_quantity(clause)
        || COMPARISONS.iter().any(|w| clause.contains(w))
        || has_lower_bound(clause)
        || CHANGES.iter().any(|w| clause.contains(w))
        || compares_metrics(clause)
        || MILESTONES.iter().any(|w| clause.contains(w))
        || MILESTONE_PAIRS.iter().any(|(a, b)| in_order(clause, a, b))
}

/// `以上` after a figure (`5家以上`, `亿元以上`), not in a rank (`省级以上`, `省级及以上`).
fn has_lower_bound(clause: &str) -> bool {
    clause.match_indices("以上").any(|(at, _)| {
        let before = clause.get(..at).unwrap_or("");
        !(before.ends_with('级') || before.ends_with('及'))
    })
}

/// `增幅高于制造业贷款增幅`, `增速不低于GDP增速`.
fn compares_metrics(clause: &str) -> bool {
    ["高于", "低于"].iter().any(|w| clause.contains(w))
        && ["增速", "增幅", "增长"].iter().any(|w| clause.contains(w))
}

fn in_order(clause: &str, first: &str, second: &str) -> bool {
    clause
        .find(first)
        .and_then(|at| clause.get(at + first.len()..))
        .is_some_and(|rest| rest.contains(second))
}

/// Whether the clause holds a figure with a unit: `5家`, `91%`, `0.5平方公里`, `3550余场`,
/// `1-2个`, `4560 个`. Figures inside “…” or 《…》 are names (`“八抓20条”`), and digits glued
/// to Latin letters are designations (`PM2.5`, `5G`).
pub fn has_quantity(clause: &str) -> bool {
    let chars: Vec<(usize, char)> = clause.char_indices().collect();
    let char_at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(c) = char_at(i) {
        match c {
            '“' | '《' | '「' | '『' => depth += 1,
            '”' | '》' | '」' | '』' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !is_digit(c) {
            i += 1;
            continue;
        }
        let glued = i
            .checked_sub(1)
            .and_then(char_at)
            .is_some_and(|p| p.is_ascii_alphabetic() || p == '.');
        // The number: digits, a decimal part, and the far end of a range (1-2, 1至3).
        let mut j = i;
        let digits = |j: &mut usize| {
            while char_at(*j).is_some_and(is_digit) {
                *j += 1;
            }
        };
        digits(&mut j);
        if char_at(j) == Some('.') && char_at(j + 1).is_some_and(is_digit) {
            j += 1;
            digits(&mut j);
        }
        if char_at(j).is_some_and(|c| matches!(c, '-' | '–' | '—' | '~' | '～' | '至' | '到'))
            && char_at(j + 1).is_some_and(is_digit)
        {
            j += 1;
            digits(&mut j);
            if char_at(j) == Some('.') && char_at(j + 1).is_some_and(is_digit) {
                j += 1;
                digits(&mut j);
            }
        }
        let after_letters = char_at(j).is_some_and(|c| c.is_ascii_alphabetic());
        while char_at(j) == Some(' ') {
            j += 1;
        }
        if matches!(char_at(j), Some('余' | '多')) {
            j += 1;
        }
        let rest = chars
            .get(j)
            .and_then(|&(at, _)| clause.get(at..))
            .unwrap_or("");
        if depth == 0 && !glued && !after_letters && UNITS.iter().any(|u| rest.starts_with(u)) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}
