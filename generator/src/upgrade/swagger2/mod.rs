//! Stage 2, upgrade: the Swagger 2.0 converter's document level: the top-level objects,
//! paths and operations, responses and security definitions, as OpenAPI 3.0 JSON. Each
//! path and definition is converted, then decoded, in a parallel job of its own
//! ([`crate::parallel::ordered`]); parameters and bodies are in `parameters`.
//!
//! Every `x-` extension is kept, and every moved pointer is recorded in the [`SourceMap`].
//! It must not read files, nor decode anything but the parts it converted.

mod parameters;

use serde_json::{json, Map, Value};

use super::decode::{decode, Converted};
use super::repair::{reason, upgrade_schema};
use super::SourceMap;
use crate::error::{escape, Diagnostics, Error, ErrorKind, WarningKind};
use crate::load::Document;
use crate::parallel;

/// Converts a Swagger 2.0 document, whose top level is `root`, to OpenAPI 3.0, recording
/// in `map` where it moved parameters and bodies.
pub(super) fn convert(
    doc: &Document,
    root: &Map<String, Value>,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Converted, Error> {
    Upgrader {
        map,
        diags,
        root,
        doc,
    }
    .document()
}

/// The converter's state while it converts the whole document or one part of it.
struct Upgrader<'a> {
    map: &'a mut SourceMap,
    diags: &'a mut Diagnostics,
    /// The document's top level (without the members of `paths` and `definitions`).
    root: &'a Map<String, Value>,
    /// The document, for the members of `paths` and `definitions`.
    doc: &'a Document,
}

impl<'a> Upgrader<'a> {
    /// Records a warning at a pointer of the source document.
    fn warn(&mut self, kind: WarningKind, pointer: &str, message: String) {
        self.diags
            .items
            .push(self.map.diagnostic_at_source(kind, pointer, message));
    }

    /// The top-level member `key`, when present; anything but an object is an error.
    fn object(&self, key: &str) -> Result<Option<&'a Map<String, Value>>, Error> {
        let root: &'a Map<String, Value> = self.root;
        match root.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(self.map.error(
                &format!("/{key}"),
                ErrorKind::Invalid {
                    message: format!("`{key}` must be an object"),
                },
            )),
        }
    }

    /// The upgraded document: its paths and schemas (nearly all of it) already decoded,
    /// each in the parallel job that converted it; the rest as JSON.
    fn document(mut self) -> Result<Converted, Error> {
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        out.insert(
            "info".into(),
            self.root
                .get("info")
                .cloned()
                .unwrap_or_else(|| json!({"title": "API", "version": "0"})),
        );
        let host = self
            .root
            .get("host")
            .and_then(Value::as_str)
            .unwrap_or("localhost");
        let base = self
            .root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("");
        let schemes: Vec<&str> = match self.root.get("schemes").and_then(Value::as_array) {
            Some(s) if !s.is_empty() => s.iter().filter_map(Value::as_str).collect(),
            _ => vec!["https"],
        };
        let servers: Vec<Value> = schemes
            .iter()
            .map(|s| json!({"url": format!("{s}://{host}{base}")}))
            .collect();
        out.insert("servers".into(), Value::Array(servers));
        for key in ["tags", "externalDocs", "security"] {
            if let Some(v) = self.root.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        copy_extensions(self.root, &mut out);

        let consumes = media_types(self.root.get("consumes"));
        let produces = media_types(self.root.get("produces"));

        let mut components = Map::new();
        let mut schemas = Vec::new();
        if self.object("definitions")?.is_some() {
            let definitions = &self.doc.definitions;
            schemas = parallel::ordered(
                &mut self,
                definitions,
                |up, (name, schema)| {
                    up.convert_part(|up| {
                        let schema = up.doc.value(schema)?;
                        let converted =
                            up.schema(&schema, &format!("/definitions/{}", escape(name)));
                        let pointer = format!("/components/schemas/{}", escape(name));
                        Ok((name.to_owned(), decode(&converted, &pointer, up.map)?))
                    })
                },
                Upgrader::merge,
            )?;
        }
        if let Some(params) = self.object("parameters")? {
            let mut out_params = Map::new();
            for (name, param) in params {
                let pointer = format!("/parameters/{}", escape(name));
                if let Some(p) = self.parameter(param, &pointer)? {
                    out_params.insert(name.clone(), p);
                }
            }
            components.insert("parameters".into(), Value::Object(out_params));
        }
        if let Some(responses) = self.object("responses")? {
            let mut out_resp = Map::new();
            for (name, resp) in responses {
                let pointer = format!("/responses/{}", escape(name));
                out_resp.insert(name.clone(), self.response(resp, name, &produces, &pointer));
            }
            components.insert("responses".into(), Value::Object(out_resp));
        }
        if let Some(defs) = self.object("securityDefinitions")? {
            let mut schemes = Map::new();
            for (name, def) in defs {
                schemes.insert(name.clone(), security_scheme(def));
            }
            components.insert("securitySchemes".into(), Value::Object(schemes));
        }
        out.insert("components".into(), Value::Object(components));

        let mut paths = Vec::new();
        if self.object("paths")?.is_some() {
            let items = &self.doc.paths;
            paths = parallel::ordered(
                &mut self,
                items,
                |up, (path, item)| {
                    up.convert_part(|up| {
                        let item = up.doc.value(item)?;
                        let converted = up.path_item(path, &item, &consumes, &produces)?;
                        let pointer = format!("/paths/{}", escape(path));
                        Ok((path.to_owned(), decode(&converted, &pointer, up.map)?))
                    })
                },
                Upgrader::merge,
            )?;
        }
        out.insert("paths".into(), Value::Object(Map::new()));
        Ok(Converted {
            rest: Value::Object(out),
            paths,
            schemas,
        })
    }

    /// Converts one path item (its parameters and operations).
    fn path_item(
        &mut self,
        path: &str,
        item: &Value,
        consumes: &[String],
        produces: &[String],
    ) -> Result<Value, Error> {
        let item_pointer = format!("/paths/{}", escape(path));
        let Some(item) = item.as_object() else {
            return Err(self.map.error(
                &item_pointer,
                ErrorKind::Invalid {
                    message: "a path item must be an object".into(),
                },
            ));
        };
        let mut out_item = Map::new();
        for (key, value) in item {
            match key.as_str() {
                "parameters" => {
                    let (params, _) =
                        self.parameters(value, &format!("{item_pointer}/parameters"))?;
                    out_item.insert(key.clone(), Value::Array(params));
                }
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                    let op = self.operation(
                        value,
                        &format!("{item_pointer}/{key}"),
                        consumes,
                        produces,
                    )?;
                    out_item.insert(key.clone(), op);
                }
                k if k.starts_with("x-") => {
                    out_item.insert(key.clone(), value.clone());
                }
                "$ref" => {
                    return Err(self.map.error(
                        &format!("{item_pointer}/$ref"),
                        ErrorKind::Unsupported {
                            what: "path item $ref".into(),
                        },
                    ));
                }
                _ => {}
            }
        }
        Ok(Value::Object(out_item))
    }

    /// Runs `convert` with an upgrader of its own, for one part of the document: the same
    /// document, and a source map with no moves and no warnings yet.
    fn convert_part<T>(
        &self,
        convert: impl FnOnce(&mut Upgrader<'_>) -> Result<T, Error>,
    ) -> Part<T> {
        let mut map = self.map.for_part();
        let mut diags = Diagnostics::new(&self.diags.file);
        let result = convert(&mut Upgrader {
            map: &mut map,
            diags: &mut diags,
            root: self.root,
            doc: self.doc,
        });
        Part { result, map, diags }
    }

    /// Takes in a converted part's warnings and pointer moves, and gives its result.
    fn merge<T>(&mut self, part: Part<T>) -> Result<T, Error> {
        self.diags.items.extend(part.diags.items);
        self.map.take_moves(part.map);
        part.result
    }

    /// Converts one operation: its parameters, request body and responses; `consumes`
    /// and `produces` are the document's, which the operation's own replace.
    fn operation(
        &mut self,
        op: &Value,
        pointer: &str,
        consumes: &[String],
        produces: &[String],
    ) -> Result<Value, Error> {
        let Some(op) = op.as_object() else {
            return Err(self.map.error(
                pointer,
                ErrorKind::Invalid {
                    message: "an operation must be an object".into(),
                },
            ));
        };
        let consumes = op
            .get("consumes")
            .map(|v| media_types(Some(v)))
            .unwrap_or_else(|| consumes.to_vec());
        let produces = op
            .get("produces")
            .map(|v| media_types(Some(v)))
            .unwrap_or_else(|| produces.to_vec());
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "tags" | "summary" | "description" | "externalDocs" | "operationId"
                | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        if let Some(params) = op.get("parameters") {
            let (params, body) = self.parameters(params, &format!("{pointer}/parameters"))?;
            out.insert("parameters".into(), Value::Array(params));
            if let Some(body) = body {
                out.insert(
                    "requestBody".into(),
                    self.request_body(body, pointer, &consumes),
                );
            }
        }
        let mut responses = Map::new();
        match op.get("responses") {
            Some(Value::Object(in_resp)) => {
                for (status, resp) in in_resp {
                    let rp = format!("{pointer}/responses/{}", escape(status));
                    responses.insert(status.clone(), self.response(resp, status, &produces, &rp));
                }
            }
            Some(_) => {
                return Err(self.map.error(
                    &format!("{pointer}/responses"),
                    ErrorKind::Invalid {
                        message: "`responses` must be an object".into(),
                    },
                ))
            }
            None => {}
        }
        if responses.is_empty() {
            self.warn(
                WarningKind::NoResponses,
                pointer,
                "operation declares no responses; treated as answering 200 with no body".into(),
            );
            responses.insert("200".into(), json!({"description": "OK"}));
        }
        out.insert("responses".into(), Value::Object(responses));
        Ok(Value::Object(out))
    }

    /// Converts one response, or a reference to one; a response without a description
    /// gets its status's reason phrase, with a warning.
    fn response(
        &mut self,
        resp: &Value,
        status: &str,
        produces: &[String],
        pointer: &str,
    ) -> Value {
        if let Some(target) = resp.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": target.replace("#/responses/", "#/components/responses/") });
        }
        let mut out = Map::new();
        let description = match resp.get("description").and_then(Value::as_str) {
            Some(d) => d.to_owned(),
            None => {
                let reason = reason(status);
                self.warn(
                    WarningKind::MissingDescription,
                    pointer,
                    format!("response has no description; used {reason:?}"),
                );
                reason.to_owned()
            }
        };
        out.insert("description".into(), json!(description));
        if let Some(schema) = resp.get("schema") {
            let schema = self.schema(schema, &format!("{pointer}/schema"));
            let types: Vec<String> = if produces.is_empty() {
                vec!["application/json".into()]
            } else {
                produces.to_vec()
            };
            let mut content = Map::new();
            for mt in types {
                content.insert(mt, json!({ "schema": schema }));
            }
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = resp.get("headers") {
            let mut out_headers = Map::new();
            for (name, header) in headers {
                let schema = header
                    .as_object()
                    .map(|h| self.inline_schema(h, pointer))
                    .unwrap_or_else(|| json!({}));
                let mut h = json!({ "schema": schema });
                if let Some(d) = header.get("description") {
                    h["description"] = d.clone();
                }
                out_headers.insert(name.clone(), h);
            }
            out.insert("headers".into(), Value::Object(out_headers));
        }
        if let Some(obj) = resp.as_object() {
            copy_extensions(obj, &mut out);
        }
        Value::Object(out)
    }

    /// A Swagger schema as an OAS3 schema: refs rewritten, `type: file` made binary,
    /// non-standard keywords reported and dropped.
    fn schema(&mut self, schema: &Value, pointer: &str) -> Value {
        upgrade_schema(schema, pointer, &mut |k, p, m| self.warn(k, p, m), true)
    }
}

/// What converting one part of the document left, for [`Upgrader::merge`]: its result, and
/// the pointer moves and warnings of the upgrader it had.
struct Part<T> {
    result: Result<T, Error>,
    map: SourceMap,
    diags: Diagnostics,
}

/// A Swagger security definition as an OAS3 security scheme (OAuth2 flows renamed).
fn security_scheme(def: &Value) -> Value {
    let description = def.get("description").cloned();
    let mut out = match def.get("type").and_then(Value::as_str) {
        Some("oauth2") => {
            let flow = def
                .get("flow")
                .and_then(Value::as_str)
                .unwrap_or("implicit");
            let scopes = def.get("scopes").cloned().unwrap_or_else(|| json!({}));
            let mut flow_obj = json!({ "scopes": scopes });
            if let Some(url) = def.get("authorizationUrl") {
                flow_obj["authorizationUrl"] = url.clone();
            }
            if let Some(url) = def.get("tokenUrl") {
                flow_obj["tokenUrl"] = url.clone();
            }
            let name = match flow {
                "password" => "password",
                "application" => "clientCredentials",
                "accessCode" => "authorizationCode",
                _ => "implicit",
            };
            json!({ "type": "oauth2", "flows": { name: flow_obj } })
        }
        Some("apiKey") => json!({
            "type": "apiKey",
            "name": def.get("name").cloned().unwrap_or(json!("Authorization")),
            "in": def.get("in").cloned().unwrap_or(json!("header")),
        }),
        _ => json!({ "type": "http", "scheme": "basic" }),
    };
    if let Some(d) = description {
        out["description"] = d;
    }
    out
}

/// The media types of a `consumes` or `produces` list (none when absent).
fn media_types(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Copies the `x-` extensions of `from` into `to`.
fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") {
            to.insert(key.clone(), value.clone());
        }
    }
}
