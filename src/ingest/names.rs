//! The names the graph knows: every label, acronym and title of the records, and every
//! country's ISO name with its usual short forms, matched in a text at once by an
//! Aho–Corasick automaton (leftmost-longest, case-sensitive, on word boundaries).

use crate::model::load::Parsed;
use crate::model::{Event, Organisation, Project, Record, Work};
use aho_corasick::{AhoCorasick, MatchKind};
use keshvar::CountryIterator;
use std::collections::BTreeMap;
use std::ops::Range;

/// The kinds of things a name can point at, as the draft's tables name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Organisation,
    Project,
    Work,
    Event,
    Country,
}

impl EntityKind {
    /// The name of its table in data files.
    pub fn table(self) -> &'static str {
        match self {
            EntityKind::Organisation => Organisation::TABLE,
            EntityKind::Project => Project::TABLE,
            EntityKind::Work => Work::TABLE,
            EntityKind::Event => Event::TABLE,
            EntityKind::Country => "country",
        }
    }

    pub fn from_table(table: &str) -> Option<EntityKind> {
        [
            EntityKind::Organisation,
            EntityKind::Project,
            EntityKind::Work,
            EntityKind::Event,
            EntityKind::Country,
        ]
        .into_iter()
        .find(|k| k.table() == table)
    }
}

/// A thing the graph knows: its kind and id (a country's id is its alpha-3 code).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entity {
    pub kind: EntityKind,
    pub id: String,
}

/// One name found in a text: where, and every entity it names (more than one when the
/// name is shared).
#[derive(Debug, Clone)]
pub struct Found<'n> {
    pub range: Range<usize>,
    pub entities: &'n [Entity],
    /// Whether the name is an acronym (all capitals), which a definition may spell out.
    pub acronym: bool,
}

/// The names, and the automaton over them.
pub struct Names {
    patterns: Vec<String>,
    entities: Vec<Vec<Entity>>,
    automaton: AhoCorasick,
}

impl Names {
    /// The names of the records of a data directory and of every country.
    pub fn from_records(parsed: &Parsed) -> Names {
        let mut names: BTreeMap<String, Vec<Entity>> = BTreeMap::new();
        let mut add = |name: &str, kind: EntityKind, id: &str| {
            let name = name.trim();
            if name.chars().count() < 2 {
                return;
            }
            let entity = Entity {
                kind,
                id: id.to_owned(),
            };
            for variant in variants(name) {
                let list = names.entry(variant).or_default();
                if !list.contains(&entity) {
                    list.push(entity.clone());
                }
            }
        };
        for o in parsed.records::<Organisation>() {
            let r = &o.record;
            for n in [&r.name, &r.acronym].into_iter().flatten() {
                add(n, EntityKind::Organisation, r.id.get_ref());
            }
        }
        for p in parsed.records::<Project>() {
            let r = &p.record;
            for n in [&r.name, &r.acronym].into_iter().flatten() {
                add(n, EntityKind::Project, r.id.get_ref());
            }
        }
        for w in parsed.records::<Work>() {
            let r = &w.record;
            for n in [&r.title, &r.acronym].into_iter().flatten() {
                add(n, EntityKind::Work, r.id.get_ref());
            }
        }
        for e in parsed.records::<Event>() {
            let r = &e.record;
            if let Some(n) = &r.name {
                add(n, EntityKind::Event, r.id.get_ref());
            }
        }
        for country in CountryIterator::new() {
            let code = country.alpha3().to_string();
            for name in country_names(country.iso_short_name(), country.unofficial_name_list()) {
                add(&name, EntityKind::Country, &code);
            }
        }
        Names::new(names)
    }

    fn new(names: BTreeMap<String, Vec<Entity>>) -> Names {
        let (patterns, entities): (Vec<String>, Vec<Vec<Entity>>) = names.into_iter().unzip();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("the names are few enough for an automaton");
        Names {
            patterns,
            entities,
            automaton,
        }
    }

    /// How many distinct names.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The entities a whole name (not a part of a text) names exactly.
    pub fn lookup(&self, name: &str) -> Option<&[Entity]> {
        self.patterns
            .binary_search_by(|p| p.as_str().cmp(name))
            .ok()
            .map(|i| self.entities[i].as_slice())
    }

    /// Every name in a text, leftmost-longest, on word boundaries.
    pub fn find<'n>(&'n self, text: &str) -> Vec<Found<'n>> {
        let mut out = Vec::new();
        for m in self.automaton.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            let pattern = &self.patterns[m.pattern().as_usize()];
            out.push(Found {
                range: m.range(),
                entities: &self.entities[m.pattern().as_usize()],
                acronym: is_acronym(pattern),
            });
        }
        out
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// Whether a word is written in capitals (and digits, `-`, `&`), as acronyms are.
pub fn is_acronym(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || "-&/".contains(c))
}

/// The forms of a name that a text may use: as written, and with straight and curly
/// apostrophes swapped.
fn variants(name: &str) -> Vec<String> {
    let mut out = vec![name.to_owned()];
    for (a, b) in [('’', '\''), ('\'', '’')] {
        if name.contains(a) {
            out.push(name.replace(a, &b.to_string()));
        }
    }
    out
}

/// A country's names: its ISO short name, that name's usual forms ("Tanzania, United
/// Republic of" is also "Tanzania" and "United Republic of Tanzania"; "Bolivia
/// (Plurinational State of)" is also "Bolivia"), and its common English names.
fn country_names(short: &str, unofficial: &[&str]) -> Vec<String> {
    let mut out = vec![short.to_owned()];
    let base = match short.split_once(" (") {
        Some((base, _)) => base,
        None => short,
    };
    if let Some((head, tail)) = base.split_once(", ") {
        out.push(head.to_owned());
        if !tail.contains(',') {
            out.push(format!("{tail} {head}"));
        }
    } else if base != short {
        out.push(base.to_owned());
    }
    for name in unofficial {
        if name.is_ascii() && name.chars().next().is_some_and(char::is_uppercase) {
            out.push((*name).to_owned());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_of_country_names() {
        assert!(country_names("Tanzania, United Republic of", &[]).contains(&"Tanzania".into()));
        assert!(
            country_names("Tanzania, United Republic of", &[])
                .contains(&"United Republic of Tanzania".into())
        );
        assert!(country_names("Bolivia (Plurinational State of)", &[]).contains(&"Bolivia".into()));
    }
}
