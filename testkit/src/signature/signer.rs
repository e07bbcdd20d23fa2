//! Client-side signing, for tests that drive the provider.

use rand::{distributions::Alphanumeric, Rng};

use super::{
    base_string, base_string_uri, hmac_sha1_base64, parse_form, percent_encode, signing_key,
    SignatureError,
};

/// A request signed by [`Signer::sign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The `oauth_*` parameters, `oauth_signature` last.
    pub oauth_params: Vec<(String, String)>,
    /// The signature base string that was signed.
    pub base_string: String,
    /// The signature (not percent-encoded).
    pub signature: String,
}

impl Signed {
    /// The `Authorization` header value: `OAuth name="value", ...`, names and values encoded.
    pub fn authorization(&self) -> String {
        let pairs: Vec<String> = self
            .oauth_params
            .iter()
            .map(|(name, value)| format!("{}=\"{}\"", percent_encode(name), percent_encode(value)))
            .collect();
        format!("OAuth {}", pairs.join(", "))
    }
}

/// Signs requests the way a client would (HMAC-SHA1, parameters in the `Authorization` header).
#[derive(Debug, Clone)]
pub struct Signer {
    consumer_key: String,
    consumer_secret: String,
    token: Option<(String, String)>,
    callback: Option<String>,
    verifier: Option<String>,
    nonce: Option<String>,
    timestamp: Option<u64>,
    version: bool,
}

impl Signer {
    /// A signer for the client credentials; it sends `oauth_version="1.0"` by default.
    pub fn new(consumer_key: impl Into<String>, consumer_secret: impl Into<String>) -> Self {
        Self {
            consumer_key: consumer_key.into(),
            consumer_secret: consumer_secret.into(),
            token: None,
            callback: None,
            verifier: None,
            nonce: None,
            timestamp: None,
            version: true,
        }
    }

    /// Signs with temporary or token credentials (`oauth_token` and its secret).
    pub fn token(mut self, token: impl Into<String>, secret: impl Into<String>) -> Self {
        self.token = Some((token.into(), secret.into()));
        self
    }

    /// Sends `oauth_callback` (request-token step).
    pub fn callback(mut self, callback: impl Into<String>) -> Self {
        self.callback = Some(callback.into());
        self
    }

    /// Sends `oauth_verifier` (access-token step).
    pub fn verifier(mut self, verifier: impl Into<String>) -> Self {
        self.verifier = Some(verifier.into());
        self
    }

    /// A fixed nonce instead of a random one.
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// A fixed timestamp (seconds since the epoch) instead of the current time.
    pub fn timestamp(mut self, timestamp: u64) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Whether to send `oauth_version="1.0"`.
    pub fn version(mut self, include: bool) -> Self {
        self.version = include;
        self
    }

    /// Signs `method uri`. Parameters in `uri`'s query are signed; `form` holds the raw
    /// parameters of an `application/x-www-form-urlencoded` body, if any.
    pub fn sign<K: AsRef<str>, V: AsRef<str>>(
        &self,
        method: &str,
        uri: &str,
        form: &[(K, V)],
    ) -> Result<Signed, SignatureError> {
        let base_uri = base_string_uri(uri)?;
        let query = uri
            .split('#')
            .next()
            .unwrap_or_default()
            .split_once('?')
            .map(|(_, q)| q);
        let mut oauth_params = Vec::new();
        if let Some(callback) = &self.callback {
            oauth_params.push(("oauth_callback".to_owned(), callback.clone()));
        }
        oauth_params.push(("oauth_consumer_key".to_owned(), self.consumer_key.clone()));
        let nonce = self.nonce.clone().unwrap_or_else(random_nonce);
        oauth_params.push(("oauth_nonce".to_owned(), nonce));
        oauth_params.push(("oauth_signature_method".to_owned(), "HMAC-SHA1".to_owned()));
        let timestamp = self.timestamp.unwrap_or_else(unix_now);
        oauth_params.push(("oauth_timestamp".to_owned(), timestamp.to_string()));
        if let Some((token, _)) = &self.token {
            oauth_params.push(("oauth_token".to_owned(), token.clone()));
        }
        if let Some(verifier) = &self.verifier {
            oauth_params.push(("oauth_verifier".to_owned(), verifier.clone()));
        }
        if self.version {
            oauth_params.push(("oauth_version".to_owned(), "1.0".to_owned()));
        }
        let mut all = parse_form(query.unwrap_or_default())?;
        all.extend(
            form.iter()
                .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())),
        );
        all.extend(oauth_params.iter().cloned());
        let base_string = base_string(method, &base_uri, &all);
        let key = signing_key(
            &self.consumer_secret,
            self.token.as_ref().map(|(_, s)| s.as_str()),
        );
        let signature = hmac_sha1_base64(&key, &base_string);
        oauth_params.push(("oauth_signature".to_owned(), signature.clone()));
        Ok(Signed {
            oauth_params,
            base_string,
            signature,
        })
    }
}

/// A random alphanumeric string of `len` characters.
pub(crate) fn random_string(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

fn random_nonce() -> String {
    random_string(32)
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
