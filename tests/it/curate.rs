//! Curation tools: the JSON Schemas and field reference of the data files (`data/schema/`),
//! `tipkg new` and `tipkg diff`.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn schema_files_are_current() {
    for (name, text) in tipkg::model::schema::files() {
        expect_file(&format!("data/schema/{name}"), &text);
    }
}

/// Uncomments the skeleton line of `field` in the record that starts at `line` of `path`,
/// with `value`.
fn fill(path: &Path, line: usize, field: &str, value: &str) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let commented = format!("# {field} = ");
    let at = (line - 1..lines.len())
        .find(|&i| lines[i].starts_with(&commented))
        .unwrap_or_else(|| panic!("no `{commented}` after line {line} of {}", path.display()));
    lines[at] = format!("{field} = {value}");
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// The file and line `tipkg new` printed.
fn place(output: &std::process::Output) -> (PathBuf, usize) {
    let out = stdout(output);
    let (path, line) = out.trim().rsplit_once(':').expect("FILE:LINE");
    (PathBuf::from(path), line.parse().unwrap())
}

#[test]
fn a_data_file_with_the_schema_directive_builds() {
    let data = data_copy();
    let text = fs::read_to_string(data.path().join("events.toml")).unwrap();
    assert!(
        text.starts_with("#:schema ./schema/data-file.json\n"),
        "{text}"
    );
    let source = fs::read_to_string(data.path().join("sources/ecpat-about.toml")).unwrap();
    assert!(source.starts_with("#:schema ../schema/source-file.json\n"));
    // A file of the user's, with the directive as taplo reads it, before a comment.
    fs::write(
        data.path().join("extra.toml"),
        "#:schema ./schema/data-file.json\n# More organisations.\n\n[[organisation]]\nid = \"extra-org\"\nsource = \"ecpat-about\"\nkind = \"formal\"\nname = \"Extra\"\n",
    )
    .unwrap();
    ok(&["build", "--data", data.path().to_str().unwrap()]);
}

/// The fields a test fills in, with their values as TOML.
type Fill<'a> = &'a [(&'a str, &'a str)];

#[test]
fn new_records_of_every_kind_build_once_filled_in() {
    let data = data_copy();
    let dir = data.path().to_str().unwrap();
    let cases: &[(&str, &str, Fill)] = &[
        (
            "organisation",
            "test-organisation",
            &[("kind", "\"formal\""), ("name", "\"Test organisation\"")],
        ),
        (
            "event",
            "test-event",
            &[("kind", "\"launch\""), ("name", "\"Test event\"")],
        ),
        (
            "project",
            "test-project",
            &[("kind", "\"project\""), ("name", "\"Test project\"")],
        ),
        (
            "work",
            "test-work",
            &[("kind", "\"report\""), ("title", "\"Test work\"")],
        ),
        (
            "grant",
            "test-grant",
            &[("funder", "\"unicef\""), ("funded", "\"test-project\"")],
        ),
        (
            "observation",
            "test-observation",
            &[
                ("label", "\"Share of children\""),
                ("value", "12.5"),
                ("unit", "\"percent\""),
                ("population", "\"identified-victims-of-trafficking\""),
                ("group", "\"children\""),
            ],
        ),
        (
            "scheme",
            "test-scheme",
            &[("title", "\"Test scheme\""), ("description", "\"Tests.\"")],
        ),
        (
            "concept",
            "test-concept",
            &[("scheme", "\"topic\""), ("label", "\"Test concept\"")],
        ),
        ("country", "ISL", &[]),
        (
            "source",
            "test-source",
            &[
                ("kind", "\"web-page\""),
                ("title", "\"Test page\""),
                ("language", "\"en\""),
            ],
        ),
    ];
    for (kind, id, fields) in cases {
        let mut args = vec!["new", kind, id, "--data", dir];
        if !matches!(*kind, "source" | "country") {
            args.extend(["--source", "ecpat-about"]);
        }
        let output = run(&args);
        assert_eq!(output.status.code(), Some(0), "{kind}: {}", stderr(&output));
        let (path, line) = place(&output);
        let text = fs::read_to_string(&path).unwrap();
        let header = text.lines().nth(line - 1).unwrap();
        assert!(header.contains(kind), "{kind}: line {line} is {header:?}");
        if !fields.is_empty() {
            // Not yet filled in: the checks refuse it, at the new record.
            let output = run(&["build", "--no-validate", "--data", dir]);
            assert_eq!(output.status.code(), Some(2), "{kind} built unfilled");
            let problems = stderr(&output);
            let at = format!("{}:{}:", path.display(), line + 1);
            let at_record = format!("{}:{line}:", path.display());
            assert!(
                problems.contains(&at) || problems.contains(&at_record),
                "{kind}: {problems}"
            );
        }
        for (field, value) in *fields {
            fill(&path, line, field, value);
        }
        let output = run(&["build", "--data", dir]);
        assert_eq!(output.status.code(), Some(0), "{kind}: {}", stderr(&output));
    }
    // The new source file is named after its id and names its schema.
    let source = fs::read_to_string(data.path().join("sources/test-source.toml")).unwrap();
    assert!(
        source.starts_with("#:schema ../schema/source-file.json\n[source]\nid = \"test-source\"\n")
    );
}

#[test]
fn new_refuses_an_id_that_exists() {
    let data = data_copy();
    let dir = data.path().to_str().unwrap();
    let before = fs::read_to_string(data.path().join("organisations.toml")).unwrap();
    let output = run(&[
        "new",
        "organisation",
        "icat",
        "--source",
        "icat-about",
        "--data",
        dir,
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("organisations.toml:"), "{message}");
    assert!(message.contains("already exists"), "{message}");
    // Without --source, any record of the id is a duplicate; another source's is not.
    assert_eq!(
        run(&["new", "organisation", "icat", "--data", dir])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        fs::read_to_string(data.path().join("organisations.toml")).unwrap(),
        before
    );
    ok(&[
        "new",
        "organisation",
        "icat",
        "--source",
        "ecpat-about",
        "--data",
        dir,
    ]);
    let output = run(&["new", "source", "ecpat-about", "--data", dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("sources/ecpat-about.toml:"),
        "{}",
        stderr(&output)
    );
    let output = run(&["new", "source", "../escape", "--data", dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a slug"));
}

/// A copy of the data with known edits: an entity added, a value, a quote and an
/// identifier changed (the other way round: an entity removed).
fn edited() -> (tempfile::TempDir, tempfile::TempDir) {
    let old = data_copy();
    let new = data_copy();
    let path = new.path().join("organisations.toml");
    let mut text = fs::read_to_string(&path).unwrap();
    for (find, replace) in [
        ("founded = \"2007-03\"", "founded = \"2007-04\""),
        ("wikidata = \"Q740308\"", "wikidata = \"Q740309\""),
        (
            "\"the Inter-Agency Coordination Group against Trafficking in Persons (ICAT)\",",
            "\"the Inter-Agency Coordination Group against Trafficking in Persons\",",
        ),
    ] {
        assert_eq!(text.matches(find).count(), 1, "{find}");
        text = text.replace(find, replace);
    }
    text.push_str(
        "\n[[organisation]]\nid = \"new-org\"\nsource = \"ecpat-about\"\nkind = \"formal\"\nname = \"New Org\"\n",
    );
    fs::write(&path, text).unwrap();
    (old, new)
}

#[test]
fn diff_lists_entities_and_facts_by_source() {
    let (old, new) = edited();
    let (old, new) = (old.path().to_str().unwrap(), new.path().to_str().unwrap());
    let output = run(&["diff", old, new]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "1 entity added, 0 removed, 3 changed;",
        "added org/new-org \"New Org\"\n  source ecpat-about:\n",
        "    + schema:name: \"New Org\"@en\n",
        "changed org/icat \"Inter-Agency Coordination Group against Trafficking in Persons\"",
        "  source icat-about:\n    ~ schema:foundingDate: \"2007-03\" → \"2007-04\"\n",
        "~ quote tipkg:evidenceQuote: \"the Inter-Agency Coordination Group against Trafficking in Persons (ICAT)\"@en → \"the Inter-Agency Coordination Group against Trafficking in Persons\"@en",
        "  source wikidata:\n    ~ identifier schema:sameAs: wd:Q740308 → wd:Q740309\n",
        "    + schema:mentions: org/new-org (New Org)\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The other way round, the new entity is removed and every change reversed.
    let text = stdout(&run(&["diff", new, old]));
    assert!(
        text.contains("0 entities added, 1 removed, 3 changed;"),
        "{text}"
    );
    assert!(text.contains("removed org/new-org \"New Org\""), "{text}");
    assert!(text.contains("\"2007-04\" → \"2007-03\""), "{text}");

    let markdown = stdout(&run(&["diff", old, new, "--format", "markdown"]));
    assert!(
        markdown.starts_with("# Changes to the data\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("## Added `org/new-org` New Org\n"),
        "{markdown}"
    );
    assert!(markdown.contains("| `wikidata` | 1 |"), "{markdown}");

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["diff", old, new, "--format", "json"]))).unwrap();
    let entities = json["entities"].as_array().unwrap();
    let icat = entities.iter().find(|e| e["name"] == "org/icat").unwrap();
    assert_eq!(icat["status"], "changed");
    let facts: Vec<&serde_json::Value> = icat["sources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["facts"].as_array().unwrap())
        .collect();
    assert!(
        facts
            .iter()
            .any(|f| f["what"] == "quote" && f["old"].is_string() && f["new"].is_string())
    );
    assert!(
        facts
            .iter()
            .any(|f| f["property"] == "schema:foundingDate" && f["new"] == "\"2007-04\"")
    );
    let added = entities
        .iter()
        .find(|e| e["name"] == "org/new-org")
        .unwrap();
    assert_eq!(added["status"], "added");
    assert_eq!(added["label"], "New Org");
}

#[test]
fn diff_exit_codes_are_those_of_diff() {
    let data = data_copy();
    let dir = data.path().to_str().unwrap();
    let output = run(&["diff", dir, dir]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "no changes\n");
    let output = run(&["diff", dir, "/nonexistent/data"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a git revision"),
        "{}",
        stderr(&output)
    );
    // Broken data is an error, not a change.
    fs::write(
        data.path().join("broken.toml"),
        "[[organisation]]\nid = 3\n",
    )
    .unwrap();
    let copy = data_copy();
    let output = run(&["diff", copy.path().to_str().unwrap(), dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("broken.toml:2:6"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn diff_reads_rdf_files_and_git_revisions() {
    let (old, new) = edited();
    let (old_dir, new_dir) = (old.path().to_str().unwrap(), new.path().to_str().unwrap());
    // An RDF export of each side gives the same changes as the data.
    let files = temp_dir();
    let old_nq = files.path().join("old.nq");
    ok(&[
        "export",
        "--data",
        old_dir,
        "--format",
        "nquads",
        "-o",
        old_nq.to_str().unwrap(),
    ]);
    let from_file = stdout(&run(&["diff", old_nq.to_str().unwrap(), new_dir]));
    assert_eq!(from_file, stdout(&run(&["diff", old_dir, new_dir])));
    // So does an on-disk store built from the old data.
    let store = files.path().join("store");
    let store = store.to_str().unwrap();
    ok(&["build", "--data", old_dir, "--store", store]);
    let output = run(&["diff", store, new_dir]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stdout(&output), from_file);

    // A git repository of its own, with the data committed twice.
    let repo = temp_dir();
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .current_dir(repo.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    git(&["init", "-q"]);
    copy_dir(old.path(), &repo.path().join("data"));
    git(&["add", "-A"]);
    git(&["commit", "-qm", "old"]);
    fs::remove_dir_all(repo.path().join("data")).unwrap();
    copy_dir(new.path(), &repo.path().join("data"));
    git(&["add", "-A"]);
    git(&["commit", "-qm", "new"]);
    let in_repo = |args: &[&str]| {
        tipkg()
            .current_dir(repo.path())
            .args(args)
            .output()
            .expect("tipkg runs")
    };
    let output = in_repo(&["diff", "HEAD~1", "HEAD"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stdout(&output), stdout(&run(&["diff", old_dir, new_dir])));
    // A revision against the working tree's data; and no change between equal revisions.
    let output = in_repo(&["diff", "HEAD~1", "data"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(in_repo(&["diff", "HEAD", "data"]).status.code(), Some(0));
    assert_eq!(
        in_repo(&["diff", "HEAD~1:data", "HEAD~1"]).status.code(),
        Some(0)
    );
}

#[test]
fn the_bundled_data_conforms_to_the_schemas_for_an_independent_validator() {
    let data = data_copy();
    let Some(output) = python_checker("data_schema.py", &[data.path()]) else {
        return;
    };
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(" files checked, 0 problems"),
        "{}",
        stderr(&output)
    );
    // A field no type has, and a value outside a choice, are refused by the schemas too.
    let path = data.path().join("events.toml");
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replacen("kind = \"discussion\"", "kind = \"talk\"\nnme = \"x\"", 1);
    fs::write(&path, text).unwrap();
    let output = python_checker("data_schema.py", &[data.path()]).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let problems = stdout(&output);
    assert!(
        problems.contains("events.toml: event/0/kind: 'talk' is not valid"),
        "{problems}"
    );
    assert!(problems.contains("'nme' was unexpected"), "{problems}");
}
