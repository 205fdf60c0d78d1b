//! `cargo run -p examples --example presence_watch -- --help`; see `examples/README.md`.
//! The program is [`examples::presence_watch::run`] on the process's arguments, environment,
//! stdout and stderr.

fn main() {
    examples::cli::main_with(|| async {
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr();
        examples::presence_watch::run(
            std::env::args_os(),
            &examples::cli::process_env,
            &mut out,
            &mut err,
        )
        .await
    })
}
