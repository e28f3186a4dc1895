//! `tipkg build`: check and load the data, and summarise the graph on stderr.

use super::{GlobalArgs, Outcome, load};
use anyhow::Result;
use tipkg::store::KnowledgeGraph;

pub fn run(global: &GlobalArgs) -> Result<Outcome> {
    let graph = match &global.store {
        Some(dir) => build_into(global, dir)?,
        None => load(global)?,
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
            tipkg::vocab::compact(name.trim_matches(['<', '>'])),
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
        classes.add_row([tipkg::vocab::compact(&class), n.to_string()]);
    }
    eprintln!("{classes}");
    Ok(Outcome::Success)
}

/// `build --store DIR`: replaces what earlier builds wrote, keeps imported graphs.
fn build_into(global: &GlobalArgs, dir: &std::path::Path) -> Result<KnowledgeGraph> {
    let (graph, diagnostics, report) = KnowledgeGraph::build_into(dir, &global.root())?;
    if !global.quiet {
        if !diagnostics.is_empty() {
            eprint!("{diagnostics}");
        }
        eprintln!(
            "{}: replaced {} graph(s) of an earlier build, kept {} imported graph(s)\n",
            dir.display(),
            report.replaced.len(),
            report.kept.len()
        );
    }
    Ok(graph)
}
