//! The command line's choices among the library's named values (`--format`, `--target`,
//! `--mode` …): the possible values are the library's names, the help of each value is the
//! command line's own, and a value parses into the library's type.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use tipkg::base::format::Format;
use tipkg::base::named::Named;
use tipkg::export::{ContextMode, Frame};
use tipkg::net::target::Target;
use tipkg::publish::Protocol;
use tipkg::query::results::OutputFormat;

/// A value parser for a named type: its names as the possible values, each with the help
/// that `help` gives (none when it gives `None`).
pub fn named<T: Named>(help: fn(T) -> Option<&'static str>) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::ALL.iter().map(|&value| {
        let possible = PossibleValue::new(value.name());
        match help(value) {
            Some(text) => possible.help(text),
            None => possible,
        }
    }))
    .try_map(|name: String| tipkg::base::named::parse::<T>(&name))
}

/// No help for any value: the names say enough.
pub fn plain<T>(_: T) -> Option<&'static str> {
    None
}

pub fn format(format: Format) -> Option<&'static str> {
    Some(match format {
        Format::Turtle => "Turtle, one block per subject, sorted",
        Format::Ntriples => "N-Triples, streamed",
        Format::Nquads => "N-Quads, streamed, one named graph per source",
        Format::Trig => "TriG, one block per named graph, sorted",
        Format::Rdfxml => "RDF/XML, sorted",
        Format::Jsonld => {
            "JSON-LD compacted with the tipkg context, a graph object per named graph"
        }
        Format::Canonical => "RDFC-1.0 canonical N-Quads, the form `tipkg hash` hashes",
    })
}

pub fn context_mode(mode: ContextMode) -> Option<&'static str> {
    Some(match mode {
        ContextMode::Embed => "The whole context inside the document, which then stands alone",
        ContextMode::Reference => {
            "The context's published address, <https://w3id.org/tipkg/context.jsonld>"
        }
    })
}

pub fn frame(frame: Frame) -> Option<&'static str> {
    Some(match frame {
        Frame::Entity => {
            "One node per entity, with the nodes that only it refers to (its participations, its amounts) nested inside it"
        }
    })
}

pub fn output_format(format: OutputFormat) -> Option<&'static str> {
    Some(match format {
        OutputFormat::Table => {
            "Aligned columns, IRIs shortened with the known prefixes, long values wrapped"
        }
        OutputFormat::Csv => "SPARQL 1.1 Query Results CSV",
        OutputFormat::Tsv => "SPARQL 1.1 Query Results TSV",
        OutputFormat::Json => "SPARQL 1.1 Query Results JSON",
        OutputFormat::Xml => "SPARQL 1.1 Query Results XML",
        OutputFormat::Turtle => "Turtle (CONSTRUCT, DESCRIBE)",
        OutputFormat::Ntriples => "N-Triples (CONSTRUCT, DESCRIBE)",
        OutputFormat::Nquads => "N-Quads (CONSTRUCT, DESCRIBE)",
        OutputFormat::Trig => "TriG (CONSTRUCT, DESCRIBE)",
    })
}

pub fn target(target: Target) -> Option<&'static str> {
    Some(match target {
        Target::Virtuoso => "Virtuoso 7: `/sparql`, `/sparql-auth`, `/sparql-graph-crud(-auth)`",
        Target::Oxigraph => "Oxigraph server: `/query`, `/update`, `/store`",
        Target::Fuseki => {
            "Apache Jena Fuseki, the endpoint being a dataset: `DS/query`, `DS/update`, `DS/data`"
        }
        Target::Graphdb => {
            "GraphDB, the endpoint being a repository: `REPO`, `REPO/statements`, `REPO/rdf-graphs/service`"
        }
        Target::Generic => {
            "Any SPARQL 1.1 server: the endpoint answers queries and updates; give --store-url for the Graph Store Protocol"
        }
    })
}

pub fn protocol(protocol: Protocol) -> Option<&'static str> {
    Some(match protocol {
        Protocol::Gsp => {
            "SPARQL 1.1 Graph Store HTTP Protocol: many graphs per request where the store takes a dataset"
        }
        Protocol::Update => "SPARQL 1.1 Update: INSERT DATA in batches, small graphs together",
    })
}

pub fn mode(mode: tipkg::publish::Mode) -> Option<&'static str> {
    use tipkg::publish::Mode;
    Some(match mode {
        Mode::Replace => "The graph becomes exactly what is sent",
        Mode::Append => "What is sent is added to the graph",
    })
}
