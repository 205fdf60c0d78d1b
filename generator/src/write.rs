//! Stage 7, write: the only stage that touches the output directory.
//!
//! [`Mode::Write`] renders into a temporary sibling directory and swaps it in only when every
//! file was written, so a failed run leaves the existing output untouched; files that did
//! not change are staged as hard links to the ones they replace. [`Mode::Check`]
//! compares in memory and reports stale, missing and extra files with a unified diff.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, ErrorKind};
use crate::format::OutputFile;

/// What [`apply`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// The difference between the output directory and what the generator produces.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Files whose contents differ.
    pub stale: Vec<String>,
    /// Files the generator produces that are not there.
    pub missing: Vec<String>,
    /// Files there that the generator no longer produces.
    pub extra: Vec<String>,
    /// A unified diff of the stale files.
    pub diff: String,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Writes the files into `out` (replacing it whole), or checks `out` against them.
pub fn apply(out: &Path, files: &[OutputFile], mode: Mode) -> Result<Drift, Error> {
    match mode {
        Mode::Check => check(out, files),
        Mode::Write => write(out, files).map(|()| Drift::default()),
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::new(
        &path.display().to_string(),
        "",
        ErrorKind::Write {
            path: path.display().to_string(),
            source,
        },
    )
}

/// Stages an unchanged file as a hard link to the one it replaces: a regeneration mostly
/// reproduces what is there, and linking allocates no inode, where creating thousands of
/// files right after deleting thousands (the previous swap's old tree) makes ext4 search for
/// free inodes, at up to ten times the cost. Unchanged files also keep their modification
/// time. `false` when the file is new, differs, or cannot be linked: then it is written.
fn link_if_unchanged(previous: &Path, staged: &Path, contents: &str) -> bool {
    let same_len = std::fs::metadata(previous).is_ok_and(|m| m.len() == contents.len() as u64);
    same_len
        && std::fs::read(previous).is_ok_and(|old| old == contents.as_bytes())
        && std::fs::hard_link(previous, staged).is_ok()
}

fn write(out: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.generating-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io(&staging, e))?;
    }
    let result = (|| {
        let dirs: BTreeSet<&Path> = files
            .iter()
            .filter_map(|f| Path::new(&f.path).parent())
            .collect();
        for dir in dirs {
            let dir = staging.join(dir);
            std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        files.par_iter().try_for_each(|file| {
            let path = staging.join(&file.path);
            if !link_if_unchanged(&out.join(&file.path), &path, &file.contents) {
                std::fs::write(&path, &file.contents).map_err(|e| io(&path, e))?;
            }
            Ok(())
        })
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old).map_err(|e| io(out, e))?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if old.exists() {
            let _ = std::fs::rename(&old, out);
        }
        return Err(io(out, e));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
    }
    Ok(())
}

fn existing_files(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(out) {
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

fn check(out: &Path, files: &[OutputFile]) -> Result<Drift, Error> {
    let mut drift = Drift::default();
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let path = out.join(&file.path);
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == file.contents => {}
            Ok(existing) => {
                drift.stale.push(file.path.clone());
                let diff = similar::TextDiff::from_lines(&existing, &file.contents);
                drift.diff.push_str(
                    &diff
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
                        .to_string(),
                );
            }
            Err(_) => drift.missing.push(file.path.clone()),
        }
    }
    drift.extra = existing_files(out)
        .into_iter()
        .filter(|f| !produced.contains(f.as_str()) && f != "Cargo.lock")
        .collect();
    Ok(drift)
}

#[cfg(all(test, unix))]
mod link_tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn unchanged_files_are_linked_changed_and_new_ones_written_and_removed_ones_gone() {
        let root = std::env::temp_dir().join(format!("write-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let out = root.join("crate");
        let first = [
            file("src/same.rs", "same\n"),
            file("src/changed.rs", "old\n"),
            file("src/gone.rs", "gone\n"),
        ];
        apply(&out, &first, Mode::Write).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, changed) = (inode("src/same.rs"), inode("src/changed.rs"));

        let second = [
            file("src/same.rs", "same\n"),
            file("src/changed.rs", "new!\n"),
            file("src/new/added.rs", "added\n"),
        ];
        apply(&out, &second, Mode::Write).unwrap();
        assert_eq!(
            inode("src/same.rs"),
            same,
            "an unchanged file is the same inode"
        );
        assert_ne!(inode("src/changed.rs"), changed);
        assert_eq!(
            std::fs::metadata(out.join("src/same.rs")).unwrap().nlink(),
            1
        );
        assert_eq!(
            std::fs::read_to_string(out.join("src/changed.rs")).unwrap(),
            "new!\n"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("src/new/added.rs")).unwrap(),
            "added\n"
        );
        assert!(!out.join("src/gone.rs").exists());
        assert!(apply(&out, &second, Mode::Check).unwrap().is_empty());
        let leftovers: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old tree is left behind");
        let _ = std::fs::remove_dir_all(&root);
    }
}
