//! `import-spec`: cuts the operations carrying some tags (or every operation), with every
//! definition they reach, out of a full Genesys definition, as a valid Swagger 2.0 document
//! for `spec/public.json`.
//!
//! Pure: takes the parsed document and returns the new one and its `SOURCE` note; the
//! xtask reads and writes the files. [`merge_preview`] merges Genesys's preview definition
//! (`/api/v2/docs/swaggerpreview`) into the public one before the cut, as Genesys's own SDK
//! build does.

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
/// definitions they reach. The `SOURCE` note's date is the one in the file name
/// (`genesys-platform-api-2025-07-28.json`), else the definition's `info.version`.
pub fn import(
    doc: &Value,
    file_name: &str,
    sha256: &str,
    tags: Option<&[String]>,
) -> Result<Imported, Error> {
    import_dated(doc, file_name, sha256, None, tags)
}

/// [`import`], with the date the definition was taken for a file name that carries none
/// (`swagger`, downloaded from a region's API host): the `SOURCE` note's date is the one in
/// the name, else `taken`, else `info.version`.
pub fn import_dated(
    doc: &Value,
    file_name: &str,
    sha256: &str,
    taken: Option<&str>,
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
    let date = date_from_name(file_name)
        .or_else(|| taken.map(str::to_owned))
        .unwrap_or_else(|| {
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

/// What [`merge_preview`] did.
#[derive(Debug, Clone)]
pub struct PreviewMerged {
    /// The public definition with the preview's additions.
    pub doc: Value,
    /// Preview operations added (each marked `x-genesys-preview: true`).
    pub operations: usize,
    /// Preview operations left out because the public definition has the same path and
    /// method.
    pub already_public: usize,
    /// Definitions the preview added.
    pub definitions: usize,
    /// Definitions both sides name with different contents, in preview order: the public
    /// one was kept.
    pub conflicts: Vec<String>,
}

/// The HTTP methods of a Swagger 2.0 path item (its other members, `parameters` and `x-`
/// extensions, are no operations).
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Merges Genesys's preview definition into its public one, as Genesys's SDK build does
/// (platform-client-sdk-common's swagger merge): every preview operation whose path and
/// method the public definition lacks is added with `"x-genesys-preview": true` (which
/// lowering reads as `Operation::preview`), into the public path item when the path exists,
/// else as a new path item; tags and security definitions the public side lacks are added;
/// definitions the public side lacks are added. `preview_name` names the preview in errors.
pub fn merge_preview(
    public: &Value,
    preview: &Value,
    preview_name: &str,
) -> Result<PreviewMerged, Error> {
    let invalid = |pointer: &str, message: &str| {
        Error::new(
            preview_name,
            pointer,
            ErrorKind::Invalid {
                message: message.into(),
            },
        )
    };
    let Some(extra) = preview.as_object() else {
        return Err(invalid("", "the preview definition must be an object"));
    };
    if extra.get("swagger").and_then(Value::as_str) != Some("2.0") {
        return Err(Error::new(
            preview_name,
            "/swagger",
            ErrorKind::UnsupportedVersion {
                found: extra
                    .get("swagger")
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "none".into()),
            },
        ));
    }
    let mut doc = public.clone();
    let Some(root) = doc.as_object_mut() else {
        return Err(invalid("", "the public definition must be an object"));
    };
    let mut merged = PreviewMerged {
        doc: Value::Null,
        operations: 0,
        already_public: 0,
        definitions: 0,
        conflicts: Vec::new(),
    };

    // Tags, by name.
    if let Some(tags) = extra.get("tags").and_then(Value::as_array) {
        let list = member(root, "tags", || Value::Array(Vec::new()))
            .as_array_mut()
            .ok_or_else(|| invalid("/tags", "the public definition's tags are no list"))?;
        for tag in tags {
            let name = tag.get("name").and_then(Value::as_str);
            let known = list
                .iter()
                .any(|t| t.get("name").and_then(Value::as_str) == name);
            if name.is_some() && !known {
                list.push(tag.clone());
            }
        }
    }

    // Security definitions and definitions the public side lacks. On a conflict (same
    // name, different content) the public definition wins: its operations were published
    // against it, and a preview must not change what a public operation sends or returns.
    for (key, pointer) in [
        ("securityDefinitions", "/securityDefinitions"),
        ("definitions", "/definitions"),
    ] {
        let Some(items) = extra.get(key).and_then(Value::as_object) else {
            continue;
        };
        let map = member(root, key, || Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| invalid(pointer, "the public member is no object"))?;
        for (name, value) in items {
            match map.get(name) {
                None => {
                    map.insert(name.clone(), value.clone());
                    if key == "definitions" {
                        merged.definitions += 1;
                    }
                }
                Some(kept) if kept != value && key == "definitions" => {
                    merged.conflicts.push(name.clone())
                }
                Some(_) => {}
            }
        }
    }

    // Operations, by path and method.
    if let Some(paths) = extra.get("paths").and_then(Value::as_object) {
        let out = member(root, "paths", || Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| invalid("/paths", "the public paths are no object"))?;
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            let is_new = !out.contains_key(path);
            let target = out
                .entry(path.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(target) = target.as_object_mut() else {
                continue;
            };
            for (key, op) in item {
                if !METHODS.contains(&key.as_str()) {
                    // A new path item keeps its shared parameters; an existing one keeps
                    // the public ones.
                    if is_new {
                        target.insert(key.clone(), op.clone());
                    }
                    continue;
                }
                if target.contains_key(key) {
                    merged.already_public += 1;
                    continue;
                }
                let mut op = op.clone();
                if let Some(op) = op.as_object_mut() {
                    op.insert("x-genesys-preview".into(), Value::Bool(true));
                }
                target.insert(key.clone(), op);
                merged.operations += 1;
            }
        }
    }
    merged.doc = doc;
    Ok(merged)
}

/// `root[key]`, inserted with `default()` when missing.
fn member<'a>(
    root: &'a mut Map<String, Value>,
    key: &str,
    default: impl FnOnce() -> Value,
) -> &'a mut Value {
    root.entry(key.to_owned()).or_insert_with(default)
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn public() -> Value {
        json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "v2"},
            "tags": [{"name": "Things"}],
            "paths": {
                "/api/v2/things": {
                    "get": {"tags": ["Things"], "operationId": "getThings"}
                }
            },
            "definitions": {"Thing": {"type": "object"}}
        })
    }

    fn preview() -> Value {
        json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "v2"},
            "tags": [{"name": "Things"}, {"name": "Gadgets", "description": "new"}],
            "securityDefinitions": {"PureCloud OAuth": {"type": "oauth2"}},
            "paths": {
                "/api/v2/things": {
                    "get": {"tags": ["Things"], "operationId": "getThingsPreview"},
                    "post": {"tags": ["Things"], "operationId": "postThings"}
                },
                "/api/v2/gadgets/{id}": {
                    "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                    "get": {"tags": ["Gadgets"], "operationId": "getGadget"}
                }
            },
            "definitions": {
                "Thing": {"type": "object", "properties": {"preview": {"type": "string"}}},
                "Gadget": {"type": "object"}
            }
        })
    }

    #[test]
    fn preview_operations_the_public_side_lacks_are_added_and_marked() {
        let merged = merge_preview(&public(), &preview(), "swaggerpreview").unwrap();
        let doc = &merged.doc;
        assert_eq!((merged.operations, merged.already_public), (2, 1));
        // The public operation stays as it was, unmarked.
        assert_eq!(
            doc["paths"]["/api/v2/things"]["get"],
            json!({"tags": ["Things"], "operationId": "getThings"})
        );
        // A new method on a public path, and a new path with its shared parameters.
        assert_eq!(
            doc["paths"]["/api/v2/things"]["post"]["x-genesys-preview"],
            json!(true)
        );
        let gadget = &doc["paths"]["/api/v2/gadgets/{id}"];
        assert_eq!(gadget["get"]["operationId"], json!("getGadget"));
        assert_eq!(gadget["get"]["x-genesys-preview"], json!(true));
        assert_eq!(gadget["parameters"][0]["name"], json!("id"));
        assert!(gadget["parameters"].get("x-genesys-preview").is_none());
        // Tags and security definitions the public side lacks.
        assert_eq!(
            doc["tags"],
            json!([{"name": "Things"}, {"name": "Gadgets", "description": "new"}])
        );
        assert_eq!(
            doc["securityDefinitions"]["PureCloud OAuth"]["type"],
            "oauth2"
        );
    }

    #[test]
    fn on_a_definition_conflict_the_public_one_wins() {
        let merged = merge_preview(&public(), &preview(), "swaggerpreview").unwrap();
        assert_eq!(merged.definitions, 1);
        assert_eq!(merged.conflicts, ["Thing"]);
        assert_eq!(
            merged.doc["definitions"]["Thing"],
            json!({"type": "object"})
        );
        assert_eq!(
            merged.doc["definitions"]["Gadget"],
            json!({"type": "object"})
        );
        // The same definition on both sides is no conflict.
        let mut same = preview();
        same["definitions"]["Thing"] = json!({"type": "object"});
        let merged = merge_preview(&public(), &same, "swaggerpreview").unwrap();
        assert!(merged.conflicts.is_empty());
    }

    #[test]
    fn an_empty_preview_changes_nothing() {
        let empty = json!({"swagger": "2.0", "info": {"title": "t", "version": "v2"}, "paths": {}});
        let merged = merge_preview(&public(), &empty, "swaggerpreview").unwrap();
        assert_eq!(merged.doc, public());
        assert_eq!((merged.operations, merged.definitions), (0, 0));
    }

    #[test]
    fn a_preview_that_is_no_swagger_2_document_is_an_error() {
        for (preview, message) in [
            (json!([]), "must be an object"),
            (json!({"openapi": "3.0.0"}), "swaggerpreview#/swagger"),
        ] {
            let error = merge_preview(&public(), &preview, "swaggerpreview").unwrap_err();
            assert!(error.to_string().contains(message), "{error}");
        }
        let error = merge_preview(&json!("x"), &preview(), "swaggerpreview").unwrap_err();
        assert!(error.to_string().contains("public definition"), "{error}");
    }

    #[test]
    fn a_given_date_overrides_the_file_name() {
        let doc = public();
        let dated = import_dated(&doc, "swagger", "00", Some("2026-12-02"), None).unwrap();
        assert!(
            dated.source_note.contains("date: 2026-12-02\n"),
            "{}",
            dated.source_note
        );
        let named = import(&doc, "genesys-platform-api-2025-07-28.json", "00", None).unwrap();
        assert!(named.source_note.contains("date: 2025-07-28\n"));
        let undated = import(&doc, "swagger", "00", None).unwrap();
        assert!(undated.source_note.contains("date: v2\n"));
    }
}
