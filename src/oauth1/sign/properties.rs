//! Properties of the signer, checked by the local provider's independent RFC 5849 verifier
//! (the test kit's `signature`): whatever the signer signs, for arbitrary methods, query
//! parameters (unicode, reserved characters, empty values), secrets, tokens, callbacks and
//! verifiers, the verifier accepts; a one-bit change to any signed value makes it refuse. Below
//! them, the inputs property tests and fuzzing once found, kept as cases.

use std::collections::BTreeMap;

use actix_twitter_login_testkit::signature::{self, AuthorizationHeader};
use proptest::{prelude::*, sample::Index};

use super::{authorization, with_query, Signing};
use crate::{
    credentials::Secret,
    oauth1::{
        strategies::{config, name, text},
        ClientCredentials,
    },
};

/// One signed request's inputs.
#[derive(Debug, Clone)]
struct Request {
    method: &'static str,
    uri: &'static str,
    params: Vec<(String, String)>,
    consumer_key: String,
    consumer_secret: String,
    token: Option<(String, String)>,
    callback: Option<String>,
    verifier: Option<String>,
}

fn request() -> impl Strategy<Value = Request> {
    let method = prop::sample::select(vec!["GET", "POST", "get", "Post"]);
    let uri = prop::sample::select(vec![
        "https://api.x.com/2/users/me",
        "https://api.x.com/1.1/account/verify_credentials.json",
        "http://127.0.0.1:8080/oauth/request_token",
        "HTTPS://API.X.COM:443/oauth/access_token",
        "http://Example.COM:80/",
        "https://api.x.com",
    ]);
    // Distinct names: the signer's contract (the values of a repeated name would be signed in
    // raw, not encoded, order; see the cases below). The middleware never repeats one.
    let params = prop::collection::btree_map(name(), text(12), 0..6)
        .prop_map(|map: BTreeMap<_, _>| map.into_iter().collect::<Vec<_>>())
        .prop_shuffle();
    (
        method,
        uri,
        params,
        text(24),
        text(24),
        prop::option::of((text(24), text(24))),
        prop::option::of(text(24)),
        prop::option::of(text(12)),
    )
        .prop_map(
            |(method, uri, params, consumer_key, consumer_secret, token, callback, verifier)| {
                Request {
                    method,
                    uri,
                    params,
                    consumer_key,
                    consumer_secret,
                    token,
                    callback,
                    verifier,
                }
            },
        )
}

/// What the provider sees of a signed request, as its verifier takes it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    base_uri: String,
    /// The query's parameters, then the header's (`oauth_signature` included, as the provider
    /// collects them; the verifier leaves it out of the base string).
    params: Vec<(String, String)>,
    consumer_secret: String,
    token_secret: Option<String>,
    signature: String,
}

impl Received {
    fn accepted(&self) -> bool {
        signature::verify(
            &self.method,
            &self.base_uri,
            &self.params,
            &self.consumer_secret,
            self.token_secret.as_deref(),
            &self.signature,
        )
    }

    /// Every non-empty signed string: parameter names and values (not the signature
    /// parameter, which is not signed), the secrets, and the signature.
    fn signed_strings(&mut self) -> Vec<&mut String> {
        let mut all = Vec::new();
        for (name, value) in &mut self.params {
            if name != "oauth_signature" {
                all.push(name);
                all.push(value);
            }
        }
        all.push(&mut self.consumer_secret);
        all.extend(self.token_secret.as_mut());
        all.push(&mut self.signature);
        all.retain(|s| !s.is_empty());
        all
    }
}

/// Signs `request` as the middleware does, and reads it back as the provider does: the header
/// with its parser, the query from the request URI the middleware builds.
fn send(request: &Request) -> Received {
    let pairs: Vec<(&str, &str)> = request
        .params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let client = ClientCredentials {
        key: request.consumer_key.clone(),
        secret: Secret::new(&request.consumer_secret),
    };
    let token_secret = request
        .token
        .as_ref()
        .map(|(_, secret)| Secret::new(secret));
    let signing = Signing {
        client: &client,
        token: request
            .token
            .as_ref()
            .zip(token_secret.as_ref())
            .map(|((token, _), secret)| (token.as_str(), secret)),
        callback: request.callback.as_deref(),
        verifier: request.verifier.as_deref(),
        fixed: None,
    };
    let header = authorization(request.method, request.uri, &pairs, &signing);
    let url = with_query(request.uri, &pairs);

    let oauth = AuthorizationHeader::parse(&header).expect("the header parses");
    let expected = [
        ("oauth_consumer_key", Some(request.consumer_key.as_str())),
        ("oauth_signature_method", Some("HMAC-SHA1")),
        ("oauth_version", Some("1.0")),
        (
            "oauth_token",
            request.token.as_ref().map(|(token, _)| token.as_str()),
        ),
        ("oauth_callback", request.callback.as_deref()),
        ("oauth_verifier", request.verifier.as_deref()),
    ];
    for (name, value) in expected {
        assert_eq!(oauth.get(name), value, "{name} in {header}");
    }
    assert!(
        oauth.params().iter().all(|(n, _)| n.starts_with("oauth_")),
        "request parameters leaked into the header: {header}"
    );

    let query = url.split_once('?').map_or("", |(_, query)| query);
    let mut params = signature::parse_form(query).expect("the query decodes");
    let mut sent = params.clone();
    sent.sort();
    let mut given = request.params.clone();
    given.sort();
    assert_eq!(sent, given, "the query carries the parameters: {url}");
    params.extend(oauth.params().iter().cloned());

    Received {
        method: request.method.to_owned(),
        base_uri: signature::base_string_uri(&url).expect("an absolute URI"),
        params,
        consumer_secret: request.consumer_secret.clone(),
        token_secret: request.token.as_ref().map(|(_, secret)| secret.clone()),
        signature: oauth
            .get("oauth_signature")
            .expect("a signature")
            .to_owned(),
    }
}

/// `text` with bit 0 of one character's code point flipped (still a valid character: a
/// surrogate's neighbour is a surrogate, so no scalar value flips into one).
fn flip_one_bit(text: &mut String, at: Index) {
    let mut chars: Vec<char> = text.chars().collect();
    let i = at.index(chars.len());
    chars[i] = char::from_u32(u32::from(chars[i]) ^ 1).expect("a scalar value");
    *text = chars.into_iter().collect();
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_provider_accepts_what_the_middleware_signs(request in request()) {
        let received = send(&request);
        prop_assert!(received.accepted(), "refused: {received:?}");
    }

    #[test]
    fn a_one_bit_change_is_refused(request in request(), which: Index, at: Index) {
        let mut received = send(&request);
        prop_assert!(received.accepted(), "refused before any change: {received:?}");
        let mut strings = received.signed_strings();
        let slot = which.index(strings.len());
        flip_one_bit(strings[slot], at);
        prop_assert!(!received.accepted(), "accepted after a change: {received:?}");
    }
}

/// Signs `GET uri` with `params` as the middleware does and checks it with the local
/// provider's independent verifier, the way the provider reads the request.
fn provider_accepts(params: &[(&str, &str)]) -> bool {
    let uri = "https://api.x.com/2/users/me";
    let client = ClientCredentials {
        key: "key".to_owned(),
        secret: Secret::new("secret"),
    };
    let token_secret = Secret::new("token-secret");
    let signing = Signing {
        client: &client,
        token: Some(("token", &token_secret)),
        callback: None,
        verifier: None,
        fixed: None,
    };
    let header = authorization("GET", uri, params, &signing);
    let url = with_query(uri, params);
    let oauth = AuthorizationHeader::parse(&header).expect("the header parses");
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let mut all = signature::parse_form(query).expect("the query decodes");
    all.extend(oauth.params().iter().cloned());
    signature::verify(
        "GET",
        &signature::base_string_uri(&url).expect("an absolute URI"),
        &all,
        "secret",
        Some("token-secret"),
        oauth.get("oauth_signature").expect("a signature"),
    )
}

/// The properties above, minimized: a query parameter named `!`.
///
/// `sign::signed_name` decides whether a name needed encoding by the `Cow` variant
/// `percent_encoding` returns, but that is `Borrowed` whenever the encoding is a single chunk,
/// which a one-byte reserved name (`!` becomes the static `%21`) is: such a name is then
/// encoded once instead of twice in the base string, and the signature is wrong.
#[test]
fn a_one_character_reserved_name_is_signed_like_any_other() {
    assert!(provider_accepts(&[("!", "x")]), "the minimized input");
    for name in [
        "!", " ", "&", "=", "%", "/", "?", "#", "+", "*", "'", "(", "\0",
    ] {
        assert!(provider_accepts(&[(name, "")]), "{name:?}");
    }
}

#[test]
fn reserved_characters_in_longer_names_and_values_are_signed() {
    assert!(provider_accepts(&[("!!", "x")]));
    assert!(provider_accepts(&[("a b", "!*'();:@&=+$,/?#[]% ")]));
    assert!(provider_accepts(&[("é", "☃"), ("", ""), ("x", "")]));
}

/// The properties above with repeated names allowed, minimized.
///
/// RFC 5849 §3.4.1.3.2 sorts parameters by encoded name, then encoded value. The values go to
/// oauth1-request unencoded, and it sorts them as given: `.` sorts before `/` as raw text but
/// after `%2F` encoded, `z` before `é` encoded (`%C3%A9`) but not raw.
#[test]
#[ignore = "known limitation: the values of a repeated name are signed in raw order (the crate never repeats a name)"]
fn repeated_names_are_signed_in_encoded_order() {
    assert!(provider_accepts(&[("a", "."), ("a", "/")]));
    assert!(provider_accepts(&[("a", "é"), ("a", "z")]));
}

#[test]
fn repeated_names_with_the_same_order_either_way_are_signed() {
    assert!(provider_accepts(&[("a", "1"), ("a", "2")]));
    assert!(provider_accepts(&[("a", "x"), ("b", "x"), ("a", "")]));
}
