//! Doc text about an operation that both its rustdoc and its Markdown page show: the usage
//! example, the parameter rows, what it returns and how it fails. Read from the operation's
//! [`Surface`], so the docs describe the signature the code has.

use serde::Serialize;

use super::{one_line, text};
use crate::ir::{Api, BodyKind, ModelKind, Operation, PermissionKind, TypeRef};
use crate::naming::{bare, doc, table_cell};
use crate::surface::{display, Failure, Input, Outcome, Place, Surface};

/// One row of a Markdown page's parameter table.
#[derive(Serialize)]
pub(super) struct ParamRow {
    name: String,
    ty: String,
    description: String,
    notes: String,
}

/// `Requires ANY permissions:` and the list, as Genesys's SDK docs word it.
pub(super) fn permission_doc(op: &Operation) -> String {
    match &op.permissions {
        None => "Requires NO permissions.".into(),
        Some(p) => {
            let mut s = format!("Requires {} permissions:\n", permission_word(p.kind));
            for name in &p.names {
                // One line, a fence at its start escaped: a list item cannot open a
                // code block (a doctest) or run into the next one.
                s.push_str(&format!("\n* {}", one_line(&doc(name))));
            }
            s
        }
    }
}

/// `ALL` or `ANY`.
pub(super) fn permission_word(kind: PermissionKind) -> &'static str {
    match kind {
        PermissionKind::All => "ALL",
        PermissionKind::Any => "ANY",
    }
}

/// Statuses Genesys answers on most operations with boilerplate descriptions: listed by
/// number only; any other status keeps its description.
const COMMON_ERRORS: &[&str] = &[
    "400", "401", "403", "404", "408", "413", "415", "429", "500", "503", "504",
];

/// The `# Errors` section: one bullet per `Error` variant `send()` can return.
pub(super) fn errors_doc(surface: &Surface) -> String {
    let mut s = "# Errors\n".to_owned();
    for failure in &surface.failures {
        let (variant, when) = match failure {
            Failure::Api => ("Api", api_errors(surface)),
            Failure::Transport => (
                "Transport",
                "the request cannot be sent or the response not read.".to_owned(),
            ),
            Failure::Timeout => ("Timeout", "an attempt runs out of time.".to_owned()),
            Failure::Auth => ("Auth", "no access token can be obtained.".to_owned()),
            Failure::Config => (
                "Config",
                "a per-call header is not a valid header value.".to_owned(),
            ),
            Failure::Encode => ("Encode", encode_errors(surface)),
            Failure::Decode => (
                "Decode",
                match surface.outcome {
                    Outcome::ByStatus { .. } => "the success body does not decode, or the \
                                                 status is not one the definition lists."
                        .to_owned(),
                    _ => "the response body does not decode into the return type.".to_owned(),
                },
            ),
        };
        s.push_str(&format!(
            "\n* [`{variant}`](crate::Error::{variant}): {when}"
        ));
    }
    s
}

/// When [`Failure::Encode`] happens: the inputs that are encoded.
fn encode_errors(surface: &Surface) -> String {
    let path = surface.inputs.iter().any(|i| i.place == Place::Path);
    let body = surface
        .inputs
        .iter()
        .any(|i| i.place == Place::Body(BodyKind::Json));
    match (path, body) {
        (true, true) => "a path parameter or the request body cannot be encoded.",
        (true, false) => "a path parameter cannot be encoded.",
        _ => "the request body cannot be encoded.",
    }
    .to_owned()
}

/// When [`Failure::Api`] happens: the documented error statuses, common ones by number
/// and the others with their descriptions as sub-bullets.
fn api_errors(surface: &Surface) -> String {
    let errors = surface.api_errors;
    let common: Vec<&str> = errors
        .iter()
        .map(|e| e.status.as_str())
        .filter(|s| COMMON_ERRORS.contains(s))
        .collect();
    let special: Vec<_> = errors
        .iter()
        .filter(|e| !COMMON_ERRORS.contains(&e.status.as_str()))
        .collect();
    let mut s = "the API answers with an error status".to_owned();
    match (common.is_empty(), special.is_empty()) {
        (true, true) => s.push('.'),
        (false, true) => s.push_str(&format!(" ({}).", common.join(", "))),
        (false, false) => s.push_str(&format!(" ({}), or:", common.join(", "))),
        (true, false) => s.push(':'),
    }
    for e in special {
        s.push_str(&format!(
            "\n  * {}: {}",
            e.status,
            one_line(&doc(&e.description))
        ));
    }
    s
}

/// The `# Returns` section's text.
pub(super) fn returns_doc(api: &Api, surface: &Surface) -> String {
    match &surface.outcome {
        Outcome::Unit => "Nothing: the operation answers without a body.".into(),
        Outcome::One(TypeRef::Binary) => "The response body as bytes.".into(),
        Outcome::One(TypeRef::Model(id)) => {
            format!("[`crate::models::{}`]", api.models[id].name.rust)
        }
        // Free-form JSON: the path resolves where the bare `Value` would not.
        Outcome::One(TypeRef::Json) => "[`serde_json::Value`]".into(),
        Outcome::One(ty) => format!("[`{}`]", display(api, ty)),
        Outcome::ByStatus { name, .. } => {
            format!("[`{name}`], one variant per success status.")
        }
    }
}

/// The rows of the parameter table: parameters, then the body or its form parts.
pub(super) fn param_rows(api: &Api, surface: &Surface) -> Vec<ParamRow> {
    surface
        .inputs
        .iter()
        .map(|input| {
            let mut notes = Vec::new();
            if !input.required {
                notes.push("[optional]".to_owned());
            }
            if let Some(d) = input.default {
                notes.push(format!(
                    "[default to {}]",
                    d.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| d.to_string())
                ));
            }
            if !input.enum_values.is_empty() {
                notes.push(format!(
                    "<br />**Values**: {}",
                    input.enum_values.join(", ")
                ));
            }
            ParamRow {
                name: input.wire.to_owned(),
                ty: display(api, input.ty),
                description: input.description.map(table_cell).unwrap_or_default(),
                notes: table_cell(&notes.join(" ")),
            }
        })
        .collect()
}

/// A call of the operation with example arguments and its first two optional parameters.
pub(super) fn usage_example(
    api: &Api,
    op: &Operation,
    module: &str,
    method: &str,
    lib_name: &str,
) -> String {
    let call = call_expression(api, op, module, method, lib_name, None, 2);
    format!(
        "let client = {lib_name}::Client::builder()\n    .bearer_token(std::env::var(\"GENESYS_TOKEN\")?)\n    .build()?;\nlet result = {call}\n    .send()\n    .await?;\nprintln!(\"{{result:?}}\");"
    )
}

/// `client.{module}().{method}(arguments)` with example arguments, the body argument
/// named `body` (the variable `body_var` when given), and the first `setters` optional
/// path, query or header parameters, each on its own line.
pub(super) fn call_expression(
    api: &Api,
    op: &Operation,
    module: &str,
    method: &str,
    lib_name: &str,
    body_var: Option<&str>,
    setters: usize,
) -> String {
    let surface = crate::surface::surface(op);
    let args: Vec<String> = surface
        .arguments()
        .map(|i| match (&i.place, body_var) {
            (Place::Body(_), Some(var)) => var.to_owned(),
            (Place::Body(_), None) => example_value(api, lib_name, i.ty, "body"),
            _ => example_value(api, lib_name, i.ty, i.wire),
        })
        .collect();
    let mut call = format!("client.{module}().{}({})", bare(method), args.join(", "));
    if let Some(var) = body_var {
        // An optional body is a setter: the variable goes there.
        for i in surface
            .setters()
            .filter(|i| matches!(i.place, Place::Body(_)))
        {
            call.push_str(&format!("\n    .{}({var})", bare(i.rust)));
        }
    }
    for i in surface
        .setters()
        .filter(|i| matches!(i.place, Place::Path | Place::Query | Place::Header))
        .take(setters)
    {
        call.push_str(&format!(
            "\n    .{}({})",
            bare(i.rust),
            example_value(api, lib_name, i.ty, i.wire)
        ));
    }
    call
}

fn example_value(api: &Api, lib_name: &str, ty: &TypeRef, name: &str) -> String {
    match ty {
        TypeRef::String => format!("{:?}", format!("{name}_example")),
        TypeRef::Bool => "true".into(),
        TypeRef::I32 | TypeRef::I64 => "1".into(),
        TypeRef::F32 | TypeRef::F64 => "1.0".into(),
        TypeRef::DateTime => format!("{lib_name}::runtime::DateTime::now()"),
        TypeRef::Model(id) => {
            let model = &api.models[id];
            match &model.kind {
                ModelKind::Enum { values } => match values.first() {
                    Some(v) => format!("{lib_name}::models::{}::{}", model.name.rust, v.name.rust),
                    None => "Default::default()".into(),
                },
                _ => format!("{lib_name}::models::{}::default()", model.name.rust),
            }
        }
        TypeRef::List(_) => "vec![]".into(),
        TypeRef::Binary => "Vec::<u8>::new()".into(),
        _ => "Default::default()".into(),
    }
}

/// A setter's doc: its description and the server's default, or what it sets.
pub(super) fn setter_doc(input: &Input) -> Vec<String> {
    let mut paras = vec![text(input.description)];
    if paras[0].trim().is_empty() {
        paras[0] = match input.place {
            Place::Body(_) => "Sets the request body.".to_owned(),
            place => format!("Sets the `{}` {}.", input.wire, place.noun()),
        };
    }
    if let Some(d) = input.default {
        paras.push(format!(
            "The server's default is `{}`.",
            d.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| d.to_string())
        ));
    }
    paras
}
