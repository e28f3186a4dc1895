//! Synthetic, domain-shaped data of a chosen size, for measuring tipkg at scale.
//!
//! The generator writes a data directory valid for `--data`: the bundled data (so that the
//! concept schemes, roles, populations and countries it refers to exist) plus `n`
//! generated records, grouped by synthetic news item: each item is a source published by
//! an organisation, and states an organisation with a unit, an event with roles, a project
//! in some countries, a report, a statistic from it and a topic. The N-Triples form is the
//! graph tipkg builds from that directory, so both forms describe the same data.
//!
//! Everything is drawn from a small seeded generator (SplitMix64) and written in a fixed
//! order: the same seed and size give the same bytes, on every machine.

use crate::base::error::{Error, Result};
use crate::base::iri::ConceptScheme;
use crate::model::load::{self, DataRoot};
use crate::model::source::EDITORIAL_SOURCE;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Records per synthetic news item: organisation, unit, event, project, report,
/// statistic, topic (the source file is counted too).
const RECORDS_PER_ITEM: usize = 8;

/// Countries the projects work in: ISO 3166-1 alpha-3 codes.
const COUNTRIES: &[&str] = &[
    "ROU", "KHM", "ETH", "IDN", "KEN", "MYS", "MOZ", "NAM", "PHL", "ZAF", "TZA", "THA", "UGA",
    "VNM", "NGA", "BGD", "NPL", "MDA", "UKR", "BRA", "MEX", "COL", "GHA", "SEN", "ALB",
];

/// Topics of the bundled topic scheme that generated records are about.
const TOPICS: &[&str] = &[
    "trafficking-in-persons",
    "child-trafficking",
    "access-to-justice-for-children",
    "survivor-engagement",
    "frontline-capacity-building",
    "trauma-informed-assistance",
    "victim-assistance",
];

const ROLES: &[&str] = &["presenter", "panelist"];

const ASSISTANCE: &[&str] = &[
    "social-support",
    "psychological-health-support",
    "legal-support",
    "protection-support",
];

const WORDS: &[&str] = &[
    "regional",
    "national",
    "coalition",
    "network",
    "alliance",
    "initiative",
    "council",
    "centre",
    "forum",
    "office",
    "programme",
    "partnership",
    "justice",
    "protection",
    "survivors",
    "children",
    "migrants",
    "labour",
    "rights",
    "safety",
    "support",
    "action",
];

/// A small, fast, seeded generator (SplitMix64): enough for shaping test data, and its
/// output never changes between versions of a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `k` distinct items, in the order of `items`.
    fn some<'a>(&mut self, items: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < k.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i]).collect()
    }

    fn title(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| {
                let w = self.pick(WORDS);
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn date(&mut self) -> String {
        format!(
            "{}-{:02}-{:02}",
            2015 + self.below(10),
            1 + self.below(12),
            1 + self.below(28)
        )
    }
}

/// The files of a generated data directory: `(path relative to it, text)`, in a fixed
/// order. `records` is rounded up to whole news items.
pub fn data_files(seed: u64, records: usize) -> Result<Vec<(String, String)>> {
    let mut files: Vec<(String, String)> = load::read(&DataRoot::Bundled)?
        .into_iter()
        .map(|f| (f.relative, f.text))
        .collect();
    let items = records.div_ceil(RECORDS_PER_ITEM).max(1);
    let mut generated = Generated::default();
    let mut rng = Rng(seed);
    for i in 0..items {
        files.push(generated.item(&mut rng, i));
    }
    files.extend(generated.files());
    Ok(files)
}

/// The generated records, one text per data file, and what one news item states.
struct Generated {
    organisations: String,
    events: String,
    projects: String,
    works: String,
    statistics: String,
    topics: String,
}

impl Default for Generated {
    fn default() -> Self {
        Self {
            organisations: "# Generated organisations and their units.\n".into(),
            events: "# Generated events and the roles organisations played.\n".into(),
            projects: "# Generated projects and the countries they work in.\n".into(),
            works: "# Generated reports.\n".into(),
            statistics: "# Generated statistics drawn from the reports.\n".into(),
            topics: "# Generated topics.\n".into(),
        }
    }
}

/// The ids and values one news item's records share.
struct Item {
    i: usize,
    source: String,
    org: String,
    unit: String,
    other: String,
    date: String,
    topic: String,
    about: String,
}

impl Generated {
    /// Generates news item `i`: its records are appended to the data files' texts, and its
    /// source file is returned.
    fn item(&mut self, rng: &mut Rng, i: usize) -> (String, String) {
        // Events, projects and reports also name organisations of earlier items, so that
        // the graph is connected rather than a set of islands.
        let other = format!("gen-org-{:07}", rng.below(i + 1));
        let date = rng.date();
        let topic = format!("gen-topic-{i:07}");
        let about = rng.some(TOPICS, 2);
        let about = quoted(about.iter().copied().chain([topic.as_str()]));
        let item = Item {
            i,
            source: format!("gen-news-{i:07}"),
            org: format!("gen-org-{i:07}"),
            unit: format!("gen-org-{i:07}-unit"),
            other,
            date,
            topic,
            about,
        };
        let source = (
            format!("sources/{}.toml", item.source),
            format!(
                "[source]\nid = \"{}\"\nkind = \"news-article\"\ntitle = \"{}\"\npublisher = \"{}\"\nurl = \"https://news.example.org/{i}\"\npublished = \"{}\"\nlanguage = \"en\"\n",
                item.source,
                rng.title(6),
                item.org,
                item.date
            ),
        );
        self.organisations_and_event(rng, &item);
        self.project_and_report(rng, &item);
        self.statistic_and_topic(rng, &item);
        source
    }

    fn organisations_and_event(&mut self, rng: &mut Rng, item: &Item) {
        let Item {
            i,
            source,
            org,
            unit,
            other,
            date,
            about,
            ..
        } = item;
        let name = rng.title(3);
        let _ = write!(
            self.organisations,
            "\n[[organisation]]\nid = \"{org}\"\nsource = \"{source}\"\nkind = \"formal\"\nname = \"{name} {i}\"\nabout = {about}\nwebsite = \"https://org{i}.example.org/\"\n\
             \n[[organisation]]\nid = \"{unit}\"\nsource = \"{source}\"\nkind = \"unit\"\nname = \"{name} {i} {}\"\nunit_of = \"{org}\"\n",
            rng.pick(COUNTRIES)
        );
        let _ = write!(
            self.events,
            "\n[[event]]\nid = \"{date}-gen-event-{i:07}\"\nsource = \"{source}\"\nkind = \"discussion\"\nname = \"{}\"\nstart = \"{date}\"\nattendance = \"online\"\norganiser = \"{org}\"\ncollaborators = [\"{other}\"]\nabout = {about}\n\
             \n[[event.participant]]\norganisation = \"{unit}\"\nrole = \"{}\"\npresented = [\"gen-project-{i:07}\"]\n",
            rng.title(5),
            rng.pick(ROLES)
        );
    }

    fn project_and_report(&mut self, rng: &mut Rng, item: &Item) {
        let Item {
            i,
            source,
            org,
            unit,
            other,
            date,
            about,
            ..
        } = item;
        let k = 1 + rng.below(3);
        let countries = quoted(rng.some(COUNTRIES, k));
        let _ = write!(
            self.projects,
            "\n[[project]]\nid = \"gen-project-{i:07}\"\nsource = \"{source}\"\nkind = \"project\"\nname = \"{}\"\nimplementer = \"{unit}\"\nfunders = [\"{other}\"]\ncountries = {countries}\nabout = {about}\nassistance = {}\nstart = \"{date}\"\n",
            rng.title(4),
            quoted(rng.some(ASSISTANCE, 2))
        );
        let _ = write!(
            self.works,
            "\n[[work]]\nid = \"gen-report-{i:07}\"\nsource = \"{source}\"\nkind = \"report\"\ntitle = \"{}\"\npublisher = \"{org}\"\npublished = \"{date}\"\nabout = {about}\n",
            rng.title(5)
        );
    }

    fn statistic_and_topic(&mut self, rng: &mut Rng, item: &Item) {
        let Item {
            i, source, topic, ..
        } = item;
        let _ = write!(
            self.statistics,
            "\n[[observation]]\nid = \"gen-share-{i:07}\"\nsource = \"{source}\"\nlabel = \"Share of children among identified victims (report {i})\"\nvalue = {}\nunit = \"percent\"\npopulation = \"identified-victims-of-trafficking\"\ngroup = \"children\"\nprimary_source = \"gen-report-{i:07}\"\n",
            rng.below(100)
        );
        let _ = write!(
            self.topics,
            "\n[[concept]]\nid = \"{topic}\"\nscheme = \"{}\"\nsource = \"{EDITORIAL_SOURCE}\"\nlabel = \"{} {i}\"\nbroader = [\"{}\"]\n",
            ConceptScheme::Topic,
            rng.title(2).to_lowercase(),
            rng.pick(TOPICS)
        );
    }

    /// The data files of the generated records.
    fn files(self) -> Vec<(String, String)> {
        [
            ("organisations", self.organisations),
            ("events", self.events),
            ("projects", self.projects),
            ("works", self.works),
            ("statistics", self.statistics),
            ("topics", self.topics),
        ]
        .into_iter()
        .map(|(name, text)| (format!("generated-{name}.toml"), text))
        .collect()
    }
}

/// A TOML array of strings.
fn quoted<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", items.join(", "))
}

/// Writes a generated data directory (which must not exist or be empty).
pub fn write_data_dir(dir: &Path, seed: u64, records: usize) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    if dir.exists() && fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(Error::Usage(format!(
            "{} is not empty: give a new directory for the generated data",
            dir.display()
        )));
    }
    for (relative, text) in data_files(seed, records)? {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(())
}
