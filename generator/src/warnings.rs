//! The warnings a maintainer reads: a spec directory's list of reviewed warnings, and the
//! summary `cargo xtask generate` prints.
//!
//! A spec directory may hold `reviewed-warnings.json`: per warning kind, the reason a
//! maintainer wrote for why the generator's repair is fine for that kind, and the warnings
//! reviewed (`public.json#/definitions/X/properties/y/default`, the file relative to the spec
//! directory). A diagnostic of a listed kind at a listed place is marked reviewed; the
//! summary shows only the others. Everything here is pure: `load` reads the file, xtask
//! writes it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{escape, Diagnostic, Error, ErrorKind, WarningKind};

/// The reviewed list's file name in a spec directory.
pub const FILE: &str = "reviewed-warnings.json";

/// How many warnings of one kind the summary shows.
pub const SHOWN_PER_KIND: usize = 3;

/// A spec directory's reviewed warnings (empty when it has no list yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reviewed {
    /// The spec directory: warnings are matched by their file relative to it.
    pub dir: PathBuf,
    /// Per kind, in kind order.
    pub kinds: BTreeMap<WarningKind, ReviewedKind>,
}

/// The reviewed warnings of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReviewedKind {
    /// Why the generator's repair is fine for this kind, written by a maintainer.
    pub reason: String,
    /// `file#pointer` of each reviewed warning, the file relative to the spec directory.
    pub warnings: Vec<String>,
}

/// What [`Reviewed::accept`] made of the current warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub list: Reviewed,
    /// Kinds new to the list, whose reason is empty: a maintainer must write one.
    pub without_reason: Vec<WarningKind>,
}

impl Reviewed {
    /// An empty list for the spec directory `dir`.
    pub fn empty(dir: impl Into<PathBuf>) -> Self {
        Reviewed {
            dir: dir.into(),
            kinds: BTreeMap::new(),
        }
    }

    /// The list in `value`, read from `file` in the spec directory `dir`; anything but the
    /// documented shape is an error at its pointer.
    pub fn parse(file: &str, dir: impl Into<PathBuf>, value: &Value) -> Result<Self, Error> {
        let invalid = |pointer: String, message: String| {
            Error::new(file, pointer, ErrorKind::Invalid { message })
        };
        let Value::Object(top) = value else {
            return Err(invalid(
                String::new(),
                "the reviewed warnings must be an object keyed by warning kind".into(),
            ));
        };
        let mut kinds = BTreeMap::new();
        for (id, entry) in top {
            let at = format!("/{}", escape(id));
            let kind = WarningKind::from_id(id).ok_or_else(|| {
                let known: Vec<&str> = WarningKind::ALL.iter().map(|k| k.id()).collect();
                invalid(
                    at.clone(),
                    format!(
                        "unknown warning kind {id:?} (expected one of {})",
                        known.join(", ")
                    ),
                )
            })?;
            let Value::Object(entry) = entry else {
                return Err(invalid(
                    at,
                    "expected an object with `reason` and `warnings`".into(),
                ));
            };
            if let Some(key) = entry
                .keys()
                .find(|k| !["reason", "warnings"].contains(&k.as_str()))
            {
                return Err(invalid(
                    format!("{at}/{}", escape(key)),
                    format!("unknown member {key:?} (expected `reason` and `warnings`)"),
                ));
            }
            let reason = match entry.get("reason") {
                Some(Value::String(reason)) => reason.clone(),
                Some(_) => return Err(invalid(format!("{at}/reason"), "expected a string".into())),
                None => return Err(invalid(at, "`reason` is missing".into())),
            };
            let Some(Value::Array(list)) = entry.get("warnings") else {
                return Err(invalid(
                    format!("{at}/warnings"),
                    "expected a list of \"file#pointer\" strings".into(),
                ));
            };
            let mut warnings = Vec::new();
            for (i, item) in list.iter().enumerate() {
                match item.as_str() {
                    Some(place) if place.contains('#') => warnings.push(place.to_owned()),
                    _ => {
                        return Err(invalid(
                            format!("{at}/warnings/{i}"),
                            format!(
                                "expected a \"file#pointer\" string (public.json#/definitions/X), found {item}"
                            ),
                        ))
                    }
                }
            }
            kinds.insert(kind, ReviewedKind { reason, warnings });
        }
        Ok(Reviewed {
            dir: dir.into(),
            kinds,
        })
    }

    /// `file#pointer` of a diagnostic, the file relative to the spec directory (`None` for a
    /// file outside it).
    fn place(&self, d: &Diagnostic) -> Option<String> {
        let relative = Path::new(&d.file).strip_prefix(&self.dir).ok()?;
        let file = relative.to_string_lossy().replace('\\', "/");
        Some(format!("{file}#{}", d.pointer))
    }

    /// Marks the diagnostics the list holds (same kind, file and pointer) reviewed, and
    /// gives the listed entries that no longer occur (`kind file#pointer`).
    pub fn mark(&self, diagnostics: &mut [Diagnostic]) -> Vec<String> {
        let listed: BTreeSet<(WarningKind, &str)> = self
            .kinds
            .iter()
            .flat_map(|(kind, k)| k.warnings.iter().map(|w| (*kind, w.as_str())))
            .collect();
        let mut seen = BTreeSet::new();
        for d in diagnostics.iter_mut() {
            if let Some(place) = self.place(d) {
                if listed.contains(&(d.kind, place.as_str())) {
                    d.reviewed = true;
                    seen.insert((d.kind, place));
                }
            }
        }
        self.kinds
            .iter()
            .flat_map(|(kind, k)| k.warnings.iter().map(move |w| (*kind, w)))
            .filter(|(kind, w)| !seen.contains(&(*kind, (*w).clone())))
            .map(|(kind, w)| format!("{kind} {w}"))
            .collect()
    }

    /// The list the current warnings make: every warning (reviewed or not) under its kind,
    /// in the order found, each kind keeping its reason, a new kind with an empty one.
    pub fn accept(&self, diagnostics: &[Diagnostic]) -> Accepted {
        let mut kinds: BTreeMap<WarningKind, ReviewedKind> = BTreeMap::new();
        for d in diagnostics {
            let Some(place) = self.place(d) else {
                continue;
            };
            let entry = kinds.entry(d.kind).or_insert_with(|| ReviewedKind {
                reason: self
                    .kinds
                    .get(&d.kind)
                    .map(|k| k.reason.clone())
                    .unwrap_or_default(),
                warnings: Vec::new(),
            });
            if !entry.warnings.contains(&place) {
                entry.warnings.push(place);
            }
        }
        let without_reason = kinds
            .iter()
            .filter(|(_, k)| k.reason.trim().is_empty())
            .map(|(kind, _)| *kind)
            .collect();
        Accepted {
            list: Reviewed {
                dir: self.dir.clone(),
                kinds,
            },
            without_reason,
        }
    }

    /// The list as the file holds it: pretty JSON, kinds in kind order, with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.kinds)
            .expect("a map of kinds to strings always serializes");
        text.push('\n');
        text
    }
}

/// The lines the warnings are printed as. With `all`, every warning in full, reviewed ones
/// marked so. Otherwise only the unreviewed ones, per kind (in kind order): a header with
/// their count and the kind's description, then the first [`SHOWN_PER_KIND`] of them
/// (`file#pointer: message`, indented), the header saying how many are not shown.
pub fn summarize(diagnostics: &[Diagnostic], all: bool) -> Vec<String> {
    if all {
        return diagnostics.iter().map(ToString::to_string).collect();
    }
    let mut by_kind: BTreeMap<WarningKind, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| !d.reviewed) {
        by_kind.entry(d.kind).or_default().push(d);
    }
    let mut lines = Vec::new();
    for (kind, list) in by_kind {
        let hidden = list.len().saturating_sub(SHOWN_PER_KIND);
        let not_shown = if hidden > 0 {
            format!(", {hidden} not shown; --all-warnings lists them")
        } else {
            String::new()
        };
        lines.push(format!(
            "warning[{kind}] ({}{not_shown}): {}",
            list.len(),
            kind.description()
        ));
        for d in list.iter().take(SHOWN_PER_KIND) {
            lines.push(format!("  {}", d.location_and_message()));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diag(kind: WarningKind, file: &str, pointer: &str) -> Diagnostic {
        Diagnostic::new(kind, file, pointer, format!("problem at {pointer}"))
    }

    fn list(value: Value) -> Result<Reviewed, Error> {
        Reviewed::parse("spec/reviewed-warnings.json", "spec", &value)
    }

    #[test]
    fn a_kind_seen_many_times_is_one_header_and_three_examples() {
        let mut diags: Vec<Diagnostic> = (0..5)
            .map(|i| diag(WarningKind::EnumDefault, "a.json", &format!("/d/{i}")))
            .collect();
        diags.insert(
            2,
            diag(WarningKind::UnknownKeyword, "a.json", "/definitions/X/foo"),
        );
        let lines = summarize(&diags, false);
        assert_eq!(
            lines,
            [
                "warning[unknown-keyword] (1): non-standard schema keywords, dropped",
                "  a.json#/definitions/X/foo: problem at /definitions/X/foo",
                "warning[enum-default] (5, 2 not shown; --all-warnings lists them): defaults that are not one of their enum values, dropped",
                "  a.json#/d/0: problem at /d/0",
                "  a.json#/d/1: problem at /d/1",
                "  a.json#/d/2: problem at /d/2",
            ]
        );
    }

    #[test]
    fn a_kind_seen_up_to_three_times_shows_all_of_them_under_its_header() {
        let diags: Vec<Diagnostic> = (0..3)
            .map(|i| diag(WarningKind::NoSecurity, "a.json", &format!("/p/{i}")))
            .collect();
        let lines = summarize(&diags, false);
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[0],
            "warning[no-security] (3): operations with no security requirement, sent with credentials anyway"
        );
    }

    #[test]
    fn reviewed_warnings_are_left_out_of_the_summary_and_marked_in_the_full_list() {
        let mut reviewed = diag(WarningKind::EnumDefault, "a.json", "/d/0");
        reviewed.reviewed = true;
        let open = diag(WarningKind::EnumDefault, "a.json", "/d/1");
        let diags = [reviewed, open];
        assert_eq!(
            summarize(&diags, false),
            [
                "warning[enum-default] (1): defaults that are not one of their enum values, dropped",
                "  a.json#/d/1: problem at /d/1"
            ]
        );
        assert_eq!(
            summarize(&diags, true),
            [
                "warning[enum-default, reviewed]: a.json#/d/0: problem at /d/0",
                "warning[enum-default]: a.json#/d/1: problem at /d/1",
            ]
        );
        assert!(summarize(&[], false).is_empty());
    }

    #[test]
    fn a_listed_warning_matches_by_kind_file_and_pointer() {
        let reviewed = list(json!({
            "enum-default": {
                "reason": "Genesys's defaults outside their enums are its own defect.",
                "warnings": ["public.json#/d/0", "overlays/billing.json#/d/1", "public.json#/gone"]
            }
        }))
        .unwrap();
        let mut diags = vec![
            diag(WarningKind::EnumDefault, "spec/public.json", "/d/0"),
            diag(
                WarningKind::EnumDefault,
                "spec/overlays/billing.json",
                "/d/1",
            ),
            // Same place, other kind; same kind, other file.
            diag(WarningKind::NoSecurity, "spec/public.json", "/d/0"),
            diag(
                WarningKind::EnumDefault,
                "spec/overlays/billing.json",
                "/d/0",
            ),
        ];
        let stale = reviewed.mark(&mut diags);
        let marked: Vec<bool> = diags.iter().map(|d| d.reviewed).collect();
        assert_eq!(marked, [true, true, false, false]);
        assert_eq!(stale, ["enum-default public.json#/gone"]);
    }

    #[test]
    fn accepting_keeps_reasons_and_leaves_new_kinds_without_one() {
        let reviewed = list(json!({
            "enum-default": { "reason": "kept", "warnings": ["public.json#/gone"] },
            "allof-cycle": { "reason": "dropped with its kind", "warnings": [] }
        }))
        .unwrap();
        let diags = [
            diag(WarningKind::NoSecurity, "spec/public.json", "/p/0"),
            diag(WarningKind::EnumDefault, "spec/public.json", "/d/0"),
            diag(WarningKind::EnumDefault, "spec/public.json", "/d/0"),
        ];
        let accepted = reviewed.accept(&diags);
        assert_eq!(accepted.without_reason, [WarningKind::NoSecurity]);
        assert_eq!(
            accepted.list.to_json(),
            "{\n  \"no-security\": {\n    \"reason\": \"\",\n    \"warnings\": [\n      \"public.json#/p/0\"\n    ]\n  },\n  \"enum-default\": {\n    \"reason\": \"kept\",\n    \"warnings\": [\n      \"public.json#/d/0\"\n    ]\n  }\n}\n"
        );
        // What it writes reads back as the same list.
        let text: Value = serde_json::from_str(&accepted.list.to_json()).unwrap();
        assert_eq!(list(text).unwrap(), accepted.list);
    }

    #[test]
    fn a_malformed_list_is_an_error_at_its_pointer() {
        let cases = [
            (json!([]), "spec/reviewed-warnings.json#: "),
            (
                json!({"enum-defaults": {"reason": "", "warnings": []}}),
                "spec/reviewed-warnings.json#/enum-defaults: unknown warning kind",
            ),
            (
                json!({"enum-default": "x"}),
                "spec/reviewed-warnings.json#/enum-default: expected an object",
            ),
            (
                json!({"enum-default": {"reason": 1, "warnings": []}}),
                "spec/reviewed-warnings.json#/enum-default/reason: expected a string",
            ),
            (
                json!({"enum-default": {"warnings": []}}),
                "spec/reviewed-warnings.json#/enum-default: `reason` is missing",
            ),
            (
                json!({"enum-default": {"reason": ""}}),
                "spec/reviewed-warnings.json#/enum-default/warnings: expected a list",
            ),
            (
                json!({"enum-default": {"reason": "", "warnings": ["public.json", 3]}}),
                "spec/reviewed-warnings.json#/enum-default/warnings/0: expected a \"file#pointer\"",
            ),
            (
                json!({"enum-default": {"reason": "", "warnings": [], "why": ""}}),
                "spec/reviewed-warnings.json#/enum-default/why: unknown member",
            ),
        ];
        for (value, expected) in cases {
            let err =
                list(value.clone())
                    .unwrap_err()
                    .to_string()
                    .replacen("invalid structure: ", "", 1);
            assert!(err.starts_with(expected), "{value}: {err}");
        }
    }

    #[test]
    fn every_kind_has_a_distinct_kebab_case_id_that_reads_back() {
        let mut ids = BTreeSet::new();
        for kind in WarningKind::ALL {
            let id = kind.id();
            assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            assert!(ids.insert(id), "{id} twice");
            assert_eq!(WarningKind::from_id(id), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(id));
            assert!(!kind.description().is_empty());
        }
    }
}
