//! The bounds on what is read of an error body, as documented: the first 64 KiB, and codes of
//! at most 64 printable characters. (Literal numbers: the test states the promise, not the
//! constants that keep it.)

use super::*;

const JSON: Option<&str> = Some("application/json");

fn v1_error(code: &str, message: &str) -> ErrorBody {
    let body = format!(r#"{{"errors":[{{"code":"{code}","message":"{message}"}}]}}"#);
    ErrorBody::parse(JSON, body.as_bytes())
}

#[test]
fn a_code_is_kept_up_to_64_printable_characters() {
    let longest = "C".repeat(64);
    assert_eq!(v1_error(&longest, "m").code.as_deref(), Some(&*longest));
    assert_eq!(v1_error(&format!(" {longest} "), "m").code, Some(longest));
    for refused in [
        "C".repeat(65),
        String::new(),
        "   ".into(),
        "two words".into(),
    ] {
        let body = v1_error(&refused, "m");
        assert_eq!(
            (body.format, body.code, body.message.as_deref()),
            (ErrorFormat::Json, None, Some("m")),
            "{refused:?}"
        );
    }
}

#[test]
fn an_error_body_is_read_up_to_64_kib() {
    let envelope = r#"{"errors":[{"code":"88","message":""}]}"#.len();
    let body = v1_error("88", &"a".repeat(64 * 1024 - envelope));
    assert_eq!(
        (body.format, body.code.as_deref()),
        (ErrorFormat::Json, Some("88"))
    );
    assert_eq!(body.message.map(|m| m.chars().count()), Some(200));

    // One byte more, and the JSON is cut: bounded text, no code.
    let body = v1_error("88", &"a".repeat(64 * 1024 - envelope + 1));
    assert_eq!((body.format, body.code), (ErrorFormat::Text, None));
}
