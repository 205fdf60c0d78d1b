//! Struct fields as a caller sees them (an `Option` each, the required ones the arguments
//! of `new()`): added, removed, retyped, renamed, required or optional, deprecated, and the
//! change of `new()` no field change explains.

use std::collections::BTreeMap;

use super::{code, required_word, Sink};
use crate::diff::Kind;
use crate::ir::{Api, Field, TypeRef};
use crate::surface::display;

/// A struct field as a caller sees it.
pub(super) struct FieldInfo {
    wire: String,
    rust: String,
    /// The field's displayed type inside its `Option` (`Box<Node>`, `Vec<String>`).
    ty: String,
    required: bool,
    /// An argument of `new()`: required and not read-only.
    in_new: bool,
    deprecated: bool,
}

pub(super) fn struct_fields(
    api: &Api,
    fields: &[Field],
    additional: Option<&TypeRef>,
) -> Vec<FieldInfo> {
    let mut list: Vec<FieldInfo> = fields
        .iter()
        .map(|f| {
            let ty = display(api, &f.ty);
            FieldInfo {
                wire: f.name.wire.clone(),
                rust: f.name.rust.clone(),
                ty: if f.boxed { format!("Box<{ty}>") } else { ty },
                required: f.required,
                in_new: f.required && !f.read_only,
                deprecated: f.deprecated,
            }
        })
        .collect();
    if let Some(extra) = additional {
        list.push(FieldInfo {
            wire: "(additional properties)".into(),
            rust: "additional_properties".into(),
            ty: format!("BTreeMap<String, {}>", display(api, extra)),
            required: false,
            in_new: false,
            deprecated: false,
        });
    }
    list
}

pub(super) fn compare_fields(before: &[FieldInfo], after: &[FieldInfo], sink: &mut Sink) {
    let old_by: BTreeMap<&str, &FieldInfo> = before.iter().map(|f| (f.wire.as_str(), f)).collect();
    let new_by: BTreeMap<&str, &FieldInfo> = after.iter().map(|f| (f.wire.as_str(), f)).collect();
    let old_new: Vec<(&str, &str)> = before
        .iter()
        .filter(|f| f.in_new)
        .map(|f| (f.rust.as_str(), f.ty.as_str()))
        .collect();
    let new_new: Vec<(&str, &str)> = after
        .iter()
        .filter(|f| f.in_new)
        .map(|f| (f.rust.as_str(), f.ty.as_str()))
        .collect();
    let had_new = !old_new.is_empty();
    // Fields whose breaking change already explains a change of `new()`.
    let mut explained = false;
    for f in after {
        let item = Some(f.wire.as_str());
        let name = code(&f.wire);
        let Some(was) = old_by.get(f.wire.as_str()) else {
            let breaking = f.in_new && had_new;
            let note = match (f.in_new, had_new) {
                (true, true) => ", required: a new argument of `new()`",
                (true, false) => ", required: `new()` now takes it",
                _ if f.required => ", required but set by the server",
                _ => "",
            };
            explained |= breaking;
            sink.push(
                Kind::FieldAdded,
                breaking,
                item,
                None,
                Some(f.ty.clone()),
                format!("new field {name}: {}{note}", code(&f.ty)),
            );
            continue;
        };
        if was.ty != f.ty {
            explained |= was.in_new || f.in_new;
            sink.fixed(
                Kind::FieldRetyped,
                item,
                Some(was.ty.clone()),
                Some(f.ty.clone()),
                format!(
                    "field {name} changed type from {} to {}",
                    code(&was.ty),
                    code(&f.ty)
                ),
            );
        }
        if was.required != f.required {
            let breaking = was.in_new != f.in_new && had_new;
            explained |= breaking;
            let effect = match (was.in_new, f.in_new) {
                (false, true) if had_new => " (a new argument of `new()`)",
                (false, true) => " (`new()` now takes it)",
                (true, false) => " (no longer an argument of `new()`)",
                _ => "",
            };
            let (kind, message) = if f.required {
                (
                    Kind::FieldRequired,
                    format!("field {name} is now required{effect}"),
                )
            } else {
                (
                    Kind::FieldOptional,
                    format!("field {name} is now optional{effect}"),
                )
            };
            sink.push(
                kind,
                breaking,
                item,
                Some(required_word(was.required).into()),
                Some(required_word(f.required).into()),
                message,
            );
        }
        if was.rust != f.rust {
            explained |= was.in_new || f.in_new;
            sink.fixed(
                Kind::FieldRenamed,
                item,
                Some(was.rust.clone()),
                Some(f.rust.clone()),
                format!(
                    "field {name} is now `{}` in Rust (was `{}`)",
                    f.rust, was.rust
                ),
            );
        }
        sink.deprecation(item, was.deprecated, f.deprecated, &format!("field {name}"));
    }
    for f in before {
        if !new_by.contains_key(f.wire.as_str()) {
            explained |= f.in_new;
            sink.fixed(
                Kind::FieldRemoved,
                Some(&f.wire),
                Some(f.ty.clone()),
                None,
                format!("field {} removed", code(&f.wire)),
            );
        }
    }
    if had_new && old_new != new_new && !explained {
        let show = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(n, t)| format!("{n}: {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        sink.fixed(
            Kind::ConstructorChanged,
            None,
            Some(show(&old_new)),
            Some(show(&new_new)),
            format!("`new({})` is now `new({})`", show(&old_new), show(&new_new)),
        );
    }
}
