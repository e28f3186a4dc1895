//! Validation: the bundled data conforms; every case of `tests/invalid/` (a copy of the data,
//! or of its N-Quads export, with one deliberate fault) gives exactly its expected report;
//! pySHACL finds the same results on the same graphs; every shape is exercised; `tipkg
//! build` refuses data with violations.

use crate::support::*;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case breaks, for the reader.
    #[allow(dead_code)]
    description: String,
    /// `--fail-on` for the run (violation when absent).
    fail_on: Option<String>,
    /// The exit code expected (1 when absent).
    exit: Option<i32>,
    #[serde(rename = "edit")]
    edits: Vec<Edit>,
}

const GRAPH: &str = "graph.nq";

/// The results that identify a SHACL finding, as both tools report them.
type Key = (String, String, String, String, String);

fn tipkg_keys(report: &Value) -> Vec<Key> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut keys: Vec<Key> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        // Data checks and the per-graph provenance rule are tipkg's own, not SHACL's.
        .filter(|r| {
            r["component"]
                .as_str()
                .is_some_and(|c| c.starts_with("http://www.w3.org/ns/shacl#"))
        })
        .map(|r| {
            let path = r["path"]
                .as_str()
                .map(|p| format!("<{p}>"))
                .unwrap_or_default();
            let severity = text(&r["severity"]);
            let mut severity_word = severity[..1].to_uppercase();
            severity_word.push_str(&severity[1..]);
            let component = text(&r["component"]);
            (
                text(&r["focus"]),
                path,
                severity_word,
                component
                    .trim_start_matches("http://www.w3.org/ns/shacl#")
                    .to_owned(),
                text(&r["value"]),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn pyshacl_keys(report: &Value) -> Vec<Key> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut keys: Vec<Key> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                text(&r["focus"]),
                text(&r["path"]),
                text(&r["severity"]),
                text(&r["component"]),
                text(&r["value"]),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// pySHACL's results on an N-Quads file, or `None` when the checker is missing.
fn pyshacl(graph: &Path) -> Option<Vec<Key>> {
    let shapes = root().join("ontology/shapes.ttl");
    let output = python_checker("pyshacl_report.py", &[&shapes, graph])?;
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "pySHACL failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("pySHACL prints JSON");
    Some(pyshacl_keys(&report))
}

#[test]
fn the_bundled_data_conforms_and_pyshacl_agrees() {
    let output = run(&["validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("conforms: 0 violations, 0 warnings"),
        "{text}"
    );
    // The one Info finding makes `--fail-on info` fail, and nothing else does.
    assert_eq!(
        run(&["validate", "--fail-on", "warning"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["validate", "--fail-on", "info"]).status.code(),
        Some(1)
    );
    let json: Value = serde_json::from_str(&ok(&["validate", "--format", "json"])).unwrap();
    assert_eq!(json["conforms"], true);
    assert_eq!(json["counts"]["violation"], 0);
    let dir = temp_dir();
    let graph = dir.path().join(GRAPH);
    ok(&[
        "export",
        "--format",
        "nquads",
        "-o",
        graph.to_str().unwrap(),
    ]);
    if let Some(theirs) = pyshacl(&graph) {
        assert_eq!(tipkg_keys(&json), theirs);
    }
    // The same graph given as a file gives the same findings.
    let from_file: Value = serde_json::from_str(&ok(&[
        "validate",
        "--file",
        graph.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(tipkg_keys(&from_file), tipkg_keys(&json));
}

#[test]
fn every_invalid_case_gives_its_expected_report_and_pyshacl_agrees() {
    let cases_dir = root().join("tests/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "expected at least 20 invalid cases");
    let mut exercised: BTreeSet<String> = BTreeSet::new();
    for case_dir in cases {
        let name = case_dir.file_name().unwrap().to_str().unwrap().to_owned();
        let case: Case =
            toml::from_str(&std::fs::read_to_string(case_dir.join("case.toml")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        let on_graph = case.edits.iter().any(|e| e.file == GRAPH);
        let dir = if on_graph { temp_dir() } else { data_copy() };
        let graph = dir.path().join(GRAPH);
        if on_graph {
            ok(&[
                "export",
                "--format",
                "nquads",
                "-o",
                graph.to_str().unwrap(),
            ]);
        }
        for edit in &case.edits {
            apply(&name, dir.path(), edit);
        }
        let dir_text = dir.path().to_str().unwrap();
        let graph_text = graph.to_str().unwrap();
        let mut args: Vec<&str> = vec!["validate"];
        if on_graph {
            args.extend(["--file", graph_text]);
        } else {
            args.extend(["--data", dir_text]);
        }
        if let Some(level) = &case.fail_on {
            args.extend(["--fail-on", level]);
        }
        let output = run(&args);
        let expected_exit = case.exit.unwrap_or(1);
        assert_eq!(
            output.status.code(),
            Some(expected_exit),
            "{name}: exit code; stdout:\n{}\nstderr:\n{}",
            stdout(&output),
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{name}");
        let report = stdout(&output)
            .replace(graph_text, GRAPH)
            .replace(&format!("{dir_text}/"), "data/");
        expect_file(&format!("tests/invalid/{name}/expected.txt"), &report);

        args.extend(["--format", "json"]);
        let json: Value = serde_json::from_slice(&run(&args).stdout)
            .unwrap_or_else(|e| panic!("{name}: JSON report: {e}"));
        let ours = tipkg_keys(&json);
        for r in json["results"].as_array().unwrap() {
            for key in ["shape", "node_shape"] {
                if let Some(shape) = r[key].as_str() {
                    exercised.insert(shape.to_owned());
                }
            }
        }
        // The same graph through pySHACL: for a data directory, its export (when the data
        // checks let it be built).
        if !on_graph {
            let export = run(&[
                "export", "--data", dir_text, "--format", "nquads", "-o", graph_text,
            ]);
            if !export.status.success() {
                assert!(
                    ours.is_empty(),
                    "{name}: shapes ran on data that does not build"
                );
                continue;
            }
        }
        if let Some(theirs) = pyshacl(&graph) {
            assert_eq!(ours, theirs, "{name}: tipkg and pySHACL differ");
        }
    }
    // No shape is vacuous: every node shape, and every property shape with a name, gives a
    // result in some case.
    let shapes = std::fs::read_to_string(root().join("ontology/shapes.ttl")).unwrap();
    for line in shapes.lines() {
        let mut words = line.split_whitespace();
        if let (Some(id), Some("a"), Some(class)) = (words.next(), words.next(), words.next())
            && matches!(class, "sh:NodeShape" | "sh:PropertyShape")
        {
            let iri = id.replace("tipkgsh:", "https://w3id.org/tipkg/shapes#");
            assert!(exercised.contains(&iri), "no invalid case exercises {id}");
        }
    }
}

#[test]
fn shapes_name_only_terms_of_the_ontology_or_standard_vocabularies() {
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::Term;
    let parse = |path: &str| -> Vec<oxigraph::model::Quad> {
        let text = std::fs::read(root().join(path)).unwrap();
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(&text)
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let ontology = parse("ontology/tipkg.ttl");
    let declared: BTreeSet<String> = ontology
        .iter()
        .map(|q| q.subject.to_string().trim_matches(['<', '>']).to_owned())
        .collect();
    let standard = [
        "http://www.w3.org/ns/shacl#",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2001/XMLSchema#",
        "http://www.w3.org/2002/07/owl#",
        "http://schema.org/",
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://purl.org/dc/terms/",
        "http://purl.org/linked-data/cube#",
        "http://purl.org/linked-data/sdmx/2009/dimension#",
        "http://purl.org/linked-data/sdmx/2009/measure#",
        "http://purl.org/linked-data/sdmx/2009/attribute#",
        "http://qudt.org/vocab/unit/",
        "http://data.europa.eu/eli/ontology#",
    ];
    let shapes_ns = "https://w3id.org/tipkg/shapes";
    let mut checked = 0;
    for quad in parse("ontology/shapes.ttl") {
        let terms = [Term::from(quad.predicate.clone()), quad.object.clone()];
        for term in terms {
            let Term::NamedNode(n) = term else { continue };
            let iri = n.as_str();
            checked += 1;
            if iri.starts_with(shapes_ns) {
                continue;
            }
            if iri.starts_with("https://w3id.org/tipkg/ontology#") {
                assert!(
                    declared.contains(iri),
                    "shapes name {iri}, which the ontology does not declare"
                );
                continue;
            }
            assert!(
                standard.iter().any(|ns| iri.starts_with(ns)),
                "shapes name {iri}, which is in no standard vocabulary"
            );
        }
    }
    assert!(checked > 100, "too few terms checked: {checked}");
}

/// A copy of the data where one record says an organisation has no members: a fault the
/// data checks let through and the shapes catch.
fn zero_members() -> tempfile::TempDir {
    let data = data_copy();
    let path = data.path().join("organisations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let find = "source = \"trf-istac-launch\"\nfounded = \"2021-01-25\"\nfounders = [\"odihr\"]\nmember_count = 21";
    assert_eq!(text.matches(find).count(), 1);
    std::fs::write(&path, text.replace(find, &find.replace("= 21", "= 0"))).unwrap();
    data
}

#[test]
fn build_refuses_data_with_violations_unless_told_not_to_validate() {
    let data = zero_members();
    let dir = data.path().to_str().unwrap();
    let output = run(&["build", "--data", dir]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let messages = stderr(&output);
    assert!(messages.contains("tipkg:memberCount"), "{messages}");
    assert!(messages.contains("organisations.toml:85:6"), "{messages}");
    assert!(messages.contains("nothing was built"), "{messages}");
    let output = run(&["build", "--no-validate", "--data", dir]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// `build --store` writes the store while it validates: data with violations leaves no
/// store where there was none, and a store as it was, whether the build would have
/// bulk-loaded it (only imported graphs) or replaced an earlier build.
#[test]
fn build_with_violations_leaves_the_store_as_it_was() {
    let bad = zero_members();
    let bad = bad.path().to_str().unwrap();
    let dir = temp_dir();
    let store = dir.path().join("new-store");
    let output = run(&["build", "--data", bad, "--store", arg(&store)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("nothing was built"));
    assert!(!store.exists(), "a refused build left {}", store.display());

    let dump = |store: &Path| {
        let output = run(&["export", "--store", arg(store), "--format", "nquads"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        output.stdout
    };
    let nt = dir.path().join("mine.nt");
    std::fs::write(
        &nt,
        "<https://example.org/a> <https://example.org/b> \"c\" .\n",
    )
    .unwrap();
    let imported = dir.path().join("imported");
    let built = dir.path().join("built");
    for (store, first) in [(&imported, "import"), (&built, "build")] {
        let output = match first {
            "import" => run(&[
                "import",
                "--store",
                arg(store),
                arg(&nt),
                "--graph",
                "https://example.org/g",
            ]),
            _ => run(&["build", "--store", arg(store)]),
        };
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let before = dump(store);
        let output = run(&["build", "--data", bad, "--store", arg(store)]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            dump(store) == before,
            "a refused build changed the {first} store"
        );
        let names: Vec<String> = std::fs::read_dir(store)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n.starts_with("bulk-")),
            "the bulk loader's files were left: {names:?}"
        );
    }
}

#[test]
fn the_turtle_report_is_a_shacl_report_rdflib_reads() {
    let data = zero_members();
    let dir = temp_dir();
    let report = dir.path().join("report.ttl");
    let output = run(&[
        "validate",
        "--data",
        data.path().to_str().unwrap(),
        "--format",
        "turtle",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let turtle = std::fs::read_to_string(&report).unwrap();
    assert!(turtle.contains("sh:conforms false"), "{turtle}");
    assert!(
        turtle.contains("sh:MinInclusiveConstraintComponent"),
        "{turtle}"
    );
    // Independent parse: rdflib reads the Turtle report as the same graph Oxigraph reads.
    let reference = dir.path().join("report.nq");
    let mut nquads = Vec::new();
    let mut serializer = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_writer(&mut nquads);
    for quad in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
    {
        serializer
            .serialize_quad(&quad.expect("the report parses"))
            .unwrap();
    }
    serializer.finish().unwrap();
    std::fs::write(&reference, nquads).unwrap();
    let turtle_format = std::path::Path::new("turtle");
    let merge = std::path::Path::new("--merge");
    if let Some(output) = python_checker(
        "rdflib_isomorphic.py",
        &[&report, turtle_format, &reference, merge],
    ) {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn run_failures_exit_with_2_and_say_why() {
    let dir = temp_dir();
    let broken = dir.path().join("broken.ttl");
    std::fs::write(&broken, "<http://example.org/a> <http://example.org/b> .\n").unwrap();
    let output = run(&["validate", "--file", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("broken.ttl"),
        "{}",
        stderr(&output)
    );
    let output = run(&["validate", "--file", "/nonexistent/graph.nq"]);
    assert_eq!(output.status.code(), Some(2));
    let shapes = dir.path().join("shapes.ttl");
    std::fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://example.org/S> a sh:NodeShape ; sh:minCount \"many\" .\n",
    )
    .unwrap();
    let output = run(&["validate", "--shapes", shapes.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("shapes.ttl"),
        "{}",
        stderr(&output)
    );
    // The parsers read RDF 1.2, but a triple term is refused, not validated half-way.
    let triple_term = dir.path().join("reified.nt");
    std::fs::write(
        &triple_term,
        "<http://example.org/a> <http://example.org/says> <<( <http://example.org/b> <http://example.org/c> <http://example.org/d> )>> .\n",
    )
    .unwrap();
    let output = run(&["validate", "--file", triple_term.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("reified.nt") && stderr(&output).contains("triple term"),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "validate",
        "--data",
        "/tmp",
        "--file",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn other_shapes_can_be_given_and_messages_default_to_the_component() {
    let dir = temp_dir();
    let shapes = dir.path().join("shapes.ttl");
    std::fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix schema: <http://schema.org/> .\n\
         <http://example.org/HasWebsite> a sh:NodeShape ; sh:targetClass schema:Organization ;\n\
         sh:property [ sh:path schema:url ; sh:minCount 1 ; sh:severity sh:Warning ] .\n",
    )
    .unwrap();
    let shapes = shapes.to_str().unwrap();
    let output = run(&["validate", "--shapes", shapes]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("warning: schema:url: does not satisfy sh:MinCountConstraintComponent"),
        "{text}"
    );
    assert!(text.contains("record: data/organisations.toml:"), "{text}");
    let output = run(&["validate", "--shapes", shapes, "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn every_export_format_conforms_to_the_shapes_for_tipkg_and_pyshacl() {
    let dir = temp_dir();
    let json: Value = serde_json::from_str(&ok(&["validate", "--format", "json"])).unwrap();
    let expected = tipkg_keys(&json);
    for format in tipkg::export::Format::ALL {
        let path = dir.path().join(format!("graph.{}", format.extension()));
        let path_text = path.to_str().unwrap();
        ok(&["export", "-q", "--format", format.name(), "-o", path_text]);
        let output = run(&["validate", "--file", path_text, "--format", "json"]);
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("{}: {}", format.name(), stderr(&output)));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: tipkg validate --file finds {}",
            format.name(),
            serde_json::to_string_pretty(&report["results"]).unwrap()
        );
        // The merged formats hold the ontology's and the description's triples too, and
        // still give the findings of the data alone (the one info).
        assert_eq!(tipkg_keys(&report), expected, "{}", format.name());
        if let Some(theirs) = pyshacl(&path) {
            assert_eq!(theirs, expected, "{}: pySHACL", format.name());
        }
    }
}
