//! Tests of the local provider: the signature code on its own, then the provider over HTTP.

mod expiry;
mod faults;
mod flow;
mod header;
mod nonces;
mod profile;
mod request_token;
mod state;
mod support;
mod users;
mod vectors;
