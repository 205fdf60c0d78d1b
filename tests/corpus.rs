//! The real Genesys definitions: each generates, with the warnings its known defects call
//! for; the 2018-03-21 crate passes `cargo check` with no warnings, in the tests' own target
//! directory. The 2025-07-28 definition is the committed client (`spec/`, with the
//! overlay), so its crate is compiled once, with every feature, by `.ci/run`'s clippy and
//! rustdoc, not a second time here (it needs minutes and several GiB).

use std::path::Path;

fn count(diags: &[generator::Diagnostic], needle: &str) -> usize {
    diags.iter().filter(|d| d.message.contains(needle)).count()
}

fn has(diags: &[generator::Diagnostic], pointer: &str, needle: &str) -> bool {
    diags
        .iter()
        .any(|d| d.pointer == pointer && d.message.contains(needle))
}

#[test]
fn every_real_definition_generates() {
    let Some(corpus) = tests::corpus("every_real_definition_generates") else {
        return;
    };
    for date in ["2017-09-08", "2017-09-21", "2017-12-09"] {
        let spec = corpus.join(format!("genesys-platform-api-{date}.json"));
        let generated =
            generator::generate(&generator::Config::new(&spec)).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            generated.api.operations.len() > 800,
            "{date}: {} operations",
            generated.api.operations.len()
        );
    }
}

fn check_crate(spec: &Path, name: &str) -> generator::Generated {
    let dir = tests::scratch(name);
    let generated = tests::generate_into(spec, &dir, name);
    tests::make_workspace(&dir, &[name.to_owned()]);
    let (ok, stderr) = tests::cargo(&dir, &["check", "--offline", "--lib"]);
    assert!(
        ok,
        "{name} does not compile:\n{}",
        stderr.lines().take(80).collect::<Vec<_>>().join("\n")
    );
    let problems = tests::diagnostics(&stderr);
    assert!(problems.is_empty(), "{name}: {problems:#?}");
    let _ = std::fs::remove_dir_all(&dir);
    generated
}

#[test]
fn real_crates_compile_without_warnings_and_defects_are_warned() {
    let Some(corpus) = tests::corpus("real_crates_compile_without_warnings_and_defects_are_warned")
    else {
        return;
    };

    let old = check_crate(
        &corpus.join("genesys-platform-api-2018-03-21.json"),
        "genesys-2018-03-21",
    );
    assert_eq!((old.api.operations.len(), old.api.groups.len()), (932, 42));
    let d = &old.diagnostics;
    assert!(
        has(
            d,
            "/paths/~1api~1v2~1scripts~1published/get/parameters/0",
            "does not occur in the path"
        ),
        "scriptId defect not warned"
    );
    assert!(
        d.iter()
            .any(|x| x.pointer.ends_with("/responses/424") && x.message.contains("no description")),
        "424 defect not warned"
    );
    // Method names follow x-purecloud-method-name, which differs from the operationId here.
    let renamed = old
        .api
        .operations
        .values()
        .filter(|o| o.name.wire != o.id)
        .count();
    assert_eq!(renamed, 577);

    let live = generator::generate(&generator::Config::new(
        corpus.join("genesys-platform-api-2025-07-28.json"),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (live.api.operations.len(), live.api.groups.len()),
        (2657, 80)
    );
    let d = &live.diagnostics;
    assert_eq!(count(d, "response has no description"), 64);
    assert_eq!(count(d, "is not one of the enum values"), 42);
    // Genesys's `position` (its property order) is known vocabulary: dropped silently.
    assert_eq!(count(d, "non-standard schema keyword \"position\""), 0);
    assert_eq!(
        count(d, "non-standard schema keyword \"allowEmptyValue\""),
        4
    );
    assert_eq!(count(d, "\"Webmessaging JWT\" is not declared"), 2);
    assert_eq!(count(d, "declares no security requirement"), 29);
    // Two-tag operations appear in both groups, built once.
    let op = &live.api.operations["postOauthClientUsageQuery"];
    assert_eq!(op.tags, ["OAuth", "Usage"]);
    for tag in ["OAuth", "Usage"] {
        assert!(live
            .api
            .groups
            .iter()
            .find(|g| g.tag == tag)
            .unwrap()
            .operations
            .contains(&op.id));
    }
}
