//! Organisations: formal ones, their units and collaborations between them.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    Formal,
    Unit,
    Collaboration,
    /// A council of people (survivors of trafficking, say) that an organisation set up to
    /// advise it: neither a collaboration of organisations nor a unit.
    Council,
}

/// What one source states about an organisation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// What sort of organisation: `formal`, `unit` (needs `unit_of`), `collaboration` (of organisations) or `council` (of people, set up by an organisation).
    pub kind: Option<OrganisationKind>,
    /// Its name, in the source's language.
    pub name: Option<String>,
    /// Its acronym or short name.
    pub acronym: Option<String>,
    /// A short description, in the source's language.
    pub description: Option<String>,
    /// The id of the organisation it is a unit of.
    #[schemars(with = "Option<String>")]
    pub unit_of: Option<Ref>,
    /// When it was founded: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub founded: Option<Spanned<String>>,
    /// Ids of the organisations that founded it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub founders: Vec<Ref>,
    /// The id of the work (a resolution, say) it was established under.
    #[schemars(with = "Option<String>")]
    pub established_under: Option<Ref>,
    /// The id of the organisation that coordinates it.
    #[schemars(with = "Option<String>")]
    pub coordinator: Option<Ref>,
    /// How many members it has.
    pub member_count: Option<u32>,
    /// Where it is, as the source writes it.
    pub location: Option<String>,
    /// Ids of the topics (concepts) it is about.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub about: Vec<Ref>,
    /// The address of its web site.
    #[schemars(with = "Option<String>")]
    pub website: Option<Spanned<String>>,
    /// Its Wikidata item id, such as "Q740308" (a statement of Wikidata, in Wikidata's graph).
    #[schemars(with = "Option<String>")]
    pub wikidata: Option<Spanned<String>>,
    /// Its IATI organisation identifier, such as "XM-DAC-41122".
    #[schemars(with = "Option<String>")]
    pub iati: Option<Spanned<String>>,
    /// Its ROR id, such as "02cyaqf66".
    #[schemars(with = "Option<String>")]
    pub ror: Option<Spanned<String>>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Organisation {
    const TABLE: &'static str = "organisation";

    const FACTS: &'static [&'static str] = &[
        "kind",
        "name",
        "acronym",
        "description",
        "unit_of",
        "founded",
        "founders",
        "established_under",
        "coordinator",
        "member_count",
        "location",
        "about",
    ];

    fn states(&self, field: &str) -> bool {
        match field {
            "kind" => self.kind.is_some(),
            "name" => self.name.is_some(),
            "acronym" => self.acronym.is_some(),
            "description" => self.description.is_some(),
            "unit_of" => self.unit_of.is_some(),
            "founded" => self.founded.is_some(),
            "founders" => !self.founders.is_empty(),
            "established_under" => self.established_under.is_some(),
            "coordinator" => self.coordinator.is_some(),
            "member_count" => self.member_count.is_some(),
            "location" => self.location.is_some(),
            "about" => !self.about.is_empty(),
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

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Organisation, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}
