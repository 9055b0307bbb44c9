//! What plancheck reads, and how: regular files inside the paths it was given, within limits.
//!
//! plancheck runs in CI on files other people submit, and git commits symbolic links. Every
//! file it opens (rules, the plan's source document, data files) goes through here:
//!
//! - `walk` expands the paths given on the command line. It follows a link only when the
//!   link's target lies inside one of those paths, reads each file once however many links
//!   lead to it, and reports loops, dangling links and unreadable folders as findings
//!   instead of hanging or stopping.
//! - `read_regular` reads one file. It checks the metadata first and refuses anything that is
//!   not a regular file (a FIFO would block, `/dev/zero` never ends) and anything larger than
//!   the limit, then opens without blocking and reads at most the limit, so a file that grows
//!   or is swapped after the check is still bounded.

pub mod list;
pub mod walk;

use crate::diagnostic::{Finding, Kind, Severity};
use std::io::Read;
use std::path::Path;

/// Upper bounds on what one run reads. Generous for real plans (a department's file is a few
/// kilobytes, the plan's text a few hundred), small enough that hostile input cannot exhaust
/// memory; each can be raised on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one data or rule file (`--max-file-size`).
    pub file_bytes: u64,
    /// Bytes of the plan's source document (`--max-source-size`).
    pub source_bytes: u64,
    /// Bytes an .xlsx workbook declares once unpacked (`--max-unpacked-size`).
    pub unpacked_bytes: u64,
    /// Cells of one workbook (`--max-cells`).
    pub cells: u64,
    /// Figures of one data file (`--max-figures`).
    pub figures: u64,
}

impl Default for Limits {
    fn default() -> Self {
        const MIB: u64 = 1024 * 1024;
        Limits {
            file_bytes: 32 * MIB,
            source_bytes: 16 * MIB,
            unpacked_bytes: 256 * MIB,
            cells: 2_000_000,
            figures: 500_000,
        }
    }
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    PermissionDenied,
    /// A FIFO, a device, a socket or a directory: what it is, in words.
    NotRegular(&'static str),
    /// Larger than `limit` bytes; `flag` is the option that raises the limit.
    TooLarge {
        size: u64,
        limit: u64,
        flag: &'static str,
    },
    Other(String),
}

impl Refusal {
    pub fn from_io(error: &std::io::Error) -> Refusal {
        match error.kind() {
            std::io::ErrorKind::NotFound => Refusal::NotFound,
            std::io::ErrorKind::PermissionDenied => Refusal::PermissionDenied,
            std::io::ErrorKind::IsADirectory => Refusal::NotRegular("目录"),
            _ => Refusal::Other(error.to_string()),
        }
    }

    /// The reason in words, for a message that already names the file.
    pub fn describe(&self) -> String {
        match self {
            Refusal::NotFound => "文件不存在".to_owned(),
            Refusal::PermissionDenied => "没有读取权限".to_owned(),
            Refusal::NotRegular(what) => format!("这是{what}，不是普通文件，未读取"),
            Refusal::TooLarge { size, limit, flag } => format!(
                "文件大小 {} 超过上限 {}（可用 {flag} 调整），未读取",
                bytes(*size),
                bytes(*limit)
            ),
            Refusal::Other(reason) => reason.clone(),
        }
    }

    /// The code of the finding this refusal becomes, when it is about the file itself
    /// rather than an ordinary read error.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Refusal::NotRegular(_) => Some("plancheck::files::not-regular"),
            Refusal::TooLarge { .. } => Some("plancheck::files::too-large"),
            _ => None,
        }
    }
}

/// What a file that is not regular is, in words.
pub fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "命名管道（FIFO）";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "设备文件";
        }
        if file_type.is_socket() {
            return "套接字";
        }
    }
    if file_type.is_dir() {
        "目录"
    } else if file_type.is_symlink() {
        "符号链接"
    } else {
        "特殊文件"
    }
}

/// Reads `path` if it is a regular file of at most `limit` bytes; `flag` names the option
/// that raises the limit.
pub fn read_regular(path: &Path, limit: u64, flag: &'static str) -> Result<Vec<u8>, Refusal> {
    let meta = std::fs::metadata(path).map_err(|e| Refusal::from_io(&e))?;
    if !meta.is_file() {
        return Err(Refusal::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(Refusal::TooLarge {
            size: meta.len(),
            limit,
            flag,
        });
    }
    let file = open_nonblocking(path).map_err(|e| Refusal::from_io(&e))?;
    // The path may have been swapped between the check and the open: check what was opened.
    let opened = file.metadata().map_err(|e| Refusal::from_io(&e))?;
    if !opened.is_file() {
        return Err(Refusal::NotRegular(kind_of(opened.file_type())));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Refusal::from_io(&e))?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(Refusal::TooLarge { size, limit, flag });
    }
    Ok(bytes)
}

/// Reads a regular file of UTF-8 text within the file-size limit, for commands that take
/// files one by one (`fmt`, `test`): the reason in words when it cannot, for a message that
/// names the file.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_regular(path, Limits::default().file_bytes, "--max-file-size")
        .map_err(|refusal| refusal.describe())?;
    String::from_utf8(bytes).map_err(|e| not_utf8_reason(e.as_bytes()))
}

/// Opens for reading without blocking: opening a FIFO for reading otherwise waits for a
/// writer forever.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The encoding text that is not UTF-8 is most likely in: UTF-16 (by its byte-order mark, or
/// by the zero bytes of ASCII in it), else GBK/GB18030 if it decodes as such, which the
/// Chinese editions of Excel and Notepad write.
pub fn likely_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("UTF-16LE（带 BOM）");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16BE（带 BOM）");
    }
    let sample = bytes.get(..4096).unwrap_or(bytes);
    let zeros = sample.iter().filter(|b| **b == 0).count();
    if zeros * 4 >= sample.len() && zeros > 0 {
        return Some("UTF-16");
    }
    let (_, malformed) = encoding_rs::GB18030.decode_without_bom_handling(sample);
    // The sample may end inside a character; only an error before its last bytes counts.
    if !malformed || sample.len() < bytes.len() && gb18030_clean_prefix(sample) {
        return Some("GBK/GB18030");
    }
    None
}

/// Whether `sample`, cut at an arbitrary byte, decodes as GB18030 up to its last four bytes.
fn gb18030_clean_prefix(sample: &[u8]) -> bool {
    let cut = sample.len().saturating_sub(4);
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(sample.len() * 3);
    let (result, read) = decoder.decode_to_string_without_replacement(
        sample.get(..cut).unwrap_or(sample),
        &mut out,
        false,
    );
    !matches!(result, encoding_rs::DecoderResult::Malformed(..)) && read >= cut
}

/// Why `bytes` are not UTF-8 text, in words: where decoding fails and the likely encoding.
pub fn not_utf8_reason(bytes: &[u8]) -> String {
    let offset = match std::str::from_utf8(bytes) {
        Ok(_) => return String::new(),
        Err(err) => err.valid_up_to(),
    };
    let line = bytes
        .get(..offset)
        .unwrap_or_default()
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    match likely_encoding(bytes) {
        Some(encoding) => format!("不是 UTF-8 编码：第 {line} 行起无法解码，疑似 {encoding} 编码"),
        None => format!("不是 UTF-8 编码：第 {line} 行起无法解码"),
    }
}

/// A size in the unit a person reads: bytes, KiB, MiB or GiB.
pub fn bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size && n % size == 0 {
            return format!("{} {unit}", n / size);
        }
        if n >= size {
            let tenths = n.saturating_mul(10) / size;
            return format!("{}.{} {unit}", tenths / 10, tenths % 10);
        }
    }
    format!("{n} 字节")
}

/// Reads a size written `64MiB`, `64M`, `512k`, `2G` or a plain number of bytes (for the
/// command line).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits_end);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("expected a size such as 64MiB, got `{text}`")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("expected a size such as 64MiB, got `{text}`"))
}

/// A finding about a file as a whole: no span to point at, so the message names the path.
pub fn finding(code: &'static str, message: String, help: &str) -> Finding {
    Finding {
        code,
        severity: Severity::Error,
        kind: Kind::Input,
        message,
        help: Some(help.to_owned()),
        labels: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sizes_read_and_print() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("x").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(bytes(32 << 20), "32 MiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(12), "12 字节");
    }

    #[test]
    fn reads_only_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular(&file, 5, "--x").unwrap(), b"12345");
        assert!(matches!(
            read_regular(&file, 4, "--x"),
            Err(Refusal::TooLarge { size: 5, .. })
        ));
        assert_eq!(
            read_regular(dir.path(), 5, "--x"),
            Err(Refusal::NotRegular("目录"))
        );
        assert_eq!(
            read_regular(&dir.path().join("none"), 5, "--x"),
            Err(Refusal::NotFound)
        );
        #[cfg(unix)]
        assert_eq!(
            read_regular(Path::new("/dev/zero"), 5, "--x"),
            Err(Refusal::NotRegular("设备文件"))
        );
    }
}
