//! Property tests: invariants checked on generated input, within a fixed budget of cases so
//! the whole file stays a few seconds in a debug build. The fuzz targets in `fuzz/` search the
//! same ground without a budget; these keep the invariants in every `cargo test`.
//!
//! Not here: parse → print → parse, because plancheck has no plan printer yet.

use plancheck::diagnostic::{Finding, Loc};
use plancheck::eval::{check_with, CheckOptions, Outcome};
use plancheck::load::{load_bytes, load_text, parse_value, FigureValue, Format};
use plancheck::model::Plan;
use plancheck::parse::parse_files;
use plancheck::source::{DataFileId, DataLoc, SourceFile};
use plancheck::units::{all_names, lookup, Quantity, Unit};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use rust_decimal::Decimal;

/// Cases per property: enough to vary every generator, few enough for a fast `cargo test`.
/// The seed is fixed so every run tries the same cases; `PROPTEST_RNG_SEED` and
/// `PROPTEST_CASES` in the environment search further (`PROPTEST_CASES=5000 cargo test
/// properties`).
fn budget(cases: u32) -> Config {
    let default = Config::default();
    let env = |name| std::env::var_os(name).is_some();
    Config {
        cases: if env("PROPTEST_CASES") {
            default.cases
        } else {
            cases
        },
        rng_seed: if env("PROPTEST_RNG_SEED") {
            default.rng_seed
        } else {
            RngSeed::Fixed(20230101)
        },
        // A failure is shrunk and reported by the test itself; nothing is written to disk.
        failure_persistence: None,
        ..default
    }
}

// ---------------------------------------------------------------------------------------------
// No panic on any input.

/// Well-formed submissions of each format, which edits then break in every place.
const SEEDS: &[(Format, &str)] = &[
    (
        Format::Json,
        r#"[{"reporter": "区科技局", "period": "2023-H1", "figures": {"研发投入": {"value": "3.2", "unit": "亿元"}, "高新技术企业": 12}}]"#,
    ),
    (
        Format::Yaml,
        "reporter: 区水务局\nperiod: \"2023\"\nfigures:\n  供水总量: \"1,000万吨\"\n  完成改造: done\n  x: {value: 3, unit: 人}\n",
    ),
    (
        Format::Toml,
        "reporter = \"区商务局\"\nperiod = \"2023-Q3\"\n[figures]\n\"进出口额\" = \"3.2亿元\"\n\"完成\" = true\n",
    ),
    (
        Format::Csv,
        "reporter,period,metric,value,unit\n区科技局,2023,研发投入,\"3,2\",亿元\n区科技局,2023-06,完成,done,\n",
    ),
];

/// Text made from `seed` by up to eight edits: a character inserted, removed or replaced.
fn edited(seed: &'static str) -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), 0..3u8, edit_char());
    prop::collection::vec(edit, 0..8).prop_map(move |edits| {
        let mut chars: Vec<char> = seed.chars().collect();
        for (at, op, c) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 => chars.insert(i, c),
                1 if i < chars.len() => {
                    chars.remove(i);
                }
                _ if i < chars.len() => chars[i] = c,
                _ => chars.push(c),
            }
        }
        chars.into_iter().collect()
    })
}

/// Characters that matter to the formats and the value reader, and any other.
fn edit_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(
            "{}[]\":,'\n\r\t #=-.&*!|>%0123456789eE万亿元人．，\u{feff}\u{0}"
                .chars()
                .collect::<Vec<_>>()
        ),
        any::<char>(),
    ]
}

fn seed_and_edit() -> impl Strategy<Value = (Format, String)> {
    prop::sample::select(SEEDS).prop_flat_map(|(format, seed)| (Just(format), edited(seed)))
}

proptest! {
    #![proptest_config(budget(200))]

    #[test]
    fn loaders_never_panic_on_edited_submissions((format, text) in seed_and_edit()) {
        let loaded = load_bytes(DataFileId(0), format, text.as_bytes());
        let len = plancheck::source::normalize_newlines(&text).len();
        let mut spans: Vec<_> = loaded.errors.iter().filter_map(|e| e.span()).collect();
        for submission in &loaded.submissions {
            spans.push(submission.reporter_loc.span.clone());
            spans.push(submission.period_loc.span.clone());
            for figure in &submission.figures {
                spans.push(figure.metric_loc.span.clone());
                spans.push(figure.value_loc.span.clone());
            }
        }
        for span in spans {
            prop_assert!(span.start <= span.end && span.end <= len, "{span:?} of {len}");
        }
    }

    #[test]
    fn loaders_never_panic_on_any_text(text in ".{0,200}", which in 0..4usize) {
        let (format, _) = SEEDS[which];
        load_text(DataFileId(0), format, &text);
    }

    #[test]
    fn the_workbook_reader_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        load_bytes(DataFileId(0), Format::Xlsx, &bytes);
        // A zip's own signature first, so the reader gets past its first check.
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        load_bytes(DataFileId(0), Format::Xlsx, &zip);
    }

    #[test]
    fn the_value_reader_never_panics(text in prop_oneof![
        ".{0,40}",
        "[-+ ]?[0-9０-９,，]{0,35}([.．][0-9]{0,35})?([eE][-+]?[0-9]{1,6})?(万元|亿元|%|％|人|斤|万吨|头牛)?",
    ]) {
        parse_value(&text);
    }
}

// ---------------------------------------------------------------------------------------------
// Exact decimals through unit conversion.

/// Every unit, grouped by dimension: the pairs a conversion may join.
fn unit_pairs() -> Vec<(&'static Unit, &'static Unit)> {
    let units: Vec<&'static Unit> = all_names().into_iter().filter_map(lookup).collect();
    let mut pairs = Vec::new();
    for &a in &units {
        for &b in &units {
            if a.dimension == b.dimension {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// Any decimal, up to the 28 digits and 28 decimal places an exact decimal holds.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    (any::<i128>(), 0..=28u32).prop_map(|(mantissa, scale)| {
        let mantissa = mantissa % 10i128.pow(28);
        Decimal::from_i128_with_scale(mantissa, scale)
    })
}

/// `digits` (no sign) with the decimal point moved `places` to the left, as a person writes
/// the same amount in a unit `10^places` times larger: (`"29000000"`, 8) is `"0.29"`.
fn shift_left(digits: &str, places: usize) -> String {
    let padded = format!("{digits:0>width$}", width = places + 1);
    let (int, frac) = padded.split_at(padded.len() - places);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    }
}

fn number(text: &str) -> Quantity {
    match parse_value(text) {
        FigureValue::Number(q) => q,
        other => panic!("{text} read as {other:?}"),
    }
}

proptest! {
    #![proptest_config(budget(300))]

    #[test]
    fn a_conversion_and_its_inverse_give_back_the_same_decimal(
        amount in any_decimal(),
        pair in prop::sample::select(unit_pairs()),
    ) {
        let (from, to) = pair;
        let quantity = Quantity::new(amount, Some(from));
        // `None` means the result does not fit in a decimal; what converts, converts exactly.
        if let Ok(Some(there)) = quantity.convert_to(Some(to)) {
            let back = there.convert_to(Some(from));
            prop_assert_eq!(back, Ok(Some(Quantity::new(amount.normalize(), Some(from)))),
                "{} → {}", quantity, there);
        }
    }

    #[test]
    fn one_amount_written_in_yuan_wan_and_yi_is_one_amount(yuan in 0u64..10u64.pow(18)) {
        let digits = yuan.to_string();
        let written = [
            format!("{digits}元"),
            format!("{}万元", shift_left(&digits, 4)),
            format!("{}亿元", shift_left(&digits, 8)),
        ];
        let in_yuan = Some(Quantity::new(Decimal::from(yuan), lookup("元")));
        for text in &written {
            let read = number(text);
            prop_assert_eq!(read.convert_to(lookup("元")).unwrap(), in_yuan, "{}", text);
            for other in &written {
                let other = number(other);
                let converted = read.convert_to(other.unit).unwrap().unwrap();
                prop_assert_eq!(converted.amount, other.amount, "{} as {:?}", text, other.unit);
            }
        }
    }

    #[test]
    fn a_number_reads_exactly_with_thousands_separators(yuan in 0u64..10u64.pow(18), wan in 0u32..10000) {
        let digits = yuan.to_string();
        let grouped = digits
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|chunk| std::str::from_utf8(chunk).unwrap())
            .collect::<Vec<_>>()
            .join(",");
        let plain = number(&format!("{digits}.{wan:04}万元"));
        let with_commas = number(&format!("{grouped}.{wan:04}万元"));
        prop_assert_eq!(plain, with_commas);
        let exact = Decimal::from(yuan) + Decimal::new(i64::from(wan), 4);
        prop_assert_eq!(plain.amount, exact);
    }
}

// ---------------------------------------------------------------------------------------------
// Verdicts independent of file order and thread count.

const REPORTERS: &[&str] = &["区科技局", "区水务局", "区商务局", "区档案馆"];
const PERIODS: &[&str] = &["2022", "2023-H1", "2023"];
const METRICS: &[(&str, &[&str])] = &[
    ("研发投入", &["亿元", "万元", "元", ""]),
    ("新增就业", &["人", "万人", ""]),
    ("供水总量", &["万吨", "吨", "千克", "人"]),
    ("进出口额", &["亿元", "万元"]),
    ("完成改造", &[""]),
    ("未知指标", &["个"]),
];

fn plan(thresholds: (u32, u32, u32, u32)) -> String {
    let (invest, jobs, water, growth) = thresholds;
    format!(
        r#"plan "性质测试计划" {{
    period 2023
}}

task 1 "科技" {{
    lead 区科技局, 区水务局
    研发投入 >= {invest} 亿元
    新增就业 >= {jobs} 人
    done 完成改造
}}

task 2 "水务" {{
    lead 区水务局, 区商务局
    供水总量 >= {water} 万吨 summed
    进出口额 growth >= {growth}%
}}
"#
    )
}

/// One figure as written: a number, a milestone word, or something invalid.
fn figure_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0u32..100_000, 0u32..100).prop_map(|(int, frac)| format!("{int}.{frac:02}")),
        1 => prop::sample::select(vec!["done", "未完成", "NaN", "", "abc", "1e30"]).prop_map(str::to_owned),
    ]
}

/// One submission: reporter, period and figures, written as JSON, YAML or CSV.
fn submission() -> impl Strategy<Value = (Format, String)> {
    let figure = (
        0..METRICS.len(),
        any::<prop::sample::Index>(),
        figure_value(),
    );
    (
        prop::sample::select(REPORTERS),
        prop::sample::select(PERIODS),
        prop::collection::vec(figure, 0..5),
        prop::sample::select(vec![Format::Json, Format::Yaml, Format::Csv]),
    )
        .prop_map(|(reporter, period, figures, format)| {
            let figures: Vec<(&str, String)> = figures
                .into_iter()
                .map(|(metric, unit, value)| {
                    let (name, units) = METRICS[metric];
                    let unit = units[unit.index(units.len())];
                    (name, format!("{value}{unit}"))
                })
                .collect();
            (format, write_submission(format, reporter, period, &figures))
        })
}

fn write_submission(
    format: Format,
    reporter: &str,
    period: &str,
    figures: &[(&str, String)],
) -> String {
    match format {
        Format::Json => {
            let figures: serde_json::Map<String, serde_json::Value> = figures
                .iter()
                .map(|(m, v)| ((*m).to_owned(), serde_json::Value::from(v.as_str())))
                .collect();
            serde_json::json!({"reporter": reporter, "period": period, "figures": figures})
                .to_string()
        }
        Format::Yaml => {
            let mut text = format!("reporter: {reporter}\nperiod: \"{period}\"\nfigures:\n");
            for (metric, value) in figures {
                text.push_str(&format!("  {metric}: \"{value}\"\n"));
            }
            text
        }
        _ => {
            let mut text = "reporter,period,metric,value\n".to_owned();
            for (metric, value) in figures {
                text.push_str(&format!("{reporter},{period},{metric},\"{value}\"\n"));
            }
            text
        }
    }
}

/// Checks `files` in the order `order` (file `i` of the run is `files[order[i]]`) on a pool of
/// `threads`, with every data location renamed to the file's original index, so runs in
/// different orders compare equal when they judge alike.
fn run(plan: &Plan, files: &[(Format, String)], order: &[usize], threads: usize) -> Outcome {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut outcome = pool.install(|| {
        check_with(plan, files.len(), CheckOptions::default(), |id| {
            let (format, text) = &files[order[id.0]];
            load_text(id, *format, text)
        })
    });
    let original = |loc: &mut DataLoc| loc.file = DataFileId(order[loc.file.0]);
    let finding = |finding: &mut Finding| {
        for label in &mut finding.labels {
            if let Loc::Data(loc) = &mut label.loc {
                original(loc);
            }
        }
    };
    for result in &mut outcome.results {
        if let Some(loc) = &mut result.figure {
            original(loc);
        }
        if let Some(f) = &mut result.finding {
            finding(f);
        }
        for part in &mut result.parts {
            original(&mut part.figure);
        }
        for value in &mut result.values {
            value.places.iter_mut().for_each(original);
        }
    }
    outcome.findings.iter_mut().for_each(finding);
    outcome
}

/// Everything the outcome holds, findings in a fixed order.
fn render(outcome: &Outcome) -> String {
    let mut findings: Vec<String> = outcome.findings.iter().map(|f| format!("{f:?}")).collect();
    findings.sort();
    format!(
        "{:#?}\n{findings:#?}\n{} {} {:?}",
        outcome.results, outcome.submissions, outcome.figures, outcome.as_of
    )
}

const CONFLICT: &str = "plancheck::check::conflict";
/// Findings about several figures that point at the first of them, or at the repeat.
const ONE_OF_SEVERAL: &[&str] = &[
    CONFLICT,
    "plancheck::check::duplicate-figure",
    "plancheck::check::outside-period",
    "plancheck::check::after-as-of",
];

/// The outcome less what names "the first" of several figures, which is first in file order:
/// the value a conflict shows first, the parts of a summed figure in the order its finding
/// lists them, which of two duplicates is the repeat, the figure a period warning points at.
/// The verdicts, the totals, the codes of other results and every other finding stay.
fn render_order_free(outcome: &Outcome) -> String {
    let mut results = outcome.results.clone();
    for result in &mut results {
        // Each distinct value and how many reported it stay; who reported it first and its
        // first places are first in file order.
        for value in &mut result.values {
            value.reporter.clear();
            value.places.clear();
        }
        result.values.sort_by_key(|v| format!("{v:?}"));
        let code = result.finding.as_ref().map(|f| f.code);
        if code == Some(CONFLICT) {
            result.reporter = None;
            result.reported = None;
            result.figure = None;
            result.parts.clear();
            result.finding = None;
        } else if !result.parts.is_empty() {
            // The finding lists the parts in file order, and of several parts that cannot be
            // added it names the first.
            result.parts.sort_by_key(|p| format!("{p:?}"));
            result.reporter = None;
            result.reported = None;
            result.figure = None;
            result.finding = None;
        }
    }
    let mut findings: Vec<String> = outcome
        .findings
        .iter()
        .map(|f| {
            if ONE_OF_SEVERAL.contains(&f.code) {
                format!("{} {:?}", f.code, f.severity)
            } else {
                format!("{f:?}")
            }
        })
        .collect();
    findings.sort();
    format!(
        "{results:#?}\n{findings:#?}\n{} {} {:?}",
        outcome.submissions, outcome.figures, outcome.as_of
    )
}

/// The first lines where two renderings part, with some context, rather than both in full.
fn difference(expected: &str, got: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = first.saturating_sub(25);
    format!(
        "expected:\n{}\ngot:\n{}",
        a[from..(first + 40).min(a.len())].join("\n"),
        b[from..(first + 40).min(b.len())].join("\n")
    )
}

proptest! {
    #![proptest_config(budget(40))]

    #[test]
    fn verdicts_do_not_depend_on_file_order_or_threads(
        thresholds in (1u32..1000, 1u32..100_000, 1u32..1000, 0u32..50),
        files in prop::collection::vec(submission(), 1..8),
        shuffle in any::<prop::sample::Index>(),
    ) {
        let (plan, findings) = parse_files(vec![SourceFile::new("plan.plan", &plan(thresholds))]);
        prop_assert!(findings.is_empty(), "{findings:?}");
        let identity: Vec<usize> = (0..files.len()).collect();
        // A rotation and a reversal reach every position from the generated ones.
        let mut permuted = identity.clone();
        permuted.rotate_left(shuffle.index(files.len()));
        let mut reversed = identity.clone();
        reversed.reverse();

        let first = run(&plan, &files, &identity, 1);
        let (expected, expected_free) = (render(&first), render_order_free(&first));
        let got = render(&run(&plan, &files, &identity, 2));
        prop_assert!(got == expected, "on 2 threads:\n{}", difference(&expected, &got));
        for (order, threads) in [(&permuted, 2), (&reversed, 1)] {
            let got = render_order_free(&run(&plan, &files, order, threads));
            prop_assert!(got == expected_free, "order {order:?} on {threads} threads:\n{}",
                difference(&expected_free, &got));
        }
    }
}
