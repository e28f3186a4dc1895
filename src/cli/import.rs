//! `tipkg import`: RDF files into the on-disk store, with a progress bar and a summary.

use super::{GlobalArgs, Outcome};
use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use std::path::PathBuf;
use std::time::Instant;
use tipkg::store::KnowledgeGraph;
use tipkg::store::import::{Importer, Options};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # A file into graph https://w3id.org/tipkg/import/news.nt\n  tipkg import --store kg news.nt.gz\n\n  # A file into a graph of your choice\n  tipkg import --store kg news.ttl --graph https://example.org/news\n\n  # Many files, skipping bad statements, adding to what their graphs hold\n  tipkg import --store kg --lenient --append crawl/*.nq\n\n  # Turtle from stdin\n  curl -s https://example.org/news.ttl | tipkg import --store kg --format turtle -"
)]
pub struct ImportArgs {
    /// The RDF files to load (`.gz` files are decompressed on the fly); `-` reads stdin,
    /// which needs --format and goes by default into https://w3id.org/tipkg/import/stdin
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The syntax of the files, when their extension does not say it (and of stdin)
    #[arg(short, long, value_enum)]
    pub format: Option<ImportFormat>,

    /// The named graph for the files' default-graph triples (default: one per file, named
    /// after the file: `news.nt.gz` goes into https://w3id.org/tipkg/import/news.nt); not
    /// a graph under https://w3id.org/tipkg/graph/, which `tipkg build` owns
    #[arg(short, long, value_name = "IRI")]
    pub graph: Option<String>,

    /// Skip statements that do not parse (each is reported) instead of rejecting the file
    #[arg(long)]
    pub lenient: bool,

    /// Add to the graphs the files write instead of replacing what they held
    #[arg(long)]
    pub append: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImportFormat {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    N3,
    Rdfxml,
    Jsonld,
}

impl ImportFormat {
    /// The file extension of the syntax.
    pub fn extension(self) -> &'static str {
        RdfFormat::from(self).file_extension()
    }
}

impl From<ImportFormat> for RdfFormat {
    fn from(format: ImportFormat) -> Self {
        match format {
            ImportFormat::Turtle => RdfFormat::Turtle,
            ImportFormat::Ntriples => RdfFormat::NTriples,
            ImportFormat::Nquads => RdfFormat::NQuads,
            ImportFormat::Trig => RdfFormat::TriG,
            ImportFormat::N3 => RdfFormat::N3,
            ImportFormat::Rdfxml => RdfFormat::RdfXml,
            ImportFormat::Jsonld => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        }
    }
}

/// What the importer opens for `-`: the process's stdin, through the file system, so that
/// stdin is read as any file is.
const STDIN: &str = "/dev/stdin";

/// How many skipped statements a lenient import lists before it only counts them.
const SKIPPED_SHOWN: usize = 10;

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> Result<Outcome> {
    let Some(dir) = &global.store else {
        bail!("import needs --store DIR: the on-disk store to load the files into");
    };
    let options = Options {
        format: args.format.map(RdfFormat::from),
        graph: args
            .graph
            .as_deref()
            .map(NamedNode::new)
            .transpose()
            .context("--graph is not a valid IRI")?,
        lenient: args.lenient,
        append: args.append,
    };
    options.check()?;
    let stdin = args.files.iter().filter(|f| f.as_os_str() == "-").count();
    if stdin > 1 {
        bail!("- (stdin) is given {stdin} times; it can be read once");
    }
    if stdin == 1 && args.format.is_none() {
        bail!("importing - (stdin) needs --format: stdin has no file name to tell the syntax");
    }
    let graph = KnowledgeGraph::open(dir)?;
    let mut importer = Importer::new(&graph, options)?;
    let bar = if global.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} {human_pos} quads ({per_sec}, {elapsed})")
            .expect("a valid template"),
    );
    let started = Instant::now();
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    table.set_header(["file", "default graph into", "quads", "skipped"]);
    let mut total = 0;
    let mut replaced = 0;
    for path in &args.files {
        let (path, name) = if path.as_os_str() == "-" {
            (std::path::Path::new(STDIN), "-".to_owned())
        } else {
            (path.as_path(), path.display().to_string())
        };
        bar.set_prefix(name.clone());
        bar.set_position(0);
        bar.reset_elapsed();
        let result = importer.import(path, &|n| bar.set_position(n));
        let report = match result {
            Ok(report) => report,
            Err(error) => {
                bar.finish_and_clear();
                if total > 0 && !global.quiet {
                    eprintln!("{table}");
                }
                return Err(error.into());
            }
        };
        if !global.quiet {
            for skipped in report.skipped.iter().take(SKIPPED_SHOWN) {
                let at = match skipped.position {
                    Some((line, column)) => format!("{}:{line}:{column}", report.path.display()),
                    None => report.path.display().to_string(),
                };
                bar.suspend(|| eprintln!("{at}: warning: skipped: {}", skipped.message));
            }
            if report.skipped.len() > SKIPPED_SHOWN {
                bar.suspend(|| {
                    eprintln!(
                        "{}: warning: {} more statement(s) skipped",
                        report.path.display(),
                        report.skipped.len() - SKIPPED_SHOWN
                    )
                });
            }
        }
        total += report.quads;
        replaced += report.replaced.len();
        table.add_row([
            name,
            tipkg::base::vocab::compact(report.graph.as_str()),
            report.quads.to_string(),
            report.skipped.len().to_string(),
        ]);
    }
    bar.finish_and_clear();
    graph.flush()?;
    if !global.quiet {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!("{table}\n");
        eprintln!(
            "imported {} quads from {} file(s) into {} in {seconds:.1} s ({}/s)",
            HumanCount(total),
            args.files.len(),
            dir.display(),
            HumanCount((total as f64 / seconds.max(1e-9)) as u64),
        );
        if replaced > 0 {
            eprintln!(
                "replaced the earlier content of {replaced} graph(s) (--append adds to it instead)"
            );
        }
    }
    Ok(Outcome::Success)
}
