//! The checks of concepts.

use super::{Check, Checker, Target};
use crate::base::iri::ConceptScheme;
use crate::model::load::Located;
use crate::model::{Concept, Scheme, Source};

impl Check for Concept {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        checker.check_refs(f, &self.scheme, Target::of::<Scheme>());
        // The links of a concept of a known scheme stay in that scheme; a user's own
        // scheme is checked for existence, but its concepts' links are not restricted.
        let scheme = checker
            .scheme_of(self.id.get_ref())
            .and_then(ConceptScheme::from_id);
        if let Some(scheme) = scheme {
            let links = self.broader.iter().chain(&self.related);
            checker.check_refs(f, links, Target::Concept(scheme));
        }
        checker.check_refs(f, &self.at_risk_of, Target::Concept(ConceptScheme::Topic));
        checker.check_quotes(f, &self.source, &self.quotes);
    }

    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        checker.require_name(records, "label", |r| r.label.is_some());
        checker.require_kind(records, "scheme", |r| r.scheme.is_some());
    }
}
