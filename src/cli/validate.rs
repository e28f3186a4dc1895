//! `tipkg validate`: check the graph of a data directory, or RDF files, against the SHACL
//! shapes and the data checks, and report every finding.

use super::import::ImportFormat;
use super::{GlobalArgs, Outcome, write_output};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::io::Read as _;
use std::path::PathBuf;
use tipkg::validate::{self, Report, Severity, ShapesGraph};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # The bundled data against the bundled shapes\n  tipkg validate\n\n  # A data directory, failing on warnings too\n  tipkg validate --data ./data --fail-on warning\n\n  # RDF files against other shapes, as a JSON report\n  tipkg validate --file graph.ttl --shapes shapes.ttl --format json -o report.json\n\n  # An export of a store, through a pipe\n  tipkg export --store kg | tipkg validate --file -"
)]
pub struct ValidateArgs {
    /// Validate these RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD, by
    /// extension) instead of the graph of the data; `-` reads stdin (see --stdin-format)
    #[arg(long, value_name = "RDF_FILE", num_args = 1..)]
    pub file: Vec<PathBuf>,
    /// The RDF syntax of `--file -` (stdin), which has no extension to tell it; Turtle also
    /// reads N-Triples
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "turtle")]
    pub stdin_format: ImportFormat,
    /// Use these SHACL shapes instead of the bundled ontology/shapes.ttl
    #[arg(long, value_name = "FILE")]
    pub shapes: Option<PathBuf>,
    /// How to write the report on stdout
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// The least severity that makes the data fail (exit code 1)
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Violation)]
    pub fail_on: FailOn,
    /// Write the report to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people: findings grouped by entity, with labels, files and lines
    Text,
    /// A standard SHACL validation report (sh:ValidationReport) in Turtle
    Turtle,
    /// For scripts: one object per finding
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Violation,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Violation => Severity::Violation,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// The bundled shapes, or the file `--shapes` names.
pub fn shapes(path: Option<&PathBuf>) -> Result<ShapesGraph> {
    Ok(match path {
        Some(path) => ShapesGraph::from_file(path)?,
        None => ShapesGraph::bundled()?,
    })
}

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<Outcome> {
    // A data directory set by TIPKG_DATA does not stand in the way of --file; one given on
    // the command line does.
    let from_env = std::env::var_os("TIPKG_DATA").map(PathBuf::from);
    if !args.file.is_empty() && global.data.is_some() && global.data != from_env {
        bail!("--file and --data are exclusive: validate either RDF files or a data directory");
    }
    if super::given(&global.store, "TIPKG_STORE") {
        bail!(
            "validate checks a data directory (--data) or RDF files (--file), not a store (--store): export the store (`tipkg export --store DIR -o graph.ttl`) and validate the file"
        );
    }
    let shapes = shapes(args.shapes.as_ref())?;
    let report = if args.file.is_empty() {
        validate::validate_data(&global.root(), &shapes)?.report
    } else {
        let stdin = args.file.iter().filter(|f| f.as_os_str() == "-").count();
        if stdin > 1 {
            bail!("--file - (stdin) is given {stdin} times; it can be read once");
        }
        let documents = args
            .file
            .iter()
            .map(|file| {
                if file.as_os_str() != "-" {
                    return Ok(validate::Document::read(file)?);
                }
                let mut bytes = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .context("cannot read stdin")?;
                Ok(validate::Document {
                    name: PathBuf::from("stdin"),
                    bytes,
                    format: args.stdin_format.into(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        validate::validate_documents(&documents, &shapes)?
    };
    let fail_on = Severity::from(args.fail_on);
    write_output(args.output.as_deref(), |out| {
        write_report(&report, out, args.format, fail_on)
    })?;
    if !global.quiet && args.format != ReportFormat::Text {
        eprintln!("{}", report.summary(fail_on));
    }
    Ok(if report.conforms(fail_on) {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

pub fn write_report(
    report: &Report,
    out: &mut dyn std::io::Write,
    format: ReportFormat,
    fail_on: Severity,
) -> Result<()> {
    match format {
        ReportFormat::Text => report.write_text(out, fail_on)?,
        ReportFormat::Turtle => report.write_turtle(out)?,
        ReportFormat::Json => report.write_json(out, fail_on)?,
    }
    Ok(())
}
