//! Where the data goes: `-o` writes into what it names without replacing what is not a
//! regular file, follows symbolic links, refuses read-only files and keeps modes; stdout
//! and stderr that fail or go away never make a panic; errors say each cause once and name
//! the user's path; a reading command refuses --store with --data.

use crate::support::*;
use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

const EXPORT: [&str; 5] = ["export", "--format", "ntriples", "--graph", "ontology"];

/// The export every test writes, as stdout has it.
fn expected() -> String {
    ok(&EXPORT)
}

fn export_to(path: &Path) -> std::process::Output {
    let mut args = EXPORT.to_vec();
    args.extend(["-o", path.to_str().unwrap()]);
    run(&args)
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// A read-only file `name` in `dir` that holds "keep me".
fn read_only_file(dir: &Path, name: &str) -> std::path::PathBuf {
    let file = dir.join(name);
    fs::write(&file, "keep me\n").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
    file
}

/// The names in `dir`, sorted: no temporary file is left beside the output.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_fifo_is_written_into_not_replaced() {
    let dir = temp_dir();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut reader = Command::new("cat")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let output = export_to(&fifo);
    let still_a_fifo = fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo();
    if !still_a_fifo {
        // The reader waits on a FIFO that no longer has a name.
        reader.kill().unwrap();
    }
    let read = reader.wait_with_output().unwrap();
    assert!(still_a_fifo, "the FIFO was replaced: {}", stderr(&output));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8(read.stdout).unwrap(), expected());
    assert_eq!(names(dir.path()), ["pipe"]);
}

#[test]
fn a_symbolic_link_stays_and_its_target_gets_the_data() {
    let dir = temp_dir();
    fs::create_dir(dir.path().join("real")).unwrap();
    let target = dir.path().join("real/graph.nt");
    fs::write(&target, "old\n").unwrap();
    let link = dir.path().join("graph.nt");
    std::os::unix::fs::symlink("real/graph.nt", &link).unwrap();

    let output = export_to(&link);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real/graph.nt"));
    assert_eq!(fs::read_to_string(&target).unwrap(), expected());
    assert_eq!(names(dir.path()), ["graph.nt", "real"]);
    assert_eq!(names(&dir.path().join("real")), ["graph.nt"]);
}

#[test]
fn a_dangling_symbolic_link_gets_its_target_created() {
    let dir = temp_dir();
    let link = dir.path().join("graph.nt");
    std::os::unix::fs::symlink("made.nt", &link).unwrap();
    let output = export_to(&link);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(
        fs::read_to_string(dir.path().join("made.nt")).unwrap(),
        expected()
    );
}

#[test]
fn a_read_only_file_is_refused_and_left_as_it_was() {
    let dir = temp_dir();
    let file = read_only_file(dir.path(), "graph.nt");
    let output = export_to(&file);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains(file.to_str().unwrap()), "{message}");
    assert!(message.contains("read-only"), "{message}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep me\n");
    assert_eq!(mode(&file), 0o444);
    assert_eq!(names(dir.path()), ["graph.nt"]);
}

#[test]
fn an_overwritten_file_keeps_its_mode() {
    let dir = temp_dir();
    for wanted in [0o644, 0o640, 0o600] {
        let file = dir.path().join("graph.nt");
        fs::write(&file, "old\n").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(wanted)).unwrap();
        let output = export_to(&file);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(mode(&file), wanted, "mode {wanted:o}");
        assert_eq!(fs::read_to_string(&file).unwrap(), expected());
    }
}

#[test]
fn a_new_file_gets_the_permissions_of_the_umask() {
    let dir = temp_dir();
    for (umask, wanted) in [("022", 0o644), ("027", 0o640)] {
        let file = dir.path().join(format!("graph-{umask}.nt"));
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_tipkg"))
            .args(EXPORT)
            .arg("-o")
            .arg(&file)
            .env_remove("TIPKG_DATA")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(mode(&file), wanted, "umask {umask}");
    }
}

#[test]
fn dash_is_stdout() {
    let dir = temp_dir();
    let output = tipkg()
        .current_dir(dir.path())
        .args(["export", "--graph", "ontology", "-o", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), ok(&["export", "--graph", "ontology"]));
    assert!(names(dir.path()).is_empty());
}

#[test]
fn the_descriptor_of_stdout_is_stdout() {
    // /dev/fd is the process's own /proc/PID/fd, where nothing can be created: a write
    // that makes a temporary file beside the path can only fail there.
    let output = run(&[
        "export",
        "--graph",
        "ontology",
        "-o",
        "/dev/fd/1",
        "-f",
        "turtle",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), ok(&["export", "--graph", "ontology"]));
}

#[test]
fn a_missing_directory_is_named() {
    let dir = temp_dir();
    let file = dir.path().join("missing/graph.nt");
    let output = export_to(&file);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains(file.to_str().unwrap()), "{message}");
    assert!(message.contains("does not exist"), "{message}");
}

#[test]
fn every_command_with_an_output_file_writes_it_the_same_way() {
    let dir = temp_dir();
    let read_only = read_only_file(dir.path(), "read-only");
    let path = read_only.to_str().unwrap();
    for args in [
        vec!["validate", "-o", path],
        vec![
            "generate",
            "--records",
            "8",
            "--format",
            "ntriples",
            "-o",
            path,
        ],
        vec!["export", "-o", path, "--format", "turtle"],
    ] {
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("read-only"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(fs::read_to_string(&read_only).unwrap(), "keep me\n");
    }

    let link = dir.path().join("report.txt");
    std::os::unix::fs::symlink("target.txt", &link).unwrap();
    let output = run(&["validate", "-o", link.to_str().unwrap()]);
    assert!(output.status.code() != Some(2), "{}", stderr(&output));
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(dir.path().join("target.txt").exists());
}

/// `/dev/full` as stdout (never as `-o`): every write fails with ENOSPC.
fn to_full_disk(args: &[&str]) -> Option<std::process::Output> {
    let full = fs::OpenOptions::new().write(true).open("/dev/full").ok()?;
    Some(tipkg().args(args).stdout(full).output().unwrap())
}

#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    for args in [
        &["hash"][..],
        &EXPORT[..],
        &["query", "--sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 3"][..],
        &["queries"][..],
    ] {
        let Some(output) = to_full_disk(args) else {
            skip("/dev/full");
            return;
        };
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(!message.contains("panicked"), "{args:?}: {message}");
        assert!(!message.contains("<output>"), "{args:?}: {message}");
        assert_eq!(
            message.matches("No space left on device").count(),
            1,
            "{args:?}: {message}"
        );
        assert!(message.contains("stdout"), "{args:?}: {message}");
    }
}

/// Runs `tipkg` with stdout or stderr a pipe whose reader is gone before anything is
/// written; returns the exit code and stderr.
fn with_closed_pipe(args: &[&str], close_stderr: bool) -> (Option<i32>, String) {
    let mut command = tipkg();
    command.args(args);
    if close_stderr {
        command.stdout(Stdio::null()).stderr(Stdio::piped());
    } else {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    let mut child = command.spawn().unwrap();
    let err = if close_stderr {
        drop(child.stderr.take());
        String::new()
    } else {
        drop(child.stdout.take());
        std::io::read_to_string(child.stderr.take().unwrap()).unwrap()
    };
    (child.wait().unwrap().code(), err)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    for args in [
        &["hash"][..],
        &["export"][..],
        &["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }"][..],
        &["queries"][..],
    ] {
        let (code, err) = with_closed_pipe(args, false);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn a_closed_stderr_does_not_panic() {
    let (code, _) = with_closed_pipe(&["build"], true);
    assert_eq!(code, Some(0));
    // An error message that cannot be shown still gives the exit code.
    let (code, _) = with_closed_pipe(&["query", "--sparql", "SELECT WHERE {"], true);
    assert_eq!(code, Some(2));
}

#[test]
fn store_with_data_on_a_reading_command_is_refused() {
    let dir = temp_dir();
    let store = dir.path().join("store");
    let data = root().join("data");
    for command in [
        &["export"][..],
        &["hash"],
        &["query", "units"],
        &["validate"],
    ] {
        let mut args = command.to_vec();
        args.extend([
            "--store",
            store.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ]);
        let output = run(&args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(
            message.contains("--store") && message.contains("--data"),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn an_error_says_each_cause_once() {
    let dir = temp_dir();
    let missing = dir.path().join("missing.ttl");
    let output = run(&["validate", "--file", missing.to_str().unwrap()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains(missing.to_str().unwrap()), "{message}");
    assert_eq!(
        message.matches("No such file or directory").count(),
        1,
        "{message}"
    );
}

#[test]
fn a_query_syntax_error_does_not_show_the_grammar() {
    let output = run(&["query", "--sparql", "SELECT * WHERE { ?s a foo:Bar }"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("<--sparql>:1:"), "{message}");
    assert!(message.contains("prefix that is not declared"), "{message}");
    assert!(!message.contains("['"), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
}
