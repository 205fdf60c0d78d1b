//! Times `generator::diff::diff` on two definitions (lowering excluded):
//! `cargo run --release -p generator --example diff_timing -- OLD NEW [RUNS]`.
//! The figure quoted for 2018-03-21 -> 2025-07-28 comes from here; `tests/diff.rs` prints
//! the same measurement for the debug build.

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [old, new, rest @ ..] = args.as_slice() else {
        return Err("usage: diff_timing OLD NEW [RUNS]".into());
    };
    let runs: usize = rest.first().map(|r| r.parse()).transpose()?.unwrap_or(10);
    let lower = |path: &str| -> Result<(generator::ir::Api, Duration), generator::Error> {
        let start = Instant::now();
        let (api, _) = generator::lower_spec(&generator::Config::new(path))?;
        Ok((api, start.elapsed()))
    };
    let (before, lower_old) = lower(old)?;
    let (after, lower_new) = lower(new)?;
    let mut timings = Vec::new();
    let mut changes = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let report = generator::diff::diff(&before, &after);
        timings.push(start.elapsed());
        changes = report.changes.len();
    }
    timings.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "lowering: {:.0} ms + {:.0} ms; diff ({changes} changes): min {:.1} ms, median {:.1} ms, max {:.1} ms over {} runs",
        ms(lower_old),
        ms(lower_new),
        ms(timings[0]),
        ms(timings[timings.len() / 2]),
        ms(timings[timings.len() - 1]),
        timings.len()
    );
    Ok(())
}
