//! Lowers schemas: component definitions into models, inline schemas into types (creating
//! models for inline objects and enums, named after their parent by a suggested name).

use heck::ToUpperCamelCase;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use super::{Ctx, Lowered};
use crate::error::{escape, Diagnostics, Error, ErrorKind, WarningKind};
use crate::ir::{EnumValue, Field, Ident, Model, ModelKind, TypeRef, Usage};

/// Lowers every `components/schemas` entry into a model with the definition's name as id
/// ([`super::definition_id`]), each in its own parallel job.
pub(super) fn lower_components(
    api: &openapiv3::OpenAPI,
    map: &crate::upgrade::SourceMap,
    lowered: &mut Lowered,
    diags: &mut Diagnostics,
) -> Result<(), Error> {
    let Some(components) = &api.components else {
        return Ok(());
    };
    let parts: Vec<_> = components.schemas.iter().collect();
    crate::parallel::ordered(
        lowered,
        &parts,
        |known, part| Ctx::new(api, map, known).run(|ctx| lower_component(ctx, part)),
        |lowered, job| lowered.absorb_job(job, diags, |_| Vec::new()),
    )?;
    Ok(())
}

fn lower_component(
    ctx: &mut Ctx,
    (name, schema): &(&String, &ReferenceOr<Schema>),
) -> Result<(), Error> {
    let pointer = format!("/components/schemas/{}", escape(name));
    let kind = match schema {
        ReferenceOr::Reference { reference } => ModelKind::Alias {
            ty: resolve_ref(ctx, reference, &pointer)?,
        },
        ReferenceOr::Item(schema) => model_kind(ctx, schema, name, &pointer)?,
    };
    let (description, deprecated) = match schema {
        ReferenceOr::Item(s) => (s.schema_data.description.clone(), s.schema_data.deprecated),
        _ => (None, false),
    };
    insert_model(
        ctx,
        super::definition_id(name),
        (*name).clone(),
        description,
        deprecated,
        kind,
        pointer,
    );
    Ok(())
}

fn insert_model(
    ctx: &mut Ctx,
    id: String,
    wire: String,
    description: Option<String>,
    deprecated: bool,
    kind: ModelKind,
    pointer: String,
) {
    ctx.models.insert(
        id,
        Model {
            name: Ident::wire(wire),
            module: String::new(),
            description,
            kind,
            usage: Usage::default(),
            deprecated,
            groups: Vec::new(),
            pointer,
            listing: None,
        },
    );
}

/// The shape of a named schema.
fn model_kind(
    ctx: &mut Ctx,
    schema: &Schema,
    name: &str,
    pointer: &str,
) -> Result<ModelKind, Error> {
    if let Some(values) = string_enum(schema) {
        return Ok(ModelKind::Enum {
            values: enum_values(values),
        });
    }
    if is_struct(schema) {
        return struct_kind(ctx, schema, name, pointer);
    }
    Ok(ModelKind::Alias {
        ty: type_of_schema(ctx, schema, name, pointer)?,
    })
}

fn enum_values(values: Vec<String>) -> Vec<EnumValue> {
    let mut seen = std::collections::BTreeSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .map(|v| EnumValue {
            name: Ident::wire(v),
        })
        .collect()
}

/// The string values when the schema is a string enum.
pub(super) fn string_enum(schema: &Schema) -> Option<Vec<String>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
            Some(s.enumeration.iter().flatten().cloned().collect())
        }
        SchemaKind::Any(any)
            if !any.enumeration.is_empty()
                && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            Some(
                any.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            )
        }
        _ => None,
    }
}

fn is_struct(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { all_of } => {
            !(all_of.len() == 1 && schema.schema_data.discriminator.is_none())
        }
        SchemaKind::Any(any) => !any.properties.is_empty() || !any.all_of.is_empty(),
        _ => false,
    }
}

/// One property collected for a struct, from the schema itself or an `allOf` part.
struct Prop<'s> {
    name: &'s str,
    schema: &'s ReferenceOr<Box<Schema>>,
    pointer: String,
    required: bool,
}

fn struct_kind(
    ctx: &mut Ctx,
    schema: &Schema,
    name: &str,
    pointer: &str,
) -> Result<ModelKind, Error> {
    let api = ctx.api;
    let mut props: Vec<Prop> = Vec::new();
    let mut additional = None;
    let mut visiting = Vec::new();
    collect_props(
        ctx,
        api,
        schema,
        pointer,
        &mut props,
        &mut additional,
        &mut visiting,
    )?;
    let mut fields = Vec::with_capacity(props.len());
    for prop in props {
        let hint = format!("{name}{}", prop.name.to_upper_camel_case());
        let ty = type_of(ctx, prop.schema, &hint, &prop.pointer)?;
        let (description, read_only, deprecated, default) = match prop.schema {
            ReferenceOr::Item(s) => {
                let d = &s.schema_data;
                (
                    d.description.clone(),
                    d.read_only,
                    d.deprecated,
                    checked_default(ctx, s, &prop.pointer),
                )
            }
            ReferenceOr::Reference { .. } => (None, false, false, None),
        };
        fields.push(Field {
            name: Ident::wire(prop.name),
            ty,
            required: prop.required,
            boxed: false,
            read_only,
            deprecated,
            description,
            default,
            pointer: prop.pointer,
        });
    }
    let additional = match additional {
        Some((ap, ap_pointer)) => additional_type(ctx, ap, &format!("{name}Value"), &ap_pointer)?,
        None => None,
    };
    Ok(ModelKind::Struct { fields, additional })
}

/// Gathers properties of a schema and of every `allOf` part it names, in document order.
fn collect_props<'s>(
    ctx: &mut Ctx,
    api: &'s openapiv3::OpenAPI,
    schema: &'s Schema,
    pointer: &str,
    props: &mut Vec<Prop<'s>>,
    additional: &mut Option<(&'s AdditionalProperties, String)>,
    visiting: &mut Vec<String>,
) -> Result<(), Error> {
    let (properties, required, ap, all_of) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => (
            Some(&o.properties),
            &o.required[..],
            o.additional_properties.as_ref(),
            &[][..],
        ),
        SchemaKind::AllOf { all_of } => (None, &[][..], None, &all_of[..]),
        SchemaKind::Any(any) => (
            Some(&any.properties),
            &any.required[..],
            any.additional_properties.as_ref(),
            &any.all_of[..],
        ),
        _ => (None, &[][..], None, &[][..]),
    };
    for (i, part) in all_of.iter().enumerate() {
        let part_pointer = format!("{pointer}/allOf/{i}");
        match part {
            ReferenceOr::Reference { reference } => {
                let (target_name, target) = lookup(api, reference).ok_or_else(|| {
                    ctx.map.error(
                        &part_pointer,
                        ErrorKind::UnresolvedRef {
                            target: reference.clone(),
                        },
                    )
                })?;
                if visiting.iter().any(|v| v == target_name) {
                    ctx.warn(
                        WarningKind::AllOfCycle,
                        &part_pointer,
                        format!(
                            "allOf cycle through {target_name:?}; the repeated part was skipped"
                        ),
                    );
                    continue;
                }
                if let ReferenceOr::Item(target) = target {
                    visiting.push(target_name.to_owned());
                    let target_pointer = format!("/components/schemas/{}", escape(target_name));
                    collect_props(
                        ctx,
                        api,
                        target,
                        &target_pointer,
                        props,
                        additional,
                        visiting,
                    )?;
                    visiting.pop();
                }
            }
            ReferenceOr::Item(inline) => {
                collect_props(ctx, api, inline, &part_pointer, props, additional, visiting)?
            }
        }
    }
    if let Some(properties) = properties {
        for (name, prop) in properties {
            let prop_pointer = format!("{pointer}/properties/{}", escape(name));
            let required = required.iter().any(|r| r == name);
            if let Some(existing) = props.iter_mut().find(|p| p.name == name) {
                existing.schema = prop;
                existing.pointer = prop_pointer;
                existing.required |= required;
            } else {
                props.push(Prop {
                    name,
                    schema: prop,
                    pointer: prop_pointer,
                    required,
                });
            }
        }
    }
    if let Some(ap) = ap {
        *additional = Some((ap, format!("{pointer}/additionalProperties")));
    }
    Ok(())
}

fn lookup<'s>(
    api: &'s openapiv3::OpenAPI,
    reference: &str,
) -> Option<(&'s str, &'s ReferenceOr<Schema>)> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    let name = name.replace("~1", "/").replace("~0", "~");
    api.components
        .as_ref()?
        .schemas
        .get_key_value(&name)
        .map(|(k, v)| (k.as_str(), v))
}

/// The type a `$ref` names.
pub(super) fn resolve_ref(ctx: &mut Ctx, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
    match lookup(ctx.api, reference) {
        Some((name, _)) => Ok(TypeRef::Model(super::definition_id(name))),
        None => Err(ctx.map.error(
            pointer,
            ErrorKind::UnresolvedRef {
                target: reference.to_owned(),
            },
        )),
    }
}

/// The type of a (possibly boxed) schema or reference; `hint` names any inline model created.
pub(super) fn type_of(
    ctx: &mut Ctx,
    schema: &ReferenceOr<Box<Schema>>,
    hint: &str,
    pointer: &str,
) -> Result<TypeRef, Error> {
    match schema {
        ReferenceOr::Reference { reference } => resolve_ref(ctx, reference, pointer),
        ReferenceOr::Item(schema) => type_of_schema(ctx, schema, hint, pointer),
    }
}

/// Same as [`type_of`] for an unboxed schema.
pub(super) fn type_of_unboxed(
    ctx: &mut Ctx,
    schema: &ReferenceOr<Schema>,
    hint: &str,
    pointer: &str,
) -> Result<TypeRef, Error> {
    match schema {
        ReferenceOr::Reference { reference } => resolve_ref(ctx, reference, pointer),
        ReferenceOr::Item(schema) => type_of_schema(ctx, schema, hint, pointer),
    }
}

fn additional_type(
    ctx: &mut Ctx,
    ap: &AdditionalProperties,
    hint: &str,
    pointer: &str,
) -> Result<Option<TypeRef>, Error> {
    Ok(match ap {
        AdditionalProperties::Any(true) => Some(TypeRef::Json),
        AdditionalProperties::Any(false) => None,
        AdditionalProperties::Schema(s) => Some(type_of_unboxed(ctx, s, hint, pointer)?),
    })
}

/// The type of an inline schema, creating a model (id `hint`, made unique) for inline
/// objects and enums.
pub(super) fn type_of_schema(
    ctx: &mut Ctx,
    schema: &Schema,
    hint: &str,
    pointer: &str,
) -> Result<TypeRef, Error> {
    if let Some(values) = string_enum(schema) {
        let values = enum_values(values);
        let key = super::enum_key(&values);
        if let Some(id) = ctx.shared_enum(&key) {
            // One enum definition per value list, but each use keeps a name of its own (a
            // type alias), so which use comes first never renames a caller's type.
            let shared = TypeRef::Model(id.clone());
            return Ok(inline_model(
                ctx,
                schema,
                hint,
                pointer,
                ModelKind::Alias { ty: shared },
            ));
        }
        let ty = inline_model(ctx, schema, hint, pointer, ModelKind::Enum { values });
        if let TypeRef::Model(id) = &ty {
            ctx.inline_enums.insert(key, id.clone());
        }
        return Ok(ty);
    }
    if is_struct(schema) {
        if let Some(from) = ctx.flattening.iter().position(|p| p == pointer) {
            return Err(flattened_into_itself(ctx, from, pointer));
        }
        ctx.flattening.push(pointer.to_owned());
        let kind = struct_kind(ctx, schema, hint, pointer);
        ctx.flattening.pop();
        return Ok(inline_model(ctx, schema, hint, pointer, kind?));
    }
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => string_type(&s.format),
        SchemaKind::Type(Type::Number(n)) => match &n.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
            _ => TypeRef::F64,
        },
        SchemaKind::Type(Type::Integer(i)) => match &i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        },
        SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
        SchemaKind::Type(Type::Array(a)) => match &a.items {
            Some(items) => TypeRef::List(Box::new(type_of(
                ctx,
                items,
                &format!("{hint}Item"),
                &format!("{pointer}/items"),
            )?)),
            None => TypeRef::List(Box::new(TypeRef::Json)),
        },
        SchemaKind::Type(Type::Object(o)) => match &o.additional_properties {
            Some(ap) => match additional_type(
                ctx,
                ap,
                &format!("{hint}Value"),
                &format!("{pointer}/additionalProperties"),
            )? {
                Some(TypeRef::Json) | None => TypeRef::Json,
                Some(value) => TypeRef::Map(Box::new(value)),
            },
            None => TypeRef::Json,
        },
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            type_of_unboxed(ctx, &all_of[0], hint, &format!("{pointer}/allOf/0"))?
        }
        SchemaKind::Any(any) => match (any.typ.as_deref(), &any.items) {
            (Some("array"), Some(items)) => TypeRef::List(Box::new(type_of(
                ctx,
                items,
                &format!("{hint}Item"),
                &format!("{pointer}/items"),
            )?)),
            (Some("string"), _) => string_type(
                &any.format
                    .clone()
                    .map(VariantOrUnknownOrEmpty::Unknown)
                    .unwrap_or(VariantOrUnknownOrEmpty::Empty),
            ),
            (Some("integer"), _) if any.format.as_deref() == Some("int32") => TypeRef::I32,
            (Some("integer"), _) => TypeRef::I64,
            (Some("number"), _) => TypeRef::F64,
            (Some("boolean"), _) => TypeRef::Bool,
            _ => TypeRef::Json,
        },
        // oneOf / anyOf / not cannot be typed without a discriminator the generator trusts:
        // they stay JSON values, which every shape decodes into.
        _ => TypeRef::Json,
    })
}

/// The error for an inline object met again while its own `allOf` is flattened (an `allOf`
/// naming a definition that holds the object): the chain of inline objects from its first
/// lowering back to it.
fn flattened_into_itself(ctx: &Ctx, from: usize, pointer: &str) -> Error {
    let chain: Vec<String> = ctx.flattening[from..]
        .iter()
        .map(String::as_str)
        .chain([pointer])
        .map(|p| format!("#{}", ctx.map.locate(p).1))
        .collect();
    ctx.map.error(
        pointer,
        ErrorKind::Invalid {
            message: format!(
                "this inline object's allOf includes the object itself ({}); \
                 make it a definition of its own and refer to it with $ref",
                chain.join(" -> ")
            ),
        },
    )
}

fn string_type(format: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> TypeRef {
    use openapiv3::StringFormat;
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "date-time" => TypeRef::DateTime,
            "date" => TypeRef::Date,
            "binary" => TypeRef::Binary,
            "local-date-time" => TypeRef::LocalDateTime,
            "local-time" => TypeRef::LocalTime,
            "interval" => TypeRef::Interval,
            _ => TypeRef::String,
        },
        _ => TypeRef::String,
    }
}

fn inline_model(
    ctx: &mut Ctx,
    schema: &Schema,
    hint: &str,
    pointer: &str,
    kind: ModelKind,
) -> TypeRef {
    let id = super::inline_id(hint, |id| ctx.taken(id));
    insert_model(
        ctx,
        id.clone(),
        hint.to_owned(),
        schema.schema_data.description.clone(),
        schema.schema_data.deprecated,
        kind,
        pointer.to_owned(),
    );
    TypeRef::Model(id)
}

/// The schema's default, dropped with a warning when it is outside the schema's own enum.
pub(super) fn checked_default(
    ctx: &mut Ctx,
    schema: &Schema,
    pointer: &str,
) -> Option<serde_json::Value> {
    let default = schema.schema_data.default.clone()?;
    let allowed: Vec<serde_json::Value> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s
            .enumeration
            .iter()
            .flatten()
            .map(|v| serde_json::Value::String(v.clone()))
            .collect(),
        SchemaKind::Type(Type::Integer(i)) => i
            .enumeration
            .iter()
            .flatten()
            .map(|v| serde_json::Value::from(*v))
            .collect(),
        SchemaKind::Any(any) => any.enumeration.clone(),
        _ => Vec::new(),
    };
    if !allowed.is_empty() && !allowed.contains(&default) {
        ctx.warn(
            WarningKind::EnumDefault,
            &format!("{pointer}/default"),
            format!("default {default} is not one of the enum values; the default was dropped"),
        );
        return None;
    }
    Some(default)
}
