//! The query catalogue and `tipkg query`: every bundled query's header and golden answer,
//! output formats read by independent parsers, parameter binding that cannot change a
//! query, errors, timeouts, and the same answers from a real SPARQL server.

use crate::support::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::process::Stdio;
use tipkg::catalogue;

/// The stems of `queries/*.rq` on disk.
fn query_files() -> BTreeSet<String> {
    std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect()
}

/// The arguments of an example call, after `tipkg`.
fn example_args(example: &str) -> Vec<String> {
    let args: Vec<String> = example.split_whitespace().map(str::to_owned).collect();
    assert_eq!(args[0], "tipkg", "an example is a tipkg call: {example}");
    args[1..].to_vec()
}

/// SPARQL TSV with its rows sorted (the header stays first), so that answers compare
/// whatever order a store returns them in.
fn sorted_rows(tsv: &str) -> String {
    let mut lines = tsv.lines();
    let header = lines.next().unwrap_or_default();
    let mut rows: Vec<&str> = lines.collect();
    rows.sort_unstable();
    let mut out = format!("{header}\n");
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    out
}

/// The golden text of a query: each example call and its sorted TSV answer, run by `run`.
fn answers(query: &catalogue::NamedQuery, run: impl Fn(&[String]) -> String) -> String {
    let mut text = String::new();
    for example in &query.header.examples {
        let mut args = example_args(example);
        args.extend(["--format".into(), "tsv".into()]);
        text.push_str(&format!("# {example}\n"));
        text.push_str(&sorted_rows(&run(&args)));
    }
    text
}

/// Runs `tipkg`, expecting it to fail with exit code 2 and `needle` in its message.
fn fails_with(args: &[&str], needle: &str) -> std::process::Output {
    let output = run(args);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
    assert!(message.contains(needle), "{args:?}: {message}");
    output
}

fn run_args(args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&args)
}

#[test]
fn the_catalogue_is_exactly_the_queries_folder() {
    let listed: BTreeSet<String> = ok(&["queries"])
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert_eq!(listed, query_files());
    let bundled: BTreeSet<String> = catalogue::bundled()
        .unwrap()
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert_eq!(bundled, query_files());
    assert!(bundled.len() >= 15, "{} queries", bundled.len());
}

#[test]
fn every_bundled_query_parses_and_has_a_complete_header() {
    for query in catalogue::bundled().unwrap() {
        let name = &query.name;
        assert!(
            query.header.missing_fields().is_empty(),
            "{name} lacks {:?}",
            query.header.missing_fields()
        );
        tipkg::query::parse(&query).unwrap_or_else(|e| panic!("{e}"));
        for parameter in &query.header.parameters {
            assert!(
                query.text.contains(&format!("?{}", parameter.name)),
                "{name}: parameter {} is not a variable of the query",
                parameter.name
            );
            assert!(!parameter.description.is_empty(), "{name}: {parameter:?}");
        }
        for example in &query.header.examples {
            let args = example_args(example);
            assert_eq!(&args[..2], ["query", name.as_str()], "{name}: {example}");
            for pair in args.windows(2).filter(|w| w[0] == "--param") {
                let param = pair[1].split_once('=').unwrap().0;
                assert!(
                    query.header.parameter(param).is_some(),
                    "{name}: example uses undeclared {param}"
                );
            }
        }
    }
}

#[test]
fn every_bundled_query_gives_its_golden_answer() {
    for query in catalogue::bundled().unwrap() {
        let text = answers(&query, run_args);
        assert!(text.lines().count() > 1, "{}: no answer", query.name);
        expect_file(&format!("tests/golden/queries/{}.tsv", query.name), &text);
    }
}

#[test]
fn queries_name_shows_description_parameters_and_text() {
    let shown = ok(&["queries", "countries-by-project"]);
    assert!(shown.contains("Countries a project covers"), "{shown}");
    assert!(
        shown.contains("project (project, default disrupting-harm)"),
        "{shown}"
    );
    assert!(shown.contains("schema:areaServed"), "{shown}");
    fails_with(
        &["queries", "countries-by-projet"],
        "did you mean \"countries-by-project\"",
    );
}

#[test]
fn output_formats_are_read_by_independent_parsers() {
    let dir = temp_dir();
    let expected = dir.path().join("expected.tsv");
    let args = [
        "query",
        "countries-by-project",
        "--param",
        "project=disrupting-harm",
    ];
    std::fs::write(&expected, ok(&[&args[..], &["--format", "tsv"]].concat())).unwrap();
    let json = ok(&[&args[..], &["--format", "json"]].concat());
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["results"]["bindings"].as_array().unwrap().len(), 13);
    assert_eq!(parsed["head"]["vars"][0], "country");
    for format in ["json", "xml", "csv", "tsv"] {
        let file = dir.path().join(format!("actual.{format}"));
        std::fs::write(&file, ok(&[&args[..], &["--format", format]].concat())).unwrap();
        let Some(output) =
            python_checker("sparql_results.py", &[format.as_ref(), &file, &expected])
        else {
            return;
        };
        assert!(
            output.status.success(),
            "{format}: {}{}",
            stdout(&output),
            stderr(&output)
        );
    }
    // The table shortens IRIs and shows language tags.
    let table = ok(&[&args[..], &["--format", "table"]].concat());
    assert!(table.contains("country:KHM"), "{table}");
    assert!(table.contains("\"Cambodia\"@en"), "{table}");
    // ASK in JSON and XML are SPARQL results documents; the exit code says the answer.
    let ask = ok(&[
        "query",
        "--sparql",
        "ASK { ?s a <http://schema.org/Event> }",
        "--format",
        "json",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&ask).unwrap();
    assert_eq!(parsed["boolean"], true);
    for (format, query, answer) in [
        ("json", "ASK { ?s a <http://schema.org/Event> }", "true"),
        ("xml", "ASK { ?s a <http://schema.org/Nothing> }", "false"),
    ] {
        let output = run(&["query", "--sparql", query, "--format", format]);
        let file = dir.path().join(format!("ask.{format}"));
        std::fs::write(&file, &output.stdout).unwrap();
        let Some(checked) = python_checker(
            "sparql_results.py",
            &[format!("ask-{format}").as_ref(), &file, answer.as_ref()],
        ) else {
            return;
        };
        assert!(checked.status.success(), "{}", stdout(&checked));
    }
}

#[test]
fn construct_prints_rdf_in_the_export_formats() {
    let query = "CONSTRUCT { ?c <http://schema.org/name> ?n } WHERE { <https://w3id.org/tipkg/id/project/lupta> <http://schema.org/areaServed> ?c . ?c <http://schema.org/name> ?n }";
    let turtle = ok(&["query", "--sparql", query]);
    assert!(turtle.contains("@prefix schema:"), "{turtle}");
    let ntriples = ok(&["query", "--sparql", query, "--format", "ntriples"]);
    assert_eq!(
        ntriples.trim(),
        "<https://w3id.org/tipkg/id/country/ROU> <http://schema.org/name> \"Romania\"@en ."
    );
    fails_with(&["query", "--sparql", query, "--format", "csv"], "turtle");
}

/// Values that would break out of the query if they were pasted into its text.
const HOSTILE: &[&str] = &[
    "justice\" } UNION { ?entity ?p ?label } #",
    "x')) } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    "\\\" . } } LIMIT 1 ASK { FILTER(true) #",
    "} GRAPH ?g { ?s ?p ?o } {",
];

#[test]
fn parameters_are_plain_values_and_cannot_change_a_query() {
    let baseline = ok(&["query", "search", "--param", "text=justice"]);
    assert!(baseline.lines().count() > 3, "{baseline}");
    for value in HOSTILE {
        let output = ok(&["query", "search", "--param", &format!("text={value}")]);
        assert_eq!(
            output.trim(),
            "?entity\t?label",
            "{value:?} was not a plain value"
        );
    }
    // The same characters in a label that exists are found as text.
    let output = ok(&["query", "search", "--param", "text=Children’s Fund"]);
    assert!(output.contains("id/org/unicef>"), "{output}");
    // An entity parameter is checked against the graph, never spliced into an IRI.
    for value in HOSTILE {
        let param = format!("project={value}");
        fails_with(
            &["query", "countries-by-project", "--param", &param],
            "not a project",
        );
    }
}

#[test]
fn parameter_errors_say_what_is_valid() {
    fails_with(
        &["query", "countries-by-project", "--param", "projet=lupta"],
        "its parameters are project (project)",
    );
    fails_with(
        &[
            "query",
            "countries-by-project",
            "-p",
            "project=disrupting-harn",
        ],
        "did you mean \"disrupting-harm\"",
    );
    fails_with(
        &["query", "events-between", "--param", "from=last year"],
        "not a date",
    );
    fails_with(&["query", "search"], "--param text=");
    let dir = temp_dir();
    let file = dir.path().join("assigns.rq");
    std::fs::write(
        &file,
        "# param: x (string): x\nSELECT ?x WHERE { BIND(\"a\" AS ?x) }\n",
    )
    .unwrap();
    fails_with(
        &["query", file.to_str().unwrap(), "--param", "x=b"],
        "assigns one of its parameters",
    );
    // A full IRI works like its slug.
    let by_iri = ok(&[
        "query",
        "countries-by-project",
        "--param",
        "project=https://w3id.org/tipkg/id/project/lupta",
    ]);
    assert_eq!(
        by_iri,
        ok(&["query", "countries-by-project", "--param", "project=lupta"])
    );
    assert!(by_iri.contains("id/country/ROU>"), "{by_iri}");
}

#[test]
fn syntax_errors_name_the_query_line_and_column() {
    let dir = temp_dir();
    let file = dir.path().join("broken.rq");
    std::fs::write(&file, "# title: broken\nSELECT ?s\nWHERE { ?s ?p }\n").unwrap();
    let output = run(&["query", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{}:3:", file.display())),
        "{message}"
    );
    assert!(message.contains("syntax error"), "{message}");
    fails_with(
        &["query", "countries-by-projects"],
        "did you mean \"countries-by-project\"",
    );
}

#[test]
fn a_query_file_and_stdin_run_like_bundled_queries() {
    let dir = temp_dir();
    let file = dir.path().join("mine.rq");
    let text = "# param: project (project, default lupta): a project\nSELECT ?c WHERE { ?project <http://schema.org/areaServed> ?c }\n";
    std::fs::write(&file, text).unwrap();
    let from_file = ok(&["query", file.to_str().unwrap()]);
    assert_eq!(from_file, "?c\n<https://w3id.org/tipkg/id/country/ROU>\n");
    let mut child = tipkg()
        .args(["query", "-", "--param", "project=lupta"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(stdout(&output), from_file);
}

#[test]
fn print_shows_the_query_with_its_parameters_bound_for_other_tools() {
    let printed = ok(&["query", "countries-by-project", "--print"]);
    assert!(printed.contains("VALUES"), "{printed}");
    assert!(
        printed.contains("<https://w3id.org/tipkg/id/project/disrupting-harm>"),
        "{printed}"
    );
    // The printed text is a complete query: it gives the bound query's answer.
    let by_name = ok(&["query", "countries-by-project"]);
    assert!(by_name.lines().count() > 10, "{by_name}");
    assert_eq!(ok(&["query", "--sparql", &printed]), by_name);
    // And Oxigraph's own parser reads it.
    spargebra::SparqlParser::new()
        .parse_query(&printed)
        .unwrap_or_else(|e| panic!("{e}\n{printed}"));
    let printed = ok(&["query", "search", "--param", "text=justice", "--print"]);
    assert!(printed.contains("\"justice\""), "{printed}");
}

#[test]
fn a_timeout_stops_a_runaway_query() {
    let started = std::time::Instant::now();
    let output = fails_with(
        &[
            "query",
            "--sparql",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "--timeout",
            "0.5",
        ],
        "stopped after",
    );
    assert!(stdout(&output).is_empty());
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn bundled_queries_give_the_same_answers_on_a_sparql_server() {
    // A server of this test's own: the shared one also receives the publishing tests'
    // graphs, which would join the union the queries see.
    let Some(server) = private_oxigraph() else {
        return;
    };
    let endpoint = format!("{}/query", server.url);
    for query in catalogue::bundled().unwrap() {
        let local = answers(&query, run_args);
        let remote = answers(&query, |args| {
            let mut args = args.to_vec();
            args.extend(["--endpoint".into(), endpoint.clone()]);
            run_args(&args)
        });
        assert_eq!(remote, local, "{} differs remotely", query.name);
    }
    // Parameters are bound in the algebra sent to the server too.
    for value in HOSTILE {
        let output = ok(&[
            "query",
            "search",
            "--param",
            &format!("text={value}"),
            "--endpoint",
            &endpoint,
        ]);
        assert_eq!(output.trim(), "?entity\t?label", "{value:?}");
    }
    fails_with(
        &[
            "query",
            "countries-by-project",
            "--param",
            "project=disrupting-harn",
            "--endpoint",
            &endpoint,
        ],
        "did you mean \"disrupting-harm\"",
    );
    // ASK sets the exit code remotely as well; CONSTRUCT comes back as RDF.
    let yes = run(&[
        "query",
        "--sparql",
        "ASK { ?s a <http://schema.org/ResearchProject> }",
        "--endpoint",
        &endpoint,
    ]);
    assert_eq!(yes.status.code(), Some(0));
    let no = run(&[
        "query",
        "--sparql",
        "ASK { ?s a <http://schema.org/Nothing> }",
        "--endpoint",
        &endpoint,
    ]);
    assert_eq!(no.status.code(), Some(1));
    let construct = "CONSTRUCT { ?c <http://schema.org/name> ?n } WHERE { <https://w3id.org/tipkg/id/project/lupta> <http://schema.org/areaServed> ?c . ?c <http://schema.org/name> ?n }";
    assert_eq!(
        ok(&[
            "query",
            "--sparql",
            construct,
            "--endpoint",
            &endpoint,
            "--format",
            "ntriples"
        ]),
        ok(&["query", "--sparql", construct, "--format", "ntriples"])
    );
}

#[test]
fn an_unreachable_endpoint_is_a_clear_error() {
    fails_with(
        &[
            "query",
            "statistics",
            "--endpoint",
            "http://127.0.0.1:9/query",
        ],
        "endpoint http://127.0.0.1:9/query",
    );
}

/// An Oxigraph server of our own, with nothing in its default graph, stopped on drop.
struct PrivateOxigraph {
    child: std::process::Child,
    _dir: tempfile::TempDir,
    url: String,
}

impl Drop for PrivateOxigraph {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn private_oxigraph() -> Option<PrivateOxigraph> {
    let Ok(bin) = std::env::var("TIPKG_OXIGRAPH_BIN") else {
        assert!(
            !required("TIPKG_REQUIRE_STORES"),
            "TIPKG_OXIGRAPH_BIN is not set: run the tests with tests/run.sh"
        );
        eprintln!("skipped: no Oxigraph server binary (TIPKG_OXIGRAPH_BIN)");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = temp_dir();
    let child = std::process::Command::new(bin)
        .args(["serve", "--location"])
        .arg(dir.path())
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the oxigraph server starts");
    let server = PrivateOxigraph {
        child,
        _dir: dir,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::blocking::Client::new();
    for _ in 0..100 {
        if client
            .get(format!("{}/query?query=ASK%7B%7D", server.url))
            .send()
            .is_ok_and(|r| r.status().is_success())
        {
            let response = client
                .post(format!("{}/store", server.url))
                .header("Content-Type", "application/n-quads")
                .body(ok(&["export", "--format", "nquads"]))
                .send()
                .unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            return Some(server);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the private oxigraph server did not answer");
}

#[test]
fn the_endpoint_dataset_decides_what_a_query_without_graph_sees() {
    let Some(server) = private_oxigraph() else {
        return;
    };
    let endpoint = format!("{}/query", server.url);
    let ask = ["--sparql", "ASK { ?s a <http://schema.org/Event> }"];
    let with = |extra: &[&str]| {
        let mut args = vec!["query", "--endpoint", endpoint.as_str()];
        args.extend(ask);
        args.extend(extra);
        run(&args).status.code()
    };
    // The union of the named graphs, as in the embedded store.
    assert_eq!(with(&[]), Some(0));
    // The server's own default graph, which holds nothing here.
    assert_eq!(with(&["--endpoint-dataset", "endpoint"]), Some(1));
    // A query that names its dataset is sent as it is.
    let from = "SELECT (COUNT(DISTINCT ?s) AS ?n) FROM <https://w3id.org/tipkg/graph/unodc-glotip-2022-launch> WHERE { ?s a <http://schema.org/PublicationEvent> }";
    for extra in [&[][..], &["--endpoint-dataset", "endpoint"][..]] {
        let mut args = vec!["query", "--sparql", from, "--endpoint", endpoint.as_str()];
        args.extend(extra);
        assert_eq!(ok(&args), "?n\n1\n", "{extra:?}");
    }
    // The embedded store honours FROM as well, instead of the union.
    assert_eq!(ok(&["query", "--sparql", from]), "?n\n1\n");
    // --timeout bounds the wait for a remote answer too.
    fails_with(
        &[
            "query",
            "--sparql",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "--timeout",
            "0.5",
            "--endpoint",
            &endpoint,
        ],
        "stopped after 0.5 s",
    );
}

/// Oxigraph's HTTP client is compiled in (the SHACL engine turns it on), but a query on the
/// local graph makes no HTTP request: SERVICE is refused as before, not sent to the network.
#[test]
fn service_calls_are_refused_on_the_local_graph() {
    let output = run(&[
        "query",
        "--sparql",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("is not supported"), "{message}");
    assert!(
        !message.contains("port 9"),
        "an HTTP request was attempted: {message}"
    );
}

/// The first `columns` columns of each row of a SPARQL TSV answer, sorted.
fn tsv_columns(tsv: &str, columns: usize) -> Vec<String> {
    let mut rows: Vec<String> = tsv
        .lines()
        .skip(1)
        .map(|row| row.split('\t').take(columns).collect::<Vec<_>>().join("\t"))
        .collect();
    rows.sort();
    rows
}

#[test]
fn fact_provenance_gives_every_statement_about_an_entity_in_and_out() {
    for entity in [
        "org/unicef",
        "org/iom",
        "org/istac",
        "observation/glotip-2022-child-share",
        "source/icat-about",
    ] {
        let iri = format!("<https://w3id.org/tipkg/id/{entity}>");
        let facts = ok(&[
            "query",
            "fact-provenance",
            "--param",
            &format!("entity={entity}"),
            "--format",
            "tsv",
        ]);
        let plain = ok(&[
            "query",
            "--sparql",
            &format!(
                "SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ {{ {iri} ?p ?o BIND({iri} AS ?s) }} UNION {{ ?s ?p {iri} BIND({iri} AS ?o) }} }} }}"
            ),
            "--format",
            "tsv",
        ]);
        let statements = tsv_columns(&plain, 4);
        assert_eq!(tsv_columns(&facts, 4), statements, "{entity}");
        // Statements that point to the entity are facts about it too.
        assert!(
            statements
                .iter()
                .any(|s| s.split('\t').nth(2) == Some(iri.as_str())),
            "{entity}: no statement points to it"
        );
    }
}
