//! Running SPARQL on the graph. The default graph of a query is the union of every named
//! graph, so that a query without `GRAPH` sees the whole knowledge graph; `GRAPH ?g` still
//! tells where each fact was said.

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::io::Write;

/// Runs `query` and writes its results: solutions and booleans in `format`, graphs as
/// N-Triples. Returns the boolean of an ASK query.
pub fn run(
    graph: &KnowledgeGraph,
    query: &str,
    format: QueryResultsFormat,
    out: &mut (impl Write + ?Sized),
) -> Result<Option<bool>> {
    let mut prepared = SparqlEvaluator::new()
        .parse_query(query)
        .map_err(|e| Error::Query(format!("invalid query: {e}")))?;
    prepared.dataset_mut().set_default_graph_as_union();
    let results = prepared
        .on_store(graph.store())
        .execute()
        .map_err(|e| Error::Query(e.to_string()))?;
    let io = |e: std::io::Error| Error::Io {
        path: "<output>".into(),
        source: e,
    };
    match results {
        QueryResults::Solutions(solutions) => {
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())
                .map_err(io)?;
            for solution in solutions {
                let solution = solution.map_err(|e| Error::Query(e.to_string()))?;
                serializer.serialize(&solution).map_err(io)?;
            }
            serializer.finish().map_err(io)?;
            Ok(None)
        }
        QueryResults::Boolean(value) => {
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(out, value)
                .map_err(io)?;
            Ok(Some(value))
        }
        QueryResults::Graph(triples) => {
            let mut serializer =
                oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::NTriples)
                    .for_writer(out);
            for triple in triples {
                let triple = triple.map_err(|e| Error::Query(e.to_string()))?;
                serializer.serialize_triple(&triple).map_err(io)?;
            }
            serializer.finish().map_err(io)?;
            Ok(None)
        }
    }
}
