//! The checks of observations.

use super::{Check, Checker, Target};
use crate::base::iri::ConceptScheme;
use crate::model::{Observation, Source, Work};

impl Check for Observation {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        let population = Target::Concept(ConceptScheme::Population);
        checker.check_ref(f, &self.population, population);
        checker.check_ref(f, &self.group, population);
        checker.check_refs(f, &self.primary_source, Target::of::<Work>());
        if !(0.0..=100.0).contains(&self.value) {
            checker.error(
                f,
                self.id.span(),
                format!(
                    "observation \"{}\" has a percentage of {} outside 0 to 100",
                    self.id.get_ref(),
                    self.value
                ),
                "a share in percent lies between 0 and 100".into(),
            );
        }
        checker.check_dates(f, &self.period);
        if let Some(count) = &self.countries_covered
            && *count.get_ref() == 0
        {
            checker.error(
                f,
                count.span(),
                format!(
                    "observation \"{}\" covers 0 countries",
                    self.id.get_ref()
                ),
                "give the number of countries the figure draws on, as the source states it, or leave countries_covered out".into(),
            );
        }
        checker.check_quotes(f, &self.source, &self.quotes);
    }
}
