//! `tipkg ingest`: a draft of new data from documents, for a curator to review.

use super::{GlobalArgs, Outcome, write_output};
use anyhow::{Context, Result, bail};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use tipkg::base::diagnostic::Diagnostics;
use tipkg::ingest::{self, Format, Given, Names, draft};
use tipkg::model::Place;
use tipkg::model::load;
use tipkg::model::schema::directive;
use tipkg::store::KnowledgeGraph;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The documents to read: plain text, HTML (.html, .htm) or Markdown (.md)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The document's address, where the document does not give it
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// The publisher: an organisation's id or a name the graph knows
    #[arg(long, value_name = "ORG")]
    pub publisher: Option<String>,

    /// The publication date (YYYY, YYYY-MM or YYYY-MM-DD), where the document does not give it
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,

    /// The day the document was retrieved, YYYY-MM-DD (default: today)
    #[arg(long, value_name = "DATE")]
    pub retrieved: Option<String>,

    /// The source's id (default: made of the publisher, the month and the title's words)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// Write the draft (source record and records) to this file, and the text beside it
    #[arg(short, long, value_name = "DRAFT.toml", conflicts_with = "into")]
    pub output: Option<PathBuf>,

    /// Write into a data directory: sources/ID.toml, sources/ID.txt and ID.toml; an
    /// existing file is never overwritten
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
}

fn check_date(date: &str, option: &str) -> Result<()> {
    let ok = matches!(date.len(), 4 | 7 | 10)
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !ok {
        bail!("{option} {date:?} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
    }
    Ok(())
}

pub fn run(global: &GlobalArgs, args: &IngestArgs) -> Result<Outcome> {
    if args.files.len() > 1 && args.into.is_none() {
        bail!(
            "several documents make several drafts: give --into DIR to write them into a data directory"
        );
    }
    if let Some(date) = &args.published {
        check_date(date, "--published")?;
    }
    if let Some(date) = &args.retrieved {
        check_date(date, "--retrieved")?;
        if date.len() != 10 {
            bail!("--retrieved {date:?} is not a day: write YYYY-MM-DD");
        }
    }
    // The names come from the store's labels with --store, else from the data's records.
    let names = match super::store_to_read(global)? {
        Some(dir) => Names::from_store(&KnowledgeGraph::open_read_only(dir)?)?,
        None => {
            let files = load::read(&global.root())?;
            let mut diagnostics = Diagnostics::default();
            Names::from_records(&load::parse(files, &mut diagnostics))
        }
    };
    if !global.quiet {
        eprintln!(
            "matching {} names of the graph and of countries",
            names.len()
        );
    }
    for file in &args.files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let Ok(input) = String::from_utf8(bytes.clone()) else {
            if bytes.starts_with(b"%PDF") {
                bail!(
                    "{}: PDF is not read: extract its text first (e.g. `pdftotext -layout FILE`) and ingest the text",
                    file.display()
                );
            }
            bail!(
                "{}: not UTF-8 text: convert it to UTF-8 first (e.g. `iconv -t UTF-8`)",
                file.display()
            );
        };
        let Some(format) = Format::detect(&name, &input) else {
            bail!(
                "{}: PDF is not read: extract its text first (e.g. `pdftotext -layout FILE`) and ingest the text",
                file.display()
            );
        };
        let document = ingest::text::read(format, &input);
        if document.text.trim().is_empty() {
            bail!("{}: no text found in the document", file.display());
        }
        let given = Given {
            url: args.url.clone(),
            publisher: args.publisher.clone(),
            published: args.published.clone(),
            retrieved: args.retrieved.clone().unwrap_or_else(ingest::today),
            file_name: name,
        };
        let mut d = ingest::ingest(document, &names, given);
        if let Some(id) = &args.id {
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                bail!("--id {id:?}: an id is lower-case letters, digits and dashes");
            }
            d.id.clone_from(id);
        }
        let source = draft::source_toml(&d);
        let records = draft::records_toml(&d);
        let text = d.document.text.clone();
        if let Some(dir) = &args.into {
            write_new(
                dir,
                &[
                    // The data's files name their JSON Schema, for editors.
                    (
                        format!("sources/{}.toml", d.id),
                        format!("{}\n{source}", directive(Place::SourceFile)),
                    ),
                    (format!("sources/{}.txt", d.id), text),
                    (
                        format!("{}.toml", d.id),
                        format!("{}\n{records}", directive(Place::DataFile)),
                    ),
                ],
            )?;
        } else if let Some(out) = &args.output {
            let beside = out
                .parent()
                .unwrap_or(Path::new(""))
                .join(format!("{}.txt", d.id));
            write_output(Some(out), |w| {
                write!(w, "{source}\n{records}")?;
                Ok(())
            })?;
            write_output(Some(&beside), |w| {
                w.write_all(text.as_bytes())?;
                Ok(())
            })?;
        } else {
            write_output(None, |w| {
                write!(w, "{source}\n{records}")?;
                Ok(())
            })?;
        }
        if !global.quiet {
            eprint!("{}", draft::summary(&d));
        }
    }
    Ok(Outcome::Success)
}

/// Writes new files into a directory, each whole or not at all, refusing any that exists.
fn write_new(dir: &Path, files: &[(String, String)]) -> Result<()> {
    for (relative, _) in files {
        let path = dir.join(relative);
        if path.exists() {
            bail!(
                "{} exists: ingest writes new files only; move it away or choose another --into directory",
                path.display()
            );
        }
    }
    for (relative, content) in files {
        let path = dir.join(relative);
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(parent)
            .with_context(|| format!("cannot write in {}", parent.display()))?;
        tmp.write_all(content.as_bytes())?;
        tmp.persist_noclobber(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
