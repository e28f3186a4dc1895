//! Events, and the part each organisation played in one.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use oxigraph::model::NamedNode;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Discussion,
    Launch,
    Congress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attendance {
    Online,
    Offline,
    Mixed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<EventKind>,
    pub name: Option<String>,
    pub start: Option<Spanned<String>>,
    pub attendance: Option<Attendance>,
    pub location: Option<String>,
    pub organiser: Option<Ref>,
    #[serde(default)]
    pub collaborators: Vec<Ref>,
    #[serde(default)]
    pub based_on: Vec<Ref>,
    #[serde(default)]
    pub motivated_by: Vec<Ref>,
    #[serde(default)]
    pub about: Vec<Ref>,
    pub recording: Option<Ref>,
    pub description: Option<String>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
    #[serde(default)]
    pub participant: Vec<Participant>,
}

/// The part one organisation played in an event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub organisation: Ref,
    pub role: Ref,
    #[serde(default)]
    pub presented: Vec<Ref>,
    #[serde(default)]
    pub about: Vec<Ref>,
    pub quote: Option<Spanned<String>>,
}

impl Participant {
    /// The participation's IRI, from the event's id, the organisation and the role.
    pub fn iri(&self, event: &str) -> NamedNode {
        iri::participation(event, self.organisation.get_ref(), self.role.get_ref())
    }
}

impl Record for Event {
    const TABLE: &'static str = "event";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The event, and each participation, known by its organisation.
    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let id = self.id.get_ref();
        keys.push(Key::new(
            iri::entity(Kind::Event, id),
            &self.id,
            &self.source,
        ));
        for p in &self.participant {
            keys.push(Key::new(p.iri(id), &p.organisation, &self.source));
        }
    }
}
