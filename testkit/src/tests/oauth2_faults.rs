//! Faults on the OAuth 2.0 endpoints, and on `GET /2/users/me` with a bearer token.

use std::time::{Duration, Instant};

use super::{oauth2_support::*, support::*};
use crate::{Fault, MockEndpoint, RunningProvider};

const CREDITS_DEPLETED_TYPE: &str = "https://api.x.com/2/problems/credits-depleted";

/// An authenticated request to `endpoint` that would otherwise be refused (400): a faulted
/// reply shows the fault came first.
async fn call(provider: &RunningProvider, endpoint: MockEndpoint) -> Reply {
    match endpoint {
        MockEndpoint::OAuth2Token => {
            let form = [
                ("grant_type", "refresh_token"),
                ("refresh_token", "unknown"),
            ];
            Caller::Confidential.post(provider, TOKEN, &form).await
        }
        MockEndpoint::OAuth2Revoke => {
            let form = [("token_type_hint", "access_token")];
            Caller::Confidential.post(provider, REVOKE, &form).await
        }
        other => unreachable!("{other:?}"),
    }
}

fn oauth_error_fault() -> Fault {
    Fault::OAuthError {
        status: 503,
        error: "temporarily_unavailable".into(),
        description: "Try again later.".into(),
    }
}

#[actix_web::test]
async fn every_fault_applies_to_the_token_and_revoke_endpoints() {
    let provider = Caller::Confidential.start().await;
    for endpoint in [MockEndpoint::OAuth2Token, MockEndpoint::OAuth2Revoke] {
        provider.inject(endpoint, Fault::Status(503));
        call(&provider, endpoint)
            .await
            .assert(503, "503 Service Unavailable");

        provider.inject(endpoint, Fault::Garbage);
        let reply = call(&provider, endpoint).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_err());

        provider.inject(endpoint, Fault::RateLimited);
        let reply = call(&provider, endpoint).await;
        assert_eq!(reply.status, 429, "{reply:?}");
        assert_eq!(reply.content_type, "application/problem+json");
        assert_eq!(
            reply.json()["type"],
            "https://api.x.com/2/problems/rate-limit-exceeded"
        );
        assert_eq!(reply.headers.get("x-rate-limit-remaining").unwrap(), "0");

        provider.inject(endpoint, Fault::ClientNotEnrolled);
        let reply = call(&provider, endpoint).await;
        assert_eq!(reply.status, 403, "{reply:?}");
        assert_eq!(reply.json()["reason"], "client-not-enrolled");

        provider.inject(endpoint, Fault::CreditsDepleted);
        let reply = call(&provider, endpoint).await;
        assert_eq!(reply.status, 402, "{reply:?}");
        assert_eq!(reply.content_type, "application/problem+json");
        let body = reply.json();
        assert_eq!(body["title"], "CreditsDepleted");
        assert_eq!(body["type"], CREDITS_DEPLETED_TYPE);
        assert!(
            body["detail"].as_str().unwrap().contains("credits"),
            "{body}"
        );

        provider.inject(endpoint, oauth_error_fault());
        let reply = call(&provider, endpoint).await;
        assert_eq!(reply.status, 503, "{reply:?}");
        assert_eq!(
            reply.json(),
            serde_json::json!({
                "error": "temporarily_unavailable",
                "error_description": "Try again later.",
            })
        );

        provider.inject(
            endpoint,
            Fault::Body {
                status: 418,
                content_type: "text/x-teapot".into(),
                body: "short and stout".into(),
            },
        );
        let reply = call(&provider, endpoint).await;
        reply.assert(418, "short and stout");
        assert_eq!(reply.content_type, "text/x-teapot");

        let always = Fault::Sometimes {
            percent: 100,
            fault: Box::new(Fault::CreditsDepleted),
        };
        provider.inject(endpoint, always);
        assert_eq!(call(&provider, endpoint).await.status, 402);
        let never = Fault::Sometimes {
            percent: 0,
            fault: Box::new(Fault::CreditsDepleted),
        };
        provider.inject(endpoint, never);
        let normally = match endpoint {
            MockEndpoint::OAuth2Token => "invalid_grant",
            _ => "invalid_request",
        };
        assert_oauth_error(&call(&provider, endpoint).await, 400, normally);

        let twice = Fault::Times {
            count: 2,
            fault: Box::new(Fault::CreditsDepleted),
        };
        provider.inject(endpoint, twice);
        assert_eq!(call(&provider, endpoint).await.status, 402);
        assert_eq!(call(&provider, endpoint).await.status, 402);
        assert_oauth_error(&call(&provider, endpoint).await, 400, normally);
        assert_oauth_error(&call(&provider, endpoint).await, 400, normally);
        provider.clear_faults();
    }
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 13);
    assert_eq!(provider.requests(MockEndpoint::OAuth2Revoke), 13);
    // Faulted replies are not refusals; the normal answers are.
    assert_eq!(provider.rejected(), 6);
}

#[actix_web::test]
async fn a_delay_answers_normally_afterwards() {
    let provider = Caller::Public.start().await;
    let tokens = Caller::Public.login(&provider, USERS_ME, "alice").await;
    provider.inject(
        MockEndpoint::OAuth2Revoke,
        Fault::Delay(Duration::from_millis(300)),
    );
    let started = Instant::now();
    let reply = Caller::Public
        .post(&provider, REVOKE, &[("token", tokens.access_token())])
        .await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.json()["revoked"], true);
}

#[actix_web::test]
async fn a_fault_on_the_token_endpoint_does_not_consume_the_code() {
    let provider = Caller::Confidential.start().await;
    let code = code_for(&provider, &AuthRequest::new(CLIENT_ID), "alice").await;
    provider.inject(MockEndpoint::OAuth2Token, Fault::Status(500));
    let reply = Caller::Confidential
        .exchange(&provider, &code, VERIFIER)
        .await;
    assert_eq!(reply.status, 500, "{reply:?}");
    provider.clear_faults();
    let reply = Caller::Confidential
        .exchange(&provider, &code, VERIFIER)
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(provider.rejected(), 0);
}

#[actix_web::test]
async fn faults_apply_after_client_authentication() {
    let provider = Caller::Confidential.start().await;
    let form = [("grant_type", "refresh_token"), ("refresh_token", "x")];
    for endpoint in [MockEndpoint::OAuth2Token, MockEndpoint::OAuth2Revoke] {
        provider.inject(endpoint, Fault::RateLimited);
    }
    for path in [TOKEN, REVOKE] {
        let reply = post(&provider, path, Some(&basic(CLIENT_ID, "wrong")), &form).await;
        assert_oauth_error(&reply, 401, "invalid_client");
        let reply = Caller::Confidential.post(&provider, path, &form).await;
        assert_eq!(reply.status, 429, "{reply:?}");
    }
    assert_eq!(provider.rejected(), 2);
}

#[actix_web::test]
async fn users_me_faults_with_a_bearer_token() {
    let provider = Caller::Confidential.start().await;
    let tokens = Caller::Confidential
        .login(&provider, USERS_ME, "alice")
        .await;
    provider.inject(MockEndpoint::UsersMe, Fault::CreditsDepleted);
    let reply = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    assert_eq!(reply.status, 402, "{reply:?}");
    assert_eq!(reply.content_type, "application/problem+json");
    assert_eq!(reply.json()["title"], "CreditsDepleted");
    assert_eq!(reply.json()["type"], CREDITS_DEPLETED_TYPE);
    // A bad bearer token gets its 401 first.
    get_bearer(&provider, "/2/users/me", "unknown")
        .await
        .assert(401, V2_UNAUTHORIZED);

    provider.inject(MockEndpoint::UsersMe, Fault::RateLimited);
    let reply = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    assert_eq!(reply.status, 429, "{reply:?}");
    assert_eq!(reply.content_type, "application/problem+json");

    provider.inject(MockEndpoint::UsersMe, oauth_error_fault());
    let reply = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    assert_eq!(reply.status, 503, "{reply:?}");
    assert_eq!(reply.json()["error"], "temporarily_unavailable");

    // The OAuth 1.0a path gets the new faults too.
    let (token, secret) = login(&provider, "alice").await;
    provider.inject(MockEndpoint::UsersMe, Fault::CreditsDepleted);
    let reply = get_signed(&provider, "/2/users/me", &token, &secret).await;
    assert_eq!(reply.status, 402, "{reply:?}");
    provider.clear_faults();
    let reply = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(provider.rejected(), 1);
}
