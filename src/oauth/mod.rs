//! The OAuth 1.0a protocol as plain functions: signing, token replies, provider errors, the
//! profile, and the three HTTP calls that tie them together.

pub(crate) mod client;
pub mod error;
pub(crate) mod markup;
pub mod profile;
pub(crate) mod reply;
pub(crate) mod sign;
pub(crate) mod text;

pub use error::{Endpoint, ErrorBody, ErrorFormat, ProviderError};
pub use profile::{Profile, ProfileSource};
pub(crate) use sign::SignedUrl;
