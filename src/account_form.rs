//! The CSRF token of the forms that change a signed-in user's accounts: linking an X account
//! (a `POST` of the link path) and unlinking it. It lives in the session (the user is signed
//! in, so there is one), and a form is accepted only with it and only when the browser does
//! not say another site sent it.

use actix_session::{Session, SessionInsertError};
use actix_web::HttpRequest;
use oauth2::CsrfToken;
use subtle::ConstantTimeEq as _;

use crate::origin::{self, Site};

/// The form field that carries the token.
pub const ACCOUNT_FORM_FIELD: &str = "csrf_token";

/// The session key the token is kept under.
const SESSION_KEY: &str = "twitter_login.account_form_token";

/// The token for the hidden [`ACCOUNT_FORM_FIELD`] of the app's "Connect X" (link) and
/// "Disconnect X" (unlink) forms: the session's, made (128 random bits) on first use.
///
/// ```
/// use actix_session::Session;
/// use actix_twitter_login::{account_form_token, ACCOUNT_FORM_FIELD};
///
/// fn connect_form(session: &Session) -> Result<String, actix_session::SessionInsertError> {
///     let token = account_form_token(session)?;
///     Ok(format!(
///         r#"<form method="post" action="/link/twitter">
///              <input type="hidden" name="{ACCOUNT_FORM_FIELD}" value="{token}">
///              <button>Connect X</button>
///            </form>"#
///     ))
/// }
/// ```
///
/// # Errors
/// When the session cannot hold the token.
pub fn account_form_token(session: &Session) -> Result<String, SessionInsertError> {
    if let Ok(Some(token)) = session.get::<String>(SESSION_KEY) {
        if !token.is_empty() {
            return Ok(token);
        }
    }
    let token = CsrfToken::new_random().secret().to_owned();
    session.insert(SESSION_KEY, &token)?;
    Ok(token)
}

/// Whether a `POST` of an account form may act: not sent from another site (as far as the
/// browser says), with the field's token equal to the session's.
pub(crate) fn accepts(req: &HttpRequest, session: &Session, field: Option<&str>) -> bool {
    if origin::of(req) == Site::Cross {
        return false;
    }
    match (session.get::<String>(SESSION_KEY), field) {
        (Ok(Some(kept)), Some(field)) if !kept.is_empty() => {
            bool::from(kept.as_bytes().ct_eq(field.as_bytes()))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use actix_session::SessionExt as _;
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn only_the_session_s_token_from_this_site_is_accepted() {
        let req = TestRequest::post().to_http_request();
        let session = req.get_session();
        assert!(!accepts(&req, &session, Some("")), "no token made yet");
        let token = account_form_token(&session).unwrap();
        assert!(token.len() >= 22, "{token}");
        assert_eq!(account_form_token(&session).unwrap(), token, "kept");
        assert!(accepts(&req, &session, Some(&token)));
        assert!(!accepts(&req, &session, Some(&format!("{token}x"))));
        assert!(!accepts(&req, &session, None));
        let cross = TestRequest::post()
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_http_request();
        assert!(!accepts(&cross, &session, Some(&token)));
    }

    #[test]
    fn an_empty_kept_token_matches_nothing_and_is_replaced() {
        let req = TestRequest::post().to_http_request();
        let session = req.get_session();
        session.insert(SESSION_KEY, "").unwrap();
        assert!(!accepts(&req, &session, Some("")));
        let token = account_form_token(&session).unwrap();
        assert!(!token.is_empty());
        assert!(accepts(&req, &session, Some(&token)));
    }
}
