//! The comparison behind [`super::diff`], by concern: [`operations`] (API groups,
//! operation membership, method names, permissions, flags), [`signature`] (an operation's
//! method as a caller writes it: its inputs, builder and returned type, all read from
//! [`crate::surface`]), [`models`] (models, enum values, aliases, derives) and [`fields`]
//! (struct fields and `new()`). Each change is classified for a Rust caller of the
//! generated crate. This file holds the entry points and what they share: the lookups over
//! one API ([`Index`]) and the collector of changes at one place ([`Sink`]).

mod fields;
mod models;
mod operations;
mod signature;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{reference_url, Bump, Change, Kind, OperationRef};
use crate::ir::{Api, Group, Method, Model, Operation};

pub use signature::{signatures, Argument, Signature};

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

    /// Collects changes of an operation as seen from one of its groups.
    fn sink<'o>(&self, out: &'o mut Vec<Change>, op: &Operation, tag: &str) -> Sink<'o> {
        Sink {
            out,
            at: At {
                group: Some(self.group_name(tag)),
                operation: Some(self.op_ref(op, tag)),
                model: None,
                definition: None,
            },
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
    definition: Option<String>,
}

/// The definition name a model id stands for, as Genesys spells it: the id, unescaped
/// (a leading `\` escapes names starting with `#` or `\`); `None` for inline models,
/// whose ids start with `#`.
fn definition_name(id: &str) -> Option<String> {
    if id.starts_with('#') {
        return None;
    }
    Some(id.strip_prefix('\\').unwrap_or(id).to_owned())
}

/// Collects changes at one place.
struct Sink<'o> {
    out: &'o mut Vec<Change>,
    at: At,
}

impl<'o> Sink<'o> {
    /// Collects changes of an API group.
    fn group(out: &'o mut Vec<Change>, group: &Group) -> Self {
        Sink {
            out,
            at: At {
                group: Some(group.name.rust.clone()),
                operation: None,
                model: None,
                definition: None,
            },
        }
    }

    /// Collects changes of the model of id `id`.
    fn model(out: &'o mut Vec<Change>, id: &str, model: &Model) -> Self {
        Sink {
            out,
            at: At {
                group: None,
                operation: None,
                model: Some(model.name.rust.clone()),
                definition: definition_name(id),
            },
        }
    }

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
        let bump = if breaking {
            Bump::Major
        } else if kind.patch_only() {
            Bump::Patch
        } else {
            Bump::Minor
        };
        self.out.push(Change {
            group: self.at.group.clone(),
            operation: self.at.operation.clone(),
            model: self.at.model.clone(),
            definition: self.at.definition.clone(),
            kind,
            item: item.map(str::to_owned),
            breaking,
            bump,
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

    /// A deprecation flag that changed, if it did: "`subject` deprecated" or "`subject` no
    /// longer deprecated".
    fn deprecation(&mut self, item: Option<&str>, was: bool, is: bool, subject: &str) {
        if was == is {
            return;
        }
        let (kind, word) = if is {
            (Kind::Deprecated, "deprecated")
        } else {
            (Kind::Undeprecated, "no longer deprecated")
        };
        self.fixed(kind, item, None, None, format!("{subject} {word}"));
    }

    fn last_used_by(&mut self, used_by: Vec<String>) {
        if let Some(last) = self.out.last_mut() {
            last.used_by = used_by;
        }
    }

    /// Sets the bump of the last non-breaking change, where its kind's default
    /// ([`Kind::patch_only`]) does not fit the case.
    fn last_bump(&mut self, bump: Bump) {
        if let Some(last) = self.out.last_mut() {
            debug_assert!(!last.breaking && bump != Bump::Major);
            last.bump = bump;
        }
    }
}

/// Every change between two APIs, unsorted.
pub(super) fn changes(old: &Api, new: &Api) -> Vec<Change> {
    let old_ix = Index::new(old);
    let new_ix = Index::new(new);
    let mut out = Vec::new();
    operations::groups(&old_ix, &new_ix, &mut out);
    operations::operations(&old_ix, &new_ix, &mut out);
    models::models(&old_ix, &new_ix, &mut out);
    out
}

/// Whether the two APIs differ in anything but source pointers. Every listed change comes
/// from a difference of the IR, so this is true whenever [`changes`] lists one; it is only
/// asked when none is listed, to tell a `patch` (docs or details the report does not
/// itemize) from `none`.
pub(super) fn differs_otherwise(old: &Api, new: &Api) -> bool {
    old.without_pointers() != new.without_pointers()
}

fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn required_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}
