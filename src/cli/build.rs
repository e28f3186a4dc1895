//! `tipkg build`: check, validate and load the data, and summarise the graph on stderr.

use super::validate::{ReportFormat, write_report};
use super::{GlobalArgs, Outcome};
use anyhow::{Result, bail};
use clap::Args;
use oxigraph::model::Quad;
use tipkg::store::KnowledgeGraph;
use tipkg::validate::{self, Severity, ShapesGraph};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # Check the bundled data and summarise the graph\n  tipkg build\n\n  # Build a data directory into an on-disk store\n  tipkg build --data ./data --store kg"
)]
pub struct BuildArgs {
    /// Do not validate the graph against the SHACL shapes before building it
    #[arg(long)]
    pub no_validate: bool,
}

pub fn run(global: &GlobalArgs, args: &BuildArgs) -> Result<Outcome> {
    let quads = if args.no_validate {
        tipkg::mapping::build_quads(&global.root())?
    } else {
        validated(global)?
    };
    let graph = match &global.store {
        Some(dir) => into_store(global, dir, quads)?,
        None => KnowledgeGraph::from_quads(quads)?,
    };
    if global.quiet {
        return Ok(Outcome::Success);
    }
    let sizes = graph.graph_sizes()?;
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    table.set_header(["named graph", "triples"]);
    for (name, n) in &sizes {
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
    for (class, n) in graph.class_counts()? {
        classes.add_row([tipkg::base::vocab::compact(&class), n.to_string()]);
    }
    eprintln!("{classes}");
    Ok(Outcome::Success)
}

/// Checks the data and validates its graph against the bundled shapes: the quads, only
/// when nothing is at the level of a violation; the report goes to stderr either way.
fn validated(global: &GlobalArgs) -> Result<Vec<Quad>> {
    let shapes = ShapesGraph::bundled()?;
    let outcome = validate::validate_data(&global.root(), &shapes)?;
    let Some(quads) = outcome.quads else {
        // The checks failed: the same messages as without validation.
        return Err(tipkg::Error::Data {
            diagnostics: outcome.diagnostics,
        }
        .into());
    };
    let report = outcome.report;
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
    Ok(quads)
}

/// `build --store DIR`: replaces what earlier builds wrote, keeps imported graphs.
fn into_store(
    global: &GlobalArgs,
    dir: &std::path::Path,
    quads: Vec<Quad>,
) -> Result<KnowledgeGraph> {
    let (graph, report) = KnowledgeGraph::load_into(dir, quads)?;
    if !global.quiet {
        eprintln!(
            "{}: replaced {} graph(s) of an earlier build, kept {} imported graph(s)\n",
            dir.display(),
            report.replaced.len(),
            report.kept.len()
        );
    }
    Ok(graph)
}
