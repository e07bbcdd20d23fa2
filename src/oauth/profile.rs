//! The user's profile, normalized like passport-twitter's, from one of three sources.
//!
//! STUB: to be implemented. Signatures below are the contract.

use serde::Serialize;

/// Where the profile comes from after the access token is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileSource {
    /// `GET /2/users/me?user.fields=...` (works on today's access tiers; costs one user read).
    #[default]
    UsersMe,
    /// The legacy `GET /1.1/account/verify_credentials.json` (403 code 453 on many tiers).
    VerifyCredentials,
    /// No profile call: the identity from the access-token reply only (`user_id`,
    /// `screen_name`); no extra request, no cost.
    AccessToken,
}

/// A signed-in user's profile, normalized.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Profile {
    /// Always `"twitter"`.
    pub provider: &'static str,
    /// The user's id as a string (`id_str`, or `id`, never through a float).
    pub id: String,
    /// The handle (`username` / `screen_name`).
    pub username: String,
    /// The display name (`name`), if the source has one.
    pub display_name: Option<String>,
    /// Profile image URLs.
    pub photos: Vec<String>,
    /// Email addresses (only when asked for and the provider returned one).
    pub emails: Vec<String>,
    /// The source the profile was read from.
    #[serde(skip)]
    pub source: ProfileSource,
    /// The provider's JSON user object as received (`None` for [`ProfileSource::AccessToken`]).
    pub raw: Option<serde_json::Value>,
}

impl Profile {
    /// The profile from the access-token reply alone.
    pub fn from_access_token(user_id: &str, screen_name: &str) -> Self {
        Self {
            provider: "twitter",
            id: user_id.to_owned(),
            username: screen_name.to_owned(),
            display_name: None,
            photos: Vec::new(),
            emails: Vec::new(),
            source: ProfileSource::AccessToken,
            raw: None,
        }
    }

    /// Parses a `/2/users/me` reply (`{"data": {...}}`).
    pub fn from_users_me(_body: &[u8]) -> Result<Self, String> {
        Err("not implemented".into())
    }

    /// Parses a v1.1 `verify_credentials` user object.
    pub fn from_verify_credentials(_body: &[u8]) -> Result<Self, String> {
        Err("not implemented".into())
    }
}
