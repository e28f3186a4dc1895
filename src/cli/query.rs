//! `tipkg query`: SPARQL over the graph.

use super::{GlobalArgs, Outcome, load, write_output};
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The SPARQL query text
    pub sparql: String,

    /// The results format (SELECT and ASK); CONSTRUCT and DESCRIBE print N-Triples
    #[arg(long, value_enum, default_value = "tsv")]
    pub results: ResultsFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ResultsFormat {
    Json,
    Xml,
    Csv,
    Tsv,
}

pub fn run(global: &GlobalArgs, args: &QueryArgs) -> Result<Outcome> {
    use oxigraph::sparql::results::QueryResultsFormat;
    let graph = load(global)?;
    let format = match args.results {
        ResultsFormat::Json => QueryResultsFormat::Json,
        ResultsFormat::Xml => QueryResultsFormat::Xml,
        ResultsFormat::Csv => QueryResultsFormat::Csv,
        ResultsFormat::Tsv => QueryResultsFormat::Tsv,
    };
    let mut answer = None;
    write_output(None, |out| {
        answer = tipkg::query::run(&graph, &args.sparql, format, out)?;
        Ok(())
    })?;
    Ok(match answer {
        Some(false) => Outcome::Negative,
        _ => Outcome::Success,
    })
}
