//! Endpoints as data: each API declares its routes (a method and a path template such as
//! `/applications/{uuid}`) in one table (the `routes!` macro), and its client can only send
//! a request made from one of them, with the template's placeholders filled (`Route::at`).
//! The table's `ALL` list is derived from the same declarations, so tests can check every
//! route against a spec and against what a sweep exercised.

use std::fmt;

/// An HTTP method an endpoint is called with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    /// `GET`, `POST`, ... as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Sending the request twice has the effect of sending it once, so it may be retried.
    pub fn is_idempotent(self) -> bool {
        self == Self::Get
    }

    pub(crate) fn method(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One endpoint of an API: a method and a path template below the API root.
///
/// A placeholder `{name}` stands for one path segment (a `/` in its value is encoded);
/// `{+name}` keeps the slashes of its value (a git ref such as `feature/x`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub verb: Verb,
    pub template: &'static str,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.verb, self.template)
    }
}

/// An [`Endpoint`] whose template has `N` placeholders, so that filling it
/// (`Route::at`) takes exactly `N` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route<const N: usize>(Endpoint);

impl<const N: usize> Route<N> {
    /// Fails to compile (in a `const`) when the template does not start with `/` or does
    /// not have `N` well-formed placeholders.
    pub const fn new(verb: Verb, template: &'static str) -> Self {
        assert!(
            placeholders(template) == N,
            "a route's placeholder count does not match its template"
        );
        Self(Endpoint { verb, template })
    }

    pub const fn endpoint(&self) -> Endpoint {
        self.0
    }

    /// The request for this route with its placeholders filled by `params`, in order.
    pub(crate) fn at(&self, params: [&str; N]) -> Target {
        let template = self.0.template;
        let mut path =
            String::with_capacity(template.len() + params.iter().map(|p| p.len()).sum::<usize>());
        let mut rest = template;
        let mut values = params.iter();
        // `new` checked the braces, so each `{` has its `}` and there are N of them.
        while let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) {
            path.push_str(&rest[..open]);
            let value = values.next().copied().unwrap_or_default();
            if rest[open + 1..close].starts_with('+') {
                path.push_str(&slashed(value));
            } else {
                path.push_str(&segment(value));
            }
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        Target {
            endpoint: self.0,
            path,
            absolute: false,
            accept: None,
        }
    }
}

/// How many placeholders a route template has; panics (at compile time, in a `const`) when
/// it does not start with `/` or a brace is unmatched or nested.
pub const fn placeholders(template: &str) -> usize {
    let bytes = template.as_bytes();
    assert!(
        !bytes.is_empty() && bytes[0] == b'/',
        "a route template starts with '/'"
    );
    let mut i = 0;
    let mut count = 0;
    let mut open = false;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            assert!(!open, "a route template's placeholders do not nest");
            open = true;
            count += 1;
        } else if bytes[i] == b'}' {
            assert!(
                open,
                "a closing brace without its opening one in a route template"
            );
            open = false;
        }
        i += 1;
    }
    assert!(!open, "an unclosed brace in a route template");
    count
}

/// One request to send: the endpoint it calls and where, below the API root (or, for a
/// page a previous answer linked to, the whole URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    endpoint: Endpoint,
    /// The path with the query, or a whole URL when `absolute`.
    path: String,
    absolute: bool,
    /// An `Accept` header of its own, instead of the API's.
    accept: Option<&'static str>,
}

impl Target {
    /// Add query parameters (`?a=1&b=2`, encoded); nothing when there are none.
    pub(crate) fn query(mut self, params: &[(&str, &str)]) -> Self {
        if params.is_empty() {
            return self;
        }
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(params);
        self.path
            .push(if self.path.contains('?') { '&' } else { '?' });
        self.path.push_str(&query.finish());
        self
    }

    /// The same endpoint at a URL an answer linked to (the next page of a list). The
    /// caller checks the URL is the API's.
    pub(crate) fn linked(&self, url: String) -> Self {
        Self {
            endpoint: self.endpoint,
            path: url,
            absolute: true,
            accept: self.accept,
        }
    }

    /// Ask for these media types instead of the API's usual ones (an endpoint that
    /// answers plain text).
    pub(crate) fn accepting(mut self, types: &'static str) -> Self {
        self.accept = Some(types);
        self
    }

    /// The `Accept` header of its own, if it has one.
    pub(crate) fn accept(&self) -> Option<&'static str> {
        self.accept
    }

    pub(crate) fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    /// The path below the API root with its query (or the whole URL of a linked page).
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The request as a person reads it: `GET /deployments/abc`.
    pub(crate) fn request_line(&self) -> String {
        format!("{} {}", self.endpoint.verb, self.path)
    }

    /// What the request is about, as words: the object its last placeholder names, e.g.
    /// `deployment 'abc'` for `/deployments/{uuid}`, or `environment 'dev'` for
    /// `/projects/{uuid}/{environment_name_or_uuid}`. `None` for a route without
    /// placeholders and for a linked page.
    pub(crate) fn subject(&self) -> Option<String> {
        if self.absolute {
            return None;
        }
        let template: Vec<&str> = self.endpoint.template.split('/').collect();
        let path = self.path.split('?').next().unwrap_or_default();
        let path: Vec<&str> = path.split('/').collect();
        let at = template.iter().rposition(|s| s.starts_with('{'))?;
        let value = percent_encoding::percent_decode_str(path.get(at)?).decode_utf8_lossy();
        let noun = match template[at - 1] {
            literal if !literal.starts_with('{') && !literal.is_empty() => {
                literal.strip_suffix('s').unwrap_or(literal)
            }
            _ => {
                let name = template[at].trim_matches(['{', '}', '+']);
                name.split('_').next().unwrap_or(name)
            }
        };
        Some(format!("{noun} '{value}'"))
    }

    /// The URL to send the request to.
    pub(crate) fn url(&self, api: &str) -> String {
        if self.absolute {
            self.path.clone()
        } else {
            format!("{api}{}", self.path)
        }
    }
}

/// Percent-encode one path segment (a `/` in it included).
fn segment(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Percent-encode a value that keeps its slashes, each part as a segment.
fn slashed(raw: &str) -> String {
    raw.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// Declare an API's routes: one `pub const` [`Route`] per line, and `ALL`, every
/// [`Endpoint`] of the table in order.
///
/// ```text
/// routes! {
///     /// `GET /applications/{uuid}`
///     APPLICATION = GET "/applications/{uuid}";
/// }
/// ```
macro_rules! routes {
    ($( $(#[$doc:meta])* $name:ident = $verb:ident $template:literal; )*) => {
        $(
            $(#[$doc])*
            pub const $name: $crate::http::Route<{ $crate::http::placeholders($template) }> =
                $crate::http::Route::new($crate::http::routes!(@verb $verb), $template);
        )*
        /// Every route of this table, in the order declared.
        pub const ALL: &[$crate::http::Endpoint] = &[$($name.endpoint()),*];
    };
    (@verb GET) => { $crate::http::Verb::Get };
    (@verb POST) => { $crate::http::Verb::Post };
    (@verb PUT) => { $crate::http::Verb::Put };
    (@verb PATCH) => { $crate::http::Verb::Patch };
    (@verb DELETE) => { $crate::http::Verb::Delete };
}
pub(crate) use routes;

#[cfg(test)]
mod tests {
    use super::*;

    const APP: Route<1> = Route::new(Verb::Get, "/applications/{uuid}");
    const COMPARE: Route<4> =
        Route::new(Verb::Get, "/repos/{owner}/{repo}/compare/{+base}...{+head}");

    #[test]
    fn a_request_names_what_it_is_about() {
        const HISTORY: Route<1> = Route::new(Verb::Get, "/deployments/applications/{uuid}");
        const ENVIRONMENT: Route<2> =
            Route::new(Verb::Get, "/projects/{uuid}/{environment_name_or_uuid}");
        const LIST: Route<0> = Route::new(Verb::Get, "/applications");
        let subject = |t: Target| t.subject();
        assert_eq!(
            subject(APP.at(["a b/c"]).query(&[("x", "1")])).as_deref(),
            Some("application 'a b/c'")
        );
        assert_eq!(
            subject(HISTORY.at(["u1"])).as_deref(),
            Some("application 'u1'")
        );
        assert_eq!(
            subject(ENVIRONMENT.at(["p", "dev"])).as_deref(),
            Some("environment 'dev'")
        );
        assert_eq!(subject(LIST.at([])), None);
        assert_eq!(APP.at(["a"]).request_line(), "GET /applications/a");
    }

    #[test]
    fn placeholders_are_filled_and_encoded() {
        assert_eq!(APP.at(["a b/c"]).path(), "/applications/a%20b%2Fc");
        assert_eq!(
            COMPARE.at(["o", "r/x", "main", "feature/new ui"]).path(),
            "/repos/o/r%2Fx/compare/main...feature/new%20ui"
        );
        let t = APP.at(["a"]).query(&[("tag", "web app"), ("x", "1")]);
        assert_eq!(t.path(), "/applications/a?tag=web+app&x=1");
        assert_eq!(
            t.url("https://c.example.com/api/v1"),
            "https://c.example.com/api/v1/applications/a?tag=web+app&x=1"
        );
        assert_eq!(APP.at(["a"]).query(&[]).path(), "/applications/a");
        let page = t.linked("https://c.example.com/next?page=2".into());
        assert_eq!(
            page.url("https://other"),
            "https://c.example.com/next?page=2"
        );
        assert_eq!(page.endpoint(), APP.endpoint());
    }

    #[test]
    fn templates_are_counted() {
        assert_eq!(placeholders("/health"), 0);
        assert_eq!(placeholders("/a/{x}/b/{+y}...{z}"), 3);
        assert_eq!(APP.endpoint().to_string(), "GET /applications/{uuid}");
        assert_eq!(segment("a/b"), "a%2Fb");
        assert_eq!(slashed("feature/new ui"), "feature/new%20ui");
    }
}
