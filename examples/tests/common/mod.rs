//! What the end-to-end tests share: a small HTTP/1.1 server on 127.0.0.1 that answers
//! with the test's routes and records every request, the environment that points a
//! program's client at it (the `GENESYSCLOUD_GATEWAY_*` variables, client credentials),
//! and running a program with a time bound.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The target as sent: path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The first value of a query parameter (percent-decoding `%3A` and friends).
    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then(|| decode(value))
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// An answer: a status and a JSON body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            body: body.to_string(),
        }
    }
}

type Routes = dyn Fn(&Request) -> Reply + Send + Sync;

/// The server; it stops with the test's runtime.
pub struct Server {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

/// The token endpoint's answer to a client-credentials request.
pub fn token() -> Reply {
    Reply::json(
        200,
        serde_json::json!({"access_token": "test-token", "token_type": "bearer", "expires_in": 86400}),
    )
}

impl Server {
    /// Serves `POST /oauth/token` (client credentials) and whatever `routes` answers for
    /// the API; each connection serves one request (`Connection: close`).
    pub async fn start(routes: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_with_token(token(), routes).await
    }

    /// As [`start`](Self::start), answering token requests with `token`.
    pub async fn start_with_token(
        token: Reply,
        routes: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let routes: Arc<Routes> = Arc::new(routes);
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (routes, recorded) = (Arc::clone(&routes), Arc::clone(&recorded));
                let token = token.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, token, routes, recorded).await;
                });
            }
        });
        Server { port, requests }
    }

    /// Every request so far, the token requests included, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The API requests (not the token requests).
    pub fn api_requests(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.path() != "/oauth/token")
            .collect()
    }

    /// The environment of a program talking to this server through the gateway
    /// variables, with client credentials.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("GENESYSCLOUD_GATEWAY_HOST", "127.0.0.1".to_owned()),
            ("GENESYSCLOUD_GATEWAY_PORT", self.port.to_string()),
            ("GENESYSCLOUD_GATEWAY_PROTOCOL", "http".to_owned()),
            ("GENESYSCLOUD_OAUTHCLIENT_ID", "test-client".to_owned()),
            ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "test-secret".to_owned()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
    }
}

async fn serve(
    mut stream: TcpStream,
    token: Reply,
    routes: Arc<Routes>,
    recorded: Arc<Mutex<Vec<Request>>>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let request = Request {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    recorded.lock().unwrap().push(request.clone());
    let reply = if request.method == "POST" && request.path() == "/oauth/token" {
        token
    } else {
        routes(&request)
    };
    let answer = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{}",
        reply.status,
        reply.body.len(),
        reply.body
    );
    stream.write_all(answer.as_bytes()).await?;
    stream.shutdown().await
}

/// What a program did: its exit code and what it wrote.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    BillingExport,
    BillableUsage,
    ApiUsage,
    Users,
    PresenceWatch,
}

impl Program {
    pub const ALL: [Program; 5] = [
        Program::BillingExport,
        Program::BillableUsage,
        Program::ApiUsage,
        Program::Users,
        Program::PresenceWatch,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Program::BillingExport => "billing_export",
            Program::BillableUsage => "billable_usage",
            Program::ApiUsage => "api_usage",
            Program::Users => "users",
            Program::PresenceWatch => "presence_watch",
        }
    }

    /// Arguments that make a valid call.
    pub fn valid_args(self) -> &'static [&'static str] {
        match self {
            Program::BillingExport => &["--org", "org-a"],
            Program::BillableUsage => &["--start", "2026-11-01", "--end", "2026-12-01"],
            Program::ApiUsage => &["--interval", "2026-11-01T00:00:00Z/2026-12-01T00:00:00Z"],
            Program::Users => &[],
            Program::PresenceWatch => &["--user", "user-a", "--duration", "1"],
        }
    }
}

/// Runs `program` with `args` (after its name) and `env` as its whole environment, failing
/// the test if it takes more than 30 s.
pub async fn run(program: Program, args: &[&str], env: &[(String, String)]) -> Outcome {
    let lookup = |name: &str| {
        env.iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.clone())
    };
    let lookup: &dyn Fn(&str) -> Option<String> = &lookup;
    let argv: Vec<String> = std::iter::once(program.name())
        .chain(args.iter().copied())
        .map(str::to_owned)
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let running = async {
        match program {
            Program::BillingExport => {
                examples::billing_export::run(argv, lookup, &mut out, &mut err).await
            }
            Program::BillableUsage => {
                examples::billable_usage::run(argv, lookup, &mut out, &mut err).await
            }
            Program::ApiUsage => examples::api_usage::run(argv, lookup, &mut out, &mut err).await,
            Program::Users => examples::users::run(argv, lookup, &mut out, &mut err).await,
            Program::PresenceWatch => {
                examples::presence_watch::run(argv, lookup, &mut out, &mut err).await
            }
        }
    };
    let code = tokio::time::timeout(Duration::from_secs(30), running)
        .await
        .expect("the program finishes within 30 s");
    Outcome {
        code,
        stdout: String::from_utf8(out).unwrap(),
        stderr: String::from_utf8(err).unwrap(),
    }
}
