//! The rule SHACL cannot state on the union of the graphs: each source's named graph carries
//! the provenance of what it says. Every entity that a source's graph describes has
//! `prov:wasDerivedFrom` that source *in that graph*, so that a consumer who takes one graph
//! alone still knows where its statements come from. On the union, a link from another
//! source's graph would hide the gap.
//!
//! A graph describes every subject of its triples but the source itself, and but the far
//! end of a link the mapping also writes backwards (a parent's `org:hasUnit`, a broader
//! concept's `skos:narrower`…): that triple is provenance-bound through its other end.

use super::report::{Finding, label_of};
use super::shacl::{Path, Severity, Shapes};
use crate::base::vocab;
use crate::mapping::origin::Origin;
use oxigraph::model::{Graph, GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};

/// One finding per entity and source graph that lacks the source's `prov:wasDerivedFrom`.
pub fn findings(
    quads: &[Quad],
    data: &Graph,
    shapes: &Shapes,
    origins: impl Fn(&NamedNode, &str) -> Vec<Origin>,
) -> Vec<Finding> {
    let derived = NamedNode::new_unchecked(format!("{}wasDerivedFrom", vocab::PROV));
    let backwards: Vec<NamedNode> = [
        format!("{}hasUnit", vocab::ORG),
        format!("{}narrower", vocab::SKOS),
        format!("{}hasTopConcept", vocab::SKOS),
        format!("{}recordedAt", vocab::SCHEMA),
    ]
    .into_iter()
    .map(NamedNode::new_unchecked)
    .collect();
    // Per source graph: the entities it describes, and those it derives from its source.
    let mut described: BTreeMap<String, BTreeSet<NamedNode>> = BTreeMap::new();
    let mut sourced: BTreeSet<(String, NamedNode)> = BTreeSet::new();
    for quad in quads {
        let (GraphName::NamedNode(g), NamedOrBlankNode::NamedNode(s)) =
            (&quad.graph_name, &quad.subject)
        else {
            continue;
        };
        let Some(source) = g.as_str().strip_prefix(vocab::GRAPH) else {
            continue;
        };
        if source == "ontology" || source == "dataset" {
            continue;
        }
        let source_iri = format!("{}source/{source}", vocab::ID);
        if s.as_str() == source_iri {
            continue;
        }
        if !backwards.contains(&quad.predicate) {
            described
                .entry(source.to_owned())
                .or_default()
                .insert(s.clone());
        }
        if quad.predicate == derived
            && matches!(&quad.object, Term::NamedNode(o) if o.as_str() == source_iri)
        {
            sourced.insert((source.to_owned(), s.clone()));
        }
    }
    let mut findings = Vec::new();
    for (source, entities) in described {
        let source_iri = NamedNode::new_unchecked(format!("{}source/{source}", vocab::ID));
        for entity in entities {
            if sourced.contains(&(source.clone(), entity.clone())) {
                continue;
            }
            let focus = Term::from(entity.clone());
            findings.push(Finding {
                severity: Severity::Violation,
                label: label_of(data, &focus),
                kind: shapes.kind_of(data, &focus),
                path: Some(Path::Predicate(derived.clone())),
                value: Some(source_iri.clone().into()),
                value_label: None,
                message: format!(
                    "the named graph of source \"{source}\" describes it without saying so: it needs prov:wasDerivedFrom that source in that graph"
                ),
                help: None,
                component: NamedNode::new_unchecked(format!(
                    "{}SourceInItsGraph",
                    super::SHAPES_NS
                )),
                focus: Some(focus),
                shape: None,
                root_shape: None,
                origins: origins(&entity, &source),
            });
        }
    }
    findings
}
