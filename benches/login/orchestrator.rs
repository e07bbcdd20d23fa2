//! The default role: starts the apps and the provider as separate processes ([`Run`]), drives
//! the load, and prints every figure against its target.

use std::time::Duration;

use actix_web::rt::SystemRunner;

use super::{
    cost::{logins, oauth2_logins, users_figure},
    logins::{Driver, Processes},
    ping,
    procfs::{self, Process},
    report::{self, figure, median, quantile},
    run::Run,
};

/// What a run does; every value can be set from the environment.
#[derive(Debug)]
pub struct Settings {
    /// `BENCH_LOGINS` (20000): complete logins; memory is read after half and after all.
    pub logins: usize,
    /// `BENCH_CONCURRENCY` (8): virtual browsers logging in at once.
    pub concurrency: usize,
    /// `BENCH_WARMUP` (500, at most a tenth of the logins): logins before the measured window.
    pub warmup: usize,
    /// `BENCH_PING_CONNECTIONS` (16): connections of the `/ping` load.
    pub ping_connections: usize,
    /// `BENCH_PING_ROUNDS` (30): A/B rounds of the `/ping` comparison.
    pub ping_rounds: usize,
    /// `BENCH_PING_MS` (1000): milliseconds of each side of a round. Short rounds, many of
    /// them: other load on the machine changes from second to second, and each round pairs
    /// the two apps under nearly the same conditions.
    pub ping_ms: u64,
    /// `BENCH_FAULT_LOGINS` (a tenth of the logins, at least 200): logins with provider faults.
    pub fault_logins: usize,
    /// `BENCH_FAULT_PERCENT` (20): the share of provider calls that fail in that phase.
    pub fault_percent: u8,
    /// `BENCH_PACED_RATE` (50): logins per second in the paced run, where logins arrive
    /// sparsely, as real ones do, instead of back to back.
    pub paced_rate: f64,
    /// `BENCH_PACED_LOGINS` (500, at most half the logins): returning logins in the paced run
    /// of each protocol.
    pub paced_logins: usize,
    /// `BENCH_ROUND_LOGINS` (500): logins per round when an app and its floor are measured
    /// turn about.
    pub round_logins: usize,
    /// `BENCH_APP_WRAPPER` (none): a command the app with the middleware runs under, to
    /// profile it, e.g. `valgrind --tool=callgrind`. A wrapper that keeps the app's pid
    /// (valgrind does) has its own cost in the CPU and memory figures; one that forks (perf)
    /// has the figures describe itself. Profile with it; measure without it.
    pub app_wrapper: Option<String>,
}

impl Settings {
    fn from_env() -> Self {
        fn var<T: std::str::FromStr>(name: &str, default: T) -> T {
            match std::env::var(name) {
                Ok(value) => value
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}={value:?} is not a valid value")),
                Err(_) => default,
            }
        }
        let logins = var("BENCH_LOGINS", 20_000_usize).max(20);
        Self {
            logins,
            concurrency: var("BENCH_CONCURRENCY", 8),
            warmup: var("BENCH_WARMUP", (logins / 10).min(500)),
            ping_connections: var("BENCH_PING_CONNECTIONS", 16),
            ping_rounds: var("BENCH_PING_ROUNDS", 30).max(1),
            ping_ms: var("BENCH_PING_MS", 1000),
            fault_logins: var("BENCH_FAULT_LOGINS", (logins / 10).max(200)),
            fault_percent: var("BENCH_FAULT_PERCENT", 20),
            paced_rate: var("BENCH_PACED_RATE", 50.0),
            paced_logins: var("BENCH_PACED_LOGINS", (logins / 2).min(500)).min(logins / 2),
            round_logins: var("BENCH_ROUND_LOGINS", 500).max(1),
            app_wrapper: std::env::var("BENCH_APP_WRAPPER").ok(),
        }
    }
}

pub fn run() {
    let settings = Settings::from_env();
    let ticks_per_second = procfs::clock_ticks_per_second();
    let tick_ms = 1000.0 / ticks_per_second.unwrap_or(100) as f64;
    println!("actix-twitter-login login benchmark");
    println!("  machine  {}", procfs::machine());
    println!("  profile  {}", report::profile());
    println!(
        "  clock    {}",
        match ticks_per_second {
            Some(hz) => format!("{hz} ticks/s (getconf CLK_TCK)"),
            None => "getconf CLK_TCK unavailable: assuming 100 ticks/s".to_owned(),
        }
    );
    println!("  run      {settings:?}");

    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut run = Run::start(&settings, dir.path());
    let start_memory = run.app.child.process().memory();
    pass_through(
        &settings,
        (run.app.port, run.app.child.process()),
        (run.plain.port, run.plain.child.process()),
        tick_ms,
    );
    let system = actix_web::rt::System::new();
    let mut driver = Driver::new(
        &run.app.url(),
        &run.provider_url,
        settings.concurrency,
        Processes {
            app: run.app.child.process(),
            provider: run.provider.process(),
            orchestrator: Process::current(),
        },
    );
    let oauth1 = logins(&settings, &run, &mut driver, &system, tick_ms, start_memory);
    oauth2_logins(&settings, &run, &system, tick_ms, &oauth1);
    faults(&settings, &mut run, &mut driver, &system);
    drop(driver);
    run.finish();
}

/// `/ping` requests per second of the two apps, in alternating rounds.
fn pass_through(settings: &Settings, app: (u16, Process), plain: (u16, Process), tick_ms: f64) {
    let connections = settings.ping_connections;
    let round = Duration::from_millis(settings.ping_ms);
    // Warm both: connections, worker threads, allocator.
    ping::run(app.0, app.1, connections, Duration::from_secs(1));
    ping::run(plain.0, plain.1, connections, Duration::from_secs(1));
    let mut with = Vec::new();
    let mut without = Vec::new();
    println!();
    println!(
        "pass-through cost: GET /ping, {connections} keep-alive connections, {} rounds of {} ms \
         per app, order alternating",
        settings.ping_rounds, settings.ping_ms
    );
    for number in 0..settings.ping_rounds {
        let (a, b) = if number % 2 == 0 {
            let a = ping::run(app.0, app.1, connections, round);
            (a, ping::run(plain.0, plain.1, connections, round))
        } else {
            let b = ping::run(plain.0, plain.1, connections, round);
            (ping::run(app.0, app.1, connections, round), b)
        };
        println!(
            "  round {}: with {:>8.0} req/s ({:.1} µs CPU/req)   without {:>8.0} req/s ({:.1} µs CPU/req)   ratio {:.3}",
            number + 1,
            a.rps,
            a.ticks_per_request * tick_ms * 1e3,
            b.rps,
            b.ticks_per_request * tick_ms * 1e3,
            a.rps / b.rps
        );
        with.push(a);
        without.push(b);
    }
    let rps = |runs: &[ping::Run]| median(runs.iter().map(|r| r.rps).collect());
    let cpu = |runs: &[ping::Run]| {
        median(
            runs.iter()
                .map(|r| r.ticks_per_request * tick_ms * 1e3)
                .collect(),
        )
    };
    let (rps_with, rps_without) = (rps(&with), rps(&without));
    let (cpu_with, cpu_without) = (cpu(&with), cpu(&without));
    let ratios: Vec<f64> = with
        .iter()
        .zip(&without)
        .map(|(a, b)| a.rps / b.rps)
        .collect();
    let paired = median(ratios.clone());
    let (first_quartile, third_quartile) = (quantile(ratios.clone(), 0.25), quantile(ratios, 0.75));
    println!(
        "  median req/s: with {rps_with:.0}, without {rps_without:.0}, ratio {:.3}",
        rps_with / rps_without
    );
    println!(
        "  rounds' ratios: median {paired:.3}, interquartile range {first_quartile:.3} to \
         {third_quartile:.3}"
    );
    println!(
        "  app CPU per request (median): with {cpu_with:.2} µs, without {cpu_without:.2} µs, \
         ratio without / with {:.3}",
        cpu_without / cpu_with
    );
    // Each round measures both apps within a second of each other; the load of other
    // tenants on a shared machine moves from second to second, by far more than the
    // middleware costs, so the figure is the median of the rounds' own ratios.
    figure(
        "pass-through ratio (median of the rounds' ratios)",
        &format!("{paired:.3}"),
        "≥ 0.97",
        paired >= 0.97,
    );
}

/// Logins of fresh accounts while the provider fails a fraction of its calls at random.
fn faults(settings: &Settings, run: &mut Run, driver: &mut Driver, system: &SystemRunner) {
    let first_account = settings.logins / 2;
    let provider = &mut run.provider;
    println!();
    let percent = settings.fault_percent;
    println!(
        "provider faults: {} first logins of new accounts while each signed provider endpoint \
         answers 503 to {percent}% of its calls, chosen at random (Fault::Sometimes)",
        settings.fault_logins,
    );
    provider.send(&format!("faults {percent}"));
    let on = provider.line();
    assert_eq!(on, "faults on", "the provider said {on:?}");
    let start = settings.logins;
    let batch = system.block_on(driver.batch(start..start + settings.fault_logins, |i| {
        i - start + first_account
    }));
    provider.send("faults 0");
    let calls = provider.line();
    let calls = calls.strip_prefix("calls ").unwrap_or(&calls);
    let pages: Vec<String> = batch
        .failure_pages
        .iter()
        .map(|(status, n)| format!("{n} × {status}"))
        .collect();
    // A login fails when request_token or access_token fails; a failed /2/users/me falls
    // back to the access-token identity (the default `on_profile_error`).
    let survive = 1.0 - f64::from(percent) / 100.0;
    println!("  provider calls made meanwhile: {calls}");
    println!(
        "  {} signed in, {} failure pages with a message ({}), {} other; {:.1}% failed, \
         about {:.1}% expected",
        batch.signed_in,
        batch.failure_page_count(),
        pages.join(", "),
        batch.broken,
        100.0 * batch.failure_page_count() as f64 / batch.attempts.max(1) as f64,
        100.0 * (1.0 - survive * survive)
    );
    for example in &batch.broken_examples {
        println!("    e.g. {example}");
    }
    figure(
        "logins neither signed in nor failure page",
        &batch.broken.to_string(),
        "0",
        batch.broken == 0 && batch.signed_in + batch.failure_page_count() == batch.attempts,
    );
    users_figure(
        "users in the database after the faults",
        &run.app.database,
        driver,
        None,
    );
}
