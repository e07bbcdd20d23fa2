//! Properties over arbitrary inputs:
//!
//! * what the middleware signs, the local provider's independent RFC 5849 verifier accepts, for
//!   arbitrary methods, query parameters (unicode, reserved characters, empty values), secrets,
//!   tokens, callbacks and verifiers; and a one-bit change to any signed value makes it refuse;
//! * the callback query parser never panics, and gives back a well-formed `oauth_token` and
//!   `oauth_verifier` pair however it is encoded and whatever surrounds it.
//!
//! The signer is internal: it is reached through the hidden `fuzzing` module (the `__fuzzing`
//! feature, on for this crate's own tests).

use std::collections::BTreeMap;

use actix_twitter_login::{
    fuzzing::{self, Callback, SignInput},
    LoginFailure,
};
use actix_twitter_login_testkit::signature::{self, AuthorizationHeader};
use proptest::{prelude::*, sample::Index};
use url::form_urlencoded::Serializer;

/// The characters RFC 3986 reserves, `%` and a space.
const RESERVED: &str = "!*'();:@&=+$,/?#[]% ";

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Integration tests have no `lib.rs` beside them to keep failures next to; a failure
        // that matters goes into `tests/fuzz_regressions.rs` by hand.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Up to `max` characters: reserved ones, unreserved ASCII, and any Unicode scalar value
/// (controls, bidirectional controls and astral characters included); often empty.
fn text(max: usize) -> impl Strategy<Value = String> {
    let reserved: Vec<char> = RESERVED.chars().collect();
    let odd = vec![
        '~', '-', '.', '_', 'é', '☃', '😀', '\0', '\n', '\u{202e}', '\u{feff}',
    ];
    let one = prop_oneof![
        4 => prop::sample::select(reserved),
        3 => prop::char::range('a', 'z'),
        2 => prop::sample::select(odd),
        2 => any::<char>(),
    ];
    prop::collection::vec(one, 0..=max).prop_map(String::from_iter)
}

/// A query parameter name. `oauth_*` names belong to the protocol: the provider refuses a
/// request that repeats one outside the header, so none is generated.
fn name() -> impl Strategy<Value = String> {
    text(8).prop_filter("not a protocol parameter", |n| !n.starts_with("oauth_"))
}

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
    // raw, not encoded, order; `tests/fuzz_regressions.rs`). The middleware never repeats one.
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
    let input = SignInput {
        consumer_key: &request.consumer_key,
        consumer_secret: &request.consumer_secret,
        token: request
            .token
            .as_ref()
            .map(|(token, secret)| (token.as_str(), secret.as_str())),
        callback: request.callback.as_deref(),
        verifier: request.verifier.as_deref(),
    };
    let header = fuzzing::authorization(request.method, request.uri, &pairs, &input);
    let url = fuzzing::with_query(request.uri, &pairs);

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

    #[test]
    fn callback_parsing_never_panics(query in any::<String>()) {
        let _ = fuzzing::callback_query(&query);
    }

    #[test]
    fn callback_parsing_never_panics_on_form_like_text(
        query in "(oauth_token|oauth_verifier|denied|[a-z%+=&]|%[0-9A-Fa-f]{0,2}){0,40}",
    ) {
        match fuzzing::callback_query(&query) {
            Ok(_) | Err(LoginFailure::MalformedCallback(_)) => {}
            Err(other) => prop_assert!(false, "not a malformed callback: {other:?}"),
        }
    }

    #[test]
    fn a_well_formed_callback_round_trips(
        token in text(40).prop_filter("non-empty", |t| !t.is_empty()),
        verifier in text(40).prop_filter("non-empty", |v| !v.is_empty()),
        extra in prop::collection::vec(
            (
                name().prop_filter("not a callback parameter", |n| {
                    !["oauth_token", "oauth_verifier", "denied"].contains(&n.as_str())
                }),
                text(8),
            ),
            0..4,
        ),
        order in Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let mut pairs: Vec<(&str, &str)> = vec![("oauth_token", &token), ("oauth_verifier", &verifier)];
        pairs.extend(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let mut serializer = Serializer::new(String::new());
        for i in order.into_iter().filter(|&i| i < pairs.len()) {
            serializer.append_pair(pairs[i].0, pairs[i].1);
        }
        let query = serializer.finish();
        prop_assume!(query.len() <= fuzzing::MAX_CALLBACK_QUERY_BYTES);
        prop_assert_eq!(
            fuzzing::callback_query(&query).ok(),
            Some(Callback::Approved { token, verifier }),
            "{}", query
        );
    }
}
