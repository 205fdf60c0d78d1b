//! The default spec covers the seed SDK pages: every operation of every seed page exists in
//! the generated client with the seed's parameters, return type and permissions (the list
//! is kept in `tests/data/seed_operations.json`); `import-spec` reproduces `spec/public.json`;
//! overlay models agree with the 2025 definition except where `spec/overlay-differences.json`
//! says why.

use std::collections::BTreeSet;

use generator::ir::{ParamLocation, PermissionKind, TypeRef};
use serde_json::Value;

fn json(path: &std::path::Path) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap()
}

#[test]
fn every_seed_operation_is_in_the_generated_client() {
    let root = tests::workspace();
    let (api, _) = generator::lower_spec(&generator::Config::new(root.join("spec")))
        .unwrap_or_else(|e| panic!("{e}"));
    let seeds = json(&root.join("tests/data/seed_operations.json"));
    let seeds = seeds.as_array().unwrap();
    assert!(
        seeds.len() >= 43,
        "the seed list has {} operations",
        seeds.len()
    );
    for seed in seeds {
        let id = seed["operationId"].as_str().unwrap();
        let op = api
            .operations
            .get(id)
            .unwrap_or_else(|| panic!("{id} is missing"));
        let group = api
            .groups
            .iter()
            .find(|g| g.name.rust == seed["group"].as_str().unwrap())
            .unwrap_or_else(|| panic!("group {} missing", seed["group"]));
        let position = group
            .operations
            .iter()
            .position(|o| o == id)
            .unwrap_or_else(|| panic!("{id} is not in {}", group.name.rust));
        assert_eq!(op.method.as_str(), seed["method"].as_str().unwrap(), "{id}");
        assert_eq!(op.path, seed["path"].as_str().unwrap(), "{id}");

        let mut expected = BTreeSet::new();
        for p in seed["params"].as_array().unwrap() {
            let (name, location, required) = (
                p["name"].as_str().unwrap(),
                p["in"].as_str().unwrap(),
                p["required"].as_bool().unwrap(),
            );
            if location == "body" {
                let body = op
                    .body
                    .as_ref()
                    .unwrap_or_else(|| panic!("{id} has no body"));
                assert_eq!(body.required, required, "{id} body required-ness");
                continue;
            }
            let param = op
                .params
                .iter()
                .find(|q| q.name.wire == name)
                .unwrap_or_else(|| panic!("{id} lacks parameter {name}"));
            let loc = match param.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            };
            assert_eq!(
                (loc, param.required),
                (location, required),
                "{id} parameter {name}"
            );
            expected.insert(name.to_owned());
        }
        let actual: BTreeSet<String> = op.params.iter().map(|p| p.name.wire.clone()).collect();
        assert_eq!(actual, expected, "{id} parameters");

        match seed["returns"].as_str() {
            Some(model) => {
                let found = op.success.iter().any(|r| matches!(&r.ty, Some(TypeRef::Model(m)) if api.models[m].name.wire == model));
                assert!(found, "{id} does not return {model}");
            }
            None => assert!(
                op.success.iter().all(|r| r.ty.is_none()),
                "{id} returns a body"
            ),
        }
        match &seed["permissions"] {
            Value::Null => assert!(op.permissions.is_none(), "{id} should need no permissions"),
            p => {
                let perms = op
                    .permissions
                    .as_ref()
                    .unwrap_or_else(|| panic!("{id} lacks permissions"));
                let kind = if perms.kind == PermissionKind::All {
                    "ALL"
                } else {
                    "ANY"
                };
                assert_eq!(kind, p["type"].as_str().unwrap(), "{id}");
                let names: Vec<&str> = p["permissions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(perms.names, names, "{id}");
            }
        }
        // The committed client has the method, documented with the permissions.
        let source = std::fs::read_to_string(
            root.join(format!("generated-client/src/apis/{}.rs", group.module)),
        )
        .unwrap();
        let method = &group.methods[position];
        assert!(
            source.contains(&format!("pub fn {method}(")),
            "{id}: no method {method} in {}",
            group.module
        );
        if let Some(perms) = &op.permissions {
            let kind = if perms.kind == PermissionKind::All {
                "ALL"
            } else {
                "ANY"
            };
            assert!(source.contains(&format!("Requires {kind} permissions:")));
            for name in &perms.names {
                assert!(
                    source.contains(&format!("/// * {name}")),
                    "{id}: permission {name} not documented"
                );
            }
        }
    }
}

#[test]
fn import_spec_reproduces_the_public_part() {
    let Some(corpus) = tests::corpus("import_spec_reproduces_the_public_part") else {
        return;
    };
    let root = tests::workspace();
    let from = corpus.join("genesys-platform-api-2025-07-28.json");
    let (doc, input) = generator::load::read_document(&from).unwrap();
    let imported = generator::import::import(
        &doc,
        "genesys-platform-api-2025-07-28.json",
        &input.sha256,
        None,
    )
    .unwrap();
    assert_eq!((imported.operations, imported.definitions), (2657, 3796));
    let text = serde_json::to_string_pretty(&imported.doc).unwrap() + "\n";
    assert!(
        text == std::fs::read_to_string(root.join("spec/public.json")).unwrap(),
        "spec/public.json differs from a fresh import-spec"
    );
    assert_eq!(
        imported.source_note,
        std::fs::read_to_string(root.join("spec/SOURCE")).unwrap()
    );
}

/// `type/format`, `Ref` or `[items]` of a property, for comparing two definitions.
fn signature(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap().to_owned();
    }
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    match ty {
        "array" => format!(
            "[{}]",
            schema.get("items").map(signature).unwrap_or_default()
        ),
        _ => match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("{ty}/{f}"),
            None => ty.to_owned(),
        },
    }
}

#[test]
fn overlay_models_agree_with_the_2025_definition_or_say_why() {
    let Some(corpus) = tests::corpus("overlay_models_agree_with_the_2025_definition_or_say_why")
    else {
        return;
    };
    let root = tests::workspace();
    let overlay = json(&root.join("spec/overlays/billing.json"));
    let live = json(&corpus.join("genesys-platform-api-2025-07-28.json"));
    let listed = json(&root.join("spec/overlay-differences.json"));
    let listed: BTreeSet<(String, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["model"].as_str().unwrap().to_owned(),
                d["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut found = BTreeSet::new();
    let mut compared = 0;
    for (name, def) in overlay["definitions"].as_object().unwrap() {
        let Some(other) = live["definitions"].get(name) else {
            continue;
        };
        compared += 1;
        let props = |d: &Value| {
            d.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let required = |d: &Value, f: &str| {
            d.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|v| v == f))
        };
        let (ours, theirs) = (props(def), props(other));
        for field in ours.keys().chain(theirs.keys()) {
            let same = match (ours.get(field), theirs.get(field)) {
                (Some(a), Some(b)) => {
                    signature(a) == signature(b) && required(def, field) == required(other, field)
                }
                _ => false,
            };
            if !same {
                found.insert((name.clone(), field.clone()));
            }
        }
    }
    // Since every tag of the 2025 definition is imported, an overlay model that it also has
    // is a load error (an overlay may not redefine a public definition), so nothing is
    // compared against it any more; the listed differences must then be none.
    assert_eq!(
        compared, 0,
        "overlay models the 2025 definition also has: delete them from the overlay (spec/README.md)"
    );
    assert_eq!(found, listed, "differences between overlay models and the 2025 definition must be listed in spec/overlay-differences.json");
}
