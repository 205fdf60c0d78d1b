//! The comparison behind [`super::diff`]: API groups, operations (membership, parameters,
//! responses, permissions, flags) and models (fields, enum values, aliases, derives), each
//! change classified for a Rust caller of the generated crate.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{reference_url, Change, Kind, OperationRef};
use crate::ir::{Api, BodyKind, Group, Method, Model, ModelKind, Operation, PermissionKind};
use crate::surface::display as display_type;

/// The success shapes (kept here until the report reads `surface`).
enum Success<'a> {
    Unit,
    One(&'a crate::ir::TypeRef),
    ByStatus(Vec<(u16, Option<&'a crate::ir::TypeRef>)>),
}

fn success(op: &Operation) -> Success<'_> {
    match op.success_shape() {
        crate::ir::SuccessShape::Unit => Success::Unit,
        crate::ir::SuccessShape::One(ty) => Success::One(ty),
        crate::ir::SuccessShape::ByStatus => Success::ByStatus(
            op.success
                .iter()
                .map(|r| (Operation::status_code(r), r.ty.as_ref()))
                .collect(),
        ),
    }
}

/// Lookups over one API.
struct Index<'a> {
    api: &'a Api,
    /// Groups by tag.
    groups: BTreeMap<&'a str, &'a Group>,
    /// For each operationId, its groups: tag -> Rust method name there.
    memberships: HashMap<&'a str, BTreeMap<&'a str, &'a str>>,
    /// Operations by method and path.
    routes: BTreeMap<(Method, &'a str), &'a Operation>,
}

impl<'a> Index<'a> {
    fn new(api: &'a Api) -> Self {
        let mut memberships: HashMap<&str, BTreeMap<&str, &str>> = HashMap::new();
        for group in &api.groups {
            for (id, method) in group.operations.iter().zip(&group.methods) {
                memberships
                    .entry(id.as_str())
                    .or_default()
                    .insert(group.tag.as_str(), method.as_str());
            }
        }
        Index {
            api,
            groups: api.groups.iter().map(|g| (g.tag.as_str(), g)).collect(),
            memberships,
            routes: api
                .operations
                .values()
                .map(|op| ((op.method, op.path.as_str()), op))
                .collect(),
        }
    }

    /// The group struct name of a tag (`BillingApi`).
    fn group_name(&self, tag: &str) -> String {
        self.groups
            .get(tag)
            .map(|g| g.name.rust.clone())
            .unwrap_or_else(|| tag.to_owned())
    }

    /// The accessor of a tag's group (`client.billing()`).
    fn accessor(&self, tag: &str) -> String {
        let module = self
            .groups
            .get(tag)
            .map(|g| g.module.as_str())
            .unwrap_or(tag);
        format!("client.{module}()")
    }

    fn groups_of(&self, op: &Operation) -> BTreeMap<&'a str, &'a str> {
        self.memberships
            .get(op.id.as_str())
            .cloned()
            .unwrap_or_default()
    }

    /// The operation as seen from one of its groups.
    fn op_ref(&self, op: &Operation, tag: &str) -> OperationRef {
        let rust_method = self
            .memberships
            .get(op.id.as_str())
            .and_then(|m| m.get(tag))
            .map(|m| m.to_string())
            .unwrap_or_else(|| op.name.rust.clone());
        OperationRef {
            rust_method,
            method: op.method,
            path: op.path.clone(),
            operation_id: op.id.clone(),
            reference: reference_url(op.method, &op.path),
        }
    }

    /// Group struct names of some tags, sorted.
    fn group_names<'t>(&self, tags: impl IntoIterator<Item = &'t String>) -> Vec<String> {
        let names: BTreeSet<String> = tags.into_iter().map(|t| self.group_name(t)).collect();
        names.into_iter().collect()
    }
}

/// Where a change is: its group and operation, or its model.
#[derive(Clone)]
struct At {
    group: Option<String>,
    operation: Option<OperationRef>,
    model: Option<String>,
}

/// Collects changes at one place.
struct Sink<'o> {
    out: &'o mut Vec<Change>,
    at: At,
}

impl Sink<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: Kind,
        breaking: bool,
        item: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        message: String,
    ) {
        debug_assert!(
            !matches!(kind.breaking_always(), Some(b) if b != breaking),
            "{kind:?} is classified {breaking}"
        );
        self.out.push(Change {
            group: self.at.group.clone(),
            operation: self.at.operation.clone(),
            model: self.at.model.clone(),
            kind,
            item: item.map(str::to_owned),
            breaking,
            old,
            new,
            used_by: Vec::new(),
            message,
        });
    }

    /// A change whose classification is fixed by its kind.
    fn fixed(
        &mut self,
        kind: Kind,
        item: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        message: String,
    ) {
        let breaking = kind.breaking_always().unwrap_or(true);
        self.push(kind, breaking, item, old, new, message);
    }

    fn last_used_by(&mut self, used_by: Vec<String>) {
        if let Some(last) = self.out.last_mut() {
            last.used_by = used_by;
        }
    }
}

/// Every change between two APIs, unsorted.
pub(super) fn changes(old: &Api, new: &Api) -> Vec<Change> {
    let old_ix = Index::new(old);
    let new_ix = Index::new(new);
    let mut out = Vec::new();
    groups(&old_ix, &new_ix, &mut out);
    operations(&old_ix, &new_ix, &mut out);
    models(&old_ix, &new_ix, &mut out);
    out
}

/// Whether the two APIs differ in anything but source pointers.
pub(super) fn differs_otherwise(old: &Api, new: &Api) -> bool {
    strip_pointers(old) != strip_pointers(new)
}

fn strip_pointers(api: &Api) -> Api {
    let mut api = api.clone();
    for op in api.operations.values_mut() {
        op.pointer.clear();
        op.params.iter_mut().for_each(|p| p.pointer.clear());
        if let Some(body) = &mut op.body {
            body.pointer.clear();
        }
    }
    for model in api.models.values_mut() {
        model.pointer.clear();
        if let ModelKind::Struct { fields, .. } = &mut model.kind {
            fields.iter_mut().for_each(|f| f.pointer.clear());
        }
    }
    api
}

fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn groups(old: &Index, new: &Index, out: &mut Vec<Change>) {
    for (tag, group) in &new.groups {
        if !old.groups.contains_key(tag) {
            let mut sink = Sink {
                out,
                at: At {
                    group: Some(group.name.rust.clone()),
                    operation: None,
                    model: None,
                },
            };
            let accessor = new.accessor(tag);
            sink.fixed(
                Kind::GroupAdded,
                None,
                None,
                Some(accessor.clone()),
                format!(
                    "new API group {} (tag {}, {} {})",
                    code(&accessor),
                    code(tag),
                    group.operations.len(),
                    if group.operations.len() == 1 {
                        "operation"
                    } else {
                        "operations"
                    }
                ),
            );
        }
    }
    for (tag, group) in &old.groups {
        if !new.groups.contains_key(tag) {
            let mut sink = Sink {
                out,
                at: At {
                    group: Some(group.name.rust.clone()),
                    operation: None,
                    model: None,
                },
            };
            let accessor = old.accessor(tag);
            sink.fixed(
                Kind::GroupRemoved,
                None,
                Some(accessor.clone()),
                None,
                format!("API group {} removed", code(&accessor)),
            );
        }
    }
}

fn operations(old: &Index, new: &Index, out: &mut Vec<Change>) {
    for (route, n) in &new.routes {
        match old.routes.get(route) {
            Some(o) => compare_operation(old, o, new, n, out),
            None => {
                let home = n.tags[0].as_str();
                let mut sink = Sink {
                    out,
                    at: At {
                        group: Some(new.group_name(home)),
                        operation: Some(new.op_ref(n, home)),
                        model: None,
                    },
                };
                let others: Vec<String> = new
                    .groups_of(n)
                    .iter()
                    .filter(|(tag, _)| **tag != home)
                    .map(|(tag, method)| code(&format!("{}.{method}()", new.accessor(tag))))
                    .collect();
                let mut message = "new operation".to_owned();
                if !others.is_empty() {
                    message.push_str(&format!(", also {}", others.join(", ")));
                }
                sink.fixed(Kind::OperationAdded, None, None, None, message);
                sink.last_used_by(new.group_names(&n.tags));
            }
        }
    }
    for (route, o) in &old.routes {
        if !new.routes.contains_key(route) {
            let home = o.tags[0].as_str();
            let mut sink = Sink {
                out,
                at: At {
                    group: Some(old.group_name(home)),
                    operation: Some(old.op_ref(o, home)),
                    model: None,
                },
            };
            sink.fixed(
                Kind::OperationRemoved,
                None,
                None,
                None,
                "operation removed".to_owned(),
            );
            sink.last_used_by(old.group_names(&o.tags));
        }
    }
}

fn compare_operation(
    old: &Index,
    o: &Operation,
    new: &Index,
    n: &Operation,
    out: &mut Vec<Change>,
) {
    // Membership and method names, per group.
    let old_groups = old.groups_of(o);
    let new_groups = new.groups_of(n);
    let mut renamed_in_home = false;
    for (tag, method) in &new_groups {
        let mut sink = Sink {
            out,
            at: At {
                group: Some(new.group_name(tag)),
                operation: Some(new.op_ref(n, tag)),
                model: None,
            },
        };
        match old_groups.get(tag) {
            Some(before) if before != method => {
                if *tag == n.tags[0] && o.tags[0] == n.tags[0] {
                    renamed_in_home = true;
                }
                sink.fixed(
                    Kind::MethodRenamed,
                    None,
                    Some(before.to_string()),
                    Some(method.to_string()),
                    format!("method `{before}()` renamed to `{method}()`"),
                );
            }
            Some(_) => {}
            None => sink.fixed(
                Kind::OperationGroupAdded,
                None,
                None,
                Some(new.accessor(tag)),
                format!(
                    "now also {}",
                    code(&format!("{}.{method}()", new.accessor(tag)))
                ),
            ),
        }
    }
    for (tag, method) in &old_groups {
        if !new_groups.contains_key(tag) {
            let mut sink = Sink {
                out,
                at: At {
                    group: Some(old.group_name(tag)),
                    operation: Some(old.op_ref(o, tag)),
                    model: None,
                },
            };
            let still: Vec<String> = new_groups
                .iter()
                .map(|(t, m)| code(&format!("{}.{m}()", new.accessor(t))))
                .collect();
            sink.fixed(
                Kind::OperationGroupRemoved,
                None,
                Some(old.accessor(tag)),
                None,
                format!(
                    "`{method}()` is no longer on {}; it is now {}",
                    code(&old.accessor(tag)),
                    still.join(", ")
                ),
            );
        }
    }
    let home = n.tags[0].as_str();
    let mut sink = Sink {
        out,
        at: At {
            group: Some(new.group_name(home)),
            operation: Some(new.op_ref(n, home)),
            model: None,
        },
    };
    let old_builder = format!("apis::{}::{}", o.home_module, o.builder);
    let new_builder = format!("apis::{}::{}", n.home_module, n.builder);
    if old_builder != new_builder && !renamed_in_home {
        sink.fixed(
            Kind::BuilderRenamed,
            None,
            Some(old_builder.clone()),
            Some(new_builder.clone()),
            format!("request builder `{old_builder}` is now `{new_builder}`"),
        );
    }
    compare_inputs(old.api, o, new.api, n, &mut sink);
    let (old_ret, new_ret) = (returns(old.api, o), returns(new.api, n));
    if old_ret != new_ret {
        sink.fixed(
            Kind::ResponseChanged,
            None,
            Some(old_ret.clone()),
            Some(new_ret.clone()),
            format!("returns {} instead of {}", code(&new_ret), code(&old_ret)),
        );
    }
    compare_permissions(o, n, &mut sink);
    if o.deprecated != n.deprecated {
        let (kind, message) = if n.deprecated {
            (Kind::Deprecated, "operation deprecated")
        } else {
            (Kind::Undeprecated, "operation no longer deprecated")
        };
        sink.fixed(kind, None, None, None, message.to_owned());
    }
    if o.preview != n.preview {
        let (kind, message) = if n.preview {
            (
                Kind::PreviewAdded,
                "now a preview API (may change without notice)",
            )
        } else {
            (Kind::PreviewRemoved, "no longer a preview API")
        };
        sink.fixed(kind, None, None, None, message.to_owned());
    }
}

/// One argument or setter of an operation's method: a parameter, the body, or a form field.
struct Input {
    key: String,
    wire: String,
    /// `parameter`, `request body` or `form field`.
    what: &'static str,
    rust: String,
    required: bool,
    ty: String,
    default: Option<String>,
    deprecated: bool,
}

/// The inputs in the order the method takes its arguments.
fn inputs(api: &Api, op: &Operation) -> Vec<Input> {
    let mut list: Vec<Input> = Vec::new();
    let mut seen = BTreeSet::new();
    for p in &op.params {
        let key = if seen.insert(p.name.wire.clone()) {
            p.name.wire.clone()
        } else {
            format!("{:?}:{}", p.location, p.name.wire)
        };
        list.push(Input {
            key,
            wire: p.name.wire.clone(),
            what: "parameter",
            rust: p.name.rust.clone(),
            required: p.required,
            ty: display_type(api, &p.ty),
            default: p.default.as_ref().map(|d| d.to_string()),
            deprecated: p.deprecated,
        });
    }
    if let Some(body) = &op.body {
        match body.kind {
            BodyKind::Json | BodyKind::Binary => list.push(Input {
                key: format!("body:{}", body.name.wire),
                wire: body.name.wire.clone(),
                what: "request body",
                rust: body.name.rust.clone(),
                required: body.required,
                ty: body
                    .ty
                    .as_ref()
                    .map(|t| display_type(api, t))
                    .unwrap_or_else(|| "Value".into()),
                default: None,
                deprecated: false,
            }),
            BodyKind::Multipart | BodyKind::Form => {
                for f in &body.fields {
                    list.push(Input {
                        key: format!("form:{}", f.name.wire),
                        wire: f.name.wire.clone(),
                        what: "form field",
                        rust: f.name.rust.clone(),
                        required: f.required,
                        ty: display_type(api, &f.ty),
                        default: None,
                        deprecated: false,
                    });
                }
            }
        }
    }
    list
}

fn compare_inputs(old_api: &Api, o: &Operation, new_api: &Api, n: &Operation, sink: &mut Sink) {
    let old_inputs = inputs(old_api, o);
    let new_inputs = inputs(new_api, n);
    let old_by_key: BTreeMap<&str, &Input> =
        old_inputs.iter().map(|i| (i.key.as_str(), i)).collect();
    let new_by_key: BTreeMap<&str, &Input> =
        new_inputs.iter().map(|i| (i.key.as_str(), i)).collect();
    for input in &new_inputs {
        let item = Some(input.wire.as_str());
        let name = code(&input.wire);
        let Some(before) = old_by_key.get(input.key.as_str()) else {
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
        if before.deprecated != input.deprecated {
            let (kind, word) = if input.deprecated {
                (Kind::Deprecated, "deprecated")
            } else {
                (Kind::Undeprecated, "no longer deprecated")
            };
            sink.fixed(
                kind,
                item,
                None,
                None,
                format!("{} {name} {word}", input.what),
            );
        }
    }
    for input in &old_inputs {
        if !new_by_key.contains_key(input.key.as_str()) {
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
    let both_required = |i: &&Input| {
        i.required
            && old_by_key.get(i.key.as_str()).is_some_and(|x| x.required)
            && new_by_key.get(i.key.as_str()).is_some_and(|x| x.required)
    };
    let old_order: Vec<&str> = old_inputs
        .iter()
        .filter(both_required)
        .map(|i| i.wire.as_str())
        .collect();
    let new_order: Vec<&str> = new_inputs
        .iter()
        .filter(both_required)
        .map(|i| i.wire.as_str())
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

fn required_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

/// What `send()` returns, displayed; by-status enums by their variants (the enum's own
/// name follows the builder, which method renames already report).
fn returns(api: &Api, op: &Operation) -> String {
    match success(op) {
        Success::Unit => "()".into(),
        Success::One(ty) => display_type(api, ty),
        Success::ByStatus(list) => {
            let variants: Vec<String> = list
                .iter()
                .map(|(status, ty)| match ty {
                    Some(ty) => format!("Status{status}({})", display_type(api, ty)),
                    None => format!("Status{status}"),
                })
                .collect();
            format!("enum {{ {} }}", variants.join(", "))
        }
    }
}

fn kind_word(kind: PermissionKind) -> &'static str {
    match kind {
        PermissionKind::Any => "ANY",
        PermissionKind::All => "ALL",
    }
}

fn compare_permissions(o: &Operation, n: &Operation, sink: &mut Sink) {
    let names = |op: &Operation| -> BTreeSet<String> {
        op.permissions
            .as_ref()
            .map(|p| p.names.iter().cloned().collect())
            .unwrap_or_default()
    };
    let (before, after) = (names(o), names(n));
    let new_kind = n.permissions.as_ref().map(|p| kind_word(p.kind));
    for name in after.difference(&before) {
        sink.fixed(
            Kind::PermissionAdded,
            Some(name),
            None,
            None,
            format!(
                "permission {} added (requires {} of {})",
                code(name),
                new_kind.unwrap_or("NONE"),
                after.len()
            ),
        );
    }
    for name in before.difference(&after) {
        sink.fixed(
            Kind::PermissionRemoved,
            Some(name),
            None,
            None,
            format!("permission {} no longer listed", code(name)),
        );
    }
    if let (Some(a), Some(b)) = (&o.permissions, &n.permissions) {
        if a.kind != b.kind {
            sink.fixed(
                Kind::PermissionKindChanged,
                None,
                Some(kind_word(a.kind).into()),
                Some(kind_word(b.kind).into()),
                format!(
                    "now requires {} of its permissions (was {})",
                    kind_word(b.kind),
                    kind_word(a.kind)
                ),
            );
        }
    }
}

fn shape(api: &Api, model: &Model) -> &'static str {
    match enum_through_aliases(api, model) {
        ModelKind::Struct { .. } => "struct",
        ModelKind::Enum { .. } => "enum",
        ModelKind::Alias { .. } => "alias",
    }
}

fn models(old: &Index, new: &Index, out: &mut Vec<Change>) {
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
        for (key, n) in defs_new.iter() {
            match defs_old.get(key) {
                Some(o) => compare_model(old.api, o, new.api, n, out),
                None => {
                    let mut sink = model_sink(out, n);
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
        for (key, o) in defs_old.iter() {
            if !defs_new.contains_key(key) {
                let mut sink = model_sink(out, o);
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

/// Definitions by definition name, inline models by Rust type name.
#[allow(clippy::type_complexity)]
fn split_models(api: &Api) -> (BTreeMap<&str, &Model>, BTreeMap<&str, &Model>) {
    let mut defs = BTreeMap::new();
    let mut inline = BTreeMap::new();
    for (id, model) in &api.models {
        if id.starts_with('#') {
            inline.insert(model.name.rust.as_str(), model);
        } else {
            defs.insert(id.as_str(), model);
        }
    }
    (defs, inline)
}

fn model_sink<'o>(out: &'o mut Vec<Change>, model: &Model) -> Sink<'o> {
    Sink {
        out,
        at: At {
            group: None,
            operation: None,
            model: Some(model.name.rust.clone()),
        },
    }
}

/// The model's kind, or, for an alias (through any chain) of an enum, the enum's: a caller
/// writes `Alias::Variant` and matches on it exactly as on the enum, so a shared inline enum
/// moving between its use sites is no change.
fn enum_through_aliases<'a>(api: &'a Api, model: &'a Model) -> &'a ModelKind {
    let ModelKind::Alias {
        ty: crate::ir::TypeRef::Model(id),
    } = &model.kind
    else {
        return &model.kind;
    };
    match crate::ir::through_aliases(&api.models, id).map(|m| &m.kind) {
        Some(kind @ ModelKind::Enum { .. }) => kind,
        _ => &model.kind,
    }
}

fn compare_model(old_api: &Api, o: &Model, new_api: &Api, n: &Model, out: &mut Vec<Change>) {
    let mut sink = model_sink(out, n);
    if o.name.rust != n.name.rust {
        sink.fixed(
            Kind::ModelRenamed,
            None,
            Some(o.name.rust.clone()),
            Some(n.name.rust.clone()),
            format!(
                "Rust type `{}` renamed to `{}` (definition {})",
                o.name.rust,
                n.name.rust,
                code(&n.name.wire)
            ),
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
            let before = struct_fields(old_api, old_fields, old_extra.as_ref());
            let after = struct_fields(new_api, new_fields, new_extra.as_ref());
            compare_fields(&before, &after, &mut sink);
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
            let (before, after) = (display_type(old_api, before), display_type(new_api, after));
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
    if o.deprecated != n.deprecated {
        let (kind, word) = if n.deprecated {
            (Kind::Deprecated, "deprecated")
        } else {
            (Kind::Undeprecated, "no longer deprecated")
        };
        sink.fixed(kind, None, None, None, format!("model {word}"));
    }
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

/// A struct field as a caller sees it.
struct FieldInfo {
    wire: String,
    rust: String,
    /// The field's displayed type inside its `Option` (`Box<Node>`, `Vec<String>`).
    ty: String,
    required: bool,
    /// An argument of `new()`: required and not read-only.
    in_new: bool,
    deprecated: bool,
}

fn struct_fields(
    api: &Api,
    fields: &[crate::ir::Field],
    additional: Option<&crate::ir::TypeRef>,
) -> Vec<FieldInfo> {
    let mut list: Vec<FieldInfo> = fields
        .iter()
        .map(|f| {
            let ty = display_type(api, &f.ty);
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
            ty: format!("BTreeMap<String, {}>", display_type(api, extra)),
            required: false,
            in_new: false,
            deprecated: false,
        });
    }
    list
}

fn compare_fields(before: &[FieldInfo], after: &[FieldInfo], sink: &mut Sink) {
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
        if was.deprecated != f.deprecated {
            let (kind, word) = if f.deprecated {
                (Kind::Deprecated, "deprecated")
            } else {
                (Kind::Undeprecated, "no longer deprecated")
            };
            sink.fixed(kind, item, None, None, format!("field {name} {word}"));
        }
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
