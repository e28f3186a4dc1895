//! `tipkg export`: the graph in an RDF syntax, on stdout or atomically in a file.

use super::{GlobalArgs, Outcome, load, write_output};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use tipkg::export::{self, Format};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The RDF syntax to write
    #[arg(short, long, value_enum, default_value = "turtle")]
    pub format: Format,

    /// Write to this file (atomically: complete or not at all) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, args: &ExportArgs) -> Result<Outcome> {
    let graph = load(global)?;
    if graph.is_on_disk() && matches!(args.format, Format::Ntriples | Format::Nquads) {
        // A store may be far larger than memory: stream it in store order.
        write_output(args.output.as_deref(), |out| {
            Ok(tipkg::dump::write(
                &graph,
                args.format == Format::Nquads,
                out,
            )?)
        })?;
        return Ok(Outcome::Success);
    }
    let quads = graph.sorted_quads()?;
    if !args.format.is_quad_format() && !global.quiet {
        eprintln!(
            "note: {} named graphs merged into one graph for {:?}; use nquads or trig to keep them",
            graph.graph_names()?.len(),
            args.format
        );
    }
    write_output(args.output.as_deref(), |out| {
        Ok(export::write(&quads, args.format, out)?)
    })?;
    Ok(Outcome::Success)
}
