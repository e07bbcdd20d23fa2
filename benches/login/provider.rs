//! `--role provider`: the crate's local OAuth 1.0a provider in a process of its own, with one
//! account per login of the run (`u0`, `u1`, ...).
//!
//! Protocol on stdio: prints `port N` once listening. Reads commands on stdin: `faults R` makes
//! each signed endpoint fail a fraction `R` of its calls with a 503, at random, and answers
//! `faults on`; `faults 0` stops and answers `faulted <endpoint> F/N, ...`, the calls failed and
//! made per endpoint while faults were on.
//!
//! The mock has no per-call random fault, so faults are switched at random in short slices:
//! in each 2 ms slice an endpoint answers 503 with probability `R`. Browsers whose login failed
//! start the next one at once, so more calls land in failing slices than the share of time;
//! a slice is therefore only failed while the endpoint's failed share of calls is below `R`.

use std::{
    io::Write as _,
    net::{Ipv4Addr, SocketAddr},
    sync::mpsc::TryRecvError,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use actix_twitter_login::mock::{Fault, MockEndpoint, MockProvider, MockUser, RunningProvider};

use super::{arg_value, screen_name, stdin_lines, twitter_id, CONSUMER_KEY, CONSUMER_SECRET};

/// How long one fault decision holds.
const SLICE: Duration = Duration::from_millis(2);

/// The endpoints faults go to (the app's default profile source is `/2/users/me`).
const ENDPOINTS: [MockEndpoint; 3] = [
    MockEndpoint::RequestToken,
    MockEndpoint::AccessToken,
    MockEndpoint::UsersMe,
];

pub fn run(args: &[String]) {
    let callback = arg_value(args, "--callback").expect("--callback <url>");
    let users: usize = arg_value(args, "--users")
        .and_then(|v| v.parse().ok())
        .expect("--users <count>");
    let window: u64 = arg_value(args, "--window")
        .and_then(|v| v.parse().ok())
        .expect("--window <seconds>");
    let commands = stdin_lines();

    actix_web::rt::System::new().block_on(async move {
        let mut builder = MockProvider::builder(CONSUMER_KEY, CONSUMER_SECRET)
            .callback_url(callback)
            .timestamp_window(Duration::from_secs(window))
            .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
        for n in 0..users {
            builder = builder.user(MockUser::new(
                twitter_id(n),
                screen_name(n),
                format!("User {n}"),
            ));
        }
        let provider = builder.start().await.expect("start the local provider");
        say(&format!("port {}", provider.addr().port()));

        let mut rate = 0.0_f64;
        let mut faults = Faults::new(&provider);
        loop {
            match commands.try_recv() {
                Ok(command) => {
                    rate =
                        parse_faults(&command).unwrap_or_else(|| panic!("bad command {command:?}"));
                    if rate == 0.0 {
                        provider.clear_faults();
                        faults.count(&provider);
                        say(&faults.report());
                    }
                    faults = Faults::new(&provider);
                    if rate > 0.0 {
                        say("faults on");
                    }
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => return,
            }
            if rate > 0.0 {
                faults.count(&provider);
                faults.next_slice(&provider, rate);
            }
            let idle = if rate > 0.0 {
                SLICE
            } else {
                Duration::from_millis(20)
            };
            actix_web::rt::time::sleep(idle).await;
        }
    });
}

fn parse_faults(command: &str) -> Option<f64> {
    let rate: f64 = command.strip_prefix("faults ")?.trim().parse().ok()?;
    (0.0..=1.0).contains(&rate).then_some(rate)
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .expect("stdout");
}

/// The random fault slices, and what they failed so far.
struct Faults {
    random: XorShift,
    /// Per endpoint: calls seen when the current slice began, calls made and failed since the
    /// faults began, and whether the current slice fails.
    endpoints: [(usize, usize, usize, bool); ENDPOINTS.len()],
}

impl Faults {
    fn new(provider: &RunningProvider) -> Self {
        Self {
            random: XorShift::seeded(),
            endpoints: ENDPOINTS.map(|e| (provider.requests(e), 0, 0, false)),
        }
    }

    /// Counts the calls of the slice that just ended.
    fn count(&mut self, provider: &RunningProvider) {
        for (endpoint, (seen, calls, failed, failing)) in ENDPOINTS.iter().zip(&mut self.endpoints)
        {
            let now = provider.requests(*endpoint);
            let slice = now - *seen;
            *seen = now;
            *calls += slice;
            if *failing {
                *failed += slice;
            }
        }
    }

    /// Decides the next slice: each endpoint fails with probability `rate` while its failed
    /// share of calls is below `rate`.
    fn next_slice(&mut self, provider: &RunningProvider, rate: f64) {
        provider.clear_faults();
        for (endpoint, (_, calls, failed, failing)) in ENDPOINTS.iter().zip(&mut self.endpoints) {
            let below = (*failed as f64) < rate * (*calls).max(1) as f64;
            *failing = below && self.random.unit() < rate;
            if *failing {
                provider.inject(*endpoint, Fault::Status(503));
            }
        }
    }

    fn report(&self) -> String {
        let parts: Vec<String> = ENDPOINTS
            .iter()
            .zip(&self.endpoints)
            .map(|(endpoint, (_, calls, failed, _))| format!("{endpoint:?} {failed}/{calls}"))
            .collect();
        format!("faulted {}", parts.join(", "))
    }
}

/// xorshift64*: enough randomness to pick fault slices, no dependency.
struct XorShift(u64);

impl XorShift {
    fn seeded() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Self(nanos | 1)
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}
