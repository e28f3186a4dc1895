//! The library's layers: `ARCHITECTURE.md` lists them in order, and no module may use a
//! layer listed after its own. A `crate::` path (or a `super::` path that climbs to the
//! crate root) is what counts; comments do not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MARKER: &str = "<!-- layers:";

/// The layers in the order ARCHITECTURE.md lists them.
fn layers(architecture: &str) -> Vec<String> {
    let after = architecture
        .split_once(MARKER)
        .expect("ARCHITECTURE.md marks its list of layers")
        .1;
    let mut layers = Vec::new();
    for line in after.lines().skip(1) {
        let Some((number, rest)) = line.split_once(". `") else {
            if line.starts_with(' ') {
                continue;
            }
            break;
        };
        assert!(number.chars().all(|c| c.is_ascii_digit()), "{line}");
        layers.push(rest.split('`').next().unwrap().to_owned());
    }
    layers
}

/// The layers a file's code names: (line, layer) for each `crate::layer` or root-climbing
/// `super::layer`.
fn uses(text: &str, depth: usize) -> Vec<(usize, String)> {
    let root_super = "super::".repeat(depth);
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let code = code.split(" //").next().unwrap();
        let mut prefixes = vec!["crate::".to_owned()];
        if depth > 0 {
            prefixes.push(root_super.clone());
        }
        for prefix in &prefixes {
            for (at, _) in code.match_indices(prefix.as_str()) {
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let name: String = code[at + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "super" {
                    found.push((i + 1, name));
                }
            }
        }
    }
    found
}

/// Every use of a later layer, as `file:line: message`.
fn violations(layers: &[String], files: &[(PathBuf, String)]) -> Vec<String> {
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let mut problems = Vec::new();
    for (path, text) in files {
        let mut parts = path.components().map(|c| c.as_os_str().to_string_lossy());
        let layer = parts.next().unwrap().into_owned();
        let Some(&own) = rank.get(layer.as_str()) else {
            problems.push(format!(
                "src/{}: folder `{layer}` is not a layer listed in ARCHITECTURE.md",
                path.display()
            ));
            continue;
        };
        // A folder's mod.rs is one level below the crate root, any other file two.
        let depth = if path.ends_with("mod.rs") {
            path.components().count() - 1
        } else {
            path.components().count()
        };
        for (line, used) in uses(text, depth) {
            match rank.get(used.as_str()) {
                Some(&theirs) if theirs > own => problems.push(format!(
                    "src/{}:{line}: layer `{layer}` uses `{used}`, a later layer",
                    path.display()
                )),
                Some(_) => {}
                // `crate::Error` and the like: re-exports of `base`.
                None => {}
            }
        }
    }
    problems
}

fn rust_files(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.strip_prefix(base).unwrap().to_owned(), text));
        }
    }
}

#[test]
fn no_layer_uses_a_later_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let layers = layers(&architecture);
    let src = root.join("src");
    let mut folders: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "cli")
        .collect();
    folders.sort();
    let mut listed = layers.clone();
    listed.sort();
    assert_eq!(
        folders, listed,
        "the folders of src/ (but the binary's cli/) are the layers ARCHITECTURE.md lists"
    );
    let mut files = Vec::new();
    for layer in &layers {
        rust_files(&src.join(layer), &src, &mut files);
    }
    files.sort();
    let problems = violations(&layers, &files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_upward_use_is_found() {
    let layers: Vec<String> = ["base", "store", "query"].map(String::from).into();
    let files = vec![
        (
            PathBuf::from("store/mod.rs"),
            "use crate::base::iri;\n// crate::query in a comment\nuse super::query::Answer;\n"
                .to_owned(),
        ),
        (
            PathBuf::from("store/disk.rs"),
            "fn f() { crate::query::run(); super::helper(); }\n".to_owned(),
        ),
        (
            PathBuf::from("query/mod.rs"),
            "use crate::store;\n".to_owned(),
        ),
    ];
    assert_eq!(
        violations(&layers, &files),
        [
            "src/store/mod.rs:3: layer `store` uses `query`, a later layer",
            "src/store/disk.rs:1: layer `store` uses `query`, a later layer",
        ]
    );
}

#[test]
fn the_listed_layers_are_read() {
    let text = "x\n<!-- layers: y -->\n1. `base`: a\n   more\n2. `net`: b\n\nafter\n3. `no`\n";
    assert_eq!(layers(text), ["base", "net"]);
}

/// The library speaks no command line: argument parsing (clap) and progress bars
/// (indicatif) belong to the binary; the library names its values (`base::named`) and
/// reports progress through `base::progress::Progress`.
#[test]
fn the_library_uses_no_command_line_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut files = Vec::new();
    for layer in layers(&architecture) {
        rust_files(&src.join(layer), &src, &mut files);
    }
    files.push((
        PathBuf::from("lib.rs"),
        std::fs::read_to_string(src.join("lib.rs")).unwrap(),
    ));
    let mut problems = Vec::new();
    for (path, text) in &files {
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for name in ["clap", "indicatif"] {
                if code.contains(&format!("{name}::")) {
                    problems.push(format!("src/{}:{}: uses {name}", path.display(), i + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
