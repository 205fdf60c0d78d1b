//! The committed `generated-client/` and `tests/runtime-client/` are exactly what `spec/`,
//! `tests/fixtures/runtime.json` and the templates produce (the same check as `cargo xtask
//! check`), and a one-operation change gives a local diff.

use generator::write::{apply, Mode};

#[test]
fn committed_client_matches_a_fresh_generation() {
    let root = tests::workspace();
    let generated = generator::generate(&generator::Config::new(root.join("spec")))
        .unwrap_or_else(|e| panic!("{e}"));
    let drift = apply(
        &root.join("generated-client"),
        &generated.files,
        Mode::Check,
    )
    .unwrap();
    assert!(
        drift.is_empty(),
        "generated-client is stale (run `cargo xtask generate`): stale {:?}, missing {:?}, extra {:?}\n{}",
        drift.stale,
        drift.missing,
        drift.extra,
        drift.diff.lines().take(80).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn committed_runtime_client_matches_a_fresh_generation() {
    let root = tests::workspace();
    let mut config = generator::Config::new(root.join("tests/fixtures/runtime.json"));
    config.crate_name = "runtime-client".into();
    let generated = generator::generate(&config).unwrap_or_else(|e| panic!("{e}"));
    let drift = apply(
        &root.join("tests/runtime-client"),
        &generated.files,
        Mode::Check,
    )
    .unwrap();
    assert!(
        drift.is_empty(),
        "tests/runtime-client is stale (run `cargo xtask generate`): stale {:?}, missing {:?}, extra {:?}\n{}",
        drift.stale,
        drift.missing,
        drift.extra,
        drift.diff.lines().take(80).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn check_reports_stale_missing_and_extra_files() {
    let root = tests::workspace();
    let generated = generator::generate(&generator::Config::new(root.join("spec"))).unwrap();
    let out = tests::scratch("drift").join("client");
    apply(&out, &generated.files, Mode::Write).unwrap();
    assert!(apply(&out, &generated.files, Mode::Check)
        .unwrap()
        .is_empty());
    std::fs::write(out.join("src/lib.rs"), "// edited\n").unwrap();
    std::fs::remove_file(out.join("README.md")).unwrap();
    std::fs::write(out.join("src/stray.rs"), "").unwrap();
    let drift = apply(&out, &generated.files, Mode::Check).unwrap();
    assert_eq!(drift.stale, vec!["src/lib.rs".to_owned()]);
    assert_eq!(drift.missing, vec!["README.md".to_owned()]);
    assert_eq!(drift.extra, vec!["src/stray.rs".to_owned()]);
    assert!(drift.diff.contains("-// edited"), "{}", drift.diff);
}

#[test]
fn removing_one_operation_changes_only_its_group_files() {
    let root = tests::workspace();
    let before = generator::generate(&generator::Config::new(root.join("spec"))).unwrap();
    // Named `spec` like the real one, since the preamble names the spec folder.
    let dir = tests::scratch("one-op").join("spec");
    std::fs::create_dir_all(dir.join("overlays")).unwrap();
    for file in ["public.json", "VERSION", "CHANGELOG.md"] {
        std::fs::copy(root.join("spec").join(file), dir.join(file)).unwrap();
    }
    let mut overlay: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("spec/overlays/billing.json")).unwrap(),
    )
    .unwrap();
    let removed = overlay["paths"]
        .as_object_mut()
        .unwrap()
        .shift_remove("/api/v2/billing/freetrial");
    assert!(removed.is_some());
    std::fs::write(
        dir.join("overlays/billing.json"),
        serde_json::to_string(&overlay).unwrap(),
    )
    .unwrap();
    let after = generator::generate(&generator::Config::new(&dir)).unwrap();
    let changed: Vec<&str> = before
        .files
        .iter()
        .filter(|f| {
            after
                .files
                .iter()
                .find(|g| g.path == f.path)
                .map(|g| g.contents != f.contents)
                .unwrap_or(true)
        })
        .map(|f| f.path.as_str())
        .collect();
    let allowed = [
        // The group's operation count is in its feature's comment.
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/apis/billing.rs",
        "docs/BillingApi.md",
        "src/permissions.rs",
        "src/models/free_trial.rs",
        "src/models/mod.rs",
    ];
    for path in &changed {
        assert!(
            allowed.contains(path),
            "{path} changed although only getBillingFreetrial was removed"
        );
    }
    assert!(changed.contains(&"src/apis/billing.rs"));
}

#[test]
fn output_does_not_depend_on_where_the_spec_lives() {
    let root = tests::workspace();
    let here = generator::generate(&generator::Config::new(root.join("spec"))).unwrap();
    let copy = tests::scratch("spec-elsewhere").join("nested").join("spec");
    copy_dir(&root.join("spec"), &copy);
    let there = generator::generate(&generator::Config::new(&copy)).unwrap();
    for (a, b) in here.files.iter().zip(&there.files) {
        assert_eq!(a, b, "{} depends on the spec's location", a.path);
    }
    assert_eq!(here.files.len(), there.files.len());
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
