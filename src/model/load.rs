//! Reading a data directory (the bundled one or a user's) into typed records.
//!
//! A data directory holds records in its top-level `*.toml` files and sources in
//! `sources/*.toml`, with the sources' texts beside them; nothing else in it is read, and
//! no other directory is entered. Every file is read into memory first (the data is curated
//! by hand, so it is small), then parsed; a file that does not parse is reported with its
//! position and the others are still read, so that one run shows every problem. Records
//! are read one by one (`structure`), so that every structural problem of every record is
//! reported too, and the sound records of a file with a broken one are still checked.

use crate::base::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::base::error::Error;
use crate::base::parallel;
use crate::model::structure::{self, Problem};
use crate::model::{Place, Record, Source, Visit, each_kind, tables};
use serde::Deserialize;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

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

/// The records of every kind, each kind's in file order.
#[derive(Default)]
struct Records {
    by_kind: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    count: usize,
}

impl Records {
    fn of<K: Record>(&self) -> &[Located<K>] {
        self.by_kind
            .get(&TypeId::of::<K>())
            .and_then(|records| records.downcast_ref::<Vec<Located<K>>>())
            .map_or(&[], Vec::as_slice)
    }

    fn push<K: Record>(&mut self, record: Located<K>) {
        self.of_mut::<K>().push(record);
        self.count += 1;
    }

    fn of_mut<K: Record>(&mut self) -> &mut Vec<Located<K>> {
        self.by_kind
            .entry(TypeId::of::<K>())
            .or_insert_with(|| Box::new(Vec::<Located<K>>::new()))
            .downcast_mut::<Vec<Located<K>>>()
            .expect("each kind's records are stored under its own type")
    }

    /// Moves the records of `later` (of files after all of this one's) to the end of each
    /// kind's list, so that each kind stays in file order.
    fn append(&mut self, mut later: Records) {
        struct Append<'a>(&'a mut Records, &'a mut Records);
        impl<K: Record> Visit<K> for Append<'_> {
            fn visit(&mut self) {
                if let Some(records) = self.1.by_kind.remove(&TypeId::of::<K>())
                    && let Ok(mut records) = records.downcast::<Vec<Located<K>>>()
                {
                    self.0.of_mut::<K>().append(&mut records);
                }
            }
        }
        self.count += later.count;
        each_kind(&mut Append(self, &mut later));
    }
}

impl fmt::Debug for Records {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Records({})", self.count)
    }
}

/// All records of a data directory, as parsed, not yet checked.
#[derive(Debug, Default)]
pub struct Parsed {
    pub files: Vec<TextFile>,
    records: Records,
    /// Files with a problem of syntax or structure: checks across files skip what they
    /// would have defined.
    pub failed: Vec<usize>,
}

impl Parsed {
    /// The records of one kind, in file order.
    pub fn records<K: Record>(&self) -> &[Located<K>] {
        self.records.of::<K>()
    }

    /// The records of one kind in one file, in order.
    pub fn records_in<K: Record>(&self, file: usize) -> &[Located<K>] {
        let all = self.records::<K>();
        let start = all.partition_point(|r| r.file < file);
        let end = all.partition_point(|r| r.file <= file);
        &all[start..end]
    }

    /// The number of records of every kind, sources included.
    pub fn record_count(&self) -> usize {
        self.records.count
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
/// Other files (source texts) are kept for the checks that read them. Files are parsed on
/// as many threads as there are cores, each file whole on one; their records and problems
/// are gathered in file order.
pub fn parse(files: Vec<TextFile>, diagnostics: &mut Diagnostics) -> Parsed {
    let tomls: Vec<(usize, &TextFile)> = (files.iter().enumerate())
        .filter(|(_, file)| file.relative.ends_with(".toml"))
        .collect();
    let mut records = Records::default();
    let mut failed = Vec::new();
    parallel::in_order(
        &tomls,
        |&(index, file)| {
            let mut records = Records::default();
            let problems = parse_file(index, file, place_of(file), &mut records);
            (index, records, problems)
        },
        |(index, file_records, problems)| {
            records.append(file_records);
            if !problems.is_empty() {
                failed.push(index);
            }
            let file = &files[index];
            for problem in problems {
                diagnostics.push(toml_diagnostic(file, &problem, place_of(file)));
            }
        },
    );
    Parsed {
        files,
        records,
        failed,
    }
}

fn place_of(file: &TextFile) -> Place {
    if file.relative.starts_with("sources/") {
        Place::SourceFile
    } else {
        Place::DataFile
    }
}

/// Reads the records of one file into `records`; the problems that kept some out.
fn parse_file(index: usize, file: &TextFile, place: Place, records: &mut Records) -> Vec<Problem> {
    let root = match DeTable::parse(&file.text) {
        Ok(root) => root,
        Err(error) => return vec![error.into()],
    };
    let root_span = root.span();
    let mut loader = Loader {
        file: index,
        end: file.text.len(),
        place,
        table: None,
        records,
        problems: Vec::new(),
    };
    let mut found = Vec::new();
    for (key, value) in root.into_inner() {
        loader.table = Some((key.get_ref().to_string(), value));
        each_kind(&mut loader);
        match loader.table.take() {
            Some((name, _)) => loader
                .problems
                .push(unknown_table(&name, key.span(), place)),
            None => found.push(key.get_ref().to_string()),
        }
    }
    if place == Place::SourceFile && found.is_empty() {
        loader.problems.push(Problem {
            message: format!("missing field `{}`", Source::TABLE),
            span: Some(root_span),
        });
    }
    loader.problems
}

/// Reads one top-level table of a file into records of the kind it names.
struct Loader<'i, 'r> {
    file: usize,
    end: usize,
    place: Place,
    /// The table to read, until the kind of its name takes it.
    table: Option<(String, Spanned<DeValue<'i>>)>,
    records: &'r mut Records,
    problems: Vec<Problem>,
}

impl<K: Record> Visit<K> for Loader<'_, '_> {
    fn visit(&mut self) {
        let named = self
            .table
            .as_ref()
            .is_some_and(|(name, _)| name == K::TABLE);
        if K::PLACE != self.place || !named {
            return;
        }
        let Some((_, value)) = self.table.take() else {
            return;
        };
        let span = value.span();
        let values = match (K::PLACE, value.into_inner()) {
            (Place::DataFile, DeValue::Array(items)) => items.into_iter().collect(),
            (Place::SourceFile, table @ DeValue::Table(_)) => vec![Spanned::new(span, table)],
            (place, other) => {
                // Not the shape this kind is written in: serde says what it expected.
                let value = ValueDeserializer::from(Spanned::new(span, other));
                let error = match place {
                    Place::DataFile => Vec::<K>::deserialize(value).err(),
                    Place::SourceFile => K::deserialize(value).err(),
                };
                self.problems.extend(error.map(Problem::from));
                return;
            }
        };
        for value in values {
            match structure::deserialize::<K>(value, self.end) {
                Ok(record) => self.records.push(Located {
                    file: self.file,
                    record,
                }),
                Err(problems) => self.problems.extend(problems),
            }
        }
    }
}

/// A top-level table that no kind written in files of this place is named after, in
/// serde's words.
fn unknown_table(name: &str, span: std::ops::Range<usize>, place: Place) -> Problem {
    let tables: Vec<String> = tables(place).iter().map(|t| format!("`{t}`")).collect();
    let expected = match tables.as_slice() {
        [] => "there are no fields".to_owned(),
        [one] => format!("expected {one}"),
        [first, second] => format!("expected {first} or {second}"),
        all => format!("expected one of {}", all.join(", ")),
    };
    Problem {
        message: format!("unknown field `{name}`, {expected}"),
        span: Some(span),
    }
}

fn toml_diagnostic(file: &TextFile, problem: &Problem, place: Place) -> Diagnostic {
    let message = problem.message.trim().replace('\n', " ");
    let mut diagnostic = Diagnostic::error(&file.display, message.clone());
    if let Some(span) = &problem.span {
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
    } else if place == Place::SourceFile {
        Some("a source file holds one [source] table".to_owned())
    } else {
        None
    };
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Organisation;

    fn parse_texts(files: &[(&str, &str)]) -> (Parsed, String) {
        let files = files
            .iter()
            .map(|(relative, text)| TextFile {
                relative: (*relative).to_owned(),
                display: format!("data/{relative}"),
                text: (*text).to_owned(),
            })
            .collect();
        let mut diagnostics = Diagnostics::default();
        let parsed = parse(files, &mut diagnostics);
        diagnostics.sort();
        (parsed, diagnostics.to_string())
    }

    #[test]
    fn tables_are_read_into_the_kinds_they_name() {
        let data = "[[organisation]]\nid = \"o\"\nsource = \"s\"\n\n[[organisations]]\nid = \"p\"\n\n\
                    [[organisation]]\nid = \"q\"\nsource = \"s\"\nnme = \"Q\"\n";
        let (parsed, problems) = parse_texts(&[("data.toml", data)]);
        assert_eq!(
            problems,
            "data/data.toml:5:3: error: unknown field `organisations`, expected one of `organisation`, `event`, `project`, `work`, `grant`, `observation`, `instrument`, `quote`, `judgement`, `scheme`, `concept`, `country`\n  \
             help: remove the field or correct its name to one of those listed\n\
             data/data.toml:11:1: error: unknown field `nme`, expected one of `id`, `source`, `kind`, `name`, `acronym`, `description`, `unit_of`, `founded`, `founders`, `established_under`, `coordinator`, `member_count`, `location`, `about`, `website`, `wikidata`, `iati`, `ror`, `quotes`\n  \
             help: remove the field or correct its name to one of those listed\n"
        );
        // The sound record of the file is still read, and checked; the file counts as failed.
        let organisations = parsed.records::<Organisation>();
        assert_eq!(organisations.len(), 1);
        assert_eq!(organisations[0].record.id.get_ref(), "o");
        assert_eq!(parsed.failed, [0]);
    }

    #[test]
    fn a_source_file_holds_one_source_table() {
        let (parsed, problems) = parse_texts(&[
            ("sources/a.toml", "[sources]\nid = \"a\"\n"),
            ("sources/b.toml", "[[source]]\nid = \"b\"\n"),
        ]);
        assert_eq!(
            problems,
            "data/sources/a.toml:1:1: error: missing field `source`\n  \
             help: add the field to this record\n\
             data/sources/a.toml:1:2: error: unknown field `sources`, expected `source`\n  \
             help: remove the field or correct its name to one of those listed\n\
             data/sources/b.toml:1:1: error: invalid type: map, expected a string\n  \
             help: check the value's type: strings are quoted, lists use [ ]\n"
        );
        assert_eq!(parsed.record_count(), 0);
    }
}
