//! Publishing: loading the knowledge graph into an external triplestore over the standard
//! protocols, safely, and reading a graph back.
//!
//! A push never leaves a half-loaded graph where users read: every graph is first loaded
//! into a staging graph of its own, its triples are counted inside `GRAPH` on the server,
//! and only when every staging graph holds what was sent are they moved over the target
//! graphs (`MOVE`, or `ADD` when appending), all in one update request where the store
//! runs a request as one transaction. When anything fails before that, the staging graphs
//! are dropped and the store's graphs are as they were.
//!
//! Parts: [`target`] (where each store keeps its endpoints, and its quirks), [`auth`]
//! (credentials and redaction), [`http`] (retries, timeouts, error messages), [`remote`]
//! (the protocol requests), [`canon`] (literal canonicalisation for comparisons).

pub mod auth;
pub mod canon;
pub mod http;
pub mod remote;
pub mod target;

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;
use crate::vocab::GRAPH;
use http::Client;
use indicatif::ProgressBar;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, Quad, Term, Triple};
use reqwest::Method;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use target::Endpoints;

/// How triples travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Protocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol: one request per graph, the body streamed
    Gsp,
    /// SPARQL 1.1 Update: INSERT DATA in batches, one operation per request
    Update,
}

/// What happens to a graph the store already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// The graph becomes exactly what is sent
    Replace,
    /// What is sent is added to the graph
    Append,
}

/// The syntax of Graph Store Protocol bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BodyFormat {
    Ntriples,
    Turtle,
}

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
    pub triples: Vec<Triple>,
}

impl GraphLoad {
    fn has_blank_nodes(&self) -> bool {
        self.triples
            .iter()
            .any(|t| t.subject.is_blank_node() || matches!(t.object, Term::BlankNode(_)))
    }
}

/// The graphs of the knowledge graph as they will be loaded, sorted by target IRI.
pub fn plan(graph: &KnowledgeGraph, placement: &Placement) -> Result<Vec<GraphLoad>> {
    plan_quads(graph.sorted_quads()?, placement)
}

/// Groups quads into the graphs to load, each without duplicates and sorted, so that the
/// same data always makes the same requests.
pub fn plan_quads(
    quads: impl IntoIterator<Item = Quad>,
    placement: &Placement,
) -> Result<Vec<GraphLoad>> {
    let mut by_target: BTreeMap<String, (NamedNode, HashSet<Triple>)> = BTreeMap::new();
    let mut targets: HashMap<NamedNode, NamedNode> = HashMap::new();
    for quad in quads {
        let GraphName::NamedNode(source) = &quad.graph_name else {
            return Err(Error::Usage(
                "the graph has triples outside a named graph; stores get named graphs only".into(),
            ));
        };
        let target = match targets.get(source) {
            Some(target) => target.clone(),
            None => {
                let target = match placement {
                    Placement::AsBuilt => source.clone(),
                    Placement::Single(target) => target.clone(),
                    Placement::Prefix(prefix) => {
                        let local = source
                            .as_str()
                            .strip_prefix(GRAPH)
                            .unwrap_or(source.as_str());
                        NamedNode::new(format!("{prefix}{local}")).map_err(|e| {
                            Error::Usage(format!(
                                "--graph-prefix {prefix:?} makes an invalid IRI: {e}"
                            ))
                        })?
                    }
                };
                targets.insert(source.clone(), target.clone());
                target
            }
        };
        by_target
            .entry(target.as_str().to_owned())
            .or_insert_with(|| (target, HashSet::new()))
            .1
            .insert(Triple::from(quad));
    }
    Ok(by_target
        .into_values()
        .map(|(target, triples)| {
            let mut triples: Vec<Triple> = triples.into_iter().collect();
            triples.sort_by_cached_key(ToString::to_string);
            GraphLoad { target, triples }
        })
        .collect())
}

/// The staging graph of a target graph: a fixed name per target, so that a push that
/// was cut off (the store stopped) is cleaned up by the next one.
pub fn staging_graph(target: &NamedNode) -> NamedNode {
    let hash = Sha256::digest(target.as_str().as_bytes());
    let hex: String = hash[..12].iter().map(|b| format!("{b:02x}")).collect();
    NamedNode::new_unchecked(format!("urn:tipkg:staging:{hex}"))
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
    pub before: u64,
    pub after: u64,
}

impl Verified {
    /// Whether the count on the server is what the push should leave: exactly what was
    /// sent for a replace; for an append, at least what was sent and at most the union.
    pub fn is_ok(&self, mode: Mode) -> bool {
        match mode {
            Mode::Replace => self.after == self.sent,
            Mode::Append => {
                self.after >= self.sent.max(self.before) && self.after <= self.before + self.sent
            }
        }
    }
}

/// How the graphs to push differ from what the store holds now.
#[derive(Debug, Clone)]
pub struct GraphDiff {
    pub target: NamedNode,
    pub sent: u64,
    /// Triples in the store's graph now (`None`: no such graph).
    pub current: Option<u64>,
    pub added: u64,
    pub removed: u64,
}

/// A store and how to talk to it.
pub struct Publisher {
    pub client: Client,
    pub endpoints: Endpoints,
}

impl Publisher {
    /// Loads the graphs, safely (see the module documentation), and counts them on the
    /// server afterwards.
    pub fn push(
        &self,
        loads: &[GraphLoad],
        options: &Options,
        progress: &ProgressBar,
    ) -> Result<Vec<Verified>> {
        if options.protocol == Protocol::Update
            && let Some(load) = loads.iter().find(|l| l.has_blank_nodes())
        {
            return Err(Error::Usage(format!(
                "{} has blank nodes, which INSERT DATA cannot carry safely: use --protocol gsp",
                load.target
            )));
        }
        if options.protocol == Protocol::Gsp {
            // Fails now, with how to fix it, when the target has no Graph Store endpoint.
            self.endpoints.graph_url("urn:tipkg:check")?;
        }
        let mut before = Vec::with_capacity(loads.len());
        for load in loads {
            let count =
                remote::count(&self.client, &self.endpoints, &load.target).map_err(|e| {
                    push_error(
                        "cannot count the graphs in the store",
                        e,
                        "nothing was written: the store is unchanged".into(),
                    )
                })?;
            before.push(count);
        }
        progress.set_length(loads.iter().map(|l| l.triples.len() as u64).sum());

        if options.non_atomic {
            for load in loads {
                // A replace empties the graph first; an append only adds.
                let fresh = options.mode == Mode::Replace;
                self.stage(load, &load.target, fresh, false, options, progress)
                    .map_err(|error| {
                        push_error(
                            &format!("loading {} failed", load.target),
                            error,
                            format!(
                                "--non-atomic: {} may hold part of what was sent; push again to finish",
                                load.target
                            ),
                        )
                    })?;
            }
            progress.finish_and_clear();
            return self.verify(loads, before);
        }

        let staging: Vec<NamedNode> = loads.iter().map(|l| staging_graph(&l.target)).collect();
        for (i, load) in loads.iter().enumerate() {
            if let Err(error) = self.stage(load, &staging[i], true, true, options, progress) {
                let cleanup = self.drop_graphs(&staging[..=i]);
                return Err(push_error(
                    &format!("loading {} failed", load.target),
                    error,
                    format!(
                        "no graph was changed: the graphs in the store are as they were before the push; {cleanup}"
                    ),
                ));
            }
        }
        progress.finish_and_clear();

        self.commit(loads, &staging, options.mode)?;
        self.verify(loads, before)
    }

    /// Counts the graphs on the server after a push.
    fn verify(&self, loads: &[GraphLoad], before: Vec<u64>) -> Result<Vec<Verified>> {
        let mut verified = Vec::with_capacity(loads.len());
        for (load, before) in loads.iter().zip(before) {
            let after =
                remote::count(&self.client, &self.endpoints, &load.target).map_err(|e| {
                    push_error(
                        &format!("cannot verify {}", load.target),
                        e,
                        "every graph was loaded, but counting them failed".into(),
                    )
                })?;
            verified.push(Verified {
                target: load.target.clone(),
                sent: load.triples.len() as u64,
                before,
                after,
            });
        }
        Ok(verified)
    }

    /// Loads one graph into `staging` (its staging graph, or the target itself with
    /// --non-atomic), emptied first when `fresh`; with `check`, counts it there.
    fn stage(
        &self,
        load: &GraphLoad,
        staging: &NamedNode,
        fresh: bool,
        check: bool,
        options: &Options,
        progress: &ProgressBar,
    ) -> Result<()> {
        let (client, endpoints) = (&self.client, &self.endpoints);
        let sent = load.triples.len() as u64;
        let start = progress.position();
        // The bulk loader and INSERT DATA only add: empty the staging graph first (it may
        // hold what an interrupted push left).
        let bulk = endpoints.bulk_param.is_some();
        if fresh && (options.protocol == Protocol::Update || bulk) {
            self.drop_silent(staging)?;
        }
        match options.protocol {
            Protocol::Gsp => {
                let media_type = options.format.media_type();
                let chunk = endpoints.max_gsp_triples.unwrap_or(usize::MAX);
                for (i, part) in load.triples.chunks(chunk).enumerate() {
                    // The first request replaces what the staging graph held, unless the
                    // bulk loader (which only adds) is used; the others add to it.
                    let method = if bulk || i > 0 || !fresh {
                        Method::POST
                    } else {
                        Method::PUT
                    };
                    let body = serialize(part, options.format)?;
                    let triples = part.len() as u64;
                    remote::gsp_load(
                        client, endpoints, staging, method, media_type, body, triples, bulk,
                        progress,
                    )?;
                    progress.set_position(start + triples + (i * chunk) as u64);
                }
            }
            Protocol::Update => {
                for batch in load.triples.chunks(options.batch(endpoints)) {
                    let insert = remote::insert_data(staging, batch);
                    remote::update(client, endpoints, &insert, true)?;
                    progress.inc(batch.len() as u64);
                }
            }
        }
        progress.set_position(start + sent);
        if !check {
            return Ok(());
        }
        let staged = remote::count(client, endpoints, staging)?;
        if staged != sent {
            return Err(Error::Remote {
                url: endpoints.query.to_string(),
                message: format!(
                    "the staging graph {staging} holds {staged} triples after {sent} were sent"
                ),
            });
        }
        Ok(())
    }

    /// Swaps the staging graphs in: `MOVE` over the target for a replace, `ADD` to it and
    /// `DROP` for an append; in one request where the store makes a request atomic.
    fn commit(&self, loads: &[GraphLoad], staging: &[NamedNode], mode: Mode) -> Result<()> {
        let operations: Vec<String> = loads
            .iter()
            .zip(staging)
            .map(|(load, staging)| match mode {
                Mode::Replace => format!("MOVE {staging} TO {}", load.target),
                Mode::Append => format!(
                    "ADD {staging} TO {} ;\nDROP SILENT GRAPH {staging}",
                    load.target
                ),
            })
            .collect();
        let groups: Vec<(usize, Vec<String>)> = if self.endpoints.atomic_multi_update {
            vec![(0, vec![operations.join(" ;\n")])]
        } else {
            operations
                .iter()
                .enumerate()
                .map(|(i, op)| (i, op.split(" ;\n").map(str::to_owned).collect()))
                .collect()
        };
        for (first, requests) in groups {
            for (step, request) in requests.iter().enumerate() {
                // MOVE from a missing graph empties the target: never send it twice. ADD and
                // DROP are safe to repeat.
                let repeatable = mode == Mode::Append;
                if let Err(error) =
                    remote::update(&self.client, &self.endpoints, request, repeatable)
                {
                    let done: Vec<String> = loads[..first]
                        .iter()
                        .map(|l| l.target.to_string())
                        .collect();
                    let cleanup = self.drop_graphs(&staging[first..]);
                    let state = if self.endpoints.atomic_multi_update {
                        format!(
                            "the swap is one transaction: either every graph was {} or none (the store did not confirm); push again to be sure; {cleanup}",
                            mode.done()
                        )
                    } else if step > 0 {
                        format!(
                            "{} was {} but its staging graph was not dropped; {cleanup}",
                            loads[first].target,
                            mode.done()
                        )
                    } else {
                        let done = if done.is_empty() {
                            "no graph".to_owned()
                        } else {
                            done.join(", ")
                        };
                        format!(
                            "{done} {} {}; {} and the graphs after it are either as they were or fully {} (the store did not confirm); push again to finish; {cleanup}",
                            if first == 1 { "was" } else { "were" },
                            mode.done(),
                            loads[first].target,
                            mode.done()
                        )
                    };
                    return Err(push_error(
                        "swapping the staged graphs in failed",
                        error,
                        state,
                    ));
                }
            }
        }
        Ok(())
    }

    fn drop_silent(&self, graph: &NamedNode) -> Result<()> {
        let drop = format!("DROP SILENT GRAPH {graph}");
        remote::update(&self.client, &self.endpoints, &drop, true)
    }

    /// Drops graphs, best effort; says what was done, for error messages.
    fn drop_graphs(&self, graphs: &[NamedNode]) -> String {
        let failed: Vec<String> = graphs
            .iter()
            .filter(|g| self.drop_silent(g).is_err())
            .map(ToString::to_string)
            .collect();
        if failed.is_empty() {
            "the staging graphs were dropped".into()
        } else {
            format!(
                "staging graph(s) {} could not be dropped: the next push drops them, or run DROP SILENT GRAPH on them",
                failed.join(", ")
            )
        }
    }

    /// Compares the graphs to push with what the store holds now, literals canonicalised.
    pub fn diff(&self, loads: &[GraphLoad], mode: Mode) -> Result<Vec<GraphDiff>> {
        let mut diffs = Vec::with_capacity(loads.len());
        for load in loads {
            let current = remote::fetch(&self.client, &self.endpoints, &load.target)?;
            let sent = canon::canonical_set(&load.triples);
            let held = canon::canonical_set(current.iter().flatten());
            let added = sent.difference(&held).count() as u64;
            let removed = match mode {
                Mode::Replace => held.difference(&sent).count() as u64,
                Mode::Append => 0,
            };
            diffs.push(GraphDiff {
                target: load.target.clone(),
                sent: load.triples.len() as u64,
                current: current.map(|c| c.len() as u64),
                added,
                removed,
            });
        }
        Ok(diffs)
    }

    /// The requests a push would make, one line each, for `--dry-run`.
    pub fn requests(&self, loads: &[GraphLoad], options: &Options) -> Result<Vec<String>> {
        let endpoints = &self.endpoints;
        let update = |text: String| format!("POST {} {text}", endpoints.update);
        let mut lines = Vec::new();
        for load in loads {
            lines.push(format!(
                "POST {} SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {} {{ ?s ?p ?o }} }}",
                endpoints.query, load.target
            ));
        }
        // With --non-atomic the triples go straight into the target, emptied first for a
        // replace.
        let fresh = !options.non_atomic || options.mode == Mode::Replace;
        for load in loads {
            let staging = if options.non_atomic {
                load.target.clone()
            } else {
                staging_graph(&load.target)
            };
            let n = load.triples.len();
            match options.protocol {
                Protocol::Gsp => {
                    let size = serialize(&load.triples, options.format)?.len();
                    let mut url = endpoints.graph_url(staging.as_str())?;
                    let method = if let Some(param) = endpoints.bulk_param {
                        if fresh {
                            lines.push(update(format!("DROP SILENT GRAPH {staging}")));
                        }
                        url.query_pairs_mut().append_key_only(param);
                        "POST"
                    } else if fresh {
                        "PUT"
                    } else {
                        "POST"
                    };
                    let parts = match endpoints.max_gsp_triples {
                        Some(max) if n > max => {
                            format!(
                                ", in {} requests of at most {max} triples, then POST",
                                n.div_ceil(max)
                            )
                        }
                        _ => String::new(),
                    };
                    lines.push(format!(
                        "{method} {url} ({n} triples, {size} bytes of {}{parts})",
                        options.format.media_type()
                    ));
                }
                Protocol::Update => {
                    if fresh {
                        lines.push(update(format!("DROP SILENT GRAPH {staging}")));
                    }
                    let batch = options.batch(endpoints);
                    lines.push(update(format!(
                        "INSERT DATA {{ GRAPH {staging} {{ ... }} }} x {} ({n} triples, at most {batch} per request)",
                        n.div_ceil(batch)
                    )));
                }
            }
            if !options.non_atomic {
                lines.push(format!(
                    "POST {} SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {staging} {{ ?s ?p ?o }} }}",
                    endpoints.query
                ));
            }
        }
        let swaps: Vec<String> = loads
            .iter()
            .map(|l| {
                let staging = staging_graph(&l.target);
                match options.mode {
                    Mode::Replace => format!("MOVE {staging} TO {}", l.target),
                    Mode::Append => format!(
                        "ADD {staging} TO {} ; DROP SILENT GRAPH {staging}",
                        l.target
                    ),
                }
            })
            .collect();
        if options.non_atomic {
            // Nothing to swap.
        } else if endpoints.atomic_multi_update {
            lines.push(update(format!("{} (one transaction)", swaps.join(" ; "))));
        } else {
            lines.extend(swaps.into_iter().flat_map(|s| {
                s.split(" ; ")
                    .map(|op| update(op.to_owned()))
                    .collect::<Vec<_>>()
            }));
        }
        for load in loads {
            lines.push(format!(
                "POST {} SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {} {{ ?s ?p ?o }} }}",
                endpoints.query, load.target
            ));
        }
        Ok(lines)
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

fn push_error(failure: &str, cause: Error, state: String) -> Error {
    Error::Push {
        failure: format!("{failure}: {cause}"),
        state,
    }
}

/// Serialises triples for a Graph Store Protocol body.
pub fn serialize(triples: &[Triple], format: BodyFormat) -> Result<Arc<[u8]>> {
    let mut serializer = RdfSerializer::from_format(format.rdf_format()).for_writer(Vec::new());
    for triple in triples {
        serializer
            .serialize_triple(triple)
            .map_err(|source| Error::Io {
                path: "<request body>".into(),
                source,
            })?;
    }
    let bytes = serializer.finish().map_err(|source| Error::Io {
        path: "<request body>".into(),
        source,
    })?;
    Ok(Arc::from(bytes))
}
