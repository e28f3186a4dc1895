//! Concepts of a scheme, and which scheme each concept belongs to.

use super::load::Parsed;
use super::{Key, Record, Ref};
use crate::base::iri::{self, ConceptScheme};
use oxigraph::model::NamedNode;
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: Ref,
    pub source: Ref,
    pub scheme: Option<Ref>,
    pub label: Option<String>,
    #[serde(default)]
    pub alt_labels: Vec<String>,
    pub definition: Option<String>,
    #[serde(default)]
    pub broader: Vec<Ref>,
    #[serde(default)]
    pub related: Vec<Ref>,
    #[serde(default)]
    pub at_risk_of: Vec<Ref>,
    #[serde(default)]
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
