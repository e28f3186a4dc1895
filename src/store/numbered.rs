//! Triples read through the query evaluator with their predicates numbered, so that the
//! on-disk store turns back into terms only what a reader does not know already.
//!
//! Reading an on-disk store's quads turns all four terms of every quad back into text, a
//! RocksDB read for each IRI and literal longer than an inline string, although a reader of
//! one graph knows the graph's name, and a graph has few predicates. A query instead turns
//! back only the terms it projects: joined with a `VALUES` table of the graph's distinct
//! predicates (listed once), each with its place in the list, it can project that place, an
//! integer the store keeps inline, in place of the predicate. The table is hash-joined to
//! the quads, which are read in the order of the store's index as before.

use crate::base::error::{Error, Result};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::{QuerySolutionIter, Variable};
use oxigraph::store::{StorageError, Store};
use spargebra::algebra::GraphPattern;
use spargebra::term::{GroundTerm, TriplePattern};

/// The most distinct predicates numbered: every query carries their table. Where there are
/// more, read the quads.
pub const MOST_PREDICATES: usize = 4096;

/// `?s ?p ?o` in the graph `name` (`None`: in every graph, the default one and the named
/// ones), or `None` where the graph is a blank node, which a query would take for a variable.
pub fn triples_in(name: Option<GraphNameRef<'_>>) -> Option<GraphPattern> {
    let triples = triples();
    Some(match name {
        None => GraphPattern::Union {
            left: Box::new(triples.clone()),
            right: Box::new(GraphPattern::Graph {
                name: Variable::new_unchecked("g").into(),
                inner: Box::new(triples),
            }),
        },
        Some(GraphNameRef::DefaultGraph) => triples,
        Some(GraphNameRef::NamedNode(name)) => GraphPattern::Graph {
            name: name.into_owned().into(),
            inner: Box::new(triples),
        },
        Some(GraphNameRef::BlankNode(_)) => return None,
    })
}

/// `?s ?p ?o`.
pub fn triples() -> GraphPattern {
    let [s, p, o] = ["s", "p", "o"].map(Variable::new_unchecked);
    GraphPattern::Bgp {
        patterns: vec![TriplePattern {
            subject: s.into(),
            predicate: p.into(),
            object: o.into(),
        }],
    }
}

/// The distinct values of `?p` in `pattern`, in no particular order; `None` when there are
/// more than [`MOST_PREDICATES`].
pub fn predicates(store: &Store, pattern: &GraphPattern) -> Result<Option<Vec<NamedNode>>> {
    let query = GraphPattern::Distinct {
        inner: Box::new(GraphPattern::Project {
            inner: Box::new(pattern.clone()),
            variables: vec![Variable::new_unchecked("p")],
        }),
    };
    let mut predicates = Vec::new();
    for solution in select(store, query)? {
        if let Some(Term::NamedNode(predicate)) = solution?.get(0) {
            predicates.push(predicate.clone());
        }
        if predicates.len() > MOST_PREDICATES {
            return Ok(None);
        }
    }
    Ok(Some(predicates))
}

/// `pattern`, which binds `?p`, with `?j` bound to the place of `?p` in `predicates`: a
/// `VALUES` table hash-joined to it. `pattern` should be a projection, which the optimiser
/// does not reorder, so that the table is not taken as the start of a loop over the quads.
pub fn numbering(predicates: &[NamedNode], pattern: GraphPattern) -> GraphPattern {
    let bindings = (predicates.iter().enumerate())
        .map(|(j, predicate)| vec![Some(predicate.clone().into()), Some(number(j))])
        .collect();
    GraphPattern::Join {
        left: Box::new(GraphPattern::Values {
            variables: ["p", "j"].map(Variable::new_unchecked).to_vec(),
            bindings,
        }),
        right: Box::new(pattern),
    }
}

/// The solutions of `pattern` projected on `variables`, `?p` among them, with `?p` in
/// their place replaced by `?j`, its place in the predicates given back: `known`, or the
/// distinct values of `?p` asked first. `None` where there are more than
/// [`MOST_PREDICATES`].
pub fn read(
    store: &Store,
    pattern: GraphPattern,
    variables: &[Variable],
    known: Option<Vec<NamedNode>>,
) -> Result<Option<(QuerySolutionIter<'static>, Vec<NamedNode>)>> {
    // A projection, which the optimiser does not reorder with the numbering outside.
    let pattern = GraphPattern::Project {
        inner: Box::new(pattern),
        variables: variables.to_vec(),
    };
    let predicates = match known {
        Some(known) if known.len() <= MOST_PREDICATES => known,
        Some(_) => return Ok(None),
        None => match predicates(store, &pattern)? {
            Some(predicates) => predicates,
            None => return Ok(None),
        },
    };
    let [p, j] = ["p", "j"].map(Variable::new_unchecked);
    let variables = (variables.iter())
        .map(|v| if *v == p { j.clone() } else { v.clone() })
        .collect();
    let query = GraphPattern::Project {
        inner: Box::new(numbering(&predicates, pattern)),
        variables,
    };
    Ok(Some((select(store, query)?, predicates)))
}

/// A place in a list as a query value: an integer, which the store keeps inline.
pub fn number(place: usize) -> GroundTerm {
    GroundTerm::Literal(Literal::from(i64::try_from(place).unwrap_or(i64::MAX)))
}

/// The place that [`number`] made a value of.
pub fn place(term: Option<&Term>) -> Option<usize> {
    match term {
        Some(Term::Literal(n)) => n.value().parse().ok(),
        _ => None,
    }
}

/// The triple of a numbered read: a missing term, or a subject that is not a node, is the
/// [`unexpected`] error.
pub fn triple(
    subject: Option<Term>,
    predicate: Option<&NamedNode>,
    object: Option<Term>,
) -> Result<Triple> {
    let subject = match subject {
        Some(Term::NamedNode(node)) => NamedOrBlankNode::from(node),
        Some(Term::BlankNode(node)) => NamedOrBlankNode::from(node),
        _ => return Err(unexpected()),
    };
    match (predicate, object) {
        (Some(predicate), Some(object)) => Ok(Triple::new(subject, predicate.clone(), object)),
        _ => Err(unexpected()),
    }
}

/// The solutions of the `SELECT` query of `pattern` on `store`.
pub fn select(store: &Store, pattern: GraphPattern) -> Result<QuerySolutionIter<'static>> {
    let query = spargebra::Query::Select {
        dataset: None,
        pattern,
        base_iri: None,
    };
    super::select_query(store, query)
}

/// A solution of a numbered read that names no place in its lists, or lacks a term: the
/// store answered with a triple it does not hold.
pub fn unexpected() -> Error {
    Error::Store(StorageError::Io(std::io::Error::other(
        "the store answered a read of a graph with a triple it does not hold",
    )))
}
