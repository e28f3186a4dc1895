//! The triplestores tipkg knows: where each keeps its query, update and Graph Store
//! endpoints, and the quirks a client must handle for it.

use crate::base::error::{Error, Result};
use crate::base::named::{Named, display_and_parse};
use reqwest::Url;

/// A kind of triplestore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Virtuoso 7: `/sparql`, `/sparql-auth`, `/sparql-graph-crud(-auth)`.
    Virtuoso,
    /// Oxigraph server: `/query`, `/update`, `/store`.
    Oxigraph,
    /// Apache Jena Fuseki, the endpoint being a dataset: `DS/query`, `DS/update`, `DS/data`.
    Fuseki,
    /// GraphDB, the endpoint being a repository: `REPO`, `REPO/statements`,
    /// `REPO/rdf-graphs/service`.
    Graphdb,
    /// Any SPARQL 1.1 server: one URL answers queries and updates; its Graph Store
    /// endpoint, if any, is not known.
    Generic,
}

impl Named for Target {
    const KIND: &'static str = "kind of store";
    const ALL: &'static [Self] = &[
        Self::Virtuoso,
        Self::Oxigraph,
        Self::Fuseki,
        Self::Graphdb,
        Self::Generic,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Virtuoso => "virtuoso",
            Self::Oxigraph => "oxigraph",
            Self::Fuseki => "fuseki",
            Self::Graphdb => "graphdb",
            Self::Generic => "generic",
        }
    }
}

display_and_parse!(Target);

/// The URLs of a store and what it accepts.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub target: Target,
    pub query: Url,
    pub update: Url,
    pub store: Option<Url>,
    /// The query parameter of the Graph Store Protocol naming the graph.
    pub graph_param: &'static str,
    /// The most triples one `INSERT DATA` may hold.
    pub max_batch: Option<usize>,
    /// Whether several update operations in one request run as one transaction; if not,
    /// each request carries one operation.
    pub atomic_multi_update: bool,
    /// The most triples one Graph Store request should carry; larger graphs are sent in
    /// several requests (a `PUT` then `POST`s) into the staging graph.
    pub max_gsp_triples: Option<usize>,
    /// A graph read from the store as it is sent travels in Graph Store requests of at
    /// most this many triples, each made whole on one thread while the store loads the
    /// one before; `None`: as [`Self::max_gsp_triples`] says.
    pub max_stored_part_triples: Option<usize>,
    /// A query parameter that makes a Graph Store `POST` skip the transaction (Oxigraph's
    /// bulk loader): fine for a staging graph nobody reads.
    pub bulk_param: Option<&'static str>,
    /// Where the Graph Store endpoint takes a dataset (N-Quads, TriG) in a `POST` without a
    /// graph, each quad landing in its own graph: the most triples such a request should
    /// carry. Many small graphs then travel in one request instead of one each.
    pub max_dataset_triples: Option<usize>,
    /// Whether graphs small enough for one `INSERT DATA` travel together in one (a `GRAPH`
    /// block each) rather than in a Graph Store request each, where the Graph Store
    /// endpoint takes one graph per request and that request costs more than the update.
    pub small_graphs_by_update: bool,
    /// Whether a Graph Store request may carry a body of unknown length (chunked
    /// encoding): the dataset of several graphs is then sent while it is written; else it
    /// is made whole first and sent with its length.
    pub chunked_bodies: bool,
    /// Whether the store rewrites literals in canonical form on load (`"1.50"` becomes
    /// `"1.5"`), so that triples that differ only in a literal's form are kept once.
    pub canonical_literals: bool,
    /// How one query counts the triples inside several graphs.
    pub graph_counts: GraphCounts,
}

/// How one query counts the triples inside several graphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphCounts {
    /// The graphs in a `VALUES` list joined with `GRAPH ?g { ?s ?p ?o }`, grouped by graph.
    Joined,
    /// A `UNION` of one count for each graph, named as a constant (`GRAPH <g>`): for a store
    /// that plans the join as a scan of every graph it holds.
    EachNamed,
}

impl GraphCounts {
    /// The most graphs one count query names.
    pub fn per_query(self) -> usize {
        match self {
            // Oxigraph counts 1,064 graphs of about 100 triples in 0.08-0.10 s 250 a query,
            // 0.14-0.20 s 25 or 10 a query.
            Self::Joined => 250,
            // Virtuoso compiles each query anew (0.6 ms or so a graph): 1,064 graphs took
            // 3.2 s 250 a query, 1.5 s 50 a query, 0.8-1.0 s 10 to 40 a query.
            Self::EachNamed => 25,
        }
    }
}

/// URLs given by the user to override the target's.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub query: Option<String>,
    pub update: Option<String>,
    pub store: Option<String>,
}

impl Target {
    /// The endpoints of a store at `endpoint`; `authenticated` picks Virtuoso's `-auth`
    /// paths, the only ones that accept credentials and writes.
    pub fn endpoints(
        self,
        endpoint: &str,
        authenticated: bool,
        overrides: &Overrides,
    ) -> Result<Endpoints> {
        let base = parse_url(endpoint)?;
        let join = |path: &str| -> Result<Url> {
            let mut url = base.clone();
            let joined = format!("{}/{path}", url.path().trim_end_matches('/'));
            url.set_path(&joined);
            Ok(url)
        };
        let mut endpoints = match self {
            Self::Virtuoso => {
                let (sparql, crud) = if authenticated {
                    ("sparql-auth", "sparql-graph-crud-auth")
                } else {
                    ("sparql", "sparql-graph-crud")
                };
                Endpoints {
                    target: self,
                    query: join(sparql)?,
                    update: join(sparql)?,
                    store: Some(join(crud)?),
                    graph_param: "graph-uri",
                    // 1,500 triples fail with HTTP 400; 1,000 are accepted.
                    max_batch: Some(1000),
                    atomic_multi_update: false,
                    bulk_param: None,
                    // One graph per Graph Store request; 100k triples in 1,066 graphs load in
                    // 14.6 s one graph a request, in 7.7 s in updates of 1,000 triples.
                    max_dataset_triples: None,
                    small_graphs_by_update: true,
                    // One PUT of 300,000 triples holds its locks for minutes and stalls;
                    // 50,000 load in about a second.
                    max_gsp_triples: Some(50_000),
                    max_stored_part_triples: None,
                    // A chunked POST is answered 201 Created and loads nothing.
                    chunked_bodies: false,
                    canonical_literals: true,
                    // The join of a `VALUES` list scans every graph of the store: 1,064
                    // graphs of about 100 triples counted in 0.8-1.1 s when the store holds
                    // nothing else, 9.2-9.7 s beside a graph of 1M triples; one count a graph
                    // named as a constant, 0.8-1.0 s in either.
                    graph_counts: GraphCounts::EachNamed,
                }
            }
            Self::Oxigraph => Endpoints {
                target: self,
                query: join("query")?,
                update: join("update")?,
                store: Some(join("store")?),
                graph_param: "graph",
                max_batch: None,
                atomic_multi_update: true,
                bulk_param: Some("no_transaction"),
                // Each bulk-load request costs about 0.1 s whatever its size: 100k triples
                // of N-Quads load in 4.0 s in one request, 4.8 s in ten, 19.5 s in a hundred.
                // The bulk loader works in batches of its own (a million quads), so a larger
                // request costs the server no more memory.
                max_dataset_triples: Some(1_000_000),
                small_graphs_by_update: false,
                max_gsp_triples: None,
                // A graph of the store streamed in one request was loaded only after its
                // end (on one thread of the server, 9 s for 1M triples), after tipkg's
                // read: in parts of 100,000 the server loads each while the next is read.
                // 1M triples: 1.03× curl's one request of the file, against 1.17× in parts
                // of 250,000 and 1.34× in one streamed request (2026-12-03).
                max_stored_part_triples: Some(100_000),
                chunked_bodies: true,
                // Numbers are stored by value: "1.50" is read back as "1.5".
                canonical_literals: true,
                graph_counts: GraphCounts::Joined,
            },
            Self::Fuseki => Endpoints {
                target: self,
                query: join("query")?,
                update: join("update")?,
                store: Some(join("data")?),
                graph_param: "graph",
                max_batch: None,
                atomic_multi_update: true,
                bulk_param: None,
                max_dataset_triples: None,
                small_graphs_by_update: false,
                max_gsp_triples: None,
                max_stored_part_triples: None,
                chunked_bodies: false,
                canonical_literals: false,
                graph_counts: GraphCounts::Joined,
            },
            Self::Graphdb => Endpoints {
                target: self,
                query: base.clone(),
                update: join("statements")?,
                store: Some(join("rdf-graphs/service")?),
                graph_param: "graph",
                max_batch: None,
                atomic_multi_update: true,
                bulk_param: None,
                max_dataset_triples: None,
                small_graphs_by_update: false,
                max_gsp_triples: None,
                max_stored_part_triples: None,
                chunked_bodies: false,
                canonical_literals: false,
                graph_counts: GraphCounts::Joined,
            },
            Self::Generic => Endpoints {
                target: self,
                query: base.clone(),
                update: base.clone(),
                store: None,
                graph_param: "graph",
                max_batch: None,
                atomic_multi_update: false,
                bulk_param: None,
                max_dataset_triples: None,
                small_graphs_by_update: false,
                max_gsp_triples: None,
                max_stored_part_triples: None,
                chunked_bodies: false,
                canonical_literals: false,
                graph_counts: GraphCounts::Joined,
            },
        };
        if let Some(url) = &overrides.query {
            endpoints.query = parse_url(url)?;
        }
        if let Some(url) = &overrides.update {
            endpoints.update = parse_url(url)?;
        }
        if let Some(url) = &overrides.store {
            endpoints.store = Some(parse_url(url)?);
        }
        Ok(endpoints)
    }
}

impl Endpoints {
    /// The Graph Store Protocol URL of one graph, or an error saying how to give one.
    pub fn graph_url(&self, graph: &str) -> Result<Url> {
        let mut url = self.store.clone().ok_or(Error::NoGraphStore {
            target: self.target.name(),
        })?;
        url.query_pairs_mut().append_pair(self.graph_param, graph);
        Ok(url)
    }
}

/// Parses an http(s) URL; credentials in it are refused, since they would end up in logs.
fn parse_url(text: &str) -> Result<Url> {
    let url = Url::parse(text).map_err(|e| Error::InvalidUrl {
        text: text.to_owned(),
        source: e.into(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::NotHttpUrl {
            text: text.to_owned(),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::UrlCredentials);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtuoso_uses_the_auth_paths_when_authenticated() {
        let e = Target::Virtuoso
            .endpoints("http://127.0.0.1:8890/", true, &Overrides::default())
            .unwrap();
        assert_eq!(e.update.as_str(), "http://127.0.0.1:8890/sparql-auth");
        assert_eq!(
            e.graph_url("http://ex/g a").unwrap().as_str(),
            "http://127.0.0.1:8890/sparql-graph-crud-auth?graph-uri=http%3A%2F%2Fex%2Fg+a"
        );
        let e = Target::Virtuoso
            .endpoints("http://127.0.0.1:8890", false, &Overrides::default())
            .unwrap();
        assert_eq!(e.query.as_str(), "http://127.0.0.1:8890/sparql");
    }

    #[test]
    fn urls_with_credentials_are_refused() {
        let error = Target::Oxigraph
            .endpoints("http://u:secret@host/", false, &Overrides::default())
            .unwrap_err();
        assert!(!error.to_string().contains("secret"));
    }
}
