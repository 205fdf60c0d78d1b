//! Configuration: every region with its hosts, parsing regions, the base URL and the login
//! URL that goes with it, an API gateway, an HTTP proxy, a client TLS identity, timeouts
//! (client-wide and per call), the user agent, a caller-supplied `reqwest::Client`, extra
//! request headers, and a `Client` that is cheap to clone and `Send + Sync`. The
//! environment variables are in `environment.rs`.

use std::time::{Duration, Instant};

use runtime_client::runtime::{CallOptions, Gateway, Region, RetryPolicy};
use runtime_client::Error;

use crate::server::{Reply, Server};
use crate::user_json;

/// The regions as the issue lists them, code and domain, with the EU sovereign cloud the
/// Genesys SDKs and Terraform provider list last.
const REGIONS: [(&str, &str); 18] = [
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
    ("eusc-de-east-1", "edee1.eusc-pure.cloud"),
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

/// A stand-in for Genesys behind one origin: any path ending in `/oauth/token` issues
/// `token-from-login`, anything else answers a user.
pub fn login_and_api(_: usize, request: &crate::server::Recorded) -> Reply {
    if request.path().ends_with("/oauth/token") {
        return Reply::json(
            200,
            serde_json::json!({"access_token": "token-from-login", "token_type": "bearer", "expires_in": 3600}),
        );
    }
    Reply::json(200, user_json("u1", "Ann"))
}

/// The targets the server received, in order.
pub fn targets(server: &Server) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect()
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_gets_tokens_under_the_same_prefix() {
    // The one login rule: the base URL with a leading `api.` label made `login.`, path kept.
    // A 127.0.0.1 base URL has no such label, so tokens come from the same prefix.
    let server = Server::start(login_and_api).await;
    let client = runtime_client::Client::builder()
        .base_url(format!("{}/prefix/", server.url()))
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        targets(&server),
        ["POST /prefix/oauth/token", "GET /prefix/api/v2/users/u1"]
    );
}

#[tokio::test]
async fn a_gateway_without_paths_takes_api_calls_and_token_requests_at_its_origin() {
    let server = Server::start(login_and_api).await;
    let port = server.url().rsplit(':').next().unwrap().parse().unwrap();
    let client = runtime_client::Client::builder()
        .region(Region::EuWest1)
        .gateway(Gateway::new("127.0.0.1").protocol("http").port(port))
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.url());
    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        targets(&server),
        ["POST /oauth/token", "GET /api/v2/users/u1"]
    );
    let requests = server.requests();
    // Basic auth of `id:secret`, then the token it issued.
    assert_eq!(
        requests[0].header("authorization"),
        Some("Basic aWQ6c2VjcmV0")
    );
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer token-from-login")
    );
}

#[tokio::test]
async fn a_gateway_with_paths_serves_the_api_and_the_login_under_them() {
    let server = Server::start(login_and_api).await;
    let port = server.url().rsplit(':').next().unwrap().parse().unwrap();
    let client = runtime_client::Client::builder()
        .gateway(
            Gateway::new("127.0.0.1")
                .protocol("http")
                .port(port)
                .api_path("/gateway/api/")
                .login_path("gateway/login"),
        )
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        targets(&server),
        [
            "POST /gateway/login/oauth/token",
            "GET /gateway/api/api/v2/users/u1"
        ]
    );
}

#[tokio::test]
async fn a_proxy_gets_absolute_form_requests_with_proxy_authorization() {
    // The scripted server plays the HTTP proxy: a proxied plain-http request names the
    // whole target URL. Neither host below resolves; only the proxy is ever connected to.
    let proxy = Server::start(login_and_api).await;
    let client = runtime_client::Client::builder()
        .base_url("http://api.example.test")
        .proxy(proxy.url())
        .proxy_basic_auth("proxy-user", "proxy-password")
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        targets(&proxy),
        [
            "POST http://login.example.test/oauth/token",
            "GET http://api.example.test/api/v2/users/u1"
        ]
    );
    for request in proxy.requests() {
        // base64("proxy-user:proxy-password")
        assert_eq!(
            request.header("proxy-authorization"),
            Some("Basic cHJveHktdXNlcjpwcm94eS1wYXNzd29yZA==")
        );
    }
    // Credentials in the URL work too, and a proxy that is no http(s) URL fails the build
    // without showing them.
    let proxy_in_url = format!("http://u:p@{}", &proxy.url()["http://".len()..]);
    runtime_client::Client::builder()
        .base_url("http://api.example.test")
        .proxy(proxy_in_url)
        .build()
        .unwrap()
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        proxy.requests()[2].header("proxy-authorization"),
        Some("Basic dTpw")
    );
    for bad in [
        "socks9://u:hunter2@proxy:1",
        "http://u:hunter2@",
        "not a url",
    ] {
        let error = runtime_client::Client::builder()
            .proxy(bad)
            .build()
            .unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::Config { .. }), "{bad}: {error:?}");
        assert!(
            message.contains("proxy URL") && !message.contains("hunter2"),
            "{message}"
        );
    }
}

/// A self-signed certificate and its PKCS #8 key (P-256), made with `openssl req -x509`
/// for these tests only.
const CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBkzCCATmgAwIBAgIUDyG2MR+2qO0QoWW2koePL3IFxZAwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTcnVudGltZS10ZXN0LWNsaWVudDAgFw0yNjEyMDIwMTE3NTRa
GA8yMTI2MTEwODAxMTc1NFowHjEcMBoGA1UEAwwTcnVudGltZS10ZXN0LWNsaWVu
dDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJB9bJ34drR/j4sl89fRP9fZqo6E
NjMtg36GpCc5bpM9hQGwS/z2Pn8vf2jo9sri5OPfRAxRfbvb3ZAS69PnXy+jUzBR
MB0GA1UdDgQWBBThe2cGHOOhQOT6nCy5D2m4MgHEBjAfBgNVHSMEGDAWgBThe2cG
HOOhQOT6nCy5D2m4MgHEBjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gA
MEUCIQCxL7PPhZV/tsglxyXw2A6spQ4Lak0GWkQYj5hVA6h3YQIgc4ewRzAwEZpc
1XA1ZW91cXATv3mnczKs05wBlWlZgig=
-----END CERTIFICATE-----
";
const PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzBlj4WCdq9hzZD0o
RxlwQIo9C+tS/I1BFIP5MCYmgcOhRANCAASQfWyd+Ha0f4+LJfPX0T/X2aqOhDYz
LYN+hqQnOW6TPYUBsEv89j5/L39o6PbK4uTj30QMUX27292QEuvT518v
-----END PRIVATE KEY-----
";

#[test]
fn a_client_identity_and_root_certificates_are_checked_pems() {
    let identity = format!("{CERTIFICATE}{PRIVATE_KEY}");
    runtime_client::Client::builder()
        .identity_pem(identity)
        .add_root_certificate_pem(CERTIFICATE)
        .build()
        .unwrap();
    for (builder, setting) in [
        (
            runtime_client::Client::builder().identity_pem(CERTIFICATE),
            "identity_pem",
        ),
        (
            runtime_client::Client::builder().identity_pem("not\na PEM\n"),
            "identity_pem",
        ),
        (
            runtime_client::Client::builder().add_root_certificate_pem(PRIVATE_KEY),
            "add_root_certificate_pem",
        ),
    ] {
        let error = builder.build().unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(
            message.starts_with(&format!("invalid client configuration: {setting}: ")),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
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
