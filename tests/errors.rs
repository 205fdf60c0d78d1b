//! Bad input: every fixture in `tests/fixtures/bad`, given to `cargo xtask generate --spec
//! FIXTURE --out DIR`, fails with an error naming the file and the JSON pointer (or line
//! and column) its `.expect` file gives, without a panic, and leaves the existing DIR
//! untouched. A failure while writing leaves it untouched too.

use std::path::Path;

use xtask::cli::{Cli, Command, Generate, Target};

/// The names in `dir` with their contents (`None` for a directory), sorted.
fn listing(dir: &Path) -> Vec<(String, Option<String>)> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).ok())
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn each_bad_fixture_fails_with_file_pointer_and_reason_and_leaves_the_output_untouched() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bad");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for spec in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e != "expect"))
    {
        let expect = std::fs::read_to_string(spec.with_extension("expect"))
            .unwrap_or_else(|_| panic!("{} has no .expect", spec.display()));
        let (place, phrase) = expect
            .trim_end()
            .split_once('\t')
            .expect("expect line: place<TAB>phrase");

        // An existing crate directory, beside which `generate` could stage its output.
        let scratch = tests::scratch(&format!(
            "bad-{}",
            spec.file_stem().unwrap().to_string_lossy()
        ));
        let out = scratch.join("client");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("lib.rs"), "existing output").unwrap();
        let (before, before_out) = (listing(&scratch), listing(&out));
        // `cargo xtask generate --spec FIXTURE --out DIR`.
        let cli = Cli {
            command: Some(Command::Generate(Generate {
                target: Target {
                    spec: Some(spec.clone()),
                    out: Some(out.clone()),
                    tags: None,
                    name: None,
                },
                all_warnings: false,
                accept_warnings: false,
            })),
        };
        let err = match std::panic::catch_unwind(|| cli.run()) {
            Ok(Ok(_)) => panic!("{} generated, but should fail", spec.display()),
            Ok(Err(failure)) => {
                assert_eq!(
                    failure.code,
                    1,
                    "{}: generate fails with exit code 1",
                    spec.display()
                );
                failure.error
            }
            Err(_) => panic!("{} made the generator panic", spec.display()),
        };
        assert_eq!(listing(&scratch), before, "{}", spec.display());
        assert_eq!(listing(&out), before_out, "{}", spec.display());
        let err = err
            .downcast_ref::<generator::Error>()
            .unwrap_or_else(|| panic!("not a generator error: {err:#}"));
        let message = err.to_string();
        assert!(
            message.starts_with(&spec.display().to_string()),
            "{message:?} does not name the file {}",
            spec.display()
        );
        if let Some(pointer) = place.strip_prefix('#') {
            assert_eq!(
                err.pointer,
                pointer,
                "wrong pointer for {}: {message}",
                spec.display()
            );
            assert!(
                message.contains(&format!("#{pointer}:")),
                "{message:?} does not show the pointer"
            );
        } else {
            assert!(
                message.contains(place),
                "{message:?} does not give {place:?}"
            );
        }
        assert!(
            message.to_lowercase().contains(&phrase.to_lowercase()),
            "{message:?} does not say {phrase:?}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} bad fixtures found");
}

#[test]
fn a_failed_write_leaves_the_existing_output_untouched() {
    let out = tests::scratch("failed-write").join("client");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("lib.rs"), "old").unwrap();
    // A file whose parent is an existing *file* cannot be written.
    let files = vec![
        generator::format::OutputFile {
            path: "a.rs".into(),
            contents: "new".into(),
        },
        generator::format::OutputFile {
            path: "a.rs/b.rs".into(),
            contents: "new".into(),
        },
    ];
    let err = generator::write::apply(&out, &files, generator::write::Mode::Write).unwrap_err();
    assert!(err.to_string().contains("cannot write"), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("lib.rs")).unwrap(), "old");
    assert!(!out.join("a.rs").exists());
}

#[test]
fn an_overlay_that_redefines_a_public_operation_names_both() {
    let dir = tests::scratch("overlay-redefines");
    std::fs::create_dir_all(dir.join("overlays")).unwrap();
    let public = r#"{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/api/v2/x":{"get":{"operationId":"getX","tags":["X"],"responses":{"200":{"description":"ok"}}}}},"definitions":{"Thing":{"type":"object"}}}"#;
    std::fs::write(dir.join("public.json"), public).unwrap();
    std::fs::write(dir.join("overlays/extra.json"), r#"{"swagger":"2.0","info":{"title":"o","version":"1"},"paths":{"/api/v2/x":{"get":{"operationId":"getX2","responses":{"200":{"description":"ok"}}}}}}"#).unwrap();
    let err = generator::generate(&generator::Config::new(&dir))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("overlays/extra.json#/paths/~1api~1v2~1x/get"),
        "{err}"
    );
    assert!(err.contains("public.json#/paths/~1api~1v2~1x/get"), "{err}");

    std::fs::write(dir.join("overlays/extra.json"), r#"{"swagger":"2.0","info":{"title":"o","version":"1"},"paths":{},"definitions":{"Thing":{"type":"object"}}}"#).unwrap();
    let err = generator::generate(&generator::Config::new(&dir))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("overlays/extra.json#/definitions/Thing")
            && err.contains("public.json#/definitions/Thing"),
        "{err}"
    );
}

#[test]
fn names_that_collide_after_case_conversion_warn_with_both_pointers() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok/collisions.json");
    let generated = generator::generate(&generator::Config::new(&spec)).unwrap();
    let warned = |pointer: &str, related: &str| {
        generated.diagnostics.iter().any(|d| {
            d.pointer == pointer
                && d.related.as_deref() == Some(related)
                && d.message.contains("collides after case conversion")
        })
    };
    assert!(
        warned(
            "/definitions/FooBar/properties/Self",
            "/definitions/FooBar/properties/self"
        ),
        "{:#?}",
        generated.diagnostics
    );
    assert!(
        warned(
            "/paths/~1api~1v2~1things~1{thingId}/get",
            "/paths/~1api~1v2~1things~1{thingId}~1legacy/get"
        ),
        "{:#?}",
        generated.diagnostics
    );
    // Both operations exist, under distinct, stable names.
    let group = &generated.api.groups[0];
    assert!(
        group.methods.contains(&"get_thing".to_owned())
            && group.methods.contains(&"get_thing_2".to_owned()),
        "{:?}",
        group.methods
    );
    let again = generator::generate(&generator::Config::new(&spec)).unwrap();
    assert_eq!(again.api.groups[0].methods, group.methods);
}
