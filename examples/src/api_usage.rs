//! `api_usage`: how many API requests each OAuth client made over an interval, by status
//! class, from a Usage API query (`postUsageQuery`) run through the client's job helper
//! (`send_and_wait`: start the query, poll `getUsageQueryExecutionIdResults` until it
//! completes).

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use clap::Parser;
use genesys_cloud::models::{
    ApiUsageClientQueryMetricsItem, ApiUsageOrganizationQuery,
    ApiUsageOrganizationQueryGroupByItem, ApiUsageRow,
};
use genesys_cloud::runtime::{Interval, PollOptions};

use crate::cli::{self, Lookup, EXIT_FAILURE, EXIT_OK};
use crate::table::{self, Align};

const PROGRAM: &str = "api_usage";

/// Prints the API requests per OAuth client and status class over an interval.
///
/// The query (postUsageQuery, grouped by OAuth client) runs as a job: the program polls
/// its results until it completes, fails, or --deadline seconds have passed.
///
/// Environment: GENESYSCLOUD_REGION (us-east-1, eu-west-1, ...), and
/// GENESYSCLOUD_OAUTHCLIENT_ID with GENESYSCLOUD_OAUTHCLIENT_SECRET, or
/// GENESYSCLOUD_ACCESS_TOKEN; GENESYSCLOUD_PROXY_* and GENESYSCLOUD_GATEWAY_* as the
/// Genesys Cloud CLI reads them.
///
/// Exit codes: 0 done; 1 the query failed or did not finish in time; 2 the program cannot
/// start (arguments, credentials, region).
#[derive(Debug, Parser)]
#[command(name = PROGRAM, version)]
pub struct Args {
    /// The ISO-8601 interval, start/end: 2026-11-01T00:00:00Z/2026-12-01T00:00:00Z.
    #[arg(long, value_name = "START/END", value_parser = parse_interval)]
    pub interval: Interval,
    /// How many seconds to wait for the query's results.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub deadline: u64,
}

fn parse_interval(text: &str) -> Result<Interval, String> {
    let interval: Interval = text.trim().parse()?;
    if interval.end <= interval.start {
        return Err(format!("{text:?} ends before it starts"));
    }
    Ok(interval)
}

/// One client's requests over the interval.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientUsage {
    pub name: String,
    pub requests: i64,
    pub status_2xx: i64,
    pub status_3xx: i64,
    pub status_4xx: i64,
    /// Part of `status_4xx`.
    pub status_429: i64,
    pub status_5xx: i64,
}

/// Runs the program: `args` (program name first), the environment through `lookup`, the
/// table on `out`, errors on `err`; returns the exit code.
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
    let mut query = ApiUsageOrganizationQuery::new(args.interval);
    query.group_by = Some(vec![ApiUsageOrganizationQueryGroupByItem::OAuthClientId]);
    query.metrics = Some(vec![
        ApiUsageClientQueryMetricsItem::Requests,
        ApiUsageClientQueryMetricsItem::Status200,
        ApiUsageClientQueryMetricsItem::Status300,
        ApiUsageClientQueryMetricsItem::Status400,
        ApiUsageClientQueryMetricsItem::Status429,
        ApiUsageClientQueryMetricsItem::Status500,
    ]);
    let rows = client
        .usage()
        .post_usage_query(query)
        .send_and_wait(PollOptions::new().deadline(Duration::from_secs(args.deadline)))
        .await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => {
            let _ = writeln!(err, "{PROGRAM}: {e}");
            return EXIT_FAILURE;
        }
    };
    let text = render(args.interval, &per_client(&rows));
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "{PROGRAM}: cannot write the output: {e}");
            EXIT_FAILURE
        }
    }
}

/// The rows added up per client id (rows without one under `""`).
pub fn per_client(rows: &[ApiUsageRow]) -> BTreeMap<String, ClientUsage> {
    let mut clients: BTreeMap<String, ClientUsage> = BTreeMap::new();
    for row in rows {
        let usage = clients
            .entry(row.client_id.clone().unwrap_or_default())
            .or_default();
        if usage.name.is_empty() {
            usage.name = row.client_name.clone().unwrap_or_default();
        }
        let n = |count: Option<i64>| count.unwrap_or(0);
        usage.requests += n(row.requests);
        usage.status_2xx += n(row.status200);
        usage.status_3xx += n(row.status300);
        usage.status_4xx += n(row.status400);
        usage.status_429 += n(row.status429);
        usage.status_5xx += n(row.status500);
    }
    clients
}

/// A line naming the interval, then one line per client, most requests first, then the
/// total.
pub fn render(interval: Interval, clients: &BTreeMap<String, ClientUsage>) -> String {
    let mut text = format!("API requests from {} to {}\n", interval.start, interval.end);
    if clients.is_empty() {
        text.push_str("No requests.\n");
        return text;
    }
    let mut sorted: Vec<(&String, &ClientUsage)> = clients.iter().collect();
    sorted.sort_by(|a, b| b.1.requests.cmp(&a.1.requests).then(a.0.cmp(b.0)));
    let mut total = ClientUsage {
        name: "total".to_owned(),
        ..ClientUsage::default()
    };
    let line = |id: &str, usage: &ClientUsage| {
        vec![
            id.to_owned(),
            usage.name.clone(),
            usage.requests.to_string(),
            usage.status_2xx.to_string(),
            usage.status_3xx.to_string(),
            usage.status_4xx.to_string(),
            usage.status_429.to_string(),
            usage.status_5xx.to_string(),
        ]
    };
    let mut rows = Vec::new();
    for (id, usage) in sorted {
        total.requests += usage.requests;
        total.status_2xx += usage.status_2xx;
        total.status_3xx += usage.status_3xx;
        total.status_4xx += usage.status_4xx;
        total.status_429 += usage.status_429;
        total.status_5xx += usage.status_5xx;
        rows.push(line(id, usage));
    }
    rows.push(line("", &total));
    text.push_str(&table::render(
        &[
            ("CLIENT ID", Align::Left),
            ("CLIENT NAME", Align::Left),
            ("REQUESTS", Align::Right),
            ("2XX", Align::Right),
            ("3XX", Align::Right),
            ("4XX", Align::Right),
            ("429", Align::Right),
            ("5XX", Align::Right),
        ],
        &rows,
    ));
    text
}
