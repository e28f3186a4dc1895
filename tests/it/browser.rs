//! `tipkg serve` in a real browser: headless Chromium, driven by Selenium
//! (`tests/checkers/browser.py`), visits the server as a person would (home page, search,
//! entity page, source page with its highlighted quotes, a bundled query, the SPARQL
//! editor), with screenshots that must not be blank, no console errors and no request
//! leaving 127.0.0.1. The same visit, less the query pages, on a static site of `tipkg
//! site` tries its search page, which runs in the browser.
//!
//! `TIPKG_SCREENSHOTS=DIR` keeps the screenshots in DIR.

use crate::serve::Server;
use crate::support::*;
use std::path::Path;

/// Chromium and its driver, from Debian's `chromium` and `chromium-driver`.
fn chromium() -> bool {
    let found = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|path| Path::new(path).exists());
    if !found {
        assert!(
            !required("TIPKG_REQUIRE_CHECKERS"),
            "Chromium or its driver is missing: run tests/env/setup.sh"
        );
        skip("chromium and chromium-driver (run tests/env/setup.sh)");
    }
    found
}

#[test]
fn a_person_finds_an_entity_its_sources_and_runs_queries_in_a_browser() {
    if !chromium() {
        return;
    }
    let server = Server::start(&[]);
    let shots = temp_dir();
    let Some(output) = python_checker("browser.py", &[Path::new(&server.url), shots.path()]) else {
        return;
    };
    assert!(
        output.status.success(),
        "the visit failed:\n{}\n{}\nserver log:\n{}",
        stdout(&output),
        stderr(&output),
        server.log()
    );
    for step in ["home", "search", "entity", "source", "query", "editor"] {
        assert!(
            stdout(&output).contains(&format!("{step}: ")),
            "the visit skipped {step}:\n{}",
            stdout(&output)
        );
        assert!(shots.path().join(format!("{step}.png")).is_file());
    }
    // TIPKG_SCREENSHOTS=DIR keeps the screenshots (README's comes from here).
    if let Some(keep) = std::env::var_os("TIPKG_SCREENSHOTS") {
        copy_dir(shots.path(), Path::new(&keep));
    }
}

#[test]
fn a_person_searches_and_follows_a_static_site_in_a_browser() {
    if !chromium() {
        return;
    }
    let dir = temp_dir();
    let site = dir.path().join("site");
    ok(&["site", "-q", "-o", site.to_str().unwrap()]);
    let shots = dir.path().join("shots");
    std::fs::create_dir(&shots).unwrap();
    let Some(output) = python_checker("browser.py", &[Path::new("--site"), &site, &shots]) else {
        return;
    };
    assert!(
        output.status.success(),
        "the visit failed:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    let said = stdout(&output);
    assert!(said.contains("search: Search: UNICEF"), "{said}");
    assert!(said.contains("/doc/org/unicef.html>"), "{said}");
    for step in ["home", "search", "entity", "source"] {
        assert!(
            shots.join(format!("{step}.png")).is_file(),
            "{step}: {said}"
        );
    }
}
