//! The mapping of organisations, and of the identifiers registries give them.

use super::writer::UNIT_OF;
use super::{IATI_SOURCE, Map, Mapper, ROR_SOURCE, WIKIDATA_SOURCE, entity};
use crate::base::iri::{self, Kind};
use crate::base::vocab::{org, schema, tipkg};
use crate::model::{Organisation, OrganisationKind};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode};

impl Map for Organisation {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = entity(Kind::Organisation, &self.id);
        mapper.mention(source, &s);
        let mut w = mapper.writer(source);
        if let Some(kind) = self.kind {
            w.a(&s, schema::Organization);
            w.a(
                &s,
                match kind {
                    OrganisationKind::Formal => org::FormalOrganization,
                    OrganisationKind::Unit => org::OrganizationalUnit,
                    OrganisationKind::Collaboration => org::OrganizationalCollaboration,
                    OrganisationKind::Council => tipkg::Council,
                },
            );
        }
        if let Some(name) = &self.name {
            w.label(&s, name, true);
        }
        if let Some(acronym) = &self.acronym {
            w.acronym(&s, acronym);
        }
        w.texts(&s, schema::description, &self.description);
        if let Some(parent) = &self.unit_of {
            w.both_ways(&s, UNIT_OF, &entity(Kind::Organisation, parent));
        }
        w.dates(&s, schema::foundingDate, &self.founded);
        w.links(&s, schema::founder, Kind::Organisation, &self.founders);
        w.links(
            &s,
            tipkg::establishedUnder,
            Kind::Work,
            &self.established_under,
        );
        w.links(
            &s,
            tipkg::coordinatedBy,
            Kind::Organisation,
            &self.coordinator,
        );
        if let Some(count) = self.member_count {
            let count = Literal::new_typed_literal(count.to_string(), xsd::INTEGER);
            w.add(&s, tipkg::memberCount, count);
        }
        w.texts(&s, schema::location, &self.location);
        w.addresses(&s, schema::url, &self.website);
        w.derived(&s, &self.quotes);
        mapper.subjects(source, &s, &self.about);
        self.identifiers(&s, mapper);
    }
}

impl Organisation {
    /// Each identifier in the graph of the registry that issued it.
    fn identifiers(&self, s: &NamedNode, mapper: &mut Mapper<'_, '_>) {
        if let Some(q) = &self.wikidata {
            let mut w = mapper.writer(WIKIDATA_SOURCE);
            w.add(s, schema::sameAs, iri::wikidata(q.get_ref()));
            w.sourced(s);
        }
        if let Some(code) = &self.iati {
            let mut w = mapper.writer(IATI_SOURCE);
            let code = Literal::new_simple_literal(code.get_ref());
            w.add(s, tipkg::iatiIdentifier, code);
            w.sourced(s);
        }
        if let Some(id) = &self.ror {
            let mut w = mapper.writer(ROR_SOURCE);
            let code = Literal::new_simple_literal(id.get_ref());
            w.add(s, tipkg::rorIdentifier, code);
            w.add(s, schema::sameAs, iri::ror(id.get_ref()));
            w.sourced(s);
        }
    }
}
