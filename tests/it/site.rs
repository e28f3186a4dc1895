//! `tipkg site`, end to end: the site of the bundled graph is written twice (the second
//! run replacing the first) and compared byte for byte; served by Python's http.server
//! and crawled (`site_crawl.py`: every link, download and fragment resolves, every page
//! is well-formed); its documents read by rdflib (`site_rdf.py`) and compared with
//! `tipkg show`; its `.htaccess` parsed back into rules and applied to every kind of IRI
//! and `Accept` header, each answer compared with `tipkg serve`'s.

use crate::serve::Server;
use crate::support::*;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

const BASE: &str = "http://site.example/tipkg";

/// The site of the bundled graph, under `BASE`, written once for the tests that only
/// read it.
fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = temp_dir();
        let out = dir.path().join("site");
        ok(&["site", "-q", "-o", out.to_str().unwrap(), "--base", BASE]);
        dir
    })
    .path()
    .join("site")
    .leak()
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

#[test]
fn the_same_graph_gives_the_same_site_and_a_previous_site_is_replaced() {
    let dir = temp_dir();
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    ok(&["site", "-q", "-o", first.to_str().unwrap()]);
    std::fs::write(first.join("stale.html"), "from an older site").unwrap();
    ok(&["site", "-q", "-o", first.to_str().unwrap()]);
    ok(&["site", "-q", "-o", second.to_str().unwrap()]);
    let (a, b) = (tree(&first), tree(&second));
    assert!(
        !a.contains_key("stale.html"),
        "the previous site is replaced whole"
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs between two runs");
    }
    for expected in [
        ".htaccess",
        ".tipkg-site",
        "index.html",
        "search.html",
        "search-index.json",
        "sitemap.xml",
        "assets/search.js",
        "doc/org/unicef.html",
        "doc/org/unicef.ttl",
        "doc/org/unicef.jsonld",
        "doc/org/unicef.nt",
        "class/schema/Organization.html",
        "graph/icat-2023-06-access-to-justice-for-children.html",
        "ontology.html",
        "dataset.html",
        "dataset-description.ttl",
        "dataset.nq",
    ] {
        assert!(a.contains_key(expected), "{expected}");
    }
    // Nothing is left beside the site.
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}

#[test]
fn a_directory_that_is_not_a_site_is_left_alone() {
    let dir = temp_dir();
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
    let output = run(&["site", "-o", mine.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("is not a site tipkg wrote") && message.contains("-o"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary directory left"
    );
    // An empty directory is fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    ok(&["site", "-q", "-o", empty.to_str().unwrap()]);
    assert!(empty.join("index.html").is_file());
}

#[test]
fn every_link_and_download_of_the_site_resolves_on_a_static_server() {
    let Some(output) = python_checker("site_crawl.py", &[site()]) else {
        return;
    };
    assert!(output.status.success(), "{}", stderr(&output));
    let counts = stdout(&output);
    let pages: usize = counts.split(' ').next().unwrap().parse().unwrap();
    assert!(pages > 150, "{counts}");
    // The source page marks its quoted passages, and entity pages link to them.
    let page = std::fs::read_to_string(
        site().join("graph/icat-2023-06-access-to-justice-for-children.html"),
    )
    .unwrap();
    assert!(page.matches("<mark id=\"q-").count() >= 5, "{page}");
    assert!(page.contains("<li id=\"for-q-"), "{page}");
    let unicef = std::fs::read_to_string(site().join("doc/org/unicef.html")).unwrap();
    assert!(
        unicef.contains("graph&#x2f;icat-2023-06-access-to-justice-for-children.html#q-"),
        "{unicef}"
    );
    let sitemap = std::fs::read_to_string(site().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(&format!("<loc>{BASE}/doc/org/unicef.html</loc>")));
}

#[test]
fn documents_are_what_tipkg_show_gives() {
    // One entity of each kind, byte for byte.
    let mut checked = 0;
    for kind in std::fs::read_dir(site().join("doc")).unwrap() {
        let kind = kind.unwrap().path();
        let mut files: Vec<_> = std::fs::read_dir(&kind)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
            .collect();
        files.sort();
        let Some(first) = files.first() else { continue };
        let kind_name = kind.file_name().unwrap().to_string_lossy().into_owned();
        let slug = first.file_stem().unwrap().to_string_lossy().into_owned();
        let entity = if kind_name == "concept" {
            format!("https://w3id.org/tipkg/concept/{slug}")
        } else {
            format!("{kind_name}/{slug}")
        };
        for (format, extension) in [("turtle", "ttl"), ("jsonld", "jsonld"), ("ntriples", "nt")] {
            let shown = ok(&["show", &entity, "--format", format]);
            let written = std::fs::read_to_string(first.with_extension(extension)).unwrap();
            assert!(
                shown == written,
                "{entity} as {format}: the site's file differs from tipkg show"
            );
        }
        // jsonld.js, in safe mode, reads the JSON-LD as the same triples as the N-Triples.
        if let Some(nquads) = crate::export::jsonld_js(&first.with_extension("jsonld")) {
            let triples = |text: &[u8]| -> std::collections::BTreeSet<String> {
                oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
                    .for_slice(text)
                    .map(|quad| oxigraph::model::Triple::from(quad.unwrap()).to_string())
                    .collect()
            };
            let nt = std::fs::read(first.with_extension("nt")).unwrap();
            assert_eq!(triples(&nquads), triples(&nt), "{entity}: jsonld.js");
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} kinds");
    // Every thing's documents parse with rdflib, to the same graph in each syntax.
    let Some(output) = python_checker("site_rdf.py", &[site()]) else {
        return;
    };
    assert!(output.status.success(), "{}", stderr(&output));
}

/// The rewrite rules of a `.htaccess`, in order: an `Accept` pattern (none for the
/// fallback), the path pattern and the target.
fn rules(htaccess: &str) -> Vec<(Option<regex::Regex>, regex::Regex, String)> {
    let mut rules = Vec::new();
    let mut condition = None;
    for line in htaccess.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["RewriteCond", "%{HTTP_ACCEPT}", pattern, "[NC]"] => {
                condition = Some(regex::Regex::new(&format!("(?i){pattern}")).unwrap());
            }
            ["RewriteRule", pattern, target, flags] => {
                assert!(flags.contains("R=303") && flags.contains('L'), "{line}");
                rules.push((
                    condition.take(),
                    regex::Regex::new(pattern).unwrap(),
                    (*target).to_owned(),
                ));
            }
            ["RewriteCond", ..] | ["RewriteRule", ..] => {
                panic!("a rule this test cannot read: {line}")
            }
            _ => {}
        }
    }
    rules
}

/// Where the rules send `path` (relative to the root) for `accept`, as Apache applies
/// them: the first rule whose condition and pattern match.
fn apply(
    rules: &[(Option<regex::Regex>, regex::Regex, String)],
    path: &str,
    accept: &str,
) -> Option<String> {
    rules.iter().find_map(|(condition, pattern, target)| {
        if condition.as_ref().is_some_and(|c| !c.is_match(accept)) {
            return None;
        }
        let captures = pattern.captures(path)?;
        Some(target.replace("$1", captures.get(1).map_or("", |m| m.as_str())))
    })
}

#[test]
fn the_htaccess_negotiates_as_the_server_does() {
    let htaccess = std::fs::read_to_string(site().join(".htaccess")).unwrap();
    let rules = rules(&htaccess);
    assert!(rules.len() > 20, "{htaccess}");
    let server = Server::start(&["--base", BASE]);
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // One IRI of every kind the site has documents for, and the other IRIs.
    let mut paths = Vec::new();
    for kind in std::fs::read_dir(site().join("doc")).unwrap() {
        let kind = kind.unwrap().path();
        let name = kind.file_name().unwrap().to_string_lossy().into_owned();
        let first = std::fs::read_dir(&kind)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
            .min();
        let first = match first {
            Some(first) => first,
            // Concepts are a level deeper (`doc/concept/SCHEME/SLUG`).
            None => std::fs::read_dir(&kind)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
                .min()
                .unwrap(),
        };
        let stem = first.with_extension("");
        let relative = stem
            .strip_prefix(site().join("doc"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        paths.push(if name == "concept" {
            relative
        } else {
            format!("id/{relative}")
        });
    }
    paths.extend(
        [
            "graph/icat-2023-06-access-to-justice-for-children",
            "graph/ror",
            "ontology",
            "dataset",
        ]
        .map(str::to_owned),
    );
    assert!(paths.len() >= 15, "{paths:?}");
    let accepts = [
        "",
        "*/*",
        "text/turtle",
        "text/html",
        "application/ld+json",
        "application/n-triples",
        "application/json",
        "application/xhtml+xml",
        "application/x-turtle",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"",
        "text/turtle;q=0.9, */*;q=0.1",
    ];
    let extension_of = |media_type: &str| match media_type {
        "text/turtle" => "ttl",
        "text/html" => "html",
        "application/ld+json" => "jsonld",
        "application/n-triples" => "nt",
        other => panic!("the server answered {other}"),
    };
    let mut compared = 0;
    for path in &paths {
        for accept in accepts {
            let mut request = client.get(format!("{}/{path}", server.url));
            if !accept.is_empty() {
                request = request.header(ACCEPT, accept);
            }
            let response = request.send().unwrap();
            // The server answers 303 for things, and the graph itself for named graphs.
            let served = match response.status().as_u16() {
                303 => {
                    let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
                    location.rsplit('.').next().unwrap().to_owned()
                }
                200 => {
                    let media_type = response.headers()[CONTENT_TYPE].to_str().unwrap();
                    extension_of(media_type.split(';').next().unwrap()).to_owned()
                }
                status => panic!("{path} with {accept:?}: {status}"),
            };
            let target = apply(&rules, path, accept)
                .unwrap_or_else(|| panic!("no rule for {path} with {accept:?}"));
            let file = target
                .strip_prefix(&format!("{BASE}/"))
                .unwrap_or_else(|| panic!("{target} is not under {BASE}"));
            assert!(
                site().join(file).is_file(),
                "{path} with {accept:?}: {file} is not in the site"
            );
            let extension = file.rsplit('.').next().unwrap();
            assert_eq!(
                extension, served,
                "{path} with Accept {accept:?}: the site sends {target}"
            );
            if served == "ttl" || served == "html" {
                // The thing's own document, where the server redirects.
                if path.starts_with("id/") {
                    let server_stem = format!("{BASE}/doc/{}", path.trim_start_matches("id/"));
                    assert_eq!(target, format!("{server_stem}.{served}"));
                }
            }
            compared += 1;
        }
    }
    assert!(compared >= 15 * accepts.len(), "{compared}");
    // Nothing else is redirected.
    assert_eq!(apply(&rules, "doc/org/unicef.html", "text/turtle"), None);
    assert_eq!(apply(&rules, "id/org/../../etc/passwd", ""), None);
    assert_eq!(apply(&rules, "id/thing/x", ""), None);
}
