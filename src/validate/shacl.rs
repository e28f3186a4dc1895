//! SHACL Core over an in-memory Oxigraph graph: parses a shapes graph into shapes and
//! evaluates them on a data graph, giving the validation results the SHACL recommendation
//! defines (focus node, path, value, source shape, constraint component, severity).
//!
//! Only the part of SHACL Core that tipkg's shapes need is implemented (see
//! ARCHITECTURE.md for why this is not a third-party engine); a shapes graph that uses any
//! other SHACL feature is refused with an error naming it, never silently half-checked.

use crate::error::{Error, Result};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    Graph, Literal, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef,
};
use regex::{Regex, RegexBuilder};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

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
}

/// The path of a property shape: a predicate, or its inverse.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Path {
    Predicate(NamedNode),
    Inverse(NamedNode),
}

#[derive(Debug, Clone)]
enum Target {
    Class(NamedNode),
    Node(Term),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

#[derive(Debug, Clone, Copy)]
enum NodeKind {
    Iri,
    BlankNode,
    Literal,
    BlankNodeOrIri,
    BlankNodeOrLiteral,
    IriOrLiteral,
}

#[derive(Debug, Clone)]
enum Constraint {
    Class(NamedNode),
    Datatype(NamedNode),
    NodeKind(NodeKind),
    MinCount(usize),
    MaxCount(usize),
    MinInclusive(Literal),
    MaxInclusive(Literal),
    MinExclusive(Literal),
    MaxExclusive(Literal),
    MinLength(usize),
    MaxLength(usize),
    Pattern(Regex),
    LanguageIn(Vec<String>),
    UniqueLang,
    In(Vec<Term>),
    HasValue(Term),
    Node(usize),
    Not(usize),
    And(Vec<usize>),
    Or(Vec<usize>),
    Xone(Vec<usize>),
}

impl Constraint {
    fn component(&self) -> &'static str {
        match self {
            Self::Class(_) => "ClassConstraintComponent",
            Self::Datatype(_) => "DatatypeConstraintComponent",
            Self::NodeKind(_) => "NodeKindConstraintComponent",
            Self::MinCount(_) => "MinCountConstraintComponent",
            Self::MaxCount(_) => "MaxCountConstraintComponent",
            Self::MinInclusive(_) => "MinInclusiveConstraintComponent",
            Self::MaxInclusive(_) => "MaxInclusiveConstraintComponent",
            Self::MinExclusive(_) => "MinExclusiveConstraintComponent",
            Self::MaxExclusive(_) => "MaxExclusiveConstraintComponent",
            Self::MinLength(_) => "MinLengthConstraintComponent",
            Self::MaxLength(_) => "MaxLengthConstraintComponent",
            Self::Pattern(_) => "PatternConstraintComponent",
            Self::LanguageIn(_) => "LanguageInConstraintComponent",
            Self::UniqueLang => "UniqueLangConstraintComponent",
            Self::In(_) => "InConstraintComponent",
            Self::HasValue(_) => "HasValueConstraintComponent",
            Self::Node(_) => "NodeConstraintComponent",
            Self::Not(_) => "NotConstraintComponent",
            Self::And(_) => "AndConstraintComponent",
            Self::Or(_) => "OrConstraintComponent",
            Self::Xone(_) => "XoneConstraintComponent",
        }
    }
}

/// One node or property shape.
#[derive(Debug, Clone)]
pub struct Shape {
    pub id: NamedOrBlankNode,
    /// `Some` for a property shape.
    pub path: Option<Path>,
    targets: Vec<Target>,
    pub severity: Severity,
    /// `sh:message` values, in the shapes graph's order of languages (English first).
    pub messages: Vec<Literal>,
    /// `rdfs:label` of the shape, in English when there is one: what a node shape checks.
    pub label: Option<String>,
    deactivated: bool,
    constraints: Vec<Constraint>,
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

/// A parsed shapes graph.
#[derive(Debug)]
pub struct Shapes {
    shapes: Vec<Shape>,
}

/// The predicates of the SHACL namespace a shape may use here: the constraint parameters
/// implemented below and those that do not constrain anything.
const KNOWN: &[&str] = &[
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
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
    "class",
    "datatype",
    "nodeKind",
    "minCount",
    "maxCount",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "minLength",
    "maxLength",
    "pattern",
    "flags",
    "languageIn",
    "uniqueLang",
    "in",
    "hasValue",
    "node",
    "not",
    "and",
    "or",
    "xone",
];

impl Shapes {
    /// Reads the shapes of a shapes graph: every `sh:NodeShape` and `sh:PropertyShape`,
    /// every subject of a target, and the shapes they refer to.
    pub fn parse(graph: &Graph, name: &str) -> Result<Self> {
        let mut parser = Parser {
            graph,
            name,
            shapes: Vec::new(),
            index: HashMap::new(),
        };
        let mut roots: Vec<NamedOrBlankNode> = Vec::new();
        for class in ["NodeShape", "PropertyShape"] {
            let class = sh(class);
            roots.extend(
                graph
                    .subjects_for_predicate_object(rdf::TYPE, &class)
                    .map(|s| s.into_owned()),
            );
        }
        for target in [
            "targetClass",
            "targetNode",
            "targetSubjectsOf",
            "targetObjectsOf",
        ] {
            roots.extend(
                graph
                    .triples_for_predicate(&sh(target))
                    .map(|t| t.subject.into_owned()),
            );
        }
        roots.sort_by_cached_key(ToString::to_string);
        roots.dedup();
        for root in roots {
            parser.shape(&root)?;
        }
        Ok(Self {
            shapes: parser.shapes,
        })
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
    pub fn kind_of(&self, data: &Graph, node: &Term) -> Option<String> {
        let engine = Engine {
            data,
            shapes: &self.shapes,
        };
        self.shapes.iter().find_map(|shape| {
            let label = shape.label.as_ref()?;
            shape
                .targets
                .iter()
                .any(|t| matches!(t, Target::Class(c) if engine.is_instance(node, c)))
                .then(|| label.clone())
        })
    }

    /// Validates a data graph: every focus node of every shape with a target.
    pub fn validate(&self, data: &Graph) -> Vec<ValidationResult> {
        let engine = Engine {
            data,
            shapes: &self.shapes,
        };
        let mut results = Vec::new();
        for (index, shape) in self.shapes.iter().enumerate() {
            if shape.targets.is_empty() || shape.deactivated {
                continue;
            }
            for focus in engine.focus_nodes(shape) {
                engine.check(index, index, &focus, &mut results, 0);
            }
        }
        results.sort_by_cached_key(|r| r.sort_key());
        results.dedup();
        results
    }
}

struct Parser<'g> {
    graph: &'g Graph,
    name: &'g str,
    shapes: Vec<Shape>,
    index: HashMap<NamedOrBlankNode, usize>,
}

impl Parser<'_> {
    fn error(&self, shape: &NamedOrBlankNode, message: impl std::fmt::Display) -> Error {
        Error::Shapes(format!("{}: shape {shape}: {message}", self.name))
    }

    fn objects(&self, subject: &NamedOrBlankNode, predicate: &str) -> Vec<Term> {
        self.graph
            .objects_for_subject_predicate(subject, &sh(predicate))
            .map(TermRef::into_owned)
            .collect()
    }

    fn one(&self, subject: &NamedOrBlankNode, predicate: &str) -> Result<Option<Term>> {
        let mut values = self.objects(subject, predicate);
        match values.len() {
            0 => Ok(None),
            1 => Ok(values.pop()),
            _ => Err(self.error(subject, format!("has more than one sh:{predicate}"))),
        }
    }

    fn iri(&self, subject: &NamedOrBlankNode, term: Term, what: &str) -> Result<NamedNode> {
        match term {
            Term::NamedNode(n) => Ok(n),
            other => Err(self.error(subject, format!("sh:{what} must be an IRI, not {other}"))),
        }
    }

    fn node(&self, subject: &NamedOrBlankNode, term: Term, what: &str) -> Result<NamedOrBlankNode> {
        match term {
            Term::NamedNode(n) => Ok(n.into()),
            Term::BlankNode(b) => Ok(b.into()),
            Term::Literal(l) => {
                Err(self.error(subject, format!("sh:{what} must be a shape, not {l}")))
            }
        }
    }

    fn integer(&self, subject: &NamedOrBlankNode, term: Term, what: &str) -> Result<usize> {
        match &term {
            Term::Literal(l) => l.value().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| self.error(subject, format!("sh:{what} must be a non-negative integer")))
    }

    fn literal(&self, subject: &NamedOrBlankNode, term: Term, what: &str) -> Result<Literal> {
        match term {
            Term::Literal(l) => Ok(l),
            other => Err(self.error(subject, format!("sh:{what} must be a literal, not {other}"))),
        }
    }

    fn boolean(&self, subject: &NamedOrBlankNode, term: Term, what: &str) -> Result<bool> {
        match &term {
            Term::Literal(l) if l.datatype() == xsd::BOOLEAN => match l.value() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        }
        .ok_or_else(|| self.error(subject, format!("sh:{what} must be an xsd:boolean")))
    }

    /// The members of an RDF list.
    fn list(&self, subject: &NamedOrBlankNode, head: Term, what: &str) -> Result<Vec<Term>> {
        let mut items = Vec::new();
        let mut node = head;
        let mut seen = HashSet::new();
        loop {
            let current = match &node {
                Term::NamedNode(n) if n.as_ref() == rdf::NIL => return Ok(items),
                Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
                Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
                Term::Literal(_) => {
                    return Err(self.error(subject, format!("sh:{what} must be an RDF list")));
                }
            };
            if !seen.insert(current.clone()) {
                return Err(self.error(subject, format!("sh:{what} is a cyclic list")));
            }
            let first = self
                .graph
                .object_for_subject_predicate(&current, rdf::FIRST);
            let rest = self.graph.object_for_subject_predicate(&current, rdf::REST);
            match (first, rest) {
                (Some(first), Some(rest)) => {
                    items.push(first.into_owned());
                    node = rest.into_owned();
                }
                _ => return Err(self.error(subject, format!("sh:{what} must be an RDF list"))),
            }
        }
    }

    fn shapes_of(
        &mut self,
        subject: &NamedOrBlankNode,
        term: Term,
        what: &str,
    ) -> Result<Vec<usize>> {
        self.list(subject, term, what)?
            .into_iter()
            .map(|t| {
                let node = self.node(subject, t, what)?;
                self.shape(&node)
            })
            .collect()
    }

    fn shape(&mut self, id: &NamedOrBlankNode) -> Result<usize> {
        if let Some(&index) = self.index.get(id) {
            return Ok(index);
        }
        // Register first, so that shapes that refer to each other terminate.
        let index = self.shapes.len();
        self.index.insert(id.clone(), index);
        self.shapes.push(Shape {
            id: id.clone(),
            path: None,
            targets: Vec::new(),
            severity: Severity::Violation,
            messages: Vec::new(),
            label: None,
            deactivated: false,
            constraints: Vec::new(),
            properties: Vec::new(),
        });
        for triple in self.graph.triples_for_subject(id) {
            let p = triple.predicate.as_str();
            if let Some(local) = p.strip_prefix(SH)
                && !KNOWN.contains(&local)
            {
                return Err(self.error(
                    id,
                    format!("sh:{local} is not supported by tipkg's SHACL validator"),
                ));
            }
        }
        let mut shape = self.shapes[index].clone();
        if let Some(path) = self.one(id, "path")? {
            shape.path = Some(self.path(id, path)?);
        }
        for t in self.objects(id, "targetClass") {
            shape
                .targets
                .push(Target::Class(self.iri(id, t, "targetClass")?));
        }
        for t in self.objects(id, "targetNode") {
            shape.targets.push(Target::Node(t));
        }
        for t in self.objects(id, "targetSubjectsOf") {
            shape
                .targets
                .push(Target::SubjectsOf(self.iri(id, t, "targetSubjectsOf")?));
        }
        for t in self.objects(id, "targetObjectsOf") {
            shape
                .targets
                .push(Target::ObjectsOf(self.iri(id, t, "targetObjectsOf")?));
        }
        if let Some(s) = self.one(id, "severity")? {
            let s = self.iri(id, s, "severity")?;
            shape.severity = match s.as_str().strip_prefix(SH) {
                Some("Info") => Severity::Info,
                Some("Warning") => Severity::Warning,
                Some("Violation") => Severity::Violation,
                _ => return Err(self.error(id, format!("unknown severity {s}"))),
            };
        }
        let mut messages: Vec<Literal> = self
            .objects(id, "message")
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l),
                _ => None,
            })
            .collect();
        messages.sort_by_key(|l| (l.language() != Some("en"), l.language().map(str::to_owned)));
        shape.messages = messages;
        shape.label = best_text(
            self.graph
                .objects_for_subject_predicate(id, rdfs::LABEL)
                .filter_map(|t| match t {
                    TermRef::Literal(l) => Some(l),
                    _ => None,
                }),
        );
        if let Some(d) = self.one(id, "deactivated")? {
            shape.deactivated = self.boolean(id, d, "deactivated")?;
        }
        let mut constraints = Vec::new();
        for t in self.objects(id, "class") {
            constraints.push(Constraint::Class(self.iri(id, t, "class")?));
        }
        if let Some(t) = self.one(id, "datatype")? {
            constraints.push(Constraint::Datatype(self.iri(id, t, "datatype")?));
        }
        if let Some(t) = self.one(id, "nodeKind")? {
            let kind = self.iri(id, t, "nodeKind")?;
            constraints.push(Constraint::NodeKind(match kind.as_str().strip_prefix(SH) {
                Some("IRI") => NodeKind::Iri,
                Some("BlankNode") => NodeKind::BlankNode,
                Some("Literal") => NodeKind::Literal,
                Some("BlankNodeOrIRI") => NodeKind::BlankNodeOrIri,
                Some("BlankNodeOrLiteral") => NodeKind::BlankNodeOrLiteral,
                Some("IRIOrLiteral") => NodeKind::IriOrLiteral,
                _ => return Err(self.error(id, format!("unknown node kind {kind}"))),
            }));
        }
        if let Some(t) = self.one(id, "minCount")? {
            constraints.push(Constraint::MinCount(self.integer(id, t, "minCount")?));
        }
        if let Some(t) = self.one(id, "maxCount")? {
            constraints.push(Constraint::MaxCount(self.integer(id, t, "maxCount")?));
        }
        if let Some(t) = self.one(id, "minInclusive")? {
            constraints.push(Constraint::MinInclusive(self.literal(
                id,
                t,
                "minInclusive",
            )?));
        }
        if let Some(t) = self.one(id, "maxInclusive")? {
            constraints.push(Constraint::MaxInclusive(self.literal(
                id,
                t,
                "maxInclusive",
            )?));
        }
        if let Some(t) = self.one(id, "minExclusive")? {
            constraints.push(Constraint::MinExclusive(self.literal(
                id,
                t,
                "minExclusive",
            )?));
        }
        if let Some(t) = self.one(id, "maxExclusive")? {
            constraints.push(Constraint::MaxExclusive(self.literal(
                id,
                t,
                "maxExclusive",
            )?));
        }
        if let Some(t) = self.one(id, "minLength")? {
            constraints.push(Constraint::MinLength(self.integer(id, t, "minLength")?));
        }
        if let Some(t) = self.one(id, "maxLength")? {
            constraints.push(Constraint::MaxLength(self.integer(id, t, "maxLength")?));
        }
        if let Some(t) = self.one(id, "pattern")? {
            let pattern = self.literal(id, t, "pattern")?;
            let flags = match self.one(id, "flags")? {
                Some(f) => self.literal(id, f, "flags")?.value().to_owned(),
                None => String::new(),
            };
            let mut builder = RegexBuilder::new(pattern.value());
            for flag in flags.chars() {
                match flag {
                    'i' => builder.case_insensitive(true),
                    'm' => builder.multi_line(true),
                    's' => builder.dot_matches_new_line(true),
                    'x' => builder.ignore_whitespace(true),
                    other => {
                        return Err(self.error(id, format!("unsupported sh:flags \"{other}\"")));
                    }
                };
            }
            let regex = builder
                .build()
                .map_err(|e| self.error(id, format!("sh:pattern does not compile: {e}")))?;
            constraints.push(Constraint::Pattern(regex));
        }
        if let Some(t) = self.one(id, "languageIn")? {
            let languages = self
                .list(id, t, "languageIn")?
                .into_iter()
                .map(|t| match t {
                    Term::Literal(l) => Ok(l.value().to_ascii_lowercase()),
                    _ => Err(self.error(id, "sh:languageIn lists language tags as strings")),
                })
                .collect::<Result<_>>()?;
            constraints.push(Constraint::LanguageIn(languages));
        }
        if let Some(t) = self.one(id, "uniqueLang")?
            && self.boolean(id, t, "uniqueLang")?
        {
            constraints.push(Constraint::UniqueLang);
        }
        if let Some(t) = self.one(id, "in")? {
            constraints.push(Constraint::In(self.list(id, t, "in")?));
        }
        for t in self.objects(id, "hasValue") {
            constraints.push(Constraint::HasValue(t));
        }
        for t in self.objects(id, "node") {
            let node = self.node(id, t, "node")?;
            constraints.push(Constraint::Node(self.shape(&node)?));
        }
        for t in self.objects(id, "not") {
            let node = self.node(id, t, "not")?;
            constraints.push(Constraint::Not(self.shape(&node)?));
        }
        for t in self.objects(id, "and") {
            constraints.push(Constraint::And(self.shapes_of(id, t, "and")?));
        }
        for t in self.objects(id, "or") {
            constraints.push(Constraint::Or(self.shapes_of(id, t, "or")?));
        }
        for t in self.objects(id, "xone") {
            constraints.push(Constraint::Xone(self.shapes_of(id, t, "xone")?));
        }
        shape.constraints = constraints;
        for t in self.objects(id, "property") {
            let node = self.node(id, t, "property")?;
            let property = self.shape(&node)?;
            if self.shapes[property].path.is_none() && self.one(&node, "path")?.is_none() {
                return Err(self.error(&node, "a property shape needs an sh:path"));
            }
            shape.properties.push(property);
        }
        self.shapes[index] = shape;
        Ok(index)
    }

    fn path(&self, id: &NamedOrBlankNode, term: Term) -> Result<Path> {
        match term {
            Term::NamedNode(n) => Ok(Path::Predicate(n)),
            Term::BlankNode(b) => {
                let node = NamedOrBlankNode::from(b);
                match self.one(&node, "inversePath")? {
                    Some(Term::NamedNode(p)) => Ok(Path::Inverse(p)),
                    _ => Err(self.error(
                        id,
                        "only predicate paths and sh:inversePath of a predicate are supported",
                    )),
                }
            }
            Term::Literal(_) => Err(self.error(id, "sh:path must be an IRI or a path")),
        }
    }
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

struct Engine<'a> {
    data: &'a Graph,
    shapes: &'a [Shape],
}

/// Nested shapes (sh:node, sh:or…) deeper than this are taken to conform, so that shapes
/// that refer to themselves cannot loop forever.
const MAX_DEPTH: usize = 32;

impl Engine<'_> {
    fn focus_nodes(&self, shape: &Shape) -> Vec<Term> {
        let mut nodes = HashSet::new();
        for target in &shape.targets {
            match target {
                Target::Node(n) => {
                    nodes.insert(n.clone());
                }
                Target::Class(c) => {
                    for class in self.subclasses(c) {
                        nodes.extend(
                            self.data
                                .subjects_for_predicate_object(rdf::TYPE, &class)
                                .map(|s| Term::from(s.into_owned())),
                        );
                    }
                }
                Target::SubjectsOf(p) => {
                    nodes.extend(
                        self.data
                            .triples_for_predicate(p)
                            .map(|t| Term::from(t.subject.into_owned())),
                    );
                }
                Target::ObjectsOf(p) => {
                    nodes.extend(
                        self.data
                            .triples_for_predicate(p)
                            .map(|t| t.object.into_owned()),
                    );
                }
            }
        }
        sorted(nodes)
    }

    /// A class and all its subclasses in the data graph (`rdfs:subClassOf*`).
    fn subclasses(&self, class: &NamedNode) -> Vec<Term> {
        let mut seen: HashSet<Term> = HashSet::from([Term::from(class.clone())]);
        let mut todo = vec![Term::from(class.clone())];
        while let Some(c) = todo.pop() {
            for sub in self
                .data
                .subjects_for_predicate_object(rdfs::SUB_CLASS_OF, &c)
            {
                let sub = Term::from(sub.into_owned());
                if seen.insert(sub.clone()) {
                    todo.push(sub);
                }
            }
        }
        sorted(seen)
    }

    /// Whether `node` is a SHACL instance of `class`: one of its types is the class or a
    /// subclass of it.
    fn is_instance(&self, node: &Term, class: &NamedNode) -> bool {
        let subject: NamedOrBlankNode = match node {
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            Term::Literal(_) => return false,
        };
        let mut seen: HashSet<Term> = HashSet::new();
        let mut todo: Vec<Term> = self
            .data
            .objects_for_subject_predicate(&subject, rdf::TYPE)
            .map(TermRef::into_owned)
            .collect();
        while let Some(t) = todo.pop() {
            if let Term::NamedNode(n) = &t
                && n == class
            {
                return true;
            }
            if !seen.insert(t.clone()) {
                continue;
            }
            if let Term::NamedNode(n) = &t {
                todo.extend(
                    self.data
                        .objects_for_subject_predicate(n, rdfs::SUB_CLASS_OF)
                        .map(TermRef::into_owned),
                );
            } else if let Term::BlankNode(b) = &t {
                todo.extend(
                    self.data
                        .objects_for_subject_predicate(b, rdfs::SUB_CLASS_OF)
                        .map(TermRef::into_owned),
                );
            }
        }
        false
    }

    fn values(&self, focus: &Term, path: &Path) -> HashSet<Term> {
        match path {
            Path::Predicate(p) => match focus {
                Term::NamedNode(n) => self
                    .data
                    .objects_for_subject_predicate(n, p)
                    .map(TermRef::into_owned)
                    .collect(),
                Term::BlankNode(b) => self
                    .data
                    .objects_for_subject_predicate(b, p)
                    .map(TermRef::into_owned)
                    .collect(),
                Term::Literal(_) => HashSet::new(),
            },
            Path::Inverse(p) => self
                .data
                .subjects_for_predicate_object(p, focus)
                .map(|s| Term::from(s.into_owned()))
                .collect(),
        }
    }

    fn conforms(&self, shape: usize, focus: &Term, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let mut results = Vec::new();
        self.check(shape, shape, focus, &mut results, depth + 1);
        results.is_empty()
    }

    /// Checks one focus node against one shape, pushing a result for every failure.
    fn check(
        &self,
        index: usize,
        root: usize,
        focus: &Term,
        out: &mut Vec<ValidationResult>,
        depth: usize,
    ) {
        let shape = &self.shapes[index];
        if shape.deactivated {
            return;
        }
        let values: Vec<Term> = match &shape.path {
            Some(path) => sorted(self.values(focus, path)),
            None => vec![focus.clone()],
        };
        let result = |component: &str, value: Option<Term>| ValidationResult {
            focus: focus.clone(),
            path: shape.path.clone(),
            value,
            component: sh(component),
            shape: index,
            root,
            severity: shape.severity,
        };
        for constraint in &shape.constraints {
            let component = constraint.component();
            // Constraints on the set of values give one result per focus node; the others
            // one result per value node that fails.
            match constraint {
                Constraint::MinCount(n) => {
                    if values.len() < *n {
                        out.push(result(component, None));
                    }
                    continue;
                }
                Constraint::MaxCount(n) => {
                    if values.len() > *n {
                        out.push(result(component, None));
                    }
                    continue;
                }
                Constraint::UniqueLang => {
                    let mut counts: HashMap<String, usize> = HashMap::new();
                    for v in &values {
                        if let Term::Literal(l) = v
                            && let Some(lang) = l.language()
                        {
                            *counts.entry(lang.to_ascii_lowercase()).or_default() += 1;
                        }
                    }
                    let mut repeated: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
                    repeated.sort();
                    for _ in repeated {
                        out.push(result(component, None));
                    }
                    continue;
                }
                Constraint::HasValue(wanted) => {
                    if !values.contains(wanted) {
                        out.push(result(component, None));
                    }
                    continue;
                }
                _ => {}
            }
            for value in &values {
                let ok = match constraint {
                    Constraint::Class(c) => self.is_instance(value, c),
                    Constraint::Datatype(d) => has_datatype(value, d.as_ref()),
                    Constraint::NodeKind(kind) => node_kind(value, *kind),
                    Constraint::MinInclusive(b) => compare(value, b).is_some_and(|o| o.is_ge()),
                    Constraint::MaxInclusive(b) => compare(value, b).is_some_and(|o| o.is_le()),
                    Constraint::MinExclusive(b) => compare(value, b).is_some_and(|o| o.is_gt()),
                    Constraint::MaxExclusive(b) => compare(value, b).is_some_and(|o| o.is_lt()),
                    Constraint::MinLength(n) => {
                        text(value).is_some_and(|t| t.chars().count() >= *n)
                    }
                    Constraint::MaxLength(n) => {
                        text(value).is_some_and(|t| t.chars().count() <= *n)
                    }
                    Constraint::Pattern(re) => text(value).is_some_and(|t| re.is_match(t)),
                    Constraint::LanguageIn(languages) => match value {
                        Term::Literal(l) => l.language().is_some_and(|lang| {
                            languages
                                .iter()
                                .any(|wanted| language_matches(lang, wanted))
                        }),
                        _ => false,
                    },
                    Constraint::In(list) => list.contains(value),
                    Constraint::Node(s) => self.conforms(*s, value, depth),
                    Constraint::Not(s) => !self.conforms(*s, value, depth),
                    Constraint::And(list) => list.iter().all(|s| self.conforms(*s, value, depth)),
                    Constraint::Or(list) => list.iter().any(|s| self.conforms(*s, value, depth)),
                    Constraint::Xone(list) => {
                        list.iter()
                            .filter(|s| self.conforms(**s, value, depth))
                            .count()
                            == 1
                    }
                    Constraint::MinCount(_)
                    | Constraint::MaxCount(_)
                    | Constraint::UniqueLang
                    | Constraint::HasValue(_) => true,
                };
                if !ok {
                    out.push(result(component, Some(value.clone())));
                }
            }
        }
        for &property in &shape.properties {
            self.check(property, root, focus, out, depth);
        }
    }
}

/// Terms in a stable order, so that results come out the same on every run.
fn sorted(terms: HashSet<Term>) -> Vec<Term> {
    let mut terms: Vec<Term> = terms.into_iter().collect();
    terms.sort_by_cached_key(ToString::to_string);
    terms
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

/// The string a pattern or length applies to: an IRI's text or a literal's lexical form;
/// blank nodes have none, so they fail these constraints.
fn text(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        Term::BlankNode(_) => None,
    }
}

fn node_kind(term: &Term, kind: NodeKind) -> bool {
    let (iri, blank, literal) = match term {
        Term::NamedNode(_) => (true, false, false),
        Term::BlankNode(_) => (false, true, false),
        Term::Literal(_) => (false, false, true),
    };
    match kind {
        NodeKind::Iri => iri,
        NodeKind::BlankNode => blank,
        NodeKind::Literal => literal,
        NodeKind::BlankNodeOrIri => blank || iri,
        NodeKind::BlankNodeOrLiteral => blank || literal,
        NodeKind::IriOrLiteral => iri || literal,
    }
}

/// `sh:languageIn` matching as SPARQL's langMatches: the range or a prefix of it ending at a
/// hyphen.
fn language_matches(tag: &str, range: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    range == "*" || tag == range || tag.starts_with(&format!("{range}-"))
}

/// Whether a value is a literal of the datatype with a valid lexical form: a date that is
/// not a date fails `sh:datatype xsd:date`, as in other SHACL processors.
fn has_datatype(term: &Term, datatype: NamedNodeRef<'_>) -> bool {
    let Term::Literal(l) = term else {
        return false;
    };
    if l.datatype() != datatype {
        return false;
    }
    let v = l.value();
    match datatype {
        d if d == xsd::INTEGER => oxsdatatypes::Integer::from_str(v).is_ok(),
        d if d == xsd::DECIMAL => oxsdatatypes::Decimal::from_str(v).is_ok(),
        d if d == xsd::DOUBLE => oxsdatatypes::Double::from_str(v).is_ok(),
        d if d == xsd::FLOAT => oxsdatatypes::Float::from_str(v).is_ok(),
        d if d == xsd::BOOLEAN => oxsdatatypes::Boolean::from_str(v).is_ok(),
        d if d == xsd::DATE => oxsdatatypes::Date::from_str(v).is_ok(),
        d if d == xsd::DATE_TIME => oxsdatatypes::DateTime::from_str(v).is_ok(),
        d if d == xsd::G_YEAR => oxsdatatypes::GYear::from_str(v).is_ok(),
        d if d == xsd::G_YEAR_MONTH => oxsdatatypes::GYearMonth::from_str(v).is_ok(),
        _ => true,
    }
}

fn is_numeric(datatype: NamedNodeRef<'_>) -> bool {
    [
        xsd::INTEGER,
        xsd::DECIMAL,
        xsd::DOUBLE,
        xsd::FLOAT,
        xsd::INT,
        xsd::LONG,
        xsd::SHORT,
        xsd::BYTE,
        xsd::NON_NEGATIVE_INTEGER,
        xsd::POSITIVE_INTEGER,
        xsd::NON_POSITIVE_INTEGER,
        xsd::NEGATIVE_INTEGER,
        xsd::UNSIGNED_INT,
        xsd::UNSIGNED_LONG,
        xsd::UNSIGNED_SHORT,
        xsd::UNSIGNED_BYTE,
    ]
    .contains(&datatype)
}

/// Compares a value with a bound; `None` when they cannot be compared (a string and a
/// number, say), which fails the range constraint.
fn compare(value: &Term, bound: &Literal) -> Option<std::cmp::Ordering> {
    let Term::Literal(value) = value else {
        return None;
    };
    if is_numeric(value.datatype()) && is_numeric(bound.datatype()) {
        let a = oxsdatatypes::Double::from_str(value.value()).ok()?;
        let b = oxsdatatypes::Double::from_str(bound.value()).ok()?;
        return f64::from(a).partial_cmp(&f64::from(b));
    }
    if value.datatype() != bound.datatype() {
        return None;
    }
    let d = value.datatype();
    let (a, b) = (value.value(), bound.value());
    if d == xsd::DATE {
        oxsdatatypes::Date::from_str(a)
            .ok()?
            .partial_cmp(&oxsdatatypes::Date::from_str(b).ok()?)
    } else if d == xsd::DATE_TIME {
        oxsdatatypes::DateTime::from_str(a)
            .ok()?
            .partial_cmp(&oxsdatatypes::DateTime::from_str(b).ok()?)
    } else if d == xsd::STRING {
        Some(a.cmp(b))
    } else {
        None
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
            .validate(&graph(&format!("{PREFIXES}{data}")))
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
        let mut components: Vec<&str> = results.iter().map(|r| r.0.as_str()).collect();
        components.sort();
        assert_eq!(
            components,
            [
                "DatatypeConstraintComponent",
                "MaxCountConstraintComponent",
                "MaxInclusiveConstraintComponent",
                "PatternConstraintComponent"
            ]
        );
        assert!(results.iter().all(|r| r.2 == "<http://example.org/x>"));
    }

    #[test]
    fn or_in_and_unique_lang() {
        let shapes = r#"ex:S a sh:NodeShape ; sh:targetNode ex:x ;
            sh:property [ sh:path ex:d ; sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ] ;
            sh:property [ sh:path ex:m ; sh:in ( ex:a ex:b ) ] ;
            sh:property [ sh:path ex:l ; sh:uniqueLang true ] ."#;
        let data = r#"ex:x ex:d "2020"^^xsd:gYear , "2020" ; ex:m ex:a , ex:c ; ex:l "a"@en , "b"@en , "c"@fr ."#;
        let results = run(shapes, data);
        let mut components: Vec<&str> = results.iter().map(|r| r.0.as_str()).collect();
        components.sort();
        assert_eq!(
            components,
            [
                "InConstraintComponent",
                "OrConstraintComponent",
                "UniqueLangConstraintComponent"
            ]
        );
    }

    #[test]
    fn every_constraint_of_the_bundled_shapes_has_a_message() {
        let shapes = Shapes::parse(&graph(crate::validate::SHAPES_TTL), "shapes").unwrap();
        assert!(shapes.len() > 50);
        // Shapes inside sh:or and the like report through the shape that holds them.
        for shape in &shapes.shapes {
            let reports = shape.path.is_some() || !shape.targets.is_empty();
            if reports && !shape.constraints.is_empty() {
                assert!(
                    shape.messages.iter().any(|m| m.language() == Some("en")),
                    "shape {} has constraints but no English sh:message",
                    shape.id
                );
            }
        }
    }

    #[test]
    fn unsupported_features_are_refused_by_name() {
        let shapes = graph(&format!(
            "{PREFIXES}ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:closed true ."
        ));
        let error = Shapes::parse(&shapes, "shapes.ttl")
            .unwrap_err()
            .to_string();
        assert!(error.contains("sh:closed is not supported"), "{error}");
    }
}
