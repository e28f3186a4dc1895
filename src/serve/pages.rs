//! HTML pages for people: the home page with its search box, search results, a page per
//! entity (its labels and types, what each source says about it with the source's
//! quotes, what refers to it, its identifiers elsewhere, its RDF), a page per class, per
//! named graph (a source's page shows the document's text with every quoted passage
//! marked and linked to the facts it supports), for the ontology and for the dataset,
//! the bundled queries with a form each, and the SPARQL editor.
//!
//! An entity page is one view of `view::Describer`'s description, as `tipkg show` prints
//! another and its JSON a third. Pages are rendered by minijinja from the templates under
//! `templates/` (escaped as HTML), need no JavaScript except the editor, and link
//! relatively (`root` leads from a page back to the root), so that they work offline and
//! behind any proxy. The same functions write the pages of a static site (`tipkg site`):
//! [`Layout`] says whether links name the server's paths or the site's files.

use super::documents::{Place, place};
use super::sparql::{self, Representation};
use super::{App, Problem, Shared, answer};
use crate::base::format::Format;
use crate::base::iri;
use crate::base::vocab::{self, BASE, DCTERMS, PREFIXES, PROV, RDFS, SCHEMA, TIPKG, XSD};
use crate::query::catalogue::{self, NamedQuery, ParamKind};
use crate::query::results::OutputFormat;
use crate::query::{self, Answer, Local, Target};
use crate::store::KnowledgeGraph;
use crate::view::{self, Describer, Direction, Value};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use minijinja::Environment;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, TermRef};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// The templates, compiled once.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut environment = Environment::new();
    for (name, source) in [
        ("base.html", include_str!("templates/base.html")),
        ("macros.html", include_str!("templates/macros.html")),
        ("home.html", include_str!("templates/home.html")),
        ("search.html", include_str!("templates/search.html")),
        ("entity.html", include_str!("templates/entity.html")),
        ("class.html", include_str!("templates/class.html")),
        ("graph.html", include_str!("templates/graph.html")),
        ("queries.html", include_str!("templates/queries.html")),
        ("query.html", include_str!("templates/query.html")),
        ("results.html", include_str!("templates/results.html")),
        ("editor.html", include_str!("templates/editor.html")),
    ] {
        environment
            .add_template(name, source)
            .expect("the bundled templates parse");
    }
    environment
});

/// Where the links of pages lead: the server's paths (`graph/ror`, `class/schema/Event`,
/// `search`), or the files of a static site (`graph/ror.html`, `class/schema/Event.html`,
/// `search.html`), which has no query pages and no SPARQL endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Server,
    Static,
}

/// What the pages of one graph are rendered from.
pub struct Pages<'a> {
    pub graph: &'a KnowledgeGraph,
    pub site: &'a Site,
    /// The public URL of the root, for canonical links.
    pub base: Option<&'a str>,
    pub layout: Layout,
}

impl Pages<'_> {
    /// The RDF formats of a thing's or a graph's documents.
    pub fn formats(&self) -> &'static [Format] {
        match self.layout {
            Layout::Server => &DOCUMENT_FORMATS,
            Layout::Static => &STATIC_FORMATS,
        }
    }

    /// The path of a page from the root, in this layout.
    pub fn page_path(&self, place: &Place) -> String {
        match (self.layout, place) {
            (Layout::Server, _) | (_, Place::Document(_)) => place.page(),
            (Layout::Static, Place::Page(path)) => match path.split_once('#') {
                Some((page, fragment)) => format!("{page}.html#{fragment}"),
                None => format!("{path}.html"),
            },
        }
    }

    /// The path of a class's page of members from the root, for classes with a prefixed
    /// name.
    pub fn class_path(&self, class: &str) -> Option<String> {
        let (prefix, local) = vocab::split(class, PREFIXES)?;
        Some(match self.layout {
            Layout::Server => format!("class/{prefix}/{local}"),
            Layout::Static => format!("class/{prefix}/{local}.html"),
        })
    }
}

/// The formats a static site writes for each thing and graph.
pub const STATIC_FORMATS: [Format; 3] = [Format::Turtle, Format::Jsonld, Format::Ntriples];

/// What the pages show of the whole graph, read once (the store does not change while it
/// is served).
pub struct Site {
    title: String,
    description: Option<String>,
    /// Classes with members, by label: the class's IRI, label and number of members.
    pub classes: Vec<(NamedNode, String, usize)>,
    /// The sources' graphs, by title: the graph, its title and its number of triples.
    pub sources: Vec<(NamedNode, String, usize)>,
    queries: Vec<NamedQuery>,
}

impl Site {
    pub fn read(graph: &KnowledgeGraph) -> crate::Result<Self> {
        let mut describer = Describer::new(graph);
        let dataset = iri::dataset();
        let title = literal(graph, &dataset, &format!("{DCTERMS}title"))
            .unwrap_or_else(|| "tipkg".to_owned());
        let description = literal(graph, &dataset, &format!("{DCTERMS}description"));
        let counts = select(
            graph,
            &format!(
                "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?class }} FILTER(?g NOT IN ({}, {})) }} GROUP BY ?class",
                iri::ontology_graph(),
                iri::dataset_graph()
            ),
        )?;
        let mut classes = Vec::new();
        for row in &counts {
            let (Some(Some(Term::NamedNode(class))), Some(Some(Term::Literal(n)))) =
                (row.first(), row.get(1))
            else {
                continue;
            };
            if vocab::split(class.as_str(), PREFIXES).is_none() {
                continue;
            }
            let label = class_label(&mut describer, class)?;
            classes.push((class.clone(), label, n.value().parse().unwrap_or(0)));
        }
        classes.sort_by(|a, b| {
            (a.1.to_lowercase(), a.0.as_str()).cmp(&(b.1.to_lowercase(), b.0.as_str()))
        });
        let mut sources = Vec::new();
        for (name, triples) in graph.graph_sizes()? {
            let name = name.trim_start_matches('<').trim_end_matches('>');
            if name.strip_prefix(vocab::GRAPH).is_none() {
                continue;
            }
            let Ok(node) = NamedNode::new(name) else {
                continue;
            };
            let title = graph_title(&mut describer, &node)?;
            sources.push((node, title, triples));
        }
        sources.sort_by(|a, b| {
            (a.1.to_lowercase(), a.0.as_str()).cmp(&(b.1.to_lowercase(), b.0.as_str()))
        });
        Ok(Self {
            title,
            description,
            classes,
            sources,
            queries: catalogue::bundled()?,
        })
    }
}

/// The rows of a SELECT of ours on the whole graph.
fn select(graph: &KnowledgeGraph, text: &str) -> crate::Result<Vec<Vec<Option<Term>>>> {
    let query = spargebra::SparqlParser::new().parse_query(text)?;
    match Local(graph).evaluate(&query, None)? {
        Answer::Solutions { rows, .. } => {
            Ok(rows.into_iter().map(|row| row.values().to_vec()).collect())
        }
        _ => Ok(Vec::new()),
    }
}

/// The first literal value of `property` of `subject`, in English if there is one.
fn literal(graph: &KnowledgeGraph, subject: &NamedNode, property: &str) -> Option<String> {
    let property = NamedNode::new(property).ok()?;
    let mut best: Option<(bool, String)> = None;
    for quad in graph
        .store()
        .quads_for_pattern(Some(subject.into()), Some(property.as_ref()), None, None)
        .flatten()
    {
        if let Term::Literal(literal) = quad.object {
            let english = literal.language().is_some_and(|l| l.starts_with("en"));
            if best.as_ref().is_none_or(|(e, _)| english && !e) {
                best = Some((english, literal.value().to_owned()));
            }
        }
    }
    best.map(|(_, value)| value)
}

/// A class or property: its label, else its prefixed name, else its IRI.
fn class_label(describer: &mut Describer, node: &NamedNode) -> crate::Result<String> {
    Ok(describer
        .label(TermRef::from(node))
        .map_err(view_error)?
        .unwrap_or_else(|| short(node.as_str())))
}

/// The title of a named graph: its source's title, else what the graph is.
fn graph_title(describer: &mut Describer, graph: &NamedNode) -> crate::Result<String> {
    if *graph == iri::ontology_graph() {
        return Ok("The tipkg ontology".to_owned());
    }
    if *graph == iri::dataset_graph() {
        return Ok("The description of the dataset".to_owned());
    }
    let info = describer
        .source_info(&GraphName::NamedNode(graph.clone()))
        .map_err(view_error)?;
    Ok(info.title.unwrap_or_else(|| graph.as_str().to_owned()))
}

/// The view layer's error as the library's.
fn view_error(error: view::Error) -> crate::Error {
    match error {
        view::Error::Graph(error) => error,
        other => crate::Error::Usage(other.to_string()),
    }
}

/// A value for a template, from anything serde can write.
fn ser<T: Serialize>(value: T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

/// A prefixed name where there is one, else the IRI.
fn short(iri: &str) -> String {
    match vocab::split(iri, PREFIXES) {
        Some((prefix, local)) => format!("{prefix}:{local}"),
        None => iri.to_owned(),
    }
}

/// The id of a quoted passage in its source's page (`q-` and the start of the quote's
/// SHA-256): the same wherever the quote is shown, so that an entity page links to the
/// passage without reading the source's text.
pub fn passage_id(quote: &str) -> String {
    let digest = Sha256::digest(quote.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("q-{hex}")
}

/// A term as a page shows it: text, maybe a link, a language or a datatype, the rank of
/// the statement it stands for, and links to the passages its fact rests on.
#[derive(Serialize, Clone, Default)]
struct Shown {
    text: String,
    href: Option<String>,
    external: bool,
    iri: Option<String>,
    lang: Option<String>,
    datatype: Option<String>,
    long: bool,
    rank: Option<String>,
    /// Why the editors state the fact, when it is theirs.
    reason: Option<String>,
    passages: Vec<String>,
}

/// How one page shows terms: its way back to the root, and the describer that names
/// things and sources.
struct Renderer<'a> {
    pages: &'a Pages<'a>,
    root: String,
    describer: RefCell<Describer<'a>>,
    /// The text of each source (by IRI) that has one.
    texts: RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Renderer<'a> {
    fn new(pages: &'a Pages<'a>, request_path: &str) -> Self {
        Self {
            pages,
            root: super::root(request_path),
            describer: RefCell::new(Describer::new(pages.graph)),
            texts: RefCell::default(),
        }
    }

    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    fn label(&self, node: &NamedNode) -> Option<String> {
        self.describer
            .borrow_mut()
            .label(TermRef::from(node))
            .ok()
            .flatten()
    }

    fn class_label(&self, node: &NamedNode) -> String {
        self.label(node).unwrap_or_else(|| short(node.as_str()))
    }

    fn graph_title(&self, graph: &NamedNode) -> String {
        graph_title(&mut self.describer.borrow_mut(), graph)
            .unwrap_or_else(|_| graph.as_str().to_owned())
    }

    /// A thing, a class or a property, linked to its page here or to where it lives.
    fn node(&self, node: &NamedNode) -> Shown {
        self.named(node, None)
    }

    /// A node with its label when the caller has it already.
    fn named(&self, node: &NamedNode, label: Option<&str>) -> Shown {
        let iri = node.as_str();
        if let Some(place) = place(iri) {
            let text = match &place {
                Place::Page(path)
                    if path.starts_with("ontology#") || path.starts_with("graph/") =>
                {
                    if iri.starts_with(vocab::GRAPH) {
                        self.graph_title(node)
                    } else {
                        self.class_label(node)
                    }
                }
                _ => label
                    .map(str::to_owned)
                    .or_else(|| self.label(node))
                    .unwrap_or_else(|| short(iri)),
            };
            return Shown {
                text,
                href: Some(self.link(&self.pages.page_path(&place))),
                iri: Some(iri.to_owned()),
                ..Shown::default()
            };
        }
        if let Some(local) = iri.strip_prefix(BASE)
            && (local.is_empty() || local == "context.jsonld" || local.starts_with("dataset."))
        {
            let path = match (local, self.pages.layout) {
                ("", Layout::Static) => "index.html",
                _ => local,
            };
            return Shown {
                text: iri.to_owned(),
                href: Some(self.link(path)),
                iri: Some(iri.to_owned()),
                ..Shown::default()
            };
        }
        if let Some(qid) = iri.strip_prefix(vocab::WD) {
            return Shown {
                text: format!("Wikidata {qid}"),
                href: Some(format!("https://www.wikidata.org/wiki/{qid}")),
                external: true,
                iri: Some(iri.to_owned()),
                ..Shown::default()
            };
        }
        let web = iri.starts_with("http://") || iri.starts_with("https://");
        Shown {
            text: short(iri),
            href: web.then(|| iri.to_owned()),
            external: web,
            iri: Some(iri.to_owned()),
            ..Shown::default()
        }
    }

    /// Whether anything in the graph is a `class`.
    fn has_members(&self, class: &NamedNode) -> bool {
        self.pages
            .graph
            .store()
            .quads_for_pattern(
                None,
                Some(oxigraph::model::vocab::rdf::TYPE),
                Some(class.into()),
                None,
            )
            .next()
            .is_some()
    }

    /// A class, linked to its page of members when it has members.
    fn class(&self, node: &NamedNode) -> Shown {
        match self.pages.class_path(node.as_str()) {
            Some(path) if self.has_members(node) => Shown {
                text: self.class_label(node),
                href: Some(self.link(&path)),
                iri: Some(node.as_str().to_owned()),
                ..Shown::default()
            },
            _ => self.node(node),
        }
    }

    /// A property, by its label, linked to where it is defined.
    fn property(&self, node: &NamedNode) -> Shown {
        let mut shown = self.node(node);
        shown.text = self.class_label(node);
        shown
    }

    fn term(&self, term: &Term) -> Shown {
        match term {
            Term::NamedNode(node) => self.node(node),
            Term::BlankNode(node) => Shown {
                text: node.to_string(),
                ..Shown::default()
            },
            Term::Literal(literal) => shown_literal(
                literal.value(),
                literal.datatype().as_str(),
                literal.language(),
            ),
            #[allow(unreachable_patterns)]
            other => Shown {
                text: other.to_string(),
                ..Shown::default()
            },
        }
    }

    /// The other end of a fact of a description.
    fn value(&self, value: &Value) -> Shown {
        match value {
            Value::Iri { link, .. } => {
                let node = NamedNode::new_unchecked(link.iri.clone());
                self.named(&node, link.label.as_deref())
            }
            Value::Blank { id } => Shown {
                text: format!("_:{id}"),
                ..Shown::default()
            },
            Value::Literal {
                value,
                datatype,
                language,
            } => {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                shown_literal(&text, datatype, language.as_deref())
            }
            Value::Triple { value } => Shown {
                text: value.clone(),
                ..Shown::default()
            },
        }
    }

    /// The text of a source, if the graph has it.
    fn source_text(&self, source: &str) -> Option<String> {
        if let Some(known) = self.texts.borrow().get(source) {
            return known.clone();
        }
        let text = NamedNode::new(source)
            .ok()
            .and_then(|node| literal(self.pages.graph, &node, &format!("{SCHEMA}text")));
        self.texts
            .borrow_mut()
            .insert(source.to_owned(), text.clone());
        text
    }

    /// Links to the passages of a source's text that `quotes` are, on the page of the
    /// source's graph: only those the text holds.
    fn passages(
        &self,
        graph: Option<&str>,
        source: Option<&str>,
        quotes: &[String],
    ) -> Vec<String> {
        let (Some(graph), Some(source)) = (graph, source) else {
            return Vec::new();
        };
        let Some(text) = self.source_text(source) else {
            return Vec::new();
        };
        let Some(page) = place(graph) else {
            return Vec::new();
        };
        let page = self.link(&self.pages.page_path(&page));
        quotes
            .iter()
            .filter(|quote| !quote.is_empty() && text.contains(quote.as_str()))
            .map(|quote| format!("{page}#{}", passage_id(quote)))
            .collect()
    }
}

/// A literal as a page shows it.
fn shown_literal(text: &str, datatype: &str, language: Option<&str>) -> Shown {
    let plain = language.is_some() || datatype == format!("{XSD}string");
    Shown {
        text: text.to_owned(),
        lang: language.map(str::to_owned),
        datatype: (!plain).then(|| short(datatype)),
        long: text.len() > 300 || text.contains('\n'),
        ..Shown::default()
    }
}

/// Where the site's navigation leads, from a page.
#[derive(Serialize)]
struct Nav {
    home: String,
    search: String,
    dataset: String,
    ontology: String,
    /// The query pages and the SPARQL editor: only on the server.
    queries: Option<String>,
    sparql: Option<String>,
}

/// Renders a template with `context`, adding what every page has.
fn render(
    pages: &Pages,
    name: &str,
    request_path: &str,
    context: minijinja::Value,
) -> crate::Result<String> {
    let root = super::root(request_path);
    let nav = match pages.layout {
        Layout::Server => Nav {
            home: root.clone(),
            search: format!("{root}search"),
            dataset: format!("{root}dataset"),
            ontology: format!("{root}ontology"),
            queries: Some(format!("{root}queries")),
            sparql: Some(format!("{root}sparql")),
        },
        Layout::Static => Nav {
            home: format!("{root}index.html"),
            search: format!("{root}search.html"),
            dataset: format!("{root}dataset.html"),
            ontology: format!("{root}ontology.html"),
            queries: None,
            sparql: None,
        },
    };
    let common = minijinja::context! {
        root => root,
        nav => ser(nav),
        site_title => pages.site.title.clone(),
        canonical => pages.base.map(|base| format!("{base}{request_path}")),
    };
    let context = minijinja::context! { ..context, ..common };
    TEMPLATES
        .get_template(name)
        .and_then(|template| template.render(context))
        .map_err(|error| {
            crate::Error::Usage(format!("cannot render the page {request_path}: {error}"))
        })
}

/// A page as an answer, or the error it met.
fn page(outcome: crate::Result<String>) -> Response {
    match outcome {
        Ok(html) => answer("text/html", html, false),
        Err(error) => Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot render the page: {error}"),
        )
        .into_response(),
    }
}

#[derive(Serialize)]
struct Download {
    href: String,
    name: &'static str,
    media_type: &'static str,
}

/// Links to a document in every format, from `stem` (a path from the root).
fn downloads(renderer: &Renderer, stem: &str, formats: &[Format]) -> Vec<Download> {
    formats
        .iter()
        .map(|format| Download {
            href: renderer.link(&format!("{stem}.{}", format.extension())),
            name: format.title(),
            media_type: format.media_type(),
        })
        .collect()
}

const DOCUMENT_FORMATS: [Format; 6] = [
    Format::Turtle,
    Format::Jsonld,
    Format::Ntriples,
    Format::Nquads,
    Format::Trig,
    Format::Rdfxml,
];

impl App {
    /// The pages of the served graph.
    fn pages(&self) -> Pages<'_> {
        Pages {
            graph: &self.graph,
            site: &self.site,
            base: self.config.base.as_deref(),
            layout: Layout::Server,
        }
    }
}

/// The classes with members, each linked to its page, with its number of members.
fn class_links(pages: &Pages, renderer: &Renderer) -> Vec<minijinja::Value> {
    pages
        .site
        .classes
        .iter()
        .filter_map(|(class, label, count)| {
            let path = pages.class_path(class.as_str())?;
            Some(minijinja::context! { href => renderer.link(&path), label => label.clone(), count => *count })
        })
        .collect()
}

/// The home page: what the graph holds, its sources, the downloads.
pub fn home_page(pages: &Pages, request_path: &str) -> crate::Result<String> {
    let renderer = Renderer::new(pages, request_path);
    let site = pages.site;
    let classes = class_links(pages, &renderer);
    let sources: Vec<minijinja::Value> = site
        .sources
        .iter()
        .filter_map(|(graph, title, triples)| {
            let path = pages.page_path(&place(graph.as_str())?);
            Some(minijinja::context! { href => renderer.link(&path), title => title.clone(), triples => *triples })
        })
        .collect();
    let context = minijinja::context! {
        description => site.description.clone(),
        classes => classes,
        sources => sources,
        dataset_downloads => ser(downloads(&renderer, "dataset", &Format::ALL)),
        hide_search => true,
    };
    render(pages, "home.html", request_path, context)
}

/// `/`: the home page.
pub async fn home(State(app): State<Shared>, uri: Uri) -> Response {
    page(home_page(&app.pages(), uri.path()))
}

/// `/search?q=`: things whose preferred or alternative label contains the text, ignoring
/// case (the bundled `search` query).
pub async fn search(State(app): State<Shared>, uri: Uri) -> Response {
    let q = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    if q.chars().count() > 200 {
        return Problem::new(StatusCode::BAD_REQUEST, "search for at most 200 characters")
            .into_response();
    }
    let path = uri.path().to_owned();
    let outcome = app
        .blocking(move |app: &App| -> Result<Response, Problem> {
            let mut hits = Vec::new();
            if !q.is_empty() {
                hits = search_hits(app, &path, &q).map_err(|e| Problem::from_error(&e))?;
            }
            let context = minijinja::context! { q => q, hits => ser(hits) };
            Ok(page(render(&app.pages(), "search.html", &path, context)))
        })
        .await;
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(problem)) | Err(problem) => problem.into_response(),
    }
}

/// The search page of a static site: the form, and a script that searches the site's
/// index (`search-index.json`) in the browser; without JavaScript, the classes to browse.
pub fn static_search_page(pages: &Pages, request_path: &str) -> crate::Result<String> {
    let renderer = Renderer::new(pages, request_path);
    let classes = class_links(pages, &renderer);
    let context = minijinja::context! {
        q => "",
        hits => Vec::<String>::new(),
        client_side => true,
        classes => classes,
    };
    render(pages, "search.html", request_path, context)
}

#[derive(Serialize)]
struct Hit {
    href: String,
    title: String,
    matched: String,
    types: String,
}

fn search_hits(app: &App, path: &str, text: &str) -> crate::Result<Vec<Hit>> {
    let named = catalogue::find("search")?;
    let parsed = query::parse(&named)?;
    let target = Local(&app.graph);
    let bound = query::bind(
        parsed,
        &named,
        &[("text".to_owned(), text.to_owned())],
        &target,
    )?;
    let Answer::Solutions { rows, .. } =
        target.evaluate(&bound, Some(app.config.limits.timeout))?
    else {
        return Ok(Vec::new());
    };
    let pages = app.pages();
    let renderer = Renderer::new(&pages, path);
    // The whole name first, then names that start with the text, then the others, each
    // entity once, under the name that matches it best (as the static site's search does).
    let wanted = text.to_lowercase();
    let mut matches: Vec<(u8, &NamedNode, &Literal)> = rows
        .iter()
        .filter_map(|row| match (row.get("entity"), row.get("label")) {
            (Some(Term::NamedNode(entity)), Some(Term::Literal(label))) => {
                let name = label.value().to_lowercase();
                let rank = if name == wanted {
                    0
                } else if name.starts_with(&wanted) {
                    1
                } else {
                    2
                };
                Some((rank, entity, label))
            }
            _ => None,
        })
        .collect();
    matches.sort_by_key(|(rank, _, _)| *rank);
    let mut seen = BTreeSet::new();
    let mut hits = Vec::new();
    for (_, entity, label) in matches {
        if !seen.insert(entity.clone()) || hits.len() >= 200 {
            continue;
        }
        let shown = renderer.node(entity);
        let Some(href) = shown.href else { continue };
        let types: BTreeSet<String> = app
            .graph
            .store()
            .quads_for_pattern(
                Some(entity.into()),
                Some(oxigraph::model::vocab::rdf::TYPE),
                None,
                None,
            )
            .flatten()
            .filter_map(|quad| match quad.object {
                Term::NamedNode(class) => Some(renderer.class_label(&class)),
                _ => None,
            })
            .collect();
        hits.push(Hit {
            href,
            title: shown.text,
            matched: label.value().to_owned(),
            types: types.into_iter().collect::<Vec<_>>().join(", "),
        });
    }
    Ok(hits)
}

/// Statements of one property, its values sorted.
#[derive(Serialize)]
struct Fact {
    property: Shown,
    values: Vec<Shown>,
}

#[derive(Serialize)]
struct Quote {
    text: String,
    /// The passage in the source's text, on the page of the source's graph.
    href: Option<String>,
}

#[derive(Serialize)]
struct Section {
    graph: Shown,
    url: Option<String>,
    quotes: Vec<Quote>,
    facts: Vec<Fact>,
}

#[derive(Serialize)]
struct Incoming {
    graph: Shown,
    links: Vec<IncomingLink>,
}

#[derive(Serialize)]
struct IncomingLink {
    subject: Shown,
    property: Shown,
}

#[derive(Serialize)]
struct Identifier {
    scheme: String,
    value: Shown,
}

/// The properties an entity page shows elsewhere than among its facts: the quotes (shown
/// as quotes of their section).
fn shown_apart(property: &str) -> bool {
    property == format!("{TIPKG}evidenceQuote")
}

/// Facts of a description, grouped by property in the description's order.
fn grouped<'f>(renderer: &Renderer, facts: impl Iterator<Item = &'f view::Fact>) -> Vec<Fact> {
    let mut groups: Vec<Fact> = Vec::new();
    let mut last: Option<String> = None;
    for fact in facts {
        let mut value = renderer.value(&fact.value);
        if fact.property == format!("{}type", vocab::RDF)
            && let Value::Iri { link, .. } = &fact.value
        {
            value = renderer.class(&NamedNode::new_unchecked(link.iri.clone()));
        }
        value.rank = fact.rank.as_ref().map(|rank| {
            let label = rank.label.clone().unwrap_or_else(|| short(&rank.iri));
            match &rank.reason {
                Some(reason) => format!("{label}: {reason}"),
                None => label,
            }
        });
        value.reason = (!fact.reasons.is_empty()).then(|| fact.reasons.join(" "));
        value.passages = renderer.passages(
            fact.graph.as_deref(),
            fact.source.as_deref(),
            &fact.evidence,
        );
        if last.as_deref() == Some(fact.property.as_str())
            && let Some(group) = groups.last_mut()
        {
            group.values.push(value);
            continue;
        }
        last = Some(fact.property.clone());
        groups.push(Fact {
            property: renderer.property(&NamedNode::new_unchecked(fact.property.clone())),
            values: vec![value],
        });
    }
    groups
}

/// The heading of a graph's section: its source's title linked to the graph's page.
fn graph_shown(renderer: &Renderer, graph: Option<&str>) -> Shown {
    match graph {
        Some(graph) => {
            let node = NamedNode::new_unchecked(graph);
            let mut shown = renderer.node(&node);
            shown.text = renderer.graph_title(&node);
            shown
        }
        None => Shown {
            text: "The default graph".to_owned(),
            ..Shown::default()
        },
    }
}

/// The page of a thing: the view of its description; `None` when the graph says nothing
/// about it.
pub fn entity_page(
    pages: &Pages,
    request_path: &str,
    thing: &NamedNode,
) -> crate::Result<Option<String>> {
    let renderer = Renderer::new(pages, request_path);
    let description = renderer
        .describer
        .borrow_mut()
        .describe(thing.as_ref())
        .map_err(view_error)?;
    if description.facts.is_empty() {
        return Ok(None);
    }
    let types: Vec<Shown> = description
        .types
        .iter()
        .map(|class| renderer.class(&NamedNode::new_unchecked(class.clone())))
        .collect();
    let identifiers: Vec<Identifier> = description
        .identifiers
        .iter()
        .map(|identifier| Identifier {
            scheme: identifier.scheme_name().to_owned(),
            value: Shown {
                text: identifier.value.clone(),
                href: identifier.url.clone(),
                external: identifier.url.is_some(),
                ..Shown::default()
            },
        })
        .collect();
    let mut sections = Vec::new();
    let mut incoming = Vec::new();
    for source in &description.sources {
        let in_graph = |direction: Direction| {
            description
                .facts
                .iter()
                .filter(move |f| f.graph == source.graph && f.direction == direction)
        };
        let outgoing: Vec<&view::Fact> = in_graph(Direction::Outgoing)
            .filter(|f| !shown_apart(&f.property))
            .collect();
        let passages = renderer.passages(
            source.graph.as_deref(),
            source.iri.as_deref(),
            &source.evidence,
        );
        if !outgoing.is_empty() || !source.evidence.is_empty() {
            sections.push(Section {
                graph: graph_shown(&renderer, source.graph.as_deref()),
                url: source.url.clone(),
                quotes: source
                    .evidence
                    .iter()
                    .map(|quote| {
                        let id = passage_id(quote);
                        Quote {
                            text: quote.clone(),
                            href: passages.iter().find(|p| p.ends_with(&id)).cloned(),
                        }
                    })
                    .collect(),
                facts: grouped(&renderer, outgoing.into_iter()),
            });
        }
        let links: Vec<IncomingLink> = in_graph(Direction::Incoming)
            .map(|fact| {
                let mut subject = renderer.value(&fact.value);
                subject.passages = renderer.passages(
                    fact.graph.as_deref(),
                    fact.source.as_deref(),
                    &fact.evidence,
                );
                IncomingLink {
                    subject,
                    property: renderer.property(&NamedNode::new_unchecked(fact.property.clone())),
                }
            })
            .collect();
        if !links.is_empty() {
            incoming.push(Incoming {
                graph: graph_shown(&renderer, source.graph.as_deref()),
                links,
            });
        }
    }
    let title = description
        .label
        .clone()
        .unwrap_or_else(|| short(thing.as_str()));
    let stem = match place(thing.as_str()) {
        Some(Place::Document(stem)) => stem,
        _ => String::new(),
    };
    let alternates: Vec<minijinja::Value> = pages
        .formats()
        .iter()
        .map(|format| {
            minijinja::context! {
                media_type => format.media_type(),
                href => renderer.link(&format!("{stem}.{}", format.extension())),
            }
        })
        .collect();
    // A source's page holds its text with the quoted passages marked.
    let text_page = (description.kind.as_deref() == Some("source"))
        .then(|| description.slug.as_deref().map(iri::graph))
        .flatten()
        .filter(|graph| {
            renderer.source_text(thing.as_str()).is_some() && place(graph.as_str()).is_some()
        })
        .and_then(|graph| place(graph.as_str()))
        .map(|graph| renderer.link(&pages.page_path(&graph)));
    let context = minijinja::context! {
        title => title,
        iri => thing.as_str(),
        alt_labels => description.alt_labels.clone(),
        types => ser(types),
        identifiers => ser(identifiers),
        sections => ser(sections),
        incoming => ser(incoming),
        text_page => text_page,
        downloads_list => ser(downloads(&renderer, &stem, pages.formats())),
        alternates => alternates,
    };
    render(pages, "entity.html", request_path, context).map(Some)
}

/// The page of a thing, for `/doc/{kind}/{slug}.html`.
pub fn entity(app: &App, request_path: &str, thing: &NamedNode) -> Result<Response, Problem> {
    match entity_page(&app.pages(), request_path, thing) {
        Ok(Some(html)) => Ok(answer("text/html", html, false)),
        Ok(None) => Err(Problem::not_found(format!("no {thing} in this graph"))),
        Err(error) => Err(Problem::from_error(&error)),
    }
}

/// The page of a class: its members; `None` when nothing is one.
pub fn class_page(
    pages: &Pages,
    request_path: &str,
    class: &NamedNode,
) -> crate::Result<Option<String>> {
    let renderer = Renderer::new(pages, request_path);
    let mut members: BTreeMap<(String, String), Shown> = BTreeMap::new();
    for quad in pages.graph.store().quads_for_pattern(
        None,
        Some(oxigraph::model::vocab::rdf::TYPE),
        Some(class.into()),
        None,
    ) {
        if let NamedOrBlankNode::NamedNode(member) = quad?.subject {
            let shown = renderer.node(&member);
            members
                .entry((shown.text.to_lowercase(), member.as_str().to_owned()))
                .or_insert(shown);
        }
    }
    if members.is_empty() {
        return Ok(None);
    }
    let context = minijinja::context! {
        title => renderer.class_label(class),
        iri => class.as_str(),
        comment => literal(pages.graph, class, &format!("{RDFS}comment")),
        members => ser(members.into_values().collect::<Vec<_>>()),
    };
    render(pages, "class.html", request_path, context).map(Some)
}

/// `/class/{prefix}/{local}`: the things of a class.
pub async fn class(
    State(app): State<Shared>,
    Path((prefix, local)): Path<(String, String)>,
    uri: Uri,
) -> Response {
    let Some((_, namespace)) = PREFIXES.iter().find(|(p, _)| *p == prefix) else {
        return Problem::not_found(format!("no prefix {prefix}")).into_response();
    };
    let Ok(class) = NamedNode::new(format!("{namespace}{local}")) else {
        return Problem::not_found(format!("{prefix}:{local} is not a class name")).into_response();
    };
    let path = uri.path().to_owned();
    let outcome = app
        .blocking(move |app: &App| -> Result<Response, Problem> {
            match class_page(&app.pages(), &path, &class) {
                Ok(Some(html)) => Ok(answer("text/html", html, false)),
                Ok(None) => Err(Problem::not_found(format!(
                    "nothing in this graph is a {}",
                    short(class.as_str())
                ))),
                Err(error) => Err(Problem::from_error(&error)),
            }
        })
        .await;
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(problem)) | Err(problem) => problem.into_response(),
    }
}

#[derive(Serialize)]
struct Group {
    id: String,
    title: String,
    facts: bool,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    anchor: Option<String>,
    term: Shown,
    facts: Vec<Fact>,
    /// Where the graph uses a term of the ontology.
    usage: Option<String>,
}

/// Statements grouped by property (type first, then by the property's label), each
/// property's values sorted.
fn facts<'q>(renderer: &Renderer, quads: impl Iterator<Item = &'q Quad>) -> Vec<Fact> {
    let rdf_type = format!("{}type", vocab::RDF);
    let mut grouped: BTreeMap<(bool, String, String), (NamedNode, Vec<&Term>)> = BTreeMap::new();
    for quad in quads {
        let label = renderer.class_label(&quad.predicate).to_lowercase();
        grouped
            .entry((
                quad.predicate.as_str() != rdf_type,
                label,
                quad.predicate.as_str().to_owned(),
            ))
            .or_insert_with(|| (quad.predicate.clone(), Vec::new()))
            .1
            .push(&quad.object);
    }
    grouped
        .into_values()
        .map(|(property, values)| {
            let is_type = property.as_str() == rdf_type;
            let mut values: Vec<Shown> = values
                .into_iter()
                .map(|value| match value {
                    Term::NamedNode(class) if is_type => renderer.class(class),
                    other => renderer.term(other),
                })
                .collect();
            values.sort_by(|a, b| {
                (a.text.to_lowercase(), &a.text).cmp(&(b.text.to_lowercase(), &b.text))
            });
            Fact {
                property: renderer.property(&property),
                values,
            }
        })
        .collect()
}

/// One quoted passage of a source's text, with the facts it supports.
#[derive(Serialize)]
struct Passage {
    id: String,
    text: String,
    /// Whether the source's text holds it (the checks make sure it does).
    found: bool,
    supports: Vec<Supported>,
}

/// A thing whose description in a source's graph rests on a passage, and that description.
#[derive(Serialize)]
struct Supported {
    subject: Shown,
    facts: Vec<Fact>,
}

/// Escapes text for HTML.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A source's text as HTML with each quoted passage (its first occurrence) in a `<mark>`
/// whose id is the passage's ([`passage_id`]) and which links to the facts it supports.
/// Passages may overlap: the text is cut at every start and end of a passage, and each
/// piece inside one or more passages is marked, linking to the first of them.
pub fn marked_text(text: &str, quotes: &[String]) -> String {
    let mut spans: Vec<(usize, usize, String)> = quotes
        .iter()
        .filter(|quote| !quote.is_empty())
        .filter_map(|quote| {
            let start = text.find(quote.as_str())?;
            Some((start, start + quote.len(), passage_id(quote)))
        })
        .collect();
    spans.sort();
    let mut cuts: BTreeSet<usize> = [0, text.len()].into();
    for (start, end, _) in &spans {
        cuts.insert(*start);
        cuts.insert(*end);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out = String::new();
    for window in cuts.windows(2) {
        let (from, to) = (window[0], window[1]);
        let starting: Vec<&String> = spans
            .iter()
            .filter(|(start, _, _)| *start == from)
            .map(|(_, _, id)| id)
            .collect();
        let covering = spans
            .iter()
            .find(|(start, end, _)| *start <= from && *end >= to);
        let piece = &text[from..to];
        match covering {
            Some((_, _, first)) => {
                // Every passage that starts here has an anchor: the mark bears the first
                // id, empty spans the others.
                for id in starting.iter().skip(1) {
                    out.push_str(&format!("<span id=\"{id}\"></span>"));
                }
                match starting.first() {
                    Some(id) => out.push_str(&format!("<mark id=\"{id}\">")),
                    None => out.push_str("<mark>"),
                }
                out.push_str(&format!("<a href=\"#for-{first}\">"));
                escape(piece, &mut out);
                out.push_str("</a></mark>");
            }
            None => escape(piece, &mut out),
        }
    }
    out
}

/// The passages of a source's graph: every evidence quote there, with the things whose
/// description rests on it and their facts in that graph.
fn passages(renderer: &Renderer, graph: &NamedNode, text: &str) -> crate::Result<Vec<Passage>> {
    let predicate = iri::term("evidenceQuote");
    let mut quotes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for quad in renderer.pages.graph.store().quads_for_pattern(
        None,
        Some(predicate.as_ref()),
        None,
        Some(graph.into()),
    ) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(subject), Term::Literal(quote)) =
            (&quad.subject, &quad.object)
        {
            quotes
                .entry(quote.value().to_owned())
                .or_default()
                .insert(subject.as_str().to_owned());
        }
    }
    let derived = format!("{PROV}wasDerivedFrom");
    let mut passages = Vec::new();
    for (quote, subjects) in quotes {
        let mut supports = Vec::new();
        for subject in subjects {
            let node = NamedNode::new_unchecked(subject);
            let description = renderer
                .describer
                .borrow_mut()
                .describe(node.as_ref())
                .map_err(view_error)?;
            let facts = grouped(
                renderer,
                description.facts.iter().filter(|f| {
                    f.direction == Direction::Outgoing
                        && f.graph.as_deref() == Some(graph.as_str())
                        && !shown_apart(&f.property)
                        && f.property != derived
                }),
            );
            // The passages are on this page already.
            let mut facts = facts;
            for fact in &mut facts {
                for value in &mut fact.values {
                    value.passages.clear();
                }
            }
            supports.push(Supported {
                subject: renderer.named(&node, description.label.as_deref()),
                facts,
            });
        }
        passages.push(Passage {
            id: passage_id(&quote),
            found: text.contains(quote.as_str()),
            text: quote,
            supports,
        });
    }
    // In the order of the text.
    passages.sort_by_key(|p| {
        (
            text.find(p.text.as_str()).unwrap_or(usize::MAX),
            p.id.clone(),
        )
    });
    Ok(passages)
}

/// The page of a named graph: a source's graph (the document's text with its quoted
/// passages, what it describes), the ontology (its classes, properties and individuals,
/// each with an anchor, and where the graph uses it) or the dataset's description (what
/// it says, and the downloads). `stem` is the path of its documents from the root.
pub fn graph_page(
    pages: &Pages,
    request_path: &str,
    stem: &str,
    graph: &NamedNode,
) -> crate::Result<String> {
    let renderer = Renderer::new(pages, request_path);
    let store = pages.graph.store();
    let mut subjects: BTreeMap<String, Vec<Quad>> = BTreeMap::new();
    for quad in store.quads_for_pattern(None, None, None, Some(graph.into())) {
        let quad = quad?;
        if let NamedOrBlankNode::NamedNode(node) = &quad.subject {
            subjects
                .entry(node.as_str().to_owned())
                .or_default()
                .push(quad);
        }
    }
    let mut context = minijinja::context! {
        iri => graph.as_str(),
        title => renderer.graph_title(graph),
        downloads_list => ser(downloads(&renderer, stem, pages.formats())),
    };
    if *graph == iri::ontology_graph() {
        context = minijinja::context! { ..minijinja::context! {
            groups => ser(ontology_groups(&renderer, &subjects)?),
            description => literal(pages.graph, &NamedNode::new_unchecked(vocab::ONTOLOGY), &format!("{DCTERMS}description")),
        }, ..context };
    } else if *graph == iri::dataset_graph() {
        let dataset = iri::dataset();
        let about = subjects
            .get(dataset.as_str())
            .map(|quads| facts(&renderer, quads.iter()))
            .unwrap_or_default();
        context = minijinja::context! { ..minijinja::context! {
            about => ser(about),
            description => literal(pages.graph, &dataset, &format!("{DCTERMS}description")),
            groups => ser(vec![Group {
                id: "downloads".to_owned(),
                title: "The whole dataset".to_owned(),
                facts: false,
                items: Format::ALL.iter().map(|format| Item {
                    anchor: None,
                    term: Shown {
                        text: format!("{} (dataset.{})", format.title(), format.extension()),
                        href: Some(renderer.link(&format!("dataset.{}", format.extension()))),
                        ..Shown::default()
                    },
                    facts: Vec::new(),
                    usage: None,
                }).collect(),
            }]),
        }, ..context };
    } else {
        let info = renderer
            .describer
            .borrow_mut()
            .source_info(&GraphName::NamedNode(graph.clone()))
            .map_err(view_error)?;
        let text = info
            .iri
            .as_deref()
            .and_then(|source| renderer.source_text(source));
        let (marked, passages) = match &text {
            Some(text) => {
                let passages = passages(&renderer, graph, text)?;
                let quotes: Vec<String> = passages.iter().map(|p| p.text.clone()).collect();
                (Some(marked_text(text, &quotes)), passages)
            }
            None => (None, Vec::new()),
        };
        let source = info
            .iri
            .as_deref()
            .map(|iri| renderer.node(&NamedNode::new_unchecked(iri)));
        let mut items: Vec<Item> = subjects
            .keys()
            .map(|subject| Item {
                anchor: None,
                term: renderer.node(&NamedNode::new_unchecked(subject.clone())),
                facts: Vec::new(),
                usage: None,
            })
            .collect();
        items.sort_by(|a, b| {
            (a.term.text.to_lowercase(), &a.term.iri)
                .cmp(&(b.term.text.to_lowercase(), &b.term.iri))
        });
        context = minijinja::context! { ..minijinja::context! {
            url => info.url,
            source => ser(source),
            marked_text => marked.map(minijinja::Value::from_safe_string),
            passages => ser(passages),
            groups => ser(vec![Group {
                id: "described".to_owned(),
                title: format!("What this source describes ({})", items.len()),
                facts: false,
                items,
            }]),
        }, ..context };
    }
    render(pages, "graph.html", request_path, context)
}

/// The page of a named graph, for the server.
pub fn graph(app: &App, request_path: &str, graph: &NamedNode) -> Response {
    let stem = request_path.trim_start_matches('/');
    page(graph_page(&app.pages(), request_path, stem, graph))
}

/// The ontology's terms by kind, each with its statements, an anchor of its name, and
/// where the graph uses it: a class's members, a property's statements.
fn ontology_groups(
    renderer: &Renderer,
    subjects: &BTreeMap<String, Vec<Quad>>,
) -> crate::Result<Vec<Group>> {
    let kinds = [
        ("classes", "Classes", "Class"),
        ("properties", "Properties", "Property"),
        ("individuals", "Individuals", "NamedIndividual"),
    ];
    let mut groups: Vec<Group> = kinds
        .iter()
        .map(|(id, title, _)| Group {
            id: (*id).to_owned(),
            title: (*title).to_owned(),
            facts: true,
            items: Vec::new(),
        })
        .collect();
    let store = renderer.pages.graph.store();
    let ontology = GraphName::NamedNode(iri::ontology_graph());
    let rdf_type = oxigraph::model::vocab::rdf::TYPE.into_owned();
    for (subject, quads) in subjects {
        let Some(local) = subject.strip_prefix(TIPKG) else {
            continue;
        };
        let types: Vec<String> = quads
            .iter()
            .filter(|q| q.predicate == oxigraph::model::vocab::rdf::TYPE)
            .map(|q| q.object.to_string())
            .collect();
        let index = if types.iter().any(|t| t.contains("NamedIndividual")) {
            2
        } else if types.iter().any(|t| t.ends_with("Class>")) {
            0
        } else {
            1
        };
        let node = NamedNode::new_unchecked(subject.clone());
        // Where the graph's data (not the ontology) uses the term.
        let uses = |subject: Option<&NamedNode>,
                    predicate: Option<&NamedNode>,
                    object: Option<&NamedNode>| {
            let mut things = BTreeSet::new();
            let mut statements = 0;
            for quad in store
                .quads_for_pattern(
                    subject.map(Into::into),
                    predicate.map(Into::into),
                    object.map(Into::into),
                    None,
                )
                .filter_map(Result::ok)
                .filter(|q| q.graph_name != ontology)
            {
                things.insert(quad.subject.to_string());
                statements += 1;
            }
            (things.len(), statements)
        };
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut term = renderer.property(&node);
        term.href = None;
        let (term, uses) = match index {
            0 => {
                let (members, _) = uses(None, Some(&rdf_type), Some(&node));
                let usage = plural(members, "thing is", "things are");
                (
                    renderer.class(&node),
                    format!("{usage} of this class in the graph"),
                )
            }
            1 => {
                let (_, statements) = uses(None, Some(&node), None);
                let usage = plural(statements, "statement uses", "statements use");
                (term, format!("{usage} this property in the graph"))
            }
            _ => {
                let (_, statements) = uses(None, None, Some(&node));
                let usage = plural(statements, "statement names", "statements name");
                (term, format!("{usage} this individual in the graph"))
            }
        };
        groups[index].items.push(Item {
            anchor: Some(local.to_owned()),
            term,
            facts: facts(renderer, quads.iter()),
            usage: Some(uses),
        });
    }
    groups.retain(|group| !group.items.is_empty());
    Ok(groups)
}

/// `/queries`: the bundled queries, each with a form for its parameters.
pub async fn queries(State(app): State<Shared>, uri: Uri) -> Response {
    let queries: Vec<minijinja::Value> = app
        .site
        .queries
        .iter()
        .map(|query| described(query, &[]))
        .collect();
    page(render(
        &app.pages(),
        "queries.html",
        uri.path(),
        minijinja::context! { queries => queries },
    ))
}

/// A query for a form: name, title, description and parameters with their values.
fn described(query: &NamedQuery, given: &[(String, String)]) -> minijinja::Value {
    let header = &query.header;
    let parameters: Vec<minijinja::Value> = header
        .parameters
        .iter()
        .map(|parameter| {
            let value = given
                .iter()
                .rev()
                .find(|(name, _)| *name == parameter.name)
                .map(|(_, value)| value.clone())
                .or_else(|| parameter.default.clone())
                .unwrap_or_default();
            let kind = match parameter.kind {
                ParamKind::AnyEntity => "kind/slug".to_owned(),
                other => other.to_string(),
            };
            minijinja::context! {
                name => parameter.name.clone(),
                kind => kind,
                description => parameter.description.clone(),
                value => value,
            }
        })
        .collect();
    minijinja::context! {
        name => query.name.clone(),
        title => header.title.clone().unwrap_or_else(|| query.name.clone()),
        description => header.description.clone(),
        parameters => parameters,
    }
}

/// The formats a bundled query's answer can be downloaded in (`?format=`).
const DOWNLOADS: [(&str, OutputFormat); 4] = [
    ("csv", OutputFormat::Csv),
    ("tsv", OutputFormat::Tsv),
    ("json", OutputFormat::Json),
    ("xml", OutputFormat::Xml),
];

/// `/queries/{name}?param=value…`: runs a bundled query and shows its answer as a table,
/// or gives it as a file with `format=csv|tsv|json|xml`.
pub async fn run_query(
    State(app): State<Shared>,
    Path(name): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let _ = headers;
    let Some(named) = app.site.queries.iter().find(|q| q.name == name).cloned() else {
        return Problem::not_found(format!(
            "no bundled query named {name}; /queries lists them"
        ))
        .into_response();
    };
    let mut given = Vec::new();
    let mut download = None;
    for (key, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if key == "format" {
            match DOWNLOADS.iter().find(|(name, _)| *name == value) {
                Some((_, format)) => download = Some(*format),
                None => {
                    return Problem::new(
                        StatusCode::BAD_REQUEST,
                        format!("format={value}: give csv, tsv, json or xml"),
                    )
                    .into_response();
                }
            }
        } else if !value.trim().is_empty() {
            given.push((key.into_owned(), value.trim().to_owned()));
        }
    }
    let path = uri.path().to_owned();
    let query_string = uri.query().unwrap_or_default().to_owned();
    let outcome = app
        .blocking(move |app: &App| -> Result<Response, Problem> {
            let target = Local(&app.graph);
            let bound = query::parse(&named)
                .and_then(|parsed| query::bind(parsed, &named, &given, &target));
            let limits = &app.config.limits;
            let answer_or_error = bound.and_then(|bound| {
                let text = bound.to_string();
                let capped = sparql::cap_rows(bound, limits.rows);
                target
                    .evaluate(&capped, Some(limits.timeout))
                    .map(|answer| (answer, text))
            });
            let (result, text) = match answer_or_error {
                Ok((answer, text)) => (Ok(answer), text),
                Err(error) => (Err(error), named.text.clone()),
            };
            if let Some(format) = download {
                let answer = result.map_err(|e| Problem::from_error(&e))?;
                sparql::check_rows(&answer, limits.rows)?;
                let representation = Representation::Results(format);
                let body = sparql::write(&answer, representation, limits.bytes)?;
                return Ok(answer_response(representation, body));
            }
            let pages = app.pages();
            let renderer = Renderer::new(&pages, &path);
            let mut context = minijinja::context! {
                query => described(&named, &given),
                text => text,
                downloads_list => DOWNLOADS.iter().map(|(name, _)| {
                    let separator = if query_string.is_empty() { "" } else { "&" };
                    minijinja::context! {
                        name => name.to_uppercase(),
                        href => format!("{name_path}?{query_string}{separator}format={name}", name_path = named.name),
                    }
                }).collect::<Vec<_>>(),
            };
            match result {
                Ok(answer) => {
                    if let Err(problem) = sparql::check_rows(&answer, limits.rows) {
                        context = minijinja::context! { error => problem.message, ..context };
                    } else {
                        context = minijinja::context! { ..table(&renderer, &answer), ..context };
                    }
                }
                Err(error) => {
                    context = minijinja::context! { error => error.to_string(), ..context };
                }
            }
            Ok(page(render(&pages, "query.html", &path, context)))
        })
        .await;
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(problem)) | Err(problem) => problem.into_response(),
    }
}

fn answer_response(representation: Representation, body: Vec<u8>) -> Response {
    answer(sparql::media_type(representation), body, false)
}

/// An answer as a table (variables and rows of shown terms) or a boolean.
fn table(renderer: &Renderer, answer: &Answer) -> minijinja::Value {
    match answer {
        Answer::Boolean(value) => minijinja::context! { boolean => *value },
        Answer::Solutions { variables, rows } => {
            let rows: Vec<Vec<Option<Shown>>> = rows
                .iter()
                .map(|row| {
                    row.values()
                        .iter()
                        .map(|value| value.as_ref().map(|term| renderer.term(term)))
                        .collect()
                })
                .collect();
            minijinja::context! {
                boolean => minijinja::Value::from(()),
                variables => variables.iter().map(|v| v.as_str().to_owned()).collect::<Vec<_>>(),
                rows => ser(rows),
            }
        }
        Answer::Graph(triples) => {
            let rows: Vec<Vec<Option<Shown>>> = triples
                .iter()
                .map(|triple| {
                    vec![
                        Some(renderer.term(&Term::from(triple.subject.clone()))),
                        Some(renderer.property(&triple.predicate)),
                        Some(renderer.term(&triple.object)),
                    ]
                })
                .collect();
            minijinja::context! {
                boolean => minijinja::Value::from(()),
                variables => vec!["subject", "predicate", "object"],
                rows => ser(rows),
            }
        }
    }
}

/// The answer of a query sent to `/sparql` by a browser, as a page.
pub fn results(app: &App, request_path: &str, text: &str, answer: &Answer) -> Response {
    let pages = app.pages();
    let renderer = Renderer::new(&pages, request_path);
    let context = minijinja::context! { text => text, wide => true, ..table(&renderer, answer) };
    page(render(&pages, "results.html", request_path, context))
}

/// `GET /sparql` from a browser, without a query: the SPARQL editor.
pub fn editor(app: &App, request_path: &str) -> Response {
    let mut query = String::new();
    for (prefix, namespace) in PREFIXES {
        if ["schema", "skos", "prov", "tipkg"].contains(prefix) {
            query.push_str(&format!("PREFIX {prefix}: <{namespace}>\n"));
        }
    }
    query.push_str(
        "\n# Who organised events, according to which source?\nSELECT ?event ?organiser ?source WHERE {\n  GRAPH ?source { ?event schema:organizer ?organiser }\n}\nLIMIT 20\n",
    );
    let context = minijinja::context! { query => query, wide => true };
    page(render(&app.pages(), "editor.html", request_path, context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_marked_where_they_overlap_and_text_is_escaped() {
        let text = "Alpha <beta> gamma & delta. Epsilon.";
        let quotes = [
            "Alpha <beta> gamma".to_owned(),
            "gamma & delta".to_owned(),
            "Epsilon".to_owned(),
            "not in the text".to_owned(),
        ];
        let (a, b, c) = (
            passage_id(&quotes[0]),
            passage_id(&quotes[1]),
            passage_id(&quotes[2]),
        );
        assert_eq!(
            marked_text(text, &quotes),
            format!(
                "<mark id=\"{a}\"><a href=\"#for-{a}\">Alpha &lt;beta&gt; </a></mark>\
                 <mark id=\"{b}\"><a href=\"#for-{a}\">gamma</a></mark>\
                 <mark><a href=\"#for-{b}\"> &amp; delta</a></mark>. \
                 <mark id=\"{c}\"><a href=\"#for-{c}\">Epsilon</a></mark>."
            )
        );
        // Two passages that start together: the mark bears one id, an empty span the other.
        let quotes = ["Alpha".to_owned(), "Alpha <beta>".to_owned()];
        let marked = marked_text(text, &quotes);
        assert!(
            marked.contains(&format!(
                "<span id=\"{}\"></span>",
                passage_id("Alpha <beta>")
            )),
            "{marked}"
        );
        assert!(marked.starts_with("<span"), "{marked}");
    }

    #[test]
    fn passage_ids_depend_on_the_quote_only() {
        assert_eq!(passage_id("a quote"), passage_id("a quote"));
        assert_ne!(passage_id("a quote"), passage_id("another quote"));
        assert!(passage_id("x").starts_with("q-") && passage_id("x").len() == 14);
    }
}
