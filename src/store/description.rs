//! The DCAT and VoID description of the dataset, in its own named graph
//! (`graph/dataset`): title, description, licence, version, publisher, the vocabularies
//! used, triples, entities, classes and properties counted, one `void:subset` per named
//! graph, one `dcat:Distribution` per export format, and the source documents.
//!
//! It is computed from the rest of the graph, never typed by hand, whenever the graph is
//! built (in memory, or into an on-disk store by `tipkg build`), so that it describes what
//! is published with it.

use crate::base::error::Result;
use crate::base::format::Format;
use crate::base::iri::{self, Kind};
use crate::base::vocab::prov;
use crate::base::vocab::{self, DCAT, DCTERMS, PREFIXES, RDF, SCHEMA, SKOS, VOID, XSD};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

const TITLE: &str = "tipkg knowledge graph";
const DESCRIPTION: &str = "A sourced knowledge graph of the work against trafficking in persons and for child protection: organisations, events, projects, reports, grants and statistics, each fact in the named graph of the source that states it.";
const LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";
const PUBLISHER: &str = "The tipkg project";

fn named(iri: impl Into<String>) -> NamedNode {
    NamedNode::new(iri.into()).expect("description IRIs are valid")
}

fn term(namespace: &str, local: &str) -> NamedNode {
    named(format!("{namespace}{local}"))
}

fn count(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), term(XSD, "integer"))
}

fn english(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

/// What the description counts, read from every graph but its own.
#[derive(Default)]
struct Counts {
    triples: usize,
    per_graph: BTreeMap<String, usize>,
    entities: usize,
    classes: BTreeSet<String>,
    properties: BTreeSet<String>,
    subjects: usize,
    objects: usize,
    sources: BTreeSet<String>,
}

/// How [`Distinct`] holds a term it has not seen: as a reference into quads that outlive
/// the count (nothing copied, nothing freed one by one), or as a copy, for quads that are
/// read and dropped. A term is copied only the first time: most terms recur, and a copy
/// for every quad was most of the time of counting a large graph.
trait Keep<'q, T: ?Sized>: Borrow<T> + std::hash::Hash + Eq {
    fn keep(value: &'q T) -> Self;
}

impl<'q, T: std::hash::Hash + Eq + ?Sized> Keep<'q, T> for &'q T {
    fn keep(value: &'q T) -> Self {
        value
    }
}

impl Keep<'_, NamedOrBlankNode> for NamedOrBlankNode {
    fn keep(value: &NamedOrBlankNode) -> Self {
        value.clone()
    }
}

impl Keep<'_, Term> for Term {
    fn keep(value: &Term) -> Self {
        value.clone()
    }
}

impl Keep<'_, str> for String {
    fn keep(value: &str) -> Self {
        value.to_owned()
    }
}

/// Adds `value` to `set` unless it holds it.
fn insert<'q, K, T>(set: &mut FxHashSet<K>, value: &'q T)
where
    K: Keep<'q, T>,
    T: std::hash::Hash + Eq + ?Sized,
{
    if !set.contains(value) {
        set.insert(K::keep(value));
    }
}

/// How many triples there are, in all and in each graph: counted once for each distinct
/// quad. Graphs are told apart by name, each name copied once.
#[derive(Default)]
struct Sizes {
    triples: usize,
    per_graph: FxHashMap<GraphName, usize>,
}

impl Sizes {
    fn add(&mut self, quad: &Quad) {
        self.triples += 1;
        match self.per_graph.get_mut(&quad.graph_name) {
            Some(n) => *n += 1,
            None => {
                self.per_graph.insert(quad.graph_name.clone(), 1);
            }
        }
    }
}

/// The distinct terms the description counts, which a quad given twice does not change,
/// held as nodes `N`, terms `T` and IRI texts `S` (see [`Keep`]). The IRIs are gathered in
/// hash sets (a sorted set compared the texts of every quad's predicate), and sorted once
/// at the end.
struct Distinct<N, T, S> {
    entities: FxHashSet<N>,
    classes: FxHashSet<S>,
    properties: FxHashSet<S>,
    subjects: FxHashSet<N>,
    objects: FxHashSet<T>,
    sources: FxHashSet<S>,
}

/// The distinct terms of quads that are dropped once counted.
type Copies = Distinct<NamedOrBlankNode, Term, String>;

/// The distinct terms of quads that outlive the count.
type Refs<'q> = Distinct<&'q NamedOrBlankNode, &'q Term, &'q str>;

impl<N, T, S> Default for Distinct<N, T, S> {
    fn default() -> Self {
        Self {
            entities: FxHashSet::default(),
            classes: FxHashSet::default(),
            properties: FxHashSet::default(),
            subjects: FxHashSet::default(),
            objects: FxHashSet::default(),
            sources: FxHashSet::default(),
        }
    }
}

impl<N, T, S> Distinct<N, T, S> {
    fn add<'q>(&mut self, quad: &'q Quad)
    where
        N: Keep<'q, NamedOrBlankNode>,
        T: Keep<'q, Term>,
        S: Keep<'q, str>,
    {
        insert(&mut self.properties, quad.predicate.as_str());
        if quad.predicate == rdf::TYPE {
            insert(&mut self.entities, &quad.subject);
            if let Term::NamedNode(class) = &quad.object {
                insert(&mut self.classes, class.as_str());
            }
        }
        if quad.predicate == prov::wasDerivedFrom
            && let Term::NamedNode(source) = &quad.object
        {
            insert(&mut self.sources, source.as_str());
        }
        insert(&mut self.subjects, &quad.subject);
        insert(&mut self.objects, &quad.object);
    }
}

impl Counts {
    fn of<N, T, S: Borrow<str>>(sizes: Sizes, distinct: Distinct<N, T, S>) -> Self {
        let mut per_graph = BTreeMap::new();
        for (graph, n) in sizes.per_graph {
            let name = match graph {
                GraphName::NamedNode(node) => node.into_string(),
                _ => String::new(),
            };
            *per_graph.entry(name).or_default() += n;
        }
        let texts = |set: FxHashSet<S>| set.iter().map(|s| s.borrow().to_owned()).collect();
        Counts {
            triples: sizes.triples,
            per_graph,
            entities: distinct.entities.len(),
            classes: texts(distinct.classes),
            properties: texts(distinct.properties),
            subjects: distinct.subjects.len(),
            objects: distinct.objects.len(),
            sources: texts(distinct.sources),
        }
    }
}

/// Counts quads (those of the description's own graph are skipped), each as often as given.
fn count_quads<Q: Borrow<Quad>>(
    quads: impl IntoIterator<Item = Result<Q, oxigraph::store::StorageError>>,
) -> Result<Counts> {
    let own = iri::dataset_graph();
    let own = GraphNameRef::NamedNode(own.as_ref());
    let mut sizes = Sizes::default();
    let mut distinct = Copies::default();
    for quad in quads {
        let quad = quad?;
        let quad = quad.borrow();
        if quad.graph_name.as_ref() != own {
            sizes.add(quad);
            distinct.add(quad);
        }
    }
    Ok(Counts::of(sizes, distinct))
}

/// The namespaces of the vocabularies whose terms the graph uses as properties or classes.
fn vocabularies(counts: &Counts) -> BTreeSet<&'static str> {
    counts
        .properties
        .iter()
        .chain(&counts.classes)
        .filter_map(|iri| {
            PREFIXES
                .iter()
                .filter(|(_, ns)| vocab::is_vocabulary(ns) && iri.starts_with(ns))
                .max_by_key(|(_, ns)| ns.len())
                // Our own vocabulary is named by the ontology's IRI, as VoID prefers.
                .map(|(_, ns)| {
                    if *ns == vocab::TIPKG {
                        vocab::ONTOLOGY
                    } else {
                        *ns
                    }
                })
        })
        .collect()
}

/// The quads of the description of the dataset that `store` holds.
pub fn describe(store: &Store) -> Result<Vec<Quad>> {
    describe_quads(store.iter())
}

/// The quads an in-memory store of a build's `quads` holds, without loading one: the quads,
/// each once in the order first given and none in the description's own graph, and the
/// description of the dataset computed from them, each once. The distinct terms are
/// counted on a thread of their own while the quads are made distinct.
pub fn held(quads: &[Quad]) -> Result<(Vec<&Quad>, Vec<Quad>)> {
    let own = iri::dataset_graph();
    let own = GraphNameRef::NamedNode(own.as_ref());
    let (kept, counts) = std::thread::scope(|scope| {
        let distinct = scope.spawn(|| {
            let mut distinct = Refs::default();
            for quad in quads.iter().filter(|q| q.graph_name.as_ref() != own) {
                distinct.add(quad);
            }
            distinct
        });
        let mut seen: FxHashSet<&Quad> =
            FxHashSet::with_capacity_and_hasher(quads.len(), Default::default());
        let mut sizes = Sizes::default();
        let kept: Vec<&Quad> = (quads.iter())
            .filter(|q| q.graph_name.as_ref() != own && seen.insert(*q))
            .inspect(|q| sizes.add(q))
            .collect();
        drop(seen);
        match distinct.join() {
            Ok(distinct) => (kept, Counts::of(sizes, distinct)),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let mut description = description_of(counts);
    let mut seen = FxHashSet::default();
    let first: Vec<bool> = description.iter().map(|q| seen.insert(q)).collect();
    drop(seen);
    let mut first = first.into_iter();
    description.retain(|_| first.next().unwrap_or(true));
    Ok((kept, description))
}

/// The quads of the description of a dataset of `quads`: all of a store's, or all that a
/// transaction sees, or the quads of a build that no store holds, so that the description is
/// written with the graphs it describes.
pub fn describe_quads<Q: Borrow<Quad>>(
    quads: impl IntoIterator<Item = Result<Q, oxigraph::store::StorageError>>,
) -> Result<Vec<Quad>> {
    Ok(description_of(count_quads(quads)?))
}

/// The quads of the description of a dataset of these counts.
fn description_of(counts: Counts) -> Vec<Quad> {
    let graph = GraphName::NamedNode(iri::dataset_graph());
    let dataset = iri::dataset();
    let mut quads = Vec::new();
    let mut add = |subject: &NamedNode, predicate: NamedNode, object: Term| {
        quads.push(Quad::new(subject.clone(), predicate, object, graph.clone()));
    };
    let a = || term(RDF, "type");

    add(&dataset, a(), term(DCAT, "Dataset").into());
    add(&dataset, a(), term(VOID, "Dataset").into());
    add(&dataset, term(DCTERMS, "title"), english(TITLE).into());
    add(
        &dataset,
        term(DCTERMS, "description"),
        english(DESCRIPTION).into(),
    );
    add(&dataset, term(DCTERMS, "license"), named(LICENCE).into());
    add(
        &dataset,
        term(DCAT, "version"),
        Literal::new_simple_literal(env!("CARGO_PKG_VERSION")).into(),
    );
    add(
        &dataset,
        term(VOID, "uriSpace"),
        Literal::new_simple_literal(vocab::ID).into(),
    );
    add(
        &dataset,
        term(DCAT, "landingPage"),
        named(vocab::BASE).into(),
    );

    let publisher = iri::entity(Kind::Organisation, "tipkg-project");
    add(
        &dataset,
        term(DCTERMS, "publisher"),
        publisher.clone().into(),
    );
    // An agent, as DCAT and Dublin Core type a publisher; not a schema:Organization of the
    // data, which the shapes would hold to the data's rules (a source for every entity),
    // since no source states the description.
    add(&publisher, a(), term(DCTERMS, "Agent").into());
    add(&publisher, term(SCHEMA, "name"), english(PUBLISHER).into());
    add(
        &publisher,
        term(SKOS, "prefLabel"),
        english(PUBLISHER).into(),
    );
    add(&publisher, term(SCHEMA, "url"), named(vocab::BASE).into());

    for namespace in vocabularies(&counts) {
        add(&dataset, term(VOID, "vocabulary"), named(namespace).into());
    }
    add(
        &dataset,
        term(VOID, "triples"),
        count(counts.triples).into(),
    );
    add(
        &dataset,
        term(VOID, "entities"),
        count(counts.entities).into(),
    );
    add(
        &dataset,
        term(VOID, "classes"),
        count(counts.classes.len()).into(),
    );
    add(
        &dataset,
        term(VOID, "properties"),
        count(counts.properties.len()).into(),
    );
    add(
        &dataset,
        term(VOID, "distinctSubjects"),
        count(counts.subjects).into(),
    );
    add(
        &dataset,
        term(VOID, "distinctObjects"),
        count(counts.objects).into(),
    );

    // Each named graph is a subset: how big it is, and the source document behind it.
    for (name, triples) in &counts.per_graph {
        if name.is_empty() {
            continue;
        }
        let subset = named(name.clone());
        add(&dataset, term(VOID, "subset"), subset.clone().into());
        add(&subset, a(), term(VOID, "Dataset").into());
        add(&subset, term(VOID, "triples"), count(*triples).into());
        // A source's graph is named by its slug, as is the source; other graphs
        // (imported ones) have no source entity.
        if let Some(slug) = name.strip_prefix(vocab::GRAPH).filter(|s| iri::is_slug(s)) {
            let source = iri::entity(Kind::Source, slug);
            if counts.sources.contains(source.as_str()) {
                add(&subset, term(DCTERMS, "source"), source.into());
            }
        }
    }
    for source in &counts.sources {
        add(
            &dataset,
            term(DCTERMS, "source"),
            named(source.clone()).into(),
        );
    }

    for format in Format::ALL {
        let distribution = iri::distribution(format.name());
        add(
            &dataset,
            term(DCAT, "distribution"),
            distribution.clone().into(),
        );
        add(&distribution, a(), term(DCAT, "Distribution").into());
        add(
            &distribution,
            term(DCTERMS, "title"),
            english(&format!("{TITLE} in {}", format.title())).into(),
        );
        add(
            &distribution,
            term(DCAT, "mediaType"),
            named(format!(
                "https://www.iana.org/assignments/media-types/{}",
                format.media_type()
            ))
            .into(),
        );
        add(
            &distribution,
            term(DCAT, "downloadURL"),
            iri::download(format.extension()).into(),
        );
        if let Some(standard) = format.conforms_to() {
            add(
                &distribution,
                term(DCTERMS, "conformsTo"),
                named(standard).into(),
            );
        }
    }
    quads
}

/// Replaces the description in `store` with one computed from its current content.
pub fn refresh(store: &Store) -> Result<()> {
    let quads = describe(store)?;
    store.clear_graph(GraphNameRef::NamedNode(iri::dataset_graph().as_ref()))?;
    store.extend(quads)?;
    Ok(())
}
