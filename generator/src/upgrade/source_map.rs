//! Stage 2, upgrade: the [`SourceMap`], which takes a pointer into the upgraded OpenAPI 3
//! document back to the source document and the file it came from.
//!
//! The converter records here where it moved parameters and bodies; later stages only read
//! it, to report warnings and errors in source coordinates. It must not read files or
//! change the document.

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Error, ErrorKind, WarningKind};
use crate::load::Source;

/// Maps pointers in the upgraded OpenAPI 3 document back to the source document and file.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    swagger2: bool,
    /// OAS3 pointer prefix -> source pointer prefix, for moved parameters and bodies.
    moved: BTreeMap<String, String>,
    origins: BTreeMap<String, String>,
    file: String,
}

impl SourceMap {
    /// A map for `source`, which is Swagger 2.0 (its pointers are rewritten) when
    /// `swagger2`, else OpenAPI 3.0 (its pointers are the source's).
    pub(super) fn new(source: &Source, swagger2: bool) -> Self {
        SourceMap {
            swagger2,
            moved: BTreeMap::new(),
            origins: source.origins.clone(),
            file: source.file.clone(),
        }
    }

    /// A map with the same coordinates and no moves yet, for converting one part of the
    /// document on its own; [`SourceMap::take_moves`] takes its moves back.
    pub(super) fn for_part(&self) -> Self {
        SourceMap {
            swagger2: self.swagger2,
            moved: BTreeMap::new(),
            origins: self.origins.clone(),
            file: self.file.clone(),
        }
    }

    /// Records that what is at `oas` (and below) in the upgraded document came from
    /// `source` in the source document.
    pub(super) fn record_move(&mut self, oas: String, source: String) {
        self.moved.insert(oas, source);
    }

    /// Takes in the moves a part's map recorded.
    pub(super) fn take_moves(&mut self, part: SourceMap) {
        self.moved.extend(part.moved);
    }

    /// The file and source pointer for a pointer into the upgraded document.
    pub fn locate(&self, oas: &str) -> (String, String) {
        let pointer = if self.swagger2 {
            self.to_swagger(oas)
        } else {
            oas.to_owned()
        };
        let file = file_for(&self.origins, &self.file, &pointer).to_owned();
        (file, pointer)
    }

    /// A warning at a pointer that is already in source coordinates (found while reading the
    /// source document), attributed to the file that pointer came from.
    pub fn diagnostic_at_source(
        &self,
        kind: WarningKind,
        pointer: &str,
        message: String,
    ) -> Diagnostic {
        let file = file_for(&self.origins, &self.file, pointer);
        Diagnostic::new(kind, file, pointer, message)
    }

    /// A `$ref` target as the source document spells it.
    pub fn source_ref(&self, target: &str) -> String {
        if self.swagger2 {
            target.replacen("#/components/schemas/", "#/definitions/", 1)
        } else {
            target.to_owned()
        }
    }

    /// An error at a pointer of the upgraded document, reported in source coordinates.
    pub fn error(&self, oas: &str, kind: ErrorKind) -> Error {
        let kind = match kind {
            ErrorKind::UnresolvedRef { target } => ErrorKind::UnresolvedRef {
                target: self.source_ref(&target),
            },
            other => other,
        };
        let (file, pointer) = self.locate(oas);
        Error {
            file,
            pointer,
            kind: Box::new(kind),
        }
    }

    /// An error at a pointer that is already in source coordinates (found while reading the
    /// source document), attributed to the file that pointer came from.
    pub fn error_at_source(&self, pointer: &str, kind: ErrorKind) -> Error {
        Error {
            file: file_for(&self.origins, &self.file, pointer).to_owned(),
            pointer: pointer.to_owned(),
            kind: Box::new(kind),
        }
    }

    fn to_swagger(&self, oas: &str) -> String {
        let mut prefix = oas;
        loop {
            if let Some(source) = self.moved.get(prefix) {
                return format!("{source}{}", &oas[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(0) | None => break,
                Some(i) => prefix = &prefix[..i],
            }
        }
        let mut segments: Vec<&str> = oas.split('/').skip(1).collect();
        if segments.len() >= 2 && segments[0] == "components" {
            let replacement = match segments[1] {
                "schemas" => "definitions",
                "securitySchemes" => "securityDefinitions",
                other => other,
            };
            segments.splice(0..2, [replacement]);
        }
        // Response schemas move from `responses/200/schema` to `responses/200/content/{mt}/schema`.
        let mut i = 0;
        while i + 3 < segments.len() {
            if segments[i] == "responses" && segments[i + 2] == "content" {
                segments.drain(i + 2..i + 4);
            }
            i += 1;
        }
        segments.iter().map(|s| format!("/{s}")).collect()
    }
}

/// The file a source pointer came from: the origin recorded for its longest prefix, else
/// `default` (the definition's own file).
fn file_for<'a>(origins: &'a BTreeMap<String, String>, default: &'a str, pointer: &str) -> &'a str {
    let mut prefix = pointer;
    loop {
        if let Some(file) = origins.get(prefix) {
            return file;
        }
        match prefix.rfind('/') {
            Some(0) | None => return default,
            Some(i) => prefix = &prefix[..i],
        }
    }
}
