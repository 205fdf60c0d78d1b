//! What every program shares: parsing its arguments (with `--help`), building the client
//! from the environment, and the exit codes.

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;
use genesys_cloud::{Client, ClientBuilder};

/// Everything went well.
pub const EXIT_OK: i32 = 0;
/// The program ran, but a call failed (for `billing_export`: at least one organization).
pub const EXIT_FAILURE: i32 = 1;
/// The program could not start: bad arguments, missing credentials, a bad `GENESYSCLOUD_*`
/// value such as an unknown region.
pub const EXIT_USAGE: i32 = 2;

/// A variable of the environment by name, `None` when unset: `std::env::var` in `main`, a
/// table of the test's own in tests.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, for `main`.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
}

/// The variables that authenticate the client (`from_env` reads them).
const ACCESS_TOKEN: &str = "GENESYSCLOUD_ACCESS_TOKEN";
const CLIENT_ID: &str = "GENESYSCLOUD_OAUTHCLIENT_ID";
const CLIENT_SECRET: &str = "GENESYSCLOUD_OAUTHCLIENT_SECRET";

/// Parses the program's arguments (`args` includes the program name first). `--help` and
/// `--version` print to `out` and give `Err(EXIT_OK)`; bad arguments print clap's message
/// to `err` and give `Err(EXIT_USAGE)`.
pub fn parse_args<T, I, A>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Result<T, i32>
where
    T: Parser,
    I: IntoIterator<Item = A>,
    A: Into<OsString> + Clone,
{
    T::try_parse_from(args).map_err(|e| {
        let text = e.render().to_string();
        if e.use_stderr() {
            let _ = write!(err, "{text}");
            EXIT_USAGE
        } else {
            let _ = write!(out, "{text}");
            EXIT_OK
        }
    })
}

/// The client the `GENESYSCLOUD_*` variables configure, through
/// [`ClientBuilder::from_env_with`]. A bad value (an unknown region, an id without its
/// secret) or no credentials at all is one line on `err` and `Err(EXIT_USAGE)`.
pub fn client_from_env(
    program: &str,
    lookup: Lookup<'_>,
    err: &mut dyn Write,
) -> Result<Client, i32> {
    let fail = |err: &mut dyn Write, message: &dyn std::fmt::Display| {
        let _ = writeln!(err, "{program}: {message}");
        EXIT_USAGE
    };
    let builder = ClientBuilder::from_env_with(lookup).map_err(|e| fail(err, &e))?;
    // `from_env_with` leaves a builder without authentication when neither a token nor
    // client credentials are set (a program could add its own); these programs need one.
    let set = |name: &str| lookup(name).is_some_and(|value| !value.trim().is_empty());
    if !set(ACCESS_TOKEN) && !set(CLIENT_ID) && !set(CLIENT_SECRET) {
        return Err(fail(
            err,
            &format!(
                "no credentials: set {CLIENT_ID} and {CLIENT_SECRET} (client credentials), \
                 or {ACCESS_TOKEN}"
            ),
        ));
    }
    builder
        .user_agent(format!(
            "genesys-cloud-examples-{program}/{}",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|e| fail(err, &e))
}

/// Runs a program's `run` future on a Tokio runtime of its own and exits with its code: the
/// whole of each `main.rs`.
pub fn main_with<F>(run: impl FnOnce() -> F) -> !
where
    F: std::future::Future<Output = i32>,
{
    let code = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("cannot start the Tokio runtime: {e}");
            EXIT_FAILURE
        }
    };
    std::process::exit(code)
}
