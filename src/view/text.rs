//! A description as text for a terminal: a header (label, `kind/slug`, IRI, other names,
//! types, identifiers), then one section per source with the facts it states, the facts of
//! other things that point here, and its evidence quotes. Lines are wrapped to a width
//! (80 columns by default); only a word longer than a line (an IRI) overflows it.
//! Property and class names are written with the prefixes of every tipkg output. A
//! section leaves out the link to its own source (`prov:wasDerivedFrom`, its heading) and
//! shows the evidence quotes under their own heading; the JSON form has every fact.

use super::{Description, Direction, Fact, Identifier, Rank, SourceInfo, Value, local_name};
use crate::base::iri;
use crate::base::vocab::{self, PROV, RDF, SCHEMA, SKOS, TIPKG};

/// Literals longer than this are cut in text (the JSON and RDF forms have them whole).
const LONGEST_VALUE: usize = 600;
/// The widest property column; longer names get a line of their own.
const KEY_WIDTH: usize = 24;

/// The text of a description, wrapped to `width` columns.
pub fn render(description: &Description, width: usize) -> String {
    let width = width.max(40);
    let mut out = Vec::new();
    let title = description
        .label
        .clone()
        .unwrap_or_else(|| description.iri.clone());
    let title_lines = wrap(&title, width);
    let rule = title_lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(width);
    out.extend(title_lines);
    out.push("═".repeat(rule));
    if description.label.is_some() {
        out.push(description.iri.clone());
    }

    let mut header = Rows::new(2);
    if let (Some(kind), Some(slug)) = (&description.kind, &description.slug) {
        header.push("kind/slug", vec![Block::text(format!("{kind}/{slug}"))]);
    }
    let other_labels: Vec<&String> = description
        .labels
        .iter()
        .filter(|l| Some(*l) != description.label.as_ref())
        .collect();
    if !other_labels.is_empty() {
        header.push(
            "other labels",
            other_labels
                .iter()
                .map(|l| Block::text((*l).clone()))
                .collect(),
        );
    }
    if !description.alt_labels.is_empty() {
        header.push(
            "also known as",
            vec![Block::text(description.alt_labels.join(", "))],
        );
    }
    if !description.types.is_empty() {
        let types: Vec<String> = description.types.iter().map(|t| name(t)).collect();
        header.push("types", vec![Block::text(types.join(", "))]);
    }
    if !description.identifiers.is_empty() {
        header.push(
            "identifiers",
            description
                .identifiers
                .iter()
                .map(|i| Block::text(identifier(i)))
                .collect(),
        );
    }
    let stated: Vec<&SourceInfo> = description
        .sources
        .iter()
        .filter(|s| s.iri.is_some())
        .collect();
    header.push(
        "facts",
        vec![Block::text(format!(
            "{} fact{} from {} source{}",
            description.facts.len(),
            if description.facts.len() == 1 {
                ""
            } else {
                "s"
            },
            stated.len(),
            if stated.len() == 1 { "" } else { "s" },
        ))],
    );
    out.extend(header.render(width));

    for source in &description.sources {
        out.push(String::new());
        out.extend(section(description, source, width));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// One source's section: its heading, what it is, then the facts of its graph.
fn section(description: &Description, source: &SourceInfo, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let heading = match (&source.title, &source.graph) {
        (Some(title), _) => title.clone(),
        (None, Some(graph)) if *graph == iri::dataset_graph().as_str() => {
            "The description of the dataset".to_owned()
        }
        (None, Some(graph)) if *graph == iri::ontology_graph().as_str() => {
            "The ontology".to_owned()
        }
        (None, Some(graph)) => format!("Graph {}", name(graph)),
        (None, None) => "The default graph".to_owned(),
    };
    out.extend(rule_heading(&heading, width));
    let mut about = Vec::new();
    let kind = source
        .types
        .iter()
        .find(|t| !t.starts_with(PROV))
        .map(|t| words(local_name(t)));
    let mut what = match (&kind, &source.publisher) {
        (Some(kind), Some(p)) => format!("{kind} by {}", p.label.as_deref().unwrap_or(&p.iri)),
        (Some(kind), None) => kind.clone(),
        (None, Some(p)) => format!("by {}", p.label.as_deref().unwrap_or(&p.iri)),
        (None, None) => String::new(),
    };
    if let Some(date) = &source.published {
        if !what.is_empty() {
            what.push_str(", ");
        }
        what.push_str(&format!("published {date}"));
    }
    if !what.is_empty() {
        about.push(what);
    }
    if let Some(address) = source.url.as_ref().or(source.site.as_ref()) {
        about.push(address.clone());
    }
    let mut ids = Vec::new();
    if let (Some(slug), true) = (&source.slug, source.iri.is_some()) {
        ids.push(format!("source/{slug}"));
    }
    if let Some(graph) = &source.graph {
        ids.push(format!("in {}", name(graph)));
    }
    if !ids.is_empty() {
        about.push(ids.join(" "));
    }
    for line in about {
        out.extend(wrap(&line, width - 2).into_iter().map(|l| format!("  {l}")));
    }

    let in_graph = |direction: Direction| {
        description
            .facts
            .iter()
            .filter(move |f| f.graph == source.graph && f.direction == direction)
    };
    let mut facts = Rows::new(4);
    let mut reasons_shown: Option<(&str, &[String])> = None;
    for fact in in_graph(Direction::Outgoing) {
        let property = fact.property.as_str();
        let is_own_source = property == format!("{PROV}wasDerivedFrom")
            && matches!(&fact.value, Value::Iri { link, .. } if Some(&link.iri) == source.iri.as_ref());
        if is_own_source || property == format!("{TIPKG}evidenceQuote") {
            continue;
        }
        let mut blocks = value_blocks(fact);
        // The editors' reasons, once for the values of a property that share them.
        let reasons = (property, fact.reasons.as_slice());
        if !fact.reasons.is_empty() && reasons_shown != Some(reasons) {
            for reason in &fact.reasons {
                blocks.push(Block {
                    text: format!("why: {reason}"),
                    indent: 2,
                    hang: 2,
                    quoted: false,
                });
            }
        }
        reasons_shown = Some(reasons);
        facts.push(&property_name(property), blocks);
    }
    if !facts.is_empty() {
        out.push(String::new());
        out.push("  States".to_owned());
        out.extend(facts.render(width));
    }

    let mut names: Vec<String> = description
        .label
        .iter()
        .chain(&description.labels)
        .chain(&description.alt_labels)
        .map(|n| n.to_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let mut shown_quotes: Vec<&str> = Vec::new();
    let mut incoming = Rows::new(4);
    for fact in in_graph(Direction::Incoming) {
        let mut blocks = value_blocks(fact);
        // The quotes of the other thing that name this one are the evidence of the link.
        for quote in &fact.evidence {
            let lower = quote.to_lowercase();
            if names.iter().any(|n| lower.contains(n.as_str()))
                && !shown_quotes.contains(&quote.as_str())
            {
                shown_quotes.push(quote);
                blocks.push(Block::quote(quote, 0));
            }
        }
        incoming.push(&property_name(&fact.property), blocks);
    }
    if !incoming.is_empty() {
        out.push(String::new());
        out.push("  Referred to by".to_owned());
        out.extend(incoming.render(width));
    }

    if !source.evidence.is_empty() {
        out.push(String::new());
        out.push("  Evidence".to_owned());
        for quote in &source.evidence {
            out.extend(Block::quote(quote, 0).render(width - 4, "    "));
        }
    }
    out
}

/// A property as tipkg prints it (`schema:startDate`), `a` for `rdf:type`.
fn property_name(property: &str) -> String {
    if property == format!("{RDF}type") {
        "a".to_owned()
    } else {
        name(property)
    }
}

/// An IRI with the prefix table, or whole when no prefix fits (without angle brackets).
fn name(iri: &str) -> String {
    let compact = vocab::compact(iri);
    match compact.strip_prefix('<').and_then(|c| c.strip_suffix('>')) {
        Some(full) => full.to_owned(),
        None => compact,
    }
}

/// `NewsArticle` → `news article`.
fn words(camel: &str) -> String {
    let mut text = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            text.push(' ');
        }
        text.extend(c.to_lowercase());
    }
    text
}

fn identifier(identifier: &Identifier) -> String {
    let scheme = identifier.scheme_name();
    match &identifier.url {
        Some(url) if *url != identifier.value => format!("{scheme} {} {url}", identifier.value),
        _ => format!("{scheme} {}", identifier.value),
    }
}

/// The other end of a fact, with a part's own facts and a rank below it.
fn value_blocks(fact: &Fact) -> Vec<Block> {
    let mut blocks = vec![Block::text(value(&fact.value))];
    if let Value::Iri {
        part: Some(part), ..
    } = &fact.value
    {
        for inner in &part.facts {
            let skip = [
                format!("{RDF}type"),
                format!("{SKOS}prefLabel"),
                format!("{SCHEMA}name"),
                format!("{PROV}wasDerivedFrom"),
                format!("{TIPKG}rank"),
                format!("{TIPKG}rankReason"),
            ];
            if skip.contains(&inner.property) {
                continue;
            }
            let property = property_name(&inner.property);
            blocks.push(match &inner.value {
                Value::Literal { .. } if inner.property == format!("{TIPKG}evidenceQuote") => {
                    Block::quote(&value(&inner.value), 2)
                }
                other => Block {
                    text: format!("{property} {}", value(other)),
                    indent: 2,
                    hang: 2,
                    quoted: false,
                },
            });
        }
    }
    if let Some(rank) = &fact.rank {
        // The source of a rank is among the sources of the ranked part.
        let title = match &fact.value {
            Value::Iri {
                part: Some(part), ..
            } => part
                .sources
                .iter()
                .find(|s| s.iri.is_some() && s.iri == rank.source)
                .and_then(|s| s.title.clone()),
            _ => None,
        };
        blocks.push(Block {
            text: rank_text(rank, title.as_deref()),
            indent: 2,
            hang: 2,
            quoted: false,
        });
    }
    blocks
}

fn rank_text(rank: &Rank, source_title: Option<&str>) -> String {
    let mut text = format!(
        "rank: {}",
        rank.label.clone().unwrap_or_else(|| name(&rank.iri))
    );
    match (source_title, &rank.source) {
        (Some(title), _) => text.push_str(&format!(" ({title})")),
        (None, Some(source)) => text.push_str(&format!(" ({})", name(source))),
        (None, None) => {}
    }
    if let Some(reason) = &rank.reason {
        text.push_str(&format!(": {reason}"));
    }
    text
}

fn value(value: &Value) -> String {
    match value {
        Value::Iri { link, .. } => {
            let key = match (&link.kind, &link.slug) {
                (Some(kind), Some(slug)) if !super::is_part(&link.iri) => {
                    Some(format!("{kind}/{slug}"))
                }
                (Some(_), Some(_)) => None,
                _ => Some(name(&link.iri)),
            };
            match (&link.label, key) {
                (Some(label), Some(key)) => format!("{label} ({key})"),
                (Some(label), None) => label.clone(),
                (None, Some(key)) => key,
                (None, None) => link.iri.clone(),
            }
        }
        Value::Blank { id } => format!("_:{id}"),
        Value::Literal {
            value, language, ..
        } => {
            let mut text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let length = text.chars().count();
            if length > LONGEST_VALUE {
                text = text.chars().take(LONGEST_VALUE).collect();
                text.push_str(&format!(
                    "… ({} more characters; --format json shows them all)",
                    length - LONGEST_VALUE
                ));
            }
            match language.as_deref() {
                Some("en") | None => text,
                Some(language) => format!("{text} @{language}"),
            }
        }
        Value::Triple { value } => value.clone(),
    }
}

/// A paragraph of a value: plain, or a quote in curly quotes, indented within its column.
struct Block {
    text: String,
    indent: usize,
    /// How much further continuation lines are indented.
    hang: usize,
    quoted: bool,
}

impl Block {
    fn text(text: String) -> Self {
        Self {
            text,
            indent: 0,
            hang: 0,
            quoted: false,
        }
    }

    /// A quote: continuation lines start after its opening mark.
    fn quote(text: &str, indent: usize) -> Self {
        Self {
            text: text.to_owned(),
            indent,
            hang: 1,
            quoted: true,
        }
    }

    /// The block's lines, `width` wide, each after `prefix`.
    fn render(&self, width: usize, prefix: &str) -> Vec<String> {
        let pad = " ".repeat(self.indent);
        let mut lines = Vec::new();
        for paragraph in self.text.split('\n') {
            let text = if self.quoted {
                format!("“{paragraph}”")
            } else {
                paragraph.to_owned()
            };
            let hang = self.hang;
            let available = width.saturating_sub(self.indent + hang).max(10);
            for (i, line) in wrap(&text, available).into_iter().enumerate() {
                let shift = if i == 0 { 0 } else { hang };
                lines.push(
                    format!("{prefix}{pad}{}{line}", " ".repeat(shift))
                        .trim_end()
                        .to_owned(),
                );
            }
        }
        lines
    }
}

/// Rows of a key and a value, the values in a column after the widest key.
struct Rows {
    indent: usize,
    rows: Vec<(String, Vec<Block>)>,
}

impl Rows {
    fn new(indent: usize) -> Self {
        Self {
            indent,
            rows: Vec::new(),
        }
    }

    /// Adds a row; the values of a key just pushed join its row.
    fn push(&mut self, key: &str, blocks: Vec<Block>) {
        match self.rows.last_mut() {
            Some((last, values)) if last == key => values.extend(blocks),
            _ => self.rows.push((key.to_owned(), blocks)),
        }
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn render(&self, width: usize) -> Vec<String> {
        let key_width = self
            .rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .filter(|w| *w <= KEY_WIDTH)
            .max()
            .unwrap_or(0);
        let column = self.indent + key_width + 2;
        let value_width = width.saturating_sub(column).max(20);
        let indent = " ".repeat(self.indent);
        let blank = " ".repeat(column);
        let mut out = Vec::new();
        for (key, blocks) in &self.rows {
            let mut lines: Vec<String> = blocks
                .iter()
                .flat_map(|b| b.render(value_width, &blank))
                .collect();
            let key_length = key.chars().count();
            // A first line that overflows (one long word, an IRI) goes below its key, so
            // that every line longer than the width holds one word.
            let overflows = lines.first().is_some_and(|l| l.chars().count() > width);
            if key_length > key_width || overflows {
                out.push(format!("{indent}{key}"));
            } else if let Some(first) = lines.first_mut() {
                let rest = first.get(column..).unwrap_or("");
                *first = format!("{indent}{key:key_width$}  {rest}");
            } else {
                lines.push(format!("{indent}{key}"));
            }
            out.extend(lines.into_iter().map(|l| l.trim_end().to_owned()));
        }
        out
    }
}

/// A heading: `── Title ───` filled to the width (a long title wrapped first).
fn rule_heading(title: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = wrap(title, width - 3)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("── {l}")
            } else {
                format!("   {l}")
            }
        })
        .collect();
    if let Some(last) = lines.last_mut() {
        let used = last.chars().count();
        if used + 2 < width {
            last.push(' ');
            last.push_str(&"─".repeat(width - used - 1));
        }
    }
    lines
}

/// Greedy word wrap: words are never broken, so a word longer than the width (an IRI)
/// gets a line of its own and overflows it.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut length = 0;
    for word in text.split_whitespace() {
        let size = word.chars().count();
        if length > 0 && length + 1 + size > width {
            lines.push(std::mem::take(&mut line));
            length = 0;
        }
        if length > 0 {
            line.push(' ');
            length += 1;
        }
        line.push_str(word);
        length += size;
    }
    if length > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        let iri = "https://w3id.org/tipkg/id/participation/a-very-long-event/and-organisation-role";
        assert_eq!(wrap(&format!("see {iri} here"), 20), ["see", iri, "here"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn class_names_read_as_words() {
        assert_eq!(words("NewsArticle"), "news article");
        assert_eq!(words("Catalog"), "catalog");
    }

    #[test]
    fn headings_fill_the_width() {
        let lines = rule_heading("Title", 20);
        assert_eq!(lines, ["── Title ───────────"]);
        assert_eq!(lines[0].chars().count(), 20);
    }
}
