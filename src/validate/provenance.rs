//! The rule SHACL cannot state on the union of the graphs: each source's named graph carries
//! the provenance of what it says. Every entity that a source's graph describes has
//! `prov:wasDerivedFrom` that source *in that graph*, so that a consumer who takes one graph
//! alone still knows where its statements come from. On the union, a link from another
//! source's graph would hide the gap.
//!
//! A graph describes every subject of its triples but the source itself, and but the far
//! end of a link the mapping also writes backwards (a parent's `org:hasUnit`, a broader
//! concept's `skos:narrower`…, as `mapping::LINKS_BOTH_WAYS` lists them): that triple is
//! provenance-bound through its other end.

use super::graph::Lookup;
use super::report::{Finding, label_of};
use super::shacl::{Path, Severity, Shapes};
use crate::base::iri;
use crate::base::vocab::{prov, tipkgsh};
use crate::mapping::LINKS_BOTH_WAYS;
use crate::mapping::origin::Origin;
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};

/// One finding per entity and source graph that lacks the source's `prov:wasDerivedFrom`.
pub fn findings(
    quads: &[Quad],
    data: &dyn Lookup,
    shapes: &Shapes,
    origins: impl Fn(&NamedNode, &str) -> Vec<Origin>,
) -> Vec<Finding> {
    let backwards: Vec<NamedNodeRef<'_>> = LINKS_BOTH_WAYS.iter().map(|l| l.backward).collect();
    // Per source graph: the source's IRI and the entities the graph describes, and those it
    // derives from its source.
    let mut described: BTreeMap<String, (NamedNode, BTreeSet<NamedNode>)> = BTreeMap::new();
    let mut sourced: BTreeSet<(String, NamedNode)> = BTreeSet::new();
    for quad in quads {
        let (GraphName::NamedNode(g), NamedOrBlankNode::NamedNode(s)) =
            (&quad.graph_name, &quad.subject)
        else {
            continue;
        };
        let Some((source, source_iri)) = iri::graph_source(g.as_str()) else {
            continue;
        };
        if *s == source_iri {
            continue;
        }
        if !backwards.contains(&quad.predicate.as_ref()) {
            described
                .entry(source.to_owned())
                .or_insert_with(|| (source_iri.clone(), BTreeSet::new()))
                .1
                .insert(s.clone());
        }
        if quad.predicate == prov::wasDerivedFrom
            && matches!(&quad.object, Term::NamedNode(o) if *o == source_iri)
        {
            sourced.insert((source.to_owned(), s.clone()));
        }
    }
    let mut findings = Vec::new();
    for (source, (source_iri, entities)) in described {
        for entity in entities {
            if sourced.contains(&(source.clone(), entity.clone())) {
                continue;
            }
            let focus = Term::from(entity.clone());
            findings.push(Finding {
                severity: Severity::Violation,
                label: label_of(data, &focus),
                kind: shapes.kind_of(data, &focus),
                path: Some(Path::Predicate(prov::wasDerivedFrom.into_owned())),
                value: Some(source_iri.clone().into()),
                value_label: None,
                message: format!(
                    "the named graph of source \"{source}\" describes it without saying so: it needs prov:wasDerivedFrom that source in that graph"
                ),
                help: None,
                component: tipkgsh::SourceInItsGraph.into_owned(),
                focus: Some(focus),
                shape: None,
                root_shape: None,
                origins: origins(&entity, &source),
            });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::base::vocab::tipkgsh;

    #[test]
    fn the_component_is_in_the_namespace_of_the_reports() {
        assert_eq!(tipkgsh::NAMESPACE, super::super::SHAPES_NS);
    }
}
