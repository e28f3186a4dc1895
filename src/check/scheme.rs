//! The checks of concept schemes.

use super::{Check, Checker, Target};
use crate::model::{Scheme, Source};

impl Check for Scheme {
    const NOUN: &'static str = "concept scheme";

    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
    }
}
