//! Stage 1, load: reads the definition (one JSON or YAML file, or a spec directory holding
//! `public.json` and `overlays/*`) into a [`Document`], merging overlays.
//!
//! This is the only stage that reads files. It knows nothing of OpenAPI beyond the top-level
//! keys it merges and splits.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{escape, Error, ErrorKind};
use crate::warnings::{self, Reviewed};

/// A loaded definition: the merged document and where each part of it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file errors are reported against when no overlay is involved.
    pub file: String,
    /// The merged document.
    pub doc: Document,
    /// Every input file with its sha256, in load order.
    pub inputs: Vec<Input>,
    /// Pointer prefixes (`/paths/~1x/get`, `/definitions/X`) that came from an overlay file.
    pub origins: BTreeMap<String, String>,
    /// A spec directory's `VERSION`: the generated crate's version.
    pub version: Option<String>,
    /// A spec directory's `CHANGELOG.md`, copied into the generated crate.
    pub changelog: Option<String>,
    /// A spec directory's reviewed warnings (`reviewed-warnings.json`, empty when it has
    /// none); `None` for a definition file.
    pub reviewed: Option<Reviewed>,
}

/// A loaded document. The members of `paths` and `definitions`, nearly all of a Genesys
/// definition, are [`Part`]s: `upgrade` parses and converts each in its own parallel job and
/// drops it, and a part read from a JSON file stays text until then, so the whole document
/// never exists as one tree (for the 2025 definition that tree was 180 MB, built on one
/// core).
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The document, where `paths` and `definitions`, when objects, are left empty.
    pub rest: Value,
    /// The members of `paths`, in order.
    pub paths: Vec<(String, Part)>,
    /// The members of `definitions`, in order.
    pub definitions: Vec<(String, Part)>,
    /// The file `Part::Text` ranges point into, and its name for syntax errors.
    text: Arc<Vec<u8>>,
    file: String,
}

/// A member of `paths` or `definitions`.
#[derive(Debug, Clone)]
pub enum Part {
    /// Not parsed yet: a range of the document's text, already checked to be valid JSON.
    Text(Range<usize>),
    Value(Value),
}

/// The members split out of the document, by top-level key.
const SPLIT: [&str; 2] = ["paths", "definitions"];

impl Document {
    /// A document from a parsed value: its `paths` and `definitions` members become parts.
    pub fn from_value(mut rest: Value) -> Self {
        let [paths, definitions] = SPLIT.map(|key| match rest.get_mut(key) {
            Some(Value::Object(members)) => std::mem::take(members)
                .into_iter()
                .map(|(name, value)| (name, Part::Value(value)))
                .collect(),
            _ => Vec::new(),
        });
        Document {
            rest,
            paths,
            definitions,
            ..Default::default()
        }
    }

    /// A document from JSON text. The text is checked and its top level parsed, and the
    /// members of `paths` and `definitions` are kept as ranges of it. `None` when the text
    /// is not a JSON object (the caller parses it whole, which reports what is wrong).
    fn from_json(file: &str, bytes: Arc<Vec<u8>>) -> Option<Self> {
        use serde_json::value::RawValue;
        type Members<'a> = indexmap::IndexMap<String, &'a RawValue>;
        if first_byte(&bytes) != Some(b'{') {
            return None;
        }
        let top: Members<'_> = serde_json::from_slice(&bytes).ok()?;
        let offset = |raw: &RawValue| raw.get().as_ptr() as usize - bytes.as_ptr() as usize;
        let members = |key: &str| -> Option<Vec<(String, Part)>> {
            let raw = top.get(key).filter(|raw| raw.get().starts_with('{'))?;
            let base = offset(raw);
            let inner: Members<'_> = serde_json::from_str(raw.get()).ok()?;
            Some(
                inner
                    .into_iter()
                    .map(|(name, value)| {
                        let start =
                            base + (value.get().as_ptr() as usize - raw.get().as_ptr() as usize);
                        (name, Part::Text(start..start + value.get().len()))
                    })
                    .collect(),
            )
        };
        // The two maps are nearly all the text; each is scanned on its own core.
        let (paths, definitions) = rayon::join(|| members("paths"), || members("definitions"));
        let mut rest = Map::new();
        for (key, raw) in &top {
            let value = match (key.as_str(), &paths, &definitions) {
                ("paths", Some(_), _) | ("definitions", _, Some(_)) => Value::Object(Map::new()),
                _ => serde_json::from_str(raw.get()).ok()?,
            };
            rest.insert(key.clone(), value);
        }
        Some(Document {
            rest: Value::Object(rest),
            paths: paths.unwrap_or_default(),
            definitions: definitions.unwrap_or_default(),
            file: file.to_owned(),
            text: bytes,
        })
    }

    /// A part's value, parsing it if it is still text.
    pub fn value<'a>(&self, part: &'a Part) -> Result<Cow<'a, Value>, Error> {
        match part {
            Part::Value(value) => Ok(Cow::Borrowed(value)),
            Part::Text(range) => serde_json::from_slice(&self.text[range.clone()])
                .map(Cow::Owned)
                .map_err(|e| {
                    // Not expected (the text was checked), but reported where it is.
                    let before = &self.text[..range.start];
                    let lines = before.iter().filter(|&&b| b == b'\n').count();
                    let column = before.len()
                        - before
                            .iter()
                            .rposition(|&b| b == b'\n')
                            .map_or(0, |i| i + 1);
                    Error::new(
                        &self.file,
                        "",
                        ErrorKind::Syntax {
                            line: lines + e.line(),
                            column: if e.line() == 1 {
                                column + e.column()
                            } else {
                                e.column()
                            },
                            message: e.to_string(),
                        },
                    )
                }),
        }
    }

    /// The whole document as one value, the parts put back in place.
    pub fn into_value(mut self) -> Result<Value, Error> {
        let mut rest = std::mem::take(&mut self.rest);
        for (key, parts) in SPLIT.iter().zip([&self.paths, &self.definitions]) {
            if let Some(Value::Object(members)) = rest.get_mut(*key) {
                for (name, part) in parts {
                    members.insert(name.clone(), self.value(part)?.into_owned());
                }
            }
        }
        Ok(rest)
    }
}

/// One file read by `load`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub file: String,
    pub sha256: String,
}

impl Source {
    /// A combined sha256 of every input, for the generated crate's preamble. Files are
    /// named relative to the first one's directory (`public.json`, `overlays/billing.json`),
    /// so the fingerprint does not depend on where the checkout is.
    pub fn fingerprint(&self) -> String {
        if self.inputs.len() == 1 {
            return self.inputs[0].sha256.clone();
        }
        let base = Path::new(&self.inputs[0].file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut hasher = Sha256::new();
        // File names, not paths, so the fingerprint is the same wherever the spec lives.
        for input in &self.inputs {
            let path = Path::new(&input.file);
            let relative = path.strip_prefix(&base).unwrap_or(path);
            hasher.update(relative.to_string_lossy().replace('\\', "/").as_bytes());
            hasher.update(input.sha256.as_bytes());
        }
        hex(&hasher.finalize())
    }
}

/// Loads a definition file, or a spec directory (`public.json` plus `overlays/*.json|yaml`).
pub fn load(path: &Path) -> Result<Source, Error> {
    if path.is_dir() {
        load_dir(path)
    } else {
        let (doc, input) = read_definition(path)?;
        Ok(Source {
            file: input.file.clone(),
            doc,
            inputs: vec![input],
            origins: BTreeMap::new(),
            version: None,
            changelog: None,
            reviewed: None,
        })
    }
}

fn load_dir(dir: &Path) -> Result<Source, Error> {
    let public = dir.join("public.json");
    let (doc, input) = read_definition(&public)?;
    let overlays = overlay_files(&dir.join("overlays"))?;
    let mut source = Source {
        file: input.file.clone(),
        doc,
        inputs: vec![input],
        origins: BTreeMap::new(),
        version: read_version(&dir.join("VERSION"))?,
        changelog: read_optional(&dir.join("CHANGELOG.md"))?,
        reviewed: Some(read_reviewed(dir)?),
    };
    if overlays.is_empty() {
        return Ok(source);
    }
    let mut doc = std::mem::take(&mut source.doc).into_value()?;
    for overlay in overlays {
        let (overlay_doc, input) = read_document(&overlay)?;
        merge_overlay(&mut doc, overlay_doc, &input.file, &mut source)?;
        source.inputs.push(input);
    }
    source.doc = Document::from_value(doc);
    Ok(source)
}

/// The spec directory's reviewed warnings, empty when it has no list.
fn read_reviewed(dir: &Path) -> Result<Reviewed, Error> {
    let path = dir.join(warnings::FILE);
    if !path.exists() {
        return Ok(Reviewed::empty(dir));
    }
    let (value, input) = read_document(&path)?;
    Reviewed::parse(&input.file, dir, &value)
}

/// A file's text, or `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::new(
            &path.display().to_string(),
            "",
            ErrorKind::Io(e),
        )),
    }
}

/// `VERSION`: one `MAJOR.MINOR.PATCH` line.
fn read_version(path: &Path) -> Result<Option<String>, Error> {
    let Some(text) = read_optional(path)? else {
        return Ok(None);
    };
    let version = text.trim();
    let valid = version.split('.').count() == 3
        && version
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        // A text file, not a document: its problem is shown by line, like a syntax error.
        return Err(Error::new(
            &path.display().to_string(),
            "",
            ErrorKind::Syntax {
                line: 1,
                column: 1,
                message: format!("expected one MAJOR.MINOR.PATCH version line, found {version:?}"),
            },
        ));
    }
    Ok(Some(version.to_owned()))
}

fn overlay_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::new(&dir.display().to_string(), "", ErrorKind::Io(e)))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads and parses one JSON or YAML file, with line and column on syntax errors.
pub fn read_document(path: &Path) -> Result<(Value, Input), Error> {
    let (doc, input) = read_definition(path)?;
    Ok((doc.into_value()?, input))
}

/// Reads one JSON or YAML file into a [`Document`]: a JSON object's `paths` and
/// `definitions` members are left as text for `upgrade` to parse.
pub fn read_definition(path: &Path) -> Result<(Document, Input), Error> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::new(&file, "", ErrorKind::Io(e)))?;
    let bytes = Arc::new(bytes);
    let read = || match Document::from_json(&file, Arc::clone(&bytes)) {
        Some(doc) => Ok(doc),
        None => parse(&file, &bytes).map(Document::from_value),
    };
    // The hash (for the preamble) is taken while the text is parsed.
    let (doc, sha256) = rayon::join(read, || hex(&Sha256::digest(&bytes[..])));
    Ok((doc?, Input { file, sha256 }))
}

fn is_yaml(file: &str) -> bool {
    file.ends_with(".yaml") || file.ends_with(".yml")
}

fn first_byte(bytes: &[u8]) -> Option<u8> {
    bytes.iter().find(|b| !b.is_ascii_whitespace()).copied()
}

/// Parses JSON, or YAML when the file name says so or the text does not start like JSON.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Value, Error> {
    if !is_yaml(file) || first_byte(bytes) == Some(b'{') {
        serde_json::from_slice(bytes).map_err(|e| {
            Error::new(
                file,
                "",
                ErrorKind::Syntax {
                    line: e.line(),
                    column: e.column(),
                    message: e.to_string(),
                },
            )
        })
    } else {
        serde_yaml::from_slice(bytes).map_err(|e| match e.location() {
            Some(at) => Error::new(
                file,
                "",
                ErrorKind::Syntax {
                    line: at.line(),
                    column: at.column(),
                    message: e.to_string(),
                },
            ),
            // Limits on the document as a whole (an alias bomb's repetition limit) have no
            // position: they are about the document, at its root.
            None => Error::new(
                file,
                "",
                ErrorKind::Invalid {
                    message: format!("not readable as YAML: {e}"),
                },
            ),
        })
    }
}

/// Merges an overlay's `paths`, `definitions`, `tags` and `securityDefinitions` into `doc`;
/// an overlay may add but never redefine an operation or a definition.
fn merge_overlay(
    doc: &mut Value,
    overlay: Value,
    overlay_file: &str,
    source: &mut Source,
) -> Result<(), Error> {
    let base_file = source.file.clone();
    let Value::Object(overlay) = overlay else {
        return Err(Error::new(
            overlay_file,
            "",
            ErrorKind::Invalid {
                message: "an overlay must be an object".into(),
            },
        ));
    };
    let Some(root) = doc.as_object_mut() else {
        return Err(Error::new(
            &base_file,
            "",
            ErrorKind::Invalid {
                message: "the definition must be an object".into(),
            },
        ));
    };
    let ids = operation_ids(root);
    for (key, value) in overlay {
        match key.as_str() {
            "paths" => {
                let paths = object_entry(root, "paths");
                let Value::Object(overlay_paths) = value else {
                    return Err(invalid(overlay_file, "/paths", "`paths` must be an object"));
                };
                for (path, item) in overlay_paths {
                    let Value::Object(item) = item else {
                        return Err(invalid(
                            overlay_file,
                            &format!("/paths/{}", escape(&path)),
                            "a path item must be an object",
                        ));
                    };
                    let target = object_entry(paths, &path);
                    for (method, op) in item {
                        let pointer = format!("/paths/{}/{}", escape(&path), method);
                        if target.contains_key(&method) {
                            return Err(redefined(
                                overlay_file,
                                &pointer,
                                &format!("operation {} {path}", method.to_uppercase()),
                                &format!("{base_file}#{pointer}"),
                            ));
                        }
                        if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                            if let Some(first) = ids.get(id) {
                                return Err(redefined(
                                    overlay_file,
                                    &pointer,
                                    &format!("operationId {id:?}"),
                                    &format!("{base_file}#{first}"),
                                ));
                            }
                        }
                        source.origins.insert(pointer, overlay_file.to_owned());
                        target.insert(method, op);
                    }
                }
            }
            "definitions" | "securityDefinitions" => {
                let Value::Object(defs) = value else {
                    return Err(invalid(
                        overlay_file,
                        &format!("/{key}"),
                        "must be an object",
                    ));
                };
                let target = object_entry(root, &key);
                for (name, def) in defs {
                    let pointer = format!("/{key}/{}", escape(&name));
                    if key == "definitions" && target.contains_key(&name) {
                        return Err(redefined(
                            overlay_file,
                            &pointer,
                            &format!("definition {name:?}"),
                            &format!("{base_file}#{pointer}"),
                        ));
                    }
                    if !target.contains_key(&name) {
                        source.origins.insert(pointer, overlay_file.to_owned());
                        target.insert(name, def);
                    }
                }
            }
            "tags" => {
                let tags = root
                    .entry("tags")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let (Value::Array(tags), Value::Array(extra)) = (tags, value) {
                    for tag in extra {
                        let name = tag.get("name").cloned();
                        if !tags.iter().any(|t| t.get("name") == name.as_ref()) {
                            tags.push(tag);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn operation_ids(root: &Map<String, Value>) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if let Some(item) = item.as_object() {
                for (method, op) in item {
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        ids.entry(id.to_owned())
                            .or_insert_with(|| format!("/paths/{}/{method}", escape(path)));
                    }
                }
            }
        }
    }
    ids
}

fn object_entry<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let entry = map
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("just made an object")
}

fn invalid(file: &str, pointer: &str, message: &str) -> Error {
    Error::new(
        file,
        pointer,
        ErrorKind::Invalid {
            message: message.into(),
        },
    )
}

fn redefined(file: &str, pointer: &str, what: &str, other: &str) -> Error {
    Error::new(
        file,
        pointer,
        ErrorKind::Redefined {
            what: what.into(),
            other: other.into(),
        },
    )
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(text: &str) -> Document {
        Document::from_json("spec.json", Arc::new(text.as_bytes().to_vec())).expect("an object")
    }

    #[test]
    fn paths_and_definitions_stay_text_until_asked_for_and_read_back_whole() {
        let text = r#"{
            "swagger": "2.0",
            "paths": {"\/api\/v2\/a": {"get": {"operationId": "a\u00e9"}}, "/b": {}},
            "info": {"title": "T"},
            "definitions": {"A": {"type": "object"}, "B\"": {"enum": ["x"]}}
        }"#;
        let doc = from_json(text);
        let names =
            |parts: &[(String, Part)]| parts.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&doc.paths), ["/api/v2/a", "/b"]);
        assert_eq!(names(&doc.definitions), ["A", "B\""]);
        assert!(doc.paths.iter().all(|(_, p)| matches!(p, Part::Text(_))));
        assert_eq!(
            doc.value(&doc.paths[0].1).unwrap().into_owned(),
            serde_json::json!({"get": {"operationId": "aé"}})
        );
        // The top level keeps its order, with the split maps left empty in place.
        let keys: Vec<&String> = doc.rest.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["swagger", "paths", "info", "definitions"]);
        assert_eq!(doc.rest["paths"], serde_json::json!({}));
        let whole = parse("spec.json", text.as_bytes()).unwrap();
        assert_eq!(doc.clone().into_value().unwrap(), whole);
        assert_eq!(
            Document::from_value(whole).into_value().unwrap(),
            doc.into_value().unwrap()
        );
    }

    #[test]
    fn members_that_are_not_objects_are_left_in_place_for_upgrade_to_report() {
        let doc = from_json(r#"{"swagger": "2.0", "paths": [1], "definitions": null}"#);
        assert!(doc.paths.is_empty() && doc.definitions.is_empty());
        assert_eq!(doc.rest["paths"], serde_json::json!([1]));
        assert_eq!(doc.rest["definitions"], Value::Null);
    }

    #[test]
    fn text_that_is_not_an_object_is_parsed_whole_for_its_error() {
        assert!(Document::from_json("spec.json", Arc::new(b"[1, 2]".to_vec())).is_none());
        assert!(Document::from_json("spec.json", Arc::new(b"{\"a\": }".to_vec())).is_none());
        let dir = std::env::temp_dir().join(format!("load-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("broken.json");
        std::fs::write(&file, "{\n  \"paths\": {\n    \"/a\": {,}\n  }\n}\n").unwrap();
        let error = read_definition(&file).unwrap_err();
        match &*error.kind {
            ErrorKind::Syntax { line, column, .. } => {
                assert_eq!((*line, *column), (3, 12), "{error}")
            }
            other => panic!("unexpected error {other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
