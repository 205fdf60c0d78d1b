//! `cargo xtask update-spec` straight from Genesys, and the exit codes of `diff` and
//! `update-spec`, through the binary: a local HTTP server on 127.0.0.1 stands in for a
//! region's `/api/v2/docs/swagger` and `/api/v2/docs/swaggerpreview` (reached with the
//! hidden `--api-base`), on a scratch spec directory imported from `data/v1.json`, and
//! the client is generated into a scratch directory. Every wait is bounded.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// How long one xtask run or the server may take before the test fails.
const BOUND: Duration = Duration::from_secs(120);

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Runs the xtask binary, killed (and the test failed) after [`BOUND`].
fn xtask(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes in threads so a large report cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("xtask {args:?} took over {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh scratch directory under the target directory's tmp.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("update-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A local stand-in for a region's API host: serves `routes` (path -> status line and body),
/// 404 for anything else, and records each request line, until dropped or [`BOUND`].
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(routes: &[(&str, &str, Vec<u8>)]) -> Server {
        let routes: BTreeMap<String, (String, Vec<u8>)> = routes
            .iter()
            .map(|(path, status, body)| (path.to_string(), (status.to_string(), body.clone())))
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, done) = (Arc::clone(&requests), Arc::clone(&stop));
        std::thread::spawn(move || {
            let start = Instant::now();
            while !done.load(Ordering::Relaxed) && start.elapsed() < BOUND {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(line) = answer(stream, &routes) {
                            log.lock().unwrap().push(line);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Server {
            base,
            requests,
            stop,
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one request (its head, bounded in time) and answers it; returns its request line.
fn answer(mut stream: TcpStream, routes: &BTreeMap<String, (String, Vec<u8>)>) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = text(&head).lines().next().unwrap_or_default().to_owned();
    let path = line.split(' ').nth(1).unwrap_or_default();
    let (status, body) = routes
        .get(path)
        .cloned()
        .unwrap_or_else(|| ("404 Not Found".into(), b"{}".to_vec()));
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let _ = stream.write_all(&response);
    let _ = stream.flush();
    Some(line)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under a directory, with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), read(&path));
            }
        }
    }
    out
}

/// A scratch project: `spec/` imported from `data/v1.json` (every tag) with a VERSION and a
/// changelog, and a client directory holding one file.
struct Project {
    root: PathBuf,
}

impl Project {
    fn new(name: &str) -> Project {
        let root = scratch(name);
        let spec = root.join("spec");
        xtask::import::import_spec(&data("v1.json"), None, &["all".to_owned()], &spec).unwrap();
        std::fs::write(spec.join("VERSION"), "0.1.0\n").unwrap();
        std::fs::write(
            spec.join("CHANGELOG.md"),
            "# Changelog\n\n## 0.1.0 (2025-07-28)\n\nThe first client.\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("client")).unwrap();
        std::fs::write(root.join("client/README.md"), "the previous client\n").unwrap();
        Project { root }
    }

    fn spec(&self) -> PathBuf {
        self.root.join("spec")
    }

    fn client(&self) -> PathBuf {
        self.root.join("client")
    }

    fn state(&self) -> (BTreeMap<PathBuf, Vec<u8>>, BTreeMap<PathBuf, Vec<u8>>) {
        (snapshot(&self.spec()), snapshot(&self.client()))
    }

    /// `update-spec` against `base` with `extra` options, into this project.
    fn update(&self, base: &str, extra: &[&str]) -> Output {
        let (spec, client) = (self.spec(), self.client());
        let mut args = vec![
            "update-spec",
            "--api-base",
            base,
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            client.to_str().unwrap(),
            "--name",
            "update-client",
        ];
        args.extend_from_slice(extra);
        xtask(&args)
    }
}

/// The UTC days the run may have happened on (it may cross midnight).
fn days_around(run: impl FnOnce() -> Output) -> (Output, [String; 2]) {
    let before = xtask::update::utc_date(SystemTime::now());
    let out = run();
    let after = xtask::update::utc_date(SystemTime::now());
    (out, [before, after])
}

/// The files of a generated crate whose text contains `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .filter(|(_, bytes)| text(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect()
}

/// The doc comment lines right above `fn {name}(` in `code`.
fn doc_above(code: &str, name: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(&format!("fn {name}(")))
        .unwrap_or_else(|| panic!("no fn {name}"));
    let mut doc: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| {
            let l = l.trim_start();
            l.starts_with("///") || l.starts_with("#[")
        })
        .copied()
        .collect();
    doc.reverse();
    doc.join("\n")
}

#[test]
fn update_spec_downloads_merges_the_preview_and_marks_its_operations() {
    let project = Project::new("preview");
    let server = Server::start(&[
        ("/api/v2/docs/swagger", "200 OK", read(&data("v2.json"))),
        (
            "/api/v2/docs/swaggerpreview",
            "200 OK",
            read(&data("preview.json")),
        ),
    ]);
    let (out, days) =
        days_around(|| project.update(&server.base, &["--preview", "--fail-on", "any"]));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // --fail-on any: the report is not empty, so 1, with the update applied.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        server.requests(),
        [
            "GET /api/v2/docs/swagger HTTP/1.1",
            "GET /api/v2/docs/swaggerpreview HTTP/1.1"
        ]
    );
    let url = format!("{}/api/v2/docs/swagger", server.base);
    let preview_url = format!("{}/api/v2/docs/swaggerpreview", server.base);
    let source = format!("{url} + preview");

    // stdout is the changelog entry alone: headed by version, date and source, additions
    // only (the public operation and model, the preview's two operations and model).
    let heading = stdout.lines().next().unwrap_or_default().to_owned();
    assert!(
        days.iter()
            .any(|day| heading == format!("## 0.1.1 ({day}, {source})")),
        "{heading}"
    );
    assert!(stdout.contains("**Semver: minor**"), "{stdout}");
    for new in [
        "`get_thing_parts()`",
        "`delete_thing()`",
        "`get_gadgets()`",
        "`Part`",
        "`Gadget`",
    ] {
        assert!(stdout.contains(new), "{new} is not reported: {stdout}");
    }
    assert!(!stdout.contains("getThingsPreview"), "{stdout}");
    assert!(
        stderr.contains("merged 2 preview operations and 1 definitions")
            && stderr.contains("kept the public definition of 1")
            && stderr.contains("Thing"),
        "{stderr}"
    );

    // VERSION, CHANGELOG.md (the old entry kept), SOURCE.
    let spec = project.spec();
    assert_eq!(text(&read(&spec.join("VERSION"))), "0.1.1\n");
    let changelog = text(&read(&spec.join("CHANGELOG.md")));
    assert!(
        changelog.starts_with(&format!("# Changelog\n\n{}\n", stdout.trim_end()))
            && changelog.ends_with("## 0.1.0 (2025-07-28)\n\nThe first client.\n"),
        "{changelog}"
    );
    let note = text(&read(&spec.join("SOURCE")));
    let field = |name: &str| xtask::import::source_field(&note, name).map(str::to_owned);
    assert_eq!(field("url"), Some(url.clone()), "{note}");
    assert_eq!(field("preview-url"), Some(preview_url), "{note}");
    assert!(
        field("preview-sha256").is_some_and(|s| s.len() == 64),
        "{note}"
    );
    assert!(
        days.iter().any(|d| field("date").as_ref() == Some(d)),
        "{note}"
    );
    assert_eq!(field("file").as_deref(), Some("swagger"), "{note}");
    assert_eq!(field("tags").as_deref(), Some("all"), "{note}");

    // The imported definition: preview operations marked, the public ones not, the
    // public Thing kept.
    let public: serde_json::Value =
        serde_json::from_slice(&read(&spec.join("public.json"))).unwrap();
    let paths = &public["paths"];
    assert_eq!(paths["/api/v2/gadgets"]["get"]["x-genesys-preview"], true);
    assert_eq!(
        paths["/api/v2/things/{thingId}"]["delete"]["x-genesys-preview"],
        true
    );
    assert!(paths["/api/v2/things"]["get"]
        .get("x-genesys-preview")
        .is_none());
    assert_eq!(paths["/api/v2/things"]["get"]["operationId"], "getThings");
    assert!(public["definitions"]["Thing"]["properties"]
        .get("gadget")
        .is_none());

    // The client: generated into --out, its preview operations' docs say so, the others'
    // do not.
    let client = project.client();
    let cargo = text(&read(&client.join("Cargo.toml")));
    assert!(
        cargo.contains("version = \"0.1.1\"") && cargo.contains("update-client"),
        "{cargo}"
    );
    let files = files_containing(&client, "fn get_gadgets(");
    assert!(!files.is_empty(), "no get_gadgets in the client");
    let mut marked = 0;
    for file in &files {
        let code = text(&read(&client.join(file)));
        let doc = doc_above(&code, "get_gadgets");
        assert!(doc.contains("**Preview:**"), "{}: {doc}", file.display());
        marked += 1;
        if code.contains("fn get_things(") {
            let doc = doc_above(&code, "get_things");
            assert!(!doc.contains("Preview"), "{}: {doc}", file.display());
        }
        if code.contains("fn delete_thing(") {
            assert!(doc_above(&code, "delete_thing").contains("**Preview:**"));
        }
    }
    assert!(marked > 0);

    // The same definitions again: nothing written, nothing on stdout, exit 0 even with
    // --fail-on any, and stderr says spec/ is up to date.
    let before = project.state();
    let again = project.update(&server.base, &["--preview", "--fail-on", "any"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(text(&again.stdout), "");
    assert!(
        text(&again.stderr).contains("is up to date"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        project.state(),
        before,
        "an unchanged definition wrote files"
    );
}

#[test]
fn update_spec_without_preview_reports_the_public_changes_only() {
    let project = Project::new("public");
    let server = Server::start(&[("/api/v2/docs/swagger", "200 OK", read(&data("v2.json")))]);
    let (out, days) = days_around(|| project.update(&server.base, &["--fail-on", "breaking"]));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // Only additions: --fail-on breaking is not met.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(server.requests(), ["GET /api/v2/docs/swagger HTTP/1.1"]);
    let url = format!("{}/api/v2/docs/swagger", server.base);
    let heading = stdout.lines().next().unwrap_or_default();
    assert!(
        days.iter()
            .any(|day| heading == format!("## 0.1.1 ({day}, {url})")),
        "{heading}"
    );
    assert!(
        stdout.contains("`get_thing_parts()`") && !stdout.contains("get_gadgets"),
        "{stdout}"
    );
    let note = text(&read(&project.spec().join("SOURCE")));
    assert!(
        note.contains(&format!("url: {url}\n")) && !note.contains("preview-url"),
        "{note}"
    );
}

#[test]
fn update_spec_fail_on_breaking_exits_1_after_applying_the_update() {
    let project = Project::new("breaking");
    let server = Server::start(&[(
        "/api/v2/docs/swagger",
        "200 OK",
        read(&data("breaking.json")),
    )]);
    let out = project.update(&server.base, &["--fail-on", "breaking"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("## 0.2.0 ("),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&read(&project.spec().join("VERSION"))), "0.2.0\n");
}

#[test]
fn a_failed_download_exits_2_and_leaves_spec_and_client_untouched() {
    let project = Project::new("fails");
    let before = project.state();
    // The preview answers 404.
    let server = Server::start(&[("/api/v2/docs/swagger", "200 OK", read(&data("v2.json")))]);
    let out = project.update(&server.base, &["--preview"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("swaggerpreview") && stderr.contains("HTTP 404"),
        "{stderr}"
    );
    assert_eq!(text(&out.stdout), "");
    assert_eq!(project.state(), before, "spec/ or the client changed");
    // Nobody listening.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = project.update(&format!("http://127.0.0.1:{port}"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("fetching"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(project.state(), before, "spec/ or the client changed");
    // Only spec/ and the client remain: no staging directory left behind.
    let mut names: Vec<String> = std::fs::read_dir(&project.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["client", "spec"]);
}

#[test]
fn diff_fail_on_sets_the_exit_code() {
    let (v1, v2, breaking) = (data("v1.json"), data("v2.json"), data("breaking.json"));
    let missing = scratch("diff-missing").join("missing.json");
    let (v1, v2, breaking, missing) = (
        v1.to_str().unwrap(),
        v2.to_str().unwrap(),
        breaking.to_str().unwrap(),
        missing.to_str().unwrap(),
    );
    for (args, code) in [
        (vec![v1, breaking, "--fail-on", "breaking"], 1),
        (vec![v1, v2, "--fail-on", "breaking"], 0),
        (vec![v1, v2, "--fail-on", "any"], 1),
        (vec![v1, v1, "--fail-on", "any"], 0),
        (vec![v1, breaking], 0),
        (vec![v1, missing, "--fail-on", "any"], 2),
        (vec![v1, v2, "--fail-on", "major"], 2),
    ] {
        let mut all = vec!["diff"];
        all.extend(args);
        let out = xtask(&all);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{all:?}: {}",
            text(&out.stderr)
        );
        if code == 1 {
            assert!(
                text(&out.stdout).contains("# API changes"),
                "the report is printed"
            );
        }
    }
}
