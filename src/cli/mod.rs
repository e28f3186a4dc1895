//! The command line: argument definitions and what each command does with the library.
//! Data goes to stdout (or `-o FILE`), messages to stderr. Each command lives in a file of
//! its own; this one holds the shared options and the dispatch; `output` writes the data.

/// Messages on stderr: unlike the standard macros these never panic, so that a reader of
/// stderr that went away (`tipkg build 2>&1 | head -1`) cannot make a command fail. Every
/// command module below uses them.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod build;
mod completions;
mod diff;
mod errors;
mod export;
mod generate;
mod hash;
mod heap;
mod import;
mod ingest;
mod new;
mod output;
mod plain;
mod pull;
mod push;
mod queries;
mod query;
mod serve;
mod show;
mod site;
mod validate;
mod values;

pub use errors::render;
pub use output::{terminal_width, write_output};

use anyhow::{Result, bail};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use tipkg::model::load::DataRoot;
use tipkg::store::KnowledgeGraph;

/// tipkg builds a sourced RDF knowledge graph of the work against trafficking in persons
/// from curated data files, and queries and exports it.
///
/// The curated data and the ontology are built into the binary; --data points at a data
/// directory of the same layout instead.
#[derive(Debug, Parser)]
#[command(name = "tipkg", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Read the data from this directory instead of the bundled data
    #[arg(long, global = true, value_name = "DIR", env = "TIPKG_DATA")]
    pub data: Option<PathBuf>,

    /// Print nothing on stderr but errors
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Keep the graph in an on-disk store in this directory: `build` and `import` write
    /// it, the other commands read it instead of building the data in memory
    #[arg(long, global = true, value_name = "DIR", env = "TIPKG_STORE")]
    pub store: Option<PathBuf>,
}

impl GlobalArgs {
    pub fn root(&self) -> DataRoot {
        match &self.data {
            Some(dir) => DataRoot::Dir(dir.clone()),
            None => DataRoot::Bundled,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read, check, map and load the data, then summarise the graph on stderr
    ///
    /// Exits with 2 and lists every problem, with file, line and column, when the data
    /// has errors; nothing is written.
    ///
    /// The graph is validated against the bundled SHACL shapes first: data with violations
    /// is refused, with the same report as `tipkg validate`, unless --no-validate.
    Build(build::BuildArgs),

    /// Write the graph in an RDF syntax, or every entity as plain JSON or CSV tables
    ///
    /// Triple formats (turtle, ntriples, rdfxml, framed jsonld) get the union of the
    /// selected graphs; quad formats (nquads, trig, jsonld, canonical) keep one named graph
    /// per source. The same graph always gives the same bytes: ntriples and nquads are
    /// streamed in the store's order, the others are sorted (or streamed with --stream).
    Export(export::ExportArgs),

    /// Print the SHA-256 of the graph's RDFC-1.0 canonical N-Quads
    ///
    /// Two graphs have the same hash exactly when they hold the same quads, whatever the
    /// order of the data files and records they were built from.
    Hash(hash::HashArgs),

    /// Run a bundled query, a .rq file or SPARQL text on the graph or on an endpoint
    ///
    /// The default graph of the query is the union of all named graphs; use GRAPH ?g to
    /// see which source said what. Parameters are bound as RDF terms of their kind, never
    /// pasted into the text. SELECT prints a table on a terminal and SPARQL TSV otherwise;
    /// ASK prints true or false and exits with 0 when true and 1 when false, like grep -q;
    /// CONSTRUCT and DESCRIBE print Turtle unless --format says otherwise.
    Query(query::QueryArgs),

    /// List the bundled queries, or show one with its parameters and text
    Queries(queries::QueriesArgs),

    /// Describe one entity: its names, types and identifiers, and every fact about it,
    /// grouped by the source that states it
    ///
    /// The entity is given as KIND/SLUG, an IRI, or a name, acronym or slug; a near miss
    /// gets a suggestion and a name that several things bear the list of them (exit 2).
    /// Each source's section says what it is (title, publisher, date, address), the facts
    /// it states about the entity and those of other things that point to it, with the
    /// evidence quotes and, where sources disagree, the editorial ranks. --format json gives
    /// the same as plain JSON; the RDF formats give the entity's facts in and out as they
    /// are in the graph.
    Show(show::ShowArgs),
    /// Check the graph against the SHACL shapes and the data checks, and report findings
    ///
    /// Validates the graph of the data (the union of the sources' named graphs, without the
    /// ontology) or RDF files, against ontology/shapes.ttl or --shapes. The text report
    /// groups findings by entity and points to the data file and line of each record.
    /// Exits with 0 when nothing is at the --fail-on level or above, 1 when something is,
    /// 2 when the run itself fails.
    Validate(validate::ValidateArgs),
    /// Load the graph into an external triplestore, safely, and verify what arrived
    ///
    /// Each named graph is loaded into a staging graph, counted on the server, then moved
    /// over its target graph; when anything fails first, the store's graphs are as they
    /// were. Secrets come only from --password-env, --password-file, --token-env or
    /// --token-file, and are never printed.
    Push(push::PushArgs),

    /// Read one graph of an external triplestore as N-Triples
    Pull(pull::PullArgs),
    /// Load RDF files into the on-disk store (--store DIR) with the bulk loader
    ///
    /// Any RDF syntax, from the file extension or --format; `.gz` files are read
    /// transparently. Triples of a file's default graph go to a named graph: one named
    /// after the file under https://w3id.org/tipkg/import/ (`/tmp/news.nt.gz` into
    /// import/news.nt), or --graph. Each file is loaded atomically: a syntax error
    /// (reported with file, line and column) keeps nothing of that file, unless --lenient
    /// skips the bad statements. Importing a file again replaces what its graphs held
    /// (--append adds to them). Graphs under https://w3id.org/tipkg/graph/ belong to
    /// `build`: an import that would write there is refused.
    Import(import::ImportArgs),

    /// Serve the graph read-only over HTTP: SPARQL endpoint, linked data and pages
    ///
    /// A SPARQL 1.1 Protocol endpoint at /sparql (queries only, the union of the named
    /// graphs as default graph), the Graph Store Protocol for reading at /store, the graph's
    /// IRIs (/id/…, /concept/…) answering 303 See Other to a document in the format the
    /// client accepts (/doc/….html, .ttl, .jsonld, .nt, …), /graph/SOURCE, /ontology,
    /// /dataset and its downloads, and pages for people: search, entities, classes, the
    /// bundled queries and a SPARQL editor. One log line per request on stderr.
    Serve(serve::ServeArgs),

    /// Write the graph's pages and documents as a static site, for any static host
    ///
    /// The pages of `tipkg serve` as files: an HTML page and Turtle, JSON-LD and N-Triples
    /// per entity, class pages, source pages with the quoted passages marked in their text,
    /// the ontology's documentation, the dataset's description and downloads, a search page
    /// that searches in the browser, sitemap.xml, and the .htaccess that makes the graph's
    /// IRIs answer 303 See Other to them by content negotiation on Apache. The same graph
    /// gives the same bytes.
    Site(site::SiteArgs),

    /// Print a shell completion script for bash, zsh, fish, elvish or powershell
    ///
    /// Load it into the running shell, or install it where the shell looks for completions.
    Completions(completions::CompletionsArgs),

    /// Print the man page (roff) of tipkg, or of one of its commands
    ///
    /// View it with `tipkg man | man -l -`, or install it as tipkg.1 (and each command's
    /// page as tipkg-COMMAND.1) in a man directory.
    Man(completions::ManArgs),

    /// Draft new data from documents (text, HTML, Markdown) for a curator to review
    ///
    /// Writes a source record, the document's text, the mentions of entities the graph knows
    /// (linked by their names, acronyms and countries' usual names, with the sentence as
    /// quote), candidates for new entities and candidate facts. Each proposal carries a
    /// `review` line, which the checks refuse, so that the draft does not build until a
    /// curator has decided it. A summary goes to stderr. The names are the data's records',
    /// or with --store the labels of an on-disk store (quicker to read than many records).
    Ingest(ingest::IngestArgs),
    /// Show what changed between two versions of the data, by entity and by source
    ///
    /// OLD and NEW are data directories, on-disk stores, RDF files, or git revisions of the
    /// data (HEAD~1 reads data/ as it was one commit ago). Lists the entities added and
    /// removed, and the facts added, removed and changed (old → new), quotes and
    /// identifiers included, in each source's graph, with labels. Exits with 0 when
    /// nothing changed, 1 when something did, 2 on error, like diff.
    Diff(diff::DiffArgs),

    /// Append a skeleton record of a kind to the data, to fill in
    ///
    /// The record goes to the data file that holds the kind's records (a source to a new
    /// file sources/ID.toml), with its id (and --source) filled in and every other field
    /// commented out with its meaning; the required ones say so, and the data does not
    /// build until they are written. An id that exists (for the same source) is refused
    /// with the place of the existing record. Prints the file and line of the new record.
    /// The data directory is --data DIR, or ./data.
    New(new::NewArgs),

    /// Write synthetic, domain-shaped data of a chosen size (for benchmarks)
    #[command(hide = true)]
    Generate(generate::GenerateArgs),
}

/// What a command's outcome means for the exit code.
pub enum Outcome {
    Success,
    /// A negative answer: ASK was false, the data does not conform.
    Negative,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Build(args) => build::run(&cli.global, &args),
        Command::Export(args) => export::run(&cli.global, &args),
        Command::Hash(args) => hash::run(&cli.global, &args),
        Command::Query(args) => query::run(&cli.global, &args),
        Command::Queries(args) => queries::run(&args),
        Command::Show(args) => show::run(&cli.global, &args),
        Command::Validate(args) => validate::run(&cli.global, &args),
        Command::Push(args) => push::run(&cli.global, &args),
        Command::Pull(args) => pull::run(&cli.global, &args),
        Command::Import(args) => import::run(&cli.global, &args),
        Command::Serve(args) => serve::run(&cli.global, &args),
        Command::Site(args) => site::run(&cli.global, &args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
        Command::Ingest(args) => ingest::run(&cli.global, &args),
        Command::Diff(args) => diff::run(&args),
        Command::New(args) => new::run(&cli.global, &args),
        Command::Generate(args) => generate::run(&cli.global, &args),
    }
}

/// Builds the graph the global options name, printing any warnings; with --store, opens
/// the on-disk store for reading instead. --store and --data both on the command line are a
/// usage error, as one of them would be ignored; one on the command line wins over the other
/// from the environment (TIPKG_STORE, TIPKG_DATA).
pub fn load(global: &GlobalArgs) -> Result<KnowledgeGraph> {
    match source(global)? {
        Source::Built(quads) => Ok(KnowledgeGraph::from_quads(quads)?),
        Source::Store(dir) => Ok(KnowledgeGraph::open_read_only(dir)?),
    }
}

/// Where [`load`] gets the graph: the data's quads, mapped, or a store to open.
pub enum Source<'a> {
    Built(Vec<oxigraph::model::Quad>),
    Store(&'a Path),
}

/// The data's quads, read, checked and mapped, or the store (see [`load`]).
pub fn source(global: &GlobalArgs) -> Result<Source<'_>> {
    match store_to_read(global)? {
        Some(dir) => Ok(Source::Store(dir)),
        None => Ok(Source::Built(tipkg::mapping::build_quads(&global.root())?)),
    }
}

/// The store a reading command reads instead of the data (see [`load`]), if any.
pub fn store_to_read(global: &GlobalArgs) -> Result<Option<&Path>> {
    let data_given = global.data.is_some() && given(&global.data, "TIPKG_DATA");
    if let Some(dir) = &global.store {
        if given(&global.store, "TIPKG_STORE") && data_given {
            bail!(
                "--store and --data cannot be used together here: this command reads the store, or builds the graph from the data; give one of them (`tipkg build --data DIR --store STORE` makes a store of a data directory)"
            );
        }
        if !data_given {
            return Ok(Some(dir));
        }
    }
    Ok(None)
}

/// Whether an option's value came from the command line rather than from its environment
/// variable.
pub fn given(value: &Option<PathBuf>, variable: &str) -> bool {
    value.is_some()
        && value.as_deref()
            != std::env::var_os(variable)
                .as_deref()
                .map(std::path::Path::new)
}
