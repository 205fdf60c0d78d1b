//! The structured builder of small hostile Swagger 2.0 definitions: every choice is read from
//! an [`Unstructured`] byte source, so a seeded byte stream and libFuzzer's input drive the
//! same builder.
//!
//! A definition has a few definitions (plain schemas, objects, arrays, maps, enums, `allOf`s,
//! aliases and refs between them, cycles included, now and then a dangling or external ref)
//! and a few paths (templates with odd parameter names, operations with parameters of every
//! location and type, bodies, responses, security and the Genesys extensions). Names are
//! drawn from ordinary ones, Rust keywords and prelude names, empty and punctuation-only
//! ones, non-ASCII ones and path-like ones; texts mix prose with pieces crafted to escape a
//! doc comment, a string literal, an attribute, a Tera template or a Markdown table. Then,
//! now and then, one node is replaced by a value of the wrong type or removed.

use arbitrary::{Result, Unstructured};
use serde_json::{json, Map, Value};

/// Names of definitions, properties, parameters, tags and operations.
const NAMES: &[&str] = &[
    "thing",
    "Thing",
    "fooBar",
    "foo_bar",
    "FooBar",
    "getThing",
    "get_thing",
    "id",
    "name",
    "body",
    "entities",
    "pageNumber",
    "pageSize",
    "nextUri",
    "cursor",
    "status",
    "",
    " ",
    "_",
    "__",
    "-",
    "$",
    "@type",
    "1st",
    "123",
    "a.b",
    "a/b",
    "..",
    "../../etc/passwd",
    "/abs",
    "C:\\x",
    "{x}",
    "~1",
    "a b",
    "a\tb",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "r#type",
    "async",
    "await",
    "mod",
    "union",
    "try",
    "dyn",
    "Box",
    "Option",
    "Result",
    "String",
    "Vec",
    "Client",
    "Error",
    "runtime",
    "models",
    "lib",
    "mod.rs",
    "std",
    "serde",
    "Größe",
    "名前",
    "émoji😀",
    "ß",
    "İ",
    "\u{200b}",
    "\u{202e}rtl",
    "ⅸ",
];

/// Pieces of text: prose, and what could break out of the place a text is put.
const TEXTS: &[&str] = &[
    "A thing.",
    "Get the thing.",
    "*/",
    "/*",
    "///",
    "//!",
    "#[",
    "#![doc = \"x\"]",
    "\"]",
    "\"",
    "'",
    "\\",
    "\\\"",
    "{{ }}",
    "{{",
    "}}",
    "{% if true %}",
    "{% endif %}",
    "{% raw %}",
    "{#",
    "#}",
    "`",
    "```",
    "```rust\nfn main() {}",
    "<script>",
    "</p>",
    "]]",
    "[x]",
    "[link](https://example.com)",
    "https://example.com/a_b).",
    "|",
    "& < >",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{2028}",
    "\u{feff}",
    "    indented code",
    "# Heading",
    "# Examples\n```\npanic!()\n```",
    "r#\"raw\"#",
    "\"#",
    "}",
    "{",
    ")]",
    "*/ pub fn evil() {} /*",
    "\"; pub fn evil() {} //",
    "\n#[cfg(any())]\n",
];

/// Enum values, colliding after case conversion and crafted to escape.
const ENUM_VALUES: &[&str] = &[
    "a",
    "A",
    "a_b",
    "aB",
    "A-B",
    "a b",
    "ACTIVE",
    "active",
    "Active",
    "in-progress",
    "IN_PROGRESS",
    "",
    " ",
    "1",
    "1st",
    "-1",
    "true",
    "null",
    "self",
    "Self",
    "type",
    "Unknown",
    "UnknownValue",
    "\"",
    "*/",
    "{{ x }}",
    "`",
    "é",
    "É",
    "名",
];

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "file", "null", "tuple",
];

const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "date",
    "date-time",
    "byte",
    "binary",
    "uri",
    "uuid",
    "password",
    "local-date-time",
    "weird",
];

/// Parameter locations: the five of Swagger 2.0, then two it does not have.
const LOCATIONS: &[&str] = &[
    "query", "header", "path", "formData", "body", "cookie", "nowhere",
];

const COLLECTION_FORMATS: &[&str] = &["csv", "ssv", "tsv", "pipes", "multi", "weird"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/pdf",
    "text/plain",
    "*/*",
];

const STATUSES: &[&str] = &[
    "200", "201", "202", "204", "400", "404", "default", "2XX", "999", "abc",
];

/// Path segments; the last two unbalance the template.
const SEGMENTS: &[&str] = &[
    "things",
    "a",
    "b",
    "{id}",
    "{thingId}",
    "{}",
    "{a}{b}",
    "{ id }",
    "items:search",
    "..",
    "%2F",
    "{id",
    "id}",
];

/// A Swagger 2.0 definition built from `u`'s bytes.
pub fn definition(u: &mut Unstructured) -> Result<Value> {
    let mut builder = Builder {
        u,
        defs: Vec::new(),
    };
    let mut doc = builder.document()?;
    if builder.u.ratio(1, 5)? {
        builder.mutate(&mut doc)?;
    }
    Ok(doc)
}

struct Builder<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    /// The definitions' names, chosen before any schema so refs can point forward (cycles).
    defs: Vec<String>,
}

impl Builder<'_, '_> {
    fn document(&mut self) -> Result<Value> {
        let count = self.u.int_in_range(0..=5)?;
        for _ in 0..count {
            let name = self.name()?;
            self.defs.push(name);
        }
        if self.u.ratio(1, 2)? {
            self.defs.push("ErrorBody".into());
        }
        let mut definitions = Map::new();
        for name in self.defs.clone() {
            let schema = self.definition_schema(&name)?;
            definitions.insert(name, schema);
        }
        let mut paths = Map::new();
        for _ in 0..self.u.int_in_range(0..=4)? {
            let (template, item) = self.path()?;
            paths.insert(template, item);
        }
        let mut tags = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2)? {
            tags.push(json!({ "name": self.name()?, "description": self.text()? }));
        }
        let mut doc = json!({
            "swagger": "2.0",
            "info": { "title": self.text()?, "version": "v2", "description": self.text()? },
            "host": "api.mypurecloud.com",
            "tags": tags,
            "schemes": ["https"],
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "securityDefinitions": {
                "PureCloud OAuth": {
                    "type": "oauth2",
                    "authorizationUrl": "https://login.mypurecloud.com/authorize",
                    "flow": "implicit",
                    "scopes": { "all": self.text()? }
                }
            },
            "paths": paths,
            "definitions": definitions,
        });
        if self.u.ratio(1, 40)? {
            let version = self.u.choose(&["1.2", "3.0", "", "2"])?;
            doc["swagger"] = json!(version);
        }
        Ok(doc)
    }

    /// A definition: mostly any schema, sometimes an alias of another definition or an
    /// `allOf` of refs only (the shapes of alias cycles).
    fn definition_schema(&mut self, name: &str) -> Result<Value> {
        match self.u.int_in_range(0..=9)? {
            0 => self.reference(),
            1 => {
                let mut refs = Vec::new();
                for _ in 0..self.u.int_in_range(1..=2)? {
                    refs.push(self.reference()?);
                }
                Ok(json!({ "allOf": refs }))
            }
            _ if name == "ErrorBody" => Ok(json!({
                "type": "object",
                "properties": { "message": { "type": "string" }, "code": { "type": "string" } }
            })),
            _ => self.schema(3),
        }
    }

    fn schema(&mut self, depth: u32) -> Result<Value> {
        let most = if depth == 0 { 2 } else { 9 };
        let mut schema = match self.u.int_in_range(0..=most)? {
            0 => self.primitive()?,
            1 => self.reference()?,
            2 => self.enumeration()?,
            3 | 4 => self.object(depth - 1)?,
            5 => json!({ "type": "array", "items": self.schema(depth - 1)? }),
            6 => json!({ "type": "object", "additionalProperties": self.schema(depth - 1)? }),
            7 => {
                let mut parts = vec![self.reference()?];
                if self.u.ratio(1, 2)? {
                    parts.push(self.object(depth - 1)?);
                }
                json!({ "allOf": parts })
            }
            8 => json!({ "type": "object" }),
            _ => json!({}),
        };
        if let Value::Object(map) = &mut schema {
            if !map.contains_key("$ref") {
                self.decorate(map)?;
            }
        }
        Ok(schema)
    }

    /// Description, defaults and the flags Genesys definitions carry.
    fn decorate(&mut self, map: &mut Map<String, Value>) -> Result<()> {
        if self.u.ratio(1, 2)? {
            map.insert("description".into(), json!(self.text()?));
        }
        if self.u.ratio(1, 6)? {
            map.insert("readOnly".into(), json!(self.u.arbitrary::<bool>()?));
        }
        if self.u.ratio(1, 8)? {
            map.insert("default".into(), self.value(1)?);
        }
        if self.u.ratio(1, 10)? {
            map.insert("example".into(), self.value(1)?);
        }
        if self.u.ratio(1, 10)? {
            map.insert("title".into(), json!(self.text()?));
        }
        Ok(())
    }

    fn primitive(&mut self) -> Result<Value> {
        let kind = *self.u.choose(&TYPES[..4])?;
        let kind = if self.u.ratio(1, 10)? {
            self.u.choose(TYPES)?
        } else {
            kind
        };
        let mut schema = json!({ "type": kind });
        if self.u.ratio(1, 3)? {
            schema["format"] = json!(self.u.choose(FORMATS)?);
        }
        Ok(schema)
    }

    /// A ref to a definition (the next one, the same one or any), rarely a dangling or
    /// external one.
    fn reference(&mut self) -> Result<Value> {
        let target = if self.defs.is_empty() || self.u.ratio(1, 20)? {
            (*self.u.choose(&[
                "#/definitions/Missing",
                "other.json#/definitions/Thing",
                "#/paths",
                "#/definitions/",
                "",
            ])?)
            .to_owned()
        } else {
            let name = self.u.choose(&self.defs)?;
            format!("#/definitions/{}", generator::error::escape(name))
        };
        Ok(json!({ "$ref": target }))
    }

    fn enumeration(&mut self) -> Result<Value> {
        let mut values = Vec::new();
        let integer = self.u.ratio(1, 4)?;
        for _ in 0..self.u.int_in_range(0..=5)? {
            if integer && !self.u.ratio(1, 8)? {
                values.push(json!(self.u.int_in_range(-3i64..=3)?));
            } else {
                values.push(json!(self.u.choose(ENUM_VALUES)?));
            }
        }
        let kind = if integer { "integer" } else { "string" };
        Ok(json!({ "type": kind, "enum": values }))
    }

    fn object(&mut self, depth: u32) -> Result<Value> {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for _ in 0..self.u.int_in_range(0..=4)? {
            let name = self.name()?;
            if self.u.ratio(1, 3)? {
                required.push(json!(name));
            }
            properties.insert(name, self.schema(depth)?);
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        if self.u.ratio(1, 8)? {
            schema["additionalProperties"] = json!(self.u.arbitrary::<bool>()?);
        }
        Ok(schema)
    }

    /// A path template and its path item.
    fn path(&mut self) -> Result<(String, Value)> {
        let mut template = String::from("/api/v2");
        let mut declared = Vec::new();
        for _ in 0..self.u.int_in_range(1..=3)? {
            template.push('/');
            if self.u.ratio(1, 3)? {
                let mut name = self.name()?;
                // Braces in a parameter's name unbalance the template: now and then only.
                if !self.u.ratio(1, 10)? {
                    name.retain(|c| c != '{' && c != '}');
                }
                template.push_str(&format!("{{{name}}}"));
                declared.push(name);
            } else {
                let balanced = if self.u.ratio(1, 30)? { 0 } else { 2 };
                let segment = *self.u.choose(&SEGMENTS[..SEGMENTS.len() - balanced])?;
                for piece in segment.split('{').skip(1) {
                    if let Some((name, _)) = piece.split_once('}') {
                        declared.push(name.to_owned());
                    }
                }
                template.push_str(segment);
            }
        }
        if self.u.ratio(1, 10)? {
            declared.pop();
        }
        if self.u.ratio(1, 10)? {
            declared.push(self.name()?);
        }
        let mut item = Map::new();
        for method in METHODS {
            if self.u.ratio(1, 3)? || item.is_empty() && *method == "patch" {
                item.insert((*method).into(), self.operation(&declared)?);
            }
        }
        if self.u.ratio(1, 8)? {
            let location = self.location()?;
            let name = self.name()?;
            item.insert(
                "parameters".into(),
                json!([self.parameter(location, &name)?]),
            );
        }
        Ok((template, Value::Object(item)))
    }

    fn operation(&mut self, path_params: &[String]) -> Result<Value> {
        let mut op = Map::new();
        if !self.u.ratio(1, 10)? {
            op.insert("operationId".into(), json!(self.name()?));
        }
        let mut tags = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2)? {
            tags.push(json!(self.name()?));
        }
        op.insert("tags".into(), Value::Array(tags));
        op.insert("summary".into(), json!(self.text()?));
        if self.u.ratio(1, 2)? {
            op.insert("description".into(), json!(self.text()?));
        }
        let mut parameters = Vec::new();
        for name in path_params {
            parameters.push(self.parameter("path", name)?);
        }
        for _ in 0..self.u.int_in_range(0..=4)? {
            let location = self.location()?;
            let name = self.name()?;
            parameters.push(self.parameter(location, &name)?);
        }
        op.insert("parameters".into(), Value::Array(parameters));
        let mut responses = Map::new();
        for _ in 0..self.u.int_in_range(1..=3)? {
            let status = *self.u.choose(STATUSES)?;
            let mut response = Map::new();
            if !self.u.ratio(1, 10)? {
                response.insert("description".into(), json!(self.text()?));
            }
            if status != "204" && self.u.ratio(2, 3)? {
                response.insert("schema".into(), self.schema(2)?);
            }
            responses.insert(status.into(), Value::Object(response));
        }
        op.insert("responses".into(), Value::Object(responses));
        for key in ["consumes", "produces"] {
            if self.u.ratio(1, 3)? {
                op.insert(key.into(), json!([self.u.choose(MEDIA_TYPES)?]));
            }
        }
        match self.u.int_in_range(0..=3)? {
            0 => {}
            1 => {
                op.insert("security".into(), json!([]));
            }
            2 => {
                op.insert("security".into(), json!([{ "PureCloud OAuth": ["all"] }]));
            }
            _ => {
                op.insert("security".into(), json!([{ self.name()?: [] }]));
            }
        }
        if self.u.ratio(1, 2)? {
            let mut permissions = Vec::new();
            for _ in 0..self.u.int_in_range(0..=2)? {
                permissions.push(json!(self.text()?));
            }
            let kind = self.u.choose(&["ANY", "ALL", "SOME", ""])?;
            op.insert(
                "x-inin-requires-permissions".into(),
                json!({ "type": kind, "permissions": permissions }),
            );
        }
        if self.u.ratio(1, 3)? {
            op.insert("x-purecloud-method-name".into(), json!(self.name()?));
        }
        if self.u.ratio(1, 6)? {
            op.insert("deprecated".into(), json!(true));
        }
        if self.u.ratio(1, 8)? {
            op.insert("x-genesys-preview".into(), json!(true));
        }
        Ok(Value::Object(op))
    }

    /// A parameter location, rarely one Swagger 2.0 does not have.
    fn location(&mut self) -> Result<&'static str> {
        let valid = if self.u.ratio(1, 20)? { 7 } else { 5 };
        Ok(self.u.choose(&LOCATIONS[..valid])?)
    }

    fn parameter(&mut self, location: &str, name: &str) -> Result<Value> {
        let mut param = Map::new();
        param.insert("in".into(), json!(location));
        param.insert("name".into(), json!(name));
        let required = location == "path" || self.u.ratio(1, 3)?;
        param.insert("required".into(), json!(required));
        if self.u.ratio(1, 2)? {
            param.insert("description".into(), json!(self.text()?));
        }
        if location == "body" {
            param.insert("schema".into(), self.schema(2)?);
            return Ok(Value::Object(param));
        }
        let kind = if self.u.ratio(1, 8)? {
            *self.u.choose(TYPES)?
        } else {
            *self
                .u
                .choose(&["string", "integer", "number", "boolean", "array", "file"])?
        };
        param.insert("type".into(), json!(kind));
        if self.u.ratio(1, 3)? {
            param.insert("format".into(), json!(self.u.choose(FORMATS)?));
        }
        if kind == "array" {
            let mut items = self.primitive()?;
            if self.u.ratio(1, 3)? {
                items = self.enumeration()?;
            }
            param.insert("items".into(), items);
            if self.u.ratio(2, 3)? {
                param.insert(
                    "collectionFormat".into(),
                    json!(self.u.choose(COLLECTION_FORMATS)?),
                );
            }
        }
        if self.u.ratio(1, 4)? {
            let mut values = Vec::new();
            for _ in 0..self.u.int_in_range(0..=3)? {
                values.push(json!(self.u.choose(ENUM_VALUES)?));
            }
            param.insert("enum".into(), Value::Array(values));
        }
        if self.u.ratio(1, 5)? {
            param.insert("default".into(), self.value(0)?);
        }
        Ok(Value::Object(param))
    }

    /// A name: one of [`NAMES`], sometimes followed by another name or a text piece.
    fn name(&mut self) -> Result<String> {
        let mut name = (*self.u.choose(NAMES)?).to_owned();
        if self.u.ratio(1, 4)? {
            let tail = if self.u.ratio(1, 2)? {
                self.u.choose(NAMES)?
            } else {
                self.u.choose(TEXTS)?
            };
            name.push_str(tail);
        }
        Ok(name)
    }

    /// A text of up to four pieces.
    fn text(&mut self) -> Result<String> {
        let mut text = String::new();
        for _ in 0..self.u.int_in_range(0..=4)? {
            if self.u.ratio(1, 2)? {
                text.push(' ');
            }
            text.push_str(self.u.choose(TEXTS)?);
        }
        Ok(text)
    }

    /// Any JSON value, for defaults, examples and wrong-typed replacements.
    fn value(&mut self, depth: u32) -> Result<Value> {
        let most = if depth == 0 { 4 } else { 6 };
        Ok(match self.u.int_in_range(0..=most)? {
            0 => Value::Null,
            1 => json!(self.u.arbitrary::<bool>()?),
            2 => json!(self.u.int_in_range(-1000i64..=1000)?),
            3 => json!(self.u.choose(ENUM_VALUES)?),
            4 => json!(f64::from(self.u.int_in_range(-100i32..=100)?) / 8.0),
            5 => Value::Array(vec![self.value(depth - 1)?]),
            _ => json!({ self.name()?: self.value(depth - 1)? }),
        })
    }

    /// Replaces one node of `doc` (not the root) by a value of another type, or removes it.
    fn mutate(&mut self, doc: &mut Value) -> Result<()> {
        let pointers = super::removable(doc);
        if pointers.is_empty() {
            return Ok(());
        }
        let pointer = self.u.choose(&pointers)?.clone();
        if self.u.ratio(1, 3)? {
            super::remove(doc, &pointer);
        } else {
            let replacement = self.value(1)?;
            if let Some(node) = doc.pointer_mut(&pointer) {
                *node = replacement;
            }
        }
        Ok(())
    }
}
