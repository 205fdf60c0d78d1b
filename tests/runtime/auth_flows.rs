//! The OAuth grants against a local login server: the token request's retries and bounds
//! (503, the rate-limit 400, a wrong secret, a login host that never answers, a code
//! exchange retried only when the code cannot have been used), the exact
//! form fields and Basic header of each grant, one refresh under 100 concurrent calls,
//! refresh tokens rotated, the PKCE challenge checked by the server, every waiter getting a
//! failed refresh's error, and secrets absent from every provider's `Debug` output.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use runtime_client::runtime::{
    AuthorizationCode, ClientBuilder, ClientCredentials, PkceVerifier, RefreshToken, RetryPolicy,
    Saml2Bearer, TokenEndpoint, TokenProvider,
};
use runtime_client::{Client, Error};

use crate::server::{decode, Recorded, Reply, Server};
use crate::{fast_retries, user_json};

const CLIENT_ID: &str = "flow-client";
const CLIENT_SECRET: &str = "FLOW-SECRET-5f4dcc3b5a";
/// `Basic base64("flow-client:FLOW-SECRET-5f4dcc3b5a")`.
const BASIC: &str = "Basic Zmxvdy1jbGllbnQ6RkxPVy1TRUNSRVQtNWY0ZGNjM2I1YQ==";
const CODE: &str = "AUTH-CODE-7c4a8d09";
const REDIRECT_URI: &str = "http://localhost:8080/callback";

/// A token request's form, decoded.
fn form(request: &Recorded) -> BTreeMap<String, String> {
    String::from_utf8(request.body.clone())
        .unwrap()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A login server and API: token request n (from 1) answers `access-n` and `refresh-n`,
/// valid for `lifetimes[n - 1]` seconds (the last repeating), after `delay`; the API
/// accepts any bearer token except `access-2` once `revoked` is set.
struct Login {
    server: Server,
    revoked: Arc<AtomicBool>,
}

async fn start_login(lifetimes: &'static [u64], delay: Duration) -> Login {
    let revoked = Arc::new(AtomicBool::new(false));
    let revoked_in_server = Arc::clone(&revoked);
    let issued = AtomicUsize::new(0);
    let server = Server::start(move |_, request| {
        if request.path() == "/oauth/token" {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let lifetime = lifetimes[(n - 1).min(lifetimes.len() - 1)];
            return Reply::json(
                200,
                serde_json::json!({
                    "access_token": format!("access-{n}"),
                    "refresh_token": format!("refresh-{n}"),
                    "token_type": "bearer",
                    "expires_in": lifetime,
                }),
            )
            .delay(delay);
        }
        let token = request.header("authorization").unwrap_or_default();
        if token == "Bearer access-2" && revoked_in_server.load(Ordering::SeqCst) {
            return Reply::json(
                401,
                serde_json::json!({"message": "revoked", "status": 401}),
            );
        }
        Reply::json(200, user_json("u1", "Ann"))
    })
    .await;
    Login { server, revoked }
}

fn builder(server: &Server) -> ClientBuilder {
    Client::builder()
        .base_url(server.url())
        .user_agent("flows-test/1.0")
        .retry(fast_retries())
}

/// 100 concurrent calls, all of which must succeed.
async fn hundred_calls(client: &Client) {
    let calls: Vec<_> = (0..100)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.users().get_user(format!("u{i}")).send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn a_503_then_the_rate_limit_400_then_200_is_one_successful_call() {
    // The token requests come first, so they are requests 0, 1 and 2.
    let server = Server::start(|n, request| {
        if request.path() != "/oauth/token" {
            return Reply::json(200, user_json("u1", "Ann"));
        }
        match n {
            0 => Reply::json(503, serde_json::json!({"error": "unavailable"})),
            1 => Reply::json(
                400,
                serde_json::json!({"error": "invalid_request", "description": "rate limit exceeded"}),
            ),
            _ => Reply::json(200, serde_json::json!({"access_token": "t", "expires_in": 3600})),
        }
    })
    .await;
    let client = builder(&server)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    let started = Instant::now();
    client.users().get_user("u1").send().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests_to("/oauth/token").len(), 3);
    assert_eq!(server.requests_to("/api/").len(), 1);
}

#[tokio::test]
async fn a_wrong_secret_fails_at_once_with_401_and_every_waiter_gets_it() {
    // Slow, so that concurrent calls really wait for the same refresh.
    let server = Server::start(|_, _| {
        Reply::json(
            401,
            serde_json::json!({"error": "invalid_client", "description": "authentication failed"}),
        )
        .delay(Duration::from_millis(200))
    })
    .await;
    let client = builder(&server)
        .client_credentials(CLIENT_ID, "wrong secret")
        .build()
        .unwrap();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    match &error {
        Error::Auth {
            status: Some(401),
            message,
            ..
        } => assert!(
            message.contains("after 1 attempt") && message.contains("invalid_client"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.count(),
        1,
        "a 401 from the token endpoint is not retried"
    );

    // 20 concurrent calls share one failing refresh, and each gets its error.
    let client = builder(&server)
        .client_credentials(CLIENT_ID, "wrong secret")
        .build()
        .unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.users().get_user("u1").send().await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert!(
            matches!(
                error,
                Error::Auth {
                    status: Some(401),
                    ..
                }
            ),
            "{error:?}"
        );
    }
    assert_eq!(server.count(), 2, "the 20 calls shared one token request");
}

/// A listener that accepts connections and never answers (nor closes them).
async fn silent_login_host() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_login_host_that_never_answers_fails_calls_within_the_bound() {
    let api = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let (login_url, accepted) = silent_login_host().await;
    // Two attempts of 300 ms, with a wait of at most 20 ms between them.
    let timeout = Duration::from_millis(300);
    let bound = timeout * 2 + Duration::from_millis(20);
    let margin = Duration::from_millis(700);
    let builder = || {
        Client::builder()
            .base_url(api.url())
            .login_url(login_url.clone())
            .timeout(timeout)
            .retry(fast_retries().max_attempts(2))
    };

    // The token request alone: two attempts, each cut at the timeout, and the cause kept.
    let provider = ClientCredentials::new(
        builder().token_endpoint().unwrap(),
        CLIENT_ID,
        CLIENT_SECRET,
    );
    let started = Instant::now();
    let error = provider.token().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < bound + margin, "{elapsed:?}");
    match &error {
        Error::Auth { message, .. } => {
            assert!(message.contains("timed out after 2 attempts"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_timeout(), "{error:?}");
    let cause = std::error::Error::source(&error).expect("the timeout is the source");
    let cause = cause
        .downcast_ref::<reqwest::Error>()
        .expect("the source is reqwest's error");
    assert!(cause.is_timeout(), "{cause:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 2);

    // Calls wait for their token no longer than their own timeout, however many wait.
    let client = builder()
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.users().get_user("u1").send().await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert!(std::error::Error::source(&error).is_some(), "{error:?}");
    }
    let elapsed = started.elapsed();
    assert!(elapsed < timeout + margin, "20 calls took {elapsed:?}");
    assert_eq!(api.count(), 0);
}

#[tokio::test]
async fn a_caller_giving_up_does_not_strand_the_refresh() {
    let login = start_login(&[3600], Duration::from_millis(300)).await;
    let client = builder(&login.server)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    // The first caller starts the refresh and gives up long before it ends.
    let first = tokio::time::timeout(
        Duration::from_millis(50),
        client.users().get_user("u1").send(),
    )
    .await;
    assert!(first.is_err(), "the first call should have timed out");
    // The refresh goes on; the next caller gets its token without a second request.
    let started = Instant::now();
    client.users().get_user("u2").send().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(login.server.requests_to("/oauth/token").len(), 1);
}

#[tokio::test]
async fn client_credentials_send_the_documented_form_and_the_user_agent() {
    let login = start_login(&[3600], Duration::ZERO).await;
    let client = builder(&login.server)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    let token = &login.server.requests_to("/oauth/token")[0];
    assert_eq!(form(token), fields(&[("grant_type", "client_credentials")]));
    assert_eq!(token.header("authorization"), Some(BASIC));
    assert_eq!(
        token.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let api = &login.server.requests_to("/api/")[0];
    let user_agent = token.header("user-agent").unwrap();
    assert!(
        user_agent.starts_with("flows-test/1.0 runtime-client/"),
        "{user_agent}"
    );
    assert_eq!(Some(user_agent), api.header("user-agent"));
}

#[tokio::test]
async fn the_authorization_code_is_exchanged_then_refreshed_once_and_rotated() {
    // access-1 lives 30 s, inside the 60 s margin: the next calls refresh it.
    let login = start_login(&[30, 3600], Duration::from_millis(100)).await;
    let builder = builder(&login.server);
    let auth = Arc::new(AuthorizationCode::new(
        builder.token_endpoint().unwrap(),
        CLIENT_ID,
        CLIENT_SECRET,
        CODE,
        REDIRECT_URI,
    ));
    let client = builder.token_provider(Arc::clone(&auth)).build().unwrap();
    assert!(auth.refresh_token().is_none());
    client.users().get_user("u0").send().await.unwrap();
    assert_eq!(auth.refresh_token().unwrap().expose(), "refresh-1");

    hundred_calls(&client).await;
    let tokens = login.server.requests_to("/oauth/token");
    assert_eq!(
        tokens.len(),
        2,
        "100 concurrent calls refreshed more than once"
    );
    assert_eq!(
        form(&tokens[0]),
        fields(&[
            ("grant_type", "authorization_code"),
            ("code", CODE),
            ("redirect_uri", REDIRECT_URI),
        ])
    );
    assert_eq!(
        form(&tokens[1]),
        fields(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "refresh-1")
        ])
    );
    assert!(tokens
        .iter()
        .all(|t| t.header("authorization") == Some(BASIC)));
    // The builder's token endpoint sends the client's User-Agent.
    for token in &tokens {
        let user_agent = token.header("user-agent").unwrap_or_default();
        assert!(
            user_agent.starts_with("flows-test/1.0 runtime-client/"),
            "{user_agent}"
        );
    }
    assert_eq!(auth.refresh_token().unwrap().expose(), "refresh-2");

    // A 401 on access-2 refreshes once, with the rotated refresh token, and retries.
    login.revoked.store(true, Ordering::SeqCst);
    client.users().get_user("u1").send().await.unwrap();
    let tokens = login.server.requests_to("/oauth/token");
    assert_eq!(tokens.len(), 3);
    assert_eq!(
        form(&tokens[2]),
        fields(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "refresh-2")
        ])
    );
    assert_eq!(
        login
            .server
            .requests_to("/api/")
            .last()
            .unwrap()
            .header("authorization"),
        Some("Bearer access-3")
    );
    assert_eq!(auth.refresh_token().unwrap().expose(), "refresh-3");
}

#[tokio::test]
async fn a_code_exchange_is_retried_only_when_it_cannot_have_been_used() {
    // A 500 may come after the code was used up: it is not retried.
    let server =
        Server::start(|_, _| Reply::json(500, serde_json::json!({"error": "server_error"}))).await;
    let exchange = |server: &Server| {
        let endpoint =
            TokenEndpoint::new(reqwest::Client::new(), &server.url()).retry(fast_retries());
        AuthorizationCode::new(endpoint, CLIENT_ID, CLIENT_SECRET, CODE, REDIRECT_URI)
    };
    let error = exchange(&server).token().await.unwrap_err();
    assert_eq!(error.status(), Some(500), "{error:?}");
    assert_eq!(server.count(), 1);

    // A 503 (or a 429) means it was not processed: it is.
    let server = Server::start(|n, _| match n {
        0 => Reply::status(503),
        _ => Reply::json(
            200,
            serde_json::json!({"access_token": "t", "expires_in": 3600}),
        ),
    })
    .await;
    exchange(&server).token().await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn pkce_sends_the_verifier_whose_challenge_the_authorize_url_carried() {
    let login = start_login(&[30, 3600], Duration::from_millis(100)).await;
    let builder = builder(&login.server);
    let endpoint = builder.token_endpoint().unwrap();
    let verifier = PkceVerifier::generate().unwrap();
    let authorize = reqwest::Url::parse(
        &verifier
            .authorize_url(&endpoint, CLIENT_ID, REDIRECT_URI, "state-42")
            .unwrap(),
    )
    .unwrap();
    assert_eq!(authorize.path(), "/oauth/authorize");
    let query: BTreeMap<String, String> = authorize.query_pairs().into_owned().collect();
    let challenge = query["code_challenge"].clone();
    assert_eq!(
        query,
        fields(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("state", "state-42"),
        ])
    );

    let auth = Arc::new(AuthorizationCode::pkce(
        endpoint,
        CLIENT_ID,
        verifier,
        CODE,
        REDIRECT_URI,
    ));
    let client = builder.token_provider(Arc::clone(&auth)).build().unwrap();
    client.users().get_user("u0").send().await.unwrap();
    hundred_calls(&client).await;

    let tokens = login.server.requests_to("/oauth/token");
    assert_eq!(
        tokens.len(),
        2,
        "100 concurrent calls refreshed more than once"
    );
    let exchange = form(&tokens[0]);
    let sent = exchange["code_verifier"].clone();
    assert!((43..=128).contains(&sent.len()), "{sent}");
    assert!(sent
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
    // The server's check: base64url(SHA-256(verifier)) is the challenge it was shown.
    let digest = ring::digest::digest(&ring::digest::SHA256, sent.as_bytes());
    assert_eq!(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref()),
        challenge
    );
    assert_eq!(
        exchange,
        fields(&[
            ("grant_type", "authorization_code"),
            ("code", CODE),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", CLIENT_ID),
            ("code_verifier", &sent),
        ])
    );
    assert_eq!(
        form(&tokens[1]),
        fields(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "refresh-1"),
            ("client_id", CLIENT_ID),
        ])
    );
    // A public client has no secret to send.
    assert!(tokens.iter().all(|t| t.header("authorization").is_none()));
    assert_eq!(auth.refresh_token().unwrap().expose(), "refresh-2");
}

#[tokio::test]
async fn a_stored_refresh_token_is_used_once_under_load_and_rotated() {
    let login = start_login(&[3600], Duration::from_millis(100)).await;
    let builder = builder(&login.server);
    let auth = Arc::new(RefreshToken::new(
        builder.token_endpoint().unwrap(),
        CLIENT_ID,
        CLIENT_SECRET,
        "STORED-REFRESH-e10adc39",
    ));
    let client = builder.token_provider(Arc::clone(&auth)).build().unwrap();
    hundred_calls(&client).await;
    let tokens = login.server.requests_to("/oauth/token");
    assert_eq!(
        tokens.len(),
        1,
        "100 concurrent calls refreshed more than once"
    );
    assert_eq!(
        form(&tokens[0]),
        fields(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "STORED-REFRESH-e10adc39"),
        ])
    );
    assert_eq!(tokens[0].header("authorization"), Some(BASIC));
    assert_eq!(auth.refresh_token().unwrap().expose(), "refresh-1");

    // A public client's refresh token goes with its client id and no secret.
    let login = start_login(&[3600], Duration::ZERO).await;
    let auth = RefreshToken::public(
        TokenEndpoint::new(reqwest::Client::new(), &login.server.url()).retry(fast_retries()),
        CLIENT_ID,
        "STORED-REFRESH-e10adc39",
    );
    auth.token().await.unwrap();
    let token = &login.server.requests_to("/oauth/token")[0];
    assert_eq!(
        form(token),
        fields(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "STORED-REFRESH-e10adc39"),
            ("client_id", CLIENT_ID),
        ])
    );
    assert_eq!(token.header("authorization"), None);
}

#[tokio::test]
async fn saml2_bearer_sends_the_org_name_and_the_assertion() {
    let login = start_login(&[3600], Duration::from_millis(100)).await;
    let builder = builder(&login.server);
    let assertion = base64::engine::general_purpose::STANDARD.encode("<saml:Assertion/>");
    let auth = Saml2Bearer::new(
        builder.token_endpoint().unwrap(),
        CLIENT_ID,
        CLIENT_SECRET,
        "my-org",
        assertion.clone(),
    );
    let client = builder.token_provider(auth).build().unwrap();
    hundred_calls(&client).await;
    let tokens = login.server.requests_to("/oauth/token");
    assert_eq!(tokens.len(), 1, "100 concurrent calls asked more than once");
    assert_eq!(
        form(&tokens[0]),
        fields(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:saml2-bearer"
            ),
            ("orgName", "my-org"),
            ("assertion", &assertion),
        ])
    );
    assert_eq!(tokens[0].header("authorization"), Some(BASIC));
}

#[tokio::test]
async fn secrets_are_absent_from_every_providers_debug_output() {
    let login = start_login(&[3600], Duration::ZERO).await;
    let endpoint =
        TokenEndpoint::new(reqwest::Client::new(), &login.server.url()).retry(RetryPolicy::never());
    let verifier = PkceVerifier::generate().unwrap();
    let verifier_text = verifier.secret().expose().to_owned();
    let assertion = "SAML-ASSERTION-8f14e45f";
    let stored = "STORED-REFRESH-c9f0f895";
    let credentials = ClientCredentials::new(endpoint.clone(), CLIENT_ID, CLIENT_SECRET);
    let code = AuthorizationCode::new(
        endpoint.clone(),
        CLIENT_ID,
        CLIENT_SECRET,
        CODE,
        REDIRECT_URI,
    );
    let pkce = AuthorizationCode::pkce(
        endpoint.clone(),
        CLIENT_ID,
        verifier.clone(),
        CODE,
        REDIRECT_URI,
    );
    let refresh = RefreshToken::new(endpoint.clone(), CLIENT_ID, CLIENT_SECRET, stored);
    let saml = Saml2Bearer::new(
        endpoint.clone(),
        CLIENT_ID,
        CLIENT_SECRET,
        "my-org",
        assertion,
    );
    let mut texts = vec![format!("{verifier:?}"), format!("{endpoint:?}")];
    // Before and after a token is fetched (and a refresh token rotated in).
    for fetched in [false, true] {
        let providers: [(&dyn TokenProvider, String); 5] = [
            (&credentials, format!("{credentials:?}")),
            (&code, format!("{code:?}")),
            (&pkce, format!("{pkce:?}")),
            (&refresh, format!("{refresh:?}")),
            (&saml, format!("{saml:?}")),
        ];
        for (provider, debug) in providers {
            if fetched {
                provider.token().await.unwrap();
            }
            texts.push(debug);
            texts.push(provider.describe());
        }
    }
    texts.extend([
        format!("{credentials:?}"),
        format!("{code:?}"),
        format!("{pkce:?}"),
        format!("{refresh:?}"),
        format!("{saml:?}"),
    ]);
    assert_eq!(login.server.requests_to("/oauth/token").len(), 5);
    for secret in [
        CLIENT_SECRET,
        CODE,
        verifier_text.as_str(),
        assertion,
        stored,
        "access-",
        "refresh-",
    ] {
        for text in &texts {
            assert!(!text.contains(secret), "{secret:?} in {text}");
        }
    }
    assert!(texts[2].contains(CLIENT_ID), "{}", texts[2]);
}
