//! The writer of one named graph: the triples every entity gets (labels, provenance), the
//! links the mapping writes both ways, and the literals of dates and decimals.

use crate::base::iri::{self, Kind};
use crate::base::vocab::{org, prov, schema, skos, tipkg};
use crate::model::Ref;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};

/// A link the mapping writes both ways: `forward` from the entity whose record states it,
/// `backward` from the other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub forward: NamedNodeRef<'static>,
    pub backward: NamedNodeRef<'static>,
}

/// A unit and its parent organisation.
pub const UNIT_OF: Link = Link {
    forward: org::unitOf,
    backward: org::hasUnit,
};
/// A concept and a broader one.
pub const BROADER: Link = Link {
    forward: skos::broader,
    backward: skos::narrower,
};
/// A top concept and its scheme.
pub const TOP_CONCEPT_OF: Link = Link {
    forward: skos::topConceptOf,
    backward: skos::hasTopConcept,
};
/// An event and its recording.
pub const RECORDED_IN: Link = Link {
    forward: schema::recordedIn,
    backward: schema::recordedAt,
};

/// Every link the mapping writes both ways. A backward triple is stated by the record of
/// its other end, so the provenance rule does not count its subject as described.
pub const LINKS_BOTH_WAYS: [Link; 4] = [UNIT_OF, BROADER, TOP_CONCEPT_OF, RECORDED_IN];

/// The datatype of a date as the data writes it: a year, a month or a day.
pub(super) fn date_literal(value: &str) -> Literal {
    let datatype = match value.len() {
        4 => xsd::G_YEAR,
        7 => xsd::G_YEAR_MONTH,
        _ => xsd::DATE,
    };
    Literal::new_typed_literal(value, datatype)
}

/// A decimal literal in the canonical form stores give it back in ("35", "6.6").
pub(super) fn decimal_literal(value: f64) -> Literal {
    // Rust prints the shortest text that reads back as the same double: "35", "6.6".
    let text = value.to_string();
    Literal::new_typed_literal(text, xsd::DECIMAL)
}

/// Collects the quads of one graph: the graph of a source, stating its language's texts.
pub(super) struct Writer<'m> {
    quads: &'m mut Vec<Quad>,
    graph: GraphName,
    language: String,
    source: NamedNode,
}

impl<'m> Writer<'m> {
    pub(super) fn new(quads: &'m mut Vec<Quad>, source: &str, language: &str) -> Self {
        Self {
            quads,
            graph: iri::graph(source).into(),
            language: language.to_owned(),
            source: iri::entity(Kind::Source, source),
        }
    }

    pub(super) fn add(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
    ) {
        self.quads.push(Quad::new(
            subject.clone(),
            predicate,
            object.into(),
            self.graph.clone(),
        ));
    }

    /// `subject link object`, and the link backwards from `object`.
    pub(super) fn both_ways(&mut self, subject: &NamedNode, link: Link, object: &NamedNode) {
        self.add(subject, link.forward, object.clone());
        self.add(object, link.backward, subject.clone());
    }

    /// Links `subject` to the entities of one kind that `refs` name.
    pub(super) fn links<'r>(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        kind: Kind,
        refs: impl IntoIterator<Item = &'r Ref>,
    ) {
        for r in refs {
            self.add(subject, predicate, iri::entity(kind, r.get_ref()));
        }
    }

    /// A text in the source's language.
    pub(super) fn text(&mut self, subject: &NamedNode, predicate: NamedNodeRef<'_>, value: &str) {
        let literal = Literal::new_language_tagged_literal(value, &self.language)
            .unwrap_or_else(|_| Literal::new_simple_literal(value));
        self.add(subject, predicate, literal);
    }

    /// Texts in the source's language, each that is given.
    pub(super) fn texts<'v>(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        values: impl IntoIterator<Item = &'v String>,
    ) {
        for value in values {
            self.text(subject, predicate, value);
        }
    }

    /// The dates given, each as the literal of its precision.
    pub(super) fn dates<'v>(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        values: impl IntoIterator<Item = &'v toml::Spanned<String>>,
    ) {
        for value in values {
            self.add(subject, predicate, date_literal(value.get_ref()));
        }
    }

    /// The addresses given, as IRIs (checked before mapping).
    pub(super) fn addresses<'v>(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        values: impl IntoIterator<Item = &'v toml::Spanned<String>>,
    ) {
        for value in values {
            self.add(
                subject,
                predicate,
                NamedNode::new_unchecked(value.get_ref()),
            );
        }
    }

    pub(super) fn a(&mut self, subject: &NamedNode, class: NamedNodeRef<'_>) {
        self.add(subject, rdf::TYPE, class);
    }

    /// The label triples every entity gets: `skos:prefLabel`, and `schema:name` for things
    /// schema.org describes.
    pub(super) fn label(&mut self, subject: &NamedNode, label: &str, with_schema_name: bool) {
        self.text(subject, skos::prefLabel, label);
        if with_schema_name {
            self.text(subject, schema::name, label);
        }
    }

    pub(super) fn acronym(&mut self, subject: &NamedNode, acronym: &str) {
        self.text(subject, skos::altLabel, acronym);
        self.text(subject, schema::alternateName, acronym);
    }

    /// Provenance of an entity in this graph, without passages.
    pub(super) fn sourced(&mut self, subject: &NamedNode) {
        self.derived(subject, []);
    }

    /// Provenance of an entity in this graph, with the passages it rests on.
    pub(super) fn derived<'q>(
        &mut self,
        subject: &NamedNode,
        quotes: impl IntoIterator<Item = &'q toml::Spanned<String>>,
    ) {
        let source = self.source.clone();
        self.add(subject, prov::wasDerivedFrom, source);
        for quote in quotes {
            self.text(subject, tipkg::evidenceQuote, quote.get_ref());
        }
    }
}
