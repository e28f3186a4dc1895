//! Bundles the curated data and the query catalogue into the binary, so that `tipkg`
//! works from any directory: lists every file under `data/` and `queries/` and writes
//! `include_str!` tables of them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut out = String::new();
    for (name, dir) in [("DATA", "data"), ("QUERIES", "queries")] {
        let base = root.join(dir);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut files = Vec::new();
        collect(&base, &mut files);
        // The schemas and field reference of the data files are for editors, not data.
        files.retain(|file| !file.starts_with(base.join("schema")));
        files.sort();
        writeln!(out, "pub const {name}: &[(&str, &str)] = &[").unwrap();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let relative = file
                .strip_prefix(&base)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            writeln!(
                out,
                "    ({relative:?}, include_str!({:?})),",
                file.to_str().unwrap()
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let target = PathBuf::from(env::var("OUT_DIR").unwrap()).join("bundled.rs");
    fs::write(target, out).unwrap();
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
            files.push(path);
        }
    }
}
