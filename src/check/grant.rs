//! The checks of grants.

use super::{Check, Checker, Target};
use crate::model::{Grant, Organisation, Project, Source};

impl Check for Grant {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        checker.check_ref(f, &self.funder, Target::of::<Organisation>());
        checker.check_ref(f, &self.funded, Target::of::<Project>());
        checker.check_dates(f, &self.start);
        checker.check_currency(f, self.currency.as_ref());
        checker.check_quotes(f, &self.source, &self.quotes);
    }
}
