//! Sign in with Twitter (X) for Actix Web.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod credentials;
#[cfg(feature = "mock-provider")]
pub mod mock;
pub mod oauth;
#[cfg(feature = "sqlite")]
pub mod store;
mod verify;

pub use credentials::{ClientCredentials, Secret, TemporaryCredentials, TokenCredentials};
pub use oauth::{Profile, ProfileSource, ProviderError};
pub use verify::{ProfileIdVerifier, Verdict, Verify, VerifyError, VerifyErrorKind};
