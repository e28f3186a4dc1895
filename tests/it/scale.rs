//! The on-disk store (`--store`), `tipkg import`, and the synthetic data generator.

use crate::support::{ok, run, stderr, temp_dir};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lines of an N-Quads text, sorted: the graph as a set, whatever the order.
pub(crate) fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

pub(crate) fn export_nquads(store: &Path) -> String {
    ok(&[
        "export",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "nquads",
    ])
}

/// Quads per named graph in the store, as `graph<TAB>count` lines.
pub(crate) fn graph_counts(store: &Path) -> String {
    ok(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--sparql",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    ])
}

fn import(store: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import", "--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

const GOOD_NT: &str = "<http://example.org/a> <http://example.org/p> \"one\" .
<http://example.org/b> <http://example.org/p> \"two\" .
<http://example.org/c> <http://example.org/p> \"three\" .
<http://example.org/d> <http://example.org/p> \"four\" .
";

/// Line 3 lacks its closing `>`.
const BAD_NT: &str = "<http://example.org/a> <http://example.org/p> \"one\" .
<http://example.org/b> <http://example.org/p> \"two\" .
<http://example.org/c> <http://example.org/p <http://example.org/x> .
<http://example.org/d> <http://example.org/p> \"four\" .
";

/// A store built from the bundled data, and a small N-Triples file beside it.
fn built_store_and_file() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = temp_dir();
    let store = dir.path().join("store");
    ok(&["build", "-q", "--store", store.to_str().unwrap()]);
    let nt = dir.path().join("extra.nt");
    std::fs::write(&nt, GOOD_NT).unwrap();
    (dir, store, nt)
}

/// The graph an import names after a file.
fn import_graph(name: &str) -> String {
    format!("https://w3id.org/tipkg/import/{name}")
}

#[test]
fn a_store_built_and_reopened_in_another_process_holds_the_in_memory_graph() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    let build = run(&["build", "--store", store.to_str().unwrap()]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stderr(&build).contains("replaced 0 graph(s) of an earlier build"));
    let in_memory = ok(&["export", "--format", "nquads"]);
    let on_disk = export_nquads(&store);
    assert!(!in_memory.is_empty());
    assert_eq!(sorted_lines(&on_disk), sorted_lines(&in_memory));
    // A query reads the store too.
    let ask = run(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--sparql",
        "ASK { GRAPH <https://w3id.org/tipkg/graph/icat-about> { ?s ?p ?o } }",
    ]);
    assert_eq!(ask.status.code(), Some(0), "{}", stderr(&ask));
}

/// A first build is bulk-loaded; a rebuild writes only what changed, in one transaction:
/// after a record is edited and another removed, the store holds exactly the graph that
/// the edited data builds in memory.
#[test]
fn a_rebuild_after_an_edit_holds_exactly_the_edited_graph() {
    let data = crate::support::data_copy();
    let dir = temp_dir();
    let store = dir.path().join("store");
    let data_arg = data.path().to_str().unwrap();
    let first = run(&[
        "build",
        "--data",
        data_arg,
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let path = data.path().join("organisations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text
        .replace("member_count = 21\n", "member_count = 22\n")
        .replace("location = \"Bangkok\"\n", "");
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
    let rebuild = run(&[
        "build",
        "--data",
        data_arg,
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(rebuild.status.success(), "{}", stderr(&rebuild));
    let on_disk = sorted_lines(&export_nquads(&store));
    let in_memory = sorted_lines(&ok(&["export", "--data", data_arg, "--format", "nquads"]));
    assert_eq!(on_disk, in_memory);
    assert!(
        on_disk.iter().any(|l| l.contains("\"22\"^^")),
        "the new count is stored"
    );
    assert!(
        !on_disk.iter().any(|l| l.contains("\"Bangkok\"")),
        "the removed fact is gone"
    );
}

#[test]
fn a_rebuild_replaces_the_built_graphs_and_keeps_imported_ones() {
    let (_dir, store, nt) = built_store_and_file();
    let output = import(&store, &[nt.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let before = graph_counts(&store);
    let rebuild = run(&["build", "--store", store.to_str().unwrap()]);
    assert!(rebuild.status.success(), "{}", stderr(&rebuild));
    assert!(
        stderr(&rebuild).contains("kept 1 imported graph(s)"),
        "{}",
        stderr(&rebuild)
    );
    // Same counts per graph: the built graphs were replaced, not added to, and the
    // imported one is still there. The description of the dataset is left out: the
    // rebuild recomputes it, and it now describes the imported graph too.
    let without_description = |counts: &str| {
        counts
            .lines()
            .filter(|l| !l.starts_with("<https://w3id.org/tipkg/graph/dataset>"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_description(&graph_counts(&store)),
        without_description(&before)
    );
    assert!(
        before.contains(&format!("<{}>\t4", import_graph("extra.nt"))),
        "{before}"
    );
    // The store holds the built graphs and the 4 imported triples (and a description that
    // also describes the imported graph).
    let in_memory = ok(&["export", "--format", "nquads"]);
    let on_disk = export_nquads(&store);
    let built = |nquads: &str| {
        sorted_lines(nquads)
            .into_iter()
            .filter(|l| !l.ends_with("<https://w3id.org/tipkg/graph/dataset> ."))
            .count()
    };
    assert_eq!(built(&on_disk), built(&in_memory) + 4);
}

#[test]
fn import_reads_gzip_and_puts_default_graph_triples_in_a_graph_per_file() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    let gz = dir.path().join("items.nt.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), Default::default());
    encoder.write_all(GOOD_NT.as_bytes()).unwrap();
    encoder.finish().unwrap();
    let output = import(&store, &[gz.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("imported 4 quads from 1 file(s)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        graph_counts(&store),
        format!("?g\t?n\n<{}>\t4\n", import_graph("items.nt"))
    );
}

#[test]
fn import_keeps_the_named_graphs_of_a_dataset_and_honours_graph() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    let trig = dir.path().join("dataset.trig");
    std::fs::write(
        &trig,
        "@prefix ex: <http://example.org/> .\n\
         ex:a ex:p ex:b .\n\
         ex:g1 { ex:a ex:p ex:c . ex:a ex:p ex:d . }\n\
         ex:g2 { ex:a ex:p ex:e . }\n",
    )
    .unwrap();
    let output = import(
        &store,
        &[trig.to_str().unwrap(), "--graph", "http://example.org/g0"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        graph_counts(&store),
        "?g\t?n\n<http://example.org/g0>\t1\n<http://example.org/g1>\t2\n<http://example.org/g2>\t1\n"
    );
    // A format the extension does not give must be said with --format.
    let odd = dir.path().join("items.data");
    std::fs::write(&odd, GOOD_NT).unwrap();
    let refused = import(&store, &[odd.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("--format"),
        "{}",
        stderr(&refused)
    );
    let told = import(&store, &[odd.to_str().unwrap(), "--format", "ntriples"]);
    assert!(told.status.success(), "{}", stderr(&told));
}

#[test]
fn a_broken_file_is_reported_with_its_position_and_leaves_the_store_unchanged() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    ok(&["build", "-q", "--store", store.to_str().unwrap()]);
    let before = export_nquads(&store);
    let bad = dir.path().join("bad.nt");
    std::fs::write(&bad, BAD_NT).unwrap();
    let output = import(&store, &[bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{}:3:", bad.display())),
        "no file and line in: {message}"
    );
    assert!(
        message.contains("nothing of this file was imported"),
        "{message}"
    );
    assert_eq!(export_nquads(&store), before);
}

#[test]
fn lenient_import_skips_the_bad_line_and_keeps_the_others() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    let bad = dir.path().join("bad.nt");
    std::fs::write(&bad, BAD_NT).unwrap();
    let output = import(&store, &[bad.to_str().unwrap(), "--lenient"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{}:3:", bad.display())) && message.contains("skipped"),
        "{message}"
    );
    let nquads = export_nquads(&store);
    assert_eq!(nquads.lines().count(), 3, "{nquads}");
    assert!(!nquads.contains("example.org/c"));
}

/// RDF 1.2 triple terms never reach the store, so every export syntax can write all of
/// it: an import with one is refused whole (or the statement skipped with --lenient), and
/// a JSON-LD export of the store afterwards is complete.
#[test]
fn an_rdf_1_2_triple_term_is_refused_at_import() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    let file = dir.path().join("reified.ttl");
    std::fs::write(
        &file,
        "@prefix ex: <http://example.org/> .\n\
         ex:a ex:b ex:c .\n\
         ex:r ex:says <<( ex:a ex:b ex:c )>> .\n\
         ex:d ex:e ex:f .\n",
    )
    .unwrap();
    let refused = import(&store, &[file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let message = stderr(&refused);
    assert!(
        message.contains("reified.ttl")
            && message.contains("statement 2 has the RDF 1.2 triple term")
            && message.contains("nothing of this file was imported"),
        "{message}"
    );
    assert_eq!(export_nquads(&store), "");

    let lenient = import(&store, &[file.to_str().unwrap(), "--lenient"]);
    assert!(lenient.status.success(), "{}", stderr(&lenient));
    let message = stderr(&lenient);
    assert!(
        message.contains("warning: skipped: statement 2 has the RDF 1.2 triple term"),
        "{message}"
    );
    assert_eq!(export_nquads(&store).lines().count(), 2);
    let jsonld = run(&[
        "export",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "jsonld",
    ]);
    assert!(jsonld.status.success(), "{}", stderr(&jsonld));
    let document: serde_json::Value = serde_json::from_slice(&jsonld.stdout).unwrap();
    assert!(
        document.to_string().contains("http://example.org/d"),
        "{document}"
    );
}

#[test]
fn a_second_writer_gets_a_clear_error_and_readers_share_the_store() {
    let (_dir, store, nt) = built_store_and_file();

    // Another process writing: it holds the store's lock exclusively.
    let lock = std::fs::File::options()
        .read(true)
        .write(true)
        .open(store.join("tipkg.lock"))
        .unwrap();
    lock.lock().unwrap();
    for args in [
        vec!["build", "--store", store.to_str().unwrap()],
        vec![
            "import",
            "--store",
            store.to_str().unwrap(),
            nt.to_str().unwrap(),
        ],
        vec!["export", "--store", store.to_str().unwrap()],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains("is in use by another process"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    lock.unlock().unwrap();

    // Another process reading: readers share, a writer waits its turn.
    lock.lock_shared().unwrap();
    assert!(!export_nquads(&store).is_empty());
    let writer = import(&store, &[nt.to_str().unwrap()]);
    assert_eq!(writer.status.code(), Some(2));
    lock.unlock().unwrap();
    let writer = import(&store, &[nt.to_str().unwrap()]);
    assert!(writer.status.success(), "{}", stderr(&writer));
}

#[test]
fn reading_a_missing_store_or_importing_without_one_is_a_clear_error() {
    let dir = temp_dir();
    let missing = dir.path().join("nowhere");
    let output = run(&["export", "--store", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no store at"),
        "{}",
        stderr(&output)
    );
    assert!(!missing.exists(), "a reader must not create a store");
    let output = run(&["import", "x.nt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--store"), "{}", stderr(&output));
}

/// Every file of a directory, as `(relative path, bytes)`, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_generator_is_deterministic_and_its_data_builds() {
    let dir = temp_dir();
    let generate = |name: &str, seed: &str| {
        let out = dir.path().join(name);
        ok(&[
            "generate",
            "--seed",
            seed,
            "--records",
            "200",
            "-o",
            out.to_str().unwrap(),
        ]);
        snapshot(&out)
    };
    let first = generate("a", "7");
    let second = generate("b", "7");
    let other = generate("c", "8");
    assert_eq!(first, second, "same seed, same bytes");
    assert_ne!(first, other, "another seed, other data");
    let generated = first
        .iter()
        .filter(|(name, _)| name.contains("gen-news-"))
        .count();
    assert_eq!(generated, 25, "200 records are 25 news items of 8 records");
    // The generated data passes every check and builds.
    let build = run(&["build", "--data", dir.path().join("a").to_str().unwrap()]);
    assert!(build.status.success(), "{}", stderr(&build));

    // The N-Triples form is the graph of the same data, and deterministic too.
    let nt = |seed: &str| {
        ok(&[
            "generate",
            "--seed",
            seed,
            "--records",
            "200",
            "--format",
            "ntriples",
        ])
    };
    let triples = nt("7");
    assert_eq!(triples, nt("7"));
    let exported = ok(&[
        "export",
        "--data",
        dir.path().join("a").to_str().unwrap(),
        "--format",
        "ntriples",
    ]);
    assert_eq!(triples, exported);
    assert!(
        triples.lines().count() > 200 * 5,
        "{}",
        triples.lines().count()
    );
    // Writing over a non-empty directory is refused.
    let again = run(&["generate", "-o", dir.path().join("a").to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
}
