//! Reading one target-like clause into a rule: strength, metric name, operator, value, unit
//! and kind, each from the wording, with a note wherever the wording left a choice.

use crate::coverage::has_quantity;

/// What a clause becomes in the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drafted {
    /// A rule: `力争 新增高新技术企业 >= 20 家`, with its clauses.
    Rule {
        strength: Option<&'static str>,
        metric: String,
        /// `>= 20 家`, `growth >= 8%`, `in 1..2 个`, `~= 5%`, `change >= 2 百分点`.
        target: String,
        kind: Option<&'static str>,
        /// `toward 2025`: the end year of a multi-year target (到2025年…).
        toward: Option<i16>,
        /// Guesses a reviewer should confirm.
        checks: Vec<String>,
    },
    /// `done 镇卫生院改扩建工程`.
    Done {
        strength: Option<&'static str>,
        metric: String,
        checks: Vec<String>,
    },
    /// Target-like but not checkable as written: a `skip` with this reason.
    Skip { reason: String },
}

/// Words that make a target a strive target when they govern the clause.
const STRIVE: &[&str] = &["力争", "争取", "争创", "申创", "奋力", "力促", "努力"];

/// Words in front of a figure that set `>=`, `>` or `<=`, longest first.
const BEFORE: &[(&str, &str)] = &[
    ("不低于", ">="),
    ("不少于", ">="),
    ("稳定在", ">="),
    ("保持在", ">="),
    ("达到", ">="),
    ("突破", ">"),
    ("超过", ">"),
    ("再超", ">"),
    ("高于", ">"),
    ("控制在", "<="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("低于", "<"),
];

/// Words after a figure that set the operator.
const AFTER: &[(&str, &str)] = &[
    ("以上", ">="),
    ("及以上", ">="),
    ("左右", "~="),
    ("以内", "<="),
    ("以下", "<="),
];

/// Filler at the start of a clause that belongs to no metric name.
const FILLER: &[&str] = &[
    "确保", "力争", "争取", "争创", "奋力", "力促", "努力", "全年", "年内", "今年", "全区", "全县",
    "全市", "全镇", "推动", "推进", "实现", "其中", "加快", "积极", "持续", "完成", "累计", "达到",
    "保持",
];

/// Words of a name or sentence that make a metric a flow, counted from the start of the year.
const FLOWS: &[&str] = &[
    "新增",
    "新建",
    "新引进",
    "引进",
    "招引",
    "新培育",
    "培育",
    "完成",
    "投资",
    "收入",
    "营收",
    "产量",
    "销售",
    "出口",
    "进口",
    "接待",
    "实施",
    "改造",
    "开展",
    "举办",
    "放映",
    "发放",
    "落地",
    "签约",
    "培训",
    "建成",
    "创建",
    "认定",
    "总额",
    "增加值",
    "产值",
    "利用外资",
];

/// Words of a level: rates, shares, stocks.
const LEVELS: &[&str] = &[
    "率",
    "比重",
    "占比",
    "比例",
    "水平",
    "指数",
    "密度",
    "覆盖",
    "保有量",
    "总数",
];

/// Completion words that make a clause without a figure a milestone.
const COMPLETIONS: &[&str] = &[
    "建成",
    "投产达效",
    "投产",
    "落户",
    "通航",
    "通车",
    "竣工",
    "投用",
    "挂牌",
    "获批",
    "完成",
];

/// Drafts `clause`; `before` is the text of its sentence before it, for strength words that
/// govern several clauses (`力争…，…`).
pub fn draft(clause: &str, before: &str) -> Drafted {
    let strength = strength_of(clause, before);
    let Some(figure) = figure(clause) else {
        return without_figure(clause, strength);
    };
    if ["平均", "同步"].iter().any(|w| clause.contains(w)) {
        return Drafted::Skip {
            reason: "与其他指标或外部数值比较：请改写为 metric 比较".to_owned(),
        };
    }
    let head = clause.get(..figure.start).unwrap_or("");
    let tail = clause.get(figure.end_unit..).unwrap_or("");
    let mut checks = Vec::new();
    let after_op = AFTER
        .iter()
        .find(|(w, _)| tail.starts_with(w))
        .map(|&(_, op)| op);
    let before_op = BEFORE
        .iter()
        .find(|(w, _)| head.ends_with(w) || head.contains(w))
        .map(|&(w, op)| (w, op));
    let growth = ["增长", "增速", "增幅"]
        .iter()
        .any(|w| head.trim_end_matches(['了']).ends_with(w) || head.ends_with(&format!("{w}率")));
    let falling = head.ends_with("下降") || head.ends_with("减少") || head.ends_with("降低");
    let points = figure.unit == "百分点";
    let rising = ["提高", "提升", "增加"].iter().any(|w| head.ends_with(w));
    // 标准提高5%: a rise in per cent is growth; 提高到5% is a level.
    let growth = growth || (rising && figure.unit == "%");
    let guessed = after_op.is_none() && before_op.is_none();
    let mut op = after_op.or(before_op.map(|(_, op)| op)).unwrap_or(">=");
    if before_op.is_some_and(|(w, _)| w == "控制在") && after_op.is_none() {
        op = "<=";
    }
    if figure.approximate {
        checks.push("“余/多”表示略多于此数，按“不少于”起草".to_owned());
    }
    // Nothing exceeds all of a share: 100% asked for is exactly 100%.
    if figure.number == "100" && figure.unit == "%" && op == ">=" {
        op = "==";
    }
    let value = match &figure.high {
        Some(high) => format!("in {}..{} {}", figure.number, high, figure.unit),
        None => format!("{op} {}{}", figure.number, spaced(&figure.unit)),
    };
    let name_end = [
        "增长率",
        "增速",
        "增幅",
        "增长",
        "下降",
        "减少",
        "降低",
        "提高",
        "提升",
        "增加",
    ]
    .iter()
    .chain(BEFORE.iter().map(|(w, _)| w))
    .find_map(|w| head.trim_end_matches(['了']).strip_suffix(w))
    .unwrap_or(head);
    let mut metric = name(name_end);
    if metric.chars().count() < 2 {
        // `推动150家企业数字化改造`: the name follows the figure.
        let rest = tail.trim_start_matches(|c: char| AFTER.iter().any(|(w, _)| w.starts_with(c)));
        metric = name(&format!("{}{rest}", name_end));
    }
    if metric.is_empty() {
        return Drafted::Skip {
            reason: "找不到指标名称".to_owned(),
        };
    }
    let target = if growth || (falling && !points) {
        if figure.unit != "%" {
            return Drafted::Skip {
                reason: format!("增长以{}表示：请改写为 change", figure.unit),
            };
        }
        if op == "~=" {
            return Drafted::Skip {
                reason: "增长…左右：请写成 growth in 区间或 growth >=，并说明容差".to_owned(),
            };
        }
        match (&figure.high, falling) {
            (Some(high), false) => format!("growth in {}..{} %", figure.number, high),
            (None, false) => format!("growth {op} {}%", figure.number),
            (_, true) => format!("growth <= -{}%", figure.number),
        }
    } else if points && (rising || falling || growth) {
        let sign = if falling { "-" } else { "" };
        let (op, number) = if falling {
            ("<=", &figure.number)
        } else {
            (op, &figure.number)
        };
        match &figure.high {
            Some(high) if !falling => format!("change in {number}..{high} 百分点"),
            _ => format!("change {op} {sign}{number} 百分点"),
        }
    } else if points {
        return Drafted::Skip {
            reason: "百分点没有比较对象：请写明与上年比较（change）".to_owned(),
        };
    } else {
        value
    };
    let relative = target.starts_with("growth") || target.starts_with("change");
    if guessed && !relative && figure.high.is_none() {
        checks.push("原文没有比较词，按“不少于”起草".to_owned());
    }
    let kind = (!relative).then(|| kind_of(&metric, &figure.unit, clause));
    if let Some("cumulative") = kind {
        checks.push("按累计值（年初至今）判断：原文是流量（新增、完成、投资、收入…）".to_owned());
    }
    Drafted::Rule {
        strength,
        metric,
        target,
        kind,
        toward: None,
        checks,
    }
}

/// The year of a `到2025年` (or `至2025年`) in the clause, else the last one earlier in its
/// sentence unless the clause names a year of its own (`2023年新增…`): the end year of a
/// multi-year target.
fn end_year(clause: &str, before: &str) -> Option<i16> {
    let names_a_year = clause.char_indices().any(|(i, _)| {
        clause
            .get(i..)
            .and_then(|rest| Some((rest.get(..4)?, rest.get(4..)?)))
            .is_some_and(|(digits, rest)| {
                digits.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with('年')
            })
    });
    let last = |text: &str| {
        ["到", "至"]
            .iter()
            .flat_map(|w| text.match_indices(w))
            .filter_map(|(i, w)| {
                let rest = text.get(i + w.len()..)?;
                let digits = rest.get(..4)?;
                let year = digits
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| digits.parse::<i16>().ok())??;
                rest.get(4..)?.starts_with('年').then_some((i, year))
            })
            .max_by_key(|(i, _)| *i)
            .map(|(_, year)| year)
    };
    match last(clause) {
        Some(year) => Some(year),
        None if names_a_year => None,
        None => last(before),
    }
}

/// A rule drafted from a clause that sets a target for a year after the plan's (到2025年…,
/// in a 2023 plan): `toward 2025`, which judges this year against the path to it. Only a
/// bound can have a path; a growth or change is left as it is.
pub fn toward(drafted: Drafted, clause: &str, before: &str, plan_year: Option<i16>) -> Drafted {
    let Drafted::Rule {
        strength,
        metric,
        target,
        kind,
        toward: None,
        mut checks,
    } = drafted
    else {
        return drafted;
    };
    let bound = [">= ", "> ", "<= ", "< "]
        .iter()
        .any(|op| target.starts_with(op));
    let end = end_year(clause, before).filter(|end| plan_year.is_some_and(|y| *end > y));
    let (metric, toward) = match end {
        Some(end) if bound => {
            checks.push(format!(
                "到{end}年的目标：今年按从上年数值到目标的直线判断；原文写明基数时加 baseline 数值 in 年份"
            ));
            let prefix = format!("到{end}年");
            let metric = metric
                .strip_prefix(&prefix)
                .filter(|m| m.chars().count() >= 2)
                .map_or(metric.clone(), str::to_owned);
            (metric, Some(end))
        }
        _ => (metric, None),
    };
    Drafted::Rule {
        strength,
        metric,
        target,
        kind,
        toward,
        checks,
    }
}

/// A unit written after its number with a space, `%` glued: `>= 5 家`, `>= 91%`.
fn spaced(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "%" => "%".to_owned(),
        other => format!(" {other}"),
    }
}

/// `力争` when a strive word governs the clause, from the clause or earlier in its sentence.
fn strength_of(clause: &str, before: &str) -> Option<&'static str> {
    let strive = |t: &str| STRIVE.iter().any(|w| t.contains(w));
    let must = |t: &str| t.contains("确保");
    if strive(clause) {
        return Some("力争");
    }
    if must(clause) {
        return None;
    }
    // 争创 and 申创 are verbs of their own clause (`争创…实验室，培育1家…`); 力争 and the
    // like govern the rest of the sentence.
    let governs = |t: &str| {
        STRIVE
            .iter()
            .filter(|w| !matches!(**w, "争创" | "申创"))
            .any(|w| t.contains(w))
    };
    (governs(before) && !must(before)).then_some("力争")
}

/// The kind a metric is judged as: a flow is cumulative (year-to-date), a rate, share or
/// stock is a level. Read from the whole name, the unit and the sentence.
pub fn kind_of(metric: &str, unit: &str, clause: &str) -> &'static str {
    if unit == "%" || unit == "‰" || LEVELS.iter().any(|w| metric.contains(w)) {
        return "level";
    }
    if FLOWS
        .iter()
        .any(|w| metric.contains(w) || clause.contains(w))
    {
        return "cumulative";
    }
    "level"
}

/// A clause without a figure: a milestone, or a skip saying what is missing.
fn without_figure(clause: &str, strength: Option<&'static str>) -> Drafted {
    if ["第一", "前三", "前列", "位次", "排名", "首位"]
        .iter()
        .any(|w| clause.contains(w))
    {
        return Drafted::Skip {
            reason: "排名：请核对名次后改写为规则".to_owned(),
        };
    }
    if ["高于", "低于", "同步", "平均"]
        .iter()
        .any(|w| clause.contains(w))
    {
        return Drafted::Skip {
            reason: "与其他指标或外部数值比较：请改写为 metric 比较".to_owned(),
        };
    }
    if COMPLETIONS.iter().any(|w| clause.contains(w)) && !has_quantity(clause) {
        let metric = name(clause);
        if !metric.is_empty() {
            return Drafted::Done {
                strength,
                metric: strip_filler_keep_completion(clause),
                checks: vec!["里程碑：以上报“已完成”为准".to_owned()],
            };
        }
    }
    Drafted::Skip {
        reason: "没有可核对的数字或完成节点".to_owned(),
    }
}

/// A milestone's name: the clause without strength words in front, completion kept.
fn strip_filler_keep_completion(clause: &str) -> String {
    let mut rest = clause.trim();
    loop {
        let before = rest;
        for word in [
            "确保", "力争", "争取", "力促", "奋力", "努力", "年内", "全年", "推动",
        ] {
            rest = rest.strip_prefix(word).unwrap_or(rest).trim_start();
        }
        if rest == before {
            break;
        }
    }
    clean_name(rest)
}

/// A metric name from the words before (or around) a figure: filler in front removed,
/// characters the plan language reserves replaced.
fn name(text: &str) -> String {
    let mut rest = text.trim();
    loop {
        let before = rest;
        for word in FILLER {
            // Keep 完成 and 累计 when they are the whole verb of the name (`完成投资`).
            if matches!(*word, "完成" | "累计") {
                continue;
            }
            rest = rest.strip_prefix(word).unwrap_or(rest).trim_start();
        }
        if rest == before {
            break;
        }
    }
    clean_name(rest)
}

fn clean_name(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '"' => '“',
            '#' => '＃',
            '<' | '>' | '=' | '~' | '≥' | '≤' | '＞' | '＜' | '＝' | '～' | '≈' => '_',
            c => c,
        })
        .collect::<String>()
        .trim_matches(['，', '、', '：', '；', '。'])
        .to_owned()
}

/// The first figure of a clause with a registered unit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Figure {
    start: usize,
    /// Just after the unit.
    end_unit: usize,
    number: String,
    high: Option<String>,
    unit: String,
    /// `3550余场`.
    approximate: bool,
}

fn figure(clause: &str) -> Option<Figure> {
    let bytes: Vec<(usize, char)> = clause.char_indices().collect();
    let mut i = 0;
    let mut depth = 0usize;
    while let Some(&(start, c)) = bytes.get(i) {
        match c {
            '“' | '《' => depth += 1,
            '”' | '》' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let glued = i
            .checked_sub(1)
            .and_then(|p| bytes.get(p))
            .is_some_and(|&(_, p)| p.is_ascii_alphabetic() || p == '.');
        if !c.is_ascii_digit() || depth > 0 || glued {
            i += 1;
            continue;
        }
        let number_at = |from: usize| -> (String, usize) {
            let mut j = from;
            let mut text = String::new();
            while let Some(&(_, d)) = bytes.get(j) {
                let next_digit = bytes.get(j + 1).is_some_and(|(_, n)| n.is_ascii_digit());
                if d.is_ascii_digit() || (d == '.' && next_digit) {
                    text.push(d);
                } else if d == ',' && next_digit {
                } else {
                    break;
                }
                j += 1;
            }
            (text, j)
        };
        let (number, mut j) = number_at(i);
        let mut high = None;
        if bytes
            .get(j)
            .is_some_and(|(_, d)| matches!(d, '-' | '–' | '—' | '~' | '～' | '至' | '到'))
            && bytes.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit())
        {
            let (h, k) = number_at(j + 1);
            high = Some(h);
            j = k;
        }
        while bytes.get(j).is_some_and(|(_, d)| *d == ' ') {
            j += 1;
        }
        let mut approximate = false;
        if bytes.get(j).is_some_and(|(_, d)| matches!(d, '余' | '多')) {
            approximate = true;
            j += 1;
        }
        let at = bytes.get(j).map_or(clause.len(), |(a, _)| *a);
        let rest = clause.get(at..).unwrap_or("");
        let rest_unit = rest
            .strip_prefix('个')
            .filter(|r| r.starts_with("百分点"))
            .unwrap_or(rest);
        let skipped = rest.len() - rest_unit.len();
        if let Some((unit, written)) = unit_prefix(rest_unit) {
            return Some(Figure {
                start,
                end_unit: at + skipped + written,
                number,
                high,
                unit,
                approximate,
            });
        }
        i = j.max(i + 1);
    }
    None
}

/// The longest registered unit `text` starts with, and the bytes it takes there (`％` is
/// written `%`).
fn unit_prefix(text: &str) -> Option<(String, usize)> {
    if text.starts_with('％') {
        return Some(("%".to_owned(), '％'.len_utf8()));
    }
    crate::units::all_names()
        .into_iter()
        .filter(|u| text.starts_with(u))
        .max_by_key(|u| u.len())
        .map(|u| (u.to_owned(), u.len()))
}

/// Verbs that name a deliverable: the clause is done or not by the deadline.
const DELIVERABLES: &[&str] = &[
    "建立", "出台", "制定", "编制", "实行", "建设", "创建", "开设", "搭建", "启动", "组织", "举办",
    "引进", "完成", "建成", "实现", "争创", "创成", "开展", "参加", "共建", "增设", "申报", "设立",
    "成立", "印发", "发布", "实施", "承办",
];

/// Verbs of work in progress: a clause whose first verb is one of these delivers nothing
/// checkable by itself.
const PROGRESS: &[&str] = &[
    "推进", "加快", "加强", "深化", "提升", "持续", "支持", "鼓励", "引导", "优化", "完善", "强化",
    "抓好", "推广", "探索", "谋划", "做好", "落实", "发挥", "聚焦", "围绕", "坚持",
];

/// A clause with no figure that names a deliverable (`建立…机制`, `出台…政策措施`) or a strict
/// obligation (`严格执行…`, `坚决守住…`): a milestone to confirm. Work in progress
/// (`推进`, `加快`, `加强`…) is none.
pub fn deliverable(clause: &str, before: &str) -> Option<Drafted> {
    let mut rest = clause.trim();
    let strict = ["严格", "坚决"].iter().any(|w| rest.starts_with(w));
    loop {
        let start = rest;
        for word in [
            "确保", "力争", "争取", "全力", "积极", "年内", "全年", "推动", "严格", "坚决", "奋力",
            "努力",
        ] {
            rest = rest.strip_prefix(word).unwrap_or(rest).trim_start();
        }
        if rest == start {
            break;
        }
    }
    // The first verb decides: `对…开展水闸除险加固` delivers, `加快…建设` does not.
    let first = |words: &[&str]| words.iter().filter_map(|w| rest.find(w)).min();
    let delivers = match (first(DELIVERABLES), first(PROGRESS)) {
        (Some(d), Some(p)) => d < p,
        (Some(_), None) => true,
        _ => false,
    };
    if !(delivers || strict) || has_quantity(clause) {
        return None;
    }
    let strength = strength_of(clause, before).or_else(|| {
        ["争创", "创成"]
            .iter()
            .any(|w| rest.starts_with(w))
            .then_some("力争")
    });
    Some(Drafted::Done {
        strength,
        metric: strip_filler_keep_completion(clause),
        checks: vec!["没有数字的交付事项，按里程碑起草：确认它可以核对".to_owned()],
    })
}
