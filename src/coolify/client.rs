//! The Coolify side of the REST core: the API root, the headers Coolify wants, decoding
//! answers leniently (large ones off the async task, lists while they arrive), and reading
//! Coolify's error answers into typed errors.

use std::sync::Mutex;

use secrecy::SecretString;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::CoolifyError;
use super::stream::{ListDecoder, Memo, SplitError};
use crate::http::{Answer, ApiError, Incremental, Interrupt, Options, Rest, Target};
use crate::model::Accepted;

/// Bodies at least this large are decoded off the async task.
const BIG_BODY: usize = 256 * 1024;

/// Coolify renders some errors as JSON only when asked for JSON (API-NOTES §2).
const HEADERS: &[(&str, &str)] = &[("accept", "application/json")];

/// What a plain-text endpoint is asked for (see [`Client::get_text`]).
pub(super) const TEXT: &str = "application/json, text/html;q=0.9, text/plain;q=0.8";

/// A Coolify REST client for one server and one token.
#[derive(Debug, Clone)]
pub struct Client {
    rest: Rest,
}

/// Reads a list answer item by item (see [`super::stream`]), decoding them in batches
/// beside the transfer. Every item is kept: it holds as much as it was fed.
struct ListReader<'m, T> {
    decoder: ListDecoder<'m, T>,
    fed: usize,
}

fn interrupt(err: SplitError) -> Interrupt {
    match err {
        SplitError::NotAList => Interrupt::Whole(Vec::new()),
        SplitError::Syntax(detail) => Interrupt::Broken(detail),
    }
}

impl<T: DeserializeOwned + Clone + Send + 'static> Incremental for ListReader<'_, T> {
    type Output = Vec<T>;

    fn feed(&mut self, chunk: &[u8]) -> Result<(), Interrupt> {
        self.fed += chunk.len();
        match self.decoder.feed(chunk) {
            Err(SplitError::NotAList) => Err(Interrupt::Whole(
                std::mem::replace(&mut self.decoder, ListDecoder::new(None)).into_pending(),
            )),
            other => other.map_err(interrupt),
        }
    }

    fn held(&self) -> usize {
        self.fed
    }

    async fn settle(&mut self, all: bool) -> Result<(), Interrupt> {
        self.decoder.settle(all).await.map_err(interrupt)
    }

    fn finish(self) -> Result<Vec<T>, Interrupt> {
        self.decoder.finish().map_err(interrupt)
    }
}

impl Client {
    /// A client for the Coolify at `base_url` (`https://coolify.example.com`, with or without
    /// a trailing `/api/v1`).
    pub fn new(base_url: &str, token: SecretString) -> Result<Self, CoolifyError> {
        Self::with_options(base_url, token, Options::default())
    }

    pub fn with_options(
        base_url: &str,
        token: SecretString,
        options: Options,
    ) -> Result<Self, CoolifyError> {
        let api = api_root(base_url)?;
        let rest =
            Rest::new(api, token, HEADERS, options).map_err(|e| CoolifyError::InvalidUrl {
                url: base_url.to_string(),
                detail: e.to_string(),
            })?;
        Ok(Self { rest })
    }

    /// The API root, e.g. `https://coolify.example.com/api/v1`.
    pub fn api_url(&self) -> &str {
        self.rest.api()
    }

    /// The bearer token, for redacting it from anything written down.
    pub fn token(&self) -> &SecretString {
        self.rest.token()
    }

    /// The server's address as a user would type it (without `/api/v1`).
    pub fn base_url(&self) -> &str {
        let api = self.rest.api();
        api.strip_suffix("/api/v1").unwrap_or(api)
    }

    pub(crate) async fn get<T: DeserializeOwned + Send + 'static>(
        &self,
        target: Target,
    ) -> Result<T, CoolifyError> {
        let started = std::time::Instant::now();
        let answer = self.send(&target, None::<&()>).await?;
        let fetched = started.elapsed();
        let bytes = answer.body.len();
        let path = target.path();
        // A large body (`GET /applications` of a big team is megabytes) is decoded on the
        // blocking pool, so the requests and decodes of the rest of a load go on meanwhile.
        let value = if bytes >= BIG_BODY {
            let endpoint = path.to_string();
            tokio::task::spawn_blocking(move || decode(&endpoint, &answer))
                .await
                .map_err(|e| CoolifyError::Decode {
                    endpoint: path.to_string(),
                    detail: format!("the decoding task stopped: {e}"),
                })??
        } else {
            decode(path, &answer)?
        };
        tracing::debug!(
            path,
            bytes,
            fetched_ms = fetched.as_secs_f64() * 1e3,
            decoded_ms = (started.elapsed() - fetched).as_secs_f64() * 1e3,
            "GET"
        );
        Ok(value)
    }

    /// A list answer whose items that do not fit are skipped, not failing the whole list.
    /// Its items are decoded while it arrives (see [`super::stream`]).
    pub(crate) async fn get_list<T: DeserializeOwned + Clone + Send + 'static>(
        &self,
        target: Target,
    ) -> Result<Vec<T>, CoolifyError> {
        self.get_list_with(target, None).await
    }

    /// [`Client::get_list`] for a list that may be read again and again: with a `memo`,
    /// items unchanged since the last read are taken from it instead of being decoded.
    pub(crate) async fn get_list_with<T: DeserializeOwned + Clone + Send + 'static>(
        &self,
        target: Target,
        memo: Option<&Mutex<Memo<T>>>,
    ) -> Result<Vec<T>, CoolifyError> {
        self.stream_get(
            &target,
            || ListReader {
                decoder: ListDecoder::new(memo),
                fed: 0,
            },
            |list: super::wire::List<T>| Ok(list.0),
        )
        .await
    }

    /// A plain-text answer (`GET /version`), trimmed. The spec documents these answers as
    /// `text/html`: that is asked for beside JSON, which comes first so that errors still
    /// come as JSON, and a gateway that checks the answer's type against `Accept` lets
    /// the text through.
    pub(crate) async fn get_text(&self, target: Target) -> Result<String, CoolifyError> {
        let target = target.accepting(TEXT);
        let answer = self.send(&target, None::<&()>).await?;
        let text = String::from_utf8_lossy(&answer.body).trim().to_string();
        if text.starts_with('<') {
            return Err(CoolifyError::not_json(answer.not_json()));
        }
        Ok(text)
    }

    /// Send `target` with `body` (if any) and decode the answer.
    pub(crate) async fn call<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        target: Target,
        body: Option<&B>,
    ) -> Result<T, CoolifyError> {
        let answer = self.send(&target, body).await?;
        decode(target.path(), &answer)
    }

    /// Send an action without a body and read Coolify's acceptance, whose shape is `W`.
    pub(crate) async fn accepted<W: DeserializeOwned + Into<Accepted>>(
        &self,
        target: Target,
    ) -> Result<Accepted, CoolifyError> {
        let answer: W = self.call(target, None::<&()>).await?;
        Ok(answer.into())
    }

    /// Send one request (an idempotent one retried on transient failures) and map every
    /// non-success answer to a typed error.
    pub(crate) async fn send<B: Serialize + ?Sized>(
        &self,
        target: &Target,
        body: Option<&B>,
    ) -> Result<Answer, CoolifyError> {
        self.rest
            .send(target, body, |answer| classify(target, answer))
            .await
    }

    /// `GET` an answer decoded by an [`Incremental`] reader (a fresh one from `start` per
    /// attempt) while it arrives; retried like [`Client::send`]. An answer that is not of
    /// the reader's shape is read whole, decoded as a `W` for the usual errors, and turned
    /// into the output by `whole`.
    pub(crate) async fn stream_get<I, W>(
        &self,
        target: &Target,
        start: impl Fn() -> I,
        whole: impl Fn(W) -> Result<I::Output, CoolifyError>,
    ) -> Result<I::Output, CoolifyError>
    where
        I: Incremental,
        W: DeserializeOwned,
    {
        self.rest
            .stream_get(
                target,
                start,
                |answer| classify(target, answer),
                |answer| whole(decode::<W>(target.path(), &answer)?),
            )
            .await
    }
}

/// Normalise a user's URL to the API root.
fn api_root(base_url: &str) -> Result<String, CoolifyError> {
    let (trimmed, _) =
        crate::http::api_address(base_url).map_err(|detail| CoolifyError::InvalidUrl {
            url: base_url.to_string(),
            detail,
        })?;
    let root = trimmed
        .strip_suffix("/api/v1")
        .or_else(|| trimmed.strip_suffix("/api"))
        .unwrap_or(trimmed);
    Ok(format!("{root}/api/v1"))
}

/// Decode a successful answer's JSON body.
pub(crate) fn decode<T: DeserializeOwned>(path: &str, answer: &Answer) -> Result<T, CoolifyError> {
    answer.decode(path, super::wire::from_slice)
}

#[derive(serde::Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    errors: Option<std::collections::BTreeMap<String, ErrorMessages>>,
}

/// Laravel gives a list of messages per field; be lenient about a single string.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ErrorMessages {
    Many(Vec<String>),
    One(String),
}

/// Map a non-success answer to the typed error for its documented shape.
fn classify(target: &Target, answer: &Answer) -> CoolifyError {
    let status = answer.status.as_u16();
    let Some(body) = answer.error_body::<ErrorBody>() else {
        return match status {
            500.. => CoolifyError::Server {
                status,
                message: answer.snippet(),
            },
            _ => CoolifyError::not_json(answer.not_json()),
        };
    };
    let message = body
        .message
        .clone()
        .or_else(|| body.error.clone())
        .unwrap_or_else(|| answer.reason().to_string());
    match status {
        401 => CoolifyError::Unauthorized { message },
        400 if message.starts_with("Invalid token") => CoolifyError::Unauthorized { message },
        403 if body.success == Some(true) => CoolifyError::ApiDisabled { message },
        403 => match message.strip_prefix("Missing required permissions:") {
            Some(ability) => CoolifyError::MissingPermission {
                ability: ability.trim().trim_end_matches('.').to_string(),
            },
            None => CoolifyError::Forbidden { message },
        },
        404 => CoolifyError::NotFound {
            subject: target.subject(),
            request: target.request_line(),
            message,
        },
        405 => CoolifyError::MethodNotAllowed {
            method: target.endpoint().verb.to_string(),
            path: target.path().to_string(),
            message,
        },
        409 => CoolifyError::Conflict { message },
        422 => CoolifyError::Validation {
            message,
            errors: body
                .errors
                .unwrap_or_default()
                .into_iter()
                .map(|(field, msgs)| {
                    let msgs = match msgs {
                        ErrorMessages::Many(m) => m,
                        ErrorMessages::One(m) => vec![m],
                    };
                    (field, msgs)
                })
                .collect(),
        },
        429 => CoolifyError::RateLimited {
            message,
            retry_after: answer.retry_after(),
        },
        400 => CoolifyError::BadRequest {
            message: match body.error {
                Some(detail) if detail != message => format!("{message} {detail}"),
                _ => message,
            },
        },
        500.. => CoolifyError::Server { status, message },
        _ => CoolifyError::Unexpected { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_root_accepts_the_usual_spellings() {
        for url in [
            "https://c.example.com",
            "https://c.example.com/",
            "https://c.example.com/api/v1",
            "https://c.example.com/api/v1/",
            " https://c.example.com/api ",
        ] {
            assert_eq!(
                api_root(url).unwrap(),
                "https://c.example.com/api/v1",
                "{url}"
            );
        }
        assert!(matches!(
            api_root("c.example.com"),
            Err(CoolifyError::InvalidUrl { .. })
        ));
        assert!(matches!(
            api_root("ftp://c.example.com"),
            Err(CoolifyError::InvalidUrl { .. })
        ));
    }
}
