//! Stage 2, upgrade: turns a Swagger 2.0 document into OpenAPI 3.0 (`openapiv3::OpenAPI`),
//! and passes OpenAPI 3.0.x through, so one lowering path serves both.
//!
//! Every `x-` vendor extension is kept. The [`SourceMap`] built here lets later stages report
//! problems at the pointer of the *source* document. This stage reads no files.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::error::{escape, Diagnostics, Error, ErrorKind};
use crate::load::{Document, Source};

/// Maps pointers in the upgraded OpenAPI 3 document back to the source document and file.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    swagger2: bool,
    /// OAS3 pointer prefix -> source pointer prefix, for moved parameters and bodies.
    moved: BTreeMap<String, String>,
    origins: BTreeMap<String, String>,
    file: String,
}

impl SourceMap {
    /// The file and source pointer for a pointer into the upgraded document.
    pub fn locate(&self, oas: &str) -> (String, String) {
        let pointer = if self.swagger2 {
            self.to_swagger(oas)
        } else {
            oas.to_owned()
        };
        let file = file_for(&self.origins, &self.file, &pointer).to_owned();
        (file, pointer)
    }

    /// A warning at a pointer that is already in source coordinates (found while reading the
    /// source document), attributed to the file that pointer came from.
    pub fn diagnostic_at_source(&self, pointer: &str, message: String) -> crate::error::Diagnostic {
        let file = file_for(&self.origins, &self.file, pointer).to_owned();
        crate::error::Diagnostic {
            file,
            pointer: pointer.to_owned(),
            message,
            related: None,
        }
    }

    /// A `$ref` target as the source document spells it.
    pub fn source_ref(&self, target: &str) -> String {
        if self.swagger2 {
            target.replacen("#/components/schemas/", "#/definitions/", 1)
        } else {
            target.to_owned()
        }
    }

    /// An error at a pointer of the upgraded document, reported in source coordinates.
    pub fn error(&self, oas: &str, kind: ErrorKind) -> Error {
        let kind = match kind {
            ErrorKind::UnresolvedRef { target } => ErrorKind::UnresolvedRef {
                target: self.source_ref(&target),
            },
            other => other,
        };
        let (file, pointer) = self.locate(oas);
        Error {
            file,
            pointer,
            kind: Box::new(kind),
        }
    }

    fn to_swagger(&self, oas: &str) -> String {
        let mut prefix = oas;
        loop {
            if let Some(source) = self.moved.get(prefix) {
                return format!("{source}{}", &oas[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(0) | None => break,
                Some(i) => prefix = &prefix[..i],
            }
        }
        let mut segments: Vec<&str> = oas.split('/').skip(1).collect();
        if segments.len() >= 2 && segments[0] == "components" {
            let replacement = match segments[1] {
                "schemas" => "definitions",
                "securitySchemes" => "securityDefinitions",
                other => other,
            };
            segments.splice(0..2, [replacement]);
        }
        // Response schemas move from `responses/200/schema` to `responses/200/content/{mt}/schema`.
        let mut i = 0;
        while i + 3 < segments.len() {
            if segments[i] == "responses" && segments[i + 2] == "content" {
                segments.drain(i + 2..i + 4);
            }
            i += 1;
        }
        segments.iter().map(|s| format!("/{s}")).collect()
    }
}

fn file_for<'a>(origins: &'a BTreeMap<String, String>, default: &'a str, pointer: &str) -> &'a str {
    let mut prefix = pointer;
    loop {
        if let Some(file) = origins.get(prefix) {
            return file;
        }
        match prefix.rfind('/') {
            Some(0) | None => return default,
            Some(i) => prefix = &prefix[..i],
        }
    }
}

/// Upgrades the loaded document to OpenAPI 3.0.
pub fn upgrade(
    source: &Source,
    diags: &mut Diagnostics,
) -> Result<(openapiv3::OpenAPI, SourceMap), Error> {
    let mut map = SourceMap {
        origins: source.origins.clone(),
        file: source.file.clone(),
        ..Default::default()
    };
    let doc = &source.doc;
    let Some(root) = doc.rest.as_object() else {
        return Err(Error::new(
            &source.file,
            "",
            ErrorKind::Invalid {
                message: "the definition must be a JSON object".into(),
            },
        ));
    };
    if let Some(version) = root.get("swagger") {
        if version.as_str() != Some("2.0") {
            return Err(Error::new(
                &source.file,
                "/swagger",
                ErrorKind::UnsupportedVersion {
                    found: display(version),
                },
            ));
        }
        map.swagger2 = true;
        let converted = Upgrader {
            map: &mut map,
            diags,
            root,
            doc,
        }
        .document()?;
        let api = converted.assemble(&map)?;
        return Ok((api, map));
    }
    let oas = if let Some(version) = root.get("openapi") {
        if !version.as_str().is_some_and(|v| v.starts_with("3.0")) {
            return Err(Error::new(
                &source.file,
                "/openapi",
                ErrorKind::UnsupportedVersion {
                    found: display(version),
                },
            ));
        }
        let mut copy = doc.clone().into_value()?;
        normalize_oas3(&mut copy, &map, diags);
        copy
    } else {
        return Err(Error::new(
            &source.file,
            "",
            ErrorKind::UnsupportedVersion {
                found: "none (no `swagger` or `openapi` key)".into(),
            },
        ));
    };
    let api = deserialize(oas, &map)?;
    Ok((api, map))
}

fn display(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string())
}

/// Deserializes into `openapiv3`, reporting the failing pointer. Paths and schemas (nearly
/// all of a Genesys definition) are deserialized in parallel, each on its own.
fn deserialize(doc: Value, map: &SourceMap) -> Result<openapiv3::OpenAPI, Error> {
    let mut rest = doc;
    let paths = take_object(&mut rest, &["paths"]);
    let schemas = take_object(&mut rest, &["components", "schemas"]);
    Converted {
        paths: decode_each(paths, "/paths", map)?,
        schemas: decode_each(schemas, "/components/schemas", map)?,
        rest,
    }
    .assemble(map)
}

/// Decodes the members of a map in parallel, each freed as soon as it is decoded, which
/// keeps the peak near one copy; `prefix` is the map's pointer.
fn decode_each<T: serde::de::DeserializeOwned + Send>(
    members: Map<String, Value>,
    prefix: &str,
    map: &SourceMap,
) -> Result<Vec<(String, T)>, Error> {
    use rayon::prelude::*;
    let members: Vec<(String, Value)> = members.into_iter().collect();
    members
        .into_par_iter()
        .map(|(key, value)| {
            let decoded = decode(&value, &format!("{prefix}/{}", escape(&key)), map)?;
            drop(value);
            Ok((key, decoded))
        })
        .collect()
}

/// Removes and returns the object at `path` (empty when absent or not an object; a
/// non-object is left for the whole-document decode to report).
fn take_object(doc: &mut Value, path: &[&str]) -> Map<String, Value> {
    let mut at = &mut *doc;
    for key in path {
        match at.get_mut(*key) {
            Some(next) => at = next,
            None => return Map::new(),
        }
    }
    match at {
        Value::Object(map) => std::mem::take(map),
        _ => Map::new(),
    }
}

/// Decodes one part of the document; on failure, finds the failing pointer below `base`.
fn decode<T: serde::de::DeserializeOwned>(
    value: &Value,
    base: &str,
    map: &SourceMap,
) -> Result<T, Error> {
    match T::deserialize(value) {
        Ok(decoded) => Ok(decoded),
        Err(first) => {
            let (pointer, message) = match serde_path_to_error::deserialize::<_, T>(value).err() {
                Some(err) => {
                    let mut pointer = base.to_owned();
                    for segment in err.path().iter() {
                        use serde_path_to_error::Segment;
                        match segment {
                            Segment::Map { key } => pointer.push_str(&format!("/{}", escape(key))),
                            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                            Segment::Enum { variant } => {
                                pointer.push_str(&format!("/{}", escape(variant)))
                            }
                            Segment::Unknown => {}
                        }
                    }
                    (pointer, err.into_inner().to_string())
                }
                None => (base.to_owned(), first.to_string()),
            };
            Err(map.error(&pointer, ErrorKind::Invalid { message }))
        }
    }
}

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

/// Standard reason phrases, used when a response has no description.
fn reason(status: &str) -> &'static str {
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

/// What [`Upgrader::document`] gives: everything but the paths and schemas as JSON, and
/// those decoded.
struct Converted {
    rest: Value,
    paths: Vec<(String, openapiv3::ReferenceOr<openapiv3::PathItem>)>,
    schemas: Vec<(String, openapiv3::ReferenceOr<openapiv3::Schema>)>,
}

impl Converted {
    /// Decodes the rest and puts the decoded paths and schemas in it.
    fn assemble(self, map: &SourceMap) -> Result<openapiv3::OpenAPI, Error> {
        let mut api: openapiv3::OpenAPI = decode(&self.rest, "", map)?;
        api.paths.paths = self.paths.into_iter().collect();
        if !self.schemas.is_empty() {
            api.components.get_or_insert_with(Default::default).schemas =
                self.schemas.into_iter().collect();
        }
        Ok(api)
    }
}

struct Upgrader<'a> {
    map: &'a mut SourceMap,
    diags: &'a mut Diagnostics,
    /// The document's top level (without the members of `paths` and `definitions`).
    root: &'a Map<String, Value>,
    /// The document, for the members of `paths` and `definitions`.
    doc: &'a Document,
}

impl<'a> Upgrader<'a> {
    fn warn(&mut self, pointer: &str, message: String) {
        self.diags
            .items
            .push(self.map.diagnostic_at_source(pointer, message));
    }

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
            schemas = self.in_parallel(&self.doc.definitions, |up, (name, schema)| {
                let schema = up.doc.value(schema)?;
                let converted = up.schema(&schema, &format!("/definitions/{}", escape(name)));
                let pointer = format!("/components/schemas/{}", escape(name));
                Ok((name.to_owned(), decode(&converted, &pointer, up.map)?))
            })?;
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
            paths = self.in_parallel(&self.doc.paths, |up, (path, item)| {
                let item = up.doc.value(item)?;
                let converted = up.path_item(path, &item, &consumes, &produces)?;
                let pointer = format!("/paths/{}", escape(path));
                Ok((path.to_owned(), decode(&converted, &pointer, up.map)?))
            })?;
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

    /// Runs `convert` on every part in parallel, each with an upgrader of its own (its own
    /// pointer moves and warnings), then merges those in the parts' order, so warnings and
    /// the first error are the same as converting one part after another.
    fn in_parallel<P: Sync, T: Send>(
        &mut self,
        parts: &[P],
        convert: impl Fn(&mut Upgrader<'_>, &P) -> Result<T, Error> + Sync,
    ) -> Result<Vec<T>, Error> {
        use rayon::prelude::*;
        let (root, doc) = (self.root, self.doc);
        let base: &SourceMap = self.map;
        let file = self.diags.file.clone();
        let results: Vec<(Result<T, Error>, SourceMap, Diagnostics)> = parts
            .par_iter()
            .map(|part| {
                let mut map = SourceMap {
                    swagger2: base.swagger2,
                    moved: BTreeMap::new(),
                    origins: base.origins.clone(),
                    file: base.file.clone(),
                };
                let mut diags = Diagnostics::new(&file);
                let mut up = Upgrader {
                    map: &mut map,
                    diags: &mut diags,
                    root,
                    doc,
                };
                let result = convert(&mut up, part);
                (result, map, diags)
            })
            .collect();
        let mut out = Vec::with_capacity(results.len());
        for (result, map, diags) in results {
            self.diags.items.extend(diags.items);
            self.map.moved.extend(map.moved);
            out.push(result?);
        }
        Ok(out)
    }

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
                pointer,
                "operation declares no responses; treated as answering 200 with no body".into(),
            );
            responses.insert("200".into(), json!({"description": "OK"}));
        }
        out.insert("responses".into(), Value::Object(responses));
        Ok(Value::Object(out))
    }

    /// Splits Swagger parameters into OAS3 parameters and the body/formData parameters.
    fn parameters(
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
        let mut out = Vec::new();
        let mut body: Option<BodyParams> = None;
        for (index, param) in list.iter().enumerate() {
            let param_pointer = format!("{pointer}/{index}");
            let resolved = match param.get("$ref").and_then(Value::as_str) {
                Some(target) => match target
                    .strip_prefix("#/parameters/")
                    .and_then(|n| self.root.get("parameters")?.get(n))
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
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => {
                    body.get_or_insert_with(BodyParams::default).body =
                        Some((resolved.clone(), param_pointer));
                }
                Some("formData") => {
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
                        .moved
                        .insert(format!("{pointer}/{}", out.len()), param_pointer);
                    out.push(json!({ "$ref": target }));
                }
                _ => {
                    let new_pointer = format!("{pointer}/{}", out.len());
                    self.map
                        .moved
                        .insert(format!("{new_pointer}/schema"), param_pointer.clone());
                    self.map.moved.insert(new_pointer, param_pointer.clone());
                    if let Some(p) = self.parameter(resolved, &param_pointer)? {
                        out.push(p);
                    }
                }
            }
        }
        Ok((out, body))
    }

    /// One non-body Swagger parameter as an OAS3 parameter.
    fn parameter(&mut self, param: &Value, pointer: &str) -> Result<Option<Value>, Error> {
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
                    self.warn(&format!("{pointer}/collectionFormat"), format!("unsupported collectionFormat {other:?} for a {location} parameter; sent comma separated"));
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
    fn inline_schema(&mut self, p: &Map<String, Value>, pointer: &str) -> Value {
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

    fn request_body(&mut self, body: BodyParams, op_pointer: &str, consumes: &[String]) -> Value {
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
                self.map.moved.insert(
                    format!("{body_pointer}/content/{}/schema", escape(mt)),
                    format!("{source}/schema"),
                );
                content.insert(mt.clone(), json!({ "schema": schema }));
            }
            self.map.moved.insert(body_pointer, source);
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
            self.map.moved.insert(
                format!(
                    "{body_pointer}/content/{}/schema/properties/{}",
                    escape(&mt),
                    escape(name)
                ),
                source.clone(),
            );
        }
        if let Some(first) = first {
            self.map.moved.insert(body_pointer, first);
        }
        let schema = json!({ "type": "object", "properties": properties, "required": required });
        json!({ "content": { mt: { "schema": schema } }, "required": !required.is_empty() })
    }

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
        upgrade_schema(schema, pointer, &mut |p, m| self.warn(p, m), true)
    }
}

#[derive(Default)]
struct BodyParams {
    body: Option<(Value, String)>,
    form: Vec<(Value, String)>,
}

/// Rewrites one schema (recursively). `swagger2` turns on the Swagger-only rewrites.
fn upgrade_schema(
    schema: &Value,
    pointer: &str,
    warn: &mut dyn FnMut(&str, String),
    swagger2: bool,
) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
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
            other => {
                warn(
                    &child(other),
                    format!("non-standard schema keyword {other:?} ignored"),
                );
            }
        }
    }
    Value::Object(out)
}

/// Applies the keyword checks and response-description repairs to an OpenAPI 3.0 input.
fn normalize_oas3(doc: &mut Value, map: &SourceMap, diags: &mut Diagnostics) {
    let mut warn = |pointer: &str, message: String| {
        diags.items.push(map.diagnostic_at_source(pointer, message));
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

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") {
            to.insert(key.clone(), value.clone());
        }
    }
}
