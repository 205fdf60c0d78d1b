//! Every program, configured wrongly: no credentials, or an unknown region. Each prints
//! one line and exits with 2, before any request.

mod common;

use common::{Program, Reply, Server};

fn without(env: Vec<(String, String)>, prefix: &str) -> Vec<(String, String)> {
    env.into_iter()
        .filter(|(name, _)| !name.starts_with(prefix))
        .collect()
}

#[tokio::test]
async fn missing_credentials_are_one_line_and_exit_code_2() {
    let server = Server::start(|_| Reply::json(500, serde_json::json!({}))).await;
    let env = without(server.env(), "GENESYSCLOUD_OAUTHCLIENT_");
    for program in Program::ALL {
        let outcome = common::run(program, program.valid_args(), &env).await;
        assert_eq!(outcome.code, 2, "{program:?}: {}", outcome.stderr);
        assert_eq!(outcome.stdout, "", "{program:?}");
        assert_eq!(
            outcome.stderr,
            format!(
                "{}: no credentials: set GENESYSCLOUD_OAUTHCLIENT_ID and \
                 GENESYSCLOUD_OAUTHCLIENT_SECRET (client credentials), \
                 or GENESYSCLOUD_ACCESS_TOKEN\n",
                program.name()
            )
        );
    }
    // A client id without its secret is named too.
    let mut env = without(server.env(), "GENESYSCLOUD_OAUTHCLIENT_SECRET");
    env.push((
        "GENESYSCLOUD_OAUTHCLIENT_SECRET".to_owned(),
        "  ".to_owned(),
    ));
    let outcome = common::run(Program::BillingExport, &["--org", "org-a"], &env).await;
    assert_eq!(outcome.code, 2);
    assert_eq!(
        outcome.stderr,
        "billing_export: invalid client configuration: \
         GENESYSCLOUD_OAUTHCLIENT_ID is set but GENESYSCLOUD_OAUTHCLIENT_SECRET is not\n"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_unknown_region_is_one_line_and_exit_code_2() {
    let server = Server::start(|_| Reply::json(500, serde_json::json!({}))).await;
    let mut env = without(server.env(), "GENESYSCLOUD_GATEWAY_");
    env.push(("GENESYSCLOUD_REGION".to_owned(), "mars-north-1".to_owned()));
    for program in Program::ALL {
        let outcome = common::run(program, program.valid_args(), &env).await;
        assert_eq!(outcome.code, 2, "{program:?}: {}", outcome.stderr);
        assert_eq!(outcome.stdout, "", "{program:?}");
        let prefix = format!(
            "{}: invalid client configuration: GENESYSCLOUD_REGION \"mars-north-1\"",
            program.name()
        );
        assert!(
            outcome.stderr.starts_with(&prefix),
            "{program:?}: {}",
            outcome.stderr
        );
        assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn every_program_has_help() {
    for program in Program::ALL {
        let outcome = common::run(program, &["--help"], &[]).await;
        assert_eq!(outcome.code, 0, "{program:?}");
        assert!(
            outcome.stdout.starts_with("Usage: ") || outcome.stdout.contains("\nUsage: "),
            "{program:?}: {}",
            outcome.stdout
        );
        assert!(
            outcome.stdout.contains("GENESYSCLOUD_"),
            "{program:?}: {}",
            outcome.stdout
        );
    }
}
