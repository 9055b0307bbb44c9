//! Milestones: a `done` rule's sentence sets a completion for the year, and a rank in it is
//! checked as a rank.

use super::finding;
use crate::diagnostic::Finding;
use crate::model::{Plan, Target};

/// Words that finish something within the year.
pub const COMPLETION_WORDS: &[&str] = &[
    "完成", "建成", "投产", "出台", "获批", "实现", "创建", "创成", "落户", "建立", "实行", "执行",
    "履行", "落实", "通过", "挂牌", "开通", "启用", "竣工", "验收", "达效", "应用", "开工", "成立",
    "组建", "上线", "投用", "交付", "印发", "制定", "编制", "发布", "认定", "入选", "列入", "签约",
    "开业", "建设", "覆盖", "提升", "争创", "申创", "引进", "进入", "启动", "列为", "新建", "搭建",
    "举办", "承办", "开设", "增设", "达标", "守住", "管控", "收官", "普查", "加固", "修复", "改造",
    "整治", "参加", "共建", "保持", "申报", "达到", "实施", "保障", "管理",
];

/// Words that ask for progress without a point at which it is done.
const PROGRESS_WORDS: &[&str] = &[
    "推进",
    "加快",
    "推动",
    "启动前期",
    "培育",
    "见效",
    "谋划",
    "加强",
    "深化",
    "完善",
    "提速",
];

/// Completions that a skipped sentence must not hide: a thing made, opened or passed.
pub const STRONG_COMPLETIONS: &[&str] = &[
    "完成", "建成", "投产", "出台", "获批", "创建", "创成", "竣工", "挂牌", "开通", "落户",
];

/// Words right before a completion that turn it into progress: 早投产, 加快建设, 推进完成.
const PROGRESS_BEFORE: &[&str] = &["早", "快", "加快", "推进", "推动", "加速", "力促"];

/// Words right after a completion that turn it into progress: 启动前期.
const PROGRESS_AFTER: &[&str] = &["前期"];

/// A completion word inside a longer word: 建成 in 创建成果.
const INSIDE_WORDS: &[(&str, &str)] = &[("建成", "创")];

/// The first completion word of `text` that is not turned into progress.
pub fn completion<'w>(text: &str, words: &[&'w str]) -> Option<&'w str> {
    words.iter().copied().find(|word| {
        text.match_indices(word).any(|(at, _)| {
            let before = text.get(..at).unwrap_or_default();
            let after = text.get(at + word.len()..).unwrap_or_default();
            let inside = INSIDE_WORDS
                .iter()
                .any(|(w, prefix)| w == word && before.ends_with(prefix));
            !inside
                && !PROGRESS_BEFORE.iter().any(|p| before.ends_with(p))
                && !PROGRESS_AFTER.iter().any(|p| after.starts_with(p))
        })
    })
}

/// A rank in a sentence: 第一, 第3, 前三, 前10名.
pub fn rank(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '第' && *c != '前' {
            continue;
        }
        let digits: String = chars
            .iter()
            .skip(i + 1)
            .take_while(|d| d.is_ascii_digit() || "一二三四五六七八九十".contains(**d))
            .collect();
        let next = chars.get(i + 1 + digits.chars().count());
        // 前三 needs a 名/位 after it, 第一 stands alone; 第十四届 is no rank.
        let ranked = match c {
            '第' => !matches!(
                next,
                Some('届' | '批' | '次' | '期' | '轮' | '季' | '章' | '条' | '项' | '个')
            ),
            _ => matches!(next, Some('名' | '位')),
        };
        if !digits.is_empty() && ranked {
            return Some(format!("{c}{digits}"));
        }
    }
    None
}

pub fn check(plan: &Plan, findings: &mut Vec<Finding>) {
    for rule in plan.rules.iter().filter(|r| r.target == Target::Done) {
        let Some(quote) = &rule.quote else {
            continue;
        };
        let progress = PROGRESS_WORDS.iter().find(|w| quote.text.contains(*w));
        if completion(&quote.text, COMPLETION_WORDS).is_none() {
            let (message, label) = match progress {
                Some(word) => (
                    format!("里程碑所引原文只要求“{word}”，没有年内完成的事项"),
                    format!("原文只要求“{word}”"),
                ),
                None => (
                    "里程碑所引原文没有年内完成的事项".to_owned(),
                    "原文没有完成的事项".to_owned(),
                ),
            };
            findings.push(finding(
                "plancheck::lint::done-without-completion",
                message,
                Some(
                    "done 规则的原文应写明年内完成的事（完成、建成、投产、出台、获批、实现、创建等）；只要求推进、加快、推动或见效的句子没有可核对的完成点，请改写为 skip \"…\" because \"…\""
                        .to_owned(),
                ),
                vec![
                    (&rule.target_loc, "没有可核对的完成点".to_owned()),
                    (&quote.loc, label),
                ],
            ));
        }
        if let Some(rank) = rank(&quote.text) {
            findings.push(finding(
                "plancheck::lint::done-rank",
                format!("原文的名次“{rank}”并入了里程碑，名次不会被检查"),
                Some(format!(
                    "把名次单列为名次规则，例如 指标位次 rank <= 1 from \"…{rank}…\"（位次前移写 rank improves），其余说法另作里程碑或 skip"
                )),
                vec![
                    (&rule.target_loc, "名次并入了 done".to_owned()),
                    (&quote.loc, format!("原文有名次“{rank}”")),
                ],
            ));
        }
    }
}
