//! The on-disk store's safety: what an import may write, what a build replaces, which data
//! directories are read, and the state a build or a killed import leaves on disk.

use crate::scale::{export_nquads, graph_counts, sorted_lines};
use crate::support::{arg, data_copy, generated, ok, run, stderr, temp_dir};
use std::path::Path;
use std::time::{Duration, Instant};

/// The store's N-Quads, sorted: equal when the store holds the same graph.
fn content(store: &Path) -> Vec<String> {
    sorted_lines(&export_nquads(store))
}

fn built_store(dir: &Path) -> std::path::PathBuf {
    let store = dir.join("kg");
    ok(&["build", "-q", "--no-validate", "--store", arg(&store)]);
    store
}

fn triples(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| format!("<http://example.org/{tag}{i}> <http://example.org/p> \"{i}\" .\n"))
        .collect()
}

#[test]
fn import_refuses_the_graphs_that_build_owns() {
    let dir = temp_dir();
    let store = built_store(dir.path());
    let before = content(&store);
    let nt = dir.path().join("extra.nt");
    std::fs::write(&nt, triples(3, "a")).unwrap();
    let output = run(&[
        "import",
        "--store",
        arg(&store),
        arg(&nt),
        "--graph",
        "https://w3id.org/tipkg/graph/icat-about",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("written by `tipkg build`"),
        "{}",
        stderr(&output)
    );
    // Refused before anything is opened: no store is created for it.
    let new = dir.path().join("new");
    let output = run(&[
        "import",
        "--store",
        arg(&new),
        arg(&nt),
        "--graph",
        "https://w3id.org/tipkg/graph/mine",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!new.exists());
    // A dataset file whose own named graphs are under the build's namespace.
    let nq = dir.path().join("sneaky.nq");
    std::fs::write(
        &nq,
        "<http://example.org/a> <http://example.org/p> \"x\" <http://example.org/g> .\n\
         <http://example.org/a> <http://example.org/p> \"y\" <https://w3id.org/tipkg/graph/icat-about> .\n",
    )
    .unwrap();
    let output = run(&["import", "--store", arg(&store), arg(&nq)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("sneaky.nq")
            && message.contains("https://w3id.org/tipkg/graph/icat-about")
            && message.contains("nothing of this file was imported"),
        "{message}"
    );
    assert_eq!(content(&store), before, "the store changed");
}

#[test]
fn a_data_directory_without_records_is_an_error_and_the_store_is_unchanged() {
    let dir = temp_dir();
    let store = built_store(dir.path());
    let before = content(&store);
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    // The wrong directory: no records at its top or in sources/, and deeper directories
    // (here with a file that does not parse) are not entered.
    let wrong = dir.path().join("wrong");
    std::fs::create_dir_all(wrong.join("deep/er")).unwrap();
    std::fs::write(wrong.join("deep/er/broken.toml"), "this is = = not toml").unwrap();
    std::fs::write(wrong.join("notes.txt"), "notes").unwrap();
    std::fs::write(wrong.join("empty.toml"), "# nothing here\n").unwrap();
    for data in [&empty, &wrong] {
        let output = run(&["build", "--data", arg(data), "--store", arg(&store)]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let message = stderr(&output);
        assert!(
            message.contains("no records") && message.contains(arg(data)),
            "{message}"
        );
        assert!(!message.contains("broken.toml"), "{message}");
        assert_eq!(content(&store), before, "the store changed");
    }
}

#[test]
fn importing_a_changed_file_again_replaces_its_graph() {
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let nt = dir.path().join("items.nt");
    let other = dir.path().join("more.nt");
    let iri = "http://example.org/items";
    let import = |files: &[&Path], extra: &[&str]| {
        let mut args = vec!["import", "--store", arg(&store), "--graph", iri];
        args.extend(files.iter().map(|f| arg(f)));
        args.extend_from_slice(extra);
        run(&args)
    };
    let holds = |n: usize| {
        assert_eq!(
            graph_counts(&store),
            format!("?g\t?n\n<{iri}>\t{n}\n"),
            "the graph should hold {n} triples"
        )
    };
    std::fs::write(&nt, triples(4, "a")).unwrap();
    assert!(import(&[&nt], &[]).status.success());
    holds(4);
    std::fs::write(&nt, triples(2, "b")).unwrap();
    let output = import(&[&nt], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("replaced the earlier content of 1 graph(s)"),
        "{}",
        stderr(&output)
    );
    holds(2);
    // --append adds to it.
    std::fs::write(&nt, triples(3, "c")).unwrap();
    assert!(import(&[&nt], &["--append"]).status.success());
    holds(5);
    // Files of one import that write the same graph add to each other, and replace what
    // the graph held before.
    std::fs::write(&other, triples(6, "d")).unwrap();
    assert!(import(&[&nt, &other], &[]).status.success());
    holds(9);
    // A file that does not parse replaces nothing.
    std::fs::write(&nt, "<http://example.org/broken\n").unwrap();
    assert_eq!(import(&[&nt], &[]).status.code(), Some(2));
    holds(9);
}

#[test]
fn an_imported_file_is_named_after_its_file_name_not_its_local_path() {
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let gz = dir.path().join("news items.nt.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    std::io::Write::write_all(&mut encoder, triples(2, "a").as_bytes()).unwrap();
    encoder.finish().unwrap();
    let output = run(&["import", "--store", arg(&store), arg(&gz)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        graph_counts(&store),
        "?g\t?n\n<https://w3id.org/tipkg/import/news%20items.nt>\t2\n"
    );
    let nquads = content(&store).join("\n");
    assert!(!nquads.contains("file:"), "{nquads}");
    assert!(
        !nquads.contains(dir.path().to_str().unwrap()),
        "a local path is in the store: {nquads}"
    );
    let help = ok(&["import", "--help"]);
    assert!(help.contains("https://w3id.org/tipkg/import/"), "{help}");
}

#[test]
fn a_graph_iri_with_non_ascii_characters_does_not_break_later_builds() {
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let nt = dir.path().join("extra.nt");
    std::fs::write(&nt, triples(2, "a")).unwrap();
    // The `é` of the second one straddles the length of the tipkg graph namespace.
    for graph in ["http://example.org/aé", "http://example.org/abcdefghié"] {
        ok(&[
            "import",
            "-q",
            "--store",
            arg(&store),
            arg(&nt),
            "--graph",
            graph,
        ]);
    }
    for _ in 0..2 {
        let output = run(&["build", "-q", "--no-validate", "--store", arg(&store)]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    // The description, written with the graphs, names both.
    let subsets = ok(&[
        "query",
        "--store",
        arg(&store),
        "--sparql",
        "SELECT ?g WHERE { GRAPH <https://w3id.org/tipkg/graph/dataset> { ?d <http://rdfs.org/ns/void#subset> ?g FILTER(STRSTARTS(STR(?g), \"http://example.org/\")) } } ORDER BY ?g",
    ]);
    assert_eq!(
        subsets,
        "?g\n<http://example.org/abcdefghié>\n<http://example.org/aé>\n"
    );
}

/// The size of the newest RocksDB write-ahead log of a store directory: the one a reader
/// replays on opening (RocksDB keeps older ones, already flushed, to recycle them).
fn live_wal_bytes(store: &Path) -> u64 {
    std::fs::read_dir(store)
        .unwrap()
        .map(|e| e.unwrap())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let number: u64 = name.strip_suffix(".log")?.parse().ok()?;
            Some((number, e.metadata().unwrap().len()))
        })
        .max()
        .map_or(0, |(_, bytes)| bytes)
}

#[test]
fn a_built_store_keeps_no_write_ahead_log_to_replay() {
    let dir = temp_dir();
    let data = generated(dir.path(), "3", "400");
    let store = dir.path().join("kg");
    ok(&[
        "build",
        "-q",
        "--no-validate",
        "--data",
        arg(&data),
        "--store",
        arg(&store),
    ]);
    // Unflushed, the build's data would be in the log (megabytes), replayed on every
    // opening.
    let wal = live_wal_bytes(&store);
    assert!(wal < 64 * 1024, "{wal} bytes of write-ahead log");
    let started = Instant::now();
    let ask = run(&["query", "--store", arg(&store), "--sparql", "ASK {}"]);
    assert_eq!(ask.status.code(), Some(0), "{}", stderr(&ask));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_writer_removes_the_bulk_files_that_a_killed_import_left() {
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let nt = dir.path().join("extra.nt");
    std::fs::write(&nt, triples(2, "a")).unwrap();
    ok(&["import", "-q", "--store", arg(&store), arg(&nt)]);
    let stale = store.join("bulk-123456789.sst");
    let foreign = store.join("bulk-notes.sst");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    std::fs::write(&foreign, "not ours").unwrap();
    // A reader leaves them alone; the next writer removes the loader's own files only.
    ok(&["export", "--store", arg(&store), "--format", "nquads"]);
    assert!(stale.exists());
    ok(&["import", "-q", "--store", arg(&store), arg(&nt)]);
    assert!(!stale.exists(), "the stale bulk file is still there");
    assert!(
        foreign.exists(),
        "a file that is not the loader's was removed"
    );
    assert_eq!(content(&store).len(), 2);
}

#[test]
fn files_outside_the_data_layout_are_ignored_and_a_source_text_must_be_utf8() {
    let data = data_copy();
    let binary = [b'%', b'P', b'D', b'F', 0xff, 0xfe, 0x00, 0x81];
    // A PDF beside the records and beside the sources, named by no source: ignored.
    std::fs::write(data.path().join("scan.pdf"), binary).unwrap();
    std::fs::write(data.path().join("sources/original.pdf"), binary).unwrap();
    let output = run(&["build", "-q", "--no-validate", "--data", arg(data.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    // A source's text that is not UTF-8: the file, the position, what is wrong.
    let text = data
        .path()
        .join("sources/icat-2023-06-access-to-justice-for-children.txt");
    let mut bytes = b"ICAT holds\na discussion \xff".to_vec();
    bytes.extend_from_slice(&std::fs::read(&text).unwrap());
    std::fs::write(&text, bytes).unwrap();
    let output = run(&["build", "--no-validate", "--data", arg(data.path())]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{}:2:14: not UTF-8 text", text.display())),
        "{message}"
    );
    // A data file that is not UTF-8.
    std::fs::write(&text, "restored").unwrap();
    std::fs::write(data.path().join("extra.toml"), binary).unwrap();
    let output = run(&["validate", "--data", arg(data.path())]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("extra.toml:1:5: not UTF-8 text"),
        "{}",
        stderr(&output)
    );
}
