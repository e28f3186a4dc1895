//! The library's error type: each variant carries what a user needs to act on it.

use crate::diagnostic::Diagnostics;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data has problems; every one of them is listed.
    #[error("{} problem(s) in the data:\n{diagnostics}", diagnostics.error_count())]
    Data { diagnostics: Diagnostics },
    #[error("cannot read data directory {}: {reason}", path.display())]
    DataDir { path: PathBuf, reason: String },
    /// A data file or source text that is not UTF-8, at its first bad byte.
    #[error(
        "{}:{line}:{column}: not UTF-8 text: data files and the sources' texts are UTF-8 plain text (convert the file, or keep it out of the data directory)",
        path.display()
    )]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file that cannot be read; the cause follows from `source()`, once.
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the bundled ontology does not parse: {0}")]
    Ontology(String),
    #[error("store: {0}")]
    Store(#[from] oxigraph::store::StorageError),
    #[error("{0}")]
    Query(String),
    #[error("{0}")]
    Usage(String),
    /// A query that does not parse, with the position of the problem.
    #[error("{query}:{line}:{column}: syntax error: {message}")]
    QuerySyntax {
        query: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "the query was stopped after {seconds} s (--timeout); narrow it down or give it more time"
    )]
    Timeout { seconds: f64 },
    /// A remote SPARQL endpoint failed or answered something unusable.
    #[error("endpoint {url}: {message}")]
    Endpoint { url: String, message: String },
    #[error("export: {0}")]
    Export(String),
    /// A shapes graph that cannot be used: it does not parse, or uses SHACL that the
    /// validator does not implement.
    #[error("shapes: {0}")]
    Shapes(String),
    /// An RDF file to validate that does not parse.
    #[error("{}: {message}", path.display())]
    Rdf { path: PathBuf, message: String },
    /// A triplestore or its transport failed; the message holds the server's own words.
    #[error("{url}: {message}")]
    Remote { url: String, message: String },
    /// A push stopped: what failed, and the state it left the store in.
    #[error("{failure}\n  {state}")]
    Push { failure: String, state: String },
    #[error(
        "the store {} is in use by another process{}; try again when it has finished, or use another --store directory",
        path.display(),
        if *writing { " (only one may write a store)" } else { " that is writing it" }
    )]
    StoreBusy { path: PathBuf, writing: bool },
    #[error(
        "no store at {p}: create one with `tipkg build --store {p}` or `tipkg import --store {p} FILE`",
        p = path.display()
    )]
    NoStore { path: PathBuf },
    #[error("cannot open the store {}: {reason}", path.display())]
    StoreOpen { path: PathBuf, reason: String },
    #[error("{}:{line}:{column}: {message}; nothing of this file was imported (--lenient skips bad statements)", path.display())]
    ImportSyntax {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{}: {reason}", path.display())]
    Import { path: PathBuf, reason: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
