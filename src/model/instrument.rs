//! Legal instruments (treaties, conventions, protocols, resolutions), and what states did
//! on them: signature, ratification, accession, acceptance, approval, succession.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use oxigraph::model::NamedNode;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstrumentKind {
    Treaty,
    Convention,
    Protocol,
    Resolution,
}

impl InstrumentKind {
    /// Its name, as `schema:legislationType` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Treaty => "treaty",
            Self::Convention => "convention",
            Self::Protocol => "protocol",
            Self::Resolution => "resolution",
        }
    }
}

/// What a state did on an instrument, as its depositary records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    Signature,
    Ratification,
    Accession,
    Acceptance,
    Approval,
    Succession,
}

impl ActionKind {
    /// Its slug, the last part of the action's IRI.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Signature => "signature",
            Self::Ratification => "ratification",
            Self::Accession => "accession",
            Self::Acceptance => "acceptance",
            Self::Approval => "approval",
            Self::Succession => "succession",
        }
    }

    /// The action with its preposition, as labels name it ("accession to").
    pub fn phrase(self) -> &'static str {
        match self {
            Self::Signature => "signature of",
            Self::Ratification => "ratification of",
            Self::Accession => "accession to",
            Self::Acceptance => "acceptance of",
            Self::Approval => "approval of",
            Self::Succession => "succession to",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<InstrumentKind>,
    pub name: Option<String>,
    pub acronym: Option<String>,
    /// The document symbol or number its makers give it ("A/RES/55/25").
    pub identifier: Option<String>,
    /// The date of its adoption.
    pub adopted: Option<Spanned<String>>,
    /// Where it was adopted or opened for signature.
    pub adopted_at: Option<String>,
    /// The organisation that adopted it.
    pub adopted_by: Option<Ref>,
    /// The instrument (a resolution) that adopted it.
    pub adopted_through: Option<Ref>,
    /// The instrument it supplements (a protocol's convention).
    pub supplements: Option<Ref>,
    /// The date it entered into force.
    pub in_force: Option<Spanned<String>>,
    pub description: Option<String>,
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
    #[serde(default)]
    pub action: Vec<StateAction>,
}

/// One state's action on the instrument, on one date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateAction {
    /// ISO 3166-1 alpha-3.
    pub country: Ref,
    pub kind: Spanned<ActionKind>,
    pub date: Spanned<String>,
    pub quote: Option<Spanned<String>>,
}

impl StateAction {
    /// The action's IRI, from the instrument's id, the country and the kind of action.
    pub fn iri(&self, instrument: &str) -> NamedNode {
        iri::state_action(
            instrument,
            self.country.get_ref(),
            self.kind.get_ref().slug(),
        )
    }
}

impl Record for Instrument {
    const TABLE: &'static str = "instrument";

    fn id(&self) -> &Ref {
        &self.id
    }

    fn source(&self) -> Option<&Ref> {
        Some(&self.source)
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The instrument, and each state action, known by its country.
    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let id = self.id.get_ref();
        keys.push(Key::new(
            iri::entity(Kind::Instrument, id),
            &self.id,
            &self.source,
        ));
        for a in &self.action {
            keys.push(Key::new(a.iri(id), &a.country, &self.source));
        }
    }
}
