//! The checks of editorial judgements: each is for facts that the editorial record of its
//! entity states, and every fact of an editorial record has a judgement that says why.

use super::quote::check_supports;
use super::{Check, Checker};
use crate::model::load::Located;
use crate::model::source::EDITORIAL_SOURCE;
use crate::model::{Judgement, Record};

impl Check for Judgement {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        if self.reason.get_ref().trim().is_empty() {
            checker.error(
                f,
                self.reason.span(),
                format!("judgement \"{}\" gives no reason", self.id.get_ref()),
                "say what the facts rest on: what the sources state, or the vocabulary's definition they meet".into(),
            );
        }
        if self.supports.is_empty() {
            checker.error(
                f,
                self.id.span(),
                format!("judgement \"{}\" is for no fact", self.id.get_ref()),
                "name the fields of the editorial record it gives the reason for: supports = [\"kind\"]".into(),
            );
        }
        check_supports(
            f,
            checker,
            "judgement",
            &self.about,
            &self.supports,
            EDITORIAL_SOURCE,
        );
    }

    /// A judgement's id is unique: it names one reason.
    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        for later in records.iter().skip(1) {
            checker.error(
                later.file,
                later.record.id.span(),
                format!(
                    "judgement \"{}\" is defined twice",
                    later.record.id.get_ref()
                ),
                "give each judgement an id of its own".into(),
            );
        }
    }
}

/// A record of the editorial source states facts no source states: each of them needs a
/// judgement with its reason. Reported at the record's id, one message per record.
pub(super) fn check_judged<K: Record>(record: &K, f: usize, checker: &mut Checker<'_, '_>) {
    if K::FACTS.is_empty()
        || record
            .source()
            .is_none_or(|s| s.get_ref() != EDITORIAL_SOURCE)
    {
        return;
    }
    let about = format!("{}/{}", K::TABLE, record.id().get_ref());
    let judged = |field: &str| {
        checker.parsed().records::<Judgement>().iter().any(|j| {
            j.record.about.get_ref() == &about
                && j.record.supports.iter().any(|s| s.get_ref() == field)
        })
    };
    let unjudged: Vec<&str> = K::FACTS
        .iter()
        .copied()
        .filter(|field| record.states(field) && !judged(field))
        .collect();
    if unjudged.is_empty() {
        return;
    }
    checker.error(
        f,
        record.id().span(),
        format!(
            "the editorial record of {about} states {} with no reason",
            unjudged.join(", ")
        ),
        format!(
            "add a [[judgement]] with about = \"{about}\", supports = [{}] and reason = \"…\", or move the facts to the record of a source that states them",
            unjudged
                .iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
}
