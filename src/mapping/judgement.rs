//! The mapping of editorial judgements: each a `tipkg:Judgement` of the editorial graph,
//! with its reason (`tipkg:reason`), the entity whose facts it is for
//! (`tipkg:supportsSubject`) and the property of each (`tipkg:supportsProperty`), as a
//! quote is tied to the facts it states.

use super::quote::{kind_of, supports};
use super::{Map, Mapper};
use crate::base::iri;
use crate::base::vocab::tipkg;
use crate::model::Judgement;

impl Map for Judgement {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let Some((table, id)) = self.about_parts() else {
            return;
        };
        if kind_of(table).is_none() {
            return;
        }
        let source = self.source.get_ref();
        let s = iri::judgement(source, self.id.get_ref());
        let reason = self.reason.get_ref();
        let mut w = mapper.writer(source);
        w.a(&s, tipkg::Judgement);
        w.label(&s, reason, false);
        w.text(&s, tipkg::reason, reason);
        w.sourced(&s);
        supports(&mut w, &s, (table, id), &self.supports);
    }
}
