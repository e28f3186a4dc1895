//! Errors in the command line's words: the library says what is wrong, and here the
//! options that fix it are named (`--timeout`, `--store`, `--lenient` …). `render` says an
//! error and its causes on one line, each once.

use std::error::Error as StdError;
use tipkg::Error;
use tipkg::base::error::{Advice, chain_with, push_text, wrong_format};

/// An error and its causes, each said once, the library's errors in the command line's
/// words.
pub fn render(error: &(dyn StdError + 'static)) -> String {
    chain_with(error, &text)
}

/// One error's own text (its causes are said after it, by `render`).
fn text(error: &(dyn StdError + 'static)) -> String {
    // A library error that causes another is held in a box, and seen as one.
    let library = error
        .downcast_ref::<Error>()
        .or_else(|| error.downcast_ref::<Box<Error>>().map(AsRef::as_ref));
    if let Some(tipkg::site::Error::NotASite { path }) = error.downcast_ref::<tipkg::site::Error>()
    {
        return format!(
            "{} is not empty and is not a site tipkg wrote (no {} file in it): it is left as it is; give -o a new or empty directory",
            path.display(),
            tipkg::site::MARKER
        );
    }
    match library {
        Some(error) => tipkg_text(error),
        None => error.to_string(),
    }
}

/// What the command line says for a library error: the library's text, with the options
/// that fix it where it has some.
pub fn tipkg_text(error: &Error) -> String {
    match error {
        Error::Timeout { seconds } => format!(
            "the query was stopped after {seconds} s (--timeout); narrow it down or give it more time"
        ),
        Error::StoreBusy { path, writing } => format!(
            "the store {} is in use by another process{}; try again when it has finished, or use another --store directory",
            path.display(),
            if *writing {
                " (only one may write a store)"
            } else {
                " that is writing it"
            }
        ),
        Error::NoStore { path } => format!(
            "no store at {p}: create one with `tipkg build --store {p}` or `tipkg import --store {p} FILE`",
            p = path.display()
        ),
        Error::ImportSyntax { .. } => format!("{error} (--lenient skips bad statements)"),
        Error::ImportSyntaxUnknown { .. } => format!("{error}; say it with --format"),
        Error::ImportUnnamed { .. } => format!("{error}; give one with --graph"),
        Error::BuiltGraph { graph, reason } => format!("--graph {graph}: {reason}"),
        Error::UnknownGraph { given, reason, .. } => format!("--graph {given}: {reason}"),
        Error::Update { query } => format!(
            "{query}: this is a SPARQL update; tipkg query runs read-only queries (SELECT, CONSTRUCT, DESCRIBE, ASK) and refuses updates"
        ),
        Error::UnknownQuery { name, closest } => {
            let hint = match closest {
                Some(near) => format!("did you mean \"{near}\"? "),
                None => String::new(),
            };
            format!(
                "no bundled query named \"{name}\"; {hint}`tipkg queries` lists them (a file needs a path such as ./{name}.rq)"
            )
        }
        Error::MissingParameter { query, name, kind } => format!(
            "{query}: parameter \"{name}\" ({kind}) has no default: give it with --param {name}=VALUE"
        ),
        Error::WrongFormat { format, form } => wrong_format(format, form, "--format "),
        Error::Endpoint {
            url,
            message,
            advice,
            ..
        } => format!("endpoint {url}: {message}{}", advise(*advice, "endpoint")),
        Error::Remote {
            url,
            message,
            advice,
            ..
        } => format!("{url}: {message}{}", advise(*advice, "store")),
        Error::Push {
            failure,
            cause,
            state,
            straight,
            cleanup,
        } => {
            let state = if *straight {
                format!("--non-atomic: {state}")
            } else {
                state.clone()
            };
            let cleanup = cleanup.as_ref().map(|cleanup| match cleanup {
                tipkg::base::error::Cleanup::Dropped => cleanup.to_string(),
                tipkg::base::error::Cleanup::Left(graphs) => format!(
                    "staging graph(s) {} could not be dropped: remove them with `tipkg push --clean-staging`",
                    graphs.join(", ")
                ),
            });
            push_text(
                failure,
                cause.as_deref().map(|c| render(c)),
                &state,
                false,
                cleanup,
            )
        }
        Error::SwapClaimed { push, seconds } => format!(
            "another push ({push}) has been swapping its graphs in for {seconds} s; if no push is running, remove its claim with `tipkg push --clean-staging`"
        ),
        Error::BlankNodesInUpdate { graph } => format!(
            "{graph} has blank nodes, which INSERT DATA cannot carry safely: use --protocol gsp"
        ),
        Error::GraphPrefix { prefix, .. } => {
            format!("--graph-prefix {prefix:?} makes an invalid IRI")
        }
        Error::NoGraphStore { target } => format!(
            "no Graph Store Protocol endpoint for target {target}: give --store-url or use --protocol update"
        ),
        Error::UrlCredentials => "the URL holds credentials: remove them and use --user with --password-env or --password-file".to_owned(),
        Error::NoUser { scheme } => {
            let mut name = scheme.to_string();
            if let Some(first) = name.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{name} authentication needs a user: give --user or TIPKG_USER")
        }
        other => other.to_string(),
    }
}

/// What to do about a failed request, with the options that do it; `server` is what the
/// server is to the user (the store, the endpoint).
fn advise(advice: Option<Advice>, server: &str) -> String {
    let slow = "give --timeout more seconds if the store is slow";
    match advice {
        None => String::new(),
        Some(Advice::NoAnswer { seconds }) => format!(" (no answer within {seconds} s: {slow})"),
        Some(Advice::Stalled { seconds }) => {
            format!(" (nothing more came within {seconds} s: {slow})")
        }
        Some(Advice::Credentials) => format!(
            " (the {server} wants credentials: give --user with --password-env or --password-file)"
        ),
        Some(Advice::WrongCredentials) => {
            " (check the user, the password and --auth; Virtuoso accepts only digest)".to_owned()
        }
        Some(Advice::NotAnEndpoint) => " (is this a SPARQL query endpoint? give a store's base URL with its --target, or the full query URL)".to_owned(),
        Some(advice @ Advice::Unreachable) => advice.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_said_once() {
        let io = std::io::Error::from_raw_os_error(13);
        let error = anyhow::Error::from(Error::Io {
            path: "out/graph.ttl".into(),
            source: io,
        })
        .context("cannot write out/graph.ttl");
        assert_eq!(
            render(error.as_ref()),
            "cannot write out/graph.ttl: out/graph.ttl: Permission denied (os error 13)"
        );
    }

    #[test]
    fn causes_that_add_something_are_kept() {
        let error = anyhow::anyhow!("disk full")
            .context("cannot write g.ttl")
            .context("export failed");
        assert_eq!(
            render(error.as_ref()),
            "export failed: cannot write g.ttl: disk full"
        );
    }

    #[test]
    fn a_push_says_its_cause_in_the_command_lines_words_before_the_state() {
        let remote = Error::Remote {
            url: "http://127.0.0.1:1/store".into(),
            message: "timed out".into(),
            advice: Some(Advice::NoAnswer { seconds: 1 }),
            source: Some(Box::new(std::io::Error::other("timed out"))),
        };
        let push = Error::Push {
            failure: "loading <http://ex/g> failed".into(),
            cause: Some(Box::new(remote)),
            state: "no graph was changed".into(),
            straight: false,
            cleanup: Some(tipkg::base::error::Cleanup::Left(vec!["<urn:s>".into()])),
        };
        let error = anyhow::Error::from(push).context("push failed");
        assert_eq!(
            render(error.as_ref()),
            "push failed: loading <http://ex/g> failed: http://127.0.0.1:1/store: timed out (no answer within 1 s: give --timeout more seconds if the store is slow)\n  no graph was changed; staging graph(s) <urn:s> could not be dropped: remove them with `tipkg push --clean-staging`"
        );
    }

    #[test]
    fn a_cause_that_only_wraps_what_was_said_is_left_out() {
        // A transport error: its message describes the parts below its own text.
        #[derive(Debug)]
        struct Wrapper(std::io::Error);
        impl std::fmt::Display for Wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("error sending request for url (http://x/)")
            }
        }
        impl StdError for Wrapper {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let remote = Error::Remote {
            url: "http://x/".into(),
            message: "connection refused".into(),
            advice: Some(Advice::Unreachable),
            source: Some(Box::new(Wrapper(std::io::Error::other(
                "connection refused",
            )))),
        };
        assert_eq!(
            render(&remote),
            "http://x/: connection refused (is the store running, at this address?)"
        );
        let parse = Error::Endpoint {
            url: "http://x/query".into(),
            message: "the answer is not valid N-Triples".into(),
            advice: None,
            source: Some(Box::new(std::io::Error::other("unexpected end"))),
        };
        assert_eq!(
            render(&parse),
            "endpoint http://x/query: the answer is not valid N-Triples: unexpected end"
        );
    }
}
