//! Events, and the part each organisation played in one.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use oxigraph::model::NamedNode;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Discussion,
    Launch,
    Congress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Attendance {
    Online,
    Offline,
    Mixed,
}

/// What one source states about an event.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// What sort of event: `discussion`, `launch` or `congress`.
    pub kind: Option<EventKind>,
    /// Its name, in the source's language.
    pub name: Option<String>,
    /// When it started: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub start: Option<Spanned<String>>,
    /// How it was attended: `online`, `offline` or `mixed`.
    pub attendance: Option<Attendance>,
    /// Where it is, as the source writes it.
    pub location: Option<String>,
    /// The id of the organisation that organised it.
    #[schemars(with = "Option<String>")]
    pub organiser: Option<Ref>,
    /// Ids of the organisations that organised it with the organiser.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub collaborators: Vec<Ref>,
    /// Ids of the works it was based on.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub based_on: Vec<Ref>,
    /// Ids of the works or events that motivated it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub motivated_by: Vec<Ref>,
    /// Ids of the topics (concepts) it is about.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub about: Vec<Ref>,
    /// The id of the work that records it.
    #[schemars(with = "Option<String>")]
    pub recording: Option<Ref>,
    /// A short description, in the source's language.
    pub description: Option<String>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
    /// The organisations that took part, each as a `[[event.participant]]` table.
    #[serde(default)]
    pub participant: Vec<Participant>,
}

/// The part one organisation played in an event.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// The id of the organisation that took part.
    #[schemars(with = "String")]
    pub organisation: Ref,
    /// The id of its role, a concept of the `role` scheme.
    #[schemars(with = "String")]
    pub role: Ref,
    /// Ids of the works it presented.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub presented: Vec<Ref>,
    /// Ids of the topics it spoke about.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub about: Vec<Ref>,
    /// A passage of the source, word for word, that states the participation.
    #[schemars(with = "Option<String>")]
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

    const FACTS: &'static [&'static str] = &[
        "name",
        "start",
        "attendance",
        "location",
        "organiser",
        "collaborators",
        "based_on",
        "motivated_by",
        "about",
        "recording",
        "description",
    ];

    fn states(&self, field: &str) -> bool {
        match field {
            "name" => self.name.is_some(),
            "start" => self.start.is_some(),
            "attendance" => self.attendance.is_some(),
            "location" => self.location.is_some(),
            "organiser" => self.organiser.is_some(),
            "collaborators" => !self.collaborators.is_empty(),
            "based_on" => !self.based_on.is_empty(),
            "motivated_by" => !self.motivated_by.is_empty(),
            "about" => !self.about.is_empty(),
            "recording" => self.recording.is_some(),
            "description" => self.description.is_some(),
            _ => false,
        }
    }

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
