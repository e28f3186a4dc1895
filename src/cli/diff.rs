//! `tipkg diff`: what changed between two versions of the data, by entity and by source.
//! Each side is a data directory, an on-disk store, an RDF file, or a git revision of the
//! data (read with `git archive` into a temporary directory).

use super::{Outcome, write_output};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use oxigraph::io::RdfParser;
use std::path::{Path, PathBuf};
use std::process::Command;
use tipkg::model::load::DataRoot;
use tipkg::store::KnowledgeGraph;
use tipkg::view::diff;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when nothing changed, 1 when something did, 2 on error (like diff).\n\nExamples:\n  # What the last commit changed in data/, for a review\n  tipkg diff HEAD~1 data --format markdown\n  # Between two data directories\n  tipkg diff old/data new/data"
)]
pub struct DiffArgs {
    /// The old version: a data directory, an on-disk store, an RDF file, or a git revision
    /// (REV reads data/ at that revision; REV:PATH another folder)
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The new version, in the same forms
    #[arg(value_name = "NEW")]
    pub new: String,

    /// How to write the changes
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// By entity and source, for a terminal
    Text,
    /// Headings per entity, for a review or a release's notes
    Markdown,
    /// The changes as JSON
    Json,
}

pub fn run(args: &DiffArgs) -> Result<Outcome> {
    let old = open(&args.old)?;
    let new = open(&args.new)?;
    let changes = diff::diff(&old, &new)?;
    write_output(None, |out| {
        match args.format {
            DiffFormat::Text => out.write_all(diff::text(&changes).as_bytes())?,
            DiffFormat::Markdown => out.write_all(diff::markdown(&changes).as_bytes())?,
            DiffFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &changes)?;
                writeln!(out)?;
            }
        }
        Ok(())
    })?;
    Ok(if changes.is_empty() {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

/// The graph one side names.
fn open(side: &str) -> Result<KnowledgeGraph> {
    let path = Path::new(side);
    if path.is_dir() {
        if path.join("CURRENT").is_file() {
            return Ok(KnowledgeGraph::open_read_only(path)?);
        }
        return data(path);
    }
    if path.is_file() {
        return rdf_file(path);
    }
    let (revision, folder) = side.split_once(':').unwrap_or((side, "data"));
    if !is_revision(revision) {
        bail!(
            "{side}: no such directory or file, and not a git revision here; give a data directory, an on-disk store, an RDF file, or a revision such as HEAD~1"
        );
    }
    let checkout = tempfile::tempdir().context("cannot make a temporary directory")?;
    archive(revision, folder, checkout.path())?;
    data(&checkout.path().join(folder))
}

fn data(dir: &Path) -> Result<KnowledgeGraph> {
    let quads = tipkg::mapping::build_quads(&DataRoot::Dir(dir.to_owned()))?;
    Ok(KnowledgeGraph::from_quads(quads)?)
}

fn rdf_file(path: &Path) -> Result<KnowledgeGraph> {
    let (format, gzip) = tipkg::store::import::format_of(path);
    let format = format.with_context(|| {
        format!(
            "{}: not a known RDF file extension (.ttl, .nt, .nq, .trig, .rdf, .jsonld)",
            path.display()
        )
    })?;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = if gzip {
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
            .with_context(|| format!("{}: not gzip", path.display()))?;
        text
    } else {
        bytes
    };
    let mut quads = Vec::new();
    for quad in RdfParser::from_format(format).for_slice(&bytes) {
        quads.push(quad.with_context(|| format!("{}", path.display()))?);
    }
    Ok(KnowledgeGraph::from_quads(quads)?)
}

fn is_revision(revision: &str) -> bool {
    !revision.starts_with('-')
        && Command::new("git")
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{revision}^{{commit}}"))
            .output()
            .is_ok_and(|o| o.status.success())
}

/// Writes `folder` of the repository at `revision` under `into`, with `git archive`.
fn archive(revision: &str, folder: &str, into: &Path) -> Result<()> {
    let top = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .context("cannot run git")?;
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let tar = into.join("data.tar");
    let output = Command::new("git")
        .current_dir(&top)
        .args(["archive", "--format=tar", "-o"])
        .arg(&tar)
        .arg(revision)
        .arg("--")
        .arg(folder)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git archive {revision} {folder}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let output = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(into)
        .output()
        .context("cannot run tar")?;
    if !output.status.success() {
        bail!("tar: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}
