//! Importing RDF files into an on-disk store with Oxigraph's bulk loader.
//!
//! Each file is loaded atomically: its quads are staged by the bulk loader and committed
//! only when the whole file has parsed, so a syntax error leaves nothing of that file in
//! the store (unless the import is lenient, which skips bad statements and reports them).
//! Triples of a file's default graph go to a named graph: the file's own, or the one asked
//! for, so that every fact in the store still says where it came from.

use crate::error::{Error, Result};
use crate::iri;
use crate::store::KnowledgeGraph;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{NamedNode, Quad};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// How to import: the syntax when the extension does not say it, the graph for
/// default-graph triples, and whether to skip bad statements.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub format: Option<RdfFormat>,
    pub graph: Option<NamedNode>,
    pub lenient: bool,
}

/// A statement skipped by a lenient import.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// What the import of one file did.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub format: RdfFormat,
    /// The named graph that received the file's default-graph triples.
    pub graph: NamedNode,
    pub quads: u64,
    pub skipped: Vec<Skipped>,
}

/// The syntax of a file from its extension (before a `.gz`), and whether it is gzipped.
pub fn format_of(path: &Path) -> (Option<RdfFormat>, bool) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (name, gzipped) = match name.strip_suffix(".gz") {
        Some(rest) => (rest.to_owned(), true),
        None => (name, false),
    };
    let format = Path::new(&name)
        .extension()
        .and_then(|e| RdfFormat::from_extension(&e.to_string_lossy()));
    (format, gzipped)
}

/// Imports one file into `graph`'s store; `progress` is called with the number of quads
/// read so far, every few thousand quads.
pub fn import_file(
    graph: &KnowledgeGraph,
    path: &Path,
    options: &Options,
    progress: &dyn Fn(u64),
) -> Result<FileReport> {
    let (guessed, gzipped) = format_of(path);
    let format = options.format.or(guessed).ok_or_else(|| Error::Import {
        path: path.to_owned(),
        reason: "cannot tell the RDF syntax from the file name; say it with --format".into(),
    })?;
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let target = match &options.graph {
        Some(g) => g.clone(),
        None => iri::file_graph(path).map_err(io)?,
    };
    let file = File::open(path).map_err(io)?;
    let reader: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            1 << 16,
            file,
        )))
    } else {
        Box::new(file)
    };
    let parser = RdfParser::from_format(format)
        .with_default_graph(target.clone())
        .rename_blank_nodes();
    let mut skipped = Vec::new();
    let mut quads = 0u64;
    let mut failure = None;
    let mut loader = graph.store().bulk_loader();
    let mut items = parser.for_reader(reader);
    // The first error (unless lenient) ends the stream; the quads staged so far are
    // dropped with the loader, uncommitted.
    let stream = std::iter::from_fn(|| {
        loop {
            match items.next()? {
                Ok(quad) => {
                    quads += 1;
                    if quads.is_multiple_of(PROGRESS_EVERY) {
                        progress(quads);
                    }
                    return Some(Ok::<Quad, Error>(quad));
                }
                Err(RdfParseError::Syntax(error)) => {
                    let (line, column) = error
                        .location()
                        .map_or((0, 0), |l| (l.start.line + 1, l.start.column + 1));
                    // The parser's message repeats the position, which we give first.
                    let text = error.to_string();
                    let message = match text.split_once(": ") {
                        Some((position, rest)) if position.starts_with("Parser error at") => {
                            rest.to_owned()
                        }
                        _ => text,
                    };
                    if options.lenient {
                        skipped.push(Skipped {
                            line,
                            column,
                            message,
                        });
                        continue;
                    }
                    failure = Some(Error::ImportSyntax {
                        path: path.to_owned(),
                        line,
                        column,
                        message,
                    });
                    return None;
                }
                Err(RdfParseError::Io(source)) => {
                    failure = Some(Error::Io {
                        path: path.to_owned(),
                        source,
                    });
                    return None;
                }
            }
        }
    });
    loader.load_ok_quads::<_, Error>(stream)?;
    if let Some(error) = failure {
        return Err(error);
    }
    loader.commit()?;
    progress(quads);
    Ok(FileReport {
        path: path.to_owned(),
        format,
        graph: target,
        quads,
        skipped,
    })
}

/// How often, in quads, the progress callback runs.
const PROGRESS_EVERY: u64 = 8192;
