//! `tipkg queries`: the bundled query catalogue, or one query's description, parameters,
//! examples and text.

use super::{Outcome, terminal_width};
use anyhow::Result;
use clap::{Args, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use tipkg::query::catalogue::{self, NamedQuery, Parameter};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # The bundled queries, then one query's parameters and text\n  tipkg queries\n  tipkg queries countries-by-project\n\n  # The catalogue as JSON, for scripts: each query's parameters and their kinds\n  tipkg queries --format json | jq '.[] | {name, parameters: [.parameters[].kind]}'"
)]
pub struct QueriesArgs {
    /// Show this query: its description, parameters, examples and SPARQL text
    pub name: Option<String>,

    /// How to write the catalogue, or the query
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = CatalogueFormat::Text)]
    pub format: CatalogueFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    /// A table of the queries; one query's description, parameters, examples and text
    Text,
    /// An array of the queries (name, title, description, parameters with their kinds,
    /// examples); one query as an object, with its text
    Json,
}

/// A query of the catalogue, as `--format json` writes it.
#[derive(Serialize)]
struct QueryEntry<'a> {
    name: &'a str,
    title: Option<&'a str>,
    description: Option<&'a str>,
    parameters: Vec<ParameterEntry<'a>>,
    examples: &'a [String],
    /// The SPARQL text, for one query.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

/// A parameter: its kind is the word of the header (`project`, `date`, `iri` …); one
/// without a default is required.
#[derive(Serialize)]
struct ParameterEntry<'a> {
    name: &'a str,
    kind: String,
    default: Option<&'a str>,
    required: bool,
    description: &'a str,
}

fn entry(query: &NamedQuery, with_text: bool) -> QueryEntry<'_> {
    let header = &query.header;
    QueryEntry {
        name: &query.name,
        title: header.title.as_deref(),
        description: header.description.as_deref(),
        parameters: (header.parameters.iter())
            .map(|p| ParameterEntry {
                name: &p.name,
                kind: p.kind.to_string(),
                default: p.default.as_deref(),
                required: p.default.is_none(),
                description: &p.description,
            })
            .collect(),
        examples: &header.examples,
        text: with_text.then_some(query.text.as_str()),
    }
}

pub fn run(args: &QueriesArgs) -> Result<Outcome> {
    let mut text = String::new();
    match (&args.name, args.format) {
        (Some(name), CatalogueFormat::Text) => describe(&catalogue::find(name)?, &mut text),
        (None, CatalogueFormat::Text) => list(&catalogue::bundled()?, &mut text),
        (Some(name), CatalogueFormat::Json) => {
            text = serde_json::to_string_pretty(&entry(&catalogue::find(name)?, true))? + "\n";
        }
        (None, CatalogueFormat::Json) => {
            let queries = catalogue::bundled()?;
            let entries: Vec<QueryEntry> = queries.iter().map(|q| entry(q, false)).collect();
            text = serde_json::to_string_pretty(&entries)? + "\n";
        }
    }
    super::write_output(None, |out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(Outcome::Success)
}

fn parameter_summary(parameter: &Parameter) -> String {
    match &parameter.default {
        Some(default) => format!("{}={default}", parameter.name),
        None => format!("{} ({})", parameter.name, parameter.kind),
    }
}

fn list(queries: &[NamedQuery], out: &mut String) {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_header(["NAME", "TITLE", "PARAMETERS"]);
    // On a terminal long titles wrap; in a pipe each query stays on one line for scripts.
    if let Some(width) = terminal_width() {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
    }
    for query in queries {
        let parameters: Vec<String> = query
            .header
            .parameters
            .iter()
            .map(parameter_summary)
            .collect();
        table.add_row([
            query.name.clone(),
            query.header.title.clone().unwrap_or_default(),
            parameters.join(" "),
        ]);
    }
    // The borderless style pads every line with one space on the left.
    for line in table.to_string().lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line).trim_end());
        out.push('\n');
    }
}

fn describe(query: &NamedQuery, out: &mut String) {
    let header = &query.header;
    out.push_str(&format!(
        "{}: {}\n\n",
        query.name,
        header.title.as_deref().unwrap_or_default()
    ));
    if let Some(description) = &header.description {
        out.push_str(&format!("{description}\n\n"));
    }
    if !header.parameters.is_empty() {
        out.push_str("Parameters:\n");
        for p in &header.parameters {
            let default = p
                .default
                .as_deref()
                .map_or_else(|| ", required".to_owned(), |d| format!(", default {d}"));
            out.push_str(&format!(
                "  {} ({}{default}): {}\n",
                p.name, p.kind, p.description
            ));
        }
        out.push('\n');
    }
    if !header.examples.is_empty() {
        out.push_str("Examples:\n");
        for example in &header.examples {
            out.push_str(&format!("  {example}\n"));
        }
        out.push('\n');
    }
    out.push_str(&query.text);
    if !query.text.ends_with('\n') {
        out.push('\n');
    }
}
