//! Organisations: formal ones, their units and collaborations between them.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    Formal,
    Unit,
    Collaboration,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<OrganisationKind>,
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub description: Option<String>,
    pub unit_of: Option<Ref>,
    pub founded: Option<Spanned<String>>,
    #[serde(default)]
    pub founders: Vec<Ref>,
    pub established_under: Option<Ref>,
    pub coordinator: Option<Ref>,
    pub member_count: Option<u32>,
    pub location: Option<String>,
    #[serde(default)]
    pub about: Vec<Ref>,
    pub website: Option<Spanned<String>>,
    pub wikidata: Option<Spanned<String>>,
    pub iati: Option<Spanned<String>>,
    pub ror: Option<Spanned<String>>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Organisation {
    const TABLE: &'static str = "organisation";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Organisation, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}
