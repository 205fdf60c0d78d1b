//! Stage 1, load: reads the definition (one JSON or YAML file, or a spec directory holding
//! `public.json` and `overlays/*`) into a JSON value, merging overlays.
//!
//! This is the only stage that reads files. It knows nothing of OpenAPI beyond the top-level
//! keys it merges.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{escape, Error, ErrorKind};

/// A loaded definition: the merged document and where each part of it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file errors are reported against when no overlay is involved.
    pub file: String,
    /// The merged document.
    pub doc: Value,
    /// Every input file with its sha256, in load order.
    pub inputs: Vec<Input>,
    /// Pointer prefixes (`/paths/~1x/get`, `/definitions/X`) that came from an overlay file.
    pub origins: BTreeMap<String, String>,
    /// A spec directory's `VERSION`: the generated crate's version.
    pub version: Option<String>,
    /// A spec directory's `CHANGELOG.md`, copied into the generated crate.
    pub changelog: Option<String>,
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
        let (doc, input) = read_document(path)?;
        Ok(Source {
            file: input.file.clone(),
            doc,
            inputs: vec![input],
            origins: BTreeMap::new(),
            version: None,
            changelog: None,
        })
    }
}

fn load_dir(dir: &Path) -> Result<Source, Error> {
    let public = dir.join("public.json");
    let (mut doc, input) = read_document(&public)?;
    let mut source = Source {
        file: input.file.clone(),
        doc: Value::Null,
        inputs: vec![input],
        origins: BTreeMap::new(),
        version: read_version(&dir.join("VERSION"))?,
        changelog: read_optional(&dir.join("CHANGELOG.md"))?,
    };
    for overlay in overlay_files(&dir.join("overlays"))? {
        let (overlay_doc, input) = read_document(&overlay)?;
        merge_overlay(&mut doc, overlay_doc, &input.file, &mut source)?;
        source.inputs.push(input);
    }
    source.doc = doc;
    Ok(source)
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
        return Err(Error::new(
            &path.display().to_string(),
            "",
            ErrorKind::Invalid {
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
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::new(&file, "", ErrorKind::Io(e)))?;
    // The hash (for the preamble) is taken while the text is parsed.
    let (doc, sha256) = rayon::join(|| parse(&file, &bytes), || hex(&Sha256::digest(&bytes)));
    Ok((doc?, Input { file, sha256 }))
}

/// Parses JSON, or YAML when the file name says so or the text does not start like JSON.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Value, Error> {
    let is_yaml = file.ends_with(".yaml") || file.ends_with(".yml");
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if !is_yaml || first == Some(b'{') {
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
        serde_yaml::from_slice(bytes).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            Error::new(
                file,
                "",
                ErrorKind::Syntax {
                    line,
                    column,
                    message: e.to_string(),
                },
            )
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
