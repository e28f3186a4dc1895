//! Writing the graph out in RDF syntaxes.
//!
//! Triple formats (Turtle, N-Triples) get the union of all named graphs, without
//! duplicates; quad formats (N-Quads, TriG) keep every graph. Output is sorted, so the same
//! graph always gives the same bytes, and Turtle and TriG declare only the prefixes in use.

use crate::error::{Error, Result};
use crate::vocab::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad, Term, Triple};
use std::collections::BTreeSet;
use std::io::Write;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
}

impl Format {
    pub fn is_quad_format(self) -> bool {
        matches!(self, Self::Nquads | Self::Trig)
    }

    fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::Ntriples => RdfFormat::NTriples,
            Self::Nquads => RdfFormat::NQuads,
            Self::Trig => RdfFormat::TriG,
        }
    }
}

/// Writes `quads` in `format` to `out`.
pub fn write(quads: &[Quad], format: Format, out: &mut (impl Write + ?Sized)) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        path: "<output>".into(),
        source: e,
    };
    if format.is_quad_format() {
        let mut sorted: Vec<&Quad> = quads.iter().collect();
        sorted.sort_by_cached_key(|q| {
            (
                q.graph_name.to_string(),
                q.subject.to_string(),
                q.predicate.to_string(),
                q.object.to_string(),
            )
        });
        let mut serializer = with_prefixes(
            RdfSerializer::from_format(format.rdf_format()),
            quads.iter().map(Quad::as_ref).map(|q| {
                (
                    q.subject.into_owned().into(),
                    q.predicate.into_owned().into(),
                    q.object.into_owned(),
                    q.graph_name.into_owned(),
                )
            }),
        )
        .for_writer(out);
        for quad in sorted {
            serializer.serialize_quad(quad).map_err(io)?;
        }
        serializer.finish().map_err(io)?;
    } else {
        let triples: BTreeSet<TripleKey> = quads
            .iter()
            .map(|q| TripleKey::new(Triple::from(q.clone())))
            .collect();
        let mut serializer = with_prefixes(
            RdfSerializer::from_format(format.rdf_format()),
            triples.iter().map(|t| {
                (
                    t.0.subject.clone().into(),
                    t.0.predicate.clone().into(),
                    t.0.object.clone(),
                    GraphName::DefaultGraph,
                )
            }),
        )
        .for_writer(out);
        for triple in &triples {
            serializer.serialize_triple(&triple.0).map_err(io)?;
        }
        serializer.finish().map_err(io)?;
    }
    Ok(())
}

/// A triple ordered by its N-Triples text, so that subjects group together.
#[derive(PartialEq, Eq)]
struct TripleKey(Triple, String);

impl TripleKey {
    fn new(triple: Triple) -> Self {
        let key = format!("{} {} {}", triple.subject, triple.predicate, triple.object);
        Self(triple, key)
    }
}

impl PartialOrd for TripleKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TripleKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.1.cmp(&other.1)
    }
}

/// Declares the known prefixes whose namespace some term of the data starts with.
fn with_prefixes(
    serializer: RdfSerializer,
    terms: impl Iterator<Item = (Term, Term, Term, GraphName)>,
) -> RdfSerializer {
    let mut used = BTreeSet::new();
    for (s, p, o, g) in terms {
        let graph: Option<Term> = match g {
            GraphName::NamedNode(n) => Some(n.into()),
            _ => None,
        };
        for term in [Some(s), Some(p), Some(o), graph].into_iter().flatten() {
            let iri = match &term {
                Term::NamedNode(n) => n.as_str(),
                Term::Literal(l) => l.datatype().as_str(),
                _ => continue,
            };
            // The longest namespace wins, so that `id/` is used rather than the base.
            if let Some((prefix, _)) = PREFIXES
                .iter()
                .filter(|(_, ns)| iri.starts_with(ns) && is_local_name(&iri[ns.len()..]))
                .max_by_key(|(_, ns)| ns.len())
            {
                used.insert(*prefix);
            }
        }
    }
    let mut serializer = serializer;
    for (prefix, namespace) in PREFIXES {
        if used.contains(prefix) {
            serializer = serializer
                .with_prefix(*prefix, *namespace)
                .expect("bundled prefixes are valid");
        }
    }
    serializer
}

/// Whether the rest of an IRI can be written as a prefixed name's local part.
fn is_local_name(local: &str) -> bool {
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}
