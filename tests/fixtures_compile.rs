//! Every good fixture (keywords, prelude names, collisions, 200/202, downloads, multipart,
//! allOf, recursion, defaults outside enums, ...) generates a crate that passes
//! `cargo clippy -D warnings`, compiled together as one workspace in the tests' own target
//! directory.

#[test]
fn every_fixture_crate_passes_clippy() {
    let fixtures = tests::workspace().join("tests/fixtures/ok");
    let dir = tests::scratch("fixture-crates");
    let mut members = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for spec in paths {
        let name = format!(
            "fx-{}",
            spec.file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('_', "-")
        );
        tests::generate_into(&spec, &dir, &name);
        members.push(name);
    }
    tests::make_workspace(&dir, &members);
    let (ok, stderr) = tests::cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--offline",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(ok, "fixture crates do not pass clippy:\n{stderr}");
    let problems = tests::diagnostics(&stderr);
    assert!(problems.is_empty(), "{problems:#?}");
}
