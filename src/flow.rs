//! The login as the middleware runs it, whatever the protocol: pending logins in the session,
//! single use; the resolve step; logging in; and how a failure is answered.

use std::panic::{catch_unwind, AssertUnwindSafe};

use actix_identity::Identity;
use actix_session::{Session, SessionExt as _};
use actix_web::{
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    HttpMessage as _, HttpResponse,
};

use crate::{
    config::{Config, FailureMessage},
    csrf,
    error::LoginFailure,
    login_form,
    login_page::{self, Shown},
    origin::{self, Site},
    protocol::Callback,
    resolve::{ResolveError, Verdict},
    session::{self, PendingLogin, Taken},
    validate,
};

/// Leg 1: start the login with the provider, remember it, send the user to Twitter.
pub(crate) async fn start(
    req: ServiceRequest,
    config: &Config,
    http: &awc::Client,
) -> ServiceResponse {
    let return_to = login_page::return_to(req.query_string(), &config.return_to_param);
    started(req, config, http, return_to, None).await
}

/// Leg 1 by `POST` of the login form: its CSRF token checked first.
pub(crate) async fn start_posted(
    mut req: ServiceRequest,
    config: &Config,
    http: &awc::Client,
) -> ServiceResponse {
    let form = match login_form::read(&mut req).await {
        Ok(form) => form,
        Err(reason) => {
            let had_session = has_session(&req);
            return fail(req, config, LoginFailure::LoginForm(reason), had_session);
        }
    };
    if !csrf::accepts(&req, form.get(csrf::FIELD).map(String::as_str)) {
        let had_session = has_session(&req);
        let failure = LoginFailure::LoginForm("no matching CSRF token, or sent from another site");
        return fail(req, config, failure, had_session);
    }
    let return_to = form
        .get(&config.return_to_param)
        .and_then(|value| validate::return_to(value))
        .map(str::to_owned);
    started(req, config, http, return_to, None).await
}

/// A `GET` of the login path when logins start by `POST`: the login page with its form.
pub(crate) fn login_form(req: ServiceRequest, config: &Config) -> ServiceResponse {
    let start = config.login_start();
    let shown = Shown {
        messages: &[],
        user_id: None,
        logout_url: "",
        return_to: start.return_to(req.query_string()),
    };
    let page = login_page::render(&start, &config.templates, shown);
    req.into_response(page)
}

/// Starts the login (for a link: the link of `link_user`'s account) and sends the user to X.
async fn started(
    req: ServiceRequest,
    config: &Config,
    http: &awc::Client,
    return_to: Option<String>,
    link_user: Option<String>,
) -> ServiceResponse {
    let had_session = has_session(&req);
    match begin(&req, config, http, return_to, link_user).await {
        Ok(location) => redirect(req, &location),
        Err(failure) => fail(req, config, failure, had_session),
    }
}

async fn begin(
    req: &ServiceRequest,
    config: &Config,
    http: &awc::Client,
    return_to: Option<String>,
    link_user: Option<String>,
) -> Result<String, LoginFailure> {
    config.guard.admit(req).map_err(LoginFailure::Throttled)?;
    // Another site's page may navigate here at will: its start may not push out a login the
    // user started on this site.
    if origin::of(req.request()) == Site::Cross
        && session::pending_count(
            &req.get_session(),
            &config.session_key,
            config.pending_login_ttl,
        ) >= config.max_pending_logins
    {
        return Err(LoginFailure::CrossSiteStart);
    }
    let in_flight = config.guard.enter().map_err(LoginFailure::Throttled)?;
    let mut started = config.protocol.start(http).await?;
    drop(in_flight);
    started.pending.return_to = return_to;
    started.pending.link_user = link_user;
    session::remember(
        &req.get_session(),
        &config.session_key,
        &started.pending,
        config.max_pending_logins,
        config.pending_login_ttl,
    )
    .map_err(|e| LoginFailure::Session(e.to_string()))?;
    Ok(started.location)
}

/// Leg 2: the callback. Checks the key against this session's pending logins, lets the
/// protocol finish the login, runs the resolve step and logs the user in.
pub(crate) async fn callback(
    req: ServiceRequest,
    config: &Config,
    http: &awc::Client,
) -> ServiceResponse {
    let had_session = has_session(&req);
    let target =
        |return_to: Option<String>| return_to.unwrap_or_else(|| config.success_redirect.clone());
    match finish(&req, config, http).await {
        Ok(Finished::SignedIn { user_id, return_to }) => match login(&req, user_id) {
            Ok(()) => redirect(req, &target(return_to)),
            Err(failure) => fail(req, config, failure, had_session),
        },
        // The user stays signed in as they were.
        Ok(Finished::Linked { return_to }) => redirect(req, &target(return_to)),
        Err(failure) => fail(req, config, failure, had_session),
    }
}

/// How a callback ended well.
enum Finished {
    /// Sign the user in with this identity.
    SignedIn {
        user_id: String,
        return_to: Option<String>,
    },
    /// The X account is now linked to the signed-in user.
    Linked { return_to: Option<String> },
}

/// Who signed in (or that the account was linked), and where the login asked to return.
async fn finish(
    req: &ServiceRequest,
    config: &Config,
    http: &awc::Client,
) -> Result<Finished, LoginFailure> {
    let session = req.get_session();
    let (key, grant) = match config.protocol.callback(req.query_string())? {
        Callback::Denied { key } => {
            // The user cancelled: the pending login is spent either way.
            if let Some(key) = key {
                if let Taken::Found(pending) = take(&session, config, &key)? {
                    spend_unused(config, &pending).await;
                }
            }
            return Err(LoginFailure::Denied);
        }
        Callback::Failed { key, error } => {
            let taken = match key {
                Some(key) => take(&session, config, &key)?,
                None => Taken::Empty,
            };
            return Err(match taken {
                // The authorization is over either way: its pending login is spent.
                Taken::Found(pending) => {
                    spend_unused(config, &pending).await;
                    error.into()
                }
                // An error for no login of this session: nothing the provider said to believe
                // (or to log as its failure).
                Taken::Mismatch => LoginFailure::TokenMismatch,
                Taken::Empty => LoginFailure::NoPendingLogin,
            });
        }
        Callback::Approved { key, grant } => (key, grant),
    };
    // Turned away before the pending login is taken: the user can come back to it.
    let in_flight = config.guard.enter().map_err(LoginFailure::Throttled)?;
    // Consumed before use: a replayed or concurrent callback finds nothing.
    let mut pending = match take(&session, config, &key)? {
        Taken::Found(pending) => pending,
        Taken::Mismatch => return Err(LoginFailure::TokenMismatch),
        Taken::Empty => return Err(LoginFailure::NoPendingLogin),
    };
    // A copy of an older cookie may still list it, or another instance may be racing this
    // callback: the middleware (and, when shared, every instance) remembers what was spent.
    if !spend(config, &pending).await? {
        return Err(LoginFailure::Replayed);
    }
    let return_to = pending.return_to.take();
    let link_user = pending.link_user.take();
    if let Some(user) = &link_user {
        link::still_signed_in(req, user)?;
    }
    let signed_in = config.protocol.finish(http, pending, &grant).await?;
    drop(in_flight);
    let (credentials, profile) = (signed_in.credentials, signed_in.profile);
    let resolve = match &link_user {
        Some(user) => config.resolver.link(user, credentials, profile),
        None => config.resolver.resolve(credentials, profile),
    };
    let verdict = match actix_web::rt::time::timeout(config.resolve_timeout, resolve).await {
        Ok(verdict) => verdict?,
        Err(_) => {
            return Err(ResolveError::unavailable(format!(
                "the resolve step did not finish within {:?}",
                config.resolve_timeout
            ))
            .into())
        }
    };
    match (verdict, link_user) {
        (Verdict::User(_), Some(_)) => Ok(Finished::Linked { return_to }),
        (Verdict::User(user_id), None) => Ok(Finished::SignedIn { user_id, return_to }),
        (Verdict::NoUser(message), Some(_)) => Err(LoginFailure::LinkRefused(message)),
        (Verdict::NoUser(message), None) => Err(LoginFailure::NoUser(message)),
    }
}

fn take(session: &Session, config: &Config, key: &str) -> Result<Taken, LoginFailure> {
    session::take(session, &config.session_key, key, config.pending_login_ttl)
        .map_err(|e| LoginFailure::Session(e.to_string()))
}

/// Marks the pending login's key as spent, here and (when configured) for every instance;
/// `Ok(false)` when it already was.
async fn spend(config: &Config, pending: &PendingLogin) -> Result<bool, LoginFailure> {
    let now = session::now();
    let valid_for = session::valid_for(config.pending_login_ttl);
    if !config
        .spent
        .spend(&pending.key, now, now + valid_for.as_secs())
    {
        return Ok(false);
    }
    #[cfg(feature = "redis")]
    if let Some(shared) = &config.shared_spent {
        return shared
            .spend(&pending.key, valid_for)
            .await
            .map_err(LoginFailure::Unavailable);
    }
    Ok(true)
}

/// Spends a pending login the callback ended without using (denied, an error): a failure to
/// record it only goes to the log, the login fails either way.
async fn spend_unused(config: &Config, pending: &PendingLogin) {
    if let Err(e) = spend(config, pending).await {
        tracing::warn!(error = %e, "could not record a spent pending login");
    }
}

/// Logs the user in with actix-identity, which renews the session id (fixation protection).
fn login(req: &ServiceRequest, user_id: String) -> Result<(), LoginFailure> {
    // `Identity::login` panics when `IdentityMiddleware` is not mounted: answer with a failure
    // and a log line instead.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        Identity::login(&req.extensions(), user_id)
    }));
    match outcome {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(LoginFailure::Session(e.to_string())),
        Err(_) => Err(LoginFailure::Session(
            "IdentityMiddleware is not mounted around TwitterLoginMiddleware".to_owned(),
        )),
    }
}

fn redirect(req: ServiceRequest, location: &str) -> ServiceResponse {
    req.into_response(
        HttpResponse::Found()
            .insert_header((header::LOCATION, location))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
    )
}

/// Whether the request came with session state (a session cookie the store could read, holding
/// anything).
fn has_session(req: &ServiceRequest) -> bool {
    !req.get_session().entries().is_empty()
}

/// Logs the failure, pushes its message when configured, and redirects or answers the page.
///
/// A request that came without session state gets no session: nothing is written, so that a
/// loop of cookie-less requests stores nothing server-side. It is answered with the failure
/// page, whose text is the message (there is nowhere to keep it for a redirect), and logged at
/// `debug` unless it is a server error. A throttled request (429) is answered with the page and
/// `Retry-After`, and logged at `debug`: a script hammering the login start makes no log flood.
fn fail(
    req: ServiceRequest,
    config: &Config,
    failure: LoginFailure,
    had_session: bool,
) -> ServiceResponse {
    let status = failure.status();
    let retry_after = failure.retry_after_secs();
    if status.is_server_error() {
        tracing::error!(failure = %failure, hint = hint(&failure), "Twitter login failed");
    } else if had_session && retry_after.is_none() {
        tracing::info!(failure = %failure, hint = hint(&failure), "Twitter login failed");
    } else {
        tracing::debug!(failure = %failure, "Twitter login failed (no session, or throttled)");
    }
    let message = match &config.failure_message {
        FailureMessage::Off => None,
        FailureMessage::BuiltIn => Some(failure.user_message().to_owned()),
        FailureMessage::Custom(text) => Some(text.clone()),
    };
    // A throttled request gets the page and its Retry-After, never a redirect.
    let redirect_with_message = had_session && retry_after.is_none();
    if let (Some(message), true) = (&message, redirect_with_message) {
        if let Err(e) = session::push_message(&req.get_session(), message.clone()) {
            tracing::warn!(error = %e, "could not store the failure message in the session");
        }
    }
    match &config.failure_redirect {
        Some(target) if redirect_with_message => redirect(req, target),
        _ => {
            let text = message.unwrap_or_else(|| failure.user_message().to_owned());
            let page = config
                .templates
                .failure_page(&text, &config.login_path)
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "the failure page template failed to render");
                    "Sign-in failed.".to_owned()
                });
            let mut response = HttpResponse::build(status);
            response
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"));
            if let Some(seconds) = retry_after {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            req.into_response(response.body(page))
        }
    }
}

fn hint(failure: &LoginFailure) -> &'static str {
    match failure {
        LoginFailure::Provider(e) => e.hint().unwrap_or(""),
        _ => "",
    }
}

pub(crate) mod link;
#[cfg(test)]
mod tests;
