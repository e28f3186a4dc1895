//! Works: reports, agendas, guidance, recordings, resolutions and series of them.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WorkKind {
    Report,
    Agenda,
    PolicyGuidance,
    Recording,
    Resolution,
    Series,
}

/// What one source states about a work: a report, a resolution, a recording…
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Work {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// What sort of work: `report`, `agenda`, `policy-guidance`, `recording`, `resolution` or `series`.
    pub kind: Option<WorkKind>,
    /// Its title, in the source's language.
    pub title: Option<String>,
    /// Its acronym or short name.
    pub acronym: Option<String>,
    /// A short description, in the source's language.
    pub description: Option<String>,
    /// The id of the organisation that published it.
    #[schemars(with = "Option<String>")]
    pub publisher: Option<Ref>,
    /// Ids of the organisations that wrote it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub authors: Vec<Ref>,
    /// When it was published: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub published: Option<Spanned<String>>,
    /// Its edition, as the source writes it.
    pub edition: Option<String>,
    /// The id of the work (a series, say) it is part of.
    #[schemars(with = "Option<String>")]
    pub part_of: Option<Ref>,
    /// The event at which the work was launched.
    #[schemars(with = "Option<String>")]
    pub launched_at: Option<Ref>,
    /// The address of the work itself.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// Ids of the topics (concepts) it is about.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub about: Vec<Ref>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Work {
    const TABLE: &'static str = "work";

    const FACTS: &'static [&'static str] = &[
        "title",
        "acronym",
        "description",
        "publisher",
        "authors",
        "published",
        "edition",
        "part_of",
        "launched_at",
        "about",
    ];

    fn states(&self, field: &str) -> bool {
        match field {
            "title" => self.title.is_some(),
            "acronym" => self.acronym.is_some(),
            "description" => self.description.is_some(),
            "publisher" => self.publisher.is_some(),
            "authors" => !self.authors.is_empty(),
            "published" => self.published.is_some(),
            "edition" => self.edition.is_some(),
            "part_of" => self.part_of.is_some(),
            "launched_at" => self.launched_at.is_some(),
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
        self.title.as_deref()
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Work, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}
