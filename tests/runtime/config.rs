//! Configuration: every region with its hosts, parsing regions, the base URL and the login
//! URL that goes with it, an API gateway, an HTTP proxy, a client TLS identity, timeouts
//! (client-wide and per call), the user agent, a caller-supplied `reqwest::Client`, extra
//! request headers, and a `Client` that is cheap to clone and `Send + Sync`. The
//! environment variables are in `environment.rs`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

/// A CA, and a server certificate (for IP 127.0.0.1) and a client certificate it signed,
/// with their PKCS #8 keys (P-256), made with `openssl` for these tests only.
const CA_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBnTCCAUOgAwIBAgIUJRFFe3PWI+XE9kyad/6ZbKq3ui4wCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQcnVudGltZS10ZXN0cyBDQTAgFw0yNjEyMDIwMTIyMDNaGA8y
MTI2MTEwODAxMjIwM1owGzEZMBcGA1UEAwwQcnVudGltZS10ZXN0cyBDQTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABJi62+6xR8qgtXw3j6ogdFcGGTioyNufxt90
IA0Kg++OBOwNw5uiYSIED7FPb9KmkrZPorNPnLN6Xpi3kcpwxNijYzBhMB0GA1Ud
DgQWBBSv/UmM3ToH3dx2zl2Tr9zZ1FDx3zAfBgNVHSMEGDAWgBSv/UmM3ToH3dx2
zl2Tr9zZ1FDx3zAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwICBDAKBggq
hkjOPQQDAgNIADBFAiAlTP5YXVLZFrxZ7l86KA8FrrH8Syj4JEtVd+yUlKWIRAIh
AI4LK0wUMwt5eHfAyzn10yBgtiJJjpHfa2E0+hktKPsx
-----END CERTIFICATE-----
";
const SERVER_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBpzCCAUygAwIBAgIUfDs6uhTUzcHaY4DfANL5r2t1m3EwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQcnVudGltZS10ZXN0cyBDQTAgFw0yNjEyMDIwMTIyMDNaGA8y
MTI2MTEwODAxMjIwM1owFDESMBAGA1UEAwwJMTI3LjAuMC4xMFkwEwYHKoZIzj0C
AQYIKoZIzj0DAQcDQgAEDxBO4JFivxyudcguW7v3X64egV2mDsDt5SO0b6NFtdsV
gUBs1OdpJ7hmLK35JLsjKazqLXrMrsDeSEgeIMGAuqNzMHEwDwYDVR0RBAgwBocE
fwAAATATBgNVHSUEDDAKBggrBgEFBQcDATAJBgNVHRMEAjAAMB0GA1UdDgQWBBSQ
BDuF13nBIf8eyy3qkxJeltzwXTAfBgNVHSMEGDAWgBSv/UmM3ToH3dx2zl2Tr9zZ
1FDx3zAKBggqhkjOPQQDAgNJADBGAiEAsOJX3I0JeeZ3UAzQuXOPKvLzpZzAsYFW
PlmCPMUmnXsCIQCOBUSlE99nBdEkZKapZYIVnopJoR/fYOFZDzheIbw0Eg==
-----END CERTIFICATE-----
";
const SERVER_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgg3QTtkPo6fIHw0yR
8lLIkfnVSSOlIbUGyLI+hD+UNpWhRANCAAQPEE7gkWK/HK51yC5bu/dfrh6BXaYO
wO3lI7Rvo0W12xWBQGzU52knuGYsrfkkuyMprOotesyuwN5ISB4gwYC6
-----END PRIVATE KEY-----
";
const CLIENT_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBoDCCAUagAwIBAgIUfDs6uhTUzcHaY4DfANL5r2t1m3IwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQcnVudGltZS10ZXN0cyBDQTAgFw0yNjEyMDIwMTIyMDNaGA8y
MTI2MTEwODAxMjIwM1owHzEdMBsGA1UEAwwUcnVudGltZS10ZXN0cyBjbGllbnQw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQeG4Q4D/tub0lnUimBNwNqG2Qy2tZ+
YdNKg/2mEKnzpAkLUWU7ZMALUQ9o7qcN9fXkbEsyYibuk5qpdU4cgj7bo2IwYDAT
BgNVHSUEDDAKBggrBgEFBQcDAjAJBgNVHRMEAjAAMB0GA1UdDgQWBBToRq/pGnq3
Mtoe0E9a9wrAHsgxiDAfBgNVHSMEGDAWgBSv/UmM3ToH3dx2zl2Tr9zZ1FDx3zAK
BggqhkjOPQQDAgNIADBFAiB1l4BgkM8wuadfzt1gV3g84aznuwSSoUk8kQYl6PMB
KAIhAM0tA8fxBW+C1Vl3VoWxhBEA+Yf+SaLA2ilovTm30pKI
-----END CERTIFICATE-----
";
const CLIENT_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgExbKGG7PKIqV4IsD
1u23sJ45jG5NtbziD5f3gUGrbZihRANCAAQeG4Q4D/tub0lnUimBNwNqG2Qy2tZ+
YdNKg/2mEKnzpAkLUWU7ZMALUQ9o7qcN9fXkbEsyYibuk5qpdU4cgj7b
-----END PRIVATE KEY-----
";

#[test]
fn a_client_identity_and_root_certificates_are_checked_pems() {
    for (builder, setting) in [
        (
            runtime_client::Client::builder().identity_pem(CLIENT_CERTIFICATE),
            "identity_pem",
        ),
        (
            runtime_client::Client::builder().identity_pem("not\na PEM\n"),
            "identity_pem",
        ),
        (
            runtime_client::Client::builder().add_root_certificate_pem(CLIENT_KEY),
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

/// A server on 127.0.0.1 speaking TLS with [`SERVER_CERTIFICATE`] that accepts only
/// clients presenting a certificate [`CA_CERTIFICATE`] signed, and answers each request on
/// such a connection with a user; its `https://` URL, and the count of requests answered.
async fn mutual_tls_server() -> (String, Arc<AtomicUsize>) {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls::server::WebPkiClientVerifier;
    use tokio_rustls::rustls::{RootCertStore, ServerConfig};

    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(CA_CERTIFICATE.as_bytes()).unwrap())
        .unwrap();
    let verifier = WebPkiClientVerifier::builder(Arc::new(roots))
        .build()
        .unwrap();
    let config = ServerConfig::builder()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(SERVER_CERTIFICATE.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let answered = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&answered);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, count) = (acceptor.clone(), Arc::clone(&count));
            tokio::spawn(async move {
                // A client without a certificate fails here.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut chunk = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&chunk[..n]),
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let body = user_json("u1", "Ann").to_string();
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, answered)
}

#[tokio::test]
async fn a_client_identity_passes_a_server_that_requires_mutual_tls() {
    let (url, answered) = mutual_tls_server().await;
    let builder = || {
        runtime_client::Client::builder()
            .base_url(&url)
            .add_root_certificate_pem(CA_CERTIFICATE)
            .bearer_token("token")
            .retry(RetryPolicy::never())
            .timeout(Duration::from_secs(5))
    };
    let identity = format!("{CLIENT_CERTIFICATE}{CLIENT_KEY}");
    let client = builder().identity_pem(identity).build().unwrap();
    let user = client.users().get_user("u1").send().await.unwrap();
    assert_eq!(user.name.as_deref(), Some("Ann"));
    assert_eq!(answered.load(Ordering::SeqCst), 1);

    // Without the identity the server refuses the handshake: the call fails, unanswered.
    let error = builder()
        .build()
        .unwrap()
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(answered.load(Ordering::SeqCst), 1);
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
