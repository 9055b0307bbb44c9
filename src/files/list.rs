//! The list of data files a run reads, held compactly.

use std::path::{Path, PathBuf};

/// How many paths share one full copy: each other path is kept as what it adds to the one
/// before it, so finding path `i` rebuilds at most this many.
const RESTART: usize = 16;

/// The paths of a run's data files, indexed by `DataFileId`. Sorted paths share long
/// prefixes (`data/兖州区/2023-01.json`, `data/兖州区/2023-02.json`), so each is kept as the
/// length it shares with the one before and the bytes that follow: a national check lists
/// 33,600 files, and a `PathBuf` each (a heap block and 24 bytes) was most of the memory that
/// grew with the number of files.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PathList {
    /// Each path's bytes after the prefix it shares with the one before, one after another.
    bytes: Vec<u8>,
    /// For each path: the length of the prefix shared with the path before (0 at every
    /// `RESTART`th path), and where its own bytes end in `bytes`.
    paths: Vec<(u32, u32)>,
    /// Every path whole, once the bytes would pass 4 GiB and no longer fit `paths`' offsets.
    wide: Option<Vec<PathBuf>>,
}

impl PathList {
    pub fn len(&self) -> usize {
        match &self.wide {
            Some(wide) => wide.len(),
            None => self.paths.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Path `i`, as found.
    pub fn get(&self, i: usize) -> Option<PathBuf> {
        if let Some(wide) = &self.wide {
            return wide.get(i).cloned();
        }
        if i >= self.paths.len() {
            return None;
        }
        let mut path: Vec<u8> = Vec::new();
        for k in (i - i % RESTART)..=i {
            let (shared, end) = *self.paths.get(k)?;
            let start = match k {
                0 => 0,
                _ => self.paths.get(k - 1)?.1,
            };
            path.truncate(usize::try_from(shared).ok()?);
            let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
            path.extend_from_slice(self.bytes.get(start..end)?);
        }
        Some(path_from_bytes(path))
    }

    pub fn iter(&self) -> impl Iterator<Item = PathBuf> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The paths as `PathBuf`s.
    pub fn to_vec(&self) -> Vec<PathBuf> {
        self.iter().collect()
    }

    /// Adds `path`, after `before`; past `limit` bytes (4 GiB, less in a test) every path is
    /// kept whole.
    fn push(&mut self, path: &Path, before: Option<&[u8]>, limit: usize) {
        if let Some(wide) = &mut self.wide {
            return wide.push(path.to_path_buf());
        }
        let bytes = path_bytes(path);
        let shared = match before {
            Some(before) if self.paths.len() % RESTART != 0 => before
                .iter()
                .zip(bytes.iter())
                .take_while(|(a, b)| a == b)
                .count(),
            _ => 0,
        };
        let rest = bytes.get(shared..).unwrap_or_default();
        let end = self.bytes.len().saturating_add(rest.len());
        let fits = end <= limit;
        let (true, Ok(shared), Ok(end)) = (fits, u32::try_from(shared), u32::try_from(end)) else {
            let mut wide = self.to_vec();
            wide.push(path.to_path_buf());
            *self = PathList {
                wide: Some(wide),
                ..PathList::default()
            };
            return;
        };
        self.bytes.extend_from_slice(rest);
        self.paths.push((shared, end));
    }
}

impl<P: AsRef<Path>> FromIterator<P> for PathList {
    fn from_iter<I: IntoIterator<Item = P>>(paths: I) -> Self {
        collect_within(paths, usize::try_from(u32::MAX).unwrap_or(usize::MAX))
    }
}

fn collect_within<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>, limit: usize) -> PathList {
    let mut list = PathList::default();
    let mut before: Option<Vec<u8>> = None;
    for path in paths {
        let path = path.as_ref();
        list.push(path, before.as_deref(), limit);
        before = Some(path_bytes(path).to_vec());
    }
    list.bytes.shrink_to_fit();
    list.paths.shrink_to_fit();
    list
}

/// A path's bytes: on Unix its own, elsewhere its text (Windows paths given to plancheck are
/// text; a path that is not becomes U+FFFD, as `display` shows it).
#[cfg(unix)]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    match path.to_string_lossy() {
        std::borrow::Cow::Borrowed(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
        std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
    }
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

/// (A prefix is cut at a byte, which may fall inside a character; the whole path is always
/// rebuilt before it is read.)
#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::PathList;
    use std::path::{Path, PathBuf};

    #[test]
    fn paths_come_back_as_they_went_in() {
        let paths = [
            "data/兖州区/a.json",
            "data/兖州区/b.json",
            "b.yaml",
            "",
            "data/c d/e.csv",
        ];
        let list: PathList = paths.iter().collect();
        assert_eq!(list.len(), 5);
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(list.get(i), Some(PathBuf::from(path)));
        }
        assert_eq!(list.get(5), None);
        let back: Vec<PathBuf> = list.iter().collect();
        assert_eq!(back, paths.iter().map(PathBuf::from).collect::<Vec<_>>());
        assert!(PathList::default().is_empty());
    }

    #[test]
    fn many_sorted_paths_share_their_prefixes_and_come_back_whole() {
        let paths: Vec<PathBuf> = (0..100)
            .flat_map(|u| {
                (1..=12).map(move |m| format!("submissions/区县单位{u:04}_2023-{m:02}.json"))
            })
            .map(PathBuf::from)
            .collect();
        let list: PathList = paths.iter().collect();
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(list.get(i).as_deref(), Some(path.as_path()), "{i}");
        }
        let whole: usize = paths.iter().map(|p| p.as_os_str().len()).sum();
        assert!(
            list.bytes.len() * 3 < whole,
            "{} of {whole}",
            list.bytes.len()
        );
    }

    #[test]
    fn past_the_byte_limit_every_path_is_kept_whole() {
        let paths: Vec<PathBuf> = (0..40)
            .map(|i| PathBuf::from(format!("data/兖州区/{i:02}.json")))
            .collect();
        let list = super::collect_within(&paths, 100);
        assert!(list.wide.is_some());
        assert_eq!(list.len(), 40);
        assert_eq!(list.to_vec(), paths);
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_kept_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        let names = [
            Path::new(std::ffi::OsStr::from_bytes(b"data/\xff.json")),
            Path::new(std::ffi::OsStr::from_bytes(b"data/\xfe.json")),
        ];
        let list: PathList = names.iter().collect();
        assert_eq!(list.get(0).as_deref(), Some(names[0]));
        assert_eq!(list.get(1).as_deref(), Some(names[1]));
    }
}
