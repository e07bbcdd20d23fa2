//! Hints for the app's operator: what a known provider error code means and how to fix it,
//! logged next to the error.

use super::error::ErrorBody;

impl ErrorBody {
    /// An actionable hint for the app's operator for known codes (32, 89, 135, 415, 416, 453,
    /// `client-not-enrolled`), logged next to the error.
    ///
    /// Also known: 88, 215 and 417, and the v2 `rate-limit-exceeded`, `usage-capped` and
    /// `client-forbidden` problem types.
    pub(crate) fn hint(&self) -> Option<&'static str> {
        Some(match self.code.as_deref()? {
            "32" => {
                "X could not authenticate the app: check the consumer key and secret (API key \
                 and secret) and that the server clock is correct; a bad signature also gives 32"
            }
            "89" => {
                "the token is invalid, expired or revoked: start the sign-in again; the user may \
                 have revoked the app's access"
            }
            "135" => {
                "the request timestamp is out of range: the server clock is off; keep it in sync \
                 with NTP"
            }
            "215" => {
                "bad authentication data: the OAuth Authorization header is missing or \
                 malformed; check the consumer key and secret"
            }
            "415" => {
                "the callback URL is not approved: register this exact callback URL (scheme, \
                 host, port, path, trailing slash) in the app's settings on the developer \
                 portal; for local development use http://127.0.0.1, not localhost"
            }
            "416" => {
                "the app is invalid or suspended and cannot be used to sign in: check its status \
                 in the developer portal"
            }
            "417" => {
                "the app is set up as a desktop app, which only accepts oauth_callback=oob: \
                 enable web callbacks (add a callback URL) in the app's settings"
            }
            "453" => {
                "the app's access tier does not include this endpoint: use \
                 ProfileSource::UsersMe or ProfileSource::AccessToken"
            }
            "88" | "rate-limit-exceeded" => {
                "rate limit exceeded: wait for the window to reset (x-rate-limit-reset) before \
                 retrying"
            }
            "usage-capped" => {
                "the app's usage cap is reached: raise the cap or add credit in the developer \
                 portal, or wait for the period to reset"
            }
            "client-not-enrolled" | "client-forbidden" => {
                "the app is not attached to a Project with v2 access: in the developer portal, \
                 attach it to a Project in the pay-per-use Production environment (or, with \
                 OAuth 1.0a, use ProfileSource::AccessToken)"
            }
            "invalid_client" | "unauthorized_client" => {
                "X refused the OAuth 2.0 client: check the client id and secret (OAuth 2.0's, not \
                 the 1.0a API key), that OAuth 2.0 is on in the app's settings, and that the app \
                 type matches: a Web App is confidential (give the secret), a Native App or \
                 Single page App is public (give none)"
            }
            "invalid_grant" => {
                "X refused the authorization code: it expired (codes live 30 seconds), was used \
                 already, or the redirect URI or code verifier differ from the authorization \
                 request's; check that the callback URL registered with X is exactly the \
                 configured one"
            }
            "invalid_request" | "invalid_scope" => {
                "X refused the OAuth 2.0 request: check the scopes (tweet.read and users.read \
                 are needed) and that the callback URL registered with X is exactly the \
                 configured one"
            }
            "server_error" | "temporarily_unavailable" => {
                "X could not complete the authorization; it usually passes: try again later"
            }
            "credits-depleted" => {
                "the app's pay-per-use credit is used up: add credit in the developer portal"
            }
            _ => return None,
        })
    }
}
