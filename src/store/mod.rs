//! The embedded Oxigraph store: the only module that opens one.
//!
//! The store knows quads, not records: a build hands it the quads that
//! [`crate::mapping::build_quads`] made, and it loads them with the dataset's description in
//! one transaction, so that a store never holds half a graph.

use crate::base::error::{Error, Result};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, GraphNameRef, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::{BTreeMap, HashMap, HashSet};

pub mod description;
mod disk;
mod graphs;
pub mod import;
pub mod numbered;
pub use disk::BuildReport;
pub use graphs::{StoreGraph, Together};

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

    /// What `tipkg build` reports of the graph.
    pub fn summary(&self) -> Result<Summary> {
        Ok(Summary {
            graph_sizes: self.graph_sizes()?,
            class_counts: self.class_counts()?,
        })
    }

    /// The number of triples in each graph (the default graph, if it holds any, as
    /// `DEFAULT`), sorted by graph name. The named graphs are counted by one query, which
    /// reads the store's ids without turning them back into terms: reading every quad did,
    /// and took a third of the time of building a million triples into a store.
    pub fn graph_sizes(&self) -> Result<BTreeMap<String, usize>> {
        let mut sizes = self.counted(
            "SELECT ?key (COUNT(*) AS ?n) WHERE { GRAPH ?key { ?s ?p ?o } } GROUP BY ?key",
            |graph| Some(graph.to_string()),
        )?;
        let mut default = 0;
        for quad in
            (self.store).quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        {
            quad?;
            default += 1;
        }
        if default > 0 {
            sizes.insert(GraphName::DefaultGraph.to_string(), default);
        }
        Ok(sizes)
    }

    /// The number of distinct subjects of each class, over all graphs.
    pub fn class_counts(&self) -> Result<BTreeMap<String, usize>> {
        self.counted(
            "SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?key } } GROUP BY ?key",
            |class| match class {
                Term::NamedNode(class) => Some(class.as_str().to_owned()),
                _ => None,
            },
        )
    }

    /// The counts `?n` of a query that groups by `?key`, each under the name `name` gives
    /// its key (a key it gives none is left out).
    fn counted(
        &self,
        query: &str,
        name: impl Fn(&Term) -> Option<String>,
    ) -> Result<BTreeMap<String, usize>> {
        let mut counts = BTreeMap::new();
        for solution in select(&self.store, query)? {
            let solution = solution?;
            if let (Some(key), Some(Term::Literal(n))) =
                (solution.get("key").and_then(&name), solution.get("n"))
            {
                counts.insert(key, n.value().parse().unwrap_or(0));
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

/// The size of a graph by named graph and by class: the triples of each named graph (by
/// its name as N-Quads writes it) and the distinct instances of each class over the named
/// graphs, both sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub graph_sizes: BTreeMap<String, usize>,
    pub class_counts: BTreeMap<String, usize>,
}

impl Summary {
    /// The summary of the graph that [`KnowledgeGraph::from_quads`] would hold, counted from
    /// the quads without loading a store: each quad once, the description of the dataset
    /// computed from them as the store computes it (replacing any they have). A build in
    /// memory needs the store for nothing else, and indexing it cost a seventh of the
    /// build's time.
    pub fn of_quads(quads: &[Quad]) -> Result<Self> {
        let (kept, description) = description::held(quads)?;
        let held = kept.into_iter().chain(&description);
        let mut graph_sizes = BTreeMap::new();
        let mut instances: HashMap<&str, HashSet<&NamedOrBlankNode>> = HashMap::new();
        for quad in held {
            *graph_sizes.entry(quad.graph_name.to_string()).or_insert(0) += 1;
            if let (Term::NamedNode(class), false) =
                (&quad.object, quad.graph_name.is_default_graph())
                && quad.predicate == rdf::TYPE
            {
                instances
                    .entry(class.as_str())
                    .or_default()
                    .insert(&quad.subject);
            }
        }
        let class_counts = (instances.into_iter())
            .map(|(class, subjects)| (class.to_owned(), subjects.len()))
            .collect();
        Ok(Self {
            graph_sizes,
            class_counts,
        })
    }
}

/// The solutions of a `SELECT` query on `store`.
fn select(store: &Store, query: &str) -> Result<oxigraph::sparql::QuerySolutionIter<'static>> {
    let query = spargebra::SparqlParser::new().parse_query(query)?;
    select_query(store, query)
}

/// The solutions of a `SELECT` query, built or parsed, on `store`.
fn select_query(
    store: &Store,
    query: spargebra::Query,
) -> Result<oxigraph::sparql::QuerySolutionIter<'static>> {
    if !matches!(query, spargebra::Query::Select { .. }) {
        return Err(Error::Usage(format!("not a SELECT query: {query}")));
    }
    match (SparqlEvaluator::new())
        .for_query(query)
        .on_store(store)
        .execute()?
    {
        QueryResults::Solutions(solutions) => Ok(solutions),
        _ => Err(Error::Usage("a SELECT query gave no solutions".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::iri;
    use crate::model::load::DataRoot;
    use oxigraph::model::GraphName;
    use oxigraph::model::{Literal, NamedNode};

    /// The summary counted from the quads is the one the in-memory store gives, also when
    /// quads repeat, a stale description is among them, and the default graph types a node.
    #[test]
    fn the_summary_of_the_quads_is_the_stores() {
        let mut quads = crate::mapping::build_quads(&DataRoot::Bundled).unwrap();
        let from_store = KnowledgeGraph::from_quads(quads.clone())
            .unwrap()
            .summary()
            .unwrap();
        let summary = Summary::of_quads(&quads).unwrap();
        assert_eq!(summary, from_store);
        assert!(summary.graph_sizes.len() > 5, "{summary:?}");
        assert!(summary.class_counts.len() > 10, "{summary:?}");

        let node = |s: &str| NamedNode::new_unchecked(format!("http://example.org/{s}"));
        let repeated: Vec<Quad> = quads[..50].to_vec();
        quads.extend(repeated);
        quads.push(Quad::new(
            node("x"),
            rdf::TYPE,
            node("C"),
            GraphName::DefaultGraph,
        ));
        quads.push(Quad::new(
            node("y"),
            rdf::TYPE,
            node("C"),
            iri::dataset_graph(),
        ));
        quads.push(Quad::new(
            node("y"),
            node("p"),
            Literal::new_simple_literal("stale"),
            iri::dataset_graph(),
        ));
        let from_store = KnowledgeGraph::from_quads(quads.clone())
            .unwrap()
            .summary()
            .unwrap();
        assert_eq!(Summary::of_quads(&quads).unwrap(), from_store);
        assert!(
            from_store.graph_sizes.contains_key("DEFAULT"),
            "{from_store:?}"
        );
    }
}
