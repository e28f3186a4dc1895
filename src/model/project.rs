//! Projects and research projects.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectKind {
    Project,
    ResearchProject,
}

/// What one source states about a project.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// What sort of project: `project` or `research-project`.
    pub kind: Option<ProjectKind>,
    /// Its name, in the source's language.
    pub name: Option<String>,
    /// Its acronym or short name.
    pub acronym: Option<String>,
    /// A short description, in the source's language.
    pub description: Option<String>,
    /// The id of the organisation that carries it out.
    #[schemars(with = "Option<String>")]
    pub implementer: Option<Ref>,
    /// Ids of the organisations it is carried out with.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub partners: Vec<Ref>,
    /// Ids of the organisations that fund it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub funders: Vec<Ref>,
    /// ISO 3166-1 alpha-3 codes of the countries the project covers.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub countries: Vec<Ref>,
    /// Ids of the topics (concepts) it is about.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub about: Vec<Ref>,
    /// Ids of the kinds of assistance it gives, concepts of the `assistance` scheme.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub assistance: Vec<Ref>,
    /// When it starts: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub start: Option<Spanned<String>>,
    /// When it ends: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub end: Option<Spanned<String>>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Project {
    const TABLE: &'static str = "project";

    const FACTS: &'static [&'static str] = &[
        "name",
        "acronym",
        "description",
        "implementer",
        "partners",
        "funders",
        "countries",
        "about",
        "assistance",
        "start",
        "end",
    ];

    fn states(&self, field: &str) -> bool {
        match field {
            "name" => self.name.is_some(),
            "acronym" => self.acronym.is_some(),
            "description" => self.description.is_some(),
            "implementer" => self.implementer.is_some(),
            "partners" => !self.partners.is_empty(),
            "funders" => !self.funders.is_empty(),
            "countries" => !self.countries.is_empty(),
            "about" => !self.about.is_empty(),
            "assistance" => !self.assistance.is_empty(),
            "start" => self.start.is_some(),
            "end" => self.end.is_some(),
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

    /// The project, and each country it covers (which the reference data describes, but
    /// this record names).
    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Project, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
        for code in &self.countries {
            let iri = iri::entity(Kind::Country, code.get_ref());
            keys.push(Key::new(iri, code, &self.source));
        }
    }
}
