//! Streaming N-Triples and N-Quads straight out of an on-disk store, for graphs too big to
//! sort in memory: quads are written in the store's own order (deterministic: the same
//! graph gives the same bytes) while they are read, so memory stays flat however large the
//! store is.
//!
//! N-Triples is the union of the graphs without duplicates: a triple stated in several
//! graphs is written the first time it is met, which a point lookup on the store decides
//! (only needed once a second graph has been seen), rather than a set of every triple.

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::GraphName;
use std::collections::HashMap;
use std::io::Write;

/// Writes every quad of the store as N-Quads, or the union of its graphs as N-Triples.
pub fn write(graph: &KnowledgeGraph, quads: bool, out: &mut (impl Write + ?Sized)) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        path: "<output>".into(),
        source: e,
    };
    let format = if quads {
        RdfFormat::NQuads
    } else {
        RdfFormat::NTriples
    };
    let store = graph.store();
    let mut serializer = RdfSerializer::from_format(format).for_writer(out);
    // The order in which graphs were first met: a triple is written from the first.
    let mut graphs: HashMap<GraphName, usize> = HashMap::new();
    for quad in store.iter() {
        let quad = quad?;
        if quads {
            serializer.serialize_quad(&quad).map_err(io)?;
            continue;
        }
        let next = graphs.len();
        let index = *graphs.entry(quad.graph_name.clone()).or_insert(next);
        if graphs.len() > 1 {
            let mut earlier = false;
            for other in store.quads_for_pattern(
                Some(quad.subject.as_ref()),
                Some(quad.predicate.as_ref()),
                Some(quad.object.as_ref()),
                None,
            ) {
                let other = other?;
                if graphs.get(&other.graph_name).is_some_and(|&i| i < index) {
                    earlier = true;
                    break;
                }
            }
            if earlier {
                continue;
            }
        }
        serializer
            .serialize_triple(oxigraph::model::TripleRef::new(
                quad.subject.as_ref(),
                quad.predicate.as_ref(),
                quad.object.as_ref(),
            ))
            .map_err(io)?;
    }
    serializer.finish().map_err(io)?;
    Ok(())
}
