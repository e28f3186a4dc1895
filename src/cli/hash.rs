//! `tipkg hash`: the SHA-256 of the graph's RDFC-1.0 canonical N-Quads.

use super::{GlobalArgs, Outcome, load, write_output};
use anyhow::Result;
use clap::Args;
use tipkg::export;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # The hash of every graph, then of the ontology alone\n  tipkg hash\n  tipkg hash --graph ontology"
)]
pub struct HashArgs {
    /// The graphs to hash (repeatable, or comma-separated): all, default, data (every
    /// source's graph), ontology, dataset, a source's slug, or a graph's IRI
    #[arg(short, long, value_name = "GRAPH", default_value = "all")]
    pub graph: Vec<String>,
}

pub fn run(global: &GlobalArgs, args: &HashArgs) -> Result<Outcome> {
    let graph = load(global)?;
    let selection = super::export::selection(&args.graph, &graph)?;
    let hash = export::hash(&graph, &selection)?;
    write_output(None, |out| Ok(writeln!(out, "{hash}")?))?;
    Ok(Outcome::Success)
}
