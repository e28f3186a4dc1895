//! A push, planned once: the graphs and where they land, every request in the order it
//! will be sent, and the graphs a prune drops. A dry run describes the plan's steps; a
//! push executes the same steps ([`Publisher::execute`]), so what is shown is what is sent.

use super::{
    BodyWriter, GRAPHS_A_DRY_RUN, GraphLoad, Mode, Options, Placement, Protocol, Publisher,
    StoredGraph, namespace, serialize, swap, write_dataset,
};
use crate::base::error::{Error, Result};
use crate::base::iri;
use crate::base::named::Named;
use crate::base::parallel;
use crate::net::target::{Endpoints, GraphCounts};
use oxigraph::model::NamedNode;
use reqwest::{Method, Url};
use std::ops::Range;

/// Everything a push will do.
#[derive(Debug, Clone)]
pub struct PushPlan {
    pub placement: Placement,
    pub options: Options,
    /// The graphs to load, sorted by target IRI.
    pub loads: Vec<GraphLoad>,
    /// The prune, when asked for: the graphs of the namespace that the push does not
    /// write, as the store holds them when the push is planned.
    pub prune: Option<Prune>,
    /// The requests, in order.
    pub steps: Vec<Step>,
    /// Where the requests go.
    pub endpoints: Endpoints,
    /// The IRI of this push in the swap's claims.
    pub push: NamedNode,
}

/// The graphs a prune drops.
#[derive(Debug, Clone)]
pub struct Prune {
    /// The namespace of the graphs the push writes.
    pub namespace: String,
    /// The graphs under it that the push does not write.
    pub stale: Vec<StoredGraph>,
}

/// One request of a push, or one group of requests that send one graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Counts the triples inside graphs, in one request: targets before the push and after
    /// it, or the staging graphs of `loads` once loaded and again just before their swap.
    /// `graphs[i]` is the graph of `loads[i]`.
    Count {
        loads: Vec<usize>,
        graphs: Vec<NamedNode>,
        when: When,
    },
    /// Empties the targets of `loads`, loaded straight with a loader that only adds, in one
    /// update request.
    Empty { loads: Vec<usize> },
    /// Sends the triples of `load` into `graph`: its staging graph, or the target itself.
    Send {
        load: usize,
        graph: NamedNode,
        transfer: Transfer,
    },
    /// Sends the triples of several loads in one Graph Store `POST` of a dataset to `url`,
    /// each load's triples as quads of its graph (`graphs[i]` for `loads[i]`).
    SendDataset {
        loads: Vec<usize>,
        graphs: Vec<NamedNode>,
        url: Url,
    },
    /// Sends the triples of several small loads in one `INSERT DATA`, a `GRAPH` block for
    /// each (`graphs[i]` for `loads[i]`).
    InsertData {
        loads: Vec<usize>,
        graphs: Vec<NamedNode>,
    },
    /// Claims the swap, waiting while another push holds it.
    Claim,
    /// Update operations that swap the staging graphs of `loads` into their targets, in
    /// one request.
    Swap {
        loads: Vec<usize>,
        operations: Vec<String>,
    },
    /// Gives the swap back.
    Release,
    /// Drops a graph of the namespace that the push does not write.
    Prune { graph: NamedNode },
}

/// The most graphs of one part where graphs do not travel in one dataset (each part's graphs
/// are loaded, then counted, together): Virtuoso counts 300 graphs in 0.9 s in a few
/// queries, against about 7 ms for each graph in a query of its own.
pub const COUNT_GRAPHS: usize = 250;

/// When a graph is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A target, before anything is written: what it held.
    Before,
    /// A staging graph, once loaded: it must hold what was sent.
    Loaded,
    /// A staging graph, just before its swap: it must still hold it.
    Swap,
    /// A target, after the push: it must hold what was sent.
    After,
}

/// How the triples of one graph travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transfer {
    /// Graph Store Protocol requests to `url`: the first with `first` (`PUT` replaces what
    /// the graph held, `POST` adds), then `POST`s, each of at most `chunk` triples.
    Gsp {
        url: Url,
        first: Method,
        chunk: Option<usize>,
    },
    /// `INSERT DATA` requests of at most `batch` triples.
    Update { batch: usize },
}

impl Publisher {
    /// Plans the push of `loads` (placed by `placement`: [`super::graph_loads`],
    /// [`super::store_loads`]) with `options`; with `prune`, lists the graphs of the
    /// namespace that the push does not write, to drop them once it has succeeded. Refuses
    /// what cannot be pushed safely before anything is sent: blank nodes in `INSERT DATA`,
    /// the Graph Store Protocol without an endpoint for it.
    pub fn plan(
        &self,
        loads: Vec<GraphLoad>,
        placement: &Placement,
        options: &Options,
        prune: bool,
    ) -> Result<PushPlan> {
        if options.protocol == Protocol::Update {
            for load in &loads {
                if load.has_blank_nodes()? {
                    return Err(Error::BlankNodesInUpdate {
                        graph: load.target.to_string(),
                    });
                }
            }
        }
        let endpoints = &self.endpoints;
        let staged = !options.non_atomic;
        let graph_of = |i: usize| match staged {
            true => self.staging(&loads[i].target),
            false => loads[i].target.clone(),
        };
        let target_of = |i: usize| loads[i].target.clone();
        // The counts of a part's graphs, as many a request as the store counts well.
        let count = |part: &[usize], graph: &dyn Fn(usize) -> NamedNode, when| -> Vec<Step> {
            (part.chunks(endpoints.graph_counts.per_query()))
                .map(|chunk| Step::Count {
                    loads: chunk.to_vec(),
                    graphs: chunk.iter().map(|&i| graph(i)).collect(),
                    when,
                })
                .collect()
        };
        let fresh = staged || options.mode == Mode::Replace;
        let bulk = endpoints.bulk_param.is_some();
        // Graphs travel in parts: many in one request where the store takes a dataset,
        // and each part is counted in one request.
        let dataset = match options.protocol {
            Protocol::Gsp => endpoints.max_dataset_triples,
            Protocol::Update => None,
        };
        let parts = parts(&loads, dataset);
        // The most triples of small graphs that travel together in one INSERT DATA.
        let together = match options.protocol {
            Protocol::Update => Some(options.batch(endpoints)),
            Protocol::Gsp if endpoints.small_graphs_by_update => Some(options.batch(endpoints)),
            Protocol::Gsp => None,
        };
        // Whether the requests that send a graph only add to what it holds.
        let adds_only =
            options.protocol == Protocol::Update || bulk || dataset.is_some() || together.is_some();
        let mut steps: Vec<Step> = (parts.iter())
            .flat_map(|part| count(part, &target_of, When::Before))
            .collect();
        for part in &parts {
            // A staging graph is new, named by this push's run id; a target loaded straight
            // is emptied first for a replace. The first Graph Store request replaces what
            // the graph held, unless the bulk loader (which only adds) is used.
            if !staged && fresh && adds_only {
                steps.push(Step::Empty {
                    loads: part.clone(),
                });
            }
            // A graph read from the store as it is sent travels alone, in Graph Store
            // requests of its own.
            if dataset.is_some() && !loads[part[0]].in_parts() {
                let mut url = endpoints.store.clone().ok_or(Error::NoGraphStore {
                    target: endpoints.target.name(),
                })?;
                if let Some(param) = endpoints.bulk_param {
                    url.query_pairs_mut().append_key_only(param);
                }
                steps.push(Step::SendDataset {
                    loads: part.clone(),
                    graphs: part.iter().map(|&i| graph_of(i)).collect(),
                    url,
                });
            } else {
                // Graphs that fit in one INSERT DATA travel together where that is cheaper
                // than a request each; consecutive ones, so that the requests keep the
                // order of the graphs.
                let mut small: Vec<usize> = Vec::new();
                let mut small_triples = 0;
                let flush = |small: &mut Vec<usize>, steps: &mut Vec<Step>| {
                    if !small.is_empty() {
                        steps.push(Step::InsertData {
                            loads: small.clone(),
                            graphs: small.iter().map(|&i| graph_of(i)).collect(),
                        });
                        small.clear();
                    }
                };
                for &i in part {
                    let n = loads[i].len() as usize;
                    if let Some(max) = together
                        && n <= max
                        && !loads[i].in_parts()
                        && !loads[i].has_blank_nodes()?
                    {
                        if small_triples + n > max {
                            flush(&mut small, &mut steps);
                            small_triples = 0;
                        }
                        small.push(i);
                        small_triples += n;
                        continue;
                    }
                    flush(&mut small, &mut steps);
                    small_triples = 0;
                    let graph = graph_of(i);
                    let transfer = match options.protocol {
                        Protocol::Gsp => {
                            let mut url = endpoints.graph_url(graph.as_str())?;
                            if let Some(param) = endpoints.bulk_param {
                                url.query_pairs_mut().append_key_only(param);
                            }
                            let first = match bulk || !fresh {
                                true => Method::POST,
                                false => Method::PUT,
                            };
                            let chunk = match loads[i].is_stored() {
                                true => endpoints
                                    .max_stored_part_triples
                                    .or(endpoints.max_gsp_triples),
                                false => endpoints.max_gsp_triples,
                            };
                            Transfer::Gsp { url, first, chunk }
                        }
                        Protocol::Update => Transfer::Update {
                            batch: options.batch(endpoints),
                        },
                    };
                    steps.push(Step::Send {
                        load: i,
                        graph,
                        transfer,
                    });
                }
                flush(&mut small, &mut steps);
            }
            if staged {
                steps.extend(count(part, &graph_of, When::Loaded));
            }
        }
        if staged {
            // Pushes load at once, but swap one at a time: two swaps of the same graphs at
            // once leave the union on Oxigraph and deadlock on Virtuoso. Each staging graph
            // is counted just before its swap: MOVE from a missing graph empties the target
            // on Virtuoso. Where a request of several operations is one transaction, every
            // graph is swapped in one request, after counting them all; else one operation
            // per request, each graph counted just before.
            steps.push(Step::Claim);
            let swaps: Vec<Vec<String>> = loads
                .iter()
                .map(|l| swap(options.mode, &self.staging(&l.target), &l.target))
                .collect();
            if endpoints.atomic_multi_update {
                for part in &parts {
                    steps.extend(count(part, &graph_of, When::Swap));
                }
                steps.push(Step::Swap {
                    loads: (0..loads.len()).collect(),
                    operations: swaps.into_iter().flatten().collect(),
                });
            } else {
                for (i, operations) in swaps.into_iter().enumerate() {
                    steps.extend(count(&[i], &graph_of, When::Swap));
                    for operation in operations {
                        steps.push(Step::Swap {
                            loads: vec![i],
                            operations: vec![operation],
                        });
                    }
                }
            }
            steps.push(Step::Release);
        }
        for part in &parts {
            steps.extend(count(part, &target_of, When::After));
        }
        let prune = match (prune, namespace(placement)) {
            (true, Some(namespace)) => Some(Prune {
                namespace: namespace.to_owned(),
                stale: self.stale_graphs(&loads, namespace)?,
            }),
            _ => None,
        };
        if let Some(prune) = &prune {
            steps.extend(prune.stale.iter().map(|g| Step::Prune {
                graph: g.graph.clone(),
            }));
        }
        Ok(PushPlan {
            placement: placement.clone(),
            options: options.clone(),
            loads,
            prune,
            steps,
            endpoints: endpoints.clone(),
            push: iri::push(&self.run),
        })
    }
}

/// The loads in parts, in order: where graphs travel together in a dataset of at most
/// `dataset` triples, as many as fit (a larger graph, or one sent in parts of its own
/// ([`GraphLoad::in_parts`]), alone); else at most [`COUNT_GRAPHS`] graphs, counted together once loaded.
fn parts(loads: &[GraphLoad], dataset: Option<usize>) -> Vec<Vec<usize>> {
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut triples = 0;
    for (i, load) in loads.iter().enumerate() {
        let n = load.len() as usize;
        let fits = |part: &Vec<usize>| match dataset {
            Some(max) => triples + n <= max && !load.in_parts() && !loads[part[0]].in_parts(),
            None => part.len() < COUNT_GRAPHS,
        };
        match parts.last_mut() {
            Some(part) if fits(part) => {
                part.push(i);
                triples += n;
            }
            _ => {
                parts.push(vec![i]);
                triples = n;
            }
        }
    }
    parts
}

impl PushPlan {
    /// The triples the push sends.
    pub fn triples(&self) -> u64 {
        self.loads.iter().map(GraphLoad::len).sum()
    }

    /// A step as the request (or requests) it makes, on one line: method, URL, and the
    /// query, the update, or the size of the body.
    pub fn describe(&self, step: &Step) -> Result<String> {
        let endpoints = &self.endpoints;
        let update = |text: &str| format!("POST {} {text}", endpoints.update);
        Ok(match step {
            Step::Count { graphs, .. } => count_request(endpoints, graphs),
            Step::Empty { loads } => {
                let first = format!("DROP SILENT GRAPH {}", self.loads[loads[0]].target);
                update(&match loads.len() {
                    1 => first,
                    n => format!("{first} ; ... ({n} graphs)"),
                })
            }
            Step::InsertData { loads, graphs } => {
                let n: u64 = loads.iter().map(|&i| self.loads[i].len()).sum();
                update(&format!(
                    "INSERT DATA {{ GRAPH {} {{ ... }} ... }} ({} graphs, {n} triples)",
                    graphs[0],
                    loads.len()
                ))
            }
            Step::SendDataset { loads, url, .. } => {
                let n: u64 = loads.iter().map(|&i| self.loads[i].len()).sum();
                let format = self.options.format;
                let graphs = self.dataset(step);
                let size = dataset_size(&graphs, format)?;
                let bodies = match (
                    self.bodies(&graphs).len(),
                    self.endpoints.max_stored_part_triples,
                ) {
                    (k, Some(max)) if k > 1 => {
                        format!(", in {k} requests of at most {max} triples")
                    }
                    _ => String::new(),
                };
                format!(
                    "POST {url} ({} graphs, {n} triples, {size} bytes of {}{bodies})",
                    loads.len(),
                    format.dataset_media_type()
                )
            }
            Step::Send {
                load,
                graph,
                transfer,
            } => {
                let n = self.loads[*load].len() as usize;
                match transfer {
                    Transfer::Gsp { url, first, chunk } => {
                        let format = self.options.format;
                        let size = body_size(&self.loads[*load], format)?;
                        let parts = match chunk {
                            Some(max) if n > *max => format!(
                                ", in {} requests of at most {max} triples, then POST",
                                n.div_ceil(*max)
                            ),
                            _ => String::new(),
                        };
                        format!(
                            "{first} {url} ({n} triples, {size} bytes of {}{parts})",
                            format.media_type()
                        )
                    }
                    Transfer::Update { batch } => update(&format!(
                        "INSERT DATA {{ GRAPH {graph} {{ ... }} }} x {} ({n} triples, at most {batch} per request)",
                        n.div_ceil(*batch)
                    )),
                }
            }
            Step::Claim => update(&format!(
                "INSERT DATA {{ GRAPH {} {{ {} ... }} }} (claim the swap), then SELECT the claims",
                iri::swap_claims(),
                self.push
            )),
            Step::Swap { operations, .. } if endpoints.atomic_multi_update => {
                update(&format!("{} (one transaction)", operations.join(" ; ")))
            }
            Step::Swap { operations, .. } => update(&operations.join(" ; ")),
            Step::Release => update(&format!(
                "DELETE WHERE {{ GRAPH {} {{ {} ... }} }} (release the swap)",
                iri::swap_claims(),
                self.push
            )),
            Step::Prune { graph } => update(&format!("DROP SILENT GRAPH {graph}")),
        })
    }
}

/// The bytes of a load's triples in Graph Store bodies, written to count them: a graph read
/// from the store is not held for it.
fn body_size(load: &GraphLoad, format: super::BodyFormat) -> Result<u64> {
    if !load.is_stored() {
        return Ok(serialize(load.held(), format)?.len() as u64);
    }
    let mut body = BodyWriter::new(format, Counter(0));
    for triple in load.read() {
        body.write(&triple?)?;
    }
    Ok(body.finish()?.0)
}

/// The bytes of the body [`super::serialize_dataset`] makes of `graphs`, written to count
/// them, [`GRAPHS_A_DRY_RUN`] graphs at a time on each core (graphs of an on-disk store read
/// together, as they are sent): graphs read from the store are not held for it.
fn dataset_size(graphs: &[(&NamedNode, &GraphLoad)], format: super::BodyFormat) -> Result<u64> {
    let mut size = 0;
    let count = |graphs| write_dataset(graphs, format, Counter(0));
    let chunks = graphs.chunks(GRAPHS_A_DRY_RUN);
    parallel::try_in_order(chunks, count, |(counted, _)| size += counted.0)?;
    Ok(size)
}

/// Counts the bytes written to it.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The query that counts the triples inside graphs, as a request line: the whole query for
/// one graph, the first graph and how many for more.
fn count_request(endpoints: &Endpoints, graphs: &[NamedNode]) -> String {
    let form = endpoints.graph_counts;
    let mut query = super::remote::count_query(&graphs[..1], form);
    if graphs.len() > 1 {
        // After the list of graphs, or after the last count.
        let (at, more) = match form {
            GraphCounts::Joined => (query.find(" }"), ""),
            GraphCounts::EachNamed => (query.rfind(" }"), " UNION"),
        };
        let at = at.unwrap_or(query.len());
        query.insert_str(at, &format!("{more} ... ({} graphs)", graphs.len()));
    }
    format!("POST {} {query}", endpoints.query)
}

impl PushPlan {
    /// The requests that carry the graphs of a [`Step::SendDataset`], as ranges of
    /// `graphs`: one request, or, where graphs are read from the store and the store loads
    /// one body while the next is made ([`Endpoints::max_stored_part_triples`]),
    /// consecutive graphs of at most that many triples in each (a larger graph alone).
    pub(super) fn bodies(&self, graphs: &[(&NamedNode, &GraphLoad)]) -> Vec<Range<usize>> {
        let max = match self.endpoints.max_stored_part_triples {
            Some(max) if graphs.iter().any(|(_, load)| load.is_stored()) => max as u64,
            _ => return std::iter::once(0..graphs.len()).collect(),
        };
        let mut bodies: Vec<Range<usize>> = Vec::new();
        let mut triples = 0;
        for (i, (_, load)) in graphs.iter().enumerate() {
            match bodies.last_mut() {
                Some(body) if triples + load.len() <= max => {
                    body.end = i + 1;
                    triples += load.len();
                }
                _ => {
                    bodies.push(i..i + 1);
                    triples = load.len();
                }
            }
        }
        bodies
    }

    /// The loads of a [`Step::SendDataset`] or [`Step::InsertData`], each with its graph, in
    /// order.
    pub(super) fn dataset<'a>(&'a self, step: &'a Step) -> Vec<(&'a NamedNode, &'a GraphLoad)> {
        match step {
            Step::SendDataset { loads, graphs, .. } | Step::InsertData { loads, graphs } => {
                (loads.iter().zip(graphs))
                    .map(|(&i, graph)| (graph, &self.loads[i]))
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::auth::Auth;
    use crate::net::http::{Client, Settings};
    use crate::net::target::{Overrides, Target};
    use crate::publish::{BodyFormat, remote};
    use crate::publish::{GraphRun, Triples, graph_loads};
    use oxigraph::model::{GraphName, Literal, Quad, Triple};

    fn loads(quads: impl IntoIterator<Item = Quad>) -> Vec<GraphLoad> {
        graph_loads(GraphRun::of(quads), &Placement::AsBuilt).unwrap()
    }

    fn publisher(target: Target) -> Publisher {
        let endpoints = target
            .endpoints("http://127.0.0.1:9", false, &Overrides::default())
            .unwrap();
        let client = Client::new(Auth::None, Settings::default(), None).unwrap();
        Publisher::new(client, endpoints)
    }

    fn quads() -> Vec<Quad> {
        ["http://ex/a", "http://ex/b"]
            .into_iter()
            .map(|graph| {
                let node = NamedNode::new_unchecked(graph);
                Quad::new(
                    node.clone(),
                    node.clone(),
                    Literal::new_simple_literal("x"),
                    GraphName::NamedNode(node),
                )
            })
            .collect()
    }

    fn options(mode: Mode) -> Options {
        Options {
            protocol: Protocol::Gsp,
            mode,
            format: BodyFormat::Ntriples,
            batch_triples: 10,
            non_atomic: false,
        }
    }

    /// The kind of each step, with when a count is made.
    fn shape(plan: &PushPlan) -> Vec<String> {
        plan.steps
            .iter()
            .map(|step| match step {
                Step::Count { when, .. } => format!("count {when:?}"),
                Step::Swap { operations, .. } => operations
                    .iter()
                    .map(|o| o.split(' ').next().unwrap())
                    .collect::<Vec<_>>()
                    .join("+"),
                other => format!("{other:?}")
                    .split([' ', '{'])
                    .next()
                    .unwrap()
                    .to_owned(),
            })
            .collect()
    }

    /// `http://ex/a` with one triple, `http://ex/b` with `b` triples.
    fn sized_quads(b: usize) -> Vec<Quad> {
        let mut quads = quads();
        let graph = NamedNode::new_unchecked("http://ex/b");
        quads.extend((1..b).map(|i| {
            Quad::new(
                graph.clone(),
                graph.clone(),
                Literal::new_simple_literal(i.to_string()),
                GraphName::NamedNode(graph.clone()),
            )
        }));
        quads
    }

    #[test]
    fn each_graph_is_staged_counted_and_swapped_as_the_store_allows() {
        let virtuoso = publisher(Target::Virtuoso);
        // Small graphs travel together in one INSERT DATA; one larger than a batch (10
        // triples here) in Graph Store requests of its own.
        let plan = virtuoso
            .plan(
                loads(sized_quads(12)),
                &Placement::AsBuilt,
                &options(Mode::Append),
                false,
            )
            .unwrap();
        assert_eq!(
            shape(&plan),
            [
                "count Before",
                "InsertData",
                "Send",
                "count Loaded",
                "Claim",
                "count Swap",
                "ADD",
                "DROP",
                "count Swap",
                "ADD",
                "DROP",
                "Release",
                "count After",
            ]
        );
        let send = plan.describe(&plan.steps[2]).unwrap();
        assert!(
            send.starts_with(
                "PUT http://127.0.0.1:9/sparql-graph-crud?graph-uri=urn%3Atipkg%3Astaging%3A"
            ),
            "{send}"
        );
        assert!(send.contains("(12 triples, "), "{send}");
        let plan = virtuoso
            .plan(
                loads(quads()),
                &Placement::AsBuilt,
                &options(Mode::Append),
                false,
            )
            .unwrap();
        assert_eq!(
            shape(&plan)[..3],
            ["count Before", "InsertData", "count Loaded"]
        );
        let insert = plan.describe(&plan.steps[1]).unwrap();
        assert!(
            insert.starts_with(
                "POST http://127.0.0.1:9/sparql INSERT DATA { GRAPH <urn:tipkg:staging:"
            ) && insert.ends_with("{ ... } ... } (2 graphs, 2 triples)"),
            "{insert}"
        );
        let (text, _) = remote::insert_data_graphs(&plan.dataset(&plan.steps[1])).unwrap();
        assert_eq!(
            text.matches("GRAPH <urn:tipkg:staging:").count(),
            2,
            "{text}"
        );
        // The two graphs are counted in one request, each staging graph again alone just
        // before its swap.
        let count = plan.describe(&plan.steps[2]).unwrap();
        assert!(
            count.starts_with(
                "POST http://127.0.0.1:9/sparql SELECT ?g ?n WHERE { { SELECT (<urn:tipkg:staging:"
            ),
            "{count}"
        );
        assert!(count.ends_with(" } } } UNION ... (2 graphs) }"), "{count}");

        // Oxigraph takes both graphs in one N-Quads request, each in its staging graph.
        let oxigraph = publisher(Target::Oxigraph);
        let plan = oxigraph
            .plan(
                loads(quads()),
                &Placement::AsBuilt,
                &options(Mode::Replace),
                false,
            )
            .unwrap();
        assert_eq!(
            shape(&plan),
            [
                "count Before",
                "SendDataset",
                "count Loaded",
                "Claim",
                "count Swap",
                "MOVE+MOVE",
                "Release",
                "count After",
            ]
        );
        let send = plan.describe(&plan.steps[1]).unwrap();
        assert!(
            send.starts_with("POST http://127.0.0.1:9/store?no_transaction (2 graphs, 2 triples, ")
                && send.ends_with(" bytes of application/n-quads)"),
            "{send}"
        );
        let Some((graph, load)) = plan.dataset(&plan.steps[1]).first().copied() else {
            panic!("no dataset in {:?}", plan.steps[1]);
        };
        assert!(graph.as_str().starts_with("urn:tipkg:staging:"), "{graph}");
        assert_eq!(load.len(), 1);
        assert!(
            plan.describe(&plan.steps[5])
                .unwrap()
                .ends_with("(one transaction)"),
            "{:?}",
            plan.steps[5]
        );
        // Straight into the targets: each part emptied in one request, then loaded.
        let straight = Options {
            non_atomic: true,
            ..options(Mode::Replace)
        };
        let plan = oxigraph
            .plan(loads(quads()), &Placement::AsBuilt, &straight, false)
            .unwrap();
        assert_eq!(
            shape(&plan),
            ["count Before", "Empty", "SendDataset", "count After"]
        );
        assert_eq!(
            plan.describe(&plan.steps[1]).unwrap(),
            "POST http://127.0.0.1:9/update DROP SILENT GRAPH <http://ex/a> ; ... (2 graphs)"
        );
    }

    #[test]
    fn graphs_travel_in_parts_that_fit_the_target() {
        let load = |triples: usize| GraphLoad {
            target: NamedNode::new_unchecked("http://ex/g"),
            triples: Triples::Held(vec![
                Triple::new(
                    NamedNode::new_unchecked("http://ex/s"),
                    NamedNode::new_unchecked("http://ex/p"),
                    Literal::new_simple_literal("x"),
                );
                triples
            ]),
        };
        let loads: Vec<GraphLoad> = [40, 50, 20, 200, 10].into_iter().map(load).collect();
        assert_eq!(
            parts(&loads, Some(100)),
            [vec![0, 1], vec![2], vec![3], vec![4]]
        );
        let many: Vec<GraphLoad> = (0..COUNT_GRAPHS + 1).map(|_| load(1)).collect();
        let sizes: Vec<usize> = parts(&many, None).iter().map(Vec::len).collect();
        assert_eq!(sizes, [COUNT_GRAPHS, 1]);
        assert_eq!(
            parts(&many, Some(10)).len(),
            (COUNT_GRAPHS + 1).div_ceil(10)
        );
    }

    /// The size a dry run gives for a dataset, counted some graphs at a time, is the size
    /// of the body written at once, in both syntaxes.
    #[test]
    fn a_datasets_size_is_counted_some_graphs_at_a_time() {
        let node = |s: String| NamedNode::new_unchecked(format!("http://ex/{s}"));
        let many = (0..GRAPHS_A_DRY_RUN * 2 + 3).map(|i| {
            let literal = Literal::new_language_tagged_literal_unchecked(format!("x{i}"), "en");
            Quad::new(
                node(format!("s{i}")),
                node("p".into()),
                literal,
                node(format!("g{i}")),
            )
        });
        let loads = loads(many.chain(quads()));
        let graphs: Vec<_> = loads.iter().map(|load| (&load.target, load)).collect();
        assert!(graphs.len() > GRAPHS_A_DRY_RUN * 2);
        for format in [BodyFormat::Ntriples, BodyFormat::Turtle] {
            let body = super::super::serialize_dataset(&graphs, format).unwrap().0;
            assert_eq!(dataset_size(&graphs, format).unwrap(), body.len() as u64);
        }
    }

    /// The small graphs of a store travel together to Oxigraph, read as they are sent, in
    /// bodies of at most 100,000 triples, each counted for what the store keeps of it.
    #[test]
    fn small_graphs_of_a_store_travel_in_bodies_made_as_they_are_sent() {
        let node = |s: String| NamedNode::new_unchecked(format!("http://ex/{s}"));
        let quads = (0..120_000)
            .map(|i| {
                Quad::new(
                    node(format!("s{i}")),
                    node("p".into()),
                    Literal::new_simple_literal("x"),
                    GraphName::NamedNode(node(format!("g{}", i / 40_000))),
                )
            })
            .collect();
        let store = crate::store::KnowledgeGraph::from_quads(quads).unwrap();
        let loads = crate::publish::store_loads(&store, &Placement::AsBuilt).unwrap();
        // The three graphs and the description, read as they are sent.
        assert!(loads.iter().all(|l| l.is_stored() && !l.in_parts()));
        let plan = (publisher(Target::Oxigraph))
            .plan(loads, &Placement::AsBuilt, &options(Mode::Replace), false)
            .unwrap();
        let send = (plan.steps.iter())
            .find(|step| matches!(step, Step::SendDataset { .. }))
            .unwrap();
        let graphs = plan.dataset(send);
        assert_eq!(graphs.len(), 4);
        assert_eq!(plan.bodies(&graphs), [0..2, 2..4]);
        // The size the dry run gives, counted a graph at a time, is the bodies' size.
        let whole = super::super::serialize_dataset(&graphs, BodyFormat::Ntriples).unwrap();
        let described = plan.describe(send).unwrap();
        assert!(
            described.ends_with(&format!(
                "{} bytes of application/n-quads, in 2 requests of at most 100000 triples)",
                whole.0.len()
            )),
            "{described}"
        );
        let (body, kept) =
            super::super::serialize_dataset(&graphs[..2], BodyFormat::Ntriples).unwrap();
        assert_eq!(body.iter().filter(|&&b| b == b'\n').count(), 80_000);
        assert!(
            kept.iter()
                .all(|k| k.as_ref().is_some_and(|k| k.sent == 40_000))
        );
    }

    #[test]
    fn what_cannot_be_pushed_safely_is_refused_when_planned() {
        let generic = publisher(Target::Generic);
        let error = generic
            .plan(
                loads(quads()),
                &Placement::AsBuilt,
                &options(Mode::Replace),
                false,
            )
            .unwrap_err();
        assert!(
            matches!(error, Error::NoGraphStore { target: "generic" }),
            "{error}"
        );
        let blank = Quad::new(
            oxigraph::model::BlankNode::default(),
            NamedNode::new_unchecked("http://ex/p"),
            Literal::new_simple_literal("x"),
            GraphName::NamedNode(NamedNode::new_unchecked("http://ex/g")),
        );
        let update = Options {
            protocol: Protocol::Update,
            ..options(Mode::Replace)
        };
        let error = generic
            .plan(loads([blank]), &Placement::AsBuilt, &update, false)
            .unwrap_err();
        assert!(matches!(error, Error::BlankNodesInUpdate { .. }), "{error}");
    }
}
