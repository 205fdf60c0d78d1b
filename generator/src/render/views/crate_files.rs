//! The view of the crate-level files: `lib.rs`, `client.rs`, the `apis` and `models`
//! indexes, the permissions table, `Cargo.toml` and the README.

use serde::Serialize;

use super::{features_of, guide, module_features, plain_line, Cfg};
use crate::ir::{Api, PermissionKind};
use crate::naming::first_line;
use crate::render::CrateInfo;

#[derive(Serialize)]
pub struct CrateView {
    name: String,
    version: String,
    title: String,
    api_version: String,
    spec: String,
    fingerprint: String,
    base_url: String,
    groups: Vec<GroupSummary>,
    models: Vec<ModelSummary>,
    permissions: Vec<PermissionRow>,
    operation_count: usize,
    example: Option<String>,
    /// The cargo feature `example` needs.
    example_feature: Option<String>,
    /// The crate's repository URL, for `Cargo.toml`.
    repository: String,
    /// The guide's sections: configuration, per-call options, paging, jobs, explicit null.
    guide: Vec<guide::Section>,
}

#[derive(Serialize)]
struct GroupSummary {
    name: String,
    module: String,
    /// The group's cargo feature.
    feature: String,
    /// When the module compiles: its own feature, or another group's that uses one of its
    /// request builders (operations with two tags are built in their first tag's module).
    module_cfg: String,
    summary: String,
    operation_count: usize,
}

#[derive(Serialize)]
struct ModelSummary {
    module: String,
    name: String,
    /// The features of the groups that reach the model.
    cfg: String,
}

#[derive(Serialize)]
struct PermissionRow {
    operation_id: String,
    method: &'static str,
    path: String,
    /// What the operation requires; `None` when it requires no permission.
    requires: Option<Requires>,
}

/// The `Requires::All` or `Requires::Any` of a permissions row.
#[derive(Serialize)]
struct Requires {
    /// The variant: `All` or `Any`.
    variant: &'static str,
    names: Vec<String>,
}

pub fn crate_view(api: &Api, info: &CrateInfo) -> CrateView {
    let mut models: Vec<ModelSummary> = api
        .models
        .values()
        .map(|m| ModelSummary {
            module: m.module.clone(),
            name: m.name.rust.clone(),
            cfg: Cfg(features_of(api, &m.groups)).to_string(),
        })
        .collect();
    models.sort_by(|a, b| a.module.cmp(&b.module));
    let permissions = api
        .operations
        .values()
        .map(|op| PermissionRow {
            operation_id: op.id.clone(),
            method: op.method.as_str(),
            path: op.path.clone(),
            requires: op.permissions.as_ref().map(|p| Requires {
                variant: match p.kind {
                    PermissionKind::All => "All",
                    PermissionKind::Any => "Any",
                },
                names: p.names.clone(),
            }),
        })
        .collect();
    let lib_name = info.name.replace('-', "_");
    let (example, example_feature) = guide::usage(api, &lib_name).unzip();
    CrateView {
        name: info.name.clone(),
        version: info.version.clone(),
        title: plain_line(&api.title),
        api_version: plain_line(&api.version),
        spec: info.spec.clone(),
        fingerprint: info.fingerprint.clone(),
        base_url: api.base_url.clone(),
        groups: api
            .groups
            .iter()
            .map(|g| GroupSummary {
                name: g.name.rust.clone(),
                module: g.module.clone(),
                feature: g.feature.clone(),
                module_cfg: Cfg(module_features(api, g)).to_string(),
                summary: g
                    .description
                    .as_deref()
                    .map(first_line)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("Operations tagged {}.", g.tag)),
                operation_count: g.operations.len(),
            })
            .collect(),
        models,
        permissions,
        operation_count: api.operations.len(),
        example,
        example_feature,
        repository: info.repository.clone(),
        guide: guide::guide(api, &lib_name),
    }
}
