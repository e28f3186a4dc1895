//! The embedded Oxigraph store: the only module that opens one.
//!
//! The store knows quads, not records: a build hands it the quads that
//! [`crate::mapping::build_quads`] made, and it loads them with the dataset's description in
//! one transaction, so that a store never holds half a graph.

use crate::base::error::{Error, Result};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::BTreeMap;

pub mod description;
mod disk;
mod graphs;
pub mod import;
pub use disk::BuildReport;
pub use graphs::StoreGraph;

/// The knowledge graph in an Oxigraph store: in memory, or on disk (`--store DIR`).
pub struct KnowledgeGraph {
    store: Store,
    /// Held while an on-disk store is open: exclusive for a writer, shared for readers.
    _lock: Option<disk::StoreLock>,
}

impl KnowledgeGraph {
    /// Loads quads that are already read, checked and mapped (by validation, say) in one
    /// transaction.
    pub fn from_quads(quads: Vec<Quad>) -> Result<Self> {
        let store = Store::new()?;
        store.extend(quads)?;
        crate::store::description::refresh(&store)?;
        Ok(Self { store, _lock: None })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The number of triples in each named graph, sorted by graph IRI.
    pub fn graph_sizes(&self) -> Result<BTreeMap<String, usize>> {
        let mut sizes = BTreeMap::new();
        for quad in self.store.iter() {
            let quad = quad?;
            *sizes.entry(quad.graph_name.to_string()).or_insert(0) += 1;
        }
        Ok(sizes)
    }

    /// The number of distinct subjects of each class, over all graphs.
    pub fn class_counts(&self) -> Result<BTreeMap<String, usize>> {
        let query = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?class";
        let mut counts = BTreeMap::new();
        if let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
            .parse_query(query)
            .map_err(Error::Sparql)?
            .on_store(&self.store)
            .execute()?
        {
            for solution in solutions {
                let solution = solution?;
                if let (Some(Term::NamedNode(class)), Some(Term::Literal(n))) =
                    (solution.get("class"), solution.get("n"))
                {
                    counts.insert(class.as_str().to_owned(), n.value().parse().unwrap_or(0));
                }
            }
        }
        Ok(counts)
    }

    /// All quads, sorted, for stable output.
    pub fn sorted_quads(&self) -> Result<Vec<Quad>> {
        let mut quads = self.store.iter().collect::<Result<Vec<_>, _>>()?;
        quads.sort_by_cached_key(|q| q.to_string());
        Ok(quads)
    }

    /// The named graphs, sorted.
    pub fn graph_names(&self) -> Result<Vec<NamedOrBlankNode>> {
        let mut names = self.store.named_graphs().collect::<Result<Vec<_>, _>>()?;
        names.sort_by_cached_key(|g| g.to_string());
        Ok(names)
    }

    pub fn is_default_graph_empty(&self) -> Result<bool> {
        Ok(self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .next()
            .is_none())
    }
}
