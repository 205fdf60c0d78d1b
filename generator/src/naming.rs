//! Stage 4, name: fills every Rust identifier in the IR. The only place that knows casing
//! (heck), the keyword table and how collisions are resolved; templates never case-convert.
//!
//! Policy, one table each: keywords become raw identifiers (`r#type`), except `self`, `Self`,
//! `crate` and `super`, which take a `_` suffix; a leading digit takes a prefix; names that
//! collide after case conversion keep the first (in a stable order) and number the rest
//! (`foo_bar`, `foo_bar_2`), with a warning that names both pointers.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::error::{Diagnostic, Diagnostics, WarningKind};
use crate::ir::Api;
use crate::upgrade::SourceMap;

/// Rust keywords (2021 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Names the generated code uses itself inside a scope, so spec names must avoid them.
const RESERVED_PARAMS: &[&str] = &[
    "client",
    "send",
    "send_with_response",
    "with_options",
    "request",
    "into_stream",
    "send_and_wait",
    "decode",
];
const RESERVED_FIELDS: &[&str] = &["unknown_fields", "explicit_nulls"];
const RESERVED_VARIANTS: &[&str] = &["UnknownValue"];
const RESERVED_ACCESSORS: &[&str] = &[
    "new",
    "builder",
    "execute",
    "base_url",
    "clone",
    "fmt",
    "http_client",
    "with_options",
    "call",
    "call_body",
];

/// The longest name of a file the generator writes, extension aside, in bytes. Module
/// names and group names name files (`src/models/{module}.rs`, `docs/{Group}.md`), and a
/// file name has at most 255 bytes: inline schemas nested fifty deep are named after
/// every level, or a tag can be a paragraph. Identifiers that name no file are not cut
/// (Genesys's own method names pass 96 bytes). Every name goes through a [`Scope`],
/// which numbers the ones that cutting made equal.
const MAX_FILE_STEM: usize = 200;

/// `cased` (ASCII) cut to [`MAX_FILE_STEM`] bytes.
fn capped(mut cased: String) -> String {
    cased.truncate(MAX_FILE_STEM);
    cased
}

/// Cargo features the generated manifest defines itself, which a group's feature (its
/// module name) must not be: operations without a tag are grouped under `default`.
const RESERVED_FEATURES: &[&str] = &["default", "all"];

/// A snake_case identifier (fields, parameters, methods, modules).
pub fn snake(name: &str) -> String {
    let cased = ascii_only(&name.to_snake_case(), '_');
    let cased = cased.trim_matches('_').to_owned();
    let cased = if cased.is_empty() {
        "value".to_owned()
    } else {
        cased
    };
    let cased = if cased.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{cased}")
    } else {
        cased
    };
    escape_keyword(cased)
}

/// An UpperCamelCase identifier (types, variants).
pub fn pascal(name: &str) -> String {
    let cased = ascii_only(&name.to_upper_camel_case(), '_').replace('_', "");
    // A name that started with a letter `ascii_only` dropped (`Ünïcödé` -> `ncd`) is
    // capitalised again, or it would be a lower-case type named like its module.
    let mut cased = if cased.is_empty() {
        "Empty".to_owned()
    } else {
        cased
    };
    cased[..1].make_ascii_uppercase();
    let cased = if cased.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{cased}")
    } else {
        cased
    };
    escape_keyword(cased)
}

fn ascii_only(s: &str, replacement: char) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                replacement
            }
        })
        .collect()
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A module (and file) name: snake_case, with a `_` suffix instead of a raw identifier,
/// since `mod r#type;` would need a file named `type.rs` on every platform's terms.
pub fn module_name(name: &str) -> String {
    let name = snake(name);
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => capped(name),
    }
}

/// The identifier without a raw prefix (`r#type` -> `type`), for building other names.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out unique names within one scope, in the order asked.
struct Scope {
    taken: HashMap<String, String>,
}

impl Scope {
    fn new(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved
                .iter()
                .map(|r| (r.to_string(), String::new()))
                .collect(),
        }
    }

    /// The name, or the name with the first free number appended; and the pointer of the
    /// earlier holder when it had to number.
    fn claim(&mut self, name: String, pointer: &str, separator: &str) -> (String, Option<String>) {
        if !self.taken.contains_key(&name) {
            self.taken.insert(name.clone(), pointer.to_owned());
            return (name, None);
        }
        let first = self.taken[&name].clone();
        let base = bare(&name).trim_end_matches('_').to_owned();
        let mut n = 2;
        loop {
            let candidate = format!("{base}{separator}{n}");
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(candidate.clone(), pointer.to_owned());
                return (candidate, Some(first));
            }
            n += 1;
        }
    }
}

fn collided(
    diags: &mut Diagnostics,
    map: &SourceMap,
    pointer: &str,
    first: Option<String>,
    what: &str,
    wire: &str,
    chosen: &str,
) {
    if let Some(first) = first {
        let (file, here) = map.locate(pointer);
        let other = if first.is_empty() {
            "a name the generated code reserves".to_owned()
        } else {
            map.locate(&first).1
        };
        diags.items.push(Diagnostic {
            related: Some(other),
            ..Diagnostic::new(
                WarningKind::NameCollision,
                file,
                here,
                format!("{what} {wire:?} collides after case conversion; named it `{chosen}`"),
            )
        });
    }
}

/// Names a model's fields or variants.
fn name_members(model: &mut crate::ir::Model, map: &SourceMap, diags: &mut Diagnostics) {
    let pointer = model.pointer.clone();
    match &mut model.kind {
        crate::ir::ModelKind::Struct { fields, .. } => {
            let mut scope = Scope::new(RESERVED_FIELDS);
            for field in fields {
                let (rust, first) = scope.claim(snake(&field.name.wire), &field.pointer, "_");
                collided(
                    diags,
                    map,
                    &field.pointer,
                    first,
                    "field",
                    &field.name.wire,
                    &rust,
                );
                field.name.rust = rust;
            }
        }
        crate::ir::ModelKind::Enum { values } => {
            let mut scope = Scope::new(RESERVED_VARIANTS);
            for value in values {
                let (rust, first) = scope.claim(pascal(&value.name.wire), &pointer, "");
                if first.is_some() {
                    diags.warn(
                        WarningKind::NameCollision,
                        map.locate(&pointer).1,
                        format!(
                            "enum value {:?} collides after case conversion; named it `{rust}`",
                            value.name.wire
                        ),
                    );
                }
                value.name.rust = rust;
            }
        }
        crate::ir::ModelKind::Alias { .. } => {}
    }
}

/// Fills every `rust` name and derived name in the IR.
pub fn name(api: &mut Api, map: &SourceMap, diags: &mut Diagnostics) {
    // Models: definitions before inline schemas, each in id order, so a definition keeps its
    // name over an inline schema named like it.
    let mut order: Vec<String> = api.models.keys().cloned().collect();
    order.sort_by(|a, b| (a.starts_with('#'), a).cmp(&(b.starts_with('#'), b)));
    let mut types = Scope::new(&[]);
    let mut modules = Scope::new(&["mod"]);
    for id in &order {
        let model = &mut api.models[id];
        let (rust, first) = types.claim(pascal(&model.name.wire), &model.pointer, "");
        collided(
            diags,
            map,
            &model.pointer,
            first,
            "model name",
            &model.name.wire,
            &rust,
        );
        let (module, _) = modules.claim(module_name(&rust), &model.pointer, "_");
        model.module = module;
        model.name.rust = rust;
    }
    for model in api.models.values_mut() {
        name_members(model, map, diags);
    }

    // Groups: struct `{Tag}Api`, module and accessor snake_case(tag).
    let mut group_modules = Scope::new(&["mod"]);
    // Struct names are unique on their own: tags that differ only in case or punctuation
    // (`self` and `Self`, `!!!` and `---`) get distinct modules and must get distinct types.
    let mut group_types = Scope::new(&[]);
    let mut home: BTreeMap<String, String> = BTreeMap::new();
    for group in &mut api.groups {
        let (rust, _) = group_types.claim(
            format!("{}Api", capped(bare(&pascal(&group.tag)).to_owned())),
            "",
            "",
        );
        group.name.rust = rust;
        let module = module_name(&group.tag);
        let module = if RESERVED_ACCESSORS.contains(&module.as_str())
            || RESERVED_FEATURES.contains(&module.as_str())
        {
            format!("{module}_api")
        } else {
            module
        };
        let (module, _) = group_modules.claim(module, "", "_");
        group.feature = module.clone();
        group.module = module;
        home.insert(group.tag.clone(), group.module.clone());
    }
    // Operations: method names per group, unique within it; builders unique within the home
    // module (the first tag's).
    let mut builders: BTreeMap<String, Scope> = BTreeMap::new();
    let group_structs: BTreeSet<String> = api.groups.iter().map(|g| g.name.rust.clone()).collect();
    let reserved: Vec<&str> = group_structs.iter().map(String::as_str).collect();
    for group in &mut api.groups {
        let mut scope = Scope::new(&[]);
        group.methods = group
            .operations
            .iter()
            .map(|id| {
                let op = &api.operations[id];
                let (rust, first) = scope.claim(snake(&op.name.wire), &op.pointer, "_");
                collided(
                    diags,
                    map,
                    &op.pointer,
                    first,
                    "operation",
                    &op.name.wire,
                    &rust,
                );
                rust
            })
            .collect();
    }
    for group in &api.groups {
        for (id, method) in group.operations.iter().zip(&group.methods) {
            let op = &mut api.operations[id];
            if op.tags.first() == Some(&group.tag) {
                op.name.rust = method.clone();
                op.home_module = group.module.clone();
                let scope = builders
                    .entry(group.module.clone())
                    .or_insert_with(|| Scope::new(&reserved));
                let (builder, _) = scope.claim(pascal(bare(method)), &op.pointer, "");
                op.builder = bare(&builder).to_owned();
                name_builder_types(op, scope, map, diags);
            }
        }
    }
    for op in api.operations.values_mut() {
        let mut scope = Scope::new(RESERVED_PARAMS);
        for param in &mut op.params {
            let (rust, first) = scope.claim(snake(&param.name.wire), &param.pointer, "_");
            collided(
                diags,
                map,
                &param.pointer,
                first,
                "parameter",
                &param.name.wire,
                &rust,
            );
            param.name.rust = rust;
        }
        if let Some(body) = &mut op.body {
            let (rust, _) = scope.claim(snake(&body.name.wire), &body.pointer, "_");
            body.name.rust = rust;
            for field in &mut body.fields {
                let (rust, _) = scope.claim(snake(&field.name.wire), &body.pointer, "_");
                field.name.rust = rust;
            }
        }
        name_job_locals(op, map, diags);
    }
}

/// Names the types an operation's builder brings into its module beside the builder: the
/// parameters type (`{Builder}Params`) and, when success responses differ in type, the
/// response enum (`{Builder}Response`) and its variants (`Status{code}`).
fn name_builder_types(
    op: &mut crate::ir::Operation,
    scope: &mut Scope,
    map: &SourceMap,
    diags: &mut Diagnostics,
) {
    // `Self_` gives `SelfParams`, not a non-camel-case name.
    let stem = op.builder.trim_end_matches('_').to_owned();
    let (params, first) = scope.claim(format!("{stem}Params"), &op.pointer, "");
    collided(
        diags,
        map,
        &op.pointer,
        first,
        "parameters type of",
        &op.id,
        &params,
    );
    op.params_type = params;
    op.response_enum = None;
    if op.success_shape() != crate::ir::SuccessShape::ByStatus {
        return;
    }
    let (name, first) = scope.claim(format!("{}Response", op.builder), &op.pointer, "");
    collided(
        diags,
        map,
        &op.pointer,
        first,
        "response enum of",
        &op.id,
        &name,
    );
    let mut variants = Scope::new(&[]);
    let variants = op
        .success
        .iter()
        .map(|response| {
            let status = crate::ir::Operation::status_code(response);
            let (variant, first) = variants.claim(format!("Status{status}"), &op.pointer, "_");
            collided(
                diags,
                map,
                &op.pointer,
                first,
                "success status",
                &response.status,
                &variant,
            );
            variant
        })
        .collect();
    op.response_enum = Some(crate::ir::ResponseEnum { name, variants });
}

/// Local variables `send_and_wait` declares itself, which a carried parameter's must avoid.
const RESERVED_JOB_LOCALS: &[&str] = &[
    "job_client",
    "job_id",
    "started",
    "options",
    "poll",
    "result",
];

/// Names the locals that hold a job's carried path parameters while it is polled:
/// `job_param_{parameter}`, from the starting operation's Rust name of the parameter.
fn name_job_locals(op: &mut crate::ir::Operation, map: &SourceMap, diags: &mut Diagnostics) {
    let Some(job) = &mut op.job else {
        return;
    };
    let mut scope = Scope::new(RESERVED_JOB_LOCALS);
    for carried in &mut job.carried {
        let Some(own) = op.params.iter().find(|p| p.name.wire == carried.wire) else {
            continue;
        };
        let (local, first) = scope.claim(
            format!("job_param_{}", bare(&own.name.rust)),
            &own.pointer,
            "_",
        );
        collided(
            diags,
            map,
            &own.pointer,
            first,
            "job parameter",
            &carried.wire,
            &local,
        );
        carried.rust = local;
    }
}

/// Doc text made safe for rustdoc: trimmed lines (no accidental code blocks or doctests),
/// code fences escaped (no doctests either), brackets and angle brackets escaped (no
/// broken links or HTML), bare URLs made links.
pub fn doc(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.trim().lines() {
        let line = line.trim();
        let mut escaped = String::with_capacity(line.len() + 1);
        for word in line.split(' ') {
            if !escaped.is_empty() {
                escaped.push(' ');
            }
            // A URL, also after an opening parenthesis or quote (`(https://...)`).
            let url_at = word.find("https://").or_else(|| word.find("http://"));
            if let Some(at) = url_at {
                let (head, word) = word.split_at(at);
                escaped.push_str(&escape_markdown(head));
                let (url, tail) = split_url(word);
                escaped.push('<');
                escaped.push_str(url);
                escaped.push('>');
                escaped.push_str(&escape_markdown(tail));
            } else {
                escaped.push_str(&escape_markdown(word));
            }
        }
        // A line opening a fence (```` ```rust ````, `~~~`) would start a doctest that
        // `cargo test` of the generated crate compiles and runs; escaped, it is text.
        if line.starts_with("```") || line.starts_with("~~~") {
            escaped.insert(0, '\\');
        }
        out.push(escaped);
    }
    out.join("\n")
}

fn split_url(word: &str) -> (&str, &str) {
    let end = word
        .trim_end_matches(['.', ',', ')', ';', ':', '"', '\''])
        .len();
    let end = word[..end].find(['<', '>', '"', '`']).unwrap_or(end);
    word.split_at(end)
}

fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text for one Markdown table cell: one line, pipes escaped.
pub fn table_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The first sentence-ish line of a text, for summaries.
pub fn first_line(text: &str) -> String {
    text.trim()
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}
