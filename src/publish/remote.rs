//! The protocol requests tipkg makes to a store: SPARQL 1.1 Query (counting triples inside
//! a graph, reading a graph), SPARQL 1.1 Update (`INSERT DATA` batches, `DROP`, `MOVE`,
//! `ADD`) and the SPARQL 1.1 Graph Store HTTP Protocol (loading and reading one graph).
//!
//! Graph IRIs enter query text only as validated RDF terms (`NamedNode`'s N-Triples form),
//! never as raw strings.

use super::GraphLoad;
use super::canon::KeptOfEach;
use crate::base::error::{Error, Result};
use crate::base::progress::Share;
use crate::net::http::{Client, Payload, Request};
use crate::net::target::{Endpoints, GraphCounts};
use bytes::Bytes;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode, Triple};
use reqwest::{Method, StatusCode, Url};
use std::collections::HashMap;
use std::fmt::Write as _;

const SPARQL_JSON: &str = "application/sparql-results+json";
const N_TRIPLES: &str = "application/n-triples";

/// The query that counts the triples inside graphs, in the form the store plans best: a row
/// for each graph that has any, or for each graph.
pub fn count_query(graphs: &[NamedNode], form: GraphCounts) -> String {
    match form {
        GraphCounts::Joined => {
            let mut values = String::new();
            for graph in graphs {
                let _ = write!(values, "{graph} ");
            }
            format!(
                "SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values}}} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
            )
        }
        GraphCounts::EachNamed => {
            let mut counts = String::new();
            for (i, graph) in graphs.iter().enumerate() {
                let union = if i == 0 { "" } else { " UNION" };
                let _ = write!(
                    counts,
                    "{union} {{ SELECT ({graph} AS ?g) (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} }}"
                );
            }
            format!("SELECT ?g ?n WHERE {{{counts} }}")
        }
    }
}

/// The number of triples inside each of `graphs` (0 for a graph the store does not have),
/// in one query.
pub fn count(client: &Client, endpoints: &Endpoints, graphs: &[NamedNode]) -> Result<Vec<u64>> {
    let query = count_query(graphs, endpoints.graph_counts);
    let (json, body) = select(client, endpoints, &query, "a count")?;
    let unusable = || Error::Remote {
        url: endpoints.query.to_string(),
        message: format!("the answer to a count has no graph and number in each row: {body}"),
        advice: None,
        source: None,
    };
    let mut counts: HashMap<&str, u64> = HashMap::new();
    let bindings = json["results"]["bindings"]
        .as_array()
        .ok_or_else(unusable)?;
    for binding in bindings {
        let graph = binding["g"]["value"].as_str().ok_or_else(unusable)?;
        let n = (binding["n"]["value"].as_str())
            .and_then(|n| n.parse().ok())
            .ok_or_else(unusable)?;
        counts.insert(graph, n);
    }
    Ok(graphs
        .iter()
        .map(|g| counts.get(g.as_str()).copied().unwrap_or(0))
        .collect())
}

/// Runs a SELECT query and returns its SPARQL JSON results, and the answer as text.
fn select(
    client: &Client,
    endpoints: &Endpoints,
    query: &str,
    what: &str,
) -> Result<(serde_json::Value, String)> {
    let response = client.send_ok(query_request(endpoints, query, SPARQL_JSON))?;
    let json = serde_json::from_str(&response.body).map_err(|e| Error::Remote {
        url: endpoints.query.to_string(),
        message: format!("the answer to {what} is not SPARQL JSON results"),
        advice: None,
        source: Some(e.into()),
    })?;
    Ok((json, response.body))
}

/// The graphs of the store whose IRI starts with `prefix`, with the triples of each, in
/// IRI order.
pub fn graphs_under(
    client: &Client,
    endpoints: &Endpoints,
    prefix: &str,
) -> Result<Vec<super::StoredGraph>> {
    let prefix = Literal::new_simple_literal(prefix);
    let query = format!(
        "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {prefix})) }} GROUP BY ?g ORDER BY ?g"
    );
    let (json, _) = select(client, endpoints, &query, "a list of graphs")?;
    let unusable = |what: &str| Error::Remote {
        url: endpoints.query.to_string(),
        message: format!("the answer to a list of graphs {what}"),
        advice: None,
        source: None,
    };
    let bindings = json["results"]["bindings"]
        .as_array()
        .ok_or_else(|| unusable("has no results"))?;
    let mut graphs = Vec::with_capacity(bindings.len());
    for binding in bindings {
        let graph = binding["g"]["value"]
            .as_str()
            .and_then(|g| NamedNode::new(g).ok())
            .ok_or_else(|| unusable("has a row without a graph IRI"))?;
        let triples = binding["n"]["value"]
            .as_str()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| unusable("has a row without a count"))?;
        graphs.push(super::StoredGraph { graph, triples });
    }
    Ok(graphs)
}

/// The claims of the swap in `graph`: each push and when it claimed, in seconds since
/// 1970.
pub fn claims(
    client: &Client,
    endpoints: &Endpoints,
    graph: &NamedNode,
    since: &NamedNode,
) -> Result<Vec<(NamedNode, u64)>> {
    let query = format!("SELECT ?push ?at WHERE {{ GRAPH {graph} {{ ?push {since} ?at }} }}");
    let (json, _) = select(client, endpoints, &query, "the claims of the swap")?;
    Ok(json["results"]["bindings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let push = NamedNode::new(b["push"]["value"].as_str()?).ok()?;
            let at = b["at"]["value"].as_str()?.parse().ok()?;
            Some((push, at))
        })
        .collect())
}

fn query_request(endpoints: &Endpoints, query: &str, accept: &'static str) -> Request {
    let mut request = Request::new(Method::POST, endpoints.query.clone());
    request.content_type = Some("application/x-www-form-urlencoded");
    request.accept = Some(accept);
    let form = form_urlencoded(&[("query", query)]);
    request.body = Some(Bytes::from(form));
    request
}

fn form_urlencoded(pairs: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse("http://form/").expect("a valid URL");
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or("").to_owned()
}

/// Runs a SPARQL update.
pub fn update(
    client: &Client,
    endpoints: &Endpoints,
    update: &str,
    repeatable: bool,
) -> Result<()> {
    client.send_ok(update_request(endpoints, update, repeatable))?;
    Ok(())
}

pub fn update_request(endpoints: &Endpoints, update: &str, repeatable: bool) -> Request {
    let mut request = Request::new(Method::POST, endpoints.update.clone());
    request.content_type = Some("application/sparql-update");
    request.body = Some(Bytes::copy_from_slice(update.as_bytes()));
    request.repeatable = repeatable;
    request
}

/// `INSERT DATA` of some triples into a graph.
pub fn insert_data(graph: &NamedNode, triples: &[Triple]) -> String {
    let mut text = format!("INSERT DATA {{ GRAPH {graph} {{\n");
    for triple in triples {
        let _ = writeln!(text, "{triple} .");
    }
    text.push_str("} }");
    text
}

/// One `INSERT DATA` of the triples of several graphs, a `GRAPH` block each.
pub fn insert_data_graphs(graphs: &[(&NamedNode, &GraphLoad)]) -> Result<(String, KeptOfEach)> {
    let mut text = String::from("INSERT DATA {\n");
    let kept = super::read_each_graph(graphs, |graph, reading| {
        let _ = writeln!(text, "GRAPH {graph} {{");
        let kept = reading.write_each(|triple| {
            let _ = writeln!(text, "{triple} .");
            Ok(())
        })?;
        text.push_str("}\n");
        Ok(kept)
    })?;
    text.push('}');
    Ok((text, kept))
}

/// Loads a serialised graph with the Graph Store Protocol at `url` (a graph's URL, which may
/// ask for the store's transaction-less bulk loader): `PUT` replaces the graph, `POST` adds
/// to it. `progress` is the share of the push's progress that the body's triples carry. A
/// streamed body is sent once, never repeated.
pub fn gsp_load(
    client: &Client,
    url: Url,
    method: Method,
    content_type: &'static str,
    body: Payload,
    progress: Share,
) -> Result<()> {
    let mut request = Request::new(method, url).with_payload(body);
    request.content_type = Some(content_type);
    request.progress = Some(progress.clone());
    client.send_ok(request)?;
    progress.complete();
    Ok(())
}

/// Reads a graph as triples: the Graph Store Protocol where the target has it, else a
/// `CONSTRUCT` query; `None` when the store has no such graph.
pub fn fetch(
    client: &Client,
    endpoints: &Endpoints,
    graph: &NamedNode,
) -> Result<Option<Vec<Triple>>> {
    let request = if endpoints.store.is_some() {
        let mut request = Request::new(Method::GET, endpoints.graph_url(graph.as_str())?);
        request.accept = Some(N_TRIPLES);
        request
    } else {
        let query = format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}");
        query_request(endpoints, &query, N_TRIPLES)
    };
    let url = request.url.clone();
    let response = client.send(request)?;
    if response.status == StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !response.status.is_success() {
        return Err(client.status_error(&url, &response));
    }
    let triples = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(response.body.as_bytes())
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Remote {
            url: url.to_string(),
            message: "the store sent N-Triples that do not parse".into(),
            advice: None,
            source: Some(e.into()),
        })?;
    Ok(Some(triples))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Quad, Term};
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    use oxigraph::store::Store;

    /// Both forms of the count query, evaluated by a SPARQL engine, give each graph's size:
    /// 0 (or no row) for a graph the store does not have, and nothing of the graphs not named.
    #[test]
    fn both_forms_of_the_count_query_count_each_named_graph() {
        let store = Store::new().unwrap();
        let graph = |n: usize| NamedNode::new(format!("https://example.org/g{n}")).unwrap();
        for (g, size) in [(0, 3), (1, 1), (3, 5)] {
            for i in 0..size {
                let quad = Quad::new(
                    NamedNode::new(format!("https://example.org/s{i}")).unwrap(),
                    NamedNode::new("https://example.org/p").unwrap(),
                    Literal::new_simple_literal(format!("{g} {i}")),
                    GraphName::NamedNode(graph(g)),
                );
                store.insert(&quad).unwrap();
            }
        }
        let named = [graph(0), graph(1), graph(2)];
        for form in [GraphCounts::Joined, GraphCounts::EachNamed] {
            let query = count_query(&named, form);
            let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
                .parse_query(&query)
                .unwrap()
                .on_store(&store)
                .execute()
                .unwrap()
            else {
                panic!("{query} is not a SELECT query");
            };
            let mut counts: Vec<(String, String)> = solutions
                .map(|solution| {
                    let solution = solution.unwrap();
                    let value = |name| match solution.get(name) {
                        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
                        Some(Term::Literal(l)) => l.value().to_owned(),
                        other => panic!("{name} is {other:?} in {query}"),
                    };
                    (value("g"), value("n"))
                })
                .filter(|(_, n)| n != "0")
                .collect();
            counts.sort();
            assert_eq!(
                counts,
                [
                    ("https://example.org/g0".to_owned(), "3".to_owned()),
                    ("https://example.org/g1".to_owned(), "1".to_owned())
                ],
                "{query}"
            );
        }
    }
}
