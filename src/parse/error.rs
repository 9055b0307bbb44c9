//! The errors of the parse phase: reading and syntax (`plancheck::parse::…`) and the shape of
//! the plan built from the parsed lines (`plancheck::plan::…`).
//!
//! Errors hold byte spans into one rule file and never its text; `to_finding` names the file.

use crate::diagnostic::{Finding, Kind, Loc};
use crate::source::{RuleFileId, RuleLoc};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A rule file could not be read, or a line of it does not match the grammar.
#[derive(Debug, Error, Diagnostic)]
pub enum ParseError {
    #[error("无法读取规则文件 {path}：{reason}")]
    #[diagnostic(code("plancheck::parse::io"), help("检查路径是否正确、文件是否可读"))]
    Io { path: String, reason: String },

    #[error("{path} 中没有 .plan 规则文件")]
    #[diagnostic(
        code("plancheck::parse::no-rules"),
        help("规则文件以 .plan 结尾；给出一个 .plan 文件或包含 .plan 文件的目录")
    )]
    NoRules { path: String },

    #[error("应为{expected}，却遇到{found}")]
    #[diagnostic(code("plancheck::parse::syntax"))]
    Unexpected {
        expected: String,
        found: String,
        #[label("此处应为{expected}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("字符串缺少结尾的引号")]
    #[diagnostic(
        code("plancheck::parse::syntax"),
        help("字符串以英文双引号 \" 开始并在同一行以 \" 结束；字符串中的引号写作 \\\"")
    )]
    UnterminatedString {
        #[label("字符串从这里开始，到行尾也没有结束")]
        at: SourceSpan,
    },

    #[error("字符串中的转义 {escape} 无效")]
    #[diagnostic(
        code("plancheck::parse::syntax"),
        help("字符串中只有 \\\" （引号）和 \\\\ （反斜杠）两种转义")
    )]
    BadEscape {
        escape: String,
        #[label("无效的转义")]
        at: SourceSpan,
    },

    #[error("{statement} 只能写在计划头 plan \"…\" {{ … }} 中")]
    #[diagnostic(
        code("plancheck::parse::syntax"),
        help("计划头写作：\nplan \"标题\" {{\n    period 2023\n    source \"原文.txt\"\n}}")
    )]
    OutsideHeader {
        statement: &'static str,
        #[label("不在计划头中")]
        at: SourceSpan,
    },

    #[error("计划头中 {statement} 重复")]
    #[diagnostic(
        code("plancheck::parse::syntax"),
        help("计划头中 {statement} 只写一次")
    )]
    RepeatedInHeader {
        statement: &'static str,
        #[label("重复的 {statement}")]
        at: SourceSpan,
        #[label("第一次在此")]
        first: SourceSpan,
    },

    #[error("skip 的{part}不能为空")]
    #[diagnostic(
        code("plancheck::parse::syntax"),
        help("写作 skip \"原文中不设检查的一句\" because \"不可检查的原因\"")
    )]
    EmptySkip {
        part: &'static str,
        #[label("空字符串")]
        at: SourceSpan,
    },

    #[error("规则文件过大，无法解析")]
    #[diagnostic(
        code("plancheck::parse::syntax"),
        help("把计划拆成几个 .plan 文件放在同一目录下")
    )]
    TooLarge {
        #[label("文件从这里开始")]
        at: SourceSpan,
    },
}

/// The parsed lines do not make a consistent plan.
#[derive(Debug, Error, Diagnostic)]
pub enum PlanError {
    #[error("计划头重复：整个计划只能有一个 plan \"…\" {{ … }}")]
    #[diagnostic(
        code("plancheck::plan::duplicate-header"),
        help("计划分成多个文件时，只在其中一个文件里写 plan 头")
    )]
    DuplicateHeader {
        #[label("第二个计划头")]
        at: SourceSpan,
        #[label("第一个计划头在此")]
        first: SourceSpan,
    },

    #[error("任务编号 {number} 重复")]
    #[diagnostic(
        code("plancheck::plan::duplicate-task"),
        help("每个任务的编号在整个计划中唯一，报告按编号区分任务")
    )]
    DuplicateTask {
        number: u32,
        #[label("任务 {number} 再次出现")]
        at: SourceSpan,
        #[label("任务 {number} 第一次在此")]
        first: SourceSpan,
    },

    #[error("{statement}不在任何任务中")]
    #[diagnostic(
        code("plancheck::plan::outside-task"),
        help("规则和 lead 写在 task N \"…\" {{ 和 }} 之间")
    )]
    OutsideTask {
        statement: &'static str,
        #[label("应写在任务块内")]
        at: SourceSpan,
    },

    #[error("{block} 的块没有闭合")]
    #[diagnostic(
        code("plancheck::plan::unclosed-block"),
        help("在块的最后一行之后单独写一行 }}")
    )]
    UnclosedBlock {
        block: String,
        #[label("块从这里开始")]
        at: SourceSpan,
        #[label("在此之前应有 }}")]
        ended_by: Option<SourceSpan>,
    },

    #[error("多余的 }}：没有需要闭合的块")]
    #[diagnostic(
        code("plancheck::plan::unmatched-close"),
        help("删除这个 }}，或检查上面的 plan/task 行是否以 {{ 结尾")
    )]
    UnmatchedClose {
        #[label("没有对应的 {{")]
        at: SourceSpan,
    },

    #[error("{clause} 子句上方没有规则")]
    #[diagnostic(
        code("plancheck::plan::orphan-clause"),
        help(
            "from、by、due、kind、schedule、summed、baseline、within 子句接在规则后面，\
             或写在规则下面的行上，且在同一任务中"
        )
    )]
    OrphanClause {
        clause: &'static str,
        #[label("不属于任何规则")]
        at: SourceSpan,
    },

    #[error("规则的 {clause} 子句重复")]
    #[diagnostic(
        code("plancheck::plan::duplicate-clause"),
        help("每种子句每条规则最多写一个；by 后可列多个单位，schedule 后可列多个检查点")
    )]
    DuplicateClause {
        clause: &'static str,
        #[label("重复的 {clause}")]
        at: SourceSpan,
        #[label("第一个 {clause} 在此")]
        first: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code("plancheck::plan::bad-lead"), help("{help}"))]
    BadLead {
        message: String,
        #[label("牵头单位写法有误")]
        at: SourceSpan,
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code("plancheck::plan::bad-toward"), help("{help}"))]
    BadToward {
        message: String,
        #[label("多年目标写法有误")]
        at: SourceSpan,
        help: String,
    },

    #[error("任务 {number} 没有牵头单位")]
    #[diagnostic(
        code("plancheck::plan::no-lead"),
        help("在任务块中写一行 lead 单位1, 单位2，列出原文中的牵头单位")
    )]
    NoLead {
        number: u32,
        #[label("此任务缺少 lead")]
        at: SourceSpan,
    },

    #[error("未知计量单位“{unit}”")]
    #[diagnostic(code("plancheck::plan::unknown-unit"))]
    UnknownUnit {
        unit: String,
        #[label("单位表中没有此单位")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("区间两端的单位不一致")]
    #[diagnostic(
        code("plancheck::plan::range-units"),
        help("单位只在上限后写一次，对两端都有效，例如 in 1..2 个")
    )]
    RangeUnits {
        #[label("下限的单位")]
        low: SourceSpan,
        #[label("上限的单位")]
        high: Option<SourceSpan>,
    },

    #[error("区间下限大于上限，目标永远无法达到")]
    #[diagnostic(
        code("plancheck::plan::empty-range"),
        help("区间写作 in 下限..上限，两端都包含在内")
    )]
    EmptyRange {
        #[label("下限大于上限")]
        at: SourceSpan,
    },

    #[error("数值“{text}”无法精确表示")]
    #[diagnostic(
        code("plancheck::plan::bad-number"),
        help("数值最多约 28 位有效数字；任务编号不超过 4294967295")
    )]
    BadNumber {
        text: String,
        #[label("数值过大或位数过多")]
        at: SourceSpan,
    },

    #[error("计划期间“{text}”无效")]
    #[diagnostic(
        code("plancheck::plan::bad-period"),
        help("写作 2023、2023-Q2、2023-H1、2023-06 或 2023年上半年")
    )]
    BadPeriod {
        text: String,
        #[label("无法识别的期间")]
        at: SourceSpan,
    },

    #[error("within 只用于 ~= （左右）目标")]
    #[diagnostic(
        code("plancheck::plan::orphan-clause"),
        help("within 给出 ~=、~>=、~<= 目标的容差，例如 重点项目 ~= 20 个 within 2 个、地区生产总值 growth ~>= 5% within 0.5 百分点；其他目标不需要容差")
    )]
    WithinNotApprox {
        #[label("这条规则的目标不是 ~=")]
        at: SourceSpan,
        #[label("目标在此")]
        target: SourceSpan,
    },

    #[error("{what}须以 % 表示")]
    #[diagnostic(code("plancheck::plan::range-units"))]
    NotPercent {
        what: &'static str,
        found: String,
        #[label("{found}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{clause} 的单位与目标不一致：{found}不能与{expected}换算")]
    #[diagnostic(
        code("plancheck::plan::range-units"),
        help("一条规则中的数值须能互相换算，例如目标以 亿元 计时写 baseline 25.3 亿元 或 within 2000 万元")
    )]
    UnitsDisagree {
        clause: &'static str,
        found: String,
        expected: String,
        #[label("{found}")]
        at: SourceSpan,
        #[label("目标是{expected}")]
        target: SourceSpan,
    },

    #[error("{what}不能为负数")]
    #[diagnostic(
        code("plancheck::plan::bad-number"),
        help("容差是允许偏离的幅度，写作非负数，例如 within 10% 或 approx 10%")
    )]
    NegativeTolerance {
        what: &'static str,
        #[label("负数")]
        at: SourceSpan,
    },

    #[error("日期“{text}”无效")]
    #[diagnostic(
        code("plancheck::plan::bad-date"),
        help("due 写作日历上存在的日期 YYYY-MM-DD，例如 2023-12-31；2 月 29 日只在闰年存在")
    )]
    BadDate {
        text: String,
        #[label("不是有效的日期")]
        at: SourceSpan,
    },

    #[error("目标调整缺少文号")]
    #[diagnostic(
        code("plancheck::plan::adjust-without-document"),
        help("调整目标须有批准文件：adjust 指标 to >= 38000 人 from 2023-07-01 by \"济政字〔2023〕12号\" because \"…\"")
    )]
    AdjustWithoutDocument {
        #[label("没有写 by \"文号\"")]
        at: SourceSpan,
    },

    #[error("调整的指标「{metric}」在本任务中没有规则")]
    #[diagnostic(
        code("plancheck::plan::adjust-unknown-metric"),
        help("adjust 写在所调整规则所在的任务内，指标名与规则一致")
    )]
    AdjustUnknownMetric {
        metric: String,
        #[label("本任务没有这个指标的规则")]
        at: SourceSpan,
    },

    #[error("目标调整的日期没有晚于前一次调整")]
    #[diagnostic(
        code("plancheck::plan::adjust-out-of-order"),
        help("同一规则的多次调整按日期先后书写，日期逐次增加；生效的是最后一次已到日期的调整")
    )]
    AdjustOutOfOrder {
        #[label("这一次调整")]
        at: SourceSpan,
        #[label("前一次调整")]
        previous: SourceSpan,
    },

    #[error("目标调整无效：{problem}")]
    #[diagnostic(
        code("plancheck::plan::bad-adjust"),
        help("调整后的目标与原目标同类，日期写作 YYYY-MM-DD")
    )]
    BadAdjust {
        problem: String,
        #[label("{problem}")]
        at: SourceSpan,
    },

    #[error("进度安排无效：{problem}")]
    #[diagnostic(
        code("plancheck::plan::bad-schedule"),
        help(
            "schedule 写作 2023-Q1 20%, 2023-H1 50%, 2023-Q3 75%：检查点在计划期内、\
             按期间先后排列，占比在 0% 到 100% 之间且不减少"
        )
    )]
    BadSchedule {
        problem: String,
        label: String,
        #[label("{label}")]
        at: SourceSpan,
    },

    #[error("名次无效：{found}")]
    #[diagnostic(code("plancheck::plan::bad-rank"))]
    BadRank {
        found: String,
        #[label("名次须为正整数")]
        at: SourceSpan,
        #[help]
        help: &'static str,
    },

    #[error("增长率的容差以百分点计")]
    #[diagnostic(
        code("plancheck::plan::tolerance-points"),
        help("增长5%左右写作 growth ~>= 5% within 0.5 百分点：增长率上下浮动 0.5 个百分点，而不是 5% 的某个百分比")
    )]
    NotPoints {
        found: String,
        #[label("{found}")]
        at: SourceSpan,
    },

    #[error("“左右”目标没有容差")]
    #[diagnostic(
        code("plancheck::plan::no-tolerance"),
        help("在规则后写 within 10%（或 within 2 个；增长率写 within 0.5 百分点），或在计划头中写 approx 10%, 0.5 百分点 作为所有 ~= 目标的容差")
    )]
    NoTolerance {
        #[label("容差未给出")]
        at: SourceSpan,
    },

    #[error("{what}为空或只有不可见字符")]
    #[diagnostic(
        code("plancheck::plan::blank"),
        help("写出看得见的文字；空格、零宽字符和方向控制符不能构成指标名称或理由")
    )]
    Blank {
        what: &'static str,
        #[label("这里没有可见的文字")]
        at: SourceSpan,
    },

    #[error("截止日期 {due} 早于计划期 {period} 的开始（{start}）")]
    #[diagnostic(
        code("plancheck::plan::due-before-period"),
        help("due 写计划期内的日期；若日期无误，请检查计划头的 period")
    )]
    DueBeforePeriod {
        due: String,
        period: String,
        start: String,
        #[label("早于计划期")]
        at: SourceSpan,
    },

    #[error("截止日期 {due} 晚于计划期 {period} 的结束（{end}）")]
    #[diagnostic(
        code("plancheck::plan::due-after-period"),
        severity(Warning),
        help("计划期结束时这条目标仍未到期，检查只按序时进度判断；若日期无误可忽略此警告")
    )]
    DueAfterPeriod {
        due: String,
        period: String,
        end: String,
        #[label("晚于计划期")]
        at: SourceSpan,
    },

    #[error("计划中没有指标“{name}”")]
    #[diagnostic(code("plancheck::plan::unknown-reference"))]
    UnknownReference {
        name: String,
        #[label("没有规则检查这一指标")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A `source` outside the project folder: refused unread, so its contents can never reach
    /// a message (a did-you-mean quoting a line of /etc/passwd).
    #[error("原文 {path} 在 {root} 之外，未读取")]
    #[diagnostic(
        code("plancheck::plan::source-outside"),
        help("原文须在规则目录所在的目录之内（source 的路径相对于写它的 .plan 文件）；确需读取别处的文件时，加 --allow-source-outside。")
    )]
    SourceOutside {
        path: String,
        root: String,
        #[label("原文文件")]
        at: SourceSpan,
    },

    #[error("指标“{name}”已声明为跟踪指标，不能再作为目标")]
    #[diagnostic(
        code("plancheck::plan::tracked-target"),
        help("track 声明只报送、供 metric 引用而不设目标的指标；有目标的指标删去 track 行，或删去重复的 track 行")
    )]
    TrackedTarget {
        name: String,
        #[label("此处再次使用")]
        at: SourceSpan,
        #[label("在此声明为跟踪指标")]
        tracked: SourceSpan,
    },

    #[error("无法读取原文 {path}：{reason}")]
    #[diagnostic(
        code("plancheck::plan::source-unreadable"),
        help("source 的路径相对于写它的 .plan 文件所在目录")
    )]
    SourceUnreadable {
        path: String,
        reason: String,
        #[label("原文文件")]
        at: SourceSpan,
    },

    #[error("引文不在原文中")]
    #[diagnostic(code("plancheck::plan::quote-not-found"))]
    QuoteNotFound {
        #[label("原文中找不到这句话")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },
}

/// Turns a phase error into a finding whose labels all point into `file`.
pub fn to_finding(error: &dyn Diagnostic, file: RuleFileId) -> Finding {
    Finding::from_diagnostic(error, Kind::Input, |span| Loc::Rule(RuleLoc { file, span }))
}

/// Turns a phase error whose labels point into different files into a finding: label `i` is
/// in `files[i]`. Used where one label marks a first occurrence in another file.
pub fn to_finding_across(error: &dyn Diagnostic, files: &[RuleFileId]) -> Finding {
    let mut finding = to_finding(error, files.first().copied().unwrap_or(RuleFileId(0)));
    for (label, file) in finding.labels.iter_mut().zip(files) {
        if let Loc::Rule(loc) = &mut label.loc {
            loc.file = *file;
        }
    }
    finding
}

/// A byte range as miette wants it: `(start..end).into()`, never `(start, len)`.
pub fn span(range: &std::ops::Range<usize>) -> SourceSpan {
    (range.start..range.end).into()
}
