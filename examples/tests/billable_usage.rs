//! `billable_usage` end to end: the billable usage report of a period, asked for again
//! while it is `InProgress`, printed as a table.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{Program, Reply, Server};
use serde_json::json;

fn report(status: &str) -> serde_json::Value {
    json!({
        "id": "report-1",
        "name": "Billable usage",
        "startDate": "2026-11-01T00:00:00.000Z",
        "endDate": "2026-12-01T00:00:00.000Z",
        "status": status,
        "usages": [
            {
                "name": "Genesys Cloud CX 3",
                "totalUsage": "42",
                "resources": [
                    {"name": "Ann Lee", "date": "2026-11-02T09:00:00.000Z"},
                    {"name": "Bo Chen", "date": "2026-11-03T09:00:00.000Z"}
                ]
            },
            {
                "name": "Voice minutes",
                "totalUsage": "1234.50",
                "resources": []
            }
        ],
        "selfUri": "/api/v2/billing/reports/billableusage"
    })
}

#[tokio::test]
async fn prints_the_report_as_a_table_once_it_is_complete() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let server = Server::start(move |request| {
        if request.path() != "/api/v2/billing/reports/billableusage" {
            return Reply::json(404, json!({"message": "no route"}));
        }
        // The first answer: still being generated.
        let status = if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            "InProgress"
        } else {
            "Complete"
        };
        Reply::json(200, report(status))
    })
    .await;
    let outcome = common::run(
        Program::BillableUsage,
        &["--start", "2026-11-01", "--end", "2026-12-01T00:00:00Z"],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    insta::assert_snapshot!("billable_usage_table", outcome.stdout);
    assert_eq!(
        outcome.stderr,
        "billable_usage: the report is being generated; asking again\n"
    );
    let requests = server.api_requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(
            request.query("startDate").as_deref(),
            Some("2026-11-01T00:00:00.000Z")
        );
        assert_eq!(
            request.query("endDate").as_deref(),
            Some("2026-12-01T00:00:00.000Z")
        );
    }
}

#[tokio::test]
async fn an_api_error_is_one_line_and_exit_code_1() {
    let server = Server::start(|_| {
        let message = "Missing permission billing:subscription:view";
        Reply::json(
            403,
            json!({"message": message, "code": "missing.permissions", "status": 403}),
        )
    })
    .await;
    let outcome = common::run(
        Program::BillableUsage,
        &["--start", "2026-11-01", "--end", "2026-12-01"],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 1);
    assert_eq!(outcome.stdout, "");
    assert_eq!(
        outcome.stderr,
        "billable_usage: getBillingReportsBillableusage: HTTP 403 missing.permissions: \
         Missing permission billing:subscription:view\n"
    );
}

#[tokio::test]
async fn bad_dates_are_a_usage_error() {
    for args in [
        &["--start", "November", "--end", "2026-12-01"][..],
        &["--start", "2026-12-01", "--end", "2026-11-01"],
    ] {
        let outcome = common::run(Program::BillableUsage, args, &[]).await;
        assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.stderr);
        assert_eq!(outcome.stdout, "");
    }
}
