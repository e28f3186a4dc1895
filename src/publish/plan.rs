//! A push, planned once: the graphs and where they land, every request in the order it
//! will be sent, and the graphs a prune drops. A dry run describes the plan's steps; a
//! push executes the same steps ([`Publisher::execute`]), so what is shown is what is sent.

use super::{
    GraphLoad, Mode, Options, Placement, Protocol, Publisher, StoredGraph, graph_loads, namespace,
    serialize, swap,
};
use crate::base::error::{Error, Result};
use crate::base::iri;
use crate::net::target::Endpoints;
use oxigraph::model::{NamedNode, Quad};
use reqwest::{Method, Url};

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
    /// Counts the triples inside a graph: a target before the push and after it, or the
    /// staging graph of `load` once loaded and again just before its swap.
    Count {
        graph: NamedNode,
        load: usize,
        when: When,
    },
    /// Empties the target of `load`, loaded straight with a loader that only adds.
    Empty { load: usize },
    /// Sends the triples of `load` into `graph`: its staging graph, or the target itself.
    Send {
        load: usize,
        graph: NamedNode,
        transfer: Transfer,
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
    /// Plans the push of `quads` (each named graph placed by `placement`) with `options`;
    /// with `prune`, lists the graphs of the namespace that the push does not write, to
    /// drop them once it has succeeded. Refuses what cannot be pushed safely before
    /// anything is sent: blank nodes in `INSERT DATA`, the Graph Store Protocol without
    /// an endpoint for it.
    pub fn plan(
        &self,
        quads: impl IntoIterator<Item = Quad>,
        placement: &Placement,
        options: &Options,
        prune: bool,
    ) -> Result<PushPlan> {
        let loads = graph_loads(quads, placement)?;
        if options.protocol == Protocol::Update
            && let Some(load) = loads.iter().find(|l| l.has_blank_nodes())
        {
            return Err(Error::BlankNodesInUpdate {
                graph: load.target.to_string(),
            });
        }
        let endpoints = &self.endpoints;
        let staged = !options.non_atomic;
        let count = |graph: &NamedNode, load, when| Step::Count {
            graph: graph.clone(),
            load,
            when,
        };
        let mut steps: Vec<Step> = (loads.iter().enumerate())
            .map(|(i, l)| count(&l.target, i, When::Before))
            .collect();
        for (i, load) in loads.iter().enumerate() {
            // A staging graph is new, named by this push's run id; a target loaded straight
            // is emptied first for a replace. The first Graph Store request replaces what
            // the graph held, unless the bulk loader (which only adds) is used.
            let graph = match staged {
                true => self.staging(&load.target),
                false => load.target.clone(),
            };
            let fresh = staged || options.mode == Mode::Replace;
            let bulk = endpoints.bulk_param.is_some();
            if !staged && fresh && (options.protocol == Protocol::Update || bulk) {
                steps.push(Step::Empty { load: i });
            }
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
                    let chunk = endpoints.max_gsp_triples;
                    Transfer::Gsp { url, first, chunk }
                }
                Protocol::Update => Transfer::Update {
                    batch: options.batch(endpoints),
                },
            };
            steps.push(Step::Send {
                load: i,
                graph: graph.clone(),
                transfer,
            });
            if staged {
                steps.push(count(&graph, i, When::Loaded));
            }
        }
        if staged {
            // Pushes load at once, but swap one at a time: two swaps of the same graphs at
            // once leave the union on Oxigraph and deadlock on Virtuoso. Each staging graph
            // is counted just before its swap: MOVE from a missing graph empties the target
            // on Virtuoso. Where a request of several operations is one transaction, every
            // graph is swapped in one request; else one operation per request.
            steps.push(Step::Claim);
            let swaps: Vec<(NamedNode, Vec<String>)> = loads
                .iter()
                .map(|l| {
                    let staging = self.staging(&l.target);
                    let operations = swap(options.mode, &staging, &l.target);
                    (staging, operations)
                })
                .collect();
            if endpoints.atomic_multi_update {
                for (i, (staging, _)) in swaps.iter().enumerate() {
                    steps.push(count(staging, i, When::Swap));
                }
                steps.push(Step::Swap {
                    loads: (0..loads.len()).collect(),
                    operations: swaps.into_iter().flat_map(|(_, ops)| ops).collect(),
                });
            } else {
                for (i, (staging, operations)) in swaps.into_iter().enumerate() {
                    steps.push(count(&staging, i, When::Swap));
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
        steps.extend((loads.iter().enumerate()).map(|(i, l)| count(&l.target, i, When::After)));
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

impl PushPlan {
    /// The triples the push sends.
    pub fn triples(&self) -> usize {
        self.loads.iter().map(|l| l.triples.len()).sum()
    }

    /// A step as the request (or requests) it makes, on one line: method, URL, and the
    /// query, the update, or the size of the body.
    pub fn describe(&self, step: &Step) -> Result<String> {
        let endpoints = &self.endpoints;
        let update = |text: &str| format!("POST {} {text}", endpoints.update);
        Ok(match step {
            Step::Count { graph, .. } => count_request(endpoints, graph),
            Step::Empty { load } => {
                update(&format!("DROP SILENT GRAPH {}", self.loads[*load].target))
            }
            Step::Send {
                load,
                graph,
                transfer,
            } => {
                let n = self.loads[*load].triples.len();
                match transfer {
                    Transfer::Gsp { url, first, chunk } => {
                        let format = self.options.format;
                        let size = serialize(&self.loads[*load].triples, format)?.len();
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

/// The query that counts the triples inside a graph, as a request line.
fn count_request(endpoints: &Endpoints, graph: &NamedNode) -> String {
    format!(
        "POST {} {}",
        endpoints.query,
        super::remote::count_query(graph)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::auth::Auth;
    use crate::net::http::{Client, Settings};
    use crate::net::target::{Overrides, Target};
    use crate::publish::BodyFormat;
    use oxigraph::model::{GraphName, Literal};

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

    #[test]
    fn each_graph_is_staged_counted_and_swapped_as_the_store_allows() {
        let virtuoso = publisher(Target::Virtuoso);
        let plan = virtuoso
            .plan(quads(), &Placement::AsBuilt, &options(Mode::Append), false)
            .unwrap();
        assert_eq!(
            shape(&plan),
            [
                "count Before",
                "count Before",
                "Send",
                "count Loaded",
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
        assert!(
            send.ends_with("(1 triples, 34 bytes of application/n-triples)"),
            "{send}"
        );

        let oxigraph = publisher(Target::Oxigraph);
        let plan = oxigraph
            .plan(quads(), &Placement::AsBuilt, &options(Mode::Replace), false)
            .unwrap();
        let shape = shape(&plan);
        assert_eq!(
            shape[6..10],
            ["Claim", "count Swap", "count Swap", "MOVE+MOVE"]
        );
        assert!(
            plan.describe(&plan.steps[9])
                .unwrap()
                .ends_with("(one transaction)"),
            "{:?}",
            plan.steps[9]
        );
    }

    #[test]
    fn what_cannot_be_pushed_safely_is_refused_when_planned() {
        let generic = publisher(Target::Generic);
        let error = generic
            .plan(quads(), &Placement::AsBuilt, &options(Mode::Replace), false)
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
            .plan([blank], &Placement::AsBuilt, &update, false)
            .unwrap_err();
        assert!(matches!(error, Error::BlankNodesInUpdate { .. }), "{error}");
    }
}
