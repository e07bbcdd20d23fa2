//! `Authorization` header parsing, percent-coding and base string URI edge cases.

use crate::signature::{
    base_string_uri, form_decode, normalized_parameters, parse_form, percent_decode,
    percent_encode, AuthorizationHeader, SignatureError,
};

fn pairs(header: &AuthorizationHeader) -> Vec<(&str, &str)> {
    header
        .params()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn parses_with_and_without_space_after_commas() {
    let tight = AuthorizationHeader::parse("OAuth a=\"1\",b=\"2\",c=\"3\"").unwrap();
    let loose = AuthorizationHeader::parse("OAuth a=\"1\", b=\"2\" ,\tc=\"3\"  ").unwrap();
    assert_eq!(pairs(&tight), [("a", "1"), ("b", "2"), ("c", "3")]);
    assert_eq!(tight, loose);
}

#[test]
fn scheme_is_case_insensitive_and_required() {
    assert!(AuthorizationHeader::parse("oauth a=\"1\"").is_ok());
    assert!(AuthorizationHeader::parse("OAUTH   a=\"1\"").is_ok());
    assert_eq!(
        AuthorizationHeader::parse("Bearer abc"),
        Err(SignatureError::NotOAuth)
    );
    assert_eq!(
        AuthorizationHeader::parse("OAuthx a=\"1\""),
        Err(SignatureError::NotOAuth)
    );
    assert_eq!(
        AuthorizationHeader::parse(""),
        Err(SignatureError::NotOAuth)
    );
    // The scheme alone is a header with no parameters.
    assert!(AuthorizationHeader::parse("OAuth")
        .unwrap()
        .params()
        .is_empty());
}

#[test]
fn values_and_names_are_percent_decoded_and_plus_is_literal() {
    let header = AuthorizationHeader::parse(
        "OAuth oauth_callback=\"http%3A%2F%2Flocalhost%2Fcb%3Fa%3D1\", oauth_signature=\"a+b%2Bc%3D\", x%5Fy=\"%E2%98%83\"",
    )
    .unwrap();
    assert_eq!(
        header.get("oauth_callback"),
        Some("http://localhost/cb?a=1")
    );
    assert_eq!(header.get("oauth_signature"), Some("a+b+c="));
    assert_eq!(header.get("x_y"), Some("☃"));
}

#[test]
fn realm_is_kept_apart() {
    let header =
        AuthorizationHeader::parse("OAuth realm=\"http://sp.example.com/\", oauth_nonce=\"n\"")
            .unwrap();
    assert_eq!(header.realm(), Some("http://sp.example.com/"));
    assert_eq!(pairs(&header), [("oauth_nonce", "n")]);
    assert_eq!(header.get("realm"), None);
}

#[test]
fn empty_values_are_allowed() {
    let header = AuthorizationHeader::parse("OAuth oauth_token=\"\", oauth_nonce=\"n\"").unwrap();
    assert_eq!(header.get("oauth_token"), Some(""));
}

#[test]
fn malformed_headers_are_refused() {
    for bad in [
        "OAuth a=1",              // unquoted
        "OAuth a=\"1",            // unterminated
        "OAuth a",                // no `=`
        "OAuth =\"1\"",           // no name
        "OAuth a =\"1\"",         // space before `=`
        "OAuth a=\"1\" b=\"2\"",  // no comma
        "OAuth a=\"1\",",         // trailing comma
        "OAuth a=\"1\",,b=\"2\"", // empty pair
        "OAuth a=\"1\"; b=\"2\"", // wrong separator
        "OAuth a\"b=\"1\"",       // quote in the name
    ] {
        assert!(
            matches!(
                AuthorizationHeader::parse(bad),
                Err(SignatureError::MalformedHeader(_))
            ),
            "{bad:?} should be malformed"
        );
    }
    assert_eq!(
        AuthorizationHeader::parse("OAuth a=\"%zz\""),
        Err(SignatureError::BadEncoding)
    );
    assert_eq!(
        AuthorizationHeader::parse("OAuth a=\"%E2%98\""),
        Err(SignatureError::BadEncoding)
    );
}

#[test]
fn duplicate_parameters_are_refused() {
    assert_eq!(
        AuthorizationHeader::parse("OAuth oauth_nonce=\"a\", oauth_nonce=\"b\""),
        Err(SignatureError::DuplicateParameter("oauth_nonce".into()))
    );
    assert_eq!(
        AuthorizationHeader::parse("OAuth realm=\"a\", realm=\"b\""),
        Err(SignatureError::DuplicateParameter("realm".into()))
    );
    // Names are compared after decoding.
    assert!(AuthorizationHeader::parse("OAuth oauth_nonce=\"a\", oauth%5Fnonce=\"b\"").is_err());
}

#[test]
fn percent_encoding_follows_rfc3986() {
    assert_eq!(
        percent_encode("Ladies + Gentlemen"),
        "Ladies%20%2B%20Gentlemen"
    );
    assert_eq!(
        percent_encode("An encoded string!"),
        "An%20encoded%20string%21"
    );
    assert_eq!(
        percent_encode("Dogs, Cats & Mice"),
        "Dogs%2C%20Cats%20%26%20Mice"
    );
    assert_eq!(percent_encode("☃"), "%E2%98%83");
    assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(percent_encode("/?#[]@=*'"), "%2F%3F%23%5B%5D%40%3D%2A%27");
}

#[test]
fn decoding_is_strict_and_plus_depends_on_context() {
    assert_eq!(percent_decode("a+b%20c").unwrap(), "a+b c");
    assert_eq!(form_decode("a+b%20c%2B").unwrap(), "a b c+");
    assert_eq!(percent_decode("%e2%98%83").unwrap(), "☃");
    assert_eq!(percent_decode("100%"), Err(SignatureError::BadEncoding));
    assert_eq!(percent_decode("%4"), Err(SignatureError::BadEncoding));
    assert_eq!(percent_decode("%FF"), Err(SignatureError::BadEncoding));
}

#[test]
fn forms_keep_order_empty_values_and_repeats() {
    let parsed = parse_form("c2&a3=2+q&&a3=a&c%40=").unwrap();
    let expected = [("c2", ""), ("a3", "2 q"), ("a3", "a"), ("c@", "")];
    let parsed: Vec<(&str, &str)> = parsed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(parsed, expected);
    assert!(parse_form("").unwrap().is_empty());
}

#[test]
fn normalization_sorts_by_encoded_name_then_value_and_drops_the_signature() {
    let params = [
        ("b", "2"),
        ("a", "z"),
        ("a", "y"),
        ("oauth_signature", "x"),
        ("A", "1"),
        ("a b", ""),
    ];
    assert_eq!(normalized_parameters(&params), "A=1&a=y&a=z&a%20b=&b=2");
}

#[test]
fn base_string_uri_normalizes_scheme_host_and_default_ports() {
    let cases = [
        (
            "HTTP://EXAMPLE.COM:80/r%20v/X?id=123",
            "http://example.com/r%20v/X",
        ),
        (
            "https://www.example.net:8080/?q=1",
            "https://www.example.net:8080/",
        ),
        (
            "https://api.x.com:443/2/users/me",
            "https://api.x.com/2/users/me",
        ),
        (
            "http://127.0.0.1:41234/oauth/request_token",
            "http://127.0.0.1:41234/oauth/request_token",
        ),
        ("http://example.com", "http://example.com/"),
        ("http://example.com#frag", "http://example.com/"),
        ("http://[::1]:8080/p", "http://[::1]:8080/p"),
        ("http://[::1]/p", "http://[::1]/p"),
        ("http://example.com:/p", "http://example.com/p"),
    ];
    for (input, expected) in cases {
        assert_eq!(base_string_uri(input).unwrap(), expected, "{input}");
    }
    assert_eq!(base_string_uri("/relative"), Err(SignatureError::BadUri));
    assert_eq!(base_string_uri("http:///path"), Err(SignatureError::BadUri));
}
