//! Builds the plain views templates interpolate: Rust type expressions, doc lines, serde
//! attributes and argument conversions, all decided here so templates only loop and print.

use serde::Serialize;

use crate::ir::{
    Api, BodyKind, Field, Group, Model, ModelKind, Operation, Pagination, ParamLocation,
    PermissionKind, TypeRef,
};
use crate::naming::{bare, doc, first_line, table_cell};
use crate::render::CrateInfo;

/// Names a model may have that shadow the prelude inside its own file.
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Iterator",
    "IntoIterator",
    "From",
    "Into",
];

/// Spells types, fully qualifying prelude names when the file defines a type that shadows them.
struct Types<'a> {
    api: &'a Api,
    qualified: bool,
}

impl Types<'_> {
    fn string(&self) -> &'static str {
        if self.qualified {
            "::std::string::String"
        } else {
            "String"
        }
    }

    fn option(&self, inner: &str) -> String {
        if self.qualified {
            format!("::std::option::Option<{inner}>")
        } else {
            format!("Option<{inner}>")
        }
    }

    fn boxed(&self, inner: &str) -> String {
        if self.qualified {
            format!("::std::boxed::Box<{inner}>")
        } else {
            format!("Box<{inner}>")
        }
    }

    fn ty(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => self.string().into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::F32 => "f32".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::DateTime => "crate::runtime::DateTime".into(),
            TypeRef::Date => "crate::runtime::Date".into(),
            TypeRef::LocalDateTime => "crate::runtime::LocalDateTime".into(),
            TypeRef::LocalTime => "crate::runtime::LocalTime".into(),
            TypeRef::Interval => "crate::runtime::Interval".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::Binary => "crate::runtime::Bytes".into(),
            TypeRef::Model(id) => format!("crate::models::{}", self.api.models[id].name.rust),
            TypeRef::List(inner) => {
                let inner = self.ty(inner);
                if self.qualified {
                    format!("::std::vec::Vec<{inner}>")
                } else {
                    format!("Vec<{inner}>")
                }
            }
            TypeRef::Map(inner) => format!(
                "std::collections::BTreeMap<{}, {}>",
                self.string(),
                self.ty(inner)
            ),
        }
    }

    /// How a caller passes a value of this type, and how it is converted for storage.
    fn arg(&self, ty: &TypeRef) -> (String, &'static str) {
        match ty {
            TypeRef::String => (format!("impl Into<{}>", self.string()), ".into()"),
            TypeRef::DateTime => ("impl Into<crate::runtime::DateTime>".into(), ".into()"),
            TypeRef::Binary => ("impl Into<crate::runtime::Bytes>".into(), ".into()"),
            other => (self.ty(other), ""),
        }
    }
}

/// A type shown to people (docs tables): `String`, `Vec<BillingUsage>`, `DateTime`.
pub fn display_type(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Model(id) => api.models[id].name.rust.clone(),
        TypeRef::List(inner) => format!("Vec<{}>", display_type(api, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", display_type(api, inner)),
        other => {
            let types = Types {
                api,
                qualified: false,
            };
            types
                .ty(other)
                .rsplit("::")
                .next()
                .unwrap_or_default()
                .to_owned()
        }
    }
}

/// The cargo features of the groups carrying these tags, sorted. Groups are sorted by tag,
/// so each tag is a binary search (this runs for every model and operation).
fn features_of(api: &Api, tags: &[String]) -> Vec<String> {
    let mut features: Vec<String> = tags
        .iter()
        .filter_map(|tag| {
            api.groups
                .binary_search_by(|g| g.tag.as_str().cmp(tag))
                .ok()
        })
        .map(|i| api.groups[i].feature.clone())
        .collect();
    features.sort();
    features.dedup();
    features
}

/// A `cfg` predicate enabled by any of the features; code no group needs (models no
/// operation reaches) compiles with `all`.
fn cfg(features: &[String]) -> String {
    match features {
        [] => "feature = \"all\"".to_owned(),
        [one] => format!("feature = {one:?}"),
        many => format!(
            "any({})",
            many.iter()
                .map(|f| format!("feature = {f:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The features under which a group module compiles: its own, and those of other groups
/// whose operations it builds.
fn module_features(api: &Api, group: &Group) -> Vec<String> {
    let mut tags = vec![group.tag.clone()];
    // Operations homed in a module are among its group's own.
    for op in group
        .operations
        .iter()
        .map(|id| &api.operations[id])
        .filter(|op| op.home_module == group.module)
    {
        tags.extend(op.tags.iter().cloned());
    }
    features_of(api, &tags)
}

/// Paragraphs as `///` doc comments, ready to print: templates do not loop over doc lines
/// (rendering thousands of files, that is most of Tera's work).
fn doc_comments(paragraphs: &[String]) -> String {
    doc_lines("///", paragraphs)
}

/// Paragraphs as inner `//!` doc comments (module docs).
fn inner_doc_comments(paragraphs: &[String]) -> String {
    doc_lines("//!", paragraphs)
}

/// Paragraphs as doc-comment lines, a blank doc line between paragraphs.
fn doc_lines(open: &str, paragraphs: &[String]) -> String {
    let mut out = String::new();
    let mut first = true;
    for paragraph in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !first {
            out.push_str(open);
            out.push('\n');
        }
        first = false;
        for line in paragraph.lines() {
            out.push_str(open);
            if !line.is_empty() {
                out.push(' ');
                out.push_str(&comment_text(line));
            }
            out.push('\n');
        }
    }
    out
}

/// `text` as it can stand in a line comment: control characters become spaces.
pub(crate) fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn text(t: &Option<String>) -> String {
    t.as_deref().map(doc).unwrap_or_default()
}

#[derive(Serialize)]
pub struct CrateView {
    name: String,
    lib_name: String,
    version: String,
    title: String,
    api_version: String,
    spec: String,
    fingerprint: String,
    base_url: String,
    groups: Vec<GroupSummary>,
    models: Vec<ModelSummary>,
    permissions: Vec<PermissionRow>,
    operation_count: usize,
    example: Option<String>,
}

#[derive(Serialize)]
struct GroupSummary {
    name: String,
    module: String,
    /// The group's cargo feature.
    feature: String,
    /// When the module compiles: its own feature, or another group's that uses one of its
    /// request builders (operations with two tags are built in their first tag's module).
    module_cfg: String,
    tag: String,
    summary: String,
    operation_count: usize,
}

#[derive(Serialize)]
struct ModelSummary {
    module: String,
    name: String,
    /// The features of the groups that reach the model.
    cfg: String,
}

#[derive(Serialize)]
struct PermissionRow {
    operation_id: String,
    method: String,
    path: String,
    kind: &'static str,
    names: Vec<String>,
}

pub fn crate_view(api: &Api, info: &CrateInfo) -> CrateView {
    let mut models: Vec<ModelSummary> = api
        .models
        .values()
        .map(|m| ModelSummary {
            module: m.module.clone(),
            name: m.name.rust.clone(),
            cfg: cfg(&features_of(api, &m.groups)),
        })
        .collect();
    models.sort_by(|a, b| a.module.cmp(&b.module));
    let permissions = api
        .operations
        .values()
        .map(|op| PermissionRow {
            operation_id: op.id.clone(),
            method: op.method.as_str().to_owned(),
            path: op.path.clone(),
            kind: match &op.permissions {
                None => "None",
                Some(p) if p.kind == PermissionKind::All => "All",
                Some(_) => "Any",
            },
            names: op
                .permissions
                .as_ref()
                .map(|p| p.names.clone())
                .unwrap_or_default(),
        })
        .collect();
    let example = api.groups.first().and_then(|g| {
        let op = api.operations.get(g.operations.first()?)?;
        Some(usage_example(
            api,
            op,
            &g.module,
            &g.methods[0],
            &info.name.replace('-', "_"),
        ))
    });
    CrateView {
        name: info.name.clone(),
        lib_name: info.name.replace('-', "_"),
        version: info.version.clone(),
        title: api.title.clone(),
        api_version: api.version.clone(),
        spec: info.spec.clone(),
        fingerprint: info.fingerprint.clone(),
        base_url: api.base_url.clone(),
        groups: api
            .groups
            .iter()
            .map(|g| GroupSummary {
                name: g.name.rust.clone(),
                module: g.module.clone(),
                feature: g.feature.clone(),
                module_cfg: cfg(&module_features(api, g)),
                tag: g.tag.clone(),
                summary: g
                    .description
                    .as_deref()
                    .map(first_line)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("Operations tagged {}.", g.tag)),
                operation_count: g.operations.len(),
            })
            .collect(),
        models,
        permissions,
        operation_count: api.operations.len(),
        example,
    }
}

#[derive(Serialize)]
pub struct GroupView {
    inner_doc: String,
    name: String,
    module: String,
    tag: String,
    doc: String,
    lib_name: String,
    base_url: String,
    feature: String,
    /// Set when the module also compiles for other groups: the group's own items then carry
    /// their feature.
    gate_group: bool,
    methods: Vec<MethodView>,
    builders: Vec<BuilderView>,
    qualified: bool,
}

#[derive(Serialize)]
struct MethodView {
    name: String,
    operation_id: String,
    doc: String,
    deprecated: Option<String>,
    builder_path: String,
    /// The path of the builder's parameters type.
    params_path: String,
    args: Vec<ArgView>,
    inits: Vec<InitView>,
    // For the Markdown page:
    http_method: String,
    path: String,
    summary: String,
    description: String,
    permissions_kind: String,
    permissions: Vec<String>,
    signature: String,
    example: String,
    params: Vec<ParamRow>,
    returns: String,
    anchor: String,
}

#[derive(Serialize)]
struct ArgView {
    name: String,
    ty: String,
}

/// One field of a struct literal: `value` is `None` for an unset optional, else a conversion
/// suffix (`.into()`, or empty for the shorthand) applied to the argument of the same name.
#[derive(Serialize)]
struct InitView {
    field: String,
    value: String,
}

#[derive(Serialize)]
struct ParamRow {
    name: String,
    ty: String,
    description: String,
    notes: String,
}

#[derive(Serialize)]
struct BuilderView {
    /// Set when the builder serves other groups too: the `cfg` it compiles under.
    cfg: Option<String>,
    name: String,
    /// The name of its parameters type (the `Operation`).
    params_type: String,
    method_path: String,
    operation_id: String,
    http_method: String,
    path: String,
    fields: Vec<FieldView>,
    setters: Vec<SetterView>,
    params: Vec<WireParam>,
    body: Option<BodyView>,
    ret: String,
    decode: &'static str,
    model_name: String,
    variants: Vec<VariantView>,
    response_enum: Option<String>,
    response_doc: String,
    paging: Option<PagingView>,
    job: Option<JobView>,
}

/// `into_stream()` of a listing operation.
#[derive(Serialize)]
struct PagingView {
    doc: String,
    item: String,
    listing: String,
    model_name: String,
    strategy: String,
}

/// `send_and_wait()` of an operation that starts an asynchronous job.
#[derive(Serialize)]
struct JobView {
    doc: String,
    results: String,
    copies: Vec<CopyView>,
    id_field: String,
    id_wire: String,
    poll_operation: String,
    poll_builder: String,
    poll_params: String,
    inits: Vec<InitView>,
    status_field: String,
    status_enum: String,
    complete: String,
    failed: Vec<EnumVariantView>,
    results_field: String,
}

#[derive(Serialize)]
struct CopyView {
    field: String,
    var: String,
}

#[derive(Serialize)]
struct FieldView {
    name: String,
    ty: String,
}

#[derive(Serialize)]
struct SetterView {
    name: String,
    doc: String,
    ty: String,
    conv: &'static str,
    deprecated: bool,
}

#[derive(Serialize)]
struct WireParam {
    field: String,
    wire: String,
    location: &'static str,
    required: bool,
    list: bool,
    style: &'static str,
}

#[derive(Serialize)]
struct BodyView {
    field: String,
    kind: &'static str,
    required: bool,
    content_type: String,
    parts: Vec<PartView>,
}

#[derive(Serialize)]
struct PartView {
    field: String,
    wire: String,
    required: bool,
    file: bool,
}

#[derive(Serialize)]
struct VariantView {
    status: u16,
    name: String,
    ty: Option<String>,
    decode: &'static str,
    model_name: String,
    doc: String,
}

pub fn group_view(api: &Api, group: &Group, info: &CrateInfo) -> GroupView {
    let qualified = false;
    let types = Types { api, qualified };
    let lib_name = info.name.replace('-', "_");
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for (id, method) in group.operations.iter().zip(&group.methods) {
        let op = &api.operations[id];
        methods.push(method_view(api, &types, op, group, method, &lib_name));
        if op.home_module == group.module {
            builders.push(builder_view(api, &types, op, group));
        }
    }
    let mut doc_paras = vec![format!(
        "{}: the operations Genesys tags {}.",
        group.name.rust, group.tag
    )];
    if let Some(d) = &group.description {
        doc_paras.push(doc(d));
    }
    GroupView {
        inner_doc: inner_doc_comments(&doc_paras),
        name: group.name.rust.clone(),
        module: group.module.clone(),
        tag: group.tag.clone(),
        doc: doc_comments(&doc_paras),
        lib_name,
        base_url: api.base_url.clone(),
        feature: group.feature.clone(),
        gate_group: module_features(api, group) != [group.feature.clone()],
        methods,
        builders,
        qualified,
    }
}

fn permission_doc(op: &Operation) -> String {
    match &op.permissions {
        None => "Requires NO permissions.".into(),
        Some(p) => {
            let kind = if p.kind == PermissionKind::All {
                "ALL"
            } else {
                "ANY"
            };
            let mut s = format!("Requires {kind} permissions:\n");
            for name in &p.names {
                s.push_str(&format!("\n* {name}"));
            }
            s
        }
    }
}

fn method_view(
    api: &Api,
    types: &Types,
    op: &Operation,
    group: &Group,
    method: &str,
    lib_name: &str,
) -> MethodView {
    let (builder_path, params_path) = builder_paths(op, &group.module);
    let mut paras = Vec::new();
    paras.push(
        op.summary
            .as_deref()
            .map(doc)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("Calls `{}`.", op.id)),
    );
    if let Some(d) = &op.description {
        paras.push(doc(d));
    }
    if op.preview {
        paras.push("**Preview:** this API may change without notice.".into());
    }
    paras.push(format!(
        "`{} {}` (operation `{}`)",
        op.method.as_str(),
        op.path,
        op.id
    ));
    paras.push(permission_doc(op));
    if !op.scopes.is_empty() {
        paras.push(format!(
            "OAuth scopes: {}.",
            op.scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let required: Vec<_> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<_> = op.params.iter().filter(|p| !p.required).collect();
    let body_required = op.body.as_ref().filter(|b| b.required);
    if !required.is_empty() || body_required.is_some() {
        let mut s = "# Arguments\n".to_owned();
        for p in &required {
            s.push_str(&format!(
                "\n* `{}`: {}",
                bare(&p.name.rust),
                one_line(&text(&p.description))
            ));
        }
        if let Some(b) = body_required {
            s.push_str(&format!(
                "\n* `{}`: {}",
                bare(&b.name.rust),
                one_line(&text(&b.description))
            ));
        }
        paras.push(s);
    }
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        paras.push(format!(
            "Optional parameters are set on the returned [`{builder_path}`]."
        ));
    }
    paras.push(format!("# Returns\n\n{}", returns_doc(api, op)));
    if !op.errors.is_empty() {
        paras.push(errors_doc(op));
    }
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &op.params {
        if p.required {
            let (ty, conv) = types.arg(&p.ty);
            args.push(ArgView {
                name: p.name.rust.clone(),
                ty,
            });
            inits.push(InitView {
                field: p.name.rust.clone(),
                value: conv.to_owned(),
            });
        } else {
            inits.push(InitView {
                field: p.name.rust.clone(),
                value: "None".into(),
            });
        }
    }
    if let Some(body) = &op.body {
        match body.kind {
            BodyKind::Json | BodyKind::Binary => {
                let ty = body.ty.clone().unwrap_or(TypeRef::Json);
                if body.required {
                    let (arg, conv) = types.arg(&ty);
                    args.push(ArgView {
                        name: body.name.rust.clone(),
                        ty: arg,
                    });
                    inits.push(InitView {
                        field: body.name.rust.clone(),
                        value: conv.to_owned(),
                    });
                } else {
                    inits.push(InitView {
                        field: body.name.rust.clone(),
                        value: "None".into(),
                    });
                }
            }
            BodyKind::Multipart | BodyKind::Form => {
                for f in &body.fields {
                    if f.required {
                        let (arg, conv) = types.arg(&f.ty);
                        args.push(ArgView {
                            name: f.name.rust.clone(),
                            ty: arg,
                        });
                        inits.push(InitView {
                            field: f.name.rust.clone(),
                            value: conv.to_owned(),
                        });
                    } else {
                        inits.push(InitView {
                            field: f.name.rust.clone(),
                            value: "None".into(),
                        });
                    }
                }
            }
        }
    }
    let deprecated = op
        .deprecated
        .then(|| "Genesys marks this operation deprecated.".to_owned());
    let signature_args: Vec<String> = args
        .iter()
        .map(|a| format!("{}: {}", bare(&a.name), a.ty))
        .collect();
    let returns = success_display(api, op);
    let params = param_rows(api, op);
    MethodView {
        name: method.to_owned(),
        operation_id: op.id.clone(),
        doc: doc_comments(&paras),
        deprecated,
        builder_path,
        params_path,
        args,
        inits,
        http_method: op.method.as_str().to_owned(),
        path: op.path.clone(),
        summary: op.summary.as_deref().map(table_cell).unwrap_or_default(),
        description: op.description.clone().unwrap_or_default().trim().to_owned(),
        permissions_kind: match &op.permissions {
            None => "NO".into(),
            Some(p) if p.kind == PermissionKind::All => "ALL".into(),
            Some(_) => "ANY".into(),
        },
        permissions: op
            .permissions
            .as_ref()
            .map(|p| p.names.clone())
            .unwrap_or_default(),
        signature: format!(
            "{}({}) -> {}",
            bare(method),
            signature_args.join(", "),
            returns
        ),
        example: usage_example(api, op, &group.module, method, lib_name),
        params,
        returns,
        anchor: bare(method).to_owned(),
    }
}

/// Statuses Genesys answers on most operations with boilerplate descriptions: listed by
/// number only; any other status keeps its description.
const COMMON_ERRORS: &[&str] = &[
    "400", "401", "403", "404", "408", "413", "415", "429", "500", "503", "504",
];

fn errors_doc(op: &Operation) -> String {
    let common: Vec<&str> = op
        .errors
        .iter()
        .map(|e| e.status.as_str())
        .filter(|s| COMMON_ERRORS.contains(s))
        .collect();
    let mut s = "# Errors\n\n[`crate::Error::Api`] when the API answers".to_owned();
    if !common.is_empty() {
        s.push_str(&format!(" {}", common.join(", ")));
    }
    let special: Vec<_> = op
        .errors
        .iter()
        .filter(|e| !COMMON_ERRORS.contains(&e.status.as_str()))
        .collect();
    if !special.is_empty() {
        if !common.is_empty() {
            s.push_str(", or");
        }
        s.push('\n');
        for e in special {
            s.push_str(&format!(
                "\n* {}: {}",
                e.status,
                one_line(&doc(&e.description))
            ));
        }
        s.push_str("\n\n");
    } else {
        s.push_str("; ");
    }
    s.push_str("[`crate::Error::Transport`] when the request cannot be sent.");
    s
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn param_rows(api: &Api, op: &Operation) -> Vec<ParamRow> {
    let mut rows = Vec::new();
    for p in &op.params {
        let mut notes = Vec::new();
        if !p.required {
            notes.push("[optional]".to_owned());
        }
        if let Some(d) = &p.default {
            notes.push(format!(
                "[default to {}]",
                d.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| d.to_string())
            ));
        }
        if !p.enum_values.is_empty() {
            notes.push(format!("<br />**Values**: {}", p.enum_values.join(", ")));
        }
        rows.push(ParamRow {
            name: p.name.wire.clone(),
            ty: display_type(api, &p.ty),
            description: p.description.as_deref().map(table_cell).unwrap_or_default(),
            notes: table_cell(&notes.join(" ")),
        });
    }
    if let Some(body) = &op.body {
        match &body.ty {
            Some(ty) => rows.push(ParamRow {
                name: body.name.wire.clone(),
                ty: display_type(api, ty),
                description: body
                    .description
                    .as_deref()
                    .map(table_cell)
                    .unwrap_or_default(),
                notes: if body.required {
                    String::new()
                } else {
                    "[optional]".into()
                },
            }),
            None => {
                for f in &body.fields {
                    rows.push(ParamRow {
                        name: f.name.wire.clone(),
                        ty: display_type(api, &f.ty),
                        description: f.description.as_deref().map(table_cell).unwrap_or_default(),
                        notes: if f.required {
                            String::new()
                        } else {
                            "[optional]".into()
                        },
                    });
                }
            }
        }
    }
    rows
}

/// The success shapes: one type, nothing, or one variant per status.
pub(crate) enum Success<'a> {
    Unit,
    One(&'a TypeRef),
    ByStatus(Vec<(u16, Option<&'a TypeRef>)>),
}

/// How an operation's `send()` answers, from its success responses.
pub(crate) fn success(op: &Operation) -> Success<'_> {
    let typed: Vec<(u16, Option<&TypeRef>)> = op
        .success
        .iter()
        .map(|r| (r.status.parse::<u16>().unwrap_or(200), r.ty.as_ref()))
        .collect();
    let distinct: Vec<Option<&TypeRef>> = typed.iter().fold(Vec::new(), |mut acc, (_, t)| {
        if !acc.contains(t) {
            acc.push(*t);
        }
        acc
    });
    match distinct.as_slice() {
        [] | [None] => Success::Unit,
        [Some(ty)] => Success::One(ty),
        _ => Success::ByStatus(typed),
    }
}

fn success_display(api: &Api, op: &Operation) -> String {
    match success(op) {
        Success::Unit => "()".into(),
        Success::One(ty) => display_type(api, ty),
        Success::ByStatus(_) => format!("{}Response", op.builder),
    }
}

fn returns_doc(api: &Api, op: &Operation) -> String {
    match success(op) {
        Success::Unit => "Nothing: the operation answers without a body.".into(),
        Success::One(TypeRef::Binary) => "The response body as bytes.".into(),
        Success::One(ty) => format!("[`{}`]", display_link(api, ty)),
        Success::ByStatus(_) => format!(
            "[`{}Response`], one variant per success status.",
            op.builder
        ),
    }
}

fn display_link(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Model(id) => format!("crate::models::{}", api.models[id].name.rust),
        other => display_type(api, other),
    }
}

fn decode_mode(ty: Option<&TypeRef>) -> &'static str {
    match ty {
        None => "unit",
        Some(TypeRef::Binary) => "bytes",
        Some(_) => "json",
    }
}

fn builder_view(api: &Api, types: &Types, op: &Operation, group: &Group) -> BuilderView {
    let method_path = format!("{}::{}", group.name.rust, bare(&op.name.rust));
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut params = Vec::new();
    for p in &op.params {
        let ty = types.ty(&p.ty);
        fields.push(FieldView {
            name: p.name.rust.clone(),
            ty: if p.required {
                ty.clone()
            } else {
                types.option(&ty)
            },
        });
        if !p.required {
            let (arg, conv) = types.arg(&p.ty);
            let mut paras = vec![text(&p.description)];
            if let Some(d) = &p.default {
                paras.push(format!(
                    "The server's default is `{}`.",
                    d.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| d.to_string())
                ));
            }
            setters.push(SetterView {
                name: p.name.rust.clone(),
                doc: doc_comments(&non_empty(paras, &p.name.wire)),
                ty: arg,
                conv,
                deprecated: p.deprecated,
            });
        }
        params.push(WireParam {
            field: p.name.rust.clone(),
            wire: p.name.wire.clone(),
            location: match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            },
            required: p.required,
            list: matches!(p.ty, TypeRef::List(_)),
            style: match p.style {
                Some(crate::ir::ArrayStyle::Multi) | None => "Multi",
                Some(crate::ir::ArrayStyle::Csv) => "Csv",
                Some(crate::ir::ArrayStyle::Ssv) => "Ssv",
                Some(crate::ir::ArrayStyle::Tsv) => "Tsv",
                Some(crate::ir::ArrayStyle::Pipes) => "Pipes",
            },
        });
    }
    let body = op.body.as_ref().map(|b| {
        let kind = match b.kind {
            BodyKind::Json => "json",
            BodyKind::Binary => "binary",
            BodyKind::Multipart => "multipart",
            BodyKind::Form => "form",
        };
        let mut parts = Vec::new();
        match &b.ty {
            Some(ty) => {
                let t = types.ty(ty);
                fields.push(FieldView {
                    name: b.name.rust.clone(),
                    ty: if b.required {
                        t.clone()
                    } else {
                        types.option(&t)
                    },
                });
                if !b.required {
                    let (arg, conv) = types.arg(ty);
                    setters.push(SetterView {
                        name: b.name.rust.clone(),
                        doc: doc_comments(&non_empty(vec![text(&b.description)], "body")),
                        ty: arg,
                        conv,
                        deprecated: false,
                    });
                }
            }
            None => {
                for f in &b.fields {
                    let t = types.ty(&f.ty);
                    fields.push(FieldView {
                        name: f.name.rust.clone(),
                        ty: if f.required {
                            t.clone()
                        } else {
                            types.option(&t)
                        },
                    });
                    if !f.required {
                        let (arg, conv) = types.arg(&f.ty);
                        setters.push(SetterView {
                            name: f.name.rust.clone(),
                            doc: doc_comments(&non_empty(vec![text(&f.description)], &f.name.wire)),
                            ty: arg,
                            conv,
                            deprecated: false,
                        });
                    }
                    parts.push(PartView {
                        field: f.name.rust.clone(),
                        wire: f.name.wire.clone(),
                        required: f.required,
                        file: f.ty == TypeRef::Binary,
                    });
                }
            }
        }
        BodyView {
            field: b.name.rust.clone(),
            kind,
            required: b.required,
            content_type: b.content_type.clone(),
            parts,
        }
    });
    let (ret, decode, model_name, variants, response_enum) = match success(op) {
        Success::Unit => ("()".to_owned(), "unit", String::new(), Vec::new(), None),
        Success::One(ty) => (
            types.ty(ty),
            decode_mode(Some(ty)),
            display_type(api, ty),
            Vec::new(),
            None,
        ),
        Success::ByStatus(list) => {
            let name = format!("{}Response", op.builder);
            let variants = list
                .into_iter()
                .map(|(status, ty)| VariantView {
                    status,
                    name: format!("Status{status}"),
                    ty: ty.map(|t| types.ty(t)),
                    decode: decode_mode(ty),
                    model_name: ty.map(|t| display_type(api, t)).unwrap_or_default(),
                    doc: format!(
                        " HTTP {status}: {}",
                        one_line(&doc(&op
                            .success
                            .iter()
                            .find(|r| r.status == status.to_string())
                            .map(|r| r.description.clone())
                            .unwrap_or_default()))
                    ),
                })
                .collect();
            (name.clone(), "enum", String::new(), variants, Some(name))
        }
    };
    let response_doc = doc_comments(&[format!("What [`{method_path}`] answers, by status.")]);
    let features = features_of(api, &op.tags);
    let paging = paging_view(api, types, op);
    let job = job_view(api, types, op);
    BuilderView {
        cfg: (features != [group.feature.clone()]).then(|| cfg(&features)),
        name: op.builder.clone(),
        params_type: params_name(&op.builder),
        method_path,
        operation_id: op.id.clone(),
        http_method: op.method.as_str().to_owned(),
        path: op.path.clone(),
        fields,
        setters,
        params,
        body,
        ret,
        decode,
        model_name,
        variants,
        response_enum,
        response_doc,
        paging,
        job,
    }
}

/// The struct fields of a model, when it is a struct.
fn struct_fields<'a>(api: &'a Api, ty: Option<&TypeRef>) -> Option<(&'a Model, &'a [Field])> {
    let model = api.models.get(ty?.model()?)?;
    match &model.kind {
        ModelKind::Struct { fields, .. } => Some((model, fields)),
        _ => None,
    }
}

/// The Rust name of a struct field, by wire name.
fn rust_field<'a>(fields: &'a [Field], wire: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| f.name.wire == wire)
        .map(|f| f.name.rust.as_str())
}

fn paging_view(api: &Api, types: &Types, op: &Operation) -> Option<PagingView> {
    let pagination = op.pagination.as_ref()?;
    let ty = op.success.first()?.ty.as_ref()?;
    let (model, _) = struct_fields(api, Some(ty))?;
    let listing = model.listing.as_ref()?;
    let (strategy, how) = match pagination {
        Pagination::PageNumber { param } => (
            format!("PageNumber({param:?})"),
            format!("raising `{param}` until `pageCount`"),
        ),
        Pagination::Cursor { param } => (
            format!("Cursor({param:?})"),
            format!(
                "passing each page's `{}` as `{param}`",
                listing.cursor.join(".")
            ),
        ),
        Pagination::NextUri => ("NextUri".to_owned(), "following `nextUri`".to_owned()),
    };
    Some(PagingView {
        doc: doc_comments(&[
            format!(
                "Streams the `{}` of every page, {how}: a [`crate::runtime::Pages`] of `Result`s that ends after the last page or at the first error.",
                listing.items
            ),
            "Pages are fetched as the items are consumed. Parameters set on this builder apply to every page.".to_owned(),
        ]),
        item: types.ty(&listing.item),
        listing: types.ty(ty),
        model_name: display_type(api, ty),
        strategy,
    })
}

fn job_view(api: &Api, types: &Types, op: &Operation) -> Option<JobView> {
    let job = op.job.as_ref()?;
    let (_, start_fields) = struct_fields(api, op.success.first()?.ty.as_ref())?;
    let poll = api.operations.get(&job.poll)?;
    let poll_ty = poll.success.first()?.ty.as_ref()?;
    let (_, poll_fields) = struct_fields(api, Some(poll_ty))?;
    let status = poll_fields.iter().find(|f| f.name.wire == job.status)?;
    let status_model = api.models.get(status.ty.model()?)?;
    let ModelKind::Enum { values } = &status_model.kind else {
        return None;
    };
    let variant = |wire: &str| {
        values
            .iter()
            .find(|v| v.name.wire == wire)
            .map(|v| v.name.rust.clone())
    };
    let results = poll_fields.iter().find(|f| f.name.wire == job.results)?;
    let mut copies = Vec::new();
    let mut inits = Vec::new();
    for p in &poll.params {
        let value = if p.name.wire == job.id {
            "job_id.clone()".to_owned()
        } else if p.location == ParamLocation::Path {
            let own = op.params.iter().find(|q| q.name.wire == p.name.wire)?;
            let var = format!("job_param_{}", bare(&own.name.rust));
            let value = format!("{var}.clone()");
            copies.push(CopyView {
                field: own.name.rust.clone(),
                var,
            });
            value
        } else {
            "None".to_owned()
        };
        inits.push(InitView {
            field: p.name.rust.clone(),
            value,
        });
    }
    if let Some(body) = &poll.body {
        inits.push(InitView {
            field: body.name.rust.clone(),
            value: "None".to_owned(),
        });
    }
    let (poll_builder, poll_params) = builder_paths(poll, &op.home_module);
    let failed = job
        .failed
        .iter()
        .filter_map(|wire| {
            Some(EnumVariantView {
                name: variant(wire)?,
                wire: wire.clone(),
            })
        })
        .collect();
    Some(JobView {
        doc: doc_comments(&[
            format!(
                "Sends this request, then polls `{}` with the returned `{}` until its `{}` is `{}`, and returns its `{}`.",
                poll.id, job.id, job.status, job.complete, job.results
            ),
            format!(
                "Waits with backoff between polls as `options` say. A job that ends {} is an [`crate::Error::JobFailed`]; one still running at the deadline an [`crate::Error::JobDeadline`].",
                if job.failed.is_empty() { "otherwise".to_owned() } else { job.failed.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" or ") }
            ),
        ]),
        results: types.ty(&results.ty),
        copies,
        id_field: rust_field(start_fields, &job.id)?.to_owned(),
        id_wire: job.id.clone(),
        poll_operation: poll.id.clone(),
        poll_builder,
        poll_params,
        inits,
        status_field: status.name.rust.clone(),
        status_enum: format!("crate::models::{}", status_model.name.rust),
        complete: variant(&job.complete)?,
        failed,
        results_field: results.name.rust.clone(),
    })
}

fn non_empty(paras: Vec<String>, name: &str) -> Vec<String> {
    if paras.iter().all(|p| p.trim().is_empty()) {
        vec![format!("Sets `{name}`.")]
    } else {
        paras
    }
}

fn usage_example(api: &Api, op: &Operation, module: &str, method: &str, lib_name: &str) -> String {
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        args.push(example_value(api, &p.ty, &p.name.wire));
    }
    if let Some(body) = &op.body {
        if body.required {
            match &body.ty {
                Some(ty) => args.push(example_value(api, ty, "body")),
                None => {
                    for f in body.fields.iter().filter(|f| f.required) {
                        args.push(example_value(api, &f.ty, &f.name.wire));
                    }
                }
            }
        }
    }
    let mut call = format!("client.{module}().{}({})", bare(method), args.join(", "));
    for p in op.params.iter().filter(|p| !p.required).take(2) {
        call.push_str(&format!(
            "\n        .{}({})",
            bare(&p.name.rust),
            example_value(api, &p.ty, &p.name.wire)
        ));
    }
    format!(
        "let client = {lib_name}::Client::builder()\n    .bearer_token(std::env::var(\"GENESYS_TOKEN\")?)\n    .build()?;\nlet result = {call}\n    .send()\n    .await?;\nprintln!(\"{{result:?}}\");"
    )
}

fn example_value(api: &Api, ty: &TypeRef, name: &str) -> String {
    match ty {
        TypeRef::String => format!("{:?}", format!("{name}_example")),
        TypeRef::Bool => "true".into(),
        TypeRef::I32 | TypeRef::I64 => "1".into(),
        TypeRef::F32 | TypeRef::F64 => "1.0".into(),
        TypeRef::DateTime => "genesys_cloud::runtime::DateTime::now()".into(),
        TypeRef::Model(id) => {
            let model = &api.models[id];
            match &model.kind {
                ModelKind::Enum { values } => match values.first() {
                    Some(v) => format!(
                        "genesys_cloud::models::{}::{}",
                        model.name.rust, v.name.rust
                    ),
                    None => "Default::default()".into(),
                },
                _ => format!("genesys_cloud::models::{}::default()", model.name.rust),
            }
        }
        TypeRef::List(_) => "vec![]".into(),
        TypeRef::Binary => "Vec::<u8>::new()".into(),
        _ => "Default::default()".into(),
    }
}

/// The parameters type of an operation's builder: `GetUsersParams` (`Self_` gives
/// `SelfParams`, not a non-camel-case name).
fn params_name(builder: &str) -> String {
    format!("{}Params", builder.trim_end_matches('_'))
}

/// How code in `module` names an operation's builder and its parameters type: bare in the
/// builder's home module, by path from any other.
fn builder_paths(op: &Operation, module: &str) -> (String, String) {
    let params = params_name(&op.builder);
    if op.home_module == module {
        (op.builder.clone(), params)
    } else {
        let home = format!("crate::apis::{}", op.home_module);
        (
            format!("{home}::{}", op.builder),
            format!("{home}::{params}"),
        )
    }
}

#[derive(Serialize)]
pub struct ModelView {
    name: String,
    doc: String,
    deprecated: bool,
    qualified: bool,
    serialize: bool,
    /// Decoded from responses: the model implements `DecodeFields`.
    deserialize: bool,
    /// The model's name in decode errors.
    wire_name: String,
    fields: Vec<ModelFieldView>,
    additional: Option<String>,
    required: Vec<ArgView>,
    required_inits: Vec<InitView>,
    variants: Vec<EnumVariantView>,
    alias: String,
    keep_unknown: bool,
    listing: Option<ListingView>,
}

/// The `Listing` impl of a listing model: each value is an expression on `self`.
#[derive(Serialize)]
struct ListingView {
    item: String,
    items: String,
    page_number: String,
    page_count: String,
    next_uri: String,
    cursor: String,
}

#[derive(Serialize)]
struct ModelFieldView {
    name: String,
    ty: String,
    doc: String,
    wire: String,
    deprecated: bool,
}

#[derive(Serialize)]
struct EnumVariantView {
    name: String,
    wire: String,
}

pub fn model_view(api: &Api, model: &Model) -> (&'static str, ModelView) {
    let qualified = PRELUDE.contains(&model.name.rust.as_str());
    let types = Types { api, qualified };
    let mut paras = vec![text(&model.description)];
    if paras[0].is_empty() {
        paras[0] = format!("The `{}` model.", model.name.wire.trim_start_matches('#'));
    }
    let mut view = ModelView {
        name: model.name.rust.clone(),
        doc: String::new(),
        deprecated: model.deprecated,
        qualified,
        serialize: model.usage.request,
        deserialize: model.usage.response,
        wire_name: model.name.wire.trim_start_matches('#').to_owned(),
        fields: Vec::new(),
        additional: None,
        required: Vec::new(),
        required_inits: Vec::new(),
        variants: Vec::new(),
        alias: String::new(),
        keep_unknown: false,
        listing: None,
    };
    let template = match &model.kind {
        ModelKind::Struct { fields, additional } => {
            for f in fields {
                let mut ty = types.ty(&f.ty);
                if f.boxed {
                    ty = types.boxed(&ty);
                }
                let mut fparas = vec![text(&f.description)];
                if f.required {
                    fparas.push("Required by the API.".into());
                }
                if f.read_only {
                    fparas.push("Set by the server; ignored in requests.".into());
                }
                view.fields.push(ModelFieldView {
                    name: f.name.rust.clone(),
                    ty: types.option(&ty),
                    doc: doc_comments(&non_empty(fparas, &f.name.wire)),
                    wire: f.name.wire.clone(),
                    deprecated: f.deprecated,
                });
                if f.required && !f.read_only {
                    let (arg, conv) = types.arg(&f.ty);
                    let value = if f.boxed {
                        format!(
                            "{}::new({}{conv})",
                            types.boxed("_").trim_end_matches("<_>"),
                            f.name.rust
                        )
                    } else {
                        format!("{}{conv}", f.name.rust)
                    };
                    view.required.push(ArgView {
                        name: f.name.rust.clone(),
                        ty: arg,
                    });
                    view.required_inits.push(InitView {
                        field: f.name.rust.clone(),
                        value,
                    });
                }
            }
            view.keep_unknown = model.usage.request && model.usage.response && additional.is_none();
            view.listing = model
                .listing
                .as_ref()
                .and_then(|l| listing_view(&types, fields, l));
            view.additional = additional.as_ref().map(|a| {
                format!(
                    "std::collections::BTreeMap<{}, {}>",
                    types.string(),
                    types.ty(a)
                )
            });
            "model_struct.rs.tera"
        }
        ModelKind::Enum { values } => {
            view.variants = values
                .iter()
                .map(|v| EnumVariantView {
                    name: v.name.rust.clone(),
                    wire: v.name.wire.clone(),
                })
                .collect();
            "model_enum.rs.tera"
        }
        ModelKind::Alias { ty } => {
            view.alias = types.ty(ty);
            if let TypeRef::Model(id) = ty {
                if matches!(api.models[id].kind, ModelKind::Enum { .. }) {
                    paras.push(format!("The same enum as [`{}`](crate::models::{0}): the API uses these values in several places.", api.models[id].name.rust));
                }
            }
            "model_alias.rs.tera"
        }
    };
    view.doc = doc_comments(&paras);
    (template, view)
}

fn listing_view(
    types: &Types,
    fields: &[Field],
    listing: &crate::ir::Listing,
) -> Option<ListingView> {
    const NONE: &str = "::std::option::Option::None";
    let get = |wire: &Option<String>, suffix: &str| match wire {
        Some(wire) => rust_field(fields, wire).map(|f| format!("self.{f}{suffix}")),
        None => Some(NONE.to_owned()),
    };
    let cursor = match listing.cursor.as_slice() {
        [] => NONE.to_owned(),
        [own] => format!("self.{}", rust_field(fields, own)?),
        [outer, inner] => {
            let outer = rust_field(fields, outer)?;
            let inner_name = inner_field(types.api, fields, outer, inner)?;
            format!("self.{outer}.and_then(|cursors| cursors.{inner_name})")
        }
        _ => return None,
    };
    Some(ListingView {
        item: types.ty(&listing.item),
        items: rust_field(fields, &listing.items)?.to_owned(),
        page_number: get(&listing.page_number, ".map(i64::from)")?,
        page_count: get(&listing.page_count, ".map(i64::from)")?,
        next_uri: get(&listing.next_uri, "")?,
        cursor,
    })
}

/// The Rust name of `inner` in the model of the field whose Rust name is `outer`.
fn inner_field(api: &Api, fields: &[Field], outer: &str, inner: &str) -> Option<String> {
    let field = fields.iter().find(|f| f.name.rust == outer)?;
    let (_, inner_fields) = struct_fields(api, Some(&field.ty))?;
    rust_field(inner_fields, inner).map(str::to_owned)
}
