//! A remote SPARQL endpoint as a query target, over the SPARQL 1.1 Protocol.
//!
//! Queries go by POST as a form (`query=…`) through the publishing HTTP client (its
//! authentication, retries of safe requests, timeouts and redaction of secrets); answers
//! come back as SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) and
//! are parsed into the same [`Answer`] as local ones, so every output format works the
//! same way. The endpoint is a store's base URL with its kind (`--target`, whose paths
//! come from [`crate::net::target`]), or a full query URL.
//!
//! Stores disagree on what a query without `GRAPH` sees: Oxigraph's server sees only its
//! default graph, Virtuoso and GraphDB the union of all graphs. So that the same query
//! gives the same answer everywhere, [`Dataset::Union`] (the default) asks for the union
//! of the named graphs in the store's own way: Oxigraph's `union-default-graph` parameter,
//! nothing for Virtuoso and GraphDB, whose default graph is that union; for other stores
//! it lists the named graphs and sends each of them both as `default-graph-uri` and
//! `named-graph-uri` (slow with many graphs, and some stores answer wrongly with many:
//! a warning says so). A query with its own `FROM` or `FROM NAMED` is sent as it is.

use crate::base::error::{Advice, Cause, Error, Result, chain};
use crate::net::http::{Client, Request, Response, server_message};
use crate::net::target::{Endpoints, Overrides, Target as Store};
use crate::query::results::printable;
use crate::query::{Answer, Target, has_dataset};
use bytes::Bytes;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, Term};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use reqwest::{Method, StatusCode, Url};
use spargebra::Query;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// What a query without its own dataset sees on the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// The union of the endpoint's named graphs, as in the embedded store.
    Union,
    /// Whatever the endpoint's default dataset is.
    Endpoint,
}

/// More named graphs than this, sent one by one as the dataset, get a warning.
const MANY_GRAPHS: usize = 20;

/// Receives warnings, for stderr.
pub type Warn = Arc<dyn Fn(&Warning) + Send + Sync>;

/// What an endpoint's user should know, though the query runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The union of the graphs is asked for by sending each of these many named graphs.
    ManyGraphs { count: usize },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ManyGraphs { count } => write!(
                f,
                "sending the endpoint's {count} named graphs as the query's dataset, which is slow and which some stores answer wrongly; for Oxigraph, Virtuoso and GraphDB say which kind of store it is, so that the store's own union of its graphs is used"
            ),
        }
    }
}

pub struct Endpoint {
    client: Client,
    endpoints: Endpoints,
    dataset: Dataset,
    graphs: OnceLock<Vec<String>>,
    warn: Option<Warn>,
}

/// The query URL of a store: its base URL with the target's query path, or, when `url`
/// already ends with that path (`…/query`, `…/sparql`), `url` as it is.
pub fn endpoints(store: Store, url: &str, authenticated: bool) -> Result<Endpoints> {
    let endpoints = store.endpoints(url, authenticated, &Overrides::default())?;
    let last = |url: &Url| {
        url.path_segments()
            .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
            .map(str::to_owned)
    };
    let given = Url::parse(url).ok();
    let plain = store.endpoints(url, false, &Overrides::default())?;
    let full = given.as_ref().and_then(last).is_some_and(|given| {
        Some(&given) == last(&endpoints.query).as_ref()
            || Some(&given) == last(&plain.query).as_ref()
    });
    if store != Store::Generic && full {
        let overrides = Overrides {
            query: Some(url.to_owned()),
            ..Overrides::default()
        };
        return store.endpoints(url, authenticated, &overrides);
    }
    Ok(endpoints)
}

impl Endpoint {
    pub fn new(client: Client, endpoints: Endpoints, dataset: Dataset) -> Self {
        Self {
            client,
            endpoints,
            dataset,
            graphs: OnceLock::new(),
            warn: None,
        }
    }

    /// Sends warnings (a dataset of many graphs) to `warn`.
    pub fn with_warnings(mut self, warn: Warn) -> Self {
        self.warn = Some(warn);
        self
    }

    pub fn url(&self) -> &Url {
        &self.endpoints.query
    }

    fn error(&self, message: impl AsRef<str>) -> Error {
        self.error_with(message, None, None)
    }

    /// The endpoint's error; the message is made safe to print (no secret, no terminal
    /// controls).
    fn error_with(
        &self,
        message: impl AsRef<str>,
        advice: Option<Advice>,
        source: Option<Cause>,
    ) -> Error {
        Error::Endpoint {
            url: self.endpoints.query.to_string(),
            message: self.clean(message.as_ref()),
            advice,
            source,
        }
    }

    fn clean(&self, text: &str) -> String {
        printable(&self.client.auth().redact(text), false)
    }

    /// An answer that does not parse: the parser's error is kept as the cause, unless its
    /// words hold a secret or terminal controls, which the message then says cleaned.
    fn unusable(&self, what: &str, error: impl std::error::Error + Send + Sync + 'static) -> Error {
        let text = chain(&error);
        if self.clean(&text) == text {
            self.error_with(what, None, Some(Box::new(error)))
        } else {
            self.error(format!("{what}: {text}"))
        }
    }

    /// The endpoint's named graphs, asked once.
    fn named_graphs(&self, timeout: Option<Duration>) -> Result<&[String]> {
        if let Some(graphs) = self.graphs.get() {
            return Ok(graphs);
        }
        let query = spargebra::SparqlParser::new()
            .parse_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            .map_err(Error::Sparql)?;
        let Answer::Solutions { rows, .. } = self.send(&query, &[], timeout)? else {
            return Err(self.error("listing the named graphs did not give solutions"));
        };
        let mut graphs: Vec<String> = rows
            .iter()
            .filter_map(|row| match row.get("g") {
                Some(Term::NamedNode(g)) => Some(g.as_str().to_owned()),
                _ => None,
            })
            .collect();
        graphs.sort();
        Ok(self.graphs.get_or_init(|| graphs))
    }

    /// Sends a query with extra protocol parameters and parses the answer.
    fn send(
        &self,
        query: &Query,
        dataset: &[(&str, &str)],
        timeout: Option<Duration>,
    ) -> Result<Answer> {
        let text = query.to_string();
        let graph_form = matches!(query, Query::Construct { .. } | Query::Describe { .. });
        let accept = if graph_form {
            "application/n-triples"
        } else {
            "application/sparql-results+json"
        };
        let mut form = Url::parse("tipkg:form").expect("a constant URL");
        {
            let mut pairs = form.query_pairs_mut();
            pairs.append_pair("query", &text);
            for (name, value) in dataset {
                pairs.append_pair(name, value);
            }
            // Virtuoso stops the query on its side when the time is up (and says that its
            // answer is then incomplete, which is an error here).
            if let (Store::Virtuoso, Some(timeout)) = (self.endpoints.target, timeout) {
                pairs.append_pair("timeout", &timeout.as_millis().max(1).to_string());
            }
        }
        let mut request = Request::new(Method::POST, self.endpoints.query.clone());
        request.content_type = Some("application/x-www-form-urlencoded");
        request.accept = Some(accept);
        request.body = Some(Bytes::copy_from_slice(
            form.query().unwrap_or_default().as_bytes(),
        ));
        let response = self.client.send(request).map_err(|e| match e {
            Error::Remote {
                message,
                advice,
                source,
                ..
            } => self.error_with(message, advice, source),
            other => other,
        })?;
        if !response.status.is_success() {
            return Err(self.status_error(&response));
        }
        if let Some(state) = header(&response, "x-sql-state")
            && state.starts_with("S1T")
        {
            return match timeout {
                Some(timeout) => Err(Error::Timeout {
                    seconds: timeout.as_secs_f64(),
                }),
                None => Err(self.error(format!(
                    "the store stopped the query and answered in part ({state}: {})",
                    header(&response, "x-sql-message").unwrap_or_default()
                ))),
            };
        }
        let body = response.body.as_bytes();
        if graph_form {
            let triples = RdfParser::from_format(RdfFormat::NTriples)
                .for_slice(body)
                .map(|t| t.map(Into::into))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.unusable("the answer is not valid N-Triples", e))?;
            return Ok(Answer::Graph(triples));
        }
        let invalid = "the answer is not valid SPARQL JSON results";
        let answer = match QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_slice(body)
            .map_err(|e| self.unusable(invalid, e))?
        {
            SliceQueryResultsParserOutput::Boolean(value) => Answer::Boolean(value),
            SliceQueryResultsParserOutput::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let rows = solutions
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| self.unusable(invalid, e))?;
                Answer::Solutions { variables, rows }
            }
        };
        match (query, answer) {
            (Query::Ask { .. }, Answer::Solutions { rows, .. }) => {
                boolean_table(&rows).map(Answer::Boolean).ok_or_else(|| {
                    self.error("an ASK query was answered with a table that is not one boolean")
                })
            }
            (Query::Ask { .. }, answer @ Answer::Boolean(_)) => Ok(answer),
            (Query::Select { .. }, answer @ Answer::Solutions { .. }) => Ok(answer),
            _ => Err(self.error("the answer is not of the query's form")),
        }
    }

    fn status_error(&self, response: &Response) -> Error {
        let mut message = format!("HTTP {}", response.status);
        let text = server_message(&response.body);
        if !text.is_empty() {
            message.push_str(": ");
            message.push_str(&text);
        }
        let advice = match response.status {
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => Some(Advice::NotAnEndpoint),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN if self.client.auth().is_none() => {
                Some(Advice::Credentials)
            }
            _ => None,
        };
        self.error_with(message, advice, None)
    }
}

/// A header's value as text.
fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Virtuoso answers ASK as a table of one row and one column (`__ask_retval`) holding 1 or
/// 0; any table of one value that reads as a boolean is taken as one.
fn boolean_table(rows: &[oxigraph::sparql::results::QuerySolution]) -> Option<bool> {
    if rows.is_empty() {
        return Some(false);
    }
    let [row] = rows else { return None };
    let mut values = row.values().iter().flatten();
    let (Some(Term::Literal(value)), None) = (values.next(), values.next()) else {
        return None;
    };
    boolean_value(value)
}

fn boolean_value(literal: &Literal) -> Option<bool> {
    match literal.value().trim() {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

impl Target for Endpoint {
    fn evaluate(&self, query: &Query, timeout: Option<Duration>) -> Result<Answer> {
        if has_dataset(query) || self.dataset == Dataset::Endpoint {
            return self.send(query, &[], timeout);
        }
        match self.endpoints.target {
            Store::Oxigraph => return self.send(query, &[("union-default-graph", "")], timeout),
            Store::Virtuoso | Store::Graphdb => return self.send(query, &[], timeout),
            Store::Fuseki | Store::Generic => {}
        }
        let graphs = self.named_graphs(timeout)?;
        if graphs.len() > MANY_GRAPHS
            && let Some(warn) = &self.warn
        {
            warn(&Warning::ManyGraphs {
                count: graphs.len(),
            });
        }
        let mut dataset = Vec::with_capacity(graphs.len() * 2);
        for graph in graphs {
            dataset.push(("default-graph-uri", graph.as_str()));
        }
        for graph in graphs {
            dataset.push(("named-graph-uri", graph.as_str()));
        }
        self.send(query, &dataset, timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_query_urls_and_base_urls_both_work() {
        let at = |store, url| endpoints(store, url, false).unwrap().query.to_string();
        assert_eq!(at(Store::Oxigraph, "http://h:7878"), "http://h:7878/query");
        assert_eq!(
            at(Store::Oxigraph, "http://h:7878/query"),
            "http://h:7878/query"
        );
        assert_eq!(
            at(Store::Virtuoso, "http://h:8890/sparql/"),
            "http://h:8890/sparql/"
        );
        assert_eq!(at(Store::Generic, "http://h/sparql"), "http://h/sparql");
        assert!(endpoints(Store::Generic, "http://u:pw@h/sparql", false).is_err());
    }
}
