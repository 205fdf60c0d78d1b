//! The command line of `cargo xtask`: one clap struct per subcommand, whose doc comments
//! are its `--help`, and [`Cli::run`], which turns the parsed options into calls of the
//! command bodies (the other modules of this library and the generator).
//!
//! These definitions are the one description of the commands: the README's command table
//! is checked against them (`xtask/tests/cli.rs`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::builder::RangedU64ValueParser;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::{bench, diff, features, fuzz, generate, import, regions, root, update};

/// The maintainer's commands of the Genesys Cloud SDK generator.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// One subcommand and its options.
#[derive(Debug, Subcommand)]
pub enum Command {
    Generate(Generate),
    Check(Check),
    ImportSpec(ImportSpec),
    Diff(Diff),
    UpdateSpec(UpdateSpec),
    Features(Features),
    Bench(Bench),
    Fuzz(Fuzz),
    #[command(hide = true)]
    BenchOne(BenchOne),
    #[command(hide = true)]
    FuzzWorker(FuzzWorker),
}

/// Generate a client crate.
///
/// With none of --spec, --out, --tags or --name, generates both committed crates: spec/
/// into generated-client/, and tests/fixtures/runtime.json (the client the runtime tests
/// run) into tests/runtime-client/. The output directory is replaced only when the whole run
/// succeeded.
///
/// Warnings a spec directory's reviewed-warnings.json lists are not printed (the summary line
/// counts them); the others are summarized per kind.
#[derive(Debug, Args)]
pub struct Generate {
    #[command(flatten)]
    pub target: Target,
    /// List every warning about the definition in full, reviewed ones too, instead of a
    /// summary of the unreviewed ones (per kind: its count and the first three).
    #[arg(long)]
    pub all_warnings: bool,
    /// Rewrite the spec directory's reviewed-warnings.json from the current warnings,
    /// keeping the reasons written for each kind (a new kind gets an empty one to write).
    #[arg(long)]
    pub accept_warnings: bool,
}

/// Check that a committed client is up to date.
///
/// Regenerates in memory and fails, listing stale, missing and extra files with a unified
/// diff, when the client differs from what generate would write. With none of --spec,
/// --out, --tags or --name, checks both committed crates.
#[derive(Debug, Args)]
pub struct Check {
    #[command(flatten)]
    pub target: Target,
}

/// The crate `generate` and `check` cover.
#[derive(Debug, Args)]
pub struct Target {
    /// The definition: a spec directory or a file [default: spec/].
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// The crate's directory [default: generated-client/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only the operations carrying these tags, comma-separated (Billing,Usage) [default:
    /// all].
    #[arg(long, value_name = "TAGS", value_delimiter = ',')]
    pub tags: Option<Vec<String>>,
    /// The crate's name [default: genesys-cloud].
    #[arg(long, value_name = "CRATE")]
    pub name: Option<String>,
}

/// Import a full Genesys definition, or some of its tags, into a spec directory.
///
/// Writes the operations (all of them, or those carrying the given tags), and every
/// definition they reach, to
/// public.json, with a SOURCE note (file, date, sha256, tags). Overlays and the other files
/// of the directory are kept.
#[derive(Debug, Args)]
pub struct ImportSpec {
    /// The full definition (JSON or YAML).
    #[arg(long, value_name = "PATH")]
    pub from: PathBuf,
    /// The tags whose operations to import, comma-separated (Billing,Usage), or `all` for
    /// every operation.
    #[arg(
        long,
        value_name = "TAGS",
        value_delimiter = ',',
        default_value = "all"
    )]
    pub tags: Vec<String>,
    /// The spec directory to write [default: spec/].
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
}

/// Compare two definitions and print the change report.
///
/// OLD and NEW are files or spec directories, compared at the IR level: per API group the
/// operations added, removed, renamed or regrouped and their parameter, response,
/// permission, deprecation and preview changes; per model the fields, required-ness and
/// enum values; each change breaking or not for a Rust caller, then the semver bump. The
/// report goes to stdout, a summary line to stderr.
///
/// Exit status: 0, or 1 when the --fail-on condition is met (the report printed, as diff(1)
/// exits 1 when files differ); 2 on a usage error or a failure (an unreadable file, a
/// definition that does not lower).
#[derive(Debug, Args)]
pub struct Diff {
    /// The old definition.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The new definition.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// The report's form.
    #[arg(long, value_enum, default_value_t = diff::Format::Markdown)]
    pub format: diff::Format,
    /// Only the operations carrying these tags, comma-separated (Billing,Usage) [default:
    /// all].
    #[arg(long, value_name = "TAGS", value_delimiter = ',')]
    pub tags: Option<Vec<String>>,
    /// Exit 1 when the report has a breaking change (breaking) or any change at all (any).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub fail_on: Option<FailOn>,
}

/// When `diff` and `update-spec` exit 1 (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// The report has a breaking change.
    Breaking,
    /// The report is not empty (any difference, documentation included).
    Any,
}

impl FailOn {
    /// Whether `report` meets the condition.
    pub fn met(self, report: &generator::diff::Report) -> bool {
        match self {
            FailOn::Breaking => report.summary.breaking > 0,
            FailOn::Any => !report.is_empty(),
        }
    }
}

/// Import a new definition, report its changes, bump the version and regenerate.
///
/// Without --from, downloads the live definition of --region from
/// https://api.{domain}/api/v2/docs/swagger (with progress on stderr); with --preview, also
/// /api/v2/docs/swaggerpreview from the same host, whose operations the public definition
/// lacks are merged in marked preview (as Genesys's own SDK build does; on a definition
/// both define, the public one is kept). Imports the definition into the spec directory as
/// import-spec does, prints the change report on stdout (Markdown, the changelog entry),
/// bumps VERSION by its semver bump, prepends the entry to CHANGELOG.md under
/// "## VERSION (DATE, SOURCE)", and regenerates the client. Everything is staged first: any
/// failure leaves the spec directory and the client as they were. When the imported
/// public.json is identical to the current one, nothing is written and stdout stays empty.
///
/// Exit status: 0, or 1 when the --fail-on condition is met (after the update was
/// applied and its report printed); 2 on a usage error or a failure (a download error, an
/// unreadable file, a definition that does not generate).
#[derive(Debug, Args)]
pub struct UpdateSpec {
    /// The new full definition: a file, or an http(s):// URL [default: the live definition
    /// of --region].
    #[arg(long, value_name = "PATH_OR_URL", conflicts_with_all = ["region", "preview", "api_base"])]
    pub from: Option<String>,
    /// The region whose live definition to download: its code (us-east-1, eu-west-1,
    /// ap-southeast-2...) or domain [default: us-east-1].
    #[arg(long, value_name = "CODE", value_parser = regions::parse)]
    pub region: Option<regions::Region>,
    /// Also download the region's preview operations and merge them in, marked preview.
    #[arg(long)]
    pub preview: bool,
    /// The API base URL to download from instead of a region's (http://127.0.0.1:PORT):
    /// for mirrors and tests.
    #[arg(long, value_name = "URL", hide = true, conflicts_with = "region")]
    pub api_base: Option<String>,
    /// The tags whose operations to import, comma-separated, or `all` for every operation
    /// [default: the tags: line of the spec directory's SOURCE].
    #[arg(long, value_name = "TAGS", value_delimiter = ',')]
    pub tags: Option<Vec<String>>,
    /// The spec directory [default: spec/].
    #[arg(long, value_name = "DIR")]
    pub spec: Option<PathBuf>,
    /// The client's directory [default: generated-client/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The client's crate name [default: genesys-cloud].
    #[arg(long, value_name = "CRATE")]
    pub name: Option<String>,
    /// Exit 1, once the update is applied, when the report has a breaking change
    /// (breaking) or any change at all (any).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub fail_on: Option<FailOn>,
}

/// Check that each API group's feature of the committed client compiles alone.
///
/// Runs `cargo check --no-default-features --features F` on the client for every group
/// feature (or those of --only), one after the other in the workspace's target directory,
/// printing each one's time; fails naming every feature that did not compile without
/// warnings. All 80 features of the full client take about 7 minutes on 2 cores; CI checks
/// a sample with --only.
#[derive(Debug, Args)]
pub struct Features {
    /// Only these features, comma-separated (billing,users) [default: every group].
    #[arg(long, value_name = "FEATURES", value_delimiter = ',')]
    pub only: Vec<String>,
    /// The client's directory [default: generated-client/].
    #[arg(long, value_name = "DIR")]
    pub client: Option<PathBuf>,
}

/// Time each generator stage, peak memory and the generated crates' cargo check.
///
/// Times each stage (load, upgrade, lower, name, render, format, write) and peak memory,
/// median of N fresh release processes, on the 2018-03-21 and 2025-07-28 definitions
/// ($GENESYS_SPEC_DIR, else ../shared/specs/genesys) and synthetic ones 2x, 4x and 8x the
/// 2025 one; then cargo check of the real crates with every feature and with billing
/// alone; and OpenAPI Generator on the same files when openapi-generator-cli is installed.
/// Figures and machine: BENCHMARKS.md.
#[derive(Debug, Args)]
pub struct Bench {
    /// Runs per definition; the median is reported.
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub runs: usize,
    /// One quick measurement of a small fixture, without a release build (for CI).
    #[arg(long)]
    pub smoke: bool,
    /// Skip the cargo check timings of the generated crates.
    #[arg(long)]
    pub skip_check: bool,
}

/// Fuzz the generator with small hostile definitions on the stable toolchain.
///
/// Builds Swagger 2.0 definitions from a seeded byte stream (objects, refs and cycles,
/// allOf, enums, arrays and maps, parameters of every location and type, odd names, texts
/// crafted to escape a comment, a string or a template) and runs each through every stage
/// but write: no panic, an accepted definition's Rust parses, every error and warning has a
/// pointer into the definition. Each new kind of finding is shrunk and saved in the corpus
/// directory as a regression case; at the end a uniform sample of the accepted definitions'
/// crates is compiled with one cargo check. Exits 1 when anything new was found (the open
/// bugs saved in the corpus's known/ directory are counted, not failures).
#[derive(Debug, Args)]
pub struct Fuzz {
    /// How long to generate definitions, in seconds.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub seconds: u64,
    /// The seed of the byte stream [default: from the clock; printed].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Where findings are saved [default: tests/fixtures/fuzz/].
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// How many accepted definitions' crates are compiled at the end (0: none).
    #[arg(long, value_name = "K", default_value_t = 8)]
    pub sample: usize,
}

/// Generate one definition and print its stage times and peak memory as one JSON line.
///
/// One measurement of bench, run in a fresh process so its peak memory is its own.
#[derive(Debug, Args)]
pub struct BenchOne {
    /// The definition.
    #[arg(long, value_name = "PATH")]
    pub spec: PathBuf,
    /// The scratch directory to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Examine the definitions whose paths come on stdin, one JSON answer line each on stdout.
///
/// The child process of fuzz, so that a stack overflow or a hang stops only it.
#[derive(Debug, Args)]
pub struct FuzzWorker {
    /// Where invalid Rust is dumped.
    #[arg(long, value_name = "DIR")]
    pub dump: PathBuf,
}

/// A failed command and the status the binary exits with after printing it: 1, except for
/// `diff` and `update-spec`, whose 1 means "the --fail-on condition is met", so their
/// failures exit 2 (like their usage errors, and like diff(1)).
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure { code: 1, error }
    }
}

/// The exit status of `diff` and `update-spec` after a failure.
const FAILED: u8 = 2;

impl Cli {
    /// Runs the command; without one, prints the help. An `Err` is a failure of the
    /// command, which the binary prints and exits with its code; `Ok(ExitCode::FAILURE)` is
    /// a `check` that found drift, or a `--fail-on` condition met, which it has reported.
    pub fn run(self) -> Result<ExitCode, Failure> {
        let Some(command) = self.command else {
            Cli::command().print_help().map_err(anyhow::Error::from)?;
            return Ok(ExitCode::SUCCESS);
        };
        match command {
            Command::Generate(args) => args.run()?,
            Command::Check(args) => return Ok(args.run()?),
            Command::ImportSpec(args) => args.run()?,
            Command::Diff(args) => return args.run().map_err(exit_2),
            Command::UpdateSpec(args) => return args.run().map_err(exit_2),
            Command::Features(args) => args.run()?,
            Command::Bench(args) => args.run()?,
            Command::Fuzz(args) => args.run()?,
            Command::BenchOne(args) => bench::bench_one(&args.spec, &args.out)?,
            Command::FuzzWorker(args) => fuzz::serve(&args.dump)?,
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn exit_2(error: anyhow::Error) -> Failure {
    Failure {
        code: FAILED,
        error,
    }
}

/// 1 when `fail_on` is met by `report`, else 0.
fn verdict(fail_on: Option<FailOn>, report: &generator::diff::Report) -> ExitCode {
    if fail_on.is_some_and(|f| f.met(report)) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

impl Generate {
    fn run(self) -> Result<()> {
        for (config, out) in self.target.crates() {
            let options = generate::WarningOptions {
                all: self.all_warnings,
                accept: self.accept_warnings,
            };
            generate::generate(&config, &out, options)?;
        }
        Ok(())
    }
}

impl Check {
    /// `ExitCode::FAILURE` when a crate has drifted (each is reported).
    fn run(self) -> Result<ExitCode> {
        let mut code = ExitCode::SUCCESS;
        for (config, out) in self.target.crates() {
            if !generate::check(&config, &out)? {
                code = ExitCode::FAILURE;
            }
        }
        Ok(code)
    }
}

impl Target {
    /// The crates to cover, each as its configuration and output directory: the one the
    /// options name, or, with none of them, both committed crates.
    pub fn crates(&self) -> Vec<(generator::Config, PathBuf)> {
        let mut chosen_crate = config(
            self.spec.clone().unwrap_or_else(|| root().join("spec")),
            self.name.as_deref(),
        );
        chosen_crate.tags = self.tags.as_deref().map(tags);
        let out = self
            .out
            .clone()
            .unwrap_or_else(|| root().join("generated-client"));
        let chosen =
            self.spec.is_some() || self.out.is_some() || self.tags.is_some() || self.name.is_some();
        let mut crates = vec![(chosen_crate, out)];
        if !chosen {
            crates.push((
                config(
                    root().join("tests/fixtures/runtime.json"),
                    Some("runtime-client"),
                ),
                root().join("tests/runtime-client"),
            ));
        }
        crates
    }
}

impl ImportSpec {
    fn run(self) -> Result<()> {
        let to = self.to.unwrap_or_else(|| root().join("spec"));
        let summary = import::import_spec(&self.from, None, &tags(&self.tags), &to)?;
        eprintln!(
            "imported {} operations and {} definitions from {} into {}",
            summary.operations,
            summary.definitions,
            self.from.display(),
            to.join("public.json").display()
        );
        Ok(())
    }
}

impl Features {
    fn run(self) -> Result<()> {
        let client = self
            .client
            .unwrap_or_else(|| root().join("generated-client"));
        let outcomes = features::check_features(&client, &self.only)?;
        let total: f64 = outcomes.iter().map(|o| o.took.as_secs_f64()).sum();
        eprintln!(
            "{} features compile alone without warnings ({total:.0} s)",
            outcomes.len()
        );
        Ok(())
    }
}

impl Diff {
    fn run(self) -> Result<ExitCode> {
        let tags = self.tags.as_deref().map(tags);
        let (report, took) = diff::compare(&self.old, &self.new, tags.as_deref())?;
        print!("{}", diff::render(&report, self.format));
        eprintln!(
            "{} breaking and {} non-breaking changes, semver {} (compared in {:.1} ms)",
            report.summary.breaking,
            report.summary.non_breaking,
            report.bump.as_str(),
            took.as_secs_f64() * 1000.0
        );
        Ok(verdict(self.fail_on, &report))
    }
}

impl UpdateSpec {
    fn run(self) -> Result<ExitCode> {
        let spec = self.spec.unwrap_or_else(|| root().join("spec"));
        let (from, preview) = match self.from {
            Some(from) => (from, None),
            None => {
                let base = match &self.api_base {
                    Some(base) => base.trim_end_matches('/').to_owned(),
                    None => self
                        .region
                        .unwrap_or(regions::DEFAULT)
                        .api_base_url()
                        .to_owned(),
                };
                let preview = self
                    .preview
                    .then(|| format!("{base}{}", regions::PREVIEW_PATH));
                (format!("{base}{}", regions::DEFINITION_PATH), preview)
            }
        };
        let opts = update::UpdateOptions {
            from,
            preview,
            tags: self.tags.as_deref().map(tags),
            crate_name: self
                .name
                .unwrap_or_else(|| generator::Config::new(&spec).crate_name),
            spec,
            out: self.out.unwrap_or_else(|| root().join("generated-client")),
            dump_dir: dump_dir(),
        };
        let updated = update::update_spec(&opts)?;
        if let Some(merged) = &updated.preview {
            eprintln!(
                "merged {} preview operations and {} definitions from {}",
                merged.operations,
                merged.definitions,
                opts.preview.as_deref().unwrap_or_default()
            );
            if !merged.conflicts.is_empty() {
                eprintln!(
                    "kept the public definition of {} that the preview defines otherwise: {}",
                    merged.conflicts.len(),
                    merged.conflicts.join(", ")
                );
            }
        }
        if !updated.changed {
            eprintln!(
                "{} is up to date with {}: nothing changed",
                opts.spec.display(),
                opts.from
            );
            return Ok(ExitCode::SUCCESS);
        }
        print!("{}", updated.entry);
        eprintln!(
            "updated {} from {}: version {} -> {} (semver {}), {} files in {}",
            opts.spec.display(),
            opts.from,
            updated.old_version,
            updated.new_version,
            updated.report.bump.as_str(),
            updated.files,
            opts.out.display()
        );
        Ok(verdict(self.fail_on, &updated.report))
    }
}

impl Bench {
    fn run(self) -> Result<()> {
        let corpus = std::env::var_os("GENESYS_SPEC_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("../shared/specs/genesys"));
        bench::run(
            &root(),
            &bench::Options {
                runs: self.runs,
                smoke: self.smoke,
                skip_check: self.skip_check,
                corpus,
            },
        )
    }
}

impl Fuzz {
    fn run(self) -> Result<()> {
        let seed = self.seed.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        });
        let options = fuzz::Options {
            seconds: self.seconds,
            seed,
            corpus: self
                .corpus
                .unwrap_or_else(|| root().join("tests/fixtures/fuzz")),
            sample: self.sample,
        };
        eprintln!("fuzz: seed {seed}, {} s", options.seconds);
        let summary = fuzz::run(&root(), &options)?;
        let secs = summary.duration.as_secs_f64();
        eprintln!(
            "fuzz: {} executions in {secs:.1} s ({:.0}/s): {} accepted, {} rejected; {} sampled \
             crates compiled; {} findings ({} known)",
            summary.executions,
            summary.executions as f64 / secs.max(f64::EPSILON),
            summary.accepted,
            summary.rejected,
            summary.compiled,
            summary.findings.len(),
            summary.findings.iter().filter(|f| f.known).count()
        );
        let mut rejections: Vec<(&String, &u64)> = summary.rejections.iter().collect();
        rejections.sort_by(|a, b| b.1.cmp(a.1));
        for (error, count) in rejections.iter().take(5) {
            eprintln!("  rejected {count} times: {error}");
        }
        for finding in &summary.findings {
            eprintln!(
                "  {}{} ({} times), saved as {}",
                if finding.known { "known: " } else { "" },
                finding.problem,
                finding.count,
                finding.file.display()
            );
        }
        let new = summary.findings.iter().filter(|f| !f.known).count();
        if new > 0 {
            anyhow::bail!("the fuzzer found {new} new problems (seed {seed})");
        }
        Ok(())
    }
}

/// The generator's configuration for `spec`, named `name` (else the generator's default
/// name), dumping invalid Rust under `target/`.
fn config(spec: impl Into<PathBuf>, name: Option<&str>) -> generator::Config {
    let mut config = generator::Config::new(spec);
    if let Some(name) = name {
        config.crate_name = name.to_owned();
    }
    config.dump_dir = dump_dir();
    config
}

/// Where the generator dumps Rust it could not parse.
fn dump_dir() -> PathBuf {
    root().join("target").join("invalid-rust")
}

/// The tags of a `--tags` list, trimmed, with empty ones dropped (`--tags "Billing, Usage,"`
/// is Billing and Usage).
fn tags(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}
