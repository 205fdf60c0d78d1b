//! insta snapshots, one set per fixture in `tests/fixtures/ok`: the IR (YAML), the warnings,
//! and every generated file except the verbatim runtime. Review with `cargo insta review`.

use std::path::Path;

fn generate(path: &Path) -> generator::Generated {
    generator::generate(&generator::Config::new(path)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn ir_of_each_fixture() {
    insta::glob!("fixtures/ok/*", |path| {
        let (api, _) =
            generator::lower_spec(&generator::Config::new(path)).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_yaml_snapshot!(api);
    });
}

#[test]
fn warnings_of_each_fixture() {
    insta::glob!("fixtures/ok/*", |path| {
        let generated = generate(path);
        let lines: Vec<String> = generated
            .diagnostics
            .iter()
            .map(|d| {
                let file = Path::new(&d.file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                format!(
                    "{file}#{} [{}] {}{}",
                    d.pointer,
                    d.kind,
                    d.message,
                    d.related
                        .as_ref()
                        .map(|r| format!(" (see also #{r})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        insta::assert_snapshot!(lines.join("\n"));
    });
}

#[test]
fn rendered_files_of_each_fixture() {
    insta::glob!("fixtures/ok/*", |path| {
        let generated = generate(path);
        let mut out = String::new();
        for file in generated
            .files
            .iter()
            // Verbatim copies: the runtime sources and the license texts.
            .filter(|f| !f.path.starts_with("src/runtime/") && !f.path.starts_with("LICENSE-"))
        {
            out.push_str(&format!("===== {} =====\n{}\n", file.path, file.contents));
        }
        insta::assert_snapshot!(out);
    });
}

#[test]
fn generation_is_deterministic() {
    insta::glob!("fixtures/ok/*", |path| {
        let first = generate(path).files;
        let second = generate(path).files;
        assert_eq!(first, second, "two runs differ for {}", path.display());
    });
}

#[test]
fn swagger2_and_openapi3_renderings_lower_to_the_same_ir() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok");
    let (a, _) =
        generator::lower_spec(&generator::Config::new(dir.join("swagger2_same.json"))).unwrap();
    let (b, _) =
        generator::lower_spec(&generator::Config::new(dir.join("openapi3_same.yaml"))).unwrap();
    // Pointers name places in different documents; everything else must agree.
    assert_eq!(a.without_pointers(), b.without_pointers());
}
