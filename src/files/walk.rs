//! Expanding the paths given on the command line into the files below them.
//!
//! The paths the user gives are the roots. Inside a root:
//!
//! - a symbolic link is followed only if its target, fully resolved, lies inside one of the
//!   roots; a link out of them (`passwd -> /etc/passwd`) is refused with a finding;
//! - a link to a folder already being walked (`loop -> .`) is a loop: a finding, and the
//!   folder is not entered again; a link to a folder walked elsewhere is not walked twice;
//! - each file is listed once, however many links lead to it;
//! - a dangling link and a folder that cannot be read are findings, and the walk goes on;
//! - a FIFO, device or socket with a wanted name is refused without being opened.
//!
//! Entries are visited in name order, so runs are reproducible.

use super::{finding, kind_of};
use crate::diagnostic::Finding;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The files found, as paths below the roots the user gave.
#[derive(Debug, Default)]
pub struct Walk {
    /// Wanted files, each once, in walk order.
    pub files: Vec<PathBuf>,
    /// Files inside a walked folder that are not wanted (regular or not, never opened), for
    /// the caller to list.
    pub skipped: Vec<PathBuf>,
    pub findings: Vec<Finding>,
}

/// Walks `roots`. A root that is a file is taken as it is, wanted or not: the user named it.
pub fn walk(roots: &[PathBuf], wanted: &dyn Fn(&Path) -> bool) -> Walk {
    let mut walker = Walker {
        wanted,
        roots: Vec::new(),
        seen_dirs: HashSet::new(),
        listed_dirs: HashSet::new(),
        reached: Vec::new(),
        out: Walk::default(),
    };
    // Resolve every root first: a link in one root may point into another.
    let mut resolved = Vec::new();
    for root in roots {
        match std::fs::canonicalize(root) {
            Ok(canonical) => {
                walker.roots.push(canonical.clone());
                resolved.push((root, canonical));
            }
            Err(error) => walker.out.findings.push(not_found(root, &error)),
        }
    }
    for (root, canonical) in resolved {
        match std::fs::metadata(&canonical) {
            Ok(meta) if meta.is_dir() => walker.dir(root, &canonical, &mut Vec::new()),
            Ok(meta) if meta.is_file() => walker.reached(root.clone(), canonical),
            Ok(meta) => walker
                .out
                .findings
                .push(not_regular(root, kind_of(meta.file_type()))),
            Err(error) => walker.out.findings.push(unreadable(root, &error)),
        }
    }
    walker.finish()
}

/// Each file is listed once without resolving the path of every file found: files listed from
/// their folder are distinct, since no folder is walked twice, so only a file reached another
/// way (through a link, or named as a root) can be listed twice, and only those are resolved.
/// A national check lists 33,600 files; a resolved path of each was most of the walk's memory.
struct Walker<'w> {
    wanted: &'w dyn Fn(&Path) -> bool,
    /// The roots, resolved.
    roots: Vec<PathBuf>,
    /// Folders entered (resolved), so that none is walked twice.
    seen_dirs: HashSet<PathBuf>,
    /// Folders whose entries were listed (resolved): every wanted regular file in one of them
    /// is listed by the path it was found at.
    listed_dirs: HashSet<PathBuf>,
    /// Files reached through a link or named as a root: resolved, with their place in
    /// `out.files`.
    reached: Vec<(PathBuf, usize)>,
    out: Walk,
}

impl Walker<'_> {
    fn inside_roots(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|root| canonical.starts_with(root))
    }

    /// A file reached through a link or named as a root, resolved: `canonical`.
    fn reached(&mut self, path: PathBuf, canonical: PathBuf) {
        self.reached.push((canonical, self.out.files.len()));
        self.out.files.push(path);
    }

    /// Drops each file reached through a link or as a root that is also listed from its
    /// folder, or was reached before: the first way to it in walk order is kept, a folder's
    /// own listing before any other.
    fn finish(mut self) -> Walk {
        let mut targets = HashSet::new();
        let mut dropped = HashSet::new();
        for (target, at) in std::mem::take(&mut self.reached) {
            let listed = target
                .parent()
                .is_some_and(|dir| self.listed_dirs.contains(dir))
                && (self.wanted)(&target);
            if listed || !targets.insert(target) {
                dropped.insert(at);
            }
        }
        if !dropped.is_empty() {
            let mut at = 0;
            self.out.files.retain(|_| {
                at += 1;
                !dropped.contains(&(at - 1))
            });
        }
        self.out
    }

    /// Walks the folder `path` (resolved: `canonical`); `open` holds the folders being walked
    /// around it, to tell a loop from a second way into a folder.
    fn dir(&mut self, path: &Path, canonical: &Path, open: &mut Vec<PathBuf>) {
        if !self.seen_dirs.insert(canonical.to_path_buf()) {
            return;
        }
        // Each entry's path is made once and, for a file, kept as the path listed: a national
        // folder holds 33,600 files.
        let mut entries: Vec<(PathBuf, std::io::Result<std::fs::FileType>)> =
            match std::fs::read_dir(path) {
                Ok(entries) => entries
                    .map(|entry| match entry {
                        Ok(entry) => (entry.path(), entry.file_type()),
                        Err(error) => (path.to_path_buf(), Err(error)),
                    })
                    .collect(),
                Err(error) => return self.out.findings.push(unreadable(path, &error)),
            };
        // In one folder, paths sort as their names do.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.listed_dirs.insert(canonical.to_path_buf());
        open.push(canonical.to_path_buf());
        for (child, file_type) in entries {
            let file_type = match file_type {
                Ok(file_type) => file_type,
                Err(error) => {
                    self.out.findings.push(unreadable(&child, &error));
                    continue;
                }
            };
            if file_type.is_symlink() {
                self.link(&child, open);
            } else if file_type.is_dir() {
                let name = child.file_name().unwrap_or_default();
                self.dir(&child, &canonical.join(name), open);
            } else {
                self.entry(child, file_type, None);
            }
        }
        open.pop();
    }

    /// A file found in a folder, or, `resolved`, through a link: listed, skipped or refused.
    fn entry(&mut self, path: PathBuf, file_type: std::fs::FileType, resolved: Option<PathBuf>) {
        let wanted = (self.wanted)(&path);
        if !file_type.is_file() {
            // Never opened: reading a FIFO blocks and a device may never end.
            if wanted {
                self.out
                    .findings
                    .push(not_regular(&path, kind_of(file_type)));
            } else {
                self.out.skipped.push(path);
            }
            return;
        }
        if wanted {
            match resolved {
                Some(canonical) => self.reached(path, canonical),
                None => self.out.files.push(path),
            }
        } else {
            self.out.skipped.push(path);
        }
    }

    fn link(&mut self, path: &Path, open: &mut Vec<PathBuf>) {
        let target = match std::fs::canonicalize(path) {
            Ok(target) => target,
            Err(error) => {
                let written = std::fs::read_link(path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                // ELOOP: a chain of links that never ends.
                let looped = is_eloop(&error);
                let message = if looped {
                    format!(
                        "符号链接 {} 构成循环（指向 {written}），未跟随",
                        path.display()
                    )
                } else {
                    format!(
                        "符号链接 {} 指向的 {written} 不存在（悬空链接）",
                        path.display()
                    )
                };
                let code = if looped {
                    "plancheck::files::link-loop"
                } else {
                    "plancheck::files::dangling-link"
                };
                self.out.findings.push(finding(
                    code,
                    message,
                    "删除这个链接，或让它指向存在的文件。",
                ));
                return;
            }
        };
        if !self.inside_roots(&target) {
            self.out.findings.push(finding(
                "plancheck::files::outside-root",
                format!(
                    "符号链接 {} 指向给定路径之外的 {}，未读取",
                    path.display(),
                    target.display()
                ),
                "plancheck 只读取命令行所给目录之内的文件；请把文件本身放进目录，或在命令行直接给出它的路径。",
            ));
            return;
        }
        match std::fs::metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                if open.contains(&target) {
                    self.out.findings.push(finding(
                        "plancheck::files::link-loop",
                        format!(
                            "符号链接 {} 指回它所在的目录 {}，构成循环，未跟随",
                            path.display(),
                            target.display()
                        ),
                        "删除这个链接：目录中的文件已经读取。",
                    ));
                } else {
                    self.dir(path, &target, open);
                }
            }
            Ok(meta) => self.entry(path.to_path_buf(), meta.file_type(), Some(target)),
            Err(error) => self.out.findings.push(unreadable(path, &error)),
        }
    }
}

fn is_eloop(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    return error.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    return false;
}

fn not_found(path: &Path, error: &std::io::Error) -> Finding {
    if error.kind() == std::io::ErrorKind::NotFound {
        let dangling = std::fs::symlink_metadata(path).is_ok();
        let message = if dangling {
            format!("符号链接 {} 指向的文件不存在（悬空链接）", path.display())
        } else {
            format!("找不到 {}", path.display())
        };
        let code = if dangling {
            "plancheck::files::dangling-link"
        } else {
            "plancheck::files::not-found"
        };
        return finding(code, message, "检查路径是否正确。");
    }
    unreadable(path, error)
}

fn unreadable(path: &Path, error: &std::io::Error) -> Finding {
    finding(
        "plancheck::files::unreadable",
        format!(
            "无法读取 {}：{}",
            path.display(),
            super::Refusal::from_io(error).describe()
        ),
        "检查这个目录或文件的权限；其余文件照常检查。",
    )
}

fn not_regular(path: &Path, what: &str) -> Finding {
    finding(
        "plancheck::files::not-regular",
        format!("{} 是{what}，不是普通文件，未读取", path.display()),
        "plancheck 只读取普通文件：命名管道会让读取无限等待，设备文件可能没有尽头。",
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn names(walk: &Walk, base: &Path) -> Vec<String> {
        walk.files
            .iter()
            .map(|p| p.strip_prefix(base).unwrap().display().to_string())
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_followed_once_and_loops_and_escapes_are_findings() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/x.json"), "{}").unwrap();
        std::fs::write(root.join("notes.txt"), "").unwrap();
        std::fs::write(dir.path().join("secret.json"), "{}").unwrap();
        symlink(".", root.join("loop")).unwrap();
        symlink("..", root.join("a/up")).unwrap();
        symlink("a", root.join("b")).unwrap();
        symlink("a/x.json", root.join("y.json")).unwrap();
        symlink("../secret.json", root.join("s.json")).unwrap();
        symlink("gone.json", root.join("d.json")).unwrap();
        let walk = walk(std::slice::from_ref(&root), &|p| {
            p.extension().is_some_and(|e| e == "json")
        });
        assert_eq!(names(&walk, &root), ["a/x.json"]);
        let codes: Vec<&str> = walk.findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "plancheck::files::link-loop",
                "plancheck::files::dangling-link",
                "plancheck::files::link-loop",
                "plancheck::files::outside-root",
            ]
        );
        assert_eq!(walk.skipped, [root.join("notes.txt")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_several_ways_is_listed_once_from_its_folder() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::write(root.join("real/x.json"), "{}").unwrap();
        std::fs::write(root.join("real/notes.txt"), "").unwrap();
        // Sorts before the folder it points into.
        symlink("real/x.json", root.join("0.json")).unwrap();
        symlink("real/x.json", root.join("1.json")).unwrap();
        // A wanted name for a file its folder does not list as wanted.
        symlink("real/notes.txt", root.join("notes.json")).unwrap();
        let roots = [
            root.join("real/x.json"),
            root.clone(),
            root.join("real/x.json"),
        ];
        let walk = walk(&roots, &|p| p.extension().is_some_and(|e| e == "json"));
        assert_eq!(names(&walk, &root), ["notes.json", "real/x.json"]);
        assert_eq!(walk.findings.len(), 0);
    }

    #[test]
    fn the_same_file_named_twice_is_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.json");
        std::fs::write(&file, "{}").unwrap();
        let walk = walk(&[file.clone(), file.clone()], &|_| true);
        assert_eq!(walk.files, [file]);
    }
}
