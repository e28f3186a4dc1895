//! Broken inputs: each folder of `tests/broken/` holds a `case.toml` naming one edit of a
//! copy of the bundled data, and `expected.txt`, the exact messages `tipkg build` must give.
//! Adding a case means adding a folder.

use crate::support::*;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case breaks, for the reader.
    #[allow(dead_code)]
    description: String,
    #[serde(rename = "edit")]
    edits: Vec<Edit>,
}

#[test]
fn every_broken_case_gives_its_expected_messages() {
    let cases_dir = root().join("tests/broken");
    let mut cases: Vec<_> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "expected at least 10 broken cases");
    for case_dir in cases {
        let name = case_dir.file_name().unwrap().to_str().unwrap().to_owned();
        let case: Case =
            toml::from_str(&std::fs::read_to_string(case_dir.join("case.toml")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        let data = data_copy();
        for edit in &case.edits {
            apply(&name, data.path(), edit);
        }
        let output = run(&["build", "--data", data.path().to_str().unwrap()]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name}: exit code; stderr:\n{}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{name}: stdout must stay empty");
        let messages = stderr(&output).replace(&format!("{}/", data.path().display()), "data/");
        assert!(!messages.contains("panicked"), "{name}: {messages}");
        expect_file(&format!("tests/broken/{name}/expected.txt"), &messages);
    }
}
