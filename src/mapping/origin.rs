//! Where each entity of the graph comes from: the data file, line and column of the id of
//! every record that describes it, so that a validation report can send a person to the
//! record to fix.
//!
//! The IRIs are minted by [`crate::base::iri`] from the same keys the mapping uses, so an entity
//! of the graph and its records meet on the IRI. Build the index from checked data only:
//! minting an IRI from an id that is not a slug is a bug the checks exist to prevent.

use crate::base::diagnostic::{LineIndex, Position};
use crate::base::iri::{self, Kind};
use crate::model::Ref;
use crate::model::load::Parsed;
use std::collections::{BTreeMap, HashMap};

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
    /// Indexes every record of checked data under the IRI the mapping gives its entity.
    pub fn of(parsed: &Parsed) -> Self {
        let mut index = Indexer {
            parsed,
            origins: BTreeMap::new(),
            lines: Vec::new(),
        };
        // A concept's IRI contains its scheme, which only some of its records state: the
        // first one that does decides, as in the mapping.
        let mut schemes: HashMap<&str, &str> = HashMap::new();
        for d in &parsed.data {
            for c in &d.record.concept {
                if let Some(s) = &c.scheme {
                    schemes.entry(c.id.get_ref()).or_insert(s.get_ref());
                }
            }
        }
        for d in &parsed.data {
            let f = d.file;
            let r = &d.record;
            for x in &r.organisation {
                index.add(
                    iri::entity(Kind::Organisation, x.id.get_ref()),
                    f,
                    &x.id,
                    &x.source,
                );
            }
            for x in &r.event {
                index.add(
                    iri::entity(Kind::Event, x.id.get_ref()),
                    f,
                    &x.id,
                    &x.source,
                );
                for p in &x.participant {
                    let part = format!("{}-{}", p.organisation.get_ref(), p.role.get_ref());
                    let node = iri::part(Kind::Participation, x.id.get_ref(), &part);
                    index.add(node, f, &p.organisation, &x.source);
                }
            }
            for x in &r.project {
                index.add(
                    iri::entity(Kind::Project, x.id.get_ref()),
                    f,
                    &x.id,
                    &x.source,
                );
                for c in &x.countries {
                    index.add(iri::entity(Kind::Country, c.get_ref()), f, c, &x.source);
                }
            }
            for x in &r.work {
                index.add(iri::entity(Kind::Work, x.id.get_ref()), f, &x.id, &x.source);
            }
            for x in &r.grant {
                let id = x.id.get_ref();
                index.add(iri::entity(Kind::Grant, id), f, &x.id, &x.source);
                let amount = format!("amount/{}", x.source.get_ref());
                index.add(iri::part(Kind::Grant, id, &amount), f, &x.id, &x.source);
            }
            for x in &r.observation {
                index.add(
                    iri::entity(Kind::Observation, x.id.get_ref()),
                    f,
                    &x.id,
                    &x.source,
                );
            }
            for x in &r.scheme {
                index.add(iri::scheme(x.id.get_ref()), f, &x.id, &x.source);
            }
            for x in &r.concept {
                let scheme = schemes.get(x.id.get_ref().as_str()).copied();
                let node = iri::concept(scheme.unwrap_or("topic"), x.id.get_ref());
                index.add(node, f, &x.id, &x.source);
            }
            for x in &r.country {
                let source = crate::mapping::REFERENCE_SOURCE;
                let node = iri::entity(Kind::Country, x.code.get_ref());
                index.add_from(node, f, &x.code, source);
            }
        }
        for s in &parsed.sources {
            let id = &s.record.id;
            index.add(iri::entity(Kind::Source, id.get_ref()), s.file, id, id);
        }
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
    origins: BTreeMap<String, Vec<Origin>>,
    /// The line index of each file, made when the file is first needed.
    lines: Vec<Option<LineIndex>>,
}

impl Indexer<'_> {
    fn add(&mut self, node: oxigraph::model::NamedNode, file: usize, at: &Ref, source: &Ref) {
        self.add_from(node, file, at, source.get_ref());
    }

    fn add_from(&mut self, node: oxigraph::model::NamedNode, file: usize, at: &Ref, source: &str) {
        let text = self.parsed.file(file);
        if self.lines.len() <= file {
            self.lines.resize_with(file + 1, || None);
        }
        let lines = self.lines[file].get_or_insert_with(|| LineIndex::new(&text.text));
        let position = lines.position(&text.text, at.span().start);
        self.origins
            .entry(node.into_string())
            .or_default()
            .push(Origin {
                file: text.display.clone(),
                position: Some(position),
                source: Some(source.to_owned()),
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Diagnostics;
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
            let from_records = [
                "/id/org/",
                "/id/event/",
                "/id/project/",
                "/id/work/",
                "/id/grant/",
                "/id/observation/",
                "/id/participation/",
                "/id/source/",
            ];
            if from_records.iter().any(|k| iri.contains(k)) || iri.contains("/concept/") {
                assert!(!origins.get(iri).is_empty(), "no record found for {iri}");
            }
        }
    }
}
