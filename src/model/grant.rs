//! Grants: who funded what, and the amount each source states.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use oxigraph::model::NamedNode;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// How the editors rank a statement that other sources contradict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Rank {
    Preferred,
    Normal,
    Deprecated,
}

/// What one source states about a grant: who funds which project, with how much.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// The id of the organisation that gives the grant.
    #[schemars(with = "String")]
    pub funder: Ref,
    /// The id of the project it funds.
    #[schemars(with = "String")]
    pub funded: Ref,
    /// When it starts: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub start: Option<Spanned<String>>,
    /// The amount granted, in `currency`.
    pub amount: Option<f64>,
    /// The ISO 4217 code of the amount's currency, such as "USD".
    #[schemars(with = "Option<String>")]
    pub currency: Option<Spanned<String>>,
    /// The editorial rank of this statement where sources disagree: `preferred`, `normal` or `deprecated`.
    pub rank: Option<Rank>,
    /// Why the statement has its rank.
    pub rank_reason: Option<String>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
}

impl Grant {
    /// The amount as this record's source states it: one node per grant and source, so
    /// that amounts that disagree stay apart.
    pub fn amount_iri(&self) -> NamedNode {
        iri::grant_amount(self.id.get_ref(), self.source.get_ref())
    }
}

impl Record for Grant {
    const TABLE: &'static str = "grant";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Grant, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.source));
        keys.push(Key::new(self.amount_iri(), &self.id, &self.source));
    }
}
