//! What both protocols' sides of the builder share: the client a builder configures, the rule
//! that an option of one protocol is refused on the other's builder, and the provider URLs.

use url::Url;

use super::TwitterLoginMiddlewareBuilder;
use crate::{credentials::Secret, error::ConfigError, validate};

/// The largest provider reply read, in bytes; a larger one is a failure.
pub(super) const MAX_REPLY_BYTES: usize = 64 * 1024;

/// The client a builder configures: OAuth 1.0a's consumer key and secret, or OAuth 2.0's client.
#[derive(Debug)]
pub(crate) enum ClientSettings {
    OAuth1 {
        consumer_key: String,
        consumer_secret: Secret,
    },
    OAuth2 {
        client_id: String,
        client_secret: Option<Secret>,
        scopes: String,
        authorize_url: String,
        token_url: Option<String>,
    },
}

pub(super) const OAUTH1: &str = "OAuth 1.0a";
pub(super) const OAUTH2: &str = "OAuth 2.0";

impl TwitterLoginMiddlewareBuilder {
    /// Notes an option that only `protocol` has, when this builder is for the other one:
    /// `build()` then refuses it.
    pub(super) fn only_for(mut self, protocol: &'static str, option: &'static str) -> Self {
        let this = match self.client {
            ClientSettings::OAuth1 { .. } => OAUTH1,
            ClientSettings::OAuth2 { .. } => OAUTH2,
        };
        if this != protocol && self.misapplied.is_none() {
            self.misapplied = Some((option, protocol));
        }
        self
    }
}

/// A provider URL: the one given for `option`, checked, or `rel` joined to the API base URL.
/// `signed` URLs (OAuth 1.0a's) and token URLs may not carry a query. Whichever it is must be
/// `https` unless its host is loopback or the builder allows insecure provider URLs.
pub(super) fn provider_url(
    b: &TwitterLoginMiddlewareBuilder,
    option: &'static str,
    given: Option<&str>,
    rel: &str,
    query_allowed: bool,
) -> Result<Url, ConfigError> {
    if let Some(url) = given {
        return validate::http_url(option, url, query_allowed, b.allow_insecure_provider_urls);
    }
    let mut base = validate::http_url(
        "api_base_url",
        &b.api_base_url,
        true,
        b.allow_insecure_provider_urls,
    )?;
    // The base is joined with relative paths: it must end with a slash.
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join(rel).map_err(|e| ConfigError::Url {
        option: "api_base_url",
        value: b.api_base_url.clone(),
        reason: e.to_string(),
    })
}
