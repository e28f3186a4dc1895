//! Checks of single values that records of several kinds hold: ids, dates, addresses,
//! identifiers of registries, codes, language tags and quotes.

use super::{Checker, article};
use crate::base::iri::is_slug;
use crate::model::Ref;
use oxigraph::model::{Literal, NamedNode};
use std::str::FromStr;
use toml::Spanned;

impl Checker<'_, '_> {
    pub(super) fn check_slug(&mut self, file: usize, id: &Ref) {
        if !is_slug(id.get_ref()) {
            let suggestion: String = id
                .get_ref()
                .to_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            self.error(
                file,
                id.span(),
                format!("id \"{}\" is not a slug", id.get_ref()),
                format!(
                    "ids are lower-case letters, digits and single hyphens, such as \"{suggestion}\"; they become IRIs and must never change"
                ),
            );
        }
    }

    /// A date as the data writes it: a day, a month or a year.
    pub(crate) fn check_date(&mut self, file: usize, date: &Spanned<String>) {
        let value = date.get_ref().as_str();
        let valid = match value.len() {
            4 => oxsdatatypes::GYear::from_str(value).is_ok(),
            7 => oxsdatatypes::GYearMonth::from_str(value).is_ok(),
            10 => oxsdatatypes::Date::from_str(value).is_ok(),
            _ => false,
        };
        if !valid || value.starts_with('-') {
            self.error(
                file,
                date.span(),
                format!("invalid date \"{value}\""),
                "write a date as YYYY-MM-DD, a month as YYYY-MM or a year as YYYY".into(),
            );
        }
    }

    /// The day a source was retrieved: a whole date, not before its publication.
    pub(crate) fn check_retrieved(
        &mut self,
        file: usize,
        retrieved: &Spanned<String>,
        published: Option<&Spanned<String>>,
    ) {
        let value = retrieved.get_ref().as_str();
        if value.len() != 10 || oxsdatatypes::Date::from_str(value).is_err() {
            self.error(
                file,
                retrieved.span(),
                format!("invalid retrieval date \"{value}\""),
                "write the day the document was read as YYYY-MM-DD".into(),
            );
            return;
        }
        // A publication date is a day, a month or a year: the retrieval is before it when
        // it is before the first day it can mean, which its own text is a prefix of.
        if let Some(published) = published
            && value.get(..published.get_ref().len()) < Some(published.get_ref().as_str())
        {
            self.error(
                file,
                retrieved.span(),
                format!(
                    "retrieved on {value}, before it was published ({})",
                    published.get_ref()
                ),
                "a document is read after it is published: check both dates".into(),
            );
        }
    }

    pub(crate) fn check_dates<'r>(
        &mut self,
        file: usize,
        dates: impl IntoIterator<Item = &'r Spanned<String>>,
    ) {
        for date in dates {
            self.check_date(file, date);
        }
    }

    /// An absolute http or https address.
    pub(crate) fn check_iri(&mut self, file: usize, iri: &Spanned<String>) {
        let value = iri.get_ref().as_str();
        let problem = match NamedNode::new(value) {
            Err(e) => Some(e.to_string()),
            Ok(_) if !(value.starts_with("https://") || value.starts_with("http://")) => {
                Some("only http and https addresses are accepted".into())
            }
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            self.error(
                file,
                iri.span(),
                format!("malformed IRI \"{value}\": {problem}"),
                "write an absolute address such as \"https://example.org/page\"".into(),
            );
        }
    }

    pub(crate) fn check_iris<'r>(
        &mut self,
        file: usize,
        iris: impl IntoIterator<Item = &'r Spanned<String>>,
    ) {
        for iri in iris {
            self.check_iri(file, iri);
        }
    }

    /// A code or identifier of a given form: `what` names it, `example` shows one.
    pub(crate) fn check_pattern(
        &mut self,
        file: usize,
        value: &Spanned<String>,
        what: &str,
        valid: fn(&str) -> bool,
        example: &str,
    ) {
        if !valid(value.get_ref()) {
            self.error(
                file,
                value.span(),
                format!("malformed {what} \"{}\"", value.get_ref()),
                format!("{} {what} looks like \"{example}\"", article(what)),
            );
        }
    }

    pub(crate) fn check_wikidata(&mut self, file: usize, item: Option<&Spanned<String>>) {
        let Some(item) = item else { return };
        self.check_pattern(
            file,
            item,
            "Wikidata item id",
            |v| {
                v.len() > 1
                    && v.starts_with('Q')
                    && v[1..].bytes().all(|b| b.is_ascii_digit())
                    && !v[1..].starts_with('0')
            },
            "Q740308",
        );
    }

    pub(crate) fn check_iati(&mut self, file: usize, identifier: Option<&Spanned<String>>) {
        let Some(identifier) = identifier else { return };
        self.check_pattern(
            file,
            identifier,
            "IATI organisation identifier",
            |v| {
                let mut parts = v.split('-');
                let agency = parts.next().unwrap_or_default();
                agency.len() == 2
                    && agency.bytes().all(|b| b.is_ascii_uppercase())
                    && v.split('-')
                        .skip(1)
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
                    && v.split('-').count() >= 2
            },
            "XM-DAC-41122",
        );
    }

    pub(crate) fn check_ror(&mut self, file: usize, id: Option<&Spanned<String>>) {
        let Some(id) = id else { return };
        self.check_pattern(
            file,
            id,
            "ROR id",
            |v| {
                v.len() == 9
                    && v.starts_with('0')
                    && v.bytes()
                        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
            },
            "02cyaqf66",
        );
    }

    pub(crate) fn check_currency(&mut self, file: usize, code: Option<&Spanned<String>>) {
        let Some(code) = code else { return };
        self.check_pattern(
            file,
            code,
            "ISO 4217 currency code",
            |v| v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()),
            "USD",
        );
    }

    pub(crate) fn check_language(&mut self, file: usize, tag: &Spanned<String>) {
        if Literal::new_language_tagged_literal("", tag.get_ref()).is_err() {
            self.error(
                file,
                tag.span(),
                format!("invalid language tag \"{}\"", tag.get_ref()),
                "use a BCP 47 language tag such as \"en\" or \"fr\"".into(),
            );
        }
    }

    /// Quotes are passages of the text of the record's source, copied verbatim.
    pub(crate) fn check_quotes<'r>(
        &mut self,
        file: usize,
        source: &Ref,
        quotes: impl IntoIterator<Item = &'r Spanned<String>>,
    ) {
        let parsed = self.parsed;
        let source_id = source.get_ref().as_str();
        for quote in quotes {
            let Some(src) = self.source(source_id) else {
                continue; // an unknown source is reported by the reference check
            };
            let Some(text_file) = &src.text_file else {
                self.error(
                    file,
                    quote.span(),
                    format!("source \"{source_id}\" has no text to check this quote against"),
                    "add a text_file to the source, or remove the quote".into(),
                );
                continue;
            };
            let Some(text) = src.text_path().and_then(|path| parsed.text_of(&path)) else {
                continue; // a missing text file is reported on the source
            };
            if quote.get_ref().trim().is_empty() {
                self.error(
                    file,
                    quote.span(),
                    "empty quote".into(),
                    "copy a passage of the source verbatim, or remove the quote".into(),
                );
            } else if !text.contains(quote.get_ref().as_str()) {
                self.error(
                    file,
                    quote.span(),
                    format!(
                        "quote not found in the text of source \"{source_id}\": \"{}\"",
                        quote.get_ref()
                    ),
                    format!(
                        "copy the passage verbatim from sources/{} (the same punctuation, such as ’ for apostrophes)",
                        text_file.get_ref()
                    ),
                );
            }
        }
    }
}
