//! Stage 3, lower: OpenAPI 3.0 (`openapiv3`) -> [`ir::Api`].
//!
//! Pure: no IO, no Rust naming (names are left to `naming`). Problems that make the input
//! unusable are an [`Error`] at the source pointer; problems it can work around are warnings.

mod analysis;
mod operations;
mod paging;
mod paths;
mod refs;
mod schema;

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use openapiv3::OpenAPI;

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::ir::{Api, EnumValue, Model, ModelKind, TypeRef};
use crate::upgrade::SourceMap;

/// What one lowering job (a definition, an operation) works with: the document, the
/// models earlier passes made, and what the job itself makes. Jobs run in parallel; their
/// models are then taken in, in document order, by [`Lowered::absorb`], which gives the
/// same ids and the same shared enums as lowering one job after another.
pub(crate) struct Ctx<'a> {
    pub api: &'a OpenAPI,
    pub map: &'a SourceMap,
    pub diags: Vec<Diagnostic>,
    /// The models of earlier passes, read only.
    pub known: &'a Lowered,
    /// The models this job made, in order. Ids of inline models (`#Hint`) are the job's
    /// own, and unique among `known` too, so a type names either a known model or one of
    /// these; `absorb` gives them their final ids.
    pub models: IndexMap<String, Model>,
    /// Inline string enums this job defined, by value list (see [`Lowered::inline_enums`]).
    pub inline_enums: BTreeMap<Vec<String>, String>,
    /// The pointers of the inline objects being lowered into structs, outermost first: an
    /// `allOf` that reaches one of them again would flatten it into itself forever.
    pub flattening: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn new(api: &'a OpenAPI, map: &'a SourceMap, known: &'a Lowered) -> Self {
        Ctx {
            api,
            map,
            diags: Vec::new(),
            known,
            models: IndexMap::new(),
            inline_enums: BTreeMap::new(),
            flattening: Vec::new(),
        }
    }

    /// Runs `job` in this context, fresh for one part of the document, and gives what
    /// outlives the context, for [`Lowered::absorb_job`].
    fn run<T>(mut self, job: impl FnOnce(&mut Self) -> Result<T, Error>) -> JobDone<T> {
        let result = job(&mut self);
        JobDone {
            result,
            diags: self.diags,
            models: self.models,
        }
    }

    /// Records a warning at a pointer of the upgraded document, reported in source coordinates.
    pub fn warn(
        &mut self,
        kind: crate::error::WarningKind,
        oas_pointer: &str,
        message: impl Into<String>,
    ) {
        let (file, pointer) = self.map.locate(oas_pointer);
        self.diags
            .push(Diagnostic::new(kind, file, pointer, message.into()));
    }

    /// A model of this job or of an earlier pass.
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.get(id).or_else(|| self.known.models.get(id))
    }

    /// Whether `id` is taken, by this job or an earlier pass.
    pub fn taken(&self, id: &str) -> bool {
        self.models.contains_key(id) || self.known.models.contains_key(id)
    }

    /// The inline enum already defined for this value list, by an earlier pass or this job.
    pub fn shared_enum(&self, values: &[String]) -> Option<&String> {
        self.known
            .inline_enums
            .get(values)
            .or_else(|| self.inline_enums.get(values))
    }
}

/// What a lowering job left when its context ended: its result, its warnings and the
/// models it made, for [`Lowered::absorb_job`].
struct JobDone<T> {
    result: Result<T, Error>,
    diags: Vec<Diagnostic>,
    models: IndexMap<String, Model>,
}

/// The model id of the definition `name`: the name itself, unless it starts with `#` (which
/// marks inline ids, see [`inline_id`]) or with the escape `\`; then it is escaped as
/// `\name`. Distinct names keep distinct ids, and no definition id starts with `#`.
fn definition_id(name: &str) -> String {
    if name.starts_with(['#', '\\']) {
        format!("\\{name}")
    } else {
        name.to_owned()
    }
}

/// The id of an inline model: `#Hint`, or `#Hint2`, `#Hint3`... when taken. Inline ids
/// live in their own namespace (no [`definition_id`] starts with `#`), so they never
/// replace a definition; `naming` resolves clashing type names.
fn inline_id(hint: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut id = format!("#{hint}");
    let mut n = 2;
    while taken(&id) {
        id = format!("#{hint}{n}");
        n += 1;
    }
    id
}

/// What identifies an inline enum for sharing: its values, in order.
fn enum_key(values: &[EnumValue]) -> Vec<String> {
    values.iter().map(|v| v.name.wire.clone()).collect()
}

/// The models lowered so far.
#[derive(Default)]
pub(crate) struct Lowered {
    pub models: IndexMap<String, Model>,
    /// Inline string enums by value list: one model serves every inline enum with the same
    /// values (the 2025 Genesys file has ~2,700 inline enums with ~1,180 distinct lists).
    pub inline_enums: BTreeMap<Vec<String>, String>,
}

impl Lowered {
    /// Takes in a job that ran in parallel with others, in the document's order (see
    /// [`crate::parallel::ordered`]): its warnings, then, unless it failed, its models, as
    /// [`Lowered::absorb`] does, with the types that `types` picks out of its result.
    fn absorb_job<T>(
        &mut self,
        job: JobDone<T>,
        diags: &mut Diagnostics,
        types: impl FnOnce(&mut T) -> Vec<&mut TypeRef>,
    ) -> Result<T, Error> {
        diags.items.extend(job.diags);
        let mut value = job.result?;
        self.absorb(job.models, types(&mut value));
        Ok(value)
    }

    /// Takes in a job's models, in the order the job made them, as if the job
    /// had run after every job absorbed before it: each inline model gets the first free
    /// id for its hint (`#Hint`, `#Hint2`...), and an inline enum whose values an earlier job
    /// already defined becomes an alias of that enum. `types` are the job's other results
    /// (its operation), whose model ids are renamed with the job's models.
    fn absorb<'t>(
        &mut self,
        models: IndexMap<String, Model>,
        types: impl IntoIterator<Item = &'t mut TypeRef>,
    ) {
        let mut renamed: HashMap<String, String> = HashMap::new();
        // For an enum that became an alias: the enum its own aliases now name.
        let mut shared: HashMap<String, String> = HashMap::new();
        let mut absorbed = Vec::with_capacity(models.len());
        for (id, mut model) in models {
            let mut final_id = id.clone();
            if id.starts_with('#') {
                final_id = inline_id(&model.name.wire, |id| self.models.contains_key(id));
                if let ModelKind::Enum { values } = &model.kind {
                    let key = enum_key(values);
                    match self.inline_enums.get(&key) {
                        Some(earlier) => {
                            shared.insert(id.clone(), earlier.clone());
                            model.kind = ModelKind::Alias {
                                ty: TypeRef::Model(earlier.clone()),
                            };
                        }
                        None => {
                            self.inline_enums.insert(key, final_id.clone());
                        }
                    }
                }
            }
            renamed.insert(id, final_id.clone());
            absorbed.push(final_id.clone());
            self.models.insert(final_id, model);
        }
        let mut rename = |id: &mut String| {
            if let Some(to) = renamed.get(id.as_str()) {
                id.clone_from(to);
            }
        };
        for id in &absorbed {
            let model = self.models.get_mut(id).expect("just absorbed");
            if let ModelKind::Alias {
                ty: TypeRef::Model(target),
            } = &mut model.kind
            {
                if let Some(enum_id) = shared.get(target.as_str()) {
                    target.clone_from(enum_id);
                    continue;
                }
            }
            for ty in model.kind.types_mut() {
                ty.for_each_model_mut(&mut rename);
            }
        }
        for ty in types {
            ty.for_each_model_mut(&mut rename);
        }
    }
}

/// Lowers a whole document. `tags`, when given, keeps only operations carrying one of them
/// (and the models they reach).
pub fn lower(
    api: &OpenAPI,
    map: &SourceMap,
    diags: &mut Diagnostics,
    tags: Option<&[String]>,
) -> Result<Api, Error> {
    let mut lowered = Lowered::default();
    schema::lower_components(api, map, &mut lowered, diags)?;
    refs::check_alias_cycles(&lowered.models, map)?;
    let operations = operations::lower_operations(api, map, &mut lowered, diags, tags)?;
    let base_url = api
        .servers
        .first()
        .map(|s| s.url.trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let tag_docs: IndexMap<String, Option<String>> = api
        .tags
        .iter()
        .map(|t| (t.name.clone(), t.description.clone()))
        .collect();
    let mut out = Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        base_url,
        groups: Vec::new(),
        operations,
        models: lowered.models,
    };
    analysis::finish(&mut out, &tag_docs, tags.is_some());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::ir::{ModelKind, TypeRef};

    /// Lowers a Swagger 2 definition given as JSON.
    fn lower(doc: serde_json::Value) -> crate::ir::Api {
        let dir = std::env::temp_dir().join(format!("lower-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!(
            "{}.json",
            std::thread::current()
                .name()
                .unwrap_or("t")
                .replace("::", "_")
        ));
        std::fs::write(&file, doc.to_string()).unwrap();
        let (api, _) = crate::lower_spec(&crate::Config::new(&file)).unwrap();
        let _ = std::fs::remove_file(&file);
        api
    }

    /// The error lowering a Swagger 2 definition given as JSON fails with, as shown.
    fn lower_error(doc: serde_json::Value) -> String {
        let result = crate::lower_json(&doc);
        match result {
            Ok(_) => panic!("the definition is accepted"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn an_explicit_empty_security_is_anonymous_and_a_missing_one_a_warning() {
        let op = |id: &str, security: Option<serde_json::Value>| {
            let mut op = serde_json::json!({"operationId": id,
                "responses": {"200": {"description": "ok"}}});
            if let Some(security) = security {
                op["security"] = security;
            }
            op
        };
        let doc = |top: Option<serde_json::Value>| {
            let mut doc = serde_json::json!({"swagger": "2.0", "info": {"title": "T", "version": "1"},
            "securityDefinitions": {"OAuth": {"type": "oauth2", "flow": "implicit",
                "authorizationUrl": "https://login.example/authorize", "scopes": {}}},
            "paths": {
                "/none": {"get": op("getNone", Some(serde_json::json!([])))},
                "/oauth": {"get": op("getOauth", Some(serde_json::json!([{"OAuth": []}])))},
                "/missing": {"get": op("getMissing", None)}
            }});
            if let Some(top) = top {
                doc["security"] = top;
            }
            doc
        };
        let (api, diags) = crate::lower_json(&doc(None)).unwrap();
        let anonymous = |api: &crate::ir::Api, id: &str| api.operations[id].anonymous;
        assert!(anonymous(&api, "getNone"));
        assert!(!anonymous(&api, "getOauth") && !anonymous(&api, "getMissing"));
        let warned: Vec<(crate::WarningKind, &str)> =
            diags.iter().map(|d| (d.kind, d.pointer.as_str())).collect();
        assert_eq!(
            warned,
            [(crate::WarningKind::NoSecurity, "/paths/~1missing/get")]
        );
        // The document's `security: []` covers the operations without their own.
        let (api, diags) = crate::lower_json(&doc(Some(serde_json::json!([])))).unwrap();
        assert!(anonymous(&api, "getNone") && anonymous(&api, "getMissing"));
        assert!(!anonymous(&api, "getOauth"));
        assert!(diags.is_empty(), "{diags:?}");
    }

    fn field_type<'a>(api: &'a crate::ir::Api, model: &str, field: &str) -> &'a TypeRef {
        let ModelKind::Struct { fields, .. } = &api.models[model].kind else {
            panic!("{model} is not a struct");
        };
        &fields.iter().find(|f| f.name.wire == field).unwrap().ty
    }

    #[test]
    fn jobs_lowered_in_parallel_get_the_ids_and_shared_enums_of_one_after_another() {
        let object = |prop: &str| {
            serde_json::json!({"type": "object", "properties": {
                prop: {"type": "object", "properties": {"n": {"type": "integer"}}},
                "state": {"type": "string", "enum": ["on", "off"]},
                "mode": {"type": "string", "enum": ["on", "off"]}
            }})
        };
        let get = |id: &str| {
            serde_json::json!({"get": {"operationId": id, "parameters": [
                {"name": "state", "in": "query", "type": "string", "enum": ["on", "off"]}
            ], "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Foo"}}}}})
        };
        let mut defs = serde_json::Map::new();
        // Both inline objects are hinted `FooBarBaz`: the first definition's keeps it.
        defs.insert("Foo".into(), object("barBaz"));
        defs.insert("FooBar".into(), object("baz"));
        for i in 0..40 {
            defs.insert(format!("Filler{i}"), object("x"));
        }
        let mut paths = serde_json::Map::new();
        for i in 0..40 {
            paths.insert(format!("/things/{i}"), get(&format!("getThing{i}")));
        }
        let doc = serde_json::json!({"swagger": "2.0", "info": {"title": "T", "version": "1"},
            "paths": paths, "definitions": defs});
        let api = lower(doc.clone());
        assert_eq!(
            field_type(&api, "Foo", "barBaz"),
            &TypeRef::Model("#FooBarBaz".into())
        );
        assert_eq!(
            field_type(&api, "FooBar", "baz"),
            &TypeRef::Model("#FooBarBaz2".into())
        );
        // One enum for the value list, defined by its first use; every later use is an
        // alias of it, directly, also where a job's own first use became an alias.
        let enums: Vec<&String> = api
            .models
            .iter()
            .filter(|(_, m)| matches!(m.kind, ModelKind::Enum { .. }))
            .map(|(id, _)| id)
            .collect();
        assert_eq!(enums, ["#FooState"]);
        let shared = TypeRef::Model("#FooState".into());
        for (id, model) in &api.models {
            if (id.ends_with("State") || id.ends_with("Mode")) && id != "#FooState" {
                assert_eq!(model.kind, ModelKind::Alias { ty: shared.clone() }, "{id}");
            }
        }
        let param = &api.operations["getThing39"].params[0].ty;
        let TypeRef::Model(param_model) = param else {
            panic!("{param:?}")
        };
        assert_eq!(
            api.models[param_model].kind,
            ModelKind::Alias { ty: shared }
        );
        // The same, run after run.
        assert_eq!(lower(doc), api);
    }

    #[test]
    fn definitions_named_like_inline_ids_keep_an_id_of_their_own() {
        let doc = serde_json::json!({"swagger": "2.0", "info": {"title": "T", "version": "1"},
        "paths": {}, "definitions": {
            "#Foo": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "\\#Foo": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "Foo": {"type": "object", "properties": {
                "a": {"$ref": "#/definitions/#Foo"},
                "b": {"$ref": "#/definitions/\\#Foo"},
                "c": {"type": "object", "properties": {"n": {"type": "integer"}}}
            }}
        }});
        let api = lower(doc);
        assert_eq!(
            field_type(&api, "Foo", "a"),
            &TypeRef::Model("\\#Foo".into())
        );
        assert_eq!(
            field_type(&api, "Foo", "b"),
            &TypeRef::Model("\\\\#Foo".into())
        );
        assert_eq!(
            field_type(&api, "Foo", "c"),
            &TypeRef::Model("#FooC".into())
        );
        assert_eq!(api.models["\\#Foo"].name.wire, "#Foo");
        assert_eq!(api.models["\\\\#Foo"].name.wire, "\\#Foo");
    }

    #[test]
    fn an_inline_all_of_that_includes_itself_is_refused_at_its_pointer() {
        let def = serde_json::json!({"properties": {"name": {"allOf": [
            {"$ref": "#/definitions/Std"}, {}
        ]}}});
        let error = lower_error(serde_json::json!({"swagger": "2.0",
            "info": {"title": "T", "version": "1"}, "paths": {}, "definitions": {"Std": def}}));
        assert!(
            error.contains("#/definitions/Std/properties/name: ")
                && error.contains("allOf includes the object itself"),
            "{error}"
        );
    }

    #[test]
    fn recursion_through_a_referenced_property_is_still_lowered() {
        let api = lower(serde_json::json!({"swagger": "2.0",
        "info": {"title": "T", "version": "1"}, "paths": {}, "definitions": {
            "Node": {"properties": {"next": {"allOf": [{"$ref": "#/definitions/Node"}]}}}
        }}));
        assert_eq!(
            field_type(&api, "Node", "next"),
            &TypeRef::Model("Node".into())
        );
    }

    #[test]
    fn parameters_a_url_or_header_cannot_carry_are_refused_at_their_pointer() {
        let cases = [
            (
                "/things",
                serde_json::json!({"name": "f", "in": "query", "type": "file"}),
                "a file can only be a form field",
            ),
            (
                "/things",
                serde_json::json!({"name": "f", "in": "header", "type": "file"}),
                "a file can only be a form field",
            ),
            (
                "/things/{ids}",
                serde_json::json!({"name": "ids", "in": "path", "required": true,
                    "type": "array", "items": {"type": "string"}}),
                "an array as a path parameter",
            ),
        ];
        for (path, param, phrase) in cases {
            let error = lower_error(serde_json::json!({"swagger": "2.0",
                "info": {"title": "T", "version": "1"}, "paths": {path: {"get": {
                    "operationId": "getThings", "parameters": [param],
                    "responses": {"200": {"description": "ok"}}}}}}));
            let pointer = format!("#/paths/{}/get/parameters/0: ", path.replace('/', "~1"));
            assert!(
                error.contains(&pointer) && error.contains(phrase),
                "{error}"
            );
        }
    }
}
