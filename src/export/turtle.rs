//! A Turtle and TriG writer for people: one block per subject, `a` first, labels next and
//! the other predicates in the order of their prefixed names, objects grouped with `,` and
//! `;`, only the prefixes in use, and subjects sorted, so that the same graph always prints
//! the same bytes and a change to one fact is a change to one line of a diff. Names are
//! written as [`vocab::compact`] writes them everywhere: a prefixed name only where it needs
//! no backslash escape, the full IRI otherwise.

use crate::base::vocab::{self, PREFIXES};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphName, GraphNameRef, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, QuadRef, Term, TermRef, Triple, TripleRef,
};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Seek, SeekFrom, Write};
use tempfile::SpooledTempFile;

/// Predicates written right after `a`, in this order: what a reader looks for first.
const FIRST_PREDICATES: &[&str] = &[
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://schema.org/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
];

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// Past this width a list of objects is written one per line.
const LINE_WIDTH: usize = 100;

/// Writes `triples` as Turtle.
pub fn write_turtle(triples: &[Triple], out: &mut dyn Write) -> io::Result<()> {
    let mut writer = Readable::new();
    write_blocks(triples, &mut writer)?;
    writer.finish(out)
}

/// Writes each named graph as a TriG block (the default graph first, without braces).
pub fn write_trig(graphs: &[(GraphName, Vec<Triple>)], out: &mut dyn Write) -> io::Result<()> {
    let mut writer = Readable::new();
    for (name, triples) in graphs {
        writer.graph(name.as_ref())?;
        write_blocks(triples, &mut writer)?;
    }
    writer.finish(out)
}

/// The sorted Turtle and TriG writer, fed one subject at a time: the caller gives the
/// subjects in the order of [`subject_order`] (and, in TriG, the graphs in the order of
/// their N-Triples form, the default graph first), each with all its triples, so that only
/// one subject's block is ever in memory. The prefixes an output declares are only known
/// once it is all written, so the blocks go to a temporary file (in memory while small)
/// and [`Readable::finish`] writes the declarations and then the blocks.
pub struct Readable {
    body: io::BufWriter<SpooledTempFile>,
    /// The prefixes of [`PREFIXES`] that a written IRI used, by index in the table.
    used: Vec<bool>,
    /// A named graph's block is open (TriG).
    in_graph: bool,
}

/// Blocks up to this size stay in memory; past it they go to a temporary file.
const SPOOL_LIMIT: usize = 8 << 20;

impl Default for Readable {
    fn default() -> Self {
        Self::new()
    }
}

impl Readable {
    pub fn new() -> Self {
        Self {
            body: io::BufWriter::with_capacity(1 << 16, SpooledTempFile::new(SPOOL_LIMIT)),
            used: vec![false; PREFIXES.len()],
            in_graph: false,
        }
    }

    /// Starts the graph whose subjects come next (TriG): a block in braces for a named
    /// graph, none for the default graph.
    pub fn graph(&mut self, name: GraphNameRef<'_>) -> io::Result<()> {
        self.end_graph()?;
        match name {
            GraphNameRef::DefaultGraph => {}
            GraphNameRef::NamedNode(node) => {
                let name = self.iri(node.as_str());
                writeln!(self.body, "\n{name} {{")?;
                self.in_graph = true;
            }
            GraphNameRef::BlankNode(node) => {
                writeln!(self.body, "\n{node} {{")?;
                self.in_graph = true;
            }
        }
        Ok(())
    }

    fn end_graph(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.in_graph) {
            writeln!(self.body, "}}")?;
        }
        Ok(())
    }

    /// Writes one subject's block: `a` first, then the labels, then the other predicates
    /// by prefixed name, each predicate's objects sorted by their written form, written
    /// once. Nothing is written for a subject without triples.
    pub fn subject<'a>(
        &mut self,
        subject: NamedOrBlankNodeRef<'_>,
        triples: impl IntoIterator<Item = (NamedNodeRef<'a>, TermRef<'a>)>,
    ) -> io::Result<()> {
        let mut predicates: BTreeMap<PredicateKey, BTreeSet<String>> = BTreeMap::new();
        for (predicate, object) in triples {
            let key = PredicateKey::new(predicate, |iri| self.iri(iri));
            let object = term(object, |iri| self.iri(iri));
            predicates.entry(key).or_default().insert(object);
        }
        if predicates.is_empty() {
            return Ok(());
        }
        let subject = match subject {
            NamedOrBlankNodeRef::NamedNode(node) => self.iri(node.as_str()),
            NamedOrBlankNodeRef::BlankNode(node) => node.to_string(),
        };
        let indent = if self.in_graph { "    " } else { "" };
        let out = &mut self.body;
        writeln!(out)?;
        let continuation = format!("{indent}    ");
        write!(out, "{indent}{subject}")?;
        let count = predicates.len();
        for (i, (predicate, objects)) in predicates.iter().enumerate() {
            let lead = if i == 0 { " " } else { continuation.as_str() };
            let end = if i + 1 == count { " ." } else { " ;" };
            let objects: Vec<&str> = objects.iter().map(String::as_str).collect();
            let one_line = objects.join(", ");
            let head = format!("{lead}{} ", predicate.written);
            if head.len() + one_line.len() + continuation.len() <= LINE_WIDTH || objects.len() == 1
            {
                writeln!(out, "{head}{one_line}{end}")?;
            } else {
                let separator = format!(",\n{continuation}    ");
                writeln!(
                    out,
                    "{}\n{continuation}    {}{end}",
                    head.trim_end(),
                    objects.join(&separator)
                )?;
            }
        }
        Ok(())
    }

    /// An IRI as a prefixed name where one fits (noting the prefix as used), else in angle
    /// brackets. The longest namespace of the whole table that fits is the one the
    /// declared prefixes give too, since it is among them.
    fn iri(&mut self, iri: &str) -> String {
        match vocab::split(iri, PREFIXES) {
            Some((prefix, local)) => {
                if let Some(i) = PREFIXES.iter().position(|(p, _)| *p == prefix) {
                    self.used[i] = true;
                }
                format!("{prefix}:{local}")
            }
            None => format!("<{iri}>"),
        }
    }

    /// Writes the prefixes in use, then the blocks.
    pub fn finish(mut self, out: &mut dyn Write) -> io::Result<()> {
        self.end_graph()?;
        let used = Prefixes {
            used: PREFIXES
                .iter()
                .zip(&self.used)
                .filter(|(_, used)| **used)
                .map(|(prefix, _)| *prefix)
                .collect(),
        };
        used.write_declarations(out)?;
        let mut body = self
            .body
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        body.seek(SeekFrom::Start(0))?;
        io::copy(&mut body, out)?;
        Ok(())
    }
}

/// The order of subjects in a readable output: IRIs by their text, then blank nodes by
/// their label.
pub fn subject_order(a: NamedOrBlankNodeRef<'_>, b: NamedOrBlankNodeRef<'_>) -> Ordering {
    fn key(subject: NamedOrBlankNodeRef<'_>) -> (bool, &str) {
        match subject {
            NamedOrBlankNodeRef::NamedNode(node) => (false, node.as_str()),
            NamedOrBlankNodeRef::BlankNode(node) => (true, node.as_str()),
        }
    }
    key(a).cmp(&key(b))
}

/// Turtle or TriG written as the triples come, for graphs too big to sort: every prefix of
/// the table declared first, consecutive triples of a subject grouped in one block (and,
/// in TriG, consecutive quads of a graph in one graph block), names written as by the
/// sorted writer. Holds nothing but the current subject, predicate and graph.
pub struct Streamer<W: Write> {
    out: W,
    prefixes: Prefixes,
    /// The graph block open (TriG), `None` before the first quad.
    graph: Option<GraphName>,
    subject: Option<NamedOrBlankNode>,
    predicate: Option<NamedNode>,
}

impl<W: Write> Streamer<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        let prefixes = Prefixes {
            used: PREFIXES.to_vec(),
        };
        prefixes.write_declarations(&mut out)?;
        Ok(Self {
            out,
            prefixes,
            graph: None,
            subject: None,
            predicate: None,
        })
    }

    fn indent(&self) -> &'static str {
        match self.graph {
            Some(GraphName::NamedNode(_) | GraphName::BlankNode(_)) => "    ",
            _ => "",
        }
    }

    /// Writes a triple (Turtle, or into the graph block open).
    pub fn triple(&mut self, triple: TripleRef<'_>) -> io::Result<()> {
        let object = self.prefixes.term(triple.object);
        let predicate = if triple.predicate == rdf::TYPE {
            "a".to_owned()
        } else {
            self.prefixes.iri(triple.predicate.as_str())
        };
        let indent = self.indent();
        if self.subject.as_ref().map(NamedOrBlankNode::as_ref) != Some(triple.subject) {
            self.end_subject()?;
            let subject = match triple.subject.into_owned() {
                NamedOrBlankNode::NamedNode(node) => self.prefixes.iri(node.as_str()),
                other => other.to_string(),
            };
            write!(self.out, "\n{indent}{subject} {predicate} {object}")?;
            self.subject = Some(triple.subject.into_owned());
        } else if self.predicate.as_ref().map(NamedNode::as_ref) == Some(triple.predicate) {
            write!(self.out, ", {object}")?;
        } else {
            write!(self.out, " ;\n{indent}    {predicate} {object}")?;
        }
        self.predicate = Some(triple.predicate.into_owned());
        Ok(())
    }

    /// Writes a quad in TriG: a new graph block when its graph is not the one open.
    pub fn quad(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        if self.graph.as_ref().map(GraphName::as_ref) != Some(quad.graph_name) {
            self.end_subject()?;
            self.end_graph()?;
            match quad.graph_name.into_owned() {
                GraphName::DefaultGraph => {}
                GraphName::NamedNode(node) => {
                    writeln!(self.out, "\n{} {{", self.prefixes.iri(node.as_str()))?;
                }
                GraphName::BlankNode(node) => writeln!(self.out, "\n{node} {{")?,
            }
            self.graph = Some(quad.graph_name.into_owned());
        }
        self.triple(TripleRef::new(quad.subject, quad.predicate, quad.object))
    }

    fn end_subject(&mut self) -> io::Result<()> {
        if self.subject.take().is_some() {
            writeln!(self.out, " .")?;
        }
        self.predicate = None;
        Ok(())
    }

    fn end_graph(&mut self) -> io::Result<()> {
        if let Some(GraphName::NamedNode(_) | GraphName::BlankNode(_)) = self.graph.take() {
            writeln!(self.out, "}}")?;
        }
        Ok(())
    }

    /// Ends the open block and graph, and flushes.
    pub fn finish(mut self) -> io::Result<W> {
        self.end_subject()?;
        self.end_graph()?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes one block per subject; `triples` need not be sorted.
fn write_blocks(triples: &[Triple], writer: &mut Readable) -> io::Result<()> {
    let mut subjects: Vec<NamedOrBlankNodeRef<'_>> =
        triples.iter().map(|t| t.subject.as_ref()).collect();
    subjects.sort_unstable_by(|a, b| subject_order(*a, *b));
    subjects.dedup();
    let mut by_subject: HashMap<NamedOrBlankNodeRef<'_>, Vec<&Triple>> = HashMap::new();
    for triple in triples {
        by_subject
            .entry(triple.subject.as_ref())
            .or_default()
            .push(triple);
    }
    for subject in subjects {
        let triples = &by_subject[&subject];
        writer.subject(
            subject,
            triples
                .iter()
                .map(|t| (t.predicate.as_ref(), t.object.as_ref())),
        )?;
    }
    Ok(())
}

/// A predicate with its place in a block: `a`, then the labels, then by prefixed name.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct PredicateKey {
    rank: usize,
    written: String,
}

impl PredicateKey {
    fn new(predicate: NamedNodeRef<'_>, mut iri_of: impl FnMut(&str) -> String) -> Self {
        let iri = predicate.as_str();
        if iri == rdf::TYPE.as_str() {
            return Self {
                rank: 0,
                written: "a".to_owned(),
            };
        }
        let rank = FIRST_PREDICATES
            .iter()
            .position(|p| *p == iri)
            .map_or(FIRST_PREDICATES.len() + 1, |i| i + 1);
        Self {
            rank,
            written: iri_of(iri),
        }
    }
}

/// The prefixes of [`PREFIXES`] that some IRI of the output uses.
pub struct Prefixes {
    used: Vec<(&'static str, &'static str)>,
}

impl Prefixes {
    /// The prefixes needed by `triples` (and the graph names, for TriG).
    pub fn used_by<'a>(
        triples: impl Iterator<Item = &'a Triple>,
        graphs: impl Iterator<Item = &'a GraphName>,
    ) -> Self {
        let mut used = BTreeSet::new();
        let mut note = |iri: &str| {
            if let Some((prefix, _)) = vocab::split(iri, PREFIXES) {
                used.insert(prefix);
            }
        };
        for triple in triples {
            if let NamedOrBlankNode::NamedNode(node) = &triple.subject {
                note(node.as_str());
            }
            if triple.predicate.as_str() != rdf::TYPE.as_str() {
                note(triple.predicate.as_str());
            }
            match &triple.object {
                Term::NamedNode(node) => note(node.as_str()),
                Term::Literal(literal)
                    if shorthand(literal.as_ref()).is_none()
                        && literal.language().is_none()
                        && literal.datatype().as_str() != XSD_STRING =>
                {
                    note(literal.datatype().as_str());
                }
                _ => {}
            }
        }
        for graph in graphs {
            if let GraphName::NamedNode(node) = graph {
                note(node.as_str());
            }
        }
        Self {
            used: PREFIXES
                .iter()
                .filter(|(prefix, _)| used.contains(prefix))
                .copied()
                .collect(),
        }
    }

    /// The prefixes in use, in the order of [`PREFIXES`].
    pub fn declared(&self) -> &[(&'static str, &'static str)] {
        &self.used
    }

    fn write_declarations(&self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        for (prefix, namespace) in &self.used {
            writeln!(out, "@prefix {prefix}: <{namespace}> .")?;
        }
        Ok(())
    }

    /// An IRI as a prefixed name where one fits, else in angle brackets.
    fn iri(&self, iri: &str) -> String {
        vocab::compact_with(iri, &self.used)
    }

    fn term(&self, term: TermRef<'_>) -> String {
        self::term(term, |iri| self.iri(iri))
    }
}

/// A term as Turtle writes it, IRIs (and datatypes) written by `iri_of`.
fn term(term: TermRef<'_>, mut iri_of: impl FnMut(&str) -> String) -> String {
    match term {
        TermRef::NamedNode(node) => iri_of(node.as_str()),
        TermRef::Literal(literal) => {
            if let Some(short) = shorthand(literal) {
                return short.to_owned();
            }
            let value = quoted(literal.value());
            if let Some(language) = literal.language() {
                format!("{value}@{language}")
            } else if literal.datatype().as_str() == XSD_STRING {
                value
            } else {
                format!("{value}^^{}", iri_of(literal.datatype().as_str()))
            }
        }
        other => other.to_string(),
    }
}

/// Turtle's bare forms of integers, decimals and booleans, when the lexical form is one
/// and is canonical (`042` would read back the same, but some readers rewrite it).
fn shorthand(literal: LiteralRef<'_>) -> Option<&str> {
    let value = literal.value();
    let digits = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let fits = match literal.datatype().as_str() {
        "http://www.w3.org/2001/XMLSchema#integer" => digits(unsigned),
        "http://www.w3.org/2001/XMLSchema#decimal" => {
            unsigned.split_once('.').is_some_and(|(int, frac)| {
                digits(int) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
            })
        }
        "http://www.w3.org/2001/XMLSchema#boolean" => value == "true" || value == "false",
        _ => false,
    };
    fits.then_some(value)
}

/// A string literal in double quotes with Turtle's escapes.
fn quoted(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    #[test]
    fn numbers_use_the_bare_form_only_when_it_reads_back_the_same() {
        let xsd = |local: &str| {
            NamedNode::new(format!("http://www.w3.org/2001/XMLSchema#{local}")).unwrap()
        };
        assert_eq!(
            shorthand(Literal::new_typed_literal("35", xsd("integer")).as_ref()),
            Some("35")
        );
        assert_eq!(
            shorthand(Literal::new_typed_literal("6.6", xsd("decimal")).as_ref()),
            Some("6.6")
        );
        assert_eq!(
            shorthand(Literal::new_typed_literal("6", xsd("decimal")).as_ref()),
            None
        );
        for (value, datatype) in [
            ("2023", "gYear"),
            ("042", "integer"),
            ("+1", "integer"),
            ("1.", "decimal"),
        ] {
            let literal = Literal::new_typed_literal(value, xsd(datatype));
            assert_eq!(shorthand(literal.as_ref()), None, "{literal}");
        }
    }
}
