//! The namespaces of the vocabularies the graph uses, and their preferred prefixes.

/// Prefix and namespace of every vocabulary the graph may use, in the order exports list
/// them. Exports declare only those actually used.
pub const PREFIXES: &[(&str, &str)] = &[
    ("tipkg", TIPKG),
    ("id", ID),
    ("concept", CONCEPT),
    ("graph", GRAPH),
    // One prefix per kind of thing and per bundled concept scheme, so that exports write
    // `organisation:unicef` rather than `id:org\/unicef` (a `/` must be escaped in a
    // prefixed name).
    ("organisation", "https://w3id.org/tipkg/id/org/"),
    ("event", "https://w3id.org/tipkg/id/event/"),
    ("project", "https://w3id.org/tipkg/id/project/"),
    ("work", "https://w3id.org/tipkg/id/work/"),
    ("grant", "https://w3id.org/tipkg/id/grant/"),
    ("observation", "https://w3id.org/tipkg/id/observation/"),
    ("country", "https://w3id.org/tipkg/id/country/"),
    ("region", "https://w3id.org/tipkg/id/region/"),
    ("source", "https://w3id.org/tipkg/id/source/"),
    ("participation", "https://w3id.org/tipkg/id/participation/"),
    ("amount", "https://w3id.org/tipkg/id/amount/"),
    ("statistics", "https://w3id.org/tipkg/id/statistics/"),
    ("topic", "https://w3id.org/tipkg/concept/topic/"),
    ("assistance", "https://w3id.org/tipkg/concept/assistance/"),
    ("population", "https://w3id.org/tipkg/concept/population/"),
    ("role", "https://w3id.org/tipkg/concept/role/"),
    ("dataset", "https://w3id.org/tipkg/dataset/"),
    ("schema", SCHEMA),
    ("org", ORG),
    ("prov", PROV),
    ("skos", SKOS),
    ("dcterms", DCTERMS),
    ("qb", QB),
    ("sdmx-measure", SDMX_MEASURE),
    ("sdmx-attribute", SDMX_ATTRIBUTE),
    ("dcat", DCAT),
    ("void", VOID),
    ("owl", OWL),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("vann", VANN),
    ("wd", WD),
    ("unit", UNIT),
];

pub const BASE: &str = "https://w3id.org/tipkg/";
pub const ID: &str = "https://w3id.org/tipkg/id/";
pub const GRAPH: &str = "https://w3id.org/tipkg/graph/";
pub const CONCEPT: &str = "https://w3id.org/tipkg/concept/";
pub const TIPKG: &str = "https://w3id.org/tipkg/ontology#";
pub const ONTOLOGY: &str = "https://w3id.org/tipkg/ontology";
pub const SCHEMA: &str = "http://schema.org/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const QB: &str = "http://purl.org/linked-data/cube#";
pub const SDMX_MEASURE: &str = "http://purl.org/linked-data/sdmx/2009/measure#";
pub const SDMX_ATTRIBUTE: &str = "http://purl.org/linked-data/sdmx/2009/attribute#";
pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const VOID: &str = "http://rdfs.org/ns/void#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const WD: &str = "http://www.wikidata.org/entity/";
pub const UNIT: &str = "http://qudt.org/vocab/unit/";
pub const VANN: &str = "http://purl.org/vocab/vann/";

/// The prefixes of vocabularies (terms for properties and classes), as opposed to those
/// of the graph's own things and concepts.
pub fn is_vocabulary(namespace: &str) -> bool {
    !namespace.starts_with(BASE) || namespace == TIPKG
}

/// An IRI written with the longest known prefix whose namespace it starts with
/// (`schema:Event`), or in angle brackets when none fits.
pub fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns) && iri.len() > ns.len())
        .max_by_key(|(_, ns)| ns.len())
        .map_or_else(
            || format!("<{iri}>"),
            |(prefix, ns)| format!("{prefix}:{}", &iri[ns.len()..]),
        )
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn compact_uses_the_longest_namespace() {
        assert_eq!(compact("http://schema.org/Event"), "schema:Event");
        assert_eq!(
            compact("https://w3id.org/tipkg/graph/wikidata"),
            "graph:wikidata"
        );
        assert_eq!(compact("https://example.org/x"), "<https://example.org/x>");
        assert_eq!(
            compact("https://w3id.org/tipkg/id/org/unicef"),
            "organisation:unicef"
        );
    }
}
