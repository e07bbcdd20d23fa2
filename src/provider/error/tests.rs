//! Error bodies as X sends them (quoted from public reports and X's docs), and hostile ones.

use super::*;

const JSON: Option<&str> = Some("application/json; charset=utf-8");
const PROBLEM: Option<&str> = Some("application/problem+json");

fn parse(content_type: Option<&str>, body: &str) -> ErrorBody {
    ErrorBody::parse(content_type, body.as_bytes())
}

fn shape(body: &ErrorBody) -> (ErrorFormat, Option<&str>, Option<&str>) {
    (body.format, body.code.as_deref(), body.message.as_deref())
}

#[test]
fn v1_json_errors() {
    let body = parse(
        JSON,
        r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#,
    );
    assert_eq!(
        shape(&body),
        (
            ErrorFormat::Json,
            Some("32"),
            Some("Could not authenticate you.")
        )
    );
    assert!(body.hint().is_some_and(|h| h.contains("consumer key")));

    let body = parse(
        None,
        r#"{"errors":[{"code":89,"message":"Invalid or expired token."}]}"#,
    );
    assert_eq!(body.code.as_deref(), Some("89"));
    assert!(body.hint().is_some_and(|h| h.contains("revoked")));

    // Field order as in the 453 reports; the first error wins; string codes are kept.
    let body = parse(
        JSON,
        r#"{"errors":[{"message":"You currently have access to a subset of Twitter API v2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level. You can learn more here: https://developer.twitter.com/en/portal/product","code":453},{"code":1,"message":"second"}]}"#,
    );
    assert_eq!(body.code.as_deref(), Some("453"));
    let message = body.message.as_deref().unwrap_or_default();
    assert!(message.starts_with("You currently have access to a subset"));
    assert!(message.chars().count() <= 200 && message.ends_with('…'));
    assert!(body
        .hint()
        .is_some_and(|h| h.contains("ProfileSource::UsersMe")));

    let body = parse(
        JSON,
        r#"{"errors":[{"code":"88","message":"Rate limit exceeded"}]}"#,
    );
    assert_eq!(body.code.as_deref(), Some("88"));
    assert!(body.hint().is_some_and(|h| h.contains("rate limit")));
}

#[test]
fn xml_errors() {
    let body = parse(
        Some("application/xml;charset=utf-8"),
        "<?xml version='1.0' encoding='UTF-8'?><errors><error code=\"415\">Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings</error></errors>",
    );
    assert_eq!(
        shape(&body),
        (
            ErrorFormat::Xml,
            Some("415"),
            Some("Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings")
        )
    );
    assert!(body.hint().is_some_and(|h| h.contains("127.0.0.1")));

    let body = parse(
        Some("text/html"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hash>\n  <error>This client application's callback url has been locked</error>\n  <request>/oauth/request_token</request>\n</hash>\n",
    );
    assert_eq!(
        shape(&body),
        (
            ErrorFormat::Xml,
            None,
            Some("This client application's callback url has been locked")
        )
    );

    let body = parse(
        None,
        "<errors><error code='416'>Tom &amp; Jerry &lt;b&gt;&apos;s&quot; app</error></errors>",
    );
    assert_eq!(
        shape(&body),
        (
            ErrorFormat::Xml,
            Some("416"),
            Some("Tom & Jerry <b>'s\" app")
        )
    );
    assert!(body.hint().is_some_and(|h| h.contains("suspended")));
    let body = parse(None, "<errors><error code=\"417\"/></errors>");
    assert_eq!(shape(&body), (ErrorFormat::Xml, Some("417"), None));
    assert!(body.hint().is_some());
}

#[test]
fn v2_problems() {
    let body = parse(
        JSON,
        r#"{"client_id":"27988566","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.","registration_url":"https://developer.twitter.com/en/docs/projects/overview","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}"#,
    );
    assert_eq!(body.format, ErrorFormat::Problem);
    assert_eq!(body.code.as_deref(), Some("client-not-enrolled"));
    assert!(body
        .message
        .as_deref()
        .is_some_and(|m| m.starts_with("When authenticating requests to the Twitter API v2")));
    assert!(body.hint().is_some_and(|h| h.contains("Project")));

    let body = parse(
        PROBLEM,
        r#"{"title":"Invalid Request","detail":"The 'query' parameter is required.","type":"https://api.x.com/2/problems/invalid-request"}"#,
    );
    assert_eq!(
        shape(&body),
        (
            ErrorFormat::Problem,
            Some("invalid-request"),
            Some("The 'query' parameter is required.")
        )
    );
    assert_eq!(body.hint(), None);

    let body = parse(
        PROBLEM,
        r#"{"title":"Forbidden","type":"about:blank","status":403,"detail":"Forbidden"}"#,
    );
    assert_eq!(
        shape(&body),
        (ErrorFormat::Problem, None, Some("Forbidden"))
    );

    for (kind, hint) in [
        ("usage-capped", "usage cap"),
        ("rate-limit-exceeded", "rate limit"),
    ] {
        let json = format!(r#"{{"title":"T","type":"https://api.x.com/2/problems/{kind}/"}}"#);
        let body = parse(JSON, &json);
        assert_eq!(shape(&body), (ErrorFormat::Problem, Some(kind), Some("T")));
        assert!(body.hint().is_some_and(|h| h.contains(hint)), "{kind}");
    }

    // A `type` alone counts only with the problem media type or a problems URI.
    let body = parse(PROBLEM, r#"{"type":"urn:x:client-forbidden"}"#);
    assert_eq!(
        shape(&body),
        (ErrorFormat::Problem, Some("urn:x:client-forbidden"), None)
    );
    let body = parse(JSON, r#"{"type":"urn:x:whatever"}"#);
    assert_eq!(shape(&body), (ErrorFormat::Text, None, None));

    // The nested parameter error adds the useful part.
    let body = parse(
        PROBLEM,
        r#"{"errors":[{"parameters":{"user.fields":["bogus"]},"message":"The `user.fields` query parameter value [bogus] is not one of [id,name]"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}"#,
    );
    assert!(body
        .message
        .as_deref()
        .is_some_and(|m| m.starts_with("One or more parameters") && m.contains("[bogus]")));
}

#[test]
fn v2_errors_array_without_code_is_a_problem() {
    let body = parse(
        JSON,
        r#"{"errors":[{"detail":"Could not find user.","title":"Not Found Error","type":"https://api.twitter.com/2/problems/resource-not-found"}]}"#,
    );
    assert_eq!(
        shape(&body),
        (
            ErrorFormat::Problem,
            Some("resource-not-found"),
            Some("Could not find user.")
        )
    );
}

#[test]
fn plain_and_empty() {
    for text in [
        "Invalid request token.",
        "Error processing your OAuth request: Invalid oauth_verifier parameter",
    ] {
        let body = parse(Some("text/html; charset=utf-8"), &format!("\n{text}\r\n"));
        assert_eq!(shape(&body), (ErrorFormat::Text, None, Some(text)));
        assert_eq!(body.hint(), None);
    }
    for empty in ["", " \r\n\t", "\u{feff}"] {
        assert_eq!(shape(&parse(None, empty)), (ErrorFormat::Empty, None, None));
    }
    let body = parse(
        Some("text/html"),
        "<!DOCTYPE html><html><head><title>X / Over capacity</title><style>p{}</style></head><body>..</body></html>",
    );
    assert_eq!(
        shape(&body),
        (ErrorFormat::Text, None, Some("X / Over capacity"))
    );
    let body = parse(None, "<p>Bad <b>gateway</b></p>");
    assert_eq!(shape(&body), (ErrorFormat::Text, None, Some("Bad gateway")));
}

#[test]
fn odd_json_never_crashes() {
    // passport-twitter: JSON without `errors` is no provider message.
    assert_eq!(
        shape(&parse(JSON, r#"{"foo":"bar"}"#)),
        (ErrorFormat::Text, None, None)
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":[]}"#)),
        (ErrorFormat::Json, None, None)
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":"x"}"#)),
        (ErrorFormat::Json, None, Some("x"))
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":["y"]}"#)),
        (ErrorFormat::Json, None, Some("y"))
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":{}}"#)),
        (ErrorFormat::Json, None, None)
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":[{"code":"abc"}]}"#)),
        (ErrorFormat::Json, Some("abc"), None)
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":[{"code":"a b","message":7}]}"#)),
        (ErrorFormat::Json, None, None)
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":[{"code":32.5,"message":null}]}"#)),
        (ErrorFormat::Json, None, None)
    );
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":[{"code":-1,"message":"neg"}]}"#)),
        (ErrorFormat::Json, Some("-1"), Some("neg"))
    );
    assert_eq!(
        shape(&parse(
            JSON,
            r#"{"error":"Not authorized.","request":"/1/x.json"}"#
        )),
        (ErrorFormat::Json, None, Some("Not authorized."))
    );
    assert_eq!(
        shape(&parse(JSON, r#"[1,2]"#)),
        (ErrorFormat::Text, None, None)
    );
    // Broken JSON is shown as text; deep nesting hits serde_json's limit, not the stack.
    assert_eq!(
        shape(&parse(JSON, r#"{"errors":[{"code":32,"#)),
        (ErrorFormat::Text, None, Some(r#"{"errors":[{"code":32,"#))
    );
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(parse(JSON, &deep).format, ErrorFormat::Text);
    let deep = format!("{{\"errors\":{}", "[".repeat(10_000));
    assert_eq!(parse(JSON, &deep).format, ErrorFormat::Text);
}

#[test]
fn hostile_bodies_are_bounded() {
    let huge = format!(
        r#"{{"errors":[{{"code":"{}","message":"{}"}}]}}"#,
        "9".repeat(100),
        "spam ".repeat(100_000)
    );
    let body = parse(JSON, &huge);
    // Past the scan limit the JSON is cut, so it is shown as bounded text.
    assert_eq!(body.format, ErrorFormat::Text);
    assert!(body
        .message
        .as_deref()
        .is_some_and(|m| m.chars().count() <= 200));

    let long = format!(
        r#"{{"errors":[{{"code":"{}","message":"{}"}}]}}"#,
        "9".repeat(100),
        "x\u{1b}[2J\r\nfake log line ".repeat(1_000)
    );
    let body = parse(JSON, &long);
    assert_eq!(body.code, None);
    let message = body.message.unwrap_or_default();
    assert!(message.chars().count() <= 200);
    assert!(!message.chars().any(char::is_control), "{message:?}");

    let body = ErrorBody::parse(None, &[0xff, 0xfe, 0x00, 0x9c, 0x12, 0x80, 0x81]);
    assert_eq!(shape(&body), (ErrorFormat::Text, None, None));
    let body = ErrorBody::parse(None, b"Rate limit exceeded \xe2\x98");
    assert_eq!(
        shape(&body),
        (ErrorFormat::Text, None, Some("Rate limit exceeded"))
    );
    let body = ErrorBody::parse(None, b"Acc\xe8s refus\xe9");
    assert_eq!(body.message.as_deref(), Some("Acc\u{fffd}s refus\u{fffd}"));
    // Undecodable bytes never make a code.
    let body = ErrorBody::parse(None, b"<errors><error code=\"1\xff\">\xff\xfe</error>");
    assert_eq!((body.format, body.code), (ErrorFormat::Xml, None));
    let body = ErrorBody::parse(None, &vec![b'<'; 1 << 20]);
    assert_eq!(body.format, ErrorFormat::Text);
}

#[test]
fn status_display_carries_code_and_message() {
    let error = ProviderError::Status {
        endpoint: Endpoint::RequestToken,
        status: 403,
        body: parse(
            None,
            "<errors><error code=\"415\">Callback URL not approved</error></errors>",
        ),
    };
    assert_eq!(
        error.to_string(),
        "request_token: HTTP 403 (code 415: Callback URL not approved)"
    );
    assert!(error.hint().is_some());
    assert!(matches!(
        error,
        ProviderError::Status {
            endpoint: Endpoint::RequestToken,
            ..
        }
    ));
}

#[test]
fn oauth2_token_errors_give_their_code_description_and_hint() {
    let body = parse(
        Some("application/json"),
        r#"{"error":"invalid_client","error_description":"Missing valid authorization header"}"#,
    );
    assert_eq!(body.format, ErrorFormat::Json);
    assert_eq!(body.code.as_deref(), Some("invalid_client"));
    assert_eq!(
        body.message.as_deref(),
        Some("Missing valid authorization header")
    );
    assert!(body
        .hint()
        .is_some_and(|h| h.contains("client id and secret")));
    for code in [
        "invalid_grant",
        "invalid_request",
        "invalid_scope",
        "unauthorized_client",
    ] {
        let body = parse(None, &format!(r#"{{"error":"{code}"}}"#));
        assert_eq!(body.code.as_deref(), Some(code));
        assert!(body.hint().is_some(), "{code}");
    }
    // The older v1 shape keeps its sentence as the message, with no code.
    let body = parse(
        None,
        r#"{"error":"Could not authenticate you.","request":"/1/x"}"#,
    );
    assert_eq!(body.code, None);
    assert_eq!(body.message.as_deref(), Some("Could not authenticate you."));
}

#[test]
fn credits_depleted_has_its_hint() {
    let body = parse(
        Some("application/problem+json"),
        r#"{"title":"CreditsDepleted","detail":"Your enrolled account [1] does not have any credits to fulfill this request.","type":"https://api.x.com/2/problems/credits-depleted"}"#,
    );
    assert_eq!(body.code.as_deref(), Some("credits-depleted"));
    assert!(body.hint().is_some_and(|h| h.contains("credit")));
}

#[test]
fn a_callback_error_is_cleaned_and_hinted() {
    let error = ProviderError::authorization("invalid_scope", Some("bad\n scope\u{202e}"));
    assert_eq!(error.to_string(), "authorize: invalid_scope (bad scope)");
    assert!(error.hint().is_some());
    let error = ProviderError::authorization("<script> alert", None);
    assert_eq!(error.to_string(), "authorize: an unreadable error");
    assert_eq!(error.hint(), None);
}
