//! The namespaces of the vocabularies the graph uses, and the one table of prefixes that
//! every output writes and every query may use.
//!
//! The same IRI is written the same way everywhere: in Turtle and TriG, in the JSON-LD
//! context and its documents, in query result tables and in validation reports, as
//! `prefix:local` where the local part is a plain prefixed name (no backslash escape, so
//! that Turtle, SPARQL and JSON-LD readers all read it back the same), else in full as
//! `<IRI>`. Every query tipkg parses knows these prefixes ([`sparql_parser`]), so a name
//! copied from any output can be pasted into `--sparql`.

use spargebra::SparqlParser;

/// Prefix and namespace of every vocabulary the graph may use, in the order exports list
/// them. Exports declare only those actually used.
pub const PREFIXES: &[(&str, &str)] = &[
    ("tipkg", TIPKG),
    ("id", ID),
    ("concept", CONCEPT),
    ("graph", GRAPH),
    // One prefix per kind of thing and per bundled concept scheme, so that outputs write
    // `organisation:unicef`. Parts of things (participations, amounts: `id/{kind}/{parent}/
    // {slug}`) have a `/` in what would be their local name and are written in full.
    ("organisation", "https://w3id.org/tipkg/id/org/"),
    ("event", "https://w3id.org/tipkg/id/event/"),
    ("project", "https://w3id.org/tipkg/id/project/"),
    ("work", "https://w3id.org/tipkg/id/work/"),
    ("grant", "https://w3id.org/tipkg/id/grant/"),
    ("observation", "https://w3id.org/tipkg/id/observation/"),
    ("country", "https://w3id.org/tipkg/id/country/"),
    ("region", "https://w3id.org/tipkg/id/region/"),
    ("source", "https://w3id.org/tipkg/id/source/"),
    ("statistics", "https://w3id.org/tipkg/id/statistics/"),
    ("instrument", "https://w3id.org/tipkg/id/instrument/"),
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
    ("sdmx-dimension", SDMX_DIMENSION),
    ("sdmx-measure", SDMX_MEASURE),
    ("sdmx-attribute", SDMX_ATTRIBUTE),
    ("dcat", DCAT),
    ("eli", ELI),
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
pub const TIPKG: &str = tipkg::NAMESPACE;
pub const ONTOLOGY: &str = "https://w3id.org/tipkg/ontology";
pub const SCHEMA: &str = schema::NAMESPACE;
pub const ORG: &str = org::NAMESPACE;
pub const PROV: &str = prov::NAMESPACE;
pub const SKOS: &str = skos::NAMESPACE;
pub const DCTERMS: &str = dcterms::NAMESPACE;
pub const QB: &str = qb::NAMESPACE;
pub const SDMX_DIMENSION: &str = sdmx_dimension::NAMESPACE;
pub const SDMX_MEASURE: &str = sdmx_measure::NAMESPACE;
pub const SDMX_ATTRIBUTE: &str = sdmx_attribute::NAMESPACE;
pub const DCAT: &str = dcat::NAMESPACE;
pub const ELI: &str = eli::NAMESPACE;
pub const VOID: &str = "http://rdfs.org/ns/void#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const WD: &str = "http://www.wikidata.org/entity/";
/// The Research Organization Registry: its ids are paths under this address.
pub const ROR: &str = "https://ror.org/";
pub const UNIT: &str = unit::NAMESPACE;
pub const VANN: &str = "http://purl.org/vocab/vann/";

/// A module of constants for the terms of one vocabulary that the mapping writes: each
/// constant is named as the term's local name (`schema::name`, `qb::DataSet`), so that the
/// code reads like the triples, and a term is spelt once, checked by the compiler.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $module:ident = $namespace:literal { $($term:ident),* $(,)? }) => {
        $(#[$doc])*
        #[allow(non_upper_case_globals)]
        pub mod $module {
            use oxigraph::model::NamedNodeRef;

            pub const NAMESPACE: &str = $namespace;
            /// Every term of this module.
            pub const TERMS: &[NamedNodeRef<'static>] = &[$($term),*];
            $(
                pub const $term: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($namespace, stringify!($term)));
            )*
        }
    };
}

vocabulary! {
    /// schema.org, as schema.org's own JSON-LD context expands it (http).
    schema = "http://schema.org/" {
        Article, Country, CreativeWork, CreativeWorkSeries, Event, MixedEventAttendanceMode,
        Legislation, MonetaryAmount, MonetaryGrant, NewsArticle, OfflineEventAttendanceMode,
        OnlineEventAttendanceMode, Organization, Project, PublicationEvent, Report,
        ResearchProject, VideoObject, WebPage, about, agent, alternateName, amount,
        areaServed, author, containedInPlace, currency, datePublished, description, endDate,
        eventAttendanceMode, founder, foundingDate, fundedItem, funder, inLanguage, isPartOf,
        legislationDate, legislationIdentifier, legislationPassedBy, legislationType,
        location, locationCreated, mentions, name, object, organizer, performer, publisher,
        recordedAt, recordedIn,
        releasedEvent, sameAs, startDate, text, url, value, version,
    }
}

vocabulary! {
    /// The W3C Organization Ontology.
    org = "http://www.w3.org/ns/org#" {
        FormalOrganization, OrganizationalCollaboration, OrganizationalUnit, hasUnit, unitOf,
    }
}

vocabulary! {
    /// PROV-O.
    prov = "http://www.w3.org/ns/prov#" { Entity, hadPrimarySource, wasDerivedFrom }
}

vocabulary! {
    /// SKOS.
    skos = "http://www.w3.org/2004/02/skos/core#" {
        Concept, ConceptScheme, altLabel, broader, definition, hasTopConcept, inScheme,
        narrower, note, prefLabel, related, topConceptOf,
    }
}

vocabulary! {
    /// DCMI Metadata Terms.
    dcterms = "http://purl.org/dc/terms/" { date, description, subject, title }
}

vocabulary! {
    /// The RDF Data Cube vocabulary.
    qb = "http://purl.org/linked-data/cube#" { DataSet, Observation, dataSet, structure }
}

vocabulary! {
    /// The SDMX-RDF dimensions.
    sdmx_dimension = "http://purl.org/linked-data/sdmx/2009/dimension#" { refPeriod }
}

vocabulary! {
    /// The SDMX-RDF measures.
    sdmx_measure = "http://purl.org/linked-data/sdmx/2009/measure#" { obsValue }
}

vocabulary! {
    /// The SDMX-RDF attributes.
    sdmx_attribute = "http://purl.org/linked-data/sdmx/2009/attribute#" { unitMeasure }
}

vocabulary! {
    /// DCAT.
    dcat = "http://www.w3.org/ns/dcat#" { Catalog, Dataset }
}

vocabulary! {
    /// The European Legislation Identifier ontology.
    eli = "http://data.europa.eu/eli/ontology#" { first_date_entry_in_force }
}

vocabulary! {
    /// QUDT units.
    unit = "http://qudt.org/vocab/unit/" { PERCENT }
}

vocabulary! {
    /// The project's own ontology (`ontology/tipkg.ttl` declares every term).
    tipkg = "https://w3id.org/tipkg/ontology#" {
        Acceptance, Accession, Agenda, Approval, Council, DeprecatedRank, NormalRank, Participation,
        Judgement, PolicyGuidance, PreferredRank, Quote, Ratification, Region, Resolution, Signature,
        StateAction, StateActionType, Succession, VictimShareStructure, actionType,
        adoptedThrough,
        assistanceType, atRiskOf, basedOn, collaborator, coordinatedBy, countriesCovered,
        establishedUnder,
        evidenceQuote, iatiIdentifier, implementedBy, isoAlpha2, isoAlpha3, isoNumeric,
        m49Code, m49IntermediateRegion, m49Region, m49SubRegion, memberCount, motivatedBy, officialName, participant,
        participation, partner, population, populationGroup, presented, rank, rankReason, reason,
        retrieved, role, rorIdentifier, stateAction, supplements, supportsProperty,
        supportsSubject,
    }
}

vocabulary! {
    /// The project's own shapes: the components of the findings that are not SHACL's.
    tipkgsh = "https://w3id.org/tipkg/shapes#" { SourceInItsGraph }
}

/// The prefixes of vocabularies (terms for properties and classes), as opposed to those
/// of the graph's own things and concepts.
pub fn is_vocabulary(namespace: &str) -> bool {
    !namespace.starts_with(BASE) || namespace == TIPKG
}

/// An IRI written with the longest prefix of [`PREFIXES`] that makes it a plain prefixed
/// name (`schema:Event`, `organisation:unicef`), or in angle brackets when none does
/// (`<https://w3id.org/tipkg/id/participation/e/o-role>`).
pub fn compact(iri: &str) -> String {
    compact_with(iri, PREFIXES)
}

/// [`compact`] with a subset of the table (the prefixes an output declares).
pub fn compact_with(iri: &str, prefixes: &[(&str, &str)]) -> String {
    split(iri, prefixes).map_or_else(
        || format!("<{iri}>"),
        |(prefix, local)| format!("{prefix}:{local}"),
    )
}

/// The prefix with the longest namespace of `prefixes` that `iri` starts with and whose
/// rest is a plain local name, and that local name.
pub fn split<'p, 'i>(
    iri: &'i str,
    prefixes: &'p [(&'p str, &'p str)],
) -> Option<(&'p str, &'i str)> {
    prefixes
        .iter()
        .filter_map(|(prefix, ns)| {
            let local = iri.strip_prefix(ns)?;
            is_local_name(local).then_some((*prefix, *ns, local))
        })
        .max_by_key(|(_, ns, _)| ns.len())
        .map(|(prefix, _, local)| (prefix, local))
}

/// Whether `local` can follow `prefix:` as it is, without a backslash escape, in Turtle,
/// TriG, SPARQL and as a JSON-LD compact IRI: ASCII letters, digits, `_`, `-` and `.`
/// (not first, `.` not last either) and `:`. Anything else (a `/`, a `%`, a leading `-`)
/// would need an escape that some readers keep as part of the IRI, so the IRI is written
/// in full instead.
pub fn is_local_name(local: &str) -> bool {
    let Some(first) = local.chars().next() else {
        return false;
    };
    (first.is_ascii_alphanumeric() || first == '_' || first == ':')
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// A SPARQL parser that knows every prefix of the table, so that a query may use the names
/// tipkg prints without declaring them; a query's own `PREFIX` declaration wins.
pub fn sparql_parser() -> SparqlParser {
    PREFIXES
        .iter()
        .fold(SparqlParser::new(), |parser, (prefix, ns)| {
            parser
                .with_prefix(*prefix, *ns)
                .expect("the namespaces of the table are valid IRIs")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_name_that_would_need_an_escape_is_written_in_full() {
        let part = "https://w3id.org/tipkg/id/participation/e/o-role";
        assert_eq!(compact(part), format!("<{part}>"));
        let amount = "https://w3id.org/tipkg/id/grant/g/amount/a";
        assert_eq!(compact(amount), format!("<{amount}>"));
        assert_eq!(
            compact("https://w3id.org/tipkg/concept/role/presenter"),
            "role:presenter"
        );
        assert_eq!(
            compact("https://w3id.org/tipkg/concept/role"),
            "concept:role"
        );
        for local in ["", "-a", "a.", "a b", "a%20b", "é"] {
            assert!(!is_local_name(local), "{local:?}");
        }
        for local in ["unicef", "2023-06-19-x", "ROU", "Q123", "a.b", "_x"] {
            assert!(is_local_name(local), "{local:?}");
        }
    }

    #[test]
    fn every_prefix_is_unique_and_known_to_queries() {
        let mut names: Vec<&str> = PREFIXES.iter().map(|(p, _)| *p).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PREFIXES.len());
        let query = sparql_parser()
            .parse_query("SELECT * WHERE { organisation:icat ?p role:presenter }")
            .unwrap()
            .to_string();
        assert!(
            query.contains("<https://w3id.org/tipkg/id/org/icat>")
                && query.contains("<https://w3id.org/tipkg/concept/role/presenter>"),
            "{query}"
        );
        // A query's own declaration wins over the table's.
        let own = sparql_parser()
            .parse_query("PREFIX role: <http://example.org/> SELECT * WHERE { ?s ?p role:x }")
            .unwrap()
            .to_string();
        assert!(own.contains("<http://example.org/x>"), "{own}");
    }
}
