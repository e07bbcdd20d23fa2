//! Inputs the fuzz targets (`fuzz/`) and property tests (`tests/properties.rs`) found, kept as
//! tests.
//!
//! The `#[ignore]`d ones are open bugs: each fails today and passes once its bug is fixed
//! (run them with `cargo test --test fuzz_regressions -- --include-ignored`); drop the
//! `#[ignore]`, and the matching exclusion in the fuzz target or property, with the fix.

use std::time::Duration;

use actix_twitter_login::{
    fuzzing::{self, SignInput, Taken},
    Secret, TemporaryCredentials, TwitterLogin,
};
use actix_twitter_login_testkit::signature::{self, AuthorizationHeader};

const KEY: &str = "oauth:twitter";

/// Whether a login remembered at `now` with `ttl` is found by a callback at the same instant.
fn found_at_once(token: &str, secret: &str, ttl: Duration) -> bool {
    let session = fuzzing::empty_session();
    let credentials = TemporaryCredentials {
        token: token.to_owned(),
        secret: Secret::new(secret),
    };
    let now = 1_000_000;
    fuzzing::remember(&session, KEY, &credentials, 4, ttl, now).expect("remembered");
    match fuzzing::take(&session, KEY, token, ttl, now).expect("read") {
        Taken::Found(taken) => taken.token == token && taken.secret.expose() == secret,
        Taken::Mismatch | Taken::Empty => false,
    }
}

/// `pending_state`, minimized input `" 1"`: a 1 ms ttl, `max` 4, empty token and secret.
///
/// The builder accepts any non-zero `pending_login_ttl`, but pending logins are compared in
/// whole seconds (`Duration::as_secs`), so a ttl under one second expires every login the
/// moment it is made and every callback fails with "no pending login". Either fix passes:
/// refusing such a ttl in the builder, or honouring it.
#[test]
fn a_sub_second_pending_login_ttl_is_refused_or_honoured() {
    for ttl in [Duration::from_millis(1), Duration::from_millis(500)] {
        let built = TwitterLogin::builder("key", "secret", "http://127.0.0.1:8080/callback")
            .pending_login_ttl(ttl)
            .build();
        if built.is_ok() {
            assert!(found_at_once("", "", ttl), "ttl {ttl:?}: fuzz input");
            assert!(found_at_once("token", "secret", ttl), "ttl {ttl:?}");
        }
    }
}

#[test]
fn a_whole_second_ttl_finds_the_login_it_just_made() {
    assert!(found_at_once("", "", Duration::from_secs(1)));
    assert!(found_at_once(
        "token",
        "secret",
        Duration::from_millis(1500)
    ));
}

/// Signs `GET uri` with `params` as the middleware does and checks it with the local
/// provider's independent verifier, the way the provider reads the request.
fn provider_accepts(params: &[(&str, &str)]) -> bool {
    let uri = "https://api.x.com/2/users/me";
    let input = SignInput {
        consumer_key: "key",
        consumer_secret: "secret",
        token: Some(("token", "token-secret")),
        callback: None,
        verifier: None,
    };
    let header = fuzzing::authorization("GET", uri, params, &input);
    let url = fuzzing::with_query(uri, params);
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

/// `tests/properties.rs`, minimized: a query parameter named `!`.
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

/// `tests/properties.rs` with repeated names allowed, minimized.
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
