//! `tipkg site`: the server's pages and documents as static files, for any static host.
//!
//! The pages are the server's own (`serve::pages` in the static [`Layout`]): an entity
//! page, Turtle, JSON-LD and N-Triples per thing under `doc/{kind}/{slug}`, a page per
//! class, per named graph (a source's with its text and marked passages), the ontology's
//! documentation, the dataset's description and every download of the dataset, the home
//! page, a search page that searches `search-index.json` in the browser, `sitemap.xml`,
//! and the redirect rules (`.htaccess`, see [`htaccess`]) that make the graph's IRIs answer
//! 303 to these files on an Apache host, as the server does.
//!
//! The site is written into a new directory beside the target, then swapped in by
//! renames, so that a reader never sees half a site; a directory that holds anything but
//! a previous site (it has no [`MARKER`]) is never replaced. The same graph gives the same
//! bytes: everything is written in sorted order and nothing depends on the time.

pub mod htaccess;

use crate::base::format::Format;
use crate::base::progress::Progress;
use crate::base::vocab::{self, BASE};
use crate::export::{self, ContextMode, Frame, GraphSelection};
use crate::serve::{self as pages, Layout, Pages, Place, STATIC_FORMATS, Site, place};
use crate::store::KnowledgeGraph;
use crate::view::{self, Describer};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The file that marks a directory as a site tipkg wrote, which a later run may replace.
pub const MARKER: &str = ".tipkg-site";

/// What can go wrong while writing a site.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{} exists and is not a site that tipkg wrote (it is not empty and has no {MARKER} file): it is left as it is; write the site into a new or empty directory",
        path.display()
    )]
    NotASite { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Graph(#[from] crate::Error),
}

impl From<view::Error> for Error {
    fn from(error: view::Error) -> Self {
        match error {
            view::Error::Graph(error) => Self::Graph(error),
            other => Self::Graph(crate::Error::Usage(other.to_string())),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a site holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Things with a page and documents of their own (entities and their parts).
    pub things: usize,
    pub classes: usize,
    /// Named graphs with a page (sources, the ontology, the dataset's description).
    pub graphs: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Writes the site of `graph` into `dir`, replacing a previous site there. `base` is the
/// public URL of the site's root (no trailing slash): the sitemap, canonical links and the
/// redirects use it; without it, the graph's own base (`https://w3id.org/tipkg`).
pub fn write_site(
    graph: &KnowledgeGraph,
    dir: &Path,
    base: Option<&str>,
    progress: &dyn Progress,
) -> Result<Summary> {
    refuse_foreign(dir)?;
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".to_owned());
    let staging = parent.join(format!(".{name}.tipkg-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.tipkg-old-{}", std::process::id()));
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(io(&staging))?;
    let written = Writer::new(staging.clone()).write(graph, base, progress);
    let summary = match written {
        Ok(summary) => summary,
        Err(error) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(error);
        }
    };
    // The swap: the previous site aside, the new one in its place, the previous removed.
    let had_site = dir.exists();
    if had_site {
        fs::rename(dir, &old).map_err(io(dir))?;
    }
    if let Err(source) = fs::rename(&staging, dir) {
        if had_site {
            let _ = fs::rename(&old, dir);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(Error::Io {
            path: dir.to_owned(),
            source,
        });
    }
    if had_site {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(summary)
}

/// Refuses a target that is neither missing, an empty directory, nor a previous site.
fn refuse_foreign(dir: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Error::NotASite {
            path: dir.to_owned(),
        });
    }
    if dir.join(MARKER).is_file() || fs::read_dir(dir).map_err(io)?.next().is_none() {
        return Ok(());
    }
    Err(Error::NotASite {
        path: dir.to_owned(),
    })
}

/// Writes the files of a site under its root, counting them.
struct Writer {
    root: PathBuf,
    summary: Summary,
}

/// One entry of the search index: what a visitor may type, and where it leads.
#[derive(Serialize)]
struct Entry {
    label: String,
    /// The labels and acronyms to match.
    names: Vec<String>,
    href: String,
    types: String,
}

impl Writer {
    fn new(root: PathBuf) -> Self {
        Self {
            root,
            summary: Summary::default(),
        }
    }

    fn file(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.root.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_owned(),
                source,
            })?;
        }
        fs::write(&target, bytes).map_err(|source| Error::Io {
            path: target.clone(),
            source,
        })?;
        self.summary.files += 1;
        self.summary.bytes += bytes.len() as u64;
        Ok(())
    }

    /// Selected graphs of the store in `format`.
    fn export(
        &mut self,
        path: &str,
        graph: &KnowledgeGraph,
        graphs: GraphSelection,
        format: Format,
    ) -> Result<()> {
        let options = export::Options {
            format,
            graphs,
            jsonld_context: ContextMode::Embed,
            jsonld_frame: None::<Frame>,
            stream: false,
        };
        let mut body = Vec::new();
        export::export(graph, &options, &mut body)?;
        self.file(path, &body)
    }

    fn write(
        mut self,
        graph: &KnowledgeGraph,
        base: Option<&str>,
        progress: &dyn Progress,
    ) -> Result<Summary> {
        let site = Site::read(graph)?;
        let public = base.unwrap_or(BASE.trim_end_matches('/'));
        let pages = Pages {
            graph,
            site: &site,
            base: Some(public),
            layout: Layout::Static,
        };
        let (things, classes, graphs) = inventory(graph)?;
        progress.start((things.len() + classes.len() + graphs.len()) as u64);
        let mut html_pages: Vec<String> = Vec::new();

        self.file(
            MARKER,
            b"A site written by tipkg site; tipkg site may replace this directory.\n",
        )?;
        self.file(
            "index.html",
            pages::home_page(&pages, "/index.html")?.as_bytes(),
        )?;
        html_pages.push("index.html".to_owned());
        self.file(
            "search.html",
            pages::static_search_page(&pages, "/search.html")?.as_bytes(),
        )?;
        html_pages.push("search.html".to_owned());
        for (name, _, content) in crate::serve::ASSETS
            .iter()
            .filter(|(name, _, _)| ["style.css", "search.js"].contains(name))
        {
            self.file(&format!("assets/{name}"), content)?;
        }
        self.file("favicon.ico", crate::serve::FAVICON)?;
        self.file("context.jsonld", export::jsonld::CONTEXT.as_bytes())?;

        // Every thing: its page and documents, and its entry in the search index.
        let mut describer = Describer::new(graph);
        let mut index = Vec::new();
        for (thing, stem) in &things {
            let path = format!("{stem}.html");
            let Some(html) = pages::entity_page(&pages, &format!("/{path}"), thing)? else {
                progress.advance(1);
                continue;
            };
            self.file(&path, html.as_bytes())?;
            html_pages.push(path.clone());
            let quads = describer.quads(thing.as_ref())?;
            for format in STATIC_FORMATS {
                let mut body = Vec::new();
                view::write_rdf(&quads, format, &mut body)?;
                self.file(&format!("{stem}.{}", format.extension()), &body)?;
            }
            if !view::is_part(thing.as_str()) {
                let description = describer.describe(thing.as_ref())?;
                let mut names: BTreeSet<String> = description.labels.iter().cloned().collect();
                names.extend(description.alt_labels.iter().cloned());
                let mut types = BTreeSet::new();
                for class in &description.types {
                    let class = NamedNode::new_unchecked(class.clone());
                    types.insert(
                        describer
                            .label(class.as_ref().into())?
                            .unwrap_or_else(|| view::local_name(class.as_str()).to_owned()),
                    );
                }
                index.push(Entry {
                    label: description
                        .label
                        .clone()
                        .unwrap_or_else(|| thing.as_str().to_owned()),
                    names: names.into_iter().collect(),
                    href: path,
                    types: types.into_iter().collect::<Vec<_>>().join(", "),
                });
            }
            self.summary.things += 1;
            progress.advance(1);
        }
        index.sort_by(|a, b| {
            (a.label.to_lowercase(), &a.href).cmp(&(b.label.to_lowercase(), &b.href))
        });
        let json = serde_json::to_vec(&index).map_err(|e| crate::Error::Usage(e.to_string()))?;
        self.file("search-index.json", &json)?;

        for class in &classes {
            if let Some(path) = pages.class_path(class.as_str())
                && let Some(html) = pages::class_page(&pages, &format!("/{path}"), class)?
            {
                self.file(&path, html.as_bytes())?;
                html_pages.push(path);
                self.summary.classes += 1;
            }
            progress.advance(1);
        }

        // The named graphs: the page of each, its documents; the dataset's downloads.
        for (node, stem) in &graphs {
            let path = format!("{stem}.html");
            let html = pages::graph_page(&pages, &format!("/{path}"), stem, node)?;
            self.file(&path, html.as_bytes())?;
            html_pages.push(path);
            let documents = if stem == "dataset" {
                htaccess::DATASET_DESCRIPTION
            } else {
                stem.as_str()
            };
            for format in STATIC_FORMATS {
                let path = format!("{documents}.{}", format.extension());
                self.export(&path, graph, GraphSelection::named(node.clone()), format)?;
            }
            self.summary.graphs += 1;
            progress.advance(1);
        }
        for format in Format::ALL {
            let path = format!("dataset.{}", format.extension());
            self.export(&path, graph, GraphSelection::All, format)?;
        }

        html_pages.sort();
        self.file("sitemap.xml", sitemap(public, &html_pages).as_bytes())?;
        self.file(".htaccess", htaccess::htaccess(base).as_bytes())?;
        progress.finish();
        Ok(self.summary)
    }
}

/// The things with documents (every IRI of the graph, subject or object, that the server
/// would give a document: entities, their parts, concepts), the classes with members
/// that have a prefixed name, and the named graphs with a page, each sorted.
#[allow(clippy::type_complexity)]
fn inventory(
    graph: &KnowledgeGraph,
) -> Result<(
    BTreeMap<NamedNode, String>,
    BTreeSet<NamedNode>,
    Vec<(NamedNode, String)>,
)> {
    let mut things = BTreeMap::new();
    let mut classes = BTreeSet::new();
    let mut graphs = BTreeMap::new();
    let mut consider = |node: &NamedNode| {
        if let Some(Place::Document(stem)) = place(node.as_str()) {
            things.entry(node.clone()).or_insert(stem);
        }
    };
    for quad in graph.store().iter() {
        let quad = quad.map_err(crate::Error::from)?;
        if let NamedOrBlankNode::NamedNode(subject) = &quad.subject {
            consider(subject);
        }
        if let Term::NamedNode(object) = &quad.object {
            consider(object);
            if quad.predicate == oxigraph::model::vocab::rdf::TYPE
                && vocab::split(object.as_str(), vocab::PREFIXES).is_some()
            {
                classes.insert(object.clone());
            }
        }
        if let oxigraph::model::GraphName::NamedNode(name) = &quad.graph_name
            && !graphs.contains_key(name)
            && let Some(Place::Page(path)) = place(name.as_str())
        {
            graphs.insert(name.clone(), path);
        }
    }
    let mut graphs: Vec<(NamedNode, String)> = graphs.into_iter().collect();
    // The ontology and the dataset's description have pages of their own names too.
    for (name, path) in [
        (crate::base::iri::ontology_graph(), "ontology"),
        (crate::base::iri::dataset_graph(), "dataset"),
    ] {
        if graphs.iter().any(|(graph, _)| *graph == name) {
            graphs.push((name, path.to_owned()));
        }
    }
    Ok((things, classes, graphs))
}

/// The sitemap of every page, under the public URL.
fn sitemap(public: &str, pages: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let location = format!("{public}/{page}")
            .replace('&', "&amp;")
            .replace('<', "&lt;");
        xml.push_str(&format!("<url><loc>{location}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    xml
}
