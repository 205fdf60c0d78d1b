//! `cargo xtask diff` and `update-spec`: change reports between two definitions.
//!
//! - every change kind, with its classification, from `fixtures/diff/cases.json` (one
//!   patch of `fixtures/diff/base.json` per case);
//! - the Swagger 2.0 and OpenAPI 3.0 renderings of one API give an empty report;
//! - golden reports for real Genesys pairs, the identity diff of every real file, the
//!   2018-03-21 -> 2025-07-28 counts against a plain comparison of the raw JSON, and the
//!   definitions the real pairs add or remove named in the JSON report as Genesys names
//!   them;
//! - `update-spec` from a file and from a local HTTP server, and failures that must leave
//!   `spec/` and the client untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use generator::diff::{self, Bump, Kind, Report};
use generator::ir::Api;
use serde_json::Value;

fn fixtures() -> PathBuf {
    tests::workspace().join("tests/fixtures/diff")
}

fn lower(path: &Path) -> Api {
    generator::lower_spec(&generator::Config::new(path))
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

// ---------------------------------------------------------------------------------------
// Fixture cases

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Applies an RFC 6902 subset (`add`, `replace`, `remove`) to a document.
fn apply_patch(doc: &mut Value, patch: &[Value]) {
    for step in patch {
        let op = step["op"].as_str().unwrap();
        let path = step["path"].as_str().unwrap();
        let (parent, last) = path.rsplit_once('/').unwrap();
        let last = unescape(last);
        let target = doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent} for {path}"));
        match (op, target) {
            ("add", Value::Array(list)) if last == "-" => list.push(step["value"].clone()),
            ("add", Value::Array(list)) => {
                list.insert(last.parse().unwrap(), step["value"].clone())
            }
            ("add" | "replace", Value::Object(map)) => {
                assert!(
                    op == "add" || map.contains_key(&last),
                    "replace of missing {path}"
                );
                map.insert(last, step["value"].clone());
            }
            ("replace", Value::Array(list)) => {
                list[last.parse::<usize>().unwrap()] = step["value"].clone()
            }
            ("remove", Value::Object(map)) => {
                map.shift_remove(&last)
                    .unwrap_or_else(|| panic!("remove of missing {path}"));
            }
            ("remove", Value::Array(list)) => {
                list.remove(last.parse().unwrap());
            }
            (op, _) => panic!("cannot {op} {path}"),
        }
    }
}

/// A case of `cases.json`: its name, what it changes, the expected changes and, when it is
/// not the one the classification implies (`major` when any is breaking, else `minor` when
/// any is listed, else `patch`), the expected bump (`patch` for changes to documentation
/// or the wire only).
struct Case {
    name: String,
    what: String,
    new: Value,
    expect: Vec<(String, bool)>,
    bump: Option<String>,
}

fn cases() -> Vec<Case> {
    let base = read_json(&fixtures().join("base.json"));
    read_json(&fixtures().join("cases.json"))
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let mut new = base.clone();
            apply_patch(&mut new, case["patch"].as_array().unwrap());
            let mut expect: Vec<(String, bool)> = case["expect"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["kind"].as_str().unwrap().to_owned(),
                        e["breaking"].as_bool().unwrap(),
                    )
                })
                .collect();
            expect.sort();
            Case {
                name: case["name"].as_str().unwrap().to_owned(),
                what: case["what"].as_str().unwrap().to_owned(),
                new,
                expect,
                bump: case["bump"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// The report of base.json -> each case, written to a scratch directory to be lowered.
fn case_reports() -> &'static Vec<(Case, Report)> {
    static REPORTS: OnceLock<Vec<(Case, Report)>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let dir = tests::scratch("diff-cases");
        let old = lower(&fixtures().join("base.json"));
        cases()
            .into_iter()
            .map(|case| {
                let path = dir.join(format!("{}.json", case.name));
                std::fs::write(&path, serde_json::to_string_pretty(&case.new).unwrap()).unwrap();
                let mut report = diff::diff(&old, &lower(&path));
                report.from = "base.json".into();
                report.to = format!("{}.json", case.name);
                (case, report)
            })
            .collect()
    })
}

#[test]
fn every_change_kind_is_reported_and_classified() {
    let mut covered: BTreeMap<Kind, BTreeSet<bool>> = BTreeMap::new();
    let mut failures = Vec::new();
    for (case, report) in case_reports() {
        let mut got: Vec<(String, bool)> = report
            .changes
            .iter()
            .map(|c| (c.kind.as_str().to_owned(), c.breaking))
            .collect();
        got.sort();
        if got != case.expect {
            failures.push(format!(
                "{} ({}):\n  expected {:?}\n  got      {:?}\n{}",
                case.name,
                case.what,
                case.expect,
                got,
                diff::markdown(report, &case.name, 3)
            ));
        }
        for change in &report.changes {
            covered
                .entry(change.kind)
                .or_default()
                .insert(change.breaking);
        }
        // The bump follows the classification, or what the case says.
        let expected_bump = if case.expect.iter().any(|(_, b)| *b) {
            "major"
        } else if let Some(bump) = &case.bump {
            bump.as_str()
        } else if !case.expect.is_empty() {
            "minor"
        } else {
            "patch"
        };
        assert_eq!(report.bump.as_str(), expected_bump, "{}", case.name);
        // Each change's bump agrees with its classification, and the report's is the
        // largest of them.
        for change in &report.changes {
            match (change.breaking, change.kind.patch_only()) {
                (true, _) => assert_eq!(change.bump, Bump::Major, "{change:?}"),
                (false, true) => assert_eq!(change.bump, Bump::Patch, "{change:?}"),
                (false, false) => assert_ne!(change.bump, Bump::Major, "{change:?}"),
            }
        }
        let largest = report.changes.iter().map(|c| c.bump).max();
        assert_eq!(largest.unwrap_or(Bump::Patch), report.bump, "{}", case.name);
        // Listed changes and `other_differences` never both.
        assert!(
            report.changes.is_empty() || !report.other_differences,
            "{}",
            case.name
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let missing: Vec<&str> = Kind::all()
        .filter(|k| !covered.contains_key(k))
        .map(Kind::as_str)
        .collect();
    assert!(missing.is_empty(), "no fixture case exercises {missing:?}");
    // Kinds whose classification depends on the case are exercised both ways.
    for kind in [
        Kind::ParamAdded,
        Kind::FieldRequired,
        Kind::FieldReadOnly,
        Kind::FieldWritable,
    ] {
        assert_eq!(
            covered[&kind],
            BTreeSet::from([false, true]),
            "{} both ways",
            kind.as_str()
        );
    }
}

#[test]
fn change_kind_reports_read_as_release_notes() {
    let mut all = String::new();
    for (case, report) in case_reports() {
        all.push_str(&diff::markdown(report, &case.name, 2));
        all.push('\n');
    }
    insta::assert_snapshot!(all);
}

#[test]
fn the_change_report_page_lists_every_kind() {
    let page = std::fs::read_to_string(tests::workspace().join("docs/change-report.md")).unwrap();
    let missing: Vec<&str> = Kind::all()
        .map(Kind::as_str)
        .filter(|kind| !page.contains(&format!("`{kind}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/change-report.md does not list {missing:?}"
    );
}

#[test]
fn json_form_is_stable() {
    let (_, report) = case_reports()
        .iter()
        .find(|(case, _)| case.name == "param-renamed")
        .unwrap();
    insta::assert_snapshot!(diff::json(report));
    // Changes are sorted, and the counts add up.
    let mut sorted = report.changes.clone();
    sorted.sort();
    assert_eq!(sorted, report.changes);
    let total: usize = report
        .summary
        .by_kind
        .iter()
        .map(|k| k.breaking + k.non_breaking)
        .sum();
    assert_eq!(total, report.changes.len());
}

#[test]
fn operation_id_changes_under_the_same_method_name_are_no_change() {
    let (_, report) = case_reports()
        .iter()
        .find(|(case, _)| case.name == "operation-id-changed")
        .unwrap();
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.bump, Bump::Patch);
}

#[test]
fn swagger2_and_openapi3_renderings_diff_empty() {
    let ok = tests::workspace().join("tests/fixtures/ok");
    let report = diff::diff(
        &lower(&ok.join("swagger2_same.json")),
        &lower(&ok.join("openapi3_same.yaml")),
    );
    assert!(report.is_empty(), "{}", diff::json(&report));
    assert_eq!(report.bump, Bump::None);
}

// ---------------------------------------------------------------------------------------
// The real corpus

const FILES: &[&str] = &[
    "2017-09-08",
    "2017-09-21",
    "2017-12-09",
    "2018-03-21",
    "2025-07-28",
];

fn corpus_file(dir: &Path, date: &str) -> PathBuf {
    dir.join(format!("genesys-platform-api-{date}.json"))
}

/// Each real file lowered once per test binary.
fn real(dir: &Path, date: &str) -> &'static Api {
    static APIS: OnceLock<std::sync::Mutex<BTreeMap<String, &'static Api>>> = OnceLock::new();
    let cache = APIS.get_or_init(Default::default);
    if let Some(api) = cache.lock().unwrap().get(date) {
        return api;
    }
    let api: &'static Api = Box::leak(Box::new(lower(&corpus_file(dir, date))));
    cache.lock().unwrap().insert(date.to_owned(), api);
    api
}

fn real_report(dir: &Path, from: &str, to: &str) -> Report {
    let mut report = diff::diff(real(dir, from), real(dir, to));
    report.from = format!("genesys-platform-api-{from}.json");
    report.to = format!("genesys-platform-api-{to}.json");
    report
}

#[test]
fn golden_2017_09_08_to_2017_09_21() {
    let Some(dir) = tests::corpus("golden_2017_09_08_to_2017_09_21") else {
        return;
    };
    let report = real_report(&dir, "2017-09-08", "2017-09-21");
    let billing: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.group.as_deref() == Some("BillingApi"))
        .map(|c| {
            (
                c.kind,
                c.operation.as_ref().map(|o| o.operation_id.as_str()),
            )
        })
        .collect();
    assert_eq!(
        billing,
        vec![
            (Kind::GroupAdded, None),
            (Kind::OperationAdded, Some("getBillingReportsBillableusage")),
        ]
    );
    let billing_models: BTreeSet<&str> = report
        .of_kind(Kind::ModelAdded)
        .filter(|c| c.used_by == ["BillingApi"])
        .filter_map(|c| c.model.as_deref())
        .collect();
    assert_eq!(
        billing_models,
        BTreeSet::from(["BillingUsage", "BillingUsageReport", "BillingUsageResource"])
    );
    insta::assert_snapshot!(diff::markdown(&report, "API changes", 1));
}

#[test]
fn golden_2017_12_09_to_2018_03_21() {
    let Some(dir) = tests::corpus("golden_2017_12_09_to_2018_03_21") else {
        return;
    };
    let report = real_report(&dir, "2017-12-09", "2018-03-21");
    assert_eq!(report.of_kind(Kind::OperationAdded).count(), 72);
    assert_eq!(report.of_kind(Kind::OperationRemoved).count(), 6);
    assert_eq!(report.of_kind(Kind::ModelAdded).count(), 57);
    assert_eq!(report.of_kind(Kind::ModelRemoved).count(), 7);
    insta::assert_snapshot!(diff::markdown(&report, "API changes", 1));
}

#[test]
fn identity_diff_of_each_real_file_is_empty() {
    let Some(dir) = tests::corpus("identity_diff_of_each_real_file_is_empty") else {
        return;
    };
    for date in FILES {
        // Lowered twice, independently: the report must not see any difference.
        let again = lower(&corpus_file(&dir, date));
        let report = diff::diff(real(&dir, date), &again);
        assert!(report.is_empty(), "{date}: {}", diff::json(&report));
        assert_eq!(report.bump, Bump::None);
    }
}

/// (method, path) of every operation, and every definition name, straight from the JSON.
fn raw_identities(path: &Path) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let doc = read_json(path);
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut operations = BTreeSet::new();
    for (route, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if methods.contains(&method.as_str()) {
                operations.insert((method.to_uppercase(), route.clone()));
            }
        }
    }
    let definitions = doc["definitions"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    (operations, definitions)
}

/// The model id of a definition (ARCHITECTURE.md, "Model ids"): its name, escaped with a
/// leading `\` when it starts with `#` or `\`.
fn definition_id(name: &str) -> String {
    if name.starts_with(['#', '\\']) {
        format!("\\{name}")
    } else {
        name.to_owned()
    }
}

#[test]
fn real_pairs_name_added_and_removed_definitions_as_genesys_does() {
    let Some(dir) = tests::corpus("real_pairs_name_added_and_removed_definitions_as_genesys_does")
    else {
        return;
    };
    let mut differing = BTreeSet::new();
    for (from, to) in [("2017-09-08", "2017-09-21"), ("2017-12-09", "2018-03-21")] {
        let (_, old_defs) = raw_identities(&corpus_file(&dir, from));
        let (_, new_defs) = raw_identities(&corpus_file(&dir, to));
        let (old, new) = (real(&dir, from), real(&dir, to));
        // With every tag selected (the default) the IR keeps unreached definitions too (only
        // a `--tags` selection drops them), so the raw keys are exactly the definitions the
        // report can name: checked, not assumed.
        for (defs, api, date) in [(&old_defs, old, from), (&new_defs, new, to)] {
            let dropped: Vec<&String> = defs
                .iter()
                .filter(|d| !api.models.contains_key(&definition_id(d)))
                .collect();
            assert!(dropped.is_empty(), "{date}: the IR dropped {dropped:?}");
        }
        let report: Value =
            serde_json::from_str(&diff::json(&real_report(&dir, from, to))).unwrap();
        let changes = report["changes"].as_array().unwrap();
        let named = |kind: &str| -> BTreeSet<String> {
            changes
                .iter()
                .filter(|c| c["kind"] == kind)
                .map(|c| {
                    c["definition"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{kind} without a definition: {c}"))
                        .to_owned()
                })
                .collect()
        };
        let added: BTreeSet<String> = new_defs.difference(&old_defs).cloned().collect();
        let removed: BTreeSet<String> = old_defs.difference(&new_defs).cloned().collect();
        assert_eq!(named("model-added"), added, "{from} -> {to}: added");
        assert_eq!(named("model-removed"), removed, "{from} -> {to}: removed");
        // Every model change names its definition next to the Rust name the IR gives it;
        // inline models have no definition.
        for change in changes.iter().filter(|c| !c["model"].is_null()) {
            let model = change["model"].as_str().unwrap();
            let Some(definition) = change["definition"].as_str() else {
                assert!(
                    !["model-added", "model-removed"].contains(&change["kind"].as_str().unwrap()),
                    "{change}"
                );
                continue;
            };
            let api = if change["kind"] == "model-removed" {
                old
            } else {
                new
            };
            let id = definition_id(definition);
            assert!(!id.starts_with('#'), "{change}");
            assert_eq!(api.models[&id].name.rust, model, "{change}");
            if definition != model {
                differing.insert((definition.to_owned(), model.to_owned()));
            }
        }
    }
    // The issue's examples: names a Genesys reader searches for, unlike the Rust ones.
    for (definition, rust) in [
        ("NTPSettings", "NtpSettings"),
        (
            "SMSAvailablePhoneNumberEntityListing",
            "SmsAvailablePhoneNumberEntityListing",
        ),
    ] {
        assert!(
            differing.contains(&(definition.to_owned(), rust.to_owned())),
            "{definition} not reported as {rust}: {differing:?}"
        );
    }
}

#[test]
fn counts_2018_to_2025_match_a_plain_comparison() {
    let Some(dir) = tests::corpus("counts_2018_to_2025_match_a_plain_comparison") else {
        return;
    };
    let (old_ops, old_defs) = raw_identities(&corpus_file(&dir, "2018-03-21"));
    let (new_ops, new_defs) = raw_identities(&corpus_file(&dir, "2025-07-28"));
    let plain = [
        new_ops.difference(&old_ops).count(),
        old_ops.difference(&new_ops).count(),
        new_defs.difference(&old_defs).count(),
        old_defs.difference(&new_defs).count(),
    ];
    assert_eq!(plain, [1813, 88, 3198, 104], "the issue's figures");

    let (old, new) = (real(&dir, "2018-03-21"), real(&dir, "2025-07-28"));
    let mut timings = Vec::new();
    let mut report = None;
    for _ in 0..5 {
        let start = Instant::now();
        report = Some(diff::diff(old, new));
        timings.push(start.elapsed());
    }
    let report = report.unwrap();
    let counted = [
        report.of_kind(Kind::OperationAdded).count(),
        report.of_kind(Kind::OperationRemoved).count(),
        report.of_kind(Kind::ModelAdded).count(),
        report.of_kind(Kind::ModelRemoved).count(),
    ];
    assert_eq!(counted, plain, "added/removed operations and models");
    // The summary table says the same.
    let summary: BTreeMap<Kind, usize> = report
        .summary
        .by_kind
        .iter()
        .map(|k| (k.kind, k.breaking + k.non_breaking))
        .collect();
    assert_eq!(summary[&Kind::OperationAdded], 1813);
    assert_eq!(summary[&Kind::ModelRemoved], 104);
    // And the report names exactly the operations the plain comparison finds.
    let added: BTreeSet<(String, String)> = report
        .of_kind(Kind::OperationAdded)
        .map(|c| {
            let op = c.operation.as_ref().unwrap();
            (op.method.as_str().to_owned(), op.path.clone())
        })
        .collect();
    let plain_added: BTreeSet<(String, String)> = new_ops.difference(&old_ops).cloned().collect();
    assert_eq!(added, plain_added);
    timings.sort();
    eprintln!(
        "diff 2018-03-21 -> 2025-07-28 ({} changes): min {:.1} ms, median {:.1} ms over {} runs ({} build)",
        report.changes.len(),
        timings[0].as_secs_f64() * 1000.0,
        timings[timings.len() / 2].as_secs_f64() * 1000.0,
        timings.len(),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
}

// ---------------------------------------------------------------------------------------
// update-spec

/// Every file under a directory, with its contents.
fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// A workspace-like scratch directory: `spec/` imported from base.json (tags Alpha and
/// Beta) with VERSION, CHANGELOG.md and an overlay, and `generated-client/` from it.
struct Project {
    root: PathBuf,
}

impl Project {
    fn new(name: &str) -> Project {
        let root = tests::scratch(name);
        let spec = root.join("spec");
        let tags = vec!["Alpha".to_owned(), "Beta".to_owned()];
        xtask::import::import_spec(&fixtures().join("base.json"), None, &tags, &spec).unwrap();
        std::fs::write(spec.join("VERSION"), "0.1.0\n").unwrap();
        std::fs::write(
            spec.join("CHANGELOG.md"),
            "# Changelog\n\n## 0.1.0\n\nThe first client.\n",
        )
        .unwrap();
        std::fs::create_dir_all(spec.join("overlays")).unwrap();
        std::fs::write(
            spec.join("overlays/extra.json"),
            r#"{"swagger": "2.0", "info": {"title": "x", "version": "v2"}, "tags": [{"name": "Extra"}],
  "paths": {"/api/v2/extra": {"get": {"tags": ["Extra"], "operationId": "getExtra",
    "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}}}}}
"#,
        )
        .unwrap();
        let project = Project { root };
        let generated = generator::generate(&generator::Config::new(project.spec())).unwrap();
        generator::write::apply(
            &project.client(),
            &generated.files,
            generator::write::Mode::Write,
        )
        .unwrap();
        project
    }

    fn spec(&self) -> PathBuf {
        self.root.join("spec")
    }

    fn client(&self) -> PathBuf {
        self.root.join("generated-client")
    }

    fn options(&self, from: &str) -> xtask::update::UpdateOptions {
        xtask::update::UpdateOptions {
            from: from.to_owned(),
            preview: None,
            tags: None,
            spec: self.spec(),
            out: self.client(),
            crate_name: "genesys-cloud".into(),
            dump_dir: self.root.join("invalid"),
        }
    }

    fn state(&self) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
        (snapshot_dir(&self.spec()), snapshot_dir(&self.client()))
    }

    /// Only `spec/` and `generated-client/` remain: no staging leftovers.
    fn assert_clean(&self) {
        let mut names: Vec<String> = std::fs::read_dir(&self.root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "invalid" && !n.ends_with(".json"))
            .collect();
        names.sort();
        assert_eq!(names, ["generated-client", "spec"]);
    }
}

/// The next definition: base.json with a new required parameter and a new model.
fn next_definition(dir: &Path, name: &str) -> PathBuf {
    let mut doc = read_json(&fixtures().join("base.json"));
    for case in cases() {
        if ["param-added-required", "field-added-optional"].contains(&case.name.as_str()) {
            let patch = read_json(&fixtures().join("cases.json"));
            let step = patch
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == case.name.as_str())
                .unwrap();
            apply_patch(&mut doc, step["patch"].as_array().unwrap());
        }
    }
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

/// `origin`: what the changelog heading names, the file or the URL.
fn assert_updated(project: &Project, updated: &xtask::update::Updated, file: &str, origin: &str) {
    assert_eq!(updated.report.bump, Bump::Major);
    assert_eq!(
        (updated.old_version.as_str(), updated.new_version.as_str()),
        ("0.1.0", "0.2.0")
    );
    let spec = project.spec();
    assert_eq!(
        std::fs::read_to_string(spec.join("VERSION")).unwrap(),
        "0.2.0\n"
    );
    let source = std::fs::read_to_string(spec.join("SOURCE")).unwrap();
    assert!(source.contains(&format!("file: {file}")), "{source}");
    assert!(source.contains("tags: Alpha,Beta"), "{source}");
    let public = std::fs::read_to_string(spec.join("public.json")).unwrap();
    assert!(
        public.contains("\"tenant\""),
        "the new definition is imported"
    );
    assert!(spec.join("overlays/extra.json").exists(), "overlays stay");
    let changelog = std::fs::read_to_string(spec.join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.starts_with(&format!("# Changelog\n\n## 0.2.0 (2099-01-01, {origin})\n")),
        "{changelog}"
    );
    assert!(
        changelog.contains("new required parameter `tenant`"),
        "{changelog}"
    );
    assert!(
        changelog
            .trim_end()
            .ends_with("## 0.1.0\n\nThe first client."),
        "{changelog}"
    );
    // The client is regenerated from the new spec: version, changelog, and no drift.
    let client = project.client();
    let cargo = std::fs::read_to_string(client.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("version = \"0.2.0\""), "{cargo}");
    let crate_changelog = std::fs::read_to_string(client.join("CHANGELOG.md")).unwrap();
    assert!(
        crate_changelog.contains(changelog.trim()),
        "{crate_changelog}"
    );
    let fresh = generator::generate(&generator::Config::new(&spec)).unwrap();
    let drift =
        generator::write::apply(&client, &fresh.files, generator::write::Mode::Check).unwrap();
    assert!(drift.is_empty(), "{drift:?}");
    project.assert_clean();
}

#[test]
fn update_spec_from_a_file() {
    let project = Project::new("update-file");
    let from = next_definition(&project.root, "genesys-platform-api-2099-01-01.json");
    let updated = xtask::update::update_spec(&project.options(from.to_str().unwrap())).unwrap();
    let file = "genesys-platform-api-2099-01-01.json";
    assert_updated(&project, &updated, file, file);
    // The same definition again: nothing to bump, nothing prepended.
    let (spec, client) = project.state();
    let again = xtask::update::update_spec(&project.options(from.to_str().unwrap())).unwrap();
    assert!(!again.changed && again.entry.is_empty());
    assert_eq!(again.report.bump, Bump::None);
    assert_eq!(again.new_version, "0.2.0");
    assert_eq!(project.state(), (spec, client));
}

/// Serves one request on 127.0.0.1 with `response`, then stops; returns the URL base.
fn serve_once(response: Vec<u8>) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        let _ = stream.write_all(&response);
        let _ = stream.flush();
        String::from_utf8_lossy(&request).into_owned()
    });
    (url, handle)
}

fn http_response(status: &str, body: &[u8], declared: usize) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[test]
fn update_spec_from_a_local_http_server() {
    let project = Project::new("update-http");
    let body = std::fs::read(next_definition(&project.root, "next.json")).unwrap();
    std::fs::remove_file(project.root.join("next.json")).unwrap();
    let (url, server) = serve_once(http_response("200 OK", &body, body.len()));
    let url = format!("{url}/specs/genesys-platform-api-2099-01-01.json");
    let updated = xtask::update::update_spec(&project.options(&url)).unwrap();
    let request = server.join().unwrap();
    assert!(
        request.starts_with("GET /specs/genesys-platform-api-2099-01-01.json HTTP/1.1"),
        "{request}"
    );
    assert_updated(
        &project,
        &updated,
        "genesys-platform-api-2099-01-01.json",
        &url,
    );
    let source = std::fs::read_to_string(project.spec().join("SOURCE")).unwrap();
    assert!(source.contains(&format!("url: {url}")), "{source}");
}

/// Runs an update that must fail, and checks nothing changed.
fn assert_fails_untouched(project: &Project, from: &str, expected: &str) {
    let before = project.state();
    let error =
        xtask::update::update_spec(&project.options(from)).expect_err("the update must fail");
    let message = format!("{error:#}");
    assert!(message.contains(expected), "{message}");
    assert_eq!(project.state(), before, "spec/ or the client changed");
    project.assert_clean();
}

#[test]
fn a_failing_fetch_leaves_everything_untouched() {
    let project = Project::new("update-fetch-fails");
    let (url, server) = serve_once(http_response("404 Not Found", b"{}", 2));
    assert_fails_untouched(&project, &format!("{url}/missing.json"), "HTTP 404");
    server.join().unwrap();
    // A body cut short of its Content-Length.
    let (url, server) = serve_once(http_response("200 OK", b"{\"swagger\": \"2.0\"", 5000));
    assert_fails_untouched(&project, &format!("{url}/short.json"), "short.json");
    server.join().unwrap();
    // Nobody listening.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    assert_fails_untouched(
        &project,
        &format!("http://127.0.0.1:{port}/x.json"),
        "fetching",
    );
}

#[test]
fn an_invalid_new_definition_leaves_everything_untouched() {
    let project = Project::new("update-invalid");
    let bad = project.root.join("bad.json");
    std::fs::write(&bad, "{\"swagger\": \"2.0\",").unwrap();
    assert_fails_untouched(&project, bad.to_str().unwrap(), "syntax error");
    // Parses and imports, but does not generate: a dangling $ref in a reached definition.
    let mut doc = read_json(&fixtures().join("base.json"));
    doc["definitions"]["Thing"]["properties"]["owner"] =
        serde_json::json!({"$ref": "#/definitions/Nobody"});
    std::fs::write(&bad, serde_json::to_string(&doc).unwrap()).unwrap();
    assert_fails_untouched(&project, bad.to_str().unwrap(), "Nobody");
    // Generates alone, but clashes with the overlay (which stays): an overlay operation
    // that the new public definition now publishes too.
    let mut doc = read_json(&fixtures().join("base.json"));
    doc["paths"]["/api/v2/extra"] = serde_json::json!({"get": {"tags": ["Alpha"],
        "operationId": "getExtraPublic", "responses": {"200": {"description": "ok"}}}});
    std::fs::write(&bad, serde_json::to_string(&doc).unwrap()).unwrap();
    assert_fails_untouched(&project, bad.to_str().unwrap(), "redefines");
    // A missing file.
    assert_fails_untouched(
        &project,
        project.root.join("nowhere.json").to_str().unwrap(),
        "nowhere.json",
    );
}
