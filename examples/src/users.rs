//! `users`: every user of the organization, through the paging stream of `getUsers`
//! (`into_stream()`), one tab-separated line each, written as the pages arrive: a
//! non-billing API group works the same way as the billing ones.

use std::io::Write;

use clap::{Parser, ValueEnum};
use genesys_cloud::models::{GetUsersState, User};

use crate::cli::{self, Lookup, EXIT_FAILURE, EXIT_OK};

const PROGRAM: &str = "users";

/// Lists every user of the organization on stdout: id, name, email, state, tab-separated,
/// after a header line; the count on stderr.
///
/// Pages are fetched one after another as the lines are written (the client's paging
/// stream).
///
/// Environment: GENESYSCLOUD_REGION (us-east-1, eu-west-1, ...), and
/// GENESYSCLOUD_OAUTHCLIENT_ID with GENESYSCLOUD_OAUTHCLIENT_SECRET, or
/// GENESYSCLOUD_ACCESS_TOKEN; GENESYSCLOUD_PROXY_* and GENESYSCLOUD_GATEWAY_* as the
/// Genesys Cloud CLI reads them.
///
/// Exit codes: 0 done; 1 a page cannot be had (the users before it are printed); 2 the
/// program cannot start (arguments, credentials, region).
#[derive(Debug, Parser)]
#[command(name = PROGRAM, version)]
pub struct Args {
    /// Users per page (each page is one request).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100,
        value_parser = clap::value_parser!(i32).range(1..=500)
    )]
    pub page_size: i32,
    /// Which users, by state.
    #[arg(long, value_enum, default_value_t = State::Active)]
    pub state: State,
}

/// The `state` filter of `getUsers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum State {
    Active,
    Inactive,
    Deleted,
    Any,
}

impl From<State> for GetUsersState {
    fn from(state: State) -> GetUsersState {
        match state {
            State::Active => GetUsersState::Active,
            State::Inactive => GetUsersState::Inactive,
            State::Deleted => GetUsersState::Deleted,
            State::Any => GetUsersState::Any,
        }
    }
}

/// Runs the program: `args` (program name first), the environment through `lookup`, users
/// on `out`, the count and errors on `err`; returns the exit code.
pub async fn run<I, A>(args: I, lookup: Lookup<'_>, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = A>,
    A: Into<std::ffi::OsString> + Clone,
{
    let args: Args = match cli::parse_args(args, out, err) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let client = match cli::client_from_env(PROGRAM, lookup, err) {
        Ok(client) => client,
        Err(code) => return code,
    };
    let mut users = client
        .users()
        .get_users()
        .page_size(args.page_size)
        .state(args.state.into())
        .into_stream();
    let write_failed = |err: &mut dyn Write, e: std::io::Error| {
        let _ = writeln!(err, "{PROGRAM}: cannot write the output: {e}");
        EXIT_FAILURE
    };
    if let Err(e) = writeln!(out, "id\tname\temail\tstate") {
        return write_failed(err, e);
    }
    let mut count = 0u64;
    while let Some(user) = users.next().await {
        match user {
            Ok(user) => {
                if let Err(e) = out.write_all(line(&user).as_bytes()) {
                    return write_failed(err, e);
                }
                count += 1;
            }
            Err(e) => {
                let _ = out.flush();
                let _ = writeln!(err, "{PROGRAM}: {e} (after {count} users)");
                return EXIT_FAILURE;
            }
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(err, e);
    }
    let _ = writeln!(err, "{PROGRAM}: {count} users");
    EXIT_OK
}

/// A user's line: id, name, email and state, tab-separated (tabs and line breaks inside a
/// value become spaces).
pub fn line(user: &User) -> String {
    let clean = |value: Option<String>| value.unwrap_or_default().replace(['\t', '\r', '\n'], " ");
    format!(
        "{}\t{}\t{}\t{}\n",
        clean(user.id.clone()),
        clean(user.name.clone()),
        clean(user.email.clone()),
        clean(user.state.as_ref().map(ToString::to_string)),
    )
}
