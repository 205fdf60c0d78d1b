//! `features`: checks that each API group's cargo feature of the committed client compiles
//! alone, warning-free (`cargo check -p genesys-cloud --no-default-features --features F`),
//! one feature after the other in the workspace's target directory. A group's models and
//! the builders it shares with other groups are gated by features computed in the
//! generator; this is where a wrong gate shows, as a missing item or an unused import.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// The group features of a crate's `Cargo.toml`: the `[features]` entries that enable
/// nothing else (`billing = []`), in file order; `default`, `all` and features that turn on
/// dependencies are not groups.
pub fn group_features(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut out = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features {
            continue;
        }
        if let Some((name, value)) = line.split_once('=') {
            let (name, value) = (name.trim(), value.trim());
            if value == "[]" && name != "default" {
                out.push(name.to_owned());
            }
        }
    }
    out
}

/// How one feature's check went.
#[derive(Debug)]
pub struct Outcome {
    pub feature: String,
    pub took: Duration,
    /// The compiler's warnings and errors, empty when the feature compiled cleanly.
    pub problems: Vec<String>,
}

/// Checks each of `only` (every group feature of `crate_dir`'s manifest when empty) alone,
/// printing one line per feature on stderr. Fails, after checking all of them, naming the
/// features that did not compile cleanly.
pub fn check_features(crate_dir: &Path, only: &[String]) -> Result<Vec<Outcome>> {
    let manifest_path = crate_dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let groups = group_features(&manifest);
    let chosen: Vec<String> = if only.is_empty() {
        groups.clone()
    } else {
        for f in only {
            if !groups.contains(f) {
                bail!(
                    "{f:?} is not a group feature of {} (it has {} of them: {}...)",
                    manifest_path.display(),
                    groups.len(),
                    groups
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        only.to_vec()
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut outcomes = Vec::new();
    for (i, feature) in chosen.iter().enumerate() {
        let started = Instant::now();
        let output = Command::new(&cargo)
            .args([
                "check",
                "--lib",
                "--quiet",
                "--no-default-features",
                "--features",
            ])
            .arg(feature)
            .arg("--manifest-path")
            .arg(&manifest_path)
            .output()
            .with_context(|| format!("running {cargo} check"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut problems: Vec<String> = stderr
            .lines()
            .filter(|l| l.starts_with("warning") || l.starts_with("error"))
            .map(str::to_owned)
            .collect();
        if !output.status.success() && problems.is_empty() {
            problems.push(format!("cargo check failed: {}", stderr.trim()));
        }
        let took = started.elapsed();
        eprintln!(
            "[{}/{}] {feature}: {} in {:.1} s",
            i + 1,
            chosen.len(),
            if problems.is_empty() {
                "ok".to_owned()
            } else {
                format!("{} problems", problems.len())
            },
            took.as_secs_f64()
        );
        for p in problems.iter().take(10) {
            eprintln!("    {p}");
        }
        outcomes.push(Outcome {
            feature: feature.clone(),
            took,
            problems,
        });
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.problems.is_empty())
        .map(|o| o.feature.as_str())
        .collect();
    if !failed.is_empty() {
        bail!(
            "{} of {} features do not compile cleanly alone: {}",
            failed.len(),
            outcomes.len(),
            failed.join(", ")
        );
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::group_features;

    #[test]
    fn group_features_are_the_empty_features_but_default() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = []\nall = [\"a\", \"b\"]\n# A: 1 operations.\na = []\nb = []\nws = [\"dep:tokio-tungstenite\"]\n\n[dependencies]\nc = []\n";
        assert_eq!(group_features(manifest), ["a", "b"]);
    }
}
