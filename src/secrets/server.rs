//! Which server an address names, so that a credential goes only to the server it belongs
//! to: addresses are compared by a canonical form (scheme; host with the numeric IPv4
//! spellings, IPv4-mapped IPv6, case and a trailing dot resolved, and `localhost` and every
//! loopback or unspecified address taken as one; port with the scheme's default filled in;
//! path without a trailing `/api/v1`). Addresses that carry credentials (`user:pass@`) are
//! refused, and never echoed.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use url::Url;

use super::redact;

/// An http(s) address reduced to the server it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    scheme: String,
    host: Host,
    port: u16,
    /// Without a trailing slash or `/api/v1`; empty for the root.
    path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    /// `localhost`, `*.localhost`, 127.0.0.0/8, `::1`, and the unspecified addresses
    /// (0.0.0.0, `::`), which reach this machine too.
    ThisMachine,
    V4(Ipv4Addr),
    V6(Ipv6Addr),
    Domain(String),
}

/// Why an address cannot name a server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerUrlError {
    /// The address carries a user name or password; `shown` is the address without them.
    #[error(
        "the address {shown} carries a user name or password (user:password@); pftui refuses such addresses so that a credential never sits in settings, shell history, traces or error messages. Remove that part and give the credential the usual way: `pftui login`, or the service's token variable"
    )]
    Credentials { shown: String },
    /// Not an http(s) address with a host; `shown` is the text with anything secret-shaped
    /// masked.
    #[error("'{shown}' is not an http(s) address such as https://coolify.example.com")]
    NotHttp { shown: String },
}

impl Server {
    /// The server `address` names; an error for anything but an http(s) address with a
    /// host and no credentials.
    pub fn parse(address: &str) -> Result<Self, ServerUrlError> {
        let not_http = || ServerUrlError::NotHttp {
            shown: redact::redact(address.trim()).into_owned(),
        };
        let mut url = Url::parse(address.trim()).map_err(|_| not_http())?;
        if !url.username().is_empty() || url.password().is_some() {
            // Shown without its credentials; these setters only fail for URLs that cannot
            // have any, which this one does.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            return Err(ServerUrlError::Credentials {
                shown: url.to_string(),
            });
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(not_http());
        }
        let host = match url.host() {
            Some(url::Host::Ipv4(a)) => Host::v4(a),
            Some(url::Host::Ipv6(a)) => Host::v6(a),
            Some(url::Host::Domain(d)) => Host::domain(d),
            None => return Err(not_http()),
        };
        let port = url.port_or_known_default().ok_or_else(not_http)?;
        let path = url.path().trim_end_matches('/');
        let path = match path.len().checked_sub("/api/v1".len()) {
            Some(cut) if path[cut..].eq_ignore_ascii_case("/api/v1") => &path[..cut],
            _ => path,
        };
        Ok(Self {
            scheme: url.scheme().to_string(),
            host,
            port,
            path: path.trim_end_matches('/').to_string(),
        })
    }
}

impl Host {
    fn v4(a: Ipv4Addr) -> Self {
        if a.is_loopback() || a.is_unspecified() {
            Self::ThisMachine
        } else {
            Self::V4(a)
        }
    }

    fn v6(a: Ipv6Addr) -> Self {
        if a.is_loopback() || a.is_unspecified() {
            return Self::ThisMachine;
        }
        match a.to_ipv4_mapped() {
            Some(v4) => Self::v4(v4),
            None => Self::V6(a),
        }
    }

    fn domain(d: &str) -> Self {
        let d = d.trim_end_matches('.').to_ascii_lowercase();
        if d == "localhost" || d.ends_with(".localhost") {
            return Self::ThisMachine;
        }
        // A trailing dot may hide a numeric address from the URL parser ("127.0.0.1.").
        match d.parse::<Ipv4Addr>() {
            Ok(a) => Self::v4(a),
            Err(_) => Self::Domain(d),
        }
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = match &self.host {
            Host::ThisMachine => "localhost".to_string(),
            Host::V4(a) => a.to_string(),
            Host::V6(a) => format!("[{a}]"),
            Host::Domain(d) => d.clone(),
        };
        write!(f, "{}://{host}:{}{}", self.scheme, self.port, self.path)
    }
}

/// Whether two addresses name the same server. Addresses that do not parse are the same
/// only when they are the same text (ignoring case, spaces and a trailing slash).
pub fn same_server(a: &str, b: &str) -> bool {
    match (Server::parse(a), Server::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        (Err(_), Err(_)) => {
            let norm = |u: &str| u.trim().trim_end_matches('/').to_ascii_lowercase();
            norm(a) == norm(b)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_loopback_server_is_the_same_server() {
        let base = "http://127.0.0.1:8000";
        for other in [
            "http://localhost:8000",
            "http://LOCALHOST:8000/",
            "http://localhost.:8000",
            "http://127.0.0.1.:8000",
            "http://127.1:8000",
            "http://0x7f000001:8000",
            "http://2130706433:8000",
            "http://0177.0.0.1:8000",
            "http://127.0.0.2:8000",
            "http://0.0.0.0:8000",
            "http://[::1]:8000",
            "http://[::ffff:127.0.0.1]:8000",
            "http://127.0.0.1:8000/api/v1",
            "http://127.0.0.1:8000/api/v1/",
            "http://127.0.0.1:8000/API/V1",
            " http://127.0.0.1:8000 ",
        ] {
            assert!(same_server(base, other), "{other}");
        }
        for other in [
            "https://127.0.0.1:8000",
            "http://127.0.0.1:8001",
            "http://127.0.0.1:8000/coolify",
            "http://10.0.0.1:8000",
        ] {
            assert!(!same_server(base, other), "{other}");
        }
    }

    #[test]
    fn hosts_ports_and_paths_are_canonical() {
        assert!(same_server(
            "https://Coolify.Example.COM.",
            "https://coolify.example.com:443/"
        ));
        assert!(same_server(
            "http://c.example.com",
            "http://c.example.com:80"
        ));
        assert!(!same_server(
            "http://c.example.com",
            "https://c.example.com"
        ));
        assert!(same_server(
            "https://c.example.com/coolify/api/v1",
            "https://c.example.com/coolify/"
        ));
        assert!(same_server(
            "http://[::ffff:10.0.0.5]:8000",
            "http://10.0.0.5:8000"
        ));
        assert!(same_server(
            "http://[2001:db8::1]",
            "http://[2001:DB8:0::1]:80"
        ));
        assert!(same_server("not a url/", "NOT A URL"));
        assert!(!same_server("not a url", "http://not-a-url"));
        assert_eq!(
            Server::parse("http://0x7f000001:8000/api/v1")
                .unwrap()
                .to_string(),
            "http://localhost:8000"
        );
    }

    #[test]
    fn credentials_in_an_address_are_refused_and_never_echoed() {
        for address in [
            "https://admin:hunter2-secret@coolify.example.com",
            "https://hunter2-secret@coolify.example.com/api/v1",
            "ftp://admin:hunter2-secret@coolify.example.com",
        ] {
            let err = Server::parse(address).unwrap_err();
            assert!(
                matches!(&err, ServerUrlError::Credentials { shown } if shown.starts_with("https://coolify.example.com") || shown.starts_with("ftp://coolify.example.com")),
                "{err:?}"
            );
            let text = err.to_string();
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("user:password@"), "{text}");
        }
        let err = Server::parse("ftp://coolify.example.com").unwrap_err();
        assert!(matches!(err, ServerUrlError::NotHttp { .. }), "{err}");
        let err = Server::parse("https://[user:hunter2-secret@").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
