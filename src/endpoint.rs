//! A remote SPARQL endpoint as a query target, over the SPARQL 1.1 Protocol.
//!
//! Queries go by POST as a form (`query=…`), answers come back as SPARQL JSON results
//! (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) and are parsed into the same
//! [`Answer`] as local ones, so every output format works the same way.
//!
//! Stores disagree on what a query without `GRAPH` sees: Oxigraph's server sees only its
//! default graph, Virtuoso sees everything. So that the same query gives the same answer
//! everywhere, [`Dataset::Union`] (the default) asks the endpoint for its named graphs and
//! sends each of them both as `default-graph-uri` and `named-graph-uri`: the default graph
//! is then the union of the named graphs, as in the embedded store. A query with its own
//! `FROM` or `FROM NAMED` is sent as it is.

use crate::error::{Error, Result};
use crate::query::{Answer, Target, has_dataset};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use reqwest::blocking::Client;
use spargebra::Query;
use std::cell::OnceCell;
use std::time::Duration;

/// What a query without its own dataset sees on the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// The union of the endpoint's named graphs, as in the embedded store.
    Union,
    /// Whatever the endpoint's default dataset is.
    Endpoint,
}

pub struct Endpoint {
    url: String,
    client: Client,
    dataset: Dataset,
    graphs: OnceCell<Vec<String>>,
}

impl Endpoint {
    pub fn new(url: &str, dataset: Dataset) -> Result<Self> {
        let parsed = reqwest::Url::parse(url).map_err(|e| Error::Endpoint {
            url: url.to_owned(),
            message: format!("not a URL ({e})"),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Endpoint {
                url: url.to_owned(),
                message: "only http and https endpoints are supported".to_owned(),
            });
        }
        let client = Client::builder()
            .user_agent(concat!("tipkg/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Endpoint {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
        Ok(Self {
            url: url.to_owned(),
            client,
            dataset,
            graphs: OnceCell::new(),
        })
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::Endpoint {
            url: self.url.clone(),
            message: message.into(),
        }
    }

    /// The endpoint's named graphs, asked once.
    fn named_graphs(&self, timeout: Option<Duration>) -> Result<&[String]> {
        if let Some(graphs) = self.graphs.get() {
            return Ok(graphs);
        }
        let query = spargebra::SparqlParser::new()
            .parse_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            .map_err(|e| self.error(e.to_string()))?;
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
        let mut form = reqwest::Url::parse("tipkg:form").expect("a constant URL");
        {
            let mut pairs = form.query_pairs_mut();
            pairs.append_pair("query", &text);
            for (name, value) in dataset {
                pairs.append_pair(name, value);
            }
        }
        let mut request = self
            .client
            .post(&self.url)
            .header("Accept", accept)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.query().unwrap_or_default().to_owned());
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let response = request
            .send()
            .map_err(|e| self.transport_error(&e, timeout))?;
        let status = response.status();
        let body = response
            .bytes()
            .map_err(|e| self.transport_error(&e, timeout))?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body);
            let text = text.trim();
            let shown: String = text.chars().take(500).collect();
            return Err(self.error(format!("HTTP {status}: {shown}")));
        }
        if graph_form {
            let triples = RdfParser::from_format(RdfFormat::NTriples)
                .for_slice(&body)
                .map(|t| t.map(Into::into))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.error(format!("the answer is not valid N-Triples: {e}")))?;
            return Ok(Answer::Graph(triples));
        }
        let invalid = |e: &dyn std::fmt::Display| {
            self.error(format!("the answer is not valid SPARQL JSON results: {e}"))
        };
        match QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_slice(&body)
            .map_err(|e| invalid(&e))?
        {
            SliceQueryResultsParserOutput::Boolean(value) => Ok(Answer::Boolean(value)),
            SliceQueryResultsParserOutput::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let rows = solutions
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| invalid(&e))?;
                Ok(Answer::Solutions { variables, rows })
            }
        }
    }

    fn transport_error(&self, error: &reqwest::Error, timeout: Option<Duration>) -> Error {
        if error.is_timeout()
            && let Some(timeout) = timeout
        {
            return Error::Timeout {
                seconds: timeout.as_secs_f64(),
            };
        }
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        self.error(message)
    }
}

impl Target for Endpoint {
    fn evaluate(&self, query: &Query, timeout: Option<Duration>) -> Result<Answer> {
        if has_dataset(query) || self.dataset == Dataset::Endpoint {
            return self.send(query, &[], timeout);
        }
        let graphs = self.named_graphs(timeout)?;
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
