//! `import-spec`: writes the operations of some tags, and every definition they reach, from
//! a full Genesys definition into a spec directory (`public.json` and `SOURCE`). The cut
//! itself is `generator::import`; this reads and writes the files.

use std::path::Path;

use anyhow::{Context, Result};

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub operations: usize,
    pub definitions: usize,
    /// The `SOURCE` note.
    pub source_note: String,
}

/// Writes `public.json` and `SOURCE` into `to`. `tags` is a tag list, or `["all"]` for every
/// operation (see [`tag_filter`]). `origin`, when the definition was downloaded, is the URL
/// recorded in `SOURCE`. Overlays and other files in `to` stay.
pub fn import_spec(
    from: &Path,
    origin: Option<&str>,
    tags: &[String],
    to: &Path,
) -> Result<ImportSummary> {
    let (doc, input) = generator::load::read_document(from)?;
    let name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = generator::import::import(&doc, &name, &input.sha256, tag_filter(tags))?;
    let mut text = serde_json::to_string_pretty(&imported.doc)?;
    text.push('\n');
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let public = to.join("public.json");
    let staging = to.join(".public.json.new");
    std::fs::write(&staging, &text).with_context(|| format!("writing {}", staging.display()))?;
    std::fs::rename(&staging, &public)
        .with_context(|| format!("replacing {}", public.display()))?;
    let mut note = imported.source_note;
    if let Some(url) = origin {
        note.push_str(&format!("url: {url}\n"));
    }
    std::fs::write(to.join("SOURCE"), &note)
        .with_context(|| format!("writing {}", to.join("SOURCE").display()))?;
    Ok(ImportSummary {
        operations: imported.operations,
        definitions: imported.definitions,
        source_note: note,
    })
}

/// The operations a tag list selects: `["all"]` (what `--tags all` and a `SOURCE` note's
/// `tags: all` say) is every operation, `None`; any other list is those tags.
pub fn tag_filter(tags: &[String]) -> Option<&[String]> {
    match tags {
        [only] if only == generator::import::ALL_TAGS => None,
        tags => Some(tags),
    }
}

/// The `tags:` line of a `SOURCE` note, if any (`["all"]` for every operation).
pub fn source_tags(note: &str) -> Option<Vec<String>> {
    note.lines()
        .find_map(|l| l.strip_prefix("tags:"))
        .map(|t| {
            t.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
}

/// A `SOURCE` note's field (`file`, `date`...).
pub fn source_field<'a>(note: &'a str, field: &str) -> Option<&'a str> {
    note.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .map(str::trim)
}
