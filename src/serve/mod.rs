//! A read-only linked-data server over the graph: the SPARQL 1.1 Protocol (`sparql`), the
//! Graph Store Protocol for reading (`documents`), dereferenceable IRIs that answer
//! `303 See Other` to a document in the format the client asks for (`negotiate`), and
//! HTML pages for people (`pages`), all from one Oxigraph store that nothing here writes.
//!
//! The IRIs of the data live under `https://w3id.org/tipkg/`; the server answers for them
//! at the same paths from its root (`/id/org/unicef`, `/graph/ror`), as it would behind a
//! proxy that publishes it there. Links in pages are relative, so that they work on
//! loopback, offline, and under any proxy; redirects point at the `base` when one is
//! given, else they are relative too.
//!
//! SIGTERM or Ctrl-C stops the server gracefully: no new connections, the requests in
//! flight answered, then `run` returns.
//!
//! Work on the store (queries, documents, pages) runs on blocking threads, at most
//! [`Limits::concurrent`] at once; the network side is asynchronous, so a slow client
//! holds a connection and nothing else. Every limit is in [`Limits`].

mod assets;
mod connection;
mod documents;
pub mod negotiate;
mod pages;
mod sparql;

pub use assets::{FAVICON, FILES as ASSETS};
pub use documents::{Place, place};
pub use pages::{
    Layout, Pages, STATIC_FORMATS, Site, class_page, entity_page, graph_page, home_page,
    marked_text, passage_id, static_search_page,
};

use crate::store::KnowledgeGraph;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Where messages go: one line each (the request log, warnings).
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// The public URL of the server's root (no trailing slash), behind a proxy; redirects
    /// are absolute under it. `None`: redirects are relative to the request.
    pub base: Option<String>,
    /// Allow every origin to read the answers from a browser (CORS).
    pub cors: bool,
    pub limits: Limits,
}

/// What a client may ask of the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a query, or any other work on the store, may run.
    pub timeout: Duration,
    /// The most solutions a SELECT may give.
    pub rows: usize,
    /// The most bytes of an answer to a query (the graph's own documents and downloads
    /// are not limited).
    pub bytes: usize,
    /// The longest query text, in bytes.
    pub query_length: usize,
    /// The largest request body, in bytes.
    pub body: usize,
    /// How long a client may take to send its request's headers, then its body, and to
    /// take in each part of the answer.
    pub client_timeout: Duration,
    /// The most connections open at once; more wait in the listen queue.
    pub connections: usize,
    /// The most requests working on the store at once; more wait a little, then get 503.
    pub concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            rows: 10_000,
            bytes: 16 << 20,
            query_length: 32 << 10,
            body: 64 << 10,
            client_timeout: Duration::from_secs(10),
            connections: 256,
            concurrent: 4,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "cannot listen on {address}: {source}; give another --bind address or port (port 0 picks a free one)"
    )]
    Listen {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(#[source] std::io::Error),
    #[error(transparent)]
    Graph(#[from] crate::Error),
}

/// What every request handler shares.
pub(crate) struct App {
    graph: KnowledgeGraph,
    config: Config,
    log: Log,
    work: Arc<Semaphore>,
    /// Jobs still running past their time limit.
    overrunning: AtomicUsize,
    site: pages::Site,
}

type Shared = Arc<App>;

/// Where a job on the store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Running,
    /// Still running past its time limit.
    Overran,
    Done,
}

/// How long a request waits for a turn on the store before it gets 503.
const QUEUE_WAIT: Duration = Duration::from_secs(5);

/// Serves `graph` until the process gets SIGTERM or SIGINT (Ctrl-C): then it stops
/// accepting connections, finishes the requests in flight, and returns. `ready` is called
/// with the address the server listens on (its port when `bind` asked for port 0) once it
/// accepts connections.
pub fn run(
    graph: KnowledgeGraph,
    config: Config,
    log: Log,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let site = pages::Site::read(&graph)?;
    // One thread per core for the connections; the work on the graph runs on blocking
    // threads, at most `--max-concurrent` at once.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .max_blocking_threads(config.limits.concurrent.max(1) + 8)
        .build()
        .map_err(ServeError::Runtime)?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| ServeError::Listen {
                address: config.bind,
                source,
            })?;
        let address = listener.local_addr().map_err(ServeError::Runtime)?;
        let limits = config.limits.clone();
        let app = Arc::new(App {
            graph,
            work: Arc::new(Semaphore::new(limits.concurrent.max(1))),
            overrunning: AtomicUsize::new(0),
            config,
            log: log.clone(),
            site,
        });
        let router = router(app);
        let stop = stop_signal().map_err(ServeError::Runtime)?;
        ready(address);
        // A request in flight has its whole time limit to finish.
        let drain = limits.timeout + limits.client_timeout * 2 + Duration::from_secs(1);
        connection::accept(
            listener,
            router,
            (limits.connections, limits.client_timeout),
            drain,
            log.clone(),
            stop,
        )
        .await;
        log("stopped");
        Ok(())
    });
    // A query that overran its time limit cannot be stopped: it is not waited for.
    runtime.shutdown_timeout(Duration::from_millis(500));
    served
}

/// A future that resolves at the first SIGTERM or SIGINT; a second one ends the process
/// at once (exit code 130), for an operator who does not want to wait.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    Ok(async move {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            tokio::spawn(async move {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
                std::process::exit(130);
            });
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    })
}

/// Every route.
fn router(app: Shared) -> Router {
    let limits = &app.config.limits;
    // A backstop: handlers answer their own time-outs; this catches anything else.
    let total = limits.client_timeout * 2 + limits.timeout + Duration::from_secs(5);
    let mut router = Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route(
            "/sparql",
            get(sparql::get)
                .post(sparql::post)
                .fallback(|| async { method_not_allowed("GET, POST") }),
        )
        .route(
            "/store",
            get(documents::graph_store).fallback(|| async {
                let mut response = Problem::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "this Graph Store is read-only: GET or HEAD a graph (?graph=IRI) or the default graph (?default); PUT, POST and DELETE are refused",
                )
                .into_response();
                allow(&mut response, "GET, HEAD");
                response
            }),
        )
        .route("/id/{*path}", get(documents::see_other))
        .route("/concept/{*path}", get(documents::see_other))
        .route("/doc/{*path}", get(documents::document))
        .route("/graph/{name}", get(documents::named_graph))
        .route("/ontology", get(documents::ontology))
        .route("/dataset", get(documents::dataset))
        .route("/context.jsonld", get(documents::context))
        .route("/class/{prefix}/{local}", get(pages::class))
        .route("/queries", get(pages::queries))
        .route("/queries/{name}", get(pages::run_query))
        .route("/assets/{file}", get(assets::asset))
        .route("/favicon.ico", get(assets::favicon));
    for format in crate::base::format::Format::ALL {
        router = router.route(
            &format!("/dataset.{}", format.extension()),
            get(move |state| documents::download(state, format)),
        );
        router = router.route(
            &format!("/ontology.{}", format.extension()),
            get(move |state, headers| documents::ontology_as(state, headers, format)),
        );
    }
    let mut router = router
        .fallback(not_found)
        .with_state(app.clone())
        .layer(DefaultBodyLimit::max(limits.body))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            total,
        ));
    if app.config.cors {
        router = router.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([Method::GET, Method::HEAD, Method::POST])
                .allow_headers([header::ACCEPT, header::CONTENT_TYPE])
                .expose_headers([header::CONTENT_TYPE, header::LOCATION]),
        );
    }
    router.layer(axum::middleware::from_fn_with_state(app, around))
}

/// Around every request: the safety headers, and the log line (method, path, status,
/// bytes sent, milliseconds), written when the response has been sent.
async fn around(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().to_string();
    let target = loggable(request.uri());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        // Pages load nothing from elsewhere and run only this server's scripts.
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
        );
    }
    let status = response.status().as_u16();
    let line = connection::LogLine {
        method,
        target,
        status,
        start,
        log: app.log.clone(),
    };
    response.map(|body| Body::new(connection::Logged::new(body, line)))
}

/// The request's path for the log, with at most 120 bytes of its query string: a URI
/// holds only printable ASCII, so nothing in it can act on a terminal.
fn loggable(uri: &axum::http::Uri) -> String {
    let mut target = uri.path().to_owned();
    if let Some(query) = uri.query() {
        target.push('?');
        let cut = query
            .char_indices()
            .map(|(i, _)| i)
            .take_while(|i| *i <= 120)
            .last()
            .unwrap_or(0);
        if query.len() > 120 {
            target.push_str(&query[..cut]);
            target.push('…');
        } else {
            target.push_str(query);
        }
    }
    target
}

impl App {
    /// Runs `job` on a blocking thread once a turn on the store is free; the job keeps its
    /// turn until it returns, even when its client has stopped waiting, so that a query
    /// that overruns still counts against [`Limits::concurrent`].
    ///
    /// The evaluator checks its cancellation only as it reads the store, so a query that
    /// computes without reading (a cross product under an aggregate) can outlive its time
    /// limit; its client gets 503 anyway, and the job is counted as overrunning until it
    /// ends. When every turn is held by such a job the server can serve nothing more: it
    /// says so and exits, so that whatever supervises it starts it afresh.
    async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        job: impl FnOnce(&App) -> T + Send + 'static,
    ) -> Result<T, Problem> {
        let permit = self.turn().await?;
        let app = self.clone();
        let state = Arc::new(std::sync::Mutex::new(Job::Running));
        let job_state = state.clone();
        let handle = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let value = job(&app);
            let mut state = job_state.lock().unwrap_or_else(|e| e.into_inner());
            if *state == Job::Overran {
                app.overrunning.fetch_sub(1, Ordering::SeqCst);
            }
            *state = Job::Done;
            value
        });
        let limit = self.config.limits.timeout + Duration::from_secs(2);
        match tokio::time::timeout(limit, handle).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the request failed unexpectedly",
            )),
            Err(_) => {
                let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                if *state == Job::Running {
                    *state = Job::Overran;
                    let overrunning = self.overrunning.fetch_add(1, Ordering::SeqCst) + 1;
                    let turns = self.config.limits.concurrent.max(1);
                    (self.log)(&format!(
                        "a query overran its time limit and cannot be stopped ({overrunning} of {turns} turns on the graph held by such queries)"
                    ));
                    if overrunning >= turns {
                        (self.log)(
                            "every turn on the graph is held by a query that cannot be stopped: exiting, so that the server can be started afresh",
                        );
                        // A moment for this answer to reach its client.
                        tokio::spawn(async {
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            std::process::exit(2);
                        });
                    }
                }
                Err(Problem::timeout(self.config.limits.timeout))
            }
        }
    }

    /// A turn on the store, waiting at most [`QUEUE_WAIT`].
    async fn turn(&self) -> Result<OwnedSemaphorePermit, Problem> {
        match tokio::time::timeout(QUEUE_WAIT, self.work.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Problem::busy()),
        }
    }

    /// Where a redirect to `path` (relative to the server's root) points: under the base
    /// when one is given, else relative to the request's own path.
    fn location(&self, request_path: &str, path: &str) -> String {
        match &self.config.base {
            Some(base) => format!("{base}/{path}"),
            None => format!("{}{path}", root(request_path)),
        }
    }
}

/// The relative path from a request's path to the server's root: `./` for `/x`,
/// `../` for `/a/x`, and so on, so that links work under any proxy prefix.
fn root(request_path: &str) -> String {
    let depth = request_path.matches('/').count().saturating_sub(1);
    if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    }
}

/// An error answer: a status and a message in plain text.
#[derive(Debug)]
pub(crate) struct Problem {
    status: StatusCode,
    message: String,
}

impl Problem {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy with other requests; try again shortly",
        )
    }

    fn timeout(limit: Duration) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request was stopped after {} s, the time limit of this server (--timeout); narrow the query down",
                limit.as_secs_f64()
            ),
        )
    }

    fn not_found(what: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what}"))
    }

    /// A library error: a time-out or a bad request as what it is, anything else as a
    /// server error.
    fn from_error(error: &crate::Error) -> Self {
        match error {
            crate::Error::Timeout { seconds } => Self::timeout(Duration::from_secs_f64(*seconds)),
            crate::Error::Usage(_)
            | crate::Error::QuerySyntax { .. }
            | crate::Error::Sparql(_)
            | crate::Error::Parameter { .. }
            | crate::Error::MissingParameter { .. }
            | crate::Error::UnknownQuery { .. }
            | crate::Error::WrongFormat { .. } => {
                Self::new(StatusCode::BAD_REQUEST, error.to_string())
            }
            _ => Self::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, format!("{}\n", self.message)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    }
}

fn method_not_allowed(allowed: &'static str) -> Response {
    let mut response = Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("this resource answers {allowed} only; the server is read-only"),
    )
    .into_response();
    allow(&mut response, allowed);
    response
}

fn allow(response: &mut Response, allowed: &'static str) {
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allowed));
}

async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed("GET, HEAD");
    }
    Problem::not_found(format!(
        "nothing at {}; the home page / links to everything this server has",
        uri.path()
    ))
    .into_response()
}

/// A complete answer with its media type (text types in UTF-8) and `Vary: Accept` when it
/// was negotiated.
fn answer(media_type: &str, body: impl Into<Body>, negotiated: bool) -> Response {
    let content_type = if media_type.starts_with("text/") {
        format!("{media_type}; charset=utf-8")
    } else {
        media_type.to_owned()
    };
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if negotiated {
        headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    }
    response
}

/// The answer when nothing on offer is acceptable.
fn not_acceptable(offers: &[&str]) -> Response {
    let mut response = Problem::new(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "none of the media types in the Accept header is available here; this resource is available as {}",
            offers.join(", ")
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// The `Accept` header of a request.
fn accept(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_relative() {
        assert_eq!(root("/"), "./");
        assert_eq!(root("/search"), "./");
        assert_eq!(root("/doc/org/unicef.html"), "../../");
        assert_eq!(root("/class/schema/Event"), "../../");
    }

    #[test]
    fn log_lines_keep_the_start_of_long_queries() {
        let uri: axum::http::Uri = format!("/sparql?query={}", "x".repeat(300))
            .parse()
            .unwrap();
        let target = loggable(&uri);
        assert!(target.starts_with("/sparql?query=xxx"), "{target}");
        assert!(target.ends_with('…'), "{target}");
        assert!(target.len() < 140, "{target}");
    }
}
