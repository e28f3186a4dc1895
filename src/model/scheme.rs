//! Concept schemes: the topic scheme, the populations, the kinds of assistance, the roles,
//! and any a user's data defines.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: Ref,
    pub source: Ref,
    pub title: String,
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
