//! An operation's method as the report compares it: its inputs (the positional arguments
//! and the builder's setters), its request builder and what `send()` returns, all read
//! from the operation's [`surface`](crate::surface) and spelled as people read them
//! ([`display`]). [`signatures`] gives the same per group, for holding the report against
//! the generated code.

use std::collections::{BTreeMap, BTreeSet};

use super::{code, required_word, Index, Sink};
use crate::diff::Kind;
use crate::ir::{Api, ArrayStyle, Operation};
use crate::surface::{display, surface, Outcome, Passing, Place, Surface};

/// An operation's method in one of its groups, as the change report compares it: what a
/// caller writes, with types as people read them ([`display`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The group's tag.
    pub tag: String,
    pub operation_id: String,
    /// The method's name in the group.
    pub method: String,
    /// The positional arguments, in order.
    pub arguments: Vec<Argument>,
    /// The request builder the method returns (`apis::billing::GetBillingInvoice`).
    pub builder: String,
    /// What `send()` returns: `()`, a type, or for a by-status response enum its variants
    /// (`enum { Status200(User), Status204 }`).
    pub returns: String,
}

/// A positional argument of a method: its Rust name and displayed type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    pub name: String,
    pub ty: String,
}

/// The signature of every operation in each of its groups: operations in the API's order,
/// then by tag. Read from what the report compares, so a test can hold it against the
/// generated code.
pub fn signatures(api: &Api) -> Vec<Signature> {
    let index = Index::new(api);
    let mut list = Vec::new();
    for op in api.operations.values() {
        let compared = Compared::of(api, op);
        for (tag, method) in index.groups_of(op) {
            list.push(Signature {
                tag: tag.to_owned(),
                operation_id: op.id.clone(),
                method: method.to_owned(),
                arguments: compared
                    .arguments()
                    .map(|i| Argument {
                        name: i.rust.clone(),
                        ty: i.ty.clone(),
                    })
                    .collect(),
                builder: compared.builder.clone(),
                returns: compared.returns.clone(),
            });
        }
    }
    list
}

/// What the report compares of an operation's method, in whichever group it is called.
pub(super) struct Compared {
    /// The inputs in the builder's field order; the required ones are the positional
    /// arguments, in this order.
    inputs: Vec<Input>,
    /// The request builder the method returns (`apis::billing::GetBillingInvoice`).
    pub(super) builder: String,
    /// What `send()` returns, displayed.
    pub(super) returns: String,
}

impl Compared {
    pub(super) fn of(api: &Api, op: &Operation) -> Self {
        let surface = surface(op);
        Compared {
            inputs: inputs(api, &surface),
            builder: format!("apis::{}::{}", op.home_module, op.builder),
            returns: returns(api, &surface),
        }
    }

    /// The positional arguments, in order.
    fn arguments(&self) -> impl Iterator<Item = &Input> {
        self.inputs.iter().filter(|i| i.required)
    }
}

/// One argument or setter of an operation's method: a parameter, the body, or a form field.
struct Input {
    /// What matches it across definitions: its wire name, prefixed for the body and form
    /// parts, and for a parameter whose wire name an earlier one has, by its location.
    key: String,
    wire: String,
    /// `parameter`, `request body` or `form field`.
    what: &'static str,
    place: Place,
    /// For array parameters: how the values are joined.
    style: Option<ArrayStyle>,
    rust: String,
    /// Whether it is a positional argument rather than a setter.
    required: bool,
    ty: String,
    default: Option<String>,
    deprecated: bool,
}

/// The surface's inputs, displayed and keyed.
fn inputs(api: &Api, surface: &Surface) -> Vec<Input> {
    let mut seen = BTreeSet::new();
    surface
        .inputs
        .iter()
        .map(|input| {
            let wire = input.wire;
            let key = match input.place {
                Place::Body(_) => format!("body:{wire}"),
                Place::FormPart(_) => format!("form:{wire}"),
                place => {
                    if seen.insert(wire) {
                        wire.to_owned()
                    } else {
                        // A later parameter of the same wire name: `Query:id`.
                        format!("{place:?}:{wire}")
                    }
                }
            };
            Input {
                key,
                wire: wire.to_owned(),
                what: input.place.noun(),
                place: input.place,
                style: input.style,
                rust: input.rust.to_owned(),
                required: input.passing() == Passing::Argument,
                ty: display(api, input.ty),
                default: input.default.map(|d| d.to_string()),
                deprecated: input.deprecated,
            }
        })
        .collect()
}

/// Where an input travels, as a report says it.
fn place_word(place: Place) -> &'static str {
    match place {
        Place::Path => "path",
        Place::Query => "query",
        Place::Header => "header",
        Place::Body(_) => "body",
        Place::FormPart(_) => "form",
    }
}

fn style_word(style: ArrayStyle) -> &'static str {
    match style {
        ArrayStyle::Multi => "multi",
        ArrayStyle::Csv => "csv",
        ArrayStyle::Ssv => "ssv",
        ArrayStyle::Tsv => "tsv",
        ArrayStyle::Pipes => "pipes",
    }
}

/// Pairs each new input with its old version, if any: by key, then, among the inputs left,
/// a parameter or form field with the wire name of one that went (it moved: `formData` to
/// `query`, or a second `id` from query to header). Returns the old index of each new
/// input, and the new index of each old one.
fn pair(old: &[Input], new: &[Input]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let old_by_key: BTreeMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(i, input)| (input.key.as_str(), i))
        .collect();
    let mut of_new: Vec<Option<usize>> = new
        .iter()
        .map(|input| old_by_key.get(input.key.as_str()).copied())
        .collect();
    let mut of_old: Vec<Option<usize>> = vec![None; old.len()];
    for (j, i) in of_new.iter().enumerate() {
        if let Some(i) = i {
            of_old[*i] = Some(j);
        }
    }
    let movable = |input: &Input| !matches!(input.place, Place::Body(_));
    for (j, input) in new.iter().enumerate() {
        if of_new[j].is_some() || !movable(input) {
            continue;
        }
        let went = old
            .iter()
            .enumerate()
            .find(|(i, o)| of_old[*i].is_none() && movable(o) && o.wire == input.wire);
        if let Some((i, _)) = went {
            of_new[j] = Some(i);
            of_old[i] = Some(j);
        }
    }
    (of_new, of_old)
}

/// Compares the inputs of two versions of an operation: each added, removed, moved,
/// retyped, renamed, required or optional, restyled, defaulted or deprecated, and the
/// positional order.
pub(super) fn compare_inputs(old: &Compared, new: &Compared, sink: &mut Sink) {
    let (old_inputs, new_inputs) = (&old.inputs, &new.inputs);
    let (of_new, of_old) = pair(old_inputs, new_inputs);
    for (input, before) in new_inputs.iter().zip(&of_new) {
        let item = Some(input.wire.as_str());
        let name = code(&input.wire);
        let Some(before) = before.map(|i| &old_inputs[i]) else {
            let message = if input.required {
                format!(
                    "new required {} {name}: {} (a new argument)",
                    input.what,
                    code(&input.ty)
                )
            } else {
                format!(
                    "new optional {} {name}: {} (setter `.{}()`)",
                    input.what,
                    code(&input.ty),
                    input.rust
                )
            };
            sink.push(
                Kind::ParamAdded,
                input.required,
                item,
                None,
                Some(input.ty.clone()),
                message,
            );
            continue;
        };
        if place_word(before.place) != place_word(input.place) {
            let passing = if input.required {
                format!("argument `{}`", input.rust)
            } else {
                format!("setter `.{}()`", input.rust)
            };
            let unchanged = before.rust == input.rust
                && before.ty == input.ty
                && before.required == input.required;
            sink.fixed(
                Kind::ParamLocationChanged,
                item,
                Some(place_word(before.place).into()),
                Some(place_word(input.place).into()),
                format!(
                    "{} {name} now travels in the {} (was {}){}",
                    input.what,
                    place_word(input.place),
                    place_word(before.place),
                    if unchanged {
                        format!("; same {passing}")
                    } else {
                        String::new()
                    }
                ),
            );
        }
        if before.required != input.required {
            let (kind, message) = if input.required {
                (
                    Kind::ParamRequired,
                    format!(
                        "{} {name} is now required (an argument instead of a setter)",
                        input.what
                    ),
                )
            } else {
                (
                    Kind::ParamOptional,
                    format!(
                        "{} {name} is now optional (a setter instead of an argument)",
                        input.what
                    ),
                )
            };
            sink.fixed(
                kind,
                item,
                Some(required_word(before.required).into()),
                Some(required_word(input.required).into()),
                message,
            );
        }
        if before.ty != input.ty {
            sink.fixed(
                Kind::ParamRetyped,
                item,
                Some(before.ty.clone()),
                Some(input.ty.clone()),
                format!(
                    "{} {name} changed type from {} to {}",
                    input.what,
                    code(&before.ty),
                    code(&input.ty)
                ),
            );
        }
        if before.rust != input.rust {
            sink.push(
                Kind::ParamRenamed,
                !(before.required && input.required),
                item,
                Some(before.rust.clone()),
                Some(input.rust.clone()),
                format!(
                    "{} {name} is now `{}` in Rust (was `{}`)",
                    input.what, input.rust, before.rust
                ),
            );
        }
        if let (Some(was), Some(is)) = (before.style, input.style) {
            if was != is {
                let (was, is) = (style_word(was), style_word(is));
                sink.fixed(
                    Kind::ParamStyleChanged,
                    item,
                    Some(was.into()),
                    Some(is.into()),
                    format!("array {} {name} is now sent {is} (was {was})", input.what),
                );
            }
        }
        if before.default != input.default {
            let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
            sink.fixed(
                Kind::ParamDefaultChanged,
                item,
                before.default.clone(),
                input.default.clone(),
                format!(
                    "server default of {name} changed from {} to {}",
                    code(&show(&before.default)),
                    code(&show(&input.default))
                ),
            );
        }
        sink.deprecation(
            item,
            before.deprecated,
            input.deprecated,
            &format!("{} {name}", input.what),
        );
    }
    for (input, after) in old_inputs.iter().zip(&of_old) {
        if after.is_none() {
            sink.fixed(
                Kind::ParamRemoved,
                Some(&input.wire),
                Some(input.ty.clone()),
                None,
                format!("{} {} removed", input.what, code(&input.wire)),
            );
        }
    }
    // Positional arguments: the required inputs both sides require, in each side's order.
    let old_order: Vec<&str> = old_inputs
        .iter()
        .zip(&of_old)
        .filter(|(i, j)| i.required && j.is_some_and(|j| new_inputs[j].required))
        .map(|(i, _)| i.wire.as_str())
        .collect();
    let new_order: Vec<&str> = new_inputs
        .iter()
        .zip(&of_new)
        .filter(|(i, j)| i.required && j.is_some_and(|j| old_inputs[j].required))
        .map(|(i, _)| i.wire.as_str())
        .collect();
    if old_order != new_order {
        sink.fixed(
            Kind::ParamsReordered,
            None,
            Some(old_order.join(", ")),
            Some(new_order.join(", ")),
            format!(
                "arguments reordered: ({}) -> ({})",
                old_order.join(", "),
                new_order.join(", ")
            ),
        );
    }
}

/// What `send()` returns, displayed; by-status enums by their variants (the enum's own
/// name follows the builder, which method renames already report).
fn returns(api: &Api, surface: &Surface) -> String {
    match &surface.outcome {
        Outcome::ByStatus { variants, .. } => {
            let variants: Vec<String> = variants
                .iter()
                .map(|v| match v.ty {
                    Some(ty) => format!("{}({})", v.name, display(api, ty)),
                    None => v.name.to_owned(),
                })
                .collect();
            format!("enum {{ {} }}", variants.join(", "))
        }
        Outcome::Unit | Outcome::One(_) => surface.output_display(api),
    }
}
