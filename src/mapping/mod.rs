//! Maps checked records onto quads: pure, no I/O, no blank nodes.
//!
//! Each record's facts go into the named graph of its source; identifiers go into the graph
//! of the registry that issued them; country codes, names and regions into the graph of the
//! reference data; ranks of disagreeing statements into the editorial graph. Every entity
//! gets a label and a `prov:wasDerivedFrom` link to its source in each graph it appears in.
//!
//! Every kind of record has a unit of its own (`organisation.rs`, `event.rs`…), its
//! [`Map`] impl; this module runs them over the registry of kinds (`model::Kinds`), with
//! what every unit shares: the [`Mapper`] (what the mapping knows across records) and the
//! [`Writer`] of one graph (`writer.rs`).

mod concept;
mod country;
mod event;
mod grant;
mod instrument;
mod judgement;
mod observation;
mod organisation;
pub mod origin;
mod project;
mod quote;
mod scheme;
mod source;
mod work;
mod writer;

pub use crate::model::source::{
    EDITORIAL_SOURCE, IATI_SOURCE, REFERENCE_SOURCE, ROR_SOURCE, WIKIDATA_SOURCE,
};
pub use writer::{LINKS_BOTH_WAYS, Link};

use crate::base::error::{Error, Result};
use crate::base::iri::{self, Kind};
use crate::base::parallel;
use crate::base::vocab::dcterms;
use crate::model::load::{self, DataRoot, Located, Parsed};
use crate::model::{Record, Ref, Schemes, Source, Visit, each_kind};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Quad};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use writer::Writer;

/// The mapping of one kind of record.
pub(crate) trait Map: Record {
    /// Maps one record. Records are mapped file by file, and within a file kind by kind in
    /// registry order.
    fn map<'p>(&'p self, mapper: &mut Mapper<'_, 'p>);

    /// Maps what needs every record of the kind at once, after every record of every kind
    /// was mapped (kinds in registry order).
    fn map_all<'p>(records: &'p [Located<Self>], mapper: &mut Mapper<'_, 'p>) {
        let _ = (records, mapper);
    }
}

/// What the mapping of every kind shares: the quads written, what it knows of all the
/// records before it starts ([`Known`]), and what it gathers as it goes.
pub(crate) struct Mapper<'q, 'p> {
    quads: &'q mut Vec<Quad>,
    known: &'q Known<'p>,
    /// Entities with a record, per source: what each document mentions.
    mentions: BTreeMap<&'p str, BTreeSet<NamedNode>>,
    /// Countries the records name, which the reference data describes.
    countries: BTreeSet<&'p str>,
}

/// What the mapping knows of all the records before it maps one.
struct Known<'p> {
    parsed: &'p Parsed,
    /// Source id → the language of its texts.
    languages: HashMap<&'p str, &'p str>,
    /// (table of the kind, id) → the first display name a record gives.
    names: HashMap<(&'static str, &'p str), &'p str>,
    schemes: Schemes<'p>,
}

impl<'q, 'p> Mapper<'q, 'p> {
    fn new(quads: &'q mut Vec<Quad>, known: &'q Known<'p>) -> Self {
        Mapper {
            quads,
            known,
            mentions: BTreeMap::new(),
            countries: BTreeSet::new(),
        }
    }
}

/// Maps every checked record to quads. The ontology is added by the store, not here.
pub fn map(parsed: &Parsed) -> Vec<Quad> {
    let mut quads = Vec::new();
    map_into(parsed, &mut quads);
    quads
}

/// Maps every checked record to quads added at the end of `quads` (a build's are a large
/// vector, not copied once more to follow the ontology's). The files are mapped on as many
/// threads as there are cores, and their quads added in file order, so that the quads are
/// the same, in the same order, as if they were mapped one file after the other.
fn map_into(parsed: &Parsed, quads: &mut Vec<Quad>) {
    let mut names = Names(HashMap::new(), parsed);
    each_kind(&mut names);
    let known = Known {
        parsed,
        languages: parsed
            .records::<Source>()
            .iter()
            .map(|s| {
                (
                    s.record.id.get_ref().as_str(),
                    s.record.language.get_ref().as_str(),
                )
            })
            .collect(),
        names: names.0,
        schemes: Schemes::of(parsed),
    };
    let files: Vec<usize> = (0..parsed.files.len()).collect();
    let mut mentions: BTreeMap<&str, BTreeSet<NamedNode>> = BTreeMap::new();
    let mut countries = BTreeSet::new();
    parallel::in_order(
        &files,
        |&file| {
            let mut quads = Vec::new();
            let mut mapper = Mapper::new(&mut quads, &known);
            each_kind(&mut Records(file, &mut mapper));
            let Mapper {
                mentions,
                countries,
                ..
            } = mapper;
            (quads, mentions, countries)
        },
        |(mut file_quads, file_mentions, mut file_countries)| {
            quads.append(&mut file_quads);
            for (source, mut entities) in file_mentions {
                mentions.entry(source).or_default().append(&mut entities);
            }
            countries.append(&mut file_countries);
        },
    );
    let mut mapper = Mapper {
        mentions,
        countries,
        ..Mapper::new(quads, &known)
    };
    each_kind(&mut AllRecords(&mut mapper));
}

/// Gathers the display names of every kind.
struct Names<'p>(HashMap<(&'static str, &'p str), &'p str>, &'p Parsed);

impl<K: Record> Visit<K> for Names<'_> {
    fn visit(&mut self) {
        for located in self.1.records::<K>() {
            if let Some(name) = located.record.name() {
                let key = (K::TABLE, located.record.id().get_ref().as_str());
                self.0.entry(key).or_insert(name);
            }
        }
    }
}

/// Maps the records of each kind in one file.
struct Records<'m, 'q, 'p>(usize, &'m mut Mapper<'q, 'p>);

impl<K: Map> Visit<K> for Records<'_, '_, '_> {
    fn visit(&mut self) {
        for located in self.1.known.parsed.records_in::<K>(self.0) {
            located.record.map(self.1);
        }
    }
}

/// Maps what each kind maps from all its records.
struct AllRecords<'m, 'q, 'p>(&'m mut Mapper<'q, 'p>);

impl<K: Map> Visit<K> for AllRecords<'_, '_, '_> {
    fn visit(&mut self) {
        K::map_all(self.0.known.parsed.records::<K>(), self.0);
    }
}

impl<'p> Mapper<'_, 'p> {
    /// A writer into the named graph of `source`, with its language.
    fn writer(&mut self, source: &str) -> Writer<'_> {
        let language = self.known.languages.get(source).copied().unwrap_or("en");
        Writer::new(self.quads, source, language)
    }

    /// The text of a file of the data directory.
    fn text_of(&self, relative: &str) -> Option<&'p str> {
        self.known.parsed.text_of(relative)
    }

    /// Notes that `source` describes `entity`: a document mentions what it describes.
    fn mention(&mut self, source: &'p str, entity: &NamedNode) {
        self.mentions
            .entry(source)
            .or_default()
            .insert(entity.clone());
    }

    /// The IRI of concept `id`, in the scheme its records name.
    fn concept(&self, id: &str) -> NamedNode {
        self.known.schemes.concept(id)
    }

    fn concepts(&self, ids: &[Ref]) -> Vec<NamedNode> {
        ids.iter().map(|id| self.concept(id.get_ref())).collect()
    }

    /// The display name of the `K` of this id, or the id when no record gives one.
    fn name_of<'a, K: Record>(&self, id: &'a str) -> &'a str
    where
        'p: 'a,
    {
        self.known.names.get(&(K::TABLE, id)).copied().unwrap_or(id)
    }

    /// Whether a record of kind `K` gives this id a name.
    fn is_named<K: Record>(&self, id: &str) -> bool {
        self.known.names.contains_key(&(K::TABLE, id))
    }

    /// Notes a country a record names, for the reference data to describe.
    fn name_country(&mut self, code: &'p str) {
        self.countries.insert(code);
    }

    /// The topics an entity is about (`dcterms:subject`), in the graph of `source`.
    fn subjects(&mut self, source: &str, subject: &NamedNode, topics: &[Ref]) {
        let topics = self.concepts(topics);
        let mut w = self.writer(source);
        for topic in topics {
            w.add(subject, dcterms::subject, topic);
        }
    }
}

/// The ontology, compiled into the binary.
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/tipkg.ttl");

/// Parses the bundled ontology into quads of the ontology graph.
pub fn ontology_quads() -> Result<Vec<Quad>> {
    let graph = iri::ontology_graph();
    oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(graph)
        .for_slice(ONTOLOGY_TTL.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::Ontology)
}

/// Reads, checks and maps a data directory: the quads of the graph, or every problem found
/// (as [`Error::Data`]).
pub fn build_quads(root: &DataRoot) -> Result<Vec<Quad>> {
    let (parsed, diagnostics) = crate::check::read_checked(root)?;
    if !diagnostics.is_empty() {
        return Err(Error::Data { diagnostics });
    }
    graph_quads(&parsed)
}

/// The quads of checked records, with the ontology's.
pub fn graph_quads(parsed: &load::Parsed) -> Result<Vec<Quad>> {
    let mut quads = ontology_quads()?;
    map_into(parsed, &mut quads);
    Ok(quads)
}

/// An entity of kind `kind` named by `id`.
fn entity(kind: Kind, id: &Ref) -> NamedNode {
    iri::entity(kind, id.get_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::vocab::tipkg;
    use oxigraph::model::vocab::rdfs;

    #[test]
    fn every_term_of_the_own_vocabulary_is_declared_in_the_ontology() {
        let quads = ontology_quads().unwrap();
        for term in tipkg::TERMS {
            let labelled = quads
                .iter()
                .any(|q| q.subject == (*term).into() && q.predicate == rdfs::LABEL);
            assert!(labelled, "{term} has no rdfs:label in ontology/tipkg.ttl");
        }
    }
}
