//! The mapping of legal instruments (`schema:Legislation`), and of what each state did on
//! one: a `tipkg:StateAction` node per state and kind of action, a qualified relation
//! between the country (`schema:agent`) and the instrument (`schema:object`) with its date.

use super::{Map, Mapper, entity};
use crate::base::iri::Kind;
use crate::base::vocab::{dcterms, eli, schema, tipkg};
use crate::model::reference;
use crate::model::{ActionKind, Instrument, StateAction};
use oxigraph::model::{Literal, NamedNode};

impl Map for Instrument {
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>) {
        let source = self.source.get_ref().as_str();
        let s = entity(Kind::Instrument, &self.id);
        mapper.mention(source, &s);
        let mut w = mapper.writer(source);
        if let Some(kind) = self.kind {
            w.a(&s, schema::Legislation);
            let kind = Literal::new_simple_literal(kind.name());
            w.add(&s, schema::legislationType, kind);
        }
        if let Some(name) = &self.name {
            w.label(&s, name, true);
        }
        if let Some(acronym) = &self.acronym {
            w.acronym(&s, acronym);
        }
        if let Some(identifier) = &self.identifier {
            let identifier = Literal::new_simple_literal(identifier);
            w.add(&s, schema::legislationIdentifier, identifier);
        }
        w.texts(&s, schema::description, &self.description);
        w.dates(&s, schema::legislationDate, &self.adopted);
        w.texts(&s, schema::locationCreated, &self.adopted_at);
        let passed_by = &self.adopted_by;
        w.links(
            &s,
            schema::legislationPassedBy,
            Kind::Organisation,
            passed_by,
        );
        let through = &self.adopted_through;
        w.links(&s, tipkg::adoptedThrough, Kind::Instrument, through);
        w.links(&s, tipkg::supplements, Kind::Instrument, &self.supplements);
        w.dates(&s, eli::first_date_entry_in_force, &self.in_force);
        w.addresses(&s, schema::url, &self.url);
        w.derived(&s, &self.quotes);
        for action in &self.action {
            self.state_action(action, &s, mapper);
        }
    }
}

impl Instrument {
    /// What one state did on the instrument: a node of its own, labelled with the names of
    /// the country, the action and the instrument.
    fn state_action<'p>(&'p self, a: &'p StateAction, s: &NamedNode, mapper: &mut Mapper<'_, 'p>) {
        let instrument = self.id.get_ref().as_str();
        let code = a.country.get_ref().as_str();
        mapper.name_country(code);
        let node = a.iri(instrument);
        let kind = *a.kind.get_ref();
        let country = reference::country(code).map_or_else(|| code.to_owned(), |c| c.short_name);
        let label = format!(
            "{country}: {} {}",
            kind.phrase(),
            mapper.name_of::<Self>(instrument)
        );
        let kind = match kind {
            ActionKind::Signature => tipkg::Signature,
            ActionKind::Ratification => tipkg::Ratification,
            ActionKind::Accession => tipkg::Accession,
            ActionKind::Acceptance => tipkg::Acceptance,
            ActionKind::Approval => tipkg::Approval,
            ActionKind::Succession => tipkg::Succession,
        };
        let mut w = mapper.writer(self.source.get_ref());
        w.add(s, tipkg::stateAction, node.clone());
        w.a(&node, tipkg::StateAction);
        w.label(&node, &label, false);
        w.add(&node, schema::agent, entity(Kind::Country, &a.country));
        w.add(&node, schema::object, s.clone());
        w.add(&node, tipkg::actionType, kind);
        w.dates(&node, dcterms::date, [&a.date]);
        w.derived(&node, &a.quote);
    }
}
