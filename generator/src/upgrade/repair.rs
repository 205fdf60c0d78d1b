//! Stage 2, upgrade: the repairs both inputs get, Swagger 2.0 as it is converted and
//! OpenAPI 3.0 as it is normalised: schema rewriting with its keyword and format checks, and the reason
//! phrase a response without a description is given.
//!
//! These are pure functions of JSON values; warnings go to the caller's `warn`. They must
//! not know about the source map, decode, or read files.

use serde_json::{json, Map, Value};

use crate::error::{escape, WarningKind};

/// Keywords a schema may carry (OpenAPI 3.0 and Swagger 2.0); any other non-`x-` key is
/// reported and dropped.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "format",
    "title",
    "description",
    "default",
    "enum",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "discriminator",
    "readOnly",
    "writeOnly",
    "nullable",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "collectionFormat",
];

/// Genesys's own non-standard schema keywords, known and used on purpose, dropped without
/// a warning (see `upgrade_schema`).
const GENESYS_KEYWORDS: &[&str] = &["position"];

/// Standard reason phrases, used when a response has no description.
pub(super) fn reason(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "No Content",
        "400" => "Bad Request",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "Not Found",
        "409" => "Conflict",
        "413" => "Payload Too Large",
        "415" => "Unsupported Media Type",
        "424" => "Failed Dependency",
        "429" => "Too Many Requests",
        "500" => "Internal Server Error",
        "503" => "Service Unavailable",
        "504" => "Gateway Timeout",
        _ => "Response",
    }
}

/// Rewrites one schema (recursively). `swagger2` turns on the Swagger-only rewrites.
pub(super) fn upgrade_schema(
    schema: &Value,
    pointer: &str,
    warn: &mut dyn FnMut(WarningKind, &str, String),
    swagger2: bool,
) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
    if let Some(message) = super::params::format_mismatch(obj) {
        warn(WarningKind::FormatMismatch, pointer, message);
    }
    let mut out = Map::new();
    for (key, value) in obj {
        let child = |k: &str| format!("{pointer}/{}", escape(k));
        match key.as_str() {
            "$ref" => {
                let target = value.as_str().unwrap_or_default();
                let target = if swagger2 {
                    target.replace("#/definitions/", "#/components/schemas/")
                } else {
                    target.to_owned()
                };
                out.insert(key.clone(), json!(target));
            }
            "type" if swagger2 && value.as_str() == Some("file") => {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            "properties" => {
                let mut props = Map::new();
                if let Some(p) = value.as_object() {
                    for (name, prop) in p {
                        props.insert(
                            name.clone(),
                            upgrade_schema(
                                prop,
                                &format!("{}/{}", child("properties"), escape(name)),
                                warn,
                                swagger2,
                            ),
                        );
                    }
                }
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "not" => {
                out.insert(
                    key.clone(),
                    upgrade_schema(value, &child(key), warn, swagger2),
                );
            }
            "additionalProperties" if value.is_object() => {
                out.insert(
                    key.clone(),
                    upgrade_schema(value, &child(key), warn, swagger2),
                );
            }
            "allOf" | "oneOf" | "anyOf" => {
                let list = value.as_array().map(|l| {
                    l.iter()
                        .enumerate()
                        .map(|(i, s)| {
                            upgrade_schema(s, &format!("{}/{i}", child(key)), warn, swagger2)
                        })
                        .collect()
                });
                out.insert(key.clone(), Value::Array(list.unwrap_or_default()));
            }
            "discriminator" if swagger2 => {
                if let Some(name) = value.as_str() {
                    out.insert(key.clone(), json!({ "propertyName": name }));
                }
            }
            "collectionFormat" => {}
            k if k.starts_with("x-") || SCHEMA_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            // Genesys's property-order extension: `position` numbers a model's properties
            // (the order its SDKs declare them in), all over its definition, deliberately.
            // It is known vocabulary, not a defect; the generator keeps the document's order,
            // so the keyword is dropped without a warning.
            k if GENESYS_KEYWORDS.contains(&k) => {}
            other => {
                warn(
                    WarningKind::UnknownKeyword,
                    &child(other),
                    format!("non-standard schema keyword {other:?} ignored"),
                );
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genesys_position_is_dropped_silently_and_other_non_standard_keywords_warn() {
        let schema = json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "position": 0},
                "unit": {"type": "string", "position": 1, "allowEmptyValue": true}
            }
        });
        let mut warnings = Vec::new();
        let out = upgrade_schema(
            &schema,
            "/definitions/X",
            &mut |kind, pointer, message| warnings.push((kind, pointer.to_owned(), message)),
            true,
        );
        assert_eq!(
            out["properties"],
            json!({"name": {"type": "string"}, "unit": {"type": "string"}})
        );
        assert_eq!(
            warnings,
            [(
                WarningKind::UnknownKeyword,
                "/definitions/X/properties/unit/allowEmptyValue".to_owned(),
                "non-standard schema keyword \"allowEmptyValue\" ignored".to_owned()
            )]
        );
    }
}
