//! The checks of country records.

use super::{Check, Checker, Target};
use crate::model::Country;

impl Check for Country {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.code, Target::Country);
        checker.check_wikidata(f, self.wikidata.as_ref());
    }
}
