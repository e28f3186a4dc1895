//! What changed between two graphs, entity by entity and source by source: the semantic
//! changelog of a change to the data (`tipkg diff`).
//!
//! Both graphs are compared quad by quad, leaving out the ontology and the dataset's
//! description (computed, with its dates and counts). Quads are grouped by the entity they
//! are about (a part, such as a participation or an amount, counts for its entity) and by
//! the source whose named graph holds them; within one graph, a subject and predicate
//! whose one value was replaced by one other is a changed value (old → new), anything else
//! facts added and removed. Entities are named by their kind, slug and label, and values
//! that are entities by their labels too, from the graph that holds them.

use super::{Describer, Result, is_part, kind_and_slug};
use crate::base::iri;
use crate::base::vocab::{ID, compact};
use crate::store::KnowledgeGraph;
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

/// Every change between two graphs, by entity.
#[derive(Debug, Default, Serialize)]
pub struct Changes {
    pub entities: Vec<EntityChange>,
}

#[derive(Debug, Serialize)]
pub struct EntityChange {
    pub iri: String,
    /// `organisation/unicef`, or the IRI where tipkg did not mint it.
    pub name: String,
    pub label: Option<String>,
    pub status: Status,
    pub sources: Vec<SourceChange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

/// The changes one source's graph holds about an entity.
#[derive(Debug, Serialize)]
pub struct SourceChange {
    /// The source's slug, or the graph's IRI for a graph of no source.
    pub source: String,
    pub facts: Vec<FactChange>,
}

#[derive(Debug, Serialize)]
pub struct FactChange {
    /// What sort of fact: a quote, an identifier, or any other.
    pub what: What,
    /// The part of the entity the fact is about (`participation/…`), if not the entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The property, as a prefixed name.
    pub property: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum What {
    Fact,
    Quote,
    Identifier,
}

impl FactChange {
    fn sign(&self) -> &'static str {
        match (&self.old, &self.new) {
            (Some(_), Some(_)) => "~",
            (None, _) => "+",
            (_, None) => "-",
        }
    }
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

/// The quads that are compared: every graph but the ontology's and the description's.
fn compared(graph: &KnowledgeGraph) -> Result<HashSet<Quad>> {
    let left_out = [iri::ontology_graph(), iri::dataset_graph()];
    let mut quads = HashSet::new();
    for quad in graph.store().iter() {
        let quad = quad?;
        if let GraphName::NamedNode(name) = &quad.graph_name
            && left_out.contains(name)
        {
            continue;
        }
        quads.insert(quad);
    }
    Ok(quads)
}

/// The entity a subject is about: itself, or the entity it is a part of.
fn entity_of(subject: &str) -> (String, Option<String>) {
    if is_part(subject)
        && let Some(path) = subject.strip_prefix(ID)
    {
        let mut segments = path.splitn(3, '/');
        let kind = segments.next().unwrap_or_default();
        let slug = segments.next().unwrap_or_default();
        let rest = segments.next().unwrap_or_default();
        return (format!("{ID}{kind}/{slug}"), Some(rest.to_owned()));
    }
    (subject.to_owned(), None)
}

fn what(property: &str) -> What {
    let local = super::local_name(property);
    if local == "evidenceQuote" {
        What::Quote
    } else if local == "sameAs" || local.ends_with("Identifier") || local.starts_with("iso") {
        What::Identifier
    } else {
        What::Fact
    }
}

type Key = (String, String, Option<String>, String); // entity, graph, part, property

/// What changed from `old` to `new`.
pub fn diff(old: &KnowledgeGraph, new: &KnowledgeGraph) -> Result<Changes> {
    let before = compared(old)?;
    let after = compared(new)?;
    let subjects = |quads: &HashSet<Quad>| -> BTreeSet<String> {
        quads
            .iter()
            .filter_map(|q| match &q.subject {
                NamedOrBlankNode::NamedNode(n) => Some(entity_of(n.as_str()).0),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect()
    };
    let (entities_before, entities_after) = (subjects(&before), subjects(&after));
    // (entity, graph, part, property) → (removed values, added values)
    let mut groups: BTreeMap<Key, (Vec<&Term>, Vec<&Term>)> = BTreeMap::new();
    for (quads, added) in [
        (before.difference(&after), false),
        (after.difference(&before), true),
    ] {
        for quad in quads {
            let subject = match &quad.subject {
                NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
                NamedOrBlankNode::BlankNode(b) => b.to_string(),
            };
            let (entity, part) = entity_of(&subject);
            let graph = match &quad.graph_name {
                GraphName::NamedNode(n) => n.as_str().to_owned(),
                other => other.to_string(),
            };
            let key = (entity, graph, part, quad.predicate.as_str().to_owned());
            let entry = groups.entry(key).or_default();
            if added {
                entry.1.push(&quad.object);
            } else {
                entry.0.push(&quad.object);
            }
        }
    }
    let mut old_labels = Describer::new(old);
    let mut new_labels = Describer::new(new);
    let mut by_entity: BTreeMap<String, BTreeMap<String, Vec<FactChange>>> = BTreeMap::new();
    for ((entity, graph, part, property), (mut removed, mut added)) in groups {
        removed.sort_by_key(|t| t.to_string());
        added.sort_by_key(|t| t.to_string());
        let facts = by_entity
            .entry(entity)
            .or_default()
            .entry(source_name(&graph))
            .or_default();
        let what = what(&property);
        let property = compact(&property);
        let mut change = |old: Option<String>, new: Option<String>| {
            facts.push(FactChange {
                what,
                part: part.clone(),
                property: property.clone(),
                old,
                new,
            });
        };
        if let ([one_old], [one_new]) = (removed.as_slice(), added.as_slice()) {
            change(
                Some(value(one_old, &mut old_labels)?),
                Some(value(one_new, &mut new_labels)?),
            );
            continue;
        }
        for term in removed {
            change(Some(value(term, &mut old_labels)?), None);
        }
        for term in added {
            change(None, Some(value(term, &mut new_labels)?));
        }
    }
    let mut changes = Changes::default();
    for (entity, sources) in by_entity {
        let status = match (
            entities_before.contains(&entity),
            entities_after.contains(&entity),
        ) {
            (false, true) => Status::Added,
            (true, false) => Status::Removed,
            _ => Status::Changed,
        };
        let node = oxigraph::model::NamedNode::new(&entity).ok();
        let label = match (&node, status) {
            (Some(node), Status::Removed) => old_labels.label(node.as_ref().into())?,
            (Some(node), _) => new_labels.label(node.as_ref().into())?,
            (None, _) => None,
        };
        let name = kind_and_slug(&entity)
            .map_or_else(|| compact(&entity), |(kind, slug)| format!("{kind}/{slug}"));
        changes.entities.push(EntityChange {
            iri: entity,
            name,
            label,
            status,
            sources: sources
                .into_iter()
                .map(|(source, facts)| SourceChange { source, facts })
                .collect(),
        });
    }
    Ok(changes)
}

fn source_name(graph: &str) -> String {
    iri::graph_source(graph).map_or_else(|| graph.to_owned(), |(source, _)| source.to_owned())
}

/// A value as a reviewer reads it: a literal as written, an entity by kind, slug and label.
fn value(term: &Term, labels: &mut Describer<'_>) -> Result<String> {
    Ok(match term {
        Term::Literal(literal) => {
            let mut text = format!("{:?}", literal.value());
            if let Some(language) = literal.language() {
                let _ = write!(text, "@{language}");
            }
            text
        }
        Term::NamedNode(node) => {
            let name = kind_and_slug(node.as_str()).map_or_else(
                || compact(node.as_str()),
                |(kind, slug)| format!("{kind}/{slug}"),
            );
            match labels.label(node.as_ref().into())? {
                Some(label) if kind_and_slug(node.as_str()).is_some() => {
                    format!("{name} ({label})")
                }
                _ => name,
            }
        }
        other => other.to_string(),
    })
}

/// Counts for the summary line.
fn counts(changes: &Changes) -> [usize; 6] {
    let mut counts = [0; 6];
    for entity in &changes.entities {
        match entity.status {
            Status::Added => counts[0] += 1,
            Status::Removed => counts[1] += 1,
            Status::Changed => counts[2] += 1,
        }
        for fact in entity.sources.iter().flat_map(|s| &s.facts) {
            match fact.sign() {
                "+" => counts[3] += 1,
                "-" => counts[4] += 1,
                _ => counts[5] += 1,
            }
        }
    }
    counts
}

fn summary(changes: &Changes) -> String {
    let [added, removed, changed, plus, minus, tilde] = counts(changes);
    format!(
        "{} added, {removed} removed, {changed} changed; {} added, {minus} removed, {tilde} changed",
        count(added, "entity", "entities"),
        count(plus, "fact", "facts"),
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The sources with changes, with how many facts each.
fn by_source(changes: &Changes) -> BTreeMap<&str, usize> {
    let mut sources = BTreeMap::new();
    for source in changes.entities.iter().flat_map(|e| &e.sources) {
        *sources.entry(source.source.as_str()).or_default() += source.facts.len();
    }
    sources
}

fn title(entity: &EntityChange) -> String {
    match &entity.label {
        Some(label) => format!("{} {} \"{label}\"", entity.status.word(), entity.name),
        None => format!("{} {}", entity.status.word(), entity.name),
    }
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
        }
    }
}

fn fact_line(fact: &FactChange) -> String {
    let what = match fact.what {
        What::Quote => "quote ",
        What::Identifier => "identifier ",
        What::Fact => "",
    };
    let part = fact
        .part
        .as_deref()
        .map(|p| format!("[{p}] "))
        .unwrap_or_default();
    let value = match (&fact.old, &fact.new) {
        (Some(old), Some(new)) => format!("{old} → {new}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => String::new(),
    };
    format!("{} {part}{what}{}: {value}", fact.sign(), fact.property)
}

/// The changes as plain text, for a terminal.
pub fn text(changes: &Changes) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        return "no changes\n".into();
    }
    let _ = writeln!(out, "{}", summary(changes));
    for (source, facts) in by_source(changes) {
        let _ = writeln!(out, "  source {source}: {}", count(facts, "fact", "facts"));
    }
    for entity in &changes.entities {
        let _ = writeln!(out, "\n{}", title(entity));
        for source in &entity.sources {
            let _ = writeln!(out, "  source {}:", source.source);
            for fact in &source.facts {
                let _ = writeln!(out, "    {}", fact_line(fact));
            }
        }
    }
    out
}

/// The changes as Markdown, for a review or a release's notes.
pub fn markdown(changes: &Changes) -> String {
    let mut out = String::from("# Changes to the data\n\n");
    if changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let _ = writeln!(out, "{}.\n", summary(changes));
    out.push_str("| source | facts |\n|---|---|\n");
    for (source, count) in by_source(changes) {
        let _ = writeln!(out, "| `{source}` | {count} |");
    }
    for entity in &changes.entities {
        let label = entity
            .label
            .as_deref()
            .map(|l| format!(" {}", l.replace('\n', " ")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n## {} `{}`{label}\n",
            capitalised(entity.status.word()),
            entity.name
        );
        for source in &entity.sources {
            let _ = writeln!(out, "- source `{}`", source.source);
            for fact in &source.facts {
                let _ = writeln!(out, "  - {}", fact_line(fact).replace('|', "\\|"));
            }
        }
    }
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}
