//! Helpers shared by the integration tests: where things are, and how to compile a
//! generated crate in the tests' own target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// The real Genesys definitions: `$GENESYS_SPEC_DIR`, else `../shared/specs/genesys`.
/// `None` (with a line saying the test was skipped and why) when neither exists. A
/// `GENESYS_SPEC_DIR` that is set but holds no corpus is a failure, not a skip: `.ci/run`
/// (and a CI workflow given the corpus) sets it, so there the corpus tests always run.
pub fn corpus(test: &str) -> Option<PathBuf> {
    const PROBE: &str = "genesys-platform-api-2018-03-21.json";
    if let Some(dir) = std::env::var_os("GENESYS_SPEC_DIR").map(PathBuf::from) {
        assert!(
            dir.join(PROBE).exists(),
            "{test}: GENESYS_SPEC_DIR is {} but holds no Genesys corpus (no {PROBE})",
            dir.display()
        );
        return Some(dir);
    }
    let dir = workspace().join("../shared/specs/genesys");
    if dir.join(PROBE).exists() {
        return Some(dir);
    }
    eprintln!("skipped {test}: no Genesys corpus at $GENESYS_SPEC_DIR or ../shared/specs/genesys");
    None
}

/// The target directory generated crates compile in: not the workspace's (whose lock
/// `cargo test` holds), shared by every test so dependencies build once.
pub fn generated_target() -> PathBuf {
    workspace().join("target").join("generated-crates")
}

/// A fresh scratch directory outside the workspace (so cargo does not take it for a member).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("genesys-tests-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Generates `spec` into `dir/name` as crate `name`, panicking with the error on failure.
pub fn generate_into(spec: &Path, dir: &Path, name: &str) -> generator::Generated {
    generate_tags_into(spec, None, dir, name)
}

/// As [`generate_into`], keeping only the operations of `tags` when given.
pub fn generate_tags_into(
    spec: &Path,
    tags: Option<&[&str]>,
    dir: &Path,
    name: &str,
) -> generator::Generated {
    let mut config = generator::Config::new(spec);
    config.crate_name = name.to_owned();
    config.tags = tags.map(|t| t.iter().map(|s| s.to_string()).collect());
    let generated = generator::generate(&config)
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", spec.display()));
    generator::write::apply(
        &dir.join(name),
        &generated.files,
        generator::write::Mode::Write,
    )
    .expect("write crate");
    generated
}

/// Makes `dir` a workspace of the given member crates, with this workspace's lock file so
/// dependency versions match and nothing new is resolved.
pub fn make_workspace(dir: &Path, members: &[String]) {
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Runs cargo with `args` in `dir`, in the generated-crates target dir; returns
/// (success, stderr).
pub fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", generated_target())
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The compiler warnings and errors in cargo's stderr (not its progress lines).
pub fn diagnostics(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning") || l.starts_with("error"))
        .filter(|l| !l.contains("generated ") || l.contains("warning:"))
        .collect()
}
