//! Render and diff agree on every operation's method: for each operation of the 2025-07-28
//! definition and each group it is in, the method the generated `src/apis/*.rs` declares
//! (its name, argument names and types, the builder it returns, and the `type Output` of
//! its `impl crate::runtime::Operation`) equals what `generator::surface` spells, and the
//! signature the change report compares (`generator::diff::signatures`) is that same
//! method as people read it.
//!
//! The generated files are parsed with `syn`; types are compared as their tokens with
//! whitespace (and a line-breaking trailing comma) removed. A displayed type is the code's with `impl Into<...>` taken off and
//! every path shortened to its last segment (`crate::models::User` -> `User`); a
//! by-status response enum is displayed by its variants, read from its declaration.

use std::collections::{BTreeMap, BTreeSet};

use generator::diff::{self, Signature};
use generator::ir::Api;
use generator::surface::{surface, Outcome, Types};
use quote::ToTokens;

const SPEC: &str = "genesys-platform-api-2025-07-28.json";

/// A method or associated type's place: the module (file stem under `src/apis/`), the type
/// it belongs to, and its own name.
type Key = (String, String, String);

/// An enum's variants as declared: each variant's name and, for a tuple variant, its type.
type Variants = Vec<(String, Option<String>)>;

/// A method as the generated code declares it.
#[derive(Debug)]
struct Method {
    /// Argument names and types, `&self` left out.
    arguments: Vec<(String, String)>,
    /// The type the method returns (the request builder).
    returns: String,
}

/// What the generated `src/apis/*.rs` files declare.
#[derive(Default)]
struct Code {
    /// Public methods of inherent impls, by module, type and method name.
    methods: BTreeMap<Key, Method>,
    /// `type Output` of each `impl crate::runtime::Operation for P`, by module and `P`.
    outputs: BTreeMap<(String, String), String>,
    /// Each enum's variants, by module and enum name.
    enums: BTreeMap<(String, String), Variants>,
}

/// Tokens with whitespace removed, so that layout is no difference.
fn squash(tokens: impl ToTokens) -> String {
    squash_text(&tokens.to_token_stream().to_string())
}

/// Text with whitespace removed, and the trailing comma that `prettyplease` adds where it
/// breaks a long generic type over lines (`Vec<\n    crate::models::Long,\n>`).
fn squash_text(text: &str) -> String {
    let squashed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    squashed.replace(",>", ">")
}

/// The last identifier of a type path (`BillingApi` of `BillingApi<'a>`).
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn read_code(files: &[generator::format::OutputFile]) -> Code {
    let mut code = Code::default();
    for file in files {
        let Some(module) = file
            .path
            .strip_prefix("src/apis/")
            .and_then(|name| name.strip_suffix(".rs"))
            .filter(|m| *m != "mod")
        else {
            continue;
        };
        let parsed = syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path));
        for item in parsed.items {
            match item {
                syn::Item::Impl(block) => read_impl(&mut code, module, block),
                syn::Item::Enum(item) => {
                    let variants = item
                        .variants
                        .iter()
                        .map(|v| {
                            let ty = match &v.fields {
                                syn::Fields::Unnamed(fields) => {
                                    fields.unnamed.first().map(|f| squash(&f.ty))
                                }
                                _ => None,
                            };
                            (v.ident.to_string(), ty)
                        })
                        .collect();
                    code.enums
                        .insert((module.to_owned(), item.ident.to_string()), variants);
                }
                _ => {}
            }
        }
    }
    code
}

fn read_impl(code: &mut Code, module: &str, block: syn::ItemImpl) {
    let Some(self_type) = type_name(&block.self_ty) else {
        return;
    };
    match &block.trait_ {
        Some((_, path, _)) => {
            if squash(path) != "crate::runtime::Operation" {
                return;
            }
            for item in &block.items {
                if let syn::ImplItem::Type(output) = item {
                    if output.ident == "Output" {
                        code.outputs
                            .insert((module.to_owned(), self_type.clone()), squash(&output.ty));
                    }
                }
            }
        }
        None => {
            for item in &block.items {
                let syn::ImplItem::Fn(method) = item else {
                    continue;
                };
                if !matches!(method.vis, syn::Visibility::Public(_)) {
                    continue;
                }
                let arguments = method
                    .sig
                    .inputs
                    .iter()
                    .filter_map(|arg| match arg {
                        syn::FnArg::Typed(typed) => Some((squash(&typed.pat), squash(&typed.ty))),
                        syn::FnArg::Receiver(_) => None,
                    })
                    .collect();
                let returns = match &method.sig.output {
                    syn::ReturnType::Type(_, ty) => squash(ty),
                    syn::ReturnType::Default => "()".to_owned(),
                };
                code.methods.insert(
                    (
                        module.to_owned(),
                        self_type.clone(),
                        method.sig.ident.to_string(),
                    ),
                    Method { arguments, returns },
                );
            }
        }
    }
}

/// A squashed code type as people read it: `impl Into<...>` taken off, every path
/// shortened to its last segment.
fn shown(code: &str) -> String {
    let code = code
        .strip_prefix("implInto<")
        .and_then(|inner| inner.strip_suffix('>'))
        .unwrap_or(code);
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("::") {
        out.push_str(&rest[..at]);
        while out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            out.pop();
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// The builder a method returns, as the report names it (`apis::billing::GetBillingInvoice`):
/// a bare name is the group's module's own.
fn builder_shown(module: &str, code: &str) -> String {
    match code.strip_prefix("crate::") {
        Some(path) => path.to_owned(),
        None => format!("apis::{module}::{code}"),
    }
}

/// What `send()` returns as the report shows it: a response enum of the operation's home
/// module by its variants, any other type as [`shown`].
fn output_shown(code: &Code, home: &str, output: &str) -> String {
    match code.enums.get(&(home.to_owned(), output.to_owned())) {
        Some(variants) => {
            let variants: Vec<String> = variants
                .iter()
                .map(|(name, ty)| match ty {
                    Some(ty) => format!("{name}({})", shown(ty)),
                    None => name.clone(),
                })
                .collect();
            format!("enum{{{}}}", variants.join(","))
        }
        None => shown(output),
    }
}

/// Every disagreement between the generated code, the surface and the diff's signatures.
fn disagreements(api: &Api, code: &Code, signatures: &[Signature]) -> Vec<String> {
    let types = Types::new(api, false);
    let groups: BTreeMap<&str, &generator::ir::Group> =
        api.groups.iter().map(|g| (g.tag.as_str(), g)).collect();
    let mut problems = Vec::new();
    for sig in signatures {
        let at = format!("{} in {}", sig.operation_id, sig.tag);
        let (Some(op), Some(group)) = (
            api.operations.get(&sig.operation_id),
            groups.get(sig.tag.as_str()),
        ) else {
            problems.push(format!("{at}: no such operation or group in the IR"));
            continue;
        };
        let key = (
            group.module.clone(),
            group.name.rust.clone(),
            sig.method.clone(),
        );
        let Some(method) = code.methods.get(&key) else {
            problems.push(format!("{at}: no method {key:?} in the generated code"));
            continue;
        };
        let surface = surface(op);
        let spelled: Vec<(String, String)> = surface
            .arguments_code(&types)
            .into_iter()
            .map(|(name, ty)| (name.to_owned(), squash_text(&ty.to_string())))
            .collect();
        if spelled != method.arguments {
            problems.push(format!(
                "{at}: the code takes {:?}, the surface spells {spelled:?}",
                method.arguments
            ));
        }
        let compared: Vec<(String, String)> = sig
            .arguments
            .iter()
            .map(|a| (a.name.clone(), squash_text(&a.ty)))
            .collect();
        let written: Vec<(String, String)> = method
            .arguments
            .iter()
            .map(|(name, ty)| (name.clone(), shown(ty)))
            .collect();
        if compared != written {
            problems.push(format!(
                "{at}: the code takes {written:?}, the diff compares {compared:?}"
            ));
        }
        let builder = builder_shown(&group.module, &method.returns);
        if builder != sig.builder {
            problems.push(format!(
                "{at}: the method returns {builder}, the diff compares {}",
                sig.builder
            ));
        }
        let output_key = (op.home_module.clone(), op.params_type.clone());
        let Some(output) = code.outputs.get(&output_key) else {
            problems.push(format!("{at}: no `impl Operation for {output_key:?}`"));
            continue;
        };
        let spelled = squash_text(&surface.output_type(&types).to_string());
        if &spelled != output {
            problems.push(format!(
                "{at}: the code's Output is {output}, the surface spells {spelled}"
            ));
        }
        if let Outcome::ByStatus { name, variants } = &surface.outcome {
            let spelled: Variants = variants
                .iter()
                .map(|v| {
                    let ty = v.ty.map(|ty| squash_text(&types.ty(ty).to_string()));
                    (v.name.to_owned(), ty)
                })
                .collect();
            let declared = code
                .enums
                .get(&(op.home_module.clone(), (*name).to_owned()));
            if declared != Some(&spelled) {
                problems.push(format!(
                    "{at}: the code declares {name} as {declared:?}, the surface spells {spelled:?}"
                ));
            }
        }
        let written = output_shown(code, &op.home_module, output);
        if written != squash_text(&sig.returns) {
            problems.push(format!(
                "{at}: the code returns {written}, the diff compares {}",
                sig.returns
            ));
        }
    }
    problems
}

#[test]
fn generated_methods_are_what_the_surface_spells_and_the_diff_compares() {
    let Some(corpus) =
        tests::corpus("generated_methods_are_what_the_surface_spells_and_the_diff_compares")
    else {
        return;
    };
    let generated = generator::generate(&generator::Config::new(corpus.join(SPEC)))
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    let api = &generated.api;
    let code = read_code(&generated.files);
    let signatures = diff::signatures(api);

    // Every method of every group is one of the signatures, and each signature one method.
    let group_types: BTreeSet<(&str, &str)> = api
        .groups
        .iter()
        .map(|g| (g.module.as_str(), g.name.rust.as_str()))
        .collect();
    let group_methods = code
        .methods
        .keys()
        .filter(|(module, ty, _)| group_types.contains(&(module.as_str(), ty.as_str())))
        .count();
    let memberships: usize = api.groups.iter().map(|g| g.operations.len()).sum();
    assert_eq!(
        signatures.len(),
        memberships,
        "one signature per group membership"
    );
    assert_eq!(
        group_methods, memberships,
        "one group method per membership"
    );

    let problems = disagreements(api, &code, &signatures);
    assert!(
        problems.is_empty(),
        "{} of {} methods disagree; the first:\n{}",
        problems.len(),
        signatures.len(),
        problems
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let operations: BTreeSet<&str> = signatures.iter().map(|s| s.operation_id.as_str()).collect();
    let arguments: usize = signatures.iter().map(|s| s.arguments.len()).sum();
    let by_status = signatures
        .iter()
        .filter(|s| s.returns.starts_with("enum "))
        .count();
    eprintln!(
        "{SPEC}: {} operations, {} methods in {} groups, {arguments} arguments, \
         {by_status} by-status outputs agree",
        operations.len(),
        signatures.len(),
        api.groups.len()
    );
    assert_eq!(
        operations.len(),
        api.operations.len(),
        "every operation checked"
    );
}
