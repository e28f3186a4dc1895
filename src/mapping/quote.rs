//! The mapping of quotes tied to facts: each quote a `tipkg:Quote` of its source's graph,
//! with its text, the entity whose facts it states (`tipkg:supportsSubject`) and the
//! property of each fact (`tipkg:supportsProperty`). Plain triples, no reification and no
//! RDF 1.2 triple terms: every export syntax and every store reads them.

use super::writer::Writer;
use super::{Map, Mapper};
use crate::base::iri::{self, Kind};
use crate::base::vocab::{dcterms, org, prov, schema, sdmx_dimension, sdmx_measure, skos, tipkg};
use crate::model::{Quote, Ref};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef};

impl Map for Quote {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let Some((table, id)) = self.about_parts() else {
            return;
        };
        if kind_of(table).is_none() {
            return;
        }
        let s = iri::quote(self.source.get_ref(), self.id.get_ref());
        let text = self.text.get_ref();
        let mut w = mapper.writer(self.source.get_ref());
        w.a(&s, tipkg::Quote);
        w.label(&s, text, false);
        w.text(&s, schema::text, text);
        w.sourced(&s);
        supports(&mut w, &s, (table, id), &self.supports);
        if let Some(note) = &self.note {
            w.text(&s, skos::note, note);
        }
    }
}

/// Ties a quote or a judgement `s` to the facts it is for: the entity `table/id`
/// (`tipkg:supportsSubject`) and the property of each field (`tipkg:supportsProperty`).
pub(super) fn supports(
    w: &mut Writer<'_>,
    s: &NamedNode,
    (table, id): (&str, &str),
    fields: &[Ref],
) {
    let Some(kind) = kind_of(table) else { return };
    w.add(s, tipkg::supportsSubject, iri::entity(kind, id));
    for field in fields {
        if let Some(property) = property(table, field.get_ref()) {
            w.add(s, tipkg::supportsProperty, property);
        }
    }
}

/// The kind of thing a table's records describe, for the tables whose facts can be quoted.
pub(super) fn kind_of(table: &str) -> Option<Kind> {
    Some(match table {
        "event" => Kind::Event,
        "organisation" => Kind::Organisation,
        "project" => Kind::Project,
        "work" => Kind::Work,
        "observation" => Kind::Observation,
        _ => return None,
    })
}

/// The property a field of a record is mapped to (the one its kind's mapping writes).
pub(crate) fn property(table: &str, field: &str) -> Option<NamedNodeRef<'static>> {
    Some(match (table, field) {
        ("organisation", "kind") => rdf::TYPE,
        ("event" | "organisation" | "project", "name") | ("work", "title") => schema::name,
        ("observation", "label") => skos::prefLabel,
        (_, "acronym") => skos::altLabel,
        (_, "description") => schema::description,
        (_, "about") => dcterms::subject,
        (_, "location") => schema::location,
        ("event" | "project", "start") => schema::startDate,
        ("project", "end") => schema::endDate,
        ("event", "attendance") => schema::eventAttendanceMode,
        ("event", "organiser") => schema::organizer,
        ("event", "collaborators") => tipkg::collaborator,
        ("event", "based_on") => tipkg::basedOn,
        ("event", "motivated_by") => tipkg::motivatedBy,
        ("event", "recording") => schema::recordedIn,
        ("organisation", "unit_of") => org::unitOf,
        ("organisation", "founded") => schema::foundingDate,
        ("organisation", "founders") => schema::founder,
        ("organisation", "established_under") => tipkg::establishedUnder,
        ("organisation", "coordinator") => tipkg::coordinatedBy,
        ("organisation", "member_count") => tipkg::memberCount,
        ("project", "implementer") => tipkg::implementedBy,
        ("project", "partners") => tipkg::partner,
        ("project", "funders") => schema::funder,
        ("project", "countries") => schema::areaServed,
        ("project", "assistance") => tipkg::assistanceType,
        ("work", "publisher") => schema::publisher,
        ("work", "authors") => schema::author,
        ("work", "published") => schema::datePublished,
        ("work", "edition") => schema::version,
        ("work", "part_of") => schema::isPartOf,
        ("work", "launched_at") => schema::releasedEvent,
        ("observation", "value") => sdmx_measure::obsValue,
        ("observation", "population") => tipkg::population,
        ("observation", "group") => tipkg::populationGroup,
        ("observation", "period") => sdmx_dimension::refPeriod,
        ("observation", "countries_covered") => tipkg::countriesCovered,
        ("observation", "primary_source") => prov::hadPrimarySource,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Record, Visit, each_kind};

    /// Every fact a check lets a quote state has a kind and a property here.
    #[test]
    fn every_quotable_fact_has_a_property() {
        struct Missing(Vec<String>);
        impl<K: Record> Visit<K> for Missing {
            fn visit(&mut self) {
                for field in K::FACTS {
                    if kind_of(K::TABLE).is_none() || property(K::TABLE, field).is_none() {
                        self.0.push(format!("{}.{field}", K::TABLE));
                    }
                }
            }
        }
        let mut missing = Missing(Vec::new());
        each_kind(&mut missing);
        assert_eq!(missing.0, Vec::<String>::new());
    }
}
