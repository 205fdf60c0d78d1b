//! The view of an operation's request builder: its parameters type, setters, the
//! `Operation` impl (building the request, decoding the answer), the response enum, and the
//! `into_stream` and `send_and_wait` helpers of listing and job operations.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde::Serialize;

use super::docs::setter_doc;
use super::{doc_comments, features_of, one_line, Cfg};
use crate::ir::{
    Api, ArrayStyle, BodyKind, Field, Group, Model, ModelKind, Operation, Pagination, TypeRef,
};
use crate::naming::{bare, doc};
use crate::surface::{
    decoding, display, ident, Conversion, Decoding, Input, Outcome, Place, Surface, Types,
};

#[derive(Serialize)]
pub(super) struct BuilderView {
    /// Set when the builder compiles under other features than its module (it serves
    /// other groups too, or the module compiles for other groups' builders as well): the
    /// `cfg` it compiles under.
    cfg: Option<String>,
    name: String,
    /// The name of its parameters type (the `Operation`).
    params_type: String,
    method_path: String,
    fields: Vec<FieldView>,
    setters: Vec<SetterView>,
    /// The type `send()` answers.
    ret: String,
    /// The body of `Operation::request`.
    request: String,
    /// `Operation::decode`, whole.
    decode: String,
    response_enum: Option<ResponseEnumView>,
    paging: Option<PagingView>,
    job: Option<JobView>,
}

/// A field of the parameters type.
#[derive(Serialize)]
struct FieldView {
    name: String,
    ty: String,
}

/// A setter of an optional input.
#[derive(Serialize)]
struct SetterView {
    name: String,
    doc: String,
    ty: String,
    /// Taken as `impl Into<T>`: the value is converted with `.into()`.
    into: bool,
    deprecated: bool,
}

/// The enum answered when success bodies differ by status.
#[derive(Serialize)]
struct ResponseEnumView {
    name: String,
    doc: String,
    variants: Vec<VariantView>,
}

#[derive(Serialize)]
struct VariantView {
    name: String,
    ty: Option<String>,
    doc: String,
}

/// `into_stream()` of a listing operation.
#[derive(Serialize)]
struct PagingView {
    doc: String,
    item: String,
    /// `Pages::new::<Listing>(...)`, whole.
    pages: String,
}

/// `send_and_wait()` of an operation that starts an asynchronous job.
#[derive(Serialize)]
struct JobView {
    doc: String,
    results: String,
    /// The body of `send_and_wait`.
    body: String,
}

pub(super) fn builder_view(
    api: &Api,
    types: &Types,
    surface: &Surface,
    group: &Group,
    module_features: &[String],
) -> BuilderView {
    let op = surface.op;
    let method_path = format!("{}::{}", group.name.rust, bare(&op.name.rust));
    let fields = surface
        .inputs
        .iter()
        .map(|input| FieldView {
            name: input.rust.to_owned(),
            ty: input.field_type(types).to_string(),
        })
        .collect();
    let setters = surface
        .setters()
        .map(|input| SetterView {
            name: input.rust.to_owned(),
            doc: doc_comments(&setter_doc(input)),
            ty: types.arg(input.ty).0.to_string(),
            into: input.conversion() == Conversion::Into,
            deprecated: input.deprecated,
        })
        .collect();
    let response_enum = match &surface.outcome {
        Outcome::ByStatus { name, variants } => Some(ResponseEnumView {
            name: (*name).to_owned(),
            doc: doc_comments(&[format!("What [`{method_path}`] answers, by status.")]),
            variants: variants
                .iter()
                .map(|v| VariantView {
                    name: v.name.to_owned(),
                    ty: v.ty.map(|t| types.ty(t).to_string()),
                    doc: format!(" HTTP {}: {}", v.status, one_line(&doc(v.description))),
                })
                .collect(),
        }),
        _ => None,
    };
    let features = features_of(api, &op.tags);
    BuilderView {
        cfg: (features != module_features).then(|| Cfg(features).to_string()),
        name: op.builder.clone(),
        params_type: op.params_type.clone(),
        method_path,
        fields,
        setters,
        ret: surface.output_type(types).to_string(),
        request: request_body(surface).to_string(),
        decode: decode_fn(api, types, surface).to_string(),
        response_enum,
        paging: paging_view(api, types, op),
        job: job_view(api, types, op),
    }
}

/// The body of `Operation::request`: the request, with each input put where it travels.
fn request_body(surface: &Surface) -> TokenStream {
    let op = surface.op;
    let method = ident(op.method.as_str());
    let id = op.id.as_str();
    let path = op.path.as_str();
    let mut new =
        quote!(crate::runtime::__private::Request::new(reqwest::Method::#method, #id, #path));
    if op.anonymous {
        // `security: []`: the definition says the operation takes no credentials.
        new = quote!(#new.without_credentials());
    }
    if surface.inputs.is_empty() {
        return quote!(Ok(#new));
    }
    let steps = surface.inputs.iter().map(put_input);
    quote! {
        let mut request = #new;
        #(#steps)*
        Ok(request)
    }
}

/// The statement that puts one input into `request`.
fn put_input(input: &Input) -> TokenStream {
    let field = ident(input.rust);
    let wire = input.wire;
    let list = matches!(input.ty, TypeRef::List(_));
    // Given `value` (a reference to the input's value), the call that adds it.
    let put = |value: TokenStream| match input.place {
        Place::Path => quote!(request.path_param(#wire, #value)?;),
        Place::Query if list => {
            let style = ident(style_name(input.style));
            quote!(request.query_list(#wire, #value, crate::runtime::__private::ArrayStyle::#style);)
        }
        Place::Header if list => quote!(request.header_list(#wire, #value);),
        Place::Query => quote!(request.query(#wire, #value);),
        Place::Header => quote!(request.header(#wire, #value);),
        Place::Body(BodyKind::Json) => quote!(request.json(#value)?;),
        Place::Body(_) => {
            let content_type = input.content_type.unwrap_or_default();
            quote!(request.binary(#value.clone(), #content_type);)
        }
        Place::FormPart(_) if *input.ty == TypeRef::Binary => {
            quote!(request.multipart_file(#wire, #value.clone());)
        }
        Place::FormPart(BodyKind::Multipart) => quote!(request.multipart_text(#wire, #value);),
        Place::FormPart(_) => quote!(request.form_field(#wire, #value);),
    };
    // Path parameters are always set; a binary body or file part is cloned from the field.
    let owned = matches!(input.place, Place::Body(BodyKind::Binary))
        || (matches!(input.place, Place::FormPart(_)) && *input.ty == TypeRef::Binary);
    if input.required || input.place == Place::Path {
        if owned {
            put(quote!(self.#field))
        } else {
            put(quote!(&self.#field))
        }
    } else {
        let name = if matches!(input.place, Place::Body(_)) {
            quote!(body)
        } else {
            quote!(value)
        };
        let call = put(name.clone());
        quote! {
            if let Some(#name) = &self.#field {
                #call
            }
        }
    }
}

/// The runtime's `ArrayStyle` variant for an array parameter.
fn style_name(style: Option<ArrayStyle>) -> &'static str {
    match style {
        Some(ArrayStyle::Multi) | None => "Multi",
        Some(ArrayStyle::Csv) => "Csv",
        Some(ArrayStyle::Ssv) => "Ssv",
        Some(ArrayStyle::Tsv) => "Tsv",
        Some(ArrayStyle::Pipes) => "Pipes",
    }
}

/// `Operation::decode`: nothing, the bytes, the JSON body, or a match on the status.
fn decode_fn(api: &Api, types: &Types, surface: &Surface) -> TokenStream {
    let ret = surface.output_type(types);
    let (arg, body) = match &surface.outcome {
        Outcome::Unit => (quote!(_), quote!(Ok(()))),
        Outcome::One(ty) => {
            let body = match decoding(Some(ty)) {
                Decoding::Bytes => quote!(Ok(response.bytes())),
                _ => {
                    let model = display(api, ty);
                    quote!(response.json(#model))
                }
            };
            (quote!(response), body)
        }
        Outcome::ByStatus { name, variants } => {
            let enum_name = ident(name);
            let arms = variants.iter().map(|v| {
                let status = Literal::u16_unsuffixed(v.status);
                let variant = ident(v.name);
                let value = match v.ty.map(|ty| (ty, decoding(Some(ty)))) {
                    None | Some((_, Decoding::Nothing)) => quote!(#enum_name::#variant),
                    Some((_, Decoding::Bytes)) => quote!(#enum_name::#variant(response.bytes())),
                    Some((ty, Decoding::Json)) => {
                        let model = display(api, ty);
                        quote!(#enum_name::#variant(response.json(#model)?))
                    }
                };
                quote!(#status => Ok(#value),)
            });
            let operation = surface.op.id.as_str();
            let model = *name;
            let body = quote! {
                match response.status() {
                    #(#arms)*
                    status => Err(crate::Error::Decode {
                        operation: #operation,
                        model: #model,
                        field: None,
                        message: format!("unexpected success status {status}"),
                        source: None,
                    }),
                }
            };
            (quote!(response), body)
        }
    };
    quote! {
        fn decode(#arg: &crate::runtime::__private::Response) -> Result<#ret, crate::Error> {
            #body
        }
    }
}

/// The struct fields of a model, when it is a struct.
pub(super) fn struct_fields<'a>(
    api: &'a Api,
    ty: Option<&TypeRef>,
) -> Option<(&'a Model, &'a [Field])> {
    let model = api.models.get(ty?.model()?)?;
    match &model.kind {
        ModelKind::Struct { fields, .. } => Some((model, fields)),
        _ => None,
    }
}

/// The Rust name of a struct field, by wire name.
pub(super) fn rust_field<'a>(fields: &'a [Field], wire: &str) -> Option<&'a str> {
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
            quote!(PageNumber(#param)),
            format!("raising `{param}` until `pageCount`"),
        ),
        Pagination::Cursor { param } => (
            quote!(Cursor(#param)),
            format!(
                "passing each page's `{}` as `{param}`",
                listing.cursor.join(".")
            ),
        ),
        Pagination::NextUri => (quote!(NextUri), "following `nextUri`".to_owned()),
    };
    let listing_type = types.ty(ty);
    let model_name = display(api, ty);
    Some(PagingView {
        doc: doc_comments(&[
            format!(
                "Streams the `{}` of every page, {how}: a [`crate::runtime::Pages`] of `Result`s that ends after the last page or at the first error.",
                listing.items
            ),
            "Pages are fetched as the items are consumed. Parameters set on this builder apply to every page.".to_owned(),
        ]),
        item: types.ty(&listing.item).to_string(),
        pages: quote! {
            crate::runtime::__private::pages::<#listing_type>(self.client, request, crate::runtime::__private::Paging::#strategy, #model_name)
        }
        .to_string(),
    })
}

fn job_view(api: &Api, types: &Types, op: &Operation) -> Option<JobView> {
    let job = op.job.as_ref()?;
    let start_ty = op.success.first()?.ty.as_ref()?;
    let (_, start_fields) = struct_fields(api, Some(start_ty))?;
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
            .map(|v| ident(&v.name.rust))
    };
    let results = poll_fields.iter().find(|f| f.name.wire == job.results)?;
    // Each carried parameter: the local holding it, and the start's field it comes from.
    let mut copies = Vec::new();
    for carried in &job.carried {
        let own = op.params.iter().find(|p| p.name.wire == carried.wire)?;
        copies.push((
            ident(&carried.rust),
            ident(&own.name.rust),
            carried.wire.as_str(),
        ));
    }
    let inits = poll.params.iter().map(|p| {
        let field = ident(&p.name.rust);
        if p.name.wire == job.id {
            quote!(#field: job_id.clone())
        } else if let Some((local, _, _)) = copies.iter().find(|(_, _, wire)| *wire == p.name.wire)
        {
            quote!(#field: #local.clone())
        } else {
            quote!(#field: None)
        }
    });
    let body_init = poll.body.as_ref().map(|b| {
        let field = ident(&b.name.rust);
        quote!(#field: None,)
    });
    let (poll_builder, poll_params) = builder_paths(poll, &op.home_module);
    let status_enum = ident(&status_model.name.rust);
    let status_enum = quote!(crate::models::#status_enum);
    let complete = variant(&job.complete)?;
    let failed = job.failed.iter().filter_map(|wire| {
        let name = variant(wire)?;
        Some(quote!(Some(#status_enum::#name) => crate::runtime::__private::JobState::Failed(#wire.to_owned()),))
    });
    let id_field = ident(rust_field(start_fields, &job.id)?);
    let status_field = ident(&status.name.rust);
    let results_field = ident(&results.name.rust);
    let lets = copies
        .iter()
        .map(|(local, field, _)| quote!(let #local = self.params.#field.clone();));
    let (operation, start_model, id_wire, poll_id) = (
        op.id.as_str(),
        display(api, start_ty),
        job.id.as_str(),
        poll.id.as_str(),
    );
    let body = quote! {
        let job_client = self.client.clone();
        #(#lets)*
        let started = self.send().await?;
        let job_id = crate::runtime::__private::required(started.#id_field, #operation, #start_model, #id_wire)?;
        crate::runtime::__private::poll_job(#poll_id, &job_id, &options, || {
            let poll = #poll_builder::new(job_client.clone(), #poll_params {
                #(#inits,)*
                #body_init
            });
            async move {
                let result = poll.send().await?;
                Ok(match result.#status_field {
                    Some(#status_enum::#complete) => crate::runtime::__private::JobState::Complete(result.#results_field.unwrap_or_default()),
                    #(#failed)*
                    _ => crate::runtime::__private::JobState::Running,
                })
            }
        })
        .await
    };
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
        results: types.ty(&results.ty).to_string(),
        body: body.to_string(),
    })
}

/// How code in `module` names an operation's builder and its parameters type: bare in the
/// builder's home module, by path from any other.
pub(super) fn builder_paths(op: &Operation, module: &str) -> (TokenStream, TokenStream) {
    let (builder, params) = (ident(&op.builder), ident(&op.params_type));
    if op.home_module == module {
        (quote!(#builder), quote!(#params))
    } else {
        let home = ident(&op.home_module);
        (
            quote!(crate::apis::#home::#builder),
            quote!(crate::apis::#home::#params),
        )
    }
}

/// The builder's path as a doc link names it from `module`.
pub(super) fn builder_link(op: &Operation, module: &str) -> String {
    if op.home_module == module {
        op.builder.clone()
    } else {
        format!("crate::apis::{}::{}", op.home_module, op.builder)
    }
}
