//! Checks of single configuration values, each naming the bad value in its [`ConfigError`].

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
    if value.starts_with('/') && !value.starts_with("//") && !value.contains(['?', '#']) {
        Ok(())
    } else {
        Err(ConfigError::Path {
            option,
            value: value.to_owned(),
        })
    }
}

pub(crate) fn redirect(option: &'static str, value: &str) -> Result<(), ConfigError> {
    if value.starts_with('/') && !value.starts_with("//") && !value.starts_with("/\\") {
        return Ok(());
    }
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        _ => Err(ConfigError::Path {
            option,
            value: value.to_owned(),
        }),
    }
}
