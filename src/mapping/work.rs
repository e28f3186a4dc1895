//! The mapping of works.

use super::{Map, Mapper, entity};
use crate::base::iri::Kind;
use crate::base::vocab::{schema, tipkg};
use crate::model::{Work, WorkKind};
use oxigraph::model::Literal;

impl Map for Work {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = entity(Kind::Work, &self.id);
        mapper.mention(source, &s);
        let mut w = mapper.writer(source);
        if let Some(kind) = self.kind {
            let class = match kind {
                WorkKind::Report => schema::Report,
                WorkKind::Agenda => tipkg::Agenda,
                WorkKind::PolicyGuidance => tipkg::PolicyGuidance,
                WorkKind::Recording => schema::VideoObject,
                WorkKind::Resolution => tipkg::Resolution,
                WorkKind::Series => schema::CreativeWorkSeries,
            };
            w.a(&s, class);
            // The ontology's own kinds of works are creative works to schema.org readers.
            if matches!(
                kind,
                WorkKind::Agenda | WorkKind::PolicyGuidance | WorkKind::Resolution
            ) {
                w.a(&s, schema::CreativeWork);
            }
        }
        if let Some(title) = &self.title {
            w.label(&s, title, true);
        }
        if let Some(acronym) = &self.acronym {
            w.acronym(&s, acronym);
        }
        w.texts(&s, schema::description, &self.description);
        w.links(&s, schema::publisher, Kind::Organisation, &self.publisher);
        w.links(&s, schema::author, Kind::Organisation, &self.authors);
        w.dates(&s, schema::datePublished, &self.published);
        if let Some(edition) = &self.edition {
            w.add(&s, schema::version, Literal::new_simple_literal(edition));
        }
        w.links(&s, schema::isPartOf, Kind::Work, &self.part_of);
        w.links(&s, schema::releasedEvent, Kind::Event, &self.launched_at);
        w.addresses(&s, schema::url, &self.url);
        w.derived(&s, &self.quotes);
        mapper.subjects(source, &s, &self.about);
    }
}
