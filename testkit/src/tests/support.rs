//! Helpers that drive the provider over real HTTP with awc, signing with [`Signer`].

use std::collections::HashMap;

use crate::{
    signature::{parse_form, Signer},
    MockProvider, MockProviderBuilder, MockUser, RunningProvider,
};

pub const KEY: &str = "test-consumer-key";
pub const SECRET: &str = "test-consumer-secret";
pub const CALLBACK: &str = "http://127.0.0.1:8080/auth/twitter/callback";
pub const ALICE_EMAIL: &str = "alice@example.com";

/// The standard provider: one callback, alice (with an email) and bob (without).
pub fn builder() -> MockProviderBuilder {
    MockProvider::builder(KEY, SECRET)
        .callback_url(CALLBACK)
        .user(MockUser::new("1001", "alice", "Alice").with_email(ALICE_EMAIL))
        .user(MockUser::new("1002", "bob", "Bob"))
}

pub async fn start() -> RunningProvider {
    builder().start().await.expect("the provider starts")
}

pub fn client() -> awc::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    awc::Client::builder().disable_redirects().finish()
}

pub fn signer() -> Signer {
    Signer::new(KEY, SECRET)
}

/// What a test looks at in a reply.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub location: Option<String>,
    pub headers: awc::http::header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn form(&self) -> HashMap<String, String> {
        parse_form(&self.body)
            .expect("a form body")
            .into_iter()
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    pub fn assert(&self, status: u16, body: &str) {
        assert_eq!(
            (self.status, self.body.as_str()),
            (status, body),
            "{self:?}"
        );
    }
}

/// What a test looks at in an awc response.
pub async fn read<S>(mut response: awc::ClientResponse<S>) -> Reply
where
    S: futures_core::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>,
{
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &awc::http::header::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(awc::http::header::CONTENT_TYPE).unwrap_or_default();
    let location = header(awc::http::header::LOCATION);
    let headers = response.headers().clone();
    let body = response.body().await.expect("a body");
    Reply {
        status: response.status().as_u16(),
        content_type,
        location,
        headers,
        body: String::from_utf8(body.to_vec()).expect("a UTF-8 body"),
    }
}

/// `POST path` with an optional `Authorization` header and form body.
pub async fn post(
    provider: &RunningProvider,
    path: &str,
    auth: Option<&str>,
    form: &[(&str, &str)],
) -> Reply {
    let mut request = client().post(format!("{}{path}", provider.base_url()));
    if let Some(auth) = auth {
        request = request.insert_header(("authorization", auth));
    }
    let response = if form.is_empty() {
        request.send().await
    } else {
        request.send_form(&form).await
    };
    read(response.expect("the request is answered")).await
}

/// `GET path_and_query` with an optional `Authorization` header.
pub async fn get(provider: &RunningProvider, path_and_query: &str, auth: Option<&str>) -> Reply {
    let mut request = client().get(format!("{}{path_and_query}", provider.base_url()));
    if let Some(auth) = auth {
        request = request.insert_header(("authorization", auth));
    }
    read(request.send().await.expect("the request is answered")).await
}

/// The `Authorization` header for `method path_and_query` on the provider.
pub fn authorization(
    provider: &RunningProvider,
    signer: &Signer,
    method: &str,
    path: &str,
    form: &[(&str, &str)],
) -> String {
    signer
        .sign(method, &format!("{}{path}", provider.base_url()), form)
        .expect("a signable URI")
        .authorization()
}

/// A signed `POST /oauth/request_token` with the registered callback.
pub async fn request_token_with(provider: &RunningProvider, signer: Signer) -> Reply {
    let auth = authorization(provider, &signer, "POST", "/oauth/request_token", &[]);
    post(provider, "/oauth/request_token", Some(&auth), &[]).await
}

/// Temporary credentials `(token, secret)`; panics unless the provider issues them.
pub async fn request_token(provider: &RunningProvider) -> (String, String) {
    let reply = request_token_with(provider, signer().callback(CALLBACK)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let form = reply.form();
    (
        form["oauth_token"].clone(),
        form["oauth_token_secret"].clone(),
    )
}

/// Approves `token` as `user` and returns the verifier from the callback redirect.
pub async fn approve(provider: &RunningProvider, token: &str, user: &str) -> String {
    let reply = get(
        provider,
        &format!("/oauth/authenticate/approve?oauth_token={token}&user={user}"),
        None,
    )
    .await;
    assert_eq!(reply.status, 302, "{reply:?}");
    let location = reply.location.expect("a Location header");
    let query = location.split_once('?').expect("a query").1;
    let params: HashMap<String, String> = parse_form(query).expect("a query").into_iter().collect();
    assert_eq!(params["oauth_token"], token);
    params["oauth_verifier"].clone()
}

/// A signed `POST /oauth/access_token` with the verifier in the header.
pub async fn access_token(
    provider: &RunningProvider,
    token: &str,
    secret: &str,
    verifier: &str,
) -> Reply {
    let signer = signer().token(token, secret).verifier(verifier);
    let auth = authorization(provider, &signer, "POST", "/oauth/access_token", &[]);
    post(provider, "/oauth/access_token", Some(&auth), &[]).await
}

/// The whole flow for `user`: token credentials `(token, secret)`.
pub async fn login(provider: &RunningProvider, user: &str) -> (String, String) {
    let (token, secret) = request_token(provider).await;
    let verifier = approve(provider, &token, user).await;
    let reply = access_token(provider, &token, &secret, &verifier).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let form = reply.form();
    (
        form["oauth_token"].clone(),
        form["oauth_token_secret"].clone(),
    )
}

/// A signed `GET path_and_query` with token credentials.
pub async fn get_signed(
    provider: &RunningProvider,
    path_and_query: &str,
    token: &str,
    secret: &str,
) -> Reply {
    let signer = signer().token(token, secret);
    let auth = authorization(provider, &signer, "GET", path_and_query, &[]);
    get(provider, path_and_query, Some(&auth)).await
}
