//! Tests of the local provider: the signature code and the OAuth 2.0 pieces on their own, then
//! the provider over HTTP.

mod expiry;
mod faults;
mod flow;
mod header;
mod nonces;
mod oauth1_invalidate;
mod oauth2_authorize;
mod oauth2_bearer;
mod oauth2_exchange;
mod oauth2_exchange_limit;
mod oauth2_faults;
mod oauth2_refresh;
mod oauth2_support;
mod oauth2_token;
mod oauth2_units;
mod profile;
mod request_token;
mod state;
mod support;
mod users;
mod vectors;
