//! The intermediate representation: plain data describing the API, produced by `lower`,
//! named by `naming`, consumed by `render`.
//!
//! Nothing here does IO or refers to a spec-library type; every name is stored, never
//! recomputed, so templates only interpolate.

use indexmap::IndexMap;
use serde::Serialize;

/// A Rust identifier next to the spec name it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Ident {
    /// The Rust spelling (may be a raw identifier such as `r#type`).
    pub rust: String,
    /// The name as the spec spells it (JSON field, parameter or definition name).
    pub wire: String,
}

impl Ident {
    /// An identifier whose Rust spelling is not chosen yet (filled in by `naming`).
    pub fn wire(wire: impl Into<String>) -> Self {
        Ident {
            rust: String::new(),
            wire: wire.into(),
        }
    }
}

/// The whole API, as lowered from one definition.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, if any.
    pub description: Option<String>,
    /// The first server URL (`https://api.mypurecloud.com`).
    pub base_url: String,
    /// One group per tag, sorted by tag name.
    pub groups: Vec<Group>,
    /// Every operation, keyed by operationId, sorted by operationId.
    pub operations: IndexMap<String, Operation>,
    /// Every model, keyed by its stable id (definition name or synthesized name), sorted by id.
    pub models: IndexMap<String, Model>,
}

/// An API group: the operations carrying one tag (`BillingApi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Group {
    /// The tag as the spec spells it (`Billing`).
    pub tag: String,
    /// Tag description, if the spec has one.
    pub description: Option<String>,
    /// Struct name (`BillingApi`); `wire` holds the tag.
    pub name: Ident,
    /// Module and accessor name (`billing`).
    pub module: String,
    /// Cargo feature name (`billing`).
    pub feature: String,
    /// The operationIds of this group, in the order the methods appear.
    pub operations: Vec<String>,
    /// Methods: the operation's Rust method name within this group, in the same order as `operations`.
    pub methods: Vec<String>,
}

/// The HTTP methods an operation can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The upper-case spelling (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// The method name the SDKs use (`x-purecloud-method-name`, else the operationId), and
    /// its Rust spelling (filled by `naming`).
    pub name: Ident,
    /// The request builder type name (`GetBillingReportsBillableusage`).
    pub builder: String,
    /// The name of the builder's parameters type (`GetBillingReportsBillableusageParams`),
    /// unique in the home module like the builder (filled by `naming`).
    pub params_type: String,
    /// The group module that holds the request builder (the first tag's).
    pub home_module: String,
    pub method: Method,
    /// Path template, as in the spec (`/api/v2/billing/trusteebillingoverview/{trustorOrgId}`).
    pub path: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Path, query and header parameters, path parameters first, then in spec order.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Success responses (2xx), by status.
    pub success: Vec<Response>,
    /// The enum `send()` answers when success responses differ in type (see
    /// [`Operation::success_shape`]); named by `naming`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_enum: Option<ResponseEnum>,
    /// Error and default responses, by status.
    pub errors: Vec<Response>,
    pub deprecated: bool,
    /// Genesys marks preview APIs with `x-genesys-preview` or "Preview" in the summary.
    pub preview: bool,
    pub permissions: Option<Permissions>,
    /// OAuth scopes named by `security`, in order, deduplicated.
    pub scopes: Vec<String>,
    /// Security scheme names the operation accepts; empty when it needs no auth.
    pub security: Vec<String>,
    /// Whether the operation is sent without credentials: its `security` (or, without one,
    /// the document's) is an explicit empty list, OpenAPI's "no security". The client then
    /// neither waits for a token nor sends an `Authorization` header. A missing requirement
    /// is not this: such an operation is sent with credentials (and warned about).
    pub anonymous: bool,
    /// JSON pointer of the operation in the source file.
    pub pointer: String,
    /// How to page through the listing this GET operation answers, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// The asynchronous job this operation starts and another operation polls, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<AsyncJob>,
}

/// How an operation gets the next page of its listing (see [`Listing`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Pagination {
    /// Increment this query parameter (`pageNumber`) until `pageCount`.
    PageNumber { param: String },
    /// Set this query parameter (`cursor`, `after`) to the listing's cursor.
    Cursor { param: String },
    /// Follow the listing's `nextUri`.
    NextUri,
}

/// An operation that starts a job ("post a query") which another operation polls until the
/// job's status says it is complete, with the results in the same answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsyncJob {
    /// The operationId of the polling operation.
    pub poll: String,
    /// The wire name of the job id: a field of this operation's response and a path
    /// parameter of the polling one (`executionId`).
    pub id: String,
    /// The polling response's status field (`queryStatus`), a string enum.
    pub status: String,
    /// The status value meaning complete (`Complete`).
    pub complete: String,
    /// The status values meaning failed (`Failed`, `Cancelled`).
    pub failed: Vec<String>,
    /// The polling response's array of results (`results`).
    pub results: String,
    /// The polling operation's path parameters, other than the job id, that the starting
    /// operation has too and hands on: `wire` is the parameter, `rust` the local variable
    /// holding its value while the job runs (filled by `naming`).
    pub carried: Vec<Ident>,
}

/// The enum an operation answers with when its success responses differ in type: one
/// variant per success status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseEnum {
    /// The enum's name (`PostThingResponse`), unique in the builder's module.
    pub name: String,
    /// The variant names (`Status200`), in the order of [`Operation::success`].
    pub variants: Vec<String>,
}

/// What an operation's success responses make `send()` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessShape<'a> {
    /// No success response has a body: `()`.
    Unit,
    /// Every success response has this body (or none).
    One(&'a TypeRef),
    /// The success responses differ: one variant per status.
    ByStatus,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// How an array parameter is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArrayStyle {
    /// Repeated keys: `a=1&a=2` (`collectionFormat: multi`, `explode: true`).
    Multi,
    /// Comma separated (`csv`, `explode: false`).
    Csv,
    /// Space separated.
    Ssv,
    /// Tab separated.
    Tsv,
    /// Pipe separated.
    Pipes,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub name: Ident,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    /// The default the server applies when the parameter is omitted.
    pub default: Option<serde_json::Value>,
    /// Allowed values, as the spec lists them (the type is an enum model when they are strings).
    pub enum_values: Vec<String>,
    /// Set for array parameters.
    pub style: Option<ArrayStyle>,
    pub deprecated: bool,
    pub pointer: String,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    Json,
    Multipart,
    Form,
    Binary,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    pub name: Ident,
    pub kind: BodyKind,
    pub content_type: String,
    pub required: bool,
    pub description: Option<String>,
    /// For JSON and binary bodies: the body's type.
    pub ty: Option<TypeRef>,
    /// For multipart and form bodies: the fields.
    pub fields: Vec<FormField>,
    pub pointer: String,
}

/// A field of a multipart or URL-encoded form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormField {
    pub name: Ident,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
}

/// What a response carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// `200`, `4XX`, `default`...
    pub status: String,
    pub description: String,
    /// The body type; `None` when the response has no body.
    pub ty: Option<TypeRef>,
    pub content_type: Option<String>,
}

/// Genesys's `x-inin-requires-permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permissions {
    pub kind: PermissionKind,
    pub names: Vec<String>,
}

/// Whether any one, or all, of the listed permissions are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PermissionKind {
    Any,
    All,
}

/// A type as used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Hash, PartialOrd, Ord)]
#[serde(tag = "kind", content = "of", rename_all = "kebab-case")]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// `date-time`: a UTC instant.
    DateTime,
    /// `date`: a calendar date.
    Date,
    /// `local-date-time`: a date and time without zone.
    LocalDateTime,
    /// `local-time`: a time of day without zone.
    LocalTime,
    /// `interval`: `start/end`, ISO-8601.
    Interval,
    /// Any JSON value (free-form object, `oneOf` that cannot be typed).
    Json,
    /// Raw bytes (file up- and downloads).
    Binary,
    /// A named model, by its id in [`Api::models`].
    Model(String),
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// The model this type refers to directly, if any (`Vec<Model>` and maps included).
    pub fn model(&self) -> Option<&str> {
        match self {
            TypeRef::Model(id) => Some(id),
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.model(),
            _ => None,
        }
    }
}

impl TypeRef {
    /// Calls `f` on every model id this type names.
    pub fn for_each_model_mut(&mut self, f: &mut impl FnMut(&mut String)) {
        match self {
            TypeRef::Model(id) => f(id),
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.for_each_model_mut(f),
            _ => {}
        }
    }
}

impl Operation {
    /// The shape of what `send()` answers, from the distinct body types of the success
    /// responses.
    pub fn success_shape(&self) -> SuccessShape<'_> {
        let mut distinct: Vec<Option<&TypeRef>> = Vec::new();
        for response in &self.success {
            if !distinct.contains(&response.ty.as_ref()) {
                distinct.push(response.ty.as_ref());
            }
        }
        match distinct.as_slice() {
            [] | [None] => SuccessShape::Unit,
            [Some(ty)] => SuccessShape::One(ty),
            _ => SuccessShape::ByStatus,
        }
    }

    /// The HTTP status of a success response as a number: `2XX` and other patterns count
    /// as 200.
    pub fn status_code(response: &Response) -> u16 {
        response.status.parse().unwrap_or(200)
    }

    /// Every type the operation names: parameters, body, form fields and responses.
    pub fn types_mut(&mut self) -> impl Iterator<Item = &mut TypeRef> {
        let body = self.body.iter_mut().flat_map(|b| {
            b.ty.iter_mut()
                .chain(b.fields.iter_mut().map(|f| &mut f.ty))
        });
        self.params.iter_mut().map(|p| &mut p.ty).chain(body).chain(
            self.success
                .iter_mut()
                .chain(self.errors.iter_mut())
                .filter_map(|r| r.ty.as_mut()),
        )
    }
}

impl Api {
    /// The same API with every source pointer cleared: what two definitions that say the
    /// same thing in different places (or formats) have in common.
    pub fn without_pointers(&self) -> Api {
        let mut api = self.clone();
        for op in api.operations.values_mut() {
            op.pointer.clear();
            op.params.iter_mut().for_each(|p| p.pointer.clear());
            if let Some(body) = &mut op.body {
                body.pointer.clear();
            }
        }
        for model in api.models.values_mut() {
            model.pointer.clear();
            if let ModelKind::Struct { fields, .. } = &mut model.kind {
                fields.iter_mut().for_each(|f| f.pointer.clear());
            }
        }
        api
    }
}

impl ModelKind {
    /// Every type the model names: its fields', its additional properties', its alias's.
    pub fn types_mut(&mut self) -> impl Iterator<Item = &mut TypeRef> {
        let (fields, other) = match self {
            ModelKind::Struct { fields, additional } => (&mut fields[..], additional.as_mut()),
            ModelKind::Alias { ty } => (&mut [][..], Some(ty)),
            ModelKind::Enum { .. } => (&mut [][..], None),
        };
        fields.iter_mut().map(|f| &mut f.ty).chain(other)
    }
}

/// The model `id` names, after following aliases of other models (`type A = B;`) to the
/// end of the chain: an enum, a struct, or an alias of a non-model type. `None` for an
/// unknown id or a cycle of aliases.
pub fn through_aliases<'a>(models: &'a IndexMap<String, Model>, id: &str) -> Option<&'a Model> {
    follow_aliases(|id| models.get(id), id, models.len())
}

/// [`through_aliases`] over any lookup of at most `count` models.
pub fn follow_aliases<'a>(
    get: impl Fn(&str) -> Option<&'a Model>,
    id: &str,
    count: usize,
) -> Option<&'a Model> {
    let mut model = get(id)?;
    for _ in 0..count {
        match &model.kind {
            ModelKind::Alias {
                ty: TypeRef::Model(next),
            } => model = get(next)?,
            _ => return Some(model),
        }
    }
    None
}

/// Whether requests, responses, or both carry a model; decides which serde derives it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Usage {
    pub request: bool,
    pub response: bool,
}

/// A named type in the `models` module.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// Type name; `wire` holds the definition name or the synthesized one.
    pub name: Ident,
    /// The module file (`billing_usage_report`).
    pub module: String,
    pub description: Option<String>,
    pub kind: ModelKind,
    pub usage: Usage,
    pub deprecated: bool,
    /// The groups (tags) whose operations reach this model, sorted.
    pub groups: Vec<String>,
    pub pointer: String,
    /// Set when the model is a Genesys listing (a page of items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<Listing>,
}

/// A Genesys listing: an array of items and the fields that lead to the next page. Field
/// names are wire names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    /// The array field holding the items (`entities`, or `results`).
    pub items: String,
    /// The item type.
    pub item: TypeRef,
    /// `pageNumber`, when the model has it.
    pub page_number: Option<String>,
    /// `pageCount`, when the model has it.
    pub page_count: Option<String>,
    /// `nextUri`, when the model has it.
    pub next_uri: Option<String>,
    /// The path to the next page's cursor: `[cursor]`, `[after]` or `[cursors, after]`;
    /// empty when there is none.
    pub cursor: Vec<String>,
}

/// The shape of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ModelKind {
    /// An object with known fields; `additional` is the value type of extra keys when the
    /// schema also has `additionalProperties`.
    Struct {
        fields: Vec<Field>,
        additional: Option<TypeRef>,
    },
    /// A string enum.
    Enum { values: Vec<EnumValue> },
    /// Another type under this name (arrays, maps, primitives, free-form objects).
    Alias { ty: TypeRef },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: Ident,
    pub ty: TypeRef,
    pub required: bool,
    /// Set by `lower` when the field's model reaches back to its parent (needs `Box`).
    pub boxed: bool,
    pub read_only: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub default: Option<serde_json::Value>,
    pub pointer: String,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumValue {
    /// Variant name; `wire` holds the value.
    pub name: Ident,
}
