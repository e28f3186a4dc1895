//! The named graphs of a store with their sizes, and one graph read as a stream of its
//! triples: what a push reads to send a large graph while it reads it, without holding it.
//!
//! Sizes are counted on the store's ids (no term is turned back into text); a graph's
//! triples come in the order of the store's index, which is the same for the same content,
//! so that the same store makes the same requests.

use super::KnowledgeGraph;
use crate::base::error::{Error, Result};
use oxigraph::model::{GraphNameRef, NamedNode, QuadRef, Term, Triple};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

/// One named graph of a store and the number of its triples. It reads the store it came
/// from: keep the [`KnowledgeGraph`] (and its lock) open while it is used.
#[derive(Clone)]
pub struct StoreGraph {
    store: Store,
    name: NamedNode,
    triples: u64,
}

impl std::fmt::Debug for StoreGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreGraph")
            .field("name", &self.name)
            .field("triples", &self.triples)
            .finish()
    }
}

impl KnowledgeGraph {
    /// Every graph that holds triples, sorted by IRI, with its size; an error when a
    /// graph is named by a blank node.
    pub fn sized_graphs(&self) -> Result<Vec<StoreGraph>> {
        let query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g";
        let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
            .parse_query(query)
            .map_err(Error::Sparql)?
            .on_store(&self.store)
            .execute()?
        else {
            return Ok(Vec::new());
        };
        let mut graphs = Vec::new();
        for solution in solutions {
            let solution = solution?;
            let (Some(Term::NamedNode(name)), Some(Term::Literal(n))) =
                (solution.get("g"), solution.get("n"))
            else {
                return Err(Error::Usage(
                    "the store has a graph named by a blank node; stores get graphs named by IRIs"
                        .into(),
                ));
            };
            graphs.push(StoreGraph {
                store: self.store.clone(),
                name: name.clone(),
                triples: n.value().parse().unwrap_or(0),
            });
        }
        graphs.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(graphs)
    }
}

impl StoreGraph {
    pub fn name(&self) -> &NamedNode {
        &self.name
    }

    /// The number of triples in the graph.
    pub fn len(&self) -> u64 {
        self.triples
    }

    pub fn is_empty(&self) -> bool {
        self.triples == 0
    }

    /// The graph's triples, read one at a time in the order of the store's index.
    pub fn triples(&self) -> impl Iterator<Item = Result<Triple>> + 'static {
        let graph = GraphNameRef::NamedNode(self.name.as_ref());
        (self.store.quads_for_pattern(None, None, None, Some(graph)))
            .map(|quad| quad.map(Triple::from).map_err(Error::from))
    }

    /// Whether the graph holds `triple`.
    pub fn holds(&self, triple: &Triple) -> Result<bool> {
        let quad = QuadRef::new(
            &triple.subject,
            &triple.predicate,
            &triple.object,
            &self.name,
        );
        Ok(self.store.contains(quad)?)
    }

    /// Whether a subject or an object of the graph is a blank node.
    pub fn has_blank_nodes(&self) -> Result<bool> {
        let query = format!(
            "ASK {{ GRAPH {} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}",
            self.name
        );
        match SparqlEvaluator::new()
            .parse_query(&query)
            .map_err(Error::Sparql)?
            .on_store(&self.store)
            .execute()?
        {
            QueryResults::Boolean(found) => Ok(found),
            _ => Ok(false),
        }
    }
}
