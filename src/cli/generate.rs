//! `tipkg generate` (hidden): synthetic data of a chosen size, for the benchmarks.

use super::{GlobalArgs, Outcome, write_output};
use anyhow::{Result, bail};
use clap::Args;
use std::path::PathBuf;
use tipkg::export::{self, Format, GraphSelection};
use tipkg::model::load::DataRoot;
use tipkg::store::KnowledgeGraph;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The seed: the same seed and size give the same bytes
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// How many records to generate (rounded up to whole news items of 8 records)
    #[arg(long, default_value_t = 1000)]
    pub records: usize,

    /// `toml`: a data directory for --data; `ntriples`: the graph tipkg builds from it
    #[arg(short, long, value_enum, default_value = "toml")]
    pub format: GeneratedFormat,

    /// The directory (toml) or file (ntriples; default stdout) to write
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GeneratedFormat {
    Toml,
    Ntriples,
}

pub fn run(_global: &GlobalArgs, args: &GenerateArgs) -> Result<Outcome> {
    match args.format {
        GeneratedFormat::Toml => {
            let Some(dir) = &args.output else {
                bail!("generate --format toml needs -o DIR, the data directory to write");
            };
            tipkg::model::generate::write_data_dir(dir, args.seed, args.records)?;
        }
        GeneratedFormat::Ntriples => {
            let scratch = tempfile::tempdir()?;
            let dir = scratch.path().join("data");
            tipkg::model::generate::write_data_dir(&dir, args.seed, args.records)?;
            // The same N-Triples as `tipkg export --data DIR --format ntriples`.
            let graph =
                KnowledgeGraph::from_quads(tipkg::mapping::build_quads(&DataRoot::Dir(dir))?)?;
            let options = export::Options {
                format: Format::Ntriples,
                graphs: GraphSelection::All,
                jsonld_context: export::ContextMode::Embed,
                jsonld_frame: None,
                stream: false,
            };
            write_output(args.output.as_deref(), |out| {
                export::export(&graph, &options, out)?;
                Ok(())
            })?;
        }
    }
    Ok(Outcome::Success)
}
