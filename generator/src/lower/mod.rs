//! Stage 3, lower: OpenAPI 3.0 (`openapiv3`) -> [`ir::Api`].
//!
//! Pure: no IO, no Rust naming (names are left to `naming`). Problems that make the input
//! unusable are an [`Error`] at the source pointer; problems it can work around are warnings.

mod analysis;
mod operations;
mod paging;
mod schema;

use indexmap::IndexMap;
use openapiv3::OpenAPI;

use crate::error::{Diagnostics, Error};
use crate::ir::{Api, Model};
use crate::upgrade::SourceMap;

/// What the lowering passes share: the document, the source map, models found so far.
pub(crate) struct Ctx<'a> {
    pub api: &'a OpenAPI,
    pub map: &'a SourceMap,
    pub diags: &'a mut Diagnostics,
    pub models: IndexMap<String, Model>,
    /// Inline string enums by value list: one model serves every inline enum with the same
    /// values (the 2025 Genesys file has ~2,700 inline enums with ~1,180 distinct lists).
    pub inline_enums: std::collections::BTreeMap<Vec<String>, String>,
}

impl Ctx<'_> {
    /// Records a warning at a pointer of the upgraded document, reported in source coordinates.
    pub fn warn(&mut self, oas_pointer: &str, message: impl Into<String>) {
        let (file, pointer) = self.map.locate(oas_pointer);
        self.diags.items.push(crate::error::Diagnostic {
            file,
            pointer,
            message: message.into(),
            related: None,
        });
    }
}

/// Lowers a whole document. `tags`, when given, keeps only operations carrying one of them
/// (and the models they reach).
pub fn lower(
    api: &OpenAPI,
    map: &SourceMap,
    diags: &mut Diagnostics,
    tags: Option<&[String]>,
) -> Result<Api, Error> {
    let mut ctx = Ctx {
        api,
        map,
        diags,
        models: IndexMap::new(),
        inline_enums: Default::default(),
    };
    schema::lower_components(&mut ctx)?;
    let operations = operations::lower_operations(&mut ctx, tags)?;
    let base_url = api
        .servers
        .first()
        .map(|s| s.url.trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let tag_docs: IndexMap<String, Option<String>> = api
        .tags
        .iter()
        .map(|t| (t.name.clone(), t.description.clone()))
        .collect();
    let models = std::mem::take(&mut ctx.models);
    let mut out = Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        base_url,
        groups: Vec::new(),
        operations,
        models,
    };
    analysis::finish(&mut out, &tag_docs, tags.is_some());
    Ok(out)
}
