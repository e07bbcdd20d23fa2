//! `POST /oauth/request_token` and the signature checks every signed endpoint shares.

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::Duration,
};

use super::support::*;
use crate::{signature::unix_now, MockEndpoint};

const CODE_32: &str = r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;
const CODE_135: &str = r#"{"errors":[{"code":135,"message":"Timestamp out of bounds."}]}"#;
const CODE_215: &str = r#"{"errors":[{"code":215,"message":"Bad Authentication data."}]}"#;
const XML_415: &str = "<?xml version='1.0' encoding='UTF-8'?><errors><error code=\"415\">Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings</error></errors>";

#[actix_web::test]
async fn issues_temporary_credentials_as_a_form_served_as_html() {
    let provider = start().await;
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.content_type, "text/html; charset=utf-8");
    let form = reply.form();
    assert_eq!(form.len(), 3, "{form:?}");
    assert!(form["oauth_token"].len() >= 20);
    assert!(form["oauth_token_secret"].len() >= 20);
    assert_ne!(form["oauth_token"], form["oauth_token_secret"]);
    assert_eq!(form["oauth_callback_confirmed"], "true");
    // A second call issues different credentials.
    let (token2, _) = request_token(&provider).await;
    assert_ne!(token2, form["oauth_token"]);
    assert_eq!(provider.requests(MockEndpoint::RequestToken), 2);
    assert_eq!(provider.rejected(), 0);
    provider.stop().await;
}

#[actix_web::test]
async fn accepts_a_header_without_oauth_version_and_with_a_realm() {
    let provider = start().await;
    let reply = request_token_with(&provider, signer().callback(CALLBACK).version(false)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let signed = signer()
        .callback(CALLBACK)
        .sign::<&str, &str>(
            "POST",
            &format!("{}/oauth/request_token", provider.base_url()),
            &[],
        )
        .unwrap();
    let auth = signed
        .authorization()
        .replacen("OAuth ", "OAuth realm=\"Twitter API\",", 1);
    let reply = post(&provider, "/oauth/request_token", Some(&auth), &[]).await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn refuses_a_bad_signature_with_code_32() {
    let provider = start().await;
    let wrong_secret = crate::signature::Signer::new(KEY, "not-the-secret").callback(CALLBACK);
    request_token_with(&provider, wrong_secret)
        .await
        .assert(401, CODE_32);
    let unknown_key = crate::signature::Signer::new("other-key", SECRET).callback(CALLBACK);
    request_token_with(&provider, unknown_key)
        .await
        .assert(401, CODE_32);
    // A signature over a query parameter that is not sent does not verify either.
    let signer = signer().callback(CALLBACK);
    let auth = authorization(&provider, &signer, "POST", "/oauth/request_token?x=1", &[]);
    post(&provider, "/oauth/request_token", Some(&auth), &[])
        .await
        .assert(401, CODE_32);
    assert_eq!(provider.rejected(), 3);
}

#[actix_web::test]
async fn refuses_an_unregistered_or_missing_callback_with_xml_415() {
    let provider = start().await;
    for callback in [
        "http://127.0.0.1:8080/auth/twitter/callback/",
        "http://localhost:8080/auth/twitter/callback",
        "HTTP://127.0.0.1:8080/auth/twitter/callback",
    ] {
        let reply = request_token_with(&provider, signer().callback(callback)).await;
        reply.assert(403, XML_415);
        assert!(reply.content_type.contains("xml"), "{reply:?}");
    }
    request_token_with(&provider, signer())
        .await
        .assert(403, XML_415);
}

#[actix_web::test]
async fn refuses_a_stale_or_future_timestamp_with_code_135() {
    let provider = builder()
        .timestamp_window(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let now = unix_now();
    for timestamp in [now - 120, now + 120, 1318622958] {
        let reply =
            request_token_with(&provider, signer().callback(CALLBACK).timestamp(timestamp)).await;
        reply.assert(401, CODE_135);
    }
    let reply =
        request_token_with(&provider, signer().callback(CALLBACK).timestamp(now - 30)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn refuses_a_replayed_nonce_with_code_32() {
    let provider = start().await;
    let signer = signer().callback(CALLBACK);
    let auth = authorization(&provider, &signer, "POST", "/oauth/request_token", &[]);
    let first = post(&provider, "/oauth/request_token", Some(&auth), &[]).await;
    assert_eq!(first.status, 200, "{first:?}");
    post(&provider, "/oauth/request_token", Some(&auth), &[])
        .await
        .assert(401, CODE_32);
    // Same nonce, another timestamp: a different triple, accepted.
    let again = signer.nonce("fixed-nonce");
    let a = request_token_with(&provider, again.clone().timestamp(unix_now())).await;
    let b = request_token_with(&provider, again.timestamp(unix_now() - 1)).await;
    assert_eq!((a.status, b.status), (200, 200), "{a:?} {b:?}");
    assert_eq!(provider.rejected(), 1);
}

#[actix_web::test]
async fn refuses_missing_or_malformed_oauth_data_with_code_215() {
    let provider = start().await;
    post(&provider, "/oauth/request_token", None, &[])
        .await
        .assert(400, CODE_215);
    let bad_headers = [
        "Bearer AAAA".to_owned(),
        "OAuth oauth_consumer_key=test-consumer-key".to_owned(),
        format!("OAuth oauth_consumer_key=\"{KEY}\", oauth_signature=\"x\""),
    ];
    for auth in &bad_headers {
        post(&provider, "/oauth/request_token", Some(auth), &[])
            .await
            .assert(400, CODE_215);
    }
    // Each required parameter dropped in turn, and unsupported method and version values.
    let signed = signer().callback(CALLBACK).sign::<&str, &str>(
        "POST",
        &format!("{}/oauth/request_token", provider.base_url()),
        &[],
    );
    let signed = signed.unwrap();
    for dropped in [
        "oauth_consumer_key",
        "oauth_nonce",
        "oauth_timestamp",
        "oauth_signature_method",
        "oauth_signature",
    ] {
        let mut tampered = signed.clone();
        tampered.oauth_params.retain(|(n, _)| n != dropped);
        post(
            &provider,
            "/oauth/request_token",
            Some(&tampered.authorization()),
            &[],
        )
        .await
        .assert(400, CODE_215);
    }
    for (name, value) in [
        ("oauth_signature_method", "PLAINTEXT"),
        ("oauth_version", "2.0"),
        ("oauth_timestamp", "12ab"),
    ] {
        let mut tampered = signed.clone();
        for (n, v) in &mut tampered.oauth_params {
            if n == name {
                *v = value.to_owned();
            }
        }
        post(
            &provider,
            "/oauth/request_token",
            Some(&tampered.authorization()),
            &[],
        )
        .await
        .assert(400, CODE_215);
    }
}

#[actix_web::test]
async fn signs_form_body_parameters_and_refuses_oauth_duplicates_in_them() {
    let provider = start().await;
    let form = [("x_auth_access_type", "read")];
    let signer = signer().callback(CALLBACK);
    let auth = authorization(&provider, &signer, "POST", "/oauth/request_token", &form);
    let reply = post(&provider, "/oauth/request_token", Some(&auth), &form).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    // The same header without the body it signed fails.
    let auth = authorization(&provider, &signer, "POST", "/oauth/request_token", &form);
    post(&provider, "/oauth/request_token", Some(&auth), &[])
        .await
        .assert(401, CODE_32);
    let dup = [("oauth_nonce", "again")];
    let auth = authorization(&provider, &signer, "POST", "/oauth/request_token", &dup);
    post(&provider, "/oauth/request_token", Some(&auth), &dup)
        .await
        .assert(400, CODE_215);
}

/// A raw HTTP/1.1 exchange, to send a POST with no `Content-Length` at all.
fn raw_exchange(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[actix_web::test]
async fn answers_411_with_an_empty_body_without_content_length() {
    let provider = start().await;
    let auth = authorization(
        &provider,
        &signer().callback(CALLBACK),
        "POST",
        "/oauth/request_token",
        &[],
    );
    let host = provider.addr();
    let request = format!(
        "POST /oauth/request_token HTTP/1.1\r\nhost: {host}\r\nauthorization: {auth}\r\nconnection: close\r\n\r\n"
    );
    let response = actix_web::rt::task::spawn_blocking(move || raw_exchange(host, &request))
        .await
        .unwrap();
    assert!(
        response.starts_with("HTTP/1.1 411 Length Required\r\n"),
        "{response}"
    );
    assert!(
        response
            .to_ascii_lowercase()
            .contains("content-length: 0\r\n"),
        "{response}"
    );
    assert!(response.ends_with("\r\n\r\n"), "{response}");
}
