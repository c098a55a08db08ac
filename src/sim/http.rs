//! HTTP plumbing: the listener that can be closed and reopened, the top-level request
//! entry (control routes, fault injection, then GitHub or Coolify), and response helpers.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

use super::shared::Shared;

/// Request bodies larger than this are refused.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Decoded query string (repeated keys keep the last value, as PHP does).
#[derive(Debug, Default, Clone)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        Query(
            raw.map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        )
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    json_response_sized(status, value, 0)
}

/// [`json_response`] into a buffer of `capacity` bytes up front, so a body of megabytes is
/// not copied over and over as it grows.
pub(crate) fn json_response_sized<T: Serialize + ?Sized>(
    status: StatusCode,
    value: &T,
    capacity: usize,
) -> Response {
    let mut out = Vec::with_capacity(capacity.max(128));
    match serde_json::to_writer(&mut out, value).map(|()| out) {
        Ok(bytes) => json_bytes(status, bytes),
        Err(_) => text_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "application/json",
            "{\"message\":\"Server Error\"}",
        ),
    }
}

pub(crate) fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
    resp
}

pub(crate) fn text_response(status: StatusCode, content_type: &str, body: &str) -> Response {
    let mut resp = Response::new(Body::from(body.to_string()));
    *resp.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}

/// Add headers (invalid names or values are skipped).
pub(crate) fn with_headers(mut resp: Response, headers: &[(&str, String)]) -> Response {
    for (k, v) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            resp.headers_mut().insert(name, value);
        }
    }
    resp
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(entry).with_state(shared)
}

/// Every request lands here.
async fn entry(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if let Some(rest) = path.strip_prefix("/_sim/health/") {
        // The simulated applications' own endpoints: faults apply, nothing is recorded.
        let fault = shared
            .traffic()
            .take_fault_unrecorded(req.method().as_str(), &path);
        if let Some(resp) = apply_fault(fault).await {
            return resp;
        }
        let world = shared.world();
        return super::health::answer(&world, req.method(), rest);
    }
    if path == "/_sim" || path.starts_with("/_sim/") {
        return super::control::endpoints::handle(&shared, req).await;
    }
    let fault = shared.traffic().take_fault(req.method().as_str(), &path);
    if let Some(resp) = apply_fault(fault).await {
        return resp;
    }
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &serde_json::json!({"message": "Payload too large."}),
            );
        }
    };
    let query = Query::parse(parts.uri.query());
    if path == "/github" || path.starts_with("/github/") {
        let rest = &path["/github".len()..];
        let (resp, advanced) = {
            let mut world = shared.world_mut();
            super::github::handle(
                &mut world,
                &parts.method,
                rest,
                &parts.headers,
                &query,
                &body,
            )
        };
        if advanced {
            super::lifecycle::dispatch(&shared);
        }
        return resp;
    }
    if path == "/api" || path.starts_with("/api/") {
        return super::coolify::handle(&shared, &parts, &query, body).await;
    }
    not_found_page()
}

/// Wait out a fault's delay; its canned answer, if it has one.
async fn apply_fault(fault: Option<super::traffic::FaultRule>) -> Option<Response> {
    let f = fault?;
    if let Some(d) = f.delay {
        tokio::time::sleep(d).await;
    }
    let r = f.respond?;
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let resp = text_response(status, &r.content_type, &r.body);
    let extra: Vec<(&str, String)> = r
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    Some(with_headers(resp, &extra))
}

/// Laravel's HTML 404 page for paths outside the API.
fn not_found_page() -> Response {
    text_response(
        StatusCode::NOT_FOUND,
        "text/html; charset=UTF-8",
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not Found</title></head>\n<body><div class=\"flex-center\"><div class=\"code\">404</div><div class=\"message\">Not Found</div></div></body>\n</html>\n",
    )
}

// ----- a listener that can be closed while the world lives on -----

/// Wraps the TCP listener: when `stop` is cancelled it drops the socket (so new
/// connections are refused) and reports that through `closed`.
pub(crate) struct KillableListener {
    inner: Option<TcpListener>,
    addr: SocketAddr,
    stop: CancellationToken,
    closed: Option<oneshot::Sender<()>>,
}

impl KillableListener {
    pub(crate) fn new(
        inner: TcpListener,
        stop: CancellationToken,
        closed: oneshot::Sender<()>,
    ) -> io::Result<Self> {
        let addr = inner.local_addr()?;
        Ok(Self {
            inner: Some(inner),
            addr,
            stop,
            closed: Some(closed),
        })
    }

    fn close(&mut self) {
        self.inner = None;
        if let Some(tx) = self.closed.take() {
            let _ = tx.send(());
        }
    }
}

impl axum::serve::Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let stop = self.stop.clone();
            let res = match self.inner.as_ref() {
                None => {
                    std::future::pending::<()>().await;
                    continue;
                }
                Some(listener) => tokio::select! {
                    _ = stop.cancelled() => None,
                    res = listener.accept() => Some(res),
                },
            };
            match res {
                None => self.close(),
                Some(Ok((stream, addr))) => {
                    let _ = stream.set_nodelay(true);
                    return (KillableStream::new(stream, self.stop.clone()), addr);
                }
                Some(Err(_)) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.addr)
    }
}

impl Drop for KillableListener {
    fn drop(&mut self) {
        self.close();
    }
}

/// A connection that reads end-of-file and fails writes once the listener is stopped, so
/// kept-alive connections die with it.
pub(crate) struct KillableStream {
    inner: TcpStream,
    stopped: Pin<Box<WaitForCancellationFutureOwned>>,
    dead: bool,
}

impl KillableStream {
    fn new(inner: TcpStream, stop: CancellationToken) -> Self {
        Self {
            inner,
            stopped: Box::pin(stop.cancelled_owned()),
            dead: false,
        }
    }

    fn check(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.dead && self.stopped.as_mut().poll(cx).is_ready() {
            self.dead = true;
        }
        self.dead
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.check(cx) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.check(cx) {
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
