//! The mapping of concepts: in their scheme, with their links to other concepts.

use super::writer::{BROADER, TOP_CONCEPT_OF};
use super::{Map, Mapper};
use crate::base::iri;
use crate::base::vocab::{skos, tipkg};
use crate::model::Concept;

impl Map for Concept {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = mapper.concept(self.id.get_ref());
        mapper.mention(source, &s);
        let broader = mapper.concepts(&self.broader);
        let related = mapper.concepts(&self.related);
        let at_risk = mapper.concepts(&self.at_risk_of);
        let mut w = mapper.writer(source);
        if let Some(scheme) = &self.scheme {
            let scheme = iri::scheme(scheme.get_ref());
            w.a(&s, skos::Concept);
            w.add(&s, skos::inScheme, scheme.clone());
            if broader.is_empty() {
                w.both_ways(&s, TOP_CONCEPT_OF, &scheme);
            }
        }
        if let Some(label) = &self.label {
            w.label(&s, label, false);
        }
        w.texts(&s, skos::altLabel, &self.alt_labels);
        w.texts(&s, skos::definition, &self.definition);
        for b in &broader {
            w.both_ways(&s, BROADER, b);
        }
        // `skos:related` is symmetric: both ends state it.
        for x in related {
            w.add(&s, skos::related, x.clone());
            w.add(&x, skos::related, s.clone());
        }
        for x in at_risk {
            w.add(&s, tipkg::atRiskOf, x);
        }
        w.derived(&s, &self.quotes);
    }
}
