//! Spec evolution: what changed between two definitions, as a Rust caller of the generated
//! crate sees it, and which semver bump that needs. Used by `cargo xtask diff` and
//! `update-spec`.
//!
//! Pure: [`diff`] compares two named [`crate::ir::Api`]s (so a Swagger 2.0 and an OpenAPI 3.0
//! rendering of one API compare equal) and returns a plain [`Report`]; [`markdown`] and
//! [`json`] render it. Nothing here reads or writes files. An operation's method (its
//! inputs, builder and returned type) is read from [`crate::surface`], as `render` reads
//! it; [`signatures`] shows what is compared, so a test can hold it against the generated
//! code.
//!
//! # Identity
//!
//! - API groups are matched by tag.
//! - Operations are matched by HTTP method and path template, the identity a caller sees: a
//!   changed operationId under the same method, path and Rust method name is no change.
//! - Definitions are matched by definition name; inline models (ids starting with `#`) by
//!   their Rust type name, since that is all a caller can name them by.
//! - Parameters, fields and enum values are matched by their wire name.
//! - Types are compared by their displayed Rust form through model *names*
//!   (`Vec<BillingUsage>`), so a model renamed in Rust retypes the places that use it.
//!
//! # Classification
//!
//! A change is **breaking** when code that compiled against the old crate may not compile
//! against the new one, or compiles and silently means something else, given how `render`
//! writes the crate: every model field is an `Option`, structs are `#[non_exhaustive]`
//! with `Default` and, when sent in requests, `new(required...)` (read-only fields left
//! out), enums are `#[non_exhaustive]` with `UnknownValue(String)`, required parameters
//! are positional method arguments and optional ones builder setters, and `send()` returns
//! the runtime's one `Error` type whatever the documented error statuses. So an added
//! optional parameter, field, enum value, operation or model is not breaking; a removal, a
//! retyping, a renamed method, a new required parameter or optional <-> required on a
//! parameter is; a field that becomes required, or read-only, or no longer read-only,
//! breaks only when it changes an existing `new()` signature. Permission, default,
//! deprecation, preview, scope, error-response, array-style and parameter-location changes
//! change documentation and what goes on the wire, not the API, and are not breaking
//! ([`Kind::breaking_always`] lists the fixed ones). `docs/change-report.md` compares these
//! rules with the ones Genesys's own SDK builds apply.
//!
//! # Semver
//!
//! [`Bump`] speaks semver's vocabulary. Each change has its own ([`Change::bump`]):
//! `major` when breaking; `patch` when it touches only documentation, runtime data or the
//! wire (the kinds of [`Kind::patch_only`], and a field becoming required, optional,
//! read-only or writable without changing `new()`); `minor` otherwise (an addition, or a deprecation, as semver
//! asks). The report's bump is the largest of its changes'; with nothing listed it is
//! `patch` when the definitions still differ (descriptions, summaries, operationIds:
//! [`Report::other_differences`]) and `none` when the two lower to the same IR.
//! [`next_version`] maps it to a version as Cargo does: at `1.0.0` and above
//! major/minor/patch bump their own digit; while `0.y.z` (y > 0) a breaking change bumps
//! `y` and anything else bumps `z`; while `0.0.z` every change bumps `z`.
//!
//! # JSON
//!
//! [`json`] writes the [`Report`] as it serializes: `format` (`genesys-sdk-diff/1`),
//! `from`, `to`, `bump`, `other_differences`, `summary` (`breaking`, `non_breaking`,
//! `by_kind`: one `{kind, breaking, non_breaking}` per kind present, in [`Kind`] order) and
//! `changes`, sorted by group, operation, model, definition, kind and item. Each change has
//! `kind` (kebab-case [`Kind`]), `breaking`, `bump` (`major`, `minor` or `patch`: what the
//! change alone needs), `group` (the API group's struct name, for group and operation
//! changes), `operation` (`rust_method`, `method`, `path`, `operation_id`, `reference`),
//! `model` (the Rust type name, for model changes), `definition` (for model changes, the
//! definition name as Genesys spells it, `NTPSettings` for the Rust `NtpSettings`; `null`
//! for inline models, which have no Genesys name), `item` (the parameter, field, enum
//! value, permission, scope, error status or trait concerned), `old` and `new` (displayed
//! values), `used_by` (the groups an added or removed model or operation belongs to) and
//! `message` (one line of text with Markdown code spans). Absent values are `null`, empty
//! lists `[]`. Fields are only ever added under one [`FORMAT`] (`definition` and `bump`
//! were); a reader ignores fields it does not know.

mod compare;
mod markdown;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ir::{Api, Method};

pub use compare::{signatures, Argument, Signature};
pub use markdown::markdown;

/// The JSON format's name and version; bumped when a field changes meaning or goes away.
pub const FORMAT: &str = "genesys-sdk-diff/1";

/// Where an operation's reference documentation lives: the Genesys API Explorer, anchored
/// by method and path (`#get-api-v2-users--userId-`: the lower-case method, then the path
/// with `/`, `{` and `}` each replaced by `-`). Derived from the matching identity only, so
/// it is stable across operationId and method-name changes.
pub fn reference_url(method: Method, path: &str) -> String {
    let slug: String = path
        .chars()
        .map(|c| if matches!(c, '/' | '{' | '}') { '-' } else { c })
        .collect();
    format!(
        "https://developer.genesys.cloud/devapps/api-explorer#{}{slug}",
        method.as_str().to_lowercase()
    )
}

/// The change report between two definitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// What the old and new definitions are called in the report (file names); set by the
    /// caller, empty from [`diff`].
    pub from: String,
    pub to: String,
    pub bump: Bump,
    /// True when no change is listed but the two definitions still differ (descriptions,
    /// summaries, operationIds, error descriptions, content types, enum lists of
    /// parameters...): the crate's docs or behaviour change, its API does not, so a patch
    /// release. Always false when changes are listed (it is only looked for to tell `patch`
    /// from `none`).
    pub other_differences: bool,
    pub summary: Summary,
    /// Sorted by group, operation, model, kind and item.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether nothing at all differs.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && !self.other_differences
    }

    /// The changes of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }
}

/// The semver bump a set of changes needs, in semver's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// Counts, overall and per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    pub breaking: usize,
    pub non_breaking: usize,
    /// One entry per kind that occurs, in [`Kind`] order.
    pub by_kind: Vec<KindCount>,
}

/// How many changes of one kind, breaking and not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCount {
    pub kind: Kind,
    pub breaking: usize,
    pub non_breaking: usize,
}

/// The operation a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct OperationRef {
    /// The Rust method name in the change's group (the new one, unless removed).
    pub rust_method: String,
    pub method: Method,
    pub path: String,
    pub operation_id: String,
    /// See [`reference_url`].
    pub reference: String,
}

/// One change. Field order is sort order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The API group's struct name (`BillingApi`), for group and operation changes.
    pub group: Option<String>,
    pub operation: Option<OperationRef>,
    /// The model's Rust type name, for model changes.
    pub model: Option<String>,
    /// The model's definition name as Genesys spells it (`NTPSettings`, where the Rust name
    /// is `NtpSettings`), for model changes of a definition; `None` for inline models,
    /// which Genesys does not name.
    pub definition: Option<String>,
    pub kind: Kind,
    /// The parameter, field, enum value, permission, scope, error status or trait
    /// concerned.
    pub item: Option<String>,
    pub breaking: bool,
    /// The release this change alone needs: `major` when breaking, `patch` when it changes
    /// only documentation, runtime data or the wire, `minor` otherwise. The report's bump
    /// is the largest.
    pub bump: Bump,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Groups an added or removed model or operation belongs to (struct names).
    pub used_by: Vec<String>,
    pub message: String,
}

/// What changed. The order is the report's order within one operation or model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A new API group (tag): a new `client.x()` accessor. Not breaking.
    GroupAdded,
    /// An API group disappeared with its accessor. Breaking.
    GroupRemoved,
    /// A new method and path. Not breaking.
    OperationAdded,
    /// A method and path disappeared. Breaking.
    OperationRemoved,
    /// The same method and path has another Rust method name in a group. Breaking.
    MethodRenamed,
    /// The operation is now also a method of another group. Not breaking.
    OperationGroupAdded,
    /// The operation is no longer a method of this group (it still is of another). Breaking.
    OperationGroupRemoved,
    /// The request builder type moved or was renamed (its home group changed). Breaking.
    BuilderRenamed,
    /// A parameter (or request body, or form field) appeared: breaking when required (a new
    /// positional argument), not when optional (a new setter).
    ParamAdded,
    /// A parameter disappeared (an argument or setter is gone). Breaking.
    ParamRemoved,
    /// Optional -> required: a setter became an argument. Breaking.
    ParamRequired,
    /// Required -> optional: an argument became a setter. Breaking.
    ParamOptional,
    /// A parameter's type changed. Breaking.
    ParamRetyped,
    /// A parameter's Rust name changed: breaking for a setter, not for a positional argument.
    ParamRenamed,
    /// The required parameters, hence the positional arguments, are in another order. Breaking.
    ParamsReordered,
    /// The server-side default of a parameter changed. Not breaking; documentation only.
    ParamDefaultChanged,
    /// How an array parameter's values are joined on the wire changed (`collectionFormat`,
    /// or OpenAPI 3's `style` and `explode`: `multi`, `csv`, `ssv`, `tsv`, `pipes`). Not
    /// breaking: the setter or argument takes the same `Vec`; wire only.
    ParamStyleChanged,
    /// A parameter travels elsewhere (query, header, path or form field). Not breaking in
    /// itself: the argument or setter keeps its name and type; wire only. What the move
    /// does to the method (a query setter that becomes a path argument) is reported as its
    /// own change (`param-required`, `params-reordered`, ...).
    ParamLocationChanged,
    /// What `send()` returns changed. Breaking.
    ResponseChanged,
    /// A documented error status appeared. Not breaking: `send()` returns the runtime's
    /// `Error` whatever the statuses (`Error::Api` carries a status and the generic
    /// `ErrorBody`), so only the method's `# Errors` docs change.
    ErrorAdded,
    /// A documented error status disappeared. Not breaking, for the same reason.
    ErrorRemoved,
    /// A documented error status has another body type. Not breaking, for the same reason
    /// (a model that only error bodies reach still reports its own changes).
    ErrorRetyped,
    /// A permission was added to the operation's list. Not breaking (documentation and
    /// `permissions` data; callers' roles may need it).
    PermissionAdded,
    /// A permission left the operation's list. Not breaking.
    PermissionRemoved,
    /// ANY <-> ALL. Not breaking.
    PermissionKindChanged,
    /// An OAuth scope was added to those the operation accepts (`security`). Not breaking:
    /// scopes appear in the method's docs only; the client's token is what it is.
    ScopeAdded,
    /// An OAuth scope left the operation's list. Not breaking, for the same reason.
    ScopeRemoved,
    /// An operation, parameter, model or field is now deprecated (`#[deprecated]`: warnings,
    /// not errors). Not breaking.
    Deprecated,
    /// No longer deprecated. Not breaking.
    Undeprecated,
    /// The operation is now marked preview. Not breaking.
    PreviewAdded,
    /// The operation is no longer preview. Not breaking.
    PreviewRemoved,
    /// A new definition. Not breaking.
    ModelAdded,
    /// A definition disappeared. Breaking.
    ModelRemoved,
    /// A new inline model (a type synthesized for an inline object or enum). Not breaking.
    InlineTypeAdded,
    /// An inline model's type disappeared (or was renamed). Breaking.
    InlineTypeRemoved,
    /// The same definition has another Rust type name. Breaking.
    ModelRenamed,
    /// Struct, enum and alias turned into one another. Breaking.
    ModelKindChanged,
    /// A type alias points at another type. Breaking.
    AliasRetyped,
    /// A new field: not breaking (structs are `#[non_exhaustive]` with `Default`), unless it
    /// is required and so changes an existing `new()`.
    FieldAdded,
    /// A field disappeared. Breaking.
    FieldRemoved,
    /// A field's type changed (`Box` included). Breaking.
    FieldRetyped,
    /// A field became required: breaking when that changes an existing `new()`; a `patch`
    /// when no `new()` changes (a model only received, or a read-only field), since only
    /// the field's docs do.
    FieldRequired,
    /// A field became optional: breaking when it was an argument of `new()`; otherwise as
    /// [`Kind::FieldRequired`].
    FieldOptional,
    /// A field's Rust name changed for the same wire name. Breaking.
    FieldRenamed,
    /// A field became read-only (`readOnly: true`): set by the server, ignored in requests.
    /// Breaking when it was an argument of an existing `new()` (a required field of a model
    /// sent in requests), which loses it; otherwise a `patch`: only the field's docs change
    /// (it is still sent when set).
    FieldReadOnly,
    /// A field is no longer read-only. Breaking when that makes it a new argument of an
    /// existing `new()`; `minor` when `new()` appears with it; otherwise a `patch`.
    FieldWritable,
    /// `new()`'s arguments changed otherwise (order, or the model being sent at all).
    /// Breaking.
    ConstructorChanged,
    /// A new enum value. Not breaking (`#[non_exhaustive]`).
    EnumValueAdded,
    /// An enum value disappeared (its variant is gone). Breaking.
    EnumValueRemoved,
    /// The same enum value has another variant name. Breaking.
    EnumVariantRenamed,
    /// The model now derives `Serialize` or `Deserialize`. Not breaking.
    TraitAdded,
    /// The model no longer derives `Serialize` or `Deserialize` (it left requests or
    /// responses). Breaking.
    TraitRemoved,
}

impl Kind {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        KIND_NAMES
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, n)| *n)
            .expect("every kind is named")
    }

    /// A short human label for the summary table.
    pub fn label(self) -> String {
        self.as_str().replace('-', " ")
    }

    /// Whether this kind is always breaking (`Some(true)`), never (`Some(false)`), or
    /// depends on the case (`None`).
    pub fn breaking_always(self) -> Option<bool> {
        use Kind::*;
        match self {
            ParamAdded | ParamRenamed | FieldAdded | FieldRequired | FieldOptional
            | FieldReadOnly | FieldWritable => None,
            GroupRemoved
            | OperationRemoved
            | MethodRenamed
            | OperationGroupRemoved
            | BuilderRenamed
            | ParamRemoved
            | ParamRequired
            | ParamOptional
            | ParamRetyped
            | ParamsReordered
            | ResponseChanged
            | ModelRemoved
            | InlineTypeRemoved
            | ModelRenamed
            | ModelKindChanged
            | AliasRetyped
            | FieldRemoved
            | FieldRetyped
            | FieldRenamed
            | ConstructorChanged
            | EnumValueRemoved
            | EnumVariantRenamed
            | TraitRemoved => Some(true),
            GroupAdded
            | OperationAdded
            | OperationGroupAdded
            | ParamDefaultChanged
            | ParamStyleChanged
            | ParamLocationChanged
            | ErrorAdded
            | ErrorRemoved
            | ErrorRetyped
            | PermissionAdded
            | PermissionRemoved
            | PermissionKindChanged
            | ScopeAdded
            | ScopeRemoved
            | Deprecated
            | Undeprecated
            | PreviewAdded
            | PreviewRemoved
            | ModelAdded
            | InlineTypeAdded
            | EnumValueAdded
            | TraitAdded => Some(false),
        }
    }

    /// Whether a change of this kind, when it is not breaking, touches only documentation,
    /// runtime data or the wire, never an item a caller names: such a change alone makes a
    /// `patch` release, not a `minor` one. Some changes of other kinds are patch-level too
    /// (a field becoming required, or read-only, in a model that has no `new()`: only its
    /// docs change); [`Change::bump`] says it for each change.
    pub fn patch_only(self) -> bool {
        use Kind::*;
        matches!(
            self,
            ParamDefaultChanged
                | ParamStyleChanged
                | ParamLocationChanged
                | ErrorAdded
                | ErrorRemoved
                | ErrorRetyped
                | PermissionAdded
                | PermissionRemoved
                | PermissionKindChanged
                | ScopeAdded
                | ScopeRemoved
                | PreviewAdded
                | PreviewRemoved
        )
    }

    /// Every kind, in order.
    pub fn all() -> impl Iterator<Item = Kind> {
        KIND_NAMES.iter().map(|(k, _)| *k)
    }
}

const KIND_NAMES: &[(Kind, &str)] = &[
    (Kind::GroupAdded, "group-added"),
    (Kind::GroupRemoved, "group-removed"),
    (Kind::OperationAdded, "operation-added"),
    (Kind::OperationRemoved, "operation-removed"),
    (Kind::MethodRenamed, "method-renamed"),
    (Kind::OperationGroupAdded, "operation-group-added"),
    (Kind::OperationGroupRemoved, "operation-group-removed"),
    (Kind::BuilderRenamed, "builder-renamed"),
    (Kind::ParamAdded, "param-added"),
    (Kind::ParamRemoved, "param-removed"),
    (Kind::ParamRequired, "param-required"),
    (Kind::ParamOptional, "param-optional"),
    (Kind::ParamRetyped, "param-retyped"),
    (Kind::ParamRenamed, "param-renamed"),
    (Kind::ParamsReordered, "params-reordered"),
    (Kind::ParamDefaultChanged, "param-default-changed"),
    (Kind::ParamStyleChanged, "param-style-changed"),
    (Kind::ParamLocationChanged, "param-location-changed"),
    (Kind::ResponseChanged, "response-changed"),
    (Kind::ErrorAdded, "error-added"),
    (Kind::ErrorRemoved, "error-removed"),
    (Kind::ErrorRetyped, "error-retyped"),
    (Kind::PermissionAdded, "permission-added"),
    (Kind::PermissionRemoved, "permission-removed"),
    (Kind::PermissionKindChanged, "permission-kind-changed"),
    (Kind::ScopeAdded, "scope-added"),
    (Kind::ScopeRemoved, "scope-removed"),
    (Kind::Deprecated, "deprecated"),
    (Kind::Undeprecated, "undeprecated"),
    (Kind::PreviewAdded, "preview-added"),
    (Kind::PreviewRemoved, "preview-removed"),
    (Kind::ModelAdded, "model-added"),
    (Kind::ModelRemoved, "model-removed"),
    (Kind::InlineTypeAdded, "inline-type-added"),
    (Kind::InlineTypeRemoved, "inline-type-removed"),
    (Kind::ModelRenamed, "model-renamed"),
    (Kind::ModelKindChanged, "model-kind-changed"),
    (Kind::AliasRetyped, "alias-retyped"),
    (Kind::FieldAdded, "field-added"),
    (Kind::FieldRemoved, "field-removed"),
    (Kind::FieldRetyped, "field-retyped"),
    (Kind::FieldRequired, "field-required"),
    (Kind::FieldOptional, "field-optional"),
    (Kind::FieldRenamed, "field-renamed"),
    (Kind::FieldReadOnly, "field-read-only"),
    (Kind::FieldWritable, "field-writable"),
    (Kind::ConstructorChanged, "constructor-changed"),
    (Kind::EnumValueAdded, "enum-value-added"),
    (Kind::EnumValueRemoved, "enum-value-removed"),
    (Kind::EnumVariantRenamed, "enum-variant-renamed"),
    (Kind::TraitAdded, "trait-added"),
    (Kind::TraitRemoved, "trait-removed"),
];

/// Compares two named APIs.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut changes = compare::changes(old, new);
    changes.sort();
    let mut summary = Summary::default();
    let mut by_kind: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    for change in &changes {
        let entry = by_kind.entry(change.kind).or_default();
        if change.breaking {
            summary.breaking += 1;
            entry.0 += 1;
        } else {
            summary.non_breaking += 1;
            entry.1 += 1;
        }
    }
    summary.by_kind = by_kind
        .into_iter()
        .map(|(kind, (breaking, non_breaking))| KindCount {
            kind,
            breaking,
            non_breaking,
        })
        .collect();
    // Only needed to tell `patch` from `none`, so only computed when nothing is listed.
    let other_differences = changes.is_empty() && compare::differs_otherwise(old, new);
    let bump = match changes.iter().map(|c| c.bump).max() {
        Some(bump) => bump,
        None if other_differences => Bump::Patch,
        None => Bump::None,
    };
    Report {
        format: FORMAT,
        from: String::new(),
        to: String::new(),
        bump,
        other_differences,
        summary,
        changes,
    }
}

/// The report as pretty-printed JSON, ending with a newline.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serializes");
    text.push('\n');
    text
}

/// The version after `bump`, the way Cargo reads semver (see the module docs). Errors on a
/// version that is not `MAJOR.MINOR.PATCH`.
pub fn next_version(current: &str, bump: Bump) -> Result<String, String> {
    let parts: Vec<u64> = current
        .trim()
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{current:?} is not a MAJOR.MINOR.PATCH version"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("{current:?} is not a MAJOR.MINOR.PATCH version"));
    };
    let next = match (bump, major, minor) {
        (Bump::None, ..) => (major, minor, patch),
        (_, 0, 0) => (0, 0, patch + 1),
        (Bump::Major, 0, _) => (0, minor + 1, 0),
        (_, 0, _) => (0, minor, patch + 1),
        (Bump::Major, ..) => (major + 1, 0, 0),
        (Bump::Minor, ..) => (major, minor + 1, 0),
        (Bump::Patch, ..) => (major, minor, patch + 1),
    };
    Ok(format!("{}.{}.{}", next.0, next.1, next.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_semver() {
        let cases = [
            ("0.1.0", Bump::Major, "0.2.0"),
            ("0.1.3", Bump::Minor, "0.1.4"),
            ("0.1.3", Bump::Patch, "0.1.4"),
            ("0.1.3", Bump::None, "0.1.3"),
            ("0.0.3", Bump::Major, "0.0.4"),
            ("0.0.3", Bump::Minor, "0.0.4"),
            ("1.2.3", Bump::Major, "2.0.0"),
            ("1.2.3", Bump::Minor, "1.3.0"),
            ("1.2.3", Bump::Patch, "1.2.4"),
        ];
        for (from, bump, to) in cases {
            assert_eq!(next_version(from, bump).unwrap(), to, "{from} {bump:?}");
        }
        assert!(next_version("1.2", Bump::Minor).is_err());
        assert!(next_version("1.x.3", Bump::Minor).is_err());
    }

    #[test]
    fn kinds_are_named_as_they_serialize() {
        for kind in Kind::all() {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::String(kind.as_str().to_owned())
            );
        }
        let order: Vec<Kind> = Kind::all().collect();
        let mut sorted = order.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(order, sorted, "KIND_NAMES lists each kind once, in order");
    }

    #[test]
    fn reference_urls_follow_the_api_explorer_anchors() {
        assert_eq!(
            reference_url(Method::Get, "/api/v2/users/{userId}"),
            "https://developer.genesys.cloud/devapps/api-explorer#get-api-v2-users--userId-"
        );
    }
}
