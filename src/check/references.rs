//! The ids each kind of record defines, and the checks of references to them: an unknown
//! id is reported with the closest known one and where such records are defined.

use super::{Check, Checker};
use crate::base::diagnostic::{Position, closest};
use crate::base::iri::ConceptScheme;
use crate::model::reference;
use crate::model::{Concept, Place, Record, Ref, Source, Visit, each_kind};
use std::collections::{BTreeMap, BTreeSet};

/// A kind of record, as references name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KindName {
    table: &'static str,
    noun: &'static str,
    place: Place,
}

impl KindName {
    fn of<K: Check>() -> Self {
        Self {
            table: K::TABLE,
            noun: K::NOUN,
            place: K::PLACE,
        }
    }
}

/// What a reference may point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A record of one kind.
    Kind(KindName),
    /// A record of either of two kinds (what a participant presented: a project or a work).
    Either(KindName, KindName),
    /// A concept of a scheme tipkg knows by name.
    Concept(ConceptScheme),
    /// A country of the reference data, by its ISO 3166-1 alpha-3 code.
    Country,
}

impl Target {
    /// A record of kind `K`.
    pub(crate) fn of<K: Check>() -> Self {
        Self::Kind(KindName::of::<K>())
    }

    /// A record of kind `A` or `B`.
    pub(crate) fn either<A: Check, B: Check>() -> Self {
        Self::Either(KindName::of::<A>(), KindName::of::<B>())
    }

    fn noun(self) -> String {
        match self {
            Self::Kind(kind) => kind.noun.to_owned(),
            Self::Either(a, b) => format!("{} or {}", a.noun, b.noun),
            Self::Concept(_) => Concept::NOUN.to_owned(),
            Self::Country => "country code".to_owned(),
        }
    }

    fn help(self) -> String {
        match self {
            Self::Kind(KindName {
                noun,
                place: Place::SourceFile,
                ..
            }) => format!("{noun}s are defined by the files under sources/"),
            Self::Kind(kind) => {
                format!(
                    "define it in a [[{}]] record, or correct the id",
                    kind.table
                )
            }
            Self::Either(a, b) => {
                format!("define it in a [[{}]] or [[{}]] record", a.table, b.table)
            }
            Self::Concept(scheme) => format!(
                "concepts of scheme \"{scheme}\" are defined by [[{}]] records with scheme = \"{scheme}\"",
                Concept::TABLE
            ),
            Self::Country => "use an ISO 3166-1 alpha-3 code in upper case, such as \"ROU\"".into(),
        }
    }
}

/// The ids each kind of record defines, gathered before references are checked.
#[derive(Default)]
pub(super) struct Ids<'a> {
    /// Table of the kind → its ids.
    by_kind: BTreeMap<&'static str, BTreeSet<&'a str>>,
    sources: BTreeMap<&'a str, &'a Source>,
}

impl<'a> Ids<'a> {
    pub(super) fn source(&self, id: &str) -> Option<&'a Source> {
        self.sources.get(id).copied()
    }

    fn of(&self, kind: KindName) -> impl Iterator<Item = &'a str> + '_ {
        self.by_kind.get(kind.table).into_iter().flatten().copied()
    }

    fn has(&self, kind: KindName, id: &str) -> bool {
        self.by_kind
            .get(kind.table)
            .is_some_and(|ids| ids.contains(id))
    }
}

/// Gathers the ids of every kind, checking that each is a slug and is defined once per
/// source. The first place of each record is kept as a byte offset: positions are
/// computed only for the duplicates reported, since computing one reads the file up to it.
struct Collect<'c, 'k, 'a> {
    checker: &'c mut Checker<'k, 'a>,
    seen: BTreeMap<(&'static str, &'a str, &'a str), (usize, usize)>,
    ids: Ids<'a>,
}

impl<K: Check> Visit<K> for Collect<'_, '_, '_> {
    fn visit(&mut self) {
        let parsed = self.checker.parsed;
        for located in parsed.records::<K>() {
            // A record without a source is reference data, known by its code.
            let (id, Some(source)) = (located.record.id(), located.record.source()) else {
                continue;
            };
            self.checker.check_slug(located.file, id);
            let key = (K::TABLE, id.get_ref().as_str(), source.get_ref().as_str());
            if let Some(&(first_file, first_offset)) = self.seen.get(&key) {
                let first_display = &parsed.file(first_file).display;
                let first = Position::of_offset(&parsed.file(first_file).text, first_offset);
                self.checker.error(
                    located.file,
                    id.span(),
                    format!(
                        "duplicate {} record \"{}\" for source \"{}\"",
                        K::TABLE,
                        id.get_ref(),
                        source.get_ref()
                    ),
                    format!(
                        "the first is at {first_display}:{}:{}; merge the two records",
                        first.line, first.column
                    ),
                );
            } else {
                self.seen.insert(key, (located.file, id.span().start));
            }
            self.ids
                .by_kind
                .entry(K::TABLE)
                .or_default()
                .insert(id.get_ref());
        }
    }
}

impl<'a> Checker<'_, 'a> {
    /// The ids the records define, each checked.
    pub(super) fn collect_ids(&mut self) -> Ids<'a> {
        let parsed = self.parsed;
        let mut ids = Ids::default();
        for located in parsed.records::<Source>() {
            let source = &located.record;
            ids.sources.entry(source.id.get_ref()).or_insert(source);
        }
        let mut collect = Collect {
            checker: self,
            seen: BTreeMap::new(),
            ids,
        };
        each_kind(&mut collect);
        collect.ids
    }

    /// Checks that `reference` names a thing of the target kind.
    pub(crate) fn check_ref(&mut self, file: usize, reference: &Ref, target: Target) {
        let id = reference.get_ref().as_str();
        let checked = match target {
            Target::Kind(kind) if kind.place == Place::SourceFile => self.check_source_refs,
            Target::Country => true,
            _ => self.check_record_refs,
        };
        if !checked {
            return;
        }
        if target == Target::Country {
            if reference::country(id).is_none() {
                let upper = id.to_uppercase();
                let suggestion = closest(&upper, self.country_codes.iter().map(String::as_str))
                    .map(str::to_owned);
                self.unknown(file, reference, target, suggestion.as_deref());
            }
            return;
        }
        if let Target::Concept(scheme) = target
            && self.ids.has(KindName::of::<Concept>(), id)
        {
            if let Some(actual) = self.scheme_of(id)
                && actual != scheme.id()
            {
                self.error(
                    file,
                    reference.span(),
                    format!(
                        "concept \"{id}\" belongs to scheme \"{actual}\", but this field takes a concept of scheme \"{scheme}\""
                    ),
                    target.help(),
                );
            }
            return;
        }
        // Look the id up first; the candidates for a suggestion are gathered only for an
        // unknown id, so that checking is linear in the number of references.
        if self.knows(target, id) {
            return;
        }
        let suggestion = closest(id, self.candidates(target)).map(str::to_owned);
        self.unknown(file, reference, target, suggestion.as_deref());
    }

    /// Checks that each of `refs` names a thing of the target kind.
    pub(crate) fn check_refs<'r>(
        &mut self,
        file: usize,
        refs: impl IntoIterator<Item = &'r Ref>,
        target: Target,
    ) {
        for reference in refs {
            self.check_ref(file, reference, target);
        }
    }

    /// Whether a record of the target kind has this id (a set lookup).
    fn knows(&self, target: Target, id: &str) -> bool {
        match target {
            Target::Kind(kind) => self.ids.has(kind, id),
            Target::Either(a, b) => self.ids.has(a, id) || self.ids.has(b, id),
            Target::Concept(_) => self.ids.has(KindName::of::<Concept>(), id),
            Target::Country => reference::country(id).is_some(),
        }
    }

    /// The ids a reference of this kind may point to.
    fn candidates(&self, target: Target) -> Box<dyn Iterator<Item = &'a str> + '_> {
        match target {
            Target::Kind(kind) => Box::new(self.ids.of(kind)),
            Target::Either(a, b) => Box::new(self.ids.of(a).chain(self.ids.of(b))),
            Target::Concept(scheme) => Box::new(
                self.ids
                    .of(KindName::of::<Concept>())
                    .filter(move |c| self.scheme_of(c) == Some(scheme.id())),
            ),
            Target::Country => Box::new(std::iter::empty()),
        }
    }

    fn unknown(&mut self, file: usize, reference: &Ref, target: Target, suggestion: Option<&str>) {
        let help = match suggestion {
            Some(s) => format!("did you mean \"{s}\"? {}", target.help()),
            None => target.help(),
        };
        let message = format!("unknown {} \"{}\"", target.noun(), reference.get_ref());
        self.error(file, reference.span(), message, help);
    }
}
