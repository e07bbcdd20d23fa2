//! `token_reply`: see `fuzz/README.md` for what it feeds and checks; the checks live with the parser,
//! in the crate's hidden `fuzz` module (compiled under `--cfg fuzzing`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| actix_twitter_login::fuzz::token_reply(data));
