//! Sources: the documents that state the records' facts, one file each under `sources/`,
//! and the sources whose graphs the mapping writes by itself.

use super::{Key, Place, Record, Ref, Schemes};
use crate::base::iri::{self, Kind};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// The source of the ranks given to statements that disagree.
pub const EDITORIAL_SOURCE: &str = "tipkg-editorial";
/// The source of country codes, names and regions.
pub const REFERENCE_SOURCE: &str = "iso-3166-un-m49";
/// The registries whose identifiers records carry.
pub const WIKIDATA_SOURCE: &str = "wikidata";
pub const IATI_SOURCE: &str = "iati-organisation-identifiers";
pub const ROR_SOURCE: &str = "ror";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    NewsArticle,
    WebPage,
    PressRelease,
    Registry,
    ReferenceData,
    Editorial,
}

/// A document that states facts, one file under `sources/`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The source's id: a slug, which must be the file's name without `.toml`.
    #[schemars(with = "String")]
    pub id: Ref,
    /// What sort of document: `news-article`, `web-page`, `press-release`, `registry`, `reference-data` or `editorial`.
    pub kind: SourceKind,
    /// The document's title.
    pub title: String,
    /// The id of the organisation that published it.
    #[schemars(with = "Option<String>")]
    pub publisher: Option<Ref>,
    /// The address of the document itself.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// The web site the document is part of, where its own address is not recorded.
    #[schemars(with = "Option<String>")]
    pub site: Option<Spanned<String>>,
    /// When it was published: YYYY-MM-DD, YYYY-MM or YYYY.
    #[schemars(with = "Option<String>")]
    pub published: Option<Spanned<String>>,
    /// When the copy the records were taken from was retrieved (read from its address, or
    /// from a stored copy): YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub retrieved: Option<Spanned<String>>,
    /// The document's language, a BCP 47 tag such as "en".
    #[schemars(with = "String")]
    pub language: Spanned<String>,
    /// A file beside the source file holding the document's text; quotes are checked
    /// against it.
    #[schemars(with = "Option<String>")]
    pub text_file: Option<Spanned<String>>,
    /// Events the document is about.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub about: Vec<Ref>,
}

impl Source {
    /// The path of its text file, relative to the data directory.
    pub fn text_path(&self) -> Option<String> {
        self.text_file
            .as_ref()
            .map(|t| format!("sources/{}", t.get_ref()))
    }
}

impl Record for Source {
    const TABLE: &'static str = "source";
    const PLACE: Place = Place::SourceFile;

    fn id(&self) -> &Ref {
        &self.id
    }

    /// A source states itself: its own description is in its own graph.
    fn source(&self) -> Option<&Ref> {
        Some(&self.id)
    }

    fn name(&self) -> Option<&str> {
        Some(&self.title)
    }

    fn keys<'r>(&'r self, _: &Schemes<'_>, keys: &mut Vec<Key<'r>>) {
        let iri = iri::entity(Kind::Source, self.id.get_ref());
        keys.push(Key::new(iri, &self.id, &self.id));
    }
}
