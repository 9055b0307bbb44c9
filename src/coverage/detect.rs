//! The target-like detector: whether a clause states something a rule could check.

/// Words that compare a figure with a bound or make a promise about a whole.
const COMPARISONS: &[&str] = &[
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "稳定在",
    "控制在",
    "左右",
    "以内",
    "全部",
    "清零",
    "不发生",
];

/// Comparison words that bound a figure only when one follows: `突破100亿元`, `达到千亿级`;
/// not `攻坚突破`, `达到要求`.
const BOUNDS_BEFORE_FIGURE: &[&str] = &["达到", "突破", "超过", "再超", "高于", "低于"];

/// Places in a ranking: `全市第一`, `前三名`, `位次前移`, `排名第5`.
const RANKS: &[&str] = &[
    "第一", "前三", "前五", "前十", "前列", "首位", "位次", "排名", "名次",
];

/// Completion verbs that with a deadline make a milestone: `6月底前建成`, `年内完成`.
const COMPLETIONS: &[&str] = &[
    "完成", "建成", "投用", "投产", "竣工", "开工", "通车", "验收",
];
const DEADLINES: &[&str] = &["年底前", "月底前", "年内", "月底", "底前", "年底"];

/// Words of an explanatory clause about the past: `2022年增速分别高于全省平均水平1.2个百分点`
/// describes, it does not ask.
const PAST: &[&str] = &["上年", "去年", "分别", "已经", "同比"];
const ASKING: &[&str] = &["确保", "力争", "争取", "保持", "不低于", "实现", "达到"];

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
    if explains_the_past(clause) {
        return false;
    }
    has_quantity(clause)
        || COMPARISONS.iter().any(|w| clause.contains(w))
        || BOUNDS_BEFORE_FIGURE.iter().any(|w| figure_after(clause, w))
        || RANKS.iter().any(|w| clause.contains(w))
        || COMPLETIONS
            .iter()
            .any(|c| DEADLINES.iter().any(|d| clause.contains(d)) && clause.contains(c))
        || has_lower_bound(clause)
        || CHANGES.iter().any(|w| clause.contains(w))
        || compares_metrics(clause)
        || MILESTONES.iter().any(|w| clause.contains(w))
        || MILESTONE_PAIRS.iter().any(|(a, b)| in_order(clause, a, b))
}

/// Whether an item's first sentence states a target by its structure rather than naming the
/// work: a figure, a bound, a rank, a completion with a deadline, a comparison with another
/// metric (`地区生产总值增长8%以上`, `年底前完成…`); `提升电力系统调节能力` is a title.
pub fn is_structural_target(head: &str) -> bool {
    !explains_the_past(head)
        && (has_quantity(head)
            || ["以上", "以内", "以下", "左右", "不低于", "不少于", "同步"]
                .iter()
                .any(|w| head.contains(w))
            || BOUNDS_BEFORE_FIGURE.iter().any(|w| figure_after(head, w))
            || RANKS.iter().any(|w| head.contains(w))
            || COMPLETIONS
                .iter()
                .any(|c| DEADLINES.iter().any(|d| head.contains(d)) && head.contains(c)))
}

/// `以上` after a figure (`5家以上`, `亿元以上`), not in a rank (`省级以上`, `省级及以上`)
/// or a class of firms (`规模以上工业`, `限额以上`).
fn has_lower_bound(clause: &str) -> bool {
    clause.match_indices("以上").any(|(at, _)| {
        let before = clause.get(..at).unwrap_or("");
        !(before.ends_with('级')
            || before.ends_with('及')
            || before.ends_with("规模")
            || before.ends_with("限额")
            || before.ends_with("县")
            || before.ends_with("市"))
    })
}

/// `增幅高于制造业贷款增幅`, `增速不低于GDP增速`, `与经济增长同步`, `高于全市平均水平`.
fn compares_metrics(clause: &str) -> bool {
    let compared = ["高于", "低于", "同步"].iter().any(|w| clause.contains(w));
    compared
        && (["增速", "增幅", "增长"].iter().any(|w| clause.contains(w))
            || ["平均", "警戒线"].iter().any(|w| clause.contains(w)))
}

/// A description of past results rather than a target: a past word, no asking word.
fn explains_the_past(clause: &str) -> bool {
    clause.contains("平均")
        && PAST.iter().any(|w| clause.contains(w))
        && !ASKING.iter().any(|w| clause.contains(w))
}

/// Whether `word` is followed in `clause` by a figure, in digits or Chinese numerals.
fn figure_after(clause: &str, word: &str) -> bool {
    clause.match_indices(word).any(|(at, w)| {
        clause.get(at + w.len()..).is_some_and(|rest| {
            rest.trim_start_matches(['了', '到', '至', ' '])
                .starts_with(|c: char| {
                    c.is_ascii_digit() || "一二三四五六七八九十百千万亿两".contains(c)
                })
        })
    })
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
