//! The Diesel find-or-create verifier over an r2d2 pool, with embedded migrations
//! (feature `sqlite`).
//!
//! STUB: to be implemented. The public API below is the contract.
