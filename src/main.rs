//! The `tipkg` binary: parses arguments, runs the command, and decides the exit code in
//! one place: 0 success, 1 a negative answer (ASK false, data not conforming), 2 an error.
//! A reader that went away (`tipkg export | head`, EPIPE) is not an error: the command stops
//! quietly with 0, so that a pipeline under `set -o pipefail` does not fail for it.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(cli::Outcome::Success) => ExitCode::SUCCESS,
        Ok(cli::Outcome::Negative) => ExitCode::from(1),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            // Nothing to do when stderr is gone too: the exit code still says it.
            let mut stderr = std::io::stderr().lock();
            let _ = match error.downcast_ref::<tipkg::Error>() {
                Some(tipkg::Error::Data { diagnostics }) => writeln!(
                    stderr,
                    "{diagnostics}error: {} problem(s) in the data; nothing was written",
                    diagnostics.error_count()
                ),
                _ => writeln!(stderr, "error: {}", cli::render(error.as_ref())),
            };
            ExitCode::from(2)
        }
    }
}

/// A reader that stopped reading (`tipkg export | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || matches!(cause.downcast_ref::<tipkg::Error>(), Some(tipkg::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
