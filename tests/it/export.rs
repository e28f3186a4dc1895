//! Exports: every format read back by Oxigraph and by independent parsers (rdflib, and
//! jsonld.js in safe mode for JSON-LD) holds exactly the store's graph; golden Turtle and
//! JSON-LD; the JSON-LD context is generated from the graph and covers every term; the
//! canonical hash ignores input order and sees one changed literal; graph selection; the
//! description of the dataset; safe writes.

use crate::support::*;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad, Term, Triple};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use tipkg::export::jsonld::{self, Compactor};
use tipkg::export::{self, ContextMode, Format, GraphSelection, Options};
use tipkg::model::load::DataRoot;
use tipkg::store::KnowledgeGraph;

fn bundled() -> KnowledgeGraph {
    tipkg::mapping::build_quads(&DataRoot::Bundled)
        .and_then(KnowledgeGraph::from_quads)
        .expect("the bundled data builds")
}

/// The store's quads, as N-Quads lines (the graph has no blank nodes, so equal sets of
/// lines mean isomorphic graphs).
fn store_quads(graph: &KnowledgeGraph) -> BTreeSet<String> {
    graph
        .store()
        .iter()
        .map(|q| q.unwrap().to_string())
        .collect()
}

fn store_triples(graph: &KnowledgeGraph) -> BTreeSet<String> {
    graph
        .store()
        .iter()
        .map(|q| Triple::from(q.unwrap()).to_string())
        .collect()
}

fn parse_quads(text: &[u8], format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(text)
        .map(|q| {
            let quad = q.unwrap_or_else(|e| panic!("the {format} export parses: {e}"));
            assert!(
                !quad.subject.is_blank_node() && !quad.object.is_blank_node(),
                "{quad}"
            );
            quad.to_string()
        })
        .collect()
}

fn merged(quads: &BTreeSet<String>, format: RdfFormat) -> BTreeSet<String> {
    let text: String = quads.iter().map(|q| format!("{q} .\n")).collect();
    RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .map(|q| Triple::from(q.unwrap()).to_string())
        .collect()
}

/// Reports the difference of two sets of lines, as sorted missing and extra lines.
fn assert_same(label: &str, actual: &BTreeSet<String>, expected: &BTreeSet<String>) {
    let missing: Vec<_> = expected.difference(actual).take(10).collect();
    let extra: Vec<_> = actual.difference(expected).take(10).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{label}: {} vs {} statements\nmissing: {missing:#?}\nextra: {extra:#?}",
        actual.len(),
        expected.len()
    );
}

fn export_file(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut all = vec!["export", "-q", "-o", path.to_str().unwrap()];
    all.extend_from_slice(args);
    ok(&all);
    path
}

fn jsonld_format() -> RdfFormat {
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    }
}

#[test]
fn every_format_reads_back_with_oxigraph_as_the_stores_graph() {
    let graph = bundled();
    let quads = store_quads(&graph);
    let triples = store_triples(&graph);
    assert!(quads.len() > 1300);
    let dir = temp_dir();
    for format in Format::ALL {
        let path = export_file(dir.path(), &format!("graph.{}", format.extension()), &[]);
        let text = std::fs::read(&path).unwrap();
        let (syntax, expected) = match format {
            Format::Turtle => (RdfFormat::Turtle, &triples),
            Format::Ntriples => (RdfFormat::NTriples, &triples),
            Format::Rdfxml => (RdfFormat::RdfXml, &triples),
            Format::Nquads | Format::Canonical => (RdfFormat::NQuads, &quads),
            Format::Trig => (RdfFormat::TriG, &quads),
            Format::Jsonld => (jsonld_format(), &quads),
        };
        assert_same(format.name(), &parse_quads(&text, syntax), expected);
    }
}

#[test]
fn every_format_reads_back_with_rdflib_as_the_stores_graph() {
    let dir = temp_dir();
    let reference = export_file(dir.path(), "reference.nq", &[]);
    for format in Format::ALL {
        let path = export_file(dir.path(), &format!("graph.{}", format.extension()), &[]);
        let rdflib_format = match format {
            Format::Turtle => "turtle",
            Format::Ntriples => "nt",
            Format::Nquads | Format::Canonical => "nquads",
            Format::Trig => "trig",
            Format::Rdfxml => "xml",
            Format::Jsonld => "json-ld",
        };
        let mut args: Vec<&Path> = vec![&path, Path::new(rdflib_format), &reference];
        if !format.is_quad_format() {
            args.push(Path::new("--merge"));
        }
        let Some(output) = python_checker("rdflib_isomorphic.py", &args) else {
            return;
        };
        assert!(
            output.status.success() && stdout(&output).starts_with("isomorphic"),
            "rdflib, {}: {}{}",
            format.name(),
            stdout(&output),
            stderr(&output)
        );
    }
}

#[test]
fn streamed_turtle_and_trig_hold_the_stores_graph() {
    let graph = bundled();
    let dir = temp_dir();
    let reference = export_file(dir.path(), "reference.nq", &[]);
    for (name, syntax, rdflib_format, expected) in [
        (
            "stream.ttl",
            RdfFormat::Turtle,
            "turtle",
            store_triples(&graph),
        ),
        ("stream.trig", RdfFormat::TriG, "trig", store_quads(&graph)),
    ] {
        let path = export_file(dir.path(), name, &["--stream"]);
        let text = std::fs::read(&path).unwrap();
        // Every vocabulary prefix is declared, since a stream cannot know which are used.
        assert!(String::from_utf8_lossy(&text).contains("@prefix skos: "));
        // The union is written without duplicates: a triple stated in several graphs once.
        let statements = RdfParser::from_format(syntax).for_slice(&text).count();
        assert_eq!(statements, expected.len(), "{name}");
        assert_same(name, &parse_quads(&text, syntax), &expected);
        let mut args: Vec<&Path> = vec![&path, Path::new(rdflib_format), &reference];
        if syntax == RdfFormat::Turtle {
            args.push(Path::new("--merge"));
        }
        if let Some(output) = python_checker("rdflib_isomorphic.py", &args) {
            assert!(
                output.status.success() && stdout(&output).starts_with("isomorphic"),
                "rdflib, {name}: {}{}",
                stdout(&output),
                stderr(&output)
            );
        }
    }
    let refused = run(&["export", "--format", "rdfxml", "--stream"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--stream applies to turtle and trig"));
}

/// Runs jsonld.js in safe mode on a document and returns its N-Quads, or `None` to skip.
pub fn jsonld_js(document: &Path) -> Option<Vec<u8>> {
    let modules = node_modules()?;
    let output = Command::new("node")
        .arg(root().join("tests/checkers/jsonld_to_nquads.js"))
        .arg(document)
        .arg(root().join(jsonld::CONTEXT_PATH))
        .env("NODE_PATH", &modules)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "jsonld.js rejects {}: {}",
        document.display(),
        stderr(&output)
    );
    Some(output.stdout)
}

#[test]
fn jsonld_js_in_safe_mode_expands_every_jsonld_export_without_loss() {
    let graph = bundled();
    let quads = store_quads(&graph);
    let triples = store_triples(&graph);
    let dir = temp_dir();
    let cases: [(&str, &[&str], bool); 4] = [
        ("embedded.jsonld", &[], false),
        (
            "referenced.jsonld",
            &["--jsonld-context", "reference"],
            false,
        ),
        ("framed.jsonld", &["--jsonld-frame", "entity"], true),
        (
            "framed-referenced.jsonld",
            &["--jsonld-frame", "entity", "--jsonld-context", "reference"],
            true,
        ),
    ];
    for (name, args, is_merged) in cases {
        let path = export_file(dir.path(), name, args);
        let Some(nquads) = jsonld_js(&path) else {
            return;
        };
        let read = parse_quads(&nquads, RdfFormat::NQuads);
        if is_merged {
            assert_same(name, &merged(&read, RdfFormat::NQuads), &triples);
        } else {
            assert_same(name, &read, &quads);
        }
    }
}

#[test]
fn jsonld_reads_like_plain_json() {
    let text = ok(&[
        "export",
        "--format",
        "jsonld",
        "--jsonld-context",
        "reference",
    ]);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        document["@context"],
        "https://w3id.org/tipkg/context.jsonld"
    );
    let unicef = document["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["@graph"].as_array().unwrap())
        .find(|n| n["@id"] == "organisation:unicef" && n.get("name").is_some())
        .expect("UNICEF is in some graph with a name");
    assert_eq!(unicef["name"], "United Nations Children’s Fund");
    assert!(
        text.contains(r#""startDate": "2023-06-19""#),
        "typed literals are bare"
    );
    assert!(
        text.contains(r#""organizer": "organisation:icat""#),
        "IRIs are @id"
    );
    assert!(!text.contains("http://schema.org/name"));
}

#[test]
fn framed_jsonld_nests_the_parts_of_an_entity() {
    let text = ok(&[
        "export",
        "-q",
        "--format",
        "jsonld",
        "--jsonld-frame",
        "entity",
    ]);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let nodes = document["@graph"].as_array().unwrap();
    let event = nodes
        .iter()
        .find(|n| n["@id"] == "event:2023-06-19-access-to-justice-for-children")
        .expect("the event is an entity");
    let participations = event["participation"].as_array().unwrap();
    assert_eq!(participations.len(), 3);
    assert!(participations.iter().all(|p| p["participant"].is_string()));
    assert!(
        nodes
            .iter()
            .all(|n| !n["@id"].as_str().unwrap().starts_with("participation:")),
        "parts are nested, not listed"
    );
}

#[test]
fn turtle_matches_the_golden_file() {
    let text = ok(&["export", "-q", "--format", "turtle"]);
    expect_file("tests/golden/graph.ttl", &text);
    assert!(text.contains("\norganisation:unicef a "));
    let one_graph = ok(&[
        "export",
        "-q",
        "--format",
        "turtle",
        "--graph",
        "icat-about",
    ]);
    assert!(one_graph.contains("@prefix schema:"));
    assert!(
        !one_graph.contains("@prefix owl:"),
        "only the prefixes in use: {}",
        &one_graph[..400]
    );
}

#[test]
fn jsonld_matches_the_golden_file() {
    let text = ok(&[
        "export",
        "-q",
        "--format",
        "jsonld",
        "--jsonld-context",
        "reference",
    ]);
    expect_file("tests/golden/graph.jsonld", &text);
}

#[test]
fn trig_keeps_each_graph_in_its_block() {
    let text = ok(&["export", "--format", "trig"]);
    assert!(text.contains("\ngraph:icat-about {\n"));
    assert!(text.contains("\ngraph:ontology {\n"));
}

#[test]
fn the_context_file_is_generated_from_the_graph() {
    let graph = bundled();
    let quads: Vec<Quad> = graph.store().iter().map(Result::unwrap).collect();
    let context = jsonld::generate_context(&quads);
    expect_file(
        jsonld::CONTEXT_PATH,
        &format!("{}\n", serde_json::to_string_pretty(&context).unwrap()),
    );
}

#[test]
fn every_term_the_graph_uses_has_an_entry_in_the_context() {
    let graph = bundled();
    let context: serde_json::Value = serde_json::from_str(jsonld::CONTEXT).unwrap();
    let entries = context["@context"].as_object().unwrap();
    let defined: BTreeSet<String> = entries
        .iter()
        .filter(|(k, _)| !k.starts_with('@'))
        .map(|(_, v)| {
            let id = v.as_str().or_else(|| v["@id"].as_str()).unwrap();
            let (prefix, local) = id.split_once(':').unwrap();
            match entries.get(prefix).and_then(|p| p.as_str()) {
                Some(namespace) => format!("{namespace}{local}"),
                None => id.to_owned(),
            }
        })
        .collect();
    let rdf_type = NamedNode::new("http://www.w3.org/1999/02/22-rdf-syntax-ns#type").unwrap();
    let mut used = BTreeSet::new();
    for quad in graph.store().iter() {
        let quad = quad.unwrap();
        if quad.predicate == rdf_type {
            if let Term::NamedNode(class) = quad.object {
                used.insert(class.as_str().to_owned());
            }
        } else {
            used.insert(quad.predicate.as_str().to_owned());
        }
    }
    let missing: Vec<_> = used.difference(&defined).collect();
    assert!(missing.is_empty(), "terms without an entry: {missing:?}");
    // And the export agrees: nothing is written as a full IRI key or type.
    let options = Options {
        format: Format::Jsonld,
        graphs: GraphSelection::All,
        jsonld_context: ContextMode::Embed,
        jsonld_frame: None,
        stream: false,
    };
    let summary = export::export(&graph, &options, &mut Vec::new()).unwrap();
    assert!(
        summary.missing_terms.is_empty(),
        "{:?}",
        summary.missing_terms
    );
    // Every ontology term has one too, used or not.
    let declared = graph
        .store()
        .quads_for_pattern(None, Some(rdf_type.as_ref()), None, None)
        .map(Result::unwrap)
        .filter(|q| q.graph_name == GraphName::NamedNode(tipkg::base::iri::ontology_graph()))
        .filter(|q| q.subject.to_string().contains("ontology#"))
        .filter(|q| {
            ["ObjectProperty", "DatatypeProperty", "Class"]
                .iter()
                .any(|k| q.object.to_string().ends_with(&format!("#{k}>")))
        })
        .map(|q| q.subject.to_string().trim_matches(['<', '>']).to_owned())
        .collect::<BTreeSet<_>>();
    let undeclared: Vec<_> = declared.difference(&defined).collect();
    assert!(
        undeclared.is_empty(),
        "ontology terms without an entry: {undeclared:?}"
    );
    assert!(Compactor::bundled().is_ok());
}

/// A copy of the bundled data with every record moved: records of all data files reversed
/// and dealt round-robin into three files whose names sort differently.
fn shuffled_data() -> tempfile::TempDir {
    let dir = data_copy();
    let mut records = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut current = String::new();
        for line in text.lines() {
            let top_level = line.starts_with("[[") && !line.contains('.');
            if top_level && !current.trim().is_empty() {
                records.push(std::mem::take(&mut current));
            }
            current.push_str(line);
            current.push('\n');
        }
        records.push(current);
    }
    records.reverse();
    let mut files = vec![String::new(), String::new(), String::new()];
    for (i, record) in records.into_iter().enumerate() {
        files[i % 3].push_str(&record);
        files[i % 3].push('\n');
    }
    for (name, text) in ["c.toml", "a.toml", "b.toml"].iter().zip(files) {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn the_canonical_hash_ignores_input_order_and_sees_one_literal() {
    let hash = ok(&["hash"]);
    assert_eq!(hash.trim().len(), 64, "{hash}");
    assert_eq!(hash, ok(&["hash"]), "stable across runs");
    let shuffled = shuffled_data();
    let data = shuffled.path().to_str().unwrap();
    // The shuffle really changes the order the store holds the quads in (the streamed
    // N-Quads follow it), so equal hashes below are not a coincidence of order.
    assert_ne!(
        ok(&["export", "-q", "--data", data, "-f", "nquads"]),
        ok(&["export", "-q", "-f", "nquads"]),
    );
    assert_eq!(ok(&["hash", "--data", data]), hash, "same graph, same hash");
    assert_eq!(
        ok(&["export", "--data", data, "-f", "canonical"]),
        ok(&["export", "-f", "canonical"])
    );
    // One literal changed: another hash.
    let changed = data_copy();
    let path = changed.path().join("organisations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"United Nations Children’s Fund\""));
    std::fs::write(
        &path,
        text.replacen(
            "\"United Nations Children’s Fund\"",
            "\"United Nations Children's Fund\"",
            1,
        ),
    )
    .unwrap();
    assert_ne!(
        ok(&["hash", "--data", changed.path().to_str().unwrap()]),
        hash
    );
}

#[test]
fn the_canonical_form_is_sorted_n_quads_and_hashes_to_the_hash() {
    use sha2::Digest;
    let canonical = ok(&["export", "-f", "canonical"]);
    let lines: Vec<&str> = canonical.lines().collect();
    assert!(lines.is_sorted());
    let digest = sha2::Sha256::digest(canonical.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(ok(&["hash"]).trim(), hex);
}

#[test]
fn graph_selection_picks_one_graph_and_merging_is_announced() {
    let ontology = ok(&["export", "-f", "nquads", "--graph", "ontology"]);
    assert!(ontology.lines().count() > 200);
    assert!(
        ontology
            .lines()
            .all(|l| l.ends_with("<https://w3id.org/tipkg/graph/ontology> ."))
    );
    let by_iri = ok(&[
        "export",
        "-f",
        "nquads",
        "--graph",
        "https://w3id.org/tipkg/graph/ontology",
    ]);
    assert_eq!(ontology, by_iri);
    assert!(ok(&["export", "-f", "nquads", "--graph", "default"]).is_empty());
    let article = run(&["export", "--graph", "icat-about"]);
    assert!(article.status.success());
    assert!(
        !stderr(&article).contains("merged"),
        "one graph is not a merge"
    );
    let all = run(&["export", "-f", "ntriples"]);
    assert!(stderr(&all).contains("named graphs merged into one graph for N-Triples"));
    let quads = run(&["export", "-f", "nquads"]);
    assert!(stderr(&quads).is_empty(), "{}", stderr(&quads));
    let unknown = run(&["export", "--graph", "icat-abuot"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no such named graph (did you mean icat-about?)"),
        "{}",
        stderr(&unknown)
    );
}

/// N-Quads lines by graph IRI (the last term of each line).
fn by_graph(nquads: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let mut graphs = std::collections::BTreeMap::<String, BTreeSet<String>>::new();
    for line in nquads.lines() {
        let (triple, graph) = line
            .strip_suffix(" .")
            .and_then(|l| l.rsplit_once(' '))
            .unwrap_or_else(|| panic!("not a quad: {line}"));
        graphs
            .entry(graph.to_owned())
            .or_default()
            .insert(format!("{triple} ."));
    }
    graphs
}

#[test]
fn several_graphs_are_selected_by_repeating_or_listing_them() {
    let graph = |slug: &str| format!("<https://w3id.org/tipkg/graph/{slug}>");
    let listed = ok(&["export", "-f", "nquads", "--graph", "ror,wikidata"]);
    let repeated = ok(&["export", "-f", "nquads", "-g", "ror", "--graph", "wikidata"]);
    let mixed = ok(&[
        "export",
        "-f",
        "nquads",
        "--graph",
        "https://w3id.org/tipkg/graph/ror, wikidata",
    ]);
    assert_eq!(listed, repeated);
    assert_eq!(listed, mixed);
    let graphs = by_graph(&listed);
    assert_eq!(
        graphs.keys().cloned().collect::<Vec<_>>(),
        [graph("ror"), graph("wikidata")]
    );
    assert_eq!(graphs[&graph("ror")].len(), 10);

    // Two sources state some of the same triples: a triple format writes each once, in
    // every format that merges.
    let (first, second) = (
        "end-violence-disrupting-harm-usd-6-6m",
        "end-violence-disrupting-harm-usd-7m",
    );
    let both = format!("{first},{second}");
    let quads = by_graph(&ok(&["export", "-f", "nquads", "--graph", &both]));
    let union: BTreeSet<String> = quads.values().flatten().cloned().collect();
    assert!(
        union.len() < quads.values().map(BTreeSet::len).sum::<usize>(),
        "the two graphs share triples"
    );
    let merged = run(&["export", "-f", "ntriples", "--graph", &both]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let lines: Vec<String> = stdout(&merged).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), union.len(), "each triple once");
    assert_eq!(lines.into_iter().collect::<BTreeSet<_>>(), union);
    assert!(
        stderr(&merged).contains("2 named graphs merged into one graph for N-Triples"),
        "{}",
        stderr(&merged)
    );
    let turtle = ok(&["export", "-q", "-f", "turtle", "--graph", &both]);
    let read = parse_quads(turtle.as_bytes(), RdfFormat::Turtle);
    let union: BTreeSet<String> = union
        .iter()
        .map(|l| l.trim_end_matches(" .").to_owned())
        .collect();
    assert_eq!(read, union);

    let unknown = run(&["export", "--graph", "ror,icat-abuot"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown)
            .contains("--graph icat-abuot: no such named graph (did you mean icat-about?)"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn data_is_every_sources_graph_without_the_ontology_and_the_description() {
    let all = by_graph(&ok(&["export", "-f", "nquads"]));
    let data = by_graph(&ok(&["export", "-f", "nquads", "--graph", "data"]));
    let mut expected = all.clone();
    for left_out in ["ontology", "dataset"] {
        expected
            .remove(&format!("<https://w3id.org/tipkg/graph/{left_out}>"))
            .unwrap_or_else(|| panic!("the export has the {left_out} graph"));
    }
    assert!(expected.len() > 10, "{:?}", expected.keys());
    assert_eq!(data, expected);
    // With another graph, and the same through `hash`.
    let with_ontology = by_graph(&ok(&["export", "-f", "nquads", "-g", "data,ontology"]));
    assert_eq!(with_ontology.len(), expected.len() + 1);
    assert_ne!(ok(&["hash", "-g", "data"]), ok(&["hash"]));
    assert_eq!(
        ok(&["hash", "-g", "data", "-g", "ontology,dataset"]),
        ok(&["hash"])
    );
}

/// A graph IRI that holds a comma is taken whole when the store has that graph.
#[test]
fn a_graph_iri_with_a_comma_is_one_graph() {
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let store = store.to_str().unwrap();
    let file = dir.path().join("one.nt");
    std::fs::write(
        &file,
        "<http://example.org/s> <http://example.org/p> \"o\" .\n",
    )
    .unwrap();
    let iri = "http://example.org/graph/a,b";
    ok(&["build", "-q", "--store", store]);
    ok(&[
        "import",
        "-q",
        "--store",
        store,
        "--graph",
        iri,
        file.to_str().unwrap(),
    ]);
    let quads = ok(&["export", "--store", store, "-f", "nquads", "--graph", iri]);
    assert_eq!(
        quads,
        format!("<http://example.org/s> <http://example.org/p> \"o\" <{iri}> .\n")
    );
}

#[test]
fn streamed_ntriples_write_each_triple_once() {
    let text = ok(&["export", "-q", "-f", "ntriples"]);
    let lines: Vec<&str> = text.lines().collect();
    let distinct: BTreeSet<&str> = lines.iter().copied().collect();
    assert_eq!(lines.len(), distinct.len(), "no triple twice");
    assert_same(
        "ntriples",
        &parse_quads(text.as_bytes(), RdfFormat::NTriples),
        &store_triples(&bundled()),
    );
}

#[test]
fn the_format_follows_the_file_extension() {
    let dir = temp_dir();
    for (name, check) in [
        ("g.ttl", "@prefix"),
        ("g.nt", "<https://"),
        ("g.jsonld", "\"@context\""),
        ("g.rdf", "<?xml"),
        ("g.trig", "graph:ontology {"),
    ] {
        let path = export_file(dir.path(), name, &[]);
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(check), "{name}");
    }
    let unknown = run(&["export", "-o", dir.path().join("g.xyz").to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("use --format"));
    let frame = run(&["export", "-f", "turtle", "--jsonld-frame", "entity"]);
    assert_eq!(frame.status.code(), Some(2));
    assert!(stderr(&frame).contains("--format jsonld only"));
}

#[test]
fn a_failed_export_leaves_the_old_file_and_no_partial_one() {
    let dir = temp_dir();
    let path = dir.path().join("graph.ttl");
    std::fs::write(&path, "old").unwrap();
    let failed = run(&["export", "-o", path.to_str().unwrap(), "--graph", "nosuch"]);
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");
}

#[test]
fn the_description_counts_what_the_graph_holds() {
    let graph = bundled();
    let select = |query: &str| -> Vec<String> {
        let mut prepared = oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(query)
            .unwrap();
        prepared.dataset_mut().set_default_graph_as_union();
        let oxigraph::sparql::QueryResults::Solutions(solutions) =
            prepared.on_store(graph.store()).execute().unwrap()
        else {
            panic!("not a SELECT")
        };
        solutions
            .map(|s| match s.unwrap().get("v") {
                Some(Term::Literal(l)) => l.value().to_owned(),
                Some(other) => other.to_string(),
                None => String::new(),
            })
            .collect()
    };
    let prefixes =
        "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dcterms: <http://purl.org/dc/terms/> ";
    let described = select(&format!(
        "{prefixes} SELECT ?v WHERE {{ GRAPH <https://w3id.org/tipkg/graph/dataset> {{
           <https://w3id.org/tipkg/dataset> void:triples ?v }} }}"
    ));
    let counted = select(
        "SELECT (COUNT(*) AS ?v) WHERE { GRAPH ?g { ?s ?p ?o }
           FILTER(?g != <https://w3id.org/tipkg/graph/dataset>) }",
    );
    assert_eq!(described, counted);
    let subset = select(&format!(
        "{prefixes} SELECT ?v WHERE {{ <https://w3id.org/tipkg/graph/icat-about> void:triples ?v }}"
    ));
    let icat = select(
        "SELECT (COUNT(*) AS ?v) WHERE { GRAPH <https://w3id.org/tipkg/graph/icat-about> { ?s ?p ?o } }",
    );
    assert_eq!(subset, icat);
    let distributions = select(&format!(
        "{prefixes} SELECT ?v WHERE {{ <https://w3id.org/tipkg/dataset> dcat:distribution ?d .
           ?d a dcat:Distribution ; dcat:mediaType ?v }}"
    ));
    assert_eq!(distributions.len(), Format::ALL.len());
    let header = select(&format!(
        "{prefixes} SELECT ?v WHERE {{ <https://w3id.org/tipkg/dataset> a dcat:Dataset, void:Dataset ;
           dcterms:title ?v ; dcterms:license ?l ; dcat:version ?version ; dcterms:publisher ?p ;
           void:entities ?e ; void:classes ?c ; void:vocabulary <http://schema.org/> ;
           dcterms:source <https://w3id.org/tipkg/id/source/icat-2023-06-access-to-justice-for-children> }}"
    ));
    assert_eq!(header, vec!["tipkg knowledge graph".to_owned()]);
}

/// Terms the bundled graph does not have: blank nodes, escapes, numbers that must keep their
/// datatype, another language, IRIs no prefix fits, properties the context does not know.
fn odd_quads() -> Vec<Quad> {
    let text = r#"
<https://w3id.org/tipkg/id/org/x> <http://schema.org/name> "a \"quoted\"\nline\twith\\ tab"@en <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://schema.org/name> "Fonds des Nations Unies"@fr <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://schema.org/name> "plain" <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://example.org/ns#unknown> "1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://example.org/ns#unknown> "-7"^^<http://www.w3.org/2001/XMLSchema#integer> <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://example.org/ns#unknown> "042"^^<http://www.w3.org/2001/XMLSchema#integer> <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://example.org/ns#unknown> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://schema.org/startDate> "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://schema.org/sameAs> <https://example.org/a%20b?c=d#e> <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://schema.org/sameAs> "not an IRI" <https://w3id.org/tipkg/graph/a> .
<https://w3id.org/tipkg/id/org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/ns#Thing> <https://w3id.org/tipkg/graph/b> .
<https://w3id.org/tipkg/id/org/x.> <http://schema.org/member> _:b1 <https://w3id.org/tipkg/graph/b> .
_:b1 <http://schema.org/name> "blank" <https://w3id.org/tipkg/graph/b> .
<https://w3id.org/tipkg/id/participation/e/x-y> <http://schema.org/name> "part" .
"#;
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(text.as_bytes())
        .map(Result::unwrap)
        .collect()
}

/// Lines of a graph with blank nodes relabelled in order of appearance in sorted output
/// (enough for these small graphs, where each blank node is told apart by its triples).
fn without_blank_labels(quads: &BTreeSet<String>) -> BTreeSet<String> {
    quads
        .iter()
        .map(|q| {
            q.split(' ')
                .map(|t| if t.starts_with("_:") { "_:b" } else { t })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn odd_terms_survive_turtle_trig_and_jsonld() {
    let quads = odd_quads();
    let expected_quads: BTreeSet<String> = quads.iter().map(ToString::to_string).collect();
    let triples: Vec<Triple> = quads.iter().cloned().map(Triple::from).collect();
    let expected_triples: BTreeSet<String> = triples.iter().map(ToString::to_string).collect();

    let mut turtle = Vec::new();
    export::turtle::write_turtle(&triples, &mut turtle).unwrap();
    let text = String::from_utf8(turtle.clone()).unwrap();
    assert!(text.contains("-7"), "{text}");
    assert!(text.contains("\"042\"^^xsd:integer"), "{text}");
    // A local name that would need an escape is written as the full IRI.
    assert!(
        text.contains("<https://w3id.org/tipkg/id/participation/e/x-y>"),
        "{text}"
    );
    assert!(
        text.contains("<https://w3id.org/tipkg/id/org/x.>"),
        "{text}"
    );
    assert!(!text.contains('\\') || !text.contains("\\/"), "{text}");
    assert_eq!(
        without_blank_labels(&parse_quads_allowing_blanks(&turtle, RdfFormat::Turtle)),
        without_blank_labels(&expected_triples)
    );

    let mut graphs: Vec<(GraphName, Vec<Triple>)> = Vec::new();
    for quad in &quads {
        match graphs.iter_mut().find(|(g, _)| *g == quad.graph_name) {
            Some((_, t)) => t.push(Triple::from(quad.clone())),
            None => graphs.push((quad.graph_name.clone(), vec![Triple::from(quad.clone())])),
        }
    }
    let mut trig = Vec::new();
    export::turtle::write_trig(&graphs, &mut trig).unwrap();
    assert_eq!(
        without_blank_labels(&parse_quads_allowing_blanks(&trig, RdfFormat::TriG)),
        without_blank_labels(&expected_quads)
    );

    let mut json = Vec::new();
    let compactor = jsonld::write_dataset(&quads, ContextMode::Embed, &mut json).unwrap();
    assert!(
        compactor
            .missing()
            .contains("http://example.org/ns#unknown")
            && compactor.missing().contains("http://example.org/ns#Thing"),
        "{:?}",
        compactor.missing()
    );
    assert_eq!(
        without_blank_labels(&parse_quads_allowing_blanks(&json, jsonld_format())),
        without_blank_labels(&expected_quads)
    );
    let dir = temp_dir();
    let path = dir.path().join("odd.jsonld");
    std::fs::write(&path, &json).unwrap();
    if let Some(nquads) = jsonld_js(&path) {
        assert_eq!(
            without_blank_labels(&parse_quads_allowing_blanks(&nquads, RdfFormat::NQuads)),
            without_blank_labels(&expected_quads)
        );
    }
}

/// Readable Turtle, TriG and JSON-LD as the whole selection sorted in memory gives them.
fn readable_of_whole(quads: &[Quad], format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    if format == Format::Jsonld {
        jsonld::write_dataset(quads, ContextMode::Embed, &mut out).unwrap();
    } else if format == Format::Trig {
        let mut graphs: std::collections::BTreeMap<String, (GraphName, Vec<Triple>)> =
            std::collections::BTreeMap::new();
        for quad in quads {
            let key = match &quad.graph_name {
                GraphName::DefaultGraph => String::new(),
                other => other.to_string(),
            };
            graphs
                .entry(key)
                .or_insert_with(|| (quad.graph_name.clone(), Vec::new()))
                .1
                .push(Triple::from(quad.clone()));
        }
        let graphs: Vec<_> = graphs.into_values().collect();
        export::turtle::write_trig(&graphs, &mut out).unwrap();
    } else {
        let triples: Vec<Triple> = quads.iter().cloned().map(Triple::from).collect();
        export::turtle::write_turtle(&triples, &mut out).unwrap();
    }
    out
}

/// More subjects than the export reads in one query, named and blank, in two named graphs
/// (one named by a blank node) and the default graph, with shared and unshared predicates.
fn many_subjects() -> Vec<Quad> {
    let mut text = String::new();
    for i in 0..700 {
        let subject = if i % 50 == 7 {
            format!("_:s{i}")
        } else {
            format!("<https://w3id.org/tipkg/id/org/s{i:04}>")
        };
        let graph = match i % 3 {
            0 => "<https://w3id.org/tipkg/graph/a>",
            1 => "_:g",
            _ => "",
        };
        text += &format!("{subject} <http://schema.org/name> \"n{i}\" {graph} .\n");
        text += &format!(
            "{subject} <http://example.org/p{}> <https://example.org/o{i}> {graph} .\n",
            i % 9
        );
        text += &format!(
            "<https://w3id.org/tipkg/id/org/s{i:04}> <http://schema.org/sameAs> <https://example.org/x> <https://w3id.org/tipkg/graph/a> .\n"
        );
    }
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(text.as_bytes())
        .map(Result::unwrap)
        .collect()
}

#[test]
fn turtle_trig_and_jsonld_read_subject_by_subject_are_the_bytes_of_the_whole_graph_sorted() {
    let odd = KnowledgeGraph::from_quads(odd_quads()).unwrap();
    let many = KnowledgeGraph::from_quads(many_subjects()).unwrap();
    // The same graphs in on-disk stores, which are read another way.
    let dir = temp_dir();
    let mut graphs = vec![bundled(), odd, many];
    for (i, graph) in std::mem::take(&mut graphs).into_iter().enumerate() {
        let on_disk = KnowledgeGraph::open(&dir.path().join(i.to_string())).unwrap();
        on_disk
            .store()
            .extend(graph.store().iter().map(Result::unwrap))
            .unwrap();
        graphs.extend([graph, on_disk]);
    }
    for graph in graphs {
        let all: Vec<Quad> = graph.store().iter().map(Result::unwrap).collect();
        let a = NamedNode::new("https://w3id.org/tipkg/graph/a").unwrap();
        let ontology = tipkg::base::iri::ontology_graph();
        let selections = [
            GraphSelection::All,
            GraphSelection::Graphs {
                default: true,
                named: [a, ontology].into_iter().collect(),
            },
        ];
        for graphs in selections {
            let chosen: Vec<Quad> = all
                .iter()
                .filter(|q| match (&graphs, &q.graph_name) {
                    (GraphSelection::All, _) => true,
                    (GraphSelection::Graphs { default, .. }, GraphName::DefaultGraph) => *default,
                    (GraphSelection::Graphs { named, .. }, GraphName::NamedNode(n)) => {
                        named.contains(n)
                    }
                    _ => false,
                })
                .cloned()
                .collect();
            for format in [Format::Turtle, Format::Trig, Format::Jsonld] {
                let options = Options {
                    format,
                    graphs: graphs.clone(),
                    jsonld_context: ContextMode::Embed,
                    jsonld_frame: None,
                    stream: false,
                };
                let mut out = Vec::new();
                export::export(&graph, &options, &mut out).unwrap();
                let expected = readable_of_whole(&chosen, format);
                assert!(
                    out == expected,
                    "{format:?} of {graphs:?}:\n{}\n---- expected ----\n{}",
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&expected)
                );
            }
        }
    }
}

fn parse_quads_allowing_blanks(text: &[u8], format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(text)
        .map(|q| {
            q.unwrap_or_else(|e| panic!("{format} parses: {e}\n{}", String::from_utf8_lossy(text)))
                .to_string()
        })
        .collect()
}

/// The prefixed names (`prefix:local`) of a Turtle or TriG text, outside its string literals.
fn prefixed_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines().filter(|l| !l.starts_with("@prefix")) {
        // What follows the first quote is a literal (labels never hold a prefixed name
        // that matters here); what precedes it is names and punctuation.
        let code = line.split('"').next().unwrap_or_default();
        for token in code.split([' ', ',', ';', '{', '}']) {
            let token = token.trim_end_matches('.');
            if let Some((prefix, _)) = token.split_once(':')
                && !prefix.is_empty()
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !token.starts_with('<')
            {
                names.insert(token.to_owned());
            }
        }
    }
    names
}

/// A backslash before one of the characters Turtle's PN_LOCAL_ESC escapes: a prefixed name
/// with an escape, which some readers (Virtuoso's bulk loader) keep in the IRI.
fn escaped_local_names(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| {
            let code = line.split('"').next().unwrap_or_default();
            code.as_bytes()
                .windows(2)
                .any(|w| w[0] == b'\\' && b"_~.-!$&'()*+,;=/?#@%".contains(&w[1]))
        })
        .collect()
}

#[test]
fn no_output_writes_a_prefixed_name_that_needs_an_escape() {
    for args in [
        &["export", "-q", "--format", "turtle"][..],
        &["export", "-q", "--format", "trig"],
        &["export", "-q", "--format", "turtle", "--stream"],
        &["export", "-q", "--format", "trig", "--stream"],
    ] {
        let text = ok(args);
        let escaped = escaped_local_names(&text);
        assert!(escaped.is_empty(), "{args:?}: {escaped:#?}");
        // A part of an entity has a `/` after any prefix: it is written in full.
        assert!(
            text.contains(
                "<https://w3id.org/tipkg/id/participation/2023-06-19-access-to-justice-for-children/iom-romania-presenter>"
            ),
            "{args:?}"
        );
    }
    let jsonld = ok(&["export", "-q", "--format", "jsonld"]);
    assert!(!jsonld.contains("\"id:"), "no id:kind/slug names");
    assert!(jsonld.contains(
        "\"https://w3id.org/tipkg/id/participation/2023-06-19-access-to-justice-for-children/iom-romania-presenter\""
    ));
}

#[test]
fn every_output_writes_a_name_the_same_way_and_queries_read_it_back() {
    // The names of the TriG export (Turtle's, and the graphs').
    let turtle_names = prefixed_names(&ok(&["export", "-q", "--format", "trig"]));
    // The compact IRIs of the JSON-LD export are names of the TriG export.
    let jsonld = ok(&["export", "-q", "--format", "jsonld"]);
    let document: serde_json::Value = serde_json::from_str(&jsonld).unwrap();
    let mut jsonld_names = BTreeSet::new();
    collect_compact_iris(&document["@graph"], &mut jsonld_names);
    assert!(jsonld_names.contains("organisation:icat"));
    assert!(jsonld_names.contains("source:icat-about"));
    assert!(jsonld_names.contains("role:presenter"));
    let unknown: Vec<_> = jsonld_names.difference(&turtle_names).collect();
    assert!(
        unknown.is_empty(),
        "JSON-LD names TriG does not write: {unknown:?}"
    );
    // A query's table shows the same names.
    let table = ok(&[
        "query",
        "event-organisers",
        "--param",
        "event=2023-06-19-access-to-justice-for-children",
        "--format",
        "table",
    ]);
    assert!(table.contains("organisation:icat"), "{table}");
    assert!(!table.contains("id:org/"), "{table}");
    // Each name pastes into a query as it is, without a PREFIX declaration.
    for name in [
        "organisation:icat",
        "source:icat-about",
        "role:presenter",
        "event:2023-06-19-access-to-justice-for-children",
        "graph:icat-about",
        "country:ROU",
        "topic:child-trafficking",
    ] {
        assert!(turtle_names.contains(name), "{name} is not written in TriG");
        let query = format!(
            "ASK {{ {{ {name} ?p ?o }} UNION {{ ?s ?p {name} }} UNION {{ GRAPH {name} {{ ?s ?p ?o }} }} }}"
        );
        let output = run(&["query", "--sparql", &query]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{query}: {}",
            stderr(&output)
        );
    }
}

fn collect_compact_iris(value: &serde_json::Value, names: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) => {
            if let Some((prefix, local)) = s.split_once(':')
                && !local.starts_with("//")
                && tipkg::base::vocab::PREFIXES
                    .iter()
                    .any(|(p, _)| *p == prefix)
                && !prefix.is_empty()
                && !s.contains(' ')
            {
                names.insert(s.clone());
            }
        }
        serde_json::Value::Array(values) => {
            for v in values {
                collect_compact_iris(v, names);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if key != "@type" && key != "@context" {
                    collect_compact_iris(v, names);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn streamed_exports_of_a_build_are_the_bytes_the_in_memory_store_gives() {
    let dir = temp_dir();
    let generated = generated(dir.path(), "3", "400");
    for root in [DataRoot::Bundled, DataRoot::Dir(generated)] {
        let quads = tipkg::mapping::build_quads(&root).unwrap();
        let graph = KnowledgeGraph::from_quads(quads.clone()).unwrap();
        for (format, stream) in [
            (Format::Nquads, false),
            (Format::Ntriples, false),
            (Format::Turtle, true),
            (Format::Trig, true),
        ] {
            let options = Options {
                format,
                graphs: GraphSelection::All,
                jsonld_context: ContextMode::Embed,
                jsonld_frame: None,
                stream,
            };
            let mut expected = Vec::new();
            let through_store = export::export(&graph, &options, &mut expected).unwrap();
            let mut out = Vec::new();
            let built = export::export_built(&quads, format, stream, &mut out).unwrap();
            assert!(
                out == expected,
                "{format:?} of {root:?}:\n{}\n---- through the store ----\n{}",
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&expected)
            );
            assert_eq!(
                built.merged_graphs, through_store.merged_graphs,
                "{format:?}"
            );
        }
    }
    // Readable Turtle needs the sorted store.
    let refused = export::export_built(&odd_quads(), Format::Turtle, false, &mut Vec::new());
    assert!(refused.is_err());
}
