//! The provider error-body parser (v1.1 JSON, OAuth XML, v2 problem+json, plain text, garbage).
//!
//! Input: an optional content type on the first line (empty line or no newline: none), then
//! the body. Beyond "no panic": the message is at most 200 characters, has no control or
//! bidirectional-control characters and no leading, trailing or doubled whitespace; the code
//! is short printable ASCII; a hint only comes with a code; an empty body gives nothing; and
//! the error's log line (`Display`) is one clean line.
#![no_main]

use actix_twitter_login::{
    fuzzing,
    oauth::{Endpoint, ErrorFormat, ProviderError},
};
use libfuzzer_sys::fuzz_target;

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn split(data: &[u8]) -> (Option<&str>, &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(newline) => {
            let content_type = std::str::from_utf8(&data[..newline])
                .ok()
                .filter(|ct| !ct.is_empty());
            (content_type, &data[newline + 1..])
        }
        None => (None, data),
    }
}

fuzz_target!(|data: &[u8]| {
    let (content_type, body) = split(data);
    let (parsed, hint) = fuzzing::error_body(content_type, body);

    if let Some(message) = &parsed.message {
        assert!(!message.is_empty());
        assert!(
            message.chars().count() <= fuzzing::MESSAGE_CHARS,
            "{} chars",
            message.chars().count()
        );
        assert!(
            !message
                .chars()
                .any(|c| c.is_control() || is_bidi_control(c)),
            "{message:?}"
        );
        assert_eq!(message.trim(), message, "{message:?}");
        assert!(
            !message
                .chars()
                .zip(message.chars().skip(1))
                .any(|(a, b)| a.is_whitespace() && b.is_whitespace()),
            "{message:?}"
        );
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
});
