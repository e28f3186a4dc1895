//! Reading a data directory (the bundled one or a user's) into typed records.
//!
//! A data directory holds records in its top-level `*.toml` files and sources in
//! `sources/*.toml`, with the sources' texts beside them; nothing else in it is read, and
//! no other directory is entered. Every file is read into memory first (the data is curated
//! by hand, so it is small), then parsed; a file that does not parse is reported with its
//! position and the others are still read, so that one run shows every problem.

use crate::base::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::base::error::Error;
use crate::model::{DataFile, Source, SourceFile};
use std::fs;
use std::path::{Path, PathBuf};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The bundled query catalogue: `(file name, text)` pairs of `queries/`.
pub fn bundled_queries() -> &'static [(&'static str, &'static str)] {
    bundled::QUERIES
}

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataRoot {
    /// The `data/` directory compiled into the binary.
    Bundled,
    /// A directory of the same layout on disk.
    Dir(PathBuf),
}

/// A file of the data directory, with the name it is reported under.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Path relative to the data directory, with `/` separators.
    pub relative: String,
    /// How messages name the file: the path on disk, or `data/…` for the bundled data.
    pub display: String,
    pub text: String,
}

/// A record and the index of the file it came from.
#[derive(Debug)]
pub struct Located<T> {
    pub file: usize,
    pub record: T,
}

/// All records of a data directory, as parsed, not yet checked.
#[derive(Debug, Default)]
pub struct Parsed {
    pub files: Vec<TextFile>,
    pub data: Vec<Located<DataFile>>,
    pub sources: Vec<Located<Source>>,
    /// Files that failed to parse; checks across files skip what they would have defined.
    pub failed: Vec<usize>,
}

impl Parsed {
    /// The number of records and sources parsed.
    pub fn records(&self) -> usize {
        let data: usize = self
            .data
            .iter()
            .map(|d| {
                let d = &d.record;
                d.organisation.len()
                    + d.event.len()
                    + d.project.len()
                    + d.work.len()
                    + d.grant.len()
                    + d.observation.len()
                    + d.scheme.len()
                    + d.concept.len()
                    + d.country.len()
            })
            .sum();
        data + self.sources.len()
    }

    pub fn file(&self, index: usize) -> &TextFile {
        &self.files[index]
    }

    /// The text of a file beside a source file, by path relative to the data directory.
    pub fn text_of(&self, relative: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.relative == relative)
            .map(|f| f.text.as_str())
    }
}

/// Reads every file of the data directory.
pub fn read(root: &DataRoot) -> Result<Vec<TextFile>, Error> {
    match root {
        DataRoot::Bundled => Ok(bundled::DATA
            .iter()
            .map(|(relative, text)| TextFile {
                relative: (*relative).to_owned(),
                display: format!("data/{relative}"),
                text: (*text).to_owned(),
            })
            .collect()),
        DataRoot::Dir(dir) => {
            if !dir.is_dir() {
                return Err(Error::DataDir {
                    path: dir.clone(),
                    reason: "not a directory".into(),
                });
            }
            let (tomls, others) = layout(dir)?;
            let mut files = Vec::new();
            for path in tomls {
                let bytes = fs::read(&path).map_err(|e| Error::Io {
                    path: path.clone(),
                    source: e,
                })?;
                let text = utf8(&path, bytes)?;
                files.push((path.clone(), text_file(dir, &path, text)));
            }
            for path in others {
                let bytes = fs::read(&path).map_err(|e| Error::Io {
                    path: path.clone(),
                    source: e,
                })?;
                match String::from_utf8(bytes) {
                    Ok(text) => files.push((path.clone(), text_file(dir, &path, text))),
                    // A file that is not text (the PDF a text was taken from, say) may sit
                    // beside the sources, unless a source names it as its text.
                    Err(error) => {
                        let name = path.file_name().unwrap_or_default().to_string_lossy();
                        let quoted = format!("\"{name}\"");
                        let named = files.iter().any(|(_, f)| {
                            f.relative.starts_with("sources/") && f.text.contains(&quoted)
                        });
                        if named {
                            return Err(not_text(&path, &error.into_bytes()));
                        }
                    }
                }
            }
            files.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(files.into_iter().map(|(_, file)| file).collect())
        }
    }
}

fn text_file(dir: &Path, path: &Path, text: String) -> TextFile {
    let relative = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    TextFile {
        relative,
        display: path.display().to_string(),
        text,
    }
}

/// The text of a file that must be UTF-8.
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| not_text(path, e.as_bytes()))
}

/// A file that is not UTF-8 text, with the position of its first bad byte.
fn not_text(path: &Path, bytes: &[u8]) -> Error {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Error::NotText {
        path: path.to_owned(),
        line,
        column,
    }
}

/// The files of a data directory's layout, each list sorted: the `*.toml` files at its top
/// (records) and in `sources/` (sources), and the other files of `sources/` (the sources'
/// texts). Nothing else is read, and no other directory is entered: `--data` given the
/// wrong directory reads little, and finds no records.
fn layout(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Error> {
    let mut tomls = Vec::new();
    let mut others = Vec::new();
    for (path, is_dir) in entries(dir)? {
        if is_dir {
            if path.file_name().is_some_and(|n| n == "sources") {
                for (path, is_dir) in entries(&path)? {
                    if is_dir {
                        continue;
                    }
                    if is_toml(&path) {
                        tomls.push(path);
                    } else {
                        others.push(path);
                    }
                }
            }
        } else if is_toml(&path) {
            tomls.push(path);
        }
    }
    tomls.sort();
    others.sort();
    Ok((tomls, others))
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

/// The entries of a directory that are not hidden, and whether each is a directory
/// (following symbolic links).
fn entries(dir: &Path) -> Result<Vec<(PathBuf, bool)>, Error> {
    let io = |e| Error::Io {
        path: dir.to_owned(),
        source: e,
    };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let is_dir = path.is_dir();
        if is_dir || path.is_file() {
            out.push((path, is_dir));
        }
    }
    Ok(out)
}

/// Parses the TOML files: `sources/*.toml` as sources, other `*.toml` as data files.
/// Other files (source texts) are kept for the checks that read them.
pub fn parse(files: Vec<TextFile>, diagnostics: &mut Diagnostics) -> Parsed {
    let mut parsed = Parsed {
        files,
        ..Parsed::default()
    };
    for (index, file) in parsed.files.iter().enumerate() {
        if !file.relative.ends_with(".toml") {
            continue;
        }
        let is_source = file.relative.starts_with("sources/");
        let result = if is_source {
            toml::from_str::<SourceFile>(&file.text).map(|s| {
                parsed.sources.push(Located {
                    file: index,
                    record: s.source,
                })
            })
        } else {
            toml::from_str::<DataFile>(&file.text).map(|d| {
                parsed.data.push(Located {
                    file: index,
                    record: d,
                })
            })
        };
        if let Err(error) = result {
            parsed.failed.push(index);
            diagnostics.push(toml_diagnostic(file, &error, is_source));
        }
    }
    parsed
}

fn toml_diagnostic(file: &TextFile, error: &toml::de::Error, is_source: bool) -> Diagnostic {
    let message = error.message().trim().replace('\n', " ");
    let mut diagnostic = Diagnostic::error(&file.display, message.clone());
    if let Some(span) = error.span() {
        diagnostic = diagnostic.at(Position::of_offset(&file.text, span.start));
    }
    let help = if message.starts_with("unknown field") {
        Some("remove the field or correct its name to one of those listed".to_owned())
    } else if message.starts_with("missing field") {
        Some("add the field to this record".to_owned())
    } else if message.starts_with("unknown variant") {
        Some("use one of the values listed".to_owned())
    } else if message.starts_with("invalid type") {
        Some("check the value's type: strings are quoted, lists use [ ]".to_owned())
    } else if is_source {
        Some("a source file holds one [source] table".to_owned())
    } else {
        None
    };
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}
