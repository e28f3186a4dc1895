//! The redirect rules of a static site, for Apache httpd's `mod_rewrite` (the w3id.org
//! way): each IRI of the graph (`/id/…`, `/concept/…`, `/graph/…`, `/ontology`,
//! `/dataset`) answers `303 See Other` to the file of the representation the client's
//! `Accept` header names, as `tipkg serve` does.
//!
//! The rules are written from the server's own table of representations
//! (`serve::negotiate::DOCUMENT_TYPES`), keeping the media types whose extension the site
//! writes, in the server's order; a rule matches when the header names its media type,
//! and the first match wins. `mod_rewrite` cannot weigh quality values, so a client that
//! names several types gets the first the table prefers, and one that names none of them
//! (or sends no header, or `*/*`) the server's first choice, Turtle.

use crate::base::iri::Kind;
use crate::serve::negotiate::DOCUMENT_TYPES;

/// The stem of the files of the dataset's description (`/dataset` in RDF); `dataset.ttl`
/// and its siblings are the whole dataset, as on the server.
pub const DATASET_DESCRIPTION: &str = "dataset-description";

/// The extensions a site writes for every thing and graph, the page included.
const EXTENSIONS: [&str; 4] = ["html", "ttl", "jsonld", "nt"];

/// A path segment of a minted IRI.
const SEGMENT: &str = "[A-Za-z0-9-]+";

/// The media types a site answers, in the server's order of preference, with the
/// extension of each: the server's table without the formats a site does not write.
pub fn offers() -> Vec<(&'static str, &'static str)> {
    DOCUMENT_TYPES
        .iter()
        .filter(|(_, extension)| EXTENSIONS.contains(extension))
        .copied()
        .collect()
}

/// One kind of IRI: its path pattern (relative to the site's root), and the file of each
/// extension, with `$1` for what the pattern captured.
struct Family {
    comment: &'static str,
    pattern: String,
    target: fn(&str) -> String,
}

fn families() -> Vec<Family> {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|kind| kind.segment()).collect();
    vec![
        Family {
            comment: "Things: /id/KIND/SLUG (and their parts) to /doc/KIND/SLUG.EXT",
            pattern: format!(
                "^id/((?:{})/{SEGMENT}(?:/{SEGMENT}){{0,3}})$",
                kinds.join("|")
            ),
            target: |extension| format!("doc/$1.{extension}"),
        },
        Family {
            comment: "Concepts and schemes: /concept/SCHEME/SLUG to /doc/concept/SCHEME/SLUG.EXT",
            pattern: format!("^concept/({SEGMENT}(?:/{SEGMENT}){{0,3}})$"),
            target: |extension| format!("doc/concept/$1.{extension}"),
        },
        Family {
            comment: "Named graphs: /graph/SOURCE to /graph/SOURCE.EXT",
            pattern: "^graph/([a-z0-9-]+)$".to_owned(),
            target: |extension| format!("graph/$1.{extension}"),
        },
        Family {
            comment: "The ontology",
            pattern: "^ontology$".to_owned(),
            target: |extension| format!("ontology.{extension}"),
        },
        Family {
            comment: "The dataset's description (DCAT and VoID); /dataset.EXT are the downloads",
            pattern: "^dataset$".to_owned(),
            target: |extension| match extension {
                "html" => "dataset.html".to_owned(),
                _ => format!("{DATASET_DESCRIPTION}.{extension}"),
            },
        },
    ]
}

/// The regular expression that finds a media type in an `Accept` header: the type named
/// as a whole, before a parameter, a comma or the end.
fn accept_pattern(media_type: &str) -> String {
    format!(
        "(^|,)\\s*{}\\s*(;|,|$)",
        media_type.replace('.', "\\.").replace('+', "\\+")
    )
}

/// The `.htaccess` of a site whose public root is `base` (redirects absolute under it),
/// or of a site at the root of its host.
pub fn htaccess(base: Option<&str>) -> String {
    let offers = offers();
    let default = offers[0].1;
    let prefix = match base {
        Some(base) => format!("{base}/"),
        None => "/".to_owned(),
    };
    let mut out = String::new();
    out.push_str(
        "# Written by tipkg site: the graph's IRIs answer 303 See Other to the file of the\n",
    );
    out.push_str(
        "# representation the Accept header names (first match in this order; no header or\n",
    );
    out.push_str(&format!(
        "# none named: {default}), as tipkg serve answers. Needs mod_rewrite.\n"
    ));
    out.push_str("Options -MultiViews\n");
    out.push_str("AddType text/turtle .ttl\n");
    out.push_str("AddType application/ld+json .jsonld\n");
    out.push_str("AddType application/n-triples .nt\n");
    out.push_str("AddType application/n-quads .nq\n");
    out.push_str("AddType application/trig .trig\n");
    out.push_str("AddType application/rdf+xml .rdf\n");
    out.push_str("AddCharset utf-8 .html .ttl .jsonld .nt .nq .trig .json\n");
    out.push_str("RewriteEngine On\n");
    if base.is_none() {
        out.push_str("RewriteBase /\n");
    }
    for family in families() {
        out.push_str(&format!("\n# {}\n", family.comment));
        for (media_type, extension) in &offers {
            out.push_str(&format!(
                "RewriteCond %{{HTTP_ACCEPT}} {} [NC]\n",
                accept_pattern(media_type)
            ));
            out.push_str(&format!(
                "RewriteRule {} {prefix}{} [R=303,L,E=tipkg_negotiated:1]\n",
                family.pattern,
                (family.target)(extension)
            ));
        }
        out.push_str(&format!(
            "RewriteRule {} {prefix}{} [R=303,L,E=tipkg_negotiated:1]\n",
            family.pattern,
            (family.target)(default)
        ));
    }
    out.push_str("\n<IfModule mod_headers.c>\n");
    out.push_str("Header always merge Vary Accept env=tipkg_negotiated\n");
    out.push_str("</IfModule>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offers_are_the_servers_in_its_order() {
        let offers = offers();
        assert_eq!(offers[0], ("text/turtle", "ttl"));
        assert_eq!(offers[1], ("text/html", "html"));
        assert!(offers.iter().all(|(_, e)| EXTENSIONS.contains(e)));
        assert!(offers.contains(&("application/json", "jsonld")));
        assert!(!offers.iter().any(|(t, _)| *t == "application/rdf+xml"));
    }

    #[test]
    fn accept_patterns_name_whole_types() {
        let pattern =
            regex::Regex::new(&format!("(?i){}", accept_pattern("application/ld+json"))).unwrap();
        assert!(pattern.is_match("application/ld+json"));
        assert!(pattern.is_match("text/html, application/ld+json;q=0.5"));
        assert!(!pattern.is_match("application/ld+jsonx"));
    }
}
