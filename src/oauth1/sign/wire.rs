//! The request as it goes on the wire: the `Authorization` header's shape, the request URI with
//! its query, and URLs prepared once signing exactly as their text would.

use super::{
    authorization,
    tests::{client, param, signature},
    with_query, SignedUrl, Signing,
};
use crate::credentials::Secret;

#[test]
fn header_shape() {
    let client = client("key", "secret");
    let mut signing = Signing {
        client: &client,
        token: None,
        callback: None,
        verifier: None,
        fixed: None,
    };
    let uri = "https://api.x.com/oauth/request_token";
    let first = authorization("POST", uri, &[], &signing);
    let second = authorization("POST", uri, &[], &signing);
    assert!(first.starts_with("OAuth "), "{first}");
    assert!(first.contains(r#"oauth_version="1.0""#), "{first}");
    assert!(
        first.contains(r#"oauth_signature_method="HMAC-SHA1""#),
        "{first}"
    );
    assert_eq!(param(&first, "oauth_consumer_key").as_deref(), Some("key"));
    assert_eq!(param(&first, "oauth_callback"), None);
    assert_eq!(param(&first, "oauth_verifier"), None);
    let nonce = param(&first, "oauth_nonce").unwrap_or_default();
    // URL-safe base64: ASCII only, as X requires.
    let url_safe = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    assert!(!nonce.is_empty() && nonce.bytes().all(url_safe), "{nonce}");
    assert_ne!(param(&second, "oauth_nonce"), Some(nonce));
    let timestamp: u64 = param(&first, "oauth_timestamp")
        .and_then(|t| t.parse().ok())
        .unwrap_or_default();
    assert!(timestamp > 1_700_000_000, "{timestamp}");

    signing.callback = Some("http://127.0.0.1:8080/auth/twitter/callback?next=/a b");
    let header = authorization("POST", uri, &[], &signing);
    assert_eq!(
        param(&header, "oauth_callback").as_deref(),
        Some("http://127.0.0.1:8080/auth/twitter/callback?next=/a b")
    );
    assert!(header.contains("%3Fnext%3D%2Fa%20b"), "{header}");
}

#[test]
fn wire_urls() {
    let uri = "https://api.x.com/2/users/me";
    assert_eq!(with_query(uri, &[]), uri);
    assert_eq!(
        with_query("https://h/p?a=1", &[("b", "☃ ~")]),
        "https://h/p?a=1&b=%E2%98%83%20~"
    );
    assert_eq!(with_query("https://h/p?", &[("b", "2")]), "https://h/p?b=2");
    assert_eq!(
        with_query("https://h/p#frag", &[("b", "2")]),
        "https://h/p?b=2"
    );
    // A query left on the URI is signed rather than tripping the signer.
    let client = client("k", "s");
    let signing = Signing {
        client: &client,
        token: None,
        callback: None,
        verifier: None,
        fixed: Some(("n", 1)),
    };
    let split = authorization("GET", "https://h/p", &[("a", "1"), ("b", "x y")], &signing);
    let joined = authorization("GET", "https://h/p?a=1#f", &[("b", "x y")], &signing);
    assert_eq!(signature(&split), signature(&joined));
    let relative = authorization("GET", "/p?a=1", &[], &signing);
    assert!(!signature(&relative).is_empty());
}

#[test]
fn a_url_prepared_once_signs_as_the_url_would() {
    let client = client("k", "s");
    let secret = Secret::new("ts");
    let signing = Signing {
        client: &client,
        token: Some(("t", &secret)),
        callback: Some("http://app/cb?x=1"),
        verifier: Some("v"),
        fixed: Some(("n", 1_318_622_958)),
    };
    for uri in [
        "https://api.x.com/oauth/request_token",
        "HTTPS://API.X.com:443/2/users/me",
        "http://127.0.0.1:9000/prefix/oauth/access_token",
        "https://h/p?a=1&b=x%20y#f",
        "/relative?a=1",
    ] {
        let prepared = SignedUrl::new(uri);
        assert_eq!(prepared.as_str(), uri);
        for (method, params) in [
            ("POST", &[][..]),
            ("GET", &[("user.fields", "id,name")][..]),
        ] {
            assert_eq!(
                signature(&prepared.authorization(method, params, &signing)),
                signature(&authorization(method, uri, params, &signing)),
                "{method} {uri}"
            );
        }
    }
    let parsed = url::Url::parse("https://API.x.com/2/users/me").expect("a URL");
    assert_eq!(
        SignedUrl::from(parsed),
        SignedUrl::new("https://api.x.com/2/users/me")
    );
}
