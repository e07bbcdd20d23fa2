//! Tests of the local provider: the signature code on its own, then the provider over HTTP.

mod header;
mod vectors;
