//! The draft as TOML in the data's layout: the source record (for `sources/ID.toml`), and
//! the records for a data file: one per known entity mentioned, with its quotes; one per
//! new entity proposed; and the candidate facts as `[[fact]]` entries. Every proposal
//! carries a `review` line that says what to decide: the checks know no `review` field and
//! no `fact` table, so the data does not build until a curator has decided each one and
//! deleted its line.

use super::{Draft, EntityKind};

fn q(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// The source record, `[source]`.
pub fn source_toml(d: &Draft) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Read by `tipkg ingest` from {}, retrieved {}.\n",
        d.given.file_name, d.given.retrieved
    ));
    out.push_str("[source]\n");
    out.push_str(&format!(
        "review = {}\n",
        q("check the id, kind, title, publisher and date, then delete this line")
    ));
    out.push_str(&format!("id = {}\n", q(&d.id)));
    out.push_str("kind = \"news-article\"\n");
    out.push_str(&format!(
        "title = {}\n",
        q(d.document.title.as_deref().unwrap_or(""))
    ));
    match (
        &d.publisher_id,
        d.given.publisher.as_ref().or(d.document.publisher.as_ref()),
    ) {
        (Some(id), _) => out.push_str(&format!("publisher = {}\n", q(id))),
        (None, Some(name)) => out.push_str(&format!(
            "# publisher: {} (not an organisation of the graph: add it, or give its id)\n",
            name
        )),
        (None, None) => {}
    }
    if let Some(url) = d.given.url.as_ref().or(d.document.url.as_ref()) {
        out.push_str(&format!("url = {}\n", q(url)));
    }
    if let Some(p) = &d.published {
        out.push_str(&format!("published = {}\n", q(p)));
    }
    out.push_str(&format!("retrieved = {}\n", q(&d.given.retrieved)));
    let language = d.document.language.as_deref().unwrap_or("en");
    out.push_str(&format!(
        "language = {}\n",
        q(language.split('-').next().unwrap_or("en"))
    ));
    out.push_str(&format!("text_file = {}\n", q(&format!("{}.txt", d.id))));
    out
}

/// The records of a data file: mentions, new entities, facts.
pub fn records_toml(d: &Draft) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Draft records from the source \"{}\" (`tipkg ingest`).\n\
         # Records without a `review` line link a name the graph knows to the sentence that\n\
         # mentions it. A `review` line marks a proposal: decide it (keep, edit, merge or\n\
         # delete the record), then delete the line; `[[fact]]` entries are candidate facts to\n\
         # move into the records they belong to. The data does not build while one is left.\n",
        d.id
    ));
    let countries: Vec<String> = d
        .mentions
        .iter()
        .filter(|m| m.entity.kind == EntityKind::Country)
        .map(|m| format!("{} ({})", m.entity.id, m.names.join(", ")))
        .collect();
    if !countries.is_empty() {
        out.push_str(&format!(
            "# Countries mentioned: {}.\n",
            countries.join(", ")
        ));
    }
    let section = |title: &str, n: usize, out: &mut String| {
        if n > 0 {
            out.push_str(&format!("\n# ── {title} ({n})\n"));
        }
    };
    let known: Vec<_> = d
        .mentions
        .iter()
        .filter(|m| m.entity.kind != EntityKind::Country)
        .collect();
    section("Mentions of what the graph knows", known.len(), &mut out);
    for m in known {
        out.push_str(&format!("\n[[{}]]\n", m.entity.kind.table()));
        out.push_str(&format!("id = {}\n", q(&m.entity.id)));
        out.push_str(&format!("source = {}\n", q(&d.id)));
        quotes(&mut out, m.sentences.iter().map(|s| d.slice(s)));
    }
    section(
        "Names shared by several entities",
        d.ambiguous.len(),
        &mut out,
    );
    for a in &d.ambiguous {
        let list: Vec<String> = a
            .entities
            .iter()
            .map(|e| format!("{} {}", e.kind.table(), e.id))
            .collect();
        out.push_str(&format!(
            "# \"{}\" names {}: add the right one's record by hand.\n#   \"{}\"\n",
            a.name,
            list.join(", "),
            d.slice(&a.sentence)
        ));
    }
    section("New entities", d.candidates.len(), &mut out);
    for (c, sentence) in &d.candidates {
        out.push_str(&format!("\n[[{}]]\n", c.kind.table()));
        out.push_str(&format!(
            "review = {}\n",
            q(&format!(
                "new {}? {}: keep it, or give the id of the entity it is",
                c.kind.table(),
                c.reason
            ))
        ));
        out.push_str(&format!("id = {}\n", q(&c.id)));
        out.push_str(&format!("source = {}\n", q(&d.id)));
        let name_field = match c.kind {
            EntityKind::Work => "title",
            _ => "name",
        };
        out.push_str(&format!("{name_field} = {}\n", q(&c.name)));
        if let Some(a) = &c.acronym {
            out.push_str(&format!("acronym = {}\n", q(a)));
        }
        quotes(&mut out, [d.slice(sentence)]);
    }
    section("Candidate facts", d.facts.len(), &mut out);
    for f in &d.facts {
        out.push_str("\n[[fact]]\n");
        let review = match f.kind {
            "date" => "the date of an event: set it as the event's start",
            "place" => "where an event took place: set it as the event's location",
            "money" => "an amount: a grant's amount, or drop it",
            "percent" => "a share: an observation (population and group), or drop it",
            "count" => "a count: an observation or a field such as member_count, or drop it",
            _ => "a role: the organisation's part in the event, project or work",
        };
        out.push_str(&format!("review = {}\n", q(review)));
        out.push_str(&format!("kind = {}\n", q(f.kind)));
        out.push_str(&format!("value = {}\n", q(&f.value)));
        if let Some(u) = &f.unit {
            out.push_str(&format!("currency = {}\n", q(u)));
        }
        if let Some(w) = &f.what {
            let key = if f.kind == "role" {
                "organisation"
            } else {
                "of"
            };
            out.push_str(&format!("{key} = {}\n", q(w)));
        }
        out.push_str(&format!("quote = {}\n", q(d.slice(&f.sentence))));
    }
    out
}

fn quotes<'a>(out: &mut String, quotes: impl IntoIterator<Item = &'a str>) {
    let list: Vec<String> = quotes.into_iter().take(3).map(q).collect();
    if list.len() == 1 {
        out.push_str(&format!("quotes = [{}]\n", list[0]));
    } else {
        out.push_str("quotes = [\n");
        for item in list {
            out.push_str(&format!("  {item},\n"));
        }
        out.push_str("]\n");
    }
}

/// The summary for stderr.
pub fn summary(d: &Draft) -> String {
    let known = d
        .mentions
        .iter()
        .filter(|m| m.entity.kind != EntityKind::Country)
        .count();
    let countries = d.mentions.len() - known;
    let mut decisions = vec![format!("the source record")];
    if !d.candidates.is_empty() {
        decisions.push(format!("{} new entities", d.candidates.len()));
    }
    if !d.facts.is_empty() {
        decisions.push(format!("{} facts", d.facts.len()));
    }
    if !d.ambiguous.is_empty() {
        decisions.push(format!("{} shared names", d.ambiguous.len()));
    }
    format!(
        "{}: {} entities of the graph mentioned ({} countries), {} new entities proposed, {} facts proposed\n  to decide: {}\n",
        d.id,
        known + countries,
        countries,
        d.candidates.len(),
        d.facts.len(),
        decisions.join(", ")
    )
}
