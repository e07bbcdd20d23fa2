//! Talking to the provider, whatever the protocol: one call with one deadline (headers and
//! body), a cap on the reply, and every outcome other than a usable success reply turned into a
//! [`ProviderError`] (with X's error bodies parsed in [`error`]).

pub(crate) mod error;
mod hint;
mod markup;

use std::time::Duration;

use actix_web::{http::header, rt::time::timeout, web::Bytes};
use awc::error::{PayloadError, SendRequestError};

pub(crate) use error::{Endpoint, ErrorBody, ProviderError};

/// The limits every provider call runs under.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The deadline of the whole call, body included.
    pub timeout: Duration,
    /// The largest reply read, in bytes.
    pub max_reply_bytes: usize,
}

/// A 2xx reply: its status, content type and body.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// Sends `request` with `body` (a `POST` without one gets an empty body, `Content-Length: 0`)
/// and reads a 2xx reply, all within the deadline.
pub(crate) async fn exchange(
    request: awc::ClientRequest,
    body: Option<Vec<u8>>,
    endpoint: Endpoint,
    limits: Limits,
) -> Result<Reply, ProviderError> {
    let (after, limit) = (limits.timeout, limits.max_reply_bytes);
    let call = async {
        let is_post = request.get_method() == actix_web::http::Method::POST;
        let sent = match body {
            Some(body) => request.send_body(body).await,
            None if is_post => request.send_body("").await,
            None => request.send().await,
        };
        let mut response = sent.map_err(|e| match e {
            SendRequestError::Timeout => ProviderError::Timeout { endpoint, after },
            other => ProviderError::Network {
                endpoint,
                reason: other.to_string(),
            },
        })?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.body().limit(limit).await.map_err(|e| match e {
            PayloadError::Overflow => ProviderError::TooLarge { endpoint, limit },
            other => ProviderError::Network {
                endpoint,
                reason: other.to_string(),
            },
        })?;
        if status.is_success() {
            Ok(Reply {
                status: status.as_u16(),
                content_type,
                body,
            })
        } else {
            Err(ProviderError::Status {
                endpoint,
                status: status.as_u16(),
                body: ErrorBody::parse(content_type.as_deref(), &body),
            })
        }
    };
    match timeout(after, call).await {
        Ok(result) => result,
        Err(_) => Err(ProviderError::Timeout { endpoint, after }),
    }
}
