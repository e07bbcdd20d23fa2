//! Whether a request comes from a page of this site, as the browser tells it: `Sec-Fetch-Site`
//! where the browser sends it, else `Origin`. For state-changing requests a cross-site form
//! could send (logout, a login start by `POST`).

use actix_web::{
    http::header::{HeaderMap, HeaderName, ORIGIN},
    HttpRequest,
};
use url::Url;

/// `Sec-Fetch-Site` (Fetch Metadata), which every current browser sends.
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// A page of this origin, or the user themselves (typed, bookmarked).
    Same,
    /// Another site, a sibling subdomain, or an opaque origin.
    Cross,
    /// The request says nothing (not a browser, or a very old one).
    Unknown,
}

/// Where this request came from, measured against its own `Host`.
pub(crate) fn of(req: &HttpRequest) -> Site {
    site(req.headers(), req.connection_info().host())
}

/// Where the request with these headers came from, `host` being the request's own `Host`.
fn site(headers: &HeaderMap, host: &str) -> Site {
    if let Some(value) = headers.get(&SEC_FETCH_SITE) {
        return match value.as_bytes() {
            b"same-origin" | b"none" => Site::Same,
            _ => Site::Cross,
        };
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return Site::Unknown;
    };
    // The scheme is left out of the match: behind a proxy that ends TLS the app sees http for
    // an https page. `null` and anything unreadable are opaque origins: another site.
    let authority = origin
        .to_str()
        .ok()
        .and_then(|origin| Url::parse(origin).ok())
        .and_then(|url| {
            let host = url.host_str()?.to_owned();
            Some(match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        });
    match authority {
        Some(authority) if authority.eq_ignore_ascii_case(host) => Site::Same,
        _ => Site::Cross,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;

    use super::*;

    fn site_of(pairs: &[(&'static str, &'static str)], host: &str) -> Site {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        site(&headers, host)
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let host = "app.example";
        assert_eq!(
            site_of(&[("sec-fetch-site", "same-origin")], host),
            Site::Same
        );
        assert_eq!(site_of(&[("sec-fetch-site", "none")], host), Site::Same);
        assert_eq!(
            site_of(&[("sec-fetch-site", "same-site")], host),
            Site::Cross
        );
        assert_eq!(
            site_of(&[("sec-fetch-site", "cross-site")], host),
            Site::Cross
        );
        // It wins over an Origin that would match.
        let both = [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://app.example"),
        ];
        assert_eq!(site_of(&both, host), Site::Cross);
    }

    #[test]
    fn origin_decides_without_fetch_metadata() {
        let host = "app.example:8443";
        assert_eq!(
            site_of(&[("origin", "https://app.example:8443")], host),
            Site::Same
        );
        assert_eq!(
            site_of(&[("origin", "http://APP.example:8443")], host),
            Site::Same
        );
        assert_eq!(
            site_of(&[("origin", "https://app.example")], host),
            Site::Cross
        );
        assert_eq!(
            site_of(&[("origin", "https://evil.example:8443")], host),
            Site::Cross
        );
        assert_eq!(site_of(&[("origin", "null")], host), Site::Cross);
        assert_eq!(site_of(&[("origin", "garbage")], host), Site::Cross);
        assert_eq!(site_of(&[], host), Site::Unknown);
    }
}
