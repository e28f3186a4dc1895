//! Importing RDF files into an on-disk store with Oxigraph's bulk loader.
//!
//! Each file is loaded atomically: its quads are staged by the bulk loader and committed
//! only when the whole file has parsed, so a syntax error leaves nothing of that file in
//! the store (unless the import is lenient, which skips bad statements and reports them).
//! Triples of a file's default graph go to a named graph: one named after the file (under
//! `https://w3id.org/tipkg/import/`), or the one asked for, so that every fact in the store
//! still says where it came from. Graphs under the tipkg graph namespace belong to `tipkg
//! build` and are refused.
//!
//! Importing a file again replaces what the graphs it writes held before the import, once
//! the file has parsed: the old content is removed, then the new committed. Files of one
//! import that write the same graph add to it, and `append` keeps what was there.

use crate::base::error::{Error, Result};
use crate::base::iri;
use crate::store::KnowledgeGraph;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// How to import: the syntax when the extension does not say it, the graph for
/// default-graph triples, whether to skip bad statements, and whether to add to the graphs
/// rather than replace them.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub format: Option<RdfFormat>,
    pub graph: Option<NamedNode>,
    pub lenient: bool,
    pub append: bool,
}

impl Options {
    /// Checks the options: `graph` may not name a graph that `tipkg build` owns.
    pub fn check(&self) -> Result<()> {
        match &self.graph {
            Some(target) if iri::is_built_graph(target.as_str()) => Err(Error::BuiltGraph {
                graph: target.to_string(),
                reason: built_graph_refusal(),
            }),
            _ => Ok(()),
        }
    }
}

/// A statement skipped by a lenient import.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// Its line and column (1-based), where the parser gives them: a statement that parses
    /// but is refused (a triple term) has none, and its message gives its number.
    pub position: Option<(u64, u64)>,
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
    /// Graphs whose earlier content this file replaced.
    pub replaced: Vec<NamedOrBlankNode>,
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

/// Why a graph that `tipkg build` owns is refused.
/// Why the `number`th statement of a file, whose object is an RDF 1.2 triple term, is
/// not stored: the store holds RDF 1.1 graphs, which every export syntax carries.
fn triple_term_refusal(triple: &Triple, number: u64) -> String {
    format!(
        "statement {number} has the RDF 1.2 triple term <<( {triple} )>> as its object, which \
         tipkg's store does not hold (JSON-LD 1.1, RDF/XML and RDF 1.1 stores cannot carry it): \
         state the triple itself, or give --lenient to skip such statements"
    )
}

fn built_graph_refusal() -> String {
    format!(
        "graphs under {} are written by `tipkg build`, which replaces them all; \
         import into another graph (the default is one named after the file, under {})",
        crate::base::vocab::GRAPH,
        iri::IMPORT_BASE
    )
}

/// Imports files into one store: the graphs each file writes replace what they held
/// before this import (unless `append`), and files of the same import add to each other.
pub struct Importer<'a> {
    graph: &'a KnowledgeGraph,
    options: Options,
    /// The graphs written so far by this import.
    written: HashSet<NamedOrBlankNode>,
}

impl<'a> Importer<'a> {
    /// An importer with checked options.
    pub fn new(graph: &'a KnowledgeGraph, options: Options) -> Result<Self> {
        options.check()?;
        Ok(Self {
            graph,
            options,
            written: HashSet::new(),
        })
    }

    /// Imports one file; `progress` is called with the number of quads read so far, every
    /// few thousand quads. Nothing of the file is written unless all of it parses (or is
    /// skipped, when lenient).
    pub fn import(&mut self, path: &Path, progress: &dyn Fn(u64)) -> Result<FileReport> {
        let options = &self.options;
        let (guessed, gzipped) = format_of(path);
        let format = options
            .format
            .or(guessed)
            .ok_or_else(|| Error::ImportSyntaxUnknown {
                path: path.to_owned(),
            })?;
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let target = match &options.graph {
            Some(g) => g.clone(),
            None => iri::import_graph(path).ok_or_else(|| Error::ImportUnnamed {
                path: path.to_owned(),
            })?,
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
        // The statements parsed, stored or not: a triple term is reported by its number.
        let mut statements = 0u64;
        let mut failure = None;
        // The graphs the file writes, to replace what they held; the last one seen is kept
        // apart, as consecutive quads are mostly in the same graph.
        let mut graphs = HashSet::new();
        if !format.supports_datasets() {
            // Even an empty file replaces its graph.
            graphs.insert(NamedOrBlankNode::from(target.clone()));
        }
        let mut last_graph: Option<GraphName> = None;
        let mut loader = self.graph.store().bulk_loader();
        let mut items = parser.for_reader(reader);
        // The first error (unless lenient) ends the stream; the quads staged so far are
        // dropped with the loader, uncommitted.
        let stream = std::iter::from_fn(|| {
            loop {
                match items.next()? {
                    Ok(quad) => {
                        statements += 1;
                        if let Term::Triple(triple) = &quad.object {
                            let message = triple_term_refusal(triple, statements);
                            if options.lenient {
                                skipped.push(Skipped {
                                    position: None,
                                    message,
                                });
                                continue;
                            }
                            failure = Some(Error::Import {
                                path: path.to_owned(),
                                reason: format!("{message}; nothing of this file was imported"),
                            });
                            return None;
                        }
                        if last_graph.as_ref() != Some(&quad.graph_name) {
                            let name = match &quad.graph_name {
                                GraphName::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
                                GraphName::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
                                GraphName::DefaultGraph => None,
                            };
                            if let Some(NamedOrBlankNode::NamedNode(n)) = &name
                                && iri::is_built_graph(n.as_str())
                            {
                                failure = Some(Error::Import {
                                    path: path.to_owned(),
                                    reason: format!(
                                        "names the graph {n}: {}; nothing of this file was imported",
                                        built_graph_refusal()
                                    ),
                                });
                                return None;
                            }
                            graphs.extend(name);
                            last_graph = Some(quad.graph_name.clone());
                        }
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
                                position: Some((line, column)),
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
        // The whole file has parsed: empty the graphs it writes that an earlier import
        // filled, then commit the new content over them.
        let mut replaced = Vec::new();
        if !options.append {
            let store = self.graph.store();
            for name in &graphs {
                if !self.written.contains(name) && store.contains_named_graph(name)? {
                    replaced.push(name.clone());
                }
            }
            if !replaced.is_empty() {
                replaced.sort_by_cached_key(ToString::to_string);
                let mut transaction = store.start_transaction()?;
                for name in &replaced {
                    transaction.remove_named_graph(name)?;
                }
                transaction.commit()?;
            }
        }
        loader.commit()?;
        self.written.extend(graphs);
        progress(quads);
        Ok(FileReport {
            path: path.to_owned(),
            format,
            graph: target,
            quads,
            skipped,
            replaced,
        })
    }
}

/// How often, in quads, the progress callback runs.
const PROGRESS_EVERY: u64 = 8192;
