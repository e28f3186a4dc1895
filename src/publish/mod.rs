//! Publishing: loading the knowledge graph into an external triplestore over the standard
//! protocols, safely, and reading a graph back.
//!
//! A push never leaves a half-loaded graph where users read: every graph is first loaded
//! into a staging graph of its own, named by the push's run id ([`iri::push_run`]) so that
//! concurrent pushes never share one, its triples are counted inside `GRAPH` on the server,
//! and only when every staging graph holds what was sent are they moved over the target
//! graphs (`MOVE`, or `ADD` when appending), all in one update request where the store
//! runs a request as one transaction. Each staging graph is counted again immediately
//! before its `MOVE`/`ADD`, since Virtuoso's `MOVE` from a missing graph empties the
//! target. When anything fails before that, or the push is interrupted ([`interrupt`]),
//! the staging graphs are dropped and the store's graphs are as they were.
//!
//! A push is planned once ([`Publisher::plan`]: the graphs, every request in order, the
//! graphs a prune drops); a dry run describes the plan's steps and a push executes them
//! ([`Publisher::execute`], then [`Publisher::prune`]), so that what a dry run shows is what
//! a push sends.
//!
//! The graphs to load come from a store ([`store_loads`]) or a file's quads
//! ([`graph_loads`]); a large graph of a store is never held, but read while it is sent.
//!
//! Parts: [`plan`] (the [`PushPlan`] and its steps), `execute` (running them, and what a
//! failure leaves in the store), `stream` (sending a graph while it is read), [`remote`]
//! (the protocol requests), [`canon`] (literal canonicalisation for comparisons); the
//! network layer holds the HTTP client, the credentials and each store's endpoints and
//! quirks ([`crate::net`]).

pub mod canon;
mod execute;
pub mod plan;
pub mod remote;

mod stream;

pub use plan::{PushPlan, Step};

use crate::base::error::{Cleanup, Error, Result};
use crate::base::iri;
use crate::base::named::{Named, display_and_parse};
use crate::base::parallel;
use crate::base::progress::{Progress, Silent};
use crate::base::vocab::GRAPH;
use crate::net::http::Client;
use crate::net::target::Endpoints;
use crate::store::{KnowledgeGraph, StoreGraph, Together};
use bytes::Bytes;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    BaseDirection, GraphName, LiteralRef, NamedNode, NamedOrBlankNode, Quad, Term, TermRef, Triple,
    TripleRef,
};
use rustc_hash::FxHashMap;
use std::cmp;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks a running push to stop: it finishes the request under way, drops its staging
/// graphs and fails. Safe to call from a signal handler.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether [`interrupt`] was called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// How triples travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol: many graphs in one dataset request where the
    /// store takes one, else a request per graph (small graphs together in one `INSERT DATA`
    /// where the store's update is cheaper).
    Gsp,
    /// SPARQL 1.1 Update: `INSERT DATA` in batches, small graphs together in one.
    Update,
}

impl Named for Protocol {
    const KIND: &'static str = "protocol";
    const ALL: &'static [Self] = &[Self::Gsp, Self::Update];

    fn name(self) -> &'static str {
        match self {
            Self::Gsp => "gsp",
            Self::Update => "update",
        }
    }
}

display_and_parse!(Protocol);

/// What happens to a graph the store already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The graph becomes exactly what is sent.
    Replace,
    /// What is sent is added to the graph.
    Append,
}

impl Named for Mode {
    const KIND: &'static str = "mode";
    const ALL: &'static [Self] = &[Self::Replace, Self::Append];

    fn name(self) -> &'static str {
        match self {
            Self::Replace => "replace",
            Self::Append => "append",
        }
    }
}

display_and_parse!(Mode);

/// The syntax of Graph Store Protocol bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Ntriples,
    Turtle,
}

impl Named for BodyFormat {
    const KIND: &'static str = "body format";
    const ALL: &'static [Self] = &[Self::Ntriples, Self::Turtle];

    fn name(self) -> &'static str {
        match self {
            Self::Ntriples => "ntriples",
            Self::Turtle => "turtle",
        }
    }
}

display_and_parse!(BodyFormat);

impl BodyFormat {
    fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Ntriples => RdfFormat::NTriples,
            Self::Turtle => RdfFormat::Turtle,
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Self::Ntriples => "application/n-triples",
            Self::Turtle => "text/turtle",
        }
    }

    /// The syntax that carries several graphs in one body: N-Quads, or TriG for Turtle.
    fn dataset_format(self) -> RdfFormat {
        match self {
            Self::Ntriples => RdfFormat::NQuads,
            Self::Turtle => RdfFormat::TriG,
        }
    }

    fn dataset_media_type(self) -> &'static str {
        match self {
            Self::Ntriples => "application/n-quads",
            Self::Turtle => "application/trig",
        }
    }
}

/// Where the graphs land in the store.
#[derive(Debug, Clone)]
pub enum Placement {
    /// Under their own IRIs (`https://w3id.org/tipkg/graph/{source}`).
    AsBuilt,
    /// Under another prefix: `{prefix}{source}`.
    Prefix(String),
    /// All merged into one graph.
    Single(NamedNode),
}

/// One graph to load: where it goes and its triples.
#[derive(Debug, Clone)]
pub struct GraphLoad {
    pub target: NamedNode,
    pub triples: Triples,
}

/// The triples of a [`GraphLoad`]: held, or read from the store as they are sent.
#[derive(Debug, Clone)]
pub enum Triples {
    /// Without duplicates, in [`triple_order`].
    Held(Vec<Triple>),
    /// One graph of the store that lands alone in its target: read while it is sent, in
    /// the order of the store's index ([`StoreGraph::in_index_order`]).
    Stored(StoreGraph),
}

/// A graph of the store with more triples than this is sent in parts of its own, each read
/// while the one before is sent; smaller graphs travel together.
pub const STREAMED_TRIPLES: u64 = 50_000;

impl GraphLoad {
    /// The number of triples sent.
    pub fn len(&self) -> u64 {
        match &self.triples {
            Triples::Held(triples) => triples.len() as u64,
            Triples::Stored(graph) => graph.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The held triples; none for a graph read from the store as it is sent.
    pub fn held(&self) -> &[Triple] {
        match &self.triples {
            Triples::Held(triples) => triples,
            Triples::Stored(_) => &[],
        }
    }

    /// Whether the triples are read from the store as they are sent.
    pub fn is_stored(&self) -> bool {
        matches!(self.triples, Triples::Stored(_))
    }

    /// Whether the graph is sent in parts of its own, read from the store while the part
    /// before is sent: a graph of the store larger than [`STREAMED_TRIPLES`].
    pub fn in_parts(&self) -> bool {
        self.is_stored() && self.len() > STREAMED_TRIPLES
    }

    /// Gives each triple to `write`, in order (see [`GraphLoad::reading`]).
    pub fn write_each(
        &self,
        write: impl FnMut(&Triple) -> Result<()>,
    ) -> Result<Option<canon::Kept>> {
        self.reading().write_each(write)
    }

    /// The triples as they are sent, a graph of the store read on the calling thread in
    /// the order of its index, and what a store that rewrites literals keeps of it counted
    /// on the way.
    pub fn reading(&self) -> Reading<'_> {
        let triples: Box<dyn Iterator<Item = Result<Triple>> + '_> = match &self.triples {
            Triples::Held(triples) => Box::new(triples.iter().cloned().map(Ok)),
            Triples::Stored(graph) => graph.read_here(),
        };
        self.reading_from(triples)
    }

    /// [`GraphLoad::reading`] of `triples`, this graph of the store read another way.
    fn reading_from<'a>(
        &'a self,
        triples: Box<dyn Iterator<Item = Result<Triple>> + 'a>,
    ) -> Reading<'a> {
        Reading {
            load: self,
            triples,
            tally: canon::Tally::default(),
            read: 0,
            short: false,
        }
    }

    /// The graph did not hold the number of triples it was counted with: `read` were read
    /// (more than the count: at least that many).
    fn changed(&self, read: u64) -> Error {
        let counted = self.len();
        let held = match read > counted {
            true => format!("more than {counted}"),
            false => read.to_string(),
        };
        Error::Usage(format!(
            "the graph for {} changed while it was read: it was counted with {counted} triples and held {held}; push again when nothing else writes to the store",
            self.target,
        ))
    }

    /// The triples; a large graph of the store is read by a thread per core.
    pub fn read(&self) -> Box<dyn Iterator<Item = Result<Triple>> + '_> {
        match &self.triples {
            Triples::Held(triples) => Box::new(triples.iter().cloned().map(Ok)),
            Triples::Stored(graph) => graph.triples(),
        }
    }

    /// Whether the graph sent holds `triple`.
    fn holds(&self, triple: &Triple) -> Result<bool> {
        match &self.triples {
            Triples::Held(triples) => Ok(triples
                .binary_search_by(|t| triple_order(t.as_ref(), triple.as_ref()))
                .is_ok()),
            Triples::Stored(graph) => graph.holds(triple),
        }
    }

    /// What a store that rewrites literals in canonical form keeps of this graph, read
    /// once more.
    pub fn kept(&self) -> Result<canon::Kept> {
        let mut tally = canon::Tally::default();
        match &self.triples {
            Triples::Held(triples) => triples.iter().for_each(|triple| tally.add(triple)),
            Triples::Stored(_) => {
                for triple in self.read() {
                    tally.add(&triple?);
                }
            }
        }
        tally.finish(|t| self.holds(t))
    }

    /// The triples a store should hold after loading this graph: what is sent, or, on a
    /// store that rewrites literals in canonical form (`canonical`), the distinct
    /// canonical triples (`"1.5"` and `"1.50"` become one triple there).
    pub fn expected(&self, canonical: bool) -> Result<u64> {
        match canonical {
            true => Ok(self.kept()?.canonical),
            false => Ok(self.len()),
        }
    }

    fn has_blank_nodes(&self) -> Result<bool> {
        match &self.triples {
            Triples::Held(triples) => Ok(triples
                .iter()
                .any(|t| t.subject.is_blank_node() || matches!(t.object, Term::BlankNode(_)))),
            Triples::Stored(graph) => graph.has_blank_nodes(),
        }
    }
}

/// A graph read as it is sent ([`GraphLoad::reading`]): exactly the triples it was counted
/// with, or an error that says it changed.
pub struct Reading<'a> {
    load: &'a GraphLoad,
    triples: Box<dyn Iterator<Item = Result<Triple>> + 'a>,
    tally: canon::Tally,
    read: u64,
    /// The graph ended before its count, and the error said so.
    short: bool,
}

impl Iterator for Reading<'_> {
    type Item = Result<Triple>;

    fn next(&mut self) -> Option<Result<Triple>> {
        if self.short || self.read == self.load.len() {
            return None;
        }
        let triple = match self.triples.next() {
            Some(Ok(triple)) => triple,
            Some(Err(error)) => return Some(Err(error)),
            None => {
                self.short = true;
                return Some(Err(self.load.changed(self.read)));
            }
        };
        self.read += 1;
        if self.load.is_stored() {
            self.tally.add(&triple);
        }
        Some(Ok(triple))
    }
}

impl Reading<'_> {
    /// Gives each triple to `write`, in order; then [`Reading::finish`].
    pub fn write_each(
        mut self,
        mut write: impl FnMut(&Triple) -> Result<()>,
    ) -> Result<Option<canon::Kept>> {
        for triple in self.by_ref() {
            write(&triple?)?;
        }
        self.finish()
    }

    /// After the last triple, what a store that rewrites literals keeps of a graph of the
    /// store (`None` for held triples, whose count [`GraphLoad::kept`] makes at once); an
    /// error if the graph holds more triples than it was counted with.
    pub fn finish(mut self) -> Result<Option<canon::Kept>> {
        if self.triples.next().is_some() {
            return Err(self.load.changed(self.read + 1));
        }
        match self.load.is_stored() {
            true => self.tally.finish(|t| self.load.holds(t)).map(Some),
            false => Ok(None),
        }
    }
}

impl Placement {
    /// Where the triples of the graph `source` land.
    fn target(&self, source: &NamedNode) -> Result<NamedNode> {
        Ok(match self {
            Self::AsBuilt => source.clone(),
            Self::Single(target) => target.clone(),
            Self::Prefix(prefix) => {
                let local = source
                    .as_str()
                    .strip_prefix(GRAPH)
                    .unwrap_or(source.as_str());
                NamedNode::new(format!("{prefix}{local}")).map_err(|source| Error::GraphPrefix {
                    prefix: prefix.clone(),
                    source,
                })?
            }
        })
    }
}

fn outside_named_graphs() -> Error {
    Error::Usage("the graph has triples outside a named graph; stores get named graphs only".into())
}

/// Consecutive quads of one graph, as a file or a store gives them, held as triples: what
/// [`graph_loads`] groups, looking each run's graph up once rather than each quad's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphRun {
    pub graph: GraphName,
    pub triples: Vec<Triple>,
}

impl GraphRun {
    /// Adds `quad` to the last of `runs` when it is of the same graph, else starts a run.
    pub fn push(runs: &mut Vec<GraphRun>, quad: Quad) {
        let triple = Triple::new(quad.subject, quad.predicate, quad.object);
        match runs.last_mut() {
            Some(run) if run.graph == quad.graph_name => run.triples.push(triple),
            _ => runs.push(GraphRun {
                graph: quad.graph_name,
                triples: vec![triple],
            }),
        }
    }

    /// `quads` in runs.
    pub fn of(quads: impl IntoIterator<Item = Quad>) -> Vec<GraphRun> {
        let mut runs = Vec::new();
        quads
            .into_iter()
            .for_each(|quad| Self::push(&mut runs, quad));
        runs
    }
}

/// Groups runs of quads into the graphs to load, sorted by target IRI, each without
/// duplicates and sorted, so that the same data always makes the same requests. The graphs
/// are sorted on every core.
pub fn graph_loads(
    runs: impl IntoIterator<Item = GraphRun>,
    placement: &Placement,
) -> Result<Vec<GraphLoad>> {
    let mut groups: Vec<(NamedNode, Vec<Triple>)> = Vec::new();
    let mut group_of_target: FxHashMap<NamedNode, usize> = FxHashMap::default();
    let mut group_of_source: FxHashMap<NamedNode, usize> = FxHashMap::default();
    let description_graph = iri::dataset_graph();
    for run in runs {
        let GraphName::NamedNode(source) = &run.graph else {
            return Err(outside_named_graphs());
        };
        let group = match group_of_source.get(source) {
            Some(&group) => group,
            None => {
                let target = placement.target(source)?;
                let group = *group_of_target.entry(target.clone()).or_insert_with(|| {
                    groups.push((target, Vec::new()));
                    groups.len() - 1
                });
                group_of_source.insert(source.clone(), group);
                group
            }
        };
        let mut triples = run.triples;
        if *source == description_graph
            && let Placement::Prefix(prefix) = placement
        {
            triples = (triples.into_iter())
                .map(|triple| renamed_graphs(triple, prefix))
                .collect();
        }
        let held = &mut groups[group].1;
        match held.is_empty() {
            true => *held = triples,
            false => held.append(&mut triples),
        }
    }
    groups.sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    let mut loads = Vec::with_capacity(groups.len());
    parallel::in_order(
        groups,
        |(target, triples)| GraphLoad {
            target,
            triples: Triples::Held(sorted_distinct(triples)),
        },
        |load| loads.push(load),
    );
    Ok(loads)
}

/// `triples` in [`triple_order`], each once.
fn sorted_distinct(mut triples: Vec<Triple>) -> Vec<Triple> {
    triples.sort_unstable_by(|a, b| triple_order(a.as_ref(), b.as_ref()));
    triples.dedup();
    triples
}

/// The order of held triples: by subject, predicate and object, each compared by kind (IRI,
/// blank node, literal, quoted triple) and then by its parts. Two triples compare equal
/// exactly when they are the same triple.
fn triple_order(a: TripleRef<'_>, b: TripleRef<'_>) -> cmp::Ordering {
    fn term(a: TermRef<'_>, b: TermRef<'_>) -> cmp::Ordering {
        fn rank(term: TermRef<'_>) -> u8 {
            match term {
                TermRef::NamedNode(_) => 0,
                TermRef::BlankNode(_) => 1,
                TermRef::Literal(_) => 2,
                TermRef::Triple(_) => 3,
            }
        }
        fn direction(literal: LiteralRef<'_>) -> u8 {
            match literal.direction() {
                None => 0,
                Some(BaseDirection::Ltr) => 1,
                Some(BaseDirection::Rtl) => 2,
            }
        }
        match (a, b) {
            (TermRef::NamedNode(a), TermRef::NamedNode(b)) => a.as_str().cmp(b.as_str()),
            (TermRef::BlankNode(a), TermRef::BlankNode(b)) => a.as_str().cmp(b.as_str()),
            (TermRef::Literal(a), TermRef::Literal(b)) => (a.value().cmp(b.value()))
                .then_with(|| a.datatype().as_str().cmp(b.datatype().as_str()))
                .then_with(|| a.language().cmp(&b.language()))
                .then_with(|| direction(a).cmp(&direction(b))),
            (TermRef::Triple(a), TermRef::Triple(b)) => triple_order(a.as_ref(), b.as_ref()),
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }
    (term(a.subject.into(), b.subject.into()))
        .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
        .then_with(|| term(a.object, b.object))
}

/// The graphs of a store to load, sorted by target IRI: a graph that lands alone in its
/// target is read from the store while it is sent; the others (and, under a prefix, the
/// description, whose graph IRIs the prefix renames) are read now, a whole graph at a time on a thread per core,
/// and grouped as [`graph_loads`] does. Keep `graph` open while the loads are used.
pub fn store_loads(graph: &KnowledgeGraph, placement: &Placement) -> Result<Vec<GraphLoad>> {
    if !graph.is_default_graph_empty()? {
        return Err(outside_named_graphs());
    }
    let description_graph = iri::dataset_graph();
    let mut by_target: BTreeMap<String, (NamedNode, Vec<StoreGraph>)> = BTreeMap::new();
    for source in graph.sized_graphs()? {
        let target = placement.target(source.name())?;
        by_target
            .entry(target.as_str().to_owned())
            .or_insert_with(|| (target, Vec::new()))
            .1
            .push(source);
    }
    let mut loads = Vec::new();
    let mut to_hold: Vec<StoreGraph> = Vec::new();
    let renames = matches!(placement, Placement::Prefix(_));
    for (target, sources) in by_target.into_values() {
        match &sources[..] {
            // Under a prefix the description is held: its graph IRIs are renamed.
            [source] if !(renames && *source.name() == description_graph) => {
                loads.push(GraphLoad {
                    target,
                    triples: Triples::Stored(source.clone()),
                });
            }
            _ => to_hold.extend(sources),
        }
    }
    // Turning the store's ids back into terms is most of the read: a thread per core,
    // each reading whole graphs, gathered in the order of the graphs.
    let mut held: Vec<GraphRun> = Vec::with_capacity(to_hold.len());
    parallel::try_in_order(
        to_hold,
        |source| -> Result<GraphRun> {
            let triples = source.triples().collect::<Result<Vec<_>>>()?;
            Ok(GraphRun {
                graph: source.name().clone().into(),
                triples,
            })
        },
        |run| held.push(run),
    )?;
    loads.extend(graph_loads(held, placement)?);
    loads.sort_by(|a, b| a.target.as_str().cmp(b.target.as_str()));
    Ok(loads)
}

/// A triple of the dataset description with the graph IRIs it names (`void:subset`) moved
/// under `prefix`, as the graphs themselves are, so that it names where the data landed.
fn renamed_graphs(triple: Triple, prefix: &str) -> Triple {
    let rename = |node: &NamedNode| {
        node.as_str()
            .strip_prefix(GRAPH)
            .and_then(|local| NamedNode::new(format!("{prefix}{local}")).ok())
    };
    let subject = match &triple.subject {
        NamedOrBlankNode::NamedNode(node) => {
            rename(node).map_or(triple.subject.clone(), Into::into)
        }
        other => other.clone(),
    };
    let object = match &triple.object {
        Term::NamedNode(node) => rename(node).map_or(triple.object.clone(), Into::into),
        other => other.clone(),
    };
    Triple::new(subject, triple.predicate, object)
}

/// The namespace of the graphs a push writes: what `--prune` may remove. `None` for a
/// single target graph.
pub fn namespace(placement: &Placement) -> Option<&str> {
    match placement {
        Placement::AsBuilt => Some(GRAPH),
        Placement::Prefix(prefix) => Some(prefix),
        Placement::Single(_) => None,
    }
}

/// How a push is done.
#[derive(Debug, Clone)]
pub struct Options {
    pub protocol: Protocol,
    pub mode: Mode,
    pub format: BodyFormat,
    /// Triples per `INSERT DATA`; the target's limit wins when lower.
    pub batch_triples: usize,
    /// Load straight into the target graphs, without staging graphs and the swap: fastest,
    /// but a push that fails part-way leaves a graph partly loaded.
    pub non_atomic: bool,
}

impl Options {
    /// The batch size used with these endpoints.
    pub fn batch(&self, endpoints: &Endpoints) -> usize {
        let batch = self.batch_triples.max(1);
        endpoints.max_batch.map_or(batch, |max| batch.min(max))
    }
}

/// What the store holds for one graph after a push.
#[derive(Debug, Clone)]
pub struct Verified {
    pub target: NamedNode,
    pub sent: u64,
    /// What the store should hold of what was sent: fewer than `sent` where the store
    /// canonicalises literals and two sent triples are one there.
    pub expected: u64,
    pub before: u64,
    pub after: u64,
}

impl Verified {
    /// Whether the count on the server is what the push should leave: exactly what was
    /// sent for a replace; for an append, at least what was sent and at most the union.
    pub fn is_ok(&self, mode: Mode) -> bool {
        match mode {
            Mode::Replace => self.after == self.expected,
            Mode::Append => {
                self.after >= self.expected.max(self.before)
                    && self.after <= self.before + self.expected
            }
        }
    }
}

/// A graph of the store found by [`Publisher::graphs_under`], with its size.
#[derive(Debug, Clone)]
pub struct StoredGraph {
    pub graph: NamedNode,
    pub triples: u64,
}

/// How the graphs to push differ from what the store holds now.
#[derive(Debug, Clone)]
pub struct GraphDiff {
    pub target: NamedNode,
    pub sent: u64,
    /// Triples in the store's graph now (`None`: the store holds none in it).
    pub current: Option<u64>,
    pub added: u64,
    pub removed: u64,
}

/// A store and how to talk to it.
pub struct Publisher {
    pub client: Client,
    pub endpoints: Endpoints,
    /// This push's id, in the names of its staging graphs.
    run: String,
    /// Told of the triples sent.
    progress: Arc<dyn Progress>,
}

impl Publisher {
    pub fn new(client: Client, endpoints: Endpoints) -> Self {
        Self {
            client,
            endpoints,
            run: iri::push_run(),
            progress: Arc::new(Silent),
        }
    }

    /// Tells `progress` of the triples a push sends.
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// The staging graph of this push for `target`.
    pub fn staging(&self, target: &NamedNode) -> NamedNode {
        iri::staging_graph(&self.run, target)
    }

    /// What the store should hold of a graph once loaded, of what `kept` counted.
    fn expected(&self, kept: &canon::Kept) -> u64 {
        match self.endpoints.canonical_literals {
            true => kept.canonical,
            false => kept.sent,
        }
    }

    /// Claims the swap for this push: writes a claim, then reads the claims, and holds the
    /// swap only when its own is the only live one (two pushes claiming at once both see
    /// two claims and both step back, for a random while). A claim older than
    /// [`STALE_CLAIM`] is a killed push's and is ignored. Waits at most that long.
    fn claim_swap(&self) -> Result<()> {
        let (client, endpoints) = (&self.client, &self.endpoints);
        let claims = iri::swap_claims();
        let me = iri::push(&self.run);
        let since = iri::term("since");
        let started = std::time::Instant::now();
        let mut attempt: u64 = 0;
        loop {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            let claim = format!("GRAPH {claims} {{ {me} {since} {now} }}");
            remote::update(
                client,
                endpoints,
                &format!("INSERT DATA {{ {claim} }}"),
                true,
            )?;
            let others: Vec<(NamedNode, u64)> = remote::claims(client, endpoints, &claims, &since)?
                .into_iter()
                .filter(|(push, at)| *push != me && at + STALE_CLAIM.as_secs() > now)
                .collect();
            if others.is_empty() {
                return Ok(());
            }
            remote::update(
                client,
                endpoints,
                &format!("DELETE DATA {{ {claim} }}"),
                true,
            )?;
            if interrupted() {
                return Err(Error::Usage("the push was interrupted".into()));
            }
            if started.elapsed() > STALE_CLAIM {
                return Err(Error::SwapClaimed {
                    push: others[0].0.to_string(),
                    seconds: STALE_CLAIM.as_secs(),
                });
            }
            // A random back-off, so that two pushes that keep claiming at once part.
            attempt += 1;
            let jitter = u64::from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .subsec_nanos(),
            ) % 500;
            std::thread::sleep(std::time::Duration::from_millis(
                100 * attempt.min(10) + jitter,
            ));
        }
    }

    /// Gives the swap back, best effort: a claim left behind goes stale.
    fn release_swap(&self) {
        let claims = iri::swap_claims();
        let me = iri::push(&self.run);
        let since = iri::term("since");
        let release = format!("DELETE WHERE {{ GRAPH {claims} {{ {me} {since} ?at }} }}");
        let _ = remote::update(&self.client, &self.endpoints, &release, true);
    }

    fn drop_silent(&self, graph: &NamedNode) -> Result<()> {
        let drop = format!("DROP SILENT GRAPH {graph}");
        remote::update(&self.client, &self.endpoints, &drop, true)
    }

    /// Drops graphs, best effort; says what was done, for error messages.
    fn drop_graphs(&self, graphs: &[NamedNode]) -> Cleanup {
        let failed: Vec<String> = graphs
            .iter()
            .filter(|g| self.drop_silent(g).is_err())
            .map(ToString::to_string)
            .collect();
        if failed.is_empty() {
            Cleanup::Dropped
        } else {
            Cleanup::Left(failed)
        }
    }

    /// The store's graphs whose IRI starts with `prefix`, with their sizes.
    pub fn graphs_under(&self, prefix: &str) -> Result<Vec<StoredGraph>> {
        remote::graphs_under(&self.client, &self.endpoints, prefix)
    }

    /// The graphs under `namespace` that the push does not write: what `--prune` drops.
    /// Never a staging graph.
    pub fn stale_graphs(&self, loads: &[GraphLoad], namespace: &str) -> Result<Vec<StoredGraph>> {
        let targets: HashSet<&str> = loads.iter().map(|l| l.target.as_str()).collect();
        Ok(self
            .graphs_under(namespace)?
            .into_iter()
            .filter(|g| {
                !targets.contains(g.graph.as_str()) && !g.graph.as_str().starts_with(iri::STAGING)
            })
            .collect())
    }

    /// The staging graphs in the store: left by pushes that were cut off, or belonging to
    /// a push running now.
    pub fn leftover_staging(&self) -> Result<Vec<StoredGraph>> {
        self.graphs_under(iri::STAGING)
    }

    /// Drops graphs, one request each, stopping at the first failure.
    pub fn drop_all(&self, graphs: &[StoredGraph]) -> Result<()> {
        for graph in graphs {
            self.drop_silent(&graph.graph)?;
        }
        Ok(())
    }

    /// Compares the graphs to push with what the store holds now, literals canonicalised:
    /// the targets counted, many a request, then on each core a large graph, or up to
    /// [`GRAPHS_A_DRY_RUN`] small graphs of the store read together ([`read_each_graph`]),
    /// each fetched while another is read; a target the store holds no triple of is not
    /// fetched.
    pub fn diff(&self, loads: &[GraphLoad], mode: Mode) -> Result<Vec<GraphDiff>> {
        let targets: Vec<NamedNode> = loads.iter().map(|load| load.target.clone()).collect();
        let mut held = Vec::with_capacity(loads.len());
        for chunk in targets.chunks(self.endpoints.graph_counts.per_query()) {
            held.extend(remote::count(&self.client, &self.endpoints, chunk)?);
        }
        // Runs of small graphs of the store, and every other graph alone.
        let mut units: Vec<(bool, Vec<(&GraphLoad, u64)>)> = Vec::new();
        for (load, held) in loads.iter().zip(held) {
            let small = load.is_stored() && !load.in_parts();
            match units.last_mut() {
                Some((true, unit)) if small && unit.len() < GRAPHS_A_DRY_RUN => {
                    unit.push((load, held));
                }
                _ => units.push((small, vec![(load, held)])),
            }
        }
        let mut diffs = Vec::with_capacity(loads.len());
        let diff = |(_, unit): (bool, Vec<(&GraphLoad, u64)>)| self.diff_unit(&unit, mode);
        parallel::try_in_order(units, diff, |d| diffs.extend(d))?;
        Ok(diffs)
    }

    /// [`Publisher::diff`] of one graph, or of small graphs of the store read together.
    fn diff_unit(&self, unit: &[(&GraphLoad, u64)], mode: Mode) -> Result<Vec<GraphDiff>> {
        let mut sent = Vec::with_capacity(unit.len());
        if let [(load, _)] = unit {
            let mut triples = BTreeSet::new();
            for triple in load.read() {
                triples.insert(canon::canonical_triple(&triple?).to_string());
            }
            sent.push(triples);
        } else {
            let graphs: Vec<(&NamedNode, &GraphLoad)> =
                unit.iter().map(|(load, _)| (&load.target, *load)).collect();
            read_each_graph(&graphs, |_, reading| {
                let mut triples = BTreeSet::new();
                let kept = reading.write_each(|triple| {
                    triples.insert(canon::canonical_triple(triple).to_string());
                    Ok(())
                })?;
                sent.push(triples);
                Ok(kept)
            })?;
        }
        let mut diffs = Vec::with_capacity(unit.len());
        for ((load, held), sent) in unit.iter().zip(sent) {
            let current = match held {
                0 => None,
                _ => remote::fetch(&self.client, &self.endpoints, &load.target)?,
            };
            let held = canon::canonical_set(current.iter().flatten());
            let added = sent.difference(&held).count() as u64;
            let removed = match mode {
                Mode::Replace => held.difference(&sent).count() as u64,
                Mode::Append => 0,
            };
            diffs.push(GraphDiff {
                target: load.target.clone(),
                sent: load.len(),
                current: current.map(|c| c.len() as u64),
                added,
                removed,
            });
        }
        Ok(diffs)
    }

    /// Reads one graph of the store; `None` when it has no such graph.
    pub fn pull(&self, graph: &NamedNode) -> Result<Option<Vec<Triple>>> {
        remote::fetch(&self.client, &self.endpoints, graph)
    }
}

impl Mode {
    fn done(self) -> &'static str {
        match self {
            Self::Replace => "replaced",
            Self::Append => "appended to",
        }
    }
}

/// The most small graphs of the store that a dry run reads together, on each core, to
/// count their bytes ([`plan`]) and to compare them with the store's ([`Publisher::diff`]).
const GRAPHS_A_DRY_RUN: usize = 256;

/// How long a push may hold the swap before its claim is taken for a killed push's.
pub const STALE_CLAIM: std::time::Duration = std::time::Duration::from_secs(600);

/// The operations that swap a staging graph in.
fn swap(mode: Mode, staging: &NamedNode, target: &NamedNode) -> Vec<String> {
    match mode {
        Mode::Replace => vec![format!("MOVE {staging} TO {target}")],
        Mode::Append => vec![
            format!("ADD {staging} TO {target}"),
            format!("DROP SILENT GRAPH {staging}"),
        ],
    }
}

/// Why a staging graph does not hold what was sent (`kept` counted), and, when two sent
/// triples differ only in how a literal is written, which ones.
fn mismatch(kept: &canon::Kept, graph: &NamedNode, held: u64) -> String {
    let sent = kept.sent;
    let mut message = format!("{graph} holds {held} triples after {sent} were sent");
    let canonical = kept.canonical;
    if canonical == sent {
        return message;
    }
    let examples = kept.collisions.join("; ");
    if held == canonical {
        message.push_str(&format!(
            ": the store rewrote literals in canonical form, so triples that differ only in how a literal is written became one ({examples}); write each value one way in the data"
        ));
    } else {
        message.push_str(&format!(
            "; {} of the triples sent differ from others only in how a literal is written ({examples}), which a store that rewrites literals keeps once",
            sent - canonical
        ));
    }
    message
}

/// The error of a push stopped by Ctrl-C or SIGTERM.
fn interrupted_error(state: String, cleanup: Option<Cleanup>) -> Error {
    Error::Push {
        failure: "the push was interrupted".into(),
        cause: None,
        state,
        straight: false,
        cleanup,
    }
}

fn push_error(failure: &str, cause: Error, state: String, cleanup: Option<Cleanup>) -> Error {
    Error::Push {
        failure: failure.to_owned(),
        cause: Some(Box::new(cause)),
        state,
        straight: false,
        cleanup,
    }
}

/// A push's error, for graphs loaded straight into their targets.
fn straight(error: Error) -> Error {
    match error {
        Error::Push {
            failure,
            cause,
            state,
            cleanup,
            ..
        } => Error::Push {
            failure,
            cause,
            state,
            straight: true,
            cleanup,
        },
        other => other,
    }
}

/// Serialises triples for a Graph Store Protocol body.
pub fn serialize(triples: &[Triple], format: BodyFormat) -> Result<Bytes> {
    let mut serializer = BodyWriter::new(format, Vec::new());
    for triple in triples {
        serializer.write(triple)?;
    }
    Ok(Bytes::from(serializer.finish()?))
}

/// Writes triples as one Graph Store Protocol body into `W`.
pub struct BodyWriter<W: std::io::Write> {
    serializer: oxigraph::io::WriterQuadSerializer<W>,
}

impl<W: std::io::Write> BodyWriter<W> {
    pub fn new(format: BodyFormat, writer: W) -> Self {
        Self {
            serializer: RdfSerializer::from_format(format.rdf_format()).for_writer(writer),
        }
    }

    pub fn write(&mut self, triple: &Triple) -> Result<()> {
        self.serializer.serialize_triple(triple).map_err(body_error)
    }

    pub fn finish(self) -> Result<W> {
        self.serializer.finish().map_err(body_error)
    }
}

fn body_error(source: std::io::Error) -> Error {
    Error::Io {
        path: "<request body>".into(),
        source,
    }
}

/// Serialises the triples of several graphs, each in its graph, for one Graph Store body.
pub fn serialize_dataset(
    graphs: &[(&NamedNode, &GraphLoad)],
    format: BodyFormat,
) -> Result<(Bytes, canon::KeptOfEach)> {
    let (body, kept) = write_dataset(graphs, format, Vec::new())?;
    Ok((Bytes::from(body), kept))
}

/// Writes the body [`serialize_dataset`] makes to `out`, and gives `out` back with what a
/// store that rewrites literals keeps of each graph read from the store
/// ([`GraphLoad::write_each`]).
pub fn write_dataset<W: std::io::Write>(
    graphs: &[(&NamedNode, &GraphLoad)],
    format: BodyFormat,
    out: W,
) -> Result<(W, canon::KeptOfEach)> {
    let mut serializer = RdfSerializer::from_format(format.dataset_format()).for_writer(out);
    let kept = read_each_graph(graphs, |graph, reading| {
        reading.write_each(|triple| {
            let quad = oxigraph::model::QuadRef::new(
                &triple.subject,
                &triple.predicate,
                &triple.object,
                graph,
            );
            serializer.serialize_quad(quad).map_err(body_error)
        })
    })?;
    Ok((serializer.finish().map_err(body_error)?, kept))
}

/// Gives `each` every graph of `graphs` in turn, its target and the reading of its triples
/// ([`GraphLoad::reading`]), and gathers what it gives back. The graphs of an on-disk store
/// are read together, by one query ([`Together`]).
pub fn read_each_graph(
    graphs: &[(&NamedNode, &GraphLoad)],
    mut each: impl FnMut(&NamedNode, Reading<'_>) -> Result<Option<canon::Kept>>,
) -> Result<canon::KeptOfEach> {
    let stored: Vec<(usize, &StoreGraph)> = (graphs.iter().enumerate())
        .filter_map(|(i, (_, load))| match &load.triples {
            Triples::Stored(graph) => Some((i, graph)),
            Triples::Held(_) => None,
        })
        .collect();
    let mut together = Together::read(&stored)?;
    let mut kept = Vec::with_capacity(graphs.len());
    for (i, (graph, load)) in graphs.iter().enumerate() {
        let reading = match &mut together {
            Some(together) if load.is_stored() => load.reading_from(Box::new(together.graph(i))),
            _ => load.reading(),
        };
        kept.push(each(graph, reading)?);
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;
    use oxigraph::model::vocab::xsd;

    fn decimal_load(values: &[&str]) -> GraphLoad {
        let s = NamedNode::new_unchecked("http://ex/s");
        let quads = values.iter().map(|v| {
            Quad::new(
                s.clone(),
                s.clone(),
                Literal::new_typed_literal(*v, xsd::DECIMAL),
                NamedNode::new_unchecked("http://ex/g"),
            )
        });
        graph_loads(GraphRun::of(quads), &Placement::AsBuilt)
            .unwrap()
            .remove(0)
    }

    /// A graph of the store read as it is sent is exactly what it was counted with:
    /// fewer or more triples is an error that says so, not a short or long body.
    #[test]
    fn a_graph_that_changes_while_it_is_read_is_an_error() {
        let node = |s: &str| NamedNode::new_unchecked(format!("http://ex/{s}"));
        let quad = |s: &str| Quad::new(node(s), node("p"), node("o"), node("g"));
        let store = KnowledgeGraph::from_quads(vec![quad("a"), quad("b")]).unwrap();
        let loads = store_loads(&store, &Placement::AsBuilt).unwrap();
        let load = loads.iter().find(|l| l.target == node("g")).unwrap();
        assert_eq!((load.target.as_str(), load.len()), ("http://ex/g", 2));
        let mut sent = 0;
        let count = |sent: &mut u64| {
            *sent += 1;
            Ok(())
        };
        let kept = load.write_each(|_| count(&mut sent)).unwrap().unwrap();
        assert_eq!((sent, kept.sent), (2, 2));
        store.store().insert(&quad("c")).unwrap();
        let longer = load.write_each(|_| Ok(())).unwrap_err().to_string();
        assert!(
            longer.contains("counted with 2 triples and held more than 2; push again"),
            "{longer}"
        );
        store.store().remove(&quad("a")).unwrap();
        store.store().remove(&quad("b")).unwrap();
        let mut sent = 0;
        let shorter = load.write_each(|_| count(&mut sent)).unwrap_err();
        let shorter = shorter.to_string();
        assert!(
            shorter.contains("counted with 2 triples and held 1; push again"),
            "{shorter}"
        );
        assert_eq!(sent, 1);
    }

    #[test]
    fn a_store_that_canonicalises_literals_is_told_apart_from_a_lost_triple() {
        let load = decimal_load(&["1.5", "1.50", "2"]);
        assert_eq!(
            (load.expected(false).unwrap(), load.expected(true).unwrap()),
            (3, 2)
        );
        let graph = load.target.clone();
        let kept = load.kept().unwrap();
        let merged = mismatch(&kept, &graph, 2);
        assert!(
            merged.contains(
                "holds 2 triples after 3 were sent: the store rewrote literals in canonical form"
            ),
            "{merged}"
        );
        assert!(
            merged.contains(r#""1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> and "1.50"^^"#),
            "{merged}"
        );
        let lost = mismatch(&kept, &graph, 1);
        assert!(lost.contains("1 of the triples sent differ"), "{lost}");
        assert_eq!(
            mismatch(&decimal_load(&["1", "2"]).kept().unwrap(), &graph, 1),
            "<http://ex/g> holds 1 triples after 2 were sent"
        );
        let verified = Verified {
            target: graph,
            sent: 3,
            expected: 2,
            before: 0,
            after: 2,
        };
        assert!(verified.is_ok(Mode::Replace) && verified.is_ok(Mode::Append));
    }

    #[test]
    fn held_triples_are_sorted_and_distinct_in_any_order_they_come() {
        let s = NamedNode::new_unchecked("http://ex/s");
        let b = oxigraph::model::BlankNode::new_unchecked("b");
        let objects: [Term; 5] = [
            Literal::new_simple_literal("1").into(),
            Literal::new_typed_literal("1", xsd::INTEGER).into(),
            Literal::new_language_tagged_literal_unchecked("1", "en").into(),
            s.clone().into(),
            b.clone().into(),
        ];
        let mut triples: Vec<Triple> = (objects.iter())
            .map(|o| Triple::new(s.clone(), s.clone(), o.clone()))
            .collect();
        triples.push(Triple::new(b, s.clone(), s.clone()));
        let twice: Vec<Triple> = triples
            .iter()
            .chain(triples.iter().rev())
            .cloned()
            .collect();
        let sorted = sorted_distinct(twice);
        assert_eq!(sorted.len(), triples.len());
        assert_eq!(sorted, sorted_distinct(triples.into_iter().rev().collect()));
        assert!(
            (sorted.windows(2)).all(|w| triple_order(w[0].as_ref(), w[1].as_ref()).is_lt()),
            "{sorted:?}"
        );
    }

    #[test]
    fn the_description_names_the_graphs_where_they_land() {
        let subset = vocab_node("http://rdfs.org/ns/void#subset");
        let quad = Quad::new(
            iri::dataset(),
            subset.clone(),
            iri::graph("ror"),
            iri::dataset_graph(),
        );
        let other = Quad::new(iri::dataset(), subset, iri::graph("ror"), iri::graph("ror"));
        let prefix = Placement::Prefix("http://ex/kg/".into());
        let loads = graph_loads(GraphRun::of([quad, other]), &prefix).unwrap();
        let targets: Vec<&str> = loads.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["http://ex/kg/dataset", "http://ex/kg/ror"]);
        assert_eq!(loads[0].held()[0].object.to_string(), "<http://ex/kg/ror>");
        // Only the description is rewritten.
        assert_eq!(loads[1].held()[0].object, iri::graph("ror").into());
    }

    fn vocab_node(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(iri)
    }
}
