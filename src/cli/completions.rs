//! `tipkg completions SHELL` and `tipkg man`: a shell completion script and a roff man
//! page, both generated from the argument definitions, so that they never disagree with
//! `--help`.

use super::{Cli, Outcome, write_output};
use anyhow::{Result, bail};
use clap::{Args, Command, CommandFactory};
use clap_complete::Shell;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # Completions in this bash, then for every new one\n  source <(tipkg completions bash)\n  tipkg completions bash > ~/.local/share/bash-completion/completions/tipkg\n\n  # zsh, with fpath+=(~/.zfunc) in ~/.zshrc\n  tipkg completions zsh > ~/.zfunc/_tipkg\n\n  # fish\n  tipkg completions fish > ~/.config/fish/completions/tipkg.fish"
)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    // Into memory first: the generators panic when a write fails, and a reader that went
    // away (`tipkg completions bash | head`) must not make them.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut shown(Cli::command()), "tipkg", &mut script);
    write_output(None, |out| Ok(out.write_all(&script)?))?;
    Ok(Outcome::Success)
}

/// The command without its hidden subcommands, which the generators would offer too.
fn shown(command: Command) -> Command {
    Command::new("tipkg")
        .version(env!("CARGO_PKG_VERSION"))
        .args(command.get_arguments().cloned())
        .subcommands(
            command
                .get_subcommands()
                .filter(|sub| !sub.is_hide_set())
                .cloned(),
        )
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # Read the page of tipkg, then of tipkg query\n  tipkg man | man -l -\n  tipkg man query | man -l -\n\n  # Install the page of tipkg\n  tipkg man > ~/.local/share/man/man1/tipkg.1"
)]
pub struct ManArgs {
    /// Print the page of this command (tipkg-COMMAND(1)) instead of tipkg(1)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

pub fn man(args: &ManArgs) -> Result<Outcome> {
    let mut command = Cli::command();
    // Built, so that a command's page lists the global options too.
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let Some(sub) = command
                .get_subcommands()
                .find(|sub| sub.get_name() == name && !sub.is_hide_set())
            else {
                bail!("no command {name:?}; `tipkg --help` lists them");
            };
            sub.clone().display_name(format!("tipkg-{name}"))
        }
    };
    let page = clap_mangen::Man::new(page).source(concat!("tipkg ", env!("CARGO_PKG_VERSION")));
    write_output(None, |out| Ok(page.render(out)?))?;
    Ok(Outcome::Success)
}
