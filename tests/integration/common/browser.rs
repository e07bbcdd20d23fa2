//! A browser stand-in: follows nothing by itself, keeps cookies like a browser would (one jar
//! for 127.0.0.1, whatever the port), and reports every hop.

use std::{cell::RefCell, collections::BTreeMap};

use actix_web::http::{header, StatusCode};

/// One response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
    /// Raw `Set-Cookie` header values.
    pub set_cookies: Vec<String>,
    headers: header::HeaderMap,
}

impl Page {
    /// One response header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// A cookie-keeping HTTP client.
pub struct Browser {
    client: awc::Client,
    jar: RefCell<BTreeMap<String, String>>,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    pub fn new() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self {
            client: awc::Client::builder()
                .disable_redirects()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
            jar: RefCell::new(BTreeMap::new()),
        }
    }

    /// The cookie header this browser would send.
    pub fn cookie_header(&self) -> String {
        self.jar
            .borrow()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The value of one cookie.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.borrow().get(name).cloned()
    }

    /// Replaces one cookie's value (to replay an old session, say).
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar.borrow_mut().insert(name.into(), value.into());
    }

    /// Forgets every cookie.
    pub fn clear_cookies(&self) {
        self.jar.borrow_mut().clear();
    }

    pub async fn get(&self, url: &str) -> Page {
        self.get_with(url, &[]).await
    }

    /// A `GET` with these headers too.
    pub async fn get_with(&self, url: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(url);
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        self.send(request, None).await
    }

    pub async fn post(&self, url: &str) -> Page {
        self.post_with(url, &[]).await
    }

    /// A `POST` of a form (`application/x-www-form-urlencoded`) with these headers too.
    pub async fn post_form(
        &self,
        url: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut request = self
            .client
            .post(url)
            .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        self.send(request, Some(&body)).await
    }

    /// A `POST` with these headers too (`Origin`, `Sec-Fetch-Site`, ... as a browser sends them).
    pub async fn post_with(&self, url: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.post(url);
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        self.send(request, Some("")).await
    }

    async fn send(&self, mut request: awc::ClientRequest, body: Option<&str>) -> Page {
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            request = request.insert_header((header::COOKIE, cookies));
        }
        let mut response = match body {
            Some(body) => request.send_body(body.to_owned()).await,
            None => request.send().await,
        }
        .expect("the request reaches the server");
        let set_cookies: Vec<String> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for raw in &set_cookies {
            self.store_cookie(raw);
        }
        let body = response.body().limit(1 << 20).await.expect("a body");
        Page {
            status: response.status(),
            location: response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: String::from_utf8_lossy(&body).into_owned(),
            set_cookies,
            headers: response.headers().clone(),
        }
    }

    fn store_cookie(&self, raw: &str) {
        let first = raw.split(';').next().unwrap_or("");
        let Some((name, value)) = first.split_once('=') else {
            return;
        };
        let removed = raw.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
        let mut jar = self.jar.borrow_mut();
        if removed {
            jar.remove(name.trim());
        } else {
            jar.insert(name.trim().to_owned(), value.trim().to_owned());
        }
    }
}
