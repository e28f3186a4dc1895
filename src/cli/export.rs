//! `tipkg export`: the graph in an RDF syntax, on stdout or atomically in a file.

use super::plain::ExportFormat;
use super::{GlobalArgs, Outcome, load, values, write_output};
use anyhow::{Result, bail};
use clap::Args;
use oxigraph::model::NamedOrBlankNode;
use std::path::PathBuf;
use tipkg::export::{self, ContextMode, Format, Frame, GraphSelection, Options};
use tipkg::store::KnowledgeGraph;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # The union of all graphs as Turtle\n  tipkg export > graph.ttl\n\n  # One named graph per source, as N-Quads (from the extension)\n  tipkg export -o graph.nq\n\n  # One source's graph, then two as N-Quads\n  tipkg export --graph ror --format ntriples\n  tipkg export --graph ror,wikidata --format nquads\n\n  # Every source's graph, without the ontology and the dataset's description\n  tipkg export --graph data -o data.nq\n\n  # JSON-LD that refers to its published context instead of embedding it\n  tipkg export --format jsonld --jsonld-context reference\n\n  # Every entity as plain JSON, and as CSV tables, one per kind\n  tipkg export --format json -o entities.json\n  tipkg export --format csv -o tables/\n  tipkg export --format csv --class org"
)]
pub struct ExportArgs {
    /// The RDF syntax to write, or a plain form (json, csv) [default: from the extension
    /// of -o, else turtle]
    #[arg(short, long, value_enum)]
    pub format: Option<ExportFormat>,

    /// Write to this file instead of stdout (- is stdout): a regular file is replaced
    /// atomically, complete or not at all, keeping its mode; a device or FIFO is written
    /// into; a symbolic link's target gets the data; a read-only file is refused
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The graphs to export (repeatable, or comma-separated): all, default, data (every
    /// source's graph: all but the default graph, the ontology and the dataset's
    /// description), ontology, dataset, a source's slug (one named graph), or a graph's IRI
    #[arg(short, long, value_name = "GRAPH", default_value = "all")]
    pub graph: Vec<String>,

    /// JSON-LD: put the context in the document, or refer to its published address
    #[arg(long, value_parser = values::named(values::context_mode), value_name = "HOW", default_value = "embed")]
    pub jsonld_context: ContextMode,

    /// JSON-LD: a framed form; `entity` writes one node per entity with its own parts
    /// (participations, amounts) nested inside it, over the merged graphs
    #[arg(long, value_parser = values::named(values::frame), value_name = "FRAME")]
    pub jsonld_frame: Option<Frame>,

    /// Turtle and TriG: write the triples in the store's order as they come, without
    /// sorting, in memory that does not grow with the graph (for large stores)
    #[arg(long)]
    pub stream: bool,

    /// CSV: write only the table of this kind of thing (org, event, project, topic, …), on
    /// stdout or in -o FILE
    #[arg(long, value_name = "KIND")]
    pub class: Option<String>,
}

/// The format asked for, or the one the output file's extension names.
fn format(args: &ExportArgs) -> Result<ExportFormat> {
    if let Some(format) = args.format {
        return Ok(format);
    }
    match &args.output {
        None => Ok(ExportFormat::Rdf(Format::Turtle)),
        Some(path) if path.as_os_str() == "-" => Ok(ExportFormat::Rdf(Format::Turtle)),
        Some(path) => match ExportFormat::from_path(path) {
            Some(format) => Ok(format),
            None => bail!(
                "cannot tell the format from the name {}: use --format (turtle, ntriples, nquads, trig, rdfxml, jsonld, canonical, json, csv)",
                path.display()
            ),
        },
    }
}

/// The graphs `--graph` names: each value, or each of its comma-separated parts, unless the
/// whole value is the IRI of a graph (an IRI may hold a comma).
pub fn selection(values: &[String], graph: &KnowledgeGraph) -> Result<GraphSelection> {
    let existing = graph.graph_names()?;
    let whole = |value: &str| {
        existing.iter().any(|name| match name {
            NamedOrBlankNode::NamedNode(name) => name.as_str() == value,
            NamedOrBlankNode::BlankNode(_) => false,
        })
    };
    let names: Vec<&str> = values
        .iter()
        .flat_map(|value| match whole(value) {
            true => vec![value.as_str()],
            false => value.split(',').map(str::trim).collect(),
        })
        .collect();
    Ok(GraphSelection::parse(&names, graph)?)
}

pub fn run(global: &GlobalArgs, args: &ExportArgs) -> Result<Outcome> {
    let format = match format(args)? {
        ExportFormat::Rdf(format) => format,
        plain => return super::plain::run(global, args, plain),
    };
    if args.class.is_some() {
        bail!("--class applies to --format csv only");
    }
    if args.jsonld_frame.is_some() && format != Format::Jsonld {
        bail!("--jsonld-frame applies to --format jsonld only");
    }
    if args.stream && !matches!(format, Format::Turtle | Format::Trig) {
        bail!(
            "--stream applies to turtle and trig; {} is always {}",
            format.name(),
            if matches!(format, Format::Ntriples | Format::Nquads) {
                "streamed"
            } else {
                "sorted"
            }
        );
    }
    // N-Quads, N-Triples, or streamed Turtle or TriG of every graph of a build: straight
    // from the mapped quads, no store needed.
    let every_graph = args.graph.iter().all(|g| g == "all");
    let streamed = matches!(format, Format::Nquads | Format::Ntriples)
        || (args.stream && matches!(format, Format::Turtle | Format::Trig));
    if every_graph && streamed {
        let source = super::source(global)?;
        if let super::Source::Built(quads) = &source {
            let summary = write_output(args.output.as_deref(), |out| {
                Ok(export::export_built(quads, format, args.stream, out)?)
            })?;
            // The process ends next and its memory goes back with it: freeing a large
            // build's terms one by one took a tenth of such an export.
            std::mem::forget(source);
            notes(global, format, &summary);
            return Ok(Outcome::Success);
        }
    }
    let graph = load(global)?;
    let options = Options {
        format,
        graphs: selection(&args.graph, &graph)?,
        jsonld_context: args.jsonld_context,
        jsonld_frame: args.jsonld_frame,
        stream: args.stream,
    };
    let summary = write_output(args.output.as_deref(), |out| {
        Ok(export::export(&graph, &options, out)?)
    })?;
    notes(global, format, &summary);
    Ok(Outcome::Success)
}

/// What the user should hear about an export: graphs merged, IRIs without a JSON-LD term.
fn notes(global: &GlobalArgs, format: Format, summary: &export::Summary) {
    if !global.quiet {
        if summary.merged_graphs > 1 {
            eprintln!(
                "note: {} named graphs merged into one graph for {}; use nquads, trig or jsonld to keep them",
                summary.merged_graphs,
                format.title()
            );
        }
        if !summary.missing_terms.is_empty() {
            eprintln!(
                "note: {} IRI(s) have no term in the JSON-LD context and are written in full: {}",
                summary.missing_terms.len(),
                summary
                    .missing_terms
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
}
