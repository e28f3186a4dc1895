//! Reading a data directory (the bundled one or a user's) into typed records.
//!
//! Every file is read into memory first (the data is curated by hand, so it is small), then
//! parsed; a file that does not parse is reported with its position and the others are
//! still read, so that one run shows every problem.

use crate::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::error::Error;
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
            let mut paths = Vec::new();
            walk(dir, &mut paths)?;
            paths.sort();
            paths
                .into_iter()
                .map(|path| {
                    let text = fs::read_to_string(&path).map_err(|e| Error::Io {
                        path: path.clone(),
                        source: e,
                    })?;
                    let relative = path
                        .strip_prefix(dir)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    Ok(TextFile {
                        relative,
                        display: path.display().to_string(),
                        text,
                    })
                })
                .collect()
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = fs::read_dir(dir).map_err(|e| Error::Io {
        path: dir.to_owned(),
        source: e,
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::Io {
            path: dir.to_owned(),
            source: e,
        })?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
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
