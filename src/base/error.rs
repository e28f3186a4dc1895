//! The library's error type: each variant carries what a user needs to act on it.

use crate::base::diagnostic::Diagnostics;
use std::path::PathBuf;

/// An error below one of tipkg's own: another crate's, kept as it is.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The library's errors. Each says what is wrong in the library's own terms; a program
/// that offers the library's work (the command line) may say how to fix it in its own
/// terms (its options), from the variant and its fields. An error caused by another keeps
/// it as its `source()`; where the message already says the cause's words (a transport
/// error described on one line, a parser's message without its position), the cause is
/// still kept, and a reader of the chain says each text once (see [`chain`]).
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
    #[error("the bundled ontology does not parse")]
    Ontology(#[source] oxigraph::io::RdfSyntaxError),
    #[error("store: {0}")]
    Store(#[from] oxigraph::store::StorageError),
    /// SPARQL text of tipkg's own that does not parse.
    #[error(transparent)]
    Sparql(#[from] spargebra::SparqlSyntaxError),
    /// The evaluator failed on a query, in its own words.
    #[error(transparent)]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    /// The evaluator stopped on a fault of its own (a panic), with its message.
    #[error("the SPARQL evaluator failed on this query ({message})")]
    EvaluatorFault { message: String },
    /// Input the library refuses, when no error of another kind caused the refusal.
    #[error("{0}")]
    Usage(String),
    /// A query that does not parse, with the position of the problem. The parser's list
    /// of what it expected is shown without its character classes (see `expected`).
    #[error("{query}:{line}:{column}: syntax error: {}", expected(message))]
    QuerySyntax {
        query: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// SPARQL given as a query that is an update.
    #[error(
        "{query}: this is a SPARQL update; only read-only queries (SELECT, CONSTRUCT, DESCRIBE, ASK) are run, updates are refused"
    )]
    Update { query: String },
    /// A name that is no bundled query's, with the closest one.
    #[error("no bundled query named \"{name}\"{}", closest.as_ref().map(|c| format!("; did you mean \"{c}\"?")).unwrap_or_default())]
    UnknownQuery {
        name: String,
        closest: Option<String>,
    },
    /// A parameter without a default that was not given.
    #[error("{query}: parameter \"{name}\" ({kind}) has no default: give it a value")]
    MissingParameter {
        query: String,
        name: String,
        kind: String,
    },
    /// A parameter's value that is not a term of the parameter's kind.
    #[error("{query}: parameter {name}={value}: {reason}")]
    Parameter {
        query: String,
        name: String,
        value: String,
        reason: String,
    },
    /// A parameter's value that could not be checked, because the target failed.
    #[error("{query}: parameter {name}={value}")]
    ParameterCheck {
        query: String,
        name: String,
        value: String,
        #[source]
        source: Box<Error>,
    },
    /// A query stopped when the time it was given was up.
    #[error("the query was stopped after {seconds} s; narrow it down or give it more time")]
    Timeout { seconds: f64 },
    /// An output format that cannot hold the answer of a query of this form.
    #[error("{}", wrong_format(format, form, ""))]
    WrongFormat {
        format: &'static str,
        form: &'static str,
    },
    /// A remote SPARQL endpoint failed or answered something unusable.
    #[error("endpoint {url}: {message}{}", advice.map(|a| a.to_string()).unwrap_or_default())]
    Endpoint {
        url: String,
        message: String,
        advice: Option<Advice>,
        #[source]
        source: Option<Cause>,
    },
    #[error("export: {message}")]
    Export {
        message: String,
        #[source]
        source: Option<Cause>,
    },
    /// A graph to export that is not in the graph, or not a graph's name.
    #[error("graph {given}: {reason}")]
    UnknownGraph {
        given: String,
        reason: String,
        #[source]
        source: Option<Cause>,
    },
    /// A shapes graph that does not parse.
    #[error("shapes")]
    ShapesGraph(#[source] Box<Error>),
    /// A shapes graph that cannot be used (it uses SHACL that the validator does not
    /// implement), or a validation that failed.
    #[error("shapes: {context}")]
    Shapes {
        context: String,
        #[source]
        source: Option<Cause>,
    },
    /// An RDF file that tipkg does not read, and why.
    #[error("{}: {message}", path.display())]
    Rdf { path: PathBuf, message: String },
    /// An RDF file that does not parse.
    #[error("{}", path.display())]
    RdfSyntax {
        path: PathBuf,
        #[source]
        source: oxigraph::io::RdfSyntaxError,
    },
    /// A triplestore or its transport failed; the message holds the server's own words,
    /// or the transport error's on one line.
    #[error("{url}: {message}{}", advice.map(|a| a.to_string()).unwrap_or_default())]
    Remote {
        url: String,
        message: String,
        advice: Option<Advice>,
        #[source]
        source: Option<Cause>,
    },
    /// A push stopped: what failed and why, and the state it left the store in.
    #[error("{}", push_text(failure, cause.as_deref().map(|c| chain(c)), state, *straight, cleanup.as_ref().map(ToString::to_string)))]
    Push {
        failure: String,
        #[source]
        cause: Option<Box<Error>>,
        state: String,
        /// The graphs were loaded straight into their targets, without staging graphs.
        straight: bool,
        /// What became of the staging graphs, said after the state.
        cleanup: Option<Cleanup>,
    },
    /// Another push holds the swap, for longer than a push should.
    #[error(
        "another push ({push}) has been swapping its graphs in for {seconds} s; if no push is running, remove its claim by cleaning up the staging graphs"
    )]
    SwapClaimed { push: String, seconds: u64 },
    /// A push with `INSERT DATA` of a graph with blank nodes.
    #[error(
        "{graph} has blank nodes, which INSERT DATA cannot carry safely: use the Graph Store Protocol"
    )]
    BlankNodesInUpdate { graph: String },
    /// A prefix for the graphs of a push that does not make IRIs.
    #[error("the graph prefix {prefix:?} makes an invalid IRI")]
    GraphPrefix {
        prefix: String,
        #[source]
        source: oxigraph::model::IriParseError,
    },
    /// A store whose kind has no known Graph Store Protocol endpoint.
    #[error("no Graph Store Protocol endpoint for target {target}")]
    NoGraphStore { target: &'static str },
    #[error("{text:?} is not a URL")]
    InvalidUrl {
        text: String,
        #[source]
        source: Cause,
    },
    #[error("{text:?} is not an http or https URL")]
    NotHttpUrl { text: String },
    /// A URL with a user or password in it, which would end up in logs.
    #[error("the URL holds credentials: remove them and give them apart")]
    UrlCredentials,
    /// Basic or digest authentication without a user name.
    #[error("{scheme} authentication needs a user")]
    NoUser { scheme: &'static str },
    #[error("cannot set up HTTP")]
    HttpSetup(#[source] Cause),
    #[error(
        "the store {} is in use by another process{}; try again when it has finished, or use another store",
        path.display(),
        if *writing { " (only one may write a store)" } else { " that is writing it" }
    )]
    StoreBusy { path: PathBuf, writing: bool },
    #[error("no store at {}", path.display())]
    NoStore { path: PathBuf },
    #[error("cannot open the store {}", path.display())]
    StoreOpen {
        path: PathBuf,
        #[source]
        source: oxigraph::store::StorageError,
    },
    #[error("{}:{line}:{column}: {message}; nothing of this file was imported", path.display())]
    ImportSyntax {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{}: {reason}", path.display())]
    Import { path: PathBuf, reason: String },
    /// A file to import whose name does not tell its RDF syntax.
    #[error("{}: cannot tell the RDF syntax from the file name", path.display())]
    ImportSyntaxUnknown { path: PathBuf },
    /// A file to import without a file name to name its graph after.
    #[error("{}: has no file name to name its graph after", path.display())]
    ImportUnnamed { path: PathBuf },
    /// A graph to import into that `build` owns.
    #[error("{graph}: {reason}")]
    BuiltGraph { graph: String, reason: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a user can do about a failed request; an interface may say it in its own terms
/// (the command line names its options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advice {
    /// The connection was refused or failed: is the store running, at this address?
    Unreachable,
    /// No answer came within this many seconds.
    NoAnswer { seconds: u64 },
    /// The answer stopped coming for this many seconds.
    Stalled { seconds: u64 },
    /// The server wants credentials, and none were given.
    Credentials,
    /// The server refused the credentials given.
    WrongCredentials,
    /// The URL does not answer as a SPARQL query endpoint.
    NotAnEndpoint,
}

impl std::fmt::Display for Advice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreachable => f.write_str(" (is the store running, at this address?)"),
            Self::NoAnswer { seconds } => write!(f, " (no answer within {seconds} s)"),
            Self::Stalled { seconds } => write!(f, " (nothing more came within {seconds} s)"),
            Self::Credentials => f.write_str(" (the server wants credentials)"),
            Self::WrongCredentials => f.write_str(
                " (check the user, the password and the authentication scheme; Virtuoso accepts only digest)",
            ),
            Self::NotAnEndpoint => f.write_str(
                " (is this a SPARQL query endpoint? give a store's base URL with its kind, or the full query URL)",
            ),
        }
    }
}

/// What became of a failed push's staging graphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cleanup {
    Dropped,
    /// These could not be dropped and are left in the store.
    Left(Vec<String>),
}

impl std::fmt::Display for Cleanup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Dropped => f.write_str("the staging graphs were dropped"),
            Self::Left(graphs) => write!(
                f,
                "staging graph(s) {} could not be dropped: remove them by cleaning up the staging graphs",
                graphs.join(", ")
            ),
        }
    }
}

/// A push's error as text: what failed and why, then the state of the store (with what
/// became of the staging graphs) on a line of its own.
pub fn push_text(
    failure: &str,
    cause: Option<String>,
    state: &str,
    straight: bool,
    cleanup: Option<String>,
) -> String {
    let mut text = failure.to_owned();
    if let Some(cause) = cause {
        text.push_str(": ");
        text.push_str(&cause);
    }
    text.push_str("\n  ");
    if straight {
        text.push_str("loaded without staging: ");
    }
    text.push_str(state);
    if let Some(cleanup) = cleanup {
        text.push_str("; ");
        text.push_str(&cleanup);
    }
    text
}

/// The message of [`Error::WrongFormat`], `flag` naming where the format was chosen.
pub fn wrong_format(format: &str, form: &str, flag: &str) -> String {
    if matches!(form, "CONSTRUCT" | "DESCRIBE") {
        format!(
            "{flag}{format} is for SELECT and ASK; a {form} query gives a graph: use turtle, ntriples, nquads or trig"
        )
    } else {
        format!(
            "{flag}{format} is for CONSTRUCT and DESCRIBE; a {form} query gives results: use table, csv, tsv, json or xml"
        )
    }
}

/// An error and its causes on one line, `: ` between them, each text said once: a cause
/// whose text is already part of what was said is left out, and so is one that only wraps
/// causes already said (a transport error whose parts the message describes). `text`
/// gives each error's text, so that an interface can say some in its own terms.
pub fn chain_with(
    error: &(dyn std::error::Error + 'static),
    text: &dyn Fn(&(dyn std::error::Error + 'static)) -> String,
) -> String {
    let mut causes: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(cause) = next {
        causes.push(text(cause));
        next = cause.source();
    }
    let mut said = String::new();
    for (i, cause) in causes.iter().enumerate() {
        let below = &causes[i + 1..];
        let wraps_said = !below.is_empty() && below.iter().all(|b| said.contains(b.as_str()));
        if cause.is_empty() || said.contains(cause.as_str()) || (i > 0 && wraps_said) {
            continue;
        }
        if !said.is_empty() {
            said.push_str(": ");
        }
        said.push_str(cause);
    }
    said
}

/// [`chain_with`] in the library's words.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    chain_with(error, &|e| e.to_string())
}

/// The SPARQL parser's `expected one of …` made readable: the keywords and punctuation it
/// expected stay, the character classes of its grammar (`['A' ..= 'Z' | …]`, `[_]`) go,
/// and its own failures are said in words. Any other message is kept as it is.
fn expected(message: &str) -> String {
    let Some(list) = message
        .strip_prefix("expected one of ")
        .or_else(|| message.strip_prefix("expected "))
    else {
        return message.to_owned();
    };
    let mut sentences = Vec::new();
    let mut tokens = Vec::new();
    for item in split_alternatives(list) {
        if item.starts_with('[') {
            continue;
        }
        match item {
            "Prefix not found" => sentences
                .push("a prefix that is not declared (declare it with PREFIX name: <IRI>)".into()),
            "IRI parsing failed" => sentences.push("an IRI that is not valid".into()),
            _ if item.contains(' ') && !item.starts_with('"') => sentences.push(item.to_owned()),
            _ => tokens.push(item),
        }
    }
    let mut parts = Vec::new();
    if !sentences.is_empty() {
        parts.push(sentences.join("; "));
    }
    match tokens.as_slice() {
        [] => {}
        [token] => parts.push(format!("expected {token}")),
        _ => parts.push(format!("expected one of {}", tokens.join(", "))),
    }
    if parts.is_empty() {
        "unexpected character".into()
    } else {
        parts.join("; or ")
    }
}

/// The alternatives of the parser's list, split at the commas that are not inside a quoted
/// token or a character class.
fn split_alternatives(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut depth, mut quote, mut escaped) = (0, 0usize, None, false);
    for (i, c) in list.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' => quote = Some('"'),
            '\'' if depth > 0 => quote = Some('\''),
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(list[start..].trim());
    items.retain(|item| !item.is_empty());
    items
}

#[cfg(test)]
mod tests {
    use super::expected;

    #[test]
    fn character_classes_are_left_out_and_an_undeclared_prefix_is_said() {
        let message = "expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}'], ['.'], [':'], ['\\\\'], ['_']";
        assert_eq!(
            expected(message),
            "a prefix that is not declared (declare it with PREFIX name: <IRI>)"
        );
    }

    #[test]
    fn keywords_and_punctuation_stay() {
        assert_eq!(
            expected(r#"expected one of ",", ".", "{|", "}", ['0' ..= '9' | 'A' ..= 'Z'], [_]"#),
            r#"expected one of ",", ".", "{|", "}""#
        );
        assert_eq!(
            expected(r#"expected one of "\"", "\\", [_]"#),
            r#"expected one of "\"", "\\""#
        );
        assert_eq!(expected("expected one of REDUCED, [_]"), "expected REDUCED");
        assert_eq!(expected("expected CONSTRUCT"), "expected CONSTRUCT");
        assert_eq!(expected("expected one of [_]"), "unexpected character");
        assert_eq!(expected("the query is empty"), "the query is empty");
    }
}
