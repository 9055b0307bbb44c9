//! `plancheck lint`: for every lint a fixture that trips it, one that passes, and a snapshot
//! of its diagnostic; the shipped rules are clean, and the slips the lints were written for
//! trip them when put back into a copy of the rules.

use crate::support::{repo_root, Test};

/// A one-task plan whose source is `source` and whose task holds `body`.
fn plan(body: &str) -> String {
    format!(
        "plan \"测试计划\" {{\n    period 2023\n    source \"source.txt\"\n    approx 10%\n}}\n\ntask 1 \"测试任务\" {{\n    lead 区科技局, 区统计局\n{body}}}\n"
    )
}

/// `plancheck lint` on a plan of `body` over `source`: (exit code, stdout).
fn lint(source: &str, body: &str) -> (i32, String) {
    let output = Test::empty()
        .file("rules/plan.plan", plan(body))
        .file("rules/source.txt", source)
        .args(&["lint", "--color", "never", "--width", "100"])
        .run();
    assert_eq!(output.stderr, "");
    (output.status, output.stdout)
}

/// The codes of the findings in a lint report, in order.
fn codes(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|l| l.starts_with("plancheck::"))
        .collect()
}

/// Asserts that `trip` gives exactly one finding, `code`, and `pass` none; returns the report
/// of `trip` for its snapshot.
fn trips(code: &str, source: &str, trip: &str, pass: &str) -> String {
    let (status, report) = lint(source, trip);
    assert_eq!(codes(&report), [code], "{report}");
    assert_eq!(status, 1, "{report}");
    let (status, clean) = lint(source, pass);
    assert_eq!(codes(&clean), Vec::<&str>::new(), "{clean}");
    assert_eq!(status, 0, "{clean}");
    assert!(clean.ends_with("没有发现问题\n"), "{clean}");
    report
}

#[test]
fn quote_number() {
    let source = "入库科技型中小企业200家以上，新增城镇就业1.2万人，打造千亿级产业基地。\n";
    let report = trips(
        "plancheck::lint::quote-number",
        source,
        "    入库科技型中小企业 >= 300 家\n        from \"入库科技型中小企业200家以上\"\n",
        // Up to scale: 1.2万人 is 12000 人, 千亿级 is 1000 亿元.
        "    入库科技型中小企业 >= 200 家\n        from \"入库科技型中小企业200家以上\"\n    \
         新增城镇就业 >= 12000 人\n        from \"新增城镇就业1.2万人\"\n    \
         产业基地营业收入 >= 1000 亿元\n        from \"打造千亿级产业基地\"\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn quote_unit() {
    let source = "入库科技型中小企业200家以上，完成产业投资150亿元，签约率提升1-3个百分点。\n";
    let report = trips(
        "plancheck::lint::quote-unit",
        source,
        "    入库科技型中小企业 >= 200 个\n        from \"入库科技型中小企业200家以上\"\n",
        // Scale words belong to the number; a measure word may stand before the unit.
        "    入库科技型中小企业 >= 200 家\n        from \"入库科技型中小企业200家以上\"\n    \
         完成产业投资 >= 1500000 万元\n        from \"完成产业投资150亿元\"\n    \
         签约率 change in 1..3 百分点\n        from \"签约率提升1-3个百分点\"\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn quote_operator() {
    let source =
        "有研发活动企业超过110家，培育新品种1-2个，实施重点项目20个左右，零就业家庭动态清零。\n";
    let report = trips(
        "plancheck::lint::quote-operator",
        source,
        "    有研发活动企业 >= 110 家\n        from \"有研发活动企业超过110家\"\n",
        "    有研发活动企业 > 110 家\n        from \"有研发活动企业超过110家\"\n    \
         培育新品种 in 1..2 个\n        from \"培育新品种1-2个\"\n    \
         实施重点项目 ~= 20 个\n        from \"实施重点项目20个左右\"\n    \
         零就业家庭 == 0 户\n        from \"零就业家庭动态清零\"\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn quote_operator_for_a_range_and_for_zero() {
    let source = "培育新品种1-2个，零就业家庭动态清零。\n";
    let (_, report) = lint(
        source,
        "    培育新品种 >= 1 个\n        from \"培育新品种1-2个\"\n    \
         零就业家庭 <= 1 户\n        from \"零就业家庭动态清零\"\n",
    );
    // `<= 1` states a number the sentence does not, and is no `== 0`.
    assert_eq!(
        codes(&report),
        [
            "plancheck::lint::quote-operator",
            "plancheck::lint::quote-number",
            "plancheck::lint::quote-operator"
        ],
        "{report}"
    );
    assert!(report.contains("应为 in"), "{report}");
    assert!(report.contains("应为 == 0"), "{report}");
}

#[test]
fn quote_strength_governed_from_earlier_in_the_sentence() {
    let source = "力争新培育单项冠军企业12家以上，高新技术企业40家。\n";
    let report = trips(
        "plancheck::lint::quote-strength",
        source,
        "    新培育高新技术企业 >= 40 家\n        from \"高新技术企业40家\"\n",
        "    力争 新培育高新技术企业 >= 40 家\n        from \"高新技术企业40家\"\n",
    );
    insta::assert_snapshot!(report);
}

/// A quote that runs over a line break of the source is read in its sentence as the quote
/// check finds it: the 力争 before the break still governs it.
#[test]
fn quote_strength_governed_across_a_line_break() {
    let source = "力争新培育单项冠军企业12家以上，高新技术\n企业40家。\n";
    trips(
        "plancheck::lint::quote-strength",
        source,
        "    新培育高新技术企业 >= 40 家\n        from \"高新技术企业40家\"\n",
        "    力争 新培育高新技术企业 >= 40 家\n        from \"高新技术企业40家\"\n",
    );
}

#[test]
fn quote_strength_of_a_strive_word_in_the_quote() {
    let source = "力促金叶项目投产达效。\n";
    trips(
        "plancheck::lint::quote-strength",
        source,
        "    done 金叶项目投产达效\n        from \"力促金叶项目投产达效\"\n",
        "    力争 done 金叶项目投产达效\n        from \"力促金叶项目投产达效\"\n",
    );
}

#[test]
fn increment_word_governing_the_clause() {
    let source = "力争新培育单项冠军企业12家以上，高新技术企业40家。\n";
    let report = trips(
        "plancheck::lint::increment",
        source,
        "    力争 高新技术企业 >= 40 家\n        from \"高新技术企业40家\"\n",
        "    力争 新培育高新技术企业 >= 40 家\n        from \"高新技术企业40家\"\n",
    );
    insta::assert_snapshot!(report);
    // A clause with a verb of its own is not governed: 达到 starts a new statement.
    let source = "新增托位600个以上，每千人口托位数达到4.96个。\n";
    let (status, report) = lint(
        source,
        "    每千人口托位数 >= 4.96 个\n        from \"每千人口托位数达到4.96个\"\n",
    );
    assert_eq!((status, codes(&report)), (0, vec![]), "{report}");
}

#[test]
fn done_without_completion() {
    let source = "推进投资9亿元的储能项目快建设、早投产，建成大数据平台。\n";
    let report = trips(
        "plancheck::lint::done-without-completion",
        source,
        "    done 储能项目投产\n        from \"推进投资9亿元的储能项目快建设、早投产\"\n",
        "    skip \"推进投资9亿元的储能项目快建设、早投产\" because \"早投产 asks for progress; 9亿元 describes the project\"\n    \
         done 建成大数据平台\n        from \"建成大数据平台\"\n",
    );
    insta::assert_snapshot!(report);
    // No progress word, but nothing finished either.
    let (status, report) = lint(
        "做好防汛工作。\n",
        "    done 防汛工作\n        from \"做好防汛工作\"\n",
    );
    assert_eq!(status, 1);
    assert_eq!(codes(&report), ["plancheck::lint::done-without-completion"]);
    assert!(
        report.contains("里程碑所引原文没有年内完成的事项"),
        "{report}"
    );
}

#[test]
fn done_rank() {
    let source = "奋力实现“全市第一、全省前列”争创目标。\n";
    let report = trips(
        "plancheck::lint::done-rank",
        source,
        "    力争 done 营商环境全市第一全省前列\n        from \"奋力实现“全市第一、全省前列”争创目标\"\n",
        "    力争 营商环境全市排名 rank <= 1\n        from \"奋力实现“全市第一\"\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn duplicate_rule() {
    let source = "城镇新建民用建筑中绿色建筑占比达到100%。\n";
    let rule =
        "    绿色建筑占比 == 100%\n        from \"城镇新建民用建筑中绿色建筑占比达到100%\"\n";
    let report = trips(
        "plancheck::lint::duplicate-rule",
        source,
        &format!("{rule}{rule}"),
        rule,
    );
    insta::assert_snapshot!(report);
}

#[test]
fn contradiction() {
    let report = trips(
        "plancheck::lint::contradiction",
        "",
        "    科技企业 >= 10 家\n    科技企业 < 5 家\n",
        // A floor and a ceiling that leave room are no contradiction.
        "    科技企业 >= 5 家\n    科技企业 <= 10 家\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn point_range() {
    let report = trips(
        "plancheck::lint::point-range",
        "",
        "    培育新品种 in 2..2 个\n",
        "    培育新品种 in 1..2 个\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn idle_lead() {
    let report = trips(
        "plancheck::lint::idle-lead",
        "",
        "    科技企业 >= 5 家\n        by 区科技局\n",
        "    科技企业 >= 5 家\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn skip_has_target() {
    let source = "配合济宁市高标准完成企业登记规范国家试点，加快建设投资15亿元的产业园。\n";
    let report = trips(
        "plancheck::lint::skip-has-target",
        source,
        "    skip \"配合济宁市高标准完成企业登记规范国家试点\" because \"the city runs the pilot\"\n",
        // A completion encoded, and a skip whose reason names the number it leaves out.
        "    done 配合济宁市完成企业登记规范国家试点\n        from \"配合济宁市高标准完成企业登记规范国家试点\"\n    \
         skip \"加快建设投资15亿元的产业园\" because \"asks for progress; 15亿元 describes the park\"\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn kind_of_a_completion_rate() {
    let source = "确保省级重点项目年度投资计划完成率达到120%。\n";
    let report = trips(
        "plancheck::lint::kind",
        source,
        "    确保 省级重点项目年度投资计划完成率 >= 120%\n        from \"确保省级重点项目年度投资计划完成率达到120%\"\n",
        "    确保 省级重点项目年度投资计划完成率 >= 120%\n        from \"确保省级重点项目年度投资计划完成率达到120%\"\n        kind cumulative\n",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn mirror_rule() {
    let source = "确保居民人均可支配收入增速不低于GDP增速。\n";
    let target = "    确保 居民人均可支配收入增速 >= metric GDP增速\n        from \"确保居民人均可支配收入增速不低于GDP增速\"\n";
    let report = trips(
        "plancheck::lint::mirror-rule",
        source,
        &format!("{target}    确保 GDP增速 <= metric 居民人均可支配收入增速\n        from \"确保居民人均可支配收入增速不低于GDP增速\"\n"),
        &format!("{target}    track GDP增速 %\n"),
    );
    insta::assert_snapshot!(report);
}

#[test]
fn check_reports_lint_findings_as_warnings() {
    let body = "    入库科技型中小企业 >= 300 家\n        from \"入库科技型中小企业200家以上\"\n";
    let test = || {
        Test::empty()
            .file("rules/plan.plan", plan(body))
            .file("rules/source.txt", "入库科技型中小企业200家以上。\n")
            .file(
                "data/science.yaml",
                "reporter: 区科技局\nperiod: \"2023\"\nfigures:\n  入库科技型中小企业: 300\n",
            )
    };
    let (status, json) = test().check_json(&["data"]);
    assert_eq!(status, 0, "{json:#}");
    let lint: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "plancheck::lint::quote-number")
        .collect();
    assert_eq!(lint.len(), 1, "{json:#}");
    assert_eq!(lint[0]["severity"], "warning");
    // --deny warnings makes them errors, as every other warning.
    let (status, _) = test().check_json(&["--deny", "warnings", "data"]);
    assert_eq!(status, 1);
}

#[test]
fn the_shipped_rules_are_clean() {
    let output = crate::support::run_in(&repo_root(), &["lint", "--color", "never"]);
    assert_eq!(output.stdout, "lint：232 条规则，没有发现问题\n");
    assert_eq!(output.status, 0);
}

/// The shipped rules and their source, copied into a temporary directory.
fn shipped_copy() -> Test {
    let mut test = Test::empty();
    let root = repo_root();
    for entry in std::fs::read_dir(root.join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "plan") {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            test = test.file(
                &format!("rules/{name}"),
                std::fs::read_to_string(&path).unwrap(),
            );
        }
    }
    let seed = "seeds/yanzhou-2023-key-tasks.txt";
    test.file(seed, std::fs::read_to_string(root.join(seed)).unwrap())
}

/// Replaces `from` (which must occur once) with `to` in `rules/NAME`.
fn put_back(test: &Test, name: &str, from: &str, to: &str) {
    let path = test.path().join("rules").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{name}: {from}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn the_slips_of_the_audit_trip_the_lints_when_put_back() {
    let test = shipped_copy();
    let ningde =
        "推进投资140亿元的宁德时代新能源电池、18亿元的光伏发电和9亿元的储能项目快建设、早投产";
    put_back(
        &test,
        "02-industry.plan",
        &format!("    skip \"{ningde}\" because \"快建设、早投产 asks for progress, not completion in 2023; 140亿元, 18亿元 and 9亿元 describe the projects\"\n"),
        &["宁德时代新能源电池项目投产", "新能源光伏发电项目投产", "新能源储能项目投产"]
            .map(|m| format!("    done {m}\n        from \"{ningde}\"\n"))
            .concat(),
    );
    // 力促 read as a must.
    for metric in ["金叶5万吨食品包装纸项目投产达效", "德国罗特勒投产达效"]
    {
        put_back(
            &test,
            "02-industry.plan",
            &format!("力争 done {metric}"),
            &format!("done {metric}"),
        );
    }
    put_back(
        &test,
        "03-consumption.plan",
        "力争 done 金大丰",
        "done 金大丰",
    );
    // A stock in place of an increment.
    put_back(
        &test,
        "01-innovation.plan",
        "力争 新培育国家高新技术企业",
        "力争 国家高新技术企业",
    );
    // Completion rates checked as levels.
    for rate in [
        "省级重点项目年度投资计划完成率",
        "市级重点产业项目年度投资计划完成率",
    ] {
        put_back(
            &test,
            "03-consumption.plan",
            &format!("{rate} >= 120%\n        from \"确保省级重点项目及市级重点产业项目年度投资计划完成率达到120%\"\n        kind cumulative\n"),
            &format!("{rate} >= 120%\n        from \"确保省级重点项目及市级重点产业项目年度投资计划完成率达到120%\"\n"),
        );
    }
    // Rank and wording merged; a completion skipped.
    put_back(
        &test,
        "08-reform.plan",
        "    力争 营商环境全市排名 rank <= 1\n        from \"奋力实现“全市第一\"\n",
        "    力争 done 营商环境全市第一全省前列\n        from \"奋力实现“全市第一、全省前列”争创目标\"\n",
    );
    put_back(
        &test,
        "08-reform.plan",
        "    done 配合济宁市完成企业登记规范国家试点\n        from \"配合济宁市高标准完成企业登记规范国家试点\"\n",
        "    skip \"配合济宁市高标准完成企业登记规范国家试点\" because \"the city runs the pilot; the district only assists\"\n",
    );
    // Mirror rules.
    put_back(
        &test,
        "03-consumption.plan",
        "    track 制造业贷款增幅 %\n",
        "    确保 制造业贷款增幅 < metric 攀登企业贷款增幅\n        from \"确保攀登企业贷款增幅高于制造业贷款增幅\"\n",
    );
    put_back(
        &test,
        "09-livelihood.plan",
        "    track GDP增速 %\n",
        "    确保 GDP增速 <= metric 居民人均可支配收入增速\n        from \"确保居民人均可支配收入增速不低于GDP增速\"\n",
    );
    // The duplicate green-building rate, and milestones with nothing to check.
    put_back(
        &test,
        "04-green.plan",
        "    skip \"推动城镇新建建筑全面执行绿色建筑标准\" because \"the same target as the 100% share of green buildings below\"\n",
        "    城镇新建建筑绿色建筑标准执行率 == 100%\n        from \"推动城镇新建建筑全面执行绿色建筑标准\"\n",
    );
    put_back(
        &test,
        "01-innovation.plan",
        "    skip \"确保科技惠企政策落地见效\" because \"见效 has no point at which it is done, and no figure\"\n",
        "    确保 done 科技惠企政策落地见效\n        from \"确保科技惠企政策落地见效\"\n",
    );
    put_back(
        &test,
        "08-reform.plan",
        "    skip \"培育中小企业公共服务示范平台\" because \"培育 asks for progress: no platform or number to confirm in 2023\"\n",
        "    done 培育中小企业公共服务示范平台\n        from \"培育中小企业公共服务示范平台\"\n",
    );

    let output = test.run_with(&["lint", "--color", "never", "--width", "200"]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    let mut counts = std::collections::BTreeMap::new();
    for code in codes(&output.stdout) {
        *counts
            .entry(code.trim_start_matches("plancheck::lint::"))
            .or_insert(0) += 1;
    }
    let expected = [
        ("done-rank", 1),
        ("done-without-completion", 5),
        ("increment", 1),
        ("kind", 2),
        ("mirror-rule", 2),
        ("quote-number", 1),
        ("quote-strength", 3),
        ("skip-has-target", 1),
    ];
    assert_eq!(counts, expected.into_iter().collect(), "{}", output.stdout);
}

#[test]
fn lead_and_co() {
    let source = "新增科技型中小企业200家以上。\n";
    let rule = "    新增科技型中小企业 >= 200 家\n        from \"新增科技型中小企业200家以上\"\n";
    let report = trips(
        "plancheck::lint::lead-and-co",
        source,
        &format!("    co 区统计局, 区财政局\n{rule}"),
        &format!("    co 区财政局\n    leader 张明（副区长）\n{rule}"),
    );
    insta::assert_snapshot!(report);
}

#[test]
fn kind_assumed() {
    let source = "全年完成工业技改投资50亿元。\n";
    let report = trips(
        "plancheck::lint::kind-assumed",
        source,
        "    工业技改 >= 50 亿元\n        from \"全年完成工业技改投资50亿元\"\n",
        "    工业技改 >= 50 亿元 kind cumulative\n        from \"全年完成工业技改投资50亿元\"\n",
    );
    insta::assert_snapshot!(report);
}
