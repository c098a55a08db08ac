//! HTTP plumbing the simulators answer with: the decoded query string, JSON and text
//! responses, extra headers.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;

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

/// An answer whose body is `start`, then `repeat` over and over until the client hangs up.
pub(crate) fn endless_response(
    status: StatusCode,
    content_type: &str,
    start: &str,
    repeat: &str,
) -> Response {
    /// Bytes of repeats per chunk sent.
    const CHUNK: usize = 64 * 1024;
    let chunk = bytes::Bytes::from(repeat.repeat(CHUNK / repeat.len().max(1) + 1));
    let first = bytes::Bytes::from(start.to_string());
    let chunks = std::iter::once(first).chain(std::iter::repeat(chunk));
    let stream = futures::stream::iter(chunks.map(Ok::<_, std::convert::Infallible>));
    let mut resp = Response::new(Body::from_stream(stream));
    *resp.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
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
