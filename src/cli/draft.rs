//! `plancheck draft SOURCE [-o DIR]`: argv to `draft::draft`, the plan to stdout or a file.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct DraftArgs {
    /// The plan document (a .txt file of the plan's text).
    pub source: PathBuf,
    /// Write the draft to DIR/<name of SOURCE>.plan instead of stdout; the draft's `source`
    /// then points from DIR to SOURCE.
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Largest source document read.
    #[arg(long, value_name = "SIZE", value_parser = crate::files::parse_size, default_value = "16MiB")]
    pub max_source_size: u64,
}

pub fn draft(args: &DraftArgs) -> u8 {
    let shown = args.source.display().to_string();
    let bytes =
        match crate::files::read_regular(&args.source, args.max_source_size, "--max-source-size") {
            Ok(bytes) => bytes,
            Err(refusal) => {
                eprintln!("error: 无法读取原文 {shown}：{}", refusal.describe());
                return 2;
            }
        };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Where, and the likely encoding (a GBK file saved by Chinese Word or WPS).
            let reason = crate::files::not_utf8_reason(e.as_bytes());
            eprintln!("error: 原文 {shown} {reason}");
            return 2;
        }
    };
    let text = crate::source::normalize_newlines(&text).into_owned();
    let Some(dir) = &args.out else {
        let (plan, counts) = crate::draft::draft(&text, &slashed(&args.source));
        eprintln!("{}", summary(&counts));
        return super::print(&plan);
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: 无法创建目录 {}：{e}", dir.display());
        return 2;
    }
    let cited = relative(dir, &args.source).unwrap_or_else(|| args.source.clone());
    let (plan, counts) = crate::draft::draft(&text, &slashed(&cited));
    let stem = args
        .source
        .file_stem()
        .map_or_else(|| "draft".to_owned(), |s| s.to_string_lossy().into_owned());
    let path = dir.join(format!("{stem}.plan"));
    if let Err(e) = std::fs::write(&path, plan) {
        eprintln!("error: 无法写入 {}：{e}", path.display());
        return 2;
    }
    eprintln!("已写入 {}；{}", path.display(), summary(&counts));
    0
}

fn summary(counts: &crate::draft::Counts) -> String {
    format!(
        "草稿：任务 {} 项，规则 {} 条，里程碑 {} 条，跳过 {} 处，待核对 {} 处（# check:）",
        counts.tasks, counts.rules, counts.milestones, counts.skips, counts.checks
    )
}

/// A path as a plan writes it, with `/` between parts on every system.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}

/// `target` relative to the folder `from`, both resolved on disk.
fn relative(from: &Path, target: &Path) -> Option<PathBuf> {
    let from = std::fs::canonicalize(from).ok()?;
    let target = std::fs::canonicalize(target).ok()?;
    let a: Vec<Component<'_>> = from.components().collect();
    let b: Vec<Component<'_>> = target.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut path = PathBuf::new();
    for _ in common..a.len() {
        path.push("..");
    }
    for part in b.iter().skip(common) {
        path.push(part.as_os_str());
    }
    Some(path)
}
