//! The three provider calls over awc: temporary credentials, token credentials, profile, each
//! through [`crate::provider::exchange`] (one deadline, a capped reply).

use actix_web::{http::header, web::Bytes};

use super::{
    reply::{self, AccessReply},
    sign::{self, SignedUrl, Signing},
    Client, TemporaryCredentials,
};
use crate::{
    profile::{Profile, ProfileSource},
    provider::{exchange, Endpoint, ProviderError},
};

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
    let body = exchange(request, None, endpoint, client.limits())
        .await?
        .body;
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
    let reply = exchange(request, None, endpoint, client.limits()).await?;
    Ok(reply.body)
}

fn malformed(endpoint: Endpoint, error: reply::ReplyError) -> ProviderError {
    ProviderError::Malformed {
        endpoint,
        reason: error.to_string(),
    }
}
