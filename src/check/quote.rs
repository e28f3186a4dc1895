//! The checks of quotes tied to facts: the passage is in the source's text, and every fact
//! it says it states is a field that a record of the same source sets on that entity.

use super::{Check, Checker, Target};
use crate::model::load::{Located, Parsed};
use crate::model::{Quote, Record, Ref, Source, Visit, each_kind};

impl Check for Quote {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        checker.check_quotes(f, &self.source, [&self.text]);
        check_supports(
            f,
            checker,
            "quote",
            &self.about,
            &self.supports,
            self.source.get_ref(),
        );
    }

    /// A quote's id is unique: it names one passage.
    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        for later in records.iter().skip(1) {
            checker.error(
                later.file,
                later.record.id.span(),
                format!("quote \"{}\" is defined twice", later.record.id.get_ref()),
                "give each quote an id of its own".into(),
            );
        }
    }
}

/// Checks what a quote or a judgement (`what`) says it is for: `about` names an entity as
/// kind/id that has a record of `source`, and each field of `supports` is a fact of that
/// kind which that record states.
pub(super) fn check_supports(
    f: usize,
    checker: &mut Checker<'_, '_>,
    what: &str,
    about: &Ref,
    supports: &[Ref],
    source: &str,
) {
    let Some((table, id)) = about.get_ref().split_once('/') else {
        checker.error(
            f,
            about.span(),
            format!("{what} is about \"{}\", which is not kind/id", about.get_ref()),
            "name the entity as kind/id, such as \"event/2023-06-19-access-to-justice-for-children\"".into(),
        );
        return;
    };
    let mut lookup = Lookup {
        parsed: checker.parsed(),
        table,
        id,
        source,
        found: None,
    };
    each_kind(&mut lookup);
    let Some(found) = lookup.found else {
        checker.error(
            f,
            about.span(),
            format!("no fact of {table} records can be stated by a {what}"),
            format!("a {what} states facts of {} records", quotable().join(", ")),
        );
        return;
    };
    let Some(stated) = found.stated else {
        let problem = match found.any_record {
            true => format!("{table} \"{id}\" has no record from source \"{source}\""),
            false => format!("unknown {table} \"{id}\""),
        };
        checker.error(
            f,
            about.span(),
            problem,
            format!(
                "a {what} states facts of a record of its own source: correct the id or the source"
            ),
        );
        return;
    };
    for field in supports {
        let name = field.get_ref().as_str();
        if !found.facts.contains(&name) {
            checker.error(
                f,
                field.span(),
                format!("\"{name}\" is not a field of {table} records that a {what} can state"),
                format!("name one of: {}", found.facts.join(", ")),
            );
        } else if !stated.contains(&name) {
            checker.error(
                f,
                field.span(),
                format!("the record of {table} \"{id}\" from source \"{source}\" states no {name}"),
                format!(
                    "state it in that record, or take it out of supports (the record states: {})",
                    stated.join(", ")
                ),
            );
        }
    }
}

/// The facts of the records of one entity from one source, found by table and id.
struct Lookup<'p> {
    parsed: &'p Parsed,
    table: &'p str,
    id: &'p str,
    source: &'p str,
    found: Option<Found>,
}

struct Found {
    facts: &'static [&'static str],
    any_record: bool,
    /// The facts the records of that source state, if there is such a record.
    stated: Option<Vec<&'static str>>,
}

impl<K: Record> Visit<K> for Lookup<'_> {
    fn visit(&mut self) {
        if K::TABLE != self.table || K::FACTS.is_empty() {
            return;
        }
        let records: Vec<&K> = self
            .parsed
            .records::<K>()
            .iter()
            .map(|l| &l.record)
            .filter(|r| r.id().get_ref() == self.id)
            .collect();
        let own: Vec<&&K> = records
            .iter()
            .filter(|r| r.source().is_some_and(|s| s.get_ref() == self.source))
            .collect();
        let stated = (!own.is_empty()).then(|| {
            K::FACTS
                .iter()
                .copied()
                .filter(|f| own.iter().any(|r| r.states(f)))
                .collect()
        });
        self.found = Some(Found {
            facts: K::FACTS,
            any_record: !records.is_empty(),
            stated,
        });
    }
}

/// The tables whose facts a quote can state.
fn quotable() -> Vec<&'static str> {
    struct Tables(Vec<&'static str>);
    impl<K: Record> Visit<K> for Tables {
        fn visit(&mut self) {
            if !K::FACTS.is_empty() {
                self.0.push(K::TABLE);
            }
        }
    }
    let mut tables = Tables(Vec::new());
    each_kind(&mut tables);
    tables.0
}
