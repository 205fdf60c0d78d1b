//! The Genesys Cloud SDK generator: a definition in, a Rust client crate out.
//!
//! The stages run in order, each a module: [`load`] -> [`upgrade`] -> [`lower`] ->
//! [`naming`] -> [`render`] -> [`format`] -> [`write`]. Only `load` reads and only `write`
//! writes; everything between is a pure function of its input. [`generate`] calls them.

pub mod diff;
pub mod error;
pub mod format;
pub mod import;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
mod parallel;
pub mod render;
pub mod surface;
pub mod upgrade;
pub mod warnings;
pub mod write;

use std::path::PathBuf;

pub use error::{Diagnostic, Diagnostics, Error, ErrorKind, WarningKind};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// A definition file, or a spec directory (`public.json` plus `overlays/`).
    pub spec: PathBuf,
    /// Keep only operations with one of these tags.
    pub tags: Option<Vec<String>>,
    /// The generated crate's package name.
    pub crate_name: String,
    /// The generated crate's version; `None` takes the spec directory's `VERSION` file,
    /// else `0.1.0`.
    pub crate_version: Option<String>,
    /// Where a template's invalid output is dumped for inspection.
    pub dump_dir: PathBuf,
    /// The repository URL the crate's `Cargo.toml` names.
    pub repository: String,
}

/// The repository URL generated crates name unless configured otherwise: this project's.
pub const DEFAULT_REPOSITORY: &str = "https://github.com/genesys-cloud-rust/genesys-cloud-rust";

impl Config {
    /// A configuration with the default crate name and version.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Config {
            spec: spec.into(),
            tags: None,
            crate_name: "genesys-cloud".into(),
            crate_version: None,
            dump_dir: std::env::temp_dir().join("genesys-generator-invalid"),
            repository: DEFAULT_REPOSITORY.into(),
        }
    }
}

/// The generated crate, in memory, with the warnings the run produced.
#[derive(Debug, Clone)]
pub struct Generated {
    pub api: ir::Api,
    pub files: Vec<format::OutputFile>,
    /// Every warning, those the spec directory's list holds marked reviewed.
    pub diagnostics: Vec<Diagnostic>,
    /// The spec directory's reviewed warnings (`None` for a definition file).
    pub reviewed: Option<warnings::Reviewed>,
    /// The reviewed entries that no longer occur (`kind file#pointer`).
    pub stale_reviews: Vec<String>,
}

/// Loads, upgrades, lowers and names a definition: the IR and the warnings.
pub fn lower_spec(config: &Config) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let (api, mut diags, source) = front(config, &mut Timings::default())?;
    review(config, &source, &mut diags);
    Ok((api, diags.items))
}

/// [`lower_spec`] of a definition given as JSON, for unit tests: written to a file of
/// its own (named after the test's thread), lowered, and removed.
#[cfg(test)]
pub(crate) fn lower_json(doc: &serde_json::Value) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let file = std::env::temp_dir().join(format!(
        "generator-test-{}-{}.json",
        std::process::id(),
        std::thread::current()
            .name()
            .unwrap_or("t")
            .replace("::", "_")
    ));
    std::fs::write(&file, doc.to_string()).expect("the temporary directory is writable");
    let result = lower_spec(&Config::new(&file));
    let _ = std::fs::remove_file(&file);
    result
}

fn front(
    config: &Config,
    timings: &mut Timings,
) -> Result<(ir::Api, Diagnostics, load::Source), Error> {
    let mut source = timings.time("load", || load::load(&config.spec))?;
    let mut diags = Diagnostics::new(&source.file);
    let (oas, map) = timings.time("upgrade", || upgrade::upgrade(&source, &mut diags))?;
    // Each document is freed as soon as the next stage has what it needs, on another
    // thread: dropping a large tree takes tens of milliseconds and only lowers the peak.
    drop_in_background(std::mem::take(&mut source.doc));
    let mut api = timings.time("lower", || {
        lower::lower(&oas, &map, &mut diags, config.tags.as_deref())
    })?;
    drop_in_background(oas);
    timings.time("name", || naming::name(&mut api, &map, &mut diags));
    drop_in_background(map);
    Ok((api, diags, source))
}

/// Marks the warnings the spec directory's reviewed list holds, and gives the listed ones
/// that no longer occur. A run cut to some tags may not see every listed warning, so it
/// reports none as gone.
fn review(config: &Config, source: &load::Source, diags: &mut Diagnostics) -> Vec<String> {
    let Some(reviewed) = &source.reviewed else {
        return Vec::new();
    };
    let stale = reviewed.mark(&mut diags.items);
    if config.tags.is_some() {
        return Vec::new();
    }
    stale
}

/// Drops `value` on a new thread, so that freeing a large document overlaps the next stage.
fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Wall time of each stage of one run, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

impl Timings {
    /// Runs `f`, recording its wall time under `stage`.
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        self.stages.push((stage, start.elapsed()));
        out
    }
}

/// Runs every stage but `write`.
pub fn generate(config: &Config) -> Result<Generated, Error> {
    generate_timed(config, &mut Timings::default())
}

/// [`generate`], recording the wall time of each stage.
pub fn generate_timed(config: &Config, timings: &mut Timings) -> Result<Generated, Error> {
    let (api, mut diags, source) = front(config, timings)?;
    let stale_reviews = review(config, &source, &mut diags);
    let info = render::CrateInfo {
        name: config.crate_name.clone(),
        version: config
            .crate_version
            .clone()
            .or_else(|| source.version.clone())
            .unwrap_or_else(|| "0.1.0".into()),
        spec: config
            .spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        fingerprint: source.fingerprint(),
        changelog: source.changelog.clone(),
        repository: config.repository.clone(),
    };
    let rendered = timings.time("render", || render::render(&api, &info))?;
    let preamble = format!(
        "@generated by `cargo xtask generate` from {}. Do not edit.",
        info.spec
    );
    let files = timings.time("format", || {
        format::format(rendered, &preamble, &config.dump_dir)
    })?;
    Ok(Generated {
        api,
        files,
        diagnostics: diags.items,
        reviewed: source.reviewed,
        stale_reviews,
    })
}
