//! The behaviour tests: an app wrapped with the middleware, served over real HTTP on 127.0.0.1
//! against the test kit's strict local provider, driven by a cookie-keeping browser
//! ([`common`]). One module per behaviour. The run's backend is `TEST_BACKEND`: SQLite and the
//! cookie store by default, `postgres-redis` for PostgreSQL and Redis (with `--all-features`).

mod common;

/// Callbacks that must fail cleanly: denied, replayed, forged, another browser's, malformed.
mod callbacks;
/// Parallel first logins make one user per account.
mod concurrency;
/// `build()` refuses each bad value and names it.
mod config;
/// The demo app, clicked through as `cargo run --example demo` runs it.
mod demo;
/// A provider failing a fifth of its calls at random.
mod flaky_provider;
/// Bounds against hostile peers.
mod limits;
/// Linking an X account to a signed-in user.
mod link;
/// The happy path.
mod login;
/// Requests without a session are answered and store nothing.
mod no_session;
/// Signing in over OAuth 2.0.
mod oauth2;
/// Options that change what is sent or received.
mod options;
/// PostgreSQL or Redis going away and coming back.
#[cfg(all(feature = "postgres", feature = "redis"))]
mod outages;
/// Requests the middleware does not own.
mod passthrough;
/// The login started by `POST` with a CSRF token.
mod post_start;
/// A provider answering errors, garbage or nothing.
mod provider_faults;
/// The app's resolve step.
mod resolve;
/// `?return_to=`: back to the page, never to another site.
mod return_to;
/// Secrets stay out of logs, pages and cookies.
mod secrets;
/// Signing a user out of every session and revoking their tokens.
#[cfg(all(feature = "postgres", feature = "redis"))]
mod sign_out_everywhere;
/// The login start's rate limit and the bound on provider calls in flight.
mod start_limits;
/// An app's own templates.
mod templates;
/// An app tested with the test kit, as the kit's README shows.
mod testkit_example;
/// Two app instances sharing PostgreSQL, Redis and the cookie key.
#[cfg(all(feature = "postgres", feature = "redis"))]
mod two_instances;
/// Unlinking X, and revoking its tokens.
mod unlink;
