//! `cargo run -p examples --example users -- --help`; see `examples/README.md`.
//! The program is [`examples::users::run`] on the process's arguments, environment, stdout
//! and stderr.

fn main() {
    examples::cli::main_with(|| async {
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr();
        examples::users::run(
            std::env::args_os(),
            &examples::cli::process_env,
            &mut out,
            &mut err,
        )
        .await
    })
}
