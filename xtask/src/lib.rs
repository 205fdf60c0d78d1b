//! `cargo xtask` as a library, so the integration tests can run its commands on scratch
//! directories: [`cli`] is the command line (clap definitions and dispatch), and the
//! command bodies are `generate` and `check` ([`generate`]), `import-spec` ([`import`]),
//! `diff` ([`diff`]), `features` ([`features`]), `update-spec` ([`update`], with [`fetch`] for URLs and [`regions`] for `--region`), `bench`
//! ([`bench`](mod@bench)) and `fuzz` ([`fuzz`]). The spec logic itself lives in the generator library.

pub mod bench;
pub mod cli;
pub mod diff;
pub mod features;
pub mod fetch;
pub mod fuzz;
pub mod generate;
pub mod import;
pub mod regions;
pub mod update;

use std::path::{Path, PathBuf};

/// The workspace root (the xtask crate's parent).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}
