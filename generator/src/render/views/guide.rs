//! The guide of the crate-root docs and the README: short examples of what a caller does
//! first (configure and authenticate, call with per-call options, page, run a job, send an
//! explicit null), each compiled as a `no_run` doctest of the crate-root docs. The examples
//! that need an operation use the first one of this API that has the feature (a listing,
//! a job, a request body), and are left out when none has.

use serde::Serialize;

use super::docs::call_expression;
use crate::ir::{Api, Method, ModelKind, Operation, Pagination, TypeRef};

/// One section of the guide: a heading, a sentence or two, and the code.
#[derive(Serialize)]
pub(super) struct Section {
    title: &'static str,
    text: &'static str,
    /// The body of an `async fn` returning `Result<(), Box<dyn std::error::Error>>`.
    code: String,
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
    if let Some((op, module, method)) = operations(api).next() {
        let call = call_expression(api, op, module, method, lib, None, 0);
        sections.push(Section {
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
    if let Some(code) = explicit_null(api, lib) {
        sections.push(Section {
            title: "Explicit null",
            text: "Every field is an `Option`, left out of the request when `None`; \
                   `set_null` sends a field as JSON `null` instead (to clear it).",
            code,
        });
    }
    if let Some((op, module, method)) = operations(api).find(|(op, ..)| op.pagination.is_some()) {
        let call = call_expression(api, op, module, method, lib, None, 0);
        sections.push(Section {
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
    if let Some((op, module, method)) =
        numbered.or_else(|| operations(api).find(|(op, ..)| op.pagination.is_some()))
    {
        let call = call_expression(api, op, module, method, lib, None, 0);
        sections.push(Section {
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
    if let Some((op, module, method)) = operations(api).find(|(op, ..)| op.job.is_some()) {
        let call = call_expression(api, op, module, method, lib, None, 0);
        sections.push(Section {
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

fn section(title: &'static str, text: &'static str, code: &str) -> Section {
    Section {
        title,
        text,
        code: code.to_owned(),
    }
}

/// Every operation with the module and method that call it, in the groups' order.
fn operations(api: &Api) -> impl Iterator<Item = (&Operation, &str, &str)> {
    api.groups.iter().flat_map(move |g| {
        g.operations
            .iter()
            .zip(&g.methods)
            .filter_map(move |(id, method)| {
                let op = api.operations.get(id)?;
                Some((op, g.module.as_str(), method.as_str()))
            })
    })
}

/// The explicit-null example: a PUT or PATCH (else any operation) whose body is a model
/// with a writable field, that field sent as `null`.
fn explicit_null(api: &Api, lib: &str) -> Option<String> {
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
    let (op, module, method, model, field) =
        updates
            .chain(operations(api))
            .find_map(|(op, module, method)| {
                candidate(op).map(|(model, field)| (op, module, method, model, field))
            })?;
    if model.deprecated {
        return None;
    }
    let call = call_expression(api, op, module, method, lib, Some("body"), 0);
    Some(format!(
        "let client = {lib}::Client::from_env()?;\n\
         let mut body = {lib}::models::{model}::default();\n\
         body.set_null(|b| &mut b.{field});\n\
         let answer = {call}.send().await?;\n\
         println!(\"{{answer:?}}\");",
        model = model.name.rust,
        field = field.name.rust,
    ))
}
