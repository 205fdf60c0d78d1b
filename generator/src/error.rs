//! Errors and warnings, each naming the file and the JSON pointer (RFC 6901) it is about.
//!
//! Spec input never panics: fatal problems are an [`Error`]; problems the generator can work
//! around are a [`Diagnostic`] that says what it did.

use std::fmt;

/// A fatal problem with the input, the templates or the output directory.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {kind}", location(.pointer, .kind))]
pub struct Error {
    /// The file the problem is in (as given on the command line).
    pub file: String,
    /// JSON pointer inside `file`, without the leading `#`: empty for the document itself
    /// (shown `file#`), and for problems with the file rather than its content (unreadable,
    /// a syntax error, a template or a write: shown without a pointer).
    pub pointer: String,
    /// Boxed: errors are rare, and a small `Result` keeps the happy path lean.
    pub kind: Box<ErrorKind>,
}

/// The pointer as the message shows it: `#/a/b`, `#` for the document itself, nothing when
/// the problem is with the file rather than a place in its content.
fn location(pointer: &str, kind: &ErrorKind) -> String {
    if pointer.is_empty() && kind.is_about_the_file() {
        String::new()
    } else {
        format!("#{pointer}")
    }
}

/// The note on an undeclared path parameter that is declared in another location.
fn declared_in(elsewhere: &Option<String>) -> String {
    match elsewhere {
        Some(location) => format!(" (it is declared in {location}, not in path)"),
        None => String::new(),
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("cannot read: {0}")]
    Io(#[source] std::io::Error),
    #[error("syntax error at line {line} column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("unsupported spec version {found:?} (expected swagger 2.0 or openapi 3.0.x)")]
    UnsupportedVersion { found: String },
    #[error("unresolved $ref {target:?}")]
    UnresolvedRef { target: String },
    #[error("duplicate operationId {id:?} (first used at #{first})")]
    DuplicateOperationId { id: String, first: String },
    #[error("unbalanced braces in path template {path:?}")]
    UnbalancedPath { path: String },
    #[error("path parameter {name:?} of the path template is not declared{}", declared_in(.elsewhere))]
    UndeclaredPathParam {
        name: String,
        /// Where a parameter of that name is declared instead (`query`), if anywhere.
        elsewhere: Option<String>,
    },
    #[error("duplicate parameter {name:?} in {location} (first declared at #{first})")]
    DuplicateParameter {
        name: String,
        location: String,
        first: String,
    },
    #[error("cycle of aliases {chain}: a type alias cannot name itself, even through a list or a map (give one of them properties)")]
    AliasCycle { chain: String },
    #[error("{what} redefines {other}")]
    Redefined { what: String, other: String },
    #[error("invalid structure: {message}")]
    Invalid { message: String },
    #[error("unsupported: {what}")]
    Unsupported { what: String },
    #[error("template {template} failed: {message}")]
    Template { template: String, message: String },
    #[error("template {template} produced invalid Rust for {item} at line {line} column {column}: {message} (raw output in {dump})")]
    InvalidRust {
        template: String,
        item: String,
        line: usize,
        column: usize,
        message: String,
        dump: String,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl ErrorKind {
    /// Whether the problem is with the file itself (it cannot be read, parsed or written,
    /// or it is a template), so no place in a document's content is involved.
    fn is_about_the_file(&self) -> bool {
        matches!(
            self,
            ErrorKind::Io(_)
                | ErrorKind::Syntax { .. }
                | ErrorKind::Template { .. }
                | ErrorKind::InvalidRust { .. }
                | ErrorKind::Write { .. }
        )
    }
}

impl Error {
    /// An error at `pointer` in `file`.
    pub fn new(file: &str, pointer: impl Into<String>, kind: ErrorKind) -> Self {
        Error {
            file: file.to_owned(),
            pointer: pointer.into(),
            kind: Box::new(kind),
        }
    }
}

/// What kind of workable defect a [`Diagnostic`] is: one kind per distinct warning, each with
/// a stable kebab-case id (what `spec/reviewed-warnings.json` and the summaries name) and a
/// one-line description of the defect and of what the generator does about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A schema keyword neither OpenAPI nor Swagger defines (and no known vendor keyword).
    UnknownKeyword,
    /// A `format` that cannot hold for the schema's or parameter's `type`.
    FormatMismatch,
    /// A response without the `description` both specifications require.
    MissingDescription,
    /// An operation without any response.
    NoResponses,
    /// A `collectionFormat` the parameter's location cannot use.
    CollectionFormat,
    /// An operation without an `operationId`.
    MissingOperationId,
    /// A cookie parameter, which the client cannot send.
    CookieParameter,
    /// A path parameter whose name the path template does not contain.
    UnusedPathParameter,
    /// A parameter typed as an object, which a URL or a header cannot carry.
    ObjectParameter,
    /// An `x-inin-requires-permissions` type other than ANY or ALL.
    PermissionType,
    /// An operation with no security requirement at all (neither its own nor the document's).
    NoSecurity,
    /// A security requirement naming a scheme `securityDefinitions` does not declare.
    UndeclaredScheme,
    /// An `allOf` that reaches itself again.
    AllOfCycle,
    /// A `default` that is not one of the schema's `enum` values.
    EnumDefault,
    /// Two names that become the same Rust identifier.
    NameCollision,
}

impl WarningKind {
    /// Every kind, in the order summaries list them.
    pub const ALL: [WarningKind; 15] = [
        WarningKind::UnknownKeyword,
        WarningKind::FormatMismatch,
        WarningKind::MissingDescription,
        WarningKind::NoResponses,
        WarningKind::CollectionFormat,
        WarningKind::MissingOperationId,
        WarningKind::CookieParameter,
        WarningKind::UnusedPathParameter,
        WarningKind::ObjectParameter,
        WarningKind::PermissionType,
        WarningKind::NoSecurity,
        WarningKind::UndeclaredScheme,
        WarningKind::AllOfCycle,
        WarningKind::EnumDefault,
        WarningKind::NameCollision,
    ];

    /// The stable kebab-case id (`enum-default`).
    pub fn id(self) -> &'static str {
        match self {
            WarningKind::UnknownKeyword => "unknown-keyword",
            WarningKind::FormatMismatch => "format-mismatch",
            WarningKind::MissingDescription => "missing-description",
            WarningKind::NoResponses => "no-responses",
            WarningKind::CollectionFormat => "collection-format",
            WarningKind::MissingOperationId => "missing-operation-id",
            WarningKind::CookieParameter => "cookie-parameter",
            WarningKind::UnusedPathParameter => "unused-path-parameter",
            WarningKind::ObjectParameter => "object-parameter",
            WarningKind::PermissionType => "permission-type",
            WarningKind::NoSecurity => "no-security",
            WarningKind::UndeclaredScheme => "undeclared-scheme",
            WarningKind::AllOfCycle => "allof-cycle",
            WarningKind::EnumDefault => "enum-default",
            WarningKind::NameCollision => "name-collision",
        }
    }

    /// The kind whose id is `id`.
    pub fn from_id(id: &str) -> Option<WarningKind> {
        WarningKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// One line: the defect, and what the generator does about it.
    pub fn description(self) -> &'static str {
        match self {
            WarningKind::UnknownKeyword => "non-standard schema keywords, dropped",
            WarningKind::FormatMismatch => {
                "formats that cannot hold for their type, typed by the type alone"
            }
            WarningKind::MissingDescription => {
                "responses without a description, given their status's reason phrase"
            }
            WarningKind::NoResponses => "operations without responses, treated as 200 with no body",
            WarningKind::CollectionFormat => {
                "collection formats a parameter's location cannot use, sent comma separated"
            }
            WarningKind::MissingOperationId => {
                "operations without an operationId, named from their method and path"
            }
            WarningKind::CookieParameter => "cookie parameters, left out",
            WarningKind::UnusedPathParameter => {
                "path parameters the path template does not name, left out"
            }
            WarningKind::ObjectParameter => "parameters that carry an object, typed as a string",
            WarningKind::PermissionType => "permission types other than ANY or ALL, treated as ANY",
            WarningKind::NoSecurity => {
                "operations with no security requirement, sent with credentials anyway"
            }
            WarningKind::UndeclaredScheme => {
                "security schemes not declared in securityDefinitions, kept as bearer token schemes"
            }
            WarningKind::AllOfCycle => "allOf cycles, the repeated part skipped",
            WarningKind::EnumDefault => "defaults that are not one of their enum values, dropped",
            WarningKind::NameCollision => {
                "names that collide after case conversion, later ones numbered"
            }
        }
    }
}

/// Serialized as its id.
impl serde::Serialize for WarningKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A problem the generator worked around, with what it did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub kind: WarningKind,
    pub file: String,
    pub pointer: String,
    /// What is wrong and what the generator did about it.
    pub message: String,
    /// A second place involved (the other side of a name collision).
    pub related: Option<String>,
    /// Whether a maintainer reviewed it: the spec directory's `reviewed-warnings.json`
    /// lists it (see [`crate::warnings`]).
    pub reviewed: bool,
}

impl Diagnostic {
    /// A warning of `kind` at `pointer` in `file`, not reviewed.
    pub fn new(
        kind: WarningKind,
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            kind,
            file: file.into(),
            pointer: pointer.into(),
            message: message.into(),
            related: None,
            reviewed: false,
        }
    }

    /// `file#pointer: message (see also #related)`, without the `warning` prefix.
    pub fn location_and_message(&self) -> String {
        let mut out = format!("{}#{}: {}", self.file, self.pointer, self.message);
        if let Some(related) = &self.related {
            out.push_str(&format!(" (see also #{related})"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reviewed = if self.reviewed { ", reviewed" } else { "" };
        write!(
            f,
            "warning[{}{reviewed}]: {}",
            self.kind,
            self.location_and_message()
        )
    }
}

/// Collected warnings, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    pub file: String,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file: &str) -> Self {
        Diagnostics {
            file: file.to_owned(),
            items: Vec::new(),
        }
    }

    /// Records a warning of `kind` at `pointer`.
    pub fn warn(
        &mut self,
        kind: WarningKind,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.items
            .push(Diagnostic::new(kind, self.file.clone(), pointer, message));
    }
}

/// Escapes one JSON pointer segment (RFC 6901: `~` -> `~0`, `/` -> `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins segments into a pointer (`/paths/~1api~1v2/get`).
pub fn pointer(segments: &[&str]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(&escape(segment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_itself_is_shown_as_the_root_pointer_and_a_file_problem_without_one() {
        let invalid = ErrorKind::Invalid {
            message: "the definition must be a JSON object".into(),
        };
        assert_eq!(
            Error::new("spec.json", "", invalid).to_string(),
            "spec.json#: invalid structure: the definition must be a JSON object"
        );
        let missing = ErrorKind::UnresolvedRef {
            target: "#/definitions/X".into(),
        };
        assert!(Error::new("spec.json", "/paths", missing)
            .to_string()
            .starts_with("spec.json#/paths: "));
        let syntax = ErrorKind::Syntax {
            line: 1,
            column: 2,
            message: "eof".into(),
        };
        assert!(Error::new("spec.json", "", syntax)
            .to_string()
            .starts_with("spec.json: syntax error at line 1 column 2"));
    }
}
