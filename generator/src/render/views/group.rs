//! The view of a group's module (`src/apis/{group}.rs`) and of its Markdown page
//! (`docs/{Group}.md`): one method per operation, and the request builders homed there.

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::builder::{builder_link, builder_paths, builder_view, BuilderView};
use super::docs::{self, ParamRow};
use super::{code_span, doc_comments, inner_doc_comments, module_features, one_line, text};
use crate::ir::{Api, Group};
use crate::naming::{bare, doc, table_cell};
use crate::render::CrateInfo;
use crate::surface::{ident, Conversion, Passing, Surface, Types};

#[derive(Serialize)]
pub struct GroupView {
    inner_doc: String,
    name: String,
    doc: String,
    base_url: String,
    feature: String,
    /// Set when the module also compiles for other groups: the group's own items then carry
    /// their feature.
    gate_group: bool,
    methods: Vec<MethodView>,
    builders: Vec<BuilderView>,
}

/// One operation's method on the group's struct, and its section of the Markdown page.
#[derive(Serialize)]
struct MethodView {
    name: String,
    doc: String,
    deprecated: Option<String>,
    /// The builder type the method returns.
    builder_path: String,
    args: Vec<ArgView>,
    /// The method's body: the builder, made from the arguments.
    body: String,
    page: PageView,
}

/// A method argument.
#[derive(Serialize)]
pub(super) struct ArgView {
    pub(super) name: String,
    pub(super) ty: String,
}

/// An operation's section of the Markdown page.
#[derive(Serialize)]
struct PageView {
    http_method: &'static str,
    path: String,
    summary: String,
    description: String,
    /// `NO`, `ALL` or `ANY`, as Genesys's pages say it.
    permissions_kind: &'static str,
    permissions: Vec<String>,
    signature: String,
    example: String,
    params: Vec<ParamRow>,
    returns: String,
    anchor: String,
    deprecated: bool,
}

pub fn group_view(api: &Api, group: &Group, info: &CrateInfo) -> GroupView {
    let types = Types::new(api, false);
    let lib_name = info.name.replace('-', "_");
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    let module_features = module_features(api, group);
    for (id, method) in group.operations.iter().zip(&group.methods) {
        let op = &api.operations[id];
        let surface = crate::surface::surface(op);
        methods.push(method_view(api, &types, &surface, group, method, &lib_name));
        if op.home_module == group.module {
            builders.push(builder_view(api, &types, &surface, group, &module_features));
        }
    }
    let mut doc_paras = vec![format!(
        "{}: the operations Genesys tags {}.",
        group.name.rust,
        one_line(&doc(&group.tag))
    )];
    if let Some(d) = &group.description {
        doc_paras.push(doc(d));
    }
    GroupView {
        inner_doc: inner_doc_comments(&doc_paras),
        name: group.name.rust.clone(),
        doc: doc_comments(&doc_paras),
        base_url: api.base_url.clone(),
        feature: group.feature.clone(),
        gate_group: module_features != [group.feature.clone()],
        methods,
        builders,
    }
}

/// The method's rustdoc paragraphs: summary, description, HTTP call, permissions, scopes,
/// arguments, returns and errors.
fn method_doc(api: &Api, surface: &Surface, builder_path: &str) -> Vec<String> {
    let op = surface.op;
    let mut paras = Vec::new();
    paras.push(
        op.summary
            .as_deref()
            .map(doc)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("Calls {}.", code_span(&op.id))),
    );
    if let Some(d) = &op.description {
        paras.push(doc(d));
    }
    if op.preview {
        paras.push("**Preview:** this API may change without notice.".into());
    }
    paras.push(format!(
        "{} (operation {})",
        code_span(&format!("{} {}", op.method.as_str(), op.path)),
        code_span(&op.id)
    ));
    paras.push(docs::permission_doc(op));
    if op.anonymous {
        paras.push(
            "Sends no credentials: the definition declares that this operation needs no \
             security (`security: []`), so the client neither waits for an access token nor \
             sends an `Authorization` header."
                .into(),
        );
    }
    if !op.scopes.is_empty() {
        paras.push(format!(
            "OAuth scopes: {}.",
            op.scopes
                .iter()
                .map(|s| code_span(s))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut arguments = surface.arguments().peekable();
    if arguments.peek().is_some() {
        let mut s = "# Arguments\n".to_owned();
        for input in arguments {
            s.push_str(&format!(
                "\n* `{}`: {}",
                bare(input.rust),
                one_line(&text(input.description))
            ));
        }
        paras.push(s);
    }
    if surface.setters().next().is_some() {
        paras.push(format!(
            "Optional parameters are set on the returned [`{builder_path}`]."
        ));
    }
    paras.push(format!("# Returns\n\n{}", docs::returns_doc(api, surface)));
    paras.push(docs::errors_doc(surface));
    paras
}

fn method_view(
    api: &Api,
    types: &Types,
    surface: &Surface,
    group: &Group,
    method: &str,
    lib_name: &str,
) -> MethodView {
    let op = surface.op;
    let (builder_path, params_path) = builder_paths(op, &group.module);
    let builder_link = builder_link(op, &group.module);
    let args: Vec<ArgView> = surface
        .arguments_code(types)
        .into_iter()
        .map(|(name, ty)| ArgView {
            name: name.to_owned(),
            ty: ty.to_string(),
        })
        .collect();
    let body = method_body(surface, &builder_path, &params_path);
    let signature_args: Vec<String> = args
        .iter()
        .map(|a| format!("{}: {}", bare(&a.name), a.ty))
        .collect();
    let returns = surface.output_display(api);
    MethodView {
        name: method.to_owned(),
        doc: doc_comments(&method_doc(api, surface, &builder_link)),
        deprecated: op
            .deprecated
            .then(|| "Genesys marks this operation deprecated.".to_owned()),
        builder_path: builder_path.to_string(),
        args,
        body: body.to_string(),
        page: PageView {
            http_method: op.method.as_str(),
            path: op.path.clone(),
            summary: op.summary.as_deref().map(table_cell).unwrap_or_default(),
            description: op.description.clone().unwrap_or_default().trim().to_owned(),
            permissions_kind: match &op.permissions {
                None => "NO",
                Some(p) => docs::permission_word(p.kind),
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
            example: docs::usage_example(api, op, &group.module, method, lib_name),
            params: docs::param_rows(api, surface),
            returns,
            anchor: bare(method).to_owned(),
            deprecated: op.deprecated,
        },
    }
}

/// `Builder::new(self.client.clone(), Params { .. })`: arguments stored as their fields
/// (converted with `.into()` where taken as `impl Into`), optional inputs unset.
fn method_body(surface: &Surface, builder: &TokenStream, params: &TokenStream) -> TokenStream {
    let fields = surface.inputs.iter().map(|input| {
        let field = ident(input.rust);
        match (input.passing(), input.conversion()) {
            (Passing::Setter, _) => quote!(#field: None),
            (Passing::Argument, Conversion::Into) => quote!(#field: #field.into()),
            (Passing::Argument, Conversion::AsIs) => quote!(#field),
        }
    });
    quote! {
        #builder::new(self.client.clone(), #params { #(#fields,)* })
    }
}
