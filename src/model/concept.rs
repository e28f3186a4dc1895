//! Concepts of a scheme, and which scheme each concept belongs to.

use super::load::Parsed;
use super::{Key, Record, Ref};
use crate::base::iri::{self, ConceptScheme};
use oxigraph::model::NamedNode;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

/// What one source states about a concept of a scheme.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// The id of its concept scheme; one record of the concept must name it.
    #[schemars(with = "Option<String>")]
    pub scheme: Option<Ref>,
    /// Its preferred label, in the source's language.
    pub label: Option<String>,
    /// Other labels it is known by.
    #[serde(default)]
    pub alt_labels: Vec<String>,
    /// Its definition, in the source's language.
    pub definition: Option<String>,
    /// Ids of broader concepts of the same scheme.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub broader: Vec<Ref>,
    /// Ids of related concepts.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub related: Vec<Ref>,
    /// Ids of the harms (topics) this population is at risk of.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub at_risk_of: Vec<Ref>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
}

impl Record for Concept {
    const TABLE: &'static str = "concept";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn name(&self) -> Option<&str> {
        self.label.as_deref()
    }

    fn keys<'r>(&'r self, schemes: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = schemes.concept(self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}

/// The scheme of each concept: a concept's IRI contains its scheme, which only some of its
/// records state; the first record (in file order) that states one decides. The checks,
/// the mapping and the origins all ask this.
#[derive(Debug, Default)]
pub struct Schemes<'p>(HashMap<&'p str, &'p str>);

impl<'p> Schemes<'p> {
    pub fn of(parsed: &'p Parsed) -> Self {
        let mut schemes = HashMap::new();
        for c in parsed.records::<Concept>() {
            if let Some(s) = &c.record.scheme {
                schemes
                    .entry(c.record.id.get_ref().as_str())
                    .or_insert(s.get_ref().as_str());
            }
        }
        Self(schemes)
    }

    /// The scheme the records of concept `id` name, if any does.
    pub fn get(&self, id: &str) -> Option<&'p str> {
        self.0.get(id).copied()
    }

    /// The IRI of concept `id`: in its scheme, or in the topic scheme when no record says
    /// (a reference to an unknown concept, which the checks report).
    pub fn concept(&self, id: &str) -> NamedNode {
        let scheme = self.get(id).unwrap_or(ConceptScheme::Topic.id());
        iri::concept(scheme, id)
    }
}
