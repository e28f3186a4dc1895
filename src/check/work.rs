//! The checks of works.

use super::{Check, Checker, Target};
use crate::base::iri::ConceptScheme;
use crate::model::load::Located;
use crate::model::{Event, Organisation, Source, Work};

impl Check for Work {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        let organisations = self.publisher.iter().chain(&self.authors);
        checker.check_refs(f, organisations, Target::of::<Organisation>());
        checker.check_refs(f, &self.part_of, Target::of::<Self>());
        checker.check_refs(f, &self.launched_at, Target::of::<Event>());
        checker.check_refs(f, &self.about, Target::Concept(ConceptScheme::Topic));
        checker.check_dates(f, &self.published);
        checker.check_iris(f, &self.url);
        checker.check_quotes(f, &self.source, &self.quotes);
    }

    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        checker.require_name(records, "title", |r| r.title.is_some());
        checker.require_kind(records, "kind", |r| r.kind.is_some());
    }
}
