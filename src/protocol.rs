//! The seam between the login flow and the protocol that runs it.
//!
//! The flow ([`crate::flow`]) knows a login as three steps: start it (something to remember in
//! the session and a URL to send the user to), read the callback (approved, with a key to find
//! the pending login and a grant; or denied), and finish it (the app's credentials for the user
//! and their profile). [`Protocol`] runs those steps in the configured protocol's words: OAuth
//! 1.0a or OAuth 2.0.

use crate::{
    credentials::{Credentials, Secret},
    error::LoginFailure,
    oauth1::{self, callback::CallbackQuery, ProfileErrorPolicy, TemporaryCredentials},
    oauth2,
    profile::Profile,
    provider::ProviderError,
    session::PendingLogin,
};

/// The protocol a middleware runs, with its client's settings.
#[derive(Debug)]
pub(crate) enum Protocol {
    /// OAuth 1.0a (RFC 5849).
    OAuth1(oauth1::Client),
    /// OAuth 2.0 with PKCE (RFC 6749, RFC 7636).
    OAuth2(oauth2::Client),
}

/// A started login: what the session keeps, and where the user goes.
#[derive(Debug)]
pub(crate) struct Started {
    pub pending: PendingLogin,
    pub location: String,
}

/// What the user came back to the callback with.
#[derive(Debug)]
pub(crate) enum Callback {
    /// The user approved: the key of the pending login and the grant to exchange with it
    /// (OAuth 1.0a: the temporary credentials' token and `oauth_verifier`; OAuth 2.0: the
    /// state and the authorization code).
    Approved { key: String, grant: Secret },
    /// The user cancelled; the key of the pending login, when the provider says which.
    Denied { key: Option<String> },
    /// The provider ended the authorization with an error other than the user's cancelling.
    Failed {
        key: Option<String>,
        error: ProviderError,
    },
}

/// A finished login: the credentials that act for the user, and who the user is.
#[derive(Debug)]
pub(crate) struct SignedIn {
    pub credentials: Credentials,
    pub profile: Profile,
}

impl Protocol {
    /// Starts a login: in OAuth 1.0a, obtains temporary credentials.
    pub(crate) async fn start(&self, http: &awc::Client) -> Result<Started, LoginFailure> {
        match self {
            Protocol::OAuth1(client) => {
                let temporary = oauth1::calls::temporary_credentials(http, client).await?;
                let location = client.authenticate_url(&temporary.token);
                Ok(Started {
                    pending: PendingLogin {
                        key: temporary.token,
                        secret: temporary.secret,
                        return_to: None,
                        link_user: None,
                    },
                    location,
                })
            }
            Protocol::OAuth2(client) => {
                let authorization = client.authorize();
                Ok(Started {
                    pending: PendingLogin {
                        key: authorization.state,
                        secret: authorization.code_verifier,
                        return_to: None,
                        link_user: None,
                    },
                    location: authorization.location,
                })
            }
        }
    }

    /// Reads the callback's query.
    pub(crate) fn callback(&self, query: &str) -> Result<Callback, LoginFailure> {
        match self {
            Protocol::OAuth1(_) => Ok(match CallbackQuery::parse(query)? {
                CallbackQuery::Approved { token, verifier } => Callback::Approved {
                    key: token,
                    grant: Secret::new(verifier),
                },
                CallbackQuery::Denied { token } => Callback::Denied { key: token },
            }),
            Protocol::OAuth2(_) => Ok(match oauth2::callback::CallbackQuery::parse(query)? {
                oauth2::callback::CallbackQuery::Approved { code, state } => Callback::Approved {
                    key: state,
                    grant: Secret::new(code),
                },
                oauth2::callback::CallbackQuery::Refused { error, state, .. }
                    if error == "access_denied" =>
                {
                    Callback::Denied { key: state }
                }
                oauth2::callback::CallbackQuery::Refused {
                    error,
                    description,
                    state,
                } => Callback::Failed {
                    key: state,
                    error: ProviderError::authorization(&error, description.as_deref()),
                },
            }),
        }
    }

    /// Finishes an approved login: exchanges the grant with the pending login for the
    /// credentials, and reads the profile.
    pub(crate) async fn finish(
        &self,
        http: &awc::Client,
        pending: PendingLogin,
        grant: &Secret,
    ) -> Result<SignedIn, LoginFailure> {
        match self {
            Protocol::OAuth1(client) => {
                let temporary = TemporaryCredentials {
                    token: pending.key,
                    secret: pending.secret,
                };
                let access =
                    oauth1::calls::token_credentials(http, client, &temporary, grant.expose())
                        .await?;
                let profile = match oauth1::calls::profile(http, client, &access).await {
                    Ok(profile) if profile.id == access.user_id => profile,
                    Ok(_) => return Err(LoginFailure::ProfileMismatch),
                    Err(error) if client.on_profile_error == ProfileErrorPolicy::UseAccessToken => {
                        tracing::warn!(
                            error = %error,
                            hint = error.hint().unwrap_or(""),
                            "profile call failed; continuing with the access-token identity"
                        );
                        Profile::new(&access.user_id, &access.screen_name)
                    }
                    Err(error) => return Err(error.into()),
                };
                Ok(SignedIn {
                    credentials: Credentials::OAuth1(access.credentials),
                    profile,
                })
            }
            Protocol::OAuth2(client) => {
                // No user id comes with the tokens: the profile call is the identity.
                let token =
                    oauth2::calls::exchange_code(http, client, grant.expose(), &pending.secret)
                        .await?;
                let profile = oauth2::calls::profile(http, client, &token).await?;
                Ok(SignedIn {
                    credentials: Credentials::OAuth2(token),
                    profile,
                })
            }
        }
    }
}
