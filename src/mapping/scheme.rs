//! The mapping of concept schemes.

use super::{Map, Mapper};
use crate::base::iri;
use crate::base::vocab::{dcterms, skos};
use crate::model::Scheme;

impl Map for Scheme {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let s = iri::scheme(self.id.get_ref());
        let mut w = mapper.writer(self.source.get_ref());
        w.a(&s, skos::ConceptScheme);
        w.label(&s, &self.title, false);
        w.text(&s, dcterms::title, &self.title);
        w.text(&s, dcterms::description, &self.description);
        w.sourced(&s);
    }
}
