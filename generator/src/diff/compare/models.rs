//! Models: definitions and inline types added or removed, renamed, changing kind, enum
//! values, alias targets, derived traits and deprecation. Struct fields are compared by
//! [`super::fields`].

use std::collections::BTreeMap;

use super::fields::{compare_fields, struct_fields};
use super::{code, Index, Sink};
use crate::diff::{Change, Kind};
use crate::ir::{through_aliases, Api, Model, ModelKind, TypeRef};
use crate::surface::display;

fn shape(api: &Api, model: &Model) -> &'static str {
    match enum_through_aliases(api, model) {
        ModelKind::Struct { .. } => "struct",
        ModelKind::Enum { .. } => "enum",
        ModelKind::Alias { .. } => "alias",
    }
}

pub(super) fn models(old: &Index, new: &Index, out: &mut Vec<Change>) {
    let (old_defs, old_inline) = split_models(old.api);
    let (new_defs, new_inline) = split_models(new.api);
    for (defs_old, defs_new, added, removed) in [
        (&old_defs, &new_defs, Kind::ModelAdded, Kind::ModelRemoved),
        (
            &old_inline,
            &new_inline,
            Kind::InlineTypeAdded,
            Kind::InlineTypeRemoved,
        ),
    ] {
        let inline = if added == Kind::InlineTypeAdded {
            "inline "
        } else {
            ""
        };
        for (key, &(id, n)) in defs_new.iter() {
            match defs_old.get(key) {
                Some(&(_, o)) => compare_model(old.api, o, new.api, id, n, out),
                None => {
                    let mut sink = Sink::model(out, id, n);
                    sink.fixed(
                        added,
                        None,
                        None,
                        Some(shape(new.api, n).into()),
                        format!("new {inline}{}", shape(new.api, n)),
                    );
                    sink.last_used_by(new.group_names(&n.groups));
                }
            }
        }
        for (key, &(id, o)) in defs_old.iter() {
            if !defs_new.contains_key(key) {
                let mut sink = Sink::model(out, id, o);
                sink.fixed(
                    removed,
                    None,
                    Some(shape(old.api, o).into()),
                    None,
                    format!("{inline}{} removed", shape(old.api, o)),
                );
                sink.last_used_by(old.group_names(&o.groups));
            }
        }
    }
}

/// Models with their ids: definitions by id (the definition name), inline models by Rust
/// type name.
type ModelsBy<'a> = BTreeMap<&'a str, (&'a str, &'a Model)>;

fn split_models(api: &Api) -> (ModelsBy<'_>, ModelsBy<'_>) {
    let mut defs = BTreeMap::new();
    let mut inline = BTreeMap::new();
    for (id, model) in &api.models {
        if id.starts_with('#') {
            inline.insert(model.name.rust.as_str(), (id.as_str(), model));
        } else {
            defs.insert(id.as_str(), (id.as_str(), model));
        }
    }
    (defs, inline)
}

/// The model's kind, or, for an alias (through any chain) of an enum, the enum's: a caller
/// writes `Alias::Variant` and matches on it exactly as on the enum, so a shared inline enum
/// moving between its use sites is no change.
fn enum_through_aliases<'a>(api: &'a Api, model: &'a Model) -> &'a ModelKind {
    let ModelKind::Alias {
        ty: TypeRef::Model(id),
    } = &model.kind
    else {
        return &model.kind;
    };
    match through_aliases(&api.models, id).map(|m| &m.kind) {
        Some(kind @ ModelKind::Enum { .. }) => kind,
        _ => &model.kind,
    }
}

fn compare_model(
    old_api: &Api,
    o: &Model,
    new_api: &Api,
    id: &str,
    n: &Model,
    out: &mut Vec<Change>,
) {
    let mut sink = Sink::model(out, id, n);
    if o.name.rust != n.name.rust {
        sink.fixed(
            Kind::ModelRenamed,
            None,
            Some(o.name.rust.clone()),
            Some(n.name.rust.clone()),
            format!("Rust type `{}` renamed to `{}`", o.name.rust, n.name.rust),
        );
    }
    match (
        enum_through_aliases(old_api, o),
        enum_through_aliases(new_api, n),
    ) {
        (
            ModelKind::Struct {
                fields: old_fields,
                additional: old_extra,
            },
            ModelKind::Struct {
                fields: new_fields,
                additional: new_extra,
            },
        ) => {
            let before = struct_fields(old_api, o, old_fields, old_extra.as_ref());
            let after = struct_fields(new_api, n, new_fields, new_extra.as_ref());
            compare_fields(
                &before,
                &after,
                o.usage.request != n.usage.request,
                &mut sink,
            );
            for (trait_name, was, is) in [
                ("Serialize", o.usage.request, n.usage.request),
                ("Deserialize", o.usage.response, n.usage.response),
            ] {
                if was != is {
                    let (kind, message) = if is {
                        (
                            Kind::TraitAdded,
                            format!(
                                "now implements `{trait_name}` (used in {})",
                                usage_word(trait_name)
                            ),
                        )
                    } else {
                        (
                            Kind::TraitRemoved,
                            format!(
                                "no longer implements `{trait_name}` (not used in {} any more)",
                                usage_word(trait_name)
                            ),
                        )
                    };
                    sink.fixed(kind, Some(trait_name), None, None, message);
                }
            }
        }
        (ModelKind::Enum { values: before }, ModelKind::Enum { values: after }) => {
            let old_values: BTreeMap<&str, &str> = before
                .iter()
                .map(|v| (v.name.wire.as_str(), v.name.rust.as_str()))
                .collect();
            let new_values: BTreeMap<&str, &str> = after
                .iter()
                .map(|v| (v.name.wire.as_str(), v.name.rust.as_str()))
                .collect();
            for (wire, rust) in &new_values {
                match old_values.get(wire) {
                    None => sink.fixed(
                        Kind::EnumValueAdded,
                        Some(wire),
                        None,
                        Some(rust.to_string()),
                        format!("new value {} (`{}::{rust}`)", code(wire), n.name.rust),
                    ),
                    Some(was) if was != rust => sink.fixed(
                        Kind::EnumVariantRenamed,
                        Some(wire),
                        Some(was.to_string()),
                        Some(rust.to_string()),
                        format!("value {} is now variant `{rust}` (was `{was}`)", code(wire)),
                    ),
                    Some(_) => {}
                }
            }
            for (wire, rust) in &old_values {
                if !new_values.contains_key(wire) {
                    sink.fixed(
                        Kind::EnumValueRemoved,
                        Some(wire),
                        Some(rust.to_string()),
                        None,
                        format!("value {} removed (variant `{rust}`)", code(wire)),
                    );
                }
            }
        }
        (ModelKind::Alias { ty: before }, ModelKind::Alias { ty: after }) => {
            let (before, after) = (display(old_api, before), display(new_api, after));
            if before != after {
                sink.fixed(
                    Kind::AliasRetyped,
                    None,
                    Some(before.clone()),
                    Some(after.clone()),
                    format!("now an alias of {} (was {})", code(&after), code(&before)),
                );
            }
        }
        _ => sink.fixed(
            Kind::ModelKindChanged,
            None,
            Some(shape(old_api, o).into()),
            Some(shape(new_api, n).into()),
            format!(
                "now {} {} (was {} {})",
                article(shape(new_api, n)),
                shape(new_api, n),
                article(shape(old_api, o)),
                shape(old_api, o)
            ),
        ),
    }
    sink.deprecation(None, o.deprecated, n.deprecated, "model");
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn usage_word(trait_name: &str) -> &'static str {
    if trait_name == "Serialize" {
        "requests"
    } else {
        "responses"
    }
}
