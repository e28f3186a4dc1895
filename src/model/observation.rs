//! Observations: statistics such as the share of a group among a population.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Percent,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub id: Ref,
    pub source: Ref,
    pub label: String,
    pub value: f64,
    pub unit: Unit,
    pub population: Ref,
    pub group: Ref,
    pub primary_source: Option<Ref>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Observation {
    const TABLE: &'static str = "observation";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn name(&self) -> Option<&str> {
        Some(&self.label)
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Observation, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}
