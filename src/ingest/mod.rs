//! Drafts of new data from a document: its source record and stored text, the mentions
//! of what the graph knows (linked by name, with the sentence as quote), candidates for
//! new entities, and candidate facts, each proposal marked for a curator's review.
//!
//! Everything is found by rules that a curator can predict: names by an Aho–Corasick
//! automaton over the graph's names (`names`), new names and facts by patterns
//! (`extract`). The same document and data give the same draft, byte for byte.

pub mod draft;
pub mod extract;
pub mod names;
pub mod text;

pub use extract::{Candidate, Fact};
pub use names::{Entity, EntityKind, Names};
pub use text::{Document, Format};

use std::collections::BTreeMap;
use std::ops::Range;

/// What the document's reader adds to what the document says of itself.
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub url: Option<String>,
    /// An organisation's id, or a name to resolve.
    pub publisher: Option<String>,
    pub published: Option<String>,
    /// The date the document was read, `YYYY-MM-DD`.
    pub retrieved: String,
    /// The name of the file read, for the draft's heading.
    pub file_name: String,
}

/// A known entity the document mentions, with the sentences that mention it.
#[derive(Debug, Clone)]
pub struct Mention {
    pub entity: Entity,
    /// The names it is mentioned by, as written.
    pub names: Vec<String>,
    pub sentences: Vec<Range<usize>>,
}

/// A name that more than one entity bears.
#[derive(Debug, Clone)]
pub struct Ambiguous {
    pub name: String,
    pub entities: Vec<Entity>,
    pub sentence: Range<usize>,
}

/// A document read and what was found in it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: String,
    pub document: Document,
    pub given: Given,
    pub publisher_id: Option<String>,
    pub published: Option<String>,
    pub mentions: Vec<Mention>,
    pub ambiguous: Vec<Ambiguous>,
    pub candidates: Vec<(Candidate, Range<usize>)>,
    pub facts: Vec<Fact>,
}

impl Draft {
    /// The text of a range of the document.
    pub fn slice(&self, range: &Range<usize>) -> &str {
        &self.document.text[range.clone()]
    }

    /// How many mentions of known entities, counting each entity once, without countries.
    pub fn linked(&self) -> usize {
        self.mentions.len()
    }
}

/// Reads a document against the graph's names.
pub fn ingest(document: Document, names: &Names, given: Given) -> Draft {
    let text = &document.text;
    let sentences = text::sentences(text);
    let sentence_of = |at: usize| -> Range<usize> {
        let i = sentences.partition_point(|s| s.end < at);
        sentences.get(i).cloned().unwrap_or(at..at)
    };
    let published = given
        .published
        .clone()
        .or_else(|| document.published.clone());
    let year = published.as_deref().and_then(|p| p.get(..4));

    // Known names.
    let found = names.find(text);
    let mut mentions: BTreeMap<Entity, Mention> = BTreeMap::new();
    let mut ambiguous = Vec::new();
    let mut organisations: Vec<(Range<usize>, String)> = Vec::new();
    let mut known_spans: Vec<Range<usize>> = Vec::new();
    for f in &found {
        // A country's name is often part of another name ("Government of Sweden").
        if f.entities.iter().any(|e| e.kind != EntityKind::Country) {
            known_spans.push(f.range.clone());
        }
        let sentence = sentence_of(f.range.start);
        if f.entities.len() > 1 {
            ambiguous.push(Ambiguous {
                name: text[f.range.clone()].to_owned(),
                entities: f.entities.to_vec(),
                sentence,
            });
            continue;
        }
        let entity = &f.entities[0];
        if entity.kind == EntityKind::Organisation {
            organisations.push((f.range.clone(), entity.id.clone()));
        }
        let m = mentions.entry(entity.clone()).or_insert_with(|| Mention {
            entity: entity.clone(),
            names: Vec::new(),
            sentences: Vec::new(),
        });
        let name = text[f.range.clone()].to_owned();
        if !m.names.contains(&name) {
            m.names.push(name);
        }
        // The draft quotes the first three sentences that name an entity.
        if m.sentences.len() < 3 && !m.sentences.contains(&sentence) {
            m.sentences.push(sentence);
        }
    }

    // New names: acronym definitions first, then capitalised names with a head word.
    let overlaps = |r: &Range<usize>, spans: &[Range<usize>]| {
        spans.iter().any(|s| s.start < r.end && r.start < s.end)
    };
    let mut candidates: Vec<(Candidate, Range<usize>)> = Vec::new();
    let mut taken_ids: Vec<String> = Vec::new();
    let mut candidate_spans: Vec<Range<usize>> = Vec::new();
    for sentence in &sentences {
        for (range, name, acronym) in extract::acronym_definitions(text, sentence.clone()) {
            if names.lookup(&name).is_some() || names.lookup(&acronym).is_some() {
                continue;
            }
            if candidates.iter().any(|(c, _)| c.name == name) {
                continue;
            }
            let kind = extract_kind(&name);
            let id = unique(acronym.to_lowercase(), &mut taken_ids);
            candidate_spans.push(range.clone());
            let acronym_at = text[range.end..].find(&acronym).map(|i| range.end + i);
            if kind == EntityKind::Organisation
                && let Some(at) = acronym_at
            {
                organisations.push((at..at + acronym.len(), id.clone()));
            }
            if kind == EntityKind::Organisation {
                organisations.push((range.clone(), id.clone()));
            }
            candidates.push((
                Candidate {
                    kind,
                    id,
                    name,
                    acronym: Some(acronym),
                    range,
                    reason: "defined with an acronym",
                },
                sentence.clone(),
            ));
        }
    }
    for sentence in &sentences {
        for (range, name, kind) in extract::capitalised_names(text, sentence.clone()) {
            if overlaps(&range, &known_spans)
                || overlaps(&range, &candidate_spans)
                || names.lookup(&name).is_some()
                || candidates.iter().any(|(c, _)| c.name == name)
            {
                continue;
            }
            let id = unique(extract::slug(&name), &mut taken_ids);
            candidate_spans.push(range.clone());
            if kind == EntityKind::Organisation {
                organisations.push((range.clone(), id.clone()));
            }
            candidates.push((
                Candidate {
                    kind,
                    id,
                    name,
                    acronym: None,
                    range,
                    reason: "a capitalised name that matches nothing in the graph",
                },
                sentence.clone(),
            ));
        }
    }
    // Later uses of a candidate's acronym alone name the same organisation.
    let mut at_organisation: std::collections::HashSet<Range<usize>> =
        organisations.iter().map(|(r, _)| r.clone()).collect();
    for (c, _) in &candidates {
        if let (Some(acronym), EntityKind::Organisation) = (&c.acronym, c.kind) {
            for (at, _) in text.match_indices(acronym.as_str()) {
                let r = at..at + acronym.len();
                let before = text[..at].chars().next_back();
                let after = text[r.end..].chars().next();
                if !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
                    && at_organisation.insert(r.clone())
                {
                    organisations.push((r, c.id.clone()));
                }
            }
        }
    }
    organisations.sort_by_key(|(r, _)| (r.start, r.end));
    organisations.dedup_by(|a, b| a.0.start < b.0.end && b.0.start < a.0.end);

    // Facts.
    let mut facts = Vec::new();
    for sentence in &sentences {
        facts.extend(
            extract::numeric_facts(text, sentence.clone(), year)
                .into_iter()
                // A place is not part of an organisation's name ("… in Persons").
                .filter(|f| {
                    f.kind != "place"
                        || !overlaps(&f.range, &known_spans)
                            && !overlaps(&f.range, &candidate_spans)
                }),
        );
        // The organisations inside the sentence (sorted, so found by halving).
        let from = organisations.partition_point(|(r, _)| r.start < sentence.start);
        let to = organisations.partition_point(|(r, _)| r.start < sentence.end);
        facts.extend(extract::roles(
            text,
            sentence.clone(),
            &organisations[from..to],
        ));
    }

    let publisher_id = given
        .publisher
        .clone()
        .or_else(|| document.publisher.clone())
        .and_then(|p| resolve_publisher(&p, names));
    let title = document.title.clone().unwrap_or_default();
    let id = source_id(published.as_deref(), publisher_id.as_deref(), &title);
    Draft {
        id,
        document,
        given,
        publisher_id,
        published,
        mentions: mentions.into_values().collect(),
        ambiguous,
        candidates,
        facts,
    }
}

/// The kind a defined name suggests: its head word's, else an organisation (acronyms are
/// mostly organisations').
fn extract_kind(name: &str) -> EntityKind {
    extract::capitalised_names(name, 0..name.len())
        .first()
        .map_or(EntityKind::Organisation, |(_, _, k)| *k)
}

fn unique(id: String, taken: &mut Vec<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// A publisher given as an id or as a name the graph knows.
fn resolve_publisher(publisher: &str, names: &Names) -> Option<String> {
    match names.lookup(publisher) {
        Some([one]) if one.kind == EntityKind::Organisation => Some(one.id.clone()),
        _ => Some(publisher.to_owned()).filter(|p| {
            p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }),
    }
}

/// A source id in the data's style: publisher, year and month, and the title's words.
fn source_id(published: Option<&str>, publisher: Option<&str>, title: &str) -> String {
    let mut parts = Vec::new();
    if let Some(p) = publisher {
        parts.push(p.to_owned());
    }
    if let Some(date) = published
        && date.len() >= 7
    {
        parts.push(date[..7].to_owned());
    }
    let words: Vec<String> = extract::slug(title)
        .split('-')
        .filter(|w| {
            ![
                "a", "an", "the", "on", "of", "for", "and", "in", "to", "holds",
            ]
            .contains(w)
        })
        .take(6)
        .map(str::to_owned)
        .collect();
    parts.push(words.join("-"));
    let id = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if id.is_empty() { "draft".into() } else { id }
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_to_dates() {
        assert_eq!(super::civil(0), "1970-01-01");
        assert_eq!(super::civil(19_527), "2023-06-19");
        assert_eq!(super::civil(11_016), "2000-02-29");
    }
}
