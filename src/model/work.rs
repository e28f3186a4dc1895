//! Works: reports, agendas, guidance, recordings, resolutions and series of them.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkKind {
    Report,
    Agenda,
    PolicyGuidance,
    Recording,
    Resolution,
    Series,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Work {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<WorkKind>,
    pub title: Option<String>,
    pub acronym: Option<String>,
    pub description: Option<String>,
    pub publisher: Option<Ref>,
    #[serde(default)]
    pub authors: Vec<Ref>,
    pub published: Option<Spanned<String>>,
    pub edition: Option<String>,
    pub part_of: Option<Ref>,
    /// The event at which the work was launched.
    pub launched_at: Option<Ref>,
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub about: Vec<Ref>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Work {
    const TABLE: &'static str = "work";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn name(&self) -> Option<&str> {
        self.title.as_deref()
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Work, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}
