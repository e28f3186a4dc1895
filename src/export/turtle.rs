//! A Turtle and TriG writer for people: one block per subject, `a` first, labels next and
//! the other predicates in the order of their prefixed names, objects grouped with `,` and
//! `;`, only the prefixes in use, and subjects sorted, so that the same graph always prints
//! the same bytes and a change to one fact is a change to one line of a diff. Names are
//! written as [`vocab::compact`] writes them everywhere: a prefixed name only where it needs
//! no backslash escape, the full IRI otherwise.

use crate::base::vocab::{self, PREFIXES, RDF};
use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedOrBlankNode, QuadRef, Term, Triple, TripleRef,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

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
    let prefixes = Prefixes::used_by(triples.iter(), std::iter::empty());
    prefixes.write_declarations(out)?;
    write_blocks(triples, &prefixes, "", out)
}

/// Writes each named graph as a TriG block (the default graph first, without braces).
pub fn write_trig(graphs: &[(GraphName, Vec<Triple>)], out: &mut dyn Write) -> io::Result<()> {
    let prefixes = Prefixes::used_by(
        graphs.iter().flat_map(|(_, triples)| triples),
        graphs.iter().map(|(name, _)| name),
    );
    prefixes.write_declarations(out)?;
    for (name, triples) in graphs {
        match name {
            GraphName::DefaultGraph => write_blocks(triples, &prefixes, "", out)?,
            GraphName::NamedNode(node) => {
                writeln!(out, "\n{} {{", prefixes.iri(node.as_str()))?;
                write_blocks(triples, &prefixes, "    ", out)?;
                writeln!(out, "}}")?;
            }
            GraphName::BlankNode(node) => {
                writeln!(out, "\n{node} {{")?;
                write_blocks(triples, &prefixes, "    ", out)?;
                writeln!(out, "}}")?;
            }
        }
    }
    Ok(())
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
        let object = self.prefixes.term(&triple.object.into_owned());
        let predicate = if triple.predicate.as_str() == format!("{RDF}type") {
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
fn write_blocks(
    triples: &[Triple],
    prefixes: &Prefixes,
    indent: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    // subject → predicate → objects, each level ordered by its written form.
    let mut blocks: BTreeMap<String, BTreeMap<PredicateKey, BTreeSet<String>>> = BTreeMap::new();
    for triple in triples {
        blocks
            .entry(subject_key(&triple.subject))
            .or_default()
            .entry(PredicateKey::new(&triple.predicate, prefixes))
            .or_default()
            .insert(prefixes.term(&triple.object));
    }
    for (subject, predicates) in &blocks {
        let subject = prefixes.subject(subject);
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
    }
    Ok(())
}

/// The subject in N-Triples form, the sort key of blocks (IRIs before blank nodes).
fn subject_key(subject: &NamedOrBlankNode) -> String {
    match subject {
        NamedOrBlankNode::NamedNode(node) => format!("<{}", node.as_str()),
        other => other.to_string(),
    }
}

/// A predicate with its place in a block: `a`, then the labels, then by prefixed name.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct PredicateKey {
    rank: usize,
    written: String,
}

impl PredicateKey {
    fn new(predicate: &NamedNode, prefixes: &Prefixes) -> Self {
        let iri = predicate.as_str();
        if iri == format!("{RDF}type") {
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
            written: prefixes.iri(iri),
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
            if triple.predicate.as_str() != format!("{RDF}type") {
                note(triple.predicate.as_str());
            }
            match &triple.object {
                Term::NamedNode(node) => note(node.as_str()),
                Term::Literal(literal)
                    if shorthand(literal).is_none()
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

    fn subject(&self, key: &str) -> String {
        match key.strip_prefix('<') {
            Some(iri) => self.iri(iri),
            None => key.to_owned(),
        }
    }

    fn term(&self, term: &Term) -> String {
        match term {
            Term::NamedNode(node) => self.iri(node.as_str()),
            Term::Literal(literal) => {
                if let Some(short) = shorthand(literal) {
                    return short.to_owned();
                }
                let value = quoted(literal.value());
                if let Some(language) = literal.language() {
                    format!("{value}@{language}")
                } else if literal.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string" {
                    value
                } else {
                    format!("{value}^^{}", self.iri(literal.datatype().as_str()))
                }
            }
            other => other.to_string(),
        }
    }
}

/// Turtle's bare forms of integers, decimals and booleans, when the lexical form is one
/// and is canonical (`042` would read back the same, but some readers rewrite it).
fn shorthand(literal: &Literal) -> Option<&str> {
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

    #[test]
    fn numbers_use_the_bare_form_only_when_it_reads_back_the_same() {
        let xsd = |local: &str| {
            NamedNode::new(format!("http://www.w3.org/2001/XMLSchema#{local}")).unwrap()
        };
        assert_eq!(
            shorthand(&Literal::new_typed_literal("35", xsd("integer"))),
            Some("35")
        );
        assert_eq!(
            shorthand(&Literal::new_typed_literal("6.6", xsd("decimal"))),
            Some("6.6")
        );
        assert_eq!(
            shorthand(&Literal::new_typed_literal("6", xsd("decimal"))),
            None
        );
        for (value, datatype) in [
            ("2023", "gYear"),
            ("042", "integer"),
            ("+1", "integer"),
            ("1.", "decimal"),
        ] {
            let literal = Literal::new_typed_literal(value, xsd(datatype));
            assert_eq!(shorthand(&literal), None, "{literal}");
        }
    }
}
