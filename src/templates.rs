//! The tera templates: the login page and the failure page, built in and overridable.

use std::{path::Path, sync::OnceLock};

use tera::{Context, Tera};

const LOGIN: &str = "login.html";
const FAILURE: &str = "failure.html";

/// The login and failure page templates.
///
/// The built-in ones come from the crate's `templates/` folder. An app overrides them by
/// pointing [`Templates::from_dir`] at a folder with its own `login.html` and/or
/// `failure.html` (names end in `.html`, so tera escapes every value).
#[derive(Debug, Clone)]
pub struct Templates {
    tera: Tera,
}

impl Default for Templates {
    fn default() -> Self {
        Self::builtin().clone()
    }
}

impl Templates {
    fn builtin() -> &'static Templates {
        static BUILTIN: OnceLock<Templates> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut tera = Tera::default();
            tera.add_raw_templates([
                (LOGIN, include_str!("../templates/login.html")),
                (FAILURE, include_str!("../templates/failure.html")),
            ])
            .expect("the built-in templates parse");
            Templates { tera }
        })
    }

    /// The built-in templates, with `login.html` and `failure.html` replaced by the files of
    /// that name in `dir` where they exist.
    ///
    /// # Errors
    /// When a file exists but cannot be read or does not parse.
    ///
    /// ```
    /// # use actix_twitter_login::Templates;
    /// let templates = Templates::from_dir("templates").expect("the crate's own templates parse");
    /// # drop(templates);
    /// ```
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, tera::Error> {
        let mut templates = Self::default();
        for name in [LOGIN, FAILURE] {
            let path = dir.as_ref().join(name);
            if path.is_file() {
                templates.tera.add_template_file(&path, Some(name))?;
            }
        }
        Ok(templates)
    }

    /// Renders the login page. Values: `messages` (list), `login_url`, `logout_url`,
    /// `user_id` (absent when signed out).
    ///
    /// # Errors
    /// When an overriding template fails to render.
    pub fn login_page(
        &self,
        messages: &[String],
        login_url: &str,
        logout_url: &str,
        user_id: Option<&str>,
    ) -> Result<String, tera::Error> {
        let mut context = Context::new();
        context.insert("messages", messages);
        context.insert("login_url", login_url);
        context.insert("logout_url", logout_url);
        if let Some(user_id) = user_id {
            context.insert("user_id", user_id);
        }
        self.tera.render(LOGIN, &context)
    }
}

impl Templates {
    /// Renders the failure page answered when no failure redirect is configured. Values:
    /// `message`, `login_url`.
    ///
    /// # Errors
    /// When an overriding template fails to render.
    pub fn failure_page(&self, message: &str, login_url: &str) -> Result<String, tera::Error> {
        let mut context = Context::new();
        context.insert("message", message);
        context.insert("login_url", login_url);
        self.tera.render(FAILURE, &context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_html_escaped() {
        let page = Templates::default()
            .login_page(
                &["<script>alert(1)</script>".into()],
                "/login/twitter",
                "/logout",
                None,
            )
            .unwrap();
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
            "{page}"
        );
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("Sign in with Twitter"));
        let failure = Templates::default()
            .failure_page("<b>no</b>", "/login/twitter")
            .unwrap();
        assert!(failure.contains("&lt;b&gt;no&lt;&#x2F;b&gt;"), "{failure}");
    }

    #[test]
    fn signed_in_page_offers_logout() {
        let page = Templates::default()
            .login_page(&[], "/login/twitter", "/logout", Some("7"))
            .unwrap();
        assert!(page.contains("action=\"&#x2F;logout\""), "{page}");
        assert!(!page.contains("Sign in with Twitter"));
    }
}
