//! A Turtle and TriG writer for people: one block per subject, `a` first, labels next and
//! the other predicates in the order of their prefixed names, objects grouped with `,` and
//! `;`, only the prefixes in use, and subjects sorted, so that the same graph always prints
//! the same bytes and a change to one fact is a change to one line of a diff.

use crate::vocab::{PREFIXES, RDF};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
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
            if let Some((prefix, _)) = best_prefix(iri, PREFIXES) {
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

    fn write_declarations(&self, out: &mut dyn Write) -> io::Result<()> {
        for (prefix, namespace) in &self.used {
            writeln!(out, "@prefix {prefix}: <{namespace}> .")?;
        }
        Ok(())
    }

    /// An IRI as a prefixed name where one fits, else in angle brackets.
    fn iri(&self, iri: &str) -> String {
        match best_prefix(iri, &self.used) {
            Some((prefix, namespace)) => {
                format!(
                    "{prefix}:{}",
                    escape_local(&iri[namespace.len()..]).unwrap()
                )
            }
            None => format!("<{iri}>"),
        }
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

/// The longest namespace of `prefixes` that `iri` starts with and whose rest can be written
/// as a local name.
fn best_prefix<'p>(
    iri: &str,
    prefixes: &'p [(&'static str, &'static str)],
) -> Option<&'p (&'static str, &'static str)> {
    prefixes
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns) && escape_local(&iri[ns.len()..]).is_some())
        .max_by_key(|(_, ns)| ns.len())
}

/// The local part of a prefixed name (Turtle's PN_LOCAL), escaping the characters that
/// need it, or `None` when it cannot be written as one.
fn escape_local(local: &str) -> Option<String> {
    if local.is_empty() {
        return None;
    }
    let mut written = String::with_capacity(local.len());
    let last = local.chars().count() - 1;
    for (i, c) in local.chars().enumerate() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | ':' => written.push(c),
            '-' if i > 0 => written.push(c),
            '.' if i > 0 && i < last => written.push(c),
            '~' | '.' | '-' | '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '='
            | '/' | '?' | '#' | '@' | '%' => {
                written.push('\\');
                written.push(c);
            }
            _ => return None,
        }
    }
    Some(written)
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
    fn local_names_are_escaped_or_refused() {
        assert_eq!(escape_local("unicef").unwrap(), "unicef");
        assert_eq!(escape_local("a/b").unwrap(), "a\\/b");
        assert_eq!(escape_local("-a").unwrap(), "\\-a");
        assert_eq!(escape_local("a.").unwrap(), "a\\.");
        assert!(escape_local("").is_none());
        assert!(escape_local("a b").is_none());
    }

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
