//! The list of data files a run reads, held compactly.

use std::path::{Path, PathBuf};

/// Paths in one buffer rather than a `PathBuf` each: a national check lists 33,600 files, and
/// a heap block and 24 bytes per path were most of the memory that grew with the number of
/// files. Indexed by `DataFileId`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PathList {
    #[cfg(unix)]
    bytes: Vec<u8>,
    /// Where each path ends in `bytes`.
    #[cfg(unix)]
    ends: Vec<usize>,
    /// (Elsewhere a path's bytes cannot be turned back into a path without `unsafe`.)
    #[cfg(not(unix))]
    paths: Vec<PathBuf>,
}

impl PathList {
    pub fn len(&self) -> usize {
        #[cfg(unix)]
        return self.ends.len();
        #[cfg(not(unix))]
        return self.paths.len();
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Path `i`, as found.
    pub fn get(&self, i: usize) -> Option<&Path> {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let end = *self.ends.get(i)?;
            let start = match i {
                0 => 0,
                _ => *self.ends.get(i - 1)?,
            };
            let bytes = self.bytes.get(start..end)?;
            Some(Path::new(std::ffi::OsStr::from_bytes(bytes)))
        }
        #[cfg(not(unix))]
        return self.paths.get(i).map(PathBuf::as_path);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Path> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    pub fn push(&mut self, path: &Path) {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            self.bytes.extend_from_slice(path.as_os_str().as_bytes());
            self.ends.push(self.bytes.len());
        }
        #[cfg(not(unix))]
        self.paths.push(path.to_path_buf());
    }
}

impl<P: AsRef<Path>> FromIterator<P> for PathList {
    fn from_iter<I: IntoIterator<Item = P>>(paths: I) -> Self {
        let mut list = PathList::default();
        for path in paths {
            list.push(path.as_ref());
        }
        list.shrink_to_fit();
        list
    }
}

impl PathList {
    fn shrink_to_fit(&mut self) {
        #[cfg(unix)]
        {
            self.bytes.shrink_to_fit();
            self.ends.shrink_to_fit();
        }
        #[cfg(not(unix))]
        self.paths.shrink_to_fit();
    }

    /// The paths as `PathBuf`s, for a caller that keeps a few.
    pub fn to_vec(&self) -> Vec<PathBuf> {
        self.iter().map(Path::to_path_buf).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::PathList;
    use std::path::Path;

    #[test]
    fn paths_come_back_as_they_went_in() {
        let paths = ["data/兖州区/a.json", "b.yaml", "", "data/c d/e.csv"];
        let list: PathList = paths.iter().collect();
        assert_eq!(list.len(), 4);
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(list.get(i), Some(Path::new(path)));
        }
        assert_eq!(list.get(4), None);
        let back: Vec<&Path> = list.iter().collect();
        assert_eq!(back, paths.iter().map(Path::new).collect::<Vec<_>>());
        assert!(PathList::default().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_kept_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        let name = Path::new(std::ffi::OsStr::from_bytes(b"data/\xff.json"));
        let list: PathList = [name].into_iter().collect();
        assert_eq!(list.get(0), Some(name));
    }
}
