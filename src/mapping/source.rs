//! The mapping of sources: each described in its own graph, with what it mentions.

use super::{Map, Mapper, entity};
use crate::base::iri::Kind;
use crate::base::vocab::{dcat, dcterms, prov, schema, tipkg};
use crate::model::load::Located;
use crate::model::{Source, SourceKind};
use oxigraph::model::Literal;

impl Map for Source {
    /// Sources are mapped last, when every record has said what it mentions.
    fn map<'p>(&'p self, _: &mut Mapper<'_, 'p>) {}

    fn map_all<'p>(records: &'p [Located<Self>], mapper: &mut Mapper<'_, 'p>) {
        for located in records {
            located.record.describe(mapper);
        }
    }
}

impl Source {
    fn describe(&self, mapper: &mut Mapper<'_, '_>) {
        let id = self.id.get_ref().as_str();
        let s = entity(Kind::Source, &self.id);
        let mentions = mapper.mentions.remove(id).unwrap_or_default();
        let text = self.text_path().and_then(|path| mapper.text_of(&path));
        let mut w = mapper.writer(id);
        w.a(&s, prov::Entity);
        let class = match self.kind {
            SourceKind::NewsArticle => schema::NewsArticle,
            SourceKind::WebPage => schema::WebPage,
            SourceKind::PressRelease => schema::Article,
            SourceKind::Registry => dcat::Catalog,
            SourceKind::ReferenceData => dcat::Dataset,
            SourceKind::Editorial => schema::CreativeWork,
        };
        w.a(&s, class);
        w.label(&s, &self.title, true);
        w.text(&s, dcterms::title, &self.title);
        w.links(&s, schema::publisher, Kind::Organisation, &self.publisher);
        w.addresses(&s, schema::url, &self.url);
        w.addresses(&s, schema::isPartOf, &self.site);
        w.dates(&s, schema::datePublished, &self.published);
        w.dates(&s, tipkg::retrieved, &self.retrieved);
        let language = Literal::new_simple_literal(self.language.get_ref());
        w.add(&s, schema::inLanguage, language);
        if let Some(text) = text {
            w.text(&s, schema::text, text);
        }
        w.links(&s, schema::about, Kind::Event, &self.about);
        let document = matches!(
            self.kind,
            SourceKind::NewsArticle | SourceKind::WebPage | SourceKind::PressRelease
        );
        if document {
            let about: Vec<_> = self.about.iter().map(|e| entity(Kind::Event, e)).collect();
            for m in mentions {
                if !about.contains(&m) {
                    w.add(&s, schema::mentions, m);
                }
            }
        }
    }
}
