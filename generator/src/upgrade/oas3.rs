//! Stage 2, upgrade: normalising an OpenAPI 3.0.x input, which otherwise passes through:
//! the same schema keyword checks as a converted Swagger 2.0 document, and a description
//! for every response that lacks one.
//!
//! It edits the JSON in place and warns; it must not decode (see `decode`), convert
//! Swagger 2.0 constructs, or read files.

use serde_json::{json, Value};

use super::repair::{reason, upgrade_schema};
use super::SourceMap;
use crate::error::{escape, Diagnostics, WarningKind};

/// Applies the keyword checks and response-description repairs to an OpenAPI 3.0 input.
pub(super) fn normalize_oas3(doc: &mut Value, map: &SourceMap, diags: &mut Diagnostics) {
    let mut warn = |kind: WarningKind, pointer: &str, message: String| {
        diags
            .items
            .push(map.diagnostic_at_source(kind, pointer, message));
    };
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            *schema = upgrade_schema(
                schema,
                &format!("/components/schemas/{}", escape(name)),
                &mut warn,
                false,
            );
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                for (status, resp) in responses.iter_mut() {
                    if let Some(resp) = resp.as_object_mut() {
                        if !resp.contains_key("description") && !resp.contains_key("$ref") {
                            let pointer = format!(
                                "/paths/{}/{method}/responses/{}",
                                escape(path),
                                escape(status)
                            );
                            warn(
                                WarningKind::MissingDescription,
                                &pointer,
                                format!("response has no description; used {:?}", reason(status)),
                            );
                            resp.insert("description".into(), json!(reason(status)));
                        }
                    }
                }
            }
        }
    }
}
