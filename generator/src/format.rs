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
        let formatted = set_aside(&file.contents).and_then(|(code, asides)| {
            let parsed = syn::parse_file(&code).ok()?;
            restore(&prettyplease::unparse(&parsed), &asides)
        });
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

/// Lines the formatter does not parse or print, put back as they were.
#[derive(Debug)]
enum Aside<'a> {
    /// A run of `///` or `//!` lines, put back at its item's indentation.
    Docs(Vec<&'a str>),
    /// The body of a top-level brace macro (a model's `decode_fields!` or an enum's
    /// `string_enum!` table), put back verbatim.
    Table(Vec<&'a str>),
}

/// Whether a line opens a top-level brace macro whose body is a table: `path::name! {`
/// at column zero, the body laid out by its template and ending at a `}` line.
fn opens_table(line: &str) -> bool {
    line.strip_suffix("! {").is_some_and(|path| {
        !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    })
}

/// Sets aside what prettyplease would print back unchanged, while syn parses and
/// prettyplease prints the rest:
/// - each run of `///` (or `//!`) lines becomes one `#[doc = "@N"]` (or `#![doc = "@N"]`)
///   placeholder. Docs are a third of the text, and the costliest part to parse (every line
///   a string literal the lexer escapes and syn unescapes).
/// - the body of each top-level table macro ([`opens_table`]) becomes one `__aside_N`
///   token. These tables are a third of a model's code; syn would only keep their tokens,
///   and prettyplease would reflow their one-entry-per-line layout into paragraphs, so they
///   are left as the template lays them out, as rustfmt leaves brace macro bodies. Their
///   tokens are still checked, so a template that renders an invalid token is an error.
///
/// `None` when a table is not closed or its tokens do not lex; the caller then formats the
/// text as it is and reports what is wrong.
fn set_aside(text: &str) -> Option<(String, Vec<Aside<'_>>)> {
    let mut code = String::with_capacity(text.len());
    let mut asides: Vec<Aside<'_>> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if opens_table(line) {
            let mut body = Vec::new();
            loop {
                match lines.next()? {
                    "}" => break,
                    next => body.push(next),
                }
            }
            body.join("\n").parse::<proc_macro2::TokenStream>().ok()?;
            code.push_str(&format!("{line}\n__aside_{}\n}}\n", asides.len()));
            asides.push(Aside::Table(body));
            continue;
        }
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
        code.push_str(&format!("#{bang}[doc = \"@{}\"]\n", asides.len()));
        asides.push(Aside::Docs(run));
    }
    Some((code, asides))
}

/// Puts back what [`set_aside`] took out, in place of its printed placeholder: doc lines
/// at the placeholder's indentation, a table's body as it was. `None` if the placeholders
/// did not come back one by one in order (the caller then formats the text as it is).
fn restore(formatted: &str, asides: &[Aside<'_>]) -> Option<String> {
    let extra: usize = asides
        .iter()
        .flat_map(|a| match a {
            Aside::Docs(lines) | Aside::Table(lines) => lines,
        })
        .map(|l| l.len() + 8)
        .sum();
    let mut out = String::with_capacity(formatted.len() + extra);
    let mut next = 0;
    for line in formatted.lines() {
        let trimmed = line.trim_start();
        let placeholder = trimmed
            .strip_prefix("///@")
            .or_else(|| trimmed.strip_prefix("//!@"))
            .or_else(|| trimmed.strip_prefix("__aside_"))
            .and_then(|n| n.parse::<usize>().ok());
        match (placeholder, asides.get(next)) {
            (Some(n), Some(Aside::Docs(lines))) if n == next && trimmed.starts_with("//") => {
                let indent = &line[..line.len() - trimmed.len()];
                for doc in lines {
                    out.push_str(indent);
                    out.push_str(doc.trim_end());
                    out.push('\n');
                }
                next += 1;
            }
            (Some(n), Some(Aside::Table(lines))) if n == next && trimmed.starts_with("__") => {
                for body in lines {
                    out.push_str(body.trim_end());
                    out.push('\n');
                }
                next += 1;
            }
            (Some(_), _) => return None,
            (None, _) => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    (next == asides.len()).then_some(out)
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
    fn table_macro_bodies_keep_their_layout_and_the_rest_is_formatted() {
        let table = "    Sample \"Sample\" {\n        \"id\" => id,\n        \"type\" => r#type,\n        _ => unknown_fields,\n    }";
        let text = format!(
            "/// A struct.\npub struct Sample {{ pub id: Option<String> }}\ncrate::runtime::decode_fields! {{\n{table}\n}}\n/// After.\nfn after( ) {{ }}\n"
        );
        let dir = std::env::temp_dir();
        let ours = format_one(rendered(&text), "P", &dir).unwrap().contents;
        assert_eq!(
            ours,
            format!(
                "// P\n\n/// A struct.\npub struct Sample {{\n    pub id: Option<String>,\n}}\ncrate::runtime::decode_fields! {{\n{table}\n}}\n/// After.\nfn after() {{}}\n"
            )
        );
        // Without the set-aside, prettyplease would have reflowed the table.
        let plain = prettyplease::unparse(&syn::parse_file(&text).unwrap());
        assert!(!plain.contains(table), "{plain}");
    }

    #[test]
    fn a_table_with_a_bad_token_is_invalid_rust_at_its_line() {
        let dir = std::env::temp_dir().join(format!("format-table-{}", std::process::id()));
        let text = "pub struct Fine;\ncrate::runtime::string_enum! {\n    Fine {\n        A => \"a,\n    }\n}\n";
        let error = format_one(rendered(text), "P", &dir).unwrap_err();
        match &*error.kind {
            ErrorKind::InvalidRust { line, .. } => assert_eq!(*line, 2, "{error}"),
            other => panic!("unexpected error {other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
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
