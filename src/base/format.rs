//! The RDF syntaxes tipkg writes: their names, titles, file extensions and media types.

use crate::base::named::{Named, display_and_parse};
use std::path::Path;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Turtle, one block per subject, sorted.
    Turtle,
    /// N-Triples, streamed.
    Ntriples,
    /// N-Quads, streamed, one named graph per source.
    Nquads,
    /// TriG, one block per named graph, sorted.
    Trig,
    /// RDF/XML, sorted.
    Rdfxml,
    /// JSON-LD compacted with the tipkg context, a graph object per named graph.
    Jsonld,
    /// RDFC-1.0 canonical N-Quads, the form `tipkg hash` hashes.
    Canonical,
}

impl Named for Format {
    const KIND: &'static str = "format";
    const ALL: &'static [Self] = &Format::ALL;

    fn name(self) -> &'static str {
        Format::name(self)
    }
}

display_and_parse!(Format);

impl Format {
    pub const ALL: [Self; 7] = [
        Self::Turtle,
        Self::Ntriples,
        Self::Nquads,
        Self::Trig,
        Self::Rdfxml,
        Self::Jsonld,
        Self::Canonical,
    ];

    /// Whether named graphs survive in this format.
    pub fn is_quad_format(self) -> bool {
        matches!(
            self,
            Self::Nquads | Self::Trig | Self::Jsonld | Self::Canonical
        )
    }

    /// The format's name: `turtle`, `ntriples`, …
    pub fn name(self) -> &'static str {
        match self {
            Self::Turtle => "turtle",
            Self::Ntriples => "ntriples",
            Self::Nquads => "nquads",
            Self::Trig => "trig",
            Self::Rdfxml => "rdfxml",
            Self::Jsonld => "jsonld",
            Self::Canonical => "canonical",
        }
    }

    /// The name of the syntax, for people.
    pub fn title(self) -> &'static str {
        match self {
            Self::Turtle => "Turtle",
            Self::Ntriples => "N-Triples",
            Self::Nquads => "N-Quads",
            Self::Trig => "TriG",
            Self::Rdfxml => "RDF/XML",
            Self::Jsonld => "JSON-LD",
            Self::Canonical => "RDFC-1.0 canonical N-Quads",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::Ntriples => "nt",
            Self::Nquads => "nq",
            Self::Trig => "trig",
            Self::Rdfxml => "rdf",
            Self::Jsonld => "jsonld",
            Self::Canonical => "c14n.nq",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::Ntriples => "application/n-triples",
            Self::Nquads | Self::Canonical => "application/n-quads",
            Self::Trig => "application/trig",
            Self::Rdfxml => "application/rdf+xml",
            Self::Jsonld => "application/ld+json",
        }
    }

    /// The standard (or context) a distribution in this format follows beyond its syntax.
    pub fn conforms_to(self) -> Option<&'static str> {
        match self {
            Self::Canonical => Some("https://www.w3.org/TR/rdf-canon/"),
            Self::Jsonld => Some("https://w3id.org/tipkg/context.jsonld"),
            _ => None,
        }
    }

    /// The format a file name's extension names (`graph.ttl`, `graph.c14n.nq`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".c14n.nq") {
            return Some(Self::Canonical);
        }
        Some(match name.rsplit_once('.')?.1 {
            "ttl" | "turtle" => Self::Turtle,
            "nt" => Self::Ntriples,
            "nq" => Self::Nquads,
            "trig" => Self::Trig,
            "rdf" | "xml" | "owl" => Self::Rdfxml,
            "jsonld" | "json" => Self::Jsonld,
            _ => return None,
        })
    }
}
