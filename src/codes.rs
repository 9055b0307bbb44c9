//! Every diagnostic code plancheck emits, with a one-line summary and the reason it exists.
//!
//! `plancheck explain CODE` and the README's table are generated from this list, and a test
//! checks that codes are unique and that every code a phase emits is listed here.

/// One diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    /// What happened, in one line.
    pub summary: &'static str,
    /// Why plancheck reports it and what to do.
    pub why: &'static str,
}

macro_rules! codes {
    ($($code:literal => $summary:literal, $why:literal;)*) => {
        /// The table, in the order the pipeline meets the problems.
        pub static CODES: &[CodeInfo] = &[
            $(CodeInfo { code: $code, summary: $summary, why: $why },)*
        ];
    };
}

codes! {
    "plancheck::parse::syntax" => "规则文件语法错误",
    "A line of a .plan file does not match the grammar (grammar/plan.pest). Every bad line is reported in one run; the message says what was expected where.";
    "plancheck::parse::io" => "无法读取规则文件",
    "A .plan file or the rules directory could not be read.";
    "plancheck::parse::no-rules" => "没有找到规则文件",
    "The rules path holds no .plan file, so there is nothing to check against.";
    "plancheck::plan::duplicate-header" => "计划头重复",
    "A plan has one `plan \"…\" { … }` header, even when it is split over several files.";
    "plancheck::plan::duplicate-task" => "任务编号重复",
    "Task numbers identify tasks in every report; two tasks with one number would mix their results.";
    "plancheck::plan::outside-task" => "语句不在任务内",
    "Rules and lead units belong to a task: write them between `task N \"…\" {` and `}`.";
    "plancheck::plan::unclosed-block" => "块没有闭合",
    "A `plan` or `task` block was opened with `{` and the file ended before its `}`.";
    "plancheck::plan::unmatched-close" => "多余的右花括号",
    "A `}` closes no open block.";
    "plancheck::plan::orphan-clause" => "子句没有对应的规则",
    "A clause line (`from`, `by`, `due`, `kind`, `schedule`, `summed`, `baseline`, `within`) continues the rule above it; here there is none, or the rule takes no such clause (`within` is for `~=` targets only).";
    "plancheck::plan::duplicate-clause" => "子句重复",
    "Each clause appears at most once per rule: one sentence, one list of reporters, one deadline, one kind, one schedule, one baseline.";
    "plancheck::plan::no-lead" => "任务没有牵头单位",
    "Every task names its lead units (`lead …`): they answer for its targets and are expected to report its figures.";
    "plancheck::plan::unknown-unit" => "未知计量单位",
    "Units are part of the value and convert only within a dimension, so every unit must be in the registry (src/units.rs).";
    "plancheck::plan::range-units" => "区间两端单位不一致",
    "The units of one rule must fit together: both ends of `in LO..HI` (one unit, written once after HI), a `baseline` or `within` and the target, and `growth`, `tolerance` and `approx` in per cent.";
    "plancheck::plan::empty-range" => "区间下限大于上限",
    "`in LO..HI` with LO above HI can never be met.";
    "plancheck::plan::bad-number" => "数值无效",
    "A number in a rule could not be read as an exact decimal (too many digits), or is negative where only a size makes sense (a tolerance).";
    "plancheck::plan::bad-period" => "计划期间无效",
    "`period` takes a year such as 2023 (or 2023-Q2, 2023-H1, 2023-06).";
    "plancheck::plan::bad-date" => "日期无效",
    "`due` takes a calendar date written YYYY-MM-DD, such as 2023-12-31.";
    "plancheck::plan::no-tolerance" => "“左右”目标没有容差",
    "A `~=` (左右) target needs a tolerance: `within 10%` on the rule, or `approx 10%` in the plan header.";
    "plancheck::plan::bad-schedule" => "进度安排无效",
    "`schedule` checkpoints lie inside the plan period, in order, with shares between 0% and 100% that never decrease.";
    "plancheck::plan::unknown-reference" => "引用了不存在的指标",
    "`metric NAME` must name a metric that some rule of the plan checks, so its figure is reported.";
    "plancheck::plan::source-unreadable" => "无法读取原文",
    "The plan's `source` file could not be read, so its quotes cannot be verified.";
    "plancheck::plan::quote-not-found" => "引文不在原文中",
    "Every `from \"…\"` must occur verbatim in the plan's source document, so each rule can be traced to the sentence it encodes.";
    "plancheck::load::io" => "无法读取填报文件",
    "A data file could not be read.";
    "plancheck::load::format" => "不支持的文件格式",
    "Submissions are .json, .yaml/.yml, .toml, .csv or .xlsx files.";
    "plancheck::load::syntax" => "填报文件语法错误",
    "The data file is not valid JSON, YAML, TOML, CSV or an Excel workbook; none of its figures can be read.";
    "plancheck::load::shape" => "填报文件结构错误",
    "A submission needs `reporter`, `period` and `figures`; see `plancheck schema submission`.";
    "plancheck::load::bad-period" => "填报期间无效",
    "Periods are written 2023, 2023-06, 2023-Q2 or 2023-H1.";
    "plancheck::load::too-deep" => "嵌套过深",
    "Data files are flat; deeper nesting than a handful of levels is rejected before it can exhaust the stack.";
    "plancheck::check::unmet" => "目标未完成",
    "The reported figure does not meet the target. Must-targets (确保) are errors, strive-targets (力争) warnings.";
    "plancheck::check::missing" => "未报送",
    "A lead unit reported for a period but left out this rule's figure, or no lead unit reported at all. An absent figure never passes.";
    "plancheck::check::invalid-value" => "数值无效",
    "The figure is not a number plancheck can compare exactly (NaN, infinity, text).";
    "plancheck::check::wrong-unit" => "计量单位不符",
    "The figure's unit measures something else than the target's (亿美元 against 亿元, 家 against 个), or is unknown.";
    "plancheck::check::wrong-kind" => "填报类型不符",
    "A milestone (`done`) takes done/true/false; a numeric target takes a number.";
    "plancheck::check::conflict" => "同一指标报送了不同数值",
    "Two submissions for the same period give different values for one metric; plancheck cannot tell which is right.";
    "plancheck::check::behind" => "进度滞后",
    "Before the deadline, a cumulative figure is below the expected progress (the target times the elapsed share of the plan period, or the plan's schedule) by more than the tolerance.";
    "plancheck::check::overdue" => "逾期未完成",
    "A milestone's deadline has passed and it is not reported done.";
    "plancheck::check::no-reference" => "缺少比较基数",
    "A relative target needs last year's value (from the plan's `baseline` or last year's submissions) or the other metric's figure; without it the verdict is missing, never met.";
    "plancheck::check::outside-period" => "期间不在计划期内",
    "The figure's period lies outside the plan's period and no relative target uses it as last year's value, so it is not checked.";
    "plancheck::check::after-as-of" => "期间晚于检查日期",
    "The figure's period ends after the --as-of date, so it is not checked in this run.";
    "plancheck::check::duplicate-figure" => "重复报送",
    "The same figure was reported twice with the same value; harmless, but one of them is redundant.";
    "plancheck::check::unknown-metric" => "未知指标",
    "No rule of the plan uses this metric, so the figure is checked against nothing; usually a typo in its name.";
    "plancheck::check::not-responsible" => "非牵头单位报送",
    "The reporter is not a lead unit of the task (nor named with `by`); the figure is still checked.";
    "plancheck::coverage::uncovered" => "原文目标没有规则引用",
    "A clause of the source that states a figure, a bound, a change or a milestone is cited by no rule's `from` and by no `skip`. Encode it as a rule quoting the clause, or declare `skip \"…\" because \"…\"` with the reason it is not checked.";
    "plancheck::coverage::uncited-rule" => "规则没有引用原文",
    "Every rule should cite the sentence of the source it encodes (`from \"…\"`), so a reader can trace each target to the plan and `plancheck coverage` can tell which sentences are encoded.";
    "plancheck::coverage::no-source" => "计划没有写明原文",
    "Coverage compares the rules with the plan's text; name it in the plan header with `source \"…\"`.";
    "plancheck::plan::blank" => "名称或理由为空",
    "A metric name, or the reason of an `allow` clause, is empty or shows nothing: only spaces, zero-width characters or bidi controls. Such a metric could never be reported by name, and such a reason explains nothing.";
    "plancheck::plan::due-before-period" => "截止日期早于计划期",
    "A `due` date before the plan period starts cannot be met by any figure of the plan, and is most likely a typo (1999 for 2023). The rules are broken until it is fixed (exit 2).";
    "plancheck::plan::due-after-period" => "截止日期晚于计划期",
    "A `due` date after the plan period ends is allowed (a target may run past the plan's year) but is worth a look: within this plan the target is judged only against its pro-rata line, never as overdue. A warning.";
    "plancheck::check::unknown-reporter" => "报送单位不在计划中",
    "The reporter of a submission leads no task and reports no rule (`by`) of the plan: perhaps a typo, a unit's old name, or blank. Its figures are not checked, so they cannot meet any target, and the run exits with 2 because the data does not fit the plan. The help names the closest lead unit.";
    "plancheck::cli::no-data" => "没有填报文件",
    "No data file was given or found; there is nothing to check.";
    "plancheck::internal" => "内部错误",
    "plancheck failed on this input (a bug, not the submitter's fault): a panic while reading a file, checking or writing a report is caught and reported with what plancheck was doing and where, and the run exits with 2 instead of crashing with nothing written. Please report it with the command, the message and the file that caused it.";
}

/// The table entry for `code`, if it is one of ours.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// The `'static` spelling of a code. miette hands codes out as owned strings; findings keep
/// `&'static str` so they stay cheap to copy. Unlisted codes map to `plancheck::internal`.
pub fn intern(code: &str) -> &'static str {
    lookup(code).map_or("plancheck::internal", |c| c.code)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_namespaced() {
        let mut seen = HashSet::new();
        for info in CODES {
            assert!(seen.insert(info.code), "duplicate code {}", info.code);
            assert!(info.code.starts_with("plancheck::"), "{}", info.code);
            assert!(
                !info.summary.is_empty() && !info.why.is_empty(),
                "{}",
                info.code
            );
        }
    }

    #[test]
    fn every_code_in_the_sources_is_listed() {
        // Scan the library for code literals so a new diagnostic cannot ship without an entry.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut missing = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.file_name().is_some_and(|n| n == "codes.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("plancheck::") {
                    // Codes appear as string literals or in `code(…)`; other hits are paths.
                    let before = &text[..i];
                    if !(before.ends_with('"') || before.ends_with("code(")) {
                        continue;
                    }
                    let rest = &text[i..];
                    let end = rest
                        .find(|c: char| {
                            !(c.is_ascii_alphanumeric() || c == ':' || c == '-' || c == '_')
                        })
                        .unwrap_or(rest.len());
                    let code = rest[..end].trim_end_matches(':');
                    // `format!("plancheck::{code}")` and prefixes are not codes.
                    let is_code = code.matches("::").count() == 2 || code == "plancheck::internal";
                    if is_code && lookup(code).is_none() {
                        missing.push(format!("{}: {code}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "codes missing from codes.rs: {missing:#?}"
        );
    }
}
