//! Connections: the accept loop, with a bound on open connections; HTTP/1.1 over each
//! with a time limit on the request headers; a time limit on every write, so that a
//! client that stops reading cannot hold a connection forever; and the response bodies
//! this server makes: streamed from a blocking writer, and counted for the request log.

use axum::Router;
use axum::body::{Body, Bytes};
use hyper::body::{Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::Log;

/// Largest request head (request line and headers) a client may send.
pub const MAX_HEAD: usize = 64 * 1024;

/// Accepts connections until `stop` resolves, at most `max_connections` at once (the
/// others wait in the listen queue), each served on a task of its own. Then it stops
/// accepting, lets every connection finish the request it is answering (idle ones are
/// closed), and returns when all have ended or `drain` has passed.
pub async fn accept(
    listener: TcpListener,
    app: Router,
    limits: (usize, Duration),
    drain: Duration,
    log: Log,
    stop: impl std::future::Future<Output = ()>,
) {
    let (max_connections, client_timeout) = limits;
    let max_connections = max_connections.max(1);
    let open = Arc::new(Semaphore::new(max_connections));
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            () = &mut stop => break,
            permit = open.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    log(&format!("cannot accept a connection: {error}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let io = TokioIo::new(WriteTimeout::new(stream, client_timeout));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(client_timeout)
                .max_buf_size(MAX_HEAD.max(8192))
                .serve_connection(io, service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopped.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    let in_flight = max_connections - open.available_permits();
    if in_flight > 0 {
        log(&format!(
            "stopping: waiting for {in_flight} open connection{} to finish",
            if in_flight == 1 { "" } else { "s" }
        ));
    }
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(drain, open.acquire_many(all))
        .await
        .is_err()
    {
        log("stopping: connections still open after the time limit are closed");
    }
}

/// A TCP stream whose writes fail when the client takes in nothing for `limit`.
struct WriteTimeout {
    stream: TcpStream,
    limit: Duration,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl WriteTimeout {
    fn new(stream: TcpStream, limit: Duration) -> Self {
        Self {
            stream,
            limit,
            deadline: None,
        }
    }

    /// What a pending write or flush becomes: still pending, or an error once the
    /// deadline, set when the client stopped taking data, has passed.
    fn waiting<T>(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<T>> {
        let limit = self.limit;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client took in nothing for too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for WriteTimeout {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteTimeout {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.stream).poll_write(cx, buf) {
            Poll::Pending => self.waiting(cx),
            ready => {
                self.deadline = None;
                ready
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match Pin::new(&mut self.stream).poll_flush(cx) {
            Poll::Pending => self.waiting(cx),
            ready => {
                self.deadline = None;
                ready
            }
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// A response body that a blocking task writes (an export, say) while it is sent: the
/// writer hands over chunks of 64 KiB, waiting while the client is slower than the
/// writer; it fails with a broken pipe once the client has gone, which ends the export.
/// The writer keeps `turn` (on the store) until it has written everything.
pub fn streamed(
    turn: OwnedSemaphorePermit,
    write: impl FnOnce(&mut dyn Write) -> crate::Result<()> + Send + 'static,
) -> Body {
    let (sender, receiver) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let mut writer = ChannelWriter {
            sender,
            buffer: Vec::with_capacity(CHUNK),
        };
        let result = write(&mut writer).and_then(|()| {
            writer.send().map_err(|source| crate::Error::Io {
                path: "<response>".into(),
                source,
            })
        });
        if let Err(error) = result {
            // The client sees the response cut short, not a complete-looking document.
            let _ = writer
                .sender
                .blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    Body::new(ChannelBody { receiver })
}

const CHUNK: usize = 64 * 1024;

struct ChannelWriter {
    sender: mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct ChannelBody {
    receiver: mpsc::Receiver<std::io::Result<Bytes>>,
}

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.receiver
            .poll_recv(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(Frame::data)))
    }
}

/// What the request log says about one request, written when its response body ends
/// (sent whole, or cut short by the client).
pub struct LogLine {
    pub method: String,
    pub target: String,
    pub status: u16,
    pub start: Instant,
    pub log: Log,
}

/// A response body that counts what it sends and writes the request's log line when it
/// is dropped: one line per request, with the bytes actually sent.
pub struct Logged {
    inner: Body,
    bytes: u64,
    line: Option<LogLine>,
}

impl Logged {
    pub fn new(inner: Body, line: LogLine) -> Self {
        Self {
            inner,
            bytes: 0,
            line: Some(line),
        }
    }
}

impl hyper::body::Body for Logged {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(data) = frame.data_ref()
        {
            self.bytes += data.len() as u64;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        if let Some(line) = self.line.take() {
            let ms = line.start.elapsed().as_secs_f64() * 1000.0;
            (line.log)(&format!(
                "{} {} {} {} B {ms:.1} ms",
                line.method, line.target, line.status, self.bytes
            ));
        }
    }
}
