//! The names the graph knows: every label, acronym and title of the records, and every
//! country's ISO name with its usual short forms, matched in a text at once by an
//! Aho–Corasick automaton over the names in ASCII lower case (leftmost-longest, on word
//! boundaries). How a name may be written to match depends on the name ([`Case`]):
//! acronyms and one-word names only as written, longer names also in capitals or in lower
//! case.

use crate::base::error::Result;
use crate::base::iri::{self, Kind};
use crate::base::vocab::skos;
use crate::model::load::Parsed;
use crate::model::{Event, Organisation, Project, Record, Work};
use crate::store::KnowledgeGraph;
use aho_corasick::{AhoCorasick, MatchKind};
use keshvar::CountryIterator;
use oxigraph::model::{GraphName, NamedOrBlankNode, Term};
use std::borrow::Cow;
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

    /// The kind of things of an IRI's kind, for the kinds whose names are matched.
    pub fn of(kind: Kind) -> Option<EntityKind> {
        match kind {
            Kind::Organisation => Some(EntityKind::Organisation),
            Kind::Project => Some(EntityKind::Project),
            Kind::Work => Some(EntityKind::Work),
            Kind::Event => Some(EntityKind::Event),
            _ => None,
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
    /// Borrowed from the names, unless names that differ only in case ("Save the
    /// Children", "Save The Children") matched the same words.
    pub entities: Cow<'n, [Entity]>,
    /// Whether the name is an acronym (all capitals), which a definition may spell out.
    pub acronym: bool,
}

/// How a name may be written in a text for the text to name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Only as written: acronyms and names written in capitals ("ICAT" is not "icat"), and
    /// names of one word, which in lower case are often common words ("Reuters", "Chad").
    Exact,
    /// As written, or all in capitals as headlines write it ("DISRUPTING HARM"): names of
    /// two words, which in lower case may be a common phrase ("disrupting harm").
    Capitals,
    /// In any case of its ASCII letters: names of three words or more ("the ministry of
    /// justice", "UNITED NATIONS CHILDREN'S FUND"), which are not common phrases.
    Any,
}

impl Case {
    /// The rule for a name.
    pub fn of(name: &str) -> Case {
        let words = name
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        let capitals = !name.chars().any(char::is_lowercase);
        match words {
            _ if capitals => Case::Exact,
            0 | 1 => Case::Exact,
            2 => Case::Capitals,
            _ => Case::Any,
        }
    }

    /// Whether `written` names `name`, given that the two are equal but for the case of
    /// their ASCII letters (what the automaton finds).
    fn allows(self, name: &str, written: &str) -> bool {
        match self {
            Case::Exact => written == name,
            Case::Capitals => written == name || !written.bytes().any(|b| b.is_ascii_lowercase()),
            Case::Any => true,
        }
    }
}

/// The names, and the automaton over them.
pub struct Names {
    /// Sorted, each once.
    patterns: Vec<String>,
    cases: Vec<Case>,
    entities: Vec<Vec<Entity>>,
    /// Over the names with their ASCII letters in lower case, each once: the names
    /// (`patterns`) each such form stands for.
    automaton: AhoCorasick,
    folded: Vec<Vec<usize>>,
}

impl Names {
    /// The names of the records of a data directory and of every country.
    pub fn from_records(parsed: &Parsed) -> Names {
        let mut names = Collected::default();
        for o in parsed.records::<Organisation>() {
            let r = &o.record;
            for n in [&r.name, &r.acronym].into_iter().flatten() {
                names.add(n, EntityKind::Organisation, r.id.get_ref());
            }
        }
        for p in parsed.records::<Project>() {
            let r = &p.record;
            for n in [&r.name, &r.acronym].into_iter().flatten() {
                names.add(n, EntityKind::Project, r.id.get_ref());
            }
        }
        for w in parsed.records::<Work>() {
            let r = &w.record;
            for n in [&r.title, &r.acronym].into_iter().flatten() {
                names.add(n, EntityKind::Work, r.id.get_ref());
            }
        }
        for e in parsed.records::<Event>() {
            let r = &e.record;
            if let Some(n) = &r.name {
                names.add(n, EntityKind::Event, r.id.get_ref());
            }
        }
        names.countries();
        Names::new(names.0)
    }

    /// The names of the organisations, projects, works and events of a store (each
    /// `skos:prefLabel` and `skos:altLabel` of an entity of those kinds in the graph of a
    /// source: the records' names, titles and acronyms, which the mapping writes there)
    /// and of every country. The same as [`Names::from_records`] for a store built from the data.
    pub fn from_store(graph: &KnowledgeGraph) -> Result<Names> {
        let mut names = Collected::default();
        for predicate in [skos::prefLabel, skos::altLabel] {
            for quad in graph
                .store()
                .quads_for_pattern(None, Some(predicate), None, None)
            {
                let quad = quad?;
                let (
                    NamedOrBlankNode::NamedNode(subject),
                    Term::Literal(label),
                    GraphName::NamedNode(graph),
                ) = (&quad.subject, &quad.object, &quad.graph_name)
                else {
                    continue;
                };
                // The records' labels are in their sources' graphs; the description of
                // the dataset names its publisher, which no record is.
                if iri::graph_source(graph.as_str()).is_none() {
                    continue;
                }
                if let Some((kind, slug)) = iri::entity_kind_and_slug(subject.as_str())
                    && let Some(kind) = EntityKind::of(kind)
                {
                    names.add(label.value(), kind, slug);
                }
            }
        }
        names.countries();
        Ok(Names::new(names.0))
    }

    fn new(names: BTreeMap<String, Vec<Entity>>) -> Names {
        let (patterns, mut entities): (Vec<String>, Vec<Vec<Entity>>) = names.into_iter().unzip();
        // In one order whatever the order the names were read in.
        for list in &mut entities {
            list.sort();
        }
        let cases = patterns.iter().map(|p| Case::of(p)).collect();
        // The automaton reads the text with its ASCII letters in lower case, which keeps
        // every byte where it was (a trie of both cases took twice as long to build).
        let mut forms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in patterns.iter().enumerate() {
            forms.entry(p.to_ascii_lowercase()).or_default().push(i);
        }
        let (forms, folded): (Vec<String>, Vec<Vec<usize>>) = forms.into_iter().unzip();
        // Every match, overlapping ones included, so that a match the case or a word
        // boundary rules out does not hide a shorter one within it; `find` then keeps the
        // leftmost-longest of those that count.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&forms)
            .expect("the names are few enough for an automaton");
        Names {
            patterns,
            cases,
            entities,
            automaton,
            folded,
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

    /// Every name in a text written as its [`Case`] allows, on word boundaries, the
    /// leftmost-longest where they overlap. The ranges are the text's own bytes.
    pub fn find<'n>(&'n self, text: &str) -> Vec<Found<'n>> {
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        let lower = text.to_ascii_lowercase();
        for m in self.automaton.find_overlapping_iter(&lower) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            let written = &text[m.range()];
            for &p in &self.folded[m.pattern().as_usize()] {
                if self.cases[p].allows(&self.patterns[p], written) {
                    hits.push((m.start(), m.end(), p));
                }
            }
        }
        // Leftmost first, then longest; names of the same words together.
        hits.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut out = Vec::new();
        let mut taken_to = 0;
        for same in hits.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let (start, end, first) = same[0];
            if start < taken_to {
                continue;
            }
            taken_to = end;
            let entities = if same.len() == 1 {
                Cow::Borrowed(self.entities[first].as_slice())
            } else {
                let mut all: Vec<Entity> = Vec::new();
                for e in same.iter().flat_map(|&(_, _, p)| &self.entities[p]) {
                    if !all.contains(e) {
                        all.push(e.clone());
                    }
                }
                Cow::Owned(all)
            };
            out.push(Found {
                range: start..end,
                entities,
                acronym: same.iter().any(|&(_, _, p)| is_acronym(&self.patterns[p])),
            });
        }
        out
    }
}

/// Names being collected: each form of a name, and the entities it names.
#[derive(Default)]
struct Collected(BTreeMap<String, Vec<Entity>>);

impl Collected {
    fn add(&mut self, name: &str, kind: EntityKind, id: &str) {
        let name = name.trim();
        if name.chars().count() < 2 {
            return;
        }
        let entity = Entity {
            kind,
            id: id.to_owned(),
        };
        for variant in variants(name) {
            let list = self.0.entry(variant).or_default();
            if !list.contains(&entity) {
                list.push(entity.clone());
            }
        }
    }

    /// Every country's names, from the ISO list that the data's countries are checked
    /// against, with their short forms.
    fn countries(&mut self) {
        for country in CountryIterator::new() {
            let code = country.alpha3().to_string();
            for name in country_names(country.iso_short_name(), country.unofficial_name_list()) {
                self.add(&name, EntityKind::Country, &code);
            }
        }
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

    fn names(list: &[(&str, &str)]) -> Names {
        let mut map: BTreeMap<String, Vec<Entity>> = BTreeMap::new();
        for (name, id) in list {
            map.entry((*name).to_owned()).or_default().push(Entity {
                kind: EntityKind::Organisation,
                id: (*id).to_owned(),
            });
        }
        Names::new(map)
    }

    fn found(names: &Names, text: &str) -> Vec<(String, Vec<String>)> {
        names
            .find(text)
            .into_iter()
            .map(|f| {
                let ids = f.entities.iter().map(|e| e.id.clone()).collect();
                (text[f.range].to_owned(), ids)
            })
            .collect()
    }

    #[test]
    fn the_case_a_name_may_be_written_in() {
        assert_eq!(Case::of("IOM"), Case::Exact);
        assert_eq!(Case::of("UN-ACT"), Case::Exact);
        assert_eq!(Case::of("INTERPOL"), Case::Exact);
        assert_eq!(Case::of("Reuters"), Case::Exact);
        assert_eq!(Case::of("UNICEF ECARO"), Case::Exact);
        assert_eq!(Case::of("Disrupting Harm"), Case::Capitals);
        assert_eq!(Case::of("Ministry of Justice"), Case::Any);
        let names = names(&[
            ("IOM", "iom"),
            ("Reuters", "reuters"),
            ("Disrupting Harm", "dh"),
            ("Ministry of Justice", "moj"),
            ("Save the Children", "stc"),
            ("Save The Children", "stc-2"),
        ]);
        assert_eq!(
            found(&names, "iom and reuters; IOM and Reuters."),
            [
                ("IOM".into(), vec!["iom".into()]),
                ("Reuters".into(), vec!["reuters".into()])
            ]
        );
        assert_eq!(
            found(&names, "disrupting harm, Disrupting harm, DISRUPTING HARM"),
            [("DISRUPTING HARM".into(), vec!["dh".into()])]
        );
        assert_eq!(
            found(
                &names,
                "the ministry of justice and the MINISTRY OF JUSTICE"
            ),
            [
                ("ministry of justice".into(), vec!["moj".into()]),
                ("MINISTRY OF JUSTICE".into(), vec!["moj".into()])
            ]
        );
        // Names that differ only in case name the same words: both entities, once.
        assert_eq!(
            found(&names, "save the children"),
            [(
                "save the children".into(),
                vec!["stc-2".into(), "stc".into()]
            )]
        );
    }

    #[test]
    fn a_name_ruled_out_does_not_hide_a_shorter_one() {
        let names = names(&[("IOM", "iom"), ("IOM Office", "office")]);
        // "IOM Offices" is not the longer name, which ends inside a word; the acronym is.
        assert_eq!(
            found(&names, "two IOM Offices opened"),
            [("IOM".into(), vec!["iom".into()])]
        );
        assert_eq!(
            found(&names, "the iom office and the IOM Office"),
            [("IOM Office".into(), vec!["office".into()])]
        );
    }

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
