//! The user's profile, normalized like passport-twitter's, from one of three sources.
//!
//! Required fields are checked (a decimal `id`, a non-empty handle); optional fields of the
//! wrong type or empty are left out rather than failing the sign-in. Errors are short reasons
//! that quote at most a short, cleaned excerpt of the body.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::text::{self, MESSAGE_CHARS};

/// Where the profile comes from after the access token is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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
///
/// The login hands it to the resolve step; [`Profile::new`] makes one for tests of a resolve
/// step of your own.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Profile {
    /// Always `"twitter"`.
    pub provider: &'static str,
    /// The user's id as a string (`id_str`, or `id`, never through a float).
    pub id: String,
    /// The handle (`username` / `screen_name`), for display. Its owner can change it, and
    /// another account can then take it: identify users by [`id`](Self::id), never by this.
    pub username: String,
    /// The display name (`name`), if the source has one: without control or bidirectional
    /// control characters, trimmed, and at most 50 characters (X's limit; a longer one is
    /// cut); `None` when nothing is left.
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
    /// A profile with only an id and a handle, as the access-token reply gives them (the
    /// source is [`ProfileSource::AccessToken`]); set the other fields as needed.
    ///
    /// ```
    /// use actix_twitter_login::Profile;
    ///
    /// let mut profile = Profile::new("12", "jack");
    /// profile.display_name = Some("Jack".into());
    /// assert_eq!(profile.provider, "twitter");
    /// ```
    pub fn new(user_id: &str, screen_name: &str) -> Self {
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
    ///
    /// `id` must be a string of decimal digits and `username` a non-empty handle; `name`,
    /// `profile_image_url` and `confirmed_email` are used when present. `raw` is the `data`
    /// object. A reply with `errors` and no `data` fails with the first error's `detail`.
    pub(crate) fn from_users_me(body: &[u8]) -> Result<Self, String> {
        let mut reply = object(body)?;
        let data = match reply.remove("data") {
            Some(Value::Object(data)) => data,
            _ => {
                return Err(provider_error(&reply)
                    .unwrap_or_else(|| "the reply has no `data` object".to_owned()))
            }
        };
        let id = match data.get("id") {
            Some(Value::String(id)) if is_decimal(id) => id.clone(),
            _ => return Err("`data.id` is missing or not a string of decimal digits".to_owned()),
        };
        let username = handle(&data, "username")?;
        Ok(Self {
            provider: "twitter",
            id,
            username,
            display_name: display_name(&data),
            photos: text_field(&data, "profile_image_url").into_iter().collect(),
            emails: text_field(&data, "confirmed_email").into_iter().collect(),
            source: ProfileSource::UsersMe,
            raw: Some(Value::Object(data)),
        })
    }

    /// Parses a v1.1 `verify_credentials` user object.
    ///
    /// The id is `id_str` when that is a non-empty string (it must then be decimal), else the
    /// integer `id` read as a `u64`, never through a float; `username` is `screen_name`.
    /// `name`, `profile_image_url_https` and a non-empty `email` are used when present. `raw`
    /// is the whole object.
    pub(crate) fn from_verify_credentials(body: &[u8]) -> Result<Self, String> {
        let user = object(body)?;
        let id = match (user.get("id_str"), user.get("id")) {
            (Some(Value::String(id)), _) if !id.is_empty() => {
                if !is_decimal(id) {
                    return Err("`id_str` is not a string of decimal digits".to_owned());
                }
                id.clone()
            }
            // `as_u64` is `None` for floats and negatives: an id is never rounded.
            (_, Some(Value::Number(id))) => match id.as_u64() {
                Some(id) => id.to_string(),
                None => return Err("`id` is not a non-negative integer".to_owned()),
            },
            (_, Some(_)) => return Err("`id` is not an integer".to_owned()),
            (_, None) => {
                return Err(provider_error(&user)
                    .unwrap_or_else(|| "the user object has no `id_str` or `id`".to_owned()))
            }
        };
        let username = handle(&user, "screen_name")?;
        Ok(Self {
            provider: "twitter",
            id,
            username,
            display_name: display_name(&user),
            photos: text_field(&user, "profile_image_url_https")
                .into_iter()
                .collect(),
            emails: text_field(&user, "email").into_iter().collect(),
            source: ProfileSource::VerifyCredentials,
            raw: Some(Value::Object(user)),
        })
    }
}

/// The longest handle accepted (X's are at most 15 characters; older ones a little longer).
const HANDLE_CHARS: usize = 64;

/// The most characters kept of a display name (X allows 50).
const DISPLAY_NAME_CHARS: usize = 50;

/// The body as a JSON object.
fn object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("the reply is JSON but not an object".to_owned()),
        Err(e) => Err(match text::excerpt(body, 40) {
            Some(start) => format!("the reply is not JSON ({e}); it starts with `{start}`"),
            None => format!("the reply is not JSON ({e})"),
        }),
    }
}

/// The first entry of a reply's `errors` array, as a reason.
fn provider_error(reply: &Map<String, Value>) -> Option<String> {
    let first = reply.get("errors")?.as_array()?.first()?;
    let message = ["detail", "title", "message"]
        .into_iter()
        .find_map(|key| text::clean(first.get(key)?.as_str()?, MESSAGE_CHARS))
        .unwrap_or_else(|| "no detail".to_owned());
    Some(format!("the provider returned an error: {message}"))
}

fn is_decimal(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && id.parse::<u64>().is_ok()
}

/// A required handle: a non-empty string without whitespace, control or bidirectional-control
/// characters.
fn handle(object: &Map<String, Value>, key: &str) -> Result<String, String> {
    match object.get(key) {
        Some(Value::String(name))
            if !name.is_empty()
                && name.chars().count() <= HANDLE_CHARS
                && !name
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || text::is_bidi_control(c)) =>
        {
            Ok(name.clone())
        }
        _ => Err(format!("`{key}` is missing or not a handle")),
    }
}

/// The display name, `name`: its control and bidirectional-control characters removed,
/// trimmed, and cut after [`DISPLAY_NAME_CHARS`] characters; `None` when absent, not a string,
/// or nothing is left.
fn display_name(object: &Map<String, Value>) -> Option<String> {
    let name = object.get("name")?.as_str()?;
    let kept: String = name
        .chars()
        .filter(|&c| !c.is_control() && !text::is_bidi_control(c))
        .collect();
    let cut: String = kept.trim().chars().take(DISPLAY_NAME_CHARS).collect();
    let cut = cut.trim_end();
    (!cut.is_empty()).then(|| cut.to_owned())
}

/// An optional string field: `None` when absent, not a string, or blank.
fn text_field(object: &Map<String, Value>, key: &str) -> Option<String> {
    let value = object.get(key)?.as_str()?;
    (!value.trim().is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests;
