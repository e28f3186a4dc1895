//! Legal instruments (treaties, conventions, protocols, resolutions), and what states did
//! on them: signature, ratification, accession, acceptance, approval, succession.

use super::{Key, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use oxigraph::model::NamedNode;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
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

/// What one source states about a legal instrument, and about what states did on it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// The entity's id: a slug (lower-case letters, digits, single hyphens), which becomes its IRI and must never change. Several records (one per source) may share it.
    #[schemars(with = "String")]
    pub id: Ref,
    /// The id of the source that states this record (a file under `sources/`); its facts land in that source's named graph.
    #[schemars(with = "String")]
    pub source: Ref,
    /// What sort of instrument: `treaty`, `convention`, `protocol` or `resolution`.
    pub kind: Option<InstrumentKind>,
    /// Its full name, in the source's language.
    pub name: Option<String>,
    /// A short name or acronym.
    pub acronym: Option<String>,
    /// The document symbol or number its makers or depositary give it ("A/RES/55/25").
    pub identifier: Option<String>,
    /// When it was adopted: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub adopted: Option<Spanned<String>>,
    /// Where it was adopted, as the source writes it.
    pub adopted_at: Option<String>,
    /// The id of the organisation that adopted it.
    #[schemars(with = "Option<String>")]
    pub adopted_by: Option<Ref>,
    /// The id of the instrument (a resolution) that adopted it.
    #[schemars(with = "Option<String>")]
    pub adopted_through: Option<Ref>,
    /// The id of the instrument it supplements (a protocol's convention).
    #[schemars(with = "Option<String>")]
    pub supplements: Option<Ref>,
    /// When it entered into force: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub in_force: Option<Spanned<String>>,
    /// A short description, in the source's language.
    pub description: Option<String>,
    /// The address of its text or of its status.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// Passages of the source, word for word, that state this record's facts (checked against the source's text file when it has one).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub quotes: Vec<Spanned<String>>,
    /// What states did on it, each as an `[[instrument.action]]` table, only as the source states it.
    #[serde(default)]
    pub action: Vec<StateAction>,
}

/// One state's action on the instrument, on one date.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateAction {
    /// The state, by its ISO 3166-1 alpha-3 code.
    #[schemars(with = "String")]
    pub country: Ref,
    /// What it did: `signature`, `ratification`, `accession`, `acceptance`, `approval` or `succession`.
    #[schemars(with = "ActionKind")]
    pub kind: Spanned<ActionKind>,
    /// When, as the source states it: YYYY-MM-DD (or YYYY-MM, YYYY).
    #[schemars(with = "String")]
    pub date: Spanned<String>,
    /// A passage of the source, word for word, that states the action.
    #[schemars(with = "Option<String>")]
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
