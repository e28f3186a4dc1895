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
