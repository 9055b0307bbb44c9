//! Hostile files and limits: links out of the given roots, loops, FIFOs and sockets,
//! permissions, sparse giants and zip bombs, limits on size, cells and figures, encodings
//! that are not UTF-8, and reports written over inputs or to a full disk.

use super::{case, Case, Setup};
use crate::support::{ECO_MET, PLAN, SOURCE};

/// The plan with its `source` line replaced.
fn plan_with_source(source: &str) -> String {
    PLAN.replace("source \"source.txt\"", &format!("source \"{source}\""))
}

/// The plan with a quote taken from /etc/passwd's first line, which a did-you-mean would
/// complete from the file if it were read.
fn plan_quoting_passwd(source: &str) -> String {
    plan_with_source(source).replace(
        "from \"受污染耕地安全利用率稳定在91%以上\"",
        "from \"root:x:0:0:roo\"",
    )
}

/// An .xlsx-like zip whose one part declares 1 GiB unpacked in 30 bytes: refused from the
/// central directory, never inflated.
fn zip_declaring_one_gib() -> Vec<u8> {
    let name = b"xl/sharedStrings.xml";
    let data = [0u8; 30];
    let crc = 0u32;
    let declared: u32 = 1 << 30;
    let mut zip = Vec::new();
    // Local file header.
    zip.extend(0x0403_4b50u32.to_le_bytes());
    zip.extend(20u16.to_le_bytes()); // version needed
    zip.extend(0u16.to_le_bytes()); // flags
    zip.extend(8u16.to_le_bytes()); // deflate
    zip.extend(0u32.to_le_bytes()); // time, date
    zip.extend(crc.to_le_bytes());
    zip.extend((data.len() as u32).to_le_bytes());
    zip.extend(declared.to_le_bytes());
    zip.extend((name.len() as u16).to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip.extend(name);
    zip.extend(data);
    let central = zip.len() as u32;
    zip.extend(0x0201_4b50u32.to_le_bytes());
    zip.extend(20u16.to_le_bytes()); // made by
    zip.extend(20u16.to_le_bytes()); // needed
    zip.extend(0u16.to_le_bytes());
    zip.extend(8u16.to_le_bytes());
    zip.extend(0u32.to_le_bytes());
    zip.extend(crc.to_le_bytes());
    zip.extend((data.len() as u32).to_le_bytes());
    zip.extend(declared.to_le_bytes());
    zip.extend((name.len() as u16).to_le_bytes());
    zip.extend([0u8; 8]); // extra, comment, disk, internal attributes
    zip.extend(0u32.to_le_bytes()); // external attributes
    zip.extend(0u32.to_le_bytes()); // local header offset
    zip.extend(name);
    let central_len = zip.len() as u32 - central;
    zip.extend(0x0605_4b50u32.to_le_bytes());
    zip.extend([0u8; 4]); // disk numbers
    zip.extend(1u16.to_le_bytes());
    zip.extend(1u16.to_le_bytes());
    zip.extend(central_len.to_le_bytes());
    zip.extend(central.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip
}

/// A real workbook holding 区生态环境分局's figures as a table (header and three rows).
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["reporter", "period", "metric", "value"],
        ["区生态环境分局", "2023", "受污染耕地安全利用率", "92.3%"],
        ["区生态环境分局", "2023", "农用地安全利用率", "100%"],
        ["区生态环境分局", "2023", "完成超低排放改造", "done"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// The ECO submission in GBK, as Chinese Excel saves CSV.
fn gbk_csv() -> Vec<u8> {
    let text = "reporter,period,metric,value\n区生态环境分局,2023,受污染耕地安全利用率,92.3%\n";
    encoding_rs::GBK.encode(text).0.into_owned()
}

const OUTSIDE: &str = "plancheck::files::outside-root";
const LOOP: &str = "plancheck::files::link-loop";
const DANGLING: &str = "plancheck::files::dangling-link";
const NOT_REGULAR: &str = "plancheck::files::not-regular";
const TOO_LARGE: &str = "plancheck::files::too-large";
const UNREADABLE: &str = "plancheck::files::unreadable";
const NOT_FOUND: &str = "plancheck::files::not-found";
const SOURCE_OUTSIDE: &str = "plancheck::plan::source-outside";
const SOURCE_UNREADABLE: &str = "plancheck::plan::source-unreadable";
const ENCODING: &str = "plancheck::load::encoding";
const FORMAT: &str = "plancheck::load::format";
const SKIPPED: &str = "plancheck::load::skipped-files";

/// The first line of /etc/passwd's usual content: must never reach any output.
const PASSWD_LINE: &str = "root:x:0:0:root";

pub fn cases() -> Vec<Case> {
    vec![
        // Links out of the given paths.
        case("link_to_etc_passwd_in_data_folder")
            .setup(Setup::Link("/etc/passwd", "data/passwd.json"))
            .exit(2)
            .code(OUTSIDE)
            .contains("data/passwd.json")
            .absent(PASSWD_LINE),
        case("link_to_a_secret_beside_the_data_folder")
            .file(
                "secret.yaml",
                "reporter: 区生态环境分局\nperiod: \"2023\"\nfigures:\n  TOKEN_8f3a9c: 1\n",
            )
            .setup(Setup::Link("../secret.yaml", "data/secret.yaml"))
            .exit(2)
            .code(OUTSIDE)
            .contains("data/secret.yaml")
            .absent("TOKEN_8f3a9c"),
        case("link_to_proc_self_environ")
            .setup(Setup::Link("/proc/self/environ", "data/env.json"))
            .exit(2)
            .code(OUTSIDE)
            .contains("data/env.json"),
        case("link_to_dev_zero_in_data_folder")
            .setup(Setup::Link("/dev/zero", "data/zero.json"))
            .exit(2)
            .code(OUTSIDE)
            .contains("data/zero.json"),
        case("link_to_the_parent_of_the_data_folder")
            .setup(Setup::Link("..", "data/up"))
            .exit(2)
            .code(OUTSIDE)
            .contains("data/up"),
        case("dev_zero_named_on_the_command_line")
            .args(&["check", "--format", "json", "data", "/dev/zero"])
            .exit(2)
            .code(NOT_REGULAR)
            .contains("/dev/zero"),
        // Loops and aliases.
        case("link_loop_to_dot")
            .setup(Setup::Link(".", "data/loop"))
            .exit(2)
            .code(LOOP)
            .contains("data/loop")
            .contains("\"met\":6"),
        case("two_link_loops_do_not_hang")
            .setup(Setup::Link(".", "data/a"))
            .setup(Setup::Link(".", "data/b"))
            .exit(2)
            .code(LOOP)
            .contains("data/a")
            .contains("data/b"),
        case("link_loop_to_an_ancestor_deep_down")
            .file("data/x/y/eco.yaml", ECO_MET)
            .setup(Setup::Link("../..", "data/x/y/up"))
            .exit(2)
            .code(LOOP)
            .contains("data/x/y/up"),
        case("chain_of_links_that_never_ends")
            .setup(Setup::Link("b.json", "data/a.json"))
            .setup(Setup::Link("a.json", "data/b.json"))
            .exit(2)
            .code(LOOP)
            .contains("data/a.json"),
        case("link_to_a_file_inside_is_read_once")
            .setup(Setup::Link("eco.yaml", "data/again.yaml"))
            .exit(0)
            .contains("\"submissions\":2")
            .absent("duplicate-figure"),
        case("link_to_a_folder_inside_is_read_once")
            .file("data/real/eco.yaml", ECO_MET)
            .file("data/eco.yaml", "")
            .setup(Setup::Link("real", "data/latest"))
            .args(&[
                "check",
                "--format",
                "json",
                "data/real",
                "data/industry.yaml",
            ])
            .exit(0)
            .contains("\"submissions\":2"),
        case("link_into_another_given_path_is_followed")
            .file("other/eco.yaml", ECO_MET)
            .file("data/eco.yaml", "")
            .setup(Setup::Link("../other/eco.yaml", "data/eco2.yaml"))
            .args(&[
                "check",
                "--format",
                "json",
                "data/industry.yaml",
                "data/eco2.yaml",
                "other",
            ])
            .exit(0)
            .contains("\"submissions\":2"),
        case("data_path_itself_a_link_is_followed")
            .setup(Setup::Link("data", "current"))
            .args(&["check", "--format", "json", "current"])
            .exit(0)
            .contains("\"submissions\":2"),
        case("dangling_link_names_its_path")
            .setup(Setup::Link("nothing.yaml", "data/gone.yaml"))
            .exit(2)
            .code(DANGLING)
            .contains("data/gone.yaml"),
        case("missing_data_path_is_named")
            .args(&["check", "--format", "json", "data", "no/such/dir"])
            .exit(2)
            .code(NOT_FOUND)
            .contains("no/such/dir"),
        // Files that are not files.
        case("fifo_named_json_in_data_folder")
            .setup(Setup::Fifo("data/x.json"))
            .exit(2)
            .code(NOT_REGULAR)
            .contains("data/x.json"),
        case("fifo_named_on_the_command_line")
            .setup(Setup::Fifo("data/x.yaml"))
            .args(&["check", "--format", "json", "data/x.yaml", "data/eco.yaml"])
            .exit(2)
            .code(NOT_REGULAR)
            .contains("data/x.yaml"),
        case("fifo_with_another_name_is_listed_not_opened")
            .setup(Setup::Fifo("data/pipe"))
            .exit(0)
            .code(SKIPPED)
            .contains("data/pipe"),
        case("socket_named_json_in_data_folder")
            .setup(Setup::Socket("data/s.json"))
            .exit(2)
            .code(NOT_REGULAR)
            .contains("data/s.json")
            .contains("套接字"),
        case("fifo_as_a_plan_file")
            .setup(Setup::Fifo("rules/more.plan"))
            .exit(2)
            .code(NOT_REGULAR)
            .contains("rules/more.plan"),
        case("fifo_as_the_rules_path")
            .setup(Setup::Fifo("rules.plan"))
            .flags(&["--rules", "rules.plan"])
            .exit(2)
            .code(NOT_REGULAR)
            .contains("rules.plan"),
        case("fifo_given_to_fmt")
            .setup(Setup::Fifo("rules/more.plan"))
            .args(&["fmt", "--check", "rules/more.plan"])
            .exit(2)
            .contains("rules/more.plan")
            .contains("命名管道"),
        case("fifo_named_plantest_beside_the_rules")
            .setup(Setup::Fifo("rules/x.plantest"))
            .args(&["test", "--rules", "rules", "--color", "never"])
            .exit(2)
            .contains("rules/x.plantest")
            .contains("命名管道"),
        case("fifo_as_the_source")
            .file("rules/plan.plan", plan_with_source("fifo.txt"))
            .setup(Setup::Fifo("rules/fifo.txt"))
            .exit(2)
            .code(SOURCE_UNREADABLE)
            .contains("rules/fifo.txt")
            .contains("命名管道"),
        // The plan's source.
        case("source_etc_passwd_is_refused_and_never_quoted")
            .file("rules/plan.plan", plan_quoting_passwd("/etc/passwd"))
            .exit(2)
            .code(SOURCE_OUTSIDE)
            .contains("/etc/passwd")
            .absent(PASSWD_LINE)
            .absent("/bin/"),
        case("source_escaping_with_dot_dots")
            .file(
                "rules/plan.plan",
                plan_quoting_passwd("../../../../../../../../etc/passwd"),
            )
            .exit(2)
            .code(SOURCE_OUTSIDE)
            .absent(PASSWD_LINE),
        case("source_through_a_link_out_of_the_project")
            .file("rules/plan.plan", plan_quoting_passwd("src.txt"))
            .setup(Setup::Link("/etc/passwd", "rules/src.txt"))
            .exit(2)
            .code(SOURCE_OUTSIDE)
            .contains("rules/src.txt")
            .absent(PASSWD_LINE),
        case("source_beside_the_rules_folder_is_allowed")
            .file("rules/plan.plan", plan_with_source("../seeds/source.txt"))
            .file("seeds/source.txt", SOURCE)
            .exit(0),
        case("source_outside_allowed_by_flag")
            .file("rules/plan.plan", plan_with_source("/etc/passwd"))
            .flags(&["--allow-source-outside"])
            .exit(2)
            .code("plancheck::plan::quote-not-found")
            .absent(SOURCE_OUTSIDE),
        case("sparse_one_gib_source")
            .setup(Setup::Sparse("rules/source.txt", 1 << 30))
            .exit(2)
            .code(SOURCE_UNREADABLE)
            .contains("rules/source.txt")
            .contains("--max-source-size"),
        // Rules folders.
        case("plan_files_behind_a_link_out_of_the_rules_folder")
            .file(
                "extra/more.plan",
                "task 99 \"额外\" {\n    lead 区水务局\n}\n",
            )
            .setup(Setup::Link("../extra", "rules/extra"))
            .exit(2)
            .code(OUTSIDE)
            .contains("rules/extra"),
        case("plan_files_behind_a_link_inside_are_read")
            .file(
                "rules/sub/more.plan",
                "task 99 \"额外\" {\n    lead 区水务局\n}\n",
            )
            .setup(Setup::Link("sub", "rules/linked"))
            .exit(0)
            .contains("\"tasks\":3"),
        case("rule_file_over_the_size_limit")
            .file("rules/big.plan", "# 备注\n".repeat(400))
            .flags(&["--max-file-size", "1KiB"])
            .exit(2)
            .code(TOO_LARGE)
            .contains("rules/big.plan"),
        // Unreadable.
        case("unreadable_data_subfolder_is_a_finding_not_the_end")
            .file("data/locked/x.yaml", ECO_MET)
            .setup(Setup::Mode("data/locked", 0o000))
            .exit(2)
            .code(UNREADABLE)
            .contains("data/locked")
            .contains("\"met\":6"),
        case("unreadable_data_file_is_named")
            .setup(Setup::Mode("data/eco.yaml", 0o000))
            .exit(2)
            .code("plancheck::load::io")
            .contains("data/eco.yaml")
            .contains("没有读取权限"),
        case("unreadable_rules_subfolder_is_named")
            .file("rules/locked/x.plan", "")
            .setup(Setup::Mode("rules/locked", 0o000))
            .exit(2)
            .code(UNREADABLE)
            .contains("rules/locked"),
        // Limits.
        case("data_file_over_the_size_limit")
            .file(
                "data/eco.yaml",
                format!("{ECO_MET}{}", "# 备注\n".repeat(200)),
            )
            .flags(&["--max-file-size", "1KiB"])
            .exit(2)
            .code(TOO_LARGE)
            .contains("data/eco.yaml")
            .contains("--max-file-size"),
        case("sparse_200_mb_yaml_refused_from_its_metadata")
            .setup(Setup::Sparse("data/big.yaml", 200 << 20))
            .exit(2)
            .code(TOO_LARGE)
            .contains("data/big.yaml"),
        case("sparse_200_mb_csv_refused_from_its_metadata")
            .setup(Setup::Sparse("data/big.csv", 200 << 20))
            .exit(2)
            .code(TOO_LARGE)
            .contains("data/big.csv"),
        // Found by fuzzing: calamine's arithmetic overflows on this workbook's
        // `<dimension ref>`, a panic inside the reader that must become a finding.
        case("xlsx_whose_dimension_overflows_the_reader")
            .file(
                "data/broken.xlsx",
                include_bytes!("../fixtures/xlsx-dimension-overflow.xlsx").to_vec(),
            )
            .exit(2)
            .code("plancheck::load::syntax")
            .contains("data/broken.xlsx")
            .absent("plancheck::internal"),
        case("xlsx_declaring_one_gib_unpacked")
            .file("data/bomb.xlsx", zip_declaring_one_gib())
            .exit(2)
            .code("plancheck::load::unpacked-too-large")
            .contains("data/bomb.xlsx")
            .contains("1 GiB"),
        case("xlsx_over_the_unpacked_limit")
            .file("data/eco.yaml", "")
            .file("data/eco.xlsx", workbook())
            .args(&[
                "check",
                "--format",
                "json",
                "--max-unpacked-size",
                "1KiB",
                "data/eco.xlsx",
            ])
            .exit(2)
            .code("plancheck::load::unpacked-too-large")
            .contains("data/eco.xlsx"),
        case("xlsx_over_the_cell_limit")
            .file("data/eco.xlsx", workbook())
            .args(&[
                "check",
                "--format",
                "json",
                "--max-cells",
                "10",
                "data/eco.xlsx",
            ])
            .exit(2)
            .code("plancheck::load::too-many-cells")
            .contains("data/eco.xlsx"),
        case("xlsx_within_the_limits_is_read")
            .file("data/eco.yaml", "")
            .file("data/eco.xlsx", workbook())
            .args(&[
                "check",
                "--format",
                "json",
                "--max-cells",
                "16",
                "data/eco.xlsx",
                "data/industry.yaml",
            ])
            .exit(0)
            .contains("\"submissions\":2"),
        case("figures_over_the_per_file_limit")
            .flags(&["--max-figures", "2"])
            .exit(2)
            .code("plancheck::load::too-many-figures")
            .contains("data/eco.yaml"),
        // Encodings.
        case("gbk_csv_names_file_line_and_encoding")
            .file("data/eco.csv", gbk_csv())
            .exit(2)
            .code(ENCODING)
            .contains("data/eco.csv")
            .contains("第 2 行")
            .contains("GBK/GB18030"),
        case("utf16_with_bom_is_named")
            .file("data/eco.yaml", utf16le_with_bom(ECO_MET))
            .exit(2)
            .code(ENCODING)
            .contains("data/eco.yaml")
            .contains("UTF-16LE"),
        case("utf16_without_bom_is_named")
            .file(
                "data/eco.json",
                utf16le("{\"reporter\": \"区生态环境分局\"}"),
            )
            .exit(2)
            .code(ENCODING)
            .contains("data/eco.json")
            .contains("UTF-16"),
        case("latin1_is_not_called_gbk")
            .file("data/x.json", b"{\"reporter\": \"caf\xe9, ok\"}".to_vec())
            .exit(2)
            .code(ENCODING)
            .contains("data/x.json")
            .absent("GBK"),
        case("plan_file_not_utf8_is_named")
            .file("rules/more.plan", b"# \xc7\xf8\n".to_vec())
            .exit(2)
            .code("plancheck::parse::io")
            .contains("rules/more.plan")
            .contains("UTF-8"),
        case("source_in_gbk_names_line_and_encoding")
            .file(
                "rules/source.txt",
                encoding_rs::GBK
                    .encode(&format!("第一行\n{SOURCE}"))
                    .0
                    .into_owned(),
            )
            .exit(2)
            .code(SOURCE_UNREADABLE)
            .contains("rules/source.txt")
            .contains("第 1 行")
            .contains("GBK/GB18030"),
        // Files that are not submissions.
        case("old_xls_in_data_folder_is_an_error_not_a_skip")
            .file("data/water.xls", b"\xd0\xcf\x11\xe0".to_vec())
            .exit(2)
            .code(FORMAT)
            .contains("data/water.xls"),
        case("ods_and_wps_sheets_in_data_folder")
            .file("data/a.ods", "")
            .file("data/b.et", "")
            .exit(2)
            .code(FORMAT)
            .contains("data/a.ods")
            .contains("data/b.et"),
        case("xls_named_on_the_command_line")
            .file("water.xls", "")
            .args(&["check", "--format", "json", "data", "water.xls"])
            .exit(2)
            .code(FORMAT)
            .contains("water.xls"),
        case("other_files_are_listed_in_a_warning")
            .file("data/notes.txt", "")
            .file("data/scan.pdf", "")
            .exit(0)
            .code(SKIPPED)
            .contains("data/notes.txt")
            .contains("data/scan.pdf"),
        case("readme_hidden_and_lock_files_pass_quietly")
            .file("data/README.md", "")
            .file("data/.gitkeep", "")
            .file("data/~$eco.xlsx", "")
            .exit(0)
            .absent(SKIPPED),
        // YAML streams.
        case("yaml_second_document_broken_keeps_the_first")
            .file("data/eco.yaml", format!("{ECO_MET}---\nreporter: [\n"))
            .exit(2)
            .code("plancheck::load::syntax")
            .contains("\"met\":6"),
        // Output.
        case("report_over_a_submission_is_refused")
            .flags(&["--report", "json=data/eco.yaml"])
            .exit(2)
            .contains("data/eco.yaml")
            .contains("拒绝覆盖"),
        case("report_over_a_rule_file_is_refused")
            .flags(&["--report", "junit=rules/plan.plan"])
            .exit(2)
            .contains("拒绝覆盖"),
        case("report_through_a_link_to_a_submission_is_refused")
            .setup(Setup::Link("data/eco.yaml", "out.json"))
            .flags(&["--report", "json=out.json"])
            .exit(2)
            .contains("拒绝覆盖"),
        case("report_to_a_full_disk")
            .flags(&["--report", "sarif=/dev/full"])
            .exit(2)
            .contains("/dev/full"),
        case("stdout_on_a_full_disk")
            .setup(Setup::StdoutFull)
            .exit(2)
            .contains("标准输出"),
    ]
}
