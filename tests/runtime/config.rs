//! Configuration: every region with its hosts, parsing regions (and `GENESYS_REGION`), the
//! base URL, timeouts (client-wide and per call), the user agent, a caller-supplied
//! `reqwest::Client`, extra request headers, and a `Client` that is cheap to clone and
//! `Send + Sync`.

use std::time::{Duration, Instant};

use runtime_client::runtime::{CallOptions, Region, RetryPolicy};
use runtime_client::Error;

use crate::server::{Reply, Server};
use crate::user_json;

/// The regions as the issue lists them: code and domain.
const REGIONS: [(&str, &str); 17] = [
    ("us-east-1", "mypurecloud.com"),
    ("us-east-2", "use2.us-gov-pure.cloud"),
    ("us-west-2", "usw2.pure.cloud"),
    ("ca-central-1", "cac1.pure.cloud"),
    ("sa-east-1", "sae1.pure.cloud"),
    ("mx-central-1", "mxc1.pure.cloud"),
    ("eu-west-1", "mypurecloud.ie"),
    ("eu-west-2", "euw2.pure.cloud"),
    ("eu-central-1", "mypurecloud.de"),
    ("eu-central-2", "euc2.pure.cloud"),
    ("me-central-1", "mec1.pure.cloud"),
    ("ap-south-1", "aps1.pure.cloud"),
    ("ap-southeast-1", "apse1.pure.cloud"),
    ("ap-southeast-2", "mypurecloud.com.au"),
    ("ap-northeast-1", "mypurecloud.jp"),
    ("ap-northeast-2", "apne2.pure.cloud"),
    ("ap-northeast-3", "apne3.pure.cloud"),
];

#[test]
fn every_region_has_its_api_and_login_host() {
    assert_eq!(Region::ALL.len(), REGIONS.len());
    for (region, (code, domain)) in Region::ALL.into_iter().zip(REGIONS) {
        assert_eq!(region.code(), code);
        assert_eq!(region.domain(), domain);
        assert_eq!(region.api_host(), format!("api.{domain}"));
        assert_eq!(region.login_host(), format!("login.{domain}"));
        assert_eq!(region.api_base_url(), format!("https://api.{domain}"));
        assert_eq!(region.login_base_url(), format!("https://login.{domain}"));
        assert_eq!(region.to_string(), code);
    }
}

#[test]
fn regions_parse_from_code_domain_host_or_url() {
    for (region, (code, domain)) in Region::ALL.into_iter().zip(REGIONS) {
        for text in [
            code.to_owned(),
            domain.to_owned(),
            format!("api.{domain}"),
            format!("login.{domain}"),
            format!("https://api.{domain}/"),
            code.to_uppercase(),
        ] {
            assert_eq!(text.parse::<Region>(), Ok(region), "{text}");
        }
    }
    let error = "mars-north-1".parse::<Region>().unwrap_err();
    assert!(error.to_string().contains("mars-north-1"));
    assert!("pure.cloud".parse::<Region>().is_err());
}

#[test]
fn genesys_region_is_read_from_the_environment() {
    // The only test that touches GENESYS_REGION.
    std::env::set_var("GENESYS_REGION", "mypurecloud.de");
    assert_eq!(Region::from_env().unwrap(), Some(Region::EuCentral1));
    std::env::set_var("GENESYS_REGION", "nowhere");
    let error = Region::from_env().unwrap_err();
    assert!(
        matches!(error, Error::Config { .. }) && error.to_string().contains("GENESYS_REGION"),
        "{error}"
    );
    std::env::remove_var("GENESYS_REGION");
    assert_eq!(Region::from_env().unwrap(), None);
}

#[test]
fn the_region_and_base_url_set_where_requests_go() {
    let client = runtime_client::Client::builder().build().unwrap();
    assert_eq!(client.base_url(), "https://api.mypurecloud.com");
    let client = runtime_client::Client::builder()
        .region(Region::ApSoutheast2)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.mypurecloud.com.au");
    let client = runtime_client::Client::builder()
        .region(Region::EuWest1)
        .base_url("http://127.0.0.1:9/")
        .build()
        .unwrap();
    assert_eq!(
        client.base_url(),
        "http://127.0.0.1:9",
        "a custom base URL wins over the region"
    );
    for bad in ["ftp://example.com", "not a url", "mailto:x@example.com"] {
        let error = runtime_client::Client::builder()
            .base_url(bad)
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config { .. }), "{bad}: {error:?}");
    }
}

#[test]
fn the_client_is_cheap_to_clone_and_send_and_sync() {
    fn send_sync<T: Send + Sync + Clone + 'static>() {}
    send_sync::<runtime_client::Client>();
    send_sync::<genesys_cloud::Client>();
    // A clone is a reference count, whatever the client holds.
    assert!(std::mem::size_of::<runtime_client::Client>() <= 2 * std::mem::size_of::<usize>());
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_version() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    crate::client(&server)
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap();
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .user_agent("my-app/2.1")
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].header("user-agent"),
        Some("runtime-client/0.1.0 (Rust)")
    );
    assert_eq!(
        requests[1].header("user-agent"),
        Some("my-app/2.1 runtime-client/0.1.0 (Rust)")
    );
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_is_used() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-caller", "middleware".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .http_client(http)
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        server.requests()[0].header("x-from-caller"),
        Some("middleware")
    );
}

#[tokio::test]
async fn an_attempt_that_takes_too_long_is_a_timeout_error() {
    let server = Server::start(|_, _| {
        Reply::json(200, user_json("u1", "Ann")).delay(Duration::from_secs(2))
    })
    .await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                operation: "getUser",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert!(
        error.to_string().starts_with("getUser: timed out"),
        "{error}"
    );
}

#[tokio::test]
async fn timeouts_can_be_overridden_per_call() {
    let server = Server::start(|_, _| {
        Reply::json(200, user_json("u1", "Ann")).delay(Duration::from_millis(600))
    })
    .await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .timeout(Duration::from_secs(30))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client
        .users()
        .get_user("u1")
        .with_options(CallOptions::new().timeout(Duration::from_millis(100)))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    // Options on a client clone apply to every call through it, and only there.
    let quick = client.with_options(CallOptions::new().timeout(Duration::from_millis(100)));
    assert!(matches!(
        quick.users().get_user("u1").send().await,
        Err(Error::Timeout { .. })
    ));
    client.users().get_user("u1").send().await.unwrap();
}

#[tokio::test]
async fn extra_request_headers_are_sent_per_call() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let client = crate::client(&server);
    let user = client.users().get_user("u1").send().await.unwrap();
    client
        .users()
        .put_user("u1", user)
        .with_options(
            CallOptions::new()
                .header("If-Match", "\"7\"")
                .header("X-Request-Tag", "t-1"),
        )
        .send()
        .await
        .unwrap();
    let put = &server.requests()[1];
    assert_eq!(put.header("if-match"), Some("\"7\""));
    assert_eq!(put.header("x-request-tag"), Some("t-1"));
    assert_eq!(server.requests()[0].header("if-match"), None);

    let error = client
        .users()
        .get_user("u1")
        .with_options(CallOptions::new().header("Bad Name", "x"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
}

#[test]
fn tls_is_rustls_and_openssl_is_never_linked() {
    // The workspace lock holds every crate any member (both generated clients included)
    // can link: no OpenSSL binding and no native-tls may be among them.
    let lock = std::fs::read_to_string(tests::workspace().join("Cargo.lock")).unwrap();
    for name in ["openssl-sys", "openssl", "native-tls", "hyper-tls"] {
        assert!(
            !lock.contains(&format!("name = \"{name}\"")),
            "{name} is in Cargo.lock"
        );
    }
    assert!(lock.contains("name = \"rustls\""));
}
