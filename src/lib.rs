#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// From the app's side down: the builder makes the middleware, which routes two paths to the
// flow; the flow runs a protocol through `protocol` and keeps its state in `session`.
mod builder;
mod config;
mod middleware;
mod validate;

mod account_form;
mod csrf;
mod error;
mod flow;
mod guard;
mod login_form;
mod login_page;
mod origin;
mod protocol;
mod replay;
mod session;

mod oauth1;
mod oauth2;

mod callback;
mod provider;

mod credentials;
mod profile;
mod resolve;
mod text;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod accounts;
mod deadline_store;
#[cfg(feature = "redis")]
mod redis_sessions;
#[cfg(feature = "redis")]
mod redis_spent;
#[cfg(feature = "redis")]
mod redis_store;
mod routes;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod store;
mod templates;

#[cfg(any(test, fuzzing))]
#[doc(hidden)]
pub mod fuzz;

pub use account_form::{account_form_token, ACCOUNT_FORM_FIELD};
pub use builder::TwitterLoginMiddlewareBuilder;
pub use config::{FailureMessage, DEFAULT_API_BASE_URL};
pub use credentials::{AccessToken, Credentials, Secret, TokenCredentials};
pub use deadline_store::DeadlineStore;
pub use error::ConfigError;
#[doc(hidden)]
pub use middleware::InnerTwitterLoginMiddleware;
pub use middleware::TwitterLoginMiddleware;
pub use oauth1::ProfileErrorPolicy;
pub use profile::{Profile, ProfileSource};
#[cfg(feature = "redis")]
pub use redis_sessions::{redis_sessions, RedisSessions};
#[cfg(feature = "redis")]
pub use redis_spent::{redis_spent_tokens, RedisSpentTokens};
#[cfg(feature = "redis")]
pub use redis_store::{
    redis_session_store, RedisStoreError, RedisStoreOptions, DEFAULT_SESSION_KEY_PREFIX,
};
pub use resolve::{ProfileIdResolver, ResolveError, ResolveErrorKind, ResolveUser, Verdict};
pub use routes::Routes;
pub use session::{push_message, take_messages, MESSAGES_KEY};
pub use templates::Templates;
