//! Stage 2, upgrade: turns a Swagger 2.0 document into OpenAPI 3.0 (`openapiv3::OpenAPI`),
//! and passes OpenAPI 3.0.x through, so one lowering path serves both.
//!
//! Every `x-` vendor extension is kept. The [`SourceMap`] built here lets later stages report
//! problems at the pointer of the *source* document. This stage reads no files.
//!
//! [`upgrade`] checks the version and picks a path: `swagger2` converts (its `parameters`
//! converts parameters and bodies), `oas3` normalises, both with the schema and response
//! repairs of `repair` and the parameter checks of `params`; `decode` turns the JSON into `openapiv3` types; `source_map` holds
//! the [`SourceMap`].

mod decode;
mod oas3;
mod params;
mod repair;
mod source_map;
mod swagger2;

use serde_json::{Map, Value};

pub use source_map::SourceMap;

use crate::error::{Diagnostics, Error, ErrorKind};
use crate::load::Source;

/// Upgrades the loaded document to OpenAPI 3.0.
pub fn upgrade(
    source: &Source,
    diags: &mut Diagnostics,
) -> Result<(openapiv3::OpenAPI, SourceMap), Error> {
    let doc = &source.doc;
    let Some(root) = doc.rest.as_object() else {
        let message = "the definition must be a JSON object".into();
        return Err(Error::new(&source.file, "", ErrorKind::Invalid { message }));
    };
    match version(&source.file, root)? {
        Version::Swagger2 => {
            let mut map = SourceMap::new(source, true);
            let converted = swagger2::convert(doc, root, &mut map, diags)?;
            let api = converted.assemble(&map)?;
            Ok((api, map))
        }
        Version::OpenApi3 => {
            let map = SourceMap::new(source, false);
            let mut copy = doc.clone().into_value()?;
            params::check_oas3(&copy, &map, diags)?;
            oas3::normalize_oas3(&mut copy, &map, diags);
            let api = decode::deserialize(copy, &map)?;
            Ok((api, map))
        }
    }
}

/// The definition versions this stage reads.
enum Version {
    Swagger2,
    OpenApi3,
}

/// The version the document's top level declares; any other, or none, is an error.
fn version(file: &str, root: &Map<String, Value>) -> Result<Version, Error> {
    let unsupported = |pointer: &str, found: String| {
        Error::new(file, pointer, ErrorKind::UnsupportedVersion { found })
    };
    if let Some(version) = root.get("swagger") {
        return match version.as_str() {
            Some("2.0") => Ok(Version::Swagger2),
            _ => Err(unsupported("/swagger", display(version))),
        };
    }
    match root.get("openapi") {
        Some(version) if version.as_str().is_some_and(|v| v.starts_with("3.0")) => {
            Ok(Version::OpenApi3)
        }
        Some(version) => Err(unsupported("/openapi", display(version))),
        None => Err(unsupported(
            "",
            "none (no `swagger` or `openapi` key)".into(),
        )),
    }
}

/// A version value as the error shows it: a string's text, else its JSON.
fn display(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string())
}
