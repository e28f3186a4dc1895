//! Writing the graph out in every RDF syntax, all of them meaning the same graph.
//!
//! Two kinds of output (see ARCHITECTURE.md):
//! - **streamed** (N-Triples, N-Quads): written quad by quad as they are read from the
//!   store, in memory that does not grow with the graph; the order is the store's, which is
//!   fixed for a given input (for every graph of a build, written without the store in the
//!   same order: see [`export_built`]);
//! - **sorted** (Turtle, TriG, RDF/XML, JSON-LD, canonical N-Quads): the same graph always
//!   gives the same bytes. Turtle, TriG and the JSON-LD dataset are read subject by subject
//!   (a sorted list of subjects, then their triples a batch of subjects at a time), the
//!   others whole.
//!
//! Turtle and TriG can also be streamed (`Options::stream`), for graphs too big to sort in
//! memory: in the store's order, a subject's triples grouped as they come, every vocabulary
//! prefix declared up front.
//!
//! Triple formats (Turtle, N-Triples, RDF/XML, framed JSON-LD) get the union of the
//! selected graphs, without duplicates; quad formats (N-Quads, TriG, JSON-LD, canonical)
//! keep every graph. The description of the dataset (`graph/dataset`) is computed when the
//! graph is built or written into a store by `build` (an `import` leaves it to the next
//! `build`).

pub mod canonical;
pub mod jsonld;
pub mod turtle;

use crate::base::error::{Error, Result};
use crate::base::iri;
use crate::base::vocab;
use crate::store::KnowledgeGraph;
use crate::store::numbered;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term, Triple, TripleRef,
};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use rustc_hash::{FxHashMap, FxHashSet};
use spargebra::algebra::GraphPattern;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use std::sync::mpsc::sync_channel;

pub use jsonld::{ContextMode, Frame};

pub use crate::base::format::Format;

/// Which graphs to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphSelection {
    /// Every graph, the default one and the named ones.
    All,
    /// Some graphs: the default graph (empty in a graph built by tipkg) when `default`, and
    /// named graphs, written in that order, the named ones by IRI.
    Graphs {
        default: bool,
        named: BTreeSet<NamedNode>,
    },
}

impl GraphSelection {
    /// Reads the graphs `names` name, each one of: `all`, `default`, `data` (every source's
    /// graph: the graphs under the graph namespace but the ontology's and the dataset
    /// description's), `ontology`, `dataset`, a source's slug, or a graph's IRI; checks
    /// that each named graph is in `graph`. `all` with anything else is still all.
    pub fn parse(names: &[impl AsRef<str>], graph: &KnowledgeGraph) -> Result<Self> {
        let existing = graph.graph_names()?;
        let mut default = false;
        let mut named = BTreeSet::new();
        for name in names {
            match name.as_ref() {
                "all" => return Ok(Self::All),
                "default" => default = true,
                "data" => named.extend(existing.iter().filter_map(|n| match n {
                    NamedOrBlankNode::NamedNode(n) if is_source_graph(n) => Some(n.clone()),
                    _ => None,
                })),
                text => {
                    named.insert(named_graph(text, &existing)?);
                }
            }
        }
        Ok(Self::Graphs { default, named })
    }

    /// A selection of one named graph.
    pub fn named(graph: NamedNode) -> Self {
        Self::Graphs {
            default: false,
            named: BTreeSet::from([graph]),
        }
    }

    /// The graph names to read, in order; `None` for every graph.
    fn graph_names(&self) -> Option<Vec<GraphNameRef<'_>>> {
        match self {
            Self::All => None,
            Self::Graphs { default, named } => Some(
                default
                    .then_some(GraphNameRef::DefaultGraph)
                    .into_iter()
                    .chain(named.iter().map(|n| GraphNameRef::NamedNode(n.as_ref())))
                    .collect(),
            ),
        }
    }

    /// How many named graphs are selected (all of `graph`'s for `All`).
    pub fn named_count(&self, graph: &KnowledgeGraph) -> Result<usize> {
        Ok(match self {
            Self::All => graph.graph_names()?.len(),
            Self::Graphs { named, .. } => named.len(),
        })
    }

    /// The selected quads, graph by graph (in store order for `All`), read lazily.
    pub fn quads<'a>(
        &'a self,
        graph: &'a KnowledgeGraph,
    ) -> Box<dyn Iterator<Item = Result<Quad>> + 'a> {
        let store = graph.store();
        match self.graph_names() {
            None => Box::new(store.iter().map(|q| q.map_err(Error::from))),
            Some(names) => Box::new(names.into_iter().flat_map(move |name| {
                store
                    .quads_for_pattern(None, None, None, Some(name))
                    .map(|q| q.map_err(Error::from))
            })),
        }
    }
}

/// Whether a graph is one source's: under the graph namespace, and neither the ontology's
/// nor the dataset description's.
fn is_source_graph(graph: &NamedNode) -> bool {
    graph.as_str().starts_with(vocab::GRAPH)
        && *graph != iri::ontology_graph()
        && *graph != iri::dataset_graph()
}

/// The named graph `text` names (`ontology`, `dataset`, a source's slug or a graph's IRI),
/// which must be one of `existing`.
fn named_graph(text: &str, existing: &[NamedOrBlankNode]) -> Result<NamedNode> {
    let named = match text {
        _ if text.contains(':') => NamedNode::new(text).map_err(|e| Error::UnknownGraph {
            given: text.to_owned(),
            reason: "not an IRI".into(),
            source: Some(e.into()),
        })?,
        _ if iri::is_slug(text) => iri::graph(text),
        _ => {
            return Err(Error::UnknownGraph {
                given: text.to_owned(),
                reason:
                    "expected all, default, data, ontology, dataset, a source's slug or a graph IRI"
                        .into(),
                source: None,
            });
        }
    };
    if existing
        .iter()
        .any(|n| matches!(n, NamedOrBlankNode::NamedNode(n) if *n == named))
    {
        return Ok(named);
    }
    let slugs: Vec<String> = existing
        .iter()
        .filter_map(|n| match n {
            NamedOrBlankNode::NamedNode(n) => n.as_str().strip_prefix(vocab::GRAPH),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .map(str::to_owned)
        .collect();
    let closest = crate::base::diagnostic::closest(
        named.as_str().trim_start_matches(vocab::GRAPH),
        slugs.iter().map(String::as_str),
    );
    Err(Error::UnknownGraph {
        given: text.to_owned(),
        reason: format!(
            "no such named graph{}; the graphs are: all, default, data, {}",
            closest.map_or(String::new(), |c| format!(" (did you mean {c}?)")),
            slugs.join(", ")
        ),
        source: None,
    })
}

/// How to export.
#[derive(Debug, Clone)]
pub struct Options {
    pub format: Format,
    pub graphs: GraphSelection,
    pub jsonld_context: ContextMode,
    pub jsonld_frame: Option<Frame>,
    /// Turtle and TriG: write in the store's order instead of sorting (see the module
    /// documentation).
    pub stream: bool,
}

/// What an export did that its user should hear about.
#[derive(Debug, Default)]
pub struct Summary {
    /// How many named graphs were merged into one graph, for a triple format.
    pub merged_graphs: usize,
    /// IRIs used as properties or classes that the JSON-LD context has no term for.
    pub missing_terms: BTreeSet<String>,
}

impl Options {
    /// Whether this export keeps named graphs.
    pub fn keeps_graphs(&self) -> bool {
        self.format.is_quad_format() && self.jsonld_frame.is_none()
    }
}

/// Writes the selected graphs of `graph` in the chosen format to `out`. The description of
/// the dataset is the one computed when the graph was built or written into its store.
pub fn export(graph: &KnowledgeGraph, options: &Options, out: &mut dyn Write) -> Result<Summary> {
    let mut summary = Summary::default();
    if !options.keeps_graphs() {
        summary.merged_graphs = options.graphs.named_count(graph)?;
    }
    let selection = &options.graphs;
    match options.format {
        Format::Nquads => stream_quads(
            selection.quads(graph),
            RdfSerializer::from_format(RdfFormat::NQuads),
            out,
        )?,
        Format::Ntriples => stream_triples(graph, selection, RdfFormat::NTriples, out)?,
        Format::Turtle if options.stream => {
            stream_triples(graph, selection, RdfFormat::Turtle, out)?
        }
        Format::Trig if options.stream => {
            let mut writer = turtle::Streamer::new(out).map_err(io)?;
            for quad in selection.quads(graph) {
                writer.quad(quad?.as_ref()).map_err(io)?;
            }
            writer.finish().map_err(io)?;
        }
        Format::Canonical => canonical::write(selection.quads(graph), out)?,
        Format::Turtle => readable(graph, selection, false, out)?,
        Format::Trig => readable(graph, selection, true, out)?,
        Format::Rdfxml => {
            let triples = sorted_triples(selection.quads(graph))?;
            write_rdfxml(&triples, out)?;
        }
        Format::Jsonld => {
            let compactor = match options.jsonld_frame {
                Some(frame) => {
                    let triples = sorted_triples(selection.quads(graph))?;
                    jsonld::write_framed(&triples, frame, options.jsonld_context, out)?
                }
                None => jsonld_dataset(graph, selection, options.jsonld_context, out)?,
            };
            summary.missing_terms = compactor.missing().clone();
        }
    }
    Ok(summary)
}

/// N-Quads, N-Triples, or streamed Turtle or TriG (`stream`) of every graph of a graph built
/// in memory, written straight from its mapped quads rather than through an in-memory store
/// (loading and indexing them took most of the time and memory of such an export), in the
/// bytes the store gave: the quads it would hold (each once, the description of the dataset
/// computed from them and loaded last) in its order, newest first; N-Triples and streamed
/// Turtle subject by subject (sorted), each subject's triples in that order, each once.
/// Readable (sorted) Turtle and TriG and the other formats need the store.
pub fn export_built(
    quads: &[Quad],
    format: Format,
    stream: bool,
    out: &mut dyn Write,
) -> Result<Summary> {
    let (kept, description) = crate::store::description::held(quads)?;
    // The in-memory store lists its quads from the last inserted to the first.
    let all = description.iter().rev().chain(kept.iter().rev().copied());
    let mut summary = Summary::default();
    match format {
        Format::Nquads => stream_quads(
            all.map(Ok),
            RdfSerializer::from_format(RdfFormat::NQuads),
            out,
        )?,
        Format::Trig if stream => {
            let mut writer = turtle::Streamer::new(out).map_err(io)?;
            for quad in all {
                writer.quad(quad.as_ref()).map_err(io)?;
            }
            writer.finish().map_err(io)?;
        }
        Format::Ntriples => {
            let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(out);
            summary.merged_graphs = union_of_built(all, &mut |triple| {
                serializer.serialize_triple(triple).map_err(io)
            })?;
            serializer.finish().map_err(io)?;
        }
        Format::Turtle if stream => {
            let mut writer = turtle::Streamer::new(out).map_err(io)?;
            summary.merged_graphs =
                union_of_built(all, &mut |triple| writer.triple(triple).map_err(io))?;
            writer.finish().map_err(io)?;
        }
        other => {
            return Err(Error::Export {
                message: format!(
                    "{}{} is not written straight from a build",
                    if stream { "streamed " } else { "" },
                    other.name()
                ),
                source: None,
            });
        }
    }
    Ok(summary)
}

/// The union of the graphs of a build's quads (in the in-memory store's order), as the
/// store gives it ([`union_by_subject`]): subject by subject, sorted, each subject's
/// triples in the quads' order, each once. Returns how many named graphs were merged.
fn union_of_built<'a>(
    all: impl Iterator<Item = &'a Quad>,
    write: &mut dyn FnMut(TripleRef<'_>) -> Result<()>,
) -> Result<usize> {
    let mut graphs = FxHashSet::default();
    let mut by_subject: FxHashMap<&NamedOrBlankNode, Vec<&Quad>> = FxHashMap::default();
    for quad in all {
        if let GraphName::NamedNode(name) = &quad.graph_name {
            graphs.insert(name);
        }
        by_subject.entry(&quad.subject).or_default().push(quad);
    }
    let mut subjects: Vec<&NamedOrBlankNode> = by_subject.keys().copied().collect();
    subjects.sort_unstable_by(|a, b| subject_key(a).cmp(&subject_key(b)));
    let mut written = FxHashSet::default();
    for subject in subjects {
        written.clear();
        for quad in &by_subject[subject] {
            if written.insert((&quad.predicate, &quad.object)) {
                write(TripleRef::from(quad.as_ref()))?;
            }
        }
    }
    Ok(graphs.len())
}

/// Writes a plain graph, such as the answer of a CONSTRUCT or DESCRIBE query, sorted, in
/// `format`; quad formats put it in the default graph.
pub fn write_graph(triples: &[Triple], format: Format, out: &mut dyn Write) -> Result<()> {
    let quads = triples
        .iter()
        .map(|t| Ok(t.clone().in_graph(GraphName::DefaultGraph)));
    let sorted = sorted_triples(quads.clone())?;
    match format {
        Format::Turtle => turtle::write_turtle(&sorted, out).map_err(io),
        Format::Trig => turtle::write_trig(&[(GraphName::DefaultGraph, sorted)], out).map_err(io),
        Format::Rdfxml => write_rdfxml(&sorted, out),
        Format::Canonical => canonical::write(quads, out),
        Format::Ntriples | Format::Nquads => stream_quads(
            sorted
                .into_iter()
                .map(|t| Ok(t.in_graph(GraphName::DefaultGraph))),
            RdfSerializer::from_format(RdfFormat::NQuads),
            out,
        ),
        Format::Jsonld => {
            jsonld::write_framed(&sorted, Frame::Entity, ContextMode::Embed, out)?;
            Ok(())
        }
    }
}

/// The canonical N-Quads hash of the selected graphs.
pub fn hash(graph: &KnowledgeGraph, selection: &GraphSelection) -> Result<String> {
    canonical::hash(selection.quads(graph))
}

fn io(source: std::io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source,
    }
}

/// The default graph sorts first, then named graphs by IRI.
fn graph_key(name: &GraphName) -> String {
    match name {
        GraphName::DefaultGraph => String::new(),
        other => other.to_string(),
    }
}

/// The distinct triples of `quads`, sorted by their N-Triples form.
fn sorted_triples(quads: impl Iterator<Item = Result<Quad>>) -> Result<Vec<Triple>> {
    let mut triples: BTreeMap<String, Triple> = BTreeMap::new();
    for quad in quads {
        let triple = Triple::from(quad?);
        triples.entry(triple.to_string()).or_insert(triple);
    }
    Ok(triples.into_values().collect())
}

/// Readable Turtle (the union of the selected graphs) or TriG (graph by graph, in the order
/// of [`graph_key`]), subject by subject: the sorted list of subjects is read first, then
/// the subjects' triples a batch at a time ([`SubjectReader`]), so that beside the list only
/// one batch of subjects is in memory.
fn readable(
    graph: &KnowledgeGraph,
    selection: &GraphSelection,
    trig: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let mut writer = turtle::Readable::new();
    if trig {
        let mut names = selected_graphs(graph, selection)?;
        names.sort_by_cached_key(graph_key);
        for name in &names {
            let subjects = subjects(graph, Some(name.as_ref()))?;
            if subjects.is_empty() {
                continue;
            }
            writer.graph(name.as_ref()).map_err(io)?;
            let graphs = [Some(name.as_ref())];
            readable_blocks(graph, &graphs, &subjects, &mut writer)?;
        }
    } else {
        let (subjects, graphs) = match selection.graph_names() {
            None => (subjects(graph, None)?, vec![None]),
            Some(names) => {
                let mut all = Vec::new();
                for name in &names {
                    all.extend(subjects(graph, Some(*name))?);
                }
                all.sort_unstable_by(|a, b| turtle::subject_order(a.as_ref(), b.as_ref()));
                all.dedup();
                (all, names.into_iter().map(Some).collect())
            }
        };
        readable_blocks(graph, &graphs, &subjects, &mut writer)?;
    }
    writer.finish(out).map_err(io)
}

/// Writes each of `subjects` with its triples in `graphs` as one block of `writer`.
fn readable_blocks<'a>(
    graph: &'a KnowledgeGraph,
    graphs: &[Option<GraphNameRef<'a>>],
    subjects: &[NamedOrBlankNode],
    writer: &mut turtle::Readable,
) -> Result<()> {
    SubjectReader::new(graph, graphs, subjects.len())?.for_each(subjects, |subject, triples| {
        let triples = triples.iter().map(|(p, o)| (p.as_ref(), o.as_ref()));
        writer.subject(subject.as_ref(), triples).map_err(io)
    })
}

/// Compacted JSON-LD of the selected graphs, graph by graph and node by node (see
/// [`jsonld::DatasetWriter`]): beside the list of a graph's subjects, only one batch of
/// subjects' triples ([`SubjectReader`]) and one node are in memory.
fn jsonld_dataset(
    graph: &KnowledgeGraph,
    selection: &GraphSelection,
    mode: ContextMode,
    out: &mut dyn Write,
) -> Result<jsonld::Compactor> {
    let mut names = selected_graphs(graph, selection)?;
    names.sort_by_cached_key(ToString::to_string);
    let mut writer = jsonld::DatasetWriter::new(mode, out)?;
    for name in &names {
        let mut subjects = subjects(graph, Some(name.as_ref()))?;
        if subjects.is_empty() {
            continue;
        }
        subjects.sort_by_cached_key(ToString::to_string);
        writer.graph(name.as_ref())?;
        let graphs = [Some(name.as_ref())];
        SubjectReader::new(graph, &graphs, subjects.len())?
            .for_each(&subjects, |subject, triples| {
                writer.node(subject, triples.iter().map(|(p, o)| (p, o)))
            })?;
    }
    writer.finish()
}

/// The graphs of the selection, the default graph included for `All` (unsorted).
fn selected_graphs(graph: &KnowledgeGraph, selection: &GraphSelection) -> Result<Vec<GraphName>> {
    Ok(match selection.graph_names() {
        Some(names) => names.into_iter().map(GraphNameRef::into_owned).collect(),
        None => std::iter::once(Ok(GraphName::DefaultGraph))
            .chain(graph.store().named_graphs().map(|g| g.map(GraphName::from)))
            .collect::<std::result::Result<_, _>>()?,
    })
}

/// Subjects read by one query of [`SubjectReader`].
const SUBJECTS_A_QUERY: usize = 256;

/// Reads the predicates and objects of subjects in some graphs (`None`: every graph), a
/// batch of subjects a query, so that the query evaluator turns back into terms only the
/// object of each triple: each subject is named by its place in the batch and each predicate
/// by its place in the graph's list of distinct predicates ([`numbered`]), numbers kept
/// inline. The store's own reading of the quads would turn back all four terms of each quad,
/// each a lookup in the store for an IRI longer than an inline string, although the subject
/// and the graph are known and the predicates few; and a query a subject would cost its
/// preparation each time. The queries are built as algebra, not parsed. A blank node, as a
/// subject or a graph name, is read from the quads: in a query it would be a variable. So is
/// a store in memory, where turning an id back into a term is a lookup in a hash table:
/// there the query costs more than it saves (the JSON-LD of a build of 1M triples took
/// 6.0–6.8 s through the query against 4.7–4.9 s from the quads).
struct SubjectReader<'a> {
    graph: &'a KnowledgeGraph,
    graphs: Vec<ReadGraph<'a>>,
}

/// One graph of a [`SubjectReader`].
struct ReadGraph<'a> {
    name: Option<GraphNameRef<'a>>,
    /// `?s ?p ?o` in the graph and its distinct predicates, `None` where it is read from the
    /// quads: a blank node, a store in memory, one batch of subjects or fewer, more than
    /// [`numbered::MOST_PREDICATES`] predicates.
    query: Option<(GraphPattern, Vec<NamedNode>)>,
}

impl<'a> SubjectReader<'a> {
    /// A reader of `subjects` subjects in the graphs `names`. At most one batch of subjects
    /// is read from the quads: the query of the predicates and a thread would cost more than
    /// they save (JSON-LD of a store of 10,620 graphs of about a hundred triples each took
    /// 10.5–10.7 s of CPU through them against 8.4–8.9 s before).
    fn new(
        graph: &'a KnowledgeGraph,
        names: &[Option<GraphNameRef<'a>>],
        subjects: usize,
    ) -> Result<Self> {
        let by_query = graph.is_on_disk() && subjects > SUBJECTS_A_QUERY;
        let graphs = names
            .iter()
            .map(|&name| {
                let query = match numbered::triples_in(name).filter(|_| by_query) {
                    Some(pattern) => numbered::predicates(graph.store(), &pattern)?
                        .map(|predicates| (pattern, predicates)),
                    None => None,
                };
                Ok(ReadGraph { name, query })
            })
            .collect::<Result<_>>()?;
        Ok(Self { graph, graphs })
    }

    /// Calls `each` with every subject of `subjects`, in their order, and its predicates and
    /// objects in the graphs. Beyond one batch, a thread reads the batches while `each` is
    /// given the one before (reading was about three fifths of the JSON-LD export of an
    /// on-disk store): at most three batches are held at a time.
    fn for_each(
        &self,
        subjects: &[NamedOrBlankNode],
        mut each: impl FnMut(&NamedOrBlankNode, &[(NamedNode, Term)]) -> Result<()>,
    ) -> Result<()> {
        if subjects.len() <= SUBJECTS_A_QUERY {
            let triples = self.read_batch(subjects)?;
            return (subjects.iter().zip(&triples)).try_for_each(|(s, t)| each(s, t));
        }
        std::thread::scope(|scope| {
            let (sender, batches) = sync_channel(1);
            scope.spawn(move || {
                for batch in subjects.chunks(SUBJECTS_A_QUERY) {
                    let read = self.read_batch(batch);
                    let failed = read.is_err();
                    // The receiver is gone when `each` failed.
                    if sender.send(read).is_err() || failed {
                        break;
                    }
                }
            });
            for (batch, triples) in subjects.chunks(SUBJECTS_A_QUERY).zip(batches) {
                for (subject, triples) in batch.iter().zip(&triples?) {
                    each(subject, triples)?;
                }
            }
            Ok(())
        })
    }

    /// The predicates and objects of each subject of `batch` in the graphs.
    fn read_batch(&self, batch: &[NamedOrBlankNode]) -> Result<Vec<Vec<(NamedNode, Term)>>> {
        let mut triples = Vec::new();
        triples.resize_with(batch.len(), Vec::new);
        for graph in &self.graphs {
            self.read(batch, graph, &mut triples)?;
        }
        Ok(triples)
    }

    /// Adds to `triples[i]` the predicates and objects of `batch[i]` in `graph`.
    fn read(
        &self,
        batch: &[NamedOrBlankNode],
        graph: &ReadGraph<'_>,
        triples: &mut [Vec<(NamedNode, Term)>],
    ) -> Result<()> {
        let store = self.graph.store();
        let from_quads = |i: usize, triples: &mut [Vec<(NamedNode, Term)>]| -> Result<()> {
            for quad in store.quads_for_pattern(Some(batch[i].as_ref()), None, None, graph.name) {
                let quad = quad?;
                triples[i].push((quad.predicate, quad.object));
            }
            Ok(())
        };
        let Some((pattern, predicates)) = &graph.query else {
            return (0..batch.len()).try_for_each(|i| from_quads(i, triples));
        };
        let mut subjects = Vec::with_capacity(batch.len());
        for (i, subject) in batch.iter().enumerate() {
            match subject {
                NamedOrBlankNode::NamedNode(node) => {
                    subjects.push(vec![Some(node.clone().into()), Some(numbered::number(i))]);
                }
                NamedOrBlankNode::BlankNode(_) => from_quads(i, triples)?,
            }
        }
        if subjects.is_empty() || predicates.is_empty() {
            return Ok(());
        }
        let [s, i, p, j, o] = ["s", "i", "p", "j", "o"].map(Variable::new_unchecked);
        // The subjects' triples, each subject's place beside them; their predicates are
        // numbered outside the projection.
        let triples_of_batch = GraphPattern::Project {
            inner: Box::new(GraphPattern::Join {
                left: Box::new(GraphPattern::Values {
                    variables: vec![s, i.clone()],
                    bindings: subjects,
                }),
                right: Box::new(pattern.clone()),
            }),
            variables: vec![i.clone(), p, o.clone()],
        };
        let query = GraphPattern::Project {
            inner: Box::new(numbered::numbering(predicates, triples_of_batch)),
            variables: vec![i, j, o],
        };
        for solution in numbered::select(store, query)? {
            let solution = solution?;
            let i = numbered::place(solution.get(0));
            let j = numbered::place(solution.get(1));
            let (Some(triples), Some(predicate), Some(object)) = (
                i.and_then(|i| triples.get_mut(i)),
                j.and_then(|j| predicates.get(j)),
                solution.get(2),
            ) else {
                return Err(numbered::unexpected());
            };
            triples.push((predicate.clone(), object.clone()));
        }
        Ok(())
    }
}

/// The distinct subjects of one graph (of every graph for `None`), in the order of
/// [`turtle::subject_order`]. A query rather than a scan of the quads: the store then turns
/// only each subject's id back into its IRI, once, not every term of every quad.
fn subjects(
    graph: &KnowledgeGraph,
    name: Option<GraphNameRef<'_>>,
) -> Result<Vec<NamedOrBlankNode>> {
    let store = graph.store();
    let query = match name {
        None => "SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }".into(),
        Some(GraphNameRef::DefaultGraph) => "SELECT DISTINCT ?s WHERE { ?s ?p ?o }".into(),
        Some(GraphNameRef::NamedNode(name)) => {
            format!("SELECT DISTINCT ?s WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
        }
        Some(name @ GraphNameRef::BlankNode(_)) => {
            // A blank node in a query is a variable: read the graph's quads instead.
            let mut subjects = HashSet::new();
            for quad in store.quads_for_pattern(None, None, None, Some(name)) {
                subjects.insert(quad?.subject);
            }
            let mut subjects: Vec<_> = subjects.into_iter().collect();
            subjects.sort_unstable_by(|a, b| turtle::subject_order(a.as_ref(), b.as_ref()));
            return Ok(subjects);
        }
    };
    let mut subjects: Vec<NamedOrBlankNode> = Vec::new();
    if let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
        .parse_query(&query)
        .map_err(Error::Sparql)?
        .on_store(store)
        .execute()?
    {
        for solution in solutions {
            match solution?.get("s") {
                Some(Term::NamedNode(node)) => subjects.push(node.clone().into()),
                Some(Term::BlankNode(node)) => subjects.push(node.clone().into()),
                _ => {}
            }
        }
    }
    subjects.sort_unstable_by(|a, b| turtle::subject_order(a.as_ref(), b.as_ref()));
    Ok(subjects)
}

/// Quads as they come from the store (TriG groups them by graph as the store gives them
/// graph by graph): nothing is held but the current quad.
fn stream_quads<Q: Borrow<Quad>>(
    quads: impl Iterator<Item = Result<Q>>,
    serializer: RdfSerializer,
    out: &mut dyn Write,
) -> Result<()> {
    let mut serializer = serializer.for_writer(out);
    for quad in quads {
        serializer.serialize_quad(quad?.borrow()).map_err(io)?;
    }
    serializer.finish().map_err(io)?;
    Ok(())
}

/// N-Triples or Turtle as the triples come from the store, a triple stated in several graphs
/// written once.
fn stream_triples(
    graph: &KnowledgeGraph,
    selection: &GraphSelection,
    format: RdfFormat,
    out: &mut dyn Write,
) -> Result<()> {
    if format == RdfFormat::Turtle {
        let mut writer = turtle::Streamer::new(out).map_err(io)?;
        union_triples(graph, selection, &mut |triple| {
            writer.triple(triple).map_err(io)
        })?;
        writer.finish().map_err(io)?;
    } else {
        let mut serializer = RdfSerializer::from_format(format).for_writer(out);
        union_triples(graph, selection, &mut |triple| {
            serializer.serialize_triple(triple).map_err(io)
        })?;
        serializer.finish().map_err(io)?;
    }
    Ok(())
}

/// The triples of the selection, a triple stated in several graphs given once.
fn union_triples(
    graph: &KnowledgeGraph,
    selection: &GraphSelection,
    write: &mut dyn FnMut(TripleRef<'_>) -> Result<()>,
) -> Result<()> {
    match selection.graph_names() {
        Some(names) => union_of(graph, &names, write)?,
        None if graph.is_on_disk() => union_by_lookup(graph, write)?,
        None => union_by_subject(graph, write)?,
    }
    Ok(())
}

/// The union of some graphs, graph by graph: each quad is written unless a graph written
/// before its own holds the same triple (one lookup per such graph; none for one graph,
/// which holds each triple once).
fn union_of(
    graph: &KnowledgeGraph,
    names: &[GraphNameRef<'_>],
    write: &mut dyn FnMut(TripleRef<'_>) -> Result<()>,
) -> Result<()> {
    let store = graph.store();
    for (i, name) in names.iter().enumerate() {
        for quad in store.quads_for_pattern(None, None, None, Some(*name)) {
            let quad = quad?;
            let mut written = false;
            for earlier in &names[..i] {
                let triple = QuadRef::new(&quad.subject, &quad.predicate, &quad.object, *earlier);
                if store.contains(triple)? {
                    written = true;
                    break;
                }
            }
            if !written {
                write(quad.as_ref().into())?;
            }
        }
    }
    Ok(())
}

/// The union of the graphs of an on-disk store, in the store's order and in memory that does
/// not grow with it: each quad is written only if no graph that sorts before its own holds
/// the same triple, which a lookup in the store's subject-predicate-object index tells.
fn union_by_lookup(
    graph: &KnowledgeGraph,
    write: &mut dyn FnMut(TripleRef<'_>) -> Result<()>,
) -> Result<()> {
    let store = graph.store();
    for quad in store.iter() {
        let quad = quad?;
        let mut first = true;
        for other in store.quads_for_pattern(
            Some(quad.subject.as_ref()),
            Some(quad.predicate.as_ref()),
            Some(quad.object.as_ref()),
            None,
        ) {
            if graph_order(&other?.graph_name, &quad.graph_name) == Ordering::Less {
                first = false;
                break;
            }
        }
        if first {
            write(quad.as_ref().into())?;
        }
    }
    Ok(())
}

/// The union of the graphs of an in-memory store, subject by subject (sorted), each
/// subject's triples in the store's order without duplicates. The in-memory store answers a
/// lookup by walking the list of quads of its least frequent term, which a per-quad lookup
/// turns quadratic; the list of one subject is walked once here.
fn union_by_subject(
    graph: &KnowledgeGraph,
    write: &mut dyn FnMut(TripleRef<'_>) -> Result<()>,
) -> Result<()> {
    let store = graph.store();
    let mut subjects = HashSet::new();
    for quad in store.iter() {
        subjects.insert(quad?.subject);
    }
    let mut subjects: Vec<NamedOrBlankNode> = subjects.into_iter().collect();
    subjects.sort_unstable_by(|a, b| subject_key(a).cmp(&subject_key(b)));
    let mut written = HashSet::new();
    for subject in &subjects {
        written.clear();
        for quad in store.quads_for_pattern(Some(subject.as_ref()), None, None, None) {
            let quad = quad?;
            if written.insert((quad.predicate.clone(), quad.object.clone())) {
                write(quad.as_ref().into())?;
            }
        }
    }
    Ok(())
}

/// Named subjects by IRI, then blank nodes.
fn subject_key(subject: &NamedOrBlankNode) -> (bool, &str) {
    match subject {
        NamedOrBlankNode::NamedNode(node) => (false, node.as_str()),
        NamedOrBlankNode::BlankNode(node) => (true, node.as_str()),
    }
}

/// The default graph first, then named graphs by IRI, then blank-node graphs.
fn graph_order(a: &GraphName, b: &GraphName) -> Ordering {
    fn key(name: &GraphName) -> (u8, &str) {
        match name {
            GraphName::DefaultGraph => (0, ""),
            GraphName::NamedNode(node) => (1, node.as_str()),
            GraphName::BlankNode(node) => (2, node.as_str()),
        }
    }
    key(a).cmp(&key(b))
}

/// RDF/XML through Oxigraph's writer, declaring the vocabulary prefixes in use.
fn write_rdfxml(triples: &[Triple], out: &mut dyn Write) -> Result<()> {
    let mut serializer = RdfSerializer::from_format(RdfFormat::RdfXml);
    for (prefix, namespace) in
        turtle::Prefixes::used_by(triples.iter(), std::iter::empty()).declared()
    {
        if vocab::is_vocabulary(namespace) {
            serializer =
                serializer
                    .with_prefix(*prefix, *namespace)
                    .map_err(|e| Error::Export {
                        message: format!("the prefix {prefix}: for RDF/XML"),
                        source: Some(e.into()),
                    })?;
        }
    }
    let mut serializer = serializer.for_writer(out);
    for triple in triples {
        serializer.serialize_triple(triple).map_err(io)?;
    }
    serializer.finish().map_err(io)?;
    Ok(())
}
