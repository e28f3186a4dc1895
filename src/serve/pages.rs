//! HTML pages for people: the home page with its search box, search results, a page per
//! entity (its labels and types, what each source says about it with the source's
//! quotes, what refers to it, its identifiers elsewhere, its RDF), a page per class, per
//! named graph, for the ontology and for the dataset, the bundled queries with a form
//! each, and the SPARQL editor.
//!
//! Pages are rendered by minijinja from the templates under `templates/` (escaped as
//! HTML), need no JavaScript except the editor, and link relatively (`root` leads from a
//! page back to the server's root), so that they work offline and behind any proxy.

use super::documents::{Place, place};
use super::sparql::{self, Representation};
use super::{App, Problem, Shared, answer};
use crate::base::format::Format;
use crate::base::iri;
use crate::base::vocab::{self, BASE, DCTERMS, PREFIXES, RDF, RDFS, SCHEMA, SKOS, TIPKG, WD};
use crate::query::catalogue::{self, NamedQuery, ParamKind};
use crate::query::results::OutputFormat;
use crate::query::{self, Answer, Local, Target};
use crate::store::KnowledgeGraph;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use minijinja::Environment;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use serde::Serialize;
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

/// What the pages show of the whole graph, read once when the server starts (the store
/// does not change while it is served).
pub struct Site {
    title: String,
    description: Option<String>,
    classes: Vec<ClassCount>,
    sources: Vec<SourceEntry>,
    queries: Vec<NamedQuery>,
}

#[derive(Serialize, Clone)]
struct ClassCount {
    /// The class page's path from the root.
    path: String,
    label: String,
    count: usize,
}

#[derive(Serialize, Clone)]
struct SourceEntry {
    /// The graph page's path from the root.
    path: String,
    title: String,
    triples: usize,
}

impl Site {
    pub fn read(graph: &KnowledgeGraph) -> crate::Result<Self> {
        let labels = Labels::new(graph);
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
        let mut classes: Vec<ClassCount> = counts
            .iter()
            .filter_map(|row| {
                let Some(Term::NamedNode(class)) = row.first()?.as_ref() else {
                    return None;
                };
                let Some(Term::Literal(n)) = row.get(1)?.as_ref() else {
                    return None;
                };
                Some(ClassCount {
                    path: class_path(class.as_str())?,
                    label: labels.class(class),
                    count: n.value().parse().unwrap_or(0),
                })
            })
            .collect();
        classes.sort_by_key(|a| a.label.to_lowercase());
        let mut sources: Vec<SourceEntry> = graph
            .graph_sizes()?
            .into_iter()
            .filter_map(|(name, triples)| {
                let name = name.trim_start_matches('<').trim_end_matches('>');
                let slug = name.strip_prefix(vocab::GRAPH)?;
                let graph_node = NamedNode::new(name).ok()?;
                Some(SourceEntry {
                    path: format!("graph/{slug}"),
                    title: labels.graph_title(&graph_node),
                    triples,
                })
            })
            .collect();
        sources.sort_by_key(|a| a.title.to_lowercase());
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

/// The path of a class's page from the root, for classes with a prefixed name.
fn class_path(iri: &str) -> Option<String> {
    let (prefix, local) = vocab::split(iri, PREFIXES)?;
    Some(format!("class/{prefix}/{local}"))
}

/// Names for people: labels of things, of classes and properties (from the ontology) and
/// titles of sources' graphs, looked up once each.
struct Labels<'a> {
    graph: &'a KnowledgeGraph,
    cache: std::cell::RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Labels<'a> {
    fn new(graph: &'a KnowledgeGraph) -> Self {
        Self {
            graph,
            cache: std::cell::RefCell::default(),
        }
    }

    /// The thing's preferred label (in English first), else its label, title or name.
    fn of(&self, node: &NamedNode) -> Option<String> {
        if let Some(known) = self.cache.borrow().get(node.as_str()) {
            return known.clone();
        }
        let found = [
            format!("{SKOS}prefLabel"),
            format!("{RDFS}label"),
            format!("{DCTERMS}title"),
            format!("{SCHEMA}name"),
        ]
        .iter()
        .find_map(|property| literal(self.graph, node, property));
        self.cache
            .borrow_mut()
            .insert(node.as_str().to_owned(), found.clone());
        found
    }

    /// A class or property: its label, else its prefixed name, else its IRI.
    fn class(&self, node: &NamedNode) -> String {
        self.of(node).unwrap_or_else(|| short(node.as_str()))
    }

    /// The title of a named graph: its source's title (`graph/x` is the graph of
    /// `id/source/x`), else what the graph is.
    fn graph_title(&self, graph: &NamedNode) -> String {
        if *graph == iri::ontology_graph() {
            return "The tipkg ontology".to_owned();
        }
        if *graph == iri::dataset_graph() {
            return "The description of the dataset".to_owned();
        }
        graph
            .as_str()
            .strip_prefix(vocab::GRAPH)
            .filter(|slug| iri::is_slug(slug))
            .and_then(|slug| self.of(&iri::entity(iri::Kind::Source, slug)))
            .unwrap_or_else(|| graph.as_str().to_owned())
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

/// A term as a page shows it: text, maybe a link, a language or a datatype.
#[derive(Serialize, Clone, Default)]
struct Shown {
    text: String,
    href: Option<String>,
    external: bool,
    iri: Option<String>,
    lang: Option<String>,
    datatype: Option<String>,
    long: bool,
}

/// How one page shows terms: its way back to the root, and labels.
struct Renderer<'a> {
    root: String,
    labels: Labels<'a>,
}

impl<'a> Renderer<'a> {
    fn new(app: &'a App, request_path: &str) -> Self {
        Self {
            root: super::root(request_path),
            labels: Labels::new(&app.graph),
        }
    }

    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    /// A thing, a class or a property, linked to its page here or to where it lives.
    fn node(&self, node: &NamedNode) -> Shown {
        let iri = node.as_str();
        if let Some(place) = place(iri) {
            let text = match &place {
                Place::Page(path)
                    if path.starts_with("ontology#") || path.starts_with("graph/") =>
                {
                    if iri.starts_with(vocab::GRAPH) {
                        self.labels.graph_title(node)
                    } else {
                        self.labels.class(node)
                    }
                }
                _ => self.labels.of(node).unwrap_or_else(|| short(iri)),
            };
            return Shown {
                text,
                href: Some(self.link(&place.page())),
                iri: Some(iri.to_owned()),
                ..Shown::default()
            };
        }
        if let Some(local) = iri.strip_prefix(BASE)
            && (local.is_empty() || local == "context.jsonld" || local.starts_with("dataset."))
        {
            return Shown {
                text: iri.to_owned(),
                href: Some(self.link(local)),
                iri: Some(iri.to_owned()),
                ..Shown::default()
            };
        }
        if let Some(qid) = iri.strip_prefix(WD) {
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
        self.labels
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

    /// A class, linked to its page of members.
    fn class(&self, node: &NamedNode) -> Shown {
        match class_path(node.as_str()) {
            Some(path) => Shown {
                text: self.labels.class(node),
                href: Some(self.link(&path)),
                iri: Some(node.as_str().to_owned()),
                ..Shown::default()
            },
            None => self.node(node),
        }
    }

    /// A property, by its label, linked to where it is defined.
    fn property(&self, node: &NamedNode) -> Shown {
        let mut shown = self.node(node);
        shown.text = self.labels.class(node);
        shown
    }

    fn term(&self, term: &Term) -> Shown {
        match term {
            Term::NamedNode(node) => self.node(node),
            Term::BlankNode(node) => Shown {
                text: node.to_string(),
                ..Shown::default()
            },
            Term::Literal(literal) => {
                let datatype = literal.datatype();
                let plain = literal.language().is_some()
                    || datatype.as_str() == format!("{}string", vocab::XSD);
                Shown {
                    text: literal.value().to_owned(),
                    lang: literal.language().map(str::to_owned),
                    datatype: (!plain).then(|| short(datatype.as_str())),
                    long: literal.value().len() > 300 || literal.value().contains('\n'),
                    ..Shown::default()
                }
            }
            #[allow(unreachable_patterns)]
            other => Shown {
                text: other.to_string(),
                ..Shown::default()
            },
        }
    }
}

/// Renders a template with `context`, adding what every page has.
fn render(app: &App, name: &str, request_path: &str, context: minijinja::Value) -> Response {
    let common = minijinja::context! {
        root => super::root(request_path),
        site_title => app.site.title.clone(),
        canonical => app.config.base.as_ref().map(|base| format!("{base}{request_path}")),
    };
    let context = minijinja::context! { ..context, ..common };
    match TEMPLATES
        .get_template(name)
        .and_then(|template| template.render(context))
    {
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

/// `/`: the home page.
pub async fn home(State(app): State<Shared>, uri: Uri) -> Response {
    let renderer = Renderer::new(&app, uri.path());
    let site = &app.site;
    let classes: Vec<minijinja::Value> = site
        .classes
        .iter()
        .map(|c| {
            minijinja::context! { href => renderer.link(&c.path), label => c.label.clone(), count => c.count }
        })
        .collect();
    let sources: Vec<minijinja::Value> = site
        .sources
        .iter()
        .map(|s| {
            minijinja::context! { href => renderer.link(&s.path), title => s.title.clone(), triples => s.triples }
        })
        .collect();
    let context = minijinja::context! {
        description => site.description.clone(),
        classes => classes,
        sources => sources,
        dataset_downloads => ser(downloads(&renderer, "dataset", &Format::ALL)),
        hide_search => true,
    };
    render(&app, "home.html", uri.path(), context)
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
            Ok(render(app, "search.html", &path, context))
        })
        .await;
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(problem)) | Err(problem) => problem.into_response(),
    }
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
    let renderer = Renderer::new(app, path);
    let mut seen = BTreeSet::new();
    let mut hits = Vec::new();
    for row in rows {
        let (Some(Term::NamedNode(entity)), Some(Term::Literal(label))) =
            (row.get("entity"), row.get("label"))
        else {
            continue;
        };
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
                Term::NamedNode(class) => Some(renderer.labels.class(&class)),
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

#[derive(Serialize)]
struct Fact {
    property: Shown,
    values: Vec<Shown>,
}

#[derive(Serialize)]
struct Section {
    graph: Shown,
    url: Option<String>,
    quotes: Vec<Shown>,
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
    scheme: &'static str,
    value: Shown,
}

/// The page of a thing, from every quad about it.
pub fn entity(app: &App, request_path: &str, thing: &NamedNode, quads: &[Quad]) -> Response {
    let renderer = Renderer::new(app, request_path);
    let subject = NamedOrBlankNode::NamedNode(thing.clone());
    let rdf_type = oxigraph::model::vocab::rdf::TYPE.into_owned();
    let quote = iri::term("evidenceQuote");
    let alt_label = NamedNode::new_unchecked(format!("{SKOS}altLabel"));

    let mut types = BTreeMap::new();
    let mut alt_labels = BTreeSet::new();
    let mut identifiers = Vec::new();
    let mut by_graph: BTreeMap<String, (GraphName, Vec<&Quad>)> = BTreeMap::new();
    let mut incoming: BTreeMap<String, (GraphName, Vec<&Quad>)> = BTreeMap::new();
    for quad in quads {
        let groups = if quad.subject == subject {
            &mut by_graph
        } else {
            &mut incoming
        };
        groups
            .entry(quad.graph_name.to_string())
            .or_insert_with(|| (quad.graph_name.clone(), Vec::new()))
            .1
            .push(quad);
        if quad.subject != subject {
            continue;
        }
        match &quad.object {
            Term::NamedNode(class) if quad.predicate == rdf_type => {
                types.insert(class.as_str().to_owned(), renderer.class(class));
            }
            Term::Literal(label) if quad.predicate == alt_label => {
                alt_labels.insert(label.value().to_owned());
            }
            _ => {}
        }
        if let Some(identifier) = identifier(&renderer, quad) {
            identifiers.push(identifier);
        }
    }
    identifiers.sort_by(|a, b| (a.scheme, &a.value.text).cmp(&(b.scheme, &b.value.text)));
    identifiers.dedup_by(|a, b| a.scheme == b.scheme && a.value.text == b.value.text);

    let sections: Vec<Section> = by_graph
        .into_values()
        .map(|(graph, quads)| {
            let (quotes, statements): (Vec<&Quad>, Vec<&Quad>) =
                quads.into_iter().partition(|q| q.predicate == quote);
            let (shown, url) = graph_heading(app, &renderer, &graph);
            Section {
                graph: shown,
                url,
                quotes: quotes.iter().map(|q| renderer.term(&q.object)).collect(),
                facts: facts(&renderer, statements.iter().copied()),
            }
        })
        .collect();
    let incoming: Vec<Incoming> = incoming
        .into_values()
        .map(|(graph, quads)| Incoming {
            graph: graph_heading(app, &renderer, &graph).0,
            links: quads
                .iter()
                .map(|quad| IncomingLink {
                    subject: match &quad.subject {
                        NamedOrBlankNode::NamedNode(node) => renderer.node(node),
                        other => renderer.term(&Term::from(other.clone())),
                    },
                    property: renderer.property(&quad.predicate),
                })
                .collect(),
        })
        .collect();
    let title = renderer
        .labels
        .of(thing)
        .unwrap_or_else(|| short(thing.as_str()));
    let stem = match place(thing.as_str()) {
        Some(Place::Document(stem)) => stem,
        _ => String::new(),
    };
    let alternates: Vec<minijinja::Value> = DOCUMENT_FORMATS
        .iter()
        .map(|format| {
            minijinja::context! {
                media_type => format.media_type(),
                href => renderer.link(&format!("{stem}.{}", format.extension())),
            }
        })
        .collect();
    let context = minijinja::context! {
        title => title,
        iri => thing.as_str(),
        alt_labels => alt_labels.into_iter().collect::<Vec<_>>(),
        types => ser(types.into_values().collect::<Vec<_>>()),
        identifiers => ser(identifiers),
        sections => ser(sections),
        incoming => ser(incoming),
        downloads_list => ser(downloads(&renderer, &stem, &DOCUMENT_FORMATS)),
        alternates => alternates,
    };
    render(app, "entity.html", request_path, context)
}

/// An identifier of the thing elsewhere, from one of its statements.
fn identifier(renderer: &Renderer, quad: &Quad) -> Option<Identifier> {
    let predicate = quad.predicate.as_str();
    let same = predicate == format!("{SCHEMA}sameAs")
        || predicate == format!("{SKOS}exactMatch")
        || predicate == format!("{SKOS}closeMatch");
    match &quad.object {
        Term::NamedNode(node) if same => {
            let iri = node.as_str();
            let scheme = if iri.starts_with(WD) {
                "Wikidata"
            } else if iri.starts_with("https://ror.org/") {
                "ROR"
            } else {
                "Same as"
            };
            let mut value = renderer.node(node);
            if scheme == "ROR" {
                value.text = iri.trim_start_matches("https://ror.org/").to_owned();
            }
            Some(Identifier { scheme, value })
        }
        Term::Literal(code) if predicate == format!("{TIPKG}iatiIdentifier") => Some(Identifier {
            scheme: "IATI",
            value: Shown {
                text: code.value().to_owned(),
                // d-portal shows what an organisation reports to IATI, by its identifier.
                href: Some(format!(
                    "https://d-portal.org/ctrack.html?reporting_ref={}#view=main",
                    url_component(code.value())
                )),
                external: true,
                ..Shown::default()
            },
        }),
        _ => None,
    }
}

/// Percent-encodes everything but unreserved characters.
fn url_component(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Statements grouped by property (type first, then by the property's label), each
/// property's values sorted.
fn facts<'q>(renderer: &Renderer, quads: impl Iterator<Item = &'q Quad>) -> Vec<Fact> {
    let rdf_type = format!("{RDF}type");
    let mut grouped: BTreeMap<(bool, String, String), (NamedNode, Vec<&Term>)> = BTreeMap::new();
    for quad in quads {
        let label = renderer.labels.class(&quad.predicate).to_lowercase();
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
            values.sort_by_key(|a| a.text.to_lowercase());
            Fact {
                property: renderer.property(&property),
                values,
            }
        })
        .collect()
}

/// The heading of a graph's section: its source's title linked to the graph's page, and
/// the address of the source itself.
fn graph_heading(app: &App, renderer: &Renderer, graph: &GraphName) -> (Shown, Option<String>) {
    let GraphName::NamedNode(node) = graph else {
        return (
            Shown {
                text: "The default graph".to_owned(),
                ..Shown::default()
            },
            None,
        );
    };
    let mut shown = renderer.node(node);
    shown.text = renderer.labels.graph_title(node);
    let url = node
        .as_str()
        .strip_prefix(vocab::GRAPH)
        .filter(|slug| iri::is_slug(slug))
        .and_then(|slug| {
            let source = iri::entity(iri::Kind::Source, slug);
            let url = NamedNode::new_unchecked(format!("{SCHEMA}url"));
            app.graph
                .store()
                .quads_for_pattern(Some((&source).into()), Some(url.as_ref()), None, None)
                .flatten()
                .find_map(|quad| match quad.object {
                    Term::NamedNode(url) => Some(url.as_str().to_owned()),
                    _ => None,
                })
        });
    (shown, url)
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
            let renderer = Renderer::new(app, &path);
            let mut members: BTreeMap<(String, String), Shown> = BTreeMap::new();
            for quad in app.graph.store().quads_for_pattern(
                None,
                Some(oxigraph::model::vocab::rdf::TYPE),
                Some((&class).into()),
                None,
            ) {
                let quad = quad.map_err(|e| Problem::from_error(&e.into()))?;
                if let NamedOrBlankNode::NamedNode(member) = quad.subject {
                    let shown = renderer.node(&member);
                    members
                        .entry((shown.text.to_lowercase(), member.as_str().to_owned()))
                        .or_insert(shown);
                }
            }
            if members.is_empty() {
                return Err(Problem::not_found(format!(
                    "nothing in this graph is a {}",
                    short(class.as_str())
                )));
            }
            let context = minijinja::context! {
                title => renderer.labels.class(&class),
                iri => class.as_str(),
                comment => literal(&app.graph, &class, &format!("{RDFS}comment")),
                members => ser(members.into_values().collect::<Vec<_>>()),
            };
            Ok(render(app, "class.html", &path, context))
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
}

/// The page of a named graph: a source's graph (what it describes), the ontology (its
/// classes, properties and individuals, each with an anchor) or the dataset's
/// description (what it says, and the downloads).
pub fn graph(app: &App, request_path: &str, graph: &NamedNode) -> Response {
    let renderer = Renderer::new(app, request_path);
    let store = app.graph.store();
    let mut subjects: BTreeMap<String, Vec<Quad>> = BTreeMap::new();
    for quad in store
        .quads_for_pattern(None, None, None, Some(graph.into()))
        .flatten()
    {
        if let NamedOrBlankNode::NamedNode(node) = &quad.subject {
            subjects
                .entry(node.as_str().to_owned())
                .or_default()
                .push(quad);
        }
    }
    let stem = request_path.trim_start_matches('/');
    let mut context = minijinja::context! {
        iri => graph.as_str(),
        title => renderer.labels.graph_title(graph),
        downloads_list => ser(downloads(&renderer, stem, &DOCUMENT_FORMATS)),
    };
    if *graph == iri::ontology_graph() {
        context = minijinja::context! { ..minijinja::context! {
            groups => ser(ontology_groups(&renderer, &subjects)),
            description => literal(&app.graph, &NamedNode::new_unchecked(vocab::ONTOLOGY), &format!("{DCTERMS}description")),
        }, ..context };
    } else if *graph == iri::dataset_graph() {
        let dataset = iri::dataset();
        let about = subjects
            .get(dataset.as_str())
            .map(|quads| facts(&renderer, quads.iter()))
            .unwrap_or_default();
        context = minijinja::context! { ..minijinja::context! {
            about => ser(about),
            description => literal(&app.graph, &dataset, &format!("{DCTERMS}description")),
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
                }).collect(),
            }]),
        }, ..context };
    } else {
        let (_, url) = graph_heading(app, &renderer, &GraphName::NamedNode(graph.clone()));
        let mut items: Vec<Item> = subjects
            .keys()
            .map(|subject| Item {
                anchor: None,
                term: renderer.node(&NamedNode::new_unchecked(subject.clone())),
                facts: Vec::new(),
            })
            .collect();
        items.sort_by_key(|a| a.term.text.to_lowercase());
        context = minijinja::context! { ..minijinja::context! {
            url => url,
            groups => ser(vec![Group {
                id: "described".to_owned(),
                title: format!("What this source describes ({})", items.len()),
                facts: false,
                items,
            }]),
        }, ..context };
    }
    render(app, "graph.html", request_path, context)
}

/// The ontology's terms by kind, each with its statements and an anchor of its name.
fn ontology_groups(renderer: &Renderer, subjects: &BTreeMap<String, Vec<Quad>>) -> Vec<Group> {
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
        let mut term = renderer.class(&node);
        if index != 0 {
            term = renderer.property(&node);
            term.href = None;
        } else if !renderer.has_members(&node) {
            // A class page lists its members: a class the data has none of has no page.
            term.href = None;
        }
        groups[index].items.push(Item {
            anchor: Some(local.to_owned()),
            term,
            facts: facts(renderer, quads.iter()),
        });
    }
    groups.retain(|group| !group.items.is_empty());
    groups
}

/// `/queries`: the bundled queries, each with a form for its parameters.
pub async fn queries(State(app): State<Shared>, uri: Uri) -> Response {
    let queries: Vec<minijinja::Value> = app
        .site
        .queries
        .iter()
        .map(|query| described(query, &[]))
        .collect();
    render(
        &app,
        "queries.html",
        uri.path(),
        minijinja::context! { queries => queries },
    )
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
            let renderer = Renderer::new(app, &path);
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
            Ok(render(app, "query.html", &path, context))
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
    let renderer = Renderer::new(app, request_path);
    let context = minijinja::context! { text => text, wide => true, ..table(&renderer, answer) };
    render(app, "results.html", request_path, context)
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
    render(app, "editor.html", request_path, context)
}
