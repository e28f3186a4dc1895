//! The checks of legal instruments and of what states did on them.

use super::{Check, Checker, Target};
use crate::model::load::Located;
use crate::model::{Instrument, Organisation, Source};
use std::collections::BTreeSet;

impl Check for Instrument {
    const NOUN: &'static str = "legal instrument";

    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        checker.check_refs(f, &self.adopted_by, Target::of::<Organisation>());
        let instruments = self.adopted_through.iter().chain(&self.supplements);
        checker.check_refs(f, instruments, Target::of::<Self>());
        checker.check_dates(f, self.adopted.iter().chain(&self.in_force));
        checker.check_iris(f, &self.url);
        checker.check_quotes(f, &self.source, &self.quotes);
        let mut seen = BTreeSet::new();
        for a in &self.action {
            checker.check_ref(f, &a.country, Target::Country);
            checker.check_date(f, &a.date);
            checker.check_quotes(f, &self.source, &a.quote);
            let kind = *a.kind.get_ref();
            if !seen.insert((a.country.get_ref().as_str(), kind)) {
                checker.error(
                    f,
                    a.kind.span(),
                    format!(
                        "{} of \"{}\" by {} is listed twice in this record",
                        kind.slug(),
                        self.id.get_ref(),
                        a.country.get_ref()
                    ),
                    "a state takes each kind of action on an instrument once: keep one \
                     [[instrument.action]] with the date its source states"
                        .into(),
                );
            }
        }
    }

    /// A state acts on an instrument once it is adopted: an action dated before the
    /// adoption that some record states is a slip in one of the dates.
    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        checker.require_name(records, "name", |r| r.name.is_some());
        checker.require_kind(records, "kind", |r| r.kind.is_some());
        let adopted = records
            .iter()
            .filter_map(|r| r.record.adopted.as_ref())
            .map(|d| d.get_ref().as_str())
            .find(|d| is_date(d));
        let Some(adopted) = adopted else { return };
        for r in records {
            for a in &r.record.action {
                let date = a.date.get_ref().as_str();
                let n = date.len().min(adopted.len());
                if is_date(date) && date[..n] < adopted[..n] {
                    checker.error(
                        r.file,
                        a.date.span(),
                        format!(
                            "{} by {} dated {date}, before \"{}\" was adopted on {adopted}",
                            a.kind.get_ref().slug(),
                            a.country.get_ref(),
                            r.record.id.get_ref()
                        ),
                        "correct the date of the action or of the adoption as the sources \
                         state them"
                            .into(),
                    );
                }
            }
        }
    }
}

/// Whether `value` has the shape of a year, a month or a day (`check_date` reports the
/// rest), so that dates of different precision compare by their common prefix.
fn is_date(value: &str) -> bool {
    matches!(value.len(), 4 | 7 | 10)
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}
