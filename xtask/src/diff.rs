//! `diff`: lowers two definitions (files or spec directories) and prints the change report
//! as Markdown or JSON. The comparison is `generator::diff`.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use generator::diff::{self, Report};

/// The report's output form (`--format md|json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown release notes.
    #[value(name = "md", alias = "markdown")]
    Markdown,
    /// JSON, format genesys-sdk-diff/1.
    Json,
}

/// The name a definition goes by in reports: its file or directory name.
pub fn label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Lowers one definition (warnings are not the report's business).
pub fn lower(path: &Path, tags: Option<&[String]>) -> Result<generator::ir::Api> {
    let mut config = generator::Config::new(path);
    config.tags = tags.map(<[String]>::to_vec);
    let (api, _) =
        generator::lower_spec(&config).with_context(|| format!("lowering {}", path.display()))?;
    Ok(api)
}

/// The report between two definitions, and how long the comparison itself took.
pub fn compare(old: &Path, new: &Path, tags: Option<&[String]>) -> Result<(Report, Duration)> {
    let before = lower(old, tags)?;
    let after = lower(new, tags)?;
    let start = Instant::now();
    let mut report = diff::diff(&before, &after);
    let took = start.elapsed();
    report.from = label(old);
    report.to = label(new);
    Ok((report, took))
}

/// The report rendered in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => diff::json(report),
        Format::Markdown => diff::markdown(report, "API changes", 1),
    }
}
