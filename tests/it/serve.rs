//! `tipkg serve`, end to end: the real binary on a free loopback port (it prints the
//! address it bound), asked over HTTP by reqwest, by raw TCP for what a client library
//! would tidy up, by `tipkg query --endpoint` and by rdflib's SPARQLStore; its answers
//! are compared with `tipkg query` and `tipkg export` on the same graph.
//!
//! Tests share a server while any of them runs (`shared`, and `strict` with small
//! limits); the last one to finish stops it.

use crate::support::*;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::{Quad, Term, Triple};
use reqwest::blocking::{Client, Response};
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

const BASE: &str = "https://w3id.org/tipkg/";

/// A running `tipkg serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub address: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(args: &[&str]) -> Self {
        let mut child = tipkg()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tipkg serve starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut said = String::new();
        let address = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!("tipkg serve {args:?} stopped before listening:\n{said}");
            };
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split('/').next().unwrap().to_owned();
            }
            said.push_str(&line);
            said.push('\n');
        };
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Self {
            child,
            url: format!("http://{address}"),
            address,
            log,
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM (by `kill`, as a supervisor would) and waits at most `limit` for the
    /// process to end.
    pub fn terminate(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server of `slot`, started with `args` unless a running test holds it already.
fn held(slot: &'static Mutex<Weak<Server>>, args: &[&str]) -> Arc<Server> {
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(server) = slot.upgrade() {
        return server;
    }
    let server = Arc::new(Server::start(args));
    *slot = Arc::downgrade(&server);
    server
}

/// The bundled graph with the default limits (a short client time-out).
fn shared() -> Arc<Server> {
    static SLOT: Mutex<Weak<Server>> = Mutex::new(Weak::new());
    held(&SLOT, &["--client-timeout", "2"])
}

/// The bundled graph with small limits, and CORS.
fn strict() -> Arc<Server> {
    static SLOT: Mutex<Weak<Server>> = Mutex::new(Weak::new());
    held(
        &SLOT,
        &[
            "--cors",
            "--max-rows",
            "5",
            "--max-bytes",
            "3000",
            "--timeout",
            "1",
            "--client-timeout",
            "1",
        ],
    )
}

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn get(server: &Server, path: &str, accept: &str) -> Response {
    client()
        .get(format!("{}{path}", server.url))
        .header(ACCEPT, accept)
        .send()
        .unwrap()
}

/// `name=value&…`, form-encoded.
fn encoded(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

fn sparql_get(server: &Server, query: &str, accept: &str) -> Response {
    client()
        .get(format!(
            "{}/sparql?{}",
            server.url,
            encoded(&[("query", query)])
        ))
        .header(ACCEPT, accept)
        .send()
        .unwrap()
}

fn sparql_form(server: &Server, fields: &[(&str, &str)], accept: &str) -> Response {
    client()
        .post(format!("{}/sparql", server.url))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(encoded(fields))
        .header(ACCEPT, accept)
        .send()
        .unwrap()
}

fn sparql_post(server: &Server, query: &str, accept: &str) -> Response {
    client()
        .post(format!("{}/sparql", server.url))
        .header(CONTENT_TYPE, "application/sparql-query")
        .header(ACCEPT, accept)
        .body(query.to_owned())
        .send()
        .unwrap()
}

/// Status, media type (without parameters) and body of a response.
fn parts(response: Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let media_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (status, media_type, response.text().unwrap())
}

/// Sends raw bytes on a new connection and reads the answer until the server closes it.
fn raw(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// Every quad of the bundled graph, as `tipkg export` writes them.
fn graph_quads() -> &'static Vec<Quad> {
    static QUADS: OnceLock<Vec<Quad>> = OnceLock::new();
    QUADS.get_or_init(|| {
        let text = ok(&["export", "--format", "nquads"]);
        RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(text.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

fn lines_of_quads(text: &str, format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .map(|quad| quad.expect("the document parses").to_string())
        .collect()
}

fn lines_of_triples(text: &str, format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .map(|quad| Triple::from(quad.expect("the document parses")).to_string())
        .collect()
}

fn jsonld() -> RdfFormat {
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    }
}

fn assert_same(label: &str, actual: &BTreeSet<String>, expected: &BTreeSet<String>) {
    let missing: Vec<_> = expected.difference(actual).take(5).collect();
    let extra: Vec<_> = actual.difference(expected).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{label}: {} vs {} statements\nmissing: {missing:#?}\nextra: {extra:#?}",
        actual.len(),
        expected.len()
    );
}

/// The SPARQL text of a bundled query with its default parameters bound.
fn bound(name: &str) -> String {
    ok(&["query", name, "--print"])
}

#[test]
fn sparql_results_are_those_of_tipkg_query_in_every_format_and_way_of_asking() {
    let server = shared();
    let formats = [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ];
    for name in ["countries-by-project", "event-organisers", "publications"] {
        let text = bound(name);
        for (format, media_type) in formats {
            let expected = ok(&["query", name, "--format", format]);
            let answers = [
                ("GET", sparql_get(&server, &text, media_type)),
                (
                    "POST form",
                    sparql_form(&server, &[("query", &text)], media_type),
                ),
                ("POST query", sparql_post(&server, &text, media_type)),
            ];
            for (way, response) in answers {
                let (status, got_type, body) = parts(response);
                assert_eq!(status, 200, "{name} {format} {way}: {body}");
                assert_eq!(got_type, media_type, "{name} {format} {way}");
                assert_eq!(body, expected, "{name} {format} {way}");
            }
        }
    }
    // ASK in the boolean formats; q-values choose.
    let (status, media_type, body) = parts(sparql_get(
        &server,
        "ASK { ?s a schema:Event }",
        "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
    ));
    assert_eq!(
        (status, media_type.as_str()),
        (200, "application/sparql-results+xml")
    );
    assert!(body.contains("<boolean>true</boolean>"), "{body}");
    let (_, media_type, body) = parts(sparql_get(&server, "ASK {}", ""));
    assert_eq!(media_type, "application/sparql-results+json", "the default");
    assert!(body.contains("true"), "{body}");
}

#[test]
fn graphs_come_in_every_rdf_syntax_and_406_when_none_is_acceptable() {
    let server = shared();
    let text =
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/tipkg/graph/ror> { ?s ?p ?o } }";
    let expected = lines_of_triples(
        &ok(&["query", "--sparql", text, "--format", "ntriples"]),
        RdfFormat::NTriples,
    );
    assert!(expected.len() > 5);
    for (media_type, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/ld+json", jsonld()),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let (status, got_type, body) = parts(sparql_get(&server, text, media_type));
        assert_eq!((status, got_type.as_str()), (200, media_type), "{body}");
        assert_same(media_type, &lines_of_triples(&body, format), &expected);
    }
    let (status, _, body) = parts(sparql_get(&server, text, "image/png"));
    assert_eq!(status, 406, "{body}");
    assert!(body.contains("text/turtle"), "{body}");
    let (status, _, body) = parts(sparql_get(&server, "SELECT * {}", "text/turtle"));
    assert_eq!(status, 406, "{body}");
    assert!(body.contains("application/sparql-results+json"), "{body}");
}

#[test]
fn the_default_graph_is_the_union_and_the_protocol_dataset_is_honoured() {
    let server = shared();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let number = |response: Response| {
        let (status, _, body) = parts(response);
        assert_eq!(status, 200, "{body}");
        body.lines().nth(1).unwrap().trim().to_owned()
    };
    let union = number(sparql_get(&server, count, "text/csv"));
    let expected = ok(&["query", "--sparql", count, "--format", "csv"]);
    assert_eq!(union, expected.lines().nth(1).unwrap().trim());
    let ror = graph_quads()
        .iter()
        .filter(|q| q.graph_name.to_string() == format!("<{BASE}graph/ror>"))
        .count();
    let one = number(sparql_form(
        &server,
        &[
            ("query", count),
            ("default-graph-uri", &format!("{BASE}graph/ror")),
        ],
        "text/csv",
    ));
    assert_eq!(one, ror.to_string());
    // named-graph-uri alone: an empty default graph, and GRAPH sees only that graph.
    let graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }";
    let (_, _, body) = parts(sparql_form(
        &server,
        &[
            ("query", graphs),
            ("named-graph-uri", &format!("{BASE}graph/ror")),
        ],
        "text/csv",
    ));
    assert_eq!(
        body.lines().skip(1).collect::<Vec<_>>(),
        [format!("{BASE}graph/ror")]
    );
    let (status, _, body) = parts(sparql_form(
        &server,
        &[("query", count), ("default-graph-uri", "not an IRI")],
        "text/csv",
    ));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("default-graph-uri"), "{body}");
}

#[test]
fn updates_and_bad_queries_are_refused_clearly() {
    let server = shared();
    let insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }";
    let refused = [
        client()
            .get(format!(
                "{}/sparql?{}",
                server.url,
                encoded(&[("update", insert)])
            ))
            .send()
            .unwrap(),
        sparql_form(&server, &[("update", insert)], "*/*"),
        client()
            .post(format!("{}/sparql", server.url))
            .header(CONTENT_TYPE, "application/sparql-update")
            .body(insert)
            .send()
            .unwrap(),
        sparql_get(&server, insert, "*/*"),
    ];
    for response in refused {
        let (status, _, body) = parts(response);
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("read-only"), "{body}");
    }
    let (status, _, body) = parts(sparql_get(&server, "SELECT * WHERE { ?s ?p }", "*/*"));
    assert_eq!(status, 400);
    assert!(body.starts_with("query:1:"), "{body}");
    let (status, _, body) = parts(
        client()
            .post(format!("{}/sparql", server.url))
            .header(CONTENT_TYPE, "text/plain")
            .body("ASK {}")
            .send()
            .unwrap(),
    );
    assert_eq!(status, 415, "{body}");
    let (status, _, _) = parts(
        client()
            .delete(format!("{}/sparql", server.url))
            .send()
            .unwrap(),
    );
    assert_eq!(status, 405);
    // Nothing changed.
    let (_, _, body) = parts(sparql_get(
        &server,
        "ASK { <http://example.org/a> ?p ?o }",
        "text/csv",
    ));
    assert!(body.contains("false"), "{body}");
}

#[test]
fn limits_refuse_large_answers_slow_queries_and_large_bodies() {
    let server = strict();
    let (status, _, body) = parts(sparql_get(
        &server,
        "SELECT ?s WHERE { ?s a schema:Organization }",
        "text/csv",
    ));
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("more than 5 rows"), "{body}");
    let (status, _, body) = parts(sparql_get(
        &server,
        "SELECT ?s WHERE { ?s a schema:Organization } ORDER BY ?s LIMIT 5",
        "text/csv",
    ));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.lines().count(), 6);
    let (status, _, body) = parts(sparql_get(
        &server,
        "SELECT ?o WHERE { ?s schema:text ?o } LIMIT 5",
        "text/csv",
    ));
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("larger than 3000 bytes"), "{body}");

    // A query that would run for minutes is stopped at --timeout 1, by the query
    // layer's cancellation (a join that looks up the store for each solution).
    let started = Instant::now();
    let (status, _, body) = parts(sparql_get(
        &server,
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?c . ?d ?f ?g . ?h ?i ?g . ?h ?j ?k }",
        "text/csv",
    ));
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("stopped after 1 s"), "{body}");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );

    // 64 KiB of body at most: refused from its Content-Length, and when sent in chunks.
    let big = format!("query={}", "x".repeat(70 * 1024));
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let chunked = raw(
        &server,
        format!(
            "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
            big.len()
        )
        .as_bytes(),
    );
    assert!(chunked.starts_with("HTTP/1.1 413"), "{chunked}");
    // A query longer than the limit in the URL: refused by the server, whether the
    // request head is too large for it to read or its query is too long.
    for length in [40 * 1024, 200 * 1024] {
        let answer = raw(
            &server,
            format!(
                "GET /sparql?query=ASK%7B%7D%23{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "x".repeat(length)
            )
            .as_bytes(),
        );
        assert!(
            answer.starts_with("HTTP/1.1 414") || answer.starts_with("HTTP/1.1 431"),
            "{length}: {}",
            answer.lines().next().unwrap_or_default()
        );
    }
}

#[test]
fn cors_is_off_by_default_and_on_with_the_option() {
    let origin = "http://example.org";
    let asked = |server: &Server| {
        client()
            .get(format!("{}/sparql?query=ASK%7B%7D", server.url))
            .header("Origin", origin)
            .send()
            .unwrap()
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(asked(&shared()), None);
    assert_eq!(asked(&strict()).as_deref(), Some("*"));
}

#[test]
fn slow_and_silent_clients_do_not_hold_up_others() {
    let server = strict();
    // Half a request, then nothing; and a connection that sends nothing at all.
    let mut slow = TcpStream::connect(&server.address).unwrap();
    slow.write_all(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let silent = TcpStream::connect(&server.address).unwrap();
    // A body announced and never sent.
    let mut stalled = TcpStream::connect(&server.address).unwrap();
    stalled
        .write_all(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK")
        .unwrap();
    let started = Instant::now();
    for _ in 0..5 {
        let (status, _, _) = parts(get(&server, "/sparql?query=ASK%7B%7D", "text/csv"));
        assert_eq!(status, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The server closes them after --client-timeout 1 (the stalled body gets 408).
    for (name, mut stream) in [("slow", slow), ("silent", silent), ("stalled", stalled)] {
        stream
            .set_read_timeout(Some(Duration::from_secs(8)))
            .unwrap();
        let mut answer = Vec::new();
        let result = stream.read_to_end(&mut answer);
        assert!(result.is_ok(), "{name}: still open after 8 s: {result:?}");
        let answer = String::from_utf8_lossy(&answer);
        if name == "stalled" {
            assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        }
    }
}

#[test]
fn tipkg_query_uses_the_server_as_an_endpoint() {
    let server = shared();
    let endpoint = format!("{}/sparql", server.url);
    for name in ["countries-by-project", "sources", "grant-amounts"] {
        let expected = ok(&["query", name, "--format", "tsv"]);
        // As a generic endpoint, the union is asked for by naming every graph.
        let generic = ok(&["query", name, "--format", "tsv", "--endpoint", &endpoint]);
        assert_eq!(generic, expected, "{name}");
        // The server's own default graph is that union.
        let own = ok(&[
            "query",
            name,
            "--format",
            "tsv",
            "--endpoint",
            &endpoint,
            "--endpoint-dataset",
            "endpoint",
        ]);
        assert_eq!(own, expected, "{name}");
    }
    let construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a schema:Event ; ?p ?o }";
    let local = ok(&["query", "--sparql", construct, "--format", "ntriples"]);
    let remote = ok(&[
        "query",
        "--sparql",
        construct,
        "--format",
        "ntriples",
        "--endpoint",
        &endpoint,
    ]);
    assert_eq!(remote, local);
    assert!(
        server.log().contains("POST /sparql 200"),
        "{}",
        server.log()
    );
}

#[test]
fn rdflib_sparql_store_reads_the_server() {
    let server = shared();
    let dir = temp_dir();
    let mut files = Vec::new();
    for name in ["countries-by-project", "event-participants", "statistics"] {
        let query = dir.path().join(format!("{name}.rq"));
        std::fs::write(&query, bound(name)).unwrap();
        let expected = dir.path().join(format!("{name}.srx"));
        std::fs::write(&expected, ok(&["query", name, "--format", "xml"])).unwrap();
        files.extend([query, expected]);
    }
    // A graph, which rdflib asks for as RDF/XML. (rdflib declares its own `schema:`
    // prefix, for https://schema.org/, so the class is written in full.)
    let text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://schema.org/Project> ; ?p ?o }";
    let query = dir.path().join("construct.rq");
    std::fs::write(&query, text).unwrap();
    let expected = dir.path().join("construct.ttl");
    std::fs::write(&expected, ok(&["query", "--sparql", text])).unwrap();
    files.extend([query, expected]);
    let endpoint = std::path::PathBuf::from(format!("{}/sparql", server.url));
    let mut args = vec![endpoint.as_path()];
    args.extend(files.iter().map(|f| f.as_path()));
    let Some(output) = python_checker("sparql_store.py", &args) else {
        return;
    };
    assert!(
        output.status.success(),
        "rdflib: {}{}",
        stdout(&output),
        stderr(&output)
    );
}

/// One IRI of each kind the graph mints (the first, in IRI order), nested ones included.
fn one_of_each_kind() -> Vec<String> {
    let mut iris = BTreeSet::new();
    for quad in graph_quads() {
        for term in [Term::from(quad.subject.clone()), quad.object.clone()] {
            if let Term::NamedNode(node) = term
                && (node.as_str().starts_with(&format!("{BASE}id/"))
                    || node.as_str().starts_with(&format!("{BASE}concept/")))
            {
                iris.insert(node.as_str().to_owned());
            }
        }
    }
    let mut kinds = BTreeSet::new();
    iris.into_iter()
        .filter(|iri| {
            let local = &iri[BASE.len()..];
            let segments: Vec<&str> = local.split('/').collect();
            // The kind, and the depth: `id/grant/x` and `id/grant/x/amount/y` differ.
            let kind = format!("{}/{}/{}", segments[0], segments[1], segments.len());
            kinds.insert(kind)
        })
        .collect()
}

#[test]
fn every_kind_of_iri_answers_303_to_a_document_of_exactly_its_quads() {
    let server = shared();
    let iris = one_of_each_kind();
    assert!(iris.len() >= 14, "{iris:?}");
    let client = client();
    for iri in &iris {
        let path = &iri[BASE.len() - 1..];
        let expected_quads: BTreeSet<String> = graph_quads()
            .iter()
            .filter(|q| {
                q.subject.to_string() == format!("<{iri}>")
                    || q.object.to_string() == format!("<{iri}>")
            })
            .map(ToString::to_string)
            .collect();
        let expected_triples: BTreeSet<String> = graph_quads()
            .iter()
            .filter(|q| expected_quads.contains(&q.to_string()))
            .map(|q| Triple::from(q.clone()).to_string())
            .collect();
        for (accept, extension, format, quads) in [
            ("text/turtle", "ttl", Some(RdfFormat::Turtle), false),
            (
                "application/n-triples",
                "nt",
                Some(RdfFormat::NTriples),
                false,
            ),
            ("application/rdf+xml", "rdf", Some(RdfFormat::RdfXml), false),
            ("application/ld+json", "jsonld", Some(jsonld()), true),
            ("application/n-quads", "nq", Some(RdfFormat::NQuads), true),
            ("application/trig", "trig", Some(RdfFormat::TriG), true),
            (
                "text/html,application/xhtml+xml,*/*;q=0.8",
                "html",
                None,
                false,
            ),
        ] {
            let url = reqwest::Url::parse(&format!("{}{path}", server.url)).unwrap();
            let response = client
                .get(url.clone())
                .header(ACCEPT, accept)
                .send()
                .unwrap();
            assert_eq!(response.status().as_u16(), 303, "{path} {accept}");
            assert_eq!(response.headers()["vary"], "Accept");
            let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
            let document = url.join(&location).unwrap();
            assert_eq!(
                document.path(),
                format!(
                    "/doc/{}.{extension}",
                    path.trim_start_matches("/id/").trim_start_matches('/')
                ),
                "{path} {accept}"
            );
            let (status, media_type, body) = parts(client.get(document.clone()).send().unwrap());
            assert_eq!(status, 200, "{document}: {body}");
            let Some(format) = format else {
                assert_eq!(media_type, "text/html");
                assert!(
                    body.contains(&format!("<p class=\"iri\">{}</p>", html_text(iri))),
                    "{document}"
                );
                continue;
            };
            if quads {
                assert_same(
                    document.as_str(),
                    &lines_of_quads(&body, format),
                    &expected_quads,
                );
            } else {
                assert_same(
                    document.as_str(),
                    &lines_of_triples(&body, format),
                    &expected_triples,
                );
            }
        }
    }
    // Unknown things, kinds and extensions are 404; no path reaches outside the graph.
    for path in [
        "/id/org/no-such-org",
        "/id/thing/unicef",
        "/doc/org/unicef.exe",
        "/doc/org/no-such-org.ttl",
        "/doc/etc/passwd.ttl",
    ] {
        assert_eq!(get(&server, path, "*/*").status().as_u16(), 404, "{path}");
    }
    for path in [
        "/doc/../../etc/passwd",
        "/doc/org/../../../etc/passwd",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/doc/org/..%2f..%2fetc%2fpasswd.ttl",
        "/assets/../Cargo.toml",
    ] {
        let answer = raw(
            &server,
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {answer}");
        assert!(!answer.contains("root:"), "{path}");
    }
}

/// Text as minijinja escapes it in HTML.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('/', "&#x2f;")
        .replace('<', "&lt;")
}

#[test]
fn with_a_base_redirects_are_absolute_under_it() {
    let server = Server::start(&["--base", "https://kg.example.org/tipkg/"]);
    let response = get(&server, "/id/org/unicef", "application/ld+json");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()[LOCATION],
        "https://kg.example.org/tipkg/doc/org/unicef.jsonld"
    );
    let (_, _, page) = parts(get(&server, "/doc/org/unicef.html", "text/html"));
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https:&#x2f;&#x2f;kg.example.org&#x2f;tipkg&#x2f;doc&#x2f;org&#x2f;unicef.html\">"),
        "{page}"
    );
}

#[test]
fn the_graph_store_serves_graphs_and_refuses_writes() {
    let server = shared();
    let ror = format!("{BASE}graph/ror");
    let expected: BTreeSet<String> = graph_quads()
        .iter()
        .filter(|q| q.graph_name.to_string() == format!("<{ror}>"))
        .map(|q| Triple::from(q.clone()).to_string())
        .collect();
    let url = format!("{}/store", server.url);
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/ld+json", jsonld()),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let response = client()
            .get(format!("{url}?{}", encoded(&[("graph", &ror)])))
            .header(ACCEPT, accept)
            .send()
            .unwrap();
        let (status, media_type, body) = parts(response);
        assert_eq!((status, media_type.as_str()), (200, accept), "{body}");
        assert_same(accept, &lines_of_triples(&body, format), &expected);
    }
    // ?default is the union of the named graphs, as in the SPARQL endpoint.
    let union: BTreeSet<String> = graph_quads()
        .iter()
        .map(|q| Triple::from(q.clone()).to_string())
        .collect();
    let (status, _, body) = parts(get(&server, "/store?default", "application/n-triples"));
    assert_eq!(status, 200);
    assert_same(
        "default",
        &lines_of_triples(&body, RdfFormat::NTriples),
        &union,
    );
    for (path, status) in [
        ("/store", 400),
        ("/store?default&graph=x", 400),
        ("/store?graph=https://example.org/none", 404),
    ] {
        assert_eq!(
            get(&server, path, "*/*").status().as_u16(),
            status,
            "{path}"
        );
    }
    for method in ["PUT", "POST", "DELETE"] {
        let response = client()
            .request(method.parse().unwrap(), format!("{url}?graph={ror}"))
            .header(CONTENT_TYPE, "text/turtle")
            .body("<a:b> <a:c> <a:d> .")
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 405, "{method}");
        assert_eq!(response.headers()["allow"], "GET, HEAD");
    }
}

#[test]
fn graphs_ontology_dataset_and_downloads_negotiate() {
    let server = shared();
    let in_graph = |graph: &str| -> BTreeSet<String> {
        graph_quads()
            .iter()
            .filter(|q| q.graph_name.to_string() == format!("<{BASE}{graph}>"))
            .map(ToString::to_string)
            .collect()
    };
    for (path, graph) in [
        ("/graph/wikidata", "graph/wikidata"),
        ("/ontology", "graph/ontology"),
        ("/dataset", "graph/dataset"),
    ] {
        let (status, media_type, body) = parts(get(&server, path, "application/n-quads"));
        assert_eq!((status, media_type.as_str()), (200, "application/n-quads"));
        assert_same(
            path,
            &lines_of_quads(&body, RdfFormat::NQuads),
            &in_graph(graph),
        );
        let (status, media_type, _) = parts(get(&server, path, "text/html"));
        assert_eq!((status, media_type.as_str()), (200, "text/html"), "{path}");
    }
    let (_, _, ttl) = parts(get(&server, "/ontology.ttl", "*/*"));
    assert_eq!(
        lines_of_triples(&ttl, RdfFormat::Turtle).len(),
        in_graph("graph/ontology").len()
    );
    // The downloads the dataset's description lists are served.
    let all: BTreeSet<String> = graph_quads().iter().map(ToString::to_string).collect();
    let (status, _, nq) = parts(get(&server, "/dataset.nq", "*/*"));
    assert_eq!(status, 200);
    assert_same("dataset.nq", &lines_of_quads(&nq, RdfFormat::NQuads), &all);
    let (_, _, canonical) = parts(get(&server, "/dataset.c14n.nq", "*/*"));
    assert_eq!(canonical, ok(&["export", "--format", "canonical"]));
    let (_, media_type, context) = parts(get(&server, "/context.jsonld", "*/*"));
    assert_eq!(media_type, "application/ld+json");
    assert_eq!(
        context,
        std::fs::read_to_string(root().join("ontology/context.jsonld")).unwrap()
    );
    assert_eq!(
        get(&server, "/graph/no-such-source", "*/*")
            .status()
            .as_u16(),
        404
    );
    let (status, media_type, _) = parts(get(&server, "/favicon.ico", "image/*"));
    assert_eq!((status, media_type.as_str()), (200, "image/x-icon"));
}

/// Fetches pages, checks them with `html_check.py` and returns the links of each.
fn checked_pages(server: &Server, paths: &[&str]) -> Option<Vec<(String, Vec<String>)>> {
    let dir = temp_dir();
    let mut files = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let (status, media_type, body) = parts(get(server, path, "text/html"));
        assert_eq!(
            (status, media_type.as_str()),
            (200, "text/html"),
            "{path}: {body}"
        );
        let file = dir.path().join(format!("{i}.html"));
        std::fs::write(&file, body).unwrap();
        files.push(file);
    }
    let mut pages = Vec::new();
    for (path, file) in paths.iter().zip(&files) {
        let output = python_checker("html_check.py", &[file.as_path()])?;
        assert!(output.status.success(), "{path}: {}", stderr(&output));
        pages.push((
            path.to_string(),
            stdout(&output).lines().map(str::to_owned).collect(),
        ));
    }
    Some(pages)
}

#[test]
fn pages_are_well_formed_and_their_links_lead_somewhere() {
    let server = shared();
    let paths = [
        "/",
        "/search?q=unicef",
        "/doc/org/unicef.html",
        "/doc/project/lupta.html",
        "/doc/concept/topic/access-to-justice-for-children.html",
        "/class/schema/Event",
        "/graph/icat-2023-06-access-to-justice-for-children",
        "/ontology",
        "/dataset",
        "/queries",
        "/queries/countries-by-project?project=disrupting-harm",
        "/queries/event-details?event=no-such-event",
        "/sparql",
        "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20schema%3AEvent%20%7D",
    ];
    let Some(pages) = checked_pages(&server, &paths) else {
        return;
    };
    let links = |path: &str| pages.iter().find(|(p, _)| p == path).unwrap().1.clone();
    let unicef = links("/doc/org/unicef.html");
    for expected in [
        "../../doc/org/unicef-innocenti.html",
        "../../doc/work/legislating-for-the-digital-age.html",
        "../../graph/icat-2023-06-access-to-justice-for-children",
        "../../class/schema/Organization",
        "../../doc/org/unicef.ttl",
        "../../doc/org/unicef.jsonld",
        "https://www.wikidata.org/wiki/Q740308",
        "https://d-portal.org/ctrack.html?publisher=XM-DAC-41122",
        "https://icat.un.org/events/06-2023/icat-holds-discussion-strengthening-access-justice-children",
    ] {
        assert!(
            unicef.contains(&expected.to_owned()),
            "{expected} in {unicef:#?}"
        );
    }
    assert!(links("/search?q=unicef").contains(&"./doc/org/unicef.html".to_owned()));
    let (_, _, page) = parts(get(&server, "/doc/org/unicef.html", "text/html"));
    assert!(page.contains("<blockquote"), "the evidence quote");
    assert!(page.contains("Also known as: UNICEF"));
    let (_, _, page) = parts(get(
        &server,
        "/queries/countries-by-project?project=disrupting-harm",
        "text/html",
    ));
    assert!(
        page.contains("Viet Nam") && page.contains("<table>"),
        "{page}"
    );
    let (_, _, page) = parts(get(
        &server,
        "/queries/event-details?event=no-such-event",
        "text/html",
    ));
    assert!(
        page.contains("role=\"alert\"") && page.contains("no-such-event"),
        "{page}"
    );
    let (_, _, page) = parts(get(&server, "/sparql", "text/html"));
    assert!(page.contains("assets/yasgui.min.js"), "{page}");

    // Every link between pages leads somewhere: each internal link of these pages is
    // followed once.
    let client = client();
    let mut followed = BTreeSet::new();
    for (path, links) in &pages {
        let page = reqwest::Url::parse(&format!("{}{path}", server.url)).unwrap();
        for link in links {
            let target = page.join(link).unwrap();
            if target.host_str() != Some("127.0.0.1") {
                continue;
            }
            let mut key = target.clone();
            key.set_fragment(None);
            if !followed.insert(key.to_string()) {
                continue;
            }
            let status = client
                .get(key.clone())
                .header(ACCEPT, "text/html,*/*;q=0.8")
                .send()
                .unwrap()
                .status()
                .as_u16();
            assert_eq!(status, 200, "{link} on {path} ({key})");
        }
    }
    assert!(followed.len() > 100, "{}", followed.len());
}

#[test]
fn sigterm_stops_the_server_once_the_answers_in_flight_are_sent() {
    let mut server = Server::start(&[]);
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .write_all(b"GET /dataset.nq HTTP/1.1\r\nHost: tipkg\r\nConnection: close\r\n\r\n")
        .unwrap();
    // The answer has begun when SIGTERM comes.
    let mut start = [0u8; 12];
    stream.read_exact(&mut start).unwrap();
    assert_eq!(&start, b"HTTP/1.1 200");
    // An idle connection is closed, not waited for.
    let idle = TcpStream::connect(&server.address).unwrap();
    let status = server
        .terminate(Duration::from_secs(20))
        .expect("the server ends after SIGTERM");
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    let rest = String::from_utf8(rest).unwrap();
    let (head, body) = rest.split_once("\r\n\r\n").unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    assert!(
        body.ends_with("\r\n0\r\n\r\n"),
        "the whole answer, to its last chunk"
    );
    assert!(body.matches("> .\n").count() > 1000 || body.matches(" .\n").count() > 1000);
    assert!(status.success(), "{status:?}");
    drop(idle);
    assert!(
        TcpStream::connect(&server.address).is_err(),
        "no longer listening"
    );
    assert!(server.log().contains("stopped"), "{}", server.log());
}

#[test]
fn requests_are_logged_one_line_each() {
    let server = Server::start(&[]);
    let _ = parts(get(&server, "/doc/org/unicef.ttl", "*/*"));
    let _ = parts(get(&server, "/no-such-page", "*/*"));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.log().contains("/no-such-page") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = server.log();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].starts_with("GET /doc/org/unicef.ttl 200 "),
        "{log}"
    );
    assert!(
        lines[0].contains(" B ") && lines[0].ends_with(" ms"),
        "{log}"
    );
    assert!(lines[1].starts_with("GET /no-such-page 404 "), "{log}");
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let server = shared();
    let output = run(&["serve", "--bind", &server.address]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(
        error.contains(&format!("cannot listen on {}", server.address)),
        "{error}"
    );
    assert!(error.contains("--bind"), "{error}");
}

/// What a README command prints: `curl` with the options the README uses
/// (`-s`, `-H`, `--data-urlencode`, `-o /dev/null`, `-w` with `%{http_code}` and
/// `%header{NAME}`), done with reqwest, or `tipkg`.
fn readme_command(words: &[String]) -> String {
    if words[0] == "tipkg" {
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let output = run(&args);
        return stdout(&output) + &stderr(&output);
    }
    assert_eq!(words[0], "curl", "a serve-test command is curl or tipkg");
    let mut headers = Vec::new();
    let mut form = Vec::new();
    let mut discard = false;
    let mut write_out = None;
    let mut url = None;
    let mut rest = words[1..].iter();
    while let Some(word) = rest.next() {
        match word.as_str() {
            "-s" => {}
            "-H" => headers.push(rest.next().unwrap().clone()),
            "--data-urlencode" => {
                let (name, value) = rest.next().unwrap().split_once('=').unwrap();
                form.push((name.to_owned(), value.to_owned()));
            }
            "-o" => discard = rest.next().unwrap() == "/dev/null",
            "-w" => write_out = Some(rest.next().unwrap().clone()),
            other if !other.starts_with('-') => url = Some(other.to_owned()),
            other => panic!("curl option {other} is not understood here"),
        }
    }
    let url = url.expect("a URL");
    let mut request = if form.is_empty() {
        client().get(&url)
    } else {
        let fields: Vec<(&str, &str)> =
            form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        client()
            .post(&url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encoded(&fields))
    };
    for header in &headers {
        let (name, value) = header.split_once(": ").unwrap();
        request = request.header(name, value);
    }
    let response = request.send().unwrap();
    let status = response.status().as_u16();
    let response_headers = response.headers().clone();
    let body = response.text().unwrap();
    let mut printed = if discard { String::new() } else { body };
    if let Some(format) = write_out {
        let mut text = format.replace("\\n", "\n");
        text = text.replace("%{http_code}", &status.to_string());
        while let Some(at) = text.find("%header{") {
            let end = at + text[at..].find('}').unwrap();
            let name = &text[at + 8..end];
            let value = response_headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            text.replace_range(at..=end, &value);
        }
        printed.push_str(&text);
    }
    printed.replace("\r\n", "\n")
}

#[test]
fn the_readme_examples_of_serve_are_what_the_server_answers() {
    const MARKER: &str = "<!-- serve-test -->";
    const README_ADDRESS: &str = "127.0.0.1:7878";
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(MARKER),
        "the README shows tipkg serve at work"
    );
    let server = shared();
    let mut out = String::new();
    let mut rest = readme.as_str();
    while let Some(at) = rest.find(MARKER) {
        let fence = at + rest[at..].find("```").unwrap();
        let body = fence + rest[fence..].find('\n').unwrap() + 1;
        let end = body + rest[body..].find("```").unwrap();
        out.push_str(&rest[..body]);
        let mut lines = rest[body..end].lines().peekable();
        while let Some(line) = lines.next() {
            let command = line.strip_prefix("$ ").expect("a block of `$ ` commands");
            let mut shown = Vec::new();
            while let Some(next) = lines.peek()
                && !next.starts_with("$ ")
            {
                shown.push(*next);
                lines.next();
            }
            let words: Vec<String> =
                crate::readme::words(&command.replace(README_ADDRESS, &server.address))
                    .into_iter()
                    .collect();
            let printed = readme_command(&words).replace(&server.address, README_ADDRESS);
            out.push_str(&format!("{line}\n"));
            if shown.last() == Some(&"…") {
                for kept in printed.lines().take(shown.len() - 1) {
                    out.push_str(&format!("{kept}\n"));
                }
                out.push_str("…\n");
            } else {
                out.push_str(&printed);
                if !printed.is_empty() && !printed.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    expect_file("README.md", &out);
}

#[test]
fn a_server_whose_every_turn_is_held_by_an_unstoppable_query_exits() {
    let mut server = Server::start(&["--max-concurrent", "1", "--timeout", "0.5"]);
    // A cross product under an aggregate computes without reading the store, where the
    // evaluator checks for cancellation.
    let (status, _, body) = parts(sparql_get(
        &server,
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "text/csv",
    ));
    assert_eq!(status, 503, "{body}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(Instant::now() < deadline, "still running: {}", server.log());
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(2));
    let log = server.log();
    assert!(log.contains("cannot be stopped"), "{log}");
    assert!(log.contains("exiting"), "{log}");
}

#[test]
fn an_on_disk_store_is_served_as_the_graph_built_in_memory() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    ok(&["build", "-q", "--store", store.to_str().unwrap()]);
    let server = Server::start(&["--store", store.to_str().unwrap()]);
    let (status, _, body) = parts(get(&server, "/doc/org/unicef.nq", "*/*"));
    assert_eq!(status, 200, "{body}");
    let (_, _, in_memory) = parts(get(&shared(), "/doc/org/unicef.nq", "*/*"));
    assert_eq!(body, in_memory);
    let text = bound("countries-by-project");
    let (_, _, csv) = parts(sparql_get(&server, &text, "text/csv"));
    assert_eq!(
        csv,
        ok(&["query", "countries-by-project", "--format", "csv"])
    );
    // Readers share the store: a second server, or a query, may read it meanwhile.
    let second = Server::start(&["--store", store.to_str().unwrap()]);
    assert_eq!(get(&second, "/", "text/html").status().as_u16(), 200);
}
