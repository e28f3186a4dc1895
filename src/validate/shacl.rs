//! SHACL validation with rudof's `shacl` crate, the maintained Rust implementation of
//! SHACL Core: the shapes graph is compiled once, each data graph is validated by its native
//! in-memory engine, and its validation results (focus node, path, value, source shape,
//! constraint component, severity) come back as tipkg's [`ValidationResult`]s.
//!
//! What rudof does not give the reports is read here from the shapes graph: each shape's
//! message, label and targets, so that a finding names what kind of entity it is about and
//! which node shape selected it.

use super::graph::Lookup;
use crate::base::error::{Error, Result};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    BlankNode, Graph, Literal, LiteralRef, NamedNode, NamedOrBlankNode, Term, TermRef, Triple,
    TripleRef,
};
use prefixmap::PrefixMap;
use prefixmap::error::PrefixMapError;
use rudof_iri::IriS;
use rudof_rdf::rdf_core::term::Object;
use rudof_rdf::rdf_core::{Matcher, NeighsRDF, Rdf, SHACLPath};
use rudof_rdf::rdf_impl::OxigraphInMemory;
use shacl::ir::IRSchema;
use shacl::rdf::ShaclParser;
use shacl::validator::engine::{Engine, NativeEngine};
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::{ShaclConfig, ShaclValidationMode};
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::fmt::Debug;
use std::sync::Arc;

/// The SHACL namespace.
pub const SH: &str = "http://www.w3.org/ns/shacl#";

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

/// How serious a result is: `sh:Info` < `sh:Warning` < `sh:Violation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Violation,
}

impl Severity {
    pub fn iri(self) -> NamedNode {
        sh(match self {
            Self::Info => "Info",
            Self::Warning => "Warning",
            Self::Violation => "Violation",
        })
    }

    /// The lower-case word reports use.
    pub fn word(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Violation => "violation",
        }
    }

    /// SHACL allows any IRI as a severity: `sh:Trace` and `sh:Debug` (rudof's) count as
    /// info, any other IRI as a violation, so that an unknown severity never hides a
    /// problem.
    fn of(severity: &shacl::types::Severity) -> Self {
        use shacl::types::Severity as S;
        match severity {
            S::Trace | S::Debug | S::Info => Self::Info,
            S::Warning => Self::Warning,
            S::Violation | S::Generic(_) => Self::Violation,
        }
    }
}

/// The path of a result: a predicate, its inverse, or any other SHACL path (a sequence,
/// alternatives, repetitions), which reports show in SPARQL property-path syntax.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Path {
    Predicate(NamedNode),
    Inverse(NamedNode),
    Other {
        /// SPARQL property-path syntax with full IRIs, for text and JSON.
        sparql: String,
        /// The SHACL path as a Turtle term, for the Turtle report.
        turtle: String,
    },
}

impl Path {
    fn of(path: &SHACLPath) -> Self {
        match path {
            SHACLPath::Predicate { pred } => Self::Predicate(iri(pred.as_str())),
            SHACLPath::Inverse { path } => match path.as_ref() {
                SHACLPath::Predicate { pred } => Self::Inverse(iri(pred.as_str())),
                _ => Self::other(path),
            },
            _ => Self::other(path),
        }
    }

    fn other(path: &SHACLPath) -> Self {
        Self::Other {
            sparql: sparql_path(path),
            turtle: turtle_path(path),
        }
    }
}

fn iri(text: &str) -> NamedNode {
    NamedNode::new_unchecked(text)
}

fn sparql_path(path: &SHACLPath) -> String {
    let join = |paths: &[SHACLPath], separator: &str| {
        let parts: Vec<String> = paths.iter().map(sparql_path).collect();
        format!("({})", parts.join(separator))
    };
    match path {
        SHACLPath::Predicate { pred } => format!("<{}>", pred.as_str()),
        SHACLPath::Alternative { paths } => join(paths, "|"),
        SHACLPath::Sequence { paths } => join(paths, "/"),
        SHACLPath::Inverse { path } => format!("^{}", sparql_path(path)),
        SHACLPath::ZeroOrMore { path } => format!("{}*", sparql_path(path)),
        SHACLPath::OneOrMore { path } => format!("{}+", sparql_path(path)),
        SHACLPath::ZeroOrOne { path } => format!("{}?", sparql_path(path)),
    }
}

fn turtle_path(path: &SHACLPath) -> String {
    let list = |paths: &[SHACLPath]| {
        let parts: Vec<String> = paths.iter().map(turtle_path).collect();
        format!("( {} )", parts.join(" "))
    };
    let wrap = |predicate: &str, inner: &SHACLPath| {
        format!("[ <{SH}{predicate}> {} ]", turtle_path(inner))
    };
    match path {
        SHACLPath::Predicate { pred } => format!("<{}>", pred.as_str()),
        SHACLPath::Alternative { paths } => format!("[ <{SH}alternativePath> {} ]", list(paths)),
        SHACLPath::Sequence { paths } => list(paths),
        SHACLPath::Inverse { path } => wrap("inversePath", path),
        SHACLPath::ZeroOrMore { path } => wrap("zeroOrMorePath", path),
        SHACLPath::OneOrMore { path } => wrap("oneOrMorePath", path),
        SHACLPath::ZeroOrOne { path } => wrap("zeroOrOnePath", path),
    }
}

/// A target of a shape, as far as the reports need it: to say which node shape selected a
/// focus node and what kind of entity that is.
#[derive(Debug, Clone)]
enum Target {
    Class(NamedNode),
    Node(Term),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

/// What the reports need of a node or property shape; rudof holds the constraints.
#[derive(Debug, Clone)]
pub struct Shape {
    pub id: NamedOrBlankNode,
    targets: Vec<Target>,
    /// `sh:message` values, in the shapes graph's order of languages (English first).
    pub messages: Vec<Literal>,
    /// `rdfs:label` of the shape, in English when there is one: what a node shape checks.
    pub label: Option<String>,
    /// The property shapes it holds (`sh:property`).
    properties: Vec<usize>,
}

/// One validation result, as the SHACL recommendation defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    pub focus: Term,
    pub path: Option<Path>,
    pub value: Option<Term>,
    pub component: NamedNode,
    /// Index of the source shape in [`Shapes::shape`].
    pub shape: usize,
    /// Index of the shape with a target that selected the focus node (the node shape that
    /// holds the source shape), for grouping and naming the kind of entity.
    pub root: usize,
    pub severity: Severity,
}

/// A shapes graph compiled by rudof, and what the reports need of its shapes.
#[derive(Debug)]
pub struct Shapes {
    schema: IRSchema,
    shapes: Vec<Shape>,
    index: HashMap<NamedOrBlankNode, usize>,
}

impl Shapes {
    /// Compiles a shapes graph; any error rudof finds in it (an unknown parameter value, a
    /// property shape without a path, a malformed list…) is reported with the graph's name.
    pub fn parse(graph: &Graph, name: &str) -> Result<Self> {
        let ast = ShaclParser::new(rudof_graph(graph))
            .parse()
            .map_err(|e| Error::Shapes {
                context: name.to_owned(),
                source: Some(e.into()),
            })?;
        let schema = IRSchema::compile(&ast).map_err(|e| Error::Shapes {
            context: name.to_owned(),
            source: Some(e.into()),
        })?;
        let mut shapes = Self {
            schema,
            shapes: Vec::new(),
            index: HashMap::new(),
        };
        // Every node that has a SHACL parameter, and every declared shape: a result's
        // source shape is one of them.
        let mut ids: Vec<NamedOrBlankNode> = graph
            .iter()
            .filter(|t| {
                t.predicate.as_str().starts_with(SH)
                    || (t.predicate == rdf::TYPE
                        && matches!(t.object, TermRef::NamedNode(c)
                            if c.as_str() == format!("{SH}NodeShape")
                                || c.as_str() == format!("{SH}PropertyShape")))
            })
            .map(|t| t.subject.into_owned())
            .collect();
        ids.sort_by_cached_key(ToString::to_string);
        ids.dedup();
        for id in ids {
            shapes.index.insert(id.clone(), shapes.shapes.len());
            shapes.shapes.push(read_shape(graph, id));
        }
        for i in 0..shapes.shapes.len() {
            let id = shapes.shapes[i].id.clone();
            let properties: Vec<usize> = graph
                .objects_for_subject_predicate(&id, &sh("property"))
                .filter_map(|t| shapes.index_of_term(&t.into_owned()))
                .collect();
            shapes.shapes[i].properties = properties;
        }
        Ok(shapes)
    }

    fn index_of_term(&self, term: &Term) -> Option<usize> {
        let node: NamedOrBlankNode = match term {
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            _ => return None,
        };
        self.index.get(&node).copied()
    }

    pub fn shape(&self, index: usize) -> &Shape {
        &self.shapes[index]
    }

    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// What kind of entity a node is: the label of the first shape (in the shapes graph's
    /// order) whose target class the node is an instance of.
    pub fn kind_of(&self, data: &dyn Lookup, node: &Term) -> Option<String> {
        self.shapes.iter().find_map(|shape| {
            let label = shape.label.as_ref()?;
            shape
                .targets
                .iter()
                .any(|t| matches!(t, Target::Class(c) if is_instance(data, node, c)))
                .then(|| label.clone())
        })
    }

    /// Validates a data graph with rudof's native engine: every focus node of every shape
    /// with a target.
    pub fn validate<G: Lookup + Debug + 'static>(
        &self,
        data: &Arc<G>,
    ) -> Result<Vec<ValidationResult>> {
        let mode = ShaclValidationMode::Native;
        let config = ShaclConfig::default();
        // rudof reads the data graph itself, shared, unless a literal must be handed to it
        // in another form (see [`for_rudof`]): then it reads a copy.
        let report = if data.iter().all(|t| is_as_rudof_reads_it(t.object)) {
            Shared(Arc::clone(data)).validate(&self.schema, &mode, &config)
        } else {
            GraphValidation::new(rudof_graph(&**data).into()).validate(&self.schema, &mode, &config)
        }
        .map_err(|e| Error::Shapes {
            context: "validation failed".into(),
            source: Some(e.into()),
        })?;
        let mut results = Vec::new();
        for r in report.results() {
            let source = r
                .source()
                .and_then(|s| self.index_of_term(&Term::from(s.clone())));
            let Some(shape) = source else {
                return Err(Error::Shapes {
                    context: format!(
                        "validation result from a shape that is not in the shapes graph: {r}"
                    ),
                    source: None,
                });
            };
            let focus = Term::from(r.focus_node().clone());
            let path = r.path().map(Path::of);
            let value = r
                .value()
                .map(|v| original_value(&**data, &focus, path.as_ref(), Term::from(v.clone())));
            let Object::Iri(component) = r.constraint_component() else {
                return Err(Error::Shapes {
                    context: format!("validation result without a constraint component IRI: {r}"),
                    source: None,
                });
            };
            results.push(ValidationResult {
                root: self.root_of(shape, &**data, &focus),
                focus,
                path,
                value,
                component: iri(component.as_str()),
                shape,
                severity: Severity::of(r.severity()),
            });
        }
        results.sort_by_cached_key(|r| r.sort_key());
        results.dedup();
        Ok(results)
    }

    /// The shape with a target that selected `focus` for the source shape: the shape itself
    /// when it has targets, else the first node shape that holds it and targets the node.
    fn root_of(&self, shape: usize, data: &dyn Lookup, focus: &Term) -> usize {
        if !self.shapes[shape].targets.is_empty() {
            return shape;
        }
        let holders = || {
            self.shapes
                .iter()
                .enumerate()
                .filter(|(_, s)| s.properties.contains(&shape))
        };
        holders()
            .find(|(_, s)| s.targets.iter().any(|t| targets(data, t, focus)))
            .or_else(|| holders().next())
            .map_or(shape, |(i, _)| i)
    }
}

/// The shape's metadata, from the shapes graph.
fn read_shape(graph: &Graph, id: NamedOrBlankNode) -> Shape {
    let objects = |local: &str| -> Vec<Term> {
        graph
            .objects_for_subject_predicate(&id, &sh(local))
            .map(TermRef::into_owned)
            .collect()
    };
    let iris = |local: &str| -> Vec<NamedNode> {
        objects(local)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
            .collect()
    };
    let mut targets: Vec<Target> = iris("targetClass").into_iter().map(Target::Class).collect();
    targets.extend(objects("targetNode").into_iter().map(Target::Node));
    targets.extend(iris("targetSubjectsOf").into_iter().map(Target::SubjectsOf));
    targets.extend(iris("targetObjectsOf").into_iter().map(Target::ObjectsOf));
    let mut messages: Vec<Literal> = objects("message")
        .into_iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some(l),
            _ => None,
        })
        .collect();
    messages.sort_by_key(|l| (l.language() != Some("en"), l.language().map(str::to_owned)));
    let label = best_text(
        graph
            .objects_for_subject_predicate(&id, rdfs::LABEL)
            .filter_map(|t| match t {
                TermRef::Literal(l) => Some(l),
                _ => None,
            }),
    );
    Shape {
        id,
        targets,
        messages,
        label,
        properties: Vec::new(),
    }
}

/// The data graph as rudof's native engine reads it: the same graph, shared, so that
/// validating does not copy the graph into rudof's own in-memory type (which holds an
/// `oxrdf::Graph`, but cannot be made from one without a copy).
#[derive(Debug)]
struct Shared<G>(Arc<G>);

impl<G> Clone for Shared<G> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<G: Lookup + Debug> Rdf for Shared<G> {
    type IRI = NamedNode;
    type BNode = BlankNode;
    type Literal = Literal;
    type Subject = NamedOrBlankNode;
    type Term = Term;
    type Triple = Triple;
    type Err = Infallible;

    fn qualify_iri(&self, iri: &NamedNode) -> String {
        iri.to_string()
    }

    fn qualify_subject(&self, subject: &NamedOrBlankNode) -> String {
        subject.to_string()
    }

    fn qualify_term(&self, term: &Term) -> String {
        term.to_string()
    }

    fn prefixmap(&self) -> Option<PrefixMap> {
        None
    }

    fn resolve_prefix_local(&self, prefix: &str, local: &str) -> Result<IriS, PrefixMapError> {
        PrefixMap::new().resolve_prefix_local(prefix, local)
    }
}

impl<G: Lookup + Debug> NeighsRDF for Shared<G> {
    fn triples(&self) -> std::result::Result<impl Iterator<Item = Triple>, Infallible> {
        Ok(self.0.iter().map(TripleRef::into_owned))
    }

    /// The triples that match, from the graph's tightest index for what is bound.
    fn triples_matching<S, P, O>(
        &self,
        subject: &S,
        predicate: &P,
        object: &O,
    ) -> std::result::Result<impl Iterator<Item = Triple> + '_, Infallible>
    where
        S: Matcher<NamedOrBlankNode>,
        P: Matcher<NamedNode>,
        O: Matcher<Term>,
    {
        let graph = &*self.0;
        let (s, p, o) = (subject.value(), predicate.value(), object.value());
        let found: Box<dyn Iterator<Item = Triple> + '_> = match (s, p, o) {
            (Some(s), Some(p), Some(o)) => {
                let t = TripleRef::new(s, p, o);
                Box::new(graph.contains(t).then(|| t.into_owned()).into_iter())
            }
            (Some(s), Some(p), None) => {
                let (s, p) = (s.clone(), p.clone());
                Box::new(
                    graph
                        .objects_for_subject_predicate(s.as_ref(), p.as_ref())
                        .map(|o| Triple::new(s.clone(), p.clone(), o.into_owned()))
                        .collect::<Vec<_>>()
                        .into_iter(),
                )
            }
            (Some(s), None, o) => {
                let o = o.cloned();
                Box::new(
                    graph
                        .triples_for_subject(s.as_ref())
                        .filter(move |t| o.as_ref().is_none_or(|o| t.object == o.as_ref()))
                        .map(TripleRef::into_owned),
                )
            }
            (None, Some(p), Some(o)) => {
                let (p, o) = (p.clone(), o.clone());
                Box::new(
                    graph
                        .subjects_for_predicate_object(p.as_ref(), o.as_ref())
                        .map(|s| Triple::new(s.into_owned(), p.clone(), o.clone()))
                        .collect::<Vec<_>>()
                        .into_iter(),
                )
            }
            (None, Some(p), None) => Box::new(
                graph
                    .triples_for_predicate(p.as_ref())
                    .map(TripleRef::into_owned),
            ),
            (None, None, Some(o)) => Box::new(
                graph
                    .triples_for_object(o.as_ref())
                    .map(TripleRef::into_owned),
            ),
            (None, None, None) => Box::new(graph.iter().map(TripleRef::into_owned)),
        };
        Ok(found)
    }
}

impl<G: Lookup + Debug + 'static> ShaclProcessor<Shared<G>> for Shared<G> {
    fn store(&self) -> &Shared<G> {
        self
    }

    fn runner(_: &ShaclValidationMode, config: &ShaclConfig) -> Box<dyn Engine<Shared<G>>> {
        Box::new(NativeEngine::new(config.recursion_semantics()))
    }
}

/// Whether rudof reads this term of the data as it is: all but the ill-formed literals
/// [`for_rudof`] hands over in another form.
fn is_as_rudof_reads_it(term: TermRef<'_>) -> bool {
    match term {
        TermRef::Literal(literal) => is_well_formed(literal),
        _ => true,
    }
}

/// The same triples in rudof's in-memory graph (both are Oxigraph's `oxrdf`, so the terms,
/// blank node labels included, are carried over as they are), but ill-formed literals of
/// the datatypes rudof does not check (see [`for_rudof`]).
fn rudof_graph(graph: &dyn Lookup) -> OxigraphInMemory {
    let mut rudof = OxigraphInMemory::new();
    for t in graph.iter() {
        let object = for_rudof(t.object);
        // Adding to an in-memory graph does not fail.
        let _ = rudof.add_triple_ref(t.subject, t.predicate, &object);
    }
    rudof
}

/// The datatype an ill-formed literal is given for rudof, followed by its own datatype.
const ILL_FORMED: &str = "urn:x-tipkg:ill-formed:";

/// rudof checks the lexical form of numbers, booleans and `xsd:dateTime` literals for
/// `sh:datatype`, not of the other XSD date and time types, so "2023-02-30"^^xsd:date would
/// pass `sh:datatype xsd:date` where SHACL (and pySHACL) say it fails. Such a literal is
/// handed to rudof with a datatype of its own, which fails `sh:datatype xsd:date` as it
/// should; [`original_value`] gives the data's literal back in the results.
fn for_rudof(term: TermRef<'_>) -> Term {
    match term {
        TermRef::Literal(literal) if !is_well_formed(literal) => Literal::new_typed_literal(
            literal.value(),
            iri(&format!("{ILL_FORMED}{}", literal.datatype().as_str())),
        )
        .into(),
        _ => term.into_owned(),
    }
}

/// Whether a literal of the XSD date, time and duration types that rudof does not check
/// is well formed; other literals are taken as they are.
fn is_well_formed(literal: LiteralRef<'_>) -> bool {
    use oxsdatatypes::{
        Date, DayTimeDuration, Duration, GDay, GMonth, GMonthDay, GYear, GYearMonth, Time,
        YearMonthDuration,
    };
    use std::str::FromStr;
    let (value, datatype) = (literal.value(), literal.datatype());
    match datatype {
        d if d == xsd::DATE => Date::from_str(value).is_ok(),
        d if d == xsd::TIME => Time::from_str(value).is_ok(),
        d if d == xsd::G_YEAR => GYear::from_str(value).is_ok(),
        d if d == xsd::G_YEAR_MONTH => GYearMonth::from_str(value).is_ok(),
        d if d == xsd::G_MONTH => GMonth::from_str(value).is_ok(),
        d if d == xsd::G_MONTH_DAY => GMonthDay::from_str(value).is_ok(),
        d if d == xsd::G_DAY => GDay::from_str(value).is_ok(),
        d if d == xsd::DURATION => Duration::from_str(value).is_ok(),
        d if d == xsd::DAY_TIME_DURATION => DayTimeDuration::from_str(value).is_ok(),
        d if d == xsd::YEAR_MONTH_DURATION => YearMonthDuration::from_str(value).is_ok(),
        _ => true,
    }
}

/// The value node as the data graph spells it: rudof gives booleans and date-times back in
/// canonical form, and ill-formed literals as [`for_rudof`] passed them, while reports and
/// the records' lookup need the literal of the data.
fn original_value(data: &dyn Lookup, focus: &Term, path: Option<&Path>, value: Term) -> Term {
    if !matches!(value, Term::Literal(_)) {
        return value;
    }
    let candidates: Vec<Term> = match (focus, path) {
        (Term::NamedNode(f), Some(Path::Predicate(p))) => data
            .objects_for_subject_predicate(f.as_ref().into(), p.as_ref())
            .map(TermRef::into_owned)
            .collect(),
        (Term::BlankNode(f), Some(Path::Predicate(p))) => data
            .objects_for_subject_predicate(f.as_ref().into(), p.as_ref())
            .map(TermRef::into_owned)
            .collect(),
        (_, None) => vec![focus.clone()],
        _ => Vec::new(),
    };
    if candidates.contains(&value) {
        return value;
    }
    candidates
        .into_iter()
        .find(|c| Object::try_from(for_rudof(c.as_ref())).is_ok_and(|o| Term::from(o) == value))
        .unwrap_or(value)
}

/// Whether a target selects a node.
fn targets(data: &dyn Lookup, target: &Target, node: &Term) -> bool {
    match target {
        Target::Class(c) => is_instance(data, node, c),
        Target::Node(n) => n == node,
        Target::SubjectsOf(p) => match node {
            Term::NamedNode(n) => (data
                .objects_for_subject_predicate(n.as_ref().into(), p.as_ref()))
            .next()
            .is_some(),
            Term::BlankNode(b) => (data
                .objects_for_subject_predicate(b.as_ref().into(), p.as_ref()))
            .next()
            .is_some(),
            _ => false,
        },
        Target::ObjectsOf(p) => (data.subjects_for_predicate_object(p.as_ref(), node.as_ref()))
            .next()
            .is_some(),
    }
}

/// Whether `node` is a SHACL instance of `class`: one of its types is the class or a
/// subclass of it (`rdf:type/rdfs:subClassOf*` in the data graph).
fn is_instance(data: &dyn Lookup, node: &Term, class: &NamedNode) -> bool {
    let subject: NamedOrBlankNode = match node {
        Term::NamedNode(n) => n.clone().into(),
        Term::BlankNode(b) => b.clone().into(),
        _ => return false,
    };
    let mut seen: HashSet<Term> = HashSet::new();
    let mut todo: Vec<Term> = data
        .objects_for_subject_predicate(subject.as_ref(), rdf::TYPE)
        .map(TermRef::into_owned)
        .collect();
    while let Some(t) = todo.pop() {
        if matches!(&t, Term::NamedNode(n) if n == class) {
            return true;
        }
        if !seen.insert(t.clone()) {
            continue;
        }
        let supers: Vec<Term> = match &t {
            Term::NamedNode(n) => data
                .objects_for_subject_predicate(n.as_ref().into(), rdfs::SUB_CLASS_OF)
                .map(TermRef::into_owned)
                .collect(),
            Term::BlankNode(b) => data
                .objects_for_subject_predicate(b.as_ref().into(), rdfs::SUB_CLASS_OF)
                .map(TermRef::into_owned)
                .collect(),
            _ => Vec::new(),
        };
        todo.extend(supers);
    }
    false
}

/// The English text of a set of literals, else one without a language, else any, sorted so
/// that the choice is stable.
pub fn best_text<'a>(literals: impl Iterator<Item = LiteralRef<'a>>) -> Option<String> {
    literals
        .map(|l| {
            let rank = match l.language() {
                Some("en") => 0,
                None => 1,
                Some(_) => 2,
            };
            (rank, l.value().to_owned())
        })
        .min()
        .map(|(_, text)| text)
}

impl ValidationResult {
    fn sort_key(&self) -> (String, String, String, String, usize) {
        (
            self.focus.to_string(),
            format!("{:?}", self.path),
            self.component.as_str().to_owned(),
            self.value
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            self.shape,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn graph(turtle: &str) -> Graph {
        let mut g = Graph::new();
        for t in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            g.insert(&t.unwrap().into());
        }
        g
    }

    const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n";

    fn run(shapes: &str, data: &str) -> Vec<(String, Option<String>, String)> {
        let shapes = Shapes::parse(&graph(&format!("{PREFIXES}{shapes}")), "test").unwrap();
        shapes
            .validate(&Arc::new(graph(&format!("{PREFIXES}{data}"))))
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.component.as_str().trim_start_matches(SH).to_owned(),
                    r.value.map(|v| v.to_string()),
                    r.focus.to_string(),
                )
            })
            .collect()
    }

    fn components(results: &[(String, Option<String>, String)]) -> Vec<&str> {
        let mut components: Vec<&str> = results.iter().map(|r| r.0.as_str()).collect();
        components.sort();
        components
    }

    #[test]
    fn class_targets_include_subclasses_and_class_checks_follow_them() {
        let shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:class ex:A ] .";
        let data = "ex:B rdfs:subClassOf ex:A . ex:x a ex:B ; ex:p ex:y , ex:z . ex:y a ex:B .";
        assert_eq!(
            run(shapes, data),
            vec![(
                "ClassConstraintComponent".into(),
                Some("<http://example.org/z>".into()),
                "<http://example.org/x>".into()
            )]
        );
    }

    #[test]
    fn counts_datatypes_and_patterns() {
        let shapes = r#"ex:S a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:d ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
            sh:property [ sh:path ex:c ; sh:pattern "^[A-Z]{3}$" ] ;
            sh:property [ sh:path ex:n ; sh:minInclusive 0 ; sh:maxInclusive 100 ] ."#;
        let data = r#"ex:x a ex:A ; ex:d "2020-13-45"^^xsd:date , "2020-01-01"^^xsd:date ; ex:c "usd" ; ex:n 135 .
            ex:y a ex:A ; ex:d "2020-01-01"^^xsd:date ; ex:c "USD" ; ex:n 35.5 ."#;
        let results = run(shapes, data);
        assert_eq!(
            components(&results),
            [
                "DatatypeConstraintComponent",
                "MaxCountConstraintComponent",
                "MaxInclusiveConstraintComponent",
                "PatternConstraintComponent"
            ]
        );
        assert!(results.iter().all(|r| r.2 == "<http://example.org/x>"));
        // The ill-typed date is reported as the data spells it.
        assert!(
            results
                .iter()
                .any(|r| r.1.as_deref().is_some_and(|v| v.contains("2020-13-45"))),
            "{results:?}"
        );
    }

    #[test]
    fn ill_formed_dates_fail_their_datatype() {
        let shapes = r#"ex:S a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:d ; sh:datatype xsd:date ] ;
            sh:property [ sh:path ex:y ; sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ] ."#;
        let data = r#"ex:x a ex:A ; ex:d "2023-02-30"^^xsd:date , "2023-02-28"^^xsd:date ; ex:y "20x3"^^xsd:gYear , "2023"^^xsd:gYear ."#;
        assert_eq!(
            run(shapes, data),
            vec![
                (
                    "DatatypeConstraintComponent".into(),
                    Some("\"2023-02-30\"^^<http://www.w3.org/2001/XMLSchema#date>".into()),
                    "<http://example.org/x>".into()
                ),
                (
                    "OrConstraintComponent".into(),
                    Some("\"20x3\"^^<http://www.w3.org/2001/XMLSchema#gYear>".into()),
                    "<http://example.org/x>".into()
                )
            ]
        );
    }

    #[test]
    fn values_are_reported_as_the_data_spells_them() {
        let shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path ex:n ; sh:maxInclusive 100 ] .";
        let data = r#"ex:x a ex:A ; ex:n "0135.50"^^xsd:decimal ."#;
        assert_eq!(
            run(shapes, data),
            vec![(
                "MaxInclusiveConstraintComponent".into(),
                Some("\"0135.50\"^^<http://www.w3.org/2001/XMLSchema#decimal>".into()),
                "<http://example.org/x>".into()
            )]
        );
    }

    #[test]
    fn or_in_and_unique_lang() {
        let shapes = r#"ex:S a sh:NodeShape ; sh:targetNode ex:x ;
            sh:property [ sh:path ex:d ; sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ] ;
            sh:property [ sh:path ex:m ; sh:in ( ex:a ex:b ) ] ;
            sh:property [ sh:path ex:l ; sh:uniqueLang true ] ."#;
        let data = r#"ex:x ex:d "2020"^^xsd:gYear , "2020" ; ex:m ex:a , ex:c ; ex:l "a"@en , "b"@en , "c"@fr ."#;
        assert_eq!(
            components(&run(shapes, data)),
            [
                "InConstraintComponent",
                "OrConstraintComponent",
                "UniqueLangConstraintComponent"
            ]
        );
    }

    #[test]
    fn results_name_their_source_shape_and_the_node_shape_that_selected_the_focus() {
        let shapes = graph(&format!(
            "{PREFIXES}ex:S a sh:NodeShape ; rdfs:label \"thing\" ; sh:targetClass ex:A ; sh:property ex:P .
             ex:P a sh:PropertyShape ; sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message \"needs p\"@en ."
        ));
        let shapes = Shapes::parse(&shapes, "test").unwrap();
        let data = Arc::new(graph(&format!("{PREFIXES}ex:x a ex:A .")));
        let results = shapes.validate(&data).unwrap();
        assert_eq!(results.len(), 1, "{results:?}");
        let r = &results[0];
        assert_eq!(r.severity, Severity::Warning);
        assert_eq!(r.path, Some(Path::Predicate(iri("http://example.org/p"))));
        let shape = shapes.shape(r.shape);
        assert_eq!(shape.id.to_string(), "<http://example.org/P>");
        assert_eq!(shape.messages[0].value(), "needs p");
        assert_eq!(shapes.shape(r.root).label.as_deref(), Some("thing"));
        assert_eq!(shapes.kind_of(&data, &r.focus).as_deref(), Some("thing"));
    }

    #[test]
    fn shacl_core_beyond_the_bundled_shapes_is_checked() {
        // Closed shapes and complex paths, which the bundled shapes do not use.
        let shapes = r#"ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:closed true ;
            sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
            sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] ;
            sh:property [ sh:path ex:p ] ."#;
        let data = "ex:x a ex:A ; ex:p ex:y ; ex:r ex:z .";
        assert_eq!(
            components(&run(shapes, data)),
            ["ClosedConstraintComponent", "MinCountConstraintComponent"]
        );
        let shapes = Shapes::parse(&graph(&format!("{PREFIXES}{shapes}")), "test").unwrap();
        let results = shapes
            .validate(&Arc::new(graph(&format!("{PREFIXES}{data}"))))
            .unwrap();
        let sequence = results.iter().find_map(|r| match &r.path {
            Some(Path::Other { sparql, .. }) => Some(sparql.clone()),
            _ => None,
        });
        assert_eq!(
            sequence.as_deref(),
            Some("(<http://example.org/p>/<http://example.org/q>)")
        );
    }

    #[test]
    fn every_constraint_of_the_bundled_shapes_has_a_message() {
        let g = graph(crate::validate::SHAPES_TTL);
        let shapes = Shapes::parse(&g, "shapes").unwrap();
        assert!(shapes.len() > 50);
        // Shapes that report (property shapes, and shapes with a target) and constrain
        // something; shapes inside sh:or and the like report through the shape that holds
        // them.
        let not_constraints = [
            "path",
            "property",
            "severity",
            "message",
            "deactivated",
            "name",
            "description",
            "order",
            "group",
            "defaultValue",
            "targetClass",
            "targetNode",
            "targetSubjectsOf",
            "targetObjectsOf",
            "flags",
        ];
        for shape in &shapes.shapes {
            let mut parameters = g
                .triples_for_subject(&shape.id)
                .filter_map(|t| t.predicate.as_str().strip_prefix(SH).map(str::to_owned));
            let has_path = g
                .object_for_subject_predicate(&shape.id, &sh("path"))
                .is_some();
            let reports = has_path || !shape.targets.is_empty();
            if reports && parameters.any(|p| !not_constraints.contains(&p.as_str())) {
                assert!(
                    shape.messages.iter().any(|m| m.language() == Some("en")),
                    "shape {} has constraints but no English sh:message",
                    shape.id
                );
            }
        }
    }

    #[test]
    fn a_malformed_shapes_graph_is_refused_with_its_name() {
        let shapes = graph(&format!(
            "{PREFIXES}ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:minCount \"many\" ."
        ));
        let error = Shapes::parse(&shapes, "shapes.ttl")
            .unwrap_err()
            .to_string();
        assert!(error.contains("shapes.ttl"), "{error}");
    }
}
