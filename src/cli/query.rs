//! `tipkg query`: a bundled query, a `.rq` file, stdin or inline SPARQL, with parameters,
//! on the embedded graph or on a remote endpoint, in a table or a standard format.

use super::push::CredentialArgs;
use super::{GlobalArgs, Outcome, heap, load, terminal_width, values, write_output};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;
use tipkg::net::http::{Client, Settings};
use tipkg::net::target::Target as Store;
use tipkg::query::catalogue::{self, NamedQuery};
use tipkg::query::endpoint::{self, Dataset, Endpoint, Warning};
use tipkg::query::results::{self, OutputFormat};
use tipkg::query::{self, Answer, Local, Target};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # A bundled query with a parameter\n  tipkg query countries-by-project --param project=disrupting-harm\n\n  # A query file, as CSV on stdout, then into a file as JSON (from the extension)\n  tipkg query mine.rq --format csv\n  tipkg query mine.rq -o answer.json\n\n  # SPARQL text, and SPARQL from stdin\n  tipkg query --sparql 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'\n  echo 'ASK { ?s a <http://schema.org/Event> }' | tipkg query -\n\n  # A bundled query on a triplestore\n  tipkg query disagreements --endpoint http://127.0.0.1:7878 --target oxigraph"
)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["target", "sparql"]))]
pub struct QueryArgs {
    /// A bundled query's name (see `tipkg queries`), a .rq file, or - to read stdin
    pub target: Option<String>,

    /// Run this SPARQL text instead of a bundled query or a file
    #[arg(long, value_name = "TEXT")]
    pub sparql: Option<String>,

    /// Bind a parameter the query declares, as an RDF term of its kind (repeatable)
    #[arg(short, long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,

    /// Output format [default: from the extension of -o; else table on a terminal, tsv
    /// otherwise; turtle for CONSTRUCT and DESCRIBE]
    #[arg(short, long, value_parser = values::named(values::output_format))]
    pub format: Option<OutputFormat>,

    /// Write the answer to this file instead of stdout, complete or not at all; its
    /// extension gives the format unless --format does: .csv, .tsv, .json or .srj, .xml or
    /// .srx for results, .ttl, .nt, .nq or .trig for graphs
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Stop the query after this many seconds, at most 604800 (a week): checking its
    /// parameters, running it and writing its answer (loading the graph is not counted);
    /// nothing is printed and tipkg exits with 2 [default: no limit on the embedded graph,
    /// 300 with --endpoint]
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Send the query to this SPARQL 1.1 Protocol endpoint instead of the embedded graph:
    /// a store's base URL with --target, or the full URL of its query endpoint
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,

    /// The kind of store at --endpoint: fills in its query path and how it is asked for the
    /// union of its graphs
    #[arg(
        id = "store_target",
        long = "target",
        value_parser = values::named(values::target),
        default_value = "generic",
        requires = "endpoint"
    )]
    pub store: Store,

    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// What a query without FROM sees on the endpoint: the union of its named graphs, as
    /// in the embedded graph (asked the store's own way for oxigraph, virtuoso and graphdb;
    /// otherwise by sending every named graph, which is slow with many), or the endpoint's
    /// own default graph
    #[arg(long, value_enum, default_value = "union", requires = "endpoint")]
    pub endpoint_dataset: EndpointDataset,

    /// Print the query as it would run, its parameters bound, instead of running it: SPARQL
    /// text to give to another tool
    #[arg(long)]
    pub print: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EndpointDataset {
    Union,
    Endpoint,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("\"{text}\" is not NAME=VALUE")),
    }
}

/// The longest --timeout: a week.
const MAX_TIMEOUT: f64 = 604_800.0;

/// How long a remote query may take when --timeout is not given.
const REMOTE_TIMEOUT: Duration = Duration::from_secs(300);

fn parse_timeout(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= MAX_TIMEOUT => {
            Ok(Duration::from_secs_f64(seconds))
        }
        _ => Err(format!(
            "\"{text}\" is not a number of seconds greater than 0 and at most {MAX_TIMEOUT} (a week)"
        )),
    }
}

/// The query the arguments name.
fn named_query(args: &QueryArgs) -> Result<NamedQuery> {
    if let Some(text) = &args.sparql {
        return Ok(NamedQuery::new("<--sparql>", text.as_str())?);
    }
    let target = args.target.as_deref().unwrap_or_default();
    if target == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the query from stdin")?;
        return Ok(NamedQuery::new("<stdin>", text)?);
    }
    if target.ends_with(".rq") || target.contains('/') || target.contains('\\') {
        let text = std::fs::read_to_string(Path::new(target))
            .with_context(|| format!("cannot read query file {target}"))?;
        return Ok(NamedQuery::new(target, text)?);
    }
    if target.contains(char::is_whitespace) || target.contains('{') {
        bail!("\"{target}\" is not a query name or file; to run SPARQL text, use --sparql TEXT");
    }
    Ok(catalogue::find(target)?)
}

/// The output format a file name's extension names.
fn format_of(path: &Path) -> Option<OutputFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "csv" => OutputFormat::Csv,
        "tsv" => OutputFormat::Tsv,
        "json" | "srj" => OutputFormat::Json,
        "xml" | "srx" => OutputFormat::Xml,
        "ttl" => OutputFormat::Turtle,
        "nt" => OutputFormat::Ntriples,
        "nq" => OutputFormat::Nquads,
        "trig" => OutputFormat::Trig,
        _ => return None,
    })
}

/// What the query thread tells the main thread.
enum Progress {
    /// The graph is loaded or the endpoint set up: the time limit starts.
    Ready,
    Done(Result<Finished>),
}

/// A query's answer, written but not yet printed.
struct Finished {
    output: Vec<u8>,
    outcome: Outcome,
    rows: Option<usize>,
}

/// The name of the thread that runs a query; its panics are reported as errors.
const QUERY_THREAD: &str = "tipkg-query";

/// The message of a panic of the query thread.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

pub fn run(global: &GlobalArgs, args: &QueryArgs) -> Result<Outcome> {
    let named = named_query(args)?;
    let parsed = query::parse(&named)?;
    let form = query::form(&parsed);
    let file = args
        .output
        .as_deref()
        .filter(|path| path.as_os_str() != "-");
    let terminal = file.is_none() && std::io::stdout().is_terminal();
    let format = match (args.format, file) {
        (Some(format), _) => format,
        (None, Some(path)) => {
            let format = format_of(path).with_context(|| {
                format!(
                    "cannot tell the format from the name {}: use --format (csv, tsv, json, xml, table; turtle, ntriples, nquads, trig)",
                    path.display()
                )
            })?;
            if format.check(form).is_err() {
                let (answer, extensions) = match form {
                    "CONSTRUCT" | "DESCRIBE" => ("a graph", ".ttl, .nt, .nq or .trig"),
                    _ => ("results", ".csv, .tsv, .json or .xml"),
                };
                let a = if form == "ASK" { "an" } else { "a" };
                bail!(
                    "-o {}: {a} {form} query gives {answer}; name the file {extensions}, or give --format",
                    path.display()
                );
            }
            format
        }
        (None, None) => OutputFormat::default_for(form, terminal),
    };
    format.check(form)?;
    let timeout = args
        .timeout
        .or_else(|| args.endpoint.is_some().then_some(REMOTE_TIMEOUT));

    heap::keep_heap();
    // The query runs on a thread of its own and the time limit is kept here: the evaluator
    // checks for cancellation only in some of its operators, and a remote store may not
    // answer at all. When the time is up the process ends, which also frees the memory the
    // evaluation holds and closes the connection to an endpoint.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some(QUERY_THREAD) {
            *PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.to_string());
        } else {
            default_hook(info);
        }
    }));
    let finished = std::thread::scope(|scope| -> Result<Finished> {
        let (progress, receive) = mpsc::channel();
        std::thread::Builder::new()
            .name(QUERY_THREAD.to_owned())
            .stack_size(16 << 20)
            .spawn_scoped(scope, move || {
                let result = answer(
                    global,
                    args,
                    parsed,
                    &named,
                    format,
                    terminal,
                    timeout,
                    &|| {
                        let _ = progress.send(Progress::Ready);
                    },
                );
                let _ = progress.send(Progress::Done(result));
            })
            .context("cannot start the query")?;
        let lost = || {
            let panic = PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
            anyhow::anyhow!(
                "the query failed unexpectedly{}",
                panic.map(|p| format!(" ({p})")).unwrap_or_default()
            )
        };
        match receive.recv() {
            Ok(Progress::Ready) => {}
            Ok(Progress::Done(result)) => return result,
            Err(_) => return Err(lost()),
        }
        let done = match timeout {
            Some(limit) => match receive.recv_timeout(limit) {
                Ok(done) => done,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let error = tipkg::Error::Timeout {
                        seconds: limit.as_secs_f64(),
                    };
                    eprintln!("error: {}", super::render(&error));
                    std::process::exit(2);
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(lost()),
            },
            None => receive.recv().map_err(|_| lost())?,
        };
        match done {
            Progress::Done(result) => result,
            Progress::Ready => Err(lost()),
        }
    })?;
    write_output(args.output.as_deref(), |out| {
        Ok(out.write_all(&finished.output)?)
    })?;
    if let Some(rows) = finished.rows
        && !global.quiet
        && format == OutputFormat::Table
    {
        let s = if rows == 1 { "" } else { "s" };
        eprintln!("{rows} row{s}");
    }
    Ok(finished.outcome)
}

/// Opens the target, binds the parameters, runs the query and writes its answer into
/// memory; `ready` is called once the target is open.
#[allow(clippy::too_many_arguments)]
fn answer(
    global: &GlobalArgs,
    args: &QueryArgs,
    parsed: spargebra::Query,
    named: &NamedQuery,
    format: OutputFormat,
    terminal: bool,
    timeout: Option<Duration>,
    ready: &dyn Fn(),
) -> Result<Finished> {
    let mut graph = None;
    let local;
    let remote;
    let target: &dyn Target = match &args.endpoint {
        Some(url) => {
            remote = connect(args, url, timeout)?;
            &remote
        }
        None => {
            local = Local(graph.insert(load(global)?));
            &local
        }
    };
    ready();
    let bound = query::bind(parsed, named, &args.params, target)?;
    let mut output = Vec::new();
    if args.print {
        writeln!(output, "{bound}")?;
        return Ok(Finished {
            output,
            outcome: Outcome::Success,
            rows: None,
        });
    }
    let answer = target.evaluate(&bound, timeout)?;
    let width = if terminal {
        terminal_width()
    } else {
        Some(100)
    };
    results::write(&answer, format, width, &mut output)?;
    let (outcome, rows) = match answer {
        Answer::Boolean(false) => (Outcome::Negative, None),
        Answer::Solutions { rows, .. } => (Outcome::Success, Some(rows.len())),
        _ => (Outcome::Success, None),
    };
    // The graph is left to the process's exit, which is quicker than closing a store (its
    // threads joined, its tables closed one by one) or freeing a graph piece by piece.
    // Nothing was written to it.
    std::mem::forget(graph);
    Ok(Finished {
        output,
        outcome,
        rows,
    })
}

/// The endpoint --endpoint, --target and the credentials name.
fn connect(args: &QueryArgs, url: &str, timeout: Option<Duration>) -> Result<Endpoint> {
    let auth = args.credentials.auth(args.store)?;
    let endpoints = endpoint::endpoints(args.store, url, !auth.is_none())?;
    // The time limit is kept by the caller; a request may take as long, and a little more.
    let settings = Settings {
        timeout: timeout.unwrap_or(REMOTE_TIMEOUT) + Duration::from_secs(1),
        ..Settings::default()
    };
    let client = Client::new(auth, settings, None)?;
    let dataset = match args.endpoint_dataset {
        EndpointDataset::Union => Dataset::Union,
        EndpointDataset::Endpoint => Dataset::Endpoint,
    };
    Ok(
        Endpoint::new(client, endpoints, dataset).with_warnings(Arc::new(|warning: &Warning| {
            eprintln!("warning: {}", warning_text(warning))
        })),
    )
}

/// An endpoint's warning, with the option that avoids it.
fn warning_text(warning: &Warning) -> String {
    match warning {
        Warning::ManyGraphs { count } => format!(
            "sending the endpoint's {count} named graphs as the query's dataset, which is slow and which some stores answer wrongly; for Oxigraph, Virtuoso and GraphDB give --target so that the store's own union of its graphs is used"
        ),
    }
}
