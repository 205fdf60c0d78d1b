//! The view of a model's module (`src/models/{model}.rs`): a struct, a string enum or an
//! alias, each its own view and template.

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::builder::{rust_field, struct_fields};
use super::group::ArgView;
use super::{doc_comments, text};
use crate::ir::{Api, Field, Listing, Model, ModelKind, TypeRef};
use crate::surface::{ident, shadows_prelude, Conversion, Types};

/// A model's view, by kind; each kind has its own template.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ModelView {
    Struct(StructView),
    Enum(EnumView),
    Alias(AliasView),
}

impl ModelView {
    /// The template that renders this view.
    pub fn template(&self) -> &'static str {
        match self {
            ModelView::Struct(_) => "model_struct.rs.tera",
            ModelView::Enum(_) => "model_enum.rs.tera",
            ModelView::Alias(_) => "model_alias.rs.tera",
        }
    }
}

#[derive(Serialize)]
pub struct StructView {
    name: String,
    doc: String,
    deprecated: bool,
    serialize: bool,
    /// Decoded from responses: the model implements `DecodeFields`.
    deserialize: bool,
    /// The model's name in decode errors.
    wire_name: String,
    fields: Vec<FieldView>,
    additional: Option<String>,
    /// The arguments of `new`, the fields requests must set; empty for models that are only
    /// decoded, which have no `new`.
    required: Vec<ArgView>,
    /// The body of `new`.
    new_body: String,
    keep_unknown: bool,
    listing: Option<ListingView>,
}

#[derive(Serialize)]
pub struct EnumView {
    name: String,
    doc: String,
    deprecated: bool,
    /// The enum shadows `String`: the unknown-value variant spells it in full.
    qualified: bool,
    variants: Vec<VariantView>,
}

#[derive(Serialize)]
pub struct AliasView {
    name: String,
    doc: String,
    alias: String,
}

/// The `Listing` impl of a listing model.
#[derive(Serialize)]
struct ListingView {
    item: String,
    /// The `Page` literal `into_page` answers.
    page: String,
}

#[derive(Serialize)]
struct FieldView {
    name: String,
    ty: String,
    doc: String,
    wire: String,
    deprecated: bool,
}

#[derive(Serialize)]
struct VariantView {
    name: String,
    wire: String,
}

pub fn model_view(api: &Api, id: &str, model: &Model) -> ModelView {
    let qualified = shadows_prelude(&model.name.rust);
    let types = Types::new(api, qualified);
    let mut paras = vec![text(model.description.as_deref())];
    if paras[0].is_empty() {
        paras[0] = inline_role(api, id, model)
            .unwrap_or_else(|| format!("The `{}` model.", model.name.wire.trim_start_matches('#')));
    }
    let name = model.name.rust.clone();
    match &model.kind {
        ModelKind::Struct { fields, additional } => ModelView::Struct(struct_view(
            api,
            &types,
            model,
            fields,
            additional.as_ref(),
            &paras,
        )),
        ModelKind::Enum { values } => ModelView::Enum(EnumView {
            name,
            doc: doc_comments(&paras),
            deprecated: model.deprecated,
            qualified,
            variants: values
                .iter()
                .map(|v| VariantView {
                    name: v.name.rust.clone(),
                    wire: v.name.wire.clone(),
                })
                .collect(),
        }),
        ModelKind::Alias { ty } => {
            if let TypeRef::Model(id) = ty {
                if matches!(api.models[id].kind, ModelKind::Enum { .. }) {
                    paras.push(format!("The same enum as [`{}`](crate::models::{0}): the API uses these values in several places.", api.models[id].name.rust));
                }
            }
            ModelView::Alias(AliasView {
                name,
                doc: doc_comments(&paras),
                alias: types.ty(ty).to_string(),
            })
        }
    }
}

fn struct_view(
    api: &Api,
    types: &Types,
    model: &Model,
    fields: &[Field],
    additional: Option<&TypeRef>,
    paras: &[String],
) -> StructView {
    let mut views = Vec::new();
    let mut required = Vec::new();
    let mut inits: Vec<TokenStream> = Vec::new();
    for f in fields {
        let mut ty = types.ty(&f.ty);
        if f.boxed {
            ty = types.boxed(ty);
        }
        let mut fparas = vec![text(f.description.as_deref())];
        if fparas[0].trim().is_empty() {
            fparas[0] = format!("`{}` in the API's JSON.", f.name.wire);
        }
        if f.required {
            fparas.push("Required by the API.".into());
        }
        if f.read_only {
            fparas.push("Set by the server; ignored in requests.".into());
        }
        views.push(FieldView {
            name: f.name.rust.clone(),
            ty: types.option(ty).to_string(),
            doc: doc_comments(&fparas),
            wire: f.name.wire.clone(),
            deprecated: f.deprecated,
        });
        // Only models sent in requests are constructed by callers.
        if model.usage.request && f.required && !f.read_only {
            let (arg, conv) = types.arg(&f.ty);
            let name = ident(&f.name.rust);
            let value = match conv {
                Conversion::Into => quote!(#name.into()),
                Conversion::AsIs => quote!(#name),
            };
            let value = if f.boxed {
                let boxed = crate::surface::path_tokens(types.box_path());
                quote!(#boxed::new(#value))
            } else {
                value
            };
            required.push(ArgView {
                name: f.name.rust.clone(),
                ty: arg.to_string(),
            });
            inits.push(quote!(#name: Some(#value),));
        }
    }
    let new_body = quote! {
        Self {
            #(#inits)*
            ..Default::default()
        }
    };
    StructView {
        name: model.name.rust.clone(),
        doc: doc_comments(paras),
        deprecated: model.deprecated,
        serialize: model.usage.request,
        deserialize: model.usage.response,
        wire_name: model.name.wire.trim_start_matches('#').to_owned(),
        fields: views,
        additional: additional.map(|a| types.map(types.ty(a)).to_string()),
        required,
        new_body: new_body.to_string(),
        keep_unknown: model.usage.request && model.usage.response && additional.is_none(),
        listing: model
            .listing
            .as_ref()
            .and_then(|l| listing_view(api, types, fields, l)),
    }
}

fn listing_view(
    api: &Api,
    types: &Types,
    fields: &[Field],
    listing: &Listing,
) -> Option<ListingView> {
    let none = quote!(::std::option::Option::None);
    let get = |wire: &Option<String>, widen: bool| match wire {
        Some(wire) => rust_field(fields, wire).map(|f| {
            let f = ident(f);
            if widen {
                quote!(self.#f.map(i64::from))
            } else {
                quote!(self.#f)
            }
        }),
        None => Some(none.clone()),
    };
    let cursor = match listing.cursor.as_slice() {
        [] => none.clone(),
        [own] => {
            let own = ident(rust_field(fields, own)?);
            quote!(self.#own)
        }
        [outer, inner] => {
            let outer_field = fields.iter().find(|f| &f.name.wire == outer)?;
            let (_, inner_fields) = struct_fields(api, Some(&outer_field.ty))?;
            let inner = ident(rust_field(inner_fields, inner)?);
            let outer = ident(&outer_field.name.rust);
            quote!(self.#outer.and_then(|cursors| cursors.#inner))
        }
        _ => return None,
    };
    let items = ident(rust_field(fields, &listing.items)?);
    let (page_number, page_count, next_uri) = (
        get(&listing.page_number, true)?,
        get(&listing.page_count, true)?,
        get(&listing.next_uri, false)?,
    );
    Some(ListingView {
        item: types.ty(&listing.item).to_string(),
        page: quote! {
            crate::runtime::__private::Page {
                items: self.#items.unwrap_or_default(),
                page_number: #page_number,
                page_count: #page_count,
                next_uri: #next_uri,
                cursor: #cursor,
            }
        }
        .to_string(),
    })
}

/// What an inline model without a description is for, from where the definition has it:
/// "The values of the `state` field of [`Flow`](crate::models::Flow)." for an inline
/// enum, "The `address` object of ..." for an inline object, and the same for an
/// operation's parameter. `None` for definitions, which their name documents.
fn inline_role(api: &Api, id: &str, model: &Model) -> Option<String> {
    if !id.starts_with('#') {
        return None;
    }
    let what = match &model.kind {
        ModelKind::Struct { .. } => "The object in",
        ModelKind::Enum { .. } | ModelKind::Alias { .. } => "The values of",
    };
    let segments: Vec<String> = model
        .pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    match segments
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["components", "schemas", owner, "properties", field, ..] => {
            let owner = &api.models.get(*owner)?.name.rust;
            Some(format!(
                "{what} the `{field}` field of [`{owner}`](crate::models::{owner})."
            ))
        }
        ["paths", path, method, "parameters", ..] => {
            // Only the operations of the groups that reach the model can use it.
            let op = model
                .groups
                .iter()
                .filter_map(|tag| {
                    let i = api
                        .groups
                        .binary_search_by(|g| g.tag.as_str().cmp(tag))
                        .ok()?;
                    Some(&api.groups[i])
                })
                .flat_map(|g| g.operations.iter().map(|id| &api.operations[id]))
                .find(|op| op.path == *path && op.method.as_str().eq_ignore_ascii_case(method))?;
            let param = op.params.iter().find(|p| p.ty.model() == Some(id))?;
            Some(format!(
                "{what} the `{}` parameter of `{}`.",
                param.name.wire, op.id
            ))
        }
        _ => None,
    }
}
