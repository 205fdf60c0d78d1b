//! Stage 7, write: the only stage that touches the output directory.
//!
//! [`Mode::Write`] renders into a temporary sibling directory and swaps it in only when every
//! file was written, so a failed run leaves the existing output untouched. [`Mode::Check`]
//! compares in memory and reports stale, missing and extra files with a unified diff.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
        for file in files {
            let path = staging.join(&file.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            }
            std::fs::write(&path, &file.contents).map_err(|e| io(&path, e))?;
        }
        Ok(())
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
