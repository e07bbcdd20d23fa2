//! The login start by `POST`: a CSRF token as a double-submit cookie (no session is written for
//! it), checked with the browser's word on where the form came from.

use actix_web::{
    cookie::{Cookie, SameSite},
    dev::ServiceRequest,
};
use oauth2::CsrfToken;
use subtle::ConstantTimeEq as _;

use crate::origin::{self, Site};

/// The cookie that holds the login form's token.
pub(crate) const COOKIE: &str = "twitter_login_csrf";
/// The login form's field that holds the same token.
pub(crate) const FIELD: &str = "csrf_token";

/// What the login form needs: where it posts, the token, and the cookie that goes with it.
pub(crate) struct LoginForm {
    /// The token for the form's hidden field.
    pub token: String,
    /// The cookie to set with the page that shows the form.
    pub cookie: Cookie<'static>,
}

/// A fresh token (128 random bits) and its cookie: readable by the login path only, never by
/// scripts, never sent cross-site.
pub(crate) fn issue(login_path: &str, secure: bool) -> LoginForm {
    let token = CsrfToken::new_random().secret().to_owned();
    let cookie = Cookie::build(COOKIE, token.clone())
        .path(login_path.to_owned())
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    LoginForm { token, cookie }
}

/// Whether a `POST` of the login form may start a login: sent from this site (as far as the
/// browser says), with the field's token equal to the cookie's.
pub(crate) fn accepts(req: &ServiceRequest, field: Option<&str>) -> bool {
    if origin::of(req.request()) == Site::Cross {
        return false;
    }
    match (req.cookie(COOKIE), field) {
        (Some(cookie), Some(field)) if !field.is_empty() => {
            bool::from(cookie.value().as_bytes().ct_eq(field.as_bytes()))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn post(cookie: Option<&str>, headers: &[(&'static str, &'static str)]) -> ServiceRequest {
        let mut request = TestRequest::post().uri("/login/twitter");
        if let Some(value) = cookie {
            request = request.cookie(Cookie::new(COOKIE, value.to_owned()));
        }
        for header in headers {
            request = request.insert_header(*header);
        }
        request.to_srv_request()
    }

    #[test]
    fn a_token_is_fresh_and_its_cookie_is_locked_down() {
        let (a, b) = (
            issue("/login/twitter", true),
            issue("/login/twitter", false),
        );
        assert_ne!(a.token, b.token);
        assert!(a.token.len() >= 22, "{}", a.token);
        assert_eq!(a.cookie.value(), a.token);
        assert_eq!(a.cookie.path(), Some("/login/twitter"));
        assert_eq!(a.cookie.http_only(), Some(true));
        assert_eq!(a.cookie.same_site(), Some(SameSite::Strict));
        assert_eq!(a.cookie.secure(), Some(true));
        assert_eq!(b.cookie.secure(), Some(false));
    }

    #[test]
    fn only_a_matching_token_from_this_site_is_accepted() {
        assert!(accepts(&post(Some("t0k3n"), &[]), Some("t0k3n")));
        assert!(accepts(
            &post(Some("t0k3n"), &[("sec-fetch-site", "same-origin")]),
            Some("t0k3n")
        ));
        assert!(!accepts(&post(Some("t0k3n"), &[]), Some("t0k3m")));
        assert!(!accepts(&post(Some("t0k3n"), &[]), None));
        assert!(!accepts(&post(None, &[]), Some("t0k3n")));
        assert!(!accepts(&post(Some(""), &[]), Some("")));
        assert!(!accepts(
            &post(Some("t0k3n"), &[("sec-fetch-site", "cross-site")]),
            Some("t0k3n")
        ));
        assert!(!accepts(
            &post(Some("t0k3n"), &[("origin", "https://evil.example")]),
            Some("t0k3n")
        ));
    }
}
