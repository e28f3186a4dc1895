//! What every test area shares: running the binary, temporary copies of the data, golden
//! files, and the independent checkers of the test environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `tipkg` command with a clean environment for its options.
pub fn tipkg() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tipkg"));
    command.env_remove("TIPKG_DATA");
    command.stdin(Stdio::null());
    command
}

/// Runs `tipkg` with `args` and returns its output.
pub fn run(args: &[&str]) -> Output {
    tipkg().args(args).output().expect("tipkg runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs `tipkg` and expects success; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "tipkg {args:?} failed with {:?}:\n{}",
        output.status.code(),
        stderr(&output)
    );
    stdout(&output)
}

/// A fresh temporary directory.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

/// A temporary copy of the bundled data directory, to break on purpose.
pub fn data_copy() -> tempfile::TempDir {
    let dir = temp_dir();
    copy_dir(&root().join("data"), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Compares `actual` with the golden file at `path` (relative to the repository root);
/// `UPDATE_EXPECT=1` rewrites the file instead, and the git diff is the review.
pub fn expect_file(path: &str, actual: &str) {
    let path = root().join(path);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_EXPECT=1", path.display()));
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        let mut report = String::new();
        for change in diff.iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Delete => report.push_str(&format!("-{change}")),
                similar::ChangeTag::Insert => report.push_str(&format!("+{change}")),
                similar::ChangeTag::Equal => {}
            }
        }
        panic!(
            "{} differs (UPDATE_EXPECT=1 rewrites it):\n{report}",
            path.display()
        );
    }
}

/// Whether tests must fail, rather than skip, when a checker or store is missing: the
/// test command sets these.
pub fn required(variable: &str) -> bool {
    std::env::var(variable).is_ok_and(|v| v == "1")
}

/// Says that the running test is skipped because it `needs` something that is missing.
/// The line goes straight to stderr, past the harness's capture of `eprintln!` (shown only
/// for failing tests), so that a skip is never silent.
pub fn skip(needs: &str) {
    use std::io::Write as _;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "skipped: {test}: needs {needs}");
}

/// The Python of the test environment (rdflib, pySHACL, the oxigraph server), set up by
/// `tests/env/setup.sh`. `None` means skip; with `TIPKG_REQUIRE_CHECKERS=1` it panics.
pub fn python() -> Option<PathBuf> {
    let python = std::env::var_os("TIPKG_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/test-env/venv/bin/python"));
    if python.exists() {
        return Some(python);
    }
    assert!(
        !required("TIPKG_REQUIRE_CHECKERS"),
        "the test environment's Python is missing at {}: run tests/env/setup.sh",
        python.display()
    );
    skip("the test environment's Python (run tests/env/setup.sh)");
    None
}

/// Runs a checker script of `tests/checkers/` with the test environment's Python.
pub fn python_checker(script: &str, args: &[&Path]) -> Option<Output> {
    let python = python()?;
    let output = Command::new(python)
        .arg(root().join("tests/checkers").join(script))
        .args(args)
        .output()
        .expect("python runs");
    Some(output)
}

/// The `node` of the test environment with jsonld.js installed beside it.
pub fn node_modules() -> Option<PathBuf> {
    let dir = root().join("target/test-env/node_modules");
    if dir.join("jsonld").exists() {
        return Some(dir);
    }
    assert!(
        !required("TIPKG_REQUIRE_CHECKERS"),
        "jsonld.js is missing at {}: run tests/env/setup.sh",
        dir.display()
    );
    skip("jsonld.js (run tests/env/setup.sh)");
    None
}

/// One edit of a copy of the data, as the broken-input corpora (`tests/broken/`,
/// `tests/invalid/`) describe it in their `case.toml` files.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub file: String,
    pub find: String,
    pub replace: String,
    /// Replace every occurrence instead of exactly one.
    #[serde(default)]
    pub all: bool,
}

/// Applies `edit` to the file it names under `dir`; `name` is the case, for messages.
pub fn apply(name: &str, dir: &Path, edit: &Edit) {
    let path = dir.join(&edit.file);
    let text = std::fs::read_to_string(&path).unwrap();
    let count = text.matches(&edit.find).count();
    if edit.all {
        assert!(count >= 1, "{name}: `find` does not match in {}", edit.file);
        std::fs::write(&path, text.replace(&edit.find, &edit.replace)).unwrap();
    } else {
        assert_eq!(
            count, 1,
            "{name}: `find` must match exactly once in {}",
            edit.file
        );
        std::fs::write(&path, text.replacen(&edit.find, &edit.replace, 1)).unwrap();
    }
}

/// Runs `tipkg` with `input` on its stdin.
pub fn with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = tipkg()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
