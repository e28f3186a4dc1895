//! The command line end to end: help, version, exit codes, outputs and safe writes.

use crate::support::*;

#[test]
fn help_explains_every_command() {
    let help = ok(&["--help"]);
    for command in ["build", "export", "query", "queries"] {
        assert!(
            help.contains(command),
            "--help does not mention {command}:\n{help}"
        );
    }
    let export_help = ok(&["export", "--help"]);
    assert!(export_help.contains("--format"));
    assert!(export_help.contains("atomically"));
}

#[test]
fn version_is_the_crate_version() {
    assert_eq!(
        ok(&["--version"]).trim(),
        format!("tipkg {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn build_summarises_on_stderr_and_prints_nothing_on_stdout() {
    let output = run(&["build"]);
    assert!(output.status.success());
    assert!(stdout(&output).is_empty());
    let summary = stderr(&output);
    assert!(
        summary.contains("graph:icat-2023-06-access-to-justice-for-children"),
        "{summary}"
    );
    assert!(summary.contains("schema:Event"), "{summary}");
}

/// The rows of a borderless table on stderr, first column and last, under `header`.
fn table_rows(text: &str, header: &str) -> Vec<(String, String)> {
    text.lines()
        .skip_while(|line| !line.trim_start().starts_with(header))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split_whitespace().collect();
            (cells[0].to_owned(), cells[cells.len() - 1].to_owned())
        })
        .collect()
}

#[test]
fn build_summarises_as_json_on_stdout_what_the_text_says() {
    let text = run(&["build"]);
    assert!(text.status.success());
    let tables = stderr(&text);
    let json = run(&["build", "--format", "json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    assert!(
        !stderr(&json).contains("named graph"),
        "no table on stderr:\n{}",
        stderr(&json)
    );
    let summary: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let compact = |iri: &serde_json::Value| tipkg::base::vocab::compact(iri.as_str().unwrap());
    let mut graphs: Vec<(String, String)> = summary["graphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (compact(&g["graph"]), g["triples"].to_string()))
        .collect();
    graphs.push(("total".into(), summary["triples"].to_string()));
    assert_eq!(graphs, table_rows(&tables, "named graph"));
    let classes: Vec<(String, String)> = summary["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (compact(&c["class"]), c["entities"].to_string()))
        .collect();
    assert_eq!(classes, table_rows(&tables, "class"));
    assert!(classes.len() > 10, "{classes:?}");
    // The triples of each graph are those the export writes.
    let quads = ok(&["export", "-f", "nquads"]);
    assert_eq!(summary["triples"], quads.lines().count());
    assert_eq!(summary["validation"]["violations"], 0);
    assert_eq!(summary["validation"]["shapes"], "ontology/shapes.ttl");
    assert!(summary["seconds"].as_f64().unwrap() > 0.0);
    assert!(summary["store"].is_null());

    let quiet = run(&["build", "-q", "--no-validate", "--format", "json"]);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    let quiet: serde_json::Value = serde_json::from_str(&stdout(&quiet)).unwrap();
    assert!(quiet["validation"].is_null());
    assert_eq!(quiet["graphs"], summary["graphs"]);

    let dir = temp_dir();
    let store = dir.path().join("kg");
    let store = store.to_str().unwrap();
    ok(&["build", "-q", "--store", store]);
    let again: serde_json::Value =
        serde_json::from_str(&ok(&["build", "-q", "--store", store, "--format", "json"])).unwrap();
    assert_eq!(again["store"]["path"], store);
    assert_eq!(
        again["store"]["replaced"].as_array().unwrap().len(),
        summary["graphs"].as_array().unwrap().len()
    );
    assert_eq!(again["store"]["kept"], serde_json::json!([]));
}

#[test]
fn export_works_from_any_directory() {
    let dir = temp_dir();
    let output = tipkg()
        .current_dir(dir.path())
        .args(["export", "--format", "ntriples"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("<https://w3id.org/tipkg/id/org/unicef>"));
}

#[test]
fn export_to_a_file_writes_the_same_bytes_as_stdout() {
    let dir = temp_dir();
    let file = dir.path().join("graph.ttl");
    let printed = ok(&["export", "--format", "turtle"]);
    ok(&["export", "--format", "turtle", "-o", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn bad_data_exits_2_and_writes_nothing() {
    let data = data_copy();
    let events = data.path().join("events.toml");
    let text = std::fs::read_to_string(&events).unwrap();
    std::fs::write(
        &events,
        text.replace("organiser = \"icat\"", "organiser = \"icatt\""),
    )
    .unwrap();
    let out_dir = temp_dir();
    let file = out_dir.path().join("graph.nq");
    let output = run(&[
        "export",
        "--data",
        data.path().to_str().unwrap(),
        "--format",
        "nquads",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("unknown organisation \"icatt\""));
    assert!(!file.exists());
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 0);
}

#[test]
fn a_missing_data_directory_is_a_clear_error() {
    let output = run(&["build", "--data", "/nonexistent/tipkg-data"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("/nonexistent/tipkg-data"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ask_sets_the_exit_code() {
    let yes = run(&[
        "query",
        "--sparql",
        "ASK { ?s a <http://schema.org/Event> }",
    ]);
    assert_eq!(yes.status.code(), Some(0));
    let no = run(&[
        "query",
        "--sparql",
        "ASK { ?s a <http://schema.org/Nothing> }",
    ]);
    assert_eq!(no.status.code(), Some(1));
}

#[test]
fn a_query_syntax_error_exits_2() {
    let output = run(&["query", "--sparql", "SELECT WHERE {"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("error"), "{}", stderr(&output));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let mut child = tipkg()
        .args(["export", "--format", "ntriples"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        status.code() == Some(0) || status.code().is_none(),
        "{status:?}: {err}"
    );
}

/// The subcommands a user sees (`generate` is hidden).
const COMMANDS: [&str; 12] = [
    "build",
    "export",
    "hash",
    "query",
    "queries",
    "show",
    "validate",
    "push",
    "pull",
    "import",
    "completions",
    "man",
];

#[test]
fn every_command_has_examples_in_its_help() {
    for command in COMMANDS {
        for help in [ok(&["help", command]), ok(&[command, "-h"])] {
            let examples = help
                .split_once("\nExamples:\n")
                .unwrap_or_else(|| panic!("no examples in tipkg {command}'s help:\n{help}"))
                .1;
            assert!(
                examples.contains(&format!("tipkg {command}")),
                "tipkg {command}'s examples do not run it:\n{examples}"
            );
        }
    }
}

#[test]
fn completions_cover_every_command_and_every_shell() {
    let bash = ok(&["completions", "bash"]);
    for command in COMMANDS {
        assert!(bash.contains(command), "no {command} in:\n{bash}");
    }
    assert!(!bash.contains("generate"), "the hidden command is offered");
    let dir = temp_dir();
    let script = dir.path().join("tipkg.bash");
    std::fs::write(&script, &bash).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stderr(&check));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        assert!(
            ok(&["completions", shell]).contains("tipkg"),
            "{shell} completions"
        );
    }
    let error = error_of(&run(&["completions", "tcsh"]));
    assert!(error.contains("bash"), "{error}");
}

#[test]
fn the_man_page_is_roff_and_names_every_command() {
    let page = ok(&["man"]);
    // Only the string definitions roff needs for quotes come before the title.
    let title = page
        .lines()
        .find(|line| !line.starts_with(".ie ") && !line.starts_with(".el "))
        .unwrap();
    assert!(title.starts_with(".TH tipkg 1"), "{page}");
    for command in COMMANDS {
        assert!(
            page.contains(&format!("tipkg\\-{command}(1)")),
            "no {command} in the man page:\n{page}"
        );
        let own = ok(&["man", command]);
        assert!(
            own.contains(&format!(
                ".TH tipkg-{command} 1  \"tipkg {}\"",
                env!("CARGO_PKG_VERSION")
            )),
            "{own}"
        );
    }
    assert!(
        !page.contains("generate"),
        "the hidden command is in the man page"
    );
    assert!(
        ok(&["man", "build"]).contains("TIPKG_DATA"),
        "global options"
    );
    error_of(&run(&["man", "nothing"]));
}

/// The stderr of a run that failed as an error does, with exit code 2.
fn error_of(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(2), "{}", stderr(output));
    stderr(output)
}

#[test]
fn import_reads_stdin_for_a_dash() {
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let store = store.to_str().unwrap();
    let triple = "<http://example.org/a> <http://example.org/p> \"one\" .\n";
    let output = with_stdin(
        &["import", "--store", store, "--format", "ntriples", "-"],
        triple,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let counts = ok(&[
        "query",
        "--store",
        store,
        "--format",
        "tsv",
        "--sparql",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ]);
    assert_eq!(counts, "?g\t?n\n<https://w3id.org/tipkg/import/stdin>\t1\n");

    let no_format = with_stdin(&["import", "--store", store, "-"], triple);
    let error = error_of(&no_format);
    assert!(error.contains("--format"), "{error}");
    let twice = with_stdin(
        &["import", "--store", store, "-f", "turtle", "-", "-"],
        triple,
    );
    let error = error_of(&twice);
    assert!(error.contains("once"), "{error}");
}

#[test]
fn validate_reads_stdin_for_a_dash() {
    let ntriples = ok(&["export", "--format", "ntriples"]);
    let good = with_stdin(&["validate", "--file", "-", "--format", "json"], &ntriples);
    assert_eq!(good.status.code(), Some(0), "{}", stderr(&good));
    let on_disk = temp_dir();
    let file = on_disk.path().join("graph.ttl");
    std::fs::write(&file, &ntriples).unwrap();
    assert_eq!(
        stdout(&good),
        ok(&[
            "validate",
            "--file",
            file.to_str().unwrap(),
            "--format",
            "json"
        ])
    );

    // Findings and errors name stdin, not where it was kept meanwhile.
    let nameless: String = ntriples
        .lines()
        .filter(|l| !(l.starts_with("<https://w3id.org/tipkg/id/country/") && l.contains("/name>")))
        .map(|l| format!("{l}\n"))
        .collect();
    let bad = with_stdin(
        &["validate", "--file", "-", "--stdin-format", "ntriples"],
        &nameless,
    );
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert!(stdout(&bad).contains("at: stdin:"), "{}", stdout(&bad));
    let broken = with_stdin(&["validate", "--file", "-"], "bad <");
    let error = error_of(&broken);
    assert!(error.starts_with("error: stdin:"), "{error}");
}

#[test]
fn query_output_takes_its_format_from_the_extension() {
    let dir = temp_dir();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let query = "countries-by-region";
    for (name, format) in [
        ("a.csv", "csv"),
        ("a.tsv", "tsv"),
        ("a.json", "json"),
        ("a.srj", "json"),
        ("a.xml", "xml"),
        ("a.srx", "xml"),
    ] {
        let printed = ok(&["query", query, "--format", format]);
        assert!(ok(&["query", query, "-o", &path(name)]).is_empty());
        assert_eq!(
            std::fs::read_to_string(path(name)).unwrap(),
            printed,
            "{name}"
        );
    }
    let graph = "CONSTRUCT { ?s a ?o } WHERE { ?s a ?o }";
    for (name, format) in [
        ("g.ttl", "turtle"),
        ("g.nt", "ntriples"),
        ("g.nq", "nquads"),
        ("g.trig", "trig"),
    ] {
        let printed = ok(&["query", "--sparql", graph, "--format", format]);
        ok(&["query", "--sparql", graph, "-o", &path(name)]);
        assert_eq!(
            std::fs::read_to_string(path(name)).unwrap(),
            printed,
            "{name}"
        );
    }
    // --format wins over the extension; `-` is stdout.
    ok(&["query", query, "--format", "csv", "-o", &path("b.json")]);
    assert_eq!(
        std::fs::read_to_string(path("b.json")).unwrap(),
        ok(&["query", query, "--format", "csv"])
    );
    assert_eq!(ok(&["query", query, "-o", "-"]), ok(&["query", query]));

    let files = std::fs::read_dir(dir.path()).unwrap().count();
    for (args, expected) in [
        (vec!["query", query, "-o", &path("a.txt")], "--format"),
        (
            vec!["query", "--sparql", graph, "-o", &path("g.csv")],
            ".ttl",
        ),
        (
            vec!["query", "--sparql", "ASK {}", "-o", &path("g.nt")],
            ".csv",
        ),
    ] {
        let error = error_of(&run(&args));
        assert!(error.contains(expected), "{error}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        files,
        "nothing written"
    );
}

/// Runs `tipkg` with its stdout on a pseudo-terminal that reports a width of 0 (one that
/// was never sized, as under some CI runners), through util-linux `script`.
fn on_a_terminal_of_width_0(args: &str) -> String {
    let command = format!("stty cols 0 rows 0; {} {args}", env!("CARGO_BIN_EXE_tipkg"));
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("TIPKG_DATA")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("this test needs `script` (util-linux) to make a pseudo-terminal");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn tables_stay_readable_on_a_terminal_of_width_0() {
    let answer = on_a_terminal_of_width_0("query countries-by-region");
    assert!(answer.contains("┆ \"Eastern Africa\"@en"), "{answer}");
    let catalogue = on_a_terminal_of_width_0("queries");
    assert!(
        catalogue
            .lines()
            .any(|l| l.starts_with("countries-by-project ")),
        "{catalogue}"
    );
}
