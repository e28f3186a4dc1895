//! The README's examples come from the binary: every fenced block after a
//! `<!-- readme-test … -->` comment is produced by running tipkg, like a doc test, and
//! `UPDATE_EXPECT=1` rewrites the blocks (the git diff is the review).
//!
//! - `<!-- readme-test -->`: the block holds `$ tipkg …` lines, each followed by what the
//!   command prints (stdout, then stderr); a block whose last line is `…` shows only the
//!   first lines of the output. A trailing `| cat` only says that stdout is not a terminal.
//! - `<!-- readme-test: excerpt tipkg ARGS -->`: each paragraph of the block (lines up to a
//!   blank line) is a paragraph of the output, found by its first line.
//! - `<!-- readme-test: json tipkg ARGS -->`: the block is the output's JSON-LD with only
//!   some keys: each node of its `@graph` is the output's node of the same `@id`, with the
//!   keys the block keeps (recursively).

use crate::support::*;
use serde_json::{Map, Value};

const MARKER: &str = "<!-- readme-test";

/// Splits a command line as a shell would for the README's commands: words, and single- or
/// double-quoted strings (a `\n` inside quotes stays the two characters, as curl's `-w`
/// reads them). The server's README blocks use it too.
pub fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// Runs a README command (`tipkg …`, maybe `| cat`) from the repository root; stdout and
/// stderr.
fn output_of(command: &str) -> (String, String) {
    let command = command.trim().trim_end_matches("| cat").trim();
    let args = words(command);
    assert_eq!(args[0], "tipkg", "a README command runs tipkg: {command}");
    let output = tipkg()
        .args(&args[1..])
        .current_dir(root())
        .output()
        .expect("tipkg runs");
    // CSV rows end in CRLF, as RFC 4180 says; the README's lines end in LF.
    let lf = |text: String| text.replace("\r\n", "\n");
    (lf(stdout(&output)), lf(stderr(&output)))
}

/// A `$ tipkg …` block, as the commands print it now.
fn commands_block(block: &str) -> String {
    let mut written = String::new();
    let mut lines = block.lines().peekable();
    while let Some(line) = lines.next() {
        let command = line
            .strip_prefix("$ ")
            .unwrap_or_else(|| panic!("a readme-test block starts with `$ tipkg`: {line}"));
        let mut shown = Vec::new();
        while let Some(next) = lines.peek()
            && !next.starts_with("$ ")
        {
            shown.push(*next);
            lines.next();
        }
        let (out, err) = output_of(command);
        let output = out + &err;
        written.push_str(&format!("{line}\n"));
        if shown.last() == Some(&"…") {
            let head: Vec<&str> = output.lines().take(shown.len() - 1).collect();
            for l in head {
                written.push_str(&format!("{l}\n"));
            }
            written.push_str("…\n");
        } else {
            written.push_str(&output);
        }
    }
    written
}

/// The paragraphs of an excerpt block, each replaced by the output's paragraph that starts
/// with the same line: the first such paragraph after the one found for the paragraph
/// before it, else the first of the output.
fn excerpt_block(command: &str, block: &str) -> String {
    let (output, _) = output_of(command);
    let paragraphs: Vec<&str> = output.split("\n\n").collect();
    let mut after = 0;
    block
        .split("\n\n")
        .map(|paragraph| {
            let first = paragraph.lines().next().unwrap_or_default();
            let starts = |p: &&str| p.trim_start_matches('\n').lines().next() == Some(first);
            let at = paragraphs[after..]
                .iter()
                .position(starts)
                .map(|i| after + i)
                .or_else(|| paragraphs.iter().position(starts))
                .unwrap_or_else(|| panic!("`{command}` has no paragraph starting `{first}`"));
            after = at + 1;
            paragraphs[at].trim_matches('\n').to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n"
}

/// `actual` with only the keys of `shown`, recursively (arrays element by element, nodes
/// matched by `@id`).
fn keep_shown(shown: &Value, actual: &Value) -> Value {
    match (shown, actual) {
        (Value::Object(shown), Value::Object(actual)) => {
            let mut kept = Map::new();
            // A key the output no longer has is dropped (and the check fails).
            for (key, value) in shown {
                if let Some(actual_value) = actual.get(key) {
                    kept.insert(key.clone(), keep_shown(value, actual_value));
                }
            }
            Value::Object(kept)
        }
        (Value::Array(shown), Value::Array(actual)) => Value::Array(
            shown
                .iter()
                .map(|item| {
                    // The node of the same `@id`, else (an `@id` written differently now)
                    // the one that shares the most values with it.
                    let shared = |a: &Value| {
                        item.as_object().map_or(0, |item| {
                            item.iter()
                                .filter(|(k, v)| a.get(k.as_str()) == Some(v))
                                .count()
                        })
                    };
                    let same = actual
                        .iter()
                        .find(|a| item.get("@id").is_some() && a.get("@id") == item.get("@id"))
                        .or_else(|| {
                            actual
                                .iter()
                                .filter(|a| shared(a) > 0)
                                .max_by_key(|a| shared(a))
                        })
                        .unwrap_or(&Value::Null);
                    keep_shown(item, same)
                })
                .collect(),
        ),
        _ => actual.clone(),
    }
}

fn json_block(command: &str, block: &str) -> String {
    let shown: Value = serde_json::from_str(block)
        .unwrap_or_else(|e| panic!("the README's JSON for `{command}` parses: {e}"));
    let actual: Value = serde_json::from_str(&output_of(command).0).unwrap();
    let mut kept = keep_shown(&shown, &actual);
    // The document's own keys as they are, the nodes as shown.
    if let (Some(shown_graph), Some(actual_graph)) = (shown.get("@graph"), actual.get("@graph")) {
        kept["@graph"] = keep_shown(shown_graph, actual_graph);
    }
    format!("{}\n", serde_json::to_string_pretty(&kept).unwrap())
}

/// The README with every marked block as the binary writes it now.
fn regenerated(readme: &str) -> String {
    let mut out = String::new();
    let mut rest = readme;
    while let Some(at) = rest.find(MARKER) {
        let marker_end = at + rest[at..].find("-->").expect("a marker ends with -->") + 3;
        let marker = rest[at + MARKER.len()..marker_end - 3].trim();
        let fence = marker_end + rest[marker_end..].find("```").expect("a block follows");
        let body = fence + rest[fence..].find('\n').unwrap() + 1;
        let end = body + rest[body..].find("```").expect("the block ends");
        let block = &rest[body..end];
        let written = match marker.strip_prefix(':').map(str::trim) {
            None => commands_block(block),
            Some(spec) => match spec.split_once(' ') {
                Some(("excerpt", command)) => excerpt_block(command, block),
                Some(("json", command)) => json_block(command, block),
                _ => panic!("unknown readme-test marker: {marker}"),
            },
        };
        out.push_str(&rest[..body]);
        out.push_str(&written);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_readme_examples_are_what_the_binary_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marked = readme.matches(MARKER).count();
    assert!(marked >= 8, "only {marked} README blocks are checked");
    expect_file("README.md", &regenerated(&readme));
}

#[test]
fn commands_split_like_a_shell() {
    assert_eq!(
        words("tipkg query --sparql 'SELECT ?s WHERE { ?s a schema:Event }' --format csv"),
        [
            "tipkg",
            "query",
            "--sparql",
            "SELECT ?s WHERE { ?s a schema:Event }",
            "--format",
            "csv"
        ]
    );
}
