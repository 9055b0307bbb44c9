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
        /// A metric the target refers to (`metric NAME`), to declare with `track` unless a
        /// rule of the draft checks it, and who reports it (`by`), if the wording says.
        track: Option<(String, Option<String>)>,
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
    if let Some(drafted) = in_step(clause, strength).or_else(|| outside(clause, strength)) {
        return drafted;
    }
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
            // An expected growth of 5%左右 is met above it, and below it by the slack; a fall
            // of 5%左右 the other way round.
            let (side, sign, how) = if falling {
                ("~<=", "-", "上限（降幅更大也算达标）")
            } else {
                ("~>=", "", "下限（增长更快也算达标）")
            };
            checks.push(format!(
                "“左右”按{how}起草，容差 0.5 个百分点为推定，请按原文口径核对"
            ));
            format!("growth {side} {sign}{}% within 0.5 百分点", figure.number)
        } else {
            match (&figure.high, falling) {
                (Some(high), false) => format!("growth in {}..{} %", figure.number, high),
                (None, false) => format!("growth {op} {}%", figure.number),
                (_, true) => format!("growth <= -{}%", figure.number),
            }
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
    } else if op == "~=" {
        approx_value(&figure, head, &mut checks).unwrap_or(value)
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
        track: None,
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
        track,
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
        track,
    }
}

/// `控制在3%左右` is a cap with slack, `达到95%左右` a floor with slack; a figure in per cent
/// strays by percentage points. `None` leaves `~=` (either way, by the plan's `approx`).
fn approx_value(figure: &Figure, head: &str, checks: &mut Vec<String>) -> Option<String> {
    let cap = ["控制在", "不超过", "不高于"]
        .iter()
        .any(|w| head.contains(w));
    let floor = ["达到", "增加", "提高到", "提升到", "稳定在", "保持在"]
        .iter()
        .any(|w| head.contains(w));
    let side = match (cap, floor) {
        (true, _) => "~<=",
        (false, true) => "~>=",
        _ if figure.unit == "%" => "~=",
        _ => return None,
    };
    let within = if figure.unit == "%" {
        checks.push("容差 0.5 个百分点为推定，请按原文口径核对".to_owned());
        " within 0.5 百分点"
    } else {
        ""
    };
    if side != "~=" {
        checks.push(format!(
            "“左右”按{}起草",
            if side == "~<=" {
                "上限（低于也算达标）"
            } else {
                "下限（超过也算达标）"
            }
        ));
    }
    Some(format!(
        "{side} {}{}{within}",
        figure.number,
        spaced(&figure.unit)
    ))
}

/// Words of a growth at the end of a name: 居民人均可支配收入增长 is a growth of 居民人均可支配收入.
const GROWTH_WORDS: &[&str] = &["增长", "增速", "增幅"];

/// `居民人均可支配收入增长与经济增长同步` (同步: not below; 基本同步: within a band): a growth
/// against another metric's growth. 经济增长 is the growth of 地区生产总值.
fn in_step(clause: &str, strength: Option<&'static str>) -> Option<Drafted> {
    let at = clause.find("同步")?;
    let with = clause.get(..at)?.rfind('与')?;
    let own = clause.get(..with)?;
    let own = GROWTH_WORDS
        .iter()
        .find_map(|w| own.strip_suffix(w))
        .unwrap_or(own);
    let metric = name(own);
    let between = clause.get(with + '与'.len_utf8()..at)?;
    let basic = between.ends_with("基本");
    let peer = between.trim_end_matches("基本");
    let peer = GROWTH_WORDS
        .iter()
        .find_map(|w| peer.strip_suffix(w))
        .unwrap_or(peer);
    let peer = match clean_name(peer).as_str() {
        "经济" | "全区经济" | "全市经济" | "全县经济" | "经济发展" => {
            "地区生产总值".to_owned()
        }
        other => other.to_owned(),
    };
    if metric.chars().count() < 2 || peer.chars().count() < 2 {
        return None;
    }
    let (target, check) = if basic {
        (
            format!(
                "growth ~>= growth of metric {} within 1 百分点",
                crate::fmt::string_literal(&peer)
            ),
            format!("“基本同步”按不低于“{peer}”的增长 1 个百分点以内起草，容差为推定，请核对"),
        )
    } else {
        (
            format!(
                "growth >= growth of metric {}",
                crate::fmt::string_literal(&peer)
            ),
            format!("“同步”按不低于“{peer}”的增长起草；两项指标都须有上年同期数值"),
        )
    };
    Some(Drafted::Rule {
        strength,
        metric,
        target,
        kind: None,
        toward: None,
        checks: vec![check],
        track: Some((peer, None)),
    })
}

/// Comparison words before a figure from outside the plan, and the operator each sets.
const AGAINST: &[(&str, &str)] = &[
    ("不低于", ">="),
    ("不少于", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("高于", ">"),
    ("超过", ">"),
    ("低于", "<"),
    ("达到", ">="),
];

/// `不低于全市平均水平`, `高于全省平均`, `低于警戒线`: a figure someone outside the plan
/// reports for the same period. It is named after the metric and the scope, and its reporter
/// is the statistics bureau of that scope.
fn outside(clause: &str, strength: Option<&'static str>) -> Option<Drafted> {
    if !["平均", "警戒线"].iter().any(|w| clause.contains(w)) || has_quantity(clause) {
        return None;
    }
    // The first comparison word, and at one place the longest (不低于 before 低于).
    let (at, word, op) = AGAINST
        .iter()
        .filter_map(|(w, op)| clause.find(w).map(|at| (at, *w, *op)))
        .min_by_key(|(at, w, _)| (*at, std::cmp::Reverse(w.len())))?;
    let metric = name(clause.get(..at)?);
    let phrase = clean_name(clause.get(at + word.len()..)?);
    if metric.chars().count() < 2 || phrase.is_empty() {
        return None;
    }
    // 全市平均水平 or 警戒线 alone names no metric: it is this metric's.
    let reference = if phrase.contains(&metric) {
        phrase.clone()
    } else {
        format!("{metric}{phrase}")
    };
    let by = [
        ("全国", "国家统计局"),
        ("全省", "省统计局"),
        ("全市", "市统计局"),
        ("全县", "县统计局"),
    ]
    .iter()
    .find(|(w, _)| phrase.starts_with(w))
    .map(|(_, by)| (*by).to_owned());
    let check = match &by {
        Some(by) => format!("比较值“{reference}”由{by}报送，为推定，请核对报送单位"),
        None => {
            format!("比较值“{reference}”暂由本任务的牵头单位报送，请写明报送单位（track … by …）")
        }
    };
    Some(Drafted::Rule {
        strength,
        metric,
        target: format!("{op} metric {}", crate::fmt::string_literal(&reference)),
        kind: None,
        toward: None,
        checks: vec![check],
        track: Some((reference, by)),
    })
}

/// Chinese numerals of a place: 第一 … 第十.
const PLACES: &[(&str, u32)] = &[
    ("一", 1),
    ("二", 2),
    ("三", 3),
    ("四", 4),
    ("五", 5),
    ("六", 6),
    ("七", 7),
    ("八", 8),
    ("九", 9),
    ("十", 10),
];

/// `全市第一`, `居三区第一`, `前三名`, `位次前移`: a place in a ranking, lower is better.
fn rank(clause: &str, strength: Option<&'static str>) -> Option<Drafted> {
    let numeral = |text: &str| {
        PLACES
            .iter()
            .find(|(w, _)| text.starts_with(w))
            .map(|(w, n)| (w.len(), *n))
    };
    let (at, target, check) = if let Some(at) = ["位次前移", "争先进位", "进位"]
        .iter()
        .find_map(|w| clause.find(w))
    {
        (
            at,
            "rank improves".to_owned(),
            "“位次前移”按名次小于上年起草：须有上年名次（上年报送或 baseline）".to_owned(),
        )
    } else if let Some((at, n)) = clause.match_indices('前').find_map(|(at, _)| {
        // 前三名, 前五位; 前三 alone only for more than one place.
        let rest = clause.get(at + '前'.len_utf8()..)?;
        let (len, n) = numeral(rest)?;
        let counted = rest.get(len..)?.starts_with(['名', '位']);
        (counted || n > 1).then_some((at, n))
    }) {
        (
            at,
            format!("rank <= {n}"),
            format!("“前{n}”按名次不大于 {n} 起草"),
        )
    } else if let Some((at, n)) = clause.match_indices('第').find_map(|(at, _)| {
        let (_, n) = numeral(clause.get(at + '第'.len_utf8()..)?)?;
        Some((at, n))
    }) {
        (
            at,
            format!("rank <= {n}"),
            format!("第{n}名按名次不大于 {n} 起草（名次 1 为第一）"),
        )
    } else {
        return None;
    };
    let head = clause.get(..at)?;
    // The scope of the ranking (全市, 三区) belongs in the name; verbs before it do not.
    let head = ["保持", "实现", "位居", "稳居", "进入", "居于", "争创", "居"]
        .iter()
        .fold(head.to_owned(), |h, w| h.replace(w, ""));
    // Unlike other names, the scope stays: 全市排名 and 全省排名 are different rankings.
    let rest = strip_leading(
        &head,
        &[
            "确保", "力争", "争取", "奋力", "努力", "力促", "推动", "推进", "全力",
        ],
    );
    let mut metric = clean_name(rest)
        .trim_matches(['“', '”', '‘', '’', '《', '》'])
        .to_owned();
    if !["位次", "排名", "名次"].iter().any(|w| metric.ends_with(w)) {
        metric.push_str(if target == "rank improves" {
            "位次"
        } else {
            "排名"
        });
    }
    if metric.chars().count() < 3 {
        return None;
    }
    Some(Drafted::Rule {
        strength,
        metric,
        target,
        kind: None,
        toward: None,
        checks: vec![check],
        track: None,
    })
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
    if let Some(drafted) = rank(clause, strength) {
        return drafted;
    }
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
    clean_name(strip_leading(
        clause,
        &[
            "确保", "力争", "争取", "力促", "奋力", "努力", "年内", "全年", "推动",
        ],
    ))
}

/// A metric name from the words before (or around) a figure: filler in front removed,
/// characters the plan language reserves replaced.
fn name(text: &str) -> String {
    // Keep 完成 and 累计 when they are the whole verb of the name (`完成投资`).
    let filler: Vec<&str> = FILLER
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "完成" | "累计"))
        .collect();
    clean_name(strip_leading(text, &filler))
}

/// `text` without any of `words` in front, however many and in whatever order.
fn strip_leading<'t>(text: &'t str, words: &[&str]) -> &'t str {
    let mut rest = text.trim();
    loop {
        let before = rest;
        for word in words {
            rest = rest.strip_prefix(word).unwrap_or(rest).trim_start();
        }
        if rest == before {
            return rest;
        }
    }
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
    let strict = ["严格", "坚决"]
        .iter()
        .any(|w| clause.trim().starts_with(w));
    let rest = strip_leading(
        clause,
        &[
            "确保", "力争", "争取", "全力", "积极", "年内", "全年", "推动", "严格", "坚决", "奋力",
            "努力",
        ],
    );
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
