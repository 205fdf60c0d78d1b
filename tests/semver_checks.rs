//! The diff's classification against `cargo semver-checks`: for every case of
//! `fixtures/diff/cases.json`, the crates generated from `base.json` and from the patched
//! definition (both at version 1.0.0) are compared by cargo-semver-checks as a minor
//! release.
//!
//! - Every case the report calls non-breaking must pass: semver-checks finds nothing that
//!   needs a major version.
//! - Every case in [`SEEN`] (breaking kinds semver-checks has a lint for) must fail it,
//!   with the lint named there.
//! - The other breaking cases are invisible to semver-checks (0.51), which compares item
//!   names, arities, fields and variants, not types or meanings; the test prints what it
//!   said about each:
//!   - type changes: `param-retyped`, `response-changed`, `field-retyped`, `alias-retyped`,
//!     `model-kind-changed` (an alias becoming a struct of the same name);
//!   - a changed meaning under an unchanged signature: `params-reordered` and
//!     `constructor-changed` (same-typed arguments swap), and the collision renames
//!     `param-renamed`, `field-renamed`, `enum-variant-renamed`, where a new wire name takes
//!     over the old Rust name: callers' code still compiles, and now sends or matches a
//!     different wire name.
//!
//!   (`trait-removed` is flagged, but for the operation whose removal takes `Serialize`
//!   away; semver-checks does not report the lost serde derive itself.)
//!
//! Skipped, with the reason, when cargo-semver-checks is not installed
//! (`cargo install cargo-semver-checks --locked`), except in CI (`CI=true`, as `.ci/run`
//! runs, installing the tool first), where a missing tool fails the test. Each crate's
//! rustdoc JSON is built here (the baseline once), and semver-checks compares the JSON
//! files: about a minute for the shared dependencies, then a few seconds per case.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Breaking cases cargo-semver-checks must flag, with the lint expected to do it.
const SEEN: &[(&str, &str)] = &[
    ("group-removed", "struct_missing"),
    ("operation-removed", "inherent_method_missing"),
    ("method-renamed", "inherent_method_missing"),
    ("operation-group-removed", "inherent_method_missing"),
    ("builder-renamed", "struct_missing"),
    ("param-added-required", "method_parameter_count_changed"),
    ("param-removed", "inherent_method_missing"),
    ("param-required", "inherent_method_missing"),
    ("param-optional", "method_parameter_count_changed"),
    ("model-removed", "struct_missing"),
    ("inline-type-removed", "enum_missing"),
    // The old name now belongs to the new definition, which lacks the old fields.
    ("model-renamed", "struct_pub_field_missing"),
    ("field-added-required", "method_parameter_count_changed"),
    ("field-removed", "struct_pub_field_missing"),
    ("field-optional", "method_parameter_count_changed"),
    ("field-required-breaking", "method_parameter_count_changed"),
    ("enum-value-removed", "enum_variant_missing"),
    ("trait-removed", "inherent_method_missing"),
    ("field-read-only-breaking", "method_parameter_count_changed"),
    ("field-writable-breaking", "method_parameter_count_changed"),
    (
        "param-location-changed-required",
        "method_parameter_count_changed",
    ),
];

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The same RFC 6902 subset as `diff.rs`.
fn apply_patch(doc: &mut Value, patch: &[Value]) {
    for step in patch {
        let op = step["op"].as_str().unwrap();
        let path = step["path"].as_str().unwrap();
        let (parent, last) = path.rsplit_once('/').unwrap();
        let last = unescape(last);
        match (op, doc.pointer_mut(parent).unwrap()) {
            ("add", Value::Array(list)) if last == "-" => list.push(step["value"].clone()),
            ("add", Value::Array(list)) => {
                list.insert(last.parse().unwrap(), step["value"].clone())
            }
            ("replace", Value::Array(list)) => {
                list[last.parse::<usize>().unwrap()] = step["value"].clone()
            }
            ("add" | "replace", Value::Object(map)) => {
                map.insert(last, step["value"].clone());
            }
            ("remove", Value::Object(map)) => {
                map.shift_remove(&last).unwrap();
            }
            ("remove", Value::Array(list)) => {
                list.remove(last.parse().unwrap());
            }
            (op, _) => panic!("cannot {op} {path}"),
        }
    }
}

/// Generates `spec` as crate `genesys-cloud` 1.0.0 into `dir`, with the workspace's lock.
fn generate(spec: &Path, dir: &Path) {
    let mut config = generator::Config::new(spec);
    config.crate_version = Some("1.0.0".into());
    let generated = generator::generate(&config).unwrap_or_else(|e| panic!("{e}"));
    generator::write::apply(dir, &generated.files, generator::write::Mode::Write).unwrap();
    std::fs::copy(
        tests::workspace().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
}

fn semver_checks() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.arg("semver-checks").env_remove("RUSTFLAGS");
    command
}

/// The rustdoc JSON of the crate in `dir`, with every feature (what semver-checks' own
/// feature heuristic enables for these crates), saved beside it as `dir.json`. Built here
/// rather than by semver-checks, so the baseline is documented once for every case and no
/// placeholder workspace resolves its dependencies again: a few seconds a case, not ten.
/// Rustdoc's JSON output is unstable, hence `RUSTC_BOOTSTRAP`, as semver-checks does.
fn rustdoc_json(dir: &Path) -> PathBuf {
    let target = tests::generated_target().join("rustdoc-json");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["rustdoc", "--lib", "--all-features", "--offline", "--quiet"])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .output()
        .expect("run cargo rustdoc");
    assert!(
        output.status.success(),
        "cargo rustdoc of {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let json = dir.with_extension("json.rustdoc");
    std::fs::copy(target.join("doc").join("genesys_cloud.json"), &json)
        .unwrap_or_else(|e| panic!("the rustdoc JSON of {}: {e}", dir.display()));
    json
}

/// What semver-checks said about the two rustdoc JSON files: `Ok(())` when the minor
/// release passes, `Err(lints)` when it needs a major version; panics when it could not
/// check at all.
fn check(baseline: &Path, current: &Path) -> Result<(), Vec<String>> {
    let output = semver_checks()
        .args([
            "check-release",
            "--release-type",
            "minor",
            "--baseline-rustdoc",
        ])
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .output()
        .expect("run cargo semver-checks");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        return Ok(());
    }
    assert!(
        text.contains("requires new major version"),
        "cargo semver-checks could not check {}:\n{text}",
        current.display()
    );
    Err(text
        .lines()
        .filter_map(|l| l.strip_prefix("--- failure "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_owned)
        .collect())
}

#[test]
fn classification_agrees_with_cargo_semver_checks() {
    match semver_checks().arg("--version").output() {
        Ok(out) if out.status.success() => {
            eprintln!("using {}", String::from_utf8_lossy(&out.stdout).trim())
        }
        _ => {
            let missing =
                "cargo-semver-checks is not installed (cargo install cargo-semver-checks --locked)";
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "classification_agrees_with_cargo_semver_checks cannot run: {missing}; CI=true, so this is a failure, not a skip (.ci/run installs the tool before the tests)"
            );
            eprintln!("skipped classification_agrees_with_cargo_semver_checks: {missing}");
            return;
        }
    }
    let fixtures = tests::workspace().join("tests/fixtures/diff");
    let scratch = tests::scratch("semver-checks");
    let baseline = scratch.join("base");
    generate(&fixtures.join("base.json"), &baseline);
    let baseline = rustdoc_json(&baseline);
    let base = read_json(&fixtures.join("base.json"));
    let mut disagreements = Vec::new();
    let mut lines = Vec::new();
    for case in read_json(&fixtures.join("cases.json")).as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let breaking = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["breaking"].as_bool().unwrap());
        let mut doc = base.clone();
        apply_patch(&mut doc, case["patch"].as_array().unwrap());
        let spec: PathBuf = scratch.join(format!("{name}.json"));
        std::fs::write(&spec, serde_json::to_string(&doc).unwrap()).unwrap();
        let current = scratch.join(name);
        generate(&spec, &current);
        let verdict = check(&baseline, &rustdoc_json(&current));
        let seen = SEEN.iter().find(|(case, _)| *case == name);
        let said = match &verdict {
            Ok(()) => "passes".to_owned(),
            Err(lints) => format!("needs major ({})", lints.join(", ")),
        };
        let agrees = match (breaking, seen, &verdict) {
            (false, _, Ok(())) => "agrees",
            (false, _, Err(_)) => {
                disagreements.push(format!("{name}: we say non-breaking, semver-checks {said}"));
                "DISAGREES"
            }
            (true, Some((_, lint)), Err(lints)) => {
                if !lints.iter().any(|l| l == lint) {
                    disagreements.push(format!(
                        "{name}: expected lint {lint}, semver-checks {said}"
                    ));
                }
                "agrees"
            }
            (true, Some(_), Ok(())) => {
                disagreements.push(format!("{name}: we say breaking, semver-checks {said}"));
                "DISAGREES"
            }
            (true, None, Err(_)) => "agrees (not listed in SEEN)",
            (true, None, Ok(())) => "not visible to semver-checks",
        };
        lines.push(format!(
            "{name:<28} {:<12} semver-checks {said}: {agrees}",
            if breaking { "breaking" } else { "non-breaking" }
        ));
        let _ = std::fs::remove_dir_all(&current);
    }
    eprintln!("{}", lines.join("\n"));
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
