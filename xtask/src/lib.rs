//! `cargo xtask`'s commands as a library, so the integration tests can run them on scratch
//! directories: `import-spec` ([`import`]), `diff` ([`diff`]), `update-spec` ([`update`],
//! with [`fetch`] for URLs). `main.rs` parses arguments and dispatches here; the spec logic
//! itself lives in the generator library.

pub mod diff;
pub mod fetch;
pub mod import;
pub mod update;

use std::path::{Path, PathBuf};

/// The workspace root (the xtask crate's parent).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}
