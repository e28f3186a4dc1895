//! `tipkg push`: load the graph into an external triplestore, safely, and verify it; also
//! the connection options that `tipkg pull` shares.

use super::{GlobalArgs, Outcome, heap, load, values, write_output};
use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::NamedNode;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tipkg::base::parallel;
use tipkg::base::progress::Progress;
use tipkg::net::auth::{Auth, Scheme, Secret};
use tipkg::net::http::{Client, DEFAULT_TIMEOUT_SECONDS, Settings};
use tipkg::net::target::{Overrides, Target};
use tipkg::publish::{
    self, BodyFormat, GraphRun, Mode, Placement, Protocol, Publisher, PushPlan, Step,
};

/// Where the store is and how to log in. Secrets come only from the environment or a file.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// The store's base URL (for fuseki a dataset URL, for graphdb a repository URL)
    #[arg(long, value_name = "URL")]
    pub endpoint: String,

    /// The kind of store: fills in its endpoint paths and handles its quirks
    #[arg(long, value_parser = values::named(values::target), default_value = "generic")]
    pub target: Target,

    /// The SPARQL query endpoint, instead of the target's
    #[arg(long, value_name = "URL")]
    pub query_url: Option<String>,

    /// The SPARQL update endpoint, instead of the target's
    #[arg(long, value_name = "URL")]
    pub update_url: Option<String>,

    /// The Graph Store Protocol endpoint, instead of the target's
    #[arg(long, value_name = "URL")]
    pub store_url: Option<String>,

    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Seconds to wait for the store to answer a request, and then for each part of the
    /// answer; a request that carries triples, or the swap that moves them in, gets a second
    /// more per 10,000 of them (1 to 86400). Connecting gives up after 10 s.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECONDS, value_parser = seconds)]
    pub timeout: u64,

    /// Retries, with back-off, after a refused connection, or a server error or a broken
    /// answer on a request that is safe to repeat (a request that timed out is not sent
    /// again)
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,

    /// Print every request and answer on stderr (never the credentials)
    #[arg(short, long)]
    pub verbose: bool,
}

impl ConnectionArgs {
    /// The store, with `bar` kept tidy while `-v` lines are printed.
    pub fn publisher(&self, bar: &ProgressBar) -> Result<Publisher> {
        let auth = self.credentials.auth(self.target)?;
        let overrides = Overrides {
            query: self.query_url.clone(),
            update: self.update_url.clone(),
            store: self.store_url.clone(),
        };
        let endpoints = self
            .target
            .endpoints(&self.endpoint, !auth.is_none(), &overrides)?;
        let settings = Settings {
            timeout: Duration::from_secs(self.timeout),
            retries: self.retries,
            ..Settings::default()
        };
        let log: Option<tipkg::net::http::Log> = self.verbose.then(|| {
            let bar = bar.clone();
            Arc::new(move |line: &str| bar.suspend(|| eprintln!("{line}"))) as _
        });
        let client = Client::new(auth, settings, log)?;
        Ok(Publisher::new(client, endpoints).with_progress(Arc::new(Bar(bar.clone()))))
    }
}

/// How to log in to a store. Secrets come only from the environment or a file.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// The authentication scheme [default: bearer with a token; with a password digest for
    /// virtuoso, basic otherwise]
    #[arg(long, value_parser = values::named(values::plain::<Scheme>))]
    pub auth: Option<Scheme>,

    /// The user name for basic and digest authentication
    #[arg(long, env = "TIPKG_USER", value_name = "NAME")]
    pub user: Option<String>,

    /// Read the password from this environment variable
    #[arg(long, value_name = "VAR", conflicts_with = "password_file")]
    pub password_env: Option<String>,

    /// Read the password from the first line of this file
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Read a bearer token from this environment variable
    #[arg(long, value_name = "VAR", conflicts_with_all = ["token_file", "password_env", "password_file"])]
    pub token_env: Option<String>,

    /// Read a bearer token from the first line of this file
    #[arg(long, value_name = "FILE", conflicts_with_all = ["password_env", "password_file"])]
    pub token_file: Option<PathBuf>,
}

impl CredentialArgs {
    pub fn auth(&self, target: Target) -> Result<Auth> {
        let password = match (&self.password_env, &self.password_file) {
            (Some(var), _) => Some(secret_from_env(var, "--password-env")?),
            (None, Some(file)) => Some(Secret::from_file(file)?),
            (None, None) => None,
        };
        let token = match (&self.token_env, &self.token_file) {
            (Some(var), _) => Some(secret_from_env(var, "--token-env")?),
            (None, Some(file)) => Some(Secret::from_file(file)?),
            (None, None) => None,
        };
        let scheme = self.auth.or(match (&token, &password) {
            (Some(_), _) => Some(Scheme::Bearer),
            (None, Some(_)) if target == Target::Virtuoso => Some(Scheme::Digest),
            (None, Some(_)) => Some(Scheme::Basic),
            (None, None) => None,
        });
        let Some(scheme) = scheme else {
            if self.user.is_some() {
                bail!("--user needs a password: give --password-env VAR or --password-file FILE");
            }
            return Ok(Auth::None);
        };
        let secret = match scheme {
            Scheme::Bearer => token.context(
                "--auth bearer needs a token: give --token-env VAR or --token-file FILE",
            )?,
            Scheme::Basic | Scheme::Digest => password.with_context(|| {
                format!("--auth {scheme} needs a password: give --password-env VAR or --password-file FILE")
            })?,
        };
        Ok(Auth::new(scheme, self.user.clone(), secret)?)
    }
}

/// The secret in an environment variable. The variable's name is not repeated in the
/// message, in case a secret was given in its place.
fn secret_from_env(var: &str, flag: &str) -> Result<Secret> {
    match std::env::var_os(var) {
        Some(value) if !value.is_empty() => Ok(Secret::from_env(var)?),
        _ => bail!(
            "the environment variable that {flag} names is not set or is empty: export it with the secret, and give {flag} its name (never the secret itself)"
        ),
    }
}

/// `--timeout`: whole seconds, from 1 to a day.
fn seconds(text: &str) -> std::result::Result<u64, String> {
    const MAX: u64 = 86_400;
    match text.parse::<u64>() {
        Ok(seconds @ 1..=MAX) => Ok(seconds),
        _ => Err(format!(
            "give the seconds to wait as a whole number from 1 to {MAX} (the default is {DEFAULT_TIMEOUT_SECONDS})"
        )),
    }
}

/// `--batch-triples`: at least one triple per request.
fn batch_size(text: &str) -> std::result::Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("give the triples per request as a whole number of at least 1".into()),
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # What would be sent, without sending it\n  tipkg push --endpoint http://127.0.0.1:7878 --target oxigraph --dry-run\n\n  # Into Virtuoso, the password from an environment variable\n  tipkg push --endpoint http://127.0.0.1:8890 --target virtuoso \\\n    --user dba --password-env VIRTUOSO_PASSWORD\n\n  # Into a Fuseki dataset with a token, dropping the graphs of sources the data no longer has\n  tipkg push --endpoint https://kg.example.org/ds --target fuseki --token-file token --prune"
)]
pub struct PushArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// How the triples travel
    #[arg(long, value_parser = values::named(values::protocol), default_value = "gsp")]
    pub protocol: Protocol,

    /// Replace each graph in the store, or add to it
    #[arg(long, value_parser = values::named(values::mode), default_value = "replace")]
    pub mode: Mode,

    /// Put the graphs under this prefix: <PREFIX><source> instead of
    /// https://w3id.org/tipkg/graph/<source>
    #[arg(long, value_name = "IRI", conflicts_with = "graph")]
    pub graph_prefix: Option<String>,

    /// Put every triple into this one graph
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,

    /// The syntax of Graph Store Protocol bodies
    #[arg(long, value_parser = values::named(values::plain::<BodyFormat>), default_value = "ntriples")]
    pub format: BodyFormat,

    /// Triples per INSERT DATA request with --protocol update (virtuoso takes at most 1000)
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = batch_size)]
    pub batch_triples: usize,

    /// Push the named graphs of this N-Quads or TriG file (such as the output of
    /// `tipkg export --format nquads`) instead of building the graph
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// Send nothing: show the graphs, the requests, and how the store's graphs would change
    #[arg(long)]
    pub dry_run: bool,

    /// Load straight into the target graphs, without staging graphs and the swap (like
    /// `oxigraph load --non-atomic`): much faster for large graphs on stores whose
    /// transactions are slow (Oxigraph), but a push that fails part-way leaves a graph
    /// partly loaded
    #[arg(long)]
    pub non_atomic: bool,

    /// After a replace, drop the store's graphs under the graph namespace
    /// (https://w3id.org/tipkg/graph/, or --graph-prefix) that the push did not write:
    /// graphs of sources the data no longer has. --dry-run lists them
    #[arg(long, conflicts_with = "graph")]
    pub prune: bool,

    /// Push nothing: list the staging graphs that interrupted pushes left in the store
    /// (urn:tipkg:staging:...) and drop them (with --dry-run, only list them). Run it when
    /// no other push to the store is running: a running push's staging graphs are listed too
    #[arg(long, conflicts_with_all = ["from", "graph", "graph_prefix", "prune"])]
    pub clean_staging: bool,
}

impl PushArgs {
    fn placement(&self) -> Result<Placement> {
        Ok(match (&self.graph, &self.graph_prefix) {
            (Some(graph), _) => Placement::Single(
                NamedNode::new(graph)
                    .with_context(|| format!("--graph {graph:?} is not an IRI"))?,
            ),
            (None, Some(prefix)) => Placement::Prefix(prefix.clone()),
            (None, None) => Placement::AsBuilt,
        })
    }
}

pub fn run(global: &GlobalArgs, args: &PushArgs) -> Result<Outcome> {
    if args.prune && args.mode != Mode::Replace {
        bail!("--prune goes with --mode replace: an append leaves the other graphs alone");
    }
    if args.clean_staging {
        let publisher = args.connection.publisher(&progress_bar(true))?;
        return clean_staging(&publisher, &args.connection.endpoint, args.dry_run);
    }
    let placement = args.placement()?;
    heap::arena_per_core();
    // The store stays open for the whole push: its large graphs are read while they are
    // sent.
    let graph;
    let loads = match &args.from {
        Some(path) => publish::graph_loads(read_quads(path)?, &placement)?,
        None => {
            graph = load(global)?;
            publish::store_loads(&graph, &placement)?
        }
    };
    let bar = progress_bar(global.quiet);
    let publisher = args.connection.publisher(&bar)?;
    let options = publish::Options {
        protocol: args.protocol,
        mode: args.mode,
        format: args.format,
        batch_triples: args.batch_triples,
        non_atomic: args.non_atomic,
    };
    let plan = publisher.plan(loads, &placement, &options, args.prune)?;
    let summary = format!(
        "{}, {}, to {} ({}, {}, {})",
        count(plan.loads.len(), "graph"),
        count(plan.triples(), "triple"),
        args.connection.endpoint,
        args.connection.target,
        args.protocol,
        args.mode
    );
    if args.dry_run {
        return dry_run(&publisher, &plan, &summary);
    }
    stop_on_signals();
    let started = Instant::now();
    let verified = publisher.execute(&plan)?;
    bar.finish_and_clear();
    let failed: Vec<_> = verified.iter().filter(|v| !v.is_ok(args.mode)).collect();
    if !global.quiet {
        let mut table = table(["graph", "sent", "before", "on server", "check"]);
        for v in &verified {
            table.add_row([
                tipkg::base::vocab::compact(v.target.as_str()),
                v.sent.to_string(),
                v.before.to_string(),
                v.after.to_string(),
                if v.is_ok(args.mode) { "ok" } else { "MISMATCH" }.to_owned(),
            ]);
        }
        let seconds = started.elapsed().as_secs_f64();
        if failed.is_empty() {
            eprintln!("pushed {summary} in {seconds:.1} s");
        } else {
            eprintln!(
                "loaded {summary} in {seconds:.1} s, but the store does not hold what was sent:"
            );
        }
        eprintln!("{table}");
    }
    if !failed.is_empty() {
        bail!(
            "{} do not hold what was sent: {}",
            count(failed.len(), "graph"),
            failed
                .iter()
                .map(|v| {
                    let canonical = if v.expected != v.sent {
                        format!(" ({} once literals are in canonical form)", v.expected)
                    } else {
                        String::new()
                    };
                    format!(
                        "{} has {} triples, {} were sent{canonical}",
                        v.target, v.after, v.sent
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    if !global.quiet {
        let expected: u64 = verified.iter().map(|v| v.expected).sum();
        let total = plan.triples();
        let canonical = if expected != total {
            format!(
                " ({expected} in the store, which keeps triples that differ only in how a literal is written once)"
            )
        } else {
            String::new()
        };
        eprintln!(
            "verified: the {} on the server hold the {} sent{canonical}",
            count(verified.len(), "graph"),
            count(total, "triple")
        );
    }
    if let Some(prune) = &plan.prune {
        publisher
            .prune(&plan)
            .context("the push succeeded, but pruning the graphs it no longer has failed")?;
        if !global.quiet {
            eprintln!(
                "pruned {} under {} that the push no longer has{}",
                count(prune.stale.len(), "graph"),
                prune.namespace,
                if prune.stale.is_empty() { "" } else { ":" }
            );
            for graph in &prune.stale {
                eprintln!("  {} ({})", graph.graph, count(graph.triples, "triple"));
            }
        }
    }
    // The process ends next: the held triples are left to it rather than freed one string
    // at a time (30 to 50 ms for 100k triples).
    for load in plan.loads {
        if let publish::Triples::Held(triples) = load.triples {
            std::mem::forget(triples);
        }
    }
    Ok(Outcome::Success)
}

/// `--clean-staging`: lists the staging graphs in the store and drops them.
fn clean_staging(publisher: &Publisher, endpoint: &str, dry_run: bool) -> Result<Outcome> {
    let leftovers = publisher.leftover_staging()?;
    let list = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        for graph in &leftovers {
            writeln!(
                out,
                "  {} ({})",
                graph.graph,
                count(graph.triples, "triple")
            )?;
        }
        Ok(())
    };
    let found = count(leftovers.len(), "staging graph");
    if dry_run {
        write_output(None, |out| {
            writeln!(
                out,
                "dry run: would remove {found} from {endpoint}; nothing was sent"
            )?;
            list(out)?;
            Ok(())
        })?;
        return Ok(Outcome::Success);
    }
    publisher.drop_all(&leftovers)?;
    eprintln!(
        "removed {found} from {endpoint}{}",
        if leftovers.is_empty() { "" } else { ":" }
    );
    list(&mut std::io::stderr())?;
    Ok(Outcome::Success)
}

/// "1 graph", "2 graphs".
pub fn count(n: impl std::fmt::Display, noun: &str) -> String {
    let n = n.to_string();
    if n == "1" {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Ctrl-C and SIGTERM ask the push to stop: it finishes the request under way, drops its
/// staging graphs and fails. A second signal stops at once.
fn stop_on_signals() {
    #[cfg(unix)]
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the action only reads and sets an atomic flag, or calls `_exit`; both
        // are async-signal-safe.
        // Without the handler the signal stops the push at once, as it always did.
        let _ = unsafe {
            signal_hook_registry::register(signal, || {
                if publish::interrupted() {
                    libc::_exit(130);
                }
                publish::interrupt();
            })
        };
    }
}

/// Prints what a push would send and change, on stdout: the graphs with how they differ
/// from what the store holds now, and the plan's requests.
fn dry_run(publisher: &Publisher, plan: &PushPlan, summary: &str) -> Result<Outcome> {
    let diffs = publisher.diff(&plan.loads, plan.options.mode)?;
    let stale = plan.prune.as_ref().map_or(&[][..], |p| &p.stale[..]);
    let mut table = table(["graph", "triples", "in store now", "added", "removed"]);
    for diff in &diffs {
        table.add_row([
            tipkg::base::vocab::compact(diff.target.as_str()),
            diff.sent.to_string(),
            diff.current.map_or("none".into(), |n| n.to_string()),
            diff.added.to_string(),
            diff.removed.to_string(),
        ]);
    }
    for graph in stale {
        table.add_row([
            tipkg::base::vocab::compact(graph.graph.as_str()),
            "pruned".to_owned(),
            graph.triples.to_string(),
            "0".to_owned(),
            graph.triples.to_string(),
        ]);
    }
    let mut requests = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let line = plan.describe(step)?;
        requests.push(match step {
            Step::Prune { .. } => format!("{line} (--prune)"),
            _ => line,
        });
    }
    let removed =
        diffs.iter().map(|d| d.removed).sum::<u64>() + stale.iter().map(|g| g.triples).sum::<u64>();
    write_output(None, |out| {
        writeln!(out, "dry run: would push {summary}; nothing was sent\n")?;
        writeln!(out, "{table}\n")?;
        if !stale.is_empty() {
            writeln!(
                out,
                "--prune would drop {} that the push does not write\n",
                count(stale.len(), "graph")
            )?;
        }
        writeln!(
            out,
            "in total {} triple(s) added and {removed} removed\n\nrequests:",
            diffs.iter().map(|d| d.added).sum::<u64>(),
        )?;
        for line in &requests {
            writeln!(out, "  {line}")?;
        }
        Ok(())
    })?;
    Ok(Outcome::Success)
}

/// The quads of an N-Quads or TriG file, chosen by its extension, in runs of one graph.
/// N-Quads, a statement to a line, is parsed in pieces of whole lines on every core; after
/// an error the file is parsed again in one piece, so that the error gives its line in the
/// file.
fn read_quads(path: &std::path::Path) -> Result<Vec<GraphRun>> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("trig") => RdfFormat::TriG,
        Some("nq") => RdfFormat::NQuads,
        _ => bail!(
            "{}: give an N-Quads (.nq) or TriG (.trig) file, so that the named graphs are kept",
            path.display()
        ),
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let parse = |piece: &[u8]| {
        let mut runs = Vec::new();
        for quad in RdfParser::from_format(format).for_slice(piece) {
            GraphRun::push(&mut runs, quad?);
        }
        Ok::<_, RdfSyntaxError>(runs)
    };
    let whole = || parse(&bytes).with_context(|| format!("{} does not parse", path.display()));
    if format != RdfFormat::NQuads {
        return whole();
    }
    let mut runs = Vec::new();
    let mut failed = false;
    parallel::in_order(
        lines_in_pieces(&bytes, 1 << 20),
        parse,
        |piece| match piece {
            Ok(mut piece) => runs.append(&mut piece),
            Err(_) => failed = true,
        },
    );
    match failed {
        true => whole(),
        false => Ok(runs),
    }
}

/// `bytes` cut into pieces of about `size` bytes, each ending at the end of a line.
fn lines_in_pieces(bytes: &[u8], size: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    let mut rest = bytes;
    while rest.len() > size {
        let end = match rest[size..].iter().position(|&b| b == b'\n') {
            Some(newline) => size + newline + 1,
            None => rest.len(),
        };
        let (piece, after) = rest.split_at(end);
        pieces.push(piece);
        rest = after;
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

fn table<const N: usize>(header: [&str; N]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    table.set_header(header);
    table
}

/// The progress of a push drawn as a bar.
pub struct Bar(pub ProgressBar);

impl Progress for Bar {
    fn start(&self, len: u64) {
        self.0.set_length(len);
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// A bar of triples sent, with rate and ETA, on stderr only when it is a terminal.
pub fn progress_bar(quiet: bool) -> ProgressBar {
    progress_bar_of(quiet, "triples")
}

/// A bar of `units` done, with rate and ETA, on stderr only when it is a terminal.
pub fn progress_bar_of(quiet: bool, units: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            &format!("{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{human_pos}}/{{human_len}} {units}, {{per_sec:0}}, ETA {{eta}}"),
        )
        .expect("a valid template"),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Quad;

    /// N-Quads of `lines` statements in seven graphs.
    fn nquads(lines: usize) -> String {
        (0..lines)
            .map(|i| {
                format!(
                    "<http://ex/s{i}> <http://ex/p> \"value {i}\" <http://ex/g{}> .\n",
                    i % 7
                )
            })
            .collect()
    }

    #[test]
    fn pieces_are_whole_lines_that_make_up_the_text() {
        let text = nquads(5_000);
        let pieces = lines_in_pieces(text.as_bytes(), 4096);
        assert!(pieces.len() > 50);
        assert!(
            pieces
                .iter()
                .all(|p| p.ends_with(b"\n") && p.len() >= 4096 || p == pieces.last().unwrap())
        );
        assert_eq!(pieces.concat(), text.as_bytes());
        assert_eq!(lines_in_pieces(b"", 4096), Vec::<&[u8]>::new());
        assert_eq!(
            lines_in_pieces(b"no newline at all", 4),
            vec![b"no newline at all"]
        );
    }

    #[test]
    fn a_file_read_in_pieces_gives_the_quads_of_one_parse_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.nq");
        let text = nquads(40_000);
        assert!(text.len() > 2 << 20, "the file is parsed in several pieces");
        std::fs::write(&path, &text).unwrap();
        let expected: Vec<_> = RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(&text)
            .collect::<Result<_, _>>()
            .unwrap();
        let read: Vec<Quad> = (read_quads(&path).unwrap().into_iter())
            .flat_map(|run| {
                let graph = run.graph;
                (run.triples.into_iter()).map(move |t| t.in_graph(graph.clone()))
            })
            .collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn an_error_in_a_later_piece_gives_its_line_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.nq");
        let mut lines: Vec<String> = nquads(40_000).lines().map(str::to_owned).collect();
        lines[30_000] = "<http://ex/s> <http://ex/p> \"unterminated <http://ex/g> .".into();
        std::fs::write(&path, lines.join("\n")).unwrap();
        let error = format!("{:#}", read_quads(&path).unwrap_err());
        assert!(error.contains("does not parse"), "{error}");
        assert!(error.contains("line 30001"), "{error}");
    }
}
