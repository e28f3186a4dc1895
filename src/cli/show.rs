//! `tipkg show`: one entity's description, from the graph (built from the data, or an
//! on-disk store): as text for a terminal, plain JSON, or its facts as RDF.

use super::{GlobalArgs, Outcome, load, terminal_width, write_output};
use anyhow::{Result, bail};
use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use tipkg::export::Format;
use tipkg::view::{self, Describer};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # An organisation by kind and slug, by acronym, by name\n  tipkg show org/unicef\n  tipkg show UNICEF\n  tipkg show 'Disrupting Harm'\n\n  # The grant whose amount two sources state differently, with the editorial ranks\n  tipkg show grant/end-violence-fund-disrupting-harm\n\n  # Plain JSON for a web page, and the entity's facts as TriG, one block per source\n  tipkg show topic/child-trafficking --format json\n  tipkg show org/icat -o icat.trig\n\n  # From an on-disk store\n  tipkg build --store kg && tipkg show --store kg org/unicef"
)]
pub struct ShowArgs {
    /// The entity: KIND/SLUG (org/unicef, event/…, topic/child-trafficking), an IRI or a
    /// prefixed name as tipkg prints them (organisation:unicef), or a name, acronym or slug
    /// (UNICEF, "Disrupting Harm"), in any case
    #[arg(value_name = "ENTITY")]
    pub entity: String,

    /// Output format [default: from the extension of -o (.txt, .json, .ttl, .trig, .nq,
    /// .jsonld, …), else text]
    #[arg(short, long)]
    pub format: Option<ShowFormat>,

    /// Write to this file instead of stdout (- is stdout), complete or not at all
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Text: wrap lines at this many columns [default: the terminal's width, at most 100,
    /// on a terminal; else 80]
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub width: Option<u16>,
}

/// What `show` writes: text, plain JSON, or the entity's facts in an RDF syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowFormat {
    Text,
    Json,
    Rdf(Format),
}

impl ValueEnum for ShowFormat {
    fn value_variants<'a>() -> &'a [Self] {
        static VARIANTS: LazyLock<Vec<ShowFormat>> = LazyLock::new(|| {
            let mut variants = vec![ShowFormat::Text, ShowFormat::Json];
            variants.extend(Format::ALL.into_iter().map(ShowFormat::Rdf));
            variants
        });
        VARIANTS.as_slice()
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Self::Text => PossibleValue::new("text").help("Text for a terminal, by source"),
            Self::Json => PossibleValue::new("json")
                .help("Plain JSON: full IRIs, arrays, numbers, ISO dates, the source on each fact"),
            Self::Rdf(format) => {
                PossibleValue::new(format.name()).help(if format.is_quad_format() {
                    format!(
                        "{}: its facts in and out, in their named graphs",
                        format.title()
                    )
                } else {
                    format!("{}: its facts in and out, graphs merged", format.title())
                })
            }
        })
    }
}

impl ShowFormat {
    fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "json" => Some(Self::Json),
            "txt" | "text" => Some(Self::Text),
            _ => Format::from_path(path).map(Self::Rdf),
        }
    }
}

fn format(args: &ShowArgs) -> Result<ShowFormat> {
    if let Some(format) = args.format {
        return Ok(format);
    }
    match &args.output {
        Some(path) if path.as_os_str() != "-" => match ShowFormat::from_path(path) {
            Some(format) => Ok(format),
            None => bail!(
                "cannot tell the format from the name {}: use --format (text, json, turtle, trig, nquads, jsonld, …)",
                path.display()
            ),
        },
        _ => Ok(ShowFormat::Text),
    }
}

pub fn run(global: &GlobalArgs, args: &ShowArgs) -> Result<Outcome> {
    let format = format(args)?;
    if args.width.is_some() && format != ShowFormat::Text {
        bail!("--width applies to --format text only");
    }
    let graph = load(global)?;
    let entity = view::resolve(&graph, &args.entity)?;
    let mut describer = Describer::new(&graph);
    match format {
        ShowFormat::Text | ShowFormat::Json => {
            let description = describer.describe(entity.as_ref())?;
            let text = if format == ShowFormat::Json {
                let mut json = serde_json::to_string_pretty(&description)?;
                json.push('\n');
                json
            } else {
                let to_stdout = args.output.as_ref().is_none_or(|p| p.as_os_str() == "-");
                let width = match (args.width, to_stdout.then(terminal_width).flatten()) {
                    (Some(width), _) => width,
                    (None, Some(terminal)) => terminal.min(100),
                    (None, None) => 80,
                };
                view::text::render(&description, usize::from(width))
            };
            write_output(args.output.as_deref(), |out| {
                Ok(out.write_all(text.as_bytes())?)
            })?;
        }
        ShowFormat::Rdf(format) => {
            let quads = describer.quads(entity.as_ref())?;
            write_output(args.output.as_deref(), |out| {
                Ok(view::write_rdf(&quads, format, out)?)
            })?;
            let graphs: std::collections::BTreeSet<_> =
                quads.iter().map(|q| q.graph_name.to_string()).collect();
            if !format.is_quad_format() && graphs.len() > 1 && !global.quiet {
                eprintln!(
                    "note: the facts of {} named graphs merged into one graph for {}; use trig, nquads or jsonld to keep them",
                    graphs.len(),
                    format.title()
                );
            }
        }
    }
    Ok(Outcome::Success)
}
