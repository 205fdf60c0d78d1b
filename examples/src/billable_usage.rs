//! `billable_usage`: the billable usage report of a period (`getBillingReportsBillableusage`)
//! as a table: each billable usage, its total, and how many resources (licensed users,
//! devices) it was observed on. A report still being generated (`InProgress`) is asked for
//! again, as the API's documentation says, until it is complete or `--wait` runs out.

use std::io::Write;
use std::time::{Duration, Instant};

use clap::Parser;
use genesys_cloud::models::{BillingUsageReport, BillingUsageReportStatus};
use genesys_cloud::runtime::DateTime;

use crate::cli::{self, Lookup, EXIT_FAILURE, EXIT_OK};
use crate::table::{self, Align};

const PROGRAM: &str = "billable_usage";

/// Prints the billable usage report of a period as a table on stdout.
///
/// A report still being generated is asked for again until it is complete or --wait
/// seconds have passed.
///
/// Environment: GENESYSCLOUD_REGION (us-east-1, eu-west-1, ...), and
/// GENESYSCLOUD_OAUTHCLIENT_ID with GENESYSCLOUD_OAUTHCLIENT_SECRET, or
/// GENESYSCLOUD_ACCESS_TOKEN; GENESYSCLOUD_PROXY_* and GENESYSCLOUD_GATEWAY_* as the
/// Genesys Cloud CLI reads them.
///
/// Exit codes: 0 done; 1 the report cannot be had; 2 the program cannot start
/// (arguments, credentials, region).
#[derive(Debug, Parser)]
#[command(name = PROGRAM, version)]
pub struct Args {
    /// The period's start: a date (2026-11-01, midnight UTC) or an ISO-8601 date-time
    /// (2026-11-01T00:00:00Z).
    #[arg(long, value_name = "DATE", value_parser = parse_instant)]
    pub start: DateTime,
    /// The period's end, in the same forms.
    #[arg(long, value_name = "DATE", value_parser = parse_instant)]
    pub end: DateTime,
    /// How many seconds to keep asking while the report is still being generated.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub wait: u64,
}

/// A date (`2026-11-01`, midnight UTC) or an RFC 3339 date-time.
pub fn parse_instant(text: &str) -> Result<DateTime, String> {
    let text = text.trim();
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_owned()
    };
    full.parse().map_err(|_| {
        format!("{text:?} is neither a date (2026-11-01) nor a date-time (2026-11-01T00:00:00Z)")
    })
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
    if args.end <= args.start {
        let _ = writeln!(err, "{PROGRAM}: --end must be after --start");
        return cli::EXIT_USAGE;
    }
    let client = match cli::client_from_env(PROGRAM, lookup, err) {
        Ok(client) => client,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut delay = Duration::from_secs(1);
    let report = loop {
        let report = client
            .billing()
            .get_billing_reports_billableusage(args.start, args.end)
            .send()
            .await;
        match report {
            Ok(report) if report.status == Some(BillingUsageReportStatus::InProgress) => {
                let left = Duration::from_secs(args.wait).saturating_sub(started.elapsed());
                if left.is_zero() {
                    let _ = writeln!(
                        err,
                        "{PROGRAM}: the report was still being generated after {} s (see --wait)",
                        args.wait
                    );
                    return EXIT_FAILURE;
                }
                let _ = writeln!(
                    err,
                    "{PROGRAM}: the report is being generated; asking again"
                );
                tokio::time::sleep(delay.min(left)).await;
                delay = (delay * 2).min(Duration::from_secs(10));
            }
            Ok(report) => break report,
            Err(e) => {
                let _ = writeln!(err, "{PROGRAM}: {e}");
                return EXIT_FAILURE;
            }
        }
    };
    match out
        .write_all(render(&report, args.start, args.end).as_bytes())
        .and_then(|()| out.flush())
    {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "{PROGRAM}: cannot write the output: {e}");
            EXIT_FAILURE
        }
    }
}

/// The report as text: a line saying which period it covers, then the table.
pub fn render(report: &BillingUsageReport, start: DateTime, end: DateTime) -> String {
    let start = report.start_date.unwrap_or(start);
    let end = report.end_date.unwrap_or(end);
    let mut text = format!("Billable usage from {start} to {end}");
    if let Some(status) = &report.status {
        text.push_str(&format!(" ({status})"));
    }
    text.push('\n');
    let rows: Vec<Vec<String>> = report
        .usages
        .iter()
        .flatten()
        .map(|usage| {
            vec![
                usage.name.clone().unwrap_or_default(),
                usage.total_usage.clone().unwrap_or_default(),
                usage.resources.as_ref().map_or(0, Vec::len).to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        text.push_str("No billable usage.\n");
        return text;
    }
    text.push_str(&table::render(
        &[
            ("USAGE", Align::Left),
            ("TOTAL USAGE", Align::Right),
            ("RESOURCES", Align::Right),
        ],
        &rows,
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_dates_or_date_times() {
        assert_eq!(
            parse_instant("2026-11-01").unwrap().to_string(),
            "2026-11-01T00:00:00.000Z"
        );
        assert_eq!(
            parse_instant("2026-11-01T12:30:00+01:00")
                .unwrap()
                .to_string(),
            "2026-11-01T11:30:00.000Z"
        );
        assert!(parse_instant("November")
            .unwrap_err()
            .contains("\"November\""));
        assert!(parse_instant("2026-13-01").is_err());
    }
}
