//! Checks across records: ids, references, dates, codes, addresses and quotes.
//!
//! Each check pushes a diagnostic pointing at the offending value and keeps going, so that
//! a run reports every problem of the data at once. Nothing here builds RDF.
//!
//! Every kind of record has a unit of its own (`organisation.rs`, `event.rs`…), its
//! [`Check`] impl; this module runs them over the registry of kinds (`model::Kinds`), with
//! what every unit shares: the ids each kind defines (`references`) and the checks of
//! single values (`values`).

mod concept;
mod country;
mod event;
mod grant;
mod instrument;
mod judgement;
mod observation;
mod organisation;
mod project;
mod quote;
mod references;
mod scheme;
mod source;
mod values;
mod work;

use crate::base::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::base::error::{Error, Result};
use crate::base::parallel;
use crate::model::load::{self, DataRoot, Located, Parsed};
use crate::model::reference;
use crate::model::{Record, Ref, Schemes, Source, Visit, each_kind};
use references::Ids;
use std::collections::BTreeMap;

pub(crate) use references::Target;

/// The checks of one kind of record.
pub(crate) trait Check: Record {
    /// What messages call a record of this kind ("concept scheme").
    const NOUN: &'static str = Self::TABLE;

    /// Checks one record: its references, values and quotes.
    fn check(&self, file: usize, checker: &mut Checker<'_, '_>);

    /// Checks what needs every record of one entity (a name in some record, say): called
    /// once per id with its records in file order, when every file parsed.
    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        let _ = (records, checker);
    }
}

/// What every check reads: the data, the ids it defines, and what may be checked. It is
/// shared by the checkers of every thread.
pub(crate) struct Known<'a> {
    parsed: &'a Parsed,
    ids: Ids<'a>,
    schemes: Schemes<'a>,
    /// References into record kinds are only checked when every data file parsed: a file
    /// that failed may define the id.
    check_record_refs: bool,
    check_source_refs: bool,
    country_codes: Vec<String>,
}

/// What the checks of every kind share: what is known of the data (`Deref` to [`Known`]),
/// and the diagnostics found by this checker.
pub(crate) struct Checker<'k, 'a> {
    known: &'k Known<'a>,
    diagnostics: Diagnostics,
}

impl<'a> std::ops::Deref for Checker<'_, 'a> {
    type Target = Known<'a>;

    fn deref(&self) -> &Known<'a> {
        self.known
    }
}

/// How many records a thread checks at a time.
const CHECKED_TOGETHER: usize = 1024;

/// Runs every check on the parsed data. The ids are gathered first; then the records of
/// each kind are checked on a thread per core, in chunks whose diagnostics are gathered
/// in order, so that they are those of one thread.
pub fn check(parsed: &Parsed, diagnostics: &mut Diagnostics) {
    let failed = |in_sources: bool| {
        parsed
            .failed
            .iter()
            .any(|&i| parsed.file(i).relative.starts_with("sources/") == in_sources)
    };
    let mut known = Known {
        parsed,
        ids: Ids::default(),
        schemes: Schemes::of(parsed),
        check_record_refs: !failed(false),
        check_source_refs: !failed(true),
        country_codes: reference::alpha3_codes(),
    };
    let mut checker = Checker::new(&known);
    let ids = checker.collect_ids();
    diagnostics.append(checker.diagnostics);
    known.ids = ids;
    each_kind(&mut Records(&known, diagnostics));
    if known.check_record_refs && known.check_source_refs {
        let mut checker = Checker::new(&known);
        each_kind(&mut Entities(&mut checker));
        diagnostics.append(checker.diagnostics);
    }
}

/// Checks every record of each kind.
struct Records<'k, 'a>(&'k Known<'a>, &'k mut Diagnostics);

impl<K: Check + Sync> Visit<K> for Records<'_, '_> {
    fn visit(&mut self) {
        let known = self.0;
        parallel::in_order(
            known.parsed.records::<K>().chunks(CHECKED_TOGETHER),
            |chunk| {
                let mut checker = Checker::new(known);
                for located in chunk {
                    located.record.check(located.file, &mut checker);
                    judgement::check_judged(&located.record, located.file, &mut checker);
                }
                checker.diagnostics
            },
            |found| self.1.append(found),
        );
    }
}

/// Checks every entity of each kind, with all its records.
struct Entities<'c, 'k, 'a>(&'c mut Checker<'k, 'a>);

impl<K: Check> Visit<K> for Entities<'_, '_, '_> {
    fn visit(&mut self) {
        let mut entities: BTreeMap<&str, Vec<&Located<K>>> = BTreeMap::new();
        for located in self.0.parsed.records::<K>() {
            let id = located.record.id().get_ref().as_str();
            entities.entry(id).or_default().push(located);
        }
        for records in entities.values() {
            K::check_entity(records, self.0);
        }
    }
}

impl<'k, 'a> Checker<'k, 'a> {
    fn new(known: &'k Known<'a>) -> Self {
        Self {
            known,
            diagnostics: Diagnostics::default(),
        }
    }

    fn position(&self, file: usize, span: std::ops::Range<usize>) -> Position {
        Position::of_offset(&self.parsed.file(file).text, span.start)
    }

    /// Reports a problem at `span` of `file`.
    pub(crate) fn error(
        &mut self,
        file: usize,
        span: std::ops::Range<usize>,
        message: String,
        help: String,
    ) {
        let diagnostic = Diagnostic::error(&self.parsed.file(file).display, message)
            .at(self.position(file, span))
            .with_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// The data being checked.
    pub(crate) fn parsed(&self) -> &'a Parsed {
        self.parsed
    }

    /// The scheme the records of concept `id` name, if any does.
    pub(crate) fn scheme_of(&self, id: &str) -> Option<&'a str> {
        self.schemes.get(id)
    }

    /// The source of this id, if a source file defines it.
    pub(crate) fn source(&self, id: &str) -> Option<&'a Source> {
        self.ids.source(id)
    }

    /// Reports, on the first record of an entity, a field that none of its records gives:
    /// its display name (`label`, such as "name") or what types it (`kind`).
    pub(crate) fn require_in_some_record<K: Check>(
        &mut self,
        records: &[&Located<K>],
        field: &str,
        given: impl Fn(&K) -> bool,
        help: &str,
    ) {
        let Some(first) = records.first() else {
            return;
        };
        if records.iter().any(|r| given(&r.record)) {
            return;
        }
        let id: &Ref = first.record.id();
        self.error(
            first.file,
            id.span(),
            format!(
                "{} \"{}\" has no {field} in any of its records",
                K::NOUN,
                id.get_ref()
            ),
            format!("add {field} = \"…\" to {help}"),
        );
    }

    /// An entity needs its display name in some record: `field` is where records give it.
    pub(crate) fn require_name<K: Check>(
        &mut self,
        records: &[&Located<K>],
        field: &str,
        given: impl Fn(&K) -> bool,
    ) {
        self.require_in_some_record(
            records,
            field,
            given,
            "the record of the source that names it",
        );
    }

    /// An entity needs what types it in some record: `field` is where records give it.
    pub(crate) fn require_kind<K: Check>(
        &mut self,
        records: &[&Located<K>],
        field: &str,
        given: impl Fn(&K) -> bool,
    ) {
        self.require_in_some_record(records, field, given, "one of its records");
    }
}

/// The indefinite article before a noun, by its first letter: "an IATI …", "a ROR id".
fn article(noun: &str) -> &'static str {
    if noun.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Reads and checks a data directory: the records, and every problem found, sorted.
pub fn read_checked(root: &DataRoot) -> Result<(load::Parsed, Diagnostics)> {
    let files = load::read(root)?;
    let mut diagnostics = Diagnostics::default();
    let parsed = load::parse(files, &mut diagnostics);
    if let DataRoot::Dir(dir) = root
        && parsed.failed.is_empty()
        && parsed.record_count() == 0
    {
        // The wrong directory, most likely: building it would replace the graph with nothing.
        return Err(Error::DataDir {
            path: dir.clone(),
            reason: "no records in it: a data directory holds records in *.toml files and \
                     sources in sources/*.toml, as the bundled data/ does"
                .into(),
        });
    }
    check(&parsed, &mut diagnostics);
    diagnostics.sort();
    Ok((parsed, diagnostics))
}

#[cfg(test)]
mod tests;
