//! Options of the login start: where the user returns to after signing in.

use super::TwitterLoginMiddlewareBuilder;

/// The query parameter of the login start that names the page to return to, by default.
pub(crate) const DEFAULT_RETURN_TO_PARAM: &str = "return_to";

impl TwitterLoginMiddlewareBuilder {
    /// The query parameter of the login start that names where to go after signing in, e.g.
    /// `GET /login/twitter?return_to=/settings`. Default: `return_to`.
    ///
    /// The value is kept with the pending login (so it survives the session renewal at login)
    /// and used instead of [`success_redirect`](Self::success_redirect) when it is a path on
    /// this site of at most 256 bytes: anything that could lead elsewhere (`//host`, `/\host`,
    /// `https://...`, backslashes, control characters, tabs and newlines, raw or
    /// percent-encoded) is ignored, and the success redirect is used. Build fails with
    /// [`ConfigError::Empty`](crate::ConfigError::Empty) for an empty name and
    /// [`ConfigError::Path`](crate::ConfigError::Path) for a name that is not letters,
    /// digits, `_`, `-` or `.`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .return_to_param("next");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn return_to_param(mut self, name: impl Into<String>) -> Self {
        self.return_to_param = name.into();
        self
    }
}
