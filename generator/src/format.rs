//! Stage 6, format: validates every `.rs` file with `syn` and formats it with
//! `prettyplease`, then adds the `@generated` preamble (after formatting, since syn drops
//! comments). A template that produced invalid Rust is an error naming the template and
//! item, with the raw text dumped for inspection.

use rayon::prelude::*;

use crate::error::{Error, ErrorKind};
use crate::render::RenderedFile;

/// A file ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

/// Formats every file; `dump_dir` receives the raw text of a file that fails to parse.
pub fn format(
    files: Vec<RenderedFile>,
    preamble: &str,
    dump_dir: &std::path::Path,
) -> Result<Vec<OutputFile>, Error> {
    files
        .into_par_iter()
        .map(|file| format_one(file, preamble, dump_dir))
        .collect()
}

fn format_one(
    file: RenderedFile,
    preamble: &str,
    dump_dir: &std::path::Path,
) -> Result<OutputFile, Error> {
    if file.template == "runtime" {
        return Ok(OutputFile {
            path: file.path,
            contents: file.contents,
        });
    }
    if file.path.ends_with(".rs") {
        let (code, docs) = set_docs_aside(&file.contents);
        let formatted = syn::parse_file(&code)
            .ok()
            .and_then(|parsed| restore_docs(&prettyplease::unparse(&parsed), &docs));
        let formatted = match formatted {
            Some(formatted) => formatted,
            // The slow path: errors then point into the text as rendered.
            None => prettyplease::unparse(&parse_or_dump(&file, dump_dir)?),
        };
        return Ok(OutputFile {
            path: file.path,
            contents: format!("// {preamble}\n\n{formatted}"),
        });
    }
    let contents = tidy_text(&file.contents);
    let contents = if file.path.ends_with(".md") {
        format!("<!-- {preamble} -->\n\n{contents}")
    } else if file.path.ends_with(".toml") {
        format!("# {preamble}\n\n{contents}")
    } else {
        contents
    };
    Ok(OutputFile {
        path: file.path,
        contents,
    })
}

fn parse_or_dump(file: &RenderedFile, dump_dir: &std::path::Path) -> Result<syn::File, Error> {
    syn::parse_file(&file.contents).map_err(|e| {
        let (line, message) = locate(&file.contents).unwrap_or((1, e.to_string()));
        let dump = dump_dir.join(file.path.replace('/', "__"));
        let _ = std::fs::create_dir_all(dump_dir);
        let _ = std::fs::write(&dump, &file.contents);
        Error::new(
            "templates",
            "",
            ErrorKind::InvalidRust {
                template: file.template.to_owned(),
                item: format!("{} ({})", file.item, file.path),
                line,
                column: 1,
                message,
                dump: dump.display().to_string(),
            },
        )
    })
}

/// The line of the item that fails to parse, and syn's message for it. syn is built
/// without span locations (tracking them costs a tenth of this stage and keeps a copy of
/// every file), so the text is cut into top-level items, at each column-0 line that ends
/// one with `}` or `;`, and the first item that does not parse alone is the culprit; its
/// line is its first line that is not blank, a comment or an attribute.
fn locate(text: &str) -> Option<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    for (n, line) in lines.iter().enumerate() {
        let ends_item = !line.starts_with(char::is_whitespace)
            && !line.starts_with("//")
            && !line.starts_with('#')
            && (line.ends_with('}') || line.ends_with(';'));
        if !ends_item && n + 1 < lines.len() {
            continue;
        }
        if let Err(e) = syn::parse_file(&lines[start..=n].join("\n")) {
            let first = (start..=n)
                .find(|&i| {
                    let t = lines[i].trim_start();
                    !(t.is_empty() || t.starts_with("//") || t.starts_with('#'))
                })
                .unwrap_or(start);
            return Some((first + 1, e.to_string()));
        }
        start = n + 1;
    }
    None
}

/// Whether a trimmed line is a doc comment: `Some(false)` outer (`///`), `Some(true)`
/// inner (`//!`).
fn doc_kind(trimmed: &str) -> Option<bool> {
    if trimmed.starts_with("///") && !trimmed.starts_with("////") {
        Some(false)
    } else if trimmed.starts_with("//!") {
        Some(true)
    } else {
        None
    }
}

/// Sets doc comments aside while syn parses and prettyplease prints the code: each run of
/// `///` (or `//!`) lines becomes one `#[doc = "@N"]` (or `#![doc = "@N"]`) placeholder.
/// Docs are a third of the text, and the costliest part to parse (every line a string
/// literal the lexer escapes and syn unescapes), while prettyplease would print them back
/// as they are, at their item's indentation, which is what [`restore_docs`] does.
fn set_docs_aside(text: &str) -> (String, Vec<Vec<&str>>) {
    let mut code = String::with_capacity(text.len());
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let Some(inner) = doc_kind(trimmed) else {
            code.push_str(line);
            code.push('\n');
            continue;
        };
        let mut run = vec![trimmed];
        while let Some(next) = lines.peek().map(|l| l.trim_start()) {
            if doc_kind(next) != Some(inner) {
                break;
            }
            run.push(next);
            lines.next();
        }
        let bang = if inner { "!" } else { "" };
        code.push_str(&format!("#{bang}[doc = \"@{}\"]\n", runs.len()));
        runs.push(run);
    }
    (code, runs)
}

/// Puts each run of doc lines back in place of its printed placeholder, at the
/// placeholder's indentation; `None` if the placeholders did not come back one by one in
/// order (the caller then formats the text with its docs).
fn restore_docs(formatted: &str, runs: &[Vec<&str>]) -> Option<String> {
    let extra: usize = runs.iter().flatten().map(|l| l.len() + 8).sum();
    let mut out = String::with_capacity(formatted.len() + extra);
    let mut next = 0;
    for line in formatted.lines() {
        let trimmed = line.trim_start();
        let placeholder = trimmed
            .strip_prefix("///@")
            .or_else(|| trimmed.strip_prefix("//!@"))
            .and_then(|n| n.parse::<usize>().ok());
        match placeholder {
            Some(n) if n == next && next < runs.len() => {
                let indent = &line[..line.len() - trimmed.len()];
                for doc in &runs[n] {
                    out.push_str(indent);
                    out.push_str(doc.trim_end());
                    out.push('\n');
                }
                next += 1;
            }
            Some(_) => return None,
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    (next == runs.len()).then_some(out)
}

/// Collapses runs of blank lines left by template control flow and ends with one newline.
fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(contents: &str) -> RenderedFile {
        RenderedFile {
            path: "src/models/sample.rs".into(),
            template: "model_struct.rs.tera",
            item: "Sample".into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn docs_set_aside_come_back_as_prettyplease_prints_them() {
        let text = r#"//! Module docs,
//!
//! two paragraphs.
/// A struct.   
///
/// With `code` and a [link](crate::X).
#[derive(Debug)]
pub struct Sample {
        /// A field, oddly indented.
    pub a: Option<String>,
    #[doc = " An attribute doc after nothing."]
    pub b: i32,
}
impl Sample {
/// A method at column zero in the template.
    /// Second line.
    #[doc = " Then an attribute line."]
    pub fn get(&self) -> Option<&str> { match &self.a { Some(a) => Some(a), None => None } }
}
"#;
        let dir = std::env::temp_dir();
        let ours = format_one(rendered(text), "P", &dir).unwrap().contents;
        let plain = prettyplease::unparse(&syn::parse_file(text).unwrap());
        assert_eq!(ours, format!("// P\n\n{plain}"));
        assert!(
            ours.contains("    /// A field, oddly indented.\n"),
            "{ours}"
        );
    }

    #[test]
    fn invalid_rust_names_the_template_the_item_and_the_line() {
        let dir = std::env::temp_dir().join(format!("format-dump-{}", std::process::id()));
        let text = "/// Docs.\npub struct Fine;\n\n/// More docs.\npub fn broken( {\n}\n";
        let error = format_one(rendered(text), "P", &dir).unwrap_err();
        match &*error.kind {
            ErrorKind::InvalidRust {
                template,
                item,
                line,
                dump,
                ..
            } => {
                assert_eq!(template, "model_struct.rs.tera");
                assert!(item.contains("Sample") && item.contains("src/models/sample.rs"));
                assert_eq!(*line, 5, "{error}");
                assert_eq!(std::fs::read_to_string(dump).unwrap(), text);
            }
            other => panic!("unexpected error {other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
