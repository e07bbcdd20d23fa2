//! The token exchange's rate limit (on its own with an injected clock, then over HTTP), its
//! count, and faults injected into it.

use std::{
    net::IpAddr,
    time::{Duration, Instant},
};

use super::{oauth2_support::*, support::*};
use crate::{
    oauth2::limit::{ExchangeLimit, ExchangeWindows, Exhausted},
    signature::unix_now,
    Fault, MockEndpoint, RunningProvider,
};

fn ip(last: u8) -> IpAddr {
    IpAddr::from([127, 0, 0, last])
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn a_window_admits_count_exchanges_then_refuses_until_it_ends() {
    let limit = ExchangeLimit {
        count: 3,
        period: secs(60),
    };
    let t0 = Instant::now();
    let mut windows = ExchangeWindows::default();
    for n in 0..3 {
        assert_eq!(windows.admit(ip(1), t0 + secs(n), limit), Ok(()));
    }
    let refused = |reset_in| Err(Exhausted { reset_in });
    assert_eq!(
        windows.admit(ip(1), t0 + secs(10), limit),
        refused(secs(50))
    );
    let almost = t0 + secs(60) - Duration::from_millis(1);
    assert_eq!(
        windows.admit(ip(1), almost, limit),
        refused(Duration::from_millis(1))
    );
    // Another source address has its own window.
    assert_eq!(windows.admit(ip(2), t0 + secs(10), limit), Ok(()));
    // The refusals used nothing up: the next window admits three again, from its own start.
    for n in 60..63 {
        assert_eq!(windows.admit(ip(1), t0 + secs(n), limit), Ok(()));
    }
    assert_eq!(
        windows.admit(ip(1), t0 + secs(100), limit),
        refused(secs(20))
    );
    assert_eq!(windows.admit(ip(1), t0 + secs(120), limit), Ok(()));
}

#[test]
fn a_count_of_zero_refuses_every_exchange() {
    let limit = ExchangeLimit {
        count: 0,
        period: secs(5),
    };
    let mut windows = ExchangeWindows::default();
    let t0 = Instant::now();
    for n in [0, 3, 5, 60] {
        assert!(windows.admit(ip(1), t0 + secs(n), limit).is_err());
    }
}

#[test]
fn ended_windows_are_dropped_when_many_addresses_came() {
    let limit = ExchangeLimit {
        count: 1,
        period: secs(60),
    };
    let mut windows = ExchangeWindows::default();
    let t0 = Instant::now();
    for n in 0..2000u32 {
        let addr = IpAddr::from((0x0a00_0000 + n).to_be_bytes());
        assert_eq!(
            windows.admit(addr, t0 + secs(u64::from(n / 1000) * 60), limit),
            Ok(())
        );
        assert!(windows.len() <= 1024, "after {n}");
    }
}

/// Exchanges `(token, secret)` as the public client.
async fn exchange(provider: &RunningProvider, pair: &(String, String)) -> Reply {
    Caller::Public
        .exchange_oauth1(provider, &pair.0, &pair.1, &[])
        .await
}

/// Checks the 429 of the exchange limit and returns its `x-rate-limit-reset`.
fn assert_rate_limited(reply: &Reply, limit: &str) -> u64 {
    assert_oauth_error(reply, 429, "rate_limited");
    let header = |name| reply.headers.get(name).unwrap().to_str().unwrap();
    assert_eq!(header("x-rate-limit-limit"), limit);
    assert_eq!(header("x-rate-limit-remaining"), "0");
    assert!(!reply.headers.contains_key("retry-after"), "{reply:?}");
    header("x-rate-limit-reset").parse().unwrap()
}

#[actix_web::test]
async fn past_the_limit_exchanges_get_429_and_change_nothing() {
    let provider = Caller::Public
        .builder()
        .token_exchange_limit(2, secs(3600))
        .start()
        .await
        .unwrap();
    let pair = login(&provider, "alice").await;
    let first = Tokens(exchange(&provider, &pair).await.json());
    // A refused exchange counts toward the limit too.
    let wrong = (pair.0.clone(), "wrong".to_owned());
    assert_oauth_error(&exchange(&provider, &wrong).await, 400, "invalid_grant");
    let reset = assert_rate_limited(&exchange(&provider, &pair).await, "2");
    assert!(
        reset > unix_now() + 3500 && reset <= unix_now() + 3601,
        "{reset}"
    );
    // Neither the 429 nor the bad exchange superseded the first pair, nor are 429s rejected.
    let me = get_bearer(&provider, "/2/users/me", first.access_token()).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(provider.rejected(), 1);
    // The other grants are not limited.
    let tokens = Caller::Public.login(&provider, USERS_ME, "bob").await;
    assert!(tokens.0["access_token"].is_string());
    assert_eq!(provider.requests(MockEndpoint::OAuth2TokenExchange), 3);
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 4);
}

#[actix_web::test]
async fn exchanges_are_admitted_again_once_the_period_is_over() {
    let period = Duration::from_millis(600);
    let provider = Caller::Public
        .builder()
        .token_exchange_limit(1, period)
        .start()
        .await
        .unwrap();
    let pair = login(&provider, "alice").await;
    let opened_after = Instant::now();
    assert_eq!(exchange(&provider, &pair).await.status, 200);
    let reply = exchange(&provider, &pair).await;
    let reset = assert_rate_limited(&reply, "1");
    assert!(reset >= unix_now() && reset <= unix_now() + 2, "{reset}");
    // Wait for the window to end, asking again until the provider admits an exchange.
    let recovered = loop {
        let reply = exchange(&provider, &pair).await;
        if reply.status == 200 {
            break Tokens(reply.json());
        }
        assert_rate_limited(&reply, "1");
        assert!(opened_after.elapsed() < secs(10), "never admitted again");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(opened_after.elapsed() >= period);
    let me = get_bearer(&provider, "/2/users/me", recovered.access_token()).await;
    assert_eq!(me.status, 200, "{me:?}");
}

#[actix_web::test]
async fn faults_apply_to_exchanges_after_the_client_is_authenticated() {
    let provider = Caller::Public.start().await;
    let pair = login(&provider, "alice").await;
    let first = Tokens(exchange(&provider, &pair).await.json());

    provider.inject(MockEndpoint::OAuth2TokenExchange, Fault::Status(503));
    exchange(&provider, &pair)
        .await
        .assert(503, "503 Service Unavailable");
    // A bad client still gets its error; the other grants are not faulted.
    let form = [("grant_type", TOKEN_EXCHANGE)];
    let reply = post(&provider, TOKEN, None, &form).await;
    assert_oauth_error(&reply, 401, "invalid_client");
    Caller::Public.login(&provider, USERS_ME, "bob").await;

    // X's 429 for the exchange, as the limit answers it.
    provider.inject(MockEndpoint::OAuth2TokenExchange, Fault::RateLimited);
    let reset = assert_rate_limited(&exchange(&provider, &pair).await, "10000");
    assert!(reset > unix_now(), "{reset}");

    // A fault of the whole token endpoint reaches exchanges too, unless one of their own is
    // injected.
    provider.inject(MockEndpoint::OAuth2Token, Fault::Status(500));
    assert_rate_limited(&exchange(&provider, &pair).await, "10000");
    provider.clear_faults();
    provider.inject(MockEndpoint::OAuth2Token, Fault::Status(500));
    exchange(&provider, &pair)
        .await
        .assert(500, "500 Internal Server Error");
    provider.clear_faults();

    // None of the faulted exchanges superseded the first pair.
    let me = get_bearer(&provider, "/2/users/me", first.access_token()).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(exchange(&provider, &pair).await.status, 200);
    // Exactly the requests with the token exchange grant type are counted as exchanges.
    assert_eq!(provider.requests(MockEndpoint::OAuth2TokenExchange), 7);
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 8);
}
