//! The logic of the example programs, one module each, so that tests can run a program
//! with arguments, environment variables and output writers of their own and read its exit
//! code. Each program's `main.rs` (`examples/<name>/main.rs`) only hands this library the
//! process's arguments, environment, stdout and stderr.
//!
//! | program | module | API group |
//! |---|---|---|
//! | `billing_export` | [`billing_export`] | Billing |
//! | `billable_usage` | [`billable_usage`] | Billing |
//! | `api_usage` | [`api_usage`] | Usage |
//! | `users` | [`users`] | Users |
//! | `presence_watch` | [`presence_watch`] | none: notification channels (`runtime::notifications`) |
//!
//! Every program is configured through [`genesys_cloud::ClientBuilder::from_env_with`]
//! only, and exits with [`cli::EXIT_OK`], [`cli::EXIT_FAILURE`] or [`cli::EXIT_USAGE`].

pub mod amounts;
pub mod api_usage;
pub mod billable_usage;
pub mod billing_export;
pub mod cli;
pub mod presence_watch;
pub mod table;
pub mod users;
