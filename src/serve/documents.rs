//! The graph's IRIs as documents: `/id/…` and `/concept/…` answer `303 See Other` to a
//! document about the thing (`/doc/…` with the extension of the format the client
//! prefers); `/doc/…` serves it; `/graph/{source}`, `/ontology` and `/dataset` serve their
//! named graphs in the format asked for; `/dataset.{ext}` are the downloads the dataset's
//! description lists; `/store` is the Graph Store Protocol, for reading.
//!
//! A thing's document holds every quad with the thing as subject or object, each in the
//! named graph of the source that states it: quad formats (N-Quads, TriG, JSON-LD) keep
//! the graphs, triple formats (Turtle, N-Triples, RDF/XML) give their union.
//!
//! Only the paths of IRIs that tipkg mints are served: a known kind (or `concept`) and one
//! to four segments of ASCII letters, digits and hyphens (country codes keep their upper
//! case), so that no path can name anything else.

use super::sparql::{Representation, negotiate as choose};
use super::{App, Problem, Shared, answer, connection};
use crate::base::format::Format;
use crate::base::iri::{self, Kind};
use crate::base::vocab::BASE;
use crate::export::{self, ContextMode, Frame, GraphSelection, Options};
use crate::view::Describer;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;
use std::sync::LazyLock;

/// The representations of a document, from [`super::negotiate::DOCUMENT_TYPES`].
pub static DOCUMENT_OFFERS: LazyLock<Vec<(&'static str, Representation)>> = LazyLock::new(|| {
    super::negotiate::DOCUMENT_TYPES
        .iter()
        .map(|(media_type, extension)| {
            let representation = match Format::ALL.iter().find(|f| f.extension() == *extension) {
                Some(format) => Representation::Rdf(*format),
                None => Representation::Html,
            };
            (*media_type, representation)
        })
        .collect()
});

/// The formats a Graph Store answer comes in: graphs, as triples.
const GRAPH_STORE_OFFERS: &[(&str, Representation)] = &[
    ("text/turtle", Representation::Rdf(Format::Turtle)),
    (
        "application/n-triples",
        Representation::Rdf(Format::Ntriples),
    ),
    ("application/ld+json", Representation::Rdf(Format::Jsonld)),
    ("application/rdf+xml", Representation::Rdf(Format::Rdfxml)),
    ("application/x-turtle", Representation::Rdf(Format::Turtle)),
    ("application/json", Representation::Rdf(Format::Jsonld)),
];

/// The formats a document is served in by extension (canonical N-Quads is for the whole
/// dataset only).
const DOCUMENT_FORMATS: [Format; 6] = [
    Format::Turtle,
    Format::Ntriples,
    Format::Nquads,
    Format::Trig,
    Format::Rdfxml,
    Format::Jsonld,
];

/// Where the server has something about an IRI of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A thing with documents: the path of its documents, without the extension
    /// (`doc/org/unicef`).
    Document(String),
    /// A page of its own: its path (`graph/ror`, `ontology#rank`, `dataset`).
    Page(String),
}

impl Place {
    /// The path of its HTML page, from the server's root.
    pub fn page(&self) -> String {
        match self {
            Self::Document(path) => format!("{path}.html"),
            Self::Page(path) => path.clone(),
        }
    }
}

/// Where the server has something about `iri`, if anywhere.
pub fn place(iri: &str) -> Option<Place> {
    let local = iri.strip_prefix(BASE)?;
    if let Some(rest) = local.strip_prefix("id/") {
        let (kind, slug) = rest.split_once('/')?;
        return (is_kind(kind) && valid_segments(slug))
            .then(|| Place::Document(format!("doc/{rest}")));
    }
    if let Some(rest) = local.strip_prefix("concept/") {
        return valid_segments(rest).then(|| Place::Document(format!("doc/concept/{rest}")));
    }
    if let Some(slug) = local.strip_prefix("graph/") {
        return iri::is_slug(slug).then(|| Place::Page(format!("graph/{slug}")));
    }
    if local == "ontology" || local.starts_with("ontology#") {
        return Some(Place::Page(local.to_owned()));
    }
    if local == "dataset" || local.starts_with("dataset/") {
        return Some(Place::Page("dataset".to_owned()));
    }
    None
}

fn is_kind(segment: &str) -> bool {
    Kind::from_segment(segment).is_some()
}

/// One to four path segments of ASCII letters, digits and hyphens.
fn valid_segments(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    (1..=4).contains(&segments.len())
        && segments.iter().all(|segment| {
            !segment.is_empty()
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// The IRI of the thing a document path (`org/unicef`, `concept/topic/x`) is about.
fn thing_of_document(path: &str) -> Option<NamedNode> {
    let local = match path.split_once('/') {
        Some(("concept", rest)) if valid_segments(rest) => format!("concept/{rest}"),
        Some((kind, rest)) if is_kind(kind) && valid_segments(rest) => format!("id/{path}"),
        _ => return None,
    };
    NamedNode::new(format!("{BASE}{local}")).ok()
}

fn refused_path(path: &str) -> Response {
    Problem::not_found(format!(
        "{path} is not the address of anything in this graph: things are at /id/KIND/SLUG and /concept/SCHEME/SLUG, their documents at /doc/KIND/SLUG.EXT"
    ))
    .into_response()
}

/// `/id/…` and `/concept/…`: `303 See Other` to the document in the format asked for.
pub async fn see_other(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path();
    let Some(Place::Document(document)) = place(&format!("{BASE}{}", &path[1..])) else {
        return refused_path(path);
    };
    let representation = match choose(&headers, &DOCUMENT_OFFERS) {
        Ok(representation) => representation,
        Err(refused) => return refused.into_response(),
    };
    let thing = NamedNode::new_unchecked(format!("{BASE}{}", &path[1..]));
    let known = {
        let thing = thing.clone();
        app.blocking(move |app: &App| is_known(app, &thing)).await
    };
    match known {
        Ok(Ok(true)) => {}
        Ok(Ok(false)) => {
            return Problem::not_found(format!("no {thing} in this graph")).into_response();
        }
        Ok(Err(error)) => return Problem::from_error(&error).into_response(),
        Err(problem) => return problem.into_response(),
    }
    let extension = match representation {
        Representation::Rdf(format) => format.extension(),
        _ => "html",
    };
    let location = app.location(path, &format!("{document}.{extension}"));
    let mut response = (
        StatusCode::SEE_OTHER,
        format!("{thing} is described at {location}\n"),
    )
        .into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Whether the graph says anything about `thing`, as subject or object.
fn is_known(app: &App, thing: &NamedNode) -> crate::Result<bool> {
    let store = app.graph.store();
    Ok(store
        .quads_for_pattern(Some(thing.as_ref().into()), None, None, None)
        .next()
        .transpose()?
        .is_some()
        || store
            .quads_for_pattern(None, None, Some(thing.as_ref().into()), None)
            .next()
            .transpose()?
            .is_some())
}

/// `/doc/{kind}/{slug}.{ext}`: the document about a thing.
pub async fn document(State(app): State<Shared>, uri: Uri) -> Response {
    let request_path = uri.path().to_owned();
    let Some(rest) = request_path.strip_prefix("/doc/") else {
        return refused_path(&request_path);
    };
    let Some((stem, extension)) = rest.rsplit_once('.') else {
        return refused_path(&request_path);
    };
    let representation = if extension == "html" {
        Representation::Html
    } else {
        match DOCUMENT_FORMATS
            .iter()
            .find(|format| format.extension() == extension)
        {
            Some(format) => Representation::Rdf(*format),
            None => return refused_path(&request_path),
        }
    };
    let Some(thing) = thing_of_document(stem) else {
        return refused_path(&request_path);
    };
    let outcome = app
        .blocking(move |app: &App| -> Result<Response, Problem> {
            let Representation::Rdf(format) = representation else {
                return super::pages::entity(app, &request_path, &thing);
            };
            let failed = |e: crate::view::Error| {
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            };
            let quads = Describer::new(&app.graph)
                .quads(thing.as_ref())
                .map_err(failed)?;
            if quads.is_empty() {
                return Err(Problem::not_found(format!("no {thing} in this graph")));
            }
            let mut body = Vec::new();
            crate::view::write_rdf(&quads, format, &mut body).map_err(failed)?;
            Ok(answer(format.media_type(), body, false))
        })
        .await;
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(problem)) | Err(problem) => problem.into_response(),
    }
}

/// Writes the selected graphs in `format`, streamed as they are exported: quad formats
/// keep the graphs, triple formats give their union (JSON-LD framed by entity then).
async fn export_response(
    app: &Shared,
    graphs: GraphSelection,
    format: Format,
    keep_graphs: bool,
    negotiated: bool,
) -> Response {
    let turn = match app.turn().await {
        Ok(turn) => turn,
        Err(problem) => return problem.into_response(),
    };
    let options = Options {
        format,
        graphs,
        jsonld_context: ContextMode::Embed,
        jsonld_frame: (format == Format::Jsonld && !keep_graphs).then_some(Frame::Entity),
        stream: false,
    };
    let shared = app.clone();
    let body = connection::streamed(turn, move |out| {
        export::export(&shared.graph, &options, out).map(|_| ())
    });
    answer(format.media_type(), body, negotiated)
}

/// Whether the store has a named graph.
fn has_graph(app: &App, graph: &NamedNode) -> Result<bool, Problem> {
    app.graph
        .store()
        .contains_named_graph(graph)
        .map_err(|e| Problem::from_error(&e.into()))
}

/// A named graph of the build in the format asked for, or its page.
async fn serve_graph(
    app: Shared,
    headers: &HeaderMap,
    request_path: &str,
    graph: NamedNode,
    fixed: Option<Format>,
) -> Response {
    match has_graph(&app, &graph) {
        Ok(true) => {}
        Ok(false) => {
            return Problem::not_found(format!("no graph {graph} in this store")).into_response();
        }
        Err(problem) => return problem.into_response(),
    }
    let representation = match fixed {
        Some(format) => Representation::Rdf(format),
        None => match choose(headers, &DOCUMENT_OFFERS) {
            Ok(representation) => representation,
            Err(refused) => return refused.into_response(),
        },
    };
    match representation {
        Representation::Rdf(format) => {
            export_response(
                &app,
                GraphSelection::named(graph),
                format,
                true,
                fixed.is_none(),
            )
            .await
        }
        _ => {
            let path = request_path.to_owned();
            let page = app
                .blocking(move |app: &App| super::pages::graph(app, &path, &graph))
                .await;
            match page {
                Ok(response) => response,
                Err(problem) => problem.into_response(),
            }
        }
    }
}

/// `/graph/{source}` (or `/graph/{source}.{ext}`): one source's named graph.
pub async fn named_graph(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path().to_owned();
    let name = path.trim_start_matches("/graph/");
    let (slug, fixed) = match name.split_once('.') {
        Some((slug, extension)) => match DOCUMENT_FORMATS
            .iter()
            .find(|format| format.extension() == extension)
        {
            Some(format) => (slug, Some(*format)),
            None => return refused_path(&path),
        },
        None => (name, None),
    };
    if !iri::is_slug(slug) {
        return refused_path(&path);
    }
    serve_graph(app, &headers, &path, iri::graph(slug), fixed).await
}

/// `/ontology`: the ontology's graph.
pub async fn ontology(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    serve_graph(app, &headers, uri.path(), iri::ontology_graph(), None).await
}

/// `/ontology.{ext}`: the ontology's graph in one format.
pub async fn ontology_as(
    State(app): State<Shared>,
    headers: HeaderMap,
    format: Format,
) -> Response {
    serve_graph(
        app,
        &headers,
        "/ontology",
        iri::ontology_graph(),
        Some(format),
    )
    .await
}

/// `/dataset`: the description of the dataset (DCAT and VoID).
pub async fn dataset(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    serve_graph(app, &headers, uri.path(), iri::dataset_graph(), None).await
}

/// `/dataset.{ext}`: the whole dataset in one format, as its description lists it.
pub async fn download(State(app): State<Shared>, format: Format) -> Response {
    export_response(&app, GraphSelection::All, format, true, false).await
}

/// `/context.jsonld`: the JSON-LD context of the graph.
pub async fn context() -> Response {
    answer("application/ld+json", export::jsonld::CONTEXT, false)
}

/// `GET /store?graph=IRI` or `GET /store?default`: the Graph Store Protocol, for
/// reading. The default graph is the union of the named graphs, as the SPARQL endpoint's
/// is, so that both agree on what the graph is.
pub async fn graph_store(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let mut graph = None;
    let mut default = false;
    for (name, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "graph" if graph.is_none() => graph = Some(value.into_owned()),
            "graph" => {
                return Problem::new(StatusCode::BAD_REQUEST, "give one graph=IRI").into_response();
            }
            "default" => default = true,
            _ => {}
        }
    }
    let selection = match (graph, default) {
        (Some(_), true) | (None, false) => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "name one graph: ?graph=IRI for a named graph, or ?default for the default graph (the union of the named graphs)",
            )
            .into_response();
        }
        (None, true) => GraphSelection::All,
        (Some(text), false) => {
            let Ok(graph) = NamedNode::new(text.as_str()) else {
                return Problem::new(
                    StatusCode::BAD_REQUEST,
                    format!("graph={text} is not an absolute IRI"),
                )
                .into_response();
            };
            match has_graph(&app, &graph) {
                Ok(true) => GraphSelection::named(graph),
                Ok(false) => {
                    return Problem::not_found(format!("no graph {graph} in this store"))
                        .into_response();
                }
                Err(problem) => return problem.into_response(),
            }
        }
    };
    match choose(&headers, GRAPH_STORE_OFFERS) {
        Ok(Representation::Rdf(format)) => {
            export_response(&app, selection, format, false, true).await
        }
        Ok(_) => Problem::new(StatusCode::NOT_ACCEPTABLE, "no such format").into_response(),
        Err(refused) => refused.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn things_have_documents_and_graphs_have_pages() {
        let at = |iri: &str| place(iri).map(|p| p.page());
        assert_eq!(
            at("https://w3id.org/tipkg/id/org/unicef").as_deref(),
            Some("doc/org/unicef.html")
        );
        assert_eq!(
            at("https://w3id.org/tipkg/id/country/ROU").as_deref(),
            Some("doc/country/ROU.html")
        );
        assert_eq!(
            at("https://w3id.org/tipkg/concept/topic/child-trafficking").as_deref(),
            Some("doc/concept/topic/child-trafficking.html")
        );
        assert_eq!(
            at("https://w3id.org/tipkg/graph/ror").as_deref(),
            Some("graph/ror")
        );
        assert_eq!(
            at("https://w3id.org/tipkg/ontology#rank").as_deref(),
            Some("ontology#rank")
        );
        assert_eq!(at("https://w3id.org/tipkg/id/thing/x"), None);
        assert_eq!(at("https://w3id.org/tipkg/id/org/../x"), None);
        assert_eq!(at("http://schema.org/Event"), None);
    }

    #[test]
    fn document_paths_name_only_minted_iris() {
        let thing = |path: &str| thing_of_document(path).map(|n| n.as_str().to_owned());
        assert_eq!(
            thing("org/unicef").as_deref(),
            Some("https://w3id.org/tipkg/id/org/unicef")
        );
        assert_eq!(
            thing("participation/2023-06-19-x/ecpat-panelist").as_deref(),
            Some("https://w3id.org/tipkg/id/participation/2023-06-19-x/ecpat-panelist")
        );
        assert_eq!(
            thing("concept/topic").as_deref(),
            Some("https://w3id.org/tipkg/concept/topic")
        );
        for bad in [
            "../../etc/passwd",
            "org/../../etc/passwd",
            "org/a%2F..",
            "org/",
            "org",
            "etc/passwd",
            "org/a.b",
            "org/a/b/c/d/e",
            "org/a b",
        ] {
            assert_eq!(thing(bad), None, "{bad}");
        }
    }
}
