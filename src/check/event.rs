//! The checks of events and of the parts organisations played in them.

use super::{Check, Checker, Target};
use crate::base::iri::ConceptScheme;
use crate::model::load::Located;
use crate::model::{Event, Observation, Organisation, Project, Source, Work};

impl Check for Event {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        let organisations = self.organiser.iter().chain(&self.collaborators);
        checker.check_refs(f, organisations, Target::of::<Organisation>());
        let works = self.based_on.iter().chain(&self.recording);
        checker.check_refs(f, works, Target::of::<Work>());
        checker.check_refs(f, &self.motivated_by, Target::of::<Observation>());
        checker.check_refs(f, &self.about, Target::Concept(ConceptScheme::Topic));
        checker.check_dates(f, &self.start);
        checker.check_quotes(f, &self.source, &self.quotes);
        for p in &self.participant {
            checker.check_ref(f, &p.organisation, Target::of::<Organisation>());
            checker.check_ref(f, &p.role, Target::Concept(ConceptScheme::Role));
            checker.check_refs(f, &p.presented, Target::either::<Project, Work>());
            checker.check_refs(f, &p.about, Target::Concept(ConceptScheme::Topic));
            checker.check_quotes(f, &self.source, &p.quote);
        }
    }

    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        checker.require_name(records, "name", |r| r.name.is_some());
        checker.require_kind(records, "kind", |r| r.kind.is_some());
    }
}
