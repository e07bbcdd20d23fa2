//! The three provider calls over awc: temporary credentials, token credentials, profile.
//!
//! Each call has one deadline for the whole exchange (headers and body), reads at most
//! [`Client::max_reply_bytes`] of the reply, and turns every outcome other than a usable
//! success reply into a [`ProviderError`].

use actix_web::{
    http::{header, StatusCode},
    rt::time::timeout,
    web::Bytes,
};
use awc::error::{PayloadError, SendRequestError};

use super::{
    error::{Endpoint, ErrorBody, ProviderError},
    reply::{self, AccessReply},
    sign::{self, SignedUrl, Signing},
    Client, TemporaryCredentials,
};
use crate::profile::{Profile, ProfileSource};

/// `POST oauth/request_token` with `oauth_callback`.
pub(crate) async fn temporary_credentials(
    http: &awc::Client,
    client: &Client,
) -> Result<TemporaryCredentials, ProviderError> {
    let signing = Signing {
        client: &client.credentials,
        token: None,
        callback: Some(&client.callback),
        verifier: None,
        fixed: None,
    };
    let endpoint = Endpoint::RequestToken;
    let body = signed_post(
        http,
        client,
        endpoint,
        &client.endpoints.request_token,
        &signing,
    )
    .await?;
    reply::temporary_credentials(&body).map_err(|e| malformed(endpoint, e))
}

/// `POST oauth/access_token` with the temporary credentials and `oauth_verifier`.
pub(crate) async fn token_credentials(
    http: &awc::Client,
    client: &Client,
    temporary: &TemporaryCredentials,
    verifier: &str,
) -> Result<AccessReply, ProviderError> {
    let signing = Signing {
        client: &client.credentials,
        token: Some((&temporary.token, &temporary.secret)),
        callback: None,
        verifier: Some(verifier),
        fixed: None,
    };
    let endpoint = Endpoint::AccessToken;
    let body = signed_post(
        http,
        client,
        endpoint,
        &client.endpoints.access_token,
        &signing,
    )
    .await?;
    reply::access_reply(&body).map_err(|e| malformed(endpoint, e))
}

/// The profile from the configured source: a signed `GET` of `/2/users/me` or
/// `verify_credentials`, or, for [`ProfileSource::AccessToken`], the access-token reply itself
/// with no call.
pub(crate) async fn profile(
    http: &awc::Client,
    client: &Client,
    access: &AccessReply,
) -> Result<Profile, ProviderError> {
    let (url, params): (&SignedUrl, Vec<(&str, &str)>) = match client.profile_source {
        ProfileSource::AccessToken => {
            return Ok(Profile::new(&access.user_id, &access.screen_name))
        }
        ProfileSource::VerifyCredentials => {
            let mut params = vec![("skip_status", "true"), ("include_entities", "false")];
            if client.include_email {
                params.push(("include_email", "true"));
            }
            (&client.endpoints.verify_credentials, params)
        }
        ProfileSource::UsersMe => (
            &client.endpoints.users_me,
            vec![("user.fields", client.user_fields.as_str())],
        ),
    };
    let credentials = &access.credentials;
    let authorization = url.authorization(
        "GET",
        &params,
        &Signing {
            client: &client.credentials,
            token: Some((&credentials.token, &credentials.secret)),
            callback: None,
            verifier: None,
            fixed: None,
        },
    );
    let request = http
        .get(sign::with_query(url.as_str(), &params))
        .insert_header((header::AUTHORIZATION, authorization));
    let endpoint = Endpoint::Profile;
    let body = exchange(request, endpoint, client).await?;
    match client.profile_source {
        ProfileSource::VerifyCredentials => Profile::from_verify_credentials(&body),
        _ => Profile::from_users_me(&body),
    }
    .map_err(|reason| ProviderError::Malformed { endpoint, reason })
}

/// A signed `POST` with an empty body (`Content-Length: 0`) to one of the token endpoints.
async fn signed_post(
    http: &awc::Client,
    client: &Client,
    endpoint: Endpoint,
    url: &SignedUrl,
    signing: &Signing<'_>,
) -> Result<Bytes, ProviderError> {
    let authorization = url.authorization("POST", &[], signing);
    let request = http
        .post(url.as_str())
        .insert_header((header::AUTHORIZATION, authorization));
    exchange(request, endpoint, client).await
}

fn malformed(endpoint: Endpoint, error: reply::ReplyError) -> ProviderError {
    ProviderError::Malformed {
        endpoint,
        reason: error.to_string(),
    }
}

/// Sends the request (a POST gets an empty body with `Content-Length: 0`) and reads a 2xx
/// reply's body, all within the provider timeout.
async fn exchange(
    request: awc::ClientRequest,
    endpoint: Endpoint,
    client: &Client,
) -> Result<Bytes, ProviderError> {
    let after = client.timeout;
    let limit = client.max_reply_bytes;
    let call = async {
        let is_post = request.get_method() == actix_web::http::Method::POST;
        let sent = if is_post {
            request.send_body("").await
        } else {
            request.send().await
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
            Ok(body)
        } else {
            Err(status_error(
                endpoint,
                status,
                content_type.as_deref(),
                &body,
            ))
        }
    };
    match timeout(after, call).await {
        Ok(result) => result,
        Err(_) => Err(ProviderError::Timeout { endpoint, after }),
    }
}

fn status_error(
    endpoint: Endpoint,
    status: StatusCode,
    content_type: Option<&str>,
    body: &[u8],
) -> ProviderError {
    ProviderError::Status {
        endpoint,
        status: status.as_u16(),
        body: ErrorBody::parse(content_type, body),
    }
}
