//! The default role: starts the app (with and without the middleware) and the provider as
//! separate processes, drives the load, and prints every figure against its target.

use std::{path::Path, time::Duration};

use actix_web::rt::SystemRunner;

use super::{
    check,
    children::Child,
    logins::{Driver, Processes},
    ping,
    procfs::{self, Memory, Process},
    report::{self, figure, median, print_memory, print_summary, quantile, summary, Summary},
    CALLBACK_PATH,
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
            app_wrapper: std::env::var("BENCH_APP_WRAPPER").ok(),
        }
    }
}

/// How far the provider accepts `oauth_timestamp` from its clock, in seconds. The mock
/// remembers nonces this long and scans them on every signed request, so a short window keeps
/// the provider cheap; app and provider share the clock, so a few seconds is plenty.
const PROVIDER_WINDOW_SECS: u64 = 3;

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
    let start_memory = run.app.process().memory();
    pass_through(
        &settings,
        (run.app_port, run.app.process()),
        (run.plain_port, run.plain.process()),
        tick_ms,
    );
    let system = actix_web::rt::System::new();
    let mut driver = Driver::new(
        &format!("http://127.0.0.1:{}", run.app_port),
        &run.provider_url,
        settings.concurrency,
        Processes {
            app: run.app.process(),
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

/// The four child processes of a run, and where the apps keep their users.
struct Run {
    app: Child,
    app_port: u16,
    /// The same app signing in over OAuth 2.0.
    oauth2: Child,
    oauth2_port: u16,
    oauth2_database: String,
    plain: Child,
    plain_port: u16,
    provider: Child,
    provider_url: String,
    database: String,
}

impl Run {
    /// Starts the app, the app without the middleware and the provider, and introduces them.
    fn start(settings: &Settings, dir: &Path) -> Self {
        let half = settings.logins / 2;
        println!(
            "  setup    app and app without the middleware: separate processes, 2 workers each, \
             SQLite file (default StoreOptions), cookie sessions; provider: separate process, \
             {} accounts, timestamp window {PROVIDER_WINDOW_SECS} s",
            half + settings.fault_logins
        );
        let database = path(&dir.join("users.db"));
        let mut app = Child::spawn(
            "app",
            &["--role", "app", "--db", &database],
            settings.app_wrapper.as_deref(),
        );
        let app_port = app.port();
        let plain_database = path(&dir.join("plain.db"));
        let mut plain = Child::spawn(
            "app without the middleware",
            &["--role", "app", "--without-login", "--db", &plain_database],
            None,
        );
        let plain_port = plain.port();
        let oauth2_database = path(&dir.join("oauth2.db"));
        let mut oauth2 = Child::spawn(
            "OAuth 2.0 app",
            &[
                "--role",
                "app",
                "--protocol",
                "oauth2",
                "--db",
                &oauth2_database,
            ],
            None,
        );
        let oauth2_port = oauth2.port();
        let callback = format!("http://127.0.0.1:{app_port}{CALLBACK_PATH}");
        let oauth2_callback = format!("http://127.0.0.1:{oauth2_port}{CALLBACK_PATH}");
        let users = (half + settings.fault_logins).to_string();
        let window = PROVIDER_WINDOW_SECS.to_string();
        let mut provider = Child::spawn(
            "provider",
            &[
                "--role",
                "provider",
                "--callback",
                &callback,
                "--callback",
                &oauth2_callback,
                "--users",
                &users,
                "--window",
                &window,
            ],
            None,
        );
        let provider_url = format!("http://127.0.0.1:{}", provider.port());
        app.send(&provider_url);
        oauth2.send(&provider_url);
        for child in [&mut app, &mut plain, &mut oauth2] {
            let line = child.line();
            assert_eq!(line, "ready", "the {} said {line:?}", child.name);
        }
        Self {
            app,
            app_port,
            oauth2,
            oauth2_port,
            oauth2_database,
            plain,
            plain_port,
            provider,
            provider_url,
            database,
        }
    }

    fn finish(self) {
        for child in [self.app, self.plain, self.oauth2, self.provider] {
            child.finish();
        }
    }
}

fn path(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// The login cost, memory and loss figures: `logins` complete logins, the first half the
/// first logins of as many accounts (each creates its user), the second half the same accounts
/// returning.
fn logins(
    settings: &Settings,
    run: &Run,
    driver: &mut Driver,
    system: &SystemRunner,
    tick_ms: f64,
    start_memory: Memory,
) -> (Summary, Summary) {
    let half = settings.logins / 2;
    let warmup = system.block_on(driver.batch(0..settings.warmup, |i| i));
    let mut steady = system.block_on(driver.batch(settings.warmup..half, |i| i));
    let first = summary(&steady, tick_ms);
    let at_half = run.app.process().memory();
    let returning = system.block_on(driver.batch(half..settings.logins, |i| i - half));
    let at_end = run.app.process().memory();
    let again = summary(&returning, tick_ms);
    steady.merge(returning);
    let all = summary(&steady, tick_ms);

    println!();
    println!(
        "login cost: complete logins (GET /login/twitter → provider approve → GET callback → \
         GET /), {} at a time, after {} warm-up logins",
        settings.concurrency, settings.warmup
    );
    let window = |from: usize, to: usize| format!("{from}..{to}");
    print_summary(
        &format!("first logins {}", window(settings.warmup, half)),
        &first,
    );
    print_summary(
        &format!("returning logins {}", window(half, settings.logins)),
        &again,
    );
    print_summary(
        &format!("all measured {}", window(settings.warmup, settings.logins)),
        &all,
    );
    for (label, s) in [
        ("all measured", &all),
        ("first logins", &first),
        ("returning logins", &again),
    ] {
        figure(
            &format!("app CPU per login, {label}"),
            &format!("{:.3} ms", s.app_ms),
            "≤ 0.35 ms",
            s.app_ms <= 0.35,
        );
    }

    println!();
    println!("memory of the app process (VmRSS / VmHWM from /proc)");
    print_memory("at start", start_memory);
    print_memory(&format!("after {half} logins"), at_half);
    print_memory(&format!("after {} logins", settings.logins), at_end);
    let peak_mib = at_half.peak_kib as f64 / 1024.0;
    figure(
        &format!("peak RSS after {half} logins"),
        &format!("{peak_mib:.1} MiB"),
        "≤ 20 MiB",
        peak_mib <= 20.0,
    );
    let growth = at_end.rss_kib as i64 - at_half.rss_kib as i64;
    figure(
        &format!("RSS growth {half} → {} logins", settings.logins),
        &format!("{growth:+} KiB"),
        "≈ 0 (≤ 1 MiB)",
        growth <= 1024,
    );

    println!();
    println!("load without loss");
    let lost =
        steady.broken + steady.failure_page_count() + warmup.broken + warmup.failure_page_count();
    figure(
        "failed logins",
        &format!("{lost} of {}", settings.logins),
        "0",
        lost == 0,
    );
    for example in steady.broken_examples.iter().chain(&warmup.broken_examples) {
        println!("    e.g. {example}");
    }
    users_figure("users in the database", &run.database, driver, Some(half));
    let paced = paced(settings, driver, system, tick_ms, "OAuth 1.0a");
    (all, paced)
}

/// Returning logins arriving at the paced rate; prints and returns their summary.
fn paced(
    settings: &Settings,
    driver: &mut Driver,
    system: &SystemRunner,
    tick_ms: f64,
    protocol: &str,
) -> Summary {
    let batch = system.block_on(driver.paced(0..settings.paced_logins, |i| i, settings.paced_rate));
    let paced = summary(&batch, tick_ms);
    println!();
    println!(
        "{protocol} paced: {} returning logins arriving at {} logins/s",
        settings.paced_logins, settings.paced_rate
    );
    print_summary("paced", &paced);
    let lost = batch.broken + batch.failure_page_count();
    figure(
        &format!("{protocol} paced failed logins"),
        &format!("{lost} of {}", settings.paced_logins),
        "0",
        lost == 0,
    );
    paced
}

/// The same logins over OAuth 2.0, on the OAuth 2.0 app: fewer provider calls, no signing.
fn oauth2_logins(
    settings: &Settings,
    run: &Run,
    system: &SystemRunner,
    tick_ms: f64,
    oauth1: &(Summary, Summary),
) {
    let (oauth1, oauth1_paced) = oauth1;
    let half = settings.logins / 2;
    let mut driver = Driver::new(
        &format!("http://127.0.0.1:{}", run.oauth2_port),
        &run.provider_url,
        settings.concurrency,
        Processes {
            app: run.oauth2.process(),
            provider: run.provider.process(),
            orchestrator: Process::current(),
        },
    );
    let warmup = system.block_on(driver.batch(0..settings.warmup, |i| i));
    let mut steady = system.block_on(driver.batch(settings.warmup..half, |i| i));
    let first = summary(&steady, tick_ms);
    let returning = system.block_on(driver.batch(half..settings.logins, |i| i - half));
    let again = summary(&returning, tick_ms);
    steady.merge(returning);
    let all = summary(&steady, tick_ms);

    println!();
    println!(
        "OAuth 2.0 login cost: the same logins on the app signing in over OAuth 2.0 (GET \
         /login/twitter → provider approve → GET callback: code exchange, /2/users/me → GET /)"
    );
    let window = |from: usize, to: usize| format!("{from}..{to}");
    print_summary(
        &format!("first logins {}", window(settings.warmup, half)),
        &first,
    );
    print_summary(
        &format!("returning logins {}", window(half, settings.logins)),
        &again,
    );
    print_summary(
        &format!("all measured {}", window(settings.warmup, settings.logins)),
        &all,
    );
    figure(
        "OAuth 2.0 app CPU per login, all measured",
        &format!("{:.3} ms (OAuth 1.0a {:.3} ms)", all.app_ms, oauth1.app_ms),
        "≤ the OAuth 1.0a figure",
        all.app_ms <= oauth1.app_ms,
    );
    let lost =
        steady.broken + steady.failure_page_count() + warmup.broken + warmup.failure_page_count();
    figure(
        "OAuth 2.0 failed logins",
        &format!("{lost} of {}", settings.logins),
        "0",
        lost == 0,
    );
    for example in steady.broken_examples.iter().chain(&warmup.broken_examples) {
        println!("    e.g. {example}");
    }
    users_figure(
        "OAuth 2.0 users in the database",
        &run.oauth2_database,
        &driver,
        Some(half),
    );
    let paced = paced(settings, &mut driver, system, tick_ms, "OAuth 2.0");
    figure(
        "OAuth 2.0 app CPU per login, paced",
        &format!(
            "{:.3} ms (OAuth 1.0a {:.3} ms)",
            paced.app_ms, oauth1_paced.app_ms
        ),
        "≤ the OAuth 1.0a figure",
        paced.app_ms <= oauth1_paced.app_ms,
    );
}

/// Users and credentials in the app's database against the accounts that signed in.
fn users_figure(label: &str, database: &str, driver: &Driver, accounts: Option<usize>) {
    let users = check::users(database, &driver.identities());
    figure(
        label,
        &format!(
            "{} users, {} credentials, {} accounts",
            users.users, users.credentials, users.accounts
        ),
        "one per account",
        users.ok() && accounts.is_none_or(|n| n == users.accounts),
    );
    if users.mismatched > 0 {
        println!(
            "    {} credentials not matching the identity seen",
            users.mismatched
        );
    }
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
        &run.database,
        driver,
        None,
    );
}
