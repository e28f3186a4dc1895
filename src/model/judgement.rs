//! Editorial judgements: the facts that the project's own curation states (an
//! organisation's kind, say) with the reason for each, since no source states them.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri;
use crate::model::source::EDITORIAL_SOURCE;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// Why the editors state facts that no source states: the fields of one entity's record
/// from the editorial source (`source = "tipkg-editorial"`) that the reason is for.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    /// The judgement's id: a slug, unique among judgements, which becomes its IRI in the editorial graph.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The entity whose facts it states, as `kind/id`: `organisation/unicef`.
    #[schemars(with = "String")]
    pub about: Ref,
    /// The fields of that entity's editorial record that the reason is for (`kind`).
    #[schemars(with = "Vec<String>")]
    pub supports: Vec<Ref>,
    /// Why the editors state them: what in the sources, or in the vocabulary's definitions, they rest on.
    #[schemars(with = "String")]
    pub reason: Spanned<String>,
    /// Always the editorial source: a judgement is the editors' own.
    #[serde(skip, default = "editorial")]
    #[schemars(skip)]
    pub source: Ref,
}

fn editorial() -> Ref {
    Spanned::new(0..0, EDITORIAL_SOURCE.to_owned())
}

impl Judgement {
    /// The table and id `about` names, if it is written `kind/id`.
    pub fn about_parts(&self) -> Option<(&str, &str)> {
        self.about.get_ref().split_once('/')
    }
}

impl Record for Judgement {
    const TABLE: &'static str = "judgement";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::judgement(EDITORIAL_SOURCE, self.id.get_ref());
        keys.push(Key {
            iri,
            at: &self.id,
            source: EDITORIAL_SOURCE,
        });
    }
}
