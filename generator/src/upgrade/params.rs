//! Stage 2, upgrade: the checks parameters get in both inputs, where their source pointers
//! are known: a parameter declared twice in one list, a `type` neither Swagger 2.0 nor JSON
//! Schema has, a `collectionFormat` outside Swagger 2.0's, and a `format` that cannot hold
//! with its `type` (also checked on schemas, by `repair`).
//!
//! Pure functions of JSON values: errors are made by the [`SourceMap`] at source pointers,
//! warnings go to the caller's `warn`. They must not convert, decode or read files.

use serde_json::{Map, Value};

use super::SourceMap;
use crate::error::{escape, Diagnostics, Error, ErrorKind, WarningKind};

/// The `type`s a parameter or schema may have: JSON Schema's, and Swagger 2.0's `file`.
const TYPES: [&str; 8] = [
    "string", "number", "integer", "boolean", "array", "object", "null", "file",
];

/// Swagger 2.0's `collectionFormat` values.
const COLLECTION_FORMATS: [&str; 5] = ["csv", "ssv", "tsv", "pipes", "multi"];

/// The formats the specifications define, with the one type each belongs to; any other
/// format is open (the specifications allow formats of one's own) and is not checked.
const FORMATS: [(&str, &str); 10] = [
    ("int32", "integer"),
    ("int64", "integer"),
    ("float", "number"),
    ("double", "number"),
    ("byte", "string"),
    ("binary", "string"),
    ("date", "string"),
    ("date-time", "string"),
    ("password", "string"),
    ("uuid", "string"),
];

/// The warning for a `format` that cannot hold with the `type` beside it (`boolean` with
/// `date-time`); the type alone types the value.
pub(super) fn format_mismatch(schema: &Map<String, Value>) -> Option<String> {
    let typ = schema.get("type")?.as_str()?;
    let format = schema.get("format")?.as_str()?;
    let (_, belongs) = FORMATS.iter().find(|(f, _)| *f == format)?;
    let fits = *belongs == typ || (typ == "number" && *belongs == "integer");
    (!fits && TYPES.contains(&typ) && typ != "file").then(|| {
        format!(
            "format {format:?} cannot hold for type {typ:?} (it is a {belongs} format); typed by the type alone"
        )
    })
}

/// Checks a Swagger 2.0 parameter, or an `items` object in one, at the source `pointer`:
/// its `type`, `collectionFormat` and `format`, then those of its `items`.
pub(super) fn check_swagger2(
    param: &Map<String, Value>,
    pointer: &str,
    map: &SourceMap,
    warn: &mut dyn FnMut(WarningKind, &str, String),
) -> Result<(), Error> {
    check_type(param, pointer, map)?;
    if let Some(format) = param.get("collectionFormat") {
        if !format
            .as_str()
            .is_some_and(|f| COLLECTION_FORMATS.contains(&f))
        {
            return Err(map.error_at_source(
                pointer,
                ErrorKind::Invalid {
                    message: format!(
                        "unknown collectionFormat {format} (expected one of {})",
                        COLLECTION_FORMATS.join(", ")
                    ),
                },
            ));
        }
    }
    if let Some(message) = format_mismatch(param) {
        warn(WarningKind::FormatMismatch, pointer, message);
    }
    match param.get("items").and_then(Value::as_object) {
        Some(items) if !items.contains_key("$ref") => {
            check_swagger2(items, &format!("{pointer}/items"), map, warn)
        }
        _ => Ok(()),
    }
}

/// Fails on a `type` that is not one of [`TYPES`] (or not a string).
fn check_type(schema: &Map<String, Value>, pointer: &str, map: &SourceMap) -> Result<(), Error> {
    match schema.get("type") {
        Some(typ) if !typ.as_str().is_some_and(|t| TYPES.contains(&t)) => Err(map.error_at_source(
            pointer,
            ErrorKind::Invalid {
                message: format!("unknown type {typ} (expected one of {})", TYPES.join(", ")),
            },
        )),
        _ => Ok(()),
    }
}

/// One parameter of a list, as far as duplicates go: its `name`, its `in` and its pointer.
pub(super) struct Declared<'a> {
    pub name: &'a str,
    pub location: &'a str,
    pub pointer: String,
}

/// Fails on the second parameter of `list` with the name and location of an earlier one
/// (the specifications forbid it; a path-level parameter replaced by an operation's is in
/// another list, and allowed).
pub(super) fn check_duplicates(list: &[Declared], map: &SourceMap) -> Result<(), Error> {
    for (i, second) in list.iter().enumerate() {
        if let Some(first) = list[..i]
            .iter()
            .find(|p| p.name == second.name && p.location == second.location)
        {
            return Err(map.error_at_source(
                &second.pointer,
                ErrorKind::DuplicateParameter {
                    name: second.name.to_owned(),
                    location: second.location.to_owned(),
                    first: first.pointer.clone(),
                },
            ));
        }
    }
    Ok(())
}

/// Checks the parameters of an OpenAPI 3.0 document (component parameters, and the lists
/// of every path item and operation): duplicates in a list, and each schema's `type` and
/// `format` (and its `items`').
pub(super) fn check_oas3(
    doc: &Value,
    map: &SourceMap,
    diags: &mut Diagnostics,
) -> Result<(), Error> {
    let mut warn = |kind: WarningKind, pointer: &str, message: String| {
        diags
            .items
            .push(map.diagnostic_at_source(kind, pointer, message));
    };
    let components = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object);
    for (name, param) in components.into_iter().flatten() {
        check_oas3_param(
            param,
            &format!("/components/parameters/{}", escape(name)),
            map,
            &mut warn,
        )?;
    }
    let paths = doc.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (key, value) in item {
            let pointer = format!("/paths/{}/{}", escape(path), escape(key));
            let (list, list_pointer) = match key.as_str() {
                "parameters" => (value, pointer),
                _ => match value.get("parameters") {
                    Some(list) => (list, format!("{pointer}/parameters")),
                    None => continue,
                },
            };
            let Some(list) = list.as_array() else {
                continue;
            };
            let mut declared = Vec::new();
            for (i, param) in list.iter().enumerate() {
                let pointer = format!("{list_pointer}/{i}");
                if param.get("$ref").is_none() {
                    check_oas3_param(param, &pointer, map, &mut warn)?;
                }
                let Some(param) = resolve(components, param) else {
                    continue;
                };
                let text = |key: &str| param.get(key).and_then(Value::as_str);
                if let (Some(name), Some(location)) = (text("name"), text("in")) {
                    declared.push(Declared {
                        name,
                        location,
                        pointer,
                    });
                }
            }
            check_duplicates(&declared, map)?;
        }
    }
    Ok(())
}

/// The parameter itself, or the component parameter its `$ref` names.
fn resolve<'v>(
    components: Option<&'v Map<String, Value>>,
    param: &'v Value,
) -> Option<&'v Map<String, Value>> {
    let param = match param.get("$ref").and_then(Value::as_str) {
        Some(target) => components?.get(target.strip_prefix("#/components/parameters/")?)?,
        None => param,
    };
    param.as_object()
}

/// Checks one OpenAPI 3.0 parameter's inline schema, reported at the parameter, and its
/// `items`, reported at them.
fn check_oas3_param(
    param: &Value,
    pointer: &str,
    map: &SourceMap,
    warn: &mut dyn FnMut(WarningKind, &str, String),
) -> Result<(), Error> {
    let mut schema = param.get("schema").and_then(Value::as_object);
    let mut at = pointer.to_owned();
    let mut inner = format!("{pointer}/schema");
    while let Some(s) = schema.filter(|s| !s.contains_key("$ref")) {
        check_type(s, &at, map)?;
        if let Some(message) = format_mismatch(s) {
            warn(WarningKind::FormatMismatch, &at, message);
        }
        schema = s.get("items").and_then(Value::as_object);
        inner.push_str("/items");
        at.clone_from(&inner);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    /// The messages of `check_swagger2` on `param`: its error, or its warnings.
    fn swagger2(param: Value) -> Result<Vec<String>, String> {
        let mut warnings = Vec::new();
        let map = SourceMap::default();
        check_swagger2(&object(param), "/p", &map, &mut |kind, pointer, message| {
            assert_eq!(kind, WarningKind::FormatMismatch);
            warnings.push(format!("{pointer}: {message}"))
        })
        .map_err(|e| format!("#{}: {}", e.pointer, e.kind))?;
        Ok(warnings)
    }

    #[test]
    fn a_type_neither_specification_has_is_an_error_at_it() {
        let err = swagger2(json!({"name": "t", "in": "query", "type": "tuple"})).unwrap_err();
        assert!(
            err.starts_with("#/p: invalid structure: unknown type \"tuple\""),
            "{err}"
        );
        let err = swagger2(json!({"type": "array", "items": {"type": ["string"]}})).unwrap_err();
        assert!(
            err.starts_with("#/p/items: invalid structure: unknown type [\"string\"]"),
            "{err}"
        );
        assert_eq!(swagger2(json!({"type": "file"})), Ok(Vec::new()));
    }

    #[test]
    fn a_collection_format_outside_swagger_2_is_an_error_at_it() {
        let err = swagger2(
            json!({"type": "array", "collectionFormat": "semicolons", "items": {"type": "string"}}),
        )
        .unwrap_err();
        assert!(
            err.starts_with("#/p: invalid structure: unknown collectionFormat \"semicolons\""),
            "{err}"
        );
        for format in COLLECTION_FORMATS {
            assert_eq!(
                swagger2(json!({"type": "array", "collectionFormat": format})),
                Ok(Vec::new())
            );
        }
    }

    #[test]
    fn a_format_of_another_type_warns_and_an_open_format_does_not() {
        assert_eq!(
            swagger2(json!({"type": "boolean", "format": "date-time"})),
            Ok(vec!["/p: format \"date-time\" cannot hold for type \"boolean\" (it is a string format); typed by the type alone".to_owned()])
        );
        let nested =
            swagger2(json!({"type": "array", "items": {"type": "string", "format": "int64"}}))
                .unwrap();
        assert_eq!(nested.len(), 1);
        assert!(nested[0].starts_with("/p/items: "), "{nested:?}");
        for fine in [
            json!({"type": "string", "format": "date-time"}),
            json!({"type": "number", "format": "int32"}),
            json!({"type": "string", "format": "local-date-time"}),
            json!({"type": "integer", "format": "whatever"}),
        ] {
            assert_eq!(swagger2(fine.clone()), Ok(Vec::new()), "{fine}");
        }
    }

    #[test]
    fn a_parameter_declared_twice_in_one_list_names_both() {
        let at = |name, location, i: usize| Declared {
            name,
            location,
            pointer: format!("/l/{i}"),
        };
        let map = SourceMap::default();
        let list = [
            at("a", "query", 0),
            at("a", "header", 1),
            at("b", "query", 2),
            at("a", "query", 3),
        ];
        let err = check_duplicates(&list, &map).unwrap_err();
        assert_eq!(err.pointer, "/l/3");
        assert_eq!(
            err.kind.to_string(),
            "duplicate parameter \"a\" in query (first declared at #/l/0)"
        );
        assert!(check_duplicates(&list[..3], &map).is_ok());
    }

    #[test]
    fn openapi_3_lists_and_component_parameters_are_checked() {
        let map = SourceMap::default();
        let mut diags = Diagnostics::new("spec.yaml");
        let doc = json!({"paths": {"/x": {
            "parameters": [{"name": "a", "in": "query", "schema": {"type": "integer", "format": "date"}}],
            "get": {"parameters": [
                {"name": "a", "in": "query", "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/A"}
            ]}
        }}, "components": {"parameters": {"A": {"name": "a", "in": "query", "schema": {"type": "string"}}}}});
        let err = check_oas3(&doc, &map, &mut diags).unwrap_err();
        assert_eq!(err.pointer, "/paths/~1x/get/parameters/1");
        assert_eq!(diags.items.len(), 1);
        assert_eq!(diags.items[0].pointer, "/paths/~1x/parameters/0");
        let tuple = json!({"components": {"parameters": {"A": {"name": "a", "in": "query", "schema": {"type": "array", "items": {"type": "tuple"}}}}}});
        let err = check_oas3(&tuple, &map, &mut diags).unwrap_err();
        assert_eq!(err.pointer, "/components/parameters/A/schema/items");
    }

    /// Lowers a Swagger 2.0 document with one `GET /things` whose parameters are `op` and
    /// whose path item's are `item`; its warnings, or its error.
    fn lower(item: Value, op: Value) -> Result<Vec<crate::error::Diagnostic>, String> {
        lower_doc(
            json!({"swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"parameters": item, "get": {"operationId": "getThings",
                "parameters": op, "responses": {"200": {"description": "ok"}}}}}}),
        )
    }

    /// Lowers a document: its warnings, or its error.
    fn lower_doc(doc: Value) -> Result<Vec<crate::error::Diagnostic>, String> {
        let lowered = crate::lower_json(&doc);
        lowered
            .map(|(_, diags)| diags)
            .map_err(|e| e.kind.to_string())
    }

    #[test]
    fn an_operation_parameter_may_replace_a_path_item_one_of_the_same_name() {
        let param = json!([{"name": "id", "in": "query", "type": "string"}]);
        assert!(lower(param.clone(), param).is_ok());
    }

    #[test]
    fn a_tuple_parameter_is_an_unknown_type_not_an_object() {
        let err = lower(
            json!([]),
            json!([{"name": "t", "in": "query", "type": "tuple"}]),
        )
        .unwrap_err();
        assert!(err.contains("unknown type \"tuple\""), "{err}");
    }

    #[test]
    fn a_parameter_whose_format_cannot_hold_is_typed_by_its_type_with_a_warning() {
        let op = json!([{"name": "on", "in": "query", "type": "boolean", "format": "date-time"}]);
        let diags = lower(json!([]), op).unwrap();
        let warned: Vec<_> = diags
            .iter()
            .filter(|d| d.message.contains("format"))
            .collect();
        assert_eq!(warned.len(), 1, "{diags:#?}");
        assert_eq!(warned[0].pointer, "/paths/~1things/get/parameters/0");
    }

    #[test]
    fn a_schema_whose_format_cannot_hold_warns_too() {
        let diags = lower_doc(
            json!({"swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {}, "definitions": {"T": {"type": "object", "properties": {
                "on": {"type": "boolean", "format": "date-time"}}}}}),
        )
        .unwrap();
        assert!(
            diags
                .iter()
                .any(|d| d.pointer == "/definitions/T/properties/on"
                    && d.message.contains("format \"date-time\" cannot hold")),
            "{diags:#?}"
        );
    }
}
