//! Grants: who funded what, and the amount each source states.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use oxigraph::model::NamedNode;
use serde::Deserialize;
use toml::Spanned;

/// How the editors rank a statement that other sources contradict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rank {
    Preferred,
    Normal,
    Deprecated,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub id: Ref,
    pub source: Ref,
    pub funder: Ref,
    pub funded: Ref,
    pub start: Option<Spanned<String>>,
    pub amount: Option<f64>,
    pub currency: Option<Spanned<String>>,
    pub rank: Option<Rank>,
    pub rank_reason: Option<String>,
    #[serde(default)]
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
