//! The fuzzer's findings stay fixed: every definition `cargo xtask fuzz` saved in
//! `tests/fixtures/fuzz/` (each with a `.txt` naming what it once broke) goes through the
//! generator without a panic, with Rust that parses when accepted and an error pointer into
//! the definition when rejected; and a fixed-seed stretch of the fuzzer's own stream holds
//! the same promises. The open bugs in `tests/fixtures/fuzz/known/` are not run here (some
//! overflow the stack, which would abort this test binary); the fuzzer counts them as known.

use std::path::{Path, PathBuf};

use xtask::fuzz;

fn corpus() -> PathBuf {
    xtask::root().join("tests/fixtures/fuzz")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-fuzz-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn problems(spec: &Path, dump: &Path) -> Vec<String> {
    fuzz::examine(spec, dump)
        .problems
        .iter()
        .map(|p| format!("{}: {p}", spec.display()))
        .collect()
}

#[test]
fn every_saved_finding_holds() {
    let dump = scratch("saved");
    let cases = fuzz::cases_in(&corpus()).unwrap();
    assert!(!cases.is_empty(), "the fuzz corpus has regression cases");
    let broken: Vec<String> = cases.iter().flat_map(|c| problems(c, &dump)).collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn every_known_case_has_its_problem_noted() {
    let cases = fuzz::cases_in(&corpus().join("known")).unwrap();
    let noted = fuzz::known(&corpus()).unwrap();
    assert_eq!(
        noted.len(),
        cases.len(),
        "every known/ case needs a .txt with `kind: message`"
    );
}

/// In a worker process, as the fuzzer runs them: a known open bug that overflows the stack
/// ends the worker, not this test.
#[test]
fn a_fixed_seed_stretch_of_the_stream_holds() {
    let dir = scratch("stream");
    let spec = dir.join("spec.json");
    let known: Vec<String> = fuzz::known(&corpus())
        .unwrap()
        .iter()
        .map(|(p, _)| p.signature())
        .collect();
    let exe = Path::new(env!("CARGO_BIN_EXE_xtask"));
    let mut worker = fuzz::Worker::spawn(exe, &dir, &dir.join("dump")).unwrap();
    let mut broken = Vec::new();
    let mut accepted = 0;
    for doc in fuzz::cases(7).take(300) {
        std::fs::write(&spec, serde_json::to_vec(&doc).unwrap()).unwrap();
        let examined = worker.examine(&spec).unwrap();
        accepted += usize::from(examined.outcome == fuzz::Outcome::Accepted);
        broken.extend(
            examined
                .problems
                .iter()
                .filter(|p| !known.contains(&p.signature()))
                .map(|p| format!("{p}\n{}", serde_json::to_string(&doc).unwrap())),
        );
    }
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(
        accepted > 10,
        "the stream is mostly definitions the generator accepts"
    );
}
