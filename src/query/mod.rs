//! Running SPARQL on the graph: parsing a query (errors name the query, line and column),
//! binding its parameters as RDF terms, and evaluating it on a [`Target`], the embedded
//! store or a remote endpoint ([`crate::query::endpoint`]).
//!
//! Parameters are bound in the query's algebra, never pasted into its text: the values
//! become one row of a `VALUES` block joined at the start of the query's `WHERE` group, so
//! a value cannot change the query's structure whatever characters it holds, and the same
//! bound algebra runs locally and, serialised by spargebra, remotely.
//!
//! A query that names no dataset (`FROM`, `FROM NAMED`) sees as its default graph the union
//! of every named graph, so that a query without `GRAPH` sees the whole knowledge graph;
//! `GRAPH ?g` still tells which source said what.

use crate::base::diagnostic::closest;
use crate::base::error::{Error, Result};
use crate::query::catalogue::{Header, NamedQuery, ParamKind, Parameter};
use crate::store::KnowledgeGraph;
use oxigraph::model::{Literal, NamedNode, Term, Triple, Variable, vocab::xsd};
use oxigraph::sparql::results::QuerySolution;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;
use spargebra::{Query, SparqlParser};
use std::str::FromStr;
use std::time::Duration;

pub mod catalogue;
pub mod endpoint;
mod order;
pub mod results;
mod watchdog;

/// The complete answer of a query, held in memory so that nothing is printed when the
/// query fails or times out half-way.
#[derive(Debug)]
pub enum Answer {
    Solutions {
        variables: Vec<Variable>,
        rows: Vec<QuerySolution>,
    },
    Boolean(bool),
    Graph(Vec<Triple>),
}

/// Where a query runs.
pub trait Target {
    /// Evaluates a query, giving up after `timeout`.
    fn evaluate(&self, query: &Query, timeout: Option<Duration>) -> Result<Answer>;
}

/// The query form, for messages and for choosing output formats.
pub fn form(query: &Query) -> &'static str {
    match query {
        Query::Select { .. } => "SELECT",
        Query::Construct { .. } => "CONSTRUCT",
        Query::Describe { .. } => "DESCRIBE",
        Query::Ask { .. } => "ASK",
    }
}

/// Parses a query; a syntax error names the query, line and column.
pub fn parse(query: &NamedQuery) -> Result<Query> {
    crate::base::vocab::sparql_parser()
        .parse_query(&query.text)
        .map_err(|e| {
            if is_update(&query.text) {
                return Error::Update {
                    query: query.name.clone(),
                };
            }
            syntax_error(&query.name, &query.text, &e.to_string())
        })
}

/// Whether a text that is not a query is an update: it parses as one, or its first
/// keyword after the prologue is an update's.
fn is_update(text: &str) -> bool {
    if crate::base::vocab::sparql_parser()
        .parse_update(text)
        .is_ok()
    {
        return true;
    }
    const UPDATES: [&str; 10] = [
        "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
    ];
    let mut words = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .flat_map(str::split_whitespace);
    while let Some(word) = words.next() {
        let upper = word.to_ascii_uppercase();
        match upper.as_str() {
            // PREFIX name: <iri> and BASE <iri>
            "PREFIX" => {
                words.next();
                words.next();
            }
            "BASE" => {
                words.next();
            }
            _ => {
                return UPDATES
                    .iter()
                    .any(|u| upper == *u || upper.starts_with(&format!("{u}{{")));
            }
        }
    }
    false
}

/// spargebra reports `error at LINE:COLUMN: message`; this keeps the position apart so that
/// the message reads like the data diagnostics, `name:line:column: ...`.
fn syntax_error(name: &str, text: &str, message: &str) -> Error {
    let position = message.strip_prefix("error at ").and_then(|rest| {
        let (position, message) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        Some((line.parse().ok()?, column.parse().ok()?, message.to_owned()))
    });
    match position {
        Some((line, column, message)) => {
            let (line, column) = last_token_before(text, line, column);
            Error::QuerySyntax {
                query: name.to_owned(),
                line,
                column,
                message,
            }
        }
        None => Error::QuerySyntax {
            query: name.to_owned(),
            line: 1,
            column: 1,
            message: message.to_owned(),
        },
    }
}

/// The parser reports the furthest point it reached, which after a missing token is often
/// the next line or the end of the text: step back over white space to the last character
/// written, where a person would look.
fn last_token_before(text: &str, line: usize, column: usize) -> (usize, usize) {
    let mut offset = 0;
    for (index, text_line) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            offset += text_line
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(text_line.len(), |(i, _)| i);
            break;
        }
        offset += text_line.len();
    }
    let offset = offset.min(text.len());
    let at_blank = text[offset..]
        .chars()
        .next()
        .is_none_or(char::is_whitespace);
    if !at_blank {
        return (line, column);
    }
    match text[..offset].trim_end().char_indices().last() {
        Some((last, _)) => {
            let position = crate::base::diagnostic::Position::of_offset(text, last);
            (position.line, position.column)
        }
        None => (line, column),
    }
}

/// Binds the parameters a query's header declares: `given` values (name, text) or the
/// defaults, each checked against its kind and, for entities, against the graph.
pub fn bind(
    query: Query,
    named: &NamedQuery,
    given: &[(String, String)],
    target: &dyn Target,
) -> Result<Query> {
    let header = &named.header;
    for (name, _) in given {
        if header.parameter(name).is_none() {
            return Err(Error::Usage(format!(
                "{}: unknown parameter \"{name}\"; {}",
                named.name,
                valid_parameters(header)
            )));
        }
    }
    let mut variables = Vec::new();
    let mut row = Vec::new();
    for parameter in &header.parameters {
        let value = given
            .iter()
            .rev()
            .find(|(name, _)| *name == parameter.name)
            .map(|(_, value)| value.as_str())
            .or(parameter.default.as_deref())
            .ok_or_else(|| Error::MissingParameter {
                query: named.name.clone(),
                name: parameter.name.clone(),
                kind: parameter.kind.to_string(),
            })?;
        let term = resolve(parameter, value, target).map_err(|refusal| match refusal {
            Refusal::Invalid(reason) => Error::Parameter {
                query: named.name.clone(),
                name: parameter.name.clone(),
                value: value.to_owned(),
                reason,
            },
            // The value could not be checked: the target's error, with what was checked.
            Refusal::Target(error) => Error::ParameterCheck {
                query: named.name.clone(),
                name: parameter.name.clone(),
                value: value.to_owned(),
                source: Box::new(error),
            },
        })?;
        variables.push(Variable::new_unchecked(parameter.name.clone()));
        row.push(Some(term));
    }
    if variables.is_empty() {
        return Ok(query);
    }
    let bound = with_values(query, variables, row);
    // A query that assigns a parameter itself (BIND, a SELECT expression) cannot take it as
    // a value; the text an endpoint would get says so when parsed again.
    SparqlParser::new()
        .parse_query(&bound.to_string())
        .map_err(|_| {
            Error::Usage(format!(
                "{}: the query assigns one of its parameters itself (with BIND or AS), so it cannot be given as a value; rename the parameter or the assigned variable",
                named.name
            ))
        })?;
    Ok(bound)
}

fn valid_parameters(header: &Header) -> String {
    if header.parameters.is_empty() {
        return "this query takes no parameters".to_owned();
    }
    let list: Vec<String> = header
        .parameters
        .iter()
        .map(|p| format!("{} (kind: {})", p.name, p.kind))
        .collect();
    format!("its parameters are {}", list.join(", "))
}

/// Why a parameter's value was not bound.
enum Refusal {
    /// The value is not a term of the parameter's kind, or names nothing in the graph.
    Invalid(String),
    /// The target failed while the value was checked against it.
    Target(Error),
}

impl From<String> for Refusal {
    fn from(reason: String) -> Self {
        Self::Invalid(reason)
    }
}

/// The RDF term a parameter value stands for, or why it is not one.
fn resolve(
    parameter: &Parameter,
    value: &str,
    target: &dyn Target,
) -> std::result::Result<GroundTerm, Refusal> {
    let kind = parameter.kind;
    match kind {
        ParamKind::String => Ok(Literal::new_simple_literal(value).into()),
        ParamKind::Date => oxsdatatypes::Date::from_str(value)
            .map(|date| Literal::new_typed_literal(date.to_string(), xsd::DATE).into())
            .map_err(|e| format!("not a date ({e}); write it as YYYY-MM-DD").into()),
        ParamKind::Integer => oxsdatatypes::Integer::from_str(value)
            .map(|n| Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into())
            .map_err(|_| "not an integer".to_owned().into()),
        ParamKind::Iri => NamedNode::new(value)
            .map(Into::into)
            .map_err(|e| format!("not an absolute IRI ({e})").into()),
        ParamKind::Entity(_) | ParamKind::Concept(_) | ParamKind::AnyEntity => {
            let namespace = kind.namespace().expect("entity kinds have a namespace");
            resolve_entity(kind, &namespace, value, target).map(Into::into)
        }
    }
}

/// A slug (or `kind/slug` for any entity) resolved against the kind's namespace, or a full
/// IRI in it; either way it must name something the graph has statements about.
fn resolve_entity(
    kind: ParamKind,
    namespace: &str,
    value: &str,
    target: &dyn Target,
) -> std::result::Result<NamedNode, Refusal> {
    let slug = if value.contains("://") {
        value.strip_prefix(namespace).ok_or_else(|| {
            format!("not a {kind} IRI: {kind} IRIs start with {namespace} (or give the slug alone)")
        })?
    } else {
        value
    };
    let segments_ok = !slug.is_empty()
        && slug.split('/').all(|segment| {
            !segment.is_empty()
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if !segments_ok {
        let form = if kind == ParamKind::AnyEntity {
            "KIND/SLUG such as org/unicef"
        } else {
            "a slug such as disrupting-harm"
        };
        return Err(format!("not a {kind}: give {form}, or a full IRI").into());
    }
    let iri = NamedNode::new(format!("{namespace}{slug}")).map_err(|e| e.to_string())?;
    if is_subject(&iri, target).map_err(Refusal::Target)? {
        return Ok(iri);
    }
    // Only a miss pays for listing every subject of the kind, to suggest one.
    let known = subjects_under(namespace, target).map_err(Refusal::Target)?;
    let hint = match closest(slug, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean \"{near}\"?"),
        None => format!(
            "known: {}",
            known
                .iter()
                .filter(|s| kind == ParamKind::AnyEntity || !s.contains('/'))
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(format!("no {kind} \"{slug}\" in the graph; {hint}").into())
}

/// Whether a named graph has statements about `iri` (one index lookup).
fn is_subject(iri: &NamedNode, target: &dyn Target) -> Result<bool> {
    let answer = evaluate_with(
        "ASK { GRAPH ?g { ?s ?p ?o } }",
        "s",
        iri.clone().into(),
        target,
    )?;
    Ok(matches!(answer, Answer::Boolean(true)))
}

/// A fixed query of ours with one variable bound, on the target.
fn evaluate_with(
    text: &str,
    variable: &str,
    value: GroundTerm,
    target: &dyn Target,
) -> Result<Answer> {
    let query = SparqlParser::new()
        .parse_query(text)
        .map_err(Error::Sparql)?;
    let query = with_values(
        query,
        vec![Variable::new_unchecked(variable)],
        vec![Some(value)],
    );
    target.evaluate(&query, None)
}

/// The local names of every subject under `namespace`, sorted.
fn subjects_under(namespace: &str, target: &dyn Target) -> Result<Vec<String>> {
    let answer = evaluate_with(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), ?namespace)) }",
        "namespace",
        Literal::new_simple_literal(namespace).into(),
        target,
    )?;
    let Answer::Solutions { rows, .. } = answer else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = rows
        .iter()
        .filter_map(|row| match row.get("s") {
            Some(Term::NamedNode(node)) => node.as_str().strip_prefix(namespace).map(str::to_owned),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Joins one row of `VALUES` at the start of the query's `WHERE` group: below the solution
/// modifiers, grouping and the group's filters, and on the left of its optional parts, so
/// that the values are in scope wherever the group's own variables are.
pub fn with_values(query: Query, variables: Vec<Variable>, row: Vec<Option<GroundTerm>>) -> Query {
    let values = GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    match query {
        Query::Select {
            dataset,
            pattern,
            base_iri,
        } => Query::Select {
            dataset,
            pattern: join_values(pattern, values),
            base_iri,
        },
        Query::Construct {
            template,
            dataset,
            pattern,
            base_iri,
        } => Query::Construct {
            template,
            dataset,
            pattern: join_values(pattern, values),
            base_iri,
        },
        Query::Describe {
            dataset,
            pattern,
            base_iri,
        } => Query::Describe {
            dataset,
            pattern: join_values(pattern, values),
            base_iri,
        },
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => Query::Ask {
            dataset,
            pattern: join_values(pattern, values),
            base_iri,
        },
    }
}

fn join_values(pattern: GraphPattern, values: GraphPattern) -> GraphPattern {
    let descend = |inner: Box<GraphPattern>| Box::new(join_values(*inner, values.clone()));
    match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: descend(inner),
            start,
            length,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct {
            inner: descend(inner),
        },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced {
            inner: descend(inner),
        },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: descend(inner),
            variables,
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: descend(inner),
            expression,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: descend(inner),
            variables,
            aggregates,
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: descend(inner),
            variable,
            expression,
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr,
            inner: descend(inner),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: descend(left),
            right,
            expression,
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: descend(left),
            right,
        },
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: descend(left),
            right,
        },
        other => GraphPattern::Join {
            left: Box::new(values),
            right: Box::new(other),
        },
    }
}

/// The embedded store as a query target.
pub struct Local<'a>(pub &'a KnowledgeGraph);

impl Target for Local<'_> {
    fn evaluate(&self, query: &Query, timeout: Option<Duration>) -> Result<Answer> {
        // The evaluator's ORDER BY comparison is not a total order when literals of kinds
        // SPARQL cannot compare sort together (dates, gYears, numbers), and Rust's sort
        // panics on that: the top ORDER BY of a SELECT is done here instead (see `order`).
        let Some((unordered, modifiers)) = order::split(query) else {
            return self.evaluate_as_given(query, timeout);
        };
        match self.evaluate_as_given(&unordered, timeout)? {
            Answer::Solutions { rows, .. } => Ok(modifiers.apply(rows)),
            other => Ok(other),
        }
    }
}

impl Local<'_> {
    fn evaluate_as_given(&self, query: &Query, timeout: Option<Duration>) -> Result<Answer> {
        // A panic of the evaluator (an ORDER BY inside a subquery can still meet the
        // comparison above) is an error, not the end of the program.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.evaluate_on_store(query, timeout)
        }))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::EvaluatorFault { message })
        })
    }

    fn evaluate_on_store(&self, query: &Query, timeout: Option<Duration>) -> Result<Answer> {
        let token = CancellationToken::new();
        // SERVICE calls stay off: the `http-client` feature that rudof turns on in Oxigraph
        // would otherwise let a query make HTTP requests from the local evaluator.
        let mut prepared = SparqlEvaluator::new()
            .without_default_http_service_handler()
            .with_cancellation_token(token.clone())
            .for_query(query.clone());
        if !has_dataset(query) {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        // The watchdog cancels the evaluation when the time is up, unless the evaluation
        // ends first and drops the guard.
        let _watched = timeout.map(|limit| watchdog::watch(token.clone(), limit));
        let evaluation_error = |e: QueryEvaluationError| match e {
            QueryEvaluationError::Cancelled => Error::Timeout {
                seconds: timeout.map_or(0.0, |t| t.as_secs_f64()),
            },
            other => Error::Evaluation(other),
        };
        Ok(
            match prepared
                .on_store(self.0.store())
                .execute()
                .map_err(evaluation_error)?
            {
                QueryResults::Solutions(solutions) => Answer::Solutions {
                    variables: solutions.variables().to_vec(),
                    rows: solutions
                        .collect::<Result<_, _>>()
                        .map_err(evaluation_error)?,
                },
                QueryResults::Boolean(value) => Answer::Boolean(value),
                QueryResults::Graph(triples) => Answer::Graph(
                    triples
                        .collect::<Result<_, _>>()
                        .map_err(evaluation_error)?,
                ),
            },
        )
    }
}

/// Whether the query names its own dataset with `FROM` or `FROM NAMED`.
pub fn has_dataset(query: &Query) -> bool {
    match query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(text: &str, value: &str) -> String {
        let query = SparqlParser::new().parse_query(text).unwrap();
        with_values(
            query,
            vec![Variable::new_unchecked("x")],
            vec![Some(Literal::new_simple_literal(value).into())],
        )
        .to_string()
    }

    #[test]
    fn values_go_below_modifiers_and_into_the_group() {
        let text = bound(
            "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?x OPTIONAL { ?s ?q ?x } FILTER(?x != 1) } GROUP BY ?s ORDER BY ?s LIMIT 3",
            "v",
        );
        let values = text.find("VALUES").expect("a VALUES block");
        assert!(values < text.find("OPTIONAL").unwrap(), "{text}");
        assert!(text.contains("LIMIT 3"), "{text}");
    }

    #[test]
    fn hostile_values_stay_one_literal() {
        let hostile = "x\" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'\\";
        let text = bound("SELECT * WHERE { ?s ?p ?x }", hostile);
        let reparsed = SparqlParser::new().parse_query(&text).unwrap();
        let Query::Select { pattern, .. } = &reparsed else {
            panic!("still a SELECT: {text}")
        };
        let rendered = format!("{pattern:?}");
        assert_eq!(rendered.matches("Bgp").count(), 1, "{rendered}");
        assert!(rendered.contains("DROP ALL"), "the value is kept whole");
    }

    /// A target that fails every query, as an endpoint that went away.
    struct Down;

    impl Target for Down {
        fn evaluate(&self, _: &Query, _: Option<Duration>) -> Result<Answer> {
            Err(Error::Endpoint {
                url: "http://127.0.0.1:9/query".into(),
                message: "connection refused".into(),
                advice: None,
                source: Some(Box::new(std::io::Error::from(
                    std::io::ErrorKind::ConnectionRefused,
                ))),
            })
        }
    }

    #[test]
    fn a_parameter_that_cannot_be_checked_keeps_the_targets_error() {
        let named = NamedQuery::new(
            "q",
            "# title: t\n# param: project (project): a project\nSELECT * WHERE { ?project ?p ?o }\n",
        )
        .unwrap();
        let query = parse(&named).unwrap();
        let given = [("project".to_owned(), "disrupting-harm".to_owned())];
        let error = bind(query, &named, &given, &Down).unwrap_err();
        assert_eq!(error.to_string(), "q: parameter project=disrupting-harm");
        let cause = std::error::Error::source(&error).expect("the target's error");
        let cause = cause.downcast_ref::<Box<Error>>().expect("a library error");
        assert!(matches!(**cause, Error::Endpoint { .. }), "{cause:?}");
        assert_eq!(
            crate::base::error::chain(&error),
            "q: parameter project=disrupting-harm: endpoint http://127.0.0.1:9/query: connection refused"
        );
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        let text = "SELECT *\nWHERE { ?s ?p }\n";
        let error = syntax_error("q", text, "error at 3:1: expected OPTIONAL");
        assert_eq!(error.to_string(), "q:2:15: syntax error: expected OPTIONAL");
    }
}
