//! The fuzz targets' bodies: each feeds raw bytes to the parser the middleware runs and checks
//! what must hold of any answer. Compiled for `cargo fuzz` (which sets `--cfg fuzzing`) and for
//! the unit tests, which run every target on its committed seeds; not part of the API. (serde_json's
//! `raw_value` comes from the fuzz crate's and the dev-dependencies' feature lists.)

use std::time::Duration;

use actix_session::SessionExt as _;
use url::form_urlencoded::Serializer;

use crate::{
    callback::MAX_QUERY_BYTES,
    credentials::Secret,
    oauth1::{callback::CallbackQuery, reply},
    profile::Profile,
    provider::error::{Endpoint, ErrorBody, ErrorFormat, ProviderError},
    session::{self, PendingLogin, Taken},
    text::MESSAGE_CHARS,
};

fn clean_line(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(char::is_control)
}

fn usable_value(value: &str) -> bool {
    !value.is_empty() && !value.chars().any(char::is_control)
}

/// The oracle's own list (not the code's under test): U+061C, U+200E/F, U+202A–E, U+2066–9.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// The request-token and access-token reply parsers. An accepted reply holds non-empty values
/// free of control characters, a decimal `user_id` that fits a `u64`, and survives being
/// encoded again and re-parsed; JSON and markup bodies are never accepted; a refusal reason is
/// one clean line.
pub fn token_reply(data: &[u8]) {
    let markup =
        std::str::from_utf8(data).map_or(true, |text| text.trim().starts_with(['{', '[', '<']));
    match reply::temporary_credentials(data) {
        Ok(temporary) => {
            assert!(!markup, "accepted a JSON, markup or non-UTF-8 body");
            assert!(usable_value(&temporary.token), "{:?}", temporary.token);
            assert!(usable_value(temporary.secret.expose()));
            let again = Serializer::new(String::new())
                .append_pair("oauth_token", &temporary.token)
                .append_pair("oauth_token_secret", temporary.secret.expose())
                .append_pair("oauth_callback_confirmed", "true")
                .finish();
            let reparsed =
                reply::temporary_credentials(again.as_bytes()).expect("a re-encoded reply parses");
            assert_eq!(reparsed.token, temporary.token);
            assert_eq!(reparsed.secret.expose(), temporary.secret.expose());
        }
        Err(reason) => assert!(clean_line(&reason.to_string()), "{reason:?}"),
    }
    match reply::access_reply(data) {
        Ok(access) => {
            assert!(!markup, "accepted a JSON, markup or non-UTF-8 body");
            assert!(usable_value(&access.credentials.token));
            assert!(usable_value(access.credentials.secret.expose()));
            assert!(usable_value(&access.screen_name));
            let id = &access.user_id;
            assert!(id.bytes().all(|b| b.is_ascii_digit()), "user_id {id:?}");
            assert!(id.parse::<u64>().is_ok(), "user_id {id:?}");
            let again = Serializer::new(String::new())
                .append_pair("oauth_token", &access.credentials.token)
                .append_pair("oauth_token_secret", access.credentials.secret.expose())
                .append_pair("user_id", &access.user_id)
                .append_pair("screen_name", &access.screen_name)
                .finish();
            let reparsed =
                reply::access_reply(again.as_bytes()).expect("a re-encoded reply parses");
            assert_eq!(reparsed.credentials.token, access.credentials.token);
            assert_eq!(reparsed.user_id, access.user_id);
            assert_eq!(reparsed.screen_name, access.screen_name);
        }
        Err(reason) => assert!(clean_line(&reason.to_string()), "{reason:?}"),
    }
}

/// The provider error-body parser. Input: an optional content type on the first line (an
/// empty line or no newline: none), then the body. The message is at most 200 characters,
/// has no control or bidirectional-control characters and no leading, trailing or doubled
/// whitespace; the code is short printable ASCII; a hint only comes with a code; an empty body
/// gives nothing; and the error's log line is clean.
pub fn error_body(data: &[u8]) {
    let (content_type, body) = match data.iter().position(|&b| b == b'\n') {
        Some(newline) => (
            std::str::from_utf8(&data[..newline])
                .ok()
                .filter(|ct| !ct.is_empty()),
            &data[newline + 1..],
        ),
        None => (None, data),
    };
    let parsed = ErrorBody::parse(content_type, body);
    let hint = parsed.hint();
    if let Some(message) = &parsed.message {
        assert!(!message.is_empty());
        let chars = message.chars().count();
        assert!(chars <= MESSAGE_CHARS, "{chars} chars");
        assert!(
            !message
                .chars()
                .any(|c| c.is_control() || is_bidi_control(c)),
            "{message:?}"
        );
        assert_eq!(message.trim(), message, "{message:?}");
        let doubled = message
            .chars()
            .zip(message.chars().skip(1))
            .any(|(a, b)| a.is_whitespace() && b.is_whitespace());
        assert!(!doubled, "{message:?}");
        assert!(
            !message.chars().any(|c| c.is_whitespace() && c != ' '),
            "{message:?}"
        );
    }
    if let Some(code) = &parsed.code {
        assert!(!code.is_empty() && code.len() <= 64, "{code:?}");
        assert!(code.bytes().all(|b| b.is_ascii_graphic()), "{code:?}");
    }
    if hint.is_some() {
        assert!(parsed.code.is_some());
    }
    let scanned = &body[..body.len().min(64 * 1024)];
    let blank = scanned
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(scanned)
        .iter()
        .all(u8::is_ascii_whitespace);
    assert_eq!(parsed.format == ErrorFormat::Empty, blank, "{parsed:?}");
    if parsed.format == ErrorFormat::Empty {
        assert_eq!((&parsed.code, &parsed.message), (&None, &None));
    }
    let error = ProviderError::Status {
        endpoint: Endpoint::AccessToken,
        status: 401,
        body: parsed,
    };
    let line = error.to_string();
    assert!(
        !line.chars().any(|c| c.is_control() || is_bidi_control(c)),
        "{line:?}"
    );
    assert_eq!(error.hint(), hint);
}

/// The callback's query. Every refusal is a malformed callback; an oversized query is refused;
/// an approved token and verifier are non-empty, at most 256 bytes each, and round-trip through
/// form encoding; a denied token is bounded the same way.
pub fn callback_query(data: &[u8]) {
    // A request's query string is text (the HTTP layer refuses anything else).
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let bounded = |value: &str| !value.is_empty() && value.len() <= 256;
    let parsed = CallbackQuery::parse(query);
    if query.len() > MAX_QUERY_BYTES {
        assert!(parsed.is_err(), "an oversized query was accepted");
    }
    match parsed {
        Ok(CallbackQuery::Approved { token, verifier }) => {
            assert!(
                bounded(&token) && bounded(&verifier),
                "{token:?} {verifier:?}"
            );
            let again = Serializer::new(String::new())
                .append_pair("oauth_token", &token)
                .append_pair("oauth_verifier", &verifier)
                .finish();
            assert_eq!(
                CallbackQuery::parse(&again).ok(),
                Some(CallbackQuery::Approved { token, verifier })
            );
        }
        Ok(CallbackQuery::Denied { token }) => {
            assert!(token.as_deref().is_none_or(bounded), "{token:?}");
        }
        Err(malformed) => assert!(!malformed.0.is_empty()),
    }
}

/// The pending logins read from the session. Input: `now ttl_millis max` on the first line,
/// the callback's token on the second, a secret on the third, and the rest is what the session
/// holds under the key (as JSON when it is JSON, else as a JSON string). Reading never fails
/// and only finds the token asked for; after `remember`, the list holds at most `max` logins
/// and `take` finds the token with its secret, exactly once.
pub fn pending_state(data: &[u8]) {
    const KEY: &str = "oauth:twitter";
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
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
    let token = lines.next().unwrap_or_default();
    let secret = lines.next().unwrap_or_default();
    let stored = lines.next().unwrap_or_default();

    let session = actix_web::test::TestRequest::default()
        .to_srv_request()
        .get_session();
    // JSON is stored as given, duplicate keys and number spellings included.
    let inserted = match serde_json::value::RawValue::from_string(stored.to_owned()) {
        Ok(json) => session.insert(KEY, json),
        Err(_) => session.insert(KEY, stored),
    };
    inserted.expect("the state is stored");

    // Whatever is stored, reading it answers, and only with the token asked for. Drain every
    // live copy of the token so the single-use check below is about the new one.
    let mut found = 0;
    loop {
        match session::take_at(&session, KEY, token, ttl, now) {
            Ok(Taken::Found(pending)) => {
                assert_eq!(pending.key, token);
                found += 1;
                assert!(found <= data.len(), "take keeps finding the token");
            }
            Ok(Taken::Mismatch | Taken::Empty) => break,
            Err(e) => panic!("take failed: {e}"),
        }
    }
    // The builder accepts any `max` >= 1 and a ttl of at least one second.
    if max == 0 || ttl.as_secs() == 0 {
        return;
    }
    let login = PendingLogin {
        key: token.to_owned(),
        secret: Secret::new(secret),
        return_to: None,
        link_user: None,
    };
    session::remember_at(&session, KEY, &login, max, ttl, now).expect("remember writes");
    let len = session
        .get::<Vec<serde_json::Value>>(KEY)
        .ok()
        .flatten()
        .map_or(0, |list| list.len());
    assert!(len >= 1 && len <= max, "{len} pending logins, max {max}");
    match session::take_at(&session, KEY, token, ttl, now) {
        Ok(Taken::Found(taken)) => {
            assert_eq!(taken.key, token);
            assert_eq!(taken.secret.expose(), secret);
        }
        other => panic!("the remembered login is not found: {other:?}"),
    }
    match session::take_at(&session, KEY, token, ttl, now) {
        Ok(Taken::Mismatch | Taken::Empty) => {}
        other => panic!("a pending login was found twice: {other:?}"),
    }
}

/// The profile parsers (`/2/users/me`, v1.1 `verify_credentials`). An accepted profile has a
/// decimal id that fits a `u64` and a handle of 1 to 64 characters without whitespace or
/// control characters; a refusal reason is one bounded line.
pub fn profile_reply(data: &[u8]) {
    for parsed in [
        Profile::from_users_me(data),
        Profile::from_verify_credentials(data),
    ] {
        match parsed {
            Ok(profile) => {
                assert_eq!(profile.provider, "twitter");
                let id = &profile.id;
                assert!(
                    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
                    "{id:?}"
                );
                assert!(id.parse::<u64>().is_ok(), "{id:?}");
                let handle = &profile.username;
                assert!(
                    !handle.is_empty() && handle.chars().count() <= 64,
                    "{handle:?}"
                );
                assert!(
                    !handle
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control() || is_bidi_control(c)),
                    "{handle:?}"
                );
                if let Some(name) = &profile.display_name {
                    assert!(!name.is_empty() && name.chars().count() <= 50, "{name:?}");
                    assert!(
                        !name.chars().any(|c| c.is_control() || is_bidi_control(c)),
                        "{name:?}"
                    );
                    assert_eq!(name.trim(), name, "{name:?}");
                }
                assert!(profile.raw.is_some());
            }
            Err(reason) => {
                assert!(clean_line(&reason), "{reason:?}");
                let chars = reason.chars().count();
                assert!(chars <= 512, "{chars} chars");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every target on each of its committed seeds (`fuzz/corpus/<target>/seed-*`).
    #[test]
    fn every_target_passes_its_seeds() {
        type Target = fn(&[u8]);
        let targets: [(&str, Target); 5] = [
            ("token_reply", super::token_reply),
            ("error_body", super::error_body),
            ("callback_query", super::callback_query),
            ("pending_state", super::pending_state),
            ("profile_reply", super::profile_reply),
        ];
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        for (target, run) in targets {
            let mut seeds = 0;
            for entry in std::fs::read_dir(corpus.join(target)).expect("the target's corpus") {
                let path = entry.expect("a corpus entry").path();
                let named = path.file_name().and_then(|n| n.to_str());
                if named.is_some_and(|n| n.starts_with("seed-")) {
                    run(&std::fs::read(&path).expect("a seed"));
                    seeds += 1;
                }
            }
            assert!(seeds >= 3, "{target}: {seeds} seeds");
        }
    }
}
