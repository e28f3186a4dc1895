//! Quotes tied to facts: a passage of a source and the facts of one entity it states.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// A passage of a source, word for word, and which facts of one entity it states: the
/// fields of that entity's record from the same source (`start`, `organiser`…).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The quote's id: a slug, unique among quotes, which becomes its IRI under its source's.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source the passage is taken from (a file under `sources/` with a text file).
    #[schemars(with = "String")]
    pub source: Ref,
    /// The passage, word for word (checked against the source's text file).
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// The entity whose facts it states, as `kind/id`: `event/2023-06-19-access-to-justice-for-children`.
    #[schemars(with = "String")]
    pub about: Ref,
    /// The fields of that entity's record from the same source that the passage states (`start`, `organiser`).
    #[schemars(with = "Vec<String>")]
    pub supports: Vec<Ref>,
    /// What the passage leaves to other evidence, if anything (the year of a date, say).
    pub note: Option<String>,
}

impl Quote {
    /// The table and id `about` names, if it is written `kind/id`.
    pub fn about_parts(&self) -> Option<(&str, &str)> {
        self.about.get_ref().split_once('/')
    }
}

impl Record for Quote {
    const TABLE: &'static str = "quote";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::quote(self.source.get_ref(), self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
    }
}
