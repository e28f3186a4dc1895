//! The one place where IRIs are minted, from stable keys (ids, ISO codes, dates), never
//! from display names: `id/{kind}/{slug}`, `concept/{scheme}/{slug}`, `graph/{source}`.

use crate::base::vocab::{BASE, CONCEPT, GRAPH, ID, TIPKG, WD};
use oxigraph::model::NamedNode;

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
    MonetaryAmount,
    Statistics,
}

impl Kind {
    /// The path segment of this kind under `id/`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Organisation => "org",
            Self::Event => "event",
            Self::Project => "project",
            Self::Work => "work",
            Self::Grant => "grant",
            Self::Observation => "observation",
            Self::Country => "country",
            Self::Region => "region",
            Self::Source => "source",
            Self::Participation => "participation",
            Self::MonetaryAmount => "amount",
            Self::Statistics => "statistics",
        }
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

pub fn entity(kind: Kind, slug: &str) -> NamedNode {
    node(format!("{ID}{}/{slug}", kind.segment()))
}

/// The IRI of a part of an entity, such as a participation in an event.
pub fn part(kind: Kind, parent_slug: &str, part_slug: &str) -> NamedNode {
    node(format!("{ID}{}/{parent_slug}/{part_slug}", kind.segment()))
}

pub fn concept(scheme: &str, slug: &str) -> NamedNode {
    node(format!("{CONCEPT}{scheme}/{slug}"))
}

pub fn scheme(slug: &str) -> NamedNode {
    node(format!("{CONCEPT}{slug}"))
}

pub fn graph(source_slug: &str) -> NamedNode {
    node(format!("{GRAPH}{source_slug}"))
}

/// The named graph that holds the ontology.
pub fn ontology_graph() -> NamedNode {
    graph("ontology")
}

/// The named graph that holds the description of the dataset itself.
pub fn dataset_graph() -> NamedNode {
    graph("dataset")
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
