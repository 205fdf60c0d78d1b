//! The warnings `cargo xtask generate` prints: none for the project's own spec/ (every one
//! is in spec/reviewed-warnings.json, each kind with a reason), a summary under 30 lines for
//! the raw 2025 definition, and the reviewed list's life cycle (`--accept-warnings`, entries
//! that no longer occur, a malformed list).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use generator::warnings::{self, Reviewed};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh scratch directory for `name`.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-warnings-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Lines that start with `warning`, which the tests say must not appear.
fn warning_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect()
}

#[test]
fn every_kind_spec_reviews_has_a_reason() {
    let dir = xtask::root().join("spec");
    let path = dir.join(warnings::FILE);
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let list = Reviewed::parse(text(&path), &dir, &value).unwrap_or_else(|e| panic!("{e}"));
    assert!(!list.kinds.is_empty());
    for (kind, reviewed) in &list.kinds {
        assert!(
            !reviewed.reason.trim().is_empty(),
            "{kind} in {} has no reason",
            path.display()
        );
        assert!(!reviewed.warnings.is_empty(), "{kind} lists no warning");
    }
}

#[test]
fn generate_and_check_print_no_warning_for_the_committed_crates() {
    let root = xtask::root();
    let out = scratch("committed");
    // `cargo xtask generate` without options, into scratch directories instead of the
    // committed ones: the same two configurations.
    let client = xtask(&[
        "generate",
        "--spec",
        text(&root.join("spec")),
        "--out",
        text(&out.join("client")),
    ]);
    let runtime = xtask(&[
        "generate",
        "--spec",
        text(&root.join("tests/fixtures/runtime.json")),
        "--name",
        "runtime-client",
        "--out",
        text(&out.join("runtime-client")),
    ]);
    for generated in [&client, &runtime] {
        let err = stderr(generated);
        assert_eq!(generated.status.code(), Some(0), "{err}");
        assert!(warning_lines(&err).is_empty(), "{err}");
        assert!(!err.contains("no longer occur"), "{err}");
    }
    assert!(
        stderr(&client).contains("reviewed warnings not shown (--all-warnings lists them)"),
        "{}",
        stderr(&client)
    );
    let _ = std::fs::remove_dir_all(&out);
    // `cargo xtask check` reads the same list (and writes nothing).
    let check = xtask(&["check"]);
    let err = stderr(&check);
    assert!(warning_lines(&err).is_empty(), "{err}");
    assert!(!err.contains("no longer occur"), "{err}");
}

#[test]
fn the_raw_2025_definition_prints_a_summary_under_30_lines() {
    let dir = std::env::var_os("GENESYS_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| xtask::root().join("../shared/specs/genesys"));
    let spec = dir.join("genesys-platform-api-2025-07-28.json");
    if !spec.exists() {
        eprintln!(
            "skipped the_raw_2025_definition_prints_a_summary_under_30_lines: no {}",
            spec.display()
        );
        return;
    }
    let out = scratch("raw-2025");
    let run = xtask(&["generate", "--spec", text(&spec), "--out", text(&out)]);
    let _ = std::fs::remove_dir_all(&out);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.len() < 30, "{} lines:\n{err}", lines.len());
    // Each kind is one header with its count, then at most three examples.
    for header in [
        "warning[missing-description] (64, 61 not shown; --all-warnings lists them): ",
        "warning[enum-default] (42, 39 not shown; --all-warnings lists them): ",
        "warning[no-security] (29, 26 not shown; --all-warnings lists them): ",
    ] {
        assert!(err.contains(header), "{header}: {err}");
    }
    assert!(!err.contains("\"position\""), "{err}");
    assert!(err.contains("--all-warnings lists them"), "{err}");
}

#[test]
fn accept_warnings_writes_the_list_that_silences_them_and_reports_what_no_longer_occurs() {
    let dir = scratch("accept");
    let spec = dir.join("spec");
    std::fs::create_dir_all(&spec).unwrap();
    std::fs::copy(
        xtask::root().join("tests/fixtures/ok/genesys_defects.json"),
        spec.join("public.json"),
    )
    .unwrap();
    let out = dir.join("client");
    let generate = |extra: &[&str]| {
        let mut args = vec!["generate", "--spec", text(&spec), "--out", text(&out)];
        args.extend_from_slice(extra);
        xtask(&args)
    };
    let list = spec.join(warnings::FILE);

    // No list: every warning is printed.
    let first = generate(&[]);
    assert!(!warning_lines(&stderr(&first)).is_empty(), "{first:?}");

    // Accepted: a new kind gets an empty reason, and the command says to write one.
    let accepted = generate(&["--accept-warnings"]);
    let err = stderr(&accepted);
    assert_eq!(accepted.status.code(), Some(0), "{err}");
    assert!(
        err.contains("note: kind `enum-default` is new to") && err.contains("write its \"reason\""),
        "{err}"
    );
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&list).unwrap()).unwrap();
    assert_eq!(value["enum-default"]["reason"], "");
    assert_eq!(
        value["enum-default"]["warnings"][0],
        "public.json#/paths/~1api~1v2~1scripts/get/parameters/0/default"
    );

    // A reason written and an entry that no longer occurs: nothing printed but the count,
    // and one line about the stale entry.
    value["enum-default"]["reason"] = "Genesys's defaults, documented only.".into();
    value["enum-default"]["warnings"]
        .as_array_mut()
        .unwrap()
        .push("public.json#/paths/~1gone/get/parameters/0/default".into());
    std::fs::write(&list, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let quiet = generate(&[]);
    let err = stderr(&quiet);
    assert!(warning_lines(&err).is_empty(), "{err}");
    assert!(
        err.contains("1 reviewed warnings no longer occur; `cargo xtask generate --accept-warnings` drops them"),
        "{err}"
    );
    assert!(err.contains("reviewed warnings not shown"), "{err}");
    // --all-warnings lists the reviewed ones, marked.
    let all = generate(&["--all-warnings"]);
    assert!(
        stderr(&all).contains("warning[enum-default, reviewed]: "),
        "{all:?}"
    );
    // Accepting again keeps the reason and drops the stale entry.
    generate(&["--accept-warnings"]);
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&list).unwrap()).unwrap();
    assert_eq!(
        again["enum-default"]["reason"],
        "Genesys's defaults, documented only."
    );
    assert!(!again.to_string().contains("~1gone"));

    // A malformed list is an error naming the file and the pointer.
    std::fs::write(
        &list,
        r#"{"enum-default": {"reason": "x", "warnings": [7]}}"#,
    )
    .unwrap();
    let broken = generate(&[]);
    let err = stderr(&broken);
    assert_eq!(broken.status.code(), Some(1), "{err}");
    assert!(
        err.contains("reviewed-warnings.json#/enum-default/warnings/0: "),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
