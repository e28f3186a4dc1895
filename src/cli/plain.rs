//! `tipkg export --format json` and `--format csv`: every entity in the plain forms of
//! `tipkg show`, for web pages, spreadsheets and data frames.
//!
//! JSON is one array of entity descriptions (the objects `tipkg show --format json`
//! prints), sorted by IRI; the parts of entities (amounts, participations) are inside their
//! entities' facts. CSV is one table per kind (`org.csv`, `event.csv`, …) into the
//! directory `-o` names, or one kind's table (`--class KIND`) on stdout or in `-o FILE`.

use super::export::ExportArgs;
use super::{GlobalArgs, Outcome, load, write_output};
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use clap::builder::PossibleValue;
use std::path::Path;
use std::sync::LazyLock;
use tipkg::export::Format;
use tipkg::view::{self, table};

/// What `export` writes: an RDF syntax, or a plain form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Rdf(Format),
    Json,
    Csv,
}

impl ValueEnum for ExportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        static VARIANTS: LazyLock<Vec<ExportFormat>> = LazyLock::new(|| {
            let mut variants: Vec<ExportFormat> =
                Format::ALL.into_iter().map(ExportFormat::Rdf).collect();
            variants.extend([ExportFormat::Json, ExportFormat::Csv]);
            variants
        });
        VARIANTS.as_slice()
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        match self {
            Self::Rdf(format) => {
                let value = PossibleValue::new(format.name());
                Some(match super::values::format(*format) {
                    Some(help) => value.help(help),
                    None => value,
                })
            }
            Self::Json => Some(PossibleValue::new("json").help(
                "Plain JSON: an array of every entity's description, as `tipkg show` gives it",
            )),
            Self::Csv => {
                Some(PossibleValue::new("csv").help(
                    "CSV: a table per kind into the directory -o names (or --class KIND alone)",
                ))
            }
        }
    }
}

impl ExportFormat {
    /// The format a file name's extension names.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            _ => Format::from_path(path).map(Self::Rdf),
        }
    }
}

pub fn run(global: &GlobalArgs, args: &ExportArgs, format: ExportFormat) -> Result<Outcome> {
    let name = match format {
        ExportFormat::Json => "json",
        ExportFormat::Csv => "csv",
        ExportFormat::Rdf(format) => format.name(),
    };
    if args.graph.iter().any(|g| g != "all") {
        bail!(
            "--graph applies to the RDF formats; --format {name} describes every entity from every graph"
        );
    }
    if args.jsonld_frame.is_some() || args.stream {
        bail!("--jsonld-frame and --stream apply to RDF formats, not to --format {name}");
    }
    if args.class.is_some() && format != ExportFormat::Csv {
        bail!("--class applies to --format csv only");
    }
    let graph = load(global)?;
    match format {
        ExportFormat::Json => {
            let descriptions = view::describe_all(&graph)?;
            write_output(args.output.as_deref(), |out| {
                serde_json::to_writer_pretty(&mut *out, &descriptions)?;
                Ok(writeln!(out)?)
            })?;
        }
        ExportFormat::Csv => csv(global, args, &graph)?,
        ExportFormat::Rdf(_) => unreachable!("RDF formats are exported by `export`"),
    }
    Ok(Outcome::Success)
}

fn csv(global: &GlobalArgs, args: &ExportArgs, graph: &tipkg::store::KnowledgeGraph) -> Result<()> {
    let tables = table::tables(graph)?;
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    if let Some(class) = &args.class {
        let Some(table) = tables.iter().find(|t| t.kind == *class) else {
            let kinds: Vec<&str> = tables.iter().map(|t| t.kind.as_str()).collect();
            let hint = tipkg::base::diagnostic::closest(class, kinds.iter().copied())
                .map_or(String::new(), |c| format!(" (did you mean {c}?)"));
            bail!(
                "--class {class}: no thing of that kind in the graph{hint}; the kinds are: {}",
                kinds.join(", ")
            );
        };
        write_output(args.output.as_deref(), |out| {
            Ok(table::write_csv(table, out)?)
        })?;
        return Ok(());
    }
    let Some(dir) = output else {
        bail!(
            "--format csv writes a file per kind into a directory: give -o DIR, or --class KIND for one kind's table on stdout"
        );
    };
    if dir.exists() && !dir.is_dir() {
        bail!(
            "{} is not a directory: --format csv writes a file per kind into the directory -o names (--class KIND writes one kind's table into a file)",
            dir.display()
        );
    }
    if !dir.exists() && dir.extension().is_some_and(|e| e == "csv") {
        bail!(
            "{} names a file: without --class, --format csv writes a file per kind into a directory; give --class KIND for one table",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for table in &tables {
        let path = dir.join(format!("{}.csv", table.kind));
        write_output(Some(&path), |out| Ok(table::write_csv(table, out)?))?;
    }
    if !global.quiet {
        eprintln!(
            "{} tables written into {}: {}",
            tables.len(),
            dir.display(),
            tables
                .iter()
                .map(|t| format!("{}.csv ({} rows)", t.kind, t.rows.len()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}
