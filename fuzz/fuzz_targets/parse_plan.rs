//! Any text parsed as a `.plan` file gives a plan and findings without a panic, including the
//! line-by-line recovery that runs on every line that fails.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plancheck::parse::parse_files;
use plancheck::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // A `source "…"` line reads the file it names; keep the fuzzer away from device files,
    // which would block or never end rather than find a bug in the parser.
    if ["dev/", "proc/", "sys/", "fd/"]
        .iter()
        .any(|dir| text.contains(dir))
    {
        return;
    }
    let file = SourceFile::new("fuzz/nowhere/fuzz.plan", &text);
    let _ = parse_files(vec![file]);
});
