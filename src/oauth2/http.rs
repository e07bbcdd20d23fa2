//! awc behind the `oauth2` crate's HTTP client trait: the crate's requests go out through the
//! middleware's awc client (no redirects), under the same deadline and reply cap as every
//! provider call ([`crate::provider::exchange`]). A reply other than 2xx never reaches the crate:
//! it is a [`ProviderError`] with X's error body parsed, as for OAuth 1.0a.

use actix_web::http::{header::HeaderName, Method};
use futures_core::future::LocalBoxFuture;
use oauth2::{http as http1, HttpRequest, HttpResponse};

use crate::provider::{exchange, Endpoint, Limits, ProviderError};

/// The client `oauth2`'s `request_async` takes, for calls to `endpoint`.
pub(super) fn client<'a>(
    http: &'a awc::Client,
    endpoint: Endpoint,
    limits: Limits,
) -> impl Fn(HttpRequest) -> LocalBoxFuture<'a, Result<HttpResponse, ProviderError>> + 'a {
    move |request| Box::pin(send(http, request, endpoint, limits))
}

async fn send(
    http: &awc::Client,
    request: HttpRequest,
    endpoint: Endpoint,
    limits: Limits,
) -> Result<HttpResponse, ProviderError> {
    let unusable = |reason: String| ProviderError::Network { endpoint, reason };
    let (parts, body) = request.into_parts();
    let method = Method::from_bytes(parts.method.as_str().as_bytes())
        .map_err(|e| unusable(format!("unusable method: {e}")))?;
    let mut outgoing = http.request(method, parts.uri.to_string());
    for (name, value) in &parts.headers {
        let name = HeaderName::from_bytes(name.as_str().as_bytes())
            .map_err(|e| unusable(format!("unusable header name: {e}")))?;
        outgoing = outgoing.append_header((name, value.as_bytes()));
    }
    let reply = exchange(outgoing, Some(body), endpoint, limits).await?;
    let mut response = http1::Response::builder().status(reply.status);
    if let Some(content_type) = &reply.content_type {
        response = response.header(http1::header::CONTENT_TYPE, content_type.as_str());
    }
    response
        .body(reply.body.to_vec())
        .map_err(|e| unusable(format!("unusable reply: {e}")))
}
