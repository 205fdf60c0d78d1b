//! `cargo xtask diff` and `update-spec`: change reports between two definitions.
