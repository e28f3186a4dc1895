//! Countries the data names: their codes, names and regions come from the reference data,
//! so a record holds only what the reference data lacks (a verified Wikidata item).

use super::source::REFERENCE_SOURCE;
use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// A country of the reference data, by its ISO code; names and regions come from ISO 3166-1 and UN M49.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// The country's ISO 3166-1 alpha-3 code, such as "ROU".
    #[schemars(with = "String")]
    pub code: Ref,
    /// The country's Wikidata item id, such as "Q218".
    #[schemars(with = "Option<String>")]
    pub wikidata: Option<Spanned<String>>,
}

impl Record for Country {
    const TABLE: &'static str = "country";

    fn id(&self) -> &Ref {
        &self.code
    }

    /// A country is described by the reference data's graph, not by a source of the data.
    fn source(&self) -> Option<&Ref> {
        None
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        keys.push(Key {
            iri: iri::entity(Kind::Country, self.code.get_ref()),
            at: &self.code,
            source: REFERENCE_SOURCE,
        });
    }
}
