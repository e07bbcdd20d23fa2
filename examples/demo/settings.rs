//! The demo's settings, read from the environment (see the README's table).

use actix_twitter_login::{store::TokenKeys, ConfigError, DEFAULT_API_BASE_URL};
use actix_web::cookie::Key;

/// The X app's keys, which pick the protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keys {
    /// `TWITTER_CLIENT_ID` (and `TWITTER_CLIENT_SECRET` for a confidential client): OAuth 2.0.
    OAuth2 {
        client_id: String,
        client_secret: Option<String>,
    },
    /// `TWITTER_API_KEY` and `TWITTER_API_SECRET`: OAuth 1.0a.
    OAuth1 { key: String, secret: String },
    /// No keys: the local provider, speaking the protocol `TWITTER_PROTOCOL` names. Next to
    /// a deployment's settings only with `DEMO_OFFLINE=1`.
    Local(Protocol),
}

/// The protocol of an offline demo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    OAuth1,
    OAuth2,
}

/// `DATABASE_URL` when it is unset: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "twitter-login.db";

/// The app's settings.
#[derive(Clone)]
pub struct Settings {
    pub keys: Keys,
    /// `TWITTER_CALLBACK_URL` (the redirect URI with OAuth 2.0); default
    /// `http://HOST:PORT/oauth/callback/twitter`.
    pub callback_url: Option<String>,
    /// `TWITTER_API_BASE_URL`; default `https://api.x.com`.
    pub api_base_url: Option<String>,
    /// `TWITTER_AUTHORIZE_URL` (OAuth 2.0); default `https://x.com/i/oauth2/authorize`.
    pub authorize_url: Option<String>,
    /// `TWITTER_ALLOW_INSECURE_PROVIDER=1`: the two URLs above may be plain http to any host,
    /// not only to a loopback one (a test provider on another machine; never X).
    pub allow_insecure_provider: bool,
    /// `TWITTER_SCOPES` (OAuth 2.0); default `tweet.read users.read`.
    pub scopes: Option<String>,
    /// `HOST`; default `127.0.0.1`.
    pub host: String,
    /// `PORT`; default 8080 (0 picks a free port).
    pub port: u16,
    /// `DATABASE_URL`; default [`DEFAULT_DATABASE_URL`] (`postgres://...` for PostgreSQL,
    /// with `--features postgres`).
    pub database_url: String,
    /// `REDIS_URL`: sessions in Redis (with `--features redis`) instead of the cookie.
    pub redis_url: Option<String>,
    /// `SESSION_KEY`: the cookie key as hex, at least 64 bytes, shared by every instance.
    pub session_key: Option<Key>,
    /// `TOKEN_KEY` (64 hex digits) and `TOKEN_KEY_ID` (default `demo`): the key the users'
    /// X tokens are stored sealed under.
    pub token_keys: Option<TokenKeys>,
}

impl Settings {
    /// The settings from `lookup` (the environment, in `main`); empty values count as unset.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let port = match var("PORT") {
            Some(port) => port
                .parse()
                .map_err(|_| format!("PORT `{port}` is not a port number"))?,
            None => 8080,
        };
        let settings = Self {
            keys: keys(&var)?,
            callback_url: var("TWITTER_CALLBACK_URL"),
            api_base_url: var("TWITTER_API_BASE_URL"),
            authorize_url: var("TWITTER_AUTHORIZE_URL"),
            allow_insecure_provider: flag(&var, "TWITTER_ALLOW_INSECURE_PROVIDER")?,
            scopes: var("TWITTER_SCOPES"),
            host: var("HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port,
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            redis_url: var("REDIS_URL"),
            session_key: var("SESSION_KEY")
                .map(|hex| session_key(&hex))
                .transpose()?,
            token_keys: var("TOKEN_KEY")
                .map(|hex| {
                    let id = var("TOKEN_KEY_ID").unwrap_or_else(|| "demo".into());
                    TokenKeys::from_hex(&id, &hex).map_err(|e| format!("TOKEN_KEY: {e}"))
                })
                .transpose()?,
        };
        let offline = flag(&var, "DEMO_OFFLINE")?;
        let local = matches!(settings.keys, Keys::Local(_));
        if local && !offline {
            offline_beside_a_deployment(&var)?;
        }
        if offline && !local {
            return Err(concat!(
                "DEMO_OFFLINE=1 asks for the local provider, but X keys are set ",
                "(TWITTER_CLIENT_ID or TWITTER_API_KEY): unset one or the other"
            )
            .into());
        }
        Ok(settings)
    }
}

/// Without X keys the demo runs the local provider, which signs anyone in, with no password,
/// as one of its made-up users. Next to a deployment's database, Redis or cookie key, those
/// users would get rows and sessions there: refused unless `DEMO_OFFLINE=1` says it is meant.
fn offline_beside_a_deployment(var: &impl Fn(&str) -> Option<String>) -> Result<(), String> {
    let mut found = Vec::new();
    if var("DATABASE_URL").is_some_and(|url| url != DEFAULT_DATABASE_URL) {
        found.push("DATABASE_URL");
    }
    found.extend(
        ["REDIS_URL", "SESSION_KEY", "TOKEN_KEY"]
            .into_iter()
            .filter(|name| var(name).is_some()),
    );
    if found.is_empty() {
        return Ok(());
    }
    Err(format!(
        "no X keys are set (TWITTER_CLIENT_ID for OAuth 2.0, TWITTER_API_KEY and \
         TWITTER_API_SECRET for OAuth 1.0a), so the demo would run its local test provider, \
         which signs anyone in, with no password, as alice, bob or carol; but {} {} set, so \
         those sign-ins would land in a real deployment's users or sessions. Set the X keys \
         to sign in with X, or DEMO_OFFLINE=1 to run the local provider with these settings \
         anyway.",
        found.join(", "),
        if found.len() == 1 { "is" } else { "are" },
    ))
}

fn keys(var: &impl Fn(&str) -> Option<String>) -> Result<Keys, String> {
    let oauth1 = (var("TWITTER_API_KEY"), var("TWITTER_API_SECRET"));
    match (var("TWITTER_CLIENT_ID"), oauth1) {
        (Some(_), (Some(_), _)) => Err(
            "set TWITTER_CLIENT_ID (OAuth 2.0) or TWITTER_API_KEY (OAuth 1.0a), not both".into(),
        ),
        (Some(client_id), _) => Ok(Keys::OAuth2 {
            client_id,
            client_secret: var("TWITTER_CLIENT_SECRET"),
        }),
        (None, (Some(key), Some(secret))) => Ok(Keys::OAuth1 { key, secret }),
        (None, (Some(_), None)) => {
            Err("TWITTER_API_KEY is set but TWITTER_API_SECRET is not".into())
        }
        (None, (None, _)) => match var("TWITTER_PROTOCOL").as_deref() {
            None | Some("oauth1") => Ok(Keys::Local(Protocol::OAuth1)),
            Some("oauth2") => Ok(Keys::Local(Protocol::OAuth2)),
            Some(other) => Err(format!(
                "TWITTER_PROTOCOL `{other}`: use `oauth2` or `oauth1`"
            )),
        },
    }
}

/// A yes-or-no setting: `1` is yes; unset (or `0`) is no.
fn flag(var: &impl Fn(&str) -> Option<String>, name: &str) -> Result<bool, String> {
    match var(name).as_deref() {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(format!("{name} `{other}`: use 1, or leave it unset")),
    }
}

/// The builder's refusal in the demo's words: a plain-http provider URL is named by its
/// variable, with why and what to set.
pub fn refusal_message(error: ConfigError) -> String {
    let ConfigError::InsecureUrl { option, value } = &error else {
        return error.to_string();
    };
    let (variable, at_x) = match *option {
        "api_base_url" => ("TWITTER_API_BASE_URL", DEFAULT_API_BASE_URL),
        "authorize_url" => ("TWITTER_AUTHORIZE_URL", "https://x.com/i/oauth2/authorize"),
        _ => return error.to_string(),
    };
    format!(
        "{variable} `{value}` is plain http to a host that is not loopback: that provider, or \
         anyone on the path to it, could answer the token request with any user id and sign \
         anyone in. Set {variable} to an https URL (X's is {at_x}, used when it is unset), or \
         set TWITTER_ALLOW_INSECURE_PROVIDER=1 to allow it for a test provider on a network \
         you control."
    )
}

/// Parses `SESSION_KEY`: hex, at least 64 bytes.
fn session_key(hex: &str) -> Result<Key, String> {
    let hex = hex.trim();
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect();
    match bytes {
        Some(bytes) if bytes.len() >= 64 => Ok(Key::from(&bytes)),
        Some(bytes) => Err(format!(
            "SESSION_KEY has {} bytes; it needs at least 64 (128 hex digits)",
            bytes.len()
        )),
        None => Err("SESSION_KEY is not hex".into()),
    }
}
