//! What a user types, turned into the IRI of one entity: `kind/slug` (`org/unicef`,
//! `topic/child-trafficking`), a full IRI, a prefixed name as tipkg prints them
//! (`organisation:unicef`), or a name, acronym or slug (`UNICEF`, `Disrupting Harm`),
//! compared without regard to case, spacing or the form of quotes and dashes.
//!
//! A name as written and a slug are looked up in the store's indexes; only a name written
//! otherwise (another case, other spacing) or a miss reads every name of the graph. An
//! exact match wins over one that differs in case. A miss suggests the closest name or `kind/slug` ("did you mean") and lists the entities
//! whose names contain what was typed; a name that several entities bear is refused with
//! the list of them, each by its `kind/slug`.

use super::{Error, Result, kind_and_slug};
use crate::base::diagnostic::closest;
use crate::base::iri;
use crate::base::vocab::{self, BASE, CONCEPT, DCTERMS, ID, RDFS, SCHEMA, SKOS};
use crate::store::KnowledgeGraph;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};

/// An entity a name may stand for, as messages list it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// `kind/slug`, or the IRI for things tipkg does not mint.
    pub key: String,
    pub label: Option<String>,
    pub iri: String,
    /// What matched: a name, an acronym, a slug.
    pub matched: String,
}

/// The most entities a message lists.
const LISTED: usize = 12;

/// The IRI of the one entity `wanted` names.
pub fn resolve(graph: &KnowledgeGraph, wanted: &str) -> Result<NamedNode> {
    let store = graph.store();
    let text = wanted.trim();
    if text.is_empty() {
        return Err(Error::NotFound {
            wanted: wanted.to_owned(),
            suggestion: None,
            containing: Vec::new(),
        });
    }
    let one_word = !text.contains(char::is_whitespace);
    if one_word && let Some(iri) = as_iri(text) {
        if exists(store, &iri)? {
            return Ok(iri);
        }
        let index = Index::build(store)?;
        let tail = kind_and_slug(iri.as_str()).map_or(text.to_owned(), |(k, s)| format!("{k}/{s}"));
        return Err(index.miss(text, &tail));
    }
    if one_word && text.contains('/') {
        let path = text.trim_matches('/');
        for base in [ID, CONCEPT, BASE] {
            if let Ok(iri) = NamedNode::new(format!("{base}{path}"))
                && exists(store, &iri)?
            {
                return Ok(iri);
            }
        }
    }
    // A name as written, or a slug, is found through the store's indexes; only what they
    // do not find needs every name of the graph (compared without case, or for a miss).
    let exact = exact_matches(store, text)?;
    if exact.len() == 1 {
        return Ok(NamedNode::new_unchecked(
            exact.into_iter().next().expect("one match"),
        ));
    }
    let index = Index::build(store)?;
    let found = if exact.is_empty() {
        index.matches(text)
    } else {
        exact
    };
    match found.len() {
        0 => Err(index.miss(text, text)),
        1 => Ok(NamedNode::new_unchecked(
            found.into_iter().next().expect("one match"),
        )),
        _ => Err(Error::Ambiguous {
            wanted: text.to_owned(),
            candidates: found
                .into_iter()
                .map(|iri| index.candidate(&iri, text))
                .collect(),
        }),
    }
}

/// The label predicates names are read from: labels first, then acronyms.
const NAME_PREDICATES: [(&str, &str); 6] = [
    (SKOS, "prefLabel"),
    (SCHEMA, "name"),
    (DCTERMS, "title"),
    (RDFS, "label"),
    (SKOS, "altLabel"),
    (SCHEMA, "alternateName"),
];

/// The things that bear `text` exactly as a name (in English or without a language), or
/// as the slug of a kind or of a concept scheme: lookups in the store's indexes, without
/// reading every name.
fn exact_matches(store: &Store, text: &str) -> Result<BTreeSet<String>> {
    let ontology = GraphName::NamedNode(iri::ontology_graph());
    let mut found = BTreeSet::new();
    let mut literals = vec![Literal::new_simple_literal(text)];
    if let Ok(english) = Literal::new_language_tagged_literal(text, "en") {
        literals.push(english);
    }
    for (namespace, local) in NAME_PREDICATES {
        let predicate = NamedNode::new_unchecked(format!("{namespace}{local}"));
        for literal in &literals {
            for quad in store.quads_for_pattern(
                None,
                Some(predicate.as_ref()),
                Some(literal.as_ref().into()),
                None,
            ) {
                let quad = quad?;
                if let (NamedOrBlankNode::NamedNode(subject), false) =
                    (&quad.subject, quad.graph_name == ontology)
                {
                    found.insert(subject.as_str().to_owned());
                }
            }
        }
    }
    if text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        let scheme_class = NamedNode::new_unchecked(format!("{SKOS}ConceptScheme"));
        let rdf_type = NamedNode::new_unchecked(format!("{}type", vocab::RDF));
        let mut namespaces: BTreeSet<String> = iri::Kind::ALL
            .iter()
            .map(|k| format!("{ID}{}/", k.segment()))
            .collect();
        for quad in store.quads_for_pattern(
            None,
            Some(rdf_type.as_ref()),
            Some(scheme_class.as_ref().into()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(scheme) = quad?.subject
                && scheme.as_str().starts_with(CONCEPT)
            {
                namespaces.insert(format!("{}/", scheme.as_str()));
            }
        }
        for namespace in namespaces {
            if let Ok(node) = NamedNode::new(format!("{namespace}{text}"))
                && exists(store, &node)?
            {
                found.insert(node.as_str().to_owned());
            }
        }
    }
    Ok(found)
}

/// A full IRI, or a prefixed name of the prefix table, as an IRI.
fn as_iri(text: &str) -> Option<NamedNode> {
    let (prefix, local) = text.split_once(':')?;
    if let Some((_, namespace)) = vocab::PREFIXES.iter().find(|(p, _)| *p == prefix)
        && !local.starts_with("//")
    {
        return NamedNode::new(format!("{namespace}{local}")).ok();
    }
    NamedNode::new(text).ok()
}

fn exists(store: &Store, node: &NamedNode) -> Result<bool> {
    let as_subject = store
        .quads_for_pattern(Some(node.as_ref().into()), None, None, None)
        .next()
        .transpose()?
        .is_some();
    Ok(as_subject
        || store
            .quads_for_pattern(None, None, Some(node.as_ref().into()), None)
            .next()
            .transpose()?
            .is_some())
}

/// Names compared as people mean them: case, runs of spaces, curly quotes and dashes do
/// not matter.
pub fn normalize(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' | '‛' | '′' => '\'',
            '“' | '”' | '″' => '"',
            '‐' | '‑' | '‒' | '–' | '—' | '―' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every name, acronym, slug and `kind/slug` of the graph's things (the ontology's terms
/// left out), normalized, with the things that bear it.
struct Index {
    /// Normalized name → (IRIs, the name as written).
    names: BTreeMap<String, (BTreeSet<String>, String)>,
    /// IRI → its label: (the predicate's place, 0 for English, the label), the least.
    labels: BTreeMap<String, (usize, u8, String)>,
}

impl Index {
    fn build(store: &Store) -> Result<Self> {
        let ontology = GraphName::NamedNode(iri::ontology_graph());
        let mut index = Index {
            names: BTreeMap::new(),
            labels: BTreeMap::new(),
        };
        let mut slugs = BTreeSet::new();
        for (i, (namespace, local)) in NAME_PREDICATES.into_iter().enumerate() {
            let predicate = NamedNode::new_unchecked(format!("{namespace}{local}"));
            for quad in store.quads_for_pattern(None, Some(predicate.as_ref()), None, None) {
                let quad = quad?;
                if quad.graph_name == ontology {
                    continue;
                }
                let (NamedOrBlankNode::NamedNode(subject), Term::Literal(name)) =
                    (&quad.subject, &quad.object)
                else {
                    continue;
                };
                let iri = subject.as_str();
                // The first four predicates are labels, the others acronyms.
                if i < 4 {
                    let english = u8::from(name.language() != Some("en"));
                    let label = (i, english, name.value().to_owned());
                    index
                        .labels
                        .entry(iri.to_owned())
                        .and_modify(|l| *l = (*l).clone().min(label.clone()))
                        .or_insert(label);
                }
                index.add(name.value(), iri);
                if let Some((kind, slug)) = kind_and_slug(iri) {
                    slugs.insert((slug.to_owned(), format!("{kind}/{slug}"), iri.to_owned()));
                }
            }
        }
        // Slugs after names, so that a name is what messages show when both match.
        for (slug, kind_slug, iri) in slugs {
            index.add(&slug, &iri);
            index.add(&kind_slug, &iri);
        }
        Ok(index)
    }

    fn add(&mut self, name: &str, iri: &str) {
        let key = normalize(name);
        if key.is_empty() {
            return;
        }
        self.names
            .entry(key)
            .or_insert_with(|| (BTreeSet::new(), name.to_owned()))
            .0
            .insert(iri.to_owned());
    }

    fn matches(&self, wanted: &str) -> BTreeSet<String> {
        self.names
            .get(&normalize(wanted))
            .map(|(iris, _)| iris.clone())
            .unwrap_or_default()
    }

    fn candidate(&self, iri: &str, matched: &str) -> Candidate {
        Candidate {
            key: kind_and_slug(iri).map_or_else(|| iri.to_owned(), |(k, s)| format!("{k}/{s}")),
            label: self.labels.get(iri).map(|(_, _, label)| label.clone()),
            iri: iri.to_owned(),
            matched: matched.to_owned(),
        }
    }

    /// The error for a name that matches nothing: the closest name, and the entities
    /// whose names contain it.
    fn miss(&self, wanted: &str, compared: &str) -> Error {
        let key = normalize(compared);
        let suggestion = closest(&key, self.names.keys().map(String::as_str)).map(|name| {
            let (iris, written) = &self.names[name];
            let iri = iris.iter().next().expect("a name has an entity");
            Box::new(self.candidate(iri, written))
        });
        let mut containing: BTreeMap<String, Candidate> = BTreeMap::new();
        if key.chars().count() >= 3 {
            for (name, (iris, written)) in &self.names {
                if name.contains(&key) {
                    // Parts are found through their entities.
                    for iri in iris.iter().filter(|iri| !super::is_part(iri)) {
                        containing
                            .entry(iri.clone())
                            .or_insert_with(|| self.candidate(iri, written));
                    }
                }
            }
        }
        // A typo's correction is worth saying; a short name that happens to be close is
        // not, when longer names hold what was typed.
        let suggestion =
            suggestion.filter(|s| containing.is_empty() || normalize(&s.matched).contains(&key));
        let suggested = suggestion.as_ref().map(|s| s.iri.clone());
        let mut containing: Vec<Candidate> = containing
            .into_values()
            .filter(|c| Some(&c.iri) != suggested.as_ref())
            .collect();
        containing.sort_by(|a, b| a.key.cmp(&b.key));
        Error::NotFound {
            wanted: wanted.to_owned(),
            suggestion,
            containing,
        }
    }
}

/// The width of the lines of a list, labels cut to fit.
const LINE: usize = 80;

fn line(candidate: &Candidate, width: usize) -> String {
    let Some(label) = &candidate.label else {
        return format!("  {}", candidate.key);
    };
    let room = LINE.saturating_sub(width.max(candidate.key.chars().count()) + 4);
    if room < 16 {
        return format!("  {}", candidate.key);
    }
    let label = if label.chars().count() > room {
        let cut: String = label.chars().take(room - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        label.clone()
    };
    format!("  {:width$}  {label}", candidate.key)
}

fn list(candidates: &[Candidate]) -> String {
    let width = candidates
        .iter()
        .take(LISTED)
        .map(|c| c.key.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    let mut text: Vec<String> = candidates
        .iter()
        .take(LISTED)
        .map(|c| line(c, width))
        .collect();
    if candidates.len() > LISTED {
        text.push(format!("  … and {} more", candidates.len() - LISTED));
    }
    text.join("\n")
}

pub(super) fn not_found_message(
    wanted: &str,
    suggestion: Option<&Candidate>,
    containing: &[Candidate],
) -> String {
    if wanted.trim().is_empty() {
        return "no entity given: give KIND/SLUG (org/unicef), an IRI, or a name or acronym"
            .to_owned();
    }
    let mut message = format!("no entity \"{wanted}\" in the graph");
    match suggestion {
        Some(s) if normalize(&s.matched) == normalize(&s.key) => {
            message.push_str(&format!("; did you mean {}?", s.key));
        }
        Some(s) => message.push_str(&format!("; did you mean \"{}\" ({})?", s.matched, s.key)),
        None => {}
    }
    if !containing.is_empty() {
        message.push_str(&format!(
            "\n{} whose names contain it:\n{}",
            if suggestion.is_some() {
                "or one of the things"
            } else {
                "things"
            },
            list(containing)
        ));
    } else if suggestion.is_none() {
        message.push_str(
            "; give KIND/SLUG (org/unicef), an IRI, or a name or acronym as the graph writes it (`tipkg query search --param text=WORD` searches the texts)",
        );
    }
    message
}

pub(super) fn ambiguous_message(wanted: &str, candidates: &[Candidate]) -> String {
    format!(
        "\"{wanted}\" names {} things; show one by its KIND/SLUG or IRI:\n{}",
        candidates.len(),
        list(candidates)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_spacing_quotes_or_dashes() {
        assert_eq!(
            normalize("  United Nations  Children’s Fund "),
            "united nations children's fund"
        );
        assert_eq!(
            normalize("UNICEF Office of Research – Innocenti"),
            normalize("unicef office of research - innocenti")
        );
    }

    #[test]
    fn prefixed_names_and_iris_are_read_as_iris() {
        assert_eq!(
            as_iri("organisation:unicef").unwrap().as_str(),
            "https://w3id.org/tipkg/id/org/unicef"
        );
        assert_eq!(
            as_iri("https://w3id.org/tipkg/id/org/unicef")
                .unwrap()
                .as_str(),
            "https://w3id.org/tipkg/id/org/unicef"
        );
        assert!(as_iri("UNICEF").is_none());
        assert!(as_iri("org/unicef").is_none());
    }
}
