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

/// A problem the generator worked around, with what it did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub pointer: String,
    /// What is wrong and what the generator did about it.
    pub message: String,
    /// A second place involved (the other side of a name collision).
    pub related: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: {}#{}: {}",
            self.file, self.pointer, self.message
        )?;
        if let Some(related) = &self.related {
            write!(f, " (see also #{related})")?;
        }
        Ok(())
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

    /// Records a warning at `pointer`.
    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic {
            file: self.file.clone(),
            pointer: pointer.into(),
            message: message.into(),
            related: None,
        });
    }

    /// Records a warning that involves two places.
    pub fn warn_pair(
        &mut self,
        pointer: impl Into<String>,
        related: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.items.push(Diagnostic {
            file: self.file.clone(),
            pointer: pointer.into(),
            message: message.into(),
            related: Some(related.into()),
        });
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
