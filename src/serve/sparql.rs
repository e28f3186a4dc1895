//! The SPARQL 1.1 Protocol at `/sparql`, for queries only.
//!
//! A query comes by GET (`?query=`), by POST as a form (`query=`) or by POST as
//! `application/sparql-query`; `default-graph-uri` and `named-graph-uri` give its dataset
//! (and override the query's own `FROM`, as the protocol says). Without either, a query
//! without `FROM` sees as its default graph the union of the named graphs, as `tipkg
//! query` does, and `GRAPH` names one source's graph. Updates (`update=`,
//! `application/sparql-update`, or update text as a query) are refused with 403: the
//! server never writes.
//!
//! The query is parsed and run by the query layer ([`crate::query::parse`],
//! [`crate::query::Local`], whose watchdog cancels it at the time limit) and its answer
//! written by [`crate::query::results`] and [`crate::export`], in the format the
//! `Accept` header prefers. A SELECT may give at most [`Limits::rows`] solutions and any
//! answer at most [`Limits::bytes`] bytes: beyond that the answer is refused with 422
//! rather than cut short, since a client cannot tell a cut answer from a whole one.

use super::{App, Limits, Problem, Shared, accept, answer, negotiate, not_acceptable};
use crate::base::format::Format;
use crate::export;
use crate::query::catalogue::{Header, NamedQuery};
use crate::query::results::{self, OutputFormat};
use crate::query::{self, Answer, Local, Target};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;
use spargebra::Query;
use spargebra::algebra::{GraphPattern, QueryDataset};
use std::io::Write;
use std::pin::Pin;

/// How an answer can be written: SPARQL results, an RDF syntax, or a page for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    Results(OutputFormat),
    Rdf(Format),
    Html,
}

/// What a SELECT or ASK answer is offered as, in order of preference, aliases included.
pub const RESULT_OFFERS: &[(&str, Representation)] = &[
    (
        "application/sparql-results+json",
        Representation::Results(OutputFormat::Json),
    ),
    (
        "application/sparql-results+xml",
        Representation::Results(OutputFormat::Xml),
    ),
    ("text/csv", Representation::Results(OutputFormat::Csv)),
    (
        "text/tab-separated-values",
        Representation::Results(OutputFormat::Tsv),
    ),
    (
        "application/json",
        Representation::Results(OutputFormat::Json),
    ),
    (
        "application/xml",
        Representation::Results(OutputFormat::Xml),
    ),
    ("text/xml", Representation::Results(OutputFormat::Xml)),
    ("text/html", Representation::Html),
];

/// What a CONSTRUCT or DESCRIBE answer is offered as.
pub const GRAPH_OFFERS: &[(&str, Representation)] = &[
    ("text/turtle", Representation::Rdf(Format::Turtle)),
    (
        "application/n-triples",
        Representation::Rdf(Format::Ntriples),
    ),
    ("application/ld+json", Representation::Rdf(Format::Jsonld)),
    ("application/rdf+xml", Representation::Rdf(Format::Rdfxml)),
    ("application/n-quads", Representation::Rdf(Format::Nquads)),
    ("application/trig", Representation::Rdf(Format::Trig)),
    ("application/x-turtle", Representation::Rdf(Format::Turtle)),
    ("application/json", Representation::Rdf(Format::Jsonld)),
    ("text/html", Representation::Html),
];

/// The canonical media type of a representation.
pub fn media_type(representation: Representation) -> &'static str {
    match representation {
        Representation::Results(OutputFormat::Json) => "application/sparql-results+json",
        Representation::Results(OutputFormat::Xml) => "application/sparql-results+xml",
        Representation::Results(OutputFormat::Csv) => "text/csv",
        Representation::Results(_) => "text/tab-separated-values",
        Representation::Rdf(format) => format.media_type(),
        Representation::Html => "text/html",
    }
}

/// The offer an `Accept` header picks, or what was on offer for the 406 answer.
pub fn negotiate(
    headers: &HeaderMap,
    offers: &'static [(&'static str, Representation)],
) -> Result<Representation, NotAcceptable> {
    let types: Vec<&str> = offers.iter().map(|(t, _)| *t).collect();
    match negotiate::choose(accept(headers), &types) {
        Some(index) => Ok(offers[index].1),
        None => Err(NotAcceptable(offers)),
    }
}

/// The answer when nothing on offer is acceptable: 406, listing the media types.
pub struct NotAcceptable(&'static [(&'static str, Representation)]);

impl IntoResponse for NotAcceptable {
    fn into_response(self) -> Response {
        let mut canonical: Vec<&str> = Vec::new();
        for (_, representation) in self.0 {
            let name = media_type(*representation);
            if !canonical.contains(&name) {
                canonical.push(name);
            }
        }
        not_acceptable(&canonical)
    }
}

/// The protocol's parameters of one request.
#[derive(Debug, Default)]
struct Protocol {
    queries: Vec<String>,
    update: bool,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
}

impl Protocol {
    fn add(&mut self, pairs: &[u8]) {
        for (name, value) in form_urlencoded::parse(pairs) {
            match name.as_ref() {
                "query" => self.queries.push(value.into_owned()),
                "update" | "using-graph-uri" | "using-named-graph-uri" => self.update = true,
                "default-graph-uri" => self.default_graphs.push(value.into_owned()),
                "named-graph-uri" => self.named_graphs.push(value.into_owned()),
                // Other parameters (`format`, `output`, `timeout` that some clients send)
                // do not change the answer here: the Accept header chooses the format.
                _ => {}
            }
        }
    }
}

fn update_refused() -> Response {
    Problem::new(
        StatusCode::FORBIDDEN,
        "this SPARQL endpoint is read-only: updates are refused; send a query (SELECT, CONSTRUCT, DESCRIBE or ASK)",
    )
    .into_response()
}

/// `GET /sparql`: a query in the URL, or, without one, the SPARQL editor for a browser.
pub async fn get(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let raw = uri.query().unwrap_or_default();
    if raw.len() > app.config.limits.query_length * 3 + 1024 {
        return too_long(&app.config.limits, StatusCode::URI_TOO_LONG);
    }
    let mut protocol = Protocol::default();
    protocol.add(raw.as_bytes());
    if protocol.update {
        return update_refused();
    }
    if protocol.queries.is_empty() && negotiate::prefers_html(accept(&headers)) {
        return super::pages::editor(&app, uri.path());
    }
    if protocol
        .queries
        .iter()
        .any(|text| text.len() > app.config.limits.query_length)
    {
        return too_long(&app.config.limits, StatusCode::URI_TOO_LONG);
    }
    run(app, headers, protocol, uri.path().to_owned()).await
}

/// `POST /sparql`: a form or a query as the body.
pub async fn post(State(app): State<Shared>, headers: HeaderMap, uri: Uri, body: Body) -> Response {
    let limits = &app.config.limits;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if content_type == "application/sparql-update" {
        return update_refused();
    }
    if content_type != "application/x-www-form-urlencoded"
        && content_type != "application/sparql-query"
    {
        return Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "a query is sent as application/x-www-form-urlencoded (query=…) or application/sparql-query, not {}",
                if content_type.is_empty() { "without a Content-Type" } else { &content_type }
            ),
        )
        .into_response();
    }
    let body = match read_body(&headers, body, limits).await {
        Ok(body) => body,
        Err(problem) => return problem.into_response(),
    };
    let mut protocol = Protocol::default();
    protocol.add(uri.query().unwrap_or_default().as_bytes());
    if content_type == "application/sparql-query" {
        match String::from_utf8(body) {
            Ok(text) => protocol.queries.push(text),
            Err(_) => {
                return Problem::new(StatusCode::BAD_REQUEST, "the query is not UTF-8 text")
                    .into_response();
            }
        }
    } else {
        protocol.add(&body);
    }
    if protocol.update {
        return update_refused();
    }
    run(app, headers, protocol, uri.path().to_owned()).await
}

fn too_long(limits: &Limits, status: StatusCode) -> Response {
    Problem::new(
        status,
        format!(
            "the query is longer than {} bytes, the limit of this server",
            limits.query_length
        ),
    )
    .into_response()
}

/// Reads a request body of at most [`Limits::body`] bytes, each part arriving within
/// [`Limits::client_timeout`].
async fn read_body(
    headers: &HeaderMap,
    mut body: Body,
    limits: &Limits,
) -> Result<Vec<u8>, Problem> {
    let too_large = || {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request body is larger than {} bytes, the limit of this server",
                limits.body
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limits.body as u64) {
        return Err(too_large());
    }
    let mut data = Vec::new();
    loop {
        let frame =
            std::future::poll_fn(|cx| hyper::body::Body::poll_frame(Pin::new(&mut body), cx));
        match tokio::time::timeout(limits.client_timeout, frame).await {
            Err(_) => {
                return Err(Problem::new(
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "the request body did not arrive within {} s",
                        limits.client_timeout.as_secs_f64()
                    ),
                ));
            }
            Ok(None) => return Ok(data),
            Ok(Some(Err(error))) => {
                return Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    format!("cannot read the request body: {error}"),
                ));
            }
            Ok(Some(Ok(frame))) => {
                if let Ok(chunk) = frame.into_data() {
                    if data.len() + chunk.len() > limits.body {
                        return Err(too_large());
                    }
                    data.extend_from_slice(&chunk);
                }
            }
        }
    }
}

/// Parses, checks and runs the query of a request and writes its answer.
async fn run(app: Shared, headers: HeaderMap, protocol: Protocol, path: String) -> Response {
    let limits = &app.config.limits;
    let text = match protocol.queries.as_slice() {
        [text] => text.clone(),
        [] => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "no query: give one with ?query=… (GET), a form field query=… or an application/sparql-query body (POST)",
            )
            .into_response();
        }
        _ => {
            return Problem::new(StatusCode::BAD_REQUEST, "more than one query: give one")
                .into_response();
        }
    };
    if text.len() > limits.query_length {
        return too_long(limits, StatusCode::PAYLOAD_TOO_LARGE);
    }
    let named = NamedQuery {
        name: "query".to_owned(),
        text,
        header: Header::default(),
    };
    let parsed = match query::parse(&named) {
        Ok(parsed) => parsed,
        // The query layer says so when the text is an update.
        Err(crate::Error::Update { .. }) => return update_refused(),
        Err(error) => return Problem::from_error(&error).into_response(),
    };
    let parsed = match with_dataset(parsed, &protocol) {
        Ok(parsed) => parsed,
        Err(problem) => return problem.into_response(),
    };
    let graph_form = matches!(parsed, Query::Construct { .. } | Query::Describe { .. });
    let offers = if graph_form {
        GRAPH_OFFERS
    } else {
        RESULT_OFFERS
    };
    let representation = match negotiate(&headers, offers) {
        Ok(representation) => representation,
        Err(refused) => return refused.into_response(),
    };
    let query_text = named.text;
    let limited = cap_rows(parsed, limits.rows);
    let timeout = limits.timeout;
    let outcome = app
        .blocking(move |app: &App| {
            let answer = Local(&app.graph)
                .evaluate(&limited, Some(timeout))
                .map_err(|e| Problem::from_error(&e))?;
            check_rows(&answer, app.config.limits.rows)?;
            if representation == Representation::Html {
                return Ok(super::pages::results(app, &path, &query_text, &answer));
            }
            let body = write(&answer, representation, app.config.limits.bytes)?;
            Ok(answer_response(representation, body))
        })
        .await;
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(problem)) | Err(problem) => problem.into_response(),
    }
}

fn answer_response(representation: Representation, body: Vec<u8>) -> Response {
    answer(media_type(representation), body, true)
}

/// The query with the dataset that `default-graph-uri` and `named-graph-uri` give, if any.
fn with_dataset(query: Query, protocol: &Protocol) -> Result<Query, Problem> {
    if protocol.default_graphs.is_empty() && protocol.named_graphs.is_empty() {
        return Ok(query);
    }
    let iris = |values: &[String], parameter: &str| {
        values
            .iter()
            .map(|value| {
                NamedNode::new(value.as_str()).map_err(|e| {
                    Problem::new(
                        StatusCode::BAD_REQUEST,
                        format!("{parameter}={value} is not an absolute IRI ({e})"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let dataset = Some(QueryDataset {
        default: iris(&protocol.default_graphs, "default-graph-uri")?,
        named: Some(iris(&protocol.named_graphs, "named-graph-uri")?),
    });
    Ok(match query {
        Query::Select {
            pattern, base_iri, ..
        } => Query::Select {
            dataset,
            pattern,
            base_iri,
        },
        Query::Construct {
            template,
            pattern,
            base_iri,
            ..
        } => Query::Construct {
            template,
            dataset,
            pattern,
            base_iri,
        },
        Query::Describe {
            pattern, base_iri, ..
        } => Query::Describe {
            dataset,
            pattern,
            base_iri,
        },
        Query::Ask {
            pattern, base_iri, ..
        } => Query::Ask {
            dataset,
            pattern,
            base_iri,
        },
    })
}

/// A SELECT that stops after one solution more than `rows`, so that an answer over the
/// limit is known without being computed whole (unless it is ordered).
pub fn cap_rows(query: Query, rows: usize) -> Query {
    let Query::Select {
        dataset,
        pattern,
        base_iri,
    } = query
    else {
        return query;
    };
    let most = rows.saturating_add(1);
    let pattern = match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner,
            start,
            length: Some(length.map_or(most, |length| length.min(most))),
        },
        other => GraphPattern::Slice {
            inner: Box::new(other),
            start: 0,
            length: Some(most),
        },
    };
    Query::Select {
        dataset,
        pattern,
        base_iri,
    }
}

/// Refuses an answer of more solutions than `rows`.
pub fn check_rows(answer: &Answer, rows: usize) -> Result<(), Problem> {
    match answer {
        Answer::Solutions { rows: found, .. } if found.len() > rows => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the answer has more than {rows} rows, the limit of this server (--max-rows); add LIMIT and OFFSET to read it in parts"
            ),
        )),
        Answer::Graph(triples) if triples.len() > rows.saturating_mul(10) => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the answer has more than {} triples, the limit of this server (ten times --max-rows); narrow the query down",
                rows.saturating_mul(10)
            ),
        )),
        _ => Ok(()),
    }
}

/// Writes an answer in memory, at most `limit` bytes of it.
pub fn write(
    answer: &Answer,
    representation: Representation,
    limit: usize,
) -> Result<Vec<u8>, Problem> {
    let mut out = Bounded {
        data: Vec::new(),
        limit,
        exceeded: false,
    };
    let written = match (answer, representation) {
        (Answer::Graph(triples), Representation::Rdf(format)) => {
            export::write_graph(triples, format, &mut out)
        }
        (_, Representation::Results(format)) => results::write(answer, format, None, &mut out),
        (answer, other) => Err(crate::Error::WrongFormat {
            format: match other {
                Representation::Rdf(format) => format.name(),
                _ => "html",
            },
            form: match answer {
                Answer::Boolean(_) => "ASK",
                _ => "SELECT",
            },
        }),
    };
    if out.exceeded {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the answer is larger than {limit} bytes, the limit of this server (--max-bytes); add LIMIT and OFFSET to read it in parts"
            ),
        ));
    }
    written.map_err(|e| Problem::from_error(&e))?;
    Ok(out.data)
}

/// A writer into memory that fails past a limit.
struct Bounded {
    data: Vec<u8>,
    limit: usize,
    exceeded: bool,
}

impl Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.data.len() + bytes.len() > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("the answer is too large"));
        }
        self.data.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(text: &str) -> Query {
        spargebra::SparqlParser::new().parse_query(text).unwrap()
    }

    #[test]
    fn rows_are_capped_one_past_the_limit() {
        let capped = cap_rows(select("SELECT * WHERE { ?s ?p ?o }"), 10).to_string();
        assert!(capped.contains("LIMIT 11"), "{capped}");
        let capped = cap_rows(select("SELECT * WHERE { ?s ?p ?o } LIMIT 3"), 10).to_string();
        assert!(capped.contains("LIMIT 3"), "{capped}");
        let capped = cap_rows(
            select("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 5 LIMIT 300"),
            10,
        )
        .to_string();
        assert!(capped.contains("OFFSET 5 LIMIT 11"), "{capped}");
        let ask = select("ASK { ?s ?p ?o }");
        assert_eq!(cap_rows(ask.clone(), 1), ask);
    }

    #[test]
    fn the_protocol_dataset_replaces_the_querys() {
        let protocol = Protocol {
            queries: vec![],
            update: false,
            default_graphs: vec!["http://example.org/a".into()],
            named_graphs: vec![],
        };
        let query = with_dataset(
            select("SELECT * FROM <http://example.org/b> WHERE { ?s ?p ?o }"),
            &protocol,
        )
        .unwrap()
        .to_string();
        assert!(query.contains("FROM <http://example.org/a>"), "{query}");
        assert!(!query.contains("example.org/b"), "{query}");
        let bad = Protocol {
            default_graphs: vec!["not an iri".into()],
            ..Protocol::default()
        };
        assert!(with_dataset(select("ASK {}"), &bad).is_err());
    }

    #[test]
    fn written_answers_stop_at_the_byte_limit() {
        let answer = Answer::Boolean(true);
        let json = Representation::Results(OutputFormat::Json);
        assert!(write(&answer, json, 1000).is_ok());
        let error = write(&answer, json, 5).unwrap_err();
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
