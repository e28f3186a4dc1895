//! HTTP for publishing: one blocking client with timeouts, authentication, retries with
//! back-off for requests that are safe to repeat, progress while a body streams out, bodies
//! written while they are sent (a bounded [`pipe`]), and errors that carry the server's own
//! message (text extracted from HTML error pages).

use super::auth::Auth;
use crate::base::error::{Advice, Cause, Error, Result, chain};
use crate::base::progress::Share;
use bytes::Bytes;
use reqwest::blocking::{Body, RequestBuilder};
use reqwest::header::{ACCEPT, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode, Url};
use std::io::{Cursor, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Receives one line per request and answer, for `-v`; the secret is already redacted.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// Timeouts and retries.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long to wait for an answer to start, and then for each part of its body; a
    /// request that carries or moves triples gets a second more per
    /// [`SECONDS_PER_TRIPLES`] of them.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retries: u32,
    pub backoff: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECONDS),
            connect_timeout: Duration::from_secs(10),
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// The default of `--timeout`.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

/// A request that carries or moves triples may take one more second per this many.
pub const SECONDS_PER_TRIPLES: u64 = 10_000;

/// One request. Bodies are held in memory so that a retry can send them again, or streamed
/// (`stream`, sent with chunked encoding), which is sent once and never repeated.
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub content_type: Option<&'static str>,
    pub accept: Option<&'static str>,
    pub body: Option<Bytes>,
    /// A body read as it is sent (see [`pipe`]); it can be sent only once.
    pub stream: Option<Stream>,
    /// Sending it twice leaves the store as sending it once (reads, `PUT`, `DROP`,
    /// `INSERT DATA` without blank nodes); `MOVE` is not.
    pub repeatable: bool,
    /// The progress of the triples the body carries, moved as the body streams out.
    pub progress: Option<Share>,
    /// The triples the request has the store copy or move inside itself (a swap's `MOVE`),
    /// which earn time as carried ones do.
    pub moves: u64,
}

impl Request {
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            content_type: None,
            accept: None,
            body: None,
            stream: None,
            repeatable: true,
            progress: None,
            moves: 0,
        }
    }
}

/// A server's answer.
pub struct Response {
    pub status: StatusCode,
    pub body: String,
    /// The answer's headers (Virtuoso tells of a result cut short in `X-SQL-State`).
    pub headers: reqwest::header::HeaderMap,
}

pub struct Client {
    http: reqwest::blocking::Client,
    auth: Auth,
    settings: Settings,
    log: Option<Log>,
}

impl Client {
    pub fn new(auth: Auth, settings: Settings, log: Option<Log>) -> Result<Self> {
        let http = reqwest::blocking::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .user_agent(concat!("tipkg/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::HttpSetup(e.into()))?;
        Ok(Self {
            http,
            auth,
            settings,
            log,
        })
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    fn log(&self, line: impl FnOnce() -> String) {
        if let Some(log) = &self.log {
            log(&self.auth.redact(&line()));
        }
    }

    /// Sends a request and expects a 2xx answer; anything else is an error with the
    /// server's message.
    pub fn send_ok(&self, request: Request) -> Result<Response> {
        let url = request.url.clone();
        let response = self.send(request)?;
        if response.status.is_success() {
            Ok(response)
        } else {
            Err(self.status_error(&url, &response))
        }
    }

    /// Sends a request, retrying as its kind allows, and returns whatever status came back.
    pub fn send(&self, request: Request) -> Result<Response> {
        let mut attempt = 0;
        let mut answered_challenge = false;
        // A streamed body is gone once sent: such a request is never sent again.
        let retries = match request.stream {
            Some(_) => 0,
            None => self.settings.retries,
        };
        loop {
            if self.auth.is_digest() && !self.auth.has_challenge(&request.url) {
                self.fetch_challenge(&request.url);
            }
            let started = Instant::now();
            self.log(|| {
                let size = request
                    .body
                    .as_ref()
                    .map(|b| format!(" ({} bytes)", b.len()))
                    .or_else(|| request.stream.as_ref().map(|_| " (streamed)".to_owned()))
                    .unwrap_or_default();
                format!("> {} {}{size}", request.method, request.url)
            });
            match self.build(&request).send() {
                Ok(response) => {
                    let status = response.status();
                    self.log(|| format!("< {status} in {:.2} s", started.elapsed().as_secs_f64()));
                    if status == StatusCode::UNAUTHORIZED
                        && !answered_challenge
                        && request.stream.is_none()
                    {
                        let challenge = response
                            .headers()
                            .get(WWW_AUTHENTICATE)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        if self.auth.remember_challenge(&request.url, challenge) {
                            answered_challenge = true;
                            continue;
                        }
                    }
                    if status.is_server_error() && request.repeatable && attempt < retries {
                        attempt += 1;
                        self.wait(attempt, &format!("HTTP {status}"));
                        continue;
                    }
                    let headers = response.headers().clone();
                    match read_body(response) {
                        Ok(body) => {
                            return Ok(Response {
                                status,
                                body,
                                headers,
                            });
                        }
                        Err(error) => {
                            // The answer was cut short (closed early, a broken chunk, a
                            // timeout while it streamed): never taken for a whole one.
                            let message = self.auth.redact(&describe_io(&error));
                            if request.repeatable && !is_timeout(&error) && attempt < retries {
                                attempt += 1;
                                self.wait(attempt, &message);
                                continue;
                            }
                            let advice = is_timeout(&error).then(|| Advice::Stalled {
                                seconds: self.timeout(&request).as_secs(),
                            });
                            return Err(Error::Remote {
                                url: request.url.to_string(),
                                message: format!(
                                    "the answer ({status}) was cut short: {message}{}",
                                    tries(attempt)
                                ),
                                advice,
                                source: self.kept(error),
                            });
                        }
                    }
                }
                Err(error) => {
                    // A refused connection never reached the server: always safe to retry.
                    // A store that did not answer within the timeout is not asked again.
                    let retry = error.is_connect() || (request.repeatable && !error.is_timeout());
                    let mut message = self.auth.redact(&describe(&error));
                    if request.stream.is_some() && !error.is_timeout() && !error.is_connect() {
                        // The client's own words name its channels ("receiver is gone").
                        message = format!(
                            "the store closed the connection before the whole body was sent ({message})"
                        );
                    }
                    if retry && attempt < retries {
                        attempt += 1;
                        self.wait(attempt, &message);
                        continue;
                    }
                    let advice = if error.is_timeout() {
                        Some(Advice::NoAnswer {
                            seconds: self.timeout(&request).as_secs(),
                        })
                    } else if error.is_connect() {
                        Some(Advice::Unreachable)
                    } else {
                        None
                    };
                    return Err(Error::Remote {
                        url: request.url.to_string(),
                        message: format!("{message}{}", tries(attempt)),
                        advice,
                        source: self.kept(error),
                    });
                }
            }
        }
    }

    /// The cause of an error whose message was made from its text: kept, unless the message
    /// had to hide a secret that the cause's own words would show.
    fn kept(&self, error: impl std::error::Error + Send + Sync + 'static) -> Option<Cause> {
        let text = chain(&error);
        (self.auth.redact(&text) == text).then(|| Box::new(error) as Cause)
    }

    /// The time a request may take: the timeout, plus time for the triples it carries or
    /// moves.
    fn timeout(&self, request: &Request) -> Duration {
        let carried = request.progress.as_ref().map_or(0, Share::units);
        let triples = carried.saturating_add(request.moves);
        self.settings
            .timeout
            .saturating_add(Duration::from_secs(triples / SECONDS_PER_TRIPLES))
    }

    fn build(&self, request: &Request) -> RequestBuilder {
        let mut builder = self
            .http
            .request(request.method.clone(), request.url.clone())
            .timeout(self.timeout(request));
        if let Some(content_type) = request.content_type {
            builder = builder.header(CONTENT_TYPE, content_type);
        }
        if let Some(accept) = request.accept {
            builder = builder.header(ACCEPT, accept);
        }
        builder = self
            .auth
            .apply(builder, request.method.as_str(), &request.url);
        if let Some(body) = &request.body {
            let len = body.len() as u64;
            builder = match &request.progress {
                Some(share) => builder.body(Body::sized(
                    ProgressReader {
                        inner: Cursor::new(body.clone()),
                        share: share.clone(),
                        len: len.max(1),
                    },
                    len,
                )),
                None => builder.body(body.clone()),
            };
        } else if let Some(stream) = request.stream.as_ref().and_then(Stream::take) {
            builder = builder.body(Body::new(stream));
        }
        builder
    }

    /// Asks the server for its Digest challenge with a bodiless GET, so that a large body
    /// is not sent once only to be refused.
    fn fetch_challenge(&self, url: &Url) {
        if let Ok(response) = self.http.get(url.clone()).send()
            && response.status() == StatusCode::UNAUTHORIZED
            && let Some(challenge) = response
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
        {
            self.auth.remember_challenge(url, challenge);
        }
    }

    fn wait(&self, attempt: u32, reason: &str) {
        let delay = self.settings.backoff * 2u32.pow(attempt - 1);
        self.log(|| {
            format!(
                "! {reason}: retry {attempt} of {} in {:.1} s",
                self.settings.retries,
                delay.as_secs_f64()
            )
        });
        std::thread::sleep(delay);
    }

    /// The error for an unexpected status, with the server's message and what to do.
    pub fn status_error(&self, url: &Url, response: &Response) -> Error {
        let mut message = format!("HTTP {}", response.status);
        let text = server_message(&response.body);
        if !text.is_empty() {
            message.push_str(": ");
            message.push_str(&text);
        }
        let refused =
            response.status == StatusCode::UNAUTHORIZED || response.status == StatusCode::FORBIDDEN;
        let advice = refused.then(|| {
            if self.auth.is_none() {
                Advice::Credentials
            } else {
                Advice::WrongCredentials
            }
        });
        Error::Remote {
            url: url.to_string(),
            message: self.auth.redact(&message),
            advice,
            source: None,
        }
    }
}

fn tries(attempt: u32) -> String {
    if attempt > 0 {
        format!(" (after {} attempts)", attempt + 1)
    } else {
        String::new()
    }
}

/// Reads a whole answer. Each read waits at most the timeout, so a large answer that keeps
/// coming is not cut off; an answer that ends before its `Content-Length`, a chunked body
/// without its last chunk, and a stall are errors.
fn read_body(mut response: reqwest::blocking::Response) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    response.read_to_end(&mut bytes)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    })
}

fn is_timeout(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::TimedOut
        || error
            .get_ref()
            .and_then(|e| e.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout)
}

/// An error while reading a body and its causes on one line.
fn describe_io(error: &std::io::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if is_timeout(error) && !parts.iter().any(|p| p.contains("timed out")) {
        parts.insert(0, "timed out".into());
    }
    parts.join(": ")
}

/// The transport error and its causes on one line ("connection refused", "timed out").
fn describe(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if error.is_timeout() {
        parts.insert(0, "timed out".into());
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

/// The readable text of an error body: HTML pages (Virtuoso's) lose their markup, the
/// query Virtuoso echoes back is cut, and very long text is shortened.
pub fn server_message(body: &str) -> String {
    let mut text = if body.contains("<html") || body.contains("<HTML") || body.contains("<body") {
        html_text(body)
    } else {
        body.to_owned()
    };
    if let Some(at) = text.find("SPARQL query:") {
        text.truncate(at);
    }
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    const LIMIT: usize = 600;
    if text.len() > LIMIT {
        let mut cut = LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str(" [...]");
    }
    text
}

/// The text of an HTML page's body, without tags, entities decoded.
fn html_text(html: &str) -> String {
    let start = html
        .find("<body")
        .and_then(|at| html[at..].find('>').map(|end| at + end + 1))
        .unwrap_or(0);
    let body = &html[start..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Streams a body and moves its progress in proportion to the bytes sent.
struct ProgressReader {
    inner: Cursor<Bytes>,
    share: Share,
    len: u64,
}

impl Read for ProgressReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let sent = self.inner.position();
        self.share.reach(self.share.units() * sent / self.len);
        Ok(n)
    }
}

/// What a request carries: bytes held (which a retry sends again), or a body read as it
/// is sent (sent once).
pub enum Payload {
    Bytes(Bytes),
    Stream(Box<dyn Read + Send>),
}

impl Request {
    /// The request with `payload` as its body.
    pub fn with_payload(mut self, payload: Payload) -> Self {
        match payload {
            Payload::Bytes(bytes) => self.body = Some(bytes),
            Payload::Stream(reader) => self.stream = Some(Stream::new(reader)),
        }
        self
    }
}

/// A request body read as it is sent.
pub struct Stream(Mutex<Option<Box<dyn Read + Send>>>);

impl Stream {
    pub fn new(reader: impl Read + Send + 'static) -> Self {
        Self(Mutex::new(Some(Box::new(reader))))
    }

    fn take(&self) -> Option<Box<dyn Read + Send>> {
        self.0.lock().ok()?.take()
    }
}

/// The most chunks a [`pipe`] holds that are written and not yet sent.
const PIPE_CHUNKS: usize = 16;

/// The size of the chunks a [`PipeWriter`] hands over.
const PIPE_CHUNK: usize = 256 * 1024;

/// A bounded pipe for a streamed request body: one thread writes the body while the
/// client sends what is written, holding at most a few megabytes in between. The body ends
/// only when the writer calls [`PipeWriter::finish`]: a writer dropped before (its thread
/// failed or stopped) makes the reader fail, so that the server never takes a truncated
/// body for a whole one.
pub fn pipe() -> (PipeWriter, PipeReader) {
    let (sender, receiver) = sync_channel(PIPE_CHUNKS);
    let writer = PipeWriter {
        sender,
        chunk: Vec::with_capacity(PIPE_CHUNK),
    };
    let reader = PipeReader {
        receiver,
        chunk: Cursor::new(Vec::new()),
        ended: false,
    };
    (writer, reader)
}

enum Piece {
    Bytes(Vec<u8>),
    End,
}

/// The writing end of a [`pipe`]. Writing fails once the reader is gone (the request
/// ended early).
pub struct PipeWriter {
    sender: SyncSender<Piece>,
    chunk: Vec<u8>,
}

impl PipeWriter {
    fn hand_over(&mut self) -> std::io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(PIPE_CHUNK));
        self.sender
            .send(Piece::Bytes(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the request ended"))
    }

    /// Ends the body: what was written is all of it.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.hand_over()?;
        self.sender
            .send(Piece::End)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the request ended"))
    }
}

impl Write for PipeWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.chunk.extend_from_slice(buf);
        if self.chunk.len() >= PIPE_CHUNK {
            self.hand_over()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The reading end of a [`pipe`], the body of a request.
pub struct PipeReader {
    receiver: Receiver<Piece>,
    chunk: Cursor<Vec<u8>>,
    ended: bool,
}

impl Read for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.chunk.read(buf)?;
            if n > 0 || self.ended || buf.is_empty() {
                return Ok(n);
            }
            match self.receiver.recv() {
                Ok(Piece::Bytes(bytes)) => self.chunk = Cursor::new(bytes),
                Ok(Piece::End) => self.ended = true,
                Err(_) => {
                    return Err(std::io::Error::other(
                        "the body stopped before its end (its writer failed or was stopped)",
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_ends_only_when_finished() {
        let (mut writer, mut reader) = pipe();
        let sender = std::thread::spawn(move || {
            for i in 0..100_000 {
                writeln!(writer, "line {i}").unwrap();
            }
            writer.finish().unwrap();
        });
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        sender.join().unwrap();
        assert_eq!(text.lines().count(), 100_000);
        assert!(text.ends_with("line 99999\n"));

        // A writer dropped before its end is an error for the reader, not an end.
        let (mut writer, mut reader) = pipe();
        writer.write_all(b"partial").unwrap();
        drop(writer);
        let error = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(
            error.to_string().contains("stopped before its end"),
            "{error}"
        );

        // A reader gone makes the writer fail instead of blocking.
        let (mut writer, reader) = pipe();
        drop(reader);
        let written = (0..PIPE_CHUNKS + 2).try_for_each(|_| writer.write_all(&[0; PIPE_CHUNK]));
        assert!(written.is_err());
    }

    #[test]
    fn a_request_that_moves_triples_earns_time_for_them() {
        let client = Client::new(crate::net::auth::Auth::None, Settings::default(), None).unwrap();
        let url = Url::parse("http://127.0.0.1:7878/update").unwrap();
        let mut request = Request::new(Method::POST, url);
        let base = Duration::from_secs(DEFAULT_TIMEOUT_SECONDS);
        assert_eq!(client.timeout(&request), base);
        request.moves = 1_000_000;
        assert_eq!(client.timeout(&request), base + Duration::from_secs(100));
    }

    #[test]
    fn virtuoso_html_errors_become_text() {
        let page = "<!DOCTYPE html><html><head><title>Error</title></head><body>\n<h1>HTTP/1.1 500 Request Failed</h1>\n<h3>Error 22023</h3>\n<xmp>The PUT request for graph &lt;http://ex/g&gt; is rejected</xmp></body></html>";
        assert_eq!(
            server_message(page),
            "HTTP/1.1 500 Request Failed Error 22023 The PUT request for graph <http://ex/g> is rejected"
        );
    }

    #[test]
    fn echoed_queries_are_cut() {
        let text = "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error\n\nSPARQL query:\nINSERT DATA { ... }";
        assert_eq!(
            server_message(text),
            "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error"
        );
    }
}
