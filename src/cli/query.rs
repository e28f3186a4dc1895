//! `tipkg query`: a bundled query, a `.rq` file, stdin or inline SPARQL, with parameters,
//! on the embedded graph or on a remote endpoint, in a table or a standard format.

use super::{GlobalArgs, Outcome, load, write_output};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::time::Duration;
use tipkg::catalogue::{self, NamedQuery};
use tipkg::endpoint::{Dataset, Endpoint};
use tipkg::query::{self, Answer, Local, Target};
use tipkg::results::{self, OutputFormat};

#[derive(Debug, Args)]
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

    /// Output format [default: table on a terminal, tsv otherwise; turtle for CONSTRUCT and
    /// DESCRIBE]
    #[arg(short, long, value_enum)]
    pub format: Option<OutputFormat>,

    /// Stop the query after this many seconds
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Send the query to this SPARQL 1.1 Protocol endpoint instead of the embedded graph
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,

    /// What a query without FROM sees on the endpoint: the union of its named graphs (as
    /// in the embedded graph) or the endpoint's own default graph
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

fn parse_timeout(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds.is_finite() => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(format!("\"{text}\" is not a positive number of seconds")),
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

pub fn run(global: &GlobalArgs, args: &QueryArgs) -> Result<Outcome> {
    let named = named_query(args)?;
    let parsed = query::parse(&named)?;
    let form = query::form(&parsed);
    let terminal = std::io::stdout().is_terminal();
    let format = args
        .format
        .unwrap_or_else(|| OutputFormat::default_for(form, terminal));
    format.check(form)?;

    let graph;
    let local;
    let remote;
    let target: &dyn Target = match &args.endpoint {
        Some(url) => {
            let dataset = match args.endpoint_dataset {
                EndpointDataset::Union => Dataset::Union,
                EndpointDataset::Endpoint => Dataset::Endpoint,
            };
            remote = Endpoint::new(url, dataset)?;
            &remote
        }
        None => {
            graph = load(global)?;
            local = Local(&graph);
            &local
        }
    };
    let bound = query::bind(parsed, &named, &args.params, target)?;
    if args.print {
        write_output(None, |out| Ok(writeln!(out, "{bound}")?))?;
        return Ok(Outcome::Success);
    }
    let answer = target.evaluate(&bound, args.timeout)?;
    let width = if terminal { None } else { Some(100) };
    write_output(None, |out| Ok(results::write(&answer, format, width, out)?))?;
    Ok(match answer {
        Answer::Boolean(false) => Outcome::Negative,
        Answer::Solutions { rows, .. } => {
            if !global.quiet && format == OutputFormat::Table {
                let s = if rows.len() == 1 { "" } else { "s" };
                eprintln!("{} row{s}", rows.len());
            }
            Outcome::Success
        }
        _ => Outcome::Success,
    })
}
