//! Checks across records: ids, references, dates, codes, addresses and quotes.
//!
//! Each check pushes a diagnostic pointing at the offending value and keeps going, so that
//! a run reports every problem of the data at once. Nothing here builds RDF.

use crate::base::diagnostic::{Diagnostic, Diagnostics, Position, closest};
use crate::base::error::{Error, Result};
use crate::base::iri::is_slug;
use crate::model::load::{self, DataRoot, Parsed};
use crate::model::reference;
use crate::model::{OrganisationKind, Ref, Source};
use oxigraph::model::{Literal, NamedNode};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use toml::Spanned;

/// What a reference may point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Source,
    Organisation,
    Event,
    Project,
    Work,
    ProjectOrWork,
    Observation,
    Concept(&'static str),
    Scheme,
    Country,
}

impl Target {
    fn noun(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Organisation => "organisation",
            Self::Event => "event",
            Self::Project => "project",
            Self::Work => "work",
            Self::ProjectOrWork => "project or work",
            Self::Observation => "observation",
            Self::Concept(_) => "concept",
            Self::Scheme => "concept scheme",
            Self::Country => "country code",
        }
    }

    fn help(self) -> String {
        match self {
            Self::Source => "sources are defined by the files under sources/".into(),
            Self::Country => "use an ISO 3166-1 alpha-3 code in upper case, such as \"ROU\"".into(),
            Self::Concept(scheme) => format!(
                "concepts of scheme \"{scheme}\" are defined by [[concept]] records with scheme = \"{scheme}\""
            ),
            Self::ProjectOrWork => "define it in a [[project]] or [[work]] record".into(),
            other => format!(
                "define it in a [[{}]] record, or correct the id",
                match other {
                    Self::Scheme => "scheme",
                    _ => other.noun(),
                }
            ),
        }
    }
}

/// The ids each kind of record defines, gathered before references are checked.
#[derive(Default)]
struct Ids<'a> {
    sources: BTreeMap<&'a str, &'a Source>,
    organisations: BTreeSet<&'a str>,
    events: BTreeSet<&'a str>,
    projects: BTreeSet<&'a str>,
    works: BTreeSet<&'a str>,
    observations: BTreeSet<&'a str>,
    schemes: BTreeSet<&'a str>,
    /// Concept id to the scheme its records name.
    concepts: BTreeMap<&'a str, Option<&'a str>>,
}

struct Checker<'a> {
    parsed: &'a Parsed,
    ids: Ids<'a>,
    diagnostics: &'a mut Diagnostics,
    /// References into record kinds are only checked when every data file parsed: a file
    /// that failed may define the id.
    check_record_refs: bool,
    check_source_refs: bool,
    country_codes: Vec<String>,
}

/// Runs every check on the parsed data.
pub fn check(parsed: &Parsed, diagnostics: &mut Diagnostics) {
    let failed_sources = parsed
        .failed
        .iter()
        .any(|&i| parsed.file(i).relative.starts_with("sources/"));
    let failed_data = parsed
        .failed
        .iter()
        .any(|&i| !parsed.file(i).relative.starts_with("sources/"));
    let mut checker = Checker {
        parsed,
        ids: Ids::default(),
        diagnostics,
        check_record_refs: !failed_data,
        check_source_refs: !failed_sources,
        country_codes: reference::alpha3_codes(),
    };
    checker.collect_ids();
    checker.check_sources();
    checker.check_records();
    if checker.check_record_refs && checker.check_source_refs {
        checker.check_entities();
    }
}

impl<'a> Checker<'a> {
    fn position(&self, file: usize, span: std::ops::Range<usize>) -> Position {
        Position::of_offset(&self.parsed.file(file).text, span.start)
    }

    fn error(&mut self, file: usize, span: std::ops::Range<usize>, message: String, help: String) {
        let diagnostic = Diagnostic::error(&self.parsed.file(file).display, message)
            .at(self.position(file, span))
            .with_help(help);
        self.diagnostics.push(diagnostic);
    }

    fn collect_ids(&mut self) {
        let parsed = self.parsed;
        // The first place of each record, as a byte offset: positions are computed only for
        // the duplicates reported, since computing one reads the file up to it.
        let mut seen: BTreeMap<(&str, &str, &str), (usize, usize)> = BTreeMap::new();
        let mut record =
            |checker: &mut Self, kind: &'static str, file: usize, id: &'a Ref, source: &'a Ref| {
                checker.check_slug(file, id);
                let key = (kind, id.get_ref().as_str(), source.get_ref().as_str());
                if let Some(&(first_file, first_offset)) = seen.get(&key) {
                    let first_display = &parsed.file(first_file).display;
                    let first = Position::of_offset(&parsed.file(first_file).text, first_offset);
                    checker.error(
                        file,
                        id.span(),
                        format!(
                            "duplicate {kind} record \"{}\" for source \"{}\"",
                            id.get_ref(),
                            source.get_ref()
                        ),
                        format!(
                            "the first is at {first_display}:{}:{}; merge the two records",
                            first.line, first.column
                        ),
                    );
                } else {
                    seen.insert(key, (file, id.span().start));
                }
            };
        for located in &parsed.sources {
            let source = &located.record;
            record(self, "source", located.file, &source.id, &source.id);
            self.ids
                .sources
                .entry(source.id.get_ref())
                .or_insert(source);
        }
        for located in &parsed.data {
            let (f, data) = (located.file, &located.record);
            for r in &data.organisation {
                record(self, "organisation", f, &r.id, &r.source);
                self.ids.organisations.insert(r.id.get_ref());
            }
            for r in &data.event {
                record(self, "event", f, &r.id, &r.source);
                self.ids.events.insert(r.id.get_ref());
            }
            for r in &data.project {
                record(self, "project", f, &r.id, &r.source);
                self.ids.projects.insert(r.id.get_ref());
            }
            for r in &data.work {
                record(self, "work", f, &r.id, &r.source);
                self.ids.works.insert(r.id.get_ref());
            }
            for r in &data.grant {
                record(self, "grant", f, &r.id, &r.source);
            }
            for r in &data.observation {
                record(self, "observation", f, &r.id, &r.source);
                self.ids.observations.insert(r.id.get_ref());
            }
            for r in &data.scheme {
                record(self, "scheme", f, &r.id, &r.source);
                self.ids.schemes.insert(r.id.get_ref());
            }
            for r in &data.concept {
                record(self, "concept", f, &r.id, &r.source);
                let scheme = r.scheme.as_ref().map(|s| s.get_ref().as_str());
                let entry = self.ids.concepts.entry(r.id.get_ref()).or_insert(None);
                if entry.is_none() {
                    *entry = scheme;
                }
            }
        }
    }

    fn check_slug(&mut self, file: usize, id: &Ref) {
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

    fn check_ref(&mut self, file: usize, reference: &Ref, target: Target) {
        let id = reference.get_ref().as_str();
        match target {
            Target::Source if !self.check_source_refs => return,
            Target::Source | Target::Country => {}
            _ if !self.check_record_refs => return,
            _ => {}
        }
        if target == Target::Country {
            if reference::country(id).is_none() {
                let upper = id.to_uppercase();
                let suggestion = closest(&upper, self.country_codes.iter().map(String::as_str))
                    .map(str::to_owned);
                self.unknown(file, reference, target, suggestion.as_deref());
            }
            return;
        }
        if let Target::Concept(scheme) = target
            && let Some(found) = self.ids.concepts.get(id)
        {
            if let Some(actual) = found
                && *actual != scheme
            {
                self.error(
                    file,
                    reference.span(),
                    format!(
                        "concept \"{id}\" belongs to scheme \"{actual}\", but this field takes a concept of scheme \"{scheme}\""
                    ),
                    target.help(),
                );
            }
            return;
        }
        // Look the id up first; the candidates for a suggestion are gathered only for an
        // unknown id, so that checking is linear in the number of references.
        if self.knows(target, id) {
            return;
        }
        let suggestion = closest(id, self.ids(target)).map(str::to_owned);
        self.unknown(file, reference, target, suggestion.as_deref());
    }

    /// Whether a record of the target kind has this id (a set lookup).
    fn knows(&self, target: Target, id: &str) -> bool {
        let ids = &self.ids;
        match target {
            Target::Source => ids.sources.contains_key(id),
            Target::Organisation => ids.organisations.contains(id),
            Target::Event => ids.events.contains(id),
            Target::Project => ids.projects.contains(id),
            Target::Work => ids.works.contains(id),
            Target::ProjectOrWork => ids.projects.contains(id) || ids.works.contains(id),
            Target::Observation => ids.observations.contains(id),
            Target::Scheme => ids.schemes.contains(id),
            Target::Concept(_) => ids.concepts.contains_key(id),
            Target::Country => reference::country(id).is_some(),
        }
    }

    /// The ids a reference of this kind may point to.
    fn ids(&self, target: Target) -> Box<dyn Iterator<Item = &'a str> + '_> {
        let ids = &self.ids;
        match target {
            Target::Source => Box::new(ids.sources.keys().copied()),
            Target::Organisation => Box::new(ids.organisations.iter().copied()),
            Target::Event => Box::new(ids.events.iter().copied()),
            Target::Project => Box::new(ids.projects.iter().copied()),
            Target::Work => Box::new(ids.works.iter().copied()),
            Target::ProjectOrWork => Box::new(ids.projects.iter().chain(&ids.works).copied()),
            Target::Observation => Box::new(ids.observations.iter().copied()),
            Target::Scheme => Box::new(ids.schemes.iter().copied()),
            Target::Concept(scheme) => Box::new(
                ids.concepts
                    .iter()
                    .filter(move |(_, s)| **s == Some(scheme))
                    .map(|(c, _)| *c),
            ),
            Target::Country => Box::new(std::iter::empty()),
        }
    }

    fn unknown(&mut self, file: usize, reference: &Ref, target: Target, suggestion: Option<&str>) {
        let help = match suggestion {
            Some(s) => format!("did you mean \"{s}\"? {}", target.help()),
            None => target.help(),
        };
        let message = match target {
            Target::Country => format!("unknown country code \"{}\"", reference.get_ref()),
            _ => format!("unknown {} \"{}\"", target.noun(), reference.get_ref()),
        };
        self.error(file, reference.span(), message, help);
    }

    fn check_refs<'r>(
        &mut self,
        file: usize,
        refs: impl IntoIterator<Item = &'r Ref>,
        target: Target,
    ) {
        for reference in refs {
            self.check_ref(file, reference, target);
        }
    }

    fn check_date(&mut self, file: usize, date: &Spanned<String>) {
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

    fn check_iri(&mut self, file: usize, iri: &Spanned<String>) {
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

    fn check_pattern(
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

    fn check_quotes<'r>(
        &mut self,
        file: usize,
        source: &Ref,
        quotes: impl IntoIterator<Item = &'r Spanned<String>>,
    ) {
        let parsed = self.parsed;
        let source_id = source.get_ref().as_str();
        for quote in quotes {
            let Some(src) = self.ids.sources.get(source_id) else {
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
            let Some(text) = parsed.text_of(&format!("sources/{}", text_file.get_ref())) else {
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

    fn check_sources(&mut self) {
        let parsed = self.parsed;
        for located in &parsed.sources {
            let (f, s) = (located.file, &located.record);
            let expected = format!("sources/{}.toml", s.id.get_ref());
            if parsed.file(f).relative != expected {
                self.error(
                    f,
                    s.id.span(),
                    format!(
                        "source \"{}\" is in {}, not in {expected}",
                        s.id.get_ref(),
                        parsed.file(f).relative
                    ),
                    "name a source file after its id".into(),
                );
            }
            if let Some(p) = &s.publisher {
                self.check_ref(f, p, Target::Organisation);
            }
            self.check_refs(f, &s.about, Target::Event);
            for iri in s.url.iter().chain(&s.site) {
                self.check_iri(f, iri);
            }
            if let Some(date) = &s.published {
                self.check_date(f, date);
            }
            if Literal::new_language_tagged_literal("", s.language.get_ref()).is_err() {
                self.error(
                    f,
                    s.language.span(),
                    format!("invalid language tag \"{}\"", s.language.get_ref()),
                    "use a BCP 47 language tag such as \"en\" or \"fr\"".into(),
                );
            }
            if let Some(text_file) = &s.text_file
                && parsed
                    .text_of(&format!("sources/{}", text_file.get_ref()))
                    .is_none()
            {
                self.error(
                    f,
                    text_file.span(),
                    format!(
                        "text file \"{}\" not found beside the source",
                        text_file.get_ref()
                    ),
                    format!("put the document's text in sources/{}", text_file.get_ref()),
                );
            }
        }
    }

    fn check_records(&mut self) {
        let parsed = self.parsed;
        for located in &parsed.data {
            let (f, data) = (located.file, &located.record);
            for r in &data.organisation {
                self.check_ref(f, &r.source, Target::Source);
                self.check_refs(
                    f,
                    r.unit_of.iter().chain(&r.founders).chain(&r.coordinator),
                    Target::Organisation,
                );
                self.check_refs(f, &r.established_under, Target::Work);
                self.check_refs(f, &r.about, Target::Concept("topic"));
                if let Some(d) = &r.founded {
                    self.check_date(f, d);
                }
                if let Some(w) = &r.website {
                    self.check_iri(f, w);
                }
                self.check_identifiers(f, r.wikidata.as_ref(), r.iati.as_ref(), r.ror.as_ref());
                self.check_quotes(f, &r.source, &r.quotes);
            }
            for r in &data.event {
                self.check_ref(f, &r.source, Target::Source);
                self.check_refs(
                    f,
                    r.organiser.iter().chain(&r.collaborators),
                    Target::Organisation,
                );
                self.check_refs(f, r.based_on.iter().chain(&r.recording), Target::Work);
                self.check_refs(f, &r.motivated_by, Target::Observation);
                self.check_refs(f, &r.about, Target::Concept("topic"));
                if let Some(d) = &r.start {
                    self.check_date(f, d);
                }
                self.check_quotes(f, &r.source, &r.quotes);
                for p in &r.participant {
                    self.check_ref(f, &p.organisation, Target::Organisation);
                    self.check_ref(f, &p.role, Target::Concept("role"));
                    self.check_refs(f, &p.presented, Target::ProjectOrWork);
                    self.check_refs(f, &p.about, Target::Concept("topic"));
                    self.check_quotes(f, &r.source, &p.quote);
                }
            }
            for r in &data.project {
                self.check_ref(f, &r.source, Target::Source);
                self.check_refs(
                    f,
                    r.implementer.iter().chain(&r.partners).chain(&r.funders),
                    Target::Organisation,
                );
                self.check_refs(f, &r.countries, Target::Country);
                self.check_refs(f, &r.about, Target::Concept("topic"));
                self.check_refs(f, &r.assistance, Target::Concept("assistance"));
                for d in r.start.iter().chain(&r.end) {
                    self.check_date(f, d);
                }
                self.check_quotes(f, &r.source, &r.quotes);
            }
            for r in &data.work {
                self.check_ref(f, &r.source, Target::Source);
                self.check_refs(
                    f,
                    r.publisher.iter().chain(&r.authors),
                    Target::Organisation,
                );
                self.check_refs(f, &r.part_of, Target::Work);
                self.check_refs(f, &r.launched_at, Target::Event);
                self.check_refs(f, &r.about, Target::Concept("topic"));
                if let Some(d) = &r.published {
                    self.check_date(f, d);
                }
                if let Some(u) = &r.url {
                    self.check_iri(f, u);
                }
                self.check_quotes(f, &r.source, &r.quotes);
            }
            for r in &data.grant {
                self.check_ref(f, &r.source, Target::Source);
                self.check_ref(f, &r.funder, Target::Organisation);
                self.check_ref(f, &r.funded, Target::Project);
                if let Some(d) = &r.start {
                    self.check_date(f, d);
                }
                if let Some(c) = &r.currency {
                    self.check_pattern(
                        f,
                        c,
                        "ISO 4217 currency code",
                        |v| v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()),
                        "USD",
                    );
                }
                self.check_quotes(f, &r.source, &r.quotes);
            }
            for r in &data.observation {
                self.check_ref(f, &r.source, Target::Source);
                self.check_ref(f, &r.population, Target::Concept("population"));
                self.check_ref(f, &r.group, Target::Concept("population"));
                self.check_refs(f, &r.primary_source, Target::Work);
                if !(0.0..=100.0).contains(&r.value) {
                    self.error(
                        f,
                        r.id.span(),
                        format!(
                            "observation \"{}\" has a percentage of {} outside 0 to 100",
                            r.id.get_ref(),
                            r.value
                        ),
                        "a share in percent lies between 0 and 100".into(),
                    );
                }
                self.check_quotes(f, &r.source, &r.quotes);
            }
            for r in &data.scheme {
                self.check_ref(f, &r.source, Target::Source);
            }
            for r in &data.concept {
                self.check_ref(f, &r.source, Target::Source);
                self.check_refs(f, &r.scheme, Target::Scheme);
                let scheme = self
                    .ids
                    .concepts
                    .get(r.id.get_ref().as_str())
                    .copied()
                    .flatten();
                if let Some(scheme) = scheme.and_then(static_scheme) {
                    self.check_refs(
                        f,
                        r.broader.iter().chain(&r.related),
                        Target::Concept(scheme),
                    );
                }
                self.check_refs(f, &r.at_risk_of, Target::Concept("topic"));
                self.check_quotes(f, &r.source, &r.quotes);
            }
            for r in &data.country {
                self.check_ref(f, &r.code, Target::Country);
                self.check_identifiers(f, r.wikidata.as_ref(), None, None);
            }
        }
    }

    fn check_identifiers(
        &mut self,
        file: usize,
        wikidata: Option<&Spanned<String>>,
        iati: Option<&Spanned<String>>,
        ror: Option<&Spanned<String>>,
    ) {
        if let Some(q) = wikidata {
            self.check_pattern(
                file,
                q,
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
        if let Some(i) = iati {
            self.check_pattern(
                file,
                i,
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
        if let Some(r) = ror {
            self.check_pattern(
                file,
                r,
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
    }

    /// Checks that need every record of an entity: a label, a kind, a parent for units.
    fn check_entities(&mut self) {
        let parsed = self.parsed;
        struct Entity<'r> {
            first: (usize, &'r Ref),
            labelled: bool,
            typed: bool,
            unit: bool,
            unit_of: bool,
        }
        let mut entities: BTreeMap<(&str, &str), Entity> = BTreeMap::new();
        let mut note = |kind: &'static str,
                        file: usize,
                        id: &'a Ref,
                        labelled: bool,
                        typed: bool,
                        unit: bool,
                        unit_of: bool| {
            let e = entities
                .entry((kind, id.get_ref().as_str()))
                .or_insert(Entity {
                    first: (file, id),
                    labelled: false,
                    typed: false,
                    unit: false,
                    unit_of: false,
                });
            e.labelled |= labelled;
            e.typed |= typed;
            e.unit |= unit;
            e.unit_of |= unit_of;
        };
        for located in &parsed.data {
            let (f, d) = (located.file, &located.record);
            for r in &d.organisation {
                let unit = r.kind == Some(OrganisationKind::Unit);
                note(
                    "organisation",
                    f,
                    &r.id,
                    r.name.is_some(),
                    r.kind.is_some(),
                    unit,
                    r.unit_of.is_some(),
                );
            }
            for r in &d.event {
                note(
                    "event",
                    f,
                    &r.id,
                    r.name.is_some(),
                    r.kind.is_some(),
                    false,
                    false,
                );
            }
            for r in &d.project {
                note(
                    "project",
                    f,
                    &r.id,
                    r.name.is_some(),
                    r.kind.is_some(),
                    false,
                    false,
                );
            }
            for r in &d.work {
                note(
                    "work",
                    f,
                    &r.id,
                    r.title.is_some(),
                    r.kind.is_some(),
                    false,
                    false,
                );
            }
            for r in &d.concept {
                note(
                    "concept",
                    f,
                    &r.id,
                    r.label.is_some(),
                    r.scheme.is_some(),
                    false,
                    false,
                );
            }
        }
        for ((kind, id), e) in entities {
            let (file, first) = e.first;
            let (label_field, kind_field) = match kind {
                "work" => ("title", "kind"),
                "concept" => ("label", "scheme"),
                _ => ("name", "kind"),
            };
            if !e.labelled {
                self.error(
                    file,
                    first.span(),
                    format!("{kind} \"{id}\" has no {label_field} in any of its records"),
                    format!("add {label_field} = \"…\" to the record of the source that names it"),
                );
            }
            if !e.typed {
                self.error(
                    file,
                    first.span(),
                    format!("{kind} \"{id}\" has no {kind_field} in any of its records"),
                    format!("add {kind_field} = \"…\" to one of its records"),
                );
            }
            if e.unit && !e.unit_of {
                self.error(
                    file,
                    first.span(),
                    format!(
                        "organisation \"{id}\" is a unit but no record says what it is a unit of"
                    ),
                    "add unit_of = \"…\" naming the parent organisation".into(),
                );
            }
        }
    }
}

/// The indefinite article before a noun, by its first letter: "an IATI …", "a ROR id".
fn article(noun: &str) -> &'static str {
    if noun.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The scheme ids that reference checks know by name; a user's own scheme is checked for
/// existence but its concepts' links are not restricted.
fn static_scheme(scheme: &str) -> Option<&'static str> {
    ["topic", "population", "assistance", "role"]
        .into_iter()
        .find(|s| *s == scheme)
}

/// Reads and checks a data directory: the records, and every problem found, sorted.
pub fn read_checked(root: &DataRoot) -> Result<(load::Parsed, Diagnostics)> {
    let files = load::read(root)?;
    let mut diagnostics = Diagnostics::default();
    let parsed = load::parse(files, &mut diagnostics);
    if let DataRoot::Dir(dir) = root
        && parsed.failed.is_empty()
        && parsed.records() == 0
    {
        // The wrong directory, most likely: building it would replace the graph with nothing.
        return Err(Error::DataDir {
            path: dir.clone(),
            reason: "no records in it: a data directory holds records in *.toml files and \
                     sources in sources/*.toml, as the bundled data/ does"
                .into(),
        });
    }
    check(&parsed, &mut diagnostics);
    diagnostics.sort();
    Ok((parsed, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::{self, TextFile};

    /// A source with a text to check quotes against.
    const SOURCE: &str = "[source]\nid = \"s\"\nkind = \"web-page\"\ntitle = \"S\"\nlanguage = \"en\"\ntext_file = \"s.txt\"\n";

    /// A complete organisation, for records to point at: lines 1 to 5 of `data.toml`.
    const ORGANISATION: &str =
        "[[organisation]]\nid = \"o\"\nsource = \"s\"\nkind = \"formal\"\nname = \"O\"\n";

    /// What the checks report on these files (path relative to the data directory, text),
    /// as `tipkg build` prints it.
    fn check_files(files: &[(&str, &str)]) -> String {
        let files = files
            .iter()
            .map(|(relative, text)| TextFile {
                relative: (*relative).to_owned(),
                display: format!("data/{relative}"),
                text: (*text).to_owned(),
            })
            .collect();
        let mut diagnostics = Diagnostics::default();
        let parsed = load::parse(files, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        check(&parsed, &mut diagnostics);
        diagnostics.sort();
        diagnostics.to_string()
    }

    /// What the checks report on `data.toml` holding the organisation and then `records`,
    /// beside the source and its text.
    fn check_data(records: &str) -> String {
        check_files(&[
            ("sources/s.toml", SOURCE),
            ("sources/s.txt", "The text of the source."),
            ("data.toml", &format!("{ORGANISATION}{records}")),
        ])
    }

    #[test]
    fn complete_records_have_no_problems() {
        assert_eq!(check_data(""), "");
    }
    #[test]
    fn an_address_that_is_not_http_is_malformed() {
        assert_eq!(
            check_data("website = \"ftp://o.example/\"\n"),
            "data/data.toml:6:11: error: malformed IRI \"ftp://o.example/\": only http and https addresses are accepted\n  \
             help: write an absolute address such as \"https://example.org/page\"\n"
        );
    }

    #[test]
    fn malformed_identifiers_show_what_one_looks_like() {
        assert_eq!(
            check_data("iati = \"xm-dac-1\"\nror = \"12345\"\n"),
            "data/data.toml:6:8: error: malformed IATI organisation identifier \"xm-dac-1\"\n  \
             help: an IATI organisation identifier looks like \"XM-DAC-41122\"\n\
             data/data.toml:7:7: error: malformed ROR id \"12345\"\n  \
             help: a ROR id looks like \"02cyaqf66\"\n"
        );
    }

    #[test]
    fn a_currency_is_an_iso_4217_code() {
        let grant = "\n[[project]]\nid = \"p\"\nsource = \"s\"\nkind = \"project\"\nname = \"P\"\n\n\
                     [[grant]]\nid = \"g\"\nsource = \"s\"\nfunder = \"o\"\nfunded = \"p\"\ncurrency = \"usd\"\n";
        assert_eq!(
            check_data(grant),
            "data/data.toml:18:12: error: malformed ISO 4217 currency code \"usd\"\n  \
             help: an ISO 4217 currency code looks like \"USD\"\n"
        );
    }

    #[test]
    fn an_empty_quote_is_an_error() {
        assert_eq!(
            check_data("quotes = [\" \"]\n"),
            "data/data.toml:6:11: error: empty quote\n  \
             help: copy a passage of the source verbatim, or remove the quote\n"
        );
    }

    /// A source in `sources/t.toml` with `extra` lines, `sources/t.txt` beside it, and an
    /// organisation of it quoting the text.
    fn check_source(id: &str, language: &str, extra: &str) -> String {
        let source = format!(
            "[source]\nid = \"{id}\"\nkind = \"web-page\"\ntitle = \"T\"\nlanguage = \"{language}\"\n{extra}"
        );
        let data = format!(
            "[[organisation]]\nid = \"o\"\nsource = \"{id}\"\nkind = \"formal\"\nname = \"O\"\nquotes = [\"a passage\"]\n"
        );
        check_files(&[
            ("sources/t.toml", &source),
            ("sources/t.txt", "a passage"),
            ("data.toml", &data),
        ])
    }

    #[test]
    fn a_quote_needs_a_source_with_a_text() {
        assert_eq!(
            check_source("t", "en", ""),
            "data/data.toml:6:11: error: source \"t\" has no text to check this quote against\n  \
             help: add a text_file to the source, or remove the quote\n"
        );
    }

    #[test]
    fn a_source_file_is_named_after_its_id() {
        assert_eq!(
            check_source("u", "en", "text_file = \"missing.txt\"\n"),
            "data/sources/t.toml:2:6: error: source \"u\" is in sources/t.toml, not in sources/u.toml\n  \
             help: name a source file after its id\n\
             data/sources/t.toml:6:13: error: text file \"missing.txt\" not found beside the source\n  \
             help: put the document's text in sources/missing.txt\n"
        );
    }

    #[test]
    fn a_source_language_is_a_bcp_47_tag() {
        assert_eq!(
            check_source("t", "e n", "text_file = \"t.txt\"\n"),
            "data/sources/t.toml:5:12: error: invalid language tag \"e n\"\n  \
             help: use a BCP 47 language tag such as \"en\" or \"fr\"\n"
        );
    }

    #[test]
    fn a_unit_says_what_it_is_a_unit_of() {
        assert_eq!(
            check_data(
                "\n[[organisation]]\nid = \"u\"\nsource = \"s\"\nkind = \"unit\"\nname = \"U\"\n"
            ),
            "data/data.toml:8:6: error: organisation \"u\" is a unit but no record says what it is a unit of\n  \
             help: add unit_of = \"…\" naming the parent organisation\n"
        );
    }

    #[test]
    fn every_entity_has_a_label_and_a_kind_in_some_record() {
        let records = "\n[[organisation]]\nid = \"n\"\nsource = \"s\"\n\n[[work]]\nid = \"w\"\nsource = \"s\"\n\n\
                       [[concept]]\nid = \"c\"\nsource = \"s\"\n";
        assert_eq!(
            check_data(records),
            "data/data.toml:8:6: error: organisation \"n\" has no kind in any of its records\n  \
             help: add kind = \"…\" to one of its records\n\
             data/data.toml:8:6: error: organisation \"n\" has no name in any of its records\n  \
             help: add name = \"…\" to the record of the source that names it\n\
             data/data.toml:12:6: error: work \"w\" has no kind in any of its records\n  \
             help: add kind = \"…\" to one of its records\n\
             data/data.toml:12:6: error: work \"w\" has no title in any of its records\n  \
             help: add title = \"…\" to the record of the source that names it\n\
             data/data.toml:16:6: error: concept \"c\" has no label in any of its records\n  \
             help: add label = \"…\" to the record of the source that names it\n\
             data/data.toml:16:6: error: concept \"c\" has no scheme in any of its records\n  \
             help: add scheme = \"…\" to one of its records\n"
        );
    }

    #[test]
    fn unknown_references_say_where_each_kind_is_defined() {
        let records = "\n[[event]]\nid = \"e\"\nsource = \"nowhere\"\nkind = \"launch\"\nname = \"E\"\n\
                       based_on = [\"no-work\"]\nmotivated_by = [\"no-observation\"]\nabout = [\"no-topic\"]\n\n\
                       [[event.participant]]\norganisation = \"o\"\nrole = \"presenter\"\npresented = [\"no-project\"]\n\n\
                       [[work]]\nid = \"w\"\nsource = \"s\"\nkind = \"report\"\ntitle = \"W\"\nlaunched_at = \"no-event\"\n\n\
                       [[grant]]\nid = \"g\"\nsource = \"s\"\nfunder = \"o\"\nfunded = \"no-project\"\n\n\
                       [[concept]]\nid = \"c\"\nsource = \"s\"\nscheme = \"no-scheme\"\nlabel = \"C\"\n";
        assert_eq!(
            check_data(records),
            "data/data.toml:9:10: error: unknown source \"nowhere\"\n  \
             help: sources are defined by the files under sources/\n\
             data/data.toml:12:13: error: unknown work \"no-work\"\n  \
             help: define it in a [[work]] record, or correct the id\n\
             data/data.toml:13:17: error: unknown observation \"no-observation\"\n  \
             help: define it in a [[observation]] record, or correct the id\n\
             data/data.toml:14:10: error: unknown concept \"no-topic\"\n  \
             help: concepts of scheme \"topic\" are defined by [[concept]] records with scheme = \"topic\"\n\
             data/data.toml:18:8: error: unknown concept \"presenter\"\n  \
             help: concepts of scheme \"role\" are defined by [[concept]] records with scheme = \"role\"\n\
             data/data.toml:19:14: error: unknown project or work \"no-project\"\n  \
             help: define it in a [[project]] or [[work]] record\n\
             data/data.toml:26:15: error: unknown event \"no-event\"\n  \
             help: define it in a [[event]] record, or correct the id\n\
             data/data.toml:32:10: error: unknown project \"no-project\"\n  \
             help: define it in a [[project]] record, or correct the id\n\
             data/data.toml:37:10: error: unknown concept scheme \"no-scheme\"\n  \
             help: define it in a [[scheme]] record, or correct the id\n"
        );
    }

    #[test]
    fn a_percentage_lies_between_0_and_100() {
        let records = "\n[[scheme]]\nid = \"population\"\nsource = \"s\"\ntitle = \"Populations\"\ndescription = \"D\"\n\n\
                       [[concept]]\nid = \"children\"\nsource = \"s\"\nscheme = \"population\"\nlabel = \"Children\"\n\n\
                       [[observation]]\nid = \"share\"\nsource = \"s\"\nlabel = \"Share\"\nvalue = 135\nunit = \"percent\"\n\
                       population = \"children\"\ngroup = \"children\"\n";
        assert_eq!(
            check_data(records),
            "data/data.toml:20:6: error: observation \"share\" has a percentage of 135 outside 0 to 100\n  \
             help: a share in percent lies between 0 and 100\n"
        );
    }
}
