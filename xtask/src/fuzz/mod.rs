//! `fuzz`: the generator against a stream of small, hostile definitions, on the stable
//! toolchain.
//!
//! [`definition`] builds a Swagger 2.0 definition from an [`arbitrary::Unstructured`] byte
//! source (objects, refs and cycles, `allOf`, enums, arrays and maps, parameters of every
//! location and type, odd names and texts crafted to escape a comment, a string or a
//! template); [`cases`] feeds it bytes from a seeded xorshift generator, and the `fuzz/`
//! cargo-fuzz target feeds it libFuzzer's. [`examine`] runs one definition through every
//! stage but `write` and lists what broke a promise of the generator ([`Problem`]): a panic,
//! Rust that does not parse from an accepted definition, an error or a warning whose pointer
//! is missing or names nothing in the definition.
//!
//! [`run`] does that for `--seconds` in a child process (`cargo xtask fuzz-worker`, [`serve`])
//! so that a stack overflow or a hang is a finding (`crash`, `hang`) rather than the end of
//! the run; it shrinks each new kind of finding to a small input and saves it in the corpus
//! directory (`tests/fixtures/fuzz/`, run by `xtask/tests/fuzz_regressions.rs`), and at the
//! end compiles a uniform sample of the accepted definitions' crates with one `cargo check`.

mod definition;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use arbitrary::Unstructured;
use generator::ErrorKind;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub use definition::definition;

/// How many random bytes each case is built from: more than the largest definition takes,
/// so that the generator's choices, not the input's length, bound a definition's size.
const CASE_BYTES: usize = 4096;

/// A case still running after this long is a hang: its worker is stopped and it is saved.
const HANG: Duration = Duration::from_secs(30);

/// At most this many candidate inputs are tried while shrinking one finding.
const SHRINK_TRIES: usize = 300;

/// How often `run` prints its progress.
const PROGRESS: Duration = Duration::from_secs(30);

/// What `cargo xtask fuzz` does.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long to generate and examine definitions.
    pub seconds: u64,
    /// The seed of the byte stream: the same seed gives the same cases.
    pub seed: u64,
    /// Where findings are saved as regression cases.
    pub corpus: PathBuf,
    /// How many accepted definitions are compiled at the end.
    pub sample: usize,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub executions: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub duration: Duration,
    /// The sampled crates that were compiled.
    pub compiled: usize,
    /// How often each kind of error (by [`Problem::signature`]) rejected a definition.
    pub rejections: BTreeMap<String, u64>,
    /// One entry per kind of finding, with how often it was seen.
    pub findings: Vec<Finding>,
}

/// One kind of finding: the first (shrunk) input that showed it, saved in the corpus.
#[derive(Debug, Clone)]
pub struct Finding {
    pub problem: Problem,
    /// How many cases showed it.
    pub count: u64,
    /// The saved regression case.
    pub file: PathBuf,
    /// An open bug saved in the corpus's `known/` directory before this run: counted, not
    /// saved again, and no failure of the run.
    pub known: bool,
}

/// A broken promise of the generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `panic`, `crash` (the process died: a stack overflow, an abort), `hang`,
    /// `invalid-rust`, `template`, `no-pointer`, `bad-pointer`, `warning-pointer` or
    /// `compile`.
    pub kind: String,
    pub message: String,
}

impl Problem {
    fn new(kind: &str, message: impl Into<String>) -> Self {
        Problem {
            kind: kind.to_owned(),
            message: message.into(),
        }
    }

    /// What makes two findings the same bug: the kind and the message with quoted parts
    /// and numbers taken out (a panic keeps its location, the first line of its message).
    pub fn signature(&self) -> String {
        if self.kind == "panic" {
            let first = self.message.lines().next().unwrap_or_default();
            return format!("panic {first}");
        }
        let mut out = String::new();
        let mut quoted = None;
        for c in self.message.chars() {
            match quoted {
                Some(q) if c == q => quoted = None,
                Some(_) => {}
                None if c == '"' || c == '`' => quoted = Some(c),
                None if c.is_ascii_digit() => {
                    if !out.ends_with('N') {
                        out.push('N');
                    }
                }
                None => out.push(c),
            }
        }
        let short: String = out.chars().take(80).collect();
        format!("{} {short}", self.kind)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// Whether the generator accepted a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    /// Rejected with this error.
    Rejected(String),
    /// It panicked.
    Panicked,
}

/// One definition through the generator: the outcome and the promises it broke.
#[derive(Debug, Clone)]
pub struct Examined {
    pub outcome: Outcome,
    pub problems: Vec<Problem>,
}

/// The panic message (with its location) of the last panic, when the worker's hook is
/// installed; without it (in the regression test) the payload is the message.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs every stage but `write` on the definition at `spec` (crate `fuzz-case`, dumping
/// invalid Rust into `dump_dir`) and checks the generator's promises: no panic; an accepted
/// definition's output parses as Rust (`format` checks each file and an `InvalidRust` or
/// `Template` error is the generator's fault); every error and warning has a pointer that
/// names a place in the definition (the root, `#`, only for an error about the document as a
/// whole).
pub fn examine(spec: &Path, dump_dir: &Path) -> Examined {
    let mut config = generator::Config::new(spec);
    config.crate_name = "fuzz-case".into();
    config.dump_dir = dump_dir.to_path_buf();
    let doc: Option<Value> = std::fs::read(spec)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let result = panic::catch_unwind(AssertUnwindSafe(|| generator::generate(&config)));
    let mut problems = Vec::new();
    let outcome = match result {
        Err(payload) => {
            let message = LAST_PANIC
                .lock()
                .ok()
                .and_then(|mut last| last.take())
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            problems.push(Problem::new("panic", message));
            Outcome::Panicked
        }
        Ok(Ok(generated)) => {
            for d in &generated.diagnostics {
                if !points_into(doc.as_ref(), &d.pointer) {
                    problems.push(Problem::new(
                        "warning-pointer",
                        format!("a warning points at a place not in the definition: {d}"),
                    ));
                }
            }
            Outcome::Accepted
        }
        Ok(Err(error)) => {
            let shown = error.to_string();
            match &*error.kind {
                ErrorKind::InvalidRust { .. } => {
                    problems.push(Problem::new("invalid-rust", shown.clone()))
                }
                ErrorKind::Template { .. } => {
                    problems.push(Problem::new("template", shown.clone()))
                }
                _ if error.pointer.is_empty() && !about_the_whole(doc.as_ref()) => problems.push(
                    Problem::new("no-pointer", format!("an error without a pointer: {shown}")),
                ),
                _ if !points_into(doc.as_ref(), &error.pointer) => problems.push(Problem::new(
                    "bad-pointer",
                    format!("an error points at a place not in the definition: {shown}"),
                )),
                _ => {}
            }
            Outcome::Rejected(shown)
        }
    };
    Examined { outcome, problems }
}

/// Whether `pointer` names a value of `doc` (the root included), or a missing member of one
/// (an error about a member that is not there points where it belongs). A file that is not
/// JSON (a saved YAML case) is not checked.
fn points_into(doc: Option<&Value>, pointer: &str) -> bool {
    let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
    doc.is_none_or(|doc| {
        doc.pointer(pointer).is_some() || doc.pointer(parent).is_some_and(Value::is_object)
    })
}

/// Whether an error at the root (`#`) fits the document: it is not an object, or has
/// neither a `swagger` nor an `openapi` key (or is not JSON, whose syntax errors give a
/// line and column instead).
fn about_the_whole(doc: Option<&Value>) -> bool {
    match doc {
        None => true,
        Some(Value::Object(map)) => !map.contains_key("swagger") && !map.contains_key("openapi"),
        Some(_) => true,
    }
}

/// A xorshift64* generator: the byte stream of the stable-toolchain fuzzer, so a seed gives
/// the same cases on every machine without a random-number dependency.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator for `seed` (any value; zero is mapped to a fixed non-zero state).
    pub fn new(seed: u64) -> Self {
        XorShift(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (which must not be zero).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

/// The endless stream of definitions for `seed`.
pub fn cases(seed: u64) -> impl Iterator<Item = Value> {
    let mut rng = XorShift::new(seed);
    let mut bytes = vec![0u8; CASE_BYTES];
    std::iter::from_fn(move || {
        rng.fill(&mut bytes);
        // The builder only fails when the bytes run out, which these many never do; an
        // empty object stands in, to keep the stream endless.
        Some(definition(&mut Unstructured::new(&bytes)).unwrap_or_default())
    })
}

/// Fuzzes for `options.seconds` under `root` (scratch files in `root/target/fuzz`), saving
/// findings into `options.corpus`, then compiles the sample. Progress goes to stderr.
pub fn run(root: &Path, options: &Options) -> Result<Summary> {
    let work = root.join("target").join("fuzz");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let spec = work.join("spec.json");
    let dump = work.join("invalid-rust");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let exe = std::env::current_exe().context("finding the xtask binary")?;
    let mut worker = Worker::spawn(&exe, &work, &dump)?;
    let mut summary = Summary::default();
    let mut findings = Findings::new(options.corpus.clone(), work.join("shrink.json"))?;
    let mut sampler = XorShift::new(options.seed.rotate_left(32));
    let mut sample: Vec<Value> = Vec::new();
    let mut next_report = started + PROGRESS;
    let mut stream = cases(options.seed);
    while Instant::now() < deadline {
        let doc = stream.next().unwrap_or_default();
        write_json(&spec, &doc)?;
        let examined = worker.examine(&spec)?;
        summary.executions += 1;
        match examined.outcome {
            Outcome::Accepted => {
                summary.accepted += 1;
                // Reservoir sampling: each accepted definition is equally likely to be kept.
                if sample.len() < options.sample {
                    sample.push(doc.clone());
                } else if options.sample > 0 {
                    let slot = sampler.below(summary.accepted) as usize;
                    if slot < options.sample {
                        sample[slot] = doc.clone();
                    }
                }
            }
            Outcome::Rejected(error) => {
                summary.rejected += 1;
                let kind = Problem::new("error", after_pointer(&error)).signature();
                *summary.rejections.entry(kind).or_default() += 1;
            }
            Outcome::Panicked => summary.rejected += 1,
        }
        for problem in examined.problems {
            findings.record(problem, &doc, &mut worker)?;
        }
        if Instant::now() >= next_report {
            next_report += PROGRESS;
            eprintln!(
                "fuzz: {} executions in {:.0} s, {} accepted, {} findings",
                summary.executions,
                started.elapsed().as_secs_f64(),
                summary.accepted,
                findings.seen.len()
            );
        }
    }
    drop(worker);
    summary.duration = started.elapsed();
    summary.compiled = sample.len();
    for (problem, doc) in compile_sample(root, &work, &sample)? {
        findings.save(problem, &doc)?;
    }
    summary.findings = findings.into_list();
    Ok(summary)
}

/// The regression cases (`*.json`) directly in `dir`, sorted; none when it does not exist.
pub fn cases_in(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// The open bugs of a corpus: each `known/<case>.json` with the problem its
/// `known/<case>.txt` notes (`kind: message`).
pub fn known(corpus: &Path) -> Result<Vec<(Problem, PathBuf)>> {
    let mut found = Vec::new();
    for file in cases_in(&corpus.join("known"))? {
        let note = std::fs::read_to_string(file.with_extension("txt")).unwrap_or_default();
        if let Some((kind, message)) = note.trim().split_once(": ") {
            found.push((Problem::new(kind, message), file));
        }
    }
    Ok(found)
}

/// An error's message without its `file#pointer: ` prefix.
fn after_pointer(error: &str) -> &str {
    error.split_once(": ").map_or(error, |(_, message)| message)
}

/// The findings of a run, one per signature.
struct Findings {
    corpus: PathBuf,
    /// Where candidate inputs are written while shrinking.
    scratch: PathBuf,
    seen: BTreeMap<String, Finding>,
}

impl Findings {
    /// No findings yet but the [`known`] ones.
    fn new(corpus: PathBuf, scratch: PathBuf) -> Result<Self> {
        let mut seen = BTreeMap::new();
        for (problem, file) in known(&corpus)? {
            seen.entry(problem.signature()).or_insert(Finding {
                problem,
                count: 0,
                file,
                known: true,
            });
        }
        Ok(Findings {
            corpus,
            scratch,
            seen,
        })
    }

    /// Counts `problem`; the first of its kind is shrunk and saved.
    fn record(&mut self, problem: Problem, doc: &Value, worker: &mut Worker) -> Result<()> {
        if let Some(known) = self.seen.get_mut(&problem.signature()) {
            known.count += 1;
            return Ok(());
        }
        let shrunk = shrink(doc, &problem, &self.scratch, worker)?;
        self.save(problem, &shrunk)
    }

    /// Saves `doc` as the regression case of `problem`: `<kind>-<hash>.json`, and beside it
    /// `<kind>-<hash>.txt` with the problem.
    fn save(&mut self, problem: Problem, doc: &Value) -> Result<()> {
        std::fs::create_dir_all(&self.corpus)
            .with_context(|| format!("creating {}", self.corpus.display()))?;
        let text = serde_json::to_string_pretty(doc)? + "\n";
        let hash = generator::load::hex(&Sha256::digest(text.as_bytes()));
        let file = self
            .corpus
            .join(format!("{}-{}.json", problem.kind, &hash[..12]));
        std::fs::write(&file, &text).with_context(|| format!("writing {}", file.display()))?;
        std::fs::write(file.with_extension("txt"), format!("{problem}\n"))
            .with_context(|| format!("writing {}", file.display()))?;
        eprintln!("fuzz: found {problem}\n      saved as {}", file.display());
        self.seen.insert(
            problem.signature(),
            Finding {
                problem,
                count: 1,
                file,
                known: false,
            },
        );
        Ok(())
    }

    /// The findings this run saw, new and known.
    fn into_list(self) -> Vec<Finding> {
        self.seen.into_values().filter(|f| f.count > 0).collect()
    }
}

/// A smaller definition that still shows `problem`: members and elements are removed,
/// largest first, while the problem (by signature) stays.
fn shrink(doc: &Value, problem: &Problem, scratch: &Path, worker: &mut Worker) -> Result<Value> {
    let signature = problem.signature();
    let mut best = doc.clone();
    let mut tries = 0;
    'outer: loop {
        for pointer in removable(&best) {
            if tries == SHRINK_TRIES {
                break 'outer;
            }
            tries += 1;
            let mut candidate = best.clone();
            remove(&mut candidate, &pointer);
            write_json(scratch, &candidate)?;
            let examined = worker.examine(scratch)?;
            if examined.problems.iter().any(|p| p.signature() == signature) {
                best = candidate;
                continue 'outer;
            }
        }
        break;
    }
    Ok(best)
}

/// The pointers of every member and element of `doc`, shallowest first (removing a large
/// subtree first shrinks fastest).
fn removable(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut queue = std::collections::VecDeque::from([(String::new(), doc)]);
    while let Some((pointer, value)) = queue.pop_front() {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (format!("{pointer}/{}", generator::error::escape(k)), v))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{pointer}/{i}"), v))
                .collect(),
            _ => Vec::new(),
        };
        for (child, value) in children {
            found.push(child.clone());
            queue.push_back((child, value));
        }
    }
    found
}

/// Removes the member or element at `pointer` (which [`removable`] gave).
fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

fn write_json(path: &Path, doc: &Value) -> Result<()> {
    std::fs::write(path, serde_json::to_vec(doc)?)
        .with_context(|| format!("writing {}", path.display()))
}

/// Generates each sampled definition's crate into `work/crates/fuzz-<i>` and compiles them
/// all with one `cargo check` in the generated crates' target directory
/// (`target/generated-crates`, shared with the tests). A crate that does not compile is a
/// `compile` problem, with its definition.
fn compile_sample(root: &Path, work: &Path, sample: &[Value]) -> Result<Vec<(Problem, Value)>> {
    if sample.is_empty() {
        return Ok(Vec::new());
    }
    let dir = work.join("crates");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut members = Vec::new();
    for (i, doc) in sample.iter().enumerate() {
        let name = format!("fuzz-{i}");
        let spec = dir.join(format!("{name}.json"));
        write_json(&spec, doc)?;
        let mut config = generator::Config::new(&spec);
        config.crate_name = name.clone();
        config.dump_dir = work.join("invalid-rust");
        let generated = generator::generate(&config)?;
        generator::write::apply(
            &dir.join(&name),
            &generated.files,
            generator::write::Mode::Write,
        )?;
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    eprintln!(
        "fuzz: cargo check of {} sampled crates in {}",
        sample.len(),
        dir.display()
    );
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--workspace",
            "--offline",
            "--keep-going",
            "--message-format",
            "short",
        ])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target").join("generated-crates"),
        )
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .context("running cargo check")?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut problems = Vec::new();
    for (i, doc) in sample.iter().enumerate() {
        // A compiler error starts with the crate's path; a manifest cargo cannot read names
        // it (and stops the whole check).
        let (prefix, manifest) = (format!("fuzz-{i}/"), format!("fuzz-{i}/Cargo.toml"));
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with(&prefix) && l.contains(": error") || l.contains(&manifest))
            .collect();
        if !errors.is_empty() {
            let message = format!(
                "an accepted definition's crate does not compile: {}",
                errors.join("; ")
            );
            problems.push((Problem::new("compile", message), doc.clone()));
        }
    }
    if problems.is_empty() {
        anyhow::bail!("cargo check of the sampled crates failed:\n{stderr}");
    }
    Ok(problems)
}

/// The child process that examines cases (`cargo xtask fuzz-worker`, [`serve`]): a stack
/// overflow or an abort cannot be caught like a panic, and a hang cannot be interrupted, so
/// each case runs there and the fuzzer survives it as a `crash` or `hang` finding, starting a
/// new worker for the next case.
pub struct Worker {
    exe: PathBuf,
    child: Child,
    stdin: ChildStdin,
    /// The worker's answers, one JSON line per case, read on a thread of their own so that
    /// waiting for one can time out.
    answers: Receiver<String>,
    /// Where the worker's stderr goes (a crash's message is read back from it).
    stderr: PathBuf,
    dump: PathBuf,
}

impl Worker {
    /// Starts `exe fuzz-worker` (`exe` is the xtask binary) in the scratch directory `work`,
    /// dumping invalid Rust into `dump`.
    pub fn spawn(exe: &Path, work: &Path, dump: &Path) -> Result<Self> {
        let stderr = work.join("worker.stderr");
        let mut child = Command::new(exe)
            .arg("fuzz-worker")
            .arg("--dump")
            .arg(dump)
            .current_dir(work)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr)?)
            .spawn()
            .context("starting the fuzz worker")?;
        let stdin = child.stdin.take().context("the worker's stdin")?;
        let stdout = child.stdout.take().context("the worker's stdout")?;
        let (send, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker {
            exe: exe.to_path_buf(),
            child,
            stdin,
            answers,
            stderr,
            dump: dump.to_path_buf(),
        })
    }

    /// Examines the definition at `spec` in the worker; when the worker dies or takes longer
    /// than [`HANG`], that is the case's problem, and a new worker takes over.
    pub fn examine(&mut self, spec: &Path) -> Result<Examined> {
        // The worker runs in the scratch directory: messages name `spec.json`, not a path.
        let name = spec
            .strip_prefix(self.stderr.parent().unwrap_or(Path::new("")))
            .unwrap_or(spec);
        writeln!(self.stdin, "{}", name.display())
            .and_then(|()| self.stdin.flush())
            .ok();
        let problem = match self.answers.recv_timeout(HANG) {
            Ok(line) => return decode(&line),
            Err(RecvTimeoutError::Timeout) => Problem::new(
                "hang",
                format!("a case ran longer than {} s", HANG.as_secs()),
            ),
            Err(RecvTimeoutError::Disconnected) => {
                let _ = self.child.wait();
                let stderr = std::fs::read_to_string(&self.stderr).unwrap_or_default();
                let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
                let tail = &lines[lines.len().saturating_sub(2)..];
                Problem::new("crash", tail.join(" / "))
            }
        };
        let _ = self.child.kill();
        let _ = self.child.wait();
        let work = self.stderr.parent().unwrap_or(Path::new("."));
        *self = Worker::spawn(&self.exe, work, &self.dump)?;
        Ok(Examined {
            outcome: Outcome::Panicked,
            problems: vec![problem],
        })
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The worker's loop (`cargo xtask fuzz-worker`): reads a definition's path per line of
/// stdin, examines it, and answers one JSON line on stdout, until stdin closes.
pub fn serve(dump: &Path) -> Result<()> {
    panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let examined = examine(Path::new(&line?), dump);
        writeln!(out, "{}", encode(&examined))?;
        out.flush()?;
    }
    Ok(())
}

fn encode(examined: &Examined) -> Value {
    let (outcome, error) = match &examined.outcome {
        Outcome::Accepted => ("accepted", None),
        Outcome::Rejected(e) => ("rejected", Some(e.as_str())),
        Outcome::Panicked => ("panicked", None),
    };
    let problems: Vec<Value> = examined
        .problems
        .iter()
        .map(|p| json!({ "kind": p.kind, "message": p.message }))
        .collect();
    json!({ "outcome": outcome, "error": error, "problems": problems })
}

fn decode(line: &str) -> Result<Examined> {
    let value: Value = serde_json::from_str(line).context("reading the worker's answer")?;
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    let outcome = match value["outcome"].as_str() {
        Some("accepted") => Outcome::Accepted,
        Some("rejected") => Outcome::Rejected(text(&value, "error")),
        _ => Outcome::Panicked,
    };
    let problems = value["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Problem {
            kind: text(p, "kind"),
            message: text(p, "message"),
        })
        .collect();
    Ok(Examined { outcome, problems })
}
