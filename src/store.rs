//! The embedded Oxigraph store: the only module that opens one.
//!
//! A build reads, checks and maps the data, then loads the ontology and every quad in one
//! transaction, so a store never holds half a graph.

use crate::diagnostic::Diagnostics;
use crate::error::{Error, Result};
use crate::iri;
use crate::load::{self, DataRoot};
use crate::mapping;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::BTreeMap;

mod disk;
pub use disk::BuildReport;

/// The ontology, compiled into the binary.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/tipkg.ttl");

/// Parses the bundled ontology into quads of the ontology graph.
pub fn ontology_quads() -> Result<Vec<Quad>> {
    let graph = iri::ontology_graph();
    oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(graph)
        .for_slice(ONTOLOGY_TTL.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Ontology(e.to_string()))
}

/// Reads, checks and maps a data directory: the quads of the graph, or every problem found
/// (as [`Error::Data`]).
pub fn build_quads(root: &DataRoot) -> Result<Vec<Quad>> {
    let (parsed, diagnostics) = read_checked(root)?;
    if !diagnostics.is_empty() {
        return Err(Error::Data { diagnostics });
    }
    graph_quads(&parsed)
}

/// Reads and checks a data directory: the records, and every problem found, sorted.
pub fn read_checked(root: &DataRoot) -> Result<(load::Parsed, Diagnostics)> {
    let files = load::read(root)?;
    let mut diagnostics = Diagnostics::default();
    let parsed = load::parse(files, &mut diagnostics);
    if let DataRoot::Dir(dir) = root
        && parsed.failed.is_empty()
        && parsed.records() == 0
    {
        // The wrong directory, most likely: building it would replace the graph with nothing.
        return Err(Error::DataDir {
            path: dir.clone(),
            reason: "no records in it: a data directory holds records in *.toml files and \
                     sources in sources/*.toml, as the bundled data/ does"
                .into(),
        });
    }
    crate::check::check(&parsed, &mut diagnostics);
    diagnostics.sort();
    Ok((parsed, diagnostics))
}

/// The quads of checked records, with the ontology's.
pub fn graph_quads(parsed: &load::Parsed) -> Result<Vec<Quad>> {
    let mut quads = ontology_quads()?;
    quads.extend(mapping::map(parsed));
    Ok(quads)
}

/// The knowledge graph in an Oxigraph store: in memory, or on disk (`--store DIR`).
pub struct KnowledgeGraph {
    store: Store,
    /// Held while an on-disk store is open: exclusive for a writer, shared for readers.
    _lock: Option<disk::StoreLock>,
}

impl KnowledgeGraph {
    /// Builds the graph of a data directory in memory.
    pub fn build(root: &DataRoot) -> Result<Self> {
        Self::from_quads(build_quads(root)?)
    }

    /// Loads quads that are already read, checked and mapped (by validation, say) in one
    /// transaction.
    pub fn from_quads(quads: Vec<Quad>) -> Result<Self> {
        let store = Store::new()?;
        store.extend(quads)?;
        crate::description::refresh(&store)?;
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
            .map_err(|e| Error::Query(e.to_string()))?
            .on_store(&self.store)
            .execute()
            .map_err(|e| Error::Query(e.to_string()))?
        {
            for solution in solutions {
                let solution = solution.map_err(|e| Error::Query(e.to_string()))?;
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
