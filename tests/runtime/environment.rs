//! `ClientBuilder::from_env`: each `GENESYSCLOUD_*` variable (and the `GENESYS_REGION`
//! fallback) against a local server, and a bad value of each as a one-line
//! `Error::Config` naming the variable. The variables are given through
//! `from_env_with`, so no test changes this process's environment; one test runs this
//! binary again as a child process with the variables set, for `from_env` itself.

use runtime_client::runtime::{ClientBuilder, Region};
use runtime_client::Error;

use crate::config::{login_and_api, targets};
use crate::server::{Reply, Server};

/// A lookup of exactly these variables.
fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.clone())
    }
}

/// The server's port.
fn port(server: &Server) -> String {
    server.url().rsplit(':').next().unwrap().to_owned()
}

/// The `GENESYSCLOUD_GATEWAY_*` variables pointing at `server` over plain http.
fn gateway_at(server: &Server) -> Vec<(&'static str, String)> {
    vec![
        ("GENESYSCLOUD_GATEWAY_HOST", "127.0.0.1".to_owned()),
        ("GENESYSCLOUD_GATEWAY_PORT", port(server)),
        ("GENESYSCLOUD_GATEWAY_PROTOCOL", "http".to_owned()),
    ]
}

/// A client from these variables, built.
fn client_from(pairs: &[(&str, &str)]) -> runtime_client::Client {
    ClientBuilder::from_env_with(vars(pairs))
        .expect("variables are valid")
        .build()
        .expect("client builds")
}

/// `pairs` as the `&str` pairs `vars` takes.
fn borrowed<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    pairs.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

#[test]
fn the_region_comes_from_genesyscloud_region_else_genesys_region() {
    let base_url = |pairs: &[(&str, &str)]| client_from(pairs).base_url().to_owned();
    assert_eq!(
        base_url(&[("GENESYSCLOUD_REGION", "eusc-de-east-1")]),
        "https://api.edee1.eusc-pure.cloud"
    );
    // Whatever `Region` parses: a domain, a host, any case, spaces around.
    assert_eq!(
        base_url(&[("GENESYSCLOUD_REGION", " MyPureCloud.de ")]),
        Region::EuCentral1.api_base_url()
    );
    assert_eq!(
        base_url(&[("GENESYS_REGION", "ap-northeast-1")]),
        "https://api.mypurecloud.jp"
    );
    assert_eq!(
        base_url(&[
            ("GENESYSCLOUD_REGION", "eu-west-2"),
            ("GENESYS_REGION", "ap-northeast-1")
        ]),
        "https://api.euw2.pure.cloud",
        "the GENESYSCLOUD_ name wins"
    );
    // Unset or blank: the definition's base URL.
    assert_eq!(base_url(&[]), "https://api.mypurecloud.com");
    assert_eq!(
        base_url(&[("GENESYSCLOUD_REGION", "  ")]),
        "https://api.mypurecloud.com"
    );
}

#[tokio::test]
async fn client_credentials_and_a_gateway_without_paths_reach_one_local_origin() {
    let server = Server::start(login_and_api).await;
    let mut pairs = gateway_at(&server);
    pairs.push(("GENESYSCLOUD_REGION", "eu-west-1".to_owned()));
    pairs.push(("GENESYSCLOUD_OAUTHCLIENT_ID", "env-id".to_owned()));
    pairs.push(("GENESYSCLOUD_OAUTHCLIENT_SECRET", "env-secret".to_owned()));
    let client = client_from(&borrowed(&pairs));
    assert_eq!(client.base_url(), server.url(), "the gateway wins");
    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        targets(&server),
        ["POST /oauth/token", "GET /api/v2/users/u1"]
    );
    let requests = server.requests();
    // base64("env-id:env-secret")
    assert_eq!(
        requests[0].header("authorization"),
        Some("Basic ZW52LWlkOmVudi1zZWNyZXQ=")
    );
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        "grant_type=client_credentials"
    );
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer token-from-login")
    );
}

#[tokio::test]
async fn the_gateway_path_variables_prefix_the_api_or_the_login() {
    for (name, value, expected) in [
        (
            "api",
            "/gw/api",
            ["POST /oauth/token", "GET /gw/api/api/v2/users/u1"],
        ),
        (
            "LOGIN",
            "gw-login/",
            ["POST /gw-login/oauth/token", "GET /api/v2/users/u1"],
        ),
    ] {
        let server = Server::start(login_and_api).await;
        let mut pairs = gateway_at(&server);
        pairs.push(("GENESYSCLOUD_GATEWAY_PATH_NAME", name.to_owned()));
        pairs.push(("GENESYSCLOUD_GATEWAY_PATH_VALUE", value.to_owned()));
        pairs.push(("GENESYSCLOUD_OAUTHCLIENT_ID", "id".to_owned()));
        pairs.push(("GENESYSCLOUD_OAUTHCLIENT_SECRET", "secret".to_owned()));
        let client = client_from(&borrowed(&pairs));
        client.users().get_user("u1").send().await.unwrap();
        assert_eq!(targets(&server), expected, "{name}={value}");
    }
}

#[tokio::test]
async fn an_access_token_is_the_bearer_and_wins_over_client_credentials() {
    let server = Server::start(login_and_api).await;
    let mut pairs = gateway_at(&server);
    pairs.push(("GENESYSCLOUD_ACCESS_TOKEN", "env-access-token".to_owned()));
    pairs.push(("GENESYSCLOUD_OAUTHCLIENT_ID", "id".to_owned()));
    pairs.push(("GENESYSCLOUD_OAUTHCLIENT_SECRET", "secret".to_owned()));
    let client = client_from(&borrowed(&pairs));
    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        targets(&server),
        ["GET /api/v2/users/u1"],
        "no token request"
    );
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer env-access-token")
    );
}

#[tokio::test]
async fn the_proxy_variables_send_every_request_through_the_proxy() {
    let proxy = Server::start(login_and_api).await;
    let proxy_port = port(&proxy);
    let client = ClientBuilder::from_env_with(vars(&[
        ("GENESYSCLOUD_PROXY_HOST", "127.0.0.1"),
        ("GENESYSCLOUD_PROXY_PORT", &proxy_port),
        ("GENESYSCLOUD_PROXY_PROTOCOL", "HTTP"),
        ("GENESYSCLOUD_PROXY_AUTH_USERNAME", "proxy-user"),
        ("GENESYSCLOUD_PROXY_AUTH_PASSWORD", "proxy-password"),
        ("GENESYSCLOUD_OAUTHCLIENT_ID", "id"),
        ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "secret"),
    ]))
    .unwrap()
    // Setters win over the environment; this host does not resolve, only the proxy is
    // connected to.
    .base_url("http://api.example.test")
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
        assert_eq!(
            request.header("proxy-authorization"),
            Some("Basic cHJveHktdXNlcjpwcm94eS1wYXNzd29yZA==")
        );
    }

    // The protocol defaults to http, and a user without a password sends an empty one.
    let proxy = Server::start(|_, _| Reply::json(200, crate::user_json("u1", "Ann"))).await;
    let proxy_port = port(&proxy);
    ClientBuilder::from_env_with(vars(&[
        ("GENESYSCLOUD_PROXY_HOST", "127.0.0.1"),
        ("GENESYSCLOUD_PROXY_PORT", &proxy_port),
        ("GENESYSCLOUD_PROXY_AUTH_USERNAME", "u"),
    ]))
    .unwrap()
    .base_url("http://api.example.test")
    .build()
    .unwrap()
    .users()
    .get_user("u1")
    .send()
    .await
    .unwrap();
    let request = &proxy.requests()[0];
    assert_eq!(request.target, "http://api.example.test/api/v2/users/u1");
    assert_eq!(request.header("proxy-authorization"), Some("Basic dTo="));
    assert_eq!(request.header("authorization"), None, "no auth variables");
}

/// The message of the `Error::Config` these variables give, checked to be one line.
fn config_error(pairs: &[(&str, &str)]) -> String {
    match ClientBuilder::from_env_with(vars(pairs)) {
        Err(Error::Config { message }) => {
            assert!(!message.contains('\n'), "{message}");
            message
        }
        other => panic!("{pairs:?}: {other:?}"),
    }
}

#[test]
fn a_bad_value_of_each_variable_is_a_one_line_error_naming_it() {
    let host = ("GENESYSCLOUD_PROXY_HOST", "proxy.example.com");
    let gateway = ("GENESYSCLOUD_GATEWAY_HOST", "gateway.example.com");
    let path_name = ("GENESYSCLOUD_GATEWAY_PATH_NAME", "api");
    // The variables, and the start of the message: the variable and its value.
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("GENESYSCLOUD_REGION", "mars-north-1")],
            "GENESYSCLOUD_REGION \"mars-north-1\" is not a Genesys Cloud region",
        ),
        (
            &[("GENESYS_REGION", "pure.cloud")],
            "GENESYS_REGION \"pure.cloud\" is not a Genesys Cloud region",
        ),
        (
            &[("GENESYSCLOUD_OAUTHCLIENT_ID", "id")],
            "GENESYSCLOUD_OAUTHCLIENT_ID is set but GENESYSCLOUD_OAUTHCLIENT_SECRET is not",
        ),
        (
            &[("GENESYSCLOUD_OAUTHCLIENT_SECRET", "TOP-SECRET")],
            "GENESYSCLOUD_OAUTHCLIENT_SECRET is set but GENESYSCLOUD_OAUTHCLIENT_ID is not",
        ),
        (
            &[("GENESYSCLOUD_ACCESS_TOKEN", "TOP-SECRET\u{1}")],
            "GENESYSCLOUD_ACCESS_TOKEN must be an OAuth access token",
        ),
        (
            &[("GENESYSCLOUD_PROXY_HOST", "http://proxy:3128")],
            "GENESYSCLOUD_PROXY_HOST \"http://proxy:3128\" must be a host name or IP address",
        ),
        (
            &[host, ("GENESYSCLOUD_PROXY_PORT", "31 28")],
            "GENESYSCLOUD_PROXY_PORT \"31 28\" must be a port number (1-65535)",
        ),
        (
            &[host, ("GENESYSCLOUD_PROXY_PORT", "0")],
            "GENESYSCLOUD_PROXY_PORT \"0\" must be a port number (1-65535)",
        ),
        (
            &[host, ("GENESYSCLOUD_PROXY_PORT", "65536")],
            "GENESYSCLOUD_PROXY_PORT \"65536\" must be a port number (1-65535)",
        ),
        (
            &[host, ("GENESYSCLOUD_PROXY_PROTOCOL", "socks5")],
            "GENESYSCLOUD_PROXY_PROTOCOL \"socks5\" must be http or https",
        ),
        (
            &[("GENESYSCLOUD_PROXY_PORT", "3128")],
            "GENESYSCLOUD_PROXY_PORT is set but GENESYSCLOUD_PROXY_HOST is not",
        ),
        (
            &[("GENESYSCLOUD_PROXY_AUTH_USERNAME", "user")],
            "GENESYSCLOUD_PROXY_AUTH_USERNAME is set but GENESYSCLOUD_PROXY_HOST is not",
        ),
        (
            &[host, ("GENESYSCLOUD_PROXY_AUTH_PASSWORD", "TOP-SECRET")],
            "GENESYSCLOUD_PROXY_AUTH_PASSWORD is set but GENESYSCLOUD_PROXY_AUTH_USERNAME is not",
        ),
        (
            &[("GENESYSCLOUD_GATEWAY_HOST", "gw/x")],
            "GENESYSCLOUD_GATEWAY_HOST \"gw/x\" must be a host name or IP address",
        ),
        (
            &[gateway, ("GENESYSCLOUD_GATEWAY_PORT", "https")],
            "GENESYSCLOUD_GATEWAY_PORT \"https\" must be a port number (1-65535)",
        ),
        (
            &[gateway, ("GENESYSCLOUD_GATEWAY_PROTOCOL", "ftp")],
            "GENESYSCLOUD_GATEWAY_PROTOCOL \"ftp\" must be http or https",
        ),
        (
            &[("GENESYSCLOUD_GATEWAY_PROTOCOL", "https")],
            "GENESYSCLOUD_GATEWAY_PROTOCOL is set but GENESYSCLOUD_GATEWAY_HOST is not",
        ),
        (
            &[gateway, ("GENESYSCLOUD_GATEWAY_PATH_NAME", "auth")],
            "GENESYSCLOUD_GATEWAY_PATH_NAME is set but GENESYSCLOUD_GATEWAY_PATH_VALUE is not",
        ),
        (
            &[
                gateway,
                ("GENESYSCLOUD_GATEWAY_PATH_NAME", "auth"),
                ("GENESYSCLOUD_GATEWAY_PATH_VALUE", "/x"),
            ],
            "GENESYSCLOUD_GATEWAY_PATH_NAME \"auth\" must be api or login",
        ),
        (
            &[gateway, ("GENESYSCLOUD_GATEWAY_PATH_VALUE", "/x")],
            "GENESYSCLOUD_GATEWAY_PATH_VALUE is set but GENESYSCLOUD_GATEWAY_PATH_NAME is not",
        ),
        (
            &[
                gateway,
                path_name,
                ("GENESYSCLOUD_GATEWAY_PATH_VALUE", "/x?y"),
            ],
            "GENESYSCLOUD_GATEWAY_PATH_VALUE \"/x?y\" must be a URL path",
        ),
        (
            &[("GENESYSCLOUD_GATEWAY_PATH_VALUE", "/x")],
            "GENESYSCLOUD_GATEWAY_PATH_VALUE is set but GENESYSCLOUD_GATEWAY_HOST is not",
        ),
    ];
    for (pairs, expected) in cases {
        let message = config_error(pairs);
        assert!(message.starts_with(expected), "{pairs:?}: {message}");
        assert!(!message.contains("TOP-SECRET"), "a secret shows: {message}");
    }
}

/// Set in the child process that `from_env_reads_the_process_environment` starts.
const CHILD: &str = "RUNTIME_TESTS_FROM_ENV_CHILD";

#[test]
fn from_env_reads_the_process_environment() {
    if std::env::var_os(CHILD).is_some() {
        // In the child: the variables below are this process's environment.
        let client = ClientBuilder::from_env().unwrap().build().unwrap();
        assert_eq!(client.base_url(), "https://api.edee1.eusc-pure.cloud");
        assert_eq!(Region::from_env().unwrap(), Some(Region::EuscDeEast1));
        runtime_client::Client::from_env().unwrap();
        return;
    }
    // Run only this test again, in a process of its own, so that this one's environment
    // (shared by every test thread) never changes.
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "environment::from_env_reads_the_process_environment",
            "--exact",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("GENESYSCLOUD_REGION", "eusc-de-east-1")
        .env("GENESYS_REGION", "us-east-1")
        .env("GENESYSCLOUD_OAUTHCLIENT_ID", "id")
        .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", "secret")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
