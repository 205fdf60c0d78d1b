//! `generate` and `check`: one crate generated and written, or generated in memory and
//! compared with what is on disk. The generation itself is `generator::generate`, the
//! writing and comparing `generator::write`.

use std::path::Path;

use anyhow::Result;
use generator::write::{self, Mode};

/// How many warnings `generate` prints without `--all-warnings`.
const WARNING_LIMIT: usize = 40;

/// How many lines of a drift's diff `check` prints.
const DIFF_LINES: usize = 60;

/// Generates the crate `config` describes into `out`, printing the warnings (all of them
/// with `all_warnings`) and a summary. `out` is replaced only when generation and writing
/// succeed; on an error it is as it was.
pub fn generate(config: &generator::Config, out: &Path, all_warnings: bool) -> Result<()> {
    let generated = generator::generate(config)?;
    print_warnings(&generated.diagnostics, all_warnings);
    write::apply(out, &generated.files, Mode::Write)?;
    eprintln!(
        "generated {} operations in {} groups and {} models: {} files in {}",
        generated.api.operations.len(),
        generated.api.groups.len(),
        generated.api.models.len(),
        generated.files.len(),
        out.display()
    );
    Ok(())
}

fn print_warnings(diagnostics: &[generator::Diagnostic], all: bool) {
    let limit = if all { usize::MAX } else { WARNING_LIMIT };
    for d in diagnostics.iter().take(limit) {
        eprintln!("{d}");
    }
    if diagnostics.len() > limit {
        eprintln!(
            "... and {} more warnings (--all-warnings lists them)",
            diagnostics.len() - limit
        );
    }
}

/// Checks one committed crate against a fresh generation; `false` (with a report) on drift.
pub fn check(config: &generator::Config, out: &Path) -> Result<bool> {
    let generated = generator::generate(config)?;
    let drift = write::apply(out, &generated.files, Mode::Check)?;
    if drift.is_empty() {
        eprintln!(
            "{} is up to date ({} files)",
            out.display(),
            generated.files.len()
        );
        return Ok(true);
    }
    eprintln!(
        "{} is stale: run `cargo xtask generate` and commit the result.",
        out.display()
    );
    for (label, list) in [
        ("stale", &drift.stale),
        ("missing", &drift.missing),
        ("extra", &drift.extra),
    ] {
        for file in list {
            eprintln!("  {label}: {file}");
        }
    }
    let lines: Vec<&str> = drift.diff.lines().collect();
    for line in lines.iter().take(DIFF_LINES) {
        eprintln!("{line}");
    }
    if lines.len() > DIFF_LINES {
        eprintln!("... ({} more diff lines)", lines.len() - DIFF_LINES);
    }
    Ok(false)
}
