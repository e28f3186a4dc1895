//! Views of the graph for people and web pages: one entity's description, read from the
//! store (in memory or on disk), and its plain forms (JSON, CSV, text).
//!
//! A [`Description`] holds everything the graph says about one entity: its IRI, kind and
//! slug, labels and types; every fact in which it is the subject (outgoing) or the object
//! (incoming), each with the label of the thing at its other end, the named graph that
//! holds it, that graph's source and the source's evidence quotes; the sources themselves
//! (title, publisher, date, address, read from the graph); the external identifiers as
//! links; and, for a statement node such as one of a grant's amounts, its editorial rank
//! and the reason for it. Parts of the entity (IRIs minted under an entity's, such as
//! `id/grant/{grant}/amount/{source}`) are described inside the fact that links to them.
//!
//! Everything is read through the store's quad indexes (subject, object, predicate
//! lookups), never by formatting values into query text. [`resolve`] turns what a user
//! types (`org/unicef`, an IRI, a name or an acronym) into the entity's IRI.

pub mod diff;
pub mod resolve;
pub mod table;
pub mod text;

pub use resolve::{Candidate, resolve};

use crate::base::format::Format;
use crate::base::iri;
use crate::base::vocab::{
    self, CONCEPT, DCTERMS, ID, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, TIPKG, XSD,
};
use crate::export;
use crate::store::KnowledgeGraph;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    Term, TermRef, Triple,
};
use oxigraph::store::{StorageError, Store};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

/// What can go wrong while describing an entity.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Graph(#[from] crate::base::error::Error),
    /// Nothing in the graph matches what was asked for.
    #[error("{}", resolve::not_found_message(wanted, suggestion.as_deref(), containing))]
    NotFound {
        wanted: String,
        /// The closest name, slug or `kind/slug`, when one is close enough to be a typo.
        suggestion: Option<Box<Candidate>>,
        /// Entities whose names contain what was asked for.
        containing: Vec<Candidate>,
    },
    /// A name that several entities bear.
    #[error("{}", resolve::ambiguous_message(wanted, candidates))]
    Ambiguous {
        wanted: String,
        candidates: Vec<Candidate>,
    },
}

impl From<StorageError> for Error {
    fn from(error: StorageError) -> Self {
        Self::Graph(error.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One entity, as the graph describes it. The JSON form (serde) is for web developers:
/// full IRIs or slugs, never prefixed names; every list is an array, even of one; numbers
/// are JSON numbers and dates ISO 8601 strings; every key is present (`null` when empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    pub iri: String,
    /// The kind of `kind/slug` (`org`, `event`, a concept scheme such as `topic`), for IRIs
    /// tipkg mints.
    pub kind: Option<String>,
    /// The slug of `kind/slug`: more than one segment for a part (`{grant}/amount/{source}`).
    pub slug: Option<String>,
    /// The label to show: the English `skos:prefLabel` (else a name or title).
    pub label: Option<String>,
    /// Every distinct `skos:prefLabel`.
    pub labels: Vec<String>,
    /// Every distinct `skos:altLabel` and `schema:alternateName` (acronyms).
    pub alt_labels: Vec<String>,
    /// The IRIs of its classes (`rdf:type`).
    pub types: Vec<String>,
    pub identifiers: Vec<Identifier>,
    /// The sources whose graphs hold its facts, in the order of their graphs' IRIs.
    pub sources: Vec<SourceInfo>,
    /// Outgoing facts, then incoming ones, per graph in the order of `sources`.
    pub facts: Vec<Fact>,
}

/// An identifier of the entity in an outside scheme, with a link to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identifier {
    /// `wikidata`, `ror`, `iati`, `iso-3166-alpha-2`, `iso-3166-alpha-3`,
    /// `iso-3166-numeric`, or `same-as` for any other `schema:sameAs` link.
    pub scheme: String,
    pub value: String,
    /// Where a person reads about it.
    pub url: Option<String>,
    /// The source that states it.
    pub source: Option<String>,
}

impl Identifier {
    /// The scheme's name for people.
    pub fn scheme_name(&self) -> &'static str {
        match self.scheme.as_str() {
            "wikidata" => "Wikidata",
            "ror" => "ROR",
            "iati" => "IATI",
            "iso-3166-alpha-2" => "ISO 3166-1 alpha-2",
            "iso-3166-alpha-3" => "ISO 3166-1 alpha-3",
            "iso-3166-numeric" => "ISO 3166-1 numeric",
            _ => "same as",
        }
    }
}

/// A source whose named graph states facts about the entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    /// The named graph (`null`: the default graph).
    pub graph: Option<String>,
    /// The source's IRI (`null` for a graph that is no source's, such as the dataset's
    /// description or an imported file).
    pub iri: Option<String>,
    pub slug: Option<String>,
    pub title: Option<String>,
    pub types: Vec<String>,
    pub publisher: Option<Link>,
    /// `schema:datePublished`, as an ISO 8601 date, year-month or year.
    pub published: Option<String>,
    /// The document's own address (`schema:url`).
    pub url: Option<String>,
    /// The site it is part of (`schema:isPartOf`).
    pub site: Option<String>,
    /// The passages of the source on which the entity's description in this graph rests.
    pub evidence: Vec<String>,
}

/// A thing the entity links to, or the source's publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub iri: String,
    pub label: Option<String>,
    pub kind: Option<String>,
    pub slug: Option<String>,
}

/// Whether the entity is the subject or the object of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Outgoing,
    Incoming,
}

/// One triple in one named graph, seen from the entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fact {
    pub direction: Direction,
    pub property: String,
    /// The property's local name (`startDate`), for display.
    pub property_name: String,
    /// The other end: the object of an outgoing fact, the subject of an incoming one.
    pub value: Value,
    pub graph: Option<String>,
    /// The source whose graph holds the fact.
    pub source: Option<String>,
    /// The evidence quotes of the fact's subject in the fact's graph: the passages of the
    /// source on which the subject's description there rests.
    pub evidence: Vec<String>,
    /// The passages that state this very fact: the texts of the quotes (`tipkg:Quote`) of
    /// the fact's graph that support its subject and property.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<String>,
    /// Why the editors state this very fact, when it is theirs: the reasons of the
    /// editorial judgements (`tipkg:Judgement`) of the fact's graph that are for its
    /// subject and property.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The editorial rank of the statement the fact links to (one of a grant's amounts,
    /// when sources disagree).
    pub rank: Option<Rank>,
}

/// The other end of a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Value {
    Iri {
        #[serde(flatten)]
        link: Link,
        /// A part of the entity (an amount, a participation), described in full.
        part: Option<Box<Description>>,
    },
    Blank {
        id: String,
    },
    Literal {
        /// A number for numeric datatypes, a boolean for `xsd:boolean`, else the lexical
        /// form (dates in ISO 8601).
        value: serde_json::Value,
        datatype: String,
        language: Option<String>,
    },
    /// An RDF 1.2 triple term, in N-Triples.
    Triple {
        value: String,
    },
}

/// A statement's editorial rank, with why and who says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rank {
    pub iri: String,
    /// `preferred`, `normal` or `deprecated`.
    pub label: Option<String>,
    pub reason: Option<String>,
    pub source: Option<String>,
}

fn named(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// The label predicates, in the order they are tried.
fn label_predicates() -> [NamedNode; 4] {
    [
        named(SKOS, "prefLabel"),
        named(SCHEMA, "name"),
        named(DCTERMS, "title"),
        named(RDFS, "label"),
    ]
}

/// The kind and slug of an IRI tipkg mints: `id/{kind}/{slug}`, `concept/{scheme}/{slug}`
/// (the scheme is the kind), or `concept/{scheme}` (kind `concept`).
pub fn kind_and_slug(iri: &str) -> Option<(&str, &str)> {
    if let Some(path) = iri.strip_prefix(ID) {
        return path
            .split_once('/')
            .filter(|(kind, slug)| !kind.is_empty() && !slug.is_empty());
    }
    let path = iri.strip_prefix(CONCEPT)?;
    match path.split_once('/') {
        Some((scheme, slug)) if !scheme.is_empty() && !slug.is_empty() => Some((scheme, slug)),
        Some(_) => None,
        None if !path.is_empty() => Some(("concept", path)),
        None => None,
    }
}

/// Whether an IRI names a part of an entity: more than a kind and a slug under `id/`.
pub fn is_part(iri: &str) -> bool {
    iri.strip_prefix(ID)
        .is_some_and(|path| path.split('/').count() > 2)
}

/// The local name of an IRI: what follows its last `#` or `/`.
pub fn local_name(iri: &str) -> &str {
    let cut = iri.rfind(['#', '/']).map_or(0, |i| i + 1);
    match &iri[cut..] {
        "" => iri,
        local => local,
    }
}

/// Where the properties of a description go: types and labels first, provenance last,
/// the others by prefixed name.
fn property_rank(property: &str) -> (u8, String) {
    let first = [
        format!("{RDF}type"),
        format!("{SKOS}prefLabel"),
        format!("{SKOS}altLabel"),
        format!("{SCHEMA}name"),
        format!("{SCHEMA}alternateName"),
    ];
    if let Some(i) = first.iter().position(|p| p == property) {
        return (i as u8, String::new());
    }
    let last = [
        format!("{PROV}wasDerivedFrom"),
        format!("{TIPKG}evidenceQuote"),
    ];
    if let Some(i) = last.iter().position(|p| p == property) {
        return (100 + i as u8, String::new());
    }
    (50, vocab::compact(property))
}

/// Reads descriptions from one graph, remembering the labels and sources it has looked up,
/// so that describing every entity reads each only once.
pub struct Describer<'g> {
    store: &'g Store,
    labels: HashMap<Term, Option<String>>,
    sources: HashMap<GraphName, SourceInfo>,
    dataset_graph: NamedNode,
}

impl<'g> Describer<'g> {
    pub fn new(graph: &'g KnowledgeGraph) -> Self {
        Self {
            store: graph.store(),
            labels: HashMap::new(),
            sources: HashMap::new(),
            dataset_graph: iri::dataset_graph(),
        }
    }

    /// Every quad of which `entity` is the subject or the object (a quad that is both is
    /// given once), sorted by graph, then subject, predicate and object.
    pub fn quads(&self, entity: NamedNodeRef<'_>) -> Result<Vec<Quad>> {
        let mut quads: BTreeMap<(String, String), Quad> = BTreeMap::new();
        let outgoing = self
            .store
            .quads_for_pattern(Some(entity.into()), None, None, None);
        let incoming = self
            .store
            .quads_for_pattern(None, None, Some(entity.into()), None);
        for quad in outgoing.chain(incoming) {
            let quad = quad?;
            let key = (
                graph_key(&quad.graph_name),
                format!("{} {} {}", quad.subject, quad.predicate, quad.object),
            );
            quads.entry(key).or_insert(quad);
        }
        Ok(quads.into_values().collect())
    }

    /// The description of `entity`, with its incoming facts and its parts.
    pub fn describe(&mut self, entity: NamedNodeRef<'_>) -> Result<Description> {
        self.description(entity, true)
    }

    fn description(&mut self, entity: NamedNodeRef<'_>, full: bool) -> Result<Description> {
        let quads = if full {
            self.quads(entity)?
        } else {
            self.store
                .quads_for_pattern(Some(entity.into()), None, None, None)
                .collect::<Result<Vec<_>, _>>()?
        };
        let subject = NamedOrBlankNodeRef::from(entity);
        let mut labels = BTreeSet::new();
        let mut alt_labels = BTreeSet::new();
        let mut types = BTreeSet::new();
        let mut graphs: BTreeMap<String, GraphName> = BTreeMap::new();
        let mut facts = Vec::new();
        for quad in &quads {
            graphs
                .entry(graph_key(&quad.graph_name))
                .or_insert_with(|| quad.graph_name.clone());
            let outgoing = quad.subject.as_ref() == subject;
            if outgoing {
                let predicate = quad.predicate.as_str();
                match (
                    &quad.object,
                    predicate.strip_prefix(SKOS),
                    predicate.strip_prefix(SCHEMA),
                ) {
                    (Term::Literal(l), Some("prefLabel"), _) => {
                        labels.insert(l.value().to_owned());
                    }
                    (Term::Literal(l), Some("altLabel"), _)
                    | (Term::Literal(l), _, Some("alternateName")) => {
                        alt_labels.insert(l.value().to_owned());
                    }
                    (Term::NamedNode(class), _, _) if predicate == rdf_type() => {
                        types.insert(class.as_str().to_owned());
                    }
                    _ => {}
                }
            }
            // A quad that is both (a self-link) is an outgoing fact and an incoming one.
            let is_incoming = quad.object.as_ref() == TermRef::from(entity);
            if outgoing {
                facts.push(self.fact(quad, Direction::Outgoing, full)?);
            }
            if is_incoming && full {
                facts.push(self.fact(quad, Direction::Incoming, full)?);
            }
        }
        let mut sources = Vec::new();
        let mut order = HashMap::new();
        for graph in graphs.values() {
            let mut info = self.source_info(graph)?;
            info.evidence = self.quotes(subject, graph.as_ref())?;
            order.insert(info.graph.clone(), order.len());
            sources.push(info);
        }
        facts.sort_by_cached_key(|f| {
            (
                order.get(&f.graph).copied().unwrap_or(0),
                f.direction,
                property_rank(&f.property),
                value_key(&f.value),
            )
        });
        let identifiers = identifiers(&facts);
        let (kind, slug) = match kind_and_slug(entity.as_str()) {
            Some((kind, slug)) => (Some(kind.to_owned()), Some(slug.to_owned())),
            None => (None, None),
        };
        Ok(Description {
            iri: entity.as_str().to_owned(),
            kind,
            slug,
            label: self.label(TermRef::from(entity))?,
            labels: labels.into_iter().collect(),
            alt_labels: alt_labels.into_iter().collect(),
            types: types.into_iter().collect(),
            identifiers,
            sources,
            facts,
        })
    }

    fn fact(&mut self, quad: &Quad, direction: Direction, nest: bool) -> Result<Fact> {
        let other: TermRef<'_> = match direction {
            Direction::Outgoing => quad.object.as_ref(),
            Direction::Incoming => quad.subject.as_ref().into(),
        };
        let mut rank = None;
        let value = match other {
            TermRef::NamedNode(node) => {
                let part = if nest && direction == Direction::Outgoing && is_part(node.as_str()) {
                    let part = self.description(node, false)?;
                    rank = self.rank(node)?;
                    Some(Box::new(part))
                } else {
                    None
                };
                Value::Iri {
                    link: self.link(node)?,
                    part,
                }
            }
            TermRef::BlankNode(node) => Value::Blank {
                id: node.as_str().to_owned(),
            },
            TermRef::Literal(literal) => Value::Literal {
                value: literal_json(literal.value(), literal.datatype().as_str()),
                datatype: literal.datatype().as_str().to_owned(),
                language: literal.language().map(str::to_owned),
            },
            #[allow(unreachable_patterns)]
            other => Value::Triple {
                value: other.to_string(),
            },
        };
        let info = self.source_info(&quad.graph_name)?;
        Ok(Fact {
            direction,
            property: quad.predicate.as_str().to_owned(),
            property_name: local_name(quad.predicate.as_str()).to_owned(),
            value,
            graph: graph_iri(&quad.graph_name),
            source: info.iri,
            evidence: self.quotes(quad.subject.as_ref(), quad.graph_name.as_ref())?,
            quotes: self.justifications(quad, vocab::schema::text)?,
            reasons: self.justifications(quad, vocab::tipkg::reason)?,
            rank,
        })
    }

    /// A linked thing with its label, kind and slug.
    pub fn link(&mut self, node: NamedNodeRef<'_>) -> Result<Link> {
        let (kind, slug) = match kind_and_slug(node.as_str()) {
            Some((kind, slug)) => (Some(kind.to_owned()), Some(slug.to_owned())),
            None => (None, None),
        };
        Ok(Link {
            iri: node.as_str().to_owned(),
            label: self.label(node.into())?,
            kind,
            slug,
        })
    }

    /// The label to show for a node: its English `skos:prefLabel`, else one without a
    /// language, else any; else the same from `schema:name`, `dcterms:title`, `rdfs:label`.
    /// Among equals, the first in code-point order, so that the choice is stable.
    pub fn label(&mut self, node: TermRef<'_>) -> Result<Option<String>> {
        if let Some(label) = self.labels.get(&node.into_owned()) {
            return Ok(label.clone());
        }
        let subject = match node {
            TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
            TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
            _ => return Ok(None),
        };
        let mut found = None;
        for predicate in label_predicates() {
            let mut best: Option<(u8, String)> = None;
            for quad in
                self.store
                    .quads_for_pattern(Some(subject), Some(predicate.as_ref()), None, None)
            {
                let quad = quad?;
                let Term::Literal(literal) = &quad.object else {
                    continue;
                };
                let rank = match literal.language() {
                    Some("en") => 0,
                    None => 1,
                    Some(_) => 2,
                };
                let candidate = (rank, literal.value().to_owned());
                if best.as_ref().is_none_or(|b| candidate < *b) {
                    best = Some(candidate);
                }
            }
            if let Some((_, label)) = best {
                found = Some(label);
                break;
            }
        }
        self.labels.insert(node.into_owned(), found.clone());
        Ok(found)
    }

    /// The evidence quotes of `subject` in `graph`, sorted.
    fn quotes(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        graph: GraphNameRef<'_>,
    ) -> Result<Vec<String>> {
        let predicate = iri::term("evidenceQuote");
        let mut quotes = BTreeSet::new();
        for quad in
            self.store
                .quads_for_pattern(Some(subject), Some(predicate.as_ref()), None, Some(graph))
        {
            if let Term::Literal(literal) = quad?.object {
                quotes.insert(literal.value().to_owned());
            }
        }
        Ok(quotes.into_iter().collect())
    }

    /// What the justifications of `quad`'s graph that are for its subject's fact of its
    /// property say, by `text` (a quote's `schema:text`, a judgement's `tipkg:reason`),
    /// sorted.
    fn justifications(&self, quad: &Quad, text: NamedNodeRef<'_>) -> Result<Vec<String>> {
        let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            return Ok(Vec::new());
        };
        let supports_subject = vocab::tipkg::supportsSubject;
        let supports_property = vocab::tipkg::supportsProperty;
        let graph = quad.graph_name.as_ref();
        let mut texts = BTreeSet::new();
        for link in self.store.quads_for_pattern(
            None,
            Some(supports_subject),
            Some(subject.as_ref().into()),
            Some(graph),
        ) {
            let quote = link?.subject;
            let states_it = self
                .store
                .quads_for_pattern(
                    Some(quote.as_ref()),
                    Some(supports_property),
                    Some(quad.predicate.as_ref().into()),
                    Some(graph),
                )
                .next()
                .is_some();
            if !states_it {
                continue;
            }
            for t in
                self.store
                    .quads_for_pattern(Some(quote.as_ref()), Some(text), None, Some(graph))
            {
                if let Term::Literal(literal) = t?.object {
                    texts.insert(literal.value().to_owned());
                }
            }
        }
        Ok(texts.into_iter().collect())
    }

    /// The rank of a statement node, with its reason, from whichever graph ranks it.
    fn rank(&mut self, statement: NamedNodeRef<'_>) -> Result<Option<Rank>> {
        let predicate = iri::term("rank");
        let quad = self
            .store
            .quads_for_pattern(Some(statement.into()), Some(predicate.as_ref()), None, None)
            .next()
            .transpose()?;
        let Some(quad) = quad else { return Ok(None) };
        let Term::NamedNode(rank) = &quad.object else {
            return Ok(None);
        };
        let reason_predicate = iri::term("rankReason");
        let reason = self
            .store
            .quads_for_pattern(
                Some(statement.into()),
                Some(reason_predicate.as_ref()),
                None,
                Some(quad.graph_name.as_ref()),
            )
            .next()
            .transpose()?
            .and_then(|q| match q.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
        Ok(Some(Rank {
            iri: rank.as_str().to_owned(),
            label: self.label(rank.as_ref().into())?,
            reason,
            source: self.source_info(&quad.graph_name)?.iri,
        }))
    }

    /// The source of a named graph, described from the graph: the dataset's description
    /// says which source each graph holds (`graph/{slug}` is `id/source/{slug}`'s graph when
    /// it does not), and the source's own facts give its title, publisher, date and address.
    pub fn source_info(&mut self, graph: &GraphName) -> Result<SourceInfo> {
        if let Some(info) = self.sources.get(graph) {
            return Ok(info.clone());
        }
        let mut info = SourceInfo {
            graph: graph_iri(graph),
            iri: None,
            slug: None,
            title: None,
            types: Vec::new(),
            publisher: None,
            published: None,
            url: None,
            site: None,
            evidence: Vec::new(),
        };
        if let Some(source) = self.source_of(graph)? {
            info.slug = kind_and_slug(source.as_str()).map(|(_, slug)| slug.to_owned());
            info.iri = Some(source.as_str().to_owned());
            let subject = NamedOrBlankNodeRef::from(source.as_ref());
            let mut titles = BTreeSet::new();
            let mut types = BTreeSet::new();
            for quad in self
                .store
                .quads_for_pattern(Some(subject), None, None, None)
            {
                let quad = quad?;
                let local = quad.predicate.as_str();
                match (&quad.object, local) {
                    (Term::Literal(l), p) if p == format!("{DCTERMS}title") => {
                        titles.insert(l.value().to_owned());
                    }
                    (Term::Literal(l), p) if p == format!("{SCHEMA}datePublished") => {
                        info.published.get_or_insert_with(|| l.value().to_owned());
                    }
                    (Term::NamedNode(n), p) if p == rdf_type() => {
                        types.insert(n.as_str().to_owned());
                    }
                    (Term::NamedNode(n), p)
                        if p == format!("{SCHEMA}publisher") && info.publisher.is_none() =>
                    {
                        info.publisher = Some(self.link(n.as_ref())?);
                    }
                    (Term::NamedNode(n), p) if p == format!("{SCHEMA}url") => {
                        info.url.get_or_insert_with(|| n.as_str().to_owned());
                    }
                    (Term::NamedNode(n), p) if p == format!("{SCHEMA}isPartOf") => {
                        info.site.get_or_insert_with(|| n.as_str().to_owned());
                    }
                    _ => {}
                }
            }
            info.title = match titles.into_iter().next() {
                Some(title) => Some(title),
                None => self.label(source.as_ref().into())?,
            };
            info.types = types.into_iter().collect();
        }
        self.sources.insert(graph.clone(), info.clone());
        Ok(info)
    }

    fn source_of(&self, graph: &GraphName) -> Result<Option<NamedNode>> {
        let GraphName::NamedNode(graph) = graph else {
            return Ok(None);
        };
        let predicate = named(DCTERMS, "source");
        for quad in self.store.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(predicate.as_ref()),
            None,
            Some(self.dataset_graph.as_ref().into()),
        ) {
            if let Term::NamedNode(source) = quad?.object {
                return Ok(Some(source));
            }
        }
        if let Some(slug) = graph.as_str().strip_prefix(vocab::GRAPH)
            && iri::is_slug(slug)
        {
            let source = iri::entity(iri::Kind::Source, slug);
            if self
                .store
                .quads_for_pattern(Some(source.as_ref().into()), None, None, None)
                .next()
                .transpose()?
                .is_some()
            {
                return Ok(Some(source));
            }
        }
        Ok(None)
    }

    /// The entities of the graph: every subject under `id/` or `concept/` but the parts of
    /// entities (which their entities' descriptions hold), sorted by IRI.
    pub fn entities(&self) -> Result<Vec<NamedNode>> {
        Ok(self
            .subjects()?
            .into_iter()
            .filter(|s| !is_part(s.as_str()))
            .collect())
    }

    /// Every subject under `id/` or `concept/`, parts included, sorted by IRI.
    pub fn subjects(&self) -> Result<Vec<NamedNode>> {
        let mut subjects = BTreeSet::new();
        for quad in self.store.iter() {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject
                && kind_and_slug(node.as_str()).is_some()
            {
                subjects.insert(node.as_str().to_owned());
            }
        }
        Ok(subjects.into_iter().map(NamedNode::new_unchecked).collect())
    }
}

fn rdf_type() -> String {
    format!("{RDF}type")
}

/// The external identifiers among a description's outgoing facts.
fn identifiers(facts: &[Fact]) -> Vec<Identifier> {
    let mut found = BTreeSet::new();
    for fact in facts.iter().filter(|f| f.direction == Direction::Outgoing) {
        let property = fact.property.as_str();
        let source = fact.source.clone();
        let identifier = match &fact.value {
            Value::Iri { link, .. }
                if [
                    format!("{SCHEMA}sameAs"),
                    format!("{SKOS}exactMatch"),
                    format!("{OWL}sameAs"),
                ]
                .iter()
                .any(|p| p == property) =>
            {
                if let Some(q) = link.iri.strip_prefix(vocab::WD) {
                    (
                        "wikidata",
                        q.to_owned(),
                        Some(format!("https://www.wikidata.org/wiki/{q}")),
                    )
                } else if let Some(id) = link.iri.strip_prefix("https://ror.org/") {
                    ("ror", id.to_owned(), Some(link.iri.clone()))
                } else {
                    ("same-as", link.iri.clone(), Some(link.iri.clone()))
                }
            }
            Value::Literal { value, .. } => {
                let Some(text) = value.as_str() else { continue };
                let Some(local) = property.strip_prefix(TIPKG) else {
                    continue;
                };
                match local {
                    "rorIdentifier" => (
                        "ror",
                        text.to_owned(),
                        Some(format!("https://ror.org/{text}")),
                    ),
                    "iatiIdentifier" => (
                        "iati",
                        text.to_owned(),
                        Some(format!("https://d-portal.org/ctrack.html?publisher={text}")),
                    ),
                    "isoAlpha2" => ("iso-3166-alpha-2", text.to_owned(), None),
                    "isoAlpha3" => ("iso-3166-alpha-3", text.to_owned(), None),
                    "isoNumeric" => ("iso-3166-numeric", text.to_owned(), None),
                    _ => continue,
                }
            }
            _ => continue,
        };
        found.insert(Identifier {
            scheme: identifier.0.to_owned(),
            value: identifier.1,
            url: identifier.2,
            source,
        });
    }
    // A ROR id is stated twice by the registry (the id and the sameAs link): keep one.
    let mut seen = BTreeSet::new();
    found
        .into_iter()
        .filter(|i| seen.insert((i.scheme.clone(), i.value.clone(), i.source.clone())))
        .collect()
}

/// A literal's value for JSON: numbers for numeric datatypes, booleans, else the lexical
/// form (already ISO 8601 for dates and times).
fn literal_json(lexical: &str, datatype: &str) -> serde_json::Value {
    use serde_json::Value as Json;
    let Some(local) = datatype.strip_prefix(XSD) else {
        return Json::from(lexical);
    };
    let integer = matches!(
        local,
        "integer"
            | "int"
            | "long"
            | "short"
            | "byte"
            | "nonNegativeInteger"
            | "positiveInteger"
            | "nonPositiveInteger"
            | "negativeInteger"
            | "unsignedLong"
            | "unsignedInt"
            | "unsignedShort"
            | "unsignedByte"
    );
    let real = matches!(local, "decimal" | "double" | "float");
    let text = lexical.trim();
    if integer || real {
        if let Ok(n) = text.trim_start_matches('+').parse::<i64>() {
            return Json::from(n);
        }
        if let Ok(n) = text.parse::<u64>() {
            return Json::from(n);
        }
        if let Ok(x) = text.parse::<f64>()
            && x.is_finite()
        {
            // A whole number within the exact range of a double is written as an integer.
            if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
                return Json::from(x as i64);
            }
            return Json::from(x);
        }
    }
    if local == "boolean" {
        match text {
            "true" | "1" => return Json::Bool(true),
            "false" | "0" => return Json::Bool(false),
            _ => {}
        }
    }
    Json::from(lexical)
}

/// The default graph sorts first, then named graphs by IRI.
fn graph_key(graph: &GraphName) -> String {
    match graph {
        GraphName::DefaultGraph => String::new(),
        GraphName::NamedNode(node) => node.as_str().to_owned(),
        GraphName::BlankNode(node) => format!("_:{}", node.as_str()),
    }
}

fn graph_iri(graph: &GraphName) -> Option<String> {
    match graph {
        GraphName::DefaultGraph => None,
        GraphName::NamedNode(node) => Some(node.as_str().to_owned()),
        GraphName::BlankNode(node) => Some(format!("_:{}", node.as_str())),
    }
}

/// How facts of one property sort: by the other end's label, then its IRI or value.
fn value_key(value: &Value) -> (String, String) {
    match value {
        Value::Iri { link, .. } => (
            link.label.as_deref().unwrap_or(&link.iri).to_lowercase(),
            link.iri.clone(),
        ),
        Value::Blank { id } => (id.clone(), String::new()),
        Value::Literal { value, .. } => (
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned),
            String::new(),
        ),
        Value::Triple { value } => (value.clone(), String::new()),
    }
}

/// Every entity's description, sorted by IRI (the form of `tipkg export --format json`).
pub fn describe_all(graph: &KnowledgeGraph) -> Result<Vec<Description>> {
    let mut describer = Describer::new(graph);
    let entities = describer.entities()?;
    entities
        .iter()
        .map(|entity| describer.describe(entity.as_ref()))
        .collect()
}

/// Writes an entity's quads ([`Describer::quads`]) as RDF: the quad formats (N-Quads, TriG,
/// JSON-LD, canonical N-Quads) keep each fact in its named graph, the triple formats
/// (Turtle, N-Triples, RDF/XML) merge them; through the export writers, sorted.
pub fn write_rdf(quads: &[Quad], format: Format, out: &mut dyn Write) -> Result<()> {
    let io = |source| crate::base::error::Error::Io {
        path: "<output>".into(),
        source,
    };
    match format {
        Format::Turtle | Format::Ntriples | Format::Rdfxml => {
            let triples: Vec<Triple> = quads.iter().map(|q| Triple::from(q.clone())).collect();
            export::write_graph(&triples, format, out)?;
        }
        Format::Trig => {
            let mut graphs: BTreeMap<String, (GraphName, Vec<Triple>)> = BTreeMap::new();
            for quad in quads {
                graphs
                    .entry(graph_key(&quad.graph_name))
                    .or_insert_with(|| (quad.graph_name.clone(), Vec::new()))
                    .1
                    .push(Triple::from(quad.clone()));
            }
            let graphs: Vec<_> = graphs.into_values().collect();
            export::turtle::write_trig(&graphs, out).map_err(io)?;
        }
        Format::Nquads => {
            let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(out);
            for quad in quads {
                serializer.serialize_quad(quad).map_err(io)?;
            }
            serializer.finish().map_err(io)?;
        }
        Format::Jsonld => {
            export::jsonld::write_dataset(quads, export::ContextMode::Embed, out)?;
        }
        Format::Canonical => export::canonical::write(quads.iter().cloned().map(Ok), out)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_slugs_come_from_the_iri() {
        assert_eq!(
            kind_and_slug("https://w3id.org/tipkg/id/org/unicef"),
            Some(("org", "unicef"))
        );
        assert_eq!(
            kind_and_slug("https://w3id.org/tipkg/concept/topic/child-trafficking"),
            Some(("topic", "child-trafficking"))
        );
        assert_eq!(
            kind_and_slug("https://w3id.org/tipkg/concept/topic"),
            Some(("concept", "topic"))
        );
        assert_eq!(
            kind_and_slug("https://w3id.org/tipkg/id/grant/g/amount/s"),
            Some(("grant", "g/amount/s"))
        );
        assert_eq!(kind_and_slug("https://w3id.org/tipkg/id/org/"), None);
        assert_eq!(kind_and_slug("http://schema.org/Event"), None);
        assert!(is_part("https://w3id.org/tipkg/id/grant/g/amount/s"));
        assert!(!is_part("https://w3id.org/tipkg/id/grant/g"));
    }

    #[test]
    fn numbers_are_numbers_and_dates_stay_iso_strings() {
        let xsd = |local: &str| format!("{XSD}{local}");
        assert_eq!(
            literal_json("6600000", &xsd("decimal")),
            serde_json::json!(6600000)
        );
        assert_eq!(literal_json("6.6", &xsd("decimal")), serde_json::json!(6.6));
        assert_eq!(literal_json("35.0", &xsd("double")), serde_json::json!(35));
        assert_eq!(literal_json("21", &xsd("integer")), serde_json::json!(21));
        assert_eq!(
            literal_json("true", &xsd("boolean")),
            serde_json::json!(true)
        );
        assert_eq!(
            literal_json("INF", &xsd("double")),
            serde_json::json!("INF")
        );
        assert_eq!(
            literal_json("2023-06-19", &xsd("date")),
            serde_json::json!("2023-06-19")
        );
        assert_eq!(
            literal_json("642", &xsd("string")),
            serde_json::json!("642")
        );
    }

    #[test]
    fn local_names() {
        assert_eq!(local_name("http://schema.org/startDate"), "startDate");
        assert_eq!(local_name("https://w3id.org/tipkg/ontology#rank"), "rank");
        assert_eq!(local_name("urn:x"), "urn:x");
    }
}
