//! Observations: statistics such as the share of a group among a population.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Percent,
}

/// A figure one source states about a group of a population.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// What is measured, in the source's language.
    pub label: String,
    /// The measured value, in `unit`.
    pub value: f64,
    /// The unit of the value: `percent`.
    pub unit: Unit,
    /// The id of the population measured, a concept of the `population` scheme.
    #[schemars(with = "String")]
    pub population: Ref,
    /// The id of the group within the population, a concept of the `population` scheme.
    #[schemars(with = "String")]
    pub group: Ref,
    /// The period the figure refers to, as the source states it (`2020` for figures of
    /// 2020): YYYY, YYYY-MM or YYYY-MM-DD. Not the date the figure was published.
    #[schemars(with = "Option<String>")]
    pub period: Option<Spanned<String>>,
    /// How many countries the figure draws on, as the source states it.
    #[schemars(with = "Option<u32>")]
    pub countries_covered: Option<Spanned<u32>>,
    /// The id of the work the figure comes from, when the source cites one.
    #[schemars(with = "Option<String>")]
    pub primary_source: Option<Ref>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Observation {
    const TABLE: &'static str = "observation";

    const FACTS: &'static [&'static str] = &[
        "label",
        "value",
        "population",
        "group",
        "period",
        "countries_covered",
        "primary_source",
    ];

    fn states(&self, field: &str) -> bool {
        match field {
            "label" | "value" | "population" | "group" => true,
            "period" => self.period.is_some(),
            "countries_covered" => self.countries_covered.is_some(),
            "primary_source" => self.primary_source.is_some(),
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
        Some(&self.label)
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Observation, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}
