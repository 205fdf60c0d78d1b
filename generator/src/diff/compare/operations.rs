//! API groups and operations: groups added or removed, operations added or removed (matched
//! by method and path), their membership and method name in each group, the request
//! builder, the documented error responses, the permissions and OAuth scopes, and the
//! deprecation and preview flags. The method's inputs and returned type are compared by
//! [`super::signature`].

use std::collections::{BTreeMap, BTreeSet};

use super::signature::{compare_inputs, Compared};
use super::{code, Index, Sink};
use crate::diff::{Change, Kind};
use crate::ir::{Api, Operation, PermissionKind};
use crate::surface::display;

pub(super) fn groups(old: &Index, new: &Index, out: &mut Vec<Change>) {
    for (tag, group) in &new.groups {
        if !old.groups.contains_key(tag) {
            let mut sink = Sink::group(out, group);
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
            let mut sink = Sink::group(out, group);
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

pub(super) fn operations(old: &Index, new: &Index, out: &mut Vec<Change>) {
    for (route, n) in &new.routes {
        match old.routes.get(route) {
            Some(o) => compare_operation(old, o, new, n, out),
            None => {
                let home = n.tags[0].as_str();
                let mut sink = new.sink(out, n, home);
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
            let mut sink = old.sink(out, o, home);
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
        let mut sink = new.sink(out, n, tag);
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
            let mut sink = old.sink(out, o, tag);
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
    let mut sink = new.sink(out, n, home);
    let (before, after) = (Compared::of(old.api, o), Compared::of(new.api, n));
    let (old_builder, new_builder) = (&before.builder, &after.builder);
    if old_builder != new_builder && !renamed_in_home {
        sink.fixed(
            Kind::BuilderRenamed,
            None,
            Some(old_builder.clone()),
            Some(new_builder.clone()),
            format!("request builder `{old_builder}` is now `{new_builder}`"),
        );
    }
    compare_inputs(&before, &after, &mut sink);
    let (old_ret, new_ret) = (&before.returns, &after.returns);
    if old_ret != new_ret {
        sink.fixed(
            Kind::ResponseChanged,
            None,
            Some(old_ret.clone()),
            Some(new_ret.clone()),
            format!("returns {} instead of {}", code(new_ret), code(old_ret)),
        );
    }
    compare_errors(old.api, o, new.api, n, &mut sink);
    compare_permissions(o, n, &mut sink);
    compare_scopes(o, n, &mut sink);
    sink.deprecation(None, o.deprecated, n.deprecated, "operation");
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

/// The documented error responses: by status, each body's displayed type (`none` without
/// a body). `send()` returns the runtime's `Error` whatever they are, so only the
/// method's `# Errors` docs follow them.
fn compare_errors(old_api: &Api, o: &Operation, new_api: &Api, n: &Operation, sink: &mut Sink) {
    let bodies = |api: &Api, op: &Operation| -> BTreeMap<String, String> {
        op.errors
            .iter()
            .map(|r| {
                let body = r.ty.as_ref().map(|t| display(api, t));
                (r.status.clone(), body.unwrap_or_else(|| "none".to_owned()))
            })
            .collect()
    };
    let (before, after) = (bodies(old_api, o), bodies(new_api, n));
    for (status, body) in &after {
        match before.get(status) {
            None => sink.fixed(
                Kind::ErrorAdded,
                Some(status),
                None,
                Some(body.clone()),
                if body == "none" {
                    format!("documents error status {}", code(status))
                } else {
                    format!(
                        "documents error status {} (body {})",
                        code(status),
                        code(body)
                    )
                },
            ),
            Some(was) if was != body => sink.fixed(
                Kind::ErrorRetyped,
                Some(status),
                Some(was.clone()),
                Some(body.clone()),
                format!(
                    "error status {} now has body {} (was {})",
                    code(status),
                    code(body),
                    code(was)
                ),
            ),
            Some(_) => {}
        }
    }
    for (status, body) in &before {
        if !after.contains_key(status) {
            sink.fixed(
                Kind::ErrorRemoved,
                Some(status),
                Some(body.clone()),
                None,
                format!("no longer documents error status {}", code(status)),
            );
        }
    }
}

/// The OAuth scopes `security` names: documentation only.
fn compare_scopes(o: &Operation, n: &Operation, sink: &mut Sink) {
    let (before, after): (BTreeSet<&String>, BTreeSet<&String>) =
        (o.scopes.iter().collect(), n.scopes.iter().collect());
    for scope in after.difference(&before) {
        sink.fixed(
            Kind::ScopeAdded,
            Some(scope),
            None,
            None,
            format!("accepts OAuth scope {}", code(scope)),
        );
    }
    for scope in before.difference(&after) {
        sink.fixed(
            Kind::ScopeRemoved,
            Some(scope),
            None,
            None,
            format!("no longer lists OAuth scope {}", code(scope)),
        );
    }
}
