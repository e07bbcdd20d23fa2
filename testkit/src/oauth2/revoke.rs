//! `POST /2/oauth2/revoke` (RFC 7009).

use actix_web::{web, HttpRequest, HttpResponse};

use super::{error::OAuthError, token::run};
use crate::{reply, state::Shared, MockEndpoint};

/// `POST /2/oauth2/revoke` with `token` (and an optional `token_type_hint`, which is not
/// needed: access and refresh tokens cannot be mistaken for each other). `{"revoked":true}`
/// for a token of this client, revoked now or unknown (RFC 7009 §2.2); `invalid_request` for
/// a token of another client.
pub(crate) async fn revoke(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    run(
        &req,
        &body,
        &shared,
        &[MockEndpoint::OAuth2Revoke],
        |params, client| {
            let token = params.required("token")?;
            params.optional("token_type_hint")?;
            shared
                .lock()
                .revoke_oauth2_token(token, client.id())
                .map_err(|_| {
                    OAuthError::invalid_request("The token was not issued to this client.")
                })?;
            Ok(reply::json(&serde_json::json!({ "revoked": true })))
        },
    )
    .await
}
