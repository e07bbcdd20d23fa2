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
    /// `user_id` (absent when signed out); with the login started by `POST`, `csrf_token`
    /// (for a hidden `csrf_token` field), and `return_to_param` and `return_to` (absent when
    /// none) for another hidden field.
    pub(crate) fn login_page(&self, page: &LoginPage<'_>) -> Result<String, tera::Error> {
        let mut context = Context::new();
        context.insert("messages", page.messages);
        context.insert("login_url", page.login_url);
        context.insert("logout_url", page.logout_url);
        if let Some(user_id) = page.user_id {
            context.insert("user_id", user_id);
        }
        if let Some(form) = &page.form {
            context.insert("csrf_token", form.csrf_token);
            context.insert("return_to_param", form.return_to_param);
            if let Some(return_to) = form.return_to {
                context.insert("return_to", return_to);
            }
        }
        self.tera.render(LOGIN, &context)
    }
}

/// What the login page shows.
pub(crate) struct LoginPage<'a> {
    pub messages: &'a [String],
    /// Where the button goes (`GET`) or the form posts.
    pub login_url: &'a str,
    pub logout_url: &'a str,
    pub user_id: Option<&'a str>,
    /// With the login started by `POST`: the form's hidden fields.
    pub form: Option<FormFields<'a>>,
}

/// The hidden fields of the login form.
pub(crate) struct FormFields<'a> {
    pub csrf_token: &'a str,
    pub return_to_param: &'a str,
    pub return_to: Option<&'a str>,
}

impl Templates {
    /// Renders the failure page answered when no failure redirect is configured. Values:
    /// `message`, `login_url`.
    pub(crate) fn failure_page(
        &self,
        message: &str,
        login_url: &str,
    ) -> Result<String, tera::Error> {
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
        let messages = ["<script>alert(1)</script>".to_owned()];
        let page = Templates::default()
            .login_page(&LoginPage {
                messages: &messages,
                login_url: "/login/twitter",
                logout_url: "/logout",
                user_id: None,
                form: None,
            })
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
            .login_page(&LoginPage {
                messages: &[],
                login_url: "/login/twitter",
                logout_url: "/logout",
                user_id: Some("7"),
                form: None,
            })
            .unwrap();
        assert!(page.contains("action=\"&#x2F;logout\""), "{page}");
        assert!(!page.contains("Sign in with Twitter"));
    }

    #[test]
    fn with_a_form_the_button_posts_its_token_and_return_to() {
        let page = Templates::default()
            .login_page(&LoginPage {
                messages: &[],
                login_url: "/login/twitter",
                logout_url: "/logout",
                user_id: None,
                form: Some(FormFields {
                    csrf_token: "tok\"en",
                    return_to_param: "next",
                    return_to: Some("/a?b=1&c=\"2\""),
                }),
            })
            .unwrap();
        assert!(page.contains("method=\"post\""), "{page}");
        assert!(
            page.contains("name=\"csrf_token\" value=\"tok&quot;en\""),
            "{page}"
        );
        assert!(
            page.contains("name=\"next\" value=\"&#x2F;a?b=1&amp;c=&quot;2&quot;\""),
            "{page}"
        );
        assert!(!page.contains("<a class=\"twitter\""), "{page}");
    }
}
