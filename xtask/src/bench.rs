//! `cargo xtask bench`: wall time of each generator stage and peak memory, on the real
//! Genesys definitions and on synthetic ones 2x, 4x and 8x the 2025 one; and the time to
//! `cargo check` the generated crates, in full and with one API group.
//!
//! Every measured run is a fresh process (`xtask bench-one`), built in release mode, so
//! peak memory is that run's own. `--smoke` runs one quick measurement (for CI).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

/// Options of `cargo xtask bench`.
pub struct Options {
    pub runs: usize,
    pub smoke: bool,
    pub skip_check: bool,
    pub corpus: PathBuf,
}

/// One run of one spec: stage times in seconds and peak RSS in KiB.
#[derive(Debug, Clone)]
struct Run {
    stages: Vec<(String, f64)>,
    total: f64,
    peak_kib: u64,
}

/// Entry point of `bench-one`: generates `spec` into a scratch dir and prints one JSON line.
pub fn bench_one(spec: &Path, out: &Path) -> Result<()> {
    let start = Instant::now();
    let mut timings = generator::Timings::default();
    let generated = generator::generate_timed(&generator::Config::new(spec), &mut timings)?;
    timings.time("write", || {
        generator::write::apply(out, &generated.files, generator::write::Mode::Write)
    })?;
    let total = start.elapsed();
    let stages: Map<String, Value> = timings
        .stages
        .iter()
        .map(|(name, d)| ((*name).to_owned(), json!(d.as_secs_f64())))
        .collect();
    println!(
        "{}",
        json!({ "stages": stages, "total": total.as_secs_f64(), "peak_kib": peak_rss_kib(), "files": generated.files.len() })
    );
    Ok(())
}

/// This process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn release_binary(root: &Path) -> Result<PathBuf> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("building the release xtask failed");
    }
    Ok(root.join("target/release/xtask"))
}

fn measure(binary: &Path, spec: &Path, scratch: &Path) -> Result<Run> {
    let output = Command::new(binary)
        .arg("bench-one")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(scratch)
        .output()?;
    if !output.status.success() {
        bail!(
            "bench-one failed on {}: {}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let line = String::from_utf8_lossy(&output.stdout);
    let value: Value = serde_json::from_str(line.trim()).context("bench-one output")?;
    let stages = value["stages"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
                .collect()
        })
        .unwrap_or_default();
    Ok(Run {
        stages,
        total: value["total"].as_f64().unwrap_or(0.0),
        peak_kib: value["peak_kib"].as_u64().unwrap_or(0),
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// A definition `factor` times the size of `base`: each operation, tag and definition
/// cloned `factor - 1` times under renamed paths, ids, tags and definition names.
pub fn synthesize(base: &Value, factor: usize) -> Value {
    let mut out = base.clone();
    let (Some(paths), Some(defs)) = (base["paths"].as_object(), base["definitions"].as_object())
    else {
        return out;
    };
    let mut new_paths = paths.clone();
    let mut new_defs = defs.clone();
    for copy in 2..=factor {
        let suffix = format!("Copy{copy}");
        let rename = |v: &Value| rename_refs(v, &suffix);
        for (path, item) in paths {
            let mut item = rename(item);
            if let Some(item) = item.as_object_mut() {
                for op in item.values_mut() {
                    if let Some(op) = op.as_object_mut() {
                        for key in ["operationId", "x-purecloud-method-name"] {
                            if let Some(Value::String(id)) = op.get_mut(key) {
                                id.push_str(&suffix);
                            }
                        }
                        if let Some(Value::Array(tags)) = op.get_mut("tags") {
                            for tag in tags {
                                if let Value::String(t) = tag {
                                    t.push_str(&suffix);
                                }
                            }
                        }
                    }
                }
            }
            new_paths.insert(format!("/copy{copy}{path}"), item);
        }
        for (name, def) in defs {
            new_defs.insert(format!("{name}{suffix}"), rename(def));
        }
    }
    out["paths"] = Value::Object(new_paths);
    out["definitions"] = Value::Object(new_defs);
    out
}

fn rename_refs(value: &Value, suffix: &str) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        (k.clone(), Value::String(format!("{r}{suffix}")))
                    }
                    _ => (k.clone(), rename_refs(v, suffix)),
                })
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.iter().map(|v| rename_refs(v, suffix)).collect()),
        other => other.clone(),
    }
}

fn fmt_mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// Runs the benchmark and prints the figures.
pub fn run(root: &Path, options: &Options) -> Result<()> {
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work)?;
    let scratch = work.join("out");
    if options.smoke {
        // The smoke run checks the bench works end to end without a release build.
        let binary = std::env::current_exe()?;
        let spec = root.join("tests/fixtures/ok/petstore_min.json");
        let run = measure(&binary, &spec, &scratch)?;
        println!(
            "smoke: petstore_min generated in {:.3} s, peak {}",
            run.total,
            fmt_mib(run.peak_kib)
        );
        return Ok(());
    }
    let binary = release_binary(root)?;
    let real_2018 = options.corpus.join("genesys-platform-api-2018-03-21.json");
    let real_2025 = options.corpus.join("genesys-platform-api-2025-07-28.json");
    if !real_2025.exists() || !real_2018.exists() {
        bail!(
            "the Genesys corpus is not at {} (set GENESYS_SPEC_DIR)",
            options.corpus.display()
        );
    }
    let base: Value = serde_json::from_slice(&std::fs::read(&real_2025)?)?;
    let mut specs: Vec<(String, PathBuf)> = vec![
        ("2018-03-21".into(), real_2018.clone()),
        ("2025-07-28".into(), real_2025.clone()),
    ];
    for factor in [2, 4, 8] {
        let path = work.join(format!("synthetic-{factor}x.json"));
        if !path.exists() {
            std::fs::write(&path, serde_json::to_vec(&synthesize(&base, factor))?)?;
        }
        specs.push((format!("2025 x{factor} (synthetic)"), path));
    }
    drop(base);

    println!(
        "Generation, median of {} runs (release build, {} cores):\n",
        options.runs,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    let stage_names = [
        "load", "upgrade", "lower", "name", "render", "format", "write",
    ];
    println!(
        "| definition | {} | total | peak memory |",
        stage_names.join(" | ")
    );
    println!("|---|{}---|---|", "---|".repeat(stage_names.len()));
    let mut totals = Vec::new();
    for (label, spec) in &specs {
        let runs: Vec<Run> = (0..options.runs)
            .map(|_| measure(&binary, spec, &scratch))
            .collect::<Result<_>>()?;
        let stage_cells: Vec<String> = stage_names
            .iter()
            .map(|stage| {
                let values: Vec<f64> = runs
                    .iter()
                    .map(|r| {
                        r.stages
                            .iter()
                            .find(|(n, _)| n == stage)
                            .map(|(_, v)| *v)
                            .unwrap_or(0.0)
                    })
                    .collect();
                format!("{:.3}", median(values))
            })
            .collect();
        let total = median(runs.iter().map(|r| r.total).collect());
        let peak = runs.iter().map(|r| r.peak_kib).max().unwrap_or(0);
        println!(
            "| {label} | {} | {total:.3} s | {} |",
            stage_cells.join(" | "),
            fmt_mib(peak)
        );
        totals.push((label.clone(), total));
    }
    if let (Some((_, one)), Some((_, eight))) = (totals.get(1), totals.get(4)) {
        println!("\n8x / 1x total time: {:.2}x (target <= 8.5x)", eight / one);
    }
    let _ = std::fs::remove_dir_all(&scratch);

    if !options.skip_check {
        println!("\nConsumer compile time: `cargo check` of the generated crate only (dependencies built), CARGO_INCREMENTAL=0:\n");
        println!("| definition | all features | billing only | ratio |");
        println!("|---|---|---|---|");
        for (label, spec) in specs.iter().take(2) {
            let (full, billing) = check_times(root, &binary, spec, &work)?;
            println!(
                "| {label} | {:.1} s | {:.1} s | {:.1}% |",
                full.as_secs_f64(),
                billing.as_secs_f64(),
                100.0 * billing.as_secs_f64() / full.as_secs_f64()
            );
        }
    }
    openapi_generator_comparison(&specs[..2], &work)?;
    Ok(())
}

/// Time to check a generated crate with every feature, and with only `billing`.
fn check_times(
    root: &Path,
    binary: &Path,
    spec: &Path,
    work: &Path,
) -> Result<(Duration, Duration)> {
    let crate_dir = work.join("crate");
    let status = Command::new(binary)
        .arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(&crate_dir)
        .arg("--name")
        .arg("bench-client")
        .output()?;
    if !status.status.success() {
        bail!("generating {} failed", spec.display());
    }
    std::fs::write(
        work.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"crate\"]\n",
    )?;
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))?;
    let cargo = |args: &[&str]| -> Result<Duration> {
        let start = Instant::now();
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(work)
            .env("CARGO_TARGET_DIR", work.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .output()?;
        if !out.status.success() {
            bail!(
                "cargo {} failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(start.elapsed())
    };
    // Dependencies first, so the timed runs check the generated crate alone.
    cargo(&[
        "check",
        "--offline",
        "--lib",
        "-p",
        "bench-client",
        "--no-default-features",
    ])?;
    let touch = || {
        std::fs::write(
            crate_dir.join("src/lib.rs"),
            std::fs::read(crate_dir.join("src/lib.rs"))?,
        )
    };
    touch()?;
    let full = cargo(&[
        "check",
        "--offline",
        "--lib",
        "-p",
        "bench-client",
        "--all-features",
    ])?;
    touch()?;
    let billing = cargo(&[
        "check",
        "--offline",
        "--lib",
        "-p",
        "bench-client",
        "--no-default-features",
        "--features",
        "billing",
    ])?;
    Ok((full, billing))
}

/// Times OpenAPI Generator's Rust client on the same definitions, when it is installed.
fn openapi_generator_comparison(specs: &[(String, PathBuf)], work: &Path) -> Result<()> {
    let Ok(found) = which("openapi-generator-cli") else {
        println!("\nOpenAPI Generator: not installed (pip install openapi-generator-cli to compare); skipped.");
        return Ok(());
    };
    println!(
        "\nOpenAPI Generator ({}), rust client, same definitions (`--skip-validate-spec`: it rejects both files otherwise):\n",
        found.display()
    );
    println!("| definition | wall time | peak memory | files |");
    println!("|---|---|---|---|");
    for (label, spec) in specs {
        let out = work.join("openapi-generator-out");
        let _ = std::fs::remove_dir_all(&out);
        let start = Instant::now();
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .arg(&found)
            .args(["generate", "-g", "rust", "--skip-validate-spec", "-o"])
            .arg(&out)
            .arg("-i")
            .arg(spec)
            .output()?;
        let took = start.elapsed();
        if !output.status.success() {
            println!(
                "| {label} | failed: {} |",
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .find(|l| l.contains("Exception") || l.contains("rror"))
                    .unwrap_or("see its output")
            );
            continue;
        }
        let peak = String::from_utf8_lossy(&output.stderr)
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<u64>().ok())
            .unwrap_or(0);
        let files = count_files(&out);
        println!(
            "| {label} | {:.1} s | {} | {files} files |",
            took.as_secs_f64(),
            fmt_mib(peak)
        );
    }
    Ok(())
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                count_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

fn which(name: &str) -> Result<PathBuf> {
    let path = std::env::var_os("PATH").context("no PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .context("not found")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(list) => list.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn synthetic_definitions_scale_every_part_and_stay_consistent() {
        let base = json!({
            "swagger": "2.0",
            "paths": {"/api/v2/things": {"get": {"operationId": "getThings", "x-purecloud-method-name": "getThings", "tags": ["Things"],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Thing"}}}}}},
            "definitions": {"Thing": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/User"}}}, "User": {"type": "object"}}
        });
        let big = synthesize(&base, 3);
        assert_eq!(big["paths"].as_object().unwrap().len(), 3);
        assert_eq!(big["definitions"].as_object().unwrap().len(), 6);
        let mut ids: Vec<&str> = big["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|i| i["get"]["operationId"].as_str().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3, "operationIds must stay unique");
        let mut all = Vec::new();
        refs(&big, &mut all);
        for r in all {
            let name = r.trim_start_matches("#/definitions/");
            assert!(big["definitions"].get(name).is_some(), "dangling {r}");
        }
        assert_eq!(
            big["paths"]["/copy3/api/v2/things"]["get"]["tags"][0],
            "ThingsCopy3"
        );
    }
}
