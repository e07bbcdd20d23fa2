//! Which JSON bodies are read as RFC 7807 problems when the media type does not say so: any
//! one of `title`, `detail`, or a problem `type` (X's `/problems/...`, or `about:blank`).

use super::*;

const JSON: Option<&str> = Some("application/json");

fn parse(body: &str) -> (ErrorFormat, Option<String>, Option<String>) {
    let body = ErrorBody::parse(JSON, body.as_bytes());
    (body.format, body.code, body.message)
}

#[test]
fn a_title_alone_or_a_detail_alone_makes_a_problem() {
    assert_eq!(
        parse(r#"{"title":"Unauthorized","status":401}"#),
        (ErrorFormat::Problem, None, Some("Unauthorized".into()))
    );
    assert_eq!(
        parse(r#"{"detail":"Too Many Requests","status":429}"#),
        (ErrorFormat::Problem, None, Some("Too Many Requests".into()))
    );
}

#[test]
fn a_problem_type_alone_makes_a_problem() {
    assert_eq!(
        parse(r#"{"type":"https://api.twitter.com/2/problems/usage-capped"}"#),
        (ErrorFormat::Problem, Some("usage-capped".into()), None)
    );
    assert_eq!(
        parse(r#"{"type":"about:blank","status":503}"#),
        (ErrorFormat::Problem, None, None)
    );
    // Any other `type` is only a field.
    assert_eq!(
        parse(r#"{"type":"user","status":503}"#),
        (ErrorFormat::Text, None, None)
    );
}

#[test]
fn a_nested_message_is_added_once_and_only_when_it_says_more() {
    assert_eq!(
        parse(r#"{"title":"Invalid Request","errors":[{"message":"The `id` is not valid."}]}"#),
        (
            ErrorFormat::Problem,
            None,
            Some("Invalid Request: The `id` is not valid.".into())
        )
    );
    assert_eq!(
        parse(r#"{"detail":"Too Many Requests","errors":[{"message":" Too Many Requests "}]}"#),
        (ErrorFormat::Problem, None, Some("Too Many Requests".into()))
    );
}
