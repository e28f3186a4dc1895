//! The checks of projects.

use super::{Check, Checker, Target};
use crate::base::iri::ConceptScheme;
use crate::model::load::Located;
use crate::model::{Organisation, Project, Source};

impl Check for Project {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        let organisations = self.implementer.iter().chain(&self.partners);
        checker.check_refs(
            f,
            organisations.chain(&self.funders),
            Target::of::<Organisation>(),
        );
        checker.check_refs(f, &self.countries, Target::Country);
        checker.check_refs(f, &self.about, Target::Concept(ConceptScheme::Topic));
        checker.check_refs(
            f,
            &self.assistance,
            Target::Concept(ConceptScheme::Assistance),
        );
        checker.check_dates(f, self.start.iter().chain(&self.end));
        checker.check_quotes(f, &self.source, &self.quotes);
    }

    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        checker.require_name(records, "name", |r| r.name.is_some());
        checker.require_kind(records, "kind", |r| r.kind.is_some());
    }
}
