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
        let parsed = match syn::parse_file(&file.contents) {
            Ok(parsed) => parsed,
            Err(e) => {
                let start = e.span().start();
                let dump = dump_dir.join(file.path.replace('/', "__"));
                let _ = std::fs::create_dir_all(dump_dir);
                let _ = std::fs::write(&dump, &file.contents);
                return Err(Error::new(
                    "templates",
                    "",
                    ErrorKind::InvalidRust {
                        template: file.template.to_owned(),
                        item: format!("{} ({})", file.item, file.path),
                        line: start.line,
                        column: start.column + 1,
                        message: e.to_string(),
                        dump: dump.display().to_string(),
                    },
                ));
            }
        };
        let formatted = prettyplease::unparse(&parsed);
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
