#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod builder;
mod builder_urls;
mod callback;
mod config;
pub mod credentials;
mod deadline_store;
mod error;
mod flow;
#[cfg(feature = "__fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod middleware;
pub mod oauth;
#[cfg(feature = "redis")]
mod redis_store;
mod replay;
mod routes;
mod session;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod store;
mod templates;
mod validate;
mod verify;

pub use builder::TwitterLoginBuilder;
pub use config::{FailureMessage, ProfileErrorPolicy, DEFAULT_API_BASE_URL};
pub use credentials::{ClientCredentials, Secret, TemporaryCredentials, TokenCredentials};
pub use deadline_store::DeadlineStore;
pub use error::{ConfigError, LoginFailure};
pub use middleware::TwitterLogin;
#[doc(hidden)]
pub use middleware::TwitterLoginMiddleware;
pub use oauth::{Profile, ProfileSource, ProviderError};
#[cfg(feature = "redis")]
pub use redis_store::{redis_session_store, RedisStoreOptions};
pub use routes::{routes, Routes};
pub use session::{push_message, take_messages, MESSAGES_KEY};
pub use templates::Templates;
pub use verify::{ProfileIdVerifier, Verdict, Verify, VerifyError, VerifyErrorKind};
