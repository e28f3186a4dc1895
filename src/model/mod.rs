//! The typed records of the curated data files, as serde reads them.
//!
//! A record says what *one source* states about one entity: the same entity may have a
//! record per source, and each record's facts land in its source's named graph. The model
//! knows nothing of RDF; ids and references keep their position in the file so that checks
//! can point at them.

pub mod generate;
pub mod load;
pub mod reference;

use serde::Deserialize;
use toml::Spanned;

/// A reference to another record by id, with its place in the file.
pub type Ref = Spanned<String>;

/// Everything one data file (other than a source file) may hold. Files can hold any mix of
/// these arrays; the bundled data keeps one kind per file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    #[serde(default)]
    pub organisation: Vec<Organisation>,
    #[serde(default)]
    pub event: Vec<Event>,
    #[serde(default)]
    pub project: Vec<Project>,
    #[serde(default)]
    pub work: Vec<Work>,
    #[serde(default)]
    pub grant: Vec<Grant>,
    #[serde(default)]
    pub observation: Vec<Observation>,
    #[serde(default)]
    pub scheme: Vec<Scheme>,
    #[serde(default)]
    pub concept: Vec<Concept>,
    #[serde(default)]
    pub country: Vec<Country>,
}

/// A file under `sources/`: one source document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    NewsArticle,
    WebPage,
    PressRelease,
    Registry,
    ReferenceData,
    Editorial,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Ref,
    pub kind: SourceKind,
    pub title: String,
    pub publisher: Option<Ref>,
    /// The address of the document itself.
    pub url: Option<Spanned<String>>,
    /// The web site the document is part of, where its own address is not recorded.
    pub site: Option<Spanned<String>>,
    pub published: Option<Spanned<String>>,
    pub language: Spanned<String>,
    /// A file beside the source file holding the document's text; quotes are checked
    /// against it.
    pub text_file: Option<Spanned<String>>,
    /// Events the document is about.
    #[serde(default)]
    pub about: Vec<Ref>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    Formal,
    Unit,
    Collaboration,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<OrganisationKind>,
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub description: Option<String>,
    pub unit_of: Option<Ref>,
    pub founded: Option<Spanned<String>>,
    #[serde(default)]
    pub founders: Vec<Ref>,
    pub established_under: Option<Ref>,
    pub coordinator: Option<Ref>,
    pub member_count: Option<u32>,
    pub location: Option<String>,
    #[serde(default)]
    pub about: Vec<Ref>,
    pub website: Option<Spanned<String>>,
    pub wikidata: Option<Spanned<String>>,
    pub iati: Option<Spanned<String>>,
    pub ror: Option<Spanned<String>>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Discussion,
    Launch,
    Congress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attendance {
    Online,
    Offline,
    Mixed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<EventKind>,
    pub name: Option<String>,
    pub start: Option<Spanned<String>>,
    pub attendance: Option<Attendance>,
    pub location: Option<String>,
    pub organiser: Option<Ref>,
    #[serde(default)]
    pub collaborators: Vec<Ref>,
    #[serde(default)]
    pub based_on: Vec<Ref>,
    #[serde(default)]
    pub motivated_by: Vec<Ref>,
    #[serde(default)]
    pub about: Vec<Ref>,
    pub recording: Option<Ref>,
    pub description: Option<String>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
    #[serde(default)]
    pub participant: Vec<Participant>,
}

/// The part one organisation played in an event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub organisation: Ref,
    pub role: Ref,
    #[serde(default)]
    pub presented: Vec<Ref>,
    #[serde(default)]
    pub about: Vec<Ref>,
    pub quote: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectKind {
    Project,
    ResearchProject,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<ProjectKind>,
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub description: Option<String>,
    pub implementer: Option<Ref>,
    #[serde(default)]
    pub partners: Vec<Ref>,
    #[serde(default)]
    pub funders: Vec<Ref>,
    /// ISO 3166-1 alpha-3 codes of the countries the project covers.
    #[serde(default)]
    pub countries: Vec<Ref>,
    #[serde(default)]
    pub about: Vec<Ref>,
    #[serde(default)]
    pub assistance: Vec<Ref>,
    pub start: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkKind {
    Report,
    Agenda,
    PolicyGuidance,
    Recording,
    Resolution,
    Series,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Work {
    pub id: Ref,
    pub source: Ref,
    pub kind: Option<WorkKind>,
    pub title: Option<String>,
    pub acronym: Option<String>,
    pub description: Option<String>,
    pub publisher: Option<Ref>,
    #[serde(default)]
    pub authors: Vec<Ref>,
    pub published: Option<Spanned<String>>,
    pub edition: Option<String>,
    pub part_of: Option<Ref>,
    /// The event at which the work was launched.
    pub launched_at: Option<Ref>,
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub about: Vec<Ref>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rank {
    Preferred,
    Normal,
    Deprecated,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub id: Ref,
    pub source: Ref,
    pub funder: Ref,
    pub funded: Ref,
    pub start: Option<Spanned<String>>,
    pub amount: Option<f64>,
    pub currency: Option<Spanned<String>>,
    pub rank: Option<Rank>,
    pub rank_reason: Option<String>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Percent,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub id: Ref,
    pub source: Ref,
    pub label: String,
    pub value: f64,
    pub unit: Unit,
    pub population: Ref,
    pub group: Ref,
    pub primary_source: Option<Ref>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: Ref,
    pub source: Ref,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: Ref,
    pub source: Ref,
    pub scheme: Option<Ref>,
    pub label: Option<String>,
    #[serde(default)]
    pub alt_labels: Vec<String>,
    pub definition: Option<String>,
    #[serde(default)]
    pub broader: Vec<Ref>,
    #[serde(default)]
    pub related: Vec<Ref>,
    #[serde(default)]
    pub at_risk_of: Vec<Ref>,
    #[serde(default)]
    pub quotes: Vec<Spanned<String>>,
}

/// A country the data names; its codes, names and regions come from the reference data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-3.
    pub code: Ref,
    pub wikidata: Option<Spanned<String>>,
}
