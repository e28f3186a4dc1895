//! `tipkg site`: the graph's pages and documents as a static site in a directory, for any
//! static host, with the redirect rules of an Apache host (`.htaccess`).

use super::push::{Bar, progress_bar_of};
use super::serve::parse_base;
use super::{GlobalArgs, Outcome, load};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # The bundled graph as a site in ./public\n  tipkg site -o public\n\n  # An on-disk store, for a host that serves https://example.org/tipkg\n  tipkg site --store kg/ -o public --base https://example.org/tipkg\n\n  # Look at it\n  python3 -m http.server --directory public 8000\n\nThe directory gets index.html, doc/KIND/SLUG.html, .ttl, .jsonld and .nt per thing,\nclass/…, graph/…, ontology.html, dataset.html and the dataset's downloads,\nsearch.html with search-index.json, sitemap.xml and .htaccess (the 303 redirects of\n/id/…, /concept/…, /graph/…, /ontology and /dataset for Apache's mod_rewrite). It is\nwritten beside the target and swapped in, so it is never half written; a previous site\nthere is replaced, any other non-empty directory refused. The SPARQL endpoint and the\nquery pages need `tipkg serve`: the site has no query pages."
)]
pub struct SiteArgs {
    /// The directory to write the site into: new, empty, or a site tipkg wrote before
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    /// The public URL of the site's root, such as https://example.org/tipkg: the sitemap,
    /// canonical links and the redirects of .htaccess use it (default: the graph's own
    /// base, https://w3id.org/tipkg, with redirects relative to the host's root)
    #[arg(long, value_name = "URL", value_parser = parse_base)]
    pub base: Option<String>,
}

pub fn run(global: &GlobalArgs, args: &SiteArgs) -> Result<Outcome> {
    let graph = load(global)?;
    let started = Instant::now();
    let bar = progress_bar_of(global.quiet, "pages");
    let summary = tipkg::site::write_site(
        &graph,
        &args.output,
        args.base.as_deref(),
        &Bar(bar.clone()),
    )?;
    if !global.quiet {
        eprintln!(
            "tipkg site: wrote {} files ({:.1} MB) to {} in {:.1} s: {} things, {} classes, {} graph pages",
            summary.files,
            summary.bytes as f64 / 1e6,
            args.output.display(),
            started.elapsed().as_secs_f64(),
            summary.things,
            summary.classes,
            summary.graphs,
        );
    }
    Ok(Outcome::Success)
}
