//! The bundled query catalogue (`queries/*.rq`) and the header every query file starts with.
//!
//! A header is a block of `#` comment lines before the query, one field per line, a field
//! continuing on lines indented by two spaces or more:
//!
//! ```text
//! # title: Countries a project covers, with their UN regions
//! # description: The countries where a project worked, each with its UN M49 region and
//! #   sub-region.
//! # param: project (project, default disrupting-harm): the project, by slug or IRI
//! # example: tipkg query countries-by-project --param project=disrupting-harm
//! ```
//!
//! `param` and `example` may repeat. A parameter is a variable of the query (`?project`)
//! that is bound to an RDF term of its kind before the query runs; a parameter without a
//! default must be given. The query's name is its file stem.

use crate::base::diagnostic::closest;
use crate::base::error::{Error, Result};
use crate::base::iri::{self, ConceptScheme, Kind};
use crate::base::vocab::ID;
use std::fmt;

/// What a parameter's value must be, and so which RDF term it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A thing under `id/{segment}/`: a slug (`unicef`) or its full IRI.
    Entity(Kind),
    /// A concept of a scheme under `concept/{scheme}/`: a slug or its full IRI.
    Concept(ConceptScheme),
    /// Any thing under `id/`: `kind/slug` (`org/unicef`) or its full IRI.
    AnyEntity,
    /// Any absolute IRI.
    Iri,
    /// A plain string literal.
    String,
    /// An `xsd:date` (`2023-06-19`).
    Date,
    /// An `xsd:integer`.
    Integer,
}

impl ParamKind {
    /// Every kind word a header may use, for error messages: the kinds of things named by
    /// a slug (by their path segment under `id/`, `org`), the known concept schemes (by
    /// their id), then the others.
    pub fn names() -> Vec<&'static str> {
        let mut names: Vec<&str> = Kind::NAMED.iter().map(|k| k.segment()).collect();
        names.extend(ConceptScheme::ALL.iter().map(|s| s.id()));
        names.extend(["entity", "iri", "string", "date", "integer"]);
        names
    }

    pub fn parse(word: &str) -> Option<Self> {
        if let Some(kind) = Kind::NAMED.iter().find(|k| k.segment() == word) {
            return Some(Self::Entity(*kind));
        }
        if let Some(scheme) = ConceptScheme::from_id(word) {
            return Some(Self::Concept(scheme));
        }
        match word {
            "entity" => Some(Self::AnyEntity),
            "iri" => Some(Self::Iri),
            "string" => Some(Self::String),
            "date" => Some(Self::Date),
            "integer" => Some(Self::Integer),
            _ => None,
        }
    }

    /// The namespace a slug of this kind is resolved against, if the kind has slugs.
    pub fn namespace(self) -> Option<String> {
        match self {
            Self::Entity(kind) => Some(iri::entity_namespace(kind)),
            Self::Concept(scheme) => Some(iri::concept_namespace(scheme)),
            Self::AnyEntity => Some(ID.to_owned()),
            Self::Iri | Self::String | Self::Date | Self::Integer => None,
        }
    }
}

impl fmt::Display for ParamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Entity(kind) if Kind::NAMED.contains(kind) => f.write_str(kind.segment()),
            Self::Entity(_) => f.write_str("entity"),
            Self::Concept(scheme) => f.write_str(scheme.id()),
            Self::AnyEntity => f.write_str("entity"),
            Self::Iri => f.write_str("iri"),
            Self::String => f.write_str("string"),
            Self::Date => f.write_str("date"),
            Self::Integer => f.write_str("integer"),
        }
    }
}

/// A parameter a query declares in its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The variable's name, without `?`.
    pub name: String,
    pub kind: ParamKind,
    pub default: Option<String>,
    pub description: String,
}

/// The header of a query file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    pub description: Option<String>,
    pub parameters: Vec<Parameter>,
    pub examples: Vec<String>,
}

impl Header {
    /// Reads the leading comment block of a query. `name` is how errors name the query.
    pub fn parse(name: &str, text: &str) -> Result<Self> {
        let mut header = Self::default();
        let mut fields: Vec<(usize, String, String)> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim_end();
            let Some(comment) = line.strip_prefix('#') else {
                if line.trim().is_empty() {
                    continue;
                }
                break;
            };
            if comment.trim().is_empty() {
                continue;
            }
            if (comment.starts_with("   ") || comment.starts_with('\t'))
                && let Some((_, _, value)) = fields.last_mut()
            {
                value.push(' ');
                value.push_str(comment.trim());
                continue;
            }
            let comment = comment.trim();
            match comment.split_once(':') {
                Some((key, value)) if is_field_name(key) => {
                    fields.push((index + 1, key.to_owned(), value.trim().to_owned()));
                }
                // Any other comment is a note for readers of the file.
                _ => {}
            }
        }
        for (line, key, value) in fields {
            match key.as_str() {
                "title" => header.title = Some(value),
                "description" => header.description = Some(value),
                "example" => header.examples.push(value),
                "param" => header.parameters.push(parse_parameter(name, line, &value)?),
                _ => {
                    return Err(Error::Usage(format!(
                        "{name}:{line}: unknown header field \"{key}\"; the fields are title, description, param and example"
                    )));
                }
            }
        }
        Ok(header)
    }

    /// The fields a catalogue entry must have, that this header lacks.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.title.as_deref().is_none_or(str::is_empty) {
            missing.push("title");
        }
        if self.description.as_deref().is_none_or(str::is_empty) {
            missing.push("description");
        }
        if self.examples.is_empty() {
            missing.push("example");
        }
        missing
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

fn is_field_name(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// `NAME (KIND[, default VALUE]): DESCRIPTION`
fn parse_parameter(query: &str, line: usize, text: &str) -> Result<Parameter> {
    let invalid = |why: String| {
        Error::Usage(format!(
            "{query}:{line}: invalid param header \"{text}\": {why}; write it as `# param: NAME (KIND, default VALUE): what it is`"
        ))
    };
    let (name, rest) = text
        .split_once('(')
        .ok_or_else(|| invalid("no (KIND)".into()))?;
    let (inside, description) = rest
        .split_once(')')
        .ok_or_else(|| invalid("no closing parenthesis".into()))?;
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(invalid(format!("\"{name}\" is not a variable name")));
    }
    let mut parts = inside.split(',').map(str::trim);
    let kind_word = parts.next().unwrap_or_default();
    let kind = ParamKind::parse(kind_word).ok_or_else(|| {
        invalid(format!(
            "unknown kind \"{kind_word}\" (kinds: {})",
            ParamKind::names().join(", ")
        ))
    })?;
    let mut default = None;
    for part in parts {
        match part.strip_prefix("default ") {
            Some(value) => default = Some(value.trim().to_owned()),
            None => return Err(invalid(format!("unexpected \"{part}\""))),
        }
    }
    Ok(Parameter {
        name: name.to_owned(),
        kind,
        default,
        description: description.trim_start_matches(':').trim().to_owned(),
    })
}

/// A query of the catalogue, or one the user wrote.
#[derive(Debug, Clone)]
pub struct NamedQuery {
    /// How messages name the query: its bundled name, its file, `<stdin>` or `<--sparql>`.
    pub name: String,
    pub text: String,
    pub header: Header,
}

impl NamedQuery {
    /// A query text with its header read.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Result<Self> {
        let name = name.into();
        let text = text.into();
        let header = Header::parse(&name, &text)?;
        Ok(Self { name, text, header })
    }
}

/// Every bundled query, sorted by name.
pub fn bundled() -> Result<Vec<NamedQuery>> {
    crate::model::load::bundled_queries()
        .iter()
        .filter_map(|(file, text)| file.strip_suffix(".rq").map(|stem| (stem, text)))
        .map(|(stem, text)| NamedQuery::new(stem, *text))
        .collect()
}

/// The bundled query of this name, or an error naming the closest one.
pub fn find(name: &str) -> Result<NamedQuery> {
    let all = bundled()?;
    if let Some(query) = all.iter().find(|q| q.name == name) {
        return Ok(query.clone());
    }
    Err(Error::UnknownQuery {
        name: name.to_owned(),
        closest: closest(name, all.iter().map(|q| q.name.as_str())).map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_with_continuations_and_parameters() {
        let text = "# title: T\n# description: first\n#   second\n# param: project (project, default disrupting-harm): the project\n# param: text (string): what to find\n# example: tipkg query q\nSELECT * WHERE { ?s ?p ?o }\n# title: ignored";
        let header = Header::parse("q", text).unwrap();
        assert_eq!(header.title.as_deref(), Some("T"));
        assert_eq!(header.description.as_deref(), Some("first second"));
        assert_eq!(header.parameters.len(), 2);
        assert_eq!(header.parameters[0].kind, ParamKind::Entity(Kind::Project));
        assert_eq!(
            header.parameters[0].default.as_deref(),
            Some("disrupting-harm")
        );
        assert_eq!(header.parameters[1].kind, ParamKind::String);
        assert_eq!(header.parameters[1].default, None);
        assert!(header.missing_fields().is_empty());
    }

    #[test]
    fn every_kind_word_reads_back_as_itself() {
        assert_eq!(
            ParamKind::names().join(", "),
            "org, event, project, work, grant, observation, country, region, source, instrument, \
             topic, population, assistance, role, entity, iri, string, date, integer"
        );
        for name in ParamKind::names() {
            let kind = ParamKind::parse(name).unwrap();
            assert_eq!(kind.to_string(), name);
        }
        assert_eq!(
            ParamKind::parse("role")
                .and_then(ParamKind::namespace)
                .as_deref(),
            Some("https://w3id.org/tipkg/concept/role/")
        );
        assert_eq!(
            ParamKind::parse("org")
                .and_then(ParamKind::namespace)
                .as_deref(),
            Some("https://w3id.org/tipkg/id/org/")
        );
    }

    #[test]
    fn bad_parameter_headers_are_errors() {
        let error = Header::parse("q", "# param: x (thing): y\nASK {}").unwrap_err();
        assert!(error.to_string().contains("q:1"), "{error}");
        assert!(error.to_string().contains("unknown kind"), "{error}");
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let error = find("countries-by-projct").unwrap_err().to_string();
        assert!(error.contains("countries-by-project"), "{error}");
    }
}
