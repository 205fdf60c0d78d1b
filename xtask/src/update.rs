//! `update-spec`: imports a new public definition into `spec/` (as `import-spec` does,
//! overlays kept), reports what changed, bumps `spec/VERSION` by the report's semver bump,
//! prepends the report to `spec/CHANGELOG.md`, and regenerates the client.
//!
//! Everything is staged first, in a sibling directory of `spec/`: the download, a copy of
//! `spec/` with the new `public.json`, `SOURCE`, `VERSION` and `CHANGELOG.md`, the lowering
//! of both sides and the generated files (in memory). Only when all of that succeeded are
//! `spec/` and the client swapped in; a failure before or during the swap leaves both as
//! they were.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use generator::diff::{self, Bump, Report};
use generator::write::{self, Mode};

use crate::{fetch, import};

/// What to update.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// A file path or an `http(s)://` URL.
    pub from: String,
    /// Tags to import; `None` reuses the `tags:` line of `spec/SOURCE`.
    pub tags: Option<Vec<String>>,
    /// The spec directory (`spec/`).
    pub spec: PathBuf,
    /// The generated client (`generated-client/`).
    pub out: PathBuf,
    pub crate_name: String,
    pub dump_dir: PathBuf,
}

/// What an update did.
#[derive(Debug, Clone)]
pub struct Updated {
    pub report: Report,
    pub old_version: String,
    pub new_version: String,
    /// The changelog entry (the report as Markdown, under the version's heading).
    pub entry: String,
    pub files: usize,
}

/// Removes the staging directory however the update ends.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the whole update; on error nothing under `spec` or `out` has changed.
pub fn update_spec(opts: &UpdateOptions) -> Result<Updated> {
    if !opts.spec.join("public.json").is_file() {
        bail!(
            "{} is not a spec directory (no public.json)",
            opts.spec.display()
        );
    }
    let old_note = std::fs::read_to_string(opts.spec.join("SOURCE")).unwrap_or_default();
    let tags = match &opts.tags {
        Some(tags) => tags.clone(),
        None => import::source_tags(&old_note).ok_or_else(|| {
            anyhow!(
                "--tags is required: {} names no tags",
                opts.spec.join("SOURCE").display()
            )
        })?,
    };
    let parent = opts
        .spec
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let spec_name = opts
        .spec
        .file_name()
        .context("the spec directory needs a name")?;
    let staging = Staging(parent.join(format!(".update-spec-{}", std::process::id())));
    if staging.0.exists() {
        std::fs::remove_dir_all(&staging.0)
            .with_context(|| format!("clearing {}", staging.0.display()))?;
    }
    std::fs::create_dir_all(staging.0.join("download"))
        .with_context(|| format!("creating {}", staging.0.display()))?;

    // 1. The new definition, on disk.
    let (definition, origin) = if fetch::is_url(&opts.from) {
        let path = staging
            .0
            .join("download")
            .join(fetch::file_name(&opts.from));
        fetch::download(&opts.from, &path)?;
        (path, Some(opts.from.as_str()))
    } else {
        (PathBuf::from(&opts.from), None)
    };

    // 2. A staged copy of spec/ with the new public.json and SOURCE.
    let staged = staging.0.join(spec_name);
    copy_dir(&opts.spec, &staged)?;
    let imported = import::import_spec(&definition, origin, &tags, &staged)
        .with_context(|| format!("importing {}", opts.from))?;

    // 3. What changed.
    let before = crate::diff::lower(&opts.spec, None)?;
    let after = crate::diff::lower(&staged, None)
        .with_context(|| format!("the new definition {} does not generate", opts.from))?;
    let mut report = diff::diff(&before, &after);
    report.from = import::source_field(&old_note, "file")
        .unwrap_or("spec")
        .to_owned();
    report.to = import::source_field(&imported.source_note, "file")
        .unwrap_or("spec")
        .to_owned();

    // 4. Version and changelog.
    let old_version = std::fs::read_to_string(staged.join("VERSION"))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|_| "0.1.0".into());
    let new_version = diff::next_version(&old_version, report.bump)
        .map_err(|e| anyhow!("{}: {e}", opts.spec.join("VERSION").display()))?;
    let date = import::source_field(&imported.source_note, "date").unwrap_or("undated");
    let entry = diff::markdown(&report, &format!("{new_version} ({date})"), 2);
    if report.bump != Bump::None {
        std::fs::write(staged.join("VERSION"), format!("{new_version}\n"))?;
        let changelog_path = staged.join("CHANGELOG.md");
        let changelog = std::fs::read_to_string(&changelog_path).unwrap_or_default();
        std::fs::write(&changelog_path, prepend(&changelog, &entry))
            .with_context(|| format!("writing {}", changelog_path.display()))?;
    }

    // 5. The client, in memory.
    let mut config = generator::Config::new(&staged);
    config.crate_name = opts.crate_name.clone();
    config.dump_dir = opts.dump_dir.clone();
    let generated = generator::generate(&config)
        .with_context(|| format!("generating the client from {}", opts.from))?;

    // 6. Swap: spec/ first (a rename each way), then the client (itself staged and
    // renamed by `write`); a failed client write puts the old spec/ back.
    let old_spec = staging.0.join("previous-spec");
    std::fs::rename(&opts.spec, &old_spec)
        .with_context(|| format!("moving {} aside", opts.spec.display()))?;
    if let Err(e) = std::fs::rename(&staged, &opts.spec) {
        std::fs::rename(&old_spec, &opts.spec)
            .with_context(|| format!("restoring {}", opts.spec.display()))?;
        return Err(e).with_context(|| format!("replacing {}", opts.spec.display()));
    }
    if let Err(e) = write::apply(&opts.out, &generated.files, Mode::Write) {
        let failed = staging.0.join("failed-spec");
        std::fs::rename(&opts.spec, &failed)
            .and_then(|()| std::fs::rename(&old_spec, &opts.spec))
            .with_context(|| format!("restoring {}", opts.spec.display()))?;
        return Err(e).context("writing the client");
    }
    Ok(Updated {
        report,
        old_version,
        new_version,
        entry,
        files: generated.files.len(),
    })
}

/// The changelog with `entry` first, below its `# ` title when it has one.
pub fn prepend(changelog: &str, entry: &str) -> String {
    let entry = entry.trim_end();
    match changelog.split_once('\n') {
        Some((title, rest)) if title.starts_with("# ") => {
            format!("{title}\n\n{entry}\n\n{}\n", rest.trim())
                .trim_end()
                .to_owned()
                + "\n"
        }
        _ if changelog.trim().is_empty() => format!("# Changelog\n\n{entry}\n"),
        _ => format!("{entry}\n\n{}\n", changelog.trim()),
    }
}

/// Copies a directory tree (files and folders; the spec holds nothing else).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).with_context(|| {
                format!("copying {} to {}", entry.path().display(), target.display())
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::prepend;

    #[test]
    fn entries_go_below_the_title() {
        assert_eq!(
            prepend(
                "# Changelog\n\n## 0.1.0\n\nFirst.\n",
                "## 0.2.0\n\nSecond.\n"
            ),
            "# Changelog\n\n## 0.2.0\n\nSecond.\n\n## 0.1.0\n\nFirst.\n"
        );
        assert_eq!(prepend("", "## 0.2.0\n"), "# Changelog\n\n## 0.2.0\n");
        assert_eq!(
            prepend("## 0.1.0\n", "## 0.2.0\n"),
            "## 0.2.0\n\n## 0.1.0\n"
        );
    }
}
