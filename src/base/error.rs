//! The library's error type: each variant carries what a user needs to act on it.

use crate::base::diagnostic::Diagnostics;
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
    /// A query that does not parse, with the position of the problem. The parser's list
    /// of what it expected is shown without its character classes (see `expected`).
    #[error("{query}:{line}:{column}: syntax error: {}", expected(message))]
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
