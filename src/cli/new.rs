//! `tipkg new`: appends a skeleton record of a kind to the file that kind lives in (a new
//! file under `sources/` for a source), from the registry's description of its fields.

use super::{GlobalArgs, Outcome};
use anyhow::{Context, Result, bail};
use clap::Args;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use tipkg::base::diagnostic::{Diagnostics, Position};
use tipkg::model::load::{self, DataRoot, Parsed};
use tipkg::model::schema;
use tipkg::model::{Place, Record, Visit, each_kind, tables};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # A record of a new organisation, stated by an existing source\n  tipkg new organisation ecpat-international --source ecpat-about --data data\n  # A new source: data/sources/unodc-2025-report.toml\n  tipkg new source unodc-2025-report --data data"
)]
pub struct NewArgs {
    /// The kind of record: organisation, event, project, work, grant, observation, scheme,
    /// concept, country or source
    #[arg(value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(all_tables()))]
    pub kind: String,

    /// The id of the record's entity (a slug; a country's ISO 3166-1 alpha-3 code)
    #[arg(value_name = "ID")]
    pub id: String,

    /// The source that states the record (not for a source itself)
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
}

fn all_tables() -> Vec<&'static str> {
    let mut all = tables(Place::DataFile);
    all.extend(tables(Place::SourceFile));
    all
}

pub fn run(global: &GlobalArgs, args: &NewArgs) -> Result<Outcome> {
    let dir = global.data.clone().unwrap_or_else(|| PathBuf::from("data"));
    if !dir.is_dir() {
        bail!(
            "{}: not a data directory; give the data directory with --data DIR",
            dir.display()
        );
    }
    check_id(&args.id)?;
    let kind = Kind::of(&args.kind);
    if kind.place == Place::SourceFile && args.source.is_some() {
        bail!("a source states itself: give `tipkg new source ID` without --source");
    }
    let states_its_source = schema::kinds()
        .iter()
        .any(|k| k.table == args.kind && k.fields.iter().any(|f| f.name == "source"));
    if kind.place == Place::DataFile && !states_its_source && args.source.is_some() {
        bail!(
            "a {} record has no source (it is reference data): leave out --source",
            args.kind
        );
    }
    let mut diagnostics = Diagnostics::default();
    let parsed = load::parse(load::read(&DataRoot::Dir(dir.clone()))?, &mut diagnostics);
    let found = Existing::find(&parsed, &args.kind, &args.id);
    let same: Vec<&(String, Option<String>)> = found
        .records
        .iter()
        .filter(|(_, source)| args.source.is_none() || source == &args.source)
        .collect();
    if let Some((at, source)) = same.first() {
        let stated = source
            .as_deref()
            .map(|s| format!(" from source \"{s}\""))
            .unwrap_or_default();
        let help = if kind.place == Place::DataFile && args.source.is_none() {
            "; to add another source's record of it, give that source with --source"
        } else {
            "; edit that record, or choose another id"
        };
        bail!(
            "{} \"{}\"{stated} already exists at {at}{help}",
            args.kind,
            args.id
        );
    }
    let skeleton = schema::skeleton(&args.kind, &args.id, args.source.as_deref())
        .context("every kind of the registry has a skeleton")?;
    let (path, line) = match kind.place {
        Place::SourceFile => {
            let path = dir.join("sources").join(format!("{}.toml", args.id));
            create(&path, &skeleton)?;
            (path, 2)
        }
        Place::DataFile => {
            let path = found
                .file
                .map_or_else(|| dir.join(plural(&args.kind)), PathBuf::from);
            (path.clone(), append(&path, &skeleton)?)
        }
    };
    let place = format!("{}:{line}", path.display());
    println!("{place}");
    if !global.quiet {
        eprintln!(
            "added {} \"{}\" at {place}: fill in the fields marked required (and any others you know), then run `tipkg build --data {}`",
            args.kind,
            args.id,
            dir.display()
        );
    }
    Ok(Outcome::Success)
}

/// Ids become IRIs and source file names: no path separators, spaces or leading dots.
fn check_id(id: &str) -> Result<()> {
    let bad = id.is_empty()
        || id.starts_with('.')
        || id
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    if bad {
        bail!(
            "id \"{id}\" is not a slug: ids are lower-case letters, digits and single hyphens, such as \"unodc-2025-report\""
        );
    }
    Ok(())
}

/// The file name of a new data file for a kind no file holds yet.
fn plural(table: &str) -> String {
    match table.strip_suffix('y') {
        Some(stem) => format!("{stem}ies.toml"),
        None => format!("{table}s.toml"),
    }
}

struct Kind {
    place: Place,
}

impl Kind {
    fn of(table: &str) -> Self {
        let place = if tables(Place::SourceFile).contains(&table) {
            Place::SourceFile
        } else {
            Place::DataFile
        };
        Self { place }
    }
}

/// The records of one kind with one id, and the file the kind's records are in.
struct Existing<'p> {
    parsed: &'p Parsed,
    table: &'p str,
    id: &'p str,
    /// `path:line:column` and source of each record with the id.
    records: Vec<(String, Option<String>)>,
    /// The first file that holds a record of the kind.
    file: Option<String>,
}

impl<'p> Existing<'p> {
    fn find(parsed: &'p Parsed, table: &'p str, id: &'p str) -> Self {
        let mut existing = Self {
            parsed,
            table,
            id,
            records: Vec::new(),
            file: None,
        };
        each_kind(&mut existing);
        existing
    }
}

impl<K: Record> Visit<K> for Existing<'_> {
    fn visit(&mut self) {
        if K::TABLE != self.table {
            return;
        }
        let records = self.parsed.records::<K>();
        self.file = records
            .first()
            .map(|r| self.parsed.file(r.file).display.clone());
        for located in records {
            let record = &located.record;
            if record.id().get_ref() != self.id {
                continue;
            }
            let file = self.parsed.file(located.file);
            let at = Position::of_offset(&file.text, record.id().span().start);
            let source = record.source().map(|s| s.get_ref().clone());
            self.records.push((
                format!("{}:{}:{}", file.display, at.line, at.column),
                source,
            ));
        }
    }
}

/// Appends `record` to the data file at `path` (a new file with the schema directive if
/// there is none), atomically; the line the record starts at.
fn append(path: &Path, record: &str) -> Result<usize> {
    let mut text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("{}\n", schema::directive(Place::DataFile))
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.ends_with("\n\n") && text.lines().count() > 1 {
        text.push('\n');
    }
    let line = text.lines().count() + 1;
    text.push_str(record);
    replace(path, &text)?;
    Ok(line)
}

/// Writes a new file, refusing to replace one.
fn create(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().context("a source file is in sources/")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    file.write_all(text.as_bytes())?;
    file.persist_noclobber(path).map_err(|e| {
        anyhow::anyhow!(
            "cannot create {}: {}; a source's file is named after its id: choose another id",
            path.display(),
            e.error
        )
    })?;
    Ok(())
}

/// Replaces the file at `path` with `text` through a temporary file in its directory, so
/// that it is never seen half-written; its permissions are kept.
fn replace(path: &Path, text: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    file.write_all(text.as_bytes())?;
    if let Ok(metadata) = std::fs::metadata(path) {
        file.as_file().set_permissions(metadata.permissions())?;
    }
    file.persist(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}
