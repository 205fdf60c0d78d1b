//! Hostile definitions (issue 14): every case in `tests/fixtures/hostile`, and the ones
//! [`built_cases`] writes from a table (invalid UTF-8, 10,000-deep nesting, multi-megabyte
//! text: too large or too binary to commit), goes through the generator in memory, each on
//! its own thread under [`TIME_BOUND`]. None may panic or hang; each fails with the error
//! its `.expect` file gives (pointer or line and column, and a lowercase phrase), leaving
//! the output directory it would have replaced untouched, or generates a crate. The
//! generated crates are checked together, as the members of one workspace, in one
//! `cargo check` run.
//!
//! Two more tests: no error of the bad corpus (`tests/fixtures/bad` and this one) lacks a
//! file and a location, and text crafted to escape a doc comment, a string literal or a
//! table entry comes out as text, in files that parse to exactly the items expected.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// How long one case may take to generate (a debug build, on a shared machine; the largest
/// case, megabytes of descriptions, takes about a second).
const TIME_BOUND: Duration = Duration::from_secs(15);

/// The main thread's stack on Linux, which `cargo xtask` runs the generator on.
const XTASK_STACK: usize = 8 << 20;

/// What a case must do.
#[derive(Debug, Clone)]
enum Expect {
    /// Generate a crate that compiles.
    Compiles,
    /// Fail at `place` (`#pointer`, or `line L column C` for a syntax error) with a message
    /// containing `phrase`.
    Error { place: String, phrase: String },
}

impl Expect {
    /// Reads an `.expect` line: `compiles`, or `place` TAB `phrase`.
    fn parse(line: &str) -> Expect {
        let line = line.trim_end();
        if line == "compiles" {
            return Expect::Compiles;
        }
        let (place, phrase) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("expect line {line:?}: `compiles` or place<TAB>phrase"));
        Expect::Error {
            place: place.to_owned(),
            phrase: phrase.to_owned(),
        }
    }
}

/// One hostile definition.
struct Case {
    name: String,
    spec: PathBuf,
    expect: Expect,
}

/// The definitions in `dir` (every file but the `.expect` files), each with its
/// expectation, sorted by name.
fn fixture_cases(dir: &Path) -> Vec<Case> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "expect") && p.is_file())
        .collect();
    specs.sort();
    specs
        .into_iter()
        .map(|spec| {
            let expect = std::fs::read_to_string(spec.with_extension("expect"))
                .unwrap_or_else(|_| panic!("{} has no .expect", spec.display()));
            Case {
                name: spec.file_stem().unwrap().to_string_lossy().into_owned(),
                expect: Expect::parse(&expect),
                spec,
            }
        })
        .collect()
}

/// The cases too large or too binary to commit, written into `dir`: (file name, contents,
/// expectation).
fn built_cases(dir: &Path) -> Vec<Case> {
    const DEEP: usize = 10_000;
    let head = "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"T\", \"version\": \"v2\"";
    let deep_objects = format!(
        "{head}, \"x-deep\": {}1{}}},\n  \"paths\": {{}}\n}}\n",
        "{\"a\": ".repeat(DEEP),
        "}".repeat(DEEP)
    );
    // Inside a definition: `paths` and `definitions` members are parsed apart from the rest.
    let deep_arrays_in_definition = format!(
        "{head}}},\n  \"paths\": {{}},\n  \"definitions\": {{\"A\": {{\"type\": \"object\", \"example\": {}{}}}}}\n}}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let yaml_head = "swagger: '2.0'\ninfo: {title: T, version: v2}\npaths: {}\n";
    let deep_flow_yaml = format!(
        "{yaml_head}x-deep: {}{}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    // Block style: each level one space deeper (a thousand levels are half a megabyte).
    let mut deep_block_yaml = format!("{yaml_head}x-deep:\n");
    for level in 1..=1000 {
        deep_block_yaml.push_str(&format!("{}a:\n", " ".repeat(level)));
    }
    deep_block_yaml.push_str(&format!("{}b: 1\n", " ".repeat(1001)));
    // Inline objects nested 63 deep, the most serde_json's recursion limit (128) lets
    // through, each named after every level above it.
    let mut deep_schema = "{\"type\": \"string\"}".to_owned();
    for level in 0..63 {
        deep_schema = format!(
            "{{\"type\": \"object\", \"properties\": {{\"level{level}\": {deep_schema}}}}}"
        );
    }
    let deep_schema = format!(
        "{head}}},\n  \"paths\": {{}},\n  \"definitions\": {{\"Deep\": {deep_schema}}}\n}}\n"
    );
    // Two megabytes of text in four places a description goes: the crate, an operation, a
    // parameter and a field.
    let big = serde_json::Value::String("A hostile description. ".repeat(2 << 20 >> 4));
    let huge_descriptions = serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "T", "version": "v2", "description": big},
        "paths": {"/api/v2/things": {"get": {
            "tags": ["Things"], "operationId": "getThings", "description": big,
            "parameters": [{"name": "q", "in": "query", "type": "string", "description": big}],
            "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Thing"}}}
        }}},
        "definitions": {"Thing": {"type": "object",
            "properties": {"a": {"type": "string", "description": big}}}}
    })
    .to_string();
    let table: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "invalid_utf8.json",
            b"{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"T\xff\xfe\", \"version\": \"v2\"},\n  \"paths\": {}\n}\n".to_vec(),
            "line 3 column 23\tinvalid unicode code point",
        ),
        (
            "invalid_utf8_in_definition.json",
            b"{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"T\", \"version\": \"v2\"},\n  \"paths\": {},\n  \"definitions\": {\"A\": {\"type\": \"object\", \"description\": \"caf\xc3\"}}\n}\n".to_vec(),
            "line 5 column 62\tinvalid unicode code point",
        ),
        (
            // serde_yaml reports where the document starts, with the byte offset.
            "invalid_utf8.yaml",
            b"swagger: '2.0'\ninfo:\n  title: \"T\xc0\xaf\"\n  version: v2\npaths: {}\n".to_vec(),
            "line 1 column 1\tinvalid length of a utf-8 sequence at position 32",
        ),
        (
            "deep_objects.json",
            deep_objects.into_bytes(),
            "line 3 column 803\trecursion limit exceeded",
        ),
        (
            "deep_arrays_in_definition.json",
            deep_arrays_in_definition.into_bytes(),
            "line 5 column 180\trecursion limit exceeded",
        ),
        (
            "deep_flow.yaml",
            deep_flow_yaml.into_bytes(),
            "line 4 column 136\trecursion limit exceeded",
        ),
        (
            "deep_block.yaml",
            deep_block_yaml.into_bytes(),
            "line 132 column 129\trecursion limit exceeded",
        ),
        ("deep_schema.json", deep_schema.into_bytes(), "compiles"),
        (
            "huge_descriptions.json",
            huge_descriptions.into_bytes(),
            "compiles",
        ),
    ];
    table
        .into_iter()
        .map(|(file, contents, expect)| {
            let spec = dir.join(file);
            std::fs::write(&spec, contents).unwrap();
            Case {
                name: format!("built_{}", file.split('.').next().unwrap()),
                spec,
                expect: Expect::parse(expect),
            }
        })
        .collect()
}

/// Every hostile case: the fixtures, then the built ones (written into `scratch`).
fn hostile_cases(scratch: &Path) -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile");
    let built = scratch.join("built");
    std::fs::create_dir_all(&built).unwrap();
    let mut cases = fixture_cases(&dir);
    cases.extend(built_cases(&built));
    cases
}

/// What one run of the generator did.
enum Outcome {
    Generated(Box<generator::Generated>),
    Failed(generator::Error),
    Panicked(String),
    TimedOut,
}

/// Generates `spec` as crate `crate_name` on its own thread, catching a panic and giving up
/// after [`TIME_BOUND`] (the thread is left to finish on its own). The thread has the stack
/// of `cargo xtask`'s main thread (8 MiB): decoding a schema nested 63 deep takes more
/// than a test thread's 2 MiB in a debug build.
fn run(spec: &Path, crate_name: &str) -> (Outcome, Duration) {
    let mut config = generator::Config::new(spec);
    config.crate_name = crate_name.to_owned();
    let (send, receive) = mpsc::channel();
    let start = Instant::now();
    std::thread::Builder::new()
        .stack_size(XTASK_STACK)
        .spawn(move || {
            let result =
                std::panic::catch_unwind(AssertUnwindSafe(|| generator::generate(&config)));
            let _ = send.send(result);
        })
        .unwrap();
    let outcome = match receive.recv_timeout(TIME_BOUND) {
        Ok(Ok(Ok(generated))) => Outcome::Generated(Box::new(generated)),
        Ok(Ok(Err(error))) => Outcome::Failed(error),
        Ok(Err(panic)) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        ),
        Err(_) => Outcome::TimedOut,
    };
    (outcome, start.elapsed())
}

/// Why `error` does not match the expected place and phrase, if it does not.
fn mismatch(spec: &Path, error: &generator::Error, place: &str, phrase: &str) -> Option<String> {
    let message = error.to_string();
    if !message.starts_with(&spec.display().to_string()) {
        return Some(format!("does not name the file: {message}"));
    }
    if let Some(pointer) = place.strip_prefix('#') {
        if error.pointer != pointer {
            return Some(format!(
                "pointer {:?}, not {place:?}: {message}",
                error.pointer
            ));
        }
        if !message.contains(&format!("#{pointer}:")) {
            return Some(format!("does not show the pointer {place:?}: {message}"));
        }
    } else if !message.contains(place) {
        return Some(format!("does not give {place:?}: {message}"));
    }
    if !message.to_lowercase().contains(phrase) {
        return Some(format!("does not say {phrase:?}: {message}"));
    }
    None
}

/// Whether an error names its file and where in it: a pointer (shown `file#pointer: `, the
/// root as `file#: `) or, for a syntax error, a line and column.
fn located(error: &generator::Error) -> bool {
    if error.file.is_empty() {
        return false;
    }
    match &*error.kind {
        generator::ErrorKind::Syntax { line, .. } => *line > 0,
        _ => error.to_string().starts_with(&format!("{}#", error.file)),
    }
}

/// The names in `dir` with their contents, sorted.
fn listing(dir: &Path) -> Vec<(String, String)> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let contents = std::fs::read_to_string(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), contents)
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn every_hostile_definition_fails_where_expected_or_compiles() {
    let scratch = tests::scratch("hostile");
    let workspace = scratch.join("crates");
    let rejected = scratch.join("rejected");
    let cases = hostile_cases(&scratch);
    assert!(cases.len() >= 60, "only {} hostile cases", cases.len());
    let mut problems = Vec::new();
    let mut members = Vec::new();
    let (mut failed, mut slowest) = (0, (Duration::ZERO, String::new()));
    for case in &cases {
        let member = format!("h-{}", case.name.replace('_', "-"));
        // The directory the run would replace, holding a file that must survive a failure.
        let out = rejected.join(&member);
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("sentinel"), "existing output").unwrap();
        let before = listing(&out);
        let (outcome, took) = run(&case.spec, &member);
        slowest = slowest.max((took, case.name.clone()));
        let problem = match (outcome, &case.expect) {
            (Outcome::Panicked(message), _) => Some(format!("panicked: {message}")),
            (Outcome::TimedOut, _) => Some(format!("took more than {TIME_BOUND:?}")),
            (Outcome::Failed(error), expect) => {
                failed += 1;
                if listing(&out) != before {
                    Some("a failed run changed the output directory".to_owned())
                } else if let Expect::Error { place, phrase } = expect {
                    mismatch(&case.spec, &error, place, phrase)
                } else {
                    Some(format!("should compile, but fails: {error}"))
                }
            }
            (Outcome::Generated(generated), expect) => {
                if let Expect::Error { place, phrase } = expect {
                    Some(format!(
                        "generated, but should fail at {place} with {phrase:?}"
                    ))
                } else {
                    generator::write::apply(
                        &workspace.join(&member),
                        &generated.files,
                        generator::write::Mode::Write,
                    )
                    .unwrap();
                    members.push(member);
                    None
                }
            }
        };
        if let Some(problem) = problem {
            problems.push(format!("{}: {problem}", case.name));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!(
        "{} hostile cases: {failed} failed as expected, {} generated; slowest {} ({:?})",
        cases.len(),
        members.len(),
        slowest.1,
        slowest.0
    );

    // One `cargo check` of every accepted crate.
    tests::make_workspace(&workspace, &members);
    let start = Instant::now();
    let (ok, stderr) = tests::cargo(&workspace, &["check", "--workspace", "--offline"]);
    let errors: Vec<&str> = tests::diagnostics(&stderr)
        .into_iter()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert!(
        ok && errors.is_empty(),
        "accepted hostile definitions do not compile:\n{stderr}"
    );
    eprintln!(
        "{} accepted hostile definitions compiled in {:?}",
        members.len(),
        start.elapsed()
    );
}

#[test]
fn no_error_of_the_bad_corpus_lacks_a_file_and_a_location() {
    let scratch = tests::scratch("hostile-located");
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bad");
    let mut cases = fixture_cases(&bad);
    cases.extend(hostile_cases(&scratch));
    let mut walked = 0;
    let mut unlocated = Vec::new();
    for case in &cases {
        let (outcome, _) = run(&case.spec, "located");
        if let Outcome::Failed(error) = outcome {
            walked += 1;
            if !located(&error) {
                unlocated.push(error.to_string());
            }
        }
    }
    assert!(
        unlocated.is_empty(),
        "errors without a location:\n{}",
        unlocated.join("\n")
    );
    assert!(walked >= 60, "only {walked} errors walked");
    eprintln!("{walked} errors of the bad corpus, each with its file and location");
}

/// The texts `escape_everywhere.json` plants in every summary, description, enum value,
/// wire name, tag, permission, scope and default. The identifiers and attributes they
/// spell must never appear as code.
const PLANTED_IDENTS: &[&str] = &["injected", "gone", "in_fence"];
const PLANTED_ATTRIBUTES: &[&str] = &["cfg(any())", "allow(unused)", "doc = \"x\""];

/// The opening fences the generator itself writes in doc comments.
const OWN_FENCES: &[&str] = &["```", "```no_run", "```rust,no_run"];

/// Every identifier in `tokens`, at any depth.
fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => out.push(ident.to_string()),
            TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

/// The `#[...]` attributes of `tokens` (at any depth), without spaces.
fn attributes(tokens: TokenStream, out: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            let after_hash = trees[..i]
                .iter()
                .rev()
                .take(2)
                .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '#'));
            if after_hash && group.delimiter() == proc_macro2::Delimiter::Bracket {
                out.push(group.stream().to_string().replace(' ', ""));
            }
            attributes(group.stream(), out);
        }
    }
}

/// The doc text of `attrs`, one line per `#[doc]` attribute.
fn doc_of(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Checks one run of doc lines: its fences are the generator's own and balanced.
fn check_fences(file: &str, doc: &[String]) {
    let mut open = false;
    for line in doc {
        let line = line.trim();
        // CommonMark: three or more backticks, and no backtick in the info string after
        // them (```` `x```y` ```` is text).
        let ticks = line.len() - line.trim_start_matches('`').len();
        if ticks >= 3 && !line[ticks..].contains('`') {
            if !open {
                assert!(
                    OWN_FENCES.contains(&line),
                    "{file}: a crafted fence {line:?} opens a code block:\n{}",
                    doc.join("\n")
                );
            }
            open = !open;
        }
    }
    assert!(!open, "{file}: unbalanced fence:\n{}", doc.join("\n"));
}

/// The name an item declares, if it declares one.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        syn::Item::Mod(m) => Some(m.ident.to_string()),
        syn::Item::Const(c) => Some(c.ident.to_string()),
        syn::Item::Static(s) => Some(s.ident.to_string()),
        syn::Item::Trait(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// The type an `impl` is for, as its last path segment.
fn impl_of(item: &syn::ItemImpl) -> String {
    match &*item.self_ty {
        syn::Type::Path(p) => p.path.segments.last().unwrap().ident.to_string(),
        other => other.to_token_stream().to_string(),
    }
}

/// Every item's doc lines and every nested `impl` item's, as separate runs.
fn doc_runs(items: &[syn::Item]) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    for item in items {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Struct(s) => {
                for field in &s.fields {
                    runs.push(doc_of(&field.attrs));
                }
                &s.attrs
            }
            syn::Item::Enum(e) => {
                for variant in &e.variants {
                    runs.push(doc_of(&variant.attrs));
                }
                &e.attrs
            }
            syn::Item::Impl(i) => {
                for inner in &i.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        runs.push(doc_of(&f.attrs));
                    }
                }
                &i.attrs
            }
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Type(t) => &t.attrs,
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Macro(m) => &m.attrs,
            _ => &[],
        };
        runs.push(doc_of(attrs));
    }
    runs
}

#[test]
fn text_crafted_to_escape_comes_out_as_text() {
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile/escape_everywhere.json");
    let generated = generator::generate(&generator::Config::new(&spec)).unwrap();
    let api = &generated.api;
    let mut checked = 0;
    for file in &generated.files {
        let path = file.path.as_str();
        if file.path.starts_with("src/runtime/") {
            continue;
        }
        if path == "Cargo.toml" {
            // The title stays inside the description's string: nothing in it ends the
            // string early (the batched `cargo check` reads the manifest whole).
            let description = file
                .contents
                .lines()
                .find_map(|l| l.strip_prefix("description = \""))
                .and_then(|d| d.strip_suffix('"'))
                .expect("a description line");
            assert!(
                !description.contains(['"', '\\']) && description.contains("*/ pub fn injected"),
                "{description:?}"
            );
            continue;
        }
        if !path.ends_with(".rs") {
            continue;
        }
        let parsed = syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{}", file.contents));
        checked += 1;

        // No planted identifier or attribute became code.
        let (mut names, mut attrs) = (Vec::new(), Vec::new());
        let tokens = parsed.to_token_stream();
        idents(tokens.clone(), &mut names);
        attributes(tokens, &mut attrs);
        for planted in PLANTED_IDENTS {
            assert!(
                !names.iter().any(|i| i == planted),
                "{path}: `{planted}` is code"
            );
        }
        for planted in PLANTED_ATTRIBUTES {
            assert!(
                !attrs.iter().any(|a| a == planted),
                "{path}: #[{planted}] is code"
            );
        }
        let mut runs = doc_runs(&parsed.items);
        runs.push(doc_of(&parsed.attrs));
        for run in &runs {
            check_fences(path, run);
        }

        // Each model file holds its model's type, impls of it and at most one macro call.
        if let Some(module) = path
            .strip_prefix("src/models/")
            .and_then(|m| m.strip_suffix(".rs"))
            .filter(|m| *m != "mod")
        {
            let model = api
                .models
                .values()
                .find(|m| m.module == module)
                .unwrap_or_else(|| panic!("{path}: no model"));
            let name = &model.name.rust;
            let mut declared = 0;
            let mut macros = 0;
            for item in &parsed.items {
                match item {
                    syn::Item::Impl(i) => assert_eq!(&impl_of(i), name, "{path}"),
                    syn::Item::Macro(_) => macros += 1,
                    other => {
                        assert_eq!(item_name(other).as_ref(), Some(name), "{path}");
                        declared += 1;
                    }
                }
            }
            assert_eq!((declared, macros <= 1), (1, true), "{path}");
        }

        // Each group file holds its API struct, whose impl has exactly the group's methods,
        // and the request builders of the operations it is home to.
        if let Some(module) = path
            .strip_prefix("src/apis/")
            .and_then(|m| m.strip_suffix(".rs"))
            .filter(|m| *m != "mod")
        {
            let group = api.groups.iter().find(|g| g.module == module).unwrap();
            let homed: Vec<&generator::ir::Operation> = api
                .operations
                .values()
                .filter(|op| op.home_module == module)
                .collect();
            for item in &parsed.items {
                match item {
                    syn::Item::Impl(i) if impl_of(i) == group.name.rust => {
                        let methods: Vec<String> = i
                            .items
                            .iter()
                            .filter_map(|f| match f {
                                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                                _ => None,
                            })
                            .filter(|f| f != "new")
                            .collect();
                        assert_eq!(methods, group.methods, "{path}");
                    }
                    syn::Item::Impl(i) => {
                        let of = impl_of(i);
                        assert!(
                            homed.iter().any(|op| of.starts_with(&op.builder)),
                            "{path}: impl {of}"
                        );
                    }
                    syn::Item::Use(_) => {}
                    other => {
                        let name = item_name(other).unwrap_or_else(|| {
                            panic!("{path}: unexpected item {}", other.to_token_stream())
                        });
                        assert!(
                            name == group.name.rust
                                || homed.iter().any(|op| name.starts_with(&op.builder)),
                            "{path}: unexpected item {name}"
                        );
                    }
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} files checked");
    // The crafted texts reached the output (as text): the wire names are string literals.
    let thing = generated
        .files
        .iter()
        .find(|f| f.path == "src/models/thing.rs")
        .unwrap();
    let literals: BTreeSet<String> =
        string_literals(syn::parse_file(&thing.contents).unwrap().to_token_stream());
    for wire in [
        "*/ pub fn injected() {} /*",
        "\n#[cfg(any())]\nfn gone() {}",
        "```rust\nfn in_fence() {}\n",
        "\"]",
    ] {
        assert!(
            literals.contains(wire),
            "{wire:?} is not a string literal of thing.rs"
        );
    }
}

/// The values of the string literals in `tokens`, at any depth.
fn string_literals(tokens: TokenStream) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for tree in tokens {
        match tree {
            TokenTree::Literal(literal) => {
                if let Ok(syn::Lit::Str(s)) = syn::parse_str::<syn::Lit>(&literal.to_string()) {
                    out.insert(s.value());
                }
            }
            TokenTree::Group(group) => out.extend(string_literals(group.stream())),
            _ => {}
        }
    }
    out
}
