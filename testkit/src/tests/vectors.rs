//! The published signature vectors (X docs, RFC 5849 and its erratum 2550, the `oauth-sign`
//! Twitter tests) checked against the provider's own RFC 5849 code.

use crate::signature::{
    base_string, base_string_uri, parse_form, sign, verify, AuthorizationHeader, Signer,
};

const T1_CONSUMER_KEY: &str = "xvz1evFS4wEEPTGEFPHBog";
const T1_CONSUMER_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
const T1_TOKEN: &str = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
const T1_TOKEN_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
const T1_STATUS: &str = "Hello Ladies + Gentlemen, a signed OAuth request!";

/// The T1–T3 parameters (X's "Creating a signature" example).
fn t1_params() -> Vec<(&'static str, &'static str)> {
    vec![
        ("status", T1_STATUS),
        ("include_entities", "true"),
        ("oauth_consumer_key", T1_CONSUMER_KEY),
        ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "1318622958"),
        ("oauth_token", T1_TOKEN),
        ("oauth_version", "1.0"),
    ]
}

fn t1_signer() -> Signer {
    Signer::new(T1_CONSUMER_KEY, T1_CONSUMER_SECRET)
        .token(T1_TOKEN, T1_TOKEN_SECRET)
        .nonce("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg")
        .timestamp(1318622958)
        .version(true)
}

fn t1_sign(uri: &str) -> String {
    let base = base_string_uri(uri).unwrap();
    sign(
        "POST",
        &base,
        &t1_params(),
        T1_CONSUMER_SECRET,
        Some(T1_TOKEN_SECRET),
    )
}

#[test]
fn t1_twitter_creating_a_signature() {
    let uri = "https://api.twitter.com/1.1/statuses/update.json";
    assert_eq!(t1_sign(uri), "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    // The same request through the client-side signer, with the status in a form body.
    let signed = t1_signer()
        .sign(
            "POST",
            &format!("{uri}?include_entities=true"),
            &[("status", T1_STATUS)],
        )
        .unwrap();
    assert_eq!(signed.signature, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    // X's documented base string for this request.
    assert_eq!(
        signed.base_string,
        "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
    );
}

#[test]
fn t2_x_docs_api_x_com() {
    assert_eq!(
        t1_sign("https://api.x.com/1.1/statuses/update.json"),
        "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="
    );
}

#[test]
fn t3_x_docs_header_example_v1_path() {
    assert_eq!(
        t1_sign("https://api.twitter.com/1/statuses/update.json"),
        "tnnArxj06cWHq44gCs1OSKk/jLY="
    );
    // The header prints it percent-encoded.
    let header = format!(
        "OAuth oauth_consumer_key=\"{T1_CONSUMER_KEY}\", oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\""
    );
    let parsed = AuthorizationHeader::parse(&header).unwrap();
    assert_eq!(
        parsed.get("oauth_signature"),
        Some("tnnArxj06cWHq44gCs1OSKk/jLY=")
    );
}

#[test]
fn t4_sign_in_guide_request_token() {
    let signed = Signer::new(
        "cChZNFj6T5R0TigYB9yd1w",
        "L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg",
    )
    .callback("http://localhost/sign-in-with-twitter/")
    .nonce("ea9ec8429b68d6b77cd5600adbbb0456")
    .timestamp(1318467427)
    .sign::<&str, &str>("POST", "https://api.twitter.com/oauth/request_token", &[])
    .unwrap();
    assert_eq!(signed.signature, "F1Li3tvehgcraF8DMJ7OyxO4w9Y=");
}

#[test]
fn t4_prime_current_guide_inputs() {
    let signed = Signer::new(
        "cChZNFj6T5R0TigYB9yd1w",
        "L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg",
    )
    .callback("http://localhost/sign-in-with-x/")
    .nonce("ea9ec8429b68d6b77cd5600adbbb0456")
    .timestamp(1318467427)
    .sign::<&str, &str>("POST", "https://api.x.com/oauth/request_token", &[])
    .unwrap();
    assert_eq!(signed.signature, "8igbBKR9gBbelLwVpdCcrMF7xd4=");
}

fn t5_signer() -> Signer {
    Signer::new(
        "cChZNFj6T5R0TigYB9yd1w",
        "L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg",
    )
    .token(
        "NPcudxy0yU5T3tBzho7iCotZ3cnetKwcTIRlX0iwRl0",
        "veNRnAWe6inFuo8o2u8SLLZLjolYDmDP7SzL0YfYI",
    )
    .nonce("a9900fe68e2573b27a37f10fbad6a755")
    .timestamp(1318467427)
}

const T5_VERIFIER: &str = "uw7NjWHT6OJ1MpJOXsHfNxoAhPKpgI8BlYDhxEjIBY";

#[test]
fn t5_sign_in_guide_access_token_with_and_without_verifier() {
    let uri = "https://api.twitter.com/oauth/access_token";
    // The guide sends the verifier in the form body; in the header it signs the same.
    let in_body = t5_signer()
        .sign("POST", uri, &[("oauth_verifier", T5_VERIFIER)])
        .unwrap();
    assert_eq!(in_body.signature, "39cipBtIOHEEnybAR4sATQTpl2I=");
    let in_header = t5_signer()
        .verifier(T5_VERIFIER)
        .sign::<&str, &str>("POST", uri, &[])
        .unwrap();
    assert_eq!(in_header.signature, "39cipBtIOHEEnybAR4sATQTpl2I=");
    let without = t5_signer().sign::<&str, &str>("POST", uri, &[]).unwrap();
    assert_eq!(without.signature, "yLOAV86Kii+FEy5cbUcSOQ4uBAo=");
}

#[test]
fn t5_prime_current_guide_host() {
    let signed = t5_signer()
        .verifier(T5_VERIFIER)
        .sign::<&str, &str>("POST", "https://api.x.com/oauth/access_token", &[])
        .unwrap();
    assert_eq!(signed.signature, "G3DdousFWwxEepaZcmHguKqeBvs=");
}

const T6_BASE_STRING: &str = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";

/// RFC 5849 §3.4.1's example request, read the way the provider reads a request: the header
/// (folded over lines, with a realm) parsed, the query and the form body decoded.
#[test]
fn t6_rfc5849_base_string_and_corrected_signature() {
    let header = "OAuth realm=\"Example\",\r\n                oauth_consumer_key=\"9djdj82h48djs9d2\",\r\n                oauth_token=\"kkk9d7dh3k39sjv7\",\r\n                oauth_signature_method=\"HMAC-SHA1\",\r\n                oauth_timestamp=\"137131201\",\r\n                oauth_nonce=\"7d8f3e4a\",\r\n                oauth_signature=\"bYT5CMsGcbgUdFHObYMEfcx6bsw%3D\"";
    let parsed = AuthorizationHeader::parse(header).unwrap();
    assert_eq!(parsed.realm(), Some("Example"));
    let mut params = parse_form("b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap();
    params.extend(parse_form("c2&a3=2+q").unwrap());
    params.extend(parsed.params().iter().cloned());
    let base_uri =
        base_string_uri("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap();
    assert_eq!(base_string("POST", &base_uri, &params), T6_BASE_STRING);
    let expected = "r6/TJjbCOr97/+UU0NsvSne7s5g=";
    assert_eq!(
        sign(
            "POST",
            &base_uri,
            &params,
            "j49sk3j29djd",
            Some("dh893hdasih9")
        ),
        expected
    );
    assert!(verify(
        "POST",
        &base_uri,
        &params,
        "j49sk3j29djd",
        Some("dh893hdasih9"),
        expected
    ));
    // The value the RFC originally printed (corrected by erratum 2550) must not verify.
    let printed = parsed.get("oauth_signature").unwrap();
    assert_eq!(printed, "bYT5CMsGcbgUdFHObYMEfcx6bsw=");
    assert!(!verify(
        "POST",
        &base_uri,
        &params,
        "j49sk3j29djd",
        Some("dh893hdasih9"),
        printed
    ));
}

#[test]
fn t7_rfc5849_temporary_credentials() {
    let signed = Signer::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44")
        .callback("http://printer.example.com/ready")
        .nonce("wIjqoS")
        .timestamp(137131200)
        .version(false)
        .sign::<&str, &str>("POST", "https://photos.example.net/initiate", &[])
        .unwrap();
    assert_eq!(signed.signature, "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
}

#[test]
fn t8_rfc5849_token_credentials() {
    let signed = Signer::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44")
        .token("hh5s93j4hdidpola", "hdhd0244k9j7ao03")
        .verifier("hfdp7dh39dks9884")
        .nonce("walatlh")
        .timestamp(137131201)
        .version(false)
        .sign::<&str, &str>("POST", "https://photos.example.net/token", &[])
        .unwrap();
    assert_eq!(signed.signature, "gKgrFCywp7rO0OXSjdot/IHF7IU=");
}

#[test]
fn t9_rfc5849_protected_resource() {
    let signed = Signer::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44")
        .token("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00")
        .nonce("chapoH")
        .timestamp(137131202)
        .version(false)
        .sign::<&str, &str>(
            "GET",
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
            &[],
        )
        .unwrap();
    assert_eq!(signed.signature, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
    // An explicit default port and an uppercase host sign the same.
    let same = Signer::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44")
        .token("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00")
        .nonce("chapoH")
        .timestamp(137131202)
        .version(false)
        .sign::<&str, &str>(
            "get",
            "HTTP://Photos.Example.NET:80/photos?file=vacation.jpg&size=original",
            &[],
        )
        .unwrap();
    assert_eq!(same.signature, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

#[test]
fn t10_oauth_sign_twitter_request_token() {
    let signed = Signer::new(
        "GDdmIQH6jhtmLUypg82g",
        "MCD8BKwGdgPHvAuvgvz4EQpqDAtx89grbuNMRd7Eh98",
    )
    .callback("http://localhost:3005/the_dance/process_callback?service_provider_id=11")
    .nonce("QP70eNmVz8jvdPevU3oJD2AfF7R7odC2XJcn4XlZJqk")
    .timestamp(1272323042)
    .sign::<&str, &str>("POST", "https://api.twitter.com/oauth/request_token", &[])
    .unwrap();
    assert_eq!(signed.signature, "8wUi7m5HFQy76nowoCThusfgB+Q=");
}

#[test]
fn t11_oauth_sign_twitter_access_token() {
    let signed = Signer::new(
        "GDdmIQH6jhtmLUypg82g",
        "MCD8BKwGdgPHvAuvgvz4EQpqDAtx89grbuNMRd7Eh98",
    )
    .token(
        "8ldIZyxQeVrFZXFOZH5tAwj6vzJYuLQpl0WUEYtWc",
        "x6qpRnlEmW9JbQn4PQVVeVG8ZLPEx6A0TOebgwcuA",
    )
    .verifier("pDNg57prOHapMbhv25RNf75lVRd6JDsni1AJJIDYoTY")
    .nonce("9zWH6qe0qG7Lc1telCn7FhUbLyVdjEaL3MO5uHxn8")
    .timestamp(1272323047)
    .sign::<&str, &str>("POST", "https://api.twitter.com/oauth/access_token", &[])
    .unwrap();
    assert_eq!(signed.signature, "PUw/dHA4fnlJYM6RhXk5IU/0fCc=");
}

#[test]
fn t12_users_me_get_with_query() {
    let signed = Signer::new(T1_CONSUMER_KEY, T1_CONSUMER_SECRET)
        .token(T1_TOKEN, T1_TOKEN_SECRET)
        .nonce("abc")
        .timestamp(1700000000)
        .version(false)
        .sign::<&str, &str>(
            "GET",
            "https://api.x.com/2/users/me?user.fields=id%2Cname%2Cusername%2Cprofile_image_url",
            &[],
        )
        .unwrap();
    assert_eq!(signed.signature, "608MUOmzPFxehdJUwDZlkusOyF0=");
}

/// The header a signer writes parses back to the same parameters, and they verify.
#[test]
fn signed_header_round_trips_and_verifies() {
    let uri = "https://api.twitter.com/1.1/statuses/update.json";
    let signed = t1_signer()
        .sign(
            "POST",
            uri,
            &[("status", T1_STATUS), ("include_entities", "true")],
        )
        .unwrap();
    let header = signed.authorization();
    assert!(
        header.contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""),
        "{header}"
    );
    let parsed = AuthorizationHeader::parse(&header).unwrap();
    assert_eq!(parsed.params(), signed.oauth_params.as_slice());
    let mut params = vec![
        ("status".to_owned(), T1_STATUS.to_owned()),
        ("include_entities".to_owned(), "true".to_owned()),
    ];
    params.extend(parsed.params().iter().cloned());
    let base = base_string_uri(uri).unwrap();
    let sent = parsed.get("oauth_signature").unwrap();
    assert!(verify(
        "POST",
        &base,
        &params,
        T1_CONSUMER_SECRET,
        Some(T1_TOKEN_SECRET),
        sent
    ));
    // Any change to a signed input breaks it.
    assert!(!verify(
        "POST",
        &base,
        &params,
        T1_CONSUMER_SECRET,
        Some("other"),
        sent
    ));
    assert!(!verify(
        "GET",
        &base,
        &params,
        T1_CONSUMER_SECRET,
        Some(T1_TOKEN_SECRET),
        sent
    ));
    params[0].1.push('!');
    assert!(!verify(
        "POST",
        &base,
        &params,
        T1_CONSUMER_SECRET,
        Some(T1_TOKEN_SECRET),
        sent
    ));
}
