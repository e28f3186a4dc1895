//! Content negotiation: which of the representations a resource has suits a request's
//! `Accept` header best (RFC 9110, section 12.5.1), with quality values and wildcards.
//!
//! Each offer is a media type the client may name (several may give the same
//! representation, such as `application/json` for SPARQL JSON results) in the server's
//! order of preference. An offer's quality is that of the most specific range that
//! matches it (`text/turtle` before `text/*` before `*/*`); the offer of the highest
//! quality above 0 wins, ties going to the server's preference. No `Accept` header
//! accepts anything. Ranges that do not parse are ignored, as a lenient server does.

/// The representations of a thing's document and of a named graph, by the media type a
/// client names, in the server's order of preference, each with the extension of its file
/// (`html` for the page): Turtle for a client that accepts anything, HTML for a browser,
/// which names it first; aliases last. The server negotiates with this table, and
/// `tipkg site` writes its redirect rules (`.htaccess`) from it: one place for the rules.
pub const DOCUMENT_TYPES: &[(&str, &str)] = &[
    ("text/turtle", "ttl"),
    ("text/html", "html"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/n-quads", "nq"),
    ("application/trig", "trig"),
    ("application/xhtml+xml", "html"),
    ("application/x-turtle", "ttl"),
    ("application/json", "jsonld"),
];

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    /// Thousandths, 0 to 1000.
    quality: u16,
}

impl Range {
    /// How specifically this range matches `kind/subtype`: 2 exactly, 1 by `kind/*`, 0 by
    /// `*/*`; `None` when it does not match.
    fn specificity(&self, kind: &str, subtype: &str) -> Option<u8> {
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, "*") if k.eq_ignore_ascii_case(kind) => Some(1),
            (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => Some(2),
            _ => None,
        }
    }
}

/// The ranges of an `Accept` header that parse.
fn ranges(header: &str) -> Vec<Range> {
    header.split(',').filter_map(range).collect()
}

fn range(text: &str) -> Option<Range> {
    let mut parts = text.split(';');
    let (kind, subtype) = parts.next()?.trim().split_once('/')?;
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+*".contains(&b))
    };
    if !token(kind) || !token(subtype) || (kind == "*" && subtype != "*") {
        return None;
    }
    let mut quality = 1000;
    for parameter in parts {
        let Some((name, value)) = parameter.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("q") {
            quality = parse_quality(value.trim())?;
        }
    }
    Some(Range {
        kind: kind.to_ascii_lowercase(),
        subtype: subtype.to_ascii_lowercase(),
        quality,
    })
}

/// A quality value: `0` to `1` with at most three decimals.
fn parse_quality(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The index in `offers` of the media type that suits `accept` best, or `None` when the
/// client accepts none of them (406).
pub fn choose(accept: Option<&str>, offers: &[&str]) -> Option<usize> {
    let ranges = match accept.map(str::trim) {
        None | Some("") => return (!offers.is_empty()).then_some(0),
        Some(header) => ranges(header),
    };
    let mut best: Option<(usize, u16)> = None;
    for (index, offer) in offers.iter().enumerate() {
        let (kind, subtype) = offer.split_once('/').unwrap_or((offer, ""));
        let quality = ranges
            .iter()
            .filter_map(|r| r.specificity(kind, subtype).map(|s| (s, r.quality)))
            .max_by_key(|(specificity, _)| *specificity)
            .map_or(0, |(_, quality)| quality);
        if quality > 0 && best.is_none_or(|(_, q)| quality > q) {
            best = Some((index, quality));
        }
    }
    best.map(|(index, _)| index)
}

/// Whether a browser asks for this: `text/html` named explicitly, with a quality at least
/// that of every other range it names.
pub fn prefers_html(accept: Option<&str>) -> bool {
    let Some(header) = accept else { return false };
    let ranges = ranges(header);
    let html = ranges
        .iter()
        .filter(|r| r.specificity("text", "html") == Some(2))
        .map(|r| r.quality)
        .max();
    html.is_some_and(|html| html > 0 && ranges.iter().all(|r| r.quality <= html))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESULTS: &[&str] = &[
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ];

    #[test]
    fn no_header_gives_the_servers_first_choice() {
        assert_eq!(choose(None, RESULTS), Some(0));
        assert_eq!(choose(Some(" "), RESULTS), Some(0));
    }

    #[test]
    fn quality_values_and_specificity_decide() {
        assert_eq!(choose(Some("text/csv"), RESULTS), Some(2));
        assert_eq!(
            choose(
                Some("text/*;q=0.5, application/sparql-results+xml"),
                RESULTS
            ),
            Some(1)
        );
        assert_eq!(
            choose(Some("*/*;q=0.1, text/tab-separated-values;q=0.2"), RESULTS),
            Some(3)
        );
        // A more specific range overrides a wildcard, even with a lower quality.
        assert_eq!(
            choose(
                Some("application/*, application/sparql-results+json;q=0"),
                RESULTS
            ),
            Some(1)
        );
        assert_eq!(choose(Some("TEXT/CSV"), RESULTS), Some(2));
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(choose(Some("image/png"), RESULTS), None);
        assert_eq!(choose(Some("text/csv;q=0"), RESULTS), None);
        assert_eq!(choose(Some("garbage"), RESULTS), None);
    }

    #[test]
    fn bad_ranges_are_ignored() {
        assert_eq!(choose(Some("text/csv;q=2, text/tsv"), RESULTS), None);
        assert_eq!(choose(Some("*/csv, text/csv;q=0.5"), RESULTS), Some(2));
        assert_eq!(parse_quality("0.125"), Some(125));
        assert_eq!(parse_quality("1.000"), Some(1000));
        assert_eq!(parse_quality("1.5"), None);
        assert_eq!(parse_quality("0.1234"), None);
    }

    #[test]
    fn browsers_are_told_apart() {
        let chromium =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
        assert!(prefers_html(Some(chromium)));
        assert!(!prefers_html(Some("text/turtle")));
        assert!(!prefers_html(Some("*/*")));
        assert!(!prefers_html(Some("text/turtle, text/html;q=0.5")));
        assert!(!prefers_html(None));
    }
}
