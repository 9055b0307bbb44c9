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
    "plancheck::plan::adjust-without-document" => "目标调整缺少文号",
    "An adjusted target stands on an approved document; without its number (文号) nobody can check the adjustment was approved.";
    "plancheck::plan::adjust-unknown-metric" => "调整的指标没有规则",
    "An `adjust` line changes the target of a rule of its own task; none has that metric.";
    "plancheck::plan::adjust-out-of-order" => "目标调整日期未递增",
    "Several adjustments of one rule are written in date order, so the one in force on a date is the last one dated on or before it.";
    "plancheck::plan::bad-adjust" => "目标调整无效",
    "An adjusted target has the form of the rule's own target (a milestone cannot become a number) and a calendar date.";
    "plancheck::plan::orphan-clause" => "子句没有对应的规则",
    "A clause line (`from`, `by`, `due`, `kind`, `schedule`, `summed`, `baseline`, `within`) continues the rule above it; here there is none, or the rule takes no such clause (`within` is for `~=` targets only).";
    "plancheck::plan::duplicate-clause" => "子句重复",
    "Each clause appears at most once per rule: one sentence, one list of reporters, one deadline, one kind, one schedule, one baseline.";
    "plancheck::plan::no-lead" => "任务没有牵头单位",
    "Every task names its lead units (`lead …`): they answer for its targets and are expected to report its figures.";
    "plancheck::plan::bad-lead" => "牵头单位写法有误",
    "A `lead` with a pasted 牵头单位： label or units joined by ； would make one bogus unit that no submission names; units are separated by commas or 、.";
    "plancheck::plan::bad-toward" => "多年目标写法有误",
    "A `toward YEAR` target is judged in earlier years against the straight line from its baseline to the target, so the line needs an inequality target (`>=`, `>`, `<=`, `<`), an end year after the plan's year and a baseline year before it; anything else would judge the year against a line that does not exist.";
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
    "A `~=`, `~>=` or `~<=` (左右) target needs a tolerance: `within 10%` on the rule, or `approx 10%` in the plan header; a growth target needs one in percentage points (`within 0.5 百分点`, or `approx 10%, 0.5 百分点`).";
    "plancheck::plan::bad-rank" => "名次无效",
    "A rank target (`rank <= 3`) names a place in a ranking: a whole number from 1, bare or in 名 or 位. A place of 0 or 1.5 does not exist.";
    "plancheck::plan::tolerance-points" => "增长率的容差须以百分点计",
    "增长5%左右 allows the growth rate to stray by percentage points (`within 0.5 百分点`), not by a share of the rate, so a tolerance in % or another unit on a growth target is refused rather than guessed.";
    "plancheck::plan::bad-schedule" => "进度安排无效",
    "`schedule` checkpoints lie inside the plan period, in order, with shares between 0% and 100% that never decrease.";
    "plancheck::plan::unknown-reference" => "引用了不存在的指标",
    "`metric NAME` must name a metric that some rule of the plan checks, so its figure is reported.";
    "plancheck::plan::tracked-target" => "跟踪指标同时是目标",
    "A `track` metric is reported and referenced but has no target, so no rule may check it and it is declared once; a metric with a target needs no `track` line.";
    "plancheck::plan::source-unreadable" => "无法读取原文",
    "The plan's `source` file could not be read, so its quotes cannot be verified.";
    "plancheck::plan::source-outside" => "原文在项目目录之外",
    "The plan's `source` resolves (links followed) outside the folder that holds the rules folder, so it was not read: a rule file must not make plancheck read, and quote from, an arbitrary file such as /etc/passwd. Move the document into the project, or pass --allow-source-outside.";
    "plancheck::plan::quote-not-found" => "引文不在原文中",
    "Every `from \"…\"` must occur verbatim in the plan's source document, so each rule can be traced to the sentence it encodes.";
    "plancheck::load::io" => "无法读取填报文件",
    "A data file could not be read (it vanished, or permission is denied); the other files are still checked.";
    "plancheck::load::encoding" => "填报文件不是 UTF-8 编码",
    "Data files are read as UTF-8. The message names the line where decoding fails and the likely encoding (GBK/GB18030 from Chinese Excel and Notepad, UTF-16): save the file again as UTF-8.";
    "plancheck::load::unpacked-too-large" => "工作簿解压后过大",
    "An .xlsx is a zip archive; its parts declare their unpacked sizes, and a workbook declaring more than --max-unpacked-size (default 256 MiB) is refused before anything is inflated, so a small zip bomb cannot take gigabytes.";
    "plancheck::load::too-many-cells" => "工作簿单元格过多",
    "A workbook with more cells than --max-cells (default 2,000,000), or whose table would span more, is not read: a submission needs one row per figure.";
    "plancheck::load::too-many-figures" => "填报数值过多",
    "A data file with more figures than --max-figures (default 500,000) is not checked; one department reports tens or hundreds.";
    "plancheck::load::skipped-files" => "跳过了不是填报文件的文件",
    "Files in a data folder whose extension is not a data format are not read; they are listed so none goes unnoticed. Hidden files, Excel lock files (~$…), READMEs and Markdown pass quietly; old or other spreadsheets (.xls, .ods, .et, …) are errors of their own (plancheck::load::format).";
    "plancheck::load::format" => "不支持的文件格式",
    "Submissions are .json, .yaml/.yml, .toml, .csv or .xlsx files. A spreadsheet in another format (old .xls, .xlsm, .ods, WPS .et) in a data folder is an error naming it, not a silent skip: its figures would otherwise be reported missing. Save it as .xlsx.";
    "plancheck::load::syntax" => "填报文件语法错误",
    "The data file is not valid JSON, YAML, TOML, CSV or an Excel workbook; none of its figures can be read.";
    "plancheck::load::shape" => "填报文件结构错误",
    "A submission needs `reporter`, `period` and `figures`; see `plancheck schema submission`.";
    "plancheck::load::bad-period" => "填报期间无效",
    "Periods are written 2023, 2023-06, 2023-Q2 or 2023-H1.";
    "plancheck::load::too-deep" => "嵌套过深",
    "Data files are flat; deeper nesting than a handful of levels is rejected before it can exhaust the stack.";
    "plancheck::files::not-found" => "路径不存在",
    "A path given on the command line does not exist.";
    "plancheck::files::not-regular" => "不是普通文件",
    "plancheck reads only regular files. A FIFO would block the run, a device such as /dev/zero never ends, a socket is no file; such a path is refused without being opened for reading.";
    "plancheck::files::too-large" => "文件超过大小上限",
    "A data or rule file larger than --max-file-size (default 32 MiB), or a source document larger than --max-source-size (default 16 MiB), is refused from its size before it is read, so a huge file cannot exhaust memory.";
    "plancheck::files::outside-root" => "符号链接指向给定路径之外",
    "Inside the folders given on the command line, a symbolic link is followed only if its target lies inside them too. A link to /etc/passwd or to a secret elsewhere is refused and never read.";
    "plancheck::files::link-loop" => "符号链接构成循环",
    "A link back to a folder being walked (`loop -> .`) is not followed again; the folder's files are read once.";
    "plancheck::files::dangling-link" => "悬空的符号链接",
    "A symbolic link points to a file that does not exist; what it was meant to hold is not checked.";
    "plancheck::files::unreadable" => "无法读取目录或文件",
    "A folder or file could not be read (permission denied); the rest of the run goes on, and this finding says what was left out.";
    "plancheck::check::unmet" => "目标未完成",
    "The reported figure does not meet the target. Must-targets (确保) are errors, strive-targets (力争) warnings.";
    "plancheck::check::missing" => "未报送",
    "A lead unit reported for a period but left out this rule's figure, or no lead unit reported at all. An absent figure never passes.";
    "plancheck::check::invalid-value" => "数值无效",
    "The figure is not a number plancheck can compare exactly (NaN, infinity, text).";
    "plancheck::check::date-value" => "数值成了日期",
    "A workbook cell in the value column holds a date: Excel and WPS turn a value such as 1-2 or 3/4, typed into a cell formatted General, into a date (2 January). Read as text it would be the number 2024 with the unit -01-02, so it is named for what it is, with its cell; format the cell as General or Number and type the value again.";
    "plancheck::check::formula-not-calculated" => "公式未计算",
    "A workbook formula has no calculated result: a program (openpyxl, XlsxWriter, rust_xlsxwriter) wrote it without calculating it, storing nothing or a placeholder 0 and asking Excel to calculate on opening (fullCalcOnLoad). Reading the placeholder would judge a figure nobody reported; open the workbook in Excel or WPS and save it, which stores the results.";
    "plancheck::check::wrong-unit" => "计量单位不符",
    "The figure's unit measures something else than the target's (亿美元 against 亿元, 家 against 个), or is unknown.";
    "plancheck::check::wrong-kind" => "填报类型不符",
    "A milestone (`done`) takes done/true/false (also 完成/未完成, 是/否, √/×, and 1/0 as a number without unit); a numeric target takes a number. Any other number for a milestone is refused, since 2 or 50% says nothing about done.";
    "plancheck::check::conflict" => "同一指标报送了不同数值",
    "Two submissions for the same period give different values for one metric; plancheck cannot tell which is right.";
    "plancheck::check::behind" => "进度滞后",
    "Before the deadline, a cumulative figure is below the expected progress (the target times the elapsed share of the plan period, or the plan's schedule) by more than the tolerance.";
    "plancheck::check::overdue" => "逾期未完成",
    "A milestone's deadline has passed and it is not reported done.";
    "plancheck::check::no-reference" => "缺少比较基数",
    "A relative target needs last year's value (from the plan's `baseline` or last year's submissions) or the other metric's figure; without it the verdict is missing, never met.";
    "plancheck::check::no-outside-figure" => "缺少计划外的比较值",
    "A target compared with a figure from outside the plan (不低于全市平均水平: `>= metric 全市平均水平` with `track 全市平均水平 by 市统计局`) waits for the office named after `by` to report that figure for the period; the finding names it. Without the figure the verdict is missing, never met.";
    "plancheck::check::no-peer-figure" => "缺少所比较指标的数值",
    "A growth in step with another metric (`growth >= growth of metric X`, 与经济增长同步) needs X's figure for the period and for the same period a year earlier (or X's `baseline`), to compute X's growth; the finding names the period missing and who reports X. Without them the verdict is missing, never met.";
    "plancheck::check::outside-period" => "期间不在计划期内",
    "The figure's period lies outside the plan's period and no relative target uses it as last year's value, so it is not checked.";
    "plancheck::check::after-as-of" => "期间晚于检查日期",
    "The figure's period ends after the --as-of date, so it is not checked in this run.";
    "plancheck::check::duplicate-figure" => "重复报送",
    "The same figure was reported twice with the same value; harmless, but one of them is redundant.";
    "plancheck::check::unknown-metric" => "未知指标",
    "No rule of the plan uses this metric, so the figure is checked against nothing; usually a typo in its name.";
    "plancheck::check::not-responsible" => "非牵头单位报送",
    "The reporter is not a lead unit of the task (nor named with `by`); the figure is still checked. A figure from outside the plan (`track NAME by 市统计局`) from anyone but the office named is not used, so a department cannot set its own benchmark.";
    "plancheck::check::overflow" => "数值超出精确计算范围",
    "A verdict rests on an amount computed from the figure (a summed total, a growth, a change, the pro-rata line and its tolerance band) that does not fit in an exact decimal of 28 significant digits. Rounding it could turn the verdict, so the figure is `invalid`, with the amount that overflowed named.";
    "plancheck::check::baseline-differs" => "上年数值与计划 baseline 不一致",
    "The plan's `baseline` is the figure the target was set against, so it is what growth and change are measured from. Last year's submission for the same period says something else; both are shown so someone can correct the plan or the submission.";
    "plancheck::check::falling-year-to-date" => "累计数值下降",
    "A cumulative (year-to-date) figure is lower than the figure of an earlier period of the same year, such as 1000 by March and 950 by April. That is a data error or a correction; both figures are shown.";
    "plancheck::coverage::uncovered" => "原文目标没有规则引用",
    "A clause of the source that states a figure, a bound, a change or a milestone is cited by no rule's `from` and by no `skip`. Encode it as a rule quoting the clause, or declare `skip \"…\" because \"…\"` with the reason it is not checked.";
    "plancheck::coverage::uncited-rule" => "规则没有引用原文",
    "Every rule should cite the sentence of the source it encodes (`from \"…\"`), so a reader can trace each target to the plan and `plancheck coverage` can tell which sentences are encoded.";
    "plancheck::coverage::no-source" => "计划没有写明原文",
    "Coverage compares the rules with the plan's text; name it in the plan header with `source \"…\"`.";
    "plancheck::lint::quote-number" => "规则的数值不在所引原文中",
    "Every number of a target must occur in its `from` sentence, up to scale (1.2万人 is 12000 人, 千亿级 is 1000 亿元). A number the sentence does not state is a typo, or a target the plan does not set.";
    "plancheck::lint::quote-unit" => "规则的单位与所引原文不一致",
    "The unit of a target must be the one its sentence writes after the number (200家 is `200 家`, not `200 个`), up to scale words (150亿元 is `150 亿元` or `1500000 万元`): units of different dimensions never convert, so a wrong unit makes every figure invalid.";
    "plancheck::lint::quote-operator" => "比较符与原文措辞不一致",
    "The operator must say what the words around the number say: 以上, 不少于, 不低于, 达到 are `>=`; 超过, 突破, 高于 are `>`; 以内, 不超过, 控制在 are `<=`; 左右 is `~=`; 清零 and 不发生 are `== 0`; a-b is `in`.";
    "plancheck::lint::quote-strength" => "强度与原文不一致",
    "A strive word (力争, 争取, 争创, 申创, 奋力, 力促) makes a miss a warning; a must word (确保, 必须, 严格, 坚决) an error. The last such word before the clause in the same sentence of the source governs it, even when the quote starts after it.";
    "plancheck::lint::increment" => "原文是增量，规则检查总量",
    "An increment word (新增, 新培育, 新引进) governing the clause, even from earlier in the sentence, makes the figure the year's increment; the metric's name must say so (新培育…) or the rule state `kind cumulative`, else a stock is checked against an increment.";
    "plancheck::lint::done-without-completion" => "里程碑的原文没有年内完成的事项",
    "A `done` rule is met when reported done, so its sentence must set something finished within the year (完成, 建成, 投产, 出台, 获批, 实现, 创建…). Progress (推进, 加快, 推动, 早投产, 见效) has no point at which it is done: skip such a sentence.";
    "plancheck::lint::done-rank" => "名次并入了里程碑",
    "A rank in a milestone's sentence (全市第一, 前三名) can be checked as a figure; merged into a `done` it never is. State it as its own rank rule (`位次 rank <= 1`, `rank improves`).";
    "plancheck::lint::duplicate-rule" => "同一目标写了两次",
    "Two rules on one metric with the same target and deadline count one miss twice. Remove one.";
    "plancheck::lint::contradiction" => "同一指标的目标互相矛盾",
    "Two rules on one metric and deadline whose targets no figure can meet together (>= 10 and < 5); at least one misreads the plan.";
    "plancheck::lint::point-range" => "区间上下限相同",
    "`in 5..5` allows one value: write `== 5`, or check the ends against the sentence's a-b. (A range whose low end is above its high end is a parse error, plancheck::plan::empty-range.)";
    "plancheck::lint::idle-lead" => "牵头单位不报送任何指标",
    "A lead unit of a task with targets is responsible for no rule of the plan (every rule names other units with `by`), so its template is empty and it is never asked for a figure.";
    "plancheck::lint::skip-has-target" => "略过的原文含有完成事项或数值",
    "A `skip` of a sentence that holds a completion (完成, 建成, 投产…) or a number may drop a checkable target. Encode it, or say in `because` why that completion or number is not a target (the reason must name it).";
    "plancheck::lint::lead-and-co" => "单位既牵头又是责任单位",
    "A unit is either a task's lead (`lead`) or a co-responsible unit (`co`); named in both, one list was most likely copied from the wrong column of the document, and reports would show it twice.";
    "plancheck::lint::kind-assumed" => "指标类型只是默认的水平",
    "A rule without `kind` whose name holds no flow or stock word is judged as a level, so mid-year it must already meet the whole year's target; when its cited sentence reads as a flow (投资, 收入, 产量, 引进…) that default is probably wrong and a false `unmet` follows. Stating `kind` settles it.";
    "plancheck::lint::kind" => "指标类型与措辞不符",
    "A rate of completion against the annual plan (完成率) and an increment (新增…) grow through the year: they are cumulative. Checked as a level, an on-track figure in mid-year is an error.";
    "plancheck::lint::approx-direction" => "“左右”的方向未写明",
    "`~=` lets a figure stray either way, so an expected growth of 5%左右 reached at 6.1% would be unmet. 左右 on a growth or on a figure to reach (增长, 提高, 达到) is usually a floor with slack (`~>=`); on a ceiling (控制在…左右) a cap with slack (`~<=`). The lint asks for the direction where the wording gives one, or where a growth leaves it open.";
    "plancheck::lint::mirror-rule" => "只为被引用而设的确保目标",
    "A must-rule whose only purpose is to be named by another rule's `metric NAME` (it cites that rule's sentence, or turns its comparison around) sets a target the plan does not set and counts one miss twice. Declare the metric with `track NAME` instead.";
    "plancheck::test::failed" => "规则测试未通过",
    "A rule got another verdict or severity than its test in a `.plantest` file expects. Either the rule was changed by mistake, or the test is wrong: `plancheck test` shows the expectation and the rule.";
    "plancheck::test::syntax" => "测试文件语法错误",
    "A line of a `.plantest` file does not fit the format: `test \"名称\" {`, then `as_of`, `file`, `data` with indented `指标: 数值` lines, and `expect 指标 结论 [error|warning]`, then `}`.";
    "plancheck::test::data" => "测试数据无法读取",
    "A test's `file` does not exist, or its data (a file or the inline `data` figures) does not load as a submission; the test is not run, since every expectation would fail for the wrong reason.";
    "plancheck::test::unknown-metric" => "测试预期的指标没有规则",
    "An `expect` names a metric no rule of the plan checks: a typo, or a rule that was removed.";
    "plancheck::test::io" => "无法读取测试文件",
    "A `.plantest` file could not be read.";
    "plancheck::plan::blank" => "名称或理由为空",
    "A metric name, or the reason of an `allow` clause, is empty or shows nothing: only spaces, zero-width characters or bidi controls. Such a metric could never be reported by name, and such a reason explains nothing.";
    "plancheck::plan::due-before-period" => "截止日期早于计划期",
    "A `due` date before the plan period starts cannot be met by any figure of the plan, and is most likely a typo (1999 for 2023). The rules are broken until it is fixed (exit 2).";
    "plancheck::plan::due-after-period" => "截止日期晚于计划期",
    "A `due` date after the plan period ends is allowed (a target may run past the plan's year) but is worth a look: within this plan the target is judged only against its pro-rata line, never as overdue. A warning.";
    "plancheck::check::unknown-reporter" => "报送单位不在计划中",
    "The reporter of a submission leads no task and reports no rule (`by`) of the plan: perhaps a typo, a unit's old name, or blank. Its figures are not checked, so they cannot meet any target, and the run exits with 2 because the data does not fit the plan. The help names the closest lead unit.";
    "plancheck::plans::duplicate-id" => "计划标识重复",
    "When several plans are checked in one run, submissions are routed to a plan by its id (its header's `id`, else its folder's name), so ids must be unique.";
    "plancheck::plans::unknown-plan" => "分解到的计划不存在",
    "An `allocate` clause names a plan that is not among the plans of the rules folder.";
    "plancheck::plans::allocation-unruled" => "分解到的计划没有这条规则",
    "A county is judged on its allocation by its own rule for the metric, which names who reports it; the county's plan has none.";
    "plancheck::plans::allocation-mismatch" => "县区目标与分解数不符",
    "A county's own target for an allocated metric must be the allocation in the parent plan, or the two plans would judge it differently.";
    "plancheck::plans::unrouted" => "填报文件不属于任何计划",
    "With several plans, each data file sits in a folder named after its plan's id (data/兖州区/…); a file under none cannot be checked.";
    "plancheck::plans::ambiguous" => "填报文件属于多个计划",
    "A data file's path names two plans' folders, so which plan it reports for is unclear.";
    "plancheck::waiver::invalid" => "情况说明文件无效",
    "A waiver file must name rule, period, reporter, reason, office and expires (see `plancheck schema waiver`); one that cannot be read waives nothing.";
    "plancheck::waiver::expired" => "情况说明已过期",
    "A waiver stands until its expiry date; after it the result fails again until the approving office renews it.";
    "plancheck::waiver::refused" => "情况说明不予采纳",
    "Only behind, unmet and overdue results can be explained; a figure that was not reported or cannot be read must be reported or corrected.";
    "plancheck::waiver::unused" => "情况说明未使用",
    "No failing result matches the waiver: its rule, period or reporter may be misspelt, or the figure has caught up.";
    "plancheck::cli::no-data" => "没有填报文件",
    "No data file was given or found; there is nothing to check.";
    "plancheck::internal" => "内部错误",
    "plancheck failed on this input (a bug, not the submitter's fault): a panic while reading a file, checking or writing a report is caught and reported with what plancheck was doing and where, and the run exits with 2 instead of crashing with nothing written. Please report it with the command, the message and the file that caused it.";
    "plancheck::load::gbk" => "CSV 按 GBK/GB18030 编码读取",
    "A CSV file is not UTF-8 but decodes as GB18030 (a superset of GBK) without a malformed byte, as the Chinese editions of Excel save CSV by default. It is read, and this warning says so, so that a wrong guess (mojibake in names) is visible; saving as \"CSV UTF-8\" removes it.";
    "plancheck::load::extra-column" => "多余的列不读取",
    "A table (CSV or workbook) has a column clerks add to a form, such as 填报人, 联系人, 联系电话, 审核人, 填报日期 or 序号. plancheck reads past it and says so in this warning, so nobody wonders where its contents went; any other unknown column is an error, since it may be a misspelt value column.";
    "plancheck::load::title-row" => "表头上方的行不读取",
    "A workbook's header stands below a title or note (a merged 2023年…完成情况表 row, 填报单位（盖章）…). plancheck finds the header (the first row that names its columns, within the first ten rows with text), reads past the rows above it and says so in this warning.";
    "plancheck::load::merged-header" => "表头的合并单元格",
    "A merged cell of a workbook's header spans columns. A group title (完成情况 over 数值 and 计量单位) is no column name: the names are read from the row below it. A name merged over several columns names the first of them, and the others are not read; this warning names them.";
    "plancheck::report::truncated" => "结果过多，部分未列出",
    "GitHub code scanning accepts at most 25,000 results per SARIF run and GitHub keeps at most 1 MiB of a job summary. The SARIF report keeps the most severe results (broken input, then errors, then warnings) and ends with this note saying how many were left out; the Markdown summary cuts its details the same way. The JSON report always lists everything.";
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
