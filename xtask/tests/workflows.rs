//! The GitHub workflows run what the README promises: CI runs the README's test command
//! and `cargo xtask check`; the scheduled update runs `update-spec --fail-on breaking`
//! and opens a pull request whose body is the report that command printed. (`.ci/run`
//! lints both files with actionlint; this holds what they run against the README.)

use std::path::{Path, PathBuf};

use serde_yaml::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn workflow(name: &str) -> Value {
    let path = root().join(".github/workflows").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every step of every job, in order.
fn steps(workflow: &Value) -> Vec<&Value> {
    workflow["jobs"]
        .as_mapping()
        .expect("a workflow has jobs")
        .values()
        .flat_map(|job| job["steps"].as_sequence().expect("a job has steps"))
        .collect()
}

fn runs(workflow: &Value) -> Vec<&str> {
    steps(workflow)
        .into_iter()
        .filter_map(|s| s["run"].as_str())
        .collect()
}

/// The commands of the README's first code block, without their comments.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README starts with a sh code block");
    block
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn ci_runs_the_readme_test_command_and_xtask_check() {
    let commands = readme_commands();
    let test_command = commands
        .iter()
        .find(|c| c.starts_with("cargo test"))
        .expect("the README names a test command");
    let ci = workflow("ci.yml");
    let runs = runs(&ci);
    assert!(
        runs.iter()
            .any(|r| r.lines().any(|l| l.trim() == test_command)),
        "ci.yml does not run the README's test command `{test_command}`: {runs:?}"
    );
    assert!(
        runs.iter()
            .any(|r| r.lines().any(|l| l.trim() == "cargo xtask check")),
        "ci.yml does not run `cargo xtask check`: {runs:?}"
    );
    assert!(
        ci["on"].get("pull_request").is_some(),
        "ci.yml runs on pull requests"
    );
}

#[test]
fn the_scheduled_update_opens_a_pull_request_with_the_change_report() {
    let update = workflow("update-spec.yml");
    assert!(
        update["on"]["schedule"][0]["cron"].is_string(),
        "update-spec.yml runs on a schedule"
    );
    let steps = steps(&update);
    let run = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo xtask update-spec"))
        })
        .expect("a step runs cargo xtask update-spec");
    let script = run["run"].as_str().unwrap();
    assert!(
        script.contains("--fail-on breaking"),
        "the update gates on breaking changes: {script}"
    );
    assert!(
        script.contains("> \"$REPORT\""),
        "the report (update-spec's stdout) goes to $REPORT: {script}"
    );
    let report = run["env"]["REPORT"].as_str().expect("the step sets REPORT");
    let pr = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("peter-evans/create-pull-request@"))
        })
        .expect("a step opens the pull request");
    assert_eq!(
        pr["with"]["body-path"].as_str(),
        Some(report),
        "the pull request's body is the report file"
    );
    assert!(
        pr["if"].as_str().is_some_and(|c| c.contains("changed")),
        "the pull request is opened only when something changed"
    );
}
