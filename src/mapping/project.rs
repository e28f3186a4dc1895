//! The mapping of projects.

use super::{Map, Mapper, entity};
use crate::base::iri::Kind;
use crate::base::vocab::{schema, tipkg};
use crate::model::{Project, ProjectKind};

impl Map for Project {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = entity(Kind::Project, &self.id);
        mapper.mention(source, &s);
        for code in &self.countries {
            mapper.name_country(code.get_ref());
        }
        let assistance = mapper.concepts(&self.assistance);
        let mut w = mapper.writer(source);
        if let Some(kind) = self.kind {
            let class = match kind {
                ProjectKind::Project => schema::Project,
                ProjectKind::ResearchProject => schema::ResearchProject,
            };
            w.a(&s, class);
        }
        if let Some(name) = &self.name {
            w.label(&s, name, true);
        }
        if let Some(acronym) = &self.acronym {
            w.acronym(&s, acronym);
        }
        w.texts(&s, schema::description, &self.description);
        w.links(
            &s,
            tipkg::implementedBy,
            Kind::Organisation,
            &self.implementer,
        );
        w.links(&s, tipkg::partner, Kind::Organisation, &self.partners);
        w.links(&s, schema::funder, Kind::Organisation, &self.funders);
        w.links(&s, schema::areaServed, Kind::Country, &self.countries);
        w.dates(&s, schema::startDate, &self.start);
        w.dates(&s, schema::endDate, &self.end);
        w.derived(&s, &self.quotes);
        for a in assistance {
            w.add(&s, tipkg::assistanceType, a);
        }
        mapper.subjects(source, &s, &self.about);
    }
}
