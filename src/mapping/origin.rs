//! Where each entity of the graph comes from: the data file, line and column of the id of
//! every record that describes it, so that a validation report can send a person to the
//! record to fix.
//!
//! The IRIs come from each record's [`Record::keys`], the same function (or the functions
//! it calls) the mapping mints them with, so an entity of the graph and its records meet on
//! the IRI. Build the index from checked data only: minting an IRI from an id that is not a
//! slug is a bug the checks exist to prevent.

use crate::base::diagnostic::{LineIndex, Position};
use crate::model::load::Parsed;
use crate::model::{Key, Record, Schemes, Visit, each_kind};
use std::collections::BTreeMap;

/// One record of an entity: where its id is written, and the source it states.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// The file as messages name it (`data/events.toml`, or the path on disk).
    pub file: String,
    pub position: Option<Position>,
    /// The id of the source the record states, whose named graph holds its facts.
    pub source: Option<String>,
}

/// Entity IRI → the records it was built from, in file order.
#[derive(Debug, Default, Clone)]
pub struct Origins(BTreeMap<String, Vec<Origin>>);

impl Origins {
    /// Indexes every record of checked data under the IRIs the mapping gives its entities.
    pub fn of(parsed: &Parsed) -> Self {
        let mut index = Indexer {
            parsed,
            schemes: Schemes::of(parsed),
            origins: BTreeMap::new(),
            lines: Vec::new(),
        };
        each_kind(&mut index);
        let mut origins = index.origins;
        for list in origins.values_mut() {
            list.sort();
            list.dedup();
        }
        Self(origins)
    }

    /// The records of an entity, in file order; empty when no record describes it (a region,
    /// say, which comes from the reference data alone).
    pub fn get(&self, iri: &str) -> &[Origin] {
        self.0.get(iri).map_or(&[], Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

struct Indexer<'p> {
    parsed: &'p Parsed,
    schemes: Schemes<'p>,
    origins: BTreeMap<String, Vec<Origin>>,
    /// The line index of each file, made when the file is first needed.
    lines: Vec<Option<LineIndex>>,
}

impl<K: Record> Visit<K> for Indexer<'_> {
    fn visit(&mut self) {
        let mut keys = Vec::new();
        for located in self.parsed.records::<K>() {
            located.record.keys(&self.schemes, &mut keys);
            for key in keys.drain(..) {
                self.add(key, located.file);
            }
        }
    }
}

impl Indexer<'_> {
    fn add(&mut self, key: Key<'_>, file: usize) {
        let text = self.parsed.file(file);
        if self.lines.len() <= file {
            self.lines.resize_with(file + 1, || None);
        }
        let lines = self.lines[file].get_or_insert_with(|| LineIndex::new(&text.text));
        let position = lines.position(&text.text, key.at.span().start);
        self.origins
            .entry(key.iri.into_string())
            .or_default()
            .push(Origin {
                file: text.display.clone(),
                position: Some(position),
                source: Some(key.source.to_owned()),
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Diagnostics;
    use crate::base::iri::{self, Kind};
    use crate::model::load::{self, DataRoot};

    fn bundled() -> Origins {
        let mut diagnostics = Diagnostics::default();
        let parsed = load::parse(load::read(&DataRoot::Bundled).unwrap(), &mut diagnostics);
        Origins::of(&parsed)
    }

    #[test]
    fn records_are_found_by_the_iri_of_their_entity() {
        let origins = bundled();
        let icat = origins.get("https://w3id.org/tipkg/id/org/icat");
        assert!(!icat.is_empty());
        assert!(
            icat.iter()
                .all(|o| o.file == "data/organisations.toml" && o.position.is_some())
        );
        let source = origins.get("https://w3id.org/tipkg/id/source/icat-about");
        assert_eq!(source.len(), 1);
        assert_eq!(source[0].file, "data/sources/icat-about.toml");
        assert!(
            origins
                .get("https://w3id.org/tipkg/id/org/nobody")
                .is_empty()
        );
    }

    #[test]
    fn every_subject_of_the_data_graph_with_a_record_is_indexed() {
        // Every entity the mapping derives from a record must be found, or a report could
        // not point at it: check them all against the mapped quads.
        let origins = bundled();
        let quads = crate::mapping::build_quads(&DataRoot::Bundled).unwrap();
        let ontology = iri::ontology_graph();
        for quad in &quads {
            if quad.graph_name == ontology.as_ref().into() {
                continue;
            }
            let subject = quad.subject.to_string();
            let iri = subject.trim_matches(['<', '>']);
            // Every kind of thing but the regions and the statistics, which no record
            // states, and every concept.
            let from_records = Kind::NAMED
                .into_iter()
                .chain([Kind::Participation])
                .filter(|k| *k != Kind::Region)
                .map(iri::entity_namespace)
                .chain([crate::base::vocab::CONCEPT.to_owned()]);
            if from_records
                .into_iter()
                .any(|namespace| iri.starts_with(&namespace))
            {
                assert!(!origins.get(iri).is_empty(), "no record found for {iri}");
            }
        }
    }
}
