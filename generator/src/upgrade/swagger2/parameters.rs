//! Stage 2, upgrade: the Swagger 2.0 converter's parameters: path, query and header
//! parameters as OpenAPI 3.0 parameters (with their `collectionFormat` as a style), and
//! `body` and `formData` parameters as a request body.
//!
//! Every pointer it moves is recorded in the [`SourceMap`](super::SourceMap). It must not
//! read files or decode.

use serde_json::{json, Map, Value};

use super::{copy_extensions, Upgrader};
use crate::error::{escape, Error, ErrorKind, WarningKind};
use crate::upgrade::params::{check_duplicates, check_swagger2, Declared};

impl Upgrader<'_> {
    /// Splits Swagger parameters into OAS3 parameters and the body/formData parameters.
    pub(super) fn parameters(
        &mut self,
        params: &Value,
        pointer: &str,
    ) -> Result<(Vec<Value>, Option<BodyParams>), Error> {
        let Some(list) = params.as_array() else {
            return Err(self.map.error(
                pointer,
                ErrorKind::Invalid {
                    message: "`parameters` must be an array".into(),
                },
            ));
        };
        let root: &Map<String, Value> = self.root;
        let mut out = Vec::new();
        let mut body: Option<BodyParams> = None;
        let mut declared = Vec::new();
        for (index, param) in list.iter().enumerate() {
            let param_pointer = format!("{pointer}/{index}");
            let resolved = match param.get("$ref").and_then(Value::as_str) {
                Some(target) => match target
                    .strip_prefix("#/parameters/")
                    .and_then(|n| root.get("parameters")?.get(n))
                {
                    Some(found) => found,
                    None => {
                        return Err(self.map.error(
                            &param_pointer,
                            ErrorKind::UnresolvedRef {
                                target: target.to_owned(),
                            },
                        ));
                    }
                },
                None => param,
            };
            let text = |key: &str| resolved.get(key).and_then(Value::as_str);
            if let (Some(name), Some(location)) = (text("name"), text("in")) {
                declared.push(Declared {
                    name,
                    location,
                    pointer: param_pointer.clone(),
                });
            }
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => {
                    body.get_or_insert_with(BodyParams::default).body =
                        Some((resolved.clone(), param_pointer));
                }
                Some("formData") => {
                    if let (Some(form), None) = (resolved.as_object(), param.get("$ref")) {
                        self.check(form, &param_pointer)?;
                    }
                    body.get_or_insert_with(BodyParams::default)
                        .form
                        .push((resolved.clone(), param_pointer));
                }
                _ if param.get("$ref").is_some() => {
                    let target = param["$ref"]
                        .as_str()
                        .unwrap_or_default()
                        .replace("#/parameters/", "#/components/parameters/");
                    self.map
                        .record_move(format!("{pointer}/{}", out.len()), param_pointer);
                    out.push(json!({ "$ref": target }));
                }
                _ => {
                    let new_pointer = format!("{pointer}/{}", out.len());
                    self.map
                        .record_move(format!("{new_pointer}/schema"), param_pointer.clone());
                    self.map.record_move(new_pointer, param_pointer.clone());
                    if let Some(p) = self.parameter(resolved, &param_pointer)? {
                        out.push(p);
                    }
                }
            }
        }
        check_duplicates(&declared, self.map)?;
        Ok((out, body))
    }

    /// Checks a non-body parameter's `type`, `collectionFormat` and `format` (see
    /// [`check_swagger2`]), warning into this converter's warnings.
    fn check(&mut self, param: &Map<String, Value>, pointer: &str) -> Result<(), Error> {
        let mut warnings = Vec::new();
        let checked = check_swagger2(param, pointer, self.map, &mut |kind, pointer, message| {
            warnings.push((kind, pointer.to_owned(), message));
        });
        for (kind, pointer, message) in warnings {
            self.warn(kind, &pointer, message);
        }
        checked
    }

    /// One non-body Swagger parameter as an OAS3 parameter.
    pub(super) fn parameter(
        &mut self,
        param: &Value,
        pointer: &str,
    ) -> Result<Option<Value>, Error> {
        let Some(p) = param.as_object() else {
            return Err(self.map.error(
                pointer,
                ErrorKind::Invalid {
                    message: "a parameter must be an object".into(),
                },
            ));
        };
        let location = p.get("in").and_then(Value::as_str).unwrap_or("");
        if matches!(location, "body" | "formData") {
            return Ok(None);
        }
        if !matches!(location, "path" | "query" | "header" | "cookie") {
            return Err(self.map.error(
                &format!("{pointer}/in"),
                ErrorKind::Invalid {
                    message: format!("unknown parameter location {location:?}"),
                },
            ));
        }
        self.check(p, pointer)?;
        let mut out = Map::new();
        for key in [
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
        ] {
            if let Some(v) = p.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        copy_extensions(p, &mut out);
        if location == "path" {
            out.insert("required".into(), json!(true));
        }
        let schema = self.inline_schema(p, pointer);
        if p.get("type").and_then(Value::as_str) == Some("array") {
            let format = p
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let (style, explode) = match (location, format) {
                ("query", "multi") => ("form", true),
                ("query", "csv") => ("form", false),
                ("query", "ssv") => ("spaceDelimited", false),
                ("query", "pipes") => ("pipeDelimited", false),
                (_, "csv") => ("simple", false),
                (_, other) => {
                    self.warn(WarningKind::CollectionFormat, &format!("{pointer}/collectionFormat"), format!("unsupported collectionFormat {other:?} for a {location} parameter; sent comma separated"));
                    (
                        if location == "query" {
                            "form"
                        } else {
                            "simple"
                        },
                        false,
                    )
                }
            };
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
            if format == "tsv" {
                out.insert("x-collection-format".into(), json!("tsv"));
            }
        }
        out.insert("schema".into(), schema);
        Ok(Some(Value::Object(out)))
    }

    /// The schema keywords of a Swagger parameter or `items` object, as an OAS3 schema.
    pub(super) fn inline_schema(&mut self, p: &Map<String, Value>, pointer: &str) -> Value {
        let mut schema = Map::new();
        for (key, value) in p {
            match key.as_str() {
                "type" if value.as_str() == Some("file") => {
                    schema.insert("type".into(), json!("string"));
                    schema.insert("format".into(), json!("binary"));
                }
                "items" => {
                    let items = match value.as_object() {
                        Some(items) if items.contains_key("$ref") => {
                            self.schema(value, &format!("{pointer}/items"))
                        }
                        Some(items) => self.inline_schema(items, &format!("{pointer}/items")),
                        None => json!({}),
                    };
                    schema.insert("items".into(), items);
                }
                "type" | "format" | "default" | "enum" | "minimum" | "maximum"
                | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" | "minLength"
                | "maxLength" | "pattern" | "minItems" | "maxItems" | "uniqueItems" => {
                    schema.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        Value::Object(schema)
    }

    pub(super) fn request_body(
        &mut self,
        body: BodyParams,
        op_pointer: &str,
        consumes: &[String],
    ) -> Value {
        let body_pointer = format!("{op_pointer}/requestBody");
        if let Some((param, source)) = body.body {
            let schema = param
                .get("schema")
                .map(|s| self.schema(s, &format!("{source}/schema")))
                .unwrap_or_else(|| json!({}));
            let types: Vec<String> = if consumes.is_empty() {
                vec!["application/json".into()]
            } else {
                consumes.to_vec()
            };
            let mut content = Map::new();
            for mt in &types {
                self.map.record_move(
                    format!("{body_pointer}/content/{}/schema", escape(mt)),
                    format!("{source}/schema"),
                );
                content.insert(mt.clone(), json!({ "schema": schema }));
            }
            self.map.record_move(body_pointer, source);
            let mut out = json!({ "content": content, "required": param.get("required").cloned().unwrap_or(json!(false)) });
            if let Some(d) = param.get("description") {
                out["description"] = d.clone();
            }
            return out;
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut any_file = false;
        let mut first = None;
        for (param, source) in &body.form {
            let Some(p) = param.as_object() else { continue };
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("field")
                .to_owned();
            any_file |= p.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.inline_schema(p, source);
            if let Some(d) = p.get("description") {
                schema["description"] = d.clone();
            }
            if p.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
            first.get_or_insert(source.clone());
            properties.insert(name, schema);
        }
        let mt = consumes
            .iter()
            .find(|m| {
                m.starts_with("multipart/") || m.starts_with("application/x-www-form-urlencoded")
            })
            .cloned()
            .unwrap_or_else(|| {
                if any_file {
                    "multipart/form-data".into()
                } else {
                    "application/x-www-form-urlencoded".into()
                }
            });
        for ((_, source), name) in body.form.iter().zip(properties.keys()) {
            self.map.record_move(
                format!(
                    "{body_pointer}/content/{}/schema/properties/{}",
                    escape(&mt),
                    escape(name)
                ),
                source.clone(),
            );
        }
        if let Some(first) = first {
            self.map.record_move(body_pointer, first);
        }
        let schema = json!({ "type": "object", "properties": properties, "required": required });
        json!({ "content": { mt: { "schema": schema } }, "required": !required.is_empty() })
    }
}

/// The `body` and `formData` parameters of an operation, each with its source pointer.
#[derive(Default)]
pub(super) struct BodyParams {
    body: Option<(Value, String)>,
    form: Vec<(Value, String)>,
}
