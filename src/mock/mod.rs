//! A strict local OAuth 1.0a provider: Twitter's OAuth and profile endpoints on loopback, for
//! tests and offline demos (feature `mock-provider`).
//!
//! STUB: to be implemented. The public API below is the contract.
//!
//! [`signature`] holds the provider's own RFC 5849 signature code.

use std::{io, time::Duration};

pub mod signature;
#[cfg(test)]
mod tests;

/// A user the local provider can sign in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockUser {
    /// The numeric user id, as a string (e.g. `"1001"`).
    pub id: String,
    /// The handle (`screen_name` / `username`).
    pub screen_name: String,
    /// The display name.
    pub name: String,
    /// The email the provider returns when asked for one.
    pub email: Option<String>,
}

impl MockUser {
    /// A user with the given id, handle and display name, and no email.
    pub fn new(
        id: impl Into<String>,
        screen_name: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            screen_name: screen_name.into(),
            name: name.into(),
            email: None,
        }
    }
}

/// A provider endpoint a fault can be injected into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MockEndpoint {
    /// `POST /oauth/request_token`.
    RequestToken,
    /// `POST /oauth/access_token`.
    AccessToken,
    /// `GET /2/users/me`.
    UsersMe,
    /// `GET /1.1/account/verify_credentials.json`.
    VerifyCredentials,
}

/// A fault the provider answers with instead of its normal reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// This status with a small plain-text body.
    Status(u16),
    /// 200 with a body that is neither form nor JSON.
    Garbage,
    /// 403 `{"errors":[{"code":453,...}]}` (the access tier lacks the endpoint).
    Forbidden453,
    /// 429 rate limited (v1.1 code 88, or v2 problem+json `rate-limit-exceeded`).
    RateLimited,
    /// 403 v2 problem+json with `reason: client-not-enrolled`.
    ClientNotEnrolled,
    /// 403 XML `<errors><error code="415">Callback URL not approved...</error></errors>`.
    CallbackNotApproved,
    /// A request-token reply with `oauth_callback_confirmed=false`.
    CallbackNotConfirmed,
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Any status, content type and body.
    Body {
        /// HTTP status.
        status: u16,
        /// `Content-Type` header value.
        content_type: String,
        /// The body.
        body: String,
    },
}

/// Configures and starts a [`RunningProvider`].
#[derive(Debug)]
pub struct MockProviderBuilder {
    _private: (),
}

/// Entry point: `MockProvider::builder(key, secret)`.
#[derive(Debug)]
pub struct MockProvider;

impl MockProvider {
    /// A provider that knows one client (consumer key and secret).
    pub fn builder(
        _consumer_key: impl Into<String>,
        _consumer_secret: impl Into<String>,
    ) -> MockProviderBuilder {
        MockProviderBuilder { _private: () }
    }
}

impl MockProviderBuilder {
    /// The one registered callback URL; `oauth_callback` must equal it exactly.
    pub fn callback_url(self, _url: impl Into<String>) -> Self {
        self
    }

    /// Adds a user (default when none is added: alice 1001 and bob 1002).
    pub fn user(self, _user: MockUser) -> Self {
        self
    }

    /// Starts the provider on `127.0.0.1:0` inside the current actix system.
    pub async fn start(self) -> io::Result<RunningProvider> {
        Err(io::Error::other("not implemented"))
    }
}

/// A running local provider.
#[derive(Debug)]
pub struct RunningProvider {
    _private: (),
}

impl RunningProvider {
    /// `http://127.0.0.1:<port>`: the API base URL to configure the login with.
    pub fn base_url(&self) -> String {
        String::new()
    }

    /// Makes `endpoint` answer with `fault` until [`clear_faults`](Self::clear_faults).
    pub fn inject(&self, _endpoint: MockEndpoint, _fault: Fault) {}

    /// Removes every injected fault.
    pub fn clear_faults(&self) {}

    /// Stops the server.
    pub async fn stop(self) {}
}
