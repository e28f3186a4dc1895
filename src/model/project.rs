//! Projects and research projects.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectKind {
    Project,
    ResearchProject,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<ProjectKind>,
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub description: Option<String>,
    pub implementer: Option<Ref>,
    #[serde(default)]
    pub partners: Vec<Ref>,
    #[serde(default)]
    pub funders: Vec<Ref>,
    /// ISO 3166-1 alpha-3 codes of the countries the project covers.
    #[serde(default)]
    pub countries: Vec<Ref>,
    #[serde(default)]
    pub about: Vec<Ref>,
    #[serde(default)]
    pub assistance: Vec<Ref>,
    pub start: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Project {
    const TABLE: &'static str = "project";

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
