//! `update-spec`: imports a new public definition into `spec/` (as `import-spec` does,
//! overlays kept; with a preview definition merged in first, its operations marked
//! preview), reports what changed, bumps `spec/VERSION` by the report's semver bump,
//! prepends the report to `spec/CHANGELOG.md` under `## {version} ({date}, {source})`, and
//! regenerates the client. When the imported `public.json` is byte-identical to the current
//! one, nothing is written at all.
//!
//! Everything is staged first, in a sibling directory of `spec/`: the download, a copy of
//! `spec/` with the new `public.json`, `SOURCE`, `VERSION` and `CHANGELOG.md`, the lowering
//! of both sides and the generated files (in memory). Only when all of that succeeded are
//! `spec/` and the client swapped in; a failure before or during the swap leaves both as
//! they were.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{anyhow, bail, Context, Result};
use generator::diff::{self, Bump, Report};
use generator::write::{self, Mode};

use crate::{fetch, import};

/// What to update.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// A file path or an `http(s)://` URL.
    pub from: String,
    /// The URL of a preview definition to merge into `from` before the import (`--preview`:
    /// the region's `/api/v2/docs/swaggerpreview`); `from` must then be a URL too.
    pub preview: Option<String>,
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
    /// False when the imported `public.json` is byte-identical to the current one: nothing
    /// was written, the report is empty and the entry too.
    pub changed: bool,
    /// What merging the preview did, with a preview.
    pub preview: Option<PreviewSummary>,
    pub report: Report,
    pub old_version: String,
    pub new_version: String,
    /// The changelog entry (the report as Markdown, under the version's heading).
    pub entry: String,
    pub files: usize,
}

/// What merging the preview definition did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewSummary {
    /// Preview operations added, marked preview.
    pub operations: usize,
    /// Definitions the preview added.
    pub definitions: usize,
    /// Definitions the preview defines otherwise than the public definition, which was
    /// kept.
    pub conflicts: Vec<String>,
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
    let downloaded = fetch::is_url(&opts.from);
    if opts.preview.is_some() && !downloaded {
        bail!("a preview definition is merged only into a downloaded one (--from is a file)");
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
    std::fs::create_dir_all(&staging.0)
        .with_context(|| format!("creating {}", staging.0.display()))?;

    // 1. The new definition, on disk (and the preview's).
    let download = |url: &str, dir: &str| -> Result<PathBuf> {
        let dir = staging.0.join(dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(fetch::file_name(url));
        fetch::download(url, &path)?;
        Ok(path)
    };
    let definition = if downloaded {
        download(&opts.from, "download")?
    } else {
        PathBuf::from(&opts.from)
    };
    let preview = match &opts.preview {
        Some(url) => Some((url, download(url, "preview")?)),
        None => None,
    };

    // 2. A staged copy of spec/ with the new public.json (the preview merged in) and
    // SOURCE; nothing more when public.json comes out byte-identical.
    let staged = staging.0.join(spec_name);
    copy_dir(&opts.spec, &staged)?;
    let (mut doc, input) = generator::load::read_document(&definition)
        .with_context(|| format!("importing {}", opts.from))?;
    let mut origin = downloaded.then(|| import::Origin {
        url: opts.from.clone(),
        preview: None,
        date: utc_date(SystemTime::now()),
    });
    let mut merged = None;
    if let (Some((url, path)), Some(origin)) = (preview, origin.as_mut()) {
        let (extra, extra_input) = generator::load::read_document(&path)
            .with_context(|| format!("reading the preview definition {url}"))?;
        let merge = generator::import::merge_preview(&doc, &extra, url)
            .with_context(|| format!("merging the preview definition {url}"))?;
        doc = merge.doc;
        origin.preview = Some((url.clone(), extra_input.sha256));
        merged = Some(PreviewSummary {
            operations: merge.operations,
            definitions: merge.definitions,
            conflicts: merge.conflicts,
        });
    }
    let imported = import::import_document(
        &doc,
        &import::file_name(&definition),
        &input.sha256,
        origin.as_ref(),
        &tags,
        &staged,
    )
    .with_context(|| format!("importing {}", opts.from))?;
    let old_version = std::fs::read_to_string(staged.join("VERSION"))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|_| "0.1.0".into());
    if std::fs::read(staged.join("public.json")).ok()
        == std::fs::read(opts.spec.join("public.json")).ok()
    {
        return Ok(Updated {
            changed: false,
            preview: merged,
            report: diff::diff(&Default::default(), &Default::default()),
            new_version: old_version.clone(),
            old_version,
            entry: String::new(),
            files: 0,
        });
    }

    // 3. What changed.
    let before = crate::diff::lower(&opts.spec, None)?;
    let after = crate::diff::lower(&staged, None)
        .with_context(|| format!("the new definition {} does not generate", opts.from))?;
    let mut report = diff::diff(&before, &after);
    let source = import::source_label(&imported.source_note).unwrap_or_else(|| "spec".into());
    report.from = import::source_label(&old_note).unwrap_or_else(|| "spec".into());
    report.to = source.clone();

    // 4. Version and changelog.
    let new_version = diff::next_version(&old_version, report.bump)
        .map_err(|e| anyhow!("{}: {e}", opts.spec.join("VERSION").display()))?;
    let date = import::source_field(&imported.source_note, "date").unwrap_or("undated");
    let entry = diff::markdown(&report, &format!("{new_version} ({date}, {source})"), 2);
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
        changed: true,
        preview: merged,
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

/// The UTC calendar day of `time` (`2026-12-02`), the `date:` of a downloaded definition.
pub fn utc_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Howard Hinnant's days-to-civil, on days since 1970-01-01 (non-negative here).
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days / 146_097;
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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
    use std::time::{Duration, SystemTime};

    use super::{prepend, utc_date};

    #[test]
    fn utc_dates_are_calendar_days() {
        let at = |secs: u64| utc_date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(86_399), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
        assert_eq!(at(1_753_660_800), "2025-07-28");
        assert_eq!(at(1_798_761_599), "2026-12-31");
        assert_eq!(at(4_107_542_400), "2100-03-01");
    }

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
