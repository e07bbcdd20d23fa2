//! Parsing the provider's form-encoded token replies (whatever their content type).
//!
//! X labels these replies `text/html`, so the content type is ignored and the body must look
//! like form data: UTF-8, not JSON or markup. A required parameter must appear exactly once
//! with a non-empty value free of control characters; a repeated one is refused rather than
//! guessed at. Unknown parameters are ignored.
//!
//! The temporary credentials are kept in the session until the callback, so they are bounded:
//! see [`temporary_credentials`].

use std::borrow::Cow;

use super::TemporaryCredentials;
use crate::{
    credentials::{Secret, TokenCredentials},
    text,
};

/// Why a token reply could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ReplyError {
    /// The body is not `application/x-www-form-urlencoded` text.
    #[error("the reply is not form-encoded")]
    NotForm,
    /// A required parameter is absent or empty.
    #[error("the reply lacks `{0}`")]
    Missing(&'static str),
    /// A required parameter is repeated or holds control characters; or `user_id` is not a
    /// decimal number, `screen_name` not a handle, or a temporary credential too long or
    /// holding `"` or `\`.
    #[error("the reply has an unusable `{0}`")]
    Invalid(&'static str),
    /// `oauth_callback_confirmed` is absent or not `true` (RFC 5849 section 2.1).
    #[error("the provider did not confirm the callback (oauth_callback_confirmed)")]
    CallbackNotConfirmed,
}

/// The access-token reply: token credentials plus the identity X returns with them.
#[derive(Debug, Clone)]
pub(crate) struct AccessReply {
    pub credentials: TokenCredentials,
    /// `user_id`: the numeric id as a string.
    pub user_id: String,
    /// `screen_name`.
    pub screen_name: String,
}

/// The longest temporary-credentials token accepted, in bytes: the longest `oauth_token` the
/// callback accepts, as a longer one could never come back.
pub(crate) const MAX_TEMPORARY_TOKEN_BYTES: usize = super::callback::MAX_VALUE_BYTES;

/// The longest temporary-credentials secret accepted, in bytes (X's are about 40 characters;
/// 128 is also the longest code verifier RFC 7636 allows).
pub(crate) const MAX_TEMPORARY_SECRET_BYTES: usize = 128;

/// Parses the request-token reply; requires `oauth_token`, `oauth_token_secret` and
/// `oauth_callback_confirmed=true`.
///
/// The session keeps the token and secret until the callback, so each pending login must have
/// a known largest size (it bounds `max_pending_logins`): the token is at most
/// [`MAX_TEMPORARY_TOKEN_BYTES`], the secret at most [`MAX_TEMPORARY_SECRET_BYTES`], and
/// neither holds `"` or `\`, which the session's JSON (itself stored as a JSON string) would
/// turn into four bytes each.
pub(crate) fn temporary_credentials(body: &[u8]) -> Result<TemporaryCredentials, ReplyError> {
    let form = Form::parse(body)?;
    let token = form.required("oauth_token")?;
    let secret = form.required("oauth_token_secret")?;
    if form.values("oauth_callback_confirmed").ne(["true"]) {
        return Err(ReplyError::CallbackNotConfirmed);
    }
    let stored_as_is = |value: &str| !value.contains(['"', '\\']);
    if token.len() > MAX_TEMPORARY_TOKEN_BYTES || !stored_as_is(token) {
        return Err(ReplyError::Invalid("oauth_token"));
    }
    if secret.len() > MAX_TEMPORARY_SECRET_BYTES || !stored_as_is(secret) {
        return Err(ReplyError::Invalid("oauth_token_secret"));
    }
    Ok(TemporaryCredentials {
        token: token.to_owned(),
        secret: Secret::new(secret),
    })
}

/// Parses the access-token reply; requires `oauth_token`, `oauth_token_secret`, `user_id`,
/// `screen_name`.
pub(crate) fn access_reply(body: &[u8]) -> Result<AccessReply, ReplyError> {
    let form = Form::parse(body)?;
    let token = form.required("oauth_token")?;
    let secret = form.required("oauth_token_secret")?;
    let user_id = form.required("user_id")?;
    let screen_name = form.required("screen_name")?;
    let decimal = user_id.bytes().all(|b| b.is_ascii_digit()) && user_id.parse::<u64>().is_ok();
    if !decimal {
        return Err(ReplyError::Invalid("user_id"));
    }
    // The same rule as the profile's handle: it may become the user's name.
    let handle = screen_name.chars().count() <= 64
        && !screen_name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || text::is_bidi_control(c));
    if !handle {
        return Err(ReplyError::Invalid("screen_name"));
    }
    Ok(AccessReply {
        credentials: TokenCredentials {
            token: token.to_owned(),
            secret: Secret::new(secret),
        },
        user_id: user_id.to_owned(),
        screen_name: screen_name.to_owned(),
    })
}

/// The decoded `(name, value)` pairs of a form body, in order; borrowed from the body unless
/// decoding changed them.
struct Form<'b>(Vec<(Cow<'b, str>, Cow<'b, str>)>);

impl<'b> Form<'b> {
    fn parse(body: &'b [u8]) -> Result<Self, ReplyError> {
        let text = std::str::from_utf8(body).map_err(|_| ReplyError::NotForm)?;
        let text = text.trim();
        if text.starts_with(['{', '[', '<']) {
            return Err(ReplyError::NotForm);
        }
        Ok(Form(url::form_urlencoded::parse(text.as_bytes()).collect()))
    }

    fn values<'f>(&'f self, name: &'f str) -> impl Iterator<Item = &'f str> + 'f {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    fn required(&self, name: &'static str) -> Result<&str, ReplyError> {
        let mut values = self.values(name);
        let value = values.next().ok_or(ReplyError::Missing(name))?;
        if values.next().is_some() || value.chars().any(char::is_control) {
            return Err(ReplyError::Invalid(name));
        }
        if value.is_empty() {
            return Err(ReplyError::Missing(name));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use url::form_urlencoded::Serializer;

    use super::*;

    const REQUEST_TOKEN: &str = "oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik&oauth_token_secret=Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM&oauth_callback_confirmed=true";
    const ACCESS_TOKEN: &str = "oauth_token=6253282-eWudHldSbIaelX7swmsiHImEL4KinwaGloHANdrY&oauth_token_secret=2EEfA6BG5ly3sR3XjE0IBSnlQu4ZrUzPiYTmrkVU&user_id=6253282&screen_name=xapi";

    fn temporary(body: &str) -> Result<(String, String), ReplyError> {
        temporary_credentials(body.as_bytes()).map(|t| (t.token, t.secret.expose().to_owned()))
    }

    fn access(body: &str) -> Result<(String, String, String, String), ReplyError> {
        access_reply(body.as_bytes()).map(|a| {
            let secret = a.credentials.secret.expose().to_owned();
            (a.credentials.token, secret, a.user_id, a.screen_name)
        })
    }

    #[test]
    fn x_documented_replies() {
        assert_eq!(
            temporary(REQUEST_TOKEN),
            Ok((
                "Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik".into(),
                "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM".into()
            ))
        );
        assert_eq!(
            access(ACCESS_TOKEN),
            Ok((
                "6253282-eWudHldSbIaelX7swmsiHImEL4KinwaGloHANdrY".into(),
                "2EEfA6BG5ly3sR3XjE0IBSnlQu4ZrUzPiYTmrkVU".into(),
                "6253282".into(),
                "xapi".into()
            ))
        );
        // Order, extra parameters, percent-encoding and a trailing newline do not matter.
        let body = "screen_name=x%5Fapi&x_auth_expires=0&user_id=6253282\
                    &oauth_token_secret=s%2Bt&oauth_token=t\n";
        assert_eq!(
            access(body),
            Ok(("t".into(), "s+t".into(), "6253282".into(), "x_api".into()))
        );
    }

    #[test]
    fn callback_must_be_confirmed() {
        let body = REQUEST_TOKEN.replace("&oauth_callback_confirmed=true", "");
        assert_eq!(temporary(&body), Err(ReplyError::CallbackNotConfirmed));
        for bad in ["false", "TRUE", "", "true&oauth_callback_confirmed=true"] {
            let body = REQUEST_TOKEN.replace("confirmed=true", &format!("confirmed={bad}"));
            assert_eq!(
                temporary(&body),
                Err(ReplyError::CallbackNotConfirmed),
                "{bad}"
            );
        }
    }

    #[test]
    fn temporary_credentials_are_bounded_for_the_session() {
        let reply = |token: &str, secret: &str| {
            let body = Serializer::new(String::new())
                .append_pair("oauth_token", token)
                .append_pair("oauth_token_secret", secret)
                .append_pair("oauth_callback_confirmed", "true")
                .finish();
            temporary(&body)
        };
        let (token, secret) = ("t".repeat(256), "s".repeat(128));
        assert_eq!(reply(&token, &secret), Ok((token.clone(), secret.clone())));
        // In bytes: 128 two-byte characters are 256 bytes.
        assert!(reply(&"é".repeat(128), "s").is_ok());
        assert_eq!(
            reply(&format!("{token}t"), "s"),
            Err(ReplyError::Invalid("oauth_token"))
        );
        assert_eq!(
            reply(&format!("{}é", "t".repeat(255)), "s"),
            Err(ReplyError::Invalid("oauth_token"))
        );
        assert_eq!(
            reply("t", &format!("{secret}s")),
            Err(ReplyError::Invalid("oauth_token_secret"))
        );
        for bad in ["a\"b", "a\\b"] {
            assert_eq!(
                reply(bad, "s"),
                Err(ReplyError::Invalid("oauth_token")),
                "{bad}"
            );
            assert_eq!(
                reply("t", bad),
                Err(ReplyError::Invalid("oauth_token_secret")),
                "{bad}"
            );
        }
        // Other reserved characters are fine: RFC 5849 leaves the credentials' syntax open.
        assert!(reply("a+b/c=d%e", "f&g h'i").is_ok());
    }

    #[test]
    fn required_parameters() {
        assert_eq!(
            temporary("oauth_token_secret=s&oauth_callback_confirmed=true"),
            Err(ReplyError::Missing("oauth_token"))
        );
        assert_eq!(
            temporary("oauth_token=t&oauth_token_secret=&oauth_callback_confirmed=true"),
            Err(ReplyError::Missing("oauth_token_secret"))
        );
        for name in [
            "oauth_token",
            "oauth_token_secret",
            "user_id",
            "screen_name",
        ] {
            let without: Vec<_> = ACCESS_TOKEN
                .split('&')
                .filter(|pair| !pair.starts_with(&format!("{name}=")))
                .collect();
            assert_eq!(access(&without.join("&")), Err(ReplyError::Missing(name)));
            let repeated = format!("{ACCESS_TOKEN}&{name}=1");
            assert_eq!(access(&repeated), Err(ReplyError::Invalid(name)));
        }
        assert_eq!(access(""), Err(ReplyError::Missing("oauth_token")));
    }

    #[test]
    fn user_id_must_be_decimal() {
        for bad in [
            "-1",
            "+5",
            "12a",
            "1.0",
            "%EF%BC%91",
            "99999999999999999999999",
        ] {
            let body = ACCESS_TOKEN.replace("user_id=6253282", &format!("user_id={bad}"));
            assert_eq!(access(&body), Err(ReplyError::Invalid("user_id")), "{bad}");
        }
        // A handle: no whitespace, control or bidirectional-control characters.
        for bad in [
            "x%0D%0Aapi",
            "x%20api",
            "x%E2%80%AEapi",
            "xapi%E2%81%A6",
            "x%D8%9Capi",
        ] {
            let body = ACCESS_TOKEN.replace("screen_name=xapi", &format!("screen_name={bad}"));
            assert_eq!(
                access(&body),
                Err(ReplyError::Invalid("screen_name")),
                "{bad}"
            );
        }
    }

    #[test]
    fn error_bodies_are_not_replies() {
        let not_form = [
            br#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#.as_slice(),
            b"<?xml version='1.0' encoding='UTF-8'?><errors><error code=\"415\">Callback URL not approved</error></errors>",
            b"  <!DOCTYPE html><html></html>",
            b"oauth_token=\xff\xfe&oauth_token_secret=s",
            b"[1]",
        ];
        for body in not_form {
            assert_eq!(temporary_credentials(body).err(), Some(ReplyError::NotForm));
            assert_eq!(access_reply(body).err(), Some(ReplyError::NotForm));
        }
        // Plain text parses as a form with one odd name: nothing required is there.
        for body in [
            "Invalid request token.",
            "Error processing your OAuth request: Invalid oauth_verifier parameter",
            "\0\u{1}",
        ] {
            assert_eq!(temporary(body), Err(ReplyError::Missing("oauth_token")));
            assert_eq!(access(body), Err(ReplyError::Missing("oauth_token")));
        }
    }
}
