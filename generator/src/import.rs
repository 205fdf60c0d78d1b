//! `import-spec`: cuts the operations carrying some tags (or every operation), with every
//! definition they reach, out of a full Genesys definition, as a valid Swagger 2.0 document
//! for `spec/public.json`.
//!
//! Pure: takes the parsed document and returns the new one and its `SOURCE` note; the
//! xtask reads and writes the files.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind};

/// The imported document and the `SOURCE` note describing where it came from.
#[derive(Debug, Clone)]
pub struct Imported {
    pub doc: Value,
    pub source_note: String,
    pub operations: usize,
    pub definitions: usize,
}

/// What the `tags:` line of a `SOURCE` note says when every operation was imported.
pub const ALL_TAGS: &str = "all";

/// Keeps the operations tagged with any of `tags` (every operation when `None`) and the
/// definitions they reach.
pub fn import(
    doc: &Value,
    file_name: &str,
    sha256: &str,
    tags: Option<&[String]>,
) -> Result<Imported, Error> {
    let Some(root) = doc.as_object() else {
        return Err(Error::new(
            file_name,
            "",
            ErrorKind::Invalid {
                message: "the definition must be an object".into(),
            },
        ));
    };
    if root.get("swagger").and_then(Value::as_str) != Some("2.0") {
        return Err(Error::new(
            file_name,
            "/swagger",
            ErrorKind::UnsupportedVersion {
                found: root
                    .get("swagger")
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "none".into()),
            },
        ));
    }
    let mut paths = Map::new();
    let mut operations = 0;
    let mut used_tags = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    if let Some(in_paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in in_paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            let mut kept = Map::new();
            for (method, op) in item {
                let op_tags: Vec<&str> = op
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| t.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let wanted = match tags {
                    None => true,
                    Some(tags) => op_tags.iter().any(|t| tags.iter().any(|want| want == t)),
                };
                if wanted {
                    used_tags.extend(op_tags.iter().map(|t| t.to_string()));
                    collect_refs(op, &mut pending);
                    kept.insert(method.clone(), op.clone());
                    operations += 1;
                }
            }
            if !kept.is_empty() {
                if let Some(params) = item.get("parameters") {
                    collect_refs(params, &mut pending);
                    kept.insert("parameters".into(), params.clone());
                }
                paths.insert(path.clone(), Value::Object(kept));
            }
        }
    }
    let definitions = root
        .get("definitions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut reached = BTreeSet::new();
    while let Some(target) = pending.pop() {
        let Some(name) = target.strip_prefix("#/definitions/") else {
            continue;
        };
        if !reached.insert(name.to_owned()) {
            continue;
        }
        match definitions.get(name) {
            Some(def) => collect_refs(def, &mut pending),
            None => {
                return Err(Error::new(
                    file_name,
                    "/definitions",
                    ErrorKind::UnresolvedRef { target },
                ))
            }
        }
    }
    let kept_definitions: Map<String, Value> = definitions
        .into_iter()
        .filter(|(name, _)| reached.contains(name))
        .collect();
    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "paths" => {
                out.insert(key.clone(), Value::Object(paths.clone()));
            }
            "definitions" => {
                out.insert(key.clone(), Value::Object(kept_definitions.clone()));
            }
            "tags" => {
                let kept: Vec<Value> = value
                    .as_array()
                    .map(|l| {
                        l.iter()
                            .filter(|t| {
                                t.get("name")
                                    .and_then(Value::as_str)
                                    .is_some_and(|n| used_tags.contains(n))
                            })
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Array(kept));
            }
            // Shared parameters and responses are inlined by Genesys; keep the rest as is.
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    let date = date_from_name(file_name).unwrap_or_else(|| {
        root.get("info")
            .and_then(|i| i.get("version"))
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned()
    });
    let (tag_line, tag_args) = match tags {
        None => (ALL_TAGS.to_owned(), String::new()),
        Some(tags) => (tags.join(","), format!(" --tags {}", tags.join(","))),
    };
    let source_note = format!(
        "file: {file_name}\ndate: {date}\nsha256: {sha256}\ntags: {tag_line}\noperations: {operations}\ndefinitions: {}\nimported-with: cargo xtask import-spec --from <file>{tag_args}\n",
        kept_definitions.len(),
    );
    Ok(Imported {
        doc: Value::Object(out),
        source_note,
        operations,
        definitions: kept_definitions.len(),
    })
}

/// Every `$ref` string under a value.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref" {
                    if let Some(s) = v.as_str() {
                        out.push(s.to_owned());
                    }
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// `2025-07-28` from `genesys-platform-api-2025-07-28.json`.
fn date_from_name(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let s = &name[i..i + 10];
        let ok = s.chars().enumerate().all(|(j, c)| {
            if j == 4 || j == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
        ok.then(|| s.to_owned())
    })
}
