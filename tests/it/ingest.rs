//! `tipkg ingest`: drafts from documents, their review markers, writing into a data
//! directory, and the scores of the extraction on the annotated corpus of
//! `tests/ingest/corpus/`.

use crate::support::{expect_file, ok, root};
use std::collections::{BTreeMap, BTreeSet};

/// What a draft proposes, read back from its TOML: mentions (`kind/id`, countries from
/// the comment that lists them), candidates (names) and facts (`kind|value|organisation`,
/// a new organisation by its name).
#[derive(Default)]
struct Found {
    mentions: BTreeSet<String>,
    candidates: BTreeSet<String>,
    facts: BTreeSet<String>,
}

fn read_draft(draft: &str) -> Found {
    let mut found = Found::default();
    for line in draft.lines() {
        if let Some(list) = line.strip_prefix("# Countries mentioned: ") {
            for item in list.trim_end_matches('.').split("), ") {
                found.mentions.insert(format!("country/{}", &item[..3]));
            }
        }
    }
    let table: toml::Table = draft.parse().expect("the draft is TOML");
    let mut new_ids = BTreeMap::new();
    for (kind, value) in &table {
        let Some(records) = value.as_array() else {
            continue;
        };
        if kind == "fact" {
            continue;
        }
        for record in records {
            let id = record["id"].as_str().unwrap().to_owned();
            if record.get("review").is_some() {
                let name = record
                    .get("name")
                    .or(record.get("title"))
                    .and_then(|n| n.as_str())
                    .unwrap()
                    .to_owned();
                new_ids.insert(id, name.clone());
                found.candidates.insert(name);
            } else {
                found.mentions.insert(format!("{kind}/{id}"));
            }
        }
    }
    for fact in table
        .get("fact")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
    {
        found.facts.insert(fact_key(fact, &new_ids));
    }
    found
}

fn fact_key(fact: &toml::Value, new_ids: &BTreeMap<String, String>) -> String {
    let kind = fact["kind"].as_str().unwrap();
    let value = fact["value"].as_str().unwrap();
    let organisation = fact
        .get("organisation")
        .and_then(|o| o.as_str())
        .map(|o| new_ids.get(o).map_or(o, String::as_str))
        .unwrap_or("");
    format!("{kind}|{value}|{organisation}")
}

/// True and false positives and false negatives of one kind.
#[derive(Default, Clone, Copy)]
struct Tally {
    hit: usize,
    extra: usize,
    missed: usize,
}

impl Tally {
    fn add(&mut self, expected: &BTreeSet<String>, found: &BTreeSet<String>) {
        self.hit += expected.intersection(found).count();
        self.extra += found.difference(expected).count();
        self.missed += expected.difference(found).count();
    }

    fn line(&self, name: &str) -> String {
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                "   -".to_owned()
            } else {
                format!("{:.2}", a as f64 / b as f64)
            }
        };
        format!(
            "{name:<22} {:>8} {:>6} {:>6} {:>9} {:>6}\n",
            self.hit + self.missed,
            self.hit + self.extra,
            self.hit,
            ratio(self.hit, self.hit + self.extra),
            ratio(self.hit, self.hit + self.missed),
        )
    }
}

fn kind_of(key: &str, separator: char) -> String {
    key.split(separator).next().unwrap().to_owned()
}

/// Scores the extraction on every annotated item, by kind of mention and of fact, against
/// the figures of `tests/ingest/corpus/scores.txt` (UPDATE_EXPECT=1 rewrites them): the
/// development corpus, and the held-out items the rules were never tuned on.
#[test]
fn corpus_scores() {
    let mut report = score("corpus");
    report.push('\n');
    report.push_str(&score("heldout"));
    expect_file("tests/ingest/corpus/scores.txt", &report);
}

fn score(set: &str) -> String {
    let corpus = root().join("tests/ingest").join(set);
    let mut items: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            !name.ends_with(".toml") && name != "README.md" && name != "scores.txt"
        })
        .collect();
    items.sort();
    let mut mentions: BTreeMap<String, Tally> = BTreeMap::new();
    let mut facts: BTreeMap<String, Tally> = BTreeMap::new();
    let mut candidates = Tally::default();
    let mut misses = String::new();
    for item in &items {
        let stem = item.file_stem().unwrap().to_string_lossy().into_owned();
        let expected: toml::Table =
            std::fs::read_to_string(corpus.join(format!("{stem}.expected.toml")))
                .unwrap()
                .parse()
                .unwrap();
        let published = expected["published"].as_str().unwrap();
        let draft = ok(&[
            "ingest",
            item.to_str().unwrap(),
            "--published",
            published,
            "--retrieved",
            "2000-01-01",
            "-q",
        ]);
        let found = read_draft(&draft);
        let strings = |key: &str| -> BTreeSet<String> {
            expected[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        let expected_mentions = strings("mentions");
        let expected_candidates = strings("candidates");
        let expected_facts: BTreeSet<String> = expected
            .get("fact")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
            .map(|f| fact_key(f, &BTreeMap::new()))
            .collect();
        for kind in ["organisation", "project", "work", "event", "country"] {
            let pick = |set: &BTreeSet<String>| -> BTreeSet<String> {
                set.iter()
                    .filter(|k| kind_of(k, '/') == kind)
                    .cloned()
                    .collect()
            };
            mentions
                .entry(kind.into())
                .or_default()
                .add(&pick(&expected_mentions), &pick(&found.mentions));
        }
        candidates.add(&expected_candidates, &found.candidates);
        for kind in ["date", "place", "money", "percent", "count", "role"] {
            let pick = |set: &BTreeSet<String>| -> BTreeSet<String> {
                set.iter()
                    .filter(|k| kind_of(k, '|') == kind)
                    .cloned()
                    .collect()
            };
            facts
                .entry(kind.into())
                .or_default()
                .add(&pick(&expected_facts), &pick(&found.facts));
        }
        for (what, expected, found) in [
            ("mention", &expected_mentions, &found.mentions),
            ("candidate", &expected_candidates, &found.candidates),
            ("fact", &expected_facts, &found.facts),
        ] {
            for missed in expected.difference(found) {
                misses.push_str(&format!("{stem}: missed {what} {missed}\n"));
            }
            for extra in found.difference(expected) {
                misses.push_str(&format!("{stem}: extra {what} {extra}\n"));
            }
        }
    }
    let total = |tallies: &BTreeMap<String, Tally>| {
        tallies.values().fold(Tally::default(), |a, t| Tally {
            hit: a.hit + t.hit,
            extra: a.extra + t.extra,
            missed: a.missed + t.missed,
        })
    };
    let mut report = format!(
        "# `tipkg ingest` on the {} items of tests/ingest/{set} (cargo test --test it ingest::corpus_scores)\n\
         {:<22} {:>8} {:>6} {:>6} {:>9} {:>6}\n",
        items.len(),
        "kind",
        "expected",
        "found",
        "right",
        "precision",
        "recall"
    );
    for (kind, tally) in &mentions {
        report.push_str(&tally.line(&format!("mention {kind}")));
    }
    report.push_str(&total(&mentions).line("mentions, all"));
    report.push_str(&candidates.line("new-entity candidates"));
    for (kind, tally) in &facts {
        report.push_str(&tally.line(&format!("fact {kind}")));
    }
    report.push_str(&total(&facts).line("facts, all"));
    report.push_str("\n# Differences, item by item\n");
    report.push_str(&misses);
    report
}
