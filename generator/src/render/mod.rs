//! Stage 5, render: IR -> text files, through the Tera templates in `templates/`.
//!
//! Templates are parsed once per process; each output file is one template rendered with a
//! view built by [`views`], which holds every name and type expression precomputed. Runtime
//! sources are copied verbatim (their doc examples' `genesys_cloud::` paths renamed to the
//! crate's own). Nothing here formats, validates or writes.

pub mod views;

use std::sync::OnceLock;

use rayon::prelude::*;
use tera::Tera;

use crate::error::{Error, ErrorKind};
use crate::ir::Api;

/// A file of the generated crate, before formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Path relative to the crate root, `/`-separated.
    pub path: String,
    /// The template that produced it (or `runtime` for verbatim sources).
    pub template: &'static str,
    /// What it renders (model or group name), for error messages.
    pub item: String,
    pub contents: String,
}

/// Templates, embedded so the generator does not depend on the working directory.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.tera",
        include_str!("../../../templates/Cargo.toml.tera"),
    ),
    (
        "README.md.tera",
        include_str!("../../../templates/README.md.tera"),
    ),
    (
        "lib.rs.tera",
        include_str!("../../../templates/lib.rs.tera"),
    ),
    (
        "client.rs.tera",
        include_str!("../../../templates/client.rs.tera"),
    ),
    (
        "apis_mod.rs.tera",
        include_str!("../../../templates/apis_mod.rs.tera"),
    ),
    (
        "tag_module.rs.tera",
        include_str!("../../../templates/tag_module.rs.tera"),
    ),
    (
        "models_mod.rs.tera",
        include_str!("../../../templates/models_mod.rs.tera"),
    ),
    (
        "model_struct.rs.tera",
        include_str!("../../../templates/model_struct.rs.tera"),
    ),
    (
        "model_enum.rs.tera",
        include_str!("../../../templates/model_enum.rs.tera"),
    ),
    (
        "model_alias.rs.tera",
        include_str!("../../../templates/model_alias.rs.tera"),
    ),
    (
        "permissions.rs.tera",
        include_str!("../../../templates/permissions.rs.tera"),
    ),
    (
        "group_doc.md.tera",
        include_str!("../../../templates/group_doc.md.tera"),
    ),
    (
        "CHANGELOG.md.tera",
        include_str!("../../../templates/CHANGELOG.md.tera"),
    ),
];

/// Runtime sources copied verbatim into `src/runtime/`.
pub const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../../templates/runtime/mod.rs")),
    (
        "auth.rs",
        include_str!("../../../templates/runtime/auth.rs"),
    ),
    (
        "builder.rs",
        include_str!("../../../templates/runtime/builder.rs"),
    ),
    (
        "client.rs",
        include_str!("../../../templates/runtime/client.rs"),
    ),
    (
        "environment.rs",
        include_str!("../../../templates/runtime/environment.rs"),
    ),
    (
        "error.rs",
        include_str!("../../../templates/runtime/error.rs"),
    ),
    (
        "grants.rs",
        include_str!("../../../templates/runtime/grants.rs"),
    ),
    (
        "jobs.rs",
        include_str!("../../../templates/runtime/jobs.rs"),
    ),
    (
        "notifications.rs",
        include_str!("../../../templates/runtime/notifications.rs"),
    ),
    (
        "nulls.rs",
        include_str!("../../../templates/runtime/nulls.rs"),
    ),
    (
        "pagination.rs",
        include_str!("../../../templates/runtime/pagination.rs"),
    ),
    (
        "pkce.rs",
        include_str!("../../../templates/runtime/pkce.rs"),
    ),
    (
        "region.rs",
        include_str!("../../../templates/runtime/region.rs"),
    ),
    (
        "request.rs",
        include_str!("../../../templates/runtime/request.rs"),
    ),
    (
        "retry.rs",
        include_str!("../../../templates/runtime/retry.rs"),
    ),
    (
        "token_endpoint.rs",
        include_str!("../../../templates/runtime/token_endpoint.rs"),
    ),
    (
        "types.rs",
        include_str!("../../../templates/runtime/types.rs"),
    ),
    (
        "wire.rs",
        include_str!("../../../templates/runtime/wire.rs"),
    ),
];

fn tera() -> Result<&'static Tera, Error> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    let result = TERA.get_or_init(|| {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        tera.register_filter("rust_str", rust_str);
        tera.register_filter("doc_text", doc_text);
        tera.add_raw_templates(TEMPLATES.to_vec())
            .map_err(|e| format!("{e}: {}", source_chain(&e)))?;
        Ok(tera)
    });
    result.as_ref().map_err(|message| {
        Error::new(
            "templates",
            "",
            ErrorKind::Template {
                template: "(parsing)".into(),
                message: message.clone(),
            },
        )
    })
}

/// Tera filter: a Rust string literal for the value.
fn rust_str(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(format!("{:?}", text_of(value))))
}

/// A filter's input as text: a string as it is, anything else as JSON.
fn text_of(value: &tera::Value) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string())
}

/// Text for the rest of a `///` line: control characters (which a line comment cannot
/// hold) become spaces. `format` sets doc comments aside while it formats code, so doc
/// text is written as comments, never as `#[doc]` strings to escape and unescape.
fn doc_text(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(views::comment_text(&text_of(value))))
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut out = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out.join(": ")
}

/// What to render: the crate's identity, from the xtask configuration.
#[derive(Debug, Clone)]
pub struct CrateInfo {
    pub name: String,
    pub version: String,
    /// The spec files, for the preamble and README.
    pub spec: String,
    pub fingerprint: String,
    /// The spec directory's `CHANGELOG.md`, rendered as the crate's `CHANGELOG.md`.
    pub changelog: Option<String>,
    /// The repository URL `Cargo.toml` names.
    pub repository: String,
}

/// The license files every generated crate ships, as this repository's own (the crate is
/// `MIT OR Apache-2.0`, like the generator).
const LICENSES: &[(&str, &str)] = &[
    ("LICENSE-APACHE", include_str!("../../../LICENSE-APACHE")),
    ("LICENSE-MIT", include_str!("../../../LICENSE-MIT")),
];

/// The crate-level files and their templates.
const CRATE_FILES: &[(&str, &str)] = &[
    ("Cargo.toml", "Cargo.toml.tera"),
    ("README.md", "README.md.tera"),
    ("src/lib.rs", "lib.rs.tera"),
    ("src/client.rs", "client.rs.tera"),
    ("src/apis/mod.rs", "apis_mod.rs.tera"),
    ("src/models/mod.rs", "models_mod.rs.tera"),
    ("src/permissions.rs", "permissions.rs.tera"),
];

/// One rendering job: a group's module and page, or a model's module.
enum Job<'a> {
    Group(&'a crate::ir::Group),
    Model(&'a str, &'a crate::ir::Model),
}

/// Renders every file of the crate.
pub fn render(api: &Api, info: &CrateInfo) -> Result<Vec<RenderedFile>, Error> {
    let tera = tera()?;
    let one = |path: &str, template: &'static str, item: &str, context: &tera::Context| {
        let contents = tera
            .render(template, context)
            .map_err(|e| template_error(template, e))?;
        Ok::<_, Error>(RenderedFile {
            path: path.to_owned(),
            template,
            item: item.to_owned(),
            contents,
        })
    };
    // Views, contexts and rendering all run in parallel: the crate-level files (whose
    // view lists every model and operation) beside one job per group or model.
    let crate_files = || -> Result<Vec<RenderedFile>, Error> {
        let crate_view = views::crate_view(api, info);
        let crate_ctx = tera::Context::from_serialize(&crate_view)
            .map_err(|e| template_error("(context)", e))?;
        let mut files: Vec<RenderedFile> = CRATE_FILES
            .par_iter()
            .map(|(path, template)| one(path, template, "crate", &crate_ctx))
            .collect::<Result<_, Error>>()?;
        if let Some(changelog) = &info.changelog {
            let mut context = tera::Context::new();
            context.insert("changelog", changelog.trim());
            files.push(one("CHANGELOG.md", "CHANGELOG.md.tera", "crate", &context)?);
        }
        Ok(files)
    };
    let jobs: Vec<Job> = (api.groups.iter().map(Job::Group))
        .chain(api.models.iter().map(|(id, model)| Job::Model(id, model)))
        .collect();
    let item_files = || -> Result<Vec<Vec<RenderedFile>>, Error> {
        jobs.par_iter()
            .map(|job| match job {
                Job::Group(group) => {
                    let view = views::group_view(api, group, info);
                    let context = tera::Context::from_serialize(&view)
                        .map_err(|e| template_error("tag_module.rs.tera", e))?;
                    let item = &group.name.rust;
                    Ok(vec![
                        one(
                            &format!("src/apis/{}.rs", group.module),
                            "tag_module.rs.tera",
                            item,
                            &context,
                        )?,
                        one(
                            &format!("docs/{item}.md"),
                            "group_doc.md.tera",
                            item,
                            &context,
                        )?,
                    ])
                }
                Job::Model(id, model) => {
                    let view = views::model_view(api, id, model);
                    let template = view.template();
                    let context = tera::Context::from_serialize(&view)
                        .map_err(|e| template_error(template, e))?;
                    Ok(vec![one(
                        &format!("src/models/{}.rs", model.module),
                        template,
                        &model.name.rust,
                        &context,
                    )?])
                }
            })
            .collect()
    };
    let (crate_files, item_files) = rayon::join(crate_files, item_files);
    let mut files = crate_files?;
    files.extend(item_files?.into_iter().flatten());
    // Verbatim, except that doc examples name the crate being generated.
    let lib_name = format!("{}::", info.name.replace('-', "_"));
    for (name, source) in RUNTIME {
        files.push(RenderedFile {
            path: format!("src/runtime/{name}"),
            template: "runtime",
            item: (*name).into(),
            contents: source.replace("genesys_cloud::", &lib_name),
        });
    }
    for (name, text) in LICENSES {
        files.push(RenderedFile {
            path: (*name).into(),
            template: "license",
            item: (*name).into(),
            contents: (*text).into(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn template_error(template: &str, e: tera::Error) -> Error {
    Error::new(
        "templates",
        "",
        ErrorKind::Template {
            template: template.to_owned(),
            message: format!("{e}: {}", source_chain(&e)),
        },
    )
}
