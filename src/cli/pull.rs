//! `tipkg pull`: read one graph of an external triplestore as N-Triples, so that a push
//! can be checked by a round trip.

use super::push::{ConnectionArgs, count, progress_bar};
use super::{GlobalArgs, Outcome, write_output};
use anyhow::{Context, Result, bail};
use clap::Args;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::NamedNode;
use std::path::PathBuf;
use tipkg::publish::canon::canonical_triple;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # One graph back, as N-Triples in a file\n  tipkg pull --endpoint http://127.0.0.1:7878 --target oxigraph \\\n    --graph https://w3id.org/tipkg/graph/ror -o ror.nt"
)]
pub struct PullArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// The graph to read
    #[arg(long, value_name = "IRI")]
    pub graph: String,

    /// Write to this file (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write literals in canonical form (numbers, booleans, lower-case language tags), as
    /// some stores rewrite them on load
    #[arg(long)]
    pub canonical_literals: bool,
}

pub fn run(global: &GlobalArgs, args: &PullArgs) -> Result<Outcome> {
    let graph = NamedNode::new(&args.graph)
        .with_context(|| format!("--graph {:?} is not an IRI", args.graph))?;
    let publisher = args.connection.publisher(&progress_bar(true))?;
    let Some(mut triples) = publisher.pull(&graph)? else {
        bail!(
            "the store at {} has no graph {graph}",
            args.connection.endpoint
        );
    };
    if args.canonical_literals {
        triples = triples.iter().map(canonical_triple).collect();
    }
    triples.sort_by_cached_key(ToString::to_string);
    triples.dedup();
    write_output(args.output.as_deref(), |out| {
        let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(out);
        for triple in &triples {
            serializer.serialize_triple(triple)?;
        }
        serializer.finish()?;
        Ok(())
    })?;
    if !global.quiet {
        eprintln!("pulled {} of {graph}", count(triples.len(), "triple"));
    }
    Ok(Outcome::Success)
}
