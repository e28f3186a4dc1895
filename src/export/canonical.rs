//! RDFC-1.0 canonical N-Quads and their SHA-256, with sophia's canonicaliser behind one
//! function: two exports hold the same graph exactly when their canonical forms (and so
//! their hashes) are equal, whatever the order of the data files or of the quads.

use crate::base::error::{Error, Result};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};
use sophia_api::MownStr;
use sophia_api::dataset::MutableDataset;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use sophia_inmem::dataset::LightDataset;
use std::io::Write;

/// Writes the RDFC-1.0 canonical N-Quads of `quads` (blank nodes relabelled, lines sorted).
pub fn write(quads: impl Iterator<Item = Result<Quad>>, out: &mut dyn Write) -> Result<()> {
    let mut dataset = LightDataset::new();
    for quad in quads {
        let quad = quad?;
        let graph = match &quad.graph_name {
            GraphName::DefaultGraph => None,
            GraphName::NamedNode(node) => Some(iri(node.as_str())),
            GraphName::BlankNode(node) => Some(bnode(node.as_str())),
        };
        dataset
            .insert(
                subject(&quad.subject),
                iri(quad.predicate.as_str()),
                term(&quad.object),
                graph,
            )
            .map_err(|e| Error::Export {
                message: "canonical form".into(),
                source: Some(e.into()),
            })?;
    }
    sophia_c14n::rdfc10::normalize(&dataset, out).map_err(|e| match e {
        sophia_c14n::C14nError::Io(source) => Error::Io {
            path: "<output>".into(),
            source,
        },
        other => Error::Export {
            message: "canonical form".into(),
            source: Some(other.into()),
        },
    })
}

/// The SHA-256 of the canonical N-Quads of `quads`, in lower-case hexadecimal.
pub fn hash(quads: impl Iterator<Item = Result<Quad>>) -> Result<String> {
    let mut hasher = HashWriter(Sha256::new());
    write(quads, &mut hasher)?;
    Ok(hasher
        .0
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Feeds what is written into the hash, so that the canonical form is never held whole.
struct HashWriter(Sha256);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn iri(iri: &str) -> SimpleTerm<'_> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(iri)))
}

fn bnode(id: &str) -> SimpleTerm<'_> {
    SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(id)))
}

fn subject(subject: &NamedOrBlankNode) -> SimpleTerm<'_> {
    match subject {
        NamedOrBlankNode::NamedNode(node) => iri(node.as_str()),
        NamedOrBlankNode::BlankNode(node) => bnode(node.as_str()),
    }
}

fn term(term: &Term) -> SimpleTerm<'_> {
    match term {
        Term::NamedNode(node) => iri(node.as_str()),
        Term::BlankNode(node) => bnode(node.as_str()),
        Term::Literal(literal) => match literal.language() {
            Some(language) => SimpleTerm::LiteralLanguage(
                MownStr::from(literal.value()),
                LanguageTag::new_unchecked(MownStr::from(language)),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                MownStr::from(literal.value()),
                IriRef::new_unchecked(MownStr::from(literal.datatype().as_str())),
            ),
        },
        // RDF 1.2 triple terms never reach the store (see ARCHITECTURE.md), but the term
        // type has them since the `rdf-12` feature is on: hash them as what they are.
        Term::Triple(triple) => SimpleTerm::Triple(Box::new([
            subject(&triple.subject),
            iri(triple.predicate.as_str()),
            self::term(&triple.object),
        ])),
    }
}
