//! The guide of the crate-root docs and the README: short examples of what a caller does
//! first (configure and authenticate, call with per-call options, page, run a job, send an
//! explicit null), each compiled as a `no_run` doctest of the crate-root docs. The examples
//! that need an operation use the first one of this API that has the feature (a listing,
//! a job, a request body), looking first in the groups most callers start with
//! ([`SHOWCASE`]), and are left out when none has. Such an example needs its group's cargo
//! feature: the section names it, and its doctest compiles only with it.

use serde::Serialize;

use super::docs::{call_expression, usage_example};
use crate::ir::{Api, Group, Method, ModelKind, Operation, Pagination, ParamLocation, TypeRef};

/// The groups (Genesys tags) whose operations the examples prefer, in this order: the ones
/// most callers start with, so the examples read like their first program. The other
/// groups follow in the API's order.
pub(super) const SHOWCASE: &[&str] = &["Users", "Usage", "Billing"];

/// One section of the guide: a heading, a sentence or two, and the code.
#[derive(Serialize)]
pub(super) struct Section {
    title: &'static str,
    text: &'static str,
    /// The body of an `async fn` returning `Result<(), Box<dyn std::error::Error>>`.
    code: String,
    /// The cargo feature the code needs (its operation's group), if any.
    feature: Option<String>,
}

/// The guide's sections for this API, in reading order.
pub(super) fn guide(api: &Api, lib: &str) -> Vec<Section> {
    let mut sections = vec![
        section(
            "Configuration from the environment",
            "`from_env` reads the variables the Genesys CLI and Terraform provider use: \
             `GENESYSCLOUD_REGION`, `GENESYSCLOUD_OAUTHCLIENT_ID` and \
             `GENESYSCLOUD_OAUTHCLIENT_SECRET` (or `GENESYSCLOUD_ACCESS_TOKEN`), and the \
             `GENESYSCLOUD_PROXY_*` and `GENESYSCLOUD_GATEWAY_*` ones; a bad value is an error \
             naming the variable.",
            "use std::time::Duration;\n\n\
             // The variables alone:\n\
             let client = LIB::Client::from_env()?;\n\
             // The variables, then settings of your own:\n\
             let client = LIB::ClientBuilder::from_env()?\n    \
             .timeout(Duration::from_secs(30))\n    \
             .user_agent(\"my-app/1.0\")\n    \
             .build()?;",
        ),
        section(
            "A region and client credentials",
            "The client-credentials token is cached and refreshed before it expires, by one \
             request however many calls wait for it.",
            "use LIB::runtime::Region;\n\n\
             let client = LIB::Client::builder()\n    \
             .region(Region::EuWest1)\n    \
             .client_credentials(\"client id\", \"client secret\")\n    \
             .build()?;",
        ),
        section(
            "A custom base URL and login URL",
            "For a test server or any host of your own; the token request goes to the login \
             URL's `/oauth/token`.",
            "let client = LIB::Client::builder()\n    \
             .base_url(\"https://api.example.com\")\n    \
             .login_url(\"https://login.example.com\")\n    \
             .client_credentials(\"client id\", \"client secret\")\n    \
             .build()?;",
        ),
        section(
            "An API gateway",
            "A gateway in front of Genesys Cloud serves both the API and the login paths.",
            "use LIB::runtime::Gateway;\n\n\
             let gateway = Gateway::new(\"gateway.example.com\")\n    \
             .protocol(\"https\")\n    \
             .port(8443)\n    \
             .api_path(\"genesys/api\")\n    \
             .login_path(\"genesys/login\");\n\
             let client = LIB::Client::builder()\n    \
             .gateway(gateway)\n    \
             .client_credentials(\"client id\", \"client secret\")\n    \
             .build()?;",
        ),
        section(
            "A proxy",
            "Every request, the token request included, goes through the proxy.",
            "let client = LIB::Client::builder()\n    \
             .proxy(\"http://proxy.example.com:3128\")\n    \
             .proxy_basic_auth(\"user\", \"password\")\n    \
             .bearer_token(\"token\")\n    \
             .build()?;",
        ),
    ];
    // One item read serves the per-call options and the error example.
    let item = item_read(api);
    if let Some((op, group, method)) = item {
        let call = call_expression(api, op, &group.module, method, lib, None, 0);
        sections.push(Section {
            feature: Some(group.feature.clone()),
            title: "Per-call options",
            text: "A timeout, a retry policy or extra headers for one call, over the client's.",
            code: format!(
                "use std::time::Duration;\nuse LIB::runtime::{{CallOptions, RetryPolicy}};\n\n\
                 let client = LIB::Client::from_env()?;\n\
                 let answer = {call}\n    \
                 .with_options(\n        \
                 CallOptions::new()\n            \
                 .timeout(Duration::from_secs(5))\n            \
                 .retry(RetryPolicy::never())\n            \
                 .header(\"If-Match\", \"3\"),\n    \
                 )\n    \
                 .send()\n    \
                 .await?;\n\
                 println!(\"{{answer:?}}\");"
            )
            .replace("LIB", lib),
        });
    }
    if let Some((op, group, method)) = item {
        let call = call_expression(api, op, &group.module, method, lib, None, 0);
        sections.push(Section {
            feature: Some(group.feature.clone()),
            title: "Handling errors",
            text: "Every call returns `Result<_, Error>`; an API answer that is not a success \
                   keeps its status, Genesys's error body and the correlation id to quote to \
                   Genesys support.",
            code: format!(
                "use LIB::Error;\n\n\
                 let client = LIB::Client::from_env()?;\n\
                 match {call}.send().await {{\n    \
                 Ok(answer) => println!(\"{{answer:?}}\"),\n    \
                 Err(Error::Api(e)) if e.status == 404 => println!(\"not found\"),\n    \
                 Err(Error::Api(e)) => eprintln!(\n        \
                 \"HTTP {{}}: {{}} (correlation id {{:?}})\",\n        \
                 e.status,\n        \
                 e.message().unwrap_or(\"no message\"),\n        \
                 e.correlation_id,\n    \
                 ),\n    \
                 Err(e) if e.is_timeout() => eprintln!(\"timed out: {{e}}\"),\n    \
                 Err(e) => return Err(e.into()),\n\
                 }}"
            )
            .replace("LIB", lib),
        });
    }
    if let Some((code, feature)) = explicit_null(api, lib) {
        sections.push(Section {
            feature: Some(feature),
            title: "Explicit null",
            text: "Every field is an `Option`, left out of the request when `None`; \
                   `set_null` sends a field as JSON `null` instead (to clear it).",
            code,
        });
    }
    if let Some((op, group, method)) = operations(api).find(|(op, ..)| op.pagination.is_some()) {
        let call = call_expression(api, op, &group.module, method, lib, None, 0);
        sections.push(Section {
            feature: Some(group.feature.clone()),
            title: "Paging",
            text: "`into_stream` yields the items of every page, fetching each page as the \
                   items are consumed.",
            code: format!(
                "let client = LIB::Client::from_env()?;\n\
                 let mut items = {call}.into_stream();\n\
                 while let Some(item) = items.next().await {{\n    \
                 println!(\"{{:?}}\", item?);\n\
                 }}"
            )
            .replace("LIB", lib),
        });
    }
    // A page-numbered listing shows it best; any other listing takes the same call.
    let numbered = operations(api)
        .find(|(op, ..)| matches!(op.pagination, Some(Pagination::PageNumber { .. })));
    if let Some((op, group, method)) =
        numbered.or_else(|| operations(api).find(|(op, ..)| op.pagination.is_some()))
    {
        let call = call_expression(api, op, &group.module, method, lib, None, 0);
        sections.push(Section {
            feature: Some(group.feature.clone()),
            title: "Concurrent paging",
            text: "For large exports of page-numbered listings: up to 8 pages in flight, \
                   items still in page order (other listings go one page after another).",
            code: format!(
                "let client = LIB::Client::from_env()?;\n\
                 let all = {call}.into_stream().concurrent(8).try_collect().await?;\n\
                 println!(\"{{}} items\", all.len());"
            )
            .replace("LIB", lib),
        });
    }
    if let Some((op, group, method)) = operations(api).find(|(op, ..)| op.job.is_some()) {
        let call = call_expression(api, op, &group.module, method, lib, None, 0);
        sections.push(Section {
            feature: Some(group.feature.clone()),
            title: "Asynchronous jobs",
            text: "`send_and_wait` starts the job, polls it with backoff until it completes \
                   or fails, and returns its results.",
            code: format!(
                "use std::time::Duration;\nuse LIB::runtime::PollOptions;\n\n\
                 let client = LIB::Client::from_env()?;\n\
                 let results = {call}\n    \
                 .send_and_wait(PollOptions::new().deadline(Duration::from_secs(300)))\n    \
                 .await?;\n\
                 println!(\"{{}} results\", results.len());"
            )
            .replace("LIB", lib),
        });
    }
    sections
        .into_iter()
        .map(|mut s| {
            s.code = s.code.replace("LIB", lib);
            s
        })
        .collect()
}

/// The crate-root usage example and the feature it needs: a listing (else any GET, else any
/// operation) of the [`SHOWCASE`] groups first.
pub(super) fn usage(api: &Api, lib: &str) -> Option<(String, String)> {
    let get = |op: &Operation| op.method == Method::Get;
    let (op, group, method) = operations(api)
        .find(|(op, ..)| get(op) && op.pagination.is_some())
        .or_else(|| operations(api).find(|(op, ..)| get(op)))
        .or_else(|| operations(api).next())?;
    Some((
        usage_example(api, op, &group.module, method, lib),
        group.feature.clone(),
    ))
}

/// A read of one item (a GET with a path parameter, where a 404 means something), else
/// the first operation: for the per-call options and error examples.
fn item_read(api: &Api) -> Option<(&Operation, &Group, &str)> {
    operations(api)
        .find(|(op, ..)| {
            op.method == Method::Get && op.params.iter().any(|p| p.location == ParamLocation::Path)
        })
        .or_else(|| operations(api).next())
}

fn section(title: &'static str, text: &'static str, code: &str) -> Section {
    Section {
        title,
        text,
        code: code.to_owned(),
        feature: None,
    }
}

/// Every operation with the group and method that call it: the [`SHOWCASE`] groups first,
/// then the others in the API's order; within a group, shorter paths first.
pub(super) fn operations(api: &Api) -> impl Iterator<Item = (&Operation, &Group, &str)> {
    let rank = |g: &Group| {
        SHOWCASE
            .iter()
            .position(|t| *t == g.tag)
            .unwrap_or(SHOWCASE.len())
    };
    let mut groups: Vec<&Group> = api.groups.iter().collect();
    groups.sort_by_key(|g| rank(g));
    groups.into_iter().flat_map(move |g| {
        let mut ops: Vec<(&Operation, &Group, &str)> = g
            .operations
            .iter()
            .zip(&g.methods)
            .filter_map(|(id, method)| Some((api.operations.get(id)?, g, method.as_str())))
            .collect();
        // Short paths first: a collection (`/api/v2/users`) before its items and their
        // sub-resources, which is where a reader starts.
        ops.sort_by_key(|(op, ..)| (op.path.matches('/').count(), op.path.as_str(), op.method));
        ops
    })
}

/// The explicit-null example: a PUT or PATCH (else any operation) whose body is a model
/// with a writable field, that field sent as `null`; and the feature it needs.
fn explicit_null(api: &Api, lib: &str) -> Option<(String, String)> {
    let candidate = |op: &Operation| {
        let Some(TypeRef::Model(id)) = op.body.as_ref().and_then(|b| b.ty.as_ref()) else {
            return None;
        };
        let model = &api.models[id];
        let ModelKind::Struct { fields, .. } = &model.kind else {
            return None;
        };
        let field = fields.iter().find(|f| !f.read_only && !f.deprecated)?;
        Some((model, field))
    };
    let updates =
        operations(api).filter(|(op, ..)| matches!(op.method, Method::Put | Method::Patch));
    let (op, group, method, model, field) =
        updates
            .chain(operations(api))
            .find_map(|(op, group, method)| {
                candidate(op).map(|(model, field)| (op, group, method, model, field))
            })?;
    if model.deprecated {
        return None;
    }
    let call = call_expression(api, op, &group.module, method, lib, Some("body"), 0);
    let code = format!(
        "let client = {lib}::Client::from_env()?;\n\
         let mut body = {lib}::models::{model}::default();\n\
         body.set_null(|b| &mut b.{field});\n\
         let answer = {call}.send().await?;\n\
         println!(\"{{answer:?}}\");",
        model = model.name.rust,
        field = field.name.rust,
    );
    Some((code, group.feature.clone()))
}
