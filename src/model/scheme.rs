//! Concept schemes: the topic scheme, the populations, the kinds of assistance, the roles,
//! and any a user's data defines.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri;
use schemars::JsonSchema;
use serde::Deserialize;

/// A concept scheme: a list of concepts (topics, populations, kinds of assistance, roles).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// The scheme's title.
    pub title: String,
    /// What the scheme classifies.
    pub description: String,
}

impl Record for Scheme {
    const TABLE: &'static str = "scheme";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn name(&self) -> Option<&str> {
        Some(&self.title)
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        keys.push(Key::new(
            iri::scheme(self.id.get_ref()),
            &self.id,
            &self.source,
        ));
    }
}
