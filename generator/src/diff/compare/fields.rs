//! Struct fields as a caller sees them (an `Option` each; in a model sent in requests, the
//! required ones that are not read-only the arguments of `new()`): added, removed, retyped,
//! renamed, required or optional, read-only or not, deprecated, and the change of `new()`
//! no field change explains.

use std::collections::BTreeMap;

use super::{code, required_word, Sink};
use crate::diff::{Bump, Kind};
use crate::ir::{Api, Field, Model, TypeRef};
use crate::surface::display;

/// A struct field as a caller sees it.
pub(super) struct FieldInfo {
    wire: String,
    rust: String,
    /// The field's displayed type inside its `Option` (`Box<Node>`, `Vec<String>`).
    ty: String,
    required: bool,
    read_only: bool,
    /// An argument of `new()`: required and not read-only, in a model sent in requests
    /// (only those have a `new()`, as `render` writes them).
    in_new: bool,
    deprecated: bool,
}

pub(super) fn struct_fields(
    api: &Api,
    model: &Model,
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
                read_only: f.read_only,
                in_new: model.usage.request && f.required && !f.read_only,
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
            read_only: false,
            in_new: false,
            deprecated: false,
        });
    }
    list
}

/// Compares the fields of two versions of a struct; `sent_changed` when the model started
/// or stopped being sent in requests (which its `Serialize` change reports, and which
/// makes or takes away its `new()`).
pub(super) fn compare_fields(
    before: &[FieldInfo],
    after: &[FieldInfo],
    sent_changed: bool,
    sink: &mut Sink,
) {
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
    let mut explained = sent_changed;
    for f in after {
        let item = Some(f.wire.as_str());
        let name = code(&f.wire);
        let Some(was) = old_by.get(f.wire.as_str()) else {
            let breaking = f.in_new && had_new;
            let note = match (f.in_new, had_new) {
                (true, true) => ", required: a new argument of `new()`",
                (true, false) => ", required: `new()` now takes it",
                _ if f.required && f.read_only => ", required but set by the server",
                _ if f.required => ", required (the model is not sent, so it has no `new()`)",
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
            let effect = new_effect(was.in_new, f.in_new, had_new);
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
            if was.in_new == f.in_new {
                // Only the docs' "Required by the API." changes.
                sink.last_bump(Bump::Patch);
            }
        }
        if was.read_only != f.read_only {
            let breaking = was.in_new != f.in_new && had_new;
            explained |= breaking;
            let effect = new_effect(was.in_new, f.in_new, had_new);
            let (kind, message) = if f.read_only {
                (
                    Kind::FieldReadOnly,
                    format!("field {name} is now read-only: set by the server{effect}"),
                )
            } else {
                (
                    Kind::FieldWritable,
                    format!("field {name} is no longer read-only{effect}"),
                )
            };
            sink.push(
                kind,
                breaking,
                item,
                Some(read_only_word(was.read_only).into()),
                Some(read_only_word(f.read_only).into()),
                message,
            );
            if was.in_new == f.in_new {
                // Only the field's docs change: it is sent when set either way.
                sink.last_bump(Bump::Patch);
            }
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

fn read_only_word(read_only: bool) -> &'static str {
    if read_only {
        "read-only"
    } else {
        "writable"
    }
}

/// What a required or read-only flip does to `new()`, as a parenthesis for the message:
/// the field joins or leaves its arguments (`had_new`: the model had a `new()` before).
fn new_effect(was_in_new: bool, in_new: bool, had_new: bool) -> &'static str {
    match (was_in_new, in_new) {
        (false, true) if had_new => " (a new argument of `new()`)",
        (false, true) => " (`new()` now takes it)",
        (true, false) => " (no longer an argument of `new()`)",
        _ => "",
    }
}
