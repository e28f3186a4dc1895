//! What a text says, found by rules: names of things the graph does not know yet
//! (acronym definitions, capitalised names with a head word that tells their kind), and
//! candidate facts (event dates and places, amounts of money, percentages, counts, and
//! the roles organisations played, from the phrases that state them).

use super::names::{EntityKind, is_acronym};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A name the graph does not know, proposed as a new entity.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub kind: EntityKind,
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    /// Where the name is in the text (the definition's long form).
    pub range: Range<usize>,
    /// Why it is proposed.
    pub reason: &'static str,
}

/// A candidate fact, with the sentence that states it.
#[derive(Debug, Clone)]
pub struct Fact {
    /// `date`, `place`, `money`, `percent`, `count` or `role`.
    pub kind: &'static str,
    /// An ISO date, a place's name, an amount, a number, or the role's name.
    pub value: String,
    /// The currency of an amount.
    pub unit: Option<String>,
    /// What a number measures; the id of the organisation playing a role.
    pub what: Option<String>,
    pub range: Range<usize>,
    pub sentence: Range<usize>,
}

const CONNECTORS: &[&str] = &[
    "of", "on", "for", "and", "the", "against", "in", "to", "with", "de", "des", "du", "la", "&",
    "at",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Head words that tell what kind of thing a name is, in the order they are tried.
const HEADS: &[(&str, EntityKind)] = &[
    ("Office", EntityKind::Organisation),
    ("Council", EntityKind::Organisation),
    ("Fund", EntityKind::Organisation),
    ("Organization", EntityKind::Organisation),
    ("Organisation", EntityKind::Organisation),
    ("Agency", EntityKind::Organisation),
    ("Ministry", EntityKind::Organisation),
    ("Commission", EntityKind::Organisation),
    ("Network", EntityKind::Organisation),
    ("Coalition", EntityKind::Organisation),
    ("Foundation", EntityKind::Organisation),
    ("Alliance", EntityKind::Organisation),
    ("Association", EntityKind::Organisation),
    ("Group", EntityKind::Organisation),
    ("Centre", EntityKind::Organisation),
    ("Center", EntityKind::Organisation),
    ("Institute", EntityKind::Organisation),
    ("Committee", EntityKind::Organisation),
    ("Secretariat", EntityKind::Organisation),
    ("Union", EntityKind::Organisation),
    ("Authority", EntityKind::Organisation),
    ("Police", EntityKind::Organisation),
    ("Court", EntityKind::Organisation),
    ("University", EntityKind::Organisation),
    ("Bank", EntityKind::Organisation),
    ("Trust", EntityKind::Organisation),
    ("Federation", EntityKind::Organisation),
    ("Department", EntityKind::Organisation),
    ("Bureau", EntityKind::Organisation),
    ("Service", EntityKind::Organisation),
    ("Government", EntityKind::Organisation),
    ("Programme", EntityKind::Project),
    ("Program", EntityKind::Project),
    ("Project", EntityKind::Project),
    ("Initiative", EntityKind::Project),
    ("Campaign", EntityKind::Project),
    ("Partnership", EntityKind::Project),
    ("Report", EntityKind::Work),
    ("Agenda", EntityKind::Work),
    ("Guidance", EntityKind::Work),
    ("Guidelines", EntityKind::Work),
    ("Handbook", EntityKind::Work),
    ("Toolkit", EntityKind::Work),
    ("Study", EntityKind::Work),
    ("Strategy", EntityKind::Work),
    ("Framework", EntityKind::Work),
    ("Manual", EntityKind::Work),
    ("Brief", EntityKind::Work),
    ("Survey", EntityKind::Work),
    ("Index", EntityKind::Work),
    ("Principles", EntityKind::Work),
    ("Declaration", EntityKind::Work),
    ("Convention", EntityKind::Work),
    ("Protocol", EntityKind::Work),
    ("Action Plan", EntityKind::Work),
    ("Conference", EntityKind::Event),
    ("Congress", EntityKind::Event),
    ("Summit", EntityKind::Event),
    ("Forum", EntityKind::Event),
    ("Webinar", EntityKind::Event),
    ("Workshop", EntityKind::Event),
    ("Meeting", EntityKind::Event),
    ("Dialogue", EntityKind::Event),
    ("Consultation", EntityKind::Event),
    ("Symposium", EntityKind::Event),
    ("Roundtable", EntityKind::Event),
    ("Day", EntityKind::Event),
    ("Week", EntityKind::Event),
];

/// The kind a name's head word gives, if any.
fn head_kind(name: &str) -> Option<EntityKind> {
    let words: Vec<&str> = name.split(' ').collect();
    for word in &words {
        if let Some((_, kind)) = HEADS.iter().find(|(h, _)| h == word) {
            return Some(*kind);
        }
    }
    None
}

/// An id from a name: lower case, words joined by `-`, at most eight words.
pub fn slug(name: &str) -> String {
    let lower = name.to_lowercase().replace(['’', '\''], "");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-")
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The words of a string with their byte ranges (split on spaces).
fn words(text: &str, base: usize) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for word in text.split(' ') {
        if !word.is_empty() {
            out.push((base + at..base + at + word.len(), word));
        }
        at += word.len() + 1;
    }
    out
}

static ACRONYM_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([A-Z][A-Za-z0-9&/-]{1,14})\)").unwrap());
static ACRONYM_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([A-Z][A-Z0-9-]{1,14}) \(([A-Z][^()]{3,120})\)").unwrap());

/// Acronym definitions in a sentence: "Long Name (ACR)" and "ACR (Long Name)", as
/// (long form's range, long form, acronym).
pub fn acronym_definitions(
    text: &str,
    sentence: Range<usize>,
) -> Vec<(Range<usize>, String, String)> {
    let s = &text[sentence.clone()];
    let mut out = Vec::new();
    for c in ACRONYM_AFTER.captures_iter(s) {
        let acronym = c.get(1).unwrap().as_str();
        if !is_acronym(acronym) {
            continue;
        }
        let open = c.get(0).unwrap().start();
        let before = &s[..open];
        let ws = words(before, 0);
        // The run of capitalised words and connectors that ends before the parenthesis.
        let mut first = ws.len();
        for (i, (_, w)) in ws.iter().enumerate().rev() {
            let bare = w.trim_end_matches(',');
            if bare.len() != w.len() && i + 1 != ws.len() {
                break;
            }
            if is_capitalised(bare) || CONNECTORS.contains(&bare) {
                first = i;
            } else {
                break;
            }
        }
        // The name starts at the run's first capitalised word whose initial is a letter of
        // the acronym (acronyms of other languages do not start with the English initial).
        let Some(start) = (first..ws.len()).find(|&i| {
            let w = ws[i].1;
            is_capitalised(w) && acronym.contains(w.chars().next().unwrap())
        }) else {
            continue;
        };
        let capitals = ws[start..]
            .iter()
            .filter(|(_, w)| is_capitalised(w))
            .count();
        if capitals < 2 {
            continue;
        }
        let range = ws[start].0.start..ws[ws.len() - 1].0.end;
        let name = before[range.clone()].trim_end_matches(',').to_owned();
        out.push((
            sentence.start + range.start..sentence.start + range.start + name.len(),
            name,
            acronym.to_owned(),
        ));
    }
    for c in ACRONYM_BEFORE.captures_iter(s) {
        let acronym = c.get(1).unwrap().as_str();
        let long = c.get(2).unwrap();
        let initial = acronym.chars().next().unwrap();
        if !is_acronym(acronym)
            || !long.as_str().starts_with(initial)
            || long
                .as_str()
                .split(' ')
                .filter(|w| is_capitalised(w))
                .count()
                < 2
        {
            continue;
        }
        out.push((
            sentence.start + long.start()..sentence.start + long.end(),
            long.as_str().to_owned(),
            acronym.to_owned(),
        ));
    }
    out
}

/// Capitalised names with a head word in a sentence (runs of capitalised words joined by
/// connectors, with an optional year at the end), as (range, name, kind).
pub fn capitalised_names(
    text: &str,
    sentence: Range<usize>,
) -> Vec<(Range<usize>, String, EntityKind)> {
    let s = &text[sentence.clone()];
    let ws = words(s, 0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let bare = |w: &str| {
            w.trim_end_matches([',', '.', ';', ':', '’', '\'', ')'])
                .trim_start_matches(['(', '“', '"', '‘'])
                .to_owned()
        };
        let w = bare(ws[i].1);
        if !is_capitalised(&w) || MONTHS.contains(&w.as_str()) || WEEKDAYS.contains(&w.as_str()) {
            i += 1;
            continue;
        }
        // Extend the run while words are capitalised or connectors, and no punctuation
        // ends a word inside it.
        let mut end = i;
        let mut j = i;
        while j < ws.len() {
            let raw = ws[j].1;
            let b = bare(raw);
            let capital = is_capitalised(&b) && !MONTHS.contains(&b.as_str());
            let year = b.len() == 4 && b.chars().all(|c| c.is_ascii_digit()) && j > i;
            let next = ws.get(j + 1).map(|(_, w)| *w);
            if capital || year {
                end = j;
            } else if !CONNECTORS.contains(&b.as_str())
                || (matches!(raw, "and" | "&") && next == Some("the"))
            {
                // "X and the Y" joins two names.
                break;
            }
            // Punctuation, or a possessive ("UNICEF’s Agenda": two names), ends the run.
            if b.len() != raw.len() && !raw.ends_with('-')
                || raw.starts_with('(') && j > i
                || raw.ends_with("’s")
                || raw.ends_with("'s")
            {
                j += 1;
                break;
            }
            j += 1;
        }
        let mut start = i;
        // Leading words that are not part of a name: "The", sentence openers.
        while start < end
            && matches!(
                bare(ws[start].1).as_str(),
                "The" | "A" | "An" | "This" | "On" | "In" | "At" | "Its" | "Their" | "Our"
            )
        {
            start += 1;
        }
        let name_range = ws[start].0.start..ws[end].0.end;
        let raw_name = &s[name_range.clone()];
        let name = bare(raw_name.trim_end_matches("’s").trim_end_matches("'s"));
        let name = name.trim_end_matches("’s").to_owned();
        let capitals = ws[start..=end]
            .iter()
            .filter(|(_, w)| is_capitalised(&bare(w)))
            .count();
        if capitals >= 2
            && let Some(kind) = head_kind(&name)
        {
            let offset = raw_name.find(&name).unwrap_or(0);
            let at = sentence.start + name_range.start + offset;
            out.push((at..at + name.len(), name, kind));
        }
        i = j.max(i + 1);
    }
    out
}

static EVENT_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(webinar|conference|congress|summit|forum|workshop|meeting|discussion|launch(?:ed|es)?|session|dialogue|consultation|symposium|training|event|held|hosted|convened|take place|took place|takes place|roundtable|gathered)\b").unwrap()
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let months = MONTHS.join("|");
    Regex::new(&format!(
        r"\b(?:(\d{{1,2}})\s+({months})(?:\s+(\d{{4}}))?|({months})\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?|({months})\s+(\d{{4}})|(\d{{4}})-(\d{{2}})-(\d{{2}}))\b"
    ))
    .unwrap()
});
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:held|hosted|took place|takes place|take place|convened|launched|met|gathered|organi[sz]ed|opened)\b[^.;]{0,60}?\b(?:in|at) ((?:[A-Z][\p{L}]+)(?:[ -][A-Z][\p{L}]+){0,2})").unwrap()
});
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(USD|US\$|EUR|GBP|CHF|\$|€|£) ?(\d[\d,]*(?:\.\d+)?)(?: ?(million|billion|m|bn)\b)?)|(?:\b(\d[\d,]*(?:\.\d+)?) ?(million|billion)? (US dollars|dollars|euros|pounds|USD|EUR|GBP|CHF)\b)").unwrap()
});
static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d+(?:\.\d+)?) ?(?:%|per cent\b|percent\b)").unwrap());
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,3}(?:,\d{3})+|\d+) ((?:[a-z][\p{L}-]*)(?: [a-z][\p{L}-]*){0,2})").unwrap()
});

const NOT_COUNTED: &[&str] = &[
    "per", "percent", "million", "billion", "of", "and", "to", "or", "in", "the", "a", "on", "at",
    "years", "year", "months", "month", "days", "day", "hours", "minutes", "weeks", "am", "pm",
    "edition", "st", "nd", "rd", "th", "by", "for", "from", "with", "is", "was", "were", "are",
];
const STOP: &[&str] = &[
    "of", "in", "from", "to", "and", "who", "that", "with", "across", "were", "was", "are", "is",
    "have", "had", "has", "by", "for", "on", "at", "since", "this", "during",
];

fn month_number(name: &str) -> usize {
    MONTHS.iter().position(|m| *m == name).unwrap() + 1
}

/// Dates, places, money, percentages and counts stated in a sentence. `year` completes a
/// date written without one.
pub fn numeric_facts(text: &str, sentence: Range<usize>, year: Option<&str>) -> Vec<Fact> {
    let s = &text[sentence.clone()];
    let mut facts = Vec::new();
    let mut taken: Vec<Range<usize>> = Vec::new();
    let fact = |kind, value: String, unit, what, range: Range<usize>| Fact {
        kind,
        value,
        unit,
        what,
        range: sentence.start + range.start..sentence.start + range.end,
        sentence: sentence.clone(),
    };
    let eventful = EVENT_CUE.is_match(s);
    for c in DATE.captures_iter(s) {
        let whole = c.get(0).unwrap().range();
        taken.push(whole.clone());
        if !eventful {
            continue;
        }
        let g = |i| c.get(i).map(|m| m.as_str());
        let value = if let (Some(d), Some(m)) = (g(1), g(2)) {
            date(g(3).or(year), Some(month_number(m)), Some(d))
        } else if let (Some(m), Some(d)) = (g(4), g(5)) {
            date(g(6).or(year), Some(month_number(m)), Some(d))
        } else if let (Some(m), Some(y)) = (g(7), g(8)) {
            date(Some(y), Some(month_number(m)), None)
        } else {
            Some(format!(
                "{}-{}-{}",
                g(9).unwrap(),
                g(10).unwrap(),
                g(11).unwrap()
            ))
        };
        if let Some(value) = value {
            facts.push(fact("date", value, None, None, whole));
        }
    }
    for c in PLACE.captures_iter(s) {
        let place = c.get(1).unwrap();
        let name = place.as_str();
        if MONTHS.iter().any(|m| name.starts_with(m)) || name == "The" {
            continue;
        }
        facts.push(fact("place", name.to_owned(), None, None, place.range()));
    }
    for c in MONEY.captures_iter(s) {
        let whole = c.get(0).unwrap().range();
        let (symbol, number, scale) = if c.get(2).is_some() {
            (c.get(1), c.get(2), c.get(3))
        } else {
            (c.get(6), c.get(4), c.get(5))
        };
        let currency = match symbol.map_or("", |m| m.as_str()) {
            "USD" | "US$" | "$" | "US dollars" | "dollars" => "USD",
            "EUR" | "€" | "euros" => "EUR",
            "GBP" | "£" | "pounds" => "GBP",
            other => other,
        };
        let Ok(mut amount) = number.unwrap().as_str().replace(',', "").parse::<f64>() else {
            continue;
        };
        amount *= match scale.map(|m| m.as_str()) {
            Some("million" | "m") => 1e6,
            Some("billion" | "bn") => 1e9,
            _ => 1.0,
        };
        taken.push(whole.clone());
        facts.push(fact(
            "money",
            number_text(amount),
            Some(currency.to_owned()),
            measured_after(s, whole.end),
            whole,
        ));
    }
    for c in PERCENT.captures_iter(s) {
        let whole = c.get(0).unwrap().range();
        taken.push(whole.clone());
        let what = measured_after(s, whole.end).or_else(|| measured_before(s, whole.start));
        facts.push(fact("percent", c[1].to_owned(), None, what, whole));
    }
    for c in COUNT.captures_iter(s) {
        let number = c.get(1).unwrap();
        if taken
            .iter()
            .any(|t| t.start <= number.start() && number.end() <= t.end)
        {
            continue;
        }
        let digits = number.as_str().replace(',', "");
        if digits.len() == 4
            && !number.as_str().contains(',')
            && (digits.starts_with("19") || digits.starts_with("20"))
        {
            continue;
        }
        if s[..number.start()].ends_with(['-', '/', '.', '$', '€', '£']) {
            continue;
        }
        // The end of a range ("aged 12 to 17") or of a ratio ("1 in 5") counts nothing.
        let before: Vec<&str> = s[..number.start()]
            .split_whitespace()
            .rev()
            .take(2)
            .collect();
        if before.len() == 2
            && matches!(before[0], "to" | "in" | "and" | "or")
            && before[1].chars().all(|c| c.is_ascii_digit() || c == ',')
        {
            continue;
        }
        let mut what = Vec::new();
        for w in c[2].split(' ') {
            if STOP.contains(&w) {
                break;
            }
            what.push(w);
        }
        if what.is_empty()
            || NOT_COUNTED.contains(&what[0])
            || MONTHS.iter().any(|m| m.eq_ignore_ascii_case(what[0]))
        {
            continue;
        }
        facts.push(fact(
            "count",
            digits,
            None,
            Some(what.join(" ")),
            number.start()..number.end(),
        ));
    }
    facts
}

fn date(year: Option<&str>, month: Option<usize>, day: Option<&str>) -> Option<String> {
    let year = year?;
    Some(match (month, day) {
        (Some(m), Some(d)) => format!("{year}-{m:02}-{:02}", d.parse::<u32>().ok()?),
        (Some(m), None) => format!("{year}-{m:02}"),
        _ => year.to_owned(),
    })
}

/// An amount without a needless fraction.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// "… of all identified victims" after a number: what it is a share or amount of.
fn measured_after(s: &str, end: usize) -> Option<String> {
    let rest = s[end..].trim_start();
    let rest = rest
        .strip_prefix("of ")
        .or_else(|| rest.strip_prefix("for "))?;
    let clause: String = rest
        .split([',', ';', '.', '(', '―', '—'])
        .next()
        .unwrap_or("")
        .split(" and ")
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    (!clause.is_empty()).then_some(clause)
}

/// "children comprise 35%": the words before a number back to the clause's start.
fn measured_before(s: &str, start: usize) -> Option<String> {
    let before = &s[..start];
    let clause = before.rsplit([',', ';', ':']).next().unwrap_or("").trim();
    let clause = clause
        .trim_end_matches(|c: char| c.is_alphabetic())
        .trim_end();
    let words: Vec<&str> = clause.split(' ').filter(|w| !w.is_empty()).collect();
    let tail = words[words.len().saturating_sub(5)..].join(" ");
    (!tail.is_empty()).then_some(tail)
}

/// A phrase that states a role, and whether the organisation comes after it ("funded by
/// X") or before it ("X held").
struct RoleCue {
    role: &'static str,
    pattern: Regex,
    after: bool,
}

static ROLE_CUES: LazyLock<Vec<RoleCue>> = LazyLock::new(|| {
    let cue = |role, pattern: &str, after| RoleCue {
        role,
        pattern: Regex::new(pattern).unwrap(),
        after,
    };
    vec![
        cue(
            "organiser",
            r"(?i)\b(?:co-)?(?:organi[sz]ed|hosted|convened) by\b",
            true,
        ),
        cue(
            "organiser",
            r"\b(?:held|hosted|organi[sz]ed|convened|will host|co-hosted)\b",
            false,
        ),
        cue(
            "partner",
            r"(?i)\b(?:in (?:collaboration|partnership|cooperation|co-operation|association) with|together with|jointly with)\b",
            true,
        ),
        cue(
            "funder",
            r"(?i)\b(?:(?:funded|financed|sponsored|supported) by|with (?:funding|financial support|support|a grant|grants) from|with the (?:financial )?support of|grant from)\b",
            true,
        ),
        cue(
            "funder",
            r"\b(?:has |have )?(?:awarded|granted|pledged|donated)\b",
            false,
        ),
        cue(
            "partner",
            r"(?i)\b(?:prepared|developed|carried out|produced|conducted|written|designed) (?:jointly )?with\b",
            true,
        ),
        cue(
            "publisher",
            r"\b(?:has |have )(?:published|released|issued)\b|\b(?:publishes|releases|issues)\b",
            false,
        ),
        cue("presenter", r"(?i)\bpresented by\b", true),
        cue("presenter", r"\b(?:was|were) presented\b", false),
        cue("panellist", r"(?i)\b(?:panel+ists?|speakers?) from\b", true),
        cue(
            "implementer",
            r"(?i)\b(?:implemented|carried out|run) by\b",
            true,
        ),
        cue("publisher", r"(?i)\b(?:published|released) by\b", true),
    ]
});

/// Roles stated in a sentence: the organisations (as `(range, id)`) after or before a
/// phrase that states a role. After the phrase: the first organisation within a few
/// words, and those joined to it by "and" or commas; before it: the sentence's first
/// organisation.
pub fn roles(
    text: &str,
    sentence: Range<usize>,
    organisations: &[(Range<usize>, String)],
) -> Vec<Fact> {
    let s = &text[sentence.clone()];
    let mut out = Vec::new();
    let inside: Vec<&(Range<usize>, String)> = organisations
        .iter()
        .filter(|(r, _)| sentence.start <= r.start && r.end <= sentence.end)
        .collect();
    let mut seen = Vec::new();
    for cue in ROLE_CUES.iter() {
        for m in cue.pattern.find_iter(s) {
            let at = sentence.start + m.start();
            let end = sentence.start + m.end();
            let mut who: Vec<&(Range<usize>, String)> = Vec::new();
            if cue.after {
                let mut from = end;
                let mut gap_limit = 12;
                for org in inside.iter().filter(|(r, _)| r.start >= end) {
                    let gap = text[from..org.0.start].trim();
                    let gap = gap.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
                    let gap = gap.trim_start_matches("the ").trim_start_matches("the");
                    let joined = gap.is_empty()
                        || matches!(
                            gap,
                            "," | "), and"
                                | ") and"
                                | "and"
                                | ", and"
                                | "&"
                                | "and the"
                                | ", the"
                                | "as well as"
                                | "as well as the"
                                | "and by"
                        );
                    if !(joined
                        || (who.is_empty()
                            && gap.len() <= gap_limit
                            && !gap.contains([',', '.', ';'])))
                    {
                        break;
                    }
                    who.push(org);
                    from = org.0.end;
                    gap_limit = 0;
                }
            } else if let Some(first) = inside.iter().position(|(r, _)| r.end <= at) {
                // The sentence's first organisation, and those joined to it by "and".
                let gap = &text[inside[first].0.end..at];
                if !gap.contains(['.', ';']) {
                    who.push(inside[first]);
                    for next in &inside[first + 1..] {
                        let last = who[who.len() - 1];
                        if next.0.end > at {
                            break;
                        }
                        let between = text[last.0.end..next.0.start].trim();
                        if matches!(between, "and" | "," | ", and" | "&" | "and the") {
                            who.push(next);
                        } else {
                            break;
                        }
                    }
                }
            }
            for (r, id) in who {
                if seen.contains(&(cue.role, id.clone())) {
                    continue;
                }
                seen.push((cue.role, id.clone()));
                out.push(Fact {
                    kind: "role",
                    value: cue.role.to_owned(),
                    unit: None,
                    what: Some(id.clone()),
                    range: r.clone(),
                    sentence: sentence.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Range<usize> {
        0..text.len()
    }

    #[test]
    fn acronyms_are_defined_both_ways() {
        let t = "The Office of the Special Representative of the Secretary-General on Violence against Children (OSRSG-VAC) spoke.";
        let found = acronym_definitions(t, all(t));
        assert_eq!(
            found[0].1,
            "Office of the Special Representative of the Secretary-General on Violence against Children"
        );
        assert_eq!(found[0].2, "OSRSG-VAC");
        let t = "IOM Romania’s project LUPTA (Leading a United Pathway to Anti-Trafficking Action) was presented.";
        let found = acronym_definitions(t, all(t));
        assert_eq!(
            found[0].1,
            "Leading a United Pathway to Anti-Trafficking Action"
        );
    }

    #[test]
    fn numbers_and_what_they_measure() {
        let t = "Children comprise 35% of all identified victims of trafficking, and USD 2.5 million was pledged to 13 countries.";
        let facts = numeric_facts(t, all(t), None);
        let got: Vec<(&str, &str, Option<&str>)> = facts
            .iter()
            .map(|f| (f.kind, f.value.as_str(), f.what.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("money", "2500000", None),
                (
                    "percent",
                    "35",
                    Some("all identified victims of trafficking")
                ),
                ("count", "13", Some("countries")),
            ]
        );
    }

    #[test]
    fn event_dates_take_the_year_given() {
        let t = "On 19 June, ICAT held an online discussion.";
        let facts = numeric_facts(t, all(t), Some("2023"));
        assert_eq!(facts[0].value, "2023-06-19");
    }
}
