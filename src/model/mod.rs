//! The typed records of the curated data files, as serde reads them, and the registry of
//! their kinds.
//!
//! A record says what *one source* states about one entity: the same entity may have a
//! record per source, and each record's facts land in its source's named graph. The model
//! knows nothing of RDF but the IRIs its records are known by (minted by `base::iri`); ids
//! and references keep their position in the file so that checks can point at them.
//!
//! Each kind of record is one file here (its serde type and its [`Record`] impl) and one
//! entry of [`Kinds`]. The layers above dispatch through that list: loading
//! (`load`), the checks (`check::Check`), the mapping (`mapping::Map`) and the origins of
//! entities (`Record::keys`) each visit every kind with [`each_kind`], so that the compiler
//! names every trait a new kind still lacks.

pub mod concept;
pub mod country;
pub mod event;
pub mod generate;
pub mod grant;
pub mod instrument;
pub mod judgement;
pub mod load;
pub mod observation;
pub mod organisation;
pub mod project;
pub mod quote;
pub mod reference;
pub mod schema;
pub mod scheme;
pub mod source;
pub mod structure;
pub mod work;

pub use concept::{Concept, Schemes};
pub use country::Country;
pub use event::{Attendance, Event, EventKind, Participant};
pub use grant::{Grant, Rank};
pub use instrument::{ActionKind, Instrument, InstrumentKind, StateAction};
pub use judgement::Judgement;
pub use observation::{Observation, Unit};
pub use organisation::{Organisation, OrganisationKind};
pub use project::{Project, ProjectKind};
pub use quote::Quote;
pub use scheme::Scheme;
pub use source::{Source, SourceKind};
pub use work::{Work, WorkKind};

use oxigraph::model::NamedNode;
use serde::de::DeserializeOwned;
use toml::Spanned;

/// A reference to another record by id, with its place in the file.
pub type Ref = Spanned<String>;

/// The registry: every kind of record, in the order the mapping maps them (within a data
/// file, kind by kind; then what each kind maps from all its records at once: countries,
/// then sources, which mention everything before them).
pub type Kinds = (
    Organisation,
    Event,
    Project,
    Work,
    Grant,
    Observation,
    Instrument,
    Quote,
    Judgement,
    Scheme,
    Concept,
    Country,
    Source,
);

/// Where the records of a kind are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `[[table]]` arrays in the `*.toml` files at the top of the data directory; a file
    /// may hold any mix of kinds.
    DataFile,
    /// One `[table]` per file under `sources/`, the file named after the record's id.
    SourceFile,
}

/// A kind of record: what the layers above need to know of every kind alike.
pub trait Record: DeserializeOwned + schemars::JsonSchema + Send + Sync + 'static {
    /// The name of its table in data files (`[[organisation]]`), which messages use too.
    const TABLE: &'static str;
    /// Where its records are written.
    const PLACE: Place = Place::DataFile;

    /// The id of the entity the record describes (a country's ISO code).
    fn id(&self) -> &Ref;

    /// The source that states the record, whose named graph holds its facts; `None` for a
    /// record of reference data, which goes to the reference data's graph.
    fn source(&self) -> Option<&Ref>;

    /// The entity's display name as this record gives it, if any (a name, a title, a label).
    fn name(&self) -> Option<&str> {
        None
    }

    /// The fields of this kind whose facts a quote can state (`[[quote]]` `supports`), or an
    /// editorial judgement give a reason for (`[[judgement]]` `supports`).
    const FACTS: &'static [&'static str] = &[];

    /// Whether this record states the fact of `field` (one of [`Record::FACTS`]).
    fn states(&self, field: &str) -> bool {
        let _ = field;
        false
    }

    /// The IRIs minted from this record, each with the place in the file it is known by
    /// and the source that states it: the mapping gives these entities their facts, and
    /// the origins of a report find the record by them. Both use this one function (or the
    /// functions it calls), so that they always meet on the IRI.
    fn keys<'r>(&'r self, schemes: &Schemes<'_>, keys: &mut Vec<Key<'r>>);
}

/// An IRI minted from a record, with where it is written and which source states it.
#[derive(Debug, Clone)]
pub struct Key<'r> {
    pub iri: NamedNode,
    /// The value of the record the entity is known by: its id, or the reference it is
    /// minted from (a participation's organisation, a project's country code).
    pub at: &'r Ref,
    pub source: &'r str,
}

impl<'r> Key<'r> {
    /// A key stated by the record's own source.
    pub fn new(iri: NamedNode, at: &'r Ref, source: &'r Ref) -> Self {
        Self {
            iri,
            at,
            source: source.get_ref(),
        }
    }
}

/// Something done once per kind of record, for kind `K`.
pub trait Visit<K: Record> {
    fn visit(&mut self);
}

/// A list of kinds, visited in order: implemented for tuples of kinds, so that [`Kinds`]
/// can be visited by anything that can visit each of its kinds.
pub trait EachKind<V> {
    fn each(visitor: &mut V);
}

macro_rules! each_kind_of_tuples {
    () => {};
    ($head:ident $(, $tail:ident)*) => {
        impl<V, $head: Record, $($tail: Record),*> EachKind<V> for ($head, $($tail,)*)
        where
            V: Visit<$head> $(+ Visit<$tail>)*,
        {
            fn each(visitor: &mut V) {
                <V as Visit<$head>>::visit(visitor);
                $(<V as Visit<$tail>>::visit(visitor);)*
            }
        }
        each_kind_of_tuples!($($tail),*);
    };
}

each_kind_of_tuples!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);

/// Visits every kind of [`Kinds`], in order. A visitor implements [`Visit`] for every kind
/// that has its layer's trait (`impl<K: Check> Visit<K> for …`): a kind that lacks it is a
/// compile error here.
pub fn each_kind<V>(visitor: &mut V)
where
    Kinds: EachKind<V>,
{
    <Kinds as EachKind<V>>::each(visitor);
}

/// The tables of the kinds written in files of this place, in registry order.
pub fn tables(place: Place) -> Vec<&'static str> {
    struct Tables(Place, Vec<&'static str>);
    impl<K: Record> Visit<K> for Tables {
        fn visit(&mut self) {
            if K::PLACE == self.0 {
                self.1.push(K::TABLE);
            }
        }
    }
    let mut tables = Tables(place, Vec::new());
    each_kind(&mut tables);
    tables.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_table_of_its_own() {
        let mut tables = tables(Place::DataFile);
        assert_eq!(
            tables,
            [
                "organisation",
                "event",
                "project",
                "work",
                "grant",
                "observation",
                "instrument",
                "quote",
                "judgement",
                "scheme",
                "concept",
                "country"
            ]
        );
        assert_eq!(super::tables(Place::SourceFile), [Source::TABLE]);
        tables.push(Source::TABLE);
        let mut unique = tables.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), tables.len());
    }
}
