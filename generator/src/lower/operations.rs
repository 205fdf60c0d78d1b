//! Lowers paths into operations: parameters, bodies, responses, permissions and security.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Schema, SchemaKind,
    StatusCode, Type,
};

use super::schema::{checked_default, type_of, type_of_unboxed};
use super::{paths, Ctx, Lowered};
use crate::error::{escape, Diagnostics, Error, ErrorKind, WarningKind};
use crate::ir::{
    ArrayStyle, Body, BodyKind, FormField, Ident, Method, Operation, Param, ParamLocation,
    PermissionKind, Permissions, Response, TypeRef,
};

/// One operation to lower, found by [`lower_operations`]'s first pass.
struct Job<'s> {
    id: String,
    tags: Vec<String>,
    method: Method,
    path: &'s str,
    item: &'s PathItem,
    op: &'s openapiv3::Operation,
    pointer: String,
    /// Warnings of the first pass since the previous operation, reported before its own.
    before: Vec<crate::error::Diagnostic>,
}

/// Lowers every operation (of the selected tags), keyed and sorted by operationId: a first
/// pass, in order, names the operations and checks their ids and paths; then each is
/// lowered in its own parallel job.
pub(super) fn lower_operations(
    api: &openapiv3::OpenAPI,
    map: &crate::upgrade::SourceMap,
    lowered: &mut Lowered,
    diags: &mut Diagnostics,
    tags: Option<&[String]>,
) -> Result<IndexMap<String, Operation>, Error> {
    let mut ctx = Ctx::new(api, map, lowered);
    let mut jobs = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let item_pointer = format!("/paths/{}", escape(path));
        paths::check_template(&ctx, path, &item_pointer)?;
        let ReferenceOr::Item(item) = item else {
            return Err(ctx.map.error(
                &item_pointer,
                ErrorKind::Unsupported {
                    what: "path item $ref".into(),
                },
            ));
        };
        for (method, op) in methods(item) {
            let pointer = format!("{item_pointer}/{}", method.as_str().to_lowercase());
            let id = match &op.operation_id {
                Some(id) => id.clone(),
                None => {
                    let id = format!(
                        "{}{}",
                        method.as_str().to_lowercase(),
                        path.replace(['{', '}'], "").to_upper_camel_case()
                    );
                    ctx.warn(
                        WarningKind::MissingOperationId,
                        &pointer,
                        format!("operation has no operationId; named it {id:?}"),
                    );
                    id
                }
            };
            if let Some(first) = seen.get(&id) {
                let (_, first) = ctx.map.locate(first);
                return Err(ctx.map.error(
                    &format!("{pointer}/operationId"),
                    ErrorKind::DuplicateOperationId { id, first },
                ));
            }
            seen.insert(id.clone(), pointer.clone());
            let op_tags = if op.tags.is_empty() {
                vec!["Default".to_owned()]
            } else {
                op.tags.clone()
            };
            if let Some(filter) = tags {
                if !op_tags.iter().any(|t| filter.contains(t)) {
                    continue;
                }
            }
            jobs.push(Job {
                id,
                tags: op_tags,
                method,
                path,
                item,
                op,
                pointer,
                before: std::mem::take(&mut ctx.diags),
            });
        }
    }
    let trailing = std::mem::take(&mut ctx.diags);
    let lower_job = |ctx: &mut Ctx, job: &Job| {
        ctx.diags.extend(job.before.iter().cloned());
        lower_operation(
            ctx,
            &job.id,
            job.tags.clone(),
            job.method,
            job.path,
            job.item,
            job.op,
            &job.pointer,
        )
    };
    let lowered_ops = crate::parallel::ordered(
        lowered,
        &jobs,
        |known, job| Ctx::new(api, map, known).run(|ctx| lower_job(ctx, job)),
        |lowered, job| lowered.absorb_job(job, diags, |op| op.types_mut().collect()),
    )?;
    diags.items.extend(trailing);
    let mut out: IndexMap<String, Operation> = lowered_ops
        .into_iter()
        .map(|op| (op.id.clone(), op))
        .collect();
    out.sort_keys();
    Ok(out)
}

fn methods(item: &PathItem) -> Vec<(Method, &openapiv3::Operation)> {
    let all = [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ];
    all.into_iter()
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
        .collect()
}

/// The item itself, or the `#/components/{section}/{name}` item a `$ref` names; an
/// unresolved `$ref` is an error at `pointer`.
fn component<'a, T>(
    api: &'a openapiv3::OpenAPI,
    map: &crate::upgrade::SourceMap,
    item: &'a ReferenceOr<T>,
    section: &str,
    entries: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    pointer: &str,
) -> Result<&'a T, Error> {
    match item {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix(&format!("#/components/{section}/"))
            .and_then(|name| entries(api.components.as_ref()?).get(name))
            .and_then(ReferenceOr::as_item)
            .ok_or_else(|| {
                map.error(
                    pointer,
                    ErrorKind::UnresolvedRef {
                        target: reference.clone(),
                    },
                )
            }),
    }
}

#[allow(clippy::too_many_arguments)]
fn lower_operation(
    ctx: &mut Ctx,
    id: &str,
    tags: Vec<String>,
    method: Method,
    path: &str,
    item: &PathItem,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Result<Operation, Error> {
    let method_name = op
        .extensions
        .get("x-purecloud-method-name")
        .and_then(|v| v.as_str())
        .unwrap_or(id)
        .to_owned();
    let op_hint = method_name.to_upper_camel_case();
    let params = lower_params(ctx, &op_hint, path, item, op, pointer)?;
    let body = match &op.request_body {
        Some(body) => lower_body(ctx, &op_hint, body, &format!("{pointer}/requestBody"))?,
        None => None,
    };
    let (success, errors) = lower_responses(ctx, &op_hint, op, pointer)?;
    let permissions = permissions(ctx, op, pointer);
    let Security {
        schemes: security,
        scopes,
        anonymous,
    } = security(ctx, op, pointer);
    let preview = op
        .extensions
        .get("x-genesys-preview")
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
        || op
            .summary
            .as_deref()
            .is_some_and(|s| s.trim_start().starts_with("Preview:"));
    Ok(Operation {
        id: id.to_owned(),
        name: Ident::wire(method_name),
        builder: String::new(),
        params_type: String::new(),
        home_module: String::new(),
        method,
        path: path.to_owned(),
        tags,
        summary: op.summary.clone(),
        description: op.description.clone(),
        params,
        body,
        success,
        response_enum: None,
        errors,
        deprecated: op.deprecated,
        preview,
        permissions,
        scopes,
        security,
        anonymous,
        pointer: pointer.to_owned(),
        pagination: None,
        job: None,
    })
}

fn lower_params(
    ctx: &mut Ctx,
    op_hint: &str,
    path: &str,
    item: &PathItem,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Result<Vec<Param>, Error> {
    let api = ctx.api;
    // Path-level parameters first, replaced by operation-level ones of the same name and place.
    let mut declared: Vec<(
        &openapiv3::ParameterData,
        ParamLocation,
        Option<&openapiv3::QueryStyle>,
        String,
    )> = Vec::new();
    let lists = [
        (
            &item.parameters,
            format!("/paths/{}/parameters", escape(path)),
        ),
        (&op.parameters, format!("{pointer}/parameters")),
    ];
    for (list, list_pointer) in lists {
        for (i, param) in list.iter().enumerate() {
            let param_pointer = format!("{list_pointer}/{i}");
            let param = component(
                api,
                ctx.map,
                param,
                "parameters",
                |c| &c.parameters,
                &param_pointer,
            )?;
            let (data, location, style) = match param {
                Parameter::Path { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Path, None)
                }
                Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => (parameter_data, ParamLocation::Query, Some(style)),
                Parameter::Header { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Header, None)
                }
                Parameter::Cookie { .. } => {
                    ctx.warn(
                        WarningKind::CookieParameter,
                        &param_pointer,
                        "cookie parameters are not supported; the parameter was left out",
                    );
                    continue;
                }
            };
            declared.retain(|(d, l, _, _)| !(d.name == data.name && *l == location));
            declared.push((data, location, style, param_pointer));
        }
    }
    let names: Vec<_> = declared
        .iter()
        .map(|(d, l, _, _)| (d.name.as_str(), *l))
        .collect();
    let in_template = paths::check_declared(ctx, path, &names, pointer)?;
    let mut params = Vec::new();
    for (data, location, style, param_pointer) in declared {
        if location == ParamLocation::Path && !in_template.contains(&data.name.as_str()) {
            ctx.warn(WarningKind::UnusedPathParameter, &param_pointer, format!("path parameter {:?} does not occur in the path {path:?}; the parameter was left out", data.name));
            continue;
        }
        let hint = format!("{op_hint}{}", data.name.to_upper_camel_case());
        let schema_pointer = format!("{param_pointer}/schema");
        let (ty, default, enum_values, is_array) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let ty = type_of_unboxed(ctx, schema, &hint, &schema_pointer)?;
                let (default, values, is_array) = match schema.as_item() {
                    Some(s) => (
                        checked_default(ctx, s, &schema_pointer),
                        enum_of(s),
                        matches!(s.schema_kind, SchemaKind::Type(Type::Array(_))),
                    ),
                    None => (None, Vec::new(), false),
                };
                (ty, default, values, is_array)
            }
            ParameterSchemaOrContent::Content(_) => (TypeRef::String, None, Vec::new(), false),
        };
        let ty = sendable(ctx, ty, &schema_pointer);
        refuse_unsendable(ctx, &ty, location, &param_pointer)?;
        let array_style = is_array.then(|| match (location, style, data.explode) {
            (ParamLocation::Query, Some(openapiv3::QueryStyle::SpaceDelimited), _) => {
                ArrayStyle::Ssv
            }
            (ParamLocation::Query, Some(openapiv3::QueryStyle::PipeDelimited), _) => {
                ArrayStyle::Pipes
            }
            (ParamLocation::Query, _, _)
                if data
                    .extensions
                    .get("x-collection-format")
                    .and_then(|v| v.as_str())
                    == Some("tsv") =>
            {
                ArrayStyle::Tsv
            }
            (ParamLocation::Query, _, Some(false)) => ArrayStyle::Csv,
            (ParamLocation::Query, _, _) => ArrayStyle::Multi,
            _ => ArrayStyle::Csv,
        });
        params.push(Param {
            name: Ident::wire(data.name.clone()),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            description: data.description.clone(),
            default,
            enum_values,
            style: array_style,
            deprecated: data.deprecated.unwrap_or(false),
            pointer: param_pointer,
        });
    }
    // Path parameters first, in template order; the rest keep spec order.
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => in_template
            .iter()
            .position(|n| *n == p.name.wire)
            .unwrap_or(0),
        _ => usize::MAX,
    });
    Ok(params)
}

/// A parameter travels as text: objects (free-form or structs) cannot, so they are sent as
/// strings, with a warning.
/// Whether a model is text on the wire: an enum, or an alias (through any chain of
/// aliases) of an enum or a scalar.
fn travels_as_text(ctx: &Ctx, id: &str) -> bool {
    use crate::ir::ModelKind;
    let count = ctx.models.len() + ctx.known.models.len();
    match crate::ir::follow_aliases(|id| ctx.model(id), id, count).map(|m| &m.kind) {
        Some(ModelKind::Enum { .. }) => true,
        Some(ModelKind::Alias { ty }) => !matches!(
            ty,
            TypeRef::Json | TypeRef::Map(_) | TypeRef::List(_) | TypeRef::Binary
        ),
        _ => false,
    }
}

fn sendable(ctx: &mut Ctx, ty: TypeRef, pointer: &str) -> TypeRef {
    match ty {
        TypeRef::List(inner) => {
            TypeRef::List(Box::new(sendable(ctx, *inner, &format!("{pointer}/items"))))
        }
        TypeRef::Json | TypeRef::Map(_) => {
            ctx.warn(
                WarningKind::ObjectParameter,
                pointer,
                "a parameter cannot carry an object; typed as a string",
            );
            TypeRef::String
        }
        TypeRef::Model(id) if !travels_as_text(ctx, &id) => {
            ctx.warn(
                WarningKind::ObjectParameter,
                pointer,
                format!("a parameter cannot carry the object model {id:?}; typed as a string"),
            );
            TypeRef::String
        }
        other => other,
    }
}

/// Fails on the parameter types the client cannot put into a URL or a header: a file
/// (which only a form field can carry), and an array in the path (whose template takes one
/// value).
fn refuse_unsendable(
    ctx: &Ctx,
    ty: &TypeRef,
    location: ParamLocation,
    pointer: &str,
) -> Result<(), Error> {
    let what = match ty {
        TypeRef::Binary => "a file parameter outside a form (a file can only be a form field)",
        TypeRef::List(inner) if **inner == TypeRef::Binary => {
            "a list of files outside a form (a file can only be a form field)"
        }
        TypeRef::List(_) if location == ParamLocation::Path => {
            "an array as a path parameter (a path template takes one value)"
        }
        _ => return Ok(()),
    };
    Err(ctx.map.error(
        pointer,
        ErrorKind::Unsupported {
            what: what.to_owned(),
        },
    ))
}

fn enum_of(schema: &Schema) -> Vec<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(a)) => match a.items.as_ref().and_then(|i| i.as_item()) {
            Some(items) => super::schema::string_enum(items).unwrap_or_default(),
            None => Vec::new(),
        },
        _ => super::schema::string_enum(schema).unwrap_or_default(),
    }
}

fn lower_body(
    ctx: &mut Ctx,
    op_hint: &str,
    body: &ReferenceOr<RequestBody>,
    pointer: &str,
) -> Result<Option<Body>, Error> {
    let body = component(
        ctx.api,
        ctx.map,
        body,
        "requestBodies",
        |c| &c.request_bodies,
        pointer,
    )?;
    let Some((content_type, media)) = pick_media(&body.content) else {
        return Ok(None);
    };
    let kind = body_kind(content_type);
    let schema_pointer = format!("{pointer}/content/{}/schema", escape(content_type));
    let mut out = Body {
        name: Ident::wire("body"),
        kind,
        content_type: content_type.clone(),
        required: body.required,
        description: body.description.clone(),
        ty: None,
        fields: Vec::new(),
        pointer: pointer.to_owned(),
    };
    let Some(schema) = &media.schema else {
        out.ty = Some(if kind == BodyKind::Json {
            TypeRef::Json
        } else {
            TypeRef::Binary
        });
        return Ok(Some(out));
    };
    match kind {
        BodyKind::Multipart | BodyKind::Form => {
            if let Some(Schema {
                schema_kind: SchemaKind::Type(Type::Object(obj)),
                ..
            }) = schema.as_item()
            {
                for (name, prop) in &obj.properties {
                    let field_pointer = format!("{schema_pointer}/properties/{}", escape(name));
                    let ty = type_of(
                        ctx,
                        prop,
                        &format!("{op_hint}{}", name.to_upper_camel_case()),
                        &field_pointer,
                    )?;
                    let description = prop
                        .as_item()
                        .and_then(|s| s.schema_data.description.clone());
                    out.fields.push(FormField {
                        name: Ident::wire(name.clone()),
                        required: obj.required.contains(name),
                        ty,
                        description,
                    });
                }
            } else {
                // A form that is not an object of parts can only be sent as the caller's
                // own encoded bytes.
                out.kind = BodyKind::Binary;
                out.ty = Some(TypeRef::Binary);
            }
        }
        // A body that is not JSON is sent as the caller's bytes, whatever schema it
        // declares: the client cannot encode a model as `text/plain` or `image/png`.
        BodyKind::Binary => out.ty = Some(TypeRef::Binary),
        BodyKind::Json => {
            out.ty = Some(type_of_unboxed(
                ctx,
                schema,
                &format!("{op_hint}Body"),
                &schema_pointer,
            )?);
        }
    }
    Ok(Some(out))
}

fn body_kind(content_type: &str) -> BodyKind {
    if content_type.starts_with("multipart/") {
        BodyKind::Multipart
    } else if content_type == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if is_json(content_type) {
        BodyKind::Json
    } else {
        BodyKind::Binary
    }
}

fn is_json(content_type: &str) -> bool {
    content_type == "*/*" || content_type.contains("json")
}

/// The media type a client should use: JSON first, then whatever comes first.
fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content
        .iter()
        .find(|(k, _)| is_json(k))
        .or_else(|| content.iter().next())
}

fn lower_responses(
    ctx: &mut Ctx,
    op_hint: &str,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Result<(Vec<Response>, Vec<Response>), Error> {
    let mut success = Vec::new();
    let mut errors = Vec::new();
    let mut entries: Vec<(String, &ReferenceOr<openapiv3::Response>)> = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| (status_text(code), r))
        .collect();
    if let Some(default) = &op.responses.default {
        entries.push(("default".to_owned(), default));
    }
    for (status, resp) in entries {
        let resp_pointer = format!("{pointer}/responses/{}", escape(&status));
        let resp = component(
            ctx.api,
            ctx.map,
            resp,
            "responses",
            |c| &c.responses,
            &resp_pointer,
        )?;
        let is_success = status.starts_with('2');
        let (ty, content_type) = match pick_media(&resp.content) {
            Some((content_type, media)) => {
                let schema_pointer =
                    format!("{resp_pointer}/content/{}/schema", escape(content_type));
                let hint = if is_success {
                    format!("{op_hint}Response")
                } else {
                    format!("{op_hint}Error{status}")
                };
                let ty = match &media.schema {
                    Some(schema) if is_json(content_type) => {
                        Some(type_of_unboxed(ctx, schema, &hint, &schema_pointer)?)
                    }
                    Some(_) | None if !is_json(content_type) => Some(TypeRef::Binary),
                    _ => None,
                };
                (ty, Some(content_type.clone()))
            }
            None => (None, None),
        };
        let response = Response {
            status,
            description: resp.description.clone(),
            ty,
            content_type,
        };
        if is_success {
            success.push(response);
        } else {
            errors.push(response);
        }
    }
    Ok((success, errors))
}

fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}

fn permissions(ctx: &mut Ctx, op: &openapiv3::Operation, pointer: &str) -> Option<Permissions> {
    let ext = op.extensions.get("x-inin-requires-permissions")?;
    let kind = match ext.get("type").and_then(|v| v.as_str()) {
        Some(t) if t.eq_ignore_ascii_case("all") => PermissionKind::All,
        Some(t) if t.eq_ignore_ascii_case("any") => PermissionKind::Any,
        other => {
            ctx.warn(
                WarningKind::PermissionType,
                &format!("{pointer}/x-inin-requires-permissions"),
                format!("permission type {other:?} is neither ANY nor ALL; treated as ANY"),
            );
            PermissionKind::Any
        }
    };
    let names: Vec<String> = ext
        .get("permissions")
        .and_then(|v| v.as_array())
        .map(|l| {
            l.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        return None;
    }
    Some(Permissions { kind, names })
}

/// What an operation's security requirement says.
struct Security {
    /// The scheme names, in order, deduplicated.
    schemes: Vec<String>,
    /// The OAuth scopes, in order, deduplicated.
    scopes: Vec<String>,
    /// An explicit empty list (`security: []`): the operation takes no credentials.
    anonymous: bool,
}

/// The operation's security requirement, else the document's. An explicit empty list is
/// OpenAPI's "no security": the client sends no credentials, and nothing is wrong. No
/// requirement at all is a defect (Genesys's guest APIs): warned, and credentials are sent.
fn security(ctx: &mut Ctx, op: &openapiv3::Operation, pointer: &str) -> Security {
    let requirements = match op.security.as_ref().or(ctx.api.security.as_ref()) {
        Some(r) => r,
        None => {
            ctx.warn(WarningKind::NoSecurity, pointer, "operation declares no security requirement; the client sends its credentials anyway");
            return Security {
                schemes: Vec::new(),
                scopes: Vec::new(),
                anonymous: false,
            };
        }
    };
    let declared = ctx.api.components.as_ref().map(|c| &c.security_schemes);
    let mut schemes = Vec::new();
    let mut scopes = Vec::new();
    for (i, requirement) in requirements.iter().enumerate() {
        for (scheme, req_scopes) in requirement {
            if !declared.is_some_and(|d| d.contains_key(scheme)) {
                ctx.warn(WarningKind::UndeclaredScheme, &format!("{pointer}/security/{i}"), format!("security scheme {scheme:?} is not declared in securityDefinitions; kept as a bearer token scheme"));
            }
            if !schemes.contains(scheme) {
                schemes.push(scheme.clone());
            }
            for scope in req_scopes {
                if !scopes.contains(scope) {
                    scopes.push(scope.clone());
                }
            }
        }
    }
    Security {
        schemes,
        scopes,
        anonymous: requirements.is_empty(),
    }
}
