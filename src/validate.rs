//! Checks of single configuration values, each naming the bad value in its [`ConfigError`].

use percent_encoding::percent_decode_str;
use url::Url;

use crate::error::ConfigError;

pub(crate) fn callback_url(value: &str) -> Result<Url, ConfigError> {
    let bad = |reason: &str| ConfigError::CallbackUrl {
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(value).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if url.fragment().is_some() {
        return Err(bad("it must not have a fragment"));
    }
    if url.path() == "/" {
        return Err(bad(
            "its path becomes the callback route, so it needs one of its own, e.g. /oauth/callback/twitter",
        ));
    }
    Ok(url)
}

/// A provider URL: absolute http(s), and `https` unless its host is loopback or
/// `insecure_allowed` (the builder's `allow_insecure_provider_urls`).
pub(crate) fn http_url(
    option: &'static str,
    value: &str,
    query_allowed: bool,
    insecure_allowed: bool,
) -> Result<Url, ConfigError> {
    let bad = |reason: String| ConfigError::Url {
        option,
        value: value.to_owned(),
        reason,
    };
    let url = Url::parse(value).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("it must be an absolute http or https URL".into()));
    }
    if url.scheme() == "http" && !insecure_allowed && !is_loopback(&url) {
        return Err(ConfigError::InsecureUrl {
            option,
            value: value.to_owned(),
        });
    }
    if !query_allowed && url.query().is_some() {
        return Err(bad("a signed URL must not carry a query".into()));
    }
    if url.fragment().is_some() {
        return Err(bad("it must not have a fragment".into()));
    }
    Ok(url)
}

/// Whether the URL's host is loopback: an IPv4 address in 127.0.0.0/8, the IPv6 address `::1`,
/// or the name `localhost` (which the URL parser has lowercased), and nothing else: not
/// `localhost.example.com`, not `127.0.0.1.nip.io`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

pub(crate) fn path(option: &'static str, value: &str) -> Result<(), ConfigError> {
    let bad = |reason: &'static str| ConfigError::Path {
        option,
        value: value.to_owned(),
        reason,
    };
    if let Some(reason) = local_path_problem(value) {
        return Err(bad(reason));
    }
    if value.contains(['?', '#']) {
        return Err(bad("a route path has no query or fragment"));
    }
    Ok(())
}

/// A configured redirect target: a same-origin path, or an absolute http(s) URL (the app's
/// own choice), with nothing a `Location` header should not carry.
pub(crate) fn redirect(option: &'static str, value: &str) -> Result<(), ConfigError> {
    let bad = |reason: &'static str| ConfigError::Path {
        option,
        value: value.to_owned(),
        reason,
    };
    if value.starts_with('/') {
        return local_path_problem(value).map_or(Ok(()), |reason| Err(bad(reason)));
    }
    if let Some(reason) = raw_problem(value) {
        return Err(bad(reason));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(bad("it must not contain whitespace"));
    }
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => Ok(()),
        _ => Err(bad(
            "it must be a path starting with `/` or an absolute http(s) URL",
        )),
    }
}

/// The longest `return_to` kept with a pending login, in bytes.
pub(crate) const MAX_RETURN_TO_BYTES: usize = 256;

/// A `return_to` from the request, when it is a same-origin path this site may redirect to.
pub(crate) fn return_to(value: &str) -> Option<&str> {
    (value.len() <= MAX_RETURN_TO_BYTES && local_path_problem(value).is_none()).then_some(value)
}

/// Why `value` is not a path on this origin (a browser could read it as another host, or a
/// header could be split), checking its percent-decoded forms too; `None` when it is one.
fn local_path_problem(value: &str) -> Option<&'static str> {
    if !value.starts_with('/') {
        return Some("it must be a path starting with `/`");
    }
    if value.chars().any(char::is_whitespace) {
        return Some("it must not contain whitespace");
    }
    // What a browser always percent-encodes in a URL: raw, it is no path a browser sent.
    if value.contains(['"', '<', '>', '^', '`', '{', '|', '}']) {
        return Some(
            "it must not contain `\"`, `<`, `>`, `^`, a backtick, `{`, `|` or `}` unencoded",
        );
    }
    let mut form = value.to_owned();
    // A layer of encoding may be undone by a proxy, a framework or a browser: check each.
    for _ in 0..4 {
        if let Some(reason) = raw_problem(&form) {
            return Some(reason);
        }
        if form.starts_with("//") {
            return Some("it must not start with `//` (another host)");
        }
        let decoded = percent_decode_str(&form).decode_utf8_lossy().into_owned();
        if decoded == form {
            return None;
        }
        form = decoded;
    }
    Some("it is percent-encoded too many times")
}

/// Characters no redirect target may hold, raw or encoded: backslashes (browsers read `/\host`
/// as `//host`) and control characters (tabs, CR, LF: header splitting; browsers drop tabs
/// and newlines from URLs).
fn raw_problem(value: &str) -> Option<&'static str> {
    if value.contains('\\') {
        return Some("it must not contain a backslash");
    }
    if value.chars().any(char::is_control) {
        return Some("it must not contain control characters (tabs, CR, LF, ...)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the login start must refuse as a return-to, raw and encoded.
    const ELSEWHERE: &[&str] = &[
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
        "/a\\b",
        "/\tevil",
        "/\t/evil.example",
        "/a\rb",
        "/a\nSet-Cookie: x=1",
        "/a\u{0}b",
        "/a\u{7f}b",
        "/a\u{85}b",
        "/a b",
        "/a\u{3000}b",
        "/%2Fevil.example",
        "/%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "/%09/evil.example",
        "/a%0D%0ASet-Cookie:%20x=1",
        "/%252F%252Fevil.example",
        "/%25252F%25252Fevil.example",
        "/%2525252F%2525252Fevil.example",
        "/%00",
        "/a\"b",
        "/<script>",
        "/a|b",
    ];

    #[test]
    fn return_to_accepts_only_paths_on_this_site() {
        for value in ELSEWHERE {
            assert_eq!(return_to(value), None, "{value:?}");
        }
        for value in [
            "/",
            "/settings",
            "/search?q=a%20b&page=2",
            "/a/b/c#section",
            "/caf%C3%A9",
            "/café",
            "/%E2%80%AE",
        ] {
            assert_eq!(return_to(value), Some(value), "{value:?}");
        }
    }

    #[test]
    fn return_to_is_bounded() {
        let longest = format!("/{}", "a".repeat(MAX_RETURN_TO_BYTES - 1));
        assert_eq!(return_to(&longest), Some(longest.as_str()));
        let longer = format!("{longest}a");
        assert_eq!(return_to(&longer), None);
    }

    #[test]
    fn route_paths_and_redirects_refuse_the_same_and_name_why() {
        for value in ELSEWHERE.iter().filter(|v| v.starts_with('/')) {
            let err = path("login_path", value).expect_err(value);
            assert!(matches!(
                err,
                ConfigError::Path {
                    option: "login_path",
                    ..
                }
            ));
            let err = redirect("success_redirect", value).expect_err(value);
            assert!(err.to_string().contains("success_redirect"), "{err}");
        }
        for value in ["/login?x=1", "/login#top", "/login/{id}"] {
            assert!(path("login_path", value).is_err(), "{value}");
        }
        assert!(path("login_path", "/login/twitter").is_ok());
        for value in ["https://app.example/welcome", "/welcome?new=1"] {
            assert!(redirect("success_redirect", value).is_ok(), "{value}");
        }
        for value in [
            "https://app.example/\twelcome",
            "https://app.example/a\r\nb",
            "https://app.example\\@evil.example",
            "https://app.example/ a",
            "ftp://app.example/",
        ] {
            assert!(redirect("success_redirect", value).is_err(), "{value:?}");
        }
    }
}
