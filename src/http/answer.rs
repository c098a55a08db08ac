//! An answer as it came back (status, headers, body), and what both APIs read from one:
//! the body, a JSON value or an error body, whether it is an HTML page instead, and a
//! short excerpt of it for messages.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::ApiError;
use super::transport::{Timeouts, TransportError};

/// A raw answer: status, headers and body, before decoding.
pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
    pub url: String,
}

/// A successful answer that is not JSON (a proxy's page, a login form), described for a
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotJson {
    pub url: String,
    pub status: u16,
    pub content_type: String,
    pub snippet: String,
}

impl Answer {
    /// A header's value, trimmed; `None` when absent or not text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    }

    /// `Retry-After` in seconds.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        self.header(RETRY_AFTER.as_str())
            .and_then(|v| v.parse().ok())
            .map(Duration::from_secs)
    }

    /// The status's standard reason ("Not Found"), for an error body without a message.
    pub(crate) fn reason(&self) -> &'static str {
        self.status.canonical_reason().unwrap_or("no message")
    }

    /// A short excerpt of the body: an HTML page's title when it has one.
    pub(crate) fn snippet(&self) -> String {
        snippet(&self.body)
    }

    pub(crate) fn not_json(&self) -> NotJson {
        NotJson {
            url: self.url.clone(),
            status: self.status.as_u16(),
            content_type: self
                .header(CONTENT_TYPE.as_str())
                .unwrap_or("no content type")
                .to_string(),
            snippet: self.snippet(),
        }
    }

    /// The body of a non-success answer as the API's error shape; `None` when it is an
    /// HTML page or not of that shape.
    pub(crate) fn error_body<B: DeserializeOwned>(&self) -> Option<B> {
        if looks_like_html(&self.body) {
            None
        } else {
            serde_json::from_slice(&self.body).ok()
        }
    }

    /// Decode a successful answer's JSON body with `parse`; an HTML page is
    /// [`ApiError::not_json`], anything else that does not parse
    /// [`ApiError::undecodable`] for `endpoint`.
    pub(crate) fn decode<T, E: ApiError>(
        &self,
        endpoint: &str,
        parse: impl FnOnce(&[u8]) -> Result<T, serde_json::Error>,
    ) -> Result<T, E> {
        if looks_like_html(&self.body) {
            return Err(E::not_json(self.not_json()));
        }
        parse(&self.body).map_err(|e| {
            E::undecodable(
                endpoint,
                if self.body.is_empty() {
                    "the body was empty".into()
                } else {
                    e.to_string()
                },
            )
        })
    }
}

/// Whether a body is a markup page rather than JSON or text.
pub(crate) fn looks_like_html(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

/// A short, single-line excerpt of a body: an HTML page's title when it has one.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>"))
        && start + 7 <= end
    {
        return format!("page titled \"{}\"", text[start + 7..end].trim());
    }
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = flat.chars().take(80).collect();
    if flat.chars().count() > 80 {
        cut.push('…');
    }
    if cut.is_empty() {
        "empty body".into()
    } else {
        format!("\"{cut}\"")
    }
}

/// The whole body, read chunk by chunk into one buffer sized from `Content-Length`: a
/// multi-megabyte answer is held once, not as its chunks plus their concatenation. A body
/// longer than `limit` bytes is [`TransportError::TooLarge`] as soon as that is known (a
/// server that never stops sending is not read to its end).
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    url: &str,
    limit: usize,
    timeouts: &Timeouts,
) -> Result<bytes::Bytes, TransportError> {
    let too_large = || TransportError::TooLarge {
        url: url.to_string(),
        limit,
    };
    let transport = |e: reqwest::Error| TransportError::of(url, &e, timeouts);
    let expected = response.content_length().unwrap_or(0);
    if expected > limit as u64 {
        return Err(too_large());
    }
    let Some(first) = response.chunk().await.map_err(transport)? else {
        return Ok(bytes::Bytes::new());
    };
    let Some(second) = response.chunk().await.map_err(transport)? else {
        return if first.len() > limit {
            Err(too_large())
        } else {
            Ok(first)
        };
    };
    /// Never trust a length header for more than this up front.
    const MAX_RESERVE: u64 = 256 * 1024 * 1024;
    let reserve = expected.min(MAX_RESERVE) as usize;
    let mut body = Vec::with_capacity(reserve.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    drop((first, second));
    while body.len() <= limit {
        let Some(chunk) = response.chunk().await.map_err(transport)? else {
            return Ok(body.into());
        };
        body.extend_from_slice(&chunk);
    }
    Err(too_large())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_prefer_the_page_title() {
        assert_eq!(
            snippet(b"<html><head><title>502 Bad Gateway</title></head></html>"),
            "page titled \"502 Bad Gateway\""
        );
        assert_eq!(snippet(b""), "empty body");
        assert!(snippet("x".repeat(200).as_bytes()).ends_with("…\""));
    }

    #[test]
    fn html_is_told_apart_from_json() {
        assert!(looks_like_html(b"  \n<!doctype html>"));
        assert!(!looks_like_html(br#"{"message":"<b>"}"#));
        assert!(!looks_like_html(b""));
    }
}
