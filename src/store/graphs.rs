//! The named graphs of a store with their sizes, and one graph read as a stream of its
//! triples: what a push reads to send a large graph while it reads it, without holding it.
//!
//! Sizes are counted on the store's ids (no term is turned back into text), by graph, and
//! in a store of few graphs by predicate as well. A large graph can be read by a thread per
//! core, each taking the triples of its own share of the predicates (counted with the
//! sizes, or when it is first read so), its triples coming in batches taken from each
//! thread in turn: turning the store's ids back into terms (a
//! RocksDB read for every term longer than an inline string) is most of a read, and one
//! thread leaves the other cores idle when nothing else runs. Or it is read on one thread,
//! in the order of the store's index, beside a server that loads what was read. Either
//! order is the same for the same content on the same machine, so that the same store makes
//! the same requests.

use super::{KnowledgeGraph, numbered, select};
use crate::base::error::{Error, Result};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, QuadRef, Term, Triple};
use oxigraph::sparql::{QueryResults, QuerySolutionIter, SparqlEvaluator, Variable};
use oxigraph::store::{StorageError, Store};
use spargebra::algebra::GraphPattern;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

/// One named graph of a store and the number of its triples. It reads the store it came
/// from: keep the [`KnowledgeGraph`] (and its lock) open while it is used.
#[derive(Clone)]
pub struct StoreGraph {
    store: Store,
    name: NamedNode,
    triples: u64,
    /// Whether the store is on disk, where turning an id back into a term is a read of it.
    on_disk: bool,
    /// The graph's predicates with their number of triples, sorted by IRI: counted with
    /// the sizes in a store of few graphs, else at the first read in shares, once for every
    /// copy.
    predicates: Arc<OnceLock<Predicates>>,
}

/// Predicates, each with its number of triples.
type Predicates = Vec<(NamedNode, u64)>;

impl std::fmt::Debug for StoreGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreGraph")
            .field("name", &self.name)
            .field("triples", &self.triples)
            .finish()
    }
}

/// A store of at most this many named graphs is counted by graph and predicate: one pass
/// over its quads gives each graph's size and its predicates, which a large graph's read
/// needs ([`StoreGraph::read_here`], [`StoreGraph::triples`]) and would otherwise count in
/// a pass of its own. Over many small graphs, counting by predicate makes a group of every
/// graph and predicate, several times slower than counting by graph.
const COUNTED_BY_PREDICATE: usize = 16;

impl KnowledgeGraph {
    /// Every graph that holds triples, sorted by IRI, with its size; an error when a
    /// graph is named by a blank node.
    pub fn sized_graphs(&self) -> Result<Vec<StoreGraph>> {
        let few = (self.store.named_graphs())
            .take(COUNTED_BY_PREDICATE + 1)
            .count()
            <= COUNTED_BY_PREDICATE;
        let query = if few {
            "SELECT ?g ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ?p"
        } else {
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        };
        // Sorted by IRI: a `NamedNode` is ordered by its IRI.
        let mut counted: BTreeMap<NamedNode, (u64, Predicates)> = BTreeMap::new();
        for solution in select(&self.store, query)? {
            let solution = solution?;
            let (Some(Term::NamedNode(name)), Some(Term::Literal(n))) =
                (solution.get("g"), solution.get("n"))
            else {
                return Err(Error::Usage(
                    "the store has a graph named by a blank node; stores get graphs named by IRIs"
                        .into(),
                ));
            };
            let n = n.value().parse().unwrap_or(0);
            let (triples, predicates) = counted.entry(name.clone()).or_default();
            *triples += n;
            if let Some(Term::NamedNode(predicate)) = solution.get("p") {
                predicates.push((predicate.clone(), n));
            }
        }
        let graphs = counted
            .into_iter()
            .map(|(name, (triples, mut predicates))| {
                predicates.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
                StoreGraph {
                    store: self.store.clone(),
                    name,
                    triples,
                    on_disk: self.is_on_disk(),
                    predicates: Arc::new(if few {
                        OnceLock::from(predicates)
                    } else {
                        OnceLock::new()
                    }),
                }
            });
        Ok(graphs.collect())
    }
}

impl StoreGraph {
    pub fn name(&self) -> &NamedNode {
        &self.name
    }

    /// The number of triples in the graph.
    pub fn len(&self) -> u64 {
        self.triples
    }

    pub fn is_empty(&self) -> bool {
        self.triples == 0
    }

    /// The graph's triples: a small graph's in the order of the store's index, a large
    /// graph's read in shares by a thread per core (up to [`MOST_SHARES`]).
    pub fn triples(&self) -> Box<dyn Iterator<Item = Result<Triple>> + Send + 'static> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        if self.triples < SHARED_TRIPLES {
            return Box::new(self.in_index_order());
        }
        self.in_shares(cores.min(MOST_SHARES))
    }

    /// The graph's triples in the order of the store's index, on the calling thread.
    pub fn in_index_order(&self) -> impl Iterator<Item = Result<Triple>> + Send + 'static {
        let graph = GraphNameRef::NamedNode(self.name.as_ref());
        (self.store.quads_for_pattern(None, None, None, Some(graph)))
            .map(|quad| quad.map(Triple::from).map_err(Error::from))
    }

    /// The graph's triples in the order of the store's index, read on the calling thread. A
    /// graph of [`SHARED_TRIPLES`] or more of an on-disk store is read through the query
    /// evaluator with its predicates numbered ([`super::numbered`]), so that the store turns
    /// back into terms only the subject and the object of each triple, not the predicate and
    /// the graph's name as well: two queries, which a small graph would pay more for than
    /// they save, as would a store in memory, where turning an id back into a term is a
    /// lookup in a hash table.
    pub fn read_here(&self) -> Box<dyn Iterator<Item = Result<Triple>>> {
        if self.triples < SHARED_TRIPLES || !self.on_disk {
            return Box::new(self.in_index_order());
        }
        match self.numbered() {
            Ok(Some(triples)) => triples,
            Ok(None) => Box::new(self.in_index_order()),
            Err(error) => Box::new(std::iter::once(Err(error))),
        }
    }

    /// The graph's triples, their predicates numbered; `None` for a graph of more than
    /// [`super::numbered::MOST_PREDICATES`] predicates.
    fn numbered(&self) -> Result<Option<Box<dyn Iterator<Item = Result<Triple>>>>> {
        let Some(triples) = numbered::triples_in(Some(self.name.as_ref().into())) else {
            return Ok(None);
        };
        let variables = ["s", "p", "o"].map(Variable::new_unchecked);
        let counted =
            (self.predicates.get()).map(|counted| counted.iter().map(|(p, _)| p.clone()).collect());
        let Some((solutions, predicates)) =
            numbered::read(&self.store, triples, &variables, counted)?
        else {
            return Ok(None);
        };
        Ok(Some(Box::new(solutions.map(move |solution| {
            let solution = solution?;
            let predicate = numbered::place(solution.get(1)).and_then(|j| predicates.get(j));
            numbered::triple(
                solution.get(0).cloned(),
                predicate,
                solution.get(2).cloned(),
            )
        }))))
    }

    /// The graph's triples read by `shares` threads, each the triples of its share of the
    /// predicates (shared out largest first, each to the share with the fewest triples so
    /// far), in batches of [`BATCH`] taken from each thread in turn.
    fn in_shares(&self, shares: usize) -> Box<dyn Iterator<Item = Result<Triple>> + Send> {
        let predicates = match self.predicates() {
            Ok(predicates) => predicates,
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        let shares = shares.min(predicates.len());
        if shares <= 1 {
            return Box::new(self.in_index_order());
        }
        let mut by_size: Vec<&(NamedNode, u64)> = predicates.iter().collect();
        by_size.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
        let mut split: Vec<(u64, Vec<NamedNode>)> = vec![(0, Vec::new()); shares];
        for (predicate, n) in by_size {
            let smallest = (split.iter_mut()).min_by_key(|(sum, _)| *sum);
            let (sum, predicates) = smallest.expect("at least two shares");
            *sum += n;
            predicates.push(predicate.clone());
        }
        let readers = (split.into_iter())
            .map(|(_, predicates)| {
                let (sender, batches) = sync_channel(BATCHES_AHEAD);
                let (store, graph) = (self.store.clone(), self.name.clone());
                let thread =
                    std::thread::spawn(move || read_share(&store, &graph, &predicates, &sender));
                Some(Reader { batches, thread })
            })
            .collect();
        Box::new(InTurn {
            readers,
            turn: 0,
            batch: Vec::new().into_iter(),
        })
    }

    /// The graph's predicates with their number of triples, sorted by IRI; counted on the
    /// store's ids at the first call.
    fn predicates(&self) -> Result<&[(NamedNode, u64)]> {
        if let Some(predicates) = self.predicates.get() {
            return Ok(predicates);
        }
        let query = format!(
            "SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH {} {{ ?s ?p ?o }} }} GROUP BY ?p",
            self.name
        );
        let mut predicates = Vec::new();
        for solution in select(&self.store, &query)? {
            let solution = solution?;
            if let (Some(Term::NamedNode(p)), Some(Term::Literal(n))) =
                (solution.get("p"), solution.get("n"))
            {
                predicates.push((p.clone(), n.value().parse().unwrap_or(0)));
            }
        }
        predicates.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        Ok(self.predicates.get_or_init(|| predicates))
    }

    /// Whether the graph holds `triple`.
    pub fn holds(&self, triple: &Triple) -> Result<bool> {
        let quad = QuadRef::new(
            &triple.subject,
            &triple.predicate,
            &triple.object,
            &self.name,
        );
        Ok(self.store.contains(quad)?)
    }

    /// Whether a subject or an object of the graph is a blank node.
    pub fn has_blank_nodes(&self) -> Result<bool> {
        let query = format!(
            "ASK {{ GRAPH {} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}",
            self.name
        );
        match SparqlEvaluator::new()
            .parse_query(&query)
            .map_err(Error::Sparql)?
            .on_store(&self.store)
            .execute()?
        {
            QueryResults::Boolean(found) => Ok(found),
            _ => Ok(false),
        }
    }
}

/// Graphs of one on-disk store read together by one query, graph after graph, each in the
/// order of the store's index ([`StoreGraph::in_index_order`]): a body of a push carries a
/// thousand graphs of about a hundred triples. Read one at a time from their quads, each
/// triple's four terms are turned back into text, a RocksDB read for each IRI; here a
/// `VALUES` table of the graphs, each with its place, is joined to their quads (the query
/// evaluator reads the graphs in the table's order), and their predicates are numbered
/// ([`super::numbered`]), so that only subjects and objects are turned back into terms.
pub struct Together {
    solutions: Peekable<QuerySolutionIter<'static>>,
    predicates: Vec<NamedNode>,
}

impl Together {
    /// `graphs`, each with its place (ascending), read by one query; `None` where reading
    /// each graph from its quads costs less: fewer than two graphs, a store in memory (where
    /// an id is turned back into a term by a lookup in a hash table), more than
    /// [`numbered::MOST_PREDICATES`] predicates.
    pub fn read(graphs: &[(usize, &StoreGraph)]) -> Result<Option<Self>> {
        let Some((_, first)) = graphs.first() else {
            return Ok(None);
        };
        if graphs.len() < 2 || !first.on_disk {
            return Ok(None);
        }
        let [g, k, s, p, o] = ["g", "k", "s", "p", "o"].map(Variable::new_unchecked);
        let bindings = (graphs.iter())
            .map(|(place, graph)| {
                vec![
                    Some(graph.name.clone().into()),
                    Some(numbered::number(*place)),
                ]
            })
            .collect();
        let quads = GraphPattern::Graph {
            name: g.clone().into(),
            inner: Box::new(numbered::triples()),
        };
        let pattern = GraphPattern::Join {
            left: Box::new(GraphPattern::Values {
                variables: vec![g, k.clone()],
                bindings,
            }),
            right: Box::new(quads),
        };
        let Some((solutions, predicates)) =
            numbered::read(&first.store, pattern, &[k, s, p, o], None)?
        else {
            return Ok(None);
        };
        let solutions = solutions.peekable();
        Ok(Some(Self {
            solutions,
            predicates,
        }))
    }

    /// The triples of the graph at `place`; ask for the graphs in the order of their places.
    pub fn graph(&mut self, place: usize) -> impl Iterator<Item = Result<Triple>> + '_ {
        std::iter::from_fn(move || {
            if let Ok(solution) = self.solutions.peek()?
                && numbered::place(solution.get(0)) != Some(place)
            {
                return None;
            }
            Some(
                self.solutions
                    .next()?
                    .map_err(Error::from)
                    .and_then(|solution| {
                        let predicate =
                            numbered::place(solution.get(2)).and_then(|j| self.predicates.get(j));
                        let [subject, object] = [1, 3].map(|c| solution.get(c).cloned());
                        numbered::triple(subject, predicate, object)
                    }),
            )
        })
    }
}

/// A graph of fewer triples is read on the calling thread: its read takes milliseconds.
const SHARED_TRIPLES: u64 = 50_000;

/// The most threads that read one graph. A push's server needs cores too.
const MOST_SHARES: usize = 4;

/// Triples a reading thread hands over at a time.
const BATCH: usize = 1024;

/// Batches a reading thread may have handed over and not yet taken, so that one share's
/// slower stretch does not stop the other threads.
const BATCHES_AHEAD: usize = 16;

/// Reads the triples of `graph` with `predicates` into `batches`, until the end, an error
/// (handed over last) or the reader dropping its end.
fn read_share(
    store: &Store,
    graph: &NamedNode,
    predicates: &[NamedNode],
    batches: &SyncSender<Vec<Result<Triple>>>,
) {
    let graph = GraphNameRef::NamedNode(graph.as_ref());
    let mut batch = Vec::with_capacity(BATCH);
    for predicate in predicates {
        let predicate = NamedNodeRef::from(predicate);
        for quad in store.quads_for_pattern(None, Some(predicate), None, Some(graph)) {
            let failed = quad.is_err();
            batch.push(quad.map(Triple::from).map_err(Error::from));
            if failed {
                let _ = batches.send(batch);
                return;
            }
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if batches.send(full).is_err() {
                    return;
                }
            }
        }
    }
    if !batch.is_empty() {
        let _ = batches.send(batch);
    }
}

/// One thread reading a share of a graph.
struct Reader {
    batches: Receiver<Vec<Result<Triple>>>,
    thread: JoinHandle<()>,
}

/// The triples of the readers, a batch from each in turn; a reader that has ended leaves
/// the turn. Every batch but a share's last has [`BATCH`] triples, so the order depends on
/// the content alone.
struct InTurn {
    readers: Vec<Option<Reader>>,
    turn: usize,
    batch: std::vec::IntoIter<Result<Triple>>,
}

impl Iterator for InTurn {
    type Item = Result<Triple>;

    fn next(&mut self) -> Option<Result<Triple>> {
        loop {
            if let Some(triple) = self.batch.next() {
                return Some(triple);
            }
            let live = self.readers.iter().filter(|r| r.is_some()).count();
            if live == 0 {
                return None;
            }
            let turn = self.turn % self.readers.len();
            self.turn = turn + 1;
            let Some(reader) = &self.readers[turn] else {
                continue;
            };
            match reader.batches.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                Err(_) => {
                    let reader = self.readers[turn].take().expect("a live reader");
                    if reader.thread.join().is_err() {
                        self.readers.clear();
                        return Some(Err(Error::Store(StorageError::Io(std::io::Error::other(
                            "a thread reading the graph stopped unexpectedly",
                        )))));
                    }
                }
            }
        }
    }
}

impl Drop for InTurn {
    /// Dropping the receiving ends stops the readers at their next batch; they are waited
    /// for, so that none reads the store after its user is done with it.
    fn drop(&mut self) {
        for reader in self.readers.drain(..).flatten() {
            drop(reader.batches);
            let _ = reader.thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, Quad};

    /// A store whose graph `g` holds `triples` triples over `predicates` predicates, and
    /// that graph as [`KnowledgeGraph::sized_graphs`] gives it.
    fn stored(triples: usize, predicates: usize) -> (KnowledgeGraph, StoreGraph) {
        let node = |s: String| NamedNode::new_unchecked(format!("http://example.org/{s}"));
        let graph = node("g".into());
        let quads = (0..triples)
            .map(|i| {
                // Predicates of unequal sizes: the first holds about half the triples.
                let p = if i % 2 == 0 { 0 } else { i % predicates };
                let object = Literal::new_simple_literal(format!("value number {i}"));
                Quad::new(
                    node(format!("s{}", i / 7)),
                    node(format!("p{p}")),
                    object,
                    graph.clone(),
                )
            })
            .collect();
        let store = KnowledgeGraph::from_quads(quads).unwrap();
        let read = (store.sized_graphs().unwrap().into_iter())
            .find(|g| *g.name() == graph)
            .unwrap();
        (store, read)
    }

    fn all(triples: impl Iterator<Item = Result<Triple>>) -> Vec<Triple> {
        triples.collect::<Result<_>>().unwrap()
    }

    /// Read in shares, a graph gives each of its triples once, whatever the number of
    /// shares, and in the same order every time; its size is the sum of its predicates'.
    #[test]
    fn a_graph_read_in_shares_is_read_whole_in_one_order() {
        let (_store, graph) = stored(10_000, 7);
        assert_eq!(graph.len(), 10_000);
        let predicates = graph.predicates().unwrap();
        assert_eq!(predicates.len(), 7);
        assert_eq!(predicates.iter().map(|(_, n)| n).sum::<u64>(), 10_000);
        let mut in_order = all(graph.in_index_order());
        in_order.sort_by_cached_key(ToString::to_string);
        for shares in [2, 3, 7, 20] {
            let first = all(graph.in_shares(shares));
            assert_eq!(first, all(graph.in_shares(shares)), "{shares} shares");
            let mut sorted = first.clone();
            sorted.sort_by_cached_key(ToString::to_string);
            assert_eq!(sorted, in_order, "{shares} shares");
        }
        // One predicate: one share, in the index's order.
        let (_store, graph) = stored(3_000, 1);
        assert_eq!(all(graph.in_shares(4)), all(graph.in_index_order()));
    }

    /// Read on one thread, a large graph of an on-disk store gives the triples of its quads
    /// in the same order, blank nodes and all.
    #[test]
    fn a_large_graph_read_here_is_its_quads_in_the_index_order() {
        let (memory, graph) = stored(60_000, 5);
        let blank = oxigraph::model::BlankNode::new_unchecked("b1");
        let dir = tempfile::tempdir().unwrap();
        let store = KnowledgeGraph::open(dir.path()).unwrap();
        let quads = memory.store().iter().map(Result::unwrap).chain([Quad::new(
            blank.clone(),
            NamedNode::new_unchecked("http://example.org/p1"),
            blank,
            graph.name().clone(),
        )]);
        store.store().extend(quads).unwrap();
        let graph = (store.sized_graphs().unwrap().into_iter())
            .find(|g| g.name() == graph.name())
            .unwrap();
        assert!(graph.on_disk && graph.len() >= SHARED_TRIPLES);
        let read = all(graph.read_here());
        assert_eq!(read.len(), 60_001);
        assert_eq!(read, all(graph.in_index_order()));
    }

    /// A store of few graphs is counted by graph and predicate, one of more by graph alone:
    /// each graph gets the same size either way, and a large graph the same predicates and
    /// the same triples read on one thread.
    #[test]
    fn graphs_are_sized_alike_whether_counted_by_predicate_or_not() {
        let (memory, large) = stored(60_000, 5);
        let dir = tempfile::tempdir().unwrap();
        let store = KnowledgeGraph::open(dir.path()).unwrap();
        store
            .store()
            .extend(memory.store().iter().map(Result::unwrap))
            .unwrap();
        let few = store.sized_graphs().unwrap();
        assert!(few.len() < COUNTED_BY_PREDICATE);
        assert!(few.iter().all(|g| g.predicates.get().is_some()));
        let named = |graphs: &[StoreGraph]| {
            let graph = graphs.iter().find(|g| g.name() == large.name());
            graph.expect("the large graph").clone()
        };
        let by_predicate = named(&few);
        let counted = by_predicate.predicates.get().unwrap().clone();
        assert_eq!((by_predicate.len(), counted.len()), (60_000, 5));
        let node = |s: String| NamedNode::new_unchecked(format!("http://example.org/{s}"));
        let small = (0..COUNTED_BY_PREDICATE).map(|i| {
            let graph = node(format!("small{i}"));
            Quad::new(
                node("s".into()),
                node(format!("p{i}")),
                node("o".into()),
                graph,
            )
        });
        store.store().extend(small).unwrap();
        let many = store.sized_graphs().unwrap();
        assert_eq!(many.len(), few.len() + COUNTED_BY_PREDICATE);
        assert!(many.iter().all(|g| g.predicates.get().is_none()));
        for graph in &few {
            let same = many.iter().find(|g| g.name() == graph.name());
            assert_eq!(
                same.map(StoreGraph::len),
                Some(graph.len()),
                "{}",
                graph.name()
            );
        }
        let small = many.iter().filter(|g| g.name().as_str().contains("/small"));
        assert!(small.map(StoreGraph::len).eq([1; COUNTED_BY_PREDICATE]));
        // Read first: its predicates are asked by the numbered read, not counted.
        let by_graph = named(&many);
        assert_eq!(all(by_graph.read_here()), all(by_predicate.read_here()));
        assert!(by_graph.predicates.get().is_none());
        assert_eq!(by_graph.predicates().unwrap(), counted);
    }

    /// Graphs of an on-disk store read together give each graph's triples in the order of
    /// its quads, blank nodes, literals and all, whichever graphs are asked for; in memory
    /// they are read from their quads.
    #[test]
    fn graphs_read_together_are_each_their_quads_in_the_index_order() {
        let node = |s: &str| NamedNode::new_unchecked(format!("http://example.org/{s}"));
        let blank = oxigraph::model::BlankNode::new_unchecked("b1");
        let mut quads = Vec::new();
        for g in 0..5 {
            let graph = node(&format!("g{g}"));
            for i in 0..40 * (g + 1) {
                let object: Term = match i % 3 {
                    0 => node(&format!("o{i}")).into(),
                    1 => Literal::from(i64::from(i)).into(),
                    _ => {
                        Literal::new_language_tagged_literal_unchecked(format!("v{i}"), "en").into()
                    }
                };
                let subject = node(&format!("s{}", i / 4));
                let predicate = node(&format!("p{}", i % (g + 2)));
                quads.push(Quad::new(subject, predicate, object, graph.clone()));
            }
            quads.push(Quad::new(
                blank.clone(),
                node("p0"),
                blank.clone(),
                graph.clone(),
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let on_disk = KnowledgeGraph::open(dir.path()).unwrap();
        on_disk.store().extend(quads.clone()).unwrap();
        let graphs = on_disk.sized_graphs().unwrap();
        assert_eq!(graphs.len(), 5);
        // Graphs 1, 2 and 4 at places 3, 4 and 7, as among the graphs of a body.
        let asked = [(3, &graphs[1]), (4, &graphs[2]), (7, &graphs[4])];
        let mut together = Together::read(&asked).unwrap().expect("read together");
        for place in 0..9 {
            let read = all(together.graph(place));
            match asked.iter().find(|(p, _)| *p == place) {
                Some((_, graph)) => {
                    assert_eq!(read.len() as u64, graph.len(), "place {place}");
                    assert_eq!(read, all(graph.in_index_order()), "place {place}");
                }
                None => assert!(read.is_empty(), "place {place}"),
            }
        }
        let in_memory = KnowledgeGraph::from_quads(quads).unwrap();
        let graphs = in_memory.sized_graphs().unwrap();
        let asked = [(0, &graphs[0]), (1, &graphs[1])];
        assert!(Together::read(&asked).unwrap().is_none());
    }

    /// A read given up early stops its threads: dropping it returns.
    #[test]
    fn a_read_given_up_stops_its_threads() {
        let (_store, graph) = stored(100_000, 5);
        let mut triples = graph.in_shares(3);
        assert!(triples.next().unwrap().is_ok());
        drop(triples);
        let (_store, graph) = stored(60_000, 5);
        assert_eq!(graph.triples().count(), 60_000);
    }
}
