//! The command line: argument definitions and what each command does with the library.
//! Data goes to stdout (or `-o FILE`), messages to stderr.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use tipkg::export::{self, Format};
use tipkg::load::DataRoot;
use tipkg::store::KnowledgeGraph;

/// tipkg builds a sourced RDF knowledge graph of the work against trafficking in persons
/// from curated data files, and queries and exports it.
///
/// The curated data and the ontology are built into the binary; --data points at a data
/// directory of the same layout instead.
#[derive(Debug, Parser)]
#[command(name = "tipkg", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Read the data from this directory instead of the bundled data
    #[arg(long, global = true, value_name = "DIR", env = "TIPKG_DATA")]
    pub data: Option<PathBuf>,

    /// Print nothing on stderr but errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl GlobalArgs {
    fn root(&self) -> DataRoot {
        match &self.data {
            Some(dir) => DataRoot::Dir(dir.clone()),
            None => DataRoot::Bundled,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read, check, map and load the data, then summarise the graph on stderr
    ///
    /// Exits with 2 and lists every problem, with file, line and column, when the data
    /// has errors; nothing is written.
    Build,

    /// Write the graph in an RDF syntax
    ///
    /// Triple formats (turtle, ntriples) get the union of all named graphs; quad formats
    /// (nquads, trig) keep one named graph per source. Output is sorted, so the same graph
    /// always gives the same bytes.
    Export(ExportArgs),

    /// Run a SPARQL query on the graph
    ///
    /// The default graph of the query is the union of all named graphs; use GRAPH ?g to
    /// see which source said what. ASK queries exit with 0 when true and 1 when false.
    Query(QueryArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The RDF syntax to write
    #[arg(short, long, value_enum, default_value = "turtle")]
    pub format: Format,

    /// Write to this file (atomically: complete or not at all) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

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

/// What a command's outcome means for the exit code.
pub enum Outcome {
    Success,
    /// A negative answer: ASK was false, the data does not conform.
    Negative,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Build => build(&cli.global),
        Command::Export(args) => export(&cli.global, &args),
        Command::Query(args) => query(&cli.global, &args),
    }
}

fn load(global: &GlobalArgs) -> Result<KnowledgeGraph> {
    let (graph, diagnostics) = KnowledgeGraph::build(&global.root())?;
    if !global.quiet && !diagnostics.is_empty() {
        eprint!("{diagnostics}");
    }
    Ok(graph)
}

fn build(global: &GlobalArgs) -> Result<Outcome> {
    let graph = load(global)?;
    if global.quiet {
        return Ok(Outcome::Success);
    }
    let sizes = graph.graph_sizes()?;
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    table.set_header(["named graph", "triples"]);
    for (name, n) in &sizes {
        table.add_row([name.clone(), n.to_string()]);
    }
    table.add_row([
        "total".to_owned(),
        sizes.values().sum::<usize>().to_string(),
    ]);
    eprintln!("{table}\n");
    let mut classes = comfy_table::Table::new();
    classes.load_style(comfy_table::presets::NOTHING);
    classes.set_header(["class", "entities"]);
    for (class, n) in graph.class_counts()? {
        classes.add_row([shorten(&class), n.to_string()]);
    }
    eprintln!("{classes}");
    Ok(Outcome::Success)
}

/// `schema:Event` for `http://schema.org/Event`, with the known prefixes.
fn shorten(iri: &str) -> String {
    tipkg::vocab::PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map_or_else(
            || format!("<{iri}>"),
            |(p, ns)| format!("{p}:{}", &iri[ns.len()..]),
        )
}

fn export(global: &GlobalArgs, args: &ExportArgs) -> Result<Outcome> {
    let graph = load(global)?;
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

fn query(global: &GlobalArgs, args: &QueryArgs) -> Result<Outcome> {
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

/// Writes to stdout, or to a temporary file beside `path` that is renamed over it only when
/// complete, so that a failed run never leaves a partial file.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut file = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
            {
                let mut out = std::io::BufWriter::new(file.as_file_mut());
                write(&mut out)?;
                out.flush()?;
            }
            file.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}
