//! `generate` and `check`: one crate generated and written, or generated in memory and
//! compared with what is on disk, each printing the warnings the spec directory's reviewed
//! list does not hold. The generation itself is `generator::generate`, the
//! writing and comparing `generator::write`.

use std::path::Path;

use anyhow::{bail, Context, Result};
use generator::warnings;
use generator::write::{self, Mode};

/// How many lines of a drift's diff `check` prints.
const DIFF_LINES: usize = 60;

/// What `generate` does with the warnings.
#[derive(Debug, Clone, Copy, Default)]
pub struct WarningOptions {
    /// Print every warning in full, reviewed ones too, instead of the summary of the
    /// unreviewed ones.
    pub all: bool,
    /// Rewrite the spec directory's reviewed list from the current warnings.
    pub accept: bool,
}

/// Generates the crate `config` describes into `out`, printing the unreviewed warnings
/// summarized per kind (every warning with `options.all`) and a summary line. `out` is
/// replaced only when generation and writing succeed; on an error it is as it was. With
/// `options.accept`, the spec directory's `reviewed-warnings.json` is rewritten from the
/// current warnings afterwards.
pub fn generate(config: &generator::Config, out: &Path, options: WarningOptions) -> Result<()> {
    if options.accept && config.tags.is_some() {
        bail!("--accept-warnings reviews the whole definition's warnings: leave out --tags");
    }
    let generated = generator::generate(config)?;
    for line in warning_lines(&generated, options.all) {
        eprintln!("{line}");
    }
    write::apply(out, &generated.files, Mode::Write)?;
    if options.accept {
        accept(config, &generated)?;
    }
    let hidden = generated.diagnostics.iter().filter(|d| d.reviewed).count();
    let hidden = if hidden > 0 && !options.all {
        format!("; {hidden} reviewed warnings not shown (--all-warnings lists them)")
    } else {
        String::new()
    };
    eprintln!(
        "generated {} operations in {} groups and {} models: {} files in {}{hidden}",
        generated.api.operations.len(),
        generated.api.groups.len(),
        generated.api.models.len(),
        generated.files.len(),
        out.display()
    );
    Ok(())
}

/// The warnings as printed (see [`warnings::summarize`]), then, when the reviewed list holds
/// entries that no longer occur, one line saying so.
pub fn warning_lines(generated: &generator::Generated, all: bool) -> Vec<String> {
    let mut lines = warnings::summarize(&generated.diagnostics, all);
    let stale = generated.stale_reviews.len();
    if stale > 0 {
        lines.push(format!(
            "{stale} reviewed warnings no longer occur; `cargo xtask generate --accept-warnings` drops them"
        ));
    }
    lines
}

/// Rewrites the spec directory's reviewed list from the current warnings, keeping the
/// reasons, and names the kinds that still need one.
fn accept(config: &generator::Config, generated: &generator::Generated) -> Result<()> {
    let Some(reviewed) = &generated.reviewed else {
        if !generated.diagnostics.is_empty() {
            eprintln!(
                "note: {} is a file, not a spec directory: its warnings cannot be reviewed",
                config.spec.display()
            );
        }
        return Ok(());
    };
    let accepted = reviewed.accept(&generated.diagnostics);
    let path = reviewed.dir.join(warnings::FILE);
    let staged = reviewed.dir.join(format!(".{}.new", warnings::FILE));
    std::fs::write(&staged, accepted.list.to_json())
        .with_context(|| format!("cannot write {}", staged.display()))?;
    std::fs::rename(&staged, &path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    let count: usize = accepted.list.kinds.values().map(|k| k.warnings.len()).sum();
    eprintln!(
        "wrote {}: {count} reviewed warnings of {} kinds",
        path.display(),
        accepted.list.kinds.len()
    );
    for kind in &accepted.without_reason {
        eprintln!(
            "note: kind `{kind}` is new to {}: write its \"reason\" (why the generator's repair is fine for it)",
            path.display()
        );
    }
    Ok(())
}

/// Checks one committed crate against a fresh generation; `false` (with a report) on drift.
pub fn check(config: &generator::Config, out: &Path) -> Result<bool> {
    let generated = generator::generate(config)?;
    for line in warning_lines(&generated, false) {
        eprintln!("{line}");
    }
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
