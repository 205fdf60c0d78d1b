//! `cargo run -p examples --example billing_export -- --help`; see `examples/README.md`.
//! The program is [`examples::billing_export::run`] on the process's arguments, environment, stdout
//! and stderr.

fn main() {
    examples::cli::main_with(|| async {
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr();
        examples::billing_export::run(
            std::env::args_os(),
            &examples::cli::process_env,
            &mut out,
            &mut err,
        )
        .await
    })
}
