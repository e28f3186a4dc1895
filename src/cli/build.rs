//! `tipkg build`: check, validate and load the data, and summarise the graph on stderr (or
//! as JSON on stdout).

use super::validate::{ReportFormat, write_report};
use super::{GlobalArgs, Outcome, write_output};
use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use oxigraph::model::{NamedOrBlankNode, Quad};
use serde::Serialize;
use std::time::Instant;
use tipkg::mapping::origin::Origins;
use tipkg::store::{KnowledgeGraph, Summary as GraphSummary};
use tipkg::validate::{self, MappedData, Report, Severity, ShapesGraph};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # Check the bundled data and summarise the graph\n  tipkg build\n\n  # Build a data directory into an on-disk store\n  tipkg build --data ./data --store kg\n\n  # The summary as JSON, for scripts\n  tipkg build --format json | jq '.graphs[] | select(.triples > 100)'"
)]
pub struct BuildArgs {
    /// Do not validate the graph against the SHACL shapes before building it
    #[arg(long)]
    pub no_validate: bool,

    /// How to give the summary: a table on stderr, or JSON on stdout (the named graphs with
    /// their triples, the classes with their entities, the validation's counts, the time
    /// taken)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Tables of the graphs and classes, on stderr
    Text,
    /// One JSON object, on stdout
    Json,
}

/// The summary of a build, as `--format json` writes it.
#[derive(Serialize)]
struct Summary {
    /// Each named graph (its IRI) with its triples, in IRI order.
    graphs: Vec<GraphSize>,
    /// The triples of every graph.
    triples: usize,
    /// Each class (its IRI) with its distinct instances, in IRI order.
    classes: Vec<ClassSize>,
    /// What validation found; `null` with --no-validate.
    validation: Option<Validation>,
    /// With --store: the store and the graphs the build replaced and kept.
    store: Option<Store>,
    /// The time the build took, reading the data to writing the graph.
    seconds: f64,
}

#[derive(Serialize)]
struct GraphSize {
    graph: String,
    triples: usize,
}

#[derive(Serialize)]
struct ClassSize {
    class: String,
    entities: usize,
}

#[derive(Serialize)]
struct Validation {
    shapes: String,
    violations: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Store {
    path: String,
    replaced: Vec<String>,
    kept: Vec<String>,
}

/// A graph's name as text: its IRI, or a blank node's label.
fn graph_name(name: &NamedOrBlankNode) -> String {
    match name {
        NamedOrBlankNode::NamedNode(node) => node.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(node) => node.to_string(),
    }
}

pub fn run(global: &GlobalArgs, args: &BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    let (quads, origins) = if args.no_validate {
        (tipkg::mapping::build_quads(&global.root())?, None)
    } else {
        let mapped = mapped(global)?;
        (mapped.quads, Some(mapped.origins))
    };
    let validate = || match &origins {
        Some(origins) => validated(global, &quads, origins).map(Some),
        None => Ok(None),
    };
    // A build in memory loads no store: the summary is counted from the quads, and only
    // when it is shown.
    let shown = args.format == SummaryFormat::Json || !global.quiet;
    let (graph, store, report) = match &global.store {
        Some(dir) => {
            // The store is written while the graph is validated, and only kept if it
            // conforms.
            let (graph, built, report) = KnowledgeGraph::load_into_while(dir, &quads, validate)??;
            if !global.quiet {
                eprintln!(
                    "{}: replaced {} graph(s) of an earlier build, kept {} imported graph(s)\n",
                    dir.display(),
                    built.replaced.len(),
                    built.kept.len()
                );
            }
            let summary = if shown { Some(graph.summary()?) } else { None };
            (summary, Some((dir, built)), report)
        }
        None => {
            let report = validate()?;
            let summary = if shown {
                Some(GraphSummary::of_quads(&quads)?)
            } else {
                None
            };
            (summary, None, report)
        }
    };
    // The process ends after the summary and its memory goes back with it: freeing a large
    // build's terms one by one took a tenth of a build in memory, and 0.3 s of one into a
    // store.
    std::mem::forget((quads, origins));
    let Some(graph) = graph else {
        return Ok(Outcome::Success);
    };
    if args.format == SummaryFormat::Json {
        let sizes = &graph.graph_sizes;
        let summary = Summary {
            graphs: (sizes.iter())
                .map(|(name, n)| GraphSize {
                    graph: name.trim_matches(['<', '>']).to_owned(),
                    triples: *n,
                })
                .collect(),
            triples: sizes.values().sum(),
            classes: (graph.class_counts.into_iter())
                .map(|(class, entities)| ClassSize { class, entities })
                .collect(),
            validation: report.as_ref().map(|report| Validation {
                shapes: report.shapes.clone(),
                violations: report.count(Severity::Violation),
                warnings: report.count(Severity::Warning),
                infos: report.count(Severity::Info),
            }),
            store: store.as_ref().map(|(dir, report)| Store {
                path: dir.display().to_string(),
                replaced: report.replaced.iter().map(graph_name).collect(),
                kept: report.kept.iter().map(graph_name).collect(),
            }),
            seconds: started.elapsed().as_secs_f64(),
        };
        write_output(None, |out| {
            serde_json::to_writer_pretty(&mut *out, &summary)?;
            Ok(writeln!(out)?)
        })?;
        return Ok(Outcome::Success);
    }
    if global.quiet {
        return Ok(Outcome::Success);
    }
    let sizes = &graph.graph_sizes;
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    table.set_header(["named graph", "triples"]);
    for (name, n) in sizes {
        table.add_row([
            tipkg::base::vocab::compact(name.trim_matches(['<', '>'])),
            n.to_string(),
        ]);
    }
    table.add_row([
        "total".to_owned(),
        sizes.values().sum::<usize>().to_string(),
    ]);
    eprintln!("{table}\n");
    let mut classes = comfy_table::Table::new();
    classes.load_style(comfy_table::presets::NOTHING);
    classes.set_header(["class", "entities"]);
    for (class, n) in &graph.class_counts {
        classes.add_row([tipkg::base::vocab::compact(class), n.to_string()]);
    }
    eprintln!("{classes}");
    Ok(Outcome::Success)
}

/// The data's graph, read, checked and mapped, or the checks' messages as the error.
fn mapped(global: &GlobalArgs) -> Result<MappedData> {
    validate::map_data(&global.root())?.map_err(|diagnostics| {
        // The checks failed: the same messages as without validation.
        tipkg::Error::Data { diagnostics }.into()
    })
}

/// Validates the graph against the bundled shapes: the report, which goes to stderr, and
/// an error when anything is at the level of a violation.
fn validated(global: &GlobalArgs, quads: &[Quad], origins: &Origins) -> Result<Report> {
    let shapes = ShapesGraph::bundled()?;
    let report = validate::validate_quads(quads, &shapes, origins)?;
    let fail_on = Severity::Violation;
    if !report.conforms(fail_on) {
        let mut err = std::io::stderr().lock();
        write_report(&report, &mut err, ReportFormat::Text, fail_on)?;
        bail!(
            "the graph does not conform to {}: {} violation(s); nothing was built (see `tipkg validate`, or build with --no-validate)",
            report.shapes,
            report.count(Severity::Violation)
        );
    }
    if !global.quiet {
        if report.count(Severity::Warning) > 0 {
            let mut err = std::io::stderr().lock();
            write_report(&report, &mut err, ReportFormat::Text, fail_on)?;
        } else {
            eprintln!("{}\n", report.summary(fail_on));
        }
    }
    Ok(report)
}
