//! The files pages use, compiled into the binary so that pages work offline: the style
//! sheet, the favicon, the search script of a static site (`tipkg site`), and the SPARQL editor (YASGUI, vendored under `assets/yasgui/`
//! with its licence) with the script that starts it.

use super::answer;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Name, media type and content of each file under `/assets/`.
pub const FILES: &[(&str, &str, &[u8])] = &[
    ("style.css", "text/css", include_bytes!("assets/style.css")),
    (
        "search.js",
        "text/javascript",
        include_bytes!("assets/search.js"),
    ),
    (
        "sparql.js",
        "text/javascript",
        include_bytes!("assets/sparql.js"),
    ),
    (
        "yasgui.min.js",
        "text/javascript",
        include_bytes!("assets/yasgui/yasgui.min.js"),
    ),
    (
        "yasgui.min.css",
        "text/css",
        include_bytes!("assets/yasgui/yasgui.min.css"),
    ),
    (
        "yasgui-LICENSE.txt",
        "text/plain",
        include_bytes!("assets/yasgui/LICENSE"),
    ),
];

pub const FAVICON: &[u8] = include_bytes!("assets/favicon.ico");

/// A file under `/assets/`, cached for a day.
pub async fn asset(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, media_type, content)) => cached(answer(media_type, *content, false)),
        None => super::Problem::not_found(format!("no asset {file}")).into_response(),
    }
}

/// `/favicon.ico`, which browsers ask for whatever the page says.
pub async fn favicon() -> Response {
    cached(answer("image/x-icon", FAVICON, false))
}

fn cached(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}
