//! Decoding the pending logins from the session, whatever the session holds under the key.
//!
//! Input, as text: a first line `now ttl_millis max` (numbers; defaults when unreadable), the
//! callback's token on the second line, a secret on the third, and the rest is what the session
//! holds under the key: stored as JSON text when it is JSON, else as a JSON string.
//!
//! Beyond "no panic": reading never fails and only ever finds the token asked for; after
//! `remember`, the list holds at most `max` logins and `take` finds the token with its secret,
//! exactly once.
#![no_main]

use std::time::Duration;

use actix_twitter_login::{
    fuzzing::{self, Taken},
    Secret, TemporaryCredentials,
};
use libfuzzer_sys::fuzz_target;
use serde_json::value::RawValue;

const KEY: &str = "oauth:twitter";

struct Input<'a> {
    now: u64,
    ttl: Duration,
    max: usize,
    token: &'a str,
    secret: &'a str,
    stored: &'a str,
}

fn input(text: &str) -> Input<'_> {
    let mut lines = text.splitn(4, '\n');
    let mut numbers = lines.next().unwrap_or_default().split(' ');
    let mut number = |default: u64| {
        numbers
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let now = number(1_000_000);
    let ttl = Duration::from_millis(number(900_000));
    // Bounded so a huge `max` cannot make the list itself the subject.
    let max = usize::try_from(number(4) % 1024).unwrap_or(4);
    Input {
        now,
        ttl,
        max,
        token: lines.next().unwrap_or_default(),
        secret: lines.next().unwrap_or_default(),
        stored: lines.next().unwrap_or_default(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let input = input(text);
    let session = match RawValue::from_string(input.stored.to_owned()) {
        Ok(raw) => fuzzing::session_holding(KEY, &raw),
        Err(_) => fuzzing::session_holding(KEY, &input.stored),
    }
    .expect("the state is stored");

    // Whatever is stored, reading it answers, and only with the token asked for. Drain every
    // live copy of the token so the single-use check below is about the new one.
    let mut found = 0;
    loop {
        match fuzzing::take(&session, KEY, input.token, input.ttl, input.now) {
            Ok(Taken::Found(credentials)) => {
                assert_eq!(credentials.token, input.token);
                found += 1;
                assert!(found <= data.len(), "take keeps finding the token");
            }
            Ok(Taken::Mismatch | Taken::Empty) => break,
            Err(e) => panic!("take failed: {e}"),
        }
    }

    // The builder accepts any `max` >= 1 and a ttl of at least one second.
    if input.max == 0 || input.ttl.as_secs() == 0 {
        return;
    }
    let credentials = TemporaryCredentials {
        token: input.token.to_owned(),
        secret: Secret::new(input.secret),
    };
    fuzzing::remember(&session, KEY, &credentials, input.max, input.ttl, input.now)
        .expect("remember writes the session");
    let len = session
        .get::<Vec<serde_json::Value>>(KEY)
        .ok()
        .flatten()
        .map_or(0, |list| list.len());
    assert!(
        len >= 1 && len <= input.max,
        "{len} pending logins, max {}",
        input.max
    );

    match fuzzing::take(&session, KEY, input.token, input.ttl, input.now) {
        Ok(Taken::Found(taken)) => {
            assert_eq!(taken.token, input.token);
            assert_eq!(taken.secret.expose(), input.secret);
        }
        other => panic!("the remembered login is not found: {other:?}"),
    }
    match fuzzing::take(&session, KEY, input.token, input.ttl, input.now) {
        Ok(Taken::Mismatch | Taken::Empty) => {}
        other => panic!("a pending login was found twice: {other:?}"),
    }
});
