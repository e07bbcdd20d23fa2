//! `--role provider`: the test kit's local OAuth 1.0a provider in a process of its own, with one
//! account per login of the run (`u0`, `u1`, ...).
//!
//! Protocol on stdio: prints `port N` once listening. Reads commands on stdin: `faults P` makes
//! each signed endpoint answer 503 to about `P` % of its calls, chosen at random, and answers
//! `faults on`; `faults 0` stops them and answers `calls <endpoint> N, ...`, the calls each
//! endpoint got while faults were on.

use std::{
    io::Write as _,
    net::{Ipv4Addr, SocketAddr},
    sync::mpsc::TryRecvError,
    time::Duration,
};

use actix_twitter_login_testkit::{
    Fault, MockEndpoint, MockProvider, MockUser, OAuth2Client, RunningProvider,
};

use super::{
    arg_value, screen_name, stdin_lines, twitter_id, CLIENT_ID, CLIENT_SECRET, CONSUMER_KEY,
    CONSUMER_SECRET,
};

/// The endpoints faults go to (the app's default profile source is `/2/users/me`).
const ENDPOINTS: [MockEndpoint; 3] = [
    MockEndpoint::RequestToken,
    MockEndpoint::AccessToken,
    MockEndpoint::UsersMe,
];

pub fn run(args: &[String]) {
    // `--callback` once per app.
    let callbacks: Vec<String> = args
        .windows(2)
        .filter(|pair| pair[0] == "--callback")
        .map(|pair| pair[1].clone())
        .collect();
    assert!(!callbacks.is_empty(), "--callback <url>");
    let users: usize = arg_value(args, "--users")
        .and_then(|v| v.parse().ok())
        .expect("--users <count>");
    let window: u64 = arg_value(args, "--window")
        .and_then(|v| v.parse().ok())
        .expect("--window <seconds>");
    let commands = stdin_lines();

    actix_web::rt::System::new().block_on(async move {
        let mut builder = MockProvider::builder(CONSUMER_KEY, CONSUMER_SECRET)
            .oauth2_client(OAuth2Client::confidential(CLIENT_ID, CLIENT_SECRET))
            .timestamp_window(Duration::from_secs(window))
            .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
        for callback in &callbacks {
            builder = builder.callback_url(callback);
        }
        for n in 0..users {
            builder = builder.user(MockUser::new(
                twitter_id(n),
                screen_name(n),
                format!("User {n}"),
            ));
        }
        let provider = builder.start().await.expect("start the local provider");
        say(&format!("port {}", provider.addr().port()));

        let mut calls_before = calls(&provider);
        loop {
            match commands.try_recv() {
                Ok(command) => {
                    let percent = command
                        .strip_prefix("faults ")
                        .and_then(|p| p.trim().parse::<u8>().ok())
                        .filter(|p| *p <= 100)
                        .unwrap_or_else(|| panic!("bad command {command:?}"));
                    if percent == 0 {
                        provider.clear_faults();
                        let made: Vec<String> = ENDPOINTS
                            .iter()
                            .zip(calls(&provider).iter().zip(&calls_before))
                            .map(|(endpoint, (now, before))| {
                                format!("{endpoint:?} {}", now - before)
                            })
                            .collect();
                        say(&format!("calls {}", made.join(", ")));
                    } else {
                        calls_before = calls(&provider);
                        for endpoint in ENDPOINTS {
                            let fault = Fault::Sometimes {
                                percent,
                                fault: Box::new(Fault::Status(503)),
                            };
                            provider.inject(endpoint, fault);
                        }
                        say("faults on");
                    }
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => return,
            }
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
    });
}

/// Calls so far to each of [`ENDPOINTS`].
fn calls(provider: &RunningProvider) -> Vec<usize> {
    ENDPOINTS.iter().map(|e| provider.requests(*e)).collect()
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .expect("stdout");
}
