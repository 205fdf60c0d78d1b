//! `cargo xtask`: the maintainer's commands. Parses arguments and calls the generator
//! library; all logic lives there.
//!
//! ```text
//! cargo xtask generate    [--spec PATH] [--out DIR] [--tags Billing,Usage] [--name CRATE]
//! cargo xtask check       [--spec PATH] [--out DIR] [--tags ...]
//! cargo xtask import-spec --from PATH --tags Billing,Usage [--to DIR]
//! cargo xtask diff        OLD NEW [--format md|json] [--tags ...]
//! cargo xtask update-spec --from PATH_OR_URL [--tags ...] [--spec DIR] [--out DIR]
//! cargo xtask bench       [--runs N] [--smoke] [--skip-check]
//! ```
//!
//! Without `--spec`, `--out`, `--tags` or `--name`, `generate` and `check` cover both
//! committed crates: `generated-client/` (from `spec/`) and `tests/runtime-client/` (from
//! `tests/fixtures/runtime.json`, the client the runtime tests run).
//!
//! The command bodies live in the `xtask` library (`import`, `diff`, `update`) and in
//! `bench.rs`.

mod bench;

/// Generation is allocation-bound (syn's and prettyplease's trees, the JSON document, the
/// IR) on every thread at once; mimalloc's per-thread heaps take a third of the run's
/// time off glibc's malloc (`BENCHMARKS.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use generator::write::{self, Mode};
use xtask::root;

const USAGE: &str = "usage:
  cargo xtask generate    [--spec PATH] [--out DIR] [--tags T1,T2] [--name CRATE] [--all-warnings]
  cargo xtask check       [--spec PATH] [--out DIR] [--tags T1,T2] [--name CRATE]
  cargo xtask import-spec --from PATH --tags T1,T2 [--to DIR]
  cargo xtask diff        OLD NEW [--format md|json] [--tags T1,T2]
  cargo xtask update-spec --from PATH_OR_URL [--tags T1,T2] [--spec DIR] [--out DIR] [--name CRATE]
  cargo xtask bench       [--runs N] [--smoke] [--skip-check]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    command: String,
    options: Vec<(String, Option<String>)>,
    /// Arguments that are not options (`diff OLD NEW`).
    positional: Vec<String>,
}

impl Args {
    fn parse() -> Result<Args> {
        let mut raw = std::env::args().skip(1);
        let command = raw.next().unwrap_or_default();
        let mut options = Vec::new();
        let mut positional = Vec::new();
        let rest: Vec<String> = raw.collect();
        let mut i = 0;
        while i < rest.len() {
            let arg = &rest[i];
            let Some(name) = arg.strip_prefix("--") else {
                positional.push(arg.clone());
                i += 1;
                continue;
            };
            if let Some((k, v)) = name.split_once('=') {
                options.push((k.to_owned(), Some(v.to_owned())));
            } else if rest.get(i + 1).is_some_and(|next| !next.starts_with("--")) {
                options.push((name.to_owned(), Some(rest[i + 1].clone())));
                i += 1;
            } else {
                options.push((name.to_owned(), None));
            }
            i += 1;
        }
        Ok(Args {
            command,
            options,
            positional,
        })
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(k, _)| k == name)
    }

    /// Fails on an option the command does not take, or on the wrong number of positional
    /// arguments.
    fn check_known(&self, known: &[&str], positional: usize) -> Result<()> {
        if self.positional.len() != positional {
            match self.positional.get(positional) {
                Some(extra) => bail!("unexpected argument {extra:?}\n{USAGE}"),
                None => bail!(
                    "`{}` takes {positional} arguments, got {}\n{USAGE}",
                    self.command,
                    self.positional.len()
                ),
            }
        }
        for (k, _) in &self.options {
            if !known.contains(&k.as_str()) {
                bail!("unknown option --{k} for `{}`\n{USAGE}", self.command);
            }
        }
        Ok(())
    }

    fn tags(&self) -> Option<Vec<String>> {
        self.value("tags").map(|t| {
            t.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
    }

    fn config(&self) -> generator::Config {
        let spec = self
            .value("spec")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("spec"));
        let mut config = generator::Config::new(spec);
        config.tags = self.tags();
        if let Some(name) = self.value("name") {
            config.crate_name = name.to_owned();
        }
        config.dump_dir = root().join("target").join("invalid-rust");
        config
    }

    /// What `generate` and `check` cover: the crate the options name, or, with none of
    /// them, both committed crates.
    fn targets(&self) -> Vec<(generator::Config, PathBuf)> {
        let chosen = ["spec", "out", "tags", "name"]
            .iter()
            .any(|k| self.value(k).is_some());
        let out = self
            .value("out")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("generated-client"));
        let mut targets = vec![(self.config(), out)];
        if !chosen {
            let mut config = generator::Config::new(root().join("tests/fixtures/runtime.json"));
            config.crate_name = "runtime-client".into();
            config.dump_dir = root().join("target").join("invalid-rust");
            targets.push((config, root().join("tests/runtime-client")));
        }
        targets
    }
}

fn run() -> Result<ExitCode> {
    let args = Args::parse()?;
    match args.command.as_str() {
        "generate" => {
            args.check_known(&["spec", "out", "tags", "name", "all-warnings"], 0)?;
            for (config, out) in args.targets() {
                let generated = generator::generate(&config)?;
                print_warnings(&generated.diagnostics, args.flag("all-warnings"));
                write::apply(&out, &generated.files, Mode::Write)?;
                eprintln!(
                    "generated {} operations in {} groups and {} models: {} files in {}",
                    generated.api.operations.len(),
                    generated.api.groups.len(),
                    generated.api.models.len(),
                    generated.files.len(),
                    out.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        "check" => {
            args.check_known(&["spec", "out", "tags", "name"], 0)?;
            let mut code = ExitCode::SUCCESS;
            for (config, out) in args.targets() {
                if !check(&config, &out)? {
                    code = ExitCode::FAILURE;
                }
            }
            Ok(code)
        }
        "import-spec" => {
            args.check_known(&["from", "tags", "to"], 0)?;
            let from = PathBuf::from(args.value("from").context("--from PATH is required")?);
            let tags = args.tags().context("--tags T1,T2 is required")?;
            let to = args
                .value("to")
                .map(PathBuf::from)
                .unwrap_or_else(|| root().join("spec"));
            let summary = xtask::import::import_spec(&from, None, &tags, &to)?;
            eprintln!(
                "imported {} operations and {} definitions from {} into {}",
                summary.operations,
                summary.definitions,
                from.display(),
                to.join("public.json").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        "diff" => {
            args.check_known(&["format", "tags"], 2)?;
            let format = xtask::diff::Format::parse(args.value("format").unwrap_or("md"))?;
            let tags = args.tags();
            let (report, took) = xtask::diff::compare(
                &PathBuf::from(&args.positional[0]),
                &PathBuf::from(&args.positional[1]),
                tags.as_deref(),
            )?;
            print!("{}", xtask::diff::render(&report, format));
            eprintln!(
                "{} breaking and {} non-breaking changes, semver {} (compared in {:.1} ms)",
                report.summary.breaking,
                report.summary.non_breaking,
                report.bump.as_str(),
                took.as_secs_f64() * 1000.0
            );
            Ok(ExitCode::SUCCESS)
        }
        "update-spec" => {
            args.check_known(&["from", "tags", "spec", "out", "name"], 0)?;
            let opts = xtask::update::UpdateOptions {
                from: args
                    .value("from")
                    .context("--from PATH_OR_URL is required")?
                    .to_owned(),
                tags: args.tags(),
                spec: args
                    .value("spec")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| root().join("spec")),
                out: args
                    .value("out")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| root().join("generated-client")),
                crate_name: args.config().crate_name,
                dump_dir: root().join("target").join("invalid-rust"),
            };
            let updated = xtask::update::update_spec(&opts)?;
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
            Ok(ExitCode::SUCCESS)
        }
        "bench" => {
            args.check_known(&["runs", "smoke", "skip-check"], 0)?;
            let corpus = std::env::var_os("GENESYS_SPEC_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| root().join("../shared/specs/genesys"));
            let runs = args
                .value("runs")
                .map(str::parse)
                .transpose()
                .context("--runs takes a number")?
                .unwrap_or(5);
            bench::run(
                &root(),
                &bench::Options {
                    runs,
                    smoke: args.flag("smoke"),
                    skip_check: args.flag("skip-check"),
                    corpus,
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        "bench-one" => {
            args.check_known(&["spec", "out"], 0)?;
            let spec = PathBuf::from(args.value("spec").context("--spec PATH is required")?);
            let out = PathBuf::from(args.value("out").context("--out DIR is required")?);
            bench::bench_one(&spec, &out)?;
            Ok(ExitCode::SUCCESS)
        }
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command {other:?}\n{USAGE}"),
    }
}

fn print_warnings(diagnostics: &[generator::Diagnostic], all: bool) {
    let limit = if all { usize::MAX } else { 40 };
    for d in diagnostics.iter().take(limit) {
        eprintln!("{d}");
    }
    if diagnostics.len() > limit {
        eprintln!(
            "... and {} more warnings (--all-warnings lists them)",
            diagnostics.len() - limit
        );
    }
}

/// Checks one committed crate against a fresh generation; `false` (with a report) on drift.
fn check(config: &generator::Config, out: &Path) -> Result<bool> {
    let generated = generator::generate(config)?;
    let drift = write::apply(out, &generated.files, Mode::Check)?;
    if drift.is_empty() {
        eprintln!(
            "{} is up to date ({} files)",
            out.display(),
            generated.files.len()
        );
        return Ok(true);
    }
    eprintln!(
        "{} is stale: run `cargo xtask generate` and commit the result.",
        out.display()
    );
    for (label, list) in [
        ("stale", &drift.stale),
        ("missing", &drift.missing),
        ("extra", &drift.extra),
    ] {
        for file in list {
            eprintln!("  {label}: {file}");
        }
    }
    let lines: Vec<&str> = drift.diff.lines().collect();
    for line in lines.iter().take(60) {
        eprintln!("{line}");
    }
    if lines.len() > 60 {
        eprintln!("... ({} more diff lines)", lines.len() - 60);
    }
    Ok(false)
}
