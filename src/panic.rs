//! A panic is a bug in plancheck, never the user's fault, but it must not end a run with exit
//! 101 and nothing written, which CI reads as "broken" with no clue. The command line catches
//! panics around each phase and reports them as a `plancheck::internal` finding (exit 2) that
//! says what plancheck was doing, where it failed and how to report it.

use crate::diagnostic::{Finding, Kind, Severity};
use std::sync::{Mutex, Once};

/// The message and place of the last panic, recorded by the hook for the finding.
static LAST: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the default hook (which prints `thread 'main' panicked at …` and a note about
/// backtraces) with one that records what happened for the finding. Installed once.
pub fn quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut last) = LAST.lock() {
                *last = Some(format!("{message}（{place}）"));
            }
        }));
    });
}

/// What the last panic said and where, if the hook recorded it (the command line installs
/// it; a library user's own hook records nothing here).
pub fn last_panic() -> String {
    LAST.lock()
        .ok()
        .and_then(|mut last| last.take())
        .unwrap_or_default()
}

/// The finding for a panic caught while doing `what`.
pub fn internal_finding(what: &str) -> Finding {
    let detail = last_panic();
    Finding {
        code: "plancheck::internal",
        severity: Severity::Error,
        kind: Kind::Input,
        message: format!("{what}时发生内部错误：{detail}"),
        help: Some(format!(
            "这是 plancheck 的缺陷，不是填报的问题。请把这段信息、所用命令和输入文件一并反馈给 plancheck 的维护者（plancheck {}）",
            env!("CARGO_PKG_VERSION")
        )),
        labels: Vec::new(),
    }
}

/// A deliberate panic for tests of the above: with `PLANCHECK_TEST_PANIC` set to `phase`
/// (`check` or `report`), that phase panics. Nothing else can trigger a panic on purpose,
/// and an unset or other value does nothing; the variable is documented in the README.
pub fn test_seam(phase: &str) {
    if std::env::var_os("PLANCHECK_TEST_PANIC").is_some_and(|v| v == phase) {
        #[allow(clippy::panic)] // the point of the seam
        {
            panic!("PLANCHECK_TEST_PANIC={phase}");
        }
    }
}
