//! The one place where IRIs are minted, from stable keys (ids, ISO codes, dates), never
//! from display names: `id/{kind}/{slug}`, `concept/{scheme}/{slug}`, `graph/{source}`.
//! Terms of vocabularies are constants of [`crate::base::vocab`].

use crate::base::vocab::{BASE, CONCEPT, GRAPH, ID, ROR, TIPKG, WD};
use oxigraph::model::NamedNode;
use std::fmt;

/// The kinds of things that get an IRI under `id/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Organisation,
    Event,
    Project,
    Work,
    Grant,
    Observation,
    Country,
    Region,
    Source,
    Participation,
    Statistics,
    Instrument,
    StateAction,
}

impl Kind {
    /// Every kind, in the order of [`Kind::index`] (a test holds them to it); a new kind
    /// also goes into [`Kind::NAMED`] if a slug names its things.
    pub const ALL: [Self; 13] = [
        Self::Organisation,
        Self::Event,
        Self::Project,
        Self::Work,
        Self::Grant,
        Self::Observation,
        Self::Country,
        Self::Region,
        Self::Source,
        Self::Participation,
        Self::Statistics,
        Self::Instrument,
        Self::StateAction,
    ];

    /// The position of this kind in [`Kind::ALL`]: a new variant fails to compile here until
    /// it is listed.
    const fn index(self) -> usize {
        match self {
            Self::Organisation => 0,
            Self::Event => 1,
            Self::Project => 2,
            Self::Work => 3,
            Self::Grant => 4,
            Self::Observation => 5,
            Self::Country => 6,
            Self::Region => 7,
            Self::Source => 8,
            Self::Participation => 9,
            Self::Statistics => 10,
            Self::Instrument => 11,
            Self::StateAction => 12,
        }
    }

    /// The kind whose path segment under `id/` is `segment`.
    pub fn from_segment(segment: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.segment() == segment)
    }

    /// The kinds whose things are named by one slug under `id/{segment}/`, as a query
    /// parameter may name them (`org`, `event`…); the others are parts of a thing
    /// (participations, amounts) or a fixed few (the statistics).
    pub const NAMED: [Self; 10] = [
        Self::Organisation,
        Self::Event,
        Self::Project,
        Self::Work,
        Self::Grant,
        Self::Observation,
        Self::Country,
        Self::Region,
        Self::Source,
        Self::Instrument,
    ];

    /// The path segment of this kind under `id/`.
    pub fn segment(self) -> &'static str {
        [
            "org",
            "event",
            "project",
            "work",
            "grant",
            "observation",
            "country",
            "region",
            "source",
            "participation",
            "statistics",
            "instrument",
            "state-action",
        ][self.index()]
    }
}

/// The concept schemes that tipkg knows by name: fields of records take concepts of one of
/// them (a project's `assistance`, a participant's `role`), queries take them as
/// parameters, and outputs have a prefix for each. A user's data may define schemes of its
/// own; their concepts are checked for existence only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConceptScheme {
    Topic,
    Population,
    Assistance,
    Role,
}

impl ConceptScheme {
    pub const ALL: [Self; 4] = [Self::Topic, Self::Population, Self::Assistance, Self::Role];

    /// The scheme's id: its `[[scheme]]` record's id and its path segment under `concept/`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Topic => "topic",
            Self::Population => "population",
            Self::Assistance => "assistance",
            Self::Role => "role",
        }
    }

    /// The scheme of this id, if tipkg knows it by name.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }
}

impl fmt::Display for ConceptScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A slug is lower-case ASCII letters, digits and single hyphens (ISO codes keep their
/// upper case), so that every minted IRI is valid and readable.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn node(iri: String) -> NamedNode {
    // Slugs are checked before mapping and the bases are constant, so this cannot fail
    // on checked data; the unchecked constructor would hide a bug, so keep the check.
    NamedNode::new(iri).expect("minted IRIs are valid")
}

fn entity_iri(kind: Kind, slug: &str) -> String {
    format!("{ID}{}/{slug}", kind.segment())
}

pub fn entity(kind: Kind, slug: &str) -> NamedNode {
    node(entity_iri(kind, slug))
}

/// The kind and slug of an entity's IRI, `id/{kind}/{slug}`: the inverse of [`entity`].
/// `None` for any other IRI, a part of an entity (`id/source/{source}/quote/{id}`)
/// included. The IRI may come from a store or a user's file, so this never panics.
pub fn entity_kind_and_slug(iri: &str) -> Option<(Kind, &str)> {
    let (segment, slug) = iri.strip_prefix(ID)?.split_once('/')?;
    let kind = Kind::from_segment(segment)?;
    (!slug.is_empty() && !slug.contains('/')).then_some((kind, slug))
}

/// Where the things of a kind live: `id/{segment}/`, which a slug completes.
pub fn entity_namespace(kind: Kind) -> String {
    format!("{ID}{}/", kind.segment())
}

/// The IRI of a part of an entity: `id/{kind}/{parent}/{part}`.
fn part(kind: Kind, parent_slug: &str, part_slug: &str) -> NamedNode {
    node(format!("{ID}{}/{parent_slug}/{part_slug}", kind.segment()))
}

/// The part an organisation played in an event, in one role:
/// `id/participation/{event}/{organisation}-{role}`.
pub fn participation(event: &str, organisation: &str, role: &str) -> NamedNode {
    part(
        Kind::Participation,
        event,
        &format!("{organisation}-{role}"),
    )
}

/// What one state did on an instrument: `id/state-action/{instrument}/{country}-{action}`
/// (`…/un-trafficking-protocol/KEN-accession`).
pub fn state_action(instrument: &str, country: &str, action: &str) -> NamedNode {
    part(
        Kind::StateAction,
        instrument,
        &format!("{country}-{action}"),
    )
}

/// A quote of a source tied to facts: `id/source/{source}/quote/{id}`.
pub fn quote(source: &str, id: &str) -> NamedNode {
    part(Kind::Source, source, &format!("quote/{id}"))
}

/// An editorial judgement of the editorial source `source`:
/// `id/source/{source}/judgement/{id}`.
pub fn judgement(source: &str, id: &str) -> NamedNode {
    part(Kind::Source, source, &format!("judgement/{id}"))
}

/// The amount of a grant as one source states it: `id/grant/{grant}/amount/{source}`.
pub fn grant_amount(grant: &str, source: &str) -> NamedNode {
    part(Kind::Grant, grant, &format!("amount/{source}"))
}

/// The concept `slug` of the scheme with id `scheme` (a known one or a user's own).
pub fn concept(scheme: &str, slug: &str) -> NamedNode {
    node(format!("{CONCEPT}{scheme}/{slug}"))
}

/// Where the concepts of a scheme live: `concept/{scheme}/`, which a slug completes.
pub fn concept_namespace(scheme: ConceptScheme) -> String {
    format!("{CONCEPT}{scheme}/")
}

pub fn scheme(slug: &str) -> NamedNode {
    node(format!("{CONCEPT}{slug}"))
}

pub fn graph(source_slug: &str) -> NamedNode {
    node(format!("{GRAPH}{source_slug}"))
}

/// The graphs under `graph/` that are not a source's: the ontology's and the description's.
const GRAPHS_OF_NO_SOURCE: [&str; 2] = ["ontology", "dataset"];

/// The source whose named graph this is (`graph/{source}`) and the source's own IRI
/// (`id/source/{source}`), or `None` for any other graph, the ontology's and the dataset
/// description's included. The graph may come from a user's file, so this never panics.
pub fn graph_source(graph: &str) -> Option<(&str, NamedNode)> {
    let source = graph
        .strip_prefix(GRAPH)
        .filter(|source| !GRAPHS_OF_NO_SOURCE.contains(source))?;
    let iri = NamedNode::new(entity_iri(Kind::Source, source)).ok()?;
    Some((source, iri))
}

/// The named graph that holds the ontology.
pub fn ontology_graph() -> NamedNode {
    graph(GRAPHS_OF_NO_SOURCE[0])
}

/// The named graph that holds the description of the dataset itself.
pub fn dataset_graph() -> NamedNode {
    graph(GRAPHS_OF_NO_SOURCE[1])
}

pub fn dataset() -> NamedNode {
    node(format!("{BASE}dataset"))
}

/// One distribution of the dataset, named by its format (`dataset/turtle`).
pub fn distribution(format: &str) -> NamedNode {
    node(format!("{BASE}dataset/{format}"))
}

/// Where a distribution of the dataset is published (`dataset.ttl`).
pub fn download(extension: &str) -> NamedNode {
    node(format!("{BASE}dataset.{extension}"))
}

/// The published address of the JSON-LD context.
pub fn jsonld_context() -> NamedNode {
    node(format!("{BASE}context.jsonld"))
}

/// A term of the project's own ontology.
pub fn term(local: &str) -> NamedNode {
    node(format!("{TIPKG}{local}"))
}

pub fn wikidata(qid: &str) -> NamedNode {
    node(format!("{WD}{qid}"))
}

/// An organisation in the Research Organization Registry, by its ROR id.
pub fn ror(id: &str) -> NamedNode {
    node(format!("{ROR}{id}"))
}

/// Where the staging graphs of pushes live: `urn:tipkg:staging:{run}:{target}`, outside
/// every namespace a push writes or prunes.
pub const STAGING: &str = "urn:tipkg:staging:";

/// The id of one push: its start time and process, so that two pushes, even at once and
/// from one machine, never share a staging graph.
pub fn push_run() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static SEQUENCE: AtomicU32 = AtomicU32::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!(
        "{:x}-{:08x}-{:x}-{:x}",
        now.as_secs(),
        now.subsec_nanos(),
        std::process::id(),
        SEQUENCE.fetch_add(1, Ordering::Relaxed)
    )
}

/// The graph where a push claims the swap of its staging graphs, so that two pushes never
/// swap at once: `urn:tipkg:staging:swap`, with one claim per push, named by its run id
/// (`urn:tipkg:push:{run}`), under `STAGING` so that `--clean-staging` removes a claim
/// that a killed push left.
pub fn swap_claims() -> NamedNode {
    node(format!("{STAGING}swap"))
}

/// A push, in a claim of the swap.
pub fn push(run: &str) -> NamedNode {
    node(format!("urn:tipkg:push:{run}"))
}

/// The staging graph of push `run` for the graph `target`.
pub fn staging_graph(run: &str, target: &NamedNode) -> NamedNode {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(target.as_str().as_bytes());
    let hex: String = hash[..12].iter().map(|b| format!("{b:02x}")).collect();
    node(format!("{STAGING}{run}:{hex}"))
}

/// Whether `tipkg build` owns a graph: the graphs of sources, of the ontology and of the
/// dataset's description all live under the tipkg graph namespace, and a build replaces
/// every graph there; nothing else may write into it.
pub fn is_built_graph(iri: &str) -> bool {
    iri.starts_with(GRAPH)
}

/// The base of the graphs that `import` names after the files it reads.
pub const IMPORT_BASE: &str = "https://w3id.org/tipkg/import/";

/// The named graph of an imported file's default-graph triples: the file's name under
/// [`IMPORT_BASE`], without a `.gz` (`/tmp/news.nt.gz` → `import/news.nt`), so that no
/// local path is published with the data and a rebuild (which owns `graph/`) never
/// touches it. Every byte but ASCII letters, digits and `-._~` is percent-encoded. `None`
/// when the path has no file name.
pub fn import_graph(path: &std::path::Path) -> Option<NamedNode> {
    let name = path.file_name()?.as_encoded_bytes();
    let name = match name.len().checked_sub(3) {
        Some(stem) if name[stem..].eq_ignore_ascii_case(b".gz") && stem > 0 => &name[..stem],
        _ => name,
    };
    // `.` and `..` would be dot segments, which IRI resolution removes.
    let only_dots = name.iter().all(|&b| b == b'.');
    let mut iri = String::from(IMPORT_BASE);
    for &byte in name {
        if (byte.is_ascii_alphanumeric() || b"-._~".contains(&byte)) && !only_dots {
            iri.push(char::from(byte));
        } else {
            iri.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(node(iri))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_found_by_its_segment() {
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), i, "{kind:?} is out of place in Kind::ALL");
            assert_eq!(Kind::from_segment(kind.segment()), Some(kind));
        }
        assert_eq!(Kind::from_segment("amount"), None);
    }

    #[test]
    fn iris_follow_the_scheme() {
        assert_eq!(
            entity(Kind::Organisation, "iom-romania").as_str(),
            "https://w3id.org/tipkg/id/org/iom-romania"
        );
        assert_eq!(
            entity(Kind::Country, "ROU").as_str(),
            "https://w3id.org/tipkg/id/country/ROU"
        );
        assert_eq!(
            concept("topic", "child-trafficking").as_str(),
            "https://w3id.org/tipkg/concept/topic/child-trafficking"
        );
        assert_eq!(
            graph("wikidata").as_str(),
            "https://w3id.org/tipkg/graph/wikidata"
        );
        assert_eq!(
            participation("e", "o", "presenter").as_str(),
            "https://w3id.org/tipkg/id/participation/e/o-presenter"
        );
        assert_eq!(
            grant_amount("g", "s").as_str(),
            "https://w3id.org/tipkg/id/grant/g/amount/s"
        );
        assert_eq!(ror("02cyaqf66").as_str(), "https://ror.org/02cyaqf66");
    }

    #[test]
    fn an_entity_s_kind_and_slug_come_back_from_its_iri() {
        for kind in Kind::ALL {
            let iri = entity(kind, "a-slug");
            assert_eq!(entity_kind_and_slug(iri.as_str()), Some((kind, "a-slug")));
        }
        assert_eq!(
            entity_kind_and_slug(entity(Kind::Country, "KEN").as_str()),
            Some((Kind::Country, "KEN"))
        );
        assert_eq!(entity_kind_and_slug(quote("s", "q1").as_str()), None);
        assert_eq!(
            entity_kind_and_slug(participation("e", "o", "r").as_str()),
            None
        );
        assert_eq!(entity_kind_and_slug(concept("topic", "t").as_str()), None);
        assert_eq!(entity_kind_and_slug(&format!("{ID}unknown/x")), None);
        assert_eq!(entity_kind_and_slug(&format!("{ID}org/")), None);
    }

    #[test]
    fn only_the_graphs_of_sources_have_a_source() {
        assert_eq!(
            graph_source(graph("ror").as_str()),
            Some(("ror", entity(Kind::Source, "ror")))
        );
        assert_eq!(graph_source(ontology_graph().as_str()), None);
        assert_eq!(graph_source(dataset_graph().as_str()), None);
        assert_eq!(graph_source("https://example.org/graph/ror"), None);
    }

    #[test]
    fn every_named_kind_and_known_scheme_has_a_prefix() {
        // Outputs write `organisation:unicef` and `role:presenter`: the prefix table must
        // hold the namespace of every kind a parameter may name and of every known scheme.
        let namespaces: Vec<String> = Kind::NAMED
            .iter()
            .map(|k| entity_namespace(*k))
            .chain(ConceptScheme::ALL.iter().map(|s| concept_namespace(*s)))
            .collect();
        for namespace in namespaces {
            assert!(
                crate::base::vocab::PREFIXES
                    .iter()
                    .any(|(_, ns)| *ns == namespace),
                "no prefix for {namespace}"
            );
        }
        for scheme in ConceptScheme::ALL {
            assert_eq!(ConceptScheme::from_id(scheme.id()), Some(scheme));
        }
    }

    #[test]
    fn imported_files_are_named_by_their_file_name_without_a_local_path() {
        let name = |p: &str| import_graph(std::path::Path::new(p)).map(|n| n.as_str().to_owned());
        assert_eq!(
            name("/tmp/x/news.nt.gz").as_deref(),
            Some("https://w3id.org/tipkg/import/news.nt")
        );
        assert_eq!(
            name("items.TTL.GZ").as_deref(),
            Some("https://w3id.org/tipkg/import/items.TTL")
        );
        assert_eq!(
            name("my data/a b#é?.nq").as_deref(),
            Some("https://w3id.org/tipkg/import/a%20b%23%C3%A9%3F.nq")
        );
        assert_eq!(
            name("..gz").as_deref(),
            Some("https://w3id.org/tipkg/import/%2E")
        );
        assert!(IMPORT_BASE.starts_with(BASE));
        assert_eq!(name("/"), None);
        assert!(!is_built_graph(name("dataset.nq").unwrap().as_str()));
        assert!(is_built_graph(dataset_graph().as_str()));
    }

    #[test]
    fn each_push_has_staging_graphs_of_its_own() {
        let target = graph("ror");
        let (a, b) = (push_run(), push_run());
        assert_ne!(a, b);
        let staging = staging_graph(&a, &target);
        assert!(staging.as_str().starts_with(STAGING), "{staging}");
        assert_ne!(staging, staging_graph(&b, &target));
        assert_eq!(staging, staging_graph(&a, &target));
        assert_ne!(staging, staging_graph(&a, &graph("wikidata")));
    }

    #[test]
    fn slugs_are_strict() {
        assert!(is_slug("2023-06-19-access-to-justice"));
        assert!(!is_slug("IOM Romania"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }
}
