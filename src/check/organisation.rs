//! The checks of organisations.

use super::{Check, Checker, Target};
use crate::base::iri::ConceptScheme;
use crate::model::load::Located;
use crate::model::{Organisation, OrganisationKind, Record, Source, Work};

impl Check for Organisation {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        checker.check_ref(f, &self.source, Target::of::<Source>());
        let organisations = self.unit_of.iter().chain(&self.founders);
        checker.check_refs(
            f,
            organisations.chain(&self.coordinator),
            Target::of::<Self>(),
        );
        checker.check_refs(f, &self.established_under, Target::of::<Work>());
        checker.check_refs(f, &self.about, Target::Concept(ConceptScheme::Topic));
        checker.check_dates(f, &self.founded);
        checker.check_iris(f, &self.website);
        checker.check_wikidata(f, self.wikidata.as_ref());
        checker.check_iati(f, self.iati.as_ref());
        checker.check_ror(f, self.ror.as_ref());
        checker.check_quotes(f, &self.source, &self.quotes);
    }

    /// A name and a kind in some record; a unit says in some record what it is a unit of.
    fn check_entity(records: &[&Located<Self>], checker: &mut Checker<'_, '_>) {
        checker.require_name(records, "name", |r| r.name.is_some());
        checker.require_kind(records, "kind", |r| r.kind.is_some());
        let unit = records
            .iter()
            .any(|r| r.record.kind == Some(OrganisationKind::Unit));
        let unit_of = records.iter().any(|r| r.record.unit_of.is_some());
        if let (true, false, Some(first)) = (unit, unit_of, records.first()) {
            let id = first.record.id();
            checker.error(
                first.file,
                id.span(),
                format!(
                    "organisation \"{}\" is a unit but no record says what it is a unit of",
                    id.get_ref()
                ),
                "add unit_of = \"…\" naming the parent organisation".into(),
            );
        }
    }
}
