//! Whole-API pass after lowering: finds Genesys listings (models with an `entities` or
//! `results` array and `pageNumber`/`pageCount`, `nextUri`, `cursor` or `cursors` fields), how
//! each GET operation answering one gets its next page, and the operations that start an
//! asynchronous job another operation polls. Detected from the IR's shapes, never from
//! operation names; pure.

use crate::ir::{
    Api, AsyncJob, Field, Ident, Listing, Method, ModelKind, Operation, Pagination, ParamLocation,
    TypeRef,
};

/// Fills `Model::listing`, `Operation::pagination` and `Operation::job`.
pub(super) fn detect(api: &mut Api) {
    let listings: Vec<(String, Option<Listing>)> = api
        .models
        .iter()
        .map(|(id, model)| {
            let found = match &model.kind {
                ModelKind::Struct { fields, .. } => listing(fields, &cursor_path(api, fields)),
                _ => None,
            };
            (id.clone(), found)
        })
        .collect();
    for (id, found) in listings {
        api.models[&id].listing = found;
    }
    let found: Vec<(String, Option<Pagination>, Option<AsyncJob>)> = api
        .operations
        .values()
        .map(|op| (op.id.clone(), pagination(api, op), job(api, op)))
        .collect();
    for (id, pagination, job) in found {
        let op = &mut api.operations[&id];
        op.pagination = pagination;
        op.job = job;
    }
}

fn field<'a>(fields: &'a [Field], wire: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.name.wire == wire)
}

/// Where a struct keeps the next page's cursor: its own `cursor` or `after` string, or the
/// `after` string of its `cursors` object; empty when nowhere.
fn cursor_path(api: &Api, fields: &[Field]) -> Vec<String> {
    let string = |fields: &[Field], name: &str| {
        field(fields, name).is_some_and(|f| f.ty == TypeRef::String && !f.boxed)
    };
    if let Some(name) = ["cursor", "after"]
        .into_iter()
        .find(|name| string(fields, name))
    {
        return vec![name.to_owned()];
    }
    let cursors = field(fields, "cursors").and_then(|f| match &f.ty {
        TypeRef::Model(id) => api.models.get(id),
        _ => None,
    });
    match cursors.map(|m| &m.kind) {
        Some(ModelKind::Struct { fields, .. }) if string(fields, "after") => {
            vec!["cursors".to_owned(), "after".to_owned()]
        }
        _ => Vec::new(),
    }
}

/// The listing a struct's fields make, with `cursor` as its cursor path.
fn listing(fields: &[Field], cursor: &[String]) -> Option<Listing> {
    let int = |name: &str| {
        field(fields, name)
            .filter(|f| matches!(f.ty, TypeRef::I32 | TypeRef::I64))
            .map(|f| f.name.wire.clone())
    };
    let page_number = int("pageNumber");
    let page_count = int("pageCount");
    let next_uri = field(fields, "nextUri")
        .filter(|f| f.ty == TypeRef::String)
        .map(|f| f.name.wire.clone());
    if page_number.is_none() && next_uri.is_none() && cursor.is_empty() {
        return None;
    }
    let items = ["entities", "results"].into_iter().find_map(|name| {
        field(fields, name).and_then(|f| match &f.ty {
            TypeRef::List(item) if !f.boxed => Some((name, (**item).clone())),
            _ => None,
        })
    })?;
    Some(Listing {
        items: items.0.to_owned(),
        item: items.1,
        page_number,
        page_count,
        next_uri,
        cursor: cursor.to_vec(),
    })
}

/// The one type every success response has, when they agree.
fn success_model(op: &Operation) -> Option<&str> {
    let mut types = op.success.iter().map(|r| r.ty.as_ref());
    let first = types.next()??;
    if types.any(|t| t != Some(first)) {
        return None;
    }
    match first {
        TypeRef::Model(id) => Some(id),
        _ => None,
    }
}

/// An optional query parameter of this name.
fn query_param<'a>(op: &'a Operation, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|name| {
        op.params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.name.wire == *name && !p.required)
            .map(|p| p.name.wire.as_str())
    })
}

fn pagination(api: &Api, op: &Operation) -> Option<Pagination> {
    if op.method != Method::Get {
        return None;
    }
    let listing = api.models.get(success_model(op)?)?.listing.as_ref()?;
    if listing.page_number.is_some() {
        if let Some(param) = query_param(op, &["pageNumber"]) {
            return Some(Pagination::PageNumber {
                param: param.to_owned(),
            });
        }
    }
    if let Some(last) = listing.cursor.last() {
        let names: [&str; 2] = if last == "cursor" {
            ["cursor", "after"]
        } else {
            ["after", "cursor"]
        };
        if let Some(param) = query_param(op, &names) {
            return Some(Pagination::Cursor {
                param: param.to_owned(),
            });
        }
    }
    listing.next_uri.as_ref().map(|_| Pagination::NextUri)
}

/// Status values that end a job, by what they mean.
const COMPLETE: &[&str] = &["complete", "completed", "fulfilled", "succeeded", "success"];
const FAILED: &[&str] = &[
    "failed",
    "failure",
    "cancelled",
    "canceled",
    "expired",
    "error",
];

fn job(api: &Api, start: &Operation) -> Option<AsyncJob> {
    if start.method != Method::Post {
        return None;
    }
    let ModelKind::Struct { fields, .. } = &api.models.get(success_model(start)?)?.kind else {
        return None;
    };
    let id = ["executionId", "jobId"]
        .into_iter()
        .find(|name| field(fields, name).is_some_and(|f| f.ty == TypeRef::String))?;
    let prefix = format!("{}/", start.path);
    let start_params: Vec<&str> = start
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.wire.as_str())
        .collect();
    let mut candidates: Vec<(&Operation, AsyncJob)> = api
        .operations
        .values()
        .filter(|poll| poll.method == Method::Get && poll.path.starts_with(&prefix))
        .filter(|poll| !poll.body.as_ref().is_some_and(|b| b.required))
        .filter(|poll| {
            poll.params.iter().any(|p| {
                p.location == ParamLocation::Path && p.name.wire == id && p.ty == TypeRef::String
            }) && poll.params.iter().all(|p| {
                p.name.wire == id
                    || (p.location == ParamLocation::Path
                        && start_params.contains(&p.name.wire.as_str()))
                    || !p.required
            })
        })
        .filter_map(|poll| {
            let ModelKind::Struct { fields, .. } = &api.models.get(success_model(poll)?)?.kind
            else {
                return None;
            };
            let results = field(fields, "results")
                .filter(|f| matches!(f.ty, TypeRef::List(_)) && !f.boxed)?;
            let (status, values) =
                ["queryStatus", "status", "state"]
                    .into_iter()
                    .find_map(|name| {
                        let f = field(fields, name).filter(|f| !f.boxed)?;
                        match &api.models.get(f.ty.model()?)?.kind {
                            ModelKind::Enum { values } if matches!(f.ty, TypeRef::Model(_)) => {
                                Some((name, values))
                            }
                            _ => None,
                        }
                    })?;
            let wire = |set: &[&str]| -> Vec<String> {
                values
                    .iter()
                    .filter(|v| set.contains(&v.name.wire.to_ascii_lowercase().as_str()))
                    .map(|v| v.name.wire.clone())
                    .collect()
            };
            let complete = wire(COMPLETE).into_iter().next()?;
            let carried = poll
                .params
                .iter()
                .filter(|p| p.location == ParamLocation::Path && p.name.wire != id)
                .map(|p| Ident::wire(p.name.wire.clone()))
                .collect();
            Some((
                poll,
                AsyncJob {
                    poll: poll.id.clone(),
                    id: id.to_owned(),
                    status: status.to_owned(),
                    complete,
                    failed: wire(FAILED),
                    results: results.name.wire.clone(),
                    carried,
                },
            ))
        })
        .collect();
    // The closest polling operation: the shortest path under the start's.
    candidates.sort_by_key(|(poll, _)| (poll.path.len(), poll.id.clone()));
    candidates.into_iter().next().map(|(_, job)| job)
}
