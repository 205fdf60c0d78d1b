//! `cargo xtask`: the maintainer's commands. `cargo xtask --help` lists them and
//! `cargo xtask <command> --help` describes each; both come from the clap definitions in
//! the library's `cli` module, which also dispatches to the command bodies.
//!
//! Exit codes: 0 on success, 1 on a failed command (`error: ...`) or a `check` that found
//! drift, 2 on a usage error (clap's message). `diff` and `update-spec` exit 1 only when
//! their `--fail-on` condition is met, and 2 when they fail, as diff(1) does.

use std::process::ExitCode;

use clap::Parser;
use xtask::cli::Cli;

/// Generation is allocation-bound (syn's and prettyplease's trees, the JSON document, the
/// IR) on every thread at once; mimalloc's per-thread heaps take a third of the run's
/// time off glibc's malloc (`BENCHMARKS.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match Cli::parse().run() {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {:#}", failure.error);
            ExitCode::from(failure.code)
        }
    }
}
