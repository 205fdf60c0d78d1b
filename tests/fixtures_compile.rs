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

/// Each API group compiles on its own (`--no-default-features --features <group>`), without
/// warnings, and pulls in only the models its operations reach. The Billing, Usage and
/// OAuth groups of `spec/` (the overlay's group, and two that share a module): every one of
/// the 80 groups of the committed client is `cargo xtask features`' job (minutes), and
/// `.ci/run` samples them.
#[test]
fn each_group_feature_compiles_alone() {
    let root = tests::workspace();
    let dir = tests::scratch("feature-crates");
    let generated = tests::generate_tags_into(
        &root.join("spec"),
        Some(&["Billing", "Usage", "OAuth"]),
        &dir,
        "features-client",
    );
    assert_eq!(generated.api.groups.len(), 3);
    tests::make_workspace(&dir, &["features-client".to_owned()]);
    let models = generated
        .files
        .iter()
        .find(|f| f.path == "src/models/mod.rs")
        .unwrap();
    // A Usage-only model is not compiled for billing.
    assert!(
        models.contents.contains(
            "    #[cfg(any(feature = \"o_auth\", feature = \"usage\"))]\n    api_usage_query_result::ApiUsageQueryResult,"
        ),
        "{}",
        models.contents
    );
    each_feature_compiles_alone(&dir, &generated);
}

/// A group whose module also compiles for another group (an operation both tag is built
/// there) compiles with either feature alone: the module's other builders, and the models
/// only they reach, are gated by their own group's feature.
#[test]
fn groups_sharing_a_module_compile_with_each_feature_alone() {
    let root = tests::workspace();
    let dir = tests::scratch("shared-module-crates");
    let generated = tests::generate_into(
        &root.join("tests/fixtures/ok/shared_modules.json"),
        &dir,
        "shared-modules-client",
    );
    tests::make_workspace(&dir, &["shared-modules-client".to_owned()]);
    each_feature_compiles_alone(&dir, &generated);
}

/// `cargo clippy --lib --no-default-features --features G -D warnings` passes for every
/// group `G` of the crate generated in `dir`.
fn each_feature_compiles_alone(dir: &std::path::Path, generated: &generator::Generated) {
    for group in &generated.api.groups {
        let (ok, stderr) = tests::cargo(
            dir,
            &[
                "clippy",
                "--offline",
                "--lib",
                "--no-default-features",
                "--features",
                &group.feature,
                "--",
                "-D",
                "warnings",
            ],
        );
        assert!(
            ok && tests::diagnostics(&stderr).is_empty(),
            "feature {} alone:\n{stderr}",
            group.feature
        );
    }
}

/// With its group's feature off, calling a group's accessor fails to compile with a message
/// that names the feature, and naming one of its models gets rustc's note that the item is
/// gated behind the feature. The committed runtime client stands for every generated crate:
/// the accessors and the model table come from the same templates.
#[test]
fn a_group_whose_feature_is_off_is_a_compile_error_naming_the_feature() {
    let dir = tests::scratch("feature-off");
    let probe = dir.join("probe");
    std::fs::create_dir_all(probe.join("src")).unwrap();
    let client = tests::workspace().join("tests/runtime-client");
    std::fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nruntime-client = {{ path = {:?} }}\n",
            client.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        probe.join("src/lib.rs"),
        "pub fn call(client: &runtime_client::Client) {\n    let _ = client.users();\n}\n\
         pub fn model() -> Option<runtime_client::models::UpdateUser> {\n    None\n}\n",
    )
    .unwrap();
    tests::make_workspace(&dir, &["probe".to_owned()]);
    let (ok, stderr) = tests::cargo(&dir, &["check", "--offline", "--lib"]);
    assert!(
        !ok,
        "the probe compiled without the users feature:\n{stderr}"
    );
    assert!(
        stderr.contains("`Client::users` needs the `users` feature of the `runtime-client` crate"),
        "the accessor's error does not name the feature:\n{stderr}"
    );
    assert!(
        stderr.contains("add \"users\" (or \"all\") to the features of `runtime-client`"),
        "the accessor's error does not say how to enable it:\n{stderr}"
    );
    assert!(
        stderr.contains("gated behind the `users` feature"),
        "the model's error does not name the feature:\n{stderr}"
    );

    // With the feature, the same code compiles.
    let manifest = std::fs::read_to_string(probe.join("Cargo.toml")).unwrap();
    std::fs::write(
        probe.join("Cargo.toml"),
        manifest.replace(" }\n", ", features = [\"users\"] }\n"),
    )
    .unwrap();
    let (ok, stderr) = tests::cargo(&dir, &["check", "--offline", "--lib"]);
    assert!(
        ok,
        "the probe does not compile with the users feature:\n{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
