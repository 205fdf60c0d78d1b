//! Stage 2, upgrade: decoding the upgraded JSON into `openapiv3` types, in parallel for the
//! paths and schemas, with a failure reported at the pointer that failed.
//!
//! It decodes only; it must not rewrite the document (the converter and the normaliser do
//! that before), warn, or read files.

use serde_json::{Map, Value};

use super::SourceMap;
use crate::error::{escape, Error, ErrorKind};

/// Deserializes into `openapiv3`, reporting the failing pointer. Paths and schemas (nearly
/// all of a Genesys definition) are deserialized in parallel, each on its own.
pub(super) fn deserialize(doc: Value, map: &SourceMap) -> Result<openapiv3::OpenAPI, Error> {
    let mut rest = doc;
    let paths = take_object(&mut rest, &["paths"]);
    let schemas = take_object(&mut rest, &["components", "schemas"]);
    Converted {
        paths: decode_each(paths, "/paths", map)?,
        schemas: decode_each(schemas, "/components/schemas", map)?,
        rest,
    }
    .assemble(map)
}

/// Decodes the members of a map in parallel, each freed as soon as it is decoded, which
/// keeps the peak near one copy; `prefix` is the map's pointer.
fn decode_each<T: serde::de::DeserializeOwned + Send>(
    members: Map<String, Value>,
    prefix: &str,
    map: &SourceMap,
) -> Result<Vec<(String, T)>, Error> {
    use rayon::prelude::*;
    let members: Vec<(String, Value)> = members.into_iter().collect();
    members
        .into_par_iter()
        .map(|(key, value)| {
            let decoded = decode(&value, &format!("{prefix}/{}", escape(&key)), map)?;
            drop(value);
            Ok((key, decoded))
        })
        .collect()
}

/// Removes and returns the object at `path` (empty when absent or not an object; a
/// non-object is left for the whole-document decode to report).
fn take_object(doc: &mut Value, path: &[&str]) -> Map<String, Value> {
    let mut at = &mut *doc;
    for key in path {
        match at.get_mut(*key) {
            Some(next) => at = next,
            None => return Map::new(),
        }
    }
    match at {
        Value::Object(map) => std::mem::take(map),
        _ => Map::new(),
    }
}

/// Decodes one part of the document; on failure, finds the failing pointer below `base`.
pub(super) fn decode<T: serde::de::DeserializeOwned>(
    value: &Value,
    base: &str,
    map: &SourceMap,
) -> Result<T, Error> {
    match T::deserialize(value) {
        Ok(decoded) => Ok(decoded),
        Err(first) => {
            let (pointer, message) = match serde_path_to_error::deserialize::<_, T>(value).err() {
                Some(err) => {
                    let mut pointer = base.to_owned();
                    for segment in err.path().iter() {
                        use serde_path_to_error::Segment;
                        match segment {
                            Segment::Map { key } => pointer.push_str(&format!("/{}", escape(key))),
                            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                            Segment::Enum { variant } => {
                                pointer.push_str(&format!("/{}", escape(variant)))
                            }
                            Segment::Unknown => {}
                        }
                    }
                    (pointer, err.into_inner().to_string())
                }
                None => (base.to_owned(), first.to_string()),
            };
            Err(map.error(&pointer, ErrorKind::Invalid { message }))
        }
    }
}

/// A document decoded but for its top level: everything but the paths and schemas as
/// JSON, and those decoded. The Swagger 2.0 converter gives one, decoding each path and
/// schema in the job that converted it; [`deserialize`] makes one from OpenAPI 3.0 JSON.
pub(super) struct Converted {
    pub(super) rest: Value,
    pub(super) paths: Vec<(String, openapiv3::ReferenceOr<openapiv3::PathItem>)>,
    pub(super) schemas: Vec<(String, openapiv3::ReferenceOr<openapiv3::Schema>)>,
}

impl Converted {
    /// Decodes the rest and puts the decoded paths and schemas in it.
    pub(super) fn assemble(self, map: &SourceMap) -> Result<openapiv3::OpenAPI, Error> {
        let mut api: openapiv3::OpenAPI = decode(&self.rest, "", map)?;
        api.paths.paths = self.paths.into_iter().collect();
        if !self.schemas.is_empty() {
            api.components.get_or_insert_with(Default::default).schemas =
                self.schemas.into_iter().collect();
        }
        Ok(api)
    }
}
