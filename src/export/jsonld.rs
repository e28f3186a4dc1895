//! JSON-LD that reads like ordinary JSON (`"name": "UNICEF"`), compacted with the project's
//! own context, `ontology/context.jsonld`.
//!
//! The context is generated from the built graph ([`generate_context`]): a term for every
//! property and class the ontology declares or the graph uses, named by its local name
//! (the first vocabulary of [`PREFIXES`] keeps the short name when two share it, the other
//! gets `prefix:local`), with the coercion that fits most of its values (`@id`, a datatype,
//! no language for plain strings; English is the default language). A test keeps the
//! checked-in file equal to the generated one, so the two cannot drift.
//!
//! Compaction is done here rather than by a generic JSON-LD processor: the graph has a
//! simple shape (IRIs, no lists), so a value is written in its short form only when the
//! term's coercion gives back exactly the same RDF term, and as a value object otherwise.
//! Nothing is ever lost: an IRI without a term is written as a compact or full IRI, and
//! the export reports it.

use crate::base::error::{Error, Result};
use crate::base::iri;
use crate::base::named::{Named, display_and_parse};
use crate::base::vocab::{self, OWL, PREFIXES, RDFS, XSD};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

/// The project's JSON-LD context, as published at [`iri::jsonld_context`].
pub const CONTEXT: &str = include_str!("../../ontology/context.jsonld");

/// Where the context lives in the repository.
pub const CONTEXT_PATH: &str = "ontology/context.jsonld";

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const DEFAULT_LANGUAGE: &str = "en";

/// How an export carries its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContextMode {
    /// The whole context inside the document, which then stands alone.
    #[default]
    Embed,
    /// The context's published address, <https://w3id.org/tipkg/context.jsonld>.
    Reference,
}

impl Named for ContextMode {
    const KIND: &'static str = "JSON-LD context mode";
    const ALL: &'static [Self] = &[Self::Embed, Self::Reference];

    fn name(self) -> &'static str {
        match self {
            Self::Embed => "embed",
            Self::Reference => "reference",
        }
    }
}

display_and_parse!(ContextMode);

/// A framed form of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// One node per entity, with the nodes that only it refers to (its participations,
    /// its amounts) nested inside it.
    Entity,
}

impl Named for Frame {
    const KIND: &'static str = "JSON-LD frame";
    const ALL: &'static [Self] = &[Self::Entity];

    fn name(self) -> &'static str {
        match self {
            Self::Entity => "entity",
        }
    }
}

display_and_parse!(Frame);

/// What a property's values look like, and so how the context coerces them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Coercion {
    /// Nothing: language-tagged strings in the default language are bare strings.
    None,
    /// Every value is an IRI.
    Id,
    /// Plain strings (`"@language": null`) or strings in one other language.
    Language(Option<String>),
    /// Every value is a literal of this datatype.
    Datatype(String),
}

/// The kind of one value of a property, to find the coercion that fits them all.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ValueKind {
    Iri,
    Language(String),
    Datatype(String),
}

impl ValueKind {
    fn of(term: &Term) -> Self {
        match term {
            Term::Literal(literal) => match literal.language() {
                Some(language) => Self::Language(language.to_owned()),
                None => Self::Datatype(literal.datatype().as_str().to_owned()),
            },
            _ => Self::Iri,
        }
    }
}

/// The coercion of the most common kind of value (ties go to the first kind), so that
/// most values are bare; the others are written as value objects.
fn coercion(kinds: &BTreeMap<ValueKind, usize>) -> Coercion {
    let Some((kind, _)) = kinds
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
    else {
        return Coercion::None;
    };
    match kind {
        ValueKind::Iri => Coercion::Id,
        ValueKind::Language(language) if language == DEFAULT_LANGUAGE => Coercion::None,
        ValueKind::Language(language) => Coercion::Language(Some(language.clone())),
        ValueKind::Datatype(datatype) if datatype == XSD_STRING => Coercion::Language(None),
        ValueKind::Datatype(datatype) => Coercion::Datatype(datatype.clone()),
    }
}

/// The JSON-LD context for a graph: generated from all its quads (the ontology graph
/// included), so that every property and class it declares or uses has a term.
pub fn generate_context(quads: &[Quad]) -> Value {
    let ontology = GraphName::NamedNode(iri::ontology_graph());
    let mut properties: BTreeMap<String, BTreeMap<ValueKind, usize>> = BTreeMap::new();
    let mut classes: BTreeSet<String> = BTreeSet::new();
    let mut declared: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut ranges: BTreeMap<String, String> = BTreeMap::new();
    for quad in quads {
        let predicate = quad.predicate.as_str();
        if predicate == RDF_TYPE {
            if let Term::NamedNode(class) = &quad.object {
                classes.insert(class.as_str().to_owned());
                if quad.graph_name == ontology
                    && let NamedOrBlankNode::NamedNode(subject) = &quad.subject
                {
                    declared
                        .entry(subject.as_str().to_owned())
                        .or_default()
                        .insert(class.as_str().to_owned());
                }
            }
        } else {
            *properties
                .entry(predicate.to_owned())
                .or_default()
                .entry(ValueKind::of(&quad.object))
                .or_default() += 1;
        }
        if quad.graph_name == ontology
            && predicate == format!("{RDFS}range")
            && let (NamedOrBlankNode::NamedNode(subject), Term::NamedNode(range)) =
                (&quad.subject, &quad.object)
        {
            ranges.insert(subject.as_str().to_owned(), range.as_str().to_owned());
        }
    }
    // Terms the ontology declares but the graph does not use yet get their coercion from
    // the declaration.
    let mut coercions: BTreeMap<String, Coercion> = properties
        .iter()
        .map(|(property, kinds)| (property.clone(), coercion(kinds)))
        .collect();
    for (term, types) in &declared {
        let is = |local: &str| types.contains(&format!("{OWL}{local}"));
        if is("Class") || types.contains(&format!("{RDFS}Class")) {
            classes.insert(term.clone());
        } else if !coercions.contains_key(term) {
            let coercion = if is("ObjectProperty") {
                Some(Coercion::Id)
            } else if is("DatatypeProperty") || is("AnnotationProperty") {
                Some(match ranges.get(term).map(String::as_str) {
                    Some(XSD_STRING) => Coercion::Language(None),
                    Some(range) if range.starts_with(XSD) => Coercion::Datatype(range.to_owned()),
                    _ => Coercion::None,
                })
            } else {
                None
            };
            if let Some(coercion) = coercion {
                coercions.insert(term.clone(), coercion);
            }
        }
    }

    let names = term_names(coercions.keys().chain(&classes));
    let mut context = Map::new();
    context.insert("@version".into(), Value::from(1.1));
    context.insert("@language".into(), Value::from(DEFAULT_LANGUAGE));
    for (prefix, namespace) in PREFIXES {
        context.insert((*prefix).into(), Value::from(*namespace));
    }
    for (term, name) in &names {
        let id = Value::from(compact_with_vocabularies(term));
        let definition = match coercions.get(term) {
            None => id,
            Some(coercion) => {
                let mut definition = Map::new();
                definition.insert("@id".into(), id);
                match coercion {
                    Coercion::None => {}
                    Coercion::Id => {
                        definition.insert("@type".into(), Value::from("@id"));
                    }
                    Coercion::Language(language) => {
                        definition.insert(
                            "@language".into(),
                            language.clone().map_or(Value::Null, Value::from),
                        );
                    }
                    Coercion::Datatype(datatype) => {
                        definition.insert(
                            "@type".into(),
                            Value::from(compact_with_vocabularies(datatype)),
                        );
                    }
                }
                Value::Object(definition)
            }
        };
        context.insert(name.clone(), definition);
    }
    let mut document = Map::new();
    document.insert("@context".into(), Value::Object(sorted(context)));
    Value::Object(document)
}

/// The vocabulary prefixes, longest namespace first.
fn vocabularies() -> Vec<(&'static str, &'static str)> {
    let mut vocabularies: Vec<_> = PREFIXES
        .iter()
        .filter(|(_, namespace)| vocab::is_vocabulary(namespace))
        .copied()
        .collect();
    vocabularies.sort_by_key(|(_, namespace)| std::cmp::Reverse(namespace.len()));
    vocabularies
}

/// Splits an IRI into a vocabulary prefix and a local name fit for a JSON key.
fn split_vocabulary(iri: &str) -> Option<(&'static str, &str)> {
    vocabularies().into_iter().find_map(|(prefix, namespace)| {
        let local = iri.strip_prefix(namespace)?;
        let fits = !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        fits.then_some((prefix, local))
    })
}

fn compact_with_vocabularies(iri: &str) -> String {
    split_vocabulary(iri).map_or_else(
        || iri.to_owned(),
        |(prefix, local)| format!("{prefix}:{local}"),
    )
}

/// A name for each term: its local name, unless a vocabulary listed earlier in
/// [`PREFIXES`] has the same local name or it is a prefix of the table (every prefix is
/// in the context, so that compact IRIs are the same as in every other output); then
/// `prefix:local`.
fn term_names<'a>(terms: impl Iterator<Item = &'a String>) -> BTreeMap<String, String> {
    let rank = |prefix: &str| PREFIXES.iter().position(|(p, _)| *p == prefix);
    let mut by_local: BTreeMap<&str, Vec<(&'static str, &String)>> = BTreeMap::new();
    for term in terms {
        if let Some((prefix, local)) = split_vocabulary(term) {
            by_local.entry(local).or_default().push((prefix, term));
        }
    }
    let reserved: BTreeSet<&str> = PREFIXES.iter().map(|(p, _)| *p).collect();
    let mut names = BTreeMap::new();
    for (local, mut candidates) in by_local {
        candidates.sort_by_key(|(prefix, _)| rank(prefix));
        candidates.dedup_by_key(|(_, term)| *term);
        for (i, (prefix, term)) in candidates.into_iter().enumerate() {
            let name = if i == 0 && !reserved.contains(local) {
                local.to_owned()
            } else {
                format!("{prefix}:{local}")
            };
            names.insert(term.clone(), name);
        }
    }
    names
}

/// A JSON object with its keys in sorted order, whatever the map's own order.
fn sorted(map: Map<String, Value>) -> Map<String, Value> {
    let ordered: BTreeMap<String, Value> = map.into_iter().collect();
    ordered.into_iter().collect()
}

/// Compacts RDF terms with a context: the short forms it allows, value objects otherwise.
pub struct Compactor {
    /// Prefixes, longest namespace first.
    prefixes: Vec<(String, String)>,
    properties: HashMap<String, (String, Coercion)>,
    classes: HashMap<String, String>,
    language: Option<String>,
    /// IRIs used as a property or class that have no term in the context.
    missing: BTreeSet<String>,
}

impl Compactor {
    /// Reads a context document (`{"@context": {…}}`).
    pub fn new(context: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::Export {
            message: format!("invalid JSON-LD context: {reason}"),
            source: None,
        };
        let document: Value = serde_json::from_str(context).map_err(|e| Error::Export {
            message: "invalid JSON-LD context".into(),
            source: Some(e.into()),
        })?;
        let definitions = document
            .get("@context")
            .and_then(Value::as_object)
            .ok_or_else(|| invalid("no @context object"))?;
        let mut prefixes = Vec::new();
        for (name, definition) in definitions {
            if let Some(iri) = definition.as_str()
                && !name.starts_with('@')
                && (iri.ends_with('/') || iri.ends_with('#'))
                && iri.contains("://")
            {
                prefixes.push((name.clone(), iri.to_owned()));
            }
        }
        prefixes.sort_by_key(|(_, namespace)| std::cmp::Reverse(namespace.len()));
        let mut compactor = Self {
            prefixes,
            properties: HashMap::new(),
            classes: HashMap::new(),
            language: definitions
                .get("@language")
                .and_then(Value::as_str)
                .map(str::to_owned),
            missing: BTreeSet::new(),
        };
        for (name, definition) in definitions {
            if name.starts_with('@') {
                continue;
            }
            match definition {
                Value::String(iri) => {
                    let iri = compactor.expand(iri);
                    if !compactor.prefixes.iter().any(|(p, _)| p == name) {
                        compactor.classes.insert(iri, name.clone());
                    }
                }
                Value::Object(definition) => {
                    let id = definition
                        .get("@id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| invalid(&format!("term {name} has no @id")))?;
                    let coercion = match (definition.get("@type"), definition.get("@language")) {
                        (Some(Value::String(t)), _) if t == "@id" => Coercion::Id,
                        (Some(Value::String(t)), _) => Coercion::Datatype(compactor.expand(t)),
                        (None, Some(Value::Null)) => Coercion::Language(None),
                        (None, Some(Value::String(l))) => Coercion::Language(Some(l.clone())),
                        (None, None) => Coercion::None,
                        _ => return Err(invalid(&format!("term {name} has an unknown coercion"))),
                    };
                    let id = compactor.expand(id);
                    compactor.properties.insert(id, (name.clone(), coercion));
                }
                _ => {
                    return Err(invalid(&format!(
                        "term {name} is neither a string nor an object"
                    )));
                }
            }
        }
        Ok(compactor)
    }

    /// The bundled context.
    pub fn bundled() -> Result<Self> {
        Self::new(CONTEXT)
    }

    /// IRIs used as a property or class that the context has no term for.
    pub fn missing(&self) -> &BTreeSet<String> {
        &self.missing
    }

    fn expand(&self, value: &str) -> String {
        if let Some((prefix, local)) = value.split_once(':')
            && !local.starts_with("//")
            && let Some((_, namespace)) = self.prefixes.iter().find(|(p, _)| p == prefix)
        {
            return format!("{namespace}{local}");
        }
        value.to_owned()
    }

    /// An IRI in a position where terms do not apply (`@id`, `@id`-coerced values): a
    /// compact IRI with the longest prefix that fits, or the full IRI.
    /// The local part must be a plain prefixed name ([`vocab::is_local_name`]), so that
    /// the value reads the same as in Turtle, tables and queries.
    fn id(&self, iri: &str) -> String {
        self.prefixes
            .iter()
            .find_map(|(prefix, namespace)| {
                let local = iri.strip_prefix(namespace.as_str())?;
                vocab::is_local_name(local).then(|| format!("{prefix}:{local}"))
            })
            .unwrap_or_else(|| iri.to_owned())
    }

    fn node_id(&self, node: &NamedOrBlankNode) -> String {
        match node {
            NamedOrBlankNode::NamedNode(node) => self.id(node.as_str()),
            NamedOrBlankNode::BlankNode(node) => format!("_:{}", node.as_str()),
        }
    }

    fn class(&mut self, iri: &str) -> String {
        match self.classes.get(iri) {
            Some(name) => name.clone(),
            None => {
                self.missing.insert(iri.to_owned());
                self.id(iri)
            }
        }
    }

    fn property(&mut self, iri: &str) -> (String, Coercion) {
        match self.properties.get(iri) {
            Some(term) => term.clone(),
            None => {
                self.missing.insert(iri.to_owned());
                (self.id(iri), Coercion::None)
            }
        }
    }

    /// A value as the term's coercion lets it be written: a bare string when that reads
    /// back as the same RDF term, else a value object.
    fn value(&self, term: &Term, coercion: &Coercion) -> Value {
        match term {
            Term::NamedNode(node) if *coercion == Coercion::Id => {
                Value::from(self.id(node.as_str()))
            }
            Term::NamedNode(node) => object([("@id", Value::from(self.id(node.as_str())))]),
            Term::BlankNode(node) => {
                let id = Value::from(format!("_:{}", node.as_str()));
                if *coercion == Coercion::Id {
                    id
                } else {
                    object([("@id", id)])
                }
            }
            Term::Literal(literal) => self.literal(literal, coercion),
            // JSON-LD 1.1 has no triple terms; `refuse_triple_terms` keeps them out.
            Term::Triple(_) => Value::Null,
        }
    }

    fn literal(&self, literal: &Literal, coercion: &Coercion) -> Value {
        let value = Value::from(literal.value());
        let bare = match (literal.language(), coercion) {
            (Some(language), Coercion::None) => self.language.as_deref() == Some(language),
            (Some(language), Coercion::Language(Some(l))) => l == language,
            (None, Coercion::Language(None)) => literal.datatype().as_str() == XSD_STRING,
            (None, Coercion::None) => {
                literal.datatype().as_str() == XSD_STRING && self.language.is_none()
            }
            (None, Coercion::Datatype(datatype)) => literal.datatype().as_str() == datatype,
            _ => false,
        };
        if bare {
            return value;
        }
        match literal.language() {
            Some(language) => object([("@value", value), ("@language", Value::from(language))]),
            None if literal.datatype().as_str() == XSD_STRING => object([("@value", value)]),
            None => object([
                ("@value", value),
                ("@type", Value::from(self.id(literal.datatype().as_str()))),
            ]),
        }
    }

    /// The node objects of `triples` (any order), sorted by subject; with `embed`, the
    /// nodes it names are nested in their only referrer rather than listed.
    fn nodes(&mut self, triples: &[Triple], embed: impl Fn(&str) -> bool) -> Vec<Value> {
        let mut by_subject: BTreeMap<String, Vec<&Triple>> = BTreeMap::new();
        for triple in triples {
            by_subject
                .entry(triple.subject.to_string())
                .or_default()
                .push(triple);
        }
        // A node is nested when it is a part (say `embed`) with exactly one referrer.
        let mut referrers: HashMap<String, BTreeSet<&str>> = HashMap::new();
        for (subject, triples) in &by_subject {
            for triple in triples {
                if let Term::NamedNode(object) = &triple.object {
                    let key = format!("<{}>", object.as_str());
                    if key != *subject && by_subject.contains_key(&key) {
                        referrers.entry(key).or_default().insert(subject);
                    }
                }
            }
        }
        let nested: BTreeSet<String> = referrers
            .into_iter()
            .filter(|(key, referrers)| {
                referrers.len() == 1 && embed(key.trim_start_matches('<').trim_end_matches('>'))
            })
            .map(|(key, _)| key)
            .collect();
        let mut written = BTreeSet::new();
        let mut nodes = Vec::new();
        for subject in by_subject.keys() {
            if !nested.contains(subject) {
                nodes.push(self.node(subject, &by_subject, &nested, &mut written));
            }
        }
        // Nodes nested only in each other (a cycle) still get written, at the top.
        for subject in by_subject.keys() {
            if !written.contains(subject) {
                nodes.push(self.node(subject, &by_subject, &nested, &mut written));
            }
        }
        nodes
    }

    fn node(
        &mut self,
        subject: &str,
        by_subject: &BTreeMap<String, Vec<&Triple>>,
        nested: &BTreeSet<String>,
        written: &mut BTreeSet<String>,
    ) -> Value {
        written.insert(subject.to_owned());
        let triples = &by_subject[subject];
        self.node_with(
            &triples[0].subject,
            triples.iter().map(|t| (&t.predicate, &t.object)),
            |this, object| {
                let key = object.to_string();
                (nested.contains(&key) && !written.contains(&key))
                    .then(|| this.node(&key, by_subject, nested, written))
            },
        )
    }

    /// The node object of a subject: `@id`, `@type` (sorted), then each property's values
    /// sorted by their JSON text; `nested` gives the node to write in place of an object
    /// that is nested rather than referred to.
    fn node_with<'t>(
        &mut self,
        subject: &NamedOrBlankNode,
        triples: impl IntoIterator<Item = (&'t NamedNode, &'t Term)>,
        mut nested: impl FnMut(&mut Self, &Term) -> Option<Value>,
    ) -> Value {
        let mut node = Map::new();
        node.insert("@id".into(), Value::from(self.node_id(subject)));
        let mut types = Vec::new();
        let mut properties: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (predicate, object) in triples {
            if predicate.as_str() == RDF_TYPE
                && let Term::NamedNode(class) = object
            {
                types.push(self.class(class.as_str()));
                continue;
            }
            let (name, coercion) = self.property(predicate.as_str());
            let value = match nested(self, object) {
                Some(node) => node,
                None => self.value(object, &coercion),
            };
            properties.entry(name).or_default().push(value);
        }
        types.sort();
        match types.len() {
            0 => {}
            1 => {
                node.insert("@type".into(), Value::from(types.remove(0)));
            }
            _ => {
                node.insert("@type".into(), Value::from(types));
            }
        }
        for (name, mut values) in properties {
            values.sort_by_cached_key(|v| v.to_string());
            let value = if values.len() == 1 {
                values.remove(0)
            } else {
                Value::Array(values)
            };
            node.insert(name, value);
        }
        Value::Object(node)
    }
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// The `@context` entry of a document.
fn context_entry(mode: ContextMode) -> Result<Value> {
    Ok(match mode {
        ContextMode::Embed => {
            let document: Value = serde_json::from_str(CONTEXT).map_err(|e| Error::Export {
                message: "invalid JSON-LD context".into(),
                source: Some(e.into()),
            })?;
            document["@context"].clone()
        }
        ContextMode::Reference => Value::from(iri::jsonld_context().as_str()),
    })
}

/// Writes `quads` as compacted JSON-LD, a graph object per named graph; returns the
/// compactor, which knows the IRIs that had no term.
pub fn write_dataset(quads: &[Quad], mode: ContextMode, out: &mut dyn Write) -> Result<Compactor> {
    refuse_triple_terms(quads.iter().map(|q| &q.object))?;
    let mut graphs: BTreeMap<String, (GraphNameRef<'_>, BTreeMap<String, Vec<&Quad>>)> =
        BTreeMap::new();
    for quad in quads {
        graphs
            .entry(quad.graph_name.to_string())
            .or_insert_with(|| (quad.graph_name.as_ref(), BTreeMap::new()))
            .1
            .entry(quad.subject.to_string())
            .or_default()
            .push(quad);
    }
    let mut writer = DatasetWriter::new(mode, out)?;
    for (name, subjects) in graphs.into_values() {
        writer.graph(name)?;
        for quads in subjects.into_values() {
            writer.node(
                &quads[0].subject,
                quads.iter().map(|q| (&q.predicate, &q.object)),
            )?;
        }
    }
    writer.finish()
}

/// Compacted JSON-LD written node by node, with the layout `serde_json`'s pretty printer
/// gives the whole document: the caller gives the graphs in the order of their N-Quads
/// form (the default graph's nodes are top-level nodes where it sorts), and each graph's
/// subjects in the order of their N-Triples form, each with all its triples in that graph,
/// so that only one node is in memory at a time.
pub struct DatasetWriter<'w> {
    out: &'w mut dyn Write,
    compactor: Compactor,
    /// Items written in the document's `@graph`.
    top: usize,
    /// Nodes written in the named graph open; `None` when none is.
    graph: Option<usize>,
    buffer: Vec<u8>,
}

/// The indentation of a top-level item, and of a node in a named graph.
const TOP: &[u8] = b"    ";
const IN_GRAPH: &[u8] = b"        ";

impl<'w> DatasetWriter<'w> {
    /// Writes the start of the document, its context included.
    pub fn new(mode: ContextMode, out: &'w mut dyn Write) -> Result<Self> {
        let mut writer = Self {
            out,
            compactor: Compactor::bundled()?,
            top: 0,
            graph: None,
            buffer: Vec::new(),
        };
        writer.raw(b"{\n  \"@context\": ")?;
        writer.value(&context_entry(mode)?, b"  ")?;
        writer.raw(b",\n  \"@graph\": [")?;
        Ok(writer)
    }

    /// Starts the graph whose nodes come next: a graph object for a named graph, none for
    /// the default graph.
    pub fn graph(&mut self, name: GraphNameRef<'_>) -> Result<()> {
        self.end_graph()?;
        let id = match name {
            GraphNameRef::DefaultGraph => return Ok(()),
            GraphNameRef::NamedNode(graph) => self.compactor.id(graph.as_str()),
            GraphNameRef::BlankNode(graph) => format!("_:{}", graph.as_str()),
        };
        self.next_top()?;
        self.raw(b"{\n      \"@id\": ")?;
        self.value(&Value::from(id), b"")?;
        self.raw(b",\n      \"@graph\": [")?;
        self.graph = Some(0);
        Ok(())
    }

    /// Writes one subject's node.
    pub fn node<'t>(
        &mut self,
        subject: &NamedOrBlankNode,
        triples: impl IntoIterator<Item = (&'t NamedNode, &'t Term)>,
    ) -> Result<()> {
        let mut refused = None;
        let node = self.compactor.node_with(subject, triples, |_, object| {
            if let Term::Triple(_) = object {
                refused = Some(object.clone());
            }
            None
        });
        if let Some(term) = refused {
            refuse_triple_terms(std::iter::once(&term))?;
        }
        match &mut self.graph {
            Some(count) => {
                let first = *count == 0;
                *count += 1;
                self.raw(if first { b"\n" } else { b",\n" })?;
                self.raw(IN_GRAPH)?;
                self.value(&node, IN_GRAPH)
            }
            None => {
                self.next_top()?;
                self.value(&node, TOP)
            }
        }
    }

    /// Ends the document; returns the compactor, which knows the IRIs that had no term.
    pub fn finish(mut self) -> Result<Compactor> {
        self.end_graph()?;
        self.raw(if self.top == 0 {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        })?;
        Ok(self.compactor)
    }

    fn next_top(&mut self) -> Result<()> {
        let first = self.top == 0;
        self.top += 1;
        self.raw(if first { b"\n" } else { b",\n" })?;
        self.raw(TOP)
    }

    fn end_graph(&mut self) -> Result<()> {
        match self.graph.take() {
            None => Ok(()),
            Some(0) => self.raw(b"]\n    }"),
            Some(_) => self.raw(b"\n      ]\n    }"),
        }
    }

    /// A value pretty-printed, its lines after the first indented by `indent`.
    fn value(&mut self, value: &Value, indent: &[u8]) -> Result<()> {
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, value).map_err(|e| Error::Export {
            message: "JSON-LD".into(),
            source: Some(e.into()),
        })?;
        let buffer = std::mem::take(&mut self.buffer);
        for (i, line) in buffer.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.raw(b"\n")?;
                self.raw(indent)?;
            }
            self.raw(line)?;
        }
        self.buffer = buffer;
        Ok(())
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(|source| Error::Io {
            path: "<output>".into(),
            source,
        })
    }
}

/// Writes `triples` framed by entity: each entity a node of `@graph`, with its parts (IRIs
/// minted under another entity's, `id/{kind}/{entity}/…`) nested where they are referred to.
pub fn write_framed(
    triples: &[Triple],
    frame: Frame,
    mode: ContextMode,
    out: &mut dyn Write,
) -> Result<Compactor> {
    let Frame::Entity = frame;
    refuse_triple_terms(triples.iter().map(|t| &t.object))?;
    let mut compactor = Compactor::bundled()?;
    let nodes = compactor.nodes(triples, is_part);
    write_document(context_entry(mode)?, nodes, out)?;
    Ok(compactor)
}

/// JSON-LD 1.1 cannot write an RDF 1.2 triple term: an error rather than a silent loss.
/// tipkg's own graph has none; the check guards the invariant.
fn refuse_triple_terms<'a>(mut objects: impl Iterator<Item = &'a Term>) -> Result<()> {
    match objects.find(|o| matches!(o, Term::Triple(_))) {
        Some(term) => Err(Error::Export {
            message: format!("JSON-LD 1.1 cannot write the RDF 1.2 triple term {term}"),
            source: None,
        }),
        None => Ok(()),
    }
}

/// Whether an IRI names a part of an entity: more than a kind and a slug under `id/`.
fn is_part(iri: &str) -> bool {
    iri.strip_prefix(vocab::ID)
        .is_some_and(|path| path.split('/').count() > 2)
}

/// A document: its context first, then its graph.
#[derive(serde::Serialize)]
struct Document<G> {
    #[serde(rename = "@context")]
    context: Value,
    #[serde(rename = "@graph")]
    graph: G,
}

fn write_document(context: Value, graph: impl serde::Serialize, out: &mut dyn Write) -> Result<()> {
    let document = Document { context, graph };
    let io = |e: std::io::Error| Error::Io {
        path: "<output>".into(),
        source: e,
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(|e| io(e.into()))?;
    writeln!(out).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triple_term_is_refused_not_dropped() {
        let node =
            |s: &str| oxigraph::model::NamedNode::new_unchecked(format!("http://example.org/{s}"));
        let inner = Triple::new(node("b"), node("c"), node("d"));
        let quad = Quad::new(node("a"), node("says"), inner, GraphName::DefaultGraph);
        let mut out = Vec::new();
        let error = write_dataset(&[quad], ContextMode::Reference, &mut out)
            .err()
            .expect("a triple term cannot be written in JSON-LD 1.1")
            .to_string();
        assert!(error.contains("triple term"), "{error}");
        assert!(out.is_empty());
    }

    #[test]
    fn local_names_go_to_the_first_vocabulary() {
        let terms = [
            "http://schema.org/description".to_owned(),
            "http://purl.org/dc/terms/description".to_owned(),
            "http://schema.org/name".to_owned(),
        ];
        let names = term_names(terms.iter());
        assert_eq!(names["http://schema.org/description"], "description");
        assert_eq!(
            names["http://purl.org/dc/terms/description"],
            "dcterms:description"
        );
        assert_eq!(names["http://schema.org/name"], "name");
    }

    #[test]
    fn a_prefix_of_the_table_is_never_a_term() {
        let terms = [
            "https://w3id.org/tipkg/ontology#role".to_owned(),
            "http://purl.org/dc/terms/source".to_owned(),
        ];
        let names = term_names(terms.iter());
        assert_eq!(names["https://w3id.org/tipkg/ontology#role"], "tipkg:role");
        assert_eq!(names["http://purl.org/dc/terms/source"], "dcterms:source");
    }

    #[test]
    fn compact_iris_are_the_same_as_in_turtle() {
        let compactor = Compactor::bundled().unwrap();
        for iri in [
            "https://w3id.org/tipkg/id/org/icat",
            "https://w3id.org/tipkg/id/source/icat-about",
            "https://w3id.org/tipkg/concept/role/presenter",
            "https://w3id.org/tipkg/id/participation/e/o-role",
            "https://w3id.org/tipkg/id/grant/g/amount/a",
        ] {
            let written = compactor.id(iri);
            let expected = vocab::compact(iri);
            assert_eq!(
                written,
                expected.trim_start_matches('<').trim_end_matches('>'),
                "{iri}"
            );
        }
    }

    #[test]
    fn parts_are_more_than_a_kind_and_a_slug() {
        assert!(is_part("https://w3id.org/tipkg/id/participation/e/o-role"));
        assert!(!is_part("https://w3id.org/tipkg/id/org/unicef"));
    }
}
