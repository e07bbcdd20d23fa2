//! [`RunningProvider::issue_oauth2_tokens`]: OAuth 2.0 tokens for a user without a browser.

use std::time::Instant;

use super::{scope::Scopes, store::TokenGrant};
use crate::RunningProvider;

impl RunningProvider {
    /// Test helper: an OAuth 2.0 access token, and a refresh token when `scopes` includes
    /// `offline.access`, for the user with this screen name (ignoring ASCII case), issued to
    /// the provider's OAuth 2.0 client as an authorization code grant issues them but without a
    /// browser or any request, e.g. to seed an app's store with users signed in over OAuth 2.0.
    /// `scopes` is space-separated, as the `scope` parameter. The access token lives as long
    /// as [`access_token_ttl`](crate::MockProviderBuilder::access_token_ttl) says; both work
    /// everywhere tokens from the flow work (the refresh token once) and count toward the same
    /// bounds. Not counted in [`requests`](Self::requests).
    ///
    /// `None` when the provider has no OAuth 2.0 client or no such user, or `scopes` is not a
    /// valid scope parameter.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use actix_twitter_login_testkit::{MockProvider, MockUser, OAuth2Client};
    ///
    /// let provider = MockProvider::builder("consumer-key", "consumer-secret")
    ///     .oauth2_client(OAuth2Client::public("client-id"))
    ///     .user(MockUser::new("1001", "alice", "Alice"))
    ///     .start()
    ///     .await?;
    /// let (access_token, refresh_token) = provider
    ///     .issue_oauth2_tokens("alice", "tweet.read users.read offline.access")
    ///     .expect("alice is a user");
    /// assert!(refresh_token.is_some());
    /// # let _ = access_token;
    /// # Ok(()) }
    /// ```
    pub fn issue_oauth2_tokens(
        &self,
        screen_name: &str,
        scopes: &str,
    ) -> Option<(String, Option<String>)> {
        let settings = &self.shared.config.oauth2;
        let client = settings.client.as_ref()?;
        let user = self.shared.config.user_by_screen_name(screen_name)?;
        let grant = TokenGrant {
            client_id: client.id().to_owned(),
            user_id: user.id.clone(),
            scopes: Scopes::parse(scopes)?,
            issued: Instant::now(),
            exchange: None,
        };
        let issued = self
            .shared
            .lock()
            .issue_oauth2_tokens(grant, settings.access_token_ttl);
        Some((issued.access_token, issued.refresh_token))
    }
}
