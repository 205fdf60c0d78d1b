//! `cargo xtask`'s command line against its documentation and its exit codes: the README's
//! command table shows, for every subcommand `--help` lists, exactly the arguments its clap
//! definition takes; the binary exits 0 on `--help`, 2 on a usage error (clap's message)
//! and 1 on a failed command (`error: ...`), except `diff` and `update-spec`, which exit 2
//! when they fail (their 1 is `--fail-on`'s; `xtask/tests/update.rs`).

use std::process::{Command, Output};

use clap::{CommandFactory, Parser};
use xtask::cli::{self, Cli};

/// The usage line the README's table must give for `command`, from its clap definition:
/// positional arguments, then each option with its value's name (or its possible values,
/// `md|json`), in definition order, optional ones in brackets.
fn usage(command: &clap::Command) -> String {
    let mut line = format!("cargo xtask {}", command.get_name());
    for arg in command
        .get_arguments()
        .filter(|a| a.get_id() != "help" && !a.is_hide_set())
    {
        let possible: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        let value = if !possible.is_empty() {
            possible.join("|")
        } else {
            arg.get_value_names()
                .and_then(|names| names.first())
                .map(|name| name.to_string())
                .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
        };
        let text = match arg.get_long() {
            Some(long) if arg.get_action().takes_values() => format!("--{long} {value}"),
            Some(long) => format!("--{long}"),
            None => value,
        };
        if arg.is_required_set() {
            line.push_str(&format!(" {text}"));
        } else {
            line.push_str(&format!(" [{text}]"));
        }
    }
    line
}

/// The usage cells of the README's `## Commands` table (the first cell of each row, code
/// marks removed and `\|` unescaped).
fn readme_usages() -> Vec<String> {
    let readme = std::fs::read_to_string(xtask::root().join("README.md")).unwrap();
    let section = readme
        .split_once("\n## Commands\n")
        .expect("README.md has a ## Commands section")
        .1;
    let section = section.split("\n#").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `cargo xtask "))
        .map(|rest| {
            let cell = first_cell(rest);
            format!("cargo xtask {}", cell.trim().trim_end_matches('`'))
        })
        .collect()
}

/// The text of a table row up to its first unescaped `|`, with `\|` read as `|`.
fn first_cell(row: &str) -> String {
    let mut cell = String::new();
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('|') => cell.push('|'),
                Some(other) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => break,
            c => cell.push(c),
        }
    }
    cell
}

/// The subcommands `cargo xtask --help` lists.
fn visible_subcommands() -> Vec<clap::Command> {
    Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .cloned()
        .collect()
}

#[test]
fn the_clap_definitions_are_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn the_readme_command_table_matches_the_clap_definitions() {
    let rows = readme_usages();
    let commands = visible_subcommands();
    let name_of = |usage: &str| {
        usage
            .strip_prefix("cargo xtask ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_default()
            .to_owned()
    };
    let mut problems = Vec::new();
    for command in &commands {
        let expected = usage(command);
        let found: Vec<&String> = rows
            .iter()
            .filter(|row| name_of(row) == command.get_name())
            .collect();
        match found.as_slice() {
            [] => problems.push(format!(
                "no row for `{}`; add `{expected}`",
                command.get_name()
            )),
            [row] if **row == expected => {}
            [row] => problems.push(format!("`{row}` should read `{expected}`")),
            _ => problems.push(format!("{} rows for `{}`", found.len(), command.get_name())),
        }
    }
    for row in &rows {
        if !commands.iter().any(|c| c.get_name() == name_of(row)) {
            problems.push(format!(
                "`{row}` names no command `cargo xtask --help` lists"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "README.md's command table disagrees with the clap definitions (xtask/src/cli.rs):\n{}",
        problems.join("\n")
    );
}

#[test]
fn generate_and_check_without_options_cover_both_committed_crates() {
    for command in ["generate", "check"] {
        let cli = Cli::try_parse_from(["xtask", command]).unwrap();
        let target = match cli.command {
            Some(cli::Command::Generate(args)) => args.target,
            Some(cli::Command::Check(args)) => args.target,
            other => panic!("{command} parsed as {other:?}"),
        };
        let outs: Vec<_> = target.crates().into_iter().map(|(_, out)| out).collect();
        assert_eq!(
            outs,
            [
                xtask::root().join("generated-client"),
                xtask::root().join("tests/runtime-client")
            ]
        );
    }
}

#[test]
fn tags_are_comma_separated_trimmed_and_select_one_crate() {
    let cli = Cli::try_parse_from(["xtask", "generate", "--tags", "Billing, Usage,"]).unwrap();
    let Some(cli::Command::Generate(args)) = cli.command else {
        panic!("not generate");
    };
    let crates = args.target.crates();
    assert_eq!(crates.len(), 1);
    assert_eq!(
        crates[0].0.tags.as_deref(),
        Some(&["Billing".to_owned(), "Usage".to_owned()][..])
    );
    assert_eq!(crates[0].1, xtask::root().join("generated-client"));
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn help_exits_0_for_the_tool_and_every_command() {
    let top = xtask(&["--help"]);
    assert_eq!(top.status.code(), Some(0), "{top:?}");
    let text = String::from_utf8_lossy(&top.stdout);
    for command in visible_subcommands() {
        assert!(text.contains(command.get_name()), "{text}");
    }
    assert!(!text.contains("bench-one"), "bench-one is hidden: {text}");
    for command in Cli::command().get_subcommands() {
        let name = command.get_name();
        let out = xtask(&[name, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{name} --help: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("cargo xtask {name}")),
            "{name} --help shows no usage: {out:?}"
        );
    }
}

#[test]
fn usage_errors_exit_2_with_clap_messages() {
    for (args, message) in [
        (
            &["generate", "--bogus"][..],
            "unexpected argument '--bogus'",
        ),
        (&["bench", "--smoke", "x"], "unexpected argument 'x'"),
        (
            &["generate", "--spec"],
            "a value is required for '--spec <PATH>'",
        ),
        (
            &["diff", "a", "b", "--format", "xml"],
            "invalid value 'xml'",
        ),
        (&["bench", "--runs", "many"], "invalid value 'many'"),
        (&["bench", "--runs", "0"], "invalid value '0'"),
        (&["diff", "a"], "<NEW>"),
        (&["import-spec", "--tags", "Billing"], "--from <PATH>"),
        (
            &["features", "--only"],
            "a value is required for '--only <FEATURES>'",
        ),
        (&["frob"], "unrecognized subcommand 'frob'"),
        (
            &["diff", "a", "b", "--fail-on", "some"],
            "invalid value 'some'",
        ),
        (
            &["update-spec", "--fail-on", "some"],
            "invalid value 'some'",
        ),
        (
            &["update-spec", "--region", "mars-1"],
            "the regions are us-east-1, us-east-2,",
        ),
        (
            &["update-spec", "--from", "x.json", "--region", "eu-west-1"],
            "cannot be used with",
        ),
        (
            &["update-spec", "--from", "x.json", "--preview"],
            "cannot be used with",
        ),
    ] {
        let out = xtask(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn a_failed_command_exits_1_with_its_error_and_diff_2() {
    let missing = std::env::temp_dir().join(format!("xtask-cli-missing-{}", std::process::id()));
    let missing = missing.to_str().unwrap();
    let to = std::env::temp_dir().join(format!("xtask-cli-to-{}", std::process::id()));
    for (args, code) in [
        (
            vec![
                "import-spec",
                "--from",
                missing,
                "--to",
                to.to_str().unwrap(),
            ],
            1,
        ),
        (vec!["diff", missing, missing], 2),
        (vec!["update-spec", "--from", missing, "--spec", missing], 2),
    ] {
        let out = xtask(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(missing),
            "{args:?}: {stderr}"
        );
    }
    assert!(!to.exists(), "a failed import-spec wrote {}", to.display());
}
