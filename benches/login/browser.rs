//! A virtual browser: its own awc client (its own connections), no automatic redirects, and a
//! cookie jar for the app's origin only (the provider stands for another site). One complete
//! login is four requests, as a browser makes them.

use std::{collections::BTreeMap, time::Duration};

use actix_web::http::{header, StatusCode};

use super::screen_name;

/// How a login attempt ended.
#[derive(Debug)]
pub enum Outcome {
    /// Back on the home page, signed in with this identity (the app's user id).
    SignedIn(String),
    /// The app answered its failure page with a message, and the home page is anonymous.
    FailurePage { status: StatusCode },
    /// Anything else: a lost login.
    Broken(String),
}

/// One response, read whole.
struct Page {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

pub struct Browser {
    client: awc::Client,
    app: String,
    provider: String,
    jar: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(app: &str, provider: &str) -> Self {
        // awc's TLS support wants a process-wide crypto provider, even for plain HTTP.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self {
            client: awc::Client::builder()
                .disable_redirects()
                .timeout(Duration::from_secs(30))
                .finish(),
            app: app.to_owned(),
            provider: provider.to_owned(),
            jar: BTreeMap::new(),
        }
    }

    /// A first visit: login → provider approve → callback → home, with an empty cookie jar.
    pub async fn login(&mut self, account: usize) -> Outcome {
        self.jar.clear();
        match self.try_login(account).await {
            Ok(outcome) => outcome,
            Err(broken) => Outcome::Broken(broken),
        }
    }

    async fn try_login(&mut self, account: usize) -> Result<Outcome, String> {
        let start = self.get(&format!("{}/login/twitter", self.app)).await?;
        if start.status != StatusCode::FOUND {
            return self.failure_page("login", start).await;
        }
        let authenticate = start.location.ok_or("login: a redirect without Location")?;
        let approve = match authenticate.split_once("/i/oauth2/authorize?") {
            // OAuth 2.0: the same authorization request, approved as the account.
            Some((_, query)) => format!(
                "{}/i/oauth2/authorize/approve?{query}&user={}",
                self.provider,
                screen_name(account)
            ),
            None => {
                let token = url::Url::parse(&authenticate)
                    .map_err(|e| format!("login: bad redirect {authenticate:?}: {e}"))?
                    .query_pairs()
                    .find(|(k, _)| k == "oauth_token")
                    .map(|(_, v)| v.into_owned())
                    .ok_or("login: no oauth_token in the redirect")?;
                let approve = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("oauth_token", &token)
                    .append_pair("user", &screen_name(account))
                    .finish();
                format!("{}/oauth/authenticate/approve?{approve}", self.provider)
            }
        };
        let approved = self.get(&approve).await?;
        let callback = match (approved.status, approved.location) {
            (StatusCode::FOUND, Some(location)) => location,
            (status, _) => return Err(format!("approve: {status}: {}", approved.body)),
        };
        let back = self.get(&callback).await?;
        if back.status != StatusCode::FOUND {
            return self.failure_page("callback", back).await;
        }
        if back.location.as_deref() != Some("/") {
            return Err(format!("callback: redirect to {:?}", back.location));
        }
        let home = self.get(&format!("{}/", self.app)).await?;
        match home.body.strip_prefix("signed in as ") {
            Some(id) if home.status == StatusCode::OK => Ok(Outcome::SignedIn(id.to_owned())),
            _ => Err(format!("home: {}: {}", home.status, home.body)),
        }
    }

    /// A failed leg: it must be the failure page with its message, leaving no one signed in.
    async fn failure_page(&mut self, leg: &str, page: Page) -> Result<Outcome, String> {
        let has_message = page.body.contains("<p role=\"alert\">")
            && !page.body.contains("<p role=\"alert\"></p>");
        if !page.status.is_client_error() && !page.status.is_server_error() || !has_message {
            return Err(format!("{leg}: {}: {}", page.status, page.body));
        }
        let home = self.get(&format!("{}/", self.app)).await?;
        if home.body != "anonymous" {
            return Err(format!("{leg} failed but home says {:?}", home.body));
        }
        Ok(Outcome::FailurePage {
            status: page.status,
        })
    }

    async fn get(&mut self, url: &str) -> Result<Page, String> {
        let to_app = url
            .strip_prefix(&self.app)
            .is_some_and(|rest| rest.starts_with('/'));
        let mut request = self.client.get(url);
        if to_app && !self.jar.is_empty() {
            let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.insert_header((header::COOKIE, cookies.join("; ")));
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        if to_app {
            for value in response.headers().get_all(header::SET_COOKIE) {
                let value = value.to_str().map_err(|e| format!("Set-Cookie: {e}"))?;
                self.store_cookie(value);
            }
        }
        let body = response
            .body()
            .limit(1 << 16)
            .await
            .map_err(|e| format!("GET {url}: body: {e}"))?;
        Ok(Page {
            status: response.status(),
            location: response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    fn store_cookie(&mut self, raw: &str) {
        let first = raw.split(';').next().unwrap_or("");
        let Some((name, value)) = first.split_once('=') else {
            return;
        };
        let (name, value) = (name.trim(), value.trim());
        if value.is_empty() || raw.to_ascii_lowercase().contains("max-age=0") {
            self.jar.remove(name);
        } else {
            self.jar.insert(name.to_owned(), value.to_owned());
        }
    }
}
