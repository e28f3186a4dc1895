//! `tipkg serve`: the graph (built in memory, or an on-disk store) as a read-only
//! linked-data server: SPARQL endpoint, Graph Store reads, dereferenceable IRIs and pages.

use super::{GlobalArgs, Outcome, load};
use anyhow::{Result, bail};
use clap::Args;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tipkg::serve::{Config, Limits};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # The bundled graph on http://127.0.0.1:7878/\n  tipkg serve\n\n  # An on-disk store, behind a proxy that publishes it at https://w3id.org/tipkg\n  tipkg serve --store kg/ --bind 127.0.0.1:8080 --base https://w3id.org/tipkg\n\n  # Ask it\n  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' http://127.0.0.1:7878/sparql\n  curl -L -H 'Accept: text/turtle' http://127.0.0.1:7878/id/org/unicef"
)]
pub struct ServeArgs {
    /// The address and port to listen on; 127.0.0.1 answers this machine only, 0.0.0.0
    /// every network the machine is on; port 0 picks a free port (the address is printed)
    #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,

    /// The public URL the server is reached at behind a proxy, such as
    /// https://w3id.org/tipkg: redirects point there. Requests arrive at paths relative to
    /// it (/id/org/unicef). Without it, redirects and links are relative to the request
    #[arg(long, value_name = "URL", value_parser = parse_base)]
    pub base: Option<String>,

    /// Let web pages on other sites read the answers (CORS, any origin)
    #[arg(long)]
    pub cors: bool,

    /// Stop a query (or any request's work on the graph) after this many seconds
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: Duration,

    /// The most solutions a SELECT may give (a graph answer: ten times as many triples);
    /// a larger answer is refused with 422, never cut short
    #[arg(long, value_name = "ROWS", default_value_t = Limits::default().rows)]
    pub max_rows: usize,

    /// The most bytes of an answer to a query; a larger answer is refused with 422
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().bytes)]
    pub max_bytes: usize,

    /// How long a client may take to send its request headers, then its body, and to take
    /// in each part of the answer, before the connection is closed
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    pub client_timeout: Duration,

    /// The most requests working on the graph at once; others wait up to 5 s, then get 503
    #[arg(long, value_name = "N", default_value_t = Limits::default().concurrent, value_parser = parse_count)]
    pub max_concurrent: usize,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 86_400.0 => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(format!(
            "\"{text}\" is not a number of seconds greater than 0 and at most 86400 (a day)"
        )),
    }
}

fn parse_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err(format!("\"{text}\" is not a number from 1 to 1024")),
    }
}

pub fn parse_base(text: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(text).map_err(|e| format!("\"{text}\" is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!(
            "\"{text}\" is not an http or https URL with a host, such as https://w3id.org/tipkg"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("\"{text}\": a base has no query or fragment"));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

pub fn run(global: &GlobalArgs, args: &ServeArgs) -> Result<Outcome> {
    if args.max_rows == 0 || args.max_bytes == 0 {
        bail!("--max-rows and --max-bytes must be at least 1");
    }
    let graph = load(global)?;
    let config = Config {
        bind: args.bind,
        base: args.base.clone(),
        cors: args.cors,
        limits: Limits {
            timeout: args.timeout,
            rows: args.max_rows,
            bytes: args.max_bytes,
            client_timeout: args.client_timeout,
            concurrent: args.max_concurrent,
            ..Limits::default()
        },
    };
    let quiet = global.quiet;
    let log: tipkg::serve::Log = Arc::new(move |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    });
    tipkg::serve::run(graph, config, log, |address| {
        // Always said, even with --quiet: a caller that asked for port 0 needs it.
        eprintln!(
            "tipkg serve: listening on http://{address}/ (read-only; Ctrl-C or SIGTERM stops it once the requests in flight are answered)"
        );
    })?;
    Ok(Outcome::Success)
}
