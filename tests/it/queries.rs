//! The query catalogue and `tipkg query`: every bundled query's header and golden answer,
//! output formats read by independent parsers, parameter binding that cannot change a
//! query, errors, timeouts, and the same answers from a real SPARQL server.

use crate::support::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::process::Stdio;
use tipkg::query::catalogue;

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

/// `tipkg queries --format json`: every bundled query, in the order of the text list,
/// with its header as the catalogue reads it; one query with its text too.
#[test]
fn the_catalogue_as_json_holds_every_querys_header() {
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&["queries", "--format", "json"])).expect("the catalogue is JSON");
    let listed = listed.as_array().expect("an array of queries");
    let names_in_text: Vec<String> = ok(&["queries"])
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    let names: Vec<&str> = listed.iter().map(|q| q["name"].as_str().unwrap()).collect();
    assert_eq!(names, names_in_text);
    let kinds = catalogue::ParamKind::names();
    for (entry, query) in listed.iter().zip(catalogue::bundled().unwrap()) {
        let header = &query.header;
        assert_eq!(entry["name"], query.name);
        assert_eq!(entry["title"], header.title.as_deref().unwrap());
        assert_eq!(entry["description"], header.description.as_deref().unwrap());
        assert_eq!(entry["examples"], serde_json::json!(header.examples));
        assert!(entry.get("text").is_none(), "the list leaves the text out");
        let parameters = entry["parameters"].as_array().unwrap();
        assert_eq!(parameters.len(), header.parameters.len(), "{}", query.name);
        for (json, parameter) in parameters.iter().zip(&header.parameters) {
            assert_eq!(json["name"], parameter.name);
            let kind = json["kind"].as_str().unwrap();
            assert_eq!(kind, parameter.kind.to_string());
            assert!(kinds.contains(&kind), "{kind}");
            assert_eq!(json["default"].as_str(), parameter.default.as_deref());
            assert_eq!(json["required"], parameter.default.is_none());
            assert_eq!(json["description"], parameter.description);
        }
    }
    assert!(
        listed
            .iter()
            .any(|q| !q["parameters"].as_array().unwrap().is_empty()),
        "some query has parameters"
    );

    let one: serde_json::Value = serde_json::from_str(&ok(&[
        "queries",
        "countries-by-project",
        "--format",
        "json",
    ]))
    .unwrap();
    let listed_one = listed
        .iter()
        .find(|q| q["name"] == "countries-by-project")
        .unwrap();
    let text = std::fs::read_to_string(root().join("queries/countries-by-project.rq")).unwrap();
    assert_eq!(one["text"], text);
    let mut without_text = one.clone();
    without_text.as_object_mut().unwrap().remove("text");
    assert_eq!(&without_text, listed_one);
    assert_eq!(one["parameters"][0]["kind"], "project");
    fails_with(
        &["queries", "countries-by-projet", "--format", "json"],
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
        "its parameters are project (kind: project)",
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
    let output = with_stdin(&["query", "-", "--param", "project=lupta"], text);
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

/// How long the binary takes to build the bundled graph and answer at once.
fn start_time() -> f64 {
    let started = std::time::Instant::now();
    ok(&["query", "--sparql", "ASK {}"]);
    started.elapsed().as_secs_f64()
}

/// Runs `tipkg` expecting it to stop at its --timeout of `limit` seconds: exit code 2, the
/// timeout's message, nothing on stdout, within 1.5 times the limit after `start`.
fn stops_in_time(args: &[&str], limit: f64, start: f64) {
    let started = std::time::Instant::now();
    let output = run(args);
    let elapsed = started.elapsed().as_secs_f64();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
    assert!(message.contains("stopped after"), "{args:?}: {message}");
    assert!(stdout(&output).is_empty(), "{args:?}");
    assert!(
        elapsed < start + 1.5 * limit,
        "{args:?} took {elapsed:.1} s for a limit of {limit} s (start {start:.1} s)"
    );
}

#[test]
fn a_timeout_stops_a_runaway_query() {
    let start = start_time();
    let cross = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i";
    let queries = [
        format!("SELECT * WHERE {{ {cross} }}"),
        format!("SELECT (COUNT(*) AS ?n) WHERE {{ {cross} }}"),
        "SELECT * WHERE { ?a ?b ?c . ?c ?d ?e . ?f ?g ?e . ?h ?i ?a }".to_owned(),
        format!("CONSTRUCT {{ ?a ?b ?i }} WHERE {{ {cross} }}"),
        format!("ASK {{ {cross} FILTER(STRLEN(STR(?a)) + STRLEN(STR(?i)) < 0) }}"),
        format!("DESCRIBE ?a WHERE {{ {cross} }}"),
    ];
    for query in &queries {
        stops_in_time(&["query", "--sparql", query, "--timeout", "1"], 1.0, start);
    }
}

#[test]
fn timeouts_out_of_range_are_refused() {
    for value in ["1e30", "0", "-1", "NaN", "inf", "604801"] {
        let output = run(&["query", "statistics", &format!("--timeout={value}")]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{value}: {message}");
        assert!(message.contains("at most 604800"), "{value}: {message}");
        assert!(!message.contains("panicked"), "{value}: {message}");
    }
    assert!(ok(&["query", "--sparql", "ASK {}", "--timeout", "604800"]).contains("true"));
}

/// The value of a number in SPARQL TSV: bare, or in full form for decimals without a
/// fraction.
fn number(cell: &str) -> Option<f64> {
    if let Ok(value) = cell.parse() {
        return Some(value);
    }
    let (value, datatype) = cell.strip_prefix('"')?.split_once("\"^^<")?;
    ["integer>", "decimal>", "double>", "float>"]
        .iter()
        .any(|t| datatype.ends_with(t))
        .then(|| value.parse().ok())?
}

#[test]
fn order_by_sorts_literals_of_every_kind_without_a_panic() {
    // Dates, gYears, gYearMonths, integers and decimals sort together here.
    let output = run(&[
        "query",
        "--sparql",
        "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o",
        "--format",
        "tsv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    // Numbers come out by value.
    let number_lines: Vec<&str> = text.lines().filter(|l| number(l).is_some()).collect();
    let numbers: Vec<f64> = number_lines.iter().filter_map(|l| number(l)).collect();
    assert!(numbers.len() > 3, "{numbers:?}");
    assert!(numbers.is_sorted(), "{numbers:?}");
    // Descending, DISTINCT, an expression, LIMIT and OFFSET, as SPARQL applies them.
    let top = ok(&[
        "query",
        "--sparql",
        "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isNumeric(?o)) } ORDER BY DESC(?o * 1) LIMIT 3 OFFSET 1",
        "--format",
        "tsv",
    ]);
    let values: Vec<f64> = top.lines().skip(1).map(|l| number(l).unwrap()).collect();
    let distinct: BTreeSet<&str> = number_lines.into_iter().collect();
    let mut all: Vec<f64> = distinct.iter().filter_map(|l| number(l)).collect();
    all.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(values, all[1..4], "{top}");
}

#[test]
fn updates_are_refused_as_such() {
    for update in [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
        "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ex:p ?o }",
        "DROP ALL",
        "insert { ?s a ?o } where { ?s ?p ?o",
    ] {
        fails_with(
            &["query", "--sparql", update],
            "tipkg query runs read-only queries (SELECT, CONSTRUCT, DESCRIBE, ASK) and refuses updates",
        );
    }
    fails_with(&["query", "--sparql", "SELEC * WHERE {}"], "syntax error");
}

#[test]
fn bundled_queries_give_the_same_answers_on_a_sparql_server() {
    // A server of this test's own: the shared one also receives the publishing tests'
    // graphs, which would join the union the queries see.
    let Some(server) = private_oxigraph() else {
        return;
    };
    let endpoint = format!("{}/query", server.url);
    // `tipkg serve` holding the same graph, whose default graph is already the union.
    let served = crate::serve::Server::start(&[]);
    let served_endpoint = format!("{}/sparql", served.url);
    for query in catalogue::bundled().unwrap() {
        let local = answers(&query, run_args);
        let remote = answers(&query, |args| {
            let mut args = args.to_vec();
            args.extend(["--endpoint".into(), endpoint.clone()]);
            run_args(&args)
        });
        assert_eq!(remote, local, "{} differs remotely", query.name);
        let from_served = answers(&query, |args| {
            let mut args = args.to_vec();
            args.extend([
                "--endpoint".into(),
                served_endpoint.clone(),
                "--endpoint-dataset".into(),
                "endpoint".into(),
            ]);
            run_args(&args)
        });
        assert_eq!(from_served, remote, "{} differs on tipkg serve", query.name);
    }
    // SPARQLWrapper, a client of its own, finds the same answers on both servers. The
    // Oxigraph server has the graph in named graphs only, so it is asked for their union.
    let union = format!("{endpoint}?union-default-graph");
    let paths = [
        std::path::Path::new(&served_endpoint),
        std::path::Path::new(&union),
    ];
    if let Some(output) = python_checker("sparqlwrapper_same.py", &paths) {
        assert!(
            output.status.success(),
            "{}{}",
            stdout(&output),
            stderr(&output)
        );
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

/// A parameter checked on an endpoint that fails: the endpoint's error is said whole, after
/// the parameter it was checking, once.
#[test]
fn a_parameter_check_keeps_the_endpoints_error() {
    let output = run(&[
        "query",
        "countries-by-project",
        "--param",
        "project=disrupting-harm",
        "--endpoint",
        "http://127.0.0.1:9",
        "--target",
        "oxigraph",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.starts_with(
            "error: countries-by-project: parameter project=disrupting-harm: endpoint http://127.0.0.1:9/query: "
        ),
        "{message}"
    );
    assert!(
        message.contains("(is the store running, at this address?)"),
        "{message}"
    );
    assert_eq!(
        message.matches("http://127.0.0.1:9").count(),
        1,
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
}

/// A server of a test's own on loopback, with its data in a temporary directory, stopped
/// on drop.
struct PrivateServer {
    child: std::process::Child,
    _dir: tempfile::TempDir,
    url: String,
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server `command` makes (given its directory and HTTP port), waits until `ready`
/// (a path with a query) answers, then runs `load` on it.
fn start_server(
    command: impl FnOnce(&std::path::Path, u16) -> std::process::Command,
    ready: &str,
    load: impl FnOnce(&str),
) -> PrivateServer {
    let dir = temp_dir();
    let port = free_port();
    let child = command(dir.path(), port)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let server = PrivateServer {
        child,
        _dir: dir,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::blocking::Client::new();
    for _ in 0..600 {
        if client
            .get(format!("{}{ready}", server.url))
            .send()
            .is_ok_and(|r| r.status().is_success())
        {
            load(&server.url);
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the server at {} did not answer", server.url);
}

/// An Oxigraph server of our own holding the bundled graph's named graphs, with nothing in
/// its default graph.
fn private_oxigraph() -> Option<PrivateServer> {
    let Ok(bin) = std::env::var("TIPKG_OXIGRAPH_BIN") else {
        assert!(
            !required("TIPKG_REQUIRE_STORES"),
            "TIPKG_OXIGRAPH_BIN is not set: run the tests with tests/run.sh"
        );
        skip("an Oxigraph server binary (TIPKG_OXIGRAPH_BIN)");
        return None;
    };
    let command = |dir: &std::path::Path, port: u16| {
        let mut command = std::process::Command::new(bin);
        command
            .args(["serve", "--location"])
            .arg(dir)
            .args(["--bind", &format!("127.0.0.1:{port}")]);
        command
    };
    Some(start_server(command, "/query?query=ASK%7B%7D", |url| {
        let response = reqwest::blocking::Client::new()
            .post(format!("{url}/store"))
            .header("Content-Type", "application/n-quads")
            .body(ok(&["export", "--format", "nquads"]))
            .send()
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }))
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

/// An HTTP server on loopback that answers every request with one fixed answer and keeps
/// the requests it received (head and body).
struct FakeServer {
    url: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// `answer` is `None` for a server that accepts connections and never answers.
fn fake_server(answer: Option<(&'static str, &'static str, String)>) -> FakeServer {
    use std::io::{BufRead, BufReader, Read};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        let mut silent = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                request.push_str(&line);
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            request.push_str(&String::from_utf8_lossy(&body));
            seen.lock().unwrap().push(request);
            match &answer {
                Some((status, content_type, body)) => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
                None => silent.push(stream),
            }
        }
    });
    FakeServer { url, requests }
}

const RESULTS_JSON: &str = "application/sparql-results+json";

#[test]
fn a_silent_endpoint_is_abandoned_at_the_timeout() {
    let server = fake_server(None);
    stops_in_time(
        &[
            "query",
            "--sparql",
            "SELECT * WHERE { ?s ?p ?o }",
            "--endpoint",
            &server.url,
            "--timeout",
            "1",
        ],
        1.0,
        0.5,
    );
    let help = ok(&["query", "--help"]);
    assert!(help.contains("300 with --endpoint"), "{help}");
}

#[test]
fn an_ask_answered_as_a_table_is_a_boolean() {
    // Virtuoso's form of an ASK answer.
    for (value, code) in [("1", 0), ("0", 1)] {
        let server = fake_server(Some((
            "200 OK",
            RESULTS_JSON,
            format!(
                r#"{{"head":{{"vars":["__ask_retval"]}},"results":{{"bindings":[{{"__ask_retval":{{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"{value}"}}}}]}}}}"#
            ),
        )));
        let output = run(&[
            "query",
            "--sparql",
            "ASK { ?s ?p ?o }",
            "--endpoint",
            &server.url,
            "--target",
            "virtuoso",
        ]);
        assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
        assert_eq!(
            stdout(&output).trim(),
            if code == 0 { "true" } else { "false" }
        );
        let requests = server.requests.lock().unwrap();
        assert!(requests[0].starts_with("POST /sparql "), "{}", requests[0]);
        // The store's own union of its graphs, no list of graphs.
        assert!(
            !requests[0].contains("default-graph-uri"),
            "{}",
            requests[0]
        );
    }
    // Parameters of entity kinds are checked with an ASK as well.
    let server = fake_server(Some((
        "200 OK",
        RESULTS_JSON,
        r#"{"head":{"vars":["__ask_retval"]},"results":{"bindings":[{"__ask_retval":{"type":"literal","value":"1"}}]}}"#.to_owned(),
    )));
    let output = run(&[
        "query",
        "countries-by-project",
        "--param",
        "project=lupta",
        "--endpoint",
        &server.url,
        "--target",
        "virtuoso",
        "--print",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn endpoints_take_a_base_url_and_a_target() {
    let server = fake_server(Some((
        "200 OK",
        RESULTS_JSON,
        r#"{"head":{},"boolean":true}"#.to_owned(),
    )));
    for (url, target, path) in [
        (server.url.clone(), "oxigraph", "/query"),
        (format!("{}/query", server.url), "oxigraph", "/query"),
        (server.url.clone(), "virtuoso", "/sparql"),
        (format!("{}/x/sparql", server.url), "generic", "/x/sparql"),
    ] {
        server.requests.lock().unwrap().clear();
        let mut args = vec![
            "query",
            "--sparql",
            "ASK { ?s ?p ?o }",
            "--endpoint",
            &url,
            "--target",
            target,
            "--timeout",
            "5",
        ];
        if target == "generic" {
            args.extend(["--endpoint-dataset", "endpoint"]);
        }
        let output = run(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let request = server.requests.lock().unwrap()[0].clone();
        assert!(request.starts_with(&format!("POST {path} ")), "{request}");
        match target {
            "oxigraph" => assert!(request.contains("union-default-graph"), "{request}"),
            // Virtuoso stops the query on its side at the time limit, in milliseconds.
            "virtuoso" => assert!(request.contains("timeout=5000"), "{request}"),
            _ => {}
        }
    }
}

#[test]
fn endpoint_credentials_never_show() {
    fails_with(
        &[
            "query",
            "statistics",
            "--endpoint",
            "http://user:hunter2@127.0.0.1:9/query",
        ],
        "the URL holds credentials",
    );
    let output = run(&[
        "query",
        "statistics",
        "--endpoint",
        "http://user:hunter2@127.0.0.1:9/query",
    ]);
    assert!(!stderr(&output).contains("hunter2"));
    // A secret given to --password-env in place of a variable's name is not repeated.
    let output = run(&[
        "query",
        "statistics",
        "--endpoint",
        "http://127.0.0.1:9/query",
        "--user",
        "u",
        "--password-env",
        "hunter2",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains("hunter2"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--password-env"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn server_messages_and_values_lose_their_terminal_controls_and_echoed_credentials() {
    let server = fake_server(Some((
        "400 Bad Request",
        "text/plain",
        "bad request\u{1b}]0;owned\u{7}\r\nAuthorization: Basic dTpodW50ZXIy\u{1b}[2J".to_owned(),
    )));
    let output = tipkg()
        .args([
            "query",
            "--sparql",
            "ASK {}",
            "--endpoint",
            &server.url,
            "--user",
            "u",
            "--password-env",
            "TIPKG_TEST_SECRET",
        ])
        .env("TIPKG_TEST_SECRET", "hunter2")
        .output()
        .unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("bad request"), "{message}");
    assert!(!message.contains("dTpodW50ZXIy"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert!(!message.contains(['\u{1b}', '\u{7}', '\r']), "{message:?}");
    let server = fake_server(Some((
        "200 OK",
        RESULTS_JSON,
        r#"{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"a\u001b]0;owned\u0007b\r\u009bc"}}]}}"#.to_owned(),
    )));
    let table = ok(&[
        "query",
        "--sparql",
        "SELECT ?x WHERE { ?x ?p ?o }",
        "--endpoint",
        &server.url,
        "--endpoint-dataset",
        "endpoint",
        "--format",
        "table",
    ]);
    assert!(table.contains("\"a]0;ownedbc\""), "{table:?}");
    assert!(
        !table.contains(['\u{1b}', '\u{7}', '\r', '\u{9b}']),
        "{table:?}"
    );
}

/// A Virtuoso of our own, holding the bundled graph (pushed by tipkg).
fn private_virtuoso() -> Option<PrivateServer> {
    if std::env::var("TIPKG_VIRTUOSO_URL").is_err() {
        assert!(
            !required("TIPKG_REQUIRE_STORES"),
            "TIPKG_VIRTUOSO_URL is not set: run the tests with tests/run.sh"
        );
        skip("a Virtuoso (TIPKG_VIRTUOSO_URL)");
        return None;
    }
    let command = |dir: &std::path::Path, http: u16| {
        let sql = free_port();
        let d = dir.display();
        let ini = format!(
            "[Database]\nDatabaseFile = {d}/virtuoso.db\nErrorLogFile = {d}/virtuoso.log\nLockFile = {d}/virtuoso.lck\nTransactionFile = {d}/virtuoso.trx\nxa_persistent_file = {d}/virtuoso.pxa\nStriping = 0\nTempStorage = TempDatabase\n\n[TempDatabase]\nDatabaseFile = {d}/virtuoso-temp.db\nTransactionFile = {d}/virtuoso-temp.trx\nStriping = 0\n\n[Parameters]\nServerPort = 127.0.0.1:{sql}\nNumberOfBuffers = 20000\nMaxDirtyBuffers = 15000\nDirsAllowed = ., {d}\n\n[HTTPServer]\nServerPort = 127.0.0.1:{http}\nServerRoot = {d}\nMaxClientConnections = 4\nServerThreads = 4\n\n[SPARQL]\nResultSetMaxRows = 1000000\nMaxQueryExecutionTime = 300\nDefaultGraph =\n"
        );
        let config = dir.join("virtuoso.ini");
        std::fs::write(&config, ini).unwrap();
        let mut command = std::process::Command::new("virtuoso-t");
        command
            .arg("+foreground")
            .arg("+configfile")
            .arg(&config)
            .current_dir(dir);
        command
    };
    Some(start_server(command, "/sparql?query=ASK%7B%7D", |url| {
        let output = tipkg()
            .args(["push", "--endpoint", url, "--target", "virtuoso"])
            .args(["--user", "dba", "--password-env", "TIPKG_TEST_DBA"])
            .env("TIPKG_TEST_DBA", "dba")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }))
}

/// The graphs a fresh Virtuoso holds before anything is loaded.
const VIRTUOSO_GRAPHS: [&str; 3] = [
    "<http://www.openlinksw.com/schemas/virtrdf#>\t",
    "<http://www.w3.org/ns/ldp#>\t",
    "<http://localuriqaserver/sparql>\t",
];

/// The answers of every bundled query's examples on the embedded graph, an Oxigraph server
/// and Virtuoso, each holding the same graph; the remote stores are given as base URLs with
/// their --target, so that each is asked for the union of its graphs in its own way.
#[test]
fn bundled_queries_agree_on_the_embedded_store_oxigraph_and_virtuoso() {
    let (Some(oxigraph), Some(virtuoso)) = (private_oxigraph(), private_virtuoso()) else {
        return;
    };
    let on = |url: &str, target: &str| {
        let (url, target) = (url.to_owned(), target.to_owned());
        move |args: &[String]| {
            let mut args = args.to_vec();
            args.extend([
                "--endpoint".into(),
                url.clone(),
                "--target".into(),
                target.clone(),
            ]);
            run_args(&args)
        }
    };
    let mut differences = Vec::new();
    for query in catalogue::bundled().unwrap() {
        let local = answers(&query, run_args);
        let ox = answers(&query, on(&oxigraph.url, "oxigraph"));
        let vi = answers(&query, on(&virtuoso.url, "virtuoso"));
        if ox != local {
            differences.push(format!(
                "{} on oxigraph:\n{ox}\nembedded:\n{local}",
                query.name
            ));
        }
        // Virtuoso keeps graphs of its own, which are part of its union and show where a
        // query lists every graph (`sources`); nothing else may differ.
        let vi: String = vi
            .lines()
            .filter(|line| !VIRTUOSO_GRAPHS.iter().any(|g| line.starts_with(g)))
            .map(|line| format!("{line}\n"))
            .collect();
        if vi != local {
            differences.push(format!(
                "{} on virtuoso:\n{vi}\nembedded:\n{local}",
                query.name
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
    // A runaway query is stopped at the time limit on both stores.
    for (url, target) in [(&oxigraph.url, "oxigraph"), (&virtuoso.url, "virtuoso")] {
        stops_in_time(
            &[
                "query",
                "--sparql",
                "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                "--endpoint",
                url,
                "--target",
                target,
                "--timeout",
                "2",
            ],
            2.0,
            0.5,
        );
    }
}

#[test]
fn ratifications_lists_the_countries_of_a_project_bound_by_an_instrument() {
    // A depositary of the test's own stating actions of countries in and out of the project.
    let data = data_copy();
    let source = "[source]\nid = \"depositary\"\nkind = \"registry\"\ntitle = \"Status list\"\nlanguage = \"en\"\n";
    std::fs::write(data.path().join("sources/depositary.toml"), source).unwrap();
    let action = |country: &str, kind: &str, date: &str| {
        format!(
            "\n[[instrument.action]]\ncountry = \"{country}\"\nkind = \"{kind}\"\ndate = \"{date}\"\n"
        )
    };
    let mut records =
        "\n[[instrument]]\nid = \"un-trafficking-protocol\"\nsource = \"depositary\"\n".to_owned();
    records += &action("KEN", "accession", "2010-01-02");
    records += &action("THA", "signature", "2010-01-03");
    records += &action("VNM", "accession", "2010-01-01");
    records += &action("ROU", "ratification", "2010-01-04");
    let path = data.path().join("instruments.toml");
    let text = std::fs::read_to_string(&path).unwrap() + &records;
    std::fs::write(&path, text).unwrap();
    let dir = data.path().to_str().unwrap();
    let answer = ok(&["--data", dir, "query", "ratifications", "--format", "tsv"]);
    let source = "<https://w3id.org/tipkg/id/source/depositary>";
    let date = "^^<http://www.w3.org/2001/XMLSchema#date>";
    // Thailand only signed; Romania is not a country of the project.
    assert_eq!(
        answer,
        format!(
            "?country\t?name\t?action\t?date\t?source\n\
             <https://w3id.org/tipkg/id/country/VNM>\t\"Viet Nam\"@en\t\"accession\"@en\t\"2010-01-01\"{date}\t{source}\n\
             <https://w3id.org/tipkg/id/country/KEN>\t\"Kenya\"@en\t\"accession\"@en\t\"2010-01-02\"{date}\t{source}\n"
        )
    );
    let other = ok(&[
        "--data",
        dir,
        "query",
        "ratifications",
        "--param",
        "instrument=untoc",
        "--format",
        "tsv",
    ]);
    assert_eq!(other, "?country\t?name\t?action\t?date\t?source\n");
}

#[test]
fn disagreements_pair_only_the_values_a_source_lacks() {
    // Three sources of one entity: two give the same description and the third another; all
    // give the same name. Only the description disagrees, once for each source that lacks
    // the third's value, and a second entity of one source has nothing to disagree with.
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let store = store.to_str().unwrap();
    let file = dir.path().join("sources.nq");
    let e = "<http://example.org/e>";
    let mut quads = String::new();
    for (graph, description) in [("a", "old"), ("b", "old"), ("c", "new")] {
        let g = format!("<http://example.org/graph/{graph}>");
        let source = format!("<http://example.org/source/{graph}>");
        quads += &format!("{e} <http://www.w3.org/ns/prov#wasDerivedFrom> {source} {g} .\n");
        quads += &format!("{e} <http://schema.org/description> \"{description}\" {g} .\n");
        quads += &format!("{e} <http://schema.org/name> \"E\" {g} .\n");
    }
    quads += "<http://example.org/f> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://example.org/source/a> <http://example.org/graph/a> .\n";
    quads +=
        "<http://example.org/f> <http://schema.org/name> \"F\" <http://example.org/graph/a> .\n";
    std::fs::write(&file, quads).unwrap();
    ok(&["import", "-q", "--store", store, file.to_str().unwrap()]);
    let answer = ok(&[
        "query",
        "--store",
        store,
        "disagreements",
        "--format",
        "tsv",
    ]);
    let row = |source: &str| {
        format!(
            "{e}\t<http://schema.org/description>\t\"old\"\t<http://example.org/source/{source}>\t\"new\"\t<http://example.org/source/c>\n"
        )
    };
    assert_eq!(
        answer,
        format!(
            "?entity\t?property\t?value\t?source\t?otherValue\t?otherSource\n{}{}",
            row("a"),
            row("b")
        )
    );
}
