//! `import-spec`: writes the operations of some tags, and every definition they reach, from
//! a full Genesys definition into a spec directory (`public.json` and `SOURCE`). The cut
//! itself is `generator::import`; this reads and writes the files.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub operations: usize,
    pub definitions: usize,
    /// The `SOURCE` note.
    pub source_note: String,
}

/// Where a downloaded definition came from, for the `SOURCE` note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The public definition's URL (`url:`).
    pub url: String,
    /// The preview definition's URL and sha256, when one was merged in (`preview-url:`,
    /// `preview-sha256:`).
    pub preview: Option<(String, String)>,
    /// The UTC day of the download: the `date:` when the file name carries none (a
    /// region's `/api/v2/docs/swagger`).
    pub date: String,
}

/// Writes `public.json` and `SOURCE` into `to`. `tags` is a tag list, or `["all"]` for every
/// operation (see [`tag_filter`]). `origin`, when the definition was downloaded, is recorded
/// in `SOURCE`. Overlays and other files in `to` stay.
pub fn import_spec(
    from: &Path,
    origin: Option<&Origin>,
    tags: &[String],
    to: &Path,
) -> Result<ImportSummary> {
    let (doc, input) = generator::load::read_document(from)?;
    import_document(&doc, &file_name(from), &input.sha256, origin, tags, to)
}

/// [`import_spec`] of a document already read (`update-spec --preview` merges two first):
/// `name` and `sha256` are the file's, for `SOURCE`.
pub fn import_document(
    doc: &Value,
    name: &str,
    sha256: &str,
    origin: Option<&Origin>,
    tags: &[String],
    to: &Path,
) -> Result<ImportSummary> {
    let date = origin.map(|o| o.date.as_str());
    let imported = generator::import::import_dated(doc, name, sha256, date, tag_filter(tags))?;
    let mut text = serde_json::to_string_pretty(&imported.doc)?;
    text.push('\n');
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let public = to.join("public.json");
    let staging = to.join(".public.json.new");
    std::fs::write(&staging, &text).with_context(|| format!("writing {}", staging.display()))?;
    std::fs::rename(&staging, &public)
        .with_context(|| format!("replacing {}", public.display()))?;
    let mut note = imported.source_note;
    if let Some(origin) = origin {
        note.push_str(&format!("url: {}\n", origin.url));
        if let Some((url, sha256)) = &origin.preview {
            note.push_str(&format!("preview-url: {url}\npreview-sha256: {sha256}\n"));
        }
    }
    std::fs::write(to.join("SOURCE"), &note)
        .with_context(|| format!("writing {}", to.join("SOURCE").display()))?;
    Ok(ImportSummary {
        operations: imported.operations,
        definitions: imported.definitions,
        source_note: note,
    })
}

/// A path's file name, as `SOURCE` records it.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a `SOURCE` note says the definition came from, for reports and changelog headings:
/// its URL (with ` + preview` when preview operations were merged in), else its file name.
pub fn source_label(note: &str) -> Option<String> {
    match source_field(note, "url") {
        Some(url) if source_field(note, "preview-url").is_some() => {
            Some(format!("{url} + preview"))
        }
        Some(url) => Some(url.to_owned()),
        None => source_field(note, "file").map(str::to_owned),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_label_is_the_url_else_the_file() {
        let file = "file: genesys-platform-api-2025-07-28.json\ndate: 2025-07-28\n";
        assert_eq!(
            source_label(file).as_deref(),
            Some("genesys-platform-api-2025-07-28.json")
        );
        let url = format!("{file}url: https://api.mypurecloud.com/api/v2/docs/swagger\n");
        assert_eq!(
            source_label(&url).as_deref(),
            Some("https://api.mypurecloud.com/api/v2/docs/swagger")
        );
        let preview =
            format!("{url}preview-url: https://api.mypurecloud.com/api/v2/docs/swaggerpreview\n");
        assert_eq!(
            source_label(&preview).as_deref(),
            Some("https://api.mypurecloud.com/api/v2/docs/swagger + preview")
        );
        assert_eq!(source_label(""), None);
    }
}
