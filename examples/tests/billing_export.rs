//! `billing_export` end to end against a local server shaped like Genesys Cloud: the
//! trustee billing overviews of the organizations asked for, the CSV and JSON Lines they
//! give (snapshots), exact amounts, one failing organization, and bad configurations.

mod common;

use common::{Program, Reply, Request, Server};
use serde_json::{json, Value};

/// A trustee billing overview (TrusteeBillingOverview) with these usages.
fn overview(id: &str, name: &str, currency: &str, usages: Value) -> Value {
    json!({
        "id": format!("overview-{id}"),
        "organization": {"id": id, "name": name, "selfUri": format!("/api/v2/organizations/{id}")},
        "currency": currency,
        "enabledProducts": ["PURE-3000"],
        "subscriptionType": "PREPAY_MONTHLY_COMMITMENT",
        "billingPeriodStartDate": "2026-11-01T00:00:00.000Z",
        "billingPeriodEndDate": "2026-12-01T00:00:00.000Z",
        "usages": usages,
        "minimumMonthlyAmount": "1000.00",
        "inRampPeriod": false,
        "selfUri": format!("/api/v2/billing/trusteebillingoverview/{id}")
    })
}

fn org_a() -> Value {
    overview(
        "org-a",
        "Acme, Inc. \"West\"",
        "USD",
        json!([
            {
                "name": "Genesys Cloud CX 3", "partNumber": "PURE-3000", "grouping": "user",
                "unitOfMeasureType": "Seat", "usageQuantity": "12", "overagePrice": "165.00",
                "prepayQuantity": "10", "prepayPrice": "150.00", "isCancellable": false,
                "bundleQuantity": "1", "isThirdParty": false
            },
            {
                // No prepaid quantity nor prepay price: they count as 0; 3 x 0.1 = 0.3.
                "name": "Voice minutes, inbound", "partNumber": "VOICE-IN", "grouping": "voice",
                "unitOfMeasureType": "Minute", "usageQuantity": "3", "overagePrice": "0.1"
            },
            {
                // Four-decimal prices keep their decimals.
                "name": "Speech analytics", "partNumber": "SA-1", "grouping": "analytics",
                "unitOfMeasureType": "Hour", "usageQuantity": "1250.5", "overagePrice": "0.0175",
                "prepayQuantity": "1000", "prepayPrice": "0.0125"
            }
        ]),
    )
}

fn org_b() -> Value {
    overview(
        "org-b",
        "Beta GmbH",
        "EUR",
        json!([
            {
                // Less used than prepaid: no overage.
                "name": "Genesys Cloud CX 1", "partNumber": "PURE-1000", "grouping": "user",
                "unitOfMeasureType": "Seat", "usageQuantity": "7", "overagePrice": "90.0000",
                "prepayQuantity": "10", "prepayPrice": "75.00"
            },
            {
                "name": "Premium app\n(third party)", "partNumber": "APP-9", "grouping": "apps",
                "unitOfMeasureType": "Seat", "usageQuantity": "2", "overagePrice": "4.99",
                "prepayQuantity": "0", "isThirdParty": true
            }
        ]),
    )
}

fn not_found(id: &str) -> Reply {
    Reply::json(
        404,
        json!({"message": format!("Organization {id} not found"), "code": "not.found", "status": 404}),
    )
}

/// The server's API routes: the overviews of org-a and org-b, a broken number for
/// org-bad, and 404 for any other organization.
fn routes(request: &Request) -> Reply {
    let Some(org) = request
        .path()
        .strip_prefix("/api/v2/billing/trusteebillingoverview/")
    else {
        return Reply::json(404, json!({"message": "no route"}));
    };
    match org {
        "org-a" => Reply::json(200, org_a()),
        "org-b" => Reply::json(200, org_b()),
        "org-bad" => Reply::json(
            200,
            overview(
                "org-bad",
                "Broken",
                "USD",
                json!([{"name": "Seats", "usageQuantity": "3", "overagePrice": "1,50"}]),
            ),
        ),
        other => not_found(other),
    }
}

#[tokio::test]
async fn exports_every_organization_as_csv() {
    let server = Server::start(routes).await;
    let outcome = common::run(
        Program::BillingExport,
        &["--org", "org-a", "--org", "org-b", "--period", "1"],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    insta::assert_snapshot!("billing_export_csv", outcome.stdout);
    // 0.1 x 3 = 0.3, and four-decimal prices keep their decimals.
    let voice = "org-a,\"Acme, Inc. \"\"West\"\"\",USD,\"Voice minutes, inbound\",VOICE-IN,Minute,\
                 3,0,0,0.1,0,0.3,0.3\n";
    assert!(outcome.stdout.contains(voice));
    assert!(outcome
        .stdout
        .contains(",SA-1,Hour,1250.5,1000,0.0125,0.0175,12.5000,4.38375,16.88375\n"));
    assert_eq!(
        outcome.stderr,
        "billing_export: [1/2] organization org-a: 3 usages\n\
         billing_export: [2/2] organization org-b: 2 usages\n"
    );

    // One token request (client credentials), then one overview per organization, for the
    // period asked for, with the token.
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path()),
        ("POST", "/oauth/token")
    );
    assert!(
        requests[0].body.contains("grant_type=client_credentials"),
        "{}",
        requests[0].body
    );
    for (request, org) in requests[1..].iter().zip(["org-a", "org-b"]) {
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.path(),
            format!("/api/v2/billing/trusteebillingoverview/{org}")
        );
        assert_eq!(request.query("billingPeriodIndex").as_deref(), Some("1"));
        assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    }
}

#[tokio::test]
async fn exports_json_lines() {
    let server = Server::start(routes).await;
    let outcome = common::run(
        Program::BillingExport,
        &["--org", "org-a", "--org", "org-b", "--format", "jsonl"],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    insta::assert_snapshot!("billing_export_jsonl", outcome.stdout);
    let lines: Vec<Value> = outcome
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[1]["amount"], "0.3");
    // The default period is the current one.
    let requests = server.api_requests();
    assert_eq!(
        requests[0].query("billingPeriodIndex").as_deref(),
        Some("0")
    );
}

#[tokio::test]
async fn a_failing_organization_is_reported_and_the_others_exported() {
    let server = Server::start(routes).await;
    let outcome = common::run(
        Program::BillingExport,
        &[
            "--org",
            "org-a",
            "--org",
            "org-missing",
            "--org",
            "org-bad",
            "--org",
            "org-b",
        ],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    let exported: Vec<&str> = outcome
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .filter(|org| org.starts_with("org-"))
        .collect();
    assert_eq!(exported, ["org-a", "org-a", "org-a", "org-b", "org-b"]);
    assert!(!outcome.stdout.contains("org-bad") && !outcome.stdout.contains("org-missing"));
    insta::assert_snapshot!("billing_export_failures_stderr", outcome.stderr);
    assert_eq!(server.api_requests().len(), 4);
}

#[tokio::test]
async fn refused_credentials_stop_the_export() {
    let refused = Reply::json(
        401,
        json!({"error": "invalid_client", "description": "client not found"}),
    );
    let server = Server::start_with_token(refused, routes).await;
    let outcome = common::run(
        Program::BillingExport,
        &["--org", "org-a", "--org", "org-b", "--org", "org-c"],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(
        outcome.stdout.lines().count(),
        1,
        "the header only: {}",
        outcome.stdout
    );
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", outcome.stderr);
    assert!(
        lines[0].starts_with("billing_export: [1/3] organization org-a: failed, not exported: "),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "billing_export: stopped: no access token, so 3 of 3 organizations were not exported"
    );
    assert!(server.api_requests().is_empty());
    assert!(!outcome.stderr.contains("test-secret"));
}

#[tokio::test]
async fn help_lists_the_options() {
    let outcome = common::run(Program::BillingExport, &["--help"], &[]).await;
    assert_eq!(outcome.code, 0);
    assert_eq!(outcome.stderr, "");
    for text in [
        "--org <ID>",
        "--period <N>",
        "--format <FORMAT>",
        "[default: 0]",
        "[default: csv]",
        "jsonl",
    ] {
        assert!(
            outcome.stdout.contains(text),
            "{text} in {}",
            outcome.stdout
        );
    }
}

#[tokio::test]
async fn bad_arguments_are_a_usage_error() {
    let server = Server::start(routes).await;
    for args in [
        &[][..],
        &["--org", "org-a", "--period", "-1"],
        &["--org", "org-a", "--format", "xml"],
    ] {
        let outcome = common::run(Program::BillingExport, args, &server.env()).await;
        assert_eq!(outcome.code, 2, "{args:?}");
        assert_eq!(outcome.stdout, "", "{args:?}");
        assert!(
            outcome.stderr.starts_with("error: "),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    assert!(server.requests().is_empty());
}
